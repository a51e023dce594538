// Case files: loading, path resolution, error messages, validation (core/case_config.hpp).
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "temp_dir.hpp"

using namespace lantian;

namespace {

// Line numbers are referenced by the tests below.
const std::string kCase =
    "name = \"demo-city\"\n"                                                              // 1
    "time_zone = \"Asia/Shanghai\"\n"                                                     // 2
    "rules_file = \"rules/national.toml\"\n"                                              // 3
    "\n"                                                                                  // 4
    "[period]\n"                                                                          // 5
    "start = \"2015-12-01T08:00\"\n"                                                      // 6
    "hours = 48\n"                                                                        // 7
    "\n"                                                                                  // 8
    "[grid]\n"                                                                            // 9
    "crs = \"+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m\"\n"  // 10
    "nx = 40\n"                                                                           // 11
    "ny = 30\n"                                                                           // 12
    "dx = 3000.0\n"                                                                       // 13
    "dy = 3000\n"                                                                         // 14
    "x0 = -60000.0\n"                                                                     // 15
    "y0 = -45000.0\n"                                                                     // 16
    "layer_tops = [50, 150, 300, 600, 1000]\n"                                            // 17
    "\n"                                                                                  // 18
    "[[stations]]\n"                                                                      // 19
    "id = \"1001A\"\n"                                                                    // 20
    "name = \"万寿西宫\"\n"                                                               // 21
    "lon = 116.366\n"                                                                     // 22
    "lat = 39.878\n"                                                                      // 23
    "\n"                                                                                  // 24
    "[[stations]]\n"                                                                      // 25
    "id = \"P01\"\n"                                                                      // 26
    "lon = 116.2\n"                                                                       // 27
    "lat = 39.7\n"                                                                        // 28
    "kind = \"provincial\"\n"                                                             // 29
    "\n"                                                                                  // 30
    "[paths]\n"                                                                           // 31
    "observations = \"data/observations.csv\"\n"                                          // 32
    "output = \"/tmp/out\"\n";                                                            // 33

/// kCase with the first occurrence of `from` replaced by `to`.
std::string edited(const std::string& from, const std::string& to) {
  std::string s = kCase;
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

Error load_error(const std::string& text) {
  const test::TempDir dir;
  const std::string path = dir.write("case.toml", text);
  try {
    (void)load_case(path);
  } catch (const Error& e) {
    // The file is named by its full path; report it relative for stable comparisons.
    ErrorContext c = e.context();
    CHECK(c.file == path);
    c.file = "case.toml";
    return Error(c, e.message());
  }
  FAIL("expected lantian::Error");
  return Error("unreachable");
}

}  // namespace

TEST_CASE("a valid case file loads, with paths relative to its folder", "[config][case]") {
  const test::TempDir dir;
  const std::string path = dir.write("case.toml", kCase);
  const CaseConfig c = load_case(path);
  CHECK(c.name == "demo-city");
  CHECK(c.time_zone == "Asia/Shanghai");
  CHECK(c.period.start == "2015-12-01T08:00");
  CHECK(c.period.hours == 48);
  CHECK(c.grid.nx == 40);
  CHECK(c.grid.dy == 3000.0);
  CHECK(c.grid.layer_tops == std::vector<double>{50, 150, 300, 600, 1000});
  REQUIRE(c.stations.size() == 2);
  CHECK(c.stations[0].name == "万寿西宫");
  CHECK(c.stations[0].kind == "national");  // default
  CHECK(c.stations[1].name == "P01");       // defaults to the id
  CHECK(c.stations[1].kind == "provincial");
  CHECK(c.stations[1].lat == 39.7);
  const std::filesystem::path folder = dir.path();
  CHECK(c.paths.observations == (folder / "data/observations.csv").string());
  CHECK(c.rules_file == (folder / "rules/national.toml").string());
  CHECK(c.paths.output == "/tmp/out");  // absolute paths are kept
  CHECK(c.paths.meteorology.empty());
  // 2015-12-01T08:00 Beijing time = 2015-12-01T00:00Z = 16,770 d * 24 h = 402,480 h
  // (hand calculation in test_time_axis.cpp).
  CHECK(c.start_utc() == 402'480);
  const TimeAxis axis = c.time_axis();
  CHECK(axis.size() == 48);
  CHECK(axis.end() == 402'480 + 48);
  const Grid g = c.make_grid();
  CHECK(g.x_face(40) == 60000.0);  // -60000 + 40 * 3000
  CHECK(c.source.line("stations[1].kind") == 29);
}

TEST_CASE("defaults apply when optional keys are absent", "[config][case]") {
  const std::string minimal =
      "name = \"m\"\n[period]\nstart = \"2015-12-01T00:00Z\"\n"
      "[grid]\ncrs = \"EPSG:32650\"\nnx = 2\nny = 2\ndx = 1000\ndy = 1000\nx0 = 400000\ny0 = 4400000\n"
      "layer_tops = [100]\n";
  const CaseConfig c = load_case_string(minimal, "minimal.toml", "/base");
  CHECK(c.time_zone == "Asia/Shanghai");
  CHECK(c.period.hours == 72);
  CHECK(c.stations.empty());
  CHECK(c.rules_file.empty());
  CHECK(c.start_utc() == 402'480);
}

TEST_CASE("unknown keys suggest the nearest valid key", "[config][case]") {
  Error e = load_error(edited("hours = 48", "horus = 48"));
  CHECK(e.context().line == 7);
  CHECK_THAT(std::string(e.what()),
             Catch::StartsWith("case.toml:7: unknown key 'horus' in [period] (did you mean 'hours'?)"));
  e = load_error(edited("[paths]", "[path]"));
  CHECK_THAT(e.message(), Catch::StartsWith("unknown key 'path' in the top level (did you mean 'paths'?)"));
  CHECK(e.context().line == 31);
  e = load_error(edited("lat = 39.7", "latt = 39.7"));
  CHECK_THAT(e.message(), Catch::StartsWith("unknown key 'latt' in [stations[1]] (did you mean 'lat'?)"));
  CHECK(e.context().line == 28);
}

TEST_CASE("mistyped values name the line, key and types", "[config][case]") {
  Error e = load_error(edited("nx = 40", "nx = \"40\""));
  CHECK(std::string(e.what()) == "case.toml:11: grid.nx: expected an integer, found a string (\"40\")");
  e = load_error(edited("lon = 116.2", "lon = \"116.2E\""));
  CHECK(e.context().line == 27);
  CHECK(e.context().where == "stations[1].lon");
  CHECK(e.message() == "expected a number, found a string (\"116.2E\")");
  e = load_error(edited("[50, 150, 300, 600, 1000]", "[50, 150, true]"));
  CHECK(e.context().where == "grid.layer_tops[2]");
  CHECK(e.context().line == 17);
}

TEST_CASE("missing required keys name the section", "[config][case]") {
  Error e = load_error(edited("x0 = -60000.0\n", ""));
  CHECK(e.message() == "missing required key 'x0' in [grid]");
  CHECK(e.context().line == 9);
  e = load_error(edited("id = \"P01\"\n", ""));
  CHECK(e.message() == "missing required key 'id' in [stations[1]]");
  CHECK(e.context().line == 25);
  e = load_error(edited("name = \"demo-city\"\n", ""));
  CHECK(e.message() == "missing required key 'name' in the top level");
}

TEST_CASE("invalid values name the field, file and line", "[config][case]") {
  Error e = load_error(edited("hours = 48", "hours = 0"));
  CHECK(std::string(e.what()) == "case.toml:7: period.hours: expected a period of 1 to 240 hours, found 0");
  e = load_error(edited("hours = 48", "hours = 241"));
  CHECK(e.context().where == "period.hours");
  e = load_error(edited("lat = 39.878", "lat = 95.0"));
  CHECK(std::string(e.what()) == "case.toml:23: stations[0].lat: expected a latitude in -90..90 degrees north, found 95");
  e = load_error(edited("[50, 150, 300, 600, 1000]", "[50, 150, 150, 600]"));
  CHECK(e.context().where == "grid.layer_tops[2]");
  CHECK(e.context().line == 17);
  CHECK(e.message() == "expected layer tops strictly increasing, found 150 after 150");
  e = load_error(edited("dx = 3000.0", "dx = -3000.0"));
  CHECK(std::string(e.what()) == "case.toml:13: grid.dx: expected a positive cell width, found -3000");
  e = load_error(edited("nx = 40", "nx = 0"));
  CHECK(e.context().where == "grid.nx");
  e = load_error(edited("2015-12-01T08:00", "2015-12-01T08:30"));
  CHECK(e.context().where == "period.start");
  CHECK(e.context().line == 6);
  CHECK_THAT(e.message(), Catch::Contains("found '2015-12-01T08:30'"));
  e = load_error(edited("Asia/Shanghai", "Asia/Peking"));
  CHECK(e.context().where == "time_zone");
  CHECK(e.context().line == 2);
  CHECK_THAT(e.message(), Catch::Contains("'Asia/Peking'"));
  e = load_error(edited("+proj=lcc", "+proj=lccc"));
  CHECK(e.context().where == "grid.crs");
  CHECK(e.context().line == 10);
  CHECK_THAT(e.message(), Catch::Contains("+proj=lccc"));
  e = load_error(edited("\"P01\"", "\"1001A\""));
  CHECK(std::string(e.what()) == "case.toml:26: stations[1].id: duplicate station id '1001A'");
  e = load_error(edited("\"provincial\"", "\"county\""));
  CHECK(e.message() == "expected \"national\" or \"provincial\", found \"county\"");
  CHECK(e.context().line == 29);
  e = load_error(edited("name = \"demo-city\"", "name = \"\""));
  CHECK(e.context().where == "name");
}
