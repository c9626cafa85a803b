// The contagion channels of the tick loop, one at a time, on hand-built models. Each expected
// number is computed by hand in the comment beside it from the equations of docs/model.md.
#include <gtest/gtest.h>

#include <cmath>

#include "agents/firm_types.h"
#include "engine/experiments/ablation.h"
#include "engine/sim/simulation.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;

using testing::Recorder;
using testing::only;

SimResult run(const Model& m, Recorder& rec) {
  return run_simulation(m, RunOptions{.seed = 1, .threads = 1, .audit = true}, agents::standard_behaviours(), &rec);
}

constexpr double kTol = 1e-9;
constexpr double kForever = 1e12;  // years: no depreciation, no GPU obsolescence

/// Only the channel under test (and the mechanics it needs) on.
// --- fire sale ---------------------------------------------------------------------------

TEST(FireSale, ForcedSalesMoveTheGpuPriceByTheImpactFormula) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().params.gpu_economic_life_years = kForever;
  b.model().params.fire_sale_price_impact = 1.0;
  b.model().params.gpu_market_depth_usd_bn = 10.0;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding", "fire_sale"});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 100, .other_assets = 6});
  const FirmIdx seller = b.firm("seller", FirmType::neocloud, {.hardware = 10, .debt = 6, .hardware_life_years = kForever});
  const FirmIdx holder = b.firm("holder", FirmType::neocloud, {.cash = 1, .hardware = 20, .hardware_life_years = kForever});
  b.params(seller).gpu_share_of_hardware_fraction = 1.0;
  b.params(holder).gpu_share_of_hardware_fraction = 1.0;
  b.exposure(ExposureKind::loan, bank, seller, 6, {.term_years = 1.0 / 12});
  Recorder rec;
  run(b.build(), rec);
  // The seller owes 6 at tick 1 with no cash: at the default 40% haircut it sells book
  // 6 / 0.6 = 10, all its GPUs, market value 10. Cifuentes-Ferrucci-Shin / Cont-Schaanning
  // exponential impact: p' = 1 x exp(-1 x 10 / 10) = exp(-1).
  EXPECT_NEAR(rec.system[1].gpu_price_index, std::exp(-1.0), kTol);
  EXPECT_NEAR(rec.firms[1][bank].cash_usd_bn, 106.0, kTol);  // repaid in full from the sale
  EXPECT_DOUBLE_EQ(rec.firms[1][seller].hardware_usd_bn, 0.0);
  (void)holder;
}

TEST(FireSale, LoanToValueBreachTriggersACashSweep) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().params.gpu_economic_life_years = kForever;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding", "fire_sale"});
  const FirmIdx lender = b.firm("lender", FirmType::private_credit, {.cash = 10, .other_assets = 8});
  const FirmIdx borrower = b.firm("borrower", FirmType::neocloud,
                                  {.cash = 10, .hardware = 10, .debt = 8, .hardware_life_years = kForever});
  b.params(borrower).gpu_share_of_hardware_fraction = 1.0;
  b.exposure(ExposureKind::collateralised_loan, lender, borrower, 8,
             {.term_years = 5, .seniority = Seniority::secured, .collateral = 10, .ltv_max = 0.8});
  b.shock(ShockKind::gpu_price_multiplier, {}, 1, 0.5);
  Recorder rec;
  run(b.build(), rec);
  // The GPU price halves: collateral 10 -> 5, LTV 8 / 5 = 1.6 > 0.8. The sweep restores
  // LTV 0.8: due 8 - 0.8 x 5 = 4, paid from cash 10 -> principal 4, borrower cash 6.
  EXPECT_NEAR(rec.firms[1][lender].claims_usd_bn, 4.0, kTol);
  EXPECT_NEAR(rec.firms[1][borrower].cash_usd_bn, 6.0, kTol);
  EXPECT_NEAR(rec.system[1].gpu_price_index, 0.5, kTol);
}

// --- DebtRank ------------------------------------------------------------------------------

/// a holds a 15 bond of `bank`; `bank` holds a 10 loan to `b`; b loses equity by cash shocks.
struct Chain {
  ModelBuilder m;
  FirmIdx a, bank, b;
  explicit Chain(DebtRankMode mode) {
    m.model().params.horizon_ticks = 2;
    m.model().params.external_debt_rate_pct = 0.0;
    m.model().params.deposit_rate_pct = 0.0;
    m.model().params.debtrank_mode = mode;
    m.model().params.debtrank_loss_given_default = 1.0;  // DebtRank's own convention: h passes on in full
    m.model().channels = only({"payment_clearing", "debtrank"});
    m.model().params.solvency_default = false;  // watch the marks, not the defaults
    a = m.firm("a", FirmType::bond_investor, {.cash = 100, .other_assets = 15});
    bank = m.firm("bank", FirmType::bank, {.cash = 10, .other_assets = 10, .debt = 15});
    b = m.firm("b", FirmType::neocloud, {.cash = 20, .debt = 10});
    m.exposure(ExposureKind::bond, a, bank, 15, {.term_years = 10});
    m.exposure(ExposureKind::loan, bank, b, 10, {.term_years = 10});
    // E0: b = 20 - 10 = 10; bank = 10 + 10 - 15 = 5.
    m.shock(ShockKind::cash_change, {b}, 1, -2.5);  // tick 1: h_b = 2.5 / 10 = 0.25
    m.shock(ShockKind::cash_change, {b}, 2, -2.5);  // tick 2: h_b = 5 / 10 = 0.5
  }
};

TEST(DebtRank, LinearMarksFollowDistressAlongTheChain) {
  Chain c(DebtRankMode::linear);
  Recorder rec;
  run(c.m.build(), rec);
  // Tick 1: h_b = 0.25 -> the bank marks its loan 10 x 0.25 = 2.5 down: bank equity 5 - 2.5,
  // h_bank = 2.5 / 5 = 0.5 -> a marks the bond 15 x 0.5 = 7.5 down (Bardoscia et al. 2015).
  EXPECT_NEAR(rec.firms[1][c.bank].claims_usd_bn, 7.5, kTol);
  EXPECT_NEAR(rec.firms[1][c.a].claims_usd_bn, 7.5, kTol);
  // Tick 2: h_b = 0.5 -> loan marked 5 down, bank equity 0, h_bank = 1 -> bond marked to 0.
  EXPECT_NEAR(rec.firms[2][c.bank].claims_usd_bn, 5.0, kTol);
  EXPECT_NEAR(rec.firms[2][c.a].claims_usd_bn, 0.0, kTol);
}

TEST(DebtRank, SingleHitPropagatesEachDistressOnce) {
  Chain c(DebtRankMode::single_hit);
  Recorder rec;
  run(c.m.build(), rec);
  // Battiston et al. 2012: b's distress reaches its creditor once, at h_b = 0.25 (tick 1);
  // its later rise to 0.5 is not propagated, so the marks stay those of tick 1.
  EXPECT_NEAR(rec.firms[2][c.bank].claims_usd_bn, 7.5, kTol);
  EXPECT_NEAR(rec.firms[2][c.a].claims_usd_bn, 7.5, kTol);
}

TEST(DebtRank, AMarkIsReleasedFromTheChannelWhenTheLoanIsRepaid) {
  // The release of a mark on a loan repaid in full went to the bank's equity but not to its
  // debtrank loss, which kept the mark: S8's total was 0.8 too high (an independent check).
  ModelBuilder m;
  m.model().params.horizon_ticks = 3;
  m.model().params.debtrank_mode = DebtRankMode::linear;
  m.model().params.debtrank_loss_given_default = 1.0;
  m.model().channels = only({"payment_clearing", "debtrank"});
  m.model().params.solvency_default = false;
  const FirmIdx bank = m.firm("bank", FirmType::bank, {.cash = 10, .other_assets = 10, .debt = 15});
  const FirmIdx b = m.firm("b", FirmType::neocloud, {.cash = 20, .debt = 10});
  m.exposure(ExposureKind::loan, bank, b, 10, {.term_years = 2.0 / 12});  // due in full at tick 2
  m.shock(ShockKind::cash_change, {b}, 1, -2.5);                            // h_b = 2.5 / 10 = 0.25
  Recorder rec;
  const SimResult r = run(m.build(), rec);
  // Tick 1: the loan is marked 10 x 0.25 = 2.5 down, a debtrank loss of 2.5 (as in the chain
  // above). Tick 2: b repays the 10 at par, so the mark is released: net debtrank loss 0.
  EXPECT_NEAR(rec.firms[1][bank].claims_usd_bn, 7.5, kTol);
  EXPECT_NEAR(rec.firms[3][bank].claims_usd_bn, 0.0, kTol);
  EXPECT_NEAR(r.losses_by_firm[bank][DefaultChannel::debtrank], 0.0, kTol);
  EXPECT_NEAR(r.losses_by_channel_usd_bn(DefaultChannel::debtrank), 0.0, kTol);
}

// --- guarantees ----------------------------------------------------------------------------

TEST(Guarantees, GuarantorPaysTheBeneficiarysLossUpToTheCap) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().channels = only({"payment_clearing", "default_resolution", "guarantees"});
  const FirmIdx lender = b.firm("lender", FirmType::bank, {.cash = 100, .other_assets = 10});
  const FirmIdx miner = b.firm("miner", FirmType::miner, {.debt = 10});
  const FirmIdx guarantor = b.firm("guarantor", FirmType::hyperscaler, {.cash = 50});
  b.exposure(ExposureKind::loan, lender, miner, 10, {.term_years = 1.0 / 12});
  b.exposure(ExposureKind::guarantee, guarantor, miner, 6, {.beneficiary = lender});
  Recorder rec;
  const SimResult r = run(b.build(), rec);
  // The miner cannot repay 10 and has nothing: the lender's loss is 10; the guarantee pays
  // min(cap 6, loss 10) = 6. Net: lender loses 4, guarantor 6.
  EXPECT_NEAR(rec.firms[1][lender].cash_usd_bn, 106.0, kTol);
  EXPECT_NEAR(rec.firms[1][guarantor].cash_usd_bn, 44.0, kTol);
  ASSERT_EQ(r.credit_losses.size(), 2u);
  EXPECT_NEAR(r.credit_losses[0].loss_usd_bn(), 4.0, kTol);
  EXPECT_EQ(r.credit_losses[1].kind, ExposureKind::guarantee);
  EXPECT_NEAR(r.credit_losses[1].loss_usd_bn(), 6.0, kTol);
  EXPECT_NEAR(r.losses_by_channel_usd_bn(DefaultChannel::guarantees), 6.0, kTol);
}

// --- equity market ---------------------------------------------------------------------------

TEST(EquityMarket, StakesAndWarrantsFollowTheIssuersValue) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().params.warrant_leverage = 2.0;
  b.model().channels = only({"payment_clearing", "equity_market"});
  const FirmIdx holder = b.firm("holder", FirmType::conglomerate, {.cash = 1, .other_assets = 20});
  const FirmIdx issuer = b.firm("issuer", FirmType::chipmaker, {.cash = 50});
  b.model().firms[issuer].market_cap_usd_bn = 100;
  b.model().firms[issuer].listed = true;
  b.exposure(ExposureKind::equity_stake, holder, issuer, 10);
  b.exposure(ExposureKind::warrant, holder, issuer, 10);
  b.shock(ShockKind::cash_change, {issuer}, 1, -25);
  Recorder rec;
  run(b.build(), rec);
  // The issuer has no profit (book-only valuation): E 50 -> 25, index 0.5. Stake 10 x 0.5 = 5;
  // warrant 10 x max(0, 1 + 2 (0.5 - 1)) = 0.
  EXPECT_NEAR(rec.firms[1][holder].securities_usd_bn, 5.0, kTol);
}

TEST(EquityMarket, LowSentimentShutsTheEquityWindow) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 1;
  b.model().params.equity_raise_min_sentiment = 0.7;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding", "equity_market"});
  const FirmIdx lab = b.firm("lab", FirmType::ai_lab, {.cash = 1, .other_assets = 10, .opex = 24});
  b.params(lab).equity_raise_usd_bn_per_year = 100;
  b.shock(ShockKind::sentiment_multiplier, {}, 1, 0.5);
  Recorder rec;
  const SimResult r = run(b.build(), rec);
  // Opex 24 / 12 = 2 due, cash 1: the lab needs 1 more. Sentiment is set in phase 8 of each
  // tick, so at tick 1 the window is still open (sentiment 1 from tick 0): it raises and pays.
  EXPECT_TRUE(r.defaults.empty());
  // Same at tick 2 with sentiment 0.5 < 0.7 from tick 1's revaluation: no raise, default.
  b.model().params.horizon_ticks = 2;
  Recorder rec2;
  const SimResult r2 = run(b.build(), rec2);
  ASSERT_EQ(r2.defaults.size(), 1u);
  EXPECT_EQ(r2.defaults[0].tick, 2);
}

// --- funding market --------------------------------------------------------------------------

TEST(FundingMarket, CreditLossesRaiseStressAndSpreads) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().params.stress_reference_usd_bn = 200;
  b.model().params.spread_at_full_stress_pct = 4.0;
  b.model().params.external_debt_rate_pct = 5.0;
  b.model().channels = only({"payment_clearing", "default_resolution", "funding"});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 1000, .other_assets = 100});
  const FirmIdx failing = b.firm("failing", FirmType::neocloud, {.debt = 100});
  const FirmIdx payer = b.firm("payer", FirmType::conglomerate, {.cash = 20, .debt = 12});
  b.exposure(ExposureKind::loan, bank, failing, 100, {.term_years = 1.0 / 12});
  Recorder rec;
  run(b.build(), rec);
  // Tick 1: the failing firm defaults with nothing: credit loss 100 -> stress 100 / 200 = 0.5.
  EXPECT_NEAR(rec.system[1].market_stress_index, 0.5, kTol);
  // Tick 1 interest on the payer's external debt 12 at 5%: 0.05; tick 2 at 5 + 4 x 0.5 = 7%: 0.07.
  EXPECT_NEAR(rec.firms[1][payer].paid_usd_bn, 12 * 0.05 / 12, kTol);
  EXPECT_NEAR(rec.firms[2][payer].paid_usd_bn, 12 * 0.07 / 12, kTol);
}

// --- ablation --------------------------------------------------------------------------------

TEST(Ablation, PlanCoversEachChannelAloneAndAllButIt) {
  Channels base;
  base.guarantees = false;  // off in the scenario: never ablated
  const auto plan = ablation_plan(base);
  ASSERT_EQ(plan.size(), 2 + 2 * (Channels::kCount - 1));
  EXPECT_EQ(plan[0].label, "all");
  EXPECT_EQ(plan[1].label, "none");
  for (const AblationCase& c : plan) EXPECT_FALSE(c.channels.guarantees) << c.label;
  EXPECT_EQ(plan[2].label, "only:payment_clearing");
  EXPECT_TRUE(plan[2].channels.payment_clearing);
  EXPECT_FALSE(plan[2].channels.funding);
  EXPECT_EQ(plan[3].label, "all_but:payment_clearing");
  EXPECT_FALSE(plan[3].channels.payment_clearing);
  EXPECT_TRUE(plan[3].channels.funding);
}

TEST(Ablation, EffectsAreDifferencesOfTheRuns) {
  ModelBuilder b;
  b.model().params.horizon_ticks = 3;
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 5, .other_assets = 10, .debt = 14});
  const FirmIdx borrower = b.firm("borrower", FirmType::neocloud, {.debt = 10});
  b.exposure(ExposureKind::loan, bank, borrower, 10, {.term_years = 1.0 / 12});
  const Model m = b.build();
  const AblationResult a = run_ablation(m, RunOptions{.seed = 1, .threads = 2}, agents::standard_behaviours());
  ASSERT_EQ(a.cases.size(), a.metrics.size());
  // The identities that define the effects (docs/model.md, "Ablation").
  double standalone_sum = 0.0;
  for (std::size_t c = 0; c < a.effects.size(); ++c) {
    EXPECT_DOUBLE_EQ(a.effects[c].standalone.defaults, a.metrics[2 + 2 * c].defaults - a.metrics[1].defaults);
    EXPECT_DOUBLE_EQ(a.effects[c].marginal.defaults, a.metrics[0].defaults - a.metrics[3 + 2 * c].defaults);
    standalone_sum += a.effects[c].standalone.equity_lost_usd_bn;
  }
  EXPECT_NEAR(a.interaction.equity_lost_usd_bn,
              a.metrics[0].equity_lost_usd_bn - a.metrics[1].equity_lost_usd_bn - standalone_sum, kTol);
  // With every channel on, the thin bank fails on its loss (ThinBank in simulation_test.cc);
  // without default resolution nobody takes that loss and it survives.
  EXPECT_DOUBLE_EQ(a.metrics[0].defaults, 2.0);
  (void)bank;
  (void)borrower;
}

}  // namespace
}  // namespace cascade
