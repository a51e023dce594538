#!/usr/bin/env python3
"""Convert the UCI Beijing multi-site air-quality files (PRSA_Data_<Station>_*.csv) into the
input schema of `lantian aqi`: station,time,PM2.5,PM10,SO2,NO2,CO,O3.

The PRSA files (Zhang et al. 2017, Proc. R. Soc. A 473:20170457; Beijing Municipal
Environmental Monitoring Center) hold hourly concentrations in ug/m3 -- CO too, which the
HJ 633-2012 tables want in mg/m3, so CO is divided by 1000 here. "NA" is missing and is written
as NA. Times are Beijing local time (UTC+8, no daylight saving) and are written without an
offset, so `lantian aqi --tz Asia/Shanghai` (the default) reads them as such.

With --met-out, the weather columns of one station's file (TEMP, PRES, DEWP, RAIN, wd, WSPM:
"met from the nearest CMA station" per the data set) are also written in the station-profile
schema of meteo/station_profile.hpp (time, wind10_m_s, wind10_dir_deg, t2_c, rh2_pct,
precip_mm_h, pressure_hpa): the 16-point compass direction in degrees ("cv", calm, kept as cv),
the relative humidity from the dew point by the Magnus formula of Alduchov & Eskridge (1996,
J. Appl. Meteor. 35, 601-609: e_s(T) = 6.1094 exp(17.625 T / (T + 243.04)) hPa), no mixing
height (lantian diagnoses it from these columns). An hour with any of these cells NA is left
out (lantian interpolates gaps of up to 3 hours and refuses longer ones, naming them).

Usage:
  /usr/bin/python3 examples/beijing/convert_prsa.py --out /tmp/beijing.csv
  /usr/bin/python3 examples/beijing/convert_prsa.py --stations Dongsi --out /tmp/dongsi.csv
  build/lantian aqi /tmp/beijing.csv --out /tmp/beijing-aqi --force
  /usr/bin/python3 examples/beijing/convert_prsa.py --out /tmp/obs.csv --met-out /tmp/dongsi-met.csv \
      --met-station Dongsi --from 2015-12-01 --to 2015-12-31
  build/lantian met /tmp/dongsi-met.csv --at 39.929,116.417

Standard library only.
"""
import argparse
import csv
import glob
import math
import os
import sys

POLLUTANTS = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]
COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
MET_COLUMNS = ["time", "wind10_m_s", "wind10_dir_deg", "t2_c", "rh2_pct", "precip_mm_h", "pressure_hpa"]


def direction_deg(text):
    """16-point compass text -> degrees from north (where the wind blows from); cv stays cv."""
    if text == "cv":
        return "cv"
    return "%g" % (22.5 * COMPASS.index(text))


def relative_humidity(t_c, td_c):
    """RH in % from temperature and dew point (Magnus, Alduchov & Eskridge 1996), capped at 100."""
    es = lambda t: 6.1094 * math.exp(17.625 * t / (t + 243.04))
    return min(100.0, 100.0 * es(td_c) / es(t_c))


def convert_met(path, writer, first, last):
    """Writes the met rows of one PRSA file between the local dates first..last (inclusive,
    YYYY-MM-DD or None); returns (rows written, hours left out)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        rows = skipped = 0
        for row in reader:
            date = "%s-%02d-%02d" % (row["year"], int(row["month"]), int(row["day"]))
            if (first and date < first) or (last and date > last):
                continue
            cells = [row[c] for c in ("TEMP", "PRES", "DEWP", "RAIN", "wd", "WSPM")]
            if any(c in ("NA", "") for c in cells):
                skipped += 1
                continue
            t, p, td, rain, wd, ws = cells
            writer.writerow(["%sT%02d:00" % (date, int(row["hour"])), ws, direction_deg(wd), t,
                             "%.1f" % relative_humidity(float(t), float(td)), rain, p])
            rows += 1
        return rows, skipped


def default_data_dir():
    real = os.environ.get("LANTIAN_REAL_DATA")
    if real:
        return os.path.join(real, "beijing-multisite-aq-2013-2017")
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "beijing-multisite-aq-2013-2017"))


def co_to_mg(text):
    """CO in ug/m3 -> mg/m3, keeping NA."""
    if text == "NA" or text == "":
        return "NA"
    return "%g" % (float(text) / 1000.0)


def convert_file(path, writer, wanted):
    """Writes the rows of one PRSA file; returns (station, rows) or None when skipped."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        missing = [c for c in ["year", "month", "day", "hour", "station"] + POLLUTANTS if c not in col]
        if missing:
            raise SystemExit("%s: missing columns %s" % (path, ", ".join(missing)))
        iy, im, iday, ih, ist = (col[c] for c in ("year", "month", "day", "hour", "station"))
        ip = [col[p] for p in POLLUTANTS]
        ico = col["CO"]
        station = None
        rows = 0
        for row in reader:
            if station is None:
                station = row[ist]
                if wanted and station not in wanted:
                    return None
            time = "%s-%02d-%02dT%02d:00:00" % (row[iy], int(row[im]), int(row[iday]), int(row[ih]))
            values = [co_to_mg(row[i]) if i == ico else row[i] for i in ip]
            writer.writerow([row[ist], time] + values)
            rows += 1
        return station, rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=default_data_dir(),
                    help="folder with PRSA_Data_*.csv (default: $LANTIAN_REAL_DATA/beijing-multisite-aq-2013-2017 "
                         "or ../shared/data/beijing-multisite-aq-2013-2017; now %(default)s)")
    ap.add_argument("--out", help="output CSV of the concentrations (do not commit it); optional with --met-out")
    ap.add_argument("--stations", nargs="*", default=None,
                    help="only these stations (e.g. Dongsi Tiantan); default all")
    ap.add_argument("--met-out", help="also write one station's weather in the station-profile schema here")
    ap.add_argument("--met-station", default="Dongsi", help="the station whose weather --met-out takes (%(default)s)")
    ap.add_argument("--from", dest="first", help="first local date YYYY-MM-DD of --met-out (default: all)")
    ap.add_argument("--to", dest="last", help="last local date YYYY-MM-DD of --met-out (default: all)")
    args = ap.parse_args(argv)
    if not args.out and not args.met_out:
        ap.error("give --out, --met-out or both")

    files = sorted(glob.glob(os.path.join(args.data_dir, "PRSA_Data_*.csv")))
    if not files:
        print("convert_prsa: no PRSA_Data_*.csv in %s" % args.data_dir, file=sys.stderr)
        return 1
    wanted = set(args.stations) if args.stations else None
    if args.out:
        total = 0
        done = []
        with open(args.out, "w", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["station", "time"] + POLLUTANTS)
            for path in files:
                r = convert_file(path, writer, wanted)
                if r is None:
                    continue
                done.append(r[0])
                total += r[1]
        if wanted and set(done) != wanted:
            print("convert_prsa: stations not found: %s" % ", ".join(sorted(wanted - set(done))), file=sys.stderr)
            return 1
        print("convert_prsa: %d rows of %d stations (%s) -> %s" % (total, len(done), " ".join(done), args.out))
    if args.met_out:
        match = [f for f in files if os.path.basename(f).startswith("PRSA_Data_%s_" % args.met_station)]
        if not match:
            print("convert_prsa: no PRSA_Data_%s_*.csv for --met-station" % args.met_station, file=sys.stderr)
            return 1
        with open(args.met_out, "w", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(MET_COLUMNS)
            rows, skipped = convert_met(match[0], writer, args.first, args.last)
        print("convert_prsa: %d met hours of %s (%d with a missing cell left out) -> %s"
              % (rows, args.met_station, skipped, args.met_out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
