// `cascade generate --kind K --nodes N --out DIR`: a synthetic network in the plain format
// (erdos-renyi, scale-free, core-periphery; engine/generate/network_generator.h) or a synthetic
// AI economy as a scenario (ai-economy; engine/generate/ai_economy.h).
//
//   GenerateCommand c;                  // options filled by CLI11
//   CLI::App* sub = add_generate_subcommand(app, c, footer);
//   if (*sub) return generate(c);
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "tools/cascade/commands.h"

namespace cascade::cli {

struct GenerateCommand {
  std::string kind;
  std::uint32_t nodes = 0;
  std::optional<double> mean_degree;  ///< default per kind
  std::uint64_t seed = 1;
  std::optional<double> shocked_share;  ///< plain networks only; default generate::NetworkSpec's
  std::optional<double> shock_max;      ///< plain networks only; default generate::NetworkSpec's
  std::string out_dir;
  bool force = false;
};

CLI::App* add_generate_subcommand(CLI::App& app, GenerateCommand& command, const std::string& footer);

ExitCode generate(const GenerateCommand& command);

}  // namespace cascade::cli
