// The sweep reader and the per-point models: a valid sweep file reads as written; every problem
// is a located diagnostic with an exact message, found before anything runs.
#include "scenarios/loader/sweep_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenarios/loader/sweep_models.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const fs::path kSmallScenario = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml";

class SweepReader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           (std::string("cascade_sweep_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(kSmallScenario, dir_ / "small.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(std::string_view text) const {
    std::ofstream(dir_ / "s.yaml", std::ios::binary) << text;
    return dir_ / "s.yaml";
  }
  /// Each error as "s.yaml:line:col: path: message".
  static std::vector<std::string> formatted(const ScenarioError& e) {
    std::vector<std::string> out;
    for (Diagnostic d : e.diagnostics()) {
      d.where.file = fs::path(d.where.file.str()).filename().string();
      out.push_back(d.format());
    }
    return out;
  }
  std::vector<std::string> errors(std::string_view text, std::uint64_t max_runs = InputLimits{}.max_sweep_runs) const {
    try {
      load_sweep(write(text), InputLimits{.max_sweep_runs = max_runs});
    } catch (const ScenarioError& e) {
      return formatted(e);
    }
    ADD_FAILURE() << "expected a ScenarioError";
    return {};
  }
  /// Errors of the sweep's scenario check (SweepModels, then every point).
  std::vector<std::string> point_errors(std::string_view text) const {
    const sweep::SweepSpec spec = load_sweep(write(text));
    try {
      const SweepModels models(spec);
      std::uint64_t invalid = 0;
      const sweep::SweepPlan plan(spec);
      ScenarioError e(models.check(plan, 0, plan.point_count(), 2, invalid));
      return formatted(e);
    } catch (const ScenarioError& e) {
      return formatted(e);
    }
  }
  fs::path dir_;
};

TEST_F(SweepReader, TheMinimalFormReadsAsWritten) {
  const sweep::SweepSpec s = load_sweep(write("parameters:\n"
                                              "  - path: x1\n"
                                              "    min: -3.141592653589793\n"
                                              "    max: 3.141592653589793\n"
                                              "design: {method: saltelli, samples: 4096, seed: 1}\n"));
  ASSERT_EQ(s.parameters.size(), 1u);
  EXPECT_EQ(s.parameters[0].path, "x1");
  EXPECT_EQ(s.parameters[0].distribution.kind, sweep::DistributionKind::uniform);
  EXPECT_EQ(s.parameters[0].distribution.min, -3.141592653589793);
  EXPECT_EQ(s.design.method, sweep::DesignMethod::saltelli);
  EXPECT_EQ(s.design.samples, 4096u);
  EXPECT_EQ(s.seed, 1u);  // run seeds default to the design's seed
  EXPECT_EQ(s.replications, 1u);
  EXPECT_FALSE(s.scenario);
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.content_hash.size(), 64u);
}

TEST_F(SweepReader, DistributionsAreInferredOrNamed) {
  const sweep::SweepSpec s = load_sweep(write("scenario: small.yaml\n"
                                              "parameters:\n"
                                              "  - {path: a, min: 1, max: 2}\n"
                                              "  - {path: b, distribution: log-uniform, min: 0.1, max: 10}\n"
                                              "  - {path: c, mean: 0, sd: 1, min: -2, max: 2}\n"
                                              "  - {path: d, values: [linear, single_hit]}\n"
                                              "design: {method: grid, levels: 3}\n"
                                              "replications: 2\n"
                                              "outputs: [defaults]\n"
                                              "on_failure: stop\n"));
  ASSERT_EQ(s.parameters.size(), 4u);
  EXPECT_EQ(s.parameters[0].distribution.kind, sweep::DistributionKind::uniform);
  EXPECT_EQ(s.parameters[1].distribution.kind, sweep::DistributionKind::log_uniform);
  EXPECT_EQ(s.parameters[2].distribution.kind, sweep::DistributionKind::normal);
  EXPECT_EQ(s.parameters[3].distribution.kind, sweep::DistributionKind::discrete);
  EXPECT_THAT(s.parameters[3].distribution.values, ElementsAre("linear", "single_hit"));
  EXPECT_EQ(s.parameters[0].grid_levels, 3u);  // from design.levels
  EXPECT_EQ(s.scenario->filename(), "small.yaml");
  EXPECT_EQ(s.scenario_text, "small.yaml");
  EXPECT_EQ(s.on_failure, sweep::FailurePolicy::stop);
  // 3 x 3 x 3 x 2 grid points, 2 replications.
  EXPECT_EQ(sweep::SweepPlan(s).run_count(), 108u);
}

TEST_F(SweepReader, EveryProblemIsReportedWithItsLocation) {
  EXPECT_THAT(errors("parameters:\n"
                     "  - {path: a, min: 2, max: 1}\n"
                     "  - {path: b, distribution: log-uniform, min: 0, max: 1}\n"
                     "  - {path: c, mean: 0, sd: -1, min: 0, max: 1}\n"
                     "  - {path: a, min: 0, max: 1}\n"
                     "  - {path: d, values: [x, x]}\n"
                     "  - {path: e, min: 0, max: 1, mean: 3, distribution: uniform}\n"
                     "design: {method: morris, samples: 10, levels: 3}\n"
                     "replicatons: 2\n"),
              ElementsAre("s.yaml:9:1: unknown key 'replicatons' (did you mean 'replications'?)",
                          "s.yaml:2:28: parameters[0].max: must be above min (2), got 1",
                          "s.yaml:3:47: parameters[1].min: a log-uniform distribution needs min > 0, got 0",
                          "s.yaml:4:28: parameters[2].sd: must be > 0, got -1",
                          "s.yaml:5:12: parameters[3].path: parameter 'a' is listed twice",
                          "s.yaml:6:27: parameters[4].values[1]: value 'x' is listed twice",
                          "s.yaml:7:31: parameters[5].mean: 'mean' does not apply to a uniform distribution",
                          "s.yaml:8:47: design.levels: Morris levels must be even and at least 2, got 3"));
}

TEST_F(SweepReader, ANumberSpeltTwoWaysIsOneValue) {
  // 1, 1.0 and 1e0 set the same number: they made three identical points. Text is compared as
  // text.
  EXPECT_THAT(errors("parameters:\n  - {path: a, values: [1, 1.0, x, 1e0]}\ndesign: {method: grid}\n"),
              ElementsAre("s.yaml:2:27: parameters[0].values[1]: value '1.0' is the number '1' listed before",
                          "s.yaml:2:35: parameters[0].values[3]: value '1e0' is the number '1' listed before"));
}

TEST_F(SweepReader, NanIsAValueOfItsOwn) {
  // NaN equals no number: it repeats neither 1 nor 2 (they were reported as "the number 'nan'
  // listed before"), and only its own text repeated is a repeat.
  EXPECT_NO_THROW(load_sweep(write("parameters:\n  - {path: a, values: [nan, 1, 2]}\ndesign: {method: grid}\n")));
  EXPECT_THAT(errors("parameters:\n  - {path: a, values: [1, nan, nan]}\ndesign: {method: grid}\n"),
              ElementsAre("s.yaml:2:32: parameters[0].values[2]: value 'nan' is listed twice"));
}

TEST_F(SweepReader, AValueWithALineBreakIsRefused) {
  // The journal keeps each run's results row on one line: a value holding a line break ran every
  // run and then failed to write the results (exit 3), on every resume.
  EXPECT_THAT(errors("parameters:\n  - {path: scenario.description, values: [one, \"line1\\nline2\"]}\n"
                     "design: {method: grid}\n"),
              ElementsAre("s.yaml:2:48: parameters[0].values[1]: a value cannot hold a line break (the sweep's "
                          "journal keeps each run's row on one line)"));
}

TEST_F(SweepReader, PathsThatDifferOnlyInLetterCaseAreRefused) {
  // results.sqlite's column names ignore case: exposures L1 and l1 (distinct ids) ran every run
  // and then could not be written, on every resume.
  EXPECT_THAT(errors("parameters:\n  - {path: exposures.L1.amount, min: 1, max: 2}\n"
                     "  - {path: exposures.l1.amount, min: 1, max: 2}\n"
                     "  - {path: Seed, min: 1, max: 2}\ndesign: {method: sobol, samples: 8}\n"),
              ElementsAre("s.yaml:3:12: parameters[1].path: parameter 'exposures.l1.amount' differs from "
                          "'exposures.L1.amount' only in letter case, and results.sqlite's column names ignore case",
                          "s.yaml:4:12: parameters[2].path: 'Seed' names a column every results table has; choose "
                          "another name"));
}

TEST_F(SweepReader, TheScenariosSeedIsRefusedAsAParameterOrASetting) {
  // Each run's seed replaces the scenario's: swept, simulation.seed was recorded as an input
  // that changed nothing, and an analysis credited the seed noise to it.
  EXPECT_THAT(errors("scenario: small.yaml\nset: {simulation.seed: 5}\n"
                     "parameters:\n  - {path: simulation.seed, values: [5, 6]}\ndesign: {method: grid}\n"),
              ElementsAre(HasSubstr("s.yaml:2:7: set: 'simulation.seed' is replaced in every run by "
                                    "the run's own seed"),
                          HasSubstr("s.yaml:4:12: parameters[0].path: 'simulation.seed' is replaced in every run")));
  // A design for a model outside Cascade may name its inputs freely.
  const sweep::SweepSpec design =
      load_sweep(write("parameters:\n  - {path: simulation.seed, values: [5, 6]}\ndesign: {method: grid}\n"));
  EXPECT_EQ(design.parameters.at(0).path, "simulation.seed");
}

TEST_F(SweepReader, AParametersLevelsOutsideAGridAreRefused) {
  // A morris design ran x1 on design.levels (4) and left its `levels: 3` unused, unsaid.
  EXPECT_THAT(errors("parameters:\n  - {path: x1, min: 0, max: 1, levels: 3}\n  - {path: x2, min: 0, max: 1}\n"
                     "design: {method: morris, samples: 4}\n"),
              ElementsAre("s.yaml:2:5: parameter 'x1': 'levels' applies to grid designs only (a morris design's "
                          "are design.levels)"));
}

TEST_F(SweepReader, AnEmptyParameterListIsNoParameters) {
  // `parameters: []` ran one run and recorded a saltelli design of 8 samples it never used.
  EXPECT_THAT(errors("parameters: []\ndesign: {method: saltelli, samples: 8}\n"),
              ElementsAre("s.yaml:1:1: a sweep needs 'parameters', or 'replications' above 1 to repeat the scenario",
                          "s.yaml:2:9: design: a design places parameters, and the sweep lists none"));
  EXPECT_THAT(errors("replications: 5\ndesign: {method: monte-carlo, samples: 8}\n"),
              ElementsAre("s.yaml:2:9: design: a design places parameters, and the sweep lists none"));
  const sweep::SweepSpec seeds_only = load_sweep(write("parameters: []\nreplications: 5\n"));
  EXPECT_TRUE(seeds_only.parameters.empty());
  EXPECT_EQ(seeds_only.replications, 5u);
}

TEST_F(SweepReader, ARangeWiderThanTheLargestDoubleIsRefused) {
  // max - min = 3.4e308 overflows to infinity, and min + u (max - min) gave -1.7e308 and then
  // 1.7e308 at every other level.
  EXPECT_THAT(errors("parameters:\n  - {path: a, min: -1.7e308, max: 1.7e308}\ndesign: {method: grid, levels: 5}\n"),
              ElementsAre("s.yaml:2:35: parameters[0].max: max - min must be a finite number (at most about "
                          "1.8e308), got 1.7e+308 - -1.7e+308"));
}

TEST_F(SweepReader, ADesignAndItsSizeAreChecked) {
  EXPECT_THAT(errors("parameters:\n  - {path: a, min: 0, max: 1}\n"),
              ElementsAre("s.yaml:1:1: missing required key 'design' (a method such as saltelli, and samples)"));
  EXPECT_THAT(errors("parameters:\n  - {path: a, min: 0, max: 1}\ndesign: {method: sobl, samples: 8}\n"),
              ElementsAre(HasSubstr("s.yaml:3:18: design.method: unknown design method 'sobl' (did you mean 'sobol'?)")));
  EXPECT_THAT(errors("parameters:\n  - {path: a, min: 0, max: 1}\ndesign: {method: grid}\n"),
              ElementsAre(HasSubstr("a grid needs 'levels' for parameter 'a'")));
  // 10^12 runs: refused, with the arithmetic and the flag that raises the cap.
  EXPECT_THAT(errors("parameters:\n  - {path: a, min: 0, max: 1}\n"
                     "design: {method: monte-carlo, samples: 1000000000}\nreplications: 1000\n"),
              ElementsAre("s.yaml:3:9: design: the sweep has 1000000000000 runs (1000000000 points x 1000 "
                          "replications), above the limit of 1000000000; raise it with --max-runs if that is intended"));
  EXPECT_THAT(errors("parameters:\n  - {path: run_id, min: 0, max: 1}\ndesign: {method: sobol, samples: 8}\n"),
              ElementsAre("s.yaml:2:12: parameters[0].path: 'run_id' names a column every results table has; "
                          "choose another name"));
}

TEST_F(SweepReader, PathsValuesAndOutputsAreCheckedAgainstTheScenario) {
  // An unknown firm in a path, an unknown output and a firm output naming no firm.
  EXPECT_THAT(point_errors("scenario: small.yaml\n"
                           "parameters:\n  - {path: firms.labko.cash, min: 0, max: 1}\n"
                           "design: {method: sobol, samples: 4}\n"
                           "outputs: [defualts, 'defaulted:nobody']\n"),
              ElementsAre("s.yaml:5:11: outputs[0]: unknown output 'defualts' (did you mean 'defaults'?)",
                          "s.yaml:5:21: outputs[1]: unknown firm 'nobody'"));
  // A value outside the field's range at some points: located at the parameter, with the point.
  const std::vector<std::string> bad = point_errors("scenario: small.yaml\n"
                                                    "parameters:\n"
                                                    "  - path: parameters.liquidation_other_fraction\n"
                                                    "    values: [0.5, 2]\n"
                                                    "design: {method: grid}\n");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "s.yaml:3:5: parameters[0]: at point 1 (parameters.liquidation_other_fraction = 2): "
                    "must be between 0 and 1, got 2");
  // A path to a firm that does not exist is wrong at every point; the first few are listed.
  const std::vector<std::string> missing =
      point_errors("scenario: small.yaml\nparameters:\n  - {path: firms.labko.cash, min: 0, max: 1}\n"
                   "design: {method: sobol, samples: 4}\n");
  ASSERT_FALSE(missing.empty());
  EXPECT_THAT(missing[0], HasSubstr("s.yaml:3:5: parameters[0]: at point 0 (firms.labko.cash = "));
  EXPECT_THAT(missing[0], HasSubstr("unknown firm 'labko' (did you mean 'labco'?)"));
}

TEST_F(SweepReader, AShardChecksOnlyItsOwnPoints) {
  // Grid points 0 and 1 (0.5 valid, 2 out of range): checking [0, 1) finds nothing, [1, 2) the one.
  const sweep::SweepSpec spec = load_sweep(write("scenario: small.yaml\n"
                                                 "parameters:\n"
                                                 "  - path: parameters.liquidation_other_fraction\n"
                                                 "    values: [0.5, 2]\n"
                                                 "design: {method: grid}\n"));
  const SweepModels models(spec);
  const sweep::SweepPlan plan(spec);
  std::uint64_t invalid = 0;
  EXPECT_TRUE(models.check(plan, 0, 1, 2, invalid).empty());
  EXPECT_EQ(invalid, 0u);
  EXPECT_EQ(models.check(plan, 1, 2, 2, invalid).size(), 1u);
  EXPECT_EQ(invalid, 1u);
}

TEST_F(SweepReader, AFixedValueTheScenarioRefusesIsLocatedInTheSweep) {
  EXPECT_THAT(point_errors("scenario: small.yaml\n"
                           "set: {simulation.horizon_ticks: 0}\n"
                           "parameters:\n  - {path: parameters.fire_sale_price_impact, min: 0, max: 1}\n"
                           "design: {method: sobol, samples: 4}\n"),
              ElementsAre(HasSubstr("s.yaml:2:7: set.simulation.horizon_ticks: must be between 1 and")));
}

}  // namespace
}  // namespace cascade::scenario
