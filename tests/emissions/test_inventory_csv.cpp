// Inventory CSV readers: unit conversion at reading, the enterprise -> line -> stack split, and
// the errors for bad input (file, line, column and what was expected).
#include <catch2/catch.hpp>

#include <string>

#include "core/grid.hpp"
#include "emissions/inventory.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/units.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using namespace lantian::emissions;
using lantian::test::TempDir;

namespace {

const char* kCrs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";

Grid demo_grid() {
  GridSpec s;
  s.crs = kCrs;
  s.nx = 10;
  s.ny = 10;
  s.dx = 1000.0;
  s.dy = 1000.0;
  s.x0 = -5000.0;
  s.y0 = -5000.0;
  s.layer_tops = {50.0, 100.0};
  return Grid(s);
}

const char* kEnterprises =
    "# unit: g/s\n"
    "id,name,industry,grade,exempt,exempt_reason,district,x,y,so2,nox,pm25,pm10,vocs,nh3\n"
    "E1,Plant one,power,A,true,heat supply,North,0,0,100,50,10,12,1,0\n"
    "E2,Works two,cement,C,false,,South,2000,-2000,7,8,9,10,11,12\n";
const char* kStacks =
    "id,enterprise,x,y,height,diameter,velocity,temperature\n"
    "S1,E1,10,10,180,6,20,400\n"
    "S2,E1,20,10,180,6,20,400\n"
    "S3,E1,30,10,60,2,12,350\n";
const char* kLines =
    "id,enterprise,name,stacks,share_so2,share_nox,share_pm25,share_pm10,share_vocs,share_nh3,can_stop,min_load,lost_output_per_hour\n"
    "L1,E1,Unit 1,S1;S2,0.6,0.6,0.6,0.6,0.6,0,false,0.4,120000\n"
    "L2,E1,Coal yard,,0.3,0,0.3,0.3,0,0,true,0,1000\n";

InventoryFiles write_all(const TempDir& d, const std::string& enterprises = kEnterprises,
                         const std::string& stacks = kStacks, const std::string& lines = kLines) {
  InventoryFiles f;
  f.enterprises = d.write("enterprises.csv", enterprises);
  f.stacks = d.write("stacks.csv", stacks);
  f.lines = d.write("lines.csv", lines);
  return f;
}

/// The message of the lantian::Error thrown by reading `files`, or "" when none is thrown.
std::string error_of(const InventoryFiles& files, const Grid* grid = nullptr) {
  try {
    read_inventory(files, grid);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("enterprises, stacks and lines are read and split", "[emissions][csv]") {
  const TempDir d;
  const Inventory inv = read_inventory(write_all(d));
  REQUIRE(inv.enterprises.size() == 2);
  REQUIRE(inv.stacks.size() == 3);
  REQUIRE(inv.lines.size() == 2);
  const Enterprise& e1 = inv.enterprises[0];
  CHECK(e1.grade == Grade::A);
  CHECK(e1.exempt);
  CHECK(e1.exempt_reason == "heat supply");
  CHECK(e1.category == "industrial waste gas");  // the industry default (DOMAIN.md §6)
  CHECK(inv.enterprises[1].grade == Grade::C);
  CHECK(inv.lines[0].stacks == std::vector<std::size_t>{0, 1});
  CHECK_FALSE(inv.lines[0].can_stop);
  CHECK(inv.lines[0].min_load == 0.4);

  // SO2 of E1 = 100 g/s. L1 (share 0.6) -> S1, S2: 30 g/s each; L2 (0.3, no stack) -> ground
  // 30 g/s; the rest 0.1 -> 10 g/s split among S1, S2, S3: 10/3 each.
  const std::vector<Rates> st = stack_emissions(inv);
  CHECK(st[0][index(EmittedPollutant::so2)] == Approx(30.0 + 10.0 / 3.0).epsilon(1e-14));
  CHECK(st[1][index(EmittedPollutant::so2)] == Approx(30.0 + 10.0 / 3.0).epsilon(1e-14));
  CHECK(st[2][index(EmittedPollutant::so2)] == Approx(10.0 / 3.0).epsilon(1e-14));
  const std::vector<GroundRelease> g = ground_releases(inv);
  REQUIRE(g.size() == 2);  // E1 (coal yard) and E2 (no stack at all)
  CHECK(g[0].rates[index(EmittedPollutant::so2)] == Approx(30.0).epsilon(1e-14));
  // NOx of E1 = 50: L1 0.6 -> 15 per stack; rest 0.4 -> 20/3 each of three stacks; no ground NOx.
  CHECK(st[2][index(EmittedPollutant::nox)] == Approx(20.0 / 3.0).epsilon(1e-14));
  CHECK(g[0].rates[index(EmittedPollutant::nox)] == 0.0);
  // E2 has no stack: everything at ground level at its site.
  CHECK(g[1].rates == inv.enterprises[1].rates);
  CHECK(g[1].position.x == 2000.0);

  // Mass: stacks + ground = enterprise totals, per pollutant.
  for (EmittedPollutant p : kAllEmittedPollutants) {
    double sum = 0.0, ref = 0.0;
    for (const Rates& r : st) sum += r[index(p)];
    for (const GroundRelease& r : g) sum += r.rates[index(p)];
    for (const Enterprise& e : inv.enterprises) ref += e.rates[index(p)];
    CHECK(sum == Approx(ref).epsilon(1e-14));
  }
}

TEST_CASE("rates in t/yr and kg/h are converted once at reading", "[emissions][csv]") {
  const TempDir d;
  InventoryFiles f;
  f.enterprises = d.write("enterprises.csv",
                          "id,name,industry,grade,district,x,y,unit,so2,nox\n"
                          "E1,a,steel,B,N,0,0,t/yr,1000,\n"
                          "E2,b,steel,leading,N,0,0,kg/h,36,72\n");
  const Inventory inv = read_inventory(f);
  // 1000 t/yr = 1000 * 1e6 / 31536000 g/s = 31.709791983764585 g/s; a blank rate is 0.
  CHECK(inv.enterprises[0].rates[0] == Approx(31.709791983764585).epsilon(1e-15));
  CHECK(inv.enterprises[0].rates[1] == 0.0);
  // 36 kg/h = 10 g/s, 72 kg/h = 20 g/s.
  CHECK(inv.enterprises[1].rates[0] == Approx(10.0).epsilon(1e-15));
  CHECK(inv.enterprises[1].rates[1] == Approx(20.0).epsilon(1e-15));
  CHECK(inv.enterprises[1].grade == Grade::leading);
}

TEST_CASE("area sources, roads and profiles", "[emissions][csv]") {
  const TempDir d;
  const Grid grid = demo_grid();
  InventoryFiles f;
  f.profiles = d.write("profiles.csv",
                       "profile,axis,factors\n"
                       "residential_heating,month,3 3 2 1 0 0 0 0 0 1 2 3\n"
                       "night,hour,\"5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5;5\"\n"
                       "night,weekday,1 1 1 1 1 2 2\n");
  // The second source is given in lon/lat: (118.8E, 32N) is the projection's origin (0, 0).
  f.area_sources = d.write("area_sources.csv",
                           "id,name,sector,district,geometry,crs,unit,so2,pm25,profile\n"
                           "A1,heating,residential_heating,North,\"POLYGON((-1000 -1000, 1000 -1000, 1000 1000, -1000 1000, -1000 -1000))\",grid,t/yr,100,50,\n"
                           "A2,catering,catering,South,\"POLYGON((118.79 31.99, 118.81 31.99, 118.81 32.01, 118.79 32.01))\",lonlat,g/s,0,2,night\n");
  f.roads = d.write("roads.csv",
                    "# unit: kg/h\n"
                    "id,name,district,geometry,width,nox,pm25\n"
                    "R1,Ring road,North,\"LINESTRING(-3000 0, 3000 0, 3000 2000)\",24,3.6,0.36\n");
  const Inventory inv = read_inventory(f, &grid);
  REQUIRE(inv.areas.size() == 2);
  REQUIRE(inv.roads.size() == 1);
  REQUIRE(inv.profiles.size() == 2);
  // The heating profile: month factors sum to 15, normalised by 12/15 -> January 3 * 0.8 = 2.4.
  const TemporalProfile& heat = inv.profile(inv.areas[0].profile);
  CHECK(heat.id == "residential_heating");  // found by the sector's name
  CHECK(heat.month[0] == Approx(2.4).epsilon(1e-15));
  CHECK(heat.hour[5] == 1.0);
  // "night": all 5 -> 1 after normalisation; weekday sum 9 -> weekend 2 * 7/9.
  const TemporalProfile& night = inv.profile(inv.areas[1].profile);
  CHECK(night.hour[0] == Approx(1.0).epsilon(1e-15));
  CHECK(night.weekday[6] == Approx(14.0 / 9.0).epsilon(1e-15));
  CHECK(inv.areas[0].polygons[0].outer.size() == 4);  // closing vertex dropped
  CHECK(area(inv.areas[0].polygons[0]) == Approx(4.0e6).epsilon(1e-15));
  CHECK(inv.areas[0].category == "residential coal burning");
  // lon/lat vertices projected through the grid's PROJ transformation.
  const XY p = grid.project(118.79, 31.99);
  CHECK(inv.areas[1].polygons[0].outer[0].x == Approx(p.x).epsilon(1e-12));
  CHECK(inv.areas[1].polygons[0].outer[0].x < 0.0);
  CHECK(inv.areas[1].rates[index(EmittedPollutant::pm25)] == 2.0);
  // Road: 3.6 kg/h NOx = 1 g/s; sector defaults to road_traffic.
  CHECK(inv.roads[0].rates[index(EmittedPollutant::nox)] == Approx(1.0).epsilon(1e-15));
  CHECK(inv.roads[0].sector == Sector::road_traffic);
  CHECK(inv.roads[0].path.size() == 3);
  CHECK(inv.roads[0].profile == -1);  // no road_traffic profile: flat
}

TEST_CASE("bad input names file, line, column and what was expected", "[emissions][csv]") {
  const TempDir d;
  const std::string header = "id,name,industry,grade,district,x,y,unit,so2,nox\n";
  SECTION("negative rate") {
    const auto f = write_all(d, header + "E1,a,steel,B,N,0,0,g/s,1,2\nE2,b,steel,B,N,0,0,g/s,-1,2\n", "id,enterprise,x,y,height,diameter,velocity,temperature\n", "id,enterprise,name,share_so2\n");
    const std::string m = error_of(f);
    CHECK_THAT(m, Catch::Contains("enterprises.csv:3: column 9 (so2)"));
    CHECK_THAT(m, Catch::Contains("non-negative"));
  }
  SECTION("NaN rate") {
    const auto f = write_all(d, header + "E1,a,steel,B,N,0,0,g/s,NaN,2\n");
    CHECK_THAT(error_of(f), Catch::Contains("enterprises.csv:2: column 9 (so2)") && Catch::Contains("not a number"));
  }
  SECTION("unknown unit") {
    const auto f = write_all(d, header + "E1,a,steel,B,N,0,0,t/month,1,2\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 8 (unit)") && Catch::Contains("g/s, kg/h or t/yr"));
  }
  SECTION("no unit at all") {
    const auto f = write_all(d, "id,name,industry,grade,district,x,y,so2\nE1,a,steel,B,N,0,0,1\n");
    CHECK_THAT(error_of(f), Catch::Contains("no rate unit"));
  }
  SECTION("duplicate id") {
    const auto f = write_all(d, header + "E1,a,steel,B,N,0,0,g/s,1,2\nE1,b,steel,B,N,0,0,g/s,1,2\n");
    CHECK_THAT(error_of(f), Catch::Contains("enterprises.csv:3: column 1 (id)") && Catch::Contains("duplicate id 'E1' (first on line 2)"));
  }
  SECTION("unknown grade with a suggestion") {
    const auto f = write_all(d, header + "E1,a,steel,leadng,N,0,0,g/s,1,2\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 4 (grade)") && Catch::Contains("did you mean 'leading'?"));
  }
  SECTION("zero diameter") {
    const auto f = write_all(d, kEnterprises, "id,enterprise,x,y,height,diameter,velocity,temperature\nS1,E1,0,0,100,0,10,400\n",
                             "id,enterprise,name,share_so2\n");
    CHECK_THAT(error_of(f), Catch::Contains("stacks.csv:2: column 6 (diameter)") && Catch::Contains("positive stack diameter"));
  }
  SECTION("temperature in Celsius") {
    const auto f = write_all(d, kEnterprises, "id,enterprise,x,y,height,diameter,velocity,temperature\nS1,E1,0,0,100,2,10,120\n",
                             "id,enterprise,name,share_so2\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 8 (temperature)") && Catch::Contains("Celsius"));
  }
  SECTION("stack of an unknown enterprise") {
    const auto f = write_all(d, kEnterprises, "id,enterprise,x,y,height,diameter,velocity,temperature\nS1,E3,0,0,100,2,10,400\n",
                             "id,enterprise,name,share_so2\n");
    CHECK_THAT(error_of(f), Catch::Contains("stacks.csv:2: column 2 (enterprise)") && Catch::Contains("unknown enterprise 'E3' (did you mean 'E1'?)"));
  }
  SECTION("line shares above 1") {
    const auto f = write_all(d, kEnterprises, kStacks,
                             "id,enterprise,name,share_so2\nL1,E1,a,0.7\nL2,E2,b,0.7\nL3,E1,c,0.4\n");
    CHECK_THAT(error_of(f), Catch::Contains("lines.csv:4: column 4 (share_so2)") && Catch::Contains("sum to 1.1"));
  }
  SECTION("line using another enterprise's stack") {
    const auto f = write_all(d, kEnterprises, kStacks, "id,enterprise,name,stacks,share_so2\nL1,E2,a,S1,0.5\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 4 (stacks)") && Catch::Contains("belongs to enterprise 'E1'"));
  }
  SECTION("unknown column with a suggestion") {
    const auto f = write_all(d, kEnterprises, "id,enterprise,x,y,height,diametre,velocity,temperature\n", "id,enterprise,name,share_so2\n");
    CHECK_THAT(error_of(f), Catch::Contains("stacks.csv:1: column 6") && Catch::Contains("did you mean 'diameter'?"));
  }
  SECTION("unknown sector with a suggestion") {
    InventoryFiles f;
    f.area_sources = d.write("area_sources.csv", "# unit: t/yr\nid,sector,district,geometry,so2\nA1,catring,N,\"POLYGON((0 0,1 0,1 1))\",1\n");
    CHECK_THAT(error_of(f), Catch::Contains("area_sources.csv:3: column 2 (sector)") && Catch::Contains("did you mean 'catering'?"));
  }
  SECTION("bad WKT") {
    InventoryFiles f;
    f.area_sources = d.write("area_sources.csv", "# unit: t/yr\nid,sector,district,geometry,so2\nA1,catering,N,\"POLYGON((0 0,1 0))\",1\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 4 (geometry)") && Catch::Contains("at least 3 distinct vertices"));
  }
  SECTION("source outside the domain") {
    const Grid grid = demo_grid();
    const auto f = write_all(d, kEnterprises, "id,enterprise,x,y,height,diameter,velocity,temperature\nS1,E1,9000,0,100,2,10,400\n",
                             "id,enterprise,name,share_so2\n");
    CHECK_THAT(error_of(f, &grid), Catch::Contains("stacks.csv:2: column 3 (x)") && Catch::Contains("outside the domain"));
    CHECK(error_of(f).empty());  // no grid: the domain is not checked
  }
  SECTION("lon/lat without a grid") {
    InventoryFiles f;
    f.roads = d.write("roads.csv", "# unit: t/yr\nid,district,geometry,crs,nox\nR1,N,\"LINESTRING(118 32, 119 32)\",lonlat,1\n");
    CHECK_THAT(error_of(f), Catch::Contains("need the case grid"));
  }
  SECTION("unknown profile") {
    InventoryFiles f;
    f.profiles = d.write("profiles.csv", "profile,axis,factors\nnight,hour,1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n");
    f.roads = d.write("roads.csv", "# unit: t/yr\nid,district,geometry,nox,profile\nR1,N,\"LINESTRING(0 0, 1 1)\",1,nigth\n");
    CHECK_THAT(error_of(f), Catch::Contains("column 5 (profile)") && Catch::Contains("did you mean 'night'?"));
  }
  SECTION("profile with the wrong number of factors") {
    InventoryFiles f;
    f.profiles = d.write("profiles.csv", "profile,axis,factors\nx,weekday,1 1 1 1 1 1\n");
    CHECK_THAT(error_of(f), Catch::Contains("profiles.csv:2: column 3 (factors)") && Catch::Contains("expected 7 factors"));
  }
}
