// The mutable state of one run, and the only functions allowed to move money.
//
// `SimState` holds flat per-firm and per-exposure arrays indexed by FirmIdx / ExposureIdx.
// Every change of cash goes through `transfer` (between firms: the system total is unchanged)
// or `external_in` / `external_out` (money entering or leaving the system), and every change of
// a non-cash value goes through a booking function that records it in the tick's `Ledger`.
// The audit (audit.h) checks the ledger against the state each tick.
//
// Thread safety: one SimState per run; phases that run in parallel write only to per-firm
// slots of the firm they process and never call the booking functions.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/core/types.h"
#include "engine/model/model.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/records.h"
#include "engine/sim/tick_scratch.h"

namespace cascade {

class SimState;
namespace sim {
/// Sets up the market for AI compute at tick 0 (ai_market.cc): each seller's capacity and
/// revenue per GW, the merchant capacity and the demand that uses it at the initial utilisation.
void init_ai_market(SimState& state);
}  // namespace sim

/// Debt-like holdings: principal is an asset of `from` and a liability of `to` (debt kinds and
/// debt-form vendor financing).
inline bool carries_principal(const ExposureSpec& e) {
  return is_debt(e.kind) || (e.kind == ExposureKind::vendor_financing && e.form == FinancingForm::debt);
}
/// Holdings valued as securities of `from`: stakes, warrants and equity-form vendor financing.
inline bool carries_value(const ExposureSpec& e) {
  return is_security(e.kind) || (e.kind == ExposureKind::vendor_financing && e.form == FinancingForm::equity);
}

/// Value flows of one tick, by category (USD bn). See docs/model.md, "Money identities".
struct Ledger {
  double external_inflow_usd_bn = 0.0;   ///< cash entering the system
  double external_outflow_usd_bn = 0.0;  ///< cash leaving the system
  /// Non-cash changes of system equity (assets minus liabilities, summed over firms).
  double capitalised_usd_bn = 0.0;          ///< hardware bought (+)
  double cross_holdings_created_usd_bn = 0.0;  ///< equity tranches paid between firms (+)
  double external_liabilities_incurred_usd_bn = 0.0;  ///< new debt owed outside (-)
  double assets_sold_out_usd_bn = 0.0;      ///< book value of assets sold to outside buyers (-)
  double depreciation_usd_bn = 0.0;         ///< book depreciation of hardware (-): the ordinary cost of using it
  double writedown_usd_bn = 0.0;            ///< impairments, write-downs and stranded builds (-): value destroyed
  double resolution_usd_bn = 0.0;           ///< equity change of firms and their counterparties at resolution (+/-)
  double revaluation_usd_bn = 0.0;          ///< markdowns of claims, revaluation of stakes and warrants (+/-)
  double passed_to_investors_usd_bn = 0.0;  ///< funds' gains (+) and losses (-) passed to their investors
  /// Informational, not part of the identities: cash paid between firms this tick.
  double network_payments_usd_bn = 0.0;

  double equity_change_usd_bn() const {
    return external_inflow_usd_bn - external_outflow_usd_bn + capitalised_usd_bn + cross_holdings_created_usd_bn -
           external_liabilities_incurred_usd_bn - assets_sold_out_usd_bn - depreciation_usd_bn - writedown_usd_bn + resolution_usd_bn +
           revaluation_usd_bn - passed_to_investors_usd_bn;
  }
};

/// AI capacity under construction, started in one tick (docs/model.md, "The AI-capex cycle").
struct Build {
  double cost_usd_bn = 0.0;   ///< spent on it (construction in progress, an asset)
  double capacity_gw = 0.0;   ///< what it adds when done
  Tick remaining_ticks = 0;   ///< ticks of funded construction still needed
};

struct alignas(64) FirmState {
  // The balance sheet's own items, first and in one 64-byte line: every balance-sheet view reads
  // them (with the firm's exposure lists), many times a tick.
  double cash_usd_bn = 0.0;
  double hardware_usd_bn = 0.0;           ///< book value, GPUs included
  double construction_usd_bn = 0.0;       ///< construction in progress: the cost of its builds (an asset)
  double other_assets_usd_bn = 0.0;       ///< external other assets
  double external_debt_usd_bn = 0.0;
  double lease_liabilities_usd_bn = 0.0;
  double other_liabilities_usd_bn = 0.0;
  /// Pass-through funds: their investors' capital (the fund's NAV), a liability that absorbs the
  /// fund's gains and losses; 0 for other firms.
  double investor_capital_usd_bn = 0.0;
  double gpu_book_usd_bn = 0.0;           ///< the GPU part of hardware_usd_bn, at book
  double gpu_market_value_usd_bn = 0.0;   ///< what its GPUs would fetch at the GPU price index (not booked)
  // The AI-capex cycle (capacity and ai_demand channels).
  std::vector<Build> builds;              ///< in order of start
  Tick stalled_ticks = 0;                 ///< consecutive ticks its builds went unfunded
  double ai_capacity_gw = 0.0;            ///< AI capacity in service
  double ai_revenue_per_gw_year_usd_bn = 0.0;  ///< compute sellers: revenue per GW at full use and price index 1
  double ai_revenue_level_usd_bn = 0.0;   ///< firms paid by end demand: AI revenue per year at demand index 1
  // Exogenous levels (USD bn per year), evolving with growth, noise and shocks.
  double external_revenue_level_usd_bn = 0.0;
  double external_opex_level_usd_bn = 0.0;
  double capex_plan_level_usd_bn = 0.0;
  // Their growth per tick, from the firm's knobs (fixed for the run): revenue's log change is
  // revenue_log_drift_per_tick + revenue_log_volatility_per_tick x z (a GBM), the others
  // multiply by their factor.
  double revenue_log_drift_per_tick = 0.0;
  double revenue_log_volatility_per_tick = 0.0;
  double opex_growth_factor_per_tick = 1.0;
  double capex_growth_factor_per_tick = 1.0;
  // Funding allowances accrued (USD bn), capped at one year's capacity.
  double bond_allowance_usd_bn = 0.0;
  double equity_allowance_usd_bn = 0.0;
  // Decision inputs.
  double outgoings_usd_bn_per_tick = 0.0;  ///< moving average of what it has to pay per tick (capex plan included)
  double committed_outgoings_usd_bn_per_tick = 0.0;  ///< the same without discretionary capex (its runway's burn)
  double revenue_usd_bn_per_tick = 0.0;    ///< moving average of its total revenue per tick
  double network_revenue_last_tick_usd_bn = 0.0;  ///< what network customers paid it last tick (cost of sales base)
  double initial_equity_usd_bn = 0.0;
  double initial_capital_usd_bn = 0.0;  ///< equity + investor capital at tick 0: the loss-absorbing buffer
  // Market view (equity_market and debtrank channels).
  double profit_usd_bn_per_tick = 0.0;        ///< moving average of revenue - opex - depreciation
  double initial_profit_usd_bn_per_tick = 0.0;
  double market_cap_usd_bn = 0.0;             ///< listed firms only
  double initial_value_usd_bn = 0.0;          ///< V0: market cap (listed), last round's valuation, or book capital
  double value_usd_bn = 0.0;                  ///< V: the value of its equity now, as investors mark it
  double shares_outstanding = 1.0;            ///< relative to tick 0: new equity dilutes existing holders
  double issuer_index = 1.0;                  ///< value per share relative to tick 0: V / (V0 x shares)
  double valuation_profit_usd_bn_per_tick = 0.0;  ///< the earnings the market values (long average)
  /// Free cash flow (revenue - opex - interest - capex paid), averaged like valuation earnings:
  /// what payouts are a share of.
  double free_cash_flow_usd_bn_per_tick = 0.0;
  // Unlisted firms with a valuation are marked to their funding rounds.
  double last_round_value_usd_bn = 0.0;       ///< post-money value of its last round
  double last_round_revenue_usd_bn_per_tick = 0.0;
  double last_round_sentiment = 1.0;          ///< its sentiment index at the last round
  double distress_h = 0.0;                    ///< linear/single-hit marks: relative equity loss in [0, 1]
  double distress_h_propagated = 0.0;         ///< single-hit mode: the h its creditors marked it at
  double default_probability = 0.0;           ///< Merton PD over the horizon, now (after marks)
  bool downgraded = false;                    ///< credit_ratings: its default probability rose far since tick 0
  double hardware_life_years = 0.0;           ///< book life its hardware is depreciated over (depreciation_life shocks)
  double initial_default_probability = 0.0;   ///< the same at tick 0 (marks measure the rise since)
  double external_arrears_usd_bn = 0.0;       ///< unpaid external obligations (opex, interest), owed now
  double losses_passed_to_investors_usd_bn = 0.0;  ///< pass-through funds: cumulative losses their investors took
  Tick default_tick = 0;  ///< when it defaulted (SimState::defaulted says whether)
  Tick breach_tick = 0;  ///< first tick of the payments it withholds now (0: none): the cure period runs from it
  Tick ticks_below_minimum_liquidity = 0;  ///< consecutive ticks with cash below its minimum runway while losing money
  double equity_denied_usd_bn = 0.0;  ///< equity its last attempt could not raise because the window was shut (0 after a raise)
  /// The part of external_arrears_usd_bn that is interest (the rest is opex): paid late, each
  /// takes its share of the payment, booked as interest paid and as opex.
  double external_interest_arrears_usd_bn = 0.0;
};

/// The amounts of one exposure that the balance sheets carry, apart from the rest of its state:
/// every balance-sheet view walks a firm's exposures through these 32 bytes only (ExposureState
/// is 128; at 10^5 firms the books are 10 MB, which the shared L3 holds).
struct alignas(32) ExposureBook {
  double principal_usd_bn = 0.0;  ///< debt: outstanding principal (credit line: drawn)
  double value_usd_bn = 0.0;      ///< securities: value held; vendor financing: funded so far
  double markdown_usd_bn = 0.0;   ///< debt claims: book value = principal - markdown (debtrank channel)
  bool active = true;             ///< false once ended (maturity, default, sale)
};

struct alignas(64) ExposureState {
  // What the arrears sums read, first and in one 64-byte line.
  double arrears_usd_bn = 0.0;    ///< unpaid interest, stream payments or tranches, owed now
  double principal_overdue_usd_bn = 0.0;  ///< part of principal_usd_bn that was due and is unpaid
  double withheld_usd_bn = 0.0;   ///< the part of arrears the obligor withholds by choice (payment_fraction shock)
  double tranche_arrears_usd_bn = 0.0;    ///< vendor financing: tranches the supplier (`from`) did not pay
  double guarantee_arrears_usd_bn = 0.0;  ///< guarantee: payout the guarantor (`from`) owes the beneficiary
  double units = 0.0;             ///< securities: value at issuer index 1 (equity_market channel marks value from it)
  double remaining_usd_bn = 0.0;  ///< streams and vendor financing: payments still to come
  double annual_usd_bn = 0.0;     ///< streams and vendor financing: payment per year now (renewals change it)
  /// Compute contracts (contract_renewal channel): the obligor's revenue per tick (moving average)
  /// when the contract last started or renewed: renewals scale with it.
  double obligor_revenue_at_start_usd_bn_per_tick = 0.0;
  /// Compute contracts: revenue per year the supplier no longer gets because the contract lapsed,
  /// renewed smaller or was exited, until `foregone_until_tick` (contract_renewal losses).
  double foregone_usd_bn_per_year = 0.0;
  Tick foregone_until_tick = 0;
  Tick maturity_tick = std::numeric_limits<Tick>::max();  ///< debt: when principal is due
  double collateral_value_usd_bn = 0.0;   ///< market value of the pledged assets (fire_sale channel)
  double collateral_gpu_value_usd_bn = 0.0;  ///< the GPU part of it, which moves with the GPU price index
  double rate_pct = 0.0;                  ///< debt: current rate (repriced at rollover under stress)
};

/// Per-tick flows of one exposure for its record (exposures.csv).
struct ExposureFlows {
  double due_usd_bn = 0.0;   ///< scheduled this tick (withheld part included)
  double paid_usd_bn = 0.0;  ///< paid on it this tick, at clearing and late
};

/// Per-tick flow figures of one firm for its record.
struct FirmFlows {
  double revenue_usd_bn = 0.0;
  double opex_usd_bn = 0.0;
  double capex_usd_bn = 0.0;
  double due_usd_bn = 0.0;
  double paid_usd_bn = 0.0;
  double funding_usd_bn = 0.0;
  double depreciation_usd_bn = 0.0;
  double refused_rollover_usd_bn = 0.0;  ///< maturing principal its lenders would not roll this tick
  double planned_network_revenue_usd_bn = 0.0;  ///< what network customers would have owed it, per plan
  double network_due_usd_bn = 0.0;              ///< what they owed it (contracted and ordered)
  double network_revenue_usd_bn = 0.0;          ///< what they paid
  double ai_revenue_usd_bn = 0.0;               ///< from end demand for AI (part of revenue_usd_bn)
  double stranded_usd_bn = 0.0;                 ///< builds written down this tick (stranded)
  double interest_paid_usd_bn = 0.0;            ///< interest paid at clearing and late (network and external debt)
  double payout_usd_bn = 0.0;                   ///< dividends and buybacks paid (payouts channel)
  double interest_received_usd_bn = 0.0;        ///< interest paid to it on network debt claims (clearing and late)
};

class SimState {
 public:
  /// `model` and `network` (built from it) must outlive the state.
  SimState(const Model& model, const ExposureNetwork& network);

  const Model& model() const { return *model_; }
  std::vector<FirmState> firms;
  std::vector<ExposureBook> books;  ///< per exposure, with `exposures`
  std::vector<ExposureState> exposures;
  std::vector<FirmFlows> flows;  ///< this tick; reset at the start of each tick
  /// Per exposure, this tick; reset at the start of each tick. Apart from ExposureState (16
  /// bytes an exposure against 128), so that the reset writes 4.8 MB at 300,000 exposures.
  std::vector<ExposureFlows> exposure_flows;
  /// Per firm: 1 once it defaulted. A byte apiece apart from FirmState, because the loops over
  /// exposures test it for both firms of each (100 KB at 10^5 firms, against 45 MB of FirmState).
  std::vector<std::uint8_t> defaulted;
  /// Per firm: its cumulative losses by channel. Apart from FirmState (88 bytes a firm, 8.8 MB at
  /// 10^5 firms), because the loops over exposures and payments book them for firms at random.
  std::vector<ChannelLosses> losses;
  Ledger ledger;                 ///< this tick
  Tick tick = 0;

  /// Market-wide state (fire_sale, funding and equity_market channels).
  struct Market {
    double gpu_price_index = 1.0;
    double sentiment = 1.0;
    double stress = 0.0;
    double gpu_sold_market_value_usd_bn = 0.0;  ///< this tick: GPU value sold under pressure
    double cumulative_credit_loss_usd_bn = 0.0;
    double ai_sentiment = 1.0;                  ///< sentiment towards AI equities (ai_sentiment_multiplier shocks)
    double rate_change_pct = 0.0;               ///< this tick: sum of active rate_change shocks (percentage points)
    // The market for AI compute (ai_demand channel).
    double ai_demand_trend = 1.0;               ///< the demand path before shocks (a GBM)
    double ai_demand_index = 1.0;               ///< end demand for AI relative to tick 0 (trend x shocks)
    double initial_ai_demand_gw = 0.0;          ///< demand for merchant compute at tick 0
    double ai_demand_gw = 0.0;                  ///< demand for merchant compute, in GW of capacity
    double merchant_capacity_gw = 0.0;          ///< compute sellers' capacity not reserved by contracts
    double ai_utilisation = 0.0;                ///< share of merchant capacity in use
    double compute_price_index = 1.0;           ///< price of compute relative to tick 0
  } market;
  /// Per issuer, this tick: value of its stakes and warrants sold by forced sellers (finite depth).
  std::vector<double> securities_sold_usd_bn;
  /// Per firm, this tick: 1 once a build was started (later payments join it); reset each tick.
  std::vector<std::uint8_t> build_started_this_tick;
  /// The sentiment that values firm `f`'s equity: market-wide x AI sentiment ^ ai_beta.
  double sentiment_of(FirmIdx f) const;
  /// Per buyer: its in-network hardware suppliers and the share of its capex each gets, from
  /// the capex-purpose purchase commitments in force at tick 1 (shares sum to at most 1).
  sim::SupplierAmounts capex_supplier_shares;
  /// Working buffers of the phases (tick_scratch.h), reserved here for the largest tick: they
  /// carry nothing from one tick to the next.
  sim::TickScratch scratch;

  // --- money movements (the only writers of cash)
  void transfer(FirmIdx from, FirmIdx to, double amount_usd_bn);  ///< also counted in ledger.network_payments
  void external_in(FirmIdx firm, double amount_usd_bn);
  void external_out(FirmIdx firm, double amount_usd_bn);

  // --- hardware (book, GPU book and GPU market value move together)
  /// Adds hardware bought for `amount_usd_bn`; its GPU share enters at market value = cost.
  void add_hardware(FirmIdx f, double amount_usd_bn);
  /// Capex paid: its AI share starts a build (capacity channel), the rest is hardware now. The
  /// caller books the ledger's capitalised amount. The firm's newest build may stay in a slot of
  /// its own until append_new_builds(): call that before anything reads FirmState::builds
  /// (settle_obligations and run_funding, the phases that pay capex, call it at their end).
  void capitalise_capex(FirmIdx f, double amount_usd_bn);
  /// Appends each firm's newest build, kept apart by capitalise_capex, to its builds.
  void append_new_builds();
  /// Removes `book_usd_bn` of hardware (a proportional slice of GPUs and the rest); returns
  /// what the slice is worth: book value, or with the fire_sale channel the GPU part at market.
  struct HardwareSlice {
    double book_usd_bn = 0.0;
    double value_usd_bn = 0.0;       ///< book, or with the fire_sale channel GPUs at market + the rest at book
    double gpu_market_usd_bn = 0.0;  ///< the GPU market value in the slice
  };
  HardwareSlice remove_hardware(FirmIdx f, double book_usd_bn);
  /// Multiplies the GPU price index (and every GPU market value and collateral value) by `factor`.
  void move_gpu_price(double factor);

  /// Adds `amount_usd_bn` paid into an equity holding (vendor-financing tranche) at the issuer's
  /// current value index.
  void add_to_holding(ExposureIdx e, double amount_usd_bn);
  /// Removes `amount_usd_bn` of value from a holding (a sale), keeping units in proportion.
  void reduce_holding(ExposureIdx e, double amount_usd_bn);

  // --- debt claims
  /// Ends exposure `e` with nothing left on it: inactive, every amount and arrear 0 (this tick's
  /// flows stay what they were: its record still shows what was due and paid on it).
  void end_exposure(ExposureIdx e) {
    exposures[e] = ExposureState{};
    books[e] = ExposureBook{.active = false};
  }
  /// Reduces a claim's principal by `amount_usd_bn`, releasing any markdown above it.
  void reduce_principal(ExposureIdx e, double amount_usd_bn);
  /// The holder's book value of a debt claim: principal minus markdown.
  double claim_book_usd_bn(ExposureIdx e) const;

  // --- balance-sheet views (USD bn)
  double securities_usd_bn(FirmIdx f) const;   ///< stakes and warrants held, at value
  double claims_usd_bn(FirmIdx f) const;       ///< network debt claims held, at book
  double network_debt_usd_bn(FirmIdx f) const; ///< network debt owed
  double assets_usd_bn(FirmIdx f) const;
  double liabilities_usd_bn(FirmIdx f) const;
  /// The views above at once, each exposure list walked once (the same sums, bit for bit).
  using BalanceSheet = sim::BalanceSheet;
  BalanceSheet balance_sheet(FirmIdx f) const;
  /// balance_sheet(f) of every firm into `out` (resized to the firm count), from one pass over
  /// the exposures in the order they are stored. Each firm's terms are added in the order
  /// balance_sheet adds them (ascending exposure index), so the two agree to the bit; at scale
  /// the pass reads memory in order where a walk per firm misses the cache on each exposure.
  void balance_sheets(std::vector<BalanceSheet>& out) const;
  /// Per exposure, in the order stored: its two firms and the balance-sheet sum it enters.
  /// Passes over every exposure read these 12 bytes instead of the 400-byte spec.
  struct ExposureEnds {
    FirmIdx from = 0;
    FirmIdx to = 0;
    /// claims: the holder's claims and the obligor's network debt (carries_principal);
    /// securities: the holder's securities (carries_value).
    enum class Sum : std::uint8_t { none, securities, claims } sum = Sum::none;
  };
  std::span<const ExposureEnds> exposure_ends() const { return exposure_ends_; }
  /// Vendor financing and guarantees, ascending: the only exposures on which `from` can owe
  /// arrears (tranches it did not pay, payouts it owes).
  std::span<const ExposureIdx> tranches_and_guarantees() const { return tranches_and_guarantees_; }
  /// The debt claims `f` holds (carries_principal), active or not, ascending.
  std::span<const ExposureIdx> claims_held_by(FirmIdx f) const { return claims_held_.of(f); }
  /// The credit lines `f` may draw (it owes them), active or not, ascending.
  std::span<const ExposureIdx> credit_lines_owed_by(FirmIdx f) const { return credit_lines_owed_.of(f); }
  /// The capex-purpose purchase commitments `f` owes (it is the buyer), active or not, ascending:
  /// the only exposures on which its contracted capex is scheduled.
  std::span<const ExposureIdx> capex_commitments_owed_by(FirmIdx f) const { return capex_commitments_owed_.of(f); }
  double equity_usd_bn(FirmIdx f) const { return balance_sheet(f).equity_usd_bn(); }
  /// Equity plus a fund's investor capital: what absorbs losses before creditors lose.
  double capital_usd_bn(FirmIdx f) const { return equity_usd_bn(f) + firms[f].investor_capital_usd_bn; }
  double total_cash_usd_bn() const;
  double total_equity_usd_bn() const;
  double total_assets_usd_bn() const;

 const ExposureNetwork& network() const { return *network_; }

 private:
  /// Per firm, ascending like held_by / owed_by: the exposures a balance-sheet view sums (the
  /// kinds never change, only whether an exposure is active). CSR: firm_count() + 1 offsets.
  struct ExposureLists {
    std::vector<std::uint32_t> offsets;
    std::vector<ExposureIdx> items;
    std::span<const ExposureIdx> of(FirmIdx f) const { return {items.data() + offsets[f], items.data() + offsets[f + 1]}; }
  };
  ExposureLists securities_held_;  ///< carries_value, by holder
  ExposureLists claims_held_;      ///< carries_principal, by holder
  ExposureLists debt_owed_;        ///< carries_principal, by obligor
  ExposureLists credit_lines_owed_;  ///< credit lines, by obligor
  ExposureLists capex_commitments_owed_;  ///< capex-purpose purchase commitments, by obligor
  std::vector<ExposureEnds> exposure_ends_;
  std::vector<ExposureIdx> tranches_and_guarantees_;
  /// Exposures with pledged assets (ExposureSpec::collateral_usd_bn not 0), ascending: the only
  /// ones whose collateral values are not 0, so the only ones move_gpu_price rescales.
  std::vector<ExposureIdx> collateralised_;
  /// A firm's terms for capitalising capex, from its AgentParams: 24 bytes a firm, so the many
  /// payments capitalised each tick do not read the firm's 600-byte spec.
  struct CapexTerms {
    double ai_capex_share_fraction = 0.0;
    double gpu_share_of_hardware_fraction = 0.0;
    Tick build_ticks = 0;  ///< build_months in ticks, rounded
  };
  std::vector<CapexTerms> capex_terms_;
  /// Per firm: its newest build, started by capitalise_capex and not yet in its builds (cost 0:
  /// none). 24 bytes a firm in one array, so that the payments joining it in one tick do not
  /// read the firm's builds, an allocation of their own.
  std::vector<Build> new_builds_;
  std::vector<FirmIdx> firms_with_new_builds_;  ///< the firms whose new_builds_ has a cost, each once

  /// Reserves each firm's builds for the most in progress at once when one starts per tick of
  /// spending (a stalled firm paid several times in one tick starts several: its vector may then
  /// grow).
  void reserve_builds();

  const Model* model_;
  const ExposureNetwork* network_;
};

}  // namespace cascade
