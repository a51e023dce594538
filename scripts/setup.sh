#!/usr/bin/env bash
# Installs every system dependency of lantian from Debian's packages (idempotent).
# Then installs the report's chart library (Apache ECharts, pinned by report/package-lock.json)
# into report/node_modules with `npm ci`.
# Usage: scripts/setup.sh        (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libeigen3-dev libproj-dev proj-data libnetcdf-dev libnetcdf-c++4-dev libhdf5-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libhowardhinnant-date-dev catch2 libbenchmark-dev
  libopenmpi-dev openmpi-bin libglpk-dev
  tzdata python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-pandas python3-xarray python3-netcdf4 python3-matplotlib
  python3-nbclient python3-nbformat python3-ipykernel python3-nbconvert
  chromium fonts-wqy-zenhei
)
# The report's build step needs node and npm: Debian's nodejs + npm, unless a node with its own
# npm is already installed (e.g. NodeSource's nodejs, which conflicts with Debian's npm).
if ! command -v npm >/dev/null 2>&1; then PKGS+=(nodejs npm); fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PKGS[@]} packages already installed"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The report's chart library, exactly as locked (report/README.md).
if [ ! -f report/node_modules/echarts/dist/echarts.min.js ] ||
   [ report/package-lock.json -nt report/node_modules/.package-lock.json ]; then
  echo "setup: npm ci in report/ (Apache ECharts)"
  (cd report && npm ci --no-audit --no-fund)
else
  echo "setup: report/node_modules up to date"
fi
