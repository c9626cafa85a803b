// Firm-type behaviour: the decision rules of each firm type and their default knobs.
//
//   AgentParams p = agents::defaults_for(FirmType::neocloud);   // type defaults
//   const Behaviours& b = agents::standard_behaviours();        // rules the tick loop calls
//
// docs/agents.md states each rule and each default with its rationale.
// Thread safety: both functions return immutable objects; safe to call from any thread.
#pragma once

#include "engine/model/agent_params.h"
#include "engine/sim/behaviour.h"

namespace cascade::agents {

/// The built-in knobs of a firm type (before scenario overrides).
AgentParams defaults_for(FirmType type);

/// The behaviour of every firm type. The returned object lives for the whole program.
const Behaviours& standard_behaviours();

}  // namespace cascade::agents
