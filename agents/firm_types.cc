#include "agents/firm_types.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace cascade::agents {
namespace {

using S = FundingSource;

/// Rules shared by every type; types differ in their knobs and their funding order.
///
/// - Capex: the plan scaled by (recent revenue / initial revenue)^capex_revenue_elasticity
///   (investment follows demand), cut by capex_cut_fraction while cash is below the buffer.
/// - Non-binding deals (loi orders and tranches, when a scenario enforces them): dropped below
///   the buffer when cancel_nonbinding_when_distressed is 1.
/// - Rollover (as a lender): refuse once own credit losses exceed
///   rollover_capital_loss_limit_fraction of initial equity, once credit-market stress exceeds
///   max_stress_to_lend, or when the borrower is insolvent or more levered than its
///   max_leverage_fraction.
class RuleBasedBehaviour final : public FirmBehaviour {
 public:
  explicit RuleBasedBehaviour(std::vector<FundingSource> order) : order_(std::move(order)) {}

  double capex_multiplier(const FirmView& self) const override {
    const double demand = std::pow(std::max(0.0, self.revenue_ratio()), self.params().capex_revenue_elasticity);
    // Compute sellers build less when their capacity sits idle, more when it is scarce.
    const double use = self.params().sells_compute >= 0.5 && self.initial_ai_utilisation > 0.0
                           ? std::pow(self.ai_utilisation / self.initial_ai_utilisation,
                                      self.params().capex_utilisation_elasticity)
                           : 1.0;
    return demand * use * (self.distressed() ? 1.0 - self.params().capex_cut_fraction : 1.0);
  }
  bool honours_nonbinding(const FirmView& self) const override {
    return !(self.distressed() && self.params().cancel_nonbinding_when_distressed >= 0.5);
  }
  std::span<const FundingSource> funding_order(const FirmView&) const override { return order_; }
  bool willing_to_roll(const FirmView& lender, const FirmView& borrower, double) const override {
    if (lender.defaulted || borrower.defaulted) return false;
    const double loss_limit = lender.params().rollover_capital_loss_limit_fraction * std::max(0.0, lender.initial_equity_usd_bn);
    if (lender.credit_losses_usd_bn > loss_limit) return false;
    if (lender.market_stress > lender.params().max_stress_to_lend) return false;  // pulls back under stress
    if (borrower.equity_usd_bn <= 0.0) return false;
    return borrower.leverage_fraction() <= borrower.params().max_leverage_fraction;
  }

 private:
  std::vector<FundingSource> order_;
};

AgentParams make(double revenue_growth, double revenue_vol, double opex_growth, double buffer_months,
                 double bond_issue, double max_leverage, double equity_raise, double rollover_limit,
                 double capex_elasticity, double gpu_share, double max_stress_to_lend, double cost_of_sales) {
  AgentParams p;
  p.cost_of_sales_fraction = cost_of_sales;
  p.gpu_share_of_hardware_fraction = gpu_share;
  p.max_stress_to_lend = max_stress_to_lend;
  p.capex_revenue_elasticity = capex_elasticity;
  p.revenue_growth_per_year = revenue_growth;
  p.revenue_volatility_per_year = revenue_vol;
  p.opex_growth_per_year = opex_growth;
  p.liquidity_buffer_months = buffer_months;
  p.bond_issue_usd_bn_per_year = bond_issue;
  p.max_leverage_fraction = max_leverage;
  p.equity_raise_usd_bn_per_year = equity_raise;
  p.rollover_capital_loss_limit_fraction = rollover_limit;
  return p;
}

AgentParams table_defaults_for(FirmType type) {
  // Columns: revenue growth, revenue volatility, opex growth (per year); liquidity buffer
  // (months); bond issuance capacity, max leverage, equity raising capacity; lender's rollover
  // loss limit; capex revenue elasticity; GPU share of hardware; stress above which it stops lending;
  // cost of network sales. docs/agents.md gives the rationale for each row.
  switch (type) {
    case FirmType::chipmaker:      return make(0.15, 0.15, 0.12, 6.0, 10.0, 0.5, 0.0, 0.10, 1, 0.2, 0.5, 0.25);
    case FirmType::memory_maker:   return make(0.10, 0.25, 0.08, 6.0, 10.0, 0.5, 0.0, 0.10, 1, 0.1, 0.5, 0.5);
    case FirmType::hyperscaler:    return make(0.12, 0.08, 0.10, 3.0, 30.0, 0.5, 0.0, 0.10, 0, 0.6, 0.5, 0.2);
    case FirmType::neocloud:       return make(0.50, 0.30, 0.40, 2.0, 5.0, 0.8, 2.0, 0.10, 1, 0.85, 0.5, 0.2);
    case FirmType::ai_lab:         return make(0.60, 0.30, 0.30, 6.0, 0.0, 0.5, 20.0, 0.10, 0, 0.8, 0.5, 0);
    case FirmType::spv:            return make(0.00, 0.00, 0.00, 1.0, 0.0, 0.9, 0.0, 0.10, 0, 0.5, 0.5, 0);
    case FirmType::bank:           return make(0.03, 0.02, 0.03, 1.0, 50.0, 0.95, 0.0, 0.10, 0, 0, 0.5, 0);
    case FirmType::private_credit: return make(0.05, 0.05, 0.05, 1.0, 5.0, 0.9, 0.0, 0.05, 0, 0, 0.3, 0);
    case FirmType::bond_investor:  return make(0.03, 0.02, 0.03, 1.0, 0.0, 0.9, 0.0, 0.10, 0, 0, 0.6, 0);
    case FirmType::conglomerate:   return make(0.05, 0.10, 0.05, 3.0, 10.0, 0.6, 0.0, 0.10, 0, 0.2, 0.5, 0.3);
    case FirmType::miner:          return make(0.20, 0.30, 0.15, 2.0, 1.0, 0.8, 0.5, 0.10, 1, 0.6, 0.5, 0.3);
  }
  return AgentParams{};
}

/// Asset volatility per year by type (Merton-model orders of magnitude: KMV-style estimates are
/// about 5% for banks and bond portfolios, 20-30% for large industrials and platforms, 40-50%
/// for young, levered or single-product firms); lease-backed SPVs are near their tenant's credit.
double asset_volatility_for(FirmType type) {
  switch (type) {
    case FirmType::chipmaker: return 0.30;
    case FirmType::memory_maker: return 0.35;
    case FirmType::hyperscaler: return 0.20;
    case FirmType::neocloud: return 0.40;
    case FirmType::ai_lab: return 0.50;
    case FirmType::spv: return 0.08;
    case FirmType::bank: return 0.05;
    case FirmType::private_credit: return 0.08;
    case FirmType::bond_investor: return 0.05;
    case FirmType::conglomerate: return 0.25;
    case FirmType::miner: return 0.45;
  }
  return 0.2;
}

}  // namespace

AgentParams defaults_for(FirmType type) {
  AgentParams p = table_defaults_for(type);
  p.asset_volatility_per_year = asset_volatility_for(type);
  // The AI-capex cycle: who sells compute, how much of its capex builds AI capacity, and how its
  // capex follows utilisation (docs/agents.md).
  switch (type) {
    case FirmType::hyperscaler:
      p.sells_compute = 1.0, p.ai_capex_share_fraction = 0.8, p.capex_utilisation_elasticity = 1.0;
      break;
    case FirmType::neocloud:
    case FirmType::miner:
      p.sells_compute = 1.0, p.ai_capex_share_fraction = 1.0, p.capex_utilisation_elasticity = 2.0;
      p.build_months = 18.0;
      break;
    case FirmType::ai_lab: p.ai_capex_share_fraction = 1.0; break;
    default: break;
  }
  // Operating firms fail when their runway stays below a month of their cash burn (lenders'
  // minimum-liquidity covenants, going-concern doubts); vehicles, banks and funds have none.
  p.minimum_liquidity_months = type == FirmType::spv || is_lender_type(type) ? 0.0 : 1.0;
  // Payouts: dividends and buybacks as a share of free cash flow (2024 orders of magnitude:
  // large chip and platform firms return about half or more, banks about 60% of earnings; young
  // firms, labs and vehicles none). Pass-through funds distribute their net income to their
  // investors. docs/agents.md gives the figures.
  switch (type) {
    case FirmType::chipmaker: p.payout_fraction_of_fcf = 0.5; break;
    case FirmType::memory_maker: p.payout_fraction_of_fcf = 0.3; break;
    case FirmType::hyperscaler: p.payout_fraction_of_fcf = 0.6; break;
    case FirmType::bank: p.payout_fraction_of_fcf = 0.6; break;
    case FirmType::conglomerate: p.payout_fraction_of_fcf = 0.2; break;
    case FirmType::private_credit: case FirmType::bond_investor: p.payout_fraction_of_fcf = 1.0; break;
    default: p.payout_fraction_of_fcf = 0.0; break;
  }
  // AI equities move with sentiment towards AI; SoftBank half (AI stakes and other assets).
  switch (type) {
    case FirmType::chipmaker: case FirmType::memory_maker: case FirmType::hyperscaler: case FirmType::neocloud:
    case FirmType::ai_lab: case FirmType::miner: p.ai_beta = 1.0; break;
    case FirmType::conglomerate: p.ai_beta = 0.5; break;
    default: p.ai_beta = 0.0; break;
  }
  // Private-credit funds and bond investors manage their investors' money: a loss is theirs.
  p.pass_through = type == FirmType::private_credit || type == FirmType::bond_investor ? 1.0 : 0.0;
  return p;
}

const Behaviours& standard_behaviours() {
  static const Behaviours kBehaviours = [] {
    Behaviours b;
    const std::vector<S> corporate{S::draw_credit_lines, S::issue_debt, S::sell_securities, S::sell_hardware};
    const std::vector<S> lab{S::draw_credit_lines, S::raise_equity, S::sell_securities, S::issue_debt, S::sell_hardware};
    const std::vector<S> levered_operator{S::draw_credit_lines, S::issue_debt, S::raise_equity, S::sell_hardware};
    const std::vector<S> vehicle{S::draw_credit_lines, S::sell_hardware};
    const std::vector<S> financial{S::sell_securities, S::issue_debt};
    b.set(FirmType::chipmaker, std::make_unique<RuleBasedBehaviour>(corporate));
    b.set(FirmType::memory_maker, std::make_unique<RuleBasedBehaviour>(corporate));
    b.set(FirmType::hyperscaler, std::make_unique<RuleBasedBehaviour>(corporate));
    b.set(FirmType::conglomerate, std::make_unique<RuleBasedBehaviour>(corporate));
    b.set(FirmType::ai_lab, std::make_unique<RuleBasedBehaviour>(lab));
    b.set(FirmType::neocloud, std::make_unique<RuleBasedBehaviour>(levered_operator));
    b.set(FirmType::miner, std::make_unique<RuleBasedBehaviour>(levered_operator));
    b.set(FirmType::spv, std::make_unique<RuleBasedBehaviour>(vehicle));
    b.set(FirmType::bank, std::make_unique<RuleBasedBehaviour>(financial));
    b.set(FirmType::private_credit, std::make_unique<RuleBasedBehaviour>(financial));
    b.set(FirmType::bond_investor, std::make_unique<RuleBasedBehaviour>(financial));
    return b;
  }();
  return kBehaviours;
}

}  // namespace cascade::agents
