#include "engine/sim/state.h"

#include <algorithm>
#include <cmath>

#include "engine/core/diagnostics.h"
#include "engine/sim/credit.h"

namespace cascade {
namespace {

/// `by_firm(f)` filtered to the exposures `keep` accepts, in the same order.
template <typename ByFirm, typename Keep>
void filter_lists(std::size_t firm_count, const ByFirm& by_firm, const Keep& keep, std::vector<std::uint32_t>& offsets,
                  std::vector<ExposureIdx>& items) {
  offsets.assign(1, 0);
  offsets.reserve(firm_count + 1);
  for (FirmIdx f = 0; f < firm_count; ++f) {
    for (ExposureIdx e : by_firm(f))
      if (keep(e)) items.push_back(e);
    offsets.push_back(static_cast<std::uint32_t>(items.size()));
  }
}

}  // namespace

SimState::SimState(const Model& model, const ExposureNetwork& network) : model_(&model), network_(&network) {
  const int tpy = model.params.ticks_per_year;
  firms.resize(model.firms.size());
  flows.resize(model.firms.size());
  defaulted.assign(model.firms.size(), 0);
  losses.assign(model.firms.size(), ChannelLosses{});
  books.resize(model.exposures.size());
  exposures.resize(model.exposures.size());
  exposure_flows.resize(model.exposures.size());
  const auto held_by = [&](FirmIdx f) { return network.held_by(f); };
  const auto owed_by = [&](FirmIdx f) { return network.owed_by(f); };
  const auto value = [&](ExposureIdx e) { return carries_value(model.exposures[e]); };
  const auto principal = [&](ExposureIdx e) { return carries_principal(model.exposures[e]); };
  filter_lists(firms.size(), held_by, value, securities_held_.offsets, securities_held_.items);
  filter_lists(firms.size(), held_by, principal, claims_held_.offsets, claims_held_.items);
  filter_lists(firms.size(), owed_by, principal, debt_owed_.offsets, debt_owed_.items);
  const auto credit_line = [&](ExposureIdx e) { return model.exposures[e].kind == ExposureKind::credit_line; };
  filter_lists(firms.size(), owed_by, credit_line, credit_lines_owed_.offsets, credit_lines_owed_.items);
  const auto capex_commitment = [&](ExposureIdx e) {
    return model.exposures[e].kind == ExposureKind::purchase_commitment &&
           model.exposures[e].purpose == PurchasePurpose::capex;
  };
  filter_lists(firms.size(), owed_by, capex_commitment, capex_commitments_owed_.offsets, capex_commitments_owed_.items);
  exposure_ends_.reserve(model.exposures.size());
  for (const ExposureSpec& spec : model.exposures) {
    using Sum = ExposureEnds::Sum;
    const Sum sum = carries_principal(spec) ? Sum::claims : carries_value(spec) ? Sum::securities : Sum::none;
    exposure_ends_.push_back({spec.from, spec.to, sum});
  }
  for (ExposureIdx e = 0; e < model.exposures.size(); ++e) {
    const ExposureKind kind = model.exposures[e].kind;
    if (kind == ExposureKind::vendor_financing || kind == ExposureKind::guarantee)
      tranches_and_guarantees_.push_back(e);
    if (model.exposures[e].collateral_usd_bn != 0.0) collateralised_.push_back(e);
  }

  for (ExposureIdx i = 0; i < model.exposures.size(); ++i) {
    const ExposureSpec& spec = model.exposures[i];
    ExposureBook& book = books[i];
    ExposureState& e = exposures[i];
    const bool held_security = is_security(spec.kind) && spec.status == ExposureStatus::settled;
    book.active = model.enforced(spec.status) || held_security;
    if (!book.active) continue;
    if (carries_principal(spec) && spec.kind != ExposureKind::vendor_financing && spec.kind != ExposureKind::credit_line)
      book.principal_usd_bn = spec.effective_amount_usd_bn;
    if (is_security(spec.kind)) book.value_usd_bn = e.units = spec.effective_amount_usd_bn;
    if (is_contract_stream(spec.kind) || spec.kind == ExposureKind::vendor_financing) {
      e.remaining_usd_bn = spec.effective_amount_usd_bn;
      e.annual_usd_bn = spec.annual_usd_bn;
    }
    if (is_debt(spec.kind) && spec.term_years > 0.0)
      e.maturity_tick = std::max<Tick>(1, static_cast<Tick>(std::llround(spec.term_years * tpy)));
    e.rate_pct = spec.rate_pct;
    // Pledged assets have the obligor's hardware mix: its GPU share moves with the GPU index.
    const double gpu_share = model.firms[spec.to].params.gpu_share_of_hardware_fraction;
    e.collateral_gpu_value_usd_bn = spec.collateral_usd_bn * gpu_share;
    e.collateral_value_usd_bn = spec.collateral_usd_bn;
  }

  for (FirmIdx f = 0; f < model.firms.size(); ++f) {
    const FirmSpec& spec = model.firms[f];
    FirmState& s = firms[f];
    s.cash_usd_bn = spec.cash_usd_bn;
    s.hardware_usd_bn = spec.hardware_usd_bn;
    s.gpu_book_usd_bn = spec.hardware_usd_bn * spec.params.gpu_share_of_hardware_fraction;
    s.gpu_market_value_usd_bn = s.gpu_book_usd_bn;
    s.market_cap_usd_bn = spec.market_cap_usd_bn;
    s.other_assets_usd_bn = spec.external_other_assets_usd_bn;
    s.external_debt_usd_bn = spec.external_debt_usd_bn;
    s.lease_liabilities_usd_bn = spec.lease_liabilities_usd_bn;
    s.other_liabilities_usd_bn = spec.other_liabilities_usd_bn;
    // With the ai_demand channel, the AI part of external revenue follows the AI market
    // (ai_market.cc); the rest follows the firm's own exogenous path.
    const double ai_revenue = model.channels.ai_demand ? std::min(spec.ai_revenue_usd_bn_per_year,
                                                                   spec.external_revenue_usd_bn_per_year)
                                                       : 0.0;
    s.external_revenue_level_usd_bn = spec.external_revenue_usd_bn_per_year - ai_revenue;
    s.ai_revenue_level_usd_bn = ai_revenue;
    s.ai_capacity_gw = spec.ai_capacity_gw;
    s.external_opex_level_usd_bn = spec.external_opex_usd_bn_per_year;
    s.capex_plan_level_usd_bn = spec.capex_usd_bn_per_year;
    const double dt_years = 1.0 / tpy;
    const double drift = std::log1p(spec.params.revenue_growth_per_year);  // GBM drift log(1 + growth) per year
    const double vol = spec.params.revenue_volatility_per_year;
    s.revenue_log_drift_per_tick = (drift - 0.5 * vol * vol) * dt_years;
    s.revenue_log_volatility_per_tick = vol * std::sqrt(dt_years);
    s.opex_growth_factor_per_tick = std::pow(1.0 + spec.params.opex_growth_per_year, dt_years);
    s.capex_growth_factor_per_tick = std::pow(1.0 + spec.params.capex_growth_per_year, dt_years);
    s.bond_allowance_usd_bn = spec.params.bond_issue_usd_bn_per_year;
    s.equity_allowance_usd_bn = spec.params.equity_raise_usd_bn_per_year;
  }
  capex_terms_.resize(model.firms.size());
  for (FirmIdx f = 0; f < model.firms.size(); ++f) {
    const AgentParams& p = model.firms[f].params;
    capex_terms_[f] = {.ai_capex_share_fraction = p.ai_capex_share_fraction,
                       .gpu_share_of_hardware_fraction = p.gpu_share_of_hardware_fraction,
                       .build_ticks = static_cast<Tick>(std::llround(p.build_months * tpy / 12.0))};
  }
  reserve_builds();
  new_builds_.assign(model.firms.size(), Build{});
  firms_with_new_builds_.reserve(model.firms.size());
  securities_sold_usd_bn.assign(model.firms.size(), 0.0);
  build_started_this_tick.assign(model.firms.size(), 0);
  const auto sets_capex_share = [&](ExposureIdx i) {
    const ExposureSpec& spec = model.exposures[i];
    return books[i].active && spec.kind == ExposureKind::purchase_commitment &&
           spec.purpose == PurchasePurpose::capex && spec.start_tick <= 1 &&
           model.firms[spec.to].capex_usd_bn_per_year > 0.0;
  };
  std::vector<std::uint32_t> share_setters(model.firms.size(), 0);  // a bound on each buyer's suppliers
  for (ExposureIdx i = 0; i < model.exposures.size(); ++i)
    if (sets_capex_share(i)) ++share_setters[model.exposures[i].to];
  capex_supplier_shares.reserve(model.firms.size(), [&](FirmIdx f) { return share_setters[f]; });
  for (ExposureIdx i = 0; i < model.exposures.size(); ++i) {
    if (!sets_capex_share(i)) continue;
    const ExposureSpec& spec = model.exposures[i];
    const double share = spec.annual_usd_bn / model.firms[spec.to].capex_usd_bn_per_year;
    const std::span<std::pair<FirmIdx, double>> shares = capex_supplier_shares.of(spec.to);
    auto it = std::find_if(shares.begin(), shares.end(), [&](const auto& p) { return p.first == spec.from; });
    if (it == shares.end()) capex_supplier_shares.push_back(spec.to, {spec.from, share});
    else it->second += share;
  }
  for (FirmIdx f = 0; f < model.firms.size(); ++f) {
    const std::span<std::pair<FirmIdx, double>> shares = capex_supplier_shares.of(f);
    double total = 0.0;
    for (const auto& p : shares) total += p.second;
    if (total > 1.0)
      for (auto& p : shares) p.second /= total;
  }

  scratch.reserve(model, network, capex_supplier_shares);
  sim::init_ai_market(*this);
  for (FirmIdx f = 0; f < model.firms.size(); ++f) {
    FirmState& s = firms[f];
    const FirmSpec& spec = model.firms[f];
    // A pass-through fund's book equity is its investors' capital (docs/model.md, "Funds").
    if (spec.params.pass_through >= 0.5) s.investor_capital_usd_bn = std::max(0.0, equity_usd_bn(f));
    s.initial_equity_usd_bn = equity_usd_bn(f);
    s.initial_capital_usd_bn = capital_usd_bn(f);
    s.initial_value_usd_bn = s.value_usd_bn = s.last_round_value_usd_bn =
        spec.listed ? spec.market_cap_usd_bn
                    : (spec.valuation_usd_bn > 0.0 ? spec.valuation_usd_bn : std::max(0.0, s.initial_capital_usd_bn));
    s.initial_default_probability = s.default_probability =
        merton_default_probability(assets_usd_bn(f), liabilities_usd_bn(f) - s.investor_capital_usd_bn,
                                   spec.params.asset_volatility_per_year, model.params.default_probability_horizon_years);
    s.hardware_life_years = spec.hardware_useful_life_years;
    s.initial_profit_usd_bn_per_tick =
        (spec.revenue_usd_bn_per_year - spec.opex_usd_bn_per_year - spec.hardware_usd_bn / spec.hardware_useful_life_years) /
        tpy;
    s.profit_usd_bn_per_tick = s.valuation_profit_usd_bn_per_tick = s.initial_profit_usd_bn_per_tick;
    // Expected outgoings per tick before the first tick: opex, capex, streams and interest.
    double per_year = s.external_opex_level_usd_bn + s.capex_plan_level_usd_bn +
                      s.external_debt_usd_bn * model.params.outside_liability_rate_pct(spec.type) / 100.0;
    for (ExposureIdx e : network_->owed_by(f)) {
      const ExposureSpec& owed = model.exposures[e];
      if (!books[e].active) continue;
      if (is_contract_stream(owed.kind) && owed.start_tick <= 1 &&
          !(owed.kind == ExposureKind::purchase_commitment && owed.purpose == PurchasePurpose::capex))
        per_year += exposures[e].annual_usd_bn;
      per_year += books[e].principal_usd_bn * owed.rate_pct / 100.0;
    }
    s.outgoings_usd_bn_per_tick = s.committed_outgoings_usd_bn_per_tick = per_year / tpy;
    s.free_cash_flow_usd_bn_per_tick = (spec.revenue_usd_bn_per_year - per_year) / tpy;
    s.revenue_usd_bn_per_tick = s.last_round_revenue_usd_bn_per_tick = model.firms[f].revenue_usd_bn_per_year / tpy;
    s.network_revenue_last_tick_usd_bn =
        (model.firms[f].revenue_usd_bn_per_year - model.firms[f].external_revenue_usd_bn_per_year) / tpy;
  }
  for (ExposureIdx i = 0; i < model.exposures.size(); ++i)
    exposures[i].obligor_revenue_at_start_usd_bn_per_tick = firms[model.exposures[i].to].revenue_usd_bn_per_tick;
}

void SimState::reserve_builds() {
  if (!model_->channels.capacity) return;
  const int tpy = model_->params.ticks_per_year;
  std::vector<Tick> delay_ticks(firms.size(), 0);
  for (const ShockSpec& shock : model_->shocks)
    if (shock.kind == ShockKind::construction_delay)
      for (FirmIdx f : shock.targets)
        delay_ticks[f] += std::max<Tick>(0, static_cast<Tick>(std::llround(shock.value * tpy / 12.0)));
  for (FirmIdx f = 0; f < firms.size(); ++f) {
    if (capex_terms_[f].ai_capex_share_fraction <= 0.0) continue;
    // One build starts per tick of spending. It lasts its build time plus delays in funded
    // ticks, between which at most stranding_ticks - 1 unfunded ones can pass: so no more
    // builds are in progress than that many ticks' worth, nor than the horizon has ticks.
    const Tick longest_life = std::max<Tick>(0, capex_terms_[f].build_ticks + delay_ticks[f]) *
                              std::max<Tick>(1, model_->params.stranding_ticks);
    firms[f].builds.reserve(static_cast<std::size_t>(std::min(longest_life, model_->params.horizon_ticks)) + 1);
  }
}

double SimState::sentiment_of(FirmIdx f) const {
  const double beta = model_->firms[f].params.ai_beta;
  return market.sentiment * (beta > 0.0 ? std::pow(market.ai_sentiment, beta) : 1.0);
}

void SimState::transfer(FirmIdx from, FirmIdx to, double amount_usd_bn) {
  CASCADE_ASSERT(amount_usd_bn >= 0.0 && std::isfinite(amount_usd_bn), "transfer of a negative or non-finite amount");
  firms[from].cash_usd_bn -= amount_usd_bn;
  firms[to].cash_usd_bn += amount_usd_bn;
  ledger.network_payments_usd_bn += amount_usd_bn;
}
void SimState::external_in(FirmIdx firm, double amount_usd_bn) {
  CASCADE_ASSERT(amount_usd_bn >= 0.0 && std::isfinite(amount_usd_bn), "external inflow negative or non-finite");
  firms[firm].cash_usd_bn += amount_usd_bn;
  ledger.external_inflow_usd_bn += amount_usd_bn;
}
void SimState::external_out(FirmIdx firm, double amount_usd_bn) {
  CASCADE_ASSERT(amount_usd_bn >= 0.0 && std::isfinite(amount_usd_bn), "external outflow negative or non-finite");
  firms[firm].cash_usd_bn -= amount_usd_bn;
  ledger.external_outflow_usd_bn += amount_usd_bn;
}

void SimState::add_hardware(FirmIdx f, double amount_usd_bn) {
  FirmState& s = firms[f];
  const double gpu = amount_usd_bn * capex_terms_[f].gpu_share_of_hardware_fraction;
  s.hardware_usd_bn += amount_usd_bn;
  s.gpu_book_usd_bn += gpu;
  s.gpu_market_value_usd_bn += gpu;  // new hardware is worth what it cost
}

void SimState::capitalise_capex(FirmIdx f, double amount_usd_bn) {
  const CapexTerms& terms = capex_terms_[f];
  const double ai = model_->channels.capacity ? amount_usd_bn * terms.ai_capex_share_fraction : 0.0;
  if (ai > 0.0) {
    FirmState& s = firms[f];
    const Tick ticks = terms.build_ticks;
    const double gw = ai / model_->params.capacity_cost_usd_bn_per_gw;
    // One build per tick of spending: this tick's payments join the build it started. The newest
    // build is new_builds_[f] when it has a cost, else the last of s.builds.
    Build& newest = new_builds_[f];
    Build* last = nullptr;
    if (build_started_this_tick[f] && s.stalled_ticks == 0)
      last = newest.cost_usd_bn > 0.0 ? &newest : s.builds.empty() ? nullptr : &s.builds.back();
    if (last != nullptr && last->remaining_ticks == ticks) {
      last->cost_usd_bn += ai;
      last->capacity_gw += gw;
    } else {
      if (newest.cost_usd_bn > 0.0)
        s.builds.push_back(newest);
      else
        firms_with_new_builds_.push_back(f);
      newest = {.cost_usd_bn = ai, .capacity_gw = gw, .remaining_ticks = ticks};
      build_started_this_tick[f] = 1;
    }
    s.construction_usd_bn += ai;
  }
  if (amount_usd_bn > ai) add_hardware(f, amount_usd_bn - ai);
}

void SimState::append_new_builds() {
  for (FirmIdx f : firms_with_new_builds_) {
    firms[f].builds.push_back(new_builds_[f]);
    new_builds_[f] = Build{};
  }
  firms_with_new_builds_.clear();
}

SimState::HardwareSlice SimState::remove_hardware(FirmIdx f, double book_usd_bn) {
  FirmState& s = firms[f];
  HardwareSlice slice;
  if (s.hardware_usd_bn <= 0.0 || book_usd_bn <= 0.0) return slice;
  const double share = std::min(1.0, book_usd_bn / s.hardware_usd_bn);
  const double gpu_book = s.gpu_book_usd_bn * share;
  slice.book_usd_bn = s.hardware_usd_bn * share;
  slice.gpu_market_usd_bn = s.gpu_market_value_usd_bn * share;
  slice.value_usd_bn = model_->channels.fire_sale ? slice.book_usd_bn - gpu_book + slice.gpu_market_usd_bn
                                                   : slice.book_usd_bn;
  s.hardware_usd_bn -= slice.book_usd_bn;
  s.gpu_book_usd_bn -= gpu_book;
  s.gpu_market_value_usd_bn -= slice.gpu_market_usd_bn;
  if (share >= 1.0) s.hardware_usd_bn = s.gpu_book_usd_bn = s.gpu_market_value_usd_bn = 0.0;
  return slice;
}

void SimState::move_gpu_price(double factor) {
  market.gpu_price_index *= factor;
  for (FirmState& s : firms) s.gpu_market_value_usd_bn *= factor;
  for (ExposureIdx idx : collateralised_) {
    ExposureState& e = exposures[idx];
    const double other = e.collateral_value_usd_bn - e.collateral_gpu_value_usd_bn;
    e.collateral_gpu_value_usd_bn *= factor;
    e.collateral_value_usd_bn = other + e.collateral_gpu_value_usd_bn;
  }
}

void SimState::add_to_holding(ExposureIdx idx, double amount_usd_bn) {
  const double index = firms[model_->exposures[idx].to].issuer_index;
  books[idx].value_usd_bn += amount_usd_bn;
  if (index > 0.0) exposures[idx].units += amount_usd_bn / index;
}

void SimState::reduce_holding(ExposureIdx idx, double amount_usd_bn) {
  ExposureBook& book = books[idx];
  if (book.value_usd_bn > 0.0) exposures[idx].units *= std::max(0.0, 1.0 - amount_usd_bn / book.value_usd_bn);
  book.value_usd_bn -= amount_usd_bn;
}

void SimState::reduce_principal(ExposureIdx idx, double amount_usd_bn) {
  ExposureBook& e = books[idx];
  e.principal_usd_bn -= amount_usd_bn;
  if (e.markdown_usd_bn > e.principal_usd_bn) {  // repaid at par above its marked value
    // The mark (a debtrank loss of the holder) is released with the principal it was on.
    const double released = e.markdown_usd_bn - std::max(0.0, e.principal_usd_bn);
    ledger.revaluation_usd_bn += released;
    losses[model_->exposures[idx].from][DefaultChannel::debtrank] -= released;
    e.markdown_usd_bn = std::max(0.0, e.principal_usd_bn);
  }
}

double SimState::claim_book_usd_bn(ExposureIdx idx) const {
  return books[idx].principal_usd_bn - books[idx].markdown_usd_bn;
}

double SimState::securities_usd_bn(FirmIdx f) const {
  double sum = 0.0;
  for (ExposureIdx e : securities_held_.of(f))
    if (books[e].active) sum += books[e].value_usd_bn;
  return sum;
}
double SimState::claims_usd_bn(FirmIdx f) const {
  double sum = 0.0;
  for (ExposureIdx e : claims_held_.of(f))
    if (books[e].active) sum += claim_book_usd_bn(e);
  return sum;
}
double SimState::network_debt_usd_bn(FirmIdx f) const {
  double sum = 0.0;
  for (ExposureIdx e : debt_owed_.of(f))
    if (books[e].active) sum += books[e].principal_usd_bn;
  return sum;
}
namespace {
// The two sums every balance-sheet view shares, in one fixed order (so every view agrees to the bit).
double total_assets(const FirmState& s, double securities_usd_bn, double claims_usd_bn) {
  return s.cash_usd_bn + s.hardware_usd_bn + s.construction_usd_bn + s.other_assets_usd_bn + securities_usd_bn +
         claims_usd_bn;
}
double total_liabilities(const FirmState& s, double network_debt_usd_bn) {
  return network_debt_usd_bn + s.external_debt_usd_bn + s.lease_liabilities_usd_bn + s.other_liabilities_usd_bn +
         s.investor_capital_usd_bn;
}
}  // namespace

double SimState::assets_usd_bn(FirmIdx f) const {
  return total_assets(firms[f], securities_usd_bn(f), claims_usd_bn(f));
}
double SimState::liabilities_usd_bn(FirmIdx f) const { return total_liabilities(firms[f], network_debt_usd_bn(f)); }
SimState::BalanceSheet SimState::balance_sheet(FirmIdx f) const {
  BalanceSheet b;
  b.securities_usd_bn = securities_usd_bn(f);
  b.claims_usd_bn = claims_usd_bn(f);
  b.network_debt_usd_bn = network_debt_usd_bn(f);
  b.assets_usd_bn = total_assets(firms[f], b.securities_usd_bn, b.claims_usd_bn);
  b.liabilities_usd_bn = total_liabilities(firms[f], b.network_debt_usd_bn);
  return b;
}
void SimState::balance_sheets(std::vector<BalanceSheet>& out) const {
  out.assign(firms.size(), BalanceSheet{});
  for (ExposureIdx e = 0; e < exposure_ends_.size(); ++e) {
    const ExposureBook& book = books[e];
    if (!book.active) continue;
    const ExposureEnds& ends = exposure_ends_[e];
    if (ends.sum == ExposureEnds::Sum::securities) {
      out[ends.from].securities_usd_bn += book.value_usd_bn;
    } else if (ends.sum == ExposureEnds::Sum::claims) {
      out[ends.from].claims_usd_bn += claim_book_usd_bn(e);
      out[ends.to].network_debt_usd_bn += book.principal_usd_bn;
    }
  }
  for (FirmIdx f = 0; f < firms.size(); ++f) {
    BalanceSheet& b = out[f];
    b.assets_usd_bn = total_assets(firms[f], b.securities_usd_bn, b.claims_usd_bn);
    b.liabilities_usd_bn = total_liabilities(firms[f], b.network_debt_usd_bn);
  }
}
double SimState::total_cash_usd_bn() const {
  double sum = 0.0;
  for (const FirmState& s : firms) sum += s.cash_usd_bn;
  return sum;
}
double SimState::total_equity_usd_bn() const {
  double sum = 0.0;
  for (FirmIdx f = 0; f < firms.size(); ++f) sum += equity_usd_bn(f);
  return sum;
}
double SimState::total_assets_usd_bn() const {
  double sum = 0.0;
  for (FirmIdx f = 0; f < firms.size(); ++f) sum += assets_usd_bn(f);
  return sum;
}

}  // namespace cascade
