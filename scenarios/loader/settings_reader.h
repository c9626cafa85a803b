// Readers for the settings sections of a scenario: `scenario`, `simulation`, `parameters`,
// `channels`, agent knobs (`agent_defaults`, `firms[i].params`) and recorded facts.
//
// Each reads one located YAML node, reports every problem to `diags` and fills only what is
// valid, leaving the documented defaults elsewhere:
//
//   ModelParameters params;
//   read_simulation(*doc.root.find("simulation"), params, diags);
#pragma once

#include <array>
#include <utility>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/model/agent_params.h"
#include "engine/model/model.h"
#include "scenarios/loader/yaml_tree.h"

namespace cascade::scenario {

/// `scenario:` metadata (name required); `files` and `content_hash` are left to the caller.
ScenarioInfo read_scenario_info(const YNode& node, Diagnostics& diags);

/// `simulation:` horizon_ticks, ticks_per_year, seed.
void read_simulation(const YNode& node, ModelParameters& params, Diagnostics& diags);

/// `parameters:` the engine parameters of docs/scenario-format.md.
void read_parameters(const YNode& node, ModelParameters& params, Diagnostics& diags);

/// `channels:` contagion channel switches.
void read_channels(const YNode& node, Channels& channels, Diagnostics& diags);

/// Knob values that replace defaults, in the order written.
using ParamOverrides = std::vector<std::pair<const AgentParamInfo*, double>>;

/// A mapping of knob name -> value (`firms[i].params`, one type of `agent_defaults`): unknown
/// knobs get did-you-mean, values must lie in the knob's range.
ParamOverrides read_param_overrides(const YNode& node, Diagnostics& diags);

/// `agent_defaults:` firm type -> knob overrides.
using TypeParamOverrides = std::array<ParamOverrides, kFirmTypeCount>;
TypeParamOverrides read_agent_defaults(const YNode& node, Diagnostics& diags);

/// Applies `overrides` to `params`, in order.
void apply_param_overrides(const ParamOverrides& overrides, AgentParams& params);

/// A mapping of name -> single-number figure (`firms[i].facts`).
std::map<std::string, Fact> read_fact_map(const YNode& node, Diagnostics& diags);

/// `facts:` group -> name -> a number, a range [low, high] or {value, source, note}.
std::vector<RecordedFact> read_recorded_facts(const YNode& node, Diagnostics& diags);

}  // namespace cascade::scenario
