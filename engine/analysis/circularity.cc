#include "engine/analysis/circularity.h"

#include <algorithm>
#include <cmath>

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

std::vector<double> solve(const MoneyFlowGraph& g, const InflowIndex& in, FirmIdx source, bool financing_only,
                          const CircularityOptions& options, std::size_t& sweeps, bool& converged) {
  const std::size_t n = g.firms.size();
  std::vector<double> x(n, 0.0);
  sweeps = 0;
  converged = true;
  for (;;) {
    double largest_change = 0.0;
    for (FirmIdx c = 0; c < n; ++c) {
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
    if (largest_change <= options.tolerance) break;
    if (sweeps >= options.max_sweeps) {
      converged = false;
      break;
    }
  }
  x[source] = 1.0;
  return x;
}

}  // namespace

std::vector<double> origin_shares(const MoneyFlowGraph& g, FirmIdx source, bool financing_only,
                                  const CircularityOptions& options, std::size_t* sweeps_used, bool* converged) {
  CASCADE_ASSERT(source < g.firms.size(), "origin_shares: source outside the graph");
  const InflowIndex in(g);
  std::size_t sweeps = 0;
  bool ok = true;
  std::vector<double> x = solve(g, in, source, financing_only, options, sweeps, ok);
  if (sweeps_used) *sweeps_used = sweeps;
  if (converged) *converged = ok;
  return x;
}

CircularityResult compute_circularity(const MoneyFlowGraph& g, const CircularityOptions& options) {
  const InflowIndex in(g);
  CircularityResult r;
  r.firms.resize(g.firms.size());
  for (FirmIdx s = 0; s < g.firms.size(); ++s) {
    FirmCircularity& fc = r.firms[s];
    fc.firm = s;
    double paid_to_s = 0.0;
    for (std::size_t k = in.offsets[s]; k < in.offsets[s + 1]; ++k) {
      const MoneyArc& a = g.arcs[in.arcs[k]];
      if (a.commercial() && a.payer != s) paid_to_s += a.usd_bn;
    }
    fc.revenue_usd_bn = g.firms[s].external_revenue_usd_bn + paid_to_s;
    if (paid_to_s <= 0.0) continue;  // nothing it sells inside the network: no circular revenue
    for (const bool financing_only : {false, true}) {
      std::size_t sweeps = 0;
      bool ok = true;
      const std::vector<double> x = solve(g, in, s, financing_only, options, sweeps, ok);
      r.converged = r.converged && ok;
      r.max_sweeps_used = std::max(r.max_sweeps_used, sweeps);
      double circular = 0.0;
      for (std::size_t k = in.offsets[s]; k < in.offsets[s + 1]; ++k) {
        const MoneyArc& a = g.arcs[in.arcs[k]];
        if (a.commercial() && a.payer != s) circular += a.usd_bn * x[a.payer];
      }
      const double share = fc.revenue_usd_bn > 0.0 ? std::min(1.0, circular / fc.revenue_usd_bn) : 0.0;
      (financing_only ? fc.financing_circular_revenue_usd_bn : fc.circular_revenue_usd_bn) = circular;
      (financing_only ? fc.financing_share : fc.share) = share;
    }
  }
  return r;
}

std::vector<FirmCircularity> firm_circularity(const Model& model, const MoneyFlowOptions& options) {
  return compute_circularity(build_money_flow(model, options)).firms;
}

}  // namespace cascade::analysis
