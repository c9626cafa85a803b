// The sweep documentation agrees with the code: the output catalogue of docs/sweep-format.md is
// `metric_catalogue()` row for row, its default outputs are `default_outputs()`, the minimal
// sweep file and the example sweeps of docs/examples/ run as shown (with small sample counts),
// the Python snippet of docs/sweeps.md reads a real sweep directory, and the Slurm array
// template resubmits failed tasks as tools/slurm/README.md says.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/types.h"
#include "engine/sim/records.h"
#include "engine/sweep/metrics.h"
#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kRoot = CASCADE_SOURCE_DIR;

/// The cells of a Markdown table row, trimmed ("| a | b |" -> {"a", "b"}).
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::stringstream in(row.substr(1));
  for (std::string cell; std::getline(in, cell, '|');) {
    const std::size_t first = cell.find_first_not_of(' '), last = cell.find_last_not_of(' ');
    out.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  return out;
}

/// The rows of the table whose header line is `header`, separator excluded.
std::vector<std::vector<std::string>> table_after(const std::string& text, const std::string& header) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = text.find("\n" + header + "\n");
  if (at == std::string::npos) return rows;
  at = text.find('\n', text.find('\n', at + 1) + 1) + 1;  // skip the header and the |---| line
  for (std::size_t end; at < text.size() && text[at] == '|'; at = end + 1) {
    end = text.find('\n', at);
    rows.push_back(cells(text.substr(at, end - at)));
  }
  return rows;
}

std::string unquoted(std::string s) { return std::regex_replace(s, std::regex("`"), ""); }

/// The names in backquotes in `text`, in order.
std::vector<std::string> code_spans(const std::string& text) {
  std::vector<std::string> out;
  const std::regex span("`([^`]+)`");
  for (std::sregex_iterator m(text.begin(), text.end(), span), end; m != end; ++m) out.push_back((*m)[1]);
  return out;
}

/// The text of `doc` between `before` and the next `after`.
std::string between(const std::string& doc, const std::string& before, const std::string& after) {
  const std::size_t begin = doc.find(before);
  if (begin == std::string::npos) return "";
  const std::size_t from = begin + before.size();
  return doc.substr(from, doc.find(after, from) - from);
}

/// The first fenced block of `language` in `doc` that contains `marker`.
std::string fenced_block(const std::string& doc, const std::string& language, const std::string& marker) {
  const std::string open = "```" + language + "\n";
  for (std::size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at + 1)) {
    const std::size_t begin = at + open.size(), end = doc.find("\n```", begin);
    const std::string block = doc.substr(begin, end - begin + 1);
    if (block.find(marker) != std::string::npos) return block;
  }
  return "";
}

TEST(SweepDocs, TheOutputCatalogueIsTheCodesRowForRow) {
  const auto rows = table_after(read_file(kRoot / "docs/sweep-format.md"), "| name | columns | unit | meaning |");
  const auto catalogue = cascade::sweep::metric_catalogue();
  ASSERT_EQ(rows.size(), catalogue.size()) << "docs/sweep-format.md, \"Outputs\": one row per catalogue entry";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const cascade::sweep::MetricInfo& m = catalogue[i];
    ASSERT_EQ(rows[i].size(), 4u) << "row " << i;
    const std::string name = std::string(m.name) + (m.argument.empty() ? "" : ":<" + std::string(m.argument) + ">");
    EXPECT_EQ(unquoted(rows[i][0]), name) << "row " << i;
    EXPECT_EQ(unquoted(rows[i][1]), m.columns) << name;
    EXPECT_EQ(rows[i][2], m.unit) << name;
    EXPECT_EQ(rows[i][3], m.description) << name;
  }
}

TEST(SweepDocs, TheGroupsAndDefaultOutputsAreTheCodes) {
  const std::string doc = read_file(kRoot / "docs/sweep-format.md");
  std::vector<std::string> types, channels;
  for (cascade::FirmType t : cascade::all_firm_types()) types.emplace_back(to_string(t));
  // Channel 0 (own_operations) is a default's cause, not a loss a channel passes on.
  for (std::size_t c = 1; c < cascade::kDefaultChannelCount; ++c)
    channels.emplace_back(to_string(static_cast<cascade::DefaultChannel>(c)));
  EXPECT_EQ(code_spans(between(doc, "a column for every firm type (", ")")), types);
  EXPECT_EQ(code_spans(between(doc, "every channel a loss can be attributed to (", ")")), channels);

  const auto keys = table_after(doc, "| key | type | default | what | errors |");
  const auto outputs = std::find_if(keys.begin(), keys.end(), [](const auto& row) { return row[0] == "`outputs`"; });
  ASSERT_NE(outputs, keys.end()) << "the top-level keys table has no `outputs` row";
  EXPECT_EQ(code_spans((*outputs)[2]), cascade::sweep::default_outputs());
}

class SweepDocsCli : public cascade::testing::CliFixture {
 protected:
  /// Writes docs/examples/<name> into work_ with `replacements` (text -> text) applied and its
  /// scenario path made absolute, so that it runs from the scratch directory.
  void copy_example(const std::string& name, const std::vector<std::pair<std::string, std::string>>& replacements) {
    std::string text = read_file(kRoot / "docs/examples" / name);
    text = std::regex_replace(text, std::regex("scenario: \\.\\./\\.\\./"), "scenario: " + kRoot.string() + "/");
    for (const auto& [from, to] : replacements) {
      const std::size_t at = text.find(from);
      ASSERT_NE(at, std::string::npos) << name << " no longer contains '" << from << "'";
      text.replace(at, from.size(), to);
    }
    std::ofstream(work_ / name) << text;
  }
};

TEST_F(SweepDocsCli, TheMinimalSweepFileWorksAsWritten) {
  const std::string minimal = fenced_block(read_file(kRoot / "docs/sweep-format.md"), "yaml", "path: x1");
  ASSERT_FALSE(minimal.empty()) << "docs/sweep-format.md has no minimal form with `path: x1`";
  std::ofstream(work_ / "minimal.yaml") << minimal;
  const Outcome o = cascade("design minimal.yaml --out design.csv");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // Saltelli, k = 1 parameter, N = 4096: N (k + 2) runs.
  EXPECT_NE(o.out.find("12,288 runs"), std::string::npos) << o.out;
}

TEST_F(SweepDocsCli, TheExampleSweepsDesignAsTheTutorialSays) {
  // The run counts the tutorial (docs/sweeps.md) prints: a 6-level grid x 20 replications, a
  // Saltelli design of 2,048 base samples x (4 parameters + 2), 40 Morris trajectories x
  // (14 parameters + 1).
  const fs::path examples = kRoot / "docs/examples";
  const Outcome grid = cascade("design " + quoted(examples / "first-grid.yaml") + " --out grid.csv");
  ASSERT_EQ(grid.exit_code, 0) << grid.err;
  EXPECT_NE(grid.out.find("120 runs (6 points x 20 replications, grid design)"), std::string::npos) << grid.out;
  const Outcome sobol = cascade("design " + quoted(examples / "first-sweep.yaml") + " --out sobol.csv");
  ASSERT_EQ(sobol.exit_code, 0) << sobol.err;
  EXPECT_NE(sobol.out.find("12,288 runs (12,288 points x 1 replication, saltelli design)"), std::string::npos)
      << sobol.out;
  const Outcome morris = cascade("design " + quoted(examples / "first-morris.yaml") + " --out morris.csv");
  ASSERT_EQ(morris.exit_code, 0) << morris.err;
  EXPECT_NE(morris.out.find("600 runs (600 points x 1 replication, morris design)"), std::string::npos) << morris.out;
}

TEST_F(SweepDocsCli, TheExampleSweepsRunAndAnalyseWithSmallSampleCounts) {
  // The same files with fewer runs: every parameter path, `set:` value and output must still be
  // accepted by the scenario, so a renamed shock or knob fails here.
  copy_example("first-grid.yaml", {{"replications: 20", "replications: 2"}});
  copy_example("first-sweep.yaml", {{"samples: 2048", "samples: 4"}});
  copy_example("first-morris.yaml", {{"samples: 40", "samples: 2"}});
  const Outcome grid = cascade("sweep first-grid.yaml --quiet --threads 2 --out runs/first-grid");
  ASSERT_EQ(grid.exit_code, 0) << grid.err;
  EXPECT_EQ(read_file(work_ / "runs/first-grid/failures.csv"), "run_id,point,replicate,seed,error\n");
  const Outcome sobol = cascade("sweep first-sweep.yaml --quiet --threads 2 --out runs/first-sweep");
  ASSERT_EQ(sobol.exit_code, 0) << sobol.err;
  const Outcome analyzed = cascade("analyze runs/first-sweep --bootstrap 10");
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  EXPECT_TRUE(fs::exists(work_ / "runs/first-sweep/sensitivity-defaults.svg"));
  const Outcome morris = cascade("sweep first-morris.yaml --quiet --threads 2 --out runs/first-morris");
  ASSERT_EQ(morris.exit_code, 0) << morris.err;
  EXPECT_EQ(cascade("analyze runs/first-morris --bootstrap 10").exit_code, 0);

  // The Python snippet of docs/sweeps.md, "Reading the results", on that grid.
  if (std::system("python3 -c 'import csv, sqlite3' >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  const std::string snippet =
      fenced_block(read_file(kRoot / "docs/sweeps.md"), "python", "from collections import defaultdict");
  ASSERT_FALSE(snippet.empty()) << "docs/sweeps.md has no Python snippet reading runs/first-grid";
  std::ofstream(work_ / "read.py") << snippet;
  const int status = std::system(("cd " + quoted(work_) + " && python3 read.py >read.out 2>&1").c_str());
  EXPECT_EQ(status, 0) << read_file(work_ / "read.out");
  // The snippet prints the mean defaults per payment share: one line per grid level.
  EXPECT_NE(read_file(work_ / "read.out").find("1.0 "), std::string::npos) << read_file(work_ / "read.out");
}

TEST_F(SweepDocsCli, TheArrayTemplateResubmitsOnlyTheFailedIndices) {
  // tools/slurm/README.md: an array of 3 tasks numbered from 0, of which tasks 1 and 2 failed
  // and are resubmitted as `--array=1,2`. Slurm then sets MIN 1, MAX 2, COUNT 2 for both.
  const fs::path data = kRoot / "tests/tools/data";
  fs::copy_file(data / "small.yaml", work_ / "small.yaml");
  fs::copy_file(data / "sweep-small.yaml", work_ / "sweep.yaml");
  const auto task = [&](int id, int min, int max, const std::string& out, const std::string& shards) {
    const std::string env = "CASCADE=" + quoted(CASCADE_BINARY) + " SLURM_ARRAY_TASK_ID=" + std::to_string(id) +
                            " SLURM_ARRAY_TASK_MIN=" + std::to_string(min) +
                            " SLURM_ARRAY_TASK_MAX=" + std::to_string(max) +
                            " SLURM_ARRAY_TASK_COUNT=" + std::to_string(max - min + 1);
    const std::string command = "cd " + quoted(work_) + " && " + env + " bash " +
                                quoted(kRoot / "tools/slurm/array-job.sh") + " sweep.yaml " + out + " " + shards +
                                " >task.out 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  ASSERT_EQ(task(0, 0, 2, "study", "3"), 0) << read_file(work_ / "task.out");
  for (int id : {1, 2}) ASSERT_EQ(task(id, 1, 2, "study", "3"), 0) << read_file(work_ / "task.out");
  // Without the shard count, the subset is taken for a sweep of 2 shards: merging it is refused.
  ASSERT_EQ(task(1, 1, 2, "subset", ""), 0) << read_file(work_ / "task.out");
  const Outcome mixed = cascade("merge study/shard-0 subset/shard-1 study/shard-2 --out mixed");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("different --shard layouts"), std::string::npos) << mixed.err;
  // Task 3 of `--array=1-3` with the shard count 3 is no shard (they are numbered from 0): the
  // template says how to number the array, where cascade's hint (write 2/3) could not be followed.
  EXPECT_EQ(task(3, 1, 3, "study", "3"), 2);
  EXPECT_NE(read_file(work_ / "task.out").find("task 3 is not a shard of 3: number the array from 0 (--array=0-2)"),
            std::string::npos)
      << read_file(work_ / "task.out");
  ASSERT_EQ(cascade("merge study/shard-0 study/shard-1 study/shard-2 --out merged").exit_code, 0);
  ASSERT_EQ(cascade("sweep sweep.yaml --quiet --out single").exit_code, 0);
  expect_same_files("merged", "single", {"results.csv", "aggregate.csv", "failures.csv", "results.sqlite"});
}

}  // namespace
