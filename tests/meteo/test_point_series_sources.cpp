// The point table from CF NetCDF (closed-form fields, tests/meteo/cf_fixture.hpp) and from
// station profile CSVs, the detection of the input kind, and the real ERA-Interim sample (only
// t2m: the table names what is missing).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "meteo/point_series.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/meteo/cf_fixture.hpp"
#include "tests/meteo/wrf_fixture.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::constant;
using lantian::test::NcLevels;
using lantian::test::NcVar;
using lantian::test::TempDir;
using lantian::test::write_upper;

namespace {

// Fields linear in longitude and latitude, so that bilinear interpolation is exact:
//   t2m = 270 + (lon - 110) + 0.5 (lat - 30) + t  K;  u10 = 1 + 0.5 (lon - 110);  v10 = 2 + (lat - 30)
//   blh = 300 + 100 (lon - 110) + 50 (lat - 30) m;  zust = 0.3;  ishf = -100 W m**-2 (100 upward);
//   sp = 1e5 Pa;  tp = 0.002 m per hour;  rh2 = 85 %.
// Latitudes 32, 31, 30 (descending, as ERA5), longitudes 110..113.
std::vector<NcVar> surface_vars() {
  return {
      {"t2m", "K", 3, [](int t, int, double lon, double lat) { return 270.0 + (lon - 110.0) + 0.5 * (lat - 30.0) + t; }},
      {"u10", "m s**-1", 3, [](int, int, double lon, double) { return 1.0 + 0.5 * (lon - 110.0); }},
      {"v10", "m s**-1", 3, [](int, int, double, double lat) { return 2.0 + (lat - 30.0); }},
      {"blh", "m", 3, [](int, int, double lon, double lat) { return 300.0 + 100.0 * (lon - 110.0) + 50.0 * (lat - 30.0); }},
      constant("zust", "m s**-1", 3, 0.3),
      constant("ishf", "W m**-2", 3, -100.0),
      constant("sp", "Pa", 3, 1.0e5),
      constant("tp", "m", 3, 0.002),
      constant("rh2", "%", 3, 85.0),
  };
}

const std::vector<float> kLats{32, 31, 30}, kLons{110, 111, 112, 113};

// Expected L for u* = 0.3, H = 100 W/m2, p = 1e5 Pa: L = -rho cp T u*^3 / (k g H) with
// rho = p / (R T), so T cancels: -(1e5 / 287) 1004 0.027 / (0.4 9.81 100) = -24.0659 m.
constexpr double kL = -(1.0e5 / 287.0) * 1004.0 * 0.027 / (0.4 * 9.81 * 100.0);

}  // namespace

TEST_CASE("point series from a CF surface file", "[meteo][point][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5.nc";
  write_upper(path, kLats, kLons, NcLevels{"level", "hPa", "", {1000.0}}, surface_vars());
  const CfSurface cf = read_cf_surface(path);
  // 30.5 N 111.25 E: t2 = 271.5 + t K, u10 = 1.625, v10 = 2.5, blh = 450 m
  const PointSeries s = point_series(cf, 30.5, 111.25);
  REQUIRE(s.rows.size() == 2);
  for (std::size_t t = 0; t < 2; ++t) {
    const PointRow& r = s.rows[t];
    CHECK(r.time == cf.times[t]);
    CHECK(r.t2 == Approx(271.5 + static_cast<double>(t)).epsilon(1e-12));
    CHECK(r.wind_speed == Approx(std::hypot(1.625, 2.5)).epsilon(1e-12));
    // u > 0, v > 0: blowing towards the north-east, so from 180 + atan2(1.625, 2.5) = 213.024 deg
    CHECK(r.wind_dir == Approx(180.0 + std::atan2(1.625, 2.5) * 180.0 / 3.141592653589793).epsilon(1e-12));
    CHECK(r.pblh == Approx(450.0).epsilon(1e-12));
    CHECK(r.ustar == Approx(0.3).epsilon(1e-12));
    CHECK(r.shf == Approx(100.0).epsilon(1e-12));
    CHECK(r.precip == Approx(2.0).epsilon(1e-12));
    CHECK(r.rh2 == Approx(85.0).epsilon(1e-12));
    CHECK(r.obukhov == Approx(kL).epsilon(1e-9));
    CHECK(r.has_stability);
    CHECK(r.stability == pasquill_from_obukhov(kL, 0.1));
    CHECK_FALSE(r.flags.weak_wind);
    CHECK(r.flags.shallow_mixing);
    CHECK_FALSE(r.flags.surface_inversion);
    CHECK(r.flags.humid);
    CHECK(std::isnan(r.t_upper));
  }
  // The same point as a longitude beyond 180 (modulo 360)
  CHECK(point_series(cf, 30.5, 111.25 - 360.0).rows[1].pblh == Approx(450.0));
  // Grid points themselves: the raw values
  CHECK(point_series(cf, 32.0, 113.0).rows[0].pblh == Approx(300.0 + 300.0 + 100.0));

  std::ostringstream csv;
  write_point_series_csv(s, csv, TimeZone("Asia/Shanghai"));
  // No upper air: surface_inversion is empty, not 0; the count is of the flags raised.
  const std::string line = std::string("2015-12-01T01:00:00Z,2015-12-01T09:00:00+08:00,2.98,213,450,0.300,100.0,-24.1,") +
                           stability_letter(pasquill_from_obukhov(kL, 0.1)) + ",-0.6,85,2.00,0,1,,1,2\n";
  CHECK(csv.str().find(line) != std::string::npos);

  CHECK_THROWS_WITH(point_series(cf, 29.0, 111.0), Catch::Contains("outside") && Catch::Contains(path));
  CHECK_THROWS_WITH(point_series(cf, 31.0, 114.0), Catch::Contains("outside"));
}

TEST_CASE("point series from CF with upper air and without fluxes", "[meteo][point][cf]") {
  TempDir dir;
  const std::string path = dir.path().string() + "/era5_levels.nc";
  std::vector<NcVar> vars;
  for (NcVar& v : surface_vars())
    if (v.name != "zust" && v.name != "ishf" && v.name != "rh2") vars.push_back(v);
  // Height levels 50 and 200 m above ground; T(50 m) = t2 + 3 K: an inversion.
  vars.push_back({"t", "K", 4, [](int t, int k, double lon, double lat) {
                    return 273.0 + (lon - 110.0) + 0.5 * (lat - 30.0) + t - 1.0 * k;
                  }});
  vars.push_back(constant("u", "m s**-1", 4, 2.0));
  vars.push_back(constant("v", "m s**-1", 4, 2.0));
  vars.push_back(constant("r", "%", 4, 50.0));
  write_upper(path, kLats, kLons, NcLevels{"height", "m", "", {50.0, 200.0}}, vars);
  const CfSurface cf = read_cf_surface(path);
  REQUIRE(cf.has_upper_air());
  const PointSeries s = point_series(cf, 30.5, 111.25);
  REQUIRE(s.rows.size() == 2);
  const PointRow& r = s.rows[0];
  CHECK(r.z_upper == Approx(50.0));
  CHECK(r.t_upper == Approx(274.5).epsilon(1e-12));
  CHECK(r.flags.surface_inversion);
  // No u*, heat flux or humidity in the file: empty, never estimated
  CHECK(std::isnan(r.ustar));
  CHECK(std::isnan(r.shf));
  CHECK(std::isnan(r.obukhov));
  CHECK(std::isnan(r.rh2));
  CHECK_FALSE(r.has_stability);
  std::ostringstream csv;
  write_point_series_csv(s, csv, TimeZone("UTC"));
  CHECK(csv.str().find("2015-12-01T00:00:00Z,2015-12-01T00:00:00+00:00,2.98,213,450,,,,,-1.6,,2.00,0,1,1,,2\n") !=
        std::string::npos);
}

TEST_CASE("point series from station profile CSVs", "[meteo][point][station]") {
  TempDir dir;
  const std::string night = dir.path().string() + "/night.csv", noon = dir.path().string() + "/noon.csv",
                    flux = dir.path().string() + "/flux.csv";
  std::ofstream(night) << "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m,cloud_tenths\n"
                          "2015-12-01T02:00,1.5,45,-2.0,90,150,0\n"
                          "2015-12-01T03:00,1.5,45,-2.5,91,140,0\n";
  std::ofstream(noon) << "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n"
                         "2015-12-01T12:00,1.5,270,3.0,60,700\n"
                         "2015-12-01T13:00,2.5,270,4.0,55,800\n";
  std::ofstream(flux) << "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m,ustar_m_s,shf_w_m2,pressure_hpa\n"
                         "2015-12-01T12:00Z,3.0,180,5.0,50,900,0.3,100,1000\n";
  StationOptions so;
  so.lat = 39.9;
  so.lon = 116.4;
  so.z0 = 0.1;
  const PointSeries s = point_series(read_station_csv(night, so), so);
  REQUIRE(s.rows.size() == 2);
  const PointRow& r = s.rows[0];
  CHECK(r.time == parse_time("2015-12-01T02:00", TimeZone("Asia/Shanghai")));
  CHECK(r.wind_speed == 1.5);
  CHECK(r.wind_dir == 45.0);
  CHECK(r.pblh == 150.0);
  CHECK(r.t2 == Approx(271.15));
  // Night, clear: NRI -2; 1.5 m/s = 2.9 kt -> row 2-3 kt -> F (EPA-454/R-99-005 Table 6-4)
  CHECK(r.has_stability);
  CHECK(r.stability == StabilityClass::F);
  CHECK(std::isnan(r.ustar));
  CHECK(std::isnan(r.shf));
  CHECK(std::isnan(r.obukhov));
  CHECK(r.flags.weak_wind);
  CHECK(r.flags.shallow_mixing);
  CHECK(r.flags.humid);
  CHECK_FALSE(r.flags.surface_inversion);
  std::ostringstream csv;
  write_point_series_csv(s, csv, TimeZone("Asia/Shanghai"));
  CHECK(csv.str().find("2015-11-30T18:00:00Z,2015-12-01T02:00:00+08:00,1.50,45,150,,,,F,-2.0,90,0.00,1,1,,1,3\n") !=
        std::string::npos);

  // Noon at 39.9 N on 1 December: sun ~28 deg, clear: NRI 2; 1.5 m/s -> B
  const PointSeries day = point_series(read_station_csv(noon, so), so);
  CHECK(day.rows[0].stability == StabilityClass::B);

  // Observed u* and heat flux: L from them and Golder's class
  const PointSeries f = point_series(read_station_csv(flux, so), so);
  REQUIRE(f.rows.size() == 1);
  CHECK(f.rows[0].ustar == 0.3);
  CHECK(f.rows[0].shf == 100.0);
  CHECK(f.rows[0].obukhov == Approx(kL).epsilon(1e-9));
  CHECK(f.rows[0].stability == pasquill_from_obukhov(f.rows[0].obukhov, 0.1));

  // Through the file entry point: the two profiles concatenated in time order; out of order is an error
  const PointSeries both = point_series_from_files({night, noon}, 39.9, 116.4, std::nullopt);
  CHECK(both.rows.size() == 4);
  CHECK(both.rows[2].pblh == 700.0);
  CHECK_THROWS_WITH(point_series_from_files({noon, night}, 39.9, 116.4, std::nullopt),
                    Catch::Contains(night) && Catch::Contains("time order"));
}

TEST_CASE("met input kind detection", "[meteo][point]") {
  TempDir dir;
  const std::string wrf = dir.path().string() + "/wrfout_d01", cf = dir.path().string() + "/era5.nc",
                    csv = dir.path().string() + "/station.CSV", txt = dir.path().string() + "/notes.txt";
  lantian::test::write_wrf_fixture(wrf, lantian::test::WrfFixture{});
  write_upper(cf, kLats, kLons, NcLevels{"level", "hPa", "", {1000.0}}, surface_vars());
  std::ofstream(csv) << "time\n";
  std::ofstream(txt) << "not netcdf\n";
  CHECK(detect_met_format(wrf) == MetFormat::wrf);
  CHECK(detect_met_format(cf) == MetFormat::cf);
  CHECK(detect_met_format(csv) == MetFormat::station);
  CHECK_THROWS_WITH(detect_met_format(txt), Catch::Contains(txt) && Catch::Contains("--format"));
  CHECK(parse_met_format("cf") == MetFormat::cf);
  CHECK_FALSE(parse_met_format("grib").has_value());
  // A mix of kinds is an error naming the odd file
  CHECK_THROWS_WITH(point_series_from_files({wrf, cf}, 30.0, 87.0, std::nullopt),
                    Catch::Contains(cf) && Catch::Contains("one kind"));
  // WRF through the file entry point gives what point_series on the dataset gives
  const WrfDataset ds = read_wrf({wrf});
  const LonLat c = ds.make_grid().lonlat(1, 0);
  const PointSeries a = point_series_from_files({wrf}, c.lat, c.lon, std::nullopt);
  const PointSeries b = point_series(ds, c.lat, c.lon);
  REQUIRE(a.rows.size() == b.rows.size());
  CHECK(a.rows[1].pblh == b.rows[1].pblh);
  CHECK(a.rows[1].wind_speed == b.rows[1].wind_speed);
  // CF through the file entry point, and forced with --format
  CHECK(point_series_from_files({cf}, 30.5, 111.25, MetFormat::cf).rows[0].pblh == Approx(450.0));
  CHECK_THROWS(point_series_from_files({cf}, 30.5, 111.25, MetFormat::station));
}

TEST_CASE("point series from the real ERA-Interim sample names the missing variables", "[meteo][point][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path path = std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "era_interim_tibet.nc";
  if (!root || !std::filesystem::exists(path)) std::exit(4);
  CHECK(detect_met_format(path.string()) == MetFormat::cf);
  // The sample has t2m only: u10, v10 and the boundary layer height are named as missing
  CHECK_THROWS_WITH(point_series_from_files({path.string()}, 30.0, 87.0, std::nullopt),
                    Catch::Contains("era_interim_tibet.nc") && Catch::Contains("u10|U10|uas") &&
                        Catch::Contains("v10|V10|vas") && Catch::Contains("blh|PBLH|pblh"));
}
