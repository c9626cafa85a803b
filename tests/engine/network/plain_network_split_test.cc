// A large edges.csv read in two parts at once (read_indexed_plain_network with threads > 1,
// engine/network/plain_network.h) gives the network and the diagnostics of one reader: the same
// edges in the same order, the same line of each, the same errors at the same lines, whatever
// the second part holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/network/plain_network.h"
#include "tests/support/plain_network_fixture.h"

namespace cascade {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int kNodes = 5000;
/// Rows enough for an edges.csv above the 4 MiB where reading splits (about 6 MB).
constexpr int kRows = 300'000;

class SplitEdges : public testing::PlainNetworkFixture {
 protected:
  struct Read {
    IndexedPlainNetwork net;
    std::vector<std::string> errors;
  };

  /// nodes.csv of kNodes ids (`prefix` + 0, 1, ..., kNodes - 1; negative assets at `bad_node`),
  /// then `extra_nodes`; and
  /// edges.csv: kRows plain rows naming those ids, row r replaced by `replacements` where given
  /// (row r is line r + 2).
  void write_files(const std::vector<std::pair<int, std::string>>& replacements = {}, const std::string& prefix = "",
                   const std::string& extra_nodes = "", int bad_node = -1) {
    std::string nodes = "id,external_assets,external_liabilities\n";
    for (int i = 0; i < kNodes; ++i) nodes += prefix + std::to_string(i) + (i == bad_node ? ",-1,50\n" : ",100,50\n");
    write("nodes.csv", nodes + extra_nodes);
    std::string edges = "debtor,creditor,amount\n";
    std::size_t next = 0;
    for (int r = 0; r < kRows; ++r) {
      if (next < replacements.size() && replacements[next].first == r) {
        edges += replacements[next++].second + "\n";
        continue;
      }
      const std::int64_t debtor = std::int64_t{r} * 7919 % kNodes;
      const std::int64_t creditor = (debtor + 1 + r % 97) % kNodes;
      edges += prefix + std::to_string(debtor) + "," + prefix + std::to_string(creditor) + "," +
               std::to_string(r % 1000) + "." + std::to_string(1 + r % 89) + "\n";
    }
    write("edges.csv", edges);
    ASSERT_GT(std::filesystem::file_size(dir_ / "edges.csv"), std::uintmax_t{4} << 20);
  }

  Read read(int threads, const InputLimits& limits = InputLimits::for_plain_networks()) const {
    Read out;
    Diagnostics diags;
    out.net = read_indexed_plain_network(dir_, diags, limits, threads);
    for (Diagnostic d : diags.errors()) {
      d.where.file = std::filesystem::path(d.where.file.str()).filename().string();
      out.errors.push_back(d.format());
    }
    return out;
  }

  /// Reads with one thread and with two and expects the same; returns the two-thread read.
  Read read_both_ways(const InputLimits& limits = InputLimits::for_plain_networks()) const {
    const Read one = read(1, limits);
    Read two = read(2, limits);
    EXPECT_EQ(two.errors, one.errors);
    EXPECT_EQ(two.net.edge_lines, one.net.edge_lines);
    EXPECT_EQ(two.net.edges.size(), one.net.edges.size());
    for (std::size_t k = 0; k < std::min(one.net.edges.size(), two.net.edges.size()); ++k) {
      const IndexedPlainNetwork::Edge &a = one.net.edges[k], &b = two.net.edges[k];
      if (a.debtor != b.debtor || a.creditor != b.creditor || a.amount != b.amount) {
        ADD_FAILURE() << "edge " << k << " differs";
        break;
      }
    }
    return two;
  }
};

TEST_F(SplitEdges, PlainRowsAreReadInOrderWithTheirLines) {
  write_files();
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_EQ(r.net.edges.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(r.net.edge_lines.front(), 2);
  EXPECT_EQ(r.net.edge_lines.back(), kRows + 1);
  // Row 250,000, in the second part: debtor 250000 * 7919 mod 5000 = 0, amount "0." followed by
  // 1 + 250000 mod 89 = 89: 0.89.
  EXPECT_EQ(r.net.edges[250'000].debtor, 0u);
  EXPECT_EQ(r.net.edges[250'000].amount, 0.89);
}

TEST_F(SplitEdges, RowsThatAreNotPlainInTheSecondPartAreStillRead) {
  // Valid rows the plain shortcut does not take: quotes, padding, an exponent, CRLF, and a
  // blank line (skipped, but counted in the line numbers).
  write_files(
      {{200'000, "\"1\",2,3"}, {210'000, "  4 , 5 ,6"}, {220'000, "7,8,1e-3"}, {230'000, "9,10,2\r"}, {240'000, ""}});
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_EQ(r.net.edges.size(), static_cast<std::size_t>(kRows - 1));
  EXPECT_EQ(r.net.edges[220'000].amount, 1e-3);
  EXPECT_EQ(r.net.edge_lines[240'000], 240'003);  // the row after the blank line
}

TEST_F(SplitEdges, ErrorsInTheSecondPartAreReportedAtTheirLines) {
  write_files({{260'000, "x,1,2"}, {270'000, "3,3,1"}, {280'000, "4,5,0"}});
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, ElementsAre("edges.csv:260002:1: debtor: unknown node 'x' (did you mean '0'?)",
                                    "edges.csv:270002:3: creditor: debtor and creditor are the same node '3'",
                                    "edges.csv:280002:5: amount: must be > 0, got 0"));
}

TEST_F(SplitEdges, ErrorsInTheFirstPartOnly) {
  write_files({{10, "1,2,-1"}});
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, ElementsAre("edges.csv:12:5: amount: must be > 0, got -1"));
  EXPECT_EQ(r.net.edges.size(), static_cast<std::size_t>(kRows - 1));
}

// With ids 0, 1, ..., n-1 the second part is read before nodes.csv is, its ids taken as those
// indices; it is kept only if they were.
TEST_F(SplitEdges, IdsReadBeforeTheNodesAreCheckedAgainstThem) {
  write_files({{250'000, "4999,0,1.5"}, {260'000, "5000,1,2"}, {270'000, "12,40000,3"}});
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, ElementsAre("edges.csv:260002:1: debtor: unknown node '5000' (did you mean '500'?)",
                                    "edges.csv:270002:4: creditor: unknown node '40000' (did you mean '4000'?)"));
  ASSERT_EQ(r.net.edges.size(), static_cast<std::size_t>(kRows - 2));
  EXPECT_EQ(r.net.edges[250'000].debtor, 4999u);
}

TEST_F(SplitEdges, NodesThatAreNotZeroToNMinusOneAfterAll) {
  // The first id is 0, so the second part is read early; an id out of the run, or a row in error
  // (its id gets no index: every later node's index is one lower), means that reading is dropped.
  write_files({}, "", "extra,1,1\n");
  EXPECT_THAT(read_both_ways().errors, IsEmpty());
  write_files({}, "", "", 17);
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, ElementsAre("nodes.csv:19:4: external_assets: must be >= 0, got -1"));
  EXPECT_EQ(r.net.ids[17], "18");
}

TEST_F(SplitEdges, NamedIdsAreSplitToo) {
  write_files({{260'000, "n7,n7,1"}}, "n");
  const Read r = read_both_ways();
  EXPECT_THAT(r.errors, ElementsAre("edges.csv:260002:4: creditor: debtor and creditor are the same node 'n7'"));
  ASSERT_EQ(r.net.edges.size(), static_cast<std::size_t>(kRows - 1));
  EXPECT_EQ(r.net.edges[250'000].debtor, 0u);
}

TEST_F(SplitEdges, TheRowLimitIsReportedAtTheSameRow) {
  write_files();
  InputLimits limits = InputLimits::for_plain_networks();
  limits.max_exposures = 200'000;  // past the first part, before the end
  const Read r = read_both_ways(limits);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], ::testing::StartsWith("edges.csv:200002:1: "));
  EXPECT_EQ(r.net.edges.size(), 200'000u);
}

/// `text` with every LF made CRLF.
std::string with_crlf(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

TEST_F(SplitEdges, PlainRowsTakenFromTheBufferReadAsTheCheckedPathReadsThem) {
  // Rows of many kinds at random. Written with LF, the plain ones are taken straight from the
  // buffer (engine/network/plain_rows.h); written with CRLF, every row goes through the checked
  // path. Both must give the same network and the same errors, on one thread and on two.
  std::mt19937_64 rng(3);
  std::string nodes = "id,external_assets,external_liabilities\n";
  for (int i = 0; i < kNodes; ++i) {
    const std::string id = std::to_string(i);
    switch (rng() % 8) {
      case 0:
        nodes += "\"" + id + "\",1e2,5\n";
        break;  // valid, not plain
      case 1:
        nodes += " " + id + " ,100.25, 7\n";
        break;  // padded
      default:
        nodes += id + "," + std::to_string(rng() % 1000) + "." + std::to_string(rng() % 100) + ",50\n";
    }
  }
  static const std::vector<std::string> kOtherRows{"\"1\",2,3",
                                                   " 4 , 5 ,6",
                                                   "7,8,1e-3",
                                                   "9,10,+2",
                                                   "",
                                                   "x,1,2",
                                                   "3,3,1",
                                                   "4,5,0",
                                                   "4,5,-1",
                                                   "01,2,3",
                                                   "1,2,3,4",
                                                   "1,2",
                                                   "1,2,0.0000000000000000000000001",
                                                   "1,2,1234567890123456",
                                                   "1,99999,1",
                                                   "1,2,.",
                                                   "1,2,3.",
                                                   "1,2,.5",
                                                   "1,,2",
                                                   "\"1,2,3"};
  std::string edges = "debtor,creditor,amount\n";
  for (int r = 0; r < kRows; ++r) {
    if (rng() % 16 == 0) {
      edges += kOtherRows[rng() % kOtherRows.size()] + "\n";
      continue;
    }
    const std::uint64_t debtor = rng() % kNodes, creditor = (debtor + 1 + rng() % (kNodes - 1)) % kNodes;
    edges += std::to_string(debtor) + "," + std::to_string(creditor) + "," + std::to_string(rng() % 10'000) + "." +
             std::to_string(rng() % 10'000) + "\n";
  }
  write("nodes.csv", nodes);
  write("edges.csv", edges);
  const Read lf = read_both_ways();
  write("nodes.csv", with_crlf(nodes));
  write("edges.csv", with_crlf(edges));
  const Read crlf = read_both_ways();
  EXPECT_EQ(lf.errors, crlf.errors);
  EXPECT_EQ(lf.errors.size(), 101u);  // 100 listed and a count of the rest: errors were made
  EXPECT_EQ(lf.net.ids, crlf.net.ids);
  EXPECT_EQ(lf.net.external_assets, crlf.net.external_assets);
  EXPECT_EQ(lf.net.external_liabilities, crlf.net.external_liabilities);
  EXPECT_EQ(lf.net.node_lines, crlf.net.node_lines);
  EXPECT_EQ(lf.net.edge_lines, crlf.net.edge_lines);
  ASSERT_EQ(lf.net.edges.size(), crlf.net.edges.size());
  EXPECT_GT(lf.net.edges.size(), static_cast<std::size_t>(kRows) * 9 / 10);
  EXPECT_TRUE(std::equal(lf.net.edges.begin(), lf.net.edges.end(), crlf.net.edges.begin()));
}

}  // namespace
}  // namespace cascade
