// The WRF reader on synthetic wrfout files with analytic contents (tests/meteo/wrf_fixture.hpp),
// and its errors on bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "meteo/thermodynamics.hpp"
#include "meteo/wrf_reader.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::TempDir;
using lantian::test::WrfFixture;
using lantian::test::write_wrf_fixture;

namespace {

/// a.nc holds 06Z and 09Z (accumulated rain 3 -> 9 mm), b.nc the default fixture (00Z, 03Z):
/// the files in reverse time order.
std::pair<std::string, std::string> write_two_files(const TempDir& dir) {
  const std::string a = dir.path().string() + "/a.nc", b = dir.path().string() + "/b.nc";
  WrfFixture late;
  late.times = {"2015-12-01_06:00:00", "2015-12-01_09:00:00"};
  late.rain_acc = {3.0, 9.0};
  write_wrf_fixture(a, late);
  write_wrf_fixture(b, WrfFixture{});
  return {a, b};
}

}  // namespace

TEST_CASE("thermodynamics against tabulated values", "[meteo][wrf]") {
  // 300 K * 0.85^(2/7): ln 0.85 = -0.162519, * 2/7 = -0.046434, exp = 0.954627 -> 286.388 K
  CHECK(temperature_from_theta(300.0, 85000.0) == Approx(286.388).margin(1e-3));
  // Saturation vapour pressure tables (WMO / Smithsonian): 0 C 611.2 Pa, 20 C 2339 Pa,
  // 30 C 4246 Pa. Bolton's fit is within 0.1 % over -30..35 C.
  CHECK(saturation_vapour_pressure(273.15) == Approx(611.2).epsilon(1e-9));
  CHECK(saturation_vapour_pressure(293.15) == Approx(2339.0).epsilon(2e-3));
  CHECK(saturation_vapour_pressure(303.15) == Approx(4246.0).epsilon(2e-3));
  // RH: w = 0.01, p = 1e5, T = 303.15 K -> e = 0.01e5/0.632 = 1582.3 Pa -> 1582.3/4246 = 37.27 %
  CHECK(relative_humidity(0.01, 1.0e5, 303.15) == Approx(37.27).margin(0.1));
  CHECK(relative_humidity(0.05, 1.0e5, 273.15) == 100.0);  // supersaturated -> limited to 100
}

TEST_CASE("WRF reader: analytic synthetic file", "[meteo][wrf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/wrfout_d01_2015-12-01_00:00:00";
  write_wrf_fixture(path, WrfFixture{});
  const WrfDataset ds = read_wrf({path});
  REQUIRE(ds.nx() == 3);
  REQUIRE(ds.ny() == 2);
  REQUIRE(ds.nz == 2);
  REQUIRE(ds.frames.size() == 2);
  // 2015-12-01T00Z = 16770 days * 24 = 402480 h
  CHECK(ds.frames[0].time == 402480);
  CHECK(ds.frames[1].time == 402483);
  // Full domain 4x3 mass points centred on the projection origin: x0 = -1.5 * 30 km, y0 = -30 km
  CHECK(ds.grid.x0 == Approx(-45000.0).margin(1e-3));
  CHECK(ds.grid.y0 == Approx(-30000.0).margin(1e-3));
  CHECK(ds.i_offset == 0);
  CHECK(ds.grid.crs.find("+proj=lcc") != std::string::npos);
  CHECK(ds.grid.crs.find("+a=6370000") != std::string::npos);

  const WrfFrame& f = ds.frames[1];
  // U faces i + 10k: centre = i + 0.5 + 10k
  CHECK(f.u(2, 1, 1) == Approx(12.5));
  CHECK(f.u_face(3, 1, 1) == Approx(13.0));
  // V faces 2j: centre 2j + 1
  CHECK(f.v(0, 1, 0) == Approx(3.0));
  CHECK(f.v_face(0, 2, 0) == Approx(4.0));
  // W faces 0.1k: centre 0.1k + 0.05 (float32 storage: 1e-7 relative)
  CHECK(f.w(1, 1, 1) == Approx(0.15).epsilon(1e-6));
  // Heights: w-levels 0, 100, 200 m; mass levels 50, 150 m (float32 of g*1200 ~ 1e-3 m)
  CHECK(f.z_w(0, 0, 0) == Approx(0.0).margin(2e-3));
  CHECK(f.z_w(1, 0, 2) == Approx(200.0).margin(2e-3));
  CHECK(f.z(2, 1, 1) == Approx(150.0).margin(2e-3));
  CHECK(ds.grid.layer_tops[0] == Approx(100.0).margin(2e-3));
  // T = 286.388 K (see above)
  CHECK(f.t(0, 0, 0) == Approx(286.388).margin(1e-3));
  CHECK(f.p(0, 0, 0) == 85000.0);
  // RH: e = 0.005612 * 85000 / 0.627612 = 760.1 Pa; table e_s(13.24 C) = 14.98 + 0.238 * 1.01
  // = 15.22 hPa -> 49.9 %
  CHECK(f.rh(0, 0, 1) == Approx(49.9).margin(0.3));
  // RH2: e = 0.005 * 85000 / 0.627 = 677.8 Pa; table e_s(6.85 C) = 9.35 + 0.85 * 0.67 = 9.92 hPa
  // -> 68.3 %
  CHECK(f.rh2(2, 1) == Approx(68.3).margin(0.3));
  // Precipitation: RAINC 0 -> 3, RAINNC 0 -> 1.5: 4.5 mm in 3 h = 1.5 mm/h, both times
  CHECK(f.precip(1, 1) == Approx(1.5).epsilon(1e-12));
  CHECK(ds.frames[0].precip(1, 1) == Approx(1.5).epsilon(1e-12));
  CHECK(f.pblh(0, 1) == 300.0);
  CHECK(f.ust(0, 1) == Approx(0.2).epsilon(1e-7));
  CHECK(f.hfx(0, 1) == -10.0);
  // No COSALPHA in the file: computed; cell centres straddle STAND_LON symmetrically in x
  CHECK(ds.sinalpha(0, 0) == Approx(-ds.sinalpha(2, 0)).margin(1e-9));
  CHECK(ds.sinalpha(0, 0) > 0.0);  // west of STAND_LON
  CHECK(std::isnan(ds.z0(0, 0)));  // no ZNT
}

TEST_CASE("WRF reader: several files are ordered by time", "[meteo][wrf]") {
  TempDir dir;
  const auto [a, b] = write_two_files(dir);
  const WrfDataset ds = read_wrf({a, b});
  REQUIRE(ds.frames.size() == 4);
  CHECK(ds.frames[0].time == 402480);
  CHECK(ds.frames[3].time == 402489);
  CHECK(ds.frames[0].file == b);
  // 03Z -> 06Z: no rain (4.5 -> 4.5 mm); 06Z -> 09Z: 4.5 -> 13.5 mm = 3 mm/h
  CHECK(ds.frames[2].precip(0, 0) == Approx(0.0).margin(1e-12));
  CHECK(ds.frames[3].precip(0, 0) == Approx(3.0).epsilon(1e-12));
  // The same time twice is an error naming it
  CHECK_THROWS_WITH(read_wrf({b, b}), Catch::Contains("duplicate time 2015-12-01T00:00:00Z"));
}

TEST_CASE("WRF reader: bad input names file, variable and expectation", "[meteo][wrf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/bad.nc";
  WrfFixture fx;
  fx.skip_var = "PBLH";
  write_wrf_fixture(path, fx);
  try {
    (void)read_wrf({path});
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK(m.find(path) != std::string::npos);
    CHECK(m.find("PBLH") != std::string::npos);
    CHECK(m.find("missing variable") != std::string::npos);
    CHECK(m.find("PBL height, m") != std::string::npos);
  }
  fx = WrfFixture{};
  fx.times = {"2015-12-01_00:30:00", "2015-12-01_03:00:00"};
  write_wrf_fixture(path, fx);
  CHECK_THROWS_WITH(read_wrf({path}), Catch::Contains("Times[0]") && Catch::Contains(path));
  fx = WrfFixture{};
  fx.map_proj = 6;
  write_wrf_fixture(path, fx);
  CHECK_THROWS_WITH(read_wrf({path}), Catch::Contains("unsupported WRF projection 6") && Catch::Contains(path));
  fx = WrfFixture{};
  fx.rain_acc = {5.0, 1.0};
  write_wrf_fixture(path, fx);
  CHECK_THROWS_WITH(read_wrf({path}), Catch::Contains("RAINC+RAINNC") && Catch::Contains("decreases"));
  CHECK_THROWS_WITH(read_wrf({dir.path().string() + "/nonexistent.nc"}), Catch::Contains("cannot open as NetCDF"));
}

TEST_CASE("WRF reader: opened lazily, frames load on demand with the same values", "[meteo][wrf]") {
  TempDir dir;
  const auto [a, b] = write_two_files(dir);
  const WrfDataset lazy = open_wrf({a, b});
  const WrfDataset eager = read_wrf({a, b});
  CHECK(lazy.frames.empty());
  REQUIRE(lazy.size() == 4);
  CHECK(lazy.index[2].file == 0);  // 06Z is the first time of a.nc
  CHECK(lazy.index[2].index == 0);
  CHECK(lazy.grid.layer_tops == eager.grid.layer_tops);
  for (std::size_t n = 0; n < 4; ++n) {
    const WrfFrame f = load_frame(lazy, n);
    const WrfFrame& g = eager.frames[n];
    CHECK(f.time == g.time);
    CHECK(f.file == g.file);
    CHECK(f.u(2, 1, 1) == g.u(2, 1, 1));
    CHECK(f.t(0, 0, 0) == g.t(0, 0, 0));
    CHECK(f.precip(1, 1) == g.precip(1, 1));
  }
  // 06Z -> 09Z: 4.5 -> 13.5 mm = 3 mm/h
  CHECK(lazy.precip[3](0, 0) == Approx(3.0).epsilon(1e-12));
  CHECK_THROWS_AS(load_frame(lazy, 4), Error);
}
