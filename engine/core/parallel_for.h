// The one parallel loop of the engine: every parallel region (the tick loop's phases, rankings,
// ablations, loop cuts, sweeps, sweep validation) goes through parallel_for_index.
//
// Release builds run it on oneTBB's scheduler. A ThreadSanitizer build runs it on plain
// std::threads instead: oneTBB hands tasks between threads inside libtbb.so, which Debian builds
// without ThreadSanitizer, so ThreadSanitizer cannot see that hand-off and reports races in every
// task, oneTBB's own included. std::thread's start and join are visible to it, so there the same
// bodies run concurrently and only real races between them are reported.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#define CASCADE_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CASCADE_THREAD_SANITIZER 1
#endif
#endif
#ifdef CASCADE_THREAD_SANITIZER
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace cascade {

/// Calls `body(i)` once for every i in [0, count), on at most `arena.max_concurrency()` threads,
/// the calling thread included, in blocks of at least `grain` consecutive indices; returns when
/// every call has returned. Calls run concurrently and in no fixed order: `body` must be safe to
/// call at once for different i. An exception from `body` is rethrown here (the first, when
/// several threw).
template <typename Body>
void parallel_for_index(tbb::task_arena& arena, std::size_t count, std::size_t grain, const Body& body) {
  grain = std::max<std::size_t>(grain, 1);
#ifndef CASCADE_THREAD_SANITIZER
  if (count <= grain || arena.max_concurrency() == 1) {  // one block, or one thread: no task to hand out
    for (std::size_t i = 0; i < count; ++i) body(i);
    return;
  }
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, grain), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
    });
  });
#else
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // guards first_error
  std::exception_ptr first_error;
  const auto work = [&] {
    for (std::size_t begin = next.fetch_add(grain); begin < count; begin = next.fetch_add(grain)) {
      try {
        for (std::size_t i = begin; i < std::min(count, begin + grain); ++i) body(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!first_error) first_error = std::current_exception();
        next = count;
      }
    }
  };
  const auto threads = static_cast<std::size_t>(std::max(1, arena.max_concurrency()));
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min(threads, (count + grain - 1) / grain); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  if (first_error) std::rethrow_exception(first_error);
#endif
}

}  // namespace cascade
