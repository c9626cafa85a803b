// Running out of runway (docs/model.md, phase 7): a loss-making firm whose cash stays below its
// minimum liquidity for parameters.liquidity_grace_ticks fails, after selling what assets it has
// to stay at that minimum (phase 6), and the default names what denied it funding (here the
// equity window).
#include <gtest/gtest.h>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;
using testing::Recorder;
using testing::only;

/// A lab with cash 5, revenue 6/year and opex 12/year: it burns 0.5 a tick. Minimum liquidity
/// 3 months of its net outflow: 1.5.
struct Lab {
  ModelBuilder b;
  FirmIdx lab;
  Lab() {
    b.model().params.horizon_ticks = 24;
    b.model().params.liquidity_grace_ticks = 3;
    b.model().channels = only({"payment_clearing", "default_resolution", "funding", "equity_market"});
    lab = b.firm("lab", FirmType::ai_lab, {.cash = 5, .revenue = 6, .opex = 12});
    b.params(lab).minimum_liquidity_months = 3;
  }
  /// Hardware of this book value, never depreciated (the haircut of a sale is 40% of book).
  void give_hardware(double book_usd_bn) {
    b.model().firms[lab].hardware_usd_bn = book_usd_bn;
    b.model().firms[lab].hardware_useful_life_years = 1e12;
  }
  SimResult run() {
    return run_simulation(b.build(), RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours());
  }
};

TEST(Runway, ALossMakingFirmBelowItsMinimumLiquidityForTheGracePeriodFails) {
  Lab s;
  const SimResult r = s.run();
  // Cash 5 - 0.5 t: 1.5 at tick 7 (not below), 1.0 at tick 8 (1 tick below), 0.5 at 9, 0 at
  // tick 10 (3 ticks below): it fails at tick 10, 1.5 short of its minimum.
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].kind, DefaultKind::liquidity);
  EXPECT_EQ(r.defaults[0].tick, 10);
  EXPECT_NEAR(r.defaults[0].shortfall_usd_bn, 1.5, 1e-9);
  EXPECT_EQ(r.defaults[0].channel, DefaultChannel::own_operations);
  EXPECT_NE(r.defaults[0].detail.find("ran out of runway"), std::string::npos) << r.defaults[0].detail;
}

TEST(Runway, AFirmSellsHardwareToStayAtItsMinimumUntilItHasNoneLeft) {
  Lab s;
  s.give_hardware(3);
  const SimResult r = s.run();
  // Sold at book less the 40% haircut (fire_sale off): 0.6 of cash per unit of book. From tick
  // 8 (cash 1.0) it sells 0.5 / 0.6 = 0.833 of book a tick to stay at its minimum 1.5: ticks 8,
  // 9 and 10 leave 0.5 of book, which fetches 0.3 at tick 11 (cash 1.3, 1 tick below). Then
  // 0.8 at tick 12 and 0.3 at tick 13 (3 ticks below): it fails at tick 13, 1.2 short.
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].kind, DefaultKind::liquidity);
  EXPECT_EQ(r.defaults[0].tick, 13);
  EXPECT_NEAR(r.defaults[0].shortfall_usd_bn, 1.2, 1e-9);
  EXPECT_NE(r.defaults[0].detail.find("ran out of runway"), std::string::npos) << r.defaults[0].detail;
}

TEST(Runway, AssetsAreSoldToReachTheMinimumNotTheBuffer) {
  Lab s;
  s.give_hardware(3);
  s.b.params(s.lab).liquidity_buffer_months = 12;  // a buffer of 6: below it from tick 0
  const SimResult r = s.run();
  // As above: had it sold hardware toward its buffer, all of it would have gone at tick 1
  // (1.8 of cash) and it would have failed at tick 12 (cash 6.8 - 0.5 t below 1.5 from tick 11).
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].tick, 13);
  EXPECT_NEAR(r.defaults[0].shortfall_usd_bn, 1.2, 1e-9);
}

TEST(Runway, ASaleThatReachesTheMinimumToTheLastBitLeavesTheFirmAtIt) {
  // Figures (from a search over random loss-making firms) for which the hardware sold to reach
  // the minimum of 0.66 months of burn leaves cash a rounding step below it, tick after tick.
  // The firm has 60 of hardware left to sell: it is at its minimum, not short of it.
  ModelBuilder b;
  b.model().params.horizon_ticks = 24;
  b.model().params.liquidity_grace_ticks = 3;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding", "equity_market"});
  const FirmIdx lab =
      b.firm("lab", FirmType::ai_lab,
             {.cash = 8.966, .hardware = 64.343, .revenue = 7.263, .opex = 12.851, .hardware_life_years = 100});
  b.params(lab).minimum_liquidity_months = 0.66;
  b.params(lab).hardware_sale_haircut_fraction = 0.397;
  b.params(lab).liquidity_buffer_months = 6;
  const SimResult r = run_simulation(b.build(), RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours());
  EXPECT_TRUE(r.defaults.empty()) << r.defaults[0].detail;
}

TEST(Runway, StakesSoldIntoAMarketWithPriceImpactReachTheMinimum) {
  // The lab of above with no hardware but a 40 stake in a listed chipmaker worth 100,000: the
  // market takes 2% of that a tick (2,000) at a price exp(-sold / 2,000), 20% below it after the
  // haircut. From tick 8 the sale is sized for the 0.5 gap with the impact of its own size, so
  // the lab stays at its minimum 1.5 and does not fail: 24 ticks sell about 10.6 of the 40.
  Lab s;
  s.b.model().channels = only({"payment_clearing", "default_resolution", "funding"});
  const FirmIdx chip =
      s.b.firm("chip", FirmType::chipmaker, {.cash = 100, .other_assets = 100, .revenue = 50, .opex = 40});
  s.b.model().firms[chip].market_cap_usd_bn = 100000;
  s.b.model().firms[chip].listed = true;
  s.b.exposure(ExposureKind::equity_stake, s.lab, chip, 40);
  Recorder rec;
  run_audited(s.b.build(), rec);
  EXPECT_TRUE(rec.defaults.empty()) << rec.defaults[0].detail;
  for (Tick t = 8; t <= 24; ++t) EXPECT_NEAR(rec.at(t, s.lab).cash_usd_bn, 1.5, 1e-9) << "tick " << t;
}

TEST(Runway, ALenderLendsOnlyTheCashAboveItsOwnMinimum) {
  // A loss-making hyperscaler (burn 1 a tick, minimum 1 month: 1) is first in firm order and
  // gives a lab that burns 2 a tick a 100 credit line, which the lab draws toward its buffer of 12
  // after the hyperscaler's own turn. Were the line drawn to the lender's last cash, the lender
  // would end every tick short of its minimum with no turn left to act on it, and fail for runway
  // at tick 3 with 96 of hardware.
  ModelBuilder b;
  b.model().params.horizon_ticks = 12;
  b.model().params.liquidity_grace_ticks = 3;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding"});
  const FirmIdx hyp = b.firm("hyp", FirmType::hyperscaler,
                             {.cash = 4, .hardware = 100, .revenue = 10, .opex = 22, .hardware_life_years = 100});
  const FirmIdx lab = b.firm("lab", FirmType::ai_lab, {.cash = 1, .other_assets = 100, .revenue = 12, .opex = 36});
  b.params(hyp).minimum_liquidity_months = 1;
  b.params(lab).max_leverage_fraction = 0.9;
  b.params(lab).liquidity_buffer_months = 6;  // it draws the line to build a buffer of 12
  b.exposure(ExposureKind::credit_line, hyp, lab, 100, {.term_years = 5, .rate_pct = 0.0});
  Recorder rec;
  run_audited(b.build(), rec);
  for (const DefaultEvent& d : rec.defaults) EXPECT_NE(d.firm, hyp) << "tick " << d.tick << ": " << d.detail;
  for (Tick t = 1; t <= 12; ++t) EXPECT_GE(rec.at(t, hyp).cash_usd_bn, 1.0 - 1e-9) << "tick " << t;
  for (Tick t = 1; t <= 12; ++t)
    std::cerr << "DBG " << t << " hyp " << rec.at(t, hyp).cash_usd_bn << " hw " << rec.at(t, hyp).hardware_usd_bn
              << " lab " << rec.at(t, lab).cash_usd_bn << " labfund " << rec.at(t, lab).funding_usd_bn << "\n";
}

TEST(Runway, AssetsAreSoldForWhatCashOnHandDoesNotCover) {
  // Clearing off: each firm pays from its own cash before it is paid. The lab (cash 0) owes a
  // lease of 4 a tick and is paid 5 a tick for a service, so it enters the funding phase with 4
  // of arrears and 5 of cash; it burns 1 a tick overall, and its minimum and buffer are both 3
  // months of that, 3. It needs 4 + 3 - cash of cash from sales, no more: it ends every tick at 3
  // (selling for the arrears as if it had no cash left it at 5, and it went on selling from there).
  ModelBuilder b;
  b.model().params.horizon_ticks = 6;
  b.model().channels = only({"default_resolution", "funding"});
  const FirmIdx lab =
      b.firm("lab", FirmType::ai_lab, {.hardware = 50, .revenue = 60, .opex = 72, .hardware_life_years = 100});
  const FirmIdx hyp = b.firm("hyp", FirmType::hyperscaler,
                             {.cash = 100, .hardware = 100, .revenue = 200, .opex = 150, .hardware_life_years = 100});
  b.params(lab).minimum_liquidity_months = 3;
  b.params(lab).liquidity_buffer_months = 3;
  b.exposure(ExposureKind::lease, hyp, lab, 480, {.term_years = 10, .annual = 48, .status = ExposureStatus::contract});
  b.exposure(ExposureKind::purchase_commitment, lab, hyp, 600,
             {.term_years = 10, .annual = 60, .status = ExposureStatus::contract, .purpose = PurchasePurpose::service});
  Recorder rec;
  run_audited(b.build(), rec);
  EXPECT_TRUE(rec.defaults.empty());
  for (Tick t = 1; t <= 6; ++t) EXPECT_NEAR(rec.at(t, lab).cash_usd_bn, 3.0, 1e-9) << "tick " << t;
}

TEST(Runway, AShutEquityWindowIsNamedAsTheCause) {
  Lab s;
  s.b.params(s.lab).liquidity_buffer_months = 12;
  s.b.params(s.lab).equity_raise_usd_bn_per_year = 120;
  s.b.model().params.equity_raise_min_sentiment = 0.7;
  s.b.shock(ShockKind::sentiment_multiplier, {}, 1, 0.5);
  const SimResult r = s.run();
  // Tick 1 (sentiment still 1): it raises its buffer gap 12 x 0.5 - 4.5 = 1.5, cash 6. From tick
  // 2 the window is shut: cash 6 - 0.5 (t - 1): 1.5 at tick 10, 1 at 11, 0.5 at 12, 0 at 13, so
  // it fails at tick 13; the equity it was denied that tick (its whole buffer gap, 6) exceeds
  // the shortfall 1.5: the equity_market channel caused the default.
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].tick, 13);
  EXPECT_EQ(r.defaults[0].channel, DefaultChannel::equity_market);
  EXPECT_NE(r.defaults[0].detail.find("equity window shut"), std::string::npos) << r.defaults[0].detail;
}

TEST(Runway, AMarkThatCostNoCashIsNotTheCause) {
  // The lab also holds a 20 loan (no interest) to a cloud whose hardware is written down by 25%
  // at tick 1: the cloud's equity 41 - 30 = 11 falls to 1, and DebtRank marks the lab's claim
  // down by more than the 1.5 the lab is short when its runway ends (checked below). A mark moves
  // no cash: but for it the lab would have been short just the same, so the default is its own
  // operations' (it was attributed to debtrank).
  Lab s;
  Model& m = s.b.model();
  m.channels = only({"payment_clearing", "default_resolution", "funding", "equity_market", "debtrank"});
  m.params.debtrank_mode = DebtRankMode::linear;
  const FirmIdx cloud =
      s.b.firm("cloud", FirmType::hyperscaler, {.cash = 1, .hardware = 40, .debt = 10, .hardware_life_years = 1e12});
  s.b.exposure(ExposureKind::loan, s.lab, cloud, 20, {.term_years = 10, .rate_pct = 0.0});
  s.b.shock(ShockKind::hardware_writedown, {cloud}, 1, 0.25);
  const SimResult r = s.run();
  ASSERT_FALSE(r.defaults.empty());
  const DefaultEvent& d = r.defaults[0];
  EXPECT_EQ(d.firm, s.lab);
  EXPECT_EQ(d.kind, DefaultKind::liquidity);
  EXPECT_GT(r.losses_by_firm[s.lab][DefaultChannel::debtrank], d.shortfall_usd_bn);
  EXPECT_EQ(d.channel, DefaultChannel::own_operations);
}

}  // namespace
}  // namespace cascade
