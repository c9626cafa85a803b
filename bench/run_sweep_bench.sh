#!/usr/bin/env bash
# The sweep runner at scale (bench/RESULTS.md, "Sweeps: memory and results volume";
# docs/sweeps.md, "Scale on paper"): peak memory and bytes per result row from 10^4 to 10^6
# runs, the CPU time of checking points against running them, throughput of one process at 1
# and 2 threads and of MPI at 1 and 2 worker ranks, what MPI rank 0 spends per row, and the
# cost of writing the result files (cascade merge).
#
#   bash bench/run_sweep_bench.sh              # builds build/ and build-mpi/ (Release) if missing
#   WORK=/tmp/sweep-bench bash bench/run_sweep_bench.sh
#
# Needs /usr/bin/time (Debian's `time`), python3, and for the MPI part Open MPI
# (libopenmpi-dev, openmpi-bin); without build-mpi/ the MPI part is skipped. About 25 minutes
# on 2 idle cores. Output directories go to $WORK (default /tmp/cascade-sweep-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/cascade-sweep-bench}
cascade=$root/build/tools/cascade
cascade_mpi=$root/build-mpi/tools/cascade
sweeps=$root/bench/sweeps
mkdir -p "$work"
cd "$work"

if [ ! -x "$cascade" ]; then
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$root/build" --target cascade
fi
stamp() { echo "== $1 ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
files() { for f in results.csv journal.cj results.sqlite aggregate.csv; do echo "$(stat -c %s "$1/$f") $f"; done; }
timed() {  # timed LABEL COMMAND...: the command under /usr/bin/time
  /usr/bin/time -f "$1: %e s wall, %U s user, %S s sys, %M KB max RSS" "${@:2}"
}

# 1. Memory and volume: the three-firm network at 10^4, 10^5, 10^6 distinct points; AI-2026 at 10^5 runs.
for n in 10000 100000; do
  sed "s/samples: 1000000/samples: $n/; s/name: tiny-million/name: tiny-$n/; s|scenario: tiny.yaml|scenario: $sweeps/tiny.yaml|" \
    "$sweeps/tiny-million.yaml" > "tiny-$n.yaml"
done
for sweep in "$work/tiny-10000.yaml" "$work/tiny-100000.yaml" "$sweeps/tiny-million.yaml" "$sweeps/ai-2026-100k.yaml"; do
  name=$(basename "$sweep" .yaml)
  stamp "$name: cascade sweep --threads 2"
  rm -rf "out-$name"
  timed "$name" "$cascade" sweep "$sweep" --out "out-$name" --threads 2 --quiet | grep -v '^Outputs'
  files "out-$name"
done
# The same 7x10^4-point sweep with one malloc arena: is the memory above the heap fragmentation?
sed "s/samples: 1000000/samples: 70000/; s/name: tiny-million/name: tiny-70000/; s|scenario: tiny.yaml|scenario: $sweeps/tiny.yaml|" \
  "$sweeps/tiny-million.yaml" > tiny-70000.yaml
for arenas in default 1; do
  stamp "tiny-70000, malloc arenas: $arenas"
  rm -rf out-tiny-70000
  if [ "$arenas" = 1 ]; then export MALLOC_ARENA_MAX=1; fi
  timed "tiny-70000" "$cascade" sweep tiny-70000.yaml --out out-tiny-70000 --threads 2 --quiet | grep -v '^Outputs'
  unset MALLOC_ARENA_MAX
done

# 2. Checking the points against running them, one thread, a point per run.
stamp "s2-saltelli-256: phases"
rm -rf out-s2-saltelli-256
python3 "$root/bench/sweep_phases.py" "$cascade" "$sweeps/s2-saltelli-256.yaml" out-s2-saltelli-256 1

# 3. Throughput at 1 and 2 threads and 1 and 2 MPI worker ranks; rank 0's share; merge.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cat > rank-time.sh <<'RANK'
#!/bin/bash
exec /usr/bin/time -f "rank $OMPI_COMM_WORLD_RANK: %e s wall, %U s user, %S s sys, %M KB max RSS" \
  -o "$TIMING_DIR/time-rank$OMPI_COMM_WORLD_RANK.log" "$@"
RANK
chmod +x rank-time.sh
for sweep in s2-4k tiny-1m-reps; do
  for t in 1 2; do
    stamp "$sweep: one process, --threads $t"
    rm -rf "$sweep-t$t"
    timed single "$cascade" sweep "$sweeps/$sweep.yaml" --out "$sweep-t$t" --threads "$t" --quiet | grep -v '^Outputs'
  done
  if [ -x "$cascade_mpi" ]; then
    for n in 2 3; do
      stamp "$sweep: mpirun -n $n (rank 0 and $((n - 1)) worker(s)), --threads 1"
      rm -rf "$sweep-n$n" "timing-$sweep-n$n"
      mkdir -p "timing-$sweep-n$n"
      TIMING_DIR="timing-$sweep-n$n" mpirun --oversubscribe -x TIMING_DIR -n "$n" ./rank-time.sh \
        "$cascade_mpi" sweep "$sweeps/$sweep.yaml" --out "$sweep-n$n" --threads 1 --quiet | grep -v '^Outputs'
      cat "timing-$sweep-n$n"/*.log
      cmp "$sweep-t1/results.sqlite" "$sweep-n$n/results.sqlite" && echo "results.sqlite identical to one process's"
    done
  fi
  stamp "$sweep: cascade merge (the result files from the journal)"
  rm -rf "$sweep-merged"
  timed merge "$cascade" merge "$sweep-t1" --out "$sweep-merged" | grep -v '^Outputs'
  files "$sweep-t1"
done
stamp done
