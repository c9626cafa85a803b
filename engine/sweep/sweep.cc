#include "engine/sweep/sweep.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/core/rng.h"
#include "engine/output/text_format.h"

namespace cascade::sweep {
namespace {

/// Chunks a large sweep is cut into: enough to spread over many ranks and threads, few
/// enough that the journal's index stays small.
constexpr std::uint64_t kTargetChunks = 65'536;
constexpr std::uint64_t kMaxChunkRuns = 1'024;
constexpr std::uint32_t kRunSeedPurpose = 0x5EED'0001u;

std::uint64_t checked_run_count(std::uint64_t points, std::uint32_t replications) {
  if (replications == 0) throw std::invalid_argument("replications must be at least 1");
  if (points > std::numeric_limits<std::uint64_t>::max() / 2 / replications)
    throw std::invalid_argument("the sweep has more than 2^63 runs");
  return points * replications;
}

Design make_design(const SweepSpec& spec) {
  DesignSpec design = spec.design;
  if (design.method == DesignMethod::grid) {
    design.levels.clear();
    for (const SweepParameter& p : spec.parameters)
      design.levels.push_back(p.distribution.is_discrete() ? static_cast<std::uint32_t>(p.distribution.values.size())
                                                           : std::max<std::uint32_t>(1, p.grid_levels));
  }
  // A sweep of replications only (no parameters) has one point.
  if (spec.parameters.empty()) return Design({.method = DesignMethod::grid, .levels = {1}}, 1);
  return Design(std::move(design), spec.parameters.size());
}

}  // namespace

std::uint64_t chunk_runs_for(std::uint64_t run_count) {
  return std::clamp<std::uint64_t>((run_count + kTargetChunks - 1) / kTargetChunks, 1, kMaxChunkRuns);
}

std::uint64_t derive_run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint32_t replicate) {
  const auto block = philox4x32({static_cast<std::uint32_t>(point), static_cast<std::uint32_t>(point >> 32),
                                 replicate, kRunSeedPurpose},
                                {static_cast<std::uint32_t>(sweep_seed), static_cast<std::uint32_t>(sweep_seed >> 32)});
  const std::uint64_t bits = (static_cast<std::uint64_t>(block[0]) << 32) | block[1];
  return bits & ((std::uint64_t{1} << 53) - 1);
}

SweepPlan::SweepPlan(SweepSpec spec)
    : spec_(std::move(spec)),
      design_(make_design(spec_)),
      run_count_(checked_run_count(design_.point_count(), spec_.replications)),
      chunk_runs_(chunk_runs_for(run_count_)) {}

std::uint64_t SweepPlan::chunk_end(std::uint64_t chunk) const {
  return std::min(run_count_, (chunk + 1) * chunk_runs_);
}

void SweepPlan::point_values(std::uint64_t point, RunPlan& out) const {
  const std::size_t k = spec_.parameters.size();
  out.value_texts.resize(k);
  out.values.resize(k);
  if (k == 0) return;
  std::vector<double> u(design_.dims());
  design_.point(point, u);
  for (std::size_t i = 0; i < k; ++i) {
    const Distribution& d = spec_.parameters[i].distribution;
    if (d.is_discrete()) {
      const std::string& text = d.values[d.value_index(u[i])];
      out.value_texts[i] = text;
      double number = std::numeric_limits<double>::quiet_NaN();
      const char* end = text.data() + text.size();
      if (auto [ptr, ec] = std::from_chars(text.data(), end, number); ec != std::errc{} || ptr != end)
        number = std::numeric_limits<double>::quiet_NaN();
      out.values[i] = number;
    } else {
      out.values[i] = d.quantile(u[i]);
      out.value_texts[i] = output::format_number(out.values[i]);
    }
  }
}

RunPlan SweepPlan::run(std::uint64_t run_id) const {
  if (run_id >= run_count_) throw std::out_of_range("run id beyond the sweep");
  RunPlan r;
  r.run_id = run_id;
  r.point = run_id / spec_.replications;
  r.replicate = static_cast<std::uint32_t>(run_id % spec_.replications);
  r.seed = derive_run_seed(spec_.seed, r.point, r.replicate);
  point_values(r.point, r);
  return r;
}

std::pair<std::uint64_t, std::uint64_t> shard_chunks(std::uint64_t chunk_count, Shard shard) {
  if (shard.count == 0 || shard.index >= shard.count) throw std::invalid_argument("shard index out of range");
  // Blocks as even as possible: the first (chunk_count % count) shards take one chunk more.
  const std::uint64_t base = chunk_count / shard.count, extra = chunk_count % shard.count;
  const std::uint64_t first = shard.index * base + std::min<std::uint64_t>(shard.index, extra);
  return {first, first + base + (shard.index < extra ? 1 : 0)};
}

}  // namespace cascade::sweep
