"""lantian (蓝天): PM2.5 forecast and heavy-pollution warning engine, from Python.

Every figure is computed by the C++ engine (the private module ``lantian._lantian``); this
package re-exports it and adds only argument handling (columns as a dict or keywords) and a
result object for AQI series. Arrays go in as any float array-like (NumPy, pandas, lists) and
come out as NumPy arrays; AQIs are int32 with -1 (``MISSING``) where the input is missing or
invalid. Engine errors raise ``LantianError`` (alias ``Error``; a ``ValueError``) with the
engine's message ("case.toml:31: meteo.files[0]: ...") and its ``message``, ``file``, ``line``
and ``where`` attributes.

>>> import numpy as np, lantian
>>> lantian.iaqi("PM2.5", np.array([35.0, 100.0, 115.0]))
array([ 50, 132, 150], dtype=int32)

Cases, runs and forecasts (the whole engine, thin over its C++ API):

>>> case = lantian.Case.load("examples/demo-city/case.toml", hours=24)   # load_case + assemble_case
>>> result = case.run(tags="sector")        # run_eulerian; the GIL is released while it runs
>>> result.station_pm25                     # [station, hour] µg/m³, a read-only view (no copy)
>>> result.surface_pm25()                   # final surface field [y, x]; surface_pm25_hourly [t, y, x]
>>> result.budgets["emitted"]               # hourly mass budget [hour, species], µg
>>> ds = result.to_xarray()                 # CF-1.8 Dataset: pm25(time, y, x), crs (crs_wkt), lat/lon
>>> fc = case.forecast()                    # run_forecast: baseline + every scenario, re-run
>>> fc["orange-plus"].pm25, fc["orange-plus"].account, fc["orange-plus"].metrics
>>> lantian.compare(fc)                     # pandas DataFrame, one row per scenario (city figures)
>>> fc.superpose(fc.weights() * 0.5 + 0.5)  # batch what-ifs from the tags (superpose_batch)
>>> import lantian.plot; lantian.plot.station_series(fc, "Chengzhong"); lantian.plot.map(ds)

The commands (``lantian check|run|evaluate|report|aqi|verify|plume|screen|plan``), with the same
outputs, summaries and errors: ``lantian.jobs`` (``jobs.run(case, out)`` returns the summary the
command prints, as a dict).

Case: ``Case.load(path, hours=None)``; name, path, time_zone, hours, times (datetime64 UTC),
shape (nz, ny, nx), crs, grid_mapping (CF attributes with crs_wkt), x, y (cell centres, m),
lon, lat ([y, x]), layer_tops, stations (dicts: id, name, lon, lat, x, y, kind), station_ids,
tags, scenario_names(); run(tags=None, progress=None) -> Result; forecast(reruns=True,
tags=None, progress=None) -> Forecast. ``progress(dict)`` is called after each model hour.

Result: times, station_ids, station_pm25 [station, hour], species_series [species, station,
hour] (``SPECIES`` order), surface_pm25(hour=-1), surface_pm25_hourly [hour, y, x], budgets,
budget_residual, tag_names, contributions (``Contributions`` [tag, station, hour] split by
source pollutant, or None), superpose(weights), to_xarray(), wall_s.

Forecast: baseline (Result), scenarios (dict name -> Scenario), names, forecast[name],
baseline_pm25, summary (scenarios.json parsed), scenarios_csv(), scenario_series_csv(),
weights(names=None) [scenario, tag, hour], superpose(weights), contributions, to_xarray()
(plus scenario_pm25 [scenario, station, time]), compare().
Scenario: name, description, level, pm25, superposed, account (achieved cuts, floors, cost),
metrics (its scenarios.json entry), superposition_error, weights(), wall_s.
"""
from __future__ import annotations

import os

# OpenMP threads that spin while waiting run ~100x slower on shared cores; libgomp reads this when
# it is loaded (with _lantian below, unless numpy loaded it first), and the user's setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from ._lantian import (
    CATEGORIES,
    CATEGORIES_ZH,
    MISSING,
    POLLUTANTS,
    AqiWarningRules,
    Decision,
    ImposedLevel,
    LantianError,
    ResponsePeriod,
    ValidityRules,
    WarningCondition,
    WarningDecision,
    WarningLevelRule,
    WarningRules,
    __version__,
    block_aqi_from_trailing,
    iaqi,
    load_rules,
    parse_rules,
    primary_names,
    rolling_mean,
)
from . import _lantian
from ._case import Case, Contributions, Forecast, Result, Scenario, compare
from . import jobs
from ._lantian import SPECIES
from ._lantian import PlanSummary, PlumeSummary, ScreenSummary, plan, plume, screen

#: The engine's error class (lantian::Error): a ValueError carrying the engine's message.
Error = LantianError

__all__ = [
    "Case", "Contributions", "Error", "Forecast", "Result", "SPECIES", "Scenario", "compare",
    "CATEGORIES", "CATEGORIES_ZH", "MISSING", "POLLUTANTS", "AqiSeries", "AqiWarningRules", "Decision",
    "ImposedLevel", "LantianError", "ResponsePeriod", "ValidityRules", "WarningCondition", "WarningDecision",
    "WarningLevelRule", "WarningRules", "aqi", "block_aqi_from_trailing", "classify_warning", "daily_aqi",
    "hourly_aqi", "iaqi", "load_rules", "parse_rules", "primary_names", "response_timeline", "rolling_mean",
    "PlanSummary", "PlumeSummary", "ScreenSummary", "plan", "plume", "screen",
]

# Primary-pollutant names of every bit mask over the six pollutants (bit i = POLLUTANTS[i]).
_PRIMARY_BY_MASK = np.array([primary_names(m) for m in range(1 << len(POLLUTANTS))])
_CATEGORY = np.array(CATEGORIES)
_CATEGORY_ZH = np.array(CATEGORIES_ZH)


@dataclass(frozen=True)
class AqiSeries:
    """AQI per element: ``aqi`` (int32, -1 missing), ``primary_mask`` (uint8, bit i =
    ``POLLUTANTS[i]``), ``above_scale`` (bool: a concentration beyond the table), ``category_code``
    (uint8 index into ``CATEGORIES``, 0 = missing).

    Unpacks as ``aqi, primary, category = series``.
    """

    aqi: np.ndarray
    primary_mask: np.ndarray
    above_scale: np.ndarray
    category_code: np.ndarray

    @property
    def primary(self) -> np.ndarray:
        """Primary pollutants (首要污染物) per element: "PM2.5", "PM2.5;PM10", "" (AQI <= 50)."""
        return _PRIMARY_BY_MASK[self.primary_mask]

    @property
    def category(self) -> np.ndarray:
        """Category key per element: "excellent" ... "severe", "" when missing."""
        return _CATEGORY[self.category_code]

    @property
    def category_zh(self) -> np.ndarray:
        """Category per element in Chinese: 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染."""
        return _CATEGORY_ZH[self.category_code]

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.aqi, self.primary, self.category))

    def __len__(self) -> int:
        return len(self.aqi)


def _columns(columns: Mapping[str, Any] | None, more: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(columns) if columns is not None else {}
    merged.update(more)
    return merged


def aqi(columns: Mapping[str, Any] | None = None, /, *, averaging: str | Mapping[str, str] = "24h",
        fallbacks: Mapping[str, Any] | None = None, **more: Any) -> AqiSeries:
    """AQI of concentrations already averaged, element by element over same-shaped arrays.

    ``aqi(PM25=pm, PM10=pm10)`` or ``aqi({"PM2.5": pm, "O3": o3_8h})``. ``averaging`` is "24h"
    (daily tables; O3 is then its 8-h value, the only daily O3 table of HJ 633-2012), "1h", or
    a dict per pollutant. ``fallbacks`` gives the substitute concentrations where a table ends
    (SO2 1h > 800: the 24-h SO2; O3 8h > 800: the 1-h O3).
    """
    cols = _columns(columns, more)
    if isinstance(averaging, str):
        per = {name: averaging for name in cols}
        if averaging.lower() in ("24h", "24-h"):
            per.update({name: "8h" for name in cols if name.upper() == "O3"})
    else:
        per = dict(averaging)
    return AqiSeries(**_lantian.aqi_of_columns(cols, per, dict(fallbacks or {})))


def hourly_aqi(columns: Mapping[str, Any] | None = None, /, *, validity: ValidityRules | None = None,
               **more: Any) -> AqiSeries:
    """Real-time hourly AQI (实时报) of one station's hourly 1-D columns, e.g.
    ``hourly_aqi({"PM2.5": pm25, "O3": o3})`` or ``hourly_aqi(PM25=pm25)``."""
    return AqiSeries(**_lantian.hourly_aqi(_columns(columns, more), validity if validity is not None else ValidityRules()))


def daily_aqi(columns: Mapping[str, Any] | None = None, /, *, validity: ValidityRules | None = None,
              **more: Any) -> AqiSeries:
    """Daily AQI of the 24-h block ending at each hour, [h-23, h] (日AQI over any continuous 24 h,
    crossing calendar days); -1 for h < 23 and invalid blocks. Columns as in hourly_aqi."""
    return AqiSeries(**_lantian.daily_aqi(_columns(columns, more), validity if validity is not None else ValidityRules()))


def _aqi_array(x: Any) -> Any:
    return x.aqi if isinstance(x, AqiSeries) else x


def classify_warning(block_aqi: Any, t0: int | Iterable[int], rules: WarningRules | None = None, *,
                     trailing: bool = False) -> Decision | list[Decision]:
    """Warning level decided at issue index ``t0`` (or at each index of an array of them).

    ``block_aqi[i]`` is the daily AQI of hours [i, i+24) (-1 invalid); with
    ``trailing=True`` it is the trailing daily AQI (``daily_aqi(...)``, block ending at each
    hour) and is converted first. The decision looks at [t0, t0 + rules.horizon_hours).
    """
    block = _aqi_array(block_aqi)
    if trailing:
        block = block_aqi_from_trailing(block)
    rules = rules if rules is not None else WarningRules.national()
    if np.ndim(t0) == 0:
        return _lantian.classify_warning(block, int(t0), rules)
    return _lantian.classify_warnings(block, np.asarray(t0, dtype=np.int64), rules)


def response_timeline(trailing_aqi: Any, decisions: Iterable[WarningDecision], imposed: Iterable[Any] = (),
                      rules: WarningRules | None = None, in_force: tuple[Any, int] | None = None) -> list[ResponsePeriod]:
    """Response periods (应急响应) from daily decisions: upgrade at once; downgrade or lift only
    when the trailing daily AQI stays at or below the release threshold for release_hours.
    ``imposed``: ImposedLevel or (start, end, level) with level a number or a name.
    ``in_force``: (level, since) — the response in force at index 0, begun at index since <= 0
    (the daily cycle's state); its period has ``began == since``."""
    rules = rules if rules is not None else WarningRules.national()

    def level_number(level: Any, where: str) -> int:
        if not isinstance(level, str):
            return int(level)
        number = rules.level_index(level)
        if number < 0:
            names = ", ".join(["none"] + [lv.name for lv in rules.levels])
            raise LantianError(f"{where}: unknown level '{level}'; expected one of {names}")
        return number

    periods = []
    for k, p in enumerate(imposed):
        if not isinstance(p, ImposedLevel):
            start, end, level = p
            p = ImposedLevel(int(start), int(end), level_number(level, f"imposed[{k}]"))
        periods.append(p)
    level, since = (0, 0) if in_force is None else (level_number(in_force[0], "in_force"), int(in_force[1]))
    return _lantian.response_timeline(_aqi_array(trailing_aqi), list(decisions), periods, rules, level, since)
