#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS, on CORPUS (kept between runs) plus seeds taken from the
# repository: the shipped scenarios and sweeps, the test data, and tests/bad-inputs/.
#
#   bash tests/fuzz/run_fuzz.sh build-asan/tests/fuzz/scenario_loader_fuzz scenario_loader 60 CORPUS
#
# Exit 0: no finding. A finding leaves its input in CORPUS/../artifacts/<target>/ (crash-*,
# timeout-*, oom-*, leak-*) and the run fails; reproduce it with `TARGET FILE`.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: run_fuzz.sh TARGET_BINARY KIND SECONDS CORPUS_DIR" >&2; exit 2; }
binary=$1 kind=$2 seconds=$3 corpus=$4
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
seeds=$(mktemp -d /tmp/cascade-fuzz-seeds.XXXXXX)
trap 'rm -rf "$seeds"' EXIT
artifacts="$(dirname "$corpus")/../artifacts/$kind"
mkdir -p "$corpus" "$artifacts"

copy_seeds() {  # copy_seeds FILE... : each file under a name that keeps seeds of one name apart
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$seeds/$(echo "${f#"$source_dir"/}" | tr '/' '_')"
  done
  return 0
}

shopt -s nullglob globstar
case "$kind" in
  scenario_loader)
    copy_seeds "$source_dir"/scenarios/ai-2026/**/*.yaml "$source_dir"/tests/scenarios/**/*.yaml \
               "$source_dir"/tests/tools/data/*.yaml "$source_dir"/tests/bad-inputs/scenario/* ;;
  sweep_loader)
    copy_seeds "$source_dir"/scenarios/sweeps/*.yaml "$source_dir"/tests/tools/data/sweep-*.yaml \
               "$source_dir"/tests/bad-inputs/sweep/* ;;
  set_override)
    copy_seeds "$source_dir"/tests/bad-inputs/set/* "$source_dir"/tests/fuzz/seeds/set/* ;;
  plain_network)
    # A seed is nodes.csv, edges.csv and shock.csv joined by "%%" lines (plain_network_fuzz.cc).
    for nodes in "$source_dir"/tests/**/nodes.csv; do
      dir=$(dirname "$nodes")
      name=$(echo "${dir#"$source_dir"/}" | tr '/' '_')
      { cat "$nodes"; printf '\n%%%%\n'; cat "$dir/edges.csv" 2>/dev/null || true
        if [ -f "$dir/shock.csv" ]; then printf '\n%%%%\n'; cat "$dir/shock.csv"; fi; } > "$seeds/$name"
    done ;;
  *) echo "run_fuzz.sh: unknown target kind '$kind'" >&2; exit 2 ;;
esac

echo "fuzz $kind: $(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) inputs in the corpus, ${seconds}s"
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus" "$seeds"
