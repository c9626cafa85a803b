// The plain CSV network reader (engine/network/plain_network.h). It lives with the loader's
// tests because the loader's `networks:` section is its first user.
#include "engine/network/plain_network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/plain_network_fixture.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/scenarios/loader/data";

TEST(PlainNetwork, ReadsAGoodNetwork) {
  Diagnostics diags;
  const PlainNetwork net = read_plain_network(kData / "net", diags);
  ASSERT_FALSE(diags.has_errors()) << ScenarioError(diags.errors()).what();

  ASSERT_EQ(net.nodes.size(), 3u);
  EXPECT_EQ(net.nodes[0].id, "A");
  EXPECT_EQ(net.nodes[0].external_assets, 10.0);
  EXPECT_EQ(net.nodes[0].external_liabilities, 5.0);
  EXPECT_EQ(net.nodes[0].equity, 3.0);
  EXPECT_EQ(net.nodes[1].equity, std::nullopt);  // empty cell
  EXPECT_EQ(net.nodes[2].id, "C, Inc.");         // quoted field with a comma
  EXPECT_EQ(net.nodes[2].where.line, 4);

  ASSERT_EQ(net.edges.size(), 2u);
  EXPECT_EQ(net.edges[0].debtor, "A");
  EXPECT_EQ(net.edges[0].creditor, "B");
  EXPECT_EQ(net.edges[0].amount, 2.0);
  EXPECT_EQ(net.edges[1].creditor, "C, Inc.");

  ASSERT_EQ(net.shocks.size(), 1u);
  EXPECT_EQ(net.shocks[0].id, "A");
  EXPECT_EQ(net.shocks[0].fraction, 0.5);
}

/// Each test writes its own network into a fresh directory.
class PlainNetworkErrors : public testing::PlainNetworkFixture {};

const std::string kNodes = "id,external_assets,external_liabilities\nA,10,5\nB,8,6\nopenai,1,1\n";
const std::string kEdges = "debtor,creditor,amount\nA,B,2\n";

TEST_F(PlainNetworkErrors, GoodFilesHaveNoErrors) { EXPECT_THAT(errors(kNodes, kEdges), IsEmpty()); }

TEST_F(PlainNetworkErrors, MissingDirectory) {
  Diagnostics diags;
  read_plain_network(dir_ / "nowhere", diags);
  ASSERT_EQ(diags.errors().size(), 1u);
  EXPECT_EQ(diags.errors()[0].message, "network directory not found");
}

TEST_F(PlainNetworkErrors, MissingNodesFile) {
  write("edges.csv", kEdges);
  Diagnostics diags;
  read_plain_network(dir_, diags);
  ASSERT_FALSE(diags.errors().empty());
  EXPECT_EQ(diags.errors()[0].format(), (dir_ / "nodes.csv").string() + ": cannot read file: no such file");
}

TEST_F(PlainNetworkErrors, WrongHeader) {
  EXPECT_THAT(errors(kNodes, "from,to,amount\nA,B,2\n"),
              ElementsAre("edges.csv:1:1: expected the header 'debtor,creditor,amount', got 'from,to,amount'"));
}

TEST_F(PlainNetworkErrors, EmptyFile) {
  EXPECT_THAT(errors(kNodes, ""),
              ElementsAre("edges.csv:1:1: empty file: expected the header 'debtor,creditor,amount'"));
}

TEST_F(PlainNetworkErrors, WrongFieldCount) {
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\nA,B,2,7\n"),
              ElementsAre("edges.csv:2:1: expected 3 fields, got 4"));
}

TEST_F(PlainNetworkErrors, NonNumericValue) {
  // A's row is bad, but A is a known id: the edge row naming it is not reported as well.
  EXPECT_THAT(errors("id,external_assets,external_liabilities\nA,ten,5\nB,8,6\n", kEdges),
              ElementsAre("nodes.csv:2:3: external_assets: expected a number, got 'ten'"));
}

TEST_F(PlainNetworkErrors, NonFiniteValue) {
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\nA,B,inf\n"),
              ElementsAre("edges.csv:2:5: amount: must be a finite number, got inf"));
}

TEST_F(PlainNetworkErrors, NegativeAndZeroAmounts) {
  EXPECT_THAT(
      errors("id,external_assets,external_liabilities\nA,10,-5\nB,8,6\n", "debtor,creditor,amount\nB,B,1\nB,A,-2\n"),
      ElementsAre("nodes.csv:2:6: external_liabilities: must be >= 0, got -5",
                  "edges.csv:2:3: creditor: debtor and creditor are the same node 'B'",
                  "edges.csv:3:5: amount: must be > 0, got -2"));
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\nA,B,0\n"),
              ElementsAre("edges.csv:2:5: amount: must be > 0, got 0"));
}

TEST_F(PlainNetworkErrors, DuplicateNodeId) {
  EXPECT_THAT(errors("id,external_assets,external_liabilities\nA,10,5\nB,8,6\nA,1,1\n", kEdges),
              ElementsAre("nodes.csv:4:1: id: duplicate node id 'A' (first at line 2)"));
}

TEST_F(PlainNetworkErrors, UnknownNodeWithSuggestion) {
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\nopnai,B,2\n"),
              ElementsAre("edges.csv:2:1: debtor: unknown node 'opnai' (did you mean 'openai'?)"));
}

TEST_F(PlainNetworkErrors, SelfLoop) {
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\nA, A ,2\n"),
              ElementsAre("edges.csv:2:4: creditor: debtor and creditor are the same node 'A'"));
}

TEST_F(PlainNetworkErrors, EquityMismatch) {
  // A: 10 + 0 - 5 - 2 = 3; B: 8 + 2 - 6 - 0 = 4.
  EXPECT_THAT(errors("id,external_assets,external_liabilities,equity\nA,10,5,3\nB,8,6,4.5\n", kEdges),
              ElementsAre("nodes.csv:3:7: equity: equity 4.5 does not match external_assets + interbank assets - "
                          "external_liabilities - interbank liabilities = 4"));
}

TEST_F(PlainNetworkErrors, EquityWithinRelativeTolerance) {
  EXPECT_THAT(errors("id,external_assets,external_liabilities,equity\nA,10,5,3.000000000001\nB,8,6,4\n", kEdges),
              IsEmpty());
}

TEST_F(PlainNetworkErrors, ShockErrors) {
  EXPECT_THAT(
      errors(kNodes, kEdges, "id,fraction\nA,1.5\nzzz,0.1\nB,0.2\nB,0.3\n"),
      ElementsAre("shock.csv:2:3: fraction: must be between 0 and 1, got 1.5", "shock.csv:3:1: id: unknown node 'zzz'",
                  "shock.csv:5:1: id: duplicate shock for node 'B' (first at line 4)"));
}

TEST_F(PlainNetworkErrors, UnterminatedQuote) {
  EXPECT_THAT(errors(kNodes, "debtor,creditor,amount\n\"A,B,2\n"), ElementsAre("edges.csv:2:1: unterminated quote"));
}

TEST_F(PlainNetworkErrors, ManyErrorsAreCappedPerFile) {
  std::string edges = "debtor,creditor,amount\n";
  for (int i = 0; i < 150; ++i) edges += "A,B,x\n";
  const std::vector<std::string> out = errors(kNodes, edges);
  ASSERT_EQ(out.size(), kMaxCsvErrorsPerFile + 1);
  EXPECT_EQ(out.back(), "edges.csv: 50 more errors in this file are not listed");
}

TEST_F(PlainNetworkErrors, CrlfLineEndingsAndBlankLines) {
  EXPECT_THAT(errors("\xEF\xBB\xBFid,external_assets,external_liabilities\r\nA,10,5\r\n\r\nB,8,6\r\n",
                     "debtor,creditor,amount\r\nA,B,2\r\n"),
              IsEmpty());
}

}  // namespace
}  // namespace cascade
