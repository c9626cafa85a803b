// The sections of the report page (report_page.h), one function each, and what they share.
// Internal to engine/output/report: report_page.cc lists the sections in order.
//
//   Html html;
//   write_defaults(input, html);   // the content of <section id="defaults">, after its <h2>
//
// With a baseline, each chart has a series per run and each table a column (or a table) per run.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/output/report/html.h"
#include "engine/output/report/report_page.h"

namespace cascade::report {

// --- sections (sections_overview.cc, sections_firms.cc, sections_charts.cc)
void write_summary(const ReportInput& input, Html& html);
void write_scenario(const ReportInput& input, Html& html);
void write_parameters(const ReportInput& input, Html& html);
void write_defaults(const ReportInput& input, Html& html);
void write_losses(const ReportInput& input, Html& html);
void write_markets(const ReportInput& input, Html& html);
void write_network(const ReportInput& input, Html& html);
void write_firms(const ReportInput& input, Html& html);
void write_sources(const ReportInput& input, Html& html);

// --- shared helpers (report_page.cc)

/// Charts are drawn this wide (px); CSS scales them down to the page or window.
inline constexpr double kChartWidthPx = 720.0;

/// A run of the report with its label: the scenario first, then the baseline if any.
struct LabelledRun {
  const ReportRun* run;
  std::string label;
};
std::vector<LabelledRun> report_runs(const ReportInput& input);

/// A chart in a <figure class="chart" id="chart-<id>"> with a caption saying where its numbers
/// come from; when `svg` is empty (no data), a <p class="no-data"> saying so instead.
void write_chart(Html& html, std::string_view id, const std::string& svg, std::string_view source,
                 std::string_view no_data_note);

/// A short paragraph in small print (definitions, where numbers come from).
void write_note(Html& html, std::string_view text);

/// The items separated by `separator`.
std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ");

/// "1 tick = 1 month" (12 ticks a year), "1 quarter" (4), "1 year" (1), "1/N year".
std::string tick_length(int ticks_per_year);

}  // namespace cascade::report
