// Briggs plume rise against values worked by hand from the formulas in plume_rise.hpp (ISC3
// User's Guide vol. II §1.1.4), g = 9.80665 m/s^2. Each figure below was evaluated with a
// calculator (Python floats) from the formula quoted beside it; the code must match to 1e-9
// relative (only the order of floating-point operations differs).
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "emissions/plume_rise.hpp"

using namespace lantian::emissions;

namespace {
constexpr double kRel = 1e-9;

PlumeRiseInput input(double h, double d, double v, double ts, double ta, double u, double dtheta) {
  PlumeRiseInput in;
  in.stack_height = h;
  in.diameter = d;
  in.exit_velocity = v;
  in.exit_temperature = ts;
  in.ambient_temperature = ta;
  in.wind_speed = u;
  in.dtheta_dz = dtheta;
  return in;
}
}  // namespace

TEST_CASE("power-plant stack, neutral: buoyant rise with Fb >= 55", "[emissions][plume]") {
  // h = 210 m, d = 6 m, v = 20 m/s, Ts = 400 K, Ta = 273.15 K, u = 5 m/s, class D.
  // Fb = 9.80665 * 20 * 36 * 126.85 / (4 * 400) = 559.788098625 m^4/s^3
  // Fm = 400 * 36 * 273.15 / 1600 = 2458.35 m^4/s^2
  // dTc = 0.00575 * 400 * 20^(2/3) / 6^(1/3) = 9.3260430599 K < 126.85 K -> buoyancy dominates
  // dh = 38.71 * Fb^0.6 / 5 = 344.8794867503 m;  xf = 119 * Fb^0.4 = 1495.3967269746 m
  // v = 20 >= 1.5 u = 7.5: no stack-tip downwash.
  const auto in = input(210, 6, 20, 400, 273.15, 5, dtheta_dz_of_class('D'));
  const PlumeRise r = briggs_plume_rise(in);
  CHECK(r.regime == PlumeRiseRegime::buoyant_unstable);
  CHECK(r.buoyancy_flux == Approx(559.788098625).epsilon(kRel));
  CHECK(r.momentum_flux == Approx(2458.35).epsilon(kRel));
  CHECK(r.crossover_dt == Approx(9.3260430599).epsilon(kRel));
  CHECK(r.release_height == 210.0);
  CHECK(r.final_rise == Approx(344.8794867503).epsilon(kRel));
  CHECK(r.effective_height == Approx(554.8794867503).epsilon(kRel));
  CHECK(r.distance_to_final == Approx(1495.3967269746).epsilon(kRel));
  // Gradual rise at 500 m: 1.60 * Fb^(1/3) * 500^(2/3) / 5 = 166.13885058397 m (< final rise);
  // beyond xf the final rise.
  CHECK(gradual_plume_rise(in, r, 500.0) == Approx(166.13885058397).epsilon(kRel));
  CHECK(gradual_plume_rise(in, r, 5000.0) == r.final_rise);
  CHECK(gradual_plume_rise(in, r, 0.0) == 0.0);
}

TEST_CASE("power-plant stack, class F: stable buoyant rise", "[emissions][plume]") {
  // s = 9.80665 / 273.15 * 0.035 = 0.0012565724 s^-2
  // dTc = 0.019582 * 400 * 20 * sqrt(s) = 5.5531677235 K < 126.85 K -> buoyancy dominates
  // dh = 2.6 * (Fb / (5 s))^(1/3) = 116.1258025584 m;  xf = 2.0715 * 5 / sqrt(s) = 292.1871985105 m
  const auto in = input(210, 6, 20, 400, 273.15, 5, dtheta_dz_of_class('F'));
  const PlumeRise r = briggs_plume_rise(in);
  CHECK(r.regime == PlumeRiseRegime::buoyant_stable);
  CHECK(r.stability == Approx(0.0012565724).epsilon(1e-8));
  CHECK(r.crossover_dt == Approx(5.5531677235).epsilon(kRel));
  CHECK(r.final_rise == Approx(116.1258025584).epsilon(kRel));
  CHECK(r.distance_to_final == Approx(292.1871985105).epsilon(kRel));
  // Stable rise is lower than neutral rise for the same stack.
  CHECK(r.final_rise < briggs_plume_rise(input(210, 6, 20, 400, 273.15, 5, 0)).final_rise);
  // A calm (u = 0.3 m/s) is raised to 1 m/s: dh = 2.6 * (Fb / s)^(1/3) = 198.5723291635 m.
  CHECK(briggs_plume_rise(input(210, 6, 20, 400, 273.15, 0.3, 0.035)).final_rise ==
        Approx(198.5723291635).epsilon(kRel));
}

TEST_CASE("small hot stack, neutral: buoyant rise with Fb < 55", "[emissions][plume]") {
  // d = 1.5, v = 8, Ts = 420, Ta = 280, u = 4: Fb = 9.80665 * 8 * 2.25 * 140 / 1680 = 14.709975
  // dTc = 0.0297 * 420 * 8^(1/3) / 1.5^(2/3) = 19.0388872821 K < 140 K
  // dh = 21.425 * Fb^0.75 / 4 = 40.2318302539 m;  xf = 49 * Fb^0.625 = 262.9986620863 m
  // v = 8 >= 1.5 u = 6: no downwash. Gradual at 100 m: 1.6 Fb^(1/3) 100^(2/3) / 4 = 21.1153022724 m.
  const auto in = input(40, 1.5, 8, 420, 280, 4, 0);
  const PlumeRise r = briggs_plume_rise(in);
  CHECK(r.regime == PlumeRiseRegime::buoyant_unstable);
  CHECK(r.buoyancy_flux == Approx(14.709975).epsilon(kRel));
  CHECK(r.crossover_dt == Approx(19.0388872821).epsilon(kRel));
  CHECK(r.final_rise == Approx(40.2318302539).epsilon(kRel));
  CHECK(r.distance_to_final == Approx(262.9986620863).epsilon(kRel));
  CHECK(gradual_plume_rise(in, r, 100.0) == Approx(21.1153022724).epsilon(kRel));
}

TEST_CASE("cool jet: momentum-dominated rise", "[emissions][plume]") {
  // d = 1, v = 15, Ts = 300, Ta = 293, u = 3, neutral: Fb = 0.858081875 < 55,
  // dTc = 0.0297 * 300 * 15^(1/3) = 21.9739495823 K > 7 K -> momentum: dh = 3 * 1 * 15 / 3 = 15 m,
  // xf = 4 d (v + 3u)^2 / (v u) = 4 * 24^2 / 45 = 51.2 m.
  // Gradual at 20 m: Fm = 225 * 293 / 1200 = 54.9375, βj = 1/3 + 3/15,
  // dh = (3 Fm 20 / (βj^2 9))^(1/3) = 10.8791106141 m.
  const auto in = input(30, 1, 15, 300, 293, 3, 0);
  const PlumeRise r = briggs_plume_rise(in);
  CHECK(r.regime == PlumeRiseRegime::momentum_unstable);
  CHECK(r.crossover_dt == Approx(21.9739495823).epsilon(kRel));
  CHECK(r.final_rise == Approx(15.0).epsilon(kRel));
  CHECK(r.distance_to_final == Approx(51.2).epsilon(kRel));
  CHECK(gradual_plume_rise(in, r, 20.0) == Approx(10.8791106141).epsilon(kRel));
}

TEST_CASE("isothermal jet, class F: stable momentum rise", "[emissions][plume]") {
  // Ts = Ta = 293 K: Fb = 0, Fm = 225 * 293 / (4 * 293) = 56.25; s = 9.80665 / 293 * 0.035.
  // dh = min(1.5 (Fm / (3 sqrt(s)))^(1/3), 3 d v / u = 15) = 12.273586842 m,
  // xf = (π/2) u / sqrt(s) = 137.6830829402 m.
  // Gradual at 20 m: (3 Fm sin(20 sqrt(s)/3) / (βj^2 3 sqrt(s)))^(1/3) = 10.933341355 m.
  const auto in = input(30, 1, 15, 293, 293, 3, 0.035);
  const PlumeRise r = briggs_plume_rise(in);
  CHECK(r.regime == PlumeRiseRegime::momentum_stable);
  CHECK(r.buoyancy_flux == 0.0);
  CHECK(r.final_rise == Approx(12.273586842).epsilon(kRel));
  CHECK(r.distance_to_final == Approx(137.6830829402).epsilon(kRel));
  CHECK(gradual_plume_rise(in, r, 20.0) == Approx(10.933341355).epsilon(kRel));
  // At 100 m the stable jet formula gives 17.38 m, above the final rise: capped.
  CHECK(gradual_plume_rise(in, r, 100.0) == r.final_rise);
}

TEST_CASE("stack-tip downwash lowers the release height", "[emissions][plume]") {
  // h = 50, d = 2, v = 4, u = 6: v < 1.5 u = 9 -> h' = 50 + 2 * 2 * (4/6 - 1.5) = 46.6666666667 m.
  // Fb = 9.80665 * 4 * 4 * 70 / 1400 = 7.84532; dTc = 0.0297 * 350 * 4^(1/3) / 2^(2/3) = 10.395 K
  // < 70 K; dh = 21.425 * Fb^0.75 / 6 = 16.7389255264 m; he = 63.4055921931 m.
  auto in = input(50, 2, 4, 350, 280, 6, 0);
  PlumeRise r = briggs_plume_rise(in);
  CHECK(r.release_height == Approx(46.6666666667).epsilon(kRel));
  CHECK(r.crossover_dt == Approx(10.395).epsilon(kRel));
  CHECK(r.final_rise == Approx(16.7389255264).epsilon(kRel));
  CHECK(r.effective_height == Approx(63.4055921931).epsilon(kRel));
  in.stack_tip_downwash = false;
  r = briggs_plume_rise(in);
  CHECK(r.release_height == 50.0);
}

TEST_CASE("stability classes map to dθ/dz", "[emissions][plume]") {
  CHECK(dtheta_dz_of_class('A') == 0.0);
  CHECK(dtheta_dz_of_class('d') == 0.0);
  CHECK(dtheta_dz_of_class('E') == 0.020);
  CHECK(dtheta_dz_of_class('F') == 0.035);
  CHECK_THROWS_AS(dtheta_dz_of_class('G'), lantian::Error);
}
