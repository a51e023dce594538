// End-to-end tests of `lantian met` on inputs other than WRF: a CF NetCDF file and a station
// profile CSV written by the test, a CF file lacking variables, and the real ERA-Interim sample.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "tests/meteo/cf_fixture.hpp"

using namespace lantian::test;

namespace {

constexpr const char* kHeader =
    "time_utc,time_local,wind10_m_s,wind10_dir_deg,pblh_m,ustar_m_s,shf_w_m2,obukhov_m,stability,t2_c,rh2_pct,"
    "precip_mm_h,weak_wind,shallow_mixing,surface_inversion,humid,stagnation_count";

// A 3 x 4 ERA5-like surface file (see tests/meteo/test_point_series_sources.cpp): blh 400 m,
// u10 = 3, v10 = 4, t2m 280 K, zust 0.3, ishf -100; `with_wind` false leaves out u10 and v10.
void write_cf_file(const std::string& path, bool with_wind) {
  std::vector<NcVar> vars = {constant("t2m", "K", 3, 280.0), constant("blh", "m", 3, 400.0),
                             constant("zust", "m s**-1", 3, 0.3), constant("ishf", "W m**-2", 3, -100.0)};
  if (with_wind) {
    vars.push_back(constant("u10", "m s**-1", 3, 3.0));
    vars.push_back(constant("v10", "m s**-1", 3, 4.0));
  }
  write_upper(path, {32, 31, 30}, {110, 111, 112, 113}, NcLevels{"level", "hPa", "", {1000.0}}, vars);
}

}  // namespace

TEST_CASE("lantian met on a CF NetCDF file", "[apps][met]") {
  TempDir dir;
  const std::string nc = dir / "era5.nc";
  write_cf_file(nc, true);
  const RunResult r = run_lantian("met " + shell_quote(nc) + " --at 30.5,111.25 --tz UTC", dir);
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind(std::string(kHeader) + "\n", 0) == 0);
  // u = 3, v = 4: 5 m/s from 217 deg; no RH in the file: empty
  CHECK(r.out.find("\n2015-12-01T00:00:00Z,2015-12-01T00:00:00+00:00,5.00,217,400,0.300,100.0,") != std::string::npos);

  // --out and --format cf
  const std::string out = dir / "met.csv";
  const RunResult w = run_lantian("met " + shell_quote(nc) + " --format cf --at 30.5,111.25 --out " + shell_quote(out), dir);
  CHECK(w.status == 0);
  CHECK(first_line(out) == kHeader);
  CHECK(read_csv(out).size() == 3);
}

TEST_CASE("lantian met on a station profile CSV", "[apps][met]") {
  TempDir dir;
  const std::string csv = dir / "station.csv";
  write_text(csv,
             "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n"
             "2015-12-01T02:00,1.5,45,-2.0,90,150\n"
             "2015-12-01T03:00,1.5,45,-2.5,91,140\n");
  const RunResult r = run_lantian("met " + shell_quote(csv) + " --at 39.9,116.4", dir);
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind(std::string(kHeader) + "\n", 0) == 0);
  // Turner's class (night, light wind: F), u*, H, L and the inversion flag empty
  CHECK(r.out.find("2015-11-30T18:00:00Z,2015-12-01T02:00:00+08:00,1.50,45,150,,,,F,-2.0,90,0.00,1,1,,1,3\n") !=
        std::string::npos);
}

TEST_CASE("lantian met names the variables a CF file lacks", "[apps][met]") {
  TempDir dir;
  const std::string nc = dir / "no_wind.nc";
  write_cf_file(nc, false);
  const RunResult r = run_lantian("met " + shell_quote(nc) + " --at 30.5,111.25", dir);
  CHECK(r.status == 1);
  CHECK(r.err.find("u10|U10|uas") != std::string::npos);
  CHECK(r.err.find("v10|V10|vas") != std::string::npos);
  CHECK(r.err.find("no_wind.nc") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("lantian met on the real ERA-Interim sample fails naming what is missing", "[apps][met][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path path = std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "era_interim_tibet.nc";
  if (!root || !std::filesystem::exists(path)) std::exit(4);
  TempDir dir;
  const RunResult r = run_lantian("met " + shell_quote(path.string()) + " --at 30,87", dir);
  CHECK(r.status == 1);
  CHECK(r.err.find("era_interim_tibet.nc") != std::string::npos);
  CHECK(r.err.find("u10|U10|uas") != std::string::npos);
  CHECK(r.err.find("blh|PBLH|pblh") != std::string::npos);
}
