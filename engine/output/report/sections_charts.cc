// The report's chart sections: losses (system equity, cash and credit losses over time; credit
// losses by lender type and by exposure kind; losses by channel; the channel ablation and the
// loop contributions when the run has them) and markets (GPU price, credit-market stress,
// equity sentiment). Each chart has one series per run.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "engine/output/report/report_sections.h"
#include "engine/output/svg_chart.h"

namespace cascade::report {
namespace {
using output::BarChart;
using output::LineChart;

constexpr double kLineChartHeightPx = 320.0;
constexpr double kBarHeadPx = 120.0;  // title, legend and value axis of a bar chart
constexpr double kBarPx = 15.0;       // one bar of a horizontal bar chart
constexpr double kCategoryGapPx = 10.0;
/// Bar chart categories below this in every run (USD bn; 0.0 at one decimal) are left out.
constexpr double kNegligibleUsdBn = 0.05;

std::string tick_axis(const ReportInput& input) {
  return "tick (" + tick_length(input.scenario.data.summary.ticks_per_year) + ")";
}

/// One line per run of system.csv's `column` (summed over ticks when `cumulative`); empty when
/// no run has the column.
std::string system_lines(const ReportInput& input, std::string_view column, bool cumulative, std::string title,
                         std::string y_title, std::string_view id) {
  LineChart chart{.title = std::move(title),
                  .x_axis = {.title = tick_axis(input)},
                  .y_axis = {.title = std::move(y_title)},
                  .series = {}};
  for (const LabelledRun& r : report_runs(input)) {
    const std::vector<double>* ticks = r.run->data.system.find("tick");
    const std::vector<double>* values = r.run->data.system.find(column);
    if (!values || values->size() < 2) continue;
    std::vector<double> y = *values;
    if (cumulative) std::partial_sum(y.begin(), y.end(), y.begin());
    chart.series.push_back({.name = r.label, .x = *ticks, .y = std::move(y)});
  }
  if (chart.series.empty()) return {};
  return output::to_svg(chart,
                        {.width_px = kChartWidthPx, .height_px = kLineChartHeightPx, .id_prefix = std::string(id)});
}

double bar_chart_height(std::size_t categories, std::size_t series) {
  return kBarHeadPx + static_cast<double>(categories) * (kBarPx * static_cast<double>(series) + kCategoryGapPx);
}

/// Horizontal bars of named values, one series per run that has them (`values_of` not null);
/// names that are negligible in every run are left out. Empty when nothing is left.
std::string named_bars(const ReportInput& input, const std::function<const NamedValues*(const RunData&)>& values_of,
                       std::string title, std::string value_title, std::string category_title, std::string_view id) {
  const std::vector<LabelledRun> runs = report_runs(input);
  BarChart chart{.title = std::move(title),
                 .category_title = std::move(category_title),
                 .value_axis = {.title = std::move(value_title)},
                 .categories = {},
                 .series = {}};
  std::vector<const NamedValues*> values;
  for (const LabelledRun& r : runs) values.push_back(values_of(r.run->data));
  for (const NamedValues* v : values)
    for (const auto& [name, amount] : v ? *v : NamedValues{})
      if (std::abs(amount) >= kNegligibleUsdBn &&
          std::find(chart.categories.begin(), chart.categories.end(), name) == chart.categories.end())
        chart.categories.push_back(name);
  if (chart.categories.empty()) return {};
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (!values[k]) continue;  // a run without these values (no ablation) has no bars, not zeros
    output::BarSeries series{.name = runs[k].label, .values = {}, .errors = {}};
    for (const std::string& category : chart.categories) {
      double amount = 0.0;
      for (const auto& [name, a] : values[k] ? *values[k] : NamedValues{})
        if (name == category) amount = a;
      series.values.push_back(amount);
    }
    chart.series.push_back(std::move(series));
  }
  return output::to_svg(chart, {.width_px = kChartWidthPx,
                                .height_px = bar_chart_height(chart.categories.size(), chart.series.size()),
                                .id_prefix = std::string(id)});
}

/// ablation.csv's rows of one kind ("marginal", "standalone") for one measure, by channel.
NamedValues ablation_values(const AblationTable& table, std::string_view row_kind, std::string_view measure) {
  NamedValues out;
  const auto m = std::find(table.measures.begin(), table.measures.end(), measure);
  if (m == table.measures.end()) return out;
  for (const AblationRow& row : table.rows)
    if (row.row == row_kind)
      out.emplace_back(row.label, row.values[static_cast<std::size_t>(m - table.measures.begin())]);
  return out;
}

void write_ablation_table(Html& html, const LabelledRun& r) {
  const AblationTable& a = *r.run->data.ablation;
  Table table{.caption = r.label + ": channel ablation (ablation.csv)",
              .header = {"effect", "channel"},
              .rows = {},
              .css_class = ""};
  for (const std::string& m : a.measures) table.header.push_back(m);
  for (const AblationRow& row : a.rows) {
    if (row.row == "run") continue;  // the cases themselves: in the file
    std::vector<Cell> cells{text_cell(row.row), text_cell(row.label)};
    for (std::size_t m = 0; m < row.values.size(); ++m)
      cells.push_back(number_cell(row.values[m], a.measures[m].ends_with("_usd_bn") ? 1 : 0));
    table.rows.push_back(std::move(cells));
  }
  write_table(html, table);
}

/// At most this many loops are listed (loop_contribution.csv has them all).
constexpr std::size_t kLoopsListed = 10;

void write_loop_table(Html& html, const LabelledRun& r) {
  const output::CsvTable& csv = *r.run->data.loop_contribution;  // its columns checked by read_run_directory
  Table table{.caption = r.label + ": what each money loop adds (loop_contribution.csv, first " +
                         std::to_string(kLoopsListed) + ")",
              .header = {kLoopContributionColumns.begin(), kLoopContributionColumns.end()},
              .rows = {},
              .css_class = ""};
  for (std::size_t k = 0; k < csv.rows.size() && k < kLoopsListed; ++k) {
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < kLoopContributionColumns.size(); ++i) {
      const std::size_t c = csv.require_column(kLoopContributionColumns[i]);
      cells.push_back(i < kLoopContributionTextColumns ? text_cell(csv.rows[k].fields[c])
                                                       : number_cell(csv.number(csv.rows[k], c), 1));
    }
    table.rows.push_back(std::move(cells));
  }
  write_table(html, table);
}

}  // namespace

void write_losses(const ReportInput& input, Html& html) {
  html.element("h3", "Over time");
  write_chart(html, "system-equity",
              system_lines(input, "equity_usd_bn", false, "System equity", "book equity (USD bn)", "system-equity"),
              "Sum of every firm's book equity at the end of each tick. Source: system.csv, equity_usd_bn.",
              "system.csv has no equity_usd_bn column.");
  write_chart(html, "system-cash",
              system_lines(input, "cash_usd_bn", false, "System cash", "cash (USD bn)", "system-cash"),
              "Sum of every firm's cash at the end of each tick. Source: system.csv, cash_usd_bn.",
              "system.csv has no cash_usd_bn column.");
  write_chart(html, "credit-losses",
              system_lines(input, "credit_loss_usd_bn", true, "Credit losses, cumulative", "credit losses (USD bn)",
                           "credit-losses"),
              "Claims minus recoveries on defaulted firms, summed up to each tick. Source: system.csv, "
              "credit_loss_usd_bn (per tick).",
              "system.csv has no credit_loss_usd_bn column.");

  html.element("h3", "Who lost, on what, through which channel");
  write_chart(
      html, "credit-loss-by-lender-type",
      named_bars(
          input, [](const RunData& d) { return &d.summary.credit_loss_by_holder_type; }, "Credit losses by lender type",
          "credit losses (USD bn)", "type of the firm holding the claim", "credit-loss-by-lender-type"),
      "Source: summary.json, credit_loss_by_holder_type_usd_bn (types below 0.05 in every run left out).",
      "No credit losses in any run.");
  write_chart(
      html, "credit-loss-by-exposure-kind",
      named_bars(
          input, [](const RunData& d) { return &d.summary.credit_loss_by_exposure_kind; },
          "Credit losses by exposure kind", "credit losses (USD bn)", "kind of claim", "credit-loss-by-exposure-kind"),
      "Source: summary.json, credit_loss_by_exposure_kind_usd_bn (kinds below 0.05 in every run left out).",
      "No credit losses in any run.");
  write_chart(html, "loss-by-channel",
              named_bars(
                  input, [](const RunData& d) { return &d.summary.loss_by_channel; }, "Losses by channel (net)",
                  "loss (USD bn; gains negative)", "channel", "loss-by-channel"),
              "Every loss a firm took, booked to the channel that brought it, summed over firms; gains (e.g. "
              "marked-up stakes) count negative. Source: summary.json, loss_by_channel_usd_bn; docs/model.md, "
              "\"Loss attribution\" (channels below 0.05 in every run left out).",
              "No losses attributed to any channel.");

  html.element("h3", "What each channel adds (ablation)");
  const bool any_ablation = input.scenario.data.ablation || (input.baseline && input.baseline->data.ablation);
  if (!any_ablation) {
    write_note(html,
               "The run has no ablation: `cascade run FILE --ablate` reruns the scenario with each channel alone "
               "and all but one and writes ablation.csv.");
  } else {
    for (const auto& [measure, title] : {std::pair{"equity_lost_usd_bn", "equity lost (USD bn)"},
                                         std::pair{"credit_loss_usd_bn", "credit losses (USD bn)"}}) {
      std::map<const RunData*, NamedValues> marginal;
      for (const LabelledRun& r : report_runs(input))
        if (r.run->data.ablation) marginal[&r.run->data] = ablation_values(*r.run->data.ablation, "marginal", measure);
      const std::string id = std::string("ablation-") + measure;
      write_chart(html, id,
                  named_bars(
                      input,
                      [&](const RunData& d) {
                        auto it = marginal.find(&d);
                        return it == marginal.end() ? nullptr : &it->second;
                      },
                      std::string("Marginal effect of each channel on ") + title,
                      std::string("all channels minus all but this one: ") + title, "channel", id),
                  std::string("Source: ablation.csv, rows \"marginal\", column ") + measure +
                      ". A positive effect: the channel adds to the loss; negative: it absorbs loss.",
                  std::string("No channel changes ") + title + ".");
    }
    for (const LabelledRun& r : report_runs(input))
      if (r.run->data.ablation)
        write_ablation_table(html, r);
      else
        write_note(html, r.label + " has no ablation (it was run without --ablate): the charts above leave it out.");
    write_note(html,
               "Standalone: only this channel minus none; marginal: all minus all but this one; interaction: "
               "all minus none minus every standalone effect (docs/model.md, \"Ablation\").");
  }

  bool any_loops = false;
  for (const LabelledRun& r : report_runs(input))
    if (r.run->data.loop_contribution) {
      if (!any_loops) html.element("h3", "What each money loop adds");
      any_loops = true;
      write_loop_table(html, r);
    }
}

void write_markets(const ReportInput& input, Html& html) {
  write_chart(html, "gpu-price",
              system_lines(input, "gpu_price_index", false, "GPU price index", "index (tick 0 = 1)", "gpu-price"),
              "Market value of GPUs relative to tick 0: economic-life decay, shocks and fire-sale price impact. "
              "Source: system.csv, gpu_price_index.",
              "system.csv has no gpu_price_index column.");
  write_chart(html, "market-stress",
              system_lines(input, "market_stress_index", false, "Credit-market stress",
                           "stress (0 calm, 1 full stress)", "market-stress"),
              "Stress shocks plus cumulative credit losses over stress_reference_usd_bn, at most 1; it prices debt "
              "and makes lenders pull back. Source: system.csv, market_stress_index.",
              "system.csv has no market_stress_index column.");
  write_chart(html, "sentiment",
              system_lines(input, "sentiment_index", false, "Equity sentiment", "index (1 = neutral)", "sentiment"),
              "Sentiment shocks damped by credit-market stress; it scales every firm's equity value and gates equity "
              "raising. Source: system.csv, sentiment_index.",
              "system.csv has no sentiment_index column.");

  html.element("h3", "The market for AI compute");
  write_chart(html, "ai-capacity",
              system_lines(input, "ai_capacity_gw", false, "AI capacity in service", "capacity (GW)", "ai-capacity"),
              "AI data-centre capacity of the firms not in default: built from AI capex after construction, retiring "
              "over capacity_life_years. Source: system.csv, ai_capacity_gw; docs/model.md, \"The AI-capex cycle\".",
              "system.csv has no ai_capacity_gw column.");
  write_chart(html, "ai-utilisation",
              system_lines(input, "ai_utilisation", false, "Utilisation of merchant AI capacity", "share in use (0-1)",
                           "ai-utilisation"),
              "End demand for AI over the capacity not reserved by contracts, at most 1. Source: system.csv, "
              "ai_utilisation.",
              "system.csv has no ai_utilisation column.");
  write_chart(html, "compute-price",
              system_lines(input, "compute_price_index", false, "Compute price index", "index (tick 0 = 1)",
                           "compute-price"),
              "Price of AI compute: (demand / capacity at the initial utilisation) to the power of "
              "compute_price_elasticity; it moves the GPU price index. Source: system.csv, compute_price_index.",
              "system.csv has no compute_price_index column.");
  write_chart(html, "ai-revenue",
              system_lines(input, "ai_revenue_usd_bn_per_year", false, "AI revenue from end demand",
                           "revenue (USD bn per year)", "ai-revenue"),
              "What end demand pays for AI, at this tick's rate (contracted compute revenue excluded). Compare with "
              "the next chart: the gap is the revenue the capacity would need. Source: system.csv, "
              "ai_revenue_usd_bn_per_year.",
              "system.csv has no ai_revenue_usd_bn_per_year column.");
  write_chart(html, "required-ai-revenue",
              system_lines(input, "required_ai_revenue_usd_bn_per_year", false, "AI revenue the capacity requires",
                           "revenue (USD bn per year)", "required-ai-revenue"),
              "Capacity x capacity_cost_usd_bn_per_gw x (1 / capacity_life_years + required_return_per_year): the "
              "revenue that would pay for the capacity's depreciation and the return its capital needs. Source: "
              "system.csv, required_ai_revenue_usd_bn_per_year.",
              "system.csv has no required_ai_revenue_usd_bn_per_year column.");
}

}  // namespace cascade::report
