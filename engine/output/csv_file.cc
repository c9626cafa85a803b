#include "engine/output/csv_file.h"

#include <utility>

#include "engine/output/staging_directory.h"

namespace cascade::output {
namespace {
/// Rows accumulate up to this size before they are handed to the stream.
constexpr std::size_t kFlushThresholdBytes = std::size_t{1} << 20;
}  // namespace

CsvFile::CsvFile(std::filesystem::path path, std::string_view header)
    : path_(std::move(path)), stream_(path_, std::ios::binary | std::ios::trunc) {
  if (!stream_) throw OutputError(cannot_write(path_));
  buffer_.reserve(kFlushThresholdBytes + 4096);
  buffer_ += header;
  end_row();
}

void CsvFile::end_row() {
  buffer_ += '\n';
  if (buffer_.size() >= kFlushThresholdBytes) flush_buffer();
}

void CsvFile::flush_buffer() {
  stream_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void CsvFile::close() {
  flush_buffer();
  stream_.close();
  if (!stream_) throw OutputError(cannot_write(path_));
}

}  // namespace cascade::output
