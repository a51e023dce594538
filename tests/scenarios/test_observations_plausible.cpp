// Plausible ranges and missing-value codes in the observations reader (core/plausible.hpp,
// docs/input-ranges.md): the issue-18 reproducer (PM2.5 99999, a missing-value code that used to
// become AQI 500 and red decisions) is refused with file, line, column and a hint; real dust-storm
// hours and the value 999 are accepted.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/time_axis.hpp"
#include "scenarios/observations.hpp"

using namespace lantian;
using Catch::Contains;

namespace {

std::string error_of(const std::string& text) {
  try {
    (void)parse_observations_csv(text, "obs.csv", TimeZone("Asia/Shanghai"));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const std::string kHead = "station,time,PM2.5,PM10,CO\n";

}  // namespace

TEST_CASE("plausible: observed PM2.5 99999 is a missing-value code, refused with file:line:column",
          "[observations][plausible]") {
  const std::string m = error_of(kHead + "A,2015-12-01T00:00,50,80,1\nA,2015-12-01T01:00,99999,80,1\n");
  CHECK_THAT(m, Contains("obs.csv:3: column 3 (PM2.5): PM2.5 concentration 99999 is a common missing-value code") &&
                    Contains("write NA or leave the cell blank"));
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,-999,80,1\n"),
             Contains("obs.csv:2: column 3 (PM2.5): PM2.5 concentration -999 is a common missing-value code"));
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,-9999.0,80,1\n"), Contains("-9999.0 is a common missing-value code"));
  // Inside PM10's range, but exactly a code: refused too.
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,50,9999,1\n"),
             Contains("obs.csv:2: column 4 (PM10): PM10 concentration 9999 is a common missing-value code"));
  // Out of range without being a code; CO given in µg/m³ instead of mg/m³.
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,8000,80,1\n"),
             Contains("column 3 (PM2.5): PM2.5 concentration 8000 is outside the plausible range") &&
                 Contains("0..5000 µg/m³"));
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,50,80,1200\n"), Contains("column 5 (CO): CO concentration 1200"));
  // A plain negative keeps its message.
  CHECK_THAT(error_of(kHead + "A,2015-12-01T00:00,-4,80,1\n"), Contains("negative concentration -4"));
}

TEST_CASE("plausible: dust-storm hours, 999 and NA are read as given", "[observations][plausible]") {
  const auto obs = parse_observations_csv(kHead +
                                              "A,2015-12-01T00:00,1500,9998,10\n"
                                              "A,2015-12-01T01:00,999,999,NA\n"
                                              "A,2015-12-01T02:00,,3000,0.2\n",
                                          "obs.csv", TimeZone("Asia/Shanghai"));
  REQUIRE(obs.size() == 1);
  const auto& pm25 = obs[0].conc[static_cast<int>(Pollutant::PM25)];
  const auto& pm10 = obs[0].conc[static_cast<int>(Pollutant::PM10)];
  CHECK(pm25[0] == 1500.0);
  CHECK(pm25[1] == 999.0);
  CHECK(std::isnan(pm25[2]));
  CHECK(pm10[0] == 9998.0);
  CHECK(obs[0].missing[static_cast<int>(Pollutant::CO)] == 1);
}
