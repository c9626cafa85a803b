// End-to-end tests of `cascade loops` (and of the collateral warnings `cascade validate`
// prints): exit codes, the JSON shape, the AI-2026 loops, truncation, plain networks, order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kSourceDir = CASCADE_SOURCE_DIR;
const fs::path kBaseline = kSourceDir / "scenarios/ai-2026/baseline.yaml";
const fs::path kInvalidScenario = kSourceDir / "tests/tools/data/invalid.yaml";

class LoopsCli : public cascade::testing::CliFixture {
 protected:
  json loops_json(const std::string& args) const {
    const Outcome o = cascade("loops " + args + " --json");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return json::parse(o.out);
  }
  void write(const fs::path& name, const std::string& text) const { std::ofstream(work_ / name) << text; }
};

TEST_F(LoopsCli, HelpExplainsEveryOption) {
  const Outcome o = cascade("loops --help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* option : {"FILE|DIR", "--json", "--max-length", "--max-cycles", "--enforced-only", "--spread-years",
                             "--top", "--set", "default: 6", "default: 100000", "Exit codes"})
    EXPECT_THAT(o.out, HasSubstr(option));
  EXPECT_THAT(cascade("--help").out, HasSubstr("loops"));
}

TEST_F(LoopsCli, JsonShapeOnTheAiBaseline) {
  const json j = loops_json(quoted(kBaseline));
  for (const char* key : {"components", "cycles", "cycle_count", "truncated", "circularity", "named_loops"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j["truncated"].get<bool>());
  EXPECT_EQ(j["cycle_count"].get<std::size_t>(), j["cycles"].size());
  EXPECT_GT(j["cycles"].size(), 10u);
  EXPECT_EQ(j["basis"], "usd_bn_per_year");
  EXPECT_EQ(j["statuses"], "all");
  ASSERT_FALSE(j["components"].empty());
  EXPECT_TRUE(j["components"][0]["firms"].is_array());

  double previous = 1e300;
  for (const json& c : j["cycles"]) {
    ASSERT_TRUE(c["firms"].is_array());
    ASSERT_TRUE(c["kinds"].is_array());
    EXPECT_EQ(c["firms"].size(), c["kinds"].size());
    EXPECT_EQ(c["length"].get<std::size_t>(), c["firms"].size());
    EXPECT_LE(c["firms"].size(), 6u);
    EXPECT_LE(c["amount"].get<double>(), previous) << "sorted by amount, largest first";
    previous = c["amount"].get<double>();
    const auto& steps = c["step_amounts"];
    EXPECT_DOUBLE_EQ(c["amount"].get<double>(), *std::min_element(steps.begin(), steps.end()));
    EXPECT_DOUBLE_EQ(c["weakest_link"]["amount"].get<double>(), c["amount"].get<double>());
    EXPECT_TRUE(c["weakest_firm"].contains("equity_cushion"));
  }

  // L1: Nvidia's vendor financing of OpenAI against OpenAI's chip purchases, both letters of intent.
  const auto l1 = std::find_if(j["cycles"].begin(), j["cycles"].end(), [](const json& c) {
    return c["firms"] == json::array({"nvidia", "openai"});
  });
  ASSERT_NE(l1, j["cycles"].end());
  EXPECT_EQ((*l1)["kinds"], json::array({"vendor_financing", "purchase_commitment"}));
  EXPECT_EQ((*l1)["exposures"], json::parse(R"([["E01"], ["E02"]])"));
  EXPECT_EQ((*l1)["statuses"], json::parse(R"([["loi"], ["loi"]])"));
  EXPECT_FALSE((*l1)["enforced"].get<bool>());
  EXPECT_EQ((*l1)["named_loops"], json::array({"L1"}));
  EXPECT_DOUBLE_EQ((*l1)["amount"].get<double>(), 10.0);  // 100 over 10 years

  // Source loops: money cycles for L1, L3-L8, L10; not for L2 (a price loop), L9, L11, L12.
  std::map<std::string, bool> found;
  for (const json& l : j["named_loops"]) found[l["id"]] = l["found"];
  for (const char* id : {"L1", "L3", "L4", "L5", "L6", "L7", "L8", "L10"}) EXPECT_TRUE(found[id]) << id;
  for (const char* id : {"L2", "L9", "L11", "L12"}) EXPECT_FALSE(found[id]) << id;

  ASSERT_EQ(j["circularity"].size(), 32u);
  EXPECT_EQ(j["circularity"][0]["firm"], "nvidia");
  for (const json& c : j["circularity"]) {
    EXPECT_GE(c["share"].get<double>(), 0.0);
    EXPECT_LE(c["share"].get<double>(), 1.0);
  }
  EXPECT_TRUE(j["circularity_converged"].get<bool>());
}

TEST_F(LoopsCli, OutputIsDeterministic) {
  const Outcome a = cascade("loops " + quoted(kBaseline) + " --json");
  const Outcome b = cascade("loops " + quoted(kBaseline) + " --json");
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(cascade("loops " + quoted(kBaseline)).out, cascade("loops " + quoted(kBaseline)).out);
}

TEST_F(LoopsCli, EnforcedOnlyAndLengthBound) {
  const json all = loops_json(quoted(kBaseline));
  const json enforced = loops_json(quoted(kBaseline) + " --enforced-only");
  EXPECT_LT(enforced["cycle_count"].get<std::size_t>(), all["cycle_count"].get<std::size_t>());
  EXPECT_EQ(enforced["statuses"], "enforced");
  for (const json& c : enforced["cycles"]) EXPECT_TRUE(c["enforced"].get<bool>());
  const json pairs = loops_json(quoted(kBaseline) + " --max-length 2");
  EXPECT_GT(pairs["cycle_count"].get<std::size_t>(), 0u);
  for (const json& c : pairs["cycles"]) EXPECT_EQ(c["firms"].size(), 2u);
  const json unbounded = loops_json(quoted(kBaseline) + " --max-length 0");
  EXPECT_GE(unbounded["cycle_count"].get<std::size_t>(), all["cycle_count"].get<std::size_t>());
}

TEST_F(LoopsCli, TruncationIsReportedWithHowToRaiseTheLimit) {
  const Outcome o = cascade("loops " + quoted(kBaseline) + " --json --max-cycles 3");
  EXPECT_EQ(o.exit_code, 0);
  const json j = json::parse(o.out);
  EXPECT_TRUE(j["truncated"].get<bool>());
  EXPECT_EQ(j["cycle_count"], 3);
  EXPECT_THAT(o.err, HasSubstr("--max-cycles"));
  const Outcome human = cascade("loops " + quoted(kBaseline) + " --max-cycles 3");
  EXPECT_THAT(human.out, HasSubstr("TRUNCATED"));
  EXPECT_THAT(human.out, HasSubstr("Raise the limit with --max-cycles N"));
}

TEST_F(LoopsCli, HumanOutputHasTheTables) {
  const Outcome o = cascade("loops " + quoted(kBaseline) + " --top 5");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* text : {"Strongly connected components", "Elementary cycles (up to 6 firms)", "weakest link",
                           "nvidia -[vendor_financing E01 loi", "L2  not a money cycle", "Circularity", "nvidia"})
    EXPECT_THAT(o.out, HasSubstr(text));
}

TEST_F(LoopsCli, PlainNetworkDirectory) {
  fs::create_directories(work_ / "net");
  write("net/nodes.csv", "id,external_assets,external_liabilities\nA,10,5\nB,10,5\nC,10,5\nD,10,5\n");
  // Loans debtor <- creditor: money B -> A, C -> B, A -> C (a ring), and D lends to A.
  write("net/edges.csv", "debtor,creditor,amount\nA,B,1\nB,C,2\nC,A,3\nA,D,4\n");
  const json j = loops_json(quoted(work_ / "net"));
  EXPECT_EQ(j["input_kind"], "plain_network");
  EXPECT_EQ(j["basis"], "nominal");
  ASSERT_EQ(j["cycle_count"], 1);
  EXPECT_EQ(j["cycles"][0]["firms"], json::array({"A", "C", "B"}));
  EXPECT_EQ(j["cycles"][0]["kinds"], json::array({"loan", "loan", "loan"}));
  EXPECT_EQ(j["cycles"][0]["exposures"], json::parse(R"([["edge3"], ["edge2"], ["edge1"]])"));
  EXPECT_DOUBLE_EQ(j["cycles"][0]["amount"].get<double>(), 1.0);
  EXPECT_EQ(j["components"][0]["firms"], json::array({"A", "B", "C"}));
  for (const json& c : j["circularity"]) EXPECT_EQ(c["share"], 0.0);
  // The loader's test network has no cycle.
  EXPECT_EQ(loops_json(quoted(kSourceDir / "tests/scenarios/loader/data/net"))["cycle_count"], 0);
  // Ids are bytes: one that is not UTF-8 is written with U+FFFD in JSON (it was an internal error).
  fs::create_directories(work_ / "latin1");
  write("latin1/nodes.csv", "id,external_assets,external_liabilities\nZ\xfcrich,10,5\nB,10,5\n");
  write("latin1/edges.csv", "debtor,creditor,amount\nZ\xfcrich,B,1\nB,Z\xfcrich,2\n");
  const json latin1 = loops_json(quoted(work_ / "latin1"));
  ASSERT_EQ(latin1["cycle_count"], 1);
  EXPECT_EQ(latin1["components"][0]["firms"], json::array({"Z\xef\xbf\xbdrich", "B"}));
}

TEST_F(LoopsCli, BadInputExitsWithTwo) {
  EXPECT_EQ(cascade("loops missing.yaml").exit_code, 2);
  const Outcome invalid = cascade("loops " + quoted(kInvalidScenario));
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("error(s)"));
  fs::create_directories(work_ / "bad");
  write("bad/nodes.csv", "id,external_assets,external_liabilities\nA,1,1\n");
  write("bad/edges.csv", "debtor,creditor,amount\nA,Z,1\n");
  const Outcome bad_net = cascade("loops bad");
  EXPECT_EQ(bad_net.exit_code, 2);
  EXPECT_THAT(bad_net.err, HasSubstr("edges.csv:2"));
  EXPECT_EQ(cascade("loops " + quoted(kBaseline) + " --max-length x").exit_code, 2);
  EXPECT_EQ(cascade("loops " + quoted(kBaseline) + " --max-cycles 0").exit_code, 2);
  EXPECT_EQ(cascade("loops " + quoted(kBaseline) + " --set firms.nope.cash=1").exit_code, 2);
  EXPECT_EQ(cascade("loops").exit_code, 2);
}

TEST_F(LoopsCli, ValidatePrintsRepledgedCollateral) {
  write("pledged.yaml",
        "format: cascade-scenario/1\n"
        "scenario: {name: pledged}\n"
        "firms:\n"
        "  - {id: fund_a, type: private_credit, cash: 50, other_assets: 100, revenue: 10}\n"
        "  - {id: fund_b, type: private_credit, cash: 50, other_assets: 100, revenue: 10}\n"
        "  - {id: coreweave, type: neocloud, cash: 5, hardware: 30, debt: 21, revenue: 10}\n"
        "exposures:\n"
        "  - {id: E1, kind: collateralised_loan, from: fund_a, to: coreweave, status: outstanding, amount: 9,\n"
        "     term_years: 4, collateral: 18}\n"
        "  - {id: E2, kind: collateralised_loan, from: fund_b, to: coreweave, status: outstanding, amount: 12,\n"
        "     term_years: 4, collateral: 21}\n");
  const Outcome o = cascade("validate pledged.yaml");
  EXPECT_EQ(o.exit_code, 0) << "a warning, not an error";
  EXPECT_THAT(o.err, HasSubstr("pledged.yaml:6:5: warning: firms[2]: coreweave: hardware of 30 is pledged for 39"));
  EXPECT_THAT(o.err, HasSubstr("fund_a 18 (E1), fund_b 21 (E2)"));
  EXPECT_THAT(o.out, HasSubstr("ok"));
}

}  // namespace
