// Global sensitivity indices from a finished design: Sobol' first-order and total indices
// (Saltelli design) and Morris elementary-effect statistics (Morris design).
//
//   Design d({.method = DesignMethod::saltelli, .samples = 4096, .seed = 1}, 3);
//   std::vector<double> y(d.point_count());   // the model's output at every point, in order
//   SobolResult s = sobol_indices(d, y, {});  // s.first_order[i], s.total_order_ci[i], ...
//
// Estimators (docs/sensitivity.md), over the N usable base samples j:
// - first order, Saltelli et al. (2010), table 2 (b):
//     V_i = mean_j f(B_j) (f(AB^i_j) - f(A_j)),  S_i = V_i / V;
// - total, Jansen (1999):  VT_i = mean_j (f(A_j) - f(AB^i_j))^2 / 2,  ST_i = VT_i / V;
// - second order (with second_order designs), Saltelli (2002) as in SALib:
//     V_ij = mean_j f(BA^i_j) f(AB^j_j) - f(A_j) f(B_j),  S_ij = V_ij / V - S_i - S_j;
//   with V the variance (divisor 2N) of the 2N values f(A_j) and f(B_j) together. Outputs are
//   first centred by the mean of those 2N values (SALib uses the mean of all the outputs), so
//   that a large constant offset in the output does not inflate the estimators' error, and
//   scaled by a power of two (exactly) so that their squares neither overflow nor underflow.
//   When V = 0 (the output does not vary) every index is NaN: no share of a zero variance can
//   be attributed.
// - Morris: elementary effects EE_i = (f(x + delta e_i) - f(x)) / (+-delta), in unit-cube
//   units, per trajectory step; mu = mean EE, mu* = mean |EE| (Campolongo et al. 2007),
//   sigma = standard deviation of EE (divisor r - 1).
// Confidence intervals: percentile bootstrap over base samples (Sobol') or trajectories
// (Morris), `resamples` draws keyed by `seed` (counter-based: the same interval on every
// machine); percentiles interpolate linearly between order statistics (numpy's default) and
// skip resamples whose index is NaN. With `resamples` = 0 the intervals are NaN. Second-order
// indices have no interval.
//
// Missing outputs (NaN or infinite, e.g. a failed run) drop their whole base sample or
// trajectory; the result says how many were used.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/sweep/design.h"

namespace cascade::sweep {

struct BootstrapSpec {
  std::uint32_t resamples = 1000;
  double confidence = 0.95;  ///< central interval, in (0, 1)
  std::uint64_t seed = 1;
};

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

struct SobolResult {
  std::uint64_t base_samples = 0;       ///< N in the design
  std::uint64_t base_samples_used = 0;  ///< those whose every output was finite
  double variance = 0.0;                ///< V (0 also when it is below the smallest double)
  /// Every output used is the same (V is 0, not just below the smallest double): each index, a
  /// share of V, is then NaN.
  bool constant = false;
  std::vector<double> first_order;      ///< S_i, per dimension
  std::vector<double> total_order;      ///< ST_i
  std::vector<Interval> first_order_ci;
  std::vector<Interval> total_order_ci;
  /// dims x dims, S_ij above the diagonal (i < j); empty without second_order.
  std::vector<std::vector<double>> second_order;
};

struct MorrisResult {
  std::uint64_t trajectories = 0;
  std::uint64_t trajectories_used = 0;
  std::vector<double> mu;  ///< per dimension
  std::vector<double> mu_star;
  std::vector<double> sigma;
  std::vector<Interval> mu_star_ci;
};

/// `design` must be a saltelli design and `y` hold one value per point, in point order.
/// Throws std::invalid_argument otherwise, when the confidence is not in (0, 1), or when fewer
/// than 2 base samples are usable.
SobolResult sobol_indices(const Design& design, std::span<const double> y, const BootstrapSpec& bootstrap);

/// `design` must be a morris design and `y` hold one value per point, in point order.
/// Throws std::invalid_argument otherwise, when the confidence is not in (0, 1), or when fewer
/// than 2 trajectories are usable.
MorrisResult morris_indices(const Design& design, std::span<const double> y, const BootstrapSpec& bootstrap);

}  // namespace cascade::sweep
