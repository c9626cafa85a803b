// `cascade analyze` on results of a model outside Cascade: what it reads from the results file,
// what it refuses, and the files it writes (docs/sensitivity.md, docs/sweeps.md). The models are
// written here in closed form: a linear model, whose Morris effects are its coefficients times
// the ranges, and Ishigami (a = 7, b = 0.1).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_fixture.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;
using testing::read_file;

/// A CSV without quoted fields, as rows of cells.
std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string>& row = rows.emplace_back();
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(cell);
  }
  return rows;
}

constexpr const char* kMorris =
    "parameters:\n"
    "  - {path: x1, min: 0, max: 1}\n"
    "  - {path: x2, min: 0, max: 2}\n"
    "  - {path: x3, min: -1, max: 1}\n"
    "design: {method: morris, samples: 20, seed: 3}\n";
constexpr const char* kIshigami =
    "parameters:\n"
    "  - {path: x1, min: -3.141592653589793, max: 3.141592653589793}\n"
    "  - {path: x2, min: -3.141592653589793, max: 3.141592653589793}\n"
    "  - {path: x3, min: -3.141592653589793, max: 3.141592653589793}\n"
    "design: {method: saltelli, samples: 256, seed: 1}\n";

double linear(double x1, double x2, double) { return 3.0 * x1 - 2.0 * x2; }  // x3 does nothing
double ishigami(double x1, double x2, double x3) {
  return std::sin(x1) + 7.0 * std::pow(std::sin(x2), 2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

class AnalyzeCli : public testing::CliFixture {
 protected:
  /// Writes `sweep` as NAME.yaml and its design, then NAME-results.csv: run_id, the extra header
  /// and cells given, and y = scale x model(x1, x2, x3) at full precision.
  void results(const std::string& name, const std::string& sweep, double (*model)(double, double, double),
               double scale = 1.0, const std::string& extra_header = "", const std::string& extra_cells = "") {
    std::ofstream(work_ / (name + ".yaml")) << sweep;
    ASSERT_EQ(cascade("design " + name + ".yaml --out " + name + "-design.csv --force").exit_code, 0);
    const auto design = rows_of(read_file(work_ / (name + "-design.csv")));
    std::ofstream out(work_ / (name + "-results.csv"));
    out.precision(17);
    out << "run_id" << extra_header << ",y\n";
    for (std::size_t r = 1; r < design.size(); ++r)
      out << design[r][0] << extra_cells << ','
          << scale * model(std::stod(design[r][4]), std::stod(design[r][5]), std::stod(design[r][6])) << '\n';
  }
  Outcome analyze(const std::string& name, const std::string& out) const {
    return cascade("analyze " + name + ".yaml --results " + name + "-results.csv --out " + out);
  }
};

TEST_F(AnalyzeCli, SmallOutputsKeepTheirDigitsInTheJson) {
  // The JSON wrote every value below 1e-9 as 0, as it writes amounts: mu of 3e-12 was 0 there
  // and 3e-12 in sensitivity.csv.
  results("m", kMorris, linear, 1e-12);
  ASSERT_EQ(analyze("m", "a").exit_code, 0);
  const auto json = nlohmann::json::parse(read_file(work_ / "a/sensitivity.json"));
  const auto& parameters = json.at("outputs").at(0).at("parameters");
  // mu = coefficient x range (Morris 1991): x1 3 x 1, x2 -2 x 2, both x 1e-12.
  EXPECT_NEAR(parameters.at(0).at("mu").get<double>(), 3e-12, 1e-24);
  EXPECT_NEAR(parameters.at(1).at("mu").get<double>(), -4e-12, 1e-24);
  EXPECT_EQ(parameters.at(0).at("mu").get<double>(), std::stod(rows_of(read_file(work_ / "a/sensitivity.csv"))[1][2]));
}

TEST_F(AnalyzeCli, OutputsNearTheEndsOfTheDoublesGiveTheIndicesOfTheSameModel) {
  // Squares of outputs near 1e160 overflowed and near 1e-170 underflowed: every index was NaN,
  // and a Morris chart of 1e-170 effects failed on its tick labels (exit 3).
  results("i", kIshigami, ishigami);
  ASSERT_EQ(analyze("i", "unit").exit_code, 0);
  const auto unit = rows_of(read_file(work_ / "unit/sensitivity.csv"));
  for (const double scale : {1e160, 1e-170}) {
    results("i", kIshigami, ishigami, scale);
    const Outcome o = analyze("i", "scaled");
    ASSERT_EQ(o.exit_code, 0) << scale << ": " << o.err;
    // Their variance, about 13.8 x scale^2, is not a double: the table says so (it printed inf or 0).
    EXPECT_NE(o.out.find(scale > 1 ? "output variance above the largest double"
                                   : "output variance below the smallest double"),
              std::string::npos)
        << o.out;
    const auto scaled = rows_of(read_file(work_ / "scaled/sensitivity.csv"));
    ASSERT_EQ(scaled.size(), unit.size());
    for (std::size_t r = 1; r < unit.size(); ++r)
      for (std::size_t c = 2; c < unit[r].size(); ++c)  // indices are invariant under scaling
        EXPECT_NEAR(std::stod(scaled[r][c]), std::stod(unit[r][c]), 1e-12) << scale << " " << unit[0][c];
  }
  results("m", kMorris, linear, 1e-170);
  ASSERT_EQ(analyze("m", "tiny").exit_code, 0);
  const auto tiny = rows_of(read_file(work_ / "tiny/sensitivity.csv"));
  EXPECT_NEAR(std::stod(tiny[1][3]), 3e-170, 1e-182);  // mu* of x1
  EXPECT_NE(read_file(work_ / "tiny/sensitivity-y.svg").find("e-170<"), std::string::npos);
}

TEST_F(AnalyzeCli, WhenNoOutputCanBeAnalysedNothingIsWrittenAndTheExitCodeIs2) {
  // Every run failed (y NaN): no base sample is left. analyze wrote a header-only table and
  // exited 0, so a script could not tell that nothing was computed.
  results("i", kIshigami, [](double, double, double) { return std::nan(""); });
  const Outcome o = analyze("i", "a");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("no output could be analysed"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("need at least 2 base samples whose outputs are all finite, got 0"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(work_ / "a"));
}

TEST_F(AnalyzeCli, AnOutputThatNeverMovesIsNotGivenSobolIndices) {
  // z is 5 in every run: its variance is 0 and each Sobol' index 0/0. The table printed nan and
  // its chart was an empty frame. It is now listed as not analysed, with why; y is analysed.
  results("i", kIshigami, ishigami, 1.0, ",z", ",5");
  const Outcome o = analyze("i", "a");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("z:\n  not analysed: the same in every run used (variance 0)"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("nan"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::exists(work_ / "a/sensitivity-y.svg"));
  EXPECT_FALSE(fs::exists(work_ / "a/sensitivity-z.svg"));
  const auto json = nlohmann::json::parse(read_file(work_ / "a/sensitivity.json"));
  EXPECT_EQ(json.at("outputs").at(0).at("name"), "z");
  EXPECT_NE(json.at("outputs").at(0).at("skipped").get<std::string>().find("variance 0"), std::string::npos);
  for (const auto& row : rows_of(read_file(work_ / "a/sensitivity.csv"))) EXPECT_NE(row.at(0), "z");
}

TEST_F(AnalyzeCli, ResultsOfAnotherDesignAreRefused) {
  // The parameter columns `cascade design` writes were not read: results of the same
  // parameters in another order gave x2 the indices of x1.
  results("i", kIshigami, ishigami);
  const auto design = rows_of(read_file(work_ / "i-design.csv"));
  std::ofstream with_parameters(work_ / "with.csv");
  with_parameters << "run_id,x1,x2,x3,y\n";
  const auto y = rows_of(read_file(work_ / "i-results.csv"));
  for (std::size_t r = 1; r < design.size(); ++r)
    with_parameters << design[r][0] << ',' << design[r][4] << ',' << design[r][5] << ',' << design[r][6] << ','
                    << y[r][1] << '\n';
  with_parameters.close();
  ASSERT_EQ(cascade("analyze i.yaml --results with.csv --out same").exit_code, 0);
  std::ofstream(work_ / "swapped.yaml") << "parameters:\n"
                                           "  - {path: x2, min: -3.141592653589793, max: 3.141592653589793}\n"
                                           "  - {path: x1, min: -3.141592653589793, max: 3.141592653589793}\n"
                                           "  - {path: x3, min: -3.141592653589793, max: 3.141592653589793}\n"
                                           "design: {method: saltelli, samples: 256, seed: 1}\n";
  const Outcome o = cascade("analyze swapped.yaml --results with.csv --out swapped");
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.err.find(": x1: run "), std::string::npos) << o.err;  // the first column that disagrees
  EXPECT_NE(o.err.find("' where the design has '"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("these are the results of another design, or of its parameters in another order"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(work_ / "swapped"));
}

TEST_F(AnalyzeCli, WithAnOutputsListOtherColumnsAreNotRead) {
  // A notes column of text made every row an error though `outputs:` names the column to read.
  std::string sweep = kMorris;
  sweep += "outputs: [y]\n";
  results("m", sweep, linear, 1.0, ",notes", ",a note");
  const Outcome o = analyze("m", "a");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(read_file(work_ / "a/sensitivity.csv").find("y,x1,3,3,"), std::string::npos);
}

TEST_F(AnalyzeCli, ADeviceOrAPipeIsRefusedUnread) {
  // /dev/zero was read until memory ran out (exit 3); a FIFO blocked for ever.
  std::ofstream(work_ / "m.yaml") << kMorris;
  ASSERT_EQ(::mkfifo((work_ / "fifo.csv").c_str(), 0600), 0);
  for (const std::string file : {"/dev/zero", "fifo.csv"}) {
    const Outcome o = cascade("analyze m.yaml --results " + file + " --out a");
    EXPECT_EQ(o.exit_code, 2) << file << ": " << o.err;
    EXPECT_NE(o.err.find("is not a regular file"), std::string::npos) << o.err;
  }
}

TEST_F(AnalyzeCli, ErrorsAreListedUpToALimitAndCountedQuotedSafely) {
  std::ofstream(work_ / "m.yaml") << kMorris;
  std::ofstream bad(work_ / "bad.csv", std::ios::binary);
  bad << "run_id,y\n";
  for (int r = 0; r < 150; ++r) bad << r << ",x" << std::string(1, '\0') << "\n";
  bad.close();
  const Outcome o = cascade("analyze m.yaml --results bad.csv --out a");
  EXPECT_EQ(o.exit_code, 2);
  // 100 per CSV file (docs/robustness.md), the rest counted; a NUL is written \x00.
  std::size_t listed = 0;
  for (std::size_t at = o.err.find("expected a number"); at != std::string::npos;
       at = o.err.find("expected a number", at + 1))
    ++listed;
  EXPECT_EQ(listed, 100u) << o.err;
  EXPECT_NE(o.err.find("50 more errors in this file are not listed"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("got 'x\\x00'"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find(std::string(1, '\0')), std::string::npos);
}

TEST_F(AnalyzeCli, AQuoteNeverClosedIsNamedWhereItOpens) {
  // The rest of the file (190 KB) was echoed as one cell, and nothing said a quote was missing.
  std::ofstream(work_ / "m.yaml") << kMorris;
  std::ofstream(work_ / "open.csv") << "run_id,y\n0,1\n1,\"2\n2,3\n3,4\n";
  const Outcome o = cascade("analyze m.yaml --results open.csv --out a");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("open.csv:3: a quoted field opened here is never closed"), std::string::npos) << o.err;
}

TEST_F(AnalyzeCli, OutputsWhoseNamesMakeTheSameFileNameKeepTheirOwnCharts) {
  // `a b` and `a_b` both wrote sensitivity-a_b.svg, the second over the first.
  results("m", kMorris, linear);
  const auto rows = rows_of(read_file(work_ / "m-results.csv"));
  std::ofstream two(work_ / "two.csv");
  two << "run_id,a b,a_b\n";
  for (std::size_t r = 1; r < rows.size(); ++r) two << rows[r][0] << ',' << rows[r][1] << ',' << rows[r][1] << '\n';
  two.close();
  ASSERT_EQ(cascade("analyze m.yaml --results two.csv --out a").exit_code, 0);
  const auto json = nlohmann::json::parse(read_file(work_ / "a/sensitivity.json"));
  EXPECT_EQ(json.at("outputs").at(0).at("chart"), "sensitivity-a_b.svg");
  EXPECT_EQ(json.at("outputs").at(1).at("chart"), "sensitivity-a_b-2.svg");
  EXPECT_NE(read_file(work_ / "a/sensitivity-a_b.svg").find("Morris screening of a b"), std::string::npos);
  EXPECT_NE(read_file(work_ / "a/sensitivity-a_b-2.svg").find("Morris screening of a_b"), std::string::npos);
}

TEST_F(AnalyzeCli, AFileThatCannotBeWrittenLeavesTheDirectoryAsItWas) {
  // sensitivity.csv was replaced and sensitivity.json.tmp left behind when the JSON failed.
  results("m", kMorris, linear);
  fs::create_directories(work_ / "a/sensitivity.json");  // in the way of the rename
  std::ofstream(work_ / "a/sensitivity.csv") << "earlier\n";
  const Outcome o = analyze("m", "a");
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_EQ(read_file(work_ / "a/sensitivity.csv"), "earlier\n");
  for (const auto& entry : fs::directory_iterator(work_ / "a"))
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
}

}  // namespace
}  // namespace cascade
