// The distribution of a replication study: default frequencies with Wilson intervals, default
// ticks among the replicates where a firm defaulted, and loss quantiles, on rows made by hand.
#include "engine/experiments/replications.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "tests/support/model_builder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;

TEST(WilsonInterval, MatchesNewcombesWorkedExamples) {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
  // Medicine 17: the score interval (method 3) of his four examples, to 4 decimals.
  const struct {
    std::uint64_t successes, trials;
    double low, high;
  } examples[] = {{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611}, {1, 29, 0.0061, 0.1718}};
  for (const auto& e : examples) {
    const auto [low, high] = wilson_interval_95(e.successes, e.trials);
    EXPECT_NEAR(low, e.low, 0.5e-4) << e.successes << "/" << e.trials;
    EXPECT_NEAR(high, e.high, 0.5e-4) << e.successes << "/" << e.trials;
  }
}

TEST(WilsonInterval, EndsAreExactWithoutSuccessesOrFailures) {
  // k = 0: low = 0 and high = z^2 / (n + z^2), z = 1.959963984540054: 3.8414588 / 103.8414588.
  const auto [low, high] = wilson_interval_95(0, 100);
  EXPECT_EQ(low, 0.0);
  EXPECT_NEAR(high, 0.036993498206985, 1e-15);
  EXPECT_EQ(wilson_interval_95(4, 4).second, 1.0);
  EXPECT_EQ(wilson_interval_95(0, 0), (std::pair<double, double>{0.0, 1.0}));
}

TEST(Quantiles, LinearBetweenOrderStatistics) {
  // R type 7: h = (n - 1) p; {0, 2, 4, 10}: p = 0.05 -> h = 0.15 -> 0 + 0.15 x 2 = 0.3;
  // p = 0.5 -> h = 1.5 -> 3; p = 0.95 -> h = 2.85 -> 4 + 0.85 x 6 = 9.1. Order does not matter.
  const Quantiles q = quantiles_of({10, 0, 4, 2});
  EXPECT_NEAR(q.q05, 0.3, 1e-12);
  EXPECT_NEAR(q.q50, 3.0, 1e-12);
  EXPECT_NEAR(q.q95, 9.1, 1e-12);
  EXPECT_TRUE(std::isnan(quantiles_of({}).q50));
}

/// Two firms over four replicates, horizon 12 (an undefaulted firm's tick is censored at 13):
///   replicate  a defaults  b defaults  bank credit loss  revenue_contract loss  defaults
///   0          tick 5      -           0                 1                      1
///   1          tick 9      -           2                 3                      1
///   2          -           -           4                 0                      0
///   3          tick 7      tick 7      10                5                      2
class Summary : public ::testing::Test {
 protected:
  void SetUp() override {
    ModelBuilder b;
    b.firm("a", FirmType::bank, {.cash = 1});
    b.firm("b", FirmType::neocloud, {.cash = 1});
    model_ = b.build();
    columns_ = sweep::MetricSet::expand(replication_outputs(), model_).columns();
    rows_ = {row({{"defaulted_a", 1}, {"default_tick_a", 5}, {"loss_revenue_contract_usd_bn", 1}, {"defaults", 1}}),
             row({{"defaulted_a", 1},
                  {"default_tick_a", 9},
                  {"credit_loss_bank_usd_bn", 2},
                  {"loss_revenue_contract_usd_bn", 3},
                  {"defaults", 1}}),
             row({{"credit_loss_bank_usd_bn", 4}}),
             row({{"defaulted_a", 1},
                  {"default_tick_a", 7},
                  {"defaulted_b", 1},
                  {"default_tick_b", 7},
                  {"credit_loss_bank_usd_bn", 10},
                  {"loss_revenue_contract_usd_bn", 5},
                  {"defaults", 2}})};
  }

  /// A replicate's outputs: the given columns, no default (tick 13) and no loss elsewhere.
  std::vector<double> row(const std::map<std::string, double>& values) const {
    std::vector<double> out;
    for (const sweep::MetricSet::Column& c : columns_) {
      const auto it = values.find(c.name);
      out.push_back(it != values.end() ? it->second : c.name.starts_with("default_tick_") ? 13.0 : 0.0);
    }
    return out;
  }

  Model model_;
  std::vector<sweep::MetricSet::Column> columns_;
  std::vector<std::vector<double>> rows_;
};

TEST_F(Summary, FirmsDefaultFrequencyIntervalAndTicksWhereTheyDefaulted) {
  const ReplicationSummary s = summarize_replications(model_, columns_, rows_);
  EXPECT_EQ(s.replicates, 4u);
  ASSERT_EQ(s.firms.size(), 2u);
  const FirmDefaults& a = s.firms[0];
  EXPECT_EQ(a.defaults, 3u);
  EXPECT_DOUBLE_EQ(a.frequency, 0.75);
  // Wilson, k = 3, n = 4, z^2 = 3.8414588: centre (0.75 + z^2 / 8) / (1 + z^2 / 4) = 0.6275273,
  // half z sqrt(0.75 x 0.25 / 4 + z^2 / 64) / (1 + z^2 / 4) = 0.3268855.
  EXPECT_NEAR(a.frequency_low, 0.30064184258240184, 1e-12);
  EXPECT_NEAR(a.frequency_high, 0.9544127391902995, 1e-12);
  // Ticks 5, 9, 7 (the censored 13 of replicate 2 is left out): sorted 5, 7, 9; h = 2p:
  // 5 + 0.1 x 2 = 5.2, 7, 7 + 0.9 x 2 = 8.8.
  EXPECT_NEAR(a.default_tick.q05, 5.2, 1e-12);
  EXPECT_NEAR(a.default_tick.q50, 7.0, 1e-12);
  EXPECT_NEAR(a.default_tick.q95, 8.8, 1e-12);
  const FirmDefaults& b = s.firms[1];
  EXPECT_EQ(b.defaults, 1u);
  EXPECT_DOUBLE_EQ(b.frequency, 0.25);
  EXPECT_EQ(b.default_tick.q05, 7.0);
  EXPECT_EQ(b.default_tick.q95, 7.0);
}

TEST_F(Summary, LossQuantilesBySectorChannelAndTotal) {
  const ReplicationSummary s = summarize_replications(model_, columns_, rows_);
  ASSERT_EQ(s.by_sector.size(), kFirmTypeCount);
  ASSERT_EQ(s.by_channel.size(), kDefaultChannelCount - 1);  // own_operations is no loss channel
  auto find = [](const std::vector<OutputSpread>& v, std::string_view name) {
    for (const OutputSpread& o : v)
      if (o.name == name) return o.usd_bn;
    ADD_FAILURE() << name << " missing";
    return Quantiles{};
  };
  // Bank credit losses {0, 2, 4, 10}: 0.3, 3, 9.1 (as in Quantiles.LinearBetweenOrderStatistics).
  const Quantiles bank = find(s.by_sector, "bank");
  EXPECT_NEAR(bank.q05, 0.3, 1e-12);
  EXPECT_NEAR(bank.q50, 3.0, 1e-12);
  EXPECT_NEAR(bank.q95, 9.1, 1e-12);
  EXPECT_EQ(find(s.by_sector, "chipmaker").q95, 0.0);
  // Revenue lost {1, 3, 0, 5} -> sorted 0, 1, 3, 5: 0.15 x 1 = 0.15; 1 + 0.5 x 2 = 2; 3 + 0.85 x 2 = 4.7.
  const Quantiles revenue = find(s.by_channel, "revenue_contract");
  EXPECT_NEAR(revenue.q05, 0.15, 1e-12);
  EXPECT_NEAR(revenue.q50, 2.0, 1e-12);
  EXPECT_NEAR(revenue.q95, 4.7, 1e-12);
  // Defaults {1, 1, 0, 2} -> 0, 1, 1, 2: 0.15, 1, 1 + 0.85 = 1.85.
  const Quantiles defaults = find(s.totals, "defaults");
  EXPECT_NEAR(defaults.q05, 0.15, 1e-12);
  EXPECT_NEAR(defaults.q50, 1.0, 1e-12);
  EXPECT_NEAR(defaults.q95, 1.85, 1e-12);
}

TEST_F(Summary, FilesHoldEveryRowAndLeaveMissingValuesEmpty) {
  rows_.pop_back();  // b never defaults in the first three replicates
  const ReplicationSummary s = summarize_replications(model_, columns_, rows_);
  const std::string csv = distribution_csv(s, model_);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "group,name,unit,replicates,defaults,frequency,frequency_low,frequency_high,q05,q50,q95");
  // b: 0 of 3, Wilson [0, z^2 / (3 + z^2)] = [0, 0.5615...], no default tick.
  EXPECT_NE(csv.find("\nfirm,b,tick,3,0,0,0,0.56149"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nsector,chipmaker,USD bn,3,,,,,0,0,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ntotal,defaults,firms,3,,,,,"), std::string::npos) << csv;
  // One line per firm, firm type, loss channel and total, and the header.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 + kFirmTypeCount + (kDefaultChannelCount - 1) + 3);
  const output::Json json = distribution_json(s, model_);
  EXPECT_TRUE(json.at("firms").at(1).at("default_tick").is_null());
  EXPECT_EQ(json.at("firms").at(0).at("defaults"), 2);
  EXPECT_EQ(json.at("credit_loss_by_holder_type_usd_bn").at("bank").at("q50"), 2.0);  // {0, 2, 4}
}

}  // namespace
}  // namespace cascade
