// `cascade loops FILE|DIR`: the money loops of a scenario or a plain network, and each firm's
// circularity (engine/analysis, docs/circular-financing.md).
//
//   LoopsCommand c{.input = "scenarios/ai-2026/baseline.yaml", .json = true};
//   return loops(c);   // prints {"components": [...], "cycles": [...], "cycle_count": n, ...}
//
// Bad input (unreadable or invalid scenario or network directory) is reported on stderr with
// ExitCode::bad_input; InternalError propagates to main.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/network/plain_network.h"
#include "tools/cascade/commands.h"

namespace cascade::cli {

struct LoopsCommand {
  std::filesystem::path input;          ///< scenario YAML file, or plain network directory
  std::vector<std::string> overrides;   ///< `--set` texts (scenarios only)
  bool json = false;
  std::size_t max_length = 6;           ///< firms per cycle; 0 = no bound
  std::size_t max_cycles = 100000;
  bool enforced_only = false;
  double spread_years = 5.0;            ///< stakes, warrants, guarantees and open debt
  std::size_t top = 20;                 ///< cycles and firms listed in the human output (0 = all)
};

/// Adds the `loops` subcommand to `app`, filling `command` when parsed. `footer` is appended
/// to its help (global options and exit codes).
CLI::App* add_loops_subcommand(CLI::App& app, LoopsCommand& command, const std::string& footer);

ExitCode loops(const LoopsCommand& command);

/// What the analysis subcommands (`loops`, `graph`) read: a validated scenario, or a plain
/// network directory.
struct AnalysisInput {
  std::optional<Model> model;
  std::optional<PlainNetwork> network;
};

/// Loads `path`: a directory as a plain network (only when `allow_directory`), anything else
/// as a scenario with `--set` overrides. On bad input prints every diagnostic on stderr and
/// returns nullopt; a scenario's warnings (Model::warnings) are printed too.
std::optional<AnalysisInput> load_analysis_input(const std::filesystem::path& path,
                                                 const std::vector<std::string>& overrides,
                                                 bool allow_directory = true);

}  // namespace cascade::cli
