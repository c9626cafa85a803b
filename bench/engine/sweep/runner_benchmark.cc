// The sweep runner's cost over bare runs (engine/sweep/runner.h), and its throughput on 1 and 2
// threads.
//
//   BM_SweepBaselineReplications/threads:T   a sweep of 512 replications of the AI-2026 baseline
//                                            through run_pending_chunks: run plans, seeds, the
//                                            model cache, metrics, result rows, journal appends
//                                            and fsyncs, on T threads. Compare with
//                                            BM_BaselineRunPrebuiltNetwork/threads:1 (bare runs,
//                                            bench/engine/sim/simulation_benchmark.cc): the
//                                            difference per run is the runner's overhead.
//   BM_SweepTinyPoints/threads:T             a Monte Carlo sweep of 4,096 distinct points of a
//                                            three-firm network (bench/sweeps/tiny.yaml): every
//                                            run instantiates its point's scenario, so this is
//                                            the runner with per-point models on short runs.
//   BM_WriteSweepResults                     results.csv, aggregate.csv, failures.csv and
//                                            results.sqlite from a journal of 65,536 runs (rows
//                                            per second: what finishing or merging costs).
//
// items/s = runs (or rows) per second, wall clock. Each iteration starts from an empty journal
// in a temporary directory.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "agents/firm_types.h"
#include "engine/sweep/results_table.h"
#include "engine/sweep/runner.h"
#include "scenarios/loader/loader.h"
#include "scenarios/loader/sweep_models.h"
#include "scenarios/loader/sweep_reader.h"

namespace cascade::sweep {
namespace {

namespace fs = std::filesystem;

/// A fresh directory under the temporary directory, removed at the end of the benchmark.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("cascade-bench-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// The same model for every point: a sweep of replications only.
class FixedModel final : public PointModels {
 public:
  explicit FixedModel(Model m) : model_(std::move(m)) {}
  Model model(const RunPlan&) const override { return model_; }

 private:
  Model model_;
};

void BM_SweepBaselineReplications(benchmark::State& state) {
  constexpr std::uint32_t kRuns = 512;
  const FixedModel models(scenario::load_file(CASCADE_SOURCE_DIR "/scenarios/ai-2026/baseline.yaml"));
  SweepSpec spec;
  spec.name = "baseline-replications";
  spec.replications = kRuns;
  spec.seed = 7;
  const SweepPlan plan(spec);
  const Model base = models.model({});
  const MetricSet metrics = MetricSet::expand(default_outputs(), base);
  const ScratchDir dir("replications");
  for (auto _ : state) {
    fs::remove(dir.path() / "journal.cj");
    Journal journal = Journal::open(dir.path() / "journal.cj");
    const LocalRunOutcome o = run_pending_chunks(plan, metrics, models, agents::standard_behaviours(), journal,
                                                 {.threads = static_cast<int>(state.range(0))});
    benchmark::DoNotOptimize(o.runs);
  }
  state.SetItemsProcessed(state.iterations() * kRuns);
}

void BM_SweepTinyPoints(benchmark::State& state) {
  const SweepSpec spec = scenario::load_sweep(CASCADE_SOURCE_DIR "/bench/sweeps/tiny-points.yaml");
  const scenario::SweepModels models(spec);
  const SweepPlan plan(spec);
  const MetricSet metrics = MetricSet::expand(spec.outputs, models.base());
  const ScratchDir dir("tiny");
  for (auto _ : state) {
    fs::remove(dir.path() / "journal.cj");
    Journal journal = Journal::open(dir.path() / "journal.cj");
    const LocalRunOutcome o = run_pending_chunks(plan, metrics, models, agents::standard_behaviours(), journal,
                                                 {.threads = static_cast<int>(state.range(0))});
    benchmark::DoNotOptimize(o.runs);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(plan.run_count()));
}

void BM_WriteSweepResults(benchmark::State& state) {
  SweepSpec spec;
  spec.name = "rows";
  spec.parameters.push_back({.path = "x", .distribution = {.kind = DistributionKind::uniform, .min = 0, .max = 1}});
  spec.design = {.method = DesignMethod::monte_carlo, .samples = 65'536, .seed = 3};
  const SweepPlan plan(spec);
  const std::vector<MetricSet::Column> outputs{{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}};
  const ScratchDir dir("rows");
  {
    Journal journal = Journal::open(dir.path() / "journal.cj");
    for (std::uint64_t c = 0; c < plan.chunk_count(); ++c) {
      std::string payload;
      for (std::uint64_t r = plan.chunk_begin(c); r < plan.chunk_end(c); ++r) {
        const RunPlan run = plan.run(r);
        const std::vector<double> row{run.values[0], run.values[0] * 2, 3.0, static_cast<double>(r % 7)};
        append_run_row(payload, run, row);
      }
      journal.append({c, plan.chunk_begin(c), plan.chunk_end(c)}, payload);
    }
  }
  const Journal journal = Journal::open_read_only(dir.path() / "journal.cj");
  const Journal* journals[] = {&journal};
  for (auto _ : state) write_sweep_results(plan, outputs, journals, {.version = "bench", .name = "rows"}, dir.path());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(plan.run_count()));
}

BENCHMARK(BM_SweepBaselineReplications)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SweepTinyPoints)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_WriteSweepResults)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace cascade::sweep
