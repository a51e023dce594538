// Emissions on the Eulerian grid (solver/eulerian_emissions.hpp) on the demo city: the hourly
// mass against the inventory's totals with temporal factors, per-sector tags summing to the
// total, scenario factors, the coarse-PM clip, and c += E dt / V conserving mass.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "solver/emission_step.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using emissions::EmittedPollutant;
using emissions::EmissionRates;
using emissions::EmissionSelection;
using emissions::EulerianEmissions;
using emissions::SourceKind;
using emissions::species_of;
using Catch::Matchers::Contains;

namespace {

const std::string kDemoCase = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";

struct Demo {
  CaseConfig config = load_case(kDemoCase);
  Grid grid{config.grid};
  emissions::Inventory inventory = emissions::read_inventory(emissions::InventoryFiles::in_directory(config.emissions.folder), &grid);
  TimeZone zone = config.zone();
};

const Demo& demo() {
  static const Demo d;
  return d;
}

/// The same ambient conditions at every stack (the mass does not depend on them).
std::vector<emissions::StackAmbient> still_air(const emissions::Inventory& inv) {
  return std::vector<emissions::StackAmbient>(inv.stacks.size(), emissions::StackAmbient{2.0, 275.0, 0.005, 300.0});
}

double factor_of(const emissions::Inventory& inv, int profile, const emissions::LocalTime& lt) {
  return profile >= 0 ? emissions::temporal_factor(inv.profile(profile), lt) : 1.0;
}

/// Reference: the inventory's rate of each pollutant in the hour (g/s): enterprises (stacks +
/// ground releases = the enterprise totals), area sources and roads, each x its temporal factor.
emissions::Rates inventory_hour_total(const emissions::Inventory& inv, const emissions::LocalTime& lt) {
  emissions::Rates total{};
  auto add = [&](const emissions::Rates& r, int profile) {
    const double f = factor_of(inv, profile, lt);
    for (std::size_t p = 0; p < total.size(); ++p) total[p] += r[p] * f;
  };
  for (const auto& e : inv.enterprises) add(e.rates, e.profile);
  for (const auto& a : inv.areas) add(a.rates, a.profile);
  for (const auto& r : inv.roads) add(r.rates, r.profile);
  return total;
}

/// Reference of the coarse PM (g/s) in the hour: Σ over the emitting sources (stacks, ground
/// releases, areas, roads) of max(0, pm10 − pm25) x temporal factor, and the number of sources
/// whose PM10 is below their PM2.5.
std::pair<double, std::size_t> coarse_hour_total(const emissions::Inventory& inv, const emissions::LocalTime& lt) {
  const std::size_t pm10 = emissions::index(EmittedPollutant::pm10), pm25 = emissions::index(EmittedPollutant::pm25);
  double total = 0.0;
  std::size_t clipped = 0;
  auto add = [&](const emissions::Rates& r, int profile) {
    const double coarse = r[pm10] - r[pm25];
    if (coarse < 0.0) ++clipped;
    else total += coarse * factor_of(inv, profile, lt);
  };
  const auto stacks = emissions::stack_emissions(inv);
  for (std::size_t s = 0; s < stacks.size(); ++s) add(stacks[s], inv.enterprises[inv.stacks[s].enterprise].profile);
  for (const auto& g : emissions::ground_releases(inv)) add(g.rates, inv.enterprises[g.enterprise].profile);
  for (const auto& a : inv.areas) add(a.rates, a.profile);
  for (const auto& r : inv.roads) add(r.rates, r.profile);
  return {total, clipped};
}

}  // namespace

TEST_CASE("the demo city's hourly emissions on the grid equal the inventory's totals", "[eulerian-emissions]") {
  const Demo& d = demo();
  const EulerianEmissions em(d.inventory, d.grid, d.zone);
  REQUIRE(em.sources().size() == d.inventory.stacks.size() + d.inventory.areas.size() + d.inventory.roads.size() +
                                     emissions::ground_releases(d.inventory).size());
  const UtcHour start = parse_time(d.config.period.start, d.zone);
  for (UtcHour t : {start, start + 7, start + 19}) {  // 08:00, 15:00 and 03:00 local
    const EmissionRates e = em.at(t, still_air(d.inventory));
    const emissions::Rates ref = inventory_hour_total(d.inventory, emissions::local_time(t, d.zone));
    INFO(format_local(t, d.zone));
    const auto [coarse, clipped] = coarse_hour_total(d.inventory, emissions::local_time(t, d.zone));
    CHECK(e.pmc_clipped == clipped);
    const double g_to_ug = 1.0e6;
    CHECK(e.total[index(Species::so2)] == Approx(g_to_ug * ref[emissions::index(EmittedPollutant::so2)]).epsilon(1e-12));
    CHECK(e.total[index(Species::nox)] == Approx(g_to_ug * ref[emissions::index(EmittedPollutant::nox)]).epsilon(1e-12));
    CHECK(e.total[index(Species::voc)] == Approx(g_to_ug * ref[emissions::index(EmittedPollutant::vocs)]).epsilon(1e-12));
    CHECK(e.total[index(Species::nh3)] == Approx(g_to_ug * ref[emissions::index(EmittedPollutant::nh3)]).epsilon(1e-12));
    CHECK(e.total[index(Species::ppm25)] == Approx(g_to_ug * ref[emissions::index(EmittedPollutant::pm25)]).epsilon(1e-12));
    CHECK(e.total[index(Species::pmc)] == Approx(g_to_ug * coarse).epsilon(1e-12));
    for (Species s : {Species::so4, Species::no3, Species::soa}) CHECK(e.total[index(s)] == 0.0);
    // The reader keeps every source inside: what is left outside is the round-off of 1 − Σ weights.
    for (Species s : kAllSpecies) CHECK(std::abs(e.outside[index(s)]) <= 1e-12 * e.total[index(s)]);
  }
}

TEST_CASE("per-sector tags of the demo city sum to the total and factors scale it", "[eulerian-emissions]") {
  const Demo& d = demo();
  const EulerianEmissions em(d.inventory, d.grid, d.zone);
  const UtcHour t = parse_time("2024-12-11T18:00", d.zone);
  const auto amb = still_air(d.inventory);
  const EmissionRates total = em.at(t, amb);
  EmissionSelection sel;
  sel.tag_of_source = em.tags_by_sector();
  std::vector<EmissionRates> tags;
  for (int tag = 0; tag < emissions::kSectorCount; ++tag) {
    sel.tag = tag;
    tags.push_back(em.at(t, amb, sel));
  }
  for (Species s : kAllSpecies) {
    double sum = 0.0;
    for (const auto& e : tags) sum += e.total[index(s)];
    INFO(species_name(s));
    CHECK(sum == Approx(total.total[index(s)]).epsilon(1e-12).margin(1e-300));
    // Cell by cell, where the total is not zero.
    const auto& f = total.rate[index(s)];
    double worst = 0.0;
    int stray = 0;  // cells where the tags emit and the total does not
    for (int k = 0; k < f.nz(); ++k)
      for (int j = 0; j < f.ny(); ++j)
        for (int i = 0; i < f.nx(); ++i) {
          double cell = 0.0;
          for (const auto& e : tags) cell += e.rate[index(s)](i, j, k);
          if (f(i, j, k) != 0.0) worst = std::max(worst, std::abs(cell - f(i, j, k)) / f(i, j, k));
          else stray += cell != 0.0;
        }
    CHECK(worst < 1e-13);
    CHECK(stray == 0);
  }
  // The industry tag holds the stacks: it alone emits above the surface layer.
  const auto& industry = tags[static_cast<std::size_t>(emissions::Sector::industry)];
  CHECK(industry.total[index(Species::so2)] > 0.0);
  // Factors: halving every source halves every rate exactly (x 0.5 is exact in binary); cutting
  // industrial SO2 by 30 % removes 30 % of the industry tag's SO2.
  EmissionSelection halve;
  halve.factors.assign(em.sources().size(), emissions::Rates{0.5, 0.5, 0.5, 0.5, 0.5, 0.5});
  const EmissionRates h = em.at(t, amb, halve);
  for (Species s : kAllSpecies) CHECK(h.total[index(s)] == 0.5 * total.total[index(s)]);
  EmissionSelection cut;
  cut.factors.assign(em.sources().size(), emissions::Rates{1, 1, 1, 1, 1, 1});
  for (std::size_t q = 0; q < em.sources().size(); ++q)
    if (em.sources()[q].sector == emissions::Sector::industry) cut.factors[q][emissions::index(EmittedPollutant::so2)] = 0.7;
  const EmissionRates c = em.at(t, amb, cut);
  CHECK(c.total[index(Species::so2)] ==
        Approx(total.total[index(Species::so2)] - 0.3 * industry.total[index(Species::so2)]).epsilon(1e-12));
  CHECK(c.total[index(Species::nox)] == Approx(total.total[index(Species::nox)]).epsilon(1e-14));
  // Bad selections are errors.
  EmissionSelection wrong;
  wrong.factors.assign(3, emissions::Rates{});
  CHECK_THROWS_WITH(em.at(t, amb, wrong), Contains("one factor set per source"));
  CHECK_THROWS_WITH(em.at(t, {}), Contains("ambient conditions"));
}

TEST_CASE("applying an hour of emissions adds E dt / V and conserves mass", "[eulerian-emissions]") {
  const Demo& d = demo();
  const EulerianEmissions em(d.inventory, d.grid, d.zone);
  const UtcHour t = parse_time("2024-12-11T09:00", d.zone);
  const EmissionRates e = em.at(t, still_air(d.inventory));
  SpeciesFields c1 = zero_species_fields(d.grid.nx(), d.grid.ny(), d.grid.nz());
  SpeciesFields c2 = c1;
  PerSpecies m1{}, m2{};
  test::with_threads(1, [&] { m1 = apply_emissions(c1, e, d.grid, {static_cast<double>(t), 3600.0}, {0, d.grid.ny()}); });
  test::with_threads(2, [&] { m2 = apply_emissions(c2, e, d.grid, {static_cast<double>(t), 3600.0}, {0, d.grid.ny()}); });
  for (Species s : kAllSpecies) {
    INFO(species_name(s));
    CHECK(m1[index(s)] == Approx(3600.0 * e.total[index(s)]).epsilon(1e-12).margin(1e-300));
    CHECK(test::mass(c1[index(s)], d.grid) == Approx(m1[index(s)]).epsilon(1e-12).margin(1e-300));
    CHECK(m1[index(s)] == m2[index(s)]);
    const auto& f = c1[index(s)];
    CHECK(std::equal(f.data(), f.data() + f.size(), c2[index(s)].data()));
  }
  // Split for the diffusion's surface flux: layers >= 1 here, layer 0 as µg/m²/s; together the whole.
  SpeciesFields c3 = zero_species_fields(d.grid.nx(), d.grid.ny(), d.grid.nz());
  const PerSpecies m3 = apply_emissions(c3, e, d.grid, {static_cast<double>(t), 3600.0}, {0, d.grid.ny()}, false);
  const auto flux = surface_emission_flux(e, d.grid);
  for (Species s : kAllSpecies) {
    double surface = 0.0;
    for (int j = 0; j < d.grid.ny(); ++j)
      for (int i = 0; i < d.grid.nx(); ++i) {
        surface += flux[index(s)](i, j) * d.grid.cell_area() * 3600.0;
        CHECK(c3[index(s)](i, j, 0) == 0.0);
      }
    CHECK(surface + m3[index(s)] == Approx(m1[index(s)]).epsilon(1e-12).margin(1e-300));
  }
  // One cell by hand: c = E dt / (dx dy Δz).
  const auto& so2 = e.rate[index(Species::so2)];
  int bi = 0, bj = 0;
  for (int j = 0; j < so2.ny(); ++j)
    for (int i = 0; i < so2.nx(); ++i)
      if (so2(i, j, 0) > so2(bi, bj, 0)) bi = i, bj = j;
  CHECK(c1[index(Species::so2)](bi, bj, 0) == Approx(so2(bi, bj, 0) * 3600.0 / (1000.0 * 1000.0 * 20.0)).epsilon(1e-14));
}

TEST_CASE("a source with PM10 below PM2.5 gets no coarse PM and is counted", "[eulerian-emissions]") {
  const Grid g = test::beijing_grid();
  emissions::Inventory inv;
  emissions::AreaSource a;
  a.id = "odd";
  a.sector = emissions::Sector::catering;
  a.polygons.push_back({{{-500.0, 0.0}, {500.0, 0.0}, {500.0, 1000.0}, {-500.0, 1000.0}}, {}});  // cell (2, 2)
  a.rates[emissions::index(EmittedPollutant::pm25)] = 2.0;
  a.rates[emissions::index(EmittedPollutant::pm10)] = 1.5;
  inv.areas.push_back(a);
  const EulerianEmissions em(inv, g, TimeZone{"Asia/Shanghai"});
  const EmissionRates e = em.at(0, {});
  CHECK(e.pmc_clipped == 1);
  CHECK(e.total[index(Species::pmc)] == 0.0);
  CHECK(e.total[index(Species::ppm25)] == Approx(2.0e6).epsilon(1e-14));
  CHECK(e.rate[index(Species::ppm25)](2, 2, 0) == Approx(2.0e6).epsilon(1e-14));
  SpeciesFields c = test::varied_state(g);
  c[index(Species::ppm25)](2, 2, 0) = std::nan("");
  CHECK_THROWS_WITH(apply_emissions(c, e, g, {0.0, 60.0}, {0, g.ny()}), Contains("emissions at 1970-01-01T00:00:00Z") &&
                                                                           Contains("PPM25 at cell (i=2, j=2, k=0)"));
}
