// Run directories for the report's tests: a tiny one written by hand, whose every number is
// worked out in the comments of the tests that use it, and a real run of tests/tools/data/small.yaml.
//
//   class MyTest : public cascade::testing::RunDirFixture {};
//   TEST_F(MyTest, X) { const report::RunData run = report::read_run_directory(write_tiny_run()); }
//
// Each test gets its own scratch directory (`root_`), removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "agents/firm_types.h"
#include "engine/output/run_writer.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade::testing {

inline const std::filesystem::path kSmallScenario =
    std::filesystem::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml";

class RunDirFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("cascade-report-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }

  /// Replaces the first `from` in `file` by `to` (a test's edit of a tiny run; `from` must be there).
  static void replace_in(const std::filesystem::path& file, const std::string& from, const std::string& to) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    write(file, text.replace(at, from.size(), to));
  }
  /// summary.json's list of the tiny run's four defaults, for replace_in.
  static constexpr const char* kTinyDefaults =
      R"("defaults": [{"firm": "a"}, {"firm": "b"}, {"firm": "c"}, {"firm": "x"}])";

  /// Five firms a (ai_lab), b (neocloud), c (bank), d (bond_investor), x (spv) over 12 monthly
  /// ticks: a defaults at tick 5, b at 7, c at 9, x at 10 (forced). Columns come in other orders
  /// than Cascade writes them and with extra columns and keys, as a later version might write.
  std::filesystem::path write_tiny_run(const std::string& name = "tiny") const {
    const std::filesystem::path dir = root_ / name;
    std::filesystem::create_directories(dir);
    write(dir / "manifest.json",
          R"({"cascade_version": "9.9.9", "build": {"id": "0123456789abcdef"}, "future_key": [1, 2],
      "scenario": {"name": "tiny", "description": "hand-made", "version": "1", "as_of": "", "files": ["tiny.yaml"],
                   "content_hash": "abc123"},
      "seed": 7, "replication": 0, "threads": 1, "audit": false,
      "overrides": [{"path": "firms.a.cash", "value": "1"}],
      "parameters": {"horizon_ticks": 12, "gpu_impairment": false, "enforced_statuses": ["outstanding"]},
      "channels": {"payment_clearing": true, "funding": false},
      "command_line": ["cascade", "run", "tiny.yaml"]})");
    write(dir / "summary.json", R"({"scenario": "tiny", "horizon_ticks": 12, "ticks_per_year": 12, "ticks_run": 12,
      )" + std::string(kTinyDefaults) +
                                    R"(,
      "total_credit_loss_usd_bn": 12.7, "system_equity_start_usd_bn": 185, "system_equity_end_usd_bn": 152,
      "system_equity_lost_usd_bn": 33, "writedown_usd_bn": 4.5, "depreciation_usd_bn": 2, "new_figure_usd_bn": 1,
      "credit_loss_by_holder_type_usd_bn": {"neocloud": 3, "bank": 7.7, "bond_investor": 2, "spv": 0},
      "credit_loss_by_exposure_kind_usd_bn": {"loan": 9.2, "bond": 3, "lease": 0.5, "warrant": 0},
      "loss_by_channel_usd_bn": {"revenue_contract": 2, "default_resolution": 5.7, "debtrank": 6, "equity_market": -1,
                                 "fire_sale": 0.1},
      "loss_by_firm_and_channel_usd_bn": {"a": {"fire_sale": 0.1},
                                          "b": {"revenue_contract": 2, "default_resolution": 3, "equity_market": -1},
                                          "c": {"default_resolution": 2.7, "debtrank": 4}, "d": {"debtrank": 2}}})");
    std::string system =
        "market_stress_index,tick,equity_usd_bn,cash_usd_bn,credit_loss_usd_bn,gpu_price_index,"
        "sentiment_index,equity_layer_1_usd_bn,ai_capacity_gw,ai_utilisation,compute_price_index,"
        "ai_revenue_usd_bn_per_year,required_ai_revenue_usd_bn_per_year\n";
    for (int t = 0; t <= 12; ++t) {
      const double credit = t == 5 ? 4.5 : t == 7 ? 3.2 : t == 10 ? 5.0 : 0.0;  // the credit losses below, by tick
      // System equity from 185 at tick 0 to 152 at tick 12, as in summary.json (the firms' sums).
      system += "0," + std::to_string(t) + "," + std::to_string(185 - 2.75 * t) + ",50," + std::to_string(credit) +
                ",1,1,0,2,0.8,1,30,40\n";
    }
    write(dir / "system.csv", system);
    std::string timeseries =
        "firm,tick,equity_usd_bn,type,cash_usd_bn,defaulted,market_value_usd_bn,investor_capital_usd_bn\n";
    const std::vector<std::pair<std::string, std::string>> firms{
        {"a", "ai_lab"}, {"b", "neocloud"}, {"c", "bank"}, {"d", "bond_investor"}, {"x", "spv"}};
    const std::vector<std::pair<double, double>> equity{{10, -1}, {20, 15}, {50, 40}, {100, 98}, {5, 0}};
    for (int t = 0; t <= 12; ++t)
      for (std::size_t f = 0; f < firms.size(); ++f)
        timeseries += firms[f].first + "," + std::to_string(t) + "," +
                      std::to_string(t == 12 ? equity[f].second : equity[f].first) + "," + firms[f].second +
                      ",1,0,0,0\n";
    write(dir / "timeseries.csv", timeseries);
    write(dir / "defaults.csv",
          "tick,firm,kind,type,channel,shortfall_usd_bn,detail,extra\n"
          "5,a,liquidity,ai_lab,own_operations,0.5,\"could not pay 0.50, after raising 0.10\",x\n"
          "7,b,solvency,neocloud,default_resolution,1.25,book equity fell to -1.25,x\n"
          "9,c,liquidity,bank,debtrank,0.2,could not pay 0.20,x\n"
          "10,x,forced,spv,shock,0,forced by a shock,x\n");
    write(dir / "credit_losses.csv",
          "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn\n"
          "5,b,neocloud,a,E1,loan,4,1,3\n"
          "5,c,bank,a,E2,bond,1.5,0.5,1\n"
          "5,c,bank,a,E3,lease,0.5,0,0.5\n"
          "7,c,bank,b,E4,loan,2,0.8,1.2\n"
          "7,d,bond_investor,b,E5,bond,2.5,0.5,2\n"
          "10,c,bank,x,E6,loan,5,0,5\n");
    return dir;
  }

  /// Runs tests/tools/data/small.yaml (with `overrides`, "path=value") into root_/name, as
  /// `cascade run --out` would.
  std::filesystem::path run_small(const std::string& name, const std::vector<std::string>& overrides = {}) const {
    scenario::LoadOptions load;
    for (const std::string& o : overrides) load.overrides.push_back(scenario::parse_override(o));
    const Model model = scenario::load_file(kSmallScenario, load);
    const RunOptions options{.seed = model.params.seed};
    output::RunWriter writer(model, root_ / name, false);
    const SimResult result = run_simulation(model, options, agents::standard_behaviours(), &writer);
    output::RunManifest manifest{.options = options, .overrides = {}, .command_line = {"cascade", "run"}};
    for (const scenario::Override& o : load.overrides) manifest.overrides.push_back({o.path, o.value});
    writer.finish(result, manifest, analysis::firm_circularity(model));
    return root_ / name;
  }

  std::filesystem::path root_;
};

}  // namespace cascade::testing
