// The station profile CSV and its horizontally uniform MetProvider, against hand computations.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/point_series.hpp"
#include "meteo/station_profile.hpp"
#include "meteo/surface_energy_balance.hpp"
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
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,85,150\n2015-12-01T05:00,1,270,-3,85,150\n"),
             Catch::Contains("bad.csv:3: time: gap of 4 hour(s)"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,85,150\n2015-12-01T00:00,1,270,-3,85,150\n"),
             Catch::Contains(":3: time: duplicate time"));
  CHECK_THAT(fails("time,wind10_ms,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n"),
             Catch::Contains(":1: wind10_ms: unknown column (did you mean 'wind10_m_s'?)"));
  CHECK_THAT(fails("time,wind10_m_s,wind10_dir_deg,t2_c,pblh_m\n"), Catch::Contains("rh2_pct: missing required column"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,120,150\n"),
             Catch::Contains(":2: rh2_pct: expected a relative humidity in % (0..100), found 120"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,,85,150\n"), Catch::Contains(":2: t2_c: expected a temperature"));
  CHECK_THAT(fails(head + "2015-12-01T00:30,1,270,-3,85,150\n"), Catch::Contains(":2: time:"));
  CHECK_THAT(fails(head), Catch::Contains("expected at least one hourly row"));
}

namespace {

// 2015-12-01 00:00..23:00 Beijing time without pblh_m: 1 m/s from the north-west at night,
// 3 m/s at 12:00-15:00, clear, -3 C at night and 5 C by day, 1020 hPa.
std::string no_pblh_csv() {
  std::string s = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,cloud_tenths,pressure_hpa\n";
  for (int h = 0; h < 24; ++h) {
    const bool day = h >= 12 && h <= 15;
    char line[96];
    std::snprintf(line, sizeof line, "2015-12-01T%02d:00,%s,315,%s,40,0,1020\n", h, day ? "3" : "1", day ? "5" : "-3");
    s += line;
  }
  return s;
}

}  // namespace

TEST_CASE("station profile: without pblh_m the boundary layer is diagnosed", "[meteo][station]") {
  TempDir dir;
  const std::string path = dir.write("no_pblh.csv", no_pblh_csv());
  StationOptions opt;
  opt.lat = 39.9;
  opt.lon = 116.4;
  const auto hours = read_station_csv(path, opt);
  REQUIRE(hours.size() == 24);
  CHECK(std::isnan(hours[0].pblh));
  const StationMet met(beijing_grid(), hours, opt, path);
  const UtcHour t0 = 16770 * 24 - 8;
  // The model's values are those of diagnose_boundary_layer on the same observations.
  std::vector<SurfaceObservation> obs;
  for (const StationHour& h : hours) obs.push_back({static_cast<double>(h.time), h.wind10, h.t2, h.pressure, h.cloud});
  const auto bl = diagnose_boundary_layer(obs, 39.9, 116.4, opt.z0);
  for (int h : {2, 13, 15}) {
    const MetState m = met.at(t0 + h);
    const BoundaryLayerHour& b = bl[static_cast<std::size_t>(h)];
    CHECK(m.pblh(1, 1) == b.h);
    CHECK(m.ustar(0, 0) == b.fluxes.ustar);
    CHECK(m.shf(0, 0) == b.fluxes.shf);
    CHECK(m.obukhov(0, 0) == b.fluxes.obukhov);
    CHECK(met.stability_at(t0 + h) == pasquill_from_obukhov(b.fluxes.obukhov, opt.z0));
  }
  // 02:00, 1 m/s, clear, T = 270.15 K, z0 = 0.5: C_DN = 0.4 / ln 20 = 0.1335232; u0 = sqrt(5 * 10 *
  // 9.81 * 0.09 / 270.15) = 0.4042391; U_cr = 2 u0 / sqrt(C_DN) = 2.212533 > 1 m/s:
  // u* = C_DN / 2 = 0.0667616; theta* = 0.09 / 2.212533 = 0.0406774; L = T u*^2 / (k g theta*) = 7.54358 m
  // (very stable: class F); h = 2300 u*^1.5 = 39.67 m -> the 50 m floor.
  const MetState night = met.at(t0 + 2);
  CHECK(night.ustar(0, 0) == Approx(0.0667616).epsilon(1e-6));
  CHECK(night.obukhov(0, 0) == Approx(7.54358).epsilon(1e-5));
  CHECK(night.pblh(0, 0) == 50.0);
  CHECK(met.stability_at(t0 + 2) == StabilityClass::F);
  // 13:00 (05Z), clear: the sun at about 90 - 39.9 - 21.8 = 28 deg gives a winter H of tens of W/m2.
  CHECK(met.at(t0 + 13).shf(0, 0) > 20.0);
  CHECK(met.at(t0 + 13).shf(0, 0) < 150.0);
  // 15:00 (07Z), clear, 3 m/s: convective, the day's heat has raised h above the mechanical height.
  const MetState afternoon = met.at(t0 + 15);
  CHECK(afternoon.obukhov(0, 0) < 0.0);
  CHECK(afternoon.shf(0, 0) > 0.0);
  CHECK(afternoon.pblh(0, 0) == Approx(bl[15].h_convective).epsilon(1e-12));
  CHECK(afternoon.pblh(0, 0) > bl[15].h_mechanical);
  // Kz at the 50 m face by the K-profile of those u*, h and L (not the floor).
  const double kz50 = kz_profile(50.0, afternoon.pblh(0, 0), afternoon.ustar(0, 0), afternoon.obukhov(0, 0));
  CHECK(afternoon.kz(1, 1, 1) == Approx(kz50).epsilon(1e-12));
  CHECK(kz50 > 1.0);

  // `lantian met`'s table shows the same diagnosed values.
  const PointSeries ps = point_series(hours, opt);
  CHECK(ps.rows[15].pblh == afternoon.pblh(0, 0));
  CHECK(ps.rows[15].ustar == afternoon.ustar(0, 0));
  CHECK(ps.rows[15].shf == afternoon.shf(0, 0));
  CHECK(ps.rows[15].obukhov == afternoon.obukhov(0, 0));
}

TEST_CASE("station profile: a blank pblh_m cell is diagnosed, a given one kept", "[meteo][station]") {
  TempDir dir;
  const std::string path = dir.write("mixed.csv",
                                     "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n"
                                     "2015-12-01T00:00,5,0,-3,50,300\n"
                                     "2015-12-01T01:00,5,0,-3,50,\n");
  StationOptions opt;
  opt.lat = 39.9;
  opt.lon = 116.4;
  opt.z0 = 0.1;
  const auto hours = read_station_csv(path, opt);
  const StationMet met(beijing_grid(), hours, opt, path);
  CHECK(met.at(hours[0].time).pblh(0, 0) == 300.0);
  CHECK_FALSE(met.diagnosis_at(hours[0].time).diagnosed);
  // 01:00 diagnosed: 5 m/s, T = 270.15 K, z0 = 0.1: C_DN = 0.0868589, u0 = 0.4042391,
  // U_cr = 2.743223 < 5: u* = (C_DN 5 / 2)(1 + sqrt(1 - (2.743223/5)^2)) = 0.3986944; the hour
  // before had the same u*, so the smoothing keeps h = 2300 u*^1.5 = 579.013 m.
  CHECK(met.diagnosis_at(hours[1].time).diagnosed);
  CHECK(met.at(hours[1].time).ustar(0, 0) == Approx(0.3986944).epsilon(1e-6));
  CHECK(met.at(hours[1].time).pblh(0, 0) == Approx(579.013).epsilon(1e-5));
}

TEST_CASE("station profile: calm directions and short gaps", "[meteo][station]") {
  TempDir dir;
  const std::string head = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct\n";
  auto fails = [&](const std::string& text) {
    const std::string p = dir.write("bad.csv", text);
    try {
      (void)read_station_csv(p, {});
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // "cv" (the Beijing PRSA data set) and "calm" with a wind below 0.5 m/s: direction 0.
  {
    const std::string p = dir.write("calm.csv", head + "2015-12-01T00:00,0.3,cv,-3,85\n2015-12-01T01:00,0,Calm,-3,85\n");
    const auto hours = read_station_csv(p, {});
    REQUIRE(hours.size() == 2);
    CHECK(hours[0].wind_dir == 0.0);
    CHECK(hours[0].wind10 == 0.3);
    CHECK(hours[1].wind_dir == 0.0);
  }
  CHECK_THAT(fails(head + "2015-12-01T00:00,0.3,cv,-3,85\n2015-12-01T01:00,1.2,cv,-3,85\n"),
             Catch::Contains("bad.csv:3: wind10_dir_deg: found the calm direction 'cv' with a wind speed of 1.2 m/s"));
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,NNW,-3,85\n"),
             Catch::Contains(":2: wind10_dir_deg: expected a direction in degrees (0..360) or cv (calm), found 'NNW'"));

  // A 2-hour gap: 00:00 and 03:00 given, 01:00 and 02:00 interpolated linearly, the direction
  // along the shorter arc through north (350 -> 20: +30 deg, 1/3 and 2/3 of the way: 0 and 10).
  {
    const std::string p = dir.write("gap.csv", head +
                                                   "2015-12-01T00:00,1,350,-3,90\n"
                                                   "2015-12-01T03:00,4,20,0,60\n");
    std::vector<std::string> warnings;
    const auto hours = read_station_csv(p, {}, &warnings);
    REQUIRE(hours.size() == 4);
    CHECK(hours[1].time == hours[0].time + 1);
    CHECK(hours[1].interpolated);
    CHECK_FALSE(hours[3].interpolated);
    CHECK(hours[1].wind10 == Approx(2.0).epsilon(1e-12));
    CHECK(hours[2].wind10 == Approx(3.0).epsilon(1e-12));
    CHECK(hours[1].wind_dir == Approx(0.0).margin(1e-9));
    CHECK(hours[2].wind_dir == Approx(10.0).epsilon(1e-12));
    CHECK(hours[1].t2 == Approx(271.15).epsilon(1e-12));
    CHECK(hours[2].rh2 == Approx(70.0).epsilon(1e-12));
    CHECK(std::isnan(hours[1].pblh));
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("gap.csv:3: time: 2 missing hour(s) 2015-11-30T17:00:00Z to 2015-11-30T18:00:00Z"));
    // The interpolated series runs.
    const StationMet met(beijing_grid(), hours, {}, p);
    CHECK(met.at(hours[2].time).pblh(0, 0) >= 50.0);
  }
  // A calm end takes the other end's direction.
  {
    const std::string p = dir.write("gapcalm.csv", head + "2015-12-01T00:00,0,cv,-3,90\n2015-12-01T02:00,2,90,-3,90\n");
    const auto hours = read_station_csv(p, {});
    REQUIRE(hours.size() == 3);
    CHECK(hours[1].wind_dir == 90.0);
    CHECK(hours[1].wind10 == Approx(1.0).epsilon(1e-12));
  }
  // A 5-hour gap is refused, naming the line and column.
  CHECK_THAT(fails(head + "2015-12-01T00:00,1,270,-3,85\n2015-12-01T06:00,1,270,-3,85\n"),
             Catch::Contains("bad.csv:3: time: gap of 5 hour(s) after 2015-11-30T16:00:00Z"));
}
