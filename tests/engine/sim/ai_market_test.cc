// The AI-capex cycle (docs/model.md, "The AI-capex cycle"): compute revenue from capacity x
// utilisation x price, contracts that reserve capacity, construction, stranding and the compute
// price feeding the GPU index. Every expected number is computed by hand beside it.
#include <gtest/gtest.h>

#include <cmath>

#include "agents/firm_types.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/simulation.h"
#include "engine/sim/state.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;
using testing::Recorder;
using testing::only;
using testing::run_audited;

constexpr double kTol = 1e-9;

/// A cloud with 10 GW of AI capacity earning 100/year from end demand, initial utilisation
/// 0.8, demand growing 20% a year without noise, capacity that never retires.
struct Cloud {
  ModelBuilder b;
  FirmIdx cloud;
  Cloud() {
    Model& m = b.model();
    m.params.horizon_ticks = 12;
    m.params.initial_utilisation = 0.8;
    m.params.ai_demand_growth_per_year = 0.2;
    m.params.ai_demand_volatility_per_year = 0.0;
    m.params.compute_price_elasticity = 0.5;
    m.params.capacity_life_years = 1e12;
    m.channels = only({"payment_clearing", "capacity", "ai_demand"});
    cloud = b.firm("cloud", FirmType::hyperscaler, {.cash = 50, .revenue = 100});
    m.firms[cloud].ai_revenue_usd_bn_per_year = 100;
    m.firms[cloud].ai_capacity_gw = 10;
    b.params(cloud).sells_compute = 1.0;
  }
};

TEST(AiMarket, RevenueIsCapacityTimesUtilisationTimesPrice) {
  Cloud s;
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Revenue per GW: 100 / (10 x 0.8) = 12.5. Tick-0 demand: 0.8 x 10 = 8 GW. At tick 12 the
  // demand index is 1.2^(12/12) = 1.2: demand 9.6 GW, utilisation 9.6 / 10 = 0.96, price
  // (9.6 / (0.8 x 10))^0.5 = sqrt(1.2). Revenue this tick: 10 x 0.96 x 12.5 x sqrt(1.2) / 12.
  EXPECT_NEAR(rec.system[12].ai_demand_index, 1.2, 1e-12);
  EXPECT_NEAR(rec.system[12].ai_utilisation, 0.96, 1e-12);
  EXPECT_NEAR(rec.system[12].compute_price_index, std::sqrt(1.2), 1e-12);
  // (The demand path is a product of 12 monthly factors: compare to a relative 1e-12.)
  const double expected = 10 * 0.96 * 12.5 * std::sqrt(1.2) / 12;
  EXPECT_NEAR(rec.at(12, s.cloud).ai_revenue_usd_bn, expected, 1e-12 * expected);
  // At tick 1: index 1.2^(1/12), so revenue = 10 x 0.8 x 1.2^(1/12) x 12.5 x 1.2^(1/24) / 12.
  EXPECT_NEAR(rec.at(1, s.cloud).ai_revenue_usd_bn, 100.0 * std::pow(1.2, 1.0 / 12 + 1.0 / 24) / 12, 1e-12);
}

TEST(AiMarket, AFirmInDefaultHasNoCapacityInService) {
  // Resolution liquidates a defaulted firm's assets: its capacity leaves service (the system's
  // capacity already left it out), so its own record shows 0, not the capacity still retiring
  // (docs/outputs.md, timeseries.csv `ai_capacity_gw`).
  Cloud s;
  s.b.shock(ShockKind::force_default, {s.cloud}, 6, 0.0);
  Recorder rec;
  run_audited(s.b.build(), rec);
  EXPECT_NEAR(rec.at(5, s.cloud).ai_capacity_gw, 10.0, 1e-9);  // retiring over 1e12 years
  for (Tick t = 6; t <= 12; ++t) {
    EXPECT_EQ(rec.at(t, s.cloud).ai_capacity_gw, 0.0) << "tick " << t;
    EXPECT_EQ(rec.system[t].ai_capacity_gw, 0.0) << "tick " << t;
  }
}

TEST(AiMarket, ContractsReserveCapacityAndTheRestMeetsEndDemand) {
  Cloud s;
  s.b.model().params.ai_demand_growth_per_year = 0.0;
  const FirmIdx lab = s.b.firm("lab", FirmType::ai_lab, {.cash = 100, .revenue = 40, .opex = 25});
  s.b.exposure(ExposureKind::purchase_commitment, s.cloud, lab, 75,
               {.term_years = 3, .status = ExposureStatus::contract, .purpose = PurchasePurpose::service});
  s.b.model().firms[s.cloud].revenue_usd_bn_per_year = 125;  // 100 from end demand + 25 from the lab
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Revenue per GW: (100 + 25) / (10 x 0.8) = 15.625. The contract reserves 25 / (15.625 x 0.8)
  // = 2 GW; merchant capacity 8 GW, demand 0.8 x 8 = 6.4 GW. With flat demand the cloud earns
  // 8 x 0.8 x 15.625 = 100 a year from end demand, 25 from the contract.
  EXPECT_NEAR(rec.system[1].ai_utilisation, 0.8, 1e-12);
  EXPECT_NEAR(rec.at(1, s.cloud).ai_revenue_usd_bn, 100.0 / 12, 1e-12);
  EXPECT_NEAR(rec.at(1, s.cloud).revenue_usd_bn, 125.0 / 12, 1e-12);
}

/// A builder spending 60/year (5 a tick) on AI capacity at 50 per GW, built in 3 months.
struct Builder {
  ModelBuilder b;
  FirmIdx firm;
  Builder() {
    Model& m = b.model();
    m.params.horizon_ticks = 6;
    m.params.capacity_cost_usd_bn_per_gw = 50;
    m.params.stranding_ticks = 2;
    m.params.stranded_salvage_fraction = 0.3;
    m.params.capacity_life_years = 1e12;
    m.channels = only({"payment_clearing", "capacity"});
    firm = b.firm("builder", FirmType::neocloud, {.cash = 100, .capex = 60, .hardware_life_years = 1e12});
    b.params(firm).ai_capex_share_fraction = 1.0;
    b.params(firm).build_months = 3;
  }
};

TEST(Construction, CapexBecomesCapacityAfterTheBuildTime) {
  Builder s;
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Each tick's 5 starts a build of 5 / 50 = 0.1 GW; the build of tick 1 is done at the end of
  // tick 3 (3 ticks of construction), of tick 2 at tick 4, ...
  EXPECT_NEAR(rec.at(2, s.firm).construction_usd_bn, 10.0, kTol);
  EXPECT_NEAR(rec.at(2, s.firm).ai_capacity_gw, 0.0, kTol);
  EXPECT_NEAR(rec.at(3, s.firm).ai_capacity_gw, 0.1, kTol);
  EXPECT_NEAR(rec.at(3, s.firm).construction_usd_bn, 10.0, kTol);  // builds of ticks 2 and 3
  EXPECT_NEAR(rec.at(3, s.firm).hardware_usd_bn, 5.0, kTol);       // the finished build
  EXPECT_NEAR(rec.at(6, s.firm).ai_capacity_gw, 0.4, kTol);        // builds of ticks 1-4
  EXPECT_NEAR(rec.at(6, s.firm).equity_usd_bn, 100.0, kTol);       // cash became builds and hardware
}

TEST(Construction, ABuildLeftUnfundedIsStrandedAndWrittenDown) {
  Builder s;
  s.b.shock(ShockKind::capex_multiplier, {s.firm}, 2, 0.0);  // capex halted from tick 2
  Recorder rec;
  const SimResult r = run_audited(s.b.build(), rec);
  // Tick 1: a build of 5 starts (2 ticks of construction left). Ticks 2 and 3: unfunded; after
  // 2 stalled ticks (tick 3) it is stranded: 30% salvaged as hardware (1.5), 3.5 written down.
  EXPECT_NEAR(rec.at(2, s.firm).construction_usd_bn, 5.0, kTol);
  EXPECT_NEAR(rec.at(3, s.firm).construction_usd_bn, 0.0, kTol);
  EXPECT_NEAR(rec.at(3, s.firm).hardware_usd_bn, 1.5, kTol);
  EXPECT_NEAR(rec.system[3].writedown_usd_bn, 3.5, kTol);
  EXPECT_NEAR(r.total_writedown_usd_bn, 3.5, kTol);
  EXPECT_NEAR(rec.at(6, s.firm).ai_capacity_gw, 0.0, kTol);
}

TEST(Construction, ADelayMakesBuildsTakeLonger) {
  Builder s;
  s.b.shock(ShockKind::construction_delay, {s.firm}, 2, 2.0);  // builds in progress at tick 2 slip 2 months
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Tick 1's build (2 ticks left after tick 1) slips 2: done at tick 5 instead of 3; tick 2's
  // build starts after the shock (phase 1) and is done at tick 4.
  EXPECT_NEAR(rec.at(3, s.firm).ai_capacity_gw, 0.0, kTol);
  EXPECT_NEAR(rec.at(4, s.firm).ai_capacity_gw, 0.1, kTol);
  EXPECT_NEAR(rec.at(5, s.firm).ai_capacity_gw, 0.3, kTol);  // ticks 1, 2 and 3's builds
}

// The rule for builds, on SimState directly: one build per tick of spending, which later
// payments of the tick join, except for a firm whose builds are stalled (each payment starts one).
// capitalise_capex keeps the newest build apart until append_new_builds; the list must come out
// the same as if every payment had gone straight to it.
TEST(Construction, PaymentsOfOneTickJoinOneBuildUnlessStalled) {
  Builder s;
  const Model model = s.b.build();
  const ExposureNetwork network(model);
  SimState state(model, network);
  state.tick = 1;
  // Three payments of one tick: one build of 2 + 3 + 5 = 10 (0.2 GW at 50 per GW), 3 ticks long.
  state.capitalise_capex(s.firm, 2.0);
  state.capitalise_capex(s.firm, 3.0);
  state.capitalise_capex(s.firm, 5.0);
  state.append_new_builds();
  const std::vector<Build>& builds = state.firms[s.firm].builds;
  ASSERT_EQ(builds.size(), 1u);
  EXPECT_EQ(builds[0].cost_usd_bn, 10.0);
  EXPECT_NEAR(builds[0].capacity_gw, 0.2, 1e-15);
  EXPECT_EQ(builds[0].remaining_ticks, 3);
  // A payment after the append, in the same tick, still joins it (its build is the last one).
  state.capitalise_capex(s.firm, 1.0);
  state.append_new_builds();
  ASSERT_EQ(builds.size(), 1u);
  EXPECT_EQ(builds[0].cost_usd_bn, 11.0);
  EXPECT_EQ(state.firms[s.firm].construction_usd_bn, 11.0);

  // Next tick, stalled: each payment starts a build of its own, in the order paid.
  std::fill(state.build_started_this_tick.begin(), state.build_started_this_tick.end(), 0);
  state.tick = 2;
  state.firms[s.firm].stalled_ticks = 1;
  state.capitalise_capex(s.firm, 4.0);
  state.capitalise_capex(s.firm, 6.0);
  state.append_new_builds();
  ASSERT_EQ(builds.size(), 3u);
  EXPECT_EQ(builds[1].cost_usd_bn, 4.0);
  EXPECT_EQ(builds[2].cost_usd_bn, 6.0);
  EXPECT_EQ(state.firms[s.firm].construction_usd_bn, 21.0);
  state.append_new_builds();  // nothing apart any more: nothing added
  EXPECT_EQ(builds.size(), 3u);
}

TEST(AiMarket, SpareCapacityLowersComputePricesAndTheGpuIndex) {
  Cloud s;
  s.b.model().params.ai_demand_growth_per_year = 0.0;
  s.b.model().params.gpu_economic_life_years = 1e12;
  s.b.model().channels.fire_sale = true;
  s.b.shock(ShockKind::ai_demand_multiplier, {}, 1, 0.5);  // demand halves from tick 1
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Demand 8 -> 4 GW: utilisation 0.4, price (4 / 8)^0.5 = 0.7071; the GPU index follows the
  // compute price (no decay here).
  EXPECT_NEAR(rec.system[1].ai_utilisation, 0.4, 1e-12);
  EXPECT_NEAR(rec.system[1].compute_price_index, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(rec.system[1].gpu_price_index, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(rec.at(1, s.cloud).ai_revenue_usd_bn, 10 * 0.4 * 12.5 * std::sqrt(0.5) / 12, 1e-12);
}

}  // namespace
}  // namespace cascade
