// Every firm's sums at once (SimState::balance_sheets, arrears_of_every_firm,
// performing_marks_of_every_firm), which phases 7 and 8 use, against the per-firm walks they
// replace: the same doubles, bit for bit. The exposure state of a generated economy is drawn at
// random (ended exposures, principals, values, marks and arrears of every size, defaulted
// firms), so every branch of the sums is taken.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "engine/generate/ai_economy.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/phases.h"
#include "engine/sim/state.h"
#include "scenarios/loader/loader.h"

namespace cascade::sim {
namespace {

namespace fs = std::filesystem;

Model load_economy(std::uint32_t firms, std::uint64_t seed) {
  const fs::path file = fs::path(::testing::TempDir()) / ("cascade_state_sums_" + std::to_string(seed) + ".yaml");
  std::ofstream(file) << generate::generate_ai_economy({.firms = firms, .seed = seed});
  return scenario::load_file(file);
}

/// Draws every exposure's balance-sheet amounts and arrears (each kind only those it can carry),
/// and which firms defaulted.
void scramble(SimState& state, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const auto sometimes = [&](double p, double scale) { return u(rng) < p ? scale * u(rng) : 0.0; };
  for (ExposureIdx e = 0; e < state.exposures.size(); ++e) {
    ExposureBook& book = state.books[e];
    book.active = u(rng) < 0.8;
    book.principal_usd_bn = sometimes(0.9, 10.0);
    book.value_usd_bn = sometimes(0.9, 5.0);
    book.markdown_usd_bn = sometimes(0.5, book.principal_usd_bn);
    ExposureState& x = state.exposures[e];
    x.arrears_usd_bn = sometimes(0.3, 1.0);
    x.principal_overdue_usd_bn = sometimes(0.2, 2.0);
    x.withheld_usd_bn = sometimes(0.2, x.arrears_usd_bn);
    // Only vendor financing has tranches and only guarantees have payouts to owe.
    const ExposureKind kind = state.model().exposures[e].kind;
    x.tranche_arrears_usd_bn = kind == ExposureKind::vendor_financing ? sometimes(0.3, 1.0) : 0.0;
    x.guarantee_arrears_usd_bn = kind == ExposureKind::guarantee ? sometimes(0.3, 1.0) : 0.0;
  }
  for (FirmIdx f = 0; f < state.firms.size(); ++f) {
    state.defaulted[f] = u(rng) < 0.1 ? 1 : 0;
    state.firms[f].external_arrears_usd_bn = sometimes(0.2, 3.0);
  }
}

/// The definition of a firm's arrears, through its own lists (vendor financing tranches and
/// guarantee payouts are owed by the exposed party, `from`).
double arrears_of(const SimState& state, FirmIdx f) {
  double sum = state.firms[f].external_arrears_usd_bn;
  for (ExposureIdx e : state.network().owed_by(f))
    sum += state.exposures[e].arrears_usd_bn + state.exposures[e].principal_overdue_usd_bn;
  for (ExposureIdx e : state.network().held_by(f))
    sum += state.exposures[e].tranche_arrears_usd_bn + state.exposures[e].guarantee_arrears_usd_bn;
  return sum;
}

double withheld_of(const SimState& state, FirmIdx f) {
  double sum = 0.0;
  for (ExposureIdx e : state.network().owed_by(f)) sum += state.exposures[e].withheld_usd_bn;
  return sum;
}

/// The definition of performing marks, claim by claim through the firm's own list.
double performing_marks_of(const SimState& state, FirmIdx f, std::span<const double> arrears_by_firm) {
  double sum = 0.0;
  for (ExposureIdx e : state.claims_held_by(f)) {
    const FirmIdx obligor = state.model().exposures[e].to;
    const ExposureBook& book = state.books[e];
    const ExposureState& x = state.exposures[e];
    if (book.active && book.markdown_usd_bn > 0.0 && x.arrears_usd_bn <= 0.0 && x.principal_overdue_usd_bn <= 0.0 &&
        !state.defaulted[obligor] && arrears_by_firm[obligor] <= 0.0)
      sum += book.markdown_usd_bn;
  }
  return sum;
}

TEST(StateSums, EveryFirmAtOnceEqualsEachFirmsOwnWalkBitForBit) {
  const Model model = load_economy(400, 5);
  const ExposureNetwork network(model);
  SimState state(model, network);
  for (const std::uint64_t draw : {1u, 2u, 3u}) {
    scramble(state, draw);
    std::vector<BalanceSheet> sheets;
    state.balance_sheets(sheets);
    std::vector<double> arrears, withheld, performing;
    arrears_of_every_firm(state, arrears, withheld);
    performing_marks_of_every_firm(state, arrears, performing);
    ASSERT_EQ(sheets.size(), model.firms.size());
    ASSERT_EQ(arrears.size(), model.firms.size());
    ASSERT_EQ(withheld.size(), model.firms.size());
    ASSERT_EQ(performing.size(), model.firms.size());
    std::size_t with_claims = 0, with_marks = 0;
    for (FirmIdx f = 0; f < model.firms.size(); ++f) {
      const BalanceSheet b = state.balance_sheet(f);
      EXPECT_EQ(sheets[f].securities_usd_bn, b.securities_usd_bn) << "firm " << f;
      EXPECT_EQ(sheets[f].claims_usd_bn, b.claims_usd_bn) << "firm " << f;
      EXPECT_EQ(sheets[f].network_debt_usd_bn, b.network_debt_usd_bn) << "firm " << f;
      EXPECT_EQ(sheets[f].assets_usd_bn, b.assets_usd_bn) << "firm " << f;
      EXPECT_EQ(sheets[f].liabilities_usd_bn, b.liabilities_usd_bn) << "firm " << f;
      EXPECT_EQ(arrears[f], arrears_of(state, f)) << "firm " << f;
      EXPECT_EQ(withheld[f], withheld_of(state, f)) << "firm " << f;
      EXPECT_EQ(performing[f], performing_marks_of(state, f, arrears)) << "firm " << f;
      with_claims += b.claims_usd_bn > 0.0 ? 1 : 0;
      with_marks += performing[f] > 0.0 ? 1 : 0;
    }
    // The draw reaches the branches: firms with claims on the books and with performing marks,
    // and arrears owed by the exposed party (tranches and guarantee payouts).
    EXPECT_GT(with_claims, model.firms.size() / 10) << "draw " << draw;
    EXPECT_GT(with_marks, 0u) << "draw " << draw;
    std::size_t owed_as_from = 0;
    for (const ExposureState& x : state.exposures)
      owed_as_from += x.tranche_arrears_usd_bn + x.guarantee_arrears_usd_bn > 0.0 ? 1 : 0;
    EXPECT_GT(owed_as_from, 0u) << "draw " << draw;
  }
}

}  // namespace
}  // namespace cascade::sim
