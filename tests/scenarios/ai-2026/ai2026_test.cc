// End to end on the bundled AI-2026 scenarios: load, validate, run with the audit.
//
// These tests assert properties a calibration must have, not a recorded run: the baseline is
// coherent at tick 1 (nothing defaults in its first year, no warnings), money is conserved,
// every default names its cause, and each stress scenario ends with less system equity than the
// baseline (each of its shocks takes cash, revenue or value away; the number of defaults need
// not rise: a capex halt spares the neoclouds the over-expansion that fails one of them in the
// baseline). S1 moves as the BIS describes it (seed-facts.md §12 S1).
#include <gtest/gtest.h>

#include <filesystem>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "tests/support/recorder.h"
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
    EXPECT_LT(r.final.equity_usd_bn, base.final.equity_usd_bn) << entry.path();
  }
  EXPECT_GE(files, 4);
}

/// Sum of a firm's column over ticks [from, to].
double total(const testing::Recorder& rec, const Model& m, std::string_view firm, double FirmTickRecord::*column,
             Tick from = 1, Tick to = 60) {
  FirmIdx f = 0;
  while (m.firms[f].id != firm) ++f;
  double sum = 0.0;
  for (Tick t = from; t <= to; ++t) sum += rec.at(t, f).*column;
  return sum;
}

TEST(Ai2026Stress, TheCapexHaltCostsTheSuppliersAndThenTheHyperscalers) {
  const Model base_model = scenario::load_file(kDir / "baseline.yaml");
  const Model halt_model = scenario::load_file(kDir / "stress" / "s1-capex-halt.yaml");
  testing::Recorder base, halt;
  const SimResult b = run_simulation(base_model, RunOptions{.seed = base_model.params.seed, .threads = 2},
                                     agents::standard_behaviours(), &base);
  const SimResult h = run_simulation(halt_model, RunOptions{.seed = halt_model.params.seed, .threads = 2},
                                     agents::standard_behaviours(), &halt);
  // The suppliers' revenue falls: the halted orders were theirs.
  for (std::string_view supplier : {"nvidia", "memory_makers"})
    EXPECT_LT(total(halt, halt_model, supplier, &FirmTickRecord::revenue_usd_bn),
              total(base, base_model, supplier, &FirmTickRecord::revenue_usd_bn))
        << supplier;
  // The hyperscalers' AI revenue falls after the capacity lag: the halt (ticks 13-24) stops the
  // builds that would have entered service from tick 25 on.
  for (std::string_view cloud : {"microsoft", "amazon", "google"}) {
    EXPECT_LT(total(halt, halt_model, cloud, &FirmTickRecord::ai_revenue_usd_bn, 25, 60),
              total(base, base_model, cloud, &FirmTickRecord::ai_revenue_usd_bn, 25, 60))
        << cloud;
    EXPECT_NEAR(total(halt, halt_model, cloud, &FirmTickRecord::ai_revenue_usd_bn, 1, 12),
                total(base, base_model, cloud, &FirmTickRecord::ai_revenue_usd_bn, 1, 12), 1e-9)
        << cloud << ": nothing differs before the halt";
  }
  EXPECT_LT(h.final.equity_usd_bn, b.final.equity_usd_bn);
}

}  // namespace
}  // namespace cascade
