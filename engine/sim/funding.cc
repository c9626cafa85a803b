// Phase 6 of a tick: firms short of cash raise it, then pay what they still owe.
//
// Firms are processed in index order because lenders' cash is shared: a line drawn by one
// firm is not there for the next. Each firm tries the sources its behaviour lists, in order,
// until it has raised what it needs: its arrears and the gap to its runway minimum (the cash
// below which it fails, docs/defaults-and-marks.md) from any source, and, while below its
// liquidity buffer, the rest of the gap to the buffer from financing only (lines, debt,
// equity): a firm sells assets to stay a going concern, never to build a buffer.
#include <algorithm>
#include <array>
#include <cmath>

#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

/// The cash below which a loss-making firm counts a tick short of runway: minimum_liquidity_months
/// of its net outflow (committed outgoings less revenue, moving averages); 0 when it makes money.
double runway_minimum_usd_bn(const SimState& state, FirmIdx f) {
  const FirmState& s = state.firms[f];
  const double net_outflow = s.committed_outgoings_usd_bn_per_tick - s.revenue_usd_bn_per_tick;
  if (net_outflow <= 0.0) return 0.0;
  return state.model().firms[f].params.minimum_liquidity_months * state.model().params.ticks_per_year / 12.0 *
         net_outflow;
}

/// Cash within this of a target meets it: sales and draws sized to a target land on it up to
/// rounding (USD bn: one dollar, the residue the outputs write as 0, engine/output/text_format.h).
constexpr double kCashToleranceUsdBn = 1e-9;

double draw_credit_lines(SimState& state, FirmIdx f, double need, const Behaviours& behaviours) {
  const Model& m = state.model();
  double raised = 0.0;
  for (ExposureIdx idx : state.credit_lines_owed_by(f)) {
    const ExposureSpec& spec = m.exposures[idx];
    ExposureBook& e = state.books[idx];
    if (need - raised <= 0.0) break;
    if (!e.active || state.defaulted[spec.from]) continue;
    const double undrawn = std::max(0.0, spec.effective_amount_usd_bn - e.principal_usd_bn);
    // A lender lends the cash above its own runway minimum: its turn may have passed this tick.
    const double lendable = state.firms[spec.from].cash_usd_bn - runway_minimum_usd_bn(state, spec.from);
    const double amount = std::min({need - raised, undrawn, std::max(0.0, lendable)});
    if (amount <= 0.0) continue;
    if (!behaviours.of(m.firms[spec.from].type).willing_to_roll(make_view(state, spec.from), make_view(state, f), amount))
      continue;
    state.transfer(spec.from, f, amount);
    e.principal_usd_bn += amount;
    raised += amount;
  }
  return raised;
}

double issue_debt(SimState& state, FirmIdx f, double need) {
  FirmState& s = state.firms[f];
  const FirmView v = make_view(state, f);
  const double max_leverage = v.params().max_leverage_fraction;
  // Leverage after raising x stays within the limit: (D + x) <= L (A + x).
  const double headroom = max_leverage < 1.0 ? (max_leverage * v.assets_usd_bn - v.debt_usd_bn) / (1.0 - max_leverage)
                                             : need;
  // Under credit-market stress the market takes proportionally less.
  const double market_capacity = s.bond_allowance_usd_bn * (1.0 - state.market.stress);
  const double amount = std::min({need, market_capacity, std::max(0.0, headroom)});
  if (amount <= 0.0) return 0.0;
  state.external_in(f, amount);
  s.external_debt_usd_bn += amount;
  s.bond_allowance_usd_bn -= amount;
  state.ledger.external_liabilities_incurred_usd_bn += amount;
  return amount;
}

/// New outside equity (a funding round for an unlisted firm with a valuation). The round is
/// priced at pre-money V_pre: the last round's value scaled by the firm's revenue and sentiment
/// since (unlisted with a valuation), else its current value; the new shares dilute existing
/// holders by V_pre / (V_pre + amount).
double raise_equity(SimState& state, FirmIdx f, double need) {
  const Model& m = state.model();
  FirmState& s = state.firms[f];
  if (state.capital_usd_bn(f) <= 0.0 && m.firms[f].valuation_usd_bn <= 0.0)
    return 0.0;  // no outside investor buys into an insolvent firm (unless it is valued on its prospects)
  double capacity = s.equity_allowance_usd_bn;
  const double sentiment = state.sentiment_of(f);
  if (m.channels.equity_market) {  // equity windows shut when sentiment is low
    if (sentiment < m.params.equity_raise_min_sentiment) {
      s.equity_denied_usd_bn = std::min(need, capacity);
      return 0.0;
    }
    capacity *= std::min(1.0, sentiment);
  }
  const double amount = std::min(need, capacity);
  if (amount <= 0.0) return 0.0;
  const bool round = !m.firms[f].listed && m.firms[f].valuation_usd_bn > 0.0;
  const double pre_money =
      round ? s.last_round_value_usd_bn * (s.last_round_revenue_usd_bn_per_tick > 0.0
                                               ? s.revenue_usd_bn_per_tick / s.last_round_revenue_usd_bn_per_tick
                                               : 1.0) *
                  (s.last_round_sentiment > 0.0 ? sentiment / s.last_round_sentiment : 1.0)
            : s.value_usd_bn;
  if (m.channels.equity_market && pre_money <= 0.0) return 0.0;  // nobody buys shares worth nothing
  state.external_in(f, amount);
  s.equity_allowance_usd_bn -= amount;
  s.equity_denied_usd_bn = 0.0;
  if (m.channels.equity_market && pre_money > 0.0) {
    s.shares_outstanding *= (pre_money + amount) / pre_money;
    if (round) {
      s.last_round_value_usd_bn = pre_money + amount;
      s.last_round_revenue_usd_bn_per_tick = s.revenue_usd_bn_per_tick;
      s.last_round_sentiment = sentiment;
    }
  }
  return amount;
}

/// Sells assets of book value `book`, worth `value` at market, at the seller's haircut to
/// outside buyers; returns the proceeds. Book above market value (GPUs priced down by
/// obsolescence and others' fire sales) is the seller's fire-sale loss; the haircut is the cost
/// of its own hurry, not contagion.
double sell_out(SimState& state, FirmIdx f, double book, double value, double haircut) {
  const double proceeds = value * (1.0 - haircut);
  state.external_in(f, proceeds);
  state.ledger.assets_sold_out_usd_bn += book;
  state.losses[f][DefaultChannel::fire_sale] += std::max(0.0, book - value);
  return proceeds;
}

/// Forced sales of stakes and warrants meet a market of finite depth: the buyers of an issuer's
/// equity take at most D = securities_market_depth_fraction x its value per tick, at a price
/// that falls as e^(-sold / D) (the exponential inverse demand of the GPU market): selling from
/// s0 to s1 of D fetches D (e^(-s0/D) - e^(-s1/D)) per unit of value, then the seller's haircut.
double sell_securities(SimState& state, FirmIdx f, double need) {
  const Model& m = state.model();
  const double haircut = m.firms[f].params.securities_sale_haircut_fraction;
  if (haircut >= 1.0) return 0.0;
  double raised = 0.0;
  for (ExposureIdx idx : state.network().held_by(f)) {
    ExposureBook& e = state.books[idx];
    if (need - raised <= 0.0) break;
    // Stakes and warrants trade; vendor financing is a funding commitment and does not.
    if (!e.active || !is_security(m.exposures[idx].kind) || e.value_usd_bn <= 0.0) continue;
    const FirmIdx issuer = m.exposures[idx].to;
    const double depth = m.params.securities_market_depth_fraction * state.firms[issuer].value_usd_bn;
    double& sold = state.securities_sold_usd_bn[issuer];
    if (depth <= 0.0 || sold >= depth) continue;
    // The value to sell for the cash still needed, its own price impact included, within what the
    // market takes this tick: proceeds (1 - haircut) depth (p_now - exp(-(sold + book) / depth)).
    const double price_now = std::exp(-sold / depth);
    const double price_after = price_now - (need - raised) / ((1.0 - haircut) * depth);
    const double value_for_need = price_after > 0.0 ? -depth * std::log(price_after) - sold : depth - sold;
    const double book = std::min({e.value_usd_bn, depth - sold, value_for_need});
    const double market_value = depth * (price_now - std::exp(-(sold + book) / depth));
    sold += book;
    raised += sell_out(state, f, book, market_value, haircut);
    state.reduce_holding(idx, book);
    if (e.value_usd_bn <= 1e-12) {
      e.value_usd_bn = 0.0;
      e.active = false;  // sold out of the position: no longer exposed
    }
  }
  return raised;
}

double sell_hardware(SimState& state, FirmIdx f, double need) {
  FirmState& s = state.firms[f];
  const double haircut = state.model().firms[f].params.hardware_sale_haircut_fraction;
  if (haircut >= 1.0 || s.hardware_usd_bn <= 0.0) return 0.0;
  // Value per unit of book (GPUs at market with the fire_sale channel), to size the sale.
  const double value_per_book =
      state.model().channels.fire_sale
          ? (s.hardware_usd_bn - s.gpu_book_usd_bn + s.gpu_market_value_usd_bn) / s.hardware_usd_bn
          : 1.0;
  if (value_per_book <= 0.0) return 0.0;
  const double book = std::min(s.hardware_usd_bn, need / ((1.0 - haircut) * value_per_book));
  const SimState::HardwareSlice slice = state.remove_hardware(f, book);
  state.market.gpu_sold_market_value_usd_bn += slice.gpu_market_usd_bn;
  return sell_out(state, f, slice.book_usd_bn, slice.value_usd_bn, haircut);
}

/// Replaces `out` with the unpaid amounts `f` owes now.
void arrears_of(const SimState& state, FirmIdx f, std::vector<Arrear>& out) {
  const Model& m = state.model();
  out.clear();
  if (state.firms[f].external_arrears_usd_bn > 0.0)
    out.push_back({Arrear::What::external, 0, kExternalCreditor, Seniority::senior, state.firms[f].external_arrears_usd_bn});
  for (ExposureIdx idx : state.network().owed_by(f)) {
    const ExposureSpec& spec = m.exposures[idx];
    const ExposureState& e = state.exposures[idx];
    if (const double payable = e.arrears_usd_bn - e.withheld_usd_bn; payable > 0.0)
      out.push_back({Arrear::What::scheduled, idx, spec.from, spec.seniority, payable});
    if (e.principal_overdue_usd_bn > 0.0)
      out.push_back({Arrear::What::principal, idx, spec.from, spec.seniority, e.principal_overdue_usd_bn});
  }
  for (ExposureIdx idx : state.network().held_by(f)) {
    const ExposureState& e = state.exposures[idx];
    const ExposureSpec& spec = m.exposures[idx];
    if (e.tranche_arrears_usd_bn > 0.0)
      out.push_back({Arrear::What::tranche, idx, spec.to, spec.seniority, e.tranche_arrears_usd_bn});
    if (e.guarantee_arrears_usd_bn > 0.0 && spec.beneficiary)
      out.push_back({Arrear::What::guarantee, idx, *spec.beneficiary, spec.seniority, e.guarantee_arrears_usd_bn});
  }
}

/// Books a late payment of `paid` on one arrear (the counterpart of settle_obligations).
void book_late_payment(SimState& state, FirmIdx f, const Arrear& a, double paid) {
  const Model& m = state.model();
  if (a.creditor == kExternalCreditor) state.external_out(f, paid);
  else {
    state.transfer(f, a.creditor, paid);
    state.losses[a.creditor][DefaultChannel::payment_clearing] -= paid;
  }
  state.flows[f].paid_usd_bn += paid;
  if (a.what != Arrear::What::external) state.exposure_flows[a.exposure].paid_usd_bn += paid;
  switch (a.what) {
    case Arrear::What::external: {
      // Opex and interest owed outside are one senior claim, paid pro rata: as at clearing, the
      // payment is opex or interest paid (profit and free cash flow count it).
      FirmState& s = state.firms[f];
      const double interest = std::min(s.external_interest_arrears_usd_bn,
                                       paid * s.external_interest_arrears_usd_bn / s.external_arrears_usd_bn);
      s.external_arrears_usd_bn -= paid;
      s.external_interest_arrears_usd_bn -= interest;
      state.flows[f].interest_paid_usd_bn += interest;
      state.flows[f].opex_usd_bn += paid - interest;
      break;
    }
    case Arrear::What::scheduled: {
      const ExposureSpec& spec = m.exposures[a.exposure];
      state.exposures[a.exposure].arrears_usd_bn -= paid;
      if (is_contract_stream(spec.kind)) {
        state.flows[a.creditor].network_revenue_usd_bn += paid;
        if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex) {
          state.capitalise_capex(f, paid);
          state.ledger.capitalised_usd_bn += paid;
          state.flows[f].capex_usd_bn += paid;
        } else {
          state.flows[f].opex_usd_bn += paid;
        }
      } else if (carries_principal(spec)) {  // a debt's arrears are its unpaid interest
        state.flows[f].interest_paid_usd_bn += paid;
        state.flows[a.creditor].interest_received_usd_bn += paid;
      }
      break;
    }
    case Arrear::What::principal: {
      ExposureState& e = state.exposures[a.exposure];
      ExposureBook& book = state.books[a.exposure];
      e.principal_overdue_usd_bn -= paid;
      state.reduce_principal(a.exposure, paid);
      if (book.principal_usd_bn <= 1e-12 && e.principal_overdue_usd_bn <= 1e-12) {
        book.principal_usd_bn = 0.0;
        e.principal_overdue_usd_bn = 0.0;
        book.active = false;
      }
      break;
    }
    case Arrear::What::guarantee:
      state.exposures[a.exposure].guarantee_arrears_usd_bn -= paid;
      break;
    case Arrear::What::tranche: {
      state.exposures[a.exposure].tranche_arrears_usd_bn -= paid;
      if (m.exposures[a.exposure].form == FinancingForm::equity) {
        state.add_to_holding(a.exposure, paid);
        state.ledger.cross_holdings_created_usd_bn += paid;
      } else {
        state.books[a.exposure].principal_usd_bn += paid;
      }
      break;
    }
  }
}

/// Pays arrears from cash: by seniority class, pro rata within a class.
void pay_arrears(SimState& state, FirmIdx f) {
  std::vector<Arrear>& items = state.scratch.arrears;  // book_late_payment does not touch it
  arrears_of(state, f, items);
  for (std::size_t cls = 0; cls < kSeniorityCount; ++cls) {
    double owed = 0.0;
    for (const Arrear& a : items)
      if (static_cast<std::size_t>(a.seniority) == cls) owed += a.amount_usd_bn;
    const double cash = std::max(0.0, state.firms[f].cash_usd_bn);
    if (owed <= 0.0 || cash <= 0.0) continue;
    const double ratio = std::min(1.0, cash / owed);
    for (const Arrear& a : items)
      if (static_cast<std::size_t>(a.seniority) == cls) book_late_payment(state, f, a, a.amount_usd_bn * ratio);
  }
}

/// Raises up to `need` from the firm's sources in its behaviour's order, selling assets only up to
/// `sale_need`; returns what it raised.
double raise_cash(SimState& state, FirmIdx f, double need, double sale_need, const Behaviours& behaviours) {
  double raised = 0.0;
  for (FundingSource source : behaviours.of(state.model().firms[f].type).funding_order(make_view(state, f))) {
    const bool sells_assets = source == FundingSource::sell_securities || source == FundingSource::sell_hardware;
    const double still = (sells_assets ? sale_need : need) - raised;
    if (still <= kCashToleranceUsdBn) continue;
    switch (source) {
      case FundingSource::draw_credit_lines:
        raised += draw_credit_lines(state, f, still, behaviours);
        break;
      case FundingSource::issue_debt:
        raised += issue_debt(state, f, still);
        break;
      case FundingSource::raise_equity:
        raised += raise_equity(state, f, still);
        break;
      case FundingSource::sell_securities:
        raised += sell_securities(state, f, still);
        break;
      case FundingSource::sell_hardware:
        raised += sell_hardware(state, f, still);
        break;
    }
  }
  return raised;
}

}  // namespace

void run_funding(SimState& state, const Behaviours& behaviours) {
  const Model& m = state.model();
  // What each firm owes, from one pass before any firm acts: a firm's funding and late payments
  // change only the arrears it owes (as obligor, or as the supplier or guarantor that is `from`),
  // so every firm's arrears at its turn are those it had when the phase began.
  std::vector<double>& arrears_by_firm = state.scratch.arrears_by_firm_usd_bn;
  std::vector<double>& withheld_by_firm = state.scratch.withheld_by_firm_usd_bn;
  arrears_of_every_firm(state, arrears_by_firm, withheld_by_firm);
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    if (state.defaulted[f]) continue;
    const double arrears = arrears_by_firm[f] - withheld_by_firm[f];
    // The cash it wants left once its arrears are paid: its buffer and its runway minimum; what
    // its cash on hand does not cover is raised, the buffer's part from financing only.
    const double cash = state.firms[f].cash_usd_bn;
    const double minimum = runway_minimum_usd_bn(state, f);
    const double need = arrears + std::max(cash_target_usd_bn(state, f), minimum) - cash;
    const double sale_need = arrears + minimum - cash;
    if (need > kCashToleranceUsdBn) state.flows[f].funding_usd_bn += raise_cash(state, f, need, sale_need, behaviours);
    if (arrears > 0.0) pay_arrears(state, f);
  }
  state.append_new_builds();
  // Runway: a loss-making firm whose cash is below its minimum liquidity counts the ticks it stays
  // there (phase 7 fails it after parameters.liquidity_grace_ticks).
  for (FirmIdx f = 0; f < m.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f]) continue;
    const double minimum = runway_minimum_usd_bn(state, f);
    const bool short_of_runway = minimum > 0.0 && s.cash_usd_bn < minimum - kCashToleranceUsdBn;
    s.ticks_below_minimum_liquidity = short_of_runway ? s.ticks_below_minimum_liquidity + 1 : 0;
  }
}

}  // namespace cascade::sim
