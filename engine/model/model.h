// The validated, immutable description of one scenario: firms, exposures, shocks, parameters.
//
// The loader (scenarios/loader) fills a `Model` and validation freezes it; from then on the
// engine only ever sees `const Model&`. Everything here is plain data: no behaviour, no
// brand names, no YAML. Firm and exposure indices are dense and stable, so per-run state can
// be kept in flat arrays indexed by `FirmIdx` / `ExposureIdx`.
//
//   Model m = scenario::load_file("scenarios/ai-2026/baseline.yaml");   // throws ScenarioError
//   SimResult r = run_simulation(m, RunOptions{.seed = m.params.seed}, behaviours, observer);
//
// Conventions (docs/scenario-format.md and docs/model.md have the details):
// - Money is USD billions, flows are per year unless the name says per tick.
// - Firm figures are reported *totals*: revenue, opex, debt and other assets include the parts
//   that the network's exposures carry. The engine derives the external remainder
//   (`FirmSpec::external_*`), so nothing is counted twice.
// - An exposure runs from the exposed party (`from`: lender, lessor, supplier, investor,
//   guarantor) to the obligor (`to`); scheduled payments flow to -> from.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/types.h"
#include "engine/model/agent_params.h"

namespace cascade {

/// Where a figure comes from: a seed file name or "assumption", with a free-text note.
struct SourceNote {
  std::string source;
  std::string note;
};

/// A figure kept for the record (e.g. net_income, market share) that the engine does not use.
struct Fact {
  double value = 0.0;
  SourceNote source;
};

struct FirmSpec {
  std::string id;    ///< unique, lower_snake_case
  std::string name;  ///< display name
  FirmType type = FirmType::conglomerate;
  bool listed = false;  ///< has a market capitalisation

  // Balance sheet at tick 0 (reported totals, USD bn).
  double cash_usd_bn = 0.0;
  double hardware_usd_bn = 0.0;      ///< GPUs, servers, data centres, fabs (book value)
  double other_assets_usd_bn = 0.0;  ///< everything else, incl. network claims and stakes
  double debt_usd_bn = 0.0;          ///< financial debt incl. network loans and bonds owed
  double lease_liabilities_usd_bn = 0.0;
  std::optional<double> equity_usd_bn;  ///< reported book equity; fixes other liabilities
  double market_cap_usd_bn = 0.0;       ///< 0 unless listed
  double valuation_usd_bn = 0.0;        ///< unlisted: last funding round's post-money value (0: book equity)

  // Flows (reported totals, USD bn per year).
  double revenue_usd_bn_per_year = 0.0;
  double opex_usd_bn_per_year = 0.0;
  double capex_usd_bn_per_year = 0.0;
  /// AI (docs/model.md, "The AI-capex cycle"): the part of revenue earned from end demand for AI
  /// outside the network (compute sold by the capacity, or AI products), and AI capacity in
  /// service at tick 0 (GW; 0 with ai_revenue: derived from it at the default revenue per GW).
  double ai_revenue_usd_bn_per_year = 0.0;
  double ai_capacity_gw = 0.0;

  // Derived by validation: the parts not carried by network exposures (all >= 0).
  double external_revenue_usd_bn_per_year = 0.0;  ///< revenue - network receipts at tick 0
  double external_opex_usd_bn_per_year = 0.0;     ///< opex - network service payments at tick 0
  double external_debt_usd_bn = 0.0;              ///< debt - network debt owed
  double external_other_assets_usd_bn = 0.0;      ///< other assets - network claims and stakes held
  double other_liabilities_usd_bn = 0.0;          ///< from reported equity; 0 if none reported
  double hardware_useful_life_years = 6.0;        ///< book depreciation life

  AgentParams params;  ///< effective: type defaults <- scenario type defaults <- firm overrides
  std::map<std::string, SourceNote> sources;  ///< per field name
  std::map<std::string, Fact> facts;          ///< extra figures kept for the record
  std::string note;
  SourceLocation where;
};

struct ExposureSpec {
  // What the tick reads of every exposure it visits comes first, in the first 64-byte line (the
  // enums, the two firms, the start tick, the amounts and the rate), then the second line; the
  // loader's and the record's fields (givens, id, provenance) last.
  ExposureKind kind = ExposureKind::loan;
  ExposureStatus status = ExposureStatus::outstanding;
  Seniority seniority = Seniority::senior;
  Amortisation amortisation = Amortisation::bullet;
  /// Purchase commitments only. DERIVED: `purpose_given`, else capex when `from` is a
  /// chipmaker or memory_maker, else service.
  PurchasePurpose purpose = PurchasePurpose::service;
  FinancingForm form = FinancingForm::equity;  ///< vendor financing only
  FirmIdx from = 0;  ///< exposed party
  FirmIdx to = 0;    ///< obligor
  Tick start_tick = 1;  ///< first tick with scheduled flows
  std::optional<FirmIdx> beneficiary;  ///< guarantees: who is paid
  /// After `overlaps`: the part of `amount_usd_bn` this exposure alone carries.
  double effective_amount_usd_bn = 0.0;
  /// Streams and vendor financing: payment per year. DERIVED (derive.h) from
  /// `annual_given_usd_bn` scaled to the effective amount, else effective amount / term.
  double annual_usd_bn = 0.0;
  /// Debt: interest per year. DERIVED: `rate_given_pct`, else parameters.default_debt_rate_pct.
  double rate_pct = 0.0;
  double term_years = 0.0;  ///< 0 = no maturity (perpetual debt, open-ended holding)

  /// Debt: principal outstanding. Streams: total remaining contracted payments. Securities:
  /// value at tick 0. Guarantee: maximum payout. Vendor financing: total funding promised.
  double amount_usd_bn = 0.0;
  /// Hardware of the obligor pledged to this exposure (USD bn, book value at tick 0).
  double collateral_usd_bn = 0.0;
  /// Collateralised debt: loan-to-value covenant (0 = none). Stored for the collateral channel.
  double ltv_max_fraction = 0.0;
  /// Purchase commitments and leases: share of the remaining payments owed if the obligor
  /// walks away or defaults (exit terms). 1 = full take-or-pay.
  double take_or_pay_fraction = 1.0;
  double share_fraction = 0.0;  ///< securities: share of the issuer held (0 = not given)

  /// As given in the scenario (`annual:`); the loader sets it, derive reads it.
  std::optional<double> annual_given_usd_bn;
  std::optional<double> rate_given_pct;       ///< as given (`rate_pct:`); the loader sets it
  std::optional<PurchasePurpose> purpose_given;  ///< as given (`purpose:`); the loader sets it
  std::string id;
  std::vector<ExposureIdx> overlaps;  ///< exposures that already carry part of this one
  std::string loop;                   ///< loop tag from the source data (informational)

  std::map<std::string, SourceNote> sources;
  std::map<std::string, Fact> facts;  ///< extra figures kept for the record (spread_pct, value_estimate, ...)
  std::string note;
  SourceLocation where;

  Tick end_tick(int ticks_per_year) const;  ///< last tick with flows; INT32_MAX if none
};

enum class ShockKind : std::uint8_t {
  revenue_multiplier,  ///< external revenue x value
  opex_multiplier,     ///< external opex x value
  capex_multiplier,    ///< planned capex x value (0 = halt)
  payment_fraction,    ///< the firm pays only `value` of its contract streams; the rest is withheld (a breach)
  cash_change,         ///< one-off external cash flow of `value` USD bn (negative = loss)
  hardware_writedown,  ///< hardware book value x (1 - value), a one-off deadweight loss
  force_default,       ///< the firm defaults at the shock tick
  gpu_price_multiplier,  ///< one-off: GPU price index x value (a new generation ships); targets unused
  sentiment_multiplier,  ///< equity sentiment x value while active; targets unused
  market_stress,         ///< credit-market stress + value (0..1) while active; targets unused
  ai_sentiment_multiplier,  ///< sentiment towards AI equities x value while active; targets unused
  ai_demand_multiplier,     ///< end demand for AI x value while active; targets unused
  construction_delay,       ///< one-off: the targets' builds in progress slip by `value` months
  renewal_multiplier,       ///< the targets renew expiring compute contracts at `value` x their demand while active
  rate_change,              ///< interest rates + `value` percentage points while active (a rate path); targets unused
  depreciation_life,        ///< one-off: the targets depreciate their hardware over `value` years from now (accounting)
};
inline constexpr std::size_t kShockKindCount = 16;
std::string_view to_string(ShockKind k);
std::optional<ShockKind> parse_shock_kind(std::string_view s);
/// Kinds that act once, at their tick (no duration or ramp).
bool is_one_off(ShockKind k);
/// Kinds that act on a market, not on firms: they take no targets.
bool is_market_wide(ShockKind k);

struct ShockSpec {
  std::string id;
  ShockKind kind = ShockKind::revenue_multiplier;
  Tick tick = 1;             ///< first tick it applies
  Tick duration_ticks = 0;   ///< 0 = until the horizon (one-off kinds ignore it)
  std::vector<FirmIdx> targets;
  double value = 0.0;
  Tick ramp_ticks = 0;       ///< kinds active over time: `value` is reached linearly over this many ticks
  std::string description;
  SourceLocation where;

  bool active_at(Tick t) const { return t >= tick && (duration_ticks == 0 || t < tick + duration_ticks); }
  /// The value at tick t while active: from `neutral` (1 for multipliers, 0 for additions)
  /// towards `value` in equal steps over ramp_ticks ticks, reaching it at tick + ramp_ticks - 1.
  double value_at(Tick t, double neutral) const {
    if (ramp_ticks <= 1) return value;
    const double reached = std::min(1.0, static_cast<double>(t - tick + 1) / static_cast<double>(ramp_ticks));
    return neutral + (value - neutral) * reached;
  }
};

/// Contagion channels. Each can be switched off to measure what it adds (docs/model.md).
struct Channels {
  bool payment_clearing = true;    ///< simultaneous clearing; off = obligations paid from own cash only, in firm order
  bool revenue_contract = true;    ///< supplier revenue follows customers' capex, payments and defaults
  bool default_resolution = true;  ///< contracts with defaulted firms end; creditors recover by seniority
  bool funding = true;             ///< firms short of cash borrow, sell assets, raise equity, roll debt; stress prices it
  bool debtrank = true;            ///< claims are marked down by their obligor's distress before any default
  bool fire_sale = true;           ///< GPU price index, LTV covenants on GPU-backed debt, price impact of forced sales
  bool equity_market = true;       ///< market caps, stakes and warrants revalue; sentiment gates equity raises
  bool guarantees = true;          ///< guarantees pay out when the guaranteed party defaults
  // The AI-capex cycle (docs/model.md, "The AI-capex cycle").
  bool capacity = true;   ///< AI capex builds capacity after construction; stalled builds are stranded
  bool ai_demand = true;  ///< AI revenue from capacity x utilisation x price and from end demand; prices feed the GPU index
  bool contract_renewal = true;  ///< expiring compute contracts renew at the customer's demand or lapse; distressed customers exit
  bool payouts = true;           ///< firms pay out a share of free cash flow (dividends, buybacks), cut under distress
  bool credit_ratings = true;    ///< firms whose default probability has risen far since tick 0 are downgraded and pay more

  static constexpr std::size_t kCount = 13;
  /// Names in a fixed order, and access by index (for ablation and the manifest).
  static const std::array<std::string_view, kCount>& names();
  bool& at(std::size_t i);
  bool at(std::size_t i) const;
};

/// How the debtrank channel marks claims before default (docs/model.md, phase 8).
enum class DebtRankMode : std::uint8_t {
  expected_loss,  ///< principal x LGD x rise in the obligor's default probability since tick 0 (Merton)
  linear,         ///< principal x LGD x relative equity loss h, iterated (Bardoscia et al. 2015)
  single_hit,     ///< the same, each obligor's distress passed on once (Battiston et al. 2012)
};
std::string_view to_string(DebtRankMode m);
std::optional<DebtRankMode> parse_debtrank_mode(std::string_view s);

struct ModelParameters {
  Tick horizon_ticks = 60;
  int ticks_per_year = 12;
  std::uint64_t seed = 1;
  // Resolution
  double liquidation_hardware_fraction = 0.5;  ///< share of hardware book value realised when a defaulted firm is liquidated
  double liquidation_other_fraction = 0.3;     ///< same for other (external) assets
  double liquidation_securities_fraction = 0.5; ///< same for stakes and warrants it holds
  double contract_claim_years = 1.0;           ///< claim for a rejected stream: this many years of payments (capped by what remains x take-or-pay)
  bool solvency_default = true;                ///< default also when book equity < 0
  Tick breach_cure_ticks = 3;                  ///< withheld binding payments unpaid this long put the firm in default (breach)
  Tick liquidity_grace_ticks = 3;              ///< ticks a loss-making firm may stay below its minimum liquidity
  // Pricing
  double default_debt_rate_pct = 6.0;          ///< rate of debt exposures that give none
  double external_debt_rate_pct = 5.0;         ///< rate on a firm's debt outside the network
  double deposit_rate_pct = 2.5;               ///< rate on lenders' liabilities outside the network (deposits, policies)
  double downgrade_default_probability_rise = 0.02;  ///< credit_ratings: a rise of its default probability since tick 0
                                                    ///< past this is a downgrade (about BBB to B in one-year default rates)
  double downgrade_spread_pct = 3.0;           ///< credit_ratings: extra rate a downgraded firm pays (HY over IG spread)
  // Counterparty revaluation (debtrank channel)
  DebtRankMode debtrank_mode = DebtRankMode::expected_loss;
  double debtrank_loss_given_default = 0.6;    ///< share of a claim lost if its obligor defaults (marks scale with it)
  double default_probability_horizon_years = 1.0;  ///< expected_loss marks: horizon of the default probability
  /// Rounds of the marks' fixed point (any debtrank_mode) after which a tick's marks are kept as
  /// they are and the tick is reported unconverged (summary.json, the console).
  int marking_max_rounds = 1000;
  // Collateral and fire sale (fire_sale channel)
  double gpu_economic_life_years = 3.5;        ///< GPU market value decays as exp(-t / life): 3-4 years (seed 001); S5 uses 1.5-2
  double fire_sale_price_impact = 1.0;         ///< p' = p exp(-impact x sold / depth) (Cifuentes-Ferrucci-Shin, Cont-Schaanning)
  double gpu_market_depth_usd_bn = 200.0;      ///< GPU value the secondary market absorbs per tick at that impact
  bool gpu_impairment = false;                 ///< write GPU book value down to market value when lower
  // Funding market and equity market (funding, equity_market channels)
  double stress_reference_usd_bn = 200.0;      ///< cumulative credit losses that fully stress the credit market
  double spread_at_full_stress_pct = 4.0;      ///< extra rate on external and rolled debt at stress 1
  double sentiment_stress_sensitivity = 0.5;   ///< equity sentiment = shocks x (1 - this x stress)
  double equity_raise_min_sentiment = 0.7;     ///< no outside equity below this sentiment
  double market_cap_earnings_weight = 0.5;     ///< market cap follows book equity and earnings with this weight on earnings
  double warrant_leverage = 2.0;               ///< a warrant's value moves this many times its issuer's value
  double securities_market_depth_fraction = 0.02;  ///< share of an issuer's value the market absorbs per tick from forced sellers
  double valuation_earnings_months = 12.0;     ///< earnings the market values: average over about this many months
  // The AI-capex cycle (capacity and ai_demand channels)
  double capacity_cost_usd_bn_per_gw = 50.0;   ///< capex per GW of AI capacity, chips and building (seed 001: ~35 + ~15)
  double capacity_life_years = 6.0;            ///< AI capacity in service retires at 1 / this per year (exponential)
  double ai_revenue_usd_bn_per_gw_year = 12.5; ///< revenue per GW per year at full use and tick-0 prices (seed 003: 435 / 35)
  double initial_utilisation = 0.85;           ///< share of merchant AI capacity in use at tick 0
  double ai_demand_growth_per_year = 0.3;      ///< drift of end demand for AI
  double ai_demand_volatility_per_year = 0.15; ///< its lognormal volatility, per sqrt(year)
  double compute_price_elasticity = 0.5;       ///< compute price = (demand / (capacity x initial utilisation)) ^ this
  double required_return_per_year = 0.15;      ///< return capital in AI capacity must earn (seed 001: 15-20%)
  Tick stranding_ticks = 6;                    ///< a build unfunded this long is stranded
  double stranded_salvage_fraction = 0.3;      ///< share of a stranded build's cost that is salvaged
  double renewal_min_fraction = 0.1;           ///< a renewal below this share of the expiring contract is not signed: it lapses
  std::vector<ExposureStatus> enforced_statuses{ExposureStatus::outstanding, ExposureStatus::contract};

  /// Rate (% per year) on a firm's liabilities outside the network before spreads: lenders'
  /// are deposits and policy reserves at the deposit rate, everyone else's market debt.
  double outside_liability_rate_pct(FirmType type) const {
    return is_lender_type(type) ? deposit_rate_pct : external_debt_rate_pct;
  }
};

/// A named loop of exposures from the source data (informational; cycle analysis finds loops itself).
struct LoopSpec {
  std::string id;
  std::string name;
  std::vector<ExposureIdx> edges;
  SourceNote source;
  SourceLocation where;
};

/// A named build-out (informational).
struct ProjectSpec {
  std::string id;
  std::vector<FirmIdx> owners;
  std::map<std::string, Fact> figures;  ///< capacity_gw, cost, ...
  std::string note;
  SourceLocation where;
};

/// A calibration figure kept for the record; `values` has one entry, or two for a range.
struct RecordedFact {
  std::string group;
  std::string name;
  std::vector<double> values;
  SourceNote source;
};

struct ScenarioInfo {
  std::string name;
  std::string description;
  std::string version;
  std::string as_of;
  std::vector<std::string> files;  ///< main file first, then includes in load order
  std::string content_hash;        ///< SHA-256 of the loaded files' bytes, in order (hex)
};

struct Model {
  ScenarioInfo info;
  ModelParameters params;
  Channels channels;
  std::vector<FirmSpec> firms;
  std::vector<ExposureSpec> exposures;
  std::vector<ShockSpec> shocks;
  std::vector<LoopSpec> loops;
  std::vector<ProjectSpec> projects;
  std::vector<RecordedFact> facts;
  std::vector<Diagnostic> warnings;  ///< non-fatal findings of validation

  std::optional<FirmIdx> find_firm(std::string_view id) const;
  bool enforced(ExposureStatus s) const;
};

}  // namespace cascade
