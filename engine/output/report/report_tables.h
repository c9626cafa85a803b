// The report's tables, computed from one run's data (and a baseline's, for the differences):
// headline figures, the firms that caused and suffered the largest losses, defaults by sector
// per period. Every number is taken or summed from a run file named in the comment beside it.
//
//   const std::vector<KeyFigure> figures = key_figures(run);
//   const std::vector<FirmLossCaused> caused = losses_caused(run);  // largest first
//
// Money in USD bn. Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/output/report/run_data.h"

namespace cascade::report {

/// A headline number with its unit and the file it comes from.
struct KeyFigure {
  std::string label;
  std::string unit;             ///< "USD bn", "firms", "tick"
  std::optional<double> value;  ///< none: not applicable (e.g. no default, no first-default tick)
  std::string source;           ///< e.g. "summary.json: total_credit_loss_usd_bn"
};

/// Defaults, first default tick, credit losses, system equity (start, end, change, lost by the
/// firms whose equity fell), write-downs, depreciation.
std::vector<KeyFigure> key_figures(const RunData& run);

/// A firm whose creditors lost money on it: credit_losses.csv rows with it as obligor.
struct FirmLossCaused {
  std::string firm;
  std::string type;
  std::optional<Tick> default_tick;  ///< from defaults.csv
  double credit_loss_caused_usd_bn = 0.0;
  std::size_t creditors_hit = 0;  ///< distinct holders that lost more than 0 on it
};
/// Every obligor in credit_losses.csv, most loss caused first (ties by firm id).
std::vector<FirmLossCaused> losses_caused(const RunData& run);

/// What a firm lost: summary.json's loss_by_firm_and_channel (net: gains count negative), its
/// credit losses as a holder (credit_losses.csv) and its book equity change (timeseries.csv).
struct FirmLossSuffered {
  std::string firm;
  std::string type;
  double attributed_loss_usd_bn = 0.0;  ///< sum over channels
  std::string largest_channel;          ///< the channel with the largest loss; empty if none
  double largest_channel_loss_usd_bn = 0.0;
  double credit_loss_usd_bn = 0.0;
  double equity_change_usd_bn = 0.0;  ///< end minus tick 0
};
/// Every firm with an attributed loss or a credit loss, largest attributed loss first (ties by id).
std::vector<FirmLossSuffered> losses_suffered(const RunData& run);

/// Defaults per period of `period_ticks` ticks (1..period_ticks, ...) by firm type.
struct SectorDefaults {
  Tick period_ticks = 1;
  std::vector<std::string> periods;  ///< labels: "1-3", "4-6", ... (or "7" for one tick)
  std::vector<std::string> sectors;  ///< firm types: as asked, then those with a default, in order of first default
  std::vector<std::vector<double>> counts;  ///< [sector][period]: defaults
};
/// Over ticks 1..horizon_ticks; `period_ticks` >= 1. The sectors are `sectors` in that order
/// (so that two runs' charts share their colours), then any other type with a default.
SectorDefaults defaults_by_sector(const std::vector<DefaultRecord>& defaults, Tick horizon_ticks, Tick period_ticks,
                                  const std::vector<std::string>& sectors = {});

/// The shortest period for a chart of at most `max_periods` bars: a quarter, half year, year
/// or several years when the ticks per year allow (12: 3, 6, 12, 24, ...), else 1, 2, 5, 10, ...
Tick chart_period_ticks(Tick horizon_ticks, int ticks_per_year, Tick max_periods = 20);

/// A firm's default in the scenario and in the baseline (either may be missing).
struct DefaultDifference {
  std::string firm;
  std::string type;
  std::optional<Tick> scenario_tick;
  std::optional<Tick> baseline_tick;
};
/// Every firm that defaulted in either run: in the scenario's order, then the baseline's.
std::vector<DefaultDifference> default_differences(const RunData& scenario, const RunData& baseline);

}  // namespace cascade::report
