// Turns a merged scenario document into a Model: reads every section, resolves every id
// reference, and checks every rule of docs/scenario-format.md, reporting all problems.
//
//   Diagnostics diags;
//   ScenarioDocument doc = load_document("baseline.yaml", diags);
//   Model m = build_model(doc, diags);   // complete only when !diags.has_errors()
//
// Derived quantities (engine/model/derive.h) are not computed here; `load_file` runs them
// once the model is free of errors.
#pragma once

#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "scenarios/loader/document.h"

namespace cascade::scenario {

/// The model, plus the CSV files its `networks:` read (for the scenario hash).
struct BuiltModel {
  Model model;
  std::vector<std::filesystem::path> network_files;
};

BuiltModel build_model(const ScenarioDocument& doc, Diagnostics& diags);

}  // namespace cascade::scenario
