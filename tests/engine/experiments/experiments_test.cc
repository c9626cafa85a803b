// Loop contribution and systemic-importance rankings on small scenarios computed by hand.
#include <gtest/gtest.h>

#include "agents/firm_types.h"
#include "engine/experiments/loop_cut.h"
#include "engine/experiments/rank.h"
#include "tests/support/model_builder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;

Channels clearing_and_resolution() {
  Channels c;
  for (std::size_t i = 0; i < Channels::kCount; ++i) c.at(i) = false;
  c.payment_clearing = c.default_resolution = true;
  return c;
}

/// A vendor-financing loop: the supplier funds its customer 12 a year (equity tranches of 1 a
/// tick) and the customer buys 12 a year of service from it; the customer is forced into
/// default at tick 3.
Model vendor_financing_loop() {
  ModelBuilder b;
  b.model().params.horizon_ticks = 3;
  b.model().channels = clearing_and_resolution();
  const FirmIdx supplier = b.firm("supplier", FirmType::chipmaker, {.cash = 10, .revenue = 12});
  const FirmIdx customer = b.firm("customer", FirmType::ai_lab, {.opex = 12});
  b.exposure(ExposureKind::vendor_financing, supplier, customer, 12, {.term_years = 1});
  b.exposure(ExposureKind::purchase_commitment, supplier, customer, 12,
             {.term_years = 1, .purpose = PurchasePurpose::service});
  b.shock(ShockKind::force_default, {customer}, 3, 0.0);
  return b.build();
}

TEST(LoopCut, ContributionOfAVendorFinancingLoopByHand) {
  const Model m = vendor_financing_loop();
  const LoopCutResult r = cut_loops(m, RunOptions{.seed = 1, .threads = 2}, agents::standard_behaviours());
  ASSERT_EQ(r.cases.size(), 1u);
  // The loop supplier > customer > supplier is cut at its financing edge, the vendor financing.
  EXPECT_EQ(m.exposures[r.cases[0].cut].kind, ExposureKind::vendor_financing);
  EXPECT_DOUBLE_EQ(r.cases[0].usd_bn_per_year, 12.0);
  // With the loop: tranches of 1 at ticks 1-3 make a stake of 3, wiped out at the default (the
  // customer's cash is 0: each tranche paid the supplier's invoice); the rejected contract's
  // claim is min(9 remaining, 1 year x 12) = 9, recovered 0. Credit loss 3 + 9 = 12.
  EXPECT_NEAR(r.base.credit_loss_usd_bn, 12.0, 1e-9);
  // Cut: an outside investor funds the customer; the supplier loses only the contract, 9.
  EXPECT_NEAR(r.without[0].credit_loss_usd_bn, 9.0, 1e-9);
  EXPECT_NEAR(r.contribution[0].credit_loss_usd_bn, 3.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.contribution[0].defaults, 0.0);  // the customer defaults either way
}

TEST(LoopCut, OutsideCounterpartyKeepsTheObligorsTerms) {
  const Model m = vendor_financing_loop();
  const Model cut = with_outside_counterparty(m, 0);
  ASSERT_EQ(cut.firms.size(), m.firms.size() + 1);
  EXPECT_EQ(cut.firms.back().id, "outside_E0");
  EXPECT_EQ(cut.exposures[0].from, static_cast<FirmIdx>(m.firms.size()));
  EXPECT_EQ(cut.exposures[0].to, m.exposures[0].to);
  EXPECT_DOUBLE_EQ(cut.exposures[0].annual_usd_bn, m.exposures[0].annual_usd_bn);
  // The supplier's 12 of revenue from the loop's other edge is untouched.
  EXPECT_DOUBLE_EQ(cut.firms[0].external_revenue_usd_bn_per_year, 0.0);
}

/// A thin bank (equity 1) with a 10 loan to a borrower (equity 1) that pays as long as it exists.
Model thin_bank() {
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().params.external_debt_rate_pct = 0.0;
  b.model().channels = clearing_and_resolution();
  b.firm("bank", FirmType::bank, {.cash = 5, .other_assets = 10, .debt = 14});
  b.firm("borrower", FirmType::neocloud, {.cash = 1, .hardware = 10, .debt = 10, .hardware_life_years = 1e12});
  b.firm("bystander", FirmType::conglomerate, {.cash = 3});
  b.exposure(ExposureKind::loan, 0, 1, 10, {.term_years = 10});
  return b.build();
}

TEST(Rank, SoleFailureOfTheBorrowerTakesTheBankDown) {
  const Model m = thin_bank();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours());
  ASSERT_EQ(r.failure.size(), 3u);
  // The borrower's failure at tick 1: its estate is cash 1 + hardware 10 x liquidation fraction
  // 0.5 = 6 (no interest: rate 0); the bank recovers 6 of 10 and loses 4 > its equity 1: one
  // default caused, credit loss 4.
  EXPECT_EQ(r.failure[0].firm, 1u);
  EXPECT_NEAR(r.failure[0].caused.credit_loss_usd_bn, 4.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.failure[0].caused.defaults, 1.0);
  // The bank's failure leaves the others untouched (its creditors are outside the network).
  for (const FirmImpact& i : r.failure)
    if (i.firm != 1) {
      EXPECT_DOUBLE_EQ(i.caused.defaults, 0.0);
    }
  // DebtRank (single-hit): the borrower's full distress reaches the bank with impact
  // min(1, 10 / 1) = 1; weights are initial equity: bank 1, borrower 1, bystander 3 -> 1 / 5.
  EXPECT_NEAR(r.failure[0].debtrank, 0.2, 1e-12);
}

TEST(Rank, RankingDoesNotDependOnTheThreadCount) {
  const Model m = thin_bank();
  const RankResult one = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours(),
                                    RankOptions{.revenue_shock_fraction = 0.5});
  const RankResult four = rank_firms(m, RunOptions{.seed = 1, .threads = 4}, agents::standard_behaviours(),
                                     RankOptions{.revenue_shock_fraction = 0.5});
  EXPECT_EQ(rank_csv(one, m), rank_csv(four, m));
  EXPECT_EQ(one.revenue_shock.size(), 3u);
}

}  // namespace
}  // namespace cascade
