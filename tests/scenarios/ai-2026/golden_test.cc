// Golden summaries of the AI-2026 baseline and every stress scenario: each runs through the engine
// with its own seed and is compared with tests/scenarios/ai-2026/golden/<name>.json.
//
// The expected values are a recorded run, not a forecast: `python3 tools/stress_summaries.py
// golden` writes them from `cascade run FILE` (the same engine, seed and summary code as here).
// They are there so that a model change that moves a result fails this test; regenerate them
// then, and say in CHANGELOG.md what moved and why. Tolerances (stated, never widened to pass):
//   - defaults: the same firms, each at its recorded tick +-2 ticks;
//   - losses (credit losses in total and by holder type, losses by channel, system equity lost):
//     within 5% of the recorded value or 1 USD bn, whichever is larger.
// The run is deterministic for a seed, so a pass with no model change is exact; the tolerance
// lets small calibration changes through without a regeneration.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agents/firm_types.h"
#include "engine/output/run_summary.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;
using output::Json;

const fs::path kScenarioDir = fs::path(CASCADE_SOURCE_DIR) / "scenarios" / "ai-2026";
const fs::path kGoldenDir = fs::path(CASCADE_SOURCE_DIR) / "tests" / "scenarios" / "ai-2026" / "golden";

constexpr Tick kDefaultTickTolerance = 2;
constexpr double kLossRelativeTolerance = 0.05;
constexpr double kLossAbsoluteToleranceUsdBn = 1.0;

std::vector<fs::path> golden_files() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kGoldenDir))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

Json read_json(const fs::path& file) {
  std::ifstream in(file);
  return Json::parse(in);
}

void expect_loss_near(const std::string& what, double actual, double expected) {
  const double tolerance = std::max(kLossAbsoluteToleranceUsdBn, kLossRelativeTolerance * std::abs(expected));
  EXPECT_NEAR(actual, expected, tolerance) << what;
}

/// Every key of `expected` against the same key of `actual` (both objects of USD bn).
void expect_losses_near(const std::string& what, const Json& actual, const Json& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << what << ": the engine's categories changed; regenerate";
  for (const auto& [key, value] : expected.items()) {
    ASSERT_TRUE(actual.contains(key)) << what << "." << key;
    expect_loss_near(what + "." + key, actual[key].get<double>(), value.get<double>());
  }
}

/// Each expected default (firm, tick) is matched to an unmatched actual default of the same
/// firm within the tick tolerance; nothing may be left over on either side.
void expect_defaults_match(const Json& actual, const Json& expected) {
  std::vector<bool> used(actual.size(), false);
  for (const Json& e : expected) {
    const std::string firm = e["firm"].get<std::string>();
    const Tick tick = e["tick"].get<Tick>();
    bool found = false;
    for (std::size_t i = 0; i < actual.size() && !found; ++i) {
      if (used[i] || actual[i]["firm"].get<std::string>() != firm) continue;
      if (std::abs(actual[i]["tick"].get<Tick>() - tick) > kDefaultTickTolerance) continue;
      used[i] = found = true;
    }
    EXPECT_TRUE(found) << firm << " should default at tick " << tick << " +-" << kDefaultTickTolerance;
  }
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_TRUE(used[i]) << "unexpected default: " << actual[i]["firm"].get<std::string>() << " at tick "
                         << actual[i]["tick"].get<Tick>();
}

class GoldenSummary : public ::testing::TestWithParam<fs::path> {};

TEST_P(GoldenSummary, RunMatchesTheRecordedSummary) {
  const Json golden = read_json(GetParam());
  const Model model = scenario::load_file(kScenarioDir / golden["scenario"].get<std::string>());
  const RunOptions options{.seed = golden["seed"].get<std::uint64_t>(), .threads = 2};
  ASSERT_EQ(options.seed, model.params.seed) << "the golden run used another seed than the scenario's";
  const Json actual = output::run_summary_json(model, run_simulation(model, options, agents::standard_behaviours()),
                                               options, analysis::firm_circularity(model));

  expect_defaults_match(actual["defaults"], golden["defaults"]);
  expect_loss_near("total_credit_loss_usd_bn", actual["total_credit_loss_usd_bn"].get<double>(),
                   golden["total_credit_loss_usd_bn"].get<double>());
  expect_losses_near("credit_loss_by_holder_type_usd_bn", actual["credit_loss_by_holder_type_usd_bn"],
                     golden["credit_loss_by_holder_type_usd_bn"]);
  expect_losses_near("loss_by_channel_usd_bn", actual["loss_by_channel_usd_bn"], golden["loss_by_channel_usd_bn"]);
  expect_loss_near("system_equity_lost_usd_bn", actual["system_equity_lost_usd_bn"].get<double>(),
                   golden["system_equity_lost_usd_bn"].get<double>());
}

INSTANTIATE_TEST_SUITE_P(Ai2026, GoldenSummary, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<fs::path>& param_info) {
                           std::string name = param_info.param.stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(GoldenSummaries, EveryScenarioHasOne) {
  std::vector<fs::path> scenarios{kScenarioDir / "baseline.yaml"};
  for (const auto& entry : fs::directory_iterator(kScenarioDir / "stress"))
    if (entry.path().extension() == ".yaml") scenarios.push_back(entry.path());
  for (const fs::path& s : scenarios)
    EXPECT_TRUE(fs::exists(kGoldenDir / (s.stem().string() + ".json")))
        << s << " has no golden summary: python3 tools/stress_summaries.py golden";
}

}  // namespace
}  // namespace cascade
