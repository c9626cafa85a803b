// Progress of long work on stderr: a bar redrawn in place on a terminal, a plain line every few
// seconds otherwise (logs, Slurm output files).
//
//   std::atomic<std::uint64_t> done{0};
//   ProgressDisplay progress("runs", total, done);   // starts reporting on a background thread
//   ... work increments `done` ...
//   progress.finish();                               // final line; joins the thread
//
// Terminal: `[##########----------] 48,123/100,000 runs  9,876/s  0:05 left`, about 4 times a
// second. Otherwise: `progress: 48,123/100,000 runs (48%), 9,876/s, 0:05 left` every 5 seconds.
// Nothing is shown with `quiet`.
//
// Thread safety: `done` is read atomically; finish() from the owning thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace cascade::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::string noun, std::uint64_t total, const std::atomic<std::uint64_t>& done, bool quiet = false);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  /// Stops reporting; on a terminal, clears the bar.
  void finish();

 private:
  void loop();
  std::string line(bool terminal) const;

  std::string noun_;
  std::uint64_t total_;
  const std::atomic<std::uint64_t>& done_;
  std::uint64_t start_done_;
  bool terminal_;
  bool quiet_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

/// "1,234,567"
std::string with_thousands(std::uint64_t n);
/// "1:02:03" or "2:03"
std::string format_duration(double seconds);

}  // namespace cascade::cli
