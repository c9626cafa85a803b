#include "engine/sim/simulation.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "engine/core/diagnostics.h"
#include "engine/core/rng.h"
#include "engine/sim/phases.h"

namespace cascade {

std::string_view to_string(DefaultChannel c) {
  static constexpr std::array<std::string_view, kDefaultChannelCount> kNames{
      "own_operations", "payment_clearing", "revenue_contract", "default_resolution", "funding",
      "debtrank",       "fire_sale",        "equity_market",    "guarantees",         "capacity",
      "ai_demand",      "contract_renewal", "shock"};
  return kNames[static_cast<std::size_t>(c)];
}
LossNature nature_of(DefaultChannel c) {
  switch (c) {
    case DefaultChannel::payment_clearing: return LossNature::unpaid;
    case DefaultChannel::revenue_contract:
    case DefaultChannel::ai_demand:
    case DefaultChannel::contract_renewal: return LossNature::foregone_revenue;
    case DefaultChannel::debtrank:
    case DefaultChannel::equity_market: return LossNature::mark;
    default: return LossNature::realised;
  }
}
std::string_view to_string(LossNature n) {
  switch (n) {
    case LossNature::realised: return "realised";
    case LossNature::unpaid: return "unpaid_receivables";
    case LossNature::mark: return "marks";
    case LossNature::foregone_revenue: return "foregone_revenue";
  }
  return "?";
}

std::string_view to_string(DefaultKind k) {
  switch (k) {
    case DefaultKind::liquidity: return "liquidity";
    case DefaultKind::solvency: return "solvency";
    case DefaultKind::forced: return "forced";
    case DefaultKind::breach: return "breach";
  }
  return "?";
}
std::string_view to_string(FundingSource s) {
  switch (s) {
    case FundingSource::draw_credit_lines: return "draw_credit_lines";
    case FundingSource::issue_debt: return "issue_debt";
    case FundingSource::raise_equity: return "raise_equity";
    case FundingSource::sell_securities: return "sell_securities";
    case FundingSource::sell_hardware: return "sell_hardware";
  }
  return "?";
}

double SimResult::credit_loss_by_holder_type_usd_bn(FirmType t, const Model& m) const {
  double sum = 0.0;
  for (const CreditLoss& l : credit_losses)
    if (m.firms[l.holder].type == t) sum += l.loss_usd_bn();
  return sum;
}
double SimResult::credit_loss_by_kind_usd_bn(ExposureKind k) const {
  double sum = 0.0;
  for (const CreditLoss& l : credit_losses)
    if (l.kind == k) sum += l.loss_usd_bn();
  return sum;
}
double SimResult::losses_by_channel_usd_bn(DefaultChannel c) const {
  double sum = 0.0;
  for (const ChannelLosses& l : losses_by_firm) sum += l[c];
  return sum;
}

double SimResult::system_equity_lost_usd_bn() const {
  double lost = 0.0;
  for (std::size_t f = 0; f < initial_firms.size() && f < final_firms.size(); ++f)
    lost += std::max(0.0, initial_firms[f].equity_usd_bn - final_firms[f].equity_usd_bn);
  return lost;
}

namespace sim {

FirmView make_view(const SimState& state, FirmIdx f) { return make_view(state, f, state.balance_sheet(f)); }

FirmView make_view(const SimState& state, FirmIdx f, const BalanceSheet& b) {
  const FirmState& s = state.firms[f];
  const Model& m = state.model();
  FirmView v;
  v.spec = &m.firms[f];
  v.tick = state.tick;
  v.ticks_per_year = m.params.ticks_per_year;
  v.cash_usd_bn = s.cash_usd_bn;
  v.hardware_usd_bn = s.hardware_usd_bn;
  v.securities_usd_bn = b.securities_usd_bn;
  v.assets_usd_bn = b.assets_usd_bn;
  v.debt_usd_bn = b.network_debt_usd_bn + s.external_debt_usd_bn;
  v.equity_usd_bn = v.assets_usd_bn - b.liabilities_usd_bn + s.investor_capital_usd_bn;
  v.initial_equity_usd_bn = s.initial_capital_usd_bn;
  v.outgoings_usd_bn_per_tick = s.outgoings_usd_bn_per_tick;
  v.revenue_usd_bn_per_tick = s.revenue_usd_bn_per_tick;
  v.initial_revenue_usd_bn_per_tick = m.firms[f].revenue_usd_bn_per_year / m.params.ticks_per_year;
  v.credit_losses_usd_bn = state.losses[f][DefaultChannel::default_resolution];
  for (ExposureIdx e : state.credit_lines_owed_by(f))
    if (state.books[e].active)
      v.undrawn_credit_usd_bn +=
          std::max(0.0, m.exposures[e].effective_amount_usd_bn - state.books[e].principal_usd_bn);
  v.defaulted = state.defaulted[f];
  v.market_stress = m.channels.funding ? state.market.stress : 0.0;
  v.ai_utilisation = state.market.ai_utilisation;
  // Without a market for compute at tick 0 (no seller had capacity), utilisation steers nothing.
  v.initial_ai_utilisation = state.market.initial_ai_demand_gw > 0.0 ? m.params.initial_utilisation : 0.0;
  return v;
}

double cash_target_usd_bn(const SimState& state, FirmIdx f) {
  const FirmState& s = state.firms[f];
  return FirmView::cash_target_usd_bn(state.model().firms[f].params, state.model().params.ticks_per_year,
                                      s.outgoings_usd_bn_per_tick, s.revenue_usd_bn_per_tick);
}

void arrears_of_every_firm(const SimState& state, std::vector<double>& arrears_usd_bn,
                           std::vector<double>& withheld_usd_bn) {
  const std::size_t n = state.firms.size();
  arrears_usd_bn.resize(n);
  for (FirmIdx f = 0; f < n; ++f) arrears_usd_bn[f] = state.firms[f].external_arrears_usd_bn;
  withheld_usd_bn.assign(n, 0.0);
  const std::span<const SimState::ExposureEnds> ends = state.exposure_ends();
  // What each firm owes as obligor first, then as the exposed party (the order phases.h gives).
  for (ExposureIdx e = 0; e < ends.size(); ++e) {
    const ExposureState& x = state.exposures[e];
    arrears_usd_bn[ends[e].to] += x.arrears_usd_bn + x.principal_overdue_usd_bn;
    withheld_usd_bn[ends[e].to] += x.withheld_usd_bn;
  }
  // Only vendor financing and guarantees carry these (elsewhere the two are +0, whose sum adds
  // nothing: no arrears sum is -0).
  for (ExposureIdx e : state.tranches_and_guarantees())
    arrears_usd_bn[ends[e].from] += state.exposures[e].tranche_arrears_usd_bn + state.exposures[e].guarantee_arrears_usd_bn;
}

// ---- Phase 1: shocks -------------------------------------------------------------------
void apply_shocks(SimState& state, TickInputs& in) {
  const Model& m = state.model();
  in.sentiment_multiplier = 1.0;
  in.ai_sentiment_multiplier = 1.0;
  in.ai_demand_multiplier = 1.0;
  in.market_stress = 0.0;
  state.market.rate_change_pct = 0.0;
  for (const ShockSpec& shock : m.shocks) {
    const bool one_off_now = shock.tick == state.tick;
    const bool active = shock.active_at(state.tick);
    const double multiplier = active ? shock.value_at(state.tick, 1.0) : 1.0;  // neutral when inactive
    const double addition = active ? shock.value_at(state.tick, 0.0) : 0.0;
    // Market-wide kinds act on the markets, not on firms.
    switch (shock.kind) {
      case ShockKind::gpu_price_multiplier:
        if (one_off_now) state.move_gpu_price(shock.value);
        continue;
      case ShockKind::sentiment_multiplier: in.sentiment_multiplier *= multiplier; continue;
      case ShockKind::ai_sentiment_multiplier: in.ai_sentiment_multiplier *= multiplier; continue;
      case ShockKind::ai_demand_multiplier: in.ai_demand_multiplier *= multiplier; continue;
      case ShockKind::market_stress: in.market_stress += addition; continue;
      case ShockKind::rate_change: state.market.rate_change_pct += addition; continue;
      default: break;
    }
    for (FirmIdx f : shock.targets) {
      FirmState& s = state.firms[f];
      if (state.defaulted[f]) continue;
      switch (shock.kind) {
        case ShockKind::revenue_multiplier: in.revenue_multiplier[f] *= multiplier; break;
        case ShockKind::opex_multiplier: in.opex_multiplier[f] *= multiplier; break;
        case ShockKind::capex_multiplier: in.capex_multiplier[f] *= multiplier; break;
        case ShockKind::payment_fraction: in.payment_fraction[f] *= multiplier; break;
        case ShockKind::renewal_multiplier: in.renewal_multiplier[f] *= multiplier; break;
        case ShockKind::cash_change:
          if (!one_off_now) break;
          if (shock.value >= 0.0) {
            state.external_in(f, shock.value);
          } else {
            const double loss = std::min(s.cash_usd_bn, -shock.value);
            state.external_out(f, loss);
            state.losses[f][DefaultChannel::shock] += loss;
          }
          break;
        case ShockKind::hardware_writedown:
          if (!one_off_now) break;
          {
            const double written_off = state.remove_hardware(f, s.hardware_usd_bn * shock.value).book_usd_bn;
            state.ledger.writedown_usd_bn += written_off;
            state.losses[f][DefaultChannel::shock] += written_off;
          }
          break;
        case ShockKind::force_default:
          if (one_off_now) in.forced_default[f] = 1;
          break;
        case ShockKind::construction_delay:
          if (one_off_now) delay_construction(state, f, shock.value);
          break;
        case ShockKind::depreciation_life:  // an accounting policy change: no cash moves
          if (one_off_now) s.hardware_life_years = shock.value;
          break;
        case ShockKind::gpu_price_multiplier:
        case ShockKind::sentiment_multiplier:
        case ShockKind::ai_sentiment_multiplier:
        case ShockKind::ai_demand_multiplier:
        case ShockKind::market_stress:
        case ShockKind::rate_change:
          break;  // market-wide: handled above
      }
    }
  }
}

// ---- Phase 2: operations ---------------------------------------------------------------
void run_operations(SimState& state, const TickInputs& in, const RunOptions& options, tbb::task_arena& arena) {
  const Model& m = state.model();
  const double dt_years = 1.0 / m.params.ticks_per_year;
  const std::size_t n = state.firms.size();
  std::vector<double>& revenue = state.scratch.revenue_usd_bn;
  std::vector<double>& depreciation = state.scratch.depreciation_usd_bn;
  revenue.assign(n, 0.0);
  depreciation.assign(n, 0.0);
  renew_contracts(state, in);  // before the AI market: renewed contracts reserve capacity this tick
  // The GPU price index decays with the GPUs' economic life (exp(-dt / life)).
  if (m.channels.fire_sale) state.move_gpu_price(std::exp(-dt_years / m.params.gpu_economic_life_years));

  for_each_firm_parallel(arena, n, [&](FirmIdx f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f] && m.channels.default_resolution) return;
    const AgentParams& p = m.firms[f].params;
    const double z = p.revenue_volatility_per_year > 0.0 ? standard_normal({.seed = options.seed,
                                                                            .replication = options.replication,
                                                                            .tick = state.tick,
                                                                            .firm = f,
                                                                            .purpose = RngPurpose::revenue_noise})
                                                         : 0.0;
    s.external_revenue_level_usd_bn *= std::exp(s.revenue_log_drift_per_tick + s.revenue_log_volatility_per_tick * z);
    s.external_opex_level_usd_bn *= s.opex_growth_factor_per_tick;
    s.capex_plan_level_usd_bn *= s.capex_growth_factor_per_tick;
    revenue[f] = s.external_revenue_level_usd_bn * dt_years * in.revenue_multiplier[f];
    depreciation[f] = s.hardware_usd_bn * dt_years / s.hardware_life_years;
    // Funding capacity accrues each tick, up to one year's worth.
    s.bond_allowance_usd_bn =
        std::min(p.bond_issue_usd_bn_per_year, s.bond_allowance_usd_bn + p.bond_issue_usd_bn_per_year * dt_years);
    s.equity_allowance_usd_bn =
        std::min(p.equity_raise_usd_bn_per_year, s.equity_allowance_usd_bn + p.equity_raise_usd_bn_per_year * dt_years);
  });
  update_ai_market(state, in, options, revenue);
  // Booking in firm order (the ledger is shared).
  for (FirmIdx f = 0; f < n; ++f) {
    FirmState& s = state.firms[f];
    if (revenue[f] > 0.0) state.external_in(f, revenue[f]);
    state.flows[f].revenue_usd_bn += revenue[f];
    if (s.hardware_usd_bn > 0.0) {  // book depreciation: GPUs and the rest alike
      s.gpu_book_usd_bn -= depreciation[f] * s.gpu_book_usd_bn / s.hardware_usd_bn;
      s.hardware_usd_bn -= depreciation[f];
    }
    state.flows[f].depreciation_usd_bn = depreciation[f];
    state.ledger.depreciation_usd_bn += depreciation[f];
    // Impairment: GPUs carried above what they would fetch are written down to it.
    if (m.channels.fire_sale && m.params.gpu_impairment && s.gpu_book_usd_bn > s.gpu_market_value_usd_bn) {
      const double impairment = s.gpu_book_usd_bn - s.gpu_market_value_usd_bn;
      s.gpu_book_usd_bn -= impairment;
      s.hardware_usd_bn -= impairment;
      state.ledger.writedown_usd_bn += impairment;
      state.losses[f][DefaultChannel::fire_sale] += impairment;
    }
  }
}

// ---- Phase 3: investment decisions -----------------------------------------------------
void decide_investment(SimState& state, TickInputs& in, const Behaviours& behaviours, tbb::task_arena& arena) {
  const Model& m = state.model();
  std::vector<BalanceSheet>& sheets = state.scratch.balance_sheets;
  state.balance_sheets(sheets);  // the decisions change no balance sheet
  for_each_firm_parallel(arena, state.firms.size(), [&](FirmIdx f) {
    const FirmState& s = state.firms[f];
    if (state.defaulted[f] && m.channels.default_resolution) return;
    const FirmView view = make_view(state, f, sheets[f]);
    const FirmBehaviour& b = behaviours.of(m.firms[f].type);
    const double plan = s.capex_plan_level_usd_bn / m.params.ticks_per_year;
    in.planned_capex_usd_bn[f] = plan * in.capex_multiplier[f] * std::max(0.0, b.capex_multiplier(view));
    in.honours_nonbinding[f] = b.honours_nonbinding(view) ? 1 : 0;
  });
}

namespace {

// ---- Phase 9: record -------------------------------------------------------------------
FirmTickRecord record_firm(const SimState& state, FirmIdx f, const BalanceSheet& b) {
  const FirmState& s = state.firms[f];
  const FirmFlows& fl = state.flows[f];
  FirmTickRecord r;
  r.firm = f;
  r.cash_usd_bn = s.cash_usd_bn;
  r.hardware_usd_bn = s.hardware_usd_bn;
  r.securities_usd_bn = b.securities_usd_bn;
  r.claims_usd_bn = b.claims_usd_bn;
  r.other_assets_usd_bn = s.other_assets_usd_bn;
  r.construction_usd_bn = s.construction_usd_bn;
  r.liabilities_usd_bn = b.liabilities_usd_bn;
  r.equity_usd_bn = r.assets_usd_bn() - r.liabilities_usd_bn;
  r.ai_revenue_usd_bn = fl.ai_revenue_usd_bn;
  r.ai_capacity_gw = state.defaulted[f] ? 0.0 : s.ai_capacity_gw;  // resolution liquidated it
  r.investor_capital_usd_bn = s.investor_capital_usd_bn;
  r.market_value_usd_bn = state.defaulted[f] ? 0.0 : s.value_usd_bn;
  r.revenue_usd_bn = fl.revenue_usd_bn + fl.network_revenue_usd_bn;
  r.opex_usd_bn = fl.opex_usd_bn;
  r.capex_usd_bn = fl.capex_usd_bn;
  r.due_usd_bn = fl.due_usd_bn;
  r.paid_usd_bn = fl.paid_usd_bn;
  r.funding_usd_bn = fl.funding_usd_bn;
  r.payout_usd_bn = fl.payout_usd_bn;
  r.downgraded = s.downgraded;
  r.defaulted = state.defaulted[f];
  return r;
}

/// Largest system total (cash, assets, equity, investor capital; USD bn) a run may reach: far
/// above any input's sum (each input amount is at most kMaxInputAmount, 1e15), far below a
/// double's range.
constexpr double kMaxRunAmount = 1e18;
static_assert(kMaxRunAmount == 1e18, "check_amounts_bounded's message names the bound");

/// A run whose amounts grow without bound (growth rates compounded over a long horizon, a
/// price elasticity far out) leaves the range where its sums mean anything long before a double
/// overflows: it stops with a ScenarioError at the first tick a system total passes
/// kMaxRunAmount USD bn or is not finite, instead of failing an invariant later or reporting
/// numbers such as equity of 1e52.
void check_amounts_bounded(const Model& model, const SystemTickRecord& system, Tick tick) {
  for (const auto& [name, value] : {std::pair<const char*, double>{"cash", system.cash_usd_bn},
                                    {"assets", system.assets_usd_bn},
                                    {"equity", system.equity_usd_bn},
                                    {"investor capital", system.fund_investor_capital_usd_bn}}) {
    if (std::isfinite(value) && std::abs(value) <= kMaxRunAmount) continue;
    std::array<char, 32> text{};
    char* end = std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::scientific, 2).ptr;
    throw ScenarioError({model.info.files.empty() ? std::string() : model.info.files.front(), 0, 0}, "",
                        "the run diverged: the system's " + std::string(name) + " reached " +
                            std::string(text.data(), end) + " USD bn at tick " + std::to_string(tick) +
                            " (more than 1e18); the scenario's growth over its horizon makes amounts grow without "
                            "bound: shorten simulation.horizon_ticks or lower the growth rates");
  }
}

SystemTickRecord record_system(const SimState& state, std::span<const FirmTickRecord> firms) {
  SystemTickRecord r;
  r.tick = state.tick;
  for (const FirmTickRecord& f : firms) {  // fixed firm order: deterministic sums
    r.cash_usd_bn += f.cash_usd_bn;
    r.assets_usd_bn += f.assets_usd_bn();
    r.construction_usd_bn += f.construction_usd_bn;
    if (!f.defaulted) r.ai_capacity_gw += f.ai_capacity_gw;  // capacity in business: a defaulted firm's is gone
    r.ai_revenue_usd_bn_per_year += f.ai_revenue_usd_bn * state.model().params.ticks_per_year;
    r.equity_usd_bn += f.equity_usd_bn;
    const FirmType type = state.model().firms[f.firm].type;
    if (type == FirmType::bank) r.equity_banks_usd_bn += f.equity_usd_bn;
    else if (is_lender_type(type)) r.equity_funds_usd_bn += f.equity_usd_bn;
    else r.equity_nonfinancial_usd_bn += f.equity_usd_bn;
    r.fund_investor_capital_usd_bn += f.investor_capital_usd_bn;
    r.defaulted_firms += f.defaulted ? 1 : 0;
  }
  r.gpu_price_index = state.market.gpu_price_index;
  r.sentiment_index = state.market.sentiment;
  r.market_stress_index = state.market.stress;
  r.ai_demand_index = state.market.ai_demand_index;
  r.ai_utilisation = state.market.ai_utilisation;
  r.compute_price_index = state.market.compute_price_index;
  const ModelParameters& p = state.model().params;
  r.required_ai_revenue_usd_bn_per_year =
      r.ai_capacity_gw * p.capacity_cost_usd_bn_per_gw * (1.0 / p.capacity_life_years + p.required_return_per_year);
  r.external_inflow_usd_bn = state.ledger.external_inflow_usd_bn;
  r.external_outflow_usd_bn = state.ledger.external_outflow_usd_bn;
  r.depreciation_usd_bn = state.ledger.depreciation_usd_bn;
  r.writedown_usd_bn = state.ledger.writedown_usd_bn;
  return r;
}

/// Relative residual of an identity: |actual - expected| / scale.
double residual(double actual, double expected, double scale) {
  return std::abs(actual - expected) / std::max(1.0, scale);
}

}  // namespace
}  // namespace sim

SimResult run_simulation(const Model& model, const RunOptions& options, const Behaviours& behaviours, Observer* observer) {
  const ExposureNetwork network(model);
  return run_simulation(model, network, options, behaviours, observer);
}

SimResult run_simulation(const Model& model, const ExposureNetwork& network, const RunOptions& options,
                         const Behaviours& behaviours, Observer* observer) {
  using namespace sim;
  CASCADE_ASSERT(network.firm_count() == model.firms.size() && network.exposure_count() == model.exposures.size(),
                 "exposure network built from another model");
  CASCADE_ASSERT(behaviours.complete(), "a firm type has no behaviour");
  CASCADE_ASSERT(options.threads >= 1, "thread count below 1");
  constexpr double kAuditTolerance = 1e-9;

  tbb::task_arena arena(options.threads);
  SimState state(model, network);
  const std::size_t n = model.firms.size();
  SimResult result;

  std::vector<FirmTickRecord> records(n);
  auto take_records = [&] {
    std::vector<BalanceSheet>& sheets = state.scratch.balance_sheets;
    state.balance_sheets(sheets);
    for_each_firm_parallel(arena, n, [&](FirmIdx f) { records[f] = record_firm(state, f, sheets[f]); });
  };
  take_records();
  result.initial_firms = records;
  result.initial = record_system(state, records);
  const bool exposure_records = observer != nullptr && observer->wants_exposures();
  std::vector<ExposureTickRecord> exposure_rows(exposure_records ? model.exposures.size() : 0);
  auto report_exposures = [&] {
    if (!exposure_records) return;
    for (ExposureIdx e = 0; e < exposure_rows.size(); ++e) {
      const ExposureState& x = state.exposures[e];
      const ExposureBook& book = state.books[e];
      exposure_rows[e] = {.exposure = e,
                          .due_usd_bn = state.exposure_flows[e].due_usd_bn,
                          .paid_usd_bn = state.exposure_flows[e].paid_usd_bn,
                          .principal_usd_bn = book.principal_usd_bn,
                          .value_usd_bn = book.value_usd_bn,
                          .markdown_usd_bn = book.markdown_usd_bn,
                          .remaining_usd_bn = x.remaining_usd_bn,
                          .arrears_usd_bn = x.arrears_usd_bn,
                          .active = book.active};
    }
    observer->on_exposures(state.tick, exposure_rows);
  };
  if (observer) observer->on_tick(result.initial, records);
  report_exposures();
  result.final = result.initial;
  result.final_firms = records;
  result.peak_market_stress_index = result.initial.market_stress_index;
  result.min_sentiment_index = result.initial.sentiment_index;
  result.min_gpu_price_index = result.initial.gpu_price_index;

  // Per-run buffers of the tick loop, reused every tick. Each firm defaults at most once.
  TickInputs inputs(n);
  TickObligations due;
  const std::size_t most_obligations = max_obligations_per_tick(model, state.capex_supplier_shares);
  due.items.reserve(most_obligations);
  due.tags.reserve(most_obligations);
  result.defaults.reserve(n);

  double prev_cash = result.initial.cash_usd_bn;
  double prev_equity = result.initial.equity_usd_bn;
  double prev_assets = result.initial.assets_usd_bn;

  for (Tick t = 1; t <= model.params.horizon_ticks; ++t) {
    state.tick = t;
    state.ledger = Ledger{};
    std::fill(state.flows.begin(), state.flows.end(), FirmFlows{});
    std::fill(state.exposure_flows.begin(), state.exposure_flows.end(), ExposureFlows{});
    std::fill(state.securities_sold_usd_bn.begin(), state.securities_sold_usd_bn.end(), 0.0);
    std::fill(state.build_started_this_tick.begin(), state.build_started_this_tick.end(), 0);
    inputs.reset(n);

    apply_shocks(state, inputs);                                       // 1
    run_operations(state, inputs, options, arena);                     // 2
    decide_investment(state, inputs, behaviours, arena);               // 3
    collect_obligations(state, inputs, behaviours, due);               // 4
    const int iterations = settle_obligations(state, due);            // 5
    advance_construction(state, inputs);
    if (model.channels.funding) run_funding(state, behaviours);        // 6
    const std::size_t defaults_before = result.defaults.size();
    const std::size_t losses_before = result.credit_losses.size();
    resolve_defaults(state, inputs, result.defaults, result.credit_losses);  // 7
    for (std::size_t k = losses_before; k < result.credit_losses.size(); ++k)
      state.market.cumulative_credit_loss_usd_bn += result.credit_losses[k].loss_usd_bn();
    if (!revalue(state, due, inputs)) {                                // 8
      if (result.unconverged_marking_ticks++ == 0) result.first_unconverged_marking_tick = t;
    }

    take_records();                                                    // 9
    SystemTickRecord system = record_system(state, records);
    check_amounts_bounded(model, system, t);
    system.clearing_iterations = iterations;
    system.defaults_this_tick = static_cast<int>(result.defaults.size() - defaults_before);
    for (std::size_t k = losses_before; k < result.credit_losses.size(); ++k)
      system.credit_loss_usd_bn += result.credit_losses[k].loss_usd_bn();
    system.network_payments_usd_bn = state.ledger.network_payments_usd_bn;
    for (FirmIdx f = 0; f < n; ++f)
      system.unpaid_usd_bn += std::max(0.0, state.flows[f].due_usd_bn - state.flows[f].paid_usd_bn);

    // Money identities (docs/model.md): cash moves only by external flows; equity changes only
    // by external flows and the recorded non-cash entries. Rounding grows with the amounts
    // summed, so each residual is relative to the balances at both ends of the tick plus the
    // money the ledger moved: a 1e14 balance sheet resolved in a tick leaves an error of about
    // 1e14 x 2^-52 however small the system ends up.
    const Ledger& ledger = state.ledger;
    const double cash_moved = std::abs(ledger.external_inflow_usd_bn) + std::abs(ledger.external_outflow_usd_bn);
    const double value_moved = cash_moved + std::abs(ledger.capitalised_usd_bn) +
                               std::abs(ledger.cross_holdings_created_usd_bn) +
                               std::abs(ledger.external_liabilities_incurred_usd_bn) +
                               std::abs(ledger.assets_sold_out_usd_bn) + std::abs(ledger.depreciation_usd_bn) +
                               std::abs(ledger.writedown_usd_bn) + std::abs(ledger.resolution_usd_bn) +
                               std::abs(ledger.revaluation_usd_bn) + std::abs(ledger.passed_to_investors_usd_bn);
    const double cash_residual =
        residual(system.cash_usd_bn - prev_cash, ledger.external_inflow_usd_bn - ledger.external_outflow_usd_bn,
                 std::abs(system.cash_usd_bn) + std::abs(prev_cash) + cash_moved);
    const double equity_residual = residual(system.equity_usd_bn - prev_equity, ledger.equity_change_usd_bn(),
                                            system.assets_usd_bn + prev_assets + value_moved);
    result.max_conservation_error_relative =
        std::max({result.max_conservation_error_relative, cash_residual, equity_residual});
    if (options.audit) {
      CASCADE_ASSERT(cash_residual <= kAuditTolerance,
                     "money conservation broken at tick " + std::to_string(t) + ": cash residual " + std::to_string(cash_residual));
      CASCADE_ASSERT(equity_residual <= kAuditTolerance,
                     "value conservation broken at tick " + std::to_string(t) + ": equity changed by " +
                         std::to_string(system.equity_usd_bn - prev_equity) + ", ledger says " +
                         std::to_string(ledger.equity_change_usd_bn()) + " (in " + std::to_string(ledger.external_inflow_usd_bn) +
                         ", out " + std::to_string(ledger.external_outflow_usd_bn) + ", capitalised " +
                         std::to_string(ledger.capitalised_usd_bn) + ", cross-holdings " +
                         std::to_string(ledger.cross_holdings_created_usd_bn) + ", new external debt " +
                         std::to_string(ledger.external_liabilities_incurred_usd_bn) + ", sold out " +
                         std::to_string(ledger.assets_sold_out_usd_bn) + ", depreciation " +
                         std::to_string(ledger.depreciation_usd_bn) + ", write-downs " + std::to_string(ledger.writedown_usd_bn) +
                         ", passed to fund investors " + std::to_string(ledger.passed_to_investors_usd_bn) + ", resolution " +
                         std::to_string(ledger.resolution_usd_bn) + ")");
    }
    prev_cash = system.cash_usd_bn;
    prev_equity = system.equity_usd_bn;
    prev_assets = system.assets_usd_bn;

    result.total_external_inflow_usd_bn += state.ledger.external_inflow_usd_bn;
    result.total_external_outflow_usd_bn += state.ledger.external_outflow_usd_bn;
    result.total_depreciation_usd_bn += state.ledger.depreciation_usd_bn;
    result.total_writedown_usd_bn += state.ledger.writedown_usd_bn;
    if (observer) {
      for (std::size_t k = defaults_before; k < result.defaults.size(); ++k) observer->on_default(result.defaults[k]);
      observer->on_tick(system, records);
      report_exposures();
    }
    result.final = system;
    result.ticks_run = t;
    result.peak_market_stress_index = std::max(result.peak_market_stress_index, system.market_stress_index);
    result.min_sentiment_index = std::min(result.min_sentiment_index, system.sentiment_index);
    result.min_gpu_price_index = std::min(result.min_gpu_price_index, system.gpu_price_index);
  }
  result.final_firms = records;
  result.losses_by_firm = state.losses;
  for (const FirmState& s : state.firms)
    result.total_losses_passed_to_investors_usd_bn += s.losses_passed_to_investors_usd_bn;
  return result;
}

}  // namespace cascade
