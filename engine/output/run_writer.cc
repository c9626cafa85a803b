#include "engine/output/run_writer.h"

#include "engine/analysis/circularity.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <utility>

#include "engine/core/diagnostics.h"
#include "engine/output/json_file.h"
#include "engine/output/text_format.h"

namespace cascade::output {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTimeseriesHeader =
    "tick,firm,type,cash_usd_bn,hardware_usd_bn,securities_usd_bn,claims_usd_bn,other_assets_usd_bn,"
    "liabilities_usd_bn,equity_usd_bn,revenue_usd_bn,opex_usd_bn,capex_usd_bn,due_usd_bn,paid_usd_bn,"
    "funding_usd_bn,defaulted";
constexpr std::string_view kSystemHeader =
    "tick,cash_usd_bn,assets_usd_bn,equity_usd_bn,external_inflow_usd_bn,external_outflow_usd_bn,"
    "deadweight_loss_usd_bn,credit_loss_usd_bn,network_payments_usd_bn,unpaid_usd_bn,clearing_iterations,"
    "defaults_this_tick,defaulted_firms,gpu_price_index,sentiment_index,market_stress_index";
constexpr std::string_view kDefaultsHeader =
    "firm,type,tick,kind,channel,shortfall_usd_bn,external_creditor_loss_usd_bn,detail";
constexpr std::string_view kCreditLossesHeader =
    "tick,holder,holder_type,obligor,exposure,kind,claim_usd_bn,recovered_usd_bn,loss_usd_bn";

// --- row helpers: each appends one field followed by a comma, or ends without one

void add(std::string& row, double value) {
  append_number(row, value);
  row += ',';
}
void add(std::string& row, long long value) {
  row += std::to_string(value);
  row += ',';
}
void add(std::string& row, std::string_view text) {
  append_csv_field(row, text);
  row += ',';
}

// --- build description (no timestamps, no host names: the manifest must be reproducible)

Json build_description() {
  Json build;
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

/// Every ModelParameters field by its scenario-file name. Keep in step with engine/model/model.h.
Json parameters_json(const ModelParameters& p) {
  Json statuses = Json::array();
  for (const ExposureStatus s : p.enforced_statuses) statuses.push_back(to_string(s));
  return Json{{"horizon_ticks", p.horizon_ticks},
              {"ticks_per_year", p.ticks_per_year},
              {"seed", p.seed},
              {"liquidation_hardware_fraction", p.liquidation_hardware_fraction},
              {"liquidation_other_fraction", p.liquidation_other_fraction},
              {"liquidation_securities_fraction", p.liquidation_securities_fraction},
              {"contract_claim_years", p.contract_claim_years},
              {"solvency_default", p.solvency_default},
              {"default_debt_rate_pct", p.default_debt_rate_pct},
              {"external_debt_rate_pct", p.external_debt_rate_pct},
              {"enforced_statuses", std::move(statuses)},
              {"debtrank_mode", to_string(p.debtrank_mode)},
              {"debtrank_loss_given_default", p.debtrank_loss_given_default},
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

Json manifest_json(const Model& model, const RunManifest& manifest) {
  Json overrides = Json::array();
  for (const OverrideRecord& o : manifest.overrides) overrides.push_back(Json{{"path", o.path}, {"value", o.value}});
  Json outputs = Json::array();
  for (const std::string_view file : kRunFiles) outputs.push_back(file);
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
      {"parameters", parameters_json(model.params)},
      {"channels", channels_json(model.channels)},
      {"firms", firms_json(model)},
      {"outputs", std::move(outputs)},
      {"command_line", manifest.command_line},
  };
}

/// Each firm's circularity (docs/circular-financing.md): the share of its revenue funded by its
/// own money, over every exposure whatever its status; firms with a share > 0, largest first.
Json circularity_json(const Model& model) {
  std::vector<analysis::FirmCircularity> firms = analysis::firm_circularity(model);
  std::stable_sort(firms.begin(), firms.end(), [](const auto& a, const auto& b) { return a.share > b.share; });
  Json out = Json::array();
  for (const analysis::FirmCircularity& c : firms)
    if (c.share > 0.0)
      out.push_back(Json{{"firm", model.firms[c.firm].id},
                         {"share", c.share},
                         {"financing_share", c.financing_share},
                         {"revenue_usd_bn_per_year", c.revenue_usd_bn},
                         {"circular_revenue_usd_bn_per_year", c.circular_revenue_usd_bn}});
  return out;
}

/// Hidden leverage: each sponsor that leases from SPVs, with its debt/assets alone and with the
/// SPVs' balance sheets consolidated into its own, at the start and the end of the run.
Json off_balance_sheet_json(const Model& model, const SimResult& result) {
  Json out = Json::array();
  for (FirmIdx sponsor = 0; sponsor < model.firms.size(); ++sponsor) {
    std::vector<FirmIdx> spvs;
    for (const ExposureSpec& e : model.exposures)
      if (e.kind == ExposureKind::lease && e.to == sponsor && model.firms[e.from].type == FirmType::spv &&
          model.firms[sponsor].type != FirmType::spv &&
          std::find(spvs.begin(), spvs.end(), e.from) == spvs.end())
        spvs.push_back(e.from);
    if (spvs.empty()) continue;
    auto leverage = [&](const std::vector<FirmTickRecord>& records, bool consolidated) {
      auto assets = [&](FirmIdx f) {
        const FirmTickRecord& r = records.at(f);
        return r.cash_usd_bn + r.hardware_usd_bn + r.securities_usd_bn + r.claims_usd_bn + r.other_assets_usd_bn;
      };
      double debt = records.at(sponsor).liabilities_usd_bn, total = assets(sponsor);
      if (consolidated)
        for (FirmIdx s : spvs) {
          debt += records.at(s).liabilities_usd_bn;
          total += assets(s);
        }
      return total > 0.0 ? Json(debt / total) : Json(nullptr);
    };
    Json ids = Json::array();
    for (FirmIdx s : spvs) ids.push_back(model.firms[s].id);
    out.push_back(Json{{"sponsor", model.firms[sponsor].id},
                       {"spvs", std::move(ids)},
                       {"liabilities_to_assets_start", leverage(result.initial_firms, false)},
                       {"liabilities_to_assets_start_consolidated", leverage(result.initial_firms, true)},
                       {"liabilities_to_assets_end", leverage(result.final_firms, false)},
                       {"liabilities_to_assets_end_consolidated", leverage(result.final_firms, true)}});
  }
  return out;
}

Json summary_json(const Model& model, const SimResult& result, const RunOptions& options) {
  Json defaults = Json::array();
  double external_creditor_loss_usd_bn = 0.0;  // summed in order of occurrence
  for (const DefaultEvent& d : result.defaults) {
    const FirmSpec& firm = model.firms.at(d.firm);
    defaults.push_back(Json{{"firm", firm.id},
                            {"type", to_string(firm.type)},
                            {"tick", d.tick},
                            {"kind", to_string(d.kind)},
                            {"channel", to_string(d.channel)},
                            {"shortfall_usd_bn", d.shortfall_usd_bn},
                            {"external_creditor_loss_usd_bn", d.external_creditor_loss_usd_bn},
                            {"detail", d.detail}});
    external_creditor_loss_usd_bn += d.external_creditor_loss_usd_bn;
  }
  Json by_holder_type = Json::object();
  for (const FirmType t : all_firm_types())
    by_holder_type[std::string(to_string(t))] = result.credit_loss_by_holder_type_usd_bn(t, model);
  Json by_kind = Json::object();
  for (const ExposureKind k : all_exposure_kinds())
    by_kind[std::string(to_string(k))] = result.credit_loss_by_kind_usd_bn(k);
  double total_credit_loss_usd_bn = 0.0;  // summed in order of occurrence: a fixed order
  for (const CreditLoss& loss : result.credit_losses) total_credit_loss_usd_bn += loss.loss_usd_bn();
  // Losses by the channel that brought them (docs/model.md, "Loss attribution"), in total and
  // per firm (firms with any).
  Json by_channel = Json::object();
  Json by_firm_and_channel = Json::object();
  for (std::size_t c = 1; c < kDefaultChannelCount; ++c)
    by_channel[std::string(to_string(static_cast<DefaultChannel>(c)))] =
        result.losses_by_channel_usd_bn(static_cast<DefaultChannel>(c));
  for (std::size_t f = 0; f < result.losses_by_firm.size(); ++f) {
    Json firm = Json::object();
    for (std::size_t c = 1; c < kDefaultChannelCount; ++c)
      if (result.losses_by_firm[f].usd_bn[c] != 0.0)
        firm[std::string(to_string(static_cast<DefaultChannel>(c)))] = result.losses_by_firm[f].usd_bn[c];
    if (!firm.empty()) by_firm_and_channel[model.firms.at(f).id] = std::move(firm);
  }

  return Json{
      {"scenario", model.info.name},
      {"seed", options.seed},
      {"replication", options.replication},
      {"horizon_ticks", model.params.horizon_ticks},
      {"ticks_per_year", model.params.ticks_per_year},
      {"ticks_run", result.ticks_run},
      {"firms", model.firms.size()},
      {"exposures", model.exposures.size()},
      {"shocks", model.shocks.size()},
      {"defaults", std::move(defaults)},
      {"first_default_tick", result.defaults.empty() ? Json(nullptr) : Json(result.defaults.front().tick)},
      {"credit_loss_by_holder_type_usd_bn", std::move(by_holder_type)},
      {"credit_loss_by_exposure_kind_usd_bn", std::move(by_kind)},
      {"total_credit_loss_usd_bn", total_credit_loss_usd_bn},
      {"external_creditor_loss_usd_bn", external_creditor_loss_usd_bn},
      {"loss_by_channel_usd_bn", std::move(by_channel)},
      {"loss_by_firm_and_channel_usd_bn", std::move(by_firm_and_channel)},
      {"off_balance_sheet", off_balance_sheet_json(model, result)},
      {"circularity", circularity_json(model)},
      {"system_equity_start_usd_bn", result.initial.equity_usd_bn},
      {"system_equity_end_usd_bn", result.final.equity_usd_bn},
      {"system_equity_lost_usd_bn", result.system_equity_lost_usd_bn()},
      {"deadweight_loss_usd_bn", result.total_deadweight_loss_usd_bn},
      {"external_inflow_usd_bn", result.total_external_inflow_usd_bn},
      {"external_outflow_usd_bn", result.total_external_outflow_usd_bn},
      {"audited", options.audit},
      {"max_conservation_error_relative",
       options.audit ? Json(result.max_conservation_error_relative) : Json(nullptr)},
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
    append_number(row, loss.loss_usd_bn());
    file.end_row();
  }
  file.close();
}

/// `out_dir`, after checking that replacing it cannot destroy anything but an earlier run: an
/// existing directory is replaced only if it is empty or holds a manifest.json. This keeps a
/// mistyped `--out` (a source folder, a home directory) from being deleted.
fs::path replaceable_target(fs::path out_dir, bool replace_existing) {
  std::error_code ec;
  if (!replace_existing || !fs::exists(fs::symlink_status(out_dir, ec))) return out_dir;
  const bool is_run_directory = fs::is_directory(fs::symlink_status(out_dir, ec)) &&
                                (fs::is_empty(out_dir, ec) || fs::exists(out_dir / "manifest.json", ec));
  if (!is_run_directory)
    throw OutputError("'" + out_dir.string() +
                      "' exists and is not an earlier run directory (no manifest.json); refusing to replace it");
  return out_dir;
}

}  // namespace

RunWriter::RunWriter(const Model& model, fs::path out_dir, bool replace_existing)
    : model_(model),
      directory_(replaceable_target(std::move(out_dir), replace_existing), replace_existing),
      timeseries_(directory_.path() / "timeseries.csv", kTimeseriesHeader),
      system_(directory_.path() / "system.csv", kSystemHeader),
      defaults_(directory_.path() / "defaults.csv", kDefaultsHeader) {}

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
  add(s, system.external_inflow_usd_bn);
  add(s, system.external_outflow_usd_bn);
  add(s, system.deadweight_loss_usd_bn);
  add(s, system.credit_loss_usd_bn);
  add(s, system.network_payments_usd_bn);
  add(s, system.unpaid_usd_bn);
  add(s, static_cast<long long>(system.clearing_iterations));
  add(s, static_cast<long long>(system.defaults_this_tick));
  add(s, static_cast<long long>(system.defaulted_firms));
  add(s, system.gpu_price_index);
  add(s, system.sentiment_index);
  append_number(s, system.market_stress_index);
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
    add(row, f.securities_usd_bn);
    add(row, f.claims_usd_bn);
    add(row, f.other_assets_usd_bn);
    add(row, f.liabilities_usd_bn);
    add(row, f.equity_usd_bn);
    add(row, f.revenue_usd_bn);
    add(row, f.opex_usd_bn);
    add(row, f.capex_usd_bn);
    add(row, f.due_usd_bn);
    add(row, f.paid_usd_bn);
    add(row, f.funding_usd_bn);
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

void RunWriter::add_file(std::string_view name, std::string_view content) {
  CASCADE_ASSERT(name.find('/') == std::string_view::npos && !name.empty(), "extra run file name must be a plain name");
  const fs::path path = directory_.path() / std::string(name);
  std::ofstream stream(path, std::ios::binary);
  stream << content;
  stream.flush();
  if (!stream) throw OutputError("cannot write '" + path.string() + "' (disk full or no permission?)");
}

void RunWriter::finish(const SimResult& result, const RunManifest& manifest) {
  timeseries_.close();
  system_.close();
  defaults_.close();
  const fs::path& dir = directory_.path();
  write_credit_losses(model_, result, dir / "credit_losses.csv");
  write_json_file(dir / "summary.json", summary_json(model_, result, manifest.options));
  write_json_file(dir / "manifest.json", manifest_json(model_, manifest));
  directory_.commit();
}

}  // namespace cascade::output
