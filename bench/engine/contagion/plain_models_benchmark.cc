// The algorithm time of `cascade clear` and one pass over the liabilities against the
// memory-bandwidth bound, on the networks `cascade generate --kind erdos-renyi --nodes N
// --mean-degree 10 --seed 1` writes (built here in memory by the same generator: the same
// numbers as reading those files back). An executable of its own, cascade_clear_bench, whose
// main() sets `cascade clear`'s memory policy first (keep_freed_memory_for_reuse), its heap reserve
// included: in the command the algorithm's buffers come from pages its reading phase freed, in a
// heap advised for huge pages, so a run here reuses the pages the run before freed, on huge
// pages as there. glibc's default policy would hand each 10^6-node run tens of megabytes of
// fresh pages to fault in and zero (at 10^6 nodes that made DebtRank measure 1.6 times slower
// on 2 threads and 1.9 times on 1), and without the reserve the buffers the benchmarks allocate
// themselves (BM_ClaimsPass's rates) sat on 4 KiB pages, which made the pass measure 1.3 times
// slower at 10^6 nodes than on the command's memory (bench/RESULTS.md).
//
//   BM_PlainModel/model:M/nodes:N/threads:T
//       one run_plain_model (engine/contagion/plain_models.h) on the network: what the scipy
//       peer's algorithm_seconds measures (bench/peers/scipy_clearing.py); M = 0 eisenberg-noe
//       (automatic method), 1 debtrank (linear)
//   BM_ClaimsPass/nodes:N/threads:T
//       InterbankNetwork::claims_value for every node, the nodes in T ranges on T threads (as
//       the final pass of clear_interbank and a pull step of linear DebtRank split them): what
//       one full fixed-point iteration must read (the creditor-ordered liabilities, 4 + 8 bytes
//       per pair, the offsets, the rates); counter bytes = that many bytes
//   BM_StreamRead/nodes:N/threads:T
//       not Cascade code: a read-only sum over as many bytes as BM_ClaimsPass reads for the
//       same N, in T ranges on T threads: the bandwidth yardstick for as many threads
//
// Reported: items/s = liabilities (pairs) per second; counters iterations, defaults, pairs,
// bytes, GB/s; wall-clock times. The factor to the bound is BM_ClaimsPass time / BM_StreamRead
// time at the same T.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <numeric>
#include <vector>

#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"
#include "engine/core/huge_pages.h"
#include "engine/core/parallel_for.h"
#include "engine/generate/network_generator.h"

namespace cascade {
namespace {

using contagion::InterbankNetwork;

/// The generated network of `nodes` institutions, built once per size.
const InterbankNetwork& network(std::uint32_t nodes) {
  static std::map<std::uint32_t, std::unique_ptr<InterbankNetwork>> cache;
  auto& slot = cache[nodes];
  if (!slot) {
    Diagnostics diags;
    slot = std::make_unique<InterbankNetwork>(contagion::make_interbank_network(
        generate::generate_network({.kind = generate::NetworkKind::erdos_renyi, .nodes = nodes, .mean_degree = 10}),
        diags));
  }
  return *slot;
}

/// Bytes one full pass must read: per pair its debtor (4) and amount (8); per node its two
/// offsets' worth (8) and its rate (8, gathered; counted once).
double pass_bytes(const InterbankNetwork& net) {
  return 12.0 * static_cast<double>(net.pair_count()) + 16.0 * static_cast<double>(net.size());
}

void BM_PlainModel(benchmark::State& state) {
  const InterbankNetwork& net = network(static_cast<std::uint32_t>(state.range(1)));
  contagion::PlainModelOptions options;
  options.model = state.range(0) == 0 ? contagion::PlainModel::eisenberg_noe : contagion::PlainModel::debtrank;
  options.threads = static_cast<int>(state.range(2));
  contagion::PlainModelResult r;
  for (auto _ : state) {
    r = contagion::run_plain_model(net, options);
    benchmark::DoNotOptimize(r.total_loss);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(net.pair_count()));
  state.counters["iterations"] = r.iterations;
  state.counters["defaults"] = static_cast<double>(r.defaults);
  state.counters["pairs"] = static_cast<double>(net.pair_count());
}
BENCHMARK(BM_PlainModel)
    ->ArgNames({"model", "nodes", "threads"})
    ->ArgsProduct({{0, 1}, {1'000, 10'000, 100'000, 1'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond);

/// Calls body(begin, end) for `threads` contiguous ranges splitting [0, count), one per thread.
template <typename Body>
void in_ranges(tbb::task_arena& arena, std::size_t count, int threads, const Body& body) {
  const auto parts = static_cast<std::size_t>(threads);
  parallel_for_index(arena, parts, 1, [&](std::size_t p) { body(count * p / parts, count * (p + 1) / parts); });
}

void BM_ClaimsPass(benchmark::State& state) {
  const InterbankNetwork& net = network(static_cast<std::uint32_t>(state.range(0)));
  const int threads = static_cast<int>(state.range(1));
  tbb::task_arena arena(threads);
  std::vector<double> rate(net.size(), 0.9), claims(net.size());
  for (auto _ : state) {
    in_ranges(arena, net.size(), threads, [&](std::size_t begin, std::size_t end) {
      for (auto i = static_cast<contagion::NodeIdx>(begin); i < end; ++i) claims[i] = net.claims_value(i, rate);
    });
    benchmark::DoNotOptimize(claims.data());
    benchmark::ClobberMemory();
  }
  const double bytes = pass_bytes(net);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(net.pair_count()));
  state.counters["bytes"] = bytes;
  state.counters["GB/s"] =
      benchmark::Counter(bytes * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClaimsPass)
    ->ArgNames({"nodes", "threads"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_StreamRead(benchmark::State& state) {
  const InterbankNetwork& net = network(static_cast<std::uint32_t>(state.range(0)));
  const int threads = static_cast<int>(state.range(1));
  tbb::task_arena arena(threads);
  const double bytes = pass_bytes(net);
  const std::vector<double> data(static_cast<std::size_t>(bytes / sizeof(double)), 1.0);
  std::vector<double> sums(static_cast<std::size_t>(threads));
  for (auto _ : state) {
    in_ranges(arena, data.size(), threads, [&](std::size_t begin, std::size_t end) {
      // Four sums, so that the adds are not one dependency chain: the pass is bound by memory.
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      std::size_t k = begin;
      for (; k + 4 <= end; k += 4) {
        s0 += data[k];
        s1 += data[k + 1];
        s2 += data[k + 2];
        s3 += data[k + 3];
      }
      for (; k < end; ++k) s0 += data[k];
      sums[begin * sums.size() / data.size()] = s0 + s1 + s2 + s3;
    });
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(net.pair_count()));
  state.counters["bytes"] = bytes;
  state.counters["GB/s"] =
      benchmark::Counter(bytes * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StreamRead)
    ->ArgNames({"nodes", "threads"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cascade

int main(int argc, char** argv) {
  // Before any allocation, as `cascade clear` does. The command reserves three times its input
  // files (about 700 MB at 10^6 nodes, 10^7 edges); this process holds every size's network at
  // once, so it takes the largest reserve the command makes (1 GiB asked, capped below it).
  cascade::keep_freed_memory_for_reuse(std::size_t{1} << 30);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
