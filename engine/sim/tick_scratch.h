// Working buffers of the tick loop, kept from tick to tick so that a tick allocates nothing.
//
//   SimState state(model, network);          // reserves every buffer for its largest size
//   state.scratch.revenue_usd_bn.assign(n, 0.0);  // in a phase: refill, never shrink
//
// Each buffer belongs to the phase named beside it and means nothing outside it: a phase
// refills what it uses before reading it. `reserve` sizes every buffer for the largest tick the
// model allows (bounds beside each), so refilling never reallocates; a vector that could exceed
// its bound (none does today) would grow once and keep its new size, while a BoundedFirmLists
// throws InternalError (its bounds are exact).
//
// Ownership and thread safety: one per SimState, i.e. per run; never shared between runs.
// Per-firm buffers filled by the parallel phases (2) are written only at the firm's own slot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/clearing/clearing.h"
#include "engine/core/diagnostics.h"
#include "engine/core/types.h"
#include "engine/model/model.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/records.h"

namespace cascade::sim {

/// A short list per firm, each with room for a bound fixed for the run, all in one array: a
/// walk over every firm's list reads memory in order (a vector per firm would put each list in
/// its own allocation, a cache miss apiece at 10^4 firms and more).
template <typename T>
class BoundedFirmLists {
 public:
  /// Room for bound(f) items for each of `firm_count` firms; every list empty.
  template <typename Bound>
  void reserve(std::size_t firm_count, const Bound& bound) {
    room_begin_.assign(1, 0);
    for (FirmIdx f = 0; f < firm_count; ++f)
      room_begin_.push_back(static_cast<std::uint32_t>(room_begin_.back() + bound(f)));
    sizes_.assign(firm_count, 0);
    items_.resize(room_begin_.back());
  }
  void clear() { std::fill(sizes_.begin(), sizes_.end(), 0); }
  /// Appends to firm f's list; throws InternalError past its room.
  void push_back(FirmIdx f, const T& item) {
    CASCADE_ASSERT(room_begin_[f] + sizes_[f] < room_begin_[f + 1], "a firm's list outgrew its bound");
    items_[room_begin_[f] + sizes_[f]++] = item;
  }
  std::span<T> of(FirmIdx f) { return {items_.data() + room_begin_[f], sizes_[f]}; }
  std::span<const T> of(FirmIdx f) const { return {items_.data() + room_begin_[f], sizes_[f]}; }
  std::size_t firm_count() const { return sizes_.size(); }

 private:
  std::vector<std::uint32_t> room_begin_;  ///< firm_count + 1: firm f's room is [room_begin_[f], room_begin_[f + 1])
  std::vector<std::uint32_t> sizes_;
  std::vector<T> items_;
};

/// Per buyer: an in-network hardware supplier and the share of the buyer's capex it gets (or,
/// in TickScratch, this tick's contracted capex orders to it, USD bn).
using SupplierAmounts = BoundedFirmLists<std::pair<FirmIdx, double>>;

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

/// One firm's balance-sheet sums (USD bn): SimState::balance_sheet and balance_sheets.
struct BalanceSheet {
  double securities_usd_bn = 0.0;
  double claims_usd_bn = 0.0;
  double network_debt_usd_bn = 0.0;
  double assets_usd_bn = 0.0;
  double liabilities_usd_bn = 0.0;
  double equity_usd_bn() const { return assets_usd_bn - liabilities_usd_bn; }
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
  void reserve(const Model& model, const ExposureNetwork& network, const SupplierAmounts& capex_supplier_shares);

  // Phase 2, operations (simulation.cc, ai_market.cc, contracts.cc): per firm.
  std::vector<double> revenue_usd_bn;              ///< this tick's external revenue, booked in firm order
  std::vector<double> depreciation_usd_bn;         ///< this tick's book depreciation
  std::vector<double> contracted_usd_bn_per_year;  ///< service contracts in force, per supplier
  std::vector<double> idle_usd_bn_per_year;        ///< own idle capacity left for renewals (-1: not computed)

  // Phase 4, obligations (obligations.cc).
  std::vector<double> binding_capex_usd_bn;  ///< per exposure: contracted capex scheduled this tick
  /// Per buyer: (supplier, contracted capex orders this tick), in order of first appearance.
  /// Bound per buyer: its capex purchase commitments.
  SupplierAmounts contracted_capex_usd_bn;

  // Phase 5, clearing (obligations.cc). Bound: obligations of one tick (TickObligations).
  std::vector<double> liquid_usd_bn;      ///< per firm
  std::vector<Obligation> own_cash_only;  ///< payment_clearing off: every creditor outside
  ClearingWorkspace clearing;
  ClearingResult cleared;

  // Phase 6, funding (funding.cc). Bound: 1 + 2 x (exposures owed) + 2 x (exposures held) of a firm.
  std::vector<Arrear> arrears;

  // Phase 7, default and resolution (resolution.cc).
  std::vector<DefaultEvent> found_defaults;    ///< one round's new defaults; bound: firms
  std::vector<double> arrears_by_firm_usd_bn;  ///< arrears_of_every_firm's, per firm (phase 6, each round of 7)
  std::vector<double> withheld_by_firm_usd_bn;  ///< and the withheld part
  std::vector<double> performing_marks_usd_bn;  ///< performing_marks_of_every_firm's (each round of 7)
  std::vector<EstateClaim> claims;             ///< bound: exposures owed + 2 x exposures held + 1
  std::vector<double> recovered_usd_bn;        ///< per claim

  // Phases 7 and 8: every firm's balance sheet at one point (SimState::balance_sheets).
  std::vector<BalanceSheet> balance_sheets;

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
  /// Equity market: each issuer's value per share (FirmState::issuer_index), 8 bytes a firm,
  /// which the pass over every stake and warrant reads for firms at random.
  std::vector<double> issuer_index;
};

/// Most obligations one tick can have: 2 per exposure (interest and principal; a stream or exit
/// fee; a tranche and, for debt-form vendor financing, its interest), and per firm its external
/// opex, cost of sales, external interest, outside capex and one spot order per capex supplier.
std::size_t max_obligations_per_tick(const Model& model, const SupplierAmounts& capex_supplier_shares);

}  // namespace cascade::sim
