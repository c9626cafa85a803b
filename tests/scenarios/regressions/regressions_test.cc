// Scenarios that once gave results an economist would not sign, kept as regression tests.
#include <gtest/gtest.h>

#include "agents/firm_types.h"
#include "engine/output/run_summary.h"
#include "engine/sim/credit.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade {
namespace {

const std::string kFourBanks = std::string(CASCADE_SOURCE_DIR) + "/tests/scenarios/regressions/four-banks/scenario.yaml";

SimResult run_with(const Model& model) {
  return run_simulation(model, RunOptions{.seed = model.params.seed, .audit = true}, agents::standard_behaviours());
}

/// `m` with bank A losing 1 of cash at tick 1: its equity 10 + 3 - 5 - 6 = 2 falls to 1, still
/// solvent.
Model with_a_losing_cash(const Model& m) {
  Model shocked = m;
  ShockSpec loss;
  loss.id = "a-loses";
  loss.kind = ShockKind::cash_change;
  loss.targets = {*m.find_firm("A")};
  loss.tick = 1;
  loss.value = -1.0;
  shocked.shocks.push_back(loss);
  return shocked;
}

TEST(MertonDefaultProbability, MatchesAHandCalculation) {
  // A = 120, D = 100, sigma = 0.2, T = 1: DD = (ln 1.2 - 0.02) / 0.2 = 0.8116, PD = Phi(-0.8116)
  // = 1 - 0.7915 = 0.2085 (normal table, interpolated between 0.81 and 0.82).
  EXPECT_NEAR(merton_default_probability(120, 100, 0.2, 1), 0.2085, 1e-4);
  // Four years: DD = (0.1823 - 0.08) / 0.4 = 0.2558, PD = Phi(-0.2558) = 0.3991.
  EXPECT_NEAR(merton_default_probability(120, 100, 0.2, 4), 0.3991, 1e-4);
  EXPECT_EQ(merton_default_probability(50, 0, 0.2, 1), 0.0);   // no debt
  EXPECT_EQ(merton_default_probability(0, 10, 0.2, 1), 1.0);   // no assets
  EXPECT_GT(merton_default_probability(90, 100, 0.2, 1), 0.5);  // insolvent: more likely than not
}

// Four banks, an interbank loop A -> B -> C -> A (and C -> D), no shocks: every claim is paid
// at par, so nobody may default, whatever the marking mode.
TEST(FourBanksWithoutShocks, NobodyDefaultsInAnyMarkingMode) {
  for (const char* mode : {"expected_loss", "linear", "single_hit"}) {
    const Model m = scenario::load_file(kFourBanks, {.overrides = {{"parameters.debtrank_mode", mode}}});
    const SimResult r = run_with(m);
    EXPECT_TRUE(r.defaults.empty()) << mode << ": " << m.firms[r.defaults.front().firm].id << " defaults at tick "
                                    << r.defaults.front().tick;
  }
}

// With a shock that leaves A distressed but solvent, A keeps paying B at par. Linear DebtRank
// marks B's claim on A down by half (h_A = 0.5), more than B's equity: a mark-to-model loss,
// not a loss. B must not be liquidated for it, nor C behind it.
TEST(FourBanksWithoutShocks, AMarkOnAClaimThatIsPaidDoesNotLiquidateItsHolder) {
  for (const char* mode : {"expected_loss", "linear"}) {
    const Model m = scenario::load_file(
        kFourBanks, {.overrides = {{"parameters.debtrank_mode", mode}, {"parameters.debtrank_loss_given_default", "1"}}});
    const SimResult r = run_with(with_a_losing_cash(m));
    EXPECT_TRUE(r.defaults.empty()) << mode << ": " << m.firms[r.defaults.front().firm].id << " defaults at tick "
                                    << r.defaults.front().tick;
    // The marks were booked all the same: the debtrank channel saw the distress.
    EXPECT_GT(r.losses_by_channel_usd_bn(DefaultChannel::debtrank), 0.0) << mode;
  }
}

// The marks' fixed point needs several rounds when distress passes along a chain (A's mark
// lowers B's equity, which marks C's claim on B, ...). Stopped after one round it has not
// converged, and the run says so instead of passing the first round off as the answer.
TEST(FourBanksWithAShock, MarksStoppedBeforeTheirFixedPointAreReportedUnconverged) {
  for (const char* mode : {"expected_loss", "linear"}) {
    for (const char* rounds : {"1", "1000"}) {
      const Model m = scenario::load_file(kFourBanks, {.overrides = {{"parameters.debtrank_mode", mode},
                                                                     {"parameters.debtrank_loss_given_default", "1"},
                                                                     {"parameters.marking_max_rounds", rounds}}});
      const Model shocked = with_a_losing_cash(m);
      const SimResult r = run_with(shocked);
      const output::Json summary =
          output::run_summary_json(shocked, r, RunOptions{}, analysis::firm_circularity(shocked));
      if (std::string(rounds) == "1") {
        EXPECT_GT(r.unconverged_marking_ticks, 0) << mode;
        EXPECT_EQ(r.first_unconverged_marking_tick, 1) << mode;  // the shock's tick
        EXPECT_EQ(summary["first_unconverged_marking_tick"], 1) << mode;
      } else {
        EXPECT_EQ(r.unconverged_marking_ticks, 0) << mode;
        EXPECT_TRUE(summary["first_unconverged_marking_tick"].is_null()) << mode;
      }
    }
  }
}

}  // namespace
}  // namespace cascade
