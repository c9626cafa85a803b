// The money-flow graph: the direction money moves for every exposure kind, the per-year
// amount of each kind, the status filter, overlaps, and plain networks.
#include "engine/analysis/money_flow.h"

#include <gtest/gtest.h>

#include "engine/model/model.h"
#include "engine/network/plain_network.h"
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


using testing::ModelBuilder;

TEST(MoneyDirection, FinancingToTheObligorTradeToTheExposedParty) {
  for (const ExposureKind k : {ExposureKind::loan, ExposureKind::bond, ExposureKind::collateralised_loan,
                               ExposureKind::credit_line, ExposureKind::equity_stake, ExposureKind::warrant,
                               ExposureKind::vendor_financing, ExposureKind::guarantee}) {
    EXPECT_EQ(money_direction(k), MoneyDirection::to_obligor) << to_string(k);
    EXPECT_FALSE(is_commercial(k)) << to_string(k);
  }
  for (const ExposureKind k : {ExposureKind::purchase_commitment, ExposureKind::lease, ExposureKind::revenue_share}) {
    EXPECT_EQ(money_direction(k), MoneyDirection::to_exposed) << to_string(k);
    EXPECT_TRUE(is_commercial(k)) << to_string(k);
  }
  for (const ExposureKind k : all_exposure_kinds()) EXPECT_NO_THROW(money_direction(k));
}

/// One exposure of each kind from `a` (exposed) to `b` (obligor).
Model every_kind(ExposureStatus status = ExposureStatus::outstanding) {
  ModelBuilder b;
  const FirmIdx a = b.firm("a", FirmType::chipmaker, {.cash = 100, .other_assets = 200, .revenue = 500});
  const FirmIdx o = b.firm("o", FirmType::ai_lab, {.cash = 10, .debt = 200, .revenue = 1});
  for (const ExposureKind k : all_exposure_kinds()) {
    const bool stream = is_contract_stream(k) || k == ExposureKind::vendor_financing;
    b.exposure(k, a, o, 40, terms(stream ? 4.0 : (k == ExposureKind::bond ? 8.0 : 0.0), status));
  }
  return b.build();
}

TEST(BuildMoneyFlow, ArcsRunTheWayMoneyMovesWithPerYearAmounts) {
  const Model m = every_kind();
  const MoneyFlowGraph g = build_money_flow(m, {.spread_years = 5.0});
  ASSERT_EQ(g.arcs.size(), m.exposures.size());
  EXPECT_EQ(g.basis, FlowBasis::usd_bn_per_year);
  for (const MoneyArc& arc : g.arcs) {
    const ExposureSpec& e = m.exposures[*arc.exposure];
    EXPECT_EQ(arc.exposure_id, e.id);
    EXPECT_EQ(arc.kind, e.kind);
    const bool financing = !is_contract_stream(e.kind);
    EXPECT_EQ(arc.payer, financing ? FirmIdx{0} : FirmIdx{1}) << to_string(e.kind);
    EXPECT_EQ(arc.payee, financing ? FirmIdx{1} : FirmIdx{0}) << to_string(e.kind);
    double expected = 0.0;
    switch (e.kind) {
      case ExposureKind::lease:
      case ExposureKind::purchase_commitment:
      case ExposureKind::revenue_share:
      case ExposureKind::vendor_financing:
        expected = 10.0;  // 40 over 4 years
        break;
      case ExposureKind::bond:
        expected = 5.0;  // 40 over its 8-year term
        break;
      default:
        expected = 8.0;  // no term: 40 spread over 5 years
    }
    EXPECT_DOUBLE_EQ(arc.usd_bn, expected) << to_string(e.kind);
  }
}

TEST(BuildMoneyFlow, SpreadYearsScalesStocksWithoutATerm) {
  const MoneyFlowGraph g = build_money_flow(every_kind(), {.spread_years = 2.0});
  for (const MoneyArc& arc : g.arcs) {
    if (arc.kind == ExposureKind::equity_stake || arc.kind == ExposureKind::loan) {
      EXPECT_DOUBLE_EQ(arc.usd_bn, 20.0);
    }
  }
  EXPECT_THROW(build_money_flow(every_kind(), {.spread_years = 0.0}), InternalError);
}

TEST(BuildMoneyFlow, EveryStatusByDefaultEnforcedOnlyOnRequest) {
  ModelBuilder b;
  const FirmIdx a = b.firm("a", FirmType::chipmaker, {.cash = 10, .revenue = 10});
  const FirmIdx o = b.firm("o", FirmType::ai_lab, {.cash = 10});
  for (const ExposureStatus s : {ExposureStatus::outstanding, ExposureStatus::contract, ExposureStatus::loi,
                                 ExposureStatus::proposed, ExposureStatus::doubtful, ExposureStatus::settled})
    b.exposure(ExposureKind::equity_stake, a, o, 5, terms(0, s));
  const Model m = b.build();
  const MoneyFlowGraph all = build_money_flow(m);
  ASSERT_EQ(all.arcs.size(), 6u);
  EXPECT_FALSE(all.enforced_only);
  EXPECT_EQ(all.arcs[2].status, ExposureStatus::loi);
  EXPECT_FALSE(all.arcs[2].enforced);
  EXPECT_TRUE(all.arcs[1].enforced);
  const MoneyFlowGraph enforced = build_money_flow(m, {.enforced_only = true});
  ASSERT_EQ(enforced.arcs.size(), 2u);
  EXPECT_EQ(enforced.arcs[0].exposure_id, "E0");
  EXPECT_EQ(enforced.arcs[1].exposure_id, "E1");
}

TEST(BuildMoneyFlow, OverlapsUseTheEffectiveAmount) {
  ModelBuilder b;
  const FirmIdx chip = b.firm("chip", FirmType::chipmaker, {.cash = 10, .revenue = 100});
  const FirmIdx lab = b.firm("lab", FirmType::ai_lab, {.cash = 10});
  const FirmIdx cloud = b.firm("cloud", FirmType::hyperscaler, {.cash = 10});
  const ExposureIdx umbrella =
      b.exposure(ExposureKind::purchase_commitment, chip, lab, 100, terms(5, ExposureStatus::loi));
  const ExposureIdx carried = b.exposure(ExposureKind::purchase_commitment, chip, cloud, 60, terms(5));
  b.model().exposures[umbrella].overlaps = {carried};
  const MoneyFlowGraph g = build_money_flow(b.build());
  EXPECT_DOUBLE_EQ(g.arcs[umbrella].usd_bn, 8.0);  // (100 - 60) / 5
  EXPECT_DOUBLE_EQ(g.arcs[carried].usd_bn, 12.0);
}

TEST(BuildMoneyFlow, FirmFiguresForTheAnalysis) {
  ModelBuilder b;
  const FirmIdx a = b.firm("a", FirmType::neocloud, {.cash = 10, .hardware = 30, .other_assets = 10, .debt = 25,
                                                     .revenue = 12});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 100, .other_assets = 100});
  b.exposure(ExposureKind::loan, bank, a, 15, terms(3));
  const MoneyFlowGraph g = build_money_flow(b.build(), {.spread_years = 5.0});
  EXPECT_DOUBLE_EQ(g.firms[a].assets_usd_bn, 50.0);
  EXPECT_DOUBLE_EQ(g.firms[a].equity_usd_bn, 25.0);
  EXPECT_DOUBLE_EQ(g.firms[a].equity_cushion(), 0.5);
  EXPECT_DOUBLE_EQ(g.firms[a].outside_funding_usd_bn, 2.0);  // external debt (25 - 15) over 5 years
  EXPECT_DOUBLE_EQ(g.firms[a].external_revenue_usd_bn, 12.0);
  EXPECT_EQ(g.firms[a].type, FirmType::neocloud);
  EXPECT_DOUBLE_EQ(g.arcs[0].usd_bn, 5.0);
}

TEST(BuildMoneyFlow, PlainNetworkLoansCreditorToDebtorAtNominal) {
  PlainNetwork net;
  net.nodes = {{"A", 10, 5, std::nullopt, {}}, {"B", 8, 6, std::nullopt, {}}};
  net.edges = {{"A", "B", 2, {}}, {"B", "A", 1, {}}};
  const MoneyFlowGraph g = build_money_flow(net);
  EXPECT_EQ(g.basis, FlowBasis::nominal);
  ASSERT_EQ(g.arcs.size(), 2u);
  EXPECT_EQ(g.arcs[0].payer, 1u);  // creditor B lends to debtor A
  EXPECT_EQ(g.arcs[0].payee, 0u);
  EXPECT_DOUBLE_EQ(g.arcs[0].usd_bn, 2.0);
  EXPECT_EQ(g.arcs[0].exposure_id, "edge1");
  EXPECT_EQ(g.arcs[1].exposure_id, "edge2");
  EXPECT_FALSE(g.arcs[0].exposure.has_value());
  // A: assets 10 + 1, liabilities 5 + 2 -> equity 4; B: assets 8 + 2, liabilities 6 + 1 -> equity 3.
  EXPECT_DOUBLE_EQ(g.firms[0].assets_usd_bn, 11.0);
  EXPECT_DOUBLE_EQ(g.firms[0].equity_usd_bn, 4.0);
  EXPECT_DOUBLE_EQ(g.firms[1].assets_usd_bn, 10.0);
  EXPECT_DOUBLE_EQ(g.firms[1].equity_usd_bn, 3.0);
  EXPECT_FALSE(g.firms[0].type.has_value());
}

}  // namespace
}  // namespace cascade::analysis
