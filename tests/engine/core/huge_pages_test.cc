// keep_freed_memory_for_reuse: the allocation policy of `cascade clear` (engine/core/huge_pages.h).
#include "engine/core/huge_pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

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

/// The VmFlags line of /proc/self/smaps for the mapping that holds `address` ("" if none).
std::string vm_flags_of(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-')
      inside = begin <= at && at < end;
    else if (inside && line.starts_with("VmFlags:"))
      return line;
  }
  return "";
}

// With an expected peak, the heap grows by that much at once, advised for huge pages (the
// kernel's "hg" flag on the mapping), and a block allocated afterwards is carved from it.
TEST(KeepFreedMemoryForReuse, AnExpectedPeakIsReservedOnTheHeapForHugePages) {
  if (CASCADE_SANITIZED) GTEST_SKIP() << "a sanitizer's allocator replaces glibc's";
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) GTEST_SKIP() << "no transparent huge pages";
  constexpr std::size_t kReserveBytes = std::size_t{64} << 20;
  keep_freed_memory_for_reuse(kReserveBytes);
  const std::size_t mapped_before = mallinfo2().hblkhd;
  auto block = std::make_unique_for_overwrite<char[]>(kReserveBytes / 2);
  EXPECT_EQ(mallinfo2().hblkhd, mapped_before);
  EXPECT_THAT(vm_flags_of(block.get() + kReserveBytes / 4), testing::HasSubstr(" hg"));
  block.reset();
  // Another thread's block comes from the same reserve, not from an arena of that thread's own.
  std::string other_thread_flags;
  std::thread([&] {
    auto other = std::make_unique_for_overwrite<char[]>(kReserveBytes / 2);
    other_thread_flags = vm_flags_of(other.get() + kReserveBytes / 4);
  }).join();
  EXPECT_THAT(other_thread_flags, testing::HasSubstr(" hg"));
}
#endif

}  // namespace
}  // namespace cascade
