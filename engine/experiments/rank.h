// Systemic importance: what each firm's failure does to everyone else.
//
// For each firm f the scenario is run again with f forced into default at `shock_tick` (and,
// optionally, once more with f's revenue cut to `revenue_shock_fraction` from that tick). The
// loss it causes is the loss of every *other* firm in that run minus their loss in the
// scenario as given (RunLoss over the others). Each firm's DebtRank is computed as well: the
// share of the network's equity (weights: initial book equity) that f's full distress reaches
// through claims and holdings at tick 0, by single-hit DebtRank (Battiston et al. 2012),
// f's own weight excluded.
//
//   const RankResult r = rank_firms(model, options, agents::standard_behaviours(), {});
//   for (const FirmImpact& i : r.failure) use(i.firm, i.caused.equity_lost_usd_bn, i.debtrank);
//
// Results are sorted (most loss caused first) and do not depend on options.threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/experiments/run_loss.h"
#include "engine/model/model.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/simulation.h"

namespace cascade {

struct RankOptions {
  Tick shock_tick = 1;
  /// With a value, also rank by each firm's revenue cut to this fraction (0.5 = a 50% shock).
  std::optional<double> revenue_shock_fraction;
};

struct FirmImpact {
  FirmIdx firm = 0;
  RunLoss caused;         ///< others' loss with the shock minus others' loss without it
  double debtrank = 0.0;  ///< system DebtRank of its failure at tick 0, in [0, 1]
};

struct RankResult {
  RunLoss base;                          ///< the scenario as given
  std::vector<FirmImpact> failure;       ///< sole failure of each firm, most loss caused first
  std::vector<FirmImpact> revenue_shock; ///< empty unless RankOptions::revenue_shock_fraction
};

/// System DebtRank of each firm's full distress at tick 0 (see above), by firm index.
std::vector<double> firm_debtranks(const Model& model);

RankResult rank_firms(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                      const RankOptions& rank_options = {});

/// One row per firm and experiment: rank, firm, type, losses caused, DebtRank.
std::string rank_csv(const RankResult& result, const Model& model);

}  // namespace cascade
