// Control measures (scenarios/measures.hpp) against hand calculations on a small inventory built
// here: the split of lines over stacks, stop / limit / min_load, exemptions, the algebra of
// overlapping measures, timing, grade defaults, cost. (The demo city's scenarios against
// emissions/totals.hpp: tests/forecast/test_scenario_file.cpp.)
#include <catch2/catch.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "emissions/totals.hpp"
#include "scenarios/measures.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "tests/core/error_message.hpp"

using namespace lantian;
using emissions::EmittedPollutant;
using emissions::Rates;
using Catch::Matchers::Contains;

namespace {

constexpr std::size_t kSo2 = emissions::index(EmittedPollutant::so2);
constexpr std::size_t kNox = emissions::index(EmittedPollutant::nox);
constexpr std::size_t kPm25 = emissions::index(EmittedPollutant::pm25);
constexpr std::size_t kPm10 = emissions::index(EmittedPollutant::pm10);
constexpr std::size_t kVocs = emissions::index(EmittedPollutant::vocs);

Rates all(double v) {
  Rates r;
  r.fill(v);
  return r;
}

// The small inventory (rates in g/s):
//   E1 "Works" grade C, district West, stacks S1, S2; lines
//      L1 share 0.5 -> S1            (lost 1000 yuan/h)
//      L2 share 0.3 -> S1, S2 (0.15 each), can_stop = false, min_load 0.4   (lost 500 yuan/h)
//      L3 share 0.1 -> ground (yard)
//      rest 0.1 -> S1, S2 (0.05 each)
//   so S1 carries 0.70 of E1, S2 0.20, the ground 0.10.
//   E2 "Heat" grade A, exempt, stack S3, line L4 share 1 -> S3 (lost 2000 yuan/h)
//   E3 "Kiln" grade D, no stack, no line: all at ground level.
//   A1 construction_dust (West), A2 solvent_use (East), R1 road_traffic (East).
emissions::Inventory small_inventory() {
  emissions::Inventory inv;
  auto enterprise = [&](std::string id, emissions::Grade g, bool exempt, std::string district, double x, double rate) {
    emissions::Enterprise e;
    e.id = std::move(id);
    e.name = e.id;
    e.industry = "steel";
    e.grade = g;
    e.exempt = exempt;
    e.district = std::move(district);
    e.category = "industrial waste gas";
    e.location = {x, 0.0};
    e.rates = {rate, 2.0 * rate, 0.4 * rate, 0.6 * rate, 0.8 * rate, 0.0};
    inv.enterprises.push_back(e);
  };
  enterprise("E1", emissions::Grade::C, false, "West", -3000.0, 10.0);
  enterprise("E2", emissions::Grade::A, true, "East", 2000.0, 5.0);
  enterprise("E3", emissions::Grade::D, false, "East", 3000.0, 2.0);
  inv.enterprises[2].industry = "brick";
  auto stack = [&](std::string id, std::size_t e, double x) {
    emissions::Stack s;
    s.id = std::move(id);
    s.enterprise = e;
    s.position = {x, 100.0};
    s.height = 60.0;
    s.diameter = 2.0;
    s.exit_velocity = 10.0;
    s.exit_temperature = 400.0;
    inv.stacks.push_back(s);
  };
  stack("S1", 0, -3000.0);
  stack("S2", 0, -2900.0);
  stack("S3", 1, 2000.0);
  auto line = [&](std::string id, std::size_t e, std::vector<std::size_t> stacks, double share, double lost) {
    emissions::ProductionLine l;
    l.id = std::move(id);
    l.enterprise = e;
    l.name = l.id;
    l.stacks = std::move(stacks);
    l.share = all(share);
    l.lost_output_per_hour = lost;
    inv.lines.push_back(l);
  };
  line("L1", 0, {0}, 0.5, 1000.0);
  line("L2", 0, {0, 1}, 0.3, 500.0);
  inv.lines.back().can_stop = false;
  inv.lines.back().min_load = 0.4;
  line("L3", 0, {}, 0.1, 0.0);
  line("L4", 1, {2}, 1.0, 2000.0);
  auto area = [&](std::string id, emissions::Sector s, std::string district, double x0) {
    emissions::AreaSource a;
    a.id = std::move(id);
    a.sector = s;
    a.district = std::move(district);
    a.category = std::string(emissions::sector_name(s)) == "construction_dust" ? "building-site dust" : "VOCs solvent use";
    a.polygons.push_back({{{x0, -1000.0}, {x0 + 2000.0, -1000.0}, {x0 + 2000.0, 1000.0}, {x0, 1000.0}}, {}});
    a.rates = {0.0, 0.0, 3.0, 6.0, 4.0, 0.0};
    inv.areas.push_back(a);
  };
  area("A1", emissions::Sector::construction_dust, "West", -4000.0);
  area("A2", emissions::Sector::solvent_use, "East", 1000.0);
  emissions::RoadSource r;
  r.id = "R1";
  r.sector = emissions::Sector::road_traffic;
  r.district = "East";
  r.category = "motor vehicle exhaust";
  r.path = {{-4000.0, 2000.0}, {4000.0, 2000.0}};
  r.rates = {0.1, 5.0, 0.5, 0.6, 1.0, 0.0};
  inv.roads.push_back(r);
  return inv;
}

Grid small_grid() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  g.nx = g.ny = 10;
  g.dx = g.dy = 1000.0;
  g.x0 = g.y0 = -5000.0;
  g.layer_tops = {50.0, 100.0, 200.0};
  return Grid(g);
}

/// A 48-hour period from 2024-12-11T00:00Z.
const TimeZone kZone{"Asia/Shanghai"};
const UtcHour kT0 = parse_time("2024-12-11T00:00Z", kZone);
TimeAxis period48() { return TimeAxis(kT0, 48, kZone); }
/// One orange window over the whole period.
std::vector<ResponseWindow> whole(ResponseLevel level = ResponseLevel::orange) { return {{kT0, kT0 + 48, level}}; }

CustomMeasure measure(TargetKind kind, std::string value, Action action) {
  CustomMeasure m;
  m.target = {kind, {std::move(value)}};
  m.action = action;
  return m;
}

/// The screening factors of the first active hour (h = lead = 3) of the whole-period window.
std::vector<Rates> screening_at(const Scenario& s, const emissions::Inventory& inv, const LinePlans& plans,
                                const ResponseSettings& settings = ResponseSettings::defaults(), std::int64_t h = 3) {
  const MeasureInputs in{inv, plans, settings};
  const auto w = whole(s.level == ResponseLevel::none ? ResponseLevel::orange : s.level);
  return screening_factors(s, in, period48(), w).factors_at(h);
}

}  // namespace

TEST_CASE("stopping a line removes exactly its share from its stacks and nothing else", "[measures]") {
  const auto inv = small_inventory();
  const auto plans = LinePlans::none(inv);
  Scenario s = measures_scenario("stop L1", {measure(TargetKind::line, "L1", {ActionKind::stop, 0.0})});
  const auto f = screening_at(s, inv, plans);
  // Screening sources: S1, S2, S3, then ground of E1, E2, E3.
  REQUIRE(f.size() == 6);
  // S1 carries 0.5 (L1) + 0.15 (L2) + 0.05 (rest) of E1; stopping L1 leaves 0.2 / 0.7.
  for (std::size_t p : {kSo2, kNox, kPm25, kPm10, kVocs}) {
    CHECK(f[0][p] == Approx(0.2 / 0.7).epsilon(1e-14));
    CHECK(f[1][p] == 1.0);
    CHECK(f[2][p] == 1.0);
    CHECK(f[3][p] == 1.0);
    CHECK(f[5][p] == 1.0);
  }
  // The mass removed from S1 is exactly L1's: (1 - 2/7) x 0.7 x rate = 0.5 x rate.
  const auto base = emissions::stack_emissions(inv);
  CHECK(base[0][kSo2] * (1.0 - f[0][kSo2]) == Approx(0.5 * 10.0).epsilon(1e-14));

  // The same through the Eulerian source list (stacks, areas, roads, ground releases): S1..S3,
  // A1, A2, R1, ground of E1 (L3), ground of E3 (E2 has no ground release).
  const Grid grid = small_grid();
  const emissions::EulerianEmissions em(inv, grid, kZone);
  REQUIRE(em.sources().size() == 8);
  const MeasureInputs in{inv, plans, ResponseSettings::defaults()};
  const auto ef = eulerian_factors(s, in, em.sources(), period48(), whole()).factors_at(3);
  CHECK(ef[0][kNox] == Approx(0.2 / 0.7).epsilon(1e-14));
  for (std::size_t k = 1; k < 8; ++k) CHECK(ef[k] == all(1.0));
}

TEST_CASE("limit N runs a line at N % of its load, can_stop = false stops at min_load", "[measures]") {
  const auto inv = small_inventory();
  const auto plans = LinePlans::none(inv);
  SECTION("limit 60 on L1") {
    const auto f = screening_at(measures_scenario("x", {measure(TargetKind::line, "L1", {ActionKind::limit, 0.6})}), inv, plans);
    CHECK(f[0][kSo2] == Approx((0.5 * 0.6 + 0.15 + 0.05) / 0.7).epsilon(1e-14));
    CHECK(f[1][kSo2] == 1.0);
  }
  SECTION("stop on L2, which cannot stop: runs at min_load 0.4") {
    const auto f = screening_at(measures_scenario("x", {measure(TargetKind::line, "L2", {ActionKind::stop, 0.0})}), inv, plans);
    CHECK(f[0][kSo2] == Approx((0.5 + 0.15 * 0.4 + 0.05) / 0.7).epsilon(1e-14));
    CHECK(f[1][kSo2] == Approx((0.15 * 0.4 + 0.05) / 0.2).epsilon(1e-14));
  }
  SECTION("limit 30 on L2 is raised to min_load 0.4; a verified load of 0.3 is taken as is") {
    const auto f = screening_at(measures_scenario("x", {measure(TargetKind::line, "L2", {ActionKind::limit, 0.3})}), inv, plans);
    CHECK(f[1][kSo2] == Approx((0.15 * 0.4 + 0.05) / 0.2).epsilon(1e-14));
    const auto g = screening_at(measures_scenario("x", {measure(TargetKind::line, "L2", {ActionKind::load, 0.3})}), inv, plans);
    CHECK(g[1][kSo2] == Approx((0.15 * 0.3 + 0.05) / 0.2).epsilon(1e-14));
  }
  SECTION("stopping the enterprise stops every line (L2 at min_load), its yard and its rest") {
    const auto f = screening_at(measures_scenario("x", {measure(TargetKind::enterprise, "E1", {ActionKind::stop, 0.0})}), inv, plans);
    CHECK(f[0][kSo2] == Approx(0.15 * 0.4 / 0.7).epsilon(1e-14));
    CHECK(f[1][kSo2] == Approx(0.15 * 0.4 / 0.2).epsilon(1e-14));
    CHECK(f[3][kSo2] == 0.0);  // ground of E1: L3
  }
}

TEST_CASE("exempt enterprises are untouched by uniform cuts and plans", "[measures]") {
  const auto inv = small_inventory();
  auto plans = LinePlans::none(inv);
  const Action stop{ActionKind::stop, 0.0};
  plans.line[3] = std::array<Action, 3>{stop, stop, stop};  // L4 of exempt E2
  plans.enterprise_has_plan[1] = true;
  Scenario uniform;
  uniform.level = ResponseLevel::orange;
  uniform.uniform = true;
  const auto f = screening_at(uniform, inv, plans);
  CHECK(f[0][kSo2] == Approx(0.8).epsilon(1e-14));  // E1: 20 % off every part
  CHECK(f[0][emissions::index(EmittedPollutant::nh3)] == 1.0);  // NH3 not in the default cut
  CHECK(f[2] == all(1.0));                          // S3 of exempt E2
  CHECK(f[4] == all(1.0));                          // ground of E2 (none, factor 1)
  CHECK(f[5][kNox] == Approx(0.8).epsilon(1e-14));  // E3
  Scenario planned;
  planned.level = ResponseLevel::orange;
  planned.plans = true;
  CHECK(screening_at(planned, inv, plans)[2] == all(1.0));
  // A custom measure naming the exempt enterprise reaches it (exemption revoked); a sector-wide
  // one does not unless include_exempt.
  CHECK(screening_at(measures_scenario("x", {measure(TargetKind::enterprise, "E2", stop)}), inv, plans)[2][kSo2] == 0.0);
  auto industry = measure(TargetKind::sector, "industry", {ActionKind::cut, 0.5});
  CHECK(screening_at(measures_scenario("x", {industry}), inv, plans)[2][kSo2] == 1.0);
  industry.include_exempt = true;
  CHECK(screening_at(measures_scenario("x", {industry}), inv, plans)[2][kSo2] == Approx(0.5).epsilon(1e-14));
}

TEST_CASE("overlapping measures: cuts multiply what remains, caps take the minimum", "[measures]") {
  const auto inv = small_inventory();
  const auto plans = LinePlans::none(inv);
  const Grid grid = small_grid();
  const emissions::EulerianEmissions em(inv, grid, kZone);
  const MeasureInputs in{inv, plans, ResponseSettings::defaults()};
  // Uniform 20 % then a 50 % cut of construction PM: 0.8 of A1 remains after the first, the
  // second removes half of that: 0.8 x (1 - 0.5) = 0.4. SO2 (uniform only): 0.8.
  Scenario s;
  s.level = ResponseLevel::orange;
  s.uniform = true;
  auto sector = measure(TargetKind::sector, "construction_dust", {ActionKind::cut, 0.5});
  sector.pollutants = *parse_pollutant_group("pm");
  s.measures.push_back(sector);
  const auto f = eulerian_factors(s, in, em.sources(), period48(), whole()).factors_at(10);
  REQUIRE(em.sources()[3].id == "A1");
  CHECK(f[3][kPm25] == Approx(0.4).epsilon(1e-14));
  CHECK(f[3][kPm10] == Approx(0.4).epsilon(1e-14));
  CHECK(f[3][kVocs] == Approx(0.8).epsilon(1e-14));
  CHECK(f[4][kPm25] == Approx(0.8).epsilon(1e-14));  // A2 solvent: uniform only
  // The built-in construction measure at orange (70 %) with the uniform 20 %: 0.3 x 0.8 = 0.24;
  // solvent use 30 % VOCs: 0.7 x 0.8 = 0.56; road traffic NOx 20 %: 0.8 x 0.8 = 0.64.
  Scenario b;
  b.level = ResponseLevel::orange;
  b.uniform = true;
  b.sector_measures = true;
  const auto g = eulerian_factors(b, in, em.sources(), period48(), whole()).factors_at(10);
  CHECK(g[3][kPm25] == Approx(0.24).epsilon(1e-14));
  CHECK(g[4][kVocs] == Approx(0.56).epsilon(1e-14));
  CHECK(g[5][kNox] == Approx(0.64).epsilon(1e-14));
  CHECK(g[5][kSo2] == Approx(0.8).epsilon(1e-14));
  // On a line: limit 80 and limit 60 -> min = 0.6 (not 0.48); with a 50 % cut -> 0.3; a stop wins.
  const auto l80 = measure(TargetKind::line, "L1", {ActionKind::limit, 0.8});
  const auto l60 = measure(TargetKind::enterprise, "E1", {ActionKind::limit, 0.6});
  const auto c50 = measure(TargetKind::line, "L1", {ActionKind::cut, 0.5});
  const auto st = measure(TargetKind::line, "L1", {ActionKind::stop, 0.0});
  const double rest_s1 = 0.15 * 0.6 + 0.05 * 0.6;  // L2 and the rest under the enterprise limit 0.6
  CHECK(screening_at(measures_scenario("x", {l80, l60}), inv, plans)[0][kSo2] ==
        Approx((0.5 * 0.6 + rest_s1) / 0.7).epsilon(1e-14));
  CHECK(screening_at(measures_scenario("x", {l80, l60, c50}), inv, plans)[0][kSo2] ==
        Approx((0.5 * 0.3 + rest_s1) / 0.7).epsilon(1e-14));
  CHECK(screening_at(measures_scenario("x", {l80, c50, st}), inv, plans)[0][kSo2] ==
        Approx((0.15 + 0.05) / 0.7).epsilon(1e-14));
  // The order of the measures does not matter.
  CHECK(screening_at(measures_scenario("x", {c50, l60, l80}), inv, plans)[0] ==
        screening_at(measures_scenario("x", {l80, l60, c50}), inv, plans)[0]);
}

TEST_CASE("timing: measures start at response start + lead and end at the lift", "[measures]") {
  const auto inv = small_inventory();
  const auto plans = LinePlans::none(inv);
  auto settings = ResponseSettings::defaults();
  const MeasureInputs in{inv, plans, settings};
  const TimeAxis p = period48();
  // Windows: yellow [10, 20) and orange [20, 30) (one response, upgraded), red [40, 44).
  const std::vector<ResponseWindow> w{{kT0 + 10, kT0 + 20, ResponseLevel::yellow},
                                      {kT0 + 40, kT0 + 44, ResponseLevel::red},
                                      {kT0 + 20, kT0 + 30, ResponseLevel::orange}};
  Scenario fixed;
  fixed.level = ResponseLevel::orange;
  fixed.uniform = true;
  const auto f = screening_factors(fixed, in, p, w);
  auto s1 = [&](const ScenarioFactors& x, std::int64_t h) { return x.factors_at(h)[0][kSo2]; };
  CHECK(s1(f, 0) == 1.0);
  CHECK(s1(f, 12) == 1.0);                      // before 10 + 3
  CHECK(s1(f, 13) == Approx(0.8).epsilon(1e-14));
  CHECK(s1(f, 20) == Approx(0.8).epsilon(1e-14));  // the upgrade does not restart the lead time
  CHECK(s1(f, 29) == Approx(0.8).epsilon(1e-14));
  CHECK(s1(f, 30) == 1.0);                      // lifted
  CHECK(s1(f, 42) == 1.0);
  CHECK(s1(f, 43) == Approx(0.8).epsilon(1e-14));  // second response: 40 + 3 .. 44
  CHECK(s1(f, 44) == 1.0);
  CHECK(f.segments().size() == 5);  // [0,13) [13,30) [30,43) [43,44) [44,48)
  CHECK_THROWS_WITH(f.factors_at(48), Contains("outside the period"));

  // Following the timeline: yellow from 13, orange 3 h after the upgrade (23), red at 43.
  Scenario follow = fixed;
  follow.follow_timeline = true;
  const auto g = screening_factors(follow, in, p, w);
  CHECK(s1(g, 13) == Approx(0.9).epsilon(1e-14));
  CHECK(s1(g, 22) == Approx(0.9).epsilon(1e-14));
  CHECK(s1(g, 23) == Approx(0.8).epsilon(1e-14));
  CHECK(s1(g, 43) == Approx(0.7).epsilon(1e-14));

  // A custom measure with its own times ignores the windows; one with from_level = orange follows
  // the level in force.
  auto own = measure(TargetKind::enterprise, "E3", {ActionKind::stop, 0.0});
  own.start = kT0 + 5;
  own.end = kT0 + 8;
  auto from_orange = measure(TargetKind::line, "L1", {ActionKind::stop, 0.0});
  from_orange.from_level = ResponseLevel::orange;
  Scenario c;
  c.follow_timeline = true;
  c.measures = {own, from_orange};
  const auto h = screening_factors(c, in, p, w);
  auto e3 = [&](std::int64_t k) { return h.factors_at(k)[5][kSo2]; };
  CHECK(e3(4) == 1.0);
  CHECK(e3(5) == 0.0);
  CHECK(e3(7) == 0.0);
  CHECK(e3(8) == 1.0);
  CHECK(s1(h, 22) == 1.0);
  CHECK(s1(h, 23) == Approx(0.2 / 0.7).epsilon(1e-14));
  CHECK(s1(h, 43) == Approx(0.2 / 0.7).epsilon(1e-14));

  // Lead time 0 and 6.
  settings.lead_hours = 0;
  CHECK(s1(screening_factors(fixed, in, p, w), 10) == Approx(0.8).epsilon(1e-14));
  settings.lead_hours = 6;
  CHECK(s1(screening_factors(fixed, in, p, w), 15) == 1.0);
  CHECK(s1(screening_factors(fixed, in, p, w), 16) == Approx(0.8).epsilon(1e-14));
  // Overlapping windows are an error.
  const std::vector<ResponseWindow> bad{{kT0, kT0 + 10, ResponseLevel::red}, {kT0 + 5, kT0 + 12, ResponseLevel::red}};
  CHECK_THROWS_WITH(screening_factors(fixed, in, p, bad), Contains("overlaps the previous window"));
}

TEST_CASE("response windows from a response timeline", "[measures]") {
  const TimeAxis series(kT0, 100, kZone);
  const std::vector<ResponsePeriod> periods{{1, 10, 20, "", "", {}}, {2, 20, 30, "", "", {}}, {3, 60, -1, "", "", {}}};
  const auto w = response_windows(periods, series, WarningRules::national());
  REQUIRE(w.size() == 3);
  CHECK(w[0].start == kT0 + 10);
  CHECK(w[0].level == ResponseLevel::yellow);
  CHECK(w[1].level == ResponseLevel::orange);
  CHECK(w[2].level == ResponseLevel::red);
  CHECK(w[2].end == kT0 + 100);
  // A response in force before the series (ResponseState): its window starts when it began, so
  // the lead time counts from then and the measures already run at the first hour.
  const std::vector<ResponsePeriod> in_force{{2, 0, 30, "", "", std::int64_t{-24}}};
  const auto wi = response_windows(in_force, series, WarningRules::national());
  REQUIRE(wi.size() == 1);
  CHECK(wi[0].start == kT0 - 24);
  CHECK(wi[0].end == kT0 + 30);
}

TEST_CASE("grade defaults apply only to enterprises without a plan", "[measures]") {
  const auto inv = small_inventory();
  auto plans = LinePlans::none(inv);
  const Action stop{ActionKind::stop, 0.0}, none{};
  plans.line[0] = std::array<Action, 3>{none, stop, stop};  // L1 of E1 (grade C)
  plans.enterprise_has_plan[0] = true;
  Scenario s;
  s.level = ResponseLevel::orange;
  s.plans = true;
  const auto f = screening_at(s, inv, plans);
  // E1 has a plan: only L1 stops; C's default (limit 70) does not touch L2, L3 or the rest.
  CHECK(f[0][kSo2] == Approx(0.2 / 0.7).epsilon(1e-14));
  CHECK(f[1][kSo2] == 1.0);
  CHECK(f[3][kSo2] == 1.0);
  // E3 (grade D, no plan): the default at orange is limit 50 on the whole enterprise.
  CHECK(f[5][kSo2] == Approx(0.5).epsilon(1e-14));
  // At yellow L1's plan says none, E3 limit 70.
  s.level = ResponseLevel::yellow;
  const auto y = screening_at(s, inv, plans);
  CHECK(y[0][kSo2] == 1.0);
  CHECK(y[5][kSo2] == Approx(0.7).epsilon(1e-14));
  // Without any plan, E1 takes grade C's default at orange (limit 70) on every line (L2 keeps
  // min_load 0.4 < 0.7) and its rest.
  s.level = ResponseLevel::orange;
  const auto n = screening_at(s, inv, LinePlans::none(inv));
  CHECK(n[0][kSo2] == Approx(0.7).epsilon(1e-14));
  CHECK(n[3][kSo2] == Approx(0.7).epsilon(1e-14));
  // The table is configurable.
  auto settings = ResponseSettings::defaults();
  settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::D)][index(ResponseLevel::orange)] = stop;
  CHECK(screening_at(s, inv, plans, settings)[5][kSo2] == 0.0);
}

TEST_CASE("cost and achieved cut on the small inventory by hand", "[measures]") {
  const auto inv = small_inventory();
  auto plans = LinePlans::none(inv);
  const Action stop{ActionKind::stop, 0.0}, limit30{ActionKind::limit, 0.3}, none{};
  plans.line[0] = std::array<Action, 3>{none, stop, stop};     // L1
  plans.line[1] = std::array<Action, 3>{none, limit30, stop};  // L2: limit 30 -> min_load 0.4
  plans.enterprise_has_plan[0] = true;
  Scenario s;
  s.level = ResponseLevel::orange;
  s.plans = true;
  const auto settings = ResponseSettings::defaults();
  const MeasureInputs in{inv, plans, settings};
  // One orange window [10, 30): active 13 .. 29 = 17 hours.
  const std::vector<ResponseWindow> w{{kT0 + 10, kT0 + 30, ResponseLevel::orange}};
  AccountOptions flat;
  flat.temporal_profiles = false;
  const ScenarioAccount a = account(s, in, period48(), w, flat);
  CHECK(a.active_hours == 17);
  // Cost: L1 1000 yuan/h x 1 + L2 500 yuan/h x (1 - 0.4), 17 hours = 22,100 yuan.
  CHECK(a.cost == Approx(17.0 * (1000.0 + 500.0 * 0.6)).epsilon(1e-14));
  CHECK(a.cost_by_enterprise[0] == Approx(a.cost).epsilon(1e-14));
  // SO2 removed per hour: E1 L1 0.5 x 10 + L2 0.3 x 10 x 0.6 = 6.8 g/s; E3 (D, limit 50) 0.5 x 2
  // = 1 g/s. Society SO2: 10 + 5 + 2 + 0.1 = 17.1 g/s.
  const double g_to_t = 3600.0 * 1e-6 * 17.0;
  CHECK(a.removed[kSo2] == Approx(7.8 * g_to_t).epsilon(1e-12));
  CHECK(a.society[kSo2] == Approx(17.1 * g_to_t).epsilon(1e-12));
  CHECK(a.achieved[kSo2] == Approx(7.8 / 17.1).epsilon(1e-12));
  CHECK(a.floor_level == ResponseLevel::orange);
  CHECK(a.floor[kSo2] == 0.2);
  CHECK(a.meets_floor[kSo2]);
  CHECK(a.cut_per_cost[kSo2] == Approx(a.removed[kSo2] / (a.cost / 1e4)).epsilon(1e-14));
  // PM2.5 (0.4 x the SO2 rates, areas and road untouched): 0.4 x 7.8 = 3.12 of 4 + 2 + 0.8 + 3 + 3 + 0.5.
  CHECK(a.achieved[kPm25] == Approx(3.12 / 13.3).epsilon(1e-12));
}

TEST_CASE("plans.csv: actions by level, with file:line:column errors", "[measures]") {
  const auto inv = small_inventory();
  const auto p = parse_line_plans("line,enterprise,yellow,orange,red\nL1,E1,none,limit 80,stop\nL4,E2,none,none,none\n",
                                  "plans.csv", inv);
  REQUIRE(p.line[0].has_value());
  CHECK((*p.line[0])[1] == Action{ActionKind::limit, 0.8});
  CHECK((*p.line[0])[2] == Action{ActionKind::stop, 0.0});
  CHECK_FALSE(p.line[1].has_value());
  CHECK(p.enterprise_has_plan == std::vector<bool>{true, true, false});
  CHECK(test::message_of([&] { parse_line_plans("line,enterprise,yellow,orange,red\nL5,E1,none,none,none\n", "plans.csv", inv); }) ==
        "plans.csv:2: column 1 (line): unknown production line 'L5' (not in lines.csv) (did you mean 'L1'?)");
  CHECK_THROWS_WITH(parse_line_plans("line,enterprise,yellow,orange,red\nL1,E1,none,limit 120,stop\n", "plans.csv", inv),
                    Contains("plans.csv:2: column 4 (orange): expected 'none', 'stop' or 'limit N'") &&
                        Contains("found 'limit 120'"));
  CHECK_THROWS_WITH(parse_line_plans("line,enterprise,yellow,orange,red\nL1,E2,none,none,stop\n", "plans.csv", inv),
                    Contains("plans.csv:2: column 2 (enterprise): line 'L1' belongs to enterprise 'E1'"));
}

TEST_CASE("implemented measures (成效评估) read into the measure model", "[measures]") {
  const auto inv = small_inventory();
  const std::string csv =
      "enterprise,line,start,end,load,note\n"
      "E1,L1,2024-12-11T10:00,2024-12-11T14:00,0,stopped (electricity)\n"
      "E3,,2024-12-11T12:00+08:00,2024-12-11T13:00+08:00,0.5,\n";
  const auto m = parse_implemented_measures(csv, "done.csv", inv, kZone);
  REQUIRE(m.size() == 2);
  CHECK(m[0].target.kind == TargetKind::line);
  CHECK(*m[0].start == parse_time("2024-12-11T02:00Z", kZone));
  CHECK(*m[0].end == kT0 + 6);
  CHECK(m[1].target.kind == TargetKind::enterprise);
  CHECK(m[1].action == Action{ActionKind::load, 0.5});
  const auto plans = LinePlans::none(inv);
  const MeasureInputs in{inv, plans, ResponseSettings::defaults()};
  const auto f = screening_factors(measures_scenario("done", m), in, period48(), {});
  CHECK(f.factors_at(1)[0][kSo2] == 1.0);
  CHECK(f.factors_at(2)[0][kSo2] == Approx(0.2 / 0.7).epsilon(1e-14));
  CHECK(f.factors_at(4)[5][kSo2] == Approx(0.5).epsilon(1e-14));
  CHECK(f.factors_at(6)[0][kSo2] == 1.0);
  CHECK(test::message_of([&] { parse_implemented_measures("enterprise,line,start,end,load\nE1,L9,2024-12-11T10:00,2024-12-11T11:00,0\n", "done.csv", inv, kZone); }) ==
        "done.csv:2: column 2 (line): enterprise 'E1' has no production line 'L9' (did you mean 'L1'?)");
  CHECK_THROWS_WITH(parse_implemented_measures("enterprise,line,start,end,load\nE1,L1,2024-12-11T10:00,2024-12-11T09:00,0\n", "done.csv", inv, kZone),
                    Contains("done.csv:2: column 4 (end): expected an end after the start"));
  CHECK_THROWS_WITH(parse_implemented_measures("enterprise,line,start,end,load\nE1,L1,2024-12-11T10:00,2024-12-11T11:00,1.5\n", "done.csv", inv, kZone),
                    Contains("done.csv:2: column 5 (load): expected a verified load fraction 0-1"));
  CHECK_THROWS_WITH(parse_implemented_measures("enterprise,line,start,end,load\nE1,L1,yesterday,2024-12-11T11:00,1\n", "done.csv", inv, kZone),
                    Contains("done.csv:2: column 3 (start)"));
}
