// A results table read from CSV for `cascade analyze`: a run_id column and numeric columns.
//
//   Diagnostics diags;
//   ResultsCsv t = read_results_csv("runs/sobol/results.csv", diags);
//   double y = t.columns[2][row];   // NaN for an empty cell
//
// RFC 4180 CSV (quoted fields, CRLF or LF line ends, an optional UTF-8 BOM, empty lines
// skipped). Every problem goes to `diags` with file, line and column: a missing or repeated
// column name, a row with too few or too many cells, a run_id that is not a whole number. Cells
// of columns named in `text_columns` are kept as text; any other cell must be a number or
// missing (empty, NA, NaN, nan or null).
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"

namespace cascade::cli {

struct ResultsCsv {
  std::vector<std::string> names;            ///< column names, in file order
  std::vector<std::uint64_t> run_ids;        ///< per row
  std::vector<std::vector<double>> columns;  ///< per column, per row (NaN: empty or a text column)
  std::vector<int> lines;                    ///< per row, its line in the file
};

ResultsCsv read_results_csv(const std::filesystem::path& file, const std::set<std::string>& text_columns,
                            Diagnostics& diags);

}  // namespace cascade::cli
