// The memory estimate's arithmetic (forecast/run_resources.hpp) on the coarse demo, term by term
// against a hand calculation: the terms are what allocates them, so a changed term (a solver
// storing tags otherwise, a new array) shows here by name. Measured peaks, which depend on the
// machine and the C library, are in docs/reliability.md and tests/apps/test_check_cli.cpp.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "core/case_config.hpp"
#include "core/demo_case.hpp"
#include "core/netcdf_file.hpp"
#include "core/temp_dir.hpp"
#include "forecast/run_resources.hpp"
#include "solver/budget.hpp"

using namespace lantian;
using lantian::test::TempDir;

namespace {

CaseConfig coarse_demo(const TempDir& d, bool untagged, int hours = 24) {
  test::DemoCaseOptions o = test::DemoCaseOptions::coarse_day(hours);
  o.untagged = untagged;
  return load_case(d.write("case.toml", test::demo_case_text(o)));
}

/// A CF gridded file of `times` monthly slices (0: no time dimension) with one variable.
std::string gridded_file(const TempDir& d, const std::string& name, int times) {
  const std::string path = (d.path() / name).string();
  NetcdfFile f = NetcdfFile::create(path);
  std::vector<int> dims;
  if (times > 0) dims.push_back(f.def_dim("time", static_cast<std::size_t>(times)));
  dims.push_back(f.def_dim("lat", 3));
  dims.push_back(f.def_dim("lon", 4));
  f.def_var("so2", NetcdfFile::Type::float64, dims);
  f.end_def();
  f.close();
  return path;
}

}  // namespace

// The coarse demo: nx = ny = nz = 20, 9 species, 8 stations, synthetic met (no MetSeries), no
// gridded file, sector tags: the 9 sectors up to industry + "background" (the boundary file and
// the Cressman start) = 10 tags, 9 of them emitting. In bytes (8 per double):
//   f2 = 20 x 20 x 8 = 3 200, f3 = f2 x 20 = 64 000, with the halo of 2: 24 x 24 x 20 x 8 = 92 160.
TEST_CASE("the memory estimate of the coarse demo, term by term", "[forecast][resources]") {
  TempDir d;
  const emissions::Inventory none;  // sector tags do not depend on the inventory
  RunResourceOptions o;
  o.scenarios = true;
  const RunResources r = estimate_run_resources(coarse_demo(d, false), none, o);
  REQUIRE(r.tags == 10);
  REQUIRE(r.stations == 8);
  // concentrations: 9 species x (1 + 10 tags) x 92 160
  CHECK(r.concentration_bytes == 9 * 11 * 92160ull);  // 9 123 840
  // emissions: (9 x (1 + 9 emitting tags) + 6 injection fields) x 64 000
  CHECK(r.emission_bytes == 96 * 64000ull);  // 6 144 000
  // chemistry 6 x 64 000 + deposition 4 x 9 x 3 200
  CHECK(r.chemistry_bytes == 384000ull + 115200ull);
  // MetState: u (21 x 20 x 20) + v (20 x 21 x 20) + w, kz (2 x 400 x 21) + t, rh (2 x 8 000)
  // = 49 600 doubles = 396 800, + 9 surface fields x 3 200 = 28 800; one state (synthetic met)
  CHECK(r.met_states == 0);
  CHECK(r.met_bytes == 396800ull + 28800ull);
  CHECK(r.gridded_bytes == 0);
  CHECK(r.column_bytes == 400 * 360ull);  // 144 000
  // series: 24 h x (one HourBudget + 8 stations x 8 x (1 + 9 x 11 + 2) = 6 528)
  CHECK(r.series_bytes == 24 * (sizeof(solver::HourBudget) + 6528));
  // re-runs: 9 x 92 160 + 15 x 64 000 + 499 200 = 2 288 640 < the tagged hour's 6 144 000: none
  CHECK(r.rerun_bytes == 0);
  CHECK(r.report_bytes == 8ull << 20);
  CHECK(r.overhead_bytes == 36ull << 20);
  // 9 123 840 + 6 144 000 + 499 200 + 425 600 + 144 000 + 8 388 608 + 37 748 736 = 62 473 984
  CHECK(r.memory_bytes == 62473984ull + r.series_bytes);
  CHECK(r.drivers() == "20 x 20 x 20 cells x 9 species x 11 fields");
}

TEST_CASE("untagged: the re-runs add their state and chemistry, no scenarios, no re-run and no report",
          "[forecast][resources]") {
  TempDir d;
  const emissions::Inventory none;
  const CaseConfig c = coarse_demo(d, true);
  RunResourceOptions o;
  o.scenarios = true;
  RunResources r = estimate_run_resources(c, none, o);
  REQUIRE(r.tags == 0);
  CHECK(r.concentration_bytes == 9 * 92160ull);  // 829 440
  CHECK(r.emission_bytes == 15 * 64000ull);      // 960 000
  // the re-run's 2 288 640 (above) less the baseline's hour of emissions, 960 000
  CHECK(r.rerun_bytes == 1328640ull);
  o.scenarios = false;
  r = estimate_run_resources(c, none, o);
  CHECK(r.rerun_bytes == 0);
  CHECK(r.report_bytes == 0);
  // 829 440 + 960 000 + 499 200 + 425 600 + 144 000 + 37 748 736 = 40 606 976
  // series: 24 x (HourBudget + 8 x 8 x (1 + 9 + 2) = 768)
  CHECK(r.series_bytes == 24 * (sizeof(solver::HourBudget) + 768));
  CHECK(r.memory_bytes == 40606976ull + r.series_bytes);
}

TEST_CASE("the gridded files' slices are read from their headers", "[forecast][resources]") {
  TempDir d;
  const emissions::Inventory none;
  CaseConfig c = coarse_demo(d, true);
  c.emissions.gridded.push_back({});
  c.emissions.gridded.back().file = gridded_file(d, "monthly.nc", 12);
  c.emissions.gridded.push_back({});
  c.emissions.gridded.back().file = gridded_file(d, "annual.nc", 0);
  c.emissions.gridded.push_back({});
  c.emissions.gridded.back().file = (d.path() / "missing.nc").string();  // unreadable: 12 assumed
  RunResourceOptions o;
  o.scenarios = false;
  RunResources r = estimate_run_resources(c, none, o);
  CHECK(r.gridded_slices == 12 + 1 + 12);
  // twice (the inputs' copy and the model's) x 25 slices x 6 pollutants x 3 200
  CHECK(r.gridded_bytes == 2 * 25 * 6 * 3200ull);
  o.gridded_slices = 3;  // what check_run_resources passes: the slices actually read
  r = estimate_run_resources(c, none, o);
  CHECK(r.gridded_bytes == 2 * 3 * 6 * 3200ull);
}
