// Time zones, ISO 8601 parsing and formatting (core/time_axis.hpp).
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "core/time_axis.hpp"
#include "tests/core/error_message.hpp"

using namespace lantian;
using lantian::test::message_of;

namespace {

// 2015-12-01T00:00Z in hours since the epoch, by hand:
//   1970-01-01 .. 2015-01-01: 45 years * 365 d + 11 leap days (1972, 1976, ..., 2012) = 16,436 d
//   2015-01-01 .. 2015-12-01: 31+28+31+30+31+30+31+31+30+31+30 = 334 d
//   16,436 + 334 = 16,770 d; 16,770 * 24 = 402,480 h.
// Cross-check with the published Unix time of 2015-12-01T00:00:00Z, 1,448,928,000 s
// (= 1,451,606,400 s for 2016-01-01 minus 31 * 86,400 s): 1,448,928,000 / 3,600 = 402,480.
constexpr UtcHour k20151201T00Z = 402'480;

}  // namespace

TEST_CASE("epoch hour of 2015-12-01T00Z matches the hand calculation", "[time]") {
  REQUIRE(k20151201T00Z * 3600 == 1'448'928'000);
  const TimeZone utc("UTC");
  CHECK(parse_time("2015-12-01T00:00Z", utc) == k20151201T00Z);
  CHECK(parse_time("1970-01-01T00", utc) == 0);
  // 1969-12-31T23:00Z is one hour before the epoch.
  CHECK(parse_time("1969-12-31T23:00Z", utc) == -1);
}

TEST_CASE("Asia/Shanghai is UTC+8 all year (no DST since 1991)", "[time]") {
  const TimeZone sh("Asia/Shanghai");
  CHECK(sh.name() == "Asia/Shanghai");
  CHECK(sh.offset_minutes(k20151201T00Z) == 480);
  CHECK(sh.offset_minutes(k20151201T00Z - 24 * 153) == 480);  // 2015-07-01, summer
  CHECK(sh.local_hour_of_day(k20151201T00Z) == 8);
  CHECK(sh.local_hour_of_day(-1) == 7);  // 1969-12-31T23Z = 1970-01-01T07 local
  // The default zone is Asia/Shanghai.
  CHECK(TimeZone{}.name() == "Asia/Shanghai");
}

TEST_CASE("parse_time accepts the documented spellings of one instant", "[time]") {
  const TimeZone sh("Asia/Shanghai");
  // 08:00 Beijing time is 00:00 UTC.
  for (const char* text : {"2015-12-01 08:00", "2015-12-01T08:00:00", "2015-12-01T08", "2015-12-01T08:00",
                           "2015-12-01 08:00:00+08:00", "2015-12-01T00:00:00Z", "2015-12-01T00Z",
                           "2015-12-01T08:00+0800", "2015-12-01T08+08", "2015-11-30T19:00-05:00",
                           "  2015-12-01T08:00\r"}) {
    INFO(text);
    CHECK(parse_time(text, sh) == k20151201T00Z);
  }
  // Leap day exists in 2016: 2016-02-29 is 90 days after 2015-12-01 (31 + 31 + 28).
  CHECK(parse_time("2016-02-29T08:00", sh) == k20151201T00Z + 90 * 24);
}

TEST_CASE("parse_time rejects malformed and out-of-range times with a clear message", "[time]") {
  const TimeZone sh("Asia/Shanghai");
  const std::string expected = "expected an ISO 8601 time like 2015-12-01T08:00";
  struct Bad {
    const char* text;
    const char* detail;
  };
  for (const Bad& b : {Bad{"garbage", "YYYY-MM-DD"}, Bad{"", "YYYY-MM-DD"}, Bad{"2015-12-01", "hour is missing"},
                       Bad{"2015-12-01T08:30", "must be 00"}, Bad{"2015-12-01T08:00:05", "must be 00"},
                       Bad{"2015-13-01T08", "month 13"}, Bad{"2015-00-01T08", "month 00"},
                       Bad{"2015-12-01T24:00", "hour 24"}, Bad{"2015-02-30T08", "day 30"},
                       Bad{"2015-02-29T08", "day 29"}, Bad{"2015-12-01T8:00", "two digits"},
                       Bad{"2015/12/01 08:00", "YYYY-MM-DD"}, Bad{"2015-12-01T08:00+08:00x", "unexpected text"},
                       Bad{"2015-12-01T08:00:00.5", "fractional"}, Bad{"2015-12-01T08:00+25:00", "offset"},
                       Bad{"2015-12-01X08", "'T' or a space"}}) {
    INFO(b.text);
    const std::string m = message_of([&] { parse_time(b.text, sh); });
    CHECK_THAT(m, Catch::Contains(expected));
    CHECK_THAT(m, Catch::Contains(std::string("found '") + b.text + "'"));
    CHECK_THAT(m, Catch::Contains(b.detail));
  }
}

TEST_CASE("unknown time zone names the zone", "[time]") {
  const std::string m = message_of([] { TimeZone tz("Asia/Beijing"); });
  CHECK_THAT(m, Catch::Contains("unknown time zone 'Asia/Beijing'"));
}

TEST_CASE("America/New_York: offsets, DST gap and overlap", "[time]") {
  const TimeZone ny("America/New_York");
  // EST = UTC-5 in winter, EDT = UTC-4 in summer.
  CHECK(ny.offset_minutes(k20151201T00Z) == -300);
  const UtcHour july1 = parse_time("2015-07-01T12:00Z", ny);
  CHECK(ny.offset_minutes(july1) == -240);
  CHECK(parse_time("2015-07-01T08:00", ny) == july1);  // 08:00 EDT = 12:00Z
  // 2015: clocks went 02:00 -> 03:00 on 8 March and 02:00 -> 01:00 on 1 November.
  CHECK_THAT(message_of([&] { parse_time("2015-03-08T02:00", ny); }), Catch::Contains("does not exist"));
  CHECK_THAT(message_of([&] { parse_time("2015-11-01T01:00", ny); }), Catch::Contains("ambiguous"));
  // With an explicit offset the overlap hour is fine: 01:00-04:00 = 05:00Z, 01:00-05:00 = 06:00Z.
  CHECK(parse_time("2015-11-01T01:00-05:00", ny) - parse_time("2015-11-01T01:00-04:00", ny) == 1);
  CHECK(format_local(parse_time("2015-11-01T06:00Z", ny), ny) == "2015-11-01T01:00:00-05:00");
}

TEST_CASE("half-hour zones refuse times that are not whole UTC hours", "[time]") {
  const TimeZone kolkata("Asia/Kolkata");  // UTC+05:30
  CHECK(kolkata.offset_minutes(k20151201T00Z) == 330);
  CHECK_THAT(message_of([&] { parse_time("2015-12-01T08:00", kolkata); }), Catch::Contains("whole UTC hour"));
  CHECK_THAT(message_of([&] { parse_time("2015-12-01T08:00+05:30", kolkata); }), Catch::Contains("whole UTC hour"));
  // 05:30 local = 00:00Z; local hour of day is 5.
  CHECK(kolkata.local_hour_of_day(k20151201T00Z) == 5);
  CHECK(format_local(k20151201T00Z, kolkata) == "2015-12-01T05:30:00+05:30");
}

TEST_CASE("format_local / format_utc round-trip through parse_time", "[time]") {
  const TimeZone sh("Asia/Shanghai");
  CHECK(format_utc(k20151201T00Z) == "2015-12-01T00:00:00Z");
  CHECK(format_local(k20151201T00Z, sh) == "2015-12-01T08:00:00+08:00");
  CHECK(format_utc(-1) == "1969-12-31T23:00:00Z");
  // Every hour of 2015 (8,760 h from 2015-01-01T00Z = 16,436 d * 24 h) in a DST zone and in UTC.
  const TimeZone ny("America/New_York");
  const UtcHour start = 16'436 * 24;
  for (UtcHour t = start; t < start + 8760; ++t) {
    REQUIRE(parse_time(format_local(t, ny), ny) == t);
    REQUIRE(parse_time(format_utc(t), sh) == t);
  }
}

TEST_CASE("TimeAxis indexes hours", "[time]") {
  const TimeAxis axis(k20151201T00Z, 72);
  CHECK(axis.size() == 72);
  CHECK(axis[71] == k20151201T00Z + 71);
  CHECK(axis.end() == k20151201T00Z + 72);
  CHECK(axis.index_of(k20151201T00Z + 5) == 5);
  CHECK(axis.index_of(k20151201T00Z + 72) == -1);
  CHECK(axis.index_of(k20151201T00Z - 1) == -1);
  CHECK_THROWS_AS(TimeAxis(0, -1), Error);
}
