// Verification of the Gaussian plume (solver/gaussian_plume.hpp) against hand calculations,
// conservation integrals and limits. Each reference is computed in the comment beside it.
#include <omp.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "core/error.hpp"
#include "emissions/plume_rise.hpp"
#include "solver/gaussian_plume.hpp"

using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A stack without plume rise (no diameter): the effective height is the stack height.
PlumeSource passive_stack(double height, double rate = 100.0) {
  return PlumeSource{"S", 0.0, 0.0, height, 0.0, 0.0, 0.0, rate};
}

/// Wind from the west (270°): the plume travels towards +x, y is crosswind.
PlumeMet west_wind(char cls, double u, double ref_height, double mixing_height = kInf) {
  PlumeMet m;
  m.wind_speed = u;
  m.wind_dir_deg = 270.0;
  m.ref_height = ref_height;
  m.temperature_K = 293.15;
  m.stability = cls;
  m.mixing_height = mixing_height;
  return m;
}

double conc(const PlumeSource& s, const PlumeMet& m, double x, double y, double z, const PlumeOptions& o) {
  return plume_concentration(s, m, Receptor{"r", x, y, z}, o);
}

/// ∫∫ C u dy dz over y in ±8σy and z in [0, ztop] by the trapezoidal rule, µg/s.
double crosswind_flux(const PlumeSource& s, const PlumeMet& m, double x, double ztop, const PlumeOptions& o) {
  const PlumeAt a = plume_at(s, m, x, o);
  const int ny = 400, nz = 800;
  const double ylim = 8.0 * a.sigma_y, dy = 2.0 * ylim / ny, dz = ztop / nz;
  double sum = 0.0;
  for (int j = 0; j <= nz; ++j) {
    const double z = j * dz;
    double row = 0.0;
    for (int i = 0; i <= ny; ++i) {
      const double w = (i == 0 || i == ny) ? 0.5 : 1.0;
      row += w * conc(s, m, x, -ylim + i * dy, z, o);
    }
    sum += ((j == 0 || j == nz) ? 0.5 : 1.0) * row * dy;
  }
  return sum * dz * a.u;
}

}  // namespace

TEST_CASE("Briggs rural sigmas and the centreline ground concentration at 1 km, class D", "[gaussian]") {
  // Briggs (1973) open country, class D (Seinfeld & Pandis 2006, Table 18.3):
  //   σy = 0.08 x (1 + 0.0001 x)^-1/2 = 80 / sqrt(1.1)  = 76.2770 m at x = 1000 m
  //   σz = 0.06 x (1 + 0.0015 x)^-1/2 = 60 / sqrt(2.5)  = 37.9473 m
  // Q = 100 g/s, u = 5 m/s at the stack top (measured there: ref_height = H), H = 50 m, no rise:
  //   C(x, 0, 0) = Q / (π u σy σz) exp(-H² / (2 σz²))
  //              = 100 / (π·5·76.2770·37.9473) · exp(-2500 / 2880.0) = 2.19942e-3 · 0.419775
  //              = 9.23238e-4 g/m³ = 923.24 µg/m³.
  const Sigmas s = briggs_sigmas('D', 1000.0, false);
  CHECK(s.y == Approx(76.2770).epsilon(1e-5));
  CHECK(s.z == Approx(37.9473).epsilon(1e-5));
  PlumeOptions o;
  const double c = conc(passive_stack(50.0), west_wind('D', 5.0, 50.0), 1000.0, 0.0, 0.0, o);
  CHECK(c == Approx(923.238).epsilon(1e-4));
  // Urban class D (McElroy-Pooler, same table): σy = 0.16·1000/sqrt(1.4) = 135.225 m,
  // σz = 0.14·1000/sqrt(1.3) = 122.788 m.
  const Sigmas su = briggs_sigmas('D', 1000.0, true);
  CHECK(su.y == Approx(135.225).epsilon(1e-5));
  CHECK(su.z == Approx(122.788).epsilon(1e-5));
}

TEST_CASE("the plume is symmetric about its axis and goes downwind", "[gaussian]") {
  PlumeOptions o;
  const auto src = passive_stack(30.0);
  const auto met = west_wind('C', 4.0, 10.0);
  const double left = conc(src, met, 800.0, 150.0, 1.5, o), right = conc(src, met, 800.0, -150.0, 1.5, o);
  CHECK(left > 0.0);
  CHECK(left == Approx(right).epsilon(1e-14));
  CHECK(conc(src, met, -800.0, 0.0, 1.5, o) == 0.0);  // upwind
  // Wind from the north (0°) blows towards -y: the receptor south of the stack sees the plume.
  PlumeMet north = met;
  north.wind_dir_deg = 0.0;
  CHECK(plume_concentration(src, north, Receptor{"s", 0.0, -800.0, 1.5}, o) ==
        Approx(conc(src, met, 800.0, 0.0, 1.5, o)).epsilon(1e-12));
  CHECK(plume_concentration(src, north, Receptor{"n", 0.0, 800.0, 1.5}, o) == 0.0);
}

TEST_CASE("the crosswind-integrated flux equals the emission rate", "[gaussian]") {
  // Mass conservation of the reflected plume: ∫∫ C u dy dz over the half-space z >= 0 is Q
  // (the ground image doubles the half-Gaussian). Q = 100 g/s = 1e8 µg/s.
  PlumeOptions o;
  const auto src = passive_stack(40.0);
  SECTION("ground reflection only") {
    const auto met = west_wind('C', 5.0, 10.0);
    const PlumeAt a = plume_at(src, met, 600.0, o);
    const double flux = crosswind_flux(src, met, 600.0, 40.0 + 10.0 * a.sigma_z, o);
    CHECK(flux == Approx(1.0e8).epsilon(1e-4));
  }
  SECTION("with the mixing lid: all the mass stays below it") {
    const auto met = west_wind('B', 5.0, 10.0, 150.0);  // σz(600 m) = 72 m: several lid images matter
    const double flux = crosswind_flux(src, met, 600.0, 150.0, o);
    CHECK(flux == Approx(1.0e8).epsilon(1e-4));
  }
}

TEST_CASE("the mixing-lid image sum tends to the well-mixed column", "[gaussian]") {
  // Class A rural σz = 0.20 x; lid h = 200 m. Far downwind C -> Q / (sqrt(2π) u h σy)
  // (ISC3 vol. II eq. 1-54) at every height below the lid. By Poisson summation the image sum
  // differs from it by at most 2 exp(-π² σz² / (2 h²)) relatively: 1.6e-3 at σz = 1.2 h
  // (x = 1200 m), 3.0e-5 at σz = 1.5 h (x = 1500 m); at σz = 2 h (x = 2000 m) the code uses the
  // formula itself (switch at σz = 1.6 h, where the difference is 6.4e-6).
  PlumeOptions o;
  o.max_reflections = 20;
  const auto src = passive_stack(60.0);
  const auto met = west_wind('A', 3.0, 10.0, 200.0);
  for (const double x : {1200.0, 1500.0, 2000.0}) {
    const PlumeAt a = plume_at(src, met, x, o);
    const double mixed = 1.0e8 / (std::sqrt(2.0 * std::numbers::pi) * a.u * 200.0 * a.sigma_y);
    const double tol = x < 1300.0 ? 1.7e-3 : (x < 1600.0 ? 3.1e-5 : 1e-12);
    for (const double z : {0.0, 100.0, 190.0}) CHECK(conc(src, met, x, 0.0, z, o) == Approx(mixed).epsilon(tol));
  }
  // Close in, the lid matters little and the concentration exceeds the well-mixed value.
  const PlumeAt a = plume_at(src, met, 300.0, o);
  CHECK(conc(src, met, 300.0, 0.0, 0.0, o) >
        1.0e8 / (std::sqrt(2.0 * std::numbers::pi) * a.u * 200.0 * a.sigma_y));
}

TEST_CASE("a tall stack gives ~0 at the ground close in", "[gaussian]") {
  // H = 200 m, class D: σz(200 m) = 0.06·200/sqrt(1.3) = 10.5 m, exp(-200²/(2·10.5²)) ~ e^-181
  // (clamped at e^-80); the maximum is kilometres away.
  PlumeOptions o;
  const auto src = passive_stack(200.0);
  const auto met = west_wind('D', 5.0, 10.0);
  double cmax = 0.0;
  for (double x = 500.0; x <= 20000.0; x += 500.0) cmax = std::max(cmax, conc(src, met, x, 0.0, 0.0, o));
  CHECK(cmax > 1.0);
  CHECK(conc(src, met, 200.0, 0.0, 0.0, o) < 1e-20 * cmax);
}

TEST_CASE("plume rise reuses the shared Briggs formulas", "[gaussian]") {
  PlumeSource s{"P", 0, 0, 60.0, 3.0, 15.0, 420.0, 50.0};
  const auto met = west_wind('D', 5.0, 60.0);  // u at the stack top = 5 m/s
  PlumeOptions o;
  lantian::emissions::PlumeRiseInput in;
  in.stack_height = 60.0;
  in.diameter = 3.0;
  in.exit_velocity = 15.0;
  in.exit_temperature = 420.0;
  in.wind_speed = 5.0;
  in.ambient_temperature = 293.15;
  in.dtheta_dz = 0.0;
  const auto rise = lantian::emissions::briggs_plume_rise(in);
  CHECK(rise.final_rise > 50.0);
  CHECK(plume_at(s, met, 20.0 * rise.distance_to_final, o).effective_height ==
        Approx(rise.effective_height).epsilon(1e-12));
  CHECK(plume_at(s, met, 100.0, o).effective_height < rise.effective_height);  // gradual rise
  o.gradual_rise = false;
  CHECK(plume_at(s, met, 100.0, o).effective_height == Approx(rise.effective_height).epsilon(1e-12));
}

TEST_CASE("first-order loss, calm hours and required met", "[gaussian]") {
  const auto src = passive_stack(20.0);
  auto met = west_wind('D', 4.0, 20.0);
  PlumeOptions o;
  const double c0 = conc(src, met, 2000.0, 0.0, 0.0, o);
  o.decay_rate = 1e-4;  // exp(-k x / u) = exp(-1e-4 · 2000 / 4) = exp(-0.05) = 0.951229
  CHECK(conc(src, met, 2000.0, 0.0, 0.0, o) / c0 == Approx(0.951229).epsilon(1e-6));
  o.decay_rate = 0.0;
  // Calm: 0.2 m/s is below the 0.5 m/s minimum: computed at 0.5 m/s, flagged.
  met.wind_speed = 0.2;
  CHECK(is_calm(met, o));
  const double calm = conc(src, met, 2000.0, 0.0, 0.0, o);
  met.wind_speed = 0.5;
  CHECK_FALSE(is_calm(met, o));
  CHECK(calm == conc(src, met, 2000.0, 0.0, 0.0, o));
  CHECK(calm == Approx(c0 * 4.0 / 0.5).epsilon(1e-12));  // C ∝ 1/u
  met.stability = 0;
  CHECK_THROWS_WITH(check_met(met, o, "met.csv:3"), Contains("met.csv:3") && Contains("stability"));
  o.dispersion = Dispersion::Turbulence;
  CHECK_THROWS_WITH(check_met(met, o), Contains("ustar"));
  CHECK(parse_dispersion("briggs-urban") == Dispersion::BriggsUrban);
  CHECK_THROWS_WITH(parse_dispersion("pg"), Contains("turbulence"));
}

TEST_CASE("turbulence option: sigmas from u* in neutral air", "[gaussian]") {
  // Neutral (L = +inf), u* = 0.4 m/s, surface release (H = 0), u = 5 m/s at 10 m, z0 = 0.1 m, h = 800 m:
  //   transport wind = mean of the profile over 0.5-5 m (AERMOD, plume at or below 5 m): log law
  //   u(z) = 5 ln(z/z0)/ln(100) = 1.085736 ln(z/z0) down to 7 z0 = 0.7 m, linear below it:
  //   ∫0.5..0.7 = 1.085736 ln 7 (0.7² - 0.5²)/(2·0.7) = 0.362185; ∫0.7..5 = 1.085736 [z ln(z/z0) - z]
  //   = 15.089538; mean 15.451723 / 4.5 = 3.433716 m/s
  //   σv = sqrt(3.6) u* = 0.758947 m/s; u_e = sqrt(3.433716² + 2 σv²) = 3.597556 m/s (meander)
  //   x = 100 m: t = x / u_e = 27.79665 s
  //   σy = σv t / (1 + t/(2 TLy))^0.3, TLy = h/(156 σv) = 6.757004 s (H < z_PG = 0.46 m)
  //      = 21.09599 / 1.398265 = 15.08761 m   (AERMOD MFD eqs. 77-78)
  //   σz = sqrt(2/π) u* t = 8.871408 m  (f = H/h = 0: the surface term; Venkatram 1992)
  // (the code integrates the mean wind by Simpson's rule on each side of 7 z0, hence 1e-5).
  PlumeMet m = west_wind(0, 5.0, 10.0, 800.0);
  m.ustar = 0.4;
  m.L = kInf;
  PlumeOptions o;
  o.dispersion = Dispersion::Turbulence;
  check_met(m, o);
  const PlumeAt a = plume_at(passive_stack(0.0), m, 100.0, o);
  CHECK(a.u == Approx(3.597556).epsilon(1e-5));
  CHECK(a.sigma_y == Approx(15.08761).epsilon(1e-5));
  CHECK(a.sigma_z == Approx(8.871408).epsilon(1e-5));
  // Stable (L = 20 m) narrows σz by (1 + 0.7 x / L)^(-1/3) = 4.5^(-1/3) at the same t... (u
  // differs in stable air, so compare the ratio σz / t).
  m.L = 20.0;
  const PlumeAt b = plume_at(passive_stack(0.0), m, 100.0, o);
  CHECK(b.sigma_z / (100.0 / b.u) == Approx(std::sqrt(2.0 / std::numbers::pi) * 0.4 * std::pow(4.5, -1.0 / 3.0)));
  // Unstable air spreads faster than neutral at the same distance.
  m.L = -20.0;
  CHECK(plume_at(passive_stack(0.0), m, 100.0, o).sigma_z > a.sigma_z);
}

TEST_CASE("contributions are identical on 1 and 2 threads and match the single evaluation", "[gaussian]") {
  std::vector<PlumeSource> sources;
  for (int i = 0; i < 7; ++i)
    sources.push_back(PlumeSource{"s", 300.0 * i, -200.0 * (i % 3), 20.0 + 15.0 * i, 1.0 + 0.3 * i,
                                  8.0 + i, 380.0 + 10.0 * i, 1.0 + i});
  std::vector<PlumeMet> hours;
  const char classes[] = "ABCDEF";
  for (int h = 0; h < 12; ++h) {
    PlumeMet m = west_wind(classes[h % 6], 0.3 + 0.7 * h, 10.0, h % 4 == 0 ? kInf : 300.0 + 100.0 * h);
    m.wind_dir_deg = 30.0 * h;
    hours.push_back(m);
  }
  std::vector<Receptor> receptors;
  for (int j = 0; j < 25; ++j)
    for (int i = 0; i < 25; ++i)
      receptors.push_back(Receptor{"r", -3000.0 + 250.0 * i, -3000.0 + 250.0 * j, 1.5});
  PlumeOptions o;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto c1 = compute_contributions(sources, hours, receptors, o);
  omp_set_num_threads(2);
  const auto c2 = compute_contributions(sources, hours, receptors, o);
  omp_set_num_threads(saved);
  REQUIRE(c1.row_start.size() == 12u * 625u + 1u);
  CHECK(c1.stored() > 0u);
  CHECK(c1.stored() < 12u * 625u * 7u);  // upwind pairs are not stored
  CHECK(c1.row_start == c2.row_start);
  CHECK(c1.source_index == c2.source_index);
  CHECK(c1.values == c2.values);
  CHECK(c1.totals == c2.totals);
  CHECK(c1.calm[0] == 1);  // 0.3 m/s < 0.5
  CHECK(c1.calm[1] == 0);
  double any = 0.0;
  for (const double t : c1.totals) any = std::max(any, t);
  CHECK(any > 0.0);
  CHECK(c1.value(5, 300, 3) == static_cast<float>(plume_concentration(sources[3], hours[5], receptors[300], o)));
  double sum = 0.0;
  for (std::size_t s = 0; s < 7; ++s) sum += plume_concentration(sources[s], hours[5], receptors[300], o);
  CHECK(c1.total(5, 300) == Approx(sum).epsilon(1e-14));
  // Every pair, stored or not, equals the single-pair function (absent = exactly zero).
  std::size_t mismatches = 0;
  for (std::size_t h = 0; h < 12; h += 5)
    for (std::size_t r = 0; r < 625; r += 7)
      for (std::size_t s = 0; s < 7; ++s)
        mismatches += c1.value(h, r, s) != static_cast<float>(plume_concentration(sources[s], hours[h], receptors[r], o));
  CHECK(mismatches == 0u);
  // Scaled emissions: the weighted total equals a run with scaled rates (linearity), to float storage.
  std::vector<double> w{0.0, 0.5, 1.0, 2.0, 0.25, 1.0, 0.1};
  auto scaled = sources;
  for (std::size_t s = 0; s < 7; ++s) scaled[s].rate_g_s *= w[s];
  const auto cs = compute_contributions(scaled, hours, receptors, o);
  double worst = 0.0;
  for (std::size_t h = 0; h < 12; ++h)
    for (std::size_t r = 0; r < 625; ++r)
      worst = std::max(worst, std::abs(c1.weighted_total(h, r, w) - cs.total(h, r)) / std::max(cs.total(h, r), 1e-30));
  CHECK(worst < 1e-6);  // float storage of each contribution: relative 6e-8 each
}
