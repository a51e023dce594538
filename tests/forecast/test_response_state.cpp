// The daily cycle's starting state (issue 13): a response in force when the forecast starts and a
// level imposed by a higher authority, from the case file ([response] in_force, in_force_since,
// [[response.imposed]]) through run_forecast: the city's timeline, the response windows the
// measures follow, the options' active hours and scenarios.json; a regional cut of the inflow
// (区域联防联控) in the re-run and its hours.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "core/case_config.hpp"
#include "core/demo_case.hpp"
#include "core/temp_dir.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/daily_product.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/forecast.hpp"
#include "forecast/forecast_output.hpp"

using namespace lantian;

namespace {

/// The demo on the coarse 4 km grid, 6 hours from its 16:00 start, with `response` lines added
/// after the keys of its [response]; only the uniform-red option, by superposition (fast).
std::string case_with(const std::string& response) {
  test::DemoCaseOptions o;
  o.hours = 6;
  o.coarse = true;
  return std::regex_replace(test::demo_case_text(o), std::regex("\nstandard_scenarios = true"),
                            "\nstandard_scenarios = true\n" + response);
}

struct Run {
  test::TempDir d;
  CaseInputs in;
  ForecastResult r;
  explicit Run(const std::string& response)
      : in(assemble_case(load_case(d.write("case.toml", case_with(response))))), r(forecast()) {}
  ForecastResult forecast() const {
    ForecastOptions fo;
    fo.reruns = false;
    const ScenarioSet set = load_scenario_set(in.config, in.inventory);
    fo.scenarios = std::vector<Scenario>{*set.find("uniform-red")};
    return run_forecast(in, fo);
  }
};

}  // namespace

TEST_CASE("a response in force at the start carries through the forecast and its options", "[forecast][in-force]") {
  // Red in force since 16:00 the day before: the 6-h forecast cannot prove a lift (the release
  // needs 36 h), so red holds to the end; its window starts at the since time, so the options'
  // measures (lead 3 h from then) run from the first hour.
  const Run run("in_force = \"red\"\nin_force_since = \"2024-12-11T16:00\"\n");
  const ForecastResult& r = run.r;
  const CaseInputs& in = run.in;
  REQUIRE(r.city.timeline.size() == 1);
  CHECK(r.city.timeline[0].level == 3);
  REQUIRE(r.city.timeline[0].began.has_value());
  CHECK(*r.city.timeline[0].began == -24);
  CHECK(r.city.outlook.open);
  CHECK(r.city.outlook.duration_hours == 24 + 6);
  REQUIRE(r.windows.size() == 1);
  CHECK(r.windows[0].start == in.period.start() - 24);
  CHECK(r.windows[0].level == ResponseLevel::red);
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.outcomes[0].account.active_hours == 6);  // lead time long past: every hour
  const auto j = nlohmann::json::parse(scenarios_json(r, in, "scenarios.json"));
  CHECK(j["response_state"]["in_force"]["level"] == "red");
  CHECK(j["response_state"]["in_force"]["since"] == "2024-12-11T16:00:00+08:00");
  CHECK(j["baseline"]["city_response"]["start"] == "2024-12-11T16:00:00+08:00");
  CHECK(j["baseline"]["city_response"]["status"] == "open");
  CHECK(j["baseline"]["city_response"]["text"].get<std::string>().find("no lift within the forecast") != std::string::npos);
}

TEST_CASE("a level imposed by a higher authority is the response over its period", "[forecast][in-force]") {
  const Run run("[[response.imposed]]\nlevel = \"orange\"\nstart = \"2024-12-12T18:00\"\nend = \"2024-12-12T20:00\"\n");
  const ForecastResult& r = run.r;
  const CaseInputs& in = run.in;
  REQUIRE(r.city.timeline.size() == 1);
  CHECK(r.city.timeline[0].level == 2);
  CHECK(r.city.timeline[0].start == 2);
  CHECK(r.city.timeline[0].end == 4);
  REQUIRE(r.windows.size() == 1);
  CHECK(r.windows[0].start == in.period.start() + 2);
  const auto j = nlohmann::json::parse(scenarios_json(r, in, "scenarios.json"));
  CHECK(j["response_state"]["imposed"][0]["level"] == "orange");
}

TEST_CASE("a regional cut scales the inflow: with no emission and a clean start, the state scales with it",
          "[forecast][regional]") {
  // Without emissions and from a zero initial state, the inflow is the only source; every process
  // is positively homogeneous of degree 1 in the concentrations (the MC limiter of the advection
  // depends on ratios of differences; diffusion, linear chemistry and deposition are linear), so
  // inflow × 0.5 gives the state × 0.5 at every station and hour (a power of 2: exact in floating
  // point but for underflow), while the affine combination (c(1) + c(0)) / 2 would not hold with
  // emissions: the limiter makes advection non-linear.
  test::DemoCaseOptions o;
  o.hours = 6;
  o.coarse = true;
  o.untagged = true;
  o.model_keys = "processes = [\"advection\", \"vertical_diffusion\", \"horizontal_diffusion\", \"chemistry\", "
                 "\"deposition\"]\n";
  std::string text = test::demo_case_text(o);
  text = std::regex_replace(text, std::regex("initial = \"observations\""), "initial = \"background\"");
  const test::TempDir d;
  const CaseInputs in = assemble_case(load_case(d.write("case.toml", text)));
  auto series = [&](double f) {
    EulerianRunOptions ro;
    ro.inflow_factors.assign(6, f);
    const EulerianRun run = run_eulerian(in, ro);
    std::vector<double> out;
    for (const auto& s : run.model->station_series())
      for (const auto& h : s) out.push_back(h);
    return out;
  };
  const std::vector<double> one = series(1.0), half = series(0.5), zero = series(0.0);
  REQUIRE(one.size() == 8u * 6u);
  double worst = 0.0, reached = 0.0;
  for (std::size_t i = 0; i < one.size(); ++i) {
    if (one[i] > 0.0) worst = std::max(worst, std::abs(half[i] - 0.5 * one[i]) / one[i]);
    reached = std::max(reached, one[i]);
    CHECK(zero[i] == 0.0);  // no inflow, no emission, clean start: nothing
  }
  CHECK(worst < 1e-12);
  CHECK(reached > 1.0);  // the inflow reaches a station within 6 h (else the test says nothing)
}

TEST_CASE("inflow factors follow the option's response measures", "[forecast][regional]") {
  const TimeZone zone("Asia/Shanghai");
  const TimeAxis period(parse_time("2024-12-12T16:00", zone), 12, zone);
  // Response over hours 2-10, lead 3 h: the measures (and the regional cut) act over 5-10.
  const std::vector<ResponseWindow> windows{{period.start() + 2, period.start() + 10, ResponseLevel::orange}};
  Scenario sc;
  sc.name = "regional";
  sc.level = ResponseLevel::orange;
  sc.regional_cut = 0.25;
  const std::vector<double> f = inflow_factors(sc, period, windows, ResponseSettings::defaults());
  REQUIRE(f.size() == 12u);
  for (std::size_t h = 0; h < 12; ++h) CHECK(f[h] == (h >= 5 && h < 10 ? 0.75 : 1.0));
  sc.regional_cut = 1.5;
  CHECK_THROWS_WITH(inflow_factors(sc, period, windows, ResponseSettings::defaults()),
                    Catch::Contains("expected a fraction 0-1"));
}

TEST_CASE("the option ranking says whether the instant what-ifs keep the re-runs' order", "[forecast][ranking]") {
  const test::TempDir d;
  const CaseInputs in = assemble_case(load_case(d.write("case.toml", case_with("in_force = \"red\"\nin_force_since = \"2024-12-11T16:00\"\n"))));
  ForecastOptions fo;
  fo.reruns = true;
  const ScenarioSet set = load_scenario_set(in.config, in.inventory);
  Scenario regional = *set.find("plans-red");
  regional.name = "plans-red-regional";
  regional.regional_cut = 0.3;  // the region removes 30 % of the inflow: re-run and superposed
  fo.scenarios = std::vector<Scenario>{*set.find("uniform-yellow"), *set.find("uniform-red"), *set.find("plans-red"), regional};
  const ForecastResult r = run_forecast(in, fo);
  const OptionRanking full = option_ranking(r);
  REQUIRE(full.order.size() == 4);
  // With 30 % less inflow on top of the same measures, the regional option ranks first, by the
  // re-run and by the superposition alike.
  CHECK(full.order[0].name == "plans-red-regional");
  CHECK(full.order[0].superposed_peak_mean24 < full.order[1].superposed_peak_mean24);
  const OptionRanking& rank = full;
  REQUIRE(rank.superposed_same_order.has_value());  // every option re-run and superposed
  for (std::size_t k = 1; k < 4; ++k) CHECK(rank.order[k - 1].peak_mean24 <= rank.order[k].peak_mean24);
  // The swapped pairs are exactly the adjacent ones whose superposed peaks are in the other order.
  std::size_t swaps = 0;
  for (std::size_t k = 1; k < 4; ++k) swaps += rank.order[k].superposed_peak_mean24 < rank.order[k - 1].superposed_peak_mean24;
  CHECK(rank.swapped.size() == swaps);
  CHECK(*full.superposed_same_order == full.swapped.empty());
  // uniform-yellow cuts 10 %, uniform-red 30 % of the same sources: red ranks before yellow.
  const auto pos = [&](const std::string& n) {
    for (std::size_t k = 0; k < 4; ++k)
      if (rank.order[k].name == n) return k;
    return std::size_t{9};
  };
  CHECK(pos("uniform-red") < pos("uniform-yellow"));
  // The superposition against the re-runs: within 1 % for the emission cuts (weights at the
  // concentration's hour over 6 h); the regional cut also scales the initial state that the
  // background tag holds, which the re-run does not (it scales the inflow only), so 6 h after the
  // start the superposition overstates that cut (here ~6 %): below the re-run, within 10 %.
  for (const RankedOption& x : rank.order) {
    INFO(x.name);
    if (x.name == "plans-red-regional") {
      CHECK(x.superposed_peak_mean24 < x.peak_mean24);
      CHECK(x.superposed_peak_mean24 > 0.9 * x.peak_mean24);
    } else {
      CHECK(std::abs(x.superposed_peak_mean24 - x.peak_mean24) < 0.01 * x.peak_mean24);
    }
  }
}
