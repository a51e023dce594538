"""Real data: the Beijing PRSA weather columns (../shared/data/beijing-multisite-aq-2013-2017)
converted by examples/beijing/convert_prsa.py --met-out into the station-profile schema, read by
`lantian met` without a mixing height (diagnosed from the surface observations). Checks: the
conversion of one row by hand, the whole of December 2015 accepted, and the diagnosis's
stagnation indicators rising with the observed PM2.5 (the 7-10 December red-alert days against
the windy clean days 2-3 December)."""
import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

DATA = Path(os.environ.get("LANTIAN_REAL_DATA", REPO_ROOT.parent / "shared" / "data")) / "beijing-multisite-aq-2013-2017"
LANTIAN = REPO_ROOT / os.environ.get("LANTIAN_BUILD_DIR", "build") / "lantian"


@pytest.fixture(scope="module")
def dongsi(tmp_path_factory):
    if not (DATA / "PRSA_Data_Dongsi_20130301-20170228.csv").exists():
        pytest.skip("the Beijing PRSA data set is not at " + str(DATA))
    if not LANTIAN.exists():
        pytest.skip(f"{LANTIAN} not built")
    tmp = tmp_path_factory.mktemp("beijing")
    subprocess.run([sys.executable, str(REPO_ROOT / "examples" / "beijing" / "convert_prsa.py"), "--data-dir", str(DATA),
                    "--stations", "Dongsi", "--out", str(tmp / "obs.csv"), "--met-out", str(tmp / "met.csv"),
                    "--met-station", "Dongsi", "--from", "2015-12-01", "--to", "2015-12-31"], check=True)
    subprocess.run([str(LANTIAN), "met", str(tmp / "met.csv"), "--at", "39.929,116.417", "--out", str(tmp / "point.csv")],
                   check=True, capture_output=True)
    return tmp


def test_conversion_of_one_row_by_hand(dongsi):
    # PRSA Dongsi 2015-12-01 hour 0: TEMP -1.2, DEWP -1.3, wd ENE, WSPM 0.9, PRES 1018.7 (read
    # from the source file here). RH = 100 e_s(Td)/e_s(T), e_s(x) = exp(17.625 x / (x + 243.04)).
    with open(DATA / "PRSA_Data_Dongsi_20130301-20170228.csv", newline="") as f:
        src = next(r for r in csv.DictReader(f) if (r["year"], r["month"], r["day"], r["hour"]) == ("2015", "12", "1", "0"))
    with open(dongsi / "met.csv", newline="") as f:
        row = next(csv.DictReader(f))
    assert row["time"] == "2015-12-01T00:00"
    t, td = float(src["TEMP"]), float(src["DEWP"])
    es = lambda x: math.exp(17.625 * x / (x + 243.04))
    assert float(row["rh2_pct"]) == pytest.approx(min(100.0, 100.0 * es(td) / es(t)), abs=0.05)
    compass = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
    assert float(row["wind10_dir_deg"]) == 22.5 * compass.index(src["wd"])
    assert float(row["wind10_m_s"]) == float(src["WSPM"])


def test_the_diagnosed_stagnation_follows_the_observed_haze(dongsi):
    with open(dongsi / "point.csv", newline="") as f:
        met = list(csv.DictReader(f))
    assert len(met) == 31 * 24
    assert all(50.0 <= float(r["pblh_m"]) <= 4000.0 for r in met)

    def mean_of(day, key):
        vals = [float(r[key]) for r in met if r["time_local"].startswith(day)]
        return sum(vals) / len(vals)

    haze = [f"2015-12-{d:02d}" for d in (7, 8, 9)]   # red alert, daily PM2.5 180-270 ug/m3 at Dongsi
    clean = ["2015-12-02", "2015-12-03"]             # north wind, daily PM2.5 ~10 ug/m3
    assert min(mean_of(d, "stagnation_count") for d in haze) > max(mean_of(d, "stagnation_count") for d in clean) + 1.0
    assert max(mean_of(d, "pblh_m") for d in haze) < min(mean_of(d, "pblh_m") for d in clean) / 2.0
