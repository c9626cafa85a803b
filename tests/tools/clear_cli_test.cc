// End-to-end tests of `cascade clear`: runs the built binary (CASCADE_BINARY) on the plain
// networks in tests/engine/contagion/data/ and checks the JSON it prints (parsed with
// nlohmann::json), its options and its exit codes. The numbers are the hand-computed ones of
// tests/engine/contagion/ (clearing_models_test.cc, debtrank_test.cc, plain_models_test.cc).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;
using cascade::testing::Outcome;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/engine/contagion/data";
constexpr double kExact = 1e-12;

class ClearCliTest : public cascade::testing::CliFixture {
 protected:
  /// Runs `clear` on a data directory and parses stdout; fails the test unless it exits 0.
  Json clear(const std::string& data, const std::string& options) const {
    const Outcome o = cascade("clear '" + (kData / data).string() + "' " + options);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    Json parsed;
    EXPECT_NO_THROW(parsed = Json::parse(o.out)) << o.out;
    return parsed;
  }

  /// Writes a plain network directory under the test's work directory.
  fs::path write_network(const std::string& name, const std::string& nodes, const std::string& edges) const {
    const fs::path dir = work_ / name;
    fs::create_directories(dir);
    std::ofstream(dir / "nodes.csv") << nodes;
    std::ofstream(dir / "edges.csv") << edges;
    return dir;
  }

};

TEST_F(ClearCliTest, EisenbergNoeOnTheRing) {
  // RingPariPassu: x = (5/6, 29/30, 1); total loss 3.6 (plain_models_test.cc).
  const Json j = clear("ring", "--model eisenberg-noe");
  EXPECT_EQ(j["model"], "eisenberg-noe");
  EXPECT_EQ(j["institutions"], 3);
  EXPECT_EQ(j["exposures"], 4);  // rows of edges.csv
  EXPECT_EQ(j["iterations"], 2);
  EXPECT_EQ(j["converged"], true);
  EXPECT_EQ(j["defaults"], 2);
  EXPECT_NEAR(j["total_loss"].get<double>(), 3.6, kExact);
  EXPECT_EQ(j["parameters"]["method"], "fictitious-default");
  EXPECT_EQ(j["parameters"]["external_priority"], "pari-passu");
  EXPECT_FALSE(j.contains("system_debtrank"));
  const Json& nodes = j["nodes"];
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0]["id"], "A");
  EXPECT_NEAR(nodes[0]["recovery_rate"].get<double>(), 5.0 / 6.0, kExact);
  EXPECT_NEAR(nodes[0]["payment"].get<double>(), 20.0 / 3.0, kExact);
  EXPECT_EQ(nodes[0]["defaulted"], true);
  EXPECT_EQ(nodes[0]["equity_before"], 0);
  EXPECT_NEAR(nodes[0]["equity_after"].get<double>(), -2.0, kExact);
  EXPECT_TRUE(nodes[0]["debtrank"].is_null());
  EXPECT_TRUE(nodes[0]["default_round"].is_null());
  EXPECT_NEAR(nodes[1]["recovery_rate"].get<double>(), 29.0 / 30.0, kExact);
  EXPECT_EQ(nodes[2]["recovery_rate"], 1);
  EXPECT_EQ(nodes[2]["defaulted"], false);
}

TEST_F(ClearCliTest, EachNodeIsOneLineWithItsFieldsInOrder) {
  // docs/plain-network.md: one node per line, in nodes.csv order, its fields in the order shown there.
  const Outcome o = cascade("clear '" + (kData / "ring").string() + "' --model furfine");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::istringstream lines(o.out);
  std::vector<std::string> node_lines;
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("  {")) node_lines.push_back(line.back() == ',' ? line.substr(0, line.size() - 1) : line);
  ASSERT_EQ(node_lines.size(), 3u) << o.out;
  for (const std::string& line : node_lines) {
    const nlohmann::ordered_json node = nlohmann::ordered_json::parse(line);
    std::vector<std::string> keys;
    for (const auto& [key, value] : node.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "payment", "recovery_rate", "external_payment", "defaulted",
                                              "equity_before", "equity_after", "debtrank", "default_round"}))
        << line;
  }
  // Furfine on the ring: A defaults in round 0 and B in round 1 (FurfineRounds below).
  EXPECT_TRUE(node_lines[0].ends_with(", \"default_round\": 0}")) << node_lines[0];
}

TEST_F(ClearCliTest, NumbersRoundTrip) {
  // Shortest round-trip text: 5/6 reads back as the same double.
  const Outcome o = cascade("clear '" + (kData / "ring").string() + "' --model eisenberg-noe --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("\"recovery_rate\": 0.8333333333333334"), std::string::npos) << o.out;
  EXPECT_EQ(Json::parse(o.out)["nodes"][0]["recovery_rate"].get<double>(), (2.0 + 8.0) / 12.0);
}

TEST_F(ClearCliTest, SeniorExternalPriorityAndFixedPoint) {
  // RingSeniorExternalLiabilities: x = (0.75, 0.875, 1).
  for (const char* method : {"fictitious-default", "fixed-point"}) {
    const Json j = clear("ring", std::string("--model eisenberg-noe --external-priority senior --method ") + method);
    EXPECT_EQ(j["parameters"]["method"], method);
    EXPECT_NEAR(j["nodes"][0]["recovery_rate"].get<double>(), 0.75, 1e-12);
    EXPECT_NEAR(j["nodes"][1]["recovery_rate"].get<double>(), 0.875, 1e-12);
  }
}

TEST_F(ClearCliTest, StoppingAtTheIterationCapIsAWarning) {
  // One fixed-point sweep on the ring does not reach x = (5/6, 29/30, 1) (RingPariPassu).
  const Outcome o = cascade("clear '" + (kData / "ring").string() +
                            "' --model eisenberg-noe --method fixed-point --max-iterations 1");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_FALSE(Json::parse(o.out)["converged"].get<bool>());
  EXPECT_NE(o.err.find("[warning] eisenberg-noe stopped at --max-iterations 1 before converging"), std::string::npos)
      << o.err;
  const Outcome converged = cascade("clear '" + (kData / "ring").string() + "' --model eisenberg-noe");
  EXPECT_EQ(converged.err.find("warning"), std::string::npos) << converged.err;
}

TEST_F(ClearCliTest, RogersVeraartEchoesItsCosts) {
  const Json j = clear("ring", "--model rogers-veraart --alpha 0.5 --beta 0.25");
  EXPECT_EQ(j["parameters"]["alpha"], 0.5);
  EXPECT_EQ(j["parameters"]["beta"], 0.25);
  // Round 1: A defaults; it realises 0.5 * 2 + 0.25 * 8 = 3 of its 12 owed: x_A = 1/4.
  // Round 2: B's equity 3 - 2 + 8/4 - 8 = -5; B realises 0.5 * 3 + 0.25 * 2 = 2 of 10: x_B = 1/5.
  // C's equity 10 + 8/5 - 8 = 3.6 >= 0.
  EXPECT_NEAR(j["nodes"][0]["recovery_rate"].get<double>(), 0.25, kExact);
  EXPECT_NEAR(j["nodes"][1]["recovery_rate"].get<double>(), 0.2, kExact);
  EXPECT_NEAR(j["nodes"][2]["equity_after"].get<double>(), 3.6, kExact);
}

TEST_F(ClearCliTest, FurfineRounds) {
  // plain_models_test.cc, RingUnderEachModel: A in round 0, B in round 1, total loss 18.
  const Json j = clear("ring", "--model furfine");
  EXPECT_EQ(j["parameters"]["recovery"], 0);
  EXPECT_EQ(j["iterations"], 2);
  EXPECT_EQ(j["nodes"][0]["default_round"], 0);
  EXPECT_EQ(j["nodes"][1]["default_round"], 1);
  EXPECT_TRUE(j["nodes"][2]["default_round"].is_null());
  EXPECT_NEAR(j["total_loss"].get<double>(), 18.0, kExact);
  // R = 1: nothing is lost on A, so only A defaults.
  EXPECT_EQ(clear("ring", "--model furfine --recovery 1")["defaults"], 1);
}

TEST_F(ClearCliTest, DebtRankBothForms) {
  const Json linear = clear("debtrank-chain", "--model debtrank");
  EXPECT_NEAR(linear["nodes"][3]["debtrank"].get<double>(), 7.0 / 32.0, kExact);
  EXPECT_TRUE(linear["nodes"][3]["payment"].is_null());
  EXPECT_TRUE(linear["nodes"][3]["recovery_rate"].is_null());
  EXPECT_NEAR(linear["system_distress"].get<double>(), 9.625 / 28.0, kExact);
  EXPECT_NEAR(linear["system_debtrank"].get<double>(), 4.625 / 28.0, kExact);
  EXPECT_EQ(linear["parameters"]["weights"], "equity");
  const Json single = clear("debtrank-chain", "--model debtrank-single-hit --weights assets");
  EXPECT_NEAR(single["nodes"][3]["debtrank"].get<double>(), 0.125, kExact);
  EXPECT_EQ(single["parameters"]["weights"], "assets");
}

TEST_F(ClearCliTest, HelpDocumentsEveryOptionWithItsDefault) {
  const Outcome o = cascade("clear --help");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* text : {"DIR", "--model", "--alpha", "--beta", "--external-priority", "--method", "--recovery",
                           "--weights", "--tolerance", "--max-iterations", "--json", "default: 1", "default: 0",
                           "default: pari-passu", "default: auto", "default: equity", "default: 100000", "Exit codes"})
    EXPECT_NE(o.out.find(text), std::string::npos) << text << " missing from:\n" << o.out;
  EXPECT_NE(cascade("--help").out.find("clear"), std::string::npos);
}

TEST_F(ClearCliTest, BadOptionsExitTwo) {
  const std::string ring = "clear '" + (kData / "ring").string() + "' ";
  for (const char* options :
       {"",                                    // --model is required
        "--model eisenberg_noe",               // unknown model
        "--model rogers-veraart --alpha 1.5",  // out of range
        "--model rogers-veraart --beta nan",   // not a finite number
        "--model rogers-veraart --alpha abc", "--model furfine --recovery -0.1",
        "--model eisenberg-noe --external-priority junior", "--model eisenberg-noe --method newton",
        "--model debtrank --weights size", "--model eisenberg-noe --max-iterations 0",
        "--model eisenberg-noe --tolerance -1", "--model eisenberg-noe --no-such-option"}) {
    const Outcome o = cascade(ring + options);
    EXPECT_EQ(o.exit_code, 2) << options << "\n" << o.err;
    EXPECT_TRUE(o.out.empty() || o.out.find("\"nodes\"") == std::string::npos) << options;
  }
}

TEST_F(ClearCliTest, OptionsOfAnotherModelAreRefused) {
  const std::string ring = "clear '" + (kData / "ring").string() + "' ";
  for (const char* options : {"--model eisenberg-noe --alpha 0.5", "--model furfine --external-priority senior",
                              "--model debtrank --recovery 0.5", "--model eisenberg-noe --weights assets",
                              "--model debtrank-single-hit --tolerance 1e-9", "--model furfine --method fixed-point"}) {
    const Outcome o = cascade(ring + options);
    EXPECT_EQ(o.exit_code, 2) << options;
    EXPECT_NE(o.err.find("does not apply"), std::string::npos) << o.err;
    EXPECT_TRUE(o.out.empty());
  }
}

TEST_F(ClearCliTest, BadNetworkPrintsTheReadersDiagnostics) {
  // bad-equity: a non-numeric external liability and an unknown creditor, each located.
  const Outcome o = cascade("clear '" + (kData / "bad-equity").string() + "' --model eisenberg-noe");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(o.out.empty());
  EXPECT_NE(o.err.find("nodes.csv:3:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("external_liabilities: expected a number, got 'x'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("edges.csv:3:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("unknown node 'Q'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("error(s)"), std::string::npos) << o.err;

  // 250 bad amounts: 100 listed, one line for the other 150, and the total (it said 101).
  std::string rows = "debtor,creditor,amount\n";
  for (int i = 0; i < 250; ++i) rows += "A,B,x\n";
  const fs::path many = write_network("many", "id,external_assets,external_liabilities\nA,1,0\nB,1,0\n", rows);
  const Outcome counted = cascade("clear '" + many.string() + "' --model furfine");
  EXPECT_EQ(counted.exit_code, 2);
  EXPECT_NE(counted.err.find("150 more errors in this file are not listed\n250 error(s)\n"), std::string::npos)
      << counted.err;

  const Outcome missing = cascade("clear '" + (work_ / "nowhere").string() + "' --model debtrank");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("network directory not found"), std::string::npos) << missing.err;

  const fs::path mismatch =
      write_network("mismatch", "id,external_assets,external_liabilities,equity\nA,1,0,5\nB,0,0,1\n",
                    "debtor,creditor,amount\nA,B,1\n");
  const Outcome wrong = cascade("clear '" + mismatch.string() + "' --model furfine");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("does not match"), std::string::npos) << wrong.err;
}

TEST_F(ClearCliTest, IdsAreEscapedAndEmptyNetworksWork) {
  const fs::path quoted = write_network("quoted", "id,external_assets,external_liabilities\n\"a \"\"q\"\" \\ b\",1,0\n",
                                        "debtor,creditor,amount\n");
  const Outcome o = cascade("clear '" + quoted.string() + "' --model debtrank");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(Json::parse(o.out)["nodes"][0]["id"], "a \"q\" \\ b");

  const fs::path empty =
      write_network("empty", "id,external_assets,external_liabilities\n", "debtor,creditor,amount\n");
  const Outcome none = cascade("clear '" + empty.string() + "' --model eisenberg-noe");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  const Json j = Json::parse(none.out);
  EXPECT_EQ(j["institutions"], 0);
  EXPECT_TRUE(j["nodes"].empty());
  EXPECT_EQ(j["total_loss"], 0);
}

}  // namespace
