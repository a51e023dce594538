"""Case, run, forecast and superposition bindings (python/src/case_bindings.cpp, lantian/_case.py).

The runs use the demo city (examples/demo-city) on a coarse grid: the same 80 x 80 km extent at
4 km (20 x 20 cells; the inventory lies inside any grid over that extent), written into a
temporary folder with the case's relative paths made absolute, so that a 30-h forecast with its
eight scenarios takes seconds.
"""
import math
import re
from pathlib import Path

import numpy as np
import pytest

import lantian

from conftest import DEMO, REPO_ROOT, coarse_demo

HOURS = 30


@pytest.fixture(scope="module")
def case_path(tmp_path_factory):
    return coarse_demo(tmp_path_factory.mktemp("coarse"))


@pytest.fixture(scope="module")
def case(case_path):
    return lantian.Case.load(case_path)


@pytest.fixture(scope="module")
def result(case):
    return case.run(tags="sector")


@pytest.fixture(scope="module")
def forecast(case):
    # tags = "enterprise" without tag_enterprises: one tag for every source plus the background,
    # the cheapest tagged forecast (the run fixture covers the sector tags).
    return case.forecast(tags="enterprise")


# -- the case --------------------------------------------------------------------------------------
def test_case_description(case, case_path):
    assert case.name == "demo-city"
    assert case.path == str(case_path)
    assert case.shape == (20, 20, 20)
    assert case.hours == HOURS
    assert case.time_zone == "Asia/Shanghai"
    # 2024-12-12T16:00 Beijing time = 08:00 UTC.
    assert case.times[0] == np.datetime64("2024-12-12T08:00")
    assert case.times.dtype == np.dtype("datetime64[ns]")
    assert np.all(np.diff(case.times) == np.timedelta64(1, "h"))
    np.testing.assert_allclose(case.x, -40000 + 2000 + 4000 * np.arange(20))
    np.testing.assert_allclose(case.y, case.x)
    assert case.lon.shape == case.lat.shape == (20, 20)
    # The grid is centred on the projection's origin (118.8 E, 32.0 N).
    assert abs(case.lon[10, 10] - 118.8) < 0.05 and abs(case.lat[10, 10] - 32.0) < 0.05
    assert case.station_ids[:3] == ["Chengzhong", "Beiyuan", "Donggang"]
    st = case.stations[0]
    assert st["name"] == "城中 Chengzhong" and st["kind"] == "national"
    assert abs(st["x"]) < 5000 and abs(st["y"]) < 5000
    gm = case.grid_mapping
    assert gm["grid_mapping_name"] == "lambert_conformal_conic"
    assert list(gm["standard_parallel"]) == [25.0, 47.0]
    assert "LambertConicConformal" in gm["crs_wkt"].replace(" ", "") or "Lambert" in gm["crs_wkt"]
    assert "orange-plus" in case.scenario_names()
    assert "demo-city" in repr(case)


def test_hours_override(case_path):
    short = lantian.Case.load(case_path, hours=3)
    assert short.hours == 3 and len(short.times) == 3


# -- error paths: the engine's messages with file and line --------------------------------------------
def test_missing_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(lantian.Error) as info:
        lantian.Case.load(missing)
    assert "nope.toml" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_key_names_file_and_line(tmp_path, case_path):
    text = Path(case_path).read_text(encoding="utf-8").replace("nx = 20", "nxx = 20", 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("nxx"))
    with pytest.raises(lantian.Error) as info:
        lantian.Case.load(bad)
    e = info.value
    assert f"bad.toml:{line}:" in str(e)
    assert "nxx" in str(e) and "nx" in str(e)
    assert e.file.endswith("bad.toml") and e.line == line
    assert e.message in str(e)


def test_bad_value_and_missing_input(tmp_path, case_path):
    text = Path(case_path).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(f"hours = {HOURS}", "hours = 999", 1), encoding="utf-8")
    with pytest.raises(lantian.Error, match=r"bad\.toml:\d+: period\.hours"):
        lantian.Case.load(bad)
    with pytest.raises(lantian.Error, match="period.hours"):
        lantian.Case.load(case_path, hours=0)
    bad.write_text(re.sub(r'^folder = ".*"$', 'folder = "no-such-folder"', text, flags=re.M), encoding="utf-8")
    with pytest.raises(lantian.Error, match=r"bad\.toml:\d+: emissions\.folder"):
        lantian.Case.load(bad)


def test_bad_tags(case):
    with pytest.raises(lantian.Error, match="did you mean 'sector'"):
        case.run(tags="sectr")
    assert case.tags == "none"  # the override never sticks


def test_no_reruns_needs_tags(case):
    with pytest.raises(lantian.Error, match="model.tags.*superposition|superposition.*tags"):
        case.forecast(reruns=False)


def test_progress_errors_propagate(case_path):
    short = lantian.Case.load(case_path, hours=2)
    seen = []

    def progress(p):
        seen.append(p)
        raise KeyError("stop here")

    with pytest.raises(KeyError, match="stop here"):
        short.run(progress=progress)
    assert seen[0]["stage"] == "baseline" and seen[0]["hours"] == 2 and seen[0]["hours_done"] == 1


# -- the run ---------------------------------------------------------------------------------------
def test_run_arrays(case, result):
    ns = len(case.stations)
    pm = result.station_pm25
    assert pm.shape == (ns, HOURS) and pm.dtype == np.float64
    assert not pm.flags.writeable and not pm.flags.owndata  # a view of the C++ storage
    assert np.all(np.isfinite(pm)) and pm.min() > 0
    assert result.times[0] == case.times[0] and len(result.times) == HOURS
    # The same memory every time: no copy per access.
    assert result.station_pm25.__array_interface__["data"][0] == pm.__array_interface__["data"][0]
    surf = result.surface_pm25_hourly
    assert surf.shape == (HOURS, 20, 20)
    np.testing.assert_array_equal(result.surface_pm25(), surf[-1])
    # The station series is the surface PM2.5 of the station's cell.
    ix = np.searchsorted(case.x + 2000, [s["x"] for s in case.stations])
    iy = np.searchsorted(case.y + 2000, [s["y"] for s in case.stations])
    np.testing.assert_allclose(pm[:, -1], surf[-1, iy, ix], rtol=1e-12)
    sp = result.species_series
    assert sp.shape == (len(lantian.SPECIES), ns, HOURS)


def test_views_outlive_the_result(case):
    pm = lantian.Case.load(case.path, hours=2).run().station_pm25
    import gc

    gc.collect()
    assert pm.shape[1] == 2 and np.all(np.isfinite(pm))


def test_budgets(result):
    b = result.budgets
    assert b["emitted"].shape == (HOURS, len(lantian.SPECIES))
    assert b["emitted"].sum() > 0
    closure = b["mass_after"] - b["mass_before"] - (b["emitted"] + b["inflow"] - b["outflow"] - b["dry_deposited"]
                                                    - b["wet_deposited"] + b["chemistry"])
    np.testing.assert_allclose(closure, b["residual"], atol=1e-6 * np.abs(b["mass_after"]).max())
    assert result.budget_residual <= 1e-6 * np.abs(b["mass_after"]).max()


def test_tags_and_superposition(result):
    c = result.contributions
    assert c is not None and len(c.tag_names) == c.shape[0]
    assert "background" in result.tag_names
    data = c.data
    assert data.shape == (c.shape[0], len(result.station_ids), HOURS) and not data.flags.writeable
    # The contributions sum to the total (tags sum to the total to round-off).
    np.testing.assert_allclose(data.sum(axis=0), result.station_pm25, rtol=1e-6)
    np.testing.assert_allclose(c.total(), result.station_pm25, rtol=1e-6)
    ones = np.ones((c.shape[0], HOURS))
    np.testing.assert_allclose(result.superpose(ones), c.total(), rtol=1e-12)
    # A batch: scenario k scales every controllable tag by k/4.
    w = np.stack([np.where(np.arange(c.shape[0])[:, None] == c.background_tag, 1.0, k / 4) * ones
                  for k in range(5)])
    out = result.superpose(w)
    assert out.shape == (5, len(result.station_ids), HOURS)
    np.testing.assert_allclose(out[4], c.total(), rtol=1e-12)
    background = data[c.background_tag]
    np.testing.assert_allclose(out[0], background, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out[2], 0.5 * (c.total() + background), rtol=1e-9)


def test_superpose_errors(result):
    c = result.contributions
    with pytest.raises(lantian.Error, match="weights"):
        result.superpose(np.ones((c.shape[0] + 1, HOURS)))
    bad = np.ones((c.shape[0], HOURS))
    bad[0, 3] = -1.0
    with pytest.raises(lantian.Error, match="hour 3|negative"):
        result.superpose(bad)
    # The background tag may be cut (a regional cut of the inflow: weight <= 1), never raised.
    ok = np.ones((c.shape[0], HOURS))
    ok[c.background_tag, 0] = 0.5
    result.superpose(ok)
    bad = np.ones((c.shape[0], HOURS))
    bad[c.background_tag, 0] = 1.5
    with pytest.raises(lantian.Error, match="background"):
        result.superpose(bad)


def test_untagged_run_has_no_contributions(case):
    r = lantian.Case.load(case.path, hours=2).run()
    assert r.contributions is None
    with pytest.raises(lantian.Error, match="tags"):
        r.superpose(np.ones((1, 2)))


def test_to_xarray(case, result):
    ds = result.to_xarray()
    assert ds.attrs["Conventions"] == "CF-1.8"
    assert ds["pm25"].dims == ("time", "y", "x")
    assert ds["pm25"].attrs["grid_mapping"] == "crs"
    assert ds["pm25"].attrs["units"] == "ug m-3"
    assert ds["crs"].attrs["grid_mapping_name"] == "lambert_conformal_conic"
    assert "crs_wkt" in ds["crs"].attrs
    assert ds["x"].attrs["units"] == "m" and ds["x"].attrs["standard_name"] == "projection_x_coordinate"
    assert ds["lat"].dims == ("y", "x")
    assert ds["time"].values[0] == np.datetime64("2024-12-12T08:00")
    # hour-beginning with bounds, as fields.nc: the value labelled T is the state at T + 1 h
    assert ds["time"].attrs["bounds"] == "time_bnds"
    np.testing.assert_array_equal(ds["time_bnds"].values[:, 0], ds["time"].values)
    np.testing.assert_array_equal(ds["time_bnds"].values[:, 1], ds["time"].values + np.timedelta64(1, "h"))
    assert list(ds["station"].values) == case.station_ids
    np.testing.assert_array_equal(ds["station_pm25"].values, result.station_pm25)


def test_to_netcdf_roundtrip(result, tmp_path):
    pytest.importorskip("netCDF4")
    xr = pytest.importorskip("xarray")
    path = tmp_path / "run.nc"
    result.to_xarray().to_netcdf(path)
    with xr.open_dataset(path) as back:
        np.testing.assert_allclose(back["pm25"].values, result.surface_pm25_hourly)
        np.testing.assert_array_equal(back["time_bnds"].values[:, 1], result.times + np.timedelta64(1, "h"))
        assert back["crs"].attrs["crs_wkt"] == result.case.grid_mapping["crs_wkt"]


# -- the forecast ----------------------------------------------------------------------------------
def test_forecast(case, forecast):
    assert forecast.names == case.scenario_names()
    assert len(forecast) == 8
    base = forecast.baseline_pm25
    assert base.shape == (len(case.stations), HOURS)
    for s in forecast:
        assert s.pm25.shape == base.shape and not s.pm25.flags.writeable
        assert s.superposed.shape == base.shape
        # Measures only cut emissions: never above the baseline (beyond round-off).
        assert np.all(s.pm25 <= base + 1e-6), s.name
        err = s.superposition_error
        assert err is not None and err["max_abs"] >= 0 and "superposition" in err["summary"]
    op = forecast["orange-plus"]
    assert op.level == "orange"
    acc = op.account
    assert set(acc["achieved"]) >= {"so2", "nox", "pm25"} or set(acc["achieved"]) >= {"SO2", "NOx"}
    assert acc["cost_yuan"] >= 0
    assert op.metrics["name"] == "orange-plus"
    assert "city" in op.metrics
    with pytest.raises(KeyError, match="orange-plus"):
        forecast["no-such-option"]


def test_forecast_weights_match_engine(forecast):
    names = forecast.names[:3]
    w = forecast.weights(names)
    assert w.shape[0] == 3
    out = forecast.superpose(w)
    for k, n in enumerate(names):
        np.testing.assert_allclose(out[k], forecast[n].superposed, rtol=1e-12, atol=1e-12)


def test_compare(forecast):
    pd = pytest.importorskip("pandas")
    df = lantian.compare(forecast)
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == forecast.names
    for col in ("level_baseline", "level_scenario", "peak_hourly_cut", "peak_hourly_cut_pct", "cut_SO2",
                "cost_10k_yuan", "floors_met"):
        assert col in df.columns
    op = forecast["orange-plus"]
    city = op.metrics["city"]
    base_peak = np.nanmax(np.nanmean(forecast.baseline_pm25, axis=0))
    # scenarios.csv writes 0.1 µg/m³ and 0.1 万元.
    assert math.isclose(df.loc["orange-plus", "peak_hourly_baseline"], base_peak, abs_tol=0.051)
    assert math.isclose(df.loc["orange-plus", "cost_10k_yuan"], op.account["cost_yuan"] / 1e4, rel_tol=1e-3, abs_tol=0.051)
    assert city["name"]
    # The 30-h baseline holds a yellow warning, so the options act: less PM2.5 at a cost.
    assert df.loc["orange-plus", "level_baseline"] == "yellow"
    assert df.loc["orange-plus", "peak_hourly_cut_pct"] > 0 and df.loc["orange-plus", "cost_10k_yuan"] > 0
    assert df.loc["uniform-red", "cut_PM"] > df.loc["uniform-yellow", "cut_PM"] > 0
    st = lantian.compare(forecast, "Chengzhong")
    assert list(st.index) == forecast.names
    with pytest.raises(lantian.Error, match="unknown series"):
        lantian.compare(forecast, "Atlantis")


def test_forecast_xarray(forecast):
    ds = forecast.to_xarray()
    assert ds["scenario_pm25"].dims == ("scenario", "station", "time")
    assert list(ds["scenario"].values) == forecast.names


def test_forecast_without_reruns(case_path):
    # Superposition only: one tagged run, every scenario from its contributions.
    fc = lantian.Case.load(case_path, hours=6).forecast(reruns=False, tags="sector")
    for s in fc:
        np.testing.assert_array_equal(s.pm25, s.superposed)
        assert s.superposition_error is None


# -- plots -----------------------------------------------------------------------------------------
def test_plots(forecast, result, tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    import lantian.plot

    ax = lantian.plot.station_series(forecast, "Chengzhong")
    assert len(ax.lines) >= 1 + len(forecast)
    ax.figure.savefig(tmp_path / "series.png")
    ax = lantian.plot.station_series(result, 0)
    assert ax.lines
    fig, axes = plt.subplots(1, 2)
    ds = result.to_xarray()
    lantian.plot.map(ds, ax=axes[0])
    lantian.plot.map(ds, time=ds["time"].values[5], ax=axes[1])
    fig.savefig(tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 1000
    plt.close("all")
    with pytest.raises(lantian.Error, match="unknown station"):
        lantian.plot.station_series(result, "Atlantis")
