#!/usr/bin/env bash
# Every test suite of Cascade, each in its own build directory, in the order CI runs them, with
# the wall time of each part printed as it ends and in a table at the end:
#
#   release  build/        Release; labels fast and slow (the whole GoogleTest suite, bad inputs)
#   mpi      build-mpi/    Release with Open MPI; labels mpi and slurm (a single-node Slurm; needs root)
#   asan     build-asan/   Clang, ASan + UBSan; label asan (the fast suite)
#   fuzz     build-asan/   the libFuzzer targets, built beside the asan suite (one build serves
#                          both); label fuzz (CASCADE_FUZZ_SECONDS each, 60 by default)
#   tsan     build-tsan/   ThreadSanitizer; label tsan (the tests that start threads)
#
#   bash tools/test-suites.sh                  # every part the time budget allows
#   bash tools/test-suites.sh release tsan     # only these parts
#
# CASCADE_CI_BUDGET_MINUTES (default 90): a part is skipped, and said to be, when the minutes
# used so far plus its expected minutes (kExpectedMinutes below, README "Testing") would pass
# the budget. The release part always runs. Exit status: 1 when a
# part failed; skipped parts do not fail the run.
set -uo pipefail
cd "$(dirname "$0")/.."

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(release mpi asan fuzz tsan)
budget_minutes=${CASCADE_CI_BUDGET_MINUTES:-90}
jobs=$(nproc)
# Build and test minutes of each part on a 2-core machine of its own, rounded up: release from CI
# (the whole quickstart test, install included, ran in 6.7 minutes), mpi (7.3) and tsan (9.7)
# from CI too, asan and fuzz from README "Testing" (measured under load, so upper bounds). The
# skip decision adds these to the minutes really used so far.
declare -A kExpectedMinutes=([release]=10 [mpi]=12 [asan]=35 [fuzz]=6 [tsan]=15)

configure() {  # configure DIR CMAKE_ARGS...: configure (Ninja) and build DIR
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null && cmake --build "$dir" -j "$jobs"
}
configure_asan() {  # the Clang build of the asan and fuzz parts
  command -v clang++ >/dev/null || { echo "needs clang (Debian: clang-14 libclang-rt-14-dev)"; return 1; }
  CC=clang CXX=clang++ configure build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASCADE_SANITIZE=ON \
    -DCASCADE_BUILD_FUZZERS=ON -DCASCADE_FUZZ_SECONDS="${CASCADE_FUZZ_SECONDS:-60}"
}

run_part() {
  case "$1" in
    release)
      configure build -DCMAKE_BUILD_TYPE=Release -DCASCADE_BUILD_TESTS=ON -DCASCADE_BUILD_BENCH=ON &&
        ctest --test-dir build -j "$jobs" --output-on-failure -LE 'slurm|mpi' ;;
    asan)
      configure_asan && ctest --test-dir build-asan -j "$jobs" --output-on-failure -L asan ;;
    tsan)
      configure build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASCADE_SANITIZE_THREAD=ON &&
        ctest --test-dir build-tsan -j "$jobs" --output-on-failure -L tsan ;;
    fuzz)
      configure_asan && ctest --test-dir build-asan -j "$jobs" --output-on-failure -L fuzz ;;
    mpi)
      configure build-mpi -DCMAKE_BUILD_TYPE=Release -DCASCADE_WITH_MPI=ON &&
        ctest --test-dir build-mpi --output-on-failure -L mpi &&
        if [ "$(id -u)" -eq 0 ]; then ctest --test-dir build-mpi --output-on-failure -L slurm
        else echo "mpi: the slurm label needs root; not run"; fi ;;
    *) echo "test-suites.sh: unknown part '$1' (release, asan, tsan, fuzz, mpi)" >&2; return 2 ;;
  esac
}

start_all=$(date +%s)
summary=()
status=0
for part in "${parts[@]}"; do
  used_minutes=$(( ($(date +%s) - start_all) / 60 ))
  expected=${kExpectedMinutes[$part]:-0}
  # fuzz shares the asan build: without a built build-asan it costs the asan build as well.
  [ "$part" = fuzz ] && [ ! -x build-asan/tests/fuzz/scenario_loader_fuzz ] && expected=$((expected + kExpectedMinutes[asan]))
  if [ "$part" != release ] && [ $((used_minutes + expected)) -gt "$budget_minutes" ]; then
    echo "=== $part: skipped (${used_minutes} min used, about ${expected} min more would pass the ${budget_minutes}-min budget)"
    summary+=("$(printf '%-8s %8s  %s' "$part" "-" "skipped: budget")")
    continue
  fi
  echo "=== $part"
  start=$(date +%s)
  if run_part "$part"; then result=passed; else result=FAILED; status=1; fi
  seconds=$(( $(date +%s) - start ))
  echo "=== $part: $result in $((seconds / 60)) min $((seconds % 60)) s"
  summary+=("$(printf '%-8s %5d:%02d  %s' "$part" $((seconds / 60)) $((seconds % 60)) "$result")")
done

total=$(( $(date +%s) - start_all ))
echo
echo "part     min:sec  result"
printf '%s\n' "${summary[@]}"
printf '%-8s %5d:%02d\n' total $((total / 60)) $((total % 60))
exit $status
