#include "tools/cascade/progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

namespace cascade::cli {
namespace {

constexpr auto kTerminalInterval = std::chrono::milliseconds(250);
constexpr auto kLogInterval = std::chrono::seconds(5);
constexpr int kBarWidth = 20;

}  // namespace

std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<std::uint64_t>(std::llround(seconds));
  const std::uint64_t h = s / 3600, m = (s / 60) % 60, sec = s % 60;
  auto two = [](std::uint64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return h > 0 ? std::to_string(h) + ":" + two(m) + ":" + two(sec) : std::to_string(m) + ":" + two(sec);
}

ProgressDisplay::ProgressDisplay(std::string noun, std::uint64_t total, const std::atomic<std::uint64_t>& done, bool quiet)
    : noun_(std::move(noun)),
      total_(total),
      done_(done),
      start_done_(done.load()),
      terminal_(::isatty(STDERR_FILENO) == 1),
      quiet_(quiet),
      start_(std::chrono::steady_clock::now()) {
  if (!quiet_) thread_ = std::thread([this] { loop(); });
}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::finish() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (terminal_ && !quiet_) std::cerr << "\r\033[K" << std::flush;
}

std::string ProgressDisplay::line(bool terminal) const {
  const std::uint64_t done = std::min(done_.load(), total_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - std::min(done, start_done_)) / elapsed : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const std::string counts = with_thousands(done) + "/" + with_thousands(total_) + " " + noun_;
  const std::string speed = with_thousands(static_cast<std::uint64_t>(rate)) + "/s";
  if (terminal) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    return "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') + "] " + counts + "  " + speed + "  " +
           format_duration(left) + " left";
  }
  return counts + " (" + std::to_string(static_cast<int>(fraction * 100)) + "%), " + speed + ", " +
         format_duration(left) + " left";
}

void ProgressDisplay::loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, terminal_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTerminalInterval)
                                   : std::chrono::duration_cast<std::chrono::milliseconds>(kLogInterval));
    if (stop_) break;
    if (terminal_) std::cerr << "\r\033[K" << line(true) << std::flush;
    else std::cerr << "progress: " << line(false) << '\n' << std::flush;
  }
}

}  // namespace cascade::cli
