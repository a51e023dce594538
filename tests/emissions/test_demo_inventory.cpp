// The demo city's inventory (examples/demo-city/inventory): it loads on the demo grid, and the
// C++ totals equal the totals that make_inventory.py summed from the figures it wrote
// (totals.csv, an independent sum in Python). Gridding it conserves mass.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>

#include "core/csv_file.hpp"
#include "emissions/gridding.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/plume_rise.hpp"
#include "emissions/totals.hpp"
#include "emissions/units.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

const std::string kDir = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/inventory";

Grid demo_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  s.nx = 80;
  s.ny = 80;
  s.dx = 1000.0;
  s.dy = 1000.0;
  s.x0 = -40000.0;
  s.y0 = -40000.0;
  s.layer_tops = {50, 100, 200, 400, 800, 1500, 4000};
  return Grid(s);
}

/// totals.csv: key -> six figures (t/yr, or counts for the count: rows).
std::map<std::string, std::array<double, 6>> python_totals() {
  CsvFile csv(kDir + "/totals.csv");
  std::map<std::string, std::array<double, 6>> out;
  while (csv.next()) {
    std::array<double, 6> v{};
    for (int c = 0; c < 6; ++c) v[static_cast<std::size_t>(c)] = csv.number(c + 1, "a number");
    out[std::string(csv.field(0))] = v;
  }
  return out;
}

/// Python summed the written t/yr figures in double precision; C++ converts each to g/s and
/// sums: the two differ by round-off only, ~1e-15 relative per operation over ~200 terms.
void check_same(const Rates& gs, const std::array<double, 6>& tpy, const std::string& what) {
  INFO(what);
  for (std::size_t p = 0; p < 6; ++p)
    CHECK(to_tonnes_per_year(gs[p]) == Approx(tpy[p]).epsilon(1e-12).margin(1e-9));
}

}  // namespace

TEST_CASE("demo city inventory: totals equal the generator's independent sums", "[emissions][demo]") {
  const Grid grid = demo_grid();
  const Inventory inv = read_inventory(InventoryFiles::in_directory(kDir), &grid);
  const auto py = python_totals();
  const auto& counts = py.at("count:enterprises");
  CHECK(inv.enterprises.size() == static_cast<std::size_t>(counts[0]));
  CHECK(inv.stacks.size() == static_cast<std::size_t>(counts[1]));
  CHECK(inv.lines.size() == static_cast<std::size_t>(counts[2]));
  CHECK(inv.areas.size() == static_cast<std::size_t>(counts[3]));
  CHECK(inv.roads.size() == static_cast<std::size_t>(counts[4]));
  CHECK(inv.enterprises.size() >= 80);

  const EmissionTotals t = compute_totals(inv);
  check_same(t.total, py.at("total"), "total");
  check_same(t.exempt, py.at("exempt"), "exempt");
  for (int s = 0; s < kSectorCount; ++s) {
    const std::string key = "sector:" + std::string(sector_name(static_cast<Sector>(s)));
    if (py.count(key)) check_same(t.by_sector[static_cast<std::size_t>(s)], py.at(key), key);
  }
  for (const auto& [district, rates] : t.by_district) check_same(rates, py.at("district:" + district), district);
  for (const auto& [industry, rates] : t.by_industry) check_same(rates, py.at("industry:" + industry), industry);
  CHECK(t.by_industry.size() >= 10);
  for (int g = 0; g < kGradeCount; ++g) {
    const std::string name(grade_name(static_cast<Grade>(g)));
    const auto it = py.find("grade:" + name);
    if (it == py.end()) continue;
    check_same(t.by_grade[static_cast<std::size_t>(g)], it->second, "grade " + name);
    CHECK(t.enterprise_count_by_grade[static_cast<std::size_t>(g)] == static_cast<int>(py.at("count:" + name)[0]));
  }
  // The city totals the generator aimed at (README): SO2 10, NOx 40, PM2.5 15, PM10 25, VOCs 50,
  // NH3 12 kt/yr, up to the rounding of ~250 figures to 1 kg/yr.
  CHECK(to_tonnes_per_year(t.total[index(EmittedPollutant::so2)]) == Approx(10000.0).margin(0.5));
  CHECK(to_tonnes_per_year(t.total[index(EmittedPollutant::nox)]) == Approx(40000.0).margin(0.5));
  CHECK(to_tonnes_per_year(t.total[index(EmittedPollutant::vocs)]) == Approx(50000.0).margin(0.5));
}

TEST_CASE("demo city inventory: gridding conserves mass and stacks rise", "[emissions][demo]") {
  const Grid grid = demo_grid();
  const Inventory inv = read_inventory(InventoryFiles::in_directory(kDir), &grid);
  const SurfaceGridder gridder(inv, grid);
  const SurfaceEmissions annual = gridder.annual_mean();
  // Reference: ground-level total = areas + roads + enterprise ground releases, summed directly.
  Rates ground{};
  for (const AreaSource& a : inv.areas)
    for (std::size_t p = 0; p < 6; ++p) ground[p] += a.rates[p];
  for (const RoadSource& r : inv.roads)
    for (std::size_t p = 0; p < 6; ++p) ground[p] += r.rates[p];
  for (const GroundRelease& g : ground_releases(inv))
    for (std::size_t p = 0; p < 6; ++p) ground[p] += g.rates[p];
  for (std::size_t p = 0; p < 6; ++p) {
    double sum = 0.0;
    for (int j = 0; j < grid.ny(); ++j)
      for (int i = 0; i < grid.nx(); ++i) sum += annual.rate[p](i, j);
    // Every source lies inside the domain (checked at reading): nothing outside, and the cells
    // hold the sources' rates to round-off over ~6400 cells.
    CHECK(sum == Approx(ground[p]).epsilon(1e-12));
    CHECK(std::abs(annual.outside[p]) <= 1e-12 * ground[p] + 1e-300);
  }
  // Stacks + ground releases = enterprise totals.
  const std::vector<Rates> stacks = stack_emissions(inv);
  const EmissionTotals t = compute_totals(inv);
  for (std::size_t p = 0; p < 6; ++p) {
    double s = 0.0;
    for (const Rates& r : stacks) s += r[p];
    for (const GroundRelease& g : ground_releases(inv)) s += g.rates[p];
    CHECK(s == Approx(t.by_sector[static_cast<std::size_t>(Sector::industry)][p]).epsilon(1e-12));
  }
  // Every stack has a finite, positive plume rise in a stagnant winter night (class F, 1.5 m/s,
  // 270 K). (Stable rise is not always below neutral rise: for weakly buoyant jets the stable
  // crossover picks the buoyant formula where the neutral one picks momentum, as in ISC3.)
  for (const Stack& s : inv.stacks) {
    const PlumeRiseInput in{s.height, s.diameter, s.exit_velocity, s.exit_temperature, 1.5, 270.0, kDthetaDzClassF, true};
    const PlumeRise r = briggs_plume_rise(in);
    CHECK(std::isfinite(r.effective_height));
    CHECK(r.final_rise > 0.0);
  }
}
