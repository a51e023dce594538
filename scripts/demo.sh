#!/usr/bin/env bash
# Fresh machine to first result: installs dependencies (apt), builds, and runs the main job
# on the embedded default case (examples/demo-city) into out/demo-city/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# 1. The whole case: grid, period, meteorology coverage and 静稳 hours, emission totals.
./build/lantian check examples/demo-city/case.toml
# 2. AQI, warning decisions and the response timeline of the city's station series.
./build/lantian aqi examples/demo-city/observations.csv --out out/demo-city --force
echo "demo: outputs in out/demo-city/ (hourly.csv, daily.csv, decisions.csv, timeline.csv, summary.json)"
