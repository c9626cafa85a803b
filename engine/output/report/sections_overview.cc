// The report's first sections: summary (headline figures and, with a baseline, the
// differences), scenario (narrative, metadata, shocks, sources), parameters; and the last one,
// where the numbers come from.
#include <algorithm>
#include <map>

#include "engine/output/report/report_sections.h"
#include "engine/output/report/report_tables.h"
#include "engine/output/text_format.h"

namespace cascade::report {
namespace {

/// Shocks that happen once at their tick; the others last `duration_ticks` (0: to the horizon).
/// At most this many firm ids are listed per shock; the rest are counted.
constexpr std::size_t kTargetsListed = 8;

std::string shock_targets(const Model& model, const ShockSpec& shock) {
  if (is_market_wide(shock.kind)) return "market-wide";
  std::string out;
  for (std::size_t i = 0; i < shock.targets.size() && i < kTargetsListed; ++i)
    out += (i ? ", " : "") + model.firms[shock.targets[i]].id;
  if (shock.targets.size() > kTargetsListed)
    out += " and " + std::to_string(shock.targets.size() - kTargetsListed) + " more";
  return out;
}

std::string shock_ticks(const ShockSpec& shock) {
  const std::string from = std::to_string(shock.tick);
  if (is_one_off(shock.kind)) return from + " (once)";
  if (shock.duration_ticks == 0) return from + " to the end";
  return from + "-" + std::to_string(shock.tick + shock.duration_ticks - 1);
}

/// The number of figures per source (seed file, "assumption", ...) over the whole scenario.
std::vector<std::pair<std::string, std::size_t>> figures_by_source(const Model& model) {
  std::map<std::string, std::size_t> count;
  auto add = [&](const SourceNote& s) { ++count[s.source.empty() ? "(none given)" : s.source]; };
  auto add_facts = [&](const std::map<std::string, Fact>& facts) {
    for (const auto& [name, fact] : facts) add(fact.source);
  };
  for (const FirmSpec& f : model.firms) {
    for (const auto& [field, source] : f.sources) add(source);
    add_facts(f.facts);
  }
  for (const ExposureSpec& e : model.exposures) {
    for (const auto& [field, source] : e.sources) add(source);
    add_facts(e.facts);
  }
  for (const LoopSpec& l : model.loops) add(l.source);
  for (const ProjectSpec& p : model.projects) add_facts(p.figures);
  for (const RecordedFact& f : model.facts) add(f.source);
  std::vector<std::pair<std::string, std::size_t>> out(count.begin(), count.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

using TextPairs = std::vector<std::pair<std::string, std::string>>;

void write_key_value(Html& html, const std::string& caption, const TextPairs& rows) {
  Table table{.caption = caption, .header = {}, .rows = {}, .css_class = "keyvalue"};
  for (const auto& [key, value] : rows) table.rows.push_back({text_cell(key), text_cell(value)});
  write_table(html, table);
}

/// Name, the scenario's value and (with `baseline`) the baseline's; rows that differ highlighted.
void write_compared(Html& html, const std::string& caption, const std::vector<std::string>& labels,
                    const TextPairs& scenario, const TextPairs* baseline) {
  Table table{.caption = caption, .header = {"name", labels[0]}, .rows = {}, .css_class = ""};
  if (baseline) table.header.push_back(labels[1]);
  for (const auto& [name, value] : scenario) {
    std::vector<Cell> row{text_cell(name), text_cell(value)};
    if (baseline) {
      const std::string& key = name;  // a structured binding cannot be captured before C++20 in Clang 14
      const auto theirs =
          std::find_if(baseline->begin(), baseline->end(), [&key](const auto& p) { return p.first == key; });
      row.push_back(text_cell(theirs == baseline->end() ? "\u2013" : theirs->second));
      if (row[2].text != value) row[1].css_class = row[2].css_class = "changed";
    }
    table.rows.push_back(std::move(row));
  }
  write_table(html, table);
}

/// `scenario_last` and `baseline_last`: the last tick each run reached (summary.json's ticks_run).
std::string default_change(const DefaultDifference& d, Tick scenario_last, Tick baseline_last) {
  if (!d.baseline_tick)
    return *d.scenario_tick > baseline_last
               ? "defaults after the baseline run's last tick (" + std::to_string(baseline_last) + ")"
               : "defaults only in the scenario";
  if (!d.scenario_tick)
    return *d.baseline_tick > scenario_last
               ? "defaults after the scenario run's last tick (" + std::to_string(scenario_last) + ")"
               : "defaults only in the baseline";
  const Tick shift = *d.scenario_tick - *d.baseline_tick;
  if (shift == 0) return "same tick";
  return std::to_string(std::abs(shift)) + (std::abs(shift) == 1 ? " tick" : " ticks") +
         (shift < 0 ? " earlier" : " later");
}

}  // namespace

void write_summary(const ReportInput& input, Html& html) {
  const std::vector<LabelledRun> runs = report_runs(input);
  std::vector<std::vector<KeyFigure>> figures;
  for (const LabelledRun& r : runs) figures.push_back(key_figures(r.run->data));

  Table table{.caption = "Headline figures", .header = {"figure", "unit", runs[0].label}, .rows = {}, .css_class = ""};
  if (input.baseline) table.header.insert(table.header.end(), {runs[1].label, "difference"});
  table.header.push_back("source");
  for (std::size_t i = 0; i < figures[0].size(); ++i) {
    const KeyFigure& f = figures[0][i];
    const int decimals = f.unit == "USD bn" ? 1 : 0;
    Cell unit = text_cell(f.unit);
    unit.css_class = "nowrap";
    std::vector<Cell> row{text_cell(f.label), unit, number_cell(f.value, decimals)};
    if (input.baseline) {
      const std::optional<double> base = figures[1][i].value;
      row.push_back(number_cell(base, decimals));
      Cell diff = number_cell(f.value && base ? std::optional<double>(*f.value - *base) : std::nullopt, decimals);
      if (f.value && base && *f.value != *base) diff.css_class = "changed";
      row.push_back(diff);
    }
    row.push_back(text_cell(f.source));
    table.rows.push_back(std::move(row));
  }
  write_table(html, table);
  write_note(html,
             "Equity lost sums the fall in book equity of every firm whose equity fell; the change in system equity "
             "nets gains against losses. Credit losses are claims minus recoveries on defaulted firms "
             "(docs/model.md, \"Loss attribution\").");

  if (!input.baseline) return;
  const std::vector<DefaultDifference> differences = default_differences(input.scenario.data, input.baseline->data);
  Table diff{.caption = "Defaults: scenario against baseline",
             .header = {"firm", "type", runs[0].label + ": tick", runs[1].label + ": tick", "change"},
             .rows = {},
             .css_class = ""};
  for (const DefaultDifference& d : differences) {
    Cell change =
        text_cell(default_change(d, input.scenario.data.summary.ticks_run, input.baseline->data.summary.ticks_run));
    if (d.scenario_tick != d.baseline_tick) change.css_class = "changed";
    diff.rows.push_back({text_cell(d.firm), text_cell(d.type), number_cell(d.scenario_tick, 0),
                         number_cell(d.baseline_tick, 0), change});
  }
  if (differences.empty())
    write_note(html, "No firm defaults in either run.");
  else
    write_table(html, diff);
}

void write_scenario(const ReportInput& input, Html& html) {
  for (const LabelledRun& r : report_runs(input)) {
    const RunData& data = r.run->data;
    const ManifestInfo& m = data.manifest;
    const Model& model = r.run->model;
    html.element("h3", r.label);
    if (!m.scenario_description.empty()) html.element("p", m.scenario_description);
    std::vector<std::string> overrides;
    for (const auto& [path, value] : m.overrides) overrides.push_back(path + "=" + value);
    write_key_value(
        html, "The run",
        {{"scenario", m.scenario_name + (m.scenario_version.empty() ? "" : ", version " + m.scenario_version)},
         {"as of", m.as_of.empty() ? "\u2013" : m.as_of},
         {"scenario files", joined(m.scenario_files)},
         {"scenario hash (SHA-256)", m.content_hash},
         {"overrides (--set)", overrides.empty() ? "none" : joined(overrides)},
         {"seed", std::to_string(m.seed)},
         {"horizon", output::describe_ticks(data.summary.horizon_ticks, data.summary.ticks_per_year) + " (" +
                         std::to_string(data.summary.ticks_run) + " run)"},
         {"firms, exposures", std::to_string(model.firms.size()) + ", " + std::to_string(model.exposures.size())},
         {"run directory", data.dir.string()},
         {"engine", "cascade " + m.cascade_version + (m.build_id.empty() ? "" : " (build " + m.build_id + ")")},
         {"command", joined(m.command_line, " ")}});
    if (!r.run->narrative.empty()) {
      html.element("h3", r.label + ": narrative (the scenario file's header)");
      html.element("pre", r.run->narrative, {{"class", "narrative"}});
    }

    Table shocks{.caption = r.label + ": shocks",
                 .header = {"shock", "kind", "firms", "ticks", "value", "description"},
                 .rows = {},
                 .css_class = ""};
    for (const ShockSpec& s : model.shocks)
      shocks.rows.push_back({text_cell(s.id), text_cell(std::string(to_string(s.kind))),
                             text_cell(shock_targets(model, s)), text_cell(shock_ticks(s)), number_cell(s.value, 2),
                             text_cell(s.description)});
    if (shocks.rows.empty())
      write_note(html, r.label + ": no shocks.");
    else
      write_table(html, shocks);

    Table sources{.caption = r.label + ": where the scenario's figures come from",
                  .header = {"source", "figures"},
                  .rows = {},
                  .css_class = ""};
    for (const auto& [source, count] : figures_by_source(model))
      sources.rows.push_back({text_cell(source), number_cell(static_cast<double>(count), 0)});
    if (!sources.rows.empty()) write_table(html, sources);
    write_note(html,
               "Each figure of the scenario file carries its source (a seed article, \"assumption\", ...) "
               "and a note; the scenario file has them all.");
  }
}

void write_parameters(const ReportInput& input, Html& html) {
  const std::vector<LabelledRun> runs = report_runs(input);
  auto channels = [](const ManifestInfo& m) {
    TextPairs out;
    for (const auto& [name, on] : m.channels) out.emplace_back(name, on ? "on" : "off");
    return out;
  };
  const ManifestInfo& m = input.scenario.data.manifest;
  const ManifestInfo* b = input.baseline ? &input.baseline->data.manifest : nullptr;
  const std::vector<std::string> labels{runs[0].label, b ? runs[1].label : ""};
  const TextPairs baseline_channels = b ? channels(*b) : TextPairs{};
  write_compared(html, "Contagion channels", labels, channels(m), b ? &baseline_channels : nullptr);
  write_compared(html, "Parameters (effective, after overrides)", labels, m.parameters, b ? &b->parameters : nullptr);
  write_note(html,
             "From manifest.json (parameters, channels). Highlighted rows differ between the runs. Units and "
             "meaning: docs/model.md; each firm's behaviour knobs are in manifest.json, firms.");
}

void write_sources(const ReportInput& input, Html& html) {
  for (const LabelledRun& r : report_runs(input)) {
    const RunData& data = r.run->data;
    TextPairs rows{
        {"summary.json", "headline figures; losses by channel, by holder type, by exposure kind, by firm"},
        {"system.csv", "system equity, cash, credit losses per tick; GPU price, sentiment and stress indices"},
        {"timeseries.csv", "every firm every tick: book equity at the start and the end"},
        {"defaults.csv", "who defaulted, when, how (liquidity, solvency, forced) and the channel held responsible"},
        {"credit_losses.csv", "each claim on a defaulted firm: holder, obligor, exposure, claim, recovery, loss"},
        {"manifest.json", "scenario files and hash, seed, overrides, effective parameters and channels"}};
    if (data.ablation) rows.emplace_back("ablation.csv", "channel ablation (run --ablate)");
    if (data.loop_contribution) rows.emplace_back("loop_contribution.csv", "loop contributions (run --cut-loops)");
    write_key_value(html, r.label + ": files of " + data.dir.string(), rows);
  }
  write_note(html,
             "The network pictures and the systemic-importance ranking are computed when the report is made, "
             "from the scenario reloaded with the run's overrides and seed: the same as `cascade graph FILE "
             "--run DIR --tick T` and `cascade rank FILE --tick T`. Tables show figures rounded for reading; "
             "the files hold the exact values. docs/report.md explains every section.");
}

}  // namespace cascade::report
