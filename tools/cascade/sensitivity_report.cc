#include "tools/cascade/sensitivity_report.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <set>
#include <utility>

#include "engine/core/diagnostics.h"
#include "engine/output/json_file.h"
#include "engine/output/staging_directory.h"
#include "engine/output/svg_chart.h"
#include "engine/output/text_format.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
using output::Json;

void cell(std::string& row, double v) {
  row += ',';
  if (std::isfinite(v)) output::append_number(row, v);
}

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json interval(const sweep::Interval& i) { return Json::array({number(i.low), number(i.high)}); }

/// Writes every file to `name.tmp` first and renames them only when all were written, so a
/// failure leaves the directory's files as they were (and no .tmp behind).
void write_all(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  const auto remove_tmps = [&] {
    for (const auto& [name, text] : files) fs::remove(dir / (name + ".tmp"), ec);
  };
  for (const auto& [name, text] : files) {
    std::ofstream out(dir / (name + ".tmp"), std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      remove_tmps();
      throw output::OutputError(output::cannot_write(dir / name));
    }
  }
  for (const auto& [name, text] : files)  // a directory in the way would stop the renames half-way
    if (fs::is_directory(dir / name, ec)) {
      remove_tmps();
      throw output::OutputError("cannot write '" + (dir / name).string() + "': a directory is in the way");
    }
  for (const auto& [name, text] : files) {
    fs::rename(dir / (name + ".tmp"), dir / name, ec);
    if (ec) {
      remove_tmps();
      throw output::OutputError("cannot write '" + (dir / name).string() + "': " + ec.message());
    }
  }
}

/// Parameter order for display: by decreasing key, NaN last.
std::vector<std::size_t> order_by(const std::vector<double>& key) {
  std::vector<std::size_t> idx(key.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    const double x = std::isfinite(key[a]) ? key[a] : -INFINITY, y = std::isfinite(key[b]) ? key[b] : -INFINITY;
    return x > y;
  });
  return idx;
}

}  // namespace

std::string file_safe(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '_';
  return out;
}

SensitivityReport::SensitivityReport(const sweep::SweepPlan& plan, sweep::BootstrapSpec bootstrap)
    : plan_(plan), bootstrap_(bootstrap) {}

void SensitivityReport::add(const std::string& output, const std::vector<double>& y) {
  if (plan_.spec().design.method == sweep::DesignMethod::saltelli) {
    sweep::SobolResult s = sweep::sobol_indices(plan_.design(), y, bootstrap_);
    // Every index divides by the variance: with none there is nothing to apportion, and a table
    // and chart of NaN would say nothing (Morris' effects of a constant output are 0, a result).
    if (s.constant)
      entries_.push_back({output,
                          "the same in every run used (variance 0): no parameter moves it, and Sobol' "
                          "indices, shares of the variance, are undefined"});
    else
      entries_.push_back({output, std::move(s)});
  } else {
    entries_.push_back({output, sweep::morris_indices(plan_.design(), y, bootstrap_)});
  }
}

void SensitivityReport::skip(const std::string& output, const std::string& reason) {
  entries_.push_back({output, reason});
}

bool SensitivityReport::any_analysed() const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& e) { return !std::holds_alternative<std::string>(e.result); });
}

std::string SensitivityReport::csv() const {
  const auto& params = plan_.spec().parameters;
  const bool sobol = plan_.spec().design.method == sweep::DesignMethod::saltelli;
  std::string out = sobol ? "output,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high\n"
                          : "output,parameter,mu,mu_star,mu_star_low,mu_star_high,sigma\n";
  for (const Entry& e : entries_) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<std::string>(e.result)) continue;
      output::append_csv_field(out, e.output);
      out += ',';
      output::append_csv_field(out, params[i].path);
      if (const auto* s = std::get_if<sweep::SobolResult>(&e.result)) {
        for (double v : {s->first_order[i], s->first_order_ci[i].low, s->first_order_ci[i].high, s->total_order[i],
                         s->total_order_ci[i].low, s->total_order_ci[i].high})
          cell(out, v);
      } else if (const auto* m = std::get_if<sweep::MorrisResult>(&e.result)) {
        for (double v : {m->mu[i], m->mu_star[i], m->mu_star_ci[i].low, m->mu_star_ci[i].high, m->sigma[i]}) cell(out, v);
      }
      out += '\n';
    }
  }
  return out;
}

std::string SensitivityReport::json() const {
  const sweep::SweepSpec& spec = plan_.spec();
  Json outputs = Json::array();
  const std::vector<std::string> charts = chart_files();
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    const Entry& e = entries_[k];
    Json o{{"name", e.output}};
    if (!charts[k].empty()) o["chart"] = charts[k];
    Json params = Json::array();
    if (const auto* s = std::get_if<sweep::SobolResult>(&e.result)) {
      o["base_samples"] = s->base_samples;
      o["base_samples_used"] = s->base_samples_used;
      o["variance"] = number(s->variance);
      for (std::size_t i = 0; i < spec.parameters.size(); ++i)
        params.push_back(Json{{"path", spec.parameters[i].path},
                              {"S1", number(s->first_order[i])},
                              {"S1_ci", interval(s->first_order_ci[i])},
                              {"ST", number(s->total_order[i])},
                              {"ST_ci", interval(s->total_order_ci[i])}});
      if (!s->second_order.empty()) {
        Json s2 = Json::array();
        for (const auto& row : s->second_order) {
          Json r = Json::array();
          for (double v : row) r.push_back(number(v));
          s2.push_back(std::move(r));
        }
        o["second_order"] = std::move(s2);
      }
    } else if (const auto* m = std::get_if<sweep::MorrisResult>(&e.result)) {
      o["trajectories"] = m->trajectories;
      o["trajectories_used"] = m->trajectories_used;
      for (std::size_t i = 0; i < spec.parameters.size(); ++i)
        params.push_back(Json{{"path", spec.parameters[i].path},
                              {"mu", number(m->mu[i])},
                              {"mu_star", number(m->mu_star[i])},
                              {"mu_star_ci", interval(m->mu_star_ci[i])},
                              {"sigma", number(m->sigma[i])}});
    } else {
      o["skipped"] = std::get<std::string>(e.result);
    }
    if (!params.empty()) o["parameters"] = std::move(params);
    outputs.push_back(std::move(o));
  }
  const bool sobol = spec.design.method == sweep::DesignMethod::saltelli;
  Json doc{{"sweep", spec.name},
           {"method", sobol ? "sobol" : "morris"},
           {"estimators", sobol ? "first order: Saltelli et al. 2010; total: Jansen 1999"
                                : "elementary effects (Morris 1991); mu* (Campolongo et al. 2007)"},
           {"design", std::string(to_string(spec.design.method))},
           {"samples", spec.design.samples},
           {"replications_averaged", spec.replications},
           {"bootstrap", Json{{"resamples", bootstrap_.resamples}, {"confidence", bootstrap_.confidence},
                              {"seed", bootstrap_.seed}}},
           {"outputs", std::move(outputs)}};
  std::string text;
  output::write_json(text, doc, 0, output::JsonFloats::exact);  // indices and variances are not amounts
  return text + '\n';
}

std::vector<std::string> SensitivityReport::chart_files() const {
  std::vector<std::string> files;
  std::set<std::string> taken;  // in lower case: outputs `A` and `a` must not share a file anywhere
  for (const Entry& e : entries_) {
    if (std::holds_alternative<std::string>(e.result)) {
      files.emplace_back();
      continue;
    }
    const std::string stem = "sensitivity-" + file_safe(e.output);
    std::string name = stem + ".svg";
    for (int n = 2; !taken.insert(ascii_lower_case(name)).second; ++n) name = stem + "-" + std::to_string(n) + ".svg";
    files.push_back(name);
  }
  return files;
}

void SensitivityReport::write(const fs::path& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw output::OutputError("cannot create '" + dir.string() + "': " + ec.message());
  std::vector<std::pair<std::string, std::string>> files{{"sensitivity.csv", csv()}, {"sensitivity.json", json()}};
  const std::vector<std::string> charts = chart_files();
  for (std::size_t k = 0; k < entries_.size(); ++k)
    if (!charts[k].empty()) files.emplace_back(charts[k], chart(entries_[k]));
  write_all(dir, files);
}

std::string SensitivityReport::chart(const Entry& e) const {
  const auto& params = plan_.spec().parameters;
  const int percent = static_cast<int>(std::lround(bootstrap_.confidence * 100));
  if (const auto* s = std::get_if<sweep::SobolResult>(&e.result)) {
    output::BarChart chart{.title = "Sobol' indices of " + e.output,
                           .category_title = "parameter",
                           .value_axis = {.title = "share of the output's variance (" + std::to_string(percent) +
                                                   "% bootstrap interval)"}};
    output::BarSeries first{.name = "first order S1"}, total{.name = "total ST"};
    for (std::size_t i : order_by(s->total_order)) {
      chart.categories.push_back(params[i].path);
      first.values.push_back(s->first_order[i]);
      first.errors.push_back({s->first_order_ci[i].low, s->first_order_ci[i].high});
      total.values.push_back(s->total_order[i]);
      total.errors.push_back({s->total_order_ci[i].low, s->total_order_ci[i].high});
    }
    chart.series = {std::move(first), std::move(total)};
    return output::to_svg(chart);
  }
  const auto& m = std::get<sweep::MorrisResult>(e.result);
  output::ScatterChart chart{.title = "Morris screening of " + e.output,
                             .x_axis = {.title = "mu*: mean |elementary effect| (output units per unit range)"},
                             .y_axis = {.title = "sigma: spread of the effects (non-linearity, interactions)"}};
  output::ScatterSeries points{.name = "parameter"};
  for (std::size_t i = 0; i < params.size(); ++i) points.points.push_back({m.mu_star[i], m.sigma[i], params[i].path});
  chart.series = {std::move(points)};
  return output::to_svg(chart);
}

std::string SensitivityReport::table() const {
  const auto& params = plan_.spec().parameters;
  std::size_t width = 9;
  for (const auto& p : params) width = std::max(width, p.path.size());
  std::string out;
  for (const Entry& e : entries_) {
    out += e.output + ":\n";
    if (const auto* s = std::get_if<sweep::SobolResult>(&e.result)) {
      out += fmt::format("  {:<{}}  {:>22}  {:>22}\n", "parameter", width, "first order S1 [CI]", "total ST [CI]");
      for (std::size_t i : order_by(s->total_order))
        out += fmt::format("  {:<{}}  {:>6.3f} [{:>6.3f}, {:>6.3f}]  {:>6.3f} [{:>6.3f}, {:>6.3f}]\n", params[i].path,
                           width, s->first_order[i], s->first_order_ci[i].low, s->first_order_ci[i].high,
                           s->total_order[i], s->total_order_ci[i].low, s->total_order_ci[i].high);
      // The indices are scale-free, but the variance of outputs near 1e-170 or 1e160 is beyond a
      // double: say so rather than print 0 or inf.
      const std::string variance = s->variance == 0.0        ? "below the smallest double"
                                   : std::isinf(s->variance) ? "above the largest double"
                                                             : output::format_number(s->variance);
      out += fmt::format("  ({} of {} base samples used, output variance {})\n", s->base_samples_used, s->base_samples,
                         variance);
    } else if (const auto* m = std::get_if<sweep::MorrisResult>(&e.result)) {
      out += fmt::format("  {:<{}}  {:>10}  {:>24}  {:>10}\n", "parameter", width, "mu", "mu* [CI]", "sigma");
      for (std::size_t i : order_by(m->mu_star))
        out += fmt::format("  {:<{}}  {:>10.4g}  {:>10.4g} [{:>5.4g}, {:>5.4g}]  {:>10.4g}\n", params[i].path, width,
                           m->mu[i], m->mu_star[i], m->mu_star_ci[i].low, m->mu_star_ci[i].high, m->sigma[i]);
      out += fmt::format("  ({} of {} trajectories used)\n", m->trajectories_used, m->trajectories);
    } else {
      out += "  not analysed: " + std::get<std::string>(e.result) + "\n";
    }
  }
  return out;
}

}  // namespace cascade::cli
