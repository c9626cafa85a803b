// Throughput of one clearing (engine/clearing/clearing.h) on large random payment networks.
//
// What is measured: one call of `clear_payments` -- input checks, the creditor-ordered tables,
// the rounds (clearing-map passes and linear solves) and the result -- on a fixed random
// network of n firms and about 10 obligations per firm. This is phase 5 of one tick on a
// synthetic network of the size bench/README.md "Targets" talks about (10^3 to 10^5 institutions).
//
//   BM_ClearPayments/<firms>/<classes>           the allocating two-argument overload
//   BM_ClearPaymentsWorkspace/<firms>/<classes>  one ClearingWorkspace and ClearingResult reused
//                                                across iterations, as the tick loop of one
//                                                thread does (no allocation once warm)
//   BM_StreamingPassReference/<entries>          not Cascade code: one read-only pass over arrays
//                                                laid out like clearing's creditor-ordered table
//                                                (4 + 1 + 8 bytes per obligation), the memory-
//                                                bandwidth yardstick of bench/README.md "Targets"
//
// <classes> is 1 (every obligation senior: Eisenberg-Noe's fictitious default algorithm) or 4
// (secured / senior / subordinated / equity mixed: Elsinger's seniority, the general rounds).
//
// Reported: items/s = obligations cleared per second; counters `rounds` (ClearingResult::
// iterations), `short_frac` (share of firms that paid less than they owed) and `obligations`.
// The network does not depend on the iteration, so each iteration repeats the same work.
#include <benchmark/benchmark.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "engine/clearing/clearing.h"

namespace cascade {
namespace {

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator whose draws are fixed by the seed
/// (the std:: distributions differ between standard libraries), so every build clears the same
/// network.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform in [0, n) (Lemire's multiply-shift; the bias is far below what matters here).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }

 private:
  std::uint64_t state_;
};

struct PaymentNetwork {
  std::vector<double> liquid_usd_bn;
  std::vector<Obligation> obligations;
};

/// A random network of `firms` firms, each owing 5 to 15 obligations (10 on average):
/// - 90% to another firm chosen uniformly, 10% to the outside world;
/// - amounts log-uniform between 0.1 and 10 (USD bn), so a few large claims dominate a firm's due;
/// - `classes` = 1: all senior; 4: 20% secured, 40% senior, 25% subordinated, 15% equity (the
///   same obligations and cash either way: only the classes differ);
/// - cash as a share of the firm's own total due: 90% of firms hold 40-150%, 10% hold 0-20%.
///   Firms receive about 90% of what they owe, so most firms can pay; the thin ones cannot, and
///   their shortfall spreads to their creditors: about 11% of firms end up short of cash.
PaymentNetwork make_network(std::uint32_t firms, int classes, std::uint64_t seed = 20260701) {
  SplitMix64 rng(seed ^ (static_cast<std::uint64_t>(firms) << 8));
  PaymentNetwork net;
  net.obligations.reserve(static_cast<std::size_t>(firms) * 10);
  std::vector<double> due_usd_bn(firms, 0.0);
  const double log_lo = std::log(0.1), log_hi = std::log(10.0);
  for (FirmIdx debtor = 0; debtor < firms; ++debtor) {
    const std::uint32_t count = 5 + rng.below(11);
    for (std::uint32_t k = 0; k < count; ++k) {
      Obligation ob;
      ob.debtor = debtor;
      if (rng.uniform() < 0.9) {
        ob.creditor = rng.below(firms - 1);
        if (ob.creditor >= debtor) ++ob.creditor;  // anyone but itself
      }
      ob.amount_usd_bn = std::exp(rng.uniform(log_lo, log_hi));
      const double u = rng.uniform();  // drawn in both cases, so the networks match
      if (classes == 4)
        ob.seniority = u < 0.20 ? Seniority::secured
                     : u < 0.60 ? Seniority::senior
                     : u < 0.85 ? Seniority::subordinated
                                : Seniority::equity;
      due_usd_bn[debtor] += ob.amount_usd_bn;
      net.obligations.push_back(ob);
    }
  }
  net.liquid_usd_bn.resize(firms);
  for (FirmIdx i = 0; i < firms; ++i) {
    const double share = rng.uniform() < 0.9 ? rng.uniform(0.4, 1.5) : rng.uniform(0.0, 0.2);
    net.liquid_usd_bn[i] = share * due_usd_bn[i];
  }
  return net;
}

void report(benchmark::State& state, const PaymentNetwork& net, const ClearingResult& result) {
  if (!result.converged) state.SkipWithError("clearing did not converge");
  const double short_firms = std::accumulate(result.short_of_cash.begin(), result.short_of_cash.end(), 0.0);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(net.obligations.size()));
  state.counters["rounds"] = result.iterations;
  state.counters["short_frac"] = short_firms / static_cast<double>(net.liquid_usd_bn.size());
  state.counters["obligations"] = static_cast<double>(net.obligations.size());
}

/// The allocating overload: workspace and result are built and freed by every call.
void BM_ClearPayments(benchmark::State& state) {
  const PaymentNetwork net = make_network(static_cast<std::uint32_t>(state.range(0)), static_cast<int>(state.range(1)));
  const ClearingInput input{.liquid_usd_bn = net.liquid_usd_bn, .obligations = net.obligations};
  for (auto _ : state) {
    ClearingResult result = clear_payments(input);
    benchmark::DoNotOptimize(result.paid_usd_bn.data());
  }
  report(state, net, clear_payments(input));  // the same answer every time; counters only
}

/// The workspace overload, warm: scratch and result vectors are reused, as in the tick loop.
void BM_ClearPaymentsWorkspace(benchmark::State& state) {
  const PaymentNetwork net = make_network(static_cast<std::uint32_t>(state.range(0)), static_cast<int>(state.range(1)));
  const ClearingInput input{.liquid_usd_bn = net.liquid_usd_bn, .obligations = net.obligations};
  ClearingWorkspace workspace;
  ClearingResult result;
  clear_payments(input, workspace, result);  // warm-up: sizes the workspace and result
  for (auto _ : state) {
    clear_payments(input, workspace, result);
    benchmark::DoNotOptimize(result.paid_usd_bn.data());
    benchmark::ClobberMemory();
  }
  report(state, net, result);
}

/// Firms 10^3, 10^4, 10^5 x classes 1, 4. The default minimum time (0.5 s) already gives
/// several iterations of the largest network (about 0.1-0.2 s a call); no MinTime is set here
/// so that --benchmark_min_time on the command line applies.
void network_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"firms", "classes"});
  for (std::int64_t firms : {1'000, 10'000, 100'000})
    for (std::int64_t classes : {1, 4}) b->Args({firms, classes});
  b->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_ClearPayments)->Apply(network_sizes);
BENCHMARK(BM_ClearPaymentsWorkspace)->Apply(network_sizes);

/// The yardstick: one streaming pass over `entries` obligations stored as clearing stores its
/// creditor-ordered table (debtor index u32, class u8, share f64: 13 bytes each), with no
/// gathers, so the loop runs at memory (or cache) speed. Reported: items/s = entries per second, bytes/s = bytes read per second.
/// 10^5 and 10^6 entries are the tables of the 10^4- and 10^5-firm networks above (1.3 and 13
/// MB: cache-resident on most machines); 10^7 entries (130 MB) measure main memory.
void BM_StreamingPassReference(benchmark::State& state) {
  const auto entries = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> debtor(entries);
  std::vector<std::uint8_t> seniority(entries);
  std::vector<double> share(entries);
  SplitMix64 rng(7);
  for (std::size_t e = 0; e < entries; ++e) {
    debtor[e] = static_cast<std::uint32_t>(rng.next());
    seniority[e] = static_cast<std::uint8_t>(e & 3u);
    share[e] = rng.uniform();
  }
  for (auto _ : state) {
    // Integer sums (the doubles by their bits) vectorise freely, so the loop is limited by how
    // fast the three arrays arrive, not by floating-point add latency.
    std::uint64_t sum_debtor = 0, sum_seniority = 0, sum_share_bits = 0;
    for (std::size_t e = 0; e < entries; ++e) {
      sum_debtor += debtor[e];
      sum_seniority += seniority[e];
      sum_share_bits += std::bit_cast<std::uint64_t>(share[e]);
    }
    benchmark::DoNotOptimize(sum_debtor + sum_seniority + sum_share_bits);
  }
  constexpr std::int64_t kBytesPerEntry = sizeof(std::uint32_t) + sizeof(std::uint8_t) + sizeof(double);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(entries) * kBytesPerEntry);
}
BENCHMARK(BM_StreamingPassReference)
    ->ArgName("entries")
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cascade
