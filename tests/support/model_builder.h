// Builds small Models in C++ for engine tests, without the YAML loader.
//
//   ModelBuilder b;
//   FirmIdx bank = b.firm("bank", FirmType::bank, {.cash = 100});
//   FirmIdx shop = b.firm("shop", FirmType::neocloud, {.cash = 1, .hardware = 10});
//   b.exposure(ExposureKind::loan, bank, shop, 20, {.term_years = 1.0 / 12});
//   Model m = b.build();   // derived quantities filled, agent knobs zeroed unless set
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "agents/firm_types.h"
#include "engine/model/derive.h"
#include "engine/model/model.h"

namespace cascade::testing {

/// Every channel off except the named ones (names as in Channels::names()).
inline Channels only(std::initializer_list<std::string_view> names) {
  Channels c;
  for (std::size_t i = 0; i < Channels::kCount; ++i) c.at(i) = false;
  for (std::string_view n : names)
    for (std::size_t i = 0; i < Channels::kCount; ++i)
      if (Channels::names()[i] == n) c.at(i) = true;
  return c;
}

struct FirmFigures {
  double cash = 0, hardware = 0, other_assets = 0, debt = 0, revenue = 0, opex = 0, capex = 0;
  double hardware_life_years = 6.0;
};

struct ExposureTerms {
  double term_years = 0.0;
  std::optional<double> annual;
  std::optional<double> rate_pct;
  Seniority seniority = Seniority::senior;
  ExposureStatus status = ExposureStatus::outstanding;
  std::optional<PurchasePurpose> purpose;
  Tick start_tick = 1;
  double take_or_pay = 1.0;
  double collateral = 0.0;
  double ltv_max = 0.0;
  std::optional<FirmIdx> beneficiary;
  FinancingForm form = FinancingForm::equity;
};

class ModelBuilder {
 public:
  ModelBuilder() {
    model_.params.horizon_ticks = 12;
    model_.params.ticks_per_year = 12;
  }
  /// Adds a firm with "quiet" behaviour: no growth, no noise, no buffer, no outside funding.
  FirmIdx firm(const std::string& id, FirmType type, FirmFigures fig) {
    FirmSpec f;
    f.id = id;
    f.name = id;
    f.type = type;
    f.cash_usd_bn = fig.cash;
    f.hardware_usd_bn = fig.hardware;
    f.other_assets_usd_bn = fig.other_assets;
    f.debt_usd_bn = fig.debt;
    f.revenue_usd_bn_per_year = fig.revenue;
    f.opex_usd_bn_per_year = fig.opex;
    f.capex_usd_bn_per_year = fig.capex;
    f.hardware_useful_life_years = fig.hardware_life_years;
    f.params = AgentParams{};
    f.params.liquidity_buffer_months = 0.0;
    f.params.capex_cut_fraction = 0.0;
    f.params.max_leverage_fraction = 0.0;
    f.params.rollover_capital_loss_limit_fraction = 0.0;
    model_.firms.push_back(f);
    return static_cast<FirmIdx>(model_.firms.size() - 1);
  }
  AgentParams& params(FirmIdx f) { return model_.firms[f].params; }

  ExposureIdx exposure(ExposureKind kind, FirmIdx from, FirmIdx to, double amount, ExposureTerms t = {}) {
    ExposureSpec e;
    e.id = "E" + std::to_string(model_.exposures.size());
    e.kind = kind;
    e.from = from;
    e.to = to;
    e.amount_usd_bn = amount;
    e.term_years = t.term_years;
    e.annual_given_usd_bn = t.annual;
    e.rate_given_pct = t.rate_pct.has_value() ? t.rate_pct : std::optional<double>(0.0);
    e.seniority = t.seniority;
    e.status = t.status;
    e.purpose_given = t.purpose;
    e.start_tick = t.start_tick;
    e.take_or_pay_fraction = t.take_or_pay;
    e.collateral_usd_bn = t.collateral;
    e.ltv_max_fraction = t.ltv_max;
    e.beneficiary = t.beneficiary;
    e.form = t.form;
    model_.exposures.push_back(e);
    return static_cast<ExposureIdx>(model_.exposures.size() - 1);
  }
  ShockSpec& shock(ShockKind kind, std::vector<FirmIdx> targets, Tick tick, double value, Tick duration = 0) {
    ShockSpec s;
    s.id = "S" + std::to_string(model_.shocks.size());
    s.kind = kind;
    s.targets = std::move(targets);
    s.tick = tick;
    s.value = value;
    s.duration_ticks = duration;
    model_.shocks.push_back(s);
    return model_.shocks.back();
  }
  Model& model() { return model_; }
  Model build() {
    Diagnostics diags;
    derive_model_quantities(model_, diags);
    model_.warnings = diags.warnings();
    return model_;
  }

 private:
  Model model_;
};

}  // namespace cascade::testing
