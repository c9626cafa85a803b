// CSV files read back, with columns found by name: the run directory's files, results tables.
//
//   CsvTable t = read_csv_table("runs/s8/defaults.csv");        // throws InputError if unreadable
//   const std::size_t tick = t.require_column("tick");          // throws InputError naming the file
//   for (const CsvRow& row : t.rows) use(row.fields[tick], row.line);
//
// The format is the one Cascade writes (tools/README.md): a header row, `,` separators, fields
// quoted per RFC 4180 when they hold `,`, `"` or a line break (a quoted field may span lines).
// Columns are looked up by name, never by position, so files that gain columns still read.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cascade::output {

/// A file that cannot be read as the data it should be (missing, a column missing, a field
/// that is not a number). The message starts with "file:line: ". Bad user input, not a bug.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CsvRow {
  int line = 0;  ///< 1-based line of the file the row starts on
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;  ///< as given, for messages
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  ///< each with header.size() fields (read_csv_table checks)

  std::optional<std::size_t> column(std::string_view name) const;
  /// The index of column `name`; InputError ("file:1: missing column 'name'") if absent.
  std::size_t require_column(std::string_view name) const;
  /// Row `row`'s field `column` as a number; InputError naming file, line and column otherwise.
  double number(const CsvRow& row, std::size_t column) const;
};

/// Splits one line into its fields (RFC 4180 quotes; a CR outside quotes is dropped).
std::vector<std::string> split_csv_line(std::string_view line);

/// Parses `text` (the content of `file`; a leading UTF-8 byte order mark is skipped) into a
/// table. InputError on an empty text, an unterminated quote, or a row whose field count differs
/// from the header's.
CsvTable parse_csv_table(std::string_view text, const std::string& file);

/// The bytes of `path`, which must be a regular file (a device or a pipe may never end, or never
/// start); InputError naming it otherwise, with `hint` after "cannot be read".
std::string read_regular_file(const std::filesystem::path& path, const std::string& hint = "");

/// Reads (read_regular_file) and parses `path`.
CsvTable read_csv_table(const std::filesystem::path& path);

}  // namespace cascade::output
