#include "scenarios/loader/loader.h"

#include <fstream>
#include <iterator>
#include <mutex>

#include "engine/analysis/collateral.h"
#include "engine/model/derive.h"
#include "scenarios/loader/document.h"
#include "scenarios/loader/model_builder.h"
#include "scenarios/loader/scenario_template.h"
#include "scenarios/loader/sha256.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

/// Reports a model larger than the document's limits allow. Its readers have kept memory within
/// them already (YAML values, CSV rows); this names the limit that the whole scenario passes.
void check_model_size(const Model& m, const ScenarioDocument& doc, Diagnostics& diags) {
  const InputLimits& limits = doc.limits;
  if (m.firms.size() > limits.max_firms)
    diags.error(m.firms[limits.max_firms].where, "", limit_message("firms", limits.max_firms, "--max-firms"));
  if (m.exposures.size() > limits.max_exposures)
    diags.error(m.exposures[limits.max_exposures].where, "",
                limit_message("exposures", limits.max_exposures, "--max-exposures"));
  if (static_cast<std::uint64_t>(m.params.horizon_ticks) > limits.max_ticks) {
    const YNode* simulation = doc.root.find("simulation");
    const YNode* horizon = simulation ? simulation->find("horizon_ticks") : nullptr;
    diags.error(horizon ? horizon->where : SourceLocation{doc.files.front().name, 0, 0},
                horizon ? horizon->path : "simulation.horizon_ticks",
                "a horizon of " + std::to_string(m.params.horizon_ticks) + " ticks is " +
                    limit_message("ticks", limits.max_ticks, "--max-ticks"));
  }
}

/// Builds, validates and derives the model of a merged document; throws ScenarioError.
BuiltModel build_validated(const ScenarioDocument& doc, Diagnostics& diags) {
  BuiltModel built = build_model(doc, diags);
  check_model_size(built.model, doc, diags);
  // Derivation assumes a structurally valid model (every reference resolved).
  if (!diags.has_errors()) derive_model_quantities(built.model, diags);
  diags.throw_if_errors();
  built.model.warnings = diags.warnings();
  return built;
}

/// Undoes in `work`, a copy of `base` to which `overrides` were applied, everything they
/// changed: an override changes nothing outside the section its path starts with (a section it
/// adds is appended to the top level).
void put_back(ScenarioDocument& work, const ScenarioDocument& base, std::span<const Override> overrides) {
  const std::vector<YEntry>& sections = base.root.entries;
  for (const Override& o : overrides) {
    const std::string_view section = std::string_view(o.path).substr(0, o.path.find('.'));
    for (std::size_t k = 0; k < sections.size(); ++k)
      if (sections[k].key == section) work.root.entries[k].value = sections[k].value;
  }
  std::vector<YEntry>& entries = work.root.entries;
  entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(sections.size()), entries.end());
}

}  // namespace

class ScenarioTemplate::WorkingCopies {
 public:
  /// A free copy, or a new copy of `document`.
  std::unique_ptr<ScenarioDocument> take(const ScenarioDocument& document) {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<ScenarioDocument> copy = std::move(free_.back());
        free_.pop_back();
        return copy;
      }
    }
    return std::make_unique<ScenarioDocument>(document);
  }
  /// `copy`, equal again to the document it was taken for, is free for the next call.
  void give_back(std::unique_ptr<ScenarioDocument> copy) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(copy));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<ScenarioDocument>> free_;  ///< at most one per concurrent call
};

ScenarioTemplate::~ScenarioTemplate() = default;
ScenarioTemplate::ScenarioTemplate(ScenarioTemplate&&) noexcept = default;
ScenarioTemplate& ScenarioTemplate::operator=(ScenarioTemplate&&) noexcept = default;

ScenarioTemplate::ScenarioTemplate(const std::filesystem::path& file, const LoadOptions& options)
    : working_copies_(std::make_unique<WorkingCopies>()) {
  Diagnostics diags;
  document_ = load_document(file, options.limits, diags);
  // Without every file read and parsed, a model would only add noise to the real errors.
  if (!document_.complete) diags.throw_if_errors();
  for (const Override& o : options.overrides) apply_override(document_.root, o, diags);

  BuiltModel built = build_validated(document_, diags);
  base_ = std::move(built.model);
  // The scenario's identity: every file it read, in order, and the hash of their bytes.
  Sha256 hash;
  for (LoadedFile& f : document_.files) {
    base_.info.files.push_back(f.name);
    hash.update(f.bytes);
    f.bytes.clear();  // instances need the names only
  }
  for (const std::filesystem::path& csv : built.network_files) {
    std::ifstream in(csv, std::ios::binary);
    hash.update(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
    base_.info.files.push_back(csv.string());
  }
  base_.info.content_hash = hash.hex_digest();
  // Hardware pledged more than once (docs/circular-financing.md).
  for (Diagnostic& d : analysis::collateral_warnings(base_)) base_.warnings.push_back(std::move(d));
}

Model ScenarioTemplate::instantiate(std::span<const Override> overrides) const {
  Diagnostics diags;
  // A copy that fails part way (an invalid point, out of memory) is dropped, not given back.
  std::unique_ptr<ScenarioDocument> doc = working_copies_->take(document_);
  for (const Override& o : overrides) apply_override(doc->root, o, diags);
  Model model = build_validated(*doc, diags).model;
  put_back(*doc, document_, overrides);
  working_copies_->give_back(std::move(doc));
  model.info.files = base_.info.files;
  model.info.content_hash = base_.info.content_hash;
  return model;
}

Model load_file(const std::filesystem::path& file, const LoadOptions& options) {
  return ScenarioTemplate(file, options).base();
}

Override parse_override(std::string_view text) {
  const auto fail = [&](std::string message) -> Override {
    throw ScenarioError({std::string(kCommandLine), 0, 0}, "--set", std::move(message));
  };
  if (const std::optional<TextProblem> bad = text_problem(text)) return fail(bad->message);
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return fail("expected path=value, got '" + excerpt(text) + "'");
  Override o{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  if (std::string problem = override_path_problem(o.path); !problem.empty()) return fail(std::move(problem));
  return o;
}

}  // namespace cascade::scenario
