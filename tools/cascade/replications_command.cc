#include "tools/cascade/replications_command.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>

#include "engine/experiments/replications.h"
#include "engine/output/staging_directory.h"
#include "engine/sweep/sweep.h"
#include "scenarios/loader/loader.h"
#include "scenarios/loader/sha256.h"
#include "scenarios/loader/sweep_reader.h"
#include "scenarios/loader/yaml_reader.h"
#include "tools/cascade/loops_command.h"
#include "tools/cascade/progress.h"
#include "tools/cascade/sweep_command.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
using output::Json;

/// `text` as a YAML double-quoted scalar (JSON's string syntax is YAML's).
std::string yaml_quoted(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

constexpr std::string_view kSweepFileComment =
    "# The replication study of `cascade run SCENARIO --replications N`: the scenario run with\n"
    "# N seeds derived from `seed`; `cascade sweep` on this file resumes it.\n";

/// The study as a sweep, and the sweep file it stands for (DIR/sweep.yaml): a function of the
/// scenario path, the overrides, N and the seed only, so that the same command resumes.
std::pair<sweep::SweepSpec, std::string> replication_sweep(const RunCommand& command, const Model& model,
                                                           const fs::path& out_dir, std::uint64_t seed) {
  sweep::SweepSpec spec;
  spec.name = model.info.name + "-replications";
  spec.scenario = command.scenario_file;
  // Written relative to the directory, as a sweep file's scenario is relative to the file.
  std::error_code ec;
  const fs::path relative = fs::relative(fs::absolute(command.scenario_file), fs::absolute(out_dir), ec);
  spec.scenario_text = (ec || relative.empty() ? fs::absolute(command.scenario_file) : relative).generic_string();
  // A path set twice keeps its last value (a sweep file's `set:` names each path once).
  for (const std::string& text : command.overrides) {
    const scenario::Override o = scenario::parse_override(text);
    std::erase_if(spec.fixed, [&](const sweep::FixedValue& f) { return f.path == o.path; });
    spec.fixed.push_back({o.path, o.value, {std::string(scenario::kCommandLine), 0, 0}});
  }
  spec.replications = command.replications;
  spec.seed = seed;
  spec.outputs = replication_outputs();
  spec.file = (out_dir / "sweep.yaml").string();

  std::string text = std::string(kSweepFileComment) + "format: " + std::string(scenario::kSweepFormatTag) + '\n';
  text += "name: " + yaml_quoted(spec.name) + '\n';
  text += "scenario: " + yaml_quoted(spec.scenario_text) + '\n';
  if (!spec.fixed.empty()) text += "set:\n";
  for (const sweep::FixedValue& f : spec.fixed) text += "  " + yaml_quoted(f.path) + ": " + yaml_quoted(f.value) + '\n';
  text += "replications: " + std::to_string(spec.replications) + '\n';
  text += "seed: " + std::to_string(spec.seed) + '\n';
  text += "outputs: [";
  for (std::size_t i = 0; i < spec.outputs.size(); ++i) text += (i ? ", " : "") + yaml_quoted(spec.outputs[i]);
  text += "]\n";
  scenario::Sha256 hash;
  hash.update(text);
  spec.content_hash = hash.hex_digest();
  return {std::move(spec), std::move(text)};
}

/// The outputs of each successful replicate in results.csv (run_id, point, replicate, seed, then
/// the outputs: numbers, all empty for a failed run); `failed` counts the others.
std::vector<std::vector<double>> read_replicate_outputs(const fs::path& file, std::size_t outputs,
                                                        std::uint64_t& failed) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw output::OutputError("cannot read '" + file.string() + "'");
  std::vector<std::vector<double>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(
          std::string_view(line).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (fields.size() != 4 + outputs)
      throw output::OutputError("'" + file.string() + "' is not the results of this study (edited?); run with --force");
    if (fields.back().empty()) {
      ++failed;
      continue;
    }
    std::vector<double>& row = rows.emplace_back(outputs);
    for (std::size_t i = 0; i < outputs; ++i) {
      const std::string_view f = fields[4 + i];
      if (std::from_chars(f.data(), f.data() + f.size(), row[i]).ec != std::errc{})
        throw output::OutputError("'" + file.string() + "' holds a value that is not a number: '" + std::string(f) +
                                  "'");
    }
  }
  return rows;
}

/// Writes `content` to dir/name through a temporary name.
void write_file(const fs::path& dir, const std::string& name, const std::string& content) {
  const fs::path tmp = dir / (name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw output::OutputError(output::cannot_write(tmp));
  }
  std::error_code ec;
  fs::rename(tmp, dir / name, ec);
  if (ec) throw output::OutputError("cannot rename '" + tmp.string() + "': " + ec.message());
}

/// "12.3"; amounts that round to zero are "0.0", never "-0.0".
std::string one_decimal(double usd_bn) { return fmt::format("{:.1f}", std::abs(usd_bn) < 0.05 ? 0.0 : usd_bn); }
std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }
std::string tick(double t) {  // a quantile between two ticks keeps its fraction: 43.5
  return std::isnan(t) ? std::string("-") : t == std::floor(t) ? fmt::format("{:.0f}", t) : fmt::format("{:g}", t);
}

void print_spreads(std::string_view title, const std::vector<OutputSpread>& spreads) {
  std::cout << fmt::format("{:<42}{:>10} {:>10} {:>10}\n", title, "5%", "50%", "95%");
  std::size_t zero = 0;
  for (const OutputSpread& s : spreads) {
    const Quantiles& q = s.usd_bn;
    if (q.q05 == 0.0 && q.q50 == 0.0 && q.q95 == 0.0) {
      ++zero;
      continue;
    }
    std::cout << fmt::format("  {:<40}{:>10} {:>10} {:>10}\n", s.name, one_decimal(q.q05), one_decimal(q.q50),
                             one_decimal(q.q95));
  }
  if (zero > 0) std::cout << "  (" << zero << " more at 0 in every replicate)\n";
}

void print_summary(const ReplicationSummary& s, const Model& model, std::uint64_t failed) {
  std::cout << "Replications of " << model.info.name << ": " << with_thousands(s.replicates) << " replicates"
            << (failed > 0 ? " (" + with_thousands(failed) + " failed: failures.csv)" : std::string()) << '\n';
  std::vector<FirmDefaults> defaulters;
  std::copy_if(s.firms.begin(), s.firms.end(), std::back_inserter(defaulters),
               [](const FirmDefaults& d) { return d.defaults > 0; });
  std::stable_sort(defaulters.begin(), defaulters.end(),
                   [](const FirmDefaults& a, const FirmDefaults& b) { return a.defaults > b.defaults; });
  if (defaulters.empty()) {
    std::cout << "No firm defaulted in any replicate.\n";
  } else {
    std::cout << "Firms that defaulted (frequency with its 95% Wilson interval; default tick among the replicates "
                 "where it did):\n"
              << fmt::format("  {:<22} {:<15} {:>9} {:>9} {:>17} {:>6} {:>6} {:>6}\n", "firm", "type", "defaults",
                             "frequency", "95% interval", "5%", "50%", "95%");
    for (const FirmDefaults& d : defaulters)
      std::cout << fmt::format("  {:<22} {:<15} {:>9} {:>9} {:>17} {:>6} {:>6} {:>6}\n", model.firms[d.firm].id,
                               to_string(model.firms[d.firm].type), d.defaults, percent(d.frequency),
                               percent(d.frequency_low) + " - " + percent(d.frequency_high), tick(d.default_tick.q05),
                               tick(d.default_tick.q50), tick(d.default_tick.q95));
  }
  print_spreads("Credit losses by sector (holder type), USD bn", s.by_sector);
  print_spreads("Losses by channel, net, USD bn", s.by_channel);
  print_spreads("Totals (defaults: firms; else USD bn)", s.totals);
}

}  // namespace

ExitCode run_replications(const RunCommand& command) {
  const std::optional<AnalysisInput> input =
      load_analysis_input(command.scenario_file, command.overrides, /*allow_directory=*/false);
  if (!input) return ExitCode::bad_input;
  const Model& model = *input->model;
  const std::uint64_t seed = command.seed.value_or(model.params.seed);
  fs::path out_dir = command.out_dir.value_or(default_out_dir(model.info.name, command.overrides));
  if (!command.out_dir) out_dir += "-replications";

  auto [spec, sweep_text] = replication_sweep(command, model, out_dir, seed);
  const SweepCommand sweep_command{.sweep_file = spec.file,
                                   .out_dir = out_dir,
                                   .threads = command.threads,
                                   .force = command.force,
                                   .command_line = command.command_line};
  if (const ExitCode code = run_sweep(sweep_command, std::move(spec), std::move(sweep_text)); code != ExitCode::ok)
    return code;

  try {
    const std::vector<sweep::MetricSet::Column> columns =
        sweep::MetricSet::expand(replication_outputs(), model).columns();
    std::uint64_t failed = 0;
    const std::vector<std::vector<double>> rows =
        read_replicate_outputs(out_dir / "results.csv", columns.size(), failed);
    const ReplicationSummary summary = summarize_replications(model, columns, rows);
    write_file(out_dir, "distribution.csv", distribution_csv(summary, model));
    std::string json;
    output::write_json(json, distribution_json(summary, model));
    write_file(out_dir, "distribution.json", json + '\n');
    print_summary(summary, model, failed);
  } catch (const output::OutputError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return ExitCode::bad_input;
  }
  std::string rerun = "cascade run " + shell_quoted(command.scenario_file.string());
  for (const std::string& o : command.overrides) rerun += " --set " + shell_quoted(o);
  std::cout << "Replicate r ran with the seed in results.csv (column seed); to repeat it alone:\n  " << rerun
            << " --seed <seed>     (replicate 0: --seed " << sweep::derive_run_seed(seed, 0, 0) << ")\n"
            << "Distribution: " << out_dir.string() << "/ (distribution.csv, distribution.json)\n";
  return ExitCode::ok;
}

}  // namespace cascade::cli
