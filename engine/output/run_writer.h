// Writes one run's outputs into a directory that appears complete or not at all.
//
//   RunWriter writer(model, "runs/baseline", /*replace_existing=*/false);  // throws OutputError if it exists
//   SimResult result = run_simulation(model, options, behaviours, &writer);
//   writer.finish(result, RunManifest{.options = options, .overrides = {}, .command_line = argv},
//                 analysis::firm_circularity(model));
//
// Files (formats in tools/README.md):
//   timeseries.csv     one row per (tick, firm), tick 0 = initial state    -- streamed by on_tick
//   system.csv         one row per tick                                     -- streamed by on_tick
//   defaults.csv       one row per default, in order of occurrence          -- streamed by on_default
//   exposures.csv      one row per (tick, exposure): flows and balances     -- streamed by on_exposures
//                      (left out when exposures x ticks exceed kMaxExposureRows: large networks)
//   warnings.txt       the scenario's validation warnings, one per line     -- written by finish
//   credit_losses.csv  one row per credit loss, in order of occurrence      -- written by finish
//   summary.json       the run's headline figures                           -- written by finish
//   manifest.json      version, build, scenario hash, seed, threads, effective parameters, command line
//
// Determinism: every file except manifest.json depends only on the model and the run's
// results, never on the thread count, time or host; manifest.json records the thread count and
// the command line, so it is excluded from byte-for-byte comparisons between runs.
//
// Atomicity: files go to `<out_dir>.tmp-<pid>`; finish() renames that onto `out_dir` (see
// StagingDirectory). If the writer is destroyed without a successful finish() (the run threw),
// the staging directory is removed and `out_dir` is untouched.
//
// Lifetime and threads: `model` must outlive the writer. The simulation calls on_tick and
// on_default from its simulating thread only (Observer contract); the writer is not otherwise
// thread safe.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/analysis/circularity.h"
#include "engine/model/model.h"
#include "engine/output/csv_file.h"
#include "engine/output/staging_directory.h"
#include "engine/sim/simulation.h"

namespace cascade::output {

/// One `--set path=value` override as the user gave it.
struct OverrideRecord {
  std::string path;
  std::string value;
};

/// How the run was made: recorded in manifest.json (and seed/replication/audit in summary.json).
struct RunManifest {
  RunOptions options;                      ///< as passed to run_simulation
  std::vector<OverrideRecord> overrides;   ///< in the order given
  std::vector<std::string> command_line;   ///< argv, program name first
};

/// The files of a run directory, in the order they are listed to users.
inline constexpr std::array<std::string_view, 8> kRunFiles{
    "timeseries.csv",     "system.csv",   "defaults.csv",  "credit_losses.csv",
    "exposures.csv",      "warnings.txt", "summary.json",  "manifest.json"};

/// exposures.csv is written when exposures x (ticks + 1) is at most this (about 1 GB of CSV).
inline constexpr std::uint64_t kMaxExposureRows = 10'000'000;

class RunWriter final : public Observer {
 public:
  /// Creates the staging directory and the streamed CSV files with their headers.
  /// Throws OutputError when `out_dir` exists and `replace_existing` is false, when it exists
  /// but is neither empty nor an earlier run directory (one with a manifest.json: anything else
  /// is never replaced), or on an I/O error.
  RunWriter(const Model& model, std::filesystem::path out_dir, bool replace_existing);

  /// Appends one system.csv row and one timeseries.csv row per firm. Ticks must arrive in order
  /// starting at 0, with one record per firm in firm order (InternalError otherwise).
  void on_tick(const SystemTickRecord& system, std::span<const FirmTickRecord> firms) override;
  /// Appends one defaults.csv row.
  void on_default(const DefaultEvent& event) override;
  bool wants_exposures() const override { return exposures_.has_value(); }
  /// Appends one exposures.csv row per exposure.
  void on_exposures(Tick tick, std::span<const ExposureTickRecord> exposures) override;
  /// Rows exposures.csv would have for `model`.
  static std::uint64_t exposure_rows(const Model& model);

  /// Writes credit_losses.csv, summary.json and manifest.json, closes every file and moves the
  /// directory into place. Call once, after run_simulation returned. `circularity` is
  /// analysis::firm_circularity(model) (summary.json shows it). Throws OutputError.
  void finish(const SimResult& result, const RunManifest& manifest, const analysis::CircularityResult& circularity);

  /// Writes an extra file `name` (no directories) into the run directory before finish().
  void add_file(std::string_view name, std::string_view content);

  /// The final directory (normalised form of `out_dir`).
  const std::filesystem::path& out_dir() const { return directory_.target(); }

 private:
  const Model& model_;
  StagingDirectory directory_;
  std::vector<std::string> added_files_;  ///< add_file's names, in order (listed in the manifest)
  CsvFile timeseries_;
  CsvFile system_;
  CsvFile defaults_;
  std::optional<CsvFile> exposures_;  ///< absent for very large networks (kMaxExposureRows)
  /// Per exposure, the fields of its rows that never change ("id,kind,from,to,"), formatted once
  /// (with exposures_ only).
  struct ExposureLabels {
    std::string text;
    std::vector<std::size_t> offsets;  ///< exposures + 1
    std::string_view of(ExposureIdx e) const {
      return std::string_view(text).substr(offsets[e], offsets[e + 1] - offsets[e]);
    }
  } exposure_labels_;
  std::optional<Tick> last_tick_;  ///< the last tick written; empty before tick 0
};

}  // namespace cascade::output
