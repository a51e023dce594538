// Hourly stack injection: layer shares against hand-computed overlaps (summing to exactly 1),
// the plume top and bottom against the Briggs formulas of ISC3 (EPA-454/B-95-003b eq. 1-7 for
// Fb >= 55) worked by hand, the mixed-layer cap, the stable/neutral minimum, and the mass per
// stack = rate x temporal factor.
#include <catch2/catch.hpp>

#include <cmath>

#include "emissions/stack_injection.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

const std::vector<double> kTops{20, 50, 100, 150, 200, 300, 400, 500, 650, 800, 1000};

double sum(const std::vector<LayerShare>& s) {
  double t = 0.0;
  for (const LayerShare& l : s) t += l.fraction;
  return t;
}

Stack power_stack() {
  Stack s;
  s.id = "P1";
  s.height = 150.0;
  s.diameter = 5.0;
  s.exit_velocity = 20.0;
  s.exit_temperature = 400.0;
  return s;
}

}  // namespace

TEST_CASE("layer shares are the height overlaps and sum to exactly 1", "[emissions][plume]") {
  const auto s = layer_shares(30.0, 130.0, kTops);
  REQUIRE(s.size() == 3);
  CHECK(s[0].k == 1);
  CHECK(s[0].fraction == Approx(0.2).epsilon(1e-15));  // 20 m of 100 in [20, 50]
  CHECK(s[1].fraction == Approx(0.5).epsilon(1e-15));  // [50, 100]
  CHECK(s[2].fraction == Approx(0.3).epsilon(1e-15));  // [100, 130]
  CHECK(sum(s) == 1.0);
  // Many awkward intervals: always exactly 1.
  for (int n = 0; n < 2000; ++n) {
    const double b = 0.37 * n, t = b + 1.0 + 0.913 * ((n * 7919) % 1200);
    const auto sh = layer_shares(b, t, kTops);
    INFO(b << " " << t);
    CHECK(sum(sh) == 1.0);
  }
  // Zero depth: one layer; above the top: the top layer.
  CHECK(layer_shares(75.0, 75.0, kTops).front().k == 2);
  CHECK(layer_shares(5000.0, 6000.0, kTops).front().k == 10);
}

TEST_CASE("plume top and bottom follow Briggs's rise, the mixed layer caps it", "[emissions][plume]") {
  // Neutral (dθ/dz = 0), u = 5 m/s, Ta = 280 K: no downwash (v = 20 >= 1.5 u).
  // Fb = g v d^2 (Ts - Ta) / (4 Ts) = 9.80665 * 20 * 25 * 120 / 1600 = 367.749375 m^4/s^3 (>= 55),
  // Δh = 38.71 Fb^0.6 / u = 38.71 * 34.6199 / 5 = 268.03 m (ISC3 eq. 1-7).
  const double fb = 9.80665 * 20.0 * 25.0 * 120.0 / 1600.0;
  const double dh = 38.71 * std::pow(fb, 0.6) / 5.0;
  CHECK(dh == Approx(268.03).epsilon(1e-4));
  StackAmbient a{5.0, 280.0, 0.0, 2000.0};
  const PlumeInjection p = inject_plume(power_stack(), a, kTops);
  CHECK(p.rise.final_rise == Approx(dh).epsilon(1e-12));
  CHECK(p.rise.effective_height == Approx(150.0 + dh).epsilon(1e-12));
  CHECK(p.bottom == Approx(150.0 + 0.5 * dh).epsilon(1e-12));
  CHECK(p.top == Approx(150.0 + 1.5 * dh).epsilon(1e-12));
  CHECK(sum(p.layers) == 1.0);
  // Layer [400, 500] holds 100 m of the Δh-deep plume.
  for (const LayerShare& l : p.layers)
    if (l.k == 7) CHECK(l.fraction == Approx(100.0 / dh).epsilon(1e-12));

  SECTION("released inside a 400 m mixed layer: top at the lid") {
    a.mixing_height = 400.0;
    const PlumeInjection c = inject_plume(power_stack(), a, kTops);
    CHECK(c.top == 400.0);
    CHECK(c.bottom == Approx(150.0 + 0.5 * dh).epsilon(1e-12));
    CHECK(c.layers.back().k == 6);
    CHECK(sum(c.layers) == 1.0);
  }
  SECTION("released above a 100 m night mixing layer: not capped") {
    a.mixing_height = 100.0;
    CHECK(inject_plume(power_stack(), a, kTops).top == Approx(150.0 + 1.5 * dh).epsilon(1e-12));
  }
  SECTION("weakly stable: never more rise than neutral") {
    a.dtheta_dz = 1e-7;  // stable formula 2.6 (Fb/(u s))^(1/3) would give ~3 km
    const PlumeInjection w = inject_plume(power_stack(), a, kTops);
    CHECK(w.rise.final_rise == Approx(dh).epsilon(1e-12));
    a.dtheta_dz = 0.035;  // class F: s = g/Ta dθ/dz, Δh = 2.6 (Fb/(u s))^(1/3)
    const double s = 9.80665 / 280.0 * 0.035;
    const PlumeInjection f = inject_plume(power_stack(), a, kTops);
    CHECK(f.rise.final_rise == Approx(2.6 * std::cbrt(fb / (5.0 * s))).epsilon(1e-12));
    CHECK(f.rise.final_rise < dh);
  }
}

TEST_CASE("inject_stacks: mass per stack = rate x temporal factor", "[emissions][plume]") {
  GridSpec gs;
  gs.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  gs.nx = gs.ny = 4;
  gs.dx = gs.dy = 1000.0;
  gs.layer_tops = kTops;
  const Grid grid(gs);
  Inventory inv;
  inv.profiles.push_back(TemporalProfile::flat("plant"));
  inv.profiles[0].hour[10] = 1.7;
  inv.enterprises.resize(2);
  inv.enterprises[0].profile = 0;
  Stack a = power_stack(), b = power_stack(), c = power_stack();
  a.position = {500.0, 500.0};
  b.position = {2500.0, 3500.0};
  b.height = 40.0;
  b.enterprise = 1;
  c.position = {9000.0, 500.0};  // outside
  c.enterprise = 1;
  inv.stacks = {a, b, c};
  const std::vector<Rates> rates{{10, 20, 3, 4, 5, 0.5}, {1, 2, 0.3, 0.4, 0.5, 0}, {7, 7, 7, 7, 7, 7}};
  const std::vector<StackAmbient> amb{{3.0, 275.0, 0.02, 150.0}, {1.2, 276.0, 0.0, 600.0}, {2.0, 270.0, 0.0, 300.0}};
  LocalTime lt;
  lt.month = 12;
  lt.weekday = 2;
  lt.hour = 10;
  const StackEmissions3D e = inject_stacks(inv, rates, amb, grid, &lt);
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    double in_a = 0.0, in_b = 0.0;
    for (int k = 0; k < grid.nz(); ++k) in_a += e.rate[p](0, 0, k), in_b += e.rate[p](2, 3, k);
    // Enterprise 0 at local hour 10: month 1 x weekday 1 x hour 1.7 (factors as stored).
    CHECK(in_a == Approx(rates[0][p] * 1.7).epsilon(1e-12));
    CHECK(in_b == Approx(rates[1][p]).epsilon(1e-12));  // flat profile
    CHECK(e.outside[p] == Approx(rates[2][p]).epsilon(1e-15));
  }
  CHECK(e.plumes.size() == 3);
  for (const PlumeInjection& pl : e.plumes) CHECK(sum(pl.layers) == 1.0);
}
