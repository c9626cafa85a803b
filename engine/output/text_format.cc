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

std::string format_number(double value) {
  std::string text;
  append_number(text, value);
  return text;
}

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
        out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
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
