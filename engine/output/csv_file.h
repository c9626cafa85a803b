// A CSV file written row by row, with a header, `\n` line ends and buffered output.
//
//   CsvFile file(dir / "system.csv", "tick,cash_usd_bn");   // writes the header line
//   std::string& row = file.begin_row();
//   row += "1,";  append_number(row, 2.5);
//   file.end_row();                                          // adds '\n'
//   file.close();                                            // throws OutputError on any write failure
//
// Rows are built in an internal buffer that is handed to the stream in large blocks, so a row
// costs no allocation once the buffer has grown. Write errors are sticky and reported by close().
// Thread safety: none; one writer.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cascade::output {

class CsvFile {
 public:
  /// Creates (truncates) `path` and writes `header` as the first line. Throws OutputError.
  CsvFile(std::filesystem::path path, std::string_view header);

  /// The buffer to append the fields of a new row to (without the line end).
  std::string& begin_row() { return buffer_; }
  /// Ends the row begun with begin_row().
  void end_row();
  /// Flushes and closes; throws OutputError naming the file if any write failed. Call once.
  void close();

 private:
  void flush_buffer();

  std::filesystem::path path_;
  std::ofstream stream_;
  std::string buffer_;
};

}  // namespace cascade::output
