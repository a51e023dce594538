"""Cases, runs and forecasts: thin Python classes over the compiled handles of
``lantian._lantian`` (python/src/case_bindings.cpp). Every number is the C++ engine's; this
module only names things, converts times to ``numpy.datetime64`` and builds xarray/pandas
objects from the arrays the engine hands over (read-only views of its own storage).
"""
from __future__ import annotations

import io
import json
import os
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from . import _lantian
from ._lantian import SPECIES

__all__ = ["Case", "Contributions", "Forecast", "Result", "Scenario", "compare"]

Contributions = _lantian.Contributions

# CF standard name of PM2.5 mass concentration (CF standard name table v79).
_PM25_STANDARD_NAME = "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air"


def _datetimes(utc_hours: Any) -> np.ndarray:
    """UTC hours since 1970 -> datetime64[ns] (naive, UTC)."""
    return np.asarray(utc_hours, dtype=np.int64).astype("datetime64[h]").astype("datetime64[ns]")


class Case:
    """A case file read, validated and assembled by the engine (``lantian::load_case`` +
    ``assemble_case``: grid, meteorology, inventory). Load with :meth:`Case.load`."""

    def __init__(self, handle: _lantian.CaseHandle):
        self._h = handle

    @classmethod
    def load(cls, path: str | os.PathLike, hours: int | None = None) -> "Case":
        """Reads ``path`` (case.toml). ``hours`` overrides ``[period] hours`` (1..240), e.g. a
        short period for a quick look. Errors raise :class:`lantian.Error` with the engine's
        message, ``file:line: key: ...``, and its ``file``, ``line``, ``where`` attributes."""
        return cls(_lantian.load_case(os.fspath(path), hours))

    # -- description --------------------------------------------------------------------------
    name = property(lambda self: self._h.name, doc="the case's name")
    path = property(lambda self: self._h.path, doc="the case file")
    time_zone = property(lambda self: self._h.time_zone, doc="IANA time zone of the case")
    hours = property(lambda self: self._h.hours, doc="length of the period, hours")
    crs = property(lambda self: self._h.crs, doc="the grid's CRS (PROJ string or EPSG:n)")
    tags = property(lambda self: self._h.tags, doc='[model] tags: "none", "sector", "district", "enterprise"')
    shape = property(lambda self: self._h.shape, doc="grid shape (nz, ny, nx)")

    @cached_property
    def times(self) -> np.ndarray:
        """Start of each hour of the period, datetime64[ns] in UTC."""
        return _datetimes(self._h.start + np.arange(self._h.hours))

    @cached_property
    def x(self) -> np.ndarray:
        """Cell-centre x in the CRS (m for a projected CRS)."""
        return self._h.x

    @cached_property
    def y(self) -> np.ndarray:
        """Cell-centre y in the CRS (m for a projected CRS)."""
        return self._h.y

    @cached_property
    def _lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        return self._h.lonlat()

    @property
    def lon(self) -> np.ndarray:
        """Longitude of each cell centre, [y, x], degrees east (WGS 84)."""
        return self._lonlat[0]

    @property
    def lat(self) -> np.ndarray:
        """Latitude of each cell centre, [y, x], degrees north (WGS 84)."""
        return self._lonlat[1]

    @cached_property
    def layer_tops(self) -> np.ndarray:
        """Top of each model layer, m above ground."""
        return np.asarray(self._h.layer_tops)

    @cached_property
    def grid_mapping(self) -> dict[str, Any]:
        """CF grid-mapping attributes of the CRS (grid_mapping_name, parameters, crs_wkt)."""
        return self._h.grid_mapping()

    @cached_property
    def stations(self) -> list[dict[str, Any]]:
        """The stations: dicts with id, name, lon, lat, x, y (in the CRS), kind."""
        return self._h.stations

    @property
    def station_ids(self) -> list[str]:
        return [s["id"] for s in self.stations]

    def scenario_names(self) -> list[str]:
        """Names of the case's scenarios (declared ones, then the standard set)."""
        return self._h.scenario_names()

    # -- runs -----------------------------------------------------------------------------------
    def run(self, tags: str | None = None, progress: Callable[[dict], Any] | None = None) -> "Result":
        """The baseline Eulerian run (``lantian::run_eulerian``). ``tags`` overrides ``[model]
        tags`` ("none", "sector", "district", "enterprise"): with tags the run records the tags'
        station series and ``result.contributions`` allows instant what-ifs. ``progress`` is
        called after each simulated hour with a dict (stage, hours_done, hours, time,
        elapsed_s, remaining_s, max_surface_pm25). The GIL is released while the engine runs;
        Ctrl-C stops it after the current hour."""
        return Result(self, self._h.run(tags, progress))

    def forecast(self, reruns: bool = True, tags: str | None = None,
                 progress: Callable[[dict], Any] | None = None) -> "Forecast":
        """The baseline and every scenario of the case (``lantian::run_forecast``): each
        scenario re-run with its emission factors (``reruns=False``: superposition only, which
        needs tags), its metrics against the baseline, achieved cuts and cost."""
        return Forecast(self, self._h.forecast(reruns, tags, progress))

    def __repr__(self) -> str:
        nz, ny, nx = self.shape
        return (f"<lantian.Case {self.name!r}: {nx}x{ny}x{nz} grid, {self.hours} h from "
                f"{self.times[0]} UTC, {len(self.stations)} stations>")


class Result:
    """One Eulerian run. Arrays are read-only views of the engine's storage (no copy)."""

    def __init__(self, case: Case, handle: _lantian.RunHandle):
        self.case = case
        self._h = handle

    @property
    def station_ids(self) -> list[str]:
        return self._h.station_ids

    @cached_property
    def times(self) -> np.ndarray:
        """Start of each simulated hour, datetime64[ns] UTC (a station value at index h is the
        concentration after hour h, standing for that hour)."""
        return _datetimes(self._h.times)

    @property
    def station_pm25(self) -> np.ndarray:
        """Surface PM2.5 at each station, [station, hour], µg/m³."""
        return self._h.station_pm25

    @property
    def species_series(self) -> np.ndarray:
        """Surface concentration of each species at each station, [species, station, hour]
        (species in ``lantian.SPECIES`` order), µg/m³."""
        return self._h.species_series

    @property
    def surface_pm25_hourly(self) -> np.ndarray:
        """Surface PM2.5 after each hour, [hour, y, x], µg/m³."""
        return self._h.surface_pm25

    def surface_pm25(self, hour: int = -1) -> np.ndarray:
        """Surface PM2.5 field [y, x] after hour ``hour`` (default: the final state)."""
        return self._h.surface_pm25[hour]

    @property
    def budgets(self) -> dict[str, np.ndarray]:
        """Hourly mass budget, µg: arrays [hour, species] emitted, chemistry, dry_deposited,
        wet_deposited, inflow, outflow (summed over the sides and the top), mass_before,
        mass_after, residual; ``hour`` the UTC hours."""
        return self._h.budgets

    @property
    def budget_residual(self) -> float:
        """Largest |residual| of the budgets (round-off)."""
        return self._h.budget_residual

    @property
    def tag_names(self) -> list[str]:
        return self._h.tag_names

    @property
    def contributions(self) -> Contributions | None:
        """The tags' contributions split by source pollutant (``Contributions``), None
        without tags."""
        return self._h.contributions

    def superpose(self, weights: Any, age_hours: Any = None) -> np.ndarray:
        """Instant what-if from the stored contributions: weights [tag, hour] -> [station, hour],
        or a batch [scenario, tag, hour] -> [scenario, station, hour] (C++ superpose_batch)."""
        c = self.contributions
        if c is None:
            raise _lantian.LantianError("tags: the run has no source tags; run it with tags=\"sector\"")
        return c.superpose(np.asarray(weights, dtype=np.float64), age_hours)

    @property
    def wall_s(self) -> float:
        return self._h.wall_s

    def station_index(self, station: str | int) -> int:
        if isinstance(station, (int, np.integer)):
            return int(station)
        try:
            return self.station_ids.index(station)
        except ValueError:
            raise _lantian.LantianError(
                f"station: unknown station '{station}'; expected one of {', '.join(self.station_ids)}") from None

    def to_xarray(self):
        """An xarray.Dataset (CF-1.8): ``pm25`` [time, y, x] surface PM2.5 after each hour,
        ``station_pm25`` [station, time], ``time`` the start of each hour with ``time_bnds``
        [T, T + 1 h] (hour-beginning, as fields.nc and stations.csv), x/y cell centres in the
        CRS (m), 2-D lat/lon, and the grid-mapping variable ``crs`` (CF parameters and crs_wkt)."""
        return _dataset(self.case, self)

    def __repr__(self) -> str:
        return (f"<lantian.Result {self.case.name!r}: {len(self.times)} h, {len(self.station_ids)} stations, "
                f"peak station PM2.5 {np.nanmax(self.station_pm25):.1f} µg/m³>")


_TIME_COMMENT = ("Hour-beginning labels, as every lantian output: the label T covers the model hour [T, T + 1 h] "
                 "(time_bnds) and the values are the instantaneous state at the END of that hour, T + 1 h. "
                 "stations.csv and scenario_series.csv label the same hour T.")
_END_COMMENT = "instantaneous value at the end of the time interval (time_bnds[:, 1]), not an hourly mean"


def _dataset(case: Case, run: Result):
    import xarray as xr

    gm = dict(case.grid_mapping)
    geographic = gm.get("grid_mapping_name") == "latitude_longitude"
    if geographic:
        xattrs = {"standard_name": "longitude", "units": "degrees_east", "axis": "X"}
        yattrs = {"standard_name": "latitude", "units": "degrees_north", "axis": "Y"}
    else:
        xattrs = {"standard_name": "projection_x_coordinate", "long_name": "x of cell centre", "units": "m", "axis": "X"}
        yattrs = {"standard_name": "projection_y_coordinate", "long_name": "y of cell centre", "units": "m", "axis": "Y"}
    st = case.stations
    coords = {
        # Hour-beginning, as fields.nc and every lantian file (docs/time-labels.md): the label T is
        # the model hour [T, T + 1 h] (time_bnds), the values the state at its end.
        "time": ("time", run.times, {"standard_name": "time", "long_name": "start of the model hour (UTC)", "axis": "T",
                                     "bounds": "time_bnds", "comment": _TIME_COMMENT}),
        "time_bnds": (("time", "nv"), np.stack([run.times, run.times + np.timedelta64(1, "h")], axis=1)),
        "x": ("x", case.x, xattrs),
        "y": ("y", case.y, yattrs),
        "lat": (("y", "x"), case.lat, {"standard_name": "latitude", "units": "degrees_north"}),
        "lon": (("y", "x"), case.lon, {"standard_name": "longitude", "units": "degrees_east"}),
        "station": ("station", np.array(run.station_ids, dtype=object), {"cf_role": "timeseries_id", "long_name": "station id"}),
        "station_name": ("station", np.array([s["name"] for s in st], dtype=object), {"long_name": "station name"}),
        "station_lat": ("station", np.array([s["lat"] for s in st]), {"standard_name": "latitude", "units": "degrees_north"}),
        "station_lon": ("station", np.array([s["lon"] for s in st]), {"standard_name": "longitude", "units": "degrees_east"}),
        "station_x": ("station", np.array([s["x"] for s in st]), {"long_name": "station x in the grid's CRS", "units": xattrs["units"]}),
        "station_y": ("station", np.array([s["y"] for s in st]), {"long_name": "station y in the grid's CRS", "units": yattrs["units"]}),
    }
    pm_attrs = {"standard_name": _PM25_STANDARD_NAME, "units": "ug m-3", "grid_mapping": "crs"}
    data_vars = {
        "pm25": (("time", "y", "x"), run.surface_pm25_hourly,
                 dict(pm_attrs, long_name="surface PM2.5 after the hour", coordinates="lat lon", comment=_END_COMMENT)),
        "station_pm25": (("station", "time"), run.station_pm25,
                         {"standard_name": _PM25_STANDARD_NAME, "units": "ug m-3",
                          "long_name": "surface PM2.5 at the station after the hour",
                          "coordinates": "station_lat station_lon", "comment": _END_COMMENT}),
        "crs": ((), np.int32(0), gm),
    }
    from . import __version__
    attrs = {
        "Conventions": "CF-1.8",
        "title": f"lantian Eulerian run of {case.name}",
        "source": f"lantian {__version__}",
        "case": case.name,
        "time_zone": case.time_zone,
        "featureType": "timeSeries",
    }
    ds = xr.Dataset(data_vars=data_vars, coords=coords, attrs=attrs)
    # to_netcdf: time and time_bnds in the units of fields.nc (CF wants the bounds in time's units)
    ds["time"].encoding.update(units="hours since 1970-01-01 00:00:00", calendar="standard")
    if not geographic:
        ds["x"].attrs["grid_mapping"] = "crs"
    return ds


class Scenario:
    """One scenario of a forecast: station series, metrics, achieved cuts and cost."""

    def __init__(self, forecast: "Forecast", handle: _lantian.ScenarioHandle):
        self.forecast = forecast
        self._h = handle

    name = property(lambda self: self._h.name)
    description = property(lambda self: self._h.description)
    level = property(lambda self: self._h.level, doc='response level whose measures it takes ("none" ... "red")')

    @property
    def pm25(self) -> np.ndarray:
        """Station PM2.5 [station, hour] of the re-run (superposed without re-runs), µg/m³."""
        return self._h.pm25

    @property
    def superposed(self) -> np.ndarray | None:
        """Station PM2.5 [station, hour] superposed from the tags; None without tags."""
        return self._h.superposed

    @property
    def account(self) -> dict[str, Any]:
        """Achieved cuts and cost (``lantian::account``): society_t, removed_t, achieved,
        floor, meets_floor per pollutant, floor_level, active_hours, cost_yuan."""
        return self._h.account

    @property
    def superposition_error(self) -> dict[str, Any] | None:
        """Superposed vs re-run (max_abs, max_rel, max_abs_hourly, summary); None without both."""
        return self._h.superposition_error

    @property
    def metrics(self) -> dict[str, Any]:
        """Every metric of the scenario as in scenarios.json (city, stations, emission_cuts, ...)."""
        return self.forecast._json_scenarios[self.name]

    def weights(self) -> np.ndarray:
        """The scenario's superposition weights [tag, hour] for ``forecast.contributions``."""
        return self._h.weights()

    @property
    def wall_s(self) -> float:
        return self._h.wall_s

    def __repr__(self) -> str:
        return f"<lantian.Scenario {self.name!r} (level {self.level})>"


class Forecast:
    """The baseline and every scenario of a case (``lantian::ForecastResult``)."""

    def __init__(self, case: Case, handle: _lantian.ForecastHandle):
        self.case = case
        self._h = handle
        self.baseline = Result(case, handle.baseline)
        self.scenarios: dict[str, Scenario] = {}
        for i in range(handle.scenario_count):
            s = Scenario(self, handle.scenario(i))
            self.scenarios[s.name] = s

    @property
    def names(self) -> list[str]:
        return list(self.scenarios)

    def __getitem__(self, name: str) -> Scenario:
        try:
            return self.scenarios[name]
        except KeyError:
            raise KeyError(f"no scenario '{name}'; the forecast has {', '.join(self.scenarios)}") from None

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios.values())

    def __len__(self) -> int:
        return len(self.scenarios)

    @property
    def times(self) -> np.ndarray:
        return self.baseline.times

    @property
    def station_ids(self) -> list[str]:
        return self.baseline.station_ids

    @property
    def baseline_pm25(self) -> np.ndarray:
        return self.baseline.station_pm25

    def scenarios_csv(self) -> str:
        """scenarios.csv of the engine (one row per scenario and series)."""
        return self._h.scenarios_csv()

    def scenario_series_csv(self) -> str:
        return self._h.scenario_series_csv()

    def scenarios_json(self) -> str:
        return self._h.scenarios_json()

    @cached_property
    def summary(self) -> dict[str, Any]:
        """scenarios.json parsed: case, period, baseline, response_windows, scenarios, ..."""
        return json.loads(self.scenarios_json())

    @cached_property
    def _json_scenarios(self) -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in self.summary["scenarios"]}

    @property
    def contributions(self) -> Contributions | None:
        return self.baseline.contributions

    def weights(self, names: Sequence[str] | None = None) -> np.ndarray:
        """Superposition weights of scenarios, [scenario, tag, hour] (all by default)."""
        names = self.names if names is None else list(names)
        return np.stack([self[n].weights() for n in names])

    def superpose(self, weights: Any, age_hours: Any = None) -> np.ndarray:
        """Instant what-ifs on the baseline's stored tag contributions: weights [tag, hour] ->
        [station, hour], or a batch [scenario, tag, hour] -> [scenario, station, hour]."""
        return self.baseline.superpose(weights, age_hours)

    def to_xarray(self):
        """The baseline's dataset (Result.to_xarray) plus ``scenario_pm25`` [scenario, station,
        time]."""
        import xarray as xr

        ds = self.baseline.to_xarray()
        ds = ds.assign_coords(scenario=("scenario", np.array(self.names, dtype=object)))
        data = np.stack([s.pm25 for s in self]) if len(self) else np.empty((0,) + self.baseline_pm25.shape)
        ds["scenario_pm25"] = xr.DataArray(
            data, dims=("scenario", "station", "time"),
            attrs={"standard_name": _PM25_STANDARD_NAME, "units": "ug m-3",
                   "long_name": "surface PM2.5 at the station under the scenario", "comment": _END_COMMENT})
        return ds

    def compare(self, series: str = "city"):
        return compare(self, series)

    def __repr__(self) -> str:
        return f"<lantian.Forecast {self.case.name!r}: baseline + {len(self)} scenarios>"


def compare(forecast: Forecast, series: str = "city"):
    """The options side by side as a pandas DataFrame, one row per scenario (index), columns of
    the engine's scenarios.csv for ``series`` ("city": the station mean; or a station id):
    level_baseline, level_scenario, peak_hourly_cut, peak_hourly_cut_pct, hours_above_150/200/
    300, downgrade_time, response_ends_sooner_h, cut_SO2 ... cut_VOCs, floors_met,
    cost_10k_yuan, ..."""
    import pandas as pd

    df = pd.read_csv(io.StringIO(forecast.scenarios_csv()), keep_default_na=True)
    if series not in set(df["series"]):
        names = ", ".join(sorted(set(df["series"])))
        raise _lantian.LantianError(f"series: unknown series '{series}'; expected one of {names}")
    out = df[df["series"] == series].drop(columns="series").set_index("scenario")
    return out
