#include "engine/core/huge_pages.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cascade {

void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t end = (start + bytes) & ~(kHugePage - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // a hint: errors ignored
#else
  (void)data;
  (void)bytes;
#endif
}

void keep_freed_memory_for_reuse(std::size_t expected_peak_bytes) {
#if defined(__GLIBC__)
  // Blocks below 1 GiB from the heap (a set threshold also stops glibc from moving it itself);
  // free memory at the heap's top is kept up to 1 GiB.
  constexpr int kHeapBytes = 1 << 30;
  ::mallopt(M_MMAP_THRESHOLD, kHeapBytes);
  ::mallopt(M_TRIM_THRESHOLD, kHeapBytes);
  // Every thread allocates from this one heap (small blocks still from each thread's cache), not
  // from arenas of its own on fresh mappings that the reserve below does not cover.
  ::mallopt(M_ARENA_MAX, 1);
  // The reserve is served from the top of the heap and goes back there when freed (below both
  // thresholds).
  const std::size_t reserve_bytes = std::min<std::size_t>(expected_peak_bytes, kHeapBytes - kHugePageAdviceMinBytes);
  if (reserve_bytes >= kHugePageAdviceMinBytes) {
    void* reserve = std::malloc(reserve_bytes);
    if (reserve != nullptr) advise_huge_pages(reserve, reserve_bytes);
    std::free(reserve);
  }
#else
  (void)expected_peak_bytes;
#endif
}

}  // namespace cascade
