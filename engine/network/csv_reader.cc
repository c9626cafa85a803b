#include "engine/network/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "engine/core/limits.h"

namespace cascade {
namespace {

/// Bytes read from the file at a time.
constexpr std::size_t kReadChunkBytes = std::size_t{1} << 20;
constexpr std::size_t kBufferBytes = kMaxCsvLineBytes + kReadChunkBytes;

std::string format_bound(double v) {
  // Whole numbers as integers ("1000000", not "1e+06"); the rest in their shortest form.
  if (std::trunc(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<double> plain_decimal(std::string_view text) {
  std::size_t length = 0;
  double value = 0.0;
  if (!plain_decimal_prefix(text, length, value) || length != text.size()) return std::nullopt;
  return value;
}

CsvReader::CsvReader(const std::filesystem::path& path, Diagnostics& diags) : name_(path.string()), diags_(diags) {}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool CsvReader::open(Presence presence) { return open(presence, 0, kWholeFile); }

bool CsvReader::open(Presence presence, std::uint64_t begin_byte, std::uint64_t end_byte) {
  // Opened without blocking and checked on the open descriptor: a FIFO or a device (a symlink
  // to /dev/zero) is refused instead of waited on or read forever.
  const int fd = ::open(name_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT)
      diags_.error({name_, 0, 0}, "", std::string("cannot read file: ") + std::strerror(errno));
    else if (presence == required)
      diags_.error({name_, 0, 0}, "", "cannot read file: no such file");
    return false;
  }
  struct stat info {};
  const char* problem = nullptr;
  if (::fstat(fd, &info) != 0)
    problem = "cannot read file: cannot stat it";
  else if (S_ISDIR(info.st_mode))
    problem = "cannot read file: is a directory";
  else if (!S_ISREG(info.st_mode))
    problem = "cannot read file: not a regular file (a device, pipe or socket)";
  else if ((file_ = ::fdopen(fd, "rb")) == nullptr)
    problem = "cannot read file: cannot open";
  if (problem != nullptr) {
    ::close(fd);
    diags_.error({name_, 0, 0}, "", problem);
    return false;
  }
  std::setvbuf(file_, nullptr, _IONBF, 0);  // the reader has its own buffer
  file_bytes_ = static_cast<std::size_t>(info.st_size);
  begin_byte_ = begin_byte;
  end_byte_ = end_byte;
  if (begin_byte > 0 && std::fseek(file_, static_cast<long>(begin_byte), SEEK_SET) != 0) {
    diags_.error({name_, 0, 0}, "", "cannot read file: cannot seek");
    return false;
  }
  buffer_ = std::make_unique_for_overwrite<char[]>(kBufferBytes);
  fill();
  if (begin_byte == 0 && end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0)
    begin_ = 3;  // UTF-8 byte order mark
  return true;
}

bool CsvReader::fill() {
  if (at_eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t room = kBufferBytes - end_;
  if (end_byte_ != kWholeFile) {
    const std::uint64_t at = begin_byte_ + read_bytes_;
    room = static_cast<std::size_t>(std::min<std::uint64_t>(room, end_byte_ > at ? end_byte_ - at : 0));
    if (room == 0) return false;  // at the end of the part: more only after read_to_end()
  }
  const std::size_t got = std::fread(buffer_.get() + end_, 1, room, file_);
  if (got == 0) {
    at_eof_ = true;
    if (std::ferror(file_)) error(line_ + 1, 0, "", "cannot read file: read error");
  }
  end_ += got;
  read_bytes_ += got;
  return got > 0;
}

std::size_t CsvReader::estimated_rows() const {
  const std::size_t consumed = read_bytes_ - (end_ - begin_);
  if (line_ == 0 || consumed == 0) return 0;
  return static_cast<std::size_t>(static_cast<double>(file_bytes_) * line_ / static_cast<double>(consumed));
}

std::size_t CsvReader::header(std::span<const std::string_view> columns, std::string_view optional_last) {
  std::string expected;
  for (std::string_view c : columns) expected += (expected.empty() ? "" : ",") + std::string(c);
  if (!optional_last.empty()) expected += "[," + std::string(optional_last) + "]";
  if (!next_row()) {
    error(1, 1, "", "empty file: expected the header '" + expected + "'");
    return 0;
  }
  std::string got;
  for (std::size_t i = 0; i < std::min(field_count_, kMaxFields); ++i)
    got += (got.empty() ? "" : ",") + excerpt(fields_[i].text);
  if (field_count_ > kMaxFields) got += ",...";
  const std::size_t n = field_count_;
  bool ok = n == columns.size() || (!optional_last.empty() && n == columns.size() + 1);
  for (std::size_t i = 0; ok && i < columns.size(); ++i) ok = fields_[i].text == columns[i];
  if (ok && n > columns.size()) ok = fields_[n - 1].text == optional_last;
  if (!ok) {
    error(line_, 1, "", "expected the header '" + expected + "', got '" + got + "'");
    return 0;
  }
  return n;
}

bool CsvReader::next_row() {
  std::string_view line;
  while (next_line(line))
    if (split(line)) return true;
  return false;
}

bool CsvReader::next_line(std::string_view& out) {
  if (file_ == nullptr) return false;
  for (;;) {
    const char* start = buffer_.get() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    std::size_t line_end = 0;  // one past the line's last byte (before the LF)
    if (newline != nullptr) {
      line_end = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.get());
    } else if (end_ - begin_ > kMaxCsvLineBytes) {
      // Too long: report it and drop bytes up to the next LF without keeping them.
      ++line_;
      error(line_, 1, "", "line longer than " + std::to_string(kMaxCsvLineBytes) + " bytes");
      for (;;) {
        begin_ = end_;
        if (!fill()) return false;
        if (const void* lf = std::memchr(buffer_.get(), '\n', end_)) {
          begin_ = static_cast<std::size_t>(static_cast<const char*>(lf) - buffer_.get()) + 1;
          break;
        }
      }
      continue;
    } else if (fill()) {
      continue;
    } else if (begin_ == end_) {
      return false;
    } else {
      line_end = end_;  // the last line has no LF
    }
    std::string_view line(buffer_.get() + begin_, line_end - begin_);
    begin_ = std::min(line_end + 1, end_);
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t first = 0;
    while (first < line.size() && is_blank(line[first])) ++first;
    if (first == line.size()) continue;
    out = line;
    return true;
  }
}

std::string_view CsvReader::buffered_lines() const {
  if (file_ == nullptr || begin_ == end_) return {};
  const void* last_lf = ::memrchr(buffer_.get() + begin_, '\n', end_ - begin_);
  if (last_lf == nullptr) return {};
  return {buffer_.get() + begin_,
          static_cast<std::size_t>(static_cast<const char*>(last_lf) - buffer_.get()) + 1 - begin_};
}

bool CsvReader::split(std::string_view line) {
  field_count_ = 0;
  std::size_t i = 0;
  for (;;) {
    while (i < line.size() && is_blank(line[i])) ++i;
    CsvField f;
    f.column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      const std::size_t open = ++i;
      bool closed = false, doubled = false;
      while (i < line.size()) {
        if (line[i] != '"') {
          ++i;
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
          doubled = true;
          i += 2;
        } else {
          closed = true;
          break;
        }
      }
      const std::string_view inner = line.substr(open, i - open);
      if (closed) ++i;
      while (i < line.size() && is_blank(line[i])) ++i;
      if (!closed || (i < line.size() && line[i] != ',')) {
        error(line_, f.column, "", closed ? "unexpected text after a quoted field" : "unterminated quote");
        return false;
      }
      f.text = inner;
      if (doubled && field_count_ < kMaxFields) {
        std::string& out = unquoted_[field_count_];
        out.clear();
        for (std::size_t k = 0; k < inner.size(); ++k) {
          out += inner[k];
          if (inner[k] == '"') ++k;  // the second quote of a ""
        }
        f.text = out;
      }
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      std::size_t last = end;
      while (last > i && is_blank(line[last - 1])) --last;
      f.text = line.substr(i, last - i);
      i = end;
    }
    if (field_count_ < kMaxFields) fields_[field_count_] = f;
    ++field_count_;
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

bool CsvReader::check_field_count(std::size_t expected) {
  if (field_count_ == expected) return true;
  error(line_, 1, "", "expected " + std::to_string(expected) + " fields, got " + std::to_string(field_count_));
  return false;
}

std::optional<double> CsvReader::number(const CsvField& f, std::string_view column, const NumberRange& range) {
  std::string_view s = f.text;
  if (const std::optional<double> fast = plain_decimal(s);
      fast && *fast >= range.min && *fast <= range.max && !(range.min_exclusive && *fast == range.min))
    return fast;
  if (s.starts_with('+')) s.remove_prefix(1);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!s.empty() && ec == std::errc::result_out_of_range && end == s.data() + s.size()) {
    error(line_, f.column, column,
          "a number beyond the range of a double (about 1e-308 to 1e308 in size), got " + excerpt(f.text));
    return std::nullopt;
  }
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    error(line_, f.column, column, "expected a number, got '" + excerpt(f.text) + "'");
    return std::nullopt;
  }
  if (!std::isfinite(v)) {
    error(line_, f.column, column, "must be a finite number, got " + excerpt(f.text));
    return std::nullopt;
  }
  const bool below = range.min_exclusive ? v <= range.min : v < range.min;
  if (below || v > range.max) {
    // A bound at kMaxInputAmount or beyond guards the arithmetic: only the side passed is named.
    std::string bound =
        below ? (range.min_exclusive ? "> " : ">= ") + format_bound(range.min) : "<= " + format_bound(range.max);
    if (range.max < kMaxInputAmount) bound = "between " + format_bound(range.min) + " and " + format_bound(range.max);
    error(line_, f.column, column, "must be " + bound + ", got " + excerpt(f.text));
    return std::nullopt;
  }
  return v;
}

void CsvReader::error(int line, int column, std::string_view column_name, std::string message) {
  if (++errors_ > kMaxCsvErrorsPerFile) return;
  diags_.error({name_, line, column}, std::string(column_name), std::move(message));
}

void CsvReader::finish() {
  if (errors_ <= kMaxCsvErrorsPerFile) return;
  const std::size_t unlisted = errors_ - kMaxCsvErrorsPerFile;
  diags_.unlisted_errors({name_, 0, 0}, unlisted,
                         std::to_string(unlisted) + " more errors in this file are not listed");
}

}  // namespace cascade
