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

TEST(Payouts, APassThroughFundDistributesItsIncomeToItsInvestors) {
  ModelBuilder b;
  b.model().channels = only({"payment_clearing", "payouts"});
  const FirmIdx fund = b.firm("fund", FirmType::bond_investor, {.cash = 10, .other_assets = 90, .revenue = 12});
  b.params(fund).pass_through = 1.0;
  b.params(fund).payout_fraction_of_fcf = 1.0;
  Recorder rec;
  testing::run_audited(b.build(), rec);
  // Income 1 per tick, all distributed: cash stays 10 and the investors' capital stays 100 (what
  // they receive leaves the fund); the fund's own equity stays 0.
  for (Tick t = 1; t <= 12; ++t) {
    EXPECT_NEAR(rec.at(t, fund).payout_usd_bn, 1.0, 1e-12) << "tick " << t;
    EXPECT_NEAR(rec.at(t, fund).investor_capital_usd_bn, 100.0, 1e-9) << "tick " << t;
  }
  EXPECT_NEAR(rec.at(12, fund).cash_usd_bn, 10.0, 1e-9);
  EXPECT_NEAR(rec.at(12, fund).equity_usd_bn, 0.0, 1e-9);
}

}  // namespace
}  // namespace cascade
