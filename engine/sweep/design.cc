#include "engine/sweep/design.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/core/diagnostics.h"
#include "engine/core/rng.h"
#include "engine/sweep/sobol_directions.h"

namespace cascade::sweep {
namespace {

// Binary digits of a Sobol' coordinate: all 64 are generated and scrambled, the top 53 become
// the double.
constexpr std::size_t kSobolDigits = 64;
// Per Sobol' dimension in the table: 64 direction numbers, then the digital shift.
constexpr std::size_t kSobolStride = kSobolDigits + 1;
// Rounds of the Feistel permutation behind the Latin hypercube's stratum order.
constexpr std::size_t kFeistelRounds = 6;
constexpr std::uint64_t kMaxPointCount = std::uint64_t{1} << 63;

[[noreturn]] void reject(DesignMethod m, const std::string& what) {
  throw std::invalid_argument(std::string(to_string(m)) + " design: " + what);
}

// The direction numbers v_1 .. v_64 of Sobol' dimension `dim` (1-based), v_k = m_k 2^(64-k),
// by the recurrence of Bratley and Fox (1988) as in Joe and Kuo's sobol.cc.
std::array<std::uint64_t, kSobolDigits> sobol_direction_numbers(std::size_t dim) {
  std::array<std::uint64_t, kSobolDigits> v{};
  if (dim == 1) {  // van der Corput: every m_k = 1
    for (std::size_t k = 0; k < kSobolDigits; ++k) v[k] = std::uint64_t{1} << (kSobolDigits - 1 - k);
    return v;
  }
  const SobolPolynomial& poly = sobol_polynomials()[dim - 2];
  const std::size_t s = poly.degree;
  for (std::size_t k = 0; k < s; ++k) v[k] = std::uint64_t{poly.initial[k]} << (kSobolDigits - 1 - k);
  for (std::size_t k = s; k < kSobolDigits; ++k) {
    v[k] = v[k - s] ^ (v[k - s] >> s);
    for (std::size_t i = 1; i < s; ++i) {
      if ((poly.coefficients >> (s - 1 - i)) & 1u) v[k] ^= v[k - i];
    }
  }
  return v;
}

// Matousek's linear matrix scramble: digit i of the result (i = 0 the most significant, bit
// 63) is the parity of the input digits 0 .. i picked by row i of a random lower-triangular
// binary matrix with a unit diagonal. Applied to every direction number, it maps the generator
// matrix C to L C, which keeps each coordinate's (t, m, s)-net property.
void scramble_direction_numbers(std::array<std::uint64_t, kSobolDigits>& v, std::uint64_t seed, std::size_t dim) {
  std::array<std::uint64_t, kSobolDigits> rows{};
  for (std::size_t i = 0; i < kSobolDigits; ++i) {
    const std::uint64_t diagonal = std::uint64_t{1} << (kSobolDigits - 1 - i);
    const std::uint64_t above = ~((diagonal << 1) - 1);  // digits 0 .. i-1 (0 when i = 0)
    rows[i] =
        (random_bits64(seed, RngPurpose::sobol_scramble_matrix, dim, static_cast<std::uint32_t>(i)) & above) | diagonal;
  }
  for (std::uint64_t& direction : v) {
    std::uint64_t scrambled = 0;
    for (std::size_t i = 0; i < kSobolDigits; ++i) {
      if (std::popcount(rows[i] & direction) & 1) scrambled |= std::uint64_t{1} << (kSobolDigits - 1 - i);
    }
    direction = scrambled;
  }
}

// splitmix64's finaliser: the round function of the Feistel network.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A keyed permutation of [0, n): a balanced Feistel network on the smallest domain 2^(2h) >= n,
// walked along its cycle until the value falls back into [0, n) (Black and Rogaway 2002).
std::uint64_t permute(std::uint64_t x, std::uint64_t n, std::span<const std::uint64_t> round_keys) {
  const int needed_bits = std::max(2, static_cast<int>(std::bit_width(n - 1)));
  const int half_bits = (needed_bits + 1) / 2;
  const std::uint64_t half_mask = (std::uint64_t{1} << half_bits) - 1;
  do {
    std::uint64_t left = x >> half_bits, right = x & half_mask;
    for (const std::uint64_t key : round_keys) {
      const std::uint64_t next_right = left ^ (mix64(right ^ key) & half_mask);
      left = right;
      right = next_right;
    }
    x = (left << half_bits) | right;
  } while (x >= n);
  return x;
}

std::uint64_t checked_product(std::uint64_t a, std::uint64_t b, DesignMethod m) {
  if (a != 0 && b > kMaxPointCount / a) reject(m, "more than 2^63 points");
  return a * b;
}

}  // namespace

std::string_view to_string(DesignMethod m) {
  switch (m) {
    case DesignMethod::grid:
      return "grid";
    case DesignMethod::monte_carlo:
      return "monte-carlo";
    case DesignMethod::latin_hypercube:
      return "latin-hypercube";
    case DesignMethod::sobol:
      return "sobol";
    case DesignMethod::saltelli:
      return "saltelli";
    case DesignMethod::morris:
      return "morris";
  }
  throw InternalError("unknown DesignMethod");
}

std::optional<DesignMethod> parse_design_method(std::string_view s) {
  for (const DesignMethod m : {DesignMethod::grid, DesignMethod::monte_carlo, DesignMethod::latin_hypercube,
                               DesignMethod::sobol, DesignMethod::saltelli, DesignMethod::morris}) {
    if (to_string(m) == s) return m;
  }
  return std::nullopt;
}

std::size_t max_sobol_dims() { return 1 + sobol_polynomials().size(); }

Design::Design(DesignSpec spec, std::size_t dims) : spec_(std::move(spec)), dims_(dims) {
  const DesignMethod m = spec_.method;
  if (dims_ == 0) reject(m, "needs at least one parameter");
  if (m != DesignMethod::grid && spec_.samples == 0) reject(m, "samples must be at least 1");
  if (m != DesignMethod::grid && spec_.samples > kMaxPointCount) reject(m, "more than 2^63 samples");
  switch (m) {
    case DesignMethod::grid: {
      if (spec_.levels.size() != dims_) {
        reject(m, "needs one level count per parameter (" + std::to_string(dims_) + "), got " +
                      std::to_string(spec_.levels.size()));
      }
      point_count_ = 1;
      for (const std::uint32_t levels : spec_.levels) {
        if (levels == 0) reject(m, "every parameter needs at least 1 level");
        point_count_ = checked_product(point_count_, levels, m);
      }
      break;
    }
    case DesignMethod::monte_carlo:
      point_count_ = spec_.samples;
      break;
    case DesignMethod::latin_hypercube: {
      point_count_ = spec_.samples;
      table_.reserve(dims_ * kFeistelRounds);
      for (std::size_t d = 0; d < dims_; ++d) {
        for (std::size_t r = 0; r < kFeistelRounds; ++r) {
          table_.push_back(random_bits64(spec_.seed, RngPurpose::latin_permutation, d, static_cast<std::uint32_t>(r)));
        }
      }
      break;
    }
    case DesignMethod::sobol:
    case DesignMethod::saltelli: {
      const std::size_t sobol_dims = m == DesignMethod::sobol ? dims_ : 2 * dims_;
      if (sobol_dims > max_sobol_dims()) {
        reject(m, "supports at most " +
                      std::to_string(m == DesignMethod::sobol ? max_sobol_dims() : max_sobol_dims() / 2) +
                      " parameters, got " + std::to_string(dims_));
      }
      point_count_ = m == DesignMethod::sobol ? spec_.samples : checked_product(spec_.samples, saltelli_block(), m);
      table_.reserve(sobol_dims * kSobolStride);
      for (std::size_t d = 0; d < sobol_dims; ++d) {
        auto v = sobol_direction_numbers(d + 1);
        if (spec_.scramble) scramble_direction_numbers(v, spec_.seed, d);
        table_.insert(table_.end(), v.begin(), v.end());
        table_.push_back(spec_.scramble ? random_bits64(spec_.seed, RngPurpose::sobol_digital_shift, d, 0) : 0);
      }
      break;
    }
    case DesignMethod::morris: {
      if (spec_.levels.size() != 1) {
        reject(m, "needs exactly one level count p, got " + std::to_string(spec_.levels.size()));
      }
      const std::uint32_t p = spec_.levels[0];
      if (p < 2 || p % 2 != 0) {
        reject(m, "the number of levels p must be even and at least 2, got " + std::to_string(p));
      }
      point_count_ = checked_product(spec_.samples, dims_ + 1, m);
      break;
    }
  }
}

std::uint64_t Design::saltelli_block() const {
  if (spec_.method != DesignMethod::saltelli) return 0;
  return spec_.second_order ? 2 * dims_ + 2 : dims_ + 2;
}

double Design::morris_delta() const {
  if (spec_.method != DesignMethod::morris) return 0.0;
  const double p = spec_.levels[0];
  return p / (2.0 * (p - 1.0));
}

double Design::sobol_coordinate(std::uint64_t index, std::size_t sobol_dim) const {
  const std::uint64_t* column = table_.data() + sobol_dim * kSobolStride;
  std::uint64_t x = column[kSobolDigits];  // the digital shift
  for (std::uint64_t gray = index ^ (index >> 1); gray != 0; gray &= gray - 1) x ^= column[std::countr_zero(gray)];
  return unit_from_bits(x);
}

void Design::point(std::uint64_t p, std::span<double> u) const {
  CASCADE_ASSERT(p < point_count_, "design point index out of range");
  CASCADE_ASSERT(u.size() == dims_, "design point buffer has the wrong size");
  const std::size_t k = dims_;
  switch (spec_.method) {
    case DesignMethod::grid: {
      std::uint64_t rest = p;
      for (std::size_t d = k; d-- > 0;) {
        const std::uint32_t levels = spec_.levels[d];
        const std::uint64_t level = rest % levels;
        rest /= levels;
        u[d] = levels == 1 ? 0.5 : static_cast<double>(level) / static_cast<double>(levels - 1);
      }
      return;
    }
    case DesignMethod::monte_carlo:
      for (std::size_t d = 0; d < k; ++d) {
        u[d] =
            unit_from_bits(random_bits64(spec_.seed, RngPurpose::monte_carlo_point, p, static_cast<std::uint32_t>(d)));
      }
      return;
    case DesignMethod::latin_hypercube: {
      const std::uint64_t n = spec_.samples;
      const double n_real = static_cast<double>(n);
      for (std::size_t d = 0; d < k; ++d) {
        const std::uint64_t stratum = permute(p, n, std::span(table_).subspan(d * kFeistelRounds, kFeistelRounds));
        const double offset =
            unit_from_bits(random_bits64(spec_.seed, RngPurpose::latin_position, p, static_cast<std::uint32_t>(d)));
        const double s = static_cast<double>(stratum);
        double x = (s + offset) / n_real;
        // Rounding may carry x across a stratum edge: step back inside, so floor(x n) = stratum.
        while (x > 0.0 && std::floor(x * n_real) > s) x = std::nextafter(x, 0.0);
        while (std::floor(x * n_real) < s) x = std::nextafter(x, 1.0);
        u[d] = x;
      }
      return;
    }
    case DesignMethod::sobol:
      for (std::size_t d = 0; d < k; ++d) u[d] = sobol_coordinate(p, d);
      return;
    case DesignMethod::saltelli: {
      const std::uint64_t block = saltelli_block();
      const std::uint64_t j = p / block, r = p % block;
      // Row j of A is Sobol' coordinates 0 .. k-1, row j of B coordinates k .. 2k-1.
      const bool base_is_b = r == block - 1 || r > k;  // B, or BA^i
      const std::size_t swapped = r == 0 || r == block - 1 ? k : (r <= k ? r - 1 : r - k - 1);
      for (std::size_t d = 0; d < k; ++d) {
        const bool from_b = (d == swapped) != base_is_b;
        u[d] = sobol_coordinate(j, from_b ? k + d : d);
      }
      return;
    }
    case DesignMethod::morris: {
      const std::uint64_t trajectory = p / (k + 1);
      const std::uint64_t step = p % (k + 1);
      const std::uint32_t levels = spec_.levels[0];
      const std::uint32_t half = levels / 2;  // delta = half / (levels - 1)
      // The order in which the factors move: a Fisher-Yates shuffle keyed by the trajectory.
      std::vector<std::size_t> order(k);
      std::iota(order.begin(), order.end(), std::size_t{0});
      for (std::size_t i = k; i-- > 1;) {
        const std::uint64_t bits =
            random_bits64(spec_.seed, RngPurpose::morris_order, trajectory, static_cast<std::uint32_t>(i));
        std::swap(order[i], order[index_below(bits, i + 1)]);
      }
      std::vector<bool> moved(k, false);
      for (std::uint64_t s = 0; s < step; ++s) moved[order[s]] = true;
      for (std::size_t i = 0; i < k; ++i) {
        // Factor i moves between levels `low` and `low + half` (both on the grid, inside [0, 1]);
        // the low bit says which end the trajectory starts from.
        const std::uint64_t bits =
            random_bits64(spec_.seed, RngPurpose::morris_start, trajectory, static_cast<std::uint32_t>(i));
        const std::uint64_t low = index_below(bits, half);
        const bool starts_high = (bits & 1u) != 0;
        const std::uint64_t level = low + ((starts_high != moved[i]) ? half : 0);
        u[i] = static_cast<double>(level) / static_cast<double>(levels - 1);
      }
      return;
    }
  }
  throw InternalError("unknown DesignMethod");
}

}  // namespace cascade::sweep
