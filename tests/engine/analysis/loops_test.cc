// Money loops on small models: which cycles close as money, how much goes round, the weakest
// link and firm, the sort order, components, arcs on cycles and named loops.
#include "engine/analysis/loops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/model/model.h"
#include "tests/support/model_builder.h"

namespace cascade::analysis {
namespace {

/// Exposure terms for ModelBuilder (assigned, not designated: ExposureTerms has members without
/// initialisers).
testing::ExposureTerms terms(double term_years, ExposureStatus status = ExposureStatus::outstanding) {
  testing::ExposureTerms t;
  t.term_years = term_years;
  t.status = status;
  return t;
}


using ::testing::ElementsAre;
using testing::ModelBuilder;

/// L1 in miniature: the chipmaker finances the lab (vendor financing 10/yr, loi) and holds a
/// stake (20 -> 4/yr); the lab buys chips (12/yr) and cloud (30/yr); the cloud buys chips
/// (50/yr). A bank lends to the lab (no money comes back to the bank: not a loop).
struct Example {
  Model model;
  FirmIdx chip, lab, cloud, bank;
  ExposureIdx vendor, stake, chips, cloud_buy, cloud_chips, loan;
};

Example example() {
  ModelBuilder b;
  Example x;
  x.chip = b.firm("chip", FirmType::chipmaker, {.cash = 50, .hardware = 10, .other_assets = 40, .revenue = 200});
  x.lab = b.firm("lab", FirmType::ai_lab, {.cash = 10, .hardware = 2, .other_assets = 8, .debt = 15, .revenue = 20});
  x.cloud = b.firm("cloud", FirmType::hyperscaler, {.cash = 40, .hardware = 100, .debt = 70, .revenue = 150});
  x.bank = b.firm("bank", FirmType::bank, {.cash = 100, .other_assets = 100, .revenue = 10});
  x.vendor = b.exposure(ExposureKind::vendor_financing, x.chip, x.lab, 100,
                        terms(10, ExposureStatus::loi));
  x.stake = b.exposure(ExposureKind::equity_stake, x.chip, x.lab, 20);
  x.chips = b.exposure(ExposureKind::purchase_commitment, x.chip, x.lab, 60, terms(5));
  x.cloud_buy = b.exposure(ExposureKind::purchase_commitment, x.cloud, x.lab, 150, terms(5));
  x.cloud_chips = b.exposure(ExposureKind::purchase_commitment, x.chip, x.cloud, 50, terms(1));
  x.loan = b.exposure(ExposureKind::loan, x.bank, x.lab, 15, terms(3));
  x.model = b.build();
  LoopSpec l1;
  l1.id = "L1";
  l1.edges = {x.vendor, x.chips};
  LoopSpec l9;
  l9.id = "L9";
  l9.edges = {x.loan};
  x.model.loops = {l1, l9};
  return x;
}

TEST(FindLoops, CyclesOfMoneyWithAmountsAndWeakestLinks) {
  const Example x = example();
  const MoneyFlowGraph g = build_money_flow(x.model);
  const LoopReport r = find_loops(g);
  EXPECT_FALSE(r.truncated);
  ASSERT_EQ(r.cycles.size(), 2u);

  // chip -> lab (vendor 10 + stake 4 = 14) -> cloud (30) -> chip (50): 14 goes round.
  const MoneyCycle& big = r.cycles[0];
  EXPECT_THAT(big.firms, ElementsAre(x.chip, x.lab, x.cloud));
  EXPECT_DOUBLE_EQ(big.usd_bn, 14.0);
  EXPECT_EQ(big.weakest_step, 0u);
  ASSERT_EQ(big.steps.size(), 3u);
  EXPECT_THAT(big.steps[0].arcs, ElementsAre(x.vendor, x.stake));  // arcs are in exposure order here
  EXPECT_DOUBLE_EQ(big.steps[1].usd_bn, 30.0);
  EXPECT_DOUBLE_EQ(big.steps[2].usd_bn, 50.0);
  EXPECT_TRUE(big.enforced) << "the stake makes the first step binding";
  // Cushions: chip 100/100 = 1, lab (20 - 15) / 20 = 0.25, cloud 70/140 = 0.5.
  EXPECT_EQ(big.weakest_firm, x.lab);

  // chip -> lab (14) -> chip (12): 12 goes round, the lab's payment is the weakest link.
  const MoneyCycle& pair = r.cycles[1];
  EXPECT_THAT(pair.firms, ElementsAre(x.chip, x.lab));
  EXPECT_DOUBLE_EQ(pair.usd_bn, 12.0);
  EXPECT_EQ(pair.weakest_step, 1u);
  EXPECT_EQ(pair.steps[1].payer, x.lab);
  EXPECT_EQ(pair.steps[1].payee, x.chip);

  ASSERT_EQ(r.components.size(), 1u);
  EXPECT_THAT(r.components[0].firms, ElementsAre(x.chip, x.lab, x.cloud));
  EXPECT_EQ(r.components[0].arcs, 5u);
  EXPECT_DOUBLE_EQ(r.components[0].usd_bn, 10 + 4 + 12 + 30 + 50);
}

TEST(FindLoops, EnforcedOnlyDropsTheLetterOfIntent) {
  const Example x = example();
  const MoneyFlowGraph g = build_money_flow(x.model, {.enforced_only = true});
  const LoopReport r = find_loops(g);
  ASSERT_EQ(r.cycles.size(), 2u);
  EXPECT_DOUBLE_EQ(r.cycles[0].usd_bn, 4.0);  // only the stake is left on the first step
  EXPECT_DOUBLE_EQ(r.cycles[1].usd_bn, 4.0);
  EXPECT_TRUE(r.cycles[0].enforced);
}

TEST(FindLoops, NonBindingStepMakesTheCycleNonBinding) {
  ModelBuilder b;
  const FirmIdx a = b.firm("a", FirmType::chipmaker, {.cash = 10, .revenue = 100});
  const FirmIdx c = b.firm("c", FirmType::ai_lab, {.cash = 10});
  b.exposure(ExposureKind::vendor_financing, a, c, 10, terms(1, ExposureStatus::loi));
  b.exposure(ExposureKind::purchase_commitment, a, c, 10, terms(1));
  const LoopReport r = find_loops(build_money_flow(b.build()));
  ASSERT_EQ(r.cycles.size(), 1u);
  EXPECT_FALSE(r.cycles[0].enforced);
}

TEST(FindLoops, SortedByAmountThenFirmIds) {
  // Three 2-cycles with the hub h: two of amount 5 and one of 7; ties ordered by firm ids.
  ModelBuilder b;
  const FirmIdx z = b.firm("zeta", FirmType::ai_lab, {.cash = 1});
  const FirmIdx h = b.firm("hub", FirmType::chipmaker, {.cash = 1, .revenue = 100});
  const FirmIdx a = b.firm("alpha", FirmType::ai_lab, {.cash = 1});
  const FirmIdx m = b.firm("mid", FirmType::ai_lab, {.cash = 1});
  for (const auto& [firm, amount] : {std::pair{z, 5.0}, std::pair{a, 5.0}, std::pair{m, 7.0}}) {
    b.exposure(ExposureKind::vendor_financing, h, firm, amount, terms(1));
    b.exposure(ExposureKind::purchase_commitment, h, firm, amount, terms(1));
  }
  const MoneyFlowGraph g = build_money_flow(b.build());
  const LoopReport r = find_loops(g);
  ASSERT_EQ(r.cycles.size(), 3u);
  EXPECT_THAT(r.cycles[0].firms, ElementsAre(h, m));  // 7 first
  EXPECT_THAT(r.cycles[1].firms, ElementsAre(h, a));  // "hub","alpha" < "zeta","hub"
  EXPECT_THAT(r.cycles[2].firms, ElementsAre(z, h));  // starts at the smallest index
  // Deterministic: the same input gives the same report.
  const LoopReport again = find_loops(g);
  for (std::size_t i = 0; i < r.cycles.size(); ++i) EXPECT_EQ(again.cycles[i].firms, r.cycles[i].firms);
}

TEST(FindLoops, LengthBoundAndTruncation) {
  const Example x = example();
  const MoneyFlowGraph g = build_money_flow(x.model);
  EXPECT_EQ(find_loops(g, {.max_length = 2}).cycles.size(), 1u);
  const LoopReport cut = find_loops(g, {.max_length = 6, .max_cycles = 1});
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(cut.cycles.size(), 1u);
}

TEST(ArcsOnCycles, ExactlyTheArcsThatCanCloseWithinTheBound) {
  const Example x = example();
  const MoneyFlowGraph g = build_money_flow(x.model);
  const std::vector<bool> any = arcs_on_cycles(g, 0);
  for (ExposureIdx e : {x.vendor, x.stake, x.chips, x.cloud_buy, x.cloud_chips}) EXPECT_TRUE(any[e]) << e;
  EXPECT_FALSE(any[x.loan]);
  const std::vector<bool> short_only = arcs_on_cycles(g, 2);
  EXPECT_TRUE(short_only[x.vendor]);
  EXPECT_TRUE(short_only[x.chips]);
  EXPECT_FALSE(short_only[x.cloud_buy]) << "lab -> cloud closes only through a 3-firm cycle";
  EXPECT_FALSE(short_only[x.cloud_chips]);
}

TEST(MatchNamedLoops, ANamedLoopIsFoundWhenItsOwnEdgesCloseACycle) {
  const Example x = example();
  const MoneyFlowGraph g = build_money_flow(x.model);
  const LoopReport r = find_loops(g);
  const std::vector<NamedLoopMatch> m = match_named_loops(x.model, g, r);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_THAT(m[0].cycles, ElementsAre(1u));  // L1: the chip <-> lab cycle
  EXPECT_TRUE(m[1].cycles.empty());           // the bank's loan never comes back as money
}

}  // namespace
}  // namespace cascade::analysis
