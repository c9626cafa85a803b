// End-to-end tests of the `cascade` program: runs the built binary (CASCADE_BINARY) in a fresh
// temporary directory and checks exit codes, what it writes and what it leaves alone.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/build_id.h"
#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kSourceDir = CASCADE_SOURCE_DIR;
const fs::path kSmallScenario = kSourceDir / "tests/tools/data/small.yaml";
const fs::path kInvalidScenario = kSourceDir / "tests/tools/data/invalid.yaml";
const fs::path kBaselineScenario = kSourceDir / "scenarios/ai-2026/baseline.yaml";

/// Files compared byte for byte between runs; manifest.json records the thread count, so it is not.
const std::vector<std::string> kDeterministicFiles{"timeseries.csv",    "system.csv",    "defaults.csv",
                                                   "credit_losses.csv", "exposures.csv", "summary.json"};
const std::vector<std::string> kAllFiles{"credit_losses.csv", "defaults.csv",   "exposures.csv", "manifest.json",
                                         "summary.json",      "system.csv",     "timeseries.csv", "warnings.txt"};

std::string first_line(const fs::path& path) {
  const std::string text = read_file(path);
  return text.substr(0, text.find('\n'));
}

std::size_t line_count(const fs::path& path) {
  const std::string text = read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Sorted names of the entries of `dir`.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Each test gets an empty working directory, removed afterwards.
class CliTest : public cascade::testing::CliFixture {};

// --- usage

TEST_F(CliTest, HelpMentionsEverySubcommandAndExitCodes) {
  const Outcome o = cascade("--help");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* word : {"validate", "run", "--log-level", "--version", "Exit codes"})
    EXPECT_NE(o.out.find(word), std::string::npos) << word << " missing from:\n" << o.out;
}

TEST_F(CliTest, VersionPrintsTheVersion) {
  const Outcome o = cascade("--version");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, std::string("cascade ") + CASCADE_VERSION + " (build " + std::string(cascade::build_id()) + ")\n");
}

TEST_F(CliTest, RunHelpExplainsEveryOption) {
  const Outcome o = cascade("run --help");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* option : {"FILE", "--out", "--seed", "--threads", "--set", "--audit", "--force", "--log-level"})
    EXPECT_NE(o.out.find(option), std::string::npos) << option << " missing from:\n" << o.out;
  EXPECT_NE(o.out.find("default: 1"), std::string::npos) << "the thread default must be documented";
  EXPECT_NE(o.out.find("runs/<scenario name>"), std::string::npos) << "the --out default must be documented";
}

TEST_F(CliTest, ValidateHelpExplainsEveryOption) {
  const Outcome o = cascade("validate --help");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* option : {"FILE", "--set"}) EXPECT_NE(o.out.find(option), std::string::npos) << option;
}

TEST_F(CliTest, MissingSubcommandIsAUsageError) {
  EXPECT_EQ(cascade("").exit_code, 2);
  const Outcome o = cascade("frobnicate");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown command 'frobnicate'\n"), std::string::npos) << o.err;
}

TEST_F(CliTest, AMistypedCommandIsNamedWithASuggestionAndTheList) {
  const Outcome o = cascade("--log-level warn rnu x.yaml");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("error: unknown command 'rnu' (did you mean 'run'?)"), std::string::npos) << o.err;
  for (const char* command : {"validate", "run", "rank", "loops", "graph", "sweep", "merge", "analyze", "clear"})
    EXPECT_NE(o.err.find(std::string(" ") + command), std::string::npos) << command << " missing from:\n" << o.err;
  EXPECT_TRUE(entries(work_).empty());
}

TEST_F(CliTest, MoreThreadsThanCoresAreReducedInOneLine) {
  const int cores = tbb::info::default_concurrency();
  const int asked = cores + 62;
  const Outcome o = cascade("run " + quoted(kSmallScenario) + " --out r --threads " + std::to_string(asked));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("--threads " + std::to_string(asked) + ": " + std::to_string(cores) +
                       " core(s) available, using " + std::to_string(cores)),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("TBB"), std::string::npos) << o.err;
  EXPECT_EQ(nlohmann::json::parse(read_file(work_ / "r" / "manifest.json")).at("threads"), cores);
}

TEST_F(CliTest, ANegativeCountIsRefused) {
  // `rank --top -1` wrapped around to 2^64 - 1 and printed every row.
  const Outcome o = cascade("rank " + quoted(kBaselineScenario) + " --top -1");
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("--top: must be a whole number from 0 to 1000000000, got '-1'"), std::string::npos) << o.err;
}

TEST_F(CliTest, ACountIsAPlainDecimalInteger) {
  // `run --replications 0x10` ran 16 replications, and " 5" and "+3" ran too, where --seed refuses
  // them: every count option reads plain decimals only.
  for (const std::string value : {"0x10", "+3", "' 5'", "1.5", "abc"}) {
    const Outcome o = cascade("run " + quoted(kSmallScenario) + " --out r --replications " + value);
    EXPECT_EQ(o.exit_code, 2) << value << ": " << o.err;
    EXPECT_NE(o.err.find("--replications: must be a whole number from 2 to 1000000, got '"), std::string::npos)
        << o.err;
    EXPECT_FALSE(fs::exists(work_ / "r")) << value;
  }
}

TEST_F(CliTest, NotANumberIsRefusedByEveryNumberOption) {
  // Every comparison with NaN is false, so a range check that only compares lets "nan" through:
  // `loops --spread-years nan` then failed an engine invariant (exit 3) and `rank --revenue-shock
  // nan` ranked a revenue cut to nan.
  const std::string baseline = quoted(kBaselineScenario);
  for (const std::string& command : std::vector<std::string>{
           "loops " + baseline + " --spread-years nan", "rank " + baseline + " --revenue-shock nan",
           "rank " + baseline + " --revenue-shock inf",
           "generate --kind erdos-renyi --nodes 10 --mean-degree nan --out g",
           "generate --kind erdos-renyi --nodes 10 --shocked-share nan --out g",
           "generate --kind erdos-renyi --nodes 10 --shock-max NaN --out g", "analyze s.yaml --confidence nan",
           "clear n --model rogers-veraart --alpha nan"}) {
    SCOPED_TRACE(command);
    const Outcome o = cascade(command);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_NE(o.err.find("must be"), std::string::npos) << o.err;
  }
  EXPECT_TRUE(entries(work_).empty());
}

TEST_F(CliTest, ARunThatDivergesIsBadInputNotABug) {
  // The baseline's revenue growth compounded over 100,000 monthly ticks (8,333 years) overflows a
  // double; the run failed an engine invariant (exit 3). It stops once a system total passes
  // 1e18 USD bn, with the tick, as bad input; rankings and ablations run it on worker threads.
  const std::string diverging = quoted(kBaselineScenario) + " --set simulation.horizon_ticks=100000";
  for (const std::string& command : std::vector<std::string>{"run " + diverging + " --out r", "rank " + diverging,
                                                             "run " + diverging + " --out a --ablate"}) {
    SCOPED_TRACE(command);
    const Outcome o = cascade(command + " --log-level warn");
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_NE(o.err.find("baseline.yaml: the run diverged: the system's cash reached"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("internal error"), std::string::npos) << o.err;
  }
}

TEST_F(CliTest, BadOptionValuesAreUsageErrorsAndWriteNothing) {
  for (const char* bad : {"--threads -1", "--threads 0", "--threads two", "--threads 1.5", "--seed -1", "--seed abc",
                          "--seed 1e3", "--log-level loud", "--out ''"}) {
    SCOPED_TRACE(bad);
    const Outcome o = cascade("run " + quoted(kSmallScenario) + " " + bad);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_FALSE(o.err.empty());
  }
  EXPECT_TRUE(entries(work_).empty());
}

// --- validate

TEST_F(CliTest, ValidateAcceptsTheSmallScenario) {
  const Outcome o = cascade("validate " + quoted(kSmallScenario));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("small.yaml: ok (7 firms, 10 exposures, 2 shocks, horizon 36 ticks)"), std::string::npos)
      << o.out;
  EXPECT_TRUE(entries(work_).empty());
}

TEST_F(CliTest, ValidateAppliesOverrides) {
  const Outcome o = cascade("validate " + quoted(kSmallScenario) + " --set simulation.horizon_ticks=12");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("horizon 12 ticks"), std::string::npos) << o.out;
}

TEST_F(CliTest, ValidateReportsEveryErrorAndWritesNothing) {
  const Outcome o = cascade("validate " + quoted(kInvalidScenario));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("borrowr"), std::string::npos) << o.err;  // unknown firm
  EXPECT_NE(o.err.find("cash"), std::string::npos) << o.err;     // negative cash
  EXPECT_NE(o.err.find("amount"), std::string::npos) << o.err;   // negative amount
  EXPECT_NE(o.err.find("error(s)"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty()) << o.out;
  EXPECT_TRUE(entries(work_).empty());
}

TEST_F(CliTest, OverrideNamingNothingIsAnError) {
  const Outcome o = cascade("validate " + quoted(kSmallScenario) + " --set simulation.no_such_key=1");
  EXPECT_EQ(o.exit_code, 2) << o.out;
  EXPECT_NE(o.err.find("no_such_key"), std::string::npos) << o.err;
}

// --- run

TEST_F(CliTest, RunWithAnInvalidScenarioCreatesNoDirectory) {
  const Outcome o = cascade("run " + quoted(kInvalidScenario) + " --out out");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("error(s)"), std::string::npos) << o.err;
  EXPECT_TRUE(entries(work_).empty()) << "nothing may be written for a scenario that does not validate";
}

TEST_F(CliTest, RunWarnsOfWhatAKilledRunLeftBesideItsDirectory) {
  const pid_t child = ::fork();  // a process that has ended: its staging directory is abandoned
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const std::string left = "r.tmp-" + std::to_string(child);
  fs::create_directories(work_ / left);
  const Outcome o = cascade("run " + kSmallScenario.string() + " --out r");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("'" + left + "' was left by a cascade process that is no longer running"), std::string::npos)
      << o.err;
  EXPECT_TRUE(fs::exists(work_ / left));  // reported, never removed
}

TEST_F(CliTest, RunWritesEveryFileWithItsHeader) {
  const Outcome o = cascade("run " + quoted(kSmallScenario));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const fs::path dir = work_ / "runs" / "cli-small";  // default --out: runs/<scenario name>
  ASSERT_TRUE(fs::is_directory(dir)) << o.out;
  EXPECT_EQ(entries(dir), kAllFiles);
  EXPECT_EQ(entries(work_ / "runs"), std::vector<std::string>{"cli-small"}) << "no staging leftovers";

  EXPECT_EQ(first_line(dir / "timeseries.csv"),
            "tick,firm,type,cash_usd_bn,hardware_usd_bn,construction_usd_bn,securities_usd_bn,claims_usd_bn,"
            "other_assets_usd_bn,liabilities_usd_bn,equity_usd_bn,investor_capital_usd_bn,market_value_usd_bn,revenue_usd_bn,"
            "ai_revenue_usd_bn,opex_usd_bn,capex_usd_bn,due_usd_bn,paid_usd_bn,funding_usd_bn,payout_usd_bn,ai_capacity_gw,downgraded,defaulted");
  EXPECT_EQ(first_line(dir / "system.csv"),
            "tick,cash_usd_bn,assets_usd_bn,equity_usd_bn,equity_nonfinancial_usd_bn,equity_banks_usd_bn,"
            "equity_funds_usd_bn,fund_investor_capital_usd_bn,external_inflow_usd_bn,external_outflow_usd_bn,"
            "depreciation_usd_bn,writedown_usd_bn,credit_loss_usd_bn,network_payments_usd_bn,unpaid_usd_bn,"
            "clearing_iterations,defaults_this_tick,defaulted_firms,gpu_price_index,sentiment_index,market_stress_index,"
            "ai_demand_index,ai_utilisation,compute_price_index,ai_capacity_gw,construction_usd_bn,ai_revenue_usd_bn_per_year,"
            "required_ai_revenue_usd_bn_per_year");
  EXPECT_EQ(first_line(dir / "exposures.csv"),
            "tick,exposure,kind,from,to,due_usd_bn,paid_usd_bn,principal_usd_bn,value_usd_bn,markdown_usd_bn,"
            "remaining_usd_bn,arrears_usd_bn,active");
  EXPECT_EQ(first_line(dir / "defaults.csv"),
            "firm,type,tick,kind,channel,shortfall_usd_bn,external_creditor_loss_usd_bn,detail");
  EXPECT_EQ(first_line(dir / "credit_losses.csv"),
            "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn");

  const auto summary = nlohmann::json::parse(read_file(dir / "summary.json"));
  const int ticks_run = summary.at("ticks_run").get<int>();
  EXPECT_EQ(summary.at("scenario"), "cli-small");
  EXPECT_EQ(summary.at("seed"), 11) << "the default seed is the scenario's";
  EXPECT_EQ(summary.at("firms"), 7);
  EXPECT_EQ(line_count(dir / "system.csv"), 1u + static_cast<std::size_t>(ticks_run) + 1u) << "header + ticks 0..n";
  EXPECT_EQ(line_count(dir / "timeseries.csv"), 1u + (static_cast<std::size_t>(ticks_run) + 1u) * 7u);
  EXPECT_EQ(line_count(dir / "defaults.csv"), 1u + summary.at("defaults").size());
  EXPECT_EQ(line_count(dir / "exposures.csv"), 1u + (static_cast<std::size_t>(ticks_run) + 1u) * 10u);
  for (const char* key : {"first_default_tick", "credit_loss_by_holder_type_usd_bn", "credit_loss_by_exposure_kind_usd_bn",
                          "total_credit_loss_usd_bn", "system_equity_start_usd_bn", "system_equity_end_usd_bn",
                          "system_equity_lost_usd_bn", "depreciation_usd_bn", "writedown_usd_bn",
                          "system_equity_by_layer_end_usd_bn", "losses_by_nature_usd_bn", "warnings", "external_inflow_usd_bn",
                          "external_outflow_usd_bn", "max_conservation_error_relative"})
    EXPECT_TRUE(summary.contains(key)) << key;

  const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
  EXPECT_EQ(manifest.at("cascade_version"), CASCADE_VERSION);
  EXPECT_EQ(manifest.at("build").at("id"), cascade::build_id());
  EXPECT_EQ(manifest.at("threads"), 1);
  EXPECT_EQ(manifest.at("firms").size(), 7u);
  EXPECT_FALSE(manifest.at("scenario").at("content_hash").get<std::string>().empty());
  EXPECT_TRUE(manifest.at("firms").at(0).at("params").contains("liquidity_buffer_months"));

  EXPECT_NE(o.out.find("Cascade " CASCADE_VERSION " — cli-small (36 monthly ticks, 7 firms, 10 exposures, seed 11)"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("Outputs: runs/cli-small/"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("tick 36/36"), std::string::npos) << "progress is logged on stderr:\n" << o.err;
}

TEST_F(CliTest, RunRecordsSeedOverridesAndAudit) {
  const Outcome o = cascade("run " + quoted(kSmallScenario) +
                            " --out r --seed 5 --audit --set simulation.horizon_ticks=12 --log-level off");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.err.empty()) << "--log-level off silences the log:\n" << o.err;
  const auto summary = nlohmann::json::parse(read_file(work_ / "r" / "summary.json"));
  EXPECT_EQ(summary.at("seed"), 5);
  EXPECT_EQ(summary.at("horizon_ticks"), 12);
  EXPECT_EQ(summary.at("audited"), true);
  EXPECT_TRUE(summary.at("max_conservation_error_relative").is_number());
  const auto manifest = nlohmann::json::parse(read_file(work_ / "r" / "manifest.json"));
  EXPECT_EQ(manifest.at("overrides"), nlohmann::json::parse(R"([{"path": "simulation.horizon_ticks", "value": "12"}])"));
  EXPECT_EQ(manifest.at("audit"), true);
  EXPECT_EQ(manifest.at("seed"), 5);
  EXPECT_EQ(manifest.at("parameters").at("seed"), 5) << "the seed the run used, not the scenario's";
}

TEST_F(CliTest, RunsWithOverridesGetTheirOwnDefaultDirectory) {
  ASSERT_EQ(cascade("run " + quoted(kSmallScenario)).exit_code, 0);
  // The suffix is the first 6 hex digits of SHA-256("simulation.horizon_ticks=12\n") (sha256sum).
  const Outcome o = cascade("run " + quoted(kSmallScenario) + " --set simulation.horizon_ticks=12");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("Outputs: runs/cli-small--set-2ea905/"), std::string::npos) << o.out;
  // Two overrides, in order: SHA-256("simulation.horizon_ticks=12\nfirms.labco.cash=5\n").
  ASSERT_EQ(cascade("run " + quoted(kSmallScenario) + " --set simulation.horizon_ticks=12 --set firms.labco.cash=5")
                .exit_code,
            0);
  EXPECT_EQ(entries(work_ / "runs"),
            (std::vector<std::string>{"cli-small", "cli-small--set-2ea905", "cli-small--set-8de4f6"}));
  EXPECT_EQ(nlohmann::json::parse(read_file(work_ / "runs/cli-small--set-2ea905/summary.json")).at("horizon_ticks"),
            12);
}

TEST_F(CliTest, RunRefusesAnExistingDirectoryWithoutForce) {
  fs::create_directories(work_ / "out");
  std::ofstream(work_ / "out" / "sentinel") << "keep me";
  const Outcome o = cascade("run " + quoted(kSmallScenario) + " --out out");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("out"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("--force"), std::string::npos) << o.err;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"out"});
  EXPECT_EQ(entries(work_ / "out"), std::vector<std::string>{"sentinel"});
  EXPECT_EQ(read_file(work_ / "out" / "sentinel"), "keep me");
}

TEST_F(CliTest, RunWithForceReplacesAnEarlierRunDirectory) {
  ASSERT_EQ(cascade("run " + quoted(kSmallScenario) + " --out out").exit_code, 0);  // an earlier run
  std::ofstream(work_ / "out" / "sentinel") << "old";
  const Outcome o = cascade("run " + quoted(kSmallScenario) + " --out out --force");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(entries(work_ / "out"), kAllFiles);
  EXPECT_EQ(entries(work_), std::vector<std::string>{"out"}) << "no staging or old directory is left behind";
}

TEST_F(CliTest, RunWithForceNeverReplacesADirectoryThatIsNotARun) {
  fs::create_directories(work_ / "src");
  std::ofstream(work_ / "src" / "sentinel") << "precious";
  const Outcome o = cascade("run " + quoted(kSmallScenario) + " --out src --force");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("src"), std::string::npos) << o.err;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"src"});
  EXPECT_EQ(entries(work_ / "src"), std::vector<std::string>{"sentinel"});
  // Any manifest.json passed for an earlier run's: --force deleted a sweep directory and another
  // program's folder with all its files.
  for (const std::string manifest :
       {R"({"kind": "cascade-sweep", "cascade_version": "0.1.0"})", R"({"manifest_version": 3})", "garbage"}) {
    std::ofstream(work_ / "src" / "manifest.json") << manifest;
    const Outcome again = cascade("run " + quoted(kSmallScenario) + " --out src --force");
    EXPECT_EQ(again.exit_code, 2) << manifest;
    EXPECT_NE(again.err.find("is not an earlier run directory"), std::string::npos) << again.err;
    EXPECT_EQ(entries(work_ / "src"), (std::vector<std::string>{"manifest.json", "sentinel"})) << manifest;
  }
}

// --- determinism: the same scenario and seed give byte-identical files at any thread count

class CliDeterminism : public CliTest, public ::testing::WithParamInterface<fs::path> {};

TEST_P(CliDeterminism, OutputsAreByteIdenticalAtOneTwoAndEightThreads) {
  const fs::path scenario = GetParam();
  if (!fs::exists(scenario)) GTEST_SKIP() << scenario << " does not exist yet";
  for (const int threads : {1, 2, 8}) {
    const Outcome o = cascade("run " + quoted(scenario) + " --seed 3 --log-level warn --threads " +
                              std::to_string(threads) + " --out t" + std::to_string(threads));
    ASSERT_EQ(o.exit_code, 0) << "threads " << threads << ":\n" << o.err;
  }
  for (const std::string& file : kDeterministicFiles) {
    const std::string reference = read_file(work_ / "t1" / file);
    EXPECT_EQ(read_file(work_ / "t2" / file), reference) << file << " differs between 1 and 2 threads";
    EXPECT_EQ(read_file(work_ / "t8" / file), reference) << file << " differs between 1 and 8 threads";
  }
  // The manifest records the threads used: at most the cores available.
  for (const int threads : {1, 2, 8}) {
    const auto manifest = nlohmann::json::parse(read_file(work_ / ("t" + std::to_string(threads)) / "manifest.json"));
    EXPECT_EQ(manifest.at("threads"), std::min(threads, tbb::info::default_concurrency()));
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CliDeterminism, ::testing::Values(kSmallScenario, kBaselineScenario),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           return param.index == 0 ? std::string("small") : std::string("baseline");
                         });

}  // namespace
