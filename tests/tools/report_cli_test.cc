// End-to-end tests of `cascade report` and `cascade run --report`: the page is written (with a
// baseline beside it), bad input is exit code 2 with a clear message (no run directory, a
// scenario changed or missing since the run, an output that is a directory), and a missing
// Graphviz leaves a note instead of the network pictures; the worked example of
// docs/scenarios.md runs to a report. The page itself is checked in
// tests/engine/output/report/ and, in Chromium, by report_chromium_test.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kSmall = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data/small.yaml";
const std::string kNoShocks = " --set shocks.lab-demand-slump.value=1 --set shocks.neocloud-outage.value=0";

class ReportCli : public cascade::testing::CliFixture {
 protected:
  /// Runs small.yaml into work_/dir with extra run options; the run must succeed.
  void run(const std::string& dir, const std::string& options = "") {
    const Outcome o = cascade("run " + quoted(kSmall) + " --out " + dir + options);
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
};

TEST_F(ReportCli, HelpExplainsEveryOption) {
  const Outcome o = cascade("report --help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* option : {"RUNDIR", "--compare", "--out", "--scenario", "--compare-scenario",
                             "--allow-changed-scenario", "--threads", "--print-to-pdf"})
    EXPECT_THAT(o.out, HasSubstr(option));
  EXPECT_THAT(cascade("run --help").out, HasSubstr("--report"));
}

TEST_F(ReportCli, RunWithReportWritesThePageIntoTheRunDirectory) {
  const Outcome o = cascade("run " + quoted(kSmall) + " --out r --report");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("Report: r/report.html"));
  const std::string html = read_file(work_ / "r" / "report.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("Stress report: cli-small"));
  EXPECT_THAT(html, HasSubstr("id=\"chart-system-equity\""));
  for (const auto& entry : fs::directory_iterator(work_ / "r"))  // no temporary file left behind
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp-")));
}

TEST_F(ReportCli, CompareShowsTheBaselineBesideTheScenario) {
  run("stressed", " --ablate");
  run("calm", kNoShocks);
  const Outcome o = cascade("report stressed --compare calm --out cmp.html --threads 2");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = read_file(work_ / "cmp.html");
  EXPECT_THAT(html, HasSubstr("compared with the baseline cli-small (baseline)"));
  EXPECT_THAT(html, HasSubstr("Defaults: scenario against baseline"));
  EXPECT_THAT(html, HasSubstr("id=\"chart-ablation-equity_lost_usd_bn\""));  // the scenario ran --ablate
  EXPECT_THAT(html, HasSubstr("shocks.neocloud-outage.value=0"));            // the baseline's overrides
  // The same command gives the same page (it names no time or host).
  ASSERT_EQ(cascade("report stressed --compare calm --out cmp.html --threads 2").exit_code, 0);
  EXPECT_TRUE(read_file(work_ / "cmp.html") == html);
}

TEST_F(ReportCli, ThePageNamesTheCommandThatMadeItAsAShellWouldReadIt) {
  // A run directory with a space in its name: the page's "Made by" line quotes it, so the command
  // can be pasted into a shell to make the page again.
  run("'my run'");
  const Outcome o = cascade("report 'my run' --out page.html");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(read_file(work_ / "page.html"), HasSubstr("(cascade report &apos;my run&apos; --out page.html)"));
}

TEST_F(ReportCli, BadInputIsExitCodeTwo) {
  Outcome o = cascade("report nowhere --out x.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("nowhere: not a directory"));
  EXPECT_FALSE(fs::exists(work_ / "x.html"));

  run("r");
  fs::create_directory(work_ / "out");
  o = cascade("report r --out out");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("is a directory"));
  o = cascade("report r --compare nowhere --out x.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("nowhere: not a directory"));
  // Runs set side by side tick by tick need ticks of one length (a quarter beside a month was
  // reported as "3 ticks earlier" for a default 7 months later).
  run("quarterly", " --set simulation.ticks_per_year=4");
  o = cascade("report quarterly --compare r --out x.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("the runs' ticks differ (quarterly: 4 ticks a year, r: 12)"));
  EXPECT_FALSE(fs::exists(work_ / "x.html"));

  // A run directory whose files are not as `cascade run` writes them.
  std::ofstream(work_ / "r" / "defaults.csv") << "tick,firm\n";
  o = cascade("report r --out x.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("defaults.csv:1: missing column"));
  EXPECT_EQ(cascade("report --out x.html").exit_code, 2);  // no RUNDIR
  EXPECT_EQ(cascade("report r").exit_code, 2);             // no --out
}

TEST_F(ReportCli, ThePageNeverReplacesAFileItIsMadeFrom) {
  // --out summary.json of the run replaced it with the page, and the run could not be reported again.
  run("r");
  fs::copy_file(kSmall, work_ / "small.yaml");
  const std::string summary = read_file(work_ / "r/summary.json");
  for (const std::string out : {"r/summary.json", "small.yaml"}) {
    const Outcome o = cascade("report r --scenario small.yaml --allow-changed-scenario --out " + out);
    EXPECT_EQ(o.exit_code, 2) << out;
    EXPECT_THAT(o.err, HasSubstr("which the report reads; give another file")) << o.err;
  }
  EXPECT_EQ(read_file(work_ / "r/summary.json"), summary);
  EXPECT_EQ(read_file(work_ / "small.yaml"), read_file(kSmall));
  const Outcome missing = cascade("report r --out no-such-dir/r.html");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot write 'no-such-dir/r.html': its directory 'no-such-dir' does not exist"));
}

TEST_F(ReportCli, RunsOfOtherLengthsOrNetworksAreComparedWithAWarning) {
  // A 6-tick run beside a 36-tick one: the page subtracted tick-36 figures from tick-6 ones and
  // said "defaults only in the baseline" of defaults after the shorter run's end, without a word.
  run("full");
  run("short", " --set simulation.horizon_ticks=6");
  const Outcome o = cascade("report short --compare full --out cmp.html");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("warning: --compare: the runs end at different ticks (6 and 36)"));
  const std::string html = read_file(work_ / "cmp.html");
  EXPECT_THAT(html, HasSubstr("Compared with a baseline run it does not match: the runs end at different ticks"));
  EXPECT_THAT(html, HasSubstr("defaults after the scenario run&apos;s last tick (6)"));
  EXPECT_THAT(html, Not(HasSubstr("defaults only in the baseline")));
}

TEST_F(ReportCli, AScenarioChangedSinceTheRunIsRefusedUnlessAllowed) {
  fs::copy_file(kSmall, work_ / "scenario.yaml");
  ASSERT_EQ(cascade("run scenario.yaml --out r").exit_code, 0);  // the manifest records "scenario.yaml"
  ASSERT_EQ(cascade("report r --out same.html").exit_code, 0);
  std::ofstream(work_ / "scenario.yaml", std::ios::app) << "# edited after the run\n";

  Outcome o = cascade("report r --out changed.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("the scenario changed since the run"));
  EXPECT_THAT(o.err, HasSubstr("--allow-changed-scenario"));
  EXPECT_FALSE(fs::exists(work_ / "changed.html"));

  o = cascade("report r --out changed.html --allow-changed-scenario");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("warning: the scenario changed since the run"));
  EXPECT_THAT(read_file(work_ / "changed.html"), HasSubstr("<div class=\"warning\">"));
  EXPECT_THAT(read_file(work_ / "same.html"), Not(HasSubstr("<div class=\"warning\">")));
}

TEST_F(ReportCli, AMissingScenarioFileCanBeNamed) {
  fs::copy_file(kSmall, work_ / "scenario.yaml");
  ASSERT_EQ(cascade("run scenario.yaml --out r").exit_code, 0);
  fs::rename(work_ / "scenario.yaml", work_ / "moved.yaml");
  Outcome o = cascade("report r --out x.html");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("'scenario.yaml'"));
  EXPECT_THAT(o.err, HasSubstr("--scenario FILE"));
  o = cascade("report r --out x.html --scenario moved.yaml");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // Another scenario than the run's: its hash differs.
  o = cascade("report r --out y.html --scenario " +
              quoted(fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data/sweep-small.yaml"));
  EXPECT_EQ(o.exit_code, 2);
}

TEST_F(ReportCli, TheWorkedExampleOfDocsScenariosRunsToAReport) {
  const fs::path example = fs::path(CASCADE_SOURCE_DIR) / "docs/examples/neocloud-squeeze.yaml";
  ASSERT_EQ(cascade("validate " + quoted(example)).exit_code, 0);
  ASSERT_EQ(cascade("run " + quoted(example) + " --out squeeze").exit_code, 0);
  ASSERT_EQ(cascade("run " + quoted(example) +
                    " --out calm --set shocks.lab-pays-25pct.value=1 "
                    "--set shocks.new-gpu-generation.value=1")
                .exit_code,
            0);
  const Outcome o = cascade("report squeeze --compare calm --out squeeze.html");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(read_file(work_ / "squeeze.html"), HasSubstr("Stress report: neocloud-squeeze"));
}

TEST_F(ReportCli, WithoutGraphvizThePageHasANoteInsteadOfThePictures) {
  run("r", " --set shocks.lab-demand-slump.value=0.9");
  const Outcome o = cascade("report r --out x.html", "PATH=/nonexistent");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("apt-get install graphviz"));
  const std::string html = read_file(work_ / "x.html");
  EXPECT_THAT(html, HasSubstr("No picture: Graphviz"));
  // The command draws the run's picture: with its overrides (it drew the scenario without them).
  EXPECT_THAT(html, HasSubstr("cascade graph " + kSmall.string() +
                              " --set shocks.lab-demand-slump.value=0.9 --run r --tick 0 --out network.svg"));
}

}  // namespace
