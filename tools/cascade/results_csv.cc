#include "tools/cascade/results_csv.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "engine/network/csv_reader.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;

struct Cell {
  std::string text;
  int column = 1;  ///< 1-based character column where the cell starts
};

/// Splits `text` into records of cells (RFC 4180); `lines[i]` is record i's first line, and
/// `open_quote_line` the line of a quoted field never closed (0: none).
std::vector<std::vector<Cell>> parse(const std::string& text, std::vector<int>& lines, int& open_quote_line) {
  std::vector<std::vector<Cell>> records;
  std::vector<Cell> record;
  Cell cell;
  bool quoted = false, cell_started = false;
  int line = 1, column = 1, record_line = 1;
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto end_cell = [&] {
    record.push_back(std::move(cell));
    cell = Cell{};
    cell.column = column + 1;
    cell_started = false;
  };
  auto end_record = [&] {
    const bool blank = record.empty() && !cell_started && cell.text.empty();
    if (!blank) {
      end_cell();
      records.push_back(std::move(record));
      lines.push_back(record_line);
    }
    record.clear();
    cell = Cell{};
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.text += '"';
        ++i;
        ++column;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.text += c;
        if (c == '\n') {
          ++line;
          column = 0;
        }
      }
    } else if (c == '"' && !cell_started) {
      quoted = cell_started = true;
      open_quote_line = line;
    } else if (c == ',') {
      end_cell();  // the next cell may be quoted
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      column = 0;
      record_line = line;
      cell.column = 1;
    } else {
      cell.text += c;
      cell_started = true;
    }
    ++column;
  }
  if (!quoted) open_quote_line = 0;
  end_record();
  return records;
}

}  // namespace

ResultsCsv read_results_csv(const std::filesystem::path& file,
                            const std::function<ColumnKind(const std::string& name)>& kind_of_column,
                            Diagnostics& diags) {
  ResultsCsv out;
  const std::string name = file.string();
  if (std::error_code ignored; fs::is_directory(file, ignored)) {
    diags.error({name, 0, 0}, "",
                "is a directory; give the results CSV file (or the sweep directory without --results)");
    return out;
  }
  if (std::error_code ignored; fs::exists(file, ignored) && !fs::is_regular_file(file, ignored)) {
    diags.error({name, 0, 0}, "", "is not a regular file (a device or a pipe); give the results CSV file");
    return out;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diags.error({name, 0, 0}, "", "cannot read the results file");
    return out;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<int> lines;
  int open_quote_line = 0;
  const std::vector<std::vector<Cell>> records = parse(text, lines, open_quote_line);
  if (open_quote_line > 0) {
    diags.error({name, open_quote_line, 0}, "", "a quoted field opened here is never closed (a '\"' is missing)");
    return out;
  }
  if (records.empty()) {
    diags.error({name, 1, 1}, "", "the results file is empty: expected a header with run_id and output columns");
    return out;
  }
  std::size_t run_id_column = records[0].size();
  for (std::size_t c = 0; c < records[0].size(); ++c) {
    const Cell& h = records[0][c];
    for (const std::string& seen : out.names)
      if (seen == h.text)
        diags.error({name, 1, h.column}, excerpt(h.text), "column '" + excerpt(h.text) + "' appears twice");
    if (h.text == "run_id") run_id_column = c;
    out.names.push_back(h.text);
  }
  if (run_id_column == records[0].size()) {
    diags.error({name, 1, 1}, "", "no run_id column: each row must say which run of the design it is");
    return out;
  }
  out.columns.assign(out.names.size(), {});
  out.texts.assign(out.names.size(), {});
  std::vector<ColumnKind> kinds;
  for (const std::string& n : out.names) kinds.push_back(kind_of_column(n));
  std::size_t errors = 0;  // listed up to kMaxCsvErrorsPerFile, then counted
  const auto error = [&](int line, int column, const std::string& column_name, std::string message) {
    if (++errors <= kMaxCsvErrorsPerFile) diags.error({name, line, column}, column_name, std::move(message));
  };
  for (std::size_t r = 1; r < records.size(); ++r) {
    const std::vector<Cell>& row = records[r];
    if (row.size() != out.names.size()) {
      error(lines[r], 1, "",
            "expected " + std::to_string(out.names.size()) + " cells, got " + std::to_string(row.size()));
      continue;
    }
    std::uint64_t run_id = 0;
    const std::string& id = row[run_id_column].text;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), run_id);
    if (id.empty() || ec != std::errc{} || end != id.data() + id.size()) {
      error(lines[r], row[run_id_column].column, "run_id",
            "expected a run id (a whole number), got '" + excerpt(id) + "'");
      continue;
    }
    out.run_ids.push_back(run_id);
    out.lines.push_back(lines[r]);
    for (std::size_t c = 0; c < row.size(); ++c) {
      double v = std::numeric_limits<double>::quiet_NaN();
      const std::string& t = row[c].text;
      const bool missing = t.empty() || t == "NA" || t == "NaN" || t == "nan" || t == "null";
      if (kinds[c] == ColumnKind::text) out.texts[c].push_back(t);
      if (!missing && kinds[c] == ColumnKind::number) {
        const auto [e, code] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (code != std::errc{} || e != t.data() + t.size())
          error(lines[r], row[c].column, out.names[c], "expected a number or an empty cell, got '" + excerpt(t) + "'");
      }
      out.columns[c].push_back(v);
    }
  }
  if (errors > kMaxCsvErrorsPerFile)
    diags.unlisted_errors({name, 0, 0}, errors - kMaxCsvErrorsPerFile,
                          std::to_string(errors - kMaxCsvErrorsPerFile) + " more errors in this file are not listed");
  return out;
}

}  // namespace cascade::cli
