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
  return !state.defaulted[f] || !state.model().channels.default_resolution;
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

/// What a borrower's debt costs above its contract rate when it is priced now, in percentage
/// points: the rate path (rate_change shocks), the credit-market stress spread (funding channel)
/// and the downgrade spread of a firm downgraded since tick 0 (credit_ratings channel); its tick-0
/// rating is priced into its contract rates.
double repricing_pct(const SimState& state, FirmIdx borrower) {
  const Model& m = state.model();
  const FirmState& s = state.firms[borrower];
  double pct = state.market.rate_change_pct;
  if (m.channels.funding) pct += m.params.spread_at_full_stress_pct * state.market.stress;
  if (m.channels.credit_ratings && s.downgraded) pct += m.params.downgrade_spread_pct;
  return pct;
}

/// Interest and principal of an active debt exposure; decides rollover of maturing principal.
void collect_debt(SimState& state, ExposureIdx idx, const Behaviours& behaviours, Collector& c) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  const double principal_usd_bn = state.books[idx].principal_usd_bn;
  const int tpy = m.params.ticks_per_year;
  const double interest = principal_usd_bn * e.rate_pct / 100.0 / tpy;
  c.add(spec.to, spec.from, interest, spec.seniority, {What::debt_interest, idx, false});
  if (e.rate_pct > spec.rate_pct)  // the spreads paid since it was repriced
    state.losses[spec.to][DefaultChannel::funding] += principal_usd_bn * (e.rate_pct - spec.rate_pct) / 100.0 / tpy;
  if (spec.kind == ExposureKind::vendor_financing || principal_usd_bn <= 0.0) return;

  const double outstanding = principal_usd_bn - e.principal_overdue_usd_bn;
  double principal_due = 0.0;
  if (spec.amortisation == Amortisation::linear) {
    // Paid down in equal parts to maturity and never rolled: the last part is what is left, and
    // after maturity all of it is due.
    principal_due = outstanding / static_cast<double>(std::max<Tick>(1, e.maturity_tick - state.tick + 1));
  } else if (state.tick >= e.maturity_tick) {
    const bool lender_alive = !state.defaulted[spec.from];
    const bool rolled = m.channels.funding && lender_alive &&
                        behaviours.of(m.firms[spec.from].type)
                            .willing_to_roll(make_view(state, spec.from), make_view(state, spec.to), principal_usd_bn);
    if (rolled) {
      e.maturity_tick = state.tick + std::max<Tick>(1, static_cast<Tick>(std::llround(spec.term_years * tpy)));
      e.rate_pct = std::max(0.0, spec.rate_pct + repricing_pct(state, spec.to));  // repriced
    } else {
      principal_due = outstanding;
      if (m.channels.funding && lender_alive) state.flows[spec.to].refused_rollover_usd_bn += outstanding;
    }
  }
  // Loan-to-value covenant (fire_sale channel): when the pledged assets' market value falls so
  // that principal / value exceeds ltv_max, a cash sweep restoring ltv_max is due now.
  if (m.channels.fire_sale && spec.ltv_max_fraction > 0.0 && e.collateral_value_usd_bn > 0.0) {
    const double allowed = spec.ltv_max_fraction * e.collateral_value_usd_bn;
    principal_due = std::max(principal_due, outstanding - allowed);
  }
  c.add(spec.to, spec.from, principal_due, spec.seniority, {What::debt_principal, idx, false});
}

/// This tick's payment of a lease, purchase commitment or revenue share. A non-binding deal the
/// obligor drops (while distressed) is lost to the supplier. The share of a binding payment it
/// withholds (payment_fraction shock) stays owed: it becomes withheld arrears, which put the
/// obligor in default (breach) if unpaid after the cure period (phase 7).
void collect_stream(SimState& state, ExposureIdx idx, const TickInputs& in, std::vector<double>& binding_capex,
                    Collector& c) {
  const Model& m = state.model();
  const ExposureSpec& spec = m.exposures[idx];
  ExposureState& e = state.exposures[idx];
  if (state.tick < spec.start_tick || e.remaining_usd_bn <= 0.0) return;
  if (const double fee = exit_contract(state, idx, in); fee > 0.0) {
    c.add(spec.to, spec.from, fee, spec.seniority, {What::exit_fee, idx, false});
    return;
  }
  const double scheduled = std::min(e.remaining_usd_bn, e.annual_usd_bn / m.params.ticks_per_year);
  e.remaining_usd_bn -= scheduled;
  if (e.remaining_usd_bn <= 1e-12 * spec.effective_amount_usd_bn) e.remaining_usd_bn = 0.0;
  if (nonbinding(spec.status) && !in.honours_nonbinding[spec.to]) {
    state.books[idx].active = false;  // the obligor walks away from a non-binding deal
    e.remaining_usd_bn = 0.0;
    return;
  }
  const double paid_share = std::clamp(in.payment_fraction[spec.to], 0.0, 1.0);
  const double due = scheduled * paid_share;
  if (const double withheld = scheduled - due; withheld > 0.0) {
    e.arrears_usd_bn += withheld;
    e.withheld_usd_bn += withheld;
    state.exposure_flows[idx].due_usd_bn += withheld;
    state.losses[spec.from][DefaultChannel::payment_clearing] += withheld;
    state.flows[spec.from].network_due_usd_bn += withheld;  // owed: not a revenue_contract shortfall
    state.flows[spec.to].due_usd_bn += withheld;
    FirmState& obligor = state.firms[spec.to];
    if (obligor.breach_tick == 0) obligor.breach_tick = state.tick;
  }
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
    ExposureBook& book = state.books[idx];
    book.active = spec.form == FinancingForm::debt ? book.principal_usd_bn > 0.0 : book.value_usd_bn > 0.0;
    e.remaining_usd_bn = 0.0;
    return;
  }
  const double tranche = std::min(e.remaining_usd_bn, e.annual_usd_bn / m.params.ticks_per_year);
  e.remaining_usd_bn -= tranche;
  c.add(spec.from, spec.to, tranche, spec.seniority, {What::vendor_tranche, idx, false});
}

/// The network revenue each supplier would get this tick if no customer cut, withheld,
/// cancelled or defaulted: the contracted schedule of every enforced stream (renewed contracts at
/// their renewed size), and for each
/// buyer's hardware suppliers the larger of their share of its capex plan and its
/// contracted orders.
void plan_network_revenue(SimState& state) {
  const Model& m = state.model();
  const int tpy = m.params.ticks_per_year;
  SupplierAmounts& contracted_capex = state.scratch.contracted_capex_usd_bn;  // room per buyer (tick_scratch.h)
  contracted_capex.clear();
  for (ExposureIdx idx = 0; idx < m.exposures.size(); ++idx) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    if (!is_contract_stream(spec.kind) || state.tick < spec.start_tick || !m.enforced(spec.status)) continue;
    // A contract ended by a default or a cancellation counts at its original schedule: its loss is
    // the revenue_contract channel's. One in force counts at its current size.
    double scheduled = 0.0;
    const bool active = state.books[idx].active;
    if (!active && state.tick <= spec.end_tick(tpy)) scheduled = spec.annual_usd_bn / tpy;
    if (active && e.remaining_usd_bn > 0.0) scheduled = std::min(e.remaining_usd_bn, e.annual_usd_bn / tpy);
    if (scheduled <= 0.0) continue;
    if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex) {
      const std::span<std::pair<FirmIdx, double>> orders = contracted_capex.of(spec.to);
      auto it = std::find_if(orders.begin(), orders.end(), [&](const auto& p) { return p.first == spec.from; });
      if (it == orders.end()) contracted_capex.push_back(spec.to, {spec.from, scheduled});
      else it->second += scheduled;
    } else {
      state.flows[spec.from].planned_network_revenue_usd_bn += scheduled;
    }
  }
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    const double plan = state.firms[f].capex_plan_level_usd_bn / tpy;
    const std::span<std::pair<FirmIdx, double>> orders = contracted_capex.of(f);
    for (const auto& [supplier, share] : state.capex_supplier_shares.of(f)) {
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
void collect_obligations(SimState& state, const TickInputs& in, const Behaviours& behaviours, TickObligations& out) {
  const Model& m = state.model();
  const int tpy = m.params.ticks_per_year;
  out.items.clear();
  out.tags.clear();
  Collector c(out);
  std::vector<double>& binding_capex = state.scratch.binding_capex_usd_bn;
  binding_capex.assign(m.exposures.size(), 0.0);
  plan_network_revenue(state);
  // A firm that stops withholding owes what it withheld as ordinary arrears (paid if it can).
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    if (state.firms[f].breach_tick == 0 || in.payment_fraction[f] < 1.0) continue;
    for (ExposureIdx e : state.network().owed_by(f)) state.exposures[e].withheld_usd_bn = 0.0;
    state.firms[f].breach_tick = 0;
  }

  for (ExposureIdx idx = 0; idx < m.exposures.size(); ++idx) {
    const ExposureSpec& spec = m.exposures[idx];
    if (!state.books[idx].active) continue;
    const bool debt_like = is_debt(spec.kind) || (spec.kind == ExposureKind::vendor_financing && spec.form == FinancingForm::debt);
    if (debt_like && pays(state, spec.to)) collect_debt(state, idx, behaviours, c);
    if (is_contract_stream(spec.kind) && pays(state, spec.to)) collect_stream(state, idx, in, binding_capex, c);
    if (spec.kind == ExposureKind::vendor_financing && pays(state, spec.from) && !state.defaulted[spec.to])
      collect_tranche(state, idx, in, c);
  }

  const std::span<const SimState::ExposureEnds> ends = state.exposure_ends();
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    if (!pays(state, f)) continue;
    const FirmState& s = state.firms[f];
    c.add(f, kExternalCreditor, s.external_opex_level_usd_bn / tpy * in.opex_multiplier[f], Seniority::senior,
          {What::external_opex, 0, false});
    // Cost of network sales, on last tick's network revenue.
    c.add(f, kExternalCreditor, m.firms[f].params.cost_of_sales_fraction * s.network_revenue_last_tick_usd_bn,
          Seniority::senior, {What::external_opex, 0, false});
    // External market debt is refinanced continuously: it pays the rate path and the spreads now.
    // (Lenders' external liabilities are deposits and policy reserves: no spread.)
    const bool market_borrower = !is_lender_type(m.firms[f].type);
    const double base_pct = m.params.outside_liability_rate_pct(m.firms[f].type);
    const double spread_pct = market_borrower ? repricing_pct(state, f) : 0.0;
    c.add(f, kExternalCreditor, s.external_debt_usd_bn * std::max(0.0, base_pct + spread_pct) / 100.0 / tpy,
          Seniority::senior, {What::external_interest, 0, false});
    state.losses[f][DefaultChannel::funding] += s.external_debt_usd_bn * std::max(0.0, spread_pct) / 100.0 / tpy;

    // Capex: each in-network supplier gets at least its share of the plan (binding orders
    // count toward it); the rest of the plan is spent outside the network. Discretionary
    // orders rank last and are not placed when the firm cannot pay them.
    const double planned = in.planned_capex_usd_bn[f];
    double to_network = 0.0;
    for (const auto& [supplier, share] : state.capex_supplier_shares.of(f)) {
      double binding = 0.0;  // binding_capex is +0 on every other exposure f owes
      for (ExposureIdx idx : state.capex_commitments_owed_by(f))
        if (ends[idx].from == supplier) binding += binding_capex[idx];
      if (state.defaulted[supplier]) continue;  // a defaulted supplier cannot deliver: buy outside
      const double spot = std::max(0.0, share * planned - binding);
      c.add(f, supplier, spot, Seniority::equity, {What::spot_order, 0, true});
      to_network += spot + binding;
    }
    c.add(f, kExternalCreditor, std::max(0.0, planned - to_network), Seniority::equity, {What::outside_capex, 0, true});
  }
}

// ---- Phase 5: clearing -----------------------------------------------------------------
int settle_obligations(SimState& state, const TickObligations& due) {
  const Model& m = state.model();
  const std::size_t n = m.firms.size();
  TickScratch& scratch = state.scratch;
  std::vector<double>& liquid = scratch.liquid_usd_bn;
  liquid.resize(n);
  for (FirmIdx f = 0; f < n; ++f) liquid[f] = std::max(0.0, state.firms[f].cash_usd_bn);

  ClearingResult& cleared = scratch.cleared;
  if (m.channels.payment_clearing) {
    clear_payments({.liquid_usd_bn = liquid, .obligations = due.items}, scratch.clearing, cleared);
  } else {
    // Without simultaneous clearing a firm pays from the cash it holds before anyone pays it:
    // the same seniority rules, with every receipt arriving only after all payments.
    std::vector<Obligation>& own_cash_only = scratch.own_cash_only;
    own_cash_only.assign(due.items.begin(), due.items.end());
    for (Obligation& o : own_cash_only) o.creditor = kExternalCreditor;
    clear_payments({.liquid_usd_bn = liquid, .obligations = own_cash_only}, scratch.clearing, cleared);
  }
  CASCADE_ASSERT(cleared.converged, "clearing did not converge");

  for (std::size_t k = 0; k < due.items.size(); ++k) {
    const Obligation& o = due.items[k];
    const ObligationTag& tag = due.tags[k];
    const double paid = std::min(cleared.paid_usd_bn[k], o.amount_usd_bn);
    const double unpaid = o.amount_usd_bn - paid;
    if (tag.what == What::debt_interest || tag.what == What::debt_principal || tag.what == What::stream ||
        tag.what == What::exit_fee || tag.what == What::vendor_tranche) {
      state.exposure_flows[tag.exposure].due_usd_bn += o.amount_usd_bn;
      state.exposure_flows[tag.exposure].paid_usd_bn += paid;
    }
    if (o.creditor == kExternalCreditor) state.external_out(o.debtor, paid);
    else state.transfer(o.debtor, o.creditor, paid);

    FirmFlows& debtor = state.flows[o.debtor];
    // A payment made in full books no loss (and reads nothing of the creditor).
    if (o.creditor != kExternalCreditor && !tag.discretionary && unpaid > 0.0)
      state.losses[o.creditor][DefaultChannel::payment_clearing] += unpaid;
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
        state.firms[o.debtor].external_interest_arrears_usd_bn += unpaid;
        debtor.interest_paid_usd_bn += paid;
        break;
      case What::debt_interest:
        state.exposures[tag.exposure].arrears_usd_bn += unpaid;
        debtor.interest_paid_usd_bn += paid;
        state.flows[o.creditor].interest_received_usd_bn += paid;
        break;
      case What::debt_principal: {
        ExposureState& e = state.exposures[tag.exposure];
        ExposureBook& book = state.books[tag.exposure];
        state.reduce_principal(tag.exposure, paid);
        e.principal_overdue_usd_bn += unpaid;
        if (book.principal_usd_bn <= 1e-12 * m.exposures[tag.exposure].effective_amount_usd_bn) {
          book.principal_usd_bn = 0.0;
          if (e.principal_overdue_usd_bn == 0.0) book.active = false;  // repaid in full
        }
        break;
      }
      case What::stream: {
        const ExposureSpec& spec = m.exposures[tag.exposure];
        state.exposures[tag.exposure].arrears_usd_bn += unpaid;
        state.flows[o.creditor].network_revenue_usd_bn += paid;
        state.flows[o.creditor].network_due_usd_bn += o.amount_usd_bn;
        if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex) {
          state.capitalise_capex(o.debtor, paid);
          state.ledger.capitalised_usd_bn += paid;
          debtor.capex_usd_bn += paid;
        } else {
          debtor.opex_usd_bn += paid;
        }
        break;
      }
      case What::exit_fee:  // a cost of the customer, revenue of the supplier; unpaid, it stays owed
        state.exposures[tag.exposure].arrears_usd_bn += unpaid;
        state.flows[o.creditor].network_revenue_usd_bn += paid;
        state.flows[o.creditor].network_due_usd_bn += o.amount_usd_bn;
        debtor.opex_usd_bn += paid;
        break;
      case What::vendor_tranche: {
        const ExposureSpec& spec = m.exposures[tag.exposure];
        state.exposures[tag.exposure].tranche_arrears_usd_bn += unpaid;
        if (spec.form == FinancingForm::equity) {
          state.add_to_holding(tag.exposure, paid);
          state.ledger.cross_holdings_created_usd_bn += paid;
        } else {
          state.books[tag.exposure].principal_usd_bn += paid;
        }
        break;
      }
      case What::spot_order:
        state.flows[o.creditor].network_revenue_usd_bn += paid;
        state.flows[o.creditor].network_due_usd_bn += paid;  // an unpaid order was never placed
        [[fallthrough]];
      case What::outside_capex:
        state.capitalise_capex(o.debtor, paid);
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
    if (shortfall <= 0.0 || (state.defaulted[f] && m.channels.default_resolution)) continue;
    if (m.channels.revenue_contract) {
      state.losses[f][DefaultChannel::revenue_contract] += shortfall;
    } else {
      state.external_in(f, shortfall);
      fl.revenue_usd_bn += shortfall;
    }
  }
  state.append_new_builds();
  return cleared.iterations;
}

}  // namespace cascade::sim
