#include "tools/cascade/sweep_support.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>

#include "engine/sweep/results_table.h"
#include "scenarios/loader/sweep_reader.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/progress.h"

namespace cascade::cli {

ExitCode report_sweep_error(const ScenarioError& error) {
  for (const Diagnostic& d : error.diagnostics()) std::cerr << d.format() << '\n';
  std::cerr << count_errors(error.diagnostics()) << " error(s)\n";
  return ExitCode::bad_input;
}

std::optional<sweep::SweepSpec> load_sweep_or_report(const std::filesystem::path& file, const InputLimits& limits) {
  try {
    return scenario::load_sweep(file, limits);
  } catch (const ScenarioError& e) {
    report_sweep_error(e);
    return std::nullopt;
  }
}

output::Json read_manifest_json(const std::filesystem::path& dir) {
  std::ifstream in(dir / "manifest.json", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return output::Json::parse(text, nullptr, false);
}

std::optional<sweep::SweepSpec> load_directory_sweep_or_report(const std::filesystem::path& dir) {
  std::optional<sweep::SweepSpec> spec =
      load_sweep_or_report(dir / "sweep.yaml", sweep_limits(std::numeric_limits<std::uint64_t>::max()));
  if (!spec) return spec;
  const output::Json manifest = read_manifest_json(dir);
  if (!manifest.is_object()) return spec;
  // The copy must be the file the runs were made of: merge and analyze read the design from it.
  if (const std::string ran = manifest.value("sweep_sha256", ""); !ran.empty() && ran != spec->content_hash) {
    std::cerr << "error: '" << (dir / "sweep.yaml").string()
              << "' is not the sweep file this sweep ran (its SHA-256 is " << spec->content_hash
              << ", manifest.json records " << ran << "): it was changed since; put back the original\n";
    return std::nullopt;
  }
  if (manifest.contains("name") && manifest["name"].is_string()) spec->name = manifest["name"].get<std::string>();
  return spec;
}

InputLimits sweep_limits(std::uint64_t max_runs) {
  InputLimits limits = scenario_limits();
  if (max_runs != 0) limits.max_sweep_runs = max_runs;
  return limits;
}

output::Json design_json(const sweep::SweepSpec& spec) {
  output::Json params = output::Json::array();
  for (const sweep::SweepParameter& p : spec.parameters) params.push_back(p.path);
  return output::Json{{"method", std::string(to_string(spec.design.method))},
                      {"samples", spec.design.samples},
                      {"seed", spec.design.seed},
                      {"levels", spec.design.levels},
                      {"second_order", spec.design.second_order},
                      {"scramble", spec.design.scramble},
                      {"parameters", std::move(params)}};
}

PreviousSweep peek_sweep_directory(const std::filesystem::path& dir, const sweep::SweepIdentity& identity) {
  const output::Json m = read_manifest_json(dir);
  if (m.is_discarded() || !m.is_object() || m.value("kind", "") != sweep::kSweepManifestKind) return {};
  sweep::SweepIdentity found = sweep::SweepDirectory::identity_of(m);
  std::string other_build;
  if (found.build != identity.build) {
    other_build = found.build_name();
    found.build = identity.build;
  }
  if (!sweep::resume_mismatch(found, identity).empty()) return {};
  return {.complete = m.value("status", "") == "complete",
          .points_checked = m.value("points_checked", false) && other_build.empty(),
          .result_files = m.value("result_files", output::Json()),
          .other_build = other_build};
}

void print_results_written(const std::filesystem::path& dir, const sweep::FailedRuns& failed) {
  if (failed.count > 0)
    std::cout << "  " << with_thousands(failed.count) << " run(s) failed (failures.csv); the first: " << failed.first
              << '\n';
  std::cout << "Outputs: " << dir.string() << "/ (";
  for (std::size_t i = 0; i < sweep::kSweepResultFiles.size(); ++i)
    std::cout << (i ? ", " : "") << sweep::kSweepResultFiles[i];
  std::cout << ", manifest.json)\n";
}

}  // namespace cascade::cli
