// Grid geometry and PROJ transformations (core/grid.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "tests/core/error_message.hpp"

using namespace lantian;
using lantian::test::message_of;

namespace {

const std::string kLcc = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +x_0=0 +y_0=0 +datum=WGS84 +units=m";

GridSpec lcc_spec() {
  GridSpec s;
  s.crs = kLcc;
  s.nx = 4;
  s.ny = 3;
  s.dx = 3000.0;
  s.dy = 2000.0;
  s.x0 = -6000.0;
  s.y0 = -3000.0;
  s.layer_tops = {50.0, 150.0, 300.0};
  return s;
}

/// Meridian arc length on WGS 84 from the equator to latitude phi (radians), integrating
/// M = ∫ a (1 - e²) / (1 - e² sin² t)^(3/2) dt (Snyder 1987 eq. 3-21) with Simpson's rule on
/// 2,000 intervals (error ~ h^4 * max|f''''| ≪ 1e-6 m). Independent of PROJ.
double meridian_arc(double phi) {
  const double a = 6378137.0;
  const double f = 1.0 / 298.257223563;
  const double e2 = f * (2.0 - f);
  auto m = [&](double t) {
    const double s = std::sin(t);
    return a * (1.0 - e2) / std::pow(1.0 - e2 * s * s, 1.5);
  };
  const int n = 2000;
  const double h = phi / n;
  double sum = m(0.0) + m(phi);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4.0 : 2.0) * m(i * h);
  return sum * h / 3.0;
}

constexpr double kDeg = 3.14159265358979323846 / 180.0;

}  // namespace

TEST_CASE("Lambert conformal conic: origin and round trip", "[grid][proj]") {
  const Grid g(lcc_spec());
  CHECK_FALSE(g.is_geographic());
  // (x, y) = (0, 0) is (lon_0, lat_0) = (116.4, 38) by the definition of x_0 = y_0 = 0.
  const LonLat o = g.to_lonlat({0.0, 0.0});
  CHECK(o.lon == Approx(116.4).margin(1e-9));
  CHECK(o.lat == Approx(38.0).margin(1e-9));
  const XY back = g.project(116.4, 38.0);
  CHECK(std::abs(back.x) < 1e-6);
  CHECK(std::abs(back.y) < 1e-6);
  // Round trip x/y -> lon/lat -> x/y over a 200 km square: PROJ's inverse LCC iterates to
  // ~1e-10 rad in latitude (~1 mm would be 1.6e-10 rad), so 1e-6 m is well resolved.
  for (double x : {-100000.0, -12345.6, 0.0, 55555.5, 100000.0})
    for (double y : {-100000.0, 7777.7, 100000.0}) {
      const LonLat ll = g.to_lonlat({x, y});
      const XY p = g.project(ll.lon, ll.lat);
      CHECK(p.x == Approx(x).margin(1e-6));
      CHECK(p.y == Approx(y).margin(1e-6));
    }
  // Cell centres are precomputed with the same transformation.
  const LonLat c = g.lonlat(2, 1);
  const LonLat d = g.to_lonlat({g.x_centre(2), g.y_centre(1)});
  CHECK(c.lon == d.lon);
  CHECK(c.lat == d.lat);
  // Cell (2, 1) centre is (-6000 + 2.5 * 3000, -3000 + 1.5 * 2000) = (1500, 0): east of lon_0.
  CHECK(c.lon > 116.4);
}

TEST_CASE("Lambert conformal conic matches Snyder's worked example", "[grid][proj]") {
  // Snyder (1987), Map Projections — A Working Manual, p. 296: Clarke 1866, phi1 = 33°,
  // phi2 = 45°, phi0 = 23°, lambda0 = 96°W; phi = 35°N, lambda = 75°W ->
  // x = 1,894,410.9 m, y = 1,564,649.5 m (published to 0.1 m, hence the 0.06 m margin).
  GridSpec s = lcc_spec();
  s.crs = "+proj=lcc +lat_1=33 +lat_2=45 +lat_0=23 +lon_0=-96 +x_0=0 +y_0=0 +ellps=clrk66 +units=m";
  const Grid g(s);
  const XY p = g.project(-75.0, 35.0);
  CHECK(p.x == Approx(1894410.9).margin(0.06));
  CHECK(p.y == Approx(1564649.5).margin(0.06));
}

TEST_CASE("UTM zone 50N (EPSG:32650)", "[grid][proj]") {
  GridSpec s = lcc_spec();
  s.crs = "EPSG:32650";
  const Grid g(s);
  // Zone 50 spans 114..120°E; its central meridian 117°E has easting 500,000 m (false
  // easting) and the equator has northing 0 (no false northing in the north).
  const XY eq = g.project(117.0, 0.0);
  CHECK(eq.x == Approx(500000.0).margin(1e-6));
  CHECK(std::abs(eq.y) < 1e-6);
  // On the central meridian the northing is k0 * meridian arc, k0 = 0.9996 (UTM definition).
  const XY p = g.project(117.0, 40.0);
  CHECK(p.x == Approx(500000.0).margin(1e-6));
  CHECK(p.y == Approx(0.9996 * meridian_arc(40.0 * kDeg)).margin(1e-4));
  // East of the central meridian the easting grows; symmetric about 117°E.
  const XY e = g.project(118.0, 40.0);
  const XY w = g.project(116.0, 40.0);
  CHECK(e.x - 500000.0 == Approx(500000.0 - w.x).margin(1e-6));
  CHECK(e.y == Approx(w.y).margin(1e-6));
}

TEST_CASE("geographic EPSG:4326 grid: x is longitude, y latitude", "[grid][proj]") {
  GridSpec s;
  s.crs = "EPSG:4326";
  s.nx = 10;
  s.ny = 8;
  s.dx = 0.1;
  s.dy = 0.1;
  s.x0 = 115.5;
  s.y0 = 39.0;
  s.layer_tops = {100.0};
  const Grid g(s);
  CHECK(g.is_geographic());
  // Centre of cell (3, 2): 115.5 + 3.5 * 0.1 = 115.85, 39.0 + 2.5 * 0.1 = 39.25.
  CHECK(g.lonlat(3, 2).lon == Approx(115.85).margin(1e-12));
  CHECK(g.lonlat(3, 2).lat == Approx(39.25).margin(1e-12));
  const XY p = g.project(116.4, 39.9);
  CHECK(p.x == Approx(116.4).margin(1e-12));
  CHECK(p.y == Approx(39.9).margin(1e-12));
}

TEST_CASE("faces, centres, cell_of and layers", "[grid]") {
  const Grid g(lcc_spec());  // x0 = -6000, dx = 3000, nx = 4; y0 = -3000, dy = 2000, ny = 3
  CHECK(g.x_face(0) == -6000.0);
  CHECK(g.x_face(4) == 6000.0);        // -6000 + 4 * 3000
  CHECK(g.x_centre(1) == -1500.0);     // -6000 + 1.5 * 3000
  CHECK(g.y_face(3) == 3000.0);        // -3000 + 3 * 2000
  CHECK(g.y_centre(2) == 2000.0);      // -3000 + 2.5 * 2000
  CHECK(g.cell_area() == 6.0e6);       // 3000 m * 2000 m
  REQUIRE(g.cell_of(-1500.0, 2000.0).has_value());
  CHECK(g.cell_of(-1500.0, 2000.0)->i == 1);
  CHECK(g.cell_of(-1500.0, 2000.0)->j == 2);
  CHECK(g.cell_of(-6000.0, -3000.0)->i == 0);   // the lower-left corner belongs to cell (0, 0)
  CHECK(g.cell_of(0.0, -1000.0)->i == 2);       // a face belongs to the cell east of it
  CHECK(g.cell_of(0.0, -1000.0)->j == 1);
  CHECK_FALSE(g.cell_of(6000.0, 0.0).has_value());   // east edge is outside
  CHECK_FALSE(g.cell_of(-6000.1, 0.0).has_value());
  CHECK_FALSE(g.cell_of(0.0, 3000.0).has_value());
  CHECK_FALSE(g.cell_of(std::nan(""), 0.0).has_value());
  // Layers: tops 50, 150, 300 m.
  CHECK(g.nz() == 3);
  CHECK(g.z_bottom(0) == 0.0);
  CHECK(g.z_centre(0) == 25.0);
  CHECK(g.z_centre(1) == 100.0);       // (50 + 150) / 2
  CHECK(g.thickness(2) == 150.0);      // 300 - 150
  CHECK(g.layer_of(0.0) == 0);
  CHECK(g.layer_of(150.0) == 1);
  CHECK(g.layer_of(150.5) == 2);
  CHECK(g.layer_of(300.5) == -1);
  CHECK(g.layer_of(-1.0) == -1);
}

TEST_CASE("copies and moves keep a working transformation, also across threads", "[grid][proj]") {
  const Grid a(lcc_spec());
  Grid b = a;
  Grid c = std::move(b);
  const LonLat o = c.to_lonlat({0.0, 0.0});
  CHECK(o.lon == Approx(116.4).margin(1e-9));
  // Concurrent use of one grid from two threads gives the single-thread answers.
  const LonLat ref = a.to_lonlat({50000.0, 50000.0});
  std::vector<LonLat> got(2000);
  auto work = [&](std::size_t from, std::size_t to) {
    for (std::size_t n = from; n < to; ++n) got[n] = a.to_lonlat({50000.0, 50000.0});
  };
  std::thread t1(work, 0, 1000), t2(work, 1000, 2000);
  t1.join();
  t2.join();
  for (const LonLat& g : got) {
    REQUIRE(g.lon == ref.lon);
    REQUIRE(g.lat == ref.lat);
  }
}

TEST_CASE("bad CRS strings and grid numbers throw lantian::Error", "[grid][proj]") {
  GridSpec s = lcc_spec();
  s.crs = "+proj=nonsense +lat_0=1";
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("CRS '+proj=nonsense +lat_0=1'"));
  s.crs = "EPSG:999999";
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("EPSG:999999"));
  s.crs = "EPSG:4978";  // geocentric
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("expected a projected CRS"));
  s.crs = "+proj=utm +zone=50 +datum=WGS84 +units=km";
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("expected axes in metres"));
  s.crs = "";
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("found an empty string"));
  CHECK_THROWS_AS(check_crs("not a crs at all"), Error);
  CHECK_NOTHROW(check_crs("EPSG:32650"));

  s = lcc_spec();
  s.dx = 0.0;
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("grid.dx: expected a positive cell width, found 0"));
  s = lcc_spec();
  s.layer_tops = {50.0, 40.0};
  CHECK_THAT(message_of([&] { Grid g(s); }),
             Catch::Contains("grid.layer_tops[1]: expected layer tops strictly increasing, found 40 after 50"));
  s = lcc_spec();
  s.nx = 0;
  CHECK_THAT(message_of([&] { Grid g(s); }), Catch::Contains("grid.nx"));
}
