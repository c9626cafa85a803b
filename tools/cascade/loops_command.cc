#include "tools/cascade/loops_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/analysis/circularity.h"
#include "engine/analysis/loops.h"
#include "engine/analysis/money_flow.h"
#include "engine/core/diagnostics.h"
#include "engine/network/plain_network.h"
#include "scenarios/loader/loader.h"
#include "tools/cascade/limit_options.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {
namespace fs = std::filesystem;
using analysis::FirmCircularity;
using analysis::LoopReport;
using analysis::LoopStep;
using analysis::MoneyCycle;
using analysis::MoneyFlowGraph;
using nlohmann::ordered_json;

std::string fixed(double v, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

/// The kinds of a step's arcs, each once, in arc order, joined by "+".
std::string step_kinds(const MoneyFlowGraph& g, const LoopStep& s) {
  std::vector<std::string_view> kinds;
  for (std::size_t a : s.arcs) {
    const std::string_view k = to_string(g.arcs[a].kind);
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
  }
  std::string out;
  for (std::string_view k : kinds) out += (out.empty() ? "" : "+") + std::string(k);
  return out;
}

ordered_json step_json(const MoneyFlowGraph& g, const LoopStep& s) {
  ordered_json j;
  j["from"] = g.firms[s.payer].id;
  j["to"] = g.firms[s.payee].id;
  j["kinds"] = step_kinds(g, s);
  ordered_json exposures = ordered_json::array(), statuses = ordered_json::array();
  for (std::size_t a : s.arcs) {
    exposures.push_back(g.arcs[a].exposure_id);
    statuses.push_back(std::string(to_string(g.arcs[a].status)));
  }
  j["exposures"] = exposures;
  j["statuses"] = statuses;
  j["amount"] = s.usd_bn;
  j["enforced"] = s.enforced;
  return j;
}

/// Named loops (ids) that each cycle closes, from match_named_loops.
std::vector<std::vector<std::string>> named_per_cycle(const std::optional<Model>& model,
                                                      const std::vector<analysis::NamedLoopMatch>& matches,
                                                      std::size_t cycles) {
  std::vector<std::vector<std::string>> out(cycles);
  if (!model) return out;
  for (const analysis::NamedLoopMatch& m : matches)
    for (std::size_t c : m.cycles) out[c].push_back(model->loops[m.loop].id);
  return out;
}

ordered_json report_json(const LoopsCommand& command, const AnalysisInput& input, const MoneyFlowGraph& g,
                         const LoopReport& report, const std::vector<analysis::NamedLoopMatch>& matches,
                         const analysis::CircularityResult& circularity) {
  ordered_json j;
  j["input"] = command.input.string();
  j["input_kind"] = input.model ? "scenario" : "plain_network";
  if (input.model) j["scenario"] = input.model->info.name;
  j["basis"] = std::string(to_string(g.basis));
  j["statuses"] = command.enforced_only ? "enforced" : "all";
  j["max_length"] = command.max_length;
  j["max_cycles"] = command.max_cycles;
  if (g.basis == analysis::FlowBasis::usd_bn_per_year) j["spread_years"] = command.spread_years;
  j["firm_count"] = g.firms.size();
  j["arc_count"] = g.arcs.size();

  ordered_json components = ordered_json::array();
  for (const analysis::MoneyComponent& c : report.components) {
    ordered_json firms = ordered_json::array();
    for (FirmIdx f : c.firms) firms.push_back(g.firms[f].id);
    components.push_back({{"firms", firms}, {"size", c.firms.size()}, {"arcs", c.arcs}, {"amount", c.usd_bn}});
  }
  j["components"] = components;

  const std::vector<std::vector<std::string>> named = named_per_cycle(input.model, matches, report.cycles.size());
  ordered_json cycles = ordered_json::array();
  for (std::size_t i = 0; i < report.cycles.size(); ++i) {
    const MoneyCycle& c = report.cycles[i];
    ordered_json firms = ordered_json::array(), kinds = ordered_json::array(), exposures = ordered_json::array(),
                 statuses = ordered_json::array(), amounts = ordered_json::array(), steps = ordered_json::array();
    for (FirmIdx f : c.firms) firms.push_back(g.firms[f].id);
    for (const LoopStep& s : c.steps) {
      ordered_json step = step_json(g, s);
      kinds.push_back(step["kinds"]);
      exposures.push_back(step["exposures"]);
      statuses.push_back(step["statuses"]);
      amounts.push_back(s.usd_bn);
      steps.push_back(std::move(step));
    }
    ordered_json cycle;
    cycle["firms"] = firms;
    cycle["kinds"] = kinds;
    cycle["amount"] = c.usd_bn;
    cycle["length"] = c.firms.size();
    cycle["exposures"] = exposures;
    cycle["statuses"] = statuses;
    cycle["step_amounts"] = amounts;
    cycle["enforced"] = c.enforced;
    cycle["weakest_link"] = step_json(g, c.steps[c.weakest_step]);
    cycle["weakest_firm"] = {{"firm", g.firms[c.weakest_firm].id},
                             {"equity_cushion", g.firms[c.weakest_firm].equity_cushion()}};
    cycle["named_loops"] = named[i];
    cycles.push_back(std::move(cycle));
  }
  j["cycles"] = cycles;
  j["cycle_count"] = report.cycles.size();
  j["truncated"] = report.truncated;

  if (input.model) {
    ordered_json loops = ordered_json::array();
    for (const analysis::NamedLoopMatch& m : matches) {
      const LoopSpec& spec = input.model->loops[m.loop];
      ordered_json loop{{"id", spec.id}, {"name", spec.name}, {"found", !m.cycles.empty()}, {"cycles", m.cycles.size()}};
      loops.push_back(std::move(loop));
    }
    j["named_loops"] = loops;
  }

  std::vector<FirmCircularity> sorted = circularity.firms;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const FirmCircularity& a, const FirmCircularity& b) {
    if (a.share != b.share) return a.share > b.share;
    return g.firms[a.firm].id < g.firms[b.firm].id;
  });
  ordered_json circ = ordered_json::array();
  for (const FirmCircularity& c : sorted)
    circ.push_back({{"firm", g.firms[c.firm].id},
                    {"share", c.share},
                    {"financing_share", c.financing_share},
                    {"revenue", c.revenue_usd_bn},
                    {"circular_revenue", c.circular_revenue_usd_bn},
                    {"financing_circular_revenue", c.financing_circular_revenue_usd_bn}});
  j["circularity"] = circ;
  j["circularity_converged"] = circularity.converged;
  return j;
}

std::string cycle_path(const MoneyFlowGraph& g, const MoneyCycle& c) {
  std::string out = g.firms[c.firms.front()].id;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const LoopStep& s = c.steps[i];
    std::string ids;
    for (std::size_t a : s.arcs) {
      ids += (ids.empty() ? "" : ",") + g.arcs[a].exposure_id;
      if (!is_binding(g.arcs[a].status) && g.basis == analysis::FlowBasis::usd_bn_per_year)
        ids += " " + std::string(to_string(g.arcs[a].status));
    }
    out += " -[" + step_kinds(g, s) + " " + ids + " " + fixed(s.usd_bn) + "]" + (i == c.weakest_step ? "*" : "") +
           "-> " + g.firms[s.payee].id;
  }
  return out;
}

void print_human(const LoopsCommand& command, const AnalysisInput& input, const MoneyFlowGraph& g,
                 const LoopReport& report, const std::vector<analysis::NamedLoopMatch>& matches,
                 const analysis::CircularityResult& circularity) {
  const bool per_year = g.basis == analysis::FlowBasis::usd_bn_per_year;
  const std::string unit = per_year ? "USD bn per year" : "the network's unit (nominal amounts)";
  std::cout << "Money loops in " << (input.model ? input.model->info.name : command.input.string()) << " ("
            << g.firms.size() << " firms, " << g.arcs.size() << " money arcs, "
            << (command.enforced_only ? "enforced statuses only" : "every status") << "; amounts in " << unit
            << ")\n";

  std::cout << "\nStrongly connected components with a loop: " << report.components.size() << "\n";
  for (const analysis::MoneyComponent& c : report.components) {
    std::cout << "  " << c.firms.size() << " firms, " << c.arcs << " arcs, " << fixed(c.usd_bn) << ":";
    for (FirmIdx f : c.firms) std::cout << ' ' << g.firms[f].id;
    std::cout << '\n';
  }

  const std::string bound = command.max_length ? "up to " + std::to_string(command.max_length) + " firms" : "any length";
  std::cout << "\nElementary cycles (" << bound << "): " << report.cycles.size()
            << (report.truncated ? " (TRUNCATED)" : "") << '\n';
  const std::size_t shown = command.top == 0 ? report.cycles.size() : std::min(command.top, report.cycles.size());
  if (shown > 0) {
    const std::vector<std::vector<std::string>> named = named_per_cycle(input.model, matches, report.cycles.size());
    std::cout << "  money goes round in the direction shown; [kinds exposures amount], * = weakest link;\n"
                 "  binding = every step has an enforced exposure; cushion = book equity / assets at tick 0\n";
    std::printf("  %4s %10s %5s %8s  %-28s %s\n", "#", "amount", "firms", "binding", "weakest firm (cushion)", "cycle");
    std::fflush(stdout);
    for (std::size_t i = 0; i < shown; ++i) {
      const MoneyCycle& c = report.cycles[i];
      const std::string weakest =
          g.firms[c.weakest_firm].id + " (" + fixed(g.firms[c.weakest_firm].equity_cushion()) + ")";
      std::string path = cycle_path(g, c);
      if (!named[i].empty()) {
        path += "  (source loop";
        for (const std::string& id : named[i]) path += " " + id;
        path += ")";
      }
      std::printf("  %4zu %10s %5zu %8s  %-28s %s\n", i + 1, fixed(c.usd_bn).c_str(), c.firms.size(),
                  c.enforced ? "yes" : "no", weakest.c_str(), path.c_str());
    }
    std::fflush(stdout);
    if (shown < report.cycles.size())
      std::cout << "  ... " << report.cycles.size() - shown << " more (--top 0 lists all; --json gives every field)\n";
  }
  if (report.truncated)
    std::cout << "  The search stopped after " << command.max_cycles
              << " cycles: more exist. Raise the limit with --max-cycles N (or shorten cycles with --max-length N);\n"
                 "  the cycles listed are the first found, not the largest.\n";

  if (input.model && !matches.empty()) {
    std::cout << "\nSource loops (loops: in the scenario) that close as money with their own exposures:\n";
    for (const analysis::NamedLoopMatch& m : matches) {
      const LoopSpec& spec = input.model->loops[m.loop];
      std::cout << "  " << spec.id << (m.cycles.empty() ? "  not a money cycle  " : "  found in ")
                << (m.cycles.empty() ? std::string() : std::to_string(m.cycles.size()) + " cycle(s)  ") << spec.name
                << '\n';
    }
  }

  std::vector<FirmCircularity> sorted;
  for (const FirmCircularity& c : circularity.firms)
    if (c.share > 0.0) sorted.push_back(c);
  std::stable_sort(sorted.begin(), sorted.end(), [&](const FirmCircularity& a, const FirmCircularity& b) {
    if (a.share != b.share) return a.share > b.share;
    return g.firms[a.firm].id < g.firms[b.firm].id;
  });
  std::cout << "\nCircularity: share of a firm's revenue paid for by its own money, through any chain of firms\n"
            << "(financing only: traced from its investments, loans, guarantees and vendor financing alone): "
            << sorted.size() << " of " << g.firms.size() << " firms above 0\n";
  if (!sorted.empty()) {
    std::printf("  %-22s %12s %12s %8s %15s\n", "firm", "revenue", "circular", "share", "financing only");
    std::fflush(stdout);
    const std::size_t rows = command.top == 0 ? sorted.size() : std::min(command.top, sorted.size());
    for (std::size_t i = 0; i < rows; ++i) {
      const FirmCircularity& c = sorted[i];
      std::printf("  %-22s %12s %12s %7s%% %14s%%\n", g.firms[c.firm].id.c_str(), fixed(c.revenue_usd_bn).c_str(),
                  fixed(c.circular_revenue_usd_bn).c_str(), fixed(100.0 * c.share, 1).c_str(),
                  fixed(100.0 * c.financing_share, 1).c_str());
    }
    std::fflush(stdout);
  }
  if (!circularity.converged)
    std::cout << "  (the circularity solve did not converge within its sweep limit; shares are lower bounds)\n";
}

}  // namespace

std::optional<AnalysisInput> load_analysis_input(const fs::path& path, const std::vector<std::string>& overrides,
                                                 bool allow_directory) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    std::cerr << "error: '" << path.string() << "' not found\n";
    return std::nullopt;
  }
  const auto print = [](const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& d : diagnostics) std::cerr << d.format() << '\n';
  };
  AnalysisInput input;
  if (fs::is_directory(path, ec)) {
    if (!allow_directory) {
      std::cerr << "error: '" << path.string() << "' is a directory; expected a scenario YAML file\n";
      return std::nullopt;
    }
    if (!overrides.empty()) {
      std::cerr << "error: --set applies to scenarios, not to a plain network directory\n";
      return std::nullopt;
    }
    Diagnostics diags;
    PlainNetwork network = read_plain_network(path, diags, plain_network_limits());
    print(diags.items());
    if (diags.has_errors()) {
      std::cerr << count_errors(diags.items()) << " error(s)\n";
      return std::nullopt;
    }
    input.network = std::move(network);
    return input;
  }
  try {
    scenario::LoadOptions options{.overrides = {}, .limits = scenario_limits()};
    for (const std::string& text : overrides) options.overrides.push_back(scenario::parse_override(text));
    input.model = scenario::load_file(path, options);
  } catch (const ScenarioError& error) {
    print(error.diagnostics());
    const auto errors = count_errors(error.diagnostics());
    if (errors == 0)
      std::cerr << error.what() << '\n';
    else
      std::cerr << errors << " error(s)\n";
    return std::nullopt;
  }
  print(input.model->warnings);
  return input;
}

CLI::App* add_loops_subcommand(CLI::App& app, LoopsCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "loops",
      "Find the money loops (circular financing) of a scenario or plain network: strongly connected\n"
      "components, elementary cycles with the money that goes round each, and each firm's circularity.");
  sub->add_option("INPUT", command.input,
                  "Scenario YAML file, or a plain network directory (nodes.csv, edges.csv: every edge a\n"
                  "loan, money creditor -> debtor, nominal amounts)")
      ->type_name("FILE|DIR")
      ->required();
  sub->add_flag("--json", command.json,
                "Print one JSON object: {\"components\": [...], \"cycles\": [...], \"cycle_count\": n,\n"
                "\"truncated\": false, \"circularity\": [...], ...} (docs/circular-financing.md)");
  sub->add_option("--max-length", command.max_length, "Most firms on a cycle, 0 = no bound (default: 6)")
      ->type_name("N")
      ->check(whole_in(std::size_t{0}, std::size_t{1000000}));
  sub->add_option("--max-cycles", command.max_cycles,
                  "Stop after this many cycles and report \"truncated\": true (default: 100000)")
      ->type_name("N")
      ->check(whole_in(std::size_t{1}, std::size_t{100000000}));
  sub->add_flag("--enforced-only", command.enforced_only,
                "Keep only exposures whose status the scenario enforces (parameters.enforced_statuses;\n"
                "default outstanding and contract). Default: every status (loi, proposed, doubtful, settled too).");
  sub->add_option("--spread-years", command.spread_years,
                  "Years over which equity stakes, warrants, guarantees and debt without a term are spread\n"
                  "into a per-year amount (default: 5)")
      ->type_name("Y")
      ->check(number_in(1e-6, 1e6, "a number of years in [1e-6, 1e6]"));
  sub->add_option("--top", command.top, "Cycles and firms listed in the table, 0 = all (default: 20; not for --json)")
      ->type_name("N")
      ->check(whole_in(std::size_t{0}, std::size_t{100000000}));
  sub->add_option("--set", command.overrides,
                  "Override one scenario value before validation, as for `run` (scenarios only; repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  sub->footer(footer);
  return sub;
}

ExitCode loops(const LoopsCommand& command) {
  const std::optional<AnalysisInput> input = load_analysis_input(command.input, command.overrides);
  if (!input) return ExitCode::bad_input;
  const MoneyFlowGraph g =
      input->model ? analysis::build_money_flow(*input->model, {.enforced_only = command.enforced_only,
                                                                .spread_years = command.spread_years})
                   : analysis::build_money_flow(*input->network);
  const LoopReport report =
      analysis::find_loops(g, {.max_length = command.max_length, .max_cycles = command.max_cycles});
  const std::vector<analysis::NamedLoopMatch> matches =
      input->model ? analysis::match_named_loops(*input->model, g, report) : std::vector<analysis::NamedLoopMatch>{};
  const analysis::CircularityResult circularity = analysis::compute_circularity(g);

  if (command.json) {
    // Ids are bytes from user files: invalid UTF-8 is replaced.
    std::cout << report_json(command, *input, g, report, matches, circularity)
                     .dump(2, ' ', false, ordered_json::error_handler_t::replace)
              << '\n';
    if (report.truncated)
      std::cerr << "warning: more than " << command.max_cycles
                << " cycles exist; the list is truncated (\"truncated\": true). Raise the limit with --max-cycles N\n";
  } else {
    print_human(command, *input, g, report, matches, circularity);
  }
  return ExitCode::ok;
}

}  // namespace cascade::cli
