// Money loops: strongly connected components and elementary cycles of the money-flow graph,
// each cycle with the money that goes round it per year and its weakest link.
//
//   const MoneyFlowGraph g = build_money_flow(model);
//   const LoopReport r = find_loops(g, {.max_length = 6, .max_cycles = 100000});
//   for (const MoneyCycle& c : r.cycles) { /* c.usd_bn per year goes round c.firms */ }
//
// Cycles are taken on firms, not exposures: a step from one firm to the next carries every
// money arc between them (say an equity stake and vendor financing), and its amount is their
// sum. The money that goes round a cycle is its smallest step (no more can complete the loop).
// docs/circular-financing.md defines every field. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/analysis/money_flow.h"

namespace cascade {
struct Model;
}

namespace cascade::analysis {

/// Every money arc from one firm to the next on a cycle.
struct LoopStep {
  FirmIdx payer = 0;
  FirmIdx payee = 0;
  std::vector<std::size_t> arcs;  ///< indices into MoneyFlowGraph::arcs, ascending
  double usd_bn = 0.0;            ///< sum of the arcs' amounts
  bool enforced = false;          ///< at least one of the arcs has an enforced status
};

struct MoneyCycle {
  /// Firms in money order, starting at the one with the smallest index: step i runs
  /// firms[i] -> firms[i + 1], the last step back to firms[0].
  std::vector<FirmIdx> firms;
  std::vector<LoopStep> steps;  ///< steps[i] leaves firms[i]
  double usd_bn = 0.0;          ///< the money that goes round: min over steps
  std::size_t weakest_step = 0;  ///< the step with that minimum (the first one on a tie)
  /// The firm on the cycle with the smallest book equity cushion (equity / assets at tick 0):
  /// the one that can absorb the least loss; the first in cycle order on a tie.
  FirmIdx weakest_firm = 0;
  bool enforced = false;  ///< every step has an enforced arc: the loop runs in a simulation
};

/// A strongly connected component with a cycle in it: money can go round among its firms.
struct MoneyComponent {
  std::vector<FirmIdx> firms;  ///< ascending
  std::size_t arcs = 0;        ///< money arcs between its firms
  double usd_bn = 0.0;         ///< their total amount
};

struct LoopOptions {
  std::size_t max_length = 6;       ///< most firms on a cycle; 0 = no bound
  std::size_t max_cycles = 100000;  ///< stop (truncated) when more cycles than this exist
};

struct LoopReport {
  std::vector<MoneyComponent> components;  ///< largest first, then by smallest firm index
  /// Sorted by amount (largest first), then by the firms' ids in cycle order. When truncated,
  /// these are the first max_cycles cycles the search found (not the largest ones).
  std::vector<MoneyCycle> cycles;
  bool truncated = false;
};

LoopReport find_loops(const MoneyFlowGraph& g, const LoopOptions& options = {});

/// For each arc, whether it lies on an elementary cycle of at most `max_length` firms (0 = any
/// length): exactly when the shortest money path from its payee back to its payer has at most
/// max_length - 1 steps. Exact, and independent of any cycle limit.
std::vector<bool> arcs_on_cycles(const MoneyFlowGraph& g, std::size_t max_length);

/// How a named loop of the source data (`loops:` in a scenario) shows in the cycles found.
struct NamedLoopMatch {
  std::size_t loop = 0;  ///< index into Model::loops
  /// Cycles (indices into LoopReport::cycles) every step of which carries an exposure the
  /// named loop lists: the loop closes as money with its own edges.
  std::vector<std::size_t> cycles;
};
/// One entry per Model::loops, in order. `g` must be built from `model`.
std::vector<NamedLoopMatch> match_named_loops(const Model& model, const MoneyFlowGraph& g, const LoopReport& report);

}  // namespace cascade::analysis
