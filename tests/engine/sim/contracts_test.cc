// Compute contracts that renew at the customer's demand, lapse or are exited (contract_renewal
// channel; docs/model.md, "Contracts that renew or lapse"). Every expected number is computed by
// hand beside it.
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

/// A supplier selling a one-year service contract of 12 (1 per tick, ticks 1-12) to a customer
/// whose only revenue is 120 a year from outside (10 per tick), over a 24-tick horizon.
struct OneYearContract {
  ModelBuilder b;
  FirmIdx supplier, customer;
  ExposureIdx contract;
  explicit OneYearContract(Channels channels = only({"payment_clearing", "contract_renewal"})) {
    Model& m = b.model();
    m.params.horizon_ticks = 24;
    m.channels = channels;
    supplier = b.firm("supplier", FirmType::neocloud, {.cash = 10, .revenue = 12});
    customer = b.firm("customer", FirmType::conglomerate, {.cash = 100, .revenue = 120, .opex = 12});
    contract = b.exposure(ExposureKind::purchase_commitment, supplier, customer, 12,
                          {.term_years = 1, .status = ExposureStatus::contract, .purpose = PurchasePurpose::service});
  }
  double renewal_loss(const SimResult& r) const { return r.losses_by_firm[supplier][DefaultChannel::contract_renewal]; }
};

TEST(Contracts, AnExpiredContractRenewsAtTheCustomersDemand) {
  OneYearContract s;
  // The customer's revenue halves from tick 1 on: its moving average (weight 1/3 on each tick)
  // after tick k is 5 + 5 (2/3)^k per tick, against 10 when the contract started.
  s.b.shock(ShockKind::revenue_multiplier, {s.customer}, 1, 0.5);
  Recorder rec;
  const SimResult r = run_audited(s.b.build(), rec);
  const double ratio = (5.0 + 5.0 * std::pow(2.0 / 3.0, 12)) / 10.0;  // demand at renewal (end of tick 12)
  for (Tick t = 1; t <= 12; ++t) EXPECT_NEAR(rec.at(t, s.supplier).revenue_usd_bn, 1.0, 1e-12) << "tick " << t;
  // Renewed at tick 13 for a year at 12 x ratio per year: ratio per tick.
  for (Tick t = 13; t <= 24; ++t) EXPECT_NEAR(rec.at(t, s.supplier).revenue_usd_bn, ratio, 1e-12) << "tick " << t;
  // Foregone: (12 - 12 ratio) per year over ticks 13-24.
  EXPECT_NEAR(s.renewal_loss(r), 12.0 * (1.0 - ratio), 1e-9);
  EXPECT_TRUE(r.defaults.empty());
}

TEST(Contracts, ARenewalBelowTheMinimumLapses) {
  OneYearContract s;
  s.b.shock(ShockKind::renewal_multiplier, {s.customer}, 13, 0.05);  // demand 1 x 0.05 < renewal_min_fraction 0.1
  Recorder rec;
  const SimResult r = run_audited(s.b.build(), rec);
  EXPECT_NEAR(rec.at(12, s.supplier).revenue_usd_bn, 1.0, 1e-12);
  for (Tick t = 13; t <= 24; ++t) EXPECT_EQ(rec.at(t, s.supplier).revenue_usd_bn, 0.0) << "tick " << t;
  EXPECT_NEAR(s.renewal_loss(r), 12.0, 1e-9);  // the whole renewed year: 1 per tick, ticks 13-24
}

TEST(Contracts, WithTheChannelOffContractsRenewOnTheSameTerms) {
  OneYearContract s(only({"payment_clearing"}));
  s.b.shock(ShockKind::revenue_multiplier, {s.customer}, 1, 0.5);
  s.b.shock(ShockKind::renewal_multiplier, {s.customer}, 13, 0.05);
  Recorder rec;
  const SimResult r = run_audited(s.b.build(), rec);
  for (Tick t = 13; t <= 24; ++t) EXPECT_NEAR(rec.at(t, s.supplier).revenue_usd_bn, 1.0, 1e-12) << "tick " << t;
  EXPECT_EQ(s.renewal_loss(r), 0.0);
}

TEST(Contracts, ACustomerWithIdleCapacityOfItsOwnInsourcesInsteadOfRenewing) {
  // The customer is a cloud with 10 GW earning 100 a year from end demand at utilisation 0.8
  // (12.5 per GW per year at full use). With end demand halved from tick 1, its utilisation is
  // 0.4 and the compute price (0.5)^0.5: its capacity idle beyond normal use could earn
  // 10 x (0.8 - 0.4) x 12.5 x 0.7071 = 35.4 a year, more than the 12 it would renew: it lapses.
  for (const bool demand_falls : {false, true}) {
    OneYearContract s(only({"payment_clearing", "contract_renewal", "ai_demand"}));
    Model& m = s.b.model();
    m.params.initial_utilisation = 0.8;
    m.params.ai_demand_growth_per_year = 0.0;
    m.params.ai_demand_volatility_per_year = 0.0;
    m.params.capacity_life_years = 1e12;
    s.b.params(s.supplier).sells_compute = 1.0;
    s.b.params(s.customer).sells_compute = 1.0;
    m.firms[s.customer].revenue_usd_bn_per_year = 100;
    m.firms[s.customer].ai_revenue_usd_bn_per_year = 100;
    m.firms[s.customer].ai_capacity_gw = 10;
    if (demand_falls) s.b.shock(ShockKind::ai_demand_multiplier, {}, 1, 0.5);
    Recorder rec;
    run_audited(s.b.build(), rec);
    EXPECT_NEAR(rec.system[12].ai_utilisation, demand_falls ? 0.4 : 0.8, 1e-12);
    // Without the fall the cloud's revenue stays 100 a year: the contract renews at 12 x 1.
    // (Once it lapses, the supplier sells the capacity it freed to end demand: AI revenue.)
    const FirmTickRecord& supplier = rec.at(13, s.supplier);
    EXPECT_NEAR(supplier.revenue_usd_bn - supplier.ai_revenue_usd_bn, demand_falls ? 0.0 : 1.0, 1e-12) << demand_falls;
  }
}

TEST(Contracts, ADistressedCustomerExitsUnderItsExitTerms) {
  // A three-year contract of 36 (1 per tick) with take-or-pay 0.25. The customer has no revenue
  // and wants 24 months of net outflow in cash (24 x 1) but holds 20: distressed from tick 1, it
  // exits and owes 0.25 x 36 = 9 at once.
  ModelBuilder b;
  Model& m = b.model();
  m.channels = only({"payment_clearing", "contract_renewal"});
  const FirmIdx supplier = b.firm("supplier", FirmType::neocloud, {.cash = 10, .revenue = 12});
  const FirmIdx customer = b.firm("customer", FirmType::conglomerate, {.cash = 20, .opex = 12});
  b.params(customer).liquidity_buffer_months = 24;
  b.exposure(ExposureKind::purchase_commitment, supplier, customer, 36,
             {.term_years = 3, .status = ExposureStatus::contract, .purpose = PurchasePurpose::service, .take_or_pay = 0.25});
  Recorder rec;
  const SimResult r = run_audited(b.build(), rec);
  EXPECT_NEAR(rec.at(1, supplier).revenue_usd_bn, 9.0, 1e-12);
  EXPECT_NEAR(rec.at(1, customer).cash_usd_bn, 11.0, 1e-12);
  for (Tick t = 2; t <= 12; ++t) EXPECT_EQ(rec.at(t, supplier).revenue_usd_bn, 0.0) << "tick " << t;
  // Foregone from tick 2: 0.75 x 1 per tick over ticks 2-12 of the 12-tick horizon.
  EXPECT_NEAR(r.losses_by_firm[supplier][DefaultChannel::contract_renewal], 0.75 * 11, 1e-9);
  EXPECT_TRUE(r.defaults.empty());

  // With full take-or-pay there is nothing to gain by leaving: it keeps paying 1 per tick.
  m.exposures[0].take_or_pay_fraction = 1.0;
  Recorder rec_full;
  run_audited(b.build(), rec_full);
  EXPECT_NEAR(rec_full.at(1, supplier).revenue_usd_bn, 1.0, 1e-12);
}

}  // namespace
}  // namespace cascade
