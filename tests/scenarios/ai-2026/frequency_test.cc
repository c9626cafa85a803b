// Default frequencies of the AI-2026 scenarios across seeds: the stories the scenario README tells
// ("Across seeds") are frequencies, so these tests hold them, not single paths.
//
// Each scenario runs with the first 40 seeds `cascade run FILE --replications N` uses
// (sweep::derive_run_seed(scenario seed, point 0, replicate r)). The expected frequencies are
// those of 100 replicates printed by `python3 tools/replication_table.py` (scenarios/ai-2026/
// README.md, "Across seeds"). Tolerance: a frequency over 40 seeds may differ from the recorded
// one by 3.3 binomial standard errors sqrt(p (1 - p) / 40) plus 1/40 (about a 99.9% band), so
// that a model change that moves a default's frequency fails here and must be explained in
// CHANGELOG.md.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"
#include "engine/sweep/sweep.h"
#include "scenarios/loader/loader.h"

namespace cascade {
namespace {

constexpr int kSeeds = 40;

std::map<std::string, double> default_frequencies(const std::string& file) {
  const Model m = scenario::load_file(std::filesystem::path(CASCADE_SOURCE_DIR) / "scenarios" / "ai-2026" / file);
  std::map<std::string, double> freq;
  for (std::uint32_t r = 0; r < kSeeds; ++r) {
    const RunOptions options{.seed = sweep::derive_run_seed(m.params.seed, 0, r), .threads = 1};
    for (const DefaultEvent& d : run_simulation(m, options, agents::standard_behaviours()).defaults)
      freq[m.firms[d.firm].id] += 1.0 / kSeeds;
  }
  return freq;
}

void expect_frequency(const std::map<std::string, double>& freq, const std::string& firm, double recorded) {
  const auto it = freq.find(firm);
  const double measured = it == freq.end() ? 0.0 : it->second;
  const double band = 3.3 * std::sqrt(recorded * (1.0 - recorded) / kSeeds) + 1.0 / kSeeds;
  EXPECT_NEAR(measured, recorded, band) << firm;
}

TEST(Ai2026Frequencies, TheBaselineFailsTheSmallerNeocloudsAndRarelyAnyoneElse) {
  const auto freq = default_frequencies("baseline.yaml");
  expect_frequency(freq, "other_neoclouds", 1.00);
  expect_frequency(freq, "softbank", 0.09);
  expect_frequency(freq, "intel", 0.01);
  for (const char* firm : {"nvidia", "microsoft", "google", "meta", "oracle", "openai", "jpmorgan"})
    expect_frequency(freq, firm, 0.0);
}

TEST(Ai2026Frequencies, OpenAisNonPaymentTakesTheChainDownInAlmostEverySeed) {
  const auto freq = default_frequencies("stress/s2-openai-nonpayment.yaml");
  expect_frequency(freq, "openai", 1.00);
  expect_frequency(freq, "coreweave", 1.00);
  expect_frequency(freq, "oracle", 0.14);
  expect_frequency(freq, "softbank", 0.94);
  expect_frequency(freq, "anthropic", 0.89);
}

TEST(Ai2026Frequencies, TheEquityDeratingShutsTheLabsWindowInEverySeed) {
  const auto freq = default_frequencies("stress/s8-equity-derating.yaml");
  expect_frequency(freq, "openai", 1.00);
  expect_frequency(freq, "anthropic", 0.99);
  expect_frequency(freq, "xai", 1.00);
  expect_frequency(freq, "oracle", 0.14);
  expect_frequency(freq, "softbank", 0.93);
}

}  // namespace
}  // namespace cascade
