// The regulator's report: one self-contained HTML page per run, optionally beside a baseline
// run. It needs nothing else to open or print: CSS inline, charts and network pictures inline
// SVG, no script, no external reference. docs/report.md describes every section and where
// each number comes from.
//
//   ReportInput in{.scenario = {.data = read_run_directory("runs/s8"), .model = std::move(model)}};
//   std::string html = report_html(in);   // "<!DOCTYPE html>..."
//
// Sections come in the order of kSections (report_page.cc): to add one, write a function
// `void write_x(const ReportInput&, Html&)` (report_sections.h) and list it there. With a
// baseline, every chart and table shows it beside the scenario. Money in USD bn.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/model.h"
#include "engine/output/report/run_data.h"

namespace cascade::report {

/// A network picture (Graphviz SVG), or the reason it is missing.
struct NetworkPicture {
  std::string caption;  ///< e.g. "start (tick 0)"; the page puts the run's label before it
  Tick tick = 0;
  std::string svg;                     ///< Graphviz SVG (prolog and doctype are dropped); empty when missing
  std::string note;                    ///< shown instead of a missing picture, e.g. how to install Graphviz
  std::vector<std::string> defaulted;  ///< firm ids in that state at `tick`, listed under the picture
  std::vector<std::string> distressed;
};

/// One row of the systemic-importance ranking (engine/experiments/rank.h): what the firm's
/// sole failure does to the others, most loss caused first.
struct RankingRow {
  std::size_t rank = 0;  ///< from 1; firms tied on the total and defaults caused share one
  std::string firm;
  std::string type;
  double total_loss_caused_usd_bn = 0.0;    ///< the other firms' and outside creditors' loss (cascade rank's ordering)
  double credit_loss_caused_usd_bn = 0.0;   ///< of which: other firms' credit losses
  double revenue_loss_caused_usd_bn = 0.0;  ///< of which: other firms' revenue lost
  double outside_creditor_loss_caused_usd_bn = 0.0;  ///< of which: creditors outside the network
  double defaults_caused = 0.0;
  double debtrank = 0.0;  ///< single-hit DebtRank of its failure at tick 0, in [0, 1]
};

/// One run and what the report needs beside its files.
struct ReportRun {
  RunData data;
  Model model;            ///< the scenario, reloaded with the run's overrides
  std::string narrative;  ///< the leading comment of the scenario's main file (leading_comment)
  std::vector<NetworkPicture> pictures;
  std::vector<RankingRow> ranking;
  Tick ranking_tick = 1;              ///< the tick of each firm's failure in the ranking
  std::vector<std::string> warnings;  ///< shown at the top of the page (e.g. the scenario changed)
};

struct ReportInput {
  ReportRun scenario;
  std::optional<ReportRun> baseline;
  std::string generator;  ///< e.g. "cascade 0.1.0: cascade report runs/s8 --out s8.html"
};

/// The whole page.
std::string report_html(const ReportInput& input);

/// The comment block at the top of a YAML file, '#' and one space stripped from each line,
/// blank comment lines kept as empty lines, up to the first line that is not a comment.
std::string leading_comment(std::string_view yaml_text);

/// How the report names a run: its scenario name, and for a baseline of the same name, that
/// name with " (baseline)".
std::string run_label(const ReportInput& input, bool baseline);

/// Graphviz SVG made fit for inlining: the XML prolog, doctype and comments before <svg> are
/// dropped, and every id="x" (and its references) gets `id_prefix` so that several pictures
/// share one page.
std::string inline_svg(std::string_view svg, std::string_view id_prefix);

}  // namespace cascade::report
