// `cascade merge DIR... --out DIR`: the shards of one sweep combined into the files a single
// process writes (the same bytes).
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "engine/output/staging_directory.h"
#include "engine/sweep/results_table.h"
#include "engine/sweep/runner.h"
#include "engine/sweep/sweep_directory.h"
#include "scenarios/loader/document.h"
#include "scenarios/loader/sweep_reader.h"
#include "tools/cascade/commands.h"
#include "tools/cascade/progress.h"
#include "tools/cascade/sweep_command.h"
#include "tools/cascade/sweep_support.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
using output::Json;

std::string shard_name(const sweep::Shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

/// The command that finishes shard `shard` in `dir`: the one that started it (`recorded`, from its
/// manifest; other relative paths are as it was started), with --out naming where the shard is
/// now and without --force (which would discard its finished runs), each word quoted for a shell.
std::string finishing_command(const std::vector<std::string>& recorded, const fs::path& dir,
                              const sweep::Shard& shard) {
  const std::string out_dir = fs::absolute(dir).lexically_normal().string();
  if (recorded.empty()) return "cascade sweep SWEEP --out " + shell_quoted(out_dir) + " --shard " + shard_name(shard);
  std::string command;
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    std::string word = recorded[i];
    if (word == "--force") continue;
    if (i > 0 && recorded[i - 1] == "--out")
      word = out_dir;
    else if (word.starts_with("--out="))
      word = "--out=" + out_dir;
    command += (command.empty() ? "" : " ") + shell_quoted(word);
  }
  return command;
}

/// Refuses with `message` (exit 2).
ExitCode refuse(const std::string& message) {
  std::cerr << "error: " << message << '\n';
  return ExitCode::bad_input;
}

/// Why --force may not replace --out, if it may not: only an empty directory or an earlier
/// merge (its manifest.json names the shards it was merged from) is replaced, never a shard being
/// merged, another sweep's directory or anything else a mistyped --out could name.
std::optional<std::string> not_replaceable(const MergeCommand& command,
                                           const std::vector<sweep::SweepDirectory>& dirs) {
  std::error_code ec;
  const fs::path& out = command.out_dir;
  if (!command.force || !fs::exists(fs::symlink_status(out, ec))) return std::nullopt;  // refused or created later
  for (const sweep::SweepDirectory& d : dirs)
    if (fs::equivalent(out, d.path(), ec))
      return "--out '" + out.string() + "' is the shard directory '" + d.path().string() + "'; merge into another";
  if (!fs::is_directory(fs::symlink_status(out, ec)))
    return "--out '" + out.string() + "' exists and is not a directory; refusing to replace it";
  if (fs::is_empty(out, ec)) return std::nullopt;
  std::ifstream in(out / "manifest.json");
  const Json manifest = Json::parse(in, nullptr, false);
  if (manifest.is_object() && manifest.contains("merged_from")) return std::nullopt;
  return "--out '" + out.string() +
         "' exists and does not hold an earlier merge (no manifest.json naming its shards); " +
         "--force replaces only that";
}

}  // namespace

ExitCode merge(const MergeCommand& command) {
  std::vector<sweep::SweepDirectory> dirs;
  try {
    for (const fs::path& p : command.shard_dirs) dirs.push_back(sweep::SweepDirectory::open_read_only(p));
  } catch (const sweep::SweepDirectoryError& e) {
    return refuse(e.what());
  } catch (const sweep::JournalError& e) {
    return refuse(e.what());
  }
  if (dirs.empty()) return refuse("give the shard directories to merge");

  const Json& first_manifest = dirs.front().previous_manifest();
  const sweep::SweepIdentity first = sweep::SweepDirectory::identity_of(first_manifest);
  std::map<std::uint32_t, std::size_t> by_index;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const sweep::SweepIdentity id = sweep::SweepDirectory::identity_of(dirs[i].previous_manifest());
    const std::string name = dirs[i].path().string();
    if (id.sweep_hash != first.sweep_hash || id.runs != first.runs)
      return refuse("'" + name + "' holds a shard of a different sweep file than '" + dirs.front().path().string() +
                    "'; merge only the shards of one sweep");
    if (id.scenario_hash != first.scenario_hash)
      return refuse("'" + name + "' ran with a different scenario (its files changed) than '" +
                    dirs.front().path().string() + "'");
    if (id.version != first.version)
      return refuse("'" + name + "' was written by Cascade " + id.version + ", '" + dirs.front().path().string() +
                    "' by " + first.version);
    if (id.build != first.build)
      return refuse("'" + name + "' was written by another build of Cascade than '" + dirs.front().path().string() +
                    "' (build " + id.build_name() + " and " + first.build_name() +
                    "), whose results may differ; run every shard with one build");
    if (id.shard.count != first.shard.count)
      return refuse("'" + name + "' is shard " + shard_name(id.shard) + " but '" + dirs.front().path().string() +
                    "' is shard " + shard_name(first.shard) + ": the shards come from different --shard layouts");
    if (const auto [it, inserted] = by_index.emplace(id.shard.index, i); !inserted)
      return refuse("shard " + shard_name(id.shard) + " is given twice: '" + dirs[it->second].path().string() +
                    "' and '" + name + "'");
  }
  std::vector<std::string> missing;
  for (std::uint32_t s = 0; s < first.shard.count; ++s)
    if (!by_index.contains(s)) missing.push_back(std::to_string(s));
  if (!missing.empty())
    return refuse("shard(s) " + join_words(missing) + " of " + std::to_string(first.shard.count) +
                  " are missing; give every shard directory of the sweep");

  std::optional<sweep::SweepSpec> spec = load_directory_sweep_or_report(dirs.front().path());
  if (!spec) return ExitCode::bad_input;
  const sweep::SweepPlan plan(std::move(*spec));
  for (const sweep::SweepDirectory& d : dirs) {
    const sweep::Shard shard = sweep::SweepDirectory::identity_of(d.previous_manifest()).shard;
    const std::vector<std::uint64_t> pending = sweep::pending_chunks(plan, d.journal(), shard);
    if (pending.empty()) continue;
    const auto [first_chunk, last_chunk] = sweep::shard_chunks(plan.chunk_count(), shard);
    const std::vector<std::string> command_line =
        d.previous_manifest().value("command_line", std::vector<std::string>{});
    return refuse("shard " + shard_name(shard) + " in '" + d.path().string() + "' is unfinished (" +
                  with_thousands(last_chunk - first_chunk - pending.size()) + " of " +
                  with_thousands(last_chunk - first_chunk) +
                  " chunks done); finish it with: " + finishing_command(command_line, d.path(), shard));
  }

  std::vector<sweep::MetricSet::Column> outputs;
  for (const Json& c : first_manifest.value("outputs", Json::array()))
    outputs.push_back({c.value("name", ""), c.value("unit", "")});
  std::vector<const sweep::Journal*> journals;
  for (std::uint32_t s = 0; s < first.shard.count; ++s) journals.push_back(&dirs[by_index.at(s)].journal());

  if (const std::optional<std::string> why = not_replaceable(command, dirs)) return refuse(*why);
  warn_of_abandoned_staging(command.out_dir);
  sweep::FailedRuns failed;
  try {
    output::StagingDirectory out(command.out_dir, command.force);
    failed = sweep::write_sweep_results(plan, outputs, journals,
                                        {.version = first.version,
                                         .build = first.build,
                                         .name = plan.spec().name,
                                         .scenario_file = first_manifest.value("scenario_file", ""),
                                         .scenario_hash = first.scenario_hash},
                                        out.path());
    fs::copy_file(dirs.front().path() / "sweep.yaml", out.path() / "sweep.yaml");
    Json manifest = first_manifest;
    sweep::SweepIdentity merged = first;
    merged.shard = {0, 1};
    const Json identity = sweep::SweepDirectory::identity_json(merged);
    for (const auto& [key, value] : identity.items()) manifest[key] = value;
    manifest["status"] = "complete";
    manifest["points_checked"] = true;
    manifest["result_files"] = sweep::result_file_fingerprints(out.path(), sweep::kSweepResultFiles);
    Json sources = Json::array();
    for (const fs::path& p : command.shard_dirs) sources.push_back(p.string());
    manifest["merged_from"] = std::move(sources);
    manifest.erase("threads");
    manifest.erase("command_line");
    output::write_json_file(out.path() / "manifest.json", manifest);
    out.commit();
  } catch (const output::OutputError& e) {
    return refuse(e.what());
  } catch (const sweep::JournalError& e) {
    return refuse(e.what());
  } catch (const fs::filesystem_error& e) {
    return refuse(e.what());
  }
  std::cout << "Merged " << dirs.size() << " shards: " << with_thousands(plan.run_count()) << " runs\n";
  print_results_written(command.out_dir, failed);
  return ExitCode::ok;
}

}  // namespace cascade::cli
