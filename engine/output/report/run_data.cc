#include "engine/output/report/run_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string_view>

#include "engine/core/limits.h"
#include "engine/output/text_format.h"

namespace cascade::report {
namespace {
namespace fs = std::filesystem;
using output::CsvRow;
using output::CsvTable;
using output::InputError;
using Json = nlohmann::ordered_json;  // keys in file order

Json read_json(const fs::path& path) {
  const std::string text = output::read_regular_file(path, " (is it a run directory of `cascade run`?)");
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) throw InputError(path.string() + ": not a JSON object");
  return doc;
}

/// `doc[key]`, which must exist; InputError naming the file otherwise.
const Json& require(const Json& doc, const char* key, const fs::path& file) {
  const auto it = doc.find(key);
  if (it == doc.end()) throw InputError(file.string() + ": missing key '" + key + "'");
  return *it;
}

/// `doc[key]`, a whole number in [low, high] as the scenario format allows; InputError naming
/// the file otherwise (a summary.json not as `cascade run` writes it).
int whole_in(const Json& doc, const char* key, std::int64_t low, std::int64_t high, const fs::path& file) {
  const Json& value = require(doc, key, file);
  if (!value.is_number_integer() || value.get<std::int64_t>() < low || value.get<std::int64_t>() > high)
    throw InputError(file.string() + ": '" + key + "' must be a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high) + ", got " + value.dump());
  return static_cast<int>(value.get<std::int64_t>());
}

/// The value as text for people: strings bare, everything else as JSON.
std::string value_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

/// `{"name": number, ...}` in file order; null (a non-finite number) as NaN.
NamedValues named_values(const Json& object) {
  NamedValues out;
  for (const auto& [name, value] : object.items())
    out.emplace_back(name, value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>());
  return out;
}

ManifestInfo read_manifest(const fs::path& file) {
  const Json doc = read_json(file);
  ManifestInfo m;
  m.cascade_version = value_text(require(doc, "cascade_version", file));
  if (const auto build = doc.find("build"); build != doc.end() && build->is_object())
    m.build_id = build->value("id", "");
  const Json& scenario = require(doc, "scenario", file);
  m.scenario_name = require(scenario, "name", file).get<std::string>();
  m.scenario_description = scenario.value("description", "");
  m.scenario_version = scenario.value("version", "");
  m.as_of = scenario.value("as_of", "");
  m.scenario_files = require(scenario, "files", file).get<std::vector<std::string>>();
  m.content_hash = require(scenario, "content_hash", file).get<std::string>();
  m.seed = require(doc, "seed", file).get<std::uint64_t>();
  const Json overrides = doc.value("overrides", Json::array()), parameters = doc.value("parameters", Json::object()),
             channels = require(doc, "channels", file);
  for (const Json& o : overrides)
    m.overrides.emplace_back(require(o, "path", file).get<std::string>(), value_text(require(o, "value", file)));
  for (const auto& [name, value] : parameters.items()) m.parameters.emplace_back(name, value_text(value));
  for (const auto& [name, value] : channels.items()) m.channels.emplace_back(name, value.get<bool>());
  m.command_line = doc.value("command_line", std::vector<std::string>{});
  if (m.scenario_files.empty()) throw InputError(file.string() + ": scenario.files is empty");
  return m;
}

SummaryInfo read_summary(const fs::path& file) {
  const Json doc = read_json(file);
  SummaryInfo s;
  s.horizon_ticks = whole_in(doc, "horizon_ticks", 1, kMaxTicks, file);
  s.ticks_per_year = whole_in(doc, "ticks_per_year", 1, kMaxTicksPerYear, file);
  s.ticks_run = whole_in(doc, "ticks_run", 0, s.horizon_ticks, file);
  const Json& defaults = require(doc, "defaults", file);
  if (!defaults.is_array()) throw InputError(file.string() + ": 'defaults' is not a list");
  s.defaults = defaults.size();
  s.total_credit_loss_usd_bn = require(doc, "total_credit_loss_usd_bn", file).get<double>();
  s.system_equity_start_usd_bn = require(doc, "system_equity_start_usd_bn", file).get<double>();
  s.system_equity_end_usd_bn = require(doc, "system_equity_end_usd_bn", file).get<double>();
  s.system_equity_lost_usd_bn = require(doc, "system_equity_lost_usd_bn", file).get<double>();
  s.depreciation_usd_bn = require(doc, "depreciation_usd_bn", file).get<double>();
  s.writedown_usd_bn = require(doc, "writedown_usd_bn", file).get<double>();
  s.credit_loss_by_holder_type = named_values(require(doc, "credit_loss_by_holder_type_usd_bn", file));
  s.credit_loss_by_exposure_kind = named_values(require(doc, "credit_loss_by_exposure_kind_usd_bn", file));
  s.loss_by_channel = named_values(require(doc, "loss_by_channel_usd_bn", file));
  for (const auto& [firm, channels] : require(doc, "loss_by_firm_and_channel_usd_bn", file).items())
    s.loss_by_firm_and_channel[firm] = named_values(channels);
  return s;
}

/// Row `row`'s field `column` as a finite number (`cascade run` writes no NaN or infinity in
/// the files the report reads); InputError naming the file, line and column otherwise.
double finite(const CsvTable& table, const CsvRow& row, std::size_t column) {
  const double value = table.number(row, column);
  if (!std::isfinite(value))
    throw InputError(table.file + ":" + std::to_string(row.line) + ": column '" + table.header[column] +
                     "': not a finite number: '" + row.fields[column] + "'");
  return value;
}

NumericColumns read_numeric_columns(const CsvTable& table) {
  NumericColumns out;
  out.names = table.header;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    std::vector<double>& column = out.values[table.header[c]];
    for (const CsvRow& row : table.rows) column.push_back(finite(table, row, c));
  }
  return out;
}

/// Row `row`'s tick, a whole number from 0 to `last_tick` (the run's ticks_run).
Tick tick_of(const CsvTable& table, const CsvRow& row, std::size_t column, Tick last_tick) {
  const double t = finite(table, row, column);
  if (t != std::floor(t) || t < 0 || t > last_tick)
    throw InputError(table.file + ":" + std::to_string(row.line) + ": tick '" + row.fields[column] +
                     "' is not a whole number from 0 to " + std::to_string(last_tick) + " (summary.json's ticks_run)");
  return static_cast<Tick>(t);
}

std::vector<FirmOutcome> read_firm_outcomes(const CsvTable& table, Tick last_tick) {
  const std::size_t c_tick = table.require_column("tick"), c_firm = table.require_column("firm"),
                    c_type = table.require_column("type"), c_equity = table.require_column("equity_usd_bn");
  std::vector<FirmOutcome> firms;
  std::map<std::string, std::size_t> index;
  Tick last = 0;
  for (const CsvRow& row : table.rows) {
    const Tick tick = tick_of(table, row, c_tick, last_tick);
    const double equity = finite(table, row, c_equity);
    const auto [it, added] = index.try_emplace(row.fields[c_firm], firms.size());
    if (added) firms.push_back({row.fields[c_firm], row.fields[c_type], equity, equity});
    FirmOutcome& firm = firms[it->second];
    if (tick == 0) firm.equity_start_usd_bn = equity;
    if (tick >= last) firm.equity_end_usd_bn = equity;  // rows come in tick order
    last = std::max(last, tick);
  }
  return firms;
}

std::vector<DefaultRecord> read_defaults(const CsvTable& table, Tick last_tick) {
  const std::size_t c_firm = table.require_column("firm"), c_type = table.require_column("type"),
                    c_tick = table.require_column("tick"), c_kind = table.require_column("kind"),
                    c_channel = table.require_column("channel"), c_shortfall = table.require_column("shortfall_usd_bn"),
                    c_detail = table.require_column("detail");
  std::vector<DefaultRecord> out;
  for (const CsvRow& row : table.rows)
    out.push_back({row.fields[c_firm], row.fields[c_type], tick_of(table, row, c_tick, last_tick), row.fields[c_kind],
                   row.fields[c_channel], finite(table, row, c_shortfall), row.fields[c_detail]});
  return out;
}

std::vector<CreditLossRecord> read_credit_losses(const CsvTable& table, Tick last_tick) {
  const std::size_t c_tick = table.require_column("tick"), c_holder = table.require_column("holder"),
                    c_holder_type = table.require_column("holder_type"), c_obligor = table.require_column("obligor"),
                    c_exposure = table.require_column("exposure"), c_kind = table.require_column("kind"),
                    c_claim = table.require_column("claim_usd_bn"),
                    c_recovered = table.require_column("recovered_usd_bn"),
                    c_loss = table.require_column("loss_usd_bn");
  std::vector<CreditLossRecord> out;
  for (const CsvRow& row : table.rows)
    out.push_back({tick_of(table, row, c_tick, last_tick), row.fields[c_holder], row.fields[c_holder_type],
                   row.fields[c_obligor], row.fields[c_exposure], row.fields[c_kind], finite(table, row, c_claim),
                   finite(table, row, c_recovered), finite(table, row, c_loss)});
  return out;
}

AblationTable read_ablation(const CsvTable& table) {
  const std::size_t c_row = table.require_column("row"), c_case = table.require_column("case");
  AblationTable out;
  std::vector<std::size_t> measure_columns;
  for (std::size_t c = 0; c < table.header.size(); ++c)
    if (c != c_row && c != c_case) {
      out.measures.push_back(table.header[c]);
      measure_columns.push_back(c);
    }
  for (const CsvRow& row : table.rows) {
    AblationRow r{row.fields[c_row], row.fields[c_case], {}};
    for (const std::size_t c : measure_columns) r.values.push_back(finite(table, row, c));
    out.rows.push_back(std::move(r));
  }
  return out;
}

/// The columns of system.csv the report charts and of timeseries.csv it reads (firm states
/// test capital, equity plus investor capital): `cascade run` writes them all.
constexpr std::array<std::string_view, 12> kSystemColumns{"tick",
                                                          "equity_usd_bn",
                                                          "cash_usd_bn",
                                                          "credit_loss_usd_bn",
                                                          "gpu_price_index",
                                                          "market_stress_index",
                                                          "sentiment_index",
                                                          "ai_capacity_gw",
                                                          "ai_utilisation",
                                                          "compute_price_index",
                                                          "ai_revenue_usd_bn_per_year",
                                                          "required_ai_revenue_usd_bn_per_year"};
constexpr std::array<std::string_view, 5> kTimeseriesColumns{"tick", "firm", "type", "equity_usd_bn",
                                                             "investor_capital_usd_bn"};

/// `path` read as a CSV table with every field's bytes that are not UTF-8 replaced as the run's
/// JSON files write them, so that ids from both match.
CsvTable read_run_csv(const fs::path& path, std::span<const std::string_view> required_columns = {}) {
  CsvTable table = output::read_csv_table(path);
  for (CsvRow& row : table.rows)
    for (std::string& field : row.fields) field = output::valid_utf8(field);
  for (std::string_view column : required_columns) table.require_column(column);
  return table;
}

/// A file whose rows disagree with summary.json (cut short, rows removed): InputError.
void check_rows(bool consistent, const fs::path& file, const std::string& what) {
  if (!consistent)
    throw InputError(file.string() + ": " + what + ": the file is not as `cascade run` wrote it (cut short?)");
}

/// The same amount written by two files: equal to rounding of sums taken in another order.
bool same_amount(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

/// A firm named in a file of the run must be one of the firms of its timeseries.csv.
void check_firm(const std::set<std::string, std::less<>>& firms, const std::string& firm, const fs::path& file) {
  if (!firms.contains(firm))
    throw InputError(file.string() + ": firm '" + firm + "' is not in the run's timeseries.csv" +
                     ": the file is not as `cascade run` wrote it");
}

/// ablation.csv holds, for every channel on in the run (manifest.json), its only/all-but runs and
/// its standalone and marginal rows, besides the runs with all and with none and the
/// interaction; its run with all channels is the run itself. A file cut short would draw the
/// missing channels' effects as 0.
void check_ablation_rows(const AblationTable& table, const ManifestInfo& manifest, const SummaryInfo& summary,
                         const fs::path& file) {
  const auto has = [&](std::string_view row, const std::string& case_name) {
    return std::any_of(table.rows.begin(), table.rows.end(),
                       [&](const AblationRow& r) { return r.row == row && r.label == case_name; });
  };
  std::vector<std::pair<std::string_view, std::string>> expected{
      {"run", "all"}, {"run", "none"}, {"interaction", "all"}};
  for (const auto& [channel, on] : manifest.channels)
    if (on)
      for (const auto& [row, prefix] : {std::pair<std::string_view, std::string>{"run", "only:"},
                                        {"run", "all_but:"},
                                        {"standalone", ""},
                                        {"marginal", ""}})
        expected.emplace_back(row, prefix + channel);
  for (const auto& [row, case_name] : expected)
    check_rows(has(row, case_name), file, "no row '" + std::string(row) + "," + case_name + "'");
  const auto credit = std::find(table.measures.begin(), table.measures.end(), "credit_loss_usd_bn");
  const auto all = std::find_if(table.rows.begin(), table.rows.end(),
                                [](const AblationRow& r) { return r.row == "run" && r.label == "all"; });
  if (credit != table.measures.end()) {
    const double all_usd_bn = all->values[static_cast<std::size_t>(credit - table.measures.begin())];
    check_rows(same_amount(all_usd_bn, summary.total_credit_loss_usd_bn), file,
               "its run with every channel has credit losses of " + output::format_number(all_usd_bn) +
                   ", summary.json's total is " + output::format_number(summary.total_credit_loss_usd_bn));
  }
}

}  // namespace

const std::vector<double>* NumericColumns::find(std::string_view name) const {
  const auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

RunData read_run_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw InputError(dir.string() + ": not a directory (give the --out directory of a `cascade run`)");
  RunData run;
  run.dir = dir;
  try {
    run.manifest = read_manifest(dir / "manifest.json");
    run.summary = read_summary(dir / "summary.json");
  } catch (const Json::exception& error) {  // a key of the wrong type
    throw InputError(dir.string() +
                     ": manifest.json or summary.json is not as `cascade run` writes it: " + error.what());
  }
  const SummaryInfo& summary = run.summary;
  run.system = read_numeric_columns(read_run_csv(dir / "system.csv", kSystemColumns));
  const std::vector<double>& ticks = *run.system.find("tick");
  check_rows(ticks.size() == static_cast<std::size_t>(summary.ticks_run) + 1 && ticks.back() == summary.ticks_run,
             dir / "system.csv",
             std::to_string(ticks.size()) + " rows for ticks 0 to " + std::to_string(summary.ticks_run) +
                 " (summary.json's ticks_run)");
  const std::vector<double>& equity = *run.system.find("equity_usd_bn");
  check_rows(same_amount(equity.front(), summary.system_equity_start_usd_bn) &&
                 same_amount(equity.back(), summary.system_equity_end_usd_bn),
             dir / "system.csv",
             "system equity " + output::format_number(equity.front()) + " at tick 0 and " +
                 output::format_number(equity.back()) + " at the end, summary.json has " +
                 output::format_number(summary.system_equity_start_usd_bn) + " and " +
                 output::format_number(summary.system_equity_end_usd_bn));
  const Tick last = summary.ticks_run;
  run.firms = read_firm_outcomes(read_run_csv(dir / "timeseries.csv", kTimeseriesColumns), last);
  std::set<std::string, std::less<>> firm_ids;
  for (const FirmOutcome& f : run.firms) firm_ids.insert(f.firm);
  run.defaults = read_defaults(read_run_csv(dir / "defaults.csv"), last);
  check_rows(run.defaults.size() == summary.defaults, dir / "defaults.csv",
             std::to_string(run.defaults.size()) + " defaults, summary.json lists " + std::to_string(summary.defaults));
  for (const DefaultRecord& d : run.defaults) check_firm(firm_ids, d.firm, dir / "defaults.csv");
  run.credit_losses = read_credit_losses(read_run_csv(dir / "credit_losses.csv"), last);
  for (const CreditLossRecord& l : run.credit_losses) {
    check_firm(firm_ids, l.holder, dir / "credit_losses.csv");
    check_firm(firm_ids, l.obligor, dir / "credit_losses.csv");
  }
  double listed_usd_bn = 0.0;
  for (const CreditLossRecord& l : run.credit_losses) listed_usd_bn += l.loss_usd_bn;
  check_rows(same_amount(listed_usd_bn, summary.total_credit_loss_usd_bn), dir / "credit_losses.csv",
             "its losses add up to " + output::format_number(listed_usd_bn) + ", summary.json's total is " +
                 output::format_number(summary.total_credit_loss_usd_bn));
  if (fs::exists(dir / "ablation.csv", ec)) {
    run.ablation = read_ablation(read_run_csv(dir / "ablation.csv"));
    check_ablation_rows(*run.ablation, run.manifest, summary, dir / "ablation.csv");
  }
  if (fs::exists(dir / "loop_contribution.csv", ec)) {
    const CsvTable& loops =
        run.loop_contribution.emplace(read_run_csv(dir / "loop_contribution.csv", kLoopContributionColumns));
    for (std::size_t k = kLoopContributionTextColumns; k < kLoopContributionColumns.size(); ++k) {
      const std::size_t column = loops.require_column(kLoopContributionColumns[k]);
      for (const CsvRow& row : loops.rows) finite(loops, row, column);
    }
  }
  return run;
}

}  // namespace cascade::report
