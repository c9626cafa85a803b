// The network phase of `cascade clear`: make_interbank_network (engine/contagion/interbank_network.h)
// on the reader's form of the network `cascade generate --kind erdos-renyi --nodes N
// --mean-degree 10 --seed 1` writes. Part of cascade_clear_bench, whose main() sets `cascade
// clear`'s memory policy first, as the command does.
//
//   BM_MakeInterbankNetwork/nodes:N/order:O/threads:T
//       the rows checked and both sorted forms built on T threads, from rows in
//       O = 0: strictly ascending (debtor, creditor) order, as the generator writes them (taken
//              as the debtor-ordered form as they are);
//       O = 1: the same rows with each debtor's rows reversed (debtor order, not ascending: merged
//              one row at a time, as any file not in ascending order is)
//
// Reported: items/s = edge rows per second; wall-clock times. Each iteration starts from a fresh
// copy of the rows (made with the timer paused), since the build consumes them.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "engine/contagion/interbank_network.h"
#include "engine/generate/network_generator.h"

namespace cascade {
namespace {

/// The generated network of `nodes` institutions in the reader's form, its rows in the given
/// order (0: as generated, strictly ascending; 1: each debtor's rows reversed), built once.
const IndexedPlainNetwork& rows(std::uint32_t nodes, int order) {
  static std::map<std::pair<std::uint32_t, int>, IndexedPlainNetwork> cache;
  auto [it, added] = cache.try_emplace({nodes, order});
  if (added) {
    it->second =
        generate::generate_network({.kind = generate::NetworkKind::erdos_renyi, .nodes = nodes, .mean_degree = 10});
    std::vector<IndexedPlainNetwork::Edge>& edges = it->second.edges;
    if (order == 1)
      for (auto first = edges.begin(); first != edges.end();) {
        const auto last = std::find_if(first, edges.end(), [&](const auto& e) { return e.debtor != first->debtor; });
        std::reverse(first, last);
        first = last;
      }
  }
  return it->second;
}

void BM_MakeInterbankNetwork(benchmark::State& state) {
  const IndexedPlainNetwork& plain = rows(static_cast<std::uint32_t>(state.range(0)), static_cast<int>(state.range(1)));
  const int threads = static_cast<int>(state.range(2));
  for (auto _ : state) {
    state.PauseTiming();
    IndexedPlainNetwork copy = plain;
    state.ResumeTiming();
    Diagnostics diags;
    const contagion::InterbankNetwork net = contagion::make_interbank_network(std::move(copy), diags, threads);
    if (diags.has_errors()) state.SkipWithError("the generated network was refused");
    benchmark::DoNotOptimize(net.held_amount.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(plain.edges.size()));
}
BENCHMARK(BM_MakeInterbankNetwork)
    ->ArgNames({"nodes", "order", "threads"})
    ->ArgsProduct({{1'000, 10'000, 100'000, 1'000'000}, {0, 1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cascade
