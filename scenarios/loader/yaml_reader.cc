#include "scenarios/loader/yaml_reader.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace cascade::scenario {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Shortest word for which a candidate starting with it counts as a suggestion.
constexpr std::size_t kMinPrefixLength = 3;

/// Lists longer than this are not spelled out in "expected one of" messages.
constexpr std::size_t kMaxListedChoices = 16;

/// YAML 1.2 spellings of infinity and not-a-number (after an optional sign).
bool is_yaml_special_float(std::string_view s) {
  static constexpr std::array<std::string_view, 6> kSpecials{".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  for (std::string_view special : kSpecials)
    if (s == special) return true;
  return false;
}

/// Parses a plain YAML number; non-finite spellings give inf or nan. A well-formed number
/// beyond a double's range (1e400, 1e-400) gives nullopt with `beyond_range` set.
std::optional<double> parse_double(std::string_view s, bool& beyond_range) {
  beyond_range = false;
  if (is_yaml_special_float(s)) {
    const bool negative = s.front() == '-';
    if (s.find_first_of("nN") != std::string_view::npos) return std::numeric_limits<double>::quiet_NaN();
    return negative ? -kInf : kInf;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  beyond_range = !s.empty() && ec == std::errc::result_out_of_range && end == s.data() + s.size();
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool is_command_line(const SourceLocation& where) { return where.file == kCommandLine; }

}  // namespace

std::string format_number(double v) {
  // Whole numbers as integers ("1000000", not "1e+06"); the rest in their shortest form.
  if (std::trunc(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

std::string join(std::span<const std::string> words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string unknown_name_message(std::string_view noun, const std::string& word,
                                 const std::vector<std::string>& candidates) {
  std::string out = "unknown " + std::string(noun) + " '" + excerpt(word) + "'";
  std::string suggestion = did_you_mean(word, candidates);
  if (suggestion.empty() && word.size() >= kMinPrefixLength) {
    // A shortened or lengthened name ("horizon" for "horizon_ticks") when only one fits.
    std::size_t matches = 0;
    for (const std::string& c : candidates) {
      if (!c.starts_with(word) && !word.starts_with(c)) continue;
      suggestion = c;
      ++matches;
    }
    if (matches != 1) suggestion.clear();
  }
  if (!suggestion.empty()) return out + " (did you mean '" + suggestion + "'?)";
  if (!candidates.empty() && candidates.size() <= kMaxListedChoices)
    return out + " (expected one of: " + join(candidates) + ")";
  return out;
}

const std::string& key_path(const YNode& mapping, const YEntry& entry) {
  return is_command_line(entry.key_where) ? entry.value.path : mapping.path;
}

Range Range::any() { return {-kInf, kInf}; }
Range Range::at_least(double min) { return {min, kInf}; }
Range Range::above(double min) { return {min, kInf, true}; }
Range Range::between(double min, double max) { return {min, max}; }

bool Range::contains(double v) const { return (min_exclusive ? v > min : v >= min) && v <= max; }

std::string Range::describe_violation(double v) const {
  // A bound at kMaxInputAmount or beyond guards the arithmetic, not the meaning: name only the
  // side that was passed ("must be >= 0", not "must be between 0 and 1e+15").
  if (max < kMaxInputAmount) return describe();
  if (min_exclusive ? v <= min : v < min) return (min_exclusive ? "> " : ">= ") + format_number(min);
  return "<= " + format_number(max);
}

std::string Range::describe() const {
  if (max == kInf) return (min_exclusive ? "> " : ">= ") + format_number(min);
  if (min == -kInf) return "<= " + format_number(max);
  if (min_exclusive) return "> " + format_number(min) + " and <= " + format_number(max);
  return "between " + format_number(min) + " and " + format_number(max);
}

std::optional<double> read_number(const YNode& node, Range range, Diagnostics& diags) {
  if (!node.is_scalar() || !node.plain) {
    diags.error(node.where, node.path, "expected a number, got " + node.describe());
    return std::nullopt;
  }
  bool beyond_range = false;
  const std::optional<double> v = parse_double(node.text, beyond_range);
  if (beyond_range) {
    diags.error(node.where, node.path,
                "a number beyond the range of a double (about 1e-308 to 1e308 in size), got " + excerpt(node.text));
    return std::nullopt;
  }
  if (!v) {
    diags.error(node.where, node.path, "expected a number, got " + node.describe());
    return std::nullopt;
  }
  if (!std::isfinite(*v)) {
    diags.error(node.where, node.path, "must be a finite number, got " + excerpt(node.text));
    return std::nullopt;
  }
  if (!range.contains(*v)) {
    diags.error(node.where, node.path, "must be " + range.describe_violation(*v) + ", got " + excerpt(node.text));
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> read_integer(const YNode& node, std::int64_t min, std::int64_t max, Diagnostics& diags) {
  const std::optional<double> v = read_number(node, Range::any(), diags);
  if (!v) return std::nullopt;
  if (std::trunc(*v) != *v) {
    diags.error(node.where, node.path, "must be a whole number, got " + excerpt(node.text));
    return std::nullopt;
  }
  const Range range = Range::between(static_cast<double>(min), static_cast<double>(max));
  if (!range.contains(*v)) {
    diags.error(node.where, node.path, "must be " + range.describe() + ", got " + excerpt(node.text));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*v);
}

std::optional<std::uint64_t> read_unsigned(const YNode& node, Diagnostics& diags) {
  std::uint64_t v = 0;
  const std::string& s = node.text;
  const bool ok = node.is_scalar() && node.plain && !s.empty() &&
                  std::from_chars(s.data(), s.data() + s.size(), v) == std::from_chars_result{s.data() + s.size(), std::errc()};
  if (!ok) {
    diags.error(node.where, node.path, "expected a whole number from 0 to 18446744073709551615, got " + node.describe());
    return std::nullopt;
  }
  return v;
}

std::optional<bool> read_bool(const YNode& node, Diagnostics& diags) {
  if (node.is_scalar() && node.plain) {
    if (node.text == "true" || node.text == "True" || node.text == "TRUE") return true;
    if (node.text == "false" || node.text == "False" || node.text == "FALSE") return false;
  }
  diags.error(node.where, node.path, "expected true or false, got " + node.describe());
  return std::nullopt;
}

std::optional<std::string> read_string(const YNode& node, Diagnostics& diags) {
  if (node.is_scalar()) return node.text;
  diags.error(node.where, node.path, "expected a text value, got " + node.describe());
  return std::nullopt;
}

std::optional<Figure> read_figure(const YNode& node, Range range, Diagnostics& diags) {
  if (!node.is_mapping()) {
    const std::optional<double> v = read_number(node, range, diags);
    if (!v) return std::nullopt;
    Figure f{*v, std::nullopt};
    if (is_command_line(node.where)) f.source = SourceNote{"--set", ""};
    return f;
  }
  const MapReader r(node, {"value", "source", "note"}, diags);
  Figure f;
  if (!r.number("value", range, f.value, Need::required)) return std::nullopt;
  SourceNote note;
  const bool has_source = r.string("source", note.source);
  const bool has_note = r.string("note", note.note);
  if (has_source || has_note) f.source = std::move(note);
  return f;
}

std::optional<std::vector<NameRef>> read_name_list(const YNode& node, Diagnostics& diags, bool allow_empty) {
  if (!node.is_sequence()) {
    const bool from_set = node.where.file == kCommandLine;
    diags.error(node.where, node.path,
                "expected a list, got " + node.describe() + (from_set ? " (write a list as --set path=[a,b])" : ""));
    return std::nullopt;
  }
  if (node.items.empty() && !allow_empty) {
    diags.error(node.where, node.path, "must not be empty");
    return std::nullopt;
  }
  std::vector<NameRef> out;
  for (const YNode& item : node.items) {
    std::optional<std::string> name = read_string(item, diags);
    if (!name) continue;
    bool seen = false;
    for (const NameRef& earlier : out) seen = seen || earlier.name == *name;
    if (seen) {
      diags.error(item.where, item.path, "'" + *name + "' is listed twice");
      continue;
    }
    out.push_back({std::move(*name), &item});
  }
  return out;
}

MapReader::MapReader(const YNode& node, std::initializer_list<std::string_view> known, Diagnostics& diags)
    : node_(node), diags_(diags) {
  check_keys(std::span<const std::string_view>(known.begin(), known.size()));
}

MapReader::MapReader(const YNode& node, std::span<const std::string_view> known, Diagnostics& diags)
    : node_(node), diags_(diags) {
  check_keys(known);
}

void MapReader::check_keys(std::span<const std::string_view> known) const {
  if (!node_.is_mapping()) {
    diags_.error(node_.where, node_.path, "expected a mapping, got " + node_.describe());
    return;
  }
  for (const YEntry& e : node_.entries) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == e.key;
    if (ok) continue;
    diags_.error(e.key_where, key_path(node_, e),
                 unknown_name_message("key", e.key, std::vector<std::string>(known.begin(), known.end())));
  }
}

const YNode* MapReader::get(std::string_view key, Need need) const {
  const YNode* n = node_.find(key);
  if (!n && need == Need::required && node_.is_mapping())
    diags_.error(node_.where, node_.path, "missing required key '" + std::string(key) + "'");
  return n;
}

bool MapReader::number(std::string_view key, Range range, double& out, Need need) const {
  const YNode* n = get(key, need);
  if (!n) return false;
  const std::optional<double> v = read_number(*n, range, diags_);
  if (v) out = *v;
  return v.has_value();
}

bool MapReader::figure(std::string_view key, Range range, double& out, std::map<std::string, SourceNote>& sources,
                       Need need) const {
  const YNode* n = get(key, need);
  if (!n) return false;
  std::optional<Figure> f = read_figure(*n, range, diags_);
  if (!f) return false;
  out = f->value;
  if (f->source) sources[std::string(key)] = std::move(*f->source);
  return true;
}

bool MapReader::boolean(std::string_view key, bool& out, Need need) const {
  const YNode* n = get(key, need);
  if (!n) return false;
  const std::optional<bool> v = read_bool(*n, diags_);
  if (v) out = *v;
  return v.has_value();
}

bool MapReader::string(std::string_view key, std::string& out, Need need) const {
  const YNode* n = get(key, need);
  if (!n) return false;
  std::optional<std::string> v = read_string(*n, diags_);
  if (v) out = std::move(*v);
  return v.has_value();
}

}  // namespace cascade::scenario
