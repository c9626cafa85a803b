// Withholding a binding payment is not free: the withheld part stays owed, and a firm that does
// not cure it within parameters.breach_cure_ticks is in default (breach), with its
// counterparties' claims, recoveries and cross-default (docs/model.md, phases 4 and 7).
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

/// A cloud sells 12/year of capacity (1 per tick) to a lab under a binding 3-year contract; the
/// lab earns 12/year, so paying in full it breaks even; a bank has lent the lab 4. No growth, no
/// noise, no depreciation, no interest.
struct Contract {
  ModelBuilder b;
  FirmIdx cloud, lab, bank;
  ExposureIdx contract, loan;
  Contract() {
    b.model().params.horizon_ticks = 8;
    b.model().params.external_debt_rate_pct = 0.0;
    b.model().params.deposit_rate_pct = 0.0;
    b.model().params.contract_claim_years = 1.0;
    cloud = b.firm("cloud", FirmType::hyperscaler, {.cash = 5, .revenue = 12});
    lab = b.firm("lab", FirmType::ai_lab, {.cash = 10, .debt = 4, .revenue = 12, .opex = 12});
    bank = b.firm("bank", FirmType::bank, {.cash = 10, .other_assets = 4});
    contract = b.exposure(ExposureKind::purchase_commitment, cloud, lab, 36,
                          {.term_years = 3, .status = ExposureStatus::contract, .purpose = PurchasePurpose::service});
    loan = b.exposure(ExposureKind::loan, bank, lab, 4, {.term_years = 10});
  }
  SimResult run(Recorder& rec) {
    return run_simulation(b.build(), RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours(), &rec);
  }
};

TEST(Breach, WithheldPaymentsUncuredForTheCurePeriodPutTheFirmInDefault) {
  Contract c;
  c.b.shock(ShockKind::payment_fraction, {c.lab}, 1, 0.5);  // from tick 1, the lab pays half
  Recorder rec;
  const SimResult r = c.run(rec);
  // Ticks 1-3: the lab pays 0.5 of each 1 due and withholds 0.5 (owed, not forgiven): the
  // cloud's cash grows by 0.5 a tick. The breach starts at tick 1; with a cure period of 3
  // ticks the lab defaults at tick 4 (4 - 1 >= 3), withholding 4 x 0.5 = 2 by then.
  EXPECT_NEAR(rec.at(1, c.cloud).cash_usd_bn, 5.5, kTol);
  EXPECT_NEAR(rec.at(3, c.cloud).cash_usd_bn, 6.5, kTol);
  ASSERT_EQ(r.defaults.size(), 1u);
  EXPECT_EQ(r.defaults[0].firm, c.lab);
  EXPECT_EQ(r.defaults[0].kind, DefaultKind::breach);
  EXPECT_EQ(r.defaults[0].tick, 4);
  EXPECT_NEAR(r.defaults[0].shortfall_usd_bn, 2.0, kTol);
  // At tick 4 the lab holds 10 + 4 x 1 (revenue) - 4 x 0.5 = 12 in cash. Claims (all senior):
  // the cloud's min(remaining 32 x take-or-pay 1, 1 year x 12) + arrears 2 = 14; the bank's
  // loan 4; the lab's external debt 0. Total 18 > 12: each recovers 12/18 of its claim.
  double cloud_claim = 0, cloud_recovered = 0, bank_claim = 0, bank_recovered = 0;
  for (const CreditLoss& l : r.credit_losses) {
    if (l.holder == c.cloud) cloud_claim += l.claim_usd_bn, cloud_recovered += l.recovered_usd_bn;
    if (l.holder == c.bank) bank_claim += l.claim_usd_bn, bank_recovered += l.recovered_usd_bn;
  }
  EXPECT_NEAR(cloud_claim, 14.0, kTol);
  EXPECT_NEAR(cloud_recovered, 14.0 * 12.0 / 18.0, kTol);
  EXPECT_NEAR(bank_claim, 4.0, kTol);  // cross-default: the bank's loan is due with the breach
  EXPECT_NEAR(bank_recovered, 4.0 * 12.0 / 18.0, kTol);
}

TEST(Breach, WithholdingGainsTheFirmNothing) {
  // Without the shock the lab pays everything; with it, it ends in default and its equity is
  // gone: withholding is never better for the withholder than paying.
  Contract paying, withholding;
  withholding.b.shock(ShockKind::payment_fraction, {withholding.lab}, 1, 0.0);
  Recorder a, b;
  const SimResult paid = paying.run(a);
  const SimResult withheld = withholding.run(b);
  EXPECT_TRUE(paid.defaults.empty());
  ASSERT_EQ(withheld.defaults.size(), 1u);
  EXPECT_EQ(withheld.defaults[0].tick, 4);
  EXPECT_LE(withheld.final_firms[withholding.lab].equity_usd_bn, paid.final_firms[paying.lab].equity_usd_bn);
}

TEST(Breach, AWithholdingThatEndsWithinTheCurePeriodIsPaidAndCured) {
  Contract c;
  c.b.shock(ShockKind::payment_fraction, {c.lab}, 1, 0.5, 2);  // ticks 1 and 2 only
  Recorder rec;
  const SimResult r = c.run(rec);
  // Ticks 1-2: 0.5 withheld each. Tick 3: the shock is over, the 1 withheld becomes ordinary
  // arrears and the lab, which has the cash, pays it in the funding phase with tick 3's 1.
  EXPECT_TRUE(r.defaults.empty());
  EXPECT_NEAR(rec.at(2, c.cloud).cash_usd_bn, 6.0, kTol);
  EXPECT_NEAR(rec.at(3, c.cloud).cash_usd_bn, 8.0, kTol);
}

}  // namespace
}  // namespace cascade
