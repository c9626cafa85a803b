// A YAML document as plain values that remember where they were written.
//
// yaml-cpp marks carry a line and a column but not the file, and a scenario merged from
// several files (includes, --set) mixes files. Every `YNode` therefore keeps its file, line,
// column and YAML path, so that any diagnostic raised later can name its origin:
//
//   Diagnostics diags;
//   std::optional<YNode> doc = parse_yaml("firms:\n  - id: x\n", "a.yaml", diags);
//   const YNode& id = doc->find("firms")->items[0].find("id");   // id.path == "firms[0].id"
//                                                                  // id.where == {"a.yaml", 2, 9}
//
// This file's .cc is the only place that includes yaml-cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/limits.h"

namespace cascade::scenario {

struct YEntry;

struct YNode {
  enum class Kind : std::uint8_t { null, scalar, sequence, mapping };

  Kind kind = Kind::null;
  std::string text;  ///< scalar only: the text as written (without quotes)
  /// Scalar only: written without quotes or tag, so it may be read as a number or a bool.
  /// `"60"` is a string, `60` a number.
  bool plain = true;
  std::vector<YNode> items;     ///< sequence only
  std::vector<YEntry> entries;  ///< mapping only, in file order; keys are unique
  SourceLocation where;         ///< 1-based line and column of the value
  std::string path;             ///< YAML path within its file, e.g. "exposures[12].to"

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_mapping() const { return kind == Kind::mapping; }

  /// Mapping only: the value under `key`, nullptr if absent (or not a mapping).
  const YNode* find(std::string_view key) const;
  YNode* find(std::string_view key);
  /// Mapping only: the entry under `key`, nullptr if absent.
  const YEntry* find_entry(std::string_view key) const;

  /// How the node reads in "expected X, got ..." messages: `'abc'`, `a list`, `nothing`, ...
  std::string describe() const;
};

struct YEntry {
  std::string key;
  SourceLocation key_where;  ///< where the key is written (unknown-key diagnostics point here)
  YNode value;
};

/// Joins a YAML path and a key: ("firms[0]", "id") -> "firms[0].id"; ("", "firms") -> "firms".
/// Every value stores its path, so paths are cut as messages show them: a key longer than
/// Diagnostic::kMaxPathBytes appears as its excerpt, and a path that long gets nothing more
/// (a megabyte key over a long list would otherwise cost a megabyte per item).
std::string child_path(const std::string& parent, std::string_view key);
/// The path of item `index` of a list: ("firms", 3) -> "firms[3]"; cut like child_path.
std::string item_path(const std::string& parent, std::size_t index);

/// What makes a text unfit for YAML, and the byte where it starts.
struct TextProblem {
  std::size_t offset;
  std::string message;  ///< "not UTF-8 text: byte \xe9 does not start a UTF-8 character", ...
};
/// Scenario and sweep files, and `--set` texts, are UTF-8 (a byte order mark allowed at the start)
/// of printable characters, tab, CR and LF, as YAML 1.2 requires: the first thing that is not.
std::optional<TextProblem> text_problem(std::string_view text);

/// Parses the one YAML document in `text`; `file` is the name diagnostics show. Reports
/// syntax errors (with yaml-cpp's line and column), an empty file, several documents and
/// duplicate keys, and returns nullopt when the document cannot be used.
///
/// The tree is built from yaml-cpp's parse events (no yaml-cpp node tree), in one pass that
/// counts the values with every alias expanded and refuses, at the value that crosses it, more
/// than `max_values` values or `max_bytes` bytes of scalar text, values nested more than
/// kMaxYamlDepth levels, and an alias inside the value it names. When the text holds a '*' (so it may hold an alias), a
/// first pass counts without building, so an alias bomb is refused before it costs memory. So memory and time stay
/// proportional to the accepted values, however the aliases multiply.
std::optional<YNode> parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags,
                                std::uint64_t max_values = InputLimits{}.max_yaml_values,
                                std::uint64_t max_bytes = InputLimits{}.max_file_bytes);

}  // namespace cascade::scenario
