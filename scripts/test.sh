#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then C++ (ctest) and Python (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LANTIAN_BUILD_DIR:-build}
bash scripts/setup.sh
bash scripts/build.sh
export LANTIAN_REAL_DATA=${LANTIAN_REAL_DATA:-$(cd .. && pwd)/shared/data}
# OpenMP threads wait passively (the test binaries and lantian also set it for themselves):
# spinning threads run ~100x slower when ctest -j shares the cores.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" || status=1
# The main job on the embedded case: its CF NetCDF output is what the Python tests open with xarray.
# --no-reruns: the options by superposition of the tags (the re-runs are tested in ctest and
# pytest); it saves seven 72-h model runs of the CI time (scripts/demo.sh runs them all).
"$BUILD_DIR/lantian" run examples/demo-city/case.toml --out "$BUILD_DIR/demo-run" --force --quiet --no-reruns || status=1
export LANTIAN_NC_SAMPLE="$PWD/$BUILD_DIR/demo-run/fields.nc"
PYTHONPATH="$PWD/python" /usr/bin/python3 -m pytest python/tests -q -p no:cacheprovider || status=1
exit $status
