// `lantian plume --building-dims` and `--buildings` (forecast/plume_job, PRIME downwash in
// solver/plume_prime): a stack on a roof gets more at the ground downwind than without; the
// footprints give the same dims as the table BPIP would write; bad input names the file, line
// and column and what was expected.
#include <catch2/catch.hpp>
#include <string>

#include "apps/cli_support.hpp"
#include "core/error.hpp"
#include "forecast/plume_job.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

// A 30 m stack 10 m east of the centre of a 25 m high, 60 m (E-W) x 40 m (N-S) block (Case D's
// S1ROOF on B1MAIN); wind from the west at 8 m/s, neutral; receptors 50 and 300 m downwind.
const char* kSource = "id,x,y,height,diameter,velocity,temperature,rate\nS,10,0,30,1.5,12,420,1\n";
const char* kMet = "time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L\n"
                   "h1,8,270,10,293,D,1300,0.69,2356\n";
const char* kReceptors = "id,x,y,z\nE50,60,0,0\nE300,310,0,0\n";
const char* kBuildings = "id,height,footprint\nB1,25,\"POLYGON ((-30 -20, -30 20, 30 20, 30 -20, -30 -20))\"\n";

lantian::PlumeRequest request(const TempDir& d) {
  lantian::PlumeRequest r;
  r.sources = d / "s.csv";
  r.met = d / "m.csv";
  r.receptors = d / "r.csv";
  r.out = d / "c.csv";
  r.dispersion = "turbulence";
  r.force = true;
  return r;
}

/// BPIP's 36 rows for S with the block's projection (flow towards east, sector 9: W 40, L 60,
/// xbadj -40, ybadj 0) in every direction, one row replaced by `row9` when given.
std::string dims(const std::string& row9 = "") {
  std::string t = "source,direction,height,width,length,xbadj,ybadj\n";
  for (int k = 1; k <= 36; ++k)
    t += (k == 9 && !row9.empty()) ? row9 + "\n" : "S," + std::to_string(10 * k) + ",25,40,60,-40,0\n";
  return t;
}

double conc(const TempDir& d, std::size_t row) { return std::stod(read_csv(d / "c.csv")[row][2]); }

}  // namespace

TEST_CASE("plume --building-dims and --buildings: downwash on a roof", "[cli][plume][prime]") {
  TempDir d;
  write_text(d / "s.csv", kSource);
  write_text(d / "m.csv", kMet);
  write_text(d / "r.csv", kReceptors);
  const lantian::PlumeSummary none = lantian::run_plume_job(request(d));
  CHECK(none.downwash_stacks == 0u);
  const double c50 = conc(d, 1), c300 = conc(d, 2);

  write_text(d / "d.csv", dims());
  lantian::PlumeRequest r = request(d);
  r.building_dims = d / "d.csv";
  const lantian::PlumeSummary s = lantian::run_plume_job(r);
  CHECK(s.downwash_stacks == 1u);
  CHECK_THAT(lantian::format_plume_summary(s), Contains("building downwash (PRIME): 1 stacks"));
  // AERMOD (Case D, rec 25): 69.9 µg/m³ at 50 m with downwash against 0.6 without.
  const double d50 = conc(d, 1), d300 = conc(d, 2);
  CHECK(d50 > 10.0 * c50);
  CHECK(d300 > c300);

  // The footprint gives the same sector-9 dims (W 40, L 60, xbadj -40, ybadj 0): the same values.
  write_text(d / "b.csv", kBuildings);
  r.building_dims.clear();
  r.buildings = d / "b.csv";
  CHECK(lantian::run_plume_job(r).downwash_stacks == 1u);
  CHECK(conc(d, 1) == Approx(d50).epsilon(1e-5));
  CHECK(conc(d, 2) == Approx(d300).epsilon(1e-5));
  // A building out of reach: no stack takes downwash.
  write_text(d / "b.csv", "id,height,footprint\nFAR,25,\"POLYGON ((4000 0, 4000 40, 4060 40, 4060 0, 4000 0))\"\n");
  CHECK(lantian::run_plume_job(r).downwash_stacks == 0u);
  CHECK(conc(d, 1) == c50);
}

TEST_CASE("plume: bad building input names the file, line and column", "[cli][plume][prime]") {
  TempDir d;
  write_text(d / "s.csv", kSource);
  write_text(d / "m.csv", kMet);
  write_text(d / "r.csv", kReceptors);
  lantian::PlumeRequest r = request(d);
  r.building_dims = d / "d.csv";
  auto fails = [&](const std::string& text) {
    write_text(d / "d.csv", text);
    return r;
  };
  // Line 10 holds direction 90 (the header is line 1).
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(dims("T,90,25,40,60,-40,0"))),
                    Contains("d.csv:10") && Contains("(source)") && Contains("--sources") && Contains("'T'"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(dims("S,95,25,40,60,-40,0"))),
                    Contains("d.csv:10") && Contains("(direction)") && Contains("10, 20, ..., 360"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(dims("S,80,25,40,60,-40,0"))),
                    Contains("d.csv:10") && Contains("duplicate direction 80") && Contains("line 9"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(dims("S,90,-25,40,60,-40,0"))),
                    Contains("d.csv:10") && Contains("(height)") && Contains(">= 0 m"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(dims("S,90,25,40,,-40,0"))),
                    Contains("d.csv:10") && Contains("(length)"));
  std::string missing = dims();
  missing.erase(missing.find("S,360,"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails(missing)), Contains("d.csv") && Contains("all 36 directions") &&
                                                                Contains("missing 360"));
  CHECK_THROWS_WITH(lantian::run_plume_job(fails("source,direction,height,width,length,xbadj\nS,10,25,40,60,-40\n")),
                    Contains("d.csv") && Contains("ybadj"));

  r.building_dims.clear();
  r.buildings = d / "b.csv";
  write_text(d / "b.csv", "id,height,footprint\nB1,25,\"POLYGON ((-30 -20, -30 20, 30 x))\"\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(r), Contains("b.csv:2") && Contains("(footprint)"));
  write_text(d / "b.csv", "id,height,footprint\nB1,0,\"POLYGON ((-30 -20, -30 20, 30 20, 30 -20, -30 -20))\"\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(r), Contains("b.csv:2") && Contains("(height)") && Contains("> 0 m"));
  write_text(d / "b.csv", std::string(kBuildings) + "B1,12,\"POLYGON ((0 0, 0 5, 5 5, 5 0, 0 0))\"\n");
  CHECK_THROWS_WITH(lantian::run_plume_job(r), Contains("b.csv:3") && Contains("duplicate building id 'B1'"));
  r.building_dims = d / "d.csv";
  CHECK_THROWS_WITH(lantian::run_plume_job(r), Contains("--buildings or --building-dims, not both"));

  // The command line: exit status 1 and the error on stderr.
  write_text(d / "d.csv", dims("S,95,25,40,60,-40,0"));
  const RunResult run = run_lantian("plume --sources " + shell_quote(d / "s.csv") + " --met " + shell_quote(d / "m.csv") +
                                        " --receptors " + shell_quote(d / "r.csv") + " --out " + shell_quote(d / "c2.csv") +
                                        " --dispersion turbulence --building-dims " + shell_quote(d / "d.csv"),
                                    d);
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Contains("lantian: error:") && Contains("d.csv:10: column 2 (direction)"));
}
