// The point table on the analytic synthetic wrfout (tests/meteo/wrf_fixture.hpp) and on the real
// Tibet file.
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/point_series.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::TempDir;

TEST_CASE("point series on the analytic WRF file", "[meteo][point]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/wrfout.nc";
  lantian::test::write_wrf_fixture(path, lantian::test::WrfFixture{});
  const WrfDataset ds = read_wrf({path});
  // The centre of cell (1, 0) lies on STAND_LON (x = 0), where grid and earth axes coincide.
  const LonLat c = ds.make_grid().lonlat(1, 0);
  const PointSeries s = point_series(ds, c.lat, c.lon);
  REQUIRE(s.rows.size() == 2);
  const PointRow& r = s.rows[1];
  // U10 = 1, V10 = 2: speed sqrt(5) = 2.23607; from 180 + atan(1/2) = 206.565 deg (SSW)
  CHECK(r.wind_speed == Approx(2.23607).epsilon(1e-5));
  CHECK(r.wind_dir == Approx(206.565).margin(1e-3));
  // rho = 85000 / (287 * 280) = 1.057753; L = 1.057753*1004*280*0.2^3 / (0.4*9.81*10)
  //   = 2378.84 / 39.24 = 60.62 m (u* stored as float32: 1e-7 relative, cubed)
  CHECK(r.obukhov == Approx(60.62).epsilon(1e-3));
  // z0 = 0.1 (no ZNT): 1/L = 0.0165 in (0.011, 0.0465) -> E
  CHECK(r.stability == StabilityClass::E);
  CHECK(r.pblh == Approx(300.0));
  CHECK(r.precip == Approx(1.5));
  CHECK(r.z_upper == Approx(50.0).margin(2e-3));
  CHECK(r.t_upper == Approx(286.388).margin(1e-3));
  // Flags: wind 2.24 >= 2 (no), PBLH 300 < 500 (yes), T(50 m) 286.4 > T2 280 (yes), RH2 68 (no)
  CHECK_FALSE(r.flags.weak_wind);
  CHECK(r.flags.shallow_mixing);
  CHECK(r.flags.surface_inversion);
  CHECK_FALSE(r.flags.humid);

  std::ostringstream csv;
  write_point_series_csv(s, csv, TimeZone("Asia/Shanghai"));
  const std::string text = csv.str();
  CHECK(text.find("2015-12-01T03:00:00Z,2015-12-01T11:00:00+08:00,2.24,207,300,0.200,-10.0,60.6,E,6.9,68,1.50,0,1,1,0,2\n") !=
        std::string::npos);

  const std::string out = dir.path().string() + "/met.csv";
  save_point_series_csv(s, out, TimeZone("Asia/Shanghai"));
  std::ifstream in(out);
  std::stringstream back;
  back << in.rdbuf();
  CHECK(back.str() == text);
  // Only the CSV is left in the folder (the temporary file was renamed)
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);

  CHECK_THROWS_WITH(point_series(ds, 45.0, 87.0), Catch::Contains("outside the WRF domain") && Catch::Contains(path));
  CHECK_THROWS_AS(save_point_series_csv(s, dir.path().string() + "/no/such/dir/x.csv", TimeZone("UTC")), Error);
}

TEST_CASE("point series on the real Tibet wrfout", "[meteo][point][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path path =
      std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "wrf_d01_allvars_cropped.nc";
  if (!root || !std::filesystem::exists(path)) std::exit(4);
  const WrfDataset ds = read_wrf({path.string()});
  // At the XLAT/XLONG of cell (3, 4) the table gives that cell's raw values (bilinear weights
  // off by XLAT's float32 rounding only, ~1e-5 of a cell).
  const PointSeries s = point_series(ds, ds.lat(3, 4), ds.lon(3, 4));
  REQUIRE(s.rows.size() == 4);
  for (std::size_t t = 0; t < 4; ++t) {
    const WrfFrame& f = ds.frames[t];
    CHECK(s.rows[t].pblh == Approx(f.pblh(3, 4)).margin(0.05));
    CHECK(s.rows[t].ustar == Approx(f.ust(3, 4)).margin(1e-4));
    // Rotation keeps the speed: |(U10, V10)| of the raw grid-relative components
    CHECK(s.rows[t].wind_speed == Approx(std::hypot(f.u10(3, 4), f.v10(3, 4))).margin(1e-3));
    std::printf("[realdata] point %.3fN %.3fE %s: wind %.2f m/s from %.0f deg, PBLH %.0f m, u* %.3f, L %.1f m, class %c, "
                "T2 %.1f C, RH2 %.0f %%, flags %d\n",
                s.lat, s.lon, format_utc(s.rows[t].time).c_str(), s.rows[t].wind_speed, s.rows[t].wind_dir,
                s.rows[t].pblh, s.rows[t].ustar, s.rows[t].obukhov, stability_letter(s.rows[t].stability),
                s.rows[t].t2 - 273.15, s.rows[t].rh2, s.rows[t].flags.count());
  }
}
