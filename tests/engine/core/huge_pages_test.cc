// keep_freed_memory_for_reuse: the allocation policy of `cascade clear` (engine/core/huge_pages.h).
#include "engine/core/huge_pages.h"

#include <gtest/gtest.h>

#include <memory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cascade {
namespace {

#if defined(__GLIBC__)
// glibc serves a block of 64 MiB from its own mapping by default (its threshold never rises
// above 32 MiB by itself) and returns such a mapping to the kernel when it is freed. Under the
// policy the block comes from the heap and, once freed, stays there for the next allocation.
TEST(KeepFreedMemoryForReuse, ALargeBlockComesFromTheHeapAndStaysThereWhenFreed) {
  if (CASCADE_SANITIZED) GTEST_SKIP() << "a sanitizer's allocator replaces glibc's";
  keep_freed_memory_for_reuse();
  constexpr std::size_t kBytes = std::size_t{64} << 20;
  const std::size_t mapped_before = mallinfo2().hblkhd;
  auto block = std::make_unique_for_overwrite<char[]>(kBytes);
  block[0] = block[kBytes - 1] = 1;
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before) << "the block has a mapping of its own";
  block.reset();
  EXPECT_GE(mallinfo2().fordblks, kBytes) << "the freed block went back to the kernel";
}
#endif

}  // namespace
}  // namespace cascade
