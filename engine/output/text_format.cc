#include "engine/output/text_format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

#include "engine/core/diagnostics.h"

namespace cascade::output {

namespace {

/// |value| below this and at least 1e-8: a value with at most 8 decimals is written by
/// write_short_decimal. Below 2^25 a double's spacing is under 1e-8, so at most one number of 8
/// decimals reads back as a given double, and value x 1e8 is an integer below 2^53.
constexpr double kShortDecimalBelow = 33554432.0;  // 2^25
constexpr double kShortDecimalScale = 1e8;
constexpr int kShortDecimalPlaces = 8;

/// Writes `value` when it reads back from a decimal of at most 8 places and std::to_chars would
/// write that decimal in fixed notation, exactly as std::to_chars writes it; returns nullptr
/// (nothing written) otherwise. Most amounts given by users (and rounded results) are such
/// decimals, and this takes half the time of the general shortest-form search.
///
/// Why it is to_chars' text: n / 1e8 with n < 2^53 is correctly rounded, so when it equals the
/// value, the decimal n x 10^-8 reads back as the value; it is the only such decimal of 8 places
/// (the spacing argument above), so with its trailing zeros dropped it is the shortest text that
/// reads back, in fixed and in scientific notation alike (the same digits). to_chars writes the
/// shorter of the two notations, fixed on a tie; this writes only when fixed is not longer.
char* write_short_decimal(char* out, double value) {
  const double magnitude = std::fabs(value);
  if (!(magnitude < kShortDecimalBelow && magnitude >= 1.0 / kShortDecimalScale)) return nullptr;
  const auto scaled = static_cast<std::uint64_t>(magnitude * kShortDecimalScale + 0.5);
  if (static_cast<double>(scaled) / kShortDecimalScale != magnitude) return nullptr;
  std::uint64_t digits = scaled;
  int places = kShortDecimalPlaces;
  for (; places > 0 && digits % 10 == 0; --places) digits /= 10;
  std::array<char, 20> reversed{};  // the digits of `digits`, last first
  int count = 0;
  for (std::uint64_t d = digits; d != 0; d /= 10) reversed[count++] = static_cast<char>('0' + d % 10);
  int trailing_zeros = 0;  // of an integer (places 0): scientific notation drops them
  while (trailing_zeros < count - 1 && reversed[trailing_zeros] == '0') ++trailing_zeros;
  const int significant = count - trailing_zeros;
  const int exponent = std::abs(count - 1 - places);
  const int scientific_chars = significant + (significant > 1 ? 1 : 0) + 2 + (exponent >= 100 ? 3 : 2);
  const int fixed_chars = std::max(count - places, 1) + (places > 0 ? 1 + places : 0);
  if (fixed_chars > scientific_chars) return nullptr;
  if (value < 0.0) *out++ = '-';
  if (count <= places) {  // 0.000ddd
    *out++ = '0';
    *out++ = '.';
    out = std::fill_n(out, places - count, '0');
  }
  for (int i = count - 1; i >= 0; --i) {
    *out++ = reversed[i];
    if (i == places && i > 0 && count > places) *out++ = '.';
  }
  return out;
}

}  // namespace

char* write_number(char* out, double value) {
  if (std::isnan(value)) {  // any NaN payload or sign: one spelling
    constexpr std::string_view kNan = "nan";
    return std::copy(kNan.begin(), kNan.end(), out);
  }
  if (value == 0.0) {  // -0.0 compares equal to 0.0: both are "0", to_chars's form of +0
    *out = '0';
    return out + 1;
  }
  if (char* end = write_short_decimal(out, value)) return end;
  const auto [end, error] = std::to_chars(out, out + kMaxNumberChars, value);
  CASCADE_ASSERT(error == std::errc{}, "a double's shortest form must fit in kMaxNumberChars characters");
  return end;
}

void append_number(std::string& out, double value) {
  std::array<char, kMaxNumberChars> buffer{};
  out.append(buffer.data(), write_number(buffer.data(), value));
}

void append_amount(std::string& out, double value) { append_number(out, clean_amount(value)); }
std::string format_amount(double value) { return format_number(clean_amount(value)); }

std::string format_number(double value) {
  std::string text;
  append_number(text, value);
  return text;
}

std::string format_grouped(double value, int decimals) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
  std::array<char, 400> buffer{};  // a double's integer part has at most 309 digits
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::abs(value), std::chars_format::fixed, decimals);
  CASCADE_ASSERT(error == std::errc{}, "a fixed-point double must fit in 400 characters");
  std::string digits(buffer.data(), end);  // "12345.7"
  const std::size_t point = std::min(digits.find('.'), digits.size());
  for (std::size_t i = point; i > 3; i -= 3) digits.insert(i - 3, ",");
  // A negative value that rounds to zero is shown as "0.0", not "-0.0".
  const bool negative = value < 0.0 && digits.find_first_not_of("0.,") != std::string::npos;
  return negative ? "-" + digits : digits;
}

std::string describe_ticks(long long count, int ticks_per_year) {
  const std::string n = std::to_string(count);
  switch (ticks_per_year) {
    case 12:
      return n + " monthly ticks";
    case 4:
      return n + " quarterly ticks";
    case 1:
      return n + " annual ticks";
    default:
      return n + " ticks of 1/" + std::to_string(ticks_per_year) + " year";
  }
}

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

std::string replaced_text(std::string_view text, bool controls) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = byte < 0x80 ? 1 : utf8_sequence_length(text.substr(i));
    if (length == 0 || (controls && byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r')) {
      out += kReplacementCharacter;
      ++i;
    } else if (controls && starts_with_format_control(text.substr(i))) {
      out += kReplacementCharacter;
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace

std::string valid_utf8(std::string_view text) { return replaced_text(text, false); }
std::string markup_text(std::string_view text) { return replaced_text(text, true); }

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  const auto plain = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
  };
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t run = i;
    while (run < text.size() && plain(text[run])) ++run;
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text.substr(i));
      if (length == 0) {
        out += kReplacementCharacter;
        ++i;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
  }
  out += '"';
}

void append_csv_field(std::string& out, std::string_view field) {
  const auto special = [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; };
  if (std::none_of(field.begin(), field.end(), special)) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_field(std::string_view field) {
  std::string out;
  append_csv_field(out, field);
  return out;
}

}  // namespace cascade::output
