#include "engine/output/report/report_tables.h"

#include <gtest/gtest.h>

#include "tests/engine/output/report/report_fixture.h"

namespace cascade::report {
namespace {

class ReportTablesTest : public cascade::testing::RunDirFixture {};

TEST_F(ReportTablesTest, KeyFiguresComeFromTheSummaryAndTheDefaults) {
  const std::vector<KeyFigure> f = key_figures(read_run_directory(write_tiny_run()));
  ASSERT_EQ(f.size(), 9u);
  EXPECT_EQ(f[0].value, 4.0);    // four rows in defaults.csv
  EXPECT_EQ(f[1].value, 5.0);    // the first at tick 5
  EXPECT_EQ(f[2].value, 12.7);   // total_credit_loss_usd_bn
  EXPECT_EQ(f[3].value, 185.0);  // system equity at tick 0
  EXPECT_EQ(f[4].value, 152.0);  // and at the end
  EXPECT_EQ(f[5].value, -33.0);  // 152 - 185
  EXPECT_EQ(f[6].value, 33.0);   // system_equity_lost_usd_bn
  EXPECT_EQ(f[7].value, 4.5);    // write-downs
  EXPECT_EQ(f[8].value, 2.0);    // depreciation
  for (const KeyFigure& k : f) EXPECT_FALSE(k.source.empty()) << k.label;
}

TEST_F(ReportTablesTest, NoDefaultMeansNoFirstDefaultTick) {
  const std::filesystem::path dir = write_tiny_run();
  write(dir / "defaults.csv", "firm,type,tick,kind,channel,shortfall_usd_bn,detail\n");
  replace_in(dir / "summary.json", kTinyDefaults, R"("defaults": [])");
  const std::vector<KeyFigure> f = key_figures(read_run_directory(dir));
  EXPECT_EQ(f[0].value, 0.0);
  EXPECT_FALSE(f[1].value.has_value());
}

TEST_F(ReportTablesTest, LossesCausedByObligor) {
  // From credit_losses.csv: x 5 (c), a 3 + 1 + 0.5 = 4.5 (b, c), b 1.2 + 2 = 3.2 (c, d).
  const std::vector<FirmLossCaused> caused = losses_caused(read_run_directory(write_tiny_run()));
  ASSERT_EQ(caused.size(), 3u);
  EXPECT_EQ(caused[0].firm, "x");
  EXPECT_EQ(caused[0].type, "spv");
  EXPECT_EQ(caused[0].default_tick, 10);
  EXPECT_EQ(caused[0].credit_loss_caused_usd_bn, 5.0);
  EXPECT_EQ(caused[0].creditors_hit, 1u);
  EXPECT_EQ(caused[1].firm, "a");
  EXPECT_EQ(caused[1].credit_loss_caused_usd_bn, 4.5);
  EXPECT_EQ(caused[1].creditors_hit, 2u);
  EXPECT_EQ(caused[2].firm, "b");
  EXPECT_DOUBLE_EQ(caused[2].credit_loss_caused_usd_bn, 3.2);
}

TEST_F(ReportTablesTest, ACreditorRecoveredInFullIsNotHit) {
  const std::filesystem::path dir = write_tiny_run();
  write(dir / "credit_losses.csv",
        "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn\n"
        "5,b,neocloud,a,E1,loan,4,1,3\n5,c,bank,a,E2,collateralised_loan,2,2,0\n");
  replace_in(dir / "summary.json", R"("total_credit_loss_usd_bn": 12.7)", R"("total_credit_loss_usd_bn": 3)");
  const std::vector<FirmLossCaused> caused = losses_caused(read_run_directory(dir));
  ASSERT_EQ(caused.size(), 1u);
  EXPECT_EQ(caused[0].credit_loss_caused_usd_bn, 3.0);
  EXPECT_EQ(caused[0].creditors_hit, 1u);  // b; c got its 2 back
}

TEST_F(ReportTablesTest, LossesSufferedByFirm) {
  // summary.json by channel: c 2.7 + 4 = 6.7, b 2 + 3 - 1 = 4, d 2, a 0.1; x has none and no
  // credit loss, so it is not listed. Credit losses as holder: c 1 + 0.5 + 1.2 + 5 = 7.7, b 3,
  // d 2. Equity change from timeseries.csv: c 40 - 50, b 15 - 20, d 98 - 100, a -1 - 10.
  const std::vector<FirmLossSuffered> s = losses_suffered(read_run_directory(write_tiny_run()));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].firm, "c");
  EXPECT_DOUBLE_EQ(s[0].attributed_loss_usd_bn, 6.7);
  EXPECT_EQ(s[0].largest_channel, "debtrank");
  EXPECT_EQ(s[0].largest_channel_loss_usd_bn, 4.0);
  EXPECT_DOUBLE_EQ(s[0].credit_loss_usd_bn, 7.7);
  EXPECT_EQ(s[0].equity_change_usd_bn, -10.0);
  EXPECT_EQ(s[1].firm, "b");
  EXPECT_EQ(s[1].attributed_loss_usd_bn, 4.0);
  EXPECT_EQ(s[1].largest_channel, "default_resolution");
  EXPECT_EQ(s[1].credit_loss_usd_bn, 3.0);
  EXPECT_EQ(s[1].equity_change_usd_bn, -5.0);
  EXPECT_EQ(s[2].firm, "d");
  EXPECT_EQ(s[3].firm, "a");
  EXPECT_EQ(s[3].equity_change_usd_bn, -11.0);
}

TEST_F(ReportTablesTest, DefaultsBySectorPerPeriod) {
  const RunData run = read_run_directory(write_tiny_run());
  // Quarters of 12 monthly ticks: a (ai_lab) at 5 is in 4-6; b (neocloud) and c (bank) at 7
  // and 9 in 7-9; x (spv) at 10 in 10-12.
  const SectorDefaults d = defaults_by_sector(run.defaults, 12, 3);
  EXPECT_EQ(d.periods, (std::vector<std::string>{"1-3", "4-6", "7-9", "10-12"}));
  EXPECT_EQ(d.sectors, (std::vector<std::string>{"ai_lab", "neocloud", "bank", "spv"}));
  EXPECT_EQ(d.counts[0], (std::vector<double>{0, 1, 0, 0}));
  EXPECT_EQ(d.counts[1], (std::vector<double>{0, 0, 1, 0}));
  EXPECT_EQ(d.counts[2], (std::vector<double>{0, 0, 1, 0}));
  EXPECT_EQ(d.counts[3], (std::vector<double>{0, 0, 0, 1}));
  // Asked-for sectors come first, even without a default; a last period may be short.
  const SectorDefaults e = defaults_by_sector(run.defaults, 11, 5, {"bank", "miner"});
  EXPECT_EQ(e.periods, (std::vector<std::string>{"1-5", "6-10", "11"}));
  EXPECT_EQ(e.sectors, (std::vector<std::string>{"bank", "miner", "ai_lab", "neocloud", "spv"}));
  EXPECT_EQ(e.counts[0], (std::vector<double>{0, 1, 0}));  // c at 9
  EXPECT_EQ(e.counts[1], (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(e.counts[4], (std::vector<double>{0, 1, 0}));  // x at 10
}

TEST(ChartPeriodTicks, QuartersHalfYearsYearsThenMultiples) {
  EXPECT_EQ(chart_period_ticks(12, 12), 1);    // 12 bars
  EXPECT_EQ(chart_period_ticks(36, 12), 3);    // 36 bars are too many; 12 quarters
  EXPECT_EQ(chart_period_ticks(60, 12), 3);    // 20 quarters
  EXPECT_EQ(chart_period_ticks(240, 12), 12);  // 80 quarters, 40 half years, 20 years
  EXPECT_EQ(chart_period_ticks(600, 12), 60);  // 50 years, 25 two-year periods, 10 five-year periods
  EXPECT_EQ(chart_period_ticks(100, 1), 5);    // years: 1, 2, 5 -> 20 bars
}

TEST_F(ReportTablesTest, DefaultDifferencesListBothRuns) {
  const RunData scenario = read_run_directory(write_tiny_run("scenario"));
  const std::filesystem::path base = write_tiny_run("baseline");
  write(base / "defaults.csv",
        "firm,type,tick,kind,channel,shortfall_usd_bn,detail\n"
        "b,neocloud,11,solvency,own_operations,1,x\nd,bond_investor,12,solvency,debtrank,1,x\n");
  replace_in(base / "summary.json", kTinyDefaults, R"("defaults": [{"firm": "b"}, {"firm": "d"}])");
  const std::vector<DefaultDifference> d = default_differences(scenario, read_run_directory(base));
  ASSERT_EQ(d.size(), 5u);  // a, b, c, x from the scenario, then d from the baseline
  EXPECT_EQ(d[0].firm, "a");
  EXPECT_FALSE(d[0].baseline_tick.has_value());
  EXPECT_EQ(d[1].firm, "b");
  EXPECT_EQ(d[1].scenario_tick, 7);
  EXPECT_EQ(d[1].baseline_tick, 11);
  EXPECT_EQ(d[4].firm, "d");
  EXPECT_FALSE(d[4].scenario_tick.has_value());
  EXPECT_EQ(d[4].baseline_tick, 12);
}

}  // namespace
}  // namespace cascade::report
