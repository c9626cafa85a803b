// The subcommands of the `cascade` program, apart from argument parsing (main.cc).
//
//   ValidateCommand v{.scenario_file = "scenarios/ai-2026/baseline.yaml"};
//   return validate(v);                    // prints diagnostics, returns an ExitCode
//
// Each command reports user errors (a bad scenario or override, an existing output directory)
// itself and returns ExitCode::bad_input; it lets InternalError (a bug) propagate to main,
// which reports it as such. Output: results on stdout, diagnostics and logs on stderr.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cascade::cli {

/// The program's exit codes (tools/README.md).
enum class ExitCode : int {
  ok = 0,
  runs_failed = 1,     ///< a sweep stopped at a failed run (on_failure: stop)
  bad_input = 2,       ///< invalid scenario or override, bad option, output directory in the way
  internal_error = 3,  ///< a bug: a broken engine invariant
  interrupted = 130,   ///< stopped by SIGINT or SIGTERM; the same command resumes (sweeps)
};

struct ValidateCommand {
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;  ///< `--set` texts, "name=value", in the order given
};

struct RunCommand {
  std::filesystem::path scenario_file;
  std::vector<std::string> overrides;      ///< `--set` texts, "name=value", in the order given
  std::optional<std::filesystem::path> out_dir;  ///< default: runs/<scenario name>
  std::optional<std::uint64_t> seed;       ///< default: the scenario's simulation.seed
  int threads = 1;
  bool audit = false;
  bool force = false;                      ///< replace an existing output directory
  bool ablate = false;                     ///< also run the channel ablation (ablation.csv)
  bool cut_loops = false;                  ///< also measure each loop's contribution (loop_contribution.csv)
  std::size_t max_loops = 20;              ///< loops cut, largest first
  std::uint32_t replications = 0;          ///< above 0: a replication study (replications_command.h)
  bool report = false;                     ///< also write DIR/report.html (`cascade report`)
  std::vector<std::string> command_line;   ///< argv, recorded in manifest.json
};

/// The default output directory of a run: runs/<scenario name>, and with `--set` overrides
/// runs/<scenario name>--set-<first 6 hex digits of the SHA-256 of the override texts, one per
/// line, in order>, so that variants do not overwrite the baseline or each other.
std::filesystem::path default_out_dir(const std::string& scenario_name, const std::vector<std::string>& override_texts);

/// Warns of each directory a killed process writing `target` left beside it
/// (output::abandoned_staging): nothing removes them, and they can be as large as the output.
void warn_of_abandoned_staging(const std::filesystem::path& target);

/// `text` as one shell word: as it is when it is plainly safe, else in single quotes. For the
/// commands Cascade prints for people to run.
std::string shell_quoted(std::string_view text);

/// Loads and validates; prints warnings and a one-line verdict.
ExitCode validate(const ValidateCommand& command);

/// Loads, runs, writes the run directory and prints the summary.
ExitCode run(const RunCommand& command);

}  // namespace cascade::cli
