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
  // ... which needs the stability class.
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,10,293.15,,800,0.4,-50\n");
  r = run_lantian(args(d), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("m.csv:2") && Contains("stability"));
  r = run_lantian(args(d, " --dispersion turbulence"), d);
  CHECK(r.status == 0);
  write_text(d / "s.csv", "id,x,y,height,diameter,velocity,temperature,rate\nA,0,0,-5,0,0,0,1\n");
  r = run_lantian(args(d), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("s.csv:2") && Contains("height"));
}
