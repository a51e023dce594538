// MetState layout and MetSeries time interpolation.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/met_state.hpp"

using namespace lantian;
using namespace lantian::meteo;

namespace {

Grid small_grid() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m";
  g.nx = 4;
  g.ny = 3;
  g.dx = g.dy = 1000.0;
  g.layer_tops = {50.0, 150.0};
  return Grid(g);
}

MetState filled(const Grid& grid, UtcHour t, double value, double L) {
  MetState s = MetState::zeros(grid, t);
  for (auto* f : {&s.u, &s.v, &s.w, &s.t, &s.rh, &s.kz}) f->fill(value);
  for (auto* f : {&s.pblh, &s.ustar, &s.shf, &s.precip, &s.u10, &s.v10, &s.t2, &s.rh2}) f->fill(value);
  s.obukhov.fill(L);
  return s;
}

}  // namespace

TEST_CASE("MetState is staggered as documented", "[meteo][met_state]") {
  const Grid grid = small_grid();
  const MetState s = MetState::zeros(grid, 10);
  CHECK(s.u.nx() == 5);
  CHECK(s.u.ny() == 3);
  CHECK(s.u.stagger() == Stagger::x_face);
  CHECK(s.v.ny() == 4);
  CHECK(s.w.nz() == 3);
  CHECK(s.kz.nz() == 3);
  CHECK(s.t.nz() == 2);
  CHECK(s.pblh.nx() == 4);
}

TEST_CASE("MetSeries interpolates linearly in time", "[meteo][met_state]") {
  const Grid grid = small_grid();
  const UtcHour t0 = 394200;  // 2014-12-21T00Z (16425 days * 24)
  MetSeries series({filled(grid, t0, 10.0, 100.0), filled(grid, t0 + 3, 40.0, -100.0)}, "test.nc");
  CHECK(series.coverage().first == t0);
  CHECK(series.coverage().second == t0 + 3);
  // Exact input times come back unchanged.
  CHECK(series.at(t0).u(2, 1, 1) == 10.0);
  // t0 + 1: a = 1/3 -> 10 + 30/3 = 20; 1/L = (2/3)/100 - (1/3)/100 = 1/300 -> L = 300
  const MetState s1 = series.at(t0 + 1);
  CHECK(s1.time == t0 + 1);
  CHECK(s1.u(4, 2, 1) == Approx(20.0).epsilon(1e-14));
  CHECK(s1.kz(0, 0, 2) == Approx(20.0).epsilon(1e-14));
  CHECK(s1.rh2(3, 2) == Approx(20.0).epsilon(1e-14));
  CHECK(s1.obukhov(1, 1) == Approx(300.0).epsilon(1e-12));
  // t0 + 2: a = 2/3 -> 30; 1/L = -1/300 -> L = -300
  const MetState s2 = series.at(t0 + 2);
  CHECK(s2.precip(0, 0) == Approx(30.0).epsilon(1e-14));
  CHECK(s2.obukhov(0, 0) == Approx(-300.0).epsilon(1e-12));
  // Symmetric L through neutral at the midpoint gives 1/L = 0 -> +infinity
  const MetState mid = interpolate(filled(grid, 0, 0.0, 50.0), filled(grid, 2, 0.0, -50.0), 0.5, 1);
  CHECK(std::isinf(mid.obukhov(2, 2)));
}

TEST_CASE("MetSeries errors name the time and the coverage", "[meteo][met_state]") {
  const Grid grid = small_grid();
  const UtcHour t0 = 394200;
  MetSeries series({filled(grid, t0, 1.0, 10.0), filled(grid, t0 + 3, 1.0, 10.0)}, "wrfout_d01");
  try {
    (void)series.at(t0 + 4);
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK(m.find("wrfout_d01") != std::string::npos);
    CHECK(m.find("2014-12-21T04:00:00Z") != std::string::npos);
    CHECK(m.find("2014-12-21T00:00:00Z to 2014-12-21T03:00:00Z") != std::string::npos);
  }
  CHECK_THROWS_WITH(MetSeries({filled(grid, t0, 1.0, 10.0), filled(grid, t0, 1.0, 10.0)}, "x.nc"),
                    Catch::Contains("duplicate time 2014-12-21T00:00:00Z"));
  CHECK_THROWS_AS(MetSeries({}, "x.nc"), Error);
}
