#include "engine/output/report/html.h"

#include <gtest/gtest.h>

#include "engine/core/diagnostics.h"

namespace cascade::report {
namespace {

TEST(Html, EscapesTextAndAttributes) {
  Html html;
  html.open("p", {{"title", "a \"b\" & <c>"}}).text("1 < 2 & 'x'").close("p");
  EXPECT_EQ(html.str(), "<p title=\"a &quot;b&quot; &amp; &lt;c&gt;\">\n1 &lt; 2 &amp; &apos;x&apos;</p>\n");
}

TEST(Html, RawMarkupIsKeptAndElementsNest) {
  Html html;
  html.open("figure").raw("<svg><rect/></svg>").element("figcaption", "a & b").close("figure");
  EXPECT_EQ(html.str(), "<figure>\n<svg><rect/></svg><figcaption>a &amp; b</figcaption>\n</figure>\n");
}

TEST(Html, MisnestedOrUnclosedTagsAreBugs) {
  Html open_div;
  open_div.open("div");
  EXPECT_THROW(open_div.str(), InternalError);
  Html wrong;
  wrong.open("div").open("p");
  EXPECT_THROW(wrong.close("div"), InternalError);
  Html nothing_open;
  EXPECT_THROW(nothing_open.close("p"), InternalError);
}

TEST(Html, TablesAlignNumbersAndSpanColumns) {
  Html html;
  Cell wide = text_cell("all of it");
  wide.colspan = 2;
  write_table(html,
              {.caption = "T",
               .header = {"firm", "loss (USD bn)"},
               .rows = {{text_cell("a"), number_cell(12345.67)}, {wide}, {text_cell("b"), number_cell(std::nullopt)}},
               .css_class = "x"});
  const std::string out = html.str();
  EXPECT_NE(out.find("<table class=\"data x\">"), std::string::npos);
  EXPECT_NE(out.find("<caption>T</caption>"), std::string::npos);
  EXPECT_NE(out.find("<th scope=\"col\">loss (USD bn)</th>"), std::string::npos);
  EXPECT_NE(out.find("<td class=\"num\">12,345.7</td>"), std::string::npos);
  EXPECT_NE(out.find("<td colspan=\"2\">all of it</td>"), std::string::npos);
  EXPECT_NE(out.find("<td class=\"num\">\u2013</td>"), std::string::npos);  // no value: a dash
  // No header row when there is no header.
  Html bare;
  write_table(bare, {.caption = "", .header = {}, .rows = {{text_cell("k"), text_cell("v")}}, .css_class = ""});
  EXPECT_EQ(bare.str().find("<thead>"), std::string::npos);
}

}  // namespace
}  // namespace cascade::report
