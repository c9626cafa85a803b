// Completes a structurally valid Model: the quantities the engine derives from reported figures.
//
// Runs at the end of validation (the loader calls it once, before the Model is frozen):
// - exposure values that depend on other fields: `annual_usd_bn`, `rate_pct` and `purpose`
//   from the loader's `*_given` fields or their defaults (the loader never sets the derived
//   fields itself);
// - `effective_amount_usd_bn` after `overlaps` (the part not already carried by the listed
//   exposures, never below 0);
// - each firm's external remainders (`external_revenue_usd_bn_per_year`, `external_opex_...`,
//   `external_debt_usd_bn`, `external_other_assets_usd_bn`) and `other_liabilities_usd_bn`.
// A remainder that would be negative is set to 0 and reported as a warning naming the
// exposures responsible; it never silently changes the total.
#pragma once

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"

namespace cascade {

void derive_model_quantities(Model& model, Diagnostics& diagnostics);

}  // namespace cascade
