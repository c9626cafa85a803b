// Furfine (2003) sequential default on an InterbankNetwork: defaults spread in rounds, each
// creditor of a defaulter losing (1 - recovery) of its claim.
//
//   FurfineResult r = furfine_cascade(net, {.recovery = 0.4});
//   r.default_round[i];  // -1: survived; 0: failed on the shock; k: failed in round k
//
// Round 0 defaults every node whose post-shock equity E0_i - s_i ea_i is <= 0. In round k >= 1
// the claims on the nodes that defaulted in round k - 1 are written down to `recovery` of their
// face value, and every node whose equity (InterbankNetwork::equity_at with x_j = recovery for
// defaulted j, 1 otherwise) is now <= 0 defaults in round k. The cascade stops at the first
// round without new defaults. Losses hit every creditor, defaulted or not; a defaulter's own
// claims still count in its equity.
//
// Thread safety: a pure function of its inputs.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/contagion/interbank_network.h"

namespace cascade::contagion {

struct FurfineOptions {
  double recovery = 0.0;  ///< R in [0, 1]: share of a claim on a defaulter that is recovered
};

struct FurfineResult {
  std::vector<double> recovery_rate;    ///< R for defaulters with interbank liabilities, else 1
  std::vector<double> payment;          ///< recovery_rate * Lbar_i
  std::vector<double> equity_after;     ///< equity_at(i, recovery_rate)
  std::vector<std::uint8_t> defaulted;  ///< equity_after <= 0
  std::vector<int> default_round;       ///< -1 for survivors
  /// Rounds with new defaults, round 0 included: 0 when nobody defaults; the last round index
  /// plus one otherwise (that many rounds of write-downs were applied).
  int rounds = 0;
};

/// Throws InternalError when recovery is not in [0, 1] (the CLI checks it).
FurfineResult furfine_cascade(const InterbankNetwork& net, const FurfineOptions& options);

}  // namespace cascade::contagion
