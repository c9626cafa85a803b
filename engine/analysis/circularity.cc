#include "engine/analysis/circularity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "engine/analysis/cycles.h"
#include "engine/core/diagnostics.h"
#include "engine/model/model.h"

namespace cascade::analysis {
namespace {

/// Arc indices grouped by payee (CSR), and each firm's total inflow.
struct InflowIndex {
  std::vector<std::size_t> offsets;
  std::vector<std::size_t> arcs;
  std::vector<double> total_usd_bn;

  explicit InflowIndex(const MoneyFlowGraph& g) {
    const std::size_t n = g.firms.size();
    offsets.assign(n + 1, 0);
    for (const MoneyArc& a : g.arcs) ++offsets[a.payee + 1];
    for (std::size_t f = 0; f < n; ++f) offsets[f + 1] += offsets[f];
    arcs.resize(g.arcs.size());
    std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
    for (std::size_t i = 0; i < g.arcs.size(); ++i) arcs[cursor[g.arcs[i].payee]++] = i;
    total_usd_bn.assign(n, 0.0);
    for (std::size_t f = 0; f < n; ++f) {
      double total = g.firms[f].external_revenue_usd_bn + g.firms[f].outside_funding_usd_bn;
      for (std::size_t k = offsets[f]; k < offsets[f + 1]; ++k) total += g.arcs[arcs[k]].usd_bn;
      total_usd_bn[f] = total;
    }
  }
};

/// Gauss-Seidel sweeps of the header's system over `firms` (ascending) into `x`, which must be 0
/// on them; every other firm's share is taken as 0.
void solve(const MoneyFlowGraph& g, const InflowIndex& in, std::span<const FirmIdx> firms, FirmIdx source,
           bool financing_only, const CircularityOptions& options, std::vector<double>& x, std::size_t& sweeps,
           bool& converged) {
  sweeps = 0;
  converged = true;
  for (;;) {
    double largest_change = 0.0;
    for (const FirmIdx c : firms) {
      if (c == source || in.total_usd_bn[c] <= 0.0) continue;
      double from_source = 0.0;
      for (std::size_t k = in.offsets[c]; k < in.offsets[c + 1]; ++k) {
        const MoneyArc& a = g.arcs[in.arcs[k]];
        if (a.payer == source) {
          if (!financing_only || !a.commercial()) from_source += a.usd_bn;
        } else {
          from_source += a.usd_bn * x[a.payer];
        }
      }
      const double updated = std::min(1.0, from_source / in.total_usd_bn[c]);
      largest_change = std::max(largest_change, std::abs(updated - x[c]));
      x[c] = updated;
    }
    ++sweeps;
    if (largest_change <= options.tolerance) return;
    if (sweeps >= options.max_sweeps) {
      converged = false;
      return;
    }
  }
}

/// The money loops: the strongly connected components (of the graph without self-arcs) that
/// hold more than one firm, each firm's loop (kNoLoop outside every loop) and each loop's firms,
/// ascending.
struct MoneyLoops {
  static constexpr std::size_t kNoLoop = static_cast<std::size_t>(-1);
  std::vector<std::size_t> loop_of;
  std::vector<std::vector<FirmIdx>> firms;

  explicit MoneyLoops(const MoneyFlowGraph& g) {
    const std::size_t n = g.firms.size();
    std::vector<std::pair<Vertex, Vertex>> arcs;
    arcs.reserve(g.arcs.size());
    for (const MoneyArc& a : g.arcs)
      if (a.payer != a.payee) arcs.emplace_back(static_cast<Vertex>(a.payer), static_cast<Vertex>(a.payee));
    const Components components = strongly_connected_components(SimpleDigraph(n, arcs));
    std::vector<std::vector<FirmIdx>> members(components.count);
    for (FirmIdx f = 0; f < n; ++f) members[components.component_of[f]].push_back(f);
    loop_of.assign(n, kNoLoop);
    for (std::vector<FirmIdx>& m : members) {
      if (m.size() < 2) continue;
      for (const FirmIdx f : m) loop_of[f] = firms.size();
      firms.push_back(std::move(m));
    }
  }
};

}  // namespace

std::vector<double> origin_shares(const MoneyFlowGraph& g, FirmIdx source, bool financing_only,
                                  const CircularityOptions& options, std::size_t* sweeps_used, bool* converged) {
  CASCADE_ASSERT(source < g.firms.size(), "origin_shares: source outside the graph");
  const InflowIndex in(g);
  std::vector<FirmIdx> firms(g.firms.size());
  std::iota(firms.begin(), firms.end(), FirmIdx{0});
  std::vector<double> x(g.firms.size(), 0.0);
  std::size_t sweeps = 0;
  bool ok = true;
  solve(g, in, firms, source, financing_only, options, x, sweeps, ok);
  x[source] = 1.0;
  if (sweeps_used) *sweeps_used = sweeps;
  if (converged) *converged = ok;
  return x;
}

CircularityResult compute_circularity(const MoneyFlowGraph& g, const CircularityOptions& options) {
  const InflowIndex in(g);
  const std::size_t n = g.firms.size();
  CircularityResult r;
  r.firms.resize(n);
  std::vector<double> paid_to(n, 0.0);
  for (FirmIdx s = 0; s < n; ++s) {
    r.firms[s].firm = s;
    for (std::size_t k = in.offsets[s]; k < in.offsets[s + 1]; ++k) {
      const MoneyArc& a = g.arcs[in.arcs[k]];
      if (a.commercial() && a.payer != s) paid_to[s] += a.usd_bn;
    }
    r.firms[s].revenue_usd_bn = g.firms[s].external_revenue_usd_bn + paid_to[s];
  }
  // Money that leaves s comes back only through firms on a loop with s (any firm on a path from s
  // back to s is in its strongly connected component), so each source is solved on its loop.
  const MoneyLoops loops(g);
  std::vector<std::size_t> loop_work(loops.firms.size(), 0);  // one sweep: firms plus inflow arcs
  for (std::size_t l = 0; l < loops.firms.size(); ++l)
    for (const FirmIdx c : loops.firms[l]) loop_work[l] += 1 + (in.offsets[c + 1] - in.offsets[c]);
  for (FirmIdx s = 0; s < n; ++s)
    if (paid_to[s] > 0.0 && loops.loop_of[s] != MoneyLoops::kNoLoop) r.sweep_work += loop_work[loops.loop_of[s]];
  if (options.max_sweep_work > 0 && r.sweep_work > options.max_sweep_work) {
    r.computed = false;
    return r;
  }
  std::vector<double> x(n, 0.0);
  for (FirmIdx s = 0; s < n; ++s) {
    if (paid_to[s] <= 0.0 || loops.loop_of[s] == MoneyLoops::kNoLoop) continue;  // nothing comes back to s
    const std::vector<FirmIdx>& loop = loops.firms[loops.loop_of[s]];
    FirmCircularity& fc = r.firms[s];
    for (const bool financing_only : {false, true}) {
      std::size_t sweeps = 0;
      bool ok = true;
      solve(g, in, loop, s, financing_only, options, x, sweeps, ok);
      r.converged = r.converged && ok;
      r.max_sweeps_used = std::max(r.max_sweeps_used, sweeps);
      double circular = 0.0;
      for (std::size_t k = in.offsets[s]; k < in.offsets[s + 1]; ++k) {
        const MoneyArc& a = g.arcs[in.arcs[k]];
        if (a.commercial() && a.payer != s) circular += a.usd_bn * x[a.payer];
      }
      for (const FirmIdx c : loop) x[c] = 0.0;
      const double share = fc.revenue_usd_bn > 0.0 ? std::min(1.0, circular / fc.revenue_usd_bn) : 0.0;
      (financing_only ? fc.financing_circular_revenue_usd_bn : fc.circular_revenue_usd_bn) = circular;
      (financing_only ? fc.financing_share : fc.share) = share;
    }
  }
  return r;
}

CircularityResult firm_circularity(const Model& model) {
  return compute_circularity(build_money_flow(model), {.max_sweep_work = kRunSummaryMaxSweepWork});
}

std::string circularity_not_computed(const CircularityResult& r) {
  return "circularity not computed: one sweep over every firm's money loop would cost " +
         std::to_string(r.sweep_work) + " steps, above the summary's bound of " +
         std::to_string(kRunSummaryMaxSweepWork) + "; `cascade loops FILE` computes it";
}

}  // namespace cascade::analysis
