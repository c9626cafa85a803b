// DebtRank, linear (Bardoscia et al. 2015) and single-hit (Battiston et al. 2012): small
// networks computed by hand step by step, the worked example published with the R package
// NetworkRiskMeasures (an independent implementation of Battiston et al.'s algorithm), and
// properties on random networks that are theorems (stated in engine/contagion/debtrank.h).
#include "engine/contagion/debtrank.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"
#include "engine/core/diagnostics.h"
#include "tests/engine/contagion/random_network.h"

namespace cascade::contagion {
namespace {

constexpr double kExact = 1e-12;

/// Claims as (holder, obligor, amount) rows, grouped into the CSR DebtRankInput wants.
struct Claims {
  std::vector<std::size_t> offsets;
  std::vector<std::uint32_t> holder;
  std::vector<double> amount;

  Claims(std::size_t n, const std::vector<std::tuple<std::uint32_t, std::uint32_t, double>>& rows) : offsets(n + 1, 0) {
    for (const auto& [h, o, a] : rows) ++offsets[o + 1];
    for (std::size_t j = 0; j < n; ++j) offsets[j + 1] += offsets[j];
    holder.resize(rows.size());
    amount.resize(rows.size());
    std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
    for (const auto& [h, o, a] : rows) {
      const std::size_t e = cursor[o]++;
      holder[e] = h;
      amount[e] = a;
    }
  }
  DebtRankInput input(const std::vector<double>& equity, const std::vector<double>& h1) const {
    return {.equity = equity, .obligor_offsets = offsets, .holder = holder, .amount = amount, .initial_distress = h1};
  }
};

void expect_distress(const DebtRankResult& r, const std::vector<double>& expected) {
  ASSERT_EQ(r.distress.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(r.distress[i], expected[i], kExact) << "node " << i;
}

// Nodes A B C D (0..3). B holds a claim of 4 on A, C holds 2 on A and 3 on B, D holds 3 on C.
// Equity A 10, B 8, C 6, D 4. Impacts Lambda_ij = claim / E0_i: B<-A 4/8 = 1/2, C<-A 2/6 = 1/3,
// C<-B 3/6 = 1/2, D<-C 3/4. Shock: h_A(1) = 1/2.
const Claims kChain(4, {{1, 0, 4.0}, {2, 0, 2.0}, {2, 1, 3.0}, {3, 2, 3.0}});
const std::vector<double> kChainEquity{10, 8, 6, 4};
const std::vector<double> kChainShock{0.5, 0, 0, 0};

TEST(DebtRankLinear, ChainByHand) {
  // t=1: h = (1/2, 0, 0, 0), increments (1/2, 0, 0, 0).
  // t=2: h_B = 1/2 * 1/2 = 1/4; h_C = 1/3 * 1/2 = 1/6.
  // t=3: h_C += 1/2 * 1/4 = 1/8 -> 7/24; h_D = 3/4 * 1/6 = 1/8.
  // t=4: h_D += 3/4 * 1/8 = 3/32 -> 7/32. t=5: D's increment reaches nobody. Four steps.
  const DebtRankResult r = debtrank_linear(kChain.input(kChainEquity, kChainShock));
  expect_distress(r, {0.5, 0.25, 7.0 / 24.0, 7.0 / 32.0});
  EXPECT_EQ(r.iterations, 4);
  EXPECT_TRUE(r.converged);
}

TEST(DebtRankSingleHit, ChainByHand) {
  // t=1: A distressed with h = 1/2.
  // t=2: A passes 1/2 once: h_B = 1/4, h_C = 1/6; A inactive; B, C distressed.
  // t=3: B passes 1/4 and C passes 1/6 (their h at t=2): h_C = 1/6 + 1/2 * 1/4 = 7/24,
  //   h_D = 3/4 * 1/6 = 1/8; B, C inactive (C's extra 1/8 is never passed on); D distressed.
  // t=4: D passes to nobody. h_D = 1/8 against 7/32 under linear DebtRank.
  const DebtRankResult r = debtrank_single_hit(kChain.input(kChainEquity, kChainShock));
  expect_distress(r, {0.5, 0.25, 7.0 / 24.0, 0.125});
  EXPECT_EQ(r.iterations, 3);
}

TEST(DebtRankSingleHit, NetworkRiskMeasuresExample) {
  // From the NetworkRiskMeasures R package README (debt_rank_shock): assets matrix with rows =
  // holder a, b, c: a holds 1 on b; b holds 10 on a and 3 on c; c holds 3 on a and 2 on b;
  // capital buffers 2, 5, 2; a 10% stress on every node. Published final stress levels:
  // a 0.15, b 0.26, c 0.30 (W capped at 1: b<-a min(1, 10/5) = 1, c<-a min(1, 3/2) = 1), and
  // additional stress 16.07% with weights 10, 100, 30: (10*0.05 + 100*0.16 + 30*0.2) / 140.
  const Claims claims(3, {{0, 1, 1.0}, {1, 0, 10.0}, {1, 2, 3.0}, {2, 0, 3.0}, {2, 1, 2.0}});
  const std::vector<double> equity{2, 5, 2};
  const DebtRankResult r = debtrank_single_hit(claims.input(equity, {0.1, 0.1, 0.1}));
  expect_distress(r, {0.15, 0.26, 0.30});
  std::vector<double> added(3);
  for (std::size_t i = 0; i < 3; ++i) added[i] = r.distress[i] - r.initial[i];
  EXPECT_NEAR(weighted_distress(added, std::vector<double>{10, 100, 30}), 22.5 / 140.0, kExact);
  // The same README: a alone defaulting (h_a = 1) stresses b and c to 1: DebtRank 130/140.
  const DebtRankResult a_fails = debtrank_single_hit(claims.input(equity, {1, 0, 0}));
  expect_distress(a_fails, {1, 1, 1});
  // b alone: a gets 1/2 * 1 = 0.5, c gets min(1, 2/2) * 1 = 1: DebtRank (10*0.5 + 30*1) / 140 = 0.25.
  const DebtRankResult b_fails = debtrank_single_hit(claims.input(equity, {0, 1, 0}));
  expect_distress(b_fails, {0.5, 1, 1});
}

TEST(DebtRankLinear, ImpactsAreNotCappedButDistressIs) {
  // B holds 10 on A with equity 5 (Lambda = 2), C holds 1 on B with equity 4 (Lambda = 1/4).
  // h_A(1) = 0.3. Linear: h_B = min(1, 2 * 0.3) = 0.6, then h_C = 1/4 * 0.6 = 0.15.
  // Single-hit caps W_BA = min(1, 2) = 1: h_B = 0.3, h_C = 0.075.
  // With h_A(1) = 0.8 the linear h_B = min(1, 1.6) = 1, and C gets 1/4 * 1.
  const Claims claims(3, {{1, 0, 10.0}, {2, 1, 1.0}});
  const std::vector<double> equity{1, 5, 4};
  expect_distress(debtrank_linear(claims.input(equity, {0.3, 0, 0})), {0.3, 0.6, 0.15});
  expect_distress(debtrank_single_hit(claims.input(equity, {0.3, 0, 0})), {0.3, 0.3, 0.075});
  expect_distress(debtrank_linear(claims.input(equity, {0.8, 0, 0})), {0.8, 1.0, 0.25});
}

TEST(DebtRankLinear, ParallelClaimsAddUp) {
  // Two claims of 2 and 3 by B on A (equity 10) act as one of 5: Lambda = 1/2.
  // Single-hit caps the pair (min(1, 0.5)), not each claim.
  const Claims claims(2, {{1, 0, 2.0}, {1, 0, 3.0}});
  const std::vector<double> equity{1, 10};
  expect_distress(debtrank_linear(claims.input(equity, {1, 0})), {1, 0.5});
  expect_distress(debtrank_single_hit(claims.input(equity, {1, 0})), {1, 0.5});
  // Equity 4: 2/4 + 3/4 = 5/4 capped to 1 as a pair.
  expect_distress(debtrank_single_hit(claims.input({1, 4}, {0.4, 0})), {0.4, 0.4});
}

TEST(DebtRank, InstitutionsWithoutEquityStartInDefault) {
  // A has equity -1: h_A = 1 from the start, whatever the shock says, and passes full distress:
  // B (equity 8, holds 2 on A) gets 2/8 = 1/4. A receives nothing (its claim on B is ignored).
  const Claims claims(2, {{1, 0, 2.0}, {0, 1, 5.0}});
  using Form = DebtRankResult (*)(const DebtRankInput&);
  for (Form form : {static_cast<Form>(&debtrank_linear), static_cast<Form>(&debtrank_single_hit)}) {
    const DebtRankResult r = form(claims.input({-1, 8}, {0, 0}));
    EXPECT_EQ(r.initial[0], 1.0);
    expect_distress(r, {1.0, 0.25});
  }
}

TEST(DebtRank, CycleConvergesGeometrically) {
  // A and B hold 2 on each other with equity 4: Lambda = 1/2 both ways. h_A(1) = 0.4.
  // Linear: distress bounces back and forth: h_A = 0.4 (1 + 1/4 + 1/16 + ...) = 0.4 * 4/3,
  // h_B = 0.2 * 4/3. Single-hit: A passes 0.4 to B (h_B = 0.2), B passes 0.2 back to A, which
  // is inactive and keeps it: h_A = 0.5.
  const Claims claims(2, {{1, 0, 2.0}, {0, 1, 2.0}});
  const DebtRankResult linear = debtrank_linear(claims.input({4, 4}, {0.4, 0}));
  EXPECT_TRUE(linear.converged);
  EXPECT_NEAR(linear.distress[0], 0.4 * 4.0 / 3.0, 1e-14);
  EXPECT_NEAR(linear.distress[1], 0.2 * 4.0 / 3.0, 1e-14);
  expect_distress(debtrank_single_hit(claims.input({4, 4}, {0.4, 0})), {0.5, 0.2});
  // An iteration cap is reported.
  const std::vector<double> equity{4, 4}, shock{0.4, 0};  // outlive the spans of `capped`
  DebtRankInput capped = claims.input(equity, shock);
  capped.max_iterations = 3;
  EXPECT_FALSE(debtrank_linear(capped).converged);
}

TEST(DebtRank, RejectsBadEngineInput) {
  const Claims claims(2, {{1, 0, 2.0}});
  EXPECT_THROW(debtrank_linear(claims.input({1, 1}, {1.5, 0})), InternalError);
  EXPECT_THROW(debtrank_linear(claims.input({1, 1}, {0})), InternalError);
  Claims bad = claims;
  bad.holder[0] = 7;
  EXPECT_THROW(debtrank_single_hit(bad.input({1, 1}, {0, 0})), InternalError);
}

TEST(DebtRank, RejectsEachBadClaimWhereverItIs) {
  // 200,000 claims of node 1 on node 0 (more than one block of the checks), then one bad entry
  // at a time, early, in the middle and last: the error names the claim.
  const Claims good(2, std::vector<std::tuple<std::uint32_t, std::uint32_t, double>>(200'000, {1, 0, 1e-6}));
  const std::vector<double> equity{1, 1}, shock{0.5, 0};
  ASSERT_NO_THROW(debtrank_linear(good.input(equity, shock)));
  for (std::size_t at : {std::size_t{3}, std::size_t{131'073}, std::size_t{199'999}}) {
    for (double amount : {-1.0, std::nan(""), std::numeric_limits<double>::infinity(), -1e-300}) {
      Claims bad = good;
      bad.amount[at] = amount;
      try {
        debtrank_linear(bad.input(equity, shock));
        ADD_FAILURE() << "amount " << amount << " at " << at << " accepted";
      } catch (const InternalError& e) {
        EXPECT_NE(std::string(e.what()).find("claim " + std::to_string(at) + ":"), std::string::npos) << e.what();
      }
    }
    Claims bad = good;
    bad.holder[at] = 2;
    EXPECT_THROW(debtrank_linear(bad.input(equity, shock)), InternalError) << "holder at " << at;
  }
  Claims signed_zero = good;  // -0 is >= 0: a face value of nothing
  signed_zero.amount[5] = -0.0;
  EXPECT_NO_THROW(debtrank_linear(signed_zero.input(equity, shock)));
  // The holder-ordered claims: an obligor out of range, offsets that decrease.
  const std::vector<std::size_t> holder_offsets{0, 0, 200'000};
  std::vector<std::uint32_t> obligor(200'000, 0);
  DebtRankInput in = good.input(equity, shock);
  in.holder_offsets = holder_offsets;
  in.obligor = obligor;
  in.holder_amount = good.amount;
  ASSERT_NO_THROW(debtrank_linear(in));
  obligor[131'073] = 2;
  EXPECT_THROW(debtrank_linear(in), InternalError);
  obligor[131'073] = 0;
  const std::vector<std::size_t> decreasing{0, 200'001, 200'000};
  in.holder_offsets = decreasing;
  EXPECT_THROW(debtrank_linear(in), InternalError);
}

TEST(DebtRank, WorkspaceReuseGivesTheSameAnswer) {
  DebtRankWorkspace ws;
  DebtRankResult r;
  debtrank_linear(kChain.input(kChainEquity, kChainShock), ws, r);
  debtrank_single_hit(kChain.input(kChainEquity, kChainShock), ws, r);
  debtrank_linear(kChain.input(kChainEquity, kChainShock), ws, r);
  expect_distress(r, {0.5, 0.25, 7.0 / 24.0, 7.0 / 32.0});
}

// ---- Properties on random plain networks --------------------------------------------------

/// DebtRank inputs of a plain network, with the shock scaled by `scale`.
struct PlainInput {
  std::vector<double> equity;
  std::vector<double> initial;
  DebtRankInput input(const InterbankNetwork& net) const {
    return {.equity = equity,
            .obligor_offsets = net.owed_offsets,
            .holder = net.owed_creditor,
            .amount = net.owed_amount,
            .initial_distress = initial};
  }
};

PlainInput plain_input(const InterbankNetwork& net, double scale) {
  PlainInput p;
  p.initial = debtrank_initial_distress(net);
  for (NodeIdx i = 0; i < net.size(); ++i) {
    p.equity.push_back(net.equity_before(i));
    if (p.equity.back() > 0.0) p.initial[i] = std::min(1.0, scale * net.shock_loss(i) / p.equity.back());
  }
  return p;
}

TEST(DebtRankProperties, BoundedLinearDominatesSingleHitAndMonotoneInTheShock) {
  int differ = 0;
  for (std::size_t n : {3u, 10u, 50u, 200u})
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      const InterbankNetwork net = testing::random_network({.nodes = n,
                                                            .mean_out_degree = 1.0 + static_cast<double>(seed % 4),
                                                            .external_liability_ratio = 0.9,
                                                            .shock_probability = 0.3,
                                                            .shock_max = 0.5,
                                                            .seed = seed});
      std::vector<double> previous_linear(n, 0.0), previous_single(n, 0.0);
      for (double scale : {0.1, 0.3, 0.6, 1.0}) {
        SCOPED_TRACE("n " + std::to_string(n) + " seed " + std::to_string(seed) + " scale " + std::to_string(scale));
        const PlainInput p = plain_input(net, scale);
        const DebtRankResult linear = debtrank_linear(p.input(net));
        const DebtRankResult single = debtrank_single_hit(p.input(net));
        ASSERT_TRUE(linear.converged);
        for (std::size_t i = 0; i < n; ++i) {
          EXPECT_GE(single.distress[i], single.initial[i]);
          EXPECT_LE(linear.distress[i], 1.0);
          EXPECT_GE(linear.distress[i] + 1e-12, single.distress[i]) << "node " << i;
          // Same shocked set, larger shock: no node is less distressed (both forms).
          EXPECT_GE(linear.distress[i] + 1e-12, previous_linear[i]) << "node " << i;
          EXPECT_GE(single.distress[i] + 1e-12, previous_single[i]) << "node " << i;
          differ += linear.distress[i] > single.distress[i] + 1e-9;
        }
        previous_linear = linear.distress;
        previous_single = single.distress;
        // The linear answer is a fixed point of h = min(1, h(1) + Lambda h).
        for (NodeIdx i = 0; i < n; ++i) {
          if (p.equity[i] <= 0.0) continue;
          double pushed = linear.initial[i];
          for (std::size_t k = net.held_offsets[i]; k < net.held_offsets[i + 1]; ++k)
            pushed += net.held_amount[k] / p.equity[i] * linear.distress[net.held_debtor[k]];
          EXPECT_NEAR(linear.distress[i], std::min(1.0, pushed), 1e-12) << "node " << i;
        }
      }
    }
  EXPECT_GT(differ, 20);  // the dominance is often strict
}

/// With net's holder-ordered claims added to `scatter_only` (which has none, so every step
/// scatters), on 1 and 3 threads: the same steps and the same distress, bit for bit.
void expect_pulls_give(const DebtRankResult& scattered, const DebtRankInput& scatter_only, const InterbankNetwork& net,
                       std::uint64_t seed) {
  for (int threads : {1, 3}) {
    DebtRankInput in = scatter_only;
    in.holder_offsets = net.held_offsets;
    in.obligor = net.held_debtor;
    in.holder_amount = net.held_amount;
    in.threads = threads;
    const DebtRankResult pulled = debtrank_linear(in);
    EXPECT_EQ(pulled.iterations, scattered.iterations) << "seed " << seed;
    EXPECT_EQ(pulled.distress, scattered.distress) << "seed " << seed << " threads " << threads;
  }
}

TEST(DebtRankLinear, PullStepsGiveTheScattersAnswerBitForBit) {
  // Without the holder-ordered claims every step scatters; with them, steps whose frontier
  // holds many claims pull instead (a half-shocked network: the first steps do). The sums are
  // the same terms in the same order, so the answers must be equal, not just close.
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const InterbankNetwork net = testing::random_network(
        {.nodes = 5000, .mean_out_degree = 5, .shock_probability = 0.5, .shock_max = 0.6, .seed = seed});
    const PlainInput p = plain_input(net, 1.0);
    const DebtRankResult scattered = debtrank_linear(p.input(net));
    ASSERT_GT(scattered.iterations, 2);
    expect_pulls_give(scattered, p.input(net), net, seed);
  }
}

TEST(DebtRankLinear, PullStepsAfterScatterStepsGiveTheScattersAnswerBitForBit) {
  // One node hit, every equity positive and thin: the first steps' frontiers are small (they
  // scatter, 3 or 4 of them here), the later ones large (they pull, visiting holders that the
  // scatter steps may have saturated). Sums in the same order: equal answers.
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const InterbankNetwork net = testing::random_network({.nodes = 20'000, .mean_out_degree = 6, .seed = seed});
    std::vector<double> equity(net.size()), initial(net.size(), 0.0);
    for (NodeIdx i = 0; i < net.size(); ++i) equity[i] = 0.25 * net.interbank_assets[i] + 0.5;
    initial[seed] = 1.0;
    const DebtRankInput scatter_only{.equity = equity,
                                     .obligor_offsets = net.owed_offsets,
                                     .holder = net.owed_creditor,
                                     .amount = net.owed_amount,
                                     .initial_distress = initial};
    const DebtRankResult scattered = debtrank_linear(scatter_only);
    ASSERT_GT(scattered.iterations, 6);
    expect_pulls_give(scattered, scatter_only, net, seed);
  }
}

}  // namespace
}  // namespace cascade::contagion
