// `cascade graph FILE`: the scenario's money-flow network as a Graphviz picture (DOT, or SVG
// through Graphviz's `dot` when it is installed). engine/analysis/network_picture.h draws it.
//
//   GraphCommand c{.scenario_file = "scenarios/ai-2026/baseline.yaml", .out = "network.dot"};
//   return graph(c);
//
// Bad input (invalid scenario, --tick without --run, a run of another scenario (its manifest's
// scenario hash differs; --force draws it anyway), a run that does not match the scenario,
// an output that cannot be written, SVG asked for without `dot` installed) is reported on
// stderr with ExitCode::bad_input.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tools/cascade/commands.h"

namespace cascade::cli {

struct GraphCommand {
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;          ///< `--set` texts
  std::optional<std::filesystem::path> run_dir;  ///< colour firms by state from DIR/timeseries.csv
  std::optional<int> tick;                     ///< with run_dir; default: the run's last tick
  std::optional<std::filesystem::path> out;    ///< .dot (or any name) = DOT, .svg = SVG; default stdout
  bool svg = false;                            ///< render SVG (next to a DOT --out, or on stdout)
  bool enforced_only = false;
  bool force = false;  ///< use run_dir even if it is a run of another scenario
  std::size_t loop_max_length = 6;
};

CLI::App* add_graph_subcommand(CLI::App& app, GraphCommand& command, const std::string& footer);

ExitCode graph(const GraphCommand& command);

}  // namespace cascade::cli
