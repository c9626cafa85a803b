#include "engine/output/csv_reader.h"

#include <charconv>
#include <fstream>
#include <iterator>

namespace cascade::output {
namespace {

/// Parses records from `text` starting at `pos`: one record per call, `pos` moved past its
/// line end. `line` counts the lines consumed. False at the end of the text.
bool next_record(std::string_view text, std::size_t& pos, int& line, std::vector<std::string>& fields,
                 bool& unterminated) {
  if (pos >= text.size()) return false;
  fields.assign(1, std::string());
  bool quoted = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        fields.back() += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++pos;
      ++line;
      return true;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  unterminated = quoted;
  ++line;
  return true;
}

std::string where(const std::string& file, int line) { return file + ":" + std::to_string(line) + ": "; }

}  // namespace

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t pos = 0;
  int lines = 0;
  bool unterminated = false;
  if (!next_record(line, pos, lines, fields, unterminated)) fields.assign(1, std::string());
  return fields;
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvTable::require_column(std::string_view name) const {
  const std::optional<std::size_t> c = column(name);
  if (!c) throw InputError(where(file, 1) + "missing column '" + std::string(name) + "'");
  return *c;
}

double CsvTable::number(const CsvRow& row, std::size_t column) const {
  const std::string& text = row.fields.at(column);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size())
    throw InputError(where(file, row.line) + "column '" + header.at(column) + "': not a number: '" + text + "'");
  return value;
}

CsvTable parse_csv_table(std::string_view text, const std::string& file) {
  CsvTable table;
  table.file = file;
  std::size_t pos = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte order mark
  int line = 0;
  bool unterminated = false;
  if (!next_record(text, pos, line, table.header, unterminated) ||
      (table.header.size() == 1 && table.header[0].empty()))
    throw InputError(where(file, 1) + "empty file: no header row");
  std::vector<std::string> fields;
  for (int start = line + 1; next_record(text, pos, line, fields, unterminated); start = line + 1) {
    if (unterminated) throw InputError(where(file, start) + "a quoted field is not closed");
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != table.header.size())
      throw InputError(where(file, start) + std::to_string(fields.size()) + " fields, the header has " +
                       std::to_string(table.header.size()));
    table.rows.push_back({start, std::move(fields)});
  }
  return table;
}

std::string read_regular_file(const std::filesystem::path& path, const std::string& hint) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError(path.string() + ": not a regular file (a directory, device, pipe or socket)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot be read" + hint);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CsvTable read_csv_table(const std::filesystem::path& path) {
  return parse_csv_table(read_regular_file(path), path.string());
}

}  // namespace cascade::output
