#include "engine/network/plain_network.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>

namespace cascade {
namespace {

namespace fs = std::filesystem;

constexpr double kNoMax = std::numeric_limits<double>::infinity();

/// Above this many nodes, unknown ids get no did-you-mean (it would compare against all).
constexpr std::size_t kMaxSuggestionCandidates = 100'000;

std::string format_number(double v) {
  // Whole numbers as integers ("1000000", not "1e+06"); the rest in their shortest form.
  if (std::trunc(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

struct Field {
  std::string text;  ///< unquoted, trimmed
  int column = 1;    ///< 1-based column where the field starts
};

/// One CSV file read row by row, with errors located and capped.
class CsvFile {
 public:
  CsvFile(const fs::path& path, Diagnostics& diags) : name_(path.string()), diags_(diags) {}

  /// Reads the file; a missing file is reported unless `optional`. False when there is nothing to read.
  bool open(const fs::path& path, bool optional) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      if (!optional) diags_.error({name_, 0, 0}, "", "cannot read file: no such file");
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diags_.error({name_, 0, 0}, "", "cannot read file: cannot open");
      return false;
    }
    text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // UTF-8 byte order mark
    return true;
  }

  /// Checks the header: `columns`, optionally followed by `optional_last`. Returns the number
  /// of columns, or 0 after reporting a wrong or missing header.
  std::size_t header(std::span<const std::string_view> columns, std::string_view optional_last = {}) {
    std::string expected;
    for (std::string_view c : columns) expected += (expected.empty() ? "" : ",") + std::string(c);
    if (!optional_last.empty()) expected += "[," + std::string(optional_last) + "]";
    std::vector<Field> fields;
    if (!next_row(fields)) {
      error(1, 1, "", "empty file: expected the header '" + expected + "'");
      return 0;
    }
    std::string got;
    for (const Field& f : fields) got += (got.empty() ? "" : ",") + f.text;
    bool ok = fields.size() == columns.size() || (!optional_last.empty() && fields.size() == columns.size() + 1);
    for (std::size_t i = 0; ok && i < columns.size(); ++i) ok = fields[i].text == columns[i];
    if (ok && fields.size() > columns.size()) ok = fields.back().text == optional_last;
    if (!ok) {
      error(line_, 1, "", "expected the header '" + expected + "', got '" + got + "'");
      return 0;
    }
    return fields.size();
  }

  /// The next non-blank row, split into fields; false at the end of the file. Rows with an
  /// unterminated quote are reported and skipped.
  bool next_row(std::vector<Field>& fields) {
    while (pos_ < text_.size()) {
      const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
      std::string_view line(text_.data() + pos_, end - pos_);
      pos_ = end + 1;
      ++line_;
      if (line.ends_with('\r')) line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      if (split(line, fields)) return true;
    }
    return false;
  }

  int line() const { return line_; }

  /// A parsed number: finite and at least `min` (exclusive when `min_exclusive`), at most `max`.
  std::optional<double> number(const Field& f, std::string_view column, double min, bool min_exclusive, double max) {
    std::string_view s = f.text;
    if (s.starts_with('+')) s.remove_prefix(1);
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      error(line_, f.column, column, "expected a number, got '" + f.text + "'");
      return std::nullopt;
    }
    if (!std::isfinite(v)) {
      error(line_, f.column, column, "must be a finite number, got " + f.text);
      return std::nullopt;
    }
    if ((min_exclusive ? v <= min : v < min) || v > max) {
      std::string bound = (min_exclusive ? "> " : ">= ") + format_number(min);
      if (max != kNoMax) bound = "between " + format_number(min) + " and " + format_number(max);
      error(line_, f.column, column, "must be " + bound + ", got " + f.text);
      return std::nullopt;
    }
    return v;
  }

  void error(int line, int column, std::string_view column_name, std::string message) {
    if (++errors_ > kMaxCsvErrorsPerFile) return;
    diags_.error({name_, line, column}, std::string(column_name), std::move(message));
  }

  /// Reports how many errors were not listed.
  void finish() {
    if (errors_ > kMaxCsvErrorsPerFile)
      diags_.error({name_, 0, 0}, "",
                   std::to_string(errors_ - kMaxCsvErrorsPerFile) + " more errors in this file are not listed");
  }

  const std::string& name() const { return name_; }
  std::size_t error_count() const { return errors_; }

 private:
  /// Splits on commas; a field may be "quoted" ("" is a quote inside); unquoted fields are
  /// trimmed of spaces and tabs.
  bool split(std::string_view line, std::vector<Field>& fields) {
    fields.clear();
    std::size_t i = 0;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      Field f;
      f.column = static_cast<int>(i) + 1;
      if (i < line.size() && line[i] == '"') {
        ++i;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            f.text += '"';
            i += 2;
          } else if (line[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            f.text += line[i++];
          }
        }
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (!closed || (i < line.size() && line[i] != ',')) {
          error(line_, f.column, "", closed ? "unexpected text after a quoted field" : "unterminated quote");
          return false;
        }
      } else {
        const std::size_t end = std::min(line.find(',', i), line.size());
        std::string_view text = line.substr(i, end - i);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
        f.text = std::string(text);
        i = end;
      }
      fields.push_back(std::move(f));
      if (i >= line.size()) return true;
      ++i;  // the comma
    }
  }

  std::string name_;
  Diagnostics& diags_;
  std::string text_;
  std::size_t pos_ = 0;
  int line_ = 0;
  std::size_t errors_ = 0;
};

/// Reports a row whose field count differs from the header's; true when it matches.
bool check_field_count(CsvFile& csv, const std::vector<Field>& fields, std::size_t expected) {
  if (fields.size() == expected) return true;
  csv.error(csv.line(), 1, "",
            "expected " + std::to_string(expected) + " fields, got " + std::to_string(fields.size()));
  return false;
}

/// Node ids to index, and a located "unknown node" message with did-you-mean.
class NodeIndex {
 public:
  explicit NodeIndex(const std::vector<PlainNetwork::Node>& nodes) : nodes_(nodes) {
    for (std::size_t i = 0; i < nodes.size(); ++i) index_.emplace(nodes[i].id, i);
  }
  std::optional<std::size_t> find(const std::string& id) const {
    const auto it = index_.find(id);
    return it == index_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }
  std::string unknown(const std::string& id) const {
    std::string out = "unknown node '" + id + "'";
    if (nodes_.size() > kMaxSuggestionCandidates) return out;
    std::vector<std::string> ids;
    ids.reserve(nodes_.size());
    for (const auto& n : nodes_) ids.push_back(n.id);
    const std::string suggestion = did_you_mean(id, ids);
    return suggestion.empty() ? out : out + " (did you mean '" + suggestion + "'?)";
  }

 private:
  const std::vector<PlainNetwork::Node>& nodes_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

constexpr std::array<std::string_view, 3> kNodeColumns{"id", "external_assets", "external_liabilities"};
constexpr std::array<std::string_view, 3> kEdgeColumns{"debtor", "creditor", "amount"};
constexpr std::array<std::string_view, 2> kShockColumns{"id", "fraction"};

/// Reads nodes.csv into `net.nodes`; `equity_columns[i]` is where node i's equity is written.
void read_nodes(const fs::path& path, PlainNetwork& net, std::vector<int>& equity_columns, Diagnostics& diags) {
  CsvFile csv(path, diags);
  if (!csv.open(path, false)) return;
  const std::size_t columns = csv.header(kNodeColumns, "equity");
  if (columns == 0) {
    csv.finish();
    return;
  }
  std::unordered_map<std::string, int> first_line;
  std::vector<Field> f;
  while (csv.next_row(f)) {
    if (!check_field_count(csv, f, columns)) continue;
    PlainNetwork::Node node;
    node.id = f[0].text;
    node.where = {csv.name(), csv.line(), 1};
    bool ok = true;
    if (node.id.empty()) {
      csv.error(csv.line(), f[0].column, "id", "must not be empty");
      ok = false;
    } else if (const auto [it, inserted] = first_line.emplace(node.id, csv.line()); !inserted) {
      csv.error(csv.line(), f[0].column, "id",
                "duplicate node id '" + node.id + "' (first at line " + std::to_string(it->second) + ")");
      ok = false;
    }
    const auto assets = csv.number(f[1], "external_assets", 0.0, false, kNoMax);
    const auto liabilities = csv.number(f[2], "external_liabilities", 0.0, false, kNoMax);
    std::optional<double> equity;
    if (columns == 4 && !f[3].text.empty()) {
      equity = csv.number(f[3], "equity", -kNoMax, false, kNoMax);
      ok = ok && equity.has_value();
    }
    if (!ok || !assets || !liabilities) continue;
    node.external_assets = *assets;
    node.external_liabilities = *liabilities;
    node.equity = equity;
    net.nodes.push_back(std::move(node));
    equity_columns.push_back(columns == 4 ? f[3].column : 0);
  }
  csv.finish();
}

/// Reads edges.csv into `net.edges`; true when every row was read.
bool read_edges(const fs::path& path, const NodeIndex& index, PlainNetwork& net, Diagnostics& diags) {
  CsvFile csv(path, diags);
  if (!csv.open(path, false)) return false;
  const std::size_t columns = csv.header(kEdgeColumns);
  if (columns == 0) {
    csv.finish();
    return false;
  }
  std::vector<Field> f;
  while (csv.next_row(f)) {
    if (!check_field_count(csv, f, columns)) continue;
    bool ok = true;
    for (std::size_t c = 0; c < 2; ++c) {
      if (index.find(f[c].text)) continue;
      csv.error(csv.line(), f[c].column, kEdgeColumns[c], index.unknown(f[c].text));
      ok = false;
    }
    if (ok && f[0].text == f[1].text) {
      csv.error(csv.line(), f[1].column, "creditor", "debtor and creditor are the same node '" + f[0].text + "'");
      ok = false;
    }
    const auto amount = csv.number(f[2], "amount", 0.0, true, kNoMax);
    if (!ok || !amount) continue;
    net.edges.push_back({f[0].text, f[1].text, *amount, {csv.name(), csv.line(), 1}});
  }
  csv.finish();
  return csv.error_count() == 0;
}

void read_shocks(const fs::path& path, const NodeIndex& index, PlainNetwork& net, Diagnostics& diags) {
  CsvFile csv(path, diags);
  if (!csv.open(path, true)) return;
  const std::size_t columns = csv.header(kShockColumns);
  if (columns == 0) {
    csv.finish();
    return;
  }
  std::unordered_map<std::string, int> first_line;
  std::vector<Field> f;
  while (csv.next_row(f)) {
    if (!check_field_count(csv, f, columns)) continue;
    bool ok = true;
    if (!index.find(f[0].text)) {
      csv.error(csv.line(), f[0].column, "id", index.unknown(f[0].text));
      ok = false;
    } else if (const auto [it, inserted] = first_line.emplace(f[0].text, csv.line()); !inserted) {
      csv.error(csv.line(), f[0].column, "id",
                "duplicate shock for node '" + f[0].text + "' (first at line " + std::to_string(it->second) + ")");
      ok = false;
    }
    const auto fraction = csv.number(f[1], "fraction", 0.0, false, 1.0);
    if (!ok || !fraction) continue;
    net.shocks.push_back({f[0].text, *fraction, {csv.name(), csv.line(), 1}});
  }
  csv.finish();
}

/// Checks each given equity against the balance sheet the edges imply.
void check_equity(PlainNetwork& net, const NodeIndex& index, const std::vector<int>& equity_columns,
                  Diagnostics& diags) {
  std::vector<double> interbank_assets(net.nodes.size(), 0.0), interbank_liabilities(net.nodes.size(), 0.0);
  for (const auto& e : net.edges) {
    interbank_liabilities[*index.find(e.debtor)] += e.amount;
    interbank_assets[*index.find(e.creditor)] += e.amount;
  }
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    const auto& n = net.nodes[i];
    if (!n.equity) continue;
    const double assets = n.external_assets + interbank_assets[i];
    const double liabilities = n.external_liabilities + interbank_liabilities[i];
    const double implied = assets - liabilities;
    // Relative to the larger side of the balance sheet: equity may be a small difference.
    if (std::abs(*n.equity - implied) <= 1e-9 * std::max(assets, liabilities)) continue;
    diags.error({n.where.file, n.where.line, equity_columns[i]}, "equity",
                "equity " + format_number(*n.equity) +
                    " does not match external_assets + interbank assets - external_liabilities - interbank "
                    "liabilities = " +
                    format_number(implied));
  }
}

}  // namespace

PlainNetwork read_plain_network(const fs::path& dir, Diagnostics& diags) {
  PlainNetwork net;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.error({dir.string(), 0, 0}, "", "network directory not found");
    return net;
  }
  std::vector<int> equity_columns;
  read_nodes(dir / "nodes.csv", net, equity_columns, diags);
  const NodeIndex index(net.nodes);
  const bool all_edges = read_edges(dir / "edges.csv", index, net, diags);
  read_shocks(dir / "shock.csv", index, net, diags);
  // Equity is checked against complete edges only: a skipped row would make it look wrong.
  if (all_edges) check_equity(net, index, equity_columns, diags);
  return net;
}

}  // namespace cascade
