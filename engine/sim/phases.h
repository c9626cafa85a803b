// The nine phases of a tick (docs/model.md, "One tick"), as functions over SimState.
// Internal to engine/sim: the public entry point is run_simulation (simulation.h).
//
// Order, fixed: 1 shocks, 2 operations, 3 investment, 4 obligations, 5 clearing, 6 funding,
// 7 default and resolution, 8 revaluation, 9 record. Each phase reads what the previous ones
// left in SimState. Phases 2, 3 and 9 work per firm in parallel (writing only that firm's
// slots); the others run in firm order, so results never depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include <tbb/task_arena.h>

#include <span>

#include "engine/clearing/clearing.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/records.h"
#include "engine/sim/simulation.h"
#include "engine/sim/state.h"

namespace cascade::sim {

/// What each firm faces this tick, from shocks (phase 1) and its own decisions (phase 3).
/// One per run, reset at the start of each tick (no allocation: the sizes do not change).
struct TickInputs {
  explicit TickInputs(std::size_t firm_count) { reset(firm_count); }
  /// Every per-firm value neutral (multipliers 1, nothing forced or planned), for `firm_count` firms.
  void reset(std::size_t firm_count) {
    revenue_multiplier.assign(firm_count, 1.0);
    opex_multiplier.assign(firm_count, 1.0);
    capex_multiplier.assign(firm_count, 1.0);
    payment_fraction.assign(firm_count, 1.0);
    forced_default.assign(firm_count, 0);
    planned_capex_usd_bn.assign(firm_count, 0.0);
    honours_nonbinding.assign(firm_count, 1);
    renewal_multiplier.assign(firm_count, 1.0);
    sentiment_multiplier = ai_sentiment_multiplier = ai_demand_multiplier = 1.0;
    market_stress = 0.0;
  }
  std::vector<double> revenue_multiplier;
  std::vector<double> opex_multiplier;
  std::vector<double> capex_multiplier;
  std::vector<double> payment_fraction;
  std::vector<std::uint8_t> forced_default;
  std::vector<double> planned_capex_usd_bn;  ///< this tick, after the firm's decision and shocks
  std::vector<std::uint8_t> honours_nonbinding;
  std::vector<double> renewal_multiplier;  ///< product of active renewal_multiplier shocks on the customer
  double sentiment_multiplier = 1.0;  ///< product of active sentiment_multiplier shocks
  double ai_sentiment_multiplier = 1.0;  ///< product of active ai_sentiment_multiplier shocks
  double ai_demand_multiplier = 1.0;     ///< product of active ai_demand_multiplier shocks
  double market_stress = 0.0;         ///< sum of active market_stress shocks
};

/// Why an obligation exists, so that clearing results can be booked.
struct ObligationTag {
  enum class What : std::uint8_t {
    external_opex,
    external_interest,
    debt_interest,
    debt_principal,
    stream,          ///< lease, purchase commitment or revenue share payment
    exit_fee,        ///< what a customer owes on exiting a contract (take-or-pay share of what remained)
    vendor_tranche,  ///< supplier's funding tranche to its customer
    spot_order,      ///< discretionary hardware order to an in-network supplier
    outside_capex,   ///< discretionary capex spent outside the network
  };
  What what = What::external_opex;
  ExposureIdx exposure = 0;  ///< for exposure-based obligations
  bool discretionary = false;  ///< unpaid discretionary orders are simply not placed
};

/// Everything due this tick, item k with its tag k. One per run: refilled by phase 4 each tick,
/// reserved for max_obligations_per_tick (tick_scratch.h).
struct TickObligations {
  std::vector<Obligation> items;
  std::vector<ObligationTag> tags;
};

/// A read-only snapshot of firm `f` for its behaviour.
FirmView make_view(const SimState& state, FirmIdx f);
/// The same with f's balance sheet given (state.balance_sheet(f), or SimState::balance_sheets').
FirmView make_view(const SimState& state, FirmIdx f, const BalanceSheet& sheet);
/// make_view(state, f).cash_target_usd_bn() without the balance sheet the view needs.
double cash_target_usd_bn(const SimState& state, FirmIdx f);

/// Runs `fn(f)` for every firm, in parallel inside `arena`. `fn` may write only firm f's slots.
template <typename Fn>
void for_each_firm_parallel(tbb::task_arena& arena, std::size_t firm_count, Fn&& fn);

void apply_shocks(SimState& state, TickInputs& inputs);                                              // 1
void run_operations(SimState& state, const TickInputs& inputs, const RunOptions& options,
                    tbb::task_arena& arena);                                                          // 2
void decide_investment(SimState& state, TickInputs& inputs, const Behaviours& behaviours,
                       tbb::task_arena& arena);                                                       // 3
/// Phase 4: replaces the contents of `out` with what is due this tick.
void collect_obligations(SimState& state, const TickInputs& inputs, const Behaviours& behaviours,
                         TickObligations& out);                                                       // 4
int settle_obligations(SimState& state, const TickObligations& obligations);                          // 5
void run_funding(SimState& state, const Behaviours& behaviours);                                      // 6
void resolve_defaults(SimState& state, const TickInputs& inputs, std::vector<DefaultEvent>& defaults,
                      std::vector<CreditLoss>& losses);                                               // 7
/// Returns false when the counterparty marks (debtrank channel) stopped at marking_max_rounds
/// before their fixed point converged.
bool revalue(SimState& state, const TickObligations& obligations, const TickInputs& inputs);          // 8

/// The AI market in phase 2 (ai_market.cc): capacity retirement, end demand, utilisation, the
/// compute price (fed to the GPU index) and each firm's AI revenue, added to `revenue` (per firm,
/// this tick's external revenue; booked by the caller).
void update_ai_market(SimState& state, const TickInputs& inputs, const RunOptions& options,
                      std::vector<double>& revenue_usd_bn);
/// Construction at the end of phase 5: funded builds progress and complete into capacity and
/// hardware; builds unfunded for parameters.stranding_ticks are stranded and written down.
void advance_construction(SimState& state, const TickInputs& inputs);
/// A construction_delay shock: `f`'s builds in progress need `months` more.
void delay_construction(SimState& state, FirmIdx f, double months);

/// Compute contracts at the start of phase 2 (contracts.cc, contract_renewal channel), on last
/// tick's demand and market: expired leases and service commitments renew at the customer's
/// demand or lapse; the supplier's foregone revenue of lapses, smaller renewals and exits
/// accrues to its contract_renewal losses.
void renew_contracts(SimState& state, const TickInputs& inputs);
/// Whether the obligor of stream `e` exits it this tick under its exit terms (take_or_pay below 1,
/// the obligor distressed and the contract binding); if so, ends the stream and returns the exit
/// fee (take-or-pay share of what remained), else returns 0.
double exit_contract(SimState& state, ExposureIdx e, const TickInputs& inputs);

/// Per firm, the unpaid amounts it owes now (`arrears_usd_bn`): its external arrears, then the
/// arrears and overdue principal of the exposures it owes (withheld payments included), then the
/// tranche and guarantee arrears of those where it is `from`, each list in storage order; and
/// the part of them it withholds by choice (`withheld_usd_bn`, payment_fraction shock: not paid
/// in the funding phase, a breach once the cure period has passed). Each output is resized to the
/// firm count; one pass over the exposures for each sum.
void arrears_of_every_firm(const SimState& state, std::vector<double>& arrears_usd_bn,
                           std::vector<double>& withheld_usd_bn);

/// Per firm, the marks (debtrank channel) on its claims that are performing: the obligor is
/// current on every payment and not in default. The solvency test adds them back: a firm is not
/// liquidated for a mark-to-model loss on claims that are still being paid (docs/model.md,
/// phase 7). `arrears_by_firm` is arrears_of_every_firm's; `out` is resized to the firm count.
void performing_marks_of_every_firm(const SimState& state, std::span<const double> arrears_by_firm,
                                    std::vector<double>& out);

}  // namespace cascade::sim

#include "engine/sim/parallel.inl"
