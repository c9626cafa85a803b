// One scenario document assembled from its files: includes merged, --set overrides applied.
//
// The result is still untyped YAML (located `YNode`s); section readers turn it into a Model.
//
//   Diagnostics diags;
//   ScenarioDocument doc = load_document("variant.yaml", InputLimits{}, diags);   // variant + baseline merged
//   apply_override(doc.root, {"simulation.horizon_ticks", "24"}, diags);
//
// Merge rules (docs/scenario-format.md, "include"): included files first, in order; list
// sections are concatenated; mapping sections merged key by key (agent_defaults and facts two
// levels deep), the including file winning; `format` and `scenario` come from the main file.
// An include entry `{file, shift_ticks, scale}` records a transform for the shocks its file
// contributes (scenarios/loader/shock_transform.h); the model builder applies it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/limits.h"
#include "scenarios/loader/loader.h"
#include "scenarios/loader/shock_transform.h"
#include "scenarios/loader/yaml_tree.h"

namespace cascade::scenario {

/// The format tag every main file declares.
inline constexpr std::string_view kFormatTag = "cascade-scenario/1";

struct LoadedFile {
  std::string name;   ///< as diagnostics show it: as given for the main file, resolved for includes
  std::string bytes;  ///< the file's content, for the scenario hash
};

struct ScenarioDocument {
  /// The merged top level. Holds only known section keys, each with the expected node kind
  /// (lists for list sections, mappings for mapping sections); `format` and `scenario` are
  /// the main file's.
  YNode root;
  /// Main file first, then included files in the order they were opened.
  std::vector<LoadedFile> files;
  /// Shocks moved or scaled by an include entry `{file, shift_ticks, scale}`, by list item.
  ShockTransforms shock_transforms;
  /// `scenario` blocks of included files: checked like the main one, not used.
  std::vector<YNode> included_scenarios;
  /// False when a file could not be read or parsed: the document is then missing sections.
  bool complete = true;
  /// The limits it was read with; the section readers apply them too (plain networks).
  InputLimits limits;
};

/// Reads a whole regular file of at most `max_bytes` bytes into `out`; on failure returns false
/// with the reason ("no such file", "is a directory", "not a regular file ...", the size
/// limit, ...) in `error`. Never blocks on a FIFO and never reads a device.
bool read_file_bytes(const std::filesystem::path& path, std::string& out, std::string& error,
                     std::uint64_t max_bytes = InputLimits{}.max_file_bytes);

/// Reads `main` and everything it includes, within `limits` (file sizes, YAML values, include
/// depth). Problems (missing files, syntax errors, include cycles, unknown or mistyped
/// top-level keys, a missing or wrong `format`, a limit passed) go to `diags`.
ScenarioDocument load_document(const std::filesystem::path& main, const InputLimits& limits, Diagnostics& diags);

/// Why `path` cannot name a value ("empty name in path 'a..b'"), or "" when it is well formed.
std::string override_path_problem(std::string_view path);

/// Replaces one scalar of the merged document (creating it, and missing mappings on the way,
/// when absent). Values set here are located in the file "<command line>" with the YAML path
/// "--set <path>". A path through a list item whose id does not exist, through a non-mapping,
/// or ending at a list or mapping, is reported; a key that the schema does not know is left
/// for the section readers to report as unknown.
void apply_override(YNode& root, const Override& override_value, Diagnostics& diags);

}  // namespace cascade::scenario
