// Private-credit funds and bond investors are pass-through vehicles: their book equity is their
// investors' capital, which absorbs the fund's gains and losses (docs/model.md, "Funds").
#include <gtest/gtest.h>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "tests/support/model_builder.h"
#include "tests/support/recorder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;
using testing::Recorder;

constexpr double kTol = 1e-9;

/// A fund (cash 2, a 10 loan to a cloud, no debt: book equity 12, all its investors') and a bank
/// (cash 20, owes 15 outside: equity 5) that also lends the cloud 5. The cloud (cash 1, hardware
/// 20, debt 15) is forced into default at tick 2; its hardware sells at half book.
struct FundAndBank {
  ModelBuilder b;
  FirmIdx fund, bank, cloud;
  FundAndBank() {
    b.model().params.horizon_ticks = 3;
    b.model().params.external_debt_rate_pct = 0.0;
    b.model().params.deposit_rate_pct = 0.0;
    b.model().params.liquidation_hardware_fraction = 0.5;
    fund = b.firm("fund", FirmType::private_credit, {.cash = 2, .other_assets = 10});
    b.params(fund).pass_through = 1.0;
    bank = b.firm("bank", FirmType::bank, {.cash = 20, .other_assets = 5, .debt = 20});
    cloud = b.firm("cloud", FirmType::hyperscaler, {.cash = 1, .hardware = 20, .debt = 15, .hardware_life_years = 1e12});
    b.exposure(ExposureKind::loan, fund, cloud, 10, {.term_years = 10});
    b.exposure(ExposureKind::loan, bank, cloud, 5, {.term_years = 10});
    b.shock(ShockKind::force_default, {cloud}, 2, 0.0);
  }
};

TEST(Funds, InvestorsCapitalAbsorbsTheFundsLossesAndItsEquityStaysPut) {
  FundAndBank s;
  Recorder rec;
  const SimResult r = run_simulation(s.b.build(), RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours(), &rec);
  // Tick 0: the fund's equity 2 + 10 = 12 is its investors' capital; its own equity is 0.
  EXPECT_NEAR(rec.at(0, s.fund).investor_capital_usd_bn, 12.0, kTol);
  EXPECT_NEAR(rec.at(0, s.fund).equity_usd_bn, 0.0, kTol);
  // Tick 2: the cloud's estate is cash 1 + hardware 20 x 0.5 = 11 for claims of 10 (fund) and 5
  // (bank), pari passu: the fund recovers 11 x 10/15 = 7.33, the bank 11 x 5/15 = 3.67.
  // The fund's loss 10 - 7.33 = 2.67 goes to its investors: their capital 12 -> 9.33, and the
  // fund's own equity stays 0. The bank's loss 5 - 3.67 = 1.33 is its own: equity 5 -> 3.67.
  const double fund_loss = 10.0 - 11.0 * 10.0 / 15.0, bank_loss = 5.0 - 11.0 * 5.0 / 15.0;
  EXPECT_NEAR(rec.at(2, s.fund).investor_capital_usd_bn, 12.0 - fund_loss, kTol);
  EXPECT_NEAR(rec.at(2, s.fund).equity_usd_bn, 0.0, kTol);
  EXPECT_NEAR(rec.at(2, s.bank).equity_usd_bn, 5.0 - bank_loss, kTol);
  EXPECT_NEAR(r.total_losses_passed_to_investors_usd_bn, fund_loss, kTol);
  // System equity by layer at tick 2: banks 3.67, funds 0, non-financial 0 (the cloud is gone).
  EXPECT_NEAR(rec.system[2].equity_banks_usd_bn, 5.0 - bank_loss, kTol);
  EXPECT_NEAR(rec.system[2].equity_funds_usd_bn, 0.0, kTol);
  EXPECT_NEAR(rec.system[2].fund_investor_capital_usd_bn, 12.0 - fund_loss, kTol);
  EXPECT_TRUE(r.defaults.size() == 1 && r.defaults[0].firm == s.cloud);
}

TEST(Funds, WithoutPassThroughTheFundKeepsItsLossAsEquity) {
  FundAndBank s;
  s.b.params(s.fund).pass_through = 0.0;
  Recorder rec;
  run_simulation(s.b.build(), RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours(), &rec);
  EXPECT_NEAR(rec.at(0, s.fund).equity_usd_bn, 12.0, kTol);
  EXPECT_NEAR(rec.at(2, s.fund).equity_usd_bn, 12.0 - (10.0 - 11.0 * 10.0 / 15.0), kTol);
  EXPECT_NEAR(rec.at(2, s.fund).investor_capital_usd_bn, 0.0, kTol);
}

}  // namespace
}  // namespace cascade
