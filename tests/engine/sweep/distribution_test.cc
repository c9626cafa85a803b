#include "engine/sweep/distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "engine/core/diagnostics.h"

namespace cascade::sweep {
namespace {

Distribution normal(double mean, double sd, double min, double max) {
  return {.kind = DistributionKind::normal, .min = min, .max = max, .mean = mean, .sd = sd};
}

TEST(Distribution, EndpointsAreExactlyMinAndMax) {
  // 0.1 + 1.0 * (0.3 - 0.1) is 0.30000000000000004 in doubles: the bounds must not come from it.
  const std::vector<Distribution> all = {
      {.kind = DistributionKind::uniform, .min = 0.1, .max = 0.3},
      {.kind = DistributionKind::log_uniform, .min = 0.1, .max = 0.3},
      normal(0.2, 0.05, 0.1, 0.3),
      normal(0.0, 1.0, 5.0, 8.0),
  };
  for (const Distribution& d : all) {
    EXPECT_EQ(d.quantile(0.0), d.min);
    EXPECT_EQ(d.quantile(1.0), d.max);
    EXPECT_EQ(d.quantile(-0.5), d.min);  // clamped
    EXPECT_EQ(d.quantile(1.5), d.max);
    EXPECT_EQ(d.problem(), "");
  }
}

TEST(Distribution, UniformAndLogUniformQuantiles) {
  const Distribution uniform{.kind = DistributionKind::uniform, .min = 2.0, .max = 6.0};
  EXPECT_EQ(uniform.quantile(0.25), 3.0);  // 2 + 0.25 * 4
  const Distribution log_uniform{.kind = DistributionKind::log_uniform, .min = 0.1, .max = 10.0};
  // The midpoint is the geometric mean sqrt(0.1 * 10) = 1; u = 0.25 gives 10^-0.5.
  EXPECT_NEAR(log_uniform.quantile(0.5), 1.0, 1e-15);
  EXPECT_NEAR(log_uniform.quantile(0.25), std::pow(10.0, -0.5), 1e-15);
}

// Reference values: scipy.stats.truncnorm.ppf(u, (min - mean) / sd, (max - mean) / sd,
// loc=mean, scale=sd), SciPy 1.10. Both implementations aim at about 1e-15 relative; 1e-13
// leaves room for the last digits of either.
TEST(Distribution, TruncatedNormalQuantilesMatchScipy) {
  struct Case {
    Distribution d;
    double u;
    double expected;
  };
  const std::vector<Case> cases = {
      {normal(0, 1, -1, 2), 0.3, -0.24240381788922707},
      {normal(0, 1, -1, 2), 0.5, 0.17116391801782455},
      {normal(0, 1, -1, 2), 0.9, 1.2557153641502148},
      // Upper tail: Phi(5) and Phi(8) both round near 1; only 1 - Phi keeps the digits.
      {normal(0, 1, 5, 8), 1e-3, 5.00019290110268},
      {normal(0, 1, 5, 8), 0.5, 5.1320183316359245},
      {normal(0, 1, 5, 8), 0.999, 6.197600481591112},
      {normal(0, 1, -9, -6), 0.5, -6.111565061795188},
      {normal(0, 1, -9, -6), 0.99, -6.00163173904042},
      {normal(0.05, 0.02, 0, 0.1), 0.25, 0.03670497678983051},
      {normal(0.05, 0.02, 0, 0.1), 0.75, 0.0632950232101695},
      // Practically untruncated: the familiar 97.5% point of the standard normal.
      {normal(0, 1, -1e3, 1e3), 0.975, 1.959963984540054},
      // Next to the median, Phi^-1(1/2 + d) = sqrt(2 pi) d (1 + pi d^2 / 3 + ...): here the
      // correction is below 1e-24, so sqrt(2 pi) 2^-40 (Acklam alone was 1e-9 off).
      {normal(0, 1, -1e3, 1e3), 0.5 + 0x1p-40, 2.5066282746310002 * 0x1p-40},
      {normal(0, 1, -1e3, 1e3), 0.5 - 0x1p-40, -2.5066282746310002 * 0x1p-40},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(c.d.quantile(c.u), c.expected, 1e-13 * std::abs(c.expected))
        << "[" << c.d.min << ", " << c.d.max << "] at " << c.u;
  }
}

TEST(Distribution, TruncatedNormalIsSymmetricAndIncreasing) {
  const Distribution d = normal(10.0, 2.0, 6.0, 14.0);  // symmetric around the mean
  double previous = d.min;
  for (int i = 1; i <= 99; ++i) {
    const double u = i / 100.0;
    const double x = d.quantile(u);
    EXPECT_GT(x, previous);
    EXPECT_NEAR(x - 10.0, 10.0 - d.quantile(1.0 - u), 1e-13);
    previous = x;
  }
  EXPECT_NEAR(d.quantile(0.5), 10.0, 1e-14);
}

TEST(Distribution, DiscreteValuesSplitTheUnitIntervalEvenly) {
  const Distribution d{.kind = DistributionKind::discrete, .values = {"low", "mid", "high"}};
  EXPECT_TRUE(d.is_discrete());
  // floor(u * 3), with u = 1 kept in the last value.
  EXPECT_EQ(d.value_index(0.0), 0u);
  EXPECT_EQ(d.value_index(0.3333), 0u);
  EXPECT_EQ(d.value_index(1.0 / 3.0), 1u);
  EXPECT_EQ(d.value_index(0.5), 1u);
  EXPECT_EQ(d.value_index(0.7), 2u);
  EXPECT_EQ(d.value_index(1.0), 2u);
  EXPECT_EQ(d.value_index(2.0), 2u);
  EXPECT_THROW(d.quantile(0.5), InternalError);
}

TEST(Distribution, ProblemsAreNamedInPlainWords) {
  EXPECT_EQ((Distribution{.kind = DistributionKind::uniform, .min = 2, .max = 1}).problem(), "min must not exceed max");
  EXPECT_EQ((Distribution{.kind = DistributionKind::log_uniform, .min = 0, .max = 1}).problem(),
            "a log-uniform distribution needs min > 0");
  EXPECT_EQ(normal(0, 0, -1, 1).problem(), "a normal distribution needs a finite sd > 0");
  EXPECT_NE(normal(0, 1, 40, 41).problem(), "");
  EXPECT_EQ((Distribution{.kind = DistributionKind::uniform, .min = 0, .max = INFINITY}).problem(),
            "min and max must be finite numbers");
  EXPECT_EQ((Distribution{.kind = DistributionKind::discrete}).problem(),
            "a discrete distribution needs at least one value");
}

}  // namespace
}  // namespace cascade::sweep
