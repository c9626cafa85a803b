// A scenario read once and instantiated many times with different `--set` overrides: the
// per-point models of a sweep.
//
//   ScenarioTemplate t("scenarios/ai-2026/baseline.yaml");           // throws ScenarioError
//   Model m = t.instantiate({{"parameters.fire_sale_price_impact", "2.5"}});
//
// `instantiate` gives exactly the model `load_file(file, {base overrides, then these})` gives
// (the same validation and derivation), without reading or parsing any YAML again. Plain CSV
// networks the scenario imports are read again by each instance.
//
// Thread safety: immutable after construction, but for the working copies instantiate keeps
// behind a mutex; instantiate may run concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <utility>

#include "engine/model/model.h"
#include "scenarios/loader/document.h"
#include "scenarios/loader/loader.h"

namespace cascade::scenario {

class ScenarioTemplate {
 public:
  /// Loads `file` with `options.overrides`; throws ScenarioError when that model is invalid.
  explicit ScenarioTemplate(const std::filesystem::path& file, const LoadOptions& options = {});
  ~ScenarioTemplate();
  ScenarioTemplate(ScenarioTemplate&&) noexcept;
  ScenarioTemplate& operator=(ScenarioTemplate&&) noexcept;

  /// The model with the base overrides only.
  const Model& base() const& { return base_; }
  /// The same, moved out of a template that is not used again (load_file).
  Model base() && { return std::move(base_); }

  /// The model with `overrides` applied after the base ones. Throws ScenarioError listing
  /// every problem; overridden values are located in "<command line>" at "--set <path>".
  Model instantiate(std::span<const Override> overrides) const;

 private:
  /// Copies of document_ for instantiate to apply its overrides to: a call takes one (or
  /// copies document_ when none is free), builds from it, puts back what its overrides changed
  /// and returns it, so that a sweep's points do not each copy the whole document.
  class WorkingCopies;

  ScenarioDocument document_;  ///< merged, base overrides applied; file bytes dropped
  Model base_;
  std::unique_ptr<WorkingCopies> working_copies_;
};

}  // namespace cascade::scenario
