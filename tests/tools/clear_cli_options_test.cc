// `cascade clear`'s newer output and options: the external payment of each node, the impact
// cap of single-hit DebtRank and --threads (the rest is in clear_cli_test.cc). Numbers by hand,
// as noted.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;
using cascade::testing::Outcome;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/engine/contagion/data";

class ClearCliOptionsTest : public cascade::testing::CliFixture {};

TEST_F(ClearCliOptionsTest, ExternalPaymentBesideTheRecoveryRate) {
  // Ring, pari passu: A pays its external creditors 4 * 5/6, C owes them nothing
  // (tests/engine/contagion/external_payment_test.cc).
  const Outcome o = cascade("clear '" + (kData / "ring").string() + "' --model eisenberg-noe");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const Json j = Json::parse(o.out);
  EXPECT_NEAR(j["nodes"][0]["external_payment"].get<double>(), 10.0 / 3.0, 1e-12);
  EXPECT_EQ(j["nodes"][2]["external_payment"], 0);
  const Json dr = Json::parse(cascade("clear '" + (kData / "ring").string() + "' --model debtrank").out);
  EXPECT_TRUE(dr["nodes"][0]["external_payment"].is_null());
}

TEST_F(ClearCliOptionsTest, ImpactCap) {
  // A (ea 10) owes B 4; B (ea 0, el 2) has E0 = 2; A loses 2.5 of 10 = h_A 1/4.
  const fs::path dir = work_ / "cap";
  fs::create_directories(dir);
  std::ofstream(dir / "nodes.csv") << "id,external_assets,external_liabilities\nA,10,0\nB,0,2\n";
  std::ofstream(dir / "edges.csv") << "debtor,creditor,amount\nA,B,4\n";
  std::ofstream(dir / "shock.csv") << "id,fraction\nA,0.25\n";
  // E0_A = 10 - 4 = 6, so h_A(1) = 2.5 / 6; Lambda_BA = 4 / 2 = 2. Capped: h_B = h_A; uncapped: 2 h_A.
  const std::string base = "clear '" + dir.string() + "' --model debtrank-single-hit";
  const Json capped = Json::parse(cascade(base).out);
  EXPECT_EQ(capped["parameters"]["impact_cap"], true);
  EXPECT_NEAR(capped["nodes"][1]["debtrank"].get<double>(), 2.5 / 6.0, 1e-12);
  const Json uncapped = Json::parse(cascade(base + " --impact-cap off").out);
  EXPECT_EQ(uncapped["parameters"]["impact_cap"], false);
  EXPECT_NEAR(uncapped["nodes"][1]["debtrank"].get<double>(), 5.0 / 6.0, 1e-12);
  EXPECT_EQ(cascade(base + " --impact-cap maybe").exit_code, 2);
  const Outcome wrong = cascade("clear '" + dir.string() + "' --model debtrank --impact-cap off");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("does not apply"), std::string::npos) << wrong.err;
}

TEST_F(ClearCliOptionsTest, ThreadsDoNotChangeTheOutput) {
  // 6,000 nodes: the passes over nodes and claims split into several tasks.
  const fs::path dir = work_ / "er";
  ASSERT_EQ(cascade("generate --kind erdos-renyi --nodes 6000 --mean-degree 8 --seed 3 --out '" + dir.string() + "'")
                .exit_code,
            0);
  for (const std::string model : {"eisenberg-noe", "debtrank"}) {
    const std::string base = "clear '" + dir.string() + "' --model " + model;
    const Outcome one = cascade(base + " --threads 1");
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(cascade(base + " --threads 2").out, one.out) << model;
    EXPECT_EQ(cascade(base).out, one.out) << model;  // the default: every core
  }
  EXPECT_EQ(cascade("clear '" + dir.string() + "' --model debtrank --threads 0").exit_code, 2);
}

}  // namespace
