// The catalogue of per-run outputs a sweep can record, and their evaluation on a finished run.
//
//   MetricSet m = MetricSet::expand({"defaults", "defaulted:openai", "loss_by_channel"}, model);
//   std::vector<double> row(m.columns().size());
//   m.evaluate(model, result, row);   // one value per column, in column order
//
// A sweep file's `outputs:` lists catalogue names. Some names are groups that expand into one
// column per firm type or channel; some take a firm id (`defaulted:openai`, or `defaulted:*`
// for every firm). Column names are snake_case, unique, and carry their unit. Every value is a
// finite number: a tick that did not happen (no default) is censored at horizon + 1.
// docs/sweep-format.md lists the catalogue; tests/docs/sweep_docs_test.cc keeps that table equal
// to `metric_catalogue()`.
//
// Thread safety: a MetricSet is immutable; evaluate may run concurrently.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/model.h"
#include "engine/sim/simulation.h"

namespace cascade::sweep {

/// One catalogue entry.
struct MetricInfo {
  std::string_view name;         ///< as written in `outputs:`
  std::string_view argument;     ///< "" or "firm" (written name:firm_id or name:*)
  std::string_view columns;      ///< the column(s) it adds, for the docs
  std::string_view unit;
  std::string_view description;
};

/// Every catalogue entry, in documentation order.
std::span<const MetricInfo> metric_catalogue();

/// The outputs recorded when a sweep lists none.
std::vector<std::string> default_outputs();

/// Why `output` is not a valid catalogue name for `model` ("" when it is): unknown names get
/// a did-you-mean, firm arguments must name a firm of the model.
std::string metric_problem(std::string_view output, const Model& model);

class MetricSet {
 public:
  struct Column {
    std::string name;
    std::string unit;
  };

  /// Expands `outputs` (each valid: see metric_problem) into columns; a column named twice is
  /// kept once, at its first place.
  static MetricSet expand(std::span<const std::string> outputs, const Model& model);

  const std::vector<Column>& columns() const { return columns_; }
  /// Writes one value per column into `out` (size columns().size()).
  void evaluate(const Model& model, const SimResult& result, std::span<double> out) const;

 private:
  using Evaluator = std::function<double(const Model&, const SimResult&)>;
  std::vector<Column> columns_;
  std::vector<Evaluator> evaluators_;
};

}  // namespace cascade::sweep
