#!/usr/bin/env bash
# Builds the benchmarks (Release) if needed, runs them once (machine limits and kernels in the
# same run), and prints each kernel's figure, the limit measured in that run and their ratio
# (bench/report.py). Usage: scripts/bench.sh [REPORT.json]   (default build/bench.json)
# Extra Google Benchmark flags may be given in BENCH_ARGS, e.g. BENCH_ARGS=--benchmark_filter=triad.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LANTIAN_BUILD_DIR:-build}
REPORT=${1:-$BUILD_DIR/bench.json}

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANTIAN_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target lantian_bench

# One OpenMP thread per core, pinned, so that 1- and 2-thread figures repeat.
export OMP_PROC_BIND=${OMP_PROC_BIND:-close} OMP_PLACES=${OMP_PLACES:-cores}
raw="$BUILD_DIR/bench-raw.json"
# The met benchmarks (bench/met_bench.cpp) first write a 72-hour synthetic wrfout set of ~825 MB
# into a temporary folder under ${TMPDIR:-/tmp}, removed when the run ends.
echo "bench: running $BUILD_DIR/bench/lantian_bench (about a minute and a half)..." >&2
# 5 repetitions of at least 0.3 s each, interleaved at random so that a burst of noise from a
# neighbour on a shared host does not hit every repetition of one benchmark; the report keeps
# the best repetition of each, limits and kernels alike.
# shellcheck disable=SC2086
"$BUILD_DIR/bench/lantian_bench" --benchmark_format=json --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true --benchmark_min_time=0.3 ${BENCH_ARGS:-} >"$raw"
/usr/bin/python3 bench/report.py "$raw" --json "$REPORT"
