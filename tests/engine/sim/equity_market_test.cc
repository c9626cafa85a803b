// The equity market (docs/model.md, phase 8 and phase 6): AI sentiment, dilution, funding-round
// marks of unlisted labs and forced sales of stakes into a market of finite depth. Every
// expected number is computed by hand in the comment beside it.
#include <gtest/gtest.h>

#include <cmath>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;
using testing::Recorder;
using testing::only;
using testing::run_audited;

constexpr double kTol = 1e-9;

TEST(EquityMarket, AiSentimentMovesAiFirmsAndNotBanks) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().channels = only({"payment_clearing", "equity_market"});
  const FirmIdx holder = b.firm("holder", FirmType::conglomerate, {.cash = 1, .other_assets = 20});
  const FirmIdx chip = b.firm("chip", FirmType::chipmaker, {.cash = 50});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 50});
  for (FirmIdx f : {chip, bank}) {
    b.model().firms[f].market_cap_usd_bn = 100;
    b.model().firms[f].listed = true;
    b.exposure(ExposureKind::equity_stake, holder, f, 10);
  }
  b.params(chip).ai_beta = 1.0;
  b.params(bank).ai_beta = 0.0;
  b.shock(ShockKind::ai_sentiment_multiplier, {}, 1, 0.6);
  Recorder rec;
  run_audited(b.build(), rec);
  // Book-only valuations (no profit), equity unchanged: the chipmaker's value is 100 x 0.6 = 60,
  // the bank's stays 100. The stakes: 10 x 0.6 + 10 x 1 = 16.
  EXPECT_NEAR(rec.at(1, chip).market_value_usd_bn, 60.0, kTol);
  EXPECT_NEAR(rec.at(1, bank).market_value_usd_bn, 100.0, kTol);
  EXPECT_NEAR(rec.at(1, holder).securities_usd_bn, 16.0, kTol);
}

/// An unlisted lab valued at 100 (its last round), with revenue 12/year and opex 48/year: it
/// burns 3 a tick and raises equity to cover it. An investor holds 20 of its shares.
struct Lab {
  ModelBuilder b;
  FirmIdx investor, lab;
  Lab() {
    b.model().params.horizon_ticks = 1;
    b.model().channels = only({"payment_clearing", "funding", "equity_market"});
    investor = b.firm("investor", FirmType::conglomerate, {.cash = 1, .other_assets = 20});
    lab = b.firm("lab", FirmType::ai_lab, {.cash = 0, .other_assets = 5, .revenue = 12, .opex = 48});
    b.model().firms[lab].valuation_usd_bn = 100;
    b.params(lab).equity_raise_usd_bn_per_year = 1000;
    b.params(lab).ai_beta = 1.0;
    b.exposure(ExposureKind::equity_stake, investor, lab, 20);
  }
};

TEST(EquityMarket, AnUnlistedLabIsMarkedToItsRoundsAndDilutesItsHolders) {
  Lab s;
  Recorder rec;
  const SimResult r = run_audited(s.b.build(), rec);
  EXPECT_TRUE(r.defaults.empty());
  // Tick 1: revenue 1 in, opex 4 due: it raises 3. Its revenue per tick (average) is still
  // 1 = the last round's, sentiment 1: pre-money 100, post-money 103; shares x 103/100. The
  // stake holds 20 of 100 at the old share count: 20 x (103 / (100 x 1.03)) = 20 (no change in
  // price per share), and the lab is now worth 103.
  EXPECT_NEAR(rec.at(1, s.lab).market_value_usd_bn, 103.0, kTol);
  EXPECT_NEAR(rec.at(1, s.investor).securities_usd_bn, 20.0, kTol);
}

TEST(EquityMarket, ADownRoundMarksTheStakesDown) {
  Lab s;
  s.b.shock(ShockKind::ai_sentiment_multiplier, {}, 1, 0.5);
  s.b.model().params.horizon_ticks = 2;
  s.b.model().params.equity_raise_min_sentiment = 0.0;
  Recorder rec;
  run_audited(s.b.build(), rec);
  // Tick 1: the round at sentiment 1 (set at the end of tick 0): 100 -> 103 as above. End of
  // tick 1: AI sentiment 0.5. Tick 2: the lab needs 3 again; the round is priced at
  // 103 x (1/1) x (0.5 / 1) = 51.5 pre-money, post-money 54.5, shares 1.03 x 54.5 / 51.5.
  // Price per share: 54.5 / (100 x 1.03 x 54.5 / 51.5) = 0.5: the stake 20 -> 10.
  EXPECT_NEAR(rec.at(2, s.lab).market_value_usd_bn, 54.5, kTol);
  EXPECT_NEAR(rec.at(2, s.investor).securities_usd_bn, 10.0, kTol);
}

TEST(EquityMarket, ForcedSalesOfAStakeMeetAMarketOfFiniteDepth) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().params.securities_market_depth_fraction = 0.01;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding", "equity_market"});
  const FirmIdx seller = b.firm("seller", FirmType::ai_lab, {.cash = 0, .other_assets = 300, .opex = 240});
  b.params(seller).securities_sale_haircut_fraction = 0.0;
  const FirmIdx issuer = b.firm("issuer", FirmType::chipmaker, {.cash = 1000});
  b.model().firms[issuer].market_cap_usd_bn = 1000;
  b.model().firms[issuer].listed = true;
  b.exposure(ExposureKind::warrant, seller, issuer, 300);
  Recorder rec;
  const SimResult r = run_audited(b.build(), rec);
  // The seller owes 240 / 12 = 20 and holds a 300 warrant on an issuer worth 1000. Depth
  // D = 1% x 1000 = 10 per tick: at most 10 of value can be sold, fetching
  // 10 x (1 - e^-1) = 6.32 < 20, so it cannot pay and defaults (it could not have sold the
  // warrant for cash at 80% of value to any number of buyers).
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].firm, seller);
  EXPECT_NEAR(r.defaults[0].shortfall_usd_bn, 20.0 - 10.0 * (1.0 - std::exp(-1.0)), 1e-9);
}

}  // namespace
}  // namespace cascade
