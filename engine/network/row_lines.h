// The line of each row of a CSV file, for error locations, in a few bytes per file instead of
// 4 per row (10^7 edge rows would take 40 MB):
//
//   RowLines lines;
//   lines.push_back(2); lines.push_back(3); lines.push_back(5);  // a blank line 4
//   lines[2] == 5
//
// Thread safety: a plain value.
#pragma once

#include <cstddef>
#include <vector>

namespace cascade {

/// Kept as the rows where the line is not the one after the previous row's (the first row, and
/// rows after blank lines or rows left out): 16 bytes each, so at most 16 bytes per row when
/// every row follows a gap. Rows are added in order.
class RowLines {
 public:
  /// Adds the next row, at `line`.
  void push_back(int line) {
    if (rows_ == 0 || line != back() + 1) jumps_.push_back({rows_, line});
    ++rows_;
  }
  /// Adds the rows of `more`, each at its line plus `line_offset`.
  void append(const RowLines& more, int line_offset);
  /// The line of row `row` (< size()).
  int operator[](std::size_t row) const;
  std::size_t size() const { return rows_; }
  int front() const { return jumps_.front().line; }
  int back() const { return jumps_.back().line + static_cast<int>(rows_ - 1 - jumps_.back().row); }
  bool operator==(const RowLines&) const = default;

 private:
  struct Jump {
    std::size_t row = 0;  ///< from this row on, each row is one line after the one before
    int line = 0;         ///< the line of `row`
    bool operator==(const Jump&) const = default;
  };
  std::vector<Jump> jumps_;  ///< ascending rows; only where a row does not follow the previous line
  std::size_t rows_ = 0;
};

}  // namespace cascade
