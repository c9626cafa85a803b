// Transparent huge pages for large buffers that are written once right after allocation, and
// keeping freed memory for reuse in one-shot commands.
//
// On Linux with transparent huge pages in `madvise` mode (Debian 12's default), a buffer the
// kernel is told about is backed by 2 MiB pages when first written: one page fault per 2 MiB
// instead of one per 4 KiB. For the tens of megabytes `cascade clear` fills at 10^5..10^6
// institutions, the 4 KiB faults cost a third of the whole process.
//
//   std::vector<double> amount;
//   reserve_huge(amount, n);   // then resize, assign or push_back: first writes get huge pages
//
// A hint only: elsewhere, or when the kernel says no, nothing changes. Thread safety: as for
// the vector.
#pragma once

#include <cstddef>
#include <vector>

namespace cascade {

/// Buffers smaller than this are left alone (less than two huge pages to gain).
inline constexpr std::size_t kHugePageAdviceMinBytes = std::size_t{4} << 20;

/// Advises huge pages for the 2 MiB-aligned part of [data, data + bytes).
void advise_huge_pages(const void* data, std::size_t bytes);

/// Process-wide, for a one-shot command whose phases each free large buffers before the next
/// phase allocates its own: buffers below 1 GiB come from the heap rather than from their own
/// mappings, every thread allocates from that one heap, and freed memory stays in the process,
/// so a later phase reuses pages an earlier one touched instead of faulting in fresh zeroed
/// ones. When `expected_peak_bytes` is at least kHugePageAdviceMinBytes, the heap also grows by
/// that much at once (at most 1020 MiB), advised for huge pages, so the buffers carved from it
/// later fault in 2 MiB at a time (untouched, the reserve is address space only). Peak RSS may
/// grow a little (freed blocks are not always the right size to reuse). glibc only; elsewhere
/// nothing changes. Call before the large allocations and before other threads allocate.
void keep_freed_memory_for_reuse(std::size_t expected_peak_bytes = 0);

/// v.reserve(count), the new buffer advised when it is large. Call before the buffer is written.
template <typename T>
void reserve_huge(std::vector<T>& v, std::size_t count) {
  v.reserve(count);
  if (v.capacity() * sizeof(T) >= kHugePageAdviceMinBytes) advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace cascade
