// A CSV file read row by row through a fixed-size buffer, with every problem located
// (file:line:col and column name) and at most kMaxCsvErrorsPerFile errors listed per file.
//
//   CsvReader csv("data/net/edges.csv", diags);
//   if (csv.open(CsvReader::required) && csv.header(kEdgeColumns) != 0)
//     while (csv.next_row()) use(csv.field(0).text, csv.number(csv.field(2), "amount", {.min = 0}));
//
// Rules: a header row; fields separated by ','; a field may be "quoted" ("" is a quote inside,
// no line breaks inside); unquoted fields are trimmed of spaces and tabs; lines end in LF or
// CRLF; blank lines are skipped; a UTF-8 byte order mark is skipped. Any other byte is data.
// A line longer than kMaxCsvLineBytes is reported and skipped, so memory stays bounded (about
// 2 MiB per reader) whatever the file holds.
//
// Ownership: the fields are views into the reader's buffer, valid until the next next_row().
// Thread safety: one reader per thread.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"

namespace cascade {

/// Errors listed per CSV file before the rest are only counted.
inline constexpr std::size_t kMaxCsvErrorsPerFile = 100;
/// Longest line the reader accepts, in bytes.
inline constexpr std::size_t kMaxCsvLineBytes = std::size_t{1} << 20;

struct CsvField {
  std::string_view text;  ///< unquoted, trimmed
  int column = 1;         ///< 1-based byte column where the field starts
};

/// The accepted range of a number column.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  double max = std::numeric_limits<double>::infinity();
};

/// `text` as digits with at most one '.' ("12", "0.25", "3."), when its value is the exact
/// quotient of two doubles (at most 15 significant digits, at most 22 after the point): that
/// quotient is then the correctly rounded value, the one std::from_chars gives (Clinger 1990's
/// fast path). nullopt for anything else (signs, exponents, long mantissas, inf, nan): parse
/// those with CsvReader::number.
std::optional<double> plain_decimal(std::string_view text);

/// plain_decimal of the longest prefix of `text` made of digits and at most one '.', whose
/// length goes to `length`: true with the value in `value` when plain_decimal accepts that
/// prefix. For parsers that find where a field ends by reading it: plain_decimal(t) is this
/// when the prefix is all of t. Inline, with no std::optional: the plain-row shortcut
/// (engine/network/plain_rows.h) calls it once per row.
inline bool plain_decimal_prefix(std::string_view text, std::size_t& length, double& value) {
  static constexpr std::array<double, 23> kPowersOfTen{1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr std::size_t kMaxBytes = 24;
  std::uint64_t mantissa = 0;
  int digits = 0, fraction_digits = -1;
  std::size_t at = 0;
  for (; at < text.size() && at <= kMaxBytes; ++at) {  // one byte past the longest, to reject it
    const char c = text[at];
    if (c == '.' && fraction_digits < 0) {
      fraction_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') break;
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
    if (mantissa != 0) ++digits;
    if (fraction_digits >= 0) ++fraction_digits;
  }
  length = at;
  const int scale = fraction_digits > 0 ? fraction_digits : 0;
  if (at == 0 || at > kMaxBytes || digits > 15 || scale > 22 || (fraction_digits >= 0 && at == 1)) return false;
  value = static_cast<double>(mantissa) / kPowersOfTen[static_cast<std::size_t>(scale)];
  return true;
}

class CsvReader {
 public:
  enum Presence : bool { required = false, optional = true };
  /// An end byte that is the end of the file, whatever its size.
  static constexpr std::uint64_t kWholeFile = std::numeric_limits<std::uint64_t>::max();

  CsvReader(const std::filesystem::path& path, Diagnostics& diags);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Opens the file; a missing one is reported unless optional, as is anything but a regular
  /// file (a directory, device or FIFO). False when there is nothing to read.
  bool open(Presence presence);
  /// The same for the bytes [begin_byte, end_byte) only, where begin_byte starts a line (0 or
  /// just after a LF; no byte order mark is looked for past 0); line() counts from there. For
  /// reading the parts of one file on different threads, each part with its own reader.
  bool open(Presence presence, std::uint64_t begin_byte, std::uint64_t end_byte);
  /// Reads on past the end byte given to open(), to the end of the file.
  void read_to_end() { end_byte_ = kWholeFile; }

  /// Reads and checks the header: `columns`, optionally followed by `optional_last`. Returns
  /// the number of columns, or 0 after reporting a wrong or missing header.
  std::size_t header(std::span<const std::string_view> columns, std::string_view optional_last = {});

  /// Moves to the next non-blank row; false at the end of the file. Rows that cannot be split
  /// (an unterminated quote, a line too long) are reported and skipped.
  bool next_row();
  /// The next non-blank line (without its CR LF), unsplit; false at the end of the file. For
  /// readers with a shortcut for plain rows: split() the line when the shortcut does not apply.
  bool next_line(std::string_view& line);
  /// The unread lines in the buffer that end in a LF, each with its LF (empty when there is no
  /// such line: next_line() then reads on). For readers that take plain rows straight from the
  /// buffer: take_line() consumes one as next_line() would; any other row is read by next_line().
  std::string_view buffered_lines() const;
  /// Consumes the first `bytes` of buffered_lines(): one non-blank line and its LF.
  void take_line(std::size_t bytes) {
    begin_ += bytes;
    ++line_;
  }
  /// Splits `line` (from next_line) into the fields; false after reporting a row that cannot
  /// be split.
  bool split(std::string_view line);
  /// Fields of the current row (at most kMaxFields are kept; field_count() counts them all).
  std::size_t field_count() const { return field_count_; }
  const CsvField& field(std::size_t i) const { return fields_[i]; }
  /// Reports a row whose field count is not `expected` at column 1; true when it matches.
  bool check_field_count(std::size_t expected);
  int line() const { return line_; }

  /// `f` as a finite number within `range` (a leading '+' is allowed), or nullopt after a
  /// located error naming `column`.
  std::optional<double> number(const CsvField& f, std::string_view column, const NumberRange& range);

  /// True when another error would still be listed (not only counted): build costly
  /// messages only then.
  bool listing_errors() const { return errors_ < kMaxCsvErrorsPerFile; }
  /// Counts an error and lists it while fewer than kMaxCsvErrorsPerFile have been listed.
  void error(int line, int column, std::string_view column_name, std::string message);
  /// Reports how many errors were not listed.
  void finish();

  /// Rows in the whole file, extrapolated from the bytes per line so far (0 before any line):
  /// for reserving memory once instead of growing it.
  std::size_t estimated_rows() const;
  const std::string& name() const { return name_; }
  std::size_t error_count() const { return errors_; }

  static constexpr std::size_t kMaxFields = 8;

 private:
  bool fill();

  std::string name_;
  Diagnostics& diags_;
  std::FILE* file_ = nullptr;
  bool at_eof_ = false;
  std::unique_ptr<char[]> buffer_;
  std::size_t file_bytes_ = 0;
  std::uint64_t end_byte_ = kWholeFile;  ///< reading stops at this byte of the file
  std::uint64_t begin_byte_ = 0;         ///< where reading started
  std::size_t read_bytes_ = 0;           ///< from the file into the buffer, in all
  std::size_t begin_ = 0;                ///< unread bytes are [begin_, end_)
  std::size_t end_ = 0;
  int line_ = 0;
  std::size_t errors_ = 0;
  std::array<CsvField, kMaxFields> fields_{};
  std::size_t field_count_ = 0;
  std::array<std::string, kMaxFields> unquoted_;  ///< storage of quoted fields with "" inside
};

}  // namespace cascade
