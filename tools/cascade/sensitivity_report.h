// The files and console table of `cascade analyze`: sensitivity.csv, sensitivity.json and one
// SVG chart per output (docs/sweeps.md, "Analysing a sweep").
//
//   SensitivityReport report(plan, {.resamples = 1000});
//   report.add("defaults", y_per_point);   // computes Sobol' or Morris by the plan's design
//   report.write("runs/sobol");            // throws OutputError
//   std::cout << report.table();
#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "engine/sweep/sensitivity.h"
#include "engine/sweep/sweep.h"

namespace cascade::cli {

class SensitivityReport {
 public:
  SensitivityReport(const sweep::SweepPlan& plan, sweep::BootstrapSpec bootstrap);

  /// Analyses one output, `y` holding one value per design point (NaN: missing). Throws
  /// std::invalid_argument when the estimator cannot (too few usable samples).
  void add(const std::string& output, const std::vector<double>& y);
  /// Records an output left out, and why (shown in the table and the JSON).
  void skip(const std::string& output, const std::string& reason);
  /// Whether some output was analysed (not every one left out).
  bool any_analysed() const;

  /// Writes sensitivity.csv, sensitivity.json and sensitivity-<output>.svg into `dir`, all or
  /// none: a file that cannot be written leaves the files there as they were.
  void write(const std::filesystem::path& dir) const;
  /// The console table: per output, parameters by decreasing total index (or mu*).
  std::string table() const;

 private:
  struct Entry {
    std::string output;
    std::variant<sweep::SobolResult, sweep::MorrisResult, std::string> result;  ///< string: why skipped
  };
  std::string csv() const;
  std::string json() const;
  std::string chart(const Entry& e) const;
  /// Per entry, its chart's file name (empty for a skipped output): sensitivity-<output>.svg,
  /// with -2, -3, ... where two outputs' names give the same file name.
  std::vector<std::string> chart_files() const;

  const sweep::SweepPlan& plan_;
  sweep::BootstrapSpec bootstrap_;
  std::vector<Entry> entries_;
};

/// `name` as a file-name part: letters, digits, '_', '-' and '.' kept, anything else '_'.
std::string file_safe(const std::string& name);

}  // namespace cascade::cli
