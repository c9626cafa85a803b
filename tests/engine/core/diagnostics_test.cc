// Did-you-mean suggestions: the closest name within a third of the word's letters, counting a
// swap of two adjacent letters as one edit.
#include "engine/core/diagnostics.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cascade
