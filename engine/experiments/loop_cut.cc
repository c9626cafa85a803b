#include "engine/experiments/loop_cut.h"

#include <tbb/task_arena.h>

#include "engine/analysis/loops.h"
#include "engine/analysis/money_flow.h"
#include "engine/core/parallel_for.h"
#include "engine/model/derive.h"
#include "engine/output/text_format.h"

namespace cascade {
namespace {

/// Cash of the outside counterparty: large enough that it can never fall short (USD bn).
constexpr double kOutsideCashUsdBn = 1e9;

std::vector<bool> original_firms(std::size_t count, std::size_t total) {
  std::vector<bool> counted(total, false);
  for (std::size_t f = 0; f < count; ++f) counted[f] = true;
  return counted;
}

}  // namespace

Model with_outside_counterparty(const Model& model, ExposureIdx e) {
  Model out = model;
  ExposureSpec& spec = out.exposures.at(e);
  FirmSpec outside;
  outside.id = "outside_" + spec.id;
  outside.name = "outside counterparty for " + spec.id;
  outside.type = FirmType::bond_investor;
  outside.cash_usd_bn = kOutsideCashUsdBn;
  // Reported totals include the network part (docs/model.md), so the outside party reports
  // the claim or the revenue it now carries.
  if (is_debt(spec.kind) || is_security(spec.kind)) outside.other_assets_usd_bn = spec.effective_amount_usd_bn;
  if (is_contract_stream(spec.kind)) outside.revenue_usd_bn_per_year = spec.annual_usd_bn;
  outside.params = AgentParams{};
  outside.params.liquidity_buffer_months = 0.0;
  outside.params.rollover_capital_loss_limit_fraction = 10.0;  // an outside lender keeps rolling on the same terms
  outside.params.max_stress_to_lend = 1.0;
  outside.where = spec.where;
  // The obligor keeps the same terms, including what its supplier's type implied.
  if (spec.kind == ExposureKind::purchase_commitment) spec.purpose_given = spec.purpose;
  spec.from = static_cast<FirmIdx>(out.firms.size());
  out.firms.push_back(std::move(outside));
  Diagnostics ignored;  // the original model was valid; re-deriving only moves totals
  derive_model_quantities(out, ignored);
  return out;
}

LoopCutResult cut_loops(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                        const LoopCutOptions& loop_options) {
  LoopCutResult out;
  const analysis::MoneyFlowGraph graph = analysis::build_money_flow(model, {.enforced_only = true});
  const analysis::LoopReport loops =
      analysis::find_loops(graph, {.max_length = loop_options.max_length, .max_cycles = 100000});
  for (const analysis::MoneyCycle& cycle : loops.cycles) {
    if (out.cases.size() == loop_options.max_loops) {
      out.truncated = true;
      break;
    }
    LoopCutCase c;
    c.firms = cycle.firms;
    c.usd_bn_per_year = cycle.usd_bn;
    double best_financing = -1.0;
    std::optional<ExposureIdx> weakest;
    for (std::size_t s = 0; s < cycle.steps.size(); ++s) {
      const analysis::LoopStep& step = cycle.steps[s];
      std::optional<ExposureIdx> largest;
      double largest_usd_bn = -1.0;
      for (std::size_t a : step.arcs) {
        const analysis::MoneyArc& arc = graph.arcs[a];
        if (!arc.exposure || !arc.enforced) continue;
        if (arc.usd_bn > largest_usd_bn) {
          largest_usd_bn = arc.usd_bn;
          largest = *arc.exposure;
        }
        if (!arc.commercial() && arc.usd_bn > best_financing) {
          best_financing = arc.usd_bn;
          c.cut = *arc.exposure;
        }
      }
      if (largest) c.exposures.push_back(*largest);
      if (s == cycle.weakest_step) weakest = largest;
    }
    if (best_financing < 0.0) {
      if (!weakest) continue;  // no enforced exposure to cut (cannot happen with enforced_only)
      c.cut = *weakest;
    }
    out.cases.push_back(std::move(c));
  }
  out.truncated = out.truncated || loops.truncated;

  out.without.resize(out.cases.size());
  RunOptions one_thread = options;
  one_thread.threads = 1;
  tbb::task_arena arena(options.threads);
  parallel_for_index(arena, out.cases.size() + 1, 1, [&](std::size_t k) {
    if (k == out.cases.size()) {
      out.base = RunLoss::of(run_simulation(model, one_thread, behaviours));
      return;
    }
    const Model variant = with_outside_counterparty(model, out.cases[k].cut);
    const std::vector<bool> counted = original_firms(model.firms.size(), variant.firms.size());
    out.without[k] = RunLoss::of(run_simulation(variant, one_thread, behaviours), &counted);
  });
  for (const RunLoss& w : out.without) out.contribution.push_back(out.base - w);
  return out;
}

std::string loop_cut_csv(const LoopCutResult& result, const Model& model) {
  using output::format_amount;
  std::string csv =
      "loop,firms,cut_exposure,usd_bn_per_year,equity_lost_usd_bn,equity_lost_without_usd_bn,"
      "equity_lost_added_usd_bn,net_equity_loss_usd_bn,net_equity_loss_without_usd_bn,net_equity_loss_added_usd_bn,"
      "credit_loss_usd_bn,credit_loss_without_usd_bn,credit_loss_added_usd_bn,"
      "defaults,defaults_without,defaults_added\n";
  for (std::size_t k = 0; k < result.cases.size(); ++k) {
    const LoopCutCase& c = result.cases[k];
    std::string firms;
    for (FirmIdx f : c.firms) firms += (firms.empty() ? "" : " > ") + model.firms[f].id;
    const RunLoss& b = result.base;
    const RunLoss& w = result.without[k];
    const RunLoss& d = result.contribution[k];
    csv += std::to_string(k + 1) + ',' + output::csv_field(firms) + ',' + output::csv_field(model.exposures[c.cut].id) +
           ',' + format_amount(c.usd_bn_per_year) + ',' + format_amount(b.equity_lost_usd_bn) + ',' +
           format_amount(w.equity_lost_usd_bn) + ',' + format_amount(d.equity_lost_usd_bn) + ',' +
           format_amount(b.net_equity_loss_usd_bn) + ',' + format_amount(w.net_equity_loss_usd_bn) + ',' +
           format_amount(d.net_equity_loss_usd_bn) + ',' + format_amount(b.credit_loss_usd_bn) + ',' +
           format_amount(w.credit_loss_usd_bn) + ',' + format_amount(d.credit_loss_usd_bn) + ',' +
           format_amount(b.defaults) + ',' + format_amount(w.defaults) + ',' + format_amount(d.defaults) + '\n';
  }
  return csv;
}

}  // namespace cascade
