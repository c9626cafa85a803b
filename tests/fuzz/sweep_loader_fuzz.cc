// libFuzzer target: the sweep loader (scenarios/loader/sweep_reader.h) on any bytes as a sweep
// file, then, when it names a scenario, the models of its first design points.
//
//   build-asan/tests/fuzz/sweep_loader_fuzz CORPUS_DIR      # tools/test-suites.sh fuzz
//
// The sweep file sits next to `scenario.yaml`, a copy of tests/tools/data/small.yaml, so that
// inputs naming it reach the scenario check. A refusal is a ScenarioError; every other outcome
// but success is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "engine/core/diagnostics.h"
#include "engine/sweep/sweep.h"
#include "scenarios/loader/sweep_models.h"
#include "scenarios/loader/sweep_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cascade;
  /// Design points instantiated per input: enough to reach every parameter's values.
  constexpr std::uint64_t kPointsChecked = 8;
  static const bool copied = [] {
    std::filesystem::copy_file(std::filesystem::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml",
                               fuzz::scratch() / "scenario.yaml", std::filesystem::copy_options::overwrite_existing);
    return true;
  }();
  (void)copied;
  const std::filesystem::path file = fuzz::scratch() / "sweep.yaml";
  fuzz::write_file(file, {reinterpret_cast<const char*>(data), size});
  try {
    const sweep::SweepPlan plan(scenario::load_sweep(file, fuzz::limits()));
    CASCADE_ASSERT(plan.run_count() <= fuzz::limits().max_sweep_runs, "a sweep above its run limit was accepted");
    if (!plan.spec().scenario) return 0;
    const scenario::SweepModels models(plan.spec(), fuzz::limits());
    for (std::uint64_t run = 0; run < std::min(plan.run_count(), kPointsChecked); ++run) {
      try {
        models.model(plan.run(run));
      } catch (const ScenarioError&) {  // a point the scenario refuses: reported before a sweep runs
      }
    }
  } catch (const ScenarioError&) {
  }
  return 0;
}
