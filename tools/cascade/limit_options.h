// The flags that raise the input limits (engine/core/limits.h, docs/robustness.md) on the
// subcommands that read inputs.
//
//   add_limit_options(*run_app);                           // --max-firms, --max-ticks, ...
//   app.parse(argc, argv);
//   scenario::LoadOptions options{.limits = scenario_limits()};
//
// One command runs per process, so the values given are kept process-wide: written while the
// command line is parsed, only read afterwards.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/core/limits.h"

namespace cascade::cli {

/// Adds --max-firms, --max-exposures, --max-ticks, --max-include-depth, --max-file-bytes and
/// --max-yaml-values to `command`.
void add_limit_options(CLI::App& command);

/// InputLimits{} with the flags given applied: for scenarios and sweep files.
InputLimits scenario_limits();
/// InputLimits::for_plain_networks() with the flags given applied: for plain network directories.
InputLimits plain_network_limits();

}  // namespace cascade::cli
