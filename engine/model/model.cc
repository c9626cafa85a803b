#include "engine/model/model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cascade {
namespace {
constexpr std::array<std::string_view, kShockKindCount> kShockNames{
    "revenue_multiplier", "opex_multiplier", "capex_multiplier", "payment_fraction",
    "cash_change",        "hardware_writedown", "force_default",   "gpu_price_multiplier",
    "sentiment_multiplier", "market_stress", "ai_sentiment_multiplier", "ai_demand_multiplier", "construction_delay",
    "renewal_multiplier", "rate_change", "depreciation_life"};
}

std::string_view to_string(ShockKind k) { return kShockNames[static_cast<std::size_t>(k)]; }
bool is_one_off(ShockKind k) {
  return k == ShockKind::cash_change || k == ShockKind::hardware_writedown || k == ShockKind::force_default ||
         k == ShockKind::gpu_price_multiplier || k == ShockKind::construction_delay ||
         k == ShockKind::depreciation_life;
}

bool is_market_wide(ShockKind k) {
  return k == ShockKind::gpu_price_multiplier || k == ShockKind::sentiment_multiplier ||
         k == ShockKind::market_stress || k == ShockKind::ai_sentiment_multiplier ||
         k == ShockKind::ai_demand_multiplier || k == ShockKind::rate_change;
}

std::optional<ShockKind> parse_shock_kind(std::string_view s) {
  for (std::size_t i = 0; i < kShockNames.size(); ++i)
    if (kShockNames[i] == s) return static_cast<ShockKind>(i);
  return std::nullopt;
}

std::string_view to_string(DebtRankMode m) {
  switch (m) {
    case DebtRankMode::expected_loss: return "expected_loss";
    case DebtRankMode::linear: return "linear";
    case DebtRankMode::single_hit: return "single_hit";
  }
  return "?";
}
std::optional<DebtRankMode> parse_debtrank_mode(std::string_view s) {
  if (s == "expected_loss") return DebtRankMode::expected_loss;
  if (s == "linear") return DebtRankMode::linear;
  if (s == "single_hit") return DebtRankMode::single_hit;
  return std::nullopt;
}

const std::array<std::string_view, Channels::kCount>& Channels::names() {
  static const std::array<std::string_view, kCount> kNames{"payment_clearing", "revenue_contract", "default_resolution",
                                                           "funding",          "debtrank",         "fire_sale",
                                                           "equity_market",    "guarantees",       "capacity",
                                                           "ai_demand",        "contract_renewal", "payouts",
                                                           "credit_ratings"};
  return kNames;
}
bool& Channels::at(std::size_t i) {
  bool* fields[kCount] = {&payment_clearing, &revenue_contract, &default_resolution, &funding, &debtrank,
                          &fire_sale,        &equity_market,    &guarantees,         &capacity, &ai_demand,
                          &contract_renewal, &payouts, &credit_ratings};
  return *fields[i];
}
bool Channels::at(std::size_t i) const { return const_cast<Channels*>(this)->at(i); }

Tick ExposureSpec::end_tick(int ticks_per_year) const {
  if (term_years <= 0.0) return std::numeric_limits<Tick>::max();
  return start_tick + static_cast<Tick>(std::llround(term_years * ticks_per_year)) - 1;
}

std::optional<FirmIdx> Model::find_firm(std::string_view id) const {
  for (std::size_t i = 0; i < firms.size(); ++i)
    if (firms[i].id == id) return static_cast<FirmIdx>(i);
  return std::nullopt;
}

bool Model::enforced(ExposureStatus s) const {
  return std::find(params.enforced_statuses.begin(), params.enforced_statuses.end(), s) !=
         params.enforced_statuses.end();
}

}  // namespace cascade
