#include "engine/network/row_lines.h"

#include <algorithm>

namespace cascade {

void RowLines::append(const RowLines& more, int line_offset) {
  for (std::size_t j = 0; j < more.jumps_.size(); ++j) {
    const int line = more.jumps_[j].line + line_offset;
    if (j == 0 && rows_ > 0 && line == back() + 1) continue;  // the first row follows on
    jumps_.push_back({rows_ + more.jumps_[j].row, line});
  }
  rows_ += more.rows_;
}

int RowLines::operator[](std::size_t row) const {
  const auto after =
      std::upper_bound(jumps_.begin(), jumps_.end(), row, [](std::size_t r, const Jump& jump) { return r < jump.row; });
  const Jump& jump = *(after - 1);  // the first jump is at row 0
  return jump.line + static_cast<int>(row - jump.row);
}

}  // namespace cascade
