#include "engine/contagion/furfine.h"

#include <algorithm>
#include <string>

namespace cascade::contagion {

FurfineResult furfine_cascade(const InterbankNetwork& net, const FurfineOptions& options) {
  if (!(options.recovery >= 0.0 && options.recovery <= 1.0))
    throw InternalError("furfine_cascade: recovery must be in [0, 1], got " + std::to_string(options.recovery));
  const std::size_t n = net.size();
  FurfineResult r;
  r.recovery_rate.assign(n, 1.0);
  r.equity_after.resize(n);
  r.defaulted.assign(n, 0);
  r.default_round.assign(n, -1);

  // Round 0: everyone at face value.
  std::vector<NodeIdx> wave;
  for (NodeIdx i = 0; i < n; ++i) {
    r.equity_after[i] = net.equity_at(i, r.recovery_rate);
    if (r.equity_after[i] <= 0.0) wave.push_back(i);
  }
  std::vector<NodeIdx> next;
  std::vector<std::uint8_t> touched(n, 0);
  for (int round = 0; !wave.empty(); ++round) {
    r.rounds = round + 1;
    // Mark the wave, then write down the claims on it and re-value its creditors.
    for (NodeIdx j : wave) {
      r.defaulted[j] = 1;
      r.default_round[j] = round;
      if (net.interbank_liabilities[j] > 0.0) r.recovery_rate[j] = options.recovery;
    }
    next.clear();
    for (NodeIdx j : wave)
      for (std::size_t k = net.owed_offsets[j]; k < net.owed_offsets[j + 1]; ++k) {
        const NodeIdx creditor = net.owed_creditor[k];
        if (touched[creditor]) continue;
        touched[creditor] = 1;
        next.push_back(creditor);
      }
    wave.clear();
    for (NodeIdx i : next) {  // first-touch order; the new wave is sorted below
      touched[i] = 0;
      r.equity_after[i] = net.equity_at(i, r.recovery_rate);
      if (!r.defaulted[i] && r.equity_after[i] <= 0.0) wave.push_back(i);
    }
    std::sort(wave.begin(), wave.end());
  }
  r.payment.resize(n);
  for (NodeIdx i = 0; i < n; ++i) r.payment[i] = r.recovery_rate[i] * net.interbank_liabilities[i];
  return r;
}

}  // namespace cascade::contagion
