// The AI-capex cycle (docs/model.md, "The AI-capex cycle"): end demand for AI, the market for
// compute (capacity x utilisation x price), AI revenue, and construction of AI capacity.
//
// Units: capacity in GW of AI data-centre capacity in service; money in USD bn; revenue per GW
// per year. A compute seller f has capacity K_f and revenue per GW r_f (its tick-0 AI revenue and
// contracted service revenue over its capacity in use). Contracts reserve c_f = C_f / (r_f u0)
// of its capacity (C_f: the service contracts it is paid under this tick, per year); the rest is
// merchant capacity, sold to end demand D (in GW) at utilisation u = min(1, D / M) and price
// index p = (D / (u0 M))^elasticity, M = total merchant capacity. So at tick 0 (D = u0 M) each
// seller earns exactly its reported AI revenue.
#include <algorithm>
#include <cmath>

#include "engine/core/rng.h"
#include "engine/sim/phases.h"

namespace cascade::sim {
namespace {

bool sells_compute(const SimState& state, FirmIdx f) {
  return state.model().firms[f].params.sells_compute >= 0.5;
}

/// Per firm: its service contracts in force this tick, USD bn per year (what reserves capacity),
/// written to `out` (resized to the firm count).
void contracted_revenue(const SimState& state, Tick tick, std::vector<double>& out) {
  const Model& m = state.model();
  out.assign(m.firms.size(), 0.0);
  for (ExposureIdx e = 0; e < m.exposures.size(); ++e) {
    const ExposureSpec& spec = m.exposures[e];
    const ExposureState& x = state.exposures[e];
    const bool service = spec.kind == ExposureKind::lease ||
                         (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::service);
    if (!service || !state.books[e].active || x.remaining_usd_bn <= 0.0 || tick < spec.start_tick) continue;
    out[spec.from] += x.annual_usd_bn;
  }
}

/// Seller f's capacity not reserved by contracts (0 below float residue of its capacity).
double merchant_capacity_of(const SimState& state, FirmIdx f, const std::vector<double>& contracted, double u0) {
  const FirmState& s = state.firms[f];
  if (!sells_compute(state, f) || state.defaulted[f] || s.ai_revenue_per_gw_year_usd_bn <= 0.0) return 0.0;
  const double free = s.ai_capacity_gw - contracted[f] / (s.ai_revenue_per_gw_year_usd_bn * u0);
  return free > 1e-9 * s.ai_capacity_gw ? free : 0.0;
}

double merchant_capacity(const SimState& state, const std::vector<double>& contracted, double u0) {
  double total = 0.0;
  for (FirmIdx f = 0; f < state.firms.size(); ++f) total += merchant_capacity_of(state, f, contracted, u0);
  return total;
}

}  // namespace

void init_ai_market(SimState& state) {
  const Model& m = state.model();
  const double u0 = m.params.initial_utilisation;
  std::vector<double>& contracted = state.scratch.contracted_usd_bn_per_year;
  contracted_revenue(state, 1, contracted);
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (!sells_compute(state, f)) continue;
    const double earning = s.ai_revenue_level_usd_bn + contracted[f];  // AI revenue per year at tick 0
    if (s.ai_capacity_gw <= 0.0 && earning > 0.0)
      s.ai_capacity_gw = earning / (m.params.ai_revenue_usd_bn_per_gw_year * u0);
    s.ai_revenue_per_gw_year_usd_bn =
        s.ai_capacity_gw > 0.0 && earning > 0.0 ? earning / (s.ai_capacity_gw * u0) : m.params.ai_revenue_usd_bn_per_gw_year;
  }
  state.market.merchant_capacity_gw = merchant_capacity(state, contracted, u0);
  state.market.ai_demand_gw = state.market.initial_ai_demand_gw = u0 * state.market.merchant_capacity_gw;
  state.market.ai_utilisation = state.market.initial_ai_demand_gw > 0.0 ? u0 : 0.0;
}

void update_ai_market(SimState& state, const TickInputs& in, const RunOptions& options, std::vector<double>& revenue) {
  const Model& m = state.model();
  const ModelParameters& p = m.params;
  const double dt_years = 1.0 / p.ticks_per_year;
  // AI capacity in service retires at 1 / capacity_life per year.
  if (m.channels.capacity) {
    const double retained = std::exp(-dt_years / p.capacity_life_years);
    for (FirmState& s : state.firms) s.ai_capacity_gw *= retained;
  }
  // Without merchant capacity at tick 0 there is no market for compute to clear (a scenario
  // with no AI revenue outside contracts): firms paid by end demand still follow it.
  if (!m.channels.ai_demand) return;
  const bool compute_market = state.market.initial_ai_demand_gw > 0.0;

  // End demand: a geometric Brownian motion with drift ln(1 + growth), times active shocks.
  const double drift = std::log1p(p.ai_demand_growth_per_year);
  const double vol = p.ai_demand_volatility_per_year;
  const double z = vol > 0.0 ? standard_normal({.seed = options.seed,
                                                .replication = options.replication,
                                                .tick = state.tick,
                                                .firm = 0,
                                                .purpose = RngPurpose::ai_demand_noise})
                             : 0.0;
  SimState::Market& market = state.market;
  market.ai_demand_trend *= std::exp((drift - 0.5 * vol * vol) * dt_years + vol * std::sqrt(dt_years) * z);
  market.ai_demand_index = market.ai_demand_trend * in.ai_demand_multiplier;

  // The market for compute: demand in GW grows with the index from its tick-0 level.
  const double u0 = p.initial_utilisation;
  std::vector<double>& contracted = state.scratch.contracted_usd_bn_per_year;
  contracted_revenue(state, state.tick, contracted);
  market.merchant_capacity_gw = merchant_capacity(state, contracted, u0);
  const double demand_gw = market.initial_ai_demand_gw * market.ai_demand_index;
  market.ai_demand_gw = demand_gw;
  const double previous_price = market.compute_price_index;
  if (!compute_market) {
    market.ai_utilisation = 0.0;
  } else if (market.merchant_capacity_gw > 0.0) {
    market.ai_utilisation = std::min(1.0, demand_gw / market.merchant_capacity_gw);
    market.compute_price_index = std::pow(demand_gw / (u0 * market.merchant_capacity_gw), p.compute_price_elasticity);
  } else {
    market.ai_utilisation = 0.0;  // every seller gone: the price stays where it was
  }
  // Compute prices feed the GPU price index: a GPU is worth what its compute sells for.
  if (m.channels.fire_sale && previous_price > 0.0 && market.compute_price_index != previous_price)
    state.move_gpu_price(market.compute_price_index / previous_price);

  // AI revenue per firm this tick.
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (state.defaulted[f] && m.channels.default_resolution) continue;
    // AI revenue per year now, and on the expected path: for a compute seller its merchant
    // capacity at the initial utilisation and price, for a firm paid by end demand the demand's
    // expected growth. The shortfall is its ai_demand loss (foregone revenue).
    double per_year = 0.0, expected_per_year = 0.0;
    if (sells_compute(state, f)) {
      const double earning_per_year = merchant_capacity_of(state, f, contracted, u0) * s.ai_revenue_per_gw_year_usd_bn;
      per_year = earning_per_year * market.ai_utilisation * market.compute_price_index;
      expected_per_year = compute_market ? earning_per_year * u0 : 0.0;
    } else if (s.ai_revenue_level_usd_bn > 0.0) {
      const double share_gain = std::pow(1.0 + m.firms[f].params.ai_revenue_growth_per_year, state.tick * dt_years);
      per_year = s.ai_revenue_level_usd_bn * market.ai_demand_index * share_gain;
      expected_per_year = s.ai_revenue_level_usd_bn * std::exp(drift * state.tick * dt_years) * share_gain;
    }
    state.losses[f][DefaultChannel::ai_demand] +=
        std::max(0.0, expected_per_year - per_year) * dt_years * in.revenue_multiplier[f];
    const double this_tick = per_year * dt_years * in.revenue_multiplier[f];
    revenue[f] += this_tick;
    state.flows[f].ai_revenue_usd_bn = this_tick;
  }
}

void advance_construction(SimState& state, const TickInputs& in) {
  const Model& m = state.model();
  if (!m.channels.capacity) return;
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    FirmState& s = state.firms[f];
    if (s.builds.empty() || state.defaulted[f]) continue;
    // Construction goes on while the firm pays at least half the capex it decided on this tick
    // (a firm that slows its capex finishes what it is building) and no shock halves its capex.
    const bool funded =
        state.flows[f].capex_usd_bn >= 0.5 * in.planned_capex_usd_bn[f] && in.capex_multiplier[f] >= 0.5;
    if (!funded) {
      if (++s.stalled_ticks < m.params.stranding_ticks) continue;
      // Stranded: the builds are written down to what can be salvaged (kept as hardware).
      double cost = 0.0;
      for (const Build& b : s.builds) cost += b.cost_usd_bn;
      const double salvage = cost * m.params.stranded_salvage_fraction;
      s.builds.clear();
      s.construction_usd_bn = 0.0;
      s.stalled_ticks = 0;
      state.add_hardware(f, salvage);
      state.ledger.writedown_usd_bn += cost - salvage;
      state.flows[f].stranded_usd_bn += cost - salvage;
      state.losses[f][DefaultChannel::capacity] += cost - salvage;
      continue;
    }
    s.stalled_ticks = 0;
    std::size_t kept = 0;
    for (Build& b : s.builds) {
      if (--b.remaining_ticks > 0) {
        s.builds[kept++] = b;
        continue;
      }
      s.ai_capacity_gw += b.capacity_gw;  // in service: the build becomes hardware
      s.construction_usd_bn -= b.cost_usd_bn;
      state.add_hardware(f, b.cost_usd_bn);
    }
    s.builds.resize(kept);
    if (s.builds.empty()) s.construction_usd_bn = 0.0;  // no float residue once nothing is being built
  }
}

void delay_construction(SimState& state, FirmIdx f, double months) {
  const Tick ticks = static_cast<Tick>(std::llround(months * state.model().params.ticks_per_year / 12.0));
  for (Build& b : state.firms[f].builds) b.remaining_ticks += ticks;
}

}  // namespace cascade::sim
