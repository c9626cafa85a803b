// Did-you-mean suggestions: the closest name within a third of the word's letters, counting a
// swap of two adjacent letters as one edit. Error counts past the listed ones.
#include "engine/core/diagnostics.h"

#include <gtest/gtest.h>

#include <string>

namespace cascade {
namespace {

const std::vector<std::string> kCommands{"validate", "run", "rank", "loops", "graph", "sweep", "merge"};

TEST(DidYouMean, ASwapOfAdjacentLettersIsOneEdit) {
  EXPECT_EQ(did_you_mean("rnu", kCommands), "run");  // r-n-u: n and u swapped
  EXPECT_EQ(did_you_mean("vlaidate", kCommands), "validate");
  EXPECT_EQ(did_you_mean("rnak", kCommands), "rank");
}

TEST(DidYouMean, InsertionsDeletionsAndReplacements) {
  EXPECT_EQ(did_you_mean("opnai", {"openai", "oracle"}), "openai");  // one letter missing
  EXPECT_EQ(did_you_mean("sweeep", kCommands), "sweep");             // one too many
  EXPECT_EQ(did_you_mean("grap", kCommands), "graph");
}

TEST(DidYouMean, NothingWhenNoNameIsClose) {
  EXPECT_EQ(did_you_mean("xyz", kCommands), "");
  // "rnu" is two edits from "rank" (one allowed for three letters).
  EXPECT_EQ(did_you_mean("rnu", {"rank"}), "");
  EXPECT_EQ(did_you_mean("report", kCommands), "");
}

TEST(ErrorCounts, ErrorsPastTheListAreCountedInTheTotal) {
  // 1,500 errors: 1,000 listed and a last line that stands for the other 500 (the total was
  // printed as 1,001, the lines listed).
  Diagnostics diags;
  for (int i = 0; i < 1500; ++i) diags.error({"many.yaml", i + 1, 1}, "x", "bad");
  EXPECT_EQ(diags.error_count(), 1500u);
  try {
    diags.throw_if_errors();
    FAIL() << "no ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), kMaxListedErrors + 1);
    EXPECT_EQ(e.diagnostics().back().format(), "many.yaml: 500 more errors are not listed");
    EXPECT_EQ(count_errors(e.diagnostics()), 1500u);
  }
}

TEST(ErrorCounts, AReadersUnlistedErrorsCountAndSurviveAppend) {
  // A CSV reader lists 100 errors per file and one line for the rest: 100 + 150 = 250.
  Diagnostics file;
  for (int i = 0; i < 100; ++i) file.error({"edges.csv", i + 2, 3}, "amount", "bad");
  file.unlisted_errors({"edges.csv", 0, 0}, 150, "150 more errors in this file are not listed");
  file.warning({"nodes.csv", 2, 1}, "", "a warning is not an error");
  EXPECT_EQ(file.error_count(), 250u);
  EXPECT_EQ(count_errors(file.items()), 250u);
  EXPECT_TRUE(file.listing_errors()) << "101 lines listed: another file's errors are still listed";
  Diagnostics all;
  all.error({"nodes.csv", 5, 1}, "id", "bad");
  all.append(file);
  EXPECT_EQ(all.error_count(), 251u);
  EXPECT_EQ(count_errors(all.items()), 251u);
}

}  // namespace
}  // namespace cascade
