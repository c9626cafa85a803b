// The interface between the tick loop and firm-type behaviour (implemented in agents/).
//
// The engine owns the mechanics (who owes what, clearing, recoveries); a firm's *decisions*
// come from its type's `FirmBehaviour`: how much to invest, whether to drop non-binding deals,
// in which order to raise cash, and, for lenders, whether to roll a maturing loan.
//
//   const Behaviours& b = agents::standard_behaviours();
//   double m = b.of(FirmType::hyperscaler).capex_multiplier(view);
//
// Thread safety: implementations are stateless and const; the engine calls them concurrently
// for different firms. Every input they may read is in `FirmView`.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <span>
#include <vector>

#include "engine/core/types.h"
#include "engine/model/model.h"

namespace cascade {

/// A read-only snapshot of one firm for its decisions this tick.
struct FirmView {
  const FirmSpec* spec = nullptr;
  Tick tick = 0;
  int ticks_per_year = 12;
  double cash_usd_bn = 0.0;
  double assets_usd_bn = 0.0;
  double debt_usd_bn = 0.0;            ///< network + external debt owed
  double equity_usd_bn = 0.0;          ///< book equity, with a fund's investor capital: its loss-absorbing buffer
  double initial_equity_usd_bn = 0.0;  ///< the same at tick 0
  double outgoings_usd_bn_per_tick = 0.0;  ///< average obligations + opex per tick, recent
  double revenue_usd_bn_per_tick = 0.0;    ///< average total revenue per tick, recent
  double initial_revenue_usd_bn_per_tick = 0.0;  ///< reported revenue / ticks per year
  double credit_losses_usd_bn = 0.0;   ///< cumulative losses on defaulted counterparties
  double securities_usd_bn = 0.0;      ///< stakes and warrants it could sell
  double hardware_usd_bn = 0.0;
  double undrawn_credit_usd_bn = 0.0;  ///< committed lines it may draw
  double market_stress = 0.0;          ///< credit-market stress in [0, 1] (0 with the funding channel off)
  double ai_utilisation = 0.0;         ///< utilisation of merchant AI compute (ai_demand channel), now
  double initial_ai_utilisation = 0.0; ///< the same at tick 0
  bool defaulted = false;

  const AgentParams& params() const { return spec->params; }
  double leverage_fraction() const { return assets_usd_bn > 0.0 ? debt_usd_bn / assets_usd_bn : 1.0; }
  /// The cash the firm wants to hold: its buffer in months of recent net outflow (outgoings
  /// minus revenue): a runway. A firm whose revenue covers its outgoings needs no buffer.
  double cash_target_usd_bn() const {
    return cash_target_usd_bn(params(), ticks_per_year, outgoings_usd_bn_per_tick, revenue_usd_bn_per_tick);
  }
  /// The same from its terms and its moving averages (USD bn per tick), without a view.
  static double cash_target_usd_bn(const AgentParams& params, int ticks_per_year, double outgoings_usd_bn_per_tick,
                                   double revenue_usd_bn_per_tick) {
    const double ticks_per_month = ticks_per_year / 12.0;
    const double net_outflow = std::max(0.0, outgoings_usd_bn_per_tick - revenue_usd_bn_per_tick);
    return params.liquidity_buffer_months * ticks_per_month * net_outflow;
  }
  /// Recent revenue relative to tick 0 (1 when the firm reported no revenue).
  double revenue_ratio() const {
    return initial_revenue_usd_bn_per_tick > 0.0 ? revenue_usd_bn_per_tick / initial_revenue_usd_bn_per_tick : 1.0;
  }
  /// Cash below the firm's liquidity buffer.
  bool distressed() const { return cash_usd_bn < cash_target_usd_bn(); }
};

/// Ways a firm can raise cash in the funding phase, tried in the order its behaviour gives.
enum class FundingSource : std::uint8_t {
  draw_credit_lines,  ///< draw committed lines from lenders in the network
  issue_debt,         ///< new external bonds/loans, within bond_issue_usd_bn_per_year and max leverage
  raise_equity,       ///< new outside equity, within equity_raise_usd_bn_per_year, not while distressed in solvency terms
  sell_securities,    ///< sell stakes and warrants at securities_sale_haircut_fraction
  sell_hardware,      ///< sell hardware at hardware_sale_haircut_fraction
};
inline constexpr std::size_t kFundingSourceCount = 5;
std::string_view to_string(FundingSource s);

class FirmBehaviour {
 public:
  virtual ~FirmBehaviour() = default;
  /// Multiplier on the firm's planned capex this tick (>= 0), before scenario shocks.
  virtual double capex_multiplier(const FirmView& self) const = 0;
  /// Whether the firm keeps honouring its non-binding (loi) orders and tranches this tick.
  virtual bool honours_nonbinding(const FirmView& self) const = 0;
  /// Sources the firm uses to raise cash, in order of preference. The span stays valid as long
  /// as the behaviour (the engine reads it at once, and it must not allocate per call).
  virtual std::span<const FundingSource> funding_order(const FirmView& self) const = 0;
  /// Lender's decision to refinance `amount_usd_bn` of maturing debt of `borrower`.
  virtual bool willing_to_roll(const FirmView& lender, const FirmView& borrower, double amount_usd_bn) const = 0;
};

/// One behaviour per firm type. Owns them.
class Behaviours {
 public:
  void set(FirmType t, std::unique_ptr<FirmBehaviour> b) { by_type_[static_cast<std::size_t>(t)] = std::move(b); }
  const FirmBehaviour& of(FirmType t) const { return *by_type_[static_cast<std::size_t>(t)]; }
  bool complete() const {
    for (const auto& b : by_type_)
      if (!b) return false;
    return true;
  }

 private:
  std::array<std::unique_ptr<FirmBehaviour>, kFirmTypeCount> by_type_;
};

}  // namespace cascade
