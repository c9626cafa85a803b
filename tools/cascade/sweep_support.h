// Helpers shared by the sweep subcommands (design, sweep, merge, analyze).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "engine/core/diagnostics.h"
#include "engine/core/limits.h"
#include "engine/output/json_file.h"
#include "engine/sweep/results_table.h"
#include "engine/sweep/sweep.h"
#include "engine/sweep/sweep_directory.h"
#include "tools/cascade/commands.h"

namespace cascade::cli {

/// Prints every diagnostic and the error count; returns bad_input.
ExitCode report_sweep_error(const ScenarioError& error);

/// Loads a sweep file within `limits`; on bad input prints why and returns nothing.
std::optional<sweep::SweepSpec> load_sweep_or_report(const std::filesystem::path& file, const InputLimits& limits);

/// DIR/manifest.json parsed; a discarded value when it is missing or not JSON.
output::Json read_manifest_json(const std::filesystem::path& dir);

/// Loads the copy `sweep.yaml` of a sweep directory (no limit on its runs): its name is the one
/// the directory's manifest.json records (the copy's file name would make it "sweep").
std::optional<sweep::SweepSpec> load_directory_sweep_or_report(const std::filesystem::path& dir);

/// The limits of a command with `--max-runs` (0 when not given) and the limit flags.
InputLimits sweep_limits(std::uint64_t max_runs);

/// The design as recorded in manifests.
output::Json design_json(const sweep::SweepSpec& spec);

/// What an earlier attempt left in a sweep directory, as far as this identity is concerned.
struct PreviousSweep {
  bool complete = false;        ///< the same sweep (and shard), finished
  bool points_checked = false;  ///< the same sweep, its points all checked
  output::Json result_files;    ///< sizes and CRC-32s of the result files, once complete (may be null)
  /// The build that made it when it was not this one ("unrecorded" for builds before the id was
  /// recorded), else "": such a sweep cannot be resumed, but a complete one stands.
  std::string other_build;
};
PreviousSweep peek_sweep_directory(const std::filesystem::path& dir, const sweep::SweepIdentity& identity);

/// "  N run(s) failed (failures.csv); the first: run R (point P, seed S): why", and nothing when
/// none did; then "Outputs: DIR/ (results.csv, aggregate.csv, failures.csv, results.sqlite)".
void print_results_written(const std::filesystem::path& dir, const sweep::FailedRuns& failed);

}  // namespace cascade::cli
