"""The hourly CF-1.8 NetCDF file of an Eulerian run (forecast/model_output.hpp) as xarray and
netCDF4 see it.

The file comes from LANTIAN_NC_SAMPLE (a path); without it the tests are skipped. To make one:
    LANTIAN_NC_SAMPLE_OUT=/tmp/sample.nc build/tests/test_forecast "[model-output]"
    LANTIAN_NC_SAMPLE=/tmp/sample.nc /usr/bin/python3 -m pytest python/tests -q
(`lantian run` will write one too.) Only xarray, netCDF4 and numpy are used: no metpy, no cf-xarray.
"""
import os
from pathlib import Path

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
netCDF4 = pytest.importorskip("netCDF4")

SPECIES = ["SO2", "NOx", "VOC", "NH3", "PPM25", "PMC", "SO4", "NO3", "SOA"]


@pytest.fixture(scope="module")
def sample_path():
    path = os.environ.get("LANTIAN_NC_SAMPLE")
    if not path:
        pytest.skip("LANTIAN_NC_SAMPLE is not set: point it at a NetCDF file written by lantian "
                    "(e.g. LANTIAN_NC_SAMPLE_OUT=... test_scenarios \"[model-output]\", or `lantian run`)")
    if not Path(path).is_file():
        pytest.skip(f"LANTIAN_NC_SAMPLE={path} is not a file")
    return path


@pytest.fixture(scope="module")
def ds(sample_path):
    with xr.open_dataset(sample_path) as opened:
        yield opened.load()


def test_global_attributes(ds):
    assert ds.attrs["Conventions"] == "CF-1.8"
    assert ds.attrs["institution"] == "lantian"
    for name in ("title", "source", "comment"):
        assert ds.attrs[name]
    assert "1.375" in ds.attrs["comment"] and "1.29" in ds.attrs["comment"]


def test_time_decodes_to_datetime64(ds, sample_path):
    assert np.issubdtype(ds["time"].dtype, np.datetime64)
    assert ds.sizes["time"] >= 1
    # the decoded times are the stored hours since 1970 (UTC), whole hours, increasing
    with netCDF4.Dataset(sample_path) as nc:
        hours = np.asarray(nc["time"][:], dtype="float64")
        assert nc["time"].units == "hours since 1970-01-01 00:00:00"
    expected = np.datetime64("1970-01-01T00:00:00", "ns") + (hours * 3600).astype("int64").astype("timedelta64[s]")
    np.testing.assert_array_equal(ds["time"].values, expected)
    assert np.all(np.diff(hours) > 0)
    assert np.all(hours == np.round(hours))


def test_time_is_hour_beginning_with_bounds(ds, sample_path):
    # docs/time-labels.md: the record labelled T is the model hour [T, T + 1 h] and holds the
    # state at its end (until issue 12 `time` was that end and there were no bounds).
    assert ds["time"].attrs["bounds"] == "time_bnds"
    assert "END" in ds["time"].attrs["comment"]
    bounds = ds["time_bnds"]
    assert bounds.dims == ("time", "nv")
    assert np.issubdtype(bounds.dtype, np.datetime64)  # xarray decodes the bounds with time's units
    np.testing.assert_array_equal(bounds.values[:, 0], ds["time"].values)
    np.testing.assert_array_equal(bounds.values[:, 1], ds["time"].values + np.timedelta64(1, "h"))
    assert "cell_methods" not in ds["PM25_sfc"].attrs  # none is truthful: see model_output.cpp
    assert "end of the time interval" in ds["PM25_sfc"].attrs["comment"]
    with netCDF4.Dataset(sample_path) as nc:
        raw = np.asarray(nc["time_bnds"][:], dtype="float64")
        np.testing.assert_array_equal(raw[:, 0], np.asarray(nc["time"][:], dtype="float64"))
        np.testing.assert_array_equal(raw[:, 1] - raw[:, 0], 1.0)


def test_pm25_units_coordinates_and_grid_mapping(ds):
    pm = ds["PM25_sfc"]
    assert pm.dims == ("time", "y", "x")
    assert pm.attrs["units"] == "ug m-3"
    assert pm.attrs["standard_name"] == "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air"
    grid_mapping = pm.attrs.get("grid_mapping") or pm.encoding.get("grid_mapping")
    assert grid_mapping in ds.variables
    crs = ds[grid_mapping]
    assert crs.attrs["crs_wkt"]
    assert "grid_mapping_name" in crs.attrs or crs.attrs["crs_wkt"]
    # lat/lon are auxiliary coordinates of the field, in range
    assert "lat" in pm.coords and "lon" in pm.coords
    assert pm["lat"].dims == ("y", "x")
    assert float(pm["lat"].min()) >= -90 and float(pm["lat"].max()) <= 90
    assert float(pm["lon"].min()) >= -180 and float(pm["lon"].max()) <= 360


def test_lambert_parameters_when_lcc(ds):
    crs = ds[ds["PM25_sfc"].attrs.get("grid_mapping") or ds["PM25_sfc"].encoding["grid_mapping"]]
    if crs.attrs.get("grid_mapping_name") != "lambert_conformal_conic":
        pytest.skip("the sample's CRS is not Lambert conformal conic")
    for name in ("standard_parallel", "longitude_of_central_meridian", "latitude_of_projection_origin",
                 "false_easting", "false_northing"):
        assert name in crs.attrs
    assert "+proj=lcc" in crs.attrs["proj4_params"]
    assert "Lambert Conic Conformal" in crs.attrs["crs_wkt"]


def test_projection_coordinates(ds):
    for axis in ("x", "y"):
        c = ds[axis]
        assert c.attrs["standard_name"] in (f"projection_{axis}_coordinate", "longitude", "latitude")
        assert np.all(np.diff(c.values) > 0)
    if "z" in ds.dims:
        assert ds["z"].attrs["positive"] == "up"
        assert ds["z"].attrs["units"] == "m"
        bounds = ds[ds["z"].attrs["bounds"]].values
        assert bounds[0, 0] == 0
        np.testing.assert_array_equal(bounds[1:, 0], bounds[:-1, 1])
        assert np.all((bounds[:, 0] < ds["z"].values) & (ds["z"].values < bounds[:, 1]))


def test_mean_matches_netcdf4(ds, sample_path):
    with netCDF4.Dataset(sample_path) as nc:
        raw = np.asarray(nc["PM25_sfc"][:], dtype="float64")
    assert np.isfinite(raw).all()
    assert float(ds["PM25_sfc"].mean()) == pytest.approx(raw.mean(), rel=1e-6)


def test_species_and_pm10(ds):
    for name in SPECIES:
        assert f"{name}_sfc" in ds
        assert ds[f"{name}_sfc"].attrs["units"] == "ug m-3"
    # PM10 = PM2.5 + coarse PM; PM2.5 = PPM25 + 1.375 SO4 + 1.29 NO3 + SOA (float precision)
    np.testing.assert_allclose(ds["PM10_sfc"], ds["PM25_sfc"] + ds["PMC_sfc"], rtol=1e-6)
    pm25 = ds["PPM25_sfc"] + 1.375 * ds["SO4_sfc"] + 1.29 * ds["NO3_sfc"] + ds["SOA_sfc"]
    np.testing.assert_allclose(ds["PM25_sfc"], pm25, rtol=1e-6)
    if "z" in ds.dims:
        for name in SPECIES:
            assert ds[name].dims == ("time", "z", "y", "x")
            np.testing.assert_array_equal(ds[name].isel(z=0).values, ds[f"{name}_sfc"].values)


def test_tags_add_up(ds):
    if "PM25_tag" not in ds:
        pytest.skip("the sample has no source tags")
    tags = ds["PM25_tag"]
    assert tags.dims == ("time", "tag", "y", "x")
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in ds["tag_name"].values]
    assert len(names) == ds.sizes["tag"] and all(names)
    # with the boundary in a tag the tags add up to the total
    if any("boundary" in n for n in names):
        np.testing.assert_allclose(tags.sum("tag"), ds["PM25_sfc"], rtol=1e-5)
