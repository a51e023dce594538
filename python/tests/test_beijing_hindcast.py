"""Real data: the Beijing December 2015 example (examples/beijing-2015-12) prepared from the PRSA
files and hindcast over two issues. Checks against independent references:
- the prepared inventory's annual totals equal the published Beijing 2015 figures the example
  cites (SO2 71 kt, NOx 138 kt) and the stated assumptions (PM2.5 0.6 x 49 kt + 20 kt dust,
  VOCs 200 kt), summed over the sector files (conservation of the split and the proxies);
- persistence in the hindcast's pairs.csv equals the mean of the 24 observed hours before each
  issue, computed here from the raw PRSA file (not from lantian's converted observations);
- the hourly pairs: every run hour once, the observed ones with the raw file's value, their number
  the summary's n (no hour lost, shifted or paired twice)."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

DATA = Path(os.environ.get("LANTIAN_REAL_DATA", REPO_ROOT.parent / "shared" / "data")) / "beijing-multisite-aq-2013-2017"
LANTIAN = REPO_ROOT / os.environ.get("LANTIAN_BUILD_DIR", "build") / "lantian"
EXAMPLE = REPO_ROOT / "examples" / "beijing-2015-12"
ISSUES = ["2015-12-07", "2015-12-08"]  # the first red-alert episode, 16:00 issues
HOURS = 72


def raw_pm25(station):
    """{(date, hour): PM2.5 or None} of one raw PRSA file."""
    path = next(DATA.glob(f"PRSA_Data_{station}_*.csv"))
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] != "2015" or r["month"] != "12":
                continue
            key = ("2015-12-%02d" % int(r["day"]), int(r["hour"]))
            out[key] = None if r["PM2.5"] == "NA" else float(r["PM2.5"])
    return out


def hours_from(date, hour, n):
    """(date, hour) keys of n hours from date hour (December 2015 only)."""
    day, h = int(date[-2:]), hour
    for _ in range(n):
        yield ("2015-12-%02d" % day, h)
        h += 1
        if h == 24:
            h, day = 0, day + 1


@pytest.fixture(scope="module")
def hindcast(tmp_path_factory):
    if not (DATA / "PRSA_Data_Dongsi_20130301-20170228.csv").exists():
        pytest.skip("the Beijing PRSA data set is not at " + str(DATA))
    if not LANTIAN.exists():
        pytest.skip(f"{LANTIAN} not built")
    pytest.importorskip("netCDF4")
    tmp = tmp_path_factory.mktemp("beijing-hindcast")
    subprocess.run([sys.executable, str(EXAMPLE / "prepare.py"), "--out", str(tmp / "case"), "--data-dir", str(DATA)],
                   check=True, capture_output=True)
    r = subprocess.run([str(LANTIAN), "hindcast", str(tmp / "case" / "case.toml"), "--from", ISSUES[0], "--to", ISSUES[-1],
                        "--out", str(tmp / "out")], capture_output=True, text=True,
                       env={**os.environ, "OMP_WAIT_POLICY": "passive"})
    assert r.returncode == 0, r.stderr
    return tmp, r.stdout


def test_inventory_totals_are_the_cited_figures(hindcast):
    import netCDF4
    tmp, _ = hindcast
    totals = {"so2": 0.0, "nox": 0.0, "pm25": 0.0, "voc": 0.0}
    files = sorted((tmp / "case" / "inventory").glob("*.nc"))
    assert len(files) == 9
    for path in files:
        with netCDF4.Dataset(path) as nc:
            for k in totals:
                assert nc[k].units == "t/yr"
                totals[k] += float(nc[k][:].sum())
    # README.md / prepare.py: published 71 kt SO2, 138 kt NOx; PM2.5 0.6 x 49 kt + 20 kt; VOCs 200 kt.
    # Sums of ~10^4 cells in double: 1e-9 relative.
    assert totals["so2"] == pytest.approx(71000.0, rel=1e-9)
    assert totals["nox"] == pytest.approx(138000.0, rel=1e-9)
    assert totals["pm25"] == pytest.approx(0.6 * 49000.0 + 20000.0, rel=1e-9)
    assert totals["voc"] == pytest.approx(200000.0, rel=1e-9)


def test_persistence_and_pairs_from_the_raw_files(hindcast):
    tmp, stdout = hindcast
    assert "lantian hindcast: beijing-2015-12, 2 daily issues" in stdout
    pairs = list(csv.DictReader(open(tmp / "out" / "pairs.csv", newline="")))
    stations = sorted({p["station"] for p in pairs})
    assert len(stations) == 12
    expected_pairs = 0
    for station in stations:
        raw = raw_pm25(station)
        for issue in ISSUES:
            # Persistence: the mean of the observed hours 16:00 the day before .. 15:00 (24 hours,
            # at least 20 valid), the value carried over the whole run.
            day_before = "2015-12-%02d" % (int(issue[-2:]) - 1)
            before = [raw[k] for k in hours_from(day_before, 16, 24) if raw.get(k) is not None]
            mine = [p for p in pairs if p["station"] == station and p["issue_time"].startswith(issue)]
            values = {p["persistence"] for p in mine}
            if len(before) >= 20:
                assert len(values) == 1
                assert float(values.pop()) == pytest.approx(sum(before) / len(before), rel=1e-5)  # 6 digits
            # pairs.csv lists every hour of the run once (obs blank where none was measured); the
            # hours with an observation are exactly the raw file's valid hours in the span.
            span = list(hours_from(issue, 16, HOURS))
            observed = [k for k in span if raw.get(k) is not None]
            assert sorted((p["time"][:10], int(p["time"][11:13])) for p in mine) == sorted(span)
            assert sorted((p["time"][:10], int(p["time"][11:13])) for p in mine if p["obs"] != "") == sorted(observed)
            for p in mine:
                if p["obs"] != "":
                    assert float(p["obs"]) == raw[(p["time"][:10], int(p["time"][11:13]))]
            expected_pairs += len(observed)
    # The summary's hourly n of lantian: the observed pairs.
    line = next(l for l in stdout.splitlines() if l.split()[:2] == ["lantian", "hourly"])
    assert int(line.split()[2]) == expected_pairs
