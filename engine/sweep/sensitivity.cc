#include "engine/sweep/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/core/diagnostics.h"
#include "engine/core/rng.h"

namespace cascade::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_inputs(const Design& design, DesignMethod method, std::span<const double> y,
                  const BootstrapSpec& bootstrap) {
  const std::string name(to_string(method));
  if (design.spec().method != method) {
    throw std::invalid_argument(name + " indices need a " + name + " design, got a " +
                                std::string(to_string(design.spec().method)) + " design");
  }
  if (y.size() != design.point_count()) {
    throw std::invalid_argument(name + " indices need one output per design point (" +
                                std::to_string(design.point_count()) + "), got " + std::to_string(y.size()));
  }
  if (!(bootstrap.confidence > 0.0 && bootstrap.confidence < 1.0)) {
    throw std::invalid_argument("bootstrap confidence must lie strictly between 0 and 1");
  }
}

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// Resample `resample` of a bootstrap over `n` units: n draws with replacement, keyed by seed.
void draw_resample(const BootstrapSpec& bootstrap, std::uint32_t resample, std::vector<std::size_t>& rows) {
  const std::uint64_t n = rows.size();
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t bits = random_bits64(bootstrap.seed, RngPurpose::bootstrap_draw, i, resample);
    rows[i] = static_cast<std::size_t>(index_below(bits, n));
  }
}

// The central `confidence` interval of the finite values (percentiles with linear
// interpolation between order statistics, as numpy's default); NaN when there are none.
Interval percentile_interval(std::vector<double> values, double confidence) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return {kNaN, kNaN};
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    const double h = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(h));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (h - static_cast<double>(below)) * (values[above] - values[below]);
  };
  return {at(0.5 * (1.0 - confidence)), at(0.5 * (1.0 + confidence))};
}

// The outputs of the usable base samples of a Saltelli design, centred by the mean of all
// f(A_j) and f(B_j): row r holds f(A), f(AB^1..k), [f(BA^1..k)], f(B) of the r-th usable sample.
struct SaltelliOutputs {
  std::size_t dims = 0;
  std::size_t block = 0;
  std::vector<double> centred;  // rows x block

  std::size_t rows() const { return centred.size() / block; }
  double a(std::size_t row) const { return centred[row * block]; }
  double ab(std::size_t row, std::size_t i) const { return centred[row * block + 1 + i]; }
  double ba(std::size_t row, std::size_t i) const { return centred[row * block + 1 + dims + i]; }
  double b(std::size_t row) const { return centred[row * block + block - 1]; }
};

/// The power-of-two exponent e that brings the largest finite |v| to [1, 2) (0 when there is
/// none): statistics of v x 2^-e, scaled back by 2^e, are those of v bit for bit (a power of two
/// scales exactly), without the overflow or underflow of squares of outputs near 1e160 or 1e-170.
int scale_exponent(std::span<const double> v) {
  double largest = 0.0;
  for (const double x : v)
    if (std::isfinite(x)) largest = std::max(largest, std::abs(x));
  return largest > 0.0 ? std::ilogb(largest) : 0;
}

// V, S_i and ST_i over the base samples `rows` (indices into `out`, repeats allowed).
double first_and_total(const SaltelliOutputs& out, std::span<const std::size_t> rows, std::span<double> first,
                       std::span<double> total) {
  const auto n = static_cast<double>(rows.size());
  double sum = 0.0;
  for (const std::size_t r : rows) sum += out.a(r) + out.b(r);
  const double mean = sum / (2.0 * n);
  double squares = 0.0;
  for (const std::size_t r : rows)
    squares += (out.a(r) - mean) * (out.a(r) - mean) + (out.b(r) - mean) * (out.b(r) - mean);
  const double variance = squares / (2.0 * n);
  for (std::size_t i = 0; i < out.dims; ++i) {
    double first_sum = 0.0, total_sum = 0.0;
    for (const std::size_t r : rows) {
      const double change = out.ab(r, i) - out.a(r);
      first_sum += out.b(r) * change;
      total_sum += change * change;
    }
    first[i] = variance > 0.0 ? first_sum / n / variance : kNaN;
    total[i] = variance > 0.0 ? 0.5 * total_sum / n / variance : kNaN;
  }
  return variance;
}

}  // namespace

SobolResult sobol_indices(const Design& design, std::span<const double> y, const BootstrapSpec& bootstrap) {
  check_inputs(design, DesignMethod::saltelli, y, bootstrap);
  const std::size_t k = design.dims();
  const std::size_t block = design.saltelli_block();
  SobolResult result;
  result.base_samples = design.spec().samples;

  SaltelliOutputs out{.dims = k, .block = block, .centred = {}};
  const int exponent = scale_exponent(y);
  for (std::uint64_t j = 0; j < result.base_samples; ++j) {
    const auto outputs = y.subspan(j * block, block);
    if (!all_finite(outputs)) continue;
    for (const double v : outputs) out.centred.push_back(std::ldexp(v, -exponent));
  }
  result.base_samples_used = out.rows();
  if (out.rows() < 2) {
    throw std::invalid_argument("Sobol' indices need at least 2 base samples whose outputs are all finite, got " +
                                std::to_string(out.rows()));
  }
  double mean = 0.0;
  for (std::size_t r = 0; r < out.rows(); ++r) mean += out.a(r) + out.b(r);
  mean /= 2.0 * static_cast<double>(out.rows());
  for (double& v : out.centred) v -= mean;

  std::vector<std::size_t> rows(out.rows());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  result.first_order.assign(k, 0.0);
  result.total_order.assign(k, 0.0);
  const double variance = first_and_total(out, rows, result.first_order, result.total_order);  // of the scaled outputs
  result.variance = std::ldexp(variance, 2 * exponent);
  result.constant = !(variance > 0.0);

  if (design.spec().second_order) {
    result.second_order.assign(k, std::vector<double>(k, kNaN));
    const auto n = static_cast<double>(out.rows());
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = i + 1; j < k; ++j) {
        double sum = 0.0;
        for (std::size_t r = 0; r < out.rows(); ++r) sum += out.ba(r, i) * out.ab(r, j) - out.a(r) * out.b(r);
        result.second_order[i][j] =
            variance > 0.0 ? sum / n / variance - result.first_order[i] - result.first_order[j] : kNaN;
      }
    }
  }

  std::vector<std::vector<double>> first_draws(k), total_draws(k);
  std::vector<double> first(k), total(k);
  for (std::uint32_t resample = 0; resample < bootstrap.resamples; ++resample) {
    draw_resample(bootstrap, resample, rows);
    first_and_total(out, rows, first, total);
    for (std::size_t i = 0; i < k; ++i) {
      first_draws[i].push_back(first[i]);
      total_draws[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    result.first_order_ci.push_back(percentile_interval(std::move(first_draws[i]), bootstrap.confidence));
    result.total_order_ci.push_back(percentile_interval(std::move(total_draws[i]), bootstrap.confidence));
  }
  return result;
}

MorrisResult morris_indices(const Design& design, std::span<const double> y, const BootstrapSpec& bootstrap) {
  check_inputs(design, DesignMethod::morris, y, bootstrap);
  const std::size_t k = design.dims();
  const double delta = design.morris_delta();
  MorrisResult result;
  result.trajectories = design.spec().samples;

  // effects[t * k + i]: the elementary effect of factor i in the t-th usable trajectory.
  std::vector<double> effects;
  std::vector<double> before(k), after(k);
  for (std::uint64_t t = 0; t < result.trajectories; ++t) {
    const std::uint64_t first_point = t * (k + 1);
    if (!all_finite(y.subspan(first_point, k + 1))) continue;
    const std::size_t offset = effects.size();
    effects.resize(offset + k, kNaN);
    design.point(first_point, before);
    for (std::size_t step = 1; step <= k; ++step) {
      design.point(first_point + step, after);
      std::size_t moved = k;
      for (std::size_t i = 0; i < k; ++i) {
        if (after[i] == before[i]) continue;
        CASCADE_ASSERT(moved == k, "a Morris step moved more than one factor");
        moved = i;
      }
      CASCADE_ASSERT(moved < k && std::isnan(effects[offset + moved]), "a Morris trajectory moved a factor twice");
      const double signed_delta = after[moved] > before[moved] ? delta : -delta;
      effects[offset + moved] = (y[first_point + step] - y[first_point + step - 1]) / signed_delta;
      std::swap(before, after);
    }
  }
  const std::size_t used = effects.size() / k;
  result.trajectories_used = used;
  const int exponent = scale_exponent(effects);
  for (double& e : effects) e = std::ldexp(e, -exponent);
  if (used < 2) {
    throw std::invalid_argument("Morris indices need at least 2 trajectories whose outputs are all finite, got " +
                                std::to_string(used));
  }

  auto mean_abs = [&](std::span<const std::size_t> rows, std::size_t i) {
    double sum = 0.0;
    for (const std::size_t t : rows) sum += std::abs(effects[t * k + i]);
    return sum / static_cast<double>(rows.size());
  };
  std::vector<std::size_t> rows(used);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  for (std::size_t i = 0; i < k; ++i) {
    double sum = 0.0;
    for (std::size_t t = 0; t < used; ++t) sum += effects[t * k + i];
    const double mu = sum / static_cast<double>(used);
    double squares = 0.0;
    for (std::size_t t = 0; t < used; ++t) squares += (effects[t * k + i] - mu) * (effects[t * k + i] - mu);
    result.mu.push_back(std::ldexp(mu, exponent));
    result.mu_star.push_back(std::ldexp(mean_abs(rows, i), exponent));
    result.sigma.push_back(std::ldexp(std::sqrt(squares / static_cast<double>(used - 1)), exponent));
  }

  std::vector<std::vector<double>> draws(k);
  for (std::uint32_t resample = 0; resample < bootstrap.resamples; ++resample) {
    draw_resample(bootstrap, resample, rows);
    for (std::size_t i = 0; i < k; ++i) draws[i].push_back(mean_abs(rows, i));
  }
  for (std::size_t i = 0; i < k; ++i) {
    const Interval scaled = percentile_interval(std::move(draws[i]), bootstrap.confidence);
    result.mu_star_ci.push_back({std::ldexp(scaled.low, exponent), std::ldexp(scaled.high, exponent)});
  }
  return result;
}

}  // namespace cascade::sweep
