// The named knobs of firm behaviour: one value each, per firm.
//
// Each firm type has defaults (agents/firm_types.cc); a scenario may override any of them for
// a whole type (`agent_defaults:`) or for one firm (`firms[i].params:`). The decision rules
// that read these knobs live in agents/ and are described in docs/agents.md.
//
//   AgentParams p = agents::defaults_for(FirmType::ai_lab);
//   *find_agent_param("equity_raise_usd_bn_per_year")->field(p) = 40.0;
//
// Units are in the names: `_per_year` rates are fractions per year, `_months` are months of
// outgoings, `_usd_bn` amounts are USD billions.
#pragma once

#include <span>
#include <string_view>

namespace cascade {

struct AgentParams {
  // --- operations (phase 2)
  double revenue_growth_per_year = 0.0;     ///< drift of external revenue, fraction per year
  double revenue_volatility_per_year = 0.0; ///< lognormal volatility of external revenue, per sqrt(year)
  double opex_growth_per_year = 0.0;        ///< drift of external operating cost, fraction per year
  // --- investment (phase 3)
  double capex_growth_per_year = 0.0;       ///< drift of the planned capex, fraction per year
  double liquidity_buffer_months = 3.0;     ///< cash the firm wants to hold, in months of outgoings
  double minimum_liquidity_months = 0.0;    ///< below this runway (months of net outflow) for liquidity_grace_ticks, a loss-making firm fails
  double capex_cut_fraction = 0.5;          ///< share of discretionary capex cut while below the buffer
  double capex_revenue_elasticity = 0.0;    ///< capex plan x (recent revenue / initial revenue)^this: 0 = plan fixed
  double cancel_nonbinding_when_distressed = 1.0;  ///< 1: drop non-binding (loi) orders and tranches when below buffer
  // --- funding (phase 6), as a borrower
  double bond_issue_usd_bn_per_year = 0.0;  ///< new external debt the market will take from this firm per year
  double max_leverage_fraction = 0.6;       ///< debt / assets above which no lender will fund it
  double equity_raise_usd_bn_per_year = 0.0; ///< new outside equity it can raise per year while not distressed
  double hardware_sale_haircut_fraction = 0.4; ///< discount to book when it sells hardware for cash
  double securities_sale_haircut_fraction = 0.2; ///< discount to value when it sells stakes for cash
  // --- funding (phase 6), as a lender
  double rollover_capital_loss_limit_fraction = 0.1; ///< stops rolling loans once its credit losses exceed this share of initial equity
  double max_stress_to_lend = 0.5;          ///< stops rolling and lending once credit-market stress exceeds this
  double cost_of_sales_fraction = 0.0;      ///< variable cost of each unit of network revenue (1 - gross margin)
  // --- balance-sheet composition
  double gpu_share_of_hardware_fraction = 0.0;  ///< share of hardware that is GPUs and servers (priced by the GPU index)
  // --- credit quality (debtrank channel, expected_loss marks)
  double asset_volatility_per_year = 0.2;   ///< volatility of the firm's asset value, per sqrt(year) (Merton)
  // --- the AI-capex cycle
  double sells_compute = 0.0;            ///< 1: its AI revenue is its capacity x utilisation x price (clouds, neoclouds, miners)
  double ai_capex_share_fraction = 0.0;  ///< share of its capex that builds AI capacity
  double build_months = 24.0;            ///< months from capex to capacity in service (seed 003: 18-34)
  double capex_utilisation_elasticity = 0.0;  ///< compute sellers' capex x (utilisation / initial) ^ this
  double ai_revenue_growth_per_year = 0.0;    ///< firms paid by end demand: AI revenue grows with demand and this share gain
  // --- equity market
  double ai_beta = 0.0;  ///< how fully its equity value follows sentiment towards AI (0: not at all, 1: fully)
  // --- fund structure
  double pass_through = 0.0;  ///< 1: a fund whose equity is its investors' capital, gains and losses passed to them
  // Payouts (payouts channel).
  double payout_fraction_of_fcf = 0.0;  ///< dividends and buybacks as a share of free cash flow (moving average)
};

/// One entry of the parameter schema: name, unit, description and where the value lives.
struct AgentParamInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  double AgentParams::*member;

  double* field(AgentParams& p) const { return &(p.*member); }
  double get(const AgentParams& p) const { return p.*member; }
  /// Lowest and highest accepted value (inclusive).
  double min_value;
  double max_value;
};

/// Every knob, in a fixed order (the order of the manifest and docs/agents.md).
std::span<const AgentParamInfo> agent_param_schema();

/// nullptr when `name` is not a knob.
const AgentParamInfo* find_agent_param(std::string_view name);

}  // namespace cascade
