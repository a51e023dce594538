#!/usr/bin/env python3
"""Daily scores by lead day from a hindcast's pairs.csv (lantian hindcast ... --out DIR).

pairs.csv has one row per station-hour: time (the hour's start, local with offset), station,
issue_time, lead_h, obs and one column per forecast (lantian, persistence, lantian-kf, ...). Here
the hours are grouped into local days per (issue, station); a day counts when it has at least 18
hours with an observation and every forecast (the national network's validity rule for a daily
mean, GB 3095-2012: 20 of 24 hours, relaxed to 18 because the hindcast days are scored as
forecasts, not as compliance statistics); lead day 1 is the day after the issue day. For each
lead day and forecast: n, mean obs, NMB, NME = sum|m - o| / sum o, RMSE and r over the
station-days, and the same for the city mean (the mean over stations of each day, the figure a
warning is decided on).

Usage: /usr/bin/python3 examples/beijing-2015-12/score_by_lead.py DIR/pairs.csv
Standard library only.
"""
import csv
import datetime as dt
import math
import sys
from collections import defaultdict


def scores(pairs):
    n = len(pairs)
    if n == 0:
        return None
    o = [p[0] for p in pairs]
    m = [p[1] for p in pairs]
    so = sum(o)
    mo, mm = so / n, sum(m) / n
    cov = sum((a - mo) * (b - mm) for a, b in zip(o, m))
    vo = sum((a - mo) ** 2 for a in o)
    vm = sum((b - mm) ** 2 for b in m)
    r = cov / math.sqrt(vo * vm) if vo > 0 and vm > 0 else float("nan")
    return {"n": n, "mean_obs": mo, "nmb": (sum(m) - so) / so, "nme": sum(abs(b - a) for a, b in zip(o, m)) / so,
            "rmse": math.sqrt(sum((b - a) ** 2 for a, b in zip(o, m)) / n), "r": r}


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    with open(argv[1], newline="") as f:
        reader = csv.DictReader(f)
        forecasts = [c for c in reader.fieldnames if c not in ("time", "station", "issue_time", "lead_h", "obs")]
        days = defaultdict(list)  # (issue, station, date) -> rows
        for row in reader:
            days[(row["issue_time"], row["station"], row["time"][:10])].append(row)
    per_lead = defaultdict(lambda: defaultdict(list))       # lead -> forecast -> [(o, m)]
    city = defaultdict(lambda: defaultdict(list))           # (lead, issue, date) -> forecast -> [(o, m)]
    for (issue, station, date), rows in days.items():
        ok = [r for r in rows if r["obs"] not in ("", "NA") and all(r[f] not in ("", "NA") for f in forecasts)]
        if len(ok) < 18:
            continue
        # lead day: calendar days after the issue day (0 = the issue day's evening)
        lead = (dt.date.fromisoformat(date) - dt.date.fromisoformat(issue[:10])).days
        obs = sum(float(r["obs"]) for r in ok) / len(ok)
        for fc in forecasts:
            mod = sum(float(r[fc]) for r in ok) / len(ok)
            per_lead[lead][fc].append((obs, mod))
            city[(lead, issue, date)][fc].append((obs, mod))
    print("station-days (each station's daily mean)")
    print("lead  forecast        n  mean_obs    nmb    nme   rmse      r")
    for lead in sorted(per_lead):
        for fc in forecasts:
            s = scores(per_lead[lead][fc])
            print("%4d  %-12s %4d  %8.1f  %+5.0f%%  %4.0f%%  %5.1f  %5.2f" %
                  (lead, fc, s["n"], s["mean_obs"], 100 * s["nmb"], 100 * s["nme"], s["rmse"], s["r"]))
    print("city mean (the mean of the stations' daily means)")
    print("lead  forecast        n  mean_obs    nmb    nme   rmse      r")
    by_lead = defaultdict(lambda: defaultdict(list))
    for (lead, issue, date), per_fc in city.items():
        for fc, pairs in per_fc.items():
            by_lead[lead][fc].append((sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs)))
    for lead in sorted(by_lead):
        for fc in forecasts:
            s = scores(by_lead[lead][fc])
            print("%4d  %-12s %4d  %8.1f  %+5.0f%%  %4.0f%%  %5.1f  %5.2f" %
                  (lead, fc, s["n"], s["mean_obs"], 100 * s["nmb"], 100 * s["nme"], s["rmse"], s["r"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
