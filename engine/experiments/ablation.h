// Channel ablation: how much each contagion channel adds, alone and together.
//
// The design of the INET Oxford system-wide stress test (Farmer et al. 2020, the O/E/F/C
// experiments): run the same scenario with every channel on, with none, with each channel
// alone and with all but one. A channel's standalone effect is (alone − none); its marginal
// effect is (all − all but it); the interaction is (all − none − Σ standalone effects), the
// part of the loss that exists only because channels amplify one another.
//
//   const AblationResult a = run_ablation(model, options, agents::standard_behaviours());
//   for (const ChannelEffect& e : a.effects) std::cout << e.channel << ' ' << e.marginal.equity_lost_usd_bn;
//
// Channels the scenario switches off stay off in every case. Runs are independent and execute
// in parallel (options.threads of them at a time, one thread each); results do not depend on it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/experiments/run_loss.h"
#include "engine/model/model.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/simulation.h"

namespace cascade {

struct AblationCase {
  std::string label;  ///< "all", "none", "only:<channel>", "all_but:<channel>"
  Channels channels;
};

struct ChannelEffect {
  std::string_view channel;
  RunLoss standalone;  ///< only this channel − none
  RunLoss marginal;    ///< all − all but this channel
};

struct AblationResult {
  std::vector<AblationCase> cases;
  std::vector<RunLoss> metrics;  ///< per case, same order
  std::vector<ChannelEffect> effects;    ///< per ablated channel, in Channels::names() order
  RunLoss interaction;           ///< all − none − Σ standalone
};

/// The cases for the channels that are on in `base`: all, none, then only/all-but per channel.
std::vector<AblationCase> ablation_plan(const Channels& base);

AblationResult run_ablation(const Model& model, const RunOptions& options, const Behaviours& behaviours);

/// The result as CSV: one row per case, then one row per channel effect and the interaction.
std::string ablation_csv(const AblationResult& result);

}  // namespace cascade
