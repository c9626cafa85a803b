#include "engine/experiments/rank.h"

#include <tbb/task_arena.h>

#include <algorithm>
#include <limits>

#include "engine/contagion/debtrank.h"
#include "engine/core/diagnostics.h"
#include "engine/core/parallel_for.h"
#include "engine/network/exposure_network.h"
#include "engine/output/text_format.h"
#include "engine/sim/state.h"

namespace cascade {

std::vector<double> firm_debtranks(const Model& model) {
  const ExposureNetwork network(model);
  const SimState state(model, network);  // tick 0: the balance sheets as the engine sees them
  const std::size_t n = model.firms.size();
  // A firm without equity at tick 0 would start fully distressed (the DebtRank core's rule), and
  // its distress would count in every firm's score. Here only f starts distressed: such a firm
  // takes equity of the smallest positive double, the limit E0 -> 0+ of the paper's capped
  // impact, so whatever distress reaches it passes on whole (impact 1), and it weighs nothing.
  std::vector<double> equity(n), weight(n);
  double total_weight = 0.0;
  for (FirmIdx f = 0; f < n; ++f) {
    const double book_usd_bn = state.equity_usd_bn(f);
    equity[f] = book_usd_bn > 0.0 ? book_usd_bn : std::numeric_limits<double>::min();
    weight[f] = std::max(0.0, book_usd_bn);
    total_weight += weight[f];
  }
  // Claims and holdings at tick 0, grouped by obligor (CSR): debt at principal, stakes at value.
  std::vector<std::size_t> offsets(n + 1, 0);
  std::vector<std::uint32_t> holders;
  std::vector<double> amounts;
  for (FirmIdx obligor = 0; obligor < n; ++obligor) {
    for (ExposureIdx e : network.owed_by(obligor)) {
      const ExposureBook& x = state.books[e];
      const double amount = x.active ? x.principal_usd_bn + x.value_usd_bn : 0.0;
      if (amount <= 0.0) continue;
      holders.push_back(model.exposures[e].from);
      amounts.push_back(amount);
    }
    offsets[obligor + 1] = holders.size();
  }
  std::vector<double> out(n, 0.0);
  if (total_weight <= 0.0) return out;
  contagion::DebtRankWorkspace workspace;
  contagion::DebtRankResult result;
  std::vector<double> initial(n, 0.0);
  for (FirmIdx f = 0; f < n; ++f) {
    std::fill(initial.begin(), initial.end(), 0.0);
    initial[f] = 1.0;
    contagion::debtrank_single_hit({.equity = equity, .obligor_offsets = offsets, .holder = holders,
                                    .amount = amounts, .initial_distress = initial},
                                   workspace, result);
    double reached = 0.0;
    for (FirmIdx j = 0; j < n; ++j)
      if (j != f) reached += result.distress[j] * weight[j];
    out[f] = reached / total_weight;
  }
  return out;
}

LossCaused loss_caused(const SimResult& base, const SimResult& shocked, FirmIdx firm) {
  CASCADE_ASSERT(base.final_firms.size() == shocked.final_firms.size() &&
                     base.losses_by_firm.size() == shocked.losses_by_firm.size(),
                 "runs of different networks compared");
  const std::size_t n = base.final_firms.size();
  // Capital, not book equity: a pass-through fund's losses fall on its investors' capital, its
  // own equity staying 0.
  const auto capital = [](const FirmTickRecord& r) { return r.equity_usd_bn + r.investor_capital_usd_bn; };
  double capital_fall = 0.0;
  LossCaused out;
  for (FirmIdx f = 0; f < n; ++f) {
    if (f == firm) continue;
    capital_fall += capital(base.final_firms[f]) - capital(shocked.final_firms[f]);
    out.revenue_lost_usd_bn += shocked.losses_by_firm[f][DefaultChannel::revenue_contract] -
                               base.losses_by_firm[f][DefaultChannel::revenue_contract];
  }
  for (const CreditLoss& l : shocked.credit_losses)
    if (l.holder != firm) out.credit_loss_usd_bn += l.loss_usd_bn();
  for (const CreditLoss& l : base.credit_losses)
    if (l.holder != firm) out.credit_loss_usd_bn -= l.loss_usd_bn();
  std::vector<bool> defaulted_base(n, false), defaulted_shocked(n, false);
  for (const DefaultEvent& d : shocked.defaults) {
    defaulted_shocked[d.firm] = true;
    out.outside_creditor_loss_usd_bn += d.external_creditor_loss_usd_bn;
  }
  for (const DefaultEvent& d : base.defaults) {
    defaulted_base[d.firm] = true;
    out.outside_creditor_loss_usd_bn -= d.external_creditor_loss_usd_bn;
  }
  for (FirmIdx f = 0; f < n; ++f) {
    if (f == firm || defaulted_base[f] == defaulted_shocked[f]) continue;
    ++(defaulted_shocked[f] ? out.defaults_caused : out.defaults_prevented);
  }
  out.other_equity_lost_usd_bn = capital_fall - out.credit_loss_usd_bn - out.revenue_lost_usd_bn;
  return out;
}

namespace {

std::vector<FirmImpact> impacts(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                                const RankOptions& rank, ShockKind kind, double value,
                                const std::vector<double>& debtranks, const SimResult& base) {
  const std::size_t n = model.firms.size();
  std::vector<FirmImpact> out(n);
  RunOptions one_thread = options;
  one_thread.threads = 1;
  tbb::task_arena arena(options.threads);
  parallel_for_index(arena, n, 1, [&](std::size_t f) {
      Model variant = model;
      ShockSpec shock;
      shock.id = "rank-" + model.firms[f].id;
      shock.kind = kind;
      shock.tick = rank.shock_tick;
      shock.targets = {static_cast<FirmIdx>(f)};
      shock.value = value;
      shock.description = "systemic-importance experiment";
      variant.shocks.push_back(shock);
      const SimResult shocked = run_simulation(variant, one_thread, behaviours);
      out[f] = {static_cast<FirmIdx>(f), loss_caused(base, shocked, static_cast<FirmIdx>(f)), debtranks[f]};
  });
  std::stable_sort(out.begin(), out.end(), [](const FirmImpact& a, const FirmImpact& b) {
    if (a.caused.total_usd_bn() != b.caused.total_usd_bn()) return a.caused.total_usd_bn() > b.caused.total_usd_bn();
    if (a.caused.defaults_caused != b.caused.defaults_caused)
      return a.caused.defaults_caused > b.caused.defaults_caused;
    return a.firm < b.firm;
  });
  for (std::size_t k = 0; k < out.size(); ++k) {
    const bool tied = k > 0 && out[k].caused.total_usd_bn() == out[k - 1].caused.total_usd_bn() &&
                      out[k].caused.defaults_caused == out[k - 1].caused.defaults_caused;
    out[k].rank = tied ? out[k - 1].rank : k + 1;
  }
  return out;
}

}  // namespace

RankResult rank_firms(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                      const RankOptions& rank_options) {
  RankResult out;
  RunOptions one_thread = options;
  one_thread.threads = 1;
  const SimResult base = run_simulation(model, one_thread, behaviours);
  const std::vector<double> debtranks = firm_debtranks(model);
  out.failure = impacts(model, options, behaviours, rank_options, ShockKind::force_default, 0.0, debtranks, base);
  if (rank_options.revenue_shock_fraction)
    out.revenue_shock = impacts(model, options, behaviours, rank_options, ShockKind::revenue_multiplier,
                                *rank_options.revenue_shock_fraction, debtranks, base);
  return out;
}

std::string rank_csv(const RankResult& result, const Model& model) {
  using output::format_number;
  std::string csv =
      "experiment,rank,firm,type,total_loss_caused_usd_bn,credit_loss_caused_usd_bn,revenue_lost_caused_usd_bn,"
      "other_equity_lost_caused_usd_bn,outside_creditor_loss_caused_usd_bn,defaults_caused,defaults_prevented,"
      "debtrank\n";
  auto rows = [&](std::string_view experiment, const std::vector<FirmImpact>& impacts) {
    for (const FirmImpact& i : impacts) {
      const LossCaused& c = i.caused;
      csv += std::string(experiment) + ',' + std::to_string(i.rank) + ',' + output::csv_field(model.firms[i.firm].id) +
             ',' + std::string(to_string(model.firms[i.firm].type)) + ',' + format_number(c.total_usd_bn()) + ',' +
             format_number(c.credit_loss_usd_bn) + ',' + format_number(c.revenue_lost_usd_bn) + ',' +
             format_number(c.other_equity_lost_usd_bn) + ',' + format_number(c.outside_creditor_loss_usd_bn) + ',' +
             std::to_string(c.defaults_caused) + ',' + std::to_string(c.defaults_prevented) + ',' +
             format_number(i.debtrank) + '\n';
    }
  };
  rows("failure", result.failure);
  rows("revenue_shock", result.revenue_shock);
  return csv;
}

}  // namespace cascade
