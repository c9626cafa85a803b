// A sweep's output directory: one process at a time, tied to one sweep, resumable.
//
//   SweepDirectory dir = SweepDirectory::open("runs/study", identity, /*replace=*/false);
//   Journal& journal = dir.journal();            // what earlier attempts finished
//   ... run the pending chunks ...
//   dir.write_manifest(manifest);                 // status, counts
//
// Layout: `.lock` (held with flock(2) while a process writes), `manifest.json` (identity and
// status), `sweep.yaml` (the sweep file's bytes, for `cascade analyze DIR`), `journal.cj` (the
// finished chunks, journal.h), and once complete the result files (results_table.h).
//
// Opening refuses, with a message that says what to do: a directory another process holds;
// a directory that is not a sweep directory; one of another sweep file, scenario, engine
// version or build (engine/core/build_id.h), or shard layout. With `replace`, a sweep directory
// (any sweep) is cleared first and the sweep starts again; a directory that holds anything else
// is never cleared.
//
// Thread safety: one owner; the journal has its own contract.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "engine/output/json_file.h"
#include "engine/sweep/journal.h"
#include "engine/sweep/sweep.h"

namespace cascade::sweep {

/// The directory cannot be used for this sweep; the message says why and what to do.
class SweepDirectoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What makes two attempts the same sweep (a mismatch refuses to resume).
struct SweepIdentity {
  std::string sweep_hash;
  std::string scenario_hash;  ///< "" without a scenario
  std::string version;
  std::string build;  ///< build_id() of the process that started it ("" in manifests of older builds)
  Shard shard;
  std::uint64_t runs = 0;

  /// The build as messages name it: its id, or "unrecorded" for a manifest of an older build.
  std::string build_name() const { return build.empty() ? "unrecorded" : build; }
};

/// Why an attempt `wanted` may not resume the sweep `found` (a different sweep file, scenario,
/// version, build, shard or size), in words after "cannot resume ...: "; "" when it may.
std::string resume_mismatch(const SweepIdentity& found, const SweepIdentity& wanted);

class SweepDirectory {
 public:
  /// Creates or reopens `dir` for the sweep `identity`; `sweep_file_bytes` go to sweep.yaml.
  /// Throws SweepDirectoryError (or JournalError on an I/O error).
  static SweepDirectory open(const std::filesystem::path& dir, const SweepIdentity& identity,
                             const std::string& sweep_file_bytes, bool replace);
  /// Opens a finished or unfinished directory read-only (merge, analyze): no lock taken.
  static SweepDirectory open_read_only(const std::filesystem::path& dir);

  SweepDirectory(SweepDirectory&&) noexcept;
  SweepDirectory& operator=(SweepDirectory&&) = delete;
  ~SweepDirectory();

  const std::filesystem::path& path() const { return dir_; }
  Journal& journal() { return *journal_; }
  const Journal& journal() const { return *journal_; }
  /// The manifest found when opening (empty object for a new directory).
  const output::Json& previous_manifest() const { return previous_manifest_; }
  /// Replaces manifest.json (written to a temporary name, then renamed).
  void write_manifest(const output::Json& manifest) const;

  /// The identity recorded in a manifest (for merge and for messages).
  static SweepIdentity identity_of(const output::Json& manifest);
  /// The manifest's identity fields for `identity`, to merge into a manifest.
  static output::Json identity_json(const SweepIdentity& identity);

 private:
  SweepDirectory() = default;
  std::filesystem::path dir_;
  int lock_fd_ = -1;
  std::optional<Journal> journal_;
  output::Json previous_manifest_ = output::Json::object();
};

/// Size and CRC-32 of each of `files` in `dir`, as a manifest records them once the sweep is
/// complete: {"results.csv": {"bytes": N, "crc32": "89abcdef"}, ...}. Throws OutputError when a
/// file cannot be read.
output::Json result_file_fingerprints(const std::filesystem::path& dir, std::span<const std::string_view> files);
/// Why the result files in `dir` no longer match `recorded` (result_file_fingerprints), e.g.
/// "results.sqlite has 8,192 bytes, 40,960 were written"; nullopt when every recorded file
/// matches (and when nothing was recorded).
std::optional<std::string> result_files_damage(const std::filesystem::path& dir, const output::Json& recorded);

inline constexpr std::string_view kSweepManifestKind = "cascade-sweep";

}  // namespace cascade::sweep
