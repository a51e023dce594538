// Several weather stations combined onto the grid (meteo/station_network.hpp), against hand values.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "core/grid.hpp"
#include "meteo/station_network.hpp"
#include "meteo/station_profile.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using namespace lantian::meteo;
using lantian::test::TempDir;

namespace {

// `hours` hours from 2015-12-01 10:00 Beijing time, a constant wind, temperature and mixing height.
std::string station_csv(int first_hour, int hours, double speed, double dir, double t2_c, double pblh) {
  std::string s = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n";
  for (int h = first_hour; h < first_hour + hours; ++h) {
    char line[128];
    std::snprintf(line, sizeof line, "2015-12-01T%02d:00,%g,%g,%g,50,%g\n", h, speed, dir, t2_c, pblh);
    s += line;
  }
  return s;
}

Grid grid_5x1() {
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  g.nx = 5;
  g.ny = 1;
  g.dx = g.dy = 2000.0;
  g.x0 = -5000.0;  // cell centres at x = -4000, -2000, 0, 2000, 4000 m
  g.y0 = -1000.0;
  g.layer_tops = {50.0, 150.0, 300.0, 1000.0};
  return Grid(g);
}

}  // namespace

TEST_CASE("inverse-distance weights by hand", "[meteo][station-network]") {
  // Stations at (0, 0), (1000, 0), (0, 2000) m; the point (0, 1000): d^2 = 1e6, 2e6, 1e6, so
  // 1/d^2 = 1e-6, 5e-7, 1e-6, sum 2.5e-6: weights 0.4, 0.2, 0.4.
  const std::vector<XY> st{{0.0, 0.0}, {1000.0, 0.0}, {0.0, 2000.0}};
  const std::vector<double> w = idw_weights(st, {0.0, 1000.0});
  CHECK(w[0] == Approx(0.4).epsilon(1e-14));
  CHECK(w[1] == Approx(0.2).epsilon(1e-14));
  CHECK(w[2] == Approx(0.4).epsilon(1e-14));
  // Within 1 m of a station: its own values.
  const std::vector<double> own = idw_weights(st, {1000.5, 0.0});
  CHECK(own == std::vector<double>{0.0, 1.0, 0.0});
}

TEST_CASE("two stations on a grid: their own values at their cells, the mean half-way, winds as components",
          "[meteo][station-network]") {
  TempDir dir;
  const Grid grid = grid_5x1();
  // A at the centre of cell 0 (x = -4000), B at the centre of cell 4 (x = +4000): cell 2 (x = 0)
  // is half-way, weights 1/2 each; cell 1 (x = -2000): d = 2000 and 6000 m, 1/d^2 in the ratio
  // 9 : 1, weights 0.9 and 0.1.
  const LonLat a = grid.lonlat(0, 0), b = grid.lonlat(4, 0);
  // A: 3 m/s from the west (blowing east), 0 C, mixing height 400 m, 10:00..15:00.
  // B: 3 m/s from the east, 10 C, 800 m, 12:00..17:00 (the common hours are 12:00..15:00).
  const std::string pa = dir.write("a.csv", station_csv(10, 6, 3.0, 270.0, 0.0, 400.0));
  const std::string pb = dir.write("b.csv", station_csv(12, 6, 3.0, 90.0, 10.0, 800.0));
  StationOptions oa, ob;
  oa.lon = a.lon;
  oa.lat = a.lat;
  ob.lon = b.lon;
  ob.lat = b.lat;
  std::vector<StationMet> members;
  members.emplace_back(grid, read_station_csv(pa, oa), oa, pa);
  members.emplace_back(grid, read_station_csv(pb, ob), ob, pb);
  const StationNetworkMet net(grid, std::move(members), {a, b}, {}, "a.csv + b.csv");
  // 2015-12-01T12:00+08:00 = 04Z; 2015-12-01 is day 16770 since 1970.
  const UtcHour t12 = 16770 * 24 + 4;
  CHECK(net.coverage() == std::pair<UtcHour, UtcHour>{t12, t12 + 3});
  CHECK(net.weights(0, 0)[0] == 1.0);
  CHECK(net.weights(2, 0)[0] == Approx(0.5).epsilon(1e-12));
  CHECK(net.weights(1, 0)[0] == Approx(0.9).epsilon(1e-12));
  const MetState s = net.at(t12 + 1);
  CHECK(s.t2(0, 0) == Approx(273.15).epsilon(1e-12));
  CHECK(s.t2(4, 0) == Approx(283.15).epsilon(1e-12));
  CHECK(s.t2(2, 0) == Approx(278.15).epsilon(1e-12));
  CHECK(s.t2(1, 0) == Approx(0.9 * 273.15 + 0.1 * 283.15).epsilon(1e-12));
  CHECK(s.pblh(1, 0) == Approx(0.9 * 400.0 + 0.1 * 800.0).epsilon(1e-12));
  // The east-west winds: +3 and -3 m/s along x (up to the grid's small rotation from north at
  // the centre, the same for both): half-way they cancel; at cell 1, 0.9 * 3 - 0.1 * 3 = 2.4.
  CHECK(std::abs(s.u10(2, 0)) < 1e-9);
  CHECK(s.u10(1, 0) == Approx(0.8 * s.u10(0, 0)).epsilon(1e-12));
  CHECK(s.u10(0, 0) == Approx(3.0).epsilon(1e-3));
  // Outside the common hours: the station lacking it is named.
  CHECK_THROWS_WITH(net.at(t12 - 1), Catch::Contains("b.csv"));
}

TEST_CASE("case file: [[meteo.stations]] gives the files and positions, mixing it with files is refused",
          "[meteo][station-network][case]") {
  const std::string head = "name = \"x\"\n[period]\nstart = \"2015-12-01T16:00\"\nhours = 24\n"
                           "[grid]\ncrs = \"+proj=lcc +lat_1=30 +lat_2=60 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m\"\n"
                           "nx = 4\nny = 4\ndx = 5000.0\ndy = 5000.0\nx0 = -10000.0\ny0 = -10000.0\nlayer_tops = [50, 150]\n";
  const CaseConfig c = load_case_string(head +
                                            "[meteo]\nsource = \"station\"\n"
                                            "[[meteo.stations]]\nfile = \"a.csv\"\nlon = 116.4\nlat = 39.9\n"
                                            "[[meteo.stations]]\nfile = \"b.csv\"\nlon = 116.5\nlat = 40.0\n",
                                        "case.toml", "/case");
  REQUIRE(c.meteo.files == std::vector<std::string>{"/case/a.csv", "/case/b.csv"});
  REQUIRE(c.meteo.stations.size() == 2);
  CHECK(*c.meteo.stations[1].lon == 116.5);
  CHECK_THROWS_WITH(load_case_string(head + "[meteo]\nsource = \"station\"\nfiles = [\"c.csv\"]\n"
                                                "[[meteo.stations]]\nfile = \"a.csv\"\nlon = 116.4\nlat = 39.9\n"
                                                "[[meteo.stations]]\nfile = \"b.csv\"\nlon = 116.5\nlat = 40.0\n",
                                     "case.toml", "/case"),
                    Catch::Contains("not both"));
  CHECK_THROWS_WITH(load_case_string(head + "[meteo]\nsource = \"station\"\n"
                                                "[[meteo.stations]]\nfile = \"a.csv\"\nlon = 116.4\nlat = 39.9\n"
                                                "[[meteo.stations]]\nfile = \"b.csv\"\nlon = 216.5\nlat = 40.0\n",
                                     "case.toml", "/case"),
                    Catch::Contains("meteo.stations[1].lon"));
}
