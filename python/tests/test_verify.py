"""lantian.jobs.verify (`lantian verify`) on the demo forecast the CI runs (LANTIAN_NC_SAMPLE's
folder): its hourly scores against the same pairs formed here independently with pandas from
stations.csv and observations.csv (both label the start of the hour: the model row T is the hour
[T, T + 1 h), paired with the observation T, docs/time-labels.md; until issue 12 the model row T
was the hour [T - 1 h, T) and this test shifted it back), persistence from the 24 observed hours
before the issue time, and the errors against the command-line tool's."""
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lantian.jobs as jobs

from conftest import DEMO, coarse_demo
from test_jobs import cli_error

SAMPLE = os.environ.get("LANTIAN_NC_SAMPLE")


@pytest.fixture(scope="module")
def demo_run() -> Path:
    if not SAMPLE or not (Path(SAMPLE).parent / "stations.csv").exists():
        pytest.skip("LANTIAN_NC_SAMPLE (the demo run folder's fields.nc) not set")
    return Path(SAMPLE).parent


def test_verify_scores_equal_an_independent_pairing(demo_run, tmp_path):
    r = jobs.verify(demo_run, DEMO / "observations.csv", tmp_path / "v")
    model = pd.read_csv(demo_run / "stations.csv")
    model["hour"] = pd.to_datetime(model["time"], utc=True)  # hour-beginning, as the observations
    obs = pd.read_csv(DEMO / "observations.csv")
    obs["hour"] = pd.to_datetime(obs["time"]).dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")
    pairs = model.merge(obs[["station", "hour", "PM2.5"]], on=["station", "hour"]).dropna(subset=["PM2.5"])
    issue = model["hour"].min()

    lantian = {(s["station"], s["averaging"]): s for s in r["scores"] if s["forecast"] == "lantian"}
    a = lantian[("all", "hourly")]
    d = pairs["pm25"] - pairs["PM2.5"]
    assert a["n"] == len(pairs)
    assert a["mb"] == pytest.approx(d.mean(), rel=1e-9)
    assert a["rmse"] == pytest.approx(np.sqrt((d ** 2).mean()), rel=1e-9)
    assert a["nme"] == pytest.approx(d.abs().sum() / pairs["PM2.5"].sum(), rel=1e-9)
    assert a["r"] == pytest.approx(np.corrcoef(pairs["pm25"], pairs["PM2.5"])[0, 1], rel=1e-9)

    # Persistence at one station: the mean of the 24 observed hours before the issue.
    station = pairs["station"].iloc[0]
    before = obs[(obs["station"] == station) & (obs["hour"] >= issue - pd.Timedelta(hours=24)) & (obs["hour"] < issue)]
    p = before["PM2.5"].mean()
    st = pairs[pairs["station"] == station]
    persistence = {(s["station"], s["averaging"]): s for s in r["scores"] if s["forecast"] == "persistence"}
    assert persistence[(station, "hourly")]["mb"] == pytest.approx((p - st["PM2.5"]).mean(), rel=1e-9)

    # One run: the Kalman filter has nothing to learn from, lantian-kf is lantian.
    kf = {(s["station"], s["averaging"]): s for s in r["scores"] if s["forecast"] == "lantian-kf"}
    assert kf[("all", "hourly")]["rmse"] == pytest.approx(a["rmse"], rel=1e-12)
    assert r["issues"] == 1 and sum(r["warning"]["lantian"][k] for k in ("hits", "misses", "false_alarms", "correct_negatives")) == 1
    assert sorted(r["files"]) == sorted(p.name for p in (tmp_path / "v").iterdir() if not p.name.startswith("."))


def test_verify_errors_are_the_command_line_tools(tmp_path):
    (tmp_path / "run").mkdir()
    args = [tmp_path / "run", "--observations", DEMO / "observations.csv", "--out", tmp_path / "v"]
    message = cli_error("verify", *args)
    with pytest.raises(Exception) as e:
        jobs.verify(tmp_path / "run", DEMO / "observations.csv", tmp_path / "v")
    assert str(e.value) == message
    assert "no stations.csv" in message


def test_hindcast_runs_each_issue_and_scores_them_as_verify_does(tmp_path):
    case = coarse_demo(tmp_path, hours=12)
    seen = []
    h = jobs.hindcast(case, tmp_path / "h", from_date="2024-12-11", to_date="2024-12-12", progress=seen.append)
    assert [p["done"] for p in seen] == [1, 2] and seen[-1]["issues"] == 2
    assert h["issue_times"] == ["2024-12-11T16:00:00+08:00", "2024-12-12T16:00:00+08:00"]
    # The same runs verified by `verify` give the same scores: one scoring, two entry points.
    v = jobs.verify([tmp_path / "h" / "runs" / d for d in ("2024-12-12", "2024-12-11")], DEMO / "observations.csv",
                    tmp_path / "v")
    by_key = lambda r: {(s["forecast"], s["station"], s["averaging"]): s for s in r["scores"]}
    hs, vs = by_key(h), by_key(v)
    assert hs.keys() == vs.keys()
    for k in hs:
        for col in ("n", "mb", "rmse", "nme"):
            a, b = hs[k][col], vs[k][col]
            assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-12), (k, col)  # stations.csv round-trips its doubles
    assert h["warning"]["lantian"]["hits"] + h["warning"]["lantian"]["misses"] + h["warning"]["lantian"]["false_alarms"] \
        + h["warning"]["lantian"]["correct_negatives"] == 2
    with pytest.raises(Exception, match="--to"):
        jobs.hindcast(case, tmp_path / "bad", from_date="2024-12-12", to_date="2024-12-11")
