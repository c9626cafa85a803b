// End-to-end tests of `cascade run FILE --replications N`: the same bytes at 1 and 2 threads,
// any replicate repeated alone with its seed, resumption after a kill through the sweep journal,
// the distribution consistent with the per-replicate results, and refusals.
#include <gtest/gtest.h>
#include <signal.h>

#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kSmall = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml";
const std::vector<std::string> kStudyFiles{"results.csv",    "aggregate.csv",    "failures.csv",
                                           "results.sqlite", "distribution.csv", "distribution.json"};

/// A CSV written by Cascade with a header and no quoted fields, as rows of named cells.
std::vector<std::map<std::string, std::string>> csv_records(const std::string& text) {
  std::vector<std::map<std::string, std::string>> out;
  std::stringstream lines(text);
  std::vector<std::string> header;
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (line.ends_with(',')) cells.emplace_back();
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string>& record = out.emplace_back();
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) record[header[i]] = cells[i];
  }
  return out;
}

class ReplicationsCli : public cascade::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    fs::copy_file(kSmall, work_ / "small.yaml");
  }
  void expect_same_study(const fs::path& a, const fs::path& b) const { expect_same_files(a, b, kStudyFiles); }
};

TEST_F(ReplicationsCli, TheStudyIsByteIdenticalAtOneAndTwoThreads) {
  std::string console;  // at one thread
  for (const char* threads : {"1", "2"}) {
    const Outcome o =
        cascade(std::string("run small.yaml --replications 40 --out t") + threads + " --threads " + threads);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("Replications of cli-small: 40 replicates\n"), std::string::npos) << o.out;
    if (std::string_view(threads) == "1") console = o.out;
  }
  expect_same_study("t1", "t2");
  const auto results = csv_records(read_file(work_ / "t1/results.csv"));
  ASSERT_EQ(results.size(), 40u);
  // Each firm's default count is the number of replicates whose defaulted_<firm> is 1.
  for (const auto& row : csv_records(read_file(work_ / "t1/distribution.csv"))) {
    if (row.at("group") != "firm") continue;
    const std::string firm = row.at("name");
    std::size_t defaults = 0;
    for (const auto& r : results) defaults += r.at("defaulted_" + firm) == "1" ? 1 : 0;
    EXPECT_EQ(row.at("defaults"), std::to_string(defaults)) << firm;
    EXPECT_EQ(std::stod(row.at("frequency")), static_cast<double>(defaults) / 40.0) << firm;
    if (defaults == 0) continue;
    // The console shows the default tick's quantiles as distribution.csv has them, a quantile
    // between two ticks with its fraction (labco's 95% is 15.05 here; it printed as 15).
    std::ostringstream quantiles;
    for (const char* q : {"q05", "q50", "q95"}) quantiles << " " << std::setprecision(6) << std::stod(row.at(q));
    const std::size_t line = console.find("\n  " + firm + " ");
    ASSERT_NE(line, std::string::npos) << firm;
    std::string shown = console.substr(line + 1, console.find('\n', line + 1) - line - 1);
    std::string last_three;
    for (int i = 0; i < 3; ++i) {
      const std::size_t space = shown.find_last_of(' ');
      last_three = " " + shown.substr(space + 1) + last_three;
      shown = shown.substr(0, shown.find_last_not_of(' ', space) + 1);
    }
    EXPECT_EQ(last_three, quantiles.str()) << firm;
  }
}

TEST_F(ReplicationsCli, AnyReplicateIsRepeatedAloneWithItsSeed) {
  const std::string variant = " --set shocks.lab-demand-slump.value=0.1";
  const Outcome o = cascade("run small.yaml --replications 12 --threads 2" + variant);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // The default directory carries the overrides' suffix, then -replications.
  const fs::path dir = work_ / "runs";
  ASSERT_EQ(fs::directory_iterator(dir)->path().filename().string().find("cli-small--set-"), 0u);
  const fs::path study = fs::directory_iterator(dir)->path();
  EXPECT_TRUE(study.filename().string().ends_with("-replications")) << study;
  const auto results = csv_records(read_file(study / "results.csv"));
  ASSERT_EQ(results.size(), 12u);
  EXPECT_NE(o.out.find("cascade run small.yaml --set shocks.lab-demand-slump.value=0.1 --seed <seed>"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("(replicate 0: --seed " + results[0].at("seed") + ")"), std::string::npos) << o.out;
  for (const std::size_t r : {std::size_t{0}, std::size_t{7}}) {
    const std::string seed = results[r].at("seed");
    ASSERT_EQ(cascade("run small.yaml --out alone" + std::to_string(r) + " --seed " + seed + variant).exit_code, 0);
    const auto summary = nlohmann::json::parse(read_file(work_ / ("alone" + std::to_string(r)) / "summary.json"));
    EXPECT_EQ(summary.at("defaults").size(), std::stoul(results[r].at("defaults"))) << "replicate " << r;
    EXPECT_EQ(summary.at("total_credit_loss_usd_bn").get<double>(), std::stod(results[r].at("credit_loss_usd_bn")))
        << "replicate " << r;
    for (const auto& d : summary.at("defaults"))
      EXPECT_EQ(results[r].at("default_tick_" + d.at("firm").get<std::string>()),
                std::to_string(d.at("tick").get<int>()));
  }
}

TEST_F(ReplicationsCli, AKilledStudyResumesToTheSameBytes) {
  ASSERT_EQ(cascade("run small.yaml --replications 6000 --threads 2 --out whole --log-level warn").exit_code, 0);
  const std::vector<std::string> args{"run",       "small.yaml", "--replications", "6000",
                                      "--threads", "2",          "--out",          "killed"};
  const pid_t pid = start(args);
  ASSERT_TRUE(wait_for_records("killed", 50, pid)) << "the study finished before it could be killed";
  ::kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_FALSE(fs::exists(work_ / "killed/distribution.csv"));
  const Outcome resumed = cascade("run small.yaml --replications 6000 --threads 1 --out killed");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming killed"), std::string::npos) << resumed.err;
  expect_same_study("whole", "killed");
}

TEST_F(ReplicationsCli, AFinishedStudyIsReportedAgainAndIsASweepOfItsOwnFile) {
  ASSERT_EQ(cascade("run small.yaml --replications 8").exit_code, 0);
  const fs::path dir = "runs/cli-small-replications";
  const std::string distribution = read_file(work_ / dir / "distribution.csv");
  const Outcome again = cascade("run small.yaml --replications 8");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already complete"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("Replications of cli-small: 8 replicates"), std::string::npos) << again.out;
  EXPECT_EQ(read_file(work_ / dir / "distribution.csv"), distribution);
  // The directory's sweep.yaml is the study: `cascade sweep` finds it complete.
  const Outcome sweep = cascade("sweep " + quoted(dir / "sweep.yaml") + " --out " + quoted(dir));
  EXPECT_EQ(sweep.exit_code, 0) << sweep.err;
  EXPECT_NE(sweep.out.find("already complete (8 runs)"), std::string::npos) << sweep.out;
  // Another count is another study: refused, saying why (not "a different sweep file": the user
  // gave none), with the way out.
  const Outcome other = cascade("run small.yaml --replications 9");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("other --replications, --seed or --set values"), std::string::npos) << other.err;
  EXPECT_NE(other.err.find("--force"), std::string::npos) << other.err;
  EXPECT_EQ(cascade("run small.yaml --replications 9 --force").exit_code, 0);
}

TEST_F(ReplicationsCli, BadCountsAndCombinationsAreUsageErrors) {
  // --report (with `cascade report`) is of one run; where it does not exist it is an unknown option.
  for (const char* bad : {"--replications 1", "--replications x", "--replications 5 --ablate",
                          "--replications 5 --audit", "--replications 5 --cut-loops", "--replications 5 --report"}) {
    const Outcome o = cascade(std::string("run small.yaml ") + bad);
    EXPECT_EQ(o.exit_code, 2) << bad;
    EXPECT_FALSE(o.err.empty()) << bad;
  }
  EXPECT_FALSE(fs::exists(work_ / "runs"));
  // A run directory is not a study's.
  ASSERT_EQ(cascade("run small.yaml --out single").exit_code, 0);
  const Outcome o = cascade("run small.yaml --replications 3 --out single");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("single"), std::string::npos) << o.err;
}

}  // namespace
