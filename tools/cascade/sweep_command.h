// The sweep subcommands: `cascade design`, `cascade sweep`, `cascade merge` (docs/sweeps.md).
//
//   SweepCommand c{.sweep_file = "scenarios/sweeps/baseline-sobol.yaml", .out_dir = "runs/sobol", .threads = 2};
//   return sweep(c);   // validates every point, runs, writes results; resumes an interrupted DIR
//
// Exit codes: 0 done (a sweep that finished with failed runs under on_failure: continue also
// exits 0 and says so); 1 stopped at a failed run (on_failure: stop); 2 bad input or a
// directory in the way; 3 internal error; 130 interrupted (SIGINT, SIGTERM): run the same command to
// resume.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/sweep/sweep.h"
#include "tools/cascade/commands.h"

namespace cascade::cli {

struct DesignCommand {
  std::filesystem::path sweep_file;
  std::filesystem::path out_file;
  std::uint64_t max_runs = 0;  ///< 0: the default cap
  bool force = false;
};

struct SweepCommand {
  std::filesystem::path sweep_file;
  std::filesystem::path out_dir;
  int threads = 1;
  std::uint64_t max_runs = 0;  ///< 0: the default cap
  std::optional<std::string> shard_text;  ///< "I/N", 0-based; else from Slurm's environment
  bool force = false;
  bool quiet = false;
  std::vector<std::string> command_line;
};

struct MergeCommand {
  std::vector<std::filesystem::path> shard_dirs;
  std::filesystem::path out_dir;
  bool force = false;
};

CLI::App* add_design_subcommand(CLI::App& app, DesignCommand& command, const std::string& footer);
CLI::App* add_sweep_subcommand(CLI::App& app, SweepCommand& command, const std::string& footer);
CLI::App* add_merge_subcommand(CLI::App& app, MergeCommand& command, const std::string& footer);

ExitCode design(const DesignCommand& command);
ExitCode sweep(const SweepCommand& command);
ExitCode merge(const MergeCommand& command);

/// Runs a sweep built in code (`cascade run --replications`) as `sweep` runs a sweep file, on
/// this process's threads: `sweep_bytes` is the sweep file it stands for (kept in the directory
/// as sweep.yaml; `spec.content_hash` must be its SHA-256, so that the same command resumes).
ExitCode run_sweep(const SweepCommand& command, sweep::SweepSpec spec, std::string sweep_bytes);

/// The shard of this process: `--shard I/N` (0-based), else Slurm's SLURM_ARRAY_TASK_ID with
/// SLURM_ARRAY_TASK_MIN/MAX (or _COUNT), which work whether the array starts at 0 or 1, else
/// shard 0 of 1. `environment` looks a variable up (getenv in the program). Throws
/// ScenarioError with a message naming the problem.
sweep::Shard resolve_shard(const std::optional<std::string>& shard_text,
                           const std::function<const char*(const char*)>& environment);

}  // namespace cascade::cli
