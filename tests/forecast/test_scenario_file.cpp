// Scenarios from the case file (forecast/scenario_file.hpp): [response] and [[scenarios]] read
// into the measure model, separate scenario files, the standard set, and errors naming the file,
// the line and the key with the nearest valid name suggested.
#include <catch2/catch.hpp>

#include <cstdint>
#include <iomanip>
#include <iostream>
#include <string>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "emissions/totals.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/scenario_file.hpp"
#include "scenarios/measures.hpp"
#include "tests/core/error_message.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using emissions::EmittedPollutant;
using Catch::Matchers::Contains;

namespace {

// 13 lines: scenario text appended after it starts at line 14.
const std::string kCaseHead = R"(name = "t"
time_zone = "Asia/Shanghai"
[period]
start = "2024-12-11T08:00"
hours = 48
[grid]
crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m"
nx = 10
ny = 10
dx = 1000.0
dy = 1000.0
x0 = -5000.0
layer_tops = [50, 100]
)";
// y0 after the scenarios would be a key of the last table: keep it in the head.
std::string case_text(const std::string& tail) {
  std::string head = kCaseHead;
  head.insert(head.find("layer_tops"), "y0 = -5000.0\n");  // 14 lines now
  return head + tail;
}

/// Two enterprises with lines, an area source (districts West/East).
emissions::Inventory inventory() {
  emissions::Inventory inv;
  for (const char* id : {"E001", "E002"}) {
    emissions::Enterprise e;
    e.id = id;
    e.industry = "steel";
    e.grade = emissions::Grade::C;
    e.district = "West";
    e.category = "industrial waste gas";
    e.rates = {1, 1, 1, 1, 1, 0};
    inv.enterprises.push_back(e);
  }
  for (std::size_t e = 0; e < 2; ++e) {
    emissions::ProductionLine l;
    l.id = inv.enterprises[e].id + "-L1";
    l.enterprise = e;
    l.share = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    inv.lines.push_back(l);
  }
  emissions::AreaSource a;
  a.id = "A1";
  a.sector = emissions::Sector::construction_dust;
  a.district = "East";
  a.category = "building-site dust";
  inv.areas.push_back(a);
  return inv;
}

struct Parsed {
  test::TempDir dir;
  emissions::Inventory inv = inventory();
};

ScenarioSet parse(const Parsed& p, const std::string& tail) {
  const std::string text = case_text(tail);
  const CaseConfig c = load_case_string(text, "case.toml", p.dir.path().string());
  return parse_scenario_set(text, "case.toml", p.dir.path().string(), c, p.inv);
}

std::string error_of(const Parsed& p, const std::string& tail) {
  return test::message_of([&] { parse(p, tail); });
}

}  // namespace

TEST_CASE("[response] and [[scenarios]] are read into the measure model", "[scenario-file]") {
  Parsed p;
  p.dir.write("plans.csv", "line,enterprise,yellow,orange,red\nE001-L1,E001,none,limit 80,stop\n");
  p.dir.write("extra.toml", "[[scenarios]]\nname = \"from-file\"\nlevel = \"red\"\nuniform = true\n");
  const ScenarioSet s = parse(p, R"(
[response]
lead_hours = 6
plans = "plans.csv"
scenario_files = ["extra.toml"]
uniform = {yellow = 0.15, red = 0.35}
floors = {orange = 0.25}
[response.grade_defaults]
C = {orange = "stop"}
leading = {red = "limit 90"}

[[scenarios]]
name = "mine"
description = "custom"
level = "timeline"
uniform = {so2 = 0.3, pm = 0.1}
plans = true
sector_measures = true

[[scenarios.measures]]
name = "steel"
industry = "steel"
action = "limit 60"
from_level = "orange"

[[scenarios.measures]]
district = ["East", "West"]
action = "cut 25"
pollutants = ["pm", "vocs"]
start = "2024-12-12T08:00"
end = "2024-12-12T20:00"
include_exempt = true
)");
  CHECK(s.settings.lead_hours == 6);
  CHECK(s.plans.line[0].has_value());
  CHECK_FALSE(s.plans.line[1].has_value());
  CHECK((*s.plans.line[0])[2] == Action{ActionKind::stop, 0.0});
  const std::size_t so2 = emissions::index(EmittedPollutant::so2), nh3 = emissions::index(EmittedPollutant::nh3),
                    pm10 = emissions::index(EmittedPollutant::pm10), vocs = emissions::index(EmittedPollutant::vocs);
  CHECK(s.settings.uniform[1][so2] == 0.15);
  CHECK(s.settings.uniform[2][so2] == 0.2);  // default kept
  CHECK(s.settings.uniform[3][vocs] == 0.35);
  CHECK(s.settings.uniform[3][nh3] == 0.0);
  CHECK(s.settings.floors[2][pm10] == 0.25);
  CHECK(s.settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::C)][2] == Action{ActionKind::stop, 0.0});
  CHECK(s.settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::C)][1] == Action{ActionKind::limit, 0.8});
  CHECK(s.settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::leading)][3] == Action{ActionKind::limit, 0.9});
  REQUIRE(s.scenarios.size() == 2);  // declared ones only: no standard set
  CHECK_FALSE(s.standard_added);
  const Scenario& m = s.scenarios[0];
  CHECK(m.name == "mine");
  CHECK(m.follow_timeline);
  CHECK(m.uniform);
  CHECK((*m.uniform_fractions)[so2] == 0.3);
  CHECK((*m.uniform_fractions)[pm10] == 0.1);
  CHECK((*m.uniform_fractions)[vocs] == 0.0);
  CHECK(m.plans);
  CHECK(m.sector_measures);
  REQUIRE(m.measures.size() == 2);
  CHECK(m.measures[0].target.kind == TargetKind::industry);
  CHECK(m.measures[0].action == Action{ActionKind::limit, 0.6});
  CHECK(m.measures[0].from_level == ResponseLevel::orange);
  CHECK(m.measures[1].target.values == std::vector<std::string>{"East", "West"});
  CHECK(m.measures[1].action == Action{ActionKind::cut, 0.25});
  CHECK(m.measures[1].pollutants == PollutantMask{false, false, true, true, true, false});
  const TimeZone zone("Asia/Shanghai");
  CHECK(*m.measures[1].start == parse_time("2024-12-12T00:00Z", zone));
  CHECK(*m.measures[1].end == parse_time("2024-12-12T12:00Z", zone));
  CHECK(m.measures[1].include_exempt);
  CHECK(s.scenarios[1].name == "from-file");
  CHECK(s.scenarios[1].level == ResponseLevel::red);
  CHECK(s.find("FROM-FILE") == &s.scenarios[1]);
}

TEST_CASE("the standard scenarios when the case declares none", "[scenario-file]") {
  Parsed p;
  const ScenarioSet s = parse(p, "");
  REQUIRE(s.scenarios.size() == 6);
  CHECK(s.standard_added);
  CHECK(s.scenarios[0].name == "uniform-yellow");
  CHECK(s.scenarios[1].uniform);
  CHECK(s.scenarios[1].level == ResponseLevel::orange);
  CHECK(s.scenarios[5].name == "plans-red");
  CHECK(s.scenarios[5].plans);
  CHECK(s.scenarios[5].sector_measures);
  CHECK(s.settings.lead_hours == 3);
  CHECK(s.plans.file.empty());  // no emissions folder: no plans, grade defaults for everyone
  // With standard_scenarios = true they follow the declared ones; a declared name replaces one.
  const ScenarioSet t = parse(p, R"(
[response]
standard_scenarios = true
[[scenarios]]
name = "plans-orange"
level = "orange"
plans = true
)");
  REQUIRE(t.scenarios.size() == 6);
  CHECK(t.scenarios[0].name == "plans-orange");
  CHECK_FALSE(t.scenarios[0].sector_measures);
}

TEST_CASE("scenario errors name the file, the line and the key, with suggestions", "[scenario-file]") {
  Parsed p;
  // The tail starts at line 15 (line 15 is the blank line after the head).
  CHECK(error_of(p, "\n[response]\nleed_hours = 3\n") ==
        "case.toml:17: unknown key 'leed_hours' in [response] (did you mean 'lead_hours'?); valid keys: lead_hours, "
        "plans, scenario_files, standard_scenarios, uniform, floors, grade_defaults, in_force, in_force_since, imposed");
  CHECK(error_of(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"orang\"\n") ==
        "case.toml:18: scenarios[0].level: unknown level 'orang' (did you mean 'orange'?); expected one of none, "
        "yellow, orange, red, timeline");
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\nuniform = true\n[[scenarios.measures]]\n"
                             "sector = \"constructon_dust\"\naction = \"stop\"\n"),
                    Contains("case.toml:21: scenarios[0].measures[0].sector: unknown sector 'constructon_dust' (did you "
                             "mean 'construction_dust'?)"));
  CHECK(error_of(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\nenterprise = \"E01\"\n"
                    "action = \"stop\"\n") ==
        "case.toml:20: scenarios[0].measures[0].enterprise: unknown enterprise 'E01' (did you mean 'E001'?); expected "
        "one of: E001, E002");
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "district = \"Westt\"\naction = \"cut 20\"\npollutants = [\"nox2\"]\n"),
                    Contains("case.toml:20: scenarios[0].measures[0].district: unknown district 'Westt' (did you mean 'West'?)"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "district = \"West\"\naction = \"cut 20\"\npollutants = [\"nox2\"]\n"),
                    Contains("case.toml:22: scenarios[0].measures[0].pollutants: unknown pollutant 'nox2' (did you mean 'nox'?)"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "line = \"E001-L1\"\nenterprise = \"E001\"\naction = \"stop\"\n"),
                    Contains("case.toml:21: scenarios[0].measures[0].enterprise: a measure has exactly one target") &&
                        Contains("'line' is already given"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "line = \"E001-L1\"\naction = \"halt\"\n"),
                    Contains("case.toml:21: scenarios[0].measures[0].action: expected 'none', 'stop', 'limit N' or 'cut N'"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "line = \"E001-L1\"\naction = \"stop\"\npollutants = [\"pm\"]\n"),
                    Contains("case.toml:22: scenarios[0].measures[0].pollutants: pollutants are for 'cut N' only"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"none\"\nuniform = true\n"),
                    Contains("case.toml:19: scenarios[0].uniform: uniform = true takes the fractions of the scenario's level"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\nuniform = {so2 = 20}\n"),
                    Contains("case.toml:19: scenarios[0].uniform.so2: expected a fraction 0-1 (20% is 0.2)"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\nuniform = {sox = 0.2}\n"),
                    Contains("unknown key 'sox'") && Contains("(did you mean 'so2'?)"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios]]\nname = \"A\"\nlevel = \"red\"\n"),
                    Contains("case.toml:20: scenarios[1].name: scenario 'A' is declared twice (first at case.toml:16)"));
  CHECK_THROWS_WITH(parse(p, "\n[response.grade_defaults]\nleadng = {red = \"stop\"}\n"),
                    Contains("case.toml:17: response.grade_defaults.leadng: unknown performance grade 'leadng' (did you "
                             "mean 'leading'?)"));
  CHECK_THROWS_WITH(parse(p, "\n[response.grade_defaults]\nB = {red = \"cut 20\"}\n"),
                    Contains("case.toml:17: response.grade_defaults.B.red: expected 'none', 'stop' or 'limit N'"));
  CHECK_THROWS_WITH(parse(p, "\n[response]\nplans = \"nowhere.csv\"\n"),
                    Contains("case.toml:17: response.plans: no such file"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"a\"\nlevel = \"red\"\n[[scenarios.measures]]\n"
                             "line = \"E001-L1\"\naction = \"stop\"\nstart = \"2024-12-12T08:30\"\n"),
                    Contains("case.toml:22: scenarios[0].measures[0].start"));
  // An error in a separate scenario file names that file and its line.
  const std::string extra = p.dir.write("extra.toml", "[[scenarios]]\nname = \"x\"\nlevel = \"red\"\nplanz = true\n");
  CHECK(error_of(p, "\n[response]\nscenario_files = [\"extra.toml\"]\n") ==
        extra + ":4: unknown key 'planz' in [scenarios[0]] (did you mean 'plans'?); valid keys: name, description, "
                "level, uniform, plans, sector_measures, measures, regional_cut");
  p.dir.write("extra.toml", "[response]\nlead_hours = 2\n");
  CHECK(error_of(p, "\n[response]\nscenario_files = [\"extra.toml\"]\n") ==
        extra + ":1: unknown key 'response' in the top level; valid keys: scenarios");
  // A bad plans.csv row names that file.
  const std::string plans = p.dir.write("plans.csv", "line,enterprise,yellow,orange,red\nE001-L1,E001,none,limt 80,stop\n");
  CHECK_THROWS_WITH(parse(p, "\n[response]\nplans = \"plans.csv\"\n"), Contains(plans + ":2: column 4 (orange)"));
}

TEST_CASE("demo city: the standard scenarios and the plans of its inventory", "[scenario-file][demo]") {
  const CaseConfig config = load_case(std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml");
  const Grid grid(config.grid);
  const emissions::Inventory inv = read_case_inventory(config, grid);
  const ScenarioSet s = load_scenario_set(config, inv);
  CHECK(s.plans.file.ends_with("inventory/plans.csv"));
  std::size_t planned = 0;
  for (const auto& l : s.plans.line) planned += l ? 1 : 0;
  CHECK(planned == inv.lines.size());
  CHECK(s.find("uniform-orange") != nullptr);
  CHECK(s.find("plans-red") != nullptr);
  // The demo's exempt enterprises plan nothing at any level.
  for (std::size_t l = 0; l < inv.lines.size(); ++l)
    if (inv.enterprises[inv.lines[l].enterprise].exempt)
      for (const Action& a : *s.plans.line[l]) CHECK(a.kind == ActionKind::none);
}

namespace {
constexpr std::size_t kSo2 = emissions::index(EmittedPollutant::so2);
constexpr std::size_t kNox = emissions::index(EmittedPollutant::nox);
constexpr std::size_t kPm25 = emissions::index(EmittedPollutant::pm25);
constexpr std::size_t kPm10 = emissions::index(EmittedPollutant::pm10);
constexpr std::size_t kVocs = emissions::index(EmittedPollutant::vocs);
}  // namespace

// The achieved cuts of the demo city's scenarios against emissions/totals.hpp (moved here from
// tests/scenarios/test_measures.cpp: it reads the case's scenario set).
TEST_CASE("demo city: uniform-orange achieves 20 % minus the exempt share, the six standard scenarios",
          "[measures][demo]") {
  const std::string demo_case = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";
  const CaseInputs in = assemble_case(load_case(demo_case));
  const ScenarioSet set = load_scenario_set(in.config, in.inventory);
  const MeasureInputs mi = set.inputs(in.inventory);
  const std::vector<ResponseWindow> w{{in.period.start(), in.period.end(), ResponseLevel::orange}};
  const Scenario* orange = set.find("uniform-orange");
  REQUIRE(orange != nullptr);

  // Inventory basis (annual-mean rates): removed = 0.2 x (total − exempt), exactly.
  AccountOptions flat;
  flat.temporal_profiles = false;
  const auto totals = emissions::compute_totals(in.inventory);
  const ScenarioAccount a = account(*orange, mi, in.period, w, flat);
  CHECK(a.active_hours == in.period.size() - 3);
  for (std::size_t p : {kSo2, kNox, kPm25, kPm10, kVocs}) {
    CHECK(a.achieved[p] == Approx(0.2 * (1.0 - totals.exempt[p] / totals.total[p])).epsilon(1e-12));
    CHECK(a.society[p] == Approx(totals.total[p] * 3600.0 * 1e-6 * a.active_hours).epsilon(1e-12));
    CHECK_FALSE(a.meets_floor[p]);  // the exempt share keeps it under the floor
  }
  CHECK(a.cost == 0.0);

  // With the temporal profiles: the exempt share of the mass emitted in the active hours.
  const ScenarioAccount b = account(*orange, mi, in.period, w);
  emissions::Rates all_mass{}, exempt_mass{};
  for (std::int64_t h = 3; h < in.period.size(); ++h) {
    const auto lt = emissions::local_time(in.period[h], in.period.zone());
    auto add = [&](const emissions::Rates& r, int profile, bool exempt) {
      const double f = emissions::temporal_factor(in.inventory.profile(profile), lt);
      for (std::size_t p = 0; p < r.size(); ++p) {
        all_mass[p] += r[p] * f;
        if (exempt) exempt_mass[p] += r[p] * f;
      }
    };
    for (const auto& e : in.inventory.enterprises) add(e.rates, e.profile, e.exempt);
    for (const auto& ar : in.inventory.areas) add(ar.rates, ar.profile, false);
    for (const auto& r : in.inventory.roads) add(r.rates, r.profile, false);
  }
  for (std::size_t p : {kSo2, kNox, kPm25, kPm10, kVocs})
    CHECK(b.achieved[p] == Approx(0.2 * (1.0 - exempt_mass[p] / all_mass[p])).epsilon(1e-12));

  // The six standard scenarios, each over the whole period at its own level (printed figures).
  std::cout << std::fixed << std::setprecision(1)
            << "demo-city standard scenarios, whole period at the level, lead 3 h (achieved cut %, cost 10^4 yuan):\n";
  for (const Scenario& s : set.scenarios) {
    const std::vector<ResponseWindow> ws{{in.period.start(), in.period.end(), s.level}};
    const ScenarioAccount c = account(s, mi, in.period, ws);
    std::cout << "  " << std::setw(14) << std::left << s.name << std::right;
    for (std::size_t p : {kSo2, kNox, kPm25, kPm10, kVocs})
      std::cout << "  " << emissions::pollutant_name(static_cast<EmittedPollutant>(p)) << " " << std::setw(5)
                << 100.0 * c.achieved[p];
    std::cout << "  cost " << std::setw(8) << c.cost / 1e4 << "  PM2.5 t/10^4 yuan "
              << std::setprecision(3) << c.cut_per_cost[kPm25] << std::setprecision(1) << "\n";
    CHECK(c.active_hours == in.period.size() - 3);
  }
  // The plans cut more at each level up, and cost more.
  const std::vector<ResponseWindow> wy{{in.period.start(), in.period.end(), ResponseLevel::yellow}};
  const std::vector<ResponseWindow> wr{{in.period.start(), in.period.end(), ResponseLevel::red}};
  const auto py = account(*set.find("plans-yellow"), mi, in.period, wy);
  const auto po = account(*set.find("plans-orange"), mi, in.period, w);
  const auto pr = account(*set.find("plans-red"), mi, in.period, wr);
  CHECK(py.achieved[kSo2] < po.achieved[kSo2]);
  CHECK(po.achieved[kSo2] < pr.achieved[kSo2]);
  CHECK(py.cost < po.cost);
  CHECK(po.cost < pr.cost);
}

TEST_CASE("the response in force and imposed levels are read from [response]", "[scenario-file][in-force]") {
  Parsed p;
  const TimeZone zone("Asia/Shanghai");
  const ScenarioSet s = parse(p, "\n[response]\nin_force = \"orange\"\nin_force_since = \"2024-12-10T16:00\"\n"
                                 "[[response.imposed]]\nlevel = \"red\"\nstart = \"2024-12-11T20:00\"\n"
                                 "end = \"2024-12-12T20:00\"\n");
  REQUIRE(s.in_force.has_value());
  CHECK(s.in_force->level == ResponseLevel::orange);
  CHECK(s.in_force->since == parse_time("2024-12-10T16:00", zone));
  REQUIRE(s.imposed.size() == 1);
  CHECK(s.imposed[0].level == ResponseLevel::red);
  CHECK(s.imposed[0].end - s.imposed[0].start == 24);
  CHECK_FALSE(parse(p, "\n[response]\nlead_hours = 3\n").in_force.has_value());
  // Errors name the line and the key (the tail starts at line 15).
  CHECK_THROWS_WITH(parse(p, "\n[response]\nin_force = \"orange\"\n"),
                    Contains("case.toml:17: response.in_force: a response in force needs in_force_since"));
  CHECK_THROWS_WITH(parse(p, "\n[response]\nin_force = \"orange\"\nin_force_since = \"2024-12-11T09:00\"\n"),
                    Contains("case.toml:18: response.in_force_since: expected a time at or before the period start "
                             "2024-12-11T08:00:00+08:00"));
  CHECK_THROWS_WITH(parse(p, "\n[response]\nin_force_since = \"2024-12-10T16:00\"\n"),
                    Contains("response.in_force_since: given without in_force"));
  CHECK_THROWS_WITH(parse(p, "\n[response]\nin_force = \"orang\"\nin_force_since = \"2024-12-10T16:00\"\n"),
                    Contains("case.toml:17: response.in_force: unknown level 'orang' (did you mean 'orange'?)"));
  CHECK_THROWS_WITH(parse(p, "\n[[response.imposed]]\nlevel = \"red\"\nstart = \"2024-12-12T20:00\"\n"
                             "end = \"2024-12-12T20:00\"\n"),
                    Contains("response.imposed[0].end: expected a time after start"));
  const ScenarioSet reg = parse(p, "\n[[scenarios]]\nname = \"r\"\nlevel = \"orange\"\nregional_cut = 0.2\n");
  CHECK(reg.scenarios[0].regional_cut == 0.2);
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"r\"\nlevel = \"orange\"\nregional_cut = 20\n"),
                    Contains("case.toml:19: scenarios[0].regional_cut: expected a fraction 0-1 of the inflow"));
  CHECK_THROWS_WITH(parse(p, "\n[[scenarios]]\nname = \"r\"\nlevel = \"none\"\nregional_cut = 0.2\n"),
                    Contains("regional_cut needs a level"));
  CHECK_THROWS_WITH(parse(p, "\n[[response.imposed]]\nlevel = \"none\"\nstart = \"2024-12-12T20:00\"\n"
                             "end = \"2024-12-13T20:00\"\n"),
                    Contains("response.imposed[0].level: expected yellow, orange or red"));
}
