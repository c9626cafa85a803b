// The sweep journal: an append-only file of finished chunks, in any order, that survives a kill.
//
//   Journal journal = Journal::open("runs/study/journal.cj");   // scans, drops a torn tail
//   if (!journal.has(chunk)) journal.append({chunk, run_begin, run_end}, payload);
//   journal.sync();                                             // now safe from a power cut too
//
// Each record is a text header `#chunk <chunk> <run_begin> <run_end> <bytes> <crc32>\n` and
// then <bytes> bytes of payload (the chunk's result rows); the CRC-32 covers the header up to
// itself and the payload. A record is written with a single
// write(2) on a file opened O_APPEND, so a killed process leaves whole records, plus at most one
// torn record at the end if the machine itself went down; opening the journal checks every
// record's length and CRC-32 and truncates the file at the first one that does not check out.
// Nothing is ever rewritten in place. A chunk recorded twice (two processes racing before the
// lock existed, or a merge) keeps its first record; later copies are ignored.
//
// Thread safety: append, has and sync may be called concurrently (an internal mutex orders
// appends); open and read_payload are safe on a journal nobody appends to.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cascade::sweep {

/// A journal cannot be read or written (I/O error, not a directory, disk full).
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ChunkRecord {
  std::uint64_t chunk = 0;
  std::uint64_t run_begin = 0;  ///< first run id in the chunk
  std::uint64_t run_end = 0;    ///< one past the last
  std::uint64_t payload_offset = 0;  ///< where the payload starts in the file
  std::uint64_t payload_bytes = 0;
};

class Journal {
 public:
  /// Opens `file` for appending, creating it when absent; reads the index of the records it
  /// holds. Throws JournalError.
  static Journal open(const std::filesystem::path& file);
  /// Opens `file` read-only (merging shards); a torn tail is ignored, not truncated.
  static Journal open_read_only(const std::filesystem::path& file);

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  const std::filesystem::path& file() const { return file_; }
  /// Bytes dropped from the end of the file when it was opened (a torn record).
  std::uint64_t dropped_bytes() const { return dropped_bytes_; }

  bool has(std::uint64_t chunk) const;
  std::size_t chunk_count() const;
  /// Finished chunks by chunk index.
  const std::map<std::uint64_t, ChunkRecord>& records() const { return records_; }

  /// Appends one record. Throws JournalError on a write error (the file then ends in a torn
  /// record, dropped at the next open).
  void append(const ChunkRecord& chunk, std::string_view payload);
  /// Flushes appended records to stable storage (fdatasync).
  void sync();
  /// Reads a record's payload back. Throws JournalError.
  std::string read_payload(const ChunkRecord& record) const;

 private:
  Journal() = default;
  static Journal scan(const std::filesystem::path& file, bool writable);

  std::filesystem::path file_;
  int fd_ = -1;
  bool writable_ = false;
  std::uint64_t end_offset_ = 0;
  std::uint64_t dropped_bytes_ = 0;
  std::map<std::uint64_t, ChunkRecord> records_;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

/// CRC-32 (IEEE 802.3, as in zlib and PNG) of `bytes`; with `previous`, the CRC-32 of the
/// bytes it was computed over followed by `bytes` (zlib's crc32(previous, ...)).
std::uint32_t crc32(std::string_view bytes, std::uint32_t previous = 0);

}  // namespace cascade::sweep
