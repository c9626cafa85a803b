#include "scenarios/loader/sweep_models.h"

#include <tbb/task_arena.h>

#include <map>
#include <mutex>

#include "engine/core/parallel_for.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

/// Moves diagnostics raised at a `--set` value to where the sweep file sets that value.
/// `located(path)` gives the sweep-file location and YAML path for an overridden path.
template <typename Locate>
std::vector<Diagnostic> relocate(const std::vector<Diagnostic>& diagnostics, const std::string& context, Locate located) {
  std::vector<Diagnostic> out;
  for (Diagnostic d : diagnostics) {
    if (d.severity != Severity::error) continue;
    if (d.where.file == kCommandLine) {
      const std::string path = d.path.starts_with("--set ") ? d.path.substr(6) : d.path;
      if (const auto place = located(path)) {
        d.where = place->first;
        d.path = place->second;
      }
    }
    if (!context.empty()) d.message = context + ": " + d.message;
    out.push_back(std::move(d));
  }
  return out;
}

LoadOptions fixed_options(const sweep::SweepSpec& spec, const InputLimits& limits) {
  LoadOptions o{.overrides = {}, .limits = limits};
  for (const sweep::FixedValue& f : spec.fixed) o.overrides.push_back({f.path, f.value});
  return o;
}

ScenarioTemplate load_template(const sweep::SweepSpec& spec, const InputLimits& limits) {
  if (!spec.scenario)
    throw ScenarioError({spec.file, 0, 0}, "scenario",
                        "this sweep names no scenario: it is a design for a model outside Cascade "
                        "(write its runs with `cascade design`, analyse your results with "
                        "`cascade analyze SWEEP --results FILE.csv`)");
  try {
    return ScenarioTemplate(*spec.scenario, fixed_options(spec, limits));
  } catch (const ScenarioError& e) {
    throw ScenarioError(relocate(e.diagnostics(), "", [&](const std::string& path) {
      std::optional<std::pair<SourceLocation, std::string>> place;
      for (const sweep::FixedValue& f : spec.fixed)
        if (f.path == path) place.emplace(f.where, "set." + f.path);
      return place;
    }));
  }
}

}  // namespace

SweepModels::SweepModels(const sweep::SweepSpec& spec, const InputLimits& limits)
    : spec_(spec), template_(load_template(spec, limits)) {
  Diagnostics diags;
  for (std::size_t i = 0; i < spec.outputs.size(); ++i)
    if (std::string problem = sweep::metric_problem(spec.outputs[i], base()); !problem.empty())
      diags.error(i < spec.output_locations.size() ? spec.output_locations[i] : SourceLocation{spec.file, 0, 0},
                  "outputs[" + std::to_string(i) + "]", problem);
  diags.throw_if_errors();
}

std::vector<Override> SweepModels::overrides_of(const sweep::RunPlan& plan) const {
  std::vector<Override> out;
  out.reserve(spec_.parameters.size());
  for (std::size_t i = 0; i < spec_.parameters.size(); ++i)
    out.push_back({spec_.parameters[i].path, plan.value_texts[i]});
  return out;
}

Model SweepModels::model(const sweep::RunPlan& plan) const { return template_.instantiate(overrides_of(plan)); }

std::vector<Diagnostic> SweepModels::check(const sweep::SweepPlan& plan, std::uint64_t first_point,
                                           std::uint64_t end_point, int threads, std::uint64_t& invalid_points,
                                           std::atomic<std::uint64_t>* points_checked, std::size_t max_points_listed,
                                           const std::atomic<bool>* stop) const {
  std::mutex mutex;
  std::map<std::uint64_t, std::vector<Diagnostic>> listed;  // the lowest invalid points
  std::uint64_t invalid = 0;
  auto check_point = [&](std::uint64_t point) {
    if (stop && stop->load(std::memory_order_relaxed)) return;
    sweep::RunPlan run;
    run.point = point;
    plan.point_values(point, run);
    try {
      template_.instantiate(overrides_of(run));
    } catch (const ScenarioError& e) {
      std::string context = "at point " + std::to_string(point) + " (";
      for (std::size_t i = 0; i < spec_.parameters.size(); ++i)
        context += (i ? ", " : "") + spec_.parameters[i].path + " = " + run.value_texts[i];
      context += ")";
      std::vector<Diagnostic> found = relocate(e.diagnostics(), context, [&](const std::string& path) {
        std::optional<std::pair<SourceLocation, std::string>> place;
        for (std::size_t i = 0; i < spec_.parameters.size(); ++i)
          if (spec_.parameters[i].path == path)
            place.emplace(spec_.parameters[i].where, "parameters[" + std::to_string(i) + "]");
        return place;
      });
      std::lock_guard lock(mutex);
      ++invalid;
      listed.emplace(point, std::move(found));
      if (listed.size() > max_points_listed) listed.erase(std::prev(listed.end()));
    }
    if (points_checked) ++*points_checked;
  };
  tbb::task_arena arena(threads);
  parallel_for_index(arena, end_point - first_point, 16, [&](std::size_t i) { check_point(first_point + i); });
  invalid_points = invalid;
  std::vector<Diagnostic> out;
  for (auto& [point, diagnostics] : listed)
    for (Diagnostic& d : diagnostics) out.push_back(std::move(d));
  return out;
}

}  // namespace cascade::scenario
