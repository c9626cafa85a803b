#include "engine/output/report/report_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "engine/output/report/default_story.h"
#include "engine/output/text_format.h"
#include "tests/engine/output/report/report_fixture.h"

namespace cascade::report {
namespace {
using ::testing::HasSubstr;
using ::testing::Not;

/// Shocks off: small.yaml's baseline.
const std::vector<std::string> kNoShocks{"shocks.lab-demand-slump.value=1", "shocks.neocloud-outage.value=0"};

/// The <figure> (or note) with id "chart-<id>", up to its end.
std::string chart(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("id=\"chart-" + id + "\"");
  if (at == std::string::npos) return {};
  const std::size_t start = html.rfind('<', at);
  const std::size_t end = html.find("</figure>", start);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ReportPageTest : public cascade::testing::RunDirFixture {
 protected:
  ReportRun load(const std::filesystem::path& dir, const std::vector<std::string>& overrides) const {
    scenario::LoadOptions options;
    for (const std::string& o : overrides) options.overrides.push_back(scenario::parse_override(o));
    ReportRun run{.data = read_run_directory(dir),
                  .model = scenario::load_file(cascade::testing::kSmallScenario, options)};
    run.narrative = "A small network.\n";
    run.pictures.push_back(
        {.caption = "start",
         .tick = 0,
         .svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg id=\"graph0\"><g id=\"firm_labco\"/></svg>\n",
         .note = {},
         .defaulted = {},
         .distressed = {"labco"}});
    run.pictures.push_back({.caption = "end",
                            .tick = 36,
                            .svg = {},
                            .note = "No picture: install graphviz",
                            .defaulted = {"labco", "neoco"},
                            .distressed = {}});
    run.ranking = {{1, "labco", "ai_lab", 12.5, 11.9, 1, 0.25}, {2, "chipco", "chipmaker", 0.5, 0, 0, 0.01}};
    return run;
  }
};

TEST(LeadingComment, TakesTheHeaderCommentOnly) {
  EXPECT_EQ(leading_comment("# S8 - derating\n#\n#   - detail\r\nformat: x\n# later\n"),
            "S8 - derating\n\n  - detail\n");
  EXPECT_EQ(leading_comment("format: x\n# not a header\n"), "");
}

TEST(InlineSvg, DropsThePrologAndPrefixesIds) {
  const std::string svg = inline_svg(
      "<?xml version=\"1.0\"?>\n<!-- Generated -->\n<svg id=\"graph0\"><g id=\"a\" fill=\"url(#p)\"><use "
      "href=\"#a\"/></g></svg>",
      "net-1");
  EXPECT_EQ(svg,
            "<svg id=\"net-1-graph0\"><g id=\"net-1-a\" fill=\"url(#net-1-p)\"><use href=\"#net-1-a\"/></g></svg>");
}

TEST_F(ReportPageTest, OneRunHasEverySectionAndChartAndNoExternalReference) {
  ReportInput input{.scenario = load(run_small("stressed"), {}), .baseline = std::nullopt, .generator = "cascade test"};
  const std::string html = report_html(input);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
  for (const char* section :
       {"summary", "scenario", "parameters", "defaults", "losses", "markets", "network", "firms", "sources"})
    EXPECT_THAT(html, HasSubstr(std::string("<section class=\"major\" id=\"") + section + "\">"));

  // Self-contained: no script, no link, no external URL (only the SVG namespaces).
  for (const char* banned : {"<script", "<link", "src=", "@import", "<iframe", "<img"})
    EXPECT_THAT(html, Not(HasSubstr(banned)));
  const std::regex url("https?://[^\"'<> ]+");
  for (std::sregex_iterator it(html.begin(), html.end(), url), end; it != end; ++it)
    EXPECT_THAT(it->str(), ::testing::AnyOf("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")) << it->str();

  // Line charts: one line per run, with a point per tick (small.yaml: 36 ticks + tick 0).
  for (const char* id : {"system-equity", "system-cash", "credit-losses", "gpu-price", "market-stress", "sentiment"}) {
    const std::string c = chart(html, id);
    ASSERT_THAT(c, HasSubstr("<figure class=\"chart\"")) << id;
    EXPECT_EQ(count(c, "class=\"series-line\""), 1u) << id;
    const std::size_t d = c.find(" d=\"M", c.find("class=\"series-line\""));
    ASSERT_NE(d, std::string::npos) << id;
    EXPECT_EQ(count(c.substr(d, c.find('"', d + 4) - d), "L"), 36u) << id;
  }
  // Bar charts: a bar per holder type with a credit loss, its tooltip the summary's value.
  const RunData& data = input.scenario.data;
  const std::string by_type = chart(html, "credit-loss-by-lender-type");
  std::size_t types = 0;
  for (const auto& [type, loss] : data.summary.credit_loss_by_holder_type) {
    if (loss < 0.05) continue;
    ++types;
    char expected[128];
    std::snprintf(expected, sizeof expected, "cli-small %s: %.4f", type.c_str(), loss);
    EXPECT_THAT(by_type, HasSubstr(expected));
  }
  EXPECT_GT(types, 0u);
  EXPECT_EQ(count(by_type, "class=\"bar\""), types);
  EXPECT_THAT(chart(html, "credit-loss-by-exposure-kind"), HasSubstr("class=\"bar\""));
  EXPECT_THAT(chart(html, "loss-by-channel"), HasSubstr("class=\"bar\""));
  EXPECT_EQ(count(chart(html, "defaults-by-sector-1"), "class=\"bar\""),
            data.defaults.size());  // small.yaml: each default in a quarter of its own
  // No ablation in this run: a note says how to get one.
  EXPECT_THAT(html, HasSubstr("--ablate"));
  EXPECT_EQ(chart(html, "ablation-equity_lost_usd_bn"), "");

  // The timeline names every default and, for each, its largest creditor.
  for (const DefaultStory& s : explain_defaults(data.defaults, data.credit_losses)) {
    EXPECT_THAT(html, HasSubstr("<td class=\"nowrap\">" + s.event.firm + "</td>"));
    if (!s.passed_on.empty()) {
      EXPECT_THAT(html, HasSubstr(s.passed_on[0].holder + " " + output::format_usd_bn(s.passed_on[0].loss_usd_bn)));
    }
  }
  // Pictures: the first inlined with prefixed ids, the second replaced by its note; states listed.
  EXPECT_THAT(html, HasSubstr("<svg id=\"network-1-graph0\"><g id=\"network-1-firm_labco\"/>"));
  EXPECT_THAT(html, Not(HasSubstr("<?xml")));
  EXPECT_THAT(html, HasSubstr("No picture: install graphviz"));
  EXPECT_THAT(html, HasSubstr("At tick 36, defaulted: labco, neoco; distressed: none."));
  // Ranking and narrative.
  EXPECT_THAT(html, HasSubstr("<td>labco</td>\n<td>ai_lab</td>\n<td class=\"num\">12.5</td>"));
  EXPECT_THAT(html, HasSubstr("<pre class=\"narrative\">A small network.\n</pre>"));
}

TEST_F(ReportPageTest, ABaselineStandsBesideTheScenarioEverywhere) {
  ReportInput input{.scenario = load(run_small("stressed"), {}),
                    .baseline = load(run_small("calm", kNoShocks), kNoShocks),
                    .generator = "cascade test"};
  input.baseline->warnings.push_back("The scenario changed after this run.");
  EXPECT_EQ(run_label(input, false), "cli-small");
  EXPECT_EQ(run_label(input, true), "cli-small (baseline)");  // same scenario name
  const std::string html = report_html(input);
  for (const char* id : {"system-equity", "system-cash", "credit-losses", "gpu-price", "market-stress", "sentiment"})
    EXPECT_EQ(count(chart(html, id), "class=\"series-line\""), 2u) << id;
  for (const char* id : {"system-equity", "credit-loss-by-lender-type", "loss-by-channel"})
    EXPECT_THAT(chart(html, id), HasSubstr("cli-small (baseline)")) << id;  // in the legend
  EXPECT_THAT(html, HasSubstr("Defaults: scenario against baseline"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">difference</th>"));
  EXPECT_THAT(html, HasSubstr("cli-small (baseline): timeline of defaults"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">cli-small (baseline): rank</th>"));
  // The overrides that made the baseline differ are shown, and the warning at the top.
  EXPECT_THAT(html, HasSubstr("shocks.lab-demand-slump.value=1"));
  EXPECT_THAT(html, HasSubstr("<div class=\"warning\">\n<strong>cli-small (baseline): </strong>\nThe scenario changed "
                              "after this run.</div>"));
}

}  // namespace
}  // namespace cascade::report
