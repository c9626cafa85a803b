// Phases 4 (obligations) and 5 (clearing) of a tick.
#include <algorithm>
#include <cmath>

#include "engine/core/diagnostics.h"
#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

using What = ObligationTag::What;

/// Non-discretionary obligations of defaulted firms exist only when resolution is off
/// (defaulted firms then keep operating and paying what they can).
bool pays(const SimState& state, FirmIdx f) {
  return !state.firms[f].defaulted || !state.model().channels.default_resolution;
}

bool nonbinding(ExposureStatus s) { return !is_binding(s); }

class Collector {
 public:
  explicit Collector(TickObligations& out) : out_(out) {}
  void add(FirmIdx debtor, FirmIdx creditor, double amount, Seniority seniority, ObligationTag tag) {
    if (!(amount > 0.0)) return;
    out_.items.push_back({.debtor = debtor, .creditor = creditor, .amount_usd_bn = amount, .seniority = seniority});
    out_.tags.push_back(tag);
  }

 private:
  TickObligations& out_;
};

/// Interest and principal of an active debt exposure; decides rollover of maturing principal.
void collect_debt(SimState& state, ExposureIdx idx, const Behaviours& behaviours, Collector& c) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  const int tpy = m.params.ticks_per_year;
  const double interest = e.principal_usd_bn * e.rate_pct / 100.0 / tpy;
  c.add(spec.to, spec.from, interest, spec.seniority, {What::debt_interest, idx, false});
  if (m.channels.funding && e.rate_pct > spec.rate_pct)  // the stress spread paid since it was repriced
    state.firms[spec.to].losses[DefaultChannel::funding] += e.principal_usd_bn * (e.rate_pct - spec.rate_pct) / 100.0 / tpy;
  if (spec.kind == ExposureKind::vendor_financing || e.principal_usd_bn <= 0.0) return;

  const double outstanding = e.principal_usd_bn - e.principal_overdue_usd_bn;
  double principal_due = 0.0;
  if (state.tick >= e.maturity_tick) {
    const bool lender_alive = !state.firms[spec.from].defaulted;
    const bool rolled = m.channels.funding && lender_alive &&
                        behaviours.of(m.firms[spec.from].type)
                            .willing_to_roll(make_view(state, spec.from), make_view(state, spec.to), e.principal_usd_bn);
    if (rolled) {
      e.maturity_tick = state.tick + std::max<Tick>(1, static_cast<Tick>(std::llround(spec.term_years * tpy)));
      e.rate_pct = spec.rate_pct + m.params.spread_at_full_stress_pct * state.market.stress;  // repriced
    } else {
      principal_due = outstanding;
      if (m.channels.funding && lender_alive) state.flows[spec.to].refused_rollover_usd_bn += outstanding;
    }
  } else if (spec.amortisation == Amortisation::linear) {
    principal_due = outstanding / static_cast<double>(e.maturity_tick - state.tick + 1);
  }
  // Loan-to-value covenant (fire_sale channel): when the pledged assets' market value falls so
  // that principal / value exceeds ltv_max, a cash sweep restoring ltv_max is due now.
  if (m.channels.fire_sale && spec.ltv_max_fraction > 0.0 && e.collateral_value_usd_bn > 0.0) {
    const double allowed = spec.ltv_max_fraction * e.collateral_value_usd_bn;
    principal_due = std::max(principal_due, outstanding - allowed);
  }
  c.add(spec.to, spec.from, principal_due, spec.seniority, {What::debt_principal, idx, false});
}

/// This tick's payment of a lease, purchase commitment or revenue share; the share the
/// obligor withholds (payment_fraction shock) or cancels (non-binding deal while distressed)
/// is lost to the supplier.
void collect_stream(SimState& state, ExposureIdx idx, const TickInputs& in, std::vector<double>& binding_capex,
                    Collector& c) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  if (state.tick < spec.start_tick || e.remaining_usd_bn <= 0.0) return;
  const double scheduled = std::min(e.remaining_usd_bn, spec.annual_usd_bn / m.params.ticks_per_year);
  e.remaining_usd_bn -= scheduled;
  if (e.remaining_usd_bn <= 1e-12 * spec.effective_amount_usd_bn) e.remaining_usd_bn = 0.0;
  if (nonbinding(spec.status) && !in.honours_nonbinding[spec.to]) {
    e.active = false;  // the obligor walks away from a non-binding deal
    e.remaining_usd_bn = 0.0;
    return;
  }
  const double paid_share = std::clamp(in.payment_fraction[spec.to], 0.0, 1.0);
  const double due = scheduled * paid_share;
  // The contracted amount, withheld part included, counts toward the supplier's capex share:
  // withholding a payment is not made good by a spot order.
  const bool capex = spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex;
  if (capex) binding_capex[idx] = scheduled;
  c.add(spec.to, spec.from, due, spec.seniority, {What::stream, idx, false});
}

/// This tick's funding tranche of vendor financing: the supplier (`from`) pays its customer.
void collect_tranche(SimState& state, ExposureIdx idx, const TickInputs& in, Collector& c) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  if (state.tick < spec.start_tick || e.remaining_usd_bn <= 0.0) return;
  if (nonbinding(spec.status) && !in.honours_nonbinding[spec.from]) {
    e.active = spec.form == FinancingForm::debt ? e.principal_usd_bn > 0.0 : e.value_usd_bn > 0.0;
    e.remaining_usd_bn = 0.0;
    return;
  }
  const double tranche = std::min(e.remaining_usd_bn, spec.annual_usd_bn / m.params.ticks_per_year);
  e.remaining_usd_bn -= tranche;
  c.add(spec.from, spec.to, tranche, spec.seniority, {What::vendor_tranche, idx, false});
}

/// The network revenue each supplier would get this tick if no customer cut, withheld,
/// cancelled or defaulted: the contracted schedule of every enforced stream, and for each
/// buyer's hardware suppliers the larger of their share of its capex plan and its
/// contracted orders.
void plan_network_revenue(SimState& state) {
  const Model& m = state.model();
  const int tpy = m.params.ticks_per_year;
  std::vector<std::vector<std::pair<FirmIdx, double>>> contracted_capex(m.firms.size());
  for (const ExposureSpec& spec : m.exposures) {
    if (!m.enforced(spec.status) || !is_contract_stream(spec.kind)) continue;
    if (state.tick < spec.start_tick || state.tick > spec.end_tick(tpy)) continue;
    const double scheduled = spec.annual_usd_bn / tpy;
    if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex) {
      auto& orders = contracted_capex[spec.to];
      auto it = std::find_if(orders.begin(), orders.end(), [&](const auto& p) { return p.first == spec.from; });
      if (it == orders.end()) orders.emplace_back(spec.from, scheduled);
      else it->second += scheduled;
    } else {
      state.flows[spec.from].planned_network_revenue_usd_bn += scheduled;
    }
  }
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    const double plan = state.firms[f].capex_plan_level_usd_bn / tpy;
    auto& orders = contracted_capex[f];
    for (const auto& [supplier, share] : state.capex_supplier_shares[f]) {
      // An init-capture: Clang 14 cannot capture a structured binding by reference.
      auto it = std::find_if(orders.begin(), orders.end(),
                             [supplier = supplier](const auto& p) { return p.first == supplier; });
      const double contracted = it == orders.end() ? 0.0 : it->second;
      state.flows[supplier].planned_network_revenue_usd_bn += std::max(share * plan, contracted);
      if (it != orders.end()) it->second = 0.0;  // counted
    }
    for (const auto& [supplier, contracted] : orders) state.flows[supplier].planned_network_revenue_usd_bn += contracted;
  }
}

}  // namespace

// ---- Phase 4: obligations --------------------------------------------------------------
TickObligations collect_obligations(SimState& state, const TickInputs& in, const Behaviours& behaviours) {
  const Model& m = state.model();
  const int tpy = m.params.ticks_per_year;
  TickObligations out;
  Collector c(out);
  std::vector<double> binding_capex(m.exposures.size(), 0.0);
  plan_network_revenue(state);

  for (ExposureIdx idx = 0; idx < m.exposures.size(); ++idx) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    if (!e.active) continue;
    const bool debt_like = is_debt(spec.kind) || (spec.kind == ExposureKind::vendor_financing && spec.form == FinancingForm::debt);
    if (debt_like && pays(state, spec.to)) collect_debt(state, idx, behaviours, c);
    if (is_contract_stream(spec.kind) && pays(state, spec.to)) collect_stream(state, idx, in, binding_capex, c);
    if (spec.kind == ExposureKind::vendor_financing && pays(state, spec.from) && !state.firms[spec.to].defaulted)
      collect_tranche(state, idx, in, c);
  }

  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    if (!pays(state, f)) continue;
    const FirmState& s = state.firms[f];
    c.add(f, kExternalCreditor, s.external_opex_level_usd_bn / tpy * in.opex_multiplier[f], Seniority::senior,
          {What::external_opex, 0, false});
    // Cost of network sales, on last tick's network revenue.
    c.add(f, kExternalCreditor, m.firms[f].params.cost_of_sales_fraction * s.network_revenue_last_tick_usd_bn,
          Seniority::senior, {What::external_opex, 0, false});
    // External market debt is refinanced continuously: it pays the credit-market stress spread.
    // (Lenders' external liabilities are deposits and policy reserves: no spread.)
    const bool market_borrower = !is_lender_type(m.firms[f].type);
    const double spread_pct =
        m.channels.funding && market_borrower ? m.params.spread_at_full_stress_pct * state.market.stress : 0.0;
    c.add(f, kExternalCreditor, s.external_debt_usd_bn * (m.params.external_debt_rate_pct + spread_pct) / 100.0 / tpy,
          Seniority::senior, {What::external_interest, 0, false});
    state.firms[f].losses[DefaultChannel::funding] += s.external_debt_usd_bn * spread_pct / 100.0 / tpy;

    // Capex: each in-network supplier gets at least its share of the plan (binding orders
    // count toward it); the rest of the plan is spent outside the network. Discretionary
    // orders rank last and are not placed when the firm cannot pay them.
    const double planned = in.planned_capex_usd_bn[f];
    double to_network = 0.0;
    for (const auto& [supplier, share] : state.capex_supplier_shares[f]) {
      double binding = 0.0;
      for (ExposureIdx idx : state.network().owed_by(f))
        if (m.exposures[idx].from == supplier) binding += binding_capex[idx];
      if (state.firms[supplier].defaulted) continue;  // a defaulted supplier cannot deliver: buy outside
      const double spot = std::max(0.0, share * planned - binding);
      c.add(f, supplier, spot, Seniority::equity, {What::spot_order, 0, true});
      to_network += spot + binding;
    }
    c.add(f, kExternalCreditor, std::max(0.0, planned - to_network), Seniority::equity, {What::outside_capex, 0, true});
  }
  return out;
}

// ---- Phase 5: clearing -----------------------------------------------------------------
int settle_obligations(SimState& state, const TickObligations& due) {
  const Model& m = state.model();
  const std::size_t n = m.firms.size();
  std::vector<double> liquid(n);
  for (FirmIdx f = 0; f < n; ++f) liquid[f] = std::max(0.0, state.firms[f].cash_usd_bn);

  ClearingResult cleared;
  if (m.channels.payment_clearing) {
    cleared = clear_payments({.liquid_usd_bn = liquid, .obligations = due.items});
  } else {
    // Without simultaneous clearing a firm pays from the cash it holds before anyone pays it:
    // the same seniority rules, with every receipt arriving only after all payments.
    std::vector<Obligation> own_cash_only = due.items;
    for (Obligation& o : own_cash_only) o.creditor = kExternalCreditor;
    cleared = clear_payments({.liquid_usd_bn = liquid, .obligations = own_cash_only});
  }
  CASCADE_ASSERT(cleared.converged, "clearing did not converge");

  for (std::size_t k = 0; k < due.items.size(); ++k) {
    const Obligation& o = due.items[k];
    const ObligationTag& tag = due.tags[k];
    const double paid = std::min(cleared.paid_usd_bn[k], o.amount_usd_bn);
    const double unpaid = o.amount_usd_bn - paid;
    if (o.creditor == kExternalCreditor) state.external_out(o.debtor, paid);
    else state.transfer(o.debtor, o.creditor, paid);

    FirmFlows& debtor = state.flows[o.debtor];
    if (o.creditor != kExternalCreditor && !tag.discretionary)
      state.firms[o.creditor].losses[DefaultChannel::payment_clearing] += unpaid;
    if (!tag.discretionary) {
      debtor.due_usd_bn += o.amount_usd_bn;
      debtor.paid_usd_bn += paid;
    }
    switch (tag.what) {
      case What::external_opex:
        debtor.opex_usd_bn += paid;
        state.firms[o.debtor].external_arrears_usd_bn += unpaid;
        break;
      case What::external_interest:
        state.firms[o.debtor].external_arrears_usd_bn += unpaid;
        break;
      case What::debt_interest:
        state.exposures[tag.exposure].arrears_usd_bn += unpaid;
        break;
      case What::debt_principal: {
        ExposureState& e = state.exposures[tag.exposure];
        state.reduce_principal(tag.exposure, paid);
        e.principal_overdue_usd_bn += unpaid;
        if (e.principal_usd_bn <= 1e-12 * m.exposures[tag.exposure].effective_amount_usd_bn) {
          e.principal_usd_bn = 0.0;
          if (e.principal_overdue_usd_bn == 0.0) e.active = false;  // repaid in full
        }
        break;
      }
      case What::stream: {
        const ExposureSpec& spec = m.exposures[tag.exposure];
        state.exposures[tag.exposure].arrears_usd_bn += unpaid;
        state.flows[o.creditor].network_revenue_usd_bn += paid;
        state.flows[o.creditor].network_due_usd_bn += o.amount_usd_bn;
        if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex) {
          state.add_hardware(o.debtor, paid);
          state.ledger.capitalised_usd_bn += paid;
          debtor.capex_usd_bn += paid;
        } else {
          debtor.opex_usd_bn += paid;
        }
        break;
      }
      case What::vendor_tranche: {
        const ExposureSpec& spec = m.exposures[tag.exposure];
        ExposureState& e = state.exposures[tag.exposure];
        e.tranche_arrears_usd_bn += unpaid;
        if (spec.form == FinancingForm::equity) {
          state.add_to_holding(tag.exposure, paid);
          state.ledger.cross_holdings_created_usd_bn += paid;
        } else {
          e.principal_usd_bn += paid;
        }
        break;
      }
      case What::spot_order:
        state.flows[o.creditor].network_revenue_usd_bn += paid;
        state.flows[o.creditor].network_due_usd_bn += paid;  // an unpaid order was never placed
        [[fallthrough]];
      case What::outside_capex:
        state.add_hardware(o.debtor, paid);
        state.ledger.capitalised_usd_bn += paid;
        debtor.capex_usd_bn += paid;
        break;
    }
  }

  // Revenue/contract channel: what network customers did not even owe this tick, against
  // the plan, is the supplier's revenue loss. With the channel off, outside customers
  // replace it (an external inflow).
  for (FirmIdx f = 0; f < n; ++f) {
    FirmFlows& fl = state.flows[f];
    const double shortfall = std::max(0.0, fl.planned_network_revenue_usd_bn - fl.network_due_usd_bn);
    if (shortfall <= 0.0 || (state.firms[f].defaulted && m.channels.default_resolution)) continue;
    if (m.channels.revenue_contract) {
      state.firms[f].losses[DefaultChannel::revenue_contract] += shortfall;
    } else {
      state.external_in(f, shortfall);
      fl.revenue_usd_bn += shortfall;
    }
  }
  return cleared.iterations;
}

}  // namespace cascade::sim
