// Warning levels and the response timeline (../shared/DOMAIN.md §3, docs/warning-rules.md).
// Series are hourly PM2.5 (µg/m³) so that the block AQIs follow from HJ 633-2012 by hand:
//   PM2.5  50 -> 50/40*15+50   = 68.75 -> 69       PM2.5 116 -> 50/35*1+150   = 151.43 -> 152
//   PM2.5 115 -> 150 (breakpoint)                    PM2.5 150 -> 200 (breakpoint)
//   PM2.5 151 -> 100/100*1+200 = 201                  PM2.5 160 -> 100/100*10+200 = 210
//   PM2.5 250 -> 300 (breakpoint)                    PM2.5 251 -> 301
// A block [s, s+24) is > 150 iff its mean PM2.5 > 115, > 200 iff > 150, > 300 iff > 250.
#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "core/error.hpp"
#include "scenarios/aqi.hpp"
#include "scenarios/warning.hpp"

using namespace lantian;
using Catch::Matchers::Contains;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Span {
  std::size_t from, to;  // [from, to)
  double value;
};

/// n hours of `background` PM2.5 with the given spans overwritten in order.
std::vector<double> pm25(std::size_t n, double background, std::initializer_list<Span> spans) {
  std::vector<double> v(n, background);
  for (const Span& s : spans)
    for (std::size_t h = s.from; h < s.to; ++h) v[h] = s.value;
  return v;
}

std::vector<int> trailing_of(const std::vector<double>& pm) {
  StationSeries s;
  s.hours = pm.size();
  s.conc[static_cast<int>(Pollutant::PM25)] = pm;
  std::vector<int> out;
  for (const AqiResult& a : daily_aqi_trailing(s)) out.push_back(a.aqi);
  return out;
}

std::vector<int> blocks_of(const std::vector<double>& pm) { return block_aqi_from_trailing(trailing_of(pm)); }

WarningDecision decided(std::int64_t t0, int level) {
  WarningDecision d;
  d.issue_index = t0;
  d.level = level;
  return d;
}

const WarningRules kNational = WarningRules::national();

}  // namespace

TEST_CASE("National rules", "[warning]") {
  REQUIRE(kNational.levels.size() == 3);
  CHECK(kNational.level_name(0) == "none");
  CHECK(kNational.level_name(1) == "yellow");
  CHECK(kNational.level_name(3) == "red");
  CHECK(kNational.level_name(4) == "unknown");
  CHECK(kNational.level_index("ORANGE") == 2);
  CHECK(kNational.level_index("none") == 0);
  CHECK(kNational.level_index("blue") == -1);
  CHECK(kNational.levels[2].any_of[0].describe() == "daily AQI > 200 for >= 72 h and some block > 300");
  CHECK(kNational.levels[0].any_of[1].describe() == "daily AQI > 150 for >= 48 h");
  CHECK(kNational.horizon_hours == 72);
  CHECK(kNational.issue_hour == 16);
  CHECK(kNational.release_hours == 36);
  CHECK(kNational.levels[0].release_at_or_below == 150);
  CHECK(kNational.levels[1].release_at_or_below == 200);
  CHECK(kNational.levels[2].release_at_or_below == 300);
  CHECK_NOTHROW(kNational.validate());
  // Downgrade: the current level's threshold; lift: back to yellow's 150 (seed 002 §3.2.2).
  CHECK(kNational.release_threshold(2, 1) == 200);
  CHECK(kNational.release_threshold(3, 2) == 300);
  CHECK(kNational.release_threshold(3, 1) == 300);
  CHECK(kNational.release_threshold(1, 0) == 150);
  CHECK(kNational.release_threshold(3, 0) == 150);
}

TEST_CASE("Block AQI from the trailing daily AQI", "[warning]") {
  // Trailing AQI t[h] = h from h = 23 (the first complete block).
  std::vector<int> t(30, kMissingIndex);
  for (std::size_t h = 23; h < 30; ++h) t[h] = static_cast<int>(h);
  const std::vector<int> b = block_aqi_from_trailing(t);
  REQUIRE(b.size() == 30);
  CHECK(b[0] == 23);  // [0, 24) ends at 23
  CHECK(b[6] == 29);
  CHECK(b[7] == kMissingIndex);  // [7, 31) runs past the series
}

TEST_CASE("Yellow at AQI 201 for 24 h, none at 200", "[warning]") {
  // PM2.5 151 over [10, 34): the block from 10 has AQI 201. Earlier blocks hold background
  // hours, e.g. [9, 33): (23*151 + 50)/24 = 146.8 -> <= 200.
  const auto b201 = blocks_of(pm25(120, 50, {{10, 34, 151}}));
  const WarningDecision y = classify_warning(b201, 0, kNational);
  CHECK(y.level == 1);
  CHECK(y.condition == 0);
  CHECK(y.window_start == 10);
  CHECK(y.window_hours == 24);
  CHECK(y.block_aqis == std::vector<int>{201});
  CHECK(y.reason == "yellow: daily AQI > 200 for >= 24 h; 24-h blocks from hour 10: AQI 201");

  // PM2.5 150 instead: the best block is 200, not > 200. And no two blocks 24 h apart are both
  // > 150: with k of the 24 elevated hours in the first and 24-k in the second, both means
  // > 115 needs k*100/24 + 50 > 115 and (24-k)*100/24 + 50 > 115, i.e. k > 15.6 and k < 8.4.
  const auto b200 = blocks_of(pm25(120, 50, {{10, 34, 150}}));
  CHECK(b200[10] == 200);
  const WarningDecision n = classify_warning(b200, 0, kNational);
  CHECK(n.level == 0);
  CHECK(n.window_start == -1);
  CHECK(n.block_aqis.empty());
}

TEST_CASE("AQI > 150 for 48 h needs two whole consecutive blocks", "[warning]") {
  // 48 h of PM2.5 116 over [10, 58): blocks from 10 and 34 both have mean 116 -> 152 > 150.
  // A block with any background hour has mean <= (23*116 + 50)/24 = 113.25 <= 115, so 10 is
  // the earliest start.
  const WarningDecision y = classify_warning(blocks_of(pm25(120, 50, {{10, 58, 116}})), 0, kNational);
  CHECK(y.level == 1);
  CHECK(y.condition == 1);
  CHECK(y.window_start == 10);
  CHECK(y.window_hours == 48);
  CHECK(y.block_aqis == std::vector<int>{152, 152});

  // 47 h over [10, 57): the block from 10 is 152 but the one from 34 has 23 elevated hours:
  // (23*116 + 50)/24 = 113.25 -> 50/40*38.25+100 = 147.8 -> 148. One block plus 23 h: none.
  const auto b47 = blocks_of(pm25(120, 50, {{10, 57, 116}}));
  CHECK(b47[10] == 152);
  CHECK(b47[34] == 148);
  CHECK(classify_warning(b47, 0, kNational).level == 0);
}

TEST_CASE("Orange at AQI > 200 for 48 h, 200 gives yellow", "[warning]") {
  // PM2.5 151 over [10, 58): blocks 10 and 34 are 201 -> orange by its first condition.
  const WarningDecision o = classify_warning(blocks_of(pm25(120, 50, {{10, 58, 151}})), 0, kNational);
  CHECK(o.level == 2);
  CHECK(o.condition == 0);
  CHECK(o.window_start == 10);
  CHECK(o.block_aqis == std::vector<int>{201, 201});
  CHECK(o.reason == "orange: daily AQI > 200 for >= 48 h; 24-h blocks from hour 10: AQI 201, 201");

  // PM2.5 150 over [10, 58): blocks are at most 200, so yellow by "> 150 for 48 h". The earliest
  // start s needs mean(block s) > 115 with k = s + 14 elevated hours: (150k + 50(24-k))/24 > 115
  // -> k >= 16 -> s = 2: block 2 = (16*150 + 8*50)/24 = 116.67 -> 50/35*1.667+150 = 152.4 -> 153,
  // block 26 = 150 -> 200.
  const WarningDecision y = classify_warning(blocks_of(pm25(120, 50, {{10, 58, 150}})), 0, kNational);
  CHECK(y.level == 1);
  CHECK(y.condition == 1);
  CHECK(y.window_start == 2);
  CHECK(y.block_aqis == std::vector<int>{153, 200});
}

TEST_CASE("Orange at AQI > 150 for 72 h, and the window must lie inside the horizon", "[warning]") {
  // 116 over [0, 72): three blocks of 152 inside the horizon [0, 72).
  const WarningDecision o = classify_warning(blocks_of(pm25(150, 50, {{0, 72, 116}})), 0, kNational);
  CHECK(o.level == 2);
  CHECK(o.condition == 1);
  CHECK(o.block_aqis == std::vector<int>{152, 152, 152});

  // The same episode one hour later, [1, 73): from t0 = 0 a 72-h window must start at 0, and the
  // block [0, 24) has 23 elevated hours -> 148. Only "> 150 for 48 h" from 1 fits: yellow.
  const auto late = blocks_of(pm25(150, 50, {{1, 73, 116}}));
  const WarningDecision y = classify_warning(late, 0, kNational);
  CHECK(y.level == 1);
  CHECK(y.window_start == 1);
  // From t0 = 1 the whole episode is inside the horizon [1, 73): orange.
  const WarningDecision o1 = classify_warning(late, 1, kNational);
  CHECK(o1.level == 2);
  CHECK(o1.window_start == 1);
  CHECK(o1.issue_index == 1);
  // From t0 = 2 the block from 1 lies before the horizon: blocks from 2 have 23 elevated hours at
  // most in their last one ([50, 74): 23 h) -> only yellow ([2, 26) and [26, 50) are 152).
  CHECK(classify_warning(late, 2, kNational).level == 1);
}

TEST_CASE("Red needs a block > 300 inside the same 72-h window", "[warning]") {
  // PM2.5 160 over [0, 72) (blocks 210), then background; t0 = 0 so the only 72-h window is
  // [0, 72).
  SECTION("the 300-block just inside: [48, 72) at 251 -> 301") {
    const auto b = blocks_of(pm25(120, 50, {{0, 72, 160}, {48, 72, 251}}));
    const WarningDecision r = classify_warning(b, 0, kNational);
    CHECK(r.level == 3);
    CHECK(r.window_start == 0);
    CHECK(r.window_hours == 72);
    CHECK(r.block_aqis == std::vector<int>{210, 210, 301});
    CHECK(r.extra_block_start == 48);
    CHECK(r.extra_block_aqi == 301);
    CHECK(r.reason ==
          "red: daily AQI > 200 for >= 72 h and some block > 300; 24-h blocks from hour 0: AQI 210, 210, 301; "
          "block from hour 48: AQI 301");
  }
  SECTION("the 300-block just outside: [49, 73) at 251") {
    // Block 49 is 301 but ends at 73 > 72. Block 48 = (160 + 23*251)/24 = 247.2 -> 297.2 -> 298:
    // all three blocks > 200, none > 300 inside: orange (its first condition, from 0).
    const auto b = blocks_of(pm25(120, 50, {{0, 72, 160}, {49, 73, 251}}));
    CHECK(b[49] == 301);
    const WarningDecision o = classify_warning(b, 0, kNational);
    CHECK(o.level == 2);
    CHECK(o.condition == 0);
    CHECK(o.block_aqis == std::vector<int>{210, 210});
    CHECK(o.extra_block_start == -1);
  }
}

TEST_CASE("Missing hours make a block invalid", "[warning]") {
  // PM2.5 151 over [10, 34) with hours 20..23 missing: block 10 still has 20 valid hours -> 201.
  const auto four = blocks_of(pm25(120, 50, {{10, 34, 151}, {20, 24, kNaN}}));
  CHECK(classify_warning(four, 0, kNational).level == 1);
  // Hours 20..24 missing: block 10 has 19 valid hours -> invalid, and every block holding the
  // five gaps is invalid too; the others contain background hours (e.g. [0, 24): 10 h of 50 and
  // 10 h of 151 -> mean 100.5; [21, 45): 9 h of 151, 11 h of 50 -> 95.5): none.
  const auto five = blocks_of(pm25(120, 50, {{10, 34, 151}, {20, 25, kNaN}}));
  CHECK(five[10] == kMissingIndex);
  CHECK(classify_warning(five, 0, kNational).level == 0);
}

TEST_CASE("Windows must lie inside the series", "[warning]") {
  // Trailing AQI 250 for 50 h: blocks 0..26 valid, later ones run past the end.
  std::vector<int> t(50, 250);
  for (std::size_t h = 0; h < 23; ++h) t[h] = kMissingIndex;
  const auto b = block_aqi_from_trailing(t);
  // A 48-h window from 0..2 fits ([2, 50)); a 72-h one cannot: orange, not red.
  const WarningDecision d = classify_warning(b, 0, kNational);
  CHECK(d.level == 2);
  CHECK(d.window_start == 0);
  CHECK(classify_warning(b, 3, kNational).level == 1);  // only 24-h windows fit from 3
  CHECK(classify_warning(b, 27, kNational).level == 0);
}

TEST_CASE("Validation names the level and the field", "[warning]") {
  WarningRules r = kNational;
  r.levels[1].any_of[0].hours = 30;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels[1].any_of[0].hours") && Contains("orange") &&
                                      Contains("multiple of 24") && Contains("30"));
  // A condition longer than the horizon is legal: that level can never be decided.
  r = kNational;
  r.horizon_hours = 48;
  CHECK_NOTHROW(r.validate());
  CHECK(r.unreachable_levels() == std::vector<std::string>{"red"});
  CHECK(kNational.unreachable_levels().empty());
  r = kNational;
  r.levels[0].any_of[1].above = 501;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels[0].any_of[1].above") && Contains("yellow"));
  r = kNational;
  r.levels[2].any_of[0].and_block_above = -5;
  CHECK_THROWS_WITH(r.validate(), Contains("and_block_above"));
  r = kNational;
  r.levels[1].release_at_or_below = 600;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels[1].release_at_or_below"));
  r = kNational;
  r.levels[2].name = "Yellow";
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels[2].name") && Contains("unique"));
  r = kNational;
  r.levels[0].any_of.clear();
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels[0].any_of"));
  r = kNational;
  r.levels.clear();
  CHECK_THROWS_WITH(r.validate(), Contains("warning.levels"));
  r = kNational;
  r.issue_hour = 24;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.issue_hour"));
  r = kNational;
  r.release_hours = 0;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.release_hours"));
  r = kNational;
  r.horizon_hours = 12;
  CHECK_THROWS_WITH(r.validate(), Contains("warning.horizon_hours"));
}

TEST_CASE("Response timeline: upgrade at once", "[warning][timeline]") {
  const std::vector<int> trailing(120, 250);
  const std::vector<WarningDecision> d{decided(0, 1), decided(24, 2), decided(48, 2)};
  const auto p = response_timeline(trailing, d, {}, kNational);
  REQUIRE(p.size() == 2);
  CHECK(p[0].level == 1);
  CHECK(p[0].start == 0);
  CHECK(p[0].end == 24);
  CHECK_THAT(p[0].end_reason, Contains("upgraded to orange at hour 24"));
  CHECK(p[1].level == 2);
  CHECK(p[1].start == 24);
  CHECK(p[1].end == -1);
  CHECK_THAT(p[1].start_reason, Contains("decision at hour 24"));
}

TEST_CASE("Response timeline: lifting needs 36 h at or below the threshold", "[warning][timeline]") {
  // Yellow decided at 0; "none" decided at 24, 48, 72, 96. Trailing AQI 180 before 24, 140 from
  // 24 on, except one hour at 151.
  const std::vector<WarningDecision> d{decided(0, 1), decided(24, 0), decided(48, 0), decided(72, 0), decided(96, 0)};
  SECTION("36 h at <= 150 from 24 ([24, 60) all 140; 151 at 60): lifted at 24") {
    std::vector<int> t(200, 140);
    for (std::size_t h = 0; h < 24; ++h) t[h] = 180;
    t[60] = 151;
    const auto p = response_timeline(t, d, {}, kNational);
    REQUIRE(p.size() == 1);
    CHECK(p[0].level == 1);
    CHECK(p[0].end == 24);
    CHECK_THAT(p[0].end_reason, Contains("lifted") && Contains("<= 150"));
  }
  SECTION("only 35 h ([24, 59) at 140; 151 at 59): kept until 72, when [72, 108) is clear") {
    std::vector<int> t(200, 140);
    for (std::size_t h = 0; h < 24; ++h) t[h] = 180;
    t[59] = 151;
    const auto p = response_timeline(t, d, {}, kNational);
    REQUIRE(p.size() == 1);
    CHECK(p[0].end == 72);  // 48: [48, 84) still holds hour 59
  }
  SECTION("an invalid hour or the end of the series blocks the release") {
    std::vector<int> t(200, 140);
    t[30] = kMissingIndex;
    const std::vector<WarningDecision> d2{decided(0, 1), decided(24, 0), decided(170, 0)};
    const auto p = response_timeline(t, d2, {}, kNational);
    REQUIRE(p.size() == 1);
    CHECK(p[0].end == -1);  // 24: hour 30 invalid; 170: [170, 206) runs past the series
  }
}

TEST_CASE("Response timeline: downgrade vs lift thresholds", "[warning][timeline]") {
  // Orange at 0; trailing 180 from 24 on.
  std::vector<int> t(200, 180);
  for (std::size_t h = 0; h < 24; ++h) t[h] = 260;
  SECTION("orange -> yellow: 180 <= orange's 200 for 36 h") {
    const std::vector<WarningDecision> d{decided(0, 2), decided(24, 1)};
    const auto p = response_timeline(t, d, {}, kNational);
    REQUIRE(p.size() == 2);
    CHECK(p[0].level == 2);
    CHECK(p[0].end == 24);
    CHECK_THAT(p[0].end_reason, Contains("downgraded to yellow"));
    CHECK(p[1].level == 1);
    CHECK(p[1].start == 24);
    CHECK(p[1].end == -1);
  }
  SECTION("orange -> none: lifting needs <= 150 (yellow's start standard); 180 keeps orange") {
    const std::vector<WarningDecision> d{decided(0, 2), decided(24, 0)};
    const auto p = response_timeline(t, d, {}, kNational);
    REQUIRE(p.size() == 1);
    CHECK(p[0].level == 2);
    CHECK(p[0].end == -1);
  }
}

TEST_CASE("Response timeline: an imposed level wins", "[warning][timeline]") {
  const std::vector<int> t(120, 250);
  SECTION("red imposed over own yellow") {
    const std::vector<WarningDecision> d{decided(0, 1), decided(24, 1), decided(48, 1)};
    const std::vector<ImposedLevel> imp{{10, 30, 3}};
    const auto p = response_timeline(t, d, imp, kNational);
    REQUIRE(p.size() == 3);
    CHECK((p[0].level == 1 && p[0].start == 0 && p[0].end == 10));
    CHECK_THAT(p[0].end_reason, Contains("upgraded to red at hour 10") && Contains("imposed by higher authority"));
    CHECK((p[1].level == 3 && p[1].start == 10 && p[1].end == 30));
    CHECK_THAT(p[1].start_reason, Contains("imposed by higher authority"));
    CHECK_THAT(p[1].end_reason, Contains("imposed by higher authority") && Contains("ended at hour 30"));
    CHECK((p[2].level == 1 && p[2].start == 30 && p[2].end == -1));
    CHECK_THAT(p[2].start_reason, Contains("own level yellow continues"));
  }
  SECTION("imposed orange with no own warning") {
    const std::vector<WarningDecision> d{decided(0, 0), decided(24, 0)};
    const std::vector<ImposedLevel> imp{{5, 20, 2}};
    const auto p = response_timeline(t, d, imp, kNational);
    REQUIRE(p.size() == 1);
    CHECK((p[0].level == 2 && p[0].start == 5 && p[0].end == 20));
    CHECK_THAT(p[0].start_reason, Contains("imposed by higher authority"));
  }
  SECTION("an imposed lower level changes nothing") {
    const std::vector<WarningDecision> d{decided(0, 2)};
    const std::vector<ImposedLevel> imp{{5, 20, 1}};
    const auto p = response_timeline(t, d, imp, kNational);
    REQUIRE(p.size() == 1);
    CHECK((p[0].level == 2 && p[0].start == 0 && p[0].end == -1));
  }
}

TEST_CASE("Response timeline rejects bad input", "[warning][timeline]") {
  const std::vector<int> t(100, 100);
  const std::vector<WarningDecision> unordered{decided(24, 1), decided(0, 1)};
  CHECK_THROWS_AS(response_timeline(t, unordered, {}, kNational), Error);
  const std::vector<WarningDecision> bad_level{decided(0, 4)};
  CHECK_THROWS_AS(response_timeline(t, bad_level, {}, kNational), Error);
  const std::vector<WarningDecision> outside{decided(100, 1)};
  CHECK_THROWS_AS(response_timeline(t, outside, {}, kNational), Error);
}
