#include "engine/output/report/run_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <string>

#include "tests/engine/output/report/report_fixture.h"

namespace cascade::report {
namespace {
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class RunDataTest : public cascade::testing::RunDirFixture {};

/// The InputError reading `dir` gives, or "no error".
std::string error_of(const fs::path& dir) {
  try {
    read_run_directory(dir);
  } catch (const output::InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(RunDataTest, ReadsEveryFileByNameWhateverTheColumnOrder) {
  const RunData run = read_run_directory(write_tiny_run());
  EXPECT_EQ(run.manifest.cascade_version, "9.9.9");
  EXPECT_EQ(run.manifest.build_id, "0123456789abcdef");
  EXPECT_EQ(run.manifest.scenario_name, "tiny");
  EXPECT_EQ(run.manifest.scenario_files, std::vector<std::string>{"tiny.yaml"});
  EXPECT_EQ(run.manifest.content_hash, "abc123");
  EXPECT_EQ(run.manifest.seed, 7u);
  ASSERT_EQ(run.manifest.overrides.size(), 1u);
  EXPECT_EQ(run.manifest.overrides[0], (std::pair<std::string, std::string>{"firms.a.cash", "1"}));
  // Parameters as text, in file order; channels as switches.
  ASSERT_EQ(run.manifest.parameters.size(), 3u);
  EXPECT_EQ(run.manifest.parameters[1].second, "false");
  EXPECT_EQ(run.manifest.parameters[2].second, "[\"outstanding\"]");
  EXPECT_EQ(run.manifest.channels[1], (std::pair<std::string, bool>{"funding", false}));

  EXPECT_EQ(run.summary.horizon_ticks, 12);
  EXPECT_EQ(run.summary.total_credit_loss_usd_bn, 12.7);
  EXPECT_EQ(run.summary.loss_by_channel.front().first, "revenue_contract");  // file order, not alphabetical
  EXPECT_EQ(run.summary.loss_by_firm_and_channel.at("b").size(), 3u);

  // system.csv: every column by name, the unknown one too.
  ASSERT_NE(run.system.find("tick"), nullptr);
  EXPECT_EQ(run.system.find("tick")->size(), 13u);
  EXPECT_EQ(run.system.find("credit_loss_usd_bn")->at(7), 3.2);
  EXPECT_NE(run.system.find("equity_layer_1_usd_bn"), nullptr);
  EXPECT_EQ(run.system.find("no_such_column"), nullptr);

  // timeseries.csv: equity at tick 0 and at tick 12 (the fixture's numbers).
  ASSERT_EQ(run.firms.size(), 5u);
  EXPECT_EQ(run.firms[0].firm, "a");
  EXPECT_EQ(run.firms[0].type, "ai_lab");
  EXPECT_EQ(run.firms[0].equity_start_usd_bn, 10.0);
  EXPECT_EQ(run.firms[0].equity_end_usd_bn, -1.0);

  ASSERT_EQ(run.defaults.size(), 4u);
  EXPECT_EQ(run.defaults[0].firm, "a");
  EXPECT_EQ(run.defaults[0].type, "ai_lab");
  EXPECT_EQ(run.defaults[0].tick, 5);
  EXPECT_EQ(run.defaults[0].channel, "own_operations");
  EXPECT_EQ(run.defaults[0].detail, "could not pay 0.50, after raising 0.10");
  ASSERT_EQ(run.credit_losses.size(), 6u);
  EXPECT_EQ(run.credit_losses[3].holder, "c");
  EXPECT_EQ(run.credit_losses[3].obligor, "b");
  EXPECT_EQ(run.credit_losses[3].loss_usd_bn, 1.2);
  EXPECT_FALSE(run.ablation.has_value());
  EXPECT_FALSE(run.loop_contribution.has_value());
}

TEST_F(RunDataTest, OptionalFilesAreReadWhenPresent) {
  const fs::path dir = write_tiny_run();
  // The tiny run has one channel on (payment_clearing): the ablation's seven rows.
  write(dir / "ablation.csv",
        "row,case,equity_lost_usd_bn,defaults\nrun,all,5,2\nrun,none,1,0\nrun,only:payment_clearing,2,1\n"
        "run,all_but:payment_clearing,1,0\nstandalone,payment_clearing,1,1\nmarginal,payment_clearing,4,2\n"
        "interaction,all,0.5,0\n");
  write(dir / "loop_contribution.csv",
        "loop,firms,cut_exposure,usd_bn_per_year,equity_lost_added_usd_bn,credit_loss_added_usd_bn,defaults_added\n"
        "1,a > b,E1,3,2.5,1,0\n");
  const RunData run = read_run_directory(dir);
  ASSERT_TRUE(run.ablation.has_value());
  EXPECT_EQ(run.ablation->measures, (std::vector<std::string>{"equity_lost_usd_bn", "defaults"}));
  ASSERT_EQ(run.ablation->rows.size(), 7u);
  EXPECT_EQ(run.ablation->rows[5].row, "marginal");
  EXPECT_EQ(run.ablation->rows[5].label, "payment_clearing");
  EXPECT_EQ(run.ablation->rows[5].values, (std::vector<double>{4, 2}));
  ASSERT_TRUE(run.loop_contribution.has_value());
  EXPECT_EQ(run.loop_contribution->rows.size(), 1u);
}

TEST_F(RunDataTest, WhatIsMissingIsAnInputErrorNamingTheFile) {
  EXPECT_THAT(error_of(root_ / "nowhere"), HasSubstr("not a directory"));
  const fs::path dir = write_tiny_run();
  fs::remove(dir / "defaults.csv");
  EXPECT_THAT(error_of(dir), HasSubstr("defaults.csv: cannot be read"));
  write(dir / "defaults.csv", "tick,firm\n");
  EXPECT_THAT(error_of(dir), HasSubstr("defaults.csv:1: missing column 'type'"));
  write(dir / "summary.json", R"({"horizon_ticks": 12})");
  EXPECT_THAT(error_of(dir), HasSubstr("summary.json: missing key 'ticks_per_year'"));
  write(dir / "summary.json", "not json");
  EXPECT_THAT(error_of(dir), HasSubstr("summary.json: not a JSON object"));
}

TEST_F(RunDataTest, FilesThatDisagreeWithTheSummaryAreInputErrors) {
  // A file cut at a line boundary still parses: its rows are checked against summary.json, or the
  // page said "no firm defaulted" beside credit losses of the defaults summary.json lists, and
  // drew charts that stopped half way (docs/report.md: such a directory is bad input, exit 2).
  const auto cut = [&](const fs::path& file, std::size_t lines) {
    std::ifstream in(file, std::ios::binary);
    std::string kept, line;
    for (std::size_t n = 0; n < lines && std::getline(in, line); ++n) kept += line + "\n";
    in.close();
    write(file, kept);
  };
  fs::path dir = write_tiny_run("defaults");
  cut(dir / "defaults.csv", 1);  // the header only
  EXPECT_THAT(error_of(dir), HasSubstr("defaults.csv: 0 defaults, summary.json lists 4: the file is not as"));
  dir = write_tiny_run("system");
  cut(dir / "system.csv", 8);  // ticks 0 to 6 of 12
  EXPECT_THAT(error_of(dir), HasSubstr("system.csv: 7 rows for ticks 0 to 12 (summary.json's ticks_run)"));
  dir = write_tiny_run("losses");
  cut(dir / "credit_losses.csv", 5);  // the last two losses (2 and 5) gone: 5.7 of 12.7
  EXPECT_THAT(error_of(dir), HasSubstr("credit_losses.csv: its losses add up to 5.7, summary.json's total is 12.7"));
  // A column the report needs: system.csv's market charts, timeseries.csv's investor capital (a
  // fund without it was drawn distressed).
  dir = write_tiny_run("columns");
  write(dir / "timeseries.csv", "firm,tick,equity_usd_bn,type\na,0,1,ai_lab\n");
  EXPECT_THAT(error_of(dir), HasSubstr("timeseries.csv:1: missing column 'investor_capital_usd_bn'"));
  write(dir / "system.csv", "tick,equity_usd_bn\n0,1\n");
  EXPECT_THAT(error_of(dir), HasSubstr("system.csv:1: missing column 'cash_usd_bn'"));
}

TEST_F(RunDataTest, WhatNoRunWritesIsAnInputError) {
  // An independent check fed the report edited run directories: each of these was read, and
  // ticks_per_year 0 looped until memory ran out, a pipe blocked forever, a cut ablation.csv drew
  // the missing channels as 0, and the others put NaN, unknown firms or impossible ticks on the page.
  const auto error_after = [&](const std::string& name, const std::function<void(const fs::path&)>& edit) {
    const fs::path dir = write_tiny_run(name);
    edit(dir);
    return error_of(dir);
  };
  EXPECT_THAT(error_after("tpy",
                          [&](const fs::path& d) {
                            replace_in(d / "summary.json", "\"ticks_per_year\": 12", "\"ticks_per_year\": 0");
                          }),
              HasSubstr("summary.json: 'ticks_per_year' must be a whole number from 1 to 366, got 0"));
  EXPECT_THAT(
      error_after("run",
                  [&](const fs::path& d) { replace_in(d / "summary.json", "\"ticks_run\": 12", "\"ticks_run\": 13"); }),
      HasSubstr("summary.json: 'ticks_run' must be a whole number from 0 to 12, got 13"));
  EXPECT_THAT(error_after("fifo",
                          [&](const fs::path& d) {
                            fs::remove(d / "system.csv");
                            ASSERT_EQ(::mkfifo((d / "system.csv").c_str(), 0600), 0);
                          }),
              HasSubstr("system.csv: not a regular file"));
  EXPECT_THAT(error_after("nan", [&](const fs::path& d) { replace_in(d / "defaults.csv", ",0.5,", ",nan,"); }),
              HasSubstr("defaults.csv:2: column 'shortfall_usd_bn': not a finite number: 'nan'"));
  EXPECT_THAT(error_after("tick", [&](const fs::path& d) { replace_in(d / "defaults.csv", "\n7,b,", "\n70,b,"); }),
              HasSubstr("defaults.csv:3: tick '70' is not a whole number from 0 to 12"));
  EXPECT_THAT(error_after("firm", [&](const fs::path& d) { replace_in(d / "credit_losses.csv", ",b,E4", ",zz,E4"); }),
              HasSubstr("credit_losses.csv: firm 'zz' is not in the run's timeseries.csv"));
  EXPECT_THAT(error_after("equity",
                          [&](const fs::path& d) {
                            replace_in(d / "summary.json", "\"system_equity_end_usd_bn\": 152",
                                       "\"system_equity_end_usd_bn\": 1");
                          }),
              HasSubstr("system.csv: system equity 185 at tick 0 and 152 at the end, summary.json has 185 and 1"));
  EXPECT_THAT(
      error_after("channels",
                  [&](const fs::path& d) { replace_in(d / "manifest.json", "\"channels\"", "\"old_channels\""); }),
      HasSubstr("manifest.json: missing key 'channels'"));
  EXPECT_THAT(error_after("ablation",
                          [&](const fs::path& d) {
                            write(d / "ablation.csv", "row,case,credit_loss_usd_bn\nrun,all,12.7\nrun,none,0\n");
                          }),
              HasSubstr("ablation.csv: no row 'interaction,all'"));
  EXPECT_THAT(
      error_after("loops",
                  [&](const fs::path& d) {
                    write(d / "loop_contribution.csv",
                          "loop,firms,cut_exposure,usd_bn_per_year,equity_lost_added_usd_bn,credit_loss_added_usd_bn,"
                          "defaults_added\n1,a > b,E1,abc,2.5,1,0\n");
                  }),
      HasSubstr("loop_contribution.csv:2: column 'usd_bn_per_year': not a number: 'abc'"));
}

TEST_F(RunDataTest, IdsThatAreNotUtf8MatchTheirJsonForm) {
  // summary.json writes an id's bytes that are not UTF-8 as U+FFFD, the CSV files keep them: the
  // report looked up "bad\xffid" among the JSON keys and left the firm out of its tables.
  const RunData run = read_run_directory([&] {
    const fs::path dir = write_tiny_run();
    std::ifstream in(dir / "timeseries.csv", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    for (std::size_t at = text.find("\na,"); at != std::string::npos; at = text.find("\na,", at + 1))
      text.replace(at + 1, 1, "bad\xffid");
    write(dir / "timeseries.csv", text);
    replace_in(dir / "defaults.csv", "5,a,", "5,bad\xffid,");  // the same id in every file, as a run writes it
    for (int i = 0; i < 3; ++i) replace_in(dir / "credit_losses.csv", ",a,E", ",bad\xffid,E");
    return dir;
  }());
  EXPECT_EQ(run.firms[0].firm, "bad\uFFFDid");
}

TEST_F(RunDataTest, ARealRunReadsBackConsistently) {
  const RunData run = read_run_directory(run_small("small"));
  EXPECT_EQ(run.manifest.scenario_name, "cli-small");
  EXPECT_EQ(run.system.find("tick")->size(), static_cast<std::size_t>(run.summary.horizon_ticks + 1));
  EXPECT_EQ(run.firms.size(), 7u);  // small.yaml has seven firms
  // The credit losses of credit_losses.csv add up to summary.json's total and to system.csv's
  // per-tick column (three ways the run reports the same money).
  double listed = 0.0;
  for (const CreditLossRecord& l : run.credit_losses) listed += l.loss_usd_bn;
  const std::vector<double>& per_tick = *run.system.find("credit_loss_usd_bn");
  const double tick_sum = std::accumulate(per_tick.begin(), per_tick.end(), 0.0);
  EXPECT_NEAR(listed, run.summary.total_credit_loss_usd_bn, 1e-9 * (1 + listed));
  EXPECT_NEAR(tick_sum, run.summary.total_credit_loss_usd_bn, 1e-9 * (1 + tick_sum));
}

}  // namespace
}  // namespace cascade::report
