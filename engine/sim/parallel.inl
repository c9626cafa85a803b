// Implementation of for_each_firm_parallel (included by phases.h).
#pragma once

#include "engine/core/parallel_for.h"

namespace cascade::sim {

template <typename Fn>
void for_each_firm_parallel(tbb::task_arena& arena, std::size_t firm_count, Fn&& fn) {
  parallel_for_index(arena, firm_count, 16, [&](std::size_t f) { fn(static_cast<FirmIdx>(f)); });
}

}  // namespace cascade::sim
