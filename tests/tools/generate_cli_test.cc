// End-to-end tests of `cascade generate`: the files it writes are accepted by `cascade clear`,
// `validate` and `run`, the same seed gives the same bytes, bad options exit 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;

class GenerateCliTest : public cascade::testing::CliFixture {
 protected:
  std::string read(const fs::path& p) const {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(GenerateCliTest, PlainNetworkClearsAndIsReproducible) {
  for (const char* kind : {"erdos-renyi", "scale-free", "core-periphery"}) {
    const fs::path a = work_ / (std::string(kind) + "-a"), b = work_ / (std::string(kind) + "-b");
    const std::string options = std::string(" --kind ") + kind + " --nodes 300 --mean-degree 5 --seed 2";
    ASSERT_EQ(cascade("generate --out '" + a.string() + "'" + options).exit_code, 0);
    ASSERT_EQ(cascade("generate --out '" + b.string() + "'" + options).exit_code, 0);
    EXPECT_EQ(read(a / "edges.csv"), read(b / "edges.csv")) << kind;
    EXPECT_EQ(read(a / "nodes.csv"), read(b / "nodes.csv")) << kind;
    const Outcome o = cascade("clear '" + a.string() + "' --model eisenberg-noe");
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(nlohmann::json::parse(o.out)["institutions"], 300);
  }
}

TEST_F(GenerateCliTest, AiEconomyOfAThousandFirmsValidatesAndRuns) {
  const fs::path dir = work_ / "economy";
  ASSERT_EQ(cascade("generate --kind ai-economy --nodes 1000 --seed 7 --out '" + dir.string() + "'").exit_code, 0);
  const Outcome v = cascade("validate '" + (dir / "scenario.yaml").string() + "'");
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("ok (1000 firms, 3031 exposures"), std::string::npos) << v.out;
  EXPECT_EQ(v.err.find("warning"), std::string::npos) << v.err;
  const Outcome r = cascade("run '" + (dir / "scenario.yaml").string() + "' --out '" + (work_ / "run").string() +
                            "' --set simulation.horizon_ticks=12");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(work_ / "run" / "summary.json"));
}

TEST_F(GenerateCliTest, BadOptionsExitTwoAndNothingIsOverwritten) {
  const fs::path dir = work_ / "net";
  for (const char* options :
       {"--kind random --nodes 10", "--kind erdos-renyi --nodes 1", "--kind erdos-renyi",
        "--kind erdos-renyi --nodes 10 --mean-degree 9", "--kind ai-economy --nodes 31",
        "--kind erdos-renyi --nodes 10 --shocked-share 2",
        // The plain kinds' limits hold for ai-economy too, and their shock options do not apply.
        "--kind ai-economy --nodes 32 --mean-degree 31", "--kind ai-economy --nodes 32 --shocked-share 0.5",
        "--kind ai-economy --nodes 32 --shock-max 0.5",
        // Read as 2^64 - 1 before: seeds are decimal integers in [0, 2^64).
        "--kind erdos-renyi --nodes 10 --seed -1", "--kind erdos-renyi --nodes 10 --seed 18446744073709551616"}) {
    const Outcome o = cascade(std::string("generate ") + options + " --out '" + dir.string() + "'");
    EXPECT_EQ(o.exit_code, 2) << options << "\n" << o.err;
  }
  ASSERT_EQ(cascade("generate --kind erdos-renyi --nodes 10 --mean-degree 2 --out '" + dir.string() + "'").exit_code,
            0);
  const Outcome again = cascade("generate --kind erdos-renyi --nodes 20 --mean-degree 2 --out '" + dir.string() + "'");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(
      cascade("generate --kind erdos-renyi --nodes 20 --mean-degree 2 --force --out '" + dir.string() + "'").exit_code,
      0);
}

TEST_F(GenerateCliTest, AnEmptyOutIsRefusedNotTheCurrentDirectory) {
  // `--out ""` wrote into the current directory, replacing its nodes.csv without --force.
  std::ofstream(work_ / "nodes.csv") << "mine\n";
  const Outcome o = cascade("generate --kind erdos-renyi --nodes 10 --mean-degree 2 --out ''");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("must not be empty"), std::string::npos) << o.err;
  EXPECT_EQ(read(work_ / "nodes.csv"), "mine\n");
  EXPECT_FALSE(fs::exists(work_ / "edges.csv"));
}

TEST_F(GenerateCliTest, AFileThatCannotBeWrittenLeavesNoPartOfTheNetwork) {
  // shock.csv is a directory: nodes.csv and edges.csv were left behind, a network without its
  // shock that `clear` read as unshocked. Now nothing is written, and the old files stay.
  const fs::path dir = work_ / "net";
  ASSERT_EQ(cascade("generate --kind erdos-renyi --nodes 10 --mean-degree 2 --out '" + dir.string() + "'").exit_code,
            0);
  const std::string nodes = read(dir / "nodes.csv");
  fs::remove(dir / "shock.csv");
  fs::create_directory(dir / "shock.csv");
  const Outcome o =
      cascade("generate --kind erdos-renyi --nodes 20 --mean-degree 2 --seed 5 --force --out '" + dir.string() + "'");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("shock.csv': it exists and is not a file"), std::string::npos) << o.err;
  EXPECT_EQ(read(dir / "nodes.csv"), nodes);
  for (const auto& entry : fs::directory_iterator(dir))  // no temporary file left behind
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

}  // namespace
