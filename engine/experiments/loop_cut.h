// Loop contribution: how much of a scenario's loss each circular-financing loop adds.
//
// Each money loop of the network (engine/analysis/loops.h, enforced exposures only: the loops
// that move money in a run) is cut in turn: its financing edge (the largest arc on it that
// carries money from a lender or investor; a loop of purchases only is cut at its weakest
// arc) keeps its terms for the obligor, but its exposed party becomes an outside counterparty
// with unlimited cash that never defaults and whose losses are not counted. The former
// exposed party keeps the asset or revenue as an outside one. The loop's contribution is the
// loss with every loop minus the loss with that loop cut.
//
//   const LoopCutResult r = cut_loops(model, options, agents::standard_behaviours(), {.max_loops = 20});
//   for (std::size_t k = 0; k < r.cases.size(); ++k) use(r.cases[k], r.contribution[k]);
//
// Runs are independent and execute options.threads at a time; results do not depend on it.
#pragma once

#include <string>
#include <vector>

#include "engine/experiments/run_loss.h"
#include "engine/model/model.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/simulation.h"

namespace cascade {

struct LoopCutOptions {
  std::size_t max_loops = 20;   ///< cut the largest loops (by money going round) first, at most this many
  std::size_t max_length = 6;   ///< most firms on a loop
};

struct LoopCutCase {
  std::vector<FirmIdx> firms;          ///< the loop, in money order
  std::vector<ExposureIdx> exposures;  ///< one exposure per step (the largest arc of the step)
  double usd_bn_per_year = 0.0;        ///< the money that goes round it
  ExposureIdx cut = 0;                 ///< the exposure given to an outside counterparty
};

struct LoopCutResult {
  RunLoss base;                       ///< every loop in place
  std::vector<LoopCutCase> cases;
  std::vector<RunLoss> without;       ///< per case: the loss with that loop cut
  std::vector<RunLoss> contribution;  ///< per case: base - without
  bool truncated = false;             ///< more loops exist than were cut
};

/// The model with exposure `e`'s exposed party replaced by an outside counterparty on the same
/// terms (a new firm appended at the end, id "outside_<exposure id>"). Validated and derived.
Model with_outside_counterparty(const Model& model, ExposureIdx e);

LoopCutResult cut_loops(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                        const LoopCutOptions& loop_options = {});

/// One row per loop: firms, cut exposure, money round it, loss with and without, contribution.
std::string loop_cut_csv(const LoopCutResult& result, const Model& model);

}  // namespace cascade
