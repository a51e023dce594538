// End-to-end tests of `lantian plume`: the output contract, calm hours, and errors naming
// file, line and column.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "apps/cli_support.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

const char* kSources = "id,x,y,height,diameter,velocity,temperature,rate\n"
                       "A,0,0,50,0,0,0,100\n"
                       "B,500,300,80,2.5,12,400,20\n";
const char* kReceptors = "id,x,y,z\nE1000,1000,0,0\nW1000,-1000,0,0\n";

std::string args(const TempDir& d, const std::string& extra = "") {
  return "plume --sources " + shell_quote(d / "s.csv") + " --met " + shell_quote(d / "m.csv") + " --receptors " +
         shell_quote(d / "r.csv") + " --out " + shell_quote(d / "c.csv") + extra;
}

}  // namespace

TEST_CASE("lantian plume writes time,receptor,conc and reports calm hours", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "r.csv", kReceptors);
  // Hour 1: wind from the west at 5 m/s measured at 50 m (the top of stack A), class D, no lid.
  // Hour 2: 0.2 m/s, calm.
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,50,293.15,D,,,\n"
             "2015-12-01T01:00,0.2,270,10,290,F,200,,\n");
  const RunResult r = run_lantian(args(d), d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("calm hour 2015-12-01T01:00"));
  CHECK_THAT(r.out, Contains("1 calm"));
  const auto rows = read_csv(d / "c.csv");
  REQUIRE(rows.size() == 5u);
  CHECK(rows[0] == std::vector<std::string>{"time", "receptor", "conc"});
  CHECK(rows[1][0] == "2015-12-01T00:00");
  CHECK(rows[1][1] == "E1000");
  // Stack A alone reaches E1000 (B is 300 m off axis and 500 m upwind of it, far above): the
  // textbook value of tests/solver (Briggs rural D, x = 1 km, H = 50 m, u = 5 m/s):
  // 923.24 ug/m3, plus B's small share.
  const double e = std::stod(rows[1][2]);
  CHECK(e >= 923.2);
  CHECK(e < 1100.0);
  CHECK(std::stod(rows[2][2]) == 0.0);  // upwind
  CHECK(std::isfinite(std::stod(rows[3][2])));
}

TEST_CASE("lantian plume names the file, line and column of a needed blank", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "r.csv", kReceptors);
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,10,293.15,D,800,0.4,\n");
  RunResult r = run_lantian(args(d, " --dispersion turbulence"), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("lantian: error:") && Contains("m.csv:2") && Contains("(L)") &&
                        Contains("turbulence option needs"));
  CHECK_FALSE(std::filesystem::exists(d / "c.csv"));
  // The same file is fine for briggs-rural (u*, L not needed) ...
  r = run_lantian(args(d), d);
  CHECK(r.status == 0);
  // ... which needs the stability class. (c.csv exists now: replacing it needs --force.)
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,10,293.15,,800,0.4,-50\n");
  r = run_lantian(args(d, " --force"), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("m.csv:2") && Contains("stability"));
  r = run_lantian(args(d, " --dispersion turbulence --force"), d);
  CHECK(r.status == 0);
  write_text(d / "s.csv", "id,x,y,height,diameter,velocity,temperature,rate\nA,0,0,-5,0,0,0,1\n");
  r = run_lantian(args(d, " --force"), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("s.csv:2") && Contains("height"));
}

TEST_CASE("lantian plume takes area sources, grid receptors and writes daily means", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "a.csv",
             "id,height,rate,polygon\n"
             "yard,2,5,\"POLYGON((-300 -100, -100 -100, -100 100, -300 100, -300 -100))\"\n");
  // 26 hours from local midnight (UTC+8): 24 on 2015-12-01, 2 on 2015-12-02.
  std::string met = "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height\n";
  for (int h = 0; h < 26; ++h) {
    char row[96];
    std::snprintf(row, sizeof row, "2015-12-%02dT%02d:00,4,270,10,280,D,600\n", 1 + h / 24, h % 24);
    met += row;
  }
  write_text(d / "m.csv", met);
  const std::string cmd = "plume --sources " + shell_quote(d / "s.csv") + " --areas " + shell_quote(d / "a.csv") +
                          " --met " + shell_quote(d / "m.csv") + " --grid -1000,-1000,500,4,4 --out " +
                          shell_quote(d / "c.csv") + " --daily " + shell_quote(d / "daily.csv");
  const RunResult r = run_lantian(cmd, d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("2 stacks, 1 areas"));
  const auto rows = read_csv(d / "c.csv");
  REQUIRE(rows.size() == 1u + 26u * 16u);
  CHECK(rows[1][1] == "g0_0");
  const auto daily = read_csv(d / "daily.csv");
  REQUIRE(daily.size() == 1u + 2u * 16u);
  CHECK(daily[0] == std::vector<std::string>{"date", "receptor", "conc", "hours", "valid"});
  CHECK(daily[1][0] == "2015-12-01");
  CHECK(daily[1][3] == "24");
  CHECK(daily[1][4] == "true");
  CHECK(daily[17][0] == "2015-12-02");
  CHECK(daily[17][4] == "false");
  // Every hour has the same met, so each day's mean equals the first hour's value (to the 6
  // significant digits written).
  for (std::size_t k = 1; k <= 16; ++k) CHECK(std::stod(daily[k][2]) == Approx(std::stod(rows[k][2])).epsilon(1e-5));
  // g2_2 (x = 250, y = 250) lies downwind of the yard and the stacks: positive.
  CHECK(std::stod(rows[11][2]) > 0.0);
}

TEST_CASE("lantian plume names a bad area polygon and a bad grid", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "m.csv", "time,wind_speed,wind_dir,ref_height,temperature,stability\n2015-12-01T00:00,4,270,10,280,D\n");
  write_text(d / "a.csv", "id,height,rate,polygon\nyard,2,5,\"POLYGON((0 0, 10 0))\"\n");
  RunResult r = run_lantian("plume --areas " + shell_quote(d / "a.csv") + " --met " + shell_quote(d / "m.csv") +
                                " --grid 0,0,100,2,2 --out " + shell_quote(d / "c.csv"),
                            d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("a.csv:2") && Contains("polygon"));
  r = run_lantian("plume --sources " + shell_quote(d / "s.csv") + " --met " + shell_quote(d / "m.csv") +
                      " --grid 0,0,-100,2,2 --out " + shell_quote(d / "c.csv"),
                  d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("--grid") && Contains("X0,Y0,DX,NX,NY"));
  CHECK_FALSE(std::filesystem::exists(d / "c.csv"));
}

TEST_CASE("lantian screen ranks the demo city's enterprises and lines per station", "[cli][screen]") {
  TempDir d;
  const std::string demo = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";
  const RunResult r = run_lantian("screen " + shell_quote(demo) + " --out " + shell_quote(d / "out"), d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("largest contributors"));
  const auto series = read_csv(d / "out/stations.csv");
  CHECK(series.size() == 1u + 72u * 8u);
  const auto ent = read_csv(d / "out/enterprises.csv");
  REQUIRE(ent.size() > 8u);
  CHECK(ent[0] == std::vector<std::string>{"station", "rank", "enterprise", "name", "district", "mean", "peak"});
  // Ranked by mean within a station.
  for (std::size_t i = 2; i < ent.size(); ++i)
    if (ent[i][0] == ent[i - 1][0]) CHECK(std::stod(ent[i][5]) <= std::stod(ent[i - 1][5]));
  CHECK(std::filesystem::exists(d / "out/lines.csv"));
  CHECK_FALSE(std::filesystem::exists(d / "out/map_daily.csv"));
  // The folder is not replaced without --force.
  const RunResult again = run_lantian("screen " + shell_quote(demo) + " --out " + shell_quote(d / "out"), d);
  CHECK(again.status == 1);
  CHECK_THAT(again.err, Contains("--force"));
}
