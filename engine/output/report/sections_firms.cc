// The report's sections about firms: the timeline of defaults (who, when, why, what each passed
// on) with defaults by sector over time, the network pictures, and the firm rankings (losses
// caused, losses suffered, systemic importance).
#include <algorithm>

#include "engine/output/report/default_story.h"
#include "engine/output/report/report_sections.h"
#include "engine/output/report/report_tables.h"
#include "engine/output/svg_chart.h"
#include "engine/output/text_format.h"

namespace cascade::report {
namespace {
using output::format_usd_bn;

/// Firms listed in each "top" table.
constexpr std::size_t kTopFirms = 10;
/// Creditors named per default in the timeline (the rest are summed).
constexpr std::size_t kCreditorsNamed = 3;
constexpr double kSectorChartHeightPx = 340.0;

std::string why(const DefaultStory& s) {
  std::string out = "Why: " + s.event.kind + " default, attributed to " + s.event.channel + ". ";
  if (s.cause)
    out += "Its largest credit loss before it: " + format_usd_bn(s.cause->loss_usd_bn) + " on " + s.cause->obligor +
           " (" + joined(s.cause->exposures) + ", defaulted at tick " + std::to_string(s.cause->first_tick) + "). ";
  return out + "Engine: " + s.event.detail + ".";
}

std::string passed_to(const DefaultStory& s) {
  if (s.passed_on.empty()) return "Passed on: no credit losses.";
  std::string out;
  double rest_usd_bn = 0.0;
  for (std::size_t k = 0; k < s.passed_on.size(); ++k) {
    const CreditLink& c = s.passed_on[k];
    if (k < kCreditorsNamed)
      out += (k ? "; " : "") + c.holder + " " + format_usd_bn(c.loss_usd_bn) + " (" + joined(c.exposures) + ")";
    else
      rest_usd_bn += c.loss_usd_bn;
  }
  if (s.passed_on.size() > kCreditorsNamed)
    out += "; " + std::to_string(s.passed_on.size() - kCreditorsNamed) + " more, " + format_usd_bn(rest_usd_bn) +
           " between them";
  return "Passed on to: " + out + ".";
}

void write_timeline(Html& html, const LabelledRun& r) {
  const RunData& data = r.run->data;
  if (data.defaults.empty()) {
    write_note(html, r.label + ": no firm defaulted.");
    return;
  }
  Table table{.caption = r.label + ": timeline of defaults",
              .header = {"tick", "firm", "type", "kind", "channel", "shortfall (USD bn)", "passed on (USD bn)"},
              .rows = {},
              .css_class = "timeline"};
  for (const DefaultStory& s : explain_defaults(data.defaults, data.credit_losses)) {
    Cell firm = text_cell(s.event.firm);
    firm.css_class = "nowrap";
    table.rows.push_back({number_cell(s.event.tick, 0), firm, text_cell(s.event.type), text_cell(s.event.kind),
                          text_cell(s.event.channel), number_cell(s.event.shortfall_usd_bn, 2),
                          number_cell(s.passed_on_usd_bn, 1)});
    Cell story = text_cell(why(s) + " " + passed_to(s));
    story.css_class = "story";
    story.colspan = static_cast<int>(table.header.size());
    table.rows.push_back({story});
  }
  write_table(html, table);
}

std::string sector_chart(const SectorDefaults& d, const std::string& label, double max_defaults,
                         const std::string& unit, const std::string& id) {
  output::BarChart chart;  // filled field by field: GCC 12 warns wrongly on a nested designated AxisSpec
  chart.title = label + ": defaults by sector";
  chart.category_title = "ticks (" + unit + "), " + std::to_string(d.period_ticks) + " per bar";
  chart.value_axis.title = "defaults (firms)";
  chart.value_axis.min = 0.0;
  chart.value_axis.max = max_defaults;
  chart.categories = d.periods;
  chart.orientation = output::BarOrientation::vertical;
  chart.stacked = true;
  for (std::size_t s = 0; s < d.sectors.size(); ++s)
    chart.series.push_back({.name = d.sectors[s], .values = d.counts[s], .errors = {}});
  return output::to_svg(chart, {.width_px = kChartWidthPx, .height_px = kSectorChartHeightPx, .id_prefix = id});
}

/// The row of `firm` in `rows` (any row type with a `firm` id), or nullptr.
template <typename Row>
const Row* find_firm(const std::vector<Row>& rows, const std::string& firm) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.firm == firm; });
  return it == rows.end() ? nullptr : &*it;
}

}  // namespace

void write_defaults(const ReportInput& input, Html& html) {
  const std::vector<LabelledRun> runs = report_runs(input);
  for (const LabelledRun& r : runs) write_timeline(html, r);
  write_note(html,
             "Channel: the channel whose loss alone covered the shortfall (docs/model.md, \"Loss attribution\"); "
             "why: the counterparty whose default cost the firm the largest credit loss at or before its own "
             "default, then the engine's account; passed on: its creditors' credit losses on it. Sources: "
             "defaults.csv, credit_losses.csv.");

  html.element("h3", "Defaults by sector over time");
  const SummaryInfo& s = input.scenario.data.summary;
  const Tick period = chart_period_ticks(s.horizon_ticks, s.ticks_per_year);
  std::vector<std::string> all_sectors;  // every run's, so that a sector has one colour in every chart
  for (const LabelledRun& r : runs)
    all_sectors =
        defaults_by_sector(r.run->data.defaults, r.run->data.summary.horizon_ticks, period, all_sectors).sectors;
  std::vector<SectorDefaults> sectors;
  double tallest = 5.0;  // at least 5, so that the ticks fall on whole firms
  for (const LabelledRun& r : runs) {
    sectors.push_back(defaults_by_sector(r.run->data.defaults, r.run->data.summary.horizon_ticks, period, all_sectors));
    for (std::size_t p = 0; p < sectors.back().periods.size(); ++p) {
      double stack = 0.0;
      for (const std::vector<double>& counts : sectors.back().counts) stack += counts[p];
      tallest = std::max(tallest, stack);
    }
  }
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string id = "defaults-by-sector-" + std::to_string(k + 1);
    const std::string unit = tick_length(runs[k].run->data.summary.ticks_per_year);
    write_chart(
        html, id,
        runs[k].run->data.defaults.empty() ? std::string() : sector_chart(sectors[k], runs[k].label, tallest, unit, id),
        "Firms that defaulted in each period, by firm type. Source: defaults.csv (tick, type).",
        runs[k].label + ": no firm defaulted.");
  }
}

void write_network(const ReportInput& input, Html& html) {
  write_note(html,
             "Arrows point the way money moves (payer to payee); width grows with the amount (log scale); line "
             "style and arrowhead tell the exposure kind; red arcs lie on a money loop. Fill: the firm's state at "
             "that tick (defaulted, distressed: capital (book equity plus a fund's investor capital) at most 0 or "
             "below half its tick-0 level, or no cash; healthy); outline: its type. Drawn by Graphviz from the "
             "scenario and timeseries.csv, as "
             "`cascade graph FILE --run DIR --tick T` does.");
  std::size_t n = 0;
  for (const LabelledRun& r : report_runs(input))
    for (const NetworkPicture& p : r.run->pictures) {
      const std::string id = "network-" + std::to_string(++n);
      html.open("figure", {{"class", "network"}, {"id", id}});
      if (p.svg.empty())
        html.element("p", p.note, {{"class", "no-data"}});
      else
        html.raw(inline_svg(p.svg, id));
      html.element("figcaption", r.label + ": " + p.caption).close("figure");
      write_note(html, "At tick " + std::to_string(p.tick) +
                           ", defaulted: " + (p.defaulted.empty() ? "none" : joined(p.defaulted)) +
                           "; distressed: " + (p.distressed.empty() ? "none" : joined(p.distressed)) + ".");
    }
}

void write_firms(const ReportInput& input, Html& html) {
  const std::vector<LabelledRun> runs = report_runs(input);
  const bool compare = runs.size() > 1;
  const std::string& base = compare ? runs[1].label : std::string();

  std::vector<std::vector<FirmLossCaused>> caused;
  std::vector<std::vector<FirmLossSuffered>> suffered;
  for (const LabelledRun& r : runs) {
    caused.push_back(losses_caused(r.run->data));
    suffered.push_back(losses_suffered(r.run->data));
  }

  Table by_caused{.caption = "Top ten firms by credit losses caused (their creditors' losses on them)",
                  .header = {"firm", "type", "default tick", "credit losses caused (USD bn)", "creditors hit"},
                  .rows = {},
                  .css_class = ""};
  if (compare) by_caused.header.insert(by_caused.header.end(), {base + ": default tick", base + ": caused (USD bn)"});
  for (std::size_t k = 0; k < caused[0].size() && k < kTopFirms; ++k) {
    const FirmLossCaused& f = caused[0][k];
    std::vector<Cell> row{text_cell(f.firm), text_cell(f.type), number_cell(f.default_tick, 0),
                          number_cell(f.credit_loss_caused_usd_bn),
                          number_cell(static_cast<double>(f.creditors_hit), 0)};
    if (compare) {
      const FirmLossCaused* b = find_firm(caused[1], f.firm);
      row.push_back(number_cell(b ? b->default_tick : std::nullopt, 0));
      row.push_back(number_cell(b ? b->credit_loss_caused_usd_bn : 0.0));
    }
    by_caused.rows.push_back(std::move(row));
  }
  if (by_caused.rows.empty())
    write_note(html, runs[0].label + ": no credit losses, so no firm caused any.");
  else
    write_table(html, by_caused);

  Table by_suffered{.caption = "Top ten firms by losses suffered (attributed to channels, net)",
                    .header = {"firm", "type", "attributed loss (USD bn)", "largest channel", "credit losses (USD bn)",
                               "equity change (USD bn)"},
                    .rows = {},
                    .css_class = ""};
  if (compare) by_suffered.header.push_back(base + ": attributed loss (USD bn)");
  for (std::size_t k = 0; k < suffered[0].size() && k < kTopFirms; ++k) {
    const FirmLossSuffered& f = suffered[0][k];
    std::vector<Cell> row{
        text_cell(f.firm),
        text_cell(f.type),
        number_cell(f.attributed_loss_usd_bn),
        text_cell(f.largest_channel.empty() ? "\u2013"
                                            : f.largest_channel + " " + format_usd_bn(f.largest_channel_loss_usd_bn)),
        number_cell(f.credit_loss_usd_bn),
        number_cell(f.equity_change_usd_bn)};
    if (compare) {
      const FirmLossSuffered* b = find_firm(suffered[1], f.firm);
      row.push_back(number_cell(b ? b->attributed_loss_usd_bn : 0.0));
    }
    by_suffered.rows.push_back(std::move(row));
  }
  if (by_suffered.rows.empty())
    write_note(html, runs[0].label + ": no firm took a loss attributed to a channel.");
  else
    write_table(html, by_suffered);
  write_note(html,
             "Attributed loss: summary.json, loss_by_firm_and_channel_usd_bn summed over channels (gains count "
             "negative); credit losses: credit_losses.csv rows with the firm as holder; equity change: "
             "timeseries.csv, book equity at the last tick minus tick 0.");

  const std::vector<RankingRow>& ranking = input.scenario.ranking;
  Table rank{.caption = "Systemic importance: each firm's sole failure at tick " +
                        std::to_string(input.scenario.ranking_tick) + " (top ten)",
             .header = {"rank", "firm", "type", "total loss caused (USD bn)", "of which credit losses (USD bn)",
                        "of which revenue lost (USD bn)", "of which outside creditors' loss (USD bn)",
                        "defaults caused", "DebtRank"},
             .rows = {},
             .css_class = ""};
  if (compare) rank.header.insert(rank.header.end(), {base + ": rank", base + ": total loss caused (USD bn)"});
  for (std::size_t k = 0; k < ranking.size() && k < kTopFirms; ++k) {
    const RankingRow& f = ranking[k];
    std::vector<Cell> row{number_cell(static_cast<double>(f.rank), 0),
                          text_cell(f.firm),
                          text_cell(f.type),
                          number_cell(f.total_loss_caused_usd_bn),
                          number_cell(f.credit_loss_caused_usd_bn),
                          number_cell(f.revenue_loss_caused_usd_bn),
                          number_cell(f.outside_creditor_loss_caused_usd_bn),
                          number_cell(f.defaults_caused, 0),
                          number_cell(f.debtrank, 3)};
    if (compare) {
      const std::vector<RankingRow>& other = input.baseline->ranking;
      const RankingRow* b = find_firm(other, f.firm);
      row.push_back(b ? number_cell(static_cast<double>(b->rank), 0) : text_cell("\u2013"));
      row.push_back(b ? number_cell(b->total_loss_caused_usd_bn) : text_cell("\u2013"));
    }
    rank.rows.push_back(std::move(row));
  }
  if (rank.rows.empty())
    write_note(html, "No systemic-importance ranking was computed.");
  else
    write_table(html, rank);
  write_note(html,
             "The scenario rerun with each firm forced into default in turn; the loss caused is the fall in the "
             "other firms' capital plus what creditors outside the network (depositors, bondholders) lose, against "
             "the run as given: credit losses, revenue lost, the rest of the other firms' equity, and the outside "
             "creditors' loss (engine/experiments/rank.h, `cascade rank`). DebtRank: the equity-weighted share of "
             "the network the firm's full distress reaches at tick 0 (Battiston et al. 2012).");
}

}  // namespace cascade::report
