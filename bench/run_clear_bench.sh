#!/usr/bin/env bash
# `cascade clear` against its peer, side by side in one run: the tables of bench/RESULTS.md,
# section "Plain-network clearing".
#
#   bash bench/run_clear_bench.sh                  # sizes 1e3 1e4 1e5 1e6 nodes, 5 runs each
#   RUNS=3 SIZES="1000 100000" bash bench/run_clear_bench.sh
#
# What it does, in order: installs what is missing (Debian: python3-scipy for the peer, time for
# peak memory; needs root), builds Cascade (Release, with benchmarks) in $BUILD, generates
# Erdős–Rényi networks with `cascade generate --kind erdos-renyi --nodes N --mean-degree 10
# --seed 1` in $WORK, then for each size and model (eisenberg-noe, debtrank):
#   - whole process: `cascade clear DIR --model M` and `bench/peers/scipy_clearing.py DIR --model M`,
#     alternating, $RUNS times each, wall time and peak RSS from /usr/bin/time; medians;
#   - algorithm alone: the peer's own timing (median of $RUNS runs of its fixed-point loop) and
#     Cascade's BM_PlainModel (Google Benchmark, $RUNS repetitions, median; cascade_clear_bench,
#     which runs with `cascade clear`'s memory policy) on the same network;
#   - the answers compared (largest difference of recovery rates or DebtRank, node by node);
# and BM_ClaimsPass / BM_StreamRead (one pass over the liabilities against a streaming read of
# the same bytes, on 1 and on 2 threads), each size's benchmarks right after its peer runs, their
# repetitions randomly interleaved (so that a slow spell of the host falls on the pass and on its
# yardstick alike, not on all repetitions of one of them). Raw numbers go to
# $WORK/raw.tsv and $WORK/bench-<nodes>.json; the markdown tables to stdout and $WORK/tables.md
# (bench/clear_bench_table.py).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
WORK=${WORK:-/tmp/cascade-clear-bench}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"1000 10000 100000 1000000"}
PYTHON=/usr/bin/python3  # Debian's, where python3-scipy installs

missing=()
"$PYTHON" -c "import scipy.sparse" 2>/dev/null || missing+=(python3-scipy)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  apt-get install -y "${missing[@]}" >/dev/null
fi

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASCADE_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" --target cascade cascade_clear_bench >/dev/null
CASCADE=$BUILD/tools/cascade
PEER=$ROOT/bench/peers/scipy_clearing.py

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)  # other work on the machine slows every number
mkdir -p "$WORK"
: >"$WORK/stderr.log"
RAW=$WORK/raw.tsv
printf 'nodes\tedges\tmodel\ttool\trun\tseconds\tpeak_kb\n' >"$RAW"
COMPARE=$WORK/compare.tsv
printf 'nodes\tmodel\tmax_difference\titerations_cascade\titerations_peer\tdefaults\n' >"$COMPARE"
PEER_ALGO=$WORK/peer_algorithm.tsv
printf 'nodes\tmodel\tseconds\n' >"$PEER_ALGO"

# measure TOOL OUT COMMAND...: one run, stdout to OUT; wall time (ns clock) and peak RSS
# (/usr/bin/time) appended to raw.tsv.
measure() {
  local tool=$1 out=$2
  shift 2
  local start end kb
  start=$(date +%s%N)
  /usr/bin/time -o "$WORK/time" -f '%M' "$@" >"$out" 2>>"$WORK/stderr.log"
  end=$(date +%s%N)
  kb=$(tail -1 "$WORK/time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$nodes" "$edges" "$model" "$tool" "$run" \
    "$(awk "BEGIN {print ($end - $start) / 1e9}")" "$kb" >>"$RAW"
}

for nodes in $SIZES; do
  dir=$WORK/er-$nodes
  [ -f "$dir/edges.csv" ] || "$CASCADE" generate --kind erdos-renyi --nodes "$nodes" --mean-degree 10 --seed 1 \
    --out "$dir" --force --log-level warn
  edges=$(($(wc -l <"$dir/edges.csv") - 1))
  for model in eisenberg-noe debtrank; do
    for run in $(seq "$RUNS"); do
      measure cascade "$WORK/cascade.json" "$CASCADE" clear "$dir" --model "$model" --log-level warn
      measure scipy "$WORK/peer.json" "$PYTHON" "$PEER" "$dir" --model "$model"
    done
    "$PYTHON" "$PEER" "$dir" --model "$model" --repeat "$RUNS" >/dev/null 2>"$WORK/peer.err"
    printf '%s\t%s\t%s\n' "$nodes" "$model" "$(sed -n 's/algorithm_seconds=\([0-9.e-]*\).*/\1/p' "$WORK/peer.err")" \
      >>"$PEER_ALGO"
    "$PYTHON" - "$WORK/cascade.json" "$WORK/peer.json" "$nodes" "$model" >>"$COMPARE" <<'EOF'
import json, sys
cascade, peer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
key = "recovery_rate" if sys.argv[4] == "eisenberg-noe" else "debtrank"
ours = [node[key] for node in cascade["nodes"]]
difference = max((abs(a - b) for a, b in zip(ours, peer[key])), default=0.0)
assert len(ours) == len(peer[key]) and [n["id"] for n in cascade["nodes"]] == peer["id"]
print(f"{sys.argv[3]}\t{sys.argv[4]}\t{difference:.3g}\t{cascade['iterations']}\t{peer['iterations']}\t{cascade['defaults']}")
EOF
  done
  # Cascade's algorithm time, and one pass against a streaming read, right after the peer's.
  "$BUILD/bench/cascade_clear_bench" \
    --benchmark_filter="BM_(PlainModel/model:[01]|ClaimsPass|StreamRead)/nodes:$nodes/threads:[12](/real_time)?\$" \
    --benchmark_repetitions="$RUNS" --benchmark_report_aggregates_only=true \
    --benchmark_enable_random_interleaving=true \
    --benchmark_out="$WORK/bench-$nodes.json" --benchmark_out_format=json >/dev/null 2>>"$WORK/stderr.log"
done

echo "load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)" >"$WORK/load.txt"
"$PYTHON" "$ROOT/bench/clear_bench_table.py" "$WORK" | tee "$WORK/tables.md"
cat "$WORK/load.txt"
