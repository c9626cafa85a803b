// Reading scenarios (scenarios/loader/loader.h, scenario_template.h).
//
//   BM_BaselinePointModel      ScenarioTemplate::instantiate of the AI-2026 baseline with one
//                              `--set` override, as a sweep builds each design point's model
//                              (twice: once to check the point, once to run it). Compare with
//                              BM_BaselineRunPrebuiltNetwork/threads:1: a sweep whose every run
//                              is a point of its own pays both. items/s = models per second.
//   BM_LoadAiEconomy/firms:N   load_file of a generated AI economy of N firms (`cascade generate
//                              --kind ai-economy`, seed 1), written to the temporary directory
//                              outside the timing: parsing the YAML, building and checking the
//                              model, as `cascade run` and `cascade validate` start. items/s =
//                              bytes of YAML per second.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/generate/ai_economy.h"
#include "scenarios/loader/loader.h"
#include "scenarios/loader/scenario_template.h"

namespace cascade::scenario {
namespace {

void BM_BaselinePointModel(benchmark::State& state) {
  const ScenarioTemplate scenario(CASCADE_SOURCE_DIR "/scenarios/ai-2026/baseline.yaml");
  const Override point{"parameters.fire_sale_price_impact", "2.5"};
  for (auto _ : state) {
    const Model model = scenario.instantiate({&point, 1});
    benchmark::DoNotOptimize(model.firms.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselinePointModel)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_LoadAiEconomy(benchmark::State& state) {
  const auto firms = static_cast<std::uint32_t>(state.range(0));
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("cascade-bench-load-" + std::to_string(::getpid()) + "-" + std::to_string(firms) + ".yaml");
  std::ofstream(file) << generate::generate_ai_economy({.firms = firms, .seed = 1});
  LoadOptions options;
  options.limits.max_yaml_values = 10'000'000;  // 10^5 firms write about 6.7 million values (keys count)
  try {
    for (auto _ : state) {
      const Model model = load_file(file, options);
      benchmark::DoNotOptimize(model.firms.data());
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(file)));
  std::filesystem::remove(file);
}
BENCHMARK(BM_LoadAiEconomy)->ArgName("firms")->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace cascade::scenario
