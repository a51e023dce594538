"""Matplotlib helpers for lantian results (figures only: the numbers are the engine's).

>>> import lantian, lantian.plot
>>> fc = lantian.Case.load("examples/demo-city/case.toml", hours=24).forecast()
>>> lantian.plot.station_series(fc, "Chengzhong")          # baseline and every scenario
>>> lantian.plot.map(fc.baseline.to_xarray())               # PM2.5 at the peak hour
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["map", "station_series", "PM25_LIMITS"]

# 24-h PM2.5 whose IAQI is 150 / 200 / 300 (HJ 633-2012): the heavy-pollution thresholds.
PM25_LIMITS = ((115.0, "AQI 150"), (150.0, "AQI 200"), (250.0, "AQI 300"))


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 4))
    return ax


def station_series(result: Any, station: str | int, ax=None, scenarios: Sequence[str] | None = None,
                   limits: bool = True):
    """Hourly PM2.5 at one station: a ``Result`` (its series), or a ``Forecast`` (the baseline
    and each scenario, or those named in ``scenarios``). ``limits`` draws the 24-h PM2.5 of
    AQI 150/200/300 as dashed lines. Returns the Axes."""
    from ._case import Forecast

    ax = _axes(ax)
    base = result.baseline if isinstance(result, Forecast) else result
    k = base.station_index(station)
    t = base.times
    ax.plot(t, base.station_pm25[k], color="black", lw=2, label="baseline")
    if isinstance(result, Forecast):
        names = result.names if scenarios is None else list(scenarios)
        for name in names:
            ax.plot(t, result[name].pm25[k], lw=1.2, label=name)
    if limits:
        top = float(np.nanmax(base.station_pm25[k])) if base.station_pm25.size else 0.0
        for value, label in PM25_LIMITS:
            if value <= 1.2 * top:
                ax.axhline(value, ls="--", lw=0.8, color="grey")
                ax.annotate(label, (t[0], value), fontsize=7, color="grey", va="bottom")
    ax.set_title(f"{base.case.name}: {base.station_ids[k]}")
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("PM2.5 (µg/m³)")
    ax.legend(fontsize=7, ncol=2)
    ax.figure.autofmt_xdate()
    return ax


def map(dataset: Any, time: Any = None, ax=None, variable: str = "pm25", stations: bool = True,
        vmin: float | None = 0.0, vmax: float | None = None, cmap: str = "YlOrRd"):
    """A map of ``dataset[variable]`` ([time, y, x], e.g. Result.to_xarray()) in the grid's
    CRS, x/y in km. ``time``: an index, a datetime-like (nearest hour) or None for the hour of
    the domain maximum. Stations are marked when the dataset has station_x/station_y. Returns
    the Axes."""
    ax = _axes(ax)
    da = dataset[variable]
    if "time" in da.dims:
        if time is None:
            k = int(np.nanargmax(da.max(dim=[d for d in da.dims if d != "time"]).values))
            da = da.isel(time=k)
        elif isinstance(time, (int, np.integer)):
            da = da.isel(time=int(time))
        else:
            da = da.sel(time=np.datetime64(time, "ns"), method="nearest")
    km = dataset["x"].attrs.get("units") == "m"
    scale = 1e-3 if km else 1.0
    x = dataset["x"].values * scale
    y = dataset["y"].values * scale
    mesh = ax.pcolormesh(x, y, da.values, shading="nearest", cmap=cmap, vmin=vmin, vmax=vmax)
    ax.figure.colorbar(mesh, ax=ax, label=f"{variable} ({da.attrs.get('units', '')})")
    if stations and "station_x" in dataset:
        sx = dataset["station_x"].values * scale
        sy = dataset["station_y"].values * scale
        ax.scatter(sx, sy, marker="^", color="blue", edgecolor="white", s=40, zorder=3)
        for name, px, py in zip(dataset["station"].values, sx, sy):
            ax.annotate(str(name), (px, py), fontsize=7, xytext=(3, 3), textcoords="offset points")
    unit = "km" if km else dataset["x"].attrs.get("units", "")
    ax.set_xlabel(f"x ({unit})")
    ax.set_ylabel(f"y ({unit})")
    ax.set_aspect("equal")
    when = str(da["time"].values)[:16] if "time" in da.coords else ""
    ax.set_title(f"{dataset.attrs.get('case', '')} {variable} {when} UTC".strip())
    return ax
