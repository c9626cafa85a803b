// Simultaneous settlement of the obligations due in one tick (Eisenberg–Noe with seniority).
//
// Each firm has liquid assets (cash on hand, >= 0) and a list of obligations due now, each
// to another firm or to the outside world, each in a seniority class. All firms pay at once:
// what a firm can pay depends on what it receives, which depends on what others pay. The
// clearing vector is the greatest fixed point of
//
//   v_i = liquid_i + sum_{o: creditor(o) = i} paid_o         (value available to firm i)
//   firm i pays its classes in seniority order, pro rata within a class, until v_i runs out
//
// (Eisenberg & Noe 2001; seniority classes as in Elsinger 2009). Obligations that cycle net
// out correctly, which a sequential "who pays first" rule does not.
//
//   std::vector<Obligation> due = {{.debtor = 0, .creditor = 1, .amount_usd_bn = 10}, ...};
//   ClearingResult r = clear_payments({.liquid_usd_bn = cash, .obligations = due});
//   // r.paid_usd_bn[k] is what obligation k received; r.short_of_cash[i] says firm i fell short.
//
// Thread safety: a pure function of its input. The two-argument form allocates its result and
// scratch memory; the workspace form reuses both, so a thread that keeps one ClearingWorkspace
// and one ClearingResult clears without allocating once it has seen its largest network. A
// workspace must not be shared by concurrent calls.
//
// Bad engine input (a debtor out of range, a negative or non-finite amount) throws
// InternalError: obligations come from the engine, never directly from a user.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "engine/core/types.h"

namespace cascade {

/// Creditor value for obligations owed outside the modelled network.
inline constexpr FirmIdx kExternalCreditor = std::numeric_limits<FirmIdx>::max();

struct Obligation {
  FirmIdx debtor = 0;
  FirmIdx creditor = kExternalCreditor;
  double amount_usd_bn = 0.0;  ///< > 0; zero-amount obligations are allowed and ignored
  Seniority seniority = Seniority::senior;
};

struct ClearingInput {
  /// Cash each firm has before paying anything this tick (>= 0), indexed by FirmIdx. Its size
  /// is the number of firms; every debtor and internal creditor must be below it.
  std::span<const double> liquid_usd_bn;
  std::span<const Obligation> obligations;
  /// Stop when no payment changes by more than this (relative to the largest due amount).
  double tolerance = 1e-13;
  /// Cap on rounds, and on the sweeps of one iterative linear solve (large networks only).
  int max_iterations = 100000;
};

struct ClearingResult {
  std::vector<double> paid_usd_bn;        ///< per obligation, in input order
  std::vector<double> paid_by_firm_usd_bn;  ///< per firm: total paid
  std::vector<double> due_by_firm_usd_bn;   ///< per firm: total due
  std::vector<double> received_usd_bn;      ///< per firm: total received from other firms
  std::vector<std::uint8_t> short_of_cash;  ///< per firm: 1 when it paid less than it owed
  int iterations = 0;   ///< rounds of the algorithm
  /// True when the rounds ended by their rules and the payments are a fixed point of the
  /// clearing map to 1e-9 (relative to the largest due amount). When false the payments are
  /// the last upper bound reached and must not be booked as a clearing vector.
  bool converged = false;
};

/// Reusable scratch memory for `clear_payments` (one per thread). Movable, not copyable.
class ClearingWorkspace {
 public:
  ClearingWorkspace();
  ~ClearingWorkspace();
  ClearingWorkspace(ClearingWorkspace&&) noexcept;
  ClearingWorkspace& operator=(ClearingWorkspace&&) noexcept;
  ClearingWorkspace(const ClearingWorkspace&) = delete;
  ClearingWorkspace& operator=(const ClearingWorkspace&) = delete;

  /// Sizes the scratch memory for calls with up to `firm_count` firms and `obligation_count`
  /// obligations, linear systems included, so that such calls allocate nothing.
  void reserve(std::size_t firm_count, std::size_t obligation_count);

  struct Impl;  ///< defined in clearing.cc

 private:
  friend void clear_payments(const ClearingInput& input, ClearingWorkspace& workspace, ClearingResult& result);
  std::unique_ptr<Impl> impl_;
};

/// The greatest clearing vector (exact: fictitious-default rounds with seniority classes,
/// each round solving the linear system of the firms paying partially).
ClearingResult clear_payments(const ClearingInput& input);

/// The same, reusing `workspace` and the vectors of `result` (overwritten).
void clear_payments(const ClearingInput& input, ClearingWorkspace& workspace, ClearingResult& result);

}  // namespace cascade
