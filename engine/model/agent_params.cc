#include "engine/model/agent_params.h"

#include <array>
#include <limits>

namespace cascade {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

const std::array<AgentParamInfo, 27> kSchema{{
    {"revenue_growth_per_year", "fraction/year", "drift of external revenue", &AgentParams::revenue_growth_per_year, -1.0, 10.0},
    {"revenue_volatility_per_year", "1/sqrt(year)", "lognormal volatility of external revenue",
     &AgentParams::revenue_volatility_per_year, 0.0, 5.0},
    {"opex_growth_per_year", "fraction/year", "drift of external operating cost", &AgentParams::opex_growth_per_year, -1.0, 10.0},
    {"capex_growth_per_year", "fraction/year", "drift of planned capex", &AgentParams::capex_growth_per_year, -1.0, 10.0},
    {"liquidity_buffer_months", "months", "cash the firm wants to keep, in months of outgoings",
     &AgentParams::liquidity_buffer_months, 0.0, 120.0},
    {"minimum_liquidity_months", "months",
     "a loss-making firm whose cash stays below this many months of its net outflow for parameters.liquidity_grace_ticks fails (runway)",
     &AgentParams::minimum_liquidity_months, 0.0, 120.0},
    {"capex_cut_fraction", "fraction", "share of discretionary capex cut while cash is below the buffer",
     &AgentParams::capex_cut_fraction, 0.0, 1.0},
    {"capex_revenue_elasticity", "1", "capex plan scales with (recent revenue / initial revenue) to this power",
     &AgentParams::capex_revenue_elasticity, 0.0, 5.0},
    {"cancel_nonbinding_when_distressed", "0 or 1", "drop non-binding (loi) orders and tranches while below the buffer",
     &AgentParams::cancel_nonbinding_when_distressed, 0.0, 1.0},
    {"bond_issue_usd_bn_per_year", "USD bn/year", "new external debt the market takes from this firm per year",
     &AgentParams::bond_issue_usd_bn_per_year, 0.0, kInf},
    {"max_leverage_fraction", "fraction", "debt/assets above which no lender funds the firm",
     &AgentParams::max_leverage_fraction, 0.0, 10.0},
    {"equity_raise_usd_bn_per_year", "USD bn/year", "outside equity the firm can raise per year while not distressed",
     &AgentParams::equity_raise_usd_bn_per_year, 0.0, kInf},
    {"hardware_sale_haircut_fraction", "fraction", "discount to book value when selling hardware for cash",
     &AgentParams::hardware_sale_haircut_fraction, 0.0, 1.0},
    {"securities_sale_haircut_fraction", "fraction", "discount to value when selling stakes for cash",
     &AgentParams::securities_sale_haircut_fraction, 0.0, 1.0},
    {"rollover_capital_loss_limit_fraction", "fraction", "lender stops rolling loans once its credit losses exceed this share of its initial equity",
     &AgentParams::rollover_capital_loss_limit_fraction, 0.0, 10.0},
    {"max_stress_to_lend", "0..1", "lender stops rolling and lending once credit-market stress exceeds this",
     &AgentParams::max_stress_to_lend, 0.0, 1.0},
    {"cost_of_sales_fraction", "fraction", "variable cost of network revenue (1 - gross margin), paid the same tick",
     &AgentParams::cost_of_sales_fraction, 0.0, 1.0},
    {"gpu_share_of_hardware_fraction", "fraction", "share of hardware that is GPUs and servers, valued by the GPU price index",
     &AgentParams::gpu_share_of_hardware_fraction, 0.0, 1.0},
    {"asset_volatility_per_year", "1/sqrt(year)", "volatility of the firm's asset value, for its default probability (expected_loss marks)",
     &AgentParams::asset_volatility_per_year, 0.001, 5.0},
    {"sells_compute", "0 or 1", "1: its AI revenue is its AI capacity x utilisation x compute price (clouds, neoclouds, miners)",
     &AgentParams::sells_compute, 0.0, 1.0},
    {"ai_capex_share_fraction", "fraction", "share of its capex that builds AI capacity (after build_months)",
     &AgentParams::ai_capex_share_fraction, 0.0, 1.0},
    {"build_months", "months", "months from AI capex to capacity in service (data-centre construction)",
     &AgentParams::build_months, 0.0, 120.0},
    {"capex_utilisation_elasticity", "1", "a compute seller's capex scales with (utilisation / initial utilisation) to this power",
     &AgentParams::capex_utilisation_elasticity, 0.0, 10.0},
    {"ai_revenue_growth_per_year", "fraction/year", "firms paid by end demand: their AI revenue follows demand and grows this much more",
     &AgentParams::ai_revenue_growth_per_year, -1.0, 10.0},
    {"ai_beta", "0..1", "how fully its equity value follows sentiment towards AI equities (ai_sentiment_multiplier)",
     &AgentParams::ai_beta, 0.0, 1.0},
    {"pass_through", "0 or 1", "1: a fund whose book equity is its investors' capital; its gains and losses pass to them",
     &AgentParams::pass_through, 0.0, 1.0},
    {"payout_fraction_of_fcf", "fraction", "dividends and buybacks as a share of its free cash flow; none while distressed or below its tick-0 equity",
     &AgentParams::payout_fraction_of_fcf, 0.0, 1.0},
}};
}  // namespace

std::span<const AgentParamInfo> agent_param_schema() { return kSchema; }

const AgentParamInfo* find_agent_param(std::string_view name) {
  for (const auto& info : kSchema)
    if (info.name == name) return &info;
  return nullptr;
}

}  // namespace cascade
