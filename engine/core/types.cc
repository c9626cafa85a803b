#include "engine/core/types.h"

#include <string_view>

namespace cascade {
namespace {

template <typename E, std::size_t N>
struct NameTable {
  std::array<std::string_view, N> names;
  std::string_view name(E v) const { return names[static_cast<std::size_t>(v)]; }
  std::optional<E> parse(std::string_view s) const {
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
  }
};

constexpr NameTable<FirmType, kFirmTypeCount> kFirmTypes{{"chipmaker", "memory_maker", "hyperscaler", "neocloud",
                                                          "ai_lab", "spv", "bank", "private_credit",
                                                          "bond_investor", "conglomerate", "miner"}};
constexpr NameTable<ExposureKind, kExposureKindCount> kKinds{
    {"loan", "bond", "collateralised_loan", "credit_line", "lease", "purchase_commitment", "revenue_share",
     "equity_stake", "warrant", "guarantee", "vendor_financing"}};
constexpr NameTable<Seniority, kSeniorityCount> kSeniority{{"secured", "senior", "subordinated", "equity"}};
constexpr NameTable<ExposureStatus, kExposureStatusCount> kStatus{
    {"outstanding", "contract", "loi", "proposed", "doubtful", "settled"}};
constexpr NameTable<PurchasePurpose, 2> kPurpose{{"capex", "service"}};
constexpr NameTable<FinancingForm, 2> kForm{{"equity", "debt"}};
constexpr NameTable<Amortisation, 2> kAmort{{"bullet", "linear"}};

}  // namespace

std::string_view to_string(FirmType v) { return kFirmTypes.name(v); }
std::string_view to_string(ExposureKind v) { return kKinds.name(v); }
std::string_view to_string(Seniority v) { return kSeniority.name(v); }
std::string_view to_string(ExposureStatus v) { return kStatus.name(v); }
std::string_view to_string(PurchasePurpose v) { return kPurpose.name(v); }
std::string_view to_string(FinancingForm v) { return kForm.name(v); }
std::string_view to_string(Amortisation v) { return kAmort.name(v); }

std::optional<FirmType> parse_firm_type(std::string_view s) { return kFirmTypes.parse(s); }
std::optional<ExposureKind> parse_exposure_kind(std::string_view s) { return kKinds.parse(s); }
std::optional<Seniority> parse_seniority(std::string_view s) { return kSeniority.parse(s); }
std::optional<ExposureStatus> parse_exposure_status(std::string_view s) { return kStatus.parse(s); }
std::optional<PurchasePurpose> parse_purchase_purpose(std::string_view s) { return kPurpose.parse(s); }
std::optional<FinancingForm> parse_financing_form(std::string_view s) { return kForm.parse(s); }
std::optional<Amortisation> parse_amortisation(std::string_view s) { return kAmort.parse(s); }

const std::array<FirmType, kFirmTypeCount>& all_firm_types() {
  static const std::array<FirmType, kFirmTypeCount> kAll = [] {
    std::array<FirmType, kFirmTypeCount> a{};
    for (std::size_t i = 0; i < kFirmTypeCount; ++i) a[i] = static_cast<FirmType>(i);
    return a;
  }();
  return kAll;
}
const std::array<ExposureKind, kExposureKindCount>& all_exposure_kinds() {
  static const std::array<ExposureKind, kExposureKindCount> kAll = [] {
    std::array<ExposureKind, kExposureKindCount> a{};
    for (std::size_t i = 0; i < kExposureKindCount; ++i) a[i] = static_cast<ExposureKind>(i);
    return a;
  }();
  return kAll;
}

}  // namespace cascade
