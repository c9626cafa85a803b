// Loop contribution and systemic-importance rankings on small scenarios computed by hand.
#include <gtest/gtest.h>

#include <stdexcept>

#include "agents/firm_types.h"
#include "engine/experiments/loop_cut.h"
#include "engine/experiments/rank.h"
#include "tests/support/model_builder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;

Channels clearing_and_resolution() {
  Channels c;
  for (std::size_t i = 0; i < Channels::kCount; ++i) c.at(i) = false;
  c.payment_clearing = c.default_resolution = true;
  return c;
}

/// A vendor-financing loop: the supplier funds its customer 12 a year (equity tranches of 1 a
/// tick) and the customer buys 12 a year of service from it; the customer is forced into
/// default at tick 3.
Model vendor_financing_loop() {
  ModelBuilder b;
  b.model().params.horizon_ticks = 3;
  b.model().channels = clearing_and_resolution();
  const FirmIdx supplier = b.firm("supplier", FirmType::chipmaker, {.cash = 10, .revenue = 12});
  const FirmIdx customer = b.firm("customer", FirmType::ai_lab, {.opex = 12});
  b.exposure(ExposureKind::vendor_financing, supplier, customer, 12, {.term_years = 1});
  b.exposure(ExposureKind::purchase_commitment, supplier, customer, 12,
             {.term_years = 1, .purpose = PurchasePurpose::service});
  b.shock(ShockKind::force_default, {customer}, 3, 0.0);
  return b.build();
}

TEST(LoopCut, ContributionOfAVendorFinancingLoopByHand) {
  const Model m = vendor_financing_loop();
  const LoopCutResult r = cut_loops(m, RunOptions{.seed = 1, .threads = 2}, agents::standard_behaviours());
  ASSERT_EQ(r.cases.size(), 1u);
  // The loop supplier > customer > supplier is cut at its financing edge, the vendor financing.
  EXPECT_EQ(m.exposures[r.cases[0].cut].kind, ExposureKind::vendor_financing);
  EXPECT_DOUBLE_EQ(r.cases[0].usd_bn_per_year, 12.0);
  // With the loop: tranches of 1 at ticks 1-3 make a stake of 3, wiped out at the default (the
  // customer's cash is 0: each tranche paid the supplier's invoice); the rejected contract's
  // claim is min(9 remaining, 1 year x 12) = 9, recovered 0. Credit loss 3 + 9 = 12.
  EXPECT_NEAR(r.base.credit_loss_usd_bn, 12.0, 1e-9);
  // Cut: an outside investor funds the customer; the supplier loses only the contract, 9.
  EXPECT_NEAR(r.without[0].credit_loss_usd_bn, 9.0, 1e-9);
  EXPECT_NEAR(r.contribution[0].credit_loss_usd_bn, 3.0, 1e-9);
  EXPECT_DOUBLE_EQ(r.contribution[0].defaults, 0.0);  // the customer defaults either way
}

TEST(LoopCut, OutsideCounterpartyKeepsTheObligorsTerms) {
  const Model m = vendor_financing_loop();
  const Model cut = with_outside_counterparty(m, 0);
  ASSERT_EQ(cut.firms.size(), m.firms.size() + 1);
  EXPECT_EQ(cut.firms.back().id, "outside_E0");
  EXPECT_EQ(cut.exposures[0].from, static_cast<FirmIdx>(m.firms.size()));
  EXPECT_EQ(cut.exposures[0].to, m.exposures[0].to);
  EXPECT_DOUBLE_EQ(cut.exposures[0].annual_usd_bn, m.exposures[0].annual_usd_bn);
  // The supplier's 12 of revenue from the loop's other edge is untouched.
  EXPECT_DOUBLE_EQ(cut.firms[0].external_revenue_usd_bn_per_year, 0.0);
}

/// A thin bank (equity 1) with a 10 loan to a borrower (equity 1) that pays as long as it exists.
Model thin_bank() {
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().params.external_debt_rate_pct = 0.0;
  b.model().params.deposit_rate_pct = 0.0;
  b.model().channels = clearing_and_resolution();
  b.firm("bank", FirmType::bank, {.cash = 5, .other_assets = 10, .debt = 14});
  b.firm("borrower", FirmType::neocloud, {.cash = 1, .hardware = 10, .debt = 10, .hardware_life_years = 1e12});
  b.firm("bystander", FirmType::conglomerate, {.cash = 3});
  b.exposure(ExposureKind::loan, 0, 1, 10, {.term_years = 10});
  return b.build();
}

const FirmImpact& impact_of(const std::vector<FirmImpact>& ranking, FirmIdx firm) {
  for (const FirmImpact& i : ranking)
    if (i.firm == firm) return i;
  throw std::out_of_range("firm not ranked");
}

TEST(Rank, SoleFailureOfTheBorrowerTakesTheBankDown) {
  const Model m = thin_bank();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours());
  ASSERT_EQ(r.failure.size(), 3u);
  // Without a shock nothing happens (no interest, no cash flows): the bank ends with equity
  // 5 + 10 - 14 = 1. The borrower's failure at tick 1: its estate is cash 1 + hardware 10 x
  // liquidation fraction 0.5 = 6; the bank recovers 6 of 10 and loses 4 > its equity 1, and
  // defaults too. The bank's estate, 5 + 6 = 11, against 14 of outside debt leaves its outside
  // creditors 3 short. Everyone else loses 4: the bank's shareholders 1 (its equity 1 -> 0) and
  // its outside creditors 3. Components: credit 4, revenue 0, outside 3, and other
  // 1 - 4 - 0 = -3 (the part of its credit loss the bank passed on to its outside creditors).
  const FirmImpact& borrower = r.failure[0];
  EXPECT_EQ(borrower.firm, 1u);
  EXPECT_NEAR(borrower.caused.credit_loss_usd_bn, 4.0, 1e-9);
  EXPECT_NEAR(borrower.caused.revenue_lost_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(borrower.caused.other_equity_lost_usd_bn, -3.0, 1e-9);
  EXPECT_NEAR(borrower.caused.outside_creditor_loss_usd_bn, 3.0, 1e-9);
  EXPECT_NEAR(borrower.caused.total_usd_bn(), 4.0, 1e-9);
  EXPECT_EQ(borrower.caused.defaults_caused, 1u);
  EXPECT_EQ(borrower.caused.defaults_prevented, 0u);
  // The bank's failure hands its loan to an outside buyer (at 0.5 x 10 = 5) and leaves the
  // borrower as it was; its outside creditors get its cash 5 + 5 of 14: they lose 4. The same
  // total as the borrower's failure, which ranks first for the default it causes.
  const FirmImpact& bank = r.failure[1];
  EXPECT_EQ(bank.firm, 0u);
  EXPECT_NEAR(bank.caused.credit_loss_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(bank.caused.other_equity_lost_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(bank.caused.outside_creditor_loss_usd_bn, 4.0, 1e-9);
  EXPECT_EQ(bank.caused.defaults_caused, 0u);
  // The bystander owes nothing and is owed nothing: its cash 3 goes to its own shareholders.
  EXPECT_EQ(r.failure[2].firm, 2u);
  EXPECT_NEAR(r.failure[2].caused.total_usd_bn(), 0.0, 1e-9);
  // DebtRank (single-hit): the borrower's full distress reaches the bank with impact
  // min(1, 10 / 1) = 1; weights are initial equity: bank 1, borrower 1, bystander 3 -> 1 / 5.
  EXPECT_NEAR(borrower.debtrank, 0.2, 1e-12);
  // The same total, told apart by the default: three places.
  EXPECT_EQ(borrower.rank, 1u);
  EXPECT_EQ(bank.rank, 2u);
  EXPECT_EQ(r.failure[2].rank, 3u);
}

TEST(Rank, FirmsThatCauseTheSameShareARank) {
  // Three firms with no exposure between them: no failure reaches anyone else, so every total is
  // exactly 0 and no firm ranks above another. They share rank 1 and stay in scenario order.
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().channels = clearing_and_resolution();
  b.firm("lab", FirmType::ai_lab, {.cash = 2});
  b.firm("bank", FirmType::bank, {.cash = 5});
  b.firm("fund", FirmType::private_credit, {.cash = 1});
  const Model m = b.build();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours());
  ASSERT_EQ(r.failure.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(r.failure[k].firm, k);
    EXPECT_EQ(r.failure[k].caused.total_usd_bn(), 0.0);
    EXPECT_EQ(r.failure[k].rank, 1u);
  }
  const std::string csv = rank_csv(r, m);
  EXPECT_NE(csv.find("\nfailure,1,lab,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nfailure,1,bank,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nfailure,1,fund,"), std::string::npos) << csv;
}

TEST(Rank, AFailureThatPreventsADefaultCountsItApartAndRanksLast) {
  // A lender (cash 1, equity 6) holds the payer's 5 loan, due at tick 2; the payer has only
  // hardware (10, which it cannot sell before default), so it defaults at tick 2 and the lender
  // recovers 10 x 0.5 = 5 in full.
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().params.external_debt_rate_pct = 0.0;
  b.model().params.deposit_rate_pct = 0.0;
  b.model().channels = clearing_and_resolution();
  const FirmIdx lender = b.firm("lender", FirmType::bank, {.cash = 1, .other_assets = 5});
  const FirmIdx payer = b.firm("payer", FirmType::neocloud, {.hardware = 10, .debt = 5, .hardware_life_years = 1e12});
  b.params(payer).hardware_sale_haircut_fraction = 1.0;
  b.exposure(ExposureKind::loan, lender, payer, 5, {.term_years = 2.0 / 12});
  const Model m = b.build();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1, .threads = 2}, agents::standard_behaviours());
  // The lender's failure at tick 1 sells the loan to an outside buyer as debt without a
  // maturity: the payer never has to repay it and ends with equity 10 - 5 = 5 instead of 0.
  // No default caused, one prevented, and a gain of 5 for the others (total -5).
  const FirmImpact& l = impact_of(r.failure, lender);
  EXPECT_EQ(l.caused.defaults_caused, 0u);
  EXPECT_EQ(l.caused.defaults_prevented, 1u);
  EXPECT_NEAR(l.caused.credit_loss_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(l.caused.outside_creditor_loss_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(l.caused.other_equity_lost_usd_bn, -5.0, 1e-9);
  EXPECT_NEAR(l.caused.total_usd_bn(), -5.0, 1e-9);
  // The payer's failure at tick 1 gives the lender what it gets at tick 2 anyway: nothing.
  const FirmImpact& p = impact_of(r.failure, payer);
  EXPECT_NEAR(p.caused.total_usd_bn(), 0.0, 1e-9);
  EXPECT_EQ(p.caused.defaults_prevented, 0u);  // its own default is not counted
  EXPECT_EQ(r.failure.back().firm, lender);
}

TEST(Rank, ARejectedContractIsACreditLossAndLostRevenueButTheEquityFallsOnce) {
  // A customer with cash 3 buys 12 a year of service from a supplier (1 a tick, one year).
  ModelBuilder b;
  b.model().params.horizon_ticks = 3;
  b.model().channels = clearing_and_resolution();
  b.model().channels.revenue_contract = true;
  const FirmIdx supplier = b.firm("supplier", FirmType::chipmaker, {.cash = 10, .revenue = 12});
  const FirmIdx customer = b.firm("customer", FirmType::ai_lab, {.cash = 3, .opex = 12});
  b.exposure(ExposureKind::purchase_commitment, supplier, customer, 12,
             {.term_years = 1, .purpose = PurchasePurpose::service});
  const Model m = b.build();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours());
  // As given, the customer pays 1 at ticks 1-3 and the supplier ends with 10 + 3 = 13. When
  // the customer fails at tick 1 (after paying 1), the supplier's claim for the rejected
  // contract is min(11 remaining, 1 year x 12) = 11, of which the estate (cash 2) pays 2: a
  // credit loss of 9. At ticks 2 and 3 the contract's payments do not come: 2 of lost revenue.
  // The supplier still ends with 10 + 1 + 2 = 13: its equity does not fall, so other is
  // 0 - 9 - 2 = -11 and the total is 0 (the contract was never on its balance sheet).
  const LossCaused& c = impact_of(r.failure, customer).caused;
  EXPECT_NEAR(c.credit_loss_usd_bn, 9.0, 1e-9);
  EXPECT_NEAR(c.revenue_lost_usd_bn, 2.0, 1e-9);
  EXPECT_NEAR(c.other_equity_lost_usd_bn, -11.0, 1e-9);
  EXPECT_NEAR(c.outside_creditor_loss_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(c.total_usd_bn(), 0.0, 1e-9);
  EXPECT_EQ(c.defaults_caused, 0u);
}

TEST(Rank, AFundsInvestorsLossesAreLossesCaused) {
  // A pass-through fund lends the borrower 10 (the fund: cash 2, its investors' capital 12, its
  // own equity 0). The borrower's failure at tick 1: its estate, cash 1 + hardware 10 x 0.5 = 6,
  // goes to the fund, which loses 4, all of it its investors' (capital 12 -> 8; docs/model.md,
  // "Funds"). The ranking counted book equity, which for a fund stays 0, so the investors' 4 was
  // not a loss caused: total 0 (credit 4, other -4). Counted in capital: total 4, other 0.
  ModelBuilder b;
  b.model().params.horizon_ticks = 2;
  b.model().params.external_debt_rate_pct = 0.0;
  b.model().params.deposit_rate_pct = 0.0;
  b.model().channels = clearing_and_resolution();
  const FirmIdx fund = b.firm("fund", FirmType::private_credit, {.cash = 2, .other_assets = 10});
  b.params(fund).pass_through = 1.0;
  const FirmIdx borrower =
      b.firm("borrower", FirmType::neocloud, {.cash = 1, .hardware = 10, .debt = 10, .hardware_life_years = 1e12});
  b.exposure(ExposureKind::loan, fund, borrower, 10, {.term_years = 10});
  const RankResult r = rank_firms(b.build(), RunOptions{.seed = 1}, agents::standard_behaviours());
  const LossCaused& c = impact_of(r.failure, borrower).caused;
  EXPECT_NEAR(c.credit_loss_usd_bn, 4.0, 1e-9);
  EXPECT_NEAR(c.other_equity_lost_usd_bn, 0.0, 1e-9);
  EXPECT_NEAR(c.total_usd_bn(), 4.0, 1e-9);
}

TEST(Rank, AFirmWithoutEquityAddsNothingToTheOthersDebtRank) {
  // Equity a 10 + 1 - 2 - 3 = 6, b 10 + 4 - 2 - 2 = 10, c 20 + 3 + 2 - 1 - 1 = 23 (weights over
  // 39) and e 1 - 5 - 4 = -8. a's full distress reaches c through c's claim of 3 on a: impact
  // 3/23, worth 23 x 3/23 / 39 = 3/39; c's reaches a through a's claim of 1 on c: 6 x 1/6 / 39 =
  // 1/39 (Battiston et al. 2012, single hit). e, insolvent at tick 0, started fully distressed in
  // every firm's run and its hit on b (4/10 of b's equity, 4/39) was added to every score.
  // (A firm's `debt` includes its network loans: a's 5 is 2 outside and 3 owed to c.)
  ModelBuilder b;
  const FirmIdx a = b.firm("a", FirmType::neocloud, {.cash = 10, .debt = 5});
  const FirmIdx bank = b.firm("b", FirmType::bank, {.cash = 10, .debt = 4});
  const FirmIdx c = b.firm("c", FirmType::bank, {.cash = 20, .debt = 2});
  const FirmIdx e = b.firm("e", FirmType::neocloud, {.cash = 1, .debt = 9});
  b.exposure(ExposureKind::loan, bank, e, 4, {.term_years = 10});
  b.exposure(ExposureKind::loan, c, a, 3, {.term_years = 10});
  b.exposure(ExposureKind::loan, c, bank, 2, {.term_years = 10});
  b.exposure(ExposureKind::loan, a, c, 1, {.term_years = 10});
  const std::vector<double> dr = firm_debtranks(b.build());
  EXPECT_NEAR(dr[a], 3.0 / 39.0, 1e-15);
  EXPECT_NEAR(dr[c], 1.0 / 39.0, 1e-15);
  // b's distress reaches c (its claim of 2 on b): h_c = 2/23; c passes it to a (a's claim of 1
  // on c): h_a = 1/6 x 2/23; a passes it back to c, whose h grows though c has passed its own on
  // (h_i(t) = min(1, h_i(t-1) + ...) for every i): h_c = 2/23 + 3/23 x h_a.
  const double h_a = 1.0 / 6.0 * 2.0 / 23.0, h_c = 2.0 / 23.0 + 3.0 / 23.0 * h_a;
  EXPECT_NEAR(dr[bank], (23.0 * h_c + 6.0 * h_a) / 39.0, 1e-15);
  // e's reaches b (impact 4/10): 10 x 0.4 / 39, then c (2/23 x 0.4) and a.
  EXPECT_GT(dr[e], 0.0);
}

TEST(Rank, RankingDoesNotDependOnTheThreadCount) {
  const Model m = thin_bank();
  const RankResult one = rank_firms(m, RunOptions{.seed = 1, .threads = 1}, agents::standard_behaviours(),
                                    RankOptions{.revenue_shock_fraction = 0.5});
  const RankResult four = rank_firms(m, RunOptions{.seed = 1, .threads = 4}, agents::standard_behaviours(),
                                     RankOptions{.revenue_shock_fraction = 0.5});
  EXPECT_EQ(rank_csv(one, m), rank_csv(four, m));
  EXPECT_EQ(one.revenue_shock.size(), 3u);
}

TEST(Rank, IdsAreQuotedInTheCsvAsRfc4180Says) {
  // Ids of plain-network firms may hold any text: "Bank, Inc." gave a row of 13 fields against a
  // header of 12 (tools/README.md: text fields quoted per RFC 4180).
  Model m = thin_bank();
  const RankResult r = rank_firms(m, RunOptions{.seed = 1}, agents::standard_behaviours(), RankOptions{});
  m.firms[r.failure[0].firm].id = "Bank, \"Inc.\"";
  const std::string csv = rank_csv(r, m);
  EXPECT_NE(csv.find("\nfailure,1,\"Bank, \"\"Inc.\"\"\","), std::string::npos) << csv;
}

}  // namespace
}  // namespace cascade
