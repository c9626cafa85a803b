// Runs one scenario over its horizon: the tick loop of docs/model.md, phase by phase.
//
//   const Model model = scenario::load_file(path);
//   const auto behaviours = agents::standard_behaviours();
//   SimResult result = run_simulation(model, RunOptions{.seed = 7, .threads = 2}, behaviours, &observer);
//
// Contract: `model` is not modified and may be shared by concurrent runs; all mutable state
// lives inside the call. Results are bit-identical for any `threads` value. Throws
// InternalError on a broken invariant (with `audit`, also on a money-conservation breach).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/model.h"
#include "engine/network/exposure_network.h"
#include "engine/sim/behaviour.h"
#include "engine/sim/records.h"

namespace cascade {

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint32_t replication = 0;
  int threads = 1;     ///< worker threads for per-firm phases; results do not depend on it
  bool audit = false;  ///< check money conservation every tick (relative tolerance 1e-9)
};

/// Receives the run as it happens. Called from the simulating thread only, in tick order.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_tick(const SystemTickRecord& system, std::span<const FirmTickRecord> firms) = 0;
  virtual void on_default(const DefaultEvent& event) = 0;
  /// Whether to build per-exposure records each tick (they cost O(exposures) per tick).
  virtual bool wants_exposures() const { return false; }
  /// Every exposure at the end of each tick (tick 0 included), in exposure order, after on_tick.
  virtual void on_exposures(Tick /*tick*/, std::span<const ExposureTickRecord> /*exposures*/) {}
};

struct SimResult {
  Tick ticks_run = 0;
  std::vector<DefaultEvent> defaults;       ///< in order of occurrence
  std::vector<CreditLoss> credit_losses;    ///< in order of occurrence
  SystemTickRecord initial;                 ///< tick 0
  SystemTickRecord final;                   ///< last tick
  std::vector<FirmTickRecord> initial_firms;
  std::vector<FirmTickRecord> final_firms;
  double total_depreciation_usd_bn = 0.0;  ///< ordinary book depreciation of hardware
  double total_writedown_usd_bn = 0.0;     ///< impairments, write-downs and stranded builds
  double total_losses_passed_to_investors_usd_bn = 0.0;  ///< losses pass-through funds passed to their investors
  double total_external_inflow_usd_bn = 0.0;
  double total_external_outflow_usd_bn = 0.0;
  double max_conservation_error_relative = 0.0;  ///< largest audit residual seen (0 without audit)
  /// Ticks whose counterparty marks stopped at marking_max_rounds unconverged, and the first
  /// (0 when none): their marks are the last round's, not the fixed point.
  int unconverged_marking_ticks = 0;
  Tick first_unconverged_marking_tick = 0;
  // Extremes of the market indices over ticks 0..ticks_run.
  double peak_market_stress_index = 0.0;
  double min_sentiment_index = 1.0;
  double min_gpu_price_index = 1.0;
  std::vector<ChannelLosses> losses_by_firm;     ///< cumulative losses by channel, per firm, at the end

  /// Losses through one channel, summed over firms (USD bn).
  double losses_by_channel_usd_bn(DefaultChannel c) const;

  double credit_loss_by_holder_type_usd_bn(FirmType t, const Model& m) const;
  double credit_loss_by_kind_usd_bn(ExposureKind k) const;
  /// Equity lost by the system: initial minus final total equity, counting only firms whose
  /// equity fell (so gains elsewhere do not hide losses).
  double system_equity_lost_usd_bn() const;
};

SimResult run_simulation(const Model& model, const RunOptions& options, const Behaviours& behaviours,
                         Observer* observer = nullptr);

/// The same, with the model's exposure network built once by the caller and shared by many
/// runs (sweeps): `network` must have been built from `model`.
SimResult run_simulation(const Model& model, const ExposureNetwork& network, const RunOptions& options,
                         const Behaviours& behaviours, Observer* observer = nullptr);

}  // namespace cascade
