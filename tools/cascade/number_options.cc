#include "tools/cascade/number_options.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace cascade::cli {

std::optional<double> parse_finite(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

CLI::Validator number_in(double lowest, double highest, std::string description) {
  return CLI::Validator(
      [=](const std::string& text) -> std::string {
        const std::optional<double> v = parse_finite(text);
        return v && *v >= lowest && *v <= highest ? std::string() : "must be " + description + ", got '" + text + "'";
      },
      "", description);
}

CLI::Validator not_empty_directory() {
  return CLI::Validator([](const std::string& text) { return text.empty() ? std::string("must not be empty") : ""; },
                        "", "a directory");
}

}  // namespace cascade::cli
