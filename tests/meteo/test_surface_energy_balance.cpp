// The surface energy balance and mixing height of surface_energy_balance.hpp, against hand
// calculations from the published formulas (Holtslag & van Ulden 1983; EPA-454/R-03-004) and
// tabulated values (FAO-56).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "meteo/boundary_layer.hpp"
#include "meteo/surface_energy_balance.hpp"

using namespace lantian::meteo;

namespace {

constexpr double kHour = 3600.0;

// Hours since the epoch of a UTC date and hour (proleptic Gregorian; days_from_civil).
double utc_hours(int y, int m, int d, int h) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return 24.0 * (era * 146097 + doe - 719468) + h;
}

}  // namespace

TEST_CASE("surface energy balance: short-wave, albedo and net radiation by hand", "[meteo][seb]") {
  // K0 = 990 sin(phi) - 30: 960 W/m2 with the sun overhead, 990 * 0.5 - 30 = 465 at 30 deg.
  CHECK(clear_sky_insolation(90.0) == Approx(960.0).epsilon(1e-12));
  CHECK(clear_sky_insolation(30.0) == Approx(465.0).epsilon(1e-12));
  // Below asin(30/990) = 1.737 deg and at night no insolation.
  CHECK(clear_sky_insolation(1.7) == 0.0);
  CHECK(clear_sky_insolation(-10.0) == 0.0);
  CHECK(incoming_shortwave(90.0, 0.0) == Approx(960.0).epsilon(1e-12));
  // Overcast: 1 - 0.75 = 0.25 of it; half cover: 0.5^3.4 = 0.0947323, 465 (1 - 0.75 * 0.0947323) = 431.962
  CHECK(incoming_shortwave(90.0, 1.0) == Approx(240.0).epsilon(1e-12));
  CHECK(incoming_shortwave(30.0, 0.5) == Approx(431.9621).epsilon(1e-6));
  // r = r' + (1 - r') exp(-0.1 phi - 0.5 (1 - r')^2), r' = 0.2: b = -0.32;
  // 90 deg: 0.2 + 0.8 exp(-9.32) = 0.2000717; 30 deg: 0.2 + 0.8 exp(-3.32) = 0.2289223
  CHECK(albedo_at(90.0, 0.2) == Approx(0.2000717).epsilon(1e-6));
  CHECK(albedo_at(30.0, 0.2) == Approx(0.2289223).epsilon(1e-6));
  // Q* = [(1 - r) K + c1 T^6 - sigma T^4 + c2 N] / 1.12 at 30 deg, clear, T = 288.15 K:
  // c1 T^6 = 5.31e-13 * 288.15^6 = 303.953, sigma T^4 = 390.893 W/m2;
  // (0.7710777 * 465 + 303.953 - 390.893) / 1.12 = 242.510 W/m2
  CHECK(net_radiation(465.0, albedo_at(30.0, 0.2), 288.15, 0.0) == Approx(242.5101).epsilon(1e-6));
  // At night only the long-wave terms: overcast adds c2 = 60 W/m2 / 1.12 = 53.571 W/m2.
  CHECK(net_radiation(0.0, 0.2, 288.15, 1.0) - net_radiation(0.0, 0.2, 288.15, 0.0) ==
        Approx(60.0 / 1.12).epsilon(1e-12));
  CHECK(net_radiation(0.0, 0.2, 288.15, 0.0) < 0.0);
}

TEST_CASE("surface energy balance: Priestley-Taylor heat flux", "[meteo][seb]") {
  // s = de_s/dT against FAO-56 (Allen et al. 1998, eq. 13: Delta = 4098 e0(T) / (T + 237.3)^2,
  // Tetens' e0): 0.14474 kPa/K at 20 C, 0.04445 at 0 C. Bolton's e_s differs from Tetens' by
  // < 0.3 % here: 1 % tolerance. gamma = cp p / (0.622 L_v) = 65.4214 Pa/K at 1013.25 hPa.
  const double gamma = 1004.0 * 101325.0 / (0.622 * 2.5e6);
  CHECK(s_over_gamma(293.15, 101325.0) * gamma == Approx(144.74).epsilon(0.01));
  CHECK(s_over_gamma(273.15, 101325.0) * gamma == Approx(44.450).epsilon(0.01));
  // H = (gamma/s) / (1 + gamma/s) (Q* - 0.1 Q*) - 20 at alpha = 1: Q* = 400 W/m2, 20 C:
  // s/gamma = 2.213621 -> 360 / 3.213621 - 20 = 92.023 W/m2
  CHECK(priestley_taylor_shf(400.0, 293.15, 101325.0) == Approx(92.023).epsilon(1e-4));
  // alpha = 0 (a dry surface): all of Q* - G is sensible heat: 360 W/m2.
  SurfaceEnergyParams dry;
  dry.alpha = 0.0;
  CHECK(priestley_taylor_shf(400.0, 293.15, 101325.0, dry) == Approx(360.0).epsilon(1e-12));
}

TEST_CASE("surface energy balance: daytime u* and L", "[meteo][seb]") {
  // psi_m(-1): mu = 17^(1/4) = 2.030543; 2 ln(1.515272) + ln(2.561553) - 2 atan(2.030543) + pi/2
  //   = 1.116232; psi_m(-0.1) = 0.283614
  CHECK(psi_m_unstable(-1.0) == Approx(1.116232).epsilon(1e-6));
  CHECK(psi_m_unstable(-0.1) == Approx(0.283614).epsilon(1e-5));
  CHECK(psi_m_unstable(0.5) == 0.0);
  // Neutral limit: H -> 0 gives u* = k U / ln(z/z0) = 0.4 * 5 / ln(100) = 0.4342945 and |L| huge.
  const SurfaceFluxes n = convective_fluxes(5.0, 0.1, 288.15, 1.225, 1e-6);
  CHECK(n.ustar == Approx(0.4342945).epsilon(1e-6));
  CHECK(n.obukhov < -1e6);
  // Unstable: the result satisfies the Businger-Dyer wind law it was iterated from,
  // U = (u*/k) [ln(z/z0) - psi_m(z/L) + psi_m(z0/L)], and L = -rho cp T u*^3 / (k g H).
  const SurfaceFluxes f = convective_fluxes(2.0, 0.5, 293.15, 1.2, 200.0);
  CHECK(f.convective);
  CHECK(f.obukhov < 0.0);
  const double u = f.ustar / 0.4 *
                   (std::log(10.0 / 0.5) - psi_m_unstable(10.0 / f.obukhov) + psi_m_unstable(0.5 / f.obukhov));
  CHECK(u == Approx(2.0).epsilon(1e-5));
  CHECK(f.obukhov == Approx(monin_obukhov_length(f.ustar, 200.0, 293.15, 1.2)).epsilon(1e-12));
  // Convection raises u* above the neutral 0.4 * 2 / ln(20) = 0.267047.
  CHECK(f.ustar > 0.267047);
}

TEST_CASE("surface energy balance: night-time u*, theta*, H and L by hand", "[meteo][seb]") {
  const double rho = 101325.0 / (287.0 * 268.0);  // 1.317346
  // Clear calm winter night, U = 1 m/s, z0 = 0.1, T = 268 K: C_DN = 0.4 / ln(100) = 0.0868589;
  // theta* = 0.09; u0 = sqrt(5 * 10 * 9.81 * 0.09 / 268) = 0.4058573;
  // U_cr = 2 u0 / sqrt(C_DN) = 2.754205 > U: u* = C_DN U / 2 = 0.04342945,
  // theta* = 0.09 U / U_cr = 0.0326773; L = T u*^2 / (k g theta*) = 3.94210 m;
  // H = -rho cp u* theta* = -1.87700 W/m2
  const SurfaceFluxes calm = stable_fluxes(1.0, 0.1, 268.0, rho, 0.0);
  CHECK_FALSE(calm.convective);
  CHECK(calm.ustar == Approx(0.04342945).epsilon(1e-6));
  CHECK(calm.theta_star == Approx(0.0326773).epsilon(1e-6));
  CHECK(calm.obukhov == Approx(3.94210).epsilon(1e-5));
  CHECK(calm.shf == Approx(-1.87700).epsilon(1e-5));
  // U = 5 m/s > U_cr: u* = (C_DN U / 2) [1 + sqrt(1 - (2.754205/5)^2)] = 0.3983806;
  // L = 268 u*^2 / (0.4 * 9.81 * 0.09) = 120.4369 m; H = -1.317346 * 1004 * u* * 0.09 = -47.4214
  const SurfaceFluxes windy = stable_fluxes(5.0, 0.1, 268.0, rho, 0.0);
  CHECK(windy.ustar == Approx(0.3983806).epsilon(1e-6));
  CHECK(windy.obukhov == Approx(120.4369).epsilon(1e-5));
  CHECK(windy.shf == Approx(-47.4214).epsilon(1e-5));
  // Overcast: theta* = 0.09 (1 - 0.5) = 0.045, a weaker inversion, L larger.
  CHECK(stable_fluxes(5.0, 0.1, 268.0, rho, 1.0).theta_star == Approx(0.045).epsilon(1e-12));
  // A strong wind hits Hanna's limit theta* u* = 0.05 K m/s (H = -rho cp 0.05 = -66.1 W/m2);
  // u* is then the root of the wind law with theta* = 0.05 / u*:
  const SurfaceFluxes gale = stable_fluxes(10.0, 0.1, 268.0, rho, 0.0);
  CHECK(gale.ustar * gale.theta_star == Approx(0.05).epsilon(1e-6));
  const double cdn = 0.4 / std::log(100.0);
  const double ucr = 2.0 * std::sqrt(5.0 * 10.0 * 9.81 * gale.theta_star / 268.0) / std::sqrt(cdn);
  CHECK(gale.ustar == Approx(0.5 * cdn * 10.0 * (1.0 + std::sqrt(1.0 - ucr * ucr / 100.0))).epsilon(1e-5));
  // Calms are taken at the 0.5 m/s threshold: u* = C_DN 0.5 / 2.
  CHECK(stable_fluxes(0.0, 0.1, 268.0, rho, 0.0).ustar == Approx(0.5 * cdn * 0.5).epsilon(1e-12));
}

TEST_CASE("mixing height: mechanical, smoothed and convective by hand", "[meteo][seb]") {
  // 2300 u*^1.5: u* = 0.3 -> 2300 * 0.1643168 = 377.9286 m (Venkatram 1980)
  CHECK(mechanical_height(0.3) == Approx(377.9286).epsilon(1e-6));
  // Smoothing: h = 300 m, h_eq = 100 m, u* = 0.1: tau = 300 / (2 * 0.1) = 1500 s;
  // e^(-3600/1500) = 0.0907180: 300 * 0.090718 + 100 * 0.909282 = 118.1436 m
  CHECK(smoothed_mechanical_height(300.0, 100.0, 0.1, kHour) == Approx(118.1436).epsilon(1e-6));
  // Carson: h^2 = h0^2 + 2 (1 + 2A) I / gamma. H = 100 W/m2 for 3 h at rho = 1.2:
  // I = 100 / (1.2 * 1004) * 10800 = 896.4143 K m; h = sqrt(2.8 * 896.4143 / 0.005) = 708.514 m
  const double i3 = 100.0 / (1.2 * 1004.0) * 3.0 * kHour;
  CHECK(convective_height(0.0, i3, 0.005) == Approx(708.514).epsilon(1e-6));
  // An initial mixed layer adds in quadrature: sqrt(300^2 + 708.514^2) = 769.41 m
  CHECK(convective_height(300.0, i3, 0.005) == Approx(769.410).epsilon(1e-5));
}

TEST_CASE("mixing height: a summer day and a winter night at 52 N", "[meteo][seb]") {
  // 2015-06-21, lat 52 N, lon 0 (Cabauw-like latitude), clear, 3 m/s, 20 C.
  std::vector<SurfaceObservation> day;
  for (int h = 0; h < 24; ++h) day.push_back({utc_hours(2015, 6, 21, h), 3.0, 293.15, 101325.0, 0.0});
  const auto bl = diagnose_boundary_layer(day, 52.0, 0.0, 0.1);
  // Noon: sun at 90 - 52 + 23.44 = 61.4 deg; K = 990 sin(61.4) - 30 = 839 W/m2;
  // Q* = (0.799 * 839 + 5.31e-13 T^6 - sigma T^4) / 1.12 ~ 520; H = 0.9 Q* / (1 + 2.21) - 20
  // ~ 126 W/m2: a clear summer noon over moist grass gives H of order 100-250 W/m2.
  const BoundaryLayerHour& noon = bl[12];
  CHECK(noon.solar_elevation == Approx(61.4).margin(0.2));
  CHECK(noon.k_down == Approx(990.0 * std::sin(noon.solar_elevation * std::numbers::pi / 180.0) - 30.0).epsilon(1e-12));
  const double q = net_radiation(noon.k_down, albedo_at(noon.solar_elevation, 0.2), 293.15, 0.0);
  CHECK(noon.q_net == Approx(q).epsilon(1e-12));
  CHECK(noon.fluxes.shf == Approx(priestley_taylor_shf(q, 293.15, 101325.0)).epsilon(1e-12));
  CHECK(noon.fluxes.shf > 100.0);
  CHECK(noon.fluxes.shf < 250.0);
  CHECK(noon.fluxes.convective);
  CHECK(noon.fluxes.obukhov < 0.0);
  // The convective height grows monotonically through the morning (heat accumulates) and is
  // the mixing height by noon: typical 1-2 km of a clear summer afternoon.
  for (int h = 7; h <= 14; ++h) CHECK(bl[static_cast<std::size_t>(h)].h_convective > bl[static_cast<std::size_t>(h - 1)].h_convective);
  CHECK(noon.h == Approx(noon.h_convective).epsilon(1e-12));
  CHECK(bl[15].h > 800.0);
  CHECK(bl[15].h < 2500.0);
  // Midnight: stable, L > 0, h the mechanical height.
  CHECK_FALSE(bl[0].fluxes.convective);
  CHECK(bl[0].fluxes.obukhov > 0.0);
  CHECK(bl[0].h_convective == 0.0);

  // A clear calm winter night: 2015-12-21 00Z, 0.5 m/s, -5 C: very stable, L of a few metres,
  // the mixing height at its floor (2300 (C_DN 0.5/2)^1.5 = 2300 * 0.0217^1.5 = 7.4 m -> 50 m).
  std::vector<SurfaceObservation> night;
  for (int h = 0; h < 4; ++h) night.push_back({utc_hours(2015, 12, 21, h), 0.5, 268.15, 101325.0, 0.0});
  const auto nb = diagnose_boundary_layer(night, 52.0, 0.0, 0.1);
  CHECK(nb[3].fluxes.obukhov > 0.0);
  CHECK(nb[3].fluxes.obukhov < 5.0);
  CHECK(nb[3].h == 50.0);
}

TEST_CASE("mixing height: the hand integral for a constant heat flux", "[meteo][seb]") {
  // Observed u* = 0.3 m/s and H = 200 W/m2 while the sun is up, -20 W/m2 otherwise, at 52 N on
  // 2015-06-21. rho = 101325 / (287 * 288.15) = 1.2252257; H / (rho cp) = 0.1625849 K m/s.
  // Trapezoids from the last hour with the sun down (I = 0 there): after the n-th hour with the
  // sun up, I = (n - 1/2) 0.1625849 * 3600 K m and h = sqrt(2 (1 + 0.4) I / 0.005):
  //   n = 1: 292.653 K m -> 404.828 m; n = 2: 877.958 -> 701.182 m; n = 3: 1463.264 -> 905.223 m.
  // The mechanical height 2300 * 0.3^1.5 = 377.93 m is lower, so h is the convective height.
  std::vector<SurfaceObservation> obs;
  for (int h = 0; h < 12; ++h) {
    SurfaceObservation o{utc_hours(2015, 6, 21, h), 3.0, 288.15, 101325.0, 0.0};
    o.ustar = 0.3;
    o.shf = solar_elevation_deg(o.time, 52.0, 0.0) > 0.0 ? 200.0 : -20.0;
    obs.push_back(o);
  }
  const auto bl = diagnose_boundary_layer(obs, 52.0, 0.0, 0.1);
  std::size_t first = 0;
  while (bl[first].solar_elevation <= 0.0) ++first;
  REQUIRE(first >= 1);
  REQUIRE(first + 3 < bl.size());
  CHECK(bl[first - 1].h == Approx(377.9286).epsilon(1e-6));  // night: mechanical, constant u*
  CHECK(bl[first].h == Approx(404.828).epsilon(1e-5));
  CHECK(bl[first + 1].h == Approx(701.182).epsilon(1e-5));
  CHECK(bl[first + 2].h == Approx(905.223).epsilon(1e-5));
  // Observed fluxes are used as given.
  CHECK(bl[first].fluxes.shf == 200.0);
  CHECK(bl[first].fluxes.obukhov == Approx(monin_obukhov_length(0.3, 200.0, 288.15, 1.2252257)).epsilon(1e-6));
}

TEST_CASE("mixing height: stable nights follow 2300 u*^1.5 and Kz follows u*, L and h", "[meteo][seb]") {
  // A windy winter night (5 m/s, T = 268 K, z0 = 0.1, clear): u* = 0.3983806 as by hand
  // above; h = 2300 * 0.3983806^1.5 = 578.329 m (constant u*: the smoothing keeps it).
  std::vector<SurfaceObservation> night;
  for (int h = 0; h < 3; ++h) night.push_back({utc_hours(2015, 12, 21, 16 + h), 5.0, 268.0, 101325.0, 0.0});
  const auto bl = diagnose_boundary_layer(night, 39.9, 116.4, 0.1);  // 00-02 Beijing time
  const double us = 0.3983806;
  CHECK(bl[2].fluxes.ustar == Approx(us).epsilon(1e-6));
  CHECK(bl[2].h == Approx(2300.0 * us * std::sqrt(us)).epsilon(1e-6));
  CHECK(bl[2].h == Approx(578.329).epsilon(1e-5));
  // Kz at 50 m: k u* z (1 - z/h)^2 / (1 + 5 z/L), L = 120.4369 m:
  //   0.4 * 0.3983806 * 50 * (1 - 50/578.329)^2 / (1 + 5 * 50/120.4369) = 2.16188 m2/s (>> kz_min 0.1)
  const double kz = kz_profile(50.0, bl[2].h, bl[2].fluxes.ustar, bl[2].fluxes.obukhov);
  CHECK(kz == Approx(0.4 * us * 50.0 * std::pow(1.0 - 50.0 / 578.329, 2) / (1.0 + 5.0 * 50.0 / 120.4369)).epsilon(1e-5));
  CHECK(kz > 2.0);
}
