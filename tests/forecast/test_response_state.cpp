// The daily cycle's starting state (issue 13): a response in force when the forecast starts and a
// level imposed by a higher authority, from the case file ([response] in_force, in_force_since,
// [[response.imposed]]) through run_forecast: the city's timeline, the response windows the
// measures follow, the options' active hours and scenarios.json.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "core/case_config.hpp"
#include "core/demo_case.hpp"
#include "core/temp_dir.hpp"
#include "forecast/case_inputs.hpp"
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
