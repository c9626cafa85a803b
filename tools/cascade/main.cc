// `cascade`: the command-line program. Parses arguments (CLI11), sets up logging (spdlog, on
// stderr) and hands over to the subcommands in commands.cc. Usage and exit codes: tools/README.md.
//
//   cascade validate scenarios/ai-2026/baseline.yaml
//   cascade run scenarios/ai-2026/baseline.yaml --seed 7 --threads 4 --out runs/seed7
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <tbb/info.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/build_id.h"
#include "engine/core/diagnostics.h"
#include "tools/cascade/analyze_command.h"
#include "tools/cascade/clear_command.h"
#include "tools/cascade/commands.h"
#include "tools/cascade/generate_command.h"
#include "tools/cascade/graph_command.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/loops_command.h"
#include "tools/cascade/number_options.h"
#include "tools/cascade/rank_command.h"
#include "tools/cascade/replications_command.h"
#include "tools/cascade/report_command.h"
#include "tools/cascade/sweep_command.h"

namespace {
using cascade::cli::ExitCode;

constexpr std::uint64_t kMaxSeed = std::numeric_limits<std::uint64_t>::max();
constexpr int kMaxThreads = std::numeric_limits<int>::max();

const char* const kExitCodes =
    "Exit codes: 0 success; 1 a sweep stopped at a failed run (on_failure: stop); 2 bad input or\n"
    "usage (invalid scenario, sweep or --set, bad option, output directory in the way or not\n"
    "writable); 3 internal error (a bug: please report it); 130 interrupted (sweeps: the same\n"
    "command resumes).";

const char* const kGlobalOptions =
    "Global options, before or after the subcommand: --log-level trace|debug|info|warn|error|off\n"
    "(log detail on stderr; default info).";

void add_set_option(CLI::App& command, std::vector<std::string>& overrides) {
  command
      .add_option("--set", overrides,
                  "Override one value of the scenario after includes are merged and before validation, e.g.\n"
                  "simulation.horizon_ticks=24, channels.funding=false, firms.openai.cash=10 (USD bn),\n"
                  "agent_defaults.ai_lab.equity_raise_usd_bn_per_year=0; a list or mapping in YAML flow\n"
                  "style, parameters.enforced_statuses=[outstanding,contract]. Units are the scenario's\n"
                  "(docs/scenario-format.md). Repeatable; applied in order.")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
}

/// At most the cores this process may use (oneTBB's default concurrency): more threads would
/// only wait for each other, and oneTBB would warn about them. Says so in one line.
int usable_threads(int requested) {
  const int cores = tbb::info::default_concurrency();
  if (requested <= cores) return requested;
  spdlog::info("--threads {}: {} core(s) available, using {} (results do not depend on the thread count)", requested,
               cores, cores);
  return cores;
}

/// The first word of the command line that is neither an option nor --log-level's value: the
/// subcommand, if the user gave one.
std::string_view first_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--log-level") {
      ++i;  // its value
    } else if (!arg.starts_with('-')) {
      return arg;
    }
  }
  return {};
}

/// Prints `unknown command 'rnu' (did you mean 'run'?)` and the commands when the first word is
/// none of them (CLI11 alone would only say that a subcommand is required); false then.
bool check_command_word(const CLI::App& app, int argc, char** argv) {
  const std::string_view word = first_word(argc, argv);
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  if (word.empty() || std::find(names.begin(), names.end(), word) != names.end()) return true;
  const std::string guess = cascade::did_you_mean(std::string(word), names);
  std::cerr << "error: unknown command '" << word << "'" << (guess.empty() ? "" : " (did you mean '" + guess + "'?)")
            << "\nCommands:";
  for (const std::string& name : names) std::cerr << ' ' << name;
  std::cerr << "\n`cascade --help` describes each, `cascade COMMAND --help` its options.\n";
  return false;
}

void configure_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("cascade");
  logger->set_pattern("%^[%l]%$ %v");
  spdlog::set_default_logger(std::move(logger));
  spdlog::set_level(spdlog::level::from_str(level));
}

/// Flushes stdout; false (with a message on stderr) when something printed there was lost, as on
/// a full disk (`cascade clear DIR > /full/disk/out.json`): results cut short must not pass for whole.
bool stdout_written() {
  std::cout.flush();
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good()) return true;
  std::cerr << "error: cannot write the output to standard output" << (errno != 0 ? ": " : "")
            << (errno != 0 ? std::strerror(errno) : "") << '\n';
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Cascade: agent-based simulation of systemic risk in the AI financing network.", "cascade"};
#ifdef CASCADE_WITH_MPI
  constexpr const char* kBuildFeatures = ", with MPI";
#else
  constexpr const char* kBuildFeatures = "";
#endif
  app.set_version_flag(
      "--version",
      std::string("cascade ") + CASCADE_VERSION + " (build " + std::string(cascade::build_id()) + kBuildFeatures + ")",
      "Print the version, the build id and whether MPI sweeps are built in, and exit");
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand
  app.footer(kExitCodes);

  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Detail of the log written to stderr (results go to stdout)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  // --- validate
  cascade::cli::ValidateCommand validate;
  std::string validate_file;
  CLI::App* validate_app =
      app.add_subcommand("validate", "Load a scenario and report every problem in it (nothing is run or written).");
  validate_app->add_option("FILE", validate_file, "Scenario YAML file (docs/scenario-format.md)")
      ->type_name("")
      ->required();
  add_set_option(*validate_app, validate.overrides);
  validate_app->footer(std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- run
  cascade::cli::RunCommand run;
  std::string run_file, out_dir, seed_text, threads_text = "1";
  CLI::App* run_app = app.add_subcommand(
      "run", "Run a scenario over its horizon, write the run directory and print a summary.");
  run_app->add_option("FILE", run_file, "Scenario YAML file (docs/scenario-format.md)")->type_name("")->required();
  run_app
      ->add_option("--out", out_dir,
                   "Directory to write the outputs to (default: runs/<scenario name>, or with --set\n"
                   "runs/<scenario name>--set-<hash of the --set texts>, relative to the current directory).\n"
                   "It appears complete or not at all.")
      ->type_name("DIR")
      ->check(cascade::cli::not_empty_directory());
  run_app
      ->add_option("--seed", seed_text,
                   "Random seed, a decimal integer in [0, 2^64) (default: the scenario's simulation.seed)")
      ->type_name("N")
      ->check(cascade::cli::decimal_in<std::uint64_t>(0, kMaxSeed, "a decimal integer in [0, 2^64)"));
  run_app
      ->add_option("--threads", threads_text,
                   "Worker threads, >= 1 (default: 1). Results are byte-identical for any value;\n"
                   "only manifest.json records it.")
      ->type_name("N")
      ->check(cascade::cli::decimal_in<int>(1, kMaxThreads, "a whole number >= 1"));
  add_set_option(*run_app, run.overrides);
  run_app->add_flag("--audit", run.audit,
                    "Check money conservation every tick (relative tolerance 1e-9); a breach is reported\n"
                    "as an internal error (exit 3). Default: off.");
  run_app->add_flag("--force", run.force,
                    "Replace DIR if it exists and is empty or an earlier run (has a run's manifest.json). The old\n"
                    "outputs are removed only once the new ones are complete. Default: refuse (exit 2).");
  run_app->add_flag("--ablate", run.ablate,
                    "Also run the scenario with each contagion channel alone, all but one, all and none,\n"
                    "print how much each adds and how they interact, and write ablation.csv.\n"
                    "Runs in parallel on --threads threads. Default: off.");
  run_app->add_flag("--cut-loops", run.cut_loops,
                    "Also rerun the scenario with each circular-financing loop cut in turn (its financing\n"
                    "edge given to an outside counterparty on the same terms), print how much of the loss\n"
                    "each loop adds, and write loop_contribution.csv. Default: off.");
  run_app->add_flag("--report", run.report,
                    "Also write the run's report, DIR/report.html: one self-contained HTML page with charts,\n"
                    "the timeline of defaults, network pictures and rankings (`cascade report`). Default: off.");
  run_app
      ->add_option("--max-loops", run.max_loops,
                   "With --cut-loops: the largest loops to cut, by money going round (default: 20)")
      ->type_name("N")
      ->check(cascade::cli::whole_in(1, 100000));
  CLI::Option* replications =
      run_app
          ->add_option("--replications", run.replications,
                       "Run the scenario N times (N >= 2) with seeds derived from --seed or the scenario's seed,\n"
                       "as a sweep: in parallel on --threads, resumable, into DIR (default:\n"
                       "runs/<scenario name>[--set-<hash>]-replications); write the sweep's files and distribution.csv and\n"
                       "distribution.json, and print each firm's default frequency and the spread of losses.")
          ->type_name("N")
          ->check(cascade::cli::whole_in(2u, 1000000u))
          ->excludes("--audit")
          ->excludes("--ablate")
          ->excludes("--cut-loops");
  // A report (`run --report`, with `cascade report`) describes one run; a study is many.
  if (CLI::Option* report = run_app->get_option_no_throw("--report")) replications->excludes(report);
  run_app->footer(std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- loops, graph (tools/cascade/loops_command.cc, graph_command.cc)
  cascade::cli::LoopsCommand loops;
  CLI::App* loops_app = cascade::cli::add_loops_subcommand(app, loops, std::string(kGlobalOptions) + "\n" + kExitCodes);
  cascade::cli::GraphCommand graph;
  CLI::App* graph_app = cascade::cli::add_graph_subcommand(app, graph, std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- report (tools/cascade/report_command.cc)
  cascade::cli::ReportCommand report;
  CLI::App* report_app =
      cascade::cli::add_report_subcommand(app, report, std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- rank (tools/cascade/rank_command.cc)
  cascade::cli::RankCommand rank;
  CLI::App* rank_app = cascade::cli::add_rank_subcommand(app, rank, std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- design, sweep, merge (tools/cascade/sweep_command.cc, merge_command.cc)
  const std::string footer = std::string(kGlobalOptions) + "\n" + kExitCodes;
  cascade::cli::DesignCommand design;
  CLI::App* design_app = cascade::cli::add_design_subcommand(app, design, footer);
  cascade::cli::SweepCommand sweep;
  CLI::App* sweep_app = cascade::cli::add_sweep_subcommand(app, sweep, footer);
  cascade::cli::MergeCommand merge;
  CLI::App* merge_app = cascade::cli::add_merge_subcommand(app, merge, footer);
  cascade::cli::AnalyzeCommand analyze;
  CLI::App* analyze_app = cascade::cli::add_analyze_subcommand(app, analyze, footer);

  // --- generate (tools/cascade/generate_command.cc)
  cascade::cli::GenerateCommand generate;
  CLI::App* generate_app = cascade::cli::add_generate_subcommand(app, generate, footer);

  // --- clear (tools/cascade/clear_command.cc)
  cascade::cli::ClearCommand clear(app, std::string(kGlobalOptions) + "\n" + kExitCodes);

  // --- input limits on every subcommand that reads inputs (tools/cascade/limit_options.cc)
  for (CLI::App* reader :
       {validate_app, run_app, loops_app, graph_app, rank_app, design_app, sweep_app, app.get_subcommand("clear")})
    cascade::cli::add_limit_options(*reader);

  if (!check_command_word(app, argc, argv)) return static_cast<int>(ExitCode::bad_input);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, version or the error
    return code == 0 ? 0 : static_cast<int>(ExitCode::bad_input);
  }
  configure_logging(log_level);

  try {
    ExitCode code = ExitCode::ok;
    if (clear.selected()) {
      code = clear.run();
    } else if (*generate_app) {
      code = cascade::cli::generate(generate);
    } else if (*loops_app) {
      code = cascade::cli::loops(loops);
    } else if (*graph_app) {
      code = cascade::cli::graph(graph);
    } else if (*report_app) {
      report.command_line.assign(argv, argv + argc);
      code = cascade::cli::report(report);
    } else if (*rank_app) {
      rank.threads = usable_threads(rank.threads);
      code = cascade::cli::rank(rank);
    } else if (*design_app) {
      code = cascade::cli::design(design);
    } else if (*sweep_app) {
      sweep.command_line.assign(argv, argv + argc);
      sweep.threads = usable_threads(sweep.threads);
      code = cascade::cli::sweep(sweep);
    } else if (*merge_app) {
      code = cascade::cli::merge(merge);
    } else if (*analyze_app) {
      code = cascade::cli::analyze(analyze);
    } else if (*validate_app) {
      validate.scenario_file = validate_file;
      code = cascade::cli::validate(validate);
    } else {
      run.scenario_file = run_file;
      if (!out_dir.empty()) run.out_dir = out_dir;
      if (!seed_text.empty()) run.seed = cascade::cli::parse_decimal<std::uint64_t>(seed_text, 0, kMaxSeed);
      run.threads = usable_threads(*cascade::cli::parse_decimal<int>(threads_text, 1, kMaxThreads));
      run.command_line.assign(argv, argv + argc);
      code = run.replications > 0 ? cascade::cli::run_replications(run) : cascade::cli::run(run);
    }
    if (!stdout_written()) return static_cast<int>(ExitCode::bad_input);
    return static_cast<int>(code);
  } catch (const cascade::ScenarioError& error) {
    // Bad input found while running (a run that diverged) by a command that does not report
    // it itself, a ranking's or an ablation's runs on worker threads.
    for (const cascade::Diagnostic& d : error.diagnostics()) std::cerr << d.format() << '\n';
    std::cerr << cascade::count_errors(error.diagnostics()) << " error(s)\n";
    return static_cast<int>(ExitCode::bad_input);
  } catch (const cascade::InternalError& error) {
    std::string_view what = error.what();
    constexpr std::string_view kPrefix = "internal error: ";  // CASCADE_ASSERT messages carry it already
    if (what.substr(0, kPrefix.size()) == kPrefix) what.remove_prefix(kPrefix.size());
    std::cerr << "internal error: " << what << "\nThis is a bug in Cascade; please report it with the scenario and command line.\n";
  } catch (const std::exception& error) {
    std::cerr << "internal error: unexpected " << error.what()
              << "\nThis is a bug in Cascade; please report it with the scenario and command line.\n";
  }
  return static_cast<int>(ExitCode::internal_error);
}
