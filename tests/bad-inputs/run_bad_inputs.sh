#!/usr/bin/env bash
# Runs `cascade` on every hostile or malformed input in tests/bad-inputs/ and checks that each is
# refused the way expected.txt says: exit code 2, the expected message on stderr (file:line:col
# where the input has them, and what is wrong), within a time and an address-space limit, and
# with nothing written (no output directory, no file added to or changed in the directory it
# runs in, which holds its input, and nothing on stdout from `cascade clear`).
#
#   bash tests/bad-inputs/run_bad_inputs.sh build/tools/cascade            # ctest BadInputs
#   bash tests/bad-inputs/run_bad_inputs.sh build/tools/cascade --print    # each case's first error line
#
# The folder of a case says how it is run:
#   scenario/F   cascade run F --out OUT
#   sweep/F      cascade sweep F --out OUT
#   network/D    cascade clear D --model eisenberg-noe
#   set/F        cascade run support/valid-small.yaml --set "$(cat F)" --out OUT
# Each runs in the corpus directory with the relative path above, so messages name files as
# expected.txt does. Cases under generated/ are too large (a 10 MB line, 200,000 nesting levels,
# 10^6 firms, a 900 KB key) or cannot live in git (FIFOs, links to devices): this script makes them in a
# scratch directory and runs them there.
#
# Environment: CASCADE_BAD_INPUT_MEMORY_MB (default 256) caps each process's address space;
# 0 turns the cap off, as sanitizer builds need (ASan reserves terabytes of address space).
# CASCADE_BAD_INPUT_SECONDS (default 5) is the most one case may take (they take milliseconds:
# the bound catches a hang or a blow-up, with room for a loaded machine).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: run_bad_inputs.sh CASCADE_BINARY [--print]" >&2; exit 2; }
cascade=$(realpath "$1")
print_only=false
[ "${2:-}" = "--print" ] && print_only=true
memory_mb=${CASCADE_BAD_INPUT_MEMORY_MB:-256}
max_seconds=${CASCADE_BAD_INPUT_SECONDS:-5}
corpus=$(cd "$(dirname "$0")" && pwd)
expected_file="$corpus/expected.txt"

work=$(mktemp -d "${TMPDIR:-/tmp}/cascade-bad-inputs.XXXXXX")
trap 'rm -rf "$work"' EXIT
gen_root="$work/root"  # the directory the generated cases run in
gen="$gen_root/generated"

# --- the generated cases ---------------------------------------------------------------------
mkdir -p "$gen/scenario" "$gen/network" "$gen/scenario/firms-1e6-net"
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }  # repeat CHAR COUNT
{ printf 'format: cascade-scenario/1\nscenario: {name: deep}\nfacts: {deep: '
  repeat '[' 200000; repeat ']' 200000; printf '}\n'; } > "$gen/scenario/nesting-200000-flow.yaml"
{ printf 'format: cascade-scenario/1\nscenario: {name: deep}\nfacts:\n  deep:\n    '
  for _ in $(seq 20); do repeat '-' 10000 | sed 's/-/- /g' | tr -d '\n'; done; printf '1\n'; } \
  > "$gen/scenario/nesting-200000-block.yaml"
{ printf '{format: cascade-scenario/1, scenario: {name: long}, firms: [{id: openai, type: ai_lab, cash: 1'
  repeat '0' $((10 << 20)); printf '}]}'; } > "$gen/scenario/line-10mb.yaml"
{ printf 'format: cascade-scenario/1\nscenario: {name: long-key}\nfirms:\n  - id: openai\n    type: ai_lab\n    ? '
  repeat 'k' 900000; printf '\n    : ['; repeat ',' 20000 | sed 's/,/1,/g'; printf '1]\n'; } \
  > "$gen/scenario/long-key-over-a-list.yaml"
mkdir -p "$gen/network/line-10mb"
{ printf 'id,external_assets,external_liabilities\nA,'; repeat '1' $((10 << 20)); printf ',1\n'; } \
  > "$gen/network/line-10mb/nodes.csv"
printf 'debtor,creditor,amount\n' > "$gen/network/line-10mb/edges.csv"
printf 'format: cascade-scenario/1\nscenario: {name: wide}\nnetworks:\n  - {dir: firms-1e6-net}\n' \
  > "$gen/scenario/firms-1e6-no-edges.yaml"
{ printf 'id,external_assets,external_liabilities\n'; seq -f 'n%.0f,1,0' 1000000; } > "$gen/scenario/firms-1e6-net/nodes.csv"
printf 'debtor,creditor,amount\n' > "$gen/scenario/firms-1e6-net/edges.csv"
mkfifo "$gen/scenario/fifo.yaml"
printf 'format: cascade-scenario/1\nscenario: {name: fifo}\ninclude: [fifo.yaml]\nfirms:\n  - {id: openai, type: ai_lab}\n' \
  > "$gen/scenario/include-fifo.yaml"
ln -s /dev/zero "$gen/scenario/device-as-scenario.yaml"
mkdir -p "$gen/network/nodes-link-to-device" "$gen/network/edges-fifo"
ln -s /dev/zero "$gen/network/nodes-link-to-device/nodes.csv"
printf 'debtor,creditor,amount\n' > "$gen/network/nodes-link-to-device/edges.csv"
printf 'id,external_assets,external_liabilities\nA,1,0\n' > "$gen/network/edges-fifo/nodes.csv"
mkfifo "$gen/network/edges-fifo/edges.csv"
# A FIFO for nodes.csv beside an edges.csv large enough (above 4 MiB) to be read in two parts.
mkdir -p "$gen/network/nodes-fifo"
mkfifo "$gen/network/nodes-fifo/nodes.csv"
awk 'BEGIN { print "debtor,creditor,amount"; for (i = 0; i < 700000; ++i) print "0,1,1.5" }' \
  > "$gen/network/nodes-fifo/edges.csv"

# --- every case has an expected message, every expected message a case -----------------------
declare -A expected=()
order=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name=${line%% *}
  message=${line#* }
  message=${message#"${message%%[! ]*}"}  # the spaces that align the column
  [ -z "${expected[$name]+x}" ] || { echo "expected.txt: '$name' is listed twice" >&2; exit 1; }
  expected[$name]=$message
  order+=("$name")
done < "$expected_file"
status=0
for kind in scenario sweep network set; do
  for path in "$corpus/$kind"/*; do
    name="$kind/$(basename "$path")"
    [ -n "${expected[$name]+x}" ] || { echo "FAIL $name: not listed in expected.txt"; status=1; }
  done
done

root_of() {  # root_of CASE: the directory a case runs in, where its relative path leads to it
  case "$1" in
    generated/*) echo "$gen_root" ;;
    *) echo "$corpus" ;;
  esac
}
tree_state() { find "$1" -printf '%P %y %s %T@\n' | sort | md5sum; }

# --- run each case -----------------------------------------------------------------------------
limit=()
[ "$memory_mb" -gt 0 ] && limit=(prlimit --as=$((memory_mb << 20)))
slowest_ms=0 slowest=""
out="$work/out"  # the output directory a run or sweep would create
for name in "${order[@]}"; do
  root=$(root_of "$name")
  if [ ! -e "$root/$name" ] && [ ! -L "$root/$name" ]; then
    echo "FAIL $name: listed in expected.txt but there is no such input"; status=1; continue
  fi
  kind=${name#generated/}
  kind=${kind%%/*}
  case "$kind" in
    scenario) args=(run "$name" --out "$out") ;;
    sweep) args=(sweep "$name" --out "$out") ;;
    network) args=(clear "$name" --model eisenberg-noe) ;;
    set) args=(run support/valid-small.yaml --set "$(cat "$root/$name")" --out "$out") ;;
    *) echo "FAIL $name: unknown kind '$kind'"; status=1; continue ;;
  esac
  before=$(tree_state "$root")
  start_ns=$(date +%s%N)
  rc=0
  (cd "$root" && exec "${limit[@]}" timeout -s KILL 20 "$cascade" "${args[@]}") \
    > "$work/stdout" 2> "$work/stderr" < /dev/null || rc=$?
  elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  if $print_only; then
    printf '%-52s %s\n' "$name" "$(grep -a -v -m1 '^\[' "$work/stderr")"
    continue
  fi
  problems=()
  [ "$rc" -eq 2 ] || problems+=("exit code $rc, expected 2")
  grep -aqF -- "${expected[$name]}" "$work/stderr" || problems+=("the message is missing")
  [ ! -e "$out" ] || problems+=("it created the output directory")
  [ "$(tree_state "$root")" = "$before" ] || problems+=("it changed files in $root")
  [ "$kind" != network ] || [ ! -s "$work/stdout" ] || problems+=("it printed results on stdout")
  [ "$elapsed_ms" -le $((max_seconds * 1000)) ] || problems+=("it took ${elapsed_ms} ms, more than ${max_seconds} s")
  if [ ${#problems[@]} -gt 0 ]; then
    status=1
    echo "FAIL $name: $(IFS=';'; echo "${problems[*]}")"
    echo "  expected: ${expected[$name]}"
    echo "  stderr:   $(head -c 600 "$work/stderr" | head -5)"
  fi
  if [ "$elapsed_ms" -gt "$slowest_ms" ]; then slowest_ms=$elapsed_ms slowest=$name; fi
  rm -rf "$out"
done
$print_only && exit 0

memory_note="address space capped at ${memory_mb} MiB"
[ "$memory_mb" -gt 0 ] || memory_note="no address-space cap"
echo "${#order[@]} bad inputs, ${memory_note}; slowest: $slowest (${slowest_ms} ms)"
[ $status -eq 0 ] && echo "all refused as expected"
exit $status
