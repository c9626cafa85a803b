// Each firm's state at one tick of a finished run, read back from its timeseries.csv, for the
// network picture (`cascade graph --run DIR --tick T`).
//
//   Diagnostics diags;
//   std::optional<FirmStates> s = read_firm_states("runs/s8/timeseries.csv", model, 24, diags);
//   if (!s) ...   // diags says why (file:line: problem)
//
// A firm is
//   defaulted   when the run flagged it (`defaulted` = 1);
//   distressed  otherwise, when its capital (book equity plus investor capital: a pass-through
//               fund's book equity is 0 by construction, its investors' capital absorbs its
//               losses, docs/model.md) is at most 0, or has fallen by more than
//               kDistressEquityDropFraction of its tick-0 level, or its cash is 0;
//   healthy     otherwise.
// Thread safety: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/types.h"

namespace cascade {
struct Model;
}

namespace cascade::analysis {

enum class FirmState : std::uint8_t { healthy, distressed, defaulted };
std::string_view to_string(FirmState s);

/// Share of its tick-0 capital a firm must lose to count as distressed.
inline constexpr double kDistressEquityDropFraction = 0.5;
/// Cash at or below this (USD bn) counts as none.
inline constexpr double kNoCashUsdBn = 1e-9;

FirmState classify_firm(double capital_start_usd_bn, double capital_usd_bn, double cash_usd_bn, bool defaulted);

struct FirmStates {
  Tick tick = 0;
  std::vector<FirmState> states;  ///< one per firm, model order
};

/// Reads `timeseries_csv` (tools/README.md: tick,firm,...,cash_usd_bn,...,equity_usd_bn,
/// investor_capital_usd_bn (optional),...,defaulted; columns found by name) and classifies every
/// firm of `model` at `tick` (default: the last tick in the file). Problems (unreadable file,
/// missing column, a firm or the tick not in the file, a row that is not a number) go to `diags`
/// and the result is nullopt.
std::optional<FirmStates> read_firm_states(const std::filesystem::path& timeseries_csv, const Model& model,
                                           std::optional<Tick> tick, Diagnostics& diags);

}  // namespace cascade::analysis
