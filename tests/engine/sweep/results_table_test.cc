// A sweep's result files: the same bytes however the chunks were recorded (order, journals),
// and per-point statistics computed by hand.
#include "engine/sweep/results_table.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <random>
#include <sstream>

namespace {
namespace fs = std::filesystem;
using namespace cascade::sweep;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A grid over one discrete parameter {a, b, c} (with a quoted value) and one continuous
/// parameter at 2 levels, 4 replications: 6 points, 24 runs.
SweepSpec grid_spec() {
  SweepSpec s;
  s.name = "grid";
  s.parameters.push_back({.path = "mode", .distribution = {.kind = DistributionKind::discrete, .values = {"a", "b,c", "d"}}});
  s.parameters.push_back({.path = "x", .distribution = {.kind = DistributionKind::uniform, .min = 1.0, .max = 2.0},
                          .grid_levels = 2});
  s.design = {.method = DesignMethod::grid};
  s.replications = 4;
  s.seed = 9;
  return s;
}

const std::vector<MetricSet::Column> kOutputs{{"y", "USD bn"}, {"z", "firms"}};

/// Output values of run r: y = r (so each point's replicates are 4p..4p+3), z = `z`; run 5 fails.
std::string chunk_payload(const SweepPlan& plan, std::uint64_t chunk, double z = 1.0) {
  std::string payload;
  for (std::uint64_t r = plan.chunk_begin(chunk); r < plan.chunk_end(chunk); ++r) {
    if (r == 5) {
      append_failed_row(payload, plan.run(r), kOutputs.size(), "audit failed,\non purpose");
      continue;
    }
    const std::vector<double> out{static_cast<double>(r), z};
    append_run_row(payload, plan.run(r), out);
  }
  return payload;
}

/// The cells after `prefix` in the line of `csv` that starts with it.
std::vector<double> row_of(const std::string& csv, const std::string& prefix) {
  const std::size_t at = csv.find("\n" + prefix);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + 1 + prefix.size(), end = csv.find('\n', begin);
  std::vector<double> out;
  std::stringstream cells(csv.substr(begin, end - begin));
  for (std::string cell; std::getline(cells, cell, ',');) out.push_back(std::stod(cell));
  return out;
}
/// Hand-computed statistics, to a few ulps (the file holds the double the arithmetic gives).
void expect_row(const std::vector<double>& row, const std::vector<double>& expected) {
  ASSERT_EQ(row.size(), expected.size());
  for (std::size_t i = 0; i < row.size(); ++i) EXPECT_NEAR(row[i], expected[i], 1e-12 * std::max(1.0, std::abs(expected[i]))) << i;
}

class ResultsTable : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cascade-results-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ResultsTable, FilesAreTheSameWhateverOrderAndJournalTheChunksCameFrom) {
  const SweepPlan plan(grid_spec());
  ASSERT_EQ(plan.run_count(), 24u);
  ASSERT_EQ(plan.chunk_runs(), 1u);  // 24 runs: one run per chunk
  const SweepInfo info{.version = "test", .name = "grid", .scenario_file = "", .scenario_hash = ""};
  FailedRuns ordered, shuffled;

  fs::create_directories(dir_ / "ordered");
  {
    Journal j = Journal::open(dir_ / "ordered/journal.cj");
    for (std::uint64_t c = 0; c < plan.chunk_count(); ++c) j.append({c, plan.chunk_begin(c), plan.chunk_end(c)}, chunk_payload(plan, c));
    const Journal* js[] = {&j};
    ordered = write_sweep_results(plan, kOutputs, js, info, dir_ / "ordered");
  }
  // The same chunks shuffled over two journals, with one chunk recorded in both.
  fs::create_directories(dir_ / "shuffled");
  {
    std::vector<std::uint64_t> order(plan.chunk_count());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));
    Journal a = Journal::open(dir_ / "shuffled/a.cj");
    Journal b = Journal::open(dir_ / "shuffled/b.cj");
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::uint64_t c = order[i];
      (i % 2 ? a : b).append({c, plan.chunk_begin(c), plan.chunk_end(c)}, chunk_payload(plan, c));
    }
    a.append({order[0], plan.chunk_begin(order[0]), plan.chunk_end(order[0])}, chunk_payload(plan, order[0]));
    const Journal* js[] = {&a, &b};
    shuffled = write_sweep_results(plan, kOutputs, js, info, dir_ / "shuffled");
  }
  for (std::string_view f : kSweepResultFiles)
    EXPECT_EQ(read_file(dir_ / "ordered" / f), read_file(dir_ / "shuffled" / f)) << f;
  // The failed runs counted are those of every journal, as a resumed sweep's attempts or merged
  // shards leave them, not of one.
  EXPECT_EQ(ordered.count, 1u);
  EXPECT_EQ(shuffled.count, ordered.count);
  EXPECT_EQ(shuffled.first, ordered.first);
}

TEST_F(ResultsTable, RowsStatisticsAndFailuresAreAsDocumented) {
  const SweepPlan plan(grid_spec());
  Journal j = Journal::open(dir_ / "journal.cj");
  for (std::uint64_t c = 0; c < plan.chunk_count(); ++c) j.append({c, plan.chunk_begin(c), plan.chunk_end(c)}, chunk_payload(plan, c));
  const Journal* js[] = {&j};
  const FailedRuns failed = write_sweep_results(plan, kOutputs, js, {.version = "test", .name = "grid"}, dir_);

  const std::string results = read_file(dir_ / "results.csv");
  EXPECT_EQ(results.substr(0, results.find('\n')), "run_id,point,replicate,seed,mode,x,y,z");
  // Run 5 is point 1 (runs 4..7), replicate 1: grid point 1 = (mode 'a', x at level 1 = 2).
  const RunPlan r5 = plan.run(5);
  EXPECT_NE(results.find("\n5,1,1," + std::to_string(r5.seed) + ",a,2,,\n"), std::string::npos);
  // A value holding a comma is quoted (RFC 4180).
  EXPECT_NE(results.find(",\"b,c\",1,"), std::string::npos);
  EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 25);

  EXPECT_EQ(read_file(dir_ / "failures.csv"), "run_id,point,replicate,seed,error\n5,1,1," + std::to_string(r5.seed) +
                                                   ",\"audit failed, on purpose\"\n");
  // What the command prints: the count and the first failed run, as the runner describes it.
  EXPECT_EQ(failed.count, 1u);
  EXPECT_EQ(failed.first, "run 5 (point 1, seed " + std::to_string(r5.seed) + "): audit failed, on purpose");

  const std::string aggregate = read_file(dir_ / "aggregate.csv");
  EXPECT_EQ(aggregate.substr(0, aggregate.find('\n')),
            "point,mode,x,runs,failed,y_mean,y_sd,y_q05,y_q50,y_q95,z_mean,z_sd,z_q05,z_q50,z_q95");
  EXPECT_EQ(std::count(aggregate.begin(), aggregate.end(), '\n'), 7);
  // Point 0: y = 0, 1, 2, 3. Mean 1.5; sd sqrt((1.5^2 + 0.5^2 + 0.5^2 + 1.5^2) / 3) = sqrt(5/3);
  // type-7 quantiles at h = 3p: q05 = 0.15, q50 = 1.5, q95 = 2.85. z = 1 always: sd 0.
  expect_row(row_of(aggregate, "0,a,1,4,0,"), {1.5, std::sqrt(5.0 / 3.0), 0.15, 1.5, 2.85, 1, 0, 1, 1, 1});
  // Point 1: run 5 failed; y = 4, 6, 7 from the others: mean 17/3, sd sqrt(((5/3)^2 + (1/3)^2 +
  // (4/3)^2) / 2) = sqrt(7/3); h = 2p: q05 = 4 + 0.1 x 2 = 4.2, q50 = 6, q95 = 6 + 0.9 x 1 = 6.9.
  expect_row(row_of(aggregate, "1,a,2,4,1,"), {17.0 / 3.0, std::sqrt(7.0 / 3.0), 4.2, 6, 6.9, 1, 0, 1, 1, 1});
  EXPECT_FALSE(fs::exists(dir_ / "results.csv.tmp"));
}

TEST_F(ResultsTable, TheDatabaseHoldsTheAggregateRowsAsTheCsvShowsThem) {
  // z = 0.1 in every run: point 1's three runs (run 5 failed) average to 0.10000000000000002
  // in doubles, so their sd is about 1.7e-17, round-off that aggregate.csv writes as 0 (an
  // amount below 1e-9) and the database held as it was.
  const SweepPlan plan(grid_spec());
  Journal j = Journal::open(dir_ / "journal.cj");
  for (std::uint64_t c = 0; c < plan.chunk_count(); ++c)
    j.append({c, plan.chunk_begin(c), plan.chunk_end(c)}, chunk_payload(plan, c, 0.1));
  const Journal* js[] = {&j};
  write_sweep_results(plan, kOutputs, js, {.version = "test", .name = "grid"}, dir_);
  const std::string aggregate = read_file(dir_ / "aggregate.csv");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* rows = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT * FROM aggregate ORDER BY point", -1, &rows, nullptr), SQLITE_OK);
  int points = 0;
  while (sqlite3_step(rows) == SQLITE_ROW) {
    const std::string point = std::to_string(sqlite3_column_int64(rows, 0));
    // The CSV's statistics: the cells after point, mode, x, runs and failed.
    const std::size_t at = aggregate.find("\n" + point + ",");
    ASSERT_NE(at, std::string::npos) << point;
    std::vector<std::string> cells;
    std::stringstream line(aggregate.substr(at + 1, aggregate.find('\n', at + 1) - at - 1));
    std::string cell;
    while (std::getline(line, cell, ',')) cells.push_back(cell);
    if (cells[1].front() == '"') cells.erase(cells.begin() + 2);  // "b,c" split in two
    const int columns = sqlite3_column_count(rows);
    ASSERT_EQ(static_cast<std::size_t>(columns), cells.size()) << point;
    for (int c = 5; c < columns; ++c) {
      if (cells[c].empty()) {
        EXPECT_EQ(sqlite3_column_type(rows, c), SQLITE_NULL) << point << " column " << c;
        continue;
      }
      EXPECT_EQ(sqlite3_column_double(rows, c), std::stod(cells[c])) << point << " column " << c;
    }
    ++points;
  }
  sqlite3_finalize(rows);
  sqlite3_close(db);
  EXPECT_EQ(points, 6);
  EXPECT_NE(aggregate.find("\n1,a,2,4,1,"), std::string::npos);
}

TEST_F(ResultsTable, AMissingChunkIsReportedNotSkipped) {
  const SweepPlan plan(grid_spec());
  Journal j = Journal::open(dir_ / "journal.cj");
  for (std::uint64_t c = 0; c < plan.chunk_count(); ++c)
    if (c != 7) j.append({c, plan.chunk_begin(c), plan.chunk_end(c)}, chunk_payload(plan, c));
  const Journal* js[] = {&j};
  EXPECT_EQ(missing_chunks(plan, js), std::vector<std::uint64_t>{7});
  EXPECT_THROW(write_sweep_results(plan, kOutputs, js, {.version = "test", .name = "grid"}, dir_), JournalError);
  EXPECT_FALSE(fs::exists(dir_ / "results.csv"));
}

}  // namespace
