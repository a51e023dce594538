// Boundary-layer diagnostics against hand-computed values (each reference worked out in the
// comment next to it).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "meteo/boundary_layer.hpp"

using namespace lantian::meteo;

TEST_CASE("air density from the ideal gas law", "[meteo][boundary_layer]") {
  // 101325 / (287 * 288.15) = 101325 / 82699.05 = 1.2252257 kg/m3
  CHECK(air_density(101325.0, 288.15) == Approx(1.2252257).epsilon(1e-7));
}

TEST_CASE("Monin-Obukhov length", "[meteo][boundary_layer]") {
  // Day: u* = 0.3, H = 100 W/m2, T = 300 K, rho = 1.2:
  // L = -1.2*1004*300*0.027 / (0.4*9.81*100) = -9758.88 / 392.4 = -24.8697 m
  CHECK(monin_obukhov_length(0.3, 100.0, 300.0, 1.2) == Approx(-24.8697).epsilon(1e-5));
  // Night: H = -20 W/m2 -> L = +9758.88 / 78.48 = +124.349 m
  CHECK(monin_obukhov_length(0.3, -20.0, 300.0, 1.2) == Approx(124.3486).epsilon(1e-5));
  // Neutral: H = 0 -> +infinity
  CHECK(std::isinf(monin_obukhov_length(0.3, 0.0, 300.0)));
  // L scales with u*^3: doubling u* multiplies L by 8
  CHECK(monin_obukhov_length(0.6, 100.0, 300.0, 1.2) == Approx(8 * -24.8697).epsilon(1e-5));
}

TEST_CASE("Pasquill-Gifford class from L and z0 (Golder 1972)", "[meteo][boundary_layer]") {
  // z0 = 0.1 m (log10 z0 = -1): lines 1/L = a - b:
  //   A -0.125, B -0.066, C -0.020, D 0, E 0.022, F 0.071
  // boundaries (half-way): A|B -0.0955, B|C -0.043, C|D -0.010, D|E 0.011, E|F 0.0465
  CHECK(golder_inverse_obukhov(StabilityClass::A, 0.1) == Approx(-0.125));
  CHECK(golder_inverse_obukhov(StabilityClass::F, 0.1) == Approx(0.071));
  CHECK(pasquill_from_obukhov(-8.0, 0.1) == StabilityClass::A);    // 1/L = -0.125
  CHECK(pasquill_from_obukhov(-15.0, 0.1) == StabilityClass::B);   // -0.0667
  CHECK(pasquill_from_obukhov(-23.0, 0.1) == StabilityClass::B);   // -0.0435 < -0.043
  CHECK(pasquill_from_obukhov(-24.0, 0.1) == StabilityClass::C);   // -0.0417 > -0.043
  CHECK(pasquill_from_obukhov(-50.0, 0.1) == StabilityClass::C);   // -0.020
  CHECK(pasquill_from_obukhov(-120.0, 0.1) == StabilityClass::D);  // -0.0083 > -0.010
  CHECK(pasquill_from_obukhov(std::numeric_limits<double>::infinity(), 0.1) == StabilityClass::D);
  CHECK(pasquill_from_obukhov(50.0, 0.1) == StabilityClass::E);    // 0.020 in (0.011, 0.0465)
  CHECK(pasquill_from_obukhov(10.0, 0.1) == StabilityClass::F);    // 0.1
  // z0 = 1 m (log10 z0 = 0): C|D boundary at -0.001, so L = -120 m (-0.0083) is C on rough ground
  CHECK(pasquill_from_obukhov(-120.0, 1.0) == StabilityClass::C);
  CHECK(stability_letter(StabilityClass::E) == 'E');
}

TEST_CASE("solar elevation: noon maximum and midnight minimum", "[meteo][boundary_layer]") {
  // Beijing (39.9 N, 116.4 E). Solstice declination +/-23.44 deg.
  // 2015-06-21T00Z = 16607 days * 24 h since 1970 = 398568 h. Geometric reference:
  // max elevation = 90 - 39.9 + 23.44 = 73.54 deg near 12:00 - 116.4/15 h = 04:14 UTC (+ ~2 min
  // equation of time); min = 39.9 + 23.44 - 90 = -26.66 deg twelve hours later.
  const double june21 = 16607.0 * 24.0;
  double best = -90.0, best_t = 0.0, worst = 90.0;
  for (int m = 0; m < 24 * 60; ++m) {
    const double t = june21 + m / 60.0;
    const double e = solar_elevation_deg(t, 39.9, 116.4);
    if (e > best) best = e, best_t = m / 60.0;
    worst = std::min(worst, e);
  }
  // Tolerance 0.15 deg: the NOAA series is good to ~0.1 deg; declination at 04 UTC vs 23.44.
  CHECK(best == Approx(73.54).margin(0.15));
  CHECK(best_t == Approx(4.24 + 0.03).margin(0.05));
  CHECK(worst == Approx(-26.66).margin(0.15));
  // 2015-12-22 (day 16791): max = 90 - 39.9 - 23.44 = 26.66 deg
  double best_dec = -90.0;
  for (int m = 0; m < 24 * 60; ++m) best_dec = std::max(best_dec, solar_elevation_deg(16791.0 * 24.0 + m / 60.0, 39.9, 116.4));
  CHECK(best_dec == Approx(26.66).margin(0.15));
}

TEST_CASE("Turner's method", "[meteo][boundary_layer]") {
  // NRI from the EPA-454/R-99-005 Sect. 6.4.1 rules:
  CHECK(turner_net_radiation_index(70.0, 0.3) == 4);            // clear, sun high
  CHECK(turner_net_radiation_index(-10.0, 0.2) == -2);          // clear night
  CHECK(turner_net_radiation_index(-10.0, 0.7) == -1);          // cloudy night
  CHECK(turner_net_radiation_index(30.0, 1.0, 1000.0) == 0);    // overcast, low ceiling
  CHECK(turner_net_radiation_index(40.0, 0.8, 3000.0) == 2);    // IN 3, ceiling 7000-16000 ft: -1
  CHECK(turner_net_radiation_index(20.0, 0.9, 1000.0) == 1);    // IN 2 - 2 = 0 -> raised to 1
  CHECK(turner_net_radiation_index(70.0, 1.0, 6000.0) == 3);    // 10/10, high ceiling: -1
  // Table 6-4: 1 m/s = 1.94 kt -> 2 kt row; 5 m/s = 9.72 kt -> 10 kt row; 2 m/s = 3.89 -> 4 kt;
  // 3 m/s = 5.83 -> 6 kt.
  CHECK(turner_class(1.0, 4) == StabilityClass::A);
  CHECK(turner_class(5.0, 4) == StabilityClass::C);
  CHECK(turner_class(2.0, -2) == StabilityClass::F);
  CHECK(turner_class(3.0, 2) == StabilityClass::C);
  CHECK(turner_class(0.5, -2) == StabilityClass::F);   // G folded into F
  CHECK(turner_class(8.0, 0) == StabilityClass::D);
  CHECK(turner_class(3.0, -1) == StabilityClass::E);
}

TEST_CASE("Kz profile (Troen-Mahrt / Holtslag-Boville)", "[meteo][boundary_layer]") {
  const double ustar = 0.3, h = 500.0;
  // Neutral, z = 50: 0.4*0.3*50*(1-0.1)^2 = 6*0.81 = 4.86 m2/s
  CHECK(kz_profile(50.0, h, ustar, std::numeric_limits<double>::infinity()) == Approx(4.86).epsilon(1e-12));
  // Stable L = 100: phi_h = 1 + 5*0.5 = 3.5 -> 4.86/3.5 = 1.388571
  CHECK(kz_profile(50.0, h, ustar, 100.0) == Approx(1.3885714).epsilon(1e-6));
  // Unstable L = -50, z = 100: zeta = min(100, 50)/-50 = -1, phi_h = 16^-1/2 = 0.25
  // -> 0.4*0.3*100*0.8^2/0.25 = 30.72 m2/s
  CHECK(kz_profile(100.0, h, ustar, -50.0) == Approx(30.72).epsilon(1e-12));
  // Above the mixing height, at the ground, and very stable (1.5/51 = 0.029 < 0.1): the floor
  CHECK(kz_profile(600.0, h, ustar, -50.0) == 0.1);
  CHECK(kz_profile(0.0, h, ustar, -50.0) == 0.1);
  CHECK(kz_profile(50.0, 100.0, ustar, 5.0) == 0.1);
  KzParams p;
  p.kz_min = 0.5;
  CHECK(kz_profile(600.0, h, ustar, -50.0, p) == 0.5);
  // phi_h values: stable 1 + 5*0.2 = 2; unstable (1 + 15*0.2)^-1/2 = 0.5
  CHECK(phi_h(0.2) == Approx(2.0));
  CHECK(phi_h(-0.2) == Approx(0.5));
}

TEST_CASE("静稳 indicators", "[meteo][boundary_layer]") {
  StagnationInputs in{1.5, 400.0, 280.0, 281.0, 30.0, 85.0};
  auto f = stagnation_flags(in);
  CHECK(f.weak_wind);
  CHECK(f.shallow_mixing);
  CHECK(f.surface_inversion);  // +1 K over 28 m
  CHECK(f.humid);
  CHECK(f.all());
  StagnationThresholds th;
  th.inversion_lapse_min = 0.05;  // 1/28 = 0.0357 K/m < 0.05
  th.wind10_max = 1.0;
  f = stagnation_flags(in, th);
  CHECK_FALSE(f.surface_inversion);
  CHECK_FALSE(f.weak_wind);
  CHECK(f.count() == 2);
  // At the thresholds exactly, no flag (strict inequalities): wind 2, PBLH 500, RH 80, T equal
  f = stagnation_flags({2.0, 500.0, 280.0, 280.0, 30.0, 80.0});
  CHECK(f.count() == 0);
}

TEST_CASE("Turner's night includes one hour around sunrise and sunset", "[meteo][boundary_layer]") {
  // Beijing (39.9 N, 116.4 E), 2015-06-21: geometric sunset about 19:42 CST = 11:42 UTC and the
  // next sunrise about 04:50 CST = 20:50 UTC (almanac 19:46 / 04:46 with refraction, which moves
  // each by ~4 min); EPA-454/R-99-005 Sect. 6.4.4.1: night from sunset - 1 h to sunrise + 1 h.
  const double june21 = 16607.0 * 24.0;
  double sunset = 0.0, sunrise = 0.0;
  for (int m = 1; m < 24 * 60; ++m) {
    const double t0 = june21 + (m - 1) / 60.0, t1 = june21 + m / 60.0;
    const double e0 = solar_elevation_deg(t0, 39.9, 116.4), e1 = solar_elevation_deg(t1, 39.9, 116.4);
    if (e0 > 0.0 && e1 <= 0.0) sunset = t1;
    if (e0 <= 0.0 && e1 > 0.0) sunrise = t1;
  }
  CHECK(sunset - june21 == Approx(11.0 + 42.0 / 60.0).margin(10.0 / 60.0));
  CHECK(sunrise - june21 == Approx(20.0 + 50.0 / 60.0).margin(10.0 / 60.0));
  for (const double t : {sunset - 0.5, sunset + 2.0, sunrise - 0.1, sunrise + 0.5}) {
    CHECK(turner_night(t, 39.9, 116.4));
    CHECK(turner_net_radiation_index(t, 39.9, 116.4, 0.2) == -2);  // clear night
  }
  for (const double t : {sunset - 1.5, sunrise + 1.5, june21 + 4.0}) {
    CHECK_FALSE(turner_night(t, 39.9, 116.4));
    CHECK(turner_net_radiation_index(t, 39.9, 116.4, 0.2) >= 1);
  }
  // The sun is up half an hour after sunrise, yet it is still night for Turner's method
  CHECK(solar_elevation_deg(sunrise + 0.5, 39.9, 116.4) > 0.0);
  CHECK(turner_net_radiation_index(june21 + 4.0, 39.9, 116.4, 0.2) == 4);  // noon sun ~73.5 deg
}
