#!/usr/bin/env bash
# Every performance target of the project, measured and checked in one command: the table of
# bench/RESULTS.md, "Targets at a glance".
#
#   bash bench/run_targets.sh                        # about 5 minutes on 2 idle cores, plus a build
#   RUNS=3 WORK=/tmp/targets bash bench/run_targets.sh
#
# What it does, in order: bench/run_clear_bench.sh ($RUNS runs per size; `cascade clear` against
# the scipy peer at 10^3..10^6 nodes) into $WORK/clear; the baseline benchmarks (one run, and
# the sweep runner on 1 and 2 threads; 5 repetitions) into $WORK/baseline.json; the tick loop on
# generated AI economies of 10^3 and 10^4 firms (3 repetitions) and 10^5 firms (one run) into
# $WORK/tick.json; the per-tick allocation tests into $WORK/allocations.json; then
# bench/targets_table.py prints each target with what was measured, to stdout and
# $WORK/targets.md. Needs what run_clear_bench.sh needs (as root it installs it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
WORK=${WORK:-/tmp/cascade-targets}
RUNS=${RUNS:-5}
mkdir -p "$WORK"

stamp() { echo "== $1 ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$WORK/log.txt" >&2; }
: >"$WORK/log.txt"
: >"$WORK/stderr.log"
stamp "clear: cascade clear against the scipy peer"
RUNS=$RUNS WORK=$WORK/clear BUILD=$BUILD bash "$ROOT/bench/run_clear_bench.sh" >/dev/null
cmake --build "$BUILD" --target cascade_bench cascade_allocation_tests >/dev/null
BENCH=$BUILD/bench/cascade_bench

stamp "baseline runs"
"$BENCH" --benchmark_filter='BM_Baseline(RunPrebuiltNetwork|Sweep)' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_out="$WORK/baseline.json" --benchmark_out_format=json \
  >/dev/null 2>>"$WORK/stderr.log"
stamp "tick loop at 10^3 and 10^4 firms"
"$BENCH" --benchmark_filter='AiEconomyTick/firms:(1000|10000)/threads:1' --benchmark_repetitions=3 \
  --benchmark_min_time=2 --benchmark_report_aggregates_only=true \
  --benchmark_out="$WORK/tick-small.json" --benchmark_out_format=json >/dev/null 2>>"$WORK/stderr.log"
stamp "tick loop at 10^5 firms (loads for about half a minute)"
"$BENCH" --benchmark_filter='AiEconomyTick/firms:100000/threads:1' \
  --benchmark_out="$WORK/tick-large.json" --benchmark_out_format=json >/dev/null 2>>"$WORK/stderr.log"
/usr/bin/python3 - "$WORK/tick-small.json" "$WORK/tick-large.json" >"$WORK/tick.json" <<'EOF'
import json, sys
parts = [json.load(open(p)) for p in sys.argv[1:]]
json.dump({"context": parts[0]["context"], "benchmarks": [b for p in parts for b in p["benchmarks"]]}, sys.stdout)
EOF
stamp "per-tick allocations"
"$BUILD/tests/cascade_allocation_tests" --gtest_filter='TickAllocations.*' \
  --gtest_output="json:$WORK/allocations.json" >/dev/null || true  # a failure is a missed target, in the table
stamp "done"

/usr/bin/python3 "$ROOT/bench/targets_table.py" "$WORK" | tee "$WORK/targets.md"
echo
cat "$WORK/log.txt"
echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)')"
