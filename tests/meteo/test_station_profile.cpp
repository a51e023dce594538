// The station profile CSV and its horizontally uniform MetProvider, against hand computations.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/station_profile.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::TempDir;

namespace {

// 13 hours 2015-12-01 00:00..12:00 Beijing time; 1 m/s from the west at night, 2 m/s at noon.
std::string beijing_csv() {
  std::string s = "# Beijing, test data\ntime,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m,cloud_tenths\n";
  for (int h = 0; h <= 12; ++h) {
    char line[96];
    std::snprintf(line, sizeof line, "2015-12-01T%02d:00,%s,270,%s,%s,%s,2\n", h, h == 12 ? "2.0" : "1.0",
                  h == 12 ? "2" : "-3", h == 12 ? "60" : "85", h == 12 ? "600" : "150");
    s += line;
  }
  return s;
}

Grid beijing_grid() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  g.nx = 4;
  g.ny = 4;
  g.dx = g.dy = 5000.0;
  g.x0 = g.y0 = -10000.0;  // centred on the station
  g.layer_tops = {50.0, 150.0, 300.0, 1000.0};
  return Grid(g);
}

}  // namespace

TEST_CASE("station profile: reading and Turner stability", "[meteo][station]") {
  TempDir dir;
  const std::string path = dir.write("station.csv", beijing_csv());
  StationOptions opt;
  opt.lat = 39.9;
  opt.lon = 116.4;
  const auto hours = read_station_csv(path, opt);
  REQUIRE(hours.size() == 13);
  // 2015-12-01T00:00+08:00 = 2015-11-30T16Z = 16770 * 24 - 8
  const UtcHour t0 = 16770 * 24 - 8;
  CHECK(hours[0].time == t0);
  CHECK(hours[0].t2 == Approx(270.15));
  CHECK(hours[0].cloud == Approx(0.2));
  CHECK(std::isnan(hours[0].ustar));
  const StationMet met(beijing_grid(), hours, opt, path);

  // Noon (04Z): sun at ~28.3 deg (90 - 39.9 - 21.8) -> insolation class 2; 2/10 cloud -> NRI 2;
  // 2 m/s = 3.89 kt -> 4 kt -> class C. L = 1 / (-0.002 + 0.018 log10 0.5) = -134.797 m;
  // u* = 0.4 * 2 / ln(20) = 0.267047; rho = 1.283114; H = -rho cp T u*^3 / (k g L) = 12.762 W/m2
  CHECK(met.stability_at(t0 + 12) == StabilityClass::C);
  const MetState noon = met.at(t0 + 12);
  CHECK(noon.obukhov(1, 2) == Approx(-134.7974).epsilon(1e-6));
  CHECK(noon.ustar(0, 0) == Approx(0.2670466).epsilon(1e-6));
  CHECK(noon.shf(3, 3) == Approx(12.7620).epsilon(1e-4));
  // Kz at 50 m: zeta = 50 / L = -0.37093, phi_h = (1 + 15 * 0.37093)^-1/2
  //   -> 0.4 * 0.267047 * 50 * (1 - 50/600)^2 / phi_h = 11.4980 m2/s
  CHECK(noon.kz(2, 2, 1) == Approx(11.4980).epsilon(1e-4));
  // Wind from the west, 2 m/s: u10 = +2, v10 = 0 (grid centred on lon_0: no convergence);
  // layer 0 centre 25 m: 2 ln(25/0.5) / ln(10/0.5) = 2 * 1.305865
  CHECK(noon.u10(0, 0) == Approx(2.0).margin(1e-9));
  CHECK(noon.v10(0, 0) == Approx(0.0).margin(1e-9));
  CHECK(noon.u(4, 1, 0) == Approx(2.0 * 1.305865).epsilon(1e-6));
  CHECK(noon.t(0, 0, 0) == Approx(275.15 - 0.0065 * 23.0).epsilon(1e-12));
  CHECK(noon.pblh(1, 1) == 600.0);

  // 02:00 local: night, 2/10 cloud -> NRI -2; 1 m/s = 1.94 kt -> 2 kt -> G, reported as F;
  // L = 1 / (0.035 - 0.036 log10 0.5) = 21.8164 m
  CHECK(met.stability_at(t0 + 2) == StabilityClass::F);
  CHECK(met.at(t0 + 2).obukhov(0, 0) == Approx(21.8164).epsilon(1e-5));
  CHECK_THROWS_WITH(met.at(t0 + 13), Catch::Contains("the station profile covers"));
}

TEST_CASE("station profile: observed fluxes take precedence", "[meteo][station]") {
  TempDir dir;
  const std::string path = dir.write("flux.csv",
                                     "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m,ustar_m_s,shf_w_m2\n"
                                     "2015-12-01T12:00Z,3,0,26.85,50,1000,0.3,100\n");
  const auto hours = read_station_csv(path, {});
  // T = 300 K, rho = 101325 / (287 * 300) = 1.176829; L = -1.176829*1004*300*0.027 / (0.4*9.81*100)
  //   = -9570.16 / 392.4 = -24.389 m; z0 = 0.5 (log10 = -0.30103): lines A -0.10473, B -0.04573,
  //   C -0.00742; 1/L = -0.0410 lies between B|C (-0.02657) and A|B (-0.07523) -> B
  const StationMet met(beijing_grid(), hours, {}, path);
  CHECK(met.at(hours[0].time).obukhov(0, 0) == Approx(-24.389).epsilon(1e-4));
  CHECK(met.stability_at(hours[0].time) == StabilityClass::B);
  // Wind from the north: v10 = -3
  CHECK(met.at(hours[0].time).v10(0, 0) == Approx(-3.0).margin(1e-9));
}

TEST_CASE("station profile: bad files name line and column", "[meteo][station]") {
  TempDir dir;
  const std::string head = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n";
  auto fails = [&](const std::string& text) {
    const std::string p = dir.write("bad.csv", text);
    try {
      (void)read_station_csv(p, {});
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,85,150\n2015-12-01T02:00,1,270,-3,85,150\n"),
             Catch::Contains("bad.csv:3: time: gap of 1 hour(s)"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,85,150\n2015-12-01T00:00,1,270,-3,85,150\n"),
             Catch::Contains(":3: time: duplicate time"));
  CHECK_THAT(fails("time,wind10_ms,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n"),
             Catch::Contains(":1: wind10_ms: unknown column (did you mean 'wind10_m_s'?)"));
  CHECK_THAT(fails("time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct\n"), Catch::Contains("pblh_m: missing required column"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,120,150\n"),
             Catch::Contains(":2: rh2_pct: expected a relative humidity in % (0..100), found 120"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,,85,150\n"), Catch::Contains(":2: t2_c: expected a temperature"));
  CHECK_THAT(fails(head + "2015-12-01T00:30,1,270,-3,85,150\n"), Catch::Contains(":2: time:"));
  CHECK_THAT(fails(head), Catch::Contains("expected at least one hourly row"));
}
