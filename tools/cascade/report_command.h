// `cascade report RUNDIR [--compare OTHER_RUNDIR] --out FILE.html`: the regulator's report of a
// finished run, one self-contained HTML page (engine/output/report, docs/report.md). `cascade run
// FILE --report` calls it on the run it has just written.
//
//   ReportCommand c{.run_dir = "runs/s8", .compare_dir = "runs/baseline", .out = "s8.html"};
//   return report(c);
//
// The scenario is reloaded from the path in the run's manifest.json (or --scenario) with the
// run's overrides, and its content hash must equal the manifest's: a scenario changed since
// the run is refused (exit 2) unless --allow-changed-scenario, and then the page says so. Bad
// input (no run directory, files not as `cascade run` writes them, a missing or invalid
// scenario, an output that cannot be written) is a message on stderr and ExitCode::bad_input.
// Without Graphviz's `dot` the report is still written, with a note where the network
// pictures would be and a warning on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tools/cascade/commands.h"

namespace cascade::cli {

struct ReportCommand {
  std::filesystem::path run_dir;
  std::optional<std::filesystem::path> compare_dir;            ///< the baseline run
  std::filesystem::path out;                                   ///< the HTML file
  std::optional<std::filesystem::path> scenario_file;          ///< default: from run_dir/manifest.json
  std::optional<std::filesystem::path> compare_scenario_file;  ///< default: from compare_dir/manifest.json
  bool allow_changed_scenario = false;
  int threads = 1;                        ///< for the systemic-importance ranking's runs
  std::vector<std::string> command_line;  ///< argv, named in the page
};

CLI::App* add_report_subcommand(CLI::App& app, ReportCommand& command, const std::string& footer);

ExitCode report(const ReportCommand& command);

}  // namespace cascade::cli
