// Caps on what one input may ask of the machine. Every reader checks them before it expands
// its input (reads a file, builds YAML values, stores CSV rows), so a hostile or mistaken input
// is refused with a located message instead of exhausting memory. Each cap has a command-line
// flag that raises it (docs/robustness.md, "Limits"):
//
//   InputLimits limits;                      // the documented defaults for scenarios
//   limits.max_firms = 250'000;              // cascade run FILE --max-firms 250000
//   diags.error(where, "firms", limit_message("firms", limits.max_firms, "--max-firms"));
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/types.h"

namespace cascade {

/// Deepest nesting of YAML values (a format rule, not a resource: no scenario nests deeper than
/// six levels, and yaml-cpp's recursive parser must stay far from the end of its stack).
inline constexpr int kMaxYamlDepth = 64;

/// Largest magnitude of an amount of money in any input (USD bn in scenarios, the network's own
/// unit in plain networks). Far above any balance sheet, and far enough below the largest double
/// that sums over every firm and every tick stay finite.
inline constexpr double kMaxInputAmount = 1e15;

/// Latest tick anywhere that a scenario may name: the format's bound, far above the horizon
/// that InputLimits::max_ticks allows by default, and far below the end of Tick's range.
inline constexpr Tick kMaxTicks = 1'000'000'000;
/// Most ticks per year (daily ticks).
inline constexpr int kMaxTicksPerYear = 366;

struct InputLimits {
  std::uint64_t max_firms = 100'000;        ///< firms of a scenario, YAML and plain networks (--max-firms)
  std::uint64_t max_exposures = 1'000'000;  ///< exposures (edges) of a scenario (--max-exposures)
  std::uint64_t max_ticks = 100'000;        ///< simulation.horizon_ticks (--max-ticks)
  std::uint64_t max_include_depth = 16;  ///< files on one include chain, the main file included (--max-include-depth)
  std::uint64_t max_file_bytes = 64ull << 20;    ///< bytes of one YAML file (--max-file-bytes)
  std::uint64_t max_yaml_values = 2'000'000;     ///< values of one YAML file, aliases expanded (--max-yaml-values)
  std::uint64_t max_sweep_runs = 1'000'000'000;  ///< runs of one sweep (--max-runs)

  /// The defaults for plain networks read on their own (`cascade clear`, `cascade loops DIR`):
  /// institutions cost tens of bytes there, not a simulated balance sheet.
  static InputLimits for_plain_networks() {
    InputLimits limits;
    limits.max_firms = 10'000'000;
    limits.max_exposures = 100'000'000;
    return limits;
  }
};

/// "more than 100000 firms (the limit; raise it with --max-firms)": what a reader reports when
/// an input passes a cap. `what` is a plural noun.
std::string limit_message(std::string_view what, std::uint64_t limit, std::string_view flag);

}  // namespace cascade
