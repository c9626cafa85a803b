// What a run reports, tick by tick and at the end. Plain values; observers turn them into files.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/types.h"

namespace cascade {

/// Where a loss came from, and the channel held responsible for a default (the one whose
/// loss alone exceeds the shortfall; own_operations when none does).
enum class DefaultChannel : std::uint8_t {
  own_operations,      ///< its own cash burn, no contagion loss larger than that
  payment_clearing,    ///< payments owed to it that stayed unpaid
  revenue_contract,    ///< revenue lost to customers' capex cuts, withholding, cancellations and defaults
  default_resolution,  ///< credit and stake losses on defaulted counterparties (claim minus recovery)
  funding,             ///< interest above contract rates: stress spreads, rate paths, downgrade spreads
  debtrank,            ///< markdowns of its claims on distressed obligors (net)
  fire_sale,           ///< book value lost selling hardware under pressure or in liquidation; GPU impairments
  equity_market,       ///< stakes and warrants losing value (net)
  guarantees,          ///< guarantee payouts it made
  capacity,            ///< its stranded builds: cost written off less salvage
  ai_demand,           ///< AI revenue below its expected path: utilisation and compute prices, or end demand
  contract_renewal,    ///< compute contracts that lapsed, renewed smaller, or that a customer exited
  shock,               ///< a scenario shock (cash loss, writedown, force_default)
};
inline constexpr std::size_t kDefaultChannelCount = 13;
std::string_view to_string(DefaultChannel c);

/// A firm's cumulative losses by channel (USD bn; own_operations unused). The equity_market entry
/// is net (losses minus gains); its gains are also kept apart.
struct ChannelLosses {
  std::array<double, kDefaultChannelCount> usd_bn{};
  double equity_market_gains_usd_bn = 0.0;  ///< rises in the value of its stakes and warrants
  double& operator[](DefaultChannel c) { return usd_bn[static_cast<std::size_t>(c)]; }
  double operator[](DefaultChannel c) const { return usd_bn[static_cast<std::size_t>(c)]; }
};

enum class DefaultKind : std::uint8_t {
  liquidity,  ///< could not pay what was due, even after funding
  solvency,   ///< book equity fell below zero
  forced,     ///< a force_default shock
  breach,     ///< withheld binding payments still unpaid after the cure period
};
std::string_view to_string(DefaultKind k);

struct DefaultEvent {
  FirmIdx firm = 0;
  Tick tick = 0;
  DefaultKind kind = DefaultKind::liquidity;
  DefaultChannel channel = DefaultChannel::own_operations;
  double shortfall_usd_bn = 0.0;  ///< unpaid obligations (liquidity) or negative equity (solvency)
  /// What resolution left unpaid to creditors outside the network (depositors, bondholders,
  /// lessors, suppliers): their claims minus their recovery; 0 when the firm is not resolved.
  double external_creditor_loss_usd_bn = 0.0;
  std::string detail;             ///< one sentence for people: what pushed it over
};

/// A loss a creditor or investor takes when an obligor defaults (claim minus recovery).
struct CreditLoss {
  Tick tick = 0;
  FirmIdx holder = 0;   ///< the exposed party that loses
  FirmIdx obligor = 0;  ///< the defaulted firm
  ExposureIdx exposure = 0;
  ExposureKind kind = ExposureKind::loan;
  double claim_usd_bn = 0.0;
  double recovered_usd_bn = 0.0;
  double loss_usd_bn() const { return claim_usd_bn - recovered_usd_bn; }
};

/// How each channel's loss is to be read (docs/model.md, "Loss attribution").
enum class LossNature : std::uint8_t {
  realised,            ///< booked and final: write-offs on defaults, extra interest, sales below book, payouts
  unpaid,              ///< receivables owed but not paid so far (they may still be paid)
  mark,                ///< unrealised: claims and holdings marked down (or up)
  foregone_revenue,    ///< planned revenue that customers did not owe
};
LossNature nature_of(DefaultChannel c);
std::string_view to_string(LossNature n);

/// One exposure at the end of one tick (exposures.csv).
struct ExposureTickRecord {
  ExposureIdx exposure = 0;
  double due_usd_bn = 0.0;        ///< this tick: scheduled payment (interest, principal, stream, tranche)
  double paid_usd_bn = 0.0;       ///< this tick: paid on it (at clearing and late)
  double principal_usd_bn = 0.0;  ///< debt outstanding
  double value_usd_bn = 0.0;      ///< stakes and warrants at value
  double markdown_usd_bn = 0.0;   ///< debtrank mark on a debt claim
  double remaining_usd_bn = 0.0;  ///< streams and vendor financing: payments still to come
  double arrears_usd_bn = 0.0;    ///< owed and unpaid (withheld included)
  bool active = false;
};

/// One firm at the end of one tick.
struct FirmTickRecord {
  FirmIdx firm = 0;
  double cash_usd_bn = 0.0;
  double hardware_usd_bn = 0.0;
  double securities_usd_bn = 0.0;   ///< stakes and warrants held, at value
  double claims_usd_bn = 0.0;       ///< network debt claims held, at book
  double other_assets_usd_bn = 0.0; ///< external other assets
  double construction_usd_bn = 0.0; ///< AI capacity under construction, at cost
  double liabilities_usd_bn = 0.0;  ///< network and external debt, leases, other liabilities, investor capital
  double equity_usd_bn = 0.0;       ///< assets - liabilities
  double investor_capital_usd_bn = 0.0;  ///< pass-through funds: their investors' capital (NAV); else 0
  double market_value_usd_bn = 0.0;      ///< value of its equity as investors mark it (market cap if listed)
  double revenue_usd_bn = 0.0;      ///< this tick: external + network receipts for goods and services
  double opex_usd_bn = 0.0;         ///< this tick: external opex + services bought in the network
  double capex_usd_bn = 0.0;        ///< this tick: hardware bought
  double due_usd_bn = 0.0;          ///< this tick: obligations due at clearing
  double paid_usd_bn = 0.0;         ///< this tick: obligations paid (clearing + arrears)
  double funding_usd_bn = 0.0;      ///< this tick: cash raised in the funding phase
  double payout_usd_bn = 0.0;       ///< this tick: dividends and buybacks paid
  double ai_revenue_usd_bn = 0.0;   ///< this tick: revenue from end demand for AI (part of revenue)
  double ai_capacity_gw = 0.0;      ///< AI capacity in service
  bool downgraded = false;          ///< its default probability rose far since tick 0 (credit_ratings)
  bool defaulted = false;

  /// Assets (docs/model.md, "Balance sheet"): cash, hardware, construction in progress,
  /// securities, claims and other assets.
  double assets_usd_bn() const {
    return cash_usd_bn + hardware_usd_bn + construction_usd_bn + securities_usd_bn + claims_usd_bn +
           other_assets_usd_bn;
  }
};

/// Aggregates over all firms at the end of one tick (money identities in docs/model.md).
struct SystemTickRecord {
  Tick tick = 0;
  double cash_usd_bn = 0.0;
  double assets_usd_bn = 0.0;
  double equity_usd_bn = 0.0;             ///< every firm's equity (funds' own equity, not their investors')
  // System equity by layer (docs/model.md, "System equity by layer").
  double equity_nonfinancial_usd_bn = 0.0;  ///< non-financial firms (chips, clouds, labs, SPVs, ...)
  double equity_banks_usd_bn = 0.0;
  double equity_funds_usd_bn = 0.0;         ///< private-credit funds and bond investors, own equity
  double fund_investor_capital_usd_bn = 0.0;  ///< their investors' capital (NAV), not system equity
  double external_inflow_usd_bn = 0.0;   ///< this tick: money entering the system
  double external_outflow_usd_bn = 0.0;  ///< this tick: money leaving the system
  double depreciation_usd_bn = 0.0;      ///< this tick: book depreciation of hardware (ordinary)
  double writedown_usd_bn = 0.0;         ///< this tick: impairments, write-downs and stranded builds
  double credit_loss_usd_bn = 0.0;       ///< this tick: losses on claims on defaulted firms
  double gpu_price_index = 1.0;          ///< market value of installed GPUs relative to cost (1 at tick 0)
  double sentiment_index = 1.0;          ///< equity-market sentiment (1 at tick 0)
  double market_stress_index = 0.0;      ///< credit-market stress in [0, 1]
  // The AI-capex cycle.
  double ai_demand_index = 1.0;          ///< end demand for AI relative to tick 0
  double ai_utilisation = 0.0;           ///< share of merchant AI compute in use
  double compute_price_index = 1.0;      ///< price of compute relative to tick 0
  double ai_capacity_gw = 0.0;           ///< AI capacity in service of the firms not in default
  double construction_usd_bn = 0.0;      ///< AI capacity under construction, at cost
  double ai_revenue_usd_bn_per_year = 0.0;  ///< this tick's AI revenue, annualised
  /// Revenue the capacity in service needs per year to earn its keep: capacity x cost per GW x
  /// (1 / capacity life + required return). Its gap to AI revenue is the "revenue gap".
  double required_ai_revenue_usd_bn_per_year = 0.0;
  double network_payments_usd_bn = 0.0;  ///< this tick: paid between firms
  double unpaid_usd_bn = 0.0;            ///< this tick: obligations left unpaid
  int clearing_iterations = 0;
  int defaults_this_tick = 0;
  int defaulted_firms = 0;  ///< cumulative
};

}  // namespace cascade
