// Rules files (forecast/rules_file.hpp): the shipped examples and the error messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "scenarios/aqi.hpp"
#include "forecast/rules_file.hpp"
#include "scenarios/warning.hpp"

using namespace lantian;
using Catch::Matchers::Contains;

namespace {

const AqiWarningRules kDefaults;
const ValidityRules kDefaultValidity;
const std::string kRulesDir = std::string(LANTIAN_SOURCE_DIR) + "/examples/rules/";

/// Block AQIs of n hours of PM2.5 `background` with [from, to) at `value`.
std::vector<int> blocks_of(std::size_t n, double background, std::size_t from, std::size_t to, double value) {
  std::vector<double> pm(n, background);
  for (std::size_t h = from; h < to; ++h) pm[h] = value;
  StationSeries s;
  s.hours = n;
  s.conc[static_cast<int>(Pollutant::PM25)] = pm;
  std::vector<int> t;
  for (const AqiResult& a : daily_aqi_trailing(s)) t.push_back(a.aqi);
  return block_aqi_from_trailing(t);
}

/// The Error a callable throws (fails the test when none).
template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no lantian::Error thrown");
  return Error("unreachable");
}

}  // namespace

TEST_CASE("national.toml equals the built-in defaults", "[rules]") {
  const AqiWarningRules r = load_rules(kRulesDir + "national.toml");
  CHECK(r.warning == WarningRules::national());
  CHECK(r.validity == kDefaultValidity);
  CHECK(r == kDefaults);
  CHECK(r.warning.levels[2].name_zh == "红色");
}

TEST_CASE("Absent sections and keys keep the national defaults", "[rules]") {
  CHECK(parse_rules("") == kDefaults);
  const AqiWarningRules r = parse_rules("[warning]\nhorizon_hours = 96\n[aqi]\nmin_hours_24h = 18\nrequired = []\n");
  CHECK(r.warning.horizon_hours == 96);
  CHECK(r.warning.levels == WarningRules::national().levels);
  CHECK(r.validity.min_hours_24h == 18);
  CHECK(r.validity.min_hours_8h == 6);
  CHECK(r.validity.required.empty());
  CHECK(parse_rules("[aqi]\nrequired = [\"pm25\", \"O3\"]\n").validity.required ==
        std::vector<Pollutant>{Pollutant::PM25, Pollutant::O3});
}

TEST_CASE("Unknown keys are rejected with a suggestion and a line", "[rules]") {
  const Error e = error_of([] { parse_rules("[warning]\nissue_hour = 16\nhorizn_hours = 48\n", "case.toml"); });
  CHECK(e.context().file == "case.toml");
  CHECK(e.context().line == 3);
  CHECK_THAT(e.message(), Contains("horizn_hours") && Contains("did you mean 'horizon_hours'"));

  const Error lv = error_of([] {
    parse_rules("[[warning.levels]]\nname = \"yellow\"\nrelease_at_or_below = 150\n"
                "any_of = [{above = 200, hour = 24}]\n");
  });
  CHECK(lv.context().line == 4);
  CHECK_THAT(lv.message(), Contains("did you mean 'hours'"));

  const Error pol = error_of([] { parse_rules("[aqi]\nrequired = [\"PM 2.5\"]\n"); });
  CHECK_THAT(pol.message(), Contains("unknown pollutant") && Contains("did you mean 'PM2.5'"));
}

TEST_CASE("Invalid values name the file, line, level and field", "[rules]") {
  const Error e = error_of([] {
    parse_rules("[[warning.levels]]\nname = \"yellow\"\nrelease_at_or_below = 150\n"
                "any_of = [{above = 200, hours = 24}]\n\n"
                "[[warning.levels]]\nname = \"orange\"\nrelease_at_or_below = 200\n"
                "any_of = [{above = 200, hours = 30}]\n",
                "plan.toml");
  });
  CHECK(e.context().file == "plan.toml");
  CHECK(e.context().line == 9);
  CHECK(e.context().where == "warning.levels[1].any_of[0].hours");
  CHECK_THAT(e.message(), Contains("orange") && Contains("multiple of 24"));

  const Error type = error_of([] { parse_rules("[warning]\nissue_hour = \"16\"\n"); });
  CHECK(type.context().line == 2);

  const Error hour = error_of([] { parse_rules("[warning]\nissue_hour = 25\n"); });
  CHECK(hour.context().where == "warning.issue_hour");
  CHECK(hour.context().line == 2);

  CHECK_THROWS_AS(parse_rules("[warning]\nlevels = []\n"), Error);  // no levels at all
  CHECK_THROWS_AS(load_rules(kRulesDir + "no-such-file.toml"), Error);
}

TEST_CASE("A blue-level plan with a stricter local threshold", "[rules]") {
  const AqiWarningRules r = load_rules(kRulesDir + "blue-level-example.toml");
  REQUIRE(r.warning.levels.size() == 4);
  CHECK(r.warning.level_name(1) == "blue");
  CHECK(r.warning.level_name(2) == "yellow");
  CHECK(r.warning.level_name(4) == "red");
  CHECK(r.validity == kDefaultValidity);

  // PM2.5 120 over [10, 34): block 10 = 50/35*5+150 = 157.1 -> 158 > 150: blue; national: none.
  // The earliest block > 150 is 9: (23*120 + 50)/24 = 117.08 -> 50/35*2.08+150 = 152.98 -> 153.
  const auto b158 = blocks_of(120, 50, 10, 34, 120);
  REQUIRE(b158[10] == 158);
  const WarningDecision blue = classify_warning(b158, 0, r.warning);
  CHECK(blue.level == 1);
  CHECK(blue.window_start == 9);
  CHECK(blue.block_aqis == std::vector<int>{153});
  CHECK(classify_warning(b158, 0, WarningRules::national()).level == 0);

  // PM2.5 140: 50/35*25+150 = 185.7 -> 186 > 180: the local yellow; national: none.
  const auto b186 = blocks_of(120, 50, 10, 34, 140);
  REQUIRE(b186[10] == 186);
  CHECK(classify_warning(b186, 0, r.warning).level == 2);
  CHECK(classify_warning(b186, 0, WarningRules::national()).level == 0);
}
