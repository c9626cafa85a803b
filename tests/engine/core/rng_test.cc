#include "engine/core/rng.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cascade {
namespace {

constexpr std::uint64_t kMax64 = std::numeric_limits<std::uint64_t>::max();

TEST(IndexBelow, IsTheHighWordOfTheProduct) {
  // Hand calculations of floor(bits * bound / 2^64):
  EXPECT_EQ(index_below(0, 10), 0u);
  EXPECT_EQ(index_below(std::uint64_t{1} << 63, 10), 5u);  // 2^63 * 10 / 2^64 = 5
  EXPECT_EQ(index_below(kMax64, 10), 9u);                  // just below 10
  // (2^64 - 1)^2 = 2^128 - 2^65 + 1, whose high word is 2^64 - 2: every carry path is used.
  EXPECT_EQ(index_below(kMax64, kMax64), kMax64 - 1);
  // 0xFFFFFFFF * 2^32 * 3 / 2^64 = 3 (2^32 - 1) / 2^32 -> 2.
  EXPECT_EQ(index_below(std::uint64_t{0xFFFFFFFF} << 32, 3), 2u);
}

TEST(RandomBits64, IsAPureFunctionOfItsKey) {
  const std::uint64_t x = random_bits64(7, RngPurpose::monte_carlo_point, 123, 4);
  EXPECT_EQ(random_bits64(7, RngPurpose::monte_carlo_point, 123, 4), x);
  EXPECT_NE(random_bits64(8, RngPurpose::monte_carlo_point, 123, 4), x);
  EXPECT_NE(random_bits64(7, RngPurpose::latin_position, 123, 4), x);
  EXPECT_NE(random_bits64(7, RngPurpose::monte_carlo_point, 124, 4), x);
  EXPECT_NE(random_bits64(7, RngPurpose::monte_carlo_point, 123 + (std::uint64_t{1} << 32), 4), x);
  EXPECT_NE(random_bits64(7, RngPurpose::monte_carlo_point, 123, 5), x);
}

TEST(UnitFromBits, MapsOntoTheHalfOpenUnitInterval) {
  EXPECT_EQ(unit_from_bits(0), 0.0);
  EXPECT_EQ(unit_from_bits(std::uint64_t{1} << 63), 0.5);
  EXPECT_EQ(unit_from_bits(kMax64), 1.0 - 0x1.0p-53);  // the largest double below 1
}

}  // namespace
}  // namespace cascade
