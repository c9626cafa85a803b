// Phase 7 of a tick: who defaults, why, and how its estate is shared out.
//
// A firm defaults when it still has arrears after the funding phase (liquidity), when a
// force_default shock hits it (forced), or, with parameters.solvency_default, when its book
// equity is below zero (solvency). With the default_resolution channel on, a defaulted firm
// is resolved at once: its non-cash assets are sold to outside buyers at the liquidation
// fractions, the cash is paid to its creditors by seniority class (secured, senior,
// subordinated, then equity holders), pro rata within a class, and every contract with it
// ends. Resolution can make creditors insolvent, so detection repeats until no firm defaults.
#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

std::string money(double v) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(2);
  os << v;
  return os.str();
}

/// The channel whose cumulative loss alone exceeds the shortfall ("but for" this loss the firm
/// would not have fallen short); the largest such channel, else the firm's own operations.
DefaultChannel attribute(const ChannelLosses& l, double shortfall_usd_bn) {
  const std::array<std::pair<double, DefaultChannel>, 4> candidates{{
      {l.unpaid_receipts_usd_bn, DefaultChannel::payment_clearing},
      {l.revenue_shortfall_usd_bn, DefaultChannel::revenue_contract},
      {l.credit_losses_usd_bn, DefaultChannel::default_resolution},
      {l.shock_losses_usd_bn, DefaultChannel::shock},
  }};
  const auto best = std::max_element(candidates.begin(), candidates.end(),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
  return best->first > 0.0 && best->first >= shortfall_usd_bn ? best->second : DefaultChannel::own_operations;
}

std::string describe(const DefaultEvent& ev, const FirmState& s, const FirmFlows& flows) {
  std::string out;
  switch (ev.kind) {
    case DefaultKind::liquidity:
      out = "could not pay " + money(ev.shortfall_usd_bn) + " of obligations after raising " + money(flows.funding_usd_bn);
      break;
    case DefaultKind::solvency:
      out = "book equity fell to " + money(-ev.shortfall_usd_bn);
      break;
    case DefaultKind::forced:
      out = "forced by a scenario shock";
      break;
  }
  out += "; losses so far: payment_clearing " + money(s.losses.unpaid_receipts_usd_bn) + ", revenue_contract " +
         money(s.losses.revenue_shortfall_usd_bn) + ", default_resolution " + money(s.losses.credit_losses_usd_bn) +
         ", shock " + money(s.losses.shock_losses_usd_bn);
  return out;
}

/// A claim on a defaulted firm's estate.
struct Claim {
  FirmIdx holder;          ///< kExternalCreditor for outside creditors
  ExposureIdx exposure;    ///< valid when holder is a firm
  Seniority seniority;
  double amount_usd_bn;
  double booked_value_usd_bn;  ///< value the holder carries on its balance sheet (securities only)
  double unpaid_usd_bn;        ///< arrears in the claim, already counted as the holder's unpaid receipts
};

/// Sells the defaulted firm's non-cash assets to outside buyers; claims it held on other firms
/// become those firms' external debt.
void liquidate(SimState& state, FirmIdx d) {
  const Model& m = state.model();
  const ModelParameters& p = m.params;
  FirmState& s = state.firms[d];
  auto sell = [&](double book, double fraction) {
    if (book <= 0.0) return;
    state.external_in(d, book * fraction);
    state.ledger.assets_sold_out_usd_bn += book;
  };
  sell(s.hardware_usd_bn, p.liquidation_hardware_fraction);
  s.hardware_usd_bn = 0.0;
  sell(s.other_assets_usd_bn, p.liquidation_other_fraction);
  s.other_assets_usd_bn = 0.0;

  for (ExposureIdx idx : state.network().held_by(d)) {
    const ExposureSpec& spec = m.exposures[idx];
    ExposureState& e = state.exposures[idx];
    if (!e.active) continue;
    if (carries_value(spec)) sell(e.value_usd_bn, p.liquidation_securities_fraction);
    if (carries_principal(spec) && e.principal_usd_bn > 0.0) {
      sell(e.principal_usd_bn, p.liquidation_securities_fraction);
      // The outside buyer holds the claim as ordinary external debt (overdue principal is
      // rolled into it); unpaid interest stays due.
      FirmState& obligor = state.firms[spec.to];
      obligor.external_debt_usd_bn += e.principal_usd_bn;
      obligor.external_arrears_usd_bn += e.arrears_usd_bn;
    }
    e = ExposureState{.active = false};  // held claims sold; contracts it supplied end
  }
}

std::vector<Claim> claims_on(const SimState& state, FirmIdx d) {
  const Model& m = state.model();
  const FirmState& s = state.firms[d];
  std::vector<Claim> out;
  for (ExposureIdx idx : state.network().owed_by(d)) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    if (!e.active) continue;
    if (carries_principal(spec)) {
      out.push_back({spec.from, idx, spec.seniority, e.principal_usd_bn + e.arrears_usd_bn, 0.0,
                     e.arrears_usd_bn + e.principal_overdue_usd_bn});
    } else if (is_contract_stream(spec.kind)) {
      const double rejected = std::min(e.remaining_usd_bn * spec.take_or_pay_fraction,
                                       m.params.contract_claim_years * spec.annual_usd_bn);
      out.push_back({spec.from, idx, spec.seniority, rejected + e.arrears_usd_bn, 0.0, e.arrears_usd_bn});
    } else if (carries_value(spec) && e.value_usd_bn > 0.0) {
      out.push_back({spec.from, idx, Seniority::equity, e.value_usd_bn, e.value_usd_bn, 0.0});
    }
  }
  const double external = s.external_debt_usd_bn + s.external_arrears_usd_bn + s.lease_liabilities_usd_bn +
                          s.other_liabilities_usd_bn;
  if (external > 0.0) out.push_back({kExternalCreditor, 0, Seniority::senior, external, 0.0, 0.0});
  return out;
}

void resolve(SimState& state, FirmIdx d, std::vector<CreditLoss>& losses) {
  const Model& m = state.model();
  liquidate(state, d);
  const std::vector<Claim> claims = claims_on(state, d);
  FirmState& s = state.firms[d];

  std::vector<double> recovered(claims.size(), 0.0);
  for (std::size_t cls = 0; cls < kSeniorityCount; ++cls) {
    double total = 0.0;
    for (const Claim& c : claims)
      if (static_cast<std::size_t>(c.seniority) == cls) total += c.amount_usd_bn;
    const double cash = std::max(0.0, s.cash_usd_bn);
    if (total <= 0.0 || cash <= 0.0) continue;
    const double ratio = std::min(1.0, cash / total);
    for (std::size_t k = 0; k < claims.size(); ++k) {
      const Claim& c = claims[k];
      if (static_cast<std::size_t>(c.seniority) != cls) continue;
      recovered[k] = c.amount_usd_bn * ratio;
      if (c.holder == kExternalCreditor) state.external_out(d, recovered[k]);
      else state.transfer(d, c.holder, recovered[k]);
    }
  }
  // What is left after every claim belongs to outside shareholders.
  if (s.cash_usd_bn > 0.0) state.external_out(d, s.cash_usd_bn);

  for (std::size_t k = 0; k < claims.size(); ++k) {
    const Claim& c = claims[k];
    if (c.holder == kExternalCreditor) continue;
    const ExposureSpec& spec = m.exposures[c.exposure];
    losses.push_back({.tick = state.tick,
                      .holder = c.holder,
                      .obligor = d,
                      .exposure = c.exposure,
                      .kind = spec.kind,
                      .claim_usd_bn = c.amount_usd_bn,
                      .recovered_usd_bn = recovered[k]});
    // The claim's arrears stop being "unpaid receipts" and become part of the credit loss.
    ChannelLosses& holder_losses = state.firms[c.holder].losses;
    holder_losses.unpaid_receipts_usd_bn -= c.unpaid_usd_bn;
    holder_losses.credit_losses_usd_bn += c.amount_usd_bn - recovered[k];
    state.ledger.resolution_usd_bn -= c.booked_value_usd_bn;  // stakes in d written off
  }
  // d's booked external liabilities are extinguished (its network debt goes with the
  // holders' claims, which nets out); every contract with d ends.
  state.ledger.resolution_usd_bn += s.external_debt_usd_bn + s.lease_liabilities_usd_bn + s.other_liabilities_usd_bn;
  s.external_debt_usd_bn = s.lease_liabilities_usd_bn = s.other_liabilities_usd_bn = s.external_arrears_usd_bn = 0.0;
  s.cash_usd_bn = 0.0;
  for (ExposureIdx idx : state.network().owed_by(d)) state.exposures[idx] = ExposureState{.active = false};
}

}  // namespace

void resolve_defaults(SimState& state, const TickInputs& in, std::vector<DefaultEvent>& defaults,
                      std::vector<CreditLoss>& losses) {
  const Model& m = state.model();
  const std::size_t n = m.firms.size();
  // Each round finds the new defaults given the state left by the previous round's
  // resolutions; only solvency defaults can appear after the first round.
  for (std::size_t round = 0; round <= n; ++round) {
    std::vector<DefaultEvent> found;
    for (FirmIdx f = 0; f < n; ++f) {
      const FirmState& s = state.firms[f];
      if (s.defaulted) continue;
      DefaultEvent ev;
      ev.firm = f;
      ev.tick = state.tick;
      const double owed = arrears_usd_bn(state, f);
      const double equity = state.equity_usd_bn(f);
      if (round == 0 && in.forced_default[f]) {
        ev.kind = DefaultKind::forced;
        ev.channel = DefaultChannel::shock;
      } else if (owed > 1e-9 * std::max(1.0, state.flows[f].due_usd_bn)) {
        ev.kind = DefaultKind::liquidity;
        ev.shortfall_usd_bn = owed;
        ev.channel = attribute(s.losses, owed);
      } else if (m.params.solvency_default && equity < -1e-9 * std::max(1.0, state.assets_usd_bn(f))) {
        ev.kind = DefaultKind::solvency;
        ev.shortfall_usd_bn = -equity;
        ev.channel = attribute(s.losses, -equity);
      } else {
        continue;
      }
      ev.detail = describe(ev, s, state.flows[f]);
      found.push_back(std::move(ev));
    }
    if (found.empty()) return;
    for (const DefaultEvent& ev : found) {
      state.firms[ev.firm].defaulted = true;
      state.firms[ev.firm].default_tick = state.tick;
      if (m.channels.default_resolution) resolve(state, ev.firm, losses);
      defaults.push_back(ev);
    }
    if (!m.channels.default_resolution) return;  // nothing changes for the others without resolution
  }
}

}  // namespace cascade::sim
