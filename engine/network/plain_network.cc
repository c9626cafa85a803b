#include "engine/network/plain_network.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "engine/core/huge_pages.h"
#include "engine/core/parallel_for.h"
#include "engine/network/node_index.h"
#include "engine/network/plain_rows.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;

/// Rows read before the rest are counted from the file size and memory reserved for them.
constexpr std::size_t kRowsBeforeReserving = 4096;
/// Node indices are 32-bit; the largest values mark ids of rows with errors and unknown ids.
constexpr std::size_t kMaxNodes = std::numeric_limits<std::uint32_t>::max() - 2;

constexpr std::array<std::string_view, 3> kNodeColumns{"id", "external_assets", "external_liabilities"};
constexpr std::array<std::string_view, 3> kEdgeColumns{"debtor", "creditor", "amount"};
constexpr std::array<std::string_view, 2> kShockColumns{"id", "fraction"};
// Amounts are bounded (engine/core/limits.h) so that sums over every row stay finite.
constexpr NumberRange kNonNegative{.min = 0.0, .max = kMaxInputAmount};
constexpr NumberRange kPositive{.min = 0.0, .min_exclusive = true, .max = kMaxInputAmount};
constexpr NumberRange kFraction{.min = 0.0, .max = 1.0};
constexpr NumberRange kSignedAmount{.min = -kMaxInputAmount, .max = kMaxInputAmount};

std::string format_number(double v) {
  if (std::trunc(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

/// Rows to reserve room for once kRowsBeforeReserving were read: the file's estimate, capped by
/// the limit, and a little spare.
std::size_t rows_to_reserve(const CsvReader& csv, std::uint64_t limit) {
  const std::size_t estimate = std::min<std::size_t>(csv.estimated_rows(), limit);
  return estimate + estimate / 16;
}

/// Takes the plain rows at the front of `csv`'s buffer (plain_edge_row, ids below `bound`) into
/// `edges` and `lines`, counting them in `rows`, until a row is not plain, no whole line is
/// buffered or `max_rows` rows are counted: those are left to the checked path. `reserve()`
/// runs where the checked path reserves, after kRowsBeforeReserving edges.
template <typename Reserve>
void take_plain_edges(CsvReader& csv, std::size_t bound, std::uint64_t max_rows, std::uint64_t& rows,
                      std::vector<IndexedPlainNetwork::Edge>& edges, RowLines& lines, const Reserve& reserve) {
  IndexedPlainNetwork::Edge edge;
  for (std::string_view buffered = csv.buffered_lines(); rows < max_rows; ++rows) {
    const std::size_t bytes = plain_edge_row(buffered, bound, edge);
    if (bytes == 0) return;
    buffered.remove_prefix(bytes);
    csv.take_line(bytes);
    if (edges.size() == kRowsBeforeReserving) reserve();
    edges.push_back(edge);
    lines.push_back(csv.line());
  }
}

/// Reads nodes.csv; `equity_columns[i]` is where node i's equity is written. True when the
/// file was read without errors.
bool read_nodes(const fs::path& path, IndexedPlainNetwork& net, NodeIndex& index, std::vector<int>& equity_columns,
                const InputLimits& limits, Diagnostics& diags) {
  CsvReader csv(path, diags);
  net.nodes_file = csv.name();
  if (!csv.open(CsvReader::required)) {
    index.mark_incomplete();
    return false;
  }
  const std::size_t columns = csv.header(kNodeColumns, "equity");
  if (columns == 0) index.mark_incomplete();
  std::uint64_t rows = 0;  // with errors or not: the ids of both are kept
  const auto reserve = [&] {
    const std::size_t capacity = rows_to_reserve(csv, limits.max_firms);
    reserve_huge(net.ids, capacity);
    reserve_huge(net.external_assets, capacity);
    reserve_huge(net.external_liabilities, capacity);
    reserve_huge(net.equity, capacity);
    reserve_huge(net.node_lines, capacity);
    reserve_huge(equity_columns, capacity);
  };
  const auto add = [&](std::string_view id, double assets, double liabilities, std::optional<double> equity,
                       int equity_column) {
    if (net.ids.size() == kRowsBeforeReserving) reserve();
    net.ids.emplace_back(id);
    net.external_assets.push_back(assets);
    net.external_liabilities.push_back(liabilities);
    net.equity.push_back(equity);
    net.node_lines.push_back(csv.line());
    equity_columns.push_back(equity_column);
  };
  // Plain rows with the next id, straight from the buffer (plain_node_row), then a row the
  // checked path reads, and so on.
  const auto take_plain_rows = [&] {
    if (columns != kNodeColumns.size() || !index.dense()) return;
    PlainNodeRow row;
    for (std::string_view buffered = csv.buffered_lines(); rows < limits.max_firms && net.ids.size() < kMaxNodes;
         ++rows) {
      const std::size_t bytes = plain_node_row(buffered, static_cast<std::uint32_t>(net.ids.size()), row);
      if (bytes == 0) return;
      csv.take_line(bytes);
      add(row.id, row.external_assets, row.external_liabilities, std::nullopt, 0);  // the index stays dense
      buffered.remove_prefix(bytes);  // after add: row.id is a view into it
    }
  };
  while (columns != 0 && (take_plain_rows(), csv.next_row())) {
    if (++rows > limits.max_firms) {
      csv.error(csv.line(), 1, "", limit_message("nodes", limits.max_firms, "--max-firms"));
      index.mark_incomplete();
      break;
    }
    const std::string_view id = csv.field(0).text;
    bool ok = csv.check_field_count(columns);
    if (id.empty()) {
      if (ok) csv.error(csv.line(), csv.field(0).column, "id", "must not be empty");
      ok = false;
    } else if (const std::optional<int> first = index.first_line(id, net.node_lines)) {
      csv.error(csv.line(), csv.field(0).column, "id",
                "duplicate node id '" + excerpt(id) + "' (first at line " + std::to_string(*first) + ")");
      continue;
    } else if (net.ids.size() == kMaxNodes) {
      csv.error(csv.line(), 1, "", "too many nodes (at most " + std::to_string(kMaxNodes) + ")");
      index.mark_incomplete();
      break;
    }
    std::optional<double> assets, liabilities, equity;
    if (ok) {
      assets = csv.number(csv.field(1), "external_assets", kNonNegative);
      liabilities = csv.number(csv.field(2), "external_liabilities", kNonNegative);
      if (columns == 4 && !csv.field(3).text.empty()) {
        equity = csv.number(csv.field(3), "equity", kSignedAmount);
        ok = equity.has_value();
      }
    }
    if (!ok || !assets || !liabilities) {
      if (!id.empty()) index.added_bad_row(id, csv.line());
      continue;
    }
    add(id, *assets, *liabilities, equity, columns == 4 ? csv.field(3).column : 0);
    index.added_node();
  }
  csv.finish();
  return columns != 0 && csv.error_count() == 0;
}

/// edges.csv files at least this large are read in two parts at once when threads allow.
constexpr std::uint64_t kSplitEdgesFromBytes = std::uint64_t{4} << 20;

/// Where the second part of a split edges.csv starts: just after the first LF past
/// `first_share` of its bytes, or 0 (no split) for a small or irregular file or no LF within a
/// line's length.
std::uint64_t split_point(const fs::path& path, double first_share) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return 0;
  const std::uint64_t size = fs::file_size(path, ec);
  if (ec || size < kSplitEdgesFromBytes) return 0;
  const auto middle = static_cast<std::uint64_t>(static_cast<double>(size) * first_share);
  std::ifstream in(path, std::ios::binary);
  if (!in.seekg(static_cast<std::streamoff>(middle))) return 0;
  const std::uint64_t end = std::min(size, middle + kMaxCsvLineBytes);  // an LF must come within a line
  std::array<char, 4096> block{};                                       // lines are short: a block at a time
  for (std::uint64_t at = middle; at < end; at += block.size()) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), end - at));
    if (!in.read(block.data(), static_cast<std::streamsize>(want))) return 0;
    const char* const lf = std::find(block.data(), block.data() + want, '\n');
    if (lf == block.data() + want) continue;
    const std::uint64_t split = at + static_cast<std::uint64_t>(lf - block.data()) + 1;
    return split >= size ? 0 : split;
  }
  return 0;
}

/// Whether nodes.csv is a regular file whose first row (after its header) has the id 0: the ids
/// are then likely 0, 1, ..., n-1, and edges.csv can be read before they are known
/// (read_indexed_plain_network). Anything else (a FIFO would block here) is left to CsvReader.
bool first_node_id_is_zero(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  const std::size_t lf = head.find('\n');
  return lf != std::string::npos && head.compare(lf + 1, 2, "0,") == 0;
}

/// The second part of a split edges.csv, read while the first is: plain rows only.
struct EdgeTail {
  std::vector<IndexedPlainNetwork::Edge> edges;
  RowLines lines;  ///< counted from the part's first line (1)
  std::uint64_t rows = 0;
  bool ok = false;               ///< every row was plain and the part was read to its end
  std::uint32_t most_nodes = 0;  ///< read without an index: 1 + the largest index named (0: none)
};

/// Reads the second part of edges.csv from `begin_byte`, each id looked up in `index`, or, with
/// no index, taken as the index it would have if nodes.csv holds 0, 1, ..., n-1 (the caller
/// checks that afterwards against most_nodes).
EdgeTail read_plain_tail(const fs::path& path, std::uint64_t begin_byte, const NodeIndex* index,
                         std::uint64_t max_rows) {
  EdgeTail tail;
  const auto find = [&](std::string_view id) {
    if (index != nullptr) return index->find(id);
    return canonical_index(id, kMaxNodes).value_or(NodeIndex::kUnknown);
  };
  Diagnostics part_diags;  // a plain row reports nothing: any report sends the part back to the checked reader
  CsvReader csv(path, part_diags);
  if (!csv.open(CsvReader::required, begin_byte, CsvReader::kWholeFile)) return tail;
  const auto reserve = [&] {  // the file's rows times this part's share of its bytes
    std::error_code ec;
    const double bytes = static_cast<double>(fs::file_size(path, ec));
    const double share = ec || bytes == 0.0 ? 1.0 : 1.0 - static_cast<double>(begin_byte) / bytes;
    reserve_huge(tail.edges, static_cast<std::size_t>(static_cast<double>(rows_to_reserve(csv, max_rows)) * share));
  };
  std::string_view line;
  for (;;) {
    if (index == nullptr || index->dense())
      take_plain_edges(csv, index == nullptr ? kMaxNodes : index->size(), max_rows, tail.rows, tail.edges, tail.lines,
                       reserve);
    if (!csv.next_line(line)) break;
    if (++tail.rows > max_rows) return tail;
    if (tail.edges.size() == kRowsBeforeReserving) reserve();
    const std::optional<IndexedPlainNetwork::Edge> edge = plain_edge(line, find);
    if (!edge) return tail;
    tail.edges.push_back(*edge);
    tail.lines.push_back(csv.line());
  }
  tail.ok = !part_diags.has_errors();
  if (index == nullptr)
    for (const IndexedPlainNetwork::Edge& e : tail.edges)
      tail.most_nodes = std::max({tail.most_nodes, e.debtor + 1, e.creditor + 1});
  return tail;
}

/// edges.csv read with every check: its rows up to `end_byte` (CsvReader::kWholeFile: all of
/// them) by read(), then those after by join().
class EdgeReader {
 public:
  EdgeReader(const fs::path& path, NodeIndex& index, IndexedPlainNetwork& net, const InputLimits& limits,
             std::uint64_t end_byte, Diagnostics& diags)
      : csv_(path, diags), index_(index), net_(net), limits_(limits) {
    net.edges_file = csv_.name();
    if (csv_.open(CsvReader::required, 0, end_byte)) columns_ = csv_.header(kEdgeColumns);
    complete_ = columns_ != 0;
  }

  void read() {
    std::string_view line;
    const auto find = [this](std::string_view id) { return index_.find(id); };
    const auto reserve = [this] { reserve_huge(net_.edges, rows_to_reserve(csv_, limits_.max_exposures)); };
    const auto take_plain_rows = [&] {
      if (index_.dense())
        take_plain_edges(csv_, index_.size(), limits_.max_exposures, rows_, net_.edges, net_.edge_lines, reserve);
    };
    while (columns_ != 0 && (take_plain_rows(), csv_.next_line(line))) {
      if (++rows_ > limits_.max_exposures) {
        csv_.error(csv_.line(), 1, "", limit_message("edges", limits_.max_exposures, "--max-exposures"));
        complete_ = false;
        at_limit_ = true;
        break;
      }
      if (net_.edges.size() == kRowsBeforeReserving) reserve();
      if (const std::optional<IndexedPlainNetwork::Edge> edge = plain_edge(line, find)) {
        net_.edges.push_back(*edge);
        net_.edge_lines.push_back(csv_.line());
        continue;
      }
      read_checked(line);
    }
  }

  /// After read() stopped at end_byte: the rest of the file, as `tail` read it when it could
  /// (every row plain, within the row limit), else read here.
  void join(const EdgeTail& tail) {
    if (at_limit_ || columns_ == 0) return;
    if (tail.ok && rows_ + tail.rows <= limits_.max_exposures) {
      const int first_line = csv_.line();  // the first part's last line
      net_.edges.insert(net_.edges.end(), tail.edges.begin(), tail.edges.end());
      net_.edge_lines.append(tail.lines, first_line);
      return;
    }
    csv_.read_to_end();
    read();
  }

  /// True when every row was read without errors.
  bool finish() {
    csv_.finish();
    return complete_ && csv_.error_count() == 0;
  }

 private:
  void read_checked(std::string_view line) {
    if (!csv_.split(line) || !csv_.check_field_count(columns_)) return;
    bool ok = true;
    std::array<std::uint32_t, 2> node{};
    for (std::size_t c = 0; c < 2; ++c) {
      node[c] = index_.find(csv_.field(c).text);
      if (node[c] == NodeIndex::kUnknown)
        csv_.error(csv_.line(), csv_.field(c).column, kEdgeColumns[c],
                   csv_.listing_errors() ? index_.unknown(csv_.field(c).text) : std::string());
      ok = ok && node[c] < NodeIndex::kBadRow;
    }
    if (node[0] != NodeIndex::kUnknown && node[1] != NodeIndex::kUnknown && csv_.field(0).text == csv_.field(1).text) {
      csv_.error(csv_.line(), csv_.field(1).column, "creditor",
                 "debtor and creditor are the same node '" + excerpt(csv_.field(0).text) + "'");
      ok = false;
    }
    const std::optional<double> amount = csv_.number(csv_.field(2), "amount", kPositive);
    if (!ok || !amount) {
      complete_ = false;
      return;
    }
    net_.edges.push_back({node[0], node[1], *amount});
    net_.edge_lines.push_back(csv_.line());
  }

  CsvReader csv_;
  NodeIndex& index_;
  IndexedPlainNetwork& net_;
  const InputLimits& limits_;
  std::size_t columns_ = 0;
  std::uint64_t rows_ = 0;
  bool complete_ = false;
  bool at_limit_ = false;
};

/// Reads edges.csv; true when every row was read without errors.
bool read_edges(const fs::path& path, NodeIndex& index, IndexedPlainNetwork& net, const InputLimits& limits,
                int threads, Diagnostics& diags) {
  constexpr double kHalf = 0.5;
  const std::uint64_t split = threads > 1 ? split_point(path, kHalf) : 0;
  EdgeReader edges(path, index, net, limits, split == 0 ? CsvReader::kWholeFile : split, diags);
  if (split == 0) {
    edges.read();
    return edges.finish();
  }
  // The first part with every check here, the second meanwhile on another thread; index is
  // only read by the second (unknown() changes nothing find() reads).
  EdgeTail tail;
  tbb::task_arena arena(2);
  parallel_for_index(arena, 2, 1, [&](std::size_t part) {
    if (part == 0)
      edges.read();
    else
      tail = read_plain_tail(path, split, &index, limits.max_exposures);
  });
  edges.join(tail);
  return edges.finish();
}

void read_shocks(const fs::path& path, NodeIndex& index, IndexedPlainNetwork& net, Diagnostics& diags) {
  CsvReader csv(path, diags);
  net.shock_file = csv.name();
  if (!csv.open(CsvReader::optional)) return;
  const std::size_t columns = csv.header(kShockColumns);
  std::vector<int> shock_line(net.size(), 0);  // per node: the line of its shock, 0 = none yet
  while (columns != 0 && csv.next_row()) {
    if (!csv.check_field_count(columns)) continue;
    const CsvField& id = csv.field(0);
    const std::uint32_t node = index.find(id.text);
    bool ok = node < NodeIndex::kBadRow;
    if (node == NodeIndex::kUnknown) {
      csv.error(csv.line(), id.column, "id", csv.listing_errors() ? index.unknown(id.text) : std::string());
    } else if (ok && shock_line[node] != 0) {
      csv.error(csv.line(), id.column, "id",
                "duplicate shock for node '" + excerpt(id.text) + "' (first at line " +
                    std::to_string(shock_line[node]) + ")");
      ok = false;
    } else if (ok) {
      shock_line[node] = csv.line();
    }
    const std::optional<double> fraction = csv.number(csv.field(1), "fraction", kFraction);
    if (!ok || !fraction) continue;
    net.shocks.push_back({node, *fraction});
    net.shock_lines.push_back(csv.line());
  }
  csv.finish();
}

/// Checks each given equity against the balance sheet the edges imply.
void check_equity(const IndexedPlainNetwork& net, const std::vector<int>& equity_columns, Diagnostics& diags) {
  if (std::none_of(net.equity.begin(), net.equity.end(), [](const auto& e) { return e.has_value(); })) return;
  std::vector<double> interbank_assets(net.size(), 0.0), interbank_liabilities(net.size(), 0.0);
  for (const IndexedPlainNetwork::Edge& e : net.edges) {
    interbank_liabilities[e.debtor] += e.amount;
    interbank_assets[e.creditor] += e.amount;
  }
  for (std::size_t i = 0; i < net.size(); ++i) {
    if (!net.equity[i]) continue;
    const double assets = net.external_assets[i] + interbank_assets[i];
    const double liabilities = net.external_liabilities[i] + interbank_liabilities[i];
    const double implied = assets - liabilities;
    // Relative to the larger side of the balance sheet: equity may be a small difference.
    if (std::abs(*net.equity[i] - implied) <= 1e-9 * std::max(assets, liabilities)) continue;
    diags.error({net.nodes_file, net.node_lines[i], equity_columns[i]}, "equity",
                "equity " + format_number(*net.equity[i]) +
                    " does not match external_assets + interbank assets - external_liabilities - interbank "
                    "liabilities = " +
                    format_number(implied));
  }
}

}  // namespace

IndexedPlainNetwork read_indexed_plain_network(const fs::path& dir, Diagnostics& diags, const InputLimits& limits,
                                               int threads) {
  IndexedPlainNetwork net;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.error({dir.string(), 0, 0}, "",
                fs::exists(dir, ec) ? "not a directory (give the network's directory, which holds nodes.csv)"
                                    : "network directory not found");
    return net;
  }
  std::vector<int> equity_columns;
  NodeIndex index(net.ids);
  const fs::path nodes_path = dir / "nodes.csv", edges_path = dir / "edges.csv";
  bool all_nodes = false, all_edges = false;
  // When the ids look like 0, 1, ..., n-1, the second part of a large edges.csv is read while
  // nodes.csv and the first part are, each id taken as that index, and kept only if the ids were
  // that (else the first part's reader reads on). The first part is 45% of the bytes: with
  // nodes.csv (about a ninth of edges.csv's size at mean degree 10, both read by the plain-row
  // shortcut) that about balances the two threads.
  constexpr double kFirstShareBesideNodes = 0.45;
  const std::uint64_t early_split = threads > 1 ? split_point(edges_path, kFirstShareBesideNodes) : 0;
  if (early_split != 0 && first_node_id_is_zero(nodes_path)) {
    EdgeTail tail;
    std::optional<EdgeReader> edges;
    tbb::task_arena arena(2);
    parallel_for_index(arena, 2, 1, [&](std::size_t part) {
      if (part == 1) {
        tail = read_plain_tail(edges_path, early_split, nullptr, limits.max_exposures);
        return;
      }
      all_nodes = read_nodes(nodes_path, net, index, equity_columns, limits, diags);
      edges.emplace(edges_path, index, net, limits, early_split, diags);
      edges->read();
    });
    if (!index.dense() || tail.most_nodes > net.ids.size()) tail.ok = false;  // not the ids it was read with
    edges->join(tail);
    all_edges = edges->finish();
  } else {
    all_nodes = read_nodes(nodes_path, net, index, equity_columns, limits, diags);
    all_edges = read_edges(edges_path, index, net, limits, threads, diags);
  }
  read_shocks(dir / "shock.csv", index, net, diags);
  // Equity is checked against complete files only: a skipped row would make it look wrong.
  if (all_nodes && all_edges) check_equity(net, equity_columns, diags);
  return net;
}

PlainNetwork read_plain_network(const fs::path& dir, Diagnostics& diags, const InputLimits& limits) {
  const IndexedPlainNetwork in = read_indexed_plain_network(dir, diags, limits);
  PlainNetwork net;
  net.nodes.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i)
    net.nodes.push_back(
        {in.ids[i], in.external_assets[i], in.external_liabilities[i], in.equity[i], in.node_location(i)});
  net.edges.reserve(in.edges.size());
  for (std::size_t k = 0; k < in.edges.size(); ++k) {
    const IndexedPlainNetwork::Edge& e = in.edges[k];
    net.edges.push_back({in.ids[e.debtor], in.ids[e.creditor], e.amount, in.edge_location(k)});
  }
  for (std::size_t k = 0; k < in.shocks.size(); ++k)
    net.shocks.push_back({in.ids[in.shocks[k].node], in.shocks[k].fraction, in.shock_location(k)});
  return net;
}

IndexedPlainNetwork index_plain_network(const PlainNetwork& plain) {
  IndexedPlainNetwork net;
  std::unordered_map<std::string_view, std::uint32_t> index;
  const auto find = [&index](const std::string& id) {
    const auto it = index.find(id);
    if (it == index.end()) throw InternalError("index_plain_network: unknown node '" + id + "'");
    return it->second;
  };
  for (const PlainNetwork::Node& node : plain.nodes) {
    if (net.nodes_file.empty()) net.nodes_file = node.where.file;
    index.emplace(node.id, static_cast<std::uint32_t>(net.ids.size()));
    net.ids.push_back(node.id);
    net.external_assets.push_back(node.external_assets);
    net.external_liabilities.push_back(node.external_liabilities);
    net.equity.push_back(node.equity);
    net.node_lines.push_back(node.where.line);
  }
  for (const PlainNetwork::Edge& edge : plain.edges) {
    if (net.edges_file.empty()) net.edges_file = edge.where.file;
    net.edges.push_back({find(edge.debtor), find(edge.creditor), edge.amount});
    net.edge_lines.push_back(edge.where.line);
  }
  for (const PlainNetwork::ShockRow& row : plain.shocks) {
    if (net.shock_file.empty()) net.shock_file = row.where.file;
    net.shocks.push_back({find(row.id), row.fraction});
    net.shock_lines.push_back(row.where.line);
  }
  return net;
}

}  // namespace cascade
