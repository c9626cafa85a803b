// The scenario loader: a YAML scenario (format v1, docs/scenario-format.md) to a validated Model.
//
// Loading reads the main file and its includes, merges them, applies `--set` overrides,
// checks every rule, derives the dependent quantities (engine/model/derive.h) and returns the
// Model, which the engine only ever sees as `const Model&`. Problems are collected, never
// thrown one at a time: a bad scenario throws one ScenarioError that lists every error, each
// with file, line, column and YAML path:
//
//   try {
//     Model m = scenario::load_file("scenarios/ai-2026/baseline.yaml",
//                                   {.overrides = {scenario::parse_override("simulation.horizon_ticks=24")}});
//   } catch (const ScenarioError& e) {
//     // e.what(): "baseline.yaml:41:7: exposures[12].to: unknown firm 'opnai' (did you mean 'openai'?)\n..."
//   }
//
// Warnings (e.g. an exposure carrying more than a firm's reported total) go to Model::warnings.
// Thread safety: the functions keep no state; concurrent calls are independent.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/limits.h"
#include "engine/model/model.h"

namespace cascade::scenario {

/// One `--set path=value`: a dotted path into the merged scenario (list items by their id)
/// and the scalar text that replaces the value there.
struct Override {
  std::string path;   ///< e.g. "firms.openai.cash"
  std::string value;  ///< e.g. "10"
};

struct LoadOptions {
  std::vector<Override> overrides;  ///< applied in order after includes are merged
  InputLimits limits;               ///< caps on file sizes, YAML values, includes, firms, exposures, ticks
};

/// Loads, merges includes, applies overrides, validates every rule, derives, freezes.
/// Throws ScenarioError carrying every error diagnostic (file:line:col, YAML path, message);
/// warnings go to Model::warnings.
Model load_file(const std::filesystem::path& file, const LoadOptions& options = {});

/// Parses "path=value" (for --set); errors as ScenarioError.
Override parse_override(std::string_view text);

}  // namespace cascade::scenario
