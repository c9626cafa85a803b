// RowLines (engine/network/row_lines.h): the line of each row, kept as the rows where lines
// jump. Checked against a plain vector of every row's line on random files: gaps of blank lines
// or left-out rows drawn at random, read whole or in two parts joined with append().
#include "engine/network/row_lines.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cascade {
namespace {

/// Lines of `rows` rows after a header on line 1; before each row, a gap of 1 to 3 lines with
/// probability `gap_chance`.
std::vector<int> random_lines(std::mt19937_64& rng, std::size_t rows, double gap_chance) {
  std::bernoulli_distribution gap(gap_chance);
  std::vector<int> lines;
  int line = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    line += 1 + (gap(rng) ? static_cast<int>(1 + rng() % 3) : 0);
    lines.push_back(line);
  }
  return lines;
}

TEST(RowLines, GivesEveryRowsLine) {
  std::mt19937_64 rng(5);
  for (const double gap_chance : {0.0, 0.01, 0.5, 1.0}) {
    for (const std::size_t rows : {1u, 2u, 7u, 1000u}) {
      const std::vector<int> lines = random_lines(rng, rows, gap_chance);
      RowLines kept;
      for (const int line : lines) kept.push_back(line);
      ASSERT_EQ(kept.size(), rows);
      for (std::size_t r = 0; r < rows; ++r) ASSERT_EQ(kept[r], lines[r]) << "row " << r << ", gaps " << gap_chance;
      EXPECT_EQ(kept.front(), lines.front());
      EXPECT_EQ(kept.back(), lines.back());
    }
  }
}

TEST(RowLines, TwoPartsAppendedAreTheWholeFile) {
  // The second part counts its lines from 1 (its first line), as a reader of a part of the file
  // does; appended at the first part's last line, it must equal the file read whole, including
  // the form kept (operator== compares the jumps), whether or not a gap falls at the join.
  std::mt19937_64 rng(6);
  for (int trial = 0; trial < 200; ++trial) {
    const std::vector<int> lines = random_lines(rng, 1 + rng() % 300, trial % 2 ? 0.05 : 0.0);
    const std::size_t split = rng() % (lines.size() + 1);  // rows before the second part
    const int first_part_last_line = split == 0 ? 1 : lines[split - 1];
    // The second part's line 1: the line after the first part's last row, or after a blank line.
    const int part_start_line = first_part_last_line + 1 + static_cast<int>(rng() % 2);
    RowLines whole, first, second;
    for (std::size_t r = 0; r < lines.size(); ++r) {
      whole.push_back(lines[r]);
      if (r < split)
        first.push_back(lines[r]);
      else
        second.push_back(lines[r] - part_start_line + 1);
    }
    first.append(second, part_start_line - 1);
    ASSERT_EQ(first.size(), whole.size());
    for (std::size_t r = 0; r < lines.size(); ++r) ASSERT_EQ(first[r], lines[r]) << "trial " << trial << " row " << r;
    EXPECT_TRUE(first == whole) << "trial " << trial;
  }
}

}  // namespace
}  // namespace cascade
