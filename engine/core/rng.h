// Counter-based random numbers: every draw is a pure function of its key.
//
// A draw is keyed by (run seed, replication, tick, firm, purpose) and computed with
// Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"). There
// is no generator state to share or advance, so results do not depend on the number of
// threads, the order in which firms are processed, or which MPI rank runs a replication.
//
//   const RngKey key{.seed = 42, .replication = 0, .tick = 7, .firm = 3, .purpose = RngPurpose::revenue_noise};
//   double z = standard_normal(key);   // same value on every machine and thread count
//
// Thread safety: all functions are pure.
#pragma once

#include <array>
#include <cstdint>

namespace cascade {

/// What a draw is for; part of the key so that different uses never share a stream.
enum class RngPurpose : std::uint32_t {
  revenue_noise = 1,
  network_generation = 2,  ///< engine/generate: synthetic networks and scenarios
  ai_demand_noise = 3,     ///< the market-wide AI demand path (firm 0 in the key)
  // Sweep designs and sensitivity analysis (engine/sweep): keyed by the design's or the
  // bootstrap's seed with `random_bits64`.
  sobol_scramble_matrix = 101,
  sobol_digital_shift = 102,
  latin_permutation = 103,
  latin_position = 104,
  monte_carlo_point = 105,
  morris_start = 106,
  morris_order = 107,
  bootstrap_draw = 108,
};

struct RngKey {
  std::uint64_t seed = 0;
  std::uint32_t replication = 0;
  std::int32_t tick = 0;
  std::uint32_t firm = 0;
  RngPurpose purpose = RngPurpose::revenue_noise;
};

/// The Philox4x32-10 block for `counter` under `key`.
std::array<std::uint32_t, 4> philox4x32(std::array<std::uint32_t, 4> counter, std::array<std::uint32_t, 2> key);

/// Uniform in [0, 1) with 53 random bits.
double uniform01(const RngKey& key);

/// Standard normal draw (Box–Muller on two uniforms from the same block).
double standard_normal(const RngKey& key);

/// 64 random bits keyed by (seed, purpose, index, stream), for draws that belong to no firm or
/// tick (sweep designs, bootstrap resamples). Distinct purposes never share a stream with each
/// other or with `RngKey` draws: the purpose is the last word of the Philox counter in both.
std::uint64_t random_bits64(std::uint64_t seed, RngPurpose purpose, std::uint64_t index, std::uint32_t stream);

/// An integer in [0, bound) from 64 random bits, by the high word of bits x bound (Lemire
/// 2019 without the rejection step: the bias is below bound / 2^64).
std::uint64_t index_below(std::uint64_t bits, std::uint64_t bound);

/// The top 53 bits of `bits` as a double in [0, 1).
inline double unit_from_bits(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

}  // namespace cascade
