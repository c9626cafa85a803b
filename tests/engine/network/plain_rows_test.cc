// The shortcut for plain rows (engine/network/plain_rows.h): whatever a row holds, the shortcut
// either declines it or takes exactly what the line-by-line path takes from it.
#include "engine/network/plain_rows.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "engine/core/limits.h"

namespace cascade {
namespace {

/// A random line that is often a plain edge row and often almost one: ids with leading zeros,
/// blanks, quotes, signs, exponents, CRs, extra commas, long digit runs.
std::string random_edge_line(std::mt19937_64& rng) {
  const auto digits = [&](std::size_t max_length) {
    std::string s;
    const std::size_t length = rng() % (max_length + 1);
    for (std::size_t k = 0; k < length; ++k) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  const auto noise = [&](std::string s) {
    static constexpr std::string_view kNoise = " \t\"\r+-e.,x";
    if (rng() % 8 == 0) s.insert(rng() % (s.size() + 1), 1, kNoise[rng() % kNoise.size()]);
    return s;
  };
  const auto id = [&] { return noise(rng() % 4 == 0 ? digits(12) : std::to_string(rng() % 1200)); };
  std::string amount = digits(rng() % 3 == 0 ? 26 : 6);
  if (rng() % 4 != 0) amount.insert(rng() % (amount.size() + 1), ".");
  return id() + "," + id() + "," + noise(amount);
}

TEST(PlainRows, AnEdgeRowTakesWhatPlainEdgeTakesFromItsLine) {
  std::mt19937_64 rng(5);
  int taken = 0, declined_plain = 0;
  for (int i = 0; i < 300'000; ++i) {
    const std::string line = random_edge_line(rng);
    const std::size_t bound = rng() % 2 == 0 ? 1000 : std::size_t{1} << 32;
    const auto find = [bound](std::string_view id) { return canonical_index(id, bound).value_or(kUnknownNode); };
    // What CsvReader::next_line would give for the line: without a trailing CR.
    const std::string_view next_line =
        !line.empty() && line.back() == '\r' ? std::string_view(line).substr(0, line.size() - 1) : line;
    const std::optional<IndexedPlainNetwork::Edge> expected = plain_edge(next_line, find);
    const std::string lines = line + "\n7,8,9\n";
    IndexedPlainNetwork::Edge edge{};
    const std::size_t bytes = plain_edge_row(lines, bound, edge);
    if (bytes == 0) {
      // Declined: fine for a row the line-by-line path reads otherwise, or one ending in a CR.
      if (expected && line.find('\r') == std::string::npos) ADD_FAILURE() << "a plain row declined: " << line;
      declined_plain += expected ? 1 : 0;
      continue;
    }
    ++taken;
    ASSERT_EQ(bytes, line.size() + 1) << line;
    ASSERT_TRUE(expected.has_value()) << "taken but not plain: " << line;
    EXPECT_EQ(edge.debtor, expected->debtor) << line;
    EXPECT_EQ(edge.creditor, expected->creditor) << line;
    EXPECT_EQ(std::memcmp(&edge.amount, &expected->amount, sizeof(double)), 0) << line;
  }
  EXPECT_GT(taken, 50'000);  // both outcomes are exercised
  EXPECT_LT(declined_plain, taken);
}

TEST(PlainRows, AnEdgeRowNeedsItsLineFeed) {
  IndexedPlainNetwork::Edge edge{};
  EXPECT_EQ(plain_edge_row("0,17,2.5\n1,2,3\n", 100, edge), 9u);
  EXPECT_EQ(edge.debtor, 0u);
  EXPECT_EQ(edge.creditor, 17u);
  EXPECT_EQ(edge.amount, 2.5);
  EXPECT_EQ(plain_edge_row("0,17,2.5", 100, edge), 0u);      // the end of the buffer, not of a line
  EXPECT_EQ(plain_edge_row("0,17,2.5\r\n", 100, edge), 0u);  // CRLF: the line-by-line path
  EXPECT_EQ(plain_edge_row("0,100,2.5\n", 100, edge), 0u);   // an index out of bounds
  EXPECT_EQ(plain_edge_row("", 100, edge), 0u);
}

TEST(PlainRows, ANodeRowTakesOnlyTheNextIdAndPlainAmounts) {
  PlainNodeRow row;
  EXPECT_EQ(plain_node_row("12,1.5,20\n13,1,1\n", 12, row), 10u);
  EXPECT_EQ(row.id, "12");
  EXPECT_EQ(row.external_assets, 1.5);
  EXPECT_EQ(row.external_liabilities, 20.0);
  EXPECT_EQ(plain_node_row("12,1.5,20\n", 11, row), 0u);  // not the next id
  EXPECT_EQ(plain_node_row("12,1.5,20\n", 13, row), 0u);
  EXPECT_EQ(plain_node_row("012,1.5,20\n", 12, row), 0u);
  for (const char* line :
       {"0,1,1", "0,1,1\r\n", "0,-1,1\n", "0,1,1e3\n", "0,1,1,5\n", "0, 1,1\n", "\"0\",1,1\n", "0,,1\n", "0,1\n"})
    EXPECT_EQ(plain_node_row(line, 0, row), 0u) << line;
  // The largest plain decimal (15 digits) is within kMaxInputAmount.
  EXPECT_EQ(plain_node_row("0,999999999999999,0\n", 0, row), 20u);
  EXPECT_LT(row.external_assets, kMaxInputAmount);
}

TEST(PlainRows, PrefixesAgreeWithTheWholeFieldForms) {
  std::mt19937_64 rng(8);
  static constexpr std::string_view kAlphabet = "0123456789.,x";
  for (int i = 0; i < 200'000; ++i) {
    std::string text;
    for (std::size_t k = rng() % 30; k > 0; --k) text += kAlphabet[rng() % (rng() % 2 ? 10 : kAlphabet.size())];
    std::size_t length = 0;
    double value = 0.0;
    const bool decimal = plain_decimal_prefix(text, length, value);
    ASSERT_LE(length, text.size());
    const std::optional<double> whole_decimal = plain_decimal(text.substr(0, length));
    EXPECT_EQ(decimal, whole_decimal.has_value()) << text;
    if (decimal && whole_decimal) {
      EXPECT_EQ(value, *whole_decimal) << text;
    }
    if (length == text.size()) {
      EXPECT_EQ(plain_decimal(text), decimal ? std::optional<double>(value) : std::nullopt) << text;
    }
    std::uint32_t index = 0;
    const bool canonical = canonical_index_prefix(text, 5000, length, index);
    const std::optional<std::uint32_t> whole_index = canonical_index(text.substr(0, length), 5000);
    EXPECT_EQ(canonical, whole_index.has_value()) << text;
    if (canonical && whole_index) {
      EXPECT_EQ(index, *whole_index) << text;
    }
    if (length < text.size() && length <= 10) {
      EXPECT_FALSE(text[length] >= '0' && text[length] <= '9') << text;
    }
  }
}

}  // namespace
}  // namespace cascade
