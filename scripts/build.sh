#!/usr/bin/env bash
# Configures and builds lantian (Release, Ninja, ccache when present) into build/.
# Extra arguments go to cmake's configure step, e.g. scripts/build.sh -DLANTIAN_MPI=ON
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LANTIAN_BUILD_DIR:-build}
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
start=$(date +%s)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANTIAN_WERROR=$werror "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
echo "build: $(( $(date +%s) - start )) s on $(nproc) cores"
