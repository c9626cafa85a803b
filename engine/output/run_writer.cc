#include "engine/output/run_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>
#include <utility>

#include "engine/core/build_id.h"
#include "engine/core/diagnostics.h"
#include "engine/output/json_file.h"
#include "engine/output/run_summary.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"

namespace cascade::output {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTimeseriesHeader =
    "tick,firm,type,cash_usd_bn,hardware_usd_bn,construction_usd_bn,securities_usd_bn,claims_usd_bn,"
    "other_assets_usd_bn,liabilities_usd_bn,equity_usd_bn,investor_capital_usd_bn,market_value_usd_bn,revenue_usd_bn,"
    "ai_revenue_usd_bn,opex_usd_bn,capex_usd_bn,due_usd_bn,paid_usd_bn,funding_usd_bn,payout_usd_bn,ai_capacity_gw,"
    "downgraded,defaulted";
constexpr std::string_view kSystemHeader =
    "tick,cash_usd_bn,assets_usd_bn,equity_usd_bn,equity_nonfinancial_usd_bn,equity_banks_usd_bn,"
    "equity_funds_usd_bn,fund_investor_capital_usd_bn,external_inflow_usd_bn,external_outflow_usd_bn,"
    "depreciation_usd_bn,writedown_usd_bn,credit_loss_usd_bn,network_payments_usd_bn,unpaid_usd_bn,"
    "clearing_iterations,defaults_this_tick,defaulted_firms,gpu_price_index,sentiment_index,market_stress_index,"
    "ai_demand_index,ai_utilisation,compute_price_index,ai_capacity_gw,construction_usd_bn,ai_revenue_usd_bn_per_year,"
    "required_ai_revenue_usd_bn_per_year";
constexpr std::string_view kExposuresHeader =
    "tick,exposure,kind,from,to,due_usd_bn,paid_usd_bn,principal_usd_bn,value_usd_bn,markdown_usd_bn,"
    "remaining_usd_bn,arrears_usd_bn,active";
constexpr std::string_view kDefaultsHeader =
    "firm,type,tick,kind,channel,shortfall_usd_bn,external_creditor_loss_usd_bn,detail";
constexpr std::string_view kCreditLossesHeader =
    "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn";

// --- row helpers: each appends one field followed by a comma, or ends without one

void add(std::string& row, double value) {
  append_amount(row, value);
  row += ',';
}
void add(std::string& row, long long value) {
  std::array<char, 24> digits;  // a long long has at most 20 characters
  row.append(digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr);
  row += ',';
}
void add(std::string& row, std::string_view text) {
  append_csv_field(row, text);
  row += ',';
}

// --- build description (no timestamps, no host names: the manifest must be reproducible)

Json build_description() {
  Json build;
  build["id"] = std::string(build_id());
  build["type"] = CASCADE_BUILD_TYPE;
#ifdef __OPTIMIZE__
  build["optimized"] = true;
#else
  build["optimized"] = false;
#endif
#ifdef NDEBUG
  build["assertions"] = false;
#else
  build["assertions"] = true;
#endif
#ifdef __SANITIZE_ADDRESS__
  build["address_sanitizer"] = true;
#else
  build["address_sanitizer"] = false;
#endif
  return build;
}

std::string compiler_description() {
#if defined(__clang__)
  return __VERSION__;  // already "Clang x.y.z ..." / "Ubuntu clang ..."
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return "unknown";
#endif
}

// --- manifest sections

/// Every ModelParameters field by its scenario-file name, as the run used them: `seed` is the
/// run's (`--seed` or a sweep's overrides simulation.seed). Keep in step with engine/model/model.h.
Json parameters_json(const ModelParameters& p, std::uint64_t run_seed) {
  Json statuses = Json::array();
  for (const ExposureStatus s : p.enforced_statuses) statuses.push_back(to_string(s));
  return Json{{"horizon_ticks", p.horizon_ticks},
              {"ticks_per_year", p.ticks_per_year},
              {"seed", run_seed},
              {"liquidation_hardware_fraction", p.liquidation_hardware_fraction},
              {"liquidation_other_fraction", p.liquidation_other_fraction},
              {"liquidation_securities_fraction", p.liquidation_securities_fraction},
              {"contract_claim_years", p.contract_claim_years},
              {"solvency_default", p.solvency_default},
              {"breach_cure_ticks", p.breach_cure_ticks},
              {"liquidity_grace_ticks", p.liquidity_grace_ticks},
              {"default_debt_rate_pct", p.default_debt_rate_pct},
              {"external_debt_rate_pct", p.external_debt_rate_pct},
              {"deposit_rate_pct", p.deposit_rate_pct},
              {"downgrade_default_probability_rise", p.downgrade_default_probability_rise},
              {"downgrade_spread_pct", p.downgrade_spread_pct},
              {"enforced_statuses", std::move(statuses)},
              {"debtrank_mode", to_string(p.debtrank_mode)},
              {"debtrank_loss_given_default", p.debtrank_loss_given_default},
              {"default_probability_horizon_years", p.default_probability_horizon_years},
              {"marking_max_rounds", p.marking_max_rounds},
              {"securities_market_depth_fraction", p.securities_market_depth_fraction},
              {"valuation_earnings_months", p.valuation_earnings_months},
              {"capacity_cost_usd_bn_per_gw", p.capacity_cost_usd_bn_per_gw},
              {"capacity_life_years", p.capacity_life_years},
              {"ai_revenue_usd_bn_per_gw_year", p.ai_revenue_usd_bn_per_gw_year},
              {"initial_utilisation", p.initial_utilisation},
              {"ai_demand_growth_per_year", p.ai_demand_growth_per_year},
              {"ai_demand_volatility_per_year", p.ai_demand_volatility_per_year},
              {"compute_price_elasticity", p.compute_price_elasticity},
              {"required_return_per_year", p.required_return_per_year},
              {"stranding_ticks", p.stranding_ticks},
              {"stranded_salvage_fraction", p.stranded_salvage_fraction},
              {"renewal_min_fraction", p.renewal_min_fraction},
              {"gpu_economic_life_years", p.gpu_economic_life_years},
              {"fire_sale_price_impact", p.fire_sale_price_impact},
              {"gpu_market_depth_usd_bn", p.gpu_market_depth_usd_bn},
              {"gpu_impairment", p.gpu_impairment},
              {"stress_reference_usd_bn", p.stress_reference_usd_bn},
              {"spread_at_full_stress_pct", p.spread_at_full_stress_pct},
              {"sentiment_stress_sensitivity", p.sentiment_stress_sensitivity},
              {"equity_raise_min_sentiment", p.equity_raise_min_sentiment},
              {"market_cap_earnings_weight", p.market_cap_earnings_weight},
              {"warrant_leverage", p.warrant_leverage}};
}

/// Every Channels switch by its scenario-file name.
Json channels_json(const Channels& c) {
  Json out = Json::object();
  for (std::size_t i = 0; i < Channels::kCount; ++i) out[std::string(Channels::names()[i])] = c.at(i);
  return out;
}

Json firms_json(const Model& model) {
  Json firms = Json::array();
  for (const FirmSpec& firm : model.firms) {
    Json params = Json::object();
    for (const AgentParamInfo& info : agent_param_schema()) params[std::string(info.name)] = info.get(firm.params);
    firms.push_back(Json{{"id", firm.id}, {"type", to_string(firm.type)}, {"params", std::move(params)}});
  }
  return firms;
}

/// `added_files`: RunWriter::add_file's names, listed after the run's own files.
Json manifest_json(const Model& model, const RunManifest& manifest, const std::vector<std::string>& added_files) {
  Json overrides = Json::array();
  for (const OverrideRecord& o : manifest.overrides) overrides.push_back(Json{{"path", o.path}, {"value", o.value}});
  Json outputs = Json::array();
  for (const std::string_view file : kRunFiles) outputs.push_back(file);
  for (const std::string& file : added_files) outputs.push_back(file);
  const ScenarioInfo& info = model.info;
  return Json{
      {"cascade_version", CASCADE_VERSION},
      {"build", build_description()},
      {"compiler", compiler_description()},
      {"scenario",
       Json{{"name", info.name},
            {"description", info.description},
            {"version", info.version},
            {"as_of", info.as_of},
            {"files", info.files},
            {"content_hash", info.content_hash}}},
      {"seed", manifest.options.seed},
      {"replication", manifest.options.replication},
      {"threads", manifest.options.threads},
      {"audit", manifest.options.audit},
      {"overrides", std::move(overrides)},
      {"parameters", parameters_json(model.params, manifest.options.seed)},
      {"channels", channels_json(model.channels)},
      {"firms", firms_json(model)},
      {"outputs", std::move(outputs)},
      {"command_line", manifest.command_line},
  };
}

void write_credit_losses(const Model& model, const SimResult& result, const fs::path& path) {
  CsvFile file(path, kCreditLossesHeader);
  for (const CreditLoss& loss : result.credit_losses) {
    const FirmSpec& holder = model.firms.at(loss.holder);
    std::string& row = file.begin_row();
    add(row, static_cast<long long>(loss.tick));
    add(row, holder.id);
    add(row, to_string(holder.type));
    add(row, model.firms.at(loss.obligor).id);
    add(row, model.exposures.at(loss.exposure).id);
    add(row, to_string(loss.kind));
    add(row, loss.claim_usd_bn);
    add(row, loss.recovered_usd_bn);
    append_amount(row, loss.loss_usd_bn());
    file.end_row();
  }
  file.close();
}

/// Writes `content` to `path`; OutputError naming why it could not.
void write_text_file(const fs::path& path, std::string_view content) {
  std::ofstream stream(path, std::ios::binary);
  stream << content;
  stream.flush();
  if (!stream) throw OutputError(cannot_write(path));
}

/// Whether `file` is the manifest.json of a run: a JSON object with the run's own keys
/// (manifest_json), not a sweep's (`kind`) or another program's manifest.json.
bool is_run_manifest(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;
  std::ifstream in(file, std::ios::binary);
  const Json doc = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && !doc.contains("kind") && doc.contains("cascade_version") && doc.contains("scenario") &&
         doc["scenario"].is_object() && doc["scenario"].contains("content_hash") && doc.contains("outputs") &&
         doc["outputs"].is_array();
}

/// `out_dir`, after checking that replacing it cannot destroy anything but an earlier run: an
/// existing directory is replaced only if it is empty or holds a run's manifest.json. This keeps
/// a mistyped `--out` (a source folder, a home directory, a sweep directory) from being deleted.
fs::path replaceable_target(fs::path out_dir, bool replace_existing) {
  std::error_code ec;
  if (!replace_existing || !fs::exists(fs::symlink_status(out_dir, ec))) return out_dir;
  const bool is_run_directory = fs::is_directory(fs::symlink_status(out_dir, ec)) &&
                                (fs::is_empty(out_dir, ec) || is_run_manifest(out_dir / "manifest.json"));
  if (!is_run_directory)
    throw OutputError("'" + out_dir.string() +
                      "' exists and is not an earlier run directory (no manifest.json of a run); refusing to replace "
                      "it");
  return out_dir;
}

}  // namespace

RunWriter::RunWriter(const Model& model, fs::path out_dir, bool replace_existing)
    : model_(model),
      directory_(replaceable_target(std::move(out_dir), replace_existing), replace_existing),
      timeseries_(directory_.path() / "timeseries.csv", kTimeseriesHeader),
      system_(directory_.path() / "system.csv", kSystemHeader),
      defaults_(directory_.path() / "defaults.csv", kDefaultsHeader) {
  if (exposure_rows(model) > kMaxExposureRows) return;
  exposures_.emplace(directory_.path() / "exposures.csv", kExposuresHeader);
  exposure_labels_.offsets.reserve(model.exposures.size() + 1);
  exposure_labels_.offsets.push_back(0);
  for (const ExposureSpec& spec : model.exposures) {
    add(exposure_labels_.text, spec.id);
    add(exposure_labels_.text, to_string(spec.kind));
    add(exposure_labels_.text, model.firms[spec.from].id);
    add(exposure_labels_.text, model.firms[spec.to].id);
    exposure_labels_.offsets.push_back(exposure_labels_.text.size());
  }
}

std::uint64_t RunWriter::exposure_rows(const Model& model) {
  return static_cast<std::uint64_t>(model.exposures.size()) * static_cast<std::uint64_t>(model.params.horizon_ticks + 1);
}

void RunWriter::on_tick(const SystemTickRecord& system, std::span<const FirmTickRecord> firms) {
  CASCADE_ASSERT(system.tick == (last_tick_ ? *last_tick_ + 1 : 0), "observer ticks must run 0, 1, 2, ...");
  CASCADE_ASSERT(firms.size() == model_.firms.size(), "on_tick must receive one record per firm");
  last_tick_ = system.tick;
  const auto tick = static_cast<long long>(system.tick);

  std::string& s = system_.begin_row();
  add(s, tick);
  add(s, system.cash_usd_bn);
  add(s, system.assets_usd_bn);
  add(s, system.equity_usd_bn);
  add(s, system.equity_nonfinancial_usd_bn);
  add(s, system.equity_banks_usd_bn);
  add(s, system.equity_funds_usd_bn);
  add(s, system.fund_investor_capital_usd_bn);
  add(s, system.external_inflow_usd_bn);
  add(s, system.external_outflow_usd_bn);
  add(s, system.depreciation_usd_bn);
  add(s, system.writedown_usd_bn);
  add(s, system.credit_loss_usd_bn);
  add(s, system.network_payments_usd_bn);
  add(s, system.unpaid_usd_bn);
  add(s, static_cast<long long>(system.clearing_iterations));
  add(s, static_cast<long long>(system.defaults_this_tick));
  add(s, static_cast<long long>(system.defaulted_firms));
  add(s, system.gpu_price_index);
  add(s, system.sentiment_index);
  add(s, system.market_stress_index);
  add(s, system.ai_demand_index);
  add(s, system.ai_utilisation);
  add(s, system.compute_price_index);
  add(s, system.ai_capacity_gw);
  add(s, system.construction_usd_bn);
  add(s, system.ai_revenue_usd_bn_per_year);
  append_amount(s, system.required_ai_revenue_usd_bn_per_year);
  system_.end_row();

  for (std::size_t i = 0; i < firms.size(); ++i) {
    const FirmTickRecord& f = firms[i];
    CASCADE_ASSERT(f.firm == i, "on_tick firm records must be in firm order");
    const FirmSpec& spec = model_.firms[f.firm];
    std::string& row = timeseries_.begin_row();
    add(row, tick);
    add(row, spec.id);
    add(row, to_string(spec.type));
    add(row, f.cash_usd_bn);
    add(row, f.hardware_usd_bn);
    add(row, f.construction_usd_bn);
    add(row, f.securities_usd_bn);
    add(row, f.claims_usd_bn);
    add(row, f.other_assets_usd_bn);
    add(row, f.liabilities_usd_bn);
    add(row, f.equity_usd_bn);
    add(row, f.investor_capital_usd_bn);
    add(row, f.market_value_usd_bn);
    add(row, f.revenue_usd_bn);
    add(row, f.ai_revenue_usd_bn);
    add(row, f.opex_usd_bn);
    add(row, f.capex_usd_bn);
    add(row, f.due_usd_bn);
    add(row, f.paid_usd_bn);
    add(row, f.funding_usd_bn);
    add(row, f.payout_usd_bn);
    add(row, f.ai_capacity_gw);
    row += f.downgraded ? "1," : "0,";
    row += f.defaulted ? '1' : '0';
    timeseries_.end_row();
  }
}

void RunWriter::on_default(const DefaultEvent& event) {
  const FirmSpec& firm = model_.firms.at(event.firm);
  std::string& row = defaults_.begin_row();
  add(row, firm.id);
  add(row, to_string(firm.type));
  add(row, static_cast<long long>(event.tick));
  add(row, to_string(event.kind));
  add(row, to_string(event.channel));
  add(row, event.shortfall_usd_bn);
  add(row, event.external_creditor_loss_usd_bn);
  append_csv_field(row, event.detail);
  defaults_.end_row();
}

void RunWriter::on_exposures(Tick tick, std::span<const ExposureTickRecord> exposures) {
  if (!exposures_) return;
  for (const ExposureTickRecord& x : exposures) {
    std::string& row = exposures_->begin_row();
    add(row, static_cast<long long>(tick));
    row.append(exposure_labels_.of(x.exposure));
    add(row, x.due_usd_bn);
    add(row, x.paid_usd_bn);
    add(row, x.principal_usd_bn);
    add(row, x.value_usd_bn);
    add(row, x.markdown_usd_bn);
    add(row, x.remaining_usd_bn);
    add(row, x.arrears_usd_bn);
    row += x.active ? '1' : '0';
    exposures_->end_row();
  }
}

void RunWriter::add_file(std::string_view name, std::string_view content) {
  CASCADE_ASSERT(name.find('/') == std::string_view::npos && !name.empty(), "extra run file name must be a plain name");
  write_text_file(directory_.path() / std::string(name), content);
  added_files_.emplace_back(name);
}

void RunWriter::finish(const SimResult& result, const RunManifest& manifest,
                       const analysis::CircularityResult& circularity) {
  timeseries_.close();
  system_.close();
  defaults_.close();
  if (exposures_) exposures_->close();
  const fs::path& dir = directory_.path();
  write_credit_losses(model_, result, dir / "credit_losses.csv");
  std::string warnings;
  for (const Diagnostic& d : model_.warnings) warnings += d.format() + '\n';
  write_text_file(dir / "warnings.txt", warnings);
  write_json_file(dir / "summary.json", run_summary_json(model_, result, manifest.options, circularity));
  write_json_file(dir / "manifest.json", manifest_json(model_, manifest, added_files_),
                  JsonFloats::exact);  // inputs as given
  directory_.commit();
}

}  // namespace cascade::output
