// The one time convention of lantian's outputs (docs/time-labels.md; issue 12): every file labels
// a model hour by its START. One `lantian run` of the coarse demo (6 hours, the options by
// superposition, 3-D fields) and its files:
//   - stations.csv row T = scenario_series.csv's baseline row T (the same hours, the same values
//     to the 6 digits scenario_series.csv writes), the first row the period's start;
//   - fields.nc's time T with time_bnds [T, T + 1 h], and its record T holds the state at the
//     END of that hour: PM25_sfc at each station's cell is stations.csv's row T (to float
//     precision); the first record is the initial state, labelled start − 1 h;
//   - the same fields.nc read back as the boundary of a nested grid (solver::NetcdfBoundary):
//     at the instant start + h it gives the record labelled start + h − 1, i.e. the state at the
//     end of that hour (an old file without time_bnds is read by its instants:
//     tests/solver/test_boundary.cpp writes both).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_file.hpp"
#include "core/demo_case.hpp"
#include "core/netcdf_file.hpp"
#include "core/temp_dir.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/run_job.hpp"
#include "solver/boundary.hpp"

using namespace lantian;

namespace {

constexpr int kHours = 6;

/// (local time label, station) -> value of a CSV with the columns time, station, pm25 (rows of
/// the scenario `only` where the file has a scenario column).
std::map<std::pair<std::string, std::string>, double> by_label(const std::filesystem::path& file,
                                                               const std::string& only = "") {
  CsvFile f(file.string());
  const int ct = f.column("time"), cs = f.column("station"), cv = f.column("pm25"), cn = f.column("scenario");
  std::map<std::pair<std::string, std::string>, double> out;
  while (f.next()) {
    if (cn >= 0 && f.field(cn) != only) continue;
    out[{std::string(f.field(ct)), std::string(f.field(cs))}] = f.number(cv, "pm25");
  }
  return out;
}

}  // namespace

TEST_CASE("one time convention: stations.csv, scenario_series.csv and fields.nc label the hour by its start",
          "[time-labels][run-job][netcdf]") {
  const test::TempDir d;
  test::DemoCaseOptions o;
  o.hours = kHours;
  o.coarse = true;
  o.model_keys = "output_3d = true\n";
  RunRequest rq;
  rq.case_file = d.write("case.toml", test::demo_case_text(o));
  rq.out = (d.path() / "out").string();
  rq.reruns = false;  // the options by superposition of the demo's sector tags: quick
  const RunSummary s = run_case_job(rq);
  REQUIRE(s.hours == static_cast<std::size_t>(kHours));
  const CaseInputs in = assemble_case(load_case(rq.case_file));
  const TimeZone& tz = in.period.zone();
  const UtcHour start = in.period.start();

  // stations.csv row T = scenario_series.csv baseline row T, the first row the start (16:00).
  const auto stations = by_label(d.path() / "out/stations.csv");
  const auto baseline = by_label(d.path() / "out/scenario_series.csv", "baseline");
  REQUIRE(stations.size() == in.config.stations.size() * kHours);
  REQUIRE(baseline.size() == stations.size());
  for (const auto& [key, v] : stations) {
    INFO(key.first << " " << key.second);
    REQUIRE(baseline.count(key) == 1);
    CHECK(baseline.at(key) == Approx(v).epsilon(1e-5));  // scenario_series.csv writes %.6g
  }
  const std::string first = format_local(start, tz);
  CHECK(first == "2024-12-12T16:00:00+08:00");
  CHECK(stations.count({first, in.config.stations.front().id}) == 1);
  CHECK(stations.count({format_local(start + kHours, tz), in.config.stations.front().id}) == 0);
  CHECK(s.peak_time >= first);  // the summary's peak hour is a row label
  CHECK(stations.count({s.peak_time, s.peak_station}) == 1);

  // fields.nc: time T, bounds [T, T + 1 h]; the record labelled T is the state after hour T.
  const std::string nc_path = (d.path() / "out/fields.nc").string();
  {
    const NetcdfFile f(nc_path);
    const std::vector<double> time = f.read(*f.var("time")), bnds = f.read(*f.var("time_bnds"));
    REQUIRE(time.size() == kHours + 1u);  // the initial state, then each hour
    REQUIRE(bnds.size() == 2 * time.size());
    for (std::size_t n = 0; n < time.size(); ++n) {
      const auto label = static_cast<double>(start) - 1.0 + static_cast<double>(n);
      CHECK(time[n] == label);
      CHECK(bnds[2 * n] == label);
      CHECK(bnds[2 * n + 1] == label + 1.0);
    }
    CHECK(f.text_att(*f.var("time"), "bounds") == "time_bnds");
    const auto instants = solver::record_instants(f, nc_path);
    for (std::size_t n = 0; n < instants.size(); ++n) CHECK(instants[n] == start + static_cast<UtcHour>(n));

    const std::vector<double> pm = f.read(*f.var("PM25_sfc"));
    const auto nx = static_cast<std::size_t>(in.grid.nx()), ny = static_cast<std::size_t>(in.grid.ny());
    for (const StationConfig& st : in.config.stations) {
      const XY p = in.grid.project(st.lon, st.lat);
      const auto c = in.grid.cell_of(p.x, p.y);
      REQUIRE(c.has_value());
      for (int h = 0; h < kHours; ++h) {
        const std::string label = format_local(start + h, tz);
        INFO(st.id << " " << label);
        // record h + 1 is labelled start + h (record 0: the initial state, labelled start − 1 h)
        const double field = pm[(static_cast<std::size_t>(h) + 1) * nx * ny + static_cast<std::size_t>(c->j) * nx +
                                static_cast<std::size_t>(c->i)];
        CHECK(field == Approx(stations.at({label, st.id})).epsilon(1e-6));  // stored as float
      }
    }
  }

  // The same file as the boundary of a nested 5 x 5 grid whose ghost cells are cell centres of
  // the run's grid (cells 4..10 of it): at the instant start + h, the 3-D fields of the record
  // labelled start + h − 1 (the state at the end of that hour), exactly.
  GridSpec inner = in.grid.spec();
  inner.nx = 5, inner.ny = 5;
  inner.x0 += 5 * inner.dx, inner.y0 += 5 * inner.dy;
  const Grid nested(inner);
  const solver::NetcdfBoundary b(nc_path, nested);
  REQUIRE(b.times().size() == kHours + 1u);
  CHECK(b.times().front() == start);
  const NetcdfFile f(nc_path);
  const std::vector<double> so4 = f.read(*f.var("SO4"));
  const auto nx = static_cast<std::size_t>(in.grid.nx()), ny = static_cast<std::size_t>(in.grid.ny()),
             nz = static_cast<std::size_t>(in.grid.nz());
  for (int h : {0, 3, kHours}) {
    const solver::BoundaryValues v = b.at(start + h);
    for (int k = 0; k < nested.nz(); ++k)
      for (int j = 0; j < nested.ny(); ++j) {
        // west ghost cell of row j: the run's cell (4, 5 + j), record h
        const std::size_t at = ((static_cast<std::size_t>(h) * nz + static_cast<std::size_t>(k)) * ny +
                                static_cast<std::size_t>(5 + j)) * nx + 4;
        INFO("hour " << h << " k " << k << " j " << j);
        CHECK(v(solver::Side::west, Species::so4, j, k) == Approx(so4[at]).epsilon(1e-12));
      }
  }
  CHECK_THROWS_WITH(b.at(start + kHours + 1), Catch::Contains("no boundary values"));
}
