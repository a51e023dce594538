#!/usr/bin/env bash
# Installs every system dependency of lantian from Debian's packages (idempotent).
# Usage: scripts/setup.sh        (as root, or with sudo available)
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libeigen3-dev libproj-dev proj-data libnetcdf-dev libnetcdf-c++4-dev libhdf5-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libhowardhinnant-date-dev catch2 libbenchmark-dev
  libopenmpi-dev openmpi-bin libglpk-dev
  tzdata python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-pandas python3-xarray python3-netcdf4 python3-matplotlib
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PKGS[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
