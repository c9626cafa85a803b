#include "engine/contagion/plain_models.h"

#include <algorithm>
#include <utility>

#include "engine/contagion/debtrank.h"

namespace cascade::contagion {
namespace {

void run_debtrank(const InterbankNetwork& net, const PlainModelOptions& options, PlainModelResult& r) {
  const std::size_t n = net.size();
  const std::vector<double> initial = debtrank_initial_distress(net);
  // Claims grouped by obligor: the debtor-ordered CSR, with creditors as holders.
  const DebtRankInput input{.equity = r.equity_before,
                            .obligor_offsets = net.owed_offsets,
                            .holder = net.owed_creditor,
                            .amount = net.owed_amount,
                            .initial_distress = initial,
                            .holder_offsets = net.held_offsets,
                            .obligor = net.held_debtor,
                            .holder_amount = net.held_amount,
                            .cap_impact = options.debtrank_impact_cap,
                            .tolerance = options.debtrank_tolerance,
                            .max_iterations = options.debtrank_max_iterations,
                            .threads = options.threads};
  const DebtRankResult dr = options.model == PlainModel::debtrank ? debtrank_linear(input) : debtrank_single_hit(input);
  r.iterations = dr.iterations;
  r.converged = dr.converged;
  r.debtrank = dr.distress;
  r.equity_after.resize(n);
  r.defaulted.resize(n);
  std::vector<double> weight(n);
  std::vector<double> added(n);
  for (NodeIdx i = 0; i < n; ++i) {
    const double e0 = r.equity_before[i];
    const double h = dr.distress[i];
    r.equity_after[i] = e0 > 0.0 ? e0 * (1.0 - h) : e0;
    r.defaulted[i] = h >= 1.0 ? 1 : 0;
    weight[i] = options.weights == DebtRankWeights::equity ? std::max(e0, 0.0)
                                                           : net.external_assets[i] + net.interbank_assets[i];
    added[i] = h - dr.initial[i];
  }
  r.system_debtrank = weighted_distress(added, weight);
  r.system_distress = weighted_distress(dr.distress, weight);
}

}  // namespace

std::string_view to_string(PlainModel model) {
  switch (model) {
    case PlainModel::eisenberg_noe:
      return "eisenberg-noe";
    case PlainModel::rogers_veraart:
      return "rogers-veraart";
    case PlainModel::furfine:
      return "furfine";
    case PlainModel::debtrank:
      return "debtrank";
    case PlainModel::debtrank_single_hit:
      return "debtrank-single-hit";
  }
  return "?";
}

std::string_view to_string(DebtRankWeights weights) { return weights == DebtRankWeights::assets ? "assets" : "equity"; }

std::optional<PlainModel> parse_plain_model(std::string_view text) {
  for (PlainModel m : {PlainModel::eisenberg_noe, PlainModel::rogers_veraart, PlainModel::furfine, PlainModel::debtrank,
                       PlainModel::debtrank_single_hit})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

std::optional<DebtRankWeights> parse_debtrank_weights(std::string_view text) {
  if (text == "equity") return DebtRankWeights::equity;
  if (text == "assets") return DebtRankWeights::assets;
  return std::nullopt;
}

std::vector<double> debtrank_initial_distress(const InterbankNetwork& net) {
  std::vector<double> h(net.size());
  for (NodeIdx i = 0; i < net.size(); ++i) {
    const double e0 = net.equity_before(i);
    h[i] = e0 > 0.0 ? std::min(1.0, net.shock_loss(i) / e0) : 1.0;
  }
  return h;
}

PlainModelResult run_plain_model(const InterbankNetwork& net, const PlainModelOptions& options) {
  const std::size_t n = net.size();
  PlainModelResult r;
  r.model = options.model;
  r.equity_before.resize(n);
  for (NodeIdx i = 0; i < n; ++i) r.equity_before[i] = net.equity_before(i);

  switch (options.model) {
    case PlainModel::eisenberg_noe:
    case PlainModel::rogers_veraart: {
      ClearingModelOptions clearing = options.clearing;
      clearing.threads = options.threads;
      if (options.model == PlainModel::eisenberg_noe) clearing.alpha = clearing.beta = 1.0;
      ClearingModelResult c = clear_interbank(net, clearing);
      r.iterations = c.iterations;
      r.converged = c.converged;
      r.method = c.method;
      r.payment = std::move(c.payment);
      r.recovery_rate = std::move(c.recovery_rate);
      r.external_payment = std::move(c.external_payment);
      r.equity_after = std::move(c.equity_after);
      r.defaulted = std::move(c.defaulted);
      break;
    }
    case PlainModel::furfine: {
      FurfineResult f = furfine_cascade(net, options.furfine);
      r.iterations = f.rounds;
      r.payment = std::move(f.payment);
      r.recovery_rate = std::move(f.recovery_rate);
      r.equity_after = std::move(f.equity_after);
      r.defaulted = std::move(f.defaulted);
      r.default_round = std::move(f.default_round);
      break;
    }
    case PlainModel::debtrank:
    case PlainModel::debtrank_single_hit:
      run_debtrank(net, options, r);
      break;
  }
  for (NodeIdx i = 0; i < n; ++i) {
    r.total_loss += r.equity_before[i] - r.equity_after[i];
    r.defaults += r.defaulted[i];
  }
  return r;
}

}  // namespace cascade::contagion
