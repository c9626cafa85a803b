#include "tools/cascade/generate_command.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

#include "engine/generate/ai_economy.h"
#include "engine/generate/network_generator.h"
#include "tools/cascade/graphviz.h"
#include "tools/cascade/number_options.h"

namespace cascade::cli {
namespace {

namespace fs = std::filesystem;
constexpr double kDefaultMeanDegree = 10.0;

}  // namespace

CLI::App* add_generate_subcommand(CLI::App& app, GenerateCommand& command, const std::string& footer) {
  CLI::App* sub =
      app.add_subcommand("generate",
                         "Write a synthetic network: a plain network directory (nodes.csv, edges.csv, shock.csv) for\n"
                         "erdos-renyi, scale-free and core-periphery, or DIR/scenario.yaml for ai-economy.");
  sub->add_option("--kind", command.kind,
                  "erdos-renyi: every ordered pair with probability D / (N - 1);\n"
                  "scale-free: creditors drawn with power-law weights (in-degree exponent 2.5);\n"
                  "core-periphery: 5% core nodes, the periphery deals with the core only;\n"
                  "ai-economy: a scenario with the firm types and exposure kinds of the AI-2026 baseline\n"
                  "in its proportions. Required.")
      ->type_name("KIND")
      ->required()
      ->check(CLI::IsMember({"erdos-renyi", "scale-free", "core-periphery", "ai-economy"}));
  sub->add_option("--nodes", command.nodes,
                  "Institutions (firms for ai-economy), >= 2 (>= 32 for ai-economy). Required.")
      ->type_name("N")
      ->required()
      ->check(whole_in(2u, 2'000'000'000u));
  sub->add_option("--mean-degree", command.mean_degree,
                  "Liabilities (exposures) per node, > 0, < N - 1 and at most 1000 (default: 10; ai-economy: 97/32,\n"
                  "the baseline's)")
      ->type_name("D")
      ->check(number_in(1e-9, 1000.0, "a number in [1e-9, 1000]"));
  sub->add_option("--seed", command.seed,
                  "Random seed, a decimal integer in [0, 2^64) (default: 1); the same seed gives the same bytes")
      ->type_name("S")
      ->check(
          decimal_in<std::uint64_t>(0, std::numeric_limits<std::uint64_t>::max(), "a decimal integer in [0, 2^64)"));
  sub->add_option("--shocked-share", command.shocked_share,
                  "Plain networks: share of the institutions hit by the shock, in [0, 1] (default: 0.1)")
      ->type_name("F")
      ->check(number_in(0.0, 1.0, "a fraction in [0, 1]"));
  sub->add_option("--shock-max", command.shock_max,
                  "Plain networks: a hit institution loses U(0, this) of its external assets, in [0, 1]\n"
                  "(default: 0.3)")
      ->type_name("F")
      ->check(number_in(0.0, 1.0, "a fraction in [0, 1]"));
  sub->add_option("--out", command.out_dir, "Directory to write into (created if missing). Required.")
      ->type_name("DIR")
      ->required()
      ->check(not_empty_directory());
  sub->add_flag("--force", command.force,
                "Write into DIR even if it is not empty (files of the same name are replaced)");
  sub->footer(footer);
  return sub;
}

ExitCode generate(const GenerateCommand& command) {
  const fs::path dir = command.out_dir;
  std::error_code ec;
  if (fs::exists(dir, ec) && (!fs::is_directory(dir, ec) || (!fs::is_empty(dir, ec) && !command.force))) {
    std::cerr << "error: --out '" << dir.string()
              << (fs::is_directory(dir, ec) ? "' is not empty (use --force to write into it)\n"
                                            : "' is not a directory\n");
    return ExitCode::bad_input;
  }
  const bool ai_economy = command.kind == "ai-economy";
  const double degree =
      command.mean_degree.value_or(ai_economy ? generate::kAiEconomyExposuresPerFirm : kDefaultMeanDegree);
  if (degree >= static_cast<double>(command.nodes) - 1.0) {
    std::cerr << "error: --mean-degree must be below --nodes - 1\n";
    return ExitCode::bad_input;
  }
  if (ai_economy) {
    if (command.nodes < generate::kAiEconomyMinFirms) {
      std::cerr << "error: --nodes must be at least " << generate::kAiEconomyMinFirms
                << " for ai-economy (one firm of every type)\n";
      return ExitCode::bad_input;
    }
    if (command.shocked_share || command.shock_max) {
      std::cerr << "error: --shocked-share and --shock-max shape a plain network's shock; an ai-economy "
                   "scenario carries its own shocks (edit them in scenario.yaml)\n";
      return ExitCode::bad_input;
    }
    const std::string yaml =
        generate::generate_ai_economy({.firms = command.nodes, .exposures_per_firm = degree, .seed = command.seed});
    fs::create_directories(dir, ec);
    const fs::path file = dir / "scenario.yaml";
    if (!write_file_atomically(file, yaml)) return ExitCode::bad_input;
    spdlog::info("wrote {} ({} firms)", file.string(), command.nodes);
    return ExitCode::ok;
  }
  const IndexedPlainNetwork net = generate::generate_network(
      {.kind = *generate::parse_network_kind(command.kind),
       .nodes = command.nodes,
       .mean_degree = degree,
       .seed = command.seed,
       .shocked_share = command.shocked_share.value_or(generate::NetworkSpec{}.shocked_share),
       .shock_max = command.shock_max.value_or(generate::NetworkSpec{}.shock_max)});
  std::string error;
  if (!generate::write_plain_network(net, dir, error)) {
    std::cerr << "error: " << error << "\n";
    return ExitCode::bad_input;
  }
  spdlog::info("wrote {}: {} nodes, {} edges, {} shocked", dir.string(), net.size(), net.edges.size(),
               net.shocks.size());
  return ExitCode::ok;
}

}  // namespace cascade::cli
