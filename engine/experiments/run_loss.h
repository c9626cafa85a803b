// What a run lost: the yardstick the experiments (ablation, loop cutting, rankings) compare.
//
//   const RunLoss base = RunLoss::of(run_simulation(model, ...));
//   const RunLoss cut = RunLoss::of(run_simulation(variant, ...), counted);  // only `counted` firms
//   RunLoss added = base - cut;
#pragma once

#include <vector>

#include "engine/sim/simulation.h"

namespace cascade {

struct RunLoss {
  double equity_lost_usd_bn = 0.0;  ///< equity lost by the firms whose equity fell (start minus end)
  double net_equity_loss_usd_bn = 0.0;  ///< start minus end over all counted firms: gains offset losses
  double credit_loss_usd_bn = 0.0;  ///< claims minus recoveries on defaulted firms, held by counted firms
  double defaults = 0.0;            ///< counted firms that defaulted

  /// Over every firm, or only those with counted[f] true (firms added by an experiment, or the
  /// firm whose failure is being measured, are left out).
  static RunLoss of(const SimResult& result, const std::vector<bool>* counted = nullptr);
};
RunLoss operator-(const RunLoss& a, const RunLoss& b);
RunLoss operator+(const RunLoss& a, const RunLoss& b);

}  // namespace cascade
