// The reference contagion models of `cascade clear`, behind one call: each model's answer in the
// same per-node shape (docs/plain-network.md is the specification).
//
//   PlainModelOptions options{.model = PlainModel::rogers_veraart};
//   options.clearing.alpha = 0.5;
//   PlainModelResult r = run_plain_model(net, options);
//   r.total_loss;  // sum_i (equity_before_i - equity_after_i)
//
// Per model (n/a fields are empty vectors / nullopt):
//   eisenberg-noe, rogers-veraart  payment, recovery_rate, external_payment, equity_after (face value at the
//                                  greatest clearing vector), defaulted = equity_after < 0
//   furfine                        payment, recovery_rate (R for defaulters), equity_after,
//                                  defaulted = equity_after <= 0, default_round
//   debtrank, debtrank-single-hit  debtrank (h_i at the end), equity_after = E0_i (1 - h_i) when
//                                  E0_i > 0 else E0_i, defaulted = h_i == 1, system figures
// total_loss is sum_i (equity_before_i - equity_after_i) for every model: for the clearing
// models and Furfine, the shock losses plus the interbank payment shortfall sum_i (Lbar_i -
// payment_i); for DebtRank, the equity lost, sum_{E0_i > 0} h_i E0_i.
//
// Thread safety: a pure function of its inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/contagion/clearing_models.h"
#include "engine/contagion/furfine.h"
#include "engine/contagion/interbank_network.h"

namespace cascade::contagion {

enum class PlainModel : std::uint8_t { eisenberg_noe, rogers_veraart, furfine, debtrank, debtrank_single_hit };

/// What system DebtRank weighs each institution's distress by.
enum class DebtRankWeights : std::uint8_t {
  equity,  ///< max(E0_i, 0): institutions without equity weigh nothing
  assets,  ///< total assets before the shock, ea_i + A_i
};

std::string_view to_string(PlainModel model);
std::string_view to_string(DebtRankWeights weights);
std::optional<PlainModel> parse_plain_model(std::string_view text);
std::optional<DebtRankWeights> parse_debtrank_weights(std::string_view text);

struct PlainModelOptions {
  PlainModel model = PlainModel::eisenberg_noe;
  /// eisenberg-noe uses external_priority, method, tolerance, max_iterations (alpha = beta = 1);
  /// rogers-veraart all of it.
  ClearingModelOptions clearing;
  FurfineOptions furfine;
  DebtRankWeights weights = DebtRankWeights::equity;
  bool debtrank_impact_cap = true;    ///< single-hit DebtRank: DebtRankInput::cap_impact
  double debtrank_tolerance = 1e-15;  ///< linear DebtRank's stopping step
  int debtrank_max_iterations = 100'000;
  /// Threads for the passes over every node or claim (>= 1). Answers are identical for any value.
  int threads = 1;
};

struct PlainModelResult {
  PlainModel model = PlainModel::eisenberg_noe;
  int iterations = 0;
  bool converged = true;
  std::optional<ClearingMethod> method;  ///< clearing models: the method used
  std::vector<double> payment;           ///< clearing models and Furfine
  std::vector<double> recovery_rate;     ///< clearing models and Furfine
  std::vector<double> external_payment;  ///< clearing models: ClearingModelResult::external_payment
  std::vector<double> equity_before;     ///< E0_i, every model
  std::vector<double> equity_after;      ///< every model
  std::vector<std::uint8_t> defaulted;   ///< every model
  std::vector<double> debtrank;          ///< DebtRank models: h_i at the end
  std::vector<int> default_round;        ///< Furfine: round of default, -1 for survivors
  double total_loss = 0.0;
  std::size_t defaults = 0;
  /// DebtRank models: sum_i v_i (h_i - h_i(1)), the distress the propagation adds (Battiston
  /// et al. 2012's R), and sum_i v_i h_i (Bardoscia et al. 2015's H at the end), v the
  /// normalised weights.
  std::optional<double> system_debtrank;
  std::optional<double> system_distress;
};

PlainModelResult run_plain_model(const InterbankNetwork& net, const PlainModelOptions& options);

/// h_i(1) of the DebtRank models: min(1, s_i ea_i / E0_i) where E0_i > 0, else 1.
std::vector<double> debtrank_initial_distress(const InterbankNetwork& net);

}  // namespace cascade::contagion
