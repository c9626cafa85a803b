#include "engine/experiments/run_loss.h"

#include <algorithm>

namespace cascade {

RunLoss RunLoss::of(const SimResult& result, const std::vector<bool>* counted) {
  auto in = [&](FirmIdx f) { return counted == nullptr || (f < counted->size() && (*counted)[f]); };
  RunLoss m;
  for (std::size_t f = 0; f < result.initial_firms.size() && f < result.final_firms.size(); ++f)
    if (in(static_cast<FirmIdx>(f))) {
      const double fall = result.initial_firms[f].equity_usd_bn - result.final_firms[f].equity_usd_bn;
      m.equity_lost_usd_bn += std::max(0.0, fall);
      m.net_equity_loss_usd_bn += fall;
    }
  for (const CreditLoss& l : result.credit_losses)
    if (in(l.holder)) m.credit_loss_usd_bn += l.loss_usd_bn();
  for (const DefaultEvent& d : result.defaults)
    if (in(d.firm)) m.defaults += 1.0;
  return m;
}

RunLoss operator-(const RunLoss& a, const RunLoss& b) {
  return {a.equity_lost_usd_bn - b.equity_lost_usd_bn, a.net_equity_loss_usd_bn - b.net_equity_loss_usd_bn,
          a.credit_loss_usd_bn - b.credit_loss_usd_bn, a.defaults - b.defaults};
}
RunLoss operator+(const RunLoss& a, const RunLoss& b) {
  return {a.equity_lost_usd_bn + b.equity_lost_usd_bn, a.net_equity_loss_usd_bn + b.net_equity_loss_usd_bn,
          a.credit_loss_usd_bn + b.credit_loss_usd_bn, a.defaults + b.defaults};
}

}  // namespace cascade
