// `lantian plume`'s met file (forecast/plume_job): a neutral hour (L = inf/-inf/neutral), the
// optional z0 and vptg columns, the errors naming file, line and column, and the help text
// naming every column each reader accepts.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "apps/cli_support.hpp"
#include "core/error.hpp"
#include "forecast/plume_job.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

lantian::PlumeRequest turbulence_request(const TempDir& d) {
  lantian::PlumeRequest r;
  r.sources = d / "s.csv";
  r.met = d / "m.csv";
  r.receptors = d / "r.csv";
  r.out = d / "c.csv";
  r.dispersion = "turbulence";
  r.force = true;
  return r;
}

}  // namespace

TEST_CASE("plume: a neutral hour is L = inf, -inf or neutral", "[cli][plume]") {
  TempDir d;
  // A ground-level passive release of 100 g/s and a ground receptor 100 m downwind: the hand
  // values of tests/solver/test_gaussian_plume.cpp ("turbulence option: sigmas from u* in
  // neutral air": u = 3.597556 m/s, σy = 15.08761 m, σz = 8.871408 m at x = 100 m, u* = 0.4,
  // h = 800 m, z0 = 0.1 m), with the ground reflection doubling the centre line:
  //   C = Q/(π u σy σz) = 1e8 / (π × 3.597556 × 15.08761 × 8.871408) = 66104.28 µg/m³
  // (written with 6 significant digits; the sigmas are good to 1e-5).
  write_text(d / "s.csv", "id,x,y,height,diameter,velocity,temperature,rate\nG,0,0,0,0,0,0,100\n");
  write_text(d / "r.csv", "id,x,y,z\nR,100,0,0\n");
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L,z0\n"
             "h1,5,270,10,293.15,,800,0.4,inf,0.1\n"
             "h2,5,270,10,293.15,,800,0.4,-inf,\n"
             "h3,5,270,10,293.15,,800,0.4,Neutral,0.1\n");
  const lantian::PlumeSummary s = lantian::run_plume_job(turbulence_request(d));
  CHECK(s.hours == 3u);
  const auto rows = read_csv(d / "c.csv");
  REQUIRE(rows.size() == 4u);
  for (std::size_t i = 1; i <= 3; ++i) CHECK(std::stod(rows[i][2]) == Approx(66104.28).epsilon(3e-5));

  // L = 0 is no length at all; a blank is missing data: both name the file, line and column.
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "h1,5,270,10,293.15,,800,0.4,inf\n"
             "h2,5,270,10,293.15,,800,0.4,0\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(turbulence_request(d)),
                    Contains("m.csv:3") && Contains("(L)") && Contains("inf or neutral"));
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "h1,5,270,10,293.15,,800,0.4,\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(turbulence_request(d)),
                    Contains("m.csv:2") && Contains("(L)") && Contains("blank") && Contains("neutral"));
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
             "h1,5,270,10,293.15,,800,0.4,calm\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(turbulence_request(d)), Contains("m.csv:2") && Contains("(L)"));
  // vptg must be a positive gradient.
  write_text(d / "m.csv",
             "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L,vptg\n"
             "h1,5,270,10,293.15,,800,0.4,-30,-0.01\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(turbulence_request(d)),
                    Contains("m.csv:2") && Contains("(vptg)") && Contains("> 0 K/m"));
}

TEST_CASE("plume: the optional wstar column (AERMET's w*)", "[cli][plume]") {
  TempDir d;
  write_text(d / "s.csv", "id,x,y,height,diameter,velocity,temperature,rate\nS,0,0,30,1.5,12,420,1\n");
  write_text(d / "r.csv", "id,x,y,z\nE300,300,0,0\n");
  // A convective hour without w*, with the value u* (-h/(k L))^(1/3) = 0.4 (800/(0.4 x 30))^(1/3)
  // = 1.621921 m/s written (the same plume), with a smaller one (another plume), and with
  // AERMET's -9 of a stable hour (taken as not given).
  const std::string head = "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L,wstar\n";
  write_text(d / "m.csv", head + "h1,5,270,10,293.15,,800,0.4,-30,\nh2,5,270,10,293.15,,800,0.4,-30,1.621921\n"
                                 "h3,5,270,10,293.15,,800,0.4,-30,1.0\nh4,5,270,10,293.15,,800,0.4,-30,-9\n");
  lantian::run_plume_job(turbulence_request(d));
  const auto rows = read_csv(d / "c.csv");
  REQUIRE(rows.size() == 5u);
  const double c1 = std::stod(rows[1][2]);
  CHECK(c1 > 0.0);
  CHECK(std::stod(rows[2][2]) == Approx(c1).epsilon(1e-5));
  CHECK(std::stod(rows[3][2]) != Approx(c1).epsilon(1e-2));
  CHECK(std::stod(rows[4][2]) == Approx(c1).epsilon(1e-6));
  write_text(d / "m.csv", head + "h1,5,270,10,293.15,,800,0.4,-30,fast\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(turbulence_request(d)), Contains("m.csv:2") && Contains("(wstar)"));
}

TEST_CASE("plume --help names every column the readers accept", "[cli][plume]") {
  TempDir d;
  const RunResult r = run_lantian("plume --help", d);
  REQUIRE(r.status == 0);
  // Each column of each reader (forecast/plume_job.hpp's lists, the ones the readers check)
  // appears in the help as an item of a comma-separated list.
  auto listed = [&](std::string_view name) {
    const std::string n(name);
    return r.out.find("," + n) != std::string::npos || r.out.find(n + ",") != std::string::npos;
  };
  for (const auto cols : {std::span<const std::string_view>(lantian::kPlumeSourceColumns),
                          std::span<const std::string_view>(lantian::kPlumeMetColumns),
                          std::span<const std::string_view>(lantian::kPlumeReceptorColumns),
                          std::span<const std::string_view>(lantian::kPlumeAreaColumns),
                          std::span<const std::string_view>(lantian::kPlumeBuildingDimsColumns),
                          std::span<const std::string_view>(lantian::kPlumeBuildingColumns)})
    for (const std::string_view c : cols) {
      INFO(c);
      CHECK(listed(c));
    }
  CHECK_THAT(r.out, Contains("neutral"));
  CHECK_THAT(r.out, Contains("--building-dims") && Contains("--buildings") && Contains("PRIME"));
}
