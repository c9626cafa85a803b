#include "tools/cascade/analyze_command.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <numeric>
#include <set>

#include "engine/output/json_file.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"
#include "engine/sweep/sensitivity.h"
#include "engine/sweep/sweep_directory.h"
#include "tools/cascade/number_options.h"
#include "tools/cascade/progress.h"
#include "tools/cascade/results_csv.h"
#include "tools/cascade/sensitivity_report.h"
#include "tools/cascade/sweep_support.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ExitCode refuse(const std::string& message) {
  std::cerr << "error: " << message << '\n';
  return ExitCode::bad_input;
}

/// Per output column: the mean over each point's replicates (NaN when none is finite).
struct PointOutputs {
  std::vector<std::string> names;
  std::vector<std::vector<double>> by_point;  ///< per output, per point
  std::uint64_t runs_missing = 0;             ///< runs of the design with no row
  std::uint64_t runs_not_finite = 0;          ///< rows with a NaN or infinite output
};

std::optional<PointOutputs> point_means(const sweep::SweepPlan& plan, const ResultsCsv& table,
                                        const std::vector<std::size_t>& output_columns, const fs::path& file) {
  PointOutputs out;
  const std::uint64_t points = plan.point_count(), reps = plan.spec().replications;
  std::vector<std::uint8_t> seen(plan.run_count(), 0);
  std::vector<std::vector<double>> sums(output_columns.size(), std::vector<double>(points, 0.0));
  std::vector<std::vector<std::uint32_t>> counts(output_columns.size(), std::vector<std::uint32_t>(points, 0));
  for (std::size_t row = 0; row < table.run_ids.size(); ++row) {
    const std::uint64_t run = table.run_ids[row];
    if (run >= plan.run_count()) {
      std::cerr << file.string() << ":" << table.lines[row] << ":1: run_id: run " << run
                << " is not in the design (it has " << plan.run_count() << " runs)\n";
      return std::nullopt;
    }
    if (seen[run]++) {
      std::cerr << file.string() << ":" << table.lines[row] << ":1: run_id: run " << run << " appears twice\n";
      return std::nullopt;
    }
    bool finite = true;
    for (std::size_t k = 0; k < output_columns.size(); ++k) {
      const double v = table.columns[output_columns[k]][row];
      finite = finite && std::isfinite(v);
      if (!std::isfinite(v)) continue;
      sums[k][run / reps] += v;
      ++counts[k][run / reps];
    }
    if (!finite) ++out.runs_not_finite;
  }
  out.runs_missing = static_cast<std::uint64_t>(std::count(seen.begin(), seen.end(), 0));
  for (std::size_t k = 0; k < output_columns.size(); ++k) {
    out.names.push_back(table.names[output_columns[k]]);
    std::vector<double> means(points, kNaN);
    // A point is the mean of all its replicates: one missing or non-finite (a failed run) makes
    // the point missing, which removes its base sample or trajectory (docs/sensitivity.md).
    for (std::uint64_t p = 0; p < points; ++p)
      if (counts[k][p] == reps) means[p] = sums[k][p] / static_cast<double>(reps);
    out.by_point.push_back(std::move(means));
  }
  return out;
}

/// Whether a value in the results and the design's value of a parameter agree: the same text,
/// or numbers within 1e-6 relative (a file written with fewer digits, as R's 15).
bool same_value(const std::string& cell, const std::string& design_text, double design_value) {
  if (cell == design_text) return true;
  double v = 0.0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc{} || end != cell.data() + cell.size() || !std::isfinite(design_value)) return false;
  return std::abs(v - design_value) <= 1e-6 * std::max(std::abs(v), std::abs(design_value));
}

/// Where the results' parameter columns disagree with the design (results of another design,
/// or of the same parameters in another order): "LINE: PATH: ..." for the first such cell and
/// the count, or empty when they agree or the file has no parameter column.
std::string parameter_mismatch(const sweep::SweepPlan& plan, const ResultsCsv& table) {
  const std::vector<sweep::SweepParameter>& parameters = plan.spec().parameters;
  std::vector<std::pair<std::size_t, std::size_t>> checked;  // (column, parameter)
  for (std::size_t c = 0; c < table.names.size(); ++c)
    for (std::size_t j = 0; j < parameters.size(); ++j)
      if (parameters[j].path == table.names[c]) checked.emplace_back(c, j);
  std::string first;
  std::uint64_t mismatched = 0;
  sweep::RunPlan run;
  for (std::size_t row = 0; row < table.run_ids.size() && !checked.empty(); ++row) {
    if (table.run_ids[row] >= plan.run_count()) continue;  // point_means reports it
    plan.point_values(table.run_ids[row] / plan.spec().replications, run);
    for (const auto& [c, j] : checked) {
      const std::string& cell = table.texts[c][row];
      if (cell.empty() || same_value(cell, run.value_texts[j], run.values[j])) continue;
      if (mismatched++ == 0)
        first = std::to_string(table.lines[row]) + ": " + excerpt(table.names[c]) + ": run " +
                std::to_string(table.run_ids[row]) + " has '" + excerpt(cell) + "' where the design has '" +
                run.value_texts[j] + "'";
    }
  }
  if (mismatched == 0) return {};
  return first + " (" + with_thousands(mismatched) +
         " such cells): these are the results of another design, or of its parameters in another order";
}

/// Why a directory given to analyze has no results.csv, and what to do: a shard is merged
/// first, an unfinished sweep is finished by its own command.
std::string no_results_csv(const fs::path& dir) {
  const output::Json manifest = read_manifest_json(dir);
  if (manifest.is_object()) {
    const sweep::SweepIdentity id = sweep::SweepDirectory::identity_of(manifest);
    if (id.shard.count > 1)
      return "'" + dir.string() + "' is shard " + std::to_string(id.shard.index) + "/" +
             std::to_string(id.shard.count) +
             " of a sweep: combine every shard directory with `cascade merge SHARD_DIR... --out DIR`, then "
             "analyse DIR";
  }
  return "'" + dir.string() +
         "' has no results.csv: the sweep is unfinished or not a sweep directory (run the same `cascade sweep` "
         "command to finish it)";
}

}  // namespace

CLI::App* add_analyze_subcommand(CLI::App& app, AnalyzeCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "analyze", "Sensitivity indices of a finished sweep: Sobol' first-order and total indices (saltelli\n"
                 "design) or Morris mu, mu* and sigma (morris design), with bootstrap confidence intervals.\n"
                 "Writes sensitivity.csv, sensitivity.json and one SVG chart per output.");
  sub->add_option("SOURCE", command.source,
                  "A sweep directory (cascade sweep --out), or a sweep file with --results")
      ->type_name("")
      ->required();
  sub->add_option("--results", command.results,
                  "With a sweep file: results of any model, a CSV with run_id and one column per output\n"
                  "(the runs of `cascade design`)")
      ->type_name("FILE.csv");
  sub->add_option("--out", command.out_dir,
                  "Directory for the files (default: the sweep directory, or the results file's)")
      ->type_name("DIR");
  sub->add_option("--bootstrap", command.bootstrap_resamples,
                  "Bootstrap resamples for the intervals, 10 to 1,000,000 (default: 1000)")
      ->type_name("N")
      ->check(whole_in(10u, 1'000'000u));
  sub->add_option("--confidence", command.confidence, "Level of the intervals (default: 0.95)")
      ->type_name("LEVEL")
      ->check(number_in(0.5, 0.999, "a level in [0.5, 0.999]"));
  sub->footer(footer);
  return sub;
}

ExitCode analyze(const AnalyzeCommand& command) {
  std::error_code ec;
  if (!fs::exists(command.source, ec)) return refuse("'" + command.source.string() + "' does not exist");
  const bool from_dir = fs::is_directory(command.source, ec);
  if (from_dir && command.results)
    return refuse("--results goes with a sweep file; '" + command.source.string() + "' is a sweep directory");
  if (!from_dir && !command.results)
    return refuse("'" + command.source.string() +
                  "' is not a sweep directory; to analyse a sweep file's design, "
                  "give the model's results with --results FILE.csv");
  const fs::path results_file = from_dir ? command.source / "results.csv" : *command.results;
  if (from_dir && !fs::exists(results_file, ec)) return refuse(no_results_csv(command.source));
  if (from_dir) {
    // The manifest records the size and CRC-32 of the results.csv the sweep (or merge) wrote once
    // complete; a later attempt that did not finish leaves another status and no record.
    const output::Json manifest = read_manifest_json(command.source);
    const bool merged = manifest.is_object() && manifest.contains("merged_from");
    const std::string way_back =
        merged ? "run the same `cascade merge` command again with --force to write it again from the shards"
               : "run the same `cascade sweep` command on '" + command.source.string() + "' to write it again";
    const std::string status = manifest.is_object() ? manifest.value("status", "complete") : "complete";
    if (status != "complete")
      return refuse("'" + command.source.string() + "' is not complete (its manifest says " + status +
                    "), so its results.csv may not be the sweep's; " + way_back);
    const output::Json written =
        manifest.is_object() ? manifest.value("result_files", output::Json::object()) : output::Json::object();
    if (written.is_object() && written.contains("results.csv"))
      if (const std::optional<std::string> damage =
              sweep::result_files_damage(command.source, output::Json{{"results.csv", written["results.csv"]}}))
        return refuse("'" + results_file.string() + "' is not the file the sweep wrote: " + *damage + "; " + way_back);
  }
  std::optional<sweep::SweepSpec> spec =
      from_dir ? load_directory_sweep_or_report(command.source)
               : load_sweep_or_report(command.source, sweep_limits(std::numeric_limits<std::uint64_t>::max()));
  if (!spec) return ExitCode::bad_input;
  const sweep::SweepPlan plan(std::move(*spec));
  const sweep::DesignMethod method = plan.spec().design.method;
  if (plan.spec().parameters.empty())
    return refuse(
        "this sweep has no parameters (replicates of one scenario): there are no indices to compute; "
        "the spread of its outputs is in aggregate.csv");
  if (method != sweep::DesignMethod::saltelli && method != sweep::DesignMethod::morris)
    return refuse("analyze computes Sobol' indices from a saltelli design and Morris statistics from a morris "
                  "design; this sweep's design is " + std::string(to_string(method)));

  // Columns: every one but the run's identity and the parameters is an output (with a pure
  // design's `outputs:` list, just those: a scenario's `outputs:` are catalogue names, some of
  // them groups of columns); the parameters are read to check them.
  const std::set<std::string> identity{"run_id", "point", "replicate", "seed"};
  std::set<std::string> parameters;
  for (const sweep::SweepParameter& p : plan.spec().parameters) parameters.insert(p.path);
  const bool pure_design = !from_dir && !plan.spec().scenario;
  const std::vector<std::string>& wanted = pure_design ? plan.spec().outputs : std::vector<std::string>{};
  const auto kind_of_column = [&](const std::string& name) {
    if (identity.contains(name)) return ColumnKind::ignored;
    if (parameters.contains(name)) return ColumnKind::text;
    const bool output = wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
    return output ? ColumnKind::number : ColumnKind::ignored;
  };
  Diagnostics diags;
  const ResultsCsv table = read_results_csv(results_file, kind_of_column, diags);
  if (diags.has_errors()) {
    for (const Diagnostic& d : diags.items()) std::cerr << d.format() << '\n';
    return ExitCode::bad_input;
  }
  std::vector<std::size_t> output_columns;
  for (std::size_t c = 0; c < table.names.size(); ++c)
    if (kind_of_column(table.names[c]) == ColumnKind::number) output_columns.push_back(c);
  for (const std::string& w : wanted)
    if (std::find(table.names.begin(), table.names.end(), w) == table.names.end())
      return refuse(results_file.string() + ": no column '" + w + "' (listed in the sweep's outputs)");
  if (output_columns.empty()) return refuse(results_file.string() + ": no output columns besides run_id and the parameters");
  // The analysis holds a few numbers per run and point of the design: a results file for a small
  // part of a huge design (2 rows of 5 x 10^7 runs took 1 GB; of 10^9, more memory than there
  // was) is refused before they are allocated.
  if (table.run_ids.size() < plan.run_count() / 2)
    return refuse(results_file.string() + " has rows for " + with_thousands(table.run_ids.size()) + " of the " +
                  with_thousands(plan.run_count()) +
                  " runs of the design: more than half are missing, too few to "
                  "analyse (each failed run removes its whole base sample or trajectory)");
  if (std::string mismatch = parameter_mismatch(plan, table); !mismatch.empty())
    return refuse(results_file.string() + ":" + mismatch);
  const std::optional<PointOutputs> outputs = point_means(plan, table, output_columns, results_file);
  if (!outputs) return ExitCode::bad_input;

  const sweep::BootstrapSpec bootstrap{.resamples = command.bootstrap_resamples, .confidence = command.confidence,
                                       .seed = plan.spec().design.seed};
  SensitivityReport report(plan, bootstrap);
  for (std::size_t k = 0; k < outputs->names.size(); ++k) {
    try {
      report.add(outputs->names[k], outputs->by_point[k]);
    } catch (const std::invalid_argument& e) {
      report.skip(outputs->names[k], e.what());
    }
  }
  if (!report.any_analysed())
    return refuse("no output could be analysed (each is listed with the reason below); nothing was written\n" +
                  report.table());
  const fs::path out_dir = command.out_dir.value_or(from_dir ? command.source : results_file.parent_path());
  try {
    report.write(out_dir.empty() ? fs::path(".") : out_dir);
  } catch (const output::OutputError& e) {
    return refuse(e.what());
  }
  if (outputs->runs_missing > 0)
    std::cerr << "warning: " << outputs->runs_missing << " of " << plan.run_count()
              << " runs have no row in the results; their points count as missing\n";
  if (outputs->runs_not_finite > 0)
    std::cerr << "warning: " << outputs->runs_not_finite << " of " << plan.run_count()
              << " runs have a NaN or infinite output (failed runs); their points count as missing for it\n";
  std::cout << report.table();
  return ExitCode::ok;
}

}  // namespace cascade::cli
