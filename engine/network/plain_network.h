// The plain network format (docs/plain-network.md): a directory of CSV files for research data.
//
//   nodes.csv   id,external_assets,external_liabilities[,equity]
//   edges.csv   debtor,creditor,amount          (nominal liability of debtor to creditor)
//   shock.csv   id,fraction                     (optional: share of external assets lost)
//
// The reader checks everything a CSV can get wrong and reports each problem with file, line,
// column and column name (`edges.csv:5:9: amount: must be >= 0, got -2`):
//
//   Diagnostics diags;
//   IndexedPlainNetwork net = read_indexed_plain_network("tests/engine/contagion/data/ring", diags);
//   if (diags.has_errors()) ...   // `net` is then incomplete
//
// Two forms of the same data: `IndexedPlainNetwork`, with every id resolved to its node's
// index (16 bytes per edge row, each row's line in a few bytes per file: what `cascade clear`
// reads 10^7 edges into), and `PlainNetwork`, rows that name nodes by id (what the scenario
// loader and `cascade loops` use). Money is in the network's own unit (USD bn when it is part
// of a scenario).
//
// Reading is one pass over each file through a fixed buffer (engine/network/csv_reader.h), with
// no allocation per field. When the ids in nodes.csv are 0, 1, ..., n-1 in that order, ids in
// the other files are parsed as integers instead of looked up, and plain rows (integer ids,
// plain decimals, LF endings) are taken straight from the buffer, each byte read once
// (engine/network/plain_rows.h); any other row goes through the checked path.
//
// An id in nodes.csv is known from its row on, even when the row has other errors: edge and
// shock rows that name it are not reported as unknown (they are checked otherwise, and left
// out of the network, which is incomplete anyway).
//
// Thread safety: plain values; the reader functions share nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/limits.h"
#include "engine/network/csv_reader.h"
#include "engine/network/row_lines.h"

namespace cascade {

struct PlainNetwork {
  struct Node {
    std::string id;
    double external_assets = 0.0;       ///< >= 0
    double external_liabilities = 0.0;  ///< >= 0
    /// When given, equal (to 1e-9 relative) to external_assets + interbank assets -
    /// external_liabilities - interbank liabilities.
    std::optional<double> equity;
    SourceLocation where;
  };
  struct Edge {
    std::string debtor;    ///< a node id
    std::string creditor;  ///< a node id, not the debtor
    double amount = 0.0;   ///< > 0
    SourceLocation where;
  };
  struct ShockRow {
    std::string id;         ///< a node id, at most one row per node
    double fraction = 0.0;  ///< in [0, 1]
    SourceLocation where;
  };
  std::vector<Node> nodes;  ///< in file order
  std::vector<Edge> edges;  ///< in file order
  std::vector<ShockRow> shocks;
};

/// The same data with node references as dense indices (nodes.csv order), in parallel arrays.
struct IndexedPlainNetwork {
  /// Nominal liability of `debtor` to `creditor` (node indices, different), `amount` > 0.
  struct Edge {
    std::uint32_t debtor = 0;
    std::uint32_t creditor = 0;
    double amount = 0.0;
    bool operator==(const Edge&) const = default;
  };
  struct Shock {
    std::uint32_t node = 0;
    double fraction = 0.0;  ///< in [0, 1]
    bool operator==(const Shock&) const = default;
  };

  FileName nodes_file, edges_file, shock_file;     ///< as opened, for locations (shared by them)
  std::vector<std::string> ids;                    ///< per node
  std::vector<double> external_assets;             ///< per node, >= 0
  std::vector<double> external_liabilities;        ///< per node, >= 0
  std::vector<std::optional<double>> equity;       ///< per node, checked as in PlainNetwork
  std::vector<int> node_lines;                     ///< per node: its line in nodes.csv
  std::vector<Edge> edges;                         ///< in file order
  RowLines edge_lines;                             ///< per edge
  std::vector<Shock> shocks;                       ///< in file order, at most one per node
  std::vector<int> shock_lines;                    ///< per shock

  std::size_t size() const { return ids.size(); }
  SourceLocation node_location(std::size_t i) const { return {nodes_file, node_lines[i], 1}; }
  SourceLocation edge_location(std::size_t k) const { return {edges_file, edge_lines[k], 1}; }
  SourceLocation shock_location(std::size_t k) const { return {shock_file, shock_lines[k], 1}; }
};

/// Reads `dir`/nodes.csv, `dir`/edges.csv and, when present, `dir`/shock.csv. Every problem
/// goes to `diags` (at most kMaxCsvErrorsPerFile per file, then a count of the rest). Rows past
/// `limits.max_firms` nodes or `limits.max_exposures` edges are reported and not read, so
/// memory stays within the limits whatever the files hold. Amounts are at most kMaxInputAmount.
/// With `threads` > 1, a large edges.csv is read in two parts at once: the first with every
/// check, the second on another thread as long as its rows are plain (`debtor,creditor,amount`
/// with known ids and a plain decimal); at the first row that is not, the first reader reads on
/// instead. The network and the diagnostics are the same for any `threads`.
IndexedPlainNetwork read_indexed_plain_network(const std::filesystem::path& dir, Diagnostics& diags,
                                               const InputLimits& limits = InputLimits::for_plain_networks(),
                                               int threads = 1);

/// The same, as rows that name nodes by id.
PlainNetwork read_plain_network(const std::filesystem::path& dir, Diagnostics& diags,
                                const InputLimits& limits = InputLimits::for_plain_networks());

/// `plain` with ids resolved. Precondition (InternalError otherwise): every id an edge or
/// shock names is a node's, as read_plain_network guarantees when it reports no error.
IndexedPlainNetwork index_plain_network(const PlainNetwork& plain);

}  // namespace cascade
