// `lantian plume` and `lantian screen`: the figures on the library's summaries
// (forecast/plume_job, forecast/screening_output) and the files written; errors naming file,
// line and column; one smoke run of each command (exit code, files, error text).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <string>

#include "apps/cli_support.hpp"
#include "core/error.hpp"
#include "forecast/plume_job.hpp"
#include "forecast/screening_output.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;
using lantian::PlumeRequest;
using lantian::run_plume_job;

namespace {

const char* kSources = "id,x,y,height,diameter,velocity,temperature,rate\n"
                       "A,0,0,50,0,0,0,100\n"
                       "B,500,300,80,2.5,12,400,20\n";
const char* kReceptors = "id,x,y,z\nE1000,1000,0,0\nW1000,-1000,0,0\n";

std::string args(const TempDir& d, const std::string& extra = "") {
  return "plume --sources " + shell_quote(d / "s.csv") + " --met " + shell_quote(d / "m.csv") + " --receptors " +
         shell_quote(d / "r.csv") + " --out " + shell_quote(d / "c.csv") + extra;
}

PlumeRequest request(const TempDir& d, const std::string& dispersion = "briggs-rural", bool force = false) {
  PlumeRequest r;
  r.sources = d / "s.csv";
  r.met = d / "m.csv";
  r.receptors = d / "r.csv";
  r.out = d / "c.csv";
  r.dispersion = dispersion;
  r.force = force;
  return r;
}

}  // namespace

TEST_CASE("plume writes time,receptor,conc and reports calm hours", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "r.csv", kReceptors);
  // Hour 1: wind from the west at 5 m/s measured at 50 m (the top of stack A), class D, no lid.
  // Hour 2: 0.2 m/s, calm.
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,50,293.15,D,,,\n"
             "2015-12-01T01:00,0.2,270,10,290,F,200,,\n");
  const lantian::PlumeSummary s = run_plume_job(request(d));
  CHECK(s.stacks == 2u);
  CHECK(s.areas == 0u);
  CHECK(s.hours == 2u);
  CHECK(s.receptors == 2u);
  CHECK(s.dispersion == "briggs-rural");
  REQUIRE(s.calm.size() == 1u);
  CHECK(s.calm[0].time == "2015-12-01T01:00");
  CHECK(s.calm[0].wind_speed == 0.2);
  REQUIRE(s.warnings.size() == 1u);
  CHECK_THAT(s.warnings[0], Contains("calm hour 2015-12-01T01:00") && Contains("computed with 0.5 m/s"));
  CHECK(s.out == d / "c.csv");
  CHECK(s.daily.empty());
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
  // The summary's maximum is the file's largest value (to the 6 digits written).
  CHECK(s.max_receptor == "E1000");
  CHECK(s.max_time == "2015-12-01T00:00");
  CHECK(s.max_conc == Approx(e).epsilon(1e-5));

  // The command: the same file, the warning on stderr, the summary on stdout.
  const RunResult r = run_lantian(args(d, " --force"), d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("lantian: warning: calm hour 2015-12-01T01:00"));
  CHECK(r.out == lantian::format_plume_summary(s));
  CHECK(read_csv(d / "c.csv") == rows);
}

TEST_CASE("plume names the file, line and column of a needed blank", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "r.csv", kReceptors);
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,10,293.15,D,800,0.4,\n");
  CHECK_THROWS_WITH(run_plume_job(request(d, "turbulence")),
                    Contains("m.csv:2") && Contains("(L)") && Contains("turbulence option needs"));
  CHECK_FALSE(std::filesystem::exists(d / "c.csv"));
  // The command says the same after "lantian: error:" and exits 1.
  RunResult r = run_lantian(args(d, " --dispersion turbulence"), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("lantian: error:") && Contains("m.csv:2") && Contains("(L)") &&
                        Contains("turbulence option needs"));
  CHECK_FALSE(std::filesystem::exists(d / "c.csv"));
  // The same file is fine for briggs-rural (u*, L not needed) ...
  CHECK(run_plume_job(request(d)).hours == 1u);
  // ... which needs the stability class. (c.csv exists now: replacing it needs force.)
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "2015-12-01T00:00,5,270,10,293.15,,800,0.4,-50\n");
  CHECK_THROWS_WITH(run_plume_job(request(d)), Contains("the output file exists") && Contains("--force"));
  CHECK_THROWS_WITH(run_plume_job(request(d, "briggs-rural", true)), Contains("m.csv:2") && Contains("stability"));
  CHECK(run_plume_job(request(d, "turbulence", true)).dispersion == "turbulence");
  write_text(d / "s.csv", "id,x,y,height,diameter,velocity,temperature,rate\nA,0,0,-5,0,0,0,1\n");
  CHECK_THROWS_WITH(run_plume_job(request(d, "briggs-rural", true)), Contains("s.csv:2") && Contains("height"));
}

TEST_CASE("plume takes area sources, grid receptors and writes daily means", "[cli][plume]") {
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
  PlumeRequest q;
  q.sources = d / "s.csv";
  q.areas = d / "a.csv";
  q.met = d / "m.csv";
  q.grid = "-1000,-1000,500,4,4";
  q.out = d / "c.csv";
  q.daily = d / "daily.csv";
  const lantian::PlumeSummary s = run_plume_job(q);
  CHECK(s.stacks == 2u);
  CHECK(s.areas == 1u);
  CHECK(s.hours == 26u);
  CHECK(s.receptors == 16u);
  CHECK(s.calm.empty());
  CHECK(s.daily == d / "daily.csv");
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
  // The daily file may not be the hourly one.
  q.force = true;
  q.daily = q.out;
  CHECK_THROWS_WITH(run_plume_job(q), Contains("it is the --out file"));
}

TEST_CASE("plume names a bad area polygon and a bad grid", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", kSources);
  write_text(d / "m.csv", "time,wind_speed,wind_dir,ref_height,temperature,stability\n2015-12-01T00:00,4,270,10,280,D\n");
  write_text(d / "a.csv", "id,height,rate,polygon\nyard,2,5,\"POLYGON((0 0, 10 0))\"\n");
  PlumeRequest q;
  q.areas = d / "a.csv";
  q.met = d / "m.csv";
  q.grid = "0,0,100,2,2";
  q.out = d / "c.csv";
  CHECK_THROWS_WITH(run_plume_job(q), Contains("a.csv:2") && Contains("polygon"));
  q.areas.clear();
  q.sources = d / "s.csv";
  q.grid = "0,0,-100,2,2";
  CHECK_THROWS_WITH(run_plume_job(q), Contains("--grid") && Contains("X0,Y0,DX,NX,NY"));
  const RunResult r = run_lantian("plume --sources " + shell_quote(d / "s.csv") + " --met " + shell_quote(d / "m.csv") +
                                      " --grid 0,0,-100,2,2 --out " + shell_quote(d / "c.csv"),
                                  d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("lantian: error: --grid") && Contains("X0,Y0,DX,NX,NY"));
  CHECK_FALSE(std::filesystem::exists(d / "c.csv"));
}

TEST_CASE("screen ranks the demo city's enterprises and lines per station", "[cli][screen]") {
  TempDir d;
  const std::string demo = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";
  lantian::ScreenRequest q;
  q.case_file = demo;
  q.out = d / "out";
  std::string status;
  q.status = [&](const std::string& line) { status = line; };
  const lantian::ScreenSummary s = lantian::run_screen_job(q);
  CHECK_THAT(status, Contains("8 stations"));
  CHECK(s.case_name == "demo-city");
  CHECK(s.hours == 72u);
  CHECK(s.stations == 8u);
  CHECK(s.receptors == 8u);  // no map
  CHECK(s.sources == s.stacks + s.enterprises);
  CHECK(s.dispersion == "briggs-urban");
  CHECK(s.files == std::vector<std::string>{"stations.csv", "enterprises.csv", "lines.csv"});
  REQUIRE(s.has_peak);
  REQUIRE_FALSE(s.contributors.empty());  // the largest contributors at the peak
  CHECK(s.contributors.size() <= 5u);
  double shares = 0.0;
  for (std::size_t k = 0; k < s.contributors.size(); ++k) {
    CHECK(s.contributors[k].conc > 0.0);
    CHECK(s.contributors[k].share_pct == Approx(100.0 * s.contributors[k].conc / s.peak));
    if (k > 0) CHECK(s.contributors[k].conc <= s.contributors[k - 1].conc);
    shares += s.contributors[k].share_pct;
  }
  CHECK(shares <= 100.0 + 1e-9);
  const auto series = read_csv(d / "out/stations.csv");
  REQUIRE(series.size() == 1u + 72u * 8u);
  // The peak is the series' largest value, at its station and hour.
  std::size_t at = 1;
  for (std::size_t i = 2; i < series.size(); ++i)
    if (std::stod(series[i][2]) > std::stod(series[at][2])) at = i;
  CHECK(series[at][0] == s.peak_time);
  CHECK(series[at][1] == s.peak_station);
  CHECK(std::stod(series[at][2]) == Approx(s.peak).epsilon(1e-5));
  const auto ent = read_csv(d / "out/enterprises.csv");
  REQUIRE(ent.size() > 8u);
  CHECK(ent[0] == std::vector<std::string>{"station", "rank", "enterprise", "name", "district", "mean", "peak"});
  // Ranked by mean within a station.
  for (std::size_t i = 2; i < ent.size(); ++i)
    if (ent[i][0] == ent[i - 1][0]) CHECK(std::stod(ent[i][5]) <= std::stod(ent[i - 1][5]));
  CHECK(read_csv(d / "out/lines.csv")[0] ==
        std::vector<std::string>{"station", "rank", "enterprise", "line", "name", "mean", "peak"});
  CHECK_FALSE(std::filesystem::exists(d / "out/map_daily.csv"));
  // The folder is not replaced without --force; the command says so and exits 1.
  CHECK_THROWS_WITH(lantian::run_screen_job(q), Contains("--force"));
  const RunResult again = run_lantian("screen " + shell_quote(demo) + " --out " + shell_quote(d / "out"), d);
  CHECK(again.status == 1);
  CHECK_THAT(again.err, Contains("lantian: error:") && Contains("--force"));
  // With --force the command replaces it with the same files and prints the summary.
  const RunResult forced = run_lantian("screen " + shell_quote(demo) + " --out " + shell_quote(d / "out") + " --force", d);
  INFO(forced.err);
  REQUIRE(forced.status == 0);
  CHECK_THAT(forced.out, Contains("largest contributors"));
  CHECK(read_csv(d / "out/stations.csv") == series);
  CHECK(read_csv(d / "out/enterprises.csv") == ent);
}
