// Circularity: the share of a firm's revenue that its own money paid for, directly or through a
// chain of firms.
//
// Money is traced proportionally (the proportional-sharing rule of flow tracing, Bialek 1996;
// Leontief-style input-output accounting): each firm's outgoing money has the mix of origins of
// its incoming money. For a source firm s, the share of firm c's annual inflows that came from s is
//
//   x_c = ( f(s -> c) + sum_{k != s} f(k -> c) * x_k ) / inflow(c)        for every c != s
//   inflow(c) = sum_k f(k -> c) + external revenue(c) + outside funding(c)
//
// (money that comes back to s is not sent round again: s is only a source). Then
//
//   circular revenue(s) = sum_c pay(c -> s) * x_c      (pay = purchase commitments, leases, revenue shares)
//   revenue(s)          = external revenue(s) + sum_c pay(c -> s)
//   share(s)            = circular revenue(s) / revenue(s)   (0 when revenue is 0)
//
// `financing_share` is the same with only s's financing arcs (investments, loans, guarantees,
// vendor financing) as the source; `share` also counts what s pays its suppliers (a capacity
// backstop works like funding). The system x = A x + b (A >= 0, rows of A sum to <= 1) is
// solved by Gauss-Seidel sweeps from x = 0, which rise monotonically to its least solution,
// over the firms of s's money loop only (its strongly connected component: money that leaves s
// can come back only through them), so a sweep costs the loop's firms plus their inflow arcs.
// docs/circular-financing.md has the definitions, hand examples and limits.
//
//   const CircularityResult c = compute_circularity(build_money_flow(model));
//   // c.firms[f].share in [0, 1], one per firm, model order
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/analysis/money_flow.h"

namespace cascade {
struct Model;
}

namespace cascade::analysis {

struct FirmCircularity {
  FirmIdx firm = 0;
  double revenue_usd_bn = 0.0;  ///< external revenue + payments for goods and services on the graph, per year
  double circular_revenue_usd_bn = 0.0;            ///< the part traced back to the firm's own money
  double share = 0.0;                              ///< circular_revenue / revenue, in [0, 1]
  double financing_circular_revenue_usd_bn = 0.0;  ///< the part traced back to its financing arcs only
  double financing_share = 0.0;                    ///< financing_circular_revenue / revenue, in [0, 1]
};

struct CircularityOptions {
  double tolerance = 1e-13;           ///< stop when no share moves by more than this in a sweep
  std::size_t max_sweeps = 100000;    ///< per source; the result is then a lower bound
  /// Most work of one sweep over every source (the sum over sources of their loop's firms plus
  /// inflow arcs); above it nothing is solved and `computed` is false. 0 = no bound.
  std::size_t max_sweep_work = 0;
};

struct CircularityResult {
  std::vector<FirmCircularity> firms;  ///< one per firm, in graph order
  bool converged = true;               ///< every source met the tolerance within max_sweeps
  std::size_t max_sweeps_used = 0;
  std::size_t sweep_work = 0;          ///< the work of one sweep over every source (see max_sweep_work)
  bool computed = true;                ///< false when sweep_work was above max_sweep_work: shares are 0
};

/// Circularity of every firm of a money-flow graph (per-year basis; on a nominal plain network
/// there are no payments for goods, so every share is 0).
CircularityResult compute_circularity(const MoneyFlowGraph& g, const CircularityOptions& options = {});

/// The x_c of the header for one source: the share of each firm's inflows that originates
/// from `source` (with `financing_only`, from its financing arcs only). x[source] is 1 by
/// convention (everything it pays is its own money). `sweeps_used` and `converged`, when
/// given, report the solve.
std::vector<double> origin_shares(const MoneyFlowGraph& g, FirmIdx source, bool financing_only,
                                  const CircularityOptions& options = {}, std::size_t* sweeps_used = nullptr,
                                  bool* converged = nullptr);

/// The run summary's bound on `max_sweep_work`: about a second of solving at a few dozen sweeps
/// per source. AI-2026 needs about 500; a generated AI economy of 10^3 firms 7 x 10^5, of 10^4 7 x 10^7.
inline constexpr std::size_t kRunSummaryMaxSweepWork = 4'000'000;

/// For the run summary and the console: every firm's circularity on the model's money-flow graph
/// (every exposure, any status), in model order, within `kRunSummaryMaxSweepWork` (above it
/// `computed` is false; `cascade loops` solves without a bound).
CircularityResult firm_circularity(const Model& model);

/// One sentence for the summary and the console when `firm_circularity` did not solve.
std::string circularity_not_computed(const CircularityResult& r);

}  // namespace cascade::analysis
