// Re-pledged collateral: validation-time warnings when the same hardware backs more than one
// claim.
//
//   for (Diagnostic& d : collateral_warnings(model)) model.warnings.push_back(std::move(d));
//
// Three rules, each a warning (never an error: the scenario may be right and the world
// over-pledged). docs/circular-financing.md lists what they do and do not detect.
//  1. Re-pledged: the collateral a firm's debts pledge (`collateral`, summed over two or more
//     exposures, every status but `settled`) exceeds the hardware it owns, so some machines back
//     more than one loan. Names each lender and amount.
//  2. Leased and pledged: a firm that leases hardware from a lessor in the network pledges more
//     than it owns outright (hardware less lease liabilities, i.e. less its right-of-use
//     assets), so it pledges machines its lessor owns (and may have pledged itself).
//  3. Several owners: a `projects:` entry lists an SPV together with other owners, or a lessor
//     together with its lessee: the same build-out's hardware sits on more than one balance
//     sheet.
// The loader adds them to Model::warnings, so `cascade validate` prints them.
// Thread safety: a pure function.
#pragma once

#include <vector>

#include "engine/core/diagnostics.h"

namespace cascade {
struct Model;
}

namespace cascade::analysis {

/// Relative tolerance before a pledge counts as exceeding the hardware behind it.
inline constexpr double kPledgeTolerance = 1e-9;

std::vector<Diagnostic> collateral_warnings(const Model& model);

}  // namespace cascade::analysis
