#include "engine/output/report/report_tables.h"

#include <algorithm>
#include <map>
#include <set>

namespace cascade::report {
namespace {

std::optional<Tick> default_tick_of(const RunData& run, const std::string& firm) {
  for (const DefaultRecord& d : run.defaults)
    if (d.firm == firm) return d.tick;
  return std::nullopt;
}

std::string type_of(const RunData& run, const std::string& firm) {
  for (const FirmOutcome& f : run.firms)
    if (f.firm == firm) return f.type;
  return {};
}

}  // namespace

std::vector<KeyFigure> key_figures(const RunData& run) {
  const SummaryInfo& s = run.summary;
  std::optional<double> first_default;
  for (const DefaultRecord& d : run.defaults)
    first_default = std::min(first_default.value_or(d.tick), static_cast<double>(d.tick));
  return {
      {"Defaults", "firms", static_cast<double>(run.defaults.size()), "defaults.csv: rows"},
      {"First default", "tick", first_default, "defaults.csv: smallest tick"},
      {"Credit losses", "USD bn", s.total_credit_loss_usd_bn, "summary.json: total_credit_loss_usd_bn"},
      {"System equity at tick 0", "USD bn", s.system_equity_start_usd_bn, "summary.json: system_equity_start_usd_bn"},
      {"System equity at the end", "USD bn", s.system_equity_end_usd_bn, "summary.json: system_equity_end_usd_bn"},
      {"Change in system equity", "USD bn", s.system_equity_end_usd_bn - s.system_equity_start_usd_bn,
       "summary.json: end minus start"},
      {"Equity lost by the firms whose equity fell", "USD bn", s.system_equity_lost_usd_bn,
       "summary.json: system_equity_lost_usd_bn"},
      {"Write-downs and impairments", "USD bn", s.writedown_usd_bn, "summary.json: writedown_usd_bn"},
      {"Depreciation (ordinary)", "USD bn", s.depreciation_usd_bn, "summary.json: depreciation_usd_bn"},
  };
}

std::vector<FirmLossCaused> losses_caused(const RunData& run) {
  std::vector<FirmLossCaused> out;
  std::map<std::string, std::set<std::string>> holders;
  for (const CreditLossRecord& l : run.credit_losses) {
    auto it = std::find_if(out.begin(), out.end(), [&](const FirmLossCaused& f) { return f.firm == l.obligor; });
    if (it == out.end())
      it = out.insert(out.end(), {l.obligor, type_of(run, l.obligor), default_tick_of(run, l.obligor), 0.0, 0});
    it->credit_loss_caused_usd_bn += l.loss_usd_bn;
    if (l.loss_usd_bn > 0.0) holders[l.obligor].insert(l.holder);
  }
  for (FirmLossCaused& f : out) f.creditors_hit = holders[f.firm].size();
  std::sort(out.begin(), out.end(), [](const FirmLossCaused& a, const FirmLossCaused& b) {
    return a.credit_loss_caused_usd_bn != b.credit_loss_caused_usd_bn
               ? a.credit_loss_caused_usd_bn > b.credit_loss_caused_usd_bn
               : a.firm < b.firm;
  });
  return out;
}

std::vector<FirmLossSuffered> losses_suffered(const RunData& run) {
  std::map<std::string, double> credit;
  for (const CreditLossRecord& l : run.credit_losses) credit[l.holder] += l.loss_usd_bn;
  std::vector<FirmLossSuffered> out;
  for (const FirmOutcome& firm : run.firms) {
    FirmLossSuffered f{.firm = firm.firm,
                       .type = firm.type,
                       .credit_loss_usd_bn = credit[firm.firm],
                       .equity_change_usd_bn = firm.equity_end_usd_bn - firm.equity_start_usd_bn};
    const auto channels = run.summary.loss_by_firm_and_channel.find(firm.firm);
    if (channels != run.summary.loss_by_firm_and_channel.end())
      for (const auto& [channel, loss] : channels->second) {
        f.attributed_loss_usd_bn += loss;
        if (loss > f.largest_channel_loss_usd_bn) {
          f.largest_channel = channel;
          f.largest_channel_loss_usd_bn = loss;
        }
      }
    if (f.attributed_loss_usd_bn != 0.0 || f.credit_loss_usd_bn != 0.0) out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const FirmLossSuffered& a, const FirmLossSuffered& b) {
    return a.attributed_loss_usd_bn != b.attributed_loss_usd_bn ? a.attributed_loss_usd_bn > b.attributed_loss_usd_bn
                                                                : a.firm < b.firm;
  });
  return out;
}

SectorDefaults defaults_by_sector(const std::vector<DefaultRecord>& defaults, Tick horizon_ticks, Tick period_ticks,
                                  const std::vector<std::string>& sectors) {
  SectorDefaults out;
  out.sectors = sectors;
  out.period_ticks = std::max<Tick>(1, period_ticks);
  const Tick periods = std::max<Tick>(1, (horizon_ticks + out.period_ticks - 1) / out.period_ticks);
  for (Tick p = 0; p < periods; ++p) {
    const Tick first = p * out.period_ticks + 1, last = std::min(horizon_ticks, first + out.period_ticks - 1);
    out.periods.push_back(first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last));
  }
  out.counts.assign(out.sectors.size(), std::vector<double>(out.periods.size(), 0.0));
  for (const DefaultRecord& d : defaults) {
    if (d.tick < 1 || d.tick > horizon_ticks) continue;
    auto it = std::find(out.sectors.begin(), out.sectors.end(), d.type);
    if (it == out.sectors.end()) {
      it = out.sectors.insert(out.sectors.end(), d.type);
      out.counts.emplace_back(out.periods.size(), 0.0);
    }
    out.counts[static_cast<std::size_t>(it - out.sectors.begin())]
              [static_cast<std::size_t>((d.tick - 1) / out.period_ticks)] += 1.0;
  }
  return out;
}

Tick chart_period_ticks(Tick horizon_ticks, int ticks_per_year, Tick max_periods) {
  std::vector<Tick> steps{1};
  if (ticks_per_year % 4 == 0) steps.insert(steps.end(), {ticks_per_year / 4, ticks_per_year / 2, ticks_per_year});
  const Tick unit = ticks_per_year % 4 == 0 ? ticks_per_year : 1;
  for (Tick scale = 1; steps.back() < horizon_ticks; scale *= 10)
    steps.insert(steps.end(), {2 * scale * unit, 5 * scale * unit, 10 * scale * unit});
  for (const Tick step : steps)
    if ((horizon_ticks + step - 1) / step <= max_periods) return step;
  return steps.back();
}

std::vector<DefaultDifference> default_differences(const RunData& scenario, const RunData& baseline) {
  std::vector<DefaultDifference> out;
  for (const DefaultRecord& d : scenario.defaults)
    out.push_back({d.firm, d.type, d.tick, default_tick_of(baseline, d.firm)});
  for (const DefaultRecord& d : baseline.defaults)
    if (!default_tick_of(scenario, d.firm)) out.push_back({d.firm, d.type, std::nullopt, d.tick});
  return out;
}

}  // namespace cascade::report
