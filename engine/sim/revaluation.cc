// Phase 8 of a tick: fire-sale price impact, market indices, and the revaluation of claims
// (debtrank channel) and of stakes and warrants (equity_market channel).
#include <algorithm>
#include <cmath>

#include "engine/sim/credit.h"
#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

/// A debt claim that is marked: active, carrying principal, on an obligor not yet resolved.
bool markable(const SimState& state, ExposureIdx e) {
  const SimState::ExposureEnds& ends = state.exposure_ends()[e];
  return state.books[e].active && ends.sum == SimState::ExposureEnds::Sum::claims && !state.defaulted[ends.to];
}

/// Books each claim's new markdown (principal x level of its obligor x LGD) as a revaluation
/// and as the holder's debtrank loss (net of releases). An unchanged mark books nothing: the
/// ledger and the losses are sums started at +0, never -0, so adding 0 would change no bit.
template <typename Level>
void book_marks(SimState& state, Level level_of) {
  const Model& m = state.model();
  const double lgd = m.params.debtrank_loss_given_default;
  const std::span<const SimState::ExposureEnds> ends = state.exposure_ends();
  for (ExposureIdx e = 0; e < ends.size(); ++e) {
    if (!markable(state, e)) continue;
    ExposureBook& x = state.books[e];
    const double markdown = x.principal_usd_bn * level_of(ends[e].to) * lgd;
    const double delta = markdown - x.markdown_usd_bn;
    if (delta == 0.0) continue;
    x.markdown_usd_bn = markdown;
    state.ledger.revaluation_usd_bn -= delta;
    state.losses[ends[e].from][DefaultChannel::debtrank] += delta;
  }
}

/// Assets and liabilities of every firm with all its claims at par (marks added back); a fund's
/// investor capital is loss-absorbing capital, not a liability. Written to the scratch buffers
/// assets_usd_bn and liabilities_usd_bn.
void unmarked_balance_sheets(SimState& state) {
  std::vector<double>& assets = state.scratch.assets_usd_bn;
  std::vector<double>& liabilities = state.scratch.liabilities_usd_bn;
  std::vector<SimState::BalanceSheet>& sheets = state.scratch.balance_sheets;
  state.balance_sheets(sheets);
  assets.resize(state.firms.size());
  liabilities.resize(state.firms.size());
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    assets[f] = sheets[f].assets_usd_bn;
    liabilities[f] = sheets[f].liabilities_usd_bn - state.firms[f].investor_capital_usd_bn;
  }
  // Each holder's marks in the order of claims_held_by (ascending), after its assets.
  const std::span<const SimState::ExposureEnds> ends = state.exposure_ends();
  for (ExposureIdx e = 0; e < ends.size(); ++e)
    if (ends[e].sum == SimState::ExposureEnds::Sum::claims && state.books[e].active)
      assets[ends[e].from] += state.books[e].markdown_usd_bn;
}

/// expected_loss: a claim on obligor j is marked down by principal x LGD x max(0, PD_j - PD0_j),
/// the rise of j's Merton default probability since tick 0 (its credit quality at tick 0 is
/// priced into the claim's book value). PD_j uses j's assets with its own claims marked, so
/// marks pass along chains of claims; the marks are the least fixed point, reached by
/// iterating from no marks (each round can only raise them, and they are bounded).
/// This is the ex-ante valuation of NEVA (Barucca et al. 2020) with a Merton (1974) default
/// probability: a firm whose equity merely drifts keeps a default probability close to its
/// tick-0 one, so its creditors mark almost nothing, while one near insolvency is marked
/// towards LGD.
bool mark_expected_loss(SimState& state) {
  const Model& m = state.model();
  const std::size_t n = state.firms.size();
  const double lgd = m.params.debtrank_loss_given_default;
  const double horizon = m.params.default_probability_horizon_years;
  unmarked_balance_sheets(state);
  const std::vector<double>& assets = state.scratch.assets_usd_bn;
  const std::vector<double>& liabilities = state.scratch.liabilities_usd_bn;
  std::vector<double>& rise = state.scratch.level;
  std::vector<double>& marked_assets = state.scratch.marked_assets_usd_bn;
  std::vector<double>& previous_marked_assets = state.scratch.previous_marked_assets_usd_bn;
  std::vector<MarkedClaim>& claims = state.scratch.marked_claims;  // by holder, in claims_held_by order
  claims.clear();
  for (FirmIdx f = 0; f < n; ++f)
    for (ExposureIdx e : state.claims_held_by(f))
      if (markable(state, e)) claims.push_back({f, state.exposure_ends()[e].to, state.books[e].principal_usd_bn});
  rise.assign(n, 0.0);
  bool converged = false;
  for (int round = 0; round < m.params.marking_max_rounds && !converged; ++round) {
    previous_marked_assets.swap(marked_assets);
    marked_assets = assets;
    for (const MarkedClaim& c : claims) marked_assets[c.holder] -= c.principal_usd_bn * rise[c.obligor] * lgd;
    double change = 0.0;
    for (FirmIdx f = 0; f < n; ++f) {
      FirmState& s = state.firms[f];
      if (state.defaulted[f]) continue;
      // Same marked assets as the round before: same probability, and its rise has not moved.
      if (round > 0 && marked_assets[f] == previous_marked_assets[f]) continue;
      s.default_probability = merton_default_probability(marked_assets[f], liabilities[f],
                                                         m.firms[f].params.asset_volatility_per_year, horizon);
      const double next = std::max(0.0, s.default_probability - s.initial_default_probability);
      change = std::max(change, std::abs(next - rise[f]));
      rise[f] = next;
    }
    converged = change <= 1e-12;
  }
  book_marks(state, [&](FirmIdx j) { return rise[j]; });
  return converged;
}

/// linear / single_hit: a claim is marked down by principal x h(obligor) x LGD, where
/// h = min(1, max(0, (E0 - E) / E0)) is the obligor's relative loss of capital (equity, and a
/// fund's investor capital; 1 for a firm that starts insolvent); marks lower the holders' equity and so their own h,
/// iterated to the least fixed point (linear DebtRank, Bardoscia et al. 2015). In single-hit mode an obligor's distress
/// reaches its creditors once, at the h it had when first distressed (Battiston et al. 2012).
bool mark_debtrank(SimState& state) {
  const Model& m = state.model();
  const std::size_t n = state.firms.size();
  const double lgd = m.params.debtrank_loss_given_default;
  const bool single_hit = m.params.debtrank_mode == DebtRankMode::single_hit;
  unmarked_balance_sheets(state);
  const std::vector<double>& assets = state.scratch.assets_usd_bn;
  const std::vector<double>& liabilities = state.scratch.liabilities_usd_bn;
  std::vector<double>& h = state.scratch.level;
  std::vector<double>& used = state.scratch.used_level;
  h.assign(n, 0.0);
  used.assign(n, 0.0);
  auto distress = [&](FirmIdx f, double equity) {
    const FirmState& s = state.firms[f];
    if (state.defaulted[f] || s.initial_capital_usd_bn <= 0.0) return 1.0;
    return std::clamp((s.initial_capital_usd_bn - equity) / s.initial_capital_usd_bn, 0.0, 1.0);
  };
  auto mark_level = [&](FirmIdx k) {
    const double frozen = state.firms[k].distress_h_propagated;
    return single_hit && frozen > 0.0 ? frozen : h[k];
  };
  bool converged = false;
  for (int round = 0; round < m.params.marking_max_rounds && !converged; ++round) {
    double change = 0.0;
    for (FirmIdx f = 0; f < n; ++f) used[f] = mark_level(f);
    for (FirmIdx f = 0; f < n; ++f) {
      double equity = assets[f] - liabilities[f];
      for (ExposureIdx e : state.claims_held_by(f))
        if (state.books[e].active) equity -= state.books[e].principal_usd_bn * used[state.exposure_ends()[e].to] * lgd;
      const double next = distress(f, equity);
      change = std::max(change, std::abs(next - h[f]));
      h[f] = next;
    }
    converged = change <= 1e-12;
  }
  for (FirmIdx f = 0; f < n; ++f) {
    FirmState& s = state.firms[f];
    s.distress_h = h[f];
    if (single_hit && s.distress_h_propagated == 0.0 && h[f] > 0.0) s.distress_h_propagated = h[f];
  }
  book_marks(state, mark_level);
  return converged;
}

/// Equity market (docs/model.md, phase 8). Each firm's equity value V:
/// - listed firms: V = V0 x S x max(0, (1 - w) E / E0 + w pi / pi0), the price-to-book and
///   price-to-earnings multiples of tick 0 applied to book equity E and to the earnings the
///   market values pi (an average over valuation_earnings_months); pi0 is the tick-0 profit,
///   floored at 10% of the tick-0 revenue (normalised earnings: a firm barely profitable at tick
///   0 gets no extreme multiple); with pi0 <= 0, V = V0 x S x max(0, E / E0);
/// - unlisted firms with a valuation (labs): the post-money value of their last funding round
///   (funding.cc prices each round), unchanged between rounds;
/// - other unlisted firms (SPVs, funds, aggregates): V = V0 x S x max(0, C / C0), their book
///   capital relative to tick 0;
/// with S its sentiment (market-wide x AI ^ ai_beta) and V0 its tick-0 value. The value per
/// share I = V / (V0 x shares outstanding) marks every stake in it (value = units x I) and every
/// warrant on it (units x max(0, 1 + leverage (I - 1)), and never more than the shares it
/// entitles to: share_fraction x V / shares).
void revalue_equity(SimState& state) {
  const Model& m = state.model();
  const double w = m.params.market_cap_earnings_weight;
  std::vector<SimState::BalanceSheet>& sheets = state.scratch.balance_sheets;
  state.balance_sheets(sheets);  // the loop below changes no balance sheet
  std::vector<double>& issuer_index = state.scratch.issuer_index;
  issuer_index.resize(state.firms.size());
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    const FirmSpec& spec = m.firms[f];
    if (state.defaulted[f]) {
      s.value_usd_bn = s.issuer_index = s.market_cap_usd_bn = issuer_index[f] = 0.0;
      continue;
    }
    const double sentiment = state.sentiment_of(f);
    if (spec.listed) {
      constexpr double kNormalisedMargin = 0.1;
      const double e0 = s.initial_equity_usd_bn;
      const double pi0 = s.initial_profit_usd_bn_per_tick > 0.0
                             ? std::max(s.initial_profit_usd_bn_per_tick,
                                        kNormalisedMargin * spec.revenue_usd_bn_per_year / m.params.ticks_per_year)
                             : s.initial_profit_usd_bn_per_tick;
      double fundamental = 1.0;
      if (e0 > 0.0) {
        const double book_ratio = sheets[f].equity_usd_bn() / e0;
        fundamental = pi0 > 0.0 ? (1.0 - w) * book_ratio + w * s.valuation_profit_usd_bn_per_tick / pi0 : book_ratio;
      }
      s.value_usd_bn = s.initial_value_usd_bn * sentiment * std::max(0.0, fundamental);
      s.market_cap_usd_bn = s.value_usd_bn;
    } else if (spec.valuation_usd_bn > 0.0) {
      s.value_usd_bn = s.last_round_value_usd_bn;
    } else if (s.initial_capital_usd_bn > 0.0) {
      s.value_usd_bn =
          s.initial_value_usd_bn * sentiment *
          std::max(0.0, (sheets[f].equity_usd_bn() + s.investor_capital_usd_bn) / s.initial_capital_usd_bn);
    }
    s.issuer_index = issuer_index[f] =
        s.initial_value_usd_bn > 0.0 ? s.value_usd_bn / (s.initial_value_usd_bn * s.shares_outstanding) : 1.0;
  }
  for (ExposureIdx e = 0; e < m.exposures.size(); ++e) {
    ExposureBook& book = state.books[e];
    const ExposureSpec& spec = m.exposures[e];
    if (!book.active || !carries_value(spec)) continue;
    const ExposureState& x = state.exposures[e];
    const double index = issuer_index[spec.to];
    double value = spec.kind == ExposureKind::warrant
                       ? x.units * std::max(0.0, 1.0 + m.params.warrant_leverage * (index - 1.0))
                       : x.units * index;
    if (spec.kind == ExposureKind::warrant && spec.share_fraction > 0.0) {
      const FirmState& issuer = state.firms[spec.to];
      value = std::min(value, spec.share_fraction * issuer.value_usd_bn / issuer.shares_outstanding);
    }
    const double delta = value - book.value_usd_bn;
    book.value_usd_bn = value;
    state.ledger.revaluation_usd_bn += delta;
    state.losses[spec.from][DefaultChannel::equity_market] -= delta;
    if (delta > 0.0) state.losses[spec.from].equity_market_gains_usd_bn += delta;
  }
}

/// Payouts (payouts channel): a firm pays payout_fraction_of_fcf of its free cash flow (moving
/// average) to outside shareholders, from cash above its liquidity buffer, and nothing while it is
/// distressed (cash below the buffer) or its capital (equity and a fund's investor capital) is
/// below its tick-0 level. Payouts are buybacks at market value:
/// shares outstanding fall by payout / value, so holders in the network keep their value per share.
void pay_out(SimState& state) {
  const Model& m = state.model();
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    const double fraction = m.firms[f].params.payout_fraction_of_fcf;
    if (state.defaulted[f] || fraction <= 0.0 || s.free_cash_flow_usd_bn_per_tick <= 0.0) continue;
    const double cash_target = cash_target_usd_bn(state, f);
    if (s.cash_usd_bn < cash_target || state.capital_usd_bn(f) < s.initial_capital_usd_bn) continue;
    const double payout = std::min(fraction * s.free_cash_flow_usd_bn_per_tick, s.cash_usd_bn - cash_target);
    if (payout <= 0.0) continue;
    if (s.value_usd_bn > payout) s.shares_outstanding *= 1.0 - payout / s.value_usd_bn;
    state.external_out(f, payout);
    state.flows[f].payout_usd_bn = payout;
  }
}

/// Credit ratings (credit_ratings channel): a firm is downgraded while its Merton default
/// probability is more than downgrade_default_probability_rise above its tick-0 one (an
/// investment-grade firm falling to high yield, or a high-yield one falling further). The
/// probability is the one the expected_loss marks computed this tick (its claims marked), else
/// that of its book balance sheet.
void rate_credit(SimState& state) {
  const Model& m = state.model();
  const bool marked = m.channels.debtrank && m.params.debtrank_mode == DebtRankMode::expected_loss;
  if (!marked) unmarked_balance_sheets(state);
  const std::vector<double>& assets = state.scratch.assets_usd_bn;
  const std::vector<double>& liabilities = state.scratch.liabilities_usd_bn;
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f]) continue;
    if (!marked)
      s.default_probability =
          merton_default_probability(assets[f], liabilities[f], m.firms[f].params.asset_volatility_per_year,
                                     m.params.default_probability_horizon_years);
    s.downgraded = s.default_probability - s.initial_default_probability > m.params.downgrade_default_probability_rise;
  }
}

/// Pass-through funds: the change of the fund's equity since tick 0 goes to its investors'
/// capital (gains raise it, losses lower it until it is exhausted; what is left below that is
/// the fund's own loss, which its creditors bear). A payout to them this tick lowers their
/// capital by cash they receive: it is not among the losses passed to them.
void pass_to_investors(SimState& state) {
  const Model& m = state.model();
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f] || m.firms[f].params.pass_through < 0.5) continue;
    const double change = state.equity_usd_bn(f) - s.initial_equity_usd_bn;
    const double passed = std::max(change, -s.investor_capital_usd_bn);
    if (passed == 0.0) continue;
    s.investor_capital_usd_bn += passed;
    state.ledger.passed_to_investors_usd_bn += passed;
    if (const double loss = -(passed + state.flows[f].payout_usd_bn); loss > 0.0)
      s.losses_passed_to_investors_usd_bn += loss;
  }
}

}  // namespace

bool revalue(SimState& state, const TickObligations& obligations, const TickInputs& in) {
  const Model& m = state.model();
  const std::size_t n = state.firms.size();
  // Price impact of this tick's forced GPU sales: p' = p exp(-impact x sold / depth).
  if (m.channels.fire_sale && state.market.gpu_sold_market_value_usd_bn > 0.0)
    state.move_gpu_price(std::exp(-m.params.fire_sale_price_impact * state.market.gpu_sold_market_value_usd_bn /
                                  m.params.gpu_market_depth_usd_bn));
  state.market.gpu_sold_market_value_usd_bn = 0.0;
  // Market indices: credit-market stress from shocks and cumulative credit losses; equity
  // sentiment from shocks, damped by stress.
  state.market.stress = std::clamp(
      in.market_stress + state.market.cumulative_credit_loss_usd_bn / m.params.stress_reference_usd_bn, 0.0, 1.0);
  state.market.sentiment =
      std::max(0.0, in.sentiment_multiplier * (1.0 - m.params.sentiment_stress_sensitivity * state.market.stress));
  state.market.ai_sentiment = std::max(0.0, in.ai_sentiment_multiplier);

  // Recent outgoings, revenue and profit (what behaviour and markets look at): exponential
  // averages with weight 1/3 on this tick.
  std::vector<double>& outgoings = state.scratch.outgoings_usd_bn;
  std::vector<double>& committed = state.scratch.committed_usd_bn;
  outgoings.assign(n, 0.0);
  committed.assign(n, 0.0);
  for (std::size_t k = 0; k < obligations.items.size(); ++k) {
    outgoings[obligations.items[k].debtor] += obligations.items[k].amount_usd_bn;
    if (!obligations.tags[k].discretionary)
      committed[obligations.items[k].debtor] += obligations.items[k].amount_usd_bn;
  }
  constexpr double kWeight = 1.0 / 3.0;
  const double valuation_weight =
      1.0 / std::max(1.0, m.params.valuation_earnings_months * m.params.ticks_per_year / 12.0);
  for (FirmIdx f = 0; f < n; ++f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f]) continue;
    const FirmFlows& fl = state.flows[f];
    // A lender's reported revenue includes the interest on its network loans, which the network
    // carries (docs/model.md, "External remainders"): it is part of what it earns here too, as in
    // its earnings and free cash flow at tick 0.
    const double revenue = fl.revenue_usd_bn + fl.network_revenue_usd_bn +
                           (is_lender_type(m.firms[f].type) ? fl.interest_received_usd_bn : 0.0);
    s.network_revenue_last_tick_usd_bn = fl.network_revenue_usd_bn;
    s.outgoings_usd_bn_per_tick = (1.0 - kWeight) * s.outgoings_usd_bn_per_tick + kWeight * outgoings[f];
    s.committed_outgoings_usd_bn_per_tick =
        (1.0 - kWeight) * s.committed_outgoings_usd_bn_per_tick + kWeight * committed[f];
    s.revenue_usd_bn_per_tick = (1.0 - kWeight) * s.revenue_usd_bn_per_tick + kWeight * revenue;
    const double profit = revenue - fl.opex_usd_bn - fl.depreciation_usd_bn;
    s.profit_usd_bn_per_tick = (1.0 - kWeight) * s.profit_usd_bn_per_tick + kWeight * profit;
    s.valuation_profit_usd_bn_per_tick =
        (1.0 - valuation_weight) * s.valuation_profit_usd_bn_per_tick + valuation_weight * profit;
    const double free_cash_flow = revenue - fl.opex_usd_bn - fl.interest_paid_usd_bn - fl.capex_usd_bn;
    s.free_cash_flow_usd_bn_per_tick =
        (1.0 - valuation_weight) * s.free_cash_flow_usd_bn_per_tick + valuation_weight * free_cash_flow;
  }
  if (m.channels.payouts) pay_out(state);
  bool marks_converged = true;
  if (m.channels.debtrank)
    marks_converged =
        m.params.debtrank_mode == DebtRankMode::expected_loss ? mark_expected_loss(state) : mark_debtrank(state);
  if (m.channels.credit_ratings) rate_credit(state);
  if (m.channels.equity_market) revalue_equity(state);
  pass_to_investors(state);
  return marks_converged;
}

void performing_marks_of_every_firm(const SimState& state, std::span<const double> arrears_by_firm,
                                    std::vector<double>& out) {
  out.assign(state.firms.size(), 0.0);
  const std::span<const SimState::ExposureEnds> ends = state.exposure_ends();
  for (ExposureIdx e = 0; e < ends.size(); ++e) {  // each holder's claims in ascending order
    const ExposureBook& book = state.books[e];
    if (ends[e].sum != SimState::ExposureEnds::Sum::claims || !book.active || book.markdown_usd_bn <= 0.0) continue;
    const ExposureState& x = state.exposures[e];
    const FirmIdx obligor = ends[e].to;
    const bool performing = x.arrears_usd_bn <= 0.0 && x.principal_overdue_usd_bn <= 0.0 &&
                            !state.defaulted[obligor] && arrears_by_firm[obligor] <= 0.0;
    if (performing) out[ends[e].from] += book.markdown_usd_bn;
  }
}

}  // namespace cascade::sim
