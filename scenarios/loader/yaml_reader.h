// Typed reading of located YAML values, reporting every problem as a diagnostic.
//
// `MapReader` reads one mapping whose keys are known in advance: it reports a value that is
// not a mapping and every unknown key (with did-you-mean), then reads typed fields. A field
// that is absent keeps the caller's default; a field that is present but wrong is reported
// and also leaves the default, so reading goes on and every problem is found in one pass.
//
//   MapReader r(node, {"id", "cash", "note"}, diags);
//   r.string("id", firm.id, Need::required);        // "missing required key 'id'"
//   r.figure("cash", Range::at_least(0), firm.cash_usd_bn, firm.sources);
//                                                    // "firms[3].cash: must be >= 0, got -5"
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "scenarios/loader/yaml_tree.h"

namespace cascade::scenario {

/// The file name of values given on the command line (`--set`).
inline constexpr std::string_view kCommandLine = "<command line>";

/// Shortest text that reads back as the same double ("1.5", "-5", "1e+20").
std::string format_number(double v);

/// "a, b, c": for messages that list the valid choices.
std::string join(std::span<const std::string> words);

/// "unknown firm 'opnai' (did you mean 'openai'?)": the closest candidate by edit distance,
/// else the only candidate that extends or shortens the word ('horizon' -> 'horizon_ticks');
/// with neither, "(expected one of: a, b, c)" when the list is short, else nothing more.
std::string unknown_name_message(std::string_view noun, const std::string& word,
                                 const std::vector<std::string>& candidates);

/// The YAML path under which to report a bad key of `mapping`: the mapping's own path, or
/// for a key added by --set, the override's path ("--set firms.openai.cahs").
const std::string& key_path(const YNode& mapping, const YEntry& entry);

/// The accepted values of a finite number: [min, max], the lower bound optionally exclusive.
struct Range {
  double min;
  double max;
  bool min_exclusive = false;

  static Range any();
  static Range at_least(double min);
  static Range above(double min);  ///< exclusive: > min
  static Range between(double min, double max);

  bool contains(double v) const;
  std::string describe() const;  ///< ">= 0", "> 0", "between 0 and 1", "> 0 and <= 1"
  /// What `v` (outside the range) should be: describe(), or for a range whose upper end only
  /// guards the arithmetic (kMaxInputAmount or more) the bound `v` passed (">= 0", "<= 1e+15").
  std::string describe_violation(double v) const;
};

/// A number as written, with its source note when written as `{value, source, note}`.
struct Figure {
  double value = 0.0;
  std::optional<SourceNote> source;
};

// Scalar readers: return the value, or report why the node is not one and return nullopt.
std::optional<double> read_number(const YNode& node, Range range, Diagnostics& diags);
/// A whole number in [min, max] (written as 12, 12.0 or 1.2e1).
std::optional<std::int64_t> read_integer(const YNode& node, std::int64_t min, std::int64_t max, Diagnostics& diags);
std::optional<std::uint64_t> read_unsigned(const YNode& node, Diagnostics& diags);
std::optional<bool> read_bool(const YNode& node, Diagnostics& diags);
/// Any scalar, quoted or not (`version: 0.1` is the string "0.1").
std::optional<std::string> read_string(const YNode& node, Diagnostics& diags);
/// A number, or a mapping {value, source, note}. Values given by --set get source "--set".
std::optional<Figure> read_figure(const YNode& node, Range range, Diagnostics& diags);
/// A name in a list, with its node for later diagnostics (e.g. an unknown firm id).
struct NameRef {
  std::string name;
  const YNode* node;
};
/// A list of names (ids): reports a non-list, an empty list (unless allowed), non-scalar items
/// and names listed twice; returns the valid names, each once.
std::optional<std::vector<NameRef>> read_name_list(const YNode& node, Diagnostics& diags, bool allow_empty = false);

/// Reads an enumerator by its text name; an unknown name lists the choices (or the closest).
template <typename E>
std::optional<E> read_choice(const YNode& node, std::string_view noun, std::optional<E> (*parse)(std::string_view),
                             std::span<const std::string> names, Diagnostics& diags) {
  std::optional<std::string> text = read_string(node, diags);
  if (!text) return std::nullopt;
  if (std::optional<E> v = parse(*text)) return v;
  diags.error(node.where, node.path,
              unknown_name_message(noun, *text, std::vector<std::string>(names.begin(), names.end())));
  return std::nullopt;
}

/// The text names of an enum with `count` values, in declaration order.
template <typename E>
std::vector<std::string> enum_names(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.emplace_back(to_string(static_cast<E>(i)));
  return out;
}

enum class Need : std::uint8_t { optional, required };

/// Reads a mapping with a known set of keys. Cheap to construct; holds references only.
class MapReader {
 public:
  /// Reports `node` when it is not a mapping and each key not in `known`.
  MapReader(const YNode& node, std::initializer_list<std::string_view> known, Diagnostics& diags);
  MapReader(const YNode& node, std::span<const std::string_view> known, Diagnostics& diags);

  bool is_mapping() const { return node_.is_mapping(); }
  const YNode& node() const { return node_; }
  Diagnostics& diags() const { return diags_; }

  /// The value under `key`, or nullptr; a required key that is absent is reported.
  const YNode* get(std::string_view key, Need need = Need::optional) const;

  // Typed fields: each sets `out` and returns true only when the key is present and valid.
  bool number(std::string_view key, Range range, double& out, Need need = Need::optional) const;
  /// Records the source note (when given) in `sources[key]`.
  bool figure(std::string_view key, Range range, double& out, std::map<std::string, SourceNote>& sources,
              Need need = Need::optional) const;
  bool boolean(std::string_view key, bool& out, Need need = Need::optional) const;
  bool string(std::string_view key, std::string& out, Need need = Need::optional) const;

  template <typename Int>
  bool integer(std::string_view key, Int min, Int max, Int& out, Need need = Need::optional) const {
    const YNode* n = get(key, need);
    if (!n) return false;
    std::optional<std::int64_t> v = read_integer(*n, min, max, diags_);
    if (v) out = static_cast<Int>(*v);
    return v.has_value();
  }

  template <typename E>
  bool choice(std::string_view key, std::string_view noun, std::optional<E> (*parse)(std::string_view),
              std::span<const std::string> names, E& out, Need need = Need::optional) const {
    const YNode* n = get(key, need);
    if (!n) return false;
    std::optional<E> v = read_choice(*n, noun, parse, names, diags_);
    if (v) out = *v;
    return v.has_value();
  }

 private:
  void check_keys(std::span<const std::string_view> known) const;

  const YNode& node_;
  Diagnostics& diags_;
};

}  // namespace cascade::scenario
