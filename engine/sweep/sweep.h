// A sweep: a scenario (optional), parameters with distributions, a design, replications and
// the outputs to record; and the pure list of run plans it expands to.
//
//   SweepSpec spec = scenario::load_sweep("scenarios/sweeps/fire-sale-sobol.yaml");  // loader
//   const SweepPlan plan(spec);
//   RunPlan r = plan.run(17);   // point, replicate, seed and every parameter's value of run 17
//
// A run plan is a pure function of the sweep file and the run id: any subset of runs can be
// computed anywhere (another thread, MPI rank or Slurm shard) and give the same result. Runs are
// numbered point-major: run_id = point * replications + replicate. Runs are grouped into chunks
// of consecutive run ids, the unit of work, of journalling and of resumption; the chunk size
// depends only on the sweep (never on threads or ranks), so a sweep resumed with other
// resources continues the same chunks.
//
// Seeds: run r's seed is a Philox draw keyed by the sweep seed with the counter (point,
// replicate): independent of where or when it runs. Seeds are below 2^53 so that every tool
// (R, spreadsheets, SQLite, pandas) reads them exactly.
//
// Thread safety: SweepSpec is a value; SweepPlan is immutable and safe to share.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/sweep/design.h"
#include "engine/sweep/distribution.h"

namespace cascade::sweep {

struct SweepParameter {
  std::string path;  ///< a `--set` path ("parameters.fire_sale_price_impact"), or any name without a scenario
  Distribution distribution;
  /// grid: levels of a continuous parameter (>= 1); discrete parameters use their values.
  std::uint32_t grid_levels = 0;
  SourceLocation where;
};

/// A value set at every point (`set:` in the sweep file), like `--set path=value`.
struct FixedValue {
  std::string path;
  std::string value;
  SourceLocation where;
};

enum class FailurePolicy : std::uint8_t {
  continue_running,  ///< record the failed run (error and seed) and go on
  stop,              ///< record it and stop the sweep (resumable once the cause is fixed)
};

struct SweepSpec {
  std::string name;                              ///< for messages; default: the file's stem
  std::optional<std::filesystem::path> scenario;  ///< resolved against the sweep file's folder
  std::string scenario_text;                     ///< as written in the sweep file ("" without one)
  std::vector<FixedValue> fixed;                 ///< applied to every point, before the parameters
  std::vector<SweepParameter> parameters;        ///< at least one unless replications > 1
  DesignSpec design;
  std::uint32_t replications = 1;  ///< runs per point, >= 1
  std::uint64_t seed = 0;          ///< run seeds derive from it (default: design.seed)
  /// Output metric names as written (engine/sweep/metrics.h expands groups into columns).
  std::vector<std::string> outputs;
  std::vector<SourceLocation> output_locations;  ///< where each output is written (same order)
  FailurePolicy on_failure = FailurePolicy::continue_running;
  std::string file;          ///< the sweep file as given
  std::string content_hash;  ///< SHA-256 of the sweep file's bytes (hex)
};

/// One run: where it sits in the design and everything it needs to be repeated.
struct RunPlan {
  std::uint64_t run_id = 0;
  std::uint64_t point = 0;
  std::uint32_t replicate = 0;
  std::uint64_t seed = 0;
  /// Per parameter: the text that `--set` receives (a number in shortest round-trip form, or
  /// a discrete value as written) and its numeric value (NaN for a non-numeric discrete value).
  std::vector<std::string> value_texts;
  std::vector<double> values;
};

/// Runs per chunk for a sweep of `run_count` runs: about 64k chunks for large sweeps, at most
/// 1024 runs each, at least 1.
std::uint64_t chunk_runs_for(std::uint64_t run_count);

/// The seed of (point, replicate) under `sweep_seed`: below 2^53.
std::uint64_t derive_run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint32_t replicate);

class SweepPlan {
 public:
  /// Builds the design; throws std::invalid_argument when the spec cannot be expanded (the
  /// sweep reader reports such problems with their location first).
  explicit SweepPlan(SweepSpec spec);

  const SweepSpec& spec() const { return spec_; }
  const Design& design() const { return design_; }
  std::uint64_t point_count() const { return design_.point_count(); }
  std::uint64_t run_count() const { return run_count_; }

  /// The plan of run `run_id` (< run_count()).
  RunPlan run(std::uint64_t run_id) const;
  /// Parameter values at design point `point` (fills value_texts and values of `out`).
  void point_values(std::uint64_t point, RunPlan& out) const;

  std::uint64_t chunk_runs() const { return chunk_runs_; }
  std::uint64_t chunk_count() const { return (run_count_ + chunk_runs_ - 1) / chunk_runs_; }
  std::uint64_t chunk_begin(std::uint64_t chunk) const { return chunk * chunk_runs_; }
  std::uint64_t chunk_end(std::uint64_t chunk) const;

 private:
  SweepSpec spec_;
  Design design_;
  std::uint64_t run_count_ = 0;
  std::uint64_t chunk_runs_ = 1;
};

/// A shard of a sweep: chunks [first, last) of `count` contiguous blocks (Slurm array tasks).
struct Shard {
  std::uint32_t index = 0;  ///< 0-based
  std::uint32_t count = 1;
};
/// The chunks shard `shard` runs: [first, last).
std::pair<std::uint64_t, std::uint64_t> shard_chunks(std::uint64_t chunk_count, Shard shard);

}  // namespace cascade::sweep
