#include "engine/output/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cascade::output {
namespace {
using ::testing::HasSubstr;

/// The message of the InputError `f` throws (fails the test if it throws none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

TEST(SplitCsvLine, UnquotesFieldsAsRfc4180Says) {
  EXPECT_EQ(split_csv_line(R"(a,"b,c","d""e",)"), (std::vector<std::string>{"a", "b,c", "d\"e", ""}));
  EXPECT_EQ(split_csv_line("x,y\r"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(split_csv_line(""), (std::vector<std::string>{""}));
}

TEST(CsvTable, FindsColumnsByNameAndCountsLines) {
  // The second row's detail spans two lines, so the third row starts on line 5.
  const CsvTable t = parse_csv_table("tick,firm,detail\n1,a,plain\n2,b,\"two\nlines\"\n3,c,\"x, y\"\n", "d.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  const std::size_t firm = t.require_column("firm"), detail = t.require_column("detail");
  EXPECT_EQ(t.rows[1].fields[detail], "two\nlines");
  EXPECT_EQ(t.rows[2].fields[detail], "x, y");
  EXPECT_EQ(t.rows[2].fields[firm], "c");
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].line, 3);
  EXPECT_EQ(t.rows[2].line, 5);
  EXPECT_EQ(t.number(t.rows[2], t.require_column("tick")), 3.0);
  EXPECT_FALSE(t.column("missing").has_value());
}

TEST(CsvTable, ColumnsInAnyOrderAndBlankLinesRead) {
  const CsvTable t = parse_csv_table("b,a\n\n2,1\n", "x.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.number(t.rows[0], t.require_column("a")), 1.0);
  EXPECT_EQ(t.number(t.rows[0], t.require_column("b")), 2.0);
}

TEST(CsvTable, BadInputIsAnInputErrorNamingFileAndLine) {
  EXPECT_THAT(error_of([] { parse_csv_table("", "e.csv"); }), HasSubstr("e.csv:1: empty file"));
  EXPECT_THAT(error_of([] { parse_csv_table("a,b\n1\n", "f.csv"); }), HasSubstr("f.csv:2: 1 fields, the header has 2"));
  EXPECT_THAT(error_of([] { parse_csv_table("a\n\"open\n", "q.csv"); }),
              HasSubstr("q.csv:2: a quoted field is not closed"));
  const CsvTable t = parse_csv_table("v,w\n1,2\nabc,3\n", "n.csv");
  EXPECT_THAT(error_of([&] { t.require_column("z"); }), HasSubstr("n.csv:1: missing column 'z'"));
  EXPECT_THAT(error_of([&] { t.number(t.rows[1], 0); }), HasSubstr("n.csv:3: column 'v': not a number: 'abc'"));
  EXPECT_THAT(error_of([] { read_csv_table("/nonexistent/run/system.csv"); }), HasSubstr("cannot be read"));
}

}  // namespace
}  // namespace cascade::output
