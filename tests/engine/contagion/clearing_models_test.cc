// Eisenberg–Noe and Rogers–Veraart clearing on plain networks: hand-computed examples (each
// expected number derived in the comment beside it, following the fictitious-default /
// greatest-clearing-vector algorithm round by round), and properties on random networks against
// independent references: the clearing map and Picard iteration written from the definition
// (random_network.h) and the engine's seniority clearing (engine/clearing, clear_payments).
#include "engine/contagion/clearing_models.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include "engine/clearing/clearing.h"
#include "engine/core/diagnostics.h"
#include "tests/engine/contagion/random_network.h"

namespace cascade::contagion {
namespace {

using testing::clearing_map;
using testing::dense_liabilities;
using testing::picard_from_full_payment;
using testing::random_network;
using testing::RandomNetworkSpec;

constexpr double kExact = 1e-12;     // hand-computed examples: exact up to round-off
constexpr double kReference = 1e-9;  // the published reference results are matched to 1e-9

/// A network from literal rows: ids "A", "B", ... in order.
InterbankNetwork network(std::vector<double> ea, std::vector<double> el, std::vector<Liability> liabilities,
                         std::vector<double> shock = {}) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < ea.size(); ++i) ids.push_back(std::string(1, static_cast<char>('A' + i)));
  if (shock.empty()) shock.assign(ea.size(), 0.0);
  return make_interbank_network(ids, std::move(ea), std::move(el), std::move(shock), liabilities);
}

ClearingModelResult eisenberg_noe(const InterbankNetwork& net, ExternalPriority priority = ExternalPriority::pari_passu,
                                  ClearingMethod method = ClearingMethod::fictitious_default) {
  return clear_interbank(net, {.external_priority = priority, .method = method});
}

ClearingModelResult rogers_veraart(const InterbankNetwork& net, double alpha, double beta,
                                   ExternalPriority priority = ExternalPriority::pari_passu,
                                   ClearingMethod method = ClearingMethod::fictitious_default) {
  return clear_interbank(net, {.alpha = alpha, .beta = beta, .external_priority = priority, .method = method});
}

void expect_rates(const ClearingModelResult& r, const std::vector<double>& expected, double tolerance = kExact) {
  ASSERT_EQ(r.recovery_rate.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(r.recovery_rate[i], expected[i], tolerance) << "node " << i;
}

// ---- Eisenberg–Noe by hand ------------------------------------------------------------------

TEST(EisenbergNoe, ChainOfDefaults) {
  // A owes B 10, B owes C 10; external assets A 5, B 2, C 1; no external liabilities.
  // Round 1 (x = 1): A's equity 5 - 10 = -5 < 0, B's 2 + 10 - 10 = 2, C's 11: D = {A};
  //   solve x_A = 5 / 10 = 0.5.
  // Round 2: B's equity 2 + 10 * 0.5 - 10 = -3 < 0: D = {A, B}; x_B = (2 + 5) / 10 = 0.7.
  // Check: C's equity 1 + 7 = 8 >= 0: no new default. Two rounds.
  const InterbankNetwork net = network({5, 2, 1}, {0, 0, 0}, {{0, 1, 10}, {1, 2, 10}});
  const ClearingModelResult r = eisenberg_noe(net);
  expect_rates(r, {0.5, 0.7, 1.0});
  EXPECT_EQ(r.iterations, 2);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.payment[0], 5.0, kExact);
  EXPECT_NEAR(r.payment[1], 7.0, kExact);
  EXPECT_EQ(r.payment[2], 0.0);  // owes nothing
  EXPECT_NEAR(r.equity_after[0], -5.0, kExact);
  EXPECT_NEAR(r.equity_after[1], -3.0, kExact);
  EXPECT_NEAR(r.equity_after[2], 8.0, kExact);
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{1, 1, 0}));
}

/// The ring A -> B -> C -> A (each owes the next 8) with external liabilities: A ea 4 (shocked
/// by half, so e_A = 2), el 4; B ea 3, el 2; C ea 10, el 0. Equity before: A 4 + 8 - 4 - 8 = 0,
/// B 3 + 8 - 2 - 8 = 1, C 10.
InterbankNetwork ring_with_external_liabilities() {
  return network({4, 3, 10}, {4, 2, 0}, {{0, 1, 8}, {1, 2, 8}, {2, 0, 8}}, {0.5, 0, 0});
}

TEST(EisenbergNoe, RingPariPassu) {
  // Pari passu: a defaulter pays all its creditors pro rata, x_i = v_i / (el_i + Lbar_i).
  // Round 1: A's equity 2 - 4 + 8 - 8 = -2: D = {A}; x_A = (2 + 8 * 1) / 12 = 5/6.
  // Round 2: B's equity 3 - 2 + 8 * 5/6 - 8 = -1/3: D = {A, B}; x_A = 5/6 still (its debtor C
  //   pays in full); x_B = (3 + 8 * 5/6) / 10 = 29/30.
  // Check: C's equity 10 + 8 * 29/30 - 8 = 146/15 >= 0.
  const ClearingModelResult r = eisenberg_noe(ring_with_external_liabilities());
  expect_rates(r, {5.0 / 6.0, 29.0 / 30.0, 1.0});
  EXPECT_EQ(r.iterations, 2);
  EXPECT_NEAR(r.payment[0], 20.0 / 3.0, kExact);
  EXPECT_NEAR(r.payment[1], 116.0 / 15.0, kExact);
  EXPECT_NEAR(r.payment[2], 8.0, kExact);
  EXPECT_NEAR(r.equity_after[0], -2.0, kExact);
  EXPECT_NEAR(r.equity_after[1], -1.0 / 3.0, kExact);
  EXPECT_NEAR(r.equity_after[2], 146.0 / 15.0, kExact);
}

TEST(EisenbergNoe, RingSeniorExternalLiabilities) {
  // Senior: a defaulter pays its external creditors first, x_i = (v_i - el_i) / Lbar_i >= 0.
  // Round 1: D = {A} as above; x_A = (2 + 8 - 4) / 8 = 0.75.
  // Round 2: B's equity 3 - 2 + 8 * 0.75 - 8 = -1: D = {A, B}; x_B = (3 + 6 - 2) / 8 = 0.875.
  // Check: C's equity 10 + 8 * 0.875 - 8 = 9 >= 0.
  const ClearingModelResult r = eisenberg_noe(ring_with_external_liabilities(), ExternalPriority::senior);
  expect_rates(r, {0.75, 0.875, 1.0});
  EXPECT_EQ(r.iterations, 2);
  EXPECT_NEAR(r.equity_after[0], -2.0, kExact);
  EXPECT_NEAR(r.equity_after[1], -1.0, kExact);
  EXPECT_NEAR(r.equity_after[2], 9.0, kExact);
}

TEST(EisenbergNoe, SeniorExternalLiabilitiesCanTakeEverything) {
  // A: ea 1, el 5, owes B 3. Pari passu: x_A = 1 / (5 + 3) = 1/8. Senior: the external creditors
  // take A's whole value 1 < 5, so x_A = max(0, (1 - 5) / 3) = 0.
  const InterbankNetwork net = network({1, 0}, {5, 0}, {{0, 1, 3}});
  expect_rates(eisenberg_noe(net), {0.125, 1.0});
  const ClearingModelResult senior = eisenberg_noe(net, ExternalPriority::senior);
  expect_rates(senior, {0.0, 1.0});
  EXPECT_EQ(senior.payment[0], 0.0);
  EXPECT_NEAR(senior.equity_after[0], 1.0 - 5.0 - 3.0, kExact);
}

TEST(EisenbergNoe, MutualDefaultersSolvedTogether) {
  // A and B each hold ea 1, owe el 2 outside and 4 to each other. At x = 1 both have equity
  // 1 - 2 + 4 - 4 = -1: one round with D = {A, B}.
  // Pari passu: x = (1 + 4x) / 6 for both, so x = 1/2 (payments 2 each).
  // Senior: x = max(0, (1 - 2 + 4x) / 4): no positive solution (4x = -1 + 4x), so x = 0; Picard
  //   from 1 gets there in steps 3/4, 1/2, 1/4, 0. Chandrasekaran: b = -1/4 < 0 for both, so
  //   nobody pays anything and the residual -1/4 confirms it.
  const InterbankNetwork net = network({1, 1}, {2, 2}, {{0, 1, 4}, {1, 0, 4}});
  const ClearingModelResult pari = eisenberg_noe(net);
  expect_rates(pari, {0.5, 0.5});
  EXPECT_EQ(pari.iterations, 1);
  const ClearingModelResult senior = eisenberg_noe(net, ExternalPriority::senior);
  expect_rates(senior, {0.0, 0.0});
  EXPECT_EQ(senior.iterations, 1);
  EXPECT_NEAR(senior.equity_after[0], 1.0 - 2.0 - 4.0, kExact);
}

TEST(EisenbergNoe, GreatestOfSeveralClearingVectors) {
  // A owes B 1 and B owes A 1; neither has anything else. Every x = (t, t), t in [0, 1], is a
  // clearing vector: for t < 1 each is worth t, has equity t - 1 < 0 and pays all it has, t; at
  // t = 1 each has equity exactly 0 and pays in full. The greatest, full payment, is reported,
  // and equity exactly 0 is not a default.
  const InterbankNetwork net = network({0, 0}, {0, 0}, {{0, 1, 1}, {1, 0, 1}});
  const auto l = dense_liabilities(net);
  for (double t : {0.0, 0.25, 1.0}) {  // the reference map agrees that these are all fixed points
    const std::vector<double> x{t, t};
    EXPECT_EQ(clearing_map(net, l, x, 1.0, 1.0, false), x) << t;
  }
  const ClearingModelResult r = eisenberg_noe(net);
  expect_rates(r, {1.0, 1.0});
  EXPECT_EQ(r.iterations, 0);
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{0, 0}));
  EXPECT_EQ(r.equity_after[0], 0.0);
  // The fixed-point method also starts from full payment and stays there.
  expect_rates(eisenberg_noe(net, ExternalPriority::pari_passu, ClearingMethod::fixed_point), {1.0, 1.0});
}

TEST(EisenbergNoe, NodesWithoutInterbankLiabilitiesPayNothingAndRecoverOne) {
  // A owes nothing inside the network but 10 outside, holding 3: equity 3 - 10 < 0, defaulted,
  // recovery rate 1 by convention, payment 0.
  const InterbankNetwork net = network({3, 5}, {10, 0}, {});
  const ClearingModelResult r = eisenberg_noe(net);
  EXPECT_EQ(r.recovery_rate[0], 1.0);
  EXPECT_EQ(r.payment[0], 0.0);
  EXPECT_EQ(r.defaulted[0], 1);
  EXPECT_EQ(r.defaulted[1], 0);
}

// ---- Rogers–Veraart by hand -----------------------------------------------------------------

TEST(RogersVeraart, ChainWithDefaultCosts) {
  // The chain of EisenbergNoe.ChainOfDefaults with alpha = beta = 1/2. Greatest clearing vector
  // algorithm (Rogers & Veraart 2013, section 3): start with everyone solvent.
  // Round 1: D = {A} (equity -5); A realises alpha * 5 = 2.5, x_A = 2.5 / 10 = 0.25.
  // Round 2: B's equity 2 + 10 * 0.25 - 10 = -5.5: D = {A, B}; B realises
  //   0.5 * 2 + 0.5 * 2.5 = 2.25, x_B = 0.225.
  // Check: C's equity 1 + 2.25 = 3.25 >= 0. Stop.
  const InterbankNetwork net = network({5, 2, 1}, {0, 0, 0}, {{0, 1, 10}, {1, 2, 10}});
  const ClearingModelResult r = rogers_veraart(net, 0.5, 0.5);
  expect_rates(r, {0.25, 0.225, 1.0});
  EXPECT_EQ(r.iterations, 2);
  EXPECT_NEAR(r.equity_after[1], -5.5, kExact);
  EXPECT_NEAR(r.equity_after[2], 3.25, kExact);
}

TEST(RogersVeraart, DefaultCostsCauseADefaultEisenbergNoeDoesNot) {
  // A: ea 8, owes B 10. B: ea 0, owes C 5. C: ea 1. alpha = 1/2, beta = 3/4.
  // Eisenberg–Noe: x_A = 8/10; B's equity 8 - 5 = 3 >= 0; B survives.
  // Rogers–Veraart: round 1: D = {A}; x_A = alpha * 8 / 10 = 0.4.
  //   Round 2: B's equity 10 * 0.4 - 5 = -1: D = {A, B}; B realises alpha * 0 + beta * 4 = 3,
  //   x_B = 3/5. Check: C's equity 1 + 5 * 3/5 = 4 >= 0.
  const InterbankNetwork net = network({8, 0, 1}, {0, 0, 0}, {{0, 1, 10}, {1, 2, 5}});
  const ClearingModelResult en = eisenberg_noe(net);
  expect_rates(en, {0.8, 1.0, 1.0});
  EXPECT_EQ(en.defaulted, (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_NEAR(en.equity_after[1], 3.0, kExact);
  const ClearingModelResult rv = rogers_veraart(net, 0.5, 0.75);
  expect_rates(rv, {0.4, 0.6, 1.0});
  EXPECT_EQ(rv.defaulted, (std::vector<std::uint8_t>{1, 1, 0}));
  EXPECT_EQ(rv.iterations, 2);
  EXPECT_NEAR(rv.equity_after[1], -1.0, kExact);
  EXPECT_NEAR(rv.equity_after[2], 4.0, kExact);
}

TEST(RogersVeraart, MutualDefaultersWithDefaultCosts) {
  // EisenbergNoe.MutualDefaultersSolvedTogether with alpha = beta = 1/2, pari passu:
  // x = (0.5 * 1 + 0.5 * 4x) / 6, so 6x = 0.5 + 2x and x = 1/8.
  const InterbankNetwork net = network({1, 1}, {2, 2}, {{0, 1, 4}, {1, 0, 4}});
  expect_rates(rogers_veraart(net, 0.5, 0.5), {0.125, 0.125});
}

TEST(RogersVeraart, GreatestOfSeveralClearingVectors) {
  // The pair that owe each other 1 with nothing else: full payment (equity exactly 0) and
  // nothing at all (each defaults and realises beta * 0 = 0) are both clearing vectors; the
  // greatest is reported.
  const InterbankNetwork net = network({0, 0}, {0, 0}, {{0, 1, 1}, {1, 0, 1}});
  const auto l = dense_liabilities(net);
  EXPECT_EQ(clearing_map(net, l, {0.0, 0.0}, 0.5, 0.5, false), (std::vector<double>{0.0, 0.0}));
  expect_rates(rogers_veraart(net, 0.5, 0.5), {1.0, 1.0});
}

// ---- equity of exactly 0, computed one rounding step below -----------------------------------
// Found by an independent check. A and B owe each other 1 and default; C's only claim is A's debt
// of 2, and C owes D (its external assets 1 pay its external liabilities 1). Every input is a
// binary fraction, and C's equity is exactly 0 at the answer: not a default (docs/plain-network.md).

TEST(EqualToZero, EisenbergNoeDoesNotDefaultANodeWhoseEquityIsZero) {
  // Round 1: D = {A} (equity -2), x_A = 1/3. Round 2: B's equity 0.25 + 1/3 - 1 < 0, D = {A, B}:
  // x_A = x_B / 3, x_B = 0.25 + x_A, so x_A = 1/8, x_B = 3/8. C's equity 1 - 1 + 2/8 - 0.25 = 0.
  // Before: 1/3 is not exact, x_A came out 0.12499999999999997, C's equity -5.6e-17, and C counted
  // as a third default (three rounds).
  const InterbankNetwork net = network({0, 0.25, 1, 0}, {0, 0, 1, 0}, {{0, 1, 1}, {1, 0, 1}, {0, 2, 2}, {2, 3, 0.25}});
  const ClearingModelResult r = eisenberg_noe(net);
  expect_rates(r, {0.125, 0.375, 1.0, 1.0});
  EXPECT_EQ(r.iterations, 2);
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{1, 1, 0, 0}));
}

TEST(EqualToZero, RogersVeraartDoesNotCutTheRateOfANodeWhoseEquityIsZero) {
  // alpha = 1/2, beta = 1, C owes D 1/8: x_A = (0.5 * 0 + x_B) / 3, x_B = 0.5 * 0.25 + x_A, so
  // x_A = 1/16, x_B = 3/16; C's equity 1 - 1 + 2/16 - 1/8 = 0, and C pays D in full.
  // Before: C joined the default set on a rounding step, never left it, and paid D 5/9 (a jump
  // of (1 - alpha) x C's assets), while reported as not defaulted with equity >= 0.
  const InterbankNetwork net = network({0, 0.25, 1, 0}, {0, 0, 1, 0}, {{0, 1, 1}, {1, 0, 1}, {0, 2, 2}, {2, 3, 0.125}});
  const ClearingModelResult r = rogers_veraart(net, 0.5, 1.0);
  expect_rates(r, {0.0625, 0.1875, 1.0, 1.0});
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{1, 1, 0, 0}));
  EXPECT_NEAR(r.equity_after[3], 0.125, kExact);
}

TEST(EqualToZero, TheFixedPointsRunningSumsDoNotDefaultANodeWhoseEquityIsZero) {
  // alpha = 1, beta = 1/2, A's external assets 7/64, C's claim 3 (A owes 4 in all), C owes D
  // 3/16, tolerance 0: x_A = (7/64 + x_B / 2) / 4 and x_B = 1/4 + x_A / 2, so x_A = 1/16 and
  // x_B = 9/32; C's equity 1 - 1 + 3/16 - 3/16 = 0. Before: after 16 sweeps C's running claims
  // ended a rounding step below 3/16 and C paid 0.921 of its debt.
  const InterbankNetwork net =
      network({0.109375, 0.25, 1, 0}, {0, 0, 1, 0}, {{0, 1, 1}, {1, 0, 1}, {0, 2, 3}, {2, 3, 0.1875}});
  const ClearingModelResult r =
      clear_interbank(net, {.alpha = 1.0, .beta = 0.5, .method = ClearingMethod::fixed_point, .tolerance = 0.0});
  expect_rates(r, {0.0625, 0.28125, 1.0, 1.0});
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{1, 1, 0, 0}));
}

TEST(RogersVeraart, RejectsCostsOutsideTheUnitInterval) {
  const InterbankNetwork net = network({1}, {0}, {});
  EXPECT_THROW(rogers_veraart(net, 1.5, 1.0), InternalError);
  EXPECT_THROW(rogers_veraart(net, 1.0, -0.1), InternalError);
  EXPECT_THROW(rogers_veraart(net, std::nan(""), 1.0), InternalError);
}

// ---- Properties on random networks ----------------------------------------------------------

struct Case {
  double alpha;
  double beta;
  ExternalPriority priority;
};

const std::vector<Case> kCases{{1, 1, ExternalPriority::pari_passu},     {1, 1, ExternalPriority::senior},
                               {0.5, 0.9, ExternalPriority::pari_passu}, {0.8, 0.3, ExternalPriority::senior},
                               {0, 0, ExternalPriority::pari_passu},     {1, 0.5, ExternalPriority::senior}};

const std::vector<std::size_t> kSizes{3, 5, 10, 30, 100, 200};

RandomNetworkSpec spec(std::size_t nodes, std::uint64_t seed) {
  // Seeds chosen so that the networks range from no default to most nodes defaulting.
  return {.nodes = nodes,
          .mean_out_degree = 1.0 + static_cast<double>(seed % 4),
          .external_liability_ratio = 0.5 + 0.1 * static_cast<double>(seed % 6),
          .shock_probability = 0.2 + 0.15 * static_cast<double>(seed % 5),
          .shock_max = 1.0,
          .seed = seed};
}

TEST(ClearingProperties, GreatestFixedPointInBoundsWithTheEquityIdentity) {
  int with_defaults = 0;
  for (std::size_t n : kSizes)
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      const InterbankNetwork net = random_network(spec(n, seed));
      const auto l = dense_liabilities(net);
      for (const Case& c : kCases) {
        const bool senior = c.priority == ExternalPriority::senior;
        SCOPED_TRACE("n " + std::to_string(n) + " seed " + std::to_string(seed) + " alpha " + std::to_string(c.alpha) +
                     " beta " + std::to_string(c.beta) + (senior ? " senior" : " pari passu"));
        const ClearingModelResult r = rogers_veraart(net, c.alpha, c.beta, c.priority);
        ASSERT_TRUE(r.converged);
        EXPECT_LE(r.iterations, static_cast<int>(n));  // at most n rounds
        // A fixed point of the map written from the definition, within [0, 1].
        const std::vector<double> mapped = clearing_map(net, l, r.recovery_rate, c.alpha, c.beta, senior);
        for (std::size_t i = 0; i < n; ++i) {
          EXPECT_GE(r.recovery_rate[i], 0.0);
          EXPECT_LE(r.recovery_rate[i], 1.0);
          EXPECT_NEAR(mapped[i], r.recovery_rate[i], kReference) << "node " << i;
        }
        // The greatest: Picard iteration from full payment decreases to it.
        const std::vector<double> picard = picard_from_full_payment(net, c.alpha, c.beta, senior);
        for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(picard[i], r.recovery_rate[i], kReference) << "node " << i;
        // 0 <= p <= Lbar, equity_after from the docs/plain-network.md formula, defaults iff equity < 0.
        for (std::size_t i = 0; i < n; ++i) {
          double claims = 0.0, owed = 0.0;
          for (std::size_t j = 0; j < n; ++j) {
            claims += l[j][i] * r.recovery_rate[j];
            owed += l[i][j];
          }
          EXPECT_GE(r.payment[i], 0.0);
          EXPECT_LE(r.payment[i], owed * (1 + 1e-15));
          EXPECT_NEAR(r.payment[i], r.recovery_rate[i] * owed, 1e-12 * (1 + owed));
          const double equity = net.external_assets[i] - net.shock_loss(static_cast<NodeIdx>(i)) -
                                net.external_liabilities[i] + claims - owed;
          EXPECT_NEAR(r.equity_after[i], equity, 1e-12 * (1 + owed + claims + net.external_assets[i]));
          EXPECT_EQ(r.defaulted[i], r.equity_after[i] < 0.0 ? 1 : 0);
        }
        with_defaults += std::accumulate(r.defaulted.begin(), r.defaulted.end(), 0) > 0;
      }
    }
  EXPECT_GT(with_defaults, 100);  // the cases exercise defaults, not just solvent networks
}

TEST(ClearingProperties, EisenbergNoeMatchesTheSeniorityClearing) {
  // engine/clearing's clear_payments is an independent exact algorithm: external liabilities
  // are obligations to kExternalCreditor, in the interbank class (pari passu) or the secured
  // class above it (senior); its liquid assets are the post-shock external assets.
  for (std::size_t n : kSizes)
    for (std::uint64_t seed = 11; seed <= 16; ++seed)
      for (ExternalPriority priority : {ExternalPriority::pari_passu, ExternalPriority::senior}) {
        const InterbankNetwork net = random_network(spec(n, seed));
        std::vector<double> liquid(n);
        std::vector<Obligation> obligations;
        for (NodeIdx i = 0; i < static_cast<NodeIdx>(n); ++i) {
          liquid[i] = net.shocked_external_assets(i);
          for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k)
            obligations.push_back({.debtor = i, .creditor = net.owed_creditor[k], .amount_usd_bn = net.owed_amount[k]});
          if (net.external_liabilities[i] > 0.0)
            obligations.push_back(
                {.debtor = i,
                 .creditor = kExternalCreditor,
                 .amount_usd_bn = net.external_liabilities[i],
                 .seniority = priority == ExternalPriority::senior ? Seniority::secured : Seniority::senior});
        }
        const ClearingResult reference = clear_payments({.liquid_usd_bn = liquid, .obligations = obligations});
        ASSERT_TRUE(reference.converged);
        std::vector<double> interbank_paid(n, 0.0);
        for (std::size_t o = 0; o < obligations.size(); ++o)
          if (obligations[o].creditor != kExternalCreditor)
            interbank_paid[obligations[o].debtor] += reference.paid_usd_bn[o];
        for (const ClearingMethod method : {ClearingMethod::fictitious_default, ClearingMethod::fixed_point}) {
          const ClearingModelResult r = eisenberg_noe(net, priority, method);
          ASSERT_TRUE(r.converged);
          for (std::size_t i = 0; i < n; ++i)
            EXPECT_NEAR(r.payment[i], interbank_paid[i], kReference * (1 + net.interbank_liabilities[i]))
                << "n " << n << " seed " << seed << " node " << i << " " << to_string(priority) << " "
                << to_string(method);
        }
      }
}

TEST(ClearingProperties, RogersVeraartWithoutCostsIsEisenbergNoe) {
  // alpha = beta = 1 through the Rogers–Veraart entry point and the fixed-point method against
  // Eisenberg–Noe by fictitious default, to 1e-12.
  for (std::size_t n : kSizes)
    for (std::uint64_t seed = 21; seed <= 26; ++seed)
      for (ExternalPriority priority : {ExternalPriority::pari_passu, ExternalPriority::senior}) {
        const InterbankNetwork net = random_network(spec(n, seed));
        const ClearingModelResult en = eisenberg_noe(net, priority);
        const ClearingModelResult rv = rogers_veraart(net, 1.0, 1.0, priority, ClearingMethod::fixed_point);
        EXPECT_EQ(rv.defaulted, en.defaulted);
        for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(rv.recovery_rate[i], en.recovery_rate[i], 1e-12);
      }
}

TEST(ClearingProperties, MethodsAgreeWithDefaultCosts) {
  for (std::size_t n : kSizes)
    for (std::uint64_t seed = 31; seed <= 36; ++seed)
      for (const Case& c : kCases) {
        const InterbankNetwork net = random_network(spec(n, seed));
        const ClearingModelResult exact = rogers_veraart(net, c.alpha, c.beta, c.priority);
        const ClearingModelResult iterative =
            rogers_veraart(net, c.alpha, c.beta, c.priority, ClearingMethod::fixed_point);
        ASSERT_TRUE(iterative.converged);
        EXPECT_EQ(iterative.defaulted, exact.defaulted);
        for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(iterative.recovery_rate[i], exact.recovery_rate[i], kReference);
      }
}

TEST(ClearingProperties, MonotoneInShockAndCosts) {
  // Phi decreases when external assets fall or alpha, beta fall, so the greatest fixed point
  // does too (Tarski): recovery rates and equities can only go down.
  for (std::size_t n : {10u, 100u})
    for (std::uint64_t seed = 41; seed <= 46; ++seed) {
      RandomNetworkSpec s = spec(n, seed);
      const InterbankNetwork base = random_network(s);
      InterbankNetwork harder = base;
      for (double& f : harder.shock_fraction) f = std::min(1.0, f + 0.2);
      for (ExternalPriority priority : {ExternalPriority::pari_passu, ExternalPriority::senior}) {
        const ClearingModelResult a = rogers_veraart(base, 0.7, 0.8, priority);
        const ClearingModelResult shocked = rogers_veraart(harder, 0.7, 0.8, priority);
        const ClearingModelResult costlier = rogers_veraart(base, 0.5, 0.6, priority);
        for (std::size_t i = 0; i < n; ++i) {
          EXPECT_LE(shocked.recovery_rate[i], a.recovery_rate[i] + 1e-12);
          EXPECT_LE(shocked.equity_after[i], a.equity_after[i] + 1e-9);
          EXPECT_LE(costlier.recovery_rate[i], a.recovery_rate[i] + 1e-12);
        }
      }
    }
}

TEST(ClearingProperties, LargeDefaultSetsUseTheIterativeRoundSolve) {
  // More defaulters than kDenseSolveMaxUnknowns: rounds solve by projected Gauss–Seidel; the
  // answer still matches the fixed-point method.
  RandomNetworkSpec s{.nodes = 1500,
                      .mean_out_degree = 4,
                      .external_liability_ratio = 1.0,
                      .shock_probability = 0.9,
                      .shock_max = 1.0,
                      .seed = 7};
  const InterbankNetwork net = random_network(s);
  for (ExternalPriority priority : {ExternalPriority::pari_passu, ExternalPriority::senior}) {
    const ClearingModelResult exact = rogers_veraart(net, 0.9, 0.9, priority);
    const ClearingModelResult iterative = rogers_veraart(net, 0.9, 0.9, priority, ClearingMethod::fixed_point);
    const int defaults = std::accumulate(exact.defaulted.begin(), exact.defaulted.end(), 0);
    EXPECT_GT(defaults, static_cast<int>(kDenseSolveMaxUnknowns));
    EXPECT_TRUE(exact.converged);
    EXPECT_EQ(exact.defaulted, iterative.defaulted);
    for (std::size_t i = 0; i < net.size(); ++i)
      EXPECT_NEAR(exact.recovery_rate[i], iterative.recovery_rate[i], kReference);
  }
}

TEST(ClearingProperties, ALargeNearlyClosedRingIsSolvedExactly) {
  // 600 nodes in a ring (more unknowns than kDenseSolveMaxUnknowns), node i owing node i - 1 an
  // amount 1, each with ea = 0.5e-6 and el = 1e-6: every node defaults in round 1. By hand,
  // pari passu, with all rates x equal: x (1 + 1e-6) = 0.5e-6 + x, so x = 0.5. Senior:
  // x = clamp(0.5e-6 + x - 1e-6, 0, 1) has only x = 0. The system's spectral radius is
  // 1 / (1 + 1e-6): Gauss–Seidel moves the rates by about 1e-6 of their error per sweep, and
  // rounds solved by sweeps alone stopped at 0.952 (pari passu), not converged.
  constexpr std::size_t kNodes = 600;
  std::vector<std::string> ids;
  std::vector<Liability> ring;
  for (std::size_t i = 0; i < kNodes; ++i) {
    ids.push_back("n" + std::to_string(i));
    ring.push_back({static_cast<NodeIdx>(i), static_cast<NodeIdx>((i + kNodes - 1) % kNodes), 1.0});
  }
  const InterbankNetwork net =
      make_interbank_network(ids, std::vector<double>(kNodes, 0.5e-6), std::vector<double>(kNodes, 1e-6),
                             std::vector<double>(kNodes, 0.0), ring);
  const ClearingModelResult pari_passu = eisenberg_noe(net);
  EXPECT_TRUE(pari_passu.converged);
  EXPECT_EQ(pari_passu.iterations, 1);
  // Gaussian elimination on a system whose condition number is about 1e6: 1e-9 is ample.
  expect_rates(pari_passu, std::vector<double>(kNodes, 0.5), 1e-9);
  const ClearingModelResult senior = eisenberg_noe(net, ExternalPriority::senior);
  EXPECT_TRUE(senior.converged);
  expect_rates(senior, std::vector<double>(kNodes, 0.0), kExact);
}

TEST(ClearingProperties, AutomaticMethodFollowsTheSize) {
  EXPECT_EQ(
      eisenberg_noe(random_network({.nodes = 50}), ExternalPriority::pari_passu, ClearingMethod::automatic).method,
      ClearingMethod::fictitious_default);
  const InterbankNetwork big = random_network({.nodes = kAutoFixedPointAboveInstitutions + 1, .seed = 3});
  EXPECT_EQ(eisenberg_noe(big, ExternalPriority::pari_passu, ClearingMethod::automatic).method,
            ClearingMethod::fixed_point);
}

TEST(ClearingProperties, ReportsNonConvergenceAtTheIterationCap) {
  const InterbankNetwork net = random_network(
      {.nodes = 200, .mean_out_degree = 5, .external_liability_ratio = 1.0, .shock_probability = 1.0, .seed = 5});
  const ClearingModelResult r =
      clear_interbank(net, {.method = ClearingMethod::fixed_point, .tolerance = 0.0, .max_iterations = 2});
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 2);
}

TEST(ClearingScale, HundredThousandNodesMillionEdges) {
  // 10^5 institutions, 10 liabilities each: the automatic method is the fixed point, one
  // streaming pass over the edges per sweep. Must stay well inside the fast suite's budget.
  const auto start = std::chrono::steady_clock::now();
  const InterbankNetwork net = random_network(
      {.nodes = 100'000, .mean_out_degree = 10, .external_liability_ratio = 0.9, .shock_probability = 0.5, .seed = 99});
  const auto built = std::chrono::steady_clock::now();
  const ClearingModelResult r = eisenberg_noe(net, ExternalPriority::pari_passu, ClearingMethod::automatic);
  const auto cleared = std::chrono::steady_clock::now();
  EXPECT_EQ(r.method, ClearingMethod::fixed_point);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(net.edge_rows, 1'000'000u);
  // Spot-check the fixed point on a sample of nodes (Phi_i needs only node i's claims).
  for (NodeIdx i = 0; i < net.size(); i += 997) {
    const double claims = net.claims_value(i, r.recovery_rate);
    const double equity = net.equity_from_claims(i, claims);
    const double expected = equity >= 0.0 ? 1.0
                                          : (net.shocked_external_assets(i) + claims) /
                                                (net.external_liabilities[i] + net.interbank_liabilities[i]);
    EXPECT_NEAR(r.recovery_rate[i], expected, kReference);
  }
  const double clear_seconds = std::chrono::duration<double>(cleared - built).count();
  std::cout << "[ timing ] 1e5 nodes, 1e6 edges: build " << std::chrono::duration<double>(built - start).count()
            << " s, clear " << clear_seconds << " s (" << r.iterations << " sweeps)\n";
  if (!CASCADE_SANITIZED) {  // sanitizers slow every load and store
    EXPECT_LT(clear_seconds, 5.0);
  }
}

}  // namespace
}  // namespace cascade::contagion
