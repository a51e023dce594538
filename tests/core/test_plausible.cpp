// Plausibility ranges (core/plausible.hpp): the table agrees with docs/input-ranges.md, the
// missing-value codes, messages, and the case-file reproducers of issue 18 (grid dx 1e300,
// [model.inflow] 1e300).
#include <catch2/catch.hpp>

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "core/plausible.hpp"
#include "error_message.hpp"

using namespace lantian;
using lantian::test::message_of;
using Catch::Contains;

namespace {

std::string trim_cell(std::string s) {
  const auto a = s.find_first_not_of(' ');
  const auto b = s.find_last_not_of(' ');
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

double to_number(const std::string& s) {
  double v = 0.0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  REQUIRE(r.ec == std::errc());
  REQUIRE(r.ptr == s.data() + s.size());
  return v;
}

/// The rows of the table under "## The table" in docs/input-ranges.md, cells trimmed.
std::vector<std::vector<std::string>> doc_rows() {
  std::ifstream in(std::string(LANTIAN_SOURCE_DIR) + "/docs/input-ranges.md");
  REQUIRE(in.good());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool in_table = false;
  int header_lines = 0;
  while (std::getline(in, line)) {
    if (line == "## The table") {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.rfind("|", 0) != 0) {
      if (!rows.empty()) break;
      continue;
    }
    if (header_lines < 2) {  // the header and the |---| line
      ++header_lines;
      continue;
    }
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ss(line.substr(1));
    while (std::getline(ss, cell, '|')) cells.push_back(trim_cell(cell));
    rows.push_back(cells);
  }
  return rows;
}

// Line numbers are referenced by the tests below.
const std::string kCase =
    "name = \"plausible\"\n"                                                                  // 1
    "[period]\n"                                                                              // 2
    "start = \"2015-12-01T08:00\"\n"                                                          // 3
    "[grid]\n"                                                                                // 4
    "crs = \"+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m\"\n"  // 5
    "nx = 4\n"                                                                                // 6
    "ny = 3\n"                                                                                // 7
    "dx = 3000.0\n"                                                                           // 8
    "dy = 3000.0\n"                                                                           // 9
    "x0 = -6000.0\n"                                                                          // 10
    "y0 = -4500.0\n"                                                                          // 11
    "layer_tops = [50, 150, 300]\n"                                                           // 12
    "[model]\n"                                                                               // 13
    "kh = 50.0\n"                                                                             // 14
    "[model.inflow]\n"                                                                        // 15
    "SO4 = 8.0\n";                                                                            // 16

std::string edited(const std::string& from, const std::string& to) {
  std::string s = kCase;
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("plausible: docs/input-ranges.md holds exactly the C++ table", "[plausible]") {
  const auto rows = doc_rows();
  const auto table = plausible_table();
  REQUIRE(rows.size() == table.size());
  for (std::size_t n = 0; n < table.size(); ++n) {
    const QuantityInfo& q = table[n];
    INFO("row " << n + 1 << ": " << q.key);
    REQUIRE(rows[n].size() == 8);
    CHECK(static_cast<std::size_t>(q.quantity) == n);
    CHECK(&quantity_info(q.quantity) == &q);
    CHECK(rows[n][0] == q.key);
    CHECK(rows[n][1] == q.name);
    CHECK(rows[n][2] == q.unit);
    CHECK(to_number(rows[n][3]) == q.min);
    CHECK(to_number(rows[n][4]) == q.max);
    CHECK(rows[n][5] == (q.refuse_codes ? "yes" : "no"));
    CHECK(rows[n][6] == q.reason);
    CHECK(rows[n][7] == q.readers);
    CHECK(q.min < q.max);
    CHECK_FALSE(q.reason.empty());
  }
}

TEST_CASE("plausible: missing-value codes are refused, real extremes accepted", "[plausible]") {
  for (double c : {-99.0, -999.0, -9999.0, 9999.0, 99999.0, 999999.0}) CHECK(is_missing_code(c));
  for (double v : {999.0, 99.0, -9.0, 0.0, 1500.0}) CHECK_FALSE(is_missing_code(v));
  // PM2.5: dust-storm hours pass, 99999 and 6000 do not; 999 is a real value, not a code.
  CHECK(is_plausible(Quantity::pm25, 1500.0));
  CHECK(is_plausible(Quantity::pm25, 999.0));
  CHECK(is_plausible(Quantity::pm25, 3000.0));
  CHECK_FALSE(is_plausible(Quantity::pm25, 99999.0));
  CHECK_FALSE(is_plausible(Quantity::pm25, 6000.0));
  CHECK_FALSE(is_plausible(Quantity::pm25, std::numeric_limits<double>::quiet_NaN()));
  // An exact code inside the range is refused where codes are refused (PM10 9999), not elsewhere.
  CHECK(is_plausible(Quantity::pm10, 9998.0));
  CHECK_FALSE(is_plausible(Quantity::pm10, 9999.0));
  CHECK(is_plausible(Quantity::sensible_heat_flux, -99.0));
  // Temperatures: -40 °C and 45 °C pass, 276 °C and 3 K do not.
  CHECK(is_plausible(Quantity::air_temperature, 233.15));
  CHECK(is_plausible(Quantity::air_temperature, 318.15));
  CHECK_FALSE(is_plausible(Quantity::air_temperature, 276.0 + 273.15));
  CHECK_FALSE(is_plausible(Quantity::air_temperature, 3.0));
  CHECK_FALSE(is_plausible(Quantity::mixing_height, -100.0));
  CHECK_FALSE(is_plausible(Quantity::exit_velocity, 4e9));
  CHECK(is_plausible(Quantity::exit_velocity, 25.0));

  const std::string code = implausible_message(Quantity::pm25, 99999.0, "99999", "write NA");
  CHECK_THAT(code, Contains("PM2.5 concentration 99999 is a common missing-value code") && Contains("write NA") &&
                       Contains("0..5000 µg/m³"));
  const std::string range = implausible_message(Quantity::air_temperature, 3.0);
  CHECK_THAT(range, Contains("air temperature 3 K is outside the plausible range") &&
                        Contains("183.15..333.15 K (-90..60 °C)"));
  CHECK(implausible_message(Quantity::pm25, 10.0).empty());
  const std::string msg = message_of(
      [] { check_plausible(Quantity::exit_velocity, 4e9, ErrorContext{"stacks.csv", 3, "column 7 (velocity)"}); });
  CHECK_THAT(msg, Contains("stacks.csv:3: column 7 (velocity): exit velocity 4000000000 m/s is outside"));
}

TEST_CASE("plausible: the case grid, inflow, background, kh and dt (issue 18 reproducers)", "[plausible][case]") {
  CHECK_NOTHROW(load_case_string(kCase, "case.toml"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("dx = 3000.0", "dx = 1e300"), "case.toml"); }),
             Contains("case.toml:8: grid.dx: cell size 1e+300 m is outside the plausible range") &&
                 Contains("10..100000 m"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("dy = 3000.0", "dy = 1.0"), "case.toml"); }),
             Contains("case.toml:9: grid.dy: cell size 1 m"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("x0 = -6000.0", "x0 = -6e9"), "case.toml"); }),
             Contains("case.toml:10: grid.x0"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("[50, 150, 300]", "[50, 150, 3e7]"), "case.toml"); }),
             Contains("grid.layer_tops[2]: layer top 30000000 m"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("SO4 = 8.0", "SO4 = 1e300"), "case.toml"); }),
             Contains("case.toml:16: model.inflow.SO4: concentration 1e+300 µg/m³ is outside the plausible range"));
  CHECK_THAT(message_of([] {
               (void)load_case_string(edited("[model.inflow]\nSO4 = 8.0", "[model.background]\nSO4 = 1e300"), "case.toml");
             }),
             Contains("case.toml:16: model.background.SO4: concentration 1e+300"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("kh = 50.0", "kh = 1e300"), "case.toml"); }),
             Contains("case.toml:14: model.kh: horizontal diffusivity 1e+300"));
  CHECK_THAT(message_of([] { (void)load_case_string(edited("kh = 50.0", "dt = 1e-300"), "case.toml"); }),
             Contains("model.dt: time step 1e-300 s"));
  // A geographic grid is judged in degrees: 0.1 degree passes, 5 degrees does not.
  const std::string geo = edited("+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m", "EPSG:4326");
  auto geo_with = [&](const std::string& dx) {
    std::string s = geo;
    s.replace(s.find("dx = 3000.0"), 11, "dx = " + dx);
    s.replace(s.find("dy = 3000.0"), 11, "dy = 0.1");
    s.replace(s.find("x0 = -6000.0"), 12, "x0 = 116.0");
    s.replace(s.find("y0 = -4500.0"), 12, "y0 = 39.5");
    return s;
  };
  CHECK_NOTHROW(load_case_string(geo_with("0.1"), "geo.toml"));
  CHECK_THAT(message_of([&] { (void)load_case_string(geo_with("5.0"), "geo.toml"); }),
             Contains("geo.toml:8: grid.dx: cell size 5 degrees"));
}
