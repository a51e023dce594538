#!/usr/bin/env python3
"""Generates examples/demo-city/observations.csv: ten days of hourly observations at the eight
fictional national monitoring stations of the demo city, with a winter heavy-pollution episode
(重污染过程) that builds up over two days, holds for about four, and is cleared by a cold front.

Everything is a fixed formula plus noise from random.Random(SEED), so the file is reproducible:

  hour h = 0..239 from 2024-12-10T00:00 local (Asia/Shanghai)
  diurnal(h)  = 1 + 0.25 * sin(2*pi*(hour_of_day - 14) / 24)     (evening/night maximum)
  episode(h)  = smoothstep(h; 30, 78) * (1 - smoothstep(h; 150, 162))
  PM2.5       = (38 + STRENGTH[station] * 265 * episode) * diurnal * lognormal(0, 0.12)
  PM10        = PM2.5 * (1.30 + 0.1 * U)  + 15 * U           (U uniform in [0, 1))
  SO2         = (9 + 18 * episode) * lognormal(0, 0.2)
  NO2         = (35 + 55 * episode) * diurnal * lognormal(0, 0.15)
  CO (mg/m3)  = (0.5 + 0.0085 * PM2.5) * lognormal(0, 0.1)
  O3          = max(2, (48 - 30 * episode) * (1 + 0.8 * sin(2*pi*(hour_of_day - 9) / 24)) * lognormal(0, 0.15))

STRENGTH is 1.0 (Chengzhong, downtown), 0.62 (Beiyuan, north park), 0.4 (Donggang, harbour),
0.8 (Nanhu), 0.5 (Xishan), 0.7 (Jiangbei), 0.55 (Lingang), 0.3 (Shuiku, reservoir background):
downtown reaches the red condition (24-h AQI > 200 for 72 h with a block > 300), the others
orange/yellow.

Missing data, so that the outputs show how it is counted: each value is NA with probability
0.015; Beiyuan has an analyser fault (PM2.5 and PM10 blank for 7 hours on day 5); Donggang has
a 6-hour outage with no rows at all on day 3 (a gap, counted as missing hours).

Usage: /usr/bin/python3 examples/demo-city/make_observations.py [--out PATH]
"""
import argparse
import math
import os
import random

SEED = 20241210
START = (2024, 12, 10)
HOURS = 240
# The first three keep their series when stations are appended (one RNG stream, station-major).
STATIONS = [("Chengzhong", 1.0), ("Beiyuan", 0.62), ("Donggang", 0.4), ("Nanhu", 0.8),
            ("Xishan", 0.5), ("Jiangbei", 0.7), ("Lingang", 0.55), ("Shuiku", 0.3)]
P_NA = 0.015
FAULT = ("Beiyuan", range(4 * 24 + 9, 4 * 24 + 16))     # PM blank, day 5 09:00-15:00
OUTAGE = ("Donggang", range(2 * 24 + 10, 2 * 24 + 16))  # no rows, day 3 10:00-15:00


def smoothstep(x, a, b):
    t = min(1.0, max(0.0, (x - a) / (b - a)))
    return t * t * (3 - 2 * t)


def timestamp(h):
    year, month, day = START
    day += h // 24
    days_in_dec = 31
    if day > days_in_dec:
        day -= days_in_dec
        month, year = 1, year + 1
    return "%04d-%02d-%02dT%02d:00" % (year, month, day, h % 24)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="demo-city observations generator")
    ap.add_argument("--out", default=os.path.join(here, "observations.csv"))
    args = ap.parse_args()

    rng = random.Random(SEED)
    lines = ["station,time,PM2.5,PM10,SO2,NO2,CO,O3"]
    for name, strength in STATIONS:
        for h in range(HOURS):
            hod = h % 24
            diurnal = 1 + 0.25 * math.sin(2 * math.pi * (hod - 14) / 24)
            ep = smoothstep(h, 30, 78) * (1 - smoothstep(h, 150, 162))
            pm25 = (38 + strength * 265 * ep) * diurnal * rng.lognormvariate(0, 0.12)
            pm10 = pm25 * (1.30 + 0.1 * rng.random()) + 15 * rng.random()
            so2 = (9 + 18 * ep) * rng.lognormvariate(0, 0.2)
            no2 = (35 + 55 * ep) * diurnal * rng.lognormvariate(0, 0.15)
            co = (0.5 + 0.0085 * pm25) * rng.lognormvariate(0, 0.1)
            o3 = max(2.0, (48 - 30 * ep) * (1 + 0.8 * math.sin(2 * math.pi * (hod - 9) / 24))
                     * rng.lognormvariate(0, 0.15))
            values = ["%.1f" % pm25, "%.1f" % pm10, "%.1f" % so2, "%.1f" % no2, "%.2f" % co, "%.1f" % o3]
            values = ["NA" if rng.random() < P_NA else v for v in values]
            if name == OUTAGE[0] and h in OUTAGE[1]:
                continue
            if name == FAULT[0] and h in FAULT[1]:
                values[0] = values[1] = ""
            lines.append("%s,%s,%s" % (name, timestamp(h), ",".join(values)))
    with open(args.out, "w", newline="") as f:
        f.write("\n".join(lines) + "\n")
    print("make_observations: %d rows -> %s" % (len(lines) - 1, args.out))


if __name__ == "__main__":
    main()
