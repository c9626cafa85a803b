#include "engine/experiments/ablation.h"

#include <tbb/task_arena.h>

#include "engine/core/parallel_for.h"
#include "engine/network/exposure_network.h"
#include "engine/output/text_format.h"

namespace cascade {

std::vector<AblationCase> ablation_plan(const Channels& base) {
  const auto& names = Channels::names();
  Channels none = base;
  for (std::size_t c = 0; c < Channels::kCount; ++c) none.at(c) = false;
  std::vector<AblationCase> plan{{"all", base}, {"none", none}};
  for (std::size_t c = 0; c < Channels::kCount; ++c) {
    if (!base.at(c)) continue;
    Channels only = none, all_but = base;
    only.at(c) = true;
    all_but.at(c) = false;
    plan.push_back({"only:" + std::string(names[c]), only});
    plan.push_back({"all_but:" + std::string(names[c]), all_but});
  }
  return plan;
}

AblationResult run_ablation(const Model& model, const RunOptions& options, const Behaviours& behaviours) {
  AblationResult out;
  out.cases = ablation_plan(model.channels);
  out.metrics.resize(out.cases.size());
  const ExposureNetwork network(model);  // the same graph for every case
  RunOptions one_thread = options;
  one_thread.threads = 1;
  tbb::task_arena arena(options.threads);
  parallel_for_index(arena, out.cases.size(), 1, [&](std::size_t k) {
    Model variant = model;
    variant.channels = out.cases[k].channels;
    out.metrics[k] = RunLoss::of(run_simulation(variant, network, one_thread, behaviours));
  });

  // Cases come as all, none, then (only, all_but) pairs in channel order.
  const RunLoss& all = out.metrics[0];
  const RunLoss& none = out.metrics[1];
  RunLoss standalone_sum;
  std::size_t k = 2;
  for (std::size_t c = 0; c < Channels::kCount; ++c) {
    if (!model.channels.at(c)) continue;
    const ChannelEffect effect{Channels::names()[c], out.metrics[k] - none, all - out.metrics[k + 1]};
    standalone_sum = standalone_sum + effect.standalone;
    out.effects.push_back(effect);
    k += 2;
  }
  out.interaction = (all - none) - standalone_sum;
  return out;
}

std::string ablation_csv(const AblationResult& result) {
  std::string csv = "row,case,equity_lost_usd_bn,net_equity_loss_usd_bn,credit_loss_usd_bn,defaults\n";
  auto row = [&](std::string_view kind, std::string_view label, const RunLoss& m) {
    csv += kind;
    csv += ',';
    csv += label;
    csv += ',' + output::format_amount(m.equity_lost_usd_bn) + ',' + output::format_amount(m.net_equity_loss_usd_bn) +
           ',' + output::format_amount(m.credit_loss_usd_bn) + ',' +
           output::format_amount(m.defaults) + '\n';
  };
  for (std::size_t k = 0; k < result.cases.size(); ++k) row("run", result.cases[k].label, result.metrics[k]);
  for (const ChannelEffect& e : result.effects) {
    row("standalone", e.channel, e.standalone);
    row("marginal", e.channel, e.marginal);
  }
  row("interaction", "all", result.interaction);
  return csv;
}

}  // namespace cascade
