#include "engine/output/run_summary.h"

#include <algorithm>

namespace cascade::output {
namespace {

/// Each firm's circularity (docs/circular-financing.md): the share of its revenue funded by its
/// own money, over every exposure whatever its status; firms with a share > 0, largest first.
/// Null when the model is too large for the summary's bound (`cascade loops` computes it).
Json circularity_json(const analysis::CircularityResult& circularity, const Model& model) {
  if (!circularity.computed) return Json(nullptr);
  std::vector<analysis::FirmCircularity> firms = circularity.firms;
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

Json layers_json(const SystemTickRecord& r) {
  return Json{{"nonfinancial", r.equity_nonfinancial_usd_bn},
              {"banks", r.equity_banks_usd_bn},
              {"funds", r.equity_funds_usd_bn},
              {"total", r.equity_usd_bn}};
}

/// Losses by channel, grouped by what they are (realised, unpaid, marks, foregone revenue).
Json losses_by_nature_json(const SimResult& result) {
  Json out = Json::object();
  for (LossNature nature : {LossNature::realised, LossNature::unpaid, LossNature::mark, LossNature::foregone_revenue})
    out[std::string(to_string(nature))] = Json::object();
  double gains = 0.0;
  for (const ChannelLosses& l : result.losses_by_firm) gains += l.equity_market_gains_usd_bn;
  for (std::size_t c = 1; c < kDefaultChannelCount; ++c) {
    const auto channel = static_cast<DefaultChannel>(c);
    Json& group = out[std::string(to_string(nature_of(channel)))];
    const double net = result.losses_by_channel_usd_bn(channel);
    if (channel == DefaultChannel::equity_market) {
      group["equity_market_losses"] = net + gains;
      group["equity_market_gains"] = gains;
    } else {
      group[std::string(to_string(channel))] = net;
    }
  }
  return out;
}

}  // namespace

/// Hidden leverage: each sponsor that leases from SPVs, with its liabilities/assets alone and
/// with the SPVs' balance sheets consolidated into its own, at the start and the end of the run.
/// One pass over the exposures finds every sponsor's SPVs.
Json off_balance_sheet_json(const Model& model, const SimResult& result) {
  std::vector<std::vector<FirmIdx>> spvs_of(model.firms.size());
  for (const ExposureSpec& e : model.exposures) {
    if (e.kind != ExposureKind::lease || model.firms[e.from].type != FirmType::spv ||
        model.firms[e.to].type == FirmType::spv)
      continue;
    std::vector<FirmIdx>& spvs = spvs_of[e.to];
    if (std::find(spvs.begin(), spvs.end(), e.from) == spvs.end()) spvs.push_back(e.from);
  }
  Json out = Json::array();
  for (FirmIdx sponsor = 0; sponsor < model.firms.size(); ++sponsor) {
    const std::vector<FirmIdx>& spvs = spvs_of[sponsor];
    if (spvs.empty()) continue;
    auto leverage = [&](const std::vector<FirmTickRecord>& records, bool consolidated) {
      auto assets = [&](FirmIdx f) { return records.at(f).assets_usd_bn(); };
      if (records.at(sponsor).defaulted) return Json(nullptr);  // resolved: no balance sheet left to lever
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

Json run_summary_json(const Model& model, const SimResult& result, const RunOptions& options,
                      const analysis::CircularityResult& circularity) {
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
    // Appended, not looked up: firm ids are unique, and an ordered_json key lookup is a linear
    // search (quadratic in firms over the loop).
    if (!firm.empty()) by_firm_and_channel.get_ref<Json::object_t&>().emplace_back(model.firms.at(f).id, std::move(firm));
  }
  Json warnings = Json::array();
  for (const Diagnostic& d : model.warnings) warnings.push_back(d.format());
  if (!circularity.computed) warnings.push_back(analysis::circularity_not_computed(circularity));

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
      {"losses_by_nature_usd_bn", losses_by_nature_json(result)},
      {"loss_by_channel_usd_bn", std::move(by_channel)},
      {"loss_by_firm_and_channel_usd_bn", std::move(by_firm_and_channel)},
      {"off_balance_sheet", off_balance_sheet_json(model, result)},
      {"circularity", circularity_json(circularity, model)},
      {"system_equity_start_usd_bn", result.initial.equity_usd_bn},
      {"system_equity_end_usd_bn", result.final.equity_usd_bn},
      {"system_equity_by_layer_start_usd_bn", layers_json(result.initial)},
      {"system_equity_by_layer_end_usd_bn", layers_json(result.final)},
      {"system_equity_lost_usd_bn", result.system_equity_lost_usd_bn()},
      {"fund_investor_capital_start_usd_bn", result.initial.fund_investor_capital_usd_bn},
      {"fund_investor_capital_end_usd_bn", result.final.fund_investor_capital_usd_bn},
      {"losses_passed_to_fund_investors_usd_bn", result.total_losses_passed_to_investors_usd_bn},
      {"depreciation_usd_bn", result.total_depreciation_usd_bn},
      {"writedown_usd_bn", result.total_writedown_usd_bn},
      {"external_inflow_usd_bn", result.total_external_inflow_usd_bn},
      {"external_outflow_usd_bn", result.total_external_outflow_usd_bn},
      {"warnings", std::move(warnings)},
      {"unconverged_marking_ticks", result.unconverged_marking_ticks},
      {"first_unconverged_marking_tick",
       result.unconverged_marking_ticks > 0 ? Json(result.first_unconverged_marking_tick) : Json(nullptr)},
      {"audited", options.audit},
      {"max_conservation_error_relative",
       options.audit ? Json(result.max_conservation_error_relative) : Json(nullptr)},
  };
}

}  // namespace cascade::output
