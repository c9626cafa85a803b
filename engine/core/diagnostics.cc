#include "engine/core/diagnostics.h"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace cascade {

std::ostream& operator<<(std::ostream& out, const FileName& f) { return out << f.str(); }

std::string Diagnostic::format() const {
  std::string out = where.file.empty() ? std::string("<input>") : where.file.str();
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
  if (!path.empty()) out += excerpt(path, kMaxPathBytes) + ": ";  // a --set path may be any text
  out += message;
  return out;
}

std::size_t count_errors(const std::vector<Diagnostic>& diagnostics) {
  std::size_t count = 0;
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::error) count += d.error_count;
  return count;
}

void Diagnostics::error(SourceLocation where, std::string path, std::string message) {
  add_error({Severity::error, std::move(where), std::move(path), std::move(message)});
}
void Diagnostics::unlisted_errors(SourceLocation where, std::size_t count, std::string message) {
  if (count == 0) return;
  add_error(
      {.severity = Severity::error, .where = std::move(where), .message = std::move(message), .error_count = count});
}
void Diagnostics::add_error(Diagnostic d) {
  error_count_ += d.error_count;
  if (!listing_errors()) return;
  ++listed_errors_;
  items_.push_back(std::move(d));
}
void Diagnostics::warning(SourceLocation where, std::string path, std::string message) {
  items_.push_back({Severity::warning, std::move(where), std::move(path), std::move(message)});
}
void Diagnostics::append(const Diagnostics& other) {
  for (const Diagnostic& d : other.items_) {
    if (d.severity == Severity::error)
      add_error(d);
    else
      items_.push_back(d);
  }
  error_count_ += other.error_count_ - count_errors(other.items_);  // those `other` did not list
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
  if (error_count_ == 0) return;
  std::vector<Diagnostic> listed = errors();
  if (const std::size_t unlisted = error_count_ - count_errors(listed); unlisted > 0) {
    Diagnostic more;
    more.where.file = listed.empty() ? FileName() : listed.back().where.file;
    more.message = std::to_string(unlisted) + " more errors are not listed";
    more.error_count = unlisted;
    listed.push_back(std::move(more));
  }
  throw ScenarioError(std::move(listed));
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

namespace {
std::vector<Diagnostic> one_error(SourceLocation where, std::string path, std::string message) {
  std::vector<Diagnostic> out(1);
  out[0].where = std::move(where);
  out[0].path = std::move(path);
  out[0].message = std::move(message);
  return out;
}
}  // namespace

ScenarioError::ScenarioError(SourceLocation where, std::string path, std::string message)
    : ScenarioError(one_error(std::move(where), std::move(path), std::move(message))) {}

std::size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte (Unicode Table 3-7)
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return length;
}

std::string ascii_lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

bool starts_with_format_control(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() >= 2 && byte(0) == 0xC2 && byte(1) >= 0x80 && byte(1) <= 0x9F) return true;
  if (s.size() < 3 || byte(0) != 0xE2) return false;
  return (byte(1) == 0x80 && byte(2) >= 0xAA && byte(2) <= 0xAE) ||
         (byte(1) == 0x81 && byte(2) >= 0xA6 && byte(2) <= 0xA9);
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = byte < 0x80 ? 1 : utf8_sequence_length(text.substr(i));
    if (length == 0 || byte < 0x20 || byte == 0x7F || starts_with_format_control(text.substr(i))) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (i < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string format_quantity(double value) {
  std::ostringstream os;
  os.precision(6);
  os << value;
  return os.str();
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Names are short: a long word is no typo of one, and its distances would cost |word|^2 each.
  constexpr std::size_t kMaxSuggestedBytes = 64;
  if (word.size() > kMaxSuggestedBytes) return {};
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
