// Hourly (time-stepped) IOAPI emission files (emissions/ioapi_netcdf.hpp): a CMAQ day of 25 hourly
// steps written here with the real attribute layout (TFLAG per step, TSTEP = 010000, VAR-LIST
// padded to 16 characters). References: the step totals by hand (the file's values are k/4 + 2 n,
// exact in float, so sums are exact: tolerance 1e-12 relative covers the one multiplication by
// the molar mass and 1e6 µg/g); the hour of each step from TFLAG against parse_time; the
// regridded file on its own grid (the identity, area overlaps exact to round-off) emitting, at
// each model hour, exactly its step's total (no profile applied on top, as the sector's default
// profile would change it); the named errors (an hour outside the file, a gap between steps).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "core/temp_dir.hpp"
#include "core/time_axis.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "emissions/gridded_fixture.hpp"
#include "emissions/gridded_profiles.hpp"
#include "emissions/ioapi_netcdf.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

const TimeZone kUtc{"UTC"};
constexpr double kMolarSO2 = 64.066;  // the reader's default molar mass of SO2, g/mol

/// The 3 x 3 China LCC domain of 12 km cells of test_ioapi_netcdf.cpp with `nsteps` hourly steps
/// from 2020-01-15 00:00 UTC: SO2 in cell c at step n = 1 + c/4 + 2n moles/s.
test::IoapiFile hourly_day(int nsteps) {
  test::IoapiFile f;
  f.xorig = f.yorig = -18000.0;
  f.nsteps = nsteps;
  f.tstep = 10000;
  f.sdate = 2020015;
  f.stime = 0;
  std::vector<double> so2;
  for (int n = 0; n < nsteps; ++n)
    for (int c = 0; c < 9; ++c) so2.push_back(1.0 + 0.25 * c + 2.0 * n);
  f.vars = {{"SO2", "moles/s", so2}};
  return f;
}

/// Σ_c (1 + c/4 + 2n) over the 9 cells = 9 + 9 + 18 n moles/s.
double step_moles(int n) { return 18.0 + 18.0 * n; }

IoapiOptions so2_only() {
  IoapiOptions o;
  o.sector = Sector::residential_heating;
  o.variables = {"SO2", "", "", "", "", ""};
  return o;
}

GridSpec source_grid_spec(const GriddedSource& src) {
  GridSpec s;
  s.crs = src.crs;
  s.nx = src.nx, s.ny = src.ny;
  s.dx = src.x_faces[1] - src.x_faces[0];
  s.dy = src.y_faces[1] - src.y_faces[0];
  s.x0 = src.x_faces.front(), s.y0 = src.y_faces.front();
  s.layer_tops = {50.0, 150.0};
  return s;
}

}  // namespace

TEST_CASE("IOAPI dates: YYYYDDD HHMMSS to UTC hours", "[emissions][ioapi][hourly]") {
  CHECK(ioapi_utc_hour(2020015, 0) == parse_time("2020-01-15T00:00Z", kUtc));
  CHECK(ioapi_utc_hour(2020366, 230000) == parse_time("2020-12-31T23:00Z", kUtc));  // leap year
  CHECK(ioapi_utc_hour(2015335, 160000) == parse_time("2015-12-01T16:00Z", kUtc));
  CHECK(ioapi_utc_hour(1970001, 0) == 0);
  CHECK_FALSE(ioapi_utc_hour(2021366, 0).has_value());  // 2021 has 365 days
  CHECK_FALSE(ioapi_utc_hour(2020000, 0).has_value());
  CHECK_FALSE(ioapi_utc_hour(2020015, 3000).has_value());  // 00:30 is not on the hour
}

TEST_CASE("an hourly IOAPI file: each model hour takes its step, no profile on top, totals to 1e-12",
          "[emissions][netcdf][ioapi][hourly]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "CMAQ_emis_20200115.nc").string();
  test::write_ioapi(path, hourly_day(25));
  const UtcHour t0 = parse_time("2020-01-15T00:00Z", kUtc);

  const GriddedSource src = read_ioapi_netcdf(path, so2_only());
  REQUIRE(src.stepped());
  REQUIRE(src.times() == 25);
  CHECK(src.step_hours == 1);
  for (int n = 0; n < 25; ++n) {
    CHECK(src.step_start[static_cast<std::size_t>(n)] == t0 + n);
    CHECK(src.total(n)[index(EmittedPollutant::so2)] == Approx(kMolarSO2 * step_moles(n)).epsilon(1e-12));
  }

  // On its own grid: the model hour t0 + n emits step n's total (µg/s), whatever the local hour.
  const Grid grid(source_grid_spec(src));
  const GriddedEmissions on = regrid_gridded(src, grid);
  REQUIRE(on.stepped());
  const EulerianEmissions em(Inventory{}, grid, TimeZone{"Asia/Shanghai"}, {on});
  for (int n = 0; n < 25; ++n) {
    INFO("hour " << n);
    const EmissionRates r = em.at(t0 + n, {});
    CHECK(r.total[index(Species::so2)] == Approx(1.0e6 * kMolarSO2 * step_moles(n)).epsilon(1e-12));
  }
  // Residential heating's default profile is not flat: applied, it would have changed the hours
  // above; for the hourly file the factor is 1.
  const LocalTime morning = local_time(t0, TimeZone{"Asia/Shanghai"});  // 08:00 local
  GriddedEmissions mean_file = on;
  mean_file.step_start.clear();
  mean_file.rate.resize(1);
  CHECK(gridded_temporal_factor(mean_file, morning) != Approx(1.0).epsilon(1e-3));
  CHECK(gridded_temporal_factor(on, morning) == 1.0);
  // The hour after the last step.
  CHECK_THROWS_WITH(em.at(t0 + 25, {}),
                    Catch::Contains("CMAQ_emis_20200115.nc: TFLAG: the model hour 2020-01-16T01:00:00Z is outside the "
                                    "file's time steps, which cover 2020-01-15T00:00:00Z .. 2020-01-16T01:00:00Z (25 steps of "
                                    "1 h, UTC)"));
}

TEST_CASE("an hourly IOAPI file: only the run's steps are read, hours outside are named", "[emissions][ioapi][hourly]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "emis_hourly.nc").string();
  test::write_ioapi(path, hourly_day(25));
  const UtcHour t0 = parse_time("2020-01-15T00:00Z", kUtc);
  IoapiOptions opt = so2_only();
  opt.window = std::pair{t0 + 5, t0 + 7};
  const GriddedSource src = read_ioapi_netcdf(path, opt);
  REQUIRE(src.times() == 3);
  CHECK(src.step_start == std::vector<UtcHour>{t0 + 5, t0 + 6, t0 + 7});
  for (int n = 0; n < 3; ++n)
    CHECK(src.total(n)[index(EmittedPollutant::so2)] == Approx(kMolarSO2 * step_moles(n + 5)).epsilon(1e-12));

  opt.window = std::pair{t0 + 20, t0 + 30};
  try {
    (void)read_ioapi_netcdf(path, opt);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("emis_hourly.nc: TFLAG: the model hour 2020-01-16T06:00:00Z is outside the file's time "
                               "steps: they cover 2020-01-15T00:00:00Z .. 2020-01-16T01:00:00Z (25 steps of 1 h from TFLAG, "
                               "UTC); the run needs 2020-01-15T20:00:00Z .. 2020-01-16T07:00:00Z"));
  }
}

TEST_CASE("an hourly IOAPI file whose TFLAG skips an hour is refused", "[emissions][ioapi][hourly]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "gap.nc").string();
  test::IoapiFile f = hourly_day(3);
  f.step_dates = {2020015, 2020015, 2020015};  // every step at 00:00
  test::write_ioapi(path, f);
  try {
    (void)read_ioapi_netcdf(path, so2_only());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(std::string(e.what()),
               Catch::Contains("gap.nc: TFLAG[1]: expected the step to start one TSTEP (010000) after the previous one, "
                               "at 2020-01-15T01:00:00Z, found 2020-01-15T00:00:00Z"));
  }
}
