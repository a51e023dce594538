// IOAPI (CMAQ emission input) NetCDF: files written here as CMAQ's tools write them (TFLAG,
// VAR-LIST padded to 16 characters, GDTYP = 2 on a China LCC domain); totals against the
// file's sum times the unit conversion and molar masses, cell centres against Snyder's
// spherical Lambert formulas (independent of PROJ), regridding onto the source grid itself as
// the identity, and the named refusals (units UNKNOWN, GDTYP, molar VOC, sub-hourly steps; hourly
// files in test_ioapi_hourly.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "core/temp_dir.hpp"
#include "emissions/gridded_fixture.hpp"
#include "emissions/ioapi_netcdf.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

using test::GriddedVar;
using test::IoapiFile;
using test::write_ioapi;

constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kR = 6370000.0;  // CMAQ / WRF sphere

/// Snyder (1987), "Map Projections — A Working Manual", USGS PP 1395, eqs. 15-1 .. 15-5 and
/// 15-8 .. 15-11: the Lambert conformal conic on a sphere of radius kR with standard parallels
/// phi1, phi2, origin (lon0, lat0).
struct SnyderLcc {
  double phi1, phi2, lon0, lat0;
  double n() const {
    return std::log(std::cos(phi1 * kDeg) / std::cos(phi2 * kDeg)) /
           std::log(std::tan(std::numbers::pi / 4 + phi2 * kDeg / 2) / std::tan(std::numbers::pi / 4 + phi1 * kDeg / 2));
  }
  double big_f() const { return std::cos(phi1 * kDeg) * std::pow(std::tan(std::numbers::pi / 4 + phi1 * kDeg / 2), n()) / n(); }
  double rho(double lat) const { return kR * big_f() / std::pow(std::tan(std::numbers::pi / 4 + lat * kDeg / 2), n()); }
  XY forward(double lon, double lat) const {
    const double theta = n() * (lon - lon0) * kDeg;
    return {rho(lat) * std::sin(theta), rho(lat0) - rho(lat) * std::cos(theta)};
  }
  LonLat inverse(double x, double y) const {
    const double r0 = rho(lat0);
    const double r = std::sqrt(x * x + (r0 - y) * (r0 - y));  // n > 0
    const double theta = std::atan2(x, r0 - y);
    const double lat = 2.0 * std::atan(std::pow(kR * big_f() / r, 1.0 / n())) - std::numbers::pi / 2;
    return {lon0 + theta / n() / kDeg, lat / kDeg};
  }
};

/// A GridSpec on the source grid of `src` (its CRS, cells and faces).
GridSpec source_grid_spec(const GriddedSource& src) {
  GridSpec s;
  s.crs = src.crs;
  s.nx = src.nx;
  s.ny = src.ny;
  s.dx = src.x_faces[1] - src.x_faces[0];
  s.dy = src.y_faces[1] - src.y_faces[0];
  s.x0 = src.x_faces.front();
  s.y0 = src.y_faces.front();
  s.layer_tops = {50.0};
  return s;
}

/// The message of the Error read_ioapi_netcdf throws.
std::string error_of(const std::string& path, const IoapiOptions& opt = {}) {
  try {
    (void)read_ioapi_netcdf(path, opt);
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no error for " << path);
  return {};
}

double sum(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s;
}

/// 9 values k/4 (exact in float, so the file holds them exactly), offset by `base`.
std::vector<double> quarters(double base, std::size_t n = 9) {
  std::vector<double> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = base + 0.25 * static_cast<double>(k);
  return v;
}

/// The 3 x 3 China LCC domain of 12 km cells (P_ALP 25, P_BET 40, P_GAM = XCENT = 110,
/// YCENT 34) with the projected origin at the centre of cell (1, 1).
IoapiFile china_3x3(std::vector<GriddedVar> vars) {
  IoapiFile f;
  f.xorig = f.yorig = -18000.0;
  f.vars = std::move(vars);
  return f;
}

IoapiOptions industry() {
  IoapiOptions o;
  o.sector = Sector::industry;
  return o;
}

}  // namespace

TEST_CASE("IOAPI rate units: mass as the CF reader's, molar with mol/mole/moles", "[emissions][netcdf][ioapi]") {
  const auto check = [](const char* text, double factor, bool molar, bool per_area) {
    INFO(text);
    const auto u = parse_ioapi_unit(text);
    REQUIRE(u.has_value());
    CHECK(u->molar == molar);
    CHECK(u->unit.per_area == per_area);
    CHECK(u->unit.to_grams_per_second == Approx(factor).epsilon(1e-15));
  };
  check("moles/s         ", 1.0, true, false);  // IOAPI's 16-character padding
  check("mol/s", 1.0, true, false);
  check("mole/hr", 1.0 / 3600.0, true, false);
  check("mol m-2 s-1", 1.0, true, true);
  check("g/s             ", 1.0, false, false);
  check("t/yr", 1.0e6 / 31536000.0, false, false);
  for (const char* bad : {"UNKNOWN", "", "                ", "ppm", "molecules/s", "moles"}) {
    INFO(bad);
    CHECK_FALSE(parse_ioapi_unit(bad).has_value());
  }
  CHECK(default_molar_mass(EmittedPollutant::so2) == 64.066);
  CHECK(default_molar_mass(EmittedPollutant::nox) == 46.0055);
  CHECK(default_molar_mass(EmittedPollutant::nh3) == 17.031);
  CHECK_FALSE(default_molar_mass(EmittedPollutant::vocs).has_value());
  CHECK_FALSE(default_molar_mass(EmittedPollutant::pm25).has_value());
}

TEST_CASE("an IOAPI CMAQ file on a China LCC grid: totals with molar masses, centres, identity regrid",
          "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "emis_mole_all_2020.nc").string();
  const std::vector<double> so2 = quarters(1.0), no = quarters(2.0), no2 = quarters(0.5), nh3 = quarters(0.25);
  const std::vector<double> pm25 = quarters(10.0), pm10 = quarters(20.0), voc = quarters(3.0);
  write_ioapi(path, china_3x3({{"SO2", "moles/s", so2},
                               {"NO", "moles/s", no},
                               {"NO2", "moles/s", no2},
                               {"NH3", "moles/s", nh3},
                               {"PM25", "g/s", pm25},
                               {"PM10", "g/s", pm10},
                               {"VOC", "g/s", voc}}));

  const GriddedSource src = read_ioapi_netcdf(path, industry());
  CHECK(src.sector == Sector::industry);
  CHECK_FALSE(src.geographic);
  CHECK(src.crs == "+proj=lcc +lat_1=25 +lat_2=40 +lat_0=34 +lon_0=110 +R=6370000 +units=m +no_defs");
  REQUIRE(src.nx == 3);
  REQUIRE(src.ny == 3);
  CHECK(src.x_faces == std::vector<double>{-18000.0, -6000.0, 6000.0, 18000.0});
  CHECK(src.y_faces == std::vector<double>{-18000.0, -6000.0, 6000.0, 18000.0});
  REQUIRE(src.times() == 1);
  CHECK(src.warnings.empty());

  // moles/s x g/mol = g/s: SO2 64.066, NO + NO2 as NO2 46.0055, NH3 17.031 g/mol.
  const Rates total = src.total();
  CHECK(total[index(EmittedPollutant::so2)] == Approx(sum(so2) * 64.066).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::nox)] == Approx((sum(no) + sum(no2)) * 46.0055).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::nh3)] == Approx(sum(nh3) * 17.031).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::pm25)] == Approx(sum(pm25)).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::pm10)] == Approx(sum(pm10)).epsilon(1e-12));
  CHECK(total[index(EmittedPollutant::vocs)] == Approx(sum(voc)).epsilon(1e-12));
  CHECK(sum(so2) == 18.0);  // 9 x 1 + 0.25 x 36
  // Cell (col 2, row 1) is file index 1 * 3 + 2 = 5: SO2 2.25 moles/s = 144.1485 g/s.
  CHECK(src.rate[0][index(EmittedPollutant::so2)][5] == Approx(144.1485).epsilon(1e-12));

  // Cell centres: the projected origin, centre of cell (1, 1), is (P_GAM, YCENT) = (110 E, 34 N);
  // the others against Snyder's spherical formulas.
  const Grid source_grid(source_grid_spec(src));
  CHECK(source_grid.lonlat(1, 1).lon == Approx(110.0).margin(1e-9));
  CHECK(source_grid.lonlat(1, 1).lat == Approx(34.0).margin(1e-9));
  const SnyderLcc snyder{25.0, 40.0, 110.0, 34.0};
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 3; ++i) {
      const LonLat ref = snyder.inverse(source_grid.x_centre(i), source_grid.y_centre(j));
      INFO("cell " << i << ", " << j);
      CHECK(source_grid.lonlat(i, j).lon == Approx(ref.lon).margin(1e-8));
      CHECK(source_grid.lonlat(i, j).lat == Approx(ref.lat).margin(1e-8));
    }

  // Regridded onto a case grid equal to the source grid: the identity per cell.
  const GriddedEmissions on = regrid_gridded(src, source_grid);
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 3; ++i) {
        const double want = src.rate[0][p][static_cast<std::size_t>(i + 3 * j)];
        CHECK(on.rate[0][p](i, j) == Approx(want).epsilon(1e-9));
      }
    CHECK(on.outside[0][p] == Approx(0.0).margin(1e-9 * total[p]));
  }
}

TEST_CASE("an IOAPI file of 3 km cells near Beijing: centres as Snyder's Lambert", "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "beijing.nc").string();
  // Tiananmen (116.391 E, 39.907 N) in the centre of a 5 x 4 domain of 3 km cells.
  const SnyderLcc snyder{25.0, 40.0, 110.0, 34.0};
  const XY bj = snyder.forward(116.391, 39.907);
  IoapiFile f;
  f.xcell = f.ycell = 3000.0;
  f.ncols = 5;
  f.nrows = 4;
  f.xorig = 3000.0 * std::round(bj.x / 3000.0) - 7500.0;
  f.yorig = 3000.0 * std::round(bj.y / 3000.0) - 6000.0;
  f.vars = {{"SO2", "g/s", quarters(1.0, 20)}};
  write_ioapi(path, f);
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "", "", "", ""};
  const GriddedSource src = read_ioapi_netcdf(path, opt);
  CHECK(src.total()[index(EmittedPollutant::so2)] == Approx(sum(quarters(1.0, 20))).epsilon(1e-12));
  const Grid g(source_grid_spec(src));
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 5; ++i) {
      const LonLat ref = snyder.inverse(g.x_centre(i), g.y_centre(j));
      CHECK(g.lonlat(i, j).lon == Approx(ref.lon).margin(1e-8));
      CHECK(g.lonlat(i, j).lat == Approx(ref.lat).margin(1e-8));
    }
  // Tiananmen lies in the middle column, within 1.5 km of the grid's centre line.
  CHECK(g.lonlat(2, 2).lon == Approx(116.391).margin(0.02));
  CHECK(g.lonlat(2, 2).lat == Approx(39.907).margin(0.03));
}

TEST_CASE("IOAPI units UNKNOWN or blank need the case's units", "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "meic_unknown.nc").string();
  write_ioapi(path, china_3x3({{"SO2", "UNKNOWN", quarters(1.0)}, {"PM25", "", quarters(2.0)}}));
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "PM25", "", "", ""};
  const std::string e = error_of(path, opt);
  CHECK_THAT(e, Catch::Contains("meic_unknown.nc: SO2:units") && Catch::Contains("units attribute \"UNKNOWN\"") &&
                    Catch::Contains("give the units in the case"));

  opt.units = "g/s";
  const GriddedSource src = read_ioapi_netcdf(path, opt);
  CHECK(src.total()[index(EmittedPollutant::so2)] == Approx(sum(quarters(1.0))).epsilon(1e-12));
  CHECK(src.total()[index(EmittedPollutant::pm25)] == Approx(sum(quarters(2.0))).epsilon(1e-12));

  SECTION("t/yr from the case") {
    opt.units = "t/yr";
    const GriddedSource t = read_ioapi_netcdf(path, opt);
    CHECK(t.total()[index(EmittedPollutant::so2)] == Approx(18.0 * 1.0e6 / 31536000.0).epsilon(1e-12));
  }
  SECTION("a stated attribute wins over the case's units, which fill the gaps") {
    const std::string mixed = (dir.path() / "mixed.nc").string();
    write_ioapi(mixed, china_3x3({{"SO2", "moles/s", quarters(1.0)}, {"VOC", "UNKNOWN", quarters(2.0)}}));
    IoapiOptions o = industry();
    o.variables = {"SO2", "", "", "", "VOC", ""};
    o.units = "g/s";
    const GriddedSource m = read_ioapi_netcdf(mixed, o);
    CHECK(m.total()[index(EmittedPollutant::so2)] == Approx(18.0 * 64.066).epsilon(1e-12));
    CHECK(m.total()[index(EmittedPollutant::vocs)] == Approx(sum(quarters(2.0))).epsilon(1e-12));
    o.units = "ppm";
    CHECK_THAT(error_of(mixed, o), Catch::Contains("mixed.nc: units: unknown units \"ppm\" given for the file"));
  }
}

TEST_CASE("IOAPI grid types other than lat-lon, LCC, polar stereographic, Mercator are refused by name",
          "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "emis.nc").string();
  IoapiFile f = china_3x3({{"SO2", "g/s", quarters(1.0)}});
  f.gdtyp = 5;
  write_ioapi(path, f);
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "", "", "", ""};
  CHECK_THAT(error_of(path, opt),
             Catch::Contains("emis.nc: GDTYP: global attribute GDTYP = 5 (UTMGRD3, UTM): expected 1 (lat-lon), "
                             "2 (Lambert conformal), 6 (polar stereographic) or 7 (equatorial Mercator)"));
  f.gdtyp = 9;
  write_ioapi(path, f);
  CHECK_THAT(error_of(path, opt), Catch::Contains("GDTYP = 9 (ALBGRD3, Albers equal-area conic)"));
  f.gdtyp = 42;
  write_ioapi(path, f);
  CHECK_THAT(error_of(path, opt), Catch::Contains("GDTYP = 42 (not an IOAPI grid type)"));
}

TEST_CASE("IOAPI projected origins at (XCENT, YCENT): LCC off P_GAM, polar stereographic, Mercator",
          "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "emis.nc").string();
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "", "", "", ""};
  struct Case {
    int gdtyp;
    double alp, bet, gam, xcent, ycent;
  };
  for (const Case c : {Case{2, 25.0, 40.0, 110.0, 116.0, 34.0}, Case{6, 1.0, 60.0, 110.0, 116.0, 40.0},
                       Case{7, 0.0, 0.0, 110.0, 116.0, 5.0}}) {
    INFO("GDTYP " << c.gdtyp);
    IoapiFile f = china_3x3({{"SO2", "g/s", quarters(1.0)}});
    f.gdtyp = c.gdtyp;
    f.p_alp = c.alp;
    f.p_bet = c.bet;
    f.p_gam = c.gam;
    f.xcent = c.xcent;
    f.ycent = c.ycent;
    write_ioapi(path, f);
    const GriddedSource src = read_ioapi_netcdf(path, opt);
    const Grid g(source_grid_spec(src));
    CHECK(g.lonlat(1, 1).lon == Approx(c.xcent).margin(1e-8));
    CHECK(g.lonlat(1, 1).lat == Approx(c.ycent).margin(1e-8));
  }
  IoapiFile bad = china_3x3({{"SO2", "g/s", quarters(1.0)}});
  bad.gdtyp = 6;
  bad.p_alp = 60.0;
  write_ioapi(path, bad);
  CHECK_THAT(error_of(path, opt), Catch::Contains("P_ALP = 60: expected 1 (north polar) or -1 (south polar)"));
}

TEST_CASE("IOAPI lat-lon grid: cells in degrees, units per cell", "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "latlon.nc").string();
  IoapiFile f = china_3x3({{"NH3", "mol/s", quarters(1.0)}});
  f.gdtyp = 1;
  f.p_alp = f.p_bet = f.p_gam = f.xcent = f.ycent = 0.0;
  f.xorig = 118.5;
  f.yorig = 31.75;
  f.xcell = f.ycell = 0.25;
  write_ioapi(path, f);
  IoapiOptions opt = industry();
  opt.variables = {"", "", "", "", "", "NH3"};
  const GriddedSource src = read_ioapi_netcdf(path, opt);
  CHECK(src.geographic);
  CHECK(src.crs.empty());
  CHECK(src.x_faces == std::vector<double>{118.5, 118.75, 119.0, 119.25});
  CHECK(src.y_faces == std::vector<double>{31.75, 32.0, 32.25, 32.5});
  CHECK(src.total()[index(EmittedPollutant::nh3)] == Approx(18.0 * 17.031).epsilon(1e-12));
}

TEST_CASE("IOAPI molar units for a VOC lump or PM are refused unless the case gives a molar mass",
          "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "voc.nc").string();
  write_ioapi(path, china_3x3({{"VOC", "moles/s", quarters(1.0)}, {"PM25", "moles/s", quarters(1.0)}}));
  IoapiOptions opt = industry();
  opt.variables = {"", "", "", "", "VOC", ""};
  CHECK_THAT(error_of(path, opt), Catch::Contains("voc.nc: VOC:units: molar units \"moles/s\" for VOC") &&
                                      Catch::Contains("a VOC lump has no single molar mass") &&
                                      Catch::Contains("molar_mass = {voc = ...}"));
  opt.molar_mass[index(EmittedPollutant::vocs)] = 58.1;
  CHECK(read_ioapi_netcdf(path, opt).total()[index(EmittedPollutant::vocs)] == Approx(18.0 * 58.1).epsilon(1e-12));
  opt.variables = {"", "", "PM25", "", "", ""};
  CHECK_THAT(error_of(path, opt), Catch::Contains("particulate matter has no molar mass"));
}

TEST_CASE("IOAPI time steps: 12 monthly steps by TFLAG, sub-hourly steps refused", "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "time.nc").string();
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "", "", "", ""};

  SECTION("monthly") {
    IoapiFile f = china_3x3({{"SO2", "g/s", quarters(1.0, 12 * 9)}});
    f.nsteps = 12;
    f.tstep = 7300000;  // 730 hours
    // The 15th of each month of 2020 (a leap year), YYYYDDD.
    const std::vector<int> days{15, 46, 75, 106, 136, 167, 197, 228, 259, 289, 320, 350};
    for (int d : days) f.step_dates.push_back(2020000 + d);
    write_ioapi(path, f);
    const GriddedSource src = read_ioapi_netcdf(path, opt);
    REQUIRE(src.times() == 12);
    // Month m holds the file's step m: 9 values from 1 + 2.25 m in steps of 0.25.
    for (int m = 0; m < 12; ++m) CHECK(src.total(m)[0] == Approx(9.0 * (1.0 + 2.25 * m) + 9.0).epsilon(1e-12));

    f.step_dates[5] = 2020200;  // July twice
    write_ioapi(path, f);
    CHECK_THAT(error_of(path, opt), Catch::Contains("time.nc: TSTEP: expected 1 time step (a mean) or 12 monthly steps"));
  }
  SECTION("steps shorter than an hour") {
    IoapiFile f = china_3x3({{"SO2", "moles/s", quarters(1.0, 25 * 9)}});
    f.nsteps = 25;
    f.tstep = 3000;  // 00:30:00
    f.sdate = 2020015;
    write_ioapi(path, f);
    CHECK_THAT(error_of(path, opt), Catch::Contains("time.nc: TSTEP: expected 1 time step (a mean) or 12 monthly steps") &&
                                        Catch::Contains("steps of 1 to 24 whole hours") &&
                                        Catch::Contains("found 25 steps of TSTEP = 003000 (HHMMSS)"));
  }
}

TEST_CASE("IOAPI layers are summed into one column with a warning", "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "3d.nc").string();
  IoapiFile f = china_3x3({{"SO2", "g/s", quarters(1.0, 3 * 9)}});
  f.nlays = 3;
  write_ioapi(path, f);
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "", "", "", "", ""};
  const GriddedSource src = read_ioapi_netcdf(path, opt);
  const double all = sum(quarters(1.0, 27)), layer1 = sum(quarters(1.0, 9));
  CHECK(src.total()[0] == Approx(all).epsilon(1e-12));
  // Cell 0: 1 + 3.25 + 5.5.
  CHECK(src.rate[0][0][0] == Approx(9.75).epsilon(1e-15));
  REQUIRE(src.warnings.size() == 1);
  // Above layer 1: (114.75 - 18) / 114.75 = 84.3 %.
  CHECK(all == 114.75);
  CHECK(layer1 == 18.0);
  CHECK_THAT(src.warnings[0], Catch::Contains("3d.nc: 3 layers summed into one column") &&
                                  Catch::Contains("above layer 1: SO2 84.3%"));
  // The warning survives the regridding.
  const GriddedEmissions on = regrid_gridded(src, Grid(source_grid_spec(src)));
  CHECK(on.warnings == src.warnings);
}

TEST_CASE("IOAPI errors name the variable: missing (with VAR-LIST), sums, sector, negative values",
          "[emissions][netcdf][ioapi]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "emis.nc").string();
  write_ioapi(path, china_3x3({{"SO2", "moles/s", quarters(1.0)}, {"NO", "moles/s", quarters(1.0)}}));
  IoapiOptions opt = industry();
  opt.variables = {"SO2", "NO + NO2", "", "", "", ""};
  CHECK_THAT(error_of(path, opt), Catch::Contains("emis.nc: NO2: missing variable for NOx (the file has: SO2, NO;"));
  opt.variables = {"SO2", "NO +", "", "", "", ""};
  CHECK_THAT(error_of(path, opt), Catch::Contains("expected variable names joined by '+' for NOx"));
  opt.variables = {"SO2", "NO", "", "", "", ""};
  CHECK(read_ioapi_netcdf(path, opt).total()[1] == Approx(18.0 * 46.0055).epsilon(1e-12));
  opt.sector.reset();
  CHECK_THAT(error_of(path, opt), Catch::Contains("emis.nc: sector: no sector: IOAPI files do not say it"));

  std::vector<double> bad = quarters(1.0);
  bad[4] = -1.0;
  write_ioapi(path, china_3x3({{"SO2", "g/s", bad}}));
  IoapiOptions o = industry();
  o.variables = {"SO2", "", "", "", "", ""};
  CHECK_THAT(error_of(path, o), Catch::Contains("emis.nc: SO2[0, 0, 1, 1]: expected a non-negative rate, found -1 g/s"));
}
