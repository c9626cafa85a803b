// Why the rounds find the greatest clearing vector x* (the argument of Eisenberg & Noe 2001,
// Lemma 4 / Rogers & Veraart 2013, Theorem 3.7, extended to the clamp of senior priority).
//
// Invariant: the current rates U satisfy x* <= U and Phi(U) <= U (true at U = 1). Let D be the
// nodes with negative equity at U; they also have negative equity at x* <= U. Let T_D be Phi
// with D frozen in default: x_i = 1 outside D, x_i = max(0, b_i + sum_j M_ij x_j) on D, M >= 0.
// Then x* <= T_D(x*) (outside D, 1 >= x*_i; on D, T_D = Phi at x*) and T_D(U) = Phi(U) <= U.
// In rate units scaled by Lbar the matrix has column sums <= beta <= 1, so unless a closed group
// of defaulters pays only itself with beta = 1, T_D has exactly one fixed point y, the limit of
// T_D's iterates from U and from x*: x* <= y <= U. At y, D still has negative equity, so
// Phi(y) = T_D(y) = y on D and Phi(y) <= 1 = y elsewhere: y is the next U. If no node outside D
// has negative equity at y, y is a clearing vector >= x*, hence x*. Each round adds a node to D.
//
// y solves a linear complementarity problem: y_D >= 0, y_D - b - M y_D >= 0, complementary.
// I - M is a nonsingular M-matrix, for which Chandrasekaran's algorithm is exact: with J the
// nodes known to pay something (start: b_i > 0), solve (I - M_JJ) y_J = b_J, set y = 0 off J,
// and add to J every node whose b_i + (M y)_i > 0; the iterates increase to y and J only grows.
// Under pari passu b >= 0 and one solve usually suffices.
#include "engine/contagion/clearing_models.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/core/parallel_for.h"

namespace cascade::contagion {
namespace {

constexpr std::uint32_t kNotUnknown = std::numeric_limits<std::uint32_t>::max();
/// Pivot below which a round's system counts as singular (entries of I - M are O(1)): a closed
/// group of defaulters that pays only itself. The round then falls back to Gauss–Seidel from U.
constexpr double kSingularPivot = 1e-12;
/// Equity within this fraction of the amounts it is computed from (external assets and
/// liabilities, claims, interbank liabilities) is rounding, and counts as 0: not a default. An
/// equity of exactly 0 computed one rounding step below it (rates such as 1/3 are not exact in
/// binary, and the fixed point's running sums drift by a step per move) made a solvent node
/// default, which under Rogers–Veraart cut its payments by a jump of (1 - alpha) e_i.
constexpr double kEquityRoundingRelative = 1e-12;
/// Flags of a node in the fixed point: on the next sweep's list; owes nothing (never listed);
/// some debtor's rate has moved (its claims are no longer A_i).
constexpr std::uint8_t kQueued = 1, kNoLiabilities = 2, kClaimsMoved = 4;

[[noreturn]] void bad_options(const std::string& what) { throw InternalError("clear_interbank: " + what); }

class Clearer {
 public:
  Clearer(const InterbankNetwork& net, const ClearingModelOptions& options) : net_(net), options_(options) {}

  ClearingModelResult run() {
    const std::size_t n = net_.size();
    x_.assign(n, 1.0);
    ClearingModelResult result;
    result.method = options_.method;
    if (result.method == ClearingMethod::automatic)
      result.method =
          n > kAutoFixedPointAboveInstitutions ? ClearingMethod::fixed_point : ClearingMethod::fictitious_default;
    if (result.method == ClearingMethod::fixed_point)
      fixed_point(result);
    else
      fictitious_default(result);

    // A node none of whose debtors' rates moved holds claims worth A_i, summed in the same order.
    const bool moved_known = result.method == ClearingMethod::fixed_point;
    result.recovery_rate = x_;
    result.payment.resize(n);
    result.external_payment.resize(n);
    result.equity_after.resize(n);
    result.defaulted.resize(n);
    constexpr std::size_t kNodesPerTask = 2048;
    tbb::task_arena arena(options_.threads);
    parallel_for_index(arena, n, kNodesPerTask, [&](std::size_t slot) {
      const auto i = static_cast<NodeIdx>(slot);
      // The exact sum (the fixed point's claims moved in steps).
      const double claims =
          !moved_known || (queued_[i] & kClaimsMoved) ? net_.claims_value(i, x_) : net_.interbank_assets[i];
      result.payment[i] = x_[i] * net_.interbank_liabilities[i];
      result.equity_after[i] = net_.equity_from_claims(i, claims);
      result.defaulted[i] = solvent(i, claims) ? 0 : 1;
      result.external_payment[i] = result.defaulted[i] ? external_payment(i, claims) : net_.external_liabilities[i];
    });
    return result;
  }

 private:
  bool senior() const { return options_.external_priority == ExternalPriority::senior; }
  /// What node i's rate is divided by, and what comes off first, when it defaults.
  double denominator(NodeIdx i) const {
    return senior() ? net_.interbank_liabilities[i] : net_.interbank_liabilities[i] + net_.external_liabilities[i];
  }
  double senior_claims(NodeIdx i) const { return senior() ? net_.external_liabilities[i] : 0.0; }

  /// Whether node i's equity is >= 0, to rounding (kEquityRoundingRelative), when its claims are
  /// worth `claims`: the one default test of every method and of the result's flags.
  bool solvent(NodeIdx i, double claims) const {
    const double equity = net_.equity_from_claims(i, claims);
    if (equity >= 0.0) return true;  // most nodes: no scale to compute
    const double scale = std::abs(net_.shocked_external_assets(i)) + net_.external_liabilities[i] + claims +
                         net_.interbank_liabilities[i];
    return equity >= -kEquityRoundingRelative * scale;
  }

  /// Phi_i when node i's claims are worth `claims` (node i has Lbar_i > 0).
  double phi(NodeIdx i, double claims) const {
    if (solvent(i, claims)) return 1.0;
    const double realised = options_.alpha * net_.shocked_external_assets(i) + options_.beta * claims;
    return std::clamp((realised - senior_claims(i)) / denominator(i), 0.0, 1.0);
  }

  /// What defaulted node i pays its external creditors when its claims are worth `claims`.
  double external_payment(NodeIdx i, double claims) const {
    const double owed = net_.external_liabilities[i];
    const double realised = options_.alpha * net_.shocked_external_assets(i) + options_.beta * claims;
    if (senior()) return std::clamp(realised, 0.0, owed);
    const double total = owed + net_.interbank_liabilities[i];
    return total > 0.0 ? owed * std::clamp(realised / total, 0.0, 1.0) : 0.0;
  }

  /// Gauss–Seidel sweeps of Phi in node order, each over the nodes whose claims moved since the
  /// previous sweep (every node with liabilities in the first). Claims are kept current: when
  /// x_i moves by d, each creditor j of i gains L_ij d. Nodes whose claims did not move would
  /// map to the same rate, so a sweep does the work of a full one where anything changes.
  void fixed_point(ClearingModelResult& result) {
    const std::size_t n = net_.size();
    claims_ = net_.interbank_assets;  // at x = 1
    queued_.resize(n);
    sweep_.clear();
    for (NodeIdx i = 0; i < n; ++i) {
      const bool owes = net_.interbank_liabilities[i] > 0.0;
      queued_[i] = owes ? 0 : kNoLiabilities;
      if (owes) sweep_.push_back(i);
    }
    result.converged = false;
    // Plain pointers: the compiler cannot tell that the writes to claims leave the vectors alone.
    const std::size_t* offsets = net_.owed_offsets.data();
    const NodeIdx* creditor = net_.owed_creditor.data();
    const double* amount = net_.owed_amount.data();
    double* claims = claims_.data();
    std::uint8_t* queued = queued_.data();
    next_.resize(n + 1);
    NodeIdx* next = next_.data();
    for (int sweep = 1; sweep <= options_.max_iterations; ++sweep) {
      std::size_t queued_count = 0;
      double change = 0.0;
      for (const NodeIdx i : sweep_) {
        const double delta = phi(i, claims[i]) - x_[i];
        if (delta == 0.0) continue;
        change = std::max(change, std::abs(delta));
        x_[i] += delta;
        // The row's end read once: the flag writes below are bytes, which may alias it.
        for (std::size_t k = offsets[i], end = offsets[i + 1]; k < end; ++k) {
          const NodeIdx j = creditor[k];
          claims[j] += amount[k] * delta;
          // Queue j once, if it has liabilities (without a branch: which way it goes is random).
          next[queued_count] = j;
          queued_count += static_cast<std::size_t>((queued[j] & (kQueued | kNoLiabilities)) == 0);
          queued[j] |= kQueued | kClaimsMoved;
        }
      }
      result.iterations = sweep;
      if (change <= options_.tolerance || queued_count == 0) {
        result.converged = true;
        return;
      }
      // Node order for the next sweep: sort a short list, scan the flags for a long one.
      sweep_.assign(next, next + queued_count);
      if (queued_count * 32 < n) {
        std::sort(sweep_.begin(), sweep_.end());
      } else {
        sweep_.resize(n);
        std::size_t count = 0;
        for (NodeIdx i = 0; i < n; ++i) {
          sweep_[count] = i;
          count += static_cast<std::size_t>((queued[i] & (kQueued | kNoLiabilities)) == kQueued);
        }
        sweep_.resize(count);
      }
      for (const NodeIdx i : sweep_) queued[i] &= static_cast<std::uint8_t>(~kQueued);
    }
  }

  void fictitious_default(ClearingModelResult& result) {
    const std::size_t n = net_.size();
    in_default_.assign(n, 0);
    unknown_of_.assign(n, kNotUnknown);
    for (;;) {
      bool added = false;
      for (NodeIdx i = 0; i < n; ++i) {
        if (in_default_[i] || solvent(i, net_.claims_value(i, x_))) continue;
        in_default_[i] = 1;
        added = true;
      }
      if (!added) return;
      ++result.iterations;
      if (!solve_round()) result.converged = false;
    }
  }

  /// Sets x_ on the default set to the fixed point of T_D (see the file comment). False when an
  /// iterative solve hit max_iterations.
  bool solve_round() {
    unknowns_.clear();
    for (NodeIdx i = 0; i < net_.size(); ++i) {
      unknown_of_[i] = kNotUnknown;
      if (!in_default_[i] || net_.interbank_liabilities[i] == 0.0) continue;
      unknown_of_[i] = static_cast<std::uint32_t>(unknowns_.size());
      unknowns_.push_back(i);
    }
    // Rows of x_u = max(0, b_u + sum_v M_uv x_v); debtors outside D pay in full (x = 1).
    const std::size_t k = unknowns_.size();
    b_.assign(k, 0.0);
    row_offsets_.assign(k + 1, 0);
    row_columns_.clear();
    row_coefficients_.clear();
    for (std::size_t u = 0; u < k; ++u) {
      const NodeIdx i = unknowns_[u];
      double fixed_claims = 0.0;
      for (std::size_t e = net_.held_offsets[i]; e < net_.held_offsets[i + 1]; ++e) {
        const NodeIdx j = net_.held_debtor[e];
        if (unknown_of_[j] == kNotUnknown) {
          fixed_claims += net_.held_amount[e] * x_[j];
        } else {
          row_columns_.push_back(unknown_of_[j]);
          row_coefficients_.push_back(options_.beta * net_.held_amount[e] / denominator(i));
        }
      }
      b_[u] = (options_.alpha * net_.shocked_external_assets(i) + options_.beta * fixed_claims - senior_claims(i)) /
              denominator(i);
      row_offsets_[u + 1] = row_columns_.size();
    }
    if (k <= kDenseSolveMaxUnknowns && chandrasekaran()) return true;
    // Gauss–Seidel converges fast unless a group of defaulters pays almost only itself (M's
    // spectral radius near 1, where each sweep moves the rates by little and stops far from the
    // answer); then an exact solve, while one fits.
    const int budget = std::min(options_.max_iterations, kSweepsBeforeDenseFallback);
    if (projected_gauss_seidel(budget)) return true;
    if (k <= kDenseFallbackMaxUnknowns && chandrasekaran()) return true;
    return projected_gauss_seidel(options_.max_iterations - budget);
  }

  /// (M y)_u + b_u with y the current rates.
  double row_value(std::size_t u) const {
    double s = b_[u];
    for (std::size_t e = row_offsets_[u]; e < row_offsets_[u + 1]; ++e)
      s += row_coefficients_[e] * x_[unknowns_[row_columns_[e]]];
    return s;
  }

  /// Chandrasekaran's algorithm with dense solves; false (x_ untouched) when a system is singular.
  bool chandrasekaran() {
    const std::size_t k = unknowns_.size();
    in_j_.assign(k, 0);
    for (std::size_t u = 0; u < k; ++u) in_j_[u] = b_[u] > 0.0 ? 1 : 0;
    trial_.assign(k, 0.0);
    for (std::size_t step = 0; step <= k; ++step) {
      if (!solve_dense()) return false;
      bool added = false;
      for (std::size_t u = 0; u < k; ++u) {
        if (in_j_[u]) continue;
        double s = b_[u];
        for (std::size_t e = row_offsets_[u]; e < row_offsets_[u + 1]; ++e)
          s += row_coefficients_[e] * trial_[row_columns_[e]];
        if (s > 0.0) {
          in_j_[u] = 1;
          added = true;
        }
      }
      if (!added) break;
    }
    for (std::size_t u = 0; u < k; ++u) x_[unknowns_[u]] = std::clamp(trial_[u], 0.0, 1.0);
    return true;
  }

  /// trial_ = solution of (I - M_JJ) y_J = b_J, 0 off J. False when singular.
  bool solve_dense() {
    const std::size_t k = unknowns_.size();
    j_index_.assign(k, kNotUnknown);
    std::size_t m = 0;
    for (std::size_t u = 0; u < k; ++u)
      if (in_j_[u]) j_index_[u] = static_cast<std::uint32_t>(m++);
    dense_.assign(m * m, 0.0);
    rhs_.assign(m, 0.0);
    for (std::size_t u = 0; u < k; ++u) {
      const std::uint32_t r = j_index_[u];
      if (r == kNotUnknown) continue;
      dense_[r * m + r] += 1.0;
      rhs_[r] = b_[u];
      for (std::size_t e = row_offsets_[u]; e < row_offsets_[u + 1]; ++e) {
        const std::uint32_t c = j_index_[row_columns_[e]];
        if (c != kNotUnknown) dense_[r * m + c] -= row_coefficients_[e];
      }
    }
    double* a = dense_.data();
    double* y = rhs_.data();
    // Gaussian elimination with partial pivoting, then back substitution.
    for (std::size_t col = 0; col < m; ++col) {
      std::size_t pivot = col;
      for (std::size_t r = col + 1; r < m; ++r)
        if (std::abs(a[r * m + col]) > std::abs(a[pivot * m + col])) pivot = r;
      if (std::abs(a[pivot * m + col]) < kSingularPivot) return false;
      if (pivot != col) {
        std::swap_ranges(a + col * m + col, a + col * m + m, a + pivot * m + col);
        std::swap(y[col], y[pivot]);
      }
      const double inverse_pivot = 1.0 / a[col * m + col];
      for (std::size_t r = col + 1; r < m; ++r) {
        const double factor = a[r * m + col] * inverse_pivot;
        if (factor == 0.0) continue;
        for (std::size_t c = col + 1; c < m; ++c) a[r * m + c] -= factor * a[col * m + c];
        y[r] -= factor * y[col];
      }
    }
    for (std::size_t r = m; r-- > 0;) {
      double s = y[r];
      for (std::size_t c = r + 1; c < m; ++c) s -= a[r * m + c] * y[c];
      y[r] = s / a[r * m + r];
    }
    for (std::size_t u = 0; u < k; ++u) trial_[u] = j_index_[u] == kNotUnknown ? 0.0 : std::max(0.0, y[j_index_[u]]);
    return true;
  }

  /// x_u <- clamp(b_u + (M x)_u, 0, 1) in place from the current (upper) rates until no rate
  /// moves by more than the tolerance, at most `sweeps` times: decreases to the greatest fixed
  /// point of T_D below U. False when the sweeps ran out first.
  bool projected_gauss_seidel(int sweeps) {
    for (int sweep = 0; sweep < sweeps; ++sweep) {
      double change = 0.0;
      for (std::size_t u = 0; u < unknowns_.size(); ++u) {
        const double next = std::clamp(row_value(u), 0.0, 1.0);
        double& current = x_[unknowns_[u]];
        change = std::max(change, std::abs(current - next));
        current = next;
      }
      if (change <= options_.tolerance) return true;
    }
    return false;
  }

  const InterbankNetwork& net_;
  const ClearingModelOptions& options_;
  std::vector<double> x_;              ///< current recovery rates (the upper bound U)
  std::vector<double> claims_;         ///< fixed point: sum_j L_ji x_j, kept current
  std::vector<std::uint8_t> queued_;   ///< fixed point: kQueued, kNoLiabilities, kClaimsMoved
  std::vector<NodeIdx> sweep_, next_;  ///< fixed point: nodes to evaluate this sweep, the next (n + 1 slots)
  std::vector<std::uint8_t> in_default_;
  std::vector<std::uint32_t> unknown_of_;
  std::vector<NodeIdx> unknowns_;
  std::vector<double> b_;
  std::vector<std::size_t> row_offsets_;
  std::vector<std::uint32_t> row_columns_;
  std::vector<double> row_coefficients_;
  std::vector<std::uint8_t> in_j_;
  std::vector<std::uint32_t> j_index_;
  std::vector<double> trial_;
  std::vector<double> dense_;
  std::vector<double> rhs_;
};

}  // namespace

std::string_view to_string(ExternalPriority priority) {
  return priority == ExternalPriority::senior ? "senior" : "pari-passu";
}

std::string_view to_string(ClearingMethod method) {
  switch (method) {
    case ClearingMethod::automatic:
      return "auto";
    case ClearingMethod::fictitious_default:
      return "fictitious-default";
    case ClearingMethod::fixed_point:
      return "fixed-point";
  }
  return "?";
}

std::optional<ExternalPriority> parse_external_priority(std::string_view text) {
  if (text == "pari-passu") return ExternalPriority::pari_passu;
  if (text == "senior") return ExternalPriority::senior;
  return std::nullopt;
}

std::optional<ClearingMethod> parse_clearing_method(std::string_view text) {
  for (ClearingMethod m : {ClearingMethod::automatic, ClearingMethod::fictitious_default, ClearingMethod::fixed_point})
    if (text == to_string(m)) return m;
  return std::nullopt;
}

ClearingModelResult clear_interbank(const InterbankNetwork& net, const ClearingModelOptions& options) {
  if (!(options.alpha >= 0.0 && options.alpha <= 1.0)) bad_options("alpha must be in [0, 1]");
  if (!(options.beta >= 0.0 && options.beta <= 1.0)) bad_options("beta must be in [0, 1]");
  if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance))
    bad_options("tolerance must be finite and >= 0");
  if (options.max_iterations < 1) bad_options("max_iterations must be >= 1");
  if (options.threads < 1) bad_options("threads must be >= 1");
  return Clearer(net, options).run();
}

}  // namespace cascade::contagion
