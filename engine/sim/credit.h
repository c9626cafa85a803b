// Credit quality of a firm from its balance sheet: the Merton (1974) default probability that
// the expected_loss marks of the debtrank channel use (docs/model.md, phase 8).
//
//   double pd = merton_default_probability(120.0, 100.0, 0.2, 1.0);   // ~0.2: ln(1.2) = 0.18 < 1 sd
//
// With asset value A, debt D, asset volatility sigma per sqrt(year) and horizon T years (zero
// drift), the distance to default is DD = (ln(A / D) - sigma^2 T / 2) / (sigma sqrt(T)) and the
// default probability PD = Phi(-DD). A firm with no debt has PD 0; one with no assets, PD 1.
//
// Thread safety: pure.
#pragma once

namespace cascade {

double merton_default_probability(double assets_usd_bn, double liabilities_usd_bn, double asset_volatility_per_year,
                                  double horizon_years);

}  // namespace cascade
