#include "scenarios/loader/settings_reader.h"

#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

/// Reads a fact's value: one number, or a range [low, high] with low <= high.
std::optional<std::vector<double>> read_fact_values(const YNode& node, Diagnostics& diags) {
  if (!node.is_sequence()) {
    std::optional<double> v = read_number(node, Range::any(), diags);
    if (!v) return std::nullopt;
    return std::vector<double>{*v};
  }
  if (node.items.size() != 2) {
    diags.error(node.where, node.path,
                "a range is written [low, high]: expected 2 numbers, got " + std::to_string(node.items.size()));
    return std::nullopt;
  }
  const std::optional<double> low = read_number(node.items[0], Range::any(), diags);
  const std::optional<double> high = read_number(node.items[1], Range::any(), diags);
  if (!low || !high) return std::nullopt;
  if (*low > *high) {
    diags.error(node.where, node.path,
                "a range is written [low, high], got [" + node.items[0].text + ", " + node.items[1].text + "]");
    return std::nullopt;
  }
  return std::vector<double>{*low, *high};
}

std::vector<std::string> knob_names() {
  std::vector<std::string> out;
  for (const AgentParamInfo& info : agent_param_schema()) out.emplace_back(info.name);
  return out;
}

}  // namespace

ScenarioInfo read_scenario_info(const YNode& node, Diagnostics& diags) {
  ScenarioInfo info;
  const MapReader r(node, {"name", "description", "version", "as_of"}, diags);
  if (r.string("name", info.name, Need::required) && info.name.empty())
    diags.error(r.get("name")->where, r.get("name")->path, "must not be empty");
  r.string("description", info.description);
  r.string("version", info.version);
  r.string("as_of", info.as_of);
  return info;
}

void read_simulation(const YNode& node, ModelParameters& params, Diagnostics& diags) {
  const MapReader r(node, {"horizon_ticks", "ticks_per_year", "seed"}, diags);
  r.integer<Tick>("horizon_ticks", 1, kMaxTicks, params.horizon_ticks);
  r.integer<int>("ticks_per_year", 1, kMaxTicksPerYear, params.ticks_per_year);
  if (const YNode* seed = r.get("seed"))
    if (std::optional<std::uint64_t> v = read_unsigned(*seed, diags)) params.seed = *v;
}

void read_parameters(const YNode& node, ModelParameters& params, Diagnostics& diags) {
  const MapReader r(node,
                    {"liquidation_hardware_fraction", "liquidation_other_fraction", "liquidation_securities_fraction",
                     "contract_claim_years", "solvency_default", "breach_cure_ticks", "liquidity_grace_ticks", "default_debt_rate_pct", "external_debt_rate_pct",
                     "deposit_rate_pct", "downgrade_default_probability_rise", "downgrade_spread_pct",
                     "enforced_statuses", "debtrank_mode", "debtrank_loss_given_default", "default_probability_horizon_years", "marking_max_rounds",
                     "gpu_economic_life_years",
                     "fire_sale_price_impact", "gpu_market_depth_usd_bn", "gpu_impairment", "stress_reference_usd_bn",
                     "spread_at_full_stress_pct", "sentiment_stress_sensitivity", "equity_raise_min_sentiment",
                     "market_cap_earnings_weight", "warrant_leverage", "securities_market_depth_fraction",
                     "valuation_earnings_months", "capacity_cost_usd_bn_per_gw", "capacity_life_years",
                     "ai_revenue_usd_bn_per_gw_year", "initial_utilisation", "ai_demand_growth_per_year",
                     "ai_demand_volatility_per_year", "compute_price_elasticity", "required_return_per_year",
                     "stranding_ticks", "stranded_salvage_fraction", "renewal_min_fraction"},
                    diags);
  const Range fraction = Range::between(0.0, 1.0);
  const Range rate_pct = Range::between(0.0, 100.0);
  r.number("liquidation_hardware_fraction", fraction, params.liquidation_hardware_fraction);
  r.number("liquidation_other_fraction", fraction, params.liquidation_other_fraction);
  r.number("liquidation_securities_fraction", fraction, params.liquidation_securities_fraction);
  r.number("contract_claim_years", Range::between(0.0, 100.0), params.contract_claim_years);
  r.boolean("solvency_default", params.solvency_default);
  r.integer<Tick>("breach_cure_ticks", 0, kMaxTicks, params.breach_cure_ticks);
  r.integer<Tick>("liquidity_grace_ticks", 1, kMaxTicks, params.liquidity_grace_ticks);
  r.number("default_debt_rate_pct", rate_pct, params.default_debt_rate_pct);
  r.number("external_debt_rate_pct", rate_pct, params.external_debt_rate_pct);
  r.number("deposit_rate_pct", rate_pct, params.deposit_rate_pct);
  r.number("downgrade_default_probability_rise", fraction, params.downgrade_default_probability_rise);
  r.number("downgrade_spread_pct", rate_pct, params.downgrade_spread_pct);
  static const std::array<std::string, 3> kModes{"expected_loss", "linear", "single_hit"};
  r.choice("debtrank_mode", "DebtRank mode", parse_debtrank_mode, std::span(kModes), params.debtrank_mode);
  r.number("debtrank_loss_given_default", fraction, params.debtrank_loss_given_default);
  r.number("default_probability_horizon_years", Range::between(0.01, 30.0), params.default_probability_horizon_years);
  r.integer<int>("marking_max_rounds", 1, 1'000'000, params.marking_max_rounds);
  r.number("gpu_economic_life_years", Range::between(0.01, 100.0), params.gpu_economic_life_years);
  r.number("fire_sale_price_impact", Range::between(0.0, 100.0), params.fire_sale_price_impact);
  r.number("gpu_market_depth_usd_bn", Range::between(1e-6, 1e9), params.gpu_market_depth_usd_bn);
  r.boolean("gpu_impairment", params.gpu_impairment);
  r.number("stress_reference_usd_bn", Range::between(1e-6, 1e9), params.stress_reference_usd_bn);
  r.number("spread_at_full_stress_pct", rate_pct, params.spread_at_full_stress_pct);
  r.number("sentiment_stress_sensitivity", fraction, params.sentiment_stress_sensitivity);
  r.number("equity_raise_min_sentiment", Range::between(0.0, 10.0), params.equity_raise_min_sentiment);
  r.number("market_cap_earnings_weight", fraction, params.market_cap_earnings_weight);
  r.number("warrant_leverage", Range::between(0.0, 100.0), params.warrant_leverage);
  r.number("securities_market_depth_fraction", Range::between(1e-6, 1.0), params.securities_market_depth_fraction);
  r.number("valuation_earnings_months", Range::between(1.0, 120.0), params.valuation_earnings_months);
  r.number("capacity_cost_usd_bn_per_gw", Range::between(0.01, 1e4), params.capacity_cost_usd_bn_per_gw);
  r.number("capacity_life_years", Range::between(0.1, 100.0), params.capacity_life_years);
  r.number("ai_revenue_usd_bn_per_gw_year", Range::between(0.001, 1e4), params.ai_revenue_usd_bn_per_gw_year);
  r.number("initial_utilisation", Range::between(0.01, 1.0), params.initial_utilisation);
  r.number("ai_demand_growth_per_year", Range::between(-1.0, 10.0), params.ai_demand_growth_per_year);
  r.number("ai_demand_volatility_per_year", Range::between(0.0, 5.0), params.ai_demand_volatility_per_year);
  r.number("compute_price_elasticity", Range::between(0.0, 10.0), params.compute_price_elasticity);
  r.number("required_return_per_year", Range::between(0.0, 1.0), params.required_return_per_year);
  r.integer<Tick>("stranding_ticks", 1, kMaxTicks, params.stranding_ticks);
  r.number("stranded_salvage_fraction", fraction, params.stranded_salvage_fraction);
  r.number("renewal_min_fraction", fraction, params.renewal_min_fraction);

  const YNode* statuses = r.get("enforced_statuses");
  if (!statuses) return;
  const std::optional<std::vector<NameRef>> names = read_name_list(*statuses, diags, /*allow_empty=*/true);
  if (!names) return;
  const std::vector<std::string> choices = enum_names<ExposureStatus>(kExposureStatusCount);
  std::vector<ExposureStatus> enforced;
  bool ok = true;
  for (const NameRef& name : *names) {
    const std::optional<ExposureStatus> s =
        read_choice(*name.node, "exposure status", parse_exposure_status, std::span(choices), diags);
    if (s == ExposureStatus::settled)
      diags.error(name.node->where, name.node->path,
                  "'settled' exposures were performed before tick 0 and never create cash flows");
    if (!s || *s == ExposureStatus::settled) {
      ok = false;
      continue;
    }
    enforced.push_back(*s);
  }
  if (ok) params.enforced_statuses = std::move(enforced);
}

void read_channels(const YNode& node, Channels& channels, Diagnostics& diags) {
  const auto& names = Channels::names();
  const MapReader r(node, std::span<const std::string_view>(names), diags);
  for (std::size_t i = 0; i < Channels::kCount; ++i) r.boolean(names[i], channels.at(i));
}

ParamOverrides read_param_overrides(const YNode& node, Diagnostics& diags) {
  ParamOverrides out;
  if (!node.is_mapping()) {
    diags.error(node.where, node.path, "expected a mapping of agent parameters, got " + node.describe());
    return out;
  }
  for (const YEntry& e : node.entries) {
    const AgentParamInfo* info = find_agent_param(e.key);
    if (!info) {
      diags.error(e.key_where, key_path(node, e),
                  unknown_name_message("agent parameter", e.key, knob_names()));
      continue;
    }
    const Range range = Range::between(info->min_value, info->max_value);
    if (std::optional<double> v = read_number(e.value, range, diags)) out.emplace_back(info, *v);
  }
  return out;
}

TypeParamOverrides read_agent_defaults(const YNode& node, Diagnostics& diags) {
  TypeParamOverrides out;
  if (!node.is_mapping()) {
    diags.error(node.where, node.path, "expected a mapping of firm types, got " + node.describe());
    return out;
  }
  const std::vector<std::string> types = enum_names<FirmType>(kFirmTypeCount);
  for (const YEntry& e : node.entries) {
    const std::optional<FirmType> type = parse_firm_type(e.key);
    if (!type) {
      diags.error(e.key_where, key_path(node, e),
                  unknown_name_message("firm type", e.key, types));
      continue;
    }
    out[static_cast<std::size_t>(*type)] = read_param_overrides(e.value, diags);
  }
  return out;
}

void apply_param_overrides(const ParamOverrides& overrides, AgentParams& params) {
  for (const auto& [info, value] : overrides) *info->field(params) = value;
}

std::map<std::string, Fact> read_fact_map(const YNode& node, Diagnostics& diags) {
  std::map<std::string, Fact> out;
  if (!node.is_mapping()) {
    diags.error(node.where, node.path, "expected a mapping of named figures, got " + node.describe());
    return out;
  }
  for (const YEntry& e : node.entries) {
    std::optional<Figure> f = read_figure(e.value, Range::any(), diags);
    if (f) out[e.key] = Fact{f->value, f->source.value_or(SourceNote{})};
  }
  return out;
}

std::vector<RecordedFact> read_recorded_facts(const YNode& node, Diagnostics& diags) {
  std::vector<RecordedFact> out;
  if (!node.is_mapping()) {
    diags.error(node.where, node.path, "expected a mapping of fact groups, got " + node.describe());
    return out;
  }
  for (const YEntry& group : node.entries) {
    if (!group.value.is_mapping()) {
      diags.error(group.value.where, group.value.path, "expected a mapping of named figures, got " + group.value.describe());
      continue;
    }
    for (const YEntry& fact : group.value.entries) {
      RecordedFact recorded{group.key, fact.key, {}, {}};
      const YNode* value_node = &fact.value;
      if (fact.value.is_mapping()) {
        const MapReader r(fact.value, {"value", "source", "note"}, diags);
        value_node = r.get("value", Need::required);
        r.string("source", recorded.source.source);
        r.string("note", recorded.source.note);
      } else if (fact.value.where.file == kCommandLine) {
        recorded.source.source = "--set";
      }
      if (!value_node) continue;
      std::optional<std::vector<double>> values = read_fact_values(*value_node, diags);
      if (!values) continue;
      recorded.values = std::move(*values);
      out.push_back(std::move(recorded));
    }
  }
  return out;
}

}  // namespace cascade::scenario
