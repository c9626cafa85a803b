// Checks of option values: numbers, and output directories. CLI::Range lets "nan" through (every comparison with NaN is
// false), so options bound to a double are checked with number_in instead; and CLI11 reads
// "-1" into an unsigned option as its largest value, so seeds are checked with decimal_in.
//
//   sub->add_option("--alpha", alpha)->check(number_in(0.0, 1.0, "a number in [0, 1]"));
//
// Thread safety: pure functions.
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace cascade::cli {

/// `text` as a finite decimal number (no leading '+', no spaces, no hex, no inf/nan).
std::optional<double> parse_finite(std::string_view text);

/// Accepts a finite decimal number in [lowest, highest]; the message names `description`.
CLI::Validator number_in(double lowest, double highest, std::string description);

/// Refuses an empty text: an output directory given as "" would be the current directory.
CLI::Validator not_empty_directory();

/// `text` as a plain decimal integer within [lowest, highest] (no sign, base prefix or spaces).
template <typename Int>
std::optional<Int> parse_decimal(std::string_view text, Int lowest, Int highest) {
  Int value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text.front() == '-' || text.front() == '+' || error != std::errc{} ||
      end != text.data() + text.size() || value < lowest || value > highest)
    return std::nullopt;
  return value;
}

/// Accepts a decimal integer in [lowest, highest]; the message names `description`.
template <typename Int>
CLI::Validator decimal_in(Int lowest, Int highest, std::string description) {
  return CLI::Validator(
      [=](const std::string& text) -> std::string {
        return parse_decimal<Int>(text, lowest, highest) ? std::string()
                                                         : "must be " + description + ", got '" + text + "'";
      },
      "", description);
}

/// decimal_in with the range as its description: "a whole number from 1 to 1024".
template <typename Int>
CLI::Validator whole_in(Int lowest, Int highest) {
  return decimal_in<Int>(lowest, highest,
                         "a whole number from " + std::to_string(lowest) + " to " + std::to_string(highest));
}

}  // namespace cascade::cli
