#include "engine/output/report/report_page.h"

#include <array>

#include "engine/output/report/report_sections.h"

namespace cascade::report {
namespace {

struct Section {
  std::string_view id;
  std::string_view title;
  void (*write)(const ReportInput&, Html&);
};

// The page, in order: each is a <section class="major" id=...> with an <h2> title.
constexpr std::array<Section, 9> kSections{{
    {"summary", "Summary", write_summary},
    {"scenario", "Scenario", write_scenario},
    {"parameters", "Parameters", write_parameters},
    {"defaults", "Defaults", write_defaults},
    {"losses", "Losses", write_losses},
    {"markets", "Markets", write_markets},
    {"network", "Network", write_network},
    {"firms", "Firms", write_firms},
    {"sources", "Where the numbers come from", write_sources},
}};

// Screen and print styles. Print: A4 or Letter (the page size is the printer's), a page break
// before each major section, no fixed elements, charts and pictures scaled to the page width.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; color: #222222; background: #ffffff;
       max-width: 190mm; margin: 0 auto; padding: 8mm 6mm; }
h1 { font-size: 20pt; margin: 0 0 4pt 0; }
h2 { font-size: 15pt; border-bottom: 2px solid #333333; padding-bottom: 2pt; margin-top: 18pt; }
h3 { font-size: 12pt; margin: 14pt 0 4pt 0; }
p.subtitle { font-size: 12pt; margin: 0 0 8pt 0; color: #444444; }
p.note, p.no-data, figcaption { font-size: 8.5pt; color: #555555; }
p.no-data { border: 1px dashed #999999; padding: 6pt; }
div.warning { border: 2px solid #b00000; background: #fff0f0; padding: 6pt 10pt; margin: 8pt 0; }
nav.toc ol { columns: 2; font-size: 10pt; }
a { color: #1f4e9c; }
table.data { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0 10pt 0; }
table.data caption { text-align: left; font-weight: bold; font-size: 9.5pt; padding: 2pt 0; }
table.data th, table.data td { border-bottom: 1px solid #cccccc; padding: 2pt 5pt; text-align: left;
                               vertical-align: top; }
table.data th { background: #f0f0f0; border-bottom: 1px solid #888888; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data td.changed { background: #fff3c4; font-weight: bold; }
table.data td { overflow-wrap: anywhere; }
table.data td.nowrap { white-space: nowrap; }
table.data td.story { font-size: 8.5pt; color: #333333; padding-left: 18pt; border-bottom: 1px solid #888888; }
table.timeline tr:nth-child(odd) td { border-bottom: none; }
table.keyvalue td:first-child { width: 30%; font-weight: bold; }
pre.narrative { white-space: pre-wrap; font-size: 8.5pt; background: #f7f7f7; border-left: 3px solid #999999;
                padding: 6pt 8pt; }
figure { margin: 6pt 0 14pt 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.network { width: 96vw; margin-left: calc(50% - 48vw); text-align: center; }
figure.network svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  @page { margin: 14mm 12mm; }
  section.major { break-before: page; }
  nav.toc { break-after: page; }
  figure, tr, div.warning { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  figure.network { break-before: page; width: auto; margin-left: 0; }
  figure.network svg { max-height: 235mm; }
  a { color: inherit; text-decoration: none; }
  td.changed, th, div.warning, p.no-data { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
)css";

}  // namespace

std::vector<LabelledRun> report_runs(const ReportInput& input) {
  std::vector<LabelledRun> runs{{&input.scenario, run_label(input, false)}};
  if (input.baseline) runs.push_back({&*input.baseline, run_label(input, true)});
  return runs;
}

std::string run_label(const ReportInput& input, bool baseline) {
  const std::string& name = input.scenario.data.manifest.scenario_name;
  if (!baseline) return name;
  const std::string& other = input.baseline->data.manifest.scenario_name;
  return other == name ? other + " (baseline)" : other;
}

void write_chart(Html& html, std::string_view id, const std::string& svg, std::string_view source,
                 std::string_view no_data_note) {
  const std::string element_id = "chart-" + std::string(id);
  if (svg.empty()) {
    html.element("p", no_data_note, {{"class", "no-data"}, {"id", element_id}});
    return;
  }
  html.open("figure", {{"class", "chart"}, {"id", element_id}}).raw(svg);
  html.element("figcaption", source).close("figure");
}

void write_note(Html& html, std::string_view text) { html.element("p", text, {{"class", "note"}}); }

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

std::string tick_length(int ticks_per_year) {
  switch (ticks_per_year) {
    case 12:
      return "1 tick = 1 month";
    case 4:
      return "1 tick = 1 quarter";
    case 1:
      return "1 tick = 1 year";
    default:
      return "1 tick = 1/" + std::to_string(ticks_per_year) + " year";
  }
}

std::string leading_comment(std::string_view yaml_text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < yaml_text.size()) {
    const std::size_t end = std::min(yaml_text.find('\n', pos), yaml_text.size());
    std::string_view line = yaml_text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() != '#') break;
    line.remove_prefix(1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    out.append(line).push_back('\n');
    pos = end + 1;
  }
  return out;
}

std::string inline_svg(std::string_view svg, std::string_view id_prefix) {
  const std::size_t start = svg.find("<svg");
  std::string_view body = start == std::string_view::npos ? svg : svg.substr(start);
  std::string out;
  out.reserve(body.size() + body.size() / 20);
  for (std::size_t i = 0; i < body.size();) {
    bool replaced = false;
    for (const std::string_view marker :
         {std::string_view(" id=\""), std::string_view("url(#"), std::string_view("href=\"#")}) {
      if (body.compare(i, marker.size(), marker) == 0) {
        out.append(marker).append(id_prefix).push_back('-');
        i += marker.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(body[i++]);
  }
  return out;
}

std::string report_html(const ReportInput& input) {
  const std::vector<LabelledRun> runs = report_runs(input);
  Html html;
  html.raw("<!DOCTYPE html>\n").open("html", {{"lang", "en"}}).open("head");
  html.void_element("meta", {{"charset", "utf-8"}});
  html.void_element("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  html.element("title", "Cascade stress report: " + runs[0].label + (input.baseline ? " vs " + runs[1].label : ""));
  html.open("style").raw(kStyle).close("style").close("head").open("body");

  html.open("header").element("h1", "Stress report: " + runs[0].label);
  html.element("p", input.baseline ? "compared with the baseline " + runs[1].label : "no baseline",
               {{"class", "subtitle"}});
  html.element("p",
               "Made by " + input.generator + ". Money in USD billions; " +
                   tick_length(input.scenario.data.summary.ticks_per_year) + ".",
               {{"class", "note"}});
  for (const LabelledRun& r : runs)
    for (const std::string& warning : r.run->warnings)
      html.open("div", {{"class", "warning"}}).element("strong", r.label + ": ").text(warning).close("div");
  html.close("header");

  html.open("nav", {{"class", "toc"}}).element("h2", "Contents").open("ol");
  for (const Section& s : kSections)
    html.open("li").element("a", s.title, {{"href", "#" + std::string(s.id)}}).close("li");
  html.close("ol").close("nav");

  for (const Section& s : kSections) {
    html.open("section", {{"class", "major"}, {"id", std::string(s.id)}}).element("h2", s.title);
    s.write(input, html);
    html.close("section");
  }

  html.open("footer").element("p", "End of report.", {{"class", "note"}, {"id", "end-of-report"}}).close("footer");
  html.close("body").close("html");
  return html.str();
}

}  // namespace cascade::report
