// End to end on the bundled AI-2026 scenarios: load, validate, run with the audit.
//
// These tests assert properties a calibration must have, not a recorded run: the baseline is
// coherent at tick 1 (nothing defaults in its first year, no warnings), money is conserved,
// every default names its cause, and each stress scenario changes the outcome and has at least
// the baseline's defaults (each of its shocks takes cash or revenue away from some firm; total
// losses need not rise: a capex halt keeps cash in the hyperscalers, an earlier default can leave
// less debt to lose).
#include <gtest/gtest.h>

#include <filesystem>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade {
namespace {

const std::filesystem::path kDir = std::filesystem::path(CASCADE_SOURCE_DIR) / "scenarios" / "ai-2026";

SimResult run(const Model& m) {
  return run_simulation(m, RunOptions{.seed = m.params.seed, .threads = 2, .audit = true}, agents::standard_behaviours());
}

TEST(Ai2026Baseline, LoadsWithoutWarningsAndKeepsEveryFirmAndExposure) {
  const Model m = scenario::load_file(kDir / "baseline.yaml");
  for (const Diagnostic& d : m.warnings) ADD_FAILURE() << d.format();
  // The draft (shared/data/ai-2026-baseline.yaml) has 32 firms and exposures E01..E97.
  EXPECT_EQ(m.firms.size(), 32u);
  EXPECT_EQ(m.exposures.size(), 97u);
  EXPECT_EQ(m.params.horizon_ticks, 60);
  EXPECT_EQ(m.params.ticks_per_year, 12);
  for (const ExposureSpec& e : m.exposures) EXPECT_FALSE(e.sources.empty()) << e.id << " lost its source note";
}

TEST(Ai2026Baseline, RunsFiveYearsCoherentlyAndConservesMoney) {
  const Model m = scenario::load_file(kDir / "baseline.yaml");
  const SimResult r = run(m);  // audit on: a conservation breach throws
  EXPECT_EQ(r.ticks_run, 60);
  EXPECT_LE(r.max_conservation_error_relative, 1e-9);
  for (const DefaultEvent& d : r.defaults) {
    EXPECT_GT(d.tick, 12) << m.firms[d.firm].id << " defaults in the first year: the calibration is incoherent";
    EXPECT_FALSE(d.detail.empty());
  }
}

TEST(Ai2026Stress, EveryStressScenarioRunsAndChangesTheOutcome) {
  const SimResult base = run(scenario::load_file(kDir / "baseline.yaml"));
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kDir / "stress")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const Model m = scenario::load_file(entry.path());
    EXPECT_FALSE(m.shocks.empty()) << entry.path();
    const SimResult r = run(m);
    EXPECT_EQ(r.ticks_run, 60) << entry.path();
    EXPECT_GE(r.defaults.size(), base.defaults.size()) << entry.path();
    // The shocks must reach the run: its end state differs from the baseline's.
    EXPECT_NE(r.final.equity_usd_bn, base.final.equity_usd_bn) << entry.path();
  }
  EXPECT_GE(files, 4);
}

}  // namespace
}  // namespace cascade
