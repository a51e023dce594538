#!/usr/bin/env python3
"""Convert the UCI Beijing multi-site air-quality files (PRSA_Data_<Station>_*.csv) into the
input schema of `lantian aqi`: station,time,PM2.5,PM10,SO2,NO2,CO,O3.

The PRSA files (Zhang et al. 2017, Proc. R. Soc. A 473:20170457; Beijing Municipal
Environmental Monitoring Center) hold hourly concentrations in ug/m3 -- CO too, which the
HJ 633-2012 tables want in mg/m3, so CO is divided by 1000 here. "NA" is missing and is written
as NA. Times are Beijing local time (UTC+8, no daylight saving) and are written without an
offset, so `lantian aqi --tz Asia/Shanghai` (the default) reads them as such.

Usage:
  /usr/bin/python3 examples/beijing/convert_prsa.py --out /tmp/beijing.csv
  /usr/bin/python3 examples/beijing/convert_prsa.py --stations Dongsi --out /tmp/dongsi.csv
  build/lantian aqi /tmp/beijing.csv --out /tmp/beijing-aqi --force

Standard library only.
"""
import argparse
import csv
import glob
import os
import sys

POLLUTANTS = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]


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
    ap.add_argument("--out", required=True, help="output CSV (do not commit it)")
    ap.add_argument("--stations", nargs="*", default=None,
                    help="only these stations (e.g. Dongsi Tiantan); default all")
    args = ap.parse_args(argv)

    files = sorted(glob.glob(os.path.join(args.data_dir, "PRSA_Data_*.csv")))
    if not files:
        print("convert_prsa: no PRSA_Data_*.csv in %s" % args.data_dir, file=sys.stderr)
        return 1
    wanted = set(args.stations) if args.stations else None
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
