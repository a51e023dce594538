// Regridding WRF output onto a case grid: analytic synthetic file (tests/meteo/wrf_fixture.hpp)
// and the real Tibet file onto a UTM grid.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/point_series.hpp"
#include "meteo/regrid.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::TempDir;

namespace {

Grid case_grid(const std::string& crs, double x0, double y0, int nx, int ny) {
  GridSpec g;
  g.crs = crs;
  g.nx = nx;
  g.ny = ny;
  g.dx = g.dy = 10000.0;
  g.x0 = x0;
  g.y0 = y0;
  g.layer_tops = {50.0, 100.0, 200.0, 300.0};
  return Grid(g);
}

}  // namespace

TEST_CASE("grid north angle against closed forms", "[meteo][regrid]") {
  // Transverse Mercator on a sphere: |tan(gamma)| = tan(lon - lon0) sin(lat) (meridian
  // convergence); east of the central meridian true north leans towards -x, so gamma < 0.
  GridSpec g;
  g.crs = "+proj=tmerc +lat_0=0 +lon_0=87 +k=1 +x_0=0 +y_0=0 +R=6370000 +units=m +no_defs";
  g.nx = g.ny = 1;
  g.dx = g.dy = 1000.0;
  g.layer_tops = {100.0};
  const Grid tm(g);
  const XY p = tm.project(90.0, 35.0);
  const double expected = -std::atan(std::tan(3.0 * std::numbers::pi / 180) * std::sin(35.0 * std::numbers::pi / 180));
  CHECK(grid_north_angle(tm, p.x, p.y) == Approx(expected).margin(1e-6));
  // Lambert conformal (WRF's sphere): gamma = n (lon0 - lon), n the cone factor
  // n = ln(cos 30 / cos 35) / ln(tan 30 / tan 27.5) = ln(1.057222) / ln(1.109079) = 0.055645 / 0.103530
  //   = 0.53747; west of lon0 (85 E) north leans towards +x: gamma = +2 n degrees
  WrfProjection wp;
  wp.map_proj = 1;
  wp.truelat1 = 30;
  wp.truelat2 = 35;
  wp.stand_lon = 87;
  wp.moad_cen_lat = 30;
  g.crs = wp.proj_string();
  const Grid lcc(g);
  const XY q = lcc.project(85.0, 31.0);
  const double n = std::log(std::cos(30 * std::numbers::pi / 180) / std::cos(35 * std::numbers::pi / 180)) /
                   std::log(std::tan(std::numbers::pi / 4 - 15 * std::numbers::pi / 180) /
                            std::tan(std::numbers::pi / 4 - 17.5 * std::numbers::pi / 180));
  CHECK(n == Approx(0.53747).margin(1e-5));
  CHECK(grid_north_angle(lcc, q.x, q.y) == Approx(n * 2.0 * std::numbers::pi / 180).margin(1e-6));
  CHECK(std::asin(wp.rotation(85.0).second) == Approx(n * 2.0 * std::numbers::pi / 180).margin(1e-9));
}

TEST_CASE("regridding the analytic WRF file", "[meteo][regrid]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/wrfout.nc";
  lantian::test::write_wrf_fixture(path, lantian::test::WrfFixture{});
  const WrfDataset ds = read_wrf({path});
  // Case grid in the WRF projection spanning exactly the WRF cell centres x -30..30 km,
  // y -15..15 km at 10 km; layer centres 25, 75, 150, 250 m.
  const Grid grid = case_grid(ds.grid.crs, -30000.0, -15000.0, 6, 3);
  const MetSeries met = regrid_wrf(ds, grid);
  REQUIRE(met.states().size() == 2);
  const MetState& m = met.states()[1];
  // WRF centres: u = fi + 0.5 + 10k, v = 2 fj + 1 (grid axes, identical here up to the numerical
  // convergence angle); x-face i is at fi = i/3, y-face j at fj = j/3. Mass levels 50 and 150 m.
  // Each WRF column is rotated to the earth with its own angle before the bilinear combination,
  // which differs from interpolating grid components by up to |d alpha| |u| = 0.0029 rad (the
  // angle between neighbouring columns, n * 0.31 deg) * ~1 m/s (the spread of u): tolerance 1e-3.
  const double log_factor = std::log(25.0 / 0.1) / std::log(50.0 / 0.1);  // 5.52146/6.21461 = 0.888466
  CHECK(log_factor == Approx(0.888466).margin(1e-6));
  for (int i = 0; i <= 6; ++i) {
    const double fi = i / 3.0;
    CHECK(m.u(i, 1, 0) == Approx((fi + 0.5) * log_factor).margin(1e-3));  // 25 m: log law
    CHECK(m.u(i, 1, 1) == Approx(fi + 3.0).margin(1e-3));                 // 75 m: 1/4 of the way to 150 m
    CHECK(m.u(i, 0, 2) == Approx(fi + 10.5).margin(1e-3));                // 150 m: the second level
    CHECK(m.u(i, 2, 3) == Approx(fi + 10.5).margin(1e-3));                // 250 m: above the top, constant
  }
  for (int j = 0; j <= 3; ++j) {
    CHECK(m.v(2, j, 1) == Approx(2.0 * j / 3.0 + 1.0).margin(1e-3));
    CHECK(m.v(2, j, 0) == Approx((2.0 * j / 3.0 + 1.0) * log_factor).margin(1e-3));
  }
  // T: 286.388 K at both levels; at 25 m linear from T2 = 280 K at 2 m: 280 + 6.388 * 23/48
  const double t1 = 300.0 * std::pow(0.85, 2.0 / 7.0);
  CHECK(m.t(3, 1, 0) == Approx(280.0 + (t1 - 280.0) * 23.0 / 48.0).margin(1e-4));
  CHECK(m.t(3, 1, 2) == Approx(t1).margin(1e-4));
  // w: WRF faces 0.1 k at 0, 100, 200 m -> case faces 0, 50, 100, 200, 300 m: 0, .05, .1, .2, .2
  CHECK(m.w(1, 1, 0) == 0.0);
  CHECK(m.w(1, 1, 1) == Approx(0.05).margin(1e-6));
  CHECK(m.w(1, 1, 3) == Approx(0.2).margin(1e-6));
  CHECK(m.w(1, 1, 4) == Approx(0.2).margin(1e-6));
  // 2-D fields are uniform in the file
  CHECK(m.pblh(5, 2) == Approx(300.0));
  CHECK(m.precip(0, 0) == Approx(1.5));
  CHECK(m.u10(4, 1) == Approx(1.0).margin(1e-4));
  CHECK(m.v10(4, 1) == Approx(2.0).margin(1e-4));
  // L = 60.62 m (see test_point_series); Kz at 100 m: 0.4*0.2*100*(2/3)^2 / (1 + 500/60.62)
  //   = 3.5556 / 9.2481 = 0.38447 m2/s
  CHECK(m.obukhov(0, 0) == Approx(60.62).epsilon(1e-3));
  CHECK(m.kz(0, 0, 2) == Approx(0.38447).epsilon(1e-3));
  CHECK(m.kz(0, 0, 4) == 0.1);  // 300 m = PBLH: the floor

  // The lazily opened dataset (frames read one at a time) regrids to the same values
  const MetSeries lazy = regrid_wrf(open_wrf({path}), grid);
  CHECK(lazy.states()[1].u(3, 1, 1) == m.u(3, 1, 1));
  CHECK(lazy.states()[1].kz(2, 2, 2) == m.kz(2, 2, 2));
  // Time interpolation through MetSeries: 01Z is 2/3 of 00Z plus 1/3 of 03Z (fields equal here)
  CHECK(met.at(ds.frames[0].time + 1).u(3, 1, 1) == Approx(m.u(3, 1, 1)).margin(1e-12));

  // A case grid reaching outside the WRF cell centres: the uncovered corner is named
  CHECK_THROWS_WITH(regrid_wrf(ds, case_grid(ds.grid.crs, -40000.0, -15000.0, 6, 3)),
                    Catch::Contains("south-west corner") && Catch::Contains(path));
  CHECK_THROWS_WITH(regrid_wrf(ds, case_grid(ds.grid.crs, -30000.0, -15000.0, 6, 4)),
                    Catch::Contains("north-east corner"));
}

TEST_CASE("regridding the real Tibet wrfout onto a UTM grid", "[meteo][regrid][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path path =
      std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "wrf_d01_allvars_cropped.nc";
  if (!root || !std::filesystem::exists(path)) std::exit(4);
  const WrfDataset ds = read_wrf({path.string()});
  // UTM 45N (EPSG:32645) around 30 N 87 E: 12 x 8 cells of 10 km.
  GridSpec probe;
  probe.crs = "EPSG:32645";
  probe.nx = probe.ny = 1;
  probe.dx = probe.dy = 1.0;
  probe.layer_tops = {1.0};
  const XY c = Grid(probe).project(87.0, 30.0);
  const Grid grid = case_grid("EPSG:32645", c.x - 60000.0, c.y - 40000.0, 12, 8);
  const MetSeries met = regrid_wrf(ds, grid);
  REQUIRE(met.states().size() == 4);
  // At each cell centre the regridded surface fields agree with the point table taken at the
  // cell's lon/lat through the WRF projection (independent path: lon/lat -> WRF x/y); the 10-m
  // wind's speed and its direction from true north (after undoing the UTM convergence) too.
  double max_dpblh = 0.0, max_dspeed = 0.0, max_ddir = 0.0;
  for (std::size_t t = 0; t < 4; ++t) {
    const MetState& m = met.states()[t];
    for (int j = 0; j < 8; j += 3)
      for (int i = 0; i < 12; i += 3) {
        const LonLat ll = grid.lonlat(i, j);
        const PointRow r = point_series(ds, ll.lat, ll.lon).rows[t];
        max_dpblh = std::max(max_dpblh, std::abs(m.pblh(i, j) - r.pblh));
        const double g = grid_north_angle(grid, grid.x_centre(i), grid.y_centre(j));
        const double ue = m.u10(i, j) * std::cos(g) - m.v10(i, j) * std::sin(g);
        const double ve = m.u10(i, j) * std::sin(g) + m.v10(i, j) * std::cos(g);
        max_dspeed = std::max(max_dspeed, std::abs(std::hypot(ue, ve) - r.wind_speed));
        double dir = std::atan2(-ue, -ve) * 180.0 / std::numbers::pi;
        double dd = std::abs(std::fmod(dir - r.wind_dir + 540.0, 360.0) - 180.0);
        max_ddir = std::max(max_ddir, dd);
      }
  }
  std::printf("[realdata] regrid to UTM 45N: max |PBLH - point| = %.2e m, |speed| %.2e m/s, |dir| %.2e deg\n",
              max_dpblh, max_dspeed, max_ddir);
  CHECK(max_dpblh < 1e-6);
  CHECK(max_dspeed < 1e-6);
  CHECK(max_ddir < 1e-4);
  // Temperatures in the lowest 300 m lie within the range of the WRF values around (T2 and the
  // first two levels), and Kz is at least the floor everywhere.
  const MetState& m0 = met.states()[0];
  for (int k = 0; k < 4; ++k) {
    CHECK(m0.t(5, 4, k) > 250.0);
    CHECK(m0.t(5, 4, k) < 300.0);
  }
  for (std::size_t n = 0; n < m0.kz.size(); ++n) CHECK(m0.kz.data()[n] >= 0.1);
}
