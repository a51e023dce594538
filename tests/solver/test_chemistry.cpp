// Linear chemistry (solver/chemistry.hpp): the exact exponential solution, conservation of
// sulfur, the rate formula against hand values, night, linearity, thread invariance, the solar
// position against published values and the errors for bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "solver/chemistry.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

const TimeZone kUtc{"UTC"};
/// 2024-12-11 12:00 and 00:00 Beijing time (UTC+8).
const UtcHour kNoon = parse_time("2024-12-11T04:00Z", kUtc);
const UtcHour kMidnight = parse_time("2024-12-11T16:00Z", kUtc);

ChemistryBudget step_once(SpeciesFields& c, const Grid& g, const meteo::MetState& met, const ChemistryParams& p,
                          StepTime time) {
  ChemistryStep step;
  prepare_chemistry(step, g, met, p, time, {0, g.ny()});
  return apply_chemistry(c, step, g, {0, g.ny()});
}

/// Only the dark path of SO2 at k = 5 %/h; nothing else converts.
ChemistryParams dark_sulfate_only() {
  ChemistryParams p;
  p.sulfate = {0.0, 0.05 / 3600.0, 0.0, 0.0};
  p.nitrate = {};
  p.soa = {};
  return p;
}

}  // namespace

TEST_CASE("chemistry integrates first-order conversion exactly", "[chemistry]") {
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kMidnight, 280.0, 50.0);
  const ChemistryParams p = dark_sulfate_only();
  SpeciesFields c = test::varied_state(g);
  const SpeciesFields c0 = c;
  step_once(c, g, met, p, {static_cast<double>(kMidnight), 3600.0});
  // c(1 h) = c0 exp(-0.05); SO4 += 96.06/64.07 c0 (1 - exp(-0.05)).
  const double decay = std::exp(-0.05), ratio = 96.06 / 64.07;
  for (int k = 0; k < g.nz(); ++k)
    for (int j = 0; j < g.ny(); ++j)
      for (int i = 0; i < g.nx(); ++i) {
        const double s0 = c0[index(Species::so2)](i, j, k);
        CHECK(c[index(Species::so2)](i, j, k) == Approx(s0 * decay).epsilon(1e-14));
        CHECK(c[index(Species::so4)](i, j, k) ==
              Approx(c0[index(Species::so4)](i, j, k) + ratio * s0 * (1.0 - decay)).epsilon(1e-14));
        CHECK(c[index(Species::nox)](i, j, k) == c0[index(Species::nox)](i, j, k));  // no nitrate path
      }
  // Exact for constant rates: ten steps of 360 s give the one-hour result.
  SpeciesFields d = c0;
  for (int n = 0; n < 10; ++n) step_once(d, g, met, p, {static_cast<double>(kMidnight) + n / 10.0, 360.0});
  CHECK(d[index(Species::so2)](3, 2, 1) == Approx(c[index(Species::so2)](3, 2, 1)).epsilon(1e-13));
  CHECK(d[index(Species::so4)](3, 2, 1) == Approx(c[index(Species::so4)](3, 2, 1)).epsilon(1e-13));
}

TEST_CASE("chemistry conserves sulfur and reports the mass converted", "[chemistry]") {
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kNoon, 276.15, 90.0);
  const ChemistryParams p;  // the defaults, daytime, humid
  SpeciesFields c = test::varied_state(g, 40.0);
  const SpeciesFields c0 = c;
  const ChemistryBudget b = step_once(c, g, met, p, {static_cast<double>(kNoon), 600.0});
  const double so2_lost = test::mass(c0[index(Species::so2)], g) - test::mass(c[index(Species::so2)], g);
  const double so4_gained = test::mass(c[index(Species::so4)], g) - test::mass(c0[index(Species::so4)], g);
  REQUIRE(so2_lost > 0.0);
  // Moles of S: SO2 lost x 96.06/64.07 = SO4 gained.
  CHECK(so4_gained == Approx(so2_lost * 96.06 / 64.07).epsilon(1e-12));
  CHECK(b.so2_lost == Approx(so2_lost).epsilon(1e-12));
  CHECK(b.so4_formed == Approx(so4_gained).epsilon(1e-12));
  // Nitrate and SOA: the product is ratio x yield of the precursor lost.
  const double nox_lost = test::mass(c0[index(Species::nox)], g) - test::mass(c[index(Species::nox)], g);
  const double no3_gained = test::mass(c[index(Species::no3)], g) - test::mass(c0[index(Species::no3)], g);
  CHECK(no3_gained == Approx(nox_lost * 62.00 / 46.01 * nitrate_particle_fraction(276.15, p)).epsilon(1e-12));
  CHECK(b.no3_formed == Approx(no3_gained).epsilon(1e-12));
  const double voc_lost = test::mass(c0[index(Species::voc)], g) - test::mass(c[index(Species::voc)], g);
  const double soa_gained = test::mass(c[index(Species::soa)], g) - test::mass(c0[index(Species::soa)], g);
  CHECK(soa_gained == Approx(voc_lost * soa_yield(276.15, p)).epsilon(1e-12));
}

TEST_CASE("conversion rates follow the humidity, temperature and light formulas", "[chemistry]") {
  const ChemistryParams p;
  const double per_h = 1.0 / 3600.0;
  // Aerosol water factor g(RH), W(a) = a/(1-a): W(0.6) = 1.5, W(0.8) = 4, W(0.9) = 9, W(0.95) = 19.
  CHECK(aerosol_water_factor(50.0, p) == 0.0);
  CHECK(aerosol_water_factor(60.0, p) == 0.0);
  CHECK(aerosol_water_factor(80.0, p) == Approx((4.0 - 1.5) / (9.0 - 1.5)).epsilon(1e-14));
  CHECK(aerosol_water_factor(90.0, p) == Approx(1.0).epsilon(1e-14));
  CHECK(aerosol_water_factor(99.0, p) == Approx((19.0 - 1.5) / 7.5).epsilon(1e-12));  // capped at 95 %
  // SO2 at night (mu = 0) and 298.15 K: RH 90 % -> k_dark + k_het = 3.2 %/h; RH 50 % -> 0.2 %/h.
  CHECK(conversion_rate(p.sulfate, 0.0, 90.0, 298.15, p) == Approx(0.032 * per_h).epsilon(1e-14));
  CHECK(conversion_rate(p.sulfate, 0.0, 50.0, 298.15, p) == Approx(0.002 * per_h).epsilon(1e-14));
  // RH 80 %, 273.15 K: 0.2 + 3 x (1/3) x exp(3145 (1/273.15 - 1/298.15)) = 0.2 + 2.6259390 %/h.
  CHECK(conversion_rate(p.sulfate, 0.0, 80.0, 273.15, p) == Approx((0.002 + 0.03 * 2.6259390311 / 3.0) * per_h).epsilon(1e-9));
  // Daylight: mu = 0.5 adds half of k_photo; a sun below the horizon (mu < 0) adds nothing.
  CHECK(conversion_rate(p.nitrate, 0.5, 50.0, 290.0, p) == Approx((0.10 + 0.02) * per_h).epsilon(1e-14));
  CHECK(conversion_rate(p.nitrate, -0.4, 50.0, 290.0, p) == Approx(0.02 * per_h).epsilon(1e-14));
  // Nitrate particulate fraction (Mozurkewich 1993): 1/2 at T50; 0.99118 at 276.15 K; 0.07442 at 303.15 K.
  CHECK(nitrate_particle_fraction(293.15, p) == Approx(0.5).epsilon(1e-14));
  CHECK(nitrate_particle_fraction(276.15, p) == Approx(0.9911786714).epsilon(1e-9));
  CHECK(nitrate_particle_fraction(303.15, p) == Approx(0.0744153521).epsilon(1e-8));
  // SOA yield: 3 % at 298.15 K, 3 % x exp(42000/8.314462618 (1/276.15 - 1/298.15)) = 11.5695 % at 276.15 K.
  CHECK(soa_yield(298.15, p) == Approx(0.03).epsilon(1e-14));
  CHECK(soa_yield(276.15, p) == Approx(0.1156954888).epsilon(1e-9));
}

TEST_CASE("solar zenith angle agrees with published values", "[chemistry]") {
  // NREL SPA (Reda & Andreas 2004, NREL/TP-560-34302, example of §A.5): 2003-10-17 12:30:30
  // local (UTC-7) at 39.742476 N, 105.1786 W: topocentric zenith 50.11162°, refracted at 820 hPa
  // and 11 °C by SPA's formula (eq. 42) 1.02/(60 tan(e + 10.3/(e + 5.11))) x (820/1010) x
  // (283/284) = 0.01633° at e = 39.87°. Unrefracted: 50.12795°; the remaining differences
  // (parallax 0.002°, the algorithm's ~0.01°) are within 0.01°.
  const double t = static_cast<double>(parse_time("2003-10-17T19:00Z", kUtc)) + 30.5 / 60.0;
  const double zenith = std::acos(cos_solar_zenith(t, -105.1786, 39.742476)) * 180.0 / std::numbers::pi;
  CHECK(zenith == Approx(50.11162 + 0.01633).margin(0.01));
  // Beijing (116.4 E, 39.9 N) at the June solstice 2024 (20 June 20:51 UTC, declination
  // = obliquity 23.436°): the smallest zenith of 21 June (minute steps) is 39.9 - 23.436 = 16.464° (the
  // declination moves < 0.01° that day; a minute off noon adds < 0.001°).
  double best = 180.0;
  const double day = static_cast<double>(parse_time("2024-06-21T00:00Z", kUtc));
  for (int m = 0; m < 24 * 60; ++m)
    best = std::min(best, std::acos(cos_solar_zenith(day + m / 60.0, 116.4, 39.9)) * 180.0 / std::numbers::pi);
  CHECK(best == Approx(39.9 - 23.436).margin(0.01));
  // Night: Beijing at local midnight in December has the sun below the horizon.
  CHECK(cos_solar_zenith(static_cast<double>(kMidnight), 116.4, 39.9) < 0.0);
}

TEST_CASE("photochemical conversion stops at night", "[chemistry]") {
  const Grid g = test::beijing_grid();
  ChemistryParams p;
  for (ConversionRate* r : {&p.sulfate, &p.nitrate, &p.soa}) r->k_dark = r->k_het = 0.0;  // light only
  ChemistryStep step;
  prepare_chemistry(step, g, test::uniform_met(g, kMidnight, 280.0, 95.0), p, {static_cast<double>(kMidnight), 600.0},
                    {0, g.ny()});
  for (int k = 0; k < g.nz(); ++k)
    for (int j = 0; j < g.ny(); ++j)
      for (int i = 0; i < g.nx(); ++i) {
        CHECK(step.so2_loss(i, j, k) == 0.0);
        CHECK(step.nox_loss(i, j, k) == 0.0);
        CHECK(step.voc_loss(i, j, k) == 0.0);
      }
  // At noon the same parameters convert: NOx loss = 1 - exp(-0.2/h x mu x 600 s), mu at the cell.
  prepare_chemistry(step, g, test::uniform_met(g, kNoon, 280.0, 95.0), p, {static_cast<double>(kNoon), 600.0}, {0, g.ny()});
  const LonLat ll = g.lonlat(2, 1);
  const double mu = cos_solar_zenith(static_cast<double>(kNoon) + 300.0 / 3600.0, ll.lon, ll.lat);
  CHECK(mu > 0.3);  // December noon at 40 N: elevation ~ 27°
  CHECK(step.nox_loss(2, 1, 0) == Approx(-std::expm1(-0.2 / 3600.0 * mu * 600.0)).epsilon(1e-14));
}

TEST_CASE("chemistry is linear in the concentrations", "[chemistry]") {
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kNoon, 276.15, 85.0);
  const ChemistryParams p;
  ChemistryStep step;
  prepare_chemistry(step, g, met, p, {static_cast<double>(kNoon), 900.0}, {0, g.ny()});
  SpeciesFields c1 = test::varied_state(g, 10.0), c2 = test::varied_state(g, 3.0);
  c2[index(Species::so2)](1, 1, 1) = 77.0;  // make c2 not proportional to c1
  const double a = 2.5, b = 0.75;
  SpeciesFields mix = c1;
  for (Species s : kAllSpecies)
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i)
          mix[index(s)](i, j, k) = a * c1[index(s)](i, j, k) + b * c2[index(s)](i, j, k);
  apply_chemistry(c1, step, g, {0, g.ny()});
  apply_chemistry(c2, step, g, {0, g.ny()});
  apply_chemistry(mix, step, g, {0, g.ny()});
  for (Species s : kAllSpecies)
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i)
          CHECK(mix[index(s)](i, j, k) ==
                Approx(a * c1[index(s)](i, j, k) + b * c2[index(s)](i, j, k)).epsilon(1e-14));
}

TEST_CASE("chemistry gives identical results on 1 and 2 threads and by row blocks", "[chemistry]") {
  const Grid g = test::beijing_grid(17, 13);
  const meteo::MetState met = test::uniform_met(g, kNoon, 276.15, 88.0);
  const ChemistryParams p;
  SpeciesFields c1 = test::varied_state(g), c2 = c1, c3 = c1;
  ChemistryBudget b1, b2;
  test::with_threads(1, [&] { b1 = step_once(c1, g, met, p, {static_cast<double>(kNoon), 600.0}); });
  test::with_threads(2, [&] { b2 = step_once(c2, g, met, p, {static_cast<double>(kNoon), 600.0}); });
  // Two row blocks (tiles) give the same fields.
  ChemistryStep step;
  prepare_chemistry(step, g, met, p, {static_cast<double>(kNoon), 600.0}, {0, 6});
  prepare_chemistry(step, g, met, p, {static_cast<double>(kNoon), 600.0}, {6, g.ny()});
  apply_chemistry(c3, step, g, {6, g.ny()});
  apply_chemistry(c3, step, g, {0, 6});
  for (Species s : kAllSpecies) {
    const auto& f1 = c1[index(s)];
    CHECK(std::equal(f1.data(), f1.data() + f1.size(), c2[index(s)].data()));
    CHECK(std::equal(f1.data(), f1.data() + f1.size(), c3[index(s)].data()));
  }
  CHECK(b1.so2_lost == b2.so2_lost);
  CHECK(b1.soa_formed == b2.soa_formed);
}

TEST_CASE("chemistry names the process, time and cell of a bad value", "[chemistry]") {
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kNoon, 276.15, 80.0);
  ChemistryStep step;
  prepare_chemistry(step, g, met, ChemistryParams{}, {static_cast<double>(kNoon) + 0.25, 300.0}, {0, g.ny()});
  SpeciesFields c = test::varied_state(g);
  c[index(Species::so2)](3, 2, 1) = std::nan("");
  REQUIRE_THROWS_AS(apply_chemistry(c, step, g, {0, g.ny()}), Error);
  try {
    SpeciesFields d = test::varied_state(g);
    d[index(Species::nox)](1, 3, 0) = -1e-3;
    apply_chemistry(d, step, g, {0, g.ny()});
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Contains("chemistry") && Contains("2024-12-11T04:00:00Z + 900 s") &&
                             Contains("NOx at cell (i=1, j=3, k=0)") && Contains("-0.001"));
  }
  CHECK_THROWS_WITH(apply_chemistry(c, step, g, {0, g.ny()}), Contains("SO2 at cell (i=3, j=2, k=1) is nan"));
  // Bad meteorology is named too.
  meteo::MetState bad = met;
  bad.rh(4, 0, 2) = std::nan("");
  CHECK_THROWS_WITH(prepare_chemistry(step, g, bad, ChemistryParams{}, {static_cast<double>(kNoon), 300.0}, {0, g.ny()}),
                    Contains("relative humidity (%) at cell (i=4, j=0, k=2)"));
  ChemistryParams wrong;
  wrong.rh_reference = 50.0;
  CHECK_THROWS_WITH(wrong.validate(), Contains("chemistry.rh_reference"));
}
