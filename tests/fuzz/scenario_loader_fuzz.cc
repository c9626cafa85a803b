// libFuzzer target: the scenario loader (scenarios/loader) on any bytes as a scenario file.
//
//   build-asan/tests/fuzz/scenario_loader_fuzz CORPUS_DIR      # tools/test-suites.sh fuzz
//
// The input is written to a file and loaded with fuzz::limits(); it may include other files and
// name plain network directories, which the loader reads like any other. A refusal is a
// ScenarioError; every other outcome but success is a finding.
#include <cstddef>
#include <cstdint>

#include "engine/core/diagnostics.h"
#include "scenarios/loader/loader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cascade;
  const std::filesystem::path file = fuzz::scratch() / "scenario.yaml";
  fuzz::write_file(file, {reinterpret_cast<const char*>(data), size});
  try {
    const Model model = scenario::load_file(file, {.overrides = {}, .limits = fuzz::limits()});
    CASCADE_ASSERT(!model.firms.empty(), "a loaded scenario without firms");
  } catch (const ScenarioError&) {
  }
  return 0;
}
