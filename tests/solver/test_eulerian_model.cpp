// The assembled Eulerian model (solver/eulerian_model.hpp): closed-box conservation, the open
// domain's budget, sulfur conservation through chemistry, linearity in emissions, tag additivity,
// thread invariance and bad input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "solver/eulerian_model.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using lantian::emissions::EmissionRates;
using Catch::Matchers::Contains;

namespace {

constexpr UtcHour kStart = 481112;  // 2024-11-19T08:00Z (16:00 in Beijing: low sun, photochemistry on)

/// 24 x 20 cells of 3 km, 6 layers up to 1500 m.
Grid model_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  s.nx = 24, s.ny = 20, s.dx = 3000.0, s.dy = 3000.0, s.x0 = -36000.0, s.y0 = -30000.0;
  s.layer_tops = {50.0, 150.0, 300.0, 600.0, 1000.0, 1500.0};
  return Grid(s);
}

/// Uniform wind (u, v), Kz on the interior faces, T = 275 K, RH 85 %, optional rain.
meteo::MetState met(const Grid& g, UtcHour t, double u, double v, double kz, double rain = 0.0) {
  meteo::MetState m = test::uniform_met(g, t, 275.0, 85.0);
  m.u.fill(u);
  m.v.fill(v);
  m.kz.fill(kz);
  m.precip.fill(rain);
  return m;
}

/// Rates of zero everywhere.
EmissionRates no_rates(const Grid& g) {
  EmissionRates e;
  for (auto& r : e.rate) r = Field3D<double>(g.nx(), g.ny(), g.nz());
  return e;
}

/// A city source at the surface and a stack in layer 2 (µg/s per cell), scaled by `f`.
EmissionRates city(const Grid& g, int i, int j, double f) {
  EmissionRates e = no_rates(g);
  for (Species s : {Species::so2, Species::nox, Species::voc, Species::nh3, Species::ppm25, Species::pmc}) {
    const double base = f * (1.0e6 + 2.0e5 * static_cast<double>(index(s)));
    e.rate[index(s)](i, j, 0) = base;
    e.rate[index(s)](i + 1, j, 0) = 0.5 * base;
    e.rate[index(s)](i, j + 1, 2) = 2.0 * base;
  }
  return e;
}

EmissionRates sum(const EmissionRates& a, const EmissionRates& b) {
  EmissionRates e = a;
  for (std::size_t s = 0; s < kSpeciesCount; ++s)
    for (int k = 0; k < a.rate[s].nz(); ++k)
      for (int j = 0; j < a.rate[s].ny(); ++j)
        for (int i = 0; i < a.rate[s].nx(); ++i) e.rate[s](i, j, k) += b.rate[s](i, j, k);
  return e;
}

double max_abs(const Field3D<double>& c) {
  double m = 0.0;
  for (int k = 0; k < c.nz(); ++k)
    for (int j = 0; j < c.ny(); ++j)
      for (int i = 0; i < c.nx(); ++i) m = std::max(m, std::abs(c(i, j, k)));
  return m;
}

double min_interior(const Field3D<double>& c) {
  double m = std::numeric_limits<double>::infinity();
  for (int k = 0; k < c.nz(); ++k)
    for (int j = 0; j < c.ny(); ++j)
      for (int i = 0; i < c.nx(); ++i) m = std::min(m, c(i, j, k));
  return m;
}

/// A windy, diffusive, reactive, depositing, raining run with three tags: 0 the boundary
/// (regional background inflow), 1 the city, 2 a second town.
/// tags = false: the same case without tags.
EulerianModel tagged_run(int hours, bool tags = true) {
  const Grid g = model_grid();
  EulerianConfig cfg;
  cfg.kh = 300.0;
  cfg.n_tags = tags ? 3 : 0;
  cfg.boundary_tag = tags ? 0 : -1;
  PerSpecies background{};
  background[index(Species::so2)] = 8.0;
  background[index(Species::ppm25)] = 20.0;
  background[index(Species::so4)] = 6.0;
  background[index(Species::nox)] = 12.0;
  auto boundary = std::make_shared<ConstantBoundary>(g, background);
  EulerianModel m(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()), {}, boundary);
  const EmissionRates a = city(g, 6, 8, 1.0), b = city(g, 15, 4, 0.3);
  const EmissionRates total = sum(a, b);
  const std::vector<EmissionRates> per_tag =
      tags ? std::vector<EmissionRates>{EmissionRates{}, a, b} : std::vector<EmissionRates>{};
  for (int h = 0; h < hours; ++h) {
    const UtcHour t = kStart + h;
    m.advance(met(g, t, 4.0 + 0.5 * h, -2.0 + 1.5 * h, 20.0, h == 1 ? 1.5 : 0.0), total, per_tag, t);
  }
  return m;
}

}  // namespace

TEST_CASE("closed box: mass = initial + emitted, positive", "[eulerian-model]") {
  const Grid g = model_grid();
  EulerianConfig cfg;
  cfg.chemistry = false;
  cfg.deposition = false;
  cfg.kh = 500.0;
  EulerianModel m(g, cfg, test::varied_state(g, 5.0));
  PerSpecies m0{};
  for (Species s : kAllSpecies) m0[index(s)] = m.mass(s);
  const EmissionRates e = city(g, 10, 10, 1000.0);  // emitted mass ~ the initial mass
  PerSpecies emitted{};
  for (int h = 0; h < 4; ++h) {
    m.advance(met(g, kStart + h, 0.0, 0.0, 30.0), e, {}, kStart + h);
    for (std::size_t s = 0; s < kSpeciesCount; ++s) emitted[s] += m.budgets().back().emitted[s];
  }
  for (Species s : kAllSpecies) {
    INFO(species_name(s) << ": mass " << m.mass(s) << ", initial " << m0[index(s)] << " + emitted " << emitted[index(s)]);
    CHECK(std::abs(m.mass(s) - (m0[index(s)] + emitted[index(s)])) <= 1e-12 * (m0[index(s)] + emitted[index(s)]));
    CHECK(min_interior(m.field(s)) >= 0.0);
  }
  // Emissions reached the upper layers through Kz.
  CHECK(m.field(Species::ppm25)(10, 10, 3) > test::varied_state(g, 5.0)[index(Species::ppm25)](10, 10, 3));
  // One hour emits rate × 3600 s.
  CHECK(m.budgets()[0].emitted[index(Species::so2)] == Approx(3.5e9 * 3600.0).epsilon(1e-12));
}

TEST_CASE("open domain with uniform wind and zero inflow: the budget closes", "[eulerian-model]") {
  const Grid g = model_grid();
  EulerianConfig cfg;
  cfg.kh = 300.0;
  EulerianModel m(g, cfg, test::varied_state(g, 5.0));
  m.set_stations({{3, 3}, {12, 10}});
  const EmissionRates e = city(g, 8, 8, 1.0);
  for (int h = 0; h < 5; ++h) {
    // Hour 4: a 25 m/s gale, Courant 2.5 per half step: the advection sub-steps.
    m.advance(met(g, kStart + h, h == 4 ? 25.0 : 6.0, 3.0, 15.0, h == 2 ? 2.0 : 0.0), e, {}, kStart + h);
    const HourBudget& b = m.budgets().back();
    for (Species s : kAllSpecies) {
      const double scale = std::max(b.mass_before[index(s)], b.mass_after[index(s)]) + b.emitted[index(s)];
      INFO("hour " << h << " " << species_name(s) << ": residual " << b.residual(s) << " of " << scale);
      CHECK(std::abs(b.residual(s)) <= 1e-10 * scale);
    }
    CHECK(m.budget_residual() == b.max_residual());
  }
  const HourBudget& b = m.budgets().back();
  const auto p = index(Species::ppm25);
  CHECK(b.outflow[static_cast<std::size_t>(Side::east)][p] > 0.0);
  CHECK(b.outflow[static_cast<std::size_t>(Side::north)][p] > 0.0);
  CHECK(b.inflow[static_cast<std::size_t>(Side::west)][p] == 0.0);  // zero inflow
  CHECK(b.dry_deposited[p] > 0.0);
  CHECK(m.budgets()[2].wet_deposited[p] > 0.0);
  CHECK(b.chemistry[index(Species::so4)] > 0.0);  // the SO4 formed
  REQUIRE(m.station_series().size() == 2);
  CHECK(m.station_series()[0].size() == 5);
  CHECK(m.station_series()[1].back() == m.surface_pm25(12, 10));
  for (Species s : kAllSpecies) CHECK(min_interior(m.field(s)) >= 0.0);
}

TEST_CASE("chemistry in a closed box conserves sulfur", "[eulerian-model]") {
  const Grid g = model_grid();
  EulerianConfig cfg;
  cfg.deposition = false;
  cfg.emissions = false;
  cfg.kh = 200.0;
  EulerianModel m(g, cfg, test::varied_state(g, 20.0));
  auto sulfur = [&] { return m.mass(Species::so2) + m.mass(Species::so4) * kMolarMassSO2 / kMolarMassSO4; };
  const double s0 = sulfur(), so2_0 = m.mass(Species::so2);
  for (int h = 0; h < 6; ++h) m.advance(met(g, kStart + h, 0.0, 0.0, 25.0), no_rates(g), {}, kStart + h);
  INFO("sulfur (as SO2) " << s0 << " -> " << sulfur() << "; SO2 " << so2_0 << " -> " << m.mass(Species::so2));
  CHECK(m.mass(Species::so2) < 0.95 * so2_0);  // the conversion did happen
  CHECK(std::abs(sulfur() - s0) <= 1e-12 * s0);
  for (const auto& b : m.budgets()) CHECK(b.max_residual() <= 1e-12 * b.mass_before[index(Species::so4)] * 10.0);
}

TEST_CASE("doubling the emissions doubles every concentration", "[eulerian-model]") {
  const Grid g = model_grid();
  EulerianConfig cfg;
  cfg.kh = 300.0;
  EulerianModel m1(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()));
  EulerianModel m2(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()));
  const EmissionRates e1 = city(g, 7, 9, 1.0), e2 = city(g, 7, 9, 2.0);
  for (int h = 0; h < 4; ++h) {
    const auto w = met(g, kStart + h, 5.0, -2.5 + h, 20.0, h == 1 ? 1.0 : 0.0);
    m1.advance(w, e1, {}, kStart + h);
    m2.advance(w, e2, {}, kStart + h);
  }
  for (Species s : kAllSpecies) {
    const auto& a = m1.field(s);
    const auto& b = m2.field(s);
    const double scale = max_abs(b);
    double worst = 0.0;
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i) worst = std::max(worst, std::abs(b(i, j, k) - 2.0 * a(i, j, k)));
    INFO(species_name(s) << ": largest |c(2E) − 2 c(E)| " << worst << " of " << scale);
    CHECK(worst <= 1e-12 * scale);
  }
  CHECK(max_abs(m1.field(Species::so4)) > 0.0);
}

TEST_CASE("tags add up to the total with wind, diffusion, chemistry, deposition and inflow", "[eulerian-model]") {
  const EulerianModel m = tagged_run(4);
  const Grid& g = m.grid();
  for (Species s : kAllSpecies) {
    const auto& total = m.field(s);
    const double scale = max_abs(total);
    double worst = 0.0;
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i) {
          double sum = 0.0;
          for (const auto& t : m.tags()) sum += t[index(s)](i, j, k);
          worst = std::max(worst, std::abs(sum - total(i, j, k)));
        }
    INFO(species_name(s) << ": largest |Σ tags − total| " << worst << " of " << scale);
    CHECK(worst <= 1e-12 * scale);
    for (const auto& t : m.tags()) CHECK(min_interior(t[index(s)]) >= 0.0);
  }
  // Each tag holds something: the background came in, both sources emitted.
  CHECK(m.surface_pm25_tag(0, 1, 10) > 0.0);
  CHECK(m.surface_pm25_tag(1, 7, 8) > 0.0);
  CHECK(m.surface_pm25_tag(2, 16, 4) > 0.0);
  CHECK(m.surface_pm25_tag(0, 1, 10) + m.surface_pm25_tag(1, 1, 10) + m.surface_pm25_tag(2, 1, 10) ==
        Approx(m.surface_pm25(1, 10)).epsilon(1e-12));
  for (const auto& b : m.budgets()) {
    CHECK(b.inflow[static_cast<std::size_t>(Side::west)][index(Species::ppm25)] > 0.0);
    for (Species s : kAllSpecies) {
      const double scale = b.mass_after[index(s)] + b.emitted[index(s)] + b.inflow[0][index(s)];
      CHECK(std::abs(b.residual(s)) <= 1e-10 * scale);
    }
  }
}

TEST_CASE("1 and 2 threads give bitwise identical fields, tags and budgets", "[eulerian-model]") {
  std::unique_ptr<EulerianModel> a, b;
  test::with_threads(1, [&] { a = std::make_unique<EulerianModel>(tagged_run(2)); });
  test::with_threads(2, [&] { b = std::make_unique<EulerianModel>(tagged_run(2)); });
  for (Species s : kAllSpecies) {
    const auto& fa = a->field(s);
    const auto& fb = b->field(s);
    CHECK(std::memcmp(fa.data(), fb.data(), fa.size() * sizeof(double)) == 0);
    for (std::size_t t = 0; t < a->tags().size(); ++t) {
      const auto& ta = a->tags()[t][index(s)];
      const auto& tb = b->tags()[t][index(s)];
      CHECK(std::memcmp(ta.data(), tb.data(), ta.size() * sizeof(double)) == 0);
    }
  }
  REQUIRE(a->budgets().size() == b->budgets().size());
  for (std::size_t h = 0; h < a->budgets().size(); ++h)
    CHECK(std::memcmp(&a->budgets()[h], &b->budgets()[h], sizeof(HourBudget)) == 0);
}

TEST_CASE("tags leave the total as the untagged run has it, bitwise", "[eulerian-model]") {
  // The tagged paths (layer-by-layer horizontal advection, one vertical diffusion call for all
  // fields, the tag kernels of chemistry and deposition) give the total every operation the
  // untagged run gives it.
  const EulerianModel tagged = tagged_run(2);
  const EulerianModel plain = tagged_run(2, false);
  for (Species s : kAllSpecies) {
    const auto& a = tagged.field(s);
    const auto& b = plain.field(s);
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
  }
  REQUIRE(tagged.budgets().size() == plain.budgets().size());
  for (std::size_t h = 0; h < tagged.budgets().size(); ++h)
    CHECK(std::memcmp(&tagged.budgets()[h], &plain.budgets()[h], sizeof(HourBudget)) == 0);
}

TEST_CASE("the tag kernels of chemistry and deposition are bitwise the per-tag calls", "[eulerian-model]") {
  const Grid g = model_grid();
  const meteo::MetState m = met(g, kStart, 3.0, 1.0, 10.0, 2.0);  // rain: the layers above scavenged too
  const StepTime time{static_cast<double>(kStart), 600.0};
  const RowRange rows{0, g.ny()};
  ChemistryStep chem;
  prepare_chemistry(chem, g, m, ChemistryParams{}, time, rows);
  DepositionStep dep;
  prepare_deposition(dep, g, m, DepositionParams{}, time, rows);
  REQUIRE(dep.wet_layers > 1);
  std::vector<SpeciesFields> one_by_one{test::varied_state(g, 3.0), test::varied_state(g, 7.0)};
  std::vector<SpeciesFields> together = one_by_one;
  for (auto& t : one_by_one) {
    apply_chemistry(t, chem, g, rows);
    apply_deposition(t, dep, g, rows);
  }
  apply_chemistry_tags(together, chem, g, rows);
  apply_deposition_tags(together, dep, g, rows);
  for (std::size_t t = 0; t < together.size(); ++t)
    for (Species s : kAllSpecies) {
      const auto& a = one_by_one[t][index(s)];
      const auto& b = together[t][index(s)];
      CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    }
  together[1][index(Species::so2)](4, 3, 2) = -1.0;
  CHECK_THROWS_WITH(apply_chemistry_tags(together, chem, g, rows),
                    Contains("chemistry") && Contains("tag 1 SO2 at cell (i=4, j=3, k=2) is -1"));
  together[1][index(Species::so2)](4, 3, 2) = 1.0;
  together[0][index(Species::pmc)](5, 6, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(apply_deposition_tags(together, dep, g, rows),
                    Contains("deposition") && Contains("tag 0 PMC at cell (i=5, j=6, k=0) is nan"));
}

TEST_CASE("bad input: NaN emission rate, wrong met hour, bad config", "[eulerian-model]") {
  const Grid g = model_grid();
  EulerianConfig cfg;
  EulerianModel m(g, cfg, test::varied_state(g));
  EmissionRates e = city(g, 5, 5, 1.0);
  e.rate[index(Species::nox)](3, 4, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(m.advance(met(g, kStart, 3.0, 0.0, 10.0), e, {}, kStart),
                    Contains("emissions") && Contains("NOx emission rate") && Contains("(i=3, j=4, k=1)"));
  e.rate[index(Species::nox)](3, 4, 1) = -1.0;
  CHECK_THROWS_WITH(m.advance(met(g, kStart, 3.0, 0.0, 10.0), e, {}, kStart), Contains("emissions"));
  CHECK_THROWS_WITH(m.advance(met(g, kStart + 1, 3.0, 0.0, 10.0), no_rates(g), {}, kStart),
                    Contains("meteorology"));
  auto bad_met = met(g, kStart, 3.0, 0.0, 10.0);
  bad_met.t(2, 3, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(m.advance(bad_met, no_rates(g), {}, kStart), Contains("chemistry"));
  EulerianConfig bad = cfg;
  bad.dt = 700.0;
  CHECK_THROWS_WITH(EulerianModel(g, bad, test::varied_state(g)), Contains("eulerian.dt"));
  bad = cfg;
  bad.n_tags = 2;
  bad.boundary_tag = 2;
  CHECK_THROWS_WITH(EulerianModel(g, bad, test::varied_state(g)), Contains("eulerian.boundary_tag"));
  cfg.n_tags = 1;
  EulerianModel tagged(g, cfg, test::varied_state(g));
  CHECK_THROWS_WITH(tagged.advance(met(g, kStart, 3.0, 0.0, 10.0), city(g, 5, 5, 1.0), {}, kStart),
                    Contains("expected emission rates for 1 tags"));
}
