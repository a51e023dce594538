#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then C++ (ctest) and Python (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LANTIAN_BUILD_DIR:-build}
bash scripts/setup.sh
bash scripts/build.sh
export LANTIAN_REAL_DATA=${LANTIAN_REAL_DATA:-$(cd .. && pwd)/shared/data}
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" || status=1
PYTHONPATH="$PWD/python" /usr/bin/python3 -m pytest python/tests -q -p no:cacheprovider || status=1
exit $status
