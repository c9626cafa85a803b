// Implementation of for_each_firm_parallel (included by phases.h).
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace cascade::sim {

template <typename Fn>
void for_each_firm_parallel(tbb::task_arena& arena, std::size_t firm_count, Fn&& fn) {
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, firm_count, 16), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t f = r.begin(); f != r.end(); ++f) fn(static_cast<FirmIdx>(f));
    });
  });
}

}  // namespace cascade::sim
