// The greatest clearing vector with seniority classes: a generalised fictitious-default
// algorithm between certified bounds.
//
// Model (Eisenberg & Noe 2001, "Systemic risk in financial systems", Management Science 47(2);
// seniority as in Elsinger 2009, "Financial networks, cross holdings, and limited liability",
// OeNB working paper 156). Firm i has liquid_i >= 0 and owes due_ik in class k = secured,
// senior, subordinated, equity; D_i<k is the due of its classes above k. When firm i pays P_i
// in total, class k gets clamp(P_i - D_i<k, 0, due_ik), split pro rata. The clearing map is
//
//   Phi(P)_i = min(due_i, v_i(P)),   v_i(P) = liquid_i + sum_{o: creditor(o) = i} paid_o(P).
//
// Phi is monotone, so its fixed points form a complete lattice (Tarski); we want the greatest,
// P*. Firm i's *regime* at value v is "solvent" when v >= due_i, else the class m it pays
// partially (D_i<m <= v < D_i<=m). With the regimes fixed the map is affine: an unknown
// x_i = P_i - D_i<m per partially paying firm, and
//
//   x_i = liquid_i - D_i<m + sum_o paid_o,   paid_o = a_o / due_jm * x_j  for o in j's class m,
//                                             a_o  for j's classes above m or j solvent, 0 below,
//
// a linear system (I - M) x = b with M >= 0 and column sums <= 1.
//
// The rounds keep an upper bound U (P* <= U, Phi(U) <= U; starts at full payment) and a lower
// bound Lo (Lo <= Phi(Lo), hence Lo <= P*; starts at zero and follows Picard iteration). Each
// round:
//  1. Take the regimes at v(U) and solve their linear system exactly (Gaussian elimination with
//     partial pivoting up to kDenseSolveMaxUnknowns unknowns, Gauss-Seidel beyond). If the
//     solution lies in the closed bands of its own regimes it is a fixed point, and it is P*:
//     every fixed point is <= P*, P* <= U puts P* in the same regimes, and there the system
//     has one solution. Done.
//  2. Otherwise lower U by a step that provably stays >= P*: solve a *dominating* system, one
//     whose right-hand side is >= Phi at P*, so its solution C is >= P* (Eisenberg and Noe's
//     argument: (I - M)^-1 >= 0). A partially paying firm whose value at Lo covers the classes
//     above its marginal one cannot fall below that class, and its exact rows dominate. A firm
//     "at risk" of falling further would, in the exact rows, put its shortfall on the wrong
//     creditors; its marginal class is replaced by the chord from (v(Lo), 0) to (v(U), paid at
//     v(U)), which lies above the true payment in between. Then U <- Phi(min(Phi(U), C)).
//  3. When firms are at risk, also follow the plain fictitious-default rule (regimes from the
//     last solution) for a few solves; a consistent solution is a fixed point, so <= P*, and
//     raises Lo. A good Lo removes firms from risk and makes their chords exact.
// The rounds stop at step 1, or when U moves (or U - Lo is) no more than the tolerance; a final
// pass applies the clearing map once more and checks that the answer is a fixed point to 1e-9.
//
// In the single-class case no firm is ever at risk and the rounds are Eisenberg and Noe's
// fictitious default algorithm: every round adds a defaulting firm, <= n + 1 rounds. With
// seniority U falls at least as fast as Picard iteration from full payment, and step 1 ends the
// rounds once the regimes at U are those of P* (typically a handful of rounds; the slow case is
// a loop of cash-less firms that drains only through a junior class).
//
// Complexity per round: O(firms + obligations) for the clearing-map passes, each a streaming
// pass over creditor-ordered (CSR) obligation arrays built once per call; plus the linear
// solve, O(k^3) dense for k <= kDenseSolveMaxUnknowns partially paying firms, else
// O(obligations) per Gauss-Seidel sweep.
//
// Thread safety: no shared state; a ClearingWorkspace serves one call at a time.
#include "engine/clearing/clearing.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "engine/core/diagnostics.h"

namespace cascade {
namespace {

constexpr std::size_t kClassCount = kSeniorityCount;
/// Regime of a firm that pays everything it owes.
constexpr std::uint8_t kSolventRegime = static_cast<std::uint8_t>(kSeniorityCount);
/// `unknown_of_firm` value of a firm that is not an unknown of the current linear system.
constexpr std::uint32_t kNotUnknown = std::numeric_limits<std::uint32_t>::max();
/// Largest linear system solved by dense elimination; larger ones use Gauss-Seidel.
constexpr std::size_t kDenseSolveMaxUnknowns = 512;
/// Pivot (the entries of I - M are O(1)) below which a system counts as singular: a closed
/// group of partially paying firms that pay only each other in their marginal classes.
constexpr double kSingularPivot = 1e-12;
/// Solves spent per round looking for a fixed point below U when firms at risk block step 1.
constexpr int kMaxProbeSolves = 4;
/// Round-off allowed when accepting a solve as a fixed point (relative to the largest due; the
/// input tolerance when that is larger).
constexpr double kExactSolveResidualRelative = 1e-11;
/// The final check: the answer must be a fixed point to this precision (relative).
constexpr double kVerifiedResidualRelative = 1e-9;
/// A firm is short of cash when it paid less than due by more than this fraction of its due.
constexpr double kShortfallRelative = 1e-12;

[[noreturn]] void bad_input(const std::string& what) { throw InternalError("clear_payments: " + what); }

}  // namespace

struct ClearingWorkspace::Impl {
  // Built once per call. Obligations to firms are kept in creditor order (CSR): entry e of
  // firm i's range [in_offsets[i], in_offsets[i+1]) is an obligation owed to i.
  std::vector<double> due_usd_bn;          ///< per firm: total due
  std::vector<double> class_due_usd_bn;    ///< per firm x class: due in the class
  std::vector<double> class_floor_usd_bn;  ///< per firm x class: due of the classes above it
  std::vector<std::uint32_t> in_offsets;
  std::vector<FirmIdx> in_debtor;
  std::vector<std::uint8_t> in_class;
  std::vector<double> in_share;  ///< a_o / due of the debtor's class
  std::vector<std::uint32_t> cursor;

  // Per round, per firm.
  std::vector<double> upper_usd_bn;        ///< U
  std::vector<double> value_usd_bn;        ///< v(U)
  std::vector<double> lower_usd_bn;        ///< Lo
  std::vector<double> lower_value_usd_bn;  ///< v(Lo)
  std::vector<double> trial_usd_bn;        ///< a linear system's solution, as firm totals
  std::vector<double> bound_usd_bn;        ///< step 2's bound, kept across the probe
  std::vector<double> scratch_usd_bn;
  std::vector<std::uint8_t> regime;   ///< marginal class, or kSolventRegime
  std::vector<std::uint8_t> at_risk;  ///< partial, and v(Lo) below its marginal class
  std::vector<double> base_usd_bn;    ///< its total payment with its unknown at 0
  /// Its marginal class gets share * (slope * x + offset): 1 and 0 except for chords.
  std::vector<double> marginal_slope;
  std::vector<double> marginal_offset_usd_bn;
  std::vector<std::uint32_t> unknown_of_firm;

  // Per linear system, per unknown: b, x, and M as sparse rows (or dense I - M).
  std::vector<FirmIdx> unknown_firms;
  std::vector<double> rhs;
  std::vector<double> x;
  std::vector<std::uint32_t> row_offsets;
  std::vector<std::uint32_t> row_columns;
  std::vector<double> row_coefficients;
  std::vector<double> dense;
};

ClearingWorkspace::ClearingWorkspace() : impl_(std::make_unique<Impl>()) {}

void ClearingWorkspace::reserve(std::size_t firm_count, std::size_t obligation_count) {
  if (!impl_) impl_ = std::make_unique<Impl>();  // a moved-from workspace
  Impl& ws = *impl_;
  const std::size_t n = firm_count;
  for (auto* v : {&ws.due_usd_bn, &ws.upper_usd_bn, &ws.value_usd_bn, &ws.lower_usd_bn, &ws.lower_value_usd_bn,
                  &ws.trial_usd_bn, &ws.bound_usd_bn, &ws.scratch_usd_bn, &ws.base_usd_bn, &ws.marginal_slope,
                  &ws.marginal_offset_usd_bn, &ws.rhs, &ws.x})
    v->reserve(n);
  ws.class_due_usd_bn.reserve(n * kClassCount);
  ws.class_floor_usd_bn.reserve(n * kClassCount);
  ws.in_offsets.reserve(n + 1);
  ws.cursor.reserve(n);
  ws.regime.reserve(n);
  ws.at_risk.reserve(n);
  ws.unknown_of_firm.reserve(n);
  ws.unknown_firms.reserve(n);  // each firm is at most one unknown
  ws.row_offsets.reserve(n + 1);
  // Entries: one per obligation owed to a firm; a linear system's row entries are some of them.
  ws.in_debtor.reserve(obligation_count);
  ws.in_class.reserve(obligation_count);
  ws.in_share.reserve(obligation_count);
  ws.row_columns.reserve(obligation_count);
  ws.row_coefficients.reserve(obligation_count);
  const std::size_t dense_unknowns = std::min(n, kDenseSolveMaxUnknowns);
  ws.dense.reserve(dense_unknowns * dense_unknowns);
}
ClearingWorkspace::~ClearingWorkspace() = default;
ClearingWorkspace::ClearingWorkspace(ClearingWorkspace&&) noexcept = default;
ClearingWorkspace& ClearingWorkspace::operator=(ClearingWorkspace&&) noexcept = default;

namespace {

/// One call of clear_payments: the input, the workspace, and the steps of the algorithm.
class Clearing {
 public:
  Clearing(const ClearingInput& input, ClearingWorkspace::Impl& ws) : input_(input), liquid_(input.liquid_usd_bn), ws_(ws) {}

  /// Checks the input and builds the per-call tables. Returns the largest firm due.
  double prepare();
  /// Runs the rounds; leaves the answer (firm totals) in trial_usd_bn. Returns the rounds and
  /// whether they ended by their rules.
  std::pair<int, bool> run(double scale_usd_bn);
  void write_result(int rounds, bool ended, double scale_usd_bn, ClearingResult& result) const;

 private:
  std::size_t firm_count() const { return liquid_.size(); }
  static std::size_t slot(FirmIdx firm, std::size_t k) { return static_cast<std::size_t>(firm) * kClassCount + k; }
  double floor_of(FirmIdx firm, std::uint8_t k) const { return ws_.class_floor_usd_bn[slot(firm, k)]; }
  double top_of(FirmIdx firm, std::uint8_t k) const { return floor_of(firm, k) + ws_.class_due_usd_bn[slot(firm, k)]; }

  /// What CSR entry e receives when its debtor pays `debtor_paid_usd_bn` in total.
  double entry_paid(std::size_t e, double debtor_paid_usd_bn) const {
    const std::size_t s = slot(ws_.in_debtor[e], ws_.in_class[e]);
    return std::clamp(debtor_paid_usd_bn - ws_.class_floor_usd_bn[s], 0.0, ws_.class_due_usd_bn[s]) * ws_.in_share[e];
  }
  /// True when entry e is in the marginal class of a debtor that is an unknown.
  bool entry_is_marginal(std::size_t e) const {
    const FirmIdx j = ws_.in_debtor[e];
    return ws_.unknown_of_firm[j] != kNotUnknown && ws_.in_class[e] == ws_.regime[j];
  }
  /// Regime of firm i at value v.
  std::uint8_t regime_at(FirmIdx i, double v) const {
    if (v >= ws_.due_usd_bn[i]) return kSolventRegime;
    std::uint8_t k = 0;
    while (k + 1u < kClassCount && top_of(i, k) <= v) ++k;
    return k;
  }

  /// value[i] = liquid_i + what firm i receives when every firm j pays firm_paid[j] in total.
  void values_at(const std::vector<double>& firm_paid_usd_bn, std::vector<double>& value_usd_bn) const;
  /// Largest |Phi(P)_i - P_i|; leaves v(P) in `value_usd_bn`.
  double residual(const std::vector<double>& firm_paid_usd_bn, std::vector<double>& value_usd_bn) const;
  /// Regimes at v(U) and the at-risk flags.
  void classify();

  /// Sets up and solves the linear system of the current regimes: exact, or (`dominating`)
  /// with chords for the at-risk firms. Writes firm totals to trial_usd_bn. Returns false when
  /// the system is singular or (iteratively) certainly inconsistent.
  bool solve_regimes(bool dominating, double tolerance_usd_bn, int max_sweeps);
  bool solve_dense(std::size_t unknowns);
  bool solve_gauss_seidel(std::size_t unknowns, bool stop_below_floor, double tolerance_usd_bn, int max_sweeps);
  /// True when trial_usd_bn lies in the closed bands of its regimes and is a fixed point to
  /// `tolerance_usd_bn`; clamps trial_usd_bn to [0, due].
  bool trial_is_consistent(double tolerance_usd_bn);
  /// Step 3: a few plain fictitious-default solves from the regimes at U; a consistent one is
  /// merged into Lo. Overwrites the regimes and trial_usd_bn.
  void probe_lower_bound(double tolerance_usd_bn, int max_sweeps);

  const ClearingInput& input_;
  std::span<const double> liquid_;
  ClearingWorkspace::Impl& ws_;
};

double Clearing::prepare() {
  const std::size_t n = firm_count();
  const std::span<const Obligation> obligations = input_.obligations;
  const std::size_t m = obligations.size();
  if (n >= kExternalCreditor) bad_input("too many firms: " + std::to_string(n));
  if (m >= kNotUnknown) bad_input("too many obligations: " + std::to_string(m));
  if (!std::isfinite(input_.tolerance) || input_.tolerance < 0.0)
    bad_input("tolerance must be finite and >= 0, got " + std::to_string(input_.tolerance));
  if (input_.max_iterations < 1) bad_input("max_iterations must be >= 1, got " + std::to_string(input_.max_iterations));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(liquid_[i]) || liquid_[i] < 0.0)
      bad_input("liquid_usd_bn[" + std::to_string(i) + "] must be finite and >= 0, got " + std::to_string(liquid_[i]));

  ws_.class_due_usd_bn.assign(n * kClassCount, 0.0);
  ws_.in_offsets.assign(n + 1, 0);
  for (std::size_t o = 0; o < m; ++o) {
    const Obligation& ob = obligations[o];
    if (ob.debtor >= n)
      bad_input("obligations[" + std::to_string(o) + "].debtor " + std::to_string(ob.debtor) + " is not below the firm count " + std::to_string(n));
    if (ob.creditor != kExternalCreditor && ob.creditor >= n)
      bad_input("obligations[" + std::to_string(o) + "].creditor " + std::to_string(ob.creditor) + " is neither a firm nor kExternalCreditor");
    if (ob.creditor == ob.debtor) bad_input("obligations[" + std::to_string(o) + "]: firm " + std::to_string(ob.debtor) + " owes itself");
    if (!std::isfinite(ob.amount_usd_bn) || ob.amount_usd_bn < 0.0)
      bad_input("obligations[" + std::to_string(o) + "].amount_usd_bn must be finite and >= 0, got " + std::to_string(ob.amount_usd_bn));
    if (static_cast<std::size_t>(ob.seniority) >= kClassCount)
      bad_input("obligations[" + std::to_string(o) + "].seniority is not a class: " + std::to_string(static_cast<int>(ob.seniority)));
    ws_.class_due_usd_bn[slot(ob.debtor, static_cast<std::size_t>(ob.seniority))] += ob.amount_usd_bn;
    if (ob.creditor != kExternalCreditor) ++ws_.in_offsets[ob.creditor + 1];
  }

  ws_.class_floor_usd_bn.assign(n * kClassCount, 0.0);
  ws_.due_usd_bn.assign(n, 0.0);
  double scale_usd_bn = 0.0;
  for (FirmIdx i = 0; i < n; ++i) {
    double floor_usd_bn = 0.0;
    for (std::size_t k = 0; k < kClassCount; ++k) {
      ws_.class_floor_usd_bn[slot(i, k)] = floor_usd_bn;
      floor_usd_bn += ws_.class_due_usd_bn[slot(i, k)];
    }
    if (!std::isfinite(floor_usd_bn)) bad_input("firm " + std::to_string(i) + " owes a total that is not finite");
    ws_.due_usd_bn[i] = floor_usd_bn;
    scale_usd_bn = std::max(scale_usd_bn, floor_usd_bn);
  }

  // Creditor-ordered entries (a stable counting sort: ascending obligation index per creditor).
  for (std::size_t i = 0; i < n; ++i) ws_.in_offsets[i + 1] += ws_.in_offsets[i];
  const std::size_t entries = ws_.in_offsets[n];
  ws_.in_debtor.resize(entries);
  ws_.in_class.resize(entries);
  ws_.in_share.resize(entries);
  ws_.cursor.assign(ws_.in_offsets.begin(), ws_.in_offsets.end() - 1);
  for (std::size_t o = 0; o < m; ++o) {
    const Obligation& ob = obligations[o];
    if (ob.creditor == kExternalCreditor) continue;
    const std::size_t e = ws_.cursor[ob.creditor]++;
    const double class_due_usd_bn = ws_.class_due_usd_bn[slot(ob.debtor, static_cast<std::size_t>(ob.seniority))];
    ws_.in_debtor[e] = ob.debtor;
    ws_.in_class[e] = static_cast<std::uint8_t>(ob.seniority);
    ws_.in_share[e] = class_due_usd_bn > 0.0 ? ob.amount_usd_bn / class_due_usd_bn : 0.0;
  }

  for (auto* v : {&ws_.upper_usd_bn, &ws_.value_usd_bn, &ws_.lower_usd_bn, &ws_.lower_value_usd_bn, &ws_.trial_usd_bn,
                  &ws_.bound_usd_bn, &ws_.scratch_usd_bn, &ws_.base_usd_bn, &ws_.marginal_slope,
                  &ws_.marginal_offset_usd_bn})
    v->resize(n);
  ws_.regime.resize(n);
  ws_.at_risk.resize(n);
  ws_.unknown_of_firm.resize(n);
  return scale_usd_bn;
}

void Clearing::values_at(const std::vector<double>& firm_paid_usd_bn, std::vector<double>& value_usd_bn) const {
  for (std::size_t i = 0; i < firm_count(); ++i) {
    double v = liquid_[i];
    for (std::uint32_t e = ws_.in_offsets[i]; e < ws_.in_offsets[i + 1]; ++e)
      v += entry_paid(e, firm_paid_usd_bn[ws_.in_debtor[e]]);
    value_usd_bn[i] = v;
  }
}

double Clearing::residual(const std::vector<double>& firm_paid_usd_bn, std::vector<double>& value_usd_bn) const {
  values_at(firm_paid_usd_bn, value_usd_bn);
  double worst_usd_bn = 0.0;
  for (std::size_t i = 0; i < firm_count(); ++i)
    worst_usd_bn = std::max(worst_usd_bn, std::abs(std::min(ws_.due_usd_bn[i], value_usd_bn[i]) - firm_paid_usd_bn[i]));
  return worst_usd_bn;
}

void Clearing::classify() {
  for (FirmIdx i = 0; i < firm_count(); ++i) {
    const std::uint8_t r = regime_at(i, ws_.value_usd_bn[i]);
    ws_.regime[i] = r;
    // v*_i >= v_i(Lo): a firm whose value at Lo covers the classes above its marginal class
    // cannot fall below that class.
    ws_.at_risk[i] = r != kSolventRegime && ws_.lower_value_usd_bn[i] < floor_of(i, r);
  }
}

bool Clearing::solve_regimes(bool dominating, double tolerance_usd_bn, int max_sweeps) {
  const std::size_t n = firm_count();
  ws_.unknown_firms.clear();
  for (FirmIdx j = 0; j < n; ++j) {
    const std::uint8_t r = ws_.regime[j];
    ws_.unknown_of_firm[j] = kNotUnknown;
    ws_.marginal_slope[j] = 1.0;
    ws_.marginal_offset_usd_bn[j] = 0.0;
    if (r == kSolventRegime) {
      ws_.base_usd_bn[j] = ws_.due_usd_bn[j];
      continue;
    }
    const double floor_usd_bn = floor_of(j, r);
    ws_.base_usd_bn[j] = floor_usd_bn;
    ws_.unknown_of_firm[j] = static_cast<std::uint32_t>(ws_.unknown_firms.size());
    ws_.unknown_firms.push_back(j);
    if (dominating && ws_.at_risk[j]) {
      // P*_j lies between A = v_j(Lo) < floor and X = v_j(U) = Phi(U)_j >= floor. On [A, X]
      // the marginal class gets 0 below the floor and grows linearly above it; the chord from
      // (A, 0) to (X, paid at X) lies above that.
      const double anchor_usd_bn = ws_.lower_value_usd_bn[j];
      const double x_usd_bn = ws_.value_usd_bn[j];
      const double slope = (x_usd_bn - floor_usd_bn) / (x_usd_bn - anchor_usd_bn);
      ws_.marginal_slope[j] = slope;
      ws_.marginal_offset_usd_bn[j] = slope * (floor_usd_bn - anchor_usd_bn);
    }
  }

  // b_i = liquid_i - D_i<m + what i receives with every unknown at 0; M as sparse rows.
  const std::size_t k = ws_.unknown_firms.size();
  ws_.rhs.resize(k);
  ws_.row_offsets.resize(k + 1);
  ws_.row_offsets[0] = 0;
  ws_.row_columns.clear();
  ws_.row_coefficients.clear();
  for (std::size_t u = 0; u < k; ++u) {
    const FirmIdx i = ws_.unknown_firms[u];
    double b = liquid_[i] - ws_.base_usd_bn[i];
    for (std::uint32_t e = ws_.in_offsets[i]; e < ws_.in_offsets[i + 1]; ++e) {
      const FirmIdx j = ws_.in_debtor[e];
      if (entry_is_marginal(e)) {
        ws_.row_columns.push_back(ws_.unknown_of_firm[j]);
        ws_.row_coefficients.push_back(ws_.in_share[e] * ws_.marginal_slope[j]);
        b += ws_.in_share[e] * ws_.marginal_offset_usd_bn[j];
      } else {
        b += entry_paid(e, ws_.base_usd_bn[j]);
      }
    }
    ws_.rhs[u] = b;
    ws_.row_offsets[u + 1] = static_cast<std::uint32_t>(ws_.row_columns.size());
  }

  const bool solved = k <= kDenseSolveMaxUnknowns ? solve_dense(k)
                                                  : solve_gauss_seidel(k, !dominating, tolerance_usd_bn, max_sweeps);
  if (!solved) return false;
  for (FirmIdx j = 0; j < n; ++j) {
    const std::uint32_t u = ws_.unknown_of_firm[j];
    ws_.trial_usd_bn[j] = ws_.base_usd_bn[j] + (u == kNotUnknown ? 0.0 : ws_.x[u]);
  }
  return true;
}

bool Clearing::solve_dense(std::size_t k) {
  ws_.dense.assign(k * k, 0.0);
  double* a = ws_.dense.data();
  for (std::size_t u = 0; u < k; ++u) {
    a[u * k + u] = 1.0;
    for (std::uint32_t e = ws_.row_offsets[u]; e < ws_.row_offsets[u + 1]; ++e)
      a[u * k + ws_.row_columns[e]] -= ws_.row_coefficients[e];
  }
  ws_.x.assign(ws_.rhs.begin(), ws_.rhs.end());
  double* b = ws_.x.data();
  // Gaussian elimination with partial pivoting, then back substitution.
  for (std::size_t col = 0; col < k; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < k; ++r)
      if (std::abs(a[r * k + col]) > std::abs(a[pivot * k + col])) pivot = r;
    if (std::abs(a[pivot * k + col]) < kSingularPivot) return false;
    if (pivot != col) {
      std::swap_ranges(a + col * k + col, a + col * k + k, a + pivot * k + col);
      std::swap(b[col], b[pivot]);
    }
    const double inverse_pivot = 1.0 / a[col * k + col];
    for (std::size_t r = col + 1; r < k; ++r) {
      const double factor = a[r * k + col] * inverse_pivot;
      if (factor == 0.0) continue;
      for (std::size_t c = col + 1; c < k; ++c) a[r * k + c] -= factor * a[col * k + c];
      b[r] -= factor * b[col];
    }
  }
  for (std::size_t r = k; r-- > 0;) {
    double sum = b[r];
    for (std::size_t c = r + 1; c < k; ++c) sum -= a[r * k + c] * b[c];
    b[r] = sum / a[r * k + r];
  }
  return true;
}

bool Clearing::solve_gauss_seidel(std::size_t k, bool stop_below_floor, double tolerance_usd_bn, int max_sweeps) {
  // Start at Phi(U). Because Phi(U) <= U, the linear map does not increase it, and with M >= 0
  // the sweeps decrease monotonically towards the solution: every iterate is above it.
  ws_.x.resize(k);
  for (std::size_t u = 0; u < k; ++u) {
    const FirmIdx i = ws_.unknown_firms[u];
    ws_.x[u] = std::min(ws_.due_usd_bn[i], ws_.value_usd_bn[i]) - ws_.base_usd_bn[i];
  }
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    double change_usd_bn = 0.0;
    for (std::size_t u = 0; u < k; ++u) {
      double sum = ws_.rhs[u];
      for (std::uint32_t e = ws_.row_offsets[u]; e < ws_.row_offsets[u + 1]; ++e)
        sum += ws_.row_coefficients[e] * ws_.x[ws_.row_columns[e]];
      change_usd_bn = std::max(change_usd_bn, std::abs(sum - ws_.x[u]));
      ws_.x[u] = sum;
      // Below its band the solution, lower still, cannot be consistent.
      if (stop_below_floor && sum < -tolerance_usd_bn) return false;
    }
    if (change_usd_bn <= tolerance_usd_bn) break;
  }
  return true;
}

bool Clearing::trial_is_consistent(double tolerance_usd_bn) {
  for (FirmIdx j = 0; j < firm_count(); ++j) {
    const std::uint32_t u = ws_.unknown_of_firm[j];
    if (u == kNotUnknown) continue;
    const double x_usd_bn = ws_.x[u];
    if (x_usd_bn < -tolerance_usd_bn || x_usd_bn > ws_.class_due_usd_bn[slot(j, ws_.regime[j])] + tolerance_usd_bn)
      return false;
  }
  for (FirmIdx j = 0; j < firm_count(); ++j)
    ws_.trial_usd_bn[j] = std::clamp(ws_.trial_usd_bn[j], 0.0, ws_.due_usd_bn[j]);
  return residual(ws_.trial_usd_bn, ws_.scratch_usd_bn) <= tolerance_usd_bn;
}

void Clearing::probe_lower_bound(double tolerance_usd_bn, int max_sweeps) {
  for (int probe = 0; probe < kMaxProbeSolves; ++probe) {
    if (!solve_regimes(false, tolerance_usd_bn, max_sweeps)) return;
    if (trial_is_consistent(tolerance_usd_bn)) {
      for (std::size_t i = 0; i < firm_count(); ++i)
        ws_.lower_usd_bn[i] = std::max(ws_.lower_usd_bn[i], ws_.trial_usd_bn[i]);
      return;
    }
    // Lower the regime of every firm whose value at the solution is below its band.
    values_at(ws_.trial_usd_bn, ws_.scratch_usd_bn);  // trial_is_consistent clamped the trial
    bool lowered = false;
    for (FirmIdx i = 0; i < firm_count(); ++i) {
      const std::uint8_t r = ws_.regime[i];
      const double floor_usd_bn = r == kSolventRegime ? ws_.due_usd_bn[i] : floor_of(i, r);
      if (ws_.scratch_usd_bn[i] >= floor_usd_bn - tolerance_usd_bn) continue;
      ws_.regime[i] = regime_at(i, ws_.scratch_usd_bn[i]);
      lowered = true;
    }
    if (!lowered) return;
  }
}

std::pair<int, bool> Clearing::run(double scale_usd_bn) {
  const std::size_t n = firm_count();
  const int max_sweeps = input_.max_iterations;
  const double step_tolerance_usd_bn = input_.tolerance * scale_usd_bn;
  const double accept_tolerance_usd_bn = std::max(input_.tolerance, kExactSolveResidualRelative) * scale_usd_bn;
  std::copy(ws_.due_usd_bn.begin(), ws_.due_usd_bn.end(), ws_.upper_usd_bn.begin());
  std::fill(ws_.lower_usd_bn.begin(), ws_.lower_usd_bn.end(), 0.0);

  for (int round = 1; round <= input_.max_iterations; ++round) {
    values_at(ws_.upper_usd_bn, ws_.value_usd_bn);
    values_at(ws_.lower_usd_bn, ws_.lower_value_usd_bn);
    classify();
    for (std::size_t i = 0; i < n; ++i) ws_.lower_usd_bn[i] = std::min(ws_.due_usd_bn[i], ws_.lower_value_usd_bn[i]);

    // Step 1: the exact system of the regimes at U.
    const bool solved = solve_regimes(false, step_tolerance_usd_bn, max_sweeps);
    if (solved && trial_is_consistent(accept_tolerance_usd_bn)) return {round, true};

    // Step 2: a bound C >= P* (the exact solution when no firm is at risk); step 3 on the side.
    const bool any_at_risk = std::any_of(ws_.at_risk.begin(), ws_.at_risk.end(), [](std::uint8_t r) { return r != 0; });
    const bool have_bound = any_at_risk ? solve_regimes(true, step_tolerance_usd_bn, max_sweeps) : solved;
    if (any_at_risk) {
      std::copy(ws_.trial_usd_bn.begin(), ws_.trial_usd_bn.end(), ws_.bound_usd_bn.begin());
      probe_lower_bound(accept_tolerance_usd_bn, max_sweeps);
      std::copy(ws_.bound_usd_bn.begin(), ws_.bound_usd_bn.end(), ws_.trial_usd_bn.begin());
    }
    // W = min(Phi(U), C) keeps each firm within the band of its regime, where the dominating
    // system lies above Phi; so Phi(W) <= W, and U' = Phi(W) keeps both invariants.
    for (std::size_t i = 0; i < n; ++i) {
      const double phi_usd_bn = std::min(ws_.due_usd_bn[i], ws_.value_usd_bn[i]);
      ws_.trial_usd_bn[i] =
          have_bound ? std::min(phi_usd_bn, std::clamp(ws_.trial_usd_bn[i], 0.0, ws_.due_usd_bn[i])) : phi_usd_bn;
    }
    values_at(ws_.trial_usd_bn, ws_.scratch_usd_bn);
    double change_usd_bn = 0.0;
    double gap_usd_bn = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double lowered_usd_bn = std::min(ws_.due_usd_bn[i], ws_.scratch_usd_bn[i]);
      change_usd_bn = std::max(change_usd_bn, std::abs(ws_.upper_usd_bn[i] - lowered_usd_bn));
      gap_usd_bn = std::max(gap_usd_bn, lowered_usd_bn - ws_.lower_usd_bn[i]);
      ws_.upper_usd_bn[i] = lowered_usd_bn;
    }
    if (change_usd_bn <= step_tolerance_usd_bn || gap_usd_bn <= step_tolerance_usd_bn) {
      // Clean-up: the clearing map applied once more to the settled upper bound.
      values_at(ws_.upper_usd_bn, ws_.value_usd_bn);
      for (std::size_t i = 0; i < n; ++i) ws_.trial_usd_bn[i] = std::min(ws_.due_usd_bn[i], ws_.value_usd_bn[i]);
      return {round, true};
    }
  }
  std::copy(ws_.upper_usd_bn.begin(), ws_.upper_usd_bn.end(), ws_.trial_usd_bn.begin());
  return {input_.max_iterations, false};
}

void Clearing::write_result(int rounds, bool ended, double scale_usd_bn, ClearingResult& result) const {
  const std::size_t n = firm_count();
  const std::span<const Obligation> obligations = input_.obligations;
  const std::vector<double>& firm_paid_usd_bn = ws_.trial_usd_bn;
  result.paid_usd_bn.resize(obligations.size());
  result.paid_by_firm_usd_bn.assign(n, 0.0);
  result.due_by_firm_usd_bn.assign(ws_.due_usd_bn.begin(), ws_.due_usd_bn.end());
  result.received_usd_bn.assign(n, 0.0);
  result.short_of_cash.assign(n, 0);
  for (std::size_t o = 0; o < obligations.size(); ++o) {
    const Obligation& ob = obligations[o];
    const std::size_t s = slot(ob.debtor, static_cast<std::size_t>(ob.seniority));
    const double class_due_usd_bn = ws_.class_due_usd_bn[s];
    const double class_paid_usd_bn =
        std::clamp(firm_paid_usd_bn[ob.debtor] - ws_.class_floor_usd_bn[s], 0.0, class_due_usd_bn);
    const double paid_usd_bn = class_due_usd_bn > 0.0 ? class_paid_usd_bn * (ob.amount_usd_bn / class_due_usd_bn) : 0.0;
    result.paid_usd_bn[o] = paid_usd_bn;
    result.paid_by_firm_usd_bn[ob.debtor] += paid_usd_bn;
    if (ob.creditor != kExternalCreditor) result.received_usd_bn[ob.creditor] += paid_usd_bn;
  }
  double worst_residual_usd_bn = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double due_usd_bn = ws_.due_usd_bn[i];
    const double paid_usd_bn = result.paid_by_firm_usd_bn[i];
    result.short_of_cash[i] = paid_usd_bn < due_usd_bn - kShortfallRelative * due_usd_bn ? 1 : 0;
    worst_residual_usd_bn =
        std::max(worst_residual_usd_bn, std::abs(std::min(due_usd_bn, liquid_[i] + result.received_usd_bn[i]) - paid_usd_bn));
  }
  result.iterations = rounds;
  result.converged = ended && worst_residual_usd_bn <= kVerifiedResidualRelative * scale_usd_bn;
}

}  // namespace

void clear_payments(const ClearingInput& input, ClearingWorkspace& workspace, ClearingResult& result) {
  if (!workspace.impl_) workspace.impl_ = std::make_unique<ClearingWorkspace::Impl>();  // a moved-from workspace
  Clearing clearing(input, *workspace.impl_);
  const double scale_usd_bn = clearing.prepare();
  const auto [rounds, ended] = clearing.run(scale_usd_bn);
  clearing.write_result(rounds, ended, scale_usd_bn, result);
}

ClearingResult clear_payments(const ClearingInput& input) {
  ClearingWorkspace workspace;
  ClearingResult result;
  clear_payments(input, workspace, result);
  return result;
}

}  // namespace cascade
