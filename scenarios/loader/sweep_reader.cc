#include "scenarios/loader/sweep_reader.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "scenarios/loader/document.h"
#include "scenarios/loader/sha256.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;
using sweep::DesignMethod;
using sweep::DistributionKind;

/// Columns every results table starts with: a parameter path must not take their names.
constexpr std::array<std::string_view, 4> kReservedColumns{"run_id", "point", "replicate", "seed"};

/// The setting a sweep of a scenario replaces in every run with the run's own seed.
constexpr std::string_view kScenarioSeedPath = "simulation.seed";
constexpr std::string_view kScenarioSeedMessage =
    "'simulation.seed' is replaced in every run by the run's own seed (from the sweep's 'seed', the point and "
    "the replicate): vary seeds with 'replications', or change the sweep's 'seed'";

constexpr std::uint32_t kMaxReplications = 1'000'000;
constexpr std::uint32_t kMaxLevels = 1'000'000;
constexpr std::uint64_t kDefaultDesignSeed = 1;
constexpr std::uint32_t kDefaultMorrisLevels = 4;

const std::array<std::string, 6> kMethodNames{"grid", "monte-carlo", "latin-hypercube", "sobol", "saltelli", "morris"};
const std::array<std::string, 4> kDistributionNames{"uniform", "log-uniform", "normal", "discrete"};
const std::array<std::string, 2> kFailureNames{"continue", "stop"};

std::optional<DistributionKind> parse_distribution(std::string_view s) {
  if (s == "uniform") return DistributionKind::uniform;
  if (s == "log-uniform") return DistributionKind::log_uniform;
  if (s == "normal") return DistributionKind::normal;
  if (s == "discrete") return DistributionKind::discrete;
  return std::nullopt;
}
std::optional<sweep::FailurePolicy> parse_failure(std::string_view s) {
  if (s == "continue") return sweep::FailurePolicy::continue_running;
  if (s == "stop") return sweep::FailurePolicy::stop;
  return std::nullopt;
}

class SweepReader {
 public:
  SweepReader(const fs::path& file, const InputLimits& limits, Diagnostics& diags)
      : file_(file), limits_(limits), diags_(diags) {}

  sweep::SweepSpec read() {
    sweep::SweepSpec spec;
    spec.file = file_.string();
    spec.name = file_.stem().string();
    std::string bytes, error;
    if (!read_file_bytes(file_, bytes, error, limits_.max_file_bytes)) {
      diags_.error({spec.file, 0, 0}, "", "cannot read the sweep file: " + error);
      return spec;
    }
    Sha256 hash;
    hash.update(bytes);
    spec.content_hash = hash.hex_digest();
    const std::optional<YNode> root =
        parse_yaml(bytes, spec.file, diags_, limits_.max_yaml_values, limits_.max_file_bytes);
    if (!root) return spec;
    const MapReader r(*root,
                      {"format", "name", "description", "scenario", "set", "parameters", "design", "replications",
                       "seed", "outputs", "on_failure"},
                      diags_);
    if (!r.is_mapping()) return spec;

    std::string format;
    if (r.string("format", format) && format != kSweepFormatTag)
      diags_.error(r.get("format")->where, r.get("format")->path,
                   "expected '" + std::string(kSweepFormatTag) + "', got '" + excerpt(format) + "'");
    r.string("name", spec.name);
    std::string scenario;
    if (r.string("scenario", scenario)) read_scenario(*r.get("scenario"), scenario, spec);
    if (const YNode* set = r.get("set")) read_fixed(*set, spec);
    if (const YNode* params = r.get("parameters")) read_parameters(*params, spec);
    r.integer<std::uint32_t>("replications", 1, kMaxReplications, spec.replications);
    const YNode* design = r.get("design");
    if (design) read_design(*design, spec);
    else if (!spec.parameters.empty())
      diags_.error(root->where, "", "missing required key 'design' (a method such as saltelli, and samples)");
    // `parameters: []` lists none, as a sweep without the key does.
    const YNode* listed = r.get("parameters");
    const bool none_listed = listed == nullptr || (listed->is_sequence() && listed->items.empty());
    if (none_listed && spec.replications <= 1)
      diags_.error(root->where, "", "a sweep needs 'parameters', or 'replications' above 1 to repeat the scenario");
    if (none_listed && design)
      diags_.error(design->where, design->path, "a design places parameters, and the sweep lists none");
    spec.seed = spec.design.seed;
    if (const YNode* seed = r.get("seed"))
      if (std::optional<std::uint64_t> v = read_unsigned(*seed, diags_)) spec.seed = *v;
    if (const YNode* outputs = r.get("outputs")) read_outputs(*outputs, spec);
    r.choice("on_failure", "failure policy", parse_failure, std::span(kFailureNames), spec.on_failure);
    if (!diags_.has_errors()) check_size(spec, design ? *design : *root);
    return spec;
  }

 private:
  void read_scenario(const YNode& node, const std::string& text, sweep::SweepSpec& spec) {
    if (text.empty()) {
      diags_.error(node.where, node.path, "must not be empty");
      return;
    }
    spec.scenario = (file_.parent_path() / text).lexically_normal();
    spec.scenario_text = text;
  }

  void read_fixed(const YNode& node, sweep::SweepSpec& spec) {
    if (!node.is_mapping()) {
      diags_.error(node.where, node.path, "expected a mapping of path: value, got " + node.describe());
      return;
    }
    for (const YEntry& e : node.entries) {
      const std::optional<std::string> value = read_string(e.value, diags_);
      if (!value) continue;
      if (std::string problem = override_path_problem(e.key); !problem.empty()) {
        diags_.error(e.key_where, key_path(node, e), problem);
        continue;
      }
      if (spec.scenario && e.key == kScenarioSeedPath) {
        diags_.error(e.key_where, key_path(node, e), std::string(kScenarioSeedMessage));
        continue;
      }
      spec.fixed.push_back({e.key, *value, e.key_where});
    }
  }

  void read_parameters(const YNode& node, sweep::SweepSpec& spec) {
    if (!node.is_sequence()) {
      diags_.error(node.where, node.path, "expected a list of parameters, got " + node.describe());
      return;
    }
    // Each path's column, by its lower case: results.sqlite's column names ignore case.
    std::map<std::string, std::string> paths;
    for (const YNode& item : node.items) {
      // Duplicates are found from the path as written, whether or not the rest is valid.
      const YNode* path_node = item.is_mapping() ? item.find("path") : nullptr;
      bool repeated = false;
      if (path_node && path_node->is_scalar()) {
        const auto [first, inserted] = paths.emplace(ascii_lower_case(path_node->text), path_node->text);
        repeated = !inserted;
        if (repeated && first->second == path_node->text)
          diags_.error(path_node->where, path_node->path, "parameter '" + path_node->text + "' is listed twice");
        else if (repeated)
          diags_.error(path_node->where, path_node->path,
                       "parameter '" + path_node->text + "' differs from '" + first->second +
                           "' only in letter case, and results.sqlite's column names ignore case");
      }
      std::optional<sweep::SweepParameter> p = read_parameter(item);
      if (!p || repeated) continue;
      if (spec.scenario && p->path == kScenarioSeedPath)
        diags_.error(path_node->where, path_node->path, std::string(kScenarioSeedMessage));
      for (std::string_view reserved : kReservedColumns)
        if (ascii_lower_case(p->path) == reserved)
          diags_.error(path_node->where, path_node->path,
                       "'" + p->path + "' names a column every results table has; choose another name");
      spec.parameters.push_back(std::move(*p));
    }
  }

  std::optional<sweep::SweepParameter> read_parameter(const YNode& node) {
    const MapReader r(node, {"path", "distribution", "min", "max", "mean", "sd", "values", "levels", "note"}, diags_);
    if (!r.is_mapping()) return std::nullopt;
    sweep::SweepParameter p;
    p.where = node.where;
    const std::size_t errors_before = diags_.error_count();
    if (r.string("path", p.path, Need::required)) {
      if (std::string problem = override_path_problem(p.path); !problem.empty())
        diags_.error(r.get("path")->where, r.get("path")->path, problem);
    }
    sweep::Distribution& d = p.distribution;
    // The kind, when not named: values -> discrete, mean/sd -> normal, else uniform.
    d.kind = r.get("values")                       ? DistributionKind::discrete
             : (r.get("mean") || r.get("sd"))      ? DistributionKind::normal
                                                   : DistributionKind::uniform;
    r.choice("distribution", "distribution", parse_distribution, std::span(kDistributionNames), d.kind);
    const auto only_for = [&](std::string_view key, std::initializer_list<DistributionKind> kinds) {
      const YEntry* entry = node.find_entry(key);
      if (!entry) return;
      for (DistributionKind k : kinds)
        if (k == d.kind) return;
      diags_.error(entry->key_where, entry->value.path,
                   "'" + std::string(key) + "' does not apply to a " + kDistributionNames[static_cast<int>(d.kind)] +
                       " distribution");
    };
    using K = DistributionKind;
    only_for("min", {K::uniform, K::log_uniform, K::normal});
    only_for("max", {K::uniform, K::log_uniform, K::normal});
    only_for("mean", {K::normal});
    only_for("sd", {K::normal});
    only_for("values", {K::discrete});
    only_for("levels", {K::uniform, K::log_uniform, K::normal});

    if (d.kind == K::discrete) {
      read_values(r.get("values", Need::required), d);
    } else {
      const bool has_min = r.number("min", Range::any(), d.min, Need::required);
      const bool has_max = r.number("max", Range::any(), d.max, Need::required);
      if (has_min && has_max && !(d.min < d.max))
        diags_.error(r.get("max")->where, r.get("max")->path,
                     "must be above min (" + format_number(d.min) + "), got " + format_number(d.max));
      else if (has_min && has_max && !std::isfinite(d.max - d.min))  // min + u (max - min) would overflow
        diags_.error(r.get("max")->where, r.get("max")->path,
                     "max - min must be a finite number (at most about 1.8e308), got " + format_number(d.max) + " - " +
                         format_number(d.min));
      if (d.kind == K::log_uniform && has_min && !(d.min > 0.0))
        diags_.error(r.get("min")->where, r.get("min")->path,
                     "a log-uniform distribution needs min > 0, got " + format_number(d.min));
      if (d.kind == K::normal) {
        r.number("mean", Range::any(), d.mean, Need::required);
        r.number("sd", Range::above(0.0), d.sd, Need::required);
      }
      r.integer<std::uint32_t>("levels", 1, kMaxLevels, p.grid_levels);
    }
    if (diags_.error_count() != errors_before) return std::nullopt;
    // Whatever the checks above do not cover (e.g. a normal truncated far out in its tail).
    if (const std::string problem = d.problem(); !problem.empty()) {
      diags_.error(node.where, node.path, problem);
      return std::nullopt;
    }
    return p;
  }

  void read_values(const YNode* node, sweep::Distribution& d) {
    if (!node) return;
    if (!node->is_sequence() || node->items.empty()) {
      diags_.error(node->where, node->path, "expected a non-empty list of values, got " + node->describe());
      return;
    }
    std::set<std::string> seen;
    std::map<double, std::string> numbers;  // a number spelt two ways (1, 1.0, 1e0) is one value
    for (const YNode& item : node->items) {
      if (!item.is_scalar()) {
        diags_.error(item.where, item.path, "expected a single value, got " + item.describe());
        continue;
      }
      if (!seen.insert(item.text).second) {
        diags_.error(item.where, item.path, "value '" + item.text + "' is listed twice");
        continue;
      }
      if (item.text.find_first_of("\r\n") != std::string::npos) {
        diags_.error(item.where, item.path,
                     "a value cannot hold a line break (the sweep's journal keeps each run's row on one line)");
        continue;
      }
      double number = 0.0;
      const char* end = item.text.data() + item.text.size();
      // NaN equals no number, itself included: it cannot repeat one (and would break the map's order).
      if (const auto parsed = std::from_chars(item.text.data(), end, number);
          parsed.ec == std::errc{} && parsed.ptr == end && !item.text.empty() && !std::isnan(number)) {
        if (const auto [at, inserted] = numbers.emplace(number, item.text); !inserted) {
          diags_.error(item.where, item.path,
                       "value '" + item.text + "' is the number '" + at->second + "' listed before");
          continue;
        }
      }
      d.values.push_back(item.text);
    }
  }

  void read_design(const YNode& node, sweep::SweepSpec& spec) {
    const MapReader r(node, {"method", "samples", "seed", "levels", "second_order", "scramble"}, diags_);
    if (!r.is_mapping()) return;
    sweep::DesignSpec& d = spec.design;
    d.seed = kDefaultDesignSeed;
    r.choice("method", "design method", sweep::parse_design_method, std::span(kMethodNames), d.method, Need::required);
    const bool grid = d.method == DesignMethod::grid;
    if (grid) {
      if (const YEntry* e = node.find_entry("samples"))
        diags_.error(e->key_where, e->value.path, "a grid has no samples: its size is the product of the levels");
    } else {
      r.integer<std::uint64_t>("samples", 1, std::numeric_limits<std::int64_t>::max(), d.samples, Need::required);
    }
    if (const YNode* seed = r.get("seed"))
      if (std::optional<std::uint64_t> v = read_unsigned(*seed, diags_)) d.seed = *v;
    std::uint32_t levels = 0;
    const bool has_levels = r.integer<std::uint32_t>("levels", 1, kMaxLevels, levels);
    if (d.method == DesignMethod::morris) {
      if (!has_levels) levels = kDefaultMorrisLevels;
      if (levels < 2 || levels % 2 != 0)
        diags_.error(r.get("levels")->where, r.get("levels")->path, "Morris levels must be even and at least 2, got " +
                                                                        std::to_string(levels));
      d.levels = {levels};
    } else if (grid) {
      // The default number of levels of continuous parameters.
      for (sweep::SweepParameter& p : spec.parameters) {
        if (p.distribution.is_discrete() || p.grid_levels > 0) continue;
        if (has_levels) p.grid_levels = levels;
        else diags_.error(p.where, "", "a grid needs 'levels' for parameter '" + p.path + "' (or design.levels)");
      }
    } else if (has_levels) {
      diags_.error(r.get("levels")->where, r.get("levels")->path, "'levels' applies to grid and morris designs only");
    }
    if (!grid)  // a parameter's own levels were left unused
      for (const sweep::SweepParameter& p : spec.parameters)
        if (p.grid_levels > 0)
          diags_.error(p.where, "",
                       "parameter '" + p.path + "': 'levels' applies to grid designs only" +
                           (d.method == DesignMethod::morris ? " (a morris design's are design.levels)" : ""));
    if (r.boolean("second_order", d.second_order) && d.second_order && d.method != DesignMethod::saltelli)
      diags_.error(r.get("second_order")->where, r.get("second_order")->path, "applies to saltelli designs only");
    r.boolean("scramble", d.scramble);
    if (!d.scramble && d.method != DesignMethod::sobol && d.method != DesignMethod::saltelli)
      diags_.error(r.get("scramble")->where, r.get("scramble")->path, "applies to sobol and saltelli designs only");
  }

  void read_outputs(const YNode& node, sweep::SweepSpec& spec) {
    const std::optional<std::vector<NameRef>> names = read_name_list(node, diags_);
    if (!names) return;
    for (const NameRef& n : *names) {
      spec.outputs.push_back(n.name);
      spec.output_locations.push_back(n.node->where);
    }
  }

  void check_size(const sweep::SweepSpec& spec, const YNode& design_node) {
    try {
      const sweep::SweepPlan plan(spec);
      if (plan.run_count() > limits_.max_sweep_runs)
        diags_.error(design_node.where, design_node.path,
                     "the sweep has " + std::to_string(plan.run_count()) + " runs (" +
                         std::to_string(plan.point_count()) + " points x " + std::to_string(spec.replications) +
                         " replications), above the limit of " + std::to_string(limits_.max_sweep_runs) +
                         "; raise it with --max-runs if that is intended");
    } catch (const std::invalid_argument& e) {
      diags_.error(design_node.where, design_node.path, e.what());
    }
  }

  fs::path file_;
  InputLimits limits_;
  Diagnostics& diags_;
};

}  // namespace

sweep::SweepSpec load_sweep(const fs::path& file, const InputLimits& limits) {
  Diagnostics diags;
  sweep::SweepSpec spec = SweepReader(file, limits, diags).read();
  diags.throw_if_errors();
  return spec;
}

}  // namespace cascade::scenario
