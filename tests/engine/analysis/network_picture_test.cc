// The DOT picture parsed back with Boost.Graph's read_graphviz: one node per firm, one edge per
// exposure (in the direction money moves), colours by type or state, loop arcs highlighted,
// width growing with the amount, style and arrowhead by kind, escaping; and firm states read
// from a run's timeseries.csv.
#include "engine/analysis/network_picture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/model/model.h"
#include "tests/support/model_builder.h"

namespace cascade::analysis {
namespace {

/// Exposure terms for ModelBuilder (assigned, not designated: ExposureTerms has members without
/// initialisers).
testing::ExposureTerms terms(double term_years, ExposureStatus status = ExposureStatus::outstanding) {
  testing::ExposureTerms t;
  t.term_years = term_years;
  t.status = status;
  return t;
}


using ::testing::HasSubstr;
using testing::ModelBuilder;

struct DotNode {
  std::string name, label, fillcolor, color, shape, id, tooltip;
};
struct DotEdge {
  std::string color, penwidth, style, arrowhead, id, label, tooltip;
};
using DotGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DotNode, DotEdge>;

struct Parsed {
  DotGraph graph;
  std::map<std::string, DotNode> firms;  ///< non-legend nodes by name
  /// Non-legend edges: (from, to, attributes), by source vertex.
  std::vector<std::tuple<std::string, std::string, DotEdge>> edges;
  /// The edge with this `id` attribute.
  const std::tuple<std::string, std::string, DotEdge>& edge(const std::string& id) const {
    for (const auto& e : edges)
      if (std::get<2>(e).id == id) return e;
    throw std::out_of_range("no edge " + id);
  }
  std::size_t legend_nodes = 0;
};

Parsed parse(const std::string& dot) {
  Parsed p;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("node_id", boost::get(&DotNode::name, p.graph));
  dp.property("label", boost::get(&DotNode::label, p.graph));
  dp.property("fillcolor", boost::get(&DotNode::fillcolor, p.graph));
  dp.property("color", boost::get(&DotNode::color, p.graph));
  dp.property("shape", boost::get(&DotNode::shape, p.graph));
  dp.property("id", boost::get(&DotNode::id, p.graph));
  dp.property("tooltip", boost::get(&DotNode::tooltip, p.graph));
  dp.property("color", boost::get(&DotEdge::color, p.graph));
  dp.property("penwidth", boost::get(&DotEdge::penwidth, p.graph));
  dp.property("style", boost::get(&DotEdge::style, p.graph));
  dp.property("arrowhead", boost::get(&DotEdge::arrowhead, p.graph));
  dp.property("id", boost::get(&DotEdge::id, p.graph));
  dp.property("label", boost::get(&DotEdge::label, p.graph));
  dp.property("tooltip", boost::get(&DotEdge::tooltip, p.graph));
  const bool ok = boost::read_graphviz(dot, p.graph, dp, "node_id");
  EXPECT_TRUE(ok);
  for (auto v : boost::make_iterator_range(boost::vertices(p.graph))) {
    const DotNode& n = p.graph[v];
    if (n.name.rfind("legend_", 0) == 0)
      ++p.legend_nodes;
    else
      p.firms[n.name] = n;
  }
  for (auto e : boost::make_iterator_range(boost::edges(p.graph))) {
    const std::string& from = p.graph[boost::source(e, p.graph)].name;
    if (from.rfind("legend_", 0) == 0) continue;
    p.edges.emplace_back(from, p.graph[boost::target(e, p.graph)].name, p.graph[e]);
  }
  return p;
}

/// A loop (chip <-> lab), a chain off it (bank -> lab), a quoted name, a non-binding deal.
Model example() {
  ModelBuilder b;
  const FirmIdx chip = b.firm("chip", FirmType::chipmaker, {.cash = 50, .revenue = 200});
  const FirmIdx lab = b.firm("lab", FirmType::ai_lab, {.cash = 10, .debt = 15, .revenue = 20});
  const FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 100, .other_assets = 100, .revenue = 10});
  b.exposure(ExposureKind::vendor_financing, chip, lab, 100, terms(10, ExposureStatus::loi));
  b.exposure(ExposureKind::purchase_commitment, chip, lab, 60, terms(5));
  b.exposure(ExposureKind::loan, bank, lab, 15, terms(3));
  Model m = b.build();
  m.firms[lab].name = "Lab \"Quoted\" \\ Inc.";
  return m;
}

TEST(NetworkDot, RoundTripsThroughBoostReadGraphviz) {
  const Model m = example();
  const MoneyFlowGraph g = build_money_flow(m);
  const Parsed p = parse(network_dot(g, {.title = "example"}));
  ASSERT_EQ(p.firms.size(), 3u);
  ASSERT_EQ(p.edges.size(), 3u);
  EXPECT_GT(p.legend_nodes, 0u);

  EXPECT_EQ(p.firms.at("chip").fillcolor, firm_type_colour(FirmType::chipmaker));
  EXPECT_EQ(p.firms.at("lab").fillcolor, firm_type_colour(FirmType::ai_lab));
  EXPECT_EQ(p.firms.at("bank").fillcolor, firm_type_colour(FirmType::bank));
  // read_graphviz undoes the quote escape and keeps `\\` (Graphviz draws it as one backslash).
  EXPECT_EQ(p.firms.at("lab").label, "Lab \"Quoted\" \\\\ Inc.");
  EXPECT_EQ(p.firms.at("chip").id, "firm_chip");

  // Vendor financing chip -> lab (loi, on the loop), purchases lab -> chip (on the loop), loan bank -> lab.
  const auto& [f0, t0, vendor] = p.edge("exposure_E0");
  EXPECT_EQ(f0, "chip");
  EXPECT_EQ(t0, "lab");
  EXPECT_EQ(vendor.color, kLoopColour);
  EXPECT_EQ(vendor.style, "dashed");
  EXPECT_EQ(vendor.arrowhead, "diamond");
  EXPECT_EQ(vendor.label, "loi");
  EXPECT_EQ(vendor.id, "exposure_E0");
  EXPECT_THAT(vendor.tooltip, HasSubstr("E0 vendor_financing: chip -> lab, 10 USD bn/yr, loi"));
  const auto& [f1, t1, purchase] = p.edge("exposure_E1");
  EXPECT_EQ(f1, "lab");
  EXPECT_EQ(t1, "chip");
  EXPECT_EQ(purchase.color, kLoopColour);
  EXPECT_EQ(purchase.style, "solid");
  EXPECT_EQ(purchase.arrowhead, "normal");
  EXPECT_EQ(purchase.label, "") << "binding exposures carry no status label";
  const auto& [f2, t2, loan] = p.edge("exposure_E2");
  EXPECT_EQ(f2, "bank");
  EXPECT_EQ(t2, "lab");
  EXPECT_EQ(loan.color, kFinancingColour) << "not on a loop";
  EXPECT_EQ(loan.arrowhead, "onormal");
  // Width on a log scale: 12/yr is wider than 10/yr, which is wider than 5/yr.
  EXPECT_GT(std::stod(purchase.penwidth), std::stod(vendor.penwidth));
  EXPECT_GT(std::stod(vendor.penwidth), std::stod(loan.penwidth));
}

TEST(NetworkDot, AFirmNamedLikeALegendNodeKeepsItsOwnNode) {
  // Firm ids may be any text: a bank with the id "legend_type_bank" and the legend's sample of
  // the type bank were one node, labelled "bank". The legend's names now start with a prefix no
  // firm id starts with.
  Model m = example();
  for (auto& f : m.firms)
    if (f.id == "bank") f.id = "legend_type_bank";
  const std::string dot = network_dot(build_money_flow(m));
  Parsed p = parse(dot);
  std::size_t named = 0;
  for (auto v : boost::make_iterator_range(boost::vertices(p.graph)))
    if (p.graph[v].name == "legend_type_bank") {
      ++named;
      EXPECT_EQ(p.graph[v].id, "firm_legend_type_bank");
    }
  EXPECT_EQ(named, 1u) << dot;
  EXPECT_NE(dot.find("\"legend__type_bank\" [label=\"bank\""), std::string::npos) << dot;
}

TEST(NetworkDot, ALongNameIsCutToThreeShortLinesAndKeptWholeInTheTooltip) {
  // A 500-character name without a space was one line of 500 characters: its node took the
  // picture's whole width and shrank everything else. Words are now cut at 22 bytes, between
  // UTF-8 characters (each "\u00e9" is 2 bytes), and lines past the third are dropped for "...".
  // (read_graphviz keeps DOT's line break, `\n`, as two characters.)
  Model m = example();
  std::string name;
  for (int i = 0; i < 250; ++i) name += "\u00e9";
  m.firms[0].name = name;
  const Parsed p = parse(network_dot(build_money_flow(m)));
  const DotNode& chip = p.firms.at("chip");
  EXPECT_EQ(chip.label, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\\n" +
                            std::string("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\\n") +
                            "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9...");
  EXPECT_THAT(chip.tooltip, HasSubstr(name));
}

TEST(NetworkDot, EnforcedOnlyDrawsFewerEdgesAndNoLoop) {
  const MoneyFlowGraph g = build_money_flow(example(), {.enforced_only = true});
  const Parsed p = parse(network_dot(g));
  EXPECT_EQ(p.firms.size(), 3u);
  ASSERT_EQ(p.edges.size(), 2u);
  for (const auto& [from, to, e] : p.edges) EXPECT_NE(e.color, kLoopColour);
}

TEST(NetworkDot, StatesColourTheFirmsAndKeepTheTypeAsOutline) {
  const MoneyFlowGraph g = build_money_flow(example());
  const FirmStates states{.tick = 24, .states = {FirmState::healthy, FirmState::distressed, FirmState::defaulted}};
  const std::string dot = network_dot(g, {.title = "t", .loop_max_length = 6, .states = states});
  const Parsed p = parse(dot);
  EXPECT_EQ(p.firms.at("chip").fillcolor, firm_state_colour(FirmState::healthy));
  EXPECT_EQ(p.firms.at("lab").fillcolor, firm_state_colour(FirmState::distressed));
  EXPECT_EQ(p.firms.at("lab").color, firm_type_colour(FirmType::ai_lab));
  EXPECT_EQ(p.firms.at("bank").fillcolor, firm_state_colour(FirmState::defaulted));
  EXPECT_THAT(p.firms.at("bank").label, HasSubstr("(defaulted)"));
  EXPECT_THAT(dot, HasSubstr("at tick 24"));
}

TEST(NetworkDot, StylesAndArrowheadsTellEveryKindApart) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const ExposureKind k : all_exposure_kinds()) seen.insert({edge_style(k), edge_arrowhead(k)});
  EXPECT_EQ(seen.size(), kExposureKindCount);
  EXPECT_LE(edge_penwidth(1e9), 10.0);
  EXPECT_DOUBLE_EQ(edge_penwidth(0.0), 0.5);
}

TEST(DotQuoted, EscapesQuotesBackslashesAndLineBreaks) {
  EXPECT_EQ(dot_quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  // A NUL ends Graphviz's parse of the file (`dot -Tsvg` failed on a firm named "Chip\0Co") and
  // bytes that are not UTF-8 make it warn and garble the label: both are written as U+FFFD.
  EXPECT_EQ(dot_quoted(std::string("Chip\0Co\xff", 8)), "\"Chip\uFFFDCo\uFFFD\"");
}

class FirmStatesTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(file_); }
  void write(const std::string& text) { std::ofstream(file_) << text; }
  std::filesystem::path file_ =
      std::filesystem::temp_directory_path() / ("cascade-states-" + std::to_string(::getpid()) + ".csv");
};

TEST(ClassifyFirm, Rules) {
  EXPECT_EQ(classify_firm(100, 60, 5, false), FirmState::healthy);
  EXPECT_EQ(classify_firm(100, 49, 5, false), FirmState::distressed) << "lost more than half its equity";
  EXPECT_EQ(classify_firm(100, 60, 0, false), FirmState::distressed) << "no cash";
  EXPECT_EQ(classify_firm(-5, -1, 5, false), FirmState::distressed) << "equity at or below zero";
  EXPECT_EQ(classify_firm(100, 100, 5, true), FirmState::defaulted);
}

TEST_F(FirmStatesTest, ReadsTheWantedTickOrTheLast) {
  const Model m = example();
  write(
      "tick,firm,type,cash_usd_bn,equity_usd_bn,defaulted\n"
      "0,chip,chipmaker,50,50,0\n0,lab,ai_lab,10,\"5\",0\n0,bank,bank,100,200,0\n"
      "1,chip,chipmaker,40,45,0\n1,lab,ai_lab,0,4,0\n1,bank,bank,100,200,0\n"
      "2,chip,chipmaker,40,45,0\n2,lab,ai_lab,0,-1,1\n2,bank,bank,100,90,0\n");
  Diagnostics diags;
  const std::optional<FirmStates> last = read_firm_states(file_, m, std::nullopt, diags);
  ASSERT_TRUE(last) << (diags.items().empty() ? "" : diags.items()[0].format());
  EXPECT_EQ(last->tick, 2);
  EXPECT_EQ(last->states,
            (std::vector<FirmState>{FirmState::healthy, FirmState::defaulted, FirmState::distressed}));
  const std::optional<FirmStates> one = read_firm_states(file_, m, 1, diags);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->states, (std::vector<FirmState>{FirmState::healthy, FirmState::distressed, FirmState::healthy}));
  EXPECT_FALSE(diags.has_errors());
}

TEST_F(FirmStatesTest, AFundsInvestorCapitalIsItsBuffer) {
  // The bank here is a pass-through fund: book equity 0 by construction, investor capital 80 at
  // tick 0. Book equity alone made every such fund distressed at every tick. At tick 1 its
  // capital is 70 (healthy); at tick 2 it is 30, below half of 80 (distressed).
  const Model m = example();
  write(
      "tick,firm,cash_usd_bn,equity_usd_bn,investor_capital_usd_bn,defaulted\n"
      "0,chip,50,50,0,0\n0,lab,10,5,0,0\n0,bank,20,0,80,0\n"
      "1,chip,50,50,0,0\n1,lab,10,5,0,0\n1,bank,20,0,70,0\n"
      "2,chip,50,50,0,0\n2,lab,10,5,0,0\n2,bank,20,0,30,0\n");
  Diagnostics diags;
  const std::optional<FirmStates> one = read_firm_states(file_, m, 1, diags);
  ASSERT_TRUE(one) << (diags.items().empty() ? "" : diags.items()[0].format());
  EXPECT_EQ(one->states, (std::vector<FirmState>{FirmState::healthy, FirmState::healthy, FirmState::healthy}));
  const std::optional<FirmStates> two = read_firm_states(file_, m, 2, diags);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->states[2], FirmState::distressed);
}

TEST_F(FirmStatesTest, ReportsProblems) {
  const Model m = example();
  Diagnostics diags;
  write("tick,firm,cash_usd_bn,equity_usd_bn,defaulted\n0,chip,1,1,0\n0,lab,1,1,0\n0,bank,1,1,0\n");
  EXPECT_FALSE(read_firm_states(file_, m, 5, diags));
  EXPECT_THAT(diags.items().back().message, HasSubstr("tick 5 is not in the run"));
  write("tick,firm,cash_usd_bn,equity_usd_bn,defaulted\n0,chip,1,1,0\n");
  EXPECT_FALSE(read_firm_states(file_, m, std::nullopt, diags));
  EXPECT_THAT(diags.items().back().message, HasSubstr("firm 'lab' of the scenario is not in the run"));
  write("tick,firm,cash_usd_bn,defaulted\n");
  EXPECT_FALSE(read_firm_states(file_, m, std::nullopt, diags));
  EXPECT_THAT(diags.items().back().message, HasSubstr("missing column 'equity_usd_bn'"));
  write("tick,firm,cash_usd_bn,equity_usd_bn,defaulted\n0,chip,x,1,0\n");
  EXPECT_FALSE(read_firm_states(file_, m, std::nullopt, diags));
  EXPECT_EQ(diags.items().back().where.line, 2);
  // The cell is named by its column, and quoted safely (the whole row was printed as it was, an
  // escape sequence in it included).
  EXPECT_EQ(diags.items().back().message, "column 'cash_usd_bn': expected a number, got 'x'");
  write("tick,firm,cash_usd_bn,equity_usd_bn,defaulted\n0,chip,1,\x1b[31m,0\n0,lab,1,1\n");
  EXPECT_FALSE(read_firm_states(file_, m, std::nullopt, diags));
  EXPECT_EQ(diags.items().back().message, "column 'equity_usd_bn': expected a number, got '\\x1b[31m'");
  write("tick,firm,cash_usd_bn,equity_usd_bn,defaulted\n0,lab,1,1\n");
  EXPECT_FALSE(read_firm_states(file_, m, std::nullopt, diags));
  EXPECT_EQ(diags.items().back().message, "expected 5 fields, got 4");
  EXPECT_FALSE(read_firm_states(file_.string() + ".missing", m, std::nullopt, diags));
}

}  // namespace
}  // namespace cascade::analysis
