// Runs a sweep's chunks: one chunk on the calling thread (`run_chunk`, the unit every
// scheduler shares), or every pending chunk of a shard on oneTBB (`run_pending_chunks`).
//
//   RunnerProgress progress;
//   LocalRunOutcome o = run_pending_chunks(plan, metrics, models, behaviours, journal,
//                                          {.threads = 2, .progress = &progress});
//
// A chunk's payload (its result rows) is a pure function of the sweep and the chunk index: each
// run uses the seed and values of its RunPlan and one thread, so the rows are the same on any
// thread, rank or shard, in any order of completion. Finished chunks go to the journal at once;
// a chunk is never half recorded.
//
// Thread safety: run_chunk may run concurrently for different chunks; PointModels::model must
// be thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/model/model.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/behaviour.h"
#include "engine/sweep/journal.h"
#include "engine/sweep/metrics.h"
#include "engine/sweep/sweep.h"

namespace cascade::sweep {

/// The model of a design point (the loader instantiates the scenario with the point's values).
class PointModels {
 public:
  virtual ~PointModels() = default;
  /// The model of `plan`'s point. Thread-safe. Throws ScenarioError for a point the scenario
  /// refuses (validation runs every point before a sweep starts, so a run never sees one).
  virtual Model model(const RunPlan& plan) const = 0;
};

/// The model and network of the last design point a worker built, reused while it runs that
/// point's replicates (one per worker thread; not shared).
struct PointCache {
  std::optional<std::uint64_t> point;
  std::optional<Model> model;
  std::optional<ExposureNetwork> network;
};

struct ChunkResult {
  std::string payload;  ///< the journal payload: one results row per run (results_table.h)
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  std::optional<std::string> first_error;  ///< "run 17 (point 5, seed 12345): <what>"
};

/// Runs the runs of `chunk` in run order on the calling thread, building a point's model only
/// when `cache` does not hold it already.
ChunkResult run_chunk(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models,
                      const Behaviours& behaviours, std::uint64_t chunk, PointCache& cache);

/// Counters a progress display may read while the sweep runs.
struct RunnerProgress {
  std::atomic<std::uint64_t> runs_done{0};
  std::atomic<std::uint64_t> runs_failed{0};
};

struct LocalRunOptions {
  int threads = 1;
  Shard shard;
  /// Set (e.g. by a SIGINT handler) to stop starting chunks; running chunks finish and are recorded.
  const std::atomic<bool>* stop_requested = nullptr;
  RunnerProgress* progress = nullptr;
  /// Journal fsync interval: finished chunks reach stable storage at least this often.
  double sync_interval_seconds = 2.0;
};

struct LocalRunOutcome {
  std::uint64_t chunks_run = 0;
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  bool interrupted = false;        ///< stop_requested was set before every chunk was run
  bool stopped_on_failure = false;  ///< on_failure: stop, and a run failed
  std::optional<std::string> first_error;
};

/// Whether a finished chunk with `failed` failed runs is journaled (done). Under `on_failure:
/// stop` one with a failed run is not: the sweep stops, and the same command runs it again once
/// the cause is fixed (docs/sweeps.md, "Failed runs").
inline bool journals_chunk(const SweepSpec& spec, std::uint64_t failed) {
  return failed == 0 || spec.on_failure != FailurePolicy::stop;
}

/// The chunks of `shard` that `journal` does not hold yet, in order.
std::vector<std::uint64_t> pending_chunks(const SweepPlan& plan, const Journal& journal, Shard shard);

/// Runs every pending chunk of the shard on `options.threads` threads, appending each to the
/// journal as it finishes (journals_chunk). Throws JournalError when the journal cannot be written.
LocalRunOutcome run_pending_chunks(const SweepPlan& plan, const MetricSet& metrics, const PointModels& models,
                                   const Behaviours& behaviours, Journal& journal, const LocalRunOptions& options);

}  // namespace cascade::sweep
