// Dry deposition and wet scavenging (solver/deposition.hpp): exact exponential decay, the
// aerodynamic resistance and Λ = a P^b against hand values, mass conservation (removed +
// remaining = initial), thread invariance and the errors for bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "solver/deposition.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

const UtcHour kHour = parse_time("2024-12-11T04:00Z", TimeZone{"UTC"});
constexpr double kInf = std::numeric_limits<double>::infinity();

DepositionBudget deposit(SpeciesFields& c, const Grid& g, const meteo::MetState& met, const DepositionParams& p, double dt,
                         DepositionMaps* maps = nullptr) {
  DepositionStep step;
  prepare_deposition(step, g, met, p, {static_cast<double>(kHour), dt}, {0, g.ny()});
  return apply_deposition(c, step, g, {0, g.ny()}, maps);
}

}  // namespace

TEST_CASE("dry deposition decays the surface layer exactly and conserves mass", "[deposition]") {
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kHour, 280.0, 60.0);
  const DepositionParams p;  // constant velocities, no rain
  SpeciesFields c = test::varied_state(g);
  const SpeciesFields c0 = c;
  DepositionMaps maps;
  const DepositionBudget b = deposit(c, g, met, p, 3600.0, &maps);
  // SO2: vd = 0.5 cm/s over Δz0 = 50 m: c = c0 exp(-0.005 x 3600 / 50) = c0 exp(-0.36).
  const double decay = std::exp(-0.36);
  for (int j = 0; j < g.ny(); ++j)
    for (int i = 0; i < g.nx(); ++i) {
      const double s0 = c0[index(Species::so2)](i, j, 0);
      CHECK(c[index(Species::so2)](i, j, 0) == Approx(s0 * decay).epsilon(1e-14));
      CHECK(c[index(Species::so2)](i, j, 1) == c0[index(Species::so2)](i, j, 1));  // only the surface layer
      CHECK(maps.dry[index(Species::so2)](i, j) == Approx(s0 * (1.0 - decay) * 50.0).epsilon(1e-13));  // µg/m²
    }
  for (Species s : kAllSpecies) {
    const double m0 = test::mass(c0[index(s)], g), m1 = test::mass(c[index(s)], g);
    INFO(species_name(s));
    CHECK(b.dry[index(s)] > 0.0);
    CHECK(b.wet[index(s)] == 0.0);
    CHECK(m1 + b.dry[index(s)] == Approx(m0).epsilon(1e-14));  // deposited + remaining = initial
  }
}

TEST_CASE("the aerodynamic resistance follows Monin-Obukhov similarity", "[deposition]") {
  // z = 25 m (centre of a 50 m surface layer), z0 = 0.5 m, u* = 0.3 m/s, κ = 0.4:
  //   neutral  Ra = ln(50)/0.12 = 32.600192 s/m
  //   L = 100  Ra = (ln 50 + 5 x 0.25 - 5 x 0.005)/0.12 = 42.808525
  //   L = -50  Ra = (ln 50 - 2 ln((1 + 3)/2) + 2 ln((1 + sqrt(1.16))/2))/0.12 = 21.677626
  CHECK(aerodynamic_resistance(25.0, 0.5, 0.3, kInf) == Approx(32.60019171190122).epsilon(1e-13));
  CHECK(aerodynamic_resistance(25.0, 0.5, 0.3, 100.0) == Approx(42.80852504523455).epsilon(1e-13));
  CHECK(aerodynamic_resistance(25.0, 0.5, 0.3, -50.0) == Approx(21.677625934852053).epsilon(1e-13));
  CHECK(aerodynamic_resistance(25.0, 0.5, 0.0, kInf) == kInf);
  // In resistance mode SO2 deposits at 1/(Ra + 1/0.005) = 1/(32.600192 + 200) m/s.
  const Grid g = test::beijing_grid();
  const meteo::MetState met = test::uniform_met(g, kHour, 280.0, 60.0);  // u* 0.3, neutral
  DepositionParams p;
  p.use_resistance = true;
  p.z0 = 0.5;
  DepositionStep step;
  prepare_deposition(step, g, met, p, {static_cast<double>(kHour), 600.0}, {0, g.ny()});
  const double vd = 1.0 / (32.60019171190122 + 200.0);
  CHECK(step.velocity[index(Species::so2)](1, 1) == Approx(vd).epsilon(1e-13));
  CHECK(step.surface_loss[index(Species::so2)](1, 1) == Approx(-std::expm1(-vd / 50.0 * 600.0)).epsilon(1e-12));
  // dry = false (the diffusion applies vd): no loss here, the velocity still given.
  p.dry = false;
  prepare_deposition(step, g, met, p, {static_cast<double>(kHour), 600.0}, {0, g.ny()});
  CHECK(step.surface_loss[index(Species::so2)](1, 1) == 0.0);
  CHECK(step.velocity[index(Species::so2)](1, 1) == Approx(vd).epsilon(1e-13));
}

TEST_CASE("wet scavenging follows a P^b and conserves mass", "[deposition]") {
  const Grid g = test::beijing_grid();
  meteo::MetState met = test::uniform_met(g, kHour, 280.0, 95.0);
  met.precip.fill(0.0);
  met.precip(2, 1) = 4.0;  // mm/h in one column
  DepositionParams p;
  // Λ(PM) = 8.4e-5 x 4^0.79 = 2.5113467e-4 1/s; Λ(SO2) = 3e-5 x 4 = 1.2e-4 1/s.
  CHECK(scavenging_coefficient(Species::ppm25, 4.0, p) == Approx(2.5113467377066965e-4).epsilon(1e-13));
  CHECK(scavenging_coefficient(Species::so2, 4.0, p) == Approx(1.2e-4).epsilon(1e-14));
  CHECK(scavenging_coefficient(Species::voc, 4.0, p) == 0.0);
  CHECK(scavenging_coefficient(Species::ppm25, 0.0, p) == 0.0);
  SpeciesFields c = test::varied_state(g);
  const SpeciesFields c0 = c;
  DepositionMaps maps;
  const DepositionBudget b = deposit(c, g, met, p, 1800.0, &maps);
  const double lambda = 2.5113467377066965e-4, kd = 0.0015 / 50.0;
  const auto& pm = c[index(Species::ppm25)];
  const auto& pm0 = c0[index(Species::ppm25)];
  // Above the surface layer: c0 exp(-Λ dt); in it: c0 exp(-(kd + Λ) dt), split dry : wet = kd : Λ.
  CHECK(pm(2, 1, 2) == Approx(pm0(2, 1, 2) * std::exp(-lambda * 1800.0)).epsilon(1e-13));
  CHECK(pm(2, 1, 0) == Approx(pm0(2, 1, 0) * std::exp(-(kd + lambda) * 1800.0)).epsilon(1e-13));
  CHECK(pm(3, 1, 2) == pm0(3, 1, 2));  // no rain there
  const double removed0 = pm0(2, 1, 0) * (1.0 - std::exp(-(kd + lambda) * 1800.0)) * 50.0;
  CHECK(maps.dry[index(Species::ppm25)](2, 1) == Approx(removed0 * kd / (kd + lambda)).epsilon(1e-12));
  // Mass: dry + wet + remaining = initial, per species; the maps add up to the budget.
  for (Species s : kAllSpecies) {
    INFO(species_name(s));
    const double m0 = test::mass(c0[index(s)], g), m1 = test::mass(c[index(s)], g);
    CHECK(m1 + b.dry[index(s)] + b.wet[index(s)] == Approx(m0).epsilon(1e-14));
    double map_wet = 0.0;
    for (int j = 0; j < g.ny(); ++j)
      for (int i = 0; i < g.nx(); ++i) map_wet += maps.wet[index(s)](i, j) * g.cell_area();
    CHECK(map_wet == Approx(b.wet[index(s)]).epsilon(1e-13).margin(1e-300));
  }
  CHECK(b.wet[index(Species::voc)] == 0.0);
  CHECK(b.wet[index(Species::so4)] > 0.0);
  // wet_top below the second layer's centre (100 m) limits rain-out to the surface layer.
  p.wet_top = 60.0;
  SpeciesFields d = c0;
  deposit(d, g, met, p, 1800.0);
  CHECK(d[index(Species::ppm25)](2, 1, 1) == c0[index(Species::ppm25)](2, 1, 1));
  CHECK(d[index(Species::ppm25)](2, 1, 0) == Approx(pm(2, 1, 0)).epsilon(1e-14));
}

TEST_CASE("deposition is linear, thread-invariant and names bad input", "[deposition]") {
  const Grid g = test::beijing_grid(11, 9);
  meteo::MetState met = test::uniform_met(g, kHour, 280.0, 95.0);
  met.precip.fill(1.5);
  DepositionParams p;
  p.use_resistance = true;
  SpeciesFields c1 = test::varied_state(g), c2 = c1, half = c1;
  for (auto& f : half)
    for (std::size_t q = 0; q < f.size(); ++q) f.data()[q] *= 0.5;
  DepositionBudget b1, b2, bh;
  test::with_threads(1, [&] { b1 = deposit(c1, g, met, p, 900.0); });
  test::with_threads(2, [&] { b2 = deposit(c2, g, met, p, 900.0); });
  bh = deposit(half, g, met, p, 900.0);
  for (Species s : kAllSpecies) {
    const auto& f = c1[index(s)];
    CHECK(std::equal(f.data(), f.data() + f.size(), c2[index(s)].data()));
    CHECK(b1.dry[index(s)] == b2.dry[index(s)]);
    CHECK(b1.wet[index(s)] == b2.wet[index(s)]);
    CHECK(half[index(s)](4, 3, 0) == Approx(0.5 * f(4, 3, 0)).epsilon(1e-15));  // linear
    CHECK(bh.wet[index(s)] == Approx(0.5 * b1.wet[index(s)]).epsilon(1e-14).margin(1e-300));
  }
  SpeciesFields bad = test::varied_state(g);
  bad[index(Species::pmc)](5, 6, 0) = -2.0;
  CHECK_THROWS_WITH(deposit(bad, g, met, p, 900.0),
                    Contains("deposition at 2024-12-11T04:00:00Z") && Contains("PMC at cell (i=5, j=6, k=0) is -2"));
  met.precip(7, 2) = std::nan("");
  SpeciesFields ok = test::varied_state(g);
  CHECK_THROWS_WITH(deposit(ok, g, met, p, 900.0), Contains("precipitation (mm/h) at cell (i=7, j=2, k=0) is nan"));
  DepositionParams wrong;
  wrong.dry_velocity[index(Species::nh3)] = -0.01;
  CHECK_THROWS_WITH(wrong.validate(), Contains("deposition.dry_velocity[NH3]"));
}
