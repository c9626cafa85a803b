#include "engine/output/svg_chart.h"

#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace cascade::output {
namespace {

namespace pt = boost::property_tree;

// Parses `svg` as XML (throws on a well-formedness error) and returns the tree.
pt::ptree parse(const std::string& svg) {
  std::istringstream in(svg);
  pt::ptree tree;
  pt::read_xml(in, tree);
  return tree;
}

// Every element named `name` whose class is `css_class`, anywhere below `tree`.
void collect(const pt::ptree& tree, const std::string& name, const std::string& css_class,
             std::vector<const pt::ptree*>& out) {
  for (const auto& [child_name, child] : tree) {
    if (child_name == name && child.get<std::string>("<xmlattr>.class", "") == css_class) out.push_back(&child);
    collect(child, name, css_class, out);
  }
}

std::vector<const pt::ptree*> elements(const pt::ptree& tree, const std::string& name, const std::string& css_class) {
  std::vector<const pt::ptree*> out;
  collect(tree, name, css_class, out);
  return out;
}

std::vector<std::string> texts(const pt::ptree& tree, const std::string& css_class) {
  std::vector<std::string> out;
  for (const pt::ptree* t : elements(tree, "text", css_class)) out.push_back(t->data());
  return out;
}

TEST(NiceTicks, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  // Heckbert (1990), by hand: range 0.87 -> nice 1; 1 / 4 = 0.25 -> rounded 0.2; 0 .. ceil(0.87 / 0.2) = 5 steps.
  const std::vector<double> unit = nice_ticks(0.0, 0.87);
  ASSERT_EQ(unit.size(), 6u);
  for (std::size_t i = 0; i < unit.size(); ++i) EXPECT_NEAR(unit[i], 0.2 * static_cast<double>(i), 1e-12);
  // 20.2 -> nice 50; 50 / 4 = 12.5 -> 10; floor(-0.32) = -1 .. ceil(1.7) = 2.
  EXPECT_EQ(nice_ticks(-3.2, 17.0), (std::vector<double>{-10, 0, 10, 20}));
  // 60 -> 100; 25 -> 20 (2.5 rounds to 2).
  EXPECT_EQ(nice_ticks(0.0, 60.0), (std::vector<double>{0, 20, 40, 60}));
  // 2.5 -> 5; 1.25 -> 1.
  EXPECT_EQ(nice_ticks(1234.0, 1236.5), (std::vector<double>{1234, 1235, 1236, 1237}));
  // A single value gets a unit around it: [0, 1] -> 0.2 steps as above.
  EXPECT_EQ(nice_ticks(0.0, 0.0).size(), 6u);
}

TEST(EscapeXml, ReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_xml(R"(a<b & "c" > 'd')"), "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;");
  EXPECT_EQ(escape_xml("plain"), "plain");
  // XML 1.0 allows no control character but tab, LF and CR, even as a reference, and a page
  // declared UTF-8 must be UTF-8: a NUL in a firm's name made the report's page malformed and
  // Graphviz fail (exit 3). Each such byte is written as U+FFFD; valid UTF-8 is kept.
  EXPECT_EQ(escape_xml(std::string("Chip\0Co\x01\x1b", 9)), "Chip\uFFFDCo\uFFFD\uFFFD");
  EXPECT_EQ(escape_xml("tab\there\nline\r"), "tab\there\nline\r");
  EXPECT_EQ(escape_xml("bad\xffid \xC3\xA9"), "bad\uFFFDid \u00E9");
}

BarChart sobol_chart() {
  return {
      .title = "Sobol' indices of <loss> & defaults",
      .category_title = "parameter",
      .value_axis = {.title = "share of output variance (fraction)"},
      .categories = {"recovery_rate", "fire_sale_impact", "gpu_life_years"},
      .series = {{.name = "S1", .values = {0.31, 0.44, 0.0}, .errors = {{0.28, 0.34}, {0.41, 0.47}, {-0.03, 0.02}}},
                 {.name = "ST", .values = {0.56, 0.44, 0.24}, .errors = {{0.51, 0.60}, {0.42, 0.87}, {0.23, 0.26}}}}};
}

TEST(BarChartSvg, DrawsEveryBarErrorBarAndLegendEntry) {
  const std::string svg = to_svg(sobol_chart());
  const pt::ptree tree = parse(svg);
  EXPECT_EQ(elements(tree, "rect", "bar").size(), 6u);
  EXPECT_EQ(elements(tree, "path", "error-bar").size(), 6u);
  EXPECT_EQ(elements(tree, "g", "legend-item").size(), 2u);
  // The value axis covers -0.03 .. 0.87: range 0.9 -> nice 1, step 0.25 -> 0.2, from -0.2 to 1.
  EXPECT_EQ(texts(tree, "x-tick"), (std::vector<std::string>{"-0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  EXPECT_EQ(texts(tree, "category"), (std::vector<std::string>{"recovery_rate", "fire_sale_impact", "gpu_life_years"}));
  EXPECT_NE(svg.find("Sobol&apos; indices of &lt;loss&gt; &amp; defaults"), std::string::npos);
  EXPECT_NE(svg.find("share of output variance (fraction)"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("font-family=\"sans-serif\""), std::string::npos);
  EXPECT_EQ(to_svg(sobol_chart()), svg);  // same chart, same bytes
  // The second series' pattern is named by the id prefix, so two charts can share a page.
  const std::string other = to_svg(sobol_chart(), {.id_prefix = "sobol-loss"});
  EXPECT_NE(other.find("<pattern id=\"sobol-loss-fill-1\""), std::string::npos);
  EXPECT_NE(other.find("fill=\"url(#sobol-loss-fill-1)\""), std::string::npos);
}

TEST(BarChartSvg, FixedRangeAndMissingValues) {
  BarChart chart = sobol_chart();
  chart.value_axis.min = 0.0;
  chart.value_axis.max = 1.0;
  chart.series[0].values[1] = std::nan("");  // no bar, but the chart still renders
  chart.orientation = BarOrientation::vertical;
  const pt::ptree tree = parse(to_svg(chart));
  EXPECT_EQ(elements(tree, "rect", "bar").size(), 5u);
  EXPECT_EQ(texts(tree, "y-tick"), (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(BarChartSvg, LongCategoryNamesAreTruncatedAndRotated) {
  BarChart chart = sobol_chart();
  chart.categories[1] = std::string(200, 'x');
  const std::string horizontal = to_svg(chart, {.width_px = 600, .height_px = 400});
  const pt::ptree tree = parse(horizontal);
  const std::vector<std::string> labels = texts(tree, "category");
  // At most 35% of 600 px = 210 px at 7.2 px a character: 28 characters, the last an ellipsis.
  EXPECT_EQ(labels[1], std::string(28, 'x') + "\u2026");
  EXPECT_NE(horizontal.find("<title>" + std::string(200, 'x') + "</title>"), std::string::npos);  // full name kept

  chart.orientation = BarOrientation::vertical;
  const pt::ptree vertical = parse(to_svg(chart, {.width_px = 600, .height_px = 400}));
  for (const pt::ptree* label : elements(vertical, "text", "category")) {
    EXPECT_EQ(label->get<std::string>("<xmlattr>.transform").rfind("rotate(-45 ", 0), 0u);
  }
  // Short names fit under their bars: no rotation.
  BarChart short_chart;
  short_chart.categories = {"a", "b"};
  short_chart.series = {{.name = "n", .values = {1, 2}}};
  const pt::ptree short_names = parse(to_svg(short_chart));
  for (const pt::ptree* label : elements(short_names, "text", "category")) {
    EXPECT_FALSE(label->get_optional<std::string>("<xmlattr>.transform").has_value());
  }
}

TEST(BarChartSvg, StackedBarsPileSeriesInOrder) {
  // Defaults per quarter by sector: q1 has 1 (a) + 2 (b), q2 has 1 (b), q3 has 2 (a).
  // Field by field: GCC 12 warns, wrongly, of an uninitialised string when the nested axis is
  // a designated initializer here.
  BarChart chart;
  chart.title = "Defaults by sector";
  chart.category_title = "quarter";
  chart.value_axis.title = "defaults (firms)";
  chart.categories = {"q1", "q2", "q3"};
  chart.series = {{.name = "a", .values = {1, 0, 2}}, {.name = "b", .values = {2, 1, 0}}};
  chart.orientation = BarOrientation::vertical;
  chart.stacked = true;
  const pt::ptree tree = parse(to_svg(chart));
  const std::vector<const pt::ptree*> bars = elements(tree, "rect", "bar");
  ASSERT_EQ(bars.size(), 4u);  // zero layers draw nothing
  // The axis reaches the tallest stack, 3 (not the largest single value, 2): range 3 -> nice 5,
  // step 1.25 -> 1.
  EXPECT_EQ(texts(tree, "y-tick"), (std::vector<std::string>{"0", "1", "2", "3"}));
  auto get = [](const pt::ptree* bar, const char* name) { return bar->get<double>(std::string("<xmlattr>.") + name); };
  // Coordinates are written with 2 decimals: a sum or double of rounded values is off by < 0.02.
  constexpr double kRoundingPx = 0.02;
  // Bars come by category, then series: q1/a, q1/b, q2/b, q3/a. q1's b sits on q1's a, one
  // bar wide, twice as tall; q2's b (1) starts at 0 like q1's a (1).
  const pt::ptree *q1a = bars[0], *q1b = bars[1], *q2b = bars[2];
  EXPECT_NEAR(get(q1b, "y") + get(q1b, "height"), get(q1a, "y"), kRoundingPx);
  EXPECT_NEAR(get(q1b, "height"), 2 * get(q1a, "height"), kRoundingPx);
  EXPECT_EQ(get(q1a, "x"), get(q1b, "x"));
  EXPECT_EQ(get(q1a, "width"), get(q1b, "width"));
  EXPECT_NEAR(get(q2b, "y") + get(q2b, "height"), get(q1a, "y") + get(q1a, "height"), kRoundingPx);
  EXPECT_NEAR(get(q2b, "height"), get(q1a, "height"), kRoundingPx);
}

TEST(ScatterChartSvg, LabelsEveryPointThatHasRoom) {
  ScatterChart chart{
      .title = "Morris screening",
      .x_axis = {.title = "mu* (loss, USD bn per unit change)"},
      .y_axis = {.title = "sigma (USD bn)"},
      .series = {{.name = "parameter",
                  .points = {{0.1, 0.2, "a"}, {2.0, 1.0, "b"}, {4.0, 3.5, "c"}, {6.0, 0.5, "d"}, {8.0, 7.0, "e"}}}}};
  const std::string svg = to_svg(chart);
  const pt::ptree tree = parse(svg);
  EXPECT_EQ(elements(tree, "circle", "point").size(), 5u);
  EXPECT_EQ(texts(tree, "point-label"), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  // x: 0.1 .. 8 -> range 7.9 -> nice 10, step 2.5 -> 2: 0 .. 8. y: 0.2 .. 7 -> the same.
  EXPECT_EQ(texts(tree, "x-tick"), (std::vector<std::string>{"0", "2", "4", "6", "8"}));
  EXPECT_EQ(texts(tree, "y-tick"), (std::vector<std::string>{"0", "2", "4", "6", "8"}));
  EXPECT_EQ(elements(tree, "g", "legend-item").size(), 1u);
}

TEST(ScatterChartSvg, DropsLabelsThatWouldCollide) {
  // Five points in one place: the labels go right, left, above and below; the fifth has no room.
  ScatterChart chart{.x_axis = {.title = "x (1)"}, .y_axis = {.title = "y (1)"}, .series = {{.name = "p"}}};
  for (const char* name : {"one", "two", "three", "four", "five"}) chart.series[0].points.push_back({5.0, 5.0, name});
  chart.series[0].points.push_back({0.0, 0.0, "corner"});
  chart.series[0].points.push_back({10.0, 10.0, "far"});
  const pt::ptree tree = parse(to_svg(chart));
  EXPECT_EQ(elements(tree, "circle", "point").size(), 7u);
  EXPECT_EQ(texts(tree, "point-label"), (std::vector<std::string>{"one", "two", "three", "four", "corner", "far"}));
}

TEST(LineChartSvg, DrawsOneDashedLinePerSeries) {
  LineChart chart{.title = "GPU price index",
                  .x_axis = {.title = "tick (months)"},
                  .y_axis = {.title = "index (1 = tick 0)"},
                  .series = {{.name = "baseline", .x = {0, 1, 2, 3}, .y = {1.0, 0.9, 0.85, 0.8}},
                             {.name = "stress", .x = {0, 1, 2, 3}, .y = {1.0, 0.7, std::nan(""), 0.4}},
                             {.name = "recovery", .x = {0, 1, 2, 3}, .y = {1.0, 0.8, 0.9, 1.0}}}};
  const pt::ptree tree = parse(to_svg(chart));
  const auto lines = elements(tree, "path", "series-line");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_FALSE(lines[0]->get_optional<std::string>("<xmlattr>.stroke-dasharray").has_value());  // solid
  EXPECT_NE(lines[1]->get<std::string>("<xmlattr>.stroke-dasharray"),
            lines[2]->get<std::string>("<xmlattr>.stroke-dasharray"));
  const std::string broken = lines[1]->get<std::string>("<xmlattr>.d");
  EXPECT_EQ(std::count(broken.begin(), broken.end(), 'M'), 2);  // the missing value breaks the line
  EXPECT_EQ(elements(tree, "g", "legend-item").size(), 3u);
  // x: 0 .. 3 -> nice 5, step 1.25 -> 1. y: 0.4 .. 1 -> range 0.6 -> 1, step 0.25 -> 0.2: 0.4 .. 1.0.
  EXPECT_EQ(texts(tree, "x-tick"), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(texts(tree, "y-tick"), (std::vector<std::string>{"0.4", "0.6", "0.8", "1.0"}));
}

}  // namespace
}  // namespace cascade::output
