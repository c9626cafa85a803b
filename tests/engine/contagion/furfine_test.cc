// Furfine (2003) sequential defaults: rounds computed by hand, and the invariants of the
// cascade on random networks.
#include "engine/contagion/furfine.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/contagion/clearing_models.h"
#include "engine/core/diagnostics.h"
#include "tests/engine/contagion/random_network.h"

namespace cascade::contagion {
namespace {

constexpr double kExact = 1e-12;

/// A owes B 10, B owes C 10. External assets A 12, B 5, C 2; A loses half of its external
/// assets. Equity before: A 12 - 10 = 2, B 5 + 10 - 10 = 5, C 2 + 10 = 12.
InterbankNetwork chain() {
  return make_interbank_network({"A", "B", "C"}, {12, 5, 2}, {0, 0, 0}, {0.5, 0, 0},
                                std::vector<Liability>{{0, 1, 10}, {1, 2, 10}});
}

TEST(Furfine, RoundsByHand) {
  // Recovery 0.4. Round 0: A's post-shock equity 2 - 6 = -4 <= 0: A defaults.
  // Round 1: B loses (1 - 0.4) * 10 = 6 on A: equity 5 - 6 = -1 <= 0: B defaults.
  // Round 2: C loses 6 on B: equity 12 - 6 = 6 > 0. No new default: two rounds had defaults.
  const FurfineResult r = furfine_cascade(chain(), {.recovery = 0.4});
  EXPECT_EQ(r.default_round, (std::vector<int>{0, 1, -1}));
  EXPECT_EQ(r.defaulted, (std::vector<std::uint8_t>{1, 1, 0}));
  EXPECT_EQ(r.rounds, 2);
  EXPECT_NEAR(r.equity_after[0], 6 - 10.0, kExact);
  EXPECT_NEAR(r.equity_after[1], 5 + 4 - 10.0, kExact);
  EXPECT_NEAR(r.equity_after[2], 2 + 4.0, kExact);
  EXPECT_EQ(r.recovery_rate, (std::vector<double>{0.4, 0.4, 1.0}));
  EXPECT_NEAR(r.payment[0], 4.0, kExact);
  EXPECT_EQ(r.payment[2], 0.0);
}

TEST(Furfine, ZeroEquityIsADefault) {
  // Recovery 0.5: B loses exactly 5 and is left with equity 0, which counts as a default;
  // C loses 5 in round 2 (equity 7).
  const FurfineResult r = furfine_cascade(chain(), {.recovery = 0.5});
  EXPECT_EQ(r.default_round, (std::vector<int>{0, 1, -1}));
  EXPECT_EQ(r.equity_after[1], 0.0);
  EXPECT_NEAR(r.equity_after[2], 7.0, kExact);
  // Clearing differs: Eisenberg–Noe pays A's whole 6 to B (x_A = 0.6), B keeps equity 1.
  const ClearingModelResult en = clear_interbank(chain(), {});
  EXPECT_EQ(en.defaulted, (std::vector<std::uint8_t>{1, 0, 0}));
}

TEST(Furfine, FullRecoveryStopsAtRoundZero) {
  const FurfineResult r = furfine_cascade(chain(), {.recovery = 1.0});
  EXPECT_EQ(r.default_round, (std::vector<int>{0, -1, -1}));
  EXPECT_EQ(r.rounds, 1);
  EXPECT_NEAR(r.equity_after[1], 5.0, kExact);
}

TEST(Furfine, NoShockNoDefault) {
  InterbankNetwork net = chain();
  net.shock_fraction.assign(3, 0.0);
  const FurfineResult r = furfine_cascade(net, {});
  EXPECT_EQ(r.rounds, 0);
  EXPECT_EQ(r.default_round, (std::vector<int>{-1, -1, -1}));
}

TEST(Furfine, CreditorOfDefaultersInSeveralRounds) {
  // A owes B 10 and D 3; B owes C 10 and D 3. External assets A 12 (half lost), B 8, C 2, D 2.
  // Recovery 0. Round 0: A's equity 6 - 13 = -7: A defaults.
  // Round 1: B loses its 10 on A: 8 - 13 = -5, defaults; D loses 3 on A: 2 + 3 = 5 > 0.
  // Round 2: C loses its 10 on B: 2 > 0; D loses its 3 on B: 2 > 0. Rounds with defaults: 2.
  const InterbankNetwork net =
      make_interbank_network({"A", "B", "C", "D"}, {12, 8, 2, 2}, {0, 0, 0, 0}, {0.5, 0, 0, 0},
                             std::vector<Liability>{{0, 1, 10}, {0, 3, 3}, {1, 2, 10}, {1, 3, 3}});
  const FurfineResult r = furfine_cascade(net, {.recovery = 0.0});
  EXPECT_EQ(r.default_round, (std::vector<int>{0, 1, -1, -1}));
  EXPECT_EQ(r.rounds, 2);
  EXPECT_NEAR(r.equity_after[2], 2.0, kExact);
  EXPECT_NEAR(r.equity_after[3], 2.0, kExact);
}

TEST(Furfine, InvariantsOnRandomNetworks) {
  for (std::size_t n : {3u, 10u, 50u, 200u})
    for (std::uint64_t seed = 1; seed <= 6; ++seed)
      for (double recovery : {0.0, 0.4, 1.0}) {
        const InterbankNetwork net = testing::random_network({.nodes = n, .mean_out_degree = 3, .seed = seed});
        const FurfineResult r = furfine_cascade(net, {.recovery = recovery});
        int last_round = -1;
        for (NodeIdx i = 0; i < n; ++i) {
          // Equity from the common formula with x = R for defaulters.
          EXPECT_EQ(r.equity_after[i], net.equity_at(i, r.recovery_rate));
          EXPECT_EQ(r.defaulted[i], r.equity_after[i] <= 0.0 ? 1 : 0) << i;
          EXPECT_EQ(r.defaulted[i], r.default_round[i] >= 0 ? 1 : 0);
          last_round = std::max(last_round, r.default_round[i]);
          // A node defaulting in round k >= 1 has a debtor that defaulted in round k - 1.
          if (r.default_round[i] >= 1) {
            bool caused = false;
            for (std::size_t k = net.held_offsets[i]; k < net.held_offsets[i + 1]; ++k)
              caused = caused || r.default_round[net.held_debtor[k]] == r.default_round[i] - 1;
            EXPECT_TRUE(caused) << i;
          }
        }
        EXPECT_EQ(r.rounds, last_round + 1);
      }
}

}  // namespace
}  // namespace cascade::contagion
