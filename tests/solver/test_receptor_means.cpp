// Grid receptors and daily means (solver/receptor_means.hpp) against hand calculations.
#include <catch2/catch.hpp>
#include <vector>

#include "core/error.hpp"
#include "solver/receptor_means.hpp"

using namespace lantian;
using namespace lantian::solver;

TEST_CASE("grid receptors sit at cell centres, i fastest", "[plume][receptors]") {
  const auto r = grid_receptors(1000.0, -500.0, 200.0, 100.0, 3, 2, 1.5);
  REQUIRE(r.size() == 6u);
  CHECK(r[0].id == "g0_0");
  CHECK(r[0].x == 1100.0);  // 1000 + 0.5 × 200
  CHECK(r[0].y == -450.0);  // -500 + 0.5 × 100
  CHECK(r[4].id == "g1_1");
  CHECK(r[4].x == 1300.0);
  CHECK(r[4].y == -350.0);
  CHECK(r[5].z == 1.5);
  CHECK_THROWS_AS(grid_receptors(0.0, 0.0, 0.0, 1.0, 1, 1), Error);
}

TEST_CASE("daily means follow the local calendar day", "[plume][receptors]") {
  // 2015-12-01 14:00Z .. 2015-12-02 17:00Z (28 hours) in Asia/Shanghai (UTC+8): 14:00Z and
  // 15:00Z are local 22:00, 23:00 on 12-01 (2 hours); 16:00Z .. 15:00Z next day are local 12-02 00:00 .. 23:00 (24 hours);
  // 16:00Z and 17:00Z on 12-02 are local 12-03 00:00, 01:00 (2 hours).
  const TimeZone tz("Asia/Shanghai");
  const UtcHour t0 = parse_time("2015-12-01T14:00:00Z", tz);
  std::vector<UtcHour> times;
  std::vector<double> hourly;  // two receptors: value h and 2h + 1
  for (int h = 0; h < 28; ++h) {
    times.push_back(t0 + h);
    hourly.push_back(h);
    hourly.push_back(2.0 * h + 1.0);
  }
  const DailyMeans d = daily_means(hourly, 2, times, tz);
  REQUIRE(d.n_days() == 3u);
  CHECK(d.dates == std::vector<std::string>{"2015-12-01", "2015-12-02", "2015-12-03"});
  CHECK(d.hours == std::vector<int>{2, 24, 2});
  CHECK(d.value(0, 0) == 0.5);   // (0 + 1) / 2
  CHECK(d.value(1, 0) == 13.5);  // mean of 2..25
  CHECK(d.value(1, 1) == 28.0);  // 2 × 13.5 + 1
  CHECK(d.value(2, 0) == 26.5);  // (26 + 27) / 2
  CHECK_FALSE(d.valid(0));
  CHECK(d.valid(1));
  std::vector<UtcHour> bad{t0, t0};
  CHECK_THROWS_WITH(daily_means(std::vector<double>{1.0, 2.0}, 1, bad, tz), Catch::Matchers::Contains("increasing"));
}
