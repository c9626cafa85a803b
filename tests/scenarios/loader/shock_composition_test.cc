// Shock composition (docs/scenario-format.md, "include"): an include entry
// `{file, shift_ticks, scale}` moves and scales the shocks its file contributes. Every expected
// tick and value below is worked out by hand from the rule in scenarios/loader/shock_transform.h:
// tick + shift_ticks; 1 + (value - 1) x scale for multipliers and payment_fraction,
// value x scale for additions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "scenarios/loader/loader.h"
#include "tests/support/scenario_dir_fixture.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

/// Lines 1-5 of every main file here; its include list starts on line 6.
constexpr std::string_view kMainHead = R"(format: cascade-scenario/1
scenario: {name: t}
simulation: {horizon_ticks: 24}
firms: [{id: openai, type: ai_lab, cash: 10}, {id: oracle, type: hyperscaler, cash: 20}]
include:
)";

/// One shock of each scalable kind, written one per line from line 2.
constexpr std::string_view kShocks = R"(shocks:
  - {id: pay, kind: payment_fraction, targets: [openai], tick: 13, value: 0.3}
  - {id: stress, kind: market_stress, tick: 2, duration_ticks: 4, value: 0.4}
  - {id: delay, kind: construction_delay, targets: [oracle], tick: 5, value: 12}
  - {id: rate, kind: rate_change, tick: 3, ramp_ticks: 6, value: 1.5}
  - {id: cash, kind: cash_change, targets: [oracle], tick: 1, value: -8}
  - {id: wd, kind: hardware_writedown, targets: [oracle], tick: 1, value: 0.5}
  - {id: capex, kind: capex_multiplier, targets: [oracle], tick: 7, duration_ticks: 3, value: 0}
)";

class ShockComposition : public testing::ScenarioDirFixture {
 protected:
  /// Writes the main file s.yaml: kMainHead, then `includes` from line 6.
  fs::path main_file(std::string_view includes) const {
    return write("s.yaml", std::string(kMainHead) + std::string(includes));
  }
  /// "<scratch dir>/file:line:col", as messages name an include entry.
  std::string at(std::string_view file, int line, int column) const {
    return (dir_ / file).string() + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

const ShockSpec& shock(const Model& m, std::string_view id) {
  for (const ShockSpec& s : m.shocks)
    if (s.id == id) return s;
  throw std::out_of_range(std::string(id));
}

TEST_F(ShockComposition, ShiftAndScaleEveryScalableKind) {
  write("shocks.yaml", kShocks);
  const Model m = load_file(main_file("  - {file: shocks.yaml, shift_ticks: 6, scale: 0.5}\n"));
  ASSERT_EQ(m.shocks.size(), 7u);
  EXPECT_EQ(shock(m, "pay").tick, 19);            // 13 + 6
  EXPECT_DOUBLE_EQ(shock(m, "pay").value, 0.65);  // 1 + (0.3 - 1) x 0.5
  EXPECT_EQ(shock(m, "stress").tick, 8);
  EXPECT_DOUBLE_EQ(shock(m, "stress").value, 0.2);  // 0.4 x 0.5
  EXPECT_EQ(shock(m, "stress").duration_ticks, 4);  // durations and ramps are not scaled
  EXPECT_EQ(shock(m, "delay").tick, 11);
  EXPECT_DOUBLE_EQ(shock(m, "delay").value, 6.0);  // 12 months x 0.5
  EXPECT_EQ(shock(m, "rate").tick, 9);
  EXPECT_DOUBLE_EQ(shock(m, "rate").value, 0.75);  // 1.5 pp x 0.5
  EXPECT_EQ(shock(m, "rate").ramp_ticks, 6);
  EXPECT_EQ(shock(m, "cash").tick, 7);
  EXPECT_DOUBLE_EQ(shock(m, "cash").value, -4.0);
  EXPECT_EQ(shock(m, "wd").tick, 7);
  EXPECT_DOUBLE_EQ(shock(m, "wd").value, 0.25);
  EXPECT_EQ(shock(m, "capex").tick, 13);
  EXPECT_DOUBLE_EQ(shock(m, "capex").value, 0.5);  // 1 + (0 - 1) x 0.5
}

TEST_F(ShockComposition, DefaultsLeaveShocksAsWrittenAndTheMainFilesShocksAreNotTransformed) {
  write("shocks.yaml", kShocks);
  const Model m = load_file(
      main_file("  - {file: shocks.yaml}\nshocks:\n  - {id: own, kind: market_stress, tick: 3, value: 0.1}\n"));
  EXPECT_EQ(shock(m, "pay").tick, 13);
  EXPECT_DOUBLE_EQ(shock(m, "pay").value, 0.3);
  EXPECT_EQ(shock(m, "own").tick, 3);
  EXPECT_DOUBLE_EQ(shock(m, "own").value, 0.1);
}

TEST_F(ShockComposition, NestedTransformsComposeShiftsAddScalesMultiply) {
  write("shocks.yaml", kShocks);
  write("mid.yaml",
        "include: [{file: shocks.yaml, shift_ticks: 6, scale: 0.5}]\n"
        "shocks: [{id: mid-cut, kind: revenue_multiplier, targets: [openai], tick: 1, value: 0.8}]\n");
  const Model m = load_file(main_file("  - {file: mid.yaml, shift_ticks: 2, scale: 2}\n"));
  EXPECT_EQ(shock(m, "pay").tick, 21);               // 13 + 6 + 2
  EXPECT_DOUBLE_EQ(shock(m, "pay").value, 0.3);      // scale 0.5 x 2 = 1
  EXPECT_EQ(shock(m, "mid-cut").tick, 3);            // 1 + 2
  EXPECT_DOUBLE_EQ(shock(m, "mid-cut").value, 0.6);  // 1 + (0.8 - 1) x 2
}

TEST_F(ShockComposition, AFileWithoutShocksMayBeReachedThroughDifferentTransforms) {
  // Like the combined stress scenario: each included scenario includes the same baseline.
  write("base.yaml", "agent_defaults: {ai_lab: {revenue_growth_per_year: 0.2}}\n");
  write("a.yaml", "include: [base.yaml]\nshocks: [{id: a, kind: market_stress, tick: 2, value: 0.1}]\n");
  write("b.yaml", "include: [base.yaml]\nshocks: [{id: b, kind: market_stress, tick: 2, value: 0.1}]\n");
  const Model m = load_file(main_file("  - {file: a.yaml, shift_ticks: 1}\n  - {file: b.yaml, shift_ticks: 5}\n"));
  EXPECT_EQ(shock(m, "a").tick, 3);
  EXPECT_EQ(shock(m, "b").tick, 7);
}

// --- errors, each at the shock's own node, naming the include

TEST_F(ShockComposition, ShiftedOutsideTheHorizon) {
  write("shocks.yaml", kShocks);
  EXPECT_THAT(errors_of(main_file("  - {file: shocks.yaml, shift_ticks: 12}\n")),
              ElementsAre("shocks.yaml:2:64: shocks[0].tick: tick 13 shifted by 12 (the include at " +
                          at("s.yaml", 6, 5) + ") is 25, outside 1 to simulation.horizon_ticks = 24"));
  EXPECT_THAT(errors_of(main_file("  - {file: shocks.yaml, shift_ticks: -2}\n")),
              ElementsAre("shocks.yaml:3:45: shocks[1].tick: tick 2 shifted by -2 (the include at " +
                              at("s.yaml", 6, 5) + ") is 0, outside 1 to simulation.horizon_ticks = 24",
                          "shocks.yaml:6:60: shocks[4].tick: tick 1 shifted by -2 (the include at " +
                              at("s.yaml", 6, 5) + ") is -1, outside 1 to simulation.horizon_ticks = 24",
                          "shocks.yaml:7:65: shocks[5].tick: tick 1 shifted by -2 (the include at " +
                              at("s.yaml", 6, 5) + ") is -1, outside 1 to simulation.horizon_ticks = 24"));
}

TEST_F(ShockComposition, ForceDefaultAndDepreciationLifeCannotBeScaled) {
  write("x.yaml",
        "shocks:\n"
        "  - {id: fd, kind: force_default, targets: [oracle], tick: 5}\n"
        "  - {id: life, kind: depreciation_life, targets: [oracle], tick: 5, value: 3}\n");
  const std::string include = "the include at " + at("s.yaml", 6, 5);
  EXPECT_THAT(errors_of(main_file("  - {file: x.yaml, scale: 0.5}\n")),
              ElementsAre("x.yaml:2:20: shocks[0].kind: a force_default shock cannot be scaled (scale 0.5 from " +
                              include + "); include its file without 'scale'",
                          "x.yaml:3:22: shocks[1].kind: a depreciation_life shock cannot be scaled (scale 0.5 from " +
                              include + "); include its file without 'scale'"));
  // Shifting them is fine.
  const Model m = load_file(main_file("  - {file: x.yaml, shift_ticks: 3}\n"));
  EXPECT_EQ(shock(m, "fd").tick, 8);
  EXPECT_EQ(shock(m, "life").tick, 8);
  EXPECT_DOUBLE_EQ(shock(m, "life").value, 3.0);
}

TEST_F(ShockComposition, ScaledValueOutsideTheKindsRange) {
  write("x.yaml",
        "shocks:\n"
        "  - {id: st, kind: market_stress, tick: 2, value: 0.5}\n"
        "  - {id: pf, kind: payment_fraction, targets: [openai], tick: 2, value: 0.5}\n");
  const std::string include = "the include at " + at("s.yaml", 6, 5);
  EXPECT_THAT(
      errors_of(main_file("  - {file: x.yaml, scale: 3}\n")),
      ElementsAre(
          "x.yaml:2:51: shocks[0].value: value 0.5 scaled by 3 (" + include + ") is 1.5; must be between 0 and 1",
          "x.yaml:3:73: shocks[1].value: value 0.5 scaled by 3 (" + include + ") is -0.5; must be between 0 and 1"));
}

TEST_F(ShockComposition, AFileIncludedTwiceWithDifferentTransformsNamesBothPlaces) {
  write("shocks.yaml", kShocks);
  const std::string shocks = (dir_ / "shocks.yaml").string();
  EXPECT_THAT(errors_of(main_file("  - {file: shocks.yaml, shift_ticks: 6}\n  - shocks.yaml\n")),
              ElementsAre("s.yaml:7:5: include[1]: 'shocks.yaml' (" + shocks +
                          ") is included here with shift_ticks 0, scale 1 and at " + at("s.yaml", 6, 5) +
                          " with shift_ticks 6, scale 1: a file is loaded once, so its shocks can be shifted and "
                          "scaled only one way"));
  // The same transform twice is one load, as before.
  const Model m = load_file(main_file("  - {file: shocks.yaml, scale: 0.5}\n  - {file: ./shocks.yaml, scale: 0.5}\n"));
  EXPECT_EQ(m.shocks.size(), 7u);
}

TEST_F(ShockComposition, BadIncludeEntries) {
  write("shocks.yaml", kShocks);
  EXPECT_THAT(errors_of(main_file("  - {file: shocks.yaml, shift: 3}\n"
                                  "  - {shift_ticks: 3}\n"
                                  "  - {file: shocks.yaml, scale: -1}\n"
                                  "  - {file: shocks.yaml, shift_ticks: 1.5}\n")),
              ElementsAre("s.yaml:6:25: include[0]: unknown key 'shift' (did you mean 'shift_ticks'?)",
                          "s.yaml:7:5: include[1]: missing required key 'file'",
                          "s.yaml:8:32: include[2].scale: must be >= 0, got -1",
                          "s.yaml:9:38: include[3].shift_ticks: must be a whole number, got 1.5"));
}

}  // namespace
}  // namespace cascade::scenario
