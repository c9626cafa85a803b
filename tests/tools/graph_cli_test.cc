// End-to-end tests of `cascade graph`: DOT on stdout or in a file (parsed back with Boost's
// read_graphviz: one node per firm, one edge per exposure), states from a run, SVG when
// Graphviz's `dot` is installed (a clear error when it is not), exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/cli_fixture.h"

namespace {
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using cascade::testing::Outcome;
using cascade::testing::quoted;
using cascade::testing::read_file;

const fs::path kSourceDir = CASCADE_SOURCE_DIR;
const fs::path kBaseline = kSourceDir / "scenarios/ai-2026/baseline.yaml";
const fs::path kSmall = kSourceDir / "tests/tools/data/small.yaml";

struct Node {
  std::string name, fillcolor, label;
};
struct Edge {
  std::string id, color;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Node, Edge>;

/// Firms and exposure edges of a DOT text (legend nodes and edges left out).
struct Counts {
  std::size_t firms = 0, exposures = 0, loop_edges = 0;
  std::map<std::string, std::string> fill;  ///< by firm id
};
Counts parse_dot(const std::string& dot) {
  Graph g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("node_id", boost::get(&Node::name, g));
  dp.property("fillcolor", boost::get(&Node::fillcolor, g));
  dp.property("label", boost::get(&Node::label, g));
  dp.property("id", boost::get(&Edge::id, g));
  dp.property("color", boost::get(&Edge::color, g));
  EXPECT_TRUE(boost::read_graphviz(dot, g, dp, "node_id"));
  Counts c;
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    if (g[v].name.rfind("legend_", 0) != 0) {
      ++c.firms;
      c.fill[g[v].name] = g[v].fillcolor;
    }
  for (auto e : boost::make_iterator_range(boost::edges(g)))
    if (g[e].id.rfind("exposure_", 0) == 0) {
      ++c.exposures;
      if (g[e].color == "#d62728") ++c.loop_edges;
    }
  return c;
}

bool dot_installed() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

class GraphCli : public cascade::testing::CliFixture {};

TEST_F(GraphCli, HelpExplainsEveryOption) {
  const Outcome o = cascade("graph --help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* option : {"FILE", "--tick", "--run", "--out", "--svg", "--enforced-only", "--loop-length"})
    EXPECT_THAT(o.out, HasSubstr(option));
}

TEST_F(GraphCli, BaselineDotHasEveryFirmAndExposure) {
  const Outcome o = cascade("graph " + quoted(kBaseline) + " --out net.dot");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.out.empty());
  const std::string dot = read_file(work_ / "net.dot");
  EXPECT_EQ(dot.rfind("digraph cascade {", 0), 0u);
  const Counts c = parse_dot(dot);
  EXPECT_EQ(c.firms, 32u);
  EXPECT_EQ(c.exposures, 97u);
  EXPECT_GT(c.loop_edges, 10u);
  EXPECT_EQ(c.fill.at("nvidia"), "#a6d854") << "chipmakers' colour";
  EXPECT_THAT(dot, HasSubstr("legend_type_chipmaker"));
  // The same DOT on stdout, byte for byte.
  EXPECT_EQ(cascade("graph " + quoted(kBaseline)).out, dot);
  EXPECT_FALSE(fs::exists(work_ / "net.svg")) << "no SVG unless asked";
}

TEST_F(GraphCli, EnforcedOnlyDrawsTheBindingExposures) {
  const Counts c = parse_dot(cascade("graph " + quoted(kBaseline) + " --enforced-only").out);
  EXPECT_EQ(c.firms, 32u);
  EXPECT_LT(c.exposures, 97u);
}

TEST_F(GraphCli, StatesFromARun) {
  ASSERT_EQ(cascade("run " + quoted(kSmall) + " --out run").exit_code, 0);
  const Outcome o = cascade("graph " + quoted(kSmall) + " --run run --tick 12");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("firms coloured by state at tick 12"));
  const Counts c = parse_dot(o.out);
  EXPECT_EQ(c.firms, 7u);
  for (const auto& [firm, fill] : c.fill)
    EXPECT_THAT((std::vector<std::string>{"#c7e9c0", "#fdae6b", "#e34a33"}), ::testing::Contains(fill)) << firm;
  EXPECT_THAT(cascade("graph " + quoted(kSmall) + " --run run").out, HasSubstr("at tick 36")) << "default: last tick";
  const Outcome missing_tick = cascade("graph " + quoted(kSmall) + " --run run --tick 99");
  EXPECT_EQ(missing_tick.exit_code, 2);
  EXPECT_THAT(missing_tick.err, HasSubstr("tick 99 is not in the run"));
  // A run of another scenario is refused by its manifest's scenario hash; with --force the
  // firms it lacks are still an error.
  const Outcome other = cascade("graph " + quoted(kBaseline) + " --run run");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("'run' is a run of scenario 'cli-small'"));
  EXPECT_THAT(other.err, HasSubstr("--force"));
  const Outcome forced = cascade("graph " + quoted(kBaseline) + " --run run --force");
  EXPECT_EQ(forced.exit_code, 2);
  EXPECT_THAT(forced.err, HasSubstr("is not in the run"));
}

TEST_F(GraphCli, ARunOfAVariantWithTheSameFirmsIsRefusedUnlessForced) {
  // The same firms with one more shock: every firm is in the run, only the hash tells them apart.
  const std::string variant =
      "format: cascade-scenario/1\n"
      "scenario: {name: cli-small-variant}\n"
      "include: [" +
      kSmall.string() +
      "]\n"
      "shocks:\n"
      "  - {id: extra, kind: cash_change, targets: [labco], tick: 2, value: -1}\n";
  std::ofstream(work_ / "variant.yaml") << variant;
  ASSERT_EQ(cascade("run variant.yaml --out variant-run").exit_code, 0);
  const Outcome refused = cascade("graph " + quoted(kSmall) + " --run variant-run");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("is a run of scenario 'cli-small-variant'"));
  EXPECT_EQ(refused.out, "");
  const Outcome forced = cascade("graph " + quoted(kSmall) + " --run variant-run --force");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_THAT(forced.err, HasSubstr("drawn anyway"));
  EXPECT_EQ(parse_dot(forced.out).firms, 7u);
  // A directory that is not a run at all is refused for what it is.
  fs::create_directories(work_ / "empty");
  EXPECT_THAT(cascade("graph " + quoted(kSmall) + " --run empty").err, HasSubstr("not a `cascade run` directory"));
}

TEST_F(GraphCli, BadInputExitsWithTwo) {
  EXPECT_EQ(cascade("graph missing.yaml").exit_code, 2);
  const Outcome tick_alone = cascade("graph " + quoted(kBaseline) + " --tick 3");
  EXPECT_EQ(tick_alone.exit_code, 2);
  EXPECT_THAT(tick_alone.err, HasSubstr("--tick needs --run"));
  EXPECT_EQ(cascade("graph " + quoted(kBaseline) + " --run nowhere").exit_code, 2);
  EXPECT_EQ(cascade("graph " + quoted(kBaseline) + " --out no/such/dir/net.dot").exit_code, 2);
  EXPECT_EQ(cascade("graph " + quoted(kBaseline) + " --tick x --run r").exit_code, 2);
  EXPECT_FALSE(fs::exists(work_ / "no"));
}

TEST_F(GraphCli, SvgWithDotOrAClearMessageWithout) {
  if (dot_installed()) {
    const Outcome o = cascade("graph " + quoted(kSmall) + " --out net.svg");
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_THAT(read_file(work_ / "net.svg"), HasSubstr("<svg"));
    EXPECT_FALSE(fs::exists(work_ / "net.dot"));
    const Outcome both = cascade("graph " + quoted(kSmall) + " --out both.dot --svg");
    ASSERT_EQ(both.exit_code, 0) << both.err;
    EXPECT_TRUE(fs::exists(work_ / "both.dot"));
    EXPECT_THAT(read_file(work_ / "both.svg"), HasSubstr("<svg"));
  } else {
    GTEST_LOG_(INFO) << "Graphviz dot not installed: checking the message only";
  }
  // Without dot on PATH: a clear message, exit 2, and no SVG (the DOT of --out x.dot is kept).
  const Outcome none = cascade("graph " + quoted(kSmall) + " --out none.svg", "PATH=/nonexistent");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("apt-get install graphviz"));
  EXPECT_FALSE(fs::exists(work_ / "none.svg"));
  EXPECT_FALSE(fs::exists(work_ / "none.dot"));
  const Outcome kept = cascade("graph " + quoted(kSmall) + " --out kept.dot --svg", "PATH=/nonexistent");
  EXPECT_EQ(kept.exit_code, 2);
  EXPECT_TRUE(fs::exists(work_ / "kept.dot"));
  EXPECT_THAT(kept.err, HasSubstr("dot -Tsvg"));
  for (const auto& entry : fs::directory_iterator(work_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

}  // namespace
