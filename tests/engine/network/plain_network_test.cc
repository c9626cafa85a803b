// The plain network reader on hostile and unusual input (engine/network/plain_network.h,
// csv_reader.h): each problem is a located error or read correctly, never a crash or a hang.
// The everyday diagnostics are tested in tests/scenarios/loader/plain_network_test.cc.
#include "engine/network/plain_network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/support/plain_network_fixture.h"

namespace cascade {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class PlainNetworkReader : public testing::PlainNetworkFixture {};

const std::string kNodes = "id,external_assets,external_liabilities\nA,10,5\nB,8,6\n";
const std::string kEdgeHeader = "debtor,creditor,amount\n";

TEST_F(PlainNetworkReader, QuotedFieldsCrlfBomAndBlankLines) {
  EXPECT_THAT(errors("\xEF\xBB\xBFid,external_assets,external_liabilities\r\n\"A, \"\"the\"\" bank\",10,5\r\n\r\n"
                     "  \t \r\nB , \"8\" ,6\r\n",
                     kEdgeHeader + "\"A, \"\"the\"\" bank\",B,2"),  // no final line break
              IsEmpty());
  ASSERT_EQ(net_.ids.size(), 2u);
  EXPECT_EQ(net_.ids[0], "A, \"the\" bank");
  EXPECT_EQ(net_.ids[1], "B");
  EXPECT_EQ(net_.external_assets[1], 8.0);
  EXPECT_EQ(net_.node_lines[1], 5);
  ASSERT_EQ(net_.edges.size(), 1u);
  EXPECT_EQ(net_.edges[0].debtor, 0u);
  EXPECT_EQ(net_.edges[0].creditor, 1u);
}

TEST_F(PlainNetworkReader, MissingAndExtraColumnsAndQuotesGoneWrong) {
  EXPECT_THAT(errors(kNodes, kEdgeHeader + "A,B\nA,B,1,2,3,4,5,6,7,8,9\n\"A\"x,B,1\n\"A,B,1\nA,B,1\n"),
              ElementsAre("edges.csv:2:1: expected 3 fields, got 2", "edges.csv:3:1: expected 3 fields, got 11",
                          "edges.csv:4:1: unexpected text after a quoted field", "edges.csv:5:1: unterminated quote"));
  EXPECT_EQ(net_.edges.size(), 1u);
}

TEST_F(PlainNetworkReader, NonFiniteAndHugeNumbers) {
  // 1e308 is a finite double but above kMaxInputAmount (1e15), the largest amount an input may
  // hold; 1e309 and 1e-400 are numbers beyond a double's range (1e-400 was "expected a number");
  // nan and inf are not finite.
  EXPECT_THAT(errors(kNodes, kEdgeHeader + "A,B,nan\nA,B,-inf\nA,B,1e309\nA,B,1e308\nA,B,1e15\nB,A,+0.5\nA,B,1e-400\n"),
              ElementsAre("edges.csv:2:5: amount: must be a finite number, got nan",
                          "edges.csv:3:5: amount: must be a finite number, got -inf",
                          "edges.csv:4:5: amount: a number beyond the range of a double (about 1e-308 to 1e308 in "
                          "size), got 1e309",
                          "edges.csv:5:5: amount: must be <= 1e+15, got 1e308",
                          "edges.csv:8:5: amount: a number beyond the range of a double (about 1e-308 to 1e308 in "
                          "size), got 1e-400"));
  ASSERT_EQ(net_.edges.size(), 2u);
  EXPECT_EQ(net_.edges[0].amount, 1e15);
  EXPECT_EQ(net_.edges[1].amount, 0.5);
}

TEST_F(PlainNetworkReader, NonUtf8BytesAreData) {
  const std::string latin1 = "caf\xE9";  // not valid UTF-8
  EXPECT_THAT(
      errors("id,external_assets,external_liabilities\n" + latin1 + ",1,0\nB,1,0\n", kEdgeHeader + latin1 + ",B,1\n"),
      IsEmpty());
  EXPECT_EQ(net_.ids[0], latin1);
  EXPECT_EQ(net_.edges.size(), 1u);
}

TEST_F(PlainNetworkReader, AVeryLongLineIsReportedAndSkipped) {
  const std::string long_line(10'000'000, 'x');  // 10 MB, no comma
  EXPECT_THAT(
      errors(kNodes, kEdgeHeader + "A,B,1\n" + long_line + "\nB,A,2\n" + long_line),
      ElementsAre("edges.csv:3:1: line longer than 1048576 bytes", "edges.csv:5:1: line longer than 1048576 bytes"));
  ASSERT_EQ(net_.edges.size(), 2u);
  EXPECT_EQ(net_.edge_lines[1], 4);
}

TEST_F(PlainNetworkReader, ABadNodeRowLeavesItsIdKnown) {
  // Rows with a bad number, a missing column and a duplicate: edge and shock rows naming
  // those ids are not "unknown"; other problems in those rows are still reported.
  EXPECT_THAT(errors("id,external_assets,external_liabilities\nA,ten,5\nB,8\nC,1,1\nC,2,2\n",
                     kEdgeHeader + "A,C,1\nB,C,1\nC,A,x\nC,B,1\n", "id,fraction\nA,0.5\nB,2\n"),
              ElementsAre("nodes.csv:2:3: external_assets: expected a number, got 'ten'",
                          "nodes.csv:3:1: expected 3 fields, got 2",
                          "nodes.csv:5:1: id: duplicate node id 'C' (first at line 4)",
                          "edges.csv:4:5: amount: expected a number, got 'x'",
                          "shock.csv:3:3: fraction: must be between 0 and 1, got 2"));
}

TEST_F(PlainNetworkReader, ANodesFileReadOnlyInPartLeavesTheOtherIdsUnjudged) {
  // A wrong header, or more nodes than --max-firms: every id of edges.csv and shock.csv past what
  // was read was reported as an unknown node (up to 100 false errors after the one real one).
  EXPECT_THAT(errors("ID,external_assets,external_liabilities\nA,10,5\nB,8,6\n", kEdgeHeader + "A,B,1\nB,A,x\n",
                     "id,fraction\nA,0.5\n"),
              ElementsAre("nodes.csv:1:1: expected the header 'id,external_assets,external_liabilities[,equity]', got "
                          "'ID,external_assets,external_liabilities'",
                          "edges.csv:3:5: amount: expected a number, got 'x'"));
  InputLimits two;
  two.max_firms = 2;
  EXPECT_THAT(
      errors("id,external_assets,external_liabilities\nA,10,5\nB,8,6\nC,1,1\n", kEdgeHeader + "A,C,1\n", "", two),
      ElementsAre("nodes.csv:4:1: more than 2 nodes (the limit; raise it with --max-firms)"));
}

TEST_F(PlainNetworkReader, DenseIdsAreParsedAndOtherIdsLookedUp) {
  // 0..n-1 in order: integers; "01" or "+1" is not the id "1".
  EXPECT_THAT(errors("id,external_assets,external_liabilities\n0,1,0\n1,1,0\n2,1,0\n",
                     kEdgeHeader + "0,1,1\n2,0,2\n01,2,1\n+1,2,1\n3,0,1\n"),
              ElementsAre("edges.csv:4:1: debtor: unknown node '01' (did you mean '0'?)",
                          "edges.csv:5:1: debtor: unknown node '+1' (did you mean '1'?)",
                          "edges.csv:6:1: debtor: unknown node '3' (did you mean '0'?)"));
  ASSERT_EQ(net_.edges.size(), 2u);
  EXPECT_EQ(net_.edges[1].debtor, 2u);
  // The same network with ids out of order takes the table; the indices are row order.
  EXPECT_THAT(errors("id,external_assets,external_liabilities\n2,1,0\n0,1,0\n1,1,0\n", kEdgeHeader + "0,1,1\n2,0,2\n"),
              IsEmpty());
  EXPECT_EQ(net_.edges[0].debtor, 1u);
  EXPECT_EQ(net_.edges[0].creditor, 2u);
  EXPECT_EQ(net_.edges[1].debtor, 0u);
}

TEST_F(PlainNetworkReader, ManyUnknownIdsStayCheapAndCapped) {
  std::string edges = kEdgeHeader;
  for (int i = 0; i < 200'000; ++i) edges += "nobody" + std::to_string(i) + ",A,1\n";
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> out = errors(kNodes, edges);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(out.size(), kMaxCsvErrorsPerFile + 1);
  EXPECT_EQ(out.back(), "edges.csv: 199900 more errors in this file are not listed");
  EXPECT_LT(seconds, 5.0) << "unknown ids must not be compared against every node once they are not listed";
}

TEST_F(PlainNetworkReader, ByIdFormMatchesIndexedForm) {
  write("nodes.csv", "id,external_assets,external_liabilities,equity\nx,10,5,3\ny,8,6,\n");
  write("edges.csv", kEdgeHeader + "x,y,2\n");
  write("shock.csv", "id,fraction\ny,0.25\n");
  Diagnostics diags;
  const PlainNetwork by_id = read_plain_network(dir_, diags);
  ASSERT_FALSE(diags.has_errors());
  const IndexedPlainNetwork indexed = index_plain_network(by_id);
  EXPECT_EQ(indexed.ids, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(indexed.equity[0], 3.0);
  EXPECT_EQ(indexed.equity[1], std::nullopt);
  ASSERT_EQ(indexed.edges.size(), 1u);
  EXPECT_EQ(indexed.edges[0].creditor, 1u);
  EXPECT_EQ(indexed.edge_location(0).line, 2);
  EXPECT_EQ(indexed.shocks[0].node, 1u);
  EXPECT_EQ(by_id.shocks[0].where.line, 2);
}

TEST_F(PlainNetworkReader, DecimalsReadExactlyAsFromChars) {
  // Amounts of every length up to 17 significant digits, with the point anywhere among the first
  // 16 places (amounts are at most 1e15): the reader's shortcut for plain decimals must give the
  // bits std::from_chars gives.
  std::mt19937_64 rng(5);
  std::string edges = kEdgeHeader;
  std::vector<double> expected;
  for (int row = 0; row < 20'000; ++row) {
    const int digits = 1 + static_cast<int>(rng() % 17);
    std::string text;
    for (int d = 0; d < digits; ++d) text += static_cast<char>('0' + (d == 0 ? 1 + rng() % 9 : rng() % 10));
    text.insert(rng() % (std::min<std::size_t>(text.size(), 15) + 1), ".");
    if (text == ".") text = "1";
    double value = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    expected.push_back(value);
    edges += "A,B," + text + "\n";
  }
  ASSERT_THAT(errors(kNodes, edges), IsEmpty());
  ASSERT_EQ(net_.edges.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) ASSERT_EQ(net_.edges[k].amount, expected[k]) << k;
}

}  // namespace
}  // namespace cascade
