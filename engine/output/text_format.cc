#include "engine/output/text_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

#include "engine/core/diagnostics.h"

namespace cascade::output {

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {  // any NaN payload or sign: one spelling
    out += "nan";
    return;
  }
  if (value == 0.0) value = 0.0;  // -0.0 compares equal to 0.0: write both as "0"
  // The shortest round-trip form of a double needs at most 24 characters ("-2.2250738585072014e-308").
  std::array<char, 32> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  CASCADE_ASSERT(error == std::errc{}, "a double's shortest form must fit in 32 characters");
  out.append(buffer.data(), end);
}

void append_amount(std::string& out, double value) { append_number(out, clean_amount(value)); }
std::string format_amount(double value) { return format_number(clean_amount(value)); }

std::string format_number(double value) {
  std::string text;
  append_number(text, value);
  return text;
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
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

}  // namespace cascade::output
