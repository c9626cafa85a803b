// A sweep's results: the rows each run adds to the journal, and the files a finished sweep
// writes from the journal(s): results.csv, failures.csv, aggregate.csv and results.sqlite.
//
//   std::string payload;
//   append_run_row(payload, plan.run(7), outputs);              // while running
//   write_sweep_results(plan, metrics.columns(), {&journal}, info, "runs/study");  // at the end
//
// Formats (docs/sweep-format.md): results.csv has one row per run, sorted by run_id: run_id, point,
// replicate, seed, one column per parameter (named by its path), one per output; a failed run
// has empty output cells. failures.csv lists failed runs with their error. aggregate.csv has
// one row per point: its parameter values, runs, failed, and per output the mean, standard
// deviation (n - 1) and the 5/50/95% quantiles (linear interpolation between order
// statistics: R's type 7, numpy's default) over the point's successful runs. results.sqlite
// holds the same rows and the sweep's metadata (schema in docs/sweeps.md).
//
// Determinism: every file is a function of the sweep file and the run results only: the same
// bytes for any thread count, rank count or shard layout (the SQLite file is built by the same
// statements in the same order). Numbers use the shortest round-trip text.
//
// Thread safety: pure functions; write_sweep_results reads the journals, which nobody may
// append to meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/sweep/journal.h"
#include "engine/sweep/metrics.h"
#include "engine/sweep/sweep.h"

namespace cascade::sweep {

/// Quantile p of `sorted` (ascending), linear between order statistics (R type 7, numpy's
/// default): the rule of aggregate.csv. NaN when empty.
double sorted_quantile(std::span<const double> sorted, double p);

/// The results.csv header line (with its newline).
std::string results_header(const SweepSpec& spec, std::span<const MetricSet::Column> outputs);

/// Appends a successful run's row to a journal payload.
void append_run_row(std::string& payload, const RunPlan& run, std::span<const double> outputs);
/// Appends a failed run: its row with empty outputs, and its error for failures.csv.
void append_failed_row(std::string& payload, const RunPlan& run, std::size_t output_count, std::string_view error);

/// What results.sqlite records about the sweep (besides the parameters, outputs and design,
/// which it takes from the plan). No thread counts or times: the file must not depend on them.
struct SweepInfo {
  std::string version;        ///< Cascade's version
  std::string build;          ///< its build id (engine/core/build_id.h)
  std::string name;           ///< the sweep's name (SweepSpec::name of the original file)
  std::string scenario_file;  ///< as written in the sweep file ("" without one)
  std::string scenario_hash;
};

/// The chunks of [0, plan.chunk_count()) missing from every journal, in order.
std::vector<std::uint64_t> missing_chunks(const SweepPlan& plan, std::span<const Journal* const> journals);

/// What the result files hold about failed runs: every attempt's, resumed ones included.
struct FailedRuns {
  std::uint64_t count = 0;
  std::string first;  ///< the one with the lowest run id: "run R (point P, seed S): error"
};

/// Writes the four result files into `dir` (each to a temporary name, then renamed into
/// place). Every chunk must be in some journal (a chunk in several is taken from the first).
/// Throws JournalError on a read error or a missing chunk, output::OutputError on a write error.
FailedRuns write_sweep_results(const SweepPlan& plan, std::span<const MetricSet::Column> outputs,
                               std::span<const Journal* const> journals, const SweepInfo& info,
                               const std::filesystem::path& dir);

/// The result files, in the order they are listed to users.
inline constexpr std::array<std::string_view, 4> kSweepResultFiles{"results.csv", "aggregate.csv", "failures.csv",
                                                                   "results.sqlite"};

}  // namespace cascade::sweep
