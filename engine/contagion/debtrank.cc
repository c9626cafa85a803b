#include "engine/contagion/debtrank.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>

#include "engine/core/diagnostics.h"
#include "engine/core/parallel_for.h"

namespace cascade::contagion {
namespace {

enum : std::uint8_t { kUndistressed = 0, kDistressed = 1, kInactive = 2 };

/// A linear step pulls (one pass over the claims of the holders still below distress 1, split
/// between the threads) when its frontier holds more than one in this many of those claims,
/// divided by the threads: a claim costs several times more to scatter (random writes, then a
/// serial update) than to pull (one thread, 10^6 nodes: 1.0 million claims scattered in 30 ms,
/// 9.3 million pulled in 33). Measured on Erdős–Rényi networks of 10^5 and 10^6 nodes: 32 is
/// 5-7% faster than 8 on two threads, 128 no different from 32, and at 10^5 nodes on one thread
/// 2 to 32 are all alike.
constexpr std::size_t kPullWhenOneIn = 32;

/// Whether bad_in(begin, end) holds for some block [begin, end) of [0, count), the blocks split
/// between the arena's threads.
template <typename BadIn>
bool any_bad(tbb::task_arena& arena, std::size_t count, const BadIn& bad_in) {
  constexpr std::size_t kPerBlock = std::size_t{1} << 16;
  std::vector<std::uint8_t> found((count + kPerBlock - 1) / kPerBlock, 0);
  parallel_for_index(arena, found.size(), 1, [&](std::size_t block) {
    found[block] = bad_in(block * kPerBlock, std::min(count, (block + 1) * kPerBlock)) ? 1 : 0;
  });
  return std::find(found.begin(), found.end(), 1) != found.end();
}

/// Whether some node index in [begin, end) is >= n. Branch-free: it vectorises.
bool index_out_of_range(std::span<const std::uint32_t> index, std::size_t begin, std::size_t end, std::size_t n) {
  if (n > std::numeric_limits<std::uint32_t>::max()) return false;  // every index is < n
  const auto limit = static_cast<std::uint32_t>(n);
  unsigned any = 0;
  for (std::size_t e = begin; e < end; ++e) any |= static_cast<unsigned>(index[e] >= limit);
  return any != 0;
}

/// Whether some amount in [begin, end) is not finite and >= 0 (NaN included). Branch-free: it
/// vectorises.
bool amount_not_finite_nonnegative(std::span<const double> amount, std::size_t begin, std::size_t end) {
  double ok = 1.0;
  for (std::size_t e = begin; e < end; ++e)
    ok = amount[e] >= 0.0 && amount[e] <= std::numeric_limits<double>::max() ? ok : 0.0;
  return ok == 0.0;
}

/// Checks the input (engine data, never raw user input) and sets h(1).
void start(const DebtRankInput& in, tbb::task_arena& arena, DebtRankResult& result) {
  const std::size_t n = in.equity.size();
  const auto fail = [](const std::string& what) { throw InternalError("DebtRank input: " + what); };
  if (in.obligor_offsets.size() != n + 1 || in.initial_distress.size() != n)
    fail("offsets need n + 1 entries and h(1) n");
  if (in.obligor_offsets.front() != 0 || in.obligor_offsets.back() != in.holder.size() ||
      in.holder.size() != in.amount.size())
    fail("offsets must span the claims");
  const auto decreasing = [](std::span<const std::size_t> offsets) {
    return std::adjacent_find(offsets.begin(), offsets.end(), std::greater<>()) != offsets.end();
  };
  if (decreasing(in.obligor_offsets)) fail("offsets must not decrease");
  const auto bad_claims = [&](std::size_t begin, std::size_t end) {
    return index_out_of_range(in.holder, begin, end, n) || amount_not_finite_nonnegative(in.amount, begin, end);
  };
  if (any_bad(arena, in.holder.size(), bad_claims))  // the culprit only if needed
    for (std::size_t e = 0; e < in.holder.size(); ++e)
      if (bad_claims(e, e + 1))
        fail("claim " + std::to_string(e) + ": holder out of range or amount not finite and >= 0");
  if (in.tolerance < 0.0 || in.max_iterations < 1) fail("tolerance must be >= 0 and max_iterations >= 1");
  if (!in.holder_offsets.empty() && (in.holder_offsets.size() != n + 1 || in.obligor.size() != in.holder.size() ||
                                     in.holder_amount.size() != in.holder.size() || in.holder_offsets.front() != 0 ||
                                     in.holder_offsets.back() != in.holder.size() || decreasing(in.holder_offsets)))
    fail("the holder-ordered claims must span the same claims");
  if (any_bad(arena, in.obligor.size(),
              [&](std::size_t begin, std::size_t end) { return index_out_of_range(in.obligor, begin, end, n); }))
    fail("a holder-ordered claim's obligor is out of range");
  result.initial.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double h = in.initial_distress[i];
    if (!(h >= 0.0 && h <= 1.0)) fail("initial distress of node " + std::to_string(i) + " must be in [0, 1]");
    if (!std::isfinite(in.equity[i])) fail("equity of node " + std::to_string(i) + " must be finite");
    result.initial[i] = in.equity[i] > 0.0 ? h : 1.0;
  }
  result.distress.assign(result.initial.begin(), result.initial.end());
  result.iterations = 0;
  result.converged = true;
}

/// Puts `list` (the nodes with mark[i] set) in ascending order, the fixed summation order: by
/// sorting when it is short, by one scan of the marks when it is a sizeable share of the nodes.
void order_ascending(std::vector<std::uint32_t>& list, const std::vector<std::uint8_t>& mark) {
  constexpr std::size_t kScanWhenOneIn = 32;
  if (list.size() * kScanWhenOneIn < mark.size()) {
    std::sort(list.begin(), list.end());
    return;
  }
  list.clear();
  for (std::uint32_t i = 0; i < mark.size(); ++i)
    if (mark[i]) list.push_back(i);
}

/// What one step leaves for the next: its largest step and the claims on its frontier.
struct StepResult {
  double largest_step = 0.0;
  std::size_t frontier_claims = 0;
  std::size_t live_claims = 0;  ///< pull steps: the claims of the holders left on ws.live
};

/// Claims on the obligors in `nodes`.
std::size_t claims_on(const DebtRankInput& in, std::span<const std::uint32_t> nodes) {
  std::size_t claims = 0;
  for (std::uint32_t j : nodes) claims += in.obligor_offsets[j + 1] - in.obligor_offsets[j];
  return claims;
}

/// Blocks of holders for the pull steps: block b is holders [b x kHoldersPerBlock, ...), and
/// its slots [b x kHoldersPerBlock, ...) of ws.live and ws.frontier list its holders.
constexpr std::size_t kHoldersPerBlock = 2048;

/// Puts on ws.live, block by block and ascending, the holders a pull step must visit: those
/// with claims and distress below 1 (the blocks split between the arena's threads). Returns the
/// claims they hold.
std::size_t list_live_holders(const DebtRankInput& in, std::span<const double> h, DebtRankWorkspace& ws,
                              tbb::task_arena& arena) {
  const std::size_t n = in.equity.size();
  const std::size_t blocks = (n + kHoldersPerBlock - 1) / kHoldersPerBlock;
  ws.live.resize(n);
  ws.block_live.assign(blocks, 0);
  ws.block_live_claims.assign(blocks, 0);
  parallel_for_index(arena, blocks, 1, [&](std::size_t block) {
    const std::size_t begin = block * kHoldersPerBlock, end = std::min(n, begin + kHoldersPerBlock);
    std::size_t kept = begin, kept_claims = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t claims = in.holder_offsets[i + 1] - in.holder_offsets[i];
      if (claims == 0 || h[i] >= 1.0) continue;
      ws.live[kept++] = static_cast<std::uint32_t>(i);
      kept_claims += claims;
    }
    ws.block_live[block] = kept - begin;
    ws.block_live_claims[block] = kept_claims;
  });
  return std::accumulate(ws.block_live_claims.begin(), ws.block_live_claims.end(), std::size_t{0});
}

/// sum over k in [first, last) of amount[k] x increment[obligor[k]], in that order. Not inlined:
/// inside a pull step's task the compiler kept one of this loop's values on the stack and
/// reloaded it for every claim; in a function of its own the loop keeps them in registers.
[[gnu::noinline]] double pulled_sum(const double* amount, const std::uint32_t* obligor, const double* increment,
                                    std::size_t first, std::size_t last) {
  double sum = 0.0;  // terms off the frontier are +0 and leave the sum as it is
  for (std::size_t k = first; k < last; ++k) sum += amount[k] * increment[obligor[k]];
  return sum;
}

/// One pull step of linear DebtRank, with its update: every live holder i (ws.live) sums its
/// claims' face values times their obligors' increments (ws.increment), in ascending obligor
/// order, the order in which a scatter adds them, and moves h_i by that sum / E0_i; its own step
/// goes to ws.next_increment (0 elsewhere), the holders that moved, ascending, become the
/// frontier, and those that reached 1 leave ws.live. Without a branch per holder: a sum of +0
/// leaves h_i < 1 as it is (h_i + 0 / E0_i = h_i) and a holder a scatter step saturated stays at
/// 1, each with a step of +0, as if skipped. Blocks are split between the arena's threads; each
/// holder's sum and update is taken by one of them, and only holder i reads or writes h_i, so
/// the answer does not depend on the threads.
StepResult pull_step(const DebtRankInput& in, std::span<double> h, DebtRankWorkspace& ws, tbb::task_arena& arena) {
  const std::size_t n = in.equity.size();
  const std::size_t blocks = ws.block_live.size();
  ws.next_increment.resize(n);
  ws.frontier.resize(n);  // block b lists its movers from b x kHoldersPerBlock on; compacted below
  ws.block_largest_step.assign(blocks, 0.0);
  ws.block_moved.assign(blocks, 0);
  ws.block_frontier_claims.assign(blocks, 0);
  parallel_for_index(arena, blocks, 1, [&](std::size_t block) {
    const std::size_t begin = block * kHoldersPerBlock, end = std::min(n, begin + kHoldersPerBlock);
    std::fill(ws.next_increment.begin() + static_cast<std::ptrdiff_t>(begin),
              ws.next_increment.begin() + static_cast<std::ptrdiff_t>(end), 0.0);
    double largest = 0.0;
    std::size_t moved = begin, kept = begin, kept_claims = 0;
    for (std::size_t slot = begin; slot < begin + ws.block_live[block]; ++slot) {
      const std::uint32_t i = ws.live[slot];
      const std::size_t first = in.holder_offsets[i], last = in.holder_offsets[i + 1];
      const double sum = pulled_sum(in.holder_amount.data(), in.obligor.data(), ws.increment.data(), first, last);
      const double updated = std::min(1.0, h[i] + sum / in.equity[i]);
      const double step = updated - h[i];
      h[i] = updated;
      ws.next_increment[i] = step;
      largest = std::max(largest, step);
      ws.frontier[moved] = i;  // without a branch: it moved or not at random
      moved += static_cast<std::size_t>(step > 0.0);
      const bool stays_live = updated < 1.0;
      ws.live[kept] = i;
      kept += static_cast<std::size_t>(stays_live);
      kept_claims += stays_live ? last - first : 0;
    }
    ws.block_live[block] = kept - begin;
    ws.block_live_claims[block] = kept_claims;
    ws.block_largest_step[block] = largest;
    ws.block_moved[block] = moved - begin;
    ws.block_frontier_claims[block] = claims_on(in, std::span(ws.frontier).subspan(begin, moved - begin));
  });
  ws.increment.swap(ws.next_increment);  // zero off the new frontier, as a scatter step leaves it
  StepResult result;
  std::size_t frontier_size = 0;
  for (std::size_t block = 0; block < blocks; ++block) {  // each block's list moves down, if at all
    const auto from = ws.frontier.begin() + static_cast<std::ptrdiff_t>(block * kHoldersPerBlock);
    const auto to = ws.frontier.begin() + static_cast<std::ptrdiff_t>(frontier_size);
    if (to != from) std::copy(from, from + static_cast<std::ptrdiff_t>(ws.block_moved[block]), to);
    frontier_size += ws.block_moved[block];
    result.frontier_claims += ws.block_frontier_claims[block];
    result.live_claims += ws.block_live_claims[block];
    result.largest_step = std::max(result.largest_step, ws.block_largest_step[block]);
  }
  ws.frontier.resize(frontier_size);
  return result;
}

/// One scatter step of linear DebtRank, with its update: each obligor on the frontier (in
/// ascending order: a fixed summation order) adds face value times its increment to each
/// holder's ws.accumulated; then every holder reached, in ascending order, moves h_i by that sum /
/// E0_i and becomes the new frontier if it moved.
StepResult scatter_step(const DebtRankInput& in, std::size_t frontier_claims, std::span<double> h,
                        DebtRankWorkspace& ws) {
  // Without a branch per claim (which way it would go is random): every holder reached goes on
  // `next` once, saturated ones too; the update skips those.
  ws.next.resize(frontier_claims);  // each claim writes at most one slot past the holders reached
  std::size_t reached = 0;
  // The arrays' addresses in locals: a store to a byte of `mark` may alias anything, so read
  // through `in` and `ws` they were all loaded again for every claim.
  const std::size_t* offsets = in.obligor_offsets.data();
  const std::uint32_t* holder = in.holder.data();
  const double* amount = in.amount.data();
  double* accumulated = ws.accumulated.data();
  std::uint32_t* next = ws.next.data();
  std::uint8_t* mark = ws.mark.data();
  for (std::uint32_t j : ws.frontier) {
    const double dj = ws.increment[j];
    for (std::size_t e = offsets[j], end = offsets[j + 1]; e < end; ++e) {
      const std::uint32_t i = holder[e];
      accumulated[i] += amount[e] * dj;
      next[reached] = i;
      reached += static_cast<std::size_t>(!mark[i]);
      mark[i] = 1;
    }
  }
  ws.next.resize(reached);
  order_ascending(ws.next, ws.mark);
  for (std::uint32_t j : ws.frontier) ws.increment[j] = 0.0;
  double largest_step = 0.0;
  ws.frontier.clear();
  for (std::uint32_t i : ws.next) {
    ws.mark[i] = 0;
    const double sum = ws.accumulated[i];
    ws.accumulated[i] = 0.0;
    if (h[i] >= 1.0) continue;  // saturated, or without equity (increment stays 0)
    const double updated = std::min(1.0, h[i] + sum / in.equity[i]);
    const double step = updated - h[i];
    h[i] = updated;
    ws.increment[i] = step;
    if (step > 0.0) ws.frontier.push_back(i);
    largest_step = std::max(largest_step, step);
  }
  return {.largest_step = largest_step, .frontier_claims = claims_on(in, ws.frontier)};
}

}  // namespace

void debtrank_linear(const DebtRankInput& in, DebtRankWorkspace& ws, DebtRankResult& result) {
  if (in.threads < 1) throw InternalError("DebtRank input: threads must be >= 1");
  tbb::task_arena arena(in.threads);
  start(in, arena, result);
  const std::size_t n = in.equity.size();
  const bool by_holder = !in.holder_offsets.empty();
  std::vector<double>& h = result.distress;
  ws.increment.assign(n, 0.0);    // h(t) - h(t-1) on the frontier, 0 elsewhere
  ws.accumulated.assign(n, 0.0);  // sum_j A_ij (h_j(t) - h_j(t-1)) being built; / E0_i at the update
  ws.mark.assign(n, 0);           // 1 while a node is on the `next` list
  ws.frontier.clear();
  for (std::uint32_t i = 0; i < n; ++i)
    if (h[i] > 0.0) {
      ws.increment[i] = h[i];  // h(1) - h(0)
      ws.frontier.push_back(i);
    }
  // Nodes with E0 <= 0 start at h = 1 (start()), so skipping `h[i] >= 1` also skips every holder
  // without equity: the division by E0_i below is by a positive number.
  std::size_t frontier_claims = claims_on(in, ws.frontier);
  // Claims of the holders a pull step would visit: exact after a pull step, an upper bound after
  // a scatter step (which may saturate some of them).
  std::size_t live_claims = by_holder ? list_live_holders(in, h, ws, arena) : 0;
  while (!ws.frontier.empty()) {
    if (result.iterations == in.max_iterations) {
      result.converged = false;
      return;
    }
    ++result.iterations;
    const bool pull =
        by_holder && frontier_claims * kPullWhenOneIn * static_cast<std::size_t>(in.threads) > live_claims;
    const StepResult step = pull ? pull_step(in, h, ws, arena) : scatter_step(in, frontier_claims, h, ws);
    if (step.largest_step <= in.tolerance) return;
    frontier_claims = step.frontier_claims;
    if (pull) live_claims = step.live_claims;
  }
}

void debtrank_single_hit(const DebtRankInput& in, DebtRankWorkspace& ws, DebtRankResult& result) {
  if (in.threads < 1) throw InternalError("DebtRank input: threads must be >= 1");
  tbb::task_arena arena(in.threads);
  start(in, arena, result);
  const std::size_t n = in.equity.size();
  std::vector<double>& h = result.distress;
  ws.state.assign(n, kUndistressed);
  ws.accumulated.assign(n, 0.0);
  ws.pair_impact.assign(n, 0.0);
  ws.mark.assign(n, 0);  // 1 while a holder is on `next`
  ws.frontier.clear();
  for (std::uint32_t i = 0; i < n; ++i)
    if (h[i] > 0.0) {
      ws.state[i] = kDistressed;
      ws.frontier.push_back(i);
    }
  while (!ws.frontier.empty()) {
    ++result.iterations;
    ws.next.clear();
    for (std::uint32_t j : ws.frontier) {
      // W_ij = min(1, sum of i's claims on j / E0_i): add up parallel claims first.
      ws.pair_holders.clear();
      for (std::size_t e = in.obligor_offsets[j]; e < in.obligor_offsets[j + 1]; ++e) {
        const std::uint32_t i = in.holder[e];
        if (in.equity[i] <= 0.0) continue;
        if (ws.pair_impact[i] == 0.0) ws.pair_holders.push_back(i);
        ws.pair_impact[i] += in.amount[e] / in.equity[i];
      }
      for (std::uint32_t i : ws.pair_holders) {
        const double impact = in.cap_impact ? std::min(1.0, ws.pair_impact[i]) : ws.pair_impact[i];
        ws.accumulated[i] += impact * h[j];  // h_j(t-1): h is updated below
        ws.pair_impact[i] = 0.0;
        if (!ws.mark[i]) {
          ws.mark[i] = 1;
          ws.next.push_back(i);
        }
      }
    }
    for (std::uint32_t j : ws.frontier) ws.state[j] = kInactive;
    order_ascending(ws.next, ws.mark);
    ws.frontier.clear();
    for (std::uint32_t i : ws.next) {
      ws.mark[i] = 0;
      h[i] = std::min(1.0, h[i] + ws.accumulated[i]);
      ws.accumulated[i] = 0.0;
      if (ws.state[i] == kUndistressed && h[i] > 0.0) {
        ws.state[i] = kDistressed;
        ws.frontier.push_back(i);
      }
    }
  }
}

DebtRankResult debtrank_linear(const DebtRankInput& input) {
  DebtRankWorkspace ws;
  DebtRankResult result;
  debtrank_linear(input, ws, result);
  return result;
}

DebtRankResult debtrank_single_hit(const DebtRankInput& input) {
  DebtRankWorkspace ws;
  DebtRankResult result;
  debtrank_single_hit(input, ws, result);
  return result;
}

double weighted_distress(std::span<const double> distress, std::span<const double> weight) {
  double total_weight = 0.0, total = 0.0;
  for (std::size_t i = 0; i < distress.size(); ++i) {
    total_weight += weight[i];
    total += weight[i] * distress[i];
  }
  return total_weight > 0.0 ? total / total_weight : 0.0;
}

}  // namespace cascade::contagion
