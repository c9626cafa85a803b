// DebtRank: how distress (relative equity loss) spreads from obligors to the holders of claims
// on them, in its two published forms. Works on any exposure network given as CSR arrays, so
// the same code serves `cascade clear` and the tick loop's revaluation phase.
//
//   DebtRankInput in{.equity = e0, .obligor_offsets = offsets, .holder = holders,
//                    .amount = amounts, .initial_distress = h1};
//   DebtRankResult r = debtrank_linear(in);       // Bardoscia et al. 2015
//   DebtRankResult s = debtrank_single_hit(in);   // Battiston et al. 2012
//   r.distress[i];                                 // h_i in [0, 1]; 1 = equity wiped out
//
// Node i's distress h_i is its relative equity loss. A claim of holder i on obligor j of face
// value A_ij transmits j's distress with impact Lambda_ij = A_ij / E0_i (E0_i: i's equity before
// the shock); parallel claims on the same obligor add up.
//  - Linear DebtRank (Bardoscia, Battiston, Caccioli, Caldarelli 2015, "DebtRank: a
//    microscopic foundation for shock propagation", PLoS ONE 10(6)): h(0) = 0, h(1) given,
//    h(t+1) = min(1, h(t) + Lambda (h(t) - h(t-1))). Every increment of distress propagates.
//    h(t) never decreases; the iteration stops when no h moves by more than `tolerance`
//    (converged) or after `max_iterations` steps.
//  - Single-hit DebtRank (Battiston, Puliga, Kaushik, Tasca, Caldarelli 2012, "DebtRank: too
//    central to fail?", Scientific Reports 2:541): nodes are undistressed (h = 0), distressed or
//    inactive. At each step every node distressed at the previous step passes on its whole
//    distress once, with impact W_ij = min(1, Lambda_ij) (or Lambda_ij without `cap_impact`),
//    and becomes inactive:
//    h_i(t) = min(1, h_i(t-1) + sum_{j distressed at t-1} W_ij h_j(t-1)) for every i; an
//    undistressed node with h > 0 becomes distressed. Ends when no node is distressed (at most
//    n + 1 steps).
// Institutions with E0_i <= 0 have no equity to lose: they start at h = 1 whatever
// `initial_distress` says (so they pass full distress on) and receive no impact.
//
// Linear DebtRank dominates single-hit: by induction on t, h_lin(t) >= h_single(t) (W <= Lambda,
// and a node's one-time pass of h_j(tau) is at most the sum of its increments); both are
// monotone in the initial distress (single-hit for shocks with the same support).
//
// Thread safety: pure functions; a DebtRankWorkspace serves one call at a time. With a reused
// workspace and result, a call allocates nothing once it has seen its largest network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cascade::contagion {

struct DebtRankInput {
  std::span<const double> equity;                ///< E0_i per node (its size is n); any sign
  std::span<const std::size_t> obligor_offsets;  ///< n + 1: claims on obligor j are [off[j], off[j+1])
  std::span<const std::uint32_t> holder;         ///< per claim: the node holding it (< n)
  std::span<const double> amount;                ///< per claim: face value, finite and >= 0
  std::span<const double> initial_distress;      ///< h_i(1) per node, in [0, 1]
  /// Optional, the same claims grouped by holder: n + 1 offsets, then per claim its obligor and
  /// face value, each holder's claims by ascending obligor (claims on the same obligor in their
  /// order above). When given, a linear step whose
  /// frontier holds many claims is one pass over these instead of a scatter (same sums, same
  /// order, same answer).
  std::span<const std::size_t> holder_offsets;
  std::span<const std::uint32_t> obligor;
  std::span<const double> holder_amount;
  /// Single-hit: W_ij = min(1, Lambda_ij), as in Battiston et al. 2012; false: W_ij = Lambda_ij,
  /// as in the NetworkRiskMeasures (R) and neva (Python) packages. h is capped at 1 either way.
  bool cap_impact = true;
  /// Linear: stop when no distress moves by more than this in a step.
  double tolerance = 1e-15;
  /// Linear: cap on propagation steps.
  int max_iterations = 100'000;
  /// Threads for the input checks and (linear) the pull steps (>= 1; the calling thread is one).
  /// The answer does not depend on it: each holder's sum is taken by one thread in the same order.
  int threads = 1;
};

struct DebtRankResult {
  std::vector<double> distress;  ///< h_i at the end, in [0, 1]
  std::vector<double> initial;   ///< h_i(1) as used (1 where E0_i <= 0)
  int iterations = 0;            ///< propagation steps taken
  bool converged = true;         ///< linear: false when max_iterations stopped it
};

/// Scratch memory for the DebtRank functions (one per thread).
struct DebtRankWorkspace {
  std::vector<double> increment;
  std::vector<double> next_increment;
  std::vector<double> block_largest_step;
  std::vector<std::size_t> block_moved;            ///< pull steps: holders each block put on the frontier
  std::vector<std::size_t> block_frontier_claims;  ///< pull steps: the claims on those holders
  std::vector<std::uint32_t> live;                 ///< pull steps: holders to visit, by block
  std::vector<std::size_t> block_live;             ///< pull steps: holders on each block's list
  std::vector<std::size_t> block_live_claims;      ///< pull steps: the claims they hold
  std::vector<double> accumulated;
  std::vector<double> pair_impact;
  std::vector<std::uint8_t> state;
  std::vector<std::uint8_t> mark;
  std::vector<std::uint32_t> frontier;
  std::vector<std::uint32_t> next;
  std::vector<std::uint32_t> pair_holders;
};

DebtRankResult debtrank_linear(const DebtRankInput& input);
void debtrank_linear(const DebtRankInput& input, DebtRankWorkspace& workspace, DebtRankResult& result);

DebtRankResult debtrank_single_hit(const DebtRankInput& input);
void debtrank_single_hit(const DebtRankInput& input, DebtRankWorkspace& workspace, DebtRankResult& result);

/// Sum_i weight_i * h_i / Sum_i weight_i (0 when the weights sum to 0).
double weighted_distress(std::span<const double> distress, std::span<const double> weight);

}  // namespace cascade::contagion
