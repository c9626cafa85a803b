#include "engine/generate/ai_economy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/generate/draws.h"
#include "engine/output/text_format.h"

namespace cascade::generate {
namespace {

enum Type : std::uint8_t {
  kChipmaker,
  kMemoryMaker,
  kHyperscaler,
  kNeocloud,
  kAiLab,
  kSpv,
  kBank,
  kPrivateCredit,
  kBondInvestor,
  kConglomerate,
  kMiner,
  kTypeCount
};
constexpr std::array<std::string_view, kTypeCount> kTypeNames{
    "chipmaker", "memory_maker",   "hyperscaler",   "neocloud",     "ai_lab", "spv",
    "bank",      "private_credit", "bond_investor", "conglomerate", "miner"};
/// Firms of each type in scenarios/ai-2026/baseline.yaml (32 in all).
constexpr std::array<std::uint32_t, kTypeCount> kBaselineFirms{3, 1, 5, 2, 3, 4, 4, 5, 2, 2, 1};

enum Kind : std::uint8_t {
  kPurchaseCommitment,
  kLoan,
  kBond,
  kEquityStake,
  kLease,
  kGuarantee,
  kCollateralisedLoan,
  kWarrant,
  kVendorFinancing,
  kRevenueShare,
  kKindCount
};
constexpr std::array<std::string_view, kKindCount> kKindNames{"purchase_commitment", "loan",    "bond",
                                                              "equity_stake",        "lease",   "guarantee",
                                                              "collateralised_loan", "warrant", "vendor_financing",
                                                              "revenue_share"};
/// Exposures of each kind in the baseline (97 in all).
constexpr std::array<std::uint32_t, kKindCount> kBaselineExposures{30, 19, 18, 14, 6, 3, 3, 2, 1, 1};
constexpr std::uint32_t kKindCycle = 97;
/// Exposure k takes slot (k * kKindStride) mod 97 of the kind cycle, so that short prefixes mix kinds.
constexpr std::uint32_t kKindStride = 37;

/// Who may be on each side of each kind (as in the baseline).
struct Sides {
  std::vector<Type> from, to;
};
Sides sides(Kind kind) {
  const std::vector<Type> lenders{kBank, kPrivateCredit};
  const std::vector<Type> borrowers{kChipmaker, kMemoryMaker, kHyperscaler,  kNeocloud,
                                    kAiLab,     kSpv,         kConglomerate, kMiner};
  switch (kind) {
    case kPurchaseCommitment:
      return {{kChipmaker, kMemoryMaker, kHyperscaler, kNeocloud},
              {kHyperscaler, kNeocloud, kAiLab, kSpv, kConglomerate, kMiner}};
    case kLoan:
      return {lenders, borrowers};
    case kBond:
      return {{kBondInvestor, kBank}, {kChipmaker, kMemoryMaker, kHyperscaler, kNeocloud, kSpv, kConglomerate}};
    case kEquityStake:
      return {{kChipmaker, kHyperscaler, kConglomerate, kPrivateCredit}, {kAiLab, kNeocloud, kSpv, kMiner}};
    case kLease:
      return {{kHyperscaler, kNeocloud, kSpv, kConglomerate}, {kAiLab, kHyperscaler, kNeocloud, kMiner}};
    case kGuarantee:
      return {{kHyperscaler, kConglomerate}, {kSpv, kNeocloud}};
    case kCollateralisedLoan:
      return {lenders, {kNeocloud, kMiner, kSpv}};
    case kWarrant:
      return {{kAiLab, kHyperscaler}, {kChipmaker, kNeocloud}};
    case kVendorFinancing:
      return {{kChipmaker}, {kAiLab, kNeocloud}};
    case kRevenueShare:
      return {{kHyperscaler}, {kAiLab}};
    case kKindCount:
      break;
  }
  return {};
}

bool is_lender(Type t) { return t == kBank || t == kPrivateCredit || t == kBondInvestor; }
bool is_listed(Type t) {
  return t == kChipmaker || t == kMemoryMaker || t == kHyperscaler || t == kNeocloud || t == kConglomerate ||
         t == kMiner;
}

/// The rate the margin assumes on a non-lender's network debt (the generated debt pays 5-9%).
constexpr double kInterestPctForMargin = 7.0;

/// The baseline's GPU market depth over its hardware (200 / 1,663) and its credit-stress reference
/// over its network debt (200 / 808.2): scenarios/ai-2026/baseline.yaml with the defaults of
/// docs/scenario-format.md.
constexpr double kBaselineGpuDepthPerHardware = 200.0 / 1663.1;
constexpr double kBaselineStressReferencePerNetworkDebt = 200.0 / 808.2;

/// What a draw is for (Draws' `what`); the item is the exposure, or the firm.
enum Quantity : std::int32_t { kFrom = 1, kTo, kBeneficiary, kAmount, kTerm, kShare, kFirmFigure };

/// Per firm, the network figures its reported totals must contain (USD bn, per year or stocks).
struct Carried {
  double receipts = 0.0, service_paid = 0.0, capex_paid = 0.0, debt_owed = 0.0, assets_held = 0.0, pledged = 0.0;
};

double rounded(double v) { return std::round(v * 1000.0) / 1000.0; }

void add_number(std::string& out, std::string_view key, double value) {
  out += ", ";
  out += key;
  out += ": ";
  output::append_number(out, rounded(value));
}

}  // namespace

std::string generate_ai_economy(const EconomySpec& spec) {
  if (spec.firms < kAiEconomyMinFirms || !(spec.exposures_per_firm > 0.0) || spec.exposures_per_firm > 1000.0)
    throw InternalError("generate_ai_economy: spec out of range");
  const Draws draws(spec.seed);
  const std::uint32_t n = spec.firms;

  std::vector<Type> type_of(n);
  std::array<std::vector<std::uint32_t>, kTypeCount> firms_of{};
  std::array<std::uint32_t, kTypeCount> count{};
  std::vector<std::string> id(n);
  for (std::uint32_t f = 0; f < n; ++f) {
    std::uint32_t slot = f % kAiEconomyMinFirms;
    std::uint8_t t = 0;
    while (slot >= kBaselineFirms[t]) slot -= kBaselineFirms[t++];
    type_of[f] = static_cast<Type>(t);
    firms_of[t].push_back(f);
    id[f] = std::string(kTypeNames[t]) + "_" + std::to_string(++count[t]);
  }
  std::array<Kind, kKindCycle> kind_of_slot{};
  for (std::uint32_t s = 0, k = 0; k < kKindCount; ++k)
    for (std::uint32_t c = 0; c < kBaselineExposures[k]; ++c) kind_of_slot[s++] = static_cast<Kind>(k);

  const auto pick = [&](const std::vector<Type>& types, std::uint32_t item, std::int32_t what, std::uint32_t avoid) {
    std::uint32_t total = 0;
    for (Type t : types) total += static_cast<std::uint32_t>(firms_of[t].size());
    for (std::uint32_t attempt = 0;; ++attempt) {
      std::uint32_t r = draws.below(item, attempt, what, total);
      for (Type t : types) {
        if (r < firms_of[t].size()) {
          const std::uint32_t f = firms_of[t][r];
          if (f != avoid || attempt > 64) return f;
          break;
        }
        r -= static_cast<std::uint32_t>(firms_of[t].size());
      }
    }
  };

  std::vector<Carried> carried(n);
  double network_debt_usd_bn = 0.0, hardware_usd_bn = 0.0;
  std::string exposures = "exposures:\n";
  const auto m = static_cast<std::uint32_t>(std::llround(n * spec.exposures_per_firm));
  for (std::uint32_t k = 0; k < m; ++k) {
    const Kind kind = kind_of_slot[(static_cast<std::uint64_t>(k) * kKindStride) % kKindCycle];
    const Sides s = sides(kind);
    const std::uint32_t from = pick(s.from, k, kFrom, n);
    const std::uint32_t to = pick(s.to, k, kTo, from);
    const bool debt = kind == kLoan || kind == kBond || kind == kCollateralisedLoan;
    const bool stream = kind == kPurchaseCommitment || kind == kLease || kind == kRevenueShare;
    const auto range = [&](double low, double high) { return rounded(draws.log_uniform(k, 0, kAmount, low, high)); };
    const double amount = debt ? range(0.2, 10.0) : stream ? range(0.5, 20.0) : range(0.1, 5.0);
    std::string& out = exposures;
    out += "  - {id: e" + std::to_string(k + 1) + ", kind: " + std::string(kKindNames[kind]) + ", from: " + id[from] +
           ", to: " + id[to] +
           ", status: " + (debt || kind == kEquityStake || kind == kWarrant ? "outstanding" : "contract");
    add_number(out, "amount", amount);
    if (debt) {
      const double rate = kind == kLoan ? 7.0 : kind == kBond ? 5.0 : 9.0;
      const double term = std::floor(draws.uniform(k, 0, kTerm, 1.0, kind == kBond ? 10.0 : 7.0));
      add_number(out, "rate_pct", rate);
      add_number(out, "term_years", term);
      if (kind == kCollateralisedLoan) {
        add_number(out, "collateral", amount * 1.25);
        add_number(out, "ltv_max", 0.8);
        carried[to].pledged += rounded(amount * 1.25);
      }
      carried[to].debt_owed += amount;
      carried[from].assets_held += amount;
      network_debt_usd_bn += amount;
      if (is_lender(type_of[from])) carried[from].receipts += amount * rate / 100.0;
    } else if (stream) {
      const double term = rounded(draws.uniform(k, 0, kTerm, kind == kLease ? 2.0 : 1.0, kind == kLease ? 8.0 : 5.0));
      add_number(out, "term_years", term);
      const double annual = amount / term;
      carried[from].receipts += annual;
      carried[from].service_paid += 0.5 * annual;  // at most the supplier's cost of sales
      const bool hardware =
          kind == kPurchaseCommitment && (type_of[from] == kChipmaker || type_of[from] == kMemoryMaker);
      (hardware ? carried[to].capex_paid : carried[to].service_paid) += annual;
    } else if (kind == kEquityStake || kind == kWarrant) {
      add_number(out, "share_pct", std::max(0.5, rounded(draws.uniform(k, 0, kShare, 0.5, 20.0))));
      carried[from].assets_held += amount;
    } else if (kind == kGuarantee) {
      out += ", beneficiary: " + id[pick({kBank, kPrivateCredit, kBondInvestor}, k, kBeneficiary, n)];
    } else if (kind == kVendorFinancing) {
      out += ", form: debt";
      add_number(out, "rate_pct", 4.0);
      add_number(out, "term_years", std::floor(draws.uniform(k, 0, kTerm, 2.0, 6.0)));
    }
    out += "}\n";
  }

  std::string text;
  text += "# Synthetic AI economy: " + std::to_string(n) + " firms, " + std::to_string(m) + " exposures, seed " +
          std::to_string(spec.seed) + ".\n";
  text += "# GENERATED by `cascade generate --kind ai-economy` (engine/generate/ai_economy.h): firm types and\n";
  text += "# exposure kinds in the proportions of scenarios/ai-2026/baseline.yaml; figures are made up.\n";
  text += "format: cascade-scenario/1\nscenario:\n  name: ai-economy-" + std::to_string(n) + "-seed-" +
          std::to_string(spec.seed) + "\n  description: \"Synthetic AI economy in the baseline's proportions\"\n";
  text += "simulation: {horizon_ticks: 60, ticks_per_year: 12, seed: " + std::to_string(spec.seed) + "}\n";
  text += "firms:\n";
  std::vector<std::uint32_t> shocked_labs;
  for (std::uint32_t f = 0; f < n; ++f) {
    const Type t = type_of[f];
    const Carried& c = carried[f];
    const bool lender = is_lender(t);
    const auto figure = [&](std::uint32_t index, double low, double high) {
      return draws.uniform(f, index, kFirmFigure, low, high);
    };
    // Non-lenders earn an operating margin after interest drawn in [-10%, 35%] of revenue (a
    // minority burns cash); their outside sales grow when needed so that what they pay on the
    // network is at most 90% of their costs.
    const double margin = figure(10, -0.1, 0.35);
    const double interest = c.debt_owed * kInterestPctForMargin / 100.0;
    const double network_costs = c.service_paid + c.capex_paid + interest;
    const double external_revenue =
        lender ? draws.log_uniform(f, 0, kFirmFigure, 0.5, 5.0)
               : std::max(draws.log_uniform(f, 0, kFirmFigure, 1.0, 50.0),
                          (network_costs - (1.0 - margin) * c.receipts) / (0.9 - margin));
    const double revenue = c.receipts + external_revenue;
    const double outside_costs = lender ? 0.0 : (1.0 - margin) * revenue - network_costs;  // opex and capex
    const double outside_capex = lender ? 0.0 : outside_costs * figure(7, 0.0, 0.3);
    text += "  - {id: " + id[f] + ", type: " + std::string(kTypeNames[t]);
    const double cash = lender ? 5.0 + c.assets_held * figure(1, 0.2, 0.5) : revenue * figure(1, 0.1, 0.5);
    const double hardware = lender ? 0.0 : c.pledged * 1.1 + revenue * figure(2, 0.5, 2.0);
    const double debt = c.debt_owed + (lender ? 0.0 : revenue * figure(4, 0.0, 0.5)) + 0.001;
    // Book equity is at least a drawn share of assets (lenders 6-20%, others 5-60%): nobody
    // starts insolvent, and the thinly capitalised are a minority.
    const double equity_share = lender ? figure(9, 0.06, 0.2) : figure(9, 0.05, 0.6);
    const double other_assets = std::max(c.assets_held + revenue * figure(3, 0.2, 1.0) + 0.001,
                                         debt / (1.0 - equity_share) - cash - hardware);
    add_number(text, "cash", cash);
    if (!lender) add_number(text, "hardware", hardware);
    hardware_usd_bn += rounded(hardware);
    add_number(text, "other_assets", other_assets);
    add_number(text, "debt", debt);
    if (is_listed(t)) add_number(text, "market_cap", revenue * figure(5, 2.0, 10.0));
    add_number(text, "revenue", revenue + 0.001);
    // End demand for AI: four in five hyperscalers earn 3-7.5% of their revenue from it, as in the
    // baseline (Microsoft 11 of 283, Google 20 of 405, Amazon 20 of 700, Oracle 5 of 67, Meta none),
    // within their outside sales.
    if (t == kHyperscaler && figure(11, 0.0, 1.0) < 0.8)
      add_number(text, "ai_revenue", std::min(external_revenue, revenue * figure(12, 0.03, 0.075)));
    add_number(text, "opex",
               c.service_paid + (lender ? external_revenue * figure(6, 0.6, 0.9) : outside_costs - outside_capex) +
                   0.001);
    if (!lender) add_number(text, "capex", c.capex_paid + outside_capex + 0.001);
    text += "}\n";
    if (t == kAiLab && figure(8, 0.0, 1.0) < 0.1) shocked_labs.push_back(f);
  }
  if (shocked_labs.empty()) shocked_labs.push_back(firms_of[kAiLab].front());
  text += exposures;
  text += "shocks:\n  - {id: lab-demand-slump, kind: revenue_multiplier, tick: 6, value: 0.5, targets: [";
  for (std::size_t k = 0; k < shocked_labs.size(); ++k) text += (k == 0 ? "" : ", ") + id[shocked_labs[k]];
  text += "], description: \"a tenth of the AI labs lose half their revenue\"}\n";
  // The two market sizes the engine states in USD bn, in the baseline's proportions to the
  // economy: GPU market depth 200 of 1,663 of hardware, credit-stress reference 200 of 808 of
  // network debt (loans, bonds, collateralised loans).
  text += "parameters:\n  gpu_market_depth_usd_bn: ";
  output::append_number(text, rounded(hardware_usd_bn * kBaselineGpuDepthPerHardware));
  text += "\n  stress_reference_usd_bn: ";
  output::append_number(text, rounded(network_debt_usd_bn * kBaselineStressReferencePerNetworkDebt));
  text += "\n";
  return text;
}

}  // namespace cascade::generate
