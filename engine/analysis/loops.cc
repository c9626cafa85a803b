#include "engine/analysis/loops.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "engine/analysis/cycles.h"
#include "engine/core/diagnostics.h"
#include "engine/model/model.h"

namespace cascade::analysis {
namespace {

/// The money arcs grouped by (payer, payee), each group's arcs ascending.
using StepIndex = std::map<std::pair<FirmIdx, FirmIdx>, std::vector<std::size_t>>;

StepIndex index_steps(const MoneyFlowGraph& g) {
  StepIndex steps;
  for (std::size_t i = 0; i < g.arcs.size(); ++i) steps[{g.arcs[i].payer, g.arcs[i].payee}].push_back(i);
  return steps;
}

SimpleDigraph firm_digraph(const MoneyFlowGraph& g) {
  std::vector<std::pair<Vertex, Vertex>> arcs;
  arcs.reserve(g.arcs.size());
  for (const MoneyArc& a : g.arcs) arcs.emplace_back(a.payer, a.payee);
  return SimpleDigraph(g.firms.size(), arcs);
}

LoopStep make_step(const MoneyFlowGraph& g, const StepIndex& index, FirmIdx payer, FirmIdx payee) {
  const auto it = index.find({payer, payee});
  CASCADE_ASSERT(it != index.end(), "a cycle uses a step without money arcs");
  LoopStep s;
  s.payer = payer;
  s.payee = payee;
  s.arcs = it->second;
  for (std::size_t a : s.arcs) {
    s.usd_bn += g.arcs[a].usd_bn;
    s.enforced = s.enforced || g.arcs[a].enforced;
  }
  return s;
}

MoneyCycle make_cycle(const MoneyFlowGraph& g, const StepIndex& index, const std::vector<Vertex>& vertices) {
  MoneyCycle c;
  c.firms.assign(vertices.begin(), vertices.end());
  c.enforced = true;
  c.usd_bn = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < c.firms.size(); ++i) {
    c.steps.push_back(make_step(g, index, c.firms[i], c.firms[(i + 1) % c.firms.size()]));
    const LoopStep& s = c.steps.back();
    if (s.usd_bn < c.usd_bn) {
      c.usd_bn = s.usd_bn;
      c.weakest_step = i;
    }
    c.enforced = c.enforced && s.enforced;
  }
  c.weakest_firm = c.firms.front();
  for (FirmIdx f : c.firms)
    if (g.firms[f].equity_cushion() < g.firms[c.weakest_firm].equity_cushion()) c.weakest_firm = f;
  return c;
}

/// Larger amounts first, then the firm ids in cycle order (lexicographically, a prefix first).
bool cycle_before(const MoneyFlowGraph& g, const MoneyCycle& a, const MoneyCycle& b) {
  if (a.usd_bn != b.usd_bn) return a.usd_bn > b.usd_bn;
  return std::lexicographical_compare(a.firms.begin(), a.firms.end(), b.firms.begin(), b.firms.end(),
                                      [&](FirmIdx x, FirmIdx y) { return g.firms[x].id < g.firms[y].id; });
}

}  // namespace

LoopReport find_loops(const MoneyFlowGraph& g, const LoopOptions& options) {
  const SimpleDigraph digraph = firm_digraph(g);
  const StepIndex index = index_steps(g);
  LoopReport r;

  const Components comps = strongly_connected_components(digraph);
  for (const std::vector<Vertex>& members : comps.cyclic(digraph)) {
    MoneyComponent mc;
    mc.firms.assign(members.begin(), members.end());
    const std::size_t id = comps.component_of[members.front()];
    for (const MoneyArc& a : g.arcs)
      if (comps.component_of[a.payer] == id && comps.component_of[a.payee] == id) {
        ++mc.arcs;
        mc.usd_bn += a.usd_bn;
      }
    r.components.push_back(std::move(mc));
  }

  const CycleSearch found =
      elementary_cycles(digraph, CycleLimits{.max_length = options.max_length, .max_cycles = options.max_cycles});
  r.truncated = found.truncated;
  r.cycles.reserve(found.cycles.size());
  for (const std::vector<Vertex>& vertices : found.cycles) r.cycles.push_back(make_cycle(g, index, vertices));
  std::sort(r.cycles.begin(), r.cycles.end(),
            [&](const MoneyCycle& a, const MoneyCycle& b) { return cycle_before(g, a, b); });
  return r;
}

std::vector<bool> arcs_on_cycles(const MoneyFlowGraph& g, std::size_t max_length) {
  const SimpleDigraph digraph = firm_digraph(g);
  std::vector<bool> on(g.arcs.size(), false);
  // Distances from each payee that some arc needs, computed once per payee.
  std::vector<std::vector<std::size_t>> from(g.firms.size());
  for (std::size_t i = 0; i < g.arcs.size(); ++i) {
    const MoneyArc& a = g.arcs[i];
    if (a.payer == a.payee) {
      on[i] = true;  // a self-loop is a cycle of one firm
      continue;
    }
    if (from[a.payee].empty()) from[a.payee] = bfs_distances(digraph, a.payee);
    const std::size_t back = from[a.payee][a.payer];
    on[i] = back != std::numeric_limits<std::size_t>::max() && (max_length == 0 || back + 1 <= max_length);
  }
  return on;
}

std::vector<NamedLoopMatch> match_named_loops(const Model& model, const MoneyFlowGraph& g, const LoopReport& report) {
  std::vector<NamedLoopMatch> out;
  for (std::size_t l = 0; l < model.loops.size(); ++l) {
    const std::vector<ExposureIdx>& edges = model.loops[l].edges;
    const auto listed = [&](std::size_t arc) {
      return g.arcs[arc].exposure && std::find(edges.begin(), edges.end(), *g.arcs[arc].exposure) != edges.end();
    };
    NamedLoopMatch m;
    m.loop = l;
    for (std::size_t c = 0; c < report.cycles.size(); ++c) {
      const std::vector<LoopStep>& steps = report.cycles[c].steps;
      if (std::all_of(steps.begin(), steps.end(),
                      [&](const LoopStep& s) { return std::any_of(s.arcs.begin(), s.arcs.end(), listed); }))
        m.cycles.push_back(c);
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace cascade::analysis
