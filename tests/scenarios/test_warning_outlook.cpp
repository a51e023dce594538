// Honest lift and downgrade (issue 13): the observed history joined before a forecast, a level
// the end of the series leaves undecided, and the outlook of a response open at the horizon.
//
// Every series starts at 16:00 local (Asia/Shanghai), the national issue hour, so the daily
// decisions fall at the indices 0, 24, 48, ... PM2.5 24-h IAQI by HJ 633-2012 (rounded up):
//   IAQI(40)  = 50 + 50/40 * 5   = 56.25  -> 57      IAQI(100) = 100 + 50/40 * 25 = 131.25 -> 132
//   IAQI(200) = 200 + 100/100 * 50 = 250             IAQI(252) = 300 + 2 = 302
//   IAQI(280) = 300 + 30 = 330                        IAQI(300) = 300 + 50 = 350
// National rule (DOMAIN.md §3): yellow > 200 for 24 h or > 150 for 48 h; orange > 200 for 48 h or
// > 150 for 72 h; red > 200 for 72 h with some block > 300; release 36 h at or below 150 (lift),
// 200 (from orange), 300 (from red); horizon 72 h.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/time_axis.hpp"
#include "scenarios/metrics.hpp"
#include "scenarios/warning.hpp"

using namespace lantian;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MetricsOptions at_issue_hour() {
  MetricsOptions o;
  o.tz = TimeZone("Asia/Shanghai");
  o.start = parse_time("2024-12-12T16:00", o.tz);
  return o;
}

/// `hours` values: `first` for the first `split` hours, then `then`.
std::vector<double> steps(std::size_t hours, std::size_t split, double first, double then) {
  std::vector<double> v(hours, then);
  for (std::size_t h = 0; h < split && h < hours; ++h) v[h] = first;
  return v;
}

}  // namespace

TEST_CASE("the observed history gives the trailing daily AQI from the first forecast hour", "[metrics][history]") {
  const MetricsOptions o = at_issue_hour();
  // 23 observed hours at 100, the forecast at 220 for 48 h.
  const std::vector<double> history(23, 100.0), forecast(48, 220.0);
  const SeriesMetrics without = series_metrics(forecast, o);
  const SeriesMetrics with = series_metrics(forecast, o, history);
  // Without: no trailing block before h = 23.
  CHECK(without.daily_aqi[0] == kMissingIndex);
  CHECK(with.history_hours == 23);
  // Hour h <= 22: (100 (23 - h) + 220 (h + 1)) / 24 = 105 + 5 h.
  // Hour 0: 105 -> IAQI 100 + 50/40 * (105 - 75) = 137.5 -> 138.
  CHECK(with.mean24[0] == Approx(105.0).margin(1e-9));  // a mean of exact values
  CHECK(with.daily_aqi[0] == 138);
  // Hour 10: 105 + 50 = 155 -> IAQI 200 + (155 - 150) = 205.
  CHECK(with.daily_aqi[10] == 205);
  // > 150 (mean > 115): 105 + 5 h > 115 <=> h >= 3 (h = 2: exactly 115 -> 150) -> hours 3..47 = 45;
  // without history the hours 23..47 (a trailing block needs its 24 hours in the series; all 220:
  // AQI 270): 25.
  CHECK(with.hours_above[0] == 45);
  CHECK(without.hours_above[0] == 25);
  // Peak hourly, the mean: the forecast hours alone.
  CHECK(with.peak_hourly == 220.0);
  CHECK(with.mean == Approx(220.0).epsilon(1e-12));
}

TEST_CASE("scenario metrics join each station's history and the city's station mean of it", "[metrics][history]") {
  const MetricsOptions o = at_issue_hour();
  // Two stations; station 1's history is missing: the city history is station 0's (station_mean
  // skips NaN). Forecast 220 everywhere, history 100 at station 0.
  std::vector<double> base(2 * 48, 220.0), hist(2 * 23, kNaN);
  for (std::size_t h = 0; h < 23; ++h) hist[h] = 100.0;
  const StationHourSeries b{base, 2, 48}, hs{hist, 2, 23};
  const ScenarioMetrics m = scenario_metrics(b, b, o, {}, {}, hs);
  CHECK(m.stations[0].baseline.daily_aqi[0] == 138);  // as above
  CHECK(m.stations[1].baseline.daily_aqi[0] == kMissingIndex);  // 1 valid hour of 24
  CHECK(m.domain_mean.baseline.daily_aqi[0] == 138);  // city history = station 0's
  CHECK(m.domain_mean.scenario.daily_aqi[0] == 138);
}

TEST_CASE("a response open at the end of a 120-h series proposes no lift", "[warning][outlook]") {
  const MetricsOptions o = at_issue_hour();
  // 280 throughout: every block AQI 330. t0 = 0, 24, 48: red on [t0, t0+72) (inside the series).
  // t0 = 72: 48 h remain, orange decided, red undecided (its window [72, 144) runs past 120 with
  // the known blocks 72, 96 > 200); t0 = 96: yellow decided, red undecided: red is kept.
  const SeriesMetrics m = series_metrics(std::vector<double>(120, 280.0), o);
  REQUIRE(m.decisions.size() == 5);
  CHECK(m.decisions[3].level == 2);
  CHECK(m.decisions[3].open_level == 3);
  CHECK(m.decisions[3].reason.find("red undecided") != std::string::npos);
  CHECK(m.decisions[4].level == 1);
  CHECK(m.decisions[4].open_level == 3);
  REQUIRE(m.timeline.size() == 1);
  CHECK(m.timeline[0].level == 3);
  CHECK(m.timeline[0].end == -1);
  CHECK(m.outlook.open);
  CHECK(m.outlook.lift == -1);
  CHECK(m.outlook.level == 3);
  CHECK(m.outlook.duration_hours == 120);  // at least: open at the end
  // Earliest lift: a decision t0 > 0 with t0 + 36 > 120 (t0 >= 96) and the trailing AQI of
  // [t0, 120) at or below 150: t0 = 96 sees 330; t0 = 120 (the next day's 16:00) has no forecast
  // hour left against it.
  CHECK(m.outlook.earliest_lift == 120);
  CHECK(m.outlook.lift_threshold == 150);
  CHECK(m.outlook.text.find("no lift within the forecast") != std::string::npos);
  CHECK(m.outlook.text.find("2024-12-17T16:00") != std::string::npos);  // index 120 = 5 days on
  CHECK(m.outlook.text.find("2024-12-19T04:00") != std::string::npos);  // + 36 h
}

TEST_CASE("a response lifts once the trailing daily AQI has stayed at or below 150 for 36 h", "[warning][outlook]") {
  const MetricsOptions o = at_issue_hour();
  // 200 for hours 0..23 (block 0: AQI 250 > 200: yellow at t0 = 0), then 40 (AQI 57).
  // t0 = 24: none; the trailing mean at 24 is (23 * 200 + 40) / 24 = 193.3 -> AQI 244 > 150: kept.
  // t0 = 48: none; the trailing mean is 40 (AQI 57) at every hour of [48, 84): lifted at 48.
  const SeriesMetrics m = series_metrics(steps(120, 24, 200.0, 40.0), o);
  REQUIRE(m.timeline.size() == 1);
  CHECK(m.timeline[0].level == 1);
  CHECK(m.timeline[0].start == 0);
  CHECK(m.timeline[0].end == 48);
  CHECK_FALSE(m.outlook.open);
  CHECK(m.outlook.lift == 48);
  CHECK(m.outlook.duration_hours == 48);
  CHECK(m.outlook.text == "lifted at 2024-12-14T16:00:00+08:00 after 48 h");
}

TEST_CASE("an option downgrades only where the forecast proves the lower level", "[warning][metrics][downgrade]") {
  const MetricsOptions o = at_issue_hour();
  SECTION("truly downgrades: red ruled out on a complete horizon, 36 h at or below 300") {
    // Baseline 280 throughout (red to the end, as above). Option: 300 for hours 0..23 (block 0:
    // AQI 350), then 200 (AQI 250).
    //   t0 = 0: red (blocks 0, 24, 48 > 200; block 0 > 300).
    //   t0 = 24: red fails (no block > 300 in [24, 72]), orange holds; the release needs the
    //     trailing AQI <= 300 on [24, 60): at 24, (23 * 300 + 200) / 24 = 295.8 -> 346: kept.
    //   t0 = 48: horizon [48, 120) inside the series: red fails, orange holds; trailing AQI 250 at
    //     every hour of [48, 84) (the mean is 200 from hour 47): downgraded to orange at 48.
    //   t0 = 72, 96: red undecided again (the blocks past 120 are unknown): orange kept.
    const std::vector<double> base(120, 280.0), option = steps(120, 24, 300.0, 200.0);
    const SeriesComparison c = compare_series("city", series_metrics(base, o), series_metrics(option, o), o);
    REQUIRE(c.downgrade_hour.has_value());
    CHECK(*c.downgrade_hour == 48);
    CHECK(c.downgrade_from == 3);
    CHECK(c.downgrade_to == 2);
    REQUIRE(c.scenario.timeline.size() == 2);
    CHECK(c.scenario.timeline[1].level == 2);
    CHECK(c.scenario.timeline[1].start == 48);
    CHECK(c.scenario.outlook.open);
    CHECK(c.scenario.outlook.level == 2);
  }
  SECTION("does not: the decision at +24 h of a 72-h forecast cannot rule red out") {
    // Option: 252 for hours 0..23 (block 0: AQI 302 > 300), then 200. t0 = 0: red. t0 = 24: 48 h
    // remain; orange holds, red's window [24, 96) runs past 72 with the known blocks 24, 48 at 250
    // > 200: undecided. The trailing AQI on [24, 60) is at most (23 * 252 + 200) / 24 = 249.8 ->
    // 300 <= 300, so reading "orange" as the decision (before issue 13) downgraded at 24; now red
    // is kept. t0 = 48: yellow, red undecided: kept.
    const std::vector<double> base(72, 280.0), option = steps(72, 24, 252.0, 200.0);
    const SeriesComparison c = compare_series("city", series_metrics(base, o), series_metrics(option, o), o);
    CHECK_FALSE(c.downgrade_hour.has_value());
    CHECK(c.scenario.max_level == 3);
    REQUIRE(c.scenario.decisions.size() == 3);
    CHECK(c.scenario.decisions[1].level == 2);
    CHECK(c.scenario.decisions[1].open_level == 3);
    CHECK(c.scenario.daily_aqi[24] == 300);  // the release check alone would have passed
    REQUIRE(c.scenario.timeline.size() == 1);
    CHECK(c.scenario.timeline[0].end == -1);
  }
}

TEST_CASE("the daily cycle starts from the response in force", "[warning][outlook][in-force]") {
  SECTION("orange in force since yesterday's 16:00 lifts at the first decision that proves 36 h") {
    // 60 µg/m³ throughout (AQI 82), no history: the trailing 24-h mean is valid from hour 19
    // (>= 20 hours), so the release window [0, 36) of t0 = 0 is not proved; t0 = 24 sees AQI 82
    // at every hour of [24, 60): lifted at 24. The response ran from index -24: 48 h.
    MetricsOptions o = at_issue_hour();
    o.in_force = {2, -24};
    const SeriesMetrics m = series_metrics(std::vector<double>(96, 60.0), o);
    REQUIRE(m.timeline.size() == 1);
    CHECK(m.timeline[0].level == 2);
    CHECK(m.timeline[0].start == 0);
    REQUIRE(m.timeline[0].began.has_value());
    CHECK(*m.timeline[0].began == -24);
    CHECK(m.timeline[0].start_reason.find("in force since 2024-12-11T16:00") != std::string::npos);
    CHECK(m.timeline[0].end == 24);
    CHECK_FALSE(m.outlook.open);
    CHECK(m.outlook.lift == 24);
    CHECK(m.outlook.duration_hours == 48);
    CHECK(m.level[0] == 2);
    CHECK(m.level[23] == 2);
    CHECK(m.level[24] == 0);
  }
  SECTION("without the state in force the same series never starts a response") {
    const SeriesMetrics m = series_metrics(std::vector<double>(96, 60.0), at_issue_hour());
    CHECK(m.timeline.empty());
  }
  SECTION("a higher decision upgrades the level in force at once") {
    // 280 throughout: red decided at t0 = 0 over yellow in force since -48.
    MetricsOptions o = at_issue_hour();
    o.in_force = {1, -48};
    const SeriesMetrics m = series_metrics(std::vector<double>(96, 280.0), o);
    REQUIRE(m.timeline.size() == 1);
    CHECK(m.timeline[0].level == 3);
    CHECK_FALSE(m.timeline[0].began.has_value());
  }
  SECTION("an imposed level above the own one raises the effective level over its period only") {
    // Own: orange in force, kept (280 -> red decided at 0 would upgrade; use 60 to keep it low):
    // 60 throughout lifts the own orange at 24 (as above); red imposed over [12, 36).
    MetricsOptions o = at_issue_hour();
    o.in_force = {2, -24};
    o.imposed = {{12, 36, 3}};
    const SeriesMetrics m = series_metrics(std::vector<double>(96, 60.0), o);
    REQUIRE(m.timeline.size() == 2);
    CHECK(m.timeline[0].level == 2);
    CHECK(m.timeline[0].end == 12);
    CHECK(m.timeline[1].level == 3);
    CHECK(m.timeline[1].start == 12);
    CHECK(m.timeline[1].end == 36);
    CHECK(m.timeline[1].start_reason.find("imposed by higher authority") != std::string::npos);
    CHECK(m.level[40] == 0);
  }
  SECTION("a state in force after the series start is refused") {
    MetricsOptions o = at_issue_hour();
    o.in_force = {2, 5};
    CHECK_THROWS_WITH(series_metrics(std::vector<double>(48, 60.0), o), Catch::Contains("began at or before"));
  }
}
