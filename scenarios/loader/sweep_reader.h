// Reads a sweep file (docs/sweep-format.md) into a SweepSpec, reporting every problem at once.
//
//   try {
//     sweep::SweepSpec spec = scenario::load_sweep("scenarios/sweeps/s5-sobol.yaml");
//   } catch (const ScenarioError& e) {
//     // "baseline-sobol.yaml:9:10: parameters[1].min: must be below max (2), got 3" ...
//   }
//
// This checks the file on its own: its keys, types, distributions and design, and that the
// design expands to a run count within `limits.max_sweep_runs`. Whether each parameter path and value suits
// the scenario, and the outputs its firms allow, is checked by SweepModels
// (sweep_models.h), which needs the scenario.
//
// Thread safety: no state; concurrent calls are independent.
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/core/limits.h"
#include "engine/sweep/sweep.h"

namespace cascade::scenario {

/// The format tag a sweep file may declare (`format: cascade-sweep/1`).
inline constexpr std::string_view kSweepFormatTag = "cascade-sweep/1";

/// Reads the file within `limits` (its size and YAML values, and `max_sweep_runs`, which
/// `--max-runs` raises). Throws ScenarioError carrying every error (file:line:col, YAML path,
/// message).
sweep::SweepSpec load_sweep(const std::filesystem::path& file, const InputLimits& limits = {});

}  // namespace cascade::scenario
