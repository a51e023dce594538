// The output writers refuse a non-finite number (forecast/model_output.hpp, forecast_output.hpp):
// stations.csv, budget.csv, the hourly NetCDF file, scenarios.csv and scenario_series.csv throw
// lantian::Error naming the file and the column or variable, so that the run's temporary folder
// is dropped and nothing is published; and their text cells go through csv_text.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "forecast/forecast_output.hpp"
#include "forecast/model_output.hpp"
#include "solver/eulerian_model.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

constexpr UtcHour kStart = 481112;  // 2024-11-19T08:00Z (16:00 in Beijing)
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Grid small_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  s.nx = 4, s.ny = 3, s.dx = 3000.0, s.dy = 3000.0, s.x0 = -6000.0, s.y0 = -4500.0;
  s.layer_tops = {50.0, 200.0};
  return Grid(s);
}

SpeciesFields ones(const Grid& g) {
  SpeciesFields c = zero_species_fields(g.nx(), g.ny(), g.nz());
  for (auto& f : c) f.fill(1.0);
  return c;
}

/// A forecast result of one station and two hours, baseline 100 and 120 µg/m³, one scenario
/// "half" at 50 and 60, superposed 51 and 61.
ForecastResult small_forecast() {
  ForecastResult r;
  r.metrics_options.start = kStart;
  r.metrics_options.tz = TimeZone("Asia/Shanghai");
  r.baseline.station_ids = {"=1+1"};
  r.baseline.times = {kStart, kStart + 1};
  r.baseline_pm25 = {100.0, 120.0};
  ScenarioOutcome o;
  o.scenario.name = "half";
  o.pm25 = {50.0, 60.0};
  o.superposed = {51.0, 61.0};
  SeriesComparison c;
  c.name = "=1+1";
  c.baseline.peak_hourly = 120.0;
  c.scenario.peak_hourly = 60.0;
  c.peak_hourly = {60.0, 50.0};
  c.baseline.peak_mean24 = kNaN;  // two hours: no 24-h mean, an undefined metric
  c.scenario.peak_mean24 = kNaN;
  c.peak_mean24 = {kNaN, kNaN};
  o.metrics.stations = {c};
  o.metrics.domain_mean = c;
  o.metrics.domain_mean.name = "city";
  r.outcomes.push_back(o);
  return r;
}

}  // namespace

TEST_CASE("stations.csv and budget.csv refuse NaN and infinity, naming file and column", "[output-checks]") {
  const TimeZone tz("Asia/Shanghai");
  // The model hours from 16:00 and 17:00, labelled by their starts (hour-beginning; until
  // issue 12 stations.csv labelled their ends, 17:00 and 18:00).
  const std::vector<UtcHour> times{kStart, kStart + 1};
  CHECK_THROWS_WITH(station_series_csv(times, {"A", "B"}, {{1.0, 2.0}, {3.0, kNaN}}, tz),
                    Contains("stations.csv: column pm25") && Contains("station 'B' at 2024-11-19T17:00:00+08:00") &&
                        Contains("nan is not a finite number"));
  CHECK_THROWS_WITH(station_series_csv(times, {"A"}, {{kInf, 2.0}}, tz), Contains("stations.csv") && Contains("inf"));
  // Text cells go through csv_text: a formula is neutralised, a comma quoted.
  CHECK(station_series_csv({&times[0], 1}, {"=HYPERLINK(\"x\")", "a,b"}, {{1.5}, {2.0}}, tz) ==
        "time,station,pm25\n"
        "2024-11-19T16:00:00+08:00,\"'=HYPERLINK(\"\"x\"\")\",1.5\n"
        "2024-11-19T16:00:00+08:00,\"a,b\",2\n");

  HourBudget b;
  b.hour = kStart;
  CHECK_NOTHROW(budget_csv({b}, tz));
  b.outflow[static_cast<std::size_t>(Side::north)][index(Species::ppm25)] = kInf;
  CHECK_THROWS_WITH(budget_csv({b}, tz), Contains("budget.csv: column out_north") &&
                                             Contains("PPM25 in the hour starting 2024-11-19T16:00:00+08:00") &&
                                             Contains("inf is not a finite number"));
  b.outflow[static_cast<std::size_t>(Side::north)][index(Species::ppm25)] = 0.0;
  b.mass_after[index(Species::so2)] = kNaN;  // also makes the residual NaN: the first column wins
  CHECK_THROWS_WITH(budget_csv({b}, tz), Contains("column mass_after") && Contains("SO2"));
}

TEST_CASE("the hourly NetCDF writer refuses a value that is not finite as a float", "[output-checks][netcdf]") {
  const test::TempDir dir;
  const Grid g = small_grid();
  const std::string path = (dir.path() / "fields.nc").string();
  {
    SpeciesFields c = ones(g);
    c[index(Species::so2)](2, 1, 0) = kNaN;  // SO2 is not in PM2.5: the first variable it reaches is SO2_sfc
    const EulerianModel m(g, EulerianConfig{}, std::move(c));
    HourlyNetcdfWriter w(path, g, TimeZone("Asia/Shanghai"), {});
    CHECK_THROWS_WITH(w.write_hour(kStart, m), Contains(path) && Contains("variable SO2_sfc") &&
                                                   Contains("2024-11-19T08:00:00Z") && Contains("cell (i=2, j=1)") &&
                                                   Contains("not a finite number"));
  }
  {
    // 1e300 is a finite double but beyond float: it would be stored as inf.
    SpeciesFields c = ones(g);
    c[index(Species::voc)](3, 2, 1) = 1e300;
    const EulerianModel m(g, EulerianConfig{}, std::move(c));
    NetcdfOutputOptions o;
    o.fields_3d = true;
    HourlyNetcdfWriter w(path, g, TimeZone("Asia/Shanghai"), o);
    CHECK_THROWS_WITH(w.write_hour(kStart + 1, m),
                      Contains("variable VOC") && Contains("cell (i=3, j=2, k=1)") && Contains("inf"));
  }
  {
    std::vector<SpeciesFields> tags{ones(g), ones(g)};
    tags[1][index(Species::ppm25)](0, 2, 0) = kInf;
    EulerianConfig cfg;
    cfg.n_tags = 2;
    const EulerianModel m(g, cfg, ones(g), std::move(tags));
    NetcdfOutputOptions o;
    o.tags = true;
    o.tag_names = {"a", "b"};
    HourlyNetcdfWriter w(path, g, TimeZone("Asia/Shanghai"), o);
    CHECK_THROWS_WITH(w.write_hour(kStart, m), Contains("variable PM25_tag") && Contains("cell (i=0, j=2, tag=1)"));
  }
}

TEST_CASE("scenario outputs refuse a non-finite series or an infinite metric", "[output-checks]") {
  ForecastResult r = small_forecast();
  // As it is: undefined metrics (no 24-h mean) are empty, text cells pass csv_text.
  const std::string csv = scenarios_csv(r);
  CHECK_THAT(csv, Contains("\nhalf,'=1+1,") && Contains(",120.0,60.0,60.0,50.0,,,,") && Contains("\nhalf,city,"));
  CHECK_THAT(scenario_series_csv(r), Contains("baseline,2024-11-19T16:00:00+08:00,'=1+1,100,\n") &&
                                         Contains("half,2024-11-19T17:00:00+08:00,'=1+1,60,61\n"));

  r.outcomes[0].superposed[1] = kNaN;
  CHECK_THROWS_WITH(scenario_series_csv(r), Contains("scenario_series.csv: column pm25_superposed") &&
                                                Contains("scenario 'half', station '=1+1', 2024-11-19T17:00:00+08:00"));
  CHECK_THROWS_WITH(scenarios_csv(r), Contains("scenarios.csv: column pm25_superposed"));
  CHECK_THROWS_WITH(scenarios_csv(r, "evaluation.csv"), Contains("evaluation.csv"));
  r = small_forecast();
  r.baseline_pm25[0] = kInf;
  CHECK_THROWS_WITH(scenario_series_csv(r), Contains("column pm25") && Contains("scenario 'baseline'"));

  r = small_forecast();
  r.outcomes[0].metrics.domain_mean.peak_hourly.percent = kInf;  // never meaningful
  CHECK_THROWS_WITH(scenarios_csv(r), Contains("scenarios.csv: column peak_hourly_cut_pct") &&
                                          Contains("scenario 'half', series 'city'"));
  r = small_forecast();
  r.outcomes[0].metrics.plan.cost_yuan = kNaN;  // always defined
  CHECK_THROWS_WITH(scenarios_csv(r), Contains("column cost_10k_yuan"));
}

TEST_CASE("a cost without a documented rate is 'not estimated', never 0", "[output-checks][cost]") {
  // The standard scenarios: uniform cuts have no rate at all; plans + sector measures price the
  // lines only (a lower bound); a stop of an enterprise is priced by its lines' lost output.
  for (const Scenario& sc : standard_scenarios())
    CHECK(cost_estimate(sc) == (sc.uniform ? CostEstimate::not_estimated : CostEstimate::partial));
  Scenario stop;
  stop.measures.emplace_back();
  stop.measures.back().target = {TargetKind::enterprise, {"E001"}};
  stop.measures.back().action = {ActionKind::stop, 0.0};
  CHECK(cost_estimate(stop) == CostEstimate::estimated);
  stop.measures.back().target.kind = TargetKind::sector;  // area sources: no rate
  CHECK(cost_estimate(stop) == CostEstimate::not_estimated);

  ForecastResult r = small_forecast();
  r.outcomes[0].scenario.uniform = true;
  r.outcomes[0].metrics.plan.cost_yuan = 0.0;  // what account() returns for uniform cuts
  const std::string csv = scenarios_csv(r);
  // ... ,floors_met,cost_10k_yuan,superposition_peak_error_pct,cost_estimate,response_at_end,...
  // Each row: floors not met (no cut), the cost empty (not 0.0), no superposition error, "not
  // estimated", no response in the two hours ("none"), no lift, no earliest lift.
  CHECK_THAT(csv, Contains("\nhalf,'=1+1,") && Contains(",no,,,not estimated,none,,\n") && !Contains(",no,0.0,"));
  r.outcomes[0].scenario.uniform = false;  // nothing but lines (here none): estimated, 0
  CHECK_THAT(scenarios_csv(r), Contains(",no,0.0,,estimated,none,,\n"));
}
