// A synthetic AI economy as a scenario (docs/scenario-format.md): firms of every type and
// exposures of every kind in the proportions of scenarios/ai-2026/baseline.yaml, for
// benchmarks of the tick loop at 10^3..10^5 firms and for experiments on larger economies.
//
//   const std::string yaml = generate_ai_economy({.firms = 1000, .seed = 7});
//   // write it to DIR/scenario.yaml; `cascade validate DIR/scenario.yaml` accepts it
//
// Firm types cycle through the baseline's 32 firms (3 chipmakers, 1 memory maker, 5
// hyperscalers, 2 neoclouds, 3 AI labs, 4 SPVs, 4 banks, 5 private-credit funds, 2 bond
// investors, 2 conglomerates, 1 miner); exposure kinds through its 97 exposures (30 purchase
// commitments, 19 loans, 18 bonds, 14 equity stakes, 6 leases, 3 guarantees, 3 collateralised
// loans, 2 warrants, 1 vendor financing, 1 revenue share), each between firm types that hold such
// contracts in the baseline (a lender and a borrower, a supplier and a buyer, ...). Amounts are
// log-uniform within each kind's range; every firm's reported totals (revenue, opex, capex,
// debt, other assets) contain what its exposures carry plus an external part, so validation
// has nothing to warn about. Balance sheets: book equity at least a drawn 5-60% of assets
// (lenders 6-20%), so nobody starts insolvent; non-lenders earn a drawn operating margin after
// interest of -10% to 35% of revenue, their outside sales raised where their network purchases
// would otherwise outrun them; cash 10-50% of a year's revenue. End demand for AI: four in five
// hyperscalers earn 3-7.5% of their revenue from it (the baseline's 4 of 5 earn 2.9-7.5%), so the
// compute market has buyers. The fragile minority is the thin margins, thin equity and short
// cash: 0.3% of firms default in the first year and 4.4% over five (10^3 and 10^4 firms, seed 1).
// The GPU market depth and the credit-stress reference (`parameters`) are the baseline's 200 of
// 1,663 of hardware and 200 of 808.2 of network debt, scaled to the economy. One shock: a tenth
// of the AI labs lose half their revenue at tick 6.
// Same spec, same bytes (engine/generate/draws.h).
//
// Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <string>

namespace cascade::generate {

/// Firms in one cycle of the baseline's types: the smallest economy with every type.
inline constexpr std::uint32_t kAiEconomyMinFirms = 32;
/// Exposures per firm in the baseline (97 / 32).
inline constexpr double kAiEconomyExposuresPerFirm = 97.0 / 32.0;

struct EconomySpec {
  std::uint32_t firms = 1000;                              ///< >= kAiEconomyMinFirms
  double exposures_per_firm = kAiEconomyExposuresPerFirm;  ///< > 0
  std::uint64_t seed = 1;
};

/// The scenario's YAML text. Throws InternalError when the spec is out of range.
std::string generate_ai_economy(const EconomySpec& spec);

}  // namespace cascade::generate
