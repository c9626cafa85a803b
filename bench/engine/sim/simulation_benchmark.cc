// Throughput of whole simulation runs (engine/sim/simulation.h).
//
// 1. The bundled AI-2026 baseline (scenarios/ai-2026/baseline.yaml, its own horizon of 60
//    monthly ticks, no observer, audit off). The scenario is loaded once, outside the timing;
//    each iteration is one complete `run_simulation`. A sweep is many such small runs, so what
//    matters is runs per second per core (bench/README.md, "Targets").
//
//      BM_BaselineRun/threads:T                 run_simulation(model, options, behaviours): builds
//                                               the ExposureNetwork inside every run
//      BM_BaselineRunPrebuiltNetwork/threads:T  the overload taking a prebuilt ExposureNetwork,
//                                               built once outside the timing (what a sweep does)
//      BM_BaselineSweep/threads:B               B benchmark threads each running independent runs
//                                               (RunOptions::threads = 1, replication varies) on
//                                               one shared Model and ExposureNetwork: the
//                                               throughput of a sweep on B cores
//
//    T is RunOptions::threads (the per-firm phases in a TBB arena of T threads). Reported:
//    items/s = runs per second (wall clock), counters `ticks` and `defaults` of one run.
//
// 2. A synthetic network at scale: a generated Model of 10^3 or 10^4 firms with ~5 exposures
//    per firm (loans, leases, purchase commitments), type defaults as agent knobs, 12 ticks.
//    Built once outside the timing; each iteration is one run with a prebuilt network.
//
//      BM_SyntheticRun/firms:N/threads:T
//
//    Reported: items/s = exposure-ticks per second (exposures x ticks simulated per second,
//    the per-tick cost normalised by network size), `ticks/s` (counter), and the `exposures`
//    and `defaults` of one run.
//
// 3. Generated AI economies at 10^3..10^5 firms (`cascade generate --kind ai-economy`: every firm
//    type and exposure kind in the baseline's proportions, about 3 exposures per firm, every
//    channel on), loaded once outside the timing with a horizon of 12 ticks. Each iteration is
//    one run with a prebuilt network and an observer that notes the wall clock at the end of each
//    tick (the records a `cascade run` writes are built).
//
//      BM_AiEconomyTick/firms:N/threads:T
//
//    Reported: `ms/tick` = the median over ticks 2..12 of all iterations of the time between two
//    tick ends (tick 1 does the run's one-off setup), `ns/item` = that over firms + exposures
//    (flat when the tick is linear in firms plus exposures), and `exposures` and `defaults`.
//
// 4. The same economies run as `cascade run` runs them, writing timeseries.csv, system.csv,
//    defaults.csv and exposures.csv (a RunWriter as the observer; the files go to a directory in
//    the temporary directory, removed after each run, never committed): what writing the files
//    adds to the tick loop of 3.
//
//      BM_AiEconomyRunWithFiles/firms:N
//
//    Reported: `rows/s` = rows of the four files written per second of the whole run (a row per
//    firm and tick, per exposure and tick, per tick, per default).
//
// All simulation benchmarks use wall-clock time (UseRealTime): with T = 2 the work runs on
// TBB worker threads whose CPU time the benchmark thread's CPU clock would not see.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agents/firm_types.h"
#include "engine/generate/ai_economy.h"
#include "engine/model/derive.h"
#include "engine/network/exposure_network.h"
#include "engine/output/run_writer.h"
#include "engine/sim/simulation.h"
#include "scenarios/loader/loader.h"

namespace cascade {
namespace {

// ---- The AI-2026 baseline --------------------------------------------------------------

struct LoadedScenario {
  Model model;
  std::unique_ptr<ExposureNetwork> network;
  std::string error;  ///< non-empty when loading failed
};

/// Loaded on first use and shared by every benchmark (the Model is immutable after loading).
const LoadedScenario& baseline() {
  static const LoadedScenario loaded = [] {
    LoadedScenario s;
    try {
      s.model = scenario::load_file(CASCADE_SOURCE_DIR "/scenarios/ai-2026/baseline.yaml");
      s.network = std::make_unique<ExposureNetwork>(s.model);
    } catch (const std::exception& e) {
      s.error = e.what();
    }
    return s;
  }();
  return loaded;
}

void report_run(benchmark::State& state, const SimResult& last) {
  state.SetItemsProcessed(state.iterations());  // one item = one run (summed over threads)
  // Per run, not summed over the threads of BM_BaselineSweep.
  state.counters["ticks"] = benchmark::Counter(last.ticks_run, benchmark::Counter::kAvgThreads);
  state.counters["defaults"] = benchmark::Counter(static_cast<double>(last.defaults.size()), benchmark::Counter::kAvgThreads);
}

/// One run per iteration; the ExposureNetwork is rebuilt by run_simulation every time.
void BM_BaselineRun(benchmark::State& state) {
  const LoadedScenario& s = baseline();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const RunOptions options{.seed = s.model.params.seed, .threads = static_cast<int>(state.range(0))};
  const Behaviours& behaviours = agents::standard_behaviours();
  SimResult last;
  for (auto _ : state) {
    last = run_simulation(s.model, options, behaviours);
    benchmark::DoNotOptimize(last.final.equity_usd_bn);
  }
  report_run(state, last);
}

/// One run per iteration on a network built once, outside the timing.
void BM_BaselineRunPrebuiltNetwork(benchmark::State& state) {
  const LoadedScenario& s = baseline();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const RunOptions options{.seed = s.model.params.seed, .threads = static_cast<int>(state.range(0))};
  const Behaviours& behaviours = agents::standard_behaviours();
  SimResult last;
  for (auto _ : state) {
    last = run_simulation(s.model, *s.network, options, behaviours);
    benchmark::DoNotOptimize(last.final.equity_usd_bn);
  }
  report_run(state, last);
}

/// Each benchmark thread is one sweep worker: single-threaded runs, a new replication each time,
/// sharing one Model and one ExposureNetwork with the other workers.
void BM_BaselineSweep(benchmark::State& state) {
  const LoadedScenario& s = baseline();
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const Behaviours& behaviours = agents::standard_behaviours();
  RunOptions options{.seed = s.model.params.seed, .threads = 1};
  options.replication = static_cast<std::uint32_t>(state.thread_index()) << 24;
  SimResult last;
  for (auto _ : state) {
    last = run_simulation(s.model, *s.network, options, behaviours);
    benchmark::DoNotOptimize(last.final.equity_usd_bn);
    ++options.replication;
  }
  report_run(state, last);
}

BENCHMARK(BM_BaselineRun)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BaselineRunPrebuiltNetwork)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BaselineSweep)->Threads(1)->Threads(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// ---- A synthetic network at scale ------------------------------------------------------

/// SplitMix64: output fixed by the seed on every platform, unlike the std:: distributions.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  template <typename T>
  T pick(const std::vector<T>& v) { return v[below(static_cast<std::uint32_t>(v.size()))]; }

 private:
  std::uint64_t state_;
};

/// Firm-type mix of the synthetic economy, in percent.
struct TypeShare {
  FirmType type;
  int percent;
};
constexpr TypeShare kTypeMix[] = {
    {FirmType::bank, 8},        {FirmType::private_credit, 5}, {FirmType::bond_investor, 2},
    {FirmType::chipmaker, 5},   {FirmType::memory_maker, 2},   {FirmType::hyperscaler, 8},
    {FirmType::neocloud, 20},   {FirmType::ai_lab, 15},        {FirmType::spv, 5},
    {FirmType::conglomerate, 25}, {FirmType::miner, 5},
};

/// A synthetic Model of `firms` firms and 5 exposures per firm, 12 monthly ticks:
/// - 40% loans from a lender (bank, private credit, bond investor) to a non-lender: 0.2-10 bn,
///   1-7 years, bullet or linear, secured / senior / subordinated, default rate;
/// - 30% leases from a hyperscaler, neocloud, SPV or conglomerate to another non-lender: 0.5-20 bn
///   of payments over 2-8 years;
/// - 30% purchase commitments from a chipmaker or memory maker (hardware: the buyer's capex) or a
///   hyperscaler or neocloud (cloud capacity: the buyer's opex): 0.5-20 bn over 1-5 years.
/// Firm totals are set so the network part fits inside them (no derive warnings): revenue =
/// network receipts + 1-50 bn external; opex = service payments + 60-95% of external revenue;
/// capex = contracted hardware + up to 30% of external revenue; debt = network loans owed + up
/// to one year of revenue. Cash is 5-50% of a year's revenue, so thin firms run short and some
/// default within the year. Agent knobs are the type defaults (growth, volatility, funding).
Model make_synthetic_model(std::uint32_t firms, std::uint64_t seed = 20260701) {
  SplitMix64 rng(seed ^ (static_cast<std::uint64_t>(firms) << 16));
  Model m;
  m.info.name = "synthetic-" + std::to_string(firms);
  m.params.horizon_ticks = 12;
  m.params.ticks_per_year = 12;
  m.params.seed = seed;

  std::vector<FirmIdx> lenders, non_lenders, lessors, hardware_suppliers, cloud_suppliers;
  m.firms.reserve(firms);
  for (FirmIdx f = 0; f < firms; ++f) {
    // Deterministic mix: firm f's type from its position in a 100-slot cycle.
    int slot = static_cast<int>(f % 100);
    FirmType type = FirmType::conglomerate;
    for (const TypeShare& s : kTypeMix) {
      if (slot < s.percent) {
        type = s.type;
        break;
      }
      slot -= s.percent;
    }
    FirmSpec spec;
    spec.id = "f" + std::to_string(f);
    spec.name = spec.id;
    spec.type = type;
    spec.params = agents::defaults_for(type);
    m.firms.push_back(std::move(spec));
    (is_lender_type(type) ? lenders : non_lenders).push_back(f);
    if (type == FirmType::hyperscaler || type == FirmType::neocloud || type == FirmType::spv || type == FirmType::conglomerate)
      lessors.push_back(f);
    if (type == FirmType::chipmaker || type == FirmType::memory_maker) hardware_suppliers.push_back(f);
    if (type == FirmType::hyperscaler || type == FirmType::neocloud) cloud_suppliers.push_back(f);
  }

  // Per firm, the network figures the reported totals must contain (per year, or stocks).
  std::vector<double> receipts(firms, 0.0), service_paid(firms, 0.0), capex_paid(firms, 0.0);
  std::vector<double> debt_owed(firms, 0.0), claims_held(firms, 0.0);
  const std::size_t exposures = static_cast<std::size_t>(firms) * 5;
  m.exposures.reserve(exposures);
  for (std::size_t k = 0; k < exposures; ++k) {
    ExposureSpec e;
    e.id = "e" + std::to_string(k);
    const double u = rng.uniform();
    if (u < 0.4) {
      e.kind = ExposureKind::loan;
      e.status = ExposureStatus::outstanding;
      e.from = rng.pick(lenders);
      e.to = rng.pick(non_lenders);
      e.amount_usd_bn = rng.log_uniform(0.2, 10.0);
      e.term_years = static_cast<double>(1 + rng.below(7));
      e.amortisation = rng.uniform() < 0.5 ? Amortisation::bullet : Amortisation::linear;
      const double s = rng.uniform();
      e.seniority = s < 0.3 ? Seniority::secured : s < 0.9 ? Seniority::senior : Seniority::subordinated;
      receipts[e.from] += e.amount_usd_bn * m.params.default_debt_rate_pct / 100.0;  // interest
      debt_owed[e.to] += e.amount_usd_bn;
      claims_held[e.from] += e.amount_usd_bn;
    } else {
      const bool lease = u < 0.7;
      const bool hardware = !lease && rng.uniform() < 0.5;
      e.kind = lease ? ExposureKind::lease : ExposureKind::purchase_commitment;
      e.status = ExposureStatus::contract;
      e.from = rng.pick(lease ? lessors : hardware ? hardware_suppliers : cloud_suppliers);
      do e.to = rng.pick(non_lenders);
      while (e.to == e.from);
      e.amount_usd_bn = rng.log_uniform(0.5, 20.0);
      e.term_years = lease ? rng.uniform(2.0, 8.0) : rng.uniform(1.0, 5.0);
      const double annual = e.amount_usd_bn / e.term_years;
      receipts[e.from] += annual;
      (hardware ? capex_paid : service_paid)[e.to] += annual;
    }
    m.exposures.push_back(std::move(e));
  }

  for (FirmIdx f = 0; f < firms; ++f) {
    FirmSpec& s = m.firms[f];
    const bool lender = is_lender_type(s.type);
    const double external_revenue = lender ? rng.log_uniform(0.5, 5.0) : rng.log_uniform(1.0, 50.0);
    s.revenue_usd_bn_per_year = receipts[f] + external_revenue;
    s.opex_usd_bn_per_year = service_paid[f] + external_revenue * rng.uniform(0.6, 0.95);
    s.capex_usd_bn_per_year = lender ? 0.0 : capex_paid[f] + external_revenue * rng.uniform(0.0, 0.3);
    s.debt_usd_bn = debt_owed[f] + (lender ? 0.0 : s.revenue_usd_bn_per_year * rng.uniform(0.0, 1.0));
    s.hardware_usd_bn = lender ? 0.0 : s.revenue_usd_bn_per_year * rng.uniform(0.5, 2.0);
    s.other_assets_usd_bn = claims_held[f] + s.revenue_usd_bn_per_year * rng.uniform(0.2, 1.0);
    s.cash_usd_bn = lender ? 5.0 + claims_held[f] * rng.uniform(0.2, 0.5)
                           : s.revenue_usd_bn_per_year * rng.uniform(0.05, 0.5);
  }

  Diagnostics diags;
  derive_model_quantities(m, diags);
  m.warnings = diags.warnings();  // none: every network figure fits inside the firm's totals
  return m;
}

struct SyntheticCase {
  Model model;
  std::unique_ptr<ExposureNetwork> network;
};

/// Generated once per size and kept for the program's life (shared by the threads variants).
const SyntheticCase& synthetic(std::uint32_t firms) {
  static std::map<std::uint32_t, std::unique_ptr<SyntheticCase>> cache;
  auto& slot = cache[firms];
  if (!slot) {
    slot = std::make_unique<SyntheticCase>();
    slot->model = make_synthetic_model(firms);
    slot->network = std::make_unique<ExposureNetwork>(slot->model);
  }
  return *slot;
}

/// One 12-tick run of the synthetic network per iteration (prebuilt network).
void BM_SyntheticRun(benchmark::State& state) {
  const SyntheticCase& c = synthetic(static_cast<std::uint32_t>(state.range(0)));
  const RunOptions options{.seed = c.model.params.seed, .threads = static_cast<int>(state.range(1))};
  const Behaviours& behaviours = agents::standard_behaviours();
  SimResult last;
  for (auto _ : state) {
    last = run_simulation(c.model, *c.network, options, behaviours);
    benchmark::DoNotOptimize(last.final.equity_usd_bn);
  }
  const auto ticks = static_cast<std::int64_t>(last.ticks_run);
  const auto edges = static_cast<std::int64_t>(c.model.exposures.size());
  state.SetItemsProcessed(state.iterations() * ticks * edges);  // exposure-ticks
  state.counters["ticks/s"] = benchmark::Counter(static_cast<double>(state.iterations() * ticks), benchmark::Counter::kIsRate);
  state.counters["exposures"] = static_cast<double>(edges);
  state.counters["defaults"] = static_cast<double>(last.defaults.size());
}

BENCHMARK(BM_SyntheticRun)
    ->ArgNames({"firms", "threads"})
    ->Args({1'000, 1})
    ->Args({1'000, 2})
    ->Args({10'000, 1})
    ->Args({10'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- Generated AI economies: the tick loop at 10^3..10^5 firms ---------------------------

/// Notes the wall clock at the end of every tick (tick 0's record included).
class TickClock final : public Observer {
 public:
  using Clock = std::chrono::steady_clock;
  void on_tick(const SystemTickRecord&, std::span<const FirmTickRecord>) override { tick_ends.push_back(Clock::now()); }
  void on_default(const DefaultEvent&) override {}
  std::vector<Clock::time_point> tick_ends;
};

/// Generated, written to the temporary directory and loaded once per size, for the program's life.
const LoadedScenario& ai_economy(std::uint32_t firms) {
  static std::map<std::uint32_t, std::unique_ptr<LoadedScenario>> cache;
  auto& slot = cache[firms];
  if (!slot) {
    slot = std::make_unique<LoadedScenario>();
    try {
      const std::filesystem::path file =
          std::filesystem::temp_directory_path() / ("cascade-bench-ai-economy-" + std::to_string(firms) + ".yaml");
      std::ofstream(file) << generate::generate_ai_economy({.firms = firms, .seed = 1});
      scenario::LoadOptions options{.overrides = {{"simulation.horizon_ticks", "12"}}};
      options.limits.max_yaml_values = 10'000'000;  // 10^5 firms write about 6.7 million values (keys count)
      slot->model = scenario::load_file(file, options);
      std::filesystem::remove(file);
      slot->network = std::make_unique<ExposureNetwork>(slot->model);
    } catch (const std::exception& e) {
      slot->error = e.what();
    }
  }
  return *slot;
}

void BM_AiEconomyTick(benchmark::State& state) {
  const LoadedScenario& s = ai_economy(static_cast<std::uint32_t>(state.range(0)));
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const RunOptions options{.seed = s.model.params.seed, .threads = static_cast<int>(state.range(1))};
  const Behaviours& behaviours = agents::standard_behaviours();
  std::vector<double> tick_seconds;
  SimResult last;
  for (auto _ : state) {
    TickClock clock;
    clock.tick_ends.reserve(static_cast<std::size_t>(s.model.params.horizon_ticks) + 1);
    last = run_simulation(s.model, *s.network, options, behaviours, &clock);
    for (std::size_t t = 2; t < clock.tick_ends.size(); ++t)
      tick_seconds.push_back(std::chrono::duration<double>(clock.tick_ends[t] - clock.tick_ends[t - 1]).count());
  }
  if (tick_seconds.empty()) return state.SkipWithError("the run has fewer than 2 ticks");
  std::nth_element(tick_seconds.begin(), tick_seconds.begin() + tick_seconds.size() / 2, tick_seconds.end());
  const double median_s = tick_seconds[tick_seconds.size() / 2];
  const double items = static_cast<double>(s.model.firms.size() + s.model.exposures.size());
  state.counters["ms/tick"] = 1e3 * median_s;
  state.counters["ns/item"] = 1e9 * median_s / items;
  state.counters["exposures"] = static_cast<double>(s.model.exposures.size());
  state.counters["defaults"] = static_cast<double>(last.defaults.size());
}

BENCHMARK(BM_AiEconomyTick)
    ->ArgNames({"firms", "threads"})
    ->Args({1'000, 1})
    ->Args({10'000, 1})
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_AiEconomyRunWithFiles(benchmark::State& state) {
  const LoadedScenario& s = ai_economy(static_cast<std::uint32_t>(state.range(0)));
  if (!s.error.empty()) return state.SkipWithError(s.error.c_str());
  const RunOptions options{.seed = s.model.params.seed};
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("cascade-bench-run-files-" + std::to_string(::getpid()));
  double rows = 0.0;
  for (auto _ : state) {
    output::RunWriter writer(s.model, out, /*replace_existing=*/true);  // removed when it goes
    const SimResult result = run_simulation(s.model, *s.network, options, agents::standard_behaviours(), &writer);
    const auto ticks = static_cast<double>(result.ticks_run + 1);
    const std::size_t per_tick = s.model.firms.size() + 1 + (writer.wants_exposures() ? s.model.exposures.size() : 0);
    rows = ticks * static_cast<double>(per_tick) + static_cast<double>(result.defaults.size());
  }
  state.counters["rows/s"] =
      benchmark::Counter(rows * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_AiEconomyRunWithFiles)
    ->ArgNames({"firms"})
    ->Arg(1'000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace cascade
