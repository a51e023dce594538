// The CF surface reader: a synthetic ERA5-like file with closed-form contents, and the real
// ERA-Interim 2-m temperature sample.
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/regrid.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/cf_fixture.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::constant;
using lantian::test::nc_ok;
using lantian::test::NcLevels;
using lantian::test::NcVar;
using lantian::test::write_upper;
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

// A grid of 4 x 4 cells of 10 km around (lon_0, 31 N), layer centres at 50, 200, 450, 800 m.
Grid grid_at(double lon_0) {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=25 +lat_2=40 +lat_0=31 +lon_0=" + std::to_string(lon_0) + " +datum=WGS84 +units=m";
  g.nx = g.ny = 4;
  g.dx = g.dy = 10000.0;
  g.x0 = g.y0 = -20000.0;
  g.layer_tops = {100.0, 300.0, 600.0, 1000.0};
  return Grid(g);
}

// Bolton (1980) eq. 10 and e = w p / (0.622 + w): the reference relative humidity, %.
double rh_reference(double q, double p, double t) {
  const double w = q / (1.0 - q);
  return 100.0 * (w * p / (0.622 + w)) / (611.2 * std::exp(17.67 * (t - 273.15) / (t - 29.65)));
}

// Earth-relative (u_e, v_e) along the grid's x axis at an x-face and y axis at a y-face.
double grid_u(const Grid& g, int i, int j, double ue, double ve) {
  const double a = grid_north_angle(g, g.x_face(i), g.y_centre(j));
  return ue * std::cos(a) + ve * std::sin(a);
}
double grid_v(const Grid& g, int i, int j, double ue, double ve) {
  const double a = grid_north_angle(g, g.x_centre(i), g.y_face(j));
  return -ue * std::sin(a) + ve * std::cos(a);
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
  CHECK_FALSE(cf.has_upper_air());  // surface only: lapse-rate columns
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
  CHECK_FALSE(cf.has_upper_air());
  // The sample has only t2m: building meteorology from it names what is missing
  CHECK_THROWS_WITH(cf_met(cf, grid_around(20000.0, 2)), Catch::Contains("u10|U10|uas") && Catch::Contains("era_interim_tibet.nc"));
}

// Linear interpolation (bilinear horizontally, linear in height) reproduces fields linear in
// lon, lat and height exactly, so the checks below allow round-off only (1e-9).
TEST_CASE("CF pressure levels with geopotential to the case grid", "[meteo][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5_pl.nc";
  constexpr double g = 9.80665;
  const std::vector<double> height = {1500.0, 900.0, 450.0, 200.0, 20.0};  // above ground, per file level
  auto h = [&](int k) { return height[static_cast<std::size_t>(k)]; };
  auto ue = [](double z) { return 2.0 + 0.004 * z; };
  auto ve = [](double z) { return -1.0 + 0.001 * z; };
  const std::vector<NcVar> vars = {
      {"u", "m s**-1", 4, [&](int, int k, double, double) { return ue(h(k)); }},
      {"v", "m s**-1", 4, [&](int, int k, double, double) { return ve(h(k)); }},
      {"t", "degC", 4, [&](int, int k, double, double) { return 15.0 - 0.0065 * h(k); }},
      {"q", "g kg**-1", 4, [&](int, int, double, double) { return 5.0; }},
      {"z", "m**2 s**-2", 4, [&](int, int k, double, double) { return g * (500.0 + h(k)); }},
      {"orog", "m", 2, [](int, int, double, double) { return 500.0; }, "surface_altitude"},
      constant("blh", "m", 3, 400.0)};
  const Grid grid = grid_at(111.5);
  for (const bool pascal : {false, true}) {
    CAPTURE(pascal);
    NcLevels lev{"pressure_level", pascal ? "Pa" : "hPa", "", {700.0, 850.0, 900.0, 950.0, 1000.0}};
    if (pascal)
      for (double& p : lev.values) p *= 100.0;
    write_upper(path, {32, 31, 30}, {110, 111, 112, 113}, lev, vars);
    const CfSurface cf = read_cf_surface(path);
    REQUIRE(cf.has_upper_air());
    CHECK_THAT(cf.levels_note, Catch::Contains("geopotential"));
    CHECK(cf.z[0](1, 1, 0) == Approx(20.0).margin(1e-9));   // 1000 hPa first (upward order)
    CHECK(cf.t[1](3, 2, 4) == Approx(288.15 - 0.0065 * 1500.0).epsilon(1e-12));
    const MetState m = cf_met(cf, grid).states()[1];
    for (int k = 0; k < 4; ++k) {
      const double z = grid.z_centre(k);
      for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i) {
          CHECK(m.t(i, j, k) == Approx(288.15 - 0.0065 * z).margin(1e-9));
          CHECK(m.u(i, j, k) == Approx(grid_u(grid, i, j, ue(z), ve(z))).margin(1e-9));
          CHECK(m.v(i, j, k) == Approx(grid_v(grid, i, j, ue(z), ve(z))).margin(1e-9));
        }
    }
    // z = 450 m is the 900 hPa level: RH from q there (T = 285.225 K, q = 5 g/kg)
    CHECK(m.rh(2, 1, 2) == Approx(rh_reference(0.005, 90000.0, 288.15 - 0.0065 * 450.0)).epsilon(1e-9));
    // No u10/v10/t2m in the file: 10-m wind by the log law below the first level (20 m, z0 = 0.5)
    CHECK(std::hypot(m.u10(1, 1), m.v10(1, 1)) ==
          Approx(std::hypot(ue(20.0), ve(20.0)) * std::log(10.0 / 0.5) / std::log(20.0 / 0.5)).epsilon(1e-9));
    CHECK(m.t2(0, 0) == Approx(288.15 - 0.0065 * 20.0).epsilon(1e-12));
    CHECK(m.pblh(3, 3) == Approx(400.0));
  }
  // Without orography the ground is where log p of the column reaches the surface pressure (z
  // linear in log p): at the 950 hPa level (500 + 200 m), or extrapolated below 1000 hPa.
  std::vector<NcVar> no_orog(vars.begin(), vars.end());
  no_orog.erase(no_orog.begin() + 5);
  no_orog.push_back(constant("sp", "hPa", 3, 950.0));
  const NcLevels lev{"pressure_level", "hPa", "", {700.0, 850.0, 900.0, 950.0, 1000.0}};
  write_upper(path, {32, 31, 30}, {110, 111, 112, 113}, lev, no_orog);
  CfSurface cf = read_cf_surface(path);
  CHECK(std::isnan(cf.z[0](1, 1, 0)));  // 1000 hPa: below ground
  CHECK(std::isnan(cf.z[0](1, 1, 1)));  // 950 hPa: the ground
  CHECK(cf.z[0](1, 1, 2) == Approx(450.0 - 200.0).margin(1e-9));
  no_orog.back() = constant("sp", "hPa", 3, 1010.0);
  write_upper(path, {32, 31, 30}, {110, 111, 112, 113}, lev, no_orog);
  cf = read_cf_surface(path);
  const double ground = 20.0 + (200.0 - 20.0) * std::log(1010.0 / 1000.0) / std::log(950.0 / 1000.0);  // < 20 m
  CHECK(cf.z[0](1, 1, 0) == Approx(20.0 - ground).epsilon(1e-9));
}

TEST_CASE("CF pressure levels by hypsometric integration, 0..360 longitudes", "[meteo][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5_hyps.nc";
  // Isothermal 280 K: z(p) = (R_d T / g) ln(p_s / p) exactly (R_d = 287, g = 9.80665)
  const std::vector<double> p_hpa = {1000.0, 975.0, 950.0, 900.0, 850.0, 800.0};
  auto h = [&](int k) { return 287.0 * 280.0 / 9.80665 * std::log(1000.0 / p_hpa[static_cast<std::size_t>(k)]); };
  auto ue = [](double z) { return 1.0 + 0.01 * z; };
  const std::vector<NcVar> vars = {
      {"u", "m s**-1", 4, [&](int, int k, double, double) { return ue(h(k)); }},
      constant("v", "m s**-1", 4, 0.5),
      constant("t", "K", 4, 280.0),
      constant("r", "%", 4, 60.0),
      constant("t2m", "K", 3, 280.0),
      constant("sp", "hPa", 3, 1000.0),
      constant("blh", "m", 3, 300.0),
      constant("sshf", "J m**-2", 3, -50.0 * 3600.0)};  // ERA5: downward, accumulated over the hour
  write_upper(path, {30, 31, 32}, {350, 351, 352, 353}, {"level", "hPa", "", p_hpa}, vars);
  const CfSurface cf = read_cf_surface(path);
  REQUIRE(cf.has_upper_air());
  CHECK_THAT(cf.levels_note, Catch::Contains("hypsometric"));
  CHECK(std::isnan(cf.z[0](0, 0, 0)));  // 1000 hPa is the ground: left out
  CHECK(cf.z[0](0, 0, 1) == Approx(h(1)).epsilon(1e-12));
  CHECK(cf.shf[0](1, 1) == Approx(50.0).epsilon(1e-12));
  const Grid grid = grid_at(-8.5);  // lon -8.7..-8.3, i.e. 351.3..351.7 in the file's convention
  const MetState m = cf_met(cf, grid).states()[0];
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i) {
        CHECK(m.t(i, j, k) == Approx(280.0).epsilon(1e-12));
        CHECK(m.rh(i, j, k) == Approx(60.0).epsilon(1e-12));
        if (grid.z_centre(k) > h(1))  // above the first level above ground (975 hPa, 207.6 m)
          CHECK(m.u(i, j, k) == Approx(grid_u(grid, i, j, ue(grid.z_centre(k)), 0.5)).margin(1e-9));
      }
  CHECK(m.shf(2, 2) == Approx(50.0).epsilon(1e-12));
  CHECK(m.obukhov(2, 2) < 0.0);
}

TEST_CASE("CF height levels to the case grid", "[meteo][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/height.nc";
  auto temp = [](double lon, double lat, double z) { return 290.0 - 0.006 * z + 0.5 * (lon - 110.0) + 0.3 * (lat - 30.0); };
  auto ue = [](double lon, double z) { return 3.0 + 0.002 * z + 0.1 * (lon - 110.0); };
  auto ve = [](double lat) { return 0.2 * (lat - 30.0); };
  for (const bool above_sea : {false, true}) {
    CAPTURE(above_sea);
    const double zs = above_sea ? 100.0 : 0.0;
    const std::vector<double> levels = {10.0 + zs, 100.0 + zs, 300.0 + zs, 700.0 + zs, 1500.0 + zs};
    auto h = [&](int k) { return levels[static_cast<std::size_t>(k)] - zs; };
    std::vector<NcVar> vars = {
        {"u", "m/s", 4, [&](int, int k, double lon, double) { return ue(lon, h(k)); }},
        {"v", "m/s", 4, [&](int, int, double, double lat) { return ve(lat); }},
        {"ta", "K", 4, [&](int, int k, double lon, double lat) { return temp(lon, lat, h(k)); }, "air_temperature"},
        constant("r", "1", 4, 0.5),
        {"t2m", "K", 3, [&](int, int, double lon, double lat) { return temp(lon, lat, 2.0); }},
        constant("blh", "m", 3, 400.0)};
    if (above_sea) vars.push_back(constant("zs", "m**2 s**-2", 2, 9.80665 * zs));
    write_upper(path, {32, 31, 30}, {110, 111, 112, 113}, {"height", "m", above_sea ? "altitude" : "height", levels}, vars);
    const CfSurface cf = read_cf_surface(path);
    REQUIRE(cf.has_upper_air());
    if (above_sea) {
      CHECK(cf.z[0](2, 1, 0) == Approx(10.0).margin(1e-9));
    }
    const Grid grid = grid_at(111.5);
    const MetState m = cf_met(cf, grid).states()[1];
    for (int k = 0; k < 4; ++k) {
      const double z = grid.z_centre(k);
      for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i) {
          const LonLat c = grid.lonlat(i, j);
          CHECK(m.t(i, j, k) == Approx(temp(c.lon, c.lat, z)).margin(1e-9));
          CHECK(m.rh(i, j, k) == Approx(50.0).epsilon(1e-12));
          const LonLat fx = grid.to_lonlat({grid.x_face(i), grid.y_centre(j)});
          CHECK(m.u(i, j, k) == Approx(grid_u(grid, i, j, ue(fx.lon, z), ve(fx.lat))).margin(1e-9));
          const LonLat fy = grid.to_lonlat({grid.x_centre(i), grid.y_face(j)});
          CHECK(m.v(i, j, k) == Approx(grid_v(grid, i, j, ue(fy.lon, z), ve(fy.lat))).margin(1e-9));
        }
    }
  }
}

TEST_CASE("CF upper-air errors name the file and what was expected", "[meteo][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/bad.nc";
  const NcLevels lev{"level", "hPa", "", {850.0, 1000.0}};
  // v missing
  write_upper(path, {30, 31}, {110, 111}, lev,
              {constant("u", "m s**-1", 4, 1.0), constant("t", "K", 4, 280.0), constant("q", "kg kg**-1", 4, 0.004),
               constant("z", "m**2 s**-2", 4, 1000.0), constant("sp", "Pa", 3, 1.0e5)});
  CHECK_THROWS_WITH(read_cf_surface(path), Catch::Contains("northward_wind|v") && Catch::Contains(path));
  // Unknown level units
  write_upper(path, {30, 31}, {110, 111}, {"level", "furlongs", "", {1.0, 2.0}},
              {constant("u", "m s**-1", 4, 1.0), constant("v", "m s**-1", 4, 1.0), constant("t", "K", 4, 280.0),
               constant("r", "%", 4, 50.0)});
  CHECK_THROWS_WITH(read_cf_surface(path), Catch::Contains("unknown level units 'furlongs'") && Catch::Contains("hPa"));
  // Pressure levels without geopotential need the surface pressure
  write_upper(path, {30, 31}, {110, 111}, lev,
              {constant("u", "m s**-1", 4, 1.0), constant("v", "m s**-1", 4, 1.0), constant("t", "K", 4, 280.0),
               constant("r", "%", 4, 50.0)});
  CHECK_THROWS_WITH(read_cf_surface(path), Catch::Contains("missing surface pressure") && Catch::Contains("sp|PSFC|ps"));
  // Unknown humidity units are named
  write_upper(path, {30, 31}, {110, 111}, lev,
              {constant("u", "m s**-1", 4, 1.0), constant("v", "m s**-1", 4, 1.0), constant("t", "K", 4, 280.0),
               constant("q", "ppm", 4, 50.0), constant("sp", "Pa", 3, 1.0e5)});
  CHECK_THROWS_WITH(read_cf_surface(path), Catch::Contains("q") && Catch::Contains("unknown or missing units 'ppm'"));
}
