// `cascade run FILE --replications N`: the scenario repeated with N seeds on the sweep runner (a
// sweep of one point), and the distribution of its outcomes (engine/experiments/replications.h).
//
//   RunCommand c{.scenario_file = "scenarios/ai-2026/baseline.yaml", .threads = 2, .replications = 100};
//   return run_replications(c);   // runs/ai-2026-baseline-replications/: the sweep's files, distribution.*
//
// Replicate r runs with seed derive_run_seed(S, 0, r) (engine/sweep/sweep.h), S being --seed or
// the scenario's simulation.seed, so `cascade run FILE --seed <that seed>` repeats it alone. The
// output directory is a sweep directory (sweep.yaml stands for the study): interrupted, the same
// command resumes it; its files are byte-identical at any --threads. Exit codes as `cascade
// sweep` (sweep_command.h).
#pragma once

#include "tools/cascade/commands.h"

namespace cascade::cli {

ExitCode run_replications(const RunCommand& command);

}  // namespace cascade::cli
