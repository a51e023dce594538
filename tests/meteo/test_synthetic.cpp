// The synthetic winter stagnation episode against its documented closed forms (synthetic.hpp),
// with the reference numbers worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/synthetic.hpp"

using namespace lantian;
using namespace lantian::meteo;

namespace {

Grid demo_grid() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m";
  g.nx = 5;
  g.ny = 4;
  g.dx = g.dy = 1000.0;
  g.layer_tops = {50.0, 100.0, 200.0, 400.0, 800.0, 1500.0};
  return Grid(g);
}

// 2015-12-01T00:00 Beijing time = 2015-11-30T16Z = 16770 * 24 - 8 h
constexpr UtcHour kStart = 16770 * 24 - 8;

}  // namespace

TEST_CASE("synthetic episode: diurnal cycle at 02:00 and 14:00 local", "[meteo][synthetic]") {
  SyntheticEpisode ep;
  ep.start = kStart;
  const SyntheticMet met(demo_grid(), ep);
  CHECK(met.coverage().second == kStart + 71);

  // 14:00 local, day 1: s = 1 -> PBLH 800 m, U10 3 m/s, u* = 0.4 * 3 / ln(10/0.5) = 0.400570,
  // H = 80 W/m2, T2 = 271.15 + 4 = 275.15 K, rho = 101325 / (287 * 275.15) = 1.283114,
  // L = -1.283114*1004*275.15*0.400570^3 / (0.4*9.81*80) = -72.5745 m
  const MetState day = met.at(kStart + 14);
  CHECK(day.pblh(2, 2) == Approx(800.0).epsilon(1e-12));
  CHECK(std::hypot(day.u10(0, 0), day.v10(0, 0)) == Approx(3.0).epsilon(1e-12));
  CHECK(day.ustar(4, 3) == Approx(0.4005698).epsilon(1e-6));
  CHECK(day.shf(1, 1) == Approx(80.0).epsilon(1e-12));
  CHECK(day.t2(0, 0) == Approx(275.15).epsilon(1e-12));
  CHECK(day.obukhov(0, 0) == Approx(-72.5745).epsilon(1e-5));
  // Kz at the 100-m face: zeta = min(100, 0.1*800)/L = -1.10232, phi_h = (1 + 15*1.10232)^-1/2
  // -> 0.4 * 0.400570 * 100 * (1 - 100/800)^2 * sqrt(17.5348) = 51.3693 m2/s
  CHECK(day.kz(0, 0, 2) == Approx(51.3693).epsilon(1e-5));
  // Above the mixing height (1500-m top face) the floor
  CHECK(day.kz(0, 0, 6) == 0.1);
  // Daytime mixed layer: T falls with height (dry adiabatic): T(25 m) = T2 - 0.0098*25
  CHECK(day.t(0, 0, 0) == Approx(275.15 - 0.245).epsilon(1e-12));

  // 02:00 local: s = 0 -> PBLH 150 m, U10 1 m/s, u* = 0.133523, H = -15 W/m2,
  // T2 = 271.15 - 4 = 267.15 K, rho = 1.321538, L = +14.3357 m
  const MetState night = met.at(kStart + 2);
  CHECK(night.pblh(0, 0) == Approx(150.0).epsilon(1e-12));
  CHECK(night.ustar(0, 0) == Approx(0.1335233).epsilon(1e-6));
  CHECK(night.obukhov(0, 0) == Approx(14.3357).epsilon(1e-5));
  // Night surface inversion: T(25 m) = T2 + 4 (1 - exp(-25/150)) = T2 + 4 * (1 - 0.8464817) = T2 + 0.614073 K
  CHECK(night.t(3, 3, 0) - night.t2(3, 3) == Approx(0.614073).epsilon(1e-5));
  // Kz at 50 m: 0.4*0.133523*50*(2/3)^2 / (1 + 5*50/14.3357) = 0.0644 -> floor 0.1
  CHECK(night.kz(0, 0, 1) == 0.1);
  // L and u* are those of the documented formulas: recomputing L from the state's fields agrees
  CHECK(night.obukhov(1, 1) ==
        Approx(monin_obukhov_length(night.ustar(1, 1), night.shf(1, 1), night.t2(1, 1),
                                    air_density(101325.0, night.t2(1, 1)))).epsilon(1e-14));
  // 静稳 at night: weak wind, shallow mixing, inversion
  const auto f = stagnation_flags({std::hypot(night.u10(0, 0), night.v10(0, 0)), night.pblh(0, 0), night.t2(0, 0),
                                   night.t(0, 0, 0), 25.0, night.rh2(0, 0)});
  CHECK(f.weak_wind);
  CHECK(f.shallow_mixing);
  CHECK(f.surface_inversion);
}

TEST_CASE("synthetic episode: veering, humidity build-up, divergence-free winds", "[meteo][synthetic]") {
  SyntheticEpisode ep;
  ep.start = kStart;
  const SyntheticMet met(demo_grid(), ep);
  // Local midnight after one day: wind 1 m/s from 180 + 30 = 210 deg -> u = -sin 210 = 0.5,
  // v = -cos 210 = 0.866025
  const MetState m = met.at(kStart + 24);
  CHECK(m.u10(0, 0) == Approx(0.5).epsilon(1e-12));
  CHECK(m.v10(0, 0) == Approx(0.8660254).epsilon(1e-7));
  // From 14:00 on day 3 to the end RH2 > 85 % (at 14:00: 60 + 35*62/72 - 5 = 85.14 %); at the
  // last hour (23:00): 60 + 35*71/72 - 5 cos(2 pi 9/24) = 60 + 34.514 + 3.536 = 98.05 %
  for (UtcHour t = kStart + 62; t < kStart + 72; ++t) CHECK(met.at(t).rh2(0, 0) > 85.0);
  CHECK(met.at(kStart + 71).rh2(2, 2) == Approx(98.05).margin(0.01));
  // Horizontally uniform winds: every face flux difference (divergence) is zero
  double div = 0.0;
  for (int k = 0; k < m.nz(); ++k)
    for (int j = 0; j < m.ny(); ++j)
      for (int i = 0; i < m.nx(); ++i)
        div = std::max(div, std::abs(m.u(i + 1, j, k) - m.u(i, j, k) + m.v(i, j + 1, k) - m.v(i, j, k)));
  CHECK(div == 0.0);
  CHECK(m.w(2, 2, 3) == 0.0);
  // Wind veers with height inside the mixing layer: direction at the top layer is dir10 + 20
  const double dir_top = std::atan2(-m.u(0, 0, 5), -m.v(0, 0, 5)) * 180.0 / std::numbers::pi + 360.0;
  CHECK(dir_top == Approx(230.0).margin(1e-9));
  // Outside the episode: an error naming the range
  CHECK_THROWS_WITH(met.at(kStart + 72), Catch::Contains("2015-11-30T16:00:00Z to 2015-12-03T15:00:00Z"));
  ep.pblh_night = 900.0;
  CHECK_THROWS_WITH(SyntheticMet(demo_grid(), ep), Catch::Contains("pblh_night"));
}
