#include "engine/sweep/sensitivity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace cascade::sweep {
namespace {

using Model = std::function<double(const std::vector<double>&)>;

// The model's output at every design point, in point order.
std::vector<double> evaluate(const Design& d, const Model& f) {
  std::vector<double> y(d.point_count()), u(d.dims());
  for (std::uint64_t p = 0; p < d.point_count(); ++p) {
    d.point(p, u);
    y[p] = f(u);
  }
  return y;
}

// Ishigami and Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3, written on the unit cube.
constexpr double kIshigamiA = 7.0, kIshigamiB = 0.1;
double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + kIshigamiA * std::sin(x2) * std::sin(x2) + kIshigamiB * std::pow(x3, 4) * std::sin(x1);
}

// Sobol' (1993) G-function: prod_i (|4 u_i - 2| + a_i) / (1 + a_i).
const std::vector<double> kGCoefficients = {0, 1, 4.5, 9, 99, 99, 99, 99};
double g_function(const std::vector<double>& u) {
  double y = 1.0;
  for (std::size_t i = 0; i < u.size(); ++i)
    y *= (std::abs(4 * u[i] - 2) + kGCoefficients[i]) / (1 + kGCoefficients[i]);
  return y;
}

// Tolerance for S_i and ST_i at N = 4096, fixed before the first run: SALib's quick-start
// example (Ishigami, N = 1000 Saltelli base samples) reports 95% bootstrap half-widths of 0.027
// to 0.085; with the 1/sqrt(N) rate that is 0.013 to 0.042 at N = 4096. Scrambled Sobol' points
// integrate these smooth (Ishigami) or piecewise-linear (G) integrands more accurately than the
// independent draws the bootstrap assumes, so every estimate must be within 0.03 of the
// analytic value, and the analytic value inside the reported interval.
constexpr double kIndexTolerance = 0.03;
constexpr std::uint64_t kBaseSamples = 4096;

void expect_index(double estimate, Interval ci, double truth, const char* what, std::size_t i) {
  EXPECT_NEAR(estimate, truth, kIndexTolerance) << what << i;
  EXPECT_LE(ci.low, truth) << what << i;
  EXPECT_GE(ci.high, truth) << what << i;
  EXPECT_LE(ci.low, estimate) << what << i;
  EXPECT_GE(ci.high, estimate) << what << i;
}

TEST(SobolIndices, IshigamiMatchesTheAnalyticIndices) {
  // Analytic variances (Ishigami and Homma 1990; Saltelli et al. 2008, "Global Sensitivity
  // Analysis: The Primer"): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V3 = 0,
  // V13 = 8 b^2 pi^8 / 225, V = V1 + V2 + V13. S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const double a = kIshigamiA, b = kIshigamiB, pi4 = std::pow(std::numbers::pi, 4);
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), v2 = a * a / 8, v13 = 8 * b * b * pi4 * pi4 / 225;
  const double v = v1 + v2 + v13;
  const std::vector<double> first = {v1 / v, v2 / v, 0.0}, total = {(v1 + v13) / v, v2 / v, v13 / v};
  EXPECT_NEAR(first[0], 0.3139, 1e-4);  // the rounded values quoted in the literature
  EXPECT_NEAR(total[2], 0.2437, 1e-4);

  const Design d({.method = DesignMethod::saltelli, .samples = kBaseSamples, .seed = 2024, .second_order = true}, 3);
  const SobolResult s = sobol_indices(d, evaluate(d, ishigami), {});
  EXPECT_EQ(s.base_samples, kBaseSamples);
  EXPECT_EQ(s.base_samples_used, kBaseSamples);
  EXPECT_NEAR(s.variance, v, 0.05 * v);  // a variance from 2N = 8192 points: a few per cent at most
  for (std::size_t i = 0; i < 3; ++i) {
    expect_index(s.first_order[i], s.first_order_ci[i], first[i], "S", i);
    expect_index(s.total_order[i], s.total_order_ci[i], total[i], "ST", i);
  }
  // Second order: S_13 = V13 / V, S_12 = S_23 = 0. The S_ij estimator combines V_ij with two
  // first-order estimates, so its error is about twice theirs: tolerance 2 x 0.03.
  ASSERT_EQ(s.second_order.size(), 3u);
  EXPECT_NEAR(s.second_order[0][2], v13 / v, 2 * kIndexTolerance);
  EXPECT_NEAR(s.second_order[0][1], 0.0, 2 * kIndexTolerance);
  EXPECT_NEAR(s.second_order[1][2], 0.0, 2 * kIndexTolerance);
}

TEST(SobolIndices, GFunctionMatchesTheAnalyticIndices) {
  // Sobol' (1993): V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, S_i = V_i / V,
  // ST_i = V_i prod_{j != i} (1 + V_j) / V.
  const std::size_t k = kGCoefficients.size();
  std::vector<double> partial(k);
  double product = 1.0;
  for (std::size_t i = 0; i < k; ++i) {
    partial[i] = 1.0 / (3.0 * (1 + kGCoefficients[i]) * (1 + kGCoefficients[i]));
    product *= 1 + partial[i];
  }
  const double v = product - 1.0;

  const Design d({.method = DesignMethod::saltelli, .samples = kBaseSamples, .seed = 7}, k);
  const SobolResult s = sobol_indices(d, evaluate(d, g_function), {});
  EXPECT_TRUE(s.second_order.empty());
  for (std::size_t i = 0; i < k; ++i) {
    expect_index(s.first_order[i], s.first_order_ci[i], partial[i] / v, "S", i);
    expect_index(s.total_order[i], s.total_order_ci[i], partial[i] * product / (1 + partial[i]) / v, "ST", i);
  }
}

TEST(SobolIndices, DropsBaseSamplesWithMissingOutputs) {
  const Design d({.method = DesignMethod::saltelli, .samples = 256, .seed = 3}, 3);
  std::vector<double> y = evaluate(d, ishigami);
  const SobolResult complete = sobol_indices(d, y, {.resamples = 50});
  y[7 * 5 + 2] = std::nan("");  // base sample 7, AB^2
  y[100 * 5] = INFINITY;        // base sample 100, A
  const SobolResult partial = sobol_indices(d, y, {.resamples = 50});
  EXPECT_EQ(partial.base_samples, 256u);
  EXPECT_EQ(partial.base_samples_used, 254u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isfinite(partial.first_order[i]));
    EXPECT_NE(partial.first_order[i], complete.first_order[i]);
  }
  // The same as a design whose outputs never had those two base samples: check on V.
  std::vector<double> kept;
  for (std::uint64_t j = 0; j < 256; ++j) {
    if (j == 7 || j == 100) continue;
    kept.push_back(y[j * 5]);
    kept.push_back(y[j * 5 + 4]);
  }
  double mean = 0.0, squares = 0.0;
  for (const double x : kept) mean += x / static_cast<double>(kept.size());
  for (const double x : kept) squares += (x - mean) * (x - mean);
  EXPECT_NEAR(partial.variance, squares / static_cast<double>(kept.size()), 1e-12 * partial.variance);
}

TEST(SobolIndices, ConstantOutputHasNoIndices) {
  const Design d({.method = DesignMethod::saltelli, .samples = 16, .seed = 3}, 2);
  const SobolResult s = sobol_indices(d, std::vector<double>(d.point_count(), 4.0), {.resamples = 10});
  EXPECT_EQ(s.variance, 0.0);
  EXPECT_TRUE(s.constant);
  EXPECT_TRUE(std::isnan(s.first_order[0]));
  EXPECT_TRUE(std::isnan(s.total_order_ci[1].low));
  // Outputs of the order of 1e-170 vary, though their variance (1e-340) is below the smallest
  // double: they are not constant, and have indices.
  const std::vector<double> tiny = evaluate(d, [](const std::vector<double>& u) { return 1e-170 * (u[0] + 2 * u[1]); });
  const SobolResult small = sobol_indices(d, tiny, {.resamples = 10});
  EXPECT_EQ(small.variance, 0.0);
  EXPECT_FALSE(small.constant);
  EXPECT_FALSE(std::isnan(small.first_order[0]));
}

TEST(SobolIndices, BootstrapIsDeterministicAndKeyedBySeed) {
  const Design d({.method = DesignMethod::saltelli, .samples = 128, .seed = 3}, 3);
  const std::vector<double> y = evaluate(d, ishigami);
  const SobolResult one = sobol_indices(d, y, {.resamples = 200, .seed = 1});
  const SobolResult again = sobol_indices(d, y, {.resamples = 200, .seed = 1});
  const SobolResult other = sobol_indices(d, y, {.resamples = 200, .seed = 2});
  EXPECT_EQ(one.first_order_ci[0].low, again.first_order_ci[0].low);
  EXPECT_EQ(one.total_order_ci[2].high, again.total_order_ci[2].high);
  EXPECT_NE(one.first_order_ci[0].low, other.first_order_ci[0].low);
  EXPECT_EQ(one.first_order, other.first_order);  // point estimates use every sample
  // A wider confidence gives a wider interval.
  const SobolResult wide = sobol_indices(d, y, {.resamples = 200, .confidence = 0.99, .seed = 1});
  EXPECT_LT(wide.first_order_ci[1].low, one.first_order_ci[1].low);
  EXPECT_GT(wide.first_order_ci[1].high, one.first_order_ci[1].high);
}

TEST(SobolIndices, RejectsWhatItCannotEstimate) {
  const Design saltelli({.method = DesignMethod::saltelli, .samples = 4}, 2);
  const Design sobol({.method = DesignMethod::sobol, .samples = 16}, 2);
  EXPECT_THROW(sobol_indices(sobol, std::vector<double>(16, 1.0), {}), std::invalid_argument);
  EXPECT_THROW(sobol_indices(saltelli, std::vector<double>(15, 1.0), {}), std::invalid_argument);
  EXPECT_THROW(sobol_indices(saltelli, std::vector<double>(16, 1.0), {.confidence = 1.0}), std::invalid_argument);
  std::vector<double> y(16, 1.0);
  y[0] = y[4] = y[8] = std::nan("");  // base samples 0, 1, 2 of 4: one left
  EXPECT_THROW(sobol_indices(saltelli, y, {}), std::invalid_argument);
}

TEST(MorrisIndices, LinearModelHasItsCoefficientsAsElementaryEffects) {
  // y = sum c_i x_i: every elementary effect of factor i is exactly c_i (up to rounding), so
  // mu = c, mu* = |c|, sigma = 0 and the bootstrap interval of mu* collapses onto |c|.
  const std::vector<double> c = {1.0, -2.0, 0.5, 0.0, 3.0};
  const Model linear = [&](const std::vector<double>& u) {
    double y = 0.0;
    for (std::size_t i = 0; i < u.size(); ++i) y += c[i] * u[i];
    return y;
  };
  const Design d({.method = DesignMethod::morris, .samples = 20, .seed = 9, .levels = {4}}, c.size());
  const MorrisResult m = morris_indices(d, evaluate(d, linear), {.resamples = 100});
  EXPECT_EQ(m.trajectories_used, 20u);
  for (std::size_t i = 0; i < c.size(); ++i) {
    EXPECT_NEAR(m.mu[i], c[i], 1e-12);
    EXPECT_NEAR(m.mu_star[i], std::abs(c[i]), 1e-12);
    EXPECT_NEAR(m.sigma[i], 0.0, 1e-12);
    EXPECT_NEAR(m.mu_star_ci[i].low, std::abs(c[i]), 1e-12);
    EXPECT_NEAR(m.mu_star_ci[i].high, std::abs(c[i]), 1e-12);
  }
}

TEST(MorrisIndices, GFunctionRanksFactorsByTheirCoefficients) {
  // The smaller a_i, the more important factor i (Sobol' 1993); with p = 4 each move changes
  // |4x - 2| by 4/3, scaled by 1 / (1 + a_i), so mu* falls with a_i.
  const Design d({.method = DesignMethod::morris, .samples = 50, .seed = 12, .levels = {4}}, kGCoefficients.size());
  const MorrisResult m = morris_indices(d, evaluate(d, g_function), {});
  EXPECT_GT(m.mu_star[0], m.mu_star[1]);
  EXPECT_GT(m.mu_star[1], m.mu_star[2]);
  EXPECT_GT(m.mu_star[2], m.mu_star[3]);
  const double largest_minor = *std::max_element(m.mu_star.begin() + 4, m.mu_star.end());
  EXPECT_GT(m.mu_star[3], largest_minor);
  // Factor 0's effect changes sign with the side of 1/2 it sits on: mu is far below mu*.
  EXPECT_LT(std::abs(m.mu[0]), 0.5 * m.mu_star[0]);
  for (std::size_t i = 0; i < kGCoefficients.size(); ++i) {
    EXPECT_LE(m.mu_star_ci[i].low, m.mu_star[i]);
    EXPECT_GE(m.mu_star_ci[i].high, m.mu_star[i]);
  }
}

TEST(MorrisIndices, DropsTrajectoriesWithMissingOutputs) {
  const Design d({.method = DesignMethod::morris, .samples = 10, .seed = 2, .levels = {4}}, 3);
  std::vector<double> y = evaluate(d, ishigami);
  y[4 * 4 + 3] = std::nan("");  // trajectory 4, last point
  const MorrisResult m = morris_indices(d, y, {.resamples = 20});
  EXPECT_EQ(m.trajectories, 10u);
  EXPECT_EQ(m.trajectories_used, 9u);
  for (const double mu_star : m.mu_star) EXPECT_TRUE(std::isfinite(mu_star));
  std::fill(y.begin() + 4, y.end(), std::nan(""));  // only trajectory 0 left
  EXPECT_THROW(morris_indices(d, y, {}), std::invalid_argument);
  EXPECT_THROW(morris_indices(Design({.method = DesignMethod::sobol, .samples = 40}, 3), y, {}), std::invalid_argument);
}

}  // namespace
}  // namespace cascade::sweep
