// End-to-end tests of what happens around a run when things go wrong: the output disk fills up
// or cannot be written, and extreme but valid inputs (tiny and huge amounts, zero-equity firms,
// a fully connected network, isolated firms) that must give finite numbers in every output.
// A sweep's result files or journal damaged after the fact are found and rebuilt. Signals during
// a sweep are tested in sweep_cli_test.cc.
//
// A full disk is simulated without root: RLIMIT_FSIZE (`ulimit -f`) makes every write past the
// limit fail (EFBIG) as a full disk does (ENOSPC), and SIGXFSZ is ignored so that the write
// returns the error instead of killing the process.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::read_file;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data";
/// Shell commands before `cascade`: writes past 64 KiB fail (the run's timeseries.csv alone is
/// about 37 KB; a sweep journal passes 64 KiB after a few hundred runs).
const std::string kFullDiskAt64KiB = "trap '' XFSZ; ulimit -f 64;";
const std::vector<std::string> kSweepResults{"results.csv", "aggregate.csv", "failures.csv", "results.sqlite"};

class FaultsCli : public cascade::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    fs::copy_file(kData / "small.yaml", work_ / "small.yaml");
    fs::copy_file(kData / "sweep-long.yaml", work_ / "long.yaml");
  }
  /// Runs `cascade <args>` in work_ with stdout on /dev/full (every write fails with ENOSPC);
  /// the exit code and stderr.
  Outcome cascade_to_full_device(const std::string& args) const {
    const fs::path err = captured_ / "stderr";
    const std::string command = "cd " + cascade::testing::quoted(work_) + " && " +
                                cascade::testing::quoted(CASCADE_BINARY) + " " + args + " >/dev/full 2>" +
                                cascade::testing::quoted(err);
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", read_file(err)};
  }
};

TEST_F(FaultsCli, AFullDiskFailsTheRunWithAClearErrorAndLeavesNoOutputDirectory) {
  const Outcome o = cascade("run small.yaml --out out", kFullDiskAt64KiB);
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("cannot write"), std::string::npos) << o.err;
  EXPECT_EQ(o.out.find("Outputs:"), std::string::npos) << o.out;
  EXPECT_FALSE(fs::exists(work_ / "out"));
  for (const auto& entry : fs::directory_iterator(work_))  // no staging directory left behind
    EXPECT_EQ(entry.path().filename().string().find("out"), std::string::npos) << entry.path();
}

TEST_F(FaultsCli, AFullDiskStopsASweepWhichThenResumesToTheUninterruptedResults) {
  const Outcome full = cascade("sweep long.yaml --quiet --out full --threads 2", kFullDiskAt64KiB);
  EXPECT_EQ(full.exit_code, 2) << full.err;
  EXPECT_NE(full.err.find("cannot write"), std::string::npos) << full.err;
  for (const std::string& f : kSweepResults) EXPECT_FALSE(fs::exists(work_ / "full" / f)) << f;
  EXPECT_EQ(read_file(work_ / "full/manifest.json").find("\"status\": \"complete\""), std::string::npos);

  const Outcome resumed = cascade("sweep long.yaml --quiet --out full --threads 2");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out whole --threads 2").exit_code, 0);
  expect_same_files("whole", "full", kSweepResults);
}

/// Overwrites `bytes` at `offset` of `file` (the file keeps its size).
void overwrite(const fs::path& file, std::uintmax_t offset, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << file;
}

TEST_F(FaultsCli, DamagedResultFilesOrJournalAreDetectedAndRebuiltFromTheJournal) {
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out whole --threads 2").exit_code, 0);
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out d --threads 2").exit_code, 0);
  const auto again = [&] { return cascade("sweep long.yaml --quiet --out d --threads 2"); };

  // Truncated: results.sqlite cut to half its size is found and written again, not kept.
  fs::resize_file(work_ / "d/results.sqlite", fs::file_size(work_ / "d/results.sqlite") / 2);
  Outcome o = again();
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("results.sqlite has"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("written again from the journal"), std::string::npos) << o.err;
  expect_same_files("whole", "d", kSweepResults);

  // Corrupt at the same size: a changed byte in the middle of results.csv.
  overwrite(work_ / "d/results.csv", fs::file_size(work_ / "d/results.csv") / 2, "#");
  o = again();
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("results.csv has changed since it was written"), std::string::npos) << o.err;
  expect_same_files("whole", "d", kSweepResults);

  // A damaged journal record: it and every record after it are dropped and their runs run again.
  overwrite(work_ / "d/journal.cj", fs::file_size(work_ / "d/journal.cj") / 2, "\xff\xfe");
  fs::remove(work_ / "d/results.sqlite");
  o = again();
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("results.sqlite is missing"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("did not check out"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("resuming"), std::string::npos) << o.err;
  expect_same_files("whole", "d", kSweepResults);

  // Intact again: nothing runs.
  o = again();
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("already complete"), std::string::npos) << o.out;
}

TEST_F(FaultsCli, OutputToAFullDeviceIsAnErrorNotASilentSuccess) {
  // /dev/full refuses every write with ENOSPC; the device must also survive (never be replaced).
  fs::create_directories(work_ / "net");
  std::ofstream(work_ / "net/nodes.csv") << "id,external_assets,external_liabilities\nA,10,5\nB,10,5\n";
  std::ofstream(work_ / "net/edges.csv") << "debtor,creditor,amount\nA,B,2\n";
  for (const std::string command : {"validate small.yaml", "loops small.yaml", "clear net --model eisenberg-noe"}) {
    const Outcome o = cascade_to_full_device(command);
    EXPECT_EQ(o.exit_code, 2) << command << ": " << o.err;
    EXPECT_NE(o.err.find("cannot write the output to standard output"), std::string::npos) << command << ": " << o.err;
  }
  const Outcome graph = cascade("graph small.yaml --out /dev/full");
  EXPECT_NE(graph.exit_code, 0) << graph.err;
  EXPECT_NE(graph.err.find("cannot write '/dev/full'"), std::string::npos) << graph.err;
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

TEST_F(FaultsCli, AnOutputDirectoryThatCannotBeCreatedIsAClearError) {
  // /proc refuses new directories even to root, unlike a directory without write permission.
  const Outcome o = cascade("run small.yaml --out /proc/cascade-faults-test/out");
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find("cannot create directory"), std::string::npos) << o.err;
}

/// Every field of a CSV or JSON text that spells a non-finite number.
std::vector<std::string> non_finite_tokens(const std::string& text) {
  std::vector<std::string> found;
  std::string token;
  const auto flush = [&] {
    std::string lower = token;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!lower.empty() && (lower[0] == '-' || lower[0] == '+')) lower.erase(0, 1);
    if (lower == "nan" || lower == "inf" || lower == "infinity") found.push_back(token);
    token.clear();
  };
  for (const char c : text) {
    if (c == ',' || c == '\n' || c == ':' || c == ' ' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"')
      flush();
    else
      token += c;
  }
  flush();
  return found;
}

/// A valid scenario at the edges of what the format accepts: amounts from 1e-9 to 1e14 USD bn,
/// firms whose equity is exactly zero, eight firms lending to each other in both directions
/// (a complete directed graph of 56 loans), and two firms with no exposures at all.
std::string extreme_scenario() {
  std::ostringstream s;
  s << "format: cascade-scenario/1\n"
       "scenario: {name: extremes}\n"
       "simulation: {horizon_ticks: 24, ticks_per_year: 12, seed: 3}\n"
       "firms:\n"
       "  - {id: huge_bank, type: bank, cash: 1.0e14, other_assets: 1.0e14, debt: 1.9e14, revenue: 1.0e13, opex: "
       "9.0e12}\n"
       "  - {id: tiny_lab, type: ai_lab, cash: 1.0e-9, other_assets: 1.0e-9, debt: 0, revenue: 1.0e-9, opex: 2.0e-9}\n"
       "  - {id: zero_equity_cloud, type: neocloud, cash: 5, hardware: 5, other_assets: 0, debt: 10, equity: 0,"
       " revenue: 1, opex: 1}\n"
       "  - {id: zero_everything, type: private_credit, cash: 0, other_assets: 0, debt: 0, revenue: 0, opex: 0}\n"
       "  - {id: hyper, type: hyperscaler, cash: 50, hardware: 100, other_assets: 100, debt: 80, revenue: 100,"
       " opex: 60, capex: 30}\n"
       "  - {id: chips, type: chipmaker, cash: 30, hardware: 5, other_assets: 40, debt: 5, revenue: 80, opex: 40}\n"
       "  - {id: fund, type: private_credit, cash: 20, other_assets: 20, debt: 10, revenue: 2, opex: 1}\n"
       "  - {id: bonds, type: bond_investor, cash: 40, other_assets: 100, debt: 0, revenue: 5, opex: 1}\n"
       "  - {id: isolated_a, type: bank, cash: 10, other_assets: 10, debt: 5, revenue: 1, opex: 1}\n"
       "  - {id: isolated_b, type: hyperscaler, cash: 1.0e-6, other_assets: 0, debt: 0, revenue: 0, opex: 0}\n"
       "exposures:\n";
  const std::vector<std::string> connected{
      "huge_bank", "tiny_lab", "zero_equity_cloud", "zero_everything", "hyper", "chips", "fund", "bonds"};
  int id = 0;
  for (const std::string& lender : connected)
    for (const std::string& borrower : connected) {
      if (lender == borrower) continue;
      const double amount = lender == "huge_bank" ? 1e12 : lender == "tiny_lab" || borrower == "tiny_lab" ? 1e-9 : 1.5;
      s << "  - {id: L" << ++id << ", kind: loan, from: " << lender << ", to: " << borrower
        << ", status: outstanding, amount: " << amount << ", rate_pct: 5, term_years: 1}\n";
    }
  s << "shocks:\n"
       "  - {id: slump, kind: revenue_multiplier, targets: [hyper, chips, tiny_lab], tick: 3, value: 0.1}\n";
  return s.str();
}

TEST_F(FaultsCli, ExtremeButValidAmountsGiveFiniteNumbersInEveryOutput) {
  std::ofstream(work_ / "extremes.yaml") << extreme_scenario();
  const Outcome o = cascade("run extremes.yaml --out out --audit");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(work_ / "out")) {
    ++files;
    const std::vector<std::string> bad = non_finite_tokens(read_file(entry.path()));
    EXPECT_TRUE(bad.empty()) << entry.path().filename() << " holds " << bad.size() << " non-finite values, e.g. "
                             << bad.front();
  }
  EXPECT_GE(files, 6u);
  EXPECT_TRUE(non_finite_tokens(o.out).empty()) << o.out;
}

}  // namespace
