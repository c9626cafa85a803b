// The reading phase of `cascade clear`: read_indexed_plain_network (engine/network/plain_network.h)
// on the files `cascade generate --kind erdos-renyi --nodes N --mean-degree 10 --seed 1` writes
// (written here once per size into a scratch directory, removed at exit). Part of
// cascade_clear_bench, whose main() sets `cascade clear`'s memory policy first, as the command
// does before reading.
//
//   BM_ReadPlainNetwork/nodes:N/threads:T
//       nodes.csv, edges.csv and shock.csv read and checked into an IndexedPlainNetwork on T
//       threads (edges.csv in two parts at once when T > 1 and it is 4 MiB or more)
//
// Reported: items/s = edge rows per second; counters bytes (of the three files) and MB/s;
// wall-clock times.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "engine/generate/network_generator.h"
#include "engine/network/plain_network.h"

namespace cascade {
namespace {

/// Scratch directories of generated networks, one per size, removed when the program ends.
class GeneratedFiles {
 public:
  ~GeneratedFiles() {
    std::error_code ec;
    for (const auto& [nodes, dir] : dirs_) std::filesystem::remove_all(dir, ec);
  }
  /// The directory holding the network of `nodes` institutions, written on first use.
  const std::filesystem::path& dir(std::uint32_t nodes) {
    auto [it, added] = dirs_.try_emplace(nodes);
    if (added) {
      it->second = std::filesystem::temp_directory_path() /
                   ("cascade_bench_plain_" + std::to_string(nodes) + "_" + std::to_string(::getpid()));
      std::string error;
      const IndexedPlainNetwork net =
          generate::generate_network({.kind = generate::NetworkKind::erdos_renyi, .nodes = nodes, .mean_degree = 10});
      if (!generate::write_plain_network(net, it->second, error)) throw std::runtime_error(error);
    }
    return it->second;
  }

 private:
  std::map<std::uint32_t, std::filesystem::path> dirs_;
};

void BM_ReadPlainNetwork(benchmark::State& state) {
  static GeneratedFiles files;
  const std::filesystem::path& dir = files.dir(static_cast<std::uint32_t>(state.range(0)));
  const int threads = static_cast<int>(state.range(1));
  double bytes = 0.0;
  for (const char* name : {"nodes.csv", "edges.csv", "shock.csv"})
    bytes += static_cast<double>(std::filesystem::file_size(dir / name));
  std::size_t rows = 0;
  for (auto _ : state) {
    Diagnostics diags;
    const IndexedPlainNetwork net =
        read_indexed_plain_network(dir, diags, InputLimits::for_plain_networks(), threads);
    if (diags.has_errors()) state.SkipWithError("the generated files did not read without errors");
    rows = net.edges.size();
    benchmark::DoNotOptimize(net.edges.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows));
  state.counters["bytes"] = bytes;
  state.counters["MB/s"] =
      benchmark::Counter(bytes * 1e-6 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReadPlainNetwork)
    ->ArgNames({"nodes", "threads"})
    ->ArgsProduct({{1'000, 10'000, 100'000, 1'000'000}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cascade
