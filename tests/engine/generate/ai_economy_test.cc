// Generated AI economies (engine/generate/ai_economy.h): what their balance sheets and market
// sizes promise, checked on the loaded scenario and a 12-tick run.
#include "engine/generate/ai_economy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade::generate {
namespace {

namespace fs = std::filesystem;

Model load_economy(std::uint32_t firms, std::uint64_t seed) {
  const fs::path file = fs::path(::testing::TempDir()) / ("cascade_ai_economy_" + std::to_string(seed) + ".yaml");
  std::ofstream(file) << generate_ai_economy({.firms = firms, .seed = seed});
  return scenario::load_file(file, {.overrides = {{"simulation.horizon_ticks", "12"}}});
}

TEST(GenerateAiEconomy, NobodyStartsInsolventAndFewFailInTheFirstYear) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const Model model = load_economy(1000, seed);
    EXPECT_TRUE(model.warnings.empty()) << "seed " << seed;
    const SimResult r = run_simulation(model, {.seed = model.params.seed}, agents::standard_behaviours());
    for (const FirmTickRecord& f : r.initial_firms) {
      const double assets = f.cash_usd_bn + f.hardware_usd_bn + f.construction_usd_bn + f.securities_usd_bn +
                            f.claims_usd_bn + f.other_assets_usd_bn;
      // The generator's floor: book equity (for funds, their investors' capital) at least 5% of
      // assets, less the 0.001 rounding of each written figure.
      EXPECT_GE(f.equity_usd_bn + f.investor_capital_usd_bn, 0.05 * assets - 0.01)
          << "seed " << seed << " firm " << model.firms[f.firm].id;
    }
    std::size_t first_tick_defaults = 0;
    for (const DefaultEvent& d : r.defaults) first_tick_defaults += d.tick == 1 ? 1 : 0;
    EXPECT_EQ(first_tick_defaults, 0u) << "seed " << seed;
    // A year with a tenth of the labs losing half their revenue: fewer defaults than the long-run
    // average annual default rate of speculative-grade issuers, about 4% (Moody's annual default
    // studies, 1920 onwards).
    EXPECT_LT(r.defaults.size(), 40u) << "seed " << seed;
  }
}

TEST(GenerateAiEconomy, HyperscalersSellComputeToEndDemandAsInTheBaseline) {
  const Model model = load_economy(1000, 5);
  std::size_t hyperscalers = 0, paid_by_end_demand = 0;
  for (const FirmSpec& f : model.firms) {
    if (f.type != FirmType::hyperscaler) {
      EXPECT_EQ(f.ai_revenue_usd_bn_per_year, 0.0) << f.id;
      continue;
    }
    ++hyperscalers;
    if (f.ai_revenue_usd_bn_per_year == 0.0) continue;
    ++paid_by_end_demand;
    // The generator's range, 3-7.5% of revenue (within the outside sales), less the 0.001
    // rounding of each written figure.
    EXPECT_LE(f.ai_revenue_usd_bn_per_year, 0.075 * f.revenue_usd_bn_per_year + 0.001) << f.id;
    EXPECT_GE(f.ai_revenue_usd_bn_per_year,
              std::min(0.03 * f.revenue_usd_bn_per_year, f.external_revenue_usd_bn_per_year) - 0.001)
        << f.id;
  }
  // Types cycle through the baseline's 32 firms: 31 whole cycles of 5 hyperscalers, then 8 firms
  // (3 chipmakers, 1 memory maker, 4 hyperscalers). Four in five are paid by end demand, as in
  // the baseline: a binomial share within three standard deviations (0.032) of 0.8.
  ASSERT_EQ(hyperscalers, 31u * 5u + 4u);
  EXPECT_NEAR(static_cast<double>(paid_by_end_demand) / static_cast<double>(hyperscalers), 0.8, 0.1);

  // With buyers, the compute market opens at the initial utilisation (docs/model.md, "The market
  // for compute": D0 = u0 M) and earns AI revenue from end demand at every tick.
  const SimResult r = run_simulation(model, {.seed = model.params.seed}, agents::standard_behaviours());
  EXPECT_EQ(r.initial.ai_utilisation, model.params.initial_utilisation);
  EXPECT_GT(r.final.ai_utilisation, 0.0);
  EXPECT_GT(r.final.ai_revenue_usd_bn_per_year, 0.0);
}

TEST(GenerateAiEconomy, MarketSizesScaleWithTheEconomyAsInTheBaseline) {
  const Model model = load_economy(1000, 4);
  double hardware = 0.0, network_debt = 0.0;
  for (const FirmSpec& f : model.firms) hardware += f.hardware_usd_bn;
  for (const ExposureSpec& e : model.exposures)
    if (e.kind == ExposureKind::loan || e.kind == ExposureKind::bond || e.kind == ExposureKind::collateralised_loan)
      network_debt += e.amount_usd_bn;
  // scenarios/ai-2026/baseline.yaml: hardware 1,663.1 and network debt 808.2 against the default
  // depth and stress reference of 200 each (docs/scenario-format.md).
  EXPECT_NEAR(model.params.gpu_market_depth_usd_bn, hardware * 200.0 / 1663.1, 0.01);
  EXPECT_NEAR(model.params.stress_reference_usd_bn, network_debt * 200.0 / 808.2, 0.01);
}

}  // namespace
}  // namespace cascade::generate
