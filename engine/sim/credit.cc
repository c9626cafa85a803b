#include "engine/sim/credit.h"

#include <cmath>

namespace cascade {

double merton_default_probability(double assets_usd_bn, double liabilities_usd_bn, double asset_volatility_per_year,
                                  double horizon_years) {
  if (liabilities_usd_bn <= 0.0) return 0.0;
  if (assets_usd_bn <= 0.0) return 1.0;
  const double spread = asset_volatility_per_year * std::sqrt(horizon_years);
  const double distance =
      (std::log(assets_usd_bn / liabilities_usd_bn) - 0.5 * asset_volatility_per_year * spread * std::sqrt(horizon_years)) /
      spread;
  return 0.5 * std::erfc(distance / std::sqrt(2.0));  // Phi(-distance)
}

}  // namespace cascade
