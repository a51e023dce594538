// Initial state (solver/initial_state.hpp): the Cressman analysis against hand calculations,
// the spread through the mixing layer, the split of PM2.5 into species (the reconstruction of
// species.hpp returns the analysed value) and the errors for bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "solver/initial_state.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

/// 9 x 4 cells of 1 km: centres x = -2000 .. 6000 m, y = -1500 .. 1500 m.
Grid wide_grid() { return test::beijing_grid(9, 4); }

/// Background PM2.5 species: PPM25 20, SO4 8, NO3 5, SOA 4 -> reported
/// 20 + 1.375 x 8 + 1.29 x 5 + 4 = 41.45 µg/m³; SO2 15, PMC 10.
PerSpecies haze_background() {
  PerSpecies b{};
  b[index(Species::ppm25)] = 20.0;
  b[index(Species::so4)] = 8.0;
  b[index(Species::no3)] = 5.0;
  b[index(Species::soa)] = 4.0;
  b[index(Species::so2)] = 15.0;
  b[index(Species::pmc)] = 10.0;
  return b;
}

double reported_pm25(const SpeciesFields& c, int i, int j, int k) {
  std::array<double, kSpeciesCount> cell{};
  for (Species s : kAllSpecies) cell[index(s)] = c[index(s)](i, j, k);
  return pm25_of(cell);
}

}  // namespace

TEST_CASE("Cressman analysis matches a hand calculation", "[initial-state]") {
  const Grid g = wide_grid();
  Field2D<double> b(g.nx(), g.ny(), 0, 41.45);
  // A at (-1000, 500) observes 81.45 (increment +40), B at (1000, 500) 61.45 (+20); R = 2500 m.
  const std::vector<StationValue> obs{{"A", {-1000.0, 500.0}, 81.45},
                                      {"B", {1000.0, 500.0}, 61.45},
                                      {"far", {1.0e6, 0.0}, 500.0},        // outside the grid: skipped
                                      {"gap", {0.0, 0.0}, std::nan("")}};  // missing: skipped
  const Field2D<double> a = cressman_analysis(g, b, obs, 2500.0);
  // Cell (2, 2) at (0, 500) is 1000 m from both: equal weights (R² - d²)/(R² + d²) = 5.25/7.25:
  // 41.45 + (40 + 20)/2 = 71.45.
  CHECK(a(2, 2) == Approx(71.45).epsilon(1e-14));
  // Cell (1, 2) at A: w_A = 1, w_B = (6.25 - 4)/(6.25 + 4) = 2.25/10.25 (d = 2000 m):
  // 41.45 + (40 + 20 x 2.25/10.25)/(1 + 2.25/10.25) = 41.45 + 455/12.5 = 77.85.
  CHECK(a(1, 2) == Approx(77.85).epsilon(1e-14));
  // Cell (4, 0) at (2000, -1500): only B within R (d² = 5e6 m² < 6.25e6; A: 13e6): 41.45 + 20.
  CHECK(a(4, 0) == Approx(61.45).epsilon(1e-14));
  // Cell (8, 0) at (6000, -1500): no station within R: the background.
  CHECK(a(8, 0) == 41.45);
  // An observation far below the background gives no negative analysis.
  const Field2D<double> low = cressman_analysis(g, b, {{"C", {0.0, 500.0}, 0.0}}, 2500.0);
  CHECK(low(2, 2) == Approx(0.0).margin(1e-13));
  CHECK(low(3, 2) >= 0.0);
  CHECK_THROWS_WITH(cressman_analysis(g, b, {{"neg", {0.0, 0.0}, -3.0}}, 2500.0), Contains("station neg"));
}

TEST_CASE("the analysis spreads through the mixing layer and splits PM2.5 into species", "[initial-state]") {
  const Grid g = wide_grid();  // layer centres 25, 100, 275 m
  const SpeciesFields bg = background_state(g, haze_background());
  const Field2D<double> pblh(g.nx(), g.ny(), 0, 120.0);
  InitialObservations obs;
  obs.pm25 = {{"A", {-1000.0, 500.0}, 81.45}, {"B", {1000.0, 500.0}, 61.45}};
  obs.pm10 = {{"A", {-1000.0, 500.0}, 101.45}};  // coarse 20 at A (background 10)
  obs.so2 = {{"B", {1000.0, 500.0}, 45.0}};      // +30 at B
  AnalysisParams p;
  p.radius = 2500.0;
  p.decay_height = 300.0;
  const SpeciesFields c = analyse_initial_state(g, bg, pblh, obs, p);
  // Cell (2, 2): surface increment +30 (hand value above); layers 0 and 1 below the 120 m
  // mixing height take all of it, layer 2 (centre 275 m) exp(-(275 - 120)/300).
  const double f2 = std::exp(-155.0 / 300.0);
  CHECK(reported_pm25(c, 2, 2, 0) == Approx(71.45).epsilon(1e-14));
  CHECK(reported_pm25(c, 2, 2, 1) == Approx(71.45).epsilon(1e-14));
  CHECK(reported_pm25(c, 2, 2, 2) == Approx(41.45 + 30.0 * f2).epsilon(1e-14));
  // Background composition kept: every PM2.5 species scaled by 71.45/41.45.
  CHECK(c[index(Species::ppm25)](2, 2, 0) == Approx(20.0 * 71.45 / 41.45).epsilon(1e-14));
  CHECK(c[index(Species::no3)](2, 2, 0) == Approx(5.0 * 71.45 / 41.45).epsilon(1e-14));
  // SO2: only B, one station: +30 wherever B reaches; (1, 2) at 2000 m from B.
  CHECK(c[index(Species::so2)](1, 2, 0) == Approx(45.0).epsilon(1e-14));
  CHECK(c[index(Species::so2)](8, 0, 0) == 15.0);
  // PMC: observed coarse PM10 - PM2.5 = 20 at A, background 10: +10 near A.
  CHECK(c[index(Species::pmc)](1, 2, 0) == Approx(20.0).epsilon(1e-14));
  // Untouched species and far cells keep the background.
  CHECK(c[index(Species::nh3)](2, 2, 0) == 0.0);
  CHECK(reported_pm25(c, 8, 0, 0) == Approx(41.45).epsilon(1e-14));
  // Fixed composition: shares 0.4 / 0.2 / 0.25 / 0.15 of 71.45 as PPM25, (NH4)2SO4, NH4NO3, SOA.
  p.composition = CompositionSource::fixed;
  const SpeciesFields d = analyse_initial_state(g, bg, pblh, obs, p);
  CHECK(d[index(Species::ppm25)](2, 2, 0) == Approx(0.40 * 71.45).epsilon(1e-14));
  CHECK(d[index(Species::so4)](2, 2, 0) == Approx(0.20 * 71.45 / 1.375).epsilon(1e-14));
  CHECK(d[index(Species::no3)](2, 2, 0) == Approx(0.25 * 71.45 / 1.29).epsilon(1e-14));
  CHECK(d[index(Species::soa)](2, 2, 0) == Approx(0.15 * 71.45).epsilon(1e-14));
  CHECK(reported_pm25(d, 2, 2, 0) == Approx(71.45).epsilon(1e-14));
  // A spin-up from zeros with the background composition falls back to the fixed shares.
  p.composition = CompositionSource::background;
  const SpeciesFields z = analyse_initial_state(g, background_state(g), pblh, obs, p);
  // Increments are now the observations themselves: (81.45 + 61.45)/2 = 71.45 at (2, 2).
  CHECK(reported_pm25(z, 2, 2, 0) == Approx(71.45).epsilon(1e-14));
  CHECK(z[index(Species::ppm25)](2, 2, 0) == Approx(0.40 * 71.45).epsilon(1e-14));
}

TEST_CASE("initial-state inputs are checked", "[initial-state]") {
  const Grid g = wide_grid();
  PerSpecies bad{};
  bad[index(Species::voc)] = -1.0;
  CHECK_THROWS_WITH(background_state(g, bad), Contains("initial_state.background.VOC"));
  AnalysisParams p;
  p.shares = {0.5, 0.5, 0.5, 0.0};
  CHECK_THROWS_WITH(p.validate(), Contains("initial_state.shares") && Contains("summing to 1"));
  Field2D<double> pblh(g.nx(), g.ny(), 0, 100.0);
  pblh(3, 1) = std::nan("");
  CHECK_THROWS_WITH(analyse_initial_state(g, background_state(g), pblh, {}, {}), Contains("mixing height at cell (i=3, j=1)"));
}
