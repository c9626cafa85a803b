#include "engine/output/text_format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/output/json_file.h"

namespace cascade::output {
namespace {

double parse(const std::string& text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(error, std::errc{}) << text;
  EXPECT_EQ(end, text.data() + text.size()) << text;
  return value;
}

TEST(FormatNumber, WritesTheShortestRoundTripText) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(100.0), "100");
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_number(1e-300), "1e-300");
}

TEST(FormatAmount, WritesFloatResidueAsZeroAndEverythingElseExactly) {
  // Float residue: 0.1 + 0.2 - 0.3 is 5.6e-17 in doubles, exactly 0 in real arithmetic.
  EXPECT_EQ(format_amount(0.1 + 0.2 - 0.3), "0");
  EXPECT_EQ(format_amount(-4.5e-16), "0");
  EXPECT_EQ(format_amount(-0.0), "0");
  EXPECT_EQ(format_amount(kAmountZeroTolerance), "1e-09");  // one dollar in USD bn stays
  EXPECT_EQ(format_amount(-2.5), "-2.5");
  EXPECT_EQ(format_amount(1.0 / 3.0), "0.3333333333333333");
  // User-given values keep every digit.
  EXPECT_EQ(format_number(1e-12), "1e-12");
}

TEST(FormatNumber, RoundTripsExactly) {
  for (const double x :
       {0.1, 1.0 / 3.0, 12345.678901234567, -9.87654321e-12, 6.02214076e23, std::numeric_limits<double>::max(),
        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::lowest()}) {
    EXPECT_EQ(parse(format_number(x)), x) << format_number(x);
  }
}

TEST(FormatNumber, NormalisesNegativeZeroAndNaN) {
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(FormatNumber, AppendsToExistingText) {
  std::string row = "tick,";
  append_number(row, 2.0);
  EXPECT_EQ(row, "tick,2");
}

TEST(WriteNumber, WritesWhatAppendNumberAppendsWithinItsRoom) {
  // The longest shortest form: a negative normal double with 17 digits and a three-digit exponent.
  constexpr char kUnwritten = 'x';  // the room's bytes before writing, to see where writing stopped
  std::string room(kMaxNumberChars + 8, kUnwritten);
  EXPECT_EQ(write_number(room.data(), -2.2250738585072014e-308) - room.data(), 24);
  EXPECT_EQ(room.substr(0, kMaxNumberChars), "-2.2250738585072014e-308");
  EXPECT_EQ(room.substr(kMaxNumberChars), std::string(8, kUnwritten));  // nothing written past the room
  std::mt19937_64 rng(4);
  for (int i = 0; i < 100'000; ++i) {  // random bit patterns: every exponent, NaNs and infinities included
    const std::uint64_t bits = rng();
    double value = 0.0;
    std::memcpy(&value, &bits, sizeof value);
    std::fill(room.begin(), room.end(), kUnwritten);
    char* end = write_number(room.data(), value);
    ASSERT_LE(end - room.data(), static_cast<std::ptrdiff_t>(kMaxNumberChars));
    EXPECT_EQ(std::string(room.data(), end), format_number(value));
  }
}

/// What std::to_chars writes for `value`: the form write_number promises (the file comment of
/// text_format.h), apart from its own spellings of zero and NaN.
std::string to_chars_text(double value) {
  std::array<char, 64> text{};
  return {text.data(), std::to_chars(text.data(), text.data() + text.size(), value).ptr};
}

TEST(WriteNumber, ShortDecimalsAreWrittenAsToCharsWritesThem) {
  // write_number writes decimals of at most 8 places below 2^25 itself (not through
  // std::to_chars): every such value, its neighbours and the edges of that range must come out
  // as std::to_chars writes them, in fixed or scientific notation (100000 is "1e+05").
  std::vector<double> values = {1.0,
                                0.5,
                                0.1,
                                0.001,
                                0.0001,
                                1e-8,
                                1.5e-8,
                                100.0,
                                100000.0,
                                123000.0,
                                1e7,
                                33554432.0,
                                33554431.99999999,
                                33554431.5,
                                0.30000000000000004,
                                31.7963};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 300'000; ++i) {
    const std::uint64_t mantissa = rng() % (std::uint64_t{1} << (rng() % 54));
    const int places = static_cast<int>(rng() % 12);  // some beyond 8 places, for the general path
    values.push_back(static_cast<double>(mantissa) / std::pow(10.0, places));
  }
  for (int exponent = -12; exponent <= 9; ++exponent)
    for (int digits = 1; digits < 1000; ++digits) values.push_back(digits * std::pow(10.0, exponent));
  const std::size_t chosen = values.size();
  for (std::size_t i = 0; i < chosen; ++i) {  // the doubles either side: no short decimal reads back as them
    values.push_back(std::nextafter(values[i], 0.0));
    values.push_back(std::nextafter(values[i], std::numeric_limits<double>::infinity()));
  }
  std::array<char, kMaxNumberChars> room{};
  for (const double magnitude : values) {
    for (const double value : {magnitude, -magnitude}) {
      if (value == 0.0) continue;
      const std::string written(room.data(), write_number(room.data(), value));
      ASSERT_EQ(written, to_chars_text(value)) << "value " << to_chars_text(value);
    }
  }
}

TEST(ValidUtf8, ReplacesWhatAJsonStringReplaces) {
  // An id with a byte that is not UTF-8 is kept as it is in CSV files and written with U+FFFD in
  // JSON: valid_utf8 gives the JSON form, so the two can be matched.
  const std::string id = "bad\xffid\xC3";  // a lone 0xFF, then a lead byte with no continuation
  std::string json;
  append_json_string(json, id);
  EXPECT_EQ("\"" + valid_utf8(id) + "\"", json);
  EXPECT_EQ(valid_utf8(id), "bad\uFFFDid\uFFFD");
  EXPECT_EQ(valid_utf8("caf\xC3\xA9\x01"), "caf\u00E9\x01");  // valid text and controls kept
  EXPECT_EQ(markup_text("caf\xC3\xA9\x01"), "caf\u00E9\uFFFD");
}

TEST(MarkupText, ReplacesEachBidirectionalOverrideAndC1Control) {
  // A firm named "evil\u202Egpu" (right-to-left override) showed the rest of its table row, and
  // of a picture's label, reversed in the page. Each override, isolate (U+2066..U+2069) and C1
  // control (U+009B starts a terminal's escape sequence) is one U+FFFD; the characters beside
  // them, a right-to-left script's letters and marks (U+200F) included, are kept.
  EXPECT_EQ(markup_text("evil\u202Egpu"), "evil\uFFFDgpu");
  EXPECT_EQ(markup_text("a\u202Ab\u202Cc\u2066d\u2069e"), "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
  EXPECT_EQ(markup_text("x\u009B31m"), "x\uFFFD31m");
  EXPECT_EQ(markup_text("\u05E9\u05DC\u200F\u2029\u2065\u206A"), "\u05E9\u05DC\u200F\u2029\u2065\u206A");
  EXPECT_EQ(valid_utf8("evil\u202Egpu"), "evil\u202Egpu");  // JSON and CSV keep the text as it is
  // Messages quote them byte by byte, as they quote C0 controls.
  EXPECT_EQ(excerpt("evil\u202Egpu"), "evil\\xe2\\x80\\xaegpu");
  EXPECT_EQ(excerpt("x\u009By"), "x\\xc2\\x9by");
}

TEST(CsvField, PlainTextIsWrittenVerbatim) {
  std::string out;
  append_csv_field(out, "openai");
  EXPECT_EQ(out, "openai");
}

TEST(CsvField, QuotesFieldsWithSeparatorsQuotesOrLineBreaks) {
  const auto field = [](std::string_view text) {
    std::string out;
    append_csv_field(out, text);
    return out;
  };
  EXPECT_EQ(field("could not pay 5.1 of 6.2, due"), "\"could not pay 5.1 of 6.2, due\"");
  EXPECT_EQ(field("the \"hidden\" debt"), "\"the \"\"hidden\"\" debt\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(field(""), "");
}

TEST(FormatGrouped, GroupsThousandsAndRoundsToTheDecimals) {
  EXPECT_EQ(format_grouped(12345.67, 1), "12,345.7");
  EXPECT_EQ(format_grouped(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(format_grouped(999.96, 1), "1,000.0");  // the rounding carries into a new group
  EXPECT_EQ(format_grouped(-1234.56, 0), "-1,235");
  EXPECT_EQ(format_grouped(12.0, 0), "12");
  EXPECT_EQ(format_usd_bn(20647.84), "20,647.8");
}

TEST(FormatGrouped, NoMinusOnZeroAndWordsForNonFinite) {
  EXPECT_EQ(format_grouped(-0.04, 1), "0.0");
  EXPECT_EQ(format_grouped(-0.0, 2), "0.00");
  EXPECT_EQ(format_grouped(std::nan(""), 1), "nan");
  EXPECT_EQ(format_grouped(-std::numeric_limits<double>::infinity(), 1), "-inf");
}

TEST(DescribeTicks, NamesCommonTickLengths) {
  EXPECT_EQ(describe_ticks(60, 12), "60 monthly ticks");
  EXPECT_EQ(describe_ticks(20, 4), "20 quarterly ticks");
  EXPECT_EQ(describe_ticks(5, 1), "5 annual ticks");
  EXPECT_EQ(describe_ticks(100, 52), "100 ticks of 1/52 year");
}

TEST(JsonString, EscapesAndReadsBackWithAJsonParser) {
  const auto json = [](std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
  };
  EXPECT_EQ(json("bank-7"), "\"bank-7\"");
  EXPECT_EQ(json("a \"q\" \\ b"), "\"a \\\"q\\\" \\\\ b\"");
  EXPECT_EQ(json(std::string("t\tn\nr\rnul\0x\x1f", 12)), "\"t\\tn\\nr\\rnul\\u0000x\\u001f\"");
  // Valid UTF-8 (2, 3 and 4 bytes) is kept; what a JSON parser reads back is the text itself.
  for (const std::string text : {"Société Générale", "中国银行", "bank \xF0\x9F\x8F\xA6", "\x7f"})
    EXPECT_EQ(nlohmann::json::parse(json(text)).get<std::string>(), text) << text;
  // Bytes that are not UTF-8 (Latin-1, a lone continuation byte, a truncated sequence, an
  // overlong form, a surrogate) each become U+FFFD, so the output is always valid JSON.
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(nlohmann::json::parse(json("caf\xE9")).get<std::string>(), "caf" + replacement);
  EXPECT_EQ(nlohmann::json::parse(json("\x80x")).get<std::string>(), replacement + "x");
  EXPECT_EQ(nlohmann::json::parse(json("\xE4\xB8")).get<std::string>(), replacement + replacement);
  EXPECT_EQ(nlohmann::json::parse(json("\xC0\xAF")).get<std::string>(), replacement + replacement);
  EXPECT_EQ(nlohmann::json::parse(json("\xED\xA0\x80")).get<std::string>(), replacement + replacement + replacement);
}

TEST(JsonFloats, AmountsAreCleanedButRatiosAndInputsAreNot) {
  // A computed amount below kAmountZeroTolerance is round-off and written as 0; a relative
  // residual of 2.65e-16 (the baseline's under --audit) was written as 0 too, and a manifest's
  // input of 1e-12 as well.
  const Json doc{{"loss_usd_bn", 3e-12},
                 {"max_conservation_error_relative", 2.65e-16},
                 {"list", Json::array({1e-12, 0.5})},
                 {"nested", {{"share_relative", 1e-15}}}};
  std::string amounts;
  write_json(amounts, doc);
  EXPECT_EQ(amounts,
            "{\n  \"loss_usd_bn\": 0,\n  \"max_conservation_error_relative\": 2.65e-16,\n  \"list\": [\n    0,\n"
            "    0.5\n  ],\n  \"nested\": {\n    \"share_relative\": 1e-15\n  }\n}");
  std::string exact;
  write_json(exact, doc, 0, JsonFloats::exact);
  EXPECT_EQ(Json::parse(exact), doc);  // every float as it was
  EXPECT_NE(exact.find("\"loss_usd_bn\": 3e-12"), std::string::npos) << exact;
}

}  // namespace
}  // namespace cascade::output
