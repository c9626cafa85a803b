// The short, human-readable account of a run that `cascade run` prints on stdout.
//
//   std::cout << format_run_summary(model, result, options, "runs/baseline");
//
//   Cascade 0.1.0 — ai-2026-baseline (60 monthly ticks, 40 firms, 97 exposures, seed 1)
//   Defaults (3):
//     tick 27  openai     liquidity  via own_operations  — could not pay 5.1 of 6.2 due
//   Credit losses by holder type (USD bn): bank 12.3, private_credit 4.5
//   Credit losses by exposure kind (USD bn): loan 10.0, bond 6.8
//   System equity: 12,345.6 -> 12,000.1 (lost 345.5 USD bn); depreciation 120.3
//   Outputs: runs/ai-2026-baseline/ (timeseries.csv, system.csv, ...)
//
// Figures are rounded for reading (one decimal, thousands grouped); the exact values are in
// the output files. Thread safety: pure function.
#pragma once

#include <filesystem>

#include "engine/experiments/ablation.h"
#include "engine/experiments/loop_cut.h"
#include <string>

#include "engine/analysis/circularity.h"
#include "engine/model/model.h"
#include "engine/sim/simulation.h"

namespace cascade::cli {

/// The summary text, ending with a newline. `circularity` is analysis::firm_circularity(model).
std::string format_run_summary(const Model& model, const SimResult& result, const RunOptions& options,
                               const analysis::CircularityResult& circularity, const std::filesystem::path& out_dir);

/// The ablation table: each case's losses, then each channel's standalone and marginal effect
/// and the interaction.
std::string format_ablation(const AblationResult& result);

/// The loop-contribution table: each loop cut, the loss without it and what it adds.
std::string format_loop_contribution(const LoopCutResult& result, const Model& model);

}  // namespace cascade::cli
