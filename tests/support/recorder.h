// An Observer that keeps every record of a run, for engine tests.
#pragma once

#include <span>
#include <vector>

#include "agents/firm_types.h"
#include "engine/sim/simulation.h"

namespace cascade::testing {

struct Recorder : Observer {
  std::vector<SystemTickRecord> system;            ///< [tick]
  std::vector<std::vector<FirmTickRecord>> firms;  ///< [tick][firm]
  std::vector<DefaultEvent> defaults;
  void on_tick(const SystemTickRecord& s, std::span<const FirmTickRecord> f) override {
    system.push_back(s);
    firms.emplace_back(f.begin(), f.end());
  }
  void on_default(const DefaultEvent& e) override { defaults.push_back(e); }
  const FirmTickRecord& at(Tick t, FirmIdx f) const { return firms.at(static_cast<std::size_t>(t)).at(f); }
};

/// Runs `m` with seed 1, the audit on and the standard behaviours, recording into `rec`.
inline SimResult run_audited(const Model& m, Recorder& rec) {
  return run_simulation(m, RunOptions{.seed = 1, .audit = true}, agents::standard_behaviours(), &rec);
}

}  // namespace cascade::testing
