// Gridded CF NetCDF emissions: small files written here with the NetCDF C API; totals in g/s
// against hand-computed unit arithmetic, mass conservation of the regridding, the exact 1/4
// split of an aligned projected grid, and the named errors (bad units, missing variable).
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/temp_dir.hpp"
#include "emissions/gridded_fixture.hpp"
#include "emissions/gridded_netcdf.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

const char* kLcc = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";

using test::nc;
using test::put_text;
using test::write_lonlat;

Grid demo_grid(int n = 80, double x0 = -40000.0, double y0 = -40000.0) {
  GridSpec s;
  s.crs = kLcc;
  s.nx = n;
  s.ny = n;
  s.dx = 1000.0;
  s.dy = 1000.0;
  s.x0 = x0;
  s.y0 = y0;
  s.layer_tops = {50.0};
  return Grid(s);
}

double field_sum(const Field2D<double>& f) {
  double s = 0.0;
  for (int j = 0; j < f.ny(); ++j)
    for (int i = 0; i < f.nx(); ++i) s += f(i, j);
  return s;
}

/// Area of a lon/lat cell on the sphere of radius 6 371 007.2 m (GRS 80 authalic):
/// R^2 * dlon[rad] * (sin(lat_n) - sin(lat_s)).
double sphere_cell_area(double lon_w, double lon_e, double lat_s, double lat_n) {
  const double r = 6371007.2, d = std::numbers::pi / 180.0;
  return r * r * (lon_e - lon_w) * d * (std::sin(lat_n * d) - std::sin(lat_s * d));
}

const std::vector<double> kLon{118.70, 118.80, 118.90};  // faces 118.65 .. 118.95
const std::vector<double> kLat{31.95, 32.05};            // faces 31.90 .. 32.10

}  // namespace

TEST_CASE("gridded units parse to g/s per cell or per m2", "[emissions][netcdf]") {
  const auto check = [](const char* text, double factor, bool per_area) {
    INFO(text);
    const auto u = parse_gridded_unit(text);
    REQUIRE(u.has_value());
    CHECK(u->per_area == per_area);
    CHECK(u->to_grams_per_second == Approx(factor).epsilon(1e-15));
  };
  check("kg m-2 s-1", 1000.0, true);           // 1 kg = 1000 g
  check("kg/m2/s", 1000.0, true);
  check("kg m**-2 s**-1", 1000.0, true);
  check("g m^-2 s^-1", 1.0, true);
  check("t km-2 yr-1", 1.0e6 / 31536000.0 / 1.0e6, true);  // 1 t / (1e6 m2 * 365 * 86400 s)
  check("t/yr", 1.0e6 / 31536000.0, false);                // 0.0317097919837646 g/s
  check("t yr-1 cell-1", 1.0e6 / 31536000.0, false);
  check("Mg/a", 1.0e6 / 31536000.0, false);
  check("kg/h", 1000.0 / 3600.0, false);
  check("g/s", 1.0, false);
  check("mg/s", 1.0e-3, false);
  for (const char* bad : {"mol m-2 s-1", "kg", "kg m-2", "kg m-1 s-1", "kg kg-1 s-1", "molecules cm-2 s-1", "", "ppb"}) {
    INFO(bad);
    CHECK_FALSE(parse_gridded_unit(bad).has_value());
  }
}

TEST_CASE("gridded NetCDF total in g/s equals the hand-computed one and regridding conserves it",
          "[emissions][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "area.nc").string();
  // File order (lat, lon): row j = 0 is lat 31.95.
  const std::vector<double> so2{1e-9, 2e-9, 3e-9, 4e-9, 5e-9, 6e-9};  // kg m-2 s-1
  const std::vector<double> nox{100, 200, 0, 400, 500, 600};           // t/yr per cell
  write_lonlat(path, kLon, kLat, 0, {{"so2", "kg m-2 s-1", so2}, {"nox", "t/yr", nox}});

  GriddedNetcdfOptions opt;
  opt.variables = {"so2", "nox", "", "", "", ""};
  const GriddedSource src = read_gridded_netcdf(path, opt);
  CHECK(src.sector == Sector::residential_heating);
  REQUIRE(src.times() == 1);

  // SO2: value [kg m-2 s-1] * 1000 [g/kg] * cell area [m2] = g/s; cells 0.1 deg x 0.1 deg.
  double so2_ref = 0.0;
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 3; ++i) {
      const double lat_s = 31.90 + 0.1 * j;
      so2_ref += so2[static_cast<std::size_t>(3 * j + i)] * 1000.0 *
                 sphere_cell_area(118.65 + 0.1 * i, 118.75 + 0.1 * i, lat_s, lat_s + 0.1);
    }
  // NOx: sum 1800 t/yr * 1e6 g/t / (365 * 86400 s) = 57.077625570776256 g/s.
  const double nox_ref = 1800.0 * 1.0e6 / (365.0 * 86400.0);
  const Rates total = src.total();
  CHECK(total[index(EmittedPollutant::so2)] == Approx(so2_ref).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::nox)] == Approx(nox_ref).epsilon(1e-12));
  CHECK(nox_ref == Approx(57.077625570776256).epsilon(1e-15));
  // One cell alone: 0.1 x 0.1 deg at 31.9-32.0 N is about 9.45 km x 11.1 km = 1.05e8 m2.
  CHECK(sphere_cell_area(118.65, 118.75, 31.90, 32.00) == Approx(1.0497e8).epsilon(2e-3));

  SECTION("inside the 80 km city grid: everything lands, nothing outside") {
    const Grid g = demo_grid();
    const GriddedEmissions e = regrid_gridded(src, g);
    for (const EmittedPollutant p : {EmittedPollutant::so2, EmittedPollutant::nox}) {
      const double in = field_sum(e.rate[0][index(p)]);
      CHECK(in == Approx(total[index(p)]).epsilon(1e-12));
      CHECK(e.outside[0][index(p)] == Approx(0.0).margin(1e-12 * total[index(p)]));
    }
    CHECK(e.sector == Sector::residential_heating);
  }
  SECTION("a 10 km grid catching part of the cells: inside + outside = total") {
    const Grid g = demo_grid(10, -5000.0, -5000.0);
    const GriddedEmissions e = regrid_gridded(src, g, 8);
    for (const EmittedPollutant p : {EmittedPollutant::so2, EmittedPollutant::nox}) {
      const double in = field_sum(e.rate[0][index(p)]), out = e.outside[0][index(p)];
      CHECK(in > 0.0);
      CHECK(out > in);  // 100 km2 of ~630 km2
      CHECK(in + out == Approx(total[index(p)]).epsilon(1e-12));
    }
  }
}

TEST_CASE("gridded NetCDF with 12 months and decreasing latitudes", "[emissions][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "monthly.nc").string();
  // ERA5-style latitudes north to south; 12 months, month m (1-based) = m kg/h in every cell.
  std::vector<double> pm(12 * 6);
  for (int m = 0; m < 12; ++m)
    for (int c = 0; c < 6; ++c) pm[static_cast<std::size_t>(6 * m + c)] = m + 1.0;
  write_lonlat(path, kLon, {32.05, 31.95}, 12, {{"pm25", "kg/h", pm}}, "");
  GriddedNetcdfOptions opt;
  opt.variables = {"", "", "pm25", "", "", ""};
  opt.sector = Sector::road_dust;  // no attribute in the file: the configured sector
  const GriddedSource src = read_gridded_netcdf(path, opt);
  REQUIRE(src.times() == 12);
  CHECK(src.sector == Sector::road_dust);
  CHECK(src.y_faces.front() == Approx(31.90));
  // March: 6 cells * 3 kg/h * 1000 g/kg / 3600 s/h = 5 g/s.
  CHECK(src.total(2)[index(EmittedPollutant::pm25)] == Approx(5.0).epsilon(1e-12));
  const GriddedEmissions e = regrid_gridded(src, demo_grid());
  CHECK(field_sum(e.for_month(3)[index(EmittedPollutant::pm25)]) == Approx(5.0).epsilon(1e-12));
  CHECK(field_sum(e.for_month(12)[index(EmittedPollutant::pm25)]) == Approx(20.0).epsilon(1e-12));
}

TEST_CASE("gridded NetCDF on the case's own projection splits 2 km cells into 4 exactly", "[emissions][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "lcc.nc").string();
  int id = 0, dx = 0, dy = 0, vx = 0, vy = 0, gm = 0, vs = 0;
  nc(nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &id));
  nc(nc_def_dim(id, "y", 2, &dy));
  nc(nc_def_dim(id, "x", 2, &dx));
  nc(nc_def_var(id, "x", NC_DOUBLE, 1, &dx, &vx));
  put_text(id, vx, "standard_name", "projection_x_coordinate");
  put_text(id, vx, "units", "km");
  nc(nc_def_var(id, "y", NC_DOUBLE, 1, &dy, &vy));
  put_text(id, vy, "standard_name", "projection_y_coordinate");
  put_text(id, vy, "units", "km");
  nc(nc_def_var(id, "crs", NC_INT, 0, nullptr, &gm));
  put_text(id, gm, "grid_mapping_name", "lambert_conformal_conic");
  const double sp[] = {25.0, 47.0}, lon0 = 118.8, lat0 = 32.0;
  nc(nc_put_att_double(id, gm, "standard_parallel", NC_DOUBLE, 2, sp));
  nc(nc_put_att_double(id, gm, "longitude_of_central_meridian", NC_DOUBLE, 1, &lon0));
  nc(nc_put_att_double(id, gm, "latitude_of_projection_origin", NC_DOUBLE, 1, &lat0));
  const int d2[] = {dy, dx};
  nc(nc_def_var(id, "so2", NC_DOUBLE, 2, d2, &vs));
  put_text(id, vs, "units", "g m-2 s-1");
  put_text(id, vs, "grid_mapping", "crs");
  put_text(id, vs, "sector", "industry");
  nc(nc_enddef(id));
  const double xs[] = {1.0, 3.0}, ys[] = {1.0, 3.0};  // km: cells [0,2] x [0,2] km ...
  const double v[] = {1e-6, 2e-6, 3e-6, 4e-6};         // g m-2 s-1
  nc(nc_put_var_double(id, vx, xs));
  nc(nc_put_var_double(id, vy, ys));
  nc(nc_put_var_double(id, vs, v));
  nc(nc_close(id));

  GriddedNetcdfOptions opt;
  opt.variables = {"so2", "", "", "", "", ""};
  const GriddedSource src = read_gridded_netcdf(path, opt);
  CHECK_FALSE(src.geographic);
  CHECK(src.sector == Sector::industry);
  // Map area 2 km x 2 km = 4e6 m2 per cell: (1 + 2 + 3 + 4) e-6 g m-2 s-1 * 4e6 m2 = 40 g/s.
  CHECK(src.total()[0] == Approx(40.0).epsilon(1e-12));
  const Grid g = demo_grid(4, 0.0, 0.0);  // 1 km cells over [0, 4] km
  const GriddedEmissions e = regrid_gridded(src, g, 1);
  const auto& f = e.rate[0][0];
  // Source cell (1, 0) = 2e-6 * 4e6 = 8 g/s -> 2 g/s in each of case cells (2..3, 0..1).
  for (int j = 0; j < 2; ++j)
    for (int i = 2; i < 4; ++i) CHECK(f(i, j) == Approx(2.0).epsilon(1e-9));
  CHECK(f(0, 3) == Approx(3.0).epsilon(1e-9));  // 12 g/s / 4
  CHECK(field_sum(f) == Approx(40.0).epsilon(1e-12));
}

TEST_CASE("gridded NetCDF errors name the file, the variable and the units", "[emissions][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "bad.nc").string();
  write_lonlat(path, kLon, kLat, 0, {{"so2", "mol m-2 s-1", std::vector<double>(6, 1e-9)}});
  GriddedNetcdfOptions opt;
  opt.variables = {"so2", "", "", "", "", ""};
  try {
    (void)read_gridded_netcdf(path, opt);
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK(m.find(path) != std::string::npos);
    CHECK(e.context().where == "so2");
    CHECK(m.find("\"mol m-2 s-1\"") != std::string::npos);
    CHECK(m.find("kg m-2 s-1") != std::string::npos);  // what was expected
  }
  write_lonlat(path, kLon, kLat, 0, {{"so2", "kg m-2 s-1", std::vector<double>(6, 1e-9)}});
  opt.variables = {"so2", "", "", "", "", "nh3"};
  try {
    (void)read_gridded_netcdf(path, opt);
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK(m.find(path) != std::string::npos);
    CHECK(e.context().where == "nh3");
    CHECK(m.find("missing variable") != std::string::npos);
    CHECK(m.find("so2") != std::string::npos);  // the variables found are listed
  }
  // Defaults name all six pollutants: the file has only so2.
  CHECK_THROWS_WITH(read_gridded_netcdf(path), Catch::Contains("nox") && Catch::Contains("missing variable"));
  // An unknown sector attribute, with a suggestion.
  write_lonlat(path, kLon, kLat, 0, {{"so2", "kg m-2 s-1", std::vector<double>(6, 1e-9)}}, "residental_heating");
  opt.variables = {"so2", "", "", "", "", ""};
  CHECK_THROWS_WITH(read_gridded_netcdf(path, opt), Catch::Contains("residential_heating"));
  // A negative value names the cell.
  write_lonlat(path, kLon, kLat, 0, {{"so2", "kg m-2 s-1", {1e-9, 1e-9, 1e-9, 1e-9, -1e-9, 1e-9}}});
  CHECK_THROWS_WITH(read_gridded_netcdf(path, opt), Catch::Contains("so2[1, 1]") && Catch::Contains("non-negative"));
}
