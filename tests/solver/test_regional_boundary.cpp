// Boundaries from a regional model's CF NetCDF (solver/regional_boundary.hpp): a lon/lat file
// (latitudes decreasing) whose fields are linear in lon, lat, height and time is reproduced
// exactly at the ghost cells (bilinear and linear interpolation are exact for linear fields);
// kg m-3 conversion; the PM2.5 split sums back (pm25_of); PMC from PM10; the surface-only profile
// by hand; a projected file with a grid_mapping; the errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "solver/regional_boundary.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

const TimeZone kUtc{"UTC"};
const UtcHour kT0 = parse_time("2024-12-11T00:00Z", kUtc);

/// The linear test field: c = 40 + 30 (lon − 116.4) − 20 (lat − 39.9) + 0.01 z + 1.5 h (µg/m³).
double linear(double lon, double lat, double z, double h) {
  return 40.0 + 30.0 * (lon - 116.4) - 20.0 * (lat - 39.9) + 0.01 * z + 1.5 * h;
}

struct Var {
  std::string name;
  bool levels = false;  ///< (time, height, lat, lon), else (time, lat, lon)
  std::string units = "ug m-3";
  double factor = 1.0;  ///< file value = factor * linear(...)
  double add = 0.0;     ///< + add (µg/m³, before the factor)
};

struct Layout {
  std::vector<double> xs, ys;         ///< lon, lat (or x, y in m with `projected`)
  std::vector<double> z{10.0, 200.0, 1000.0};
  std::vector<double> hours{0.0, 3.0, 6.0};
  std::string z_units = "m";
  std::string time_units = "hours since 2024-12-11 00:00:00";
  bool projected = false;
};

/// Writes the variables on the layout with the NetCDF wrapper; returns the path.
std::string write_file(const test::TempDir& dir, const std::string& name, const Layout& l, const std::vector<Var>& vars,
                       const std::function<double(double, double, double, double)>& field = linear) {
  const std::string path = (dir.path() / name).string();
  NetcdfFile f = NetcdfFile::create(path);
  const int dt = f.def_dim("time", l.hours.size()), dz = f.def_dim("height", l.z.size());
  const std::string yn = l.projected ? "y" : "lat", xn = l.projected ? "x" : "lon";
  const int dy = f.def_dim(yn, l.ys.size()), dx = f.def_dim(xn, l.xs.size());
  using T = NetcdfFile::Type;
  const int vt = f.def_var("time", T::float64, {dt}), vz = f.def_var("height", T::float64, {dz});
  const int vy = f.def_var(yn, T::float64, {dy}), vx = f.def_var(xn, T::float64, {dx});
  f.put_att(vt, "units", l.time_units);
  f.put_att(vt, "calendar", std::string("gregorian"));
  f.put_att(vz, "units", l.z_units);
  f.put_att(vz, "positive", std::string("up"));
  if (l.projected) {
    f.put_att(vx, "standard_name", std::string("projection_x_coordinate"));
    f.put_att(vy, "standard_name", std::string("projection_y_coordinate"));
    f.put_att(vx, "units", std::string("m"));
    f.put_att(vy, "units", std::string("m"));
    const int gm = f.def_var("lambert", T::int32, {});
    f.put_att(gm, "grid_mapping_name", std::string("lambert_conformal_conic"));
    f.put_att(gm, "standard_parallel", std::vector<double>{25.0, 47.0});
    f.put_att(gm, "longitude_of_central_meridian", std::vector<double>{116.4});
    f.put_att(gm, "latitude_of_projection_origin", std::vector<double>{39.9});
  } else {
    f.put_att(vx, "units", std::string("degrees_east"));
    f.put_att(vy, "units", std::string("degrees_north"));
  }
  std::vector<int> ids;
  for (const Var& v : vars) {
    const int id = v.levels ? f.def_var(v.name, T::float64, {dt, dz, dy, dx}) : f.def_var(v.name, T::float64, {dt, dy, dx});
    if (!v.units.empty()) f.put_att(id, "units", v.units);
    if (l.projected) f.put_att(id, "grid_mapping", std::string("lambert"));
    ids.push_back(id);
  }
  f.end_def();
  f.write(vt, l.hours);
  f.write(vz, l.z);
  f.write(vy, l.ys);
  f.write(vx, l.xs);
  for (std::size_t n = 0; n < vars.size(); ++n) {
    const Var& v = vars[n];
    std::vector<double> data;
    for (double h : l.hours)
      for (std::size_t k = 0; k < (v.levels ? l.z.size() : 1); ++k)
        for (double y : l.ys)
          for (double x : l.xs) data.push_back(v.factor * (field(x, y, v.levels ? l.z[k] : 0.0, h) + v.add));
    f.write(ids[n], data);
  }
  f.close();
  return path;
}

/// Longitudes 116.0..116.8 increasing, latitudes 40.3..39.5 decreasing (as CAMS writes them).
Layout lonlat_layout() {
  Layout l;
  for (int i = 0; i <= 8; ++i) l.xs.push_back(116.0 + 0.1 * i);
  for (int j = 0; j <= 8; ++j) l.ys.push_back(40.3 - 0.1 * j);
  return l;
}

/// The ghost cell `a` of side s: its centre in the grid's CRS.
XY ghost(const Grid& g, Side s, int a) {
  switch (s) {
    case Side::west: return {g.x0() - 0.5 * g.dx(), g.y_centre(a)};
    case Side::east: return {g.x_face(g.nx()) + 0.5 * g.dx(), g.y_centre(a)};
    case Side::south: return {g.x_centre(a), g.y0() - 0.5 * g.dy()};
    default: return {g.x_centre(a), g.y_face(g.ny()) + 0.5 * g.dy()};
  }
}

/// The largest |v(side, sp, a, k) − expected(lon, lat, k)| over every ghost cell and layer.
double worst_error(const Grid& g, const BoundaryValues& v, Species sp,
                   const std::function<double(const LonLat&, XY, int)>& expected) {
  double worst = 0.0;
  for (Side s : kAllLateralSides)
    for (int a = 0; a < v.along(s); ++a)
      for (int k = 0; k < g.nz(); ++k) {
        const XY p = ghost(g, s, a);
        worst = std::max(worst, std::abs(v(s, sp, a, k) - expected(g.to_lonlat(p), p, k)));
      }
  return worst;
}

}  // namespace

TEST_CASE("a regional lon/lat file reproduces a field linear in lon, lat, z and t at the ghost cells",
          "[boundary][regional]") {
  const Grid g = test::beijing_grid();  // layer centres 25, 100, 275 m
  const test::TempDir dir;
  const std::string path = write_file(dir, "regional.nc", lonlat_layout(), {{"pm_sfc"}, {"so4", true}});
  RegionalBoundaryOptions o;
  o.species[index(Species::ppm25)] = "pm_sfc";
  o.species[index(Species::so4)] = "so4";
  const RegionalBoundary b(path, g, o);
  REQUIRE(b.times() == (std::vector<UtcHour>{kT0, kT0 + 3, kT0 + 6}));
  CHECK(b.variables() == (std::vector<std::string>{"PPM25=pm_sfc", "SO4=so4"}));
  for (int h : {0, 1, 2, 3, 5, 6}) {
    INFO("hour " << h);
    const BoundaryValues v = b.at(kT0 + h);
    // Surface only: constant up to 1000 m (every layer here).
    CHECK(worst_error(g, v, Species::ppm25, [&](const LonLat& q, XY, int) { return linear(q.lon, q.lat, 0.0, h); }) < 1e-10);
    // With heights: linear in z between the levels 10 and 200 m; 275 m between 200 and 1000 m.
    CHECK(worst_error(g, v, Species::so4, [&](const LonLat& q, XY, int k) {
            return linear(q.lon, q.lat, g.z_centre(k), h);
          }) < 1e-10);
    CHECK(worst_error(g, v, Species::no3, [](const LonLat&, XY, int) { return 0.0; }) == 0.0);  // not given, no PM25
  }
  // The boundary cells are really away from the coarse grid points (so the test interpolates).
  const LonLat w = g.to_lonlat(ghost(g, Side::west, 0));
  CHECK(std::abs(w.lon * 10.0 - std::round(w.lon * 10.0)) > 1e-3);
  CHECK_THROWS_WITH(b.at(kT0 + 7), Contains("regional.nc") && Contains("time") &&
                                       Contains("no boundary values for 2024-12-11T07:00:00Z") &&
                                       Contains("covers 2024-12-11T00:00:00Z to 2024-12-11T06:00:00Z"));
  CHECK_THROWS_WITH(b.at(kT0 - 1), Contains("no boundary values for 2024-12-10T23:00:00Z"));
}

TEST_CASE("a CAMS-like file: kg m-3, found by name, PM2.5 split and PMC from PM10", "[boundary][regional]") {
  const Grid g = test::beijing_grid();
  const test::TempDir dir;
  Layout l = lonlat_layout();
  const std::string path = write_file(dir, "cams.nc", l,
                                      {{"pm2p5", false, "kg m**-3", 1e-9}, {"pm10", false, "kg m**-3", 1e-9, 25.0}});
  const RegionalBoundary b(path, g);  // default names and composition
  CHECK(b.variables() == (std::vector<std::string>{"PM25=pm2p5", "PM10=pm10"}));
  const PmComposition comp;
  for (int h : {0, 2}) {
    const BoundaryValues v = b.at(kT0 + h);
    double worst_sum = 0.0, worst_split = 0.0, worst_pmc = 0.0;
    for (Side s : kAllLateralSides)
      for (int a = 0; a < v.along(s); ++a)
        for (int k = 0; k < g.nz(); ++k) {
          const LonLat q = g.to_lonlat(ghost(g, s, a));
          const double pm = linear(q.lon, q.lat, 0.0, h);
          PerSpecies c{};
          for (Species sp : kAllSpecies) c[index(sp)] = v(s, sp, a, k);
          worst_sum = std::max(worst_sum, std::abs(pm25_of(c) - pm));
          worst_split = std::max({worst_split, std::abs(c[index(Species::so4)] - comp.so4 * pm / 1.375),
                                  std::abs(c[index(Species::no3)] - comp.no3 * pm / 1.29),
                                  std::abs(c[index(Species::soa)] - comp.soa * pm),
                                  std::abs(c[index(Species::ppm25)] - (1.0 - comp.so4 - comp.no3 - comp.soa) * pm)});
          worst_pmc = std::max(worst_pmc, std::abs(c[index(Species::pmc)] - 25.0));
          CHECK(c[index(Species::so2)] == 0.0);
        }
    CHECK(worst_sum < 1e-12);
    CHECK(worst_split < 1e-10);
    CHECK(worst_pmc < 1e-10);
  }
  // A case composition replaces the default; the file's units can be overridden.
  RegionalBoundaryOptions o;
  o.pm25 = "pm2p5";
  o.composition = PmComposition{0.0, 0.5, 0.0};
  const BoundaryValues v = RegionalBoundary(path, g, o).at(kT0);
  const LonLat q = g.to_lonlat(ghost(g, Side::north, 1));
  CHECK(v(Side::north, Species::no3, 1, 0) == Approx(0.5 * linear(q.lon, q.lat, 0.0, 0.0) / 1.29).epsilon(1e-12));
  CHECK(v(Side::north, Species::ppm25, 1, 0) == Approx(0.5 * linear(q.lon, q.lat, 0.0, 0.0)).epsilon(1e-12));
  CHECK(v(Side::north, Species::pmc, 1, 0) == 0.0);  // PM10 not read
  o.units = "ug/m3";  // wrong on purpose: the values are then read as µg/m³
  CHECK(RegionalBoundary(path, g, o).at(kT0)(Side::north, Species::no3, 1, 0) ==
        Approx(0.5e-9 * linear(q.lon, q.lat, 0.0, 0.0) / 1.29).epsilon(1e-9));

  // Longitudes written 0..360 beyond 180: the grid's longitudes are moved into the file's range.
  Layout wrapped = l;
  for (double& x : wrapped.xs) x += 360.0;
  const std::string wpath = write_file(dir, "wrapped.nc", wrapped, {{"pm2p5"}},
                                       [](double lon, double lat, double z, double h) { return linear(lon - 360.0, lat, z, h); });
  const BoundaryValues wv = RegionalBoundary(wpath, g).at(kT0);
  CHECK(pm25_of([&] {
          PerSpecies c{};
          for (Species sp : kAllSpecies) c[index(sp)] = wv(Side::north, sp, 1, 0);
          return c;
        }()) == Approx(linear(q.lon, q.lat, 0.0, 0.0)).epsilon(1e-12));
}

TEST_CASE("the surface-only profile of a regional file, by hand", "[boundary][regional]") {
  const Grid g = test::beijing_grid();  // layer centres 25, 100, 275 m
  const test::TempDir dir;
  const std::string path = write_file(dir, "sfc.nc", lonlat_layout(), {{"pm"}});
  RegionalBoundaryOptions o;
  o.species[index(Species::ppm25)] = "pm";
  o.surface_depth_m = 50.0;
  o.scale_height_m = 200.0;
  const BoundaryValues v = RegionalBoundary(path, g, o).at(kT0 + 3);
  const LonLat q = g.to_lonlat(ghost(g, Side::east, 2));
  const double c0 = linear(q.lon, q.lat, 0.0, 3.0);
  CHECK(v(Side::east, Species::ppm25, 2, 0) == Approx(c0).epsilon(1e-12));                         // 25 m <= 50 m
  CHECK(v(Side::east, Species::ppm25, 2, 1) == Approx(c0 * std::exp(-50.0 / 200.0)).epsilon(1e-12));   // 100 m
  CHECK(v(Side::east, Species::ppm25, 2, 2) == Approx(c0 * std::exp(-225.0 / 200.0)).epsilon(1e-12));  // 275 m
  CHECK(surface_profile_factor(1000.0, 1000.0, 1000.0) == 1.0);
  CHECK(surface_profile_factor(2000.0, 1000.0, 1000.0) == Approx(std::exp(-1.0)));
}

TEST_CASE("a projected regional file with a grid_mapping is sampled in its own x/y", "[boundary][regional]") {
  const Grid g = test::beijing_grid();  // the same Lambert projection as the file below
  const test::TempDir dir;
  Layout l;
  l.projected = true;
  for (int i = 0; i < 6; ++i) l.xs.push_back(-6000.0 + 2500.0 * i);
  for (int j = 0; j < 5; ++j) l.ys.push_back(5000.0 - 2500.0 * j);  // decreasing
  const auto field = [](double x, double y, double z, double h) { return 50.0 + 0.002 * x - 0.003 * y + 0.01 * z + 2.0 * h; };
  const std::string path = write_file(dir, "lcc.nc", l, {{"PM25", true}}, field);
  RegionalBoundaryOptions o;
  o.species[index(Species::soa)] = "PM25";
  const BoundaryValues v = RegionalBoundary(path, g, o).at(kT0 + 1);
  CHECK(worst_error(g, v, Species::soa, [&](const LonLat&, XY p, int k) { return field(p.x, p.y, g.z_centre(k), 1.0); }) <
        1e-8);  // x, y through lon/lat and back: round-off of PROJ only
}

TEST_CASE("regional boundary errors name the file, the variable and what was expected", "[boundary][regional]") {
  const Grid g = test::beijing_grid();
  const test::TempDir dir;
  const std::string path = write_file(dir, "r.nc", lonlat_layout(), {{"pm2p5"}, {"o3", false, "kg kg**-1"}});
  RegionalBoundaryOptions o;
  o.pm25 = "pm25_total";
  CHECK_THROWS_WITH(RegionalBoundary(path, g, o), Contains("r.nc") && Contains("pm25_total") &&
                                                      Contains("missing the boundary variable of PM25") &&
                                                      Contains("the file has") && Contains("pm2p5"));
  o.pm25.clear();
  o.species[index(Species::nox)] = "o3";
  CHECK_THROWS_WITH(RegionalBoundary(path, g, o), Contains("o3:units") && Contains("'kg kg**-1'") &&
                                                      Contains("mixing ratio"));
  const std::string none = write_file(dir, "none.nc", lonlat_layout(), {{"dust"}});
  CHECK_THROWS_WITH(RegionalBoundary(none, g), Contains("none.nc") && Contains("no PM2.5 variable found") &&
                                                   Contains("dust"));
  Layout pressure = lonlat_layout();
  pressure.z_units = "hPa";
  const std::string p = write_file(dir, "plev.nc", pressure, {{"pm2p5", true}});
  CHECK_THROWS_WITH(RegionalBoundary(p, g), Contains("height:units") && Contains("'hpa'") && Contains("pressure"));
  Layout small = lonlat_layout();
  small.xs = {116.39, 116.40, 116.41};
  const std::string s = write_file(dir, "small.nc", small, {{"pm2p5"}});
  CHECK_THROWS_WITH(RegionalBoundary(s, g), Contains("small.nc") && Contains("does not cover the west boundary"));
  Layout noleap = lonlat_layout();
  noleap.time_units = "days since 2024-12-11";
  const std::string bad_value = write_file(dir, "neg.nc", noleap, {{"pm2p5", false, "ug m-3", 1.0, -100.0}});
  const RegionalBoundary neg(bad_value, g);
  CHECK(neg.times() == (std::vector<UtcHour>{kT0, kT0 + 72, kT0 + 144}));
  CHECK_THROWS_WITH(neg.at(kT0), Contains("neg.nc") && Contains("pm2p5[time 0") && Contains("non-negative"));
  CHECK_THROWS_WITH(mass_concentration_factor("ppbv", ErrorContext{"f.nc", 0, "no2:units"}), Contains("mixing ratio"));
  CHECK(mass_concentration_factor("µg/m³", {}) == 1.0);
  CHECK(mass_concentration_factor("μg m-3", {}) == 1.0);
  CHECK(mass_concentration_factor("kg/m3", {}) == 1e9);
  CHECK(mass_concentration_factor("g m-3", {}) == 1e6);
}

TEST_CASE("open_boundary_file detects a regional file, a lantian file and a CSV", "[boundary][regional]") {
  const Grid g = test::beijing_grid();
  const test::TempDir dir;
  const std::string path = write_file(dir, "cams.nc", lonlat_layout(), {{"pm2p5", false, "kg m-3", 1e-9}});
  const auto b = open_boundary_file(path, g, kUtc, BoundaryFormat::auto_detect, {});
  CHECK(dynamic_cast<const RegionalBoundary*>(b.get()) != nullptr);
  CHECK_THROWS_WITH(open_boundary_file(path, g, kUtc, BoundaryFormat::lantian, {}),
                    Contains("cams.nc") && Contains("missing coordinate variable"));
  const std::string csv = dir.write("bc.csv", "time,side,species,level,value\n2024-12-11T00:00Z,all,SO4,all,5\n");
  CHECK(dynamic_cast<const TimeSeriesBoundary*>(
            open_boundary_file(csv, g, kUtc, BoundaryFormat::auto_detect, {}).get()) != nullptr);
  BoundaryFileConfig c;
  c.variables = {{"PM25", "pm2p5"}, {"SO4", "so4"}};
  c.composition = {{"NO3", 0.3}};
  c.surface_depth_m = 500.0;
  const RegionalBoundaryOptions o = regional_boundary_options(c);
  CHECK(o.pm25 == "pm2p5");
  CHECK(o.species[index(Species::so4)] == "so4");
  CHECK(o.composition.so4 == 0.0);
  CHECK(o.composition.no3 == 0.3);
  CHECK(o.surface_depth_m == 500.0);
  CHECK(o.scale_height_m == 1000.0);
}
