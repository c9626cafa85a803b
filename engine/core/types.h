// Vocabulary types shared by every layer: firm types, exposure kinds, seniority, statuses.
//
// Each enum has a stable lower_snake_case text name, used in scenario files, CSV and JSON
// output. `to_string` and `parse_*` round-trip:
//
//   ExposureKind k = *parse_exposure_kind("purchase_commitment");
//   assert(to_string(k) == "purchase_commitment");
//
// Units across Cascade: money in USD billions (double, suffix `_usd_bn`), time in ticks
// (one month by default; `ticks_per_year` in the model), rates in percent per year (`_pct`),
// fractions in [0, 1] (`_fraction`).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cascade {

/// Index of a firm in `Model::firms` (dense, 0-based).
using FirmIdx = std::uint32_t;
/// Index of an exposure in `Model::exposures` (dense, 0-based).
using ExposureIdx = std::uint32_t;
/// Simulation tick, 1-based for simulated ticks; tick 0 is the initial state.
using Tick = std::int32_t;

enum class FirmType : std::uint8_t {
  chipmaker,
  memory_maker,
  hyperscaler,
  neocloud,
  ai_lab,
  spv,
  bank,
  private_credit,
  bond_investor,
  conglomerate,
  miner,
};
inline constexpr std::size_t kFirmTypeCount = 11;

/// Edge kinds. The edge runs from the EXPOSED party (creditor, lessor, supplier, investor,
/// guarantor, warrant holder) to the OBLIGOR (borrower, lessee, buyer, investee, guaranteed
/// party, warrant issuer). Scheduled payments flow obligor -> exposed.
enum class ExposureKind : std::uint8_t {
  loan,
  bond,
  collateralised_loan,
  credit_line,
  lease,
  purchase_commitment,
  revenue_share,
  equity_stake,
  warrant,
  guarantee,
  vendor_financing,
};
inline constexpr std::size_t kExposureKindCount = 11;

/// Payment priority of an obligation, highest first. Clearing pays a firm's classes in this
/// order and pro rata within a class (Elsinger 2009).
enum class Seniority : std::uint8_t {
  secured,
  senior,
  subordinated,
  equity,
};
inline constexpr std::size_t kSeniorityCount = 4;

/// Legal standing of an exposure. Only binding statuses create cash flows; the others stay in
/// the network for analysis (loops, rankings) unless a scenario enforces them.
enum class ExposureStatus : std::uint8_t {
  outstanding,  ///< drawn / in force
  contract,     ///< signed, binding
  loi,          ///< letter of intent: non-binding or contingent
  proposed,     ///< under discussion
  doubtful,     ///< reported, but the figure or deal is doubtful
  settled,      ///< already fully performed before tick 0; kept for the record and loops
};
inline constexpr std::size_t kExposureStatusCount = 6;

/// What the buyer gets for a purchase commitment: hardware it capitalises, or a service
/// (cloud capacity) it expenses.
enum class PurchasePurpose : std::uint8_t { capex, service };

/// Whether vendor financing is equity (an investment) or debt (a loan) to the customer.
enum class FinancingForm : std::uint8_t { equity, debt };

/// How a debt exposure repays principal.
enum class Amortisation : std::uint8_t { bullet, linear };

std::string_view to_string(FirmType v);
std::string_view to_string(ExposureKind v);
std::string_view to_string(Seniority v);
std::string_view to_string(ExposureStatus v);
std::string_view to_string(PurchasePurpose v);
std::string_view to_string(FinancingForm v);
std::string_view to_string(Amortisation v);

std::optional<FirmType> parse_firm_type(std::string_view s);
std::optional<ExposureKind> parse_exposure_kind(std::string_view s);
std::optional<Seniority> parse_seniority(std::string_view s);
std::optional<ExposureStatus> parse_exposure_status(std::string_view s);
std::optional<PurchasePurpose> parse_purchase_purpose(std::string_view s);
std::optional<FinancingForm> parse_financing_form(std::string_view s);
std::optional<Amortisation> parse_amortisation(std::string_view s);

/// All values of an enum in declaration order, e.g. for listing choices in error messages.
const std::array<FirmType, kFirmTypeCount>& all_firm_types();
const std::array<ExposureKind, kExposureKindCount>& all_exposure_kinds();

/// True for kinds that are debt claims with principal and interest.
constexpr bool is_debt(ExposureKind k) {
  return k == ExposureKind::loan || k == ExposureKind::bond || k == ExposureKind::collateralised_loan ||
         k == ExposureKind::credit_line;
}
/// True for kinds whose value is a security held by the exposed party (marked, not paid).
constexpr bool is_security(ExposureKind k) {
  return k == ExposureKind::equity_stake || k == ExposureKind::warrant;
}
/// True for kinds that are contracted payment streams (not on the balance sheet as principal).
constexpr bool is_contract_stream(ExposureKind k) {
  return k == ExposureKind::lease || k == ExposureKind::purchase_commitment || k == ExposureKind::revenue_share;
}
/// True for statuses that create cash flows by default.
constexpr bool is_binding(ExposureStatus s) {
  return s == ExposureStatus::outstanding || s == ExposureStatus::contract;
}

/// Which side of the balance sheet the edge's book value sits on: lenders of every kind.
constexpr bool is_lender_type(FirmType t) {
  return t == FirmType::bank || t == FirmType::private_credit || t == FirmType::bond_investor;
}

}  // namespace cascade
