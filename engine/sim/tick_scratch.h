// Working buffers of the tick loop, kept from tick to tick so that a tick allocates nothing.
//
//   SimState state(model, network);          // reserves every buffer for its largest size
//   state.scratch.revenue_usd_bn.assign(n, 0.0);  // in a phase: refill, never shrink
//
// Each buffer belongs to the phase named beside it and means nothing outside it: a phase
// refills what it uses before reading it. `reserve` sizes every buffer for the largest tick the
// model allows (bounds beside each), so refilling never reallocates; a buffer that could exceed
// its bound (none does today) would grow once and keep its new size.
//
// Ownership and thread safety: one per SimState, i.e. per run; never shared between runs.
// Per-firm buffers filled by the parallel phases (2) are written only at the firm's own slot.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "engine/clearing/clearing.h"
#include "engine/core/types.h"
#include "engine/model/model.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/records.h"

namespace cascade::sim {

/// One unpaid amount a firm owes now (phase 6, funding.cc).
struct Arrear {
  enum class What : std::uint8_t { external, scheduled, principal, tranche, guarantee } what;
  ExposureIdx exposure;
  FirmIdx creditor;  ///< kExternalCreditor for external arrears
  Seniority seniority;
  double amount_usd_bn;
};

/// A claim on a defaulted firm's estate (phase 7, resolution.cc).
struct EstateClaim {
  FirmIdx holder;        ///< kExternalCreditor for outside creditors
  ExposureIdx exposure;  ///< valid when holder is a firm
  Seniority seniority;
  double amount_usd_bn;
  double booked_value_usd_bn;  ///< value the holder carries on its balance sheet (securities only)
  double unpaid_usd_bn;        ///< arrears in the claim, already counted as the holder's unpaid receipts
  double markdown_usd_bn;      ///< debt claims: the holder's markdown (its book value is principal - markdown)
};

/// A debt claim the expected_loss marks revalue this tick (phase 8, revaluation.cc).
struct MarkedClaim {
  FirmIdx holder;
  FirmIdx obligor;
  double principal_usd_bn;
};

struct TickScratch {
  /// Sizes every buffer for the largest tick of `model` (bounds in the comments below);
  /// `capex_supplier_shares` as in SimState.
  void reserve(const Model& model, const ExposureNetwork& network,
               const std::vector<std::vector<std::pair<FirmIdx, double>>>& capex_supplier_shares);

  // Phase 2, operations (simulation.cc, ai_market.cc, contracts.cc): per firm.
  std::vector<double> revenue_usd_bn;              ///< this tick's external revenue, booked in firm order
  std::vector<double> depreciation_usd_bn;         ///< this tick's book depreciation
  std::vector<double> contracted_usd_bn_per_year;  ///< service contracts in force, per supplier
  std::vector<double> idle_usd_bn_per_year;        ///< own idle capacity left for renewals (-1: not computed)

  // Phase 4, obligations (obligations.cc).
  std::vector<double> binding_capex_usd_bn;  ///< per exposure: contracted capex scheduled this tick
  /// Per buyer: (supplier, contracted capex orders this tick), in order of first appearance.
  /// Bound per buyer: its capex purchase commitments.
  std::vector<std::vector<std::pair<FirmIdx, double>>> contracted_capex_usd_bn;

  // Phase 5, clearing (obligations.cc). Bound: obligations of one tick (TickObligations).
  std::vector<double> liquid_usd_bn;      ///< per firm
  std::vector<Obligation> own_cash_only;  ///< payment_clearing off: every creditor outside
  ClearingWorkspace clearing;
  ClearingResult cleared;

  // Phase 6, funding (funding.cc). Bound: 1 + 2 x (exposures owed) + 2 x (exposures held) of a firm.
  std::vector<Arrear> arrears;

  // Phase 7, default and resolution (resolution.cc).
  std::vector<DefaultEvent> found_defaults;    ///< one round's new defaults; bound: firms
  std::vector<double> arrears_by_firm_usd_bn;  ///< one detection round's arrears_usd_bn per firm
  std::vector<EstateClaim> claims;             ///< bound: exposures owed + 2 x exposures held + 1
  std::vector<double> recovered_usd_bn;        ///< per claim

  // Phase 8, revaluation (revaluation.cc): per firm.
  std::vector<double> outgoings_usd_bn;
  std::vector<double> committed_usd_bn;
  std::vector<double> assets_usd_bn;
  std::vector<double> liabilities_usd_bn;
  std::vector<double> level;  ///< marks: each obligor's default-probability rise or DebtRank h
  std::vector<double> marked_assets_usd_bn;
  std::vector<double> previous_marked_assets_usd_bn;  ///< expected_loss: the round before's
  std::vector<MarkedClaim> marked_claims;             ///< expected_loss; bound: exposures
  std::vector<double> used_level;                     ///< DebtRank: the levels a round marks with
};

/// Most obligations one tick can have: 2 per exposure (interest and principal; a stream or exit
/// fee; a tranche and, for debt-form vendor financing, its interest), and per firm its external
/// opex, cost of sales, external interest, outside capex and one spot order per capex supplier.
std::size_t max_obligations_per_tick(const Model& model,
                                     const std::vector<std::vector<std::pair<FirmIdx, double>>>& capex_supplier_shares);

}  // namespace cascade::sim
