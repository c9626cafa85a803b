#include "tools/cascade/rank_command.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "agents/firm_types.h"
#include "engine/experiments/rank.h"
#include "engine/output/staging_directory.h"
#include "engine/output/text_format.h"
#include "tools/cascade/loops_command.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {

CLI::App* add_rank_subcommand(CLI::App& app, RankCommand& command, const std::string& footer) {
  CLI::App* sub = app.add_subcommand(
      "rank",
      "Rank firms by systemic importance: the loss each firm's sole failure causes to everyone else\n"
      "(credit, revenue, other equity, outside creditors), the defaults it causes and prevents, and\n"
      "its DebtRank (optionally also a revenue shock per firm).");
  sub->add_option("FILE", command.scenario_file, "Scenario YAML file")->type_name("")->required();
  sub->add_option("--set", command.overrides, "Override one scenario value, NAME=VALUE, as for `run` (repeatable)")
      ->type_name("NAME=VALUE");
  sub->add_option("--revenue-shock", command.revenue_shock,
                  "Also rank by each firm's revenue cut to this fraction from the shock tick (e.g. 0.5)")
      ->type_name("FRACTION")
      ->check(number_in(0.0, 1.0, "a fraction in [0, 1]"));
  sub->add_option("--tick", command.shock_tick, "Tick of each firm's failure or revenue shock (default: 1)")
      ->type_name("T")
      ->check(whole_in(1, 1000000));
  sub->add_option("--threads", command.threads, "Runs in parallel (default: 1); results do not depend on it")
      ->type_name("N")
      ->check(whole_in(1, 1024));
  sub->add_option("--top", command.top, "Rows printed per ranking (default: all)")
      ->type_name("N")
      ->check(whole_in(std::size_t{0}, std::size_t{1000000000}));
  sub->add_option("--csv", command.csv_file, "Also write every row to this CSV file")->type_name("FILE");
  sub->footer(footer);
  return sub;
}

namespace {
void print_ranking(std::string_view title, const std::vector<FirmImpact>& impacts, const Model& model,
                   std::size_t top) {
  std::cout << title << ": what it causes to everyone else, against the scenario as given (USD bn)\n";
  std::cout << fmt::format("  {:>4}  {:<22} {:<15} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>8}\n", "rank", "firm",
                           "type", "total", "credit", "revenue", "other", "outside", "defaults", "prevented",
                           "DebtRank");
  for (std::size_t k = 0; k < impacts.size() && (top == 0 || k < top); ++k) {
    const FirmImpact& i = impacts[k];
    const LossCaused& c = i.caused;
    // To one decimal, then + 0.0: a loss of -7e-6 printed as "-0.0".
    const auto tenth = [](double v) { return std::round(v * 10.0) / 10.0 + 0.0; };
    std::cout << fmt::format(
        "  {:>4}  {:<22} {:<15} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>8} {:>9} {:>8.3f}\n", i.rank,
        model.firms[i.firm].id, to_string(model.firms[i.firm].type), tenth(c.total_usd_bn()),
        tenth(c.credit_loss_usd_bn), tenth(c.revenue_lost_usd_bn), tenth(c.other_equity_lost_usd_bn),
        tenth(c.outside_creditor_loss_usd_bn), c.defaults_caused, c.defaults_prevented, i.debtrank);
  }
}

constexpr std::string_view kColumns =
    "total = credit + revenue + other + outside: the fall in the other firms' capital (equity, and funds'\n"
    "investor capital) plus what creditors outside the network lose. credit: the other firms' credit losses;\n"
    "revenue: their lost contract revenue; other: the rest of their capital fall (marks, stakes, fire sales,\n"
    "funding, funds' investors; net of losses that defaulting firms pass on to their own creditors); outside:\n"
    "what resolutions leave unpaid to outside creditors.\n"
    "defaults: other firms that default only with the shock; prevented: only without it. Ranked by total,\n"
    "then defaults; firms tied on both share a rank (docs/model.md, \"Systemic importance\").\n";
}  // namespace

ExitCode rank(const RankCommand& command) {
  if (command.csv_file && std::filesystem::is_directory(*command.csv_file)) {
    std::cerr << "error: --csv '" << command.csv_file->string() << "' is a directory\n";
    return ExitCode::bad_input;
  }
  const std::optional<AnalysisInput> input =
      load_analysis_input(command.scenario_file, command.overrides, /*allow_directory=*/false);
  if (!input) return ExitCode::bad_input;
  const Model& model = *input->model;
  if (command.shock_tick > model.params.horizon_ticks) {
    std::cerr << "error: --tick " << command.shock_tick << " is beyond the horizon (" << model.params.horizon_ticks
              << " ticks)\n";
    return ExitCode::bad_input;
  }
  spdlog::info("rank: {} firms x {} experiment(s), {} thread(s)", model.firms.size(),
               command.revenue_shock ? 2 : 1, command.threads);
  const RankResult result =
      rank_firms(model, RunOptions{.seed = model.params.seed, .threads = command.threads},
                 agents::standard_behaviours(),
                 RankOptions{.shock_tick = command.shock_tick, .revenue_shock_fraction = command.revenue_shock});
  print_ranking(fmt::format("Sole failure at tick {}", command.shock_tick), result.failure, model, command.top);
  if (!result.revenue_shock.empty())
    print_ranking(fmt::format("Revenue cut to {} at tick {}", *command.revenue_shock, command.shock_tick),
                  result.revenue_shock, model, command.top);
  std::cout << kColumns;
  if (command.csv_file) {
    const std::filesystem::path tmp = command.csv_file->string() + ".tmp-" + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary);
      out << rank_csv(result, model);
      out.close();
      std::error_code ec;
      if (out) std::filesystem::rename(tmp, *command.csv_file, ec);  // whole file or nothing
      if (!out || ec) {
        std::cerr << "error: " << output::cannot_write(*command.csv_file) << '\n';
        std::filesystem::remove(tmp, ec);
        return ExitCode::bad_input;
      }
    }
    std::cout << "Outputs: " << command.csv_file->string() << '\n';
  }
  return ExitCode::ok;
}

}  // namespace cascade::cli
