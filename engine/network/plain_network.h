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
//   PlainNetwork net = read_plain_network("tests/engine/contagion/data/ring", diags);
//   if (diags.has_errors()) ...   // `net` is then incomplete
//
// Used by the scenario loader (`networks:`) and by `cascade clear`. Money is in the network's
// own unit (USD bn when it is part of a scenario).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"

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

/// Reads `dir`/nodes.csv, `dir`/edges.csv and, when present, `dir`/shock.csv. Every problem
/// goes to `diags` (at most kMaxCsvErrorsPerFile per file, then a count of the rest).
PlainNetwork read_plain_network(const std::filesystem::path& dir, Diagnostics& diags);

/// Errors listed per CSV file before the rest are only counted.
inline constexpr std::size_t kMaxCsvErrorsPerFile = 100;

}  // namespace cascade
