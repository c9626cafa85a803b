// The located YAML tree (scenarios/loader/yaml_tree.h): where values and keys are marked, what
// an alias becomes, which key problems are reported, and the alias-bomb limit. Expected
// lines and columns are read off the texts by hand (1-based; a value with an anchor is marked
// where its `&` is written).
#include "scenarios/loader/yaml_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cascade::scenario {
namespace {

using ::testing::ElementsAre;

struct Parsed {
  std::optional<YNode> root;
  std::vector<std::string> diagnostics;
};

Parsed parse(const std::string& text, std::uint64_t max_values = 1000, std::uint64_t max_bytes = 1 << 20) {
  Diagnostics diags;
  Parsed p;
  p.root = parse_yaml(text, "s.yaml", diags, max_values, max_bytes);
  for (const Diagnostic& d : diags.items()) p.diagnostics.push_back(d.format());
  return p;
}

std::string at(const SourceLocation& where) { return std::to_string(where.line) + ":" + std::to_string(where.column); }

TEST(YamlTree, AnAliasIsACopyOfItsValueWithThePathsOfWhereItIsUsed) {
  const Parsed p = parse("l: &l [&s 1, 2]\nm: [*l, *s]\n");
  ASSERT_TRUE(p.root);
  EXPECT_TRUE(p.diagnostics.empty());
  const YNode& m = *p.root->find("m");
  ASSERT_EQ(m.items.size(), 2u);
  const YNode& copy = m.items[0];
  ASSERT_TRUE(copy.is_sequence());
  EXPECT_EQ(copy.path, "m[0]");
  EXPECT_EQ(at(copy.where), "1:4");  // the list it names, `&l [...]`
  ASSERT_EQ(copy.items.size(), 2u);
  EXPECT_EQ(copy.items[1].path, "m[0][1]");
  EXPECT_EQ(copy.items[1].text, "2");
  EXPECT_EQ(m.items[1].text, "1");
  EXPECT_EQ(m.items[1].path, "m[1]");
  EXPECT_EQ(at(m.items[1].where), "1:8");  // `&s 1`
}

TEST(YamlTree, KeysValuesAndNullsAreMarkedWhereTheyAreWritten) {
  const Parsed p = parse("k: &v 1\nn: {*v : 2}\na:\nq: \"1\"\n");
  ASSERT_TRUE(p.root);
  const YEntry* aliased = p.root->find("n")->find_entry("1");
  ASSERT_NE(aliased, nullptr);
  EXPECT_EQ(at(aliased->key_where), "1:4");  // an aliased key is marked as the value it names
  EXPECT_EQ(aliased->value.path, "n.1");
  const YNode& a = *p.root->find("a");
  EXPECT_TRUE(a.is_null());
  EXPECT_EQ(at(a.where), "3:1");  // a missing value is marked at its key
  EXPECT_TRUE(p.root->find("k")->plain);
  EXPECT_FALSE(p.root->find("q")->plain) << "quoted";
}

TEST(YamlTree, EveryLocationOfATreeSharesOneFileName) {
  // A scenario of 10^5 firms holds about 7 million locations: a copy of the file name in each
  // (a name past 15 bytes is a heap string of its own) was a fifth of the tree's memory.
  const std::string file = "/some/directory/of/scenarios/economy.yaml";
  Diagnostics diags;
  const std::optional<YNode> root = parse_yaml("firms:\n  - {id: a, cash: 1}\n", file, diags);
  ASSERT_TRUE(root);
  const YNode& firm = root->find("firms")->items.at(0);
  const YEntry* cash = firm.find_entry("cash");
  ASSERT_NE(cash, nullptr);
  EXPECT_EQ(cash->value.where.file, file);
  EXPECT_EQ(at(cash->value.where), "2:19");
  for (const SourceLocation* where : {&root->where, &firm.where, &cash->key_where, &cash->value.where})
    EXPECT_EQ(&where->file.str(), &root->where.file.str()) << "one string, not a copy";
  const YNode copy = firm;  // copies of the tree share it too
  EXPECT_EQ(&copy.find("cash")->where.file.str(), &root->where.file.str());
}

TEST(FileName, ComparesAndConvertsLikeTheNameItHolds) {
  const FileName none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none, "");
  EXPECT_EQ(FileName(""), none);
  const FileName name("a/b.yaml");
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(name, "a/b.yaml");
  EXPECT_EQ(name, std::string("a/b.yaml"));
  EXPECT_EQ(name, std::string_view("a/b.yaml"));
  EXPECT_EQ(name, FileName("a/b.yaml")) << "equal names, two strings";
  EXPECT_NE(name, "a/c.yaml");
  EXPECT_NE(name, none);
  const std::string& as_string = name;
  EXPECT_EQ(as_string, "a/b.yaml");
  EXPECT_EQ(SourceLocation({"a/b.yaml", 3, 4}).file, name);
}

TEST(YamlTree, AKeyProblemIsReportedOnceAndItsValueIsDropped) {
  const Parsed dup = parse("a: 1\na: {b: 1, b: 2}\n");
  ASSERT_TRUE(dup.root);
  EXPECT_THAT(dup.diagnostics, ElementsAre("s.yaml:2:1: a: duplicate key 'a' (first at line 1)"))
      << "the duplicate inside the dropped value is not reported";
  EXPECT_EQ(dup.root->entries.size(), 1u);
  EXPECT_EQ(dup.root->find("a")->text, "1");
  const Parsed complex = parse("[1]: x\n{c: 1, c: 2}: y\nq: 1\n");
  ASSERT_TRUE(complex.root);
  EXPECT_THAT(complex.diagnostics, ElementsAre("s.yaml:1:1: mapping keys must be plain names",
                                               "s.yaml:2:1: mapping keys must be plain names"));
  ASSERT_EQ(complex.root->entries.size(), 1u);
  EXPECT_EQ(complex.root->entries[0].key, "q");
}

TEST(YamlTree, AliasesThatMultiplyAreRefusedAtTheLimit) {
  // Every event counts, keys included: the root 1, key a 1, list a 5 (7 so far), key b 1, list b
  // 1 + 4 x 5 = 21 (29), key c 1, list c 1 (31), then 21 per *b: 52, 73, 94, and the fourth *b
  // (column 17 of line 3) would make 115.
  const Parsed p = parse("a: &a [1, 1, 1, 1]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", 100);
  EXPECT_FALSE(p.root);
  EXPECT_THAT(p.diagnostics, ElementsAre("s.yaml:3:17: more than 100 values once aliases are expanded (the "
                                         "limit; raise it with --max-yaml-values)"));
}

TEST(YamlTree, AliasesOfALongStringAreRefusedAtTheByteLimit) {
  // A 1,000-byte string aliased: 10 values, well under the value limit, but each alias copies
  // its 1,000 bytes. With 5,500 bytes allowed: the string 1,000, the key "l" 1, "a" 1, then
  // 1,000 per alias: 2,002, 3,002, 4,002, 5,002, and the fifth *s (column 21 of line 2) would
  // make 6,002; all six make 7,002. (A 1 MB string aliased 1,000 times took 2 GB before.)
  const std::string text = "a: &s " + std::string(1000, 'x') + "\nl: [*s, *s, *s, *s, *s, *s]\n";
  const Parsed p = parse(text, 1000, 5500);
  EXPECT_FALSE(p.root);
  EXPECT_THAT(p.diagnostics, ElementsAre("s.yaml:2:21: more than 5500 bytes of text once aliases are expanded (the "
                                         "limit; raise it with --max-file-bytes)"));
  EXPECT_TRUE(parse(text, 1000, 7002).root);
}

}  // namespace
}  // namespace cascade::scenario
