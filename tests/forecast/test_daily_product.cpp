// The daily product (forecast/daily_product.hpp): the day-1/2/3 blocks from the issue time and
// the margin of each decision, on hand-built series.
//   IAQI(100) = 100 + 50/40 * 25 = 131.25 -> 132    IAQI(200) = 250    IAQI(260) = 300 + 10 = 310
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/time_axis.hpp"
#include "forecast/daily_product.hpp"
#include "scenarios/metrics.hpp"

using namespace lantian;

namespace {

MetricsOptions at_issue_hour() {
  MetricsOptions o;
  o.tz = TimeZone("Asia/Shanghai");
  o.start = parse_time("2024-12-12T16:00", o.tz);
  return o;
}

std::vector<double> three_days(double a, double b, double c) {
  std::vector<double> v(72, a);
  for (int h = 24; h < 48; ++h) v[static_cast<std::size_t>(h)] = b;
  for (int h = 48; h < 72; ++h) v[static_cast<std::size_t>(h)] = c;
  return v;
}

}  // namespace

TEST_CASE("day 1/2/3 are the 24-h blocks from the issue time", "[forecast][daily]") {
  const SeriesMetrics m = series_metrics(three_days(100.0, 200.0, 260.0), at_issue_hour());
  const std::vector<LeadDay> d = lead_days(m);
  REQUIRE(d.size() == 3);
  CHECK(d[0].lead == 1);
  CHECK(d[0].first == 0);
  CHECK(d[0].pm25 == Approx(100.0).epsilon(1e-12));
  CHECK(d[0].aqi == 132);
  CHECK(d[1].first == 24);
  CHECK(d[1].aqi == 250);
  CHECK(d[2].pm25 == Approx(260.0).epsilon(1e-12));
  CHECK(d[2].aqi == 310);
  // A 36-h series holds one whole block.
  CHECK(lead_days(series_metrics(std::vector<double>(36, 100.0), at_issue_hour())).size() == 1);
}

TEST_CASE("a decision's margin is the weakest proving block's distance from its threshold", "[forecast][daily]") {
  const MetricsOptions o = at_issue_hour();
  {
    // Blocks 132, 250, 310 at t0 = 0: orange by "> 200 for 48 h" on [24, 72) (red needs three
    // blocks > 200). Margin = min(250, 310) - 200 = 50.
    const SeriesMetrics m = series_metrics(three_days(100.0, 200.0, 260.0), o);
    REQUIRE(m.decisions.size() == 3);  // 16:00 on each day: t0 = 0, 24, 48
    REQUIRE(m.decisions[0].level == 2);
    const auto margin = decision_margin(m.decisions[0], block_aqi_from_trailing(m.daily_aqi), o.rules);
    REQUIRE(margin.has_value());
    CHECK(*margin == 50);
  }
  {
    // Red: three blocks 250, 250, 310 (> 200 for 72 h and one > 300): min(250 - 200, 310 - 300) = 10.
    const SeriesMetrics m = series_metrics(three_days(200.0, 200.0, 260.0), o);
    REQUIRE(m.decisions[0].level == 3);
    CHECK(*decision_margin(m.decisions[0], block_aqi_from_trailing(m.daily_aqi), o.rules) == 10);
  }
  {
    // None: every block 132; the lowest threshold of yellow is 150 (> 150 for 48 h): 132 - 150 = -18.
    const SeriesMetrics m = series_metrics(std::vector<double>(72, 100.0), o);
    REQUIRE(m.decisions[0].level == 0);
    CHECK(*decision_margin(m.decisions[0], block_aqi_from_trailing(m.daily_aqi), o.rules) == -18);
  }
}
