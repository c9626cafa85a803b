#include "engine/sim/tick_scratch.h"

#include <algorithm>

namespace cascade::sim {

std::size_t max_obligations_per_tick(const Model& model, const SupplierAmounts& capex_supplier_shares) {
  constexpr std::size_t kPerExposure = 2;
  constexpr std::size_t kPerFirm = 4;  // external opex, cost of sales, external interest, outside capex
  std::size_t bound = kPerExposure * model.exposures.size() + kPerFirm * model.firms.size();
  for (FirmIdx f = 0; f < capex_supplier_shares.firm_count(); ++f) bound += capex_supplier_shares.of(f).size();
  return bound;
}

void TickScratch::reserve(const Model& model, const ExposureNetwork& network,
                          const SupplierAmounts& capex_supplier_shares) {
  const std::size_t n = model.firms.size();
  for (std::vector<double>* per_firm :
       {&revenue_usd_bn, &depreciation_usd_bn, &contracted_usd_bn_per_year, &idle_usd_bn_per_year, &liquid_usd_bn,
        &outgoings_usd_bn, &committed_usd_bn, &assets_usd_bn, &liabilities_usd_bn, &level, &marked_assets_usd_bn,
        &previous_marked_assets_usd_bn, &used_level, &arrears_by_firm_usd_bn, &withheld_by_firm_usd_bn,
        &performing_marks_usd_bn, &issuer_index})
    per_firm->reserve(n);
  balance_sheets.reserve(n);
  binding_capex_usd_bn.reserve(model.exposures.size());
  marked_claims.reserve(model.exposures.size());
  std::vector<std::size_t> capex_commitments(n, 0);
  for (const ExposureSpec& spec : model.exposures)
    if (spec.kind == ExposureKind::purchase_commitment && spec.purpose == PurchasePurpose::capex)
      ++capex_commitments[spec.to];
  contracted_capex_usd_bn.reserve(n, [&](FirmIdx f) { return capex_commitments[f]; });

  const std::size_t most_obligations = max_obligations_per_tick(model, capex_supplier_shares);
  own_cash_only.reserve(most_obligations);
  clearing.reserve(n, most_obligations);
  cleared.paid_usd_bn.reserve(most_obligations);
  for (std::vector<double>* per_firm :
       {&cleared.paid_by_firm_usd_bn, &cleared.due_by_firm_usd_bn, &cleared.received_usd_bn})
    per_firm->reserve(n);
  cleared.short_of_cash.reserve(n);

  std::size_t most_arrears = 0, most_claims = 0;
  for (FirmIdx f = 0; f < n; ++f) {
    const std::size_t owed = network.owed_by(f).size(), held = network.held_by(f).size();
    most_arrears = std::max(most_arrears, 1 + 2 * owed + 2 * held);
    most_claims = std::max(most_claims, 1 + owed + 2 * held);
  }
  arrears.reserve(most_arrears);
  claims.reserve(most_claims);
  recovered_usd_bn.reserve(most_claims);
  found_defaults.reserve(n);
}

}  // namespace cascade::sim
