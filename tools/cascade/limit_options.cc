#include "tools/cascade/limit_options.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {

/// The limits given on the command line; absent ones keep the input kind's default.
struct LimitFlags {
  std::optional<std::uint64_t> max_firms, max_exposures, max_ticks, max_include_depth, max_file_bytes, max_yaml_values;

  InputLimits applied_to(InputLimits limits) const {
    limits.max_firms = max_firms.value_or(limits.max_firms);
    limits.max_exposures = max_exposures.value_or(limits.max_exposures);
    limits.max_ticks = max_ticks.value_or(limits.max_ticks);
    limits.max_include_depth = max_include_depth.value_or(limits.max_include_depth);
    limits.max_file_bytes = max_file_bytes.value_or(limits.max_file_bytes);
    limits.max_yaml_values = max_yaml_values.value_or(limits.max_yaml_values);
    return limits;
  }
};

LimitFlags g_flags;

}  // namespace

void add_limit_options(CLI::App& command) {
  const InputLimits scenario{}, network = InputLimits::for_plain_networks();
  const auto add = [&command](const char* name, std::optional<std::uint64_t>& value, std::uint64_t most,
                              const std::string& help) {
    command.add_option(name, value, help)->type_name("N")->check(whole_in(std::uint64_t{1}, most))->group("Limits");
  };
  // Ticks are 32-bit; the format's bound is kMaxTicks (engine/core/limits.h).
  constexpr std::uint64_t kMostTicks = 1'000'000'000;
  constexpr std::uint64_t kMost = std::numeric_limits<std::uint32_t>::max();
  add("--max-firms", g_flags.max_firms, kMost,
      "Refuse inputs with more firms: a scenario's, YAML and plain networks together (default " +
          std::to_string(scenario.max_firms) + "), or a plain network directory's nodes (default " +
          std::to_string(network.max_firms) + ")");
  add("--max-exposures", g_flags.max_exposures, std::numeric_limits<std::uint64_t>::max(),
      "Refuse inputs with more exposures (default " + std::to_string(scenario.max_exposures) +
          ") or plain network edges (default " + std::to_string(network.max_exposures) + ")");
  add("--max-ticks", g_flags.max_ticks, kMostTicks,
      "Refuse a horizon of more ticks (default " + std::to_string(scenario.max_ticks) + ")");
  add("--max-include-depth", g_flags.max_include_depth, kMost,
      "Refuse include chains of more files (default " + std::to_string(scenario.max_include_depth) + ")");
  add("--max-file-bytes", g_flags.max_file_bytes, std::numeric_limits<std::uint64_t>::max(),
      "Refuse YAML files of more bytes (default " + std::to_string(scenario.max_file_bytes) + ")");
  add("--max-yaml-values", g_flags.max_yaml_values, std::numeric_limits<std::uint64_t>::max() / 2,
      "Refuse YAML files of more values, aliases expanded (default " + std::to_string(scenario.max_yaml_values) + ")");
}

InputLimits scenario_limits() { return g_flags.applied_to(InputLimits{}); }
InputLimits plain_network_limits() { return g_flags.applied_to(InputLimits::for_plain_networks()); }

}  // namespace cascade::cli
