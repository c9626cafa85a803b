#!/usr/bin/env bash
# Sets up, builds and runs Cascade on a fresh Debian 12 machine.
#
#   bash tools/quickstart.sh run    # install what is missing, build (Release), run the AI-2026 baseline
#   bash tools/quickstart.sh test   # install what is missing, then every test suite (tools/test-suites.sh)
#
# Installing needs root (apt-get); on a machine that already has every package it does not.
# The build goes to build/, the baseline's outputs to runs/ai-2026-baseline/; `test` also uses
# build-asan/, build-tsan/ and build-mpi/ and needs Clang, Open MPI, Slurm and munge.
set -euo pipefail

usage() { echo "usage: bash tools/quickstart.sh run|test" >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in run|test) ;; *) usage ;; esac

cd "$(dirname "$0")/.."

# Debian 12 packages only; nothing is downloaded at build time. graphviz draws the network
# pictures (`cascade graph`, the report).
packages=(cmake ninja-build g++ pkg-config libboost-graph-dev libtbb-dev libspdlog-dev libyaml-cpp-dev
          nlohmann-json3-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev graphviz)
# The test suites beyond Release: asan and fuzz (Clang, libFuzzer), mpi (Open MPI), slurm; and
# Chromium, in which the release suite checks the report (label report; skipped without it).
[ "$1" = test ] && packages+=(clang libclang-rt-14-dev libopenmpi-dev openmpi-bin slurm-wlm munge libpmix2 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "quickstart: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  echo "quickstart: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

case "$1" in
  run)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASCADE_BUILD_TESTS=ON >/dev/null
    cmake --build build -j "$(nproc)"
    ./build/tools/cascade run scenarios/ai-2026/baseline.yaml --out runs/ai-2026-baseline --force ;;
  test) exec bash tools/test-suites.sh ;;
esac
