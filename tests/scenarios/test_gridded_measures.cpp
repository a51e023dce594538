// Measures on a city described only by gridded inventories (no enterprise list): uniform cuts,
// sector measures and the plans' default reach the gridded files of the sector, and the achieved
// cut (removed / whole-society emission, with the files' temporal profiles) counts them.
// References: the requested fractions (a uniform cut removes exactly its share of every source,
// so removed / society = the share; tolerance 1e-12 for sums of 24 x 6 products), and the
// emission fields scaled by the factor (a linear map: the peak cell is cut by the same share).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <utility>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "core/species.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "emissions/gridded_profiles.hpp"
#include "scenarios/measures.hpp"

using namespace lantian;
using emissions::EmittedPollutant;
using emissions::Rates;
using emissions::Sector;

namespace {

const TimeZone kZone{"Asia/Shanghai"};
const UtcHour kT0 = parse_time("2024-12-11T00:00Z", kZone);

Grid grid4() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  g.nx = g.ny = 4;
  g.dx = g.dy = 1000.0;
  g.x0 = g.y0 = -2000.0;
  g.layer_tops = {50.0, 150.0, 400.0};
  return Grid(g);
}

/// A file on grid4(): every pollutant rate = scale x (1 + i + 4 j) g/s (PM10 2x PM2.5).
emissions::GriddedEmissions gridded(Sector sector, double scale) {
  emissions::GriddedEmissions g;
  g.file = std::string(emissions::sector_name(sector)) + ".nc";
  g.sector = sector;
  std::array<Field2D<double>, emissions::kEmittedPollutantCount> slice;
  for (std::size_t p = 0; p < slice.size(); ++p) {
    slice[p] = Field2D<double>(4, 4);
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 4; ++i)
        slice[p](i, j) = scale * (1.0 + i + 4.0 * j) * (p == emissions::index(EmittedPollutant::pm10) ? 2.0 : 1.0);
  }
  g.rate.push_back(std::move(slice));
  g.outside.push_back(Rates{});
  return g;
}

double peak(const Field3D<double>& f) {
  double m = 0.0;
  for (int k = 0; k < f.nz(); ++k)
    for (int j = 0; j < f.ny(); ++j)
      for (int i = 0; i < f.nx(); ++i) m = std::max(m, f(i, j, k));
  return m;
}

}  // namespace

TEST_CASE("a gridded-only city: a uniform cut removes its share of the files and of the peak", "[measures][gridded]") {
  const emissions::Inventory inv;  // no enterprise, area or road
  const LinePlans plans = LinePlans::none(inv);
  ResponseSettings settings = ResponseSettings::defaults();
  settings.lead_hours = 0;
  const MeasureInputs in{inv, plans, settings};
  const std::vector<emissions::GriddedEmissions> files{gridded(Sector::residential_heating, 1.0),
                                                       gridded(Sector::industry, 3.0)};
  const emissions::EulerianEmissions em(inv, grid4(), kZone, files);
  const TimeAxis period(kT0, 24, kZone);
  const std::vector<ResponseWindow> windows{{kT0, kT0 + 24, ResponseLevel::orange}};

  Scenario s;
  s.name = "uniform-orange";
  s.level = ResponseLevel::orange;
  s.uniform = true;
  AccountOptions opt;
  opt.gridded = files;
  const ScenarioAccount acc = account(s, in, period, windows, opt);
  CHECK(acc.active_hours == 24);
  for (EmittedPollutant p : emissions::kAllEmittedPollutants) {
    INFO(emissions::pollutant_name(p));
    CHECK(acc.society[emissions::index(p)] > 0.0);
    const double share = p == EmittedPollutant::nh3 ? 0.0 : 0.2;  // [response] uniform defaults
    CHECK(acc.achieved[emissions::index(p)] == Approx(share).margin(1e-12));
  }
  CHECK(acc.meets_floor[emissions::index(EmittedPollutant::so2)]);

  // The emissions of an hour under the scenario: every cell and layer x 0.8, so the peak too.
  const ScenarioFactors f = eulerian_factors(s, in, em.sources(), period, windows);
  emissions::EmissionSelection sel;
  sel.factors = f.factors_at(5);
  REQUIRE(sel.factors.size() == 2);
  CHECK(sel.factors[0][emissions::index(EmittedPollutant::so2)] == Approx(0.8).epsilon(1e-15));
  const emissions::EmissionRates base = em.at(kT0 + 5, {});
  const emissions::EmissionRates cut = em.at(kT0 + 5, {}, sel);
  const double p0 = peak(base.rate[index(Species::so2)]), p1 = peak(cut.rate[index(Species::so2)]);
  REQUIRE(p0 > 0.0);
  CHECK(1.0 - p1 / p0 == Approx(0.2).epsilon(1e-12));
  CHECK(cut.total[index(Species::nh3)] == Approx(base.total[index(Species::nh3)]).epsilon(1e-14));

  // Society counts the files with their profiles: sum over hours of mean rate x factor, by hand.
  double so2 = 0.0;
  for (std::int64_t h = 0; h < 24; ++h) {
    const auto lt = emissions::local_time(period[h], kZone);
    for (const auto& g : files) so2 += emissions::gridded_temporal_factor(g, lt) * (g.sector == Sector::industry ? 3.0 : 1.0) * 136.0;
  }
  CHECK(acc.society[emissions::index(EmittedPollutant::so2)] == Approx(so2 * 3600.0 * 1e-6).epsilon(1e-12));
}

TEST_CASE("sector measures and the plans' default act on gridded files of their sector", "[measures][gridded]") {
  const emissions::Inventory inv;
  const LinePlans plans = LinePlans::none(inv);
  ResponseSettings settings = ResponseSettings::defaults();
  settings.lead_hours = 0;
  const MeasureInputs in{inv, plans, settings};
  const std::vector<emissions::GriddedEmissions> files{gridded(Sector::residential_heating, 1.0),
                                                       gridded(Sector::industry, 3.0),
                                                       gridded(Sector::road_traffic, 2.0)};
  const emissions::EulerianEmissions em(inv, grid4(), kZone, files);
  const TimeAxis period(kT0, 24, kZone);
  const std::vector<ResponseWindow> windows{{kT0, kT0 + 24, ResponseLevel::yellow}};
  AccountOptions opt;
  opt.gridded = files;
  opt.temporal_profiles = false;  // annual means: society = 1 + 3 + 2 = 6 parts of every pollutant

  // A 散煤 ban as a custom sector measure: residential heating stops.
  Scenario ban;
  ban.name = "coal-ban";
  ban.level = ResponseLevel::yellow;
  CustomMeasure m;
  m.target = {TargetKind::sector, {"residential_heating"}};
  m.action = {ActionKind::stop, 0.0};
  ban.measures.push_back(m);
  const auto fb = eulerian_factors(ban, in, em.sources(), period, windows).factors_at(0);
  CHECK(fb[0] == Rates{0, 0, 0, 0, 0, 0});
  CHECK(fb[1] == Rates{1, 1, 1, 1, 1, 1});
  const ScenarioAccount ab = account(ban, in, period, windows, opt);
  for (std::size_t p = 0; p < 6; ++p) CHECK(ab.achieved[p] == Approx(1.0 / 6.0).epsilon(1e-12));

  // The plans scenario: gridded industry takes the not-graded default (yellow: limit 90 %), road
  // traffic the built-in diesel-truck ban (yellow: -10 % NOx and PM), residential the built-in 散煤
  // row (yellow: -5 % SO2, NOx, PM, VOCs).
  Scenario plan;
  plan.name = "plans-yellow";
  plan.level = ResponseLevel::yellow;
  plan.plans = true;
  plan.sector_measures = true;
  const auto fp = eulerian_factors(plan, in, em.sources(), period, windows).factors_at(0);
  const auto none = settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::none)][index(ResponseLevel::yellow)];
  REQUIRE(none.kind == ActionKind::limit);
  CHECK(fp[0] == Rates{0.95, 0.95, 0.95, 0.95, 0.95, 1});
  CHECK(fp[1][emissions::index(EmittedPollutant::so2)] == Approx(none.value).epsilon(1e-15));
  CHECK(fp[2][emissions::index(EmittedPollutant::nox)] == Approx(0.9).epsilon(1e-15));
  CHECK(fp[2][emissions::index(EmittedPollutant::so2)] == 1.0);
  const ScenarioAccount ap = account(plan, in, period, windows, opt);
  // SO2: (3 (1 − 0.9) + 1 x 0.05) / 6; NOx: (3 (1 − 0.9) + 2 x 0.1 + 1 x 0.05) / 6.
  CHECK(ap.achieved[emissions::index(EmittedPollutant::so2)] ==
        Approx((3.0 * (1.0 - none.value) + 0.05) / 6.0).epsilon(1e-12));
  CHECK(ap.achieved[emissions::index(EmittedPollutant::nox)] ==
        Approx((3.0 * (1.0 - none.value) + 2.0 * 0.1 + 0.05) / 6.0).epsilon(1e-12));
}

TEST_CASE("the built-in 散煤 row cuts a gridded-only city's residential sector at each level",
          "[measures][gridded][residential_coal]") {
  const auto rows = builtin_sector_measures();
  const auto row = std::find_if(rows.begin(), rows.end(), [](const SectorMeasure& r) { return r.id == "residential_coal"; });
  REQUIRE(row != rows.end());
  CHECK(row->sector == Sector::residential_heating);
  const emissions::Inventory inv;  // no enterprise, area or road: the city is its gridded files
  const LinePlans plans = LinePlans::none(inv);
  ResponseSettings settings = ResponseSettings::defaults();
  settings.lead_hours = 0;
  const MeasureInputs in{inv, plans, settings};
  // Residential 1 part, industry 3 parts of every pollutant (annual means: no profiles).
  const std::vector<emissions::GriddedEmissions> files{gridded(Sector::residential_heating, 1.0),
                                                       gridded(Sector::industry, 3.0)};
  const emissions::EulerianEmissions em(inv, grid4(), kZone, files);
  const TimeAxis period(kT0, 24, kZone);
  AccountOptions opt;
  opt.gridded = files;
  opt.temporal_profiles = false;
  // The row's assumed cuts: 5 / 10 / 15 % of residential SO2, NOx, PM, VOCs; the built-in rows
  // touch no other sector of these files (industry is left to the plans, not applied here).
  const std::array<std::pair<ResponseLevel, double>, 3> levels{
      {{ResponseLevel::yellow, 0.05}, {ResponseLevel::orange, 0.10}, {ResponseLevel::red, 0.15}}};
  for (const auto& [level, cut] : levels) {
    INFO(response_level_name(level));
    CHECK(row->cut[index(level)] == cut);
    Scenario s;
    s.name = "sector-measures";
    s.level = level;
    s.sector_measures = true;
    const std::vector<ResponseWindow> windows{{kT0, kT0 + 24, level}};
    const ScenarioAccount acc = account(s, in, period, windows, opt);
    // Hand calculation: removed / society = cut x 1 / (1 + 3) for the combustion pollutants, 0 for NH3.
    for (EmittedPollutant p : emissions::kAllEmittedPollutants) {
      INFO(emissions::pollutant_name(p));
      const double expected = p == EmittedPollutant::nh3 ? 0.0 : cut / 4.0;
      CHECK(acc.achieved[emissions::index(p)] == Approx(expected).margin(1e-12));
    }
    // The hour's factors: the residential file x (1 − cut), industry untouched.
    const auto f = eulerian_factors(s, in, em.sources(), period, windows).factors_at(3);
    REQUIRE(f.size() == 2);
    CHECK(f[0][emissions::index(EmittedPollutant::so2)] == Approx(1.0 - cut).epsilon(1e-15));
    CHECK(f[0][emissions::index(EmittedPollutant::nh3)] == 1.0);
    CHECK(f[1][emissions::index(EmittedPollutant::so2)] == 1.0);
  }
}
