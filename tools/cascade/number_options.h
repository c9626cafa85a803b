// Checks of number options. CLI::Range lets "nan" through (every comparison with NaN is
// false), so options bound to a double are checked with number_in instead.
//
//   sub->add_option("--alpha", alpha)->check(number_in(0.0, 1.0, "a number in [0, 1]"));
//
// Thread safety: pure functions.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cascade::cli {

/// `text` as a finite decimal number (no leading '+', no spaces, no hex, no inf/nan).
std::optional<double> parse_finite(std::string_view text);

/// Accepts a finite decimal number in [lowest, highest]; the message names `description`.
CLI::Validator number_in(double lowest, double highest, std::string description);

}  // namespace cascade::cli
