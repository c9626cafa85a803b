// Dividends and buybacks as a share of free cash flow (payouts channel; docs/model.md, "Payouts").
// Every expected number is computed by hand beside it.
#include <gtest/gtest.h>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;
using testing::FirmFigures;
using testing::Recorder;
using testing::only;

/// One firm with revenue 120 a year (10 per tick) and opex 60 a year (5 per tick), no capex, no
/// debt: free cash flow 5 per tick from tick 0 on, so its moving average stays 5.
struct Earner {
  ModelBuilder b;
  FirmIdx firm;
  explicit Earner(Channels channels, FirmFigures figures = {.cash = 10, .revenue = 120, .opex = 60}) {
    b.model().channels = channels;
    firm = b.firm("earner", FirmType::hyperscaler, figures);
    b.params(firm).payout_fraction_of_fcf = 0.4;
  }
  Recorder run() {
    Recorder rec;
    testing::run_audited(b.build(), rec);
    return rec;
  }
};

TEST(Payouts, AProfitableFirmPaysOutItsShareOfFreeCashFlow) {
  Earner s(only({"payment_clearing", "payouts"}));
  const Recorder rec = s.run();
  // 0.4 x 5 = 2 per tick; cash grows by 5 - 2 = 3 per tick: 10 + 12 x 3 = 46 after tick 12.
  for (Tick t = 1; t <= 12; ++t) EXPECT_NEAR(rec.at(t, s.firm).payout_usd_bn, 2.0, 1e-12) << "tick " << t;
  EXPECT_NEAR(rec.at(12, s.firm).cash_usd_bn, 46.0, 1e-9);
}

TEST(Payouts, WithTheChannelOffCashPilesUp) {
  Earner s(only({"payment_clearing"}));
  const Recorder rec = s.run();
  for (Tick t = 1; t <= 12; ++t) EXPECT_EQ(rec.at(t, s.firm).payout_usd_bn, 0.0) << "tick " << t;
  EXPECT_NEAR(rec.at(12, s.firm).cash_usd_bn, 10.0 + 12 * 5.0, 1e-9);
}

TEST(Payouts, AFirmLosingBookEquityPaysNothingEvenWithPositiveCashFlow) {
  // Opex 110 a year: free cash flow (120 - 110) / 12 > 0 per tick, but depreciation of 120 of
  // hardware over 6 years (20 a year) makes the profit (120 - 110 - 20) / 12 < 0 per tick, so its
  // book equity is below its tick-0 level from tick 1 on.
  Earner s(only({"payment_clearing", "payouts"}), {.cash = 10, .hardware = 120, .revenue = 120, .opex = 110});
  const Recorder rec = s.run();
  for (Tick t = 1; t <= 12; ++t) EXPECT_EQ(rec.at(t, s.firm).payout_usd_bn, 0.0) << "tick " << t;
  EXPECT_NEAR(rec.at(12, s.firm).cash_usd_bn, 10.0 + 12 * (10.0 / 12.0), 1e-9);
}

/// A pass-through bond fund with cash 10 and other assets 90 (its investors' capital: 100),
/// earning 12 a year (1 a tick) and paying out all of its free cash flow.
struct DistributingFund {
  ModelBuilder b;
  FirmIdx fund;
  DistributingFund() {
    b.model().channels = only({"payment_clearing", "payouts"});
    fund = b.firm("fund", FirmType::bond_investor, {.cash = 10, .other_assets = 90, .revenue = 12});
    b.params(fund).pass_through = 1.0;
    b.params(fund).payout_fraction_of_fcf = 1.0;
  }
};

TEST(Payouts, APassThroughFundDistributesItsIncomeToItsInvestors) {
  DistributingFund s;
  const FirmIdx fund = s.fund;
  Recorder rec;
  testing::run_audited(s.b.build(), rec);
  // Income 1 per tick, all distributed: cash stays 10 and the investors' capital stays 100 (what
  // they receive leaves the fund); the fund's own equity stays 0.
  for (Tick t = 1; t <= 12; ++t) {
    EXPECT_NEAR(rec.at(t, fund).payout_usd_bn, 1.0, 1e-12) << "tick " << t;
    EXPECT_NEAR(rec.at(t, fund).investor_capital_usd_bn, 100.0, 1e-9) << "tick " << t;
  }
  EXPECT_NEAR(rec.at(12, fund).cash_usd_bn, 10.0, 1e-9);
  EXPECT_NEAR(rec.at(12, fund).equity_usd_bn, 0.0, 1e-9);
}

TEST(Payouts, ALendersNetworkInterestIsPartOfTheFreeCashFlowItPaysOutOf) {
  // Two banks earn 12 a year (1 a tick): one as interest on a 120 loan at 10% inside the
  // network, the other outside it (other assets of 120). Their reported revenue is 12 either
  // way, and so was their free cash flow at tick 0; but from tick 1 on the first one's left out
  // the loan's interest (the network carries it, docs/model.md, "External remainders"), so its
  // average fell towards 0 and it paid out ever less. Both pay 0.6 x 1 = 0.6 a tick.
  ModelBuilder b;
  b.model().channels = only({"payment_clearing", "payouts"});
  b.model().params.deposit_rate_pct = 0.0;
  const FirmIdx lender = b.firm("lender", FirmType::bank, {.cash = 10, .other_assets = 120, .revenue = 12});
  const FirmIdx earner = b.firm("earner", FirmType::bank, {.cash = 10, .other_assets = 120, .revenue = 12});
  const FirmIdx cloud = b.firm("cloud", FirmType::neocloud, {.cash = 50, .debt = 120});
  b.exposure(ExposureKind::loan, lender, cloud, 120, {.term_years = 10, .rate_pct = 10.0});
  for (const FirmIdx bank : {lender, earner}) b.params(bank).payout_fraction_of_fcf = 0.6;
  Recorder rec;
  testing::run_audited(b.build(), rec);
  for (Tick t = 1; t <= 12; ++t) {
    EXPECT_NEAR(rec.at(t, lender).payout_usd_bn, 0.6, 1e-12) << "tick " << t;
    EXPECT_NEAR(rec.at(t, earner).payout_usd_bn, 0.6, 1e-12) << "tick " << t;
  }
}

TEST(Payouts, AFundsPayoutToItsInvestorsIsNoLossPassedToThem) {
  // A fund whose income stops at tick 1 (revenue x 0) still has a positive free cash flow on
  // average and pays it out: its investors' capital falls by what they are paid, which was
  // counted among the losses passed to them.
  DistributingFund s;
  const FirmIdx fund = s.fund;
  s.b.shock(ShockKind::revenue_multiplier, {fund}, 1, 0.0, 1);
  Recorder rec;
  const SimResult r = testing::run_audited(s.b.build(), rec);
  const double paid = rec.at(1, fund).payout_usd_bn;
  EXPECT_GT(paid, 0.0);
  EXPECT_NEAR(rec.at(1, fund).investor_capital_usd_bn, 100.0 - paid, 1e-12);
  // 0 to rounding (a difference of balance sheets near 100); the payout was about 1.
  EXPECT_NEAR(r.total_losses_passed_to_investors_usd_bn, 0.0, 1e-12);
}

}  // namespace
}  // namespace cascade
