#!/usr/bin/env bash
# The Gaussian plume against Project Prairie Grass arc maxima: the table per arc and overall,
# and one CSV row per run-arc. Usage: examples/prairie-grass/run.sh [BUILD_DIR] [DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
data=${2:-$here/../../../shared/data/prairie-grass}
for dispersion in turbulence briggs-rural; do
  "$build/lantian" validate prairie-grass --data "$data" --dispersion "$dispersion" \
    --out "prairie_grass_$dispersion.csv"
  echo
done
