#include "engine/sweep/runner.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/core/parallel_for.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/simulation.h"
#include "engine/sweep/results_table.h"

namespace cascade::sweep {
namespace {

std::string describe_failure(const RunPlan& run, std::string_view what) {
  return "run " + std::to_string(run.run_id) + " (point " + std::to_string(run.point) + ", seed " +
         std::to_string(run.seed) + "): " + std::string(what);
}

}  // namespace

ChunkResult run_chunk(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models,
                      const Behaviours& behaviours, std::uint64_t chunk, PointCache& cache) {
  ChunkResult out;
  std::vector<double> row(metrics.columns().size());
  for (std::uint64_t run_id = plan.chunk_begin(chunk); run_id < plan.chunk_end(chunk); ++run_id) {
    const RunPlan run = plan.run(run_id);
    ++out.runs;
    try {
      // Replicates of a point are consecutive runs: their model and network are built once.
      if (cache.point != run.point) {
        cache.point.reset();
        cache.network.reset();
        cache.model.emplace(models.model(run));
        cache.network.emplace(*cache.model);
        cache.point = run.point;
      }
      const SimResult result = run_simulation(*cache.model, *cache.network,
                                              RunOptions{.seed = run.seed, .replication = 0, .threads = 1}, behaviours);
      metrics.evaluate(*cache.model, result, row);
      append_run_row(out.payload, run, row);
    } catch (const ScenarioError& e) {
      ++out.failed;
      // Files are named relative to the sweep file, so that the text (in failures.csv and
      // results.sqlite) is the same however the sweep file's path was spelt.
      const std::filesystem::path sweep_dir = std::filesystem::path(plan.spec().file).parent_path();
      std::string what;
      const char* separator = "";
      for (Diagnostic d : e.diagnostics()) {
        if (d.severity != Severity::error) continue;
        if (const std::filesystem::path relative =
                std::filesystem::path(d.where.file.str()).lexically_relative(sweep_dir);
            !relative.empty())
          d.where.file = relative.string();
        what += separator + d.format();
        separator = "; ";
      }
      append_failed_row(out.payload, run, row.size(), what);
      if (!out.first_error) out.first_error = describe_failure(run, what);
    } catch (const std::exception& e) {
      ++out.failed;
      append_failed_row(out.payload, run, row.size(), e.what());
      if (!out.first_error) out.first_error = describe_failure(run, e.what());
    }
  }
  return out;
}

std::vector<std::uint64_t> pending_chunks(const SweepPlan& plan, const Journal& journal, Shard shard) {
  const auto [first, last] = shard_chunks(plan.chunk_count(), shard);
  std::vector<std::uint64_t> out;
  for (std::uint64_t c = first; c < last; ++c)
    if (!journal.has(c)) out.push_back(c);
  return out;
}

LocalRunOutcome run_pending_chunks(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models,
                                   const Behaviours& behaviours, Journal& journal, const LocalRunOptions& options) {
  CASCADE_ASSERT(options.threads >= 1, "thread count below 1");
  const std::vector<std::uint64_t> chunks = pending_chunks(plan, journal, options.shard);
  LocalRunOutcome outcome;
  std::mutex mutex;  // guards outcome and the sync clock
  std::atomic<bool> stop_on_failure{false};
  auto last_sync = std::chrono::steady_clock::now();
  const auto stopping = [&] {
    return stop_on_failure.load() || (options.stop_requested && options.stop_requested->load());
  };

  tbb::enumerable_thread_specific<PointCache> caches;
  tbb::task_arena arena(options.threads);
  parallel_for_index(arena, chunks.size(), 1, [&](std::size_t i) {
    if (stopping()) return;
    const std::uint64_t chunk = chunks[i];
    ChunkResult result = run_chunk(plan, metrics, models, behaviours, chunk, caches.local());
    const bool journaled = journals_chunk(plan.spec(), result.failed);
    if (journaled)
      journal.append({.chunk = chunk, .run_begin = plan.chunk_begin(chunk), .run_end = plan.chunk_end(chunk)},
                     result.payload);
    if (options.progress && journaled) {
      options.progress->runs_done += result.runs;
      options.progress->runs_failed += result.failed;
    }
    std::lock_guard lock(mutex);
    ++outcome.chunks_run;
    outcome.runs += result.runs;
    outcome.failed += result.failed;
    if (result.first_error && !outcome.first_error) outcome.first_error = result.first_error;
    if (!journaled) stop_on_failure = true;
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_sync).count() >= options.sync_interval_seconds) {
      journal.sync();
      last_sync = now;
    }
  });
  journal.sync();
  outcome.stopped_on_failure = stop_on_failure.load();
  outcome.interrupted = !outcome.stopped_on_failure && outcome.chunks_run < chunks.size();
  return outcome;
}

}  // namespace cascade::sweep
