// End-to-end tests of `cascade design`, `cascade sweep` and `cascade merge`: validation before
// anything runs, identical results at any thread count and shard layout, resumption after
// SIGKILL, SIGINT and SIGTERM, and refusals with clear messages.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/tools/data";
const std::vector<std::string> kResultFiles{"results.csv", "aggregate.csv", "failures.csv", "results.sqlite"};

/// Marks the complete sweep in `dir` with another status, as an attempt that did not finish leaves it.
void set_status(const fs::path& dir, const std::string& status) {
  std::string manifest = read_file(dir / "manifest.json");
  manifest.replace(manifest.find("\"status\": \"complete\""), 20, "\"status\": \"" + status + "\"");
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << manifest;
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

class SweepCli : public cascade::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    fs::copy_file(kData / "small.yaml", work_ / "small.yaml");
    fs::copy_file(kData / "sweep-small.yaml", work_ / "sweep.yaml");
    fs::copy_file(kData / "sweep-long.yaml", work_ / "long.yaml");
  }
  void expect_same_results(const fs::path& a, const fs::path& b) const { expect_same_files(a, b, kResultFiles); }
};

TEST_F(SweepCli, DesignWritesEveryRunPlanAndRunsNothing) {
  const Outcome o = cascade("design sweep.yaml --out plans/design.csv");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string csv = read_file(work_ / "plans/design.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "run_id,point,replicate,seed,parameters.fire_sale_price_impact,"
            "agent_defaults.ai_lab.equity_raise_usd_bn_per_year,shocks.lab-demand-slump.value");
  EXPECT_EQ(line_count(csv), 1u + 40 * 3);
  EXPECT_NE(o.out.find("120 runs (40 points x 3 replications"), std::string::npos) << o.out;
  EXPECT_EQ(cascade("design sweep.yaml --out plans/design.csv").exit_code, 2);  // exists: refused
}

TEST_F(SweepCli, TheMinimalPureDesignFromTheDocsWorksAsWritten) {
  std::ofstream(work_ / "ishigami.yaml") << "parameters:\n"
                                            "  - path: x1\n    min: -3.141592653589793\n    max: 3.141592653589793\n"
                                            "design: {method: saltelli, samples: 4096, seed: 1}\n";
  const Outcome o = cascade("design ishigami.yaml --out design.csv");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // Saltelli with k = 1: N (k + 2) = 4096 x 3 points.
  EXPECT_EQ(line_count(read_file(work_ / "design.csv")), 1u + 4096 * 3);
  // Without a scenario there is nothing for `sweep` to run: it says what to do instead.
  const Outcome s = cascade("sweep ishigami.yaml --out out");
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_NE(s.err.find("cascade design"), std::string::npos) << s.err;
  EXPECT_FALSE(fs::exists(work_ / "out"));
}

/// Reads a CSV written by Cascade (no quoted commas) into rows of cells.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    rows.emplace_back();
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) rows.back().push_back(cell);
  }
  return rows;
}

TEST_F(SweepCli, DesignThenAnyModelThenAnalyzeGivesTheIshigamiIndices) {
  // SALib's workflow: sample (cascade design), evaluate a model outside Cascade (here the
  // Ishigami function, a = 7, b = 0.1), analyse (cascade analyze SWEEP --results).
  std::ofstream(work_ / "ishigami.yaml") << "parameters:\n"
                                            "  - {path: x1, min: -3.141592653589793, max: 3.141592653589793}\n"
                                            "  - {path: x2, min: -3.141592653589793, max: 3.141592653589793}\n"
                                            "  - {path: x3, min: -3.141592653589793, max: 3.141592653589793}\n"
                                            "design: {method: saltelli, samples: 4096, seed: 1}\n";
  ASSERT_EQ(cascade("design ishigami.yaml --out design.csv").exit_code, 0);
  const auto design = csv_rows(read_file(work_ / "design.csv"));
  ASSERT_EQ(design[0], (std::vector<std::string>{"run_id", "point", "replicate", "seed", "x1", "x2", "x3"}));
  std::ofstream y(work_ / "y.csv");
  y << "run_id,y\n";
  y.precision(17);
  for (std::size_t r = 1; r < design.size(); ++r) {
    const double x1 = std::stod(design[r][4]), x2 = std::stod(design[r][5]), x3 = std::stod(design[r][6]);
    y << design[r][0] << ',' << std::sin(x1) + 7 * std::pow(std::sin(x2), 2) + 0.1 * std::pow(x3, 4) * std::sin(x1) << '\n';
  }
  y.close();
  const Outcome o = cascade("analyze ishigami.yaml --results y.csv --out analysis");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto indices = csv_rows(read_file(work_ / "analysis/sensitivity.csv"));
  ASSERT_EQ(indices.size(), 4u);
  EXPECT_EQ(indices[0], (std::vector<std::string>{"output", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"}));
  // Analytic values (Ishigami and Homma 1990; Saltelli et al. 2008): S1 = (0.3139, 0.4424, 0),
  // ST = (0.5576, 0.4424, 0.2437). Tolerance 0.03, as tests/engine/sweep/sensitivity_test.cc
  // justifies for N = 4096; each true value also lies in its 95% interval.
  const double s1[] = {0.3139, 0.4424, 0.0}, st[] = {0.5576, 0.4424, 0.2437};
  for (int i = 0; i < 3; ++i) {
    const auto& row = indices[i + 1];
    EXPECT_EQ(row[1], "x" + std::to_string(i + 1));
    EXPECT_NEAR(std::stod(row[2]), s1[i], 0.03) << row[1];
    EXPECT_NEAR(std::stod(row[5]), st[i], 0.03) << row[1];
    EXPECT_LE(std::stod(row[3]), s1[i]);
    EXPECT_GE(std::stod(row[4]), s1[i]);
    EXPECT_LE(std::stod(row[6]), st[i]);
    EXPECT_GE(std::stod(row[7]), st[i]);
  }
  EXPECT_TRUE(fs::exists(work_ / "analysis/sensitivity.json"));
  const std::string svg = read_file(work_ / "analysis/sensitivity-y.svg");
  EXPECT_NE(svg.find("class=\"bar\""), std::string::npos);

  // The same results with every field quoted, as R's write.csv writes them (RFC 4180): the same
  // indices. A directory given as the results file is bad input.
  std::ofstream quoted_y(work_ / "quoted.csv");
  for (const auto& row : csv_rows(read_file(work_ / "y.csv"))) quoted_y << '"' << row[0] << "\",\"" << row[1] << "\"\n";
  quoted_y.close();
  ASSERT_EQ(cascade("analyze ishigami.yaml --results quoted.csv --out quoted").exit_code, 0);
  EXPECT_EQ(read_file(work_ / "quoted/sensitivity.csv"), read_file(work_ / "analysis/sensitivity.csv"));
  // Rows for a small part of the design are refused before the analysis allocates per run.
  std::ofstream(work_ / "few.csv") << "run_id,y\n0,1\n1,2\n";
  const Outcome few = cascade("analyze ishigami.yaml --results few.csv --out few");
  EXPECT_EQ(few.exit_code, 2) << few.err;
  EXPECT_NE(few.err.find("has rows for 2 of the 20,480 runs of the design"), std::string::npos) << few.err;
  const Outcome dir = cascade("analyze ishigami.yaml --results analysis");
  EXPECT_EQ(dir.exit_code, 2) << dir.err;
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
}

TEST_F(SweepCli, AFailedReplicateRemovesItsWholePoint) {
  // docs/sensitivity.md: a failed run (no row, or a NaN output) removes its whole base sample, not
  // just itself from the point's mean. With 2 replicates, runs 4 and 5 are point 2's: dropping
  // run 5, setting it to nan, or dropping both must give the same indices.
  std::ofstream(work_ / "two.yaml") << "parameters:\n"
                                       "  - {path: a, min: 0, max: 1}\n"
                                       "  - {path: b, min: 0, max: 1}\n"
                                       "replications: 2\n"
                                       "design: {method: saltelli, samples: 64, seed: 3}\n";
  ASSERT_EQ(cascade("design two.yaml --out design.csv").exit_code, 0);
  const auto design = csv_rows(read_file(work_ / "design.csv"));
  const auto write = [&](const std::string& name, auto&& y_of_run) {
    std::ofstream out(work_ / name);
    out << "run_id,y\n";
    for (std::size_t r = 1; r < design.size(); ++r)
      if (const std::string y = y_of_run(std::stoul(design[r][0]), std::stod(design[r][4]), std::stod(design[r][5]));
          !y.empty())
        out << design[r][0] << ',' << y << '\n';
  };
  // A different value per replicate, so that averaging over one replicate would show.
  const auto y = [](std::size_t run, double a, double b) {
    return std::to_string(a + 2 * b * b + 0.1 * static_cast<double>(run % 2));
  };
  write("one_missing.csv", [&](std::size_t run, double a, double b) { return run == 5 ? "" : y(run, a, b); });
  write("one_nan.csv", [&](std::size_t run, double a, double b) { return run == 5 ? "nan" : y(run, a, b); });
  write("point_missing.csv", [&](std::size_t run, double a, double b) { return run / 2 == 2 ? "" : y(run, a, b); });
  for (const char* name : {"one_missing", "one_nan", "point_missing"})
    ASSERT_EQ(cascade(std::string("analyze two.yaml --results ") + name + ".csv --out " + name).exit_code, 0) << name;
  const std::string expected = read_file(work_ / "point_missing/sensitivity.csv");
  EXPECT_EQ(read_file(work_ / "one_missing/sensitivity.csv"), expected);
  EXPECT_EQ(read_file(work_ / "one_nan/sensitivity.csv"), expected);
  EXPECT_NE(read_file(work_ / "one_nan/sensitivity.json").find("\"base_samples_used\": 63"), std::string::npos);
}

TEST_F(SweepCli, AMorrisSweepOfTheScenarioIsAnalysedFromItsDirectory) {
  std::ofstream(work_ / "morris.yaml") << "scenario: small.yaml\n"
                                          "parameters:\n"
                                          "  - {path: parameters.fire_sale_price_impact, min: 0.5, max: 3}\n"
                                          "  - {path: shocks.lab-demand-slump.value, min: 0.05, max: 0.9}\n"
                                          "  - {path: parameters.liquidation_hardware_fraction, min: 0.2, max: 0.8}\n"
                                          "design: {method: morris, samples: 12, levels: 4, seed: 4}\n"
                                          "outputs: [system_equity_loss_usd_bn, defaults]\n";
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out m").exit_code, 0);
  const Outcome o = cascade("analyze m");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto rows = csv_rows(read_file(work_ / "m/sensitivity.csv"));
  EXPECT_EQ(rows[0], (std::vector<std::string>{"output", "parameter", "mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"}));
  EXPECT_EQ(rows.size(), 1u + 2 * 3);
  for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_GE(std::stod(rows[r][3]), std::abs(std::stod(rows[r][2])));  // mu* >= |mu|
  EXPECT_TRUE(fs::exists(work_ / "m/sensitivity-system_equity_loss_usd_bn.svg"));
  EXPECT_NE(o.out.find("(12 of 12 trajectories used)"), std::string::npos) << o.out;
  // A sweep without `name:` is named after its file, morris.yaml, not after the directory's copy
  // sweep.yaml (docs/sweep-format.md, `name`).
  EXPECT_NE(read_file(work_ / "m/sensitivity.json").find("\"sweep\": \"morris\""), std::string::npos);
  // A design other than saltelli or morris has no indices to compute.
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out mc").exit_code, 0);
  const Outcome mc = cascade("analyze mc");
  EXPECT_EQ(mc.exit_code, 2);
  EXPECT_NE(mc.err.find("saltelli design"), std::string::npos) << mc.err;
}

TEST_F(SweepCli, AnalyzeReadsAScenarioSweepFilesResultsAndNamesTheNextStepForAShardOrASweepOfSeeds) {
  std::ofstream(work_ / "morris.yaml") << "scenario: small.yaml\n"
                                          "parameters:\n"
                                          "  - {path: parameters.fire_sale_price_impact, min: 0.5, max: 3}\n"
                                          "  - {path: shocks.lab-demand-slump.value, min: 0.05, max: 0.9}\n"
                                          "design: {method: morris, samples: 6, levels: 4, seed: 4}\n"
                                          "outputs: [defaults, credit_loss_by_holder_type]\n";
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out m").exit_code, 0);
  ASSERT_EQ(cascade("analyze m --out from-dir").exit_code, 0);
  // The sweep file with its own results: `credit_loss_by_holder_type` is a group of columns
  // (credit_loss_<type>_usd_bn), which was looked for as one column and refused.
  const Outcome file = cascade("analyze morris.yaml --results m/results.csv --out from-file");
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(read_file(work_ / "from-file/sensitivity.csv"), read_file(work_ / "from-dir/sensitivity.csv"));
  // A shard has no results.csv of its own: it was called unfinished, and rerunning the sweep
  // command, as advised, answered that it was complete.
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out s0 --shard 0/2").exit_code, 0);
  const Outcome shard = cascade("analyze s0");
  EXPECT_EQ(shard.exit_code, 2);
  EXPECT_NE(shard.err.find("'s0' is shard 0/2 of a sweep: combine every shard directory with `cascade merge"),
            std::string::npos)
      << shard.err;
  // Replicates of one scenario have no parameters to rank; the message said "monte-carlo".
  std::ofstream(work_ / "seeds.yaml") << "scenario: small.yaml\nreplications: 3\noutputs: [defaults]\n";
  ASSERT_EQ(cascade("sweep seeds.yaml --quiet --out seeds").exit_code, 0);
  const Outcome seeds = cascade("analyze seeds");
  EXPECT_EQ(seeds.exit_code, 2);
  EXPECT_NE(seeds.err.find("this sweep has no parameters"), std::string::npos) << seeds.err;
  const Outcome missing = cascade("analyze no-such-dir");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("'no-such-dir' does not exist"), std::string::npos) << missing.err;
}

TEST_F(SweepCli, AnalyzeAndMergeUseOnlyTheFilesTheSweepWrote) {
  std::ofstream(work_ / "morris.yaml") << "scenario: small.yaml\n"
                                          "parameters:\n"
                                          "  - {path: parameters.fire_sale_price_impact, min: 0.5, max: 3}\n"
                                          "  - {path: shocks.lab-demand-slump.value, min: 0.05, max: 0.9}\n"
                                          "design: {method: morris, samples: 6, levels: 4, seed: 4}\n"
                                          "outputs: [defaults, system_equity_loss_usd_bn]\n";
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out m").exit_code, 0);
  const std::string results = read_file(work_ / "m/results.csv");
  // results.csv cut in its last number (a copy stopped by a full quota), then one digit changed
  // (the same size): both were analysed, exit 0, with other indices.
  std::string changed = results;
  changed[changed.rfind(',') + 1] = changed[changed.rfind(',') + 1] == '1' ? '2' : '1';
  for (const std::string& damaged : {results.substr(0, results.size() - 3), changed}) {
    std::ofstream(work_ / "m/results.csv", std::ios::binary | std::ios::trunc) << damaged;
    const Outcome o = cascade("analyze m");
    EXPECT_EQ(o.exit_code, 2) << o.out;
    EXPECT_NE(o.err.find("is not the file the sweep wrote: results.csv has"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("run the same `cascade sweep` command"), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(work_ / "m/sensitivity.csv"));
  }
  // As advised: the sweep writes it again from its journal, and analyze reads it.
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out m").exit_code, 0);
  EXPECT_EQ(read_file(work_ / "m/results.csv"), results);
  EXPECT_EQ(cascade("analyze m").exit_code, 0);
  // A later attempt that did not finish (its manifest no longer records the files) is not read.
  set_status(work_ / "m", "failed");
  Outcome o = cascade("analyze m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("'m' is not complete (its manifest says failed)"), std::string::npos) << o.err;
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out m --force").exit_code, 0);

  // The directory's copy of the sweep file is where analyze and merge read the design from.
  std::ofstream(work_ / "m/sweep.yaml", std::ios::app) << "# edited\n";
  o = cascade("analyze m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("is not the sweep file this sweep ran"), std::string::npos) << o.err;
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out s0 --shard 0/2").exit_code, 0);
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out s1 --shard 1/2").exit_code, 0);
  std::ofstream(work_ / "s0/sweep.yaml", std::ios::app) << "# edited\n";
  o = cascade("merge s0 s1 --out merged");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("'s0/sweep.yaml' is not the sweep file this sweep ran"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "merged"));
  // A merged directory has no journal: its results.csv is written again by merging again.
  ASSERT_EQ(cascade("sweep morris.yaml --quiet --out s0 --shard 0/2 --force").exit_code, 0);
  ASSERT_EQ(cascade("merge s0 s1 --out merged").exit_code, 0);
  std::ofstream(work_ / "merged/results.csv", std::ios::app) << "\n";
  o = cascade("analyze merged");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("run the same `cascade merge` command again with --force"), std::string::npos) << o.err;
}

TEST_F(SweepCli, DamagedResultsWithoutAJournalAreRunAgainAndSaySo) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out d").exit_code, 0);
  const std::string results = read_file(work_ / "d/results.csv");
  fs::remove(work_ / "d/journal.cj");  // allowed once the sweep is complete (docs/sweeps.md)
  std::ofstream(work_ / "d/results.csv", std::ios::binary | std::ios::trunc) << results.substr(0, results.size() / 2);
  const Outcome o = cascade("sweep sweep.yaml --quiet --out d");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // It said "written again from the journal" and ran every run again.
  EXPECT_NE(o.err.find("there is no journal.cj to write them again from: every run is run again"), std::string::npos)
      << o.err;
  EXPECT_EQ(read_file(work_ / "d/results.csv"), results);
}

TEST_F(SweepCli, AFullDiskLeavesTheSweepFailedAndTheSameCommandFinishesIt) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out ref").exit_code, 0);
  // A file size limit of 40 KiB, writes beyond it failing with EFBIG (SIGXFSZ ignored): the
  // result files (aggregate.csv is larger) cannot be written, as on a full disk.
  const Outcome full = cascade("sweep sweep.yaml --quiet --out d", "trap '' XFSZ; ulimit -f 40;");
  EXPECT_EQ(full.exit_code, 2);
  EXPECT_NE(full.err.find("File too large"), std::string::npos) << full.err;
  EXPECT_EQ(full.out.find("Sweep "), std::string::npos) << full.out;  // no summary of files not written
  const std::string manifest = read_file(work_ / "d/manifest.json");
  EXPECT_NE(manifest.find("\"status\": \"failed\""), std::string::npos) << manifest;  // it stayed "running"
  EXPECT_NE(manifest.find("File too large"), std::string::npos) << manifest;
  for (const std::string& f : kResultFiles) EXPECT_FALSE(fs::exists(work_ / "d" / (f + ".tmp"))) << f;
  const Outcome again = cascade("sweep sweep.yaml --quiet --out d");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  expect_same_results("ref", "d");
}

TEST_F(SweepCli, AFailedRunsErrorIsTheSameHoweverTheSweepFileIsNamed) {
  // failures.csv named the scenario as the sweep file's path was spelt (sw/tiny.yaml, or
  // /tmp/.../sw/tiny.yaml), so the result files differed between two spellings of one sweep.
  fs::create_directories(work_ / "sw");
  fs::copy_file(fs::path(CASCADE_SOURCE_DIR) / "bench/sweeps/tiny.yaml", work_ / "sw/tiny.yaml");
  std::ofstream(work_ / "sw/fail.yaml")
      << "scenario: tiny.yaml\nset: {simulation.horizon_ticks: 300}\n"
         "parameters:\n  - {path: agent_defaults.hyperscaler.revenue_growth_per_year, "
         "values: [0, 5]}\ndesign: {method: grid}\noutputs: [defaults]\n";
  const Outcome relative = cascade("sweep sw/fail.yaml --out relative --quiet");
  ASSERT_EQ(relative.exit_code, 0) << relative.err;
  EXPECT_NE(relative.out.find("\n  1 run(s) failed (failures.csv); the first: run 1 (point 1, seed "),
            std::string::npos)
      << relative.out;
  ASSERT_EQ(cascade("sweep " + quoted(work_ / "sw/fail.yaml") + " --out absolute --quiet").exit_code, 0);
  const std::string failures = read_file(work_ / "relative/failures.csv");
  EXPECT_EQ(failures, read_file(work_ / "absolute/failures.csv"));
  // Growth of 500% a year over 25 years diverges (docs/robustness.md): the run fails with that reason.
  EXPECT_NE(failures.find(",tiny.yaml: the run diverged: "), std::string::npos) << failures;
  EXPECT_EQ(failures.find(";\n"), std::string::npos) << failures;
}

TEST_F(SweepCli, ResultsAreByteIdenticalAtOneTwoAndEightThreads) {
  for (const char* threads : {"1", "2", "8"}) {
    const Outcome o = cascade(std::string("sweep sweep.yaml --quiet --out t") + threads + " --threads " + threads);
    ASSERT_EQ(o.exit_code, 0) << o.err;
  }
  expect_same_results("t1", "t2");
  expect_same_results("t1", "t8");
  const std::string results = read_file(work_ / "t1/results.csv");
  EXPECT_EQ(line_count(results), 1u + 120);
  EXPECT_NE(results.find(",defaulted_labco,default_tick_neoco,loss_payment_clearing_usd_bn,"), std::string::npos);
  EXPECT_EQ(line_count(read_file(work_ / "t1/aggregate.csv")), 1u + 40);
}

TEST_F(SweepCli, ABuildWithoutMpiStartedAsSeveralMpiProcessesRefuses) {
  // Each process ran the whole sweep; one lost the directory's lock and mpirun then stopped the
  // others, so a sweep longer than that never finished. Open MPI's and PMI's variables say how
  // many processes there are; every rank exits 2 and rank 0 says why.
  if (cascade("--version").out.find("MPI") != std::string::npos) GTEST_SKIP() << "an MPI build runs under mpirun";
  const Outcome rank0 = cascade("sweep sweep.yaml --quiet --out d", "OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0");
  EXPECT_EQ(rank0.exit_code, 2);
  EXPECT_NE(rank0.err.find("built without MPI"), std::string::npos) << rank0.err;
  const Outcome rank1 = cascade("sweep sweep.yaml --quiet --out d", "PMI_SIZE=3 PMI_RANK=1");
  EXPECT_EQ(rank1.exit_code, 2);
  EXPECT_EQ(rank1.err, "");
  EXPECT_FALSE(fs::exists(work_ / "d"));
  // One process, as a batch job's single task sees it: the sweep runs.
  EXPECT_EQ(cascade("sweep sweep.yaml --quiet --out d", "OMPI_COMM_WORLD_SIZE=1").exit_code, 0);
}

TEST_F(SweepCli, AKilledSweepResumesToTheSameBytes) {
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out whole --threads 2").exit_code, 0);
  const std::vector<std::string> args{"sweep", "long.yaml", "--quiet", "--out", "killed", "--threads", "2"};
  // Killed twice, at different points, then left to finish.
  for (std::size_t records : {20u, 300u}) {
    const pid_t pid = start(args);
    ASSERT_TRUE(wait_for_records("killed", records, pid)) << "the sweep finished before it could be killed";
    ::kill(pid, SIGKILL);
    EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
    EXPECT_FALSE(fs::exists(work_ / "killed/results.csv"));
  }
  const Outcome resumed = cascade("sweep long.yaml --quiet --out killed --threads 1");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming"), std::string::npos) << resumed.err;
  expect_same_results("whole", "killed");
  EXPECT_EQ(line_count(read_file(work_ / "killed/results.csv")), 1u + 12000);
}

TEST_F(SweepCli, SigintOrSigtermStopsCleanlyAndTheSameCommandResumes) {
  ASSERT_EQ(cascade("sweep long.yaml --quiet --out whole --threads 2").exit_code, 0);
  for (const int signal : {SIGINT, SIGTERM}) {  // Ctrl-C; a batch system's time limit
    const std::string dir = "stopped-" + std::to_string(signal);
    const pid_t pid = start({"sweep", "long.yaml", "--quiet", "--out", dir});
    ASSERT_TRUE(wait_for_records(dir, 10, pid));
    ::kill(pid, signal);
    EXPECT_EQ(wait_exit(pid), 130) << "signal " << signal;
    const std::string manifest = read_file(work_ / dir / "manifest.json");
    EXPECT_NE(manifest.find("\"status\": \"interrupted\""), std::string::npos) << manifest;
    const Outcome resumed = cascade("sweep long.yaml --quiet --out " + dir + " --threads 2");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    expect_same_results("whole", dir);
  }
}

TEST_F(SweepCli, SigintWhileCheckingThePointsStopsWithNothingWritten) {
  // A job started in the background by a script inherits SIGINT ignored; the sweep's handler was
  // installed only for its runs, so Ctrl-C while it checked 10^7 points was lost and every run
  // ran. Now the check stops, exit code 130, and no directory is made.
  std::ofstream(work_ / "big.yaml") << "scenario: small.yaml\n"
                                       "parameters:\n"
                                       "  - {path: parameters.liquidation_hardware_fraction, min: 0, max: 1}\n"
                                       "design: {method: monte-carlo, samples: 10000000}\n";
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(work_.c_str()) != 0) ::_exit(127);
    ::signal(SIGINT, SIG_IGN);  // as `cascade sweep ... &` from a script
    const int err = ::open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, STDERR_FILENO);
    ::execl(CASCADE_BINARY, CASCADE_BINARY, "sweep", "big.yaml", "--quiet", "--out", "out", nullptr);
    ::_exit(127);
  }
  // The check of 10^7 points takes minutes; SIGINT is ignored until the check's handler is in, so
  // it is sent every 100 ms until the sweep stops (at most a minute).
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(work_ / "err.txt")) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // SIGINT ignored
  while (::waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL() << "SIGINT did not stop the check";
    }
    ::kill(pid, SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(read_file(work_ / "err.txt").find("interrupted while checking the design's points"), std::string::npos)
      << read_file(work_ / "err.txt");
  EXPECT_FALSE(fs::exists(work_ / "out"));
}

TEST_F(SweepCli, AChangedSweepFileOnTheSameDirectoryIsRefused) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out d").exit_code, 0);
  const Outcome again = cascade("sweep sweep.yaml --quiet --out d");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("already complete"), std::string::npos) << again.out;
  std::ofstream(work_ / "sweep.yaml", std::ios::app) << "on_failure: stop\n";
  const Outcome changed = cascade("sweep sweep.yaml --quiet --out d");
  EXPECT_EQ(changed.exit_code, 2);
  EXPECT_NE(changed.err.find("whose sweep.yaml is not this command's"), std::string::npos) << changed.err;
  EXPECT_NE(changed.err.find("--force"), std::string::npos) << changed.err;
}

TEST_F(SweepCli, UnderOnFailureStopTheFailedRunIsRunAgainByTheSameCommand) {
  // Run 1 diverges (hyperscaler revenue x6 a year for 25 years). Its chunk was journaled as done,
  // so the same command then finished the sweep (exit 0) without running it again; "the same
  // command resumes once the cause is fixed" (docs/sweeps.md) needs it run again, and while it
  // still fails the sweep stops again.
  std::ofstream(work_ / "stop.yaml")
      << "scenario: small.yaml\n"
         "set: {simulation.horizon_ticks: 300}\n"
         "parameters:\n"
         "  - {path: agent_defaults.hyperscaler.revenue_growth_per_year, values: [0, 5]}\n"
         "design: {method: grid}\n"
         "on_failure: stop\n"
         "outputs: [defaults]\n";
  for (int attempt = 0; attempt < 2; ++attempt) {
    const Outcome o = cascade("sweep stop.yaml --quiet --out s");
    EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
    EXPECT_NE(o.err.find("stopped: run 1 (point 1"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("the run diverged"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("1 of 2 runs are kept"), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(work_ / "s/results.csv"));
    const std::string journal = read_file(work_ / "s/journal.cj");
    EXPECT_NE(journal.find("\nR0,"), std::string::npos) << journal;
    EXPECT_EQ(journal.find("R1,"), std::string::npos) << journal;
  }
}

TEST_F(SweepCli, ADirectoryOfSomethingElseIsLeftAsItWas) {
  fs::create_directories(work_ / "notes");
  std::ofstream(work_ / "notes/data.txt") << "mine\n";
  const Outcome o = cascade("sweep sweep.yaml --quiet --out notes");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("is not empty and holds no sweep"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "notes/.lock"));  // nothing written into it
  EXPECT_EQ(read_file(work_ / "notes/data.txt"), "mine\n");
  // Nor with another program's manifest.json, or one that is not JSON: a lock file was left in it.
  for (const std::string manifest : {R"({"manifest_version": 3})", "garbage"}) {
    std::ofstream(work_ / "notes/manifest.json") << manifest;
    const Outcome again = cascade("sweep sweep.yaml --quiet --out notes --force");
    EXPECT_EQ(again.exit_code, 2) << manifest;
    EXPECT_FALSE(fs::exists(work_ / "notes/.lock")) << manifest;
  }
}

TEST_F(SweepCli, DesignWritesOnlyItsOwnFile) {
  // The design went through FILE.tmp, replacing a file of that name; a directory as --out gave a
  // raw filesystem error; /dev/stdout was "already exists".
  std::ofstream(work_ / "d.csv.tmp") << "precious";
  ASSERT_EQ(cascade("design sweep.yaml --out d.csv").exit_code, 0);
  EXPECT_EQ(read_file(work_ / "d.csv.tmp"), "precious");
  fs::create_directory(work_ / "dir");
  const Outcome dir = cascade("design sweep.yaml --out dir --force");
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_NE(dir.err.find("--out 'dir' is a directory; give the CSV file to write"), std::string::npos) << dir.err;
  // Written in place through the link (here to the file the test captures stdout in, so --force).
  const Outcome out = cascade("design sweep.yaml --out /dev/stdout --force");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, read_file(work_ / "d.csv"));
}

TEST_F(SweepCli, ADamagedManifestIsStartedAgainOnlyWithForce) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out d").exit_code, 0);
  std::ofstream(work_ / "d/manifest.json", std::ios::trunc) << "{\"kind\": \"cascade-swe";
  const Outcome refused = cascade("sweep sweep.yaml --quiet --out d");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("not a readable sweep manifest"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  const Outcome forced = cascade("sweep sweep.yaml --quiet --out d --force");
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out fresh").exit_code, 0);
  expect_same_results("fresh", "d");
  // Without a journal the directory may be anything: --force does not replace it.
  fs::create_directories(work_ / "other");
  std::ofstream(work_ / "other/manifest.json") << "not json";
  EXPECT_EQ(cascade("sweep sweep.yaml --quiet --out other --force").exit_code, 2);
  EXPECT_TRUE(fs::exists(work_ / "other/manifest.json"));
}

TEST_F(SweepCli, AnInvalidPointIsReportedAtItsParameterBeforeAnythingRuns) {
  std::ofstream(work_ / "bad.yaml") << "scenario: small.yaml\n"
                                       "parameters:\n"
                                       "  - path: parameters.liquidation_hardware_fraction\n"
                                       "    min: 0.5\n"
                                       "    max: 1.5\n"
                                       "design: {method: latin-hypercube, samples: 20, seed: 2}\n";
  const Outcome o = cascade("sweep bad.yaml --quiet --out out");
  EXPECT_EQ(o.exit_code, 2);
  // Values above 1 are outside the fraction's range: about half the points.
  EXPECT_NE(o.err.find("bad.yaml:3:5: parameters[0]: at point"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("must be between 0 and 1"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("points make the scenario invalid; nothing was run"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "out"));
}

TEST_F(SweepCli, ShardsMergeIntoTheSingleProcessFiles) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out single").exit_code, 0);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out s" + std::to_string(i) + " --shard " + std::to_string(i) + "/3").exit_code, 0);
  const Outcome merged = cascade("merge s0 s1 s2 --out merged");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  expect_same_results("single", "merged");
  // The merged directory is a finished sweep of the same file.
  EXPECT_NE(cascade("sweep sweep.yaml --quiet --out merged").out.find("already complete"), std::string::npos);
}

TEST_F(SweepCli, ShardsComeFromSlurmsArrayVariablesWhetherNumberedFromZeroOrOne) {
  for (int id = 1; id <= 2; ++id)
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out a" + std::to_string(id),
                      "SLURM_ARRAY_TASK_ID=" + std::to_string(id) + " SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=2 "
                      "SLURM_ARRAY_TASK_COUNT=2")
                  .exit_code,
              0);
  for (int id = 0; id <= 1; ++id)
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out z" + std::to_string(id),
                      "SLURM_ARRAY_TASK_ID=" + std::to_string(id) + " SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=1")
                  .exit_code,
              0);
  ASSERT_EQ(cascade("merge a1 a2 --out one-based").exit_code, 0);
  ASSERT_EQ(cascade("merge z1 z0 --out zero-based").exit_code, 0);
  expect_same_results("one-based", "zero-based");
  const Outcome stepped = cascade("sweep sweep.yaml --quiet --out x",
                                  "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_COUNT=3");
  EXPECT_EQ(stepped.exit_code, 2);
  EXPECT_NE(stepped.err.find("step or gaps"), std::string::npos) << stepped.err;
  // Task 2 resubmitted alone (--array=2-2) ran the whole sweep as shard 0/1.
  const Outcome resubmitted = cascade("sweep sweep.yaml --quiet --out shard-2",
                                      "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=2 SLURM_ARRAY_TASK_MAX=2 "
                                      "SLURM_ARRAY_TASK_COUNT=1");
  EXPECT_EQ(resubmitted.exit_code, 2);
  EXPECT_NE(resubmitted.err.find("the Slurm array starts at 2: a resubmission"), std::string::npos) << resubmitted.err;
  EXPECT_FALSE(fs::exists(work_ / "shard-2"));
}

TEST_F(SweepCli, MergeRefusesMissingRepeatedUnfinishedAndForeignShards) {
  for (int i = 0; i < 3; ++i)  // s1 with --force, which the command that finishes it must not repeat
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out s" + std::to_string(i) + " --shard " + std::to_string(i) + "/3" +
                      (i == 1 ? " --force" : ""))
                  .exit_code,
              0);
  Outcome o = cascade("merge s0 s2 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("shard(s) 1 of 3 are missing"), std::string::npos) << o.err;
  o = cascade("merge s0 s1 s2 s1 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("shard 1/3 is given twice"), std::string::npos) << o.err;

  // An unfinished shard: its journal lost its last chunk.
  const fs::path journal = work_ / "s1/journal.cj";
  const std::string bytes = read_file(journal);
  std::ofstream(journal, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.rfind("#chunk "));
  o = cascade("merge s0 s1 s2 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("shard 1/3 in 's1' is unfinished"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("--shard 1/3"), std::string::npos) << o.err;  // the command that finishes it
  // Moved where a space is in its name: the command names where it is now, quoted for a shell
  // (it gave the --out it was started with, unquoted).
  fs::rename(work_ / "s1", work_ / "moved s1");
  o = cascade("merge s0 'moved s1' s2 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--out '" + (work_ / "moved s1").lexically_normal().string() + "' --shard 1/3"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("--force"), std::string::npos) << o.err;  // it would discard the shard's finished runs
  fs::rename(work_ / "moved s1", work_ / "s1");

  std::ofstream(work_ / "other.yaml") << read_file(work_ / "sweep.yaml") << "seed: 99\n";
  ASSERT_EQ(cascade("sweep other.yaml --quiet --out o1 --shard 1/3").exit_code, 0);
  o = cascade("merge s0 o1 s2 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("different sweep file"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "m"));
}

/// Makes the manifest in `dir` name another build than this one ("" removes the field, as in the
/// manifests of builds before it was recorded).
void pretend_another_build(const fs::path& dir, const std::string& build) {
  std::string text = read_file(dir / "manifest.json");
  const std::string key = "\"cascade_build\": \"";
  const std::size_t at = text.find(key);
  ASSERT_NE(at, std::string::npos) << text;
  const std::size_t end = text.find('"', at + key.size());
  text.replace(at, end + 1 - at, build.empty() ? "\"no_build\": \"\"" : key + build + "\"");
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << text;
}

TEST_F(SweepCli, AnotherBuildsSweepIsNeitherResumedNorMerged) {
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out d").exit_code, 0);
  for (const std::string other : {"0123456789abcdef", ""}) {
    pretend_another_build(work_ / "d", other);
    const std::string named = other.empty() ? "unrecorded" : other;
    // Complete, its results stand (they are that build's, and said to be).
    const Outcome complete = cascade("sweep sweep.yaml --quiet --out d");
    EXPECT_EQ(complete.exit_code, 0) << complete.err;
    EXPECT_NE(complete.out.find("already complete (120 runs, by build " + named +
                                "); pass --force to run it again with this build"),
              std::string::npos)
        << complete.out;
    // Unfinished, resuming would mix its rows and this build's in one set of result files.
    set_status(work_ / "d", "interrupted");
    const Outcome o = cascade("sweep sweep.yaml --quiet --out d");
    EXPECT_EQ(o.exit_code, 2) << o.out;
    EXPECT_NE(o.err.find("another build of Cascade (build " + (other.empty() ? "unrecorded" : other)),
              std::string::npos)
        << o.err;
    EXPECT_NE(o.err.find("--force"), std::string::npos) << o.err;
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out d --force").exit_code, 0);  // started again by this build
  }
  // Merging: shards of two builds.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out s" + std::to_string(i) + " --shard " + std::to_string(i) + "/3")
                  .exit_code,
              0);
  pretend_another_build(work_ / "s1", "0123456789abcdef");
  const Outcome o = cascade("merge s0 s1 s2 --out m");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("'s1' was written by another build of Cascade than 's0'"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "m"));
}

TEST_F(SweepCli, MergeForceReplacesOnlyAnEarlierMerge) {
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out s" + std::to_string(i) + " --shard " + std::to_string(i) + "/2")
                  .exit_code,
              0);
  fs::create_directories(work_ / "thesis");
  std::ofstream(work_ / "thesis/chapter1.tex") << "keep me\n";
  const std::string journal = read_file(work_ / "s0/journal.cj");
  for (const char* out : {"thesis", "s0", "./s1/"}) {
    SCOPED_TRACE(out);
    const Outcome o = cascade(std::string("merge s0 s1 --force --out ") + out);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_NE(o.err.find("--out"), std::string::npos) << o.err;
  }
  EXPECT_EQ(read_file(work_ / "thesis/chapter1.tex"), "keep me\n");
  EXPECT_EQ(read_file(work_ / "s0/journal.cj"), journal);
  ASSERT_EQ(cascade("merge s0 s1 --out merged").exit_code, 0);
  const Outcome again = cascade("merge s0 s1 --out merged --force");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  fs::create_directories(work_ / "empty");
  EXPECT_EQ(cascade("merge s0 s1 --out empty --force").exit_code, 0);
}

TEST_F(SweepCli, ASecondProcessOnTheSameDirectoryIsRefused) {
  const pid_t pid = start({"sweep", "long.yaml", "--quiet", "--out", "shared"});
  ASSERT_TRUE(wait_for_records("shared", 1, pid));
  const Outcome second = cascade("sweep long.yaml --quiet --out shared");
  ::kill(pid, SIGKILL);
  wait_exit(pid);
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("another process is writing"), std::string::npos) << second.err;
}

}  // namespace
