// The shortcut for plain rows of the plain network format (docs/plain-network.md): rows with
// ids 0..n-1 written as integers, plain decimals and nothing else (no quotes, padding, signs or
// exponents), which generated and most exported files consist of. Each function takes what
// the checked path of engine/network/plain_network.cc would take from such a row, the same
// values, or declines the row, which that path then reads; so the network and the diagnostics
// do not depend on which rows the shortcut took.
//
//   IndexedPlainNetwork::Edge edge;
//   plain_edge_row("0,17,2.5\n1,...", 100, edge) == 9   // bytes taken, its LF included
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "engine/network/csv_reader.h"
#include "engine/network/plain_network.h"

namespace cascade {

/// What a node lookup gives for an id that names no good node: the id of a row with errors,
/// and an id not in nodes.csv. Good nodes are below both.
inline constexpr std::uint32_t kBadRowNode = std::numeric_limits<std::uint32_t>::max() - 1;
inline constexpr std::uint32_t kUnknownNode = std::numeric_limits<std::uint32_t>::max();

/// `text` as the canonical decimal of an index below `bound` ("0", "17"; not "017", "+1").
std::optional<std::uint32_t> canonical_index(std::string_view text, std::size_t bound);

/// canonical_index of the longest prefix of `text` made of digits, whose length goes to
/// `length`: true with the index in `index` when canonical_index accepts that prefix.
/// canonical_index(t) is this when the prefix is all of t. Inline, with no std::optional: the
/// shortcut calls it twice per row.
inline bool canonical_index_prefix(std::string_view text, std::size_t bound, std::size_t& length,
                                   std::uint32_t& index) {
  constexpr std::size_t kMaxDigits = 10;  // an index is below 2^32
  std::uint64_t value = 0;
  std::size_t at = 0;
  for (; at < text.size() && at <= kMaxDigits; ++at) {  // one digit past the longest, to reject it
    const char c = text[at];
    if (c < '0' || c > '9') break;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  length = at;
  if (at == 0 || at > kMaxDigits || (at > 1 && text[0] == '0') || value >= bound) return false;
  index = static_cast<std::uint32_t>(value);
  return true;
}

/// A line of edges.csv as CsvReader::next_line gives it, when it is a plain row
/// (`debtor,creditor,amount` with ids `find` knows, that differ, and a plain decimal > 0, no
/// quotes or padding): its edge; nullopt for anything else, which the checked path reads.
/// `find(id)` gives a node index, kBadRowNode or kUnknownNode.
template <typename Find>
std::optional<IndexedPlainNetwork::Edge> plain_edge(std::string_view line, const Find& find) {
  const std::size_t first = line.find(',');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = line.find(',', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto verbatim = [](std::string_view field) {  // what the checked path would neither unquote nor trim
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    return !field.empty() && field.front() != '"' && !blank(field.front()) && !blank(field.back());
  };
  const std::string_view debtor = line.substr(0, first), creditor = line.substr(first + 1, second - first - 1);
  if (!verbatim(debtor) || !verbatim(creditor)) return std::nullopt;
  const std::uint32_t d = find(debtor), c = find(creditor);
  const std::optional<double> amount = plain_decimal(line.substr(second + 1));  // a third comma fails here
  if (d >= kBadRowNode || c >= kBadRowNode || d == c || !amount || !(*amount > 0.0)) return std::nullopt;
  return IndexedPlainNetwork::Edge{d, c, *amount};
}

/// The first line of `lines` (CsvReader::buffered_lines) when it is `debtor,creditor,amount`
/// and a LF, its ids canonical indices below `bound`: the bytes it takes, LF included, with its
/// edge in `edge`; 0 for anything else. On such a line it agrees with plain_edge with
/// canonical_index(id, bound) as `find`, reading each byte once.
std::size_t plain_edge_row(std::string_view lines, std::size_t bound, IndexedPlainNetwork::Edge& edge);

/// A plain row of a three-column nodes.csv: the node's id, external assets and liabilities.
struct PlainNodeRow {
  std::string_view id;
  double external_assets = 0.0;
  double external_liabilities = 0.0;
};

/// The first line of `lines` when it is `id,external_assets,external_liabilities` and a LF,
/// the id the canonical decimal of `index` and both amounts plain decimals within
/// kMaxInputAmount: the bytes it takes, LF included, with the row in `row`; 0 for anything else.
std::size_t plain_node_row(std::string_view lines, std::uint32_t index, PlainNodeRow& row);

}  // namespace cascade
