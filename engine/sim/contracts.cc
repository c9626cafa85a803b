// Compute contracts that renew, lapse or are exited (contract_renewal channel; docs/model.md,
// "The AI-capex cycle", contracts).
//
// A lease or service purchase commitment that has paid out renews for its original term at the
// customer's demand now: the expiring annual payment x the customer's revenue (moving average)
// relative to when the contract started x any renewal_multiplier shock on the customer. A
// customer that sells compute itself first fills its own capacity idle beyond normal use
// (utilisation below parameters.initial_utilisation) and renews only the rest. A renewal below
// parameters.renewal_min_fraction of the expiring contract is not signed: the contract lapses.
// With the channel off, every contract renews on the same terms.
//
// A distressed customer (one that drops non-binding deals) exits a binding contract whose exit
// terms allow it (take_or_pay below 1): it owes the take-or-pay share of what remained, once.
//
// The supplier's revenue lost to a lapse, a smaller renewal or an exit accrues per tick to its
// contract_renewal losses, for the term the contract would have run.
#include <algorithm>
#include <cmath>

#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

bool renewable(const ExposureSpec& spec) {
  return spec.kind == ExposureKind::lease ||
         (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::service);
}

/// The contract's original term in ticks (at least 1).
Tick term_ticks(const ExposureSpec& spec, int ticks_per_year) {
  const double years = spec.annual_usd_bn > 0.0 ? spec.effective_amount_usd_bn / spec.annual_usd_bn : 0.0;
  return std::max<Tick>(1, static_cast<Tick>(std::llround(years * ticks_per_year)));
}

/// Compute revenue per year firm `f` could earn from its own capacity idle beyond normal use:
/// merchant capacity x (initial utilisation - utilisation) x revenue per GW x compute price.
double idle_capacity_usd_bn_per_year(const SimState& state, FirmIdx f) {
  const Model& m = state.model();
  const FirmState& s = state.firms[f];
  if (m.firms[f].params.sells_compute < 0.5 || !m.channels.ai_demand || state.market.initial_ai_demand_gw <= 0.0)
    return 0.0;
  const double idle_share = std::max(0.0, m.params.initial_utilisation - state.market.ai_utilisation);
  return s.ai_capacity_gw * idle_share * s.ai_revenue_per_gw_year_usd_bn * state.market.compute_price_index;
}

void forgo(ExposureState& e, double per_year_usd_bn, Tick until_tick) {
  e.foregone_usd_bn_per_year = std::max(0.0, per_year_usd_bn);
  e.foregone_until_tick = until_tick;
}

/// Renews the expired stream `idx` for its original term (see the file comment). `idle`: per
/// customer, own idle capacity not yet used this tick in place of a renewal (-1: not computed).
void renew(SimState& state, ExposureIdx idx, const TickInputs& in, std::vector<double>& idle) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  const int tpy = m.params.ticks_per_year;
  const Tick term = term_ticks(spec, tpy);
  double renewed = e.annual_usd_bn;
  if (m.channels.contract_renewal) {
    const FirmState& customer = state.firms[spec.to];
    const double demand_ratio = e.obligor_revenue_at_start_usd_bn_per_tick > 0.0
                                    ? customer.revenue_usd_bn_per_tick / e.obligor_revenue_at_start_usd_bn_per_tick
                                    : 1.0;
    renewed = e.annual_usd_bn * std::max(0.0, demand_ratio) * in.renewal_multiplier[spec.to];
    if (m.firms[spec.from].params.sells_compute >= 0.5) {  // compute the customer can run on its own idle capacity
      if (idle[spec.to] < 0.0) idle[spec.to] = idle_capacity_usd_bn_per_year(state, spec.to);
      const double insourced = std::min(renewed, idle[spec.to]);
      idle[spec.to] -= insourced;
      renewed -= insourced;
    }
    if (renewed < m.params.renewal_min_fraction * e.annual_usd_bn) renewed = 0.0;  // lapses
  }
  forgo(e, e.annual_usd_bn - renewed, state.tick + term - 1);
  e.annual_usd_bn = renewed;
  e.remaining_usd_bn = renewed * term / tpy;
  e.obligor_revenue_at_start_usd_bn_per_tick = state.firms[spec.to].revenue_usd_bn_per_tick;
}

}  // namespace

void renew_contracts(SimState& state, const TickInputs& in) {
  const Model& m = state.model();
  const int tpy = m.params.ticks_per_year;
  // Per customer: idle own capacity not yet used this tick in place of a renewal (USD bn per year).
  std::vector<double>& idle = state.scratch.idle_usd_bn_per_year;
  idle.assign(m.firms.size(), -1.0);
  for (ExposureIdx idx = 0; idx < m.exposures.size(); ++idx) {
    const ExposureSpec& spec = m.exposures[idx];
    ExposureState& e = state.exposures[idx];
    if (!state.books[idx].active || !is_contract_stream(spec.kind)) continue;
    const bool due_for_renewal = renewable(spec) && e.remaining_usd_bn <= 0.0 && e.annual_usd_bn > 0.0 &&
                                 state.tick > spec.start_tick && !state.defaulted[spec.to] &&
                                 !state.defaulted[spec.from];
    if (due_for_renewal) renew(state, idx, in, idle);
    if (e.foregone_usd_bn_per_year > 0.0 && state.tick <= e.foregone_until_tick && !state.defaulted[spec.from])
      state.losses[spec.from][DefaultChannel::contract_renewal] += e.foregone_usd_bn_per_year / tpy;
  }
}

double exit_contract(SimState& state, ExposureIdx idx, const TickInputs& in) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  if (!m.channels.contract_renewal || spec.take_or_pay_fraction >= 1.0 || !is_binding(spec.status) ||
      in.honours_nonbinding[spec.to] || e.remaining_usd_bn <= 0.0 || e.annual_usd_bn <= 0.0)
    return 0.0;
  const int tpy = m.params.ticks_per_year;
  const double fee = spec.take_or_pay_fraction * e.remaining_usd_bn;
  const Tick ticks_left = static_cast<Tick>(std::ceil(e.remaining_usd_bn / (e.annual_usd_bn / tpy) - 1e-9));
  forgo(e, (1.0 - spec.take_or_pay_fraction) * e.annual_usd_bn, state.tick + ticks_left);  // from next tick
  e.remaining_usd_bn = 0.0;
  e.annual_usd_bn = 0.0;  // ended: never renews
  return fee;
}

}  // namespace cascade::sim
