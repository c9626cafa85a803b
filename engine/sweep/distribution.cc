#include "engine/sweep/distribution.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "engine/core/diagnostics.h"

namespace cascade::sweep {
namespace {

// Phi(x), the standard normal CDF, with full relative accuracy in the lower tail.
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

// 1 - Phi(x), with full relative accuracy in the upper tail.
double normal_upper_tail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

// Phi^-1(p) for p in (0, 1): Acklam's rational approximation (relative error below 1.2e-9),
// refined by one Halley step on Phi(x) - p, which brings it to about 1e-15 relative.
double normal_quantile(double p) {
  static constexpr std::array<double, 6> a = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                              1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr std::array<double, 5> b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                              6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr std::array<double, 6> c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                              -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr std::array<double, 4> d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                              3.754408661907416e+00};
  constexpr double kLowerBreak = 0.02425;
  auto tail = [&](double q) {  // q = sqrt(-2 ln p_tail)
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  };
  double x;
  if (p < kLowerBreak) {
    x = tail(std::sqrt(-2.0 * std::log(p)));
  } else if (p <= 1.0 - kLowerBreak) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    x = -tail(std::sqrt(-2.0 * std::log1p(-p)));
  }
  // Halley's step: e = Phi(x) - p, u = e / phi(x). exp(x^2 / 2) overflows only beyond
  // |x| ~ 37.6, where p is below the smallest normal double and no step is taken. Near the
  // median Phi(x) - p would round to 0 and leave Acklam's 1e-9: there e = erf(x / sqrt 2) / 2 -
  // (p - 1/2), in which p - 1/2 is exact (Sterbenz) and erf keeps its relative accuracy.
  const double e = p >= 0.25 && p <= 0.75 ? 0.5 * std::erf(x / std::numbers::sqrt2) - (p - 0.5) : normal_cdf(x) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  if (std::isfinite(u)) x -= u / (1.0 + 0.5 * x * u);
  return x;
}

// The standardised truncated normal's quantile on [a, b] at u in (0, 1). Results above the
// mean come from upper-tail probabilities, which keep their digits where Phi would round
// towards 1 (e.g. a > 0, or u near 1).
double truncated_standard_normal_quantile(double a, double b, double u) {
  const double pa = normal_cdf(a), pb = normal_cdf(b);
  const double p = pa + u * (pb - pa);
  if (p <= 0.5) return normal_quantile(p);
  const double qa = normal_upper_tail(a), qb = normal_upper_tail(b);
  return -normal_quantile(qa - u * (qa - qb));
}

}  // namespace

std::string Distribution::problem() const {
  const bool bounded = kind != DistributionKind::discrete;
  if (bounded && !(std::isfinite(min) && std::isfinite(max))) return "min and max must be finite numbers";
  if (bounded && !(min <= max)) return "min must not exceed max";
  switch (kind) {
    case DistributionKind::uniform:
      return {};
    case DistributionKind::log_uniform:
      return min > 0.0 ? std::string() : "a log-uniform distribution needs min > 0";
    case DistributionKind::normal: {
      if (!(std::isfinite(mean) && std::isfinite(sd) && sd > 0.0)) return "a normal distribution needs a finite sd > 0";
      const double a = (min - mean) / sd, b = (max - mean) / sd;
      const double mass = a > 0.0 ? normal_upper_tail(a) - normal_upper_tail(b) : normal_cdf(b) - normal_cdf(a);
      if (min < max && !(mass >= std::numeric_limits<double>::min())) {
        return "the interval [min, max] lies too far in the normal's tail (more than 37 sd from the mean)";
      }
      return {};
    }
    case DistributionKind::discrete:
      return values.empty() ? "a discrete distribution needs at least one value" : "";
  }
  return "unknown distribution kind";
}

double Distribution::quantile(double u) const {
  CASCADE_ASSERT(kind != DistributionKind::discrete, "quantile of a discrete distribution (use value_index)");
  CASCADE_ASSERT(!std::isnan(u), "quantile at NaN");
  u = std::clamp(u, 0.0, 1.0);
  // The bounds themselves, exactly: grid and Morris levels sit on them.
  if (u == 0.0) return min;
  if (u == 1.0) return max;
  double x = min;
  switch (kind) {
    case DistributionKind::uniform:
      x = min + u * (max - min);
      break;
    case DistributionKind::log_uniform: {
      const double log_min = std::log(min);
      x = std::exp(log_min + u * (std::log(max) - log_min));
      break;
    }
    case DistributionKind::normal:
      x = mean + sd * truncated_standard_normal_quantile((min - mean) / sd, (max - mean) / sd, u);
      break;
    case DistributionKind::discrete:
      break;
  }
  CASCADE_ASSERT(!std::isnan(x), "quantile of a distribution that problem() rejects");
  // Rounding may step a hair outside the bounds; the value never leaves them.
  return std::clamp(x, min, max);
}

std::size_t Distribution::value_index(double u) const {
  CASCADE_ASSERT(kind == DistributionKind::discrete, "value_index of a continuous distribution (use quantile)");
  CASCADE_ASSERT(!values.empty(), "discrete distribution without values");
  CASCADE_ASSERT(!std::isnan(u), "value_index at NaN");
  const std::size_t n = values.size();
  const double scaled = std::floor(std::clamp(u, 0.0, 1.0) * static_cast<double>(n));
  return std::min(n - 1, static_cast<std::size_t>(scaled));
}

}  // namespace cascade::sweep
