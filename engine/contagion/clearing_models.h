// Eisenberg–Noe and Rogers–Veraart clearing on an InterbankNetwork: the greatest clearing vector
// of interbank recovery rates, with external liabilities ranking pari passu with interbank ones
// or senior to them.
//
//   ClearingModelOptions options{.alpha = 0.5, .beta = 0.9};  // Rogers–Veraart default costs
//   ClearingModelResult r = clear_interbank(net, options);     // alpha = beta = 1: Eisenberg–Noe
//   r.recovery_rate[i];  // x_i: what node i pays on each unit of interbank liability
//
// The model. Node i holds post-shock external assets e_i, owes el_i outside the network and
// Lbar_i = sum_j L_ij inside it. With every debtor j paying x_j of its interbank liabilities,
// node i's assets are worth v_i = e_i + sum_j L_ji x_j and its face-value equity is
// v_i - el_i - Lbar_i. A node with equity >= 0 pays in full (x_i = 1). A node with equity < 0
// defaults: it realises w_i = alpha e_i + beta sum_j L_ji x_j (Rogers & Veraart 2013) and pays
//   pari passu  x_i = w_i / (el_i + Lbar_i)                    (all creditors pro rata)
//   senior      x_i = clamp((w_i - el_i) / Lbar_i, 0, 1)       (external creditors first)
// A clearing vector is a fixed point x = Phi(x) of this map. Phi is monotone, so the greatest
// one exists (Tarski); it is the one reported. Nodes with Lbar_i = 0 have x_i = 1 by convention.
//
// Methods:
//  - fictitious default (Eisenberg & Noe 2001, Rogers & Veraart 2013's greatest clearing vector
//    algorithm): start from full payment; each round, the nodes with negative equity join the
//    default set D and the recovery rates of D are solved exactly with everyone else paying in
//    full. D only grows, so there are at most n rounds; the last solution is the greatest
//    clearing vector. Under senior external liabilities a defaulter's payment is clamped at 0,
//    so a round solves a linear complementarity problem with an M-matrix, exactly, by
//    Chandrasekaran's algorithm (≤ |D| linear solves, dense elimination up to
//    kDenseSolveMaxUnknowns unknowns; beyond that, projected Gauss–Seidel from above, and dense
//    elimination again up to kDenseFallbackMaxUnknowns when the sweeps converge too slowly).
//  - fixed point: Gauss–Seidel sweeps of Phi from full payment. Each sweep stays above the
//    greatest clearing vector and decreases towards it; stops when no rate moves by more than
//    the tolerance. One streaming pass over the liabilities per sweep: the method for very large
//    networks.
//
// Thread safety: a pure function of its inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/contagion/interbank_network.h"

namespace cascade::contagion {

/// How external liabilities rank against interbank ones in a default.
enum class ExternalPriority : std::uint8_t { pari_passu, senior };

enum class ClearingMethod : std::uint8_t { automatic, fictitious_default, fixed_point };

std::string_view to_string(ExternalPriority priority);
std::string_view to_string(ClearingMethod method);
std::optional<ExternalPriority> parse_external_priority(std::string_view text);
std::optional<ClearingMethod> parse_clearing_method(std::string_view text);

/// `automatic` uses fictitious default up to this many institutions and fixed point above.
inline constexpr std::size_t kAutoFixedPointAboveInstitutions = 10'000;
/// Largest linear system of one fictitious-default round solved by dense elimination.
inline constexpr std::size_t kDenseSolveMaxUnknowns = 500;
/// A larger round is solved by projected Gauss–Seidel; when that has not converged after this
/// many sweeps, by dense elimination up to kDenseFallbackMaxUnknowns unknowns (a few seconds),
/// and beyond that by more sweeps up to max_iterations in all.
inline constexpr int kSweepsBeforeDenseFallback = 1000;
inline constexpr std::size_t kDenseFallbackMaxUnknowns = 3000;

struct ClearingModelOptions {
  double alpha = 1.0;  ///< share of post-shock external assets a defaulting node realises, in [0, 1]
  double beta = 1.0;   ///< share of the value of its interbank claims it realises, in [0, 1]
  ExternalPriority external_priority = ExternalPriority::pari_passu;
  ClearingMethod method = ClearingMethod::automatic;
  /// Iterative solves stop when no recovery rate moves by more than this in a sweep.
  double tolerance = 1e-13;
  /// Cap on the sweeps of an iterative solve (fixed point, or a large fictitious-default round).
  int max_iterations = 100'000;
  /// Threads for the final pass over every node (>= 1). Answers are identical for any value.
  int threads = 1;
};

struct ClearingModelResult {
  std::vector<double> recovery_rate;  ///< x_i in [0, 1]; 1 when Lbar_i = 0
  std::vector<double> payment;        ///< x_i * Lbar_i: paid on interbank liabilities
  /// Paid on external liabilities: el_i when solvent; when defaulted, x_i el_i under pari passu
  /// (w_i el_i / (el_i + Lbar_i) when Lbar_i = 0), min(el_i, w_i) under senior priority.
  std::vector<double> external_payment;
  std::vector<double> equity_after;     ///< InterbankNetwork::equity_at(i, x)
  std::vector<std::uint8_t> defaulted;  ///< equity_after < 0
  /// Fictitious default: rounds that found new defaulters (0 when nobody defaults; <= n).
  /// Fixed point: Gauss–Seidel sweeps.
  int iterations = 0;
  /// False when an iterative solve hit max_iterations; the rates are then an upper bound.
  bool converged = true;
  ClearingMethod method = ClearingMethod::fictitious_default;  ///< the method used (never automatic)
};

/// The greatest clearing vector. Throws InternalError on options out of range (the CLI checks them).
ClearingModelResult clear_interbank(const InterbankNetwork& net, const ClearingModelOptions& options);

}  // namespace cascade::contagion
