#include "engine/sweep/metrics.h"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

#include "engine/core/diagnostics.h"
#include "engine/experiments/run_loss.h"

namespace cascade::sweep {
namespace {

constexpr std::array<MetricInfo, 16> kCatalogue{{
    {"system_equity_loss_usd_bn", "", "system_equity_loss_usd_bn", "USD bn",
     "equity lost by the firms whose equity fell, start to end (gains elsewhere do not offset it)"},
    {"net_equity_loss_usd_bn", "", "net_equity_loss_usd_bn", "USD bn",
     "system equity at the start minus at the end (gains offset losses)"},
    {"system_equity_end_usd_bn", "", "system_equity_end_usd_bn", "USD bn", "system equity at the last tick"},
    {"credit_loss_usd_bn", "", "credit_loss_usd_bn", "USD bn",
     "claims minus recoveries on defaulted firms, over the run"},
    {"credit_loss_by_holder_type", "", "credit_loss_<firm type>_usd_bn", "USD bn",
     "credit losses by the type of the firm that holds the claim (one column per firm type)"},
    {"loss_by_channel", "", "loss_<channel>_usd_bn", "USD bn",
     "losses attributed to each contagion channel, net, summed over firms (one column per channel)"},
    {"writedown_usd_bn", "", "writedown_usd_bn", "USD bn",
     "value destroyed by impairments, write-downs and stranded builds (not ordinary depreciation)"},
    {"defaults", "", "defaults", "firms", "number of firms that defaulted"},
    {"first_default_tick", "", "first_default_tick", "tick",
     "tick of the first default; horizon + 1 when no firm defaulted"},
    {"defaults_by_firm_type", "", "defaults_<firm type>", "firms",
     "number of defaults by firm type (one column per firm type)"},
    {"defaulted", "firm", "defaulted_<firm>", "0 or 1", "whether the firm defaulted (defaulted:* for every firm)"},
    {"default_tick", "firm", "default_tick_<firm>", "tick",
     "tick at which the firm defaulted; horizon + 1 when it did not (default_tick:* for every firm)"},
    {"gpu_price_end", "", "gpu_price_end", "index (1 at tick 0)", "the GPU price index at the last tick"},
    {"gpu_price_min", "", "gpu_price_min", "index (1 at tick 0)", "the lowest GPU price index over the run"},
    {"market_stress_peak", "", "market_stress_peak", "index in [0, 1]",
     "the highest credit-market stress index over the run"},
    {"sentiment_min", "", "sentiment_min", "index (1 at tick 0)", "the lowest equity-market sentiment over the run"},
}};

const MetricInfo* find_metric(std::string_view name) {
  for (const MetricInfo& m : kCatalogue)
    if (m.name == name) return &m;
  return nullptr;
}

struct Parsed {
  std::string_view name;
  std::optional<std::string_view> argument;
};
Parsed parse(std::string_view output) {
  const std::size_t colon = output.find(':');
  if (colon == std::string_view::npos) return {output, std::nullopt};
  return {output.substr(0, colon), output.substr(colon + 1)};
}

std::optional<Tick> default_tick_of(const SimResult& r, FirmIdx f) {
  for (const DefaultEvent& d : r.defaults)
    if (d.firm == f) return d.tick;
  return std::nullopt;
}

}  // namespace

std::span<const MetricInfo> metric_catalogue() { return kCatalogue; }

std::vector<std::string> default_outputs() {
  return {"system_equity_loss_usd_bn", "credit_loss_usd_bn", "defaults", "first_default_tick", "gpu_price_end",
          "market_stress_peak"};
}

std::string metric_problem(std::string_view output, const Model& model) {
  const Parsed p = parse(output);
  const MetricInfo* info = find_metric(p.name);
  if (!info) {
    std::vector<std::string> names;
    for (const MetricInfo& m : kCatalogue) names.emplace_back(m.name);
    const std::string guess = did_you_mean(std::string(p.name), names);
    return "unknown output '" + std::string(p.name) + "'" +
           (guess.empty() ? " (the catalogue is in docs/sweep-format.md, \"Outputs\")" : " (did you mean '" + guess + "'?)");
  }
  if (info->argument.empty()) {
    if (p.argument) return "output '" + std::string(p.name) + "' takes no argument, got '" + std::string(output) + "'";
    return "";
  }
  if (!p.argument || p.argument->empty())
    return "output '" + std::string(p.name) + "' names a firm: write " + std::string(p.name) + ":<firm id> or " +
           std::string(p.name) + ":*";
  if (*p.argument == "*" || model.find_firm(*p.argument)) return "";
  std::vector<std::string> ids;
  for (const FirmSpec& f : model.firms) ids.push_back(f.id);
  const std::string guess = ids.size() <= 100'000 ? did_you_mean(std::string(*p.argument), ids) : std::string();
  return "unknown firm '" + std::string(*p.argument) + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)");
}

MetricSet MetricSet::expand(std::span<const std::string> outputs, const Model& model) {
  MetricSet set;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string name, std::string_view unit, Evaluator eval) {
    if (!seen.insert(name).second) return;
    set.columns_.push_back({std::move(name), std::string(unit)});
    set.evaluators_.push_back(std::move(eval));
  };
  const double censored_tick = model.params.horizon_ticks + 1.0;
  for (const std::string& output : outputs) {
    const Parsed p = parse(output);
    const MetricInfo* info = find_metric(p.name);
    CASCADE_ASSERT(info != nullptr, "output '" + output + "' was not validated");
    const std::string_view name = info->name;
    if (name == "system_equity_loss_usd_bn") {
      add("system_equity_loss_usd_bn", info->unit, [](const Model&, const SimResult& r) { return r.system_equity_lost_usd_bn(); });
    } else if (name == "net_equity_loss_usd_bn") {
      add("net_equity_loss_usd_bn", info->unit,
          [](const Model&, const SimResult& r) { return RunLoss::of(r).net_equity_loss_usd_bn; });
    } else if (name == "system_equity_end_usd_bn") {
      add("system_equity_end_usd_bn", info->unit, [](const Model&, const SimResult& r) { return r.final.equity_usd_bn; });
    } else if (name == "credit_loss_usd_bn") {
      add("credit_loss_usd_bn", info->unit, [](const Model&, const SimResult& r) { return RunLoss::of(r).credit_loss_usd_bn; });
    } else if (name == "credit_loss_by_holder_type") {
      for (FirmType t : all_firm_types())
        add("credit_loss_" + std::string(to_string(t)) + "_usd_bn", info->unit,
            [t](const Model& m, const SimResult& r) { return r.credit_loss_by_holder_type_usd_bn(t, m); });
    } else if (name == "loss_by_channel") {
      for (std::size_t c = 1; c < kDefaultChannelCount; ++c) {
        const auto channel = static_cast<DefaultChannel>(c);
        add("loss_" + std::string(to_string(channel)) + "_usd_bn", info->unit,
            [channel](const Model&, const SimResult& r) { return r.losses_by_channel_usd_bn(channel); });
      }
    } else if (name == "writedown_usd_bn") {
      add("writedown_usd_bn", info->unit, [](const Model&, const SimResult& r) { return r.total_writedown_usd_bn; });
    } else if (name == "defaults") {
      add("defaults", info->unit, [](const Model&, const SimResult& r) { return static_cast<double>(r.defaults.size()); });
    } else if (name == "first_default_tick") {
      add("first_default_tick", info->unit, [censored_tick](const Model&, const SimResult& r) {
        return r.defaults.empty() ? censored_tick : static_cast<double>(r.defaults.front().tick);
      });
    } else if (name == "defaults_by_firm_type") {
      for (FirmType t : all_firm_types())
        add("defaults_" + std::string(to_string(t)), info->unit, [t](const Model& m, const SimResult& r) {
          return static_cast<double>(
              std::count_if(r.defaults.begin(), r.defaults.end(), [&](const DefaultEvent& d) { return m.firms[d.firm].type == t; }));
        });
    } else if (name == "defaulted" || name == "default_tick") {
      std::vector<FirmIdx> firms;
      if (*p.argument == "*")
        for (FirmIdx f = 0; f < model.firms.size(); ++f) firms.push_back(f);
      else
        firms.push_back(*model.find_firm(*p.argument));
      for (FirmIdx f : firms) {
        if (name == "defaulted")
          add("defaulted_" + model.firms[f].id, info->unit,
              [f](const Model&, const SimResult& r) { return default_tick_of(r, f) ? 1.0 : 0.0; });
        else
          add("default_tick_" + model.firms[f].id, info->unit, [f, censored_tick](const Model&, const SimResult& r) {
            const std::optional<Tick> t = default_tick_of(r, f);
            return t ? static_cast<double>(*t) : censored_tick;
          });
      }
    } else if (name == "gpu_price_end") {
      add("gpu_price_end", info->unit, [](const Model&, const SimResult& r) { return r.final.gpu_price_index; });
    } else if (name == "gpu_price_min") {
      add("gpu_price_min", info->unit, [](const Model&, const SimResult& r) { return r.min_gpu_price_index; });
    } else if (name == "market_stress_peak") {
      add("market_stress_peak", info->unit, [](const Model&, const SimResult& r) { return r.peak_market_stress_index; });
    } else if (name == "sentiment_min") {
      add("sentiment_min", info->unit, [](const Model&, const SimResult& r) { return r.min_sentiment_index; });
    } else {
      CASCADE_ASSERT(false, "catalogue entry '" + std::string(name) + "' has no evaluator");
    }
  }
  return set;
}

void MetricSet::evaluate(const Model& model, const SimResult& result, std::span<double> out) const {
  CASCADE_ASSERT(out.size() == evaluators_.size(), "metric row of the wrong size");
  for (std::size_t i = 0; i < evaluators_.size(); ++i) out[i] = evaluators_[i](model, result);
}

}  // namespace cascade::sweep
