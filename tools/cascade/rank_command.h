// `cascade rank FILE`: systemic importance of every firm (engine/experiments/rank.h).
//
//   RankCommand c{.scenario_file = "scenarios/ai-2026/baseline.yaml", .revenue_shock = 0.5};
//   return rank(c);   // prints the ranking table; with csv_file, also writes the CSV
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tools/cascade/commands.h"

namespace cascade::cli {

struct RankCommand {
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;     ///< `--set` texts
  std::optional<double> revenue_shock;    ///< also rank by a revenue cut to this fraction
  int shock_tick = 1;
  int threads = 1;
  std::size_t top = 0;                    ///< rows printed (0 = all)
  std::optional<std::filesystem::path> csv_file;
};

CLI::App* add_rank_subcommand(CLI::App& app, RankCommand& command, const std::string& footer);

ExitCode rank(const RankCommand& command);

}  // namespace cascade::cli
