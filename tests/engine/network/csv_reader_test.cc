// plain_decimal (engine/network/csv_reader.h): the fast path for plain decimals in CSV files.
// Its contract is the value std::from_chars gives (the correctly rounded one) whenever it
// accepts, and acceptance exactly for digits with at most one '.', at most 15 significant digits
// and at most 22 after the point (Clinger 1990's fast path: both operands of the division exact).
#include "engine/network/csv_reader.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

namespace cascade {
namespace {

double from_chars_value(const std::string& text) {
  double v = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  EXPECT_TRUE(ec == std::errc() && end == text.data() + text.size()) << text;
  return v;
}

TEST(PlainDecimal, GivesTheValueFromCharsGives) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200'000; ++i) {
    // Up to 15 significant digits, leading zeros, and up to 22 after the point.
    const int leading_zeros = static_cast<int>(rng() % 4);
    const int significant = 1 + static_cast<int>(rng() % 15);
    std::string digits(static_cast<std::size_t>(leading_zeros), '0');
    digits += static_cast<char>('1' + rng() % 9);
    for (int k = 1; k < significant; ++k) digits += static_cast<char>('0' + rng() % 10);
    const std::size_t point = rng() % (std::min<std::size_t>(digits.size(), 22) + 1);
    std::string text = digits;
    if (point > 0 || rng() % 2) text.insert(text.size() - point, ".");
    const std::optional<double> fast = plain_decimal(text);
    ASSERT_TRUE(fast.has_value()) << text;
    const double exact = from_chars_value(text);
    EXPECT_EQ(std::memcmp(&*fast, &exact, sizeof exact), 0) << text;
  }
}

/// The acceptance rule of the header, written out as stated: non-empty, at most 24 bytes,
/// digits with at most one '.' and at least one digit, at most 15 significant digits (from the
/// first non-zero digit on, trailing zeros included) and at most 22 after the point.
bool accepted_by_the_rule(const std::string& text) {
  if (text.empty() || text.size() > 24) return false;
  int points = 0, digits = 0, significant = 0, after_point = 0;
  bool seen_non_zero = false;
  for (const char c : text) {
    if (c == '.') {
      ++points;
      continue;
    }
    if (c < '0' || c > '9') return false;
    ++digits;
    seen_non_zero = seen_non_zero || c != '0';
    if (seen_non_zero) ++significant;
    if (points == 1) ++after_point;
  }
  return points <= 1 && digits >= 1 && significant <= 15 && after_point <= 22;
}

TEST(PlainDecimal, AcceptsExactlyWhatTheRuleAcceptsOnRandomText) {
  // Strings over digits, points and a few other bytes, zeros and points drawn often, so that
  // every limit (length, significant digits, digits after the point, a second point) is met
  // on both sides.
  constexpr std::string_view kBytes = "0000000123456789....e-+ ,";
  std::mt19937_64 rng(29);
  std::size_t accepted = 0;
  for (int i = 0; i < 300'000; ++i) {
    std::string text(rng() % 27, ' ');
    const std::size_t alphabet = rng() % 2 ? kBytes.size() : 20;  // half of them digits and points only
    for (char& c : text) c = kBytes[rng() % alphabet];
    const std::optional<double> fast = plain_decimal(text);
    ASSERT_EQ(fast.has_value(), accepted_by_the_rule(text)) << "'" << text << "'";
    if (!fast) continue;
    ++accepted;
    const double exact = from_chars_value(text);
    ASSERT_EQ(std::memcmp(&*fast, &exact, sizeof exact), 0) << text;
  }
  EXPECT_GT(accepted, 10'000u);  // the draw reaches the accepting side often enough to test it
}

TEST(PlainDecimal, AcceptsOnlyPlainDecimalsItCanRoundExactly) {
  // Hand-checked cases on either side of each limit.
  for (const char* text :
       {"0", "12", "0.25", "3.", ".5", "999999999999999", "0.0000000000000000000001",  // 22 after the point
        "0000000000000000000001.5", "0.0000000000000000001234"})
    EXPECT_TRUE(plain_decimal(text).has_value()) << text;
  EXPECT_EQ(*plain_decimal("3."), 3.0);
  EXPECT_EQ(*plain_decimal(".5"), 0.5);
  EXPECT_EQ(*plain_decimal("0000000000000000000001.5"), 1.5);
  for (const char* text : {"", ".", "..", "1.2.3", "-1", "+1", "1e5", "inf", "nan", " 1", "1 ", "1,5",
                           "1000000000000000",               // 16 significant digits
                           ".00000000000000000000001",       // 23 after the point
                           "1.000000000000000000000",        // 22 significant digits (trailing zeros count)
                           "1234567890.1234567",             // 17 significant digits
                           "0000000000000000000000000001"})  // longer than 24 bytes
    EXPECT_FALSE(plain_decimal(text).has_value()) << text;
}

}  // namespace
}  // namespace cascade
