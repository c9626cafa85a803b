// What defaulters pay their external creditors (ClearingModelResult::external_payment) and
// single-hit DebtRank with and without the impact cap. Every number is computed by hand in the
// comment beside it.
#include <gtest/gtest.h>

#include <vector>

#include "engine/contagion/clearing_models.h"
#include "engine/contagion/debtrank.h"
#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"

namespace cascade::contagion {
namespace {

constexpr double kExact = 1e-12;

/// The ring of tests/engine/contagion/data/ring: A (ea 4, el 4, shock 1/2) owes B 8; B (ea 3,
/// el 2) owes C 8; C (ea 10, el 0) owes A 8.
InterbankNetwork ring() {
  const std::vector<Liability> rows{{0, 1, 8}, {1, 2, 8}, {2, 0, 8}};
  return make_interbank_network({"A", "B", "C"}, {4, 3, 10}, {4, 2, 0}, {0.5, 0, 0}, rows);
}

TEST(ExternalPayment, RingPariPassuAndSenior) {
  // Pari passu: x = (5/6, 29/30, 1) (clearing_models_test.cc, RingPariPassu); a defaulter pays
  // its external creditors at the same rate: A 4 * 5/6 = 10/3, B 2 * 29/30 = 29/15; C owes 0.
  const ClearingModelResult pari = clear_interbank(ring(), {});
  EXPECT_NEAR(pari.external_payment[0], 10.0 / 3.0, kExact);
  EXPECT_NEAR(pari.external_payment[1], 29.0 / 15.0, kExact);
  EXPECT_EQ(pari.external_payment[2], 0.0);
  // Senior: x = (0.75, 0.875, 1); A realises 2 + 8 = 10 and B 3 + 8 * 0.75 = 9: both pay their
  // external liabilities (4 and 2) in full first.
  const ClearingModelResult senior = clear_interbank(ring(), {.external_priority = ExternalPriority::senior});
  EXPECT_NEAR(senior.recovery_rate[0], 0.75, kExact);
  EXPECT_NEAR(senior.external_payment[0], 4.0, kExact);
  EXPECT_NEAR(senior.external_payment[1], 2.0, kExact);
}

TEST(ExternalPayment, DefaulterWithoutInterbankLiabilities) {
  // A (ea 10, el 0, shock 0.8) owes B 6; B (ea 1, el 5) owes nothing. A: equity 2 - 6 < 0,
  // x_A = 2 / 6 = 1/3, pays B 2. B: equity 1 - 5 + 2 = -2 < 0, recovery rate 1 by convention
  // (nothing owed inside), but it pays its external creditors only 1 + 2 = 3 of 5.
  const std::vector<Liability> rows{{0, 1, 6}};
  const InterbankNetwork net = make_interbank_network({"A", "B"}, {10, 1}, {0, 5}, {0.8, 0}, rows);
  for (ExternalPriority priority : {ExternalPriority::pari_passu, ExternalPriority::senior}) {
    const ClearingModelResult r = clear_interbank(net, {.external_priority = priority});
    EXPECT_NEAR(r.recovery_rate[0], 1.0 / 3.0, kExact);
    EXPECT_EQ(r.recovery_rate[1], 1.0);
    EXPECT_EQ(r.defaulted[1], 1);
    EXPECT_NEAR(r.external_payment[1], 3.0, kExact);
    EXPECT_EQ(r.external_payment[0], 0.0);
  }
  // Rogers–Veraart, alpha = beta = 1/2: A realises 1 and pays B 1/6 * 6 = 1; B realises
  // 0.5 * 1 + 0.5 * 1 = 1 and pays that to its external creditors.
  const ClearingModelResult rv = clear_interbank(net, {.alpha = 0.5, .beta = 0.5});
  EXPECT_NEAR(rv.recovery_rate[0], 1.0 / 6.0, kExact);
  EXPECT_NEAR(rv.external_payment[1], 1.0, kExact);
}

TEST(ExternalPayment, OnlyTheClearingModelsReportIt) {
  const InterbankNetwork net = ring();
  for (PlainModel model : {PlainModel::eisenberg_noe, PlainModel::rogers_veraart})
    EXPECT_EQ(run_plain_model(net, {.model = model}).external_payment.size(), 3u);
  for (PlainModel model : {PlainModel::furfine, PlainModel::debtrank, PlainModel::debtrank_single_hit})
    EXPECT_TRUE(run_plain_model(net, {.model = model}).external_payment.empty());
}

TEST(SingleHitImpactCap, UncappedImpactAboveOne) {
  // Claims by obligor: B holds 4 on A; E0 = (10, 2), so Lambda_BA = 4 / 2 = 2. h_A(1) = 1/4.
  // Capped (Battiston et al.): W = min(1, 2) = 1, h_B = 1/4. Uncapped: h_B = min(1, 2 / 4) = 1/2.
  const std::vector<double> equity{10, 2}, initial{0.25, 0};
  const std::vector<std::size_t> offsets{0, 1, 1};
  const std::vector<std::uint32_t> holder{1};
  const std::vector<double> amount{4};
  DebtRankInput in{
      .equity = equity, .obligor_offsets = offsets, .holder = holder, .amount = amount, .initial_distress = initial};
  EXPECT_NEAR(debtrank_single_hit(in).distress[1], 0.25, kExact);
  in.cap_impact = false;
  EXPECT_NEAR(debtrank_single_hit(in).distress[1], 0.5, kExact);
  // Distress stays capped at 1: h_A(1) = 3/4 gives 3/2 uncapped, so 1.
  const std::vector<double> strong{0.75, 0};
  in.initial_distress = strong;
  EXPECT_EQ(debtrank_single_hit(in).distress[1], 1.0);
}

}  // namespace
}  // namespace cascade::contagion
