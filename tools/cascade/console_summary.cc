#include "tools/cascade/console_summary.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "engine/analysis/circularity.h"
#include "engine/output/run_writer.h"
#include "engine/output/text_format.h"

namespace cascade::cli {
using output::describe_ticks;
using output::format_usd_bn;
namespace {

/// More defaults than this are summarised as "... and N more"; defaults.csv has them all.
constexpr std::size_t kMaxDefaultsListed = 20;

/// "label (USD bn): a 1.0, b 2.5" over the non-zero entries, or "label (USD bn): none".
template <typename Values, typename LossOf>
std::string loss_line(std::string_view label, const Values& values, LossOf loss_of) {
  std::string line = fmt::format("{} (USD bn):", label);
  bool any = false;
  for (const auto v : values) {
    const double loss_usd_bn = loss_of(v);
    if (std::abs(loss_usd_bn) < 0.005) continue;  // shows as 0.0: leave it out
    line += fmt::format("{} {} {}", any ? "," : "", to_string(v), format_usd_bn(loss_usd_bn));
    any = true;
  }
  if (!any) line += " none";
  return line + "\n";
}

}  // namespace

std::string format_run_summary(const Model& model, const SimResult& result, const RunOptions& options,
                               const analysis::CircularityResult& circularity, const std::filesystem::path& out_dir) {
  std::string text = fmt::format("Cascade {} — {} ({}, {} firms, {} exposures, seed {})\n", CASCADE_VERSION,
                                 model.info.name, describe_ticks(model.params.horizon_ticks, model.params.ticks_per_year),
                                 model.firms.size(), model.exposures.size(), options.seed);
  if (result.ticks_run != model.params.horizon_ticks)
    text += fmt::format("Stopped after {} of {} ticks\n", result.ticks_run, model.params.horizon_ticks);

  if (result.defaults.empty()) {
    text += "Defaults: none\n";
  } else {
    text += fmt::format("Defaults ({}):\n", result.defaults.size());
    const std::size_t listed = std::min(result.defaults.size(), kMaxDefaultsListed);
    std::size_t id_width = 0;
    for (std::size_t i = 0; i < listed; ++i)
      id_width = std::max(id_width, model.firms[result.defaults[i].firm].id.size());
    for (std::size_t i = 0; i < listed; ++i) {
      const DefaultEvent& d = result.defaults[i];
      text += fmt::format("  tick {:<4} {:<{}}  {:<9}  via {:<18}  — {}\n", d.tick, model.firms[d.firm].id, id_width,
                          to_string(d.kind), to_string(d.channel), d.detail);
    }
    if (result.defaults.size() > listed)
      text += fmt::format("  ... and {} more (defaults.csv)\n", result.defaults.size() - listed);
  }

  text += loss_line("Credit losses by holder type", all_firm_types(),
                    [&](FirmType t) { return result.credit_loss_by_holder_type_usd_bn(t, model); });
  text += loss_line("Credit losses by exposure kind", all_exposure_kinds(),
                    [&](ExposureKind k) { return result.credit_loss_by_kind_usd_bn(k); });
  // Losses by channel, by what they are: realised, marks (with gains apart), revenue foregone,
  // receivables still unpaid.
  auto channels_of = [](LossNature nature) {
    std::vector<DefaultChannel> out;
    for (std::size_t c = 1; c < kDefaultChannelCount; ++c)
      if (nature_of(static_cast<DefaultChannel>(c)) == nature) out.push_back(static_cast<DefaultChannel>(c));
    return out;
  };
  auto channel_loss = [&](DefaultChannel c) { return result.losses_by_channel_usd_bn(c); };
  double gains = 0.0;
  for (const ChannelLosses& l : result.losses_by_firm) gains += l.equity_market_gains_usd_bn;
  text += loss_line("Realised losses by channel", channels_of(LossNature::realised), channel_loss);
  text += fmt::format("Marks (USD bn): debtrank {}; stakes and warrants: down {}, up {}\n",
                      format_usd_bn(channel_loss(DefaultChannel::debtrank)),
                      format_usd_bn(channel_loss(DefaultChannel::equity_market) + gains), format_usd_bn(gains));
  text += loss_line("Revenue foregone by channel", channels_of(LossNature::foregone_revenue), channel_loss);
  text += fmt::format("Unpaid receivables (USD bn): {}\n", format_usd_bn(channel_loss(DefaultChannel::payment_clearing)));
  std::vector<analysis::FirmCircularity> circular = circularity.firms;
  std::stable_sort(circular.begin(), circular.end(), [](const auto& a, const auto& b) { return a.share > b.share; });
  std::string circular_line;
  for (std::size_t k = 0; k < circular.size() && k < 5 && circular[k].share > 0.0; ++k)
    circular_line += fmt::format("{} {} {:.1f}%", k == 0 ? "" : ",", model.firms[circular[k].firm].id,
                                 100.0 * circular[k].share);
  if (circularity.computed)
    text += "Circularity (revenue funded by the firm's own money):" +
            (circular_line.empty() ? " none" : circular_line) + "\n";
  else
    text += "C" + analysis::circularity_not_computed(circularity).substr(1) + "\n";
  text += fmt::format(
      "System equity (USD bn): non-financial firms {} -> {}, banks {} -> {}; lost by the firms whose equity fell: {}\n",
      format_usd_bn(result.initial.equity_nonfinancial_usd_bn), format_usd_bn(result.final.equity_nonfinancial_usd_bn),
      format_usd_bn(result.initial.equity_banks_usd_bn), format_usd_bn(result.final.equity_banks_usd_bn),
      format_usd_bn(result.system_equity_lost_usd_bn()));
  if (result.initial.fund_investor_capital_usd_bn > 0.0)
    text += fmt::format("Funds' investor capital (USD bn): {} -> {}; losses passed to fund investors: {}\n",
                        format_usd_bn(result.initial.fund_investor_capital_usd_bn),
                        format_usd_bn(result.final.fund_investor_capital_usd_bn),
                        format_usd_bn(result.total_losses_passed_to_investors_usd_bn));
  text += fmt::format("Depreciation (USD bn): {} (ordinary); write-downs and impairments: {}\n",
                      format_usd_bn(result.total_depreciation_usd_bn), format_usd_bn(result.total_writedown_usd_bn));
  if (options.audit)
    text += fmt::format("Audit: money conserved every tick (largest relative residual {:.3g})\n",
                        result.max_conservation_error_relative);
  if (result.unconverged_marking_ticks > 0)
    text += fmt::format("Warning: the counterparty marks did not converge in {} tick(s), first at tick {}: they are "
                        "the last of parameters.marking_max_rounds rounds, not the fixed point (raise it)\n",
                        result.unconverged_marking_ticks, result.first_unconverged_marking_tick);

  std::string files;
  for (const std::string_view file : output::kRunFiles) files += fmt::format("{}{}", files.empty() ? "" : ", ", file);
  text += fmt::format("Outputs: {}/ ({})\n", out_dir.string(), files);
  return text;
}

std::string format_ablation(const AblationResult& result) {
  std::string text =
      "Channel ablation (USD bn: equity lost by firms whose equity fell; net equity loss, gains offsetting;\n"
      "credit losses; defaults):\n";
  auto row = [&](std::string_view label, const RunLoss& m) {
    text += fmt::format("  {:<34} {:>12} {:>12} {:>12} {:>9}\n", label, format_usd_bn(m.equity_lost_usd_bn),
                        format_usd_bn(m.net_equity_loss_usd_bn), format_usd_bn(m.credit_loss_usd_bn),
                        fmt::format("{:.0f}", m.defaults + 0.0));
  };
  text += fmt::format("  {:<34} {:>12} {:>12} {:>12} {:>9}\n", "case", "equity lost", "net loss", "credit loss",
                      "defaults");
  for (std::size_t k = 0; k < result.cases.size(); ++k) row(result.cases[k].label, result.metrics[k]);
  text += "Effects: standalone = only − none; marginal = all − all but; interaction = all − none − Σ standalone\n";
  for (const ChannelEffect& e : result.effects) {
    row(fmt::format("standalone {}", e.channel), e.standalone);
    row(fmt::format("marginal {}", e.channel), e.marginal);
  }
  row("interaction", result.interaction);
  text += "Outputs: ablation.csv\n";
  return text;
}

std::string format_loop_contribution(const LoopCutResult& result, const Model& model) {
  std::string text = fmt::format(
      "Loop contribution (loss with every loop minus loss with this loop cut; USD bn; {} loop(s){}):\n",
      result.cases.size(), result.truncated ? ", more exist" : "");
  text += fmt::format("  with every loop: equity lost {}, net equity loss {}, credit loss {}, defaults {:.0f}\n",
                      format_usd_bn(result.base.equity_lost_usd_bn), format_usd_bn(result.base.net_equity_loss_usd_bn),
                      format_usd_bn(result.base.credit_loss_usd_bn), result.base.defaults);
  text += fmt::format("  {:>3}  {:<52} {:<6} {:>9} {:>12} {:>10} {:>12} {:>9}\n", "#", "loop (money goes round)", "cut",
                      "per year", "equity lost", "net loss", "credit loss", "defaults");
  for (std::size_t k = 0; k < result.cases.size(); ++k) {
    const LoopCutCase& c = result.cases[k];
    std::string firms;
    for (FirmIdx f : c.firms) firms += (firms.empty() ? "" : ">") + model.firms[f].id;
    if (firms.size() > 52) firms = firms.substr(0, 49) + "...";
    const RunLoss& d = result.contribution[k];
    text += fmt::format("  {:>3}  {:<52} {:<6} {:>9} {:>12} {:>10} {:>12} {:>9.0f}\n", k + 1, firms,
                        model.exposures[c.cut].id, format_usd_bn(c.usd_bn_per_year),
                        format_usd_bn(d.equity_lost_usd_bn), format_usd_bn(d.net_equity_loss_usd_bn),
                        format_usd_bn(d.credit_loss_usd_bn), d.defaults + 0.0);
  }
  text += "Outputs: loop_contribution.csv\n";
  return text;
}

}  // namespace cascade::cli
