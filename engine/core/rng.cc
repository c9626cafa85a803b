#include "engine/core/rng.h"

#include <cmath>
#include <numbers>

namespace cascade {
namespace {
constexpr std::uint32_t kMul0 = 0xD2511F53u;
constexpr std::uint32_t kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;

std::array<std::uint32_t, 4> counter_of(const RngKey& k) {
  return {k.replication, static_cast<std::uint32_t>(k.tick), k.firm, static_cast<std::uint32_t>(k.purpose)};
}
std::array<std::uint32_t, 2> key_of(const RngKey& k) {
  return {static_cast<std::uint32_t>(k.seed), static_cast<std::uint32_t>(k.seed >> 32)};
}
double to_unit(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);  // 53 bits
  return static_cast<double>(bits & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
}
}  // namespace

std::array<std::uint32_t, 4> philox4x32(std::array<std::uint32_t, 4> ctr, std::array<std::uint32_t, 2> key) {
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(kMul0) * ctr[0];
    const std::uint64_t p1 = static_cast<std::uint64_t>(kMul1) * ctr[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    ctr = {hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0};
    key[0] += kWeyl0;
    key[1] += kWeyl1;
  }
  return ctr;
}

double uniform01(const RngKey& key) {
  const auto block = philox4x32(counter_of(key), key_of(key));
  return to_unit(block[0], block[1]);
}

double standard_normal(const RngKey& key) {
  const auto block = philox4x32(counter_of(key), key_of(key));
  const double u1 = 1.0 - to_unit(block[0], block[1]);  // (0, 1]: log is finite
  const double u2 = to_unit(block[2], block[3]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t random_bits64(std::uint64_t seed, RngPurpose purpose, std::uint64_t index, std::uint32_t stream) {
  const auto block = philox4x32({static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), stream,
                                 static_cast<std::uint32_t>(purpose)},
                                {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
  return (static_cast<std::uint64_t>(block[0]) << 32) | block[1];
}

std::uint64_t index_below(std::uint64_t bits, std::uint64_t bound) {
  // The high 64 bits of the 128-bit product, from 32-bit halves (portable C++).
  constexpr std::uint64_t kLow32 = 0xFFFFFFFFu;
  const std::uint64_t a_lo = bits & kLow32, a_hi = bits >> 32, b_lo = bound & kLow32, b_hi = bound >> 32;
  const std::uint64_t hi_lo = a_hi * b_lo;
  const std::uint64_t middle = ((a_lo * b_lo) >> 32) + (hi_lo & kLow32) + a_lo * b_hi;
  return a_hi * b_hi + (hi_lo >> 32) + (middle >> 32);
}

}  // namespace cascade
