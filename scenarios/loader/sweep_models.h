// The models of a sweep's points: its scenario read once, then instantiated per point with the
// sweep's `set:` values and the point's parameter values as `--set` overrides.
//
//   const SweepModels models(spec);                       // throws ScenarioError
//   std::vector<Diagnostic> bad = models.check(plan, 0, plan.point_count(), 2, invalid);  // before any run
//   Model m = models.model(plan.run(17));
//
// Problems are located in the sweep file: a value that makes the scenario invalid is reported
// at its parameter (`study.yaml:7:5: parameters[0]: at point 17 (firms.openai.cash = -3):
// must be >= 0, got -3`), an output the catalogue or the scenario does not know at the output.
//
// Thread safety: immutable after construction; model() and check() may run concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "engine/sweep/runner.h"
#include "scenarios/loader/scenario_template.h"

namespace cascade::scenario {

class SweepModels final : public sweep::PointModels {
 public:
  /// `spec.scenario` must be set; it is read within `limits`. Throws ScenarioError: the
  /// scenario, its `set:` values or the outputs are invalid.
  explicit SweepModels(const sweep::SweepSpec& spec, const InputLimits& limits = {});

  /// The scenario with the sweep's `set:` values (the columns of outputs come from it).
  const Model& base() const { return template_.base(); }

  Model model(const sweep::RunPlan& plan) const override;

  /// Instantiates the points [first_point, end_point) of `plan` (a shard checks only its own)
  /// on `threads` threads and returns the errors of the first `max_points_listed` invalid
  /// points (by point), each located at its parameter when the parameter's value is at fault;
  /// `invalid_points` receives how many points are invalid in all. `points_checked`
  /// (optional) counts progress. Once `stop` (optional) is set, the points not yet checked are
  /// skipped: the result is then incomplete, and the caller must not run the sweep.
  std::vector<Diagnostic> check(const sweep::SweepPlan& plan, std::uint64_t first_point, std::uint64_t end_point,
                                int threads, std::uint64_t& invalid_points,
                                std::atomic<std::uint64_t>* points_checked = nullptr,
                                std::size_t max_points_listed = 10, const std::atomic<bool>* stop = nullptr) const;

 private:
  std::vector<Override> overrides_of(const sweep::RunPlan& plan) const;

  sweep::SweepSpec spec_;
  ScenarioTemplate template_;
};

}  // namespace cascade::scenario
