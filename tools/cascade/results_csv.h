// A results table read from CSV for `cascade analyze`: a run_id column, numeric columns and
// columns kept as text.
//
//   Diagnostics diags;
//   ResultsCsv t = read_results_csv("runs/sobol/results.csv", kind_of_column, diags);
//   double y = t.columns[2][row];   // NaN for an empty cell
//
// RFC 4180 CSV (quoted fields, CRLF or LF line ends, an optional UTF-8 BOM, empty lines
// skipped), from a regular file (a device or a pipe is refused). Every problem goes to `diags`
// with file, line and column, at most kMaxCsvErrorsPerFile listed and the rest counted: a
// missing or repeated column name, a row with too few or too many cells, a run_id that is not a
// whole number. A column's kind says what is read from it: a number cell must be a number or
// missing (empty, NA, NaN, nan or null); a text cell is kept as written; an ignored one is not
// read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"

namespace cascade::cli {

enum class ColumnKind { number, text, ignored };

struct ResultsCsv {
  std::vector<std::string> names;               ///< column names, in file order
  std::vector<std::uint64_t> run_ids;           ///< per row
  std::vector<std::vector<double>> columns;     ///< per column, per row (NaN: missing, or not a number column)
  std::vector<std::vector<std::string>> texts;  ///< per column, per row for text columns (else empty)
  std::vector<int> lines;                       ///< per row, its line in the file
};

ResultsCsv read_results_csv(const std::filesystem::path& file,
                            const std::function<ColumnKind(const std::string& name)>& kind_of_column,
                            Diagnostics& diags);

}  // namespace cascade::cli
