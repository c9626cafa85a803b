// Text encodings shared by every run output: numbers and CSV fields; numbers for people.
//
//   std::string row;
//   append_number(row, 0.1);          // "0.1"  (shortest text that reads back as the same double)
//   row += ',';
//   append_csv_field(row, "a, \"b\"");  // "\"a, \"\"b\"\"\""  (RFC 4180 quoting)
//   append_json_string(row, "a\"b");     // "\"a\\\"b\""
//
// Numbers use std::to_chars' shortest round-trip form, so the text is exact (parsing it gives
// back the same bits) and deterministic (no locale, no precision setting). Two deliberate
// normalisations: -0.0 is written as "0" (its sign carries no meaning in Cascade's outputs),
// and non-finite values are written as "nan", "inf" or "-inf" (CSV) by `append_number`; JSON
// writers must check `std::isfinite` themselves, since JSON has no such tokens. Computed results
// go through `append_amount`, which also writes float residue such as -4.5e-16 as 0.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cascade::output {

/// Appends the shortest round-trip decimal text of `value` (see the file comment).
void append_number(std::string& out, double value);

/// Characters append_number writes at most ("-2.2250738585072014e-308").
inline constexpr std::size_t kMaxNumberChars = 24;

/// Writes the text append_number appends at `out`, which must have room for kMaxNumberChars;
/// returns one past its last character. For writers that make room for a whole line at once.
char* write_number(char* out, double value);

/// The shortest round-trip decimal text of `value`.
std::string format_number(double value);

/// Magnitude below which a computed amount is float residue of a sum that is exactly zero in
/// exact arithmetic (1e-9 USD bn is one dollar): written as 0 by `append_amount`.
inline constexpr double kAmountZeroTolerance = 1e-9;

/// `value` with float residue (|value| < kAmountZeroTolerance) replaced by 0.
inline double clean_amount(double value) { return value < kAmountZeroTolerance && value > -kAmountZeroTolerance ? 0.0 : value; }

/// Appends a computed amount (money, index, count): `append_number(clean_amount(value))`. Use
/// it for results; use append_number for values given by users, which must round-trip exactly.
void append_amount(std::string& out, double value);
/// The text append_amount writes.
std::string format_amount(double value);

/// `value` for people: `decimals` decimals, thousands grouped with commas, no "-0.0":
/// format_grouped(12345.67, 1) = "12,345.7"; non-finite values as "nan", "inf", "-inf".
std::string format_grouped(double value, int decimals);

/// Money for people, in USD bn: one decimal, thousands grouped. 12345.67 -> "12,345.7".
inline std::string format_usd_bn(double value) { return format_grouped(value, 1); }

/// "60 monthly ticks" (12 ticks a year), "20 quarterly ticks" (4), "5 annual ticks" (1),
/// otherwise "100 ticks of 1/52 year".
std::string describe_ticks(long long count, int ticks_per_year);

/// Appends `text` as a JSON string literal, quotes included: `"` and `\` escaped, control
/// characters as \n, \t, ... or \u00XX, bytes that are not valid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD, as
/// append_json_string writes it: an id read from a run's CSV files then matches its JSON keys.
std::string valid_utf8(std::string_view text);

/// valid_utf8(text) with control characters other than tab, LF and CR also replaced by U+FFFD,
/// one for each, C1 controls and bidirectional overrides included (starts_with_format_control):
/// text that XML (SVG, HTML) and Graphviz's DOT can hold (a NUL ends DOT's parse), and that
/// cannot reorder the page around it.
std::string markup_text(std::string_view text);

/// Appends `field` as one CSV field: verbatim when it holds no comma, double quote, CR or LF,
/// otherwise enclosed in double quotes with inner quotes doubled (RFC 4180).
void append_csv_field(std::string& out, std::string_view field);
/// The text append_csv_field appends.
std::string csv_field(std::string_view field);

}  // namespace cascade::output
