#include "engine/core/diagnostics.h"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace cascade {

std::string Diagnostic::format() const {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    out += ':';
    out += std::to_string(where.line);
    if (where.column > 0) {
      out += ':';
      out += std::to_string(where.column);
    }
  }
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

void Diagnostics::error(SourceLocation where, std::string path, std::string message) {
  items_.push_back({Severity::error, std::move(where), std::move(path), std::move(message)});
}
void Diagnostics::warning(SourceLocation where, std::string path, std::string message) {
  items_.push_back({Severity::warning, std::move(where), std::move(path), std::move(message)});
}
void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}
bool Diagnostics::has_errors() const {
  return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}
std::vector<Diagnostic> Diagnostics::errors() const {
  std::vector<Diagnostic> out;
  std::copy_if(items_.begin(), items_.end(), std::back_inserter(out),
               [](const Diagnostic& d) { return d.severity == Severity::error; });
  return out;
}
std::vector<Diagnostic> Diagnostics::warnings() const {
  std::vector<Diagnostic> out;
  std::copy_if(items_.begin(), items_.end(), std::back_inserter(out),
               [](const Diagnostic& d) { return d.severity == Severity::warning; });
  return out;
}
void Diagnostics::throw_if_errors() const {
  if (has_errors()) throw ScenarioError(errors());
}

namespace {
std::string join_lines(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  return out;
}

/// Optimal string alignment distance: an inserted, deleted or replaced letter, or two adjacent
/// letters swapped ("rnu" for "run"), each count 1.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);  // rows i - 1 and i become the two previous ones
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::string format_quantity(double value) {
  std::ostringstream os;
  os.precision(6);
  os << value;
  return os.str();
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // A typo: at most a third of the word's letters wrong (and at least one allowed).
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip what cannot be close enough.
    if (std::max(c.size(), word.size()) - std::min(c.size(), word.size()) > limit) continue;
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= limit ? best : std::string();
}

}  // namespace cascade
