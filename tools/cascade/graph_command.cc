#include "tools/cascade/graph_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>

#include "engine/analysis/firm_states.h"
#include "engine/analysis/money_flow.h"
#include "engine/analysis/network_picture.h"
#include "engine/core/diagnostics.h"
#include "engine/output/json_file.h"
#include "tools/cascade/graphviz.h"
#include "tools/cascade/loops_command.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {
namespace fs = std::filesystem;

/// Why the run in `dir` is not a run of `model`, judged by the scenario hash its manifest.json
/// records ("" when it is one).
std::string run_mismatch(const fs::path& dir, const Model& model) {
  std::ifstream in(dir / "manifest.json", std::ios::binary);
  const output::Json manifest =
      in.is_open() ? output::Json::parse(in, nullptr, /*allow_exceptions=*/false) : output::Json();
  if (manifest.is_discarded() || !manifest.is_object())
    return "'" + dir.string() + "' has no readable manifest.json: it is not a `cascade run` directory";
  const output::Json scenario = manifest.value("scenario", output::Json::object());
  const std::string hash = scenario.is_object() ? scenario.value("content_hash", "") : "";
  if (hash == model.info.content_hash) return "";
  const std::string name = scenario.is_object() ? scenario.value("name", "?") : "?";
  return "'" + dir.string() + "' is a run of scenario '" + name + "' (content hash " + hash.substr(0, 12) +
         "...), not of '" + model.info.name + "' (" + model.info.content_hash.substr(0, 12) +
         "...): its firm states belong to another network";
}

bool ends_with_svg(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".svg";
}

/// Renders `dot_file` to `svg_file` (or stdout); reports a missing or failing `dot`.
ExitCode render_svg(const fs::path& dot_file, const std::optional<fs::path>& svg_file, bool keep_dot_file) {
  std::optional<fs::path> tmp_svg;
  if (svg_file) tmp_svg = fs::path(svg_file->string() + ".tmp-" + std::to_string(::getpid()));
  int status = 0;
  const DotOutcome outcome = run_dot(dot_file, tmp_svg, status);
  std::error_code ec;
  if (outcome == DotOutcome::missing) {
    std::cerr << "error: SVG needs Graphviz's `dot`: " << kDotMissingHint;
    if (keep_dot_file)
      std::cerr << "; the DOT file is written: render it with\n  dot -Tsvg '" << dot_file.string() << "' -o '"
                << (svg_file ? svg_file->string() : std::string("network.svg")) << "'\n";
    else
      std::cerr << ", or write DOT with --out FILE.dot and render it elsewhere\n";
    if (tmp_svg) fs::remove(*tmp_svg, ec);
    return ExitCode::bad_input;
  }
  if (outcome == DotOutcome::failed) {
    if (tmp_svg) fs::remove(*tmp_svg, ec);
    throw InternalError("dot -Tsvg failed (exit " + std::to_string(status) + ") on the DOT Cascade wrote");
  }
  if (svg_file) {
    fs::rename(*tmp_svg, *svg_file, ec);
    if (ec) {
      std::cerr << "error: cannot write '" << svg_file->string() << "': " << ec.message() << '\n';
      fs::remove(*tmp_svg, ec);
      return ExitCode::bad_input;
    }
  }
  return ExitCode::ok;
}

}  // namespace

CLI::App* add_graph_subcommand(CLI::App& app, GraphCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "graph",
      "Draw the scenario's money-flow network as a Graphviz picture (DOT, or SVG with Graphviz's dot):\n"
      "firms by type or state, edges in the direction money moves, width by amount, loops in red.");
  sub->add_option("FILE", command.scenario_file, "Scenario YAML file (or a plain network directory)")
      ->type_name("")
      ->required();
  sub->add_option("--run", command.run_dir,
                  "A run directory of this scenario (`cascade run --out DIR`): colour firms by their state\n"
                  "(healthy, distressed, defaulted) read from DIR/timeseries.csv")
      ->type_name("DIR");
  sub->add_option("--tick", command.tick, "Tick of the run to show (needs --run; default: the run's last tick)")
      ->type_name("T")
      ->check(whole_in(0, 1000000000));
  sub->add_option("--out", command.out,
                  "Write to FILE: FILE.svg is rendered SVG, any other name DOT (default: DOT on stdout)")
      ->type_name("FILE");
  sub->add_flag("--svg", command.svg,
                "Also render SVG with Graphviz's dot: next to a DOT --out (same name, .svg), or on stdout");
  sub->add_flag("--enforced-only", command.enforced_only,
                "Draw only exposures whose status the scenario enforces (default: every status)");
  sub->add_option("--loop-length", command.loop_max_length,
                  "Highlight arcs on cycles of at most this many firms, 0 = any length (default: 6)")
      ->type_name("N")
      ->check(whole_in(std::size_t{0}, std::size_t{1000000}));
  sub->add_flag("--force", command.force,
                "With --run: use DIR even when its manifest.json records another scenario (default: refuse)");
  sub->add_option("--set", command.overrides, "Override one scenario value before validation, as for `run`")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  sub->footer(footer);
  return sub;
}

ExitCode graph(const GraphCommand& command) {
  if (command.tick && !command.run_dir) {
    std::cerr << "error: --tick needs --run DIR (the run whose state to show)\n";
    return ExitCode::bad_input;
  }
  const std::optional<AnalysisInput> input = load_analysis_input(command.scenario_file, command.overrides);
  if (!input) return ExitCode::bad_input;
  if (command.run_dir && !input->model) {
    std::cerr << "error: --run needs a scenario file, not a plain network directory\n";
    return ExitCode::bad_input;
  }
  const analysis::MoneyFlowGraph g =
      input->model ? analysis::build_money_flow(*input->model, {.enforced_only = command.enforced_only})
                   : analysis::build_money_flow(*input->network);

  analysis::PictureOptions options;
  options.title = input->model ? input->model->info.name : command.scenario_file.filename().string();
  options.loop_max_length = command.loop_max_length;
  if (command.run_dir) {
    if (const std::string why = run_mismatch(*command.run_dir, *input->model); !why.empty()) {
      if (!command.force) {
        std::cerr << "error: " << why << "; pass --force to draw them anyway\n";
        return ExitCode::bad_input;
      }
      spdlog::warn("{} (drawn anyway: --force)", why);
    }
    Diagnostics diags;
    options.states = analysis::read_firm_states(*command.run_dir / "timeseries.csv", *input->model,
                                                command.tick ? std::optional<Tick>(*command.tick) : std::nullopt, diags);
    for (const Diagnostic& d : diags.items()) std::cerr << d.format() << '\n';
    if (!options.states) return ExitCode::bad_input;
  }
  const std::string dot = analysis::network_dot(g, options);

  const bool svg_out = command.out && ends_with_svg(*command.out);
  if (!command.out && !command.svg) {
    std::cout << dot;
    return ExitCode::ok;
  }
  if (command.out && !svg_out) {
    if (!write_file_atomically(*command.out, dot)) return ExitCode::bad_input;
    if (!command.svg) return ExitCode::ok;
    fs::path svg = *command.out;
    svg.replace_extension(".svg");
    return render_svg(*command.out, svg, /*keep_dot_file=*/true);
  }
  // SVG only (to a .svg --out, or to stdout): render from a temporary DOT file.
  const fs::path tmp_dot = fs::temp_directory_path() / ("cascade-graph-" + std::to_string(::getpid()) + ".dot");
  if (!write_file_atomically(tmp_dot, dot)) return ExitCode::bad_input;
  ExitCode code = ExitCode::ok;
  try {
    code = render_svg(tmp_dot, command.out, /*keep_dot_file=*/false);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp_dot, ec);
    throw;
  }
  std::error_code ec;
  fs::remove(tmp_dot, ec);
  return code;
}

}  // namespace cascade::cli
