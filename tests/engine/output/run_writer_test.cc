#include "engine/output/run_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cascade::output {
namespace {
namespace fs = std::filesystem;

/// Two firms and one loan between them; enough to exercise every column.
Model two_firm_model() {
  Model model;
  model.info.name = "writer-test";
  model.info.content_hash = "abc123";
  model.params.horizon_ticks = 1;
  model.firms.resize(2);
  model.firms[0].id = "lender";
  model.firms[0].type = FirmType::bank;
  model.firms[1].id = "lab";
  model.firms[1].type = FirmType::ai_lab;
  model.firms[1].params.liquidity_buffer_months = 4.5;
  model.exposures.resize(1);
  model.exposures[0].id = "L1";
  model.exposures[0].from = 0;
  model.exposures[0].to = 1;
  return model;
}

std::vector<FirmTickRecord> firm_records(double cash_usd_bn, bool lab_defaulted) {
  std::vector<FirmTickRecord> firms(2);
  firms[0].firm = 0;
  firms[0].cash_usd_bn = cash_usd_bn;
  firms[1].firm = 1;
  firms[1].cash_usd_bn = 0.1;
  firms[1].defaulted = lab_defaulted;
  return firms;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The file without its header line.
std::string rows(const fs::path& path) {
  const std::string text = read_file(path);
  return text.substr(text.find('\n') + 1);
}

class RunWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("cascade-writer-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  Model model_ = two_firm_model();
};

TEST_F(RunWriterTest, WritesEveryFileWhenFinished) {
  const fs::path out = root_ / "run";
  RunWriter writer(model_, out, false);

  SystemTickRecord system;
  system.tick = 0;
  system.equity_usd_bn = 10.0;
  writer.on_tick(system, firm_records(1.0 / 3.0, false));
  ASSERT_TRUE(writer.wants_exposures());
  const ExposureTickRecord paid{.exposure = 0, .due_usd_bn = 0.5, .paid_usd_bn = 0.25, .principal_usd_bn = 10.0,
                                .arrears_usd_bn = 0.25, .active = true};
  writer.on_exposures(0, std::span(&paid, 1));
  const DefaultEvent event{1,    1,    DefaultKind::liquidity,     DefaultChannel::own_operations,
                           0.25, 1.25, "could not pay, \"really\""};
  writer.on_default(event);
  system.tick = 1;
  system.equity_usd_bn = 9.5;
  system.defaults_this_tick = 1;
  system.defaulted_firms = 1;
  writer.on_tick(system, firm_records(-0.0, true));
  const ExposureTickRecord ended{.exposure = 0, .due_usd_bn = 0.5, .markdown_usd_bn = -0.0};
  writer.on_exposures(1, std::span(&ended, 1));
  EXPECT_FALSE(fs::exists(out)) << "nothing appears before finish";

  SimResult result;
  result.ticks_run = 1;
  result.defaults = {event};
  result.credit_losses = {CreditLoss{1, 0, 1, 0, ExposureKind::loan, 2.0, 0.5}};
  RunManifest manifest;
  manifest.options.seed = 42;
  manifest.options.threads = 4;
  manifest.overrides = {{"simulation.horizon_ticks", "1"}};
  manifest.command_line = {"cascade", "run", "x.yaml"};
  writer.add_file("ablation.csv", "row,case\n");
  writer.finish(result, manifest, analysis::firm_circularity(model_));

  EXPECT_EQ(rows(out / "timeseries.csv"),
            "0,lender,bank,0.3333333333333333,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            "0,lab,ai_lab,0.1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            "1,lender,bank,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            "1,lab,ai_lab,0.1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1\n");
  EXPECT_EQ(rows(out / "system.csv"),
            // indices at their defaults: GPU price 1, sentiment 1, stress 0, AI demand 1, utilisation 0, compute price 1
            "0,0,0,10,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,0,1,0,1,0,0,0,0\n"
            "1,0,0,9.5,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,0,1,0,1,0,0,0,0\n");
  EXPECT_EQ(read_file(out / "exposures.csv"),
            "tick,exposure,kind,from,to,due_usd_bn,paid_usd_bn,principal_usd_bn,value_usd_bn,markdown_usd_bn,"
            "remaining_usd_bn,arrears_usd_bn,active\n"
            "0,L1,loan,lender,lab,0.5,0.25,10,0,0,0,0.25,1\n"
            "1,L1,loan,lender,lab,0.5,0,0,0,0,0,0,0\n");
  EXPECT_EQ(read_file(out / "defaults.csv"),
            "firm,type,tick,kind,channel,shortfall_usd_bn,external_creditor_loss_usd_bn,detail\n"
            "lab,ai_lab,1,liquidity,own_operations,0.25,1.25,\"could not pay, \"\"really\"\"\"\n");
  EXPECT_EQ(read_file(out / "credit_losses.csv"),
            "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn\n"
            "1,lender,bank,lab,L1,loan,2,0.5,1.5\n");

  const auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("first_default_tick"), 1);
  EXPECT_EQ(summary.at("total_credit_loss_usd_bn"), 1.5);
  EXPECT_EQ(summary.at("credit_loss_by_holder_type_usd_bn").at("bank"), 1.5);
  EXPECT_EQ(summary.at("credit_loss_by_exposure_kind_usd_bn").at("loan"), 1.5);
  EXPECT_EQ(summary.at("defaults").at(0).at("firm"), "lab");
  EXPECT_EQ(summary.at("defaults").at(0).at("external_creditor_loss_usd_bn"), 1.25);
  EXPECT_EQ(summary.at("external_creditor_loss_usd_bn"), 1.25);
  EXPECT_TRUE(summary.at("max_conservation_error_relative").is_null()) << "not audited";
  EXPECT_EQ(read_file(out / "summary.json").find("threads"), std::string::npos);

  const auto manifest_json = nlohmann::json::parse(read_file(out / "manifest.json"));
  EXPECT_EQ(manifest_json.at("seed"), 42);
  EXPECT_EQ(manifest_json.at("threads"), 4);
  EXPECT_EQ(manifest_json.at("scenario").at("content_hash"), "abc123");
  EXPECT_EQ(manifest_json.at("overrides").at(0).at("path"), "simulation.horizon_ticks");
  EXPECT_EQ(manifest_json.at("firms").at(1).at("params").at("liquidity_buffer_months"), 4.5);
  EXPECT_EQ(manifest_json.at("firms").at(1).at("params").size(), agent_param_schema().size());
  EXPECT_EQ(manifest_json.at("command_line").size(), 3u);
  // Every file of the run is listed, the added ones last (ablation.csv was left out).
  EXPECT_EQ(manifest_json.at("outputs").back(), "ablation.csv");
  for (const auto& file : manifest_json.at("outputs")) EXPECT_TRUE(fs::exists(out / file.get<std::string>())) << file;
}

TEST_F(RunWriterTest, LeavesNothingBehindWhenTheRunDoesNotFinish) {
  {
    RunWriter writer(model_, root_ / "run", false);
    SystemTickRecord system;
    writer.on_tick(system, firm_records(1.0, false));
  }  // the run threw: the writer is destroyed without finish()
  EXPECT_TRUE(fs::is_empty(root_));
}

TEST_F(RunWriterTest, RefusesAnExistingDirectoryUnlessReplacing) {
  fs::create_directory(root_ / "run");
  EXPECT_THROW(RunWriter(model_, root_ / "run", false), OutputError);
  EXPECT_NO_THROW(RunWriter(model_, root_ / "run", true)) << "an empty directory may be replaced";
  std::ofstream(root_ / "run" / "manifest.json") << "{}";  // not a run's (it passed for one)
  EXPECT_THROW(RunWriter(model_, root_ / "run", true), OutputError);
  std::ofstream(root_ / "run" / "manifest.json") << R"({"cascade_version": "0.1.0", "scenario": {"content_hash": "ab"},
                                                      "outputs": ["summary.json"]})";
  EXPECT_NO_THROW(RunWriter(model_, root_ / "run", true)) << "an earlier run may be replaced";
}

TEST_F(RunWriterTest, NeverReplacesWhatIsNotARunDirectory) {
  fs::create_directory(root_ / "src");
  std::ofstream(root_ / "src" / "main.cc") << "precious";
  EXPECT_THROW(RunWriter(model_, root_ / "src", true), OutputError);
  std::ofstream(root_ / "file") << "precious";
  EXPECT_THROW(RunWriter(model_, root_ / "file", true), OutputError);
  EXPECT_EQ(std::distance(fs::directory_iterator(root_), fs::directory_iterator()), 2) << "no staging leftovers";
}

TEST_F(RunWriterTest, TicksOutOfOrderAreABug) {
  RunWriter writer(model_, root_ / "run", false);
  SystemTickRecord system;
  system.tick = 1;  // tick 0 must come first
  EXPECT_THROW(writer.on_tick(system, firm_records(1.0, false)), InternalError);
}

}  // namespace
}  // namespace cascade::output
