#include "engine/output/text_format.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

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
  for (const double x : {0.1, 1.0 / 3.0, 12345.678901234567, -9.87654321e-12, 6.02214076e23,
                         std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(),
                         std::numeric_limits<double>::lowest()}) {
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

}  // namespace
}  // namespace cascade::output
