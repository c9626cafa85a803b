#include "engine/sweep/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

namespace cascade::sweep {
namespace {

constexpr std::string_view kTag = "#chunk ";
/// A header line is short; anything longer is not a header.
constexpr std::size_t kMaxHeaderBytes = 160;

std::string errno_text() { return std::strerror(errno); }

/// Reads exactly `n` bytes at `offset` (fewer only at end of file).
std::size_t read_at(int fd, char* out, std::size_t n, std::uint64_t offset, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw JournalError("cannot read '" + file.string() + "': " + errno_text());
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t put = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (put < 0) {
      if (errno == EINTR) continue;
      throw JournalError("cannot write '" + file.string() + "': " + errno_text());
    }
    done += static_cast<std::size_t>(put);
  }
}

/// Parses "<a> <b> <c> <d> <hex>" after the tag.
bool parse_header(std::string_view line, ChunkRecord& r, std::uint32_t& crc) {
  std::array<std::uint64_t, 4> v{};
  const char* p = line.data();
  const char* end = line.data() + line.size();
  for (std::uint64_t& x : v) {
    const auto [next, ec] = std::from_chars(p, end, x);
    if (ec != std::errc{} || next == end || *next != ' ') return false;
    p = next + 1;
  }
  const auto [next, ec] = std::from_chars(p, end, crc, 16);
  if (ec != std::errc{} || next != end) return false;
  r.chunk = v[0];
  r.run_begin = v[1];
  r.run_end = v[2];
  r.payload_bytes = v[3];
  return r.run_begin < r.run_end;
}

/// The part of a header line its CRC covers: all of it up to the CRC itself ("#chunk 0 0 1 48 "),
/// so that a damaged chunk number, run range or length fails the check as a damaged payload does.
std::string_view checked_header(std::string_view line) { return line.substr(0, line.rfind(' ') + 1); }

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t previous) {
  static const std::array<std::uint32_t, 256> kTable = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = previous ^ 0xFFFFFFFFu;
  for (const char ch : bytes) c = kTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Journal Journal::scan(const std::filesystem::path& file, bool writable) {
  Journal j;
  j.file_ = file;
  j.writable_ = writable;
  j.fd_ = writable ? ::open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644)
                   : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (j.fd_ < 0) throw JournalError("cannot open '" + file.string() + "': " + errno_text());

  const off_t size = ::lseek(j.fd_, 0, SEEK_END);
  if (size < 0) throw JournalError("cannot read '" + file.string() + "': " + errno_text());
  const auto file_bytes = static_cast<std::uint64_t>(size);
  std::uint64_t offset = 0;
  std::vector<char> header(kMaxHeaderBytes);
  std::string payload;
  for (;;) {
    const std::size_t got = read_at(j.fd_, header.data(), header.size(), offset, file);
    if (got == 0) break;  // clean end
    const std::string_view head(header.data(), got);
    const std::size_t newline = head.find('\n');
    ChunkRecord r;
    std::uint32_t crc = 0;
    if (newline == std::string_view::npos || !head.starts_with(kTag) ||
        !parse_header(head.substr(kTag.size(), newline - kTag.size()), r, crc))
      break;  // torn or foreign bytes: the valid journal ends here
    r.payload_offset = offset + newline + 1;
    if (r.payload_bytes > file_bytes - r.payload_offset) break;  // a torn record, or a damaged length
    payload.resize(r.payload_bytes);
    if (read_at(j.fd_, payload.data(), payload.size(), r.payload_offset, file) != payload.size() ||
        crc32(payload, crc32(checked_header(head.substr(0, newline)))) != crc)
      break;
    j.records_.emplace(r.chunk, r);  // the first record of a chunk wins
    offset = r.payload_offset + r.payload_bytes;
  }
  j.end_offset_ = offset;
  j.dropped_bytes_ = file_bytes - offset;
  if (writable && j.dropped_bytes_ > 0 && ::ftruncate(j.fd_, static_cast<off_t>(offset)) != 0)
    throw JournalError("cannot truncate the torn end of '" + file.string() + "': " + errno_text());
  return j;
}

Journal Journal::open(const std::filesystem::path& file) { return scan(file, true); }
Journal Journal::open_read_only(const std::filesystem::path& file) { return scan(file, false); }

Journal::Journal(Journal&& o) noexcept
    : file_(std::move(o.file_)),
      fd_(std::exchange(o.fd_, -1)),
      writable_(o.writable_),
      end_offset_(o.end_offset_),
      dropped_bytes_(o.dropped_bytes_),
      records_(std::move(o.records_)),
      mutex_(std::move(o.mutex_)) {}

Journal& Journal::operator=(Journal&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    file_ = std::move(o.file_);
    fd_ = std::exchange(o.fd_, -1);
    writable_ = o.writable_;
    end_offset_ = o.end_offset_;
    dropped_bytes_ = o.dropped_bytes_;
    records_ = std::move(o.records_);
    mutex_ = std::move(o.mutex_);
  }
  return *this;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

bool Journal::has(std::uint64_t chunk) const {
  std::lock_guard lock(*mutex_);
  return records_.contains(chunk);
}

std::size_t Journal::chunk_count() const {
  std::lock_guard lock(*mutex_);
  return records_.size();
}

void Journal::append(const ChunkRecord& chunk, std::string_view payload) {
  if (!writable_) throw JournalError("journal '" + file_.string() + "' is open read-only");
  std::string record = std::string(kTag) + std::to_string(chunk.chunk) + ' ' + std::to_string(chunk.run_begin) + ' ' +
                       std::to_string(chunk.run_end) + ' ' + std::to_string(payload.size()) + ' ';
  std::array<char, 8> hex{};
  const auto [end, ec] = std::to_chars(hex.data(), hex.data() + hex.size(), crc32(payload, crc32(record)), 16);
  record.append(hex.data(), end);
  record += '\n';
  record.append(payload);

  std::lock_guard lock(*mutex_);
  if (records_.contains(chunk.chunk)) return;
  write_all(fd_, record, file_);
  ChunkRecord stored = chunk;
  stored.payload_offset = end_offset_ + (record.size() - payload.size());
  stored.payload_bytes = payload.size();
  end_offset_ += record.size();
  records_.emplace(chunk.chunk, stored);
}

void Journal::sync() {
  if (writable_ && ::fdatasync(fd_) != 0)
    throw JournalError("cannot flush '" + file_.string() + "' to disk: " + errno_text());
}

std::string Journal::read_payload(const ChunkRecord& record) const {
  std::string out(record.payload_bytes, '\0');
  if (read_at(fd_, out.data(), out.size(), record.payload_offset, file_) != out.size())
    throw JournalError("'" + file_.string() + "' ends inside chunk " + std::to_string(record.chunk));
  return out;
}

}  // namespace cascade::sweep
