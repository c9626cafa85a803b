// Funding costs by borrower and time: the deposit rate of lenders, rate paths (rate_change shocks
// with ramps), downgrades (credit_ratings channel) and depreciation-policy changes
// (depreciation_life shocks). docs/model.md, "Funding costs by borrower and time". Every
// expected number is computed by hand beside it.
#include <gtest/gtest.h>

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

Recorder run(const Model& m, SimResult* result = nullptr) {
  Recorder rec;
  SimResult r = testing::run_audited(m, rec);
  if (result) *result = std::move(r);
  return rec;
}

TEST(ShockRamp, AValueIsReachedInEqualStepsOverTheRamp) {
  ShockSpec s;
  s.tick = 3;
  s.value = 0.5;
  s.ramp_ticks = 4;
  // From 1 towards 0.5 in steps of (0.5 - 1) / 4 = -0.125: ticks 3, 4, 5, 6 give 0.875, 0.75, 0.625, 0.5.
  EXPECT_DOUBLE_EQ(s.value_at(3, 1.0), 0.875);
  EXPECT_DOUBLE_EQ(s.value_at(4, 1.0), 0.75);
  EXPECT_DOUBLE_EQ(s.value_at(6, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(s.value_at(20, 1.0), 0.5);
  // An addition ramps from 0: value 2 over 4 ticks gives 0.5 at its first tick.
  s.value = 2.0;
  EXPECT_DOUBLE_EQ(s.value_at(3, 0.0), 0.5);
  s.ramp_ticks = 0;  // no ramp: the value at once
  EXPECT_DOUBLE_EQ(s.value_at(3, 0.0), 2.0);
}

TEST(ShockRamp, ARampedRevenueCutReachesItsValueStepByStep) {
  ModelBuilder b;
  b.model().channels = only({"payment_clearing"});
  const FirmIdx f = b.firm("firm", FirmType::conglomerate, {.cash = 10, .revenue = 120});
  b.shock(ShockKind::revenue_multiplier, {f}, 2, 0.4).ramp_ticks = 3;
  const Recorder rec = run(b.build());
  // 10 per tick; from tick 2: 10 x (1 - 0.6/3 k) for k = 1, 2, 3: 8, 6, 4, then 4.
  EXPECT_NEAR(rec.at(1, f).revenue_usd_bn, 10.0, 1e-12);
  EXPECT_NEAR(rec.at(2, f).revenue_usd_bn, 8.0, 1e-12);
  EXPECT_NEAR(rec.at(3, f).revenue_usd_bn, 6.0, 1e-12);
  EXPECT_NEAR(rec.at(4, f).revenue_usd_bn, 4.0, 1e-12);
  EXPECT_NEAR(rec.at(9, f).revenue_usd_bn, 4.0, 1e-12);
}

/// A firm with 120 of debt outside the network and 100 of cash, nothing else.
struct Borrower {
  ModelBuilder b;
  FirmIdx firm;
  explicit Borrower(FirmType type, Channels channels = only({"payment_clearing"})) {
    b.model().channels = channels;
    firm = b.firm("borrower", type, {.cash = 100, .debt = 120});
  }
};

TEST(FundingCosts, LendersPayTheDepositRateOnTheirOutsideLiabilities) {
  Borrower bank(FirmType::bank), company(FirmType::neocloud);
  const Recorder bank_rec = run(bank.b.build()), company_rec = run(company.b.build());
  // Deposit rate 2.5%: 120 x 2.5% / 12 = 0.25 per tick; a company pays 5%: 0.5 per tick.
  EXPECT_NEAR(bank_rec.at(1, bank.firm).due_usd_bn, 0.25, 1e-12);
  EXPECT_NEAR(company_rec.at(1, company.firm).due_usd_bn, 0.5, 1e-12);
}

TEST(FundingCosts, ALendersExpectedOutgoingsAtTickZeroArePricedAtTheDepositRate) {
  Borrower bank(FirmType::bank), company(FirmType::neocloud);
  const Model bank_model = bank.b.build(), company_model = company.b.build();
  const ExposureNetwork bank_network(bank_model), company_network(company_model);
  const SimState bank_state(bank_model, bank_network), company_state(company_model, company_network);
  // Before the first tick the moving averages start from what the first tick will pay: the bank
  // 120 x 2.5% / 12 = 0.25 per tick, the company 120 x 5% / 12 = 0.5; neither has revenue, so
  // its free cash flow is minus that.
  EXPECT_NEAR(bank_state.firms[bank.firm].outgoings_usd_bn_per_tick, 0.25, 1e-12);
  EXPECT_NEAR(bank_state.firms[bank.firm].free_cash_flow_usd_bn_per_tick, -0.25, 1e-12);
  EXPECT_NEAR(company_state.firms[company.firm].outgoings_usd_bn_per_tick, 0.5, 1e-12);
  EXPECT_NEAR(company_state.firms[company.firm].free_cash_flow_usd_bn_per_tick, -0.5, 1e-12);
}

TEST(FundingCosts, ARatePathReachesMarketBorrowersDebtAndIsBookedAsAFundingCost) {
  Borrower s(FirmType::neocloud);
  s.b.model().shocks.push_back(ShockSpec{.id = "hike", .kind = ShockKind::rate_change, .tick = 3, .value = 2.0, .ramp_ticks = 2});
  SimResult r;
  const Recorder rec = run(s.b.build(), &r);
  // 120 x 5% / 12 = 0.5 per tick at ticks 1-2; +1 point at tick 3 (120 x 6% / 12 = 0.6); +2
  // points from tick 4 on (0.7).
  EXPECT_NEAR(rec.at(2, s.firm).due_usd_bn, 0.5, 1e-12);
  EXPECT_NEAR(rec.at(3, s.firm).due_usd_bn, 0.6, 1e-12);
  EXPECT_NEAR(rec.at(4, s.firm).due_usd_bn, 0.7, 1e-12);
  // Funding cost above the contract rate: 0.1 at tick 3 and 0.2 at each of ticks 4-12.
  EXPECT_NEAR(r.losses_by_firm[s.firm][DefaultChannel::funding], 0.1 + 9 * 0.2, 1e-9);
}

/// A company with assets 100 (cash) against debt 20: its Merton default probability is about 0
/// (ln(100/20) = 1.6 asset-volatility units of 0.4 away: N(-4) = 3e-5). A loss of 78 at tick 2
/// leaves assets 22 against 20 (ln 1.1 / 0.4 = 0.24 units: a default probability near 0.4),
/// a rise far above the 0.02 that is a downgrade.
struct FallenAngel {
  ModelBuilder b;
  FirmIdx firm;
  explicit FallenAngel(Channels channels) {
    b.model().channels = channels;
    firm = b.firm("angel", FirmType::neocloud, {.cash = 100, .debt = 20});
    b.params(firm).asset_volatility_per_year = 0.4;
    b.shock(ShockKind::cash_change, {firm}, 2, -78.0);
  }
};

TEST(FundingCosts, AFirmDowngradedSinceTickZeroPaysTheDowngradeSpread) {
  FallenAngel s(only({"payment_clearing", "credit_ratings"}));
  const Recorder rec = run(s.b.build());
  EXPECT_FALSE(rec.at(1, s.firm).downgraded);
  EXPECT_TRUE(rec.at(2, s.firm).downgraded);
  // 20 x 5% / 12 before; 20 x (5% + 3%) / 12 from the tick after the downgrade.
  EXPECT_NEAR(rec.at(2, s.firm).due_usd_bn, 20 * 0.05 / 12, 1e-12);
  EXPECT_NEAR(rec.at(3, s.firm).due_usd_bn, 20 * 0.08 / 12, 1e-12);
}

TEST(FundingCosts, WithRatingsOffADowngradeCostsNothing) {
  FallenAngel s(only({"payment_clearing"}));
  const Recorder rec = run(s.b.build());
  EXPECT_FALSE(rec.at(3, s.firm).downgraded);
  EXPECT_NEAR(rec.at(3, s.firm).due_usd_bn, 20 * 0.05 / 12, 1e-12);
}

TEST(Amortisation, ALinearLoanIsPaidOffAtMaturityAndNeverRolled) {
  // A loan of 12 at 0% over half a year (6 monthly ticks), linear, with a lender willing to roll
  // (the borrower's leverage is within its limit). Its last part, due at the maturity tick, was
  // taken for a bullet maturity and rolled: 2 stayed owed and amortised again over a new term.
  // docs/model.md, phase 4: 12 / 6 = 2 at each of ticks 1-6, then nothing.
  ModelBuilder b;
  b.model().channels = only({"payment_clearing", "funding"});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 10});
  const FirmIdx borrower = b.firm("borrower", FirmType::neocloud, {.cash = 20});
  b.params(borrower).max_leverage_fraction = 1.0;
  b.exposure(ExposureKind::loan, bank, borrower, 12, {.term_years = 0.5});
  b.model().exposures.back().amortisation = Amortisation::linear;
  const Recorder rec = run(b.build());
  for (Tick t = 1; t <= 6; ++t) {
    EXPECT_NEAR(rec.at(t, borrower).due_usd_bn, 2.0, 1e-12) << "tick " << t;
    EXPECT_NEAR(rec.at(t, bank).claims_usd_bn, 12.0 - 2.0 * t, 1e-12) << "tick " << t;
  }
  for (Tick t = 7; t <= 12; ++t) EXPECT_EQ(rec.at(t, borrower).due_usd_bn, 0.0) << "tick " << t;
  EXPECT_NEAR(rec.at(12, borrower).cash_usd_bn, 8.0, 1e-12);
}

TEST(LatePayments, OpexAndInterestPaidLateAreBookedAsOpexAndInterest) {
  // A firm without cash owes opex 12 a year (1 a tick) and 5% on 60 of outside debt (0.25 a
  // tick). At tick 1's clearing it pays nothing; in the funding phase it sells hardware and pays
  // both late. The 1 of opex was left out of its opex (and so of its profit and free cash flow).
  ModelBuilder b;
  b.model().channels = only({"payment_clearing", "funding"});
  const FirmIdx f =
      b.firm("firm", FirmType::conglomerate, {.hardware = 100, .debt = 60, .opex = 12, .hardware_life_years = 1e12});
  const Recorder rec = run(b.build());
  EXPECT_NEAR(rec.at(1, f).due_usd_bn, 1.25, 1e-12);
  EXPECT_NEAR(rec.at(1, f).paid_usd_bn, 1.25, 1e-12);
  EXPECT_NEAR(rec.at(1, f).opex_usd_bn, 1.0, 1e-12);
}

TEST(DepreciationLife, AShorterBookLifeDepreciatesFasterFromTheShockOn) {
  ModelBuilder b;
  b.model().channels = only({"payment_clearing"});
  const FirmIdx f = b.firm("cloud", FirmType::neocloud, {.cash = 10, .hardware = 120, .hardware_life_years = 10});
  b.shock(ShockKind::depreciation_life, {f}, 3, 2.0);
  const Recorder rec = run(b.build());
  // Declining balance at 1 / (10 x 12) per tick: 120 -> 119 -> 119 x (1 - 1/120); from tick 3 at
  // 1 / (2 x 12) per tick. Cash does not move: an accounting change.
  const double after_2 = 120.0 * (1.0 - 1.0 / 120) * (1.0 - 1.0 / 120);
  EXPECT_NEAR(rec.at(2, f).hardware_usd_bn, after_2, 1e-9);
  EXPECT_NEAR(rec.at(3, f).hardware_usd_bn, after_2 * (1.0 - 1.0 / 24), 1e-9);
  EXPECT_NEAR(rec.at(3, f).cash_usd_bn, 10.0, 1e-12);
}

}  // namespace
}  // namespace cascade
