#include "engine/sweep/design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

namespace cascade::sweep {
namespace {

std::vector<double> point_of(const Design& d, std::uint64_t p) {
  std::vector<double> u(d.dims());
  d.point(p, u);
  return u;
}

std::vector<std::vector<double>> all_points(const Design& d) {
  std::vector<std::vector<double>> points;
  for (std::uint64_t p = 0; p < d.point_count(); ++p) points.push_back(point_of(d, p));
  return points;
}

TEST(DesignMethodNames, RoundTrip) {
  for (const DesignMethod m : {DesignMethod::grid, DesignMethod::monte_carlo, DesignMethod::latin_hypercube,
                               DesignMethod::sobol, DesignMethod::saltelli, DesignMethod::morris}) {
    EXPECT_EQ(parse_design_method(to_string(m)), m);
  }
  EXPECT_EQ(to_string(DesignMethod::latin_hypercube), "latin-hypercube");
  EXPECT_FALSE(parse_design_method("latin_hypercube").has_value());
}

TEST(Design, RejectsSpecsItCannotBuild) {
  using M = DesignMethod;
  EXPECT_THROW(Design({.method = M::monte_carlo, .samples = 10}, 0), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::latin_hypercube, .samples = 0}, 2), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::grid, .levels = {3}}, 2), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::grid, .levels = {3, 0}}, 2), std::invalid_argument);
  // 65536^4 = 2^64 points.
  EXPECT_THROW(Design({.method = M::grid, .levels = {65536, 65536, 65536, 65536}}, 4), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::morris, .samples = 10, .levels = {5}}, 2), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::morris, .samples = 10}, 2), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::sobol, .samples = 8}, max_sobol_dims() + 1), std::invalid_argument);
  EXPECT_THROW(Design({.method = M::saltelli, .samples = 8}, max_sobol_dims() / 2 + 1), std::invalid_argument);
  // 2^62 base samples x (3 + 2) points each overflows 2^63.
  EXPECT_THROW(Design({.method = M::saltelli, .samples = std::uint64_t{1} << 62}, 3), std::invalid_argument);
  try {
    Design({.method = M::morris, .samples = 10, .levels = {5}}, 2);
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "morris design: the number of levels p must be even and at least 2, got 5");
  }
}

TEST(Design, CountsPoints) {
  EXPECT_EQ(max_sobol_dims(), 512u);
  EXPECT_EQ(Design({.method = DesignMethod::grid, .levels = {2, 3, 4}}, 3).point_count(), 24u);
  const Design saltelli({.method = DesignMethod::saltelli, .samples = 16}, 3);
  EXPECT_EQ(saltelli.saltelli_block(), 5u);
  EXPECT_EQ(saltelli.point_count(), 80u);
  const Design second({.method = DesignMethod::saltelli, .samples = 16, .second_order = true}, 3);
  EXPECT_EQ(second.saltelli_block(), 8u);
  EXPECT_EQ(second.point_count(), 128u);
  const Design morris({.method = DesignMethod::morris, .samples = 10, .levels = {4}}, 3);
  EXPECT_EQ(morris.point_count(), 40u);
  EXPECT_DOUBLE_EQ(morris.morris_delta(), 2.0 / 3.0);  // p / (2 (p - 1)) with p = 4
  EXPECT_EQ(morris.saltelli_block(), 0u);
  // Far larger than memory: the design holds no points.
  EXPECT_EQ(Design({.method = DesignMethod::monte_carlo, .samples = std::uint64_t{1} << 62}, 3).point_count(),
            std::uint64_t{1} << 62);
}

TEST(GridDesign, EnumeratesTheProductLastDimensionFastest) {
  const Design d({.method = DesignMethod::grid, .levels = {2, 3, 1}}, 3);
  const std::vector<std::vector<double>> expected = {{0, 0, 0.5}, {0, 0.5, 0.5}, {0, 1, 0.5},
                                                     {1, 0, 0.5}, {1, 0.5, 0.5}, {1, 1, 0.5}};
  EXPECT_EQ(all_points(d), expected);
}

TEST(MonteCarloDesign, DrawsIndependentUniformCoordinates) {
  const Design d({.method = DesignMethod::monte_carlo, .samples = 10000, .seed = 3}, 2);
  double sum = 0.0;
  for (const auto& u : all_points(d)) {
    for (const double x : u) {
      EXPECT_GE(x, 0.0);
      EXPECT_LT(x, 1.0);
      sum += x;
    }
  }
  // Mean of 20000 uniforms: 0.5 with standard error 0.289 / sqrt(20000) = 0.002; 0.01 is 5 SE.
  EXPECT_NEAR(sum / 20000.0, 0.5, 0.01);
}

TEST(LatinHypercubeDesign, PutsExactlyOnePointInEachStratum) {
  for (const std::uint64_t n : {1u, 2u, 3u, 7u, 64u, 1000u, 4099u}) {
    const std::size_t dims = 4;
    const Design d({.method = DesignMethod::latin_hypercube, .samples = n, .seed = 11}, dims);
    std::vector<std::vector<bool>> taken(dims, std::vector<bool>(n, false));
    for (std::uint64_t p = 0; p < n; ++p) {
      const auto u = point_of(d, p);
      for (std::size_t k = 0; k < dims; ++k) {
        ASSERT_GE(u[k], 0.0);
        ASSERT_LT(u[k], 1.0);
        const auto stratum = static_cast<std::size_t>(std::floor(u[k] * static_cast<double>(n)));
        ASSERT_FALSE(taken[k][stratum]) << "n " << n << " dim " << k << " stratum " << stratum;
        taken[k][stratum] = true;
      }
    }
  }
}

TEST(LatinHypercubeDesign, OrdersStrataDifferentlyInEachDimension) {
  const Design d({.method = DesignMethod::latin_hypercube, .samples = 100, .seed = 5}, 2);
  int same_stratum = 0;
  for (const auto& u : all_points(d)) same_stratum += std::floor(u[0] * 100) == std::floor(u[1] * 100);
  // Two independent random permutations of 100 share about one fixed point; 10 would be absurd.
  EXPECT_LT(same_stratum, 10);
}

// Unscrambled Sobol' points against SciPy 1.10: scipy.stats.qmc.Sobol(512, scramble=False),
// points drawn in order (and with fast_forward for the two large indices). All are dyadic
// rationals, so they are compared exactly.
TEST(SobolDesign, UnscrambledPointsEqualThePublishedSequence) {
  const Design d({.method = DesignMethod::sobol, .samples = 1u << 20, .scramble = false}, 512);
  const std::vector<std::size_t> dims = {1, 2, 3, 10, 100, 201, 512};  // 1-based, as in the table
  const std::vector<std::vector<double>> first_eight = {
      {0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125}, {0.0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
      {0.0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375}, {0.0, 0.5, 0.75, 0.25, 0.625, 0.125, 0.375, 0.875},
      {0.0, 0.5, 0.75, 0.25, 0.875, 0.375, 0.125, 0.625}, {0.0, 0.5, 0.75, 0.25, 0.625, 0.125, 0.375, 0.875},
      {0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125}};
  for (std::uint64_t p = 0; p < 8; ++p) {
    const auto u = point_of(d, p);
    for (std::size_t i = 0; i < dims.size(); ++i) EXPECT_EQ(u[dims[i] - 1], first_eight[i][p]) << dims[i] << " " << p;
  }
  EXPECT_EQ(point_of(d, 1000)[99], 0.1865234375);
  EXPECT_EQ(point_of(d, 1023)[99], 0.5302734375);
  EXPECT_EQ(point_of(d, 1000)[511], 0.3955078125);
  EXPECT_EQ(point_of(d, 1023)[511], 0.6142578125);
  // Indices with 17 and 20 bits use direction numbers from the recurrence, beyond the table's.
  const std::vector<double> at_123456 = {0.02649688720703125, 0.18274688720703125, 0.30725860595703125,
                                         0.24906158447265625, 0.9257736206054688,  0.47328948974609375,
                                         0.9974441528320312};
  const std::vector<double> at_1048575 = {9.5367431640625e-07, 0.9375143051147461,  0.7717370986938477,
                                          0.41405391693115234, 0.03551959991455078, 0.5604867935180664,
                                          0.8508214950561523};
  const auto u = point_of(d, 123456), v = point_of(d, 1048575);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    EXPECT_EQ(u[dims[i] - 1], at_123456[i]) << dims[i];
    EXPECT_EQ(v[dims[i] - 1], at_1048575[i]) << dims[i];
  }
}

// 2^m points of a scrambled Sobol' sequence stay a digital net: each one-dimensional
// projection is a (0, m, 1)-net (one point in each [j/2^m, (j+1)/2^m)), and the first two
// dimensions form a (0, m, 2)-net (one point in every dyadic box of area 2^-m).
TEST(SobolDesign, ScrambledPointsKeepTheNetProperty) {
  constexpr int m = 10;
  constexpr std::uint64_t n = 1u << m;
  const std::size_t dims = 40;
  for (const std::uint64_t seed : {1u, 2u, 99u}) {
    const Design d({.method = DesignMethod::sobol, .samples = n, .seed = seed}, dims);
    const auto points = all_points(d);
    for (std::size_t k = 0; k < dims; ++k) {
      std::set<std::uint64_t> cells;
      for (const auto& u : points) cells.insert(static_cast<std::uint64_t>(std::ldexp(u[k], m)));
      EXPECT_EQ(cells.size(), n) << "seed " << seed << " dim " << k;
    }
    for (int a = 0; a <= m; ++a) {
      std::set<std::pair<std::uint64_t, std::uint64_t>> boxes;
      for (const auto& u : points) {
        boxes.emplace(static_cast<std::uint64_t>(std::ldexp(u[0], a)),
                      static_cast<std::uint64_t>(std::ldexp(u[1], m - a)));
      }
      EXPECT_EQ(boxes.size(), n) << "seed " << seed << " boxes 2^-" << a << " x 2^-" << m - a;
    }
  }
}

TEST(SobolDesign, ScramblingDependsOnTheSeedAndStaysInTheUnitInterval) {
  const Design plain({.method = DesignMethod::sobol, .samples = 64, .scramble = false}, 5);
  const Design one({.method = DesignMethod::sobol, .samples = 64, .seed = 1}, 5);
  const Design two({.method = DesignMethod::sobol, .samples = 64, .seed = 2}, 5);
  EXPECT_NE(all_points(one), all_points(plain));
  EXPECT_NE(all_points(one), all_points(two));
  for (const auto& u : all_points(one)) {
    for (const double x : u) {
      EXPECT_GE(x, 0.0);
      EXPECT_LT(x, 1.0);
    }
  }
}

TEST(SaltelliDesign, BlocksMixColumnsOfAAndBFromOneSobolPoint) {
  const std::size_t k = 4;
  const std::uint64_t n = 32;
  for (const bool scramble : {true, false}) {
    const Design d(
        {.method = DesignMethod::saltelli, .samples = n, .seed = 8, .second_order = true, .scramble = scramble}, k);
    const Design sobol({.method = DesignMethod::sobol, .samples = n, .seed = 8, .scramble = scramble}, 2 * k);
    const std::uint64_t block = d.saltelli_block();
    for (std::uint64_t j = 0; j < n; ++j) {
      const auto base = point_of(sobol, j);
      const std::vector<double> a(base.begin(), base.begin() + k), b(base.begin() + k, base.end());
      EXPECT_EQ(point_of(d, j * block), a);
      EXPECT_EQ(point_of(d, j * block + block - 1), b);
      for (std::size_t i = 0; i < k; ++i) {
        auto ab = a, ba = b;
        ab[i] = b[i];
        ba[i] = a[i];
        EXPECT_EQ(point_of(d, j * block + 1 + i), ab) << "AB^" << i;
        EXPECT_EQ(point_of(d, j * block + 1 + k + i), ba) << "BA^" << i;
      }
    }
  }
  // Without second order the block is A, AB^1 .. AB^k, B.
  const Design first({.method = DesignMethod::saltelli, .samples = n, .seed = 8}, k);
  const Design with_second({.method = DesignMethod::saltelli, .samples = n, .seed = 8, .second_order = true}, k);
  EXPECT_EQ(point_of(first, 2 * (k + 2) + 3), point_of(with_second, 2 * (2 * k + 2) + 3));
  EXPECT_EQ(point_of(first, 2 * (k + 2) + k + 1), point_of(with_second, 2 * (2 * k + 2) + 2 * k + 1));
}

TEST(MorrisDesign, TrajectoriesMoveEachFactorOnceByDelta) {
  for (const std::uint32_t levels : {2u, 4u, 6u}) {
    const std::size_t k = 7;
    const std::uint64_t r = 50;
    const Design d({.method = DesignMethod::morris, .samples = r, .seed = 4, .levels = {levels}}, k);
    const double delta = d.morris_delta();
    EXPECT_DOUBLE_EQ(delta, levels / (2.0 * (levels - 1.0)));
    std::set<std::vector<double>> starts;
    for (std::uint64_t t = 0; t < r; ++t) {
      std::vector<bool> moved(k, false);
      auto before = point_of(d, t * (k + 1));
      starts.insert(before);
      for (std::size_t step = 1; step <= k; ++step) {
        const auto after = point_of(d, t * (k + 1) + step);
        int changed = 0;
        for (std::size_t i = 0; i < k; ++i) {
          // On the grid {0, 1/(p-1), .., 1}:
          const double level = after[i] * (levels - 1);
          EXPECT_EQ(level, std::round(level));
          EXPECT_GE(after[i], 0.0);
          EXPECT_LE(after[i], 1.0);
          if (after[i] == before[i]) continue;
          ++changed;
          EXPECT_FALSE(moved[i]) << "factor " << i << " moved twice";
          moved[i] = true;
          // Grid values l/(p-1) are rounded once each: their difference is delta to 1 ulp of 1.
          EXPECT_NEAR(std::abs(after[i] - before[i]), delta, 1e-15);
        }
        EXPECT_EQ(changed, 1) << "trajectory " << t << " step " << step;
        before = after;
      }
    }
    // With p = 2 there are 2^7 = 128 possible starts; 50 trajectories should not share a few.
    EXPECT_GT(starts.size(), 25u);
  }
}

TEST(Design, IsDeterministicOrderFreeAndSeedDependent) {
  const std::vector<DesignSpec> specs = {
      {.method = DesignMethod::monte_carlo, .samples = 50},
      {.method = DesignMethod::latin_hypercube, .samples = 50},
      {.method = DesignMethod::sobol, .samples = 50},
      {.method = DesignMethod::saltelli, .samples = 10},
      {.method = DesignMethod::morris, .samples = 10, .levels = {4}},
  };
  for (DesignSpec spec : specs) {
    spec.seed = 21;
    const Design d(spec, 3);
    const auto forward = all_points(d);
    EXPECT_EQ(all_points(Design(spec, 3)), forward) << to_string(spec.method);
    for (std::uint64_t p = d.point_count(); p-- > 0;) EXPECT_EQ(point_of(d, p), forward[p]);
    spec.seed = 22;
    EXPECT_NE(all_points(Design(spec, 3)), forward) << to_string(spec.method);
  }
}

}  // namespace
}  // namespace cascade::sweep
