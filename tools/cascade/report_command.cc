#include "tools/cascade/report_command.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "agents/firm_types.h"
#include "engine/analysis/firm_states.h"
#include "engine/analysis/money_flow.h"
#include "engine/analysis/network_picture.h"
#include "engine/experiments/rank.h"
#include "engine/output/report/report_page.h"
#include "tools/cascade/graphviz.h"
#include "tools/cascade/loops_command.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {
namespace fs = std::filesystem;
using report::NetworkPicture;
using report::ReportRun;

/// Each firm's sole failure in the ranking happens at this tick (as `cascade rank`'s default).
constexpr Tick kRankingTick = 1;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The network picture of `run` at `tick`, or a note when `dot` is missing (warned about once).
std::optional<NetworkPicture> picture_at(const ReportRun& run, const fs::path& scenario_file, Tick tick,
                                         const std::string& caption, bool& warned_no_dot) {
  Diagnostics diags;
  analysis::PictureOptions options;
  fs::path dir = run.data.dir.lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();  // "runs/s8/"
  options.title = run.model.info.name + " (" + dir.filename().string() + "), tick " + std::to_string(tick);
  options.states = analysis::read_firm_states(run.data.dir / "timeseries.csv", run.model, tick, diags);
  for (const Diagnostic& d : diags.items()) std::cerr << d.format() << '\n';
  if (!options.states) return std::nullopt;
  NetworkPicture picture{.caption = caption, .tick = tick, .svg = {}, .note = {}, .defaulted = {}, .distressed = {}};
  for (FirmIdx f = 0; f < run.model.firms.size(); ++f) {
    if (options.states->states[f] == analysis::FirmState::defaulted) picture.defaulted.push_back(run.model.firms[f].id);
    if (options.states->states[f] == analysis::FirmState::distressed)
      picture.distressed.push_back(run.model.firms[f].id);
  }
  const std::string dot = analysis::network_dot(analysis::build_money_flow(run.model), options);
  if (std::optional<std::string> svg = dot_to_svg(dot)) {
    picture.svg = std::move(*svg);
    return picture;
  }
  if (!warned_no_dot) std::cerr << "warning: no network pictures in the report: " << kDotMissingHint << '\n';
  warned_no_dot = true;
  std::string command = "cascade graph " + shell_quoted(scenario_file.string());
  for (const auto& [path, value] : run.data.manifest.overrides) command += " --set " + shell_quoted(path + "=" + value);
  command += " --run " + shell_quoted(run.data.dir.string()) + " --tick " + std::to_string(tick) + " --out network.svg";
  picture.note =
      "No picture: Graphviz's `dot` was not installed when this report was made (Debian: apt-get "
      "install graphviz). Install it and make the report again, or draw the picture with: " +
      command;
  return picture;
}

/// Reads the run, reloads and checks its scenario, draws its pictures and ranks its firms.
/// Prints why and returns nullopt on bad input.
std::optional<ReportRun> load_run(const fs::path& dir, const std::optional<fs::path>& scenario_option,
                                  bool with_start_picture, const ReportCommand& command, bool& warned_no_dot) {
  ReportRun run;
  try {
    run.data = report::read_run_directory(dir);
  } catch (const output::InputError& error) {
    std::cerr << "error: " << error.what() << '\n';
    return std::nullopt;
  }
  const report::ManifestInfo& m = run.data.manifest;
  const fs::path scenario_file = scenario_option.value_or(fs::path(m.scenario_files.front()));
  std::error_code ec;
  if (!fs::is_regular_file(scenario_file, ec)) {
    if (scenario_option)
      std::cerr << "error: the scenario file '" << scenario_file.string() << "' is not there\n";
    else
      std::cerr << "error: the scenario file '" << scenario_file.string() << "' named in "
                << (dir / "manifest.json").string()
                << " is not there (a relative path is relative to where the run was made); give it with --scenario "
                   "FILE (--compare-scenario FILE for the baseline)\n";
    return std::nullopt;
  }
  std::vector<std::string> overrides;
  for (const auto& [path, value] : m.overrides) overrides.push_back(path + "=" + value);
  std::optional<AnalysisInput> input = load_analysis_input(scenario_file, overrides, /*allow_directory=*/false);
  if (!input) return std::nullopt;
  run.model = std::move(*input->model);

  if (run.model.info.content_hash != m.content_hash) {
    const std::string what = "the scenario changed since the run: " + scenario_file.string() +
                             " (with its includes) now has SHA-256 " + run.model.info.content_hash +
                             ", the run was made from " + m.content_hash + " (" + (dir / "manifest.json").string() +
                             ")";
    if (!command.allow_changed_scenario) {
      std::cerr << "error: " << what
                << ".\nRun the scenario again, or pass --allow-changed-scenario to report on this "
                   "run with the scenario as it is now (the report will say so).\n";
      return std::nullopt;
    }
    std::cerr << "warning: " << what << "; reporting anyway (--allow-changed-scenario)\n";
    run.warnings.push_back("The scenario changed after this run: " + what +
                           ". The run's own numbers come from its directory and are as they were; the narrative, "
                           "shocks, sources, network pictures and systemic-importance ranking come from the scenario "
                           "as it is now.");
  }
  run.narrative = report::leading_comment(read_text(scenario_file));

  const Tick last = run.data.summary.ticks_run;
  for (const Tick tick : with_start_picture ? std::vector<Tick>{0, last} : std::vector<Tick>{last}) {
    const std::string caption = tick == 0 ? "start (tick 0)" : "end (tick " + std::to_string(tick) + ")";
    std::optional<NetworkPicture> picture = picture_at(run, scenario_file, tick, caption, warned_no_dot);
    if (!picture) return std::nullopt;
    run.pictures.push_back(std::move(*picture));
  }

  spdlog::info("report: ranking {} firms of {} by their sole failure", run.model.firms.size(), m.scenario_name);
  const RankResult ranked = rank_firms(run.model, RunOptions{.seed = m.seed, .threads = command.threads},
                                       agents::standard_behaviours(), RankOptions{.shock_tick = kRankingTick});
  run.ranking_tick = kRankingTick;
  for (const FirmImpact& i : ranked.failure)
    run.ranking.push_back({i.rank, run.model.firms[i.firm].id, std::string(to_string(run.model.firms[i.firm].type)),
                           i.caused.total_usd_bn(), i.caused.credit_loss_usd_bn, i.caused.revenue_lost_usd_bn,
                           i.caused.outside_creditor_loss_usd_bn, static_cast<double>(i.caused.defaults_caused),
                           i.debtrank});
  return run;
}

}  // namespace

CLI::App* add_report_subcommand(CLI::App& app, ReportCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "report",
      "Write the report of a finished run as one self-contained HTML page (charts, timeline of defaults,\n"
      "network pictures, rankings); with --compare, beside a baseline run. Print it to PDF with\n"
      "chromium --headless --no-pdf-header-footer --print-to-pdf=FILE.pdf FILE.html (docs/report.md).");
  sub->add_option("RUNDIR", command.run_dir, "Run directory (`cascade run --out RUNDIR`)")->type_name("")->required();
  sub->add_option("--compare", command.compare_dir, "A baseline run directory to show beside it")->type_name("DIR");
  sub->add_option("--out", command.out, "The HTML file to write (replaced if it exists)")
      ->type_name("FILE.html")
      ->required();
  sub->add_option(
         "--scenario", command.scenario_file,
         "The run's scenario file (default: the path in RUNDIR/manifest.json, relative to where the run was made)")
      ->type_name("FILE");
  sub->add_option("--compare-scenario", command.compare_scenario_file,
                  "The baseline run's scenario file (default: the path in its manifest.json)")
      ->type_name("FILE");
  sub->add_flag("--allow-changed-scenario", command.allow_changed_scenario,
                "Report even if the scenario's files changed since the run (their SHA-256 differs from the\n"
                "manifest's); the page says so. Default: refuse (exit 2).");
  sub->add_option("--threads", command.threads, "Runs of the systemic-importance ranking in parallel (default: 1)")
      ->type_name("N")
      ->check(whole_in(1, 1024));
  sub->footer(footer);
  return sub;
}

ExitCode report(const ReportCommand& command) {
  std::error_code ec;
  if (fs::is_directory(command.out, ec)) {
    std::cerr << "error: --out '" << command.out.string() << "' is a directory; give the HTML file to write\n";
    return ExitCode::bad_input;
  }
  bool warned_no_dot = false;
  std::optional<ReportRun> scenario =
      load_run(command.run_dir, command.scenario_file, /*with_start_picture=*/true, command, warned_no_dot);
  if (!scenario) return ExitCode::bad_input;
  report::ReportInput input{.scenario = std::move(*scenario), .baseline = std::nullopt, .generator = {}};
  if (command.compare_dir) {
    input.baseline = load_run(*command.compare_dir, command.compare_scenario_file, false, command, warned_no_dot);
    if (!input.baseline) return ExitCode::bad_input;
    // The page sets the runs side by side tick by tick: ticks of different lengths would compare
    // a quarter with a month.
    const int scenario_ticks = input.scenario.data.summary.ticks_per_year;
    const int baseline_ticks = input.baseline->data.summary.ticks_per_year;
    if (scenario_ticks != baseline_ticks) {
      std::cerr << "error: the runs' ticks differ (" << command.run_dir.string() << ": " << scenario_ticks
                << " ticks a year, " << command.compare_dir->string() << ": " << baseline_ticks
                << "); --compare needs runs with the same simulation.ticks_per_year\n";
      return ExitCode::bad_input;
    }
    // Runs of different lengths or networks can be compared, but not figure for figure.
    const report::RunData& a = input.scenario.data;
    const report::RunData& b = input.baseline->data;
    std::vector<std::string> differences;
    if (a.summary.ticks_run != b.summary.ticks_run)
      differences.push_back("the runs end at different ticks (" + std::to_string(a.summary.ticks_run) + " and " +
                            std::to_string(b.summary.ticks_run) + "): figures at the end are at different times");
    std::set<std::string> firms_a, firms_b;
    for (const report::FirmOutcome& f : a.firms) firms_a.insert(f.firm);
    for (const report::FirmOutcome& f : b.firms) firms_b.insert(f.firm);
    if (firms_a != firms_b)
      differences.push_back("the runs have different firms (" + std::to_string(firms_a.size()) + " and " +
                            std::to_string(firms_b.size()) + "): they are runs of different networks");
    for (const std::string& d : differences) {
      std::cerr << "warning: --compare: " << d << '\n';
      input.scenario.warnings.push_back("Compared with a baseline run it does not match: " + d + ".");
    }
  }
  // The page never replaces a file it was made from (a run's summary.json, the scenario).
  std::vector<fs::path> inputs;
  for (const ReportRun* run : {&input.scenario, input.baseline ? &*input.baseline : nullptr}) {
    if (run == nullptr) continue;
    for (const fs::directory_entry& e : fs::directory_iterator(run->data.dir, ec)) inputs.push_back(e.path());
    for (const std::string& file : run->model.info.files) inputs.emplace_back(file);
  }
  for (const fs::path& file : inputs)
    if (fs::equivalent(command.out, file, ec)) {
      std::cerr << "error: --out '" << command.out.string() << "' is " << file.string()
                << ", which the report reads; give another file (REPORT.html)\n";
      return ExitCode::bad_input;
    }
  input.generator = "cascade " CASCADE_VERSION;
  if (!command.command_line.empty()) {
    input.generator += " (";
    for (std::size_t i = 0; i < command.command_line.size(); ++i)
      input.generator +=
          i ? " " + shell_quoted(command.command_line[i]) : fs::path(command.command_line[i]).filename().string();
    input.generator += ")";
  }
  if (!write_file_atomically(command.out, report::report_html(input))) return ExitCode::bad_input;
  std::cout << "Report: " << command.out.string() << '\n';
  return ExitCode::ok;
}

}  // namespace cascade::cli
