// A sweep parameter's distribution: maps a design's unit coordinate u in [0, 1] to a value.
//
//   Distribution d{.kind = DistributionKind::log_uniform, .min = 0.1, .max = 10.0};
//   double x = d.quantile(0.5);   // 1.0: the inverse CDF at u
//
// Kinds (docs/sweep-format.md, "Distributions"):
// - uniform(min, max): min + u (max - min);
// - log_uniform(min, max), 0 < min: exp(ln min + u (ln max - ln min));
// - normal(mean, sd) truncated to [min, max]: the inverse CDF of the truncated normal,
//   Phi^-1(Phi(a) + u (Phi(b) - Phi(a))) with a, b the standardised bounds, accurate to about
//   1e-15 relative (so a grid or Morris level at u = 0 or 1 gives exactly min or max);
// - discrete(values): values[min(n - 1, floor(u n))], the values as written in the sweep
//   file (numbers, booleans or names).
//
// Thread safety: immutable value type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cascade::sweep {

enum class DistributionKind : std::uint8_t { uniform, log_uniform, normal, discrete };

struct Distribution {
  DistributionKind kind = DistributionKind::uniform;
  double min = 0.0;                 ///< uniform, log_uniform, normal: lower bound (inclusive)
  double max = 1.0;                 ///< upper bound (inclusive)
  double mean = 0.0;                ///< normal
  double sd = 1.0;                  ///< normal, > 0
  std::vector<std::string> values;  ///< discrete, as written

  bool is_discrete() const { return kind == DistributionKind::discrete; }
  /// What makes this distribution unusable, in plain words ("min must not exceed max"), or an
  /// empty string when it is valid: finite min <= max; log_uniform: min > 0; normal: finite
  /// sd > 0 and [min, max] within about 37 sd of the mean; discrete: at least one value.
  std::string problem() const;
  /// Continuous kinds: the value at u (clamped to [0, 1]); u = 0 gives exactly min, u = 1
  /// exactly max. Precondition: problem() is empty.
  double quantile(double u) const;
  /// Discrete: the index of the value at u. Precondition: problem() is empty.
  std::size_t value_index(double u) const;
};

}  // namespace cascade::sweep
