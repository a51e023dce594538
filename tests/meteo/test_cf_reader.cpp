// The CF surface reader: a synthetic ERA5-like file with closed-form contents, and the real
// ERA-Interim 2-m temperature sample.
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/regrid.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::nc_ok;
using lantian::test::TempDir;

namespace {

// lon 110..113 (4), lat 32, 31, 30 (descending), 2 hourly times from 2015-12-01T00Z.
// t2m (degC) = 20 + (lon - 110) + 0.5 (lat - 30) + t; d2m = 283.15 K; u10 = 3, v10 = 4;
// blh = 400 m; zust = 0.3; ishf = -100 W m**-2 (downward: 100 W/m2 upward); sp = 1e5 Pa;
// tp = 0.002 m per hour.
void write_cf(const std::string& path, bool with_blh = true, const char* t_units = "degC") {
  int nc = 0;
  nc_ok(nc_create(path.c_str(), NC_CLOBBER, &nc));
  int dt, dy, dx;
  nc_ok(nc_def_dim(nc, "time", 2, &dt));
  nc_ok(nc_def_dim(nc, "latitude", 3, &dy));
  nc_ok(nc_def_dim(nc, "longitude", 4, &dx));
  int vt, vy, vx;
  nc_ok(nc_def_var(nc, "time", NC_INT, 1, &dt, &vt));
  nc_ok(nc_def_var(nc, "latitude", NC_FLOAT, 1, &dy, &vy));
  nc_ok(nc_def_var(nc, "longitude", NC_FLOAT, 1, &dx, &vx));
  auto text = [&](int v, const char* name, const char* value) {
    nc_ok(nc_put_att_text(nc, v, name, std::strlen(value), value));
  };
  text(vt, "units", "hours since 2015-12-01 00:00:00");
  text(vy, "units", "degrees_north");
  text(vx, "units", "degrees_east");
  struct V {
    const char* name;
    const char* units;
    int id = -1;
  };
  std::vector<V> vars = {{"t2m", t_units}, {"d2m", "K"}, {"u10", "m s**-1"}, {"v10", "m s**-1"}, {"blh", "m"},
                         {"zust", "m s**-1"}, {"ishf", "W m**-2"}, {"sp", "Pa"}, {"tp", "m"}};
  const int d3[3] = {dt, dy, dx};
  for (V& v : vars) {
    if (!with_blh && std::string(v.name) == "blh") continue;
    nc_ok(nc_def_var(nc, v.name, NC_DOUBLE, 3, d3, &v.id));
    text(v.id, "units", v.units);
  }
  nc_ok(nc_enddef(nc));
  const int times[2] = {0, 1};
  const float lats[3] = {32, 31, 30}, lons[4] = {110, 111, 112, 113};
  nc_ok(nc_put_var_int(nc, vt, times));
  nc_ok(nc_put_var_float(nc, vy, lats));
  nc_ok(nc_put_var_float(nc, vx, lons));
  for (const V& v : vars) {
    if (v.id < 0) continue;
    const std::string n = v.name;
    std::vector<double> data;
    for (int t = 0; t < 2; ++t)
      for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 4; ++i) {
          double x = 0.0;
          if (n == "t2m") x = 20.0 + (lons[i] - 110.0) + 0.5 * (lats[j] - 30.0) + t;
          else if (n == "d2m") x = 283.15;
          else if (n == "u10") x = 3.0;
          else if (n == "v10") x = 4.0;
          else if (n == "blh") x = 400.0;
          else if (n == "zust") x = 0.3;
          else if (n == "ishf") x = -100.0;
          else if (n == "sp") x = 1.0e5;
          else if (n == "tp") x = 0.002;
          data.push_back(x);
        }
    nc_ok(nc_put_var_double(nc, v.id, data.data()));
  }
  nc_ok(nc_close(nc));
}

Grid grid_around(double half_width_m, int n) {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=25 +lat_2=40 +lat_0=31 +lon_0=111.5 +datum=WGS84 +units=m";
  g.nx = g.ny = n;
  g.dx = g.dy = 2.0 * half_width_m / n;
  g.x0 = g.y0 = -half_width_m;
  g.layer_tops = {50.0, 200.0, 1000.0};
  return Grid(g);
}

}  // namespace

TEST_CASE("CF time units", "[meteo][cf]") {
  // 1900-01-01 -> 1970-01-01 is 25567 days = 613608 h; 985416 - 613608 = 371808 h = 2012-06-01T00Z
  CHECK(cf_time_to_utc(985416.0, "hours since 1900-01-01 00:00:0.0") == 371808);
  CHECK(cf_time_to_utc(86400.0 * 2, "seconds since 1970-01-01 00:00:00") == 48);
  CHECK(cf_time_to_utc(1.5, "days since 1970-01-01") == 36);
  CHECK_THROWS_WITH(cf_time_to_utc(0.5, "hours since 1970-01-01"), Catch::Contains("whole hour"));
  CHECK_THROWS_WITH(cf_time_to_utc(1.0, "fortnights since 1970-01-01"), Catch::Contains("unsupported time unit"));
}

TEST_CASE("CF surface file to the case grid", "[meteo][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5.nc";
  write_cf(path);
  const CfSurface cf = read_cf_surface(path);
  REQUIRE(cf.times.size() == 2);
  CHECK(cf.times[0] == 16770 * 24);  // 2015-12-01T00Z
  CHECK(cf.lat.front() == 30.0);     // flipped to increasing
  // (lon 110, lat 30) is (i 0, j 0) after the flip: 20 C -> 293.15 K
  CHECK(cf.t2[0](0, 0) == Approx(293.15).epsilon(1e-12));
  // RH from the dew point: e_s(10 C) / e_s(20 C) = 12.28 / 23.39 hPa (tables) = 52.5 %
  CHECK(cf.rh2[0](0, 0) == Approx(52.5).margin(0.2));
  CHECK(cf.shf[0](1, 1) == 100.0);         // ECMWF downward-positive flux negated
  CHECK(cf.precip[1](2, 2) == Approx(2.0)); // 0.002 m in a 1-h step

  const Grid grid = grid_around(20000.0, 4);
  const MetSeries met = cf_met(cf, grid);
  const MetState& m = met.states()[1];
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i) {
      const LonLat ll = grid.lonlat(i, j);
      // t2 is linear in lon/lat, which bilinear interpolation reproduces exactly
      CHECK(m.t2(i, j) == Approx(273.15 + 21.0 + (ll.lon - 110.0) + 0.5 * (ll.lat - 30.0)).epsilon(1e-10));
      // Earth wind (3, 4): speed 5, from atan2(-3, -4) = 216.87 deg, whatever the grid rotation
      const double g = grid_north_angle(grid, grid.x_centre(i), grid.y_centre(j));
      const double ue = m.u10(i, j) * std::cos(g) - m.v10(i, j) * std::sin(g);
      const double ve = m.u10(i, j) * std::sin(g) + m.v10(i, j) * std::cos(g);
      CHECK(std::hypot(m.u10(i, j), m.v10(i, j)) == Approx(5.0).epsilon(1e-12));
      CHECK(std::atan2(-ue, -ve) * 180.0 / std::numbers::pi + 360.0 == Approx(216.8699).margin(1e-3));
    }
  // The grid is rotated away from lon_0: at the west column grid north differs from true north
  CHECK(std::abs(grid_north_angle(grid, grid.x_centre(0), grid.y_centre(0))) > 1e-3);
  CHECK(m.pblh(2, 2) == 400.0);
  CHECK(m.obukhov(0, 0) < 0.0);  // upward heat flux: unstable
  CHECK(m.precip(1, 1) == Approx(2.0));

  // A grid reaching beyond the file: the uncovered corner is named
  CHECK_THROWS_WITH(cf_met(cf, grid_around(200000.0, 4)), Catch::Contains("south-west corner") && Catch::Contains(path));
  // Missing variables are named
  write_cf(path, false);
  CHECK_THROWS_WITH(cf_met(read_cf_surface(path), grid), Catch::Contains("missing variables") && Catch::Contains("blh|PBLH|pblh"));
  // Unknown units are named
  write_cf(path, true, "furlongs");
  CHECK_THROWS_WITH(read_cf_surface(path), Catch::Contains("t2m") && Catch::Contains("unknown or missing units 'furlongs'"));
}

TEST_CASE("CF reader on the real ERA-Interim sample", "[meteo][cf][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path path = std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "era_interim_tibet.nc";
  if (!root || !std::filesystem::exists(path)) std::exit(4);
  const CfSurface cf = read_cf_surface(path.string());
  REQUIRE(cf.nlon() == 68);
  REQUIRE(cf.nlat() == 55);
  REQUIRE(cf.times.size() == 4);
  for (int t = 0; t < 4; ++t) CHECK(cf.times[static_cast<std::size_t>(t)] == 371808 + 6 * t);  // 2012-06-01 00..18Z
  CHECK(cf.lat.front() == 9.75);
  CHECK(cf.lon.back() == 110.25);
  // References read with Python netCDF4 (independent unpacking of the int16 values):
  // t2m[0, lat 50.25, lon 60] = 286.7728679536429; t2m[3, lat 9.75, lon 110.25] = 301.0953079590824;
  // t2m[:, lat 30, lon 87] = 275.28024177, 283.68514704, 282.01591509, 277.4323331
  CHECK(cf.t2[0](0, 54) == Approx(286.7728679536429).epsilon(1e-12));
  CHECK(cf.t2[3](67, 0) == Approx(301.0953079590824).epsilon(1e-12));
  const double ref[4] = {275.28024177, 283.68514704, 282.01591509, 277.4323331};
  for (int t = 0; t < 4; ++t) CHECK(cf.t2[static_cast<std::size_t>(t)](36, 27) == Approx(ref[t]).epsilon(1e-9));
  CHECK(cf.u10.empty());
  // The sample has only t2m: building meteorology from it names what is missing
  CHECK_THROWS_WITH(cf_met(cf, grid_around(20000.0, 2)), Catch::Contains("u10|U10|uas") && Catch::Contains("era_interim_tibet.nc"));
}
