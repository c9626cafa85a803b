#include "tools/cascade/commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <span>
#include <utility>

#include "agents/firm_types.h"
#include "engine/analysis/circularity.h"
#include "engine/core/diagnostics.h"
#include "engine/experiments/ablation.h"
#include "engine/experiments/loop_cut.h"
#include "engine/output/run_writer.h"
#include "engine/output/text_format.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"
#include "scenarios/loader/sha256.h"
#include "tools/cascade/console_summary.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/report_command.h"

namespace cascade::cli {
namespace fs = std::filesystem;
namespace {

/// Progress is logged about this many times per run.
constexpr Tick kProgressReports = 10;

/// Forwards the run to the RunWriter and logs progress (info: every ~10% of ticks; debug: each
/// default) on stderr. Called from the simulating thread only, like any Observer.
class ProgressLog final : public Observer {
 public:
  ProgressLog(Observer& next, const Model& model)
      : next_(next),
        model_(model),
        horizon_ticks_(model.params.horizon_ticks),
        report_every_ticks_(std::max<Tick>(1, (model.params.horizon_ticks + kProgressReports - 1) / kProgressReports)) {}

  void on_tick(const SystemTickRecord& system, std::span<const FirmTickRecord> firms) override {
    next_.on_tick(system, firms);
    if (system.tick > 0 && (system.tick % report_every_ticks_ == 0 || system.tick == horizon_ticks_))
      spdlog::info("tick {}/{} ({} defaulted)", system.tick, horizon_ticks_, system.defaulted_firms);
  }
  bool wants_exposures() const override { return next_.wants_exposures(); }
  void on_exposures(Tick tick, std::span<const ExposureTickRecord> exposures) override {
    next_.on_exposures(tick, exposures);
  }
  void on_default(const DefaultEvent& event) override {
    next_.on_default(event);
    spdlog::debug("tick {}: {} defaults ({}, via {}): {}", event.tick, model_.firms[event.firm].id,
                  to_string(event.kind), to_string(event.channel), event.detail);
  }

 private:
  Observer& next_;
  const Model& model_;
  Tick horizon_ticks_;
  Tick report_every_ticks_;
};

void print_diagnostics(std::span<const Diagnostic> diagnostics) {
  for (const Diagnostic& d : diagnostics) std::cerr << d.format() << '\n';
}

/// Prints every diagnostic of a failed load, then the error count.
ExitCode report_scenario_error(const ScenarioError& error) {
  print_diagnostics(error.diagnostics());
  const std::size_t errors = count_errors(error.diagnostics());
  if (errors == 0)
    std::cerr << error.what() << '\n';
  else
    std::cerr << errors << " error(s)\n";
  return ExitCode::bad_input;
}

struct LoadedScenario {
  Model model;
  std::vector<scenario::Override> overrides;  ///< as parsed from the `--set` texts
};

/// Parses the `--set` texts and loads the scenario; on bad input prints why and returns nothing.
std::optional<LoadedScenario> load_or_report(const fs::path& file, const std::vector<std::string>& override_texts) {
  try {
    scenario::LoadOptions options{.overrides = {}, .limits = scenario_limits()};
    for (const std::string& text : override_texts) options.overrides.push_back(scenario::parse_override(text));
    Model model = scenario::load_file(file, options);
    return LoadedScenario{std::move(model), std::move(options.overrides)};
  } catch (const ScenarioError& error) {
    report_scenario_error(error);
    return std::nullopt;
  }
}

}  // namespace

void warn_of_abandoned_staging(const fs::path& target) {
  for (const fs::path& left : output::abandoned_staging(target)) {
    // DIR.old-<pid>: the previous outputs, set aside by a --force replacement that was killed.
    const bool set_aside = left.filename().string().find(".old-") != std::string::npos;
    spdlog::warn(
        "'{}' was left by a cascade process that is no longer running on this machine (a run or a merge "
        "killed while {} '{}'); {}",
        left.string(), set_aside ? "replacing" : "writing", target.string(),
        set_aside ? "it holds the outputs it replaced: remove it once they are not needed"
                  : "remove it, unless a process on another machine is writing it");
  }
}

std::string shell_quoted(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_-./=:,+@%").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path default_out_dir(const std::string& scenario_name, const std::vector<std::string>& override_texts) {
  // Path separators in the name are replaced so that it stays one directory.
  std::string leaf = scenario_name;
  std::replace_if(leaf.begin(), leaf.end(), [](char c) { return c == '/' || c == '\\'; }, '_');
  if (leaf.empty() || leaf == "." || leaf == "..") leaf = "scenario";
  if (!override_texts.empty()) {
    scenario::Sha256 hash;
    for (const std::string& text : override_texts) {
      hash.update(text);
      hash.update("\n");
    }
    constexpr std::size_t kSuffixDigits = 6;
    leaf += "--set-" + hash.hex_digest().substr(0, kSuffixDigits);
  }
  return fs::path("runs") / leaf;
}

ExitCode validate(const ValidateCommand& command) {
  const std::optional<LoadedScenario> loaded = load_or_report(command.scenario_file, command.overrides);
  if (!loaded) return ExitCode::bad_input;
  const Model& model = loaded->model;
  print_diagnostics(model.warnings);
  std::cout << command.scenario_file.string() << ": ok (" << model.firms.size() << " firms, "
            << model.exposures.size() << " exposures, " << model.shocks.size() << " shocks, horizon "
            << model.params.horizon_ticks << " ticks)\n";
  return ExitCode::ok;
}

ExitCode run(const RunCommand& command) {
  const std::optional<LoadedScenario> loaded = load_or_report(command.scenario_file, command.overrides);
  if (!loaded) return ExitCode::bad_input;
  const Model& model = loaded->model;
  print_diagnostics(model.warnings);

  const RunOptions options{.seed = command.seed.value_or(model.params.seed),
                           .replication = 0,
                           .threads = command.threads,
                           .audit = command.audit};
  const fs::path out_dir = command.out_dir.value_or(default_out_dir(model.info.name, command.overrides));
  std::error_code ignored;
  if (!command.force && fs::exists(fs::symlink_status(out_dir, ignored))) {
    std::cerr << "error: output directory '" << out_dir.string()
              << "' already exists; pass --force to replace it, or choose another --out\n";
    return ExitCode::bad_input;
  }

  warn_of_abandoned_staging(out_dir);
  output::RunManifest manifest{.options = options, .overrides = {}, .command_line = command.command_line};
  for (const scenario::Override& o : loaded->overrides) manifest.overrides.push_back({o.path, o.value});

  try {
    output::RunWriter writer(model, out_dir, command.force);
    ProgressLog progress(writer, model);
    spdlog::info("running {}: {}, seed {}, {} thread(s), audit {}", model.info.name,
                 output::describe_ticks(model.params.horizon_ticks, model.params.ticks_per_year), options.seed,
                 options.threads, options.audit ? "on" : "off");
    const SimResult result = run_simulation(model, options, agents::standard_behaviours(), &progress);
    std::optional<AblationResult> ablation;
    if (command.ablate) {
      spdlog::info("ablation: {} runs", ablation_plan(model.channels).size());
      ablation = run_ablation(model, options, agents::standard_behaviours());
      writer.add_file("ablation.csv", ablation_csv(*ablation));
    }
    std::optional<LoopCutResult> loop_cut;
    if (command.cut_loops) {
      spdlog::info("loop contribution: cutting up to {} loops", command.max_loops);
      loop_cut = cut_loops(model, options, agents::standard_behaviours(), {.max_loops = command.max_loops});
      writer.add_file("loop_contribution.csv", loop_cut_csv(*loop_cut, model));
    }
    const analysis::CircularityResult circularity = analysis::firm_circularity(model);
    writer.finish(result, manifest, circularity);
    spdlog::debug("outputs committed to {}", writer.out_dir().string());
    std::cout << format_run_summary(model, result, options, circularity, writer.out_dir());
    if (ablation) std::cout << format_ablation(*ablation);
    if (loop_cut) std::cout << format_loop_contribution(*loop_cut, model);
  } catch (const output::OutputError& error) {
    std::cerr << "error: " << error.what() << '\n';
    return ExitCode::bad_input;
  } catch (const ScenarioError& error) {  // options the engine refuses (e.g. a seed it cannot use)
    return report_scenario_error(error);
  }
  if (!command.report) return ExitCode::ok;
  return report(ReportCommand{.run_dir = out_dir,
                              .compare_dir = std::nullopt,
                              .out = out_dir / "report.html",
                              .scenario_file = command.scenario_file,
                              .compare_scenario_file = std::nullopt,
                              .allow_changed_scenario = false,
                              .threads = command.threads,
                              .command_line = command.command_line});
}

}  // namespace cascade::cli
