// Circularity on hand-computed examples (each worked out in its comment, and in
// docs/circular-financing.md), and properties on random graphs: the Gauss-Seidel shares equal a
// direct dense solve of (I - A) x = b, shares stay in [0, 1], and a firm whose money never
// comes back has none.
#include "engine/analysis/circularity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

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


/// A graph built by hand: firms with external revenue, arcs with per-year money.
struct Hand {
  MoneyFlowGraph g;
  FirmIdx firm(const std::string& id, double external_revenue, double outside_funding = 0.0) {
    MoneyFlowFirm f;
    f.id = id;
    f.external_revenue_usd_bn = external_revenue;
    f.outside_funding_usd_bn = outside_funding;
    g.firms.push_back(f);
    return static_cast<FirmIdx>(g.firms.size() - 1);
  }
  /// Money from payer to payee: a payment for goods (purchase commitment) or financing (stake).
  void pay(FirmIdx payer, FirmIdx payee, double amount) { arc(payer, payee, amount, ExposureKind::purchase_commitment); }
  void fund(FirmIdx payer, FirmIdx payee, double amount) { arc(payer, payee, amount, ExposureKind::equity_stake); }
  void arc(FirmIdx payer, FirmIdx payee, double amount, ExposureKind kind) {
    MoneyArc a;
    a.payer = payer;
    a.payee = payee;
    a.usd_bn = amount;
    a.kind = kind;
    a.exposure_id = "A" + std::to_string(g.arcs.size());
    g.arcs.push_back(a);
  }
};

TEST(Circularity, DirectLoop) {
  // s (external revenue 80) funds c with 10/yr; c (external revenue 30) pays s 20/yr.
  // x_c = 10 / (30 + 10) = 0.25; circular = 20 * 0.25 = 5; revenue(s) = 80 + 20 = 100 -> 5%.
  Hand h;
  const FirmIdx s = h.firm("s", 80), c = h.firm("c", 30);
  h.fund(s, c, 10);
  h.pay(c, s, 20);
  const CircularityResult r = compute_circularity(h.g);
  EXPECT_TRUE(r.converged);
  EXPECT_DOUBLE_EQ(r.firms[s].revenue_usd_bn, 100.0);
  EXPECT_NEAR(r.firms[s].circular_revenue_usd_bn, 5.0, 1e-12);
  EXPECT_NEAR(r.firms[s].share, 0.05, 1e-12);
  EXPECT_NEAR(r.firms[s].financing_share, 0.05, 1e-12);
  // c is paid nothing for goods: no circularity.
  EXPECT_DOUBLE_EQ(r.firms[c].revenue_usd_bn, 30.0);
  EXPECT_EQ(r.firms[c].share, 0.0);
  EXPECT_THAT(origin_shares(h.g, s, false), ::testing::ElementsAre(1.0, 0.25));
}

TEST(Circularity, OutsideFundingDilutes) {
  // As DirectLoop, but c also borrows 10/yr outside the network: x_c = 10 / 50 = 0.2 -> 4%.
  Hand h;
  const FirmIdx s = h.firm("s", 80), c = h.firm("c", 30, 10);
  h.fund(s, c, 10);
  h.pay(c, s, 20);
  EXPECT_NEAR(compute_circularity(h.g).firms[s].share, 0.04, 1e-12);
}

TEST(Circularity, ThroughAChainAndPurchasesVersusFinancingOnly) {
  // s buys services from b (12/yr); b (external 28) funds c (10/yr); c (external 10) pays s 20/yr.
  // x_b = 12 / 40 = 0.3; x_c = 10 * 0.3 / 20 = 0.15; circular = 20 * 0.15 = 3; revenue(s) =
  // 100 + 20 -> share 2.5%. s financed nobody: financing share 0.
  Hand h;
  const FirmIdx s = h.firm("s", 100), b = h.firm("b", 28), c = h.firm("c", 10);
  h.pay(s, b, 12);
  h.fund(b, c, 10);
  h.pay(c, s, 20);
  const FirmCircularity f = compute_circularity(h.g).firms[s];
  EXPECT_NEAR(f.circular_revenue_usd_bn, 3.0, 1e-12);
  EXPECT_NEAR(f.share, 3.0 / 120.0, 1e-12);
  EXPECT_EQ(f.financing_share, 0.0);
  const std::vector<double> x = origin_shares(h.g, s, false);
  EXPECT_NEAR(x[b], 0.3, 1e-12);
  EXPECT_NEAR(x[c], 0.15, 1e-12);
}

TEST(Circularity, FeedbackAmongOtherFirms) {
  // s funds a (10/yr). a pays b 20/yr, b pays a 10/yr, b pays s 30/yr. External: a 10, b 20, s 90.
  // x_a = (10 + 10 x_b) / 30, x_b = 20 x_a / 40  ->  x_a = 0.4, x_b = 0.2.
  // circular = 30 * 0.2 = 6; revenue(s) = 90 + 30 = 120 -> 5%.
  Hand h;
  const FirmIdx s = h.firm("s", 90), a = h.firm("a", 10), b = h.firm("b", 20);
  h.fund(s, a, 10);
  h.pay(a, b, 20);
  h.pay(b, a, 10);
  h.pay(b, s, 30);
  const CircularityResult r = compute_circularity(h.g);
  EXPECT_NEAR(r.firms[s].share, 0.05, 1e-12);
  const std::vector<double> x = origin_shares(h.g, s, false);
  EXPECT_NEAR(x[a], 0.4, 1e-12);
  EXPECT_NEAR(x[b], 0.2, 1e-12);
}

TEST(Circularity, MoneyBackAtTheSourceIsNotSentRoundAgain) {
  // s funds c 10/yr, c pays s 20/yr, s also pays c 5/yr for services. s is only a source:
  // x_c = (10 + 5) / (0 + 15) = 1, so all of c's payment is circular: 20 / (0 + 20) = 1.
  // Financing only: x_c = 10 / 15, share 2/3.
  Hand h;
  const FirmIdx s = h.firm("s", 0), c = h.firm("c", 0);
  h.fund(s, c, 10);
  h.pay(s, c, 5);
  h.pay(c, s, 20);
  const FirmCircularity f = compute_circularity(h.g).firms[s];
  EXPECT_NEAR(f.share, 1.0, 1e-12);
  EXPECT_NEAR(f.financing_share, 2.0 / 3.0, 1e-12);
  // Symmetrically s has no money but c's: the 5/yr s pays c is all c's own money (share 1),
  // though c financed nobody (financing share 0).
  EXPECT_NEAR(compute_circularity(h.g).firms[c].share, 1.0, 1e-12);
  EXPECT_EQ(compute_circularity(h.g).firms[c].financing_share, 0.0);
}

TEST(Circularity, NoWayBackNoCircularity) {
  Hand h;
  const FirmIdx s = h.firm("s", 50), c = h.firm("c", 10), d = h.firm("d", 5);
  h.fund(s, c, 10);
  h.pay(d, s, 7);  // d's money does not come from s
  const FirmCircularity f = compute_circularity(h.g).firms[s];
  EXPECT_DOUBLE_EQ(f.revenue_usd_bn, 57.0);
  EXPECT_EQ(f.share, 0.0);
}

TEST(Circularity, ClosedLoopWithoutOutsideMoneyConverges) {
  // a and b pass money round with nothing from outside; s funds a with 1/yr; b pays s 1/yr.
  // All of a's and b's money is ultimately s's (x = 1): share 1 (revenue 1, all circular).
  Hand h;
  const FirmIdx s = h.firm("s", 0), a = h.firm("a", 0), b = h.firm("b", 0);
  h.fund(s, a, 1);
  h.pay(a, b, 100);
  h.pay(b, a, 100);
  h.pay(b, s, 1);
  const CircularityResult r = compute_circularity(h.g);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.firms[s].share, 1.0, 1e-9);
}

TEST(Circularity, SweepLimitReportsNotConverged) {
  Hand h;
  const FirmIdx s = h.firm("s", 0), a = h.firm("a", 0), b = h.firm("b", 0);
  h.fund(s, a, 1);
  h.pay(a, b, 1000);
  h.pay(b, a, 1000);
  h.pay(b, s, 1);
  const CircularityResult r = compute_circularity(h.g, {.tolerance = 1e-15, .max_sweeps = 3});
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.max_sweeps_used, 3u);
  EXPECT_LT(r.firms[s].share, 1.0) << "a lower bound";
}

/// Solves (I - A) x = b densely (Gaussian elimination with partial pivoting) for one source.
std::vector<double> dense_origin_shares(const MoneyFlowGraph& g, FirmIdx s, bool financing_only) {
  const std::size_t n = g.firms.size();
  std::vector<double> inflow(n, 0.0);
  for (FirmIdx f = 0; f < n; ++f) inflow[f] = g.firms[f].external_revenue_usd_bn + g.firms[f].outside_funding_usd_bn;
  for (const MoneyArc& a : g.arcs) inflow[a.payee] += a.usd_bn;
  std::vector<std::vector<double>> m(n, std::vector<double>(n + 1, 0.0));
  for (FirmIdx c = 0; c < n; ++c) m[c][c] = 1.0;
  for (const MoneyArc& a : g.arcs) {
    if (a.payee == s || inflow[a.payee] <= 0.0) continue;
    if (a.payer == s) {
      if (!financing_only || !a.commercial()) m[a.payee][n] += a.usd_bn / inflow[a.payee];
    } else {
      m[a.payee][a.payer] -= a.usd_bn / inflow[a.payee];
    }
  }
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(m[r][col]) > std::abs(m[pivot][col])) pivot = r;
    std::swap(m[col], m[pivot]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col || m[r][col] == 0.0) continue;
      const double factor = m[r][col] / m[col][col];
      for (std::size_t k = col; k <= n; ++k) m[r][k] -= factor * m[col][k];
    }
  }
  std::vector<double> x(n);
  for (std::size_t c = 0; c < n; ++c) x[c] = m[c][n] / m[c][c];
  x[s] = 1.0;
  return x;
}

TEST(Circularity, GaussSeidelEqualsADirectSolveOnRandomGraphs) {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> amount(0.1, 50.0);
    std::bernoulli_distribution has_arc(0.3), commercial(0.6);
    Hand h;
    const std::size_t n = 3 + seed % 8;
    for (std::size_t f = 0; f < n; ++f) h.firm("f" + std::to_string(f), amount(rng), seed % 2 ? amount(rng) : 0.0);
    for (FirmIdx a = 0; a < n; ++a)
      for (FirmIdx b = 0; b < n; ++b)
        if (a != b && has_arc(rng)) commercial(rng) ? h.pay(a, b, amount(rng)) : h.fund(a, b, amount(rng));
    const CircularityResult r = compute_circularity(h.g);
    EXPECT_TRUE(r.converged);
    for (FirmIdx s = 0; s < n; ++s) {
      for (const bool financing_only : {false, true}) {
        const std::vector<double> iterative = origin_shares(h.g, s, financing_only);
        const std::vector<double> direct = dense_origin_shares(h.g, s, financing_only);
        for (FirmIdx c = 0; c < n; ++c) {
          EXPECT_NEAR(iterative[c], direct[c], 1e-10) << "seed " << seed << " source " << s << " firm " << c;
          EXPECT_GE(iterative[c], 0.0);
          EXPECT_LE(iterative[c], 1.0);
        }
      }
      EXPECT_GE(r.firms[s].share, 0.0);
      EXPECT_LE(r.firms[s].share, 1.0);
      EXPECT_LE(r.firms[s].financing_share, r.firms[s].share + 1e-12) << "financing is part of all outflows";
    }
  }
}

TEST(Circularity, EachSourceSolvedOnItsLoopEqualsTheDirectSolveOnTheWholeGraph) {
  // Clusters with loops inside, joined by one-way arcs (cluster k pays or funds cluster k + 1),
  // so most firms reach firms off their own loop: the circular revenue of every firm must be the
  // dense solve's over the whole graph.
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> amount(0.1, 50.0);
    std::bernoulli_distribution has_arc(0.4), commercial(0.6);
    Hand h;
    const std::size_t clusters = 2 + seed % 3, size = 3 + seed % 4, n = clusters * size;
    for (std::size_t f = 0; f < n; ++f) h.firm("f" + std::to_string(f), amount(rng), seed % 2 ? amount(rng) : 0.0);
    for (FirmIdx a = 0; a < n; ++a)
      for (FirmIdx b = 0; b < n; ++b) {
        const std::size_t ca = a / size, cb = b / size;
        if (a != b && (ca == cb || cb == ca + 1) && has_arc(rng))
          commercial(rng) ? h.pay(a, b, amount(rng)) : h.fund(a, b, amount(rng));
      }
    const CircularityResult r = compute_circularity(h.g);
    ASSERT_TRUE(r.converged && r.computed);
    for (FirmIdx s = 0; s < n; ++s)
      for (const bool financing_only : {false, true}) {
        const std::vector<double> x = dense_origin_shares(h.g, s, financing_only);
        double circular = 0.0;
        for (const MoneyArc& a : h.g.arcs)
          if (a.payee == s && a.payer != s && a.commercial()) circular += a.usd_bn * x[a.payer];
        const FirmCircularity& c = r.firms[s];
        EXPECT_NEAR(financing_only ? c.financing_circular_revenue_usd_bn : c.circular_revenue_usd_bn, circular,
                    1e-10 * std::max(1.0, circular))
            << "seed " << seed << " source " << s;
      }
  }
}

TEST(Circularity, AboveTheWorkBoundNothingIsSolved) {
  // DirectLoop's two firms: s sells to c (one inflow arc), c is funded by s (one inflow arc). One
  // sweep for source s costs (1 + 1) + (1 + 1) = 4; c sells nothing on the graph, so it is no source.
  Hand h;
  const FirmIdx s = h.firm("s", 80), c = h.firm("c", 30);
  h.fund(s, c, 10);
  h.pay(c, s, 20);
  const CircularityResult within = compute_circularity(h.g, {.max_sweep_work = 4});
  EXPECT_TRUE(within.computed);
  EXPECT_EQ(within.sweep_work, 4u);
  EXPECT_NEAR(within.firms[s].share, 0.05, 1e-12);
  const CircularityResult above = compute_circularity(h.g, {.max_sweep_work = 3});
  EXPECT_FALSE(above.computed);
  EXPECT_EQ(above.firms[s].share, 0.0);
  EXPECT_DOUBLE_EQ(above.firms[s].revenue_usd_bn, 100.0) << "revenue is still reported";
  EXPECT_NE(circularity_not_computed(above).find("cascade loops"), std::string::npos);
}

TEST(FirmCircularity, FromAModel) {
  // DirectLoop as a scenario: the chipmaker's stake of 50 (spread over 5 years: 10/yr) in the lab,
  // the lab's chip purchases 20/yr; reported revenue chip 100 (80 external), lab 30.
  testing::ModelBuilder b;
  const FirmIdx chip = b.firm("chip", FirmType::chipmaker, {.cash = 10, .revenue = 100});
  const FirmIdx lab = b.firm("lab", FirmType::ai_lab, {.cash = 10, .revenue = 30});
  b.exposure(ExposureKind::equity_stake, chip, lab, 50);
  b.exposure(ExposureKind::purchase_commitment, chip, lab, 20, terms(1));
  const CircularityResult r = firm_circularity(b.build());
  ASSERT_TRUE(r.computed);
  const std::vector<FirmCircularity>& c = r.firms;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[chip].share, 0.05, 1e-12);
  EXPECT_EQ(c[lab].share, 0.0);
}

}  // namespace
}  // namespace cascade::analysis
