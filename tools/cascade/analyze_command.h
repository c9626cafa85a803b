// `cascade analyze`: sensitivity indices of a finished sweep (docs/sweeps.md).
//
//   AnalyzeCommand c{.source = "runs/sobol"};                         // a sweep directory
//   AnalyzeCommand d{.source = "study.yaml", .results = "y.csv"};     // any model's results
//   return analyze(c);   // sensitivity.csv, sensitivity.json, one SVG chart per output
//
// A saltelli design gives Sobol' first-order and total indices, a morris design Morris mu,
// mu* and sigma, each with bootstrap confidence intervals. Replicates of a point are averaged
// first. The results file needs a run_id column and one column per output; other columns of
// a Cascade results table (point, replicate, seed, the parameters) are recognised and skipped.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "tools/cascade/commands.h"

namespace cascade::cli {

struct AnalyzeCommand {
  std::filesystem::path source;                   ///< a sweep directory, or a sweep file with `results`
  std::optional<std::filesystem::path> results;   ///< results CSV of any model (with a sweep file)
  std::optional<std::filesystem::path> out_dir;   ///< default: the sweep directory, or the results file's
  std::uint32_t bootstrap_resamples = 1000;
  double confidence = 0.95;
};

CLI::App* add_analyze_subcommand(CLI::App& app, AnalyzeCommand& command, const std::string& footer);

ExitCode analyze(const AnalyzeCommand& command);

}  // namespace cascade::cli
