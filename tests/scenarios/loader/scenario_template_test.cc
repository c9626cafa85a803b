// ScenarioTemplate::instantiate gives the model load_file gives with the same overrides, whatever
// the template instantiated before: it reuses its working copies of the document, so what one
// point's overrides change must not reach the next point (scenarios/loader/scenario_template.h).
#include "scenarios/loader/scenario_template.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"

namespace cascade::scenario {
namespace {

const std::string kBaseline = CASCADE_SOURCE_DIR "/scenarios/ai-2026/baseline.yaml";

/// What a run of `m` ends with: every input of the model reaches it.
struct Outcome {
  double equity_usd_bn;
  double cash_usd_bn;
  std::size_t defaults;
  bool operator==(const Outcome&) const = default;
};
Outcome outcome_of(const Model& m) {
  const SimResult r = run_simulation(m, {.seed = m.params.seed}, agents::standard_behaviours());
  return {r.final.equity_usd_bn, r.final.cash_usd_bn, r.defaults.size()};
}

// Points that set a value the file has (a firm's cash, the horizon), add a section the file lacks
// (parameters, channels, shocks), or are refused, each followed by the file's own model.
const std::vector<std::vector<Override>> kPoints = {
    {{"parameters.fire_sale_price_impact", "2.5"}},
    {},
    {{"firms.openai.cash", "1"}, {"simulation.horizon_ticks", "24"}},
    {},
    {{"channels.fire_sale", "false"}, {"parameters.debtrank_loss_given_default", "0.9"}},
    {{"firms.openai.cash", "not a number"}},  // refused: the copy it was applied to is dropped
    {},
    {{"firms.oracle.debt", "300"}, {"channels.payouts", "false"}, {"firms.openai.cash", "2"}},
    {},
};

TEST(ScenarioTemplate, AnInstanceIsTheLoadedModelWhateverCameBefore) {
  const ScenarioTemplate scenario(kBaseline);
  for (std::size_t i = 0; i < kPoints.size(); ++i) {
    const std::vector<Override>& point = kPoints[i];
    SCOPED_TRACE("point " + std::to_string(i));
    bool refused_fresh = false;
    Outcome fresh{};
    try {
      fresh = outcome_of(load_file(kBaseline, {.overrides = point}));
    } catch (const ScenarioError&) {
      refused_fresh = true;
    }
    bool refused = false;
    Outcome instance{};
    try {
      const Model m = scenario.instantiate(point);
      instance = outcome_of(m);
      if (point.empty()) {
        EXPECT_EQ(m.params.horizon_ticks, scenario.base().params.horizon_ticks);
        EXPECT_TRUE(m.channels.fire_sale);
        EXPECT_EQ(m.firms[*m.find_firm("openai")].cash_usd_bn,
                  scenario.base().firms[*m.find_firm("openai")].cash_usd_bn);
      }
    } catch (const ScenarioError&) {
      refused = true;
    }
    EXPECT_EQ(refused, refused_fresh);
    EXPECT_EQ(instance, fresh);
  }
}

TEST(ScenarioTemplate, ConcurrentInstancesAreEachTheirOwnPoint) {
  const ScenarioTemplate scenario(kBaseline);
  const std::vector<Override> cheap = {{"firms.openai.cash", "1"}};
  const std::vector<Override> rich = {{"firms.openai.cash", "500"}};
  const double base_cash = scenario.base().firms[*scenario.base().find_firm("openai")].cash_usd_bn;
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) {
        const int which = (t + k) % 3;
        const Model m = scenario.instantiate(which == 0 ? cheap : which == 1 ? rich : std::vector<Override>{});
        const double cash = m.firms[*m.find_firm("openai")].cash_usd_bn;
        if (cash != (which == 0 ? 1.0 : which == 1 ? 500.0 : base_cash)) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace cascade::scenario
