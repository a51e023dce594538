// The observations reader behind `lantian aqi` (scenarios/observations.hpp), called directly:
// CSV details (quotes, CRLF, BOM, header spellings), the dense hourly axis, error context, speed.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "scenarios/observations.hpp"

using namespace lantian;

namespace {
const TimeZone& shanghai() {
  static const TimeZone tz("Asia/Shanghai");
  return tz;
}
/// Days since 1970-01-01 -> civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
void civil_from_days(int z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}
}  // namespace

TEST_CASE("observations reader: quotes, CRLF, BOM, header spellings, missing markers", "[observations]") {
  const std::string text =
      "\xEF\xBB\xBF"
      "\"Station\" , TIME,pm25, PM10 ,co\r\n"
      "\"Dongsi, east\",2015-12-01 00:00,12.5,NA,1.2\r\n"
      "\"Dongsi, east\",2015-12-01T01:00,NaN,30,\r\n"
      "\r\n"
      "\"Say \"\"hi\"\"\",2015-12-01T00:00,+7,8e1, 0.5 \r\n";
  const auto obs = parse_observations_csv(text, "mem.csv", shanghai());
  REQUIRE(obs.size() == 2);
  const auto& a = obs[0];
  CHECK(a.station == "Dongsi, east");
  CHECK(a.hours == 2);
  CHECK(a.rows == 2);
  CHECK(a.start == parse_time("2015-11-30T16:00Z", shanghai()));
  CHECK(a.present[int(Pollutant::PM25)]);
  CHECK(a.present[int(Pollutant::PM10)]);
  CHECK(a.present[int(Pollutant::CO)]);
  CHECK_FALSE(a.present[int(Pollutant::SO2)]);
  CHECK(a.conc[int(Pollutant::SO2)].empty());
  CHECK(a.conc[int(Pollutant::PM25)][0] == 12.5);
  CHECK(std::isnan(a.conc[int(Pollutant::PM25)][1]));
  CHECK(std::isnan(a.conc[int(Pollutant::PM10)][0]));
  CHECK(a.conc[int(Pollutant::PM10)][1] == 30.0);
  CHECK(std::isnan(a.conc[int(Pollutant::CO)][1]));
  CHECK(a.missing[int(Pollutant::PM25)] == 1);
  CHECK(a.missing_share(Pollutant::PM10) == 0.5);
  CHECK(std::isnan(a.missing_share(Pollutant::O3)));
  const auto& b = obs[1];
  CHECK(b.station == "Say \"hi\"");
  CHECK(b.conc[int(Pollutant::PM25)][0] == 7.0);
  CHECK(b.conc[int(Pollutant::PM10)][0] == 80.0);
  CHECK(b.conc[int(Pollutant::CO)][0] == 0.5);
  const StationSeries s = a.series();
  CHECK(s.hours == 2);
  CHECK(s.has(Pollutant::PM25));
  CHECK_FALSE(s.has(Pollutant::O3));
}

TEST_CASE("observations reader: gaps become missing hours, line numbers count quoted newlines",
          "[observations]") {
  const std::string text =
      "station,time,PM2.5\n"
      "A,2015-12-01T00:00,1\n"
      "A,2015-12-01T04:00,2\n"  // hours 01-03 are a gap
      "\"multi\nline\",2015-12-01T00:00,3\n"
      "A,2015-12-01T05:00,-4\n";  // physical line 6
  try {
    (void)parse_observations_csv(text, "gap.csv", shanghai());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.context().file == "gap.csv");
    CHECK(e.context().line == 6);
    CHECK(e.context().where == "column 3 (PM2.5)");
    CHECK(std::string(e.what()).find("negative") != std::string::npos);
  }
  const auto obs = parse_observations_csv(text.substr(0, text.rfind("A,2015-12-01T05")), "gap.csv", shanghai());
  REQUIRE(obs.size() == 2);
  CHECK(obs[0].hours == 5);
  CHECK(obs[0].gap_hours == 3);
  CHECK(obs[0].missing[int(Pollutant::PM25)] == 3);
  CHECK(obs[0].conc[int(Pollutant::PM25)][4] == 2.0);
  CHECK(obs[1].station == "multi\nline");
}

TEST_CASE("observations reader: header and content errors", "[observations]") {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      (void)parse_observations_csv(text, "x.csv", shanghai());
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of("") .find("empty file") != std::string::npos);
  CHECK(error_of("station,time\nA,2015-12-01T00:00\n").find("no pollutant column") != std::string::npos);
  CHECK(error_of("station,time,PM2.5,pm25\n").find("duplicate column") != std::string::npos);
  CHECK(error_of("station,time,PM2.5\n").find("no data rows") != std::string::npos);
  CHECK(error_of("station,time,PM2.5\n,2015-12-01T00:00,1\n").find("empty station") != std::string::npos);
  CHECK(error_of("station,time,PM2.5\nA,2015-12-01T00:30,1\n").find("x.csv:2: column 2 (time)") !=
        std::string::npos);
  CHECK(error_of("station,time,PM2.5\nA,2015-12-01T00:00,inf\n").find("x.csv:2: column 3 (PM2.5)") !=
        std::string::npos);
  CHECK(error_of("station,time,PM2.5\nA,2015-12-01T00:00,1\nA,2045-12-01T00:00,1\n").find("gap of") !=
        std::string::npos);
  const std::string unknown = error_of("station,time,NO2,S02\n");
  CHECK(unknown.find("x.csv:1: column 4") != std::string::npos);
  CHECK(unknown.find("\"SO2\"") != std::string::npos);
}

TEST_CASE("observations reader: 420,000 rows (12 stations x 35,000 h) in well under 2 s", "[observations][perf]") {
  // The size of the 12 Beijing stations over four years, rows grouped by station.
  std::string text = "station,time,PM2.5,PM10,SO2,NO2,CO,O3\n";
  text.reserve(420000 * 70);
  char buf[160];
  const int hours = 35000;
  for (int st = 0; st < 12; ++st) {
    for (int h = 0; h < hours; ++h) {
      int y = 0, m = 0, d = 0;
      civil_from_days(15765 + h / 24, y, m, d);  // from 2013-03-01
      std::snprintf(buf, sizeof buf, "Station%02d,%04d-%02d-%02dT%02d:00:00,%d.%d,%d,%d,%d,0.%d,%s\n", st, y, m, d,
                    h % 24, 20 + h % 300, h % 10, 40 + h % 400, 3 + h % 40, 20 + h % 90, 1 + h % 9,
                    (h % 97 == 0) ? "NA" : "55");
      text += buf;
    }
  }
  const auto obs = parse_observations_csv(text, "big.csv", shanghai());
  REQUIRE(obs.size() == 12);
  CHECK(obs[0].rows == static_cast<std::size_t>(hours));
}
