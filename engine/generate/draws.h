// Random draws for the generators: uniform numbers keyed by (seed, item, draw index, quantity)
// with the engine's counter-based generator (engine/core/rng.h), so a generated network or
// scenario is the same on every machine whatever order it is built in.
//
//   const Draws draws(seed);
//   double u = draws.uniform(node, 0, kCapitalRatio, 0.04, 0.12);  // uniform in [0.04, 0.12)
//
// Thread safety: a value; all functions are pure.
#pragma once

#include <cmath>
#include <cstdint>

#include "engine/core/rng.h"

namespace cascade::generate {

class Draws {
 public:
  explicit Draws(std::uint64_t seed) : seed_(seed) {}

  /// Uniform in [0, 1): draw `index` of quantity `what` (a small number naming what is drawn)
  /// for `item` (a node, firm or exposure index).
  double uniform(std::uint32_t item, std::uint32_t index, std::int32_t what) const {
    return uniform01(
        {.seed = seed_, .replication = index, .tick = what, .firm = item, .purpose = RngPurpose::network_generation});
  }
  double uniform(std::uint32_t item, std::uint32_t index, std::int32_t what, double low, double high) const {
    return low + (high - low) * uniform(item, index, what);
  }
  /// Log-uniform in [low, high).
  double log_uniform(std::uint32_t item, std::uint32_t index, std::int32_t what, double low, double high) const {
    return low * std::exp(std::log(high / low) * uniform(item, index, what));
  }
  /// Uniform in {0, ..., count - 1} (count >= 1).
  std::uint32_t below(std::uint32_t item, std::uint32_t index, std::int32_t what, std::uint32_t count) const {
    const auto k = static_cast<std::uint32_t>(uniform(item, index, what) * count);
    return k < count ? k : count - 1;
  }
  /// Poisson(mean) by inversion (for small means: a node's expected degree).
  std::uint32_t poisson(std::uint32_t item, std::int32_t what, double mean) const {
    const double u = uniform(item, 0, what);
    double p = std::exp(-mean), cdf = p;
    std::uint32_t k = 0;
    while (u > cdf && p > 0.0) {
      ++k;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

 private:
  std::uint64_t seed_;
};

}  // namespace cascade::generate
