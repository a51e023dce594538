#!/usr/bin/env python3
"""Prepare the Beijing December 2015 hindcast case (examples/beijing-2015-12/README.md).

Writes, into --out (a new folder; never into this example folder, never into ../shared/data):
  case.toml          this folder's case.toml, copied (the weather of one site, Dongsi)
  case-5-stations.toml   the same with five sites' weather combined onto the grid
  observations.csv   the 12 stations' hourly PM2.5 ... O3, 2015-11-20 .. 2016-01-03 (real,
                     Beijing Municipal Environmental Monitoring Center via the UCI PRSA data set)
  met/<site>.csv     the weather columns of six sites' files (real: "the nearest CMA station"; the
                     six distinct ones), same span, in the station-profile schema (lantian
                     diagnoses the mixing height at each and combines them by inverse distance)
  inventory/<sector>.nc   the gridded inventory: published annual totals for Beijing 2015 split
                     into sectors and spread over the city by INVENTED spatial proxies (the tables
                     below and the README say which figure is published and which is assumed)

The PRSA data are read by path ($LANTIAN_REAL_DATA/beijing-multisite-aq-2013-2017, else
../shared/data/...) and never copied into the project.

Usage:
  /usr/bin/python3 examples/beijing-2015-12/prepare.py --out build/beijing-2015-12
  build/lantian check build/beijing-2015-12/case.toml
  build/lantian hindcast build/beijing-2015-12/case.toml --from 2015-12-01 --to 2015-12-29 \
      --out build/beijing-hindcast

Needs numpy and netCDF4 (Debian python3-numpy, python3-netcdf4).
"""
import argparse
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import netCDF4

# The sites whose weather columns differ (the PRSA files take them from "the nearest CMA
# station": the six urban sites share Dongsi's, Dingling shares Changping's; Changping's has a
# 5-hour gap on 13 December, longer than lantian interpolates, and is left out).
MET_STATIONS = ["Dongsi", "Gucheng", "Huairou", "Shunyi", "Wanliu"]
HERE = os.path.dirname(os.path.abspath(__file__))
CONVERT = os.path.join(HERE, "..", "beijing", "convert_prsa.py")

# --- Annual totals, Beijing 2015, t/yr -------------------------------------------------------
# PUBLISHED: SO2, NOx and particulate matter (烟(粉)尘) of the environmental statistics for
# Beijing in 2015 (China Statistical Yearbook on Environment 2016, table "Emission of waste gas by
# region"; also the Beijing Environmental Statement 2015): about 71 kt SO2, 138 kt NOx and
# 49 kt particulate matter, rounded here to two figures. These statistics cover industry,
# residential/commercial combustion and vehicles, not fugitive dust.
# ASSUMED: primary PM2.5 as 60 % of that particulate total (combustion particulates are mostly
# fine); fugitive road and construction dust PM2.5 (not in the statistics) 20 kt; anthropogenic
# VOCs 200 kt (the order of the MEIC-based estimates for Beijing in the mid-2010s; no single table
# is reproduced); PM10 as 1.5x PM2.5 for combustion and 4x for dust.
TOTALS = {"so2": 71000.0, "nox": 138000.0, "pm25_combustion": 0.6 * 49000.0,
          "pm25_dust": 20000.0, "voc": 200000.0}

# ASSUMED sector shares of each total (the engine's sectors). Round numbers reflecting what is
# known qualitatively of Beijing in 2015: coal-fired power had been replaced by gas (little SO2),
# residential coal (散煤) heating in the suburban and rural plain dominated SO2 and much of the
# winter PM2.5, vehicles dominated NOx (the 2014 municipal source apportionment put mobile sources
# at 31 %, coal at 22 %, industry 18 % and dust 14 % of the LOCAL PM2.5: Beijing Municipal
# Environmental Protection Bureau, April 2014). Shares of a pollutant sum to 1.
SHARES = {
    "so2": {"residential_heating": 0.55, "industry": 0.33, "power": 0.05, "road_traffic": 0.04,
            "non_road_machinery": 0.03},
    "nox": {"road_traffic": 0.48, "industry": 0.18, "power": 0.14, "residential_heating": 0.10,
            "non_road_machinery": 0.10},
    "pm25_combustion": {"residential_heating": 0.40, "industry": 0.28, "road_traffic": 0.14,
                        "non_road_machinery": 0.06, "power": 0.02, "catering": 0.10},
    "pm25_dust": {"road_dust": 0.60, "construction_dust": 0.40},
    "voc": {"solvent_use": 0.40, "road_traffic": 0.28, "industry": 0.20, "residential_heating": 0.07,
            "catering": 0.05},
}
PM10_RATIO = {"pm25_combustion": 1.5, "pm25_dust": 4.0}

# --- INVENTED spatial proxies (no gridded population or road map is used) ----------------------
CORE = (116.397, 39.909)  # Tiananmen: the urban core
TOWNS = {  # district seats (approximate), for suburban activity
    "Changping": (116.231, 40.221), "Shunyi": (116.654, 40.130), "Tongzhou": (116.657, 39.910),
    "Daxing": (116.341, 39.727), "Fangshan": (116.143, 39.749), "Mentougou": (116.102, 39.941),
    "Huairou": (116.632, 40.316), "Miyun": (116.843, 40.376), "Pinggu": (117.121, 40.141),
    "Yanqing": (115.975, 40.456),
}
INDUSTRY_SITES = {  # approximate locations of the main industrial areas
    "Yanshan petrochemical": (115.96, 39.72), "Daxing-Yizhuang": (116.51, 39.79),
    "Tongzhou": (116.70, 39.86), "Shunyi": (116.60, 40.08), "Fangshan": (116.05, 39.70),
}
POWER_SITES = {  # the gas-fired combined heat and power plants (approximate locations)
    "Gaojing": (116.21, 39.92), "Huaneng Gaobeidian": (116.55, 39.88),
    "Caoqiao": (116.35, 39.85), "Taiyanggong": (116.45, 39.98),
}


def in_beijing(lon, lat):
    """A rough outline of the municipality (a polygon drawn by hand, INVENTED to ~10 km)."""
    poly = [(115.42, 39.83), (115.75, 39.55), (116.10, 39.44), (116.55, 39.45), (116.90, 39.60),
            (116.95, 39.80), (117.20, 39.95), (117.50, 40.20), (117.30, 40.65), (116.90, 41.05),
            (116.45, 40.95), (116.00, 40.70), (115.50, 40.35)]
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def plain(lon, lat):
    """The plain south-east of the Western Hills and the Yanshan (INVENTED line)."""
    return lat < 39.78 + 0.55 * (lon - 115.9) and lat < 40.45


def gauss(lon, lat, centre, sigma_km):
    dx = (lon - centre[0]) * 111.32 * math.cos(math.radians(centre[1]))
    dy = (lat - centre[1]) * 110.57
    return math.exp(-0.5 * (dx * dx + dy * dy) / (sigma_km * sigma_km))


def proxies(lons, lats):
    """Weights per cell (lat, lon) for each sector, each summing to 1 over Beijing."""
    shape = (len(lats), len(lons))
    names = ["urban", "suburban", "rural_plain", "industry", "power", "roads"]
    w = {n: np.zeros(shape) for n in names}
    for j, la in enumerate(lats):
        for i, lo in enumerate(lons):
            if not in_beijing(lo, la):
                continue
            core = gauss(lo, la, CORE, 8.0)
            towns = sum(gauss(lo, la, c, 4.0) for c in TOWNS.values())
            flat = 1.0 if plain(lo, la) else 0.15  # mountain villages: fewer people
            w["urban"][j, i] = core + 0.15 * towns + 0.01 * flat
            w["suburban"][j, i] = 0.3 * core + towns + 0.05 * flat
            # residential coal: the villages of the plain and the hills, not the gas-heated core
            w["rural_plain"][j, i] = flat * (1.0 - 0.9 * gauss(lo, la, CORE, 10.0)) + 0.3 * towns
            w["industry"][j, i] = sum(gauss(lo, la, c, 3.0) for c in INDUSTRY_SITES.values()) + 0.02 * flat
            w["power"][j, i] = sum(gauss(lo, la, c, 1.0) for c in POWER_SITES.values())
            w["roads"][j, i] = core + 0.4 * towns + 0.05 * flat
    return {n: a / a.sum() for n, a in w.items()}


SECTOR_PROXY = {"residential_heating": "rural_plain", "road_traffic": "roads", "road_dust": "roads",
                "non_road_machinery": "suburban", "construction_dust": "suburban",
                "industry": "industry", "power": "power", "solvent_use": "urban", "catering": "urban"}


def sector_totals():
    """t/yr per sector and pollutant (so2, nox, pm25, pm10, voc)."""
    out = {}
    for key, shares in SHARES.items():
        for sector, share in shares.items():
            d = out.setdefault(sector, {"so2": 0.0, "nox": 0.0, "pm25": 0.0, "pm10": 0.0, "voc": 0.0})
            t = TOTALS[key] * share
            if key.startswith("pm25"):
                d["pm25"] += t
                d["pm10"] += t * PM10_RATIO[key]
            else:
                d[key] += t
    return out


def write_inventory(folder):
    os.makedirs(folder, exist_ok=True)
    lons = np.round(np.arange(115.30, 117.70 + 1e-9, 0.02), 4)
    lats = np.round(np.arange(39.30, 41.20 + 1e-9, 0.02), 4)
    w = proxies(lons, lats)
    totals = sector_totals()
    for sector, pollutants in sorted(totals.items()):
        path = os.path.join(folder, sector + ".nc")
        tmp = path + ".tmp"
        with netCDF4.Dataset(tmp, "w", format="NETCDF4_CLASSIC") as nc:
            nc.title = "Beijing 2015 %s emissions: published city totals, assumed sector share, INVENTED spatial proxy" % sector
            nc.source = "lantian examples/beijing-2015-12/prepare.py"
            nc.Conventions = "CF-1.8"
            nc.sector = sector
            nc.createDimension("lat", len(lats))
            nc.createDimension("lon", len(lons))
            v = nc.createVariable("lat", "f8", ("lat",))
            v.units, v.standard_name = "degrees_north", "latitude"
            v[:] = lats
            v = nc.createVariable("lon", "f8", ("lon",))
            v.units, v.standard_name = "degrees_east", "longitude"
            v[:] = lons
            proxy = w[SECTOR_PROXY[sector]]
            # Every pollutant the reader looks for, zero where the sector has none (NH3 is not in
            # this inventory: agriculture is left out, NH3 does not limit the linear chemistry).
            for pol in ("so2", "nox", "pm25", "pm10", "voc", "nh3"):
                total = pollutants.get(pol, 0.0)
                v = nc.createVariable(pol, "f8", ("lat", "lon"))
                v.units = "t/yr"
                v.long_name = "%s %s, annual total %.0f t/yr" % (sector, pol, total)
                v[:, :] = total * proxy
        os.replace(tmp, path)
    return totals


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="the case folder to write (must not exist, or use --force)")
    ap.add_argument("--force", action="store_true", help="replace --out if it exists")
    ap.add_argument("--data-dir", help="the PRSA folder (default: convert_prsa.py's)")
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    if os.path.commonpath([out, HERE]) == HERE:
        sys.exit("prepare: --out must be outside the example folder %s" % HERE)
    if os.path.exists(out):
        if not args.force:
            sys.exit("prepare: %s exists (use --force to replace it)" % out)
        shutil.rmtree(out)
    tmp = out + ".tmp-%d" % os.getpid()
    os.makedirs(tmp)
    try:
        for name in ("case.toml", "case-5-stations.toml"):
            shutil.copy(os.path.join(HERE, name), os.path.join(tmp, name))
        os.makedirs(os.path.join(tmp, "met"))
        for k, station in enumerate(MET_STATIONS):
            # The first call also writes the observations of all 12 stations.
            cmd = [sys.executable, CONVERT, "--met-out", os.path.join(tmp, "met", station + ".csv"),
                   "--met-station", station, "--from", "2015-11-20", "--to", "2016-01-03"]
            if k == 0:
                cmd += ["--out", os.path.join(tmp, "observations.csv")]
            if args.data_dir:
                cmd += ["--data-dir", args.data_dir]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        # Keep only the span of the hindcast (the observations file is all four years otherwise).
        keep = []
        with open(os.path.join(tmp, "observations.csv")) as f:
            for k, line in enumerate(f):
                if k == 0 or "2015-11-20" <= line.split(",")[1][:10] <= "2016-01-03":
                    keep.append(line)
        with open(os.path.join(tmp, "observations.csv"), "w") as f:
            f.writelines(keep)
        totals = write_inventory(os.path.join(tmp, "inventory"))
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print("prepare: %d observation rows, inventory of %d sectors -> %s" % (len(keep) - 1, len(totals), out))
    for sector, p in sorted(totals.items()):
        print("  %-20s " % sector + "  ".join("%s %7.0f" % (k, v) for k, v in p.items()) + "  t/yr")
    return 0


if __name__ == "__main__":
    sys.exit(main())
