// Plausible ranges in the meteorological readers (core/plausible.hpp, docs/input-ranges.md): the
// issue-18 reproducers (2-m temperature 276 °C or 3 K, mixing height -100 m) are refused with
// file, line and column (CSV) or file, variable, time index and cell (NetCDF); real-looking
// extremes are accepted.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/station_profile.hpp"
#include "meteo/synthetic.hpp"
#include "meteo/wrf_reader.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/cf_fixture.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using Catch::Contains;
using lantian::test::constant;
using lantian::test::TempDir;

namespace {

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("plausible: station-profile CSV refuses 276 °C, -100 m and codes, accepts -40 °C", "[meteo][station][plausible]") {
  TempDir dir;
  const std::string head = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m,precip_mm_h\n";
  auto read = [&](const std::string& row) {
    const std::string p = dir.write("met.csv", head + "2015-12-01T00:00,1,270,-3,85,150,0\n" + row);
    return error_of([&] { (void)read_station_csv(p, {}); });
  };
  const std::string hot = read("2015-12-01T01:00,1,270,276,85,150,0\n");
  CHECK_THAT(hot, Contains("met.csv:3: t2_c: expected a temperature in degrees Celsius, found 276") &&
                      Contains("air temperature 276 °C is outside the plausible range") && Contains("-90..60 °C"));
  CHECK_THAT(read("2015-12-01T01:00,1,270,-3,85,-100,0\n"),
             Contains("met.csv:3: pblh_m:") && Contains("mixing height -100 is outside the plausible range"));
  CHECK_THAT(read("2015-12-01T01:00,1,270,-999,85,150,0\n"),
             Contains("met.csv:3: t2_c:") && Contains("-999 °C is a common missing-value code") &&
                 Contains("required every hour"));
  CHECK_THAT(read("2015-12-01T01:00,1,270,-3,85,150,9999\n"),
             Contains("met.csv:3: precip_mm_h:") && Contains("9999 is a common missing-value code") &&
                 Contains("leave the cell blank"));
  CHECK_THAT(read("2015-12-01T01:00,1,270,-3,85,0.5,0\n"), Contains("met.csv:3: pblh_m: expected a mixing height in m (at least 1)"));
  // Real extremes: -40 °C, RH 103 % (sensor overshoot), a 3000-m mixing layer, 150 mm/h.
  CHECK(read("2015-12-01T01:00,20,270,-40,103,3000,150\n") == "no error");
  CHECK(read("2015-12-01T01:00,1,270,45,10,5000,0\n") == "no error");
}

TEST_CASE("plausible: [meteo.synthetic] parameters", "[meteo][synthetic][plausible]") {
  SyntheticEpisode ep;
  CHECK_NOTHROW(ep.validate());
  ep.t_mean = 3.0;  // refused by validate's own check (a temperature in K)
  CHECK_THAT(error_of([&] { ep.validate(); }), Contains("t_mean: expected a temperature in K"));
  ep.t_mean = 170.0;  // -103 °C: colder than any air on Earth
  CHECK_THAT(error_of([&] { ep.validate(); }), Contains("t_mean: air temperature 170 K is outside the plausible range"));
  ep.t_mean = 330.0;  // +57 °C in the mean, +61 °C at 14:00
  CHECK_THAT(error_of([&] { ep.validate(); }), Contains("t_amplitude: air temperature 334 K"));
  ep = SyntheticEpisode{};
  ep.t_mean = 233.15;  // -40 °C: accepted
  CHECK_NOTHROW(ep.validate());
  ep.pblh_night = 100.0;
  ep.pblh_peak = 1e300;
  CHECK_THAT(error_of([&] { ep.validate(); }), Contains("pblh_peak: mixing height 1e+300 m"));
  ep = SyntheticEpisode{};
  ep.p_surface = 1e9;
  CHECK_THAT(error_of([&] { ep.validate(); }), Contains("p_surface: surface pressure 1000000000 Pa"));
}

TEST_CASE("plausible: WRF T2 of 3 K and PBLH of -100 m name the file, variable, time and cell", "[meteo][wrf][plausible]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/wrfout.nc";
  lantian::test::WrfFixture fx;
  fx.override_var = "T2";
  fx.override_value = 3.0;
  lantian::test::write_wrf_fixture(path, fx);
  CHECK_THAT(error_of([&] { (void)read_wrf({path}); }),
             Contains(path + ": T2[Time 0, south_north 0, west_east 0]: air temperature 3 K is outside"));
  fx.override_var = "PBLH";
  fx.override_value = -100.0;
  lantian::test::write_wrf_fixture(path, fx);
  CHECK_THAT(error_of([&] { (void)read_wrf({path}); }),
             Contains(path + ": PBLH[Time 0, south_north 0, west_east 0]: mixing height -100 m is outside"));
  fx.override_var = "T2";
  fx.override_value = 233.15;  // -40 °C
  lantian::test::write_wrf_fixture(path, fx);
  CHECK_NOTHROW(read_wrf({path}));
}

TEST_CASE("plausible: CF t2m of 3 K names the file, variable, time and cell", "[meteo][cf][plausible]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5.nc";
  const lantian::test::NcLevels lev{"level", "hPa", "", {1000.0}};
  auto write = [&](double t2m, double blh) {
    lantian::test::write_upper(path, {30, 31}, {110, 111}, lev,
                               {constant("t2m", "K", 3, t2m), constant("u10", "m s**-1", 3, 1.0),
                                constant("v10", "m s**-1", 3, 1.0), constant("blh", "m", 3, blh),
                                constant("rh2", "%", 3, 80.0)});
  };
  write(3.0, 400.0);
  CHECK_THAT(error_of([&] { (void)read_cf_surface(path); }),
             Contains(path + ": t2m[time 0, latitude 0, longitude 0]: air temperature 3 K is outside"));
  write(280.0, -100.0);
  CHECK_THAT(error_of([&] { (void)read_cf_surface(path); }), Contains(": blh[time 0,") && Contains("mixing height -100 m"));
  write(233.15, 400.0);
  CHECK_NOTHROW(read_cf_surface(path));
}
