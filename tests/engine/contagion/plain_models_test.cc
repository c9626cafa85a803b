// The plain-network models end to end from CSV directories (tests/engine/contagion/data/):
// the network's numeric form, each model's fields, and total_loss's identities.
#include "engine/contagion/plain_models.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "engine/contagion/interbank_network.h"
#include "engine/core/diagnostics.h"
#include "engine/network/plain_network.h"
#include "tests/engine/contagion/random_network.h"

namespace cascade::contagion {
namespace {

constexpr double kExact = 1e-12;
const std::filesystem::path kData = std::filesystem::path(CASCADE_SOURCE_DIR) / "tests/engine/contagion/data";

InterbankNetwork load(const std::string& name) {
  Diagnostics diags;
  const PlainNetwork plain = read_plain_network(kData / name, diags);
  EXPECT_FALSE(diags.has_errors()) << (diags.items().empty() ? "" : diags.items().front().format());
  InterbankNetwork net = make_interbank_network(plain, diags);
  EXPECT_FALSE(diags.has_errors());
  return net;
}

PlainModelResult run(const InterbankNetwork& net, PlainModel model) {
  PlainModelOptions options;
  options.model = model;
  return run_plain_model(net, options);
}

/// Both sorted forms and the per-node sums, array by array.
void expect_same_form(const InterbankNetwork& a, const InterbankNetwork& b) {
  EXPECT_EQ(a.owed_offsets, b.owed_offsets);
  EXPECT_EQ(a.owed_creditor, b.owed_creditor);
  EXPECT_EQ(a.owed_amount, b.owed_amount);
  EXPECT_EQ(a.held_offsets, b.held_offsets);
  EXPECT_EQ(a.held_debtor, b.held_debtor);
  EXPECT_EQ(a.held_amount, b.held_amount);
  EXPECT_EQ(a.interbank_assets, b.interbank_assets);
  EXPECT_EQ(a.interbank_liabilities, b.interbank_liabilities);
}

/// The reader's form of `n` nodes without external amounts (ids "x") and `liabilities` as edge
/// rows, one per line from line 2.
IndexedPlainNetwork reader_form(std::uint32_t n, const std::vector<Liability>& liabilities) {
  IndexedPlainNetwork plain;
  plain.ids.assign(n, "x");
  plain.external_assets.assign(n, 0.0);
  plain.external_liabilities.assign(n, 0.0);
  plain.equity.resize(n);
  plain.node_lines.assign(n, 2);
  plain.edges = liabilities;
  for (std::size_t k = 0; k < liabilities.size(); ++k) plain.edge_lines.push_back(static_cast<int>(k) + 2);
  return plain;
}

TEST(InterbankNetwork, RowsForTheSamePairAreOneLiability) {
  // ring/edges.csv lists B -> C twice (5 and 3): one liability of 8, in first-appearance order.
  const InterbankNetwork net = load("ring");
  EXPECT_EQ(net.size(), 3u);
  EXPECT_EQ(net.edge_rows, 4u);
  EXPECT_EQ(net.pair_count(), 3u);
  EXPECT_EQ(net.owed_offsets, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(net.owed_creditor, (std::vector<NodeIdx>{1, 2, 0}));
  EXPECT_EQ(net.owed_amount, (std::vector<double>{8, 8, 8}));
  EXPECT_EQ(net.held_debtor, (std::vector<NodeIdx>{2, 0, 1}));  // A is owed by C, B by A, C by B
  EXPECT_EQ(net.interbank_assets, (std::vector<double>{8, 8, 8}));
  EXPECT_EQ(net.shock_fraction, (std::vector<double>{0.5, 0, 0}));
  // Equity before the shock matches the file's equity column: 0, 1, 10.
  EXPECT_EQ(net.equity_before(0), 0.0);
  EXPECT_EQ(net.equity_before(1), 1.0);
  EXPECT_EQ(net.equity_before(2), 10.0);
  EXPECT_EQ(net.shocked_external_assets(0), 2.0);
}

TEST(InterbankNetwork, MergingKeepsFirstAppearanceAcrossInterleavedRows) {
  const std::vector<Liability> rows{{0, 2, 1}, {0, 1, 2}, {0, 2, 4}, {1, 0, 8}, {0, 1, 16}};
  const InterbankNetwork net = make_interbank_network({"a", "b", "c"}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}, rows);
  EXPECT_EQ(net.owed_creditor, (std::vector<NodeIdx>{2, 1, 0}));
  EXPECT_EQ(net.owed_amount, (std::vector<double>{5, 18, 8}));
  EXPECT_EQ(net.interbank_liabilities, (std::vector<double>{23, 8, 0}));
  EXPECT_EQ(net.interbank_assets, (std::vector<double>{8, 18, 5}));
}

TEST(InterbankNetwork, TheCreditorOrderedFormDoesNotDependOnTheThreads) {
  // Rows in random order with repeated pairs, a hub that owes a third of all rows (so the
  // threads' ranges of debtors are uneven), and nodes that owe nothing.
  std::mt19937_64 rng(11);
  const std::uint32_t n = 3000;
  IndexedPlainNetwork plain;
  for (std::uint32_t i = 0; i < n; ++i) {
    plain.ids.push_back("n" + std::to_string(i));
    plain.external_assets.push_back(10.0 + static_cast<double>(i % 7));
    plain.external_liabilities.push_back(5.0);
    plain.equity.emplace_back();
    plain.node_lines.push_back(static_cast<int>(i) + 2);
  }
  std::uniform_int_distribution<std::uint32_t> node(0, n - 1), first_tenth(0, n / 10);
  std::uniform_real_distribution<double> amount(0.1, 5.0);
  for (int k = 0; k < 40'000; ++k) {
    const std::uint32_t debtor = k % 3 == 0 ? 17 : first_tenth(rng) * 9 % n;
    const std::uint32_t creditor = k % 5 == 0 ? first_tenth(rng) : node(rng);
    if (debtor == creditor) continue;
    plain.edges.push_back({debtor, creditor, amount(rng)});
    plain.edge_lines.push_back(static_cast<int>(plain.edges.size()) + 1);
  }
  Diagnostics diags;
  const InterbankNetwork one = make_interbank_network(IndexedPlainNetwork(plain), diags, 1);
  ASSERT_LT(one.pair_count(), one.edge_rows);  // some pairs were merged
  for (int threads : {2, 3, 4, 8}) {
    const InterbankNetwork many = make_interbank_network(IndexedPlainNetwork(plain), diags, threads);
    SCOPED_TRACE("threads " + std::to_string(threads));
    expect_same_form(many, one);
  }
  EXPECT_FALSE(diags.has_errors());
  // The form itself: each creditor's row in ascending debtor order, and the same pairs as owed.
  for (NodeIdx c = 0; c < n; ++c)
    EXPECT_TRUE(std::is_sorted(one.held_debtor.begin() + static_cast<std::ptrdiff_t>(one.held_offsets[c]),
                               one.held_debtor.begin() + static_cast<std::ptrdiff_t>(one.held_offsets[c + 1])))
        << "creditor " << c;
}

TEST(InterbankNetwork, RowsInDebtorOrderGiveTheSameFormAsAnyOther) {
  // Rows already in debtor order are taken in one pass; in any other order they are sorted by
  // debtor (stably). The same rows, in debtor order and with the debtors shuffled (each debtor's
  // rows in the same relative order, repeated pairs among them), give the same arrays.
  std::mt19937_64 rng(5);
  const std::uint32_t n = 400;
  std::vector<std::vector<Liability>> rows_of(n);
  std::uniform_int_distribution<std::uint32_t> node(0, n - 1), few(0, 9);
  for (std::uint32_t debtor = 0; debtor < n; ++debtor)
    for (std::uint32_t r = few(rng); r-- > 0;) {
      const std::uint32_t creditor = r % 3 == 0 ? (debtor + 1) % n : node(rng);  // repeats (debtor, debtor + 1)
      if (creditor != debtor) rows_of[debtor].push_back({debtor, creditor, 0.5 + static_cast<double>(r)});
    }
  std::vector<Liability> sorted, shuffled;
  for (const auto& rows : rows_of) sorted.insert(sorted.end(), rows.begin(), rows.end());
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), rng);
  for (const std::uint32_t debtor : order)
    shuffled.insert(shuffled.end(), rows_of[debtor].begin(), rows_of[debtor].end());
  ASSERT_FALSE(std::is_sorted(shuffled.begin(), shuffled.end(),
                              [](const Liability& a, const Liability& b) { return a.debtor < b.debtor; }));
  const std::vector<std::string> ids(n, "x");
  const std::vector<double> zeros(n, 0.0);
  const InterbankNetwork a = make_interbank_network(ids, zeros, zeros, zeros, sorted);
  const InterbankNetwork b = make_interbank_network(ids, zeros, zeros, zeros, shuffled);
  ASSERT_LT(a.pair_count(), a.edge_rows);  // some pairs were merged
  expect_same_form(a, b);
}

TEST(InterbankNetwork, RowsInStrictlyAscendingOrderAreTheDebtorOrderedFormAsTheyAre) {
  // Rows in strictly ascending (debtor, creditor) order, as the generator writes them, are the
  // debtor-ordered form as they are; the same rows with one split in two halves (a repeated
  // pair: merged) must give the same arrays. The halves are exact (amounts k + 0.5 halve and
  // add back without rounding). More rows than one part of the check (65,536), with the split
  // row right at a part's edge, so the order is also checked across parts.
  std::mt19937_64 rng(23);
  const std::uint32_t n = 20'000;
  std::uniform_int_distribution<std::uint32_t> node(0, n - 1), few(0, 8), whole(0, 20);
  std::vector<Liability> ascending;
  for (std::uint32_t debtor = 0; debtor < n; ++debtor) {
    std::vector<std::uint32_t> creditors;
    for (std::uint32_t r = few(rng); r-- > 0;)
      if (const std::uint32_t c = node(rng); c != debtor) creditors.push_back(c);
    std::sort(creditors.begin(), creditors.end());
    creditors.erase(std::unique(creditors.begin(), creditors.end()), creditors.end());
    for (std::uint32_t c : creditors) ascending.push_back({debtor, c, 0.5 + static_cast<double>(whole(rng))});
  }
  constexpr std::size_t kPartRows = std::size_t{1} << 16;
  ASSERT_GT(ascending.size(), kPartRows + 1);
  std::vector<Liability> repeated = ascending;
  Liability& split = repeated[kPartRows - 1];
  split.amount /= 2;
  repeated.insert(repeated.begin() + static_cast<std::ptrdiff_t>(kPartRows), split);  // rows kPartRows - 1, kPartRows
  const std::vector<std::string> ids(n, "x");
  const std::vector<double> zeros(n, 0.0);
  const InterbankNetwork taken = make_interbank_network(ids, zeros, zeros, zeros, ascending);
  const InterbankNetwork merged = make_interbank_network(ids, zeros, zeros, zeros, repeated);
  EXPECT_EQ(taken.pair_count(), ascending.size());
  EXPECT_EQ(merged.pair_count(), ascending.size());
  EXPECT_EQ(merged.edge_rows, ascending.size() + 1);
  expect_same_form(taken, merged);
  // From the reader's form, on 1 and 2 threads: the same arrays again.
  for (int threads : {1, 2}) {
    Diagnostics diags;
    SCOPED_TRACE("threads " + std::to_string(threads));
    expect_same_form(make_interbank_network(reader_form(n, ascending), diags, threads), merged);
    EXPECT_FALSE(diags.has_errors());
  }
}

TEST(InterbankNetwork, BadLiabilitiesAreNamedByTheFirst) {
  // Checked in parts on several threads; the error still names the first bad row, wherever it is.
  const std::uint32_t n = 1000;
  std::vector<Liability> rows;
  for (std::uint32_t k = 0; k < 200'000; ++k) rows.push_back({k % n, (k + 1) % n, 1.0});
  const auto message = [&](const std::vector<Liability>& liabilities) -> std::string {
    Diagnostics diags;
    try {
      make_interbank_network(reader_form(n, liabilities), diags, 2);
    } catch (const InternalError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message(rows), "no error");
  const auto with = [&](std::size_t k, Liability bad) {
    std::vector<Liability> broken = rows;
    broken[k] = bad;
    return broken;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(message(with(150'000, {1, n, 1.0})), ::testing::HasSubstr("liability 150000 names a node out of range"));
  EXPECT_THAT(message(with(70'001, {5, 5, 1.0})), ::testing::HasSubstr("liability 70001: a node owes itself"));
  for (double amount : {0.0, -1.0, nan, inf})
    EXPECT_THAT(message(with(199'999, {1, 2, amount})),
                ::testing::HasSubstr("liability 199999: amount must be finite"));
  std::vector<Liability> two_bad = with(190'000, {1, 2, nan});
  two_bad[100'000] = {n, 1, 1.0};
  EXPECT_THAT(message(two_bad), ::testing::HasSubstr("liability 100000 names"));
}

TEST(InterbankNetwork, RejectsBadEngineInput) {
  const std::vector<Liability> self{{0, 0, 1}};
  EXPECT_THROW(make_interbank_network({"a"}, {0}, {0}, {0}, self), InternalError);
  EXPECT_THROW(make_interbank_network({"a"}, {-1}, {0}, {0}, {}), InternalError);
  EXPECT_THROW(make_interbank_network({"a"}, {1}, {0}, {2}, {}), InternalError);
  EXPECT_THROW(make_interbank_network({"a", "b"}, {1}, {0}, {0}, {}), InternalError);
}

TEST(InterbankNetwork, OverflowingBalanceSheetIsAUserError) {
  PlainNetwork plain;
  plain.nodes.push_back({.id = "a", .external_assets = 1e308, .external_liabilities = 0, .equity = {}, .where = {}});
  plain.nodes.push_back({.id = "b", .external_assets = 0, .external_liabilities = 0, .equity = {}, .where = {}});
  plain.edges.push_back({.debtor = "b", .creditor = "a", .amount = 1e308, .where = {}});
  Diagnostics diags;
  make_interbank_network(plain, diags);
  EXPECT_TRUE(diags.has_errors());
}

TEST(PlainModels, RingUnderEachModel) {
  // The ring of clearing_models_test.cc (RingPariPassu), read from CSV.
  const InterbankNetwork net = load("ring");
  const PlainModelResult en = run(net, PlainModel::eisenberg_noe);
  EXPECT_EQ(en.method, ClearingMethod::fictitious_default);
  EXPECT_NEAR(en.recovery_rate[0], 5.0 / 6.0, kExact);
  EXPECT_NEAR(en.recovery_rate[1], 29.0 / 30.0, kExact);
  EXPECT_EQ(en.defaults, 2u);
  EXPECT_TRUE(en.debtrank.empty());
  EXPECT_TRUE(en.default_round.empty());
  EXPECT_FALSE(en.system_debtrank.has_value());
  // total_loss = shock 2 + shortfall (8 - 20/3) + (8 - 116/15) = 3.6, and the equity sum
  // falls from 0 + 1 + 10 = 11 to -2 - 1/3 + 146/15 = 7.4.
  EXPECT_NEAR(en.total_loss, 3.6, kExact);

  const PlainModelResult furfine = run(net, PlainModel::furfine);  // recovery 0
  // Round 0: A (equity -2). Round 1: B loses 8 on A: 1 - 8 = -7. Round 2: C loses 8 on B:
  // 10 - 8 = 2 > 0. total_loss = shock 2 + shortfall 8 + 8 = 18.
  EXPECT_EQ(furfine.default_round, (std::vector<int>{0, 1, -1}));
  EXPECT_EQ(furfine.iterations, 2);
  EXPECT_NEAR(furfine.total_loss, 18.0, kExact);
  EXPECT_TRUE(furfine.debtrank.empty());
}

TEST(PlainModels, DebtRankFromCsv) {
  // debtrank-chain is DebtRankLinear.ChainByHand as a balance sheet: A ea 16 owes B 4, C 2
  // (E0 = 10); B ea 7 owes C 3 (E0 = 7 + 4 - 3 = 8); C ea 4 owes D 3 (E0 = 4 + 5 - 3 = 6);
  // D ea 1 (E0 = 1 + 3 = 4); A loses 0.3125 * 16 = 5, h_A(1) = 5/10.
  const InterbankNetwork net = load("debtrank-chain");
  const PlainModelResult linear = run(net, PlainModel::debtrank);
  const std::vector<double> h{0.5, 0.25, 7.0 / 24.0, 7.0 / 32.0};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(linear.debtrank[i], h[i], kExact);
  EXPECT_TRUE(linear.payment.empty());
  EXPECT_TRUE(linear.recovery_rate.empty());
  EXPECT_EQ(linear.defaults, 0u);
  // Equity lost: 10/2 + 8/4 + 6 * 7/24 + 4 * 7/32 = 5 + 2 + 1.75 + 0.875 = 9.625 of 28.
  EXPECT_NEAR(linear.total_loss, 9.625, kExact);
  EXPECT_NEAR(*linear.system_distress, 9.625 / 28.0, kExact);
  EXPECT_NEAR(*linear.system_debtrank, (9.625 - 5.0) / 28.0, kExact);  // the shock itself excluded
  EXPECT_NEAR(linear.equity_after[3], 4.0 * (1.0 - 7.0 / 32.0), kExact);

  const PlainModelResult single = run(net, PlainModel::debtrank_single_hit);
  EXPECT_NEAR(single.debtrank[3], 0.125, kExact);
  // Asset weights: total assets before the shock 16, 11, 9, 4 (ea + interbank assets).
  PlainModelOptions assets;
  assets.model = PlainModel::debtrank_single_hit;
  assets.weights = DebtRankWeights::assets;
  const PlainModelResult weighted = run_plain_model(net, assets);
  const double expected = (16 * 0.5 + 11 * 0.25 + 9 * 7.0 / 24.0 + 4 * 0.125) / 40.0;
  EXPECT_NEAR(*weighted.system_distress, expected, kExact);
}

TEST(PlainModels, TotalLossIdentities) {
  // Clearing and Furfine: total_loss = shock losses + sum_i (Lbar_i - payment_i).
  // DebtRank: total_loss = sum over E0 > 0 of h_i E0_i.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const InterbankNetwork net = testing::random_network({.nodes = 60, .mean_out_degree = 3, .seed = seed});
    double shock = 0.0;
    for (NodeIdx i = 0; i < net.size(); ++i) shock += net.shock_loss(i);
    for (PlainModel model : {PlainModel::eisenberg_noe, PlainModel::rogers_veraart, PlainModel::furfine,
                             PlainModel::debtrank, PlainModel::debtrank_single_hit}) {
      PlainModelOptions options;
      options.model = model;
      options.clearing.alpha = 0.6;
      options.clearing.beta = 0.7;
      options.furfine.recovery = 0.3;
      const PlainModelResult r = run_plain_model(net, options);
      double expected = 0.0;
      if (r.debtrank.empty()) {
        expected = shock;
        for (NodeIdx i = 0; i < net.size(); ++i) expected += net.interbank_liabilities[i] - r.payment[i];
      } else {
        for (NodeIdx i = 0; i < net.size(); ++i)
          if (r.equity_before[i] > 0.0) expected += r.debtrank[i] * r.equity_before[i];
      }
      EXPECT_NEAR(r.total_loss, expected, 1e-9 * (1 + expected)) << to_string(model) << " seed " << seed;
      EXPECT_EQ(r.defaults, static_cast<std::size_t>(std::accumulate(r.defaulted.begin(), r.defaulted.end(), 0)));
    }
  }
}

TEST(PlainModels, AnswersDoNotDependOnTheThreads) {
  // Networks of several thousand nodes, so that the passes are split into many tasks; a large
  // shock, so that linear DebtRank takes its pull steps. Equal means equal, bit for bit.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const InterbankNetwork net = testing::random_network(
        {.nodes = 9000, .mean_out_degree = 6, .shock_probability = 0.5, .shock_max = 0.5, .seed = seed});
    for (PlainModel model : {PlainModel::eisenberg_noe, PlainModel::debtrank}) {
      for (ClearingMethod method : {ClearingMethod::fixed_point, ClearingMethod::fictitious_default}) {
        if (model == PlainModel::debtrank && method == ClearingMethod::fictitious_default) continue;
        PlainModelOptions options;
        options.model = model;
        options.clearing.method = method;
        const PlainModelResult one = run_plain_model(net, options);
        ASSERT_GT(one.iterations, 1) << to_string(model);
        for (int threads : {2, 4}) {
          options.threads = threads;
          const PlainModelResult many = run_plain_model(net, options);
          SCOPED_TRACE(std::string(to_string(model)) + " seed " + std::to_string(seed) + " threads " +
                       std::to_string(threads));
          EXPECT_EQ(many.iterations, one.iterations);
          EXPECT_EQ(many.recovery_rate, one.recovery_rate);
          EXPECT_EQ(many.payment, one.payment);
          EXPECT_EQ(many.external_payment, one.external_payment);
          EXPECT_EQ(many.equity_after, one.equity_after);
          EXPECT_EQ(many.defaulted, one.defaulted);
          EXPECT_EQ(many.debtrank, one.debtrank);
          EXPECT_EQ(many.system_debtrank, one.system_debtrank);
        }
      }
    }
  }
}

TEST(PlainModels, NamesRoundTrip) {
  for (PlainModel m : {PlainModel::eisenberg_noe, PlainModel::rogers_veraart, PlainModel::furfine, PlainModel::debtrank,
                       PlainModel::debtrank_single_hit})
    EXPECT_EQ(parse_plain_model(to_string(m)), m);
  EXPECT_FALSE(parse_plain_model("eisenberg_noe").has_value());
  EXPECT_EQ(parse_external_priority("senior"), ExternalPriority::senior);
  EXPECT_EQ(parse_clearing_method("fixed-point"), ClearingMethod::fixed_point);
  EXPECT_EQ(parse_debtrank_weights("assets"), DebtRankWeights::assets);
}

}  // namespace
}  // namespace cascade::contagion
