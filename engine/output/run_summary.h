// summary.json: a run's headline figures (tools/README.md lists every field).
//
//   output::Json s = output::run_summary_json(model, result, options, analysis::firm_circularity(model));
//   s["defaults"][0]["firm"];   // "other_neoclouds"
//
// Losses are shown by what they are (docs/model.md, "Loss attribution"): realised losses,
// unpaid receivables, marks (gains apart) and revenue foregone; system equity is
// shown by layer (non-financial firms, banks, funds), with funds' investor capital apart.
// Every part is linear in firms plus exposures plus events.
//
// Thread safety: pure.
#pragma once

#include "engine/analysis/circularity.h"
#include "engine/model/model.h"
#include "engine/output/json_file.h"
#include "engine/sim/simulation.h"

namespace cascade::output {

/// `circularity` is analysis::firm_circularity(model): it depends on the model alone, so a caller
/// that also prints it computes it once.
Json run_summary_json(const Model& model, const SimResult& result, const RunOptions& options,
                      const analysis::CircularityResult& circularity);

/// `off_balance_sheet`: for each firm that leases from SPVs, its liabilities over its assets
/// (docs/model.md, "Balance sheet": construction in progress included) alone and with its SPVs
/// consolidated, at the start and the end; null where there are no assets, or at the end for a
/// sponsor that defaulted.
Json off_balance_sheet_json(const Model& model, const SimResult& result);

}  // namespace cascade::output
