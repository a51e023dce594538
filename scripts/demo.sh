#!/usr/bin/env bash
# Fresh machine to first result: installs dependencies (apt), builds, and runs the main job
# on the embedded default case (examples/demo-city) into out/demo-city/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# 1. The whole case: grid, period, meteorology coverage and 静稳 hours, emission totals.
./build/lantian check examples/demo-city/case.toml
# 2. The 72-hour Eulerian forecast and the control options: CF NetCDF fields, station series,
#    hourly mass budget, every option re-run and compared, the consultation report.
./build/lantian run examples/demo-city/case.toml --out out/demo-city/forecast --force
# 3. Gaussian screening: every enterprise's and production line's share at each station.
./build/lantian screen examples/demo-city/case.toml --out out/demo-city/screen --map --force
# 4. AQI, warning decisions and the response timeline of the city's observed station series.
./build/lantian aqi examples/demo-city/observations.csv --out out/demo-city/observed --force
# 5. The forecast scored against the observations, beside persistence (SYNTHETIC observations:
#    this shows the command, not the model's skill).
./build/lantian verify out/demo-city/forecast --observations examples/demo-city/observations.csv --out out/demo-city/verify --force
# 6. A hindcast: the forecast issued at 16:00 on three days, each from what was known then, scored.
./build/lantian hindcast examples/demo-city/case.toml --from 2024-12-11 --to 2024-12-13 --hours 48 --out out/demo-city/hindcast --force --quiet
echo "demo: outputs in out/demo-city/: forecast/ (report.html, scenarios.json/csv, fields.nc, stations.csv, budget.csv), screen/ (enterprises.csv,"
echo "      lines.csv, stations.csv, map_daily.csv), observed/ (hourly.csv, daily.csv, decisions.csv, timeline.csv),"
echo "      verify/ (skill.csv, categories.csv, warnings.csv, pairs.csv), hindcast/ (runs/<date>/, skill.csv, ...)"
