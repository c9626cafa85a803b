// Tests of clear_payments: hand-computed Eisenberg-Noe and seniority examples (each expected
// number is derived in a comment), bad engine input, and property tests on random networks
// against an independent implementation of the clearing map and plain Picard iteration.
#include "engine/clearing/clearing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "engine/core/diagnostics.h"

namespace cascade {
namespace {

constexpr double kExact = 1e-12;  // hand-computed examples: exact up to round-off

Obligation owe(FirmIdx debtor, FirmIdx creditor, double amount_usd_bn, Seniority seniority = Seniority::senior) {
  return Obligation{.debtor = debtor, .creditor = creditor, .amount_usd_bn = amount_usd_bn, .seniority = seniority};
}

ClearingResult clear(const std::vector<double>& liquid_usd_bn, const std::vector<Obligation>& obligations) {
  return clear_payments({.liquid_usd_bn = liquid_usd_bn, .obligations = obligations});
}

// ---- An independent reference: the clearing map written from its definition -------------

/// What each obligation receives when firm j pays firm_paid[j] in total: classes in seniority
/// order, pro rata within a class.
std::vector<double> allocate(std::size_t firms, const std::vector<Obligation>& obligations,
                             const std::vector<double>& firm_paid) {
  std::vector<double> class_due(firms * kSeniorityCount, 0.0);
  for (const Obligation& o : obligations)
    class_due[o.debtor * kSeniorityCount + static_cast<std::size_t>(o.seniority)] += o.amount_usd_bn;
  std::vector<double> paid(obligations.size(), 0.0);
  for (std::size_t k = 0; k < obligations.size(); ++k) {
    const Obligation& o = obligations[k];
    double senior_due = 0.0;
    for (std::size_t c = 0; c < static_cast<std::size_t>(o.seniority); ++c) senior_due += class_due[o.debtor * kSeniorityCount + c];
    const double due = class_due[o.debtor * kSeniorityCount + static_cast<std::size_t>(o.seniority)];
    if (due > 0.0) paid[k] = std::clamp(firm_paid[o.debtor] - senior_due, 0.0, due) * o.amount_usd_bn / due;
  }
  return paid;
}

std::vector<double> due_by_firm(std::size_t firms, const std::vector<Obligation>& obligations) {
  std::vector<double> due(firms, 0.0);
  for (const Obligation& o : obligations) due[o.debtor] += o.amount_usd_bn;
  return due;
}

/// Phi(P)_i = min(due_i, liquid_i + received_i(P)).
std::vector<double> clearing_map(const std::vector<double>& liquid, const std::vector<Obligation>& obligations,
                                 const std::vector<double>& firm_paid) {
  const std::vector<double> paid = allocate(liquid.size(), obligations, firm_paid);
  const std::vector<double> due = due_by_firm(liquid.size(), obligations);
  std::vector<double> value = liquid;
  for (std::size_t k = 0; k < obligations.size(); ++k)
    if (obligations[k].creditor != kExternalCreditor) value[obligations[k].creditor] += paid[k];
  std::vector<double> next(liquid.size());
  for (std::size_t i = 0; i < liquid.size(); ++i) next[i] = std::min(due[i], value[i]);
  return next;
}

double largest(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
}

/// Picard iteration from full payment: decreases to the greatest clearing vector. Stops when
/// no payment moves by more than 1e-15 of the largest due.
std::vector<double> picard_from_full_payment(const std::vector<double>& liquid, const std::vector<Obligation>& obligations,
                                             bool& converged) {
  std::vector<double> paid = due_by_firm(liquid.size(), obligations);
  const double step = 1e-15 * largest(paid);
  converged = false;
  for (int iteration = 0; iteration < 1'000'000 && !converged; ++iteration) {
    const std::vector<double> next = clearing_map(liquid, obligations, paid);
    double change = 0.0;
    for (std::size_t i = 0; i < paid.size(); ++i) change = std::max(change, std::abs(next[i] - paid[i]));
    converged = change <= step;
    paid = next;
  }
  return paid;
}

// ---- Eisenberg & Noe (2001), single class, small networks computed by hand --------------

TEST(ClearPayments, CycleWithCashPaysInFull) {
  // A -> B -> C -> A, 10 each, every firm holds 5: each receives 10 and owes 10, so paying in
  // full is feasible (v_i = 5 + 10 >= 10) and it is the greatest fixed point.
  const std::vector<double> liquid = {5, 5, 5};
  const std::vector<Obligation> due = {owe(0, 1, 10), owe(1, 2, 10), owe(2, 0, 10)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(r.paid_usd_bn[k], 10.0, kExact);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(r.received_usd_bn[i], 10.0, kExact);
    EXPECT_EQ(r.short_of_cash[i], 0);
  }
  EXPECT_EQ(r.iterations, 1);
}

TEST(ClearPayments, CycleWithoutCashNetsOutAtTheGreatestClearingVector) {
  // The same cycle with no cash at all. Every p in [0, 10] paid by all three is a fixed point
  // (v_i = 0 + p, min(10, p) = p): p = 0 is the least clearing vector, p = 10 the greatest.
  // Simultaneous settlement nets the cycle out: all pay 10.
  const std::vector<double> liquid = {0, 0, 0};
  const std::vector<Obligation> due = {owe(0, 1, 10), owe(1, 2, 10), owe(2, 0, 10)};
  ASSERT_EQ(clearing_map(liquid, due, {0, 0, 0}), (std::vector<double>{0, 0, 0}));  // the least one
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(r.paid_usd_bn[k], 10.0, kExact);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(r.short_of_cash[i], 0);
}

TEST(ClearPayments, ChainDefaultsInSequence) {
  // A owes B 10, B owes C 10, C owes the outside world 10; cash A 4, B 3, C 2.
  // A pays its 4; B has 3 + 4 = 7 and pays 7; C has 2 + 7 = 9 and pays 9. All three default,
  // each because of the one before it (Furfine-style sequence, settled at once).
  const std::vector<double> liquid = {4, 3, 2};
  const std::vector<Obligation> due = {owe(0, 1, 10), owe(1, 2, 10), owe(2, kExternalCreditor, 10)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_usd_bn[0], 4.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[1], 7.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[2], 9.0, kExact);
  EXPECT_EQ(r.short_of_cash, (std::vector<std::uint8_t>{1, 1, 1}));
  EXPECT_NEAR(r.received_usd_bn[2], 7.0, kExact);
  EXPECT_LE(r.iterations, 3);  // fictitious default: at most one round per firm
}

TEST(ClearPayments, TriggeredDefaultFeedsBackThroughSeveralRounds) {
  // A (cash 2) owes B 10 and the outside 10; B (cash 1) owes A 8 and C 4; C (cash 3) owes A 6.
  // Full payment: v_A = 2 + 8 + 6 = 16 < 20 and v_B = 1 + 10 = 11 < 12 default; v_C = 3 + 4 = 7
  // >= 6 looks safe.
  // Round 1, A and B defaulting, C paying 6:  P_A = 2 + 6 + (8/12) P_B,  P_B = 1 + (10/20) P_A
  //   => P_A = 8 + 2/3 + P_A / 3 => P_A = 13, P_B = 7.5. Then C gets (4/12) 7.5 = 2.5 and has
  //   3 + 2.5 = 5.5 < 6: C defaults too, triggered by B's default.
  // Round 2, all three defaulting:  P_A = 2 + (2/3) P_B + P_C,  P_B = 1 + P_A / 2,
  //   P_C = 3 + P_B / 3 = 10/3 + P_A / 6  =>  P_A = 2 + 2/3 + P_A/3 + 10/3 + P_A/6 = 6 + P_A/2
  //   => P_A = 12, P_B = 7, P_C = 3 + 7/3 = 16/3.
  // Check: v_A = 2 + (2/3) 7 + 16/3 = 12 < 20, v_B = 1 + 6 = 7 < 12, v_C = 16/3 < 6.
  const std::vector<double> liquid = {2, 1, 3};
  const std::vector<Obligation> due = {owe(0, 1, 10), owe(0, kExternalCreditor, 10), owe(1, 0, 8), owe(1, 2, 4),
                                       owe(2, 0, 6)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[0], 12.0, kExact);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[1], 7.0, kExact);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[2], 16.0 / 3.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[0], 6.0, kExact);         // A -> B: half of 12
  EXPECT_NEAR(r.paid_usd_bn[1], 6.0, kExact);         // A -> outside
  EXPECT_NEAR(r.paid_usd_bn[2], 14.0 / 3.0, kExact);  // B -> A: 8/12 of 7
  EXPECT_NEAR(r.paid_usd_bn[3], 7.0 / 3.0, kExact);   // B -> C: 4/12 of 7
  EXPECT_NEAR(r.paid_usd_bn[4], 16.0 / 3.0, kExact);  // C -> A
  EXPECT_EQ(r.short_of_cash, (std::vector<std::uint8_t>{1, 1, 1}));
  EXPECT_EQ(r.iterations, 2);
}

TEST(ClearPayments, ExternalCreditorsAreSinks) {
  // A (cash 5) owes the outside 8 and B 2, same class: it pays 5 pro rata, 4 out and 1 to B.
  // B (cash 0) owes the outside 3 and pays the 1 it received. 5 leaves the system in total.
  const std::vector<double> liquid = {5, 0};
  const std::vector<Obligation> due = {owe(0, kExternalCreditor, 8), owe(0, 1, 2), owe(1, kExternalCreditor, 3)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_usd_bn[0], 4.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[1], 1.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[2], 1.0, kExact);
  EXPECT_NEAR(r.received_usd_bn[0], 0.0, kExact);
  EXPECT_NEAR(r.received_usd_bn[1], 1.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[0] + r.paid_usd_bn[2], 5.0, kExact);
}

// ---- Seniority classes (Elsinger 2009) ---------------------------------------------------

TEST(ClearPayments, PaysClassesInSeniorityOrder) {
  // F (cash 10) owes X 6 secured, Y 8 senior, Z 3 subordinated: secured 6 in full, senior gets
  // the remaining 4, subordinated nothing.
  const std::vector<double> liquid = {10, 0, 0, 0};
  const std::vector<Obligation> due = {owe(0, 3, 3, Seniority::subordinated), owe(0, 2, 8, Seniority::senior),
                                       owe(0, 1, 6, Seniority::secured)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_usd_bn[0], 0.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[1], 4.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[2], 6.0, kExact);
  EXPECT_NEAR(r.received_usd_bn[1], 6.0, kExact);
  EXPECT_NEAR(r.received_usd_bn[2], 4.0, kExact);
  EXPECT_NEAR(r.due_by_firm_usd_bn[0], 17.0, kExact);
  EXPECT_EQ(r.short_of_cash[0], 1);
}

TEST(ClearPayments, SharesPartialClassProRata) {
  // F (cash 9) owes Z 3 secured, X 6 senior, Y 12 senior: secured 3, then 6 left for the senior
  // class of 18, a third of it: X gets 2, Y gets 4.
  const std::vector<double> liquid = {9, 0, 0, 0};
  const std::vector<Obligation> due = {owe(0, 3, 3, Seniority::secured), owe(0, 1, 6), owe(0, 2, 12)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_usd_bn[0], 3.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[1], 2.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[2], 4.0, kExact);
}

TEST(ClearPayments, EquityClassIsPaidLast) {
  // F (cash 20) owes 5 senior out, 10 subordinated to X, 10 equity to Y: 5 + 10 in full, the
  // equity class gets the remaining 5.
  const std::vector<double> liquid = {20, 0, 0};
  const std::vector<Obligation> due = {owe(0, 2, 10, Seniority::equity), owe(0, kExternalCreditor, 5),
                                       owe(0, 1, 10, Seniority::subordinated)};
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_usd_bn[0], 5.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[1], 5.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[2], 10.0, kExact);
}

TEST(ClearPayments, ShortfallOnSeniorClassesDoesNotUndershootTheGreatestVector) {
  // A (cash 0) owes B 7 subordinated. B (cash 2) owes C 11 senior and, subordinated, A 6 and
  // C 1. C (cash 4) owes the outside 6 senior and B 4 subordinated.
  // Greatest clearing vector P = (A 0, B 6, C 10):
  //   B pays 6 < 11, all to its senior class (C); A receives nothing from B and pays 0;
  //   C has 4 + 6 = 10 = its due and pays in full (6 out, 4 to B); B has 2 + 4 + 0 = 6. Fixed.
  //   Nothing larger is: B paying more than 11 would need A to pay B, and A's money can only
  //   come from B's subordinated class: P_B = 6 + (6/7)(P_B - 11) has no solution above 11; so
  //   A pays 0 and P_B <= 2 + 4.
  // The least clearing vector is (0, 2, 6): B pays its 2 to C, C has 6 and pays its senior 6
  // out, nothing to B. The plain fictitious-default rule, started from full payment with B in
  // its subordinated band, puts B's shortfall on its subordinated creditors (a negative
  // payment to C) and slides down to that least vector; the rounds must not.
  const std::vector<double> liquid = {0, 2, 4};
  const std::vector<Obligation> due = {owe(0, 1, 7, Seniority::subordinated), owe(2, 1, 4, Seniority::subordinated),
                                       owe(1, 0, 6, Seniority::subordinated), owe(1, 2, 11, Seniority::senior),
                                       owe(1, 2, 1, Seniority::subordinated), owe(2, kExternalCreditor, 6)};
  ASSERT_EQ(clearing_map(liquid, due, {0, 2, 6}), (std::vector<double>{0, 2, 6}));  // the least one
  const ClearingResult r = clear(liquid, due);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[0], 0.0, kExact);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[1], 6.0, kExact);
  EXPECT_NEAR(r.paid_by_firm_usd_bn[2], 10.0, kExact);
  EXPECT_NEAR(r.paid_usd_bn[3], 6.0, kExact);  // B -> C senior
  EXPECT_NEAR(r.paid_usd_bn[1], 4.0, kExact);  // C -> B subordinated, in full
  EXPECT_EQ(r.short_of_cash, (std::vector<std::uint8_t>{1, 1, 0}));
}

// ---- Edge cases and the workspace ---------------------------------------------------------

TEST(ClearPayments, HandlesEmptyAndZeroInputs) {
  const ClearingResult empty = clear({}, {});
  EXPECT_TRUE(empty.converged);
  EXPECT_TRUE(empty.paid_usd_bn.empty());
  EXPECT_TRUE(empty.paid_by_firm_usd_bn.empty());

  // Zero-amount obligations are ignored; a firm that owes nothing is never short of cash.
  const ClearingResult zero = clear({0, 0}, {owe(0, 1, 0), owe(1, kExternalCreditor, 0, Seniority::secured)});
  EXPECT_TRUE(zero.converged);
  EXPECT_EQ(zero.paid_usd_bn, (std::vector<double>{0, 0}));
  EXPECT_EQ(zero.short_of_cash, (std::vector<std::uint8_t>{0, 0}));
}

TEST(ClearPayments, WorkspaceReuseGivesTheSameResults) {
  ClearingWorkspace workspace;
  ClearingResult reused;
  const std::vector<double> small_liquid = {2, 1, 3};
  const std::vector<Obligation> small = {owe(0, 1, 10), owe(0, kExternalCreditor, 10), owe(1, 0, 8), owe(1, 2, 4),
                                         owe(2, 0, 6)};
  const std::vector<double> large_liquid = {0, 2, 4, 7, 1};
  const std::vector<Obligation> large = {owe(0, 1, 7, Seniority::subordinated), owe(2, 1, 4, Seniority::subordinated),
                                         owe(1, 0, 6, Seniority::subordinated), owe(1, 2, 11),
                                         owe(3, 4, 9, Seniority::secured), owe(4, 3, 2)};
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [liquid, due] : {std::pair{&small_liquid, &small}, std::pair{&large_liquid, &large}}) {
      clear_payments({.liquid_usd_bn = *liquid, .obligations = *due}, workspace, reused);
      const ClearingResult fresh = clear(*liquid, *due);
      EXPECT_EQ(reused.paid_usd_bn, fresh.paid_usd_bn);
      EXPECT_EQ(reused.received_usd_bn, fresh.received_usd_bn);
      EXPECT_EQ(reused.short_of_cash, fresh.short_of_cash);
      EXPECT_EQ(reused.iterations, fresh.iterations);
    }
  }
}

TEST(ClearPayments, RejectsBrokenEngineInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> liquid = {1, 1};
  auto throws = [&](std::vector<double> cash, std::vector<Obligation> due) {
    EXPECT_THROW(clear(cash, due), InternalError);
  };
  throws(liquid, {owe(2, 0, 1)});                       // debtor out of range
  throws(liquid, {owe(0, 2, 1)});                       // creditor neither a firm nor external
  throws(liquid, {owe(0, 0, 1)});                       // a firm owing itself
  throws(liquid, {owe(0, 1, -1)});                      // negative amount
  throws(liquid, {owe(0, 1, nan)});                     // non-finite amount
  throws(liquid, {owe(0, 1, inf)});
  throws(liquid, {owe(0, 1, 1, static_cast<Seniority>(7))});  // not a class
  throws({1, -1}, {owe(0, 1, 1)});                      // negative cash
  throws({1, nan}, {owe(0, 1, 1)});
  throws({inf, 1}, {owe(0, 1, 1)});
  throws(liquid, {owe(0, 1, std::numeric_limits<double>::max()), owe(0, 1, std::numeric_limits<double>::max())});
  const std::vector<Obligation> fine = {owe(0, 1, 1)};
  EXPECT_THROW(clear_payments({.liquid_usd_bn = liquid, .obligations = fine, .tolerance = -1}), InternalError);
  EXPECT_THROW(clear_payments({.liquid_usd_bn = liquid, .obligations = fine, .max_iterations = 0}), InternalError);
}

// ---- Properties on random networks ---------------------------------------------------------

/// A deterministic uniform double in [0, 1) from a 64-bit engine (portable across libraries).
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

struct Network {
  std::vector<double> liquid;
  std::vector<Obligation> obligations;
};

/// 2-60 firms, n to 4n obligations, 15% of them to the outside world, random classes (or all
/// senior), 30% of firms without cash.
Network random_network(std::mt19937_64& rng, bool with_seniority) {
  Network net;
  const std::size_t firms = 2 + rng() % 59;
  for (std::size_t i = 0; i < firms; ++i) net.liquid.push_back(uniform(rng) < 0.3 ? 0.0 : 5.0 * uniform(rng));
  const std::size_t count = firms + rng() % (3 * firms);
  while (net.obligations.size() < count) {
    const auto debtor = static_cast<FirmIdx>(rng() % firms);
    const FirmIdx creditor = uniform(rng) < 0.15 ? kExternalCreditor : static_cast<FirmIdx>(rng() % firms);
    if (creditor == debtor) continue;
    const auto seniority = with_seniority ? static_cast<Seniority>(rng() % kSeniorityCount) : Seniority::senior;
    net.obligations.push_back(owe(debtor, creditor, 10.0 * uniform(rng), seniority));
  }
  return net;
}

/// Checks the clearing vector of one network: a fixed point, within bounds, conserving money,
/// and equal to the limit of Picard iteration from full payment (the greatest fixed point).
void expect_greatest_clearing_vector(const Network& net, const ClearingResult& r) {
  const std::size_t firms = net.liquid.size();
  const std::vector<double> due = due_by_firm(firms, net.obligations);
  const double scale = std::max(1.0, largest(due));
  const double tolerance = 1e-9 * scale;
  ASSERT_TRUE(r.converged);
  ASSERT_EQ(r.paid_usd_bn.size(), net.obligations.size());
  ASSERT_EQ(r.paid_by_firm_usd_bn.size(), firms);

  for (std::size_t k = 0; k < net.obligations.size(); ++k) {
    EXPECT_GE(r.paid_usd_bn[k], 0.0);
    EXPECT_LE(r.paid_usd_bn[k], net.obligations[k].amount_usd_bn * (1 + 1e-12));
  }
  // The allocation of the firm totals is the per-obligation result.
  const std::vector<double> allocated = allocate(firms, net.obligations, r.paid_by_firm_usd_bn);
  for (std::size_t k = 0; k < allocated.size(); ++k) EXPECT_NEAR(allocated[k], r.paid_usd_bn[k], tolerance);

  const std::vector<double> next = clearing_map(net.liquid, net.obligations, r.paid_by_firm_usd_bn);
  double paid_out = 0.0;
  for (std::size_t k = 0; k < net.obligations.size(); ++k)
    if (net.obligations[k].creditor == kExternalCreditor) paid_out += r.paid_usd_bn[k];
  double cash_before = 0.0;
  double cash_after = 0.0;
  for (std::size_t i = 0; i < firms; ++i) {
    EXPECT_NEAR(next[i], r.paid_by_firm_usd_bn[i], tolerance) << "not a fixed point at firm " << i;
    EXPECT_NEAR(r.paid_by_firm_usd_bn[i], std::min(due[i], net.liquid[i] + r.received_usd_bn[i]), tolerance);
    EXPECT_NEAR(r.due_by_firm_usd_bn[i], due[i], 1e-12 * scale);
    EXPECT_EQ(r.short_of_cash[i], r.paid_by_firm_usd_bn[i] < due[i] - 1e-12 * due[i] ? 1 : 0);
    cash_before += net.liquid[i];
    cash_after += net.liquid[i] - r.paid_by_firm_usd_bn[i] + r.received_usd_bn[i];
  }
  EXPECT_NEAR(cash_before, cash_after + paid_out, 1e-9 * std::max(1.0, cash_before));

  bool picard_converged = false;
  const std::vector<double> greatest = picard_from_full_payment(net.liquid, net.obligations, picard_converged);
  ASSERT_TRUE(picard_converged);
  for (std::size_t i = 0; i < firms; ++i)
    EXPECT_NEAR(r.paid_by_firm_usd_bn[i], greatest[i], tolerance) << "not the greatest clearing vector at firm " << i;
}

TEST(ClearPaymentsProperties, RandomNetworksWithSeniorityClearAtTheGreatestFixedPoint) {
  std::mt19937_64 rng(20240611);
  for (int network = 0; network < 200; ++network) {
    SCOPED_TRACE(network);
    const Network net = random_network(rng, true);
    expect_greatest_clearing_vector(net, clear(net.liquid, net.obligations));
  }
}

TEST(ClearPaymentsProperties, SingleClassIsEisenbergNoeWithAtMostOneRoundPerFirm) {
  std::mt19937_64 rng(7);
  for (int network = 0; network < 200; ++network) {
    SCOPED_TRACE(network);
    const Network net = random_network(rng, false);
    const ClearingResult r = clear(net.liquid, net.obligations);
    expect_greatest_clearing_vector(net, r);
    EXPECT_LE(static_cast<std::size_t>(r.iterations), net.liquid.size() + 1);
  }
}

TEST(ClearPaymentsProperties, LargeNetworkSolvedIterativelyMatchesPicard) {
  // More partially paying firms than the dense solver takes: the rounds use Gauss-Seidel.
  std::mt19937_64 rng(99);
  Network net;
  const std::size_t firms = 1500;
  for (std::size_t i = 0; i < firms; ++i) net.liquid.push_back(uniform(rng) < 0.3 ? 0.0 : 3.0 * uniform(rng));
  while (net.obligations.size() < 4 * firms) {
    const auto debtor = static_cast<FirmIdx>(rng() % firms);
    const FirmIdx creditor = uniform(rng) < 0.1 ? kExternalCreditor : static_cast<FirmIdx>(rng() % firms);
    if (creditor == debtor) continue;
    net.obligations.push_back(owe(debtor, creditor, 3.0 * uniform(rng), static_cast<Seniority>(rng() % kSeniorityCount)));
  }
  const ClearingResult r = clear(net.liquid, net.obligations);
  EXPECT_GT(std::count(r.short_of_cash.begin(), r.short_of_cash.end(), std::uint8_t{1}), 600);
  expect_greatest_clearing_vector(net, r);
}

}  // namespace
}  // namespace cascade
