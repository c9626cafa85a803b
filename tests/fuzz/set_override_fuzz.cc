// libFuzzer target: `--set` overrides (scenario::parse_override, then the scenario rebuilt with
// them) on any bytes, one override per line, applied to tests/tools/data/small.yaml.
//
//   build-asan/tests/fuzz/set_override_fuzz CORPUS_DIR      # tools/test-suites.sh fuzz
//
// A refusal is a ScenarioError; every other outcome but success is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "scenarios/loader/scenario_template.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cascade;
  /// Overrides applied per input; more lines are ignored.
  constexpr std::size_t kMaxOverrides = 8;
  static const scenario::ScenarioTemplate base(
      std::filesystem::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml",
      {.overrides = {}, .limits = fuzz::limits()});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<scenario::Override> overrides;
  try {
    while (!input.empty() && overrides.size() < kMaxOverrides) {
      const std::size_t end = input.find('\n');
      overrides.push_back(scenario::parse_override(input.substr(0, end)));
      input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    }
    base.instantiate(overrides);
  } catch (const ScenarioError&) {
  }
  return 0;
}
