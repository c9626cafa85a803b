// Random interbank networks for the property tests (fixed seeds), and the clearing map written
// from its definition, independently of engine/contagion/clearing_models.cc.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/contagion/clearing_models.h"
#include "engine/contagion/interbank_network.h"

namespace cascade::contagion::testing {

struct RandomNetworkSpec {
  std::size_t nodes = 10;
  double mean_out_degree = 3.0;
  /// External liabilities as a share of external assets, drawn in [0, this].
  double external_liability_ratio = 0.8;
  double shock_probability = 0.3;
  double shock_max = 1.0;
  std::uint64_t seed = 1;
};

/// Erdős–Rényi-like liabilities (each ordered pair with probability mean_out_degree / (n - 1)
/// for small n, or that many random creditors per node for large n), amounts in (0, 10],
/// external assets in [0, 20], shocks on a random subset.
inline InterbankNetwork random_network(const RandomNetworkSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t n = spec.nodes;
  std::vector<std::string> ids(n);
  std::vector<double> ea(n), el(n), shock(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = "n" + std::to_string(i);
    ea[i] = 20.0 * unit(rng);
    el[i] = spec.external_liability_ratio * ea[i] * unit(rng);
    if (unit(rng) < spec.shock_probability) shock[i] = spec.shock_max * unit(rng);
  }
  std::vector<Liability> liabilities;
  if (n < 2) return make_interbank_network(ids, ea, el, shock, liabilities);
  if (n <= 1000) {
    const double p = std::min(1.0, spec.mean_out_degree / static_cast<double>(n - 1));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j && unit(rng) < p)
          liabilities.push_back({static_cast<NodeIdx>(i), static_cast<NodeIdx>(j), 10.0 * (1.0 - unit(rng))});
  } else {
    std::uniform_int_distribution<std::size_t> pick(0, n - 1);
    const auto per_node = static_cast<std::size_t>(spec.mean_out_degree);
    liabilities.reserve(n * per_node);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < per_node; ++k) {
        std::size_t j = pick(rng);
        if (j == i) j = (j + 1) % n;
        liabilities.push_back({static_cast<NodeIdx>(i), static_cast<NodeIdx>(j), 10.0 * (1.0 - unit(rng))});
      }
  }
  return make_interbank_network(std::move(ids), std::move(ea), std::move(el), std::move(shock), liabilities);
}

/// L as a dense matrix (L[i][j]: i owes j), rebuilt from the debtor CSR.
inline std::vector<std::vector<double>> dense_liabilities(const InterbankNetwork& net) {
  std::vector<std::vector<double>> l(net.size(), std::vector<double>(net.size(), 0.0));
  for (std::size_t i = 0; i < net.size(); ++i)
    for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k)
      l[i][net.owed_creditor[k]] += net.owed_amount[k];
  return l;
}

/// Phi(x), from the definition in clearing_models.h, on dense arrays.
inline std::vector<double> clearing_map(const InterbankNetwork& net, const std::vector<std::vector<double>>& l,
                                        const std::vector<double>& x, double alpha, double beta, bool senior) {
  const std::size_t n = net.size();
  std::vector<double> next(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    double owed = 0.0, claims = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      owed += l[i][j];
      claims += l[j][i] * x[j];
    }
    if (owed == 0.0) continue;
    const double e = net.external_assets[i] * (1.0 - net.shock_fraction[i]);
    const double el = net.external_liabilities[i];
    if (e + claims - el - owed >= 0.0) continue;
    const double realised = alpha * e + beta * claims;
    next[i] = senior ? std::clamp((realised - el) / owed, 0.0, 1.0) : realised / (el + owed);
  }
  return next;
}

/// Picard iteration of clearing_map from full payment: decreases to the greatest clearing
/// vector. Stops when no rate moves by more than 1e-15 (or after a million steps).
inline std::vector<double> picard_from_full_payment(const InterbankNetwork& net, double alpha, double beta,
                                                    bool senior) {
  const auto l = dense_liabilities(net);
  std::vector<double> x(net.size(), 1.0);
  for (int step = 0; step < 1'000'000; ++step) {
    const std::vector<double> next = clearing_map(net, l, x, alpha, beta, senior);
    double change = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) change = std::max(change, std::abs(next[i] - x[i]));
    x = next;
    if (change <= 1e-15) break;
  }
  return x;
}

}  // namespace cascade::contagion::testing
