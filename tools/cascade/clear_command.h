// `cascade clear DIR --model M [options]`: one reference contagion model (Eisenberg–Noe,
// Rogers–Veraart, Furfine, DebtRank) on a plain network directory, printed as one JSON object.
// The models, options and JSON fields are specified in docs/plain-network.md.
//
//   cascade::cli::ClearCommand clear(app, footer);  // registers the subcommand and its options
//   app.parse(argc, argv);
//   if (clear.selected()) return static_cast<int>(clear.run());
//
// The object holds the option values CLI11 writes into, so it stays where it was constructed
// (neither copyable nor movable) until run() returns.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "tools/cascade/commands.h"

namespace cascade::cli {

class ClearCommand {
 public:
  /// Adds `clear` to `app`; `footer` ends its --help (global options, exit codes).
  ClearCommand(CLI::App& app, const std::string& footer);
  ClearCommand(const ClearCommand&) = delete;
  ClearCommand& operator=(const ClearCommand&) = delete;

  /// True when the parsed command line chose `clear`.
  bool selected() const { return command_->parsed(); }

  /// Reads the network, runs the model, prints the JSON on stdout. Bad input (the reader's
  /// diagnostics, options that do not apply to the model) goes to stderr with ExitCode::bad_input.
  ExitCode run() const;

 private:
  CLI::App* command_ = nullptr;
  std::string dir_;
  std::string model_;
  std::string alpha_ = "1";
  std::string beta_ = "1";
  std::string external_priority_ = "pari-passu";
  std::string method_ = "auto";
  std::string recovery_ = "0";
  std::string weights_ = "equity";
  std::string impact_cap_ = "on";
  std::string tolerance_;
  std::string max_iterations_ = "100000";
  int threads_ = 0;  ///< 0: every core this process may use
  bool json_ = false;
  CLI::Option* alpha_option_ = nullptr;
  CLI::Option* beta_option_ = nullptr;
  CLI::Option* external_priority_option_ = nullptr;
  CLI::Option* method_option_ = nullptr;
  CLI::Option* recovery_option_ = nullptr;
  CLI::Option* weights_option_ = nullptr;
  CLI::Option* impact_cap_option_ = nullptr;
  CLI::Option* tolerance_option_ = nullptr;
  CLI::Option* max_iterations_option_ = nullptr;
};

}  // namespace cascade::cli
