// CF NetCDF and CSV outputs of an Eulerian run (forecast/model_output.hpp): a 6 x 5 x 3 model
// with known fields written for two hours and read back with the NetCDF C API. References: the
// model's own fields combined here with the PM2.5 reconstruction written out by hand
// (PPM25 + 1.375 SO4 + 1.29 NO3 + SOA), Grid::lonlat, the layer tops of the spec, the PROJ string's
// own parameters, and HourBudget's fields.
//
// With LANTIAN_NC_SAMPLE_OUT=<path> the first test also copies its file there, for the Python
// checks (python/tests/test_model_output_netcdf.py reads LANTIAN_NC_SAMPLE).
#include <catch2/catch.hpp>
#include <netcdf.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/temp_dir.hpp"
#include "meteo/met_state.hpp"
#include "forecast/model_output.hpp"
#include "solver/eulerian_model.hpp"

using namespace lantian;
using namespace lantian::solver;
using lantian::emissions::EmissionRates;
using Catch::Matchers::Contains;

namespace {

constexpr UtcHour kStart = 481112;  // 2024-11-19T08:00Z (16:00 in Beijing)
constexpr const char* kDemoCrs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";

/// 6 x 5 cells of 3 km around Nanjing, layers 0-50, 50-200, 200-600 m.
Grid small_grid() {
  GridSpec s;
  s.crs = kDemoCrs;
  s.nx = 6, s.ny = 5, s.dx = 3000.0, s.dy = 3000.0, s.x0 = -9000.0, s.y0 = -7500.0;
  s.layer_tops = {50.0, 200.0, 600.0};
  return Grid(s);
}

/// Fields that differ in every cell and species: f (1 + 0.1 i + 0.07 j + 0.05 k + 0.03 s) * 10.
SpeciesFields known_fields(const Grid& g, double f) {
  SpeciesFields c = zero_species_fields(g.nx(), g.ny(), g.nz());
  for (Species s : kAllSpecies)
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i)
          c[index(s)](i, j, k) = 10.0 * f * (1.0 + 0.1 * i + 0.07 * j + 0.05 * k + 0.03 * static_cast<double>(index(s)));
  return c;
}

SpeciesFields scaled(const SpeciesFields& c, double f) {
  SpeciesFields out = c;
  for (auto& field : out)
    for (int k = 0; k < field.nz(); ++k)
      for (int j = 0; j < field.ny(); ++j)
        for (int i = 0; i < field.nx(); ++i) field(i, j, k) *= f;
  return out;
}

/// A model with two tags (a quarter and three quarters of the known fields).
EulerianModel tagged_model(const Grid& g) {
  EulerianConfig cfg;
  cfg.n_tags = 2;
  const SpeciesFields c = known_fields(g, 1.0);
  return EulerianModel(g, cfg, c, {scaled(c, 0.25), scaled(c, 0.75)});
}

/// One hour in a 3 m/s westerly with T = 275 K, RH 85 %, Kz 10 m²/s and no emissions.
void advance_one_hour(EulerianModel& m, UtcHour t) {
  const Grid& g = m.grid();
  meteo::MetState met = meteo::MetState::zeros(g, t);
  met.t.fill(275.0);
  met.rh.fill(85.0);
  met.pblh.fill(500.0);
  met.ustar.fill(0.3);
  met.obukhov.fill(std::numeric_limits<double>::infinity());
  met.u.fill(3.0);
  met.kz.fill(10.0);
  EmissionRates none;
  for (auto& r : none.rate) r = Field3D<double>(g.nx(), g.ny(), g.nz());
  m.advance(met, none, std::vector<EmissionRates>(2), t);
}

/// PM2.5 of layer 0 written out from species.hpp's documented reconstruction.
double pm25_by_hand(const EulerianModel& m, int i, int j) {
  return m.field(Species::ppm25)(i, j, 0) + 1.375 * m.field(Species::so4)(i, j, 0) +
         1.29 * m.field(Species::no3)(i, j, 0) + m.field(Species::soa)(i, j, 0);
}

NetcdfOutputOptions all_outputs() {
  NetcdfOutputOptions o;
  o.fields_3d = true;
  o.tags = true;
  o.tag_names = {"boundary", "city"};
  o.title = "unit test";
  o.history = "written by test_model_output";
  return o;
}

/// The value of (t, j, i) (or (t, k, j, i)) in a record-major array read with NetcdfFile::read.
double at(const std::vector<double>& v, std::size_t outer, std::size_t plane, int j, int i, int nx) {
  return v[outer * plane + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx) + static_cast<std::size_t>(i)];
}

}  // namespace

TEST_CASE("hourly NetCDF: dimensions, values, coordinates and CF attributes read back", "[model-output][netcdf]") {
  const test::TempDir dir;
  const std::string path = (dir.path() / "fields.nc").string();
  const Grid g = small_grid();
  EulerianModel m = tagged_model(g);

  // Hour 1: the initial state; hour 2: after one hour of transport, chemistry and deposition.
  std::vector<std::vector<double>> pm25_expected(2), so4_3d_expected(2), tag1_expected(2), pm10_expected(2);
  auto remember = [&](std::size_t h) {
    for (int j = 0; j < g.ny(); ++j)
      for (int i = 0; i < g.nx(); ++i) {
        pm25_expected[h].push_back(pm25_by_hand(m, i, j));
        pm10_expected[h].push_back(pm25_by_hand(m, i, j) + m.field(Species::pmc)(i, j, 0));
        tag1_expected[h].push_back(m.surface_pm25_tag(1, i, j));
      }
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i) so4_3d_expected[h].push_back(m.field(Species::so4)(i, j, k));
  };
  {
    HourlyNetcdfWriter w(path, g, TimeZone("Asia/Shanghai"), all_outputs());
    w.write_hour(kStart, m);
    remember(0);
    advance_one_hour(m, kStart);
    w.write_hour(kStart + 1, m);
    remember(1);
    CHECK(w.records() == 2);
    w.close();
  }
  REQUIRE(pm25_expected[0] != pm25_expected[1]);  // the second record differs from the first

  // Format, unlimited time and chunking/compression through the C API.
  {
    int nc = 0, format = 0, unlimited = -1, var = -1, shuffle = 0, deflate = 0, level = 0, storage = 0;
    REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
    CHECK(nc_inq_format(nc, &format) == NC_NOERR);
    CHECK(format == NC_FORMAT_NETCDF4_CLASSIC);
    CHECK(nc_inq_unlimdim(nc, &unlimited) == NC_NOERR);
    int time_dim = -1;
    CHECK(nc_inq_dimid(nc, "time", &time_dim) == NC_NOERR);
    CHECK(unlimited == time_dim);
    REQUIRE(nc_inq_varid(nc, "SO4", &var) == NC_NOERR);
    CHECK(nc_inq_var_deflate(nc, var, &shuffle, &deflate, &level) == NC_NOERR);
    CHECK((shuffle == 1 && deflate == 1 && level == 1));
    std::size_t chunks[4] = {};
    CHECK(nc_inq_var_chunking(nc, var, &storage, chunks) == NC_NOERR);
    CHECK(storage == NC_CHUNKED);
    CHECK((chunks[0] == 1 && chunks[1] == 3 && chunks[2] == 5 && chunks[3] == 6));
    nc_type type = 0;
    CHECK(nc_inq_vartype(nc, var, &type) == NC_NOERR);
    CHECK(type == NC_FLOAT);
    nc_close(nc);
  }

  const NetcdfFile f(path);
  const auto len = [&](const char* name) { return f.dim_len(*f.dim(name)); };
  CHECK(len("time") == 2);
  CHECK(len("z") == 3);
  CHECK(len("y") == 5);
  CHECK(len("x") == 6);
  CHECK(len("tag") == 2);

  // Global attributes.
  CHECK(f.text_att(NetcdfFile::kGlobal, "Conventions") == "CF-1.8");
  CHECK(f.text_att(NetcdfFile::kGlobal, "title") == "unit test");
  CHECK(f.text_att(NetcdfFile::kGlobal, "institution") == "lantian");
  CHECK(f.text_att(NetcdfFile::kGlobal, "history") == "written by test_model_output");
  CHECK_THAT(f.text_att(NetcdfFile::kGlobal, "source"), Contains("lantian"));
  CHECK_THAT(f.text_att(NetcdfFile::kGlobal, "comment"), Contains("PM2.5 = PPM25 + 1.375 SO4 + 1.29 NO3 + SOA"));
  CHECK(f.text_att(NetcdfFile::kGlobal, "local_time_zone") == "Asia/Shanghai");

  // Time: hours since 1970 of the two records, hour-beginning (docs/time-labels.md). Until
  // issue 12 the records were labelled by their valid instants, {481112, 481113}; now the state
  // valid at 481113 (after the hour from 481112) is labelled 481112, bounds [481112, 481113],
  // as stations.csv and scenario_series.csv label that hour, and the initial state (valid at
  // the start) is the end of the hour before it.
  const int vt = *f.var("time");
  CHECK(f.read(vt) == std::vector<double>{481111.0, 481112.0});
  CHECK(f.text_att(vt, "units") == "hours since 1970-01-01 00:00:00");
  CHECK(f.text_att(vt, "calendar") == "standard");
  CHECK(f.text_att(vt, "standard_name") == "time");
  CHECK(f.text_att(vt, "bounds") == "time_bnds");
  CHECK_THAT(f.text_att(vt, "comment"), Contains("END of that hour"));
  CHECK(f.dim_names(*f.var("time_bnds")) == std::vector<std::string>{"time", "nv"});
  CHECK(f.read(*f.var("time_bnds")) == std::vector<double>{481111.0, 481112.0, 481112.0, 481113.0});
  CHECK(f.text_att(*f.var("PM25_sfc"), "cell_methods").empty());  // none is truthful (model_output.cpp)
  CHECK_THAT(f.text_att(*f.var("PM25_sfc"), "comment"), Contains("end of the time interval"));

  // x, y: cell centres (-7500, -4500, ... and -6000, -3000, ...); z: mid-layers and bounds.
  const int vx = *f.var("x"), vy = *f.var("y"), vz = *f.var("z");
  CHECK(f.read(vx) == std::vector<double>{-7500.0, -4500.0, -1500.0, 1500.0, 4500.0, 7500.0});
  CHECK(f.read(vy) == std::vector<double>{-6000.0, -3000.0, 0.0, 3000.0, 6000.0});
  CHECK(f.text_att(vx, "standard_name") == "projection_x_coordinate");
  CHECK(f.text_att(vy, "standard_name") == "projection_y_coordinate");
  CHECK(f.text_att(vx, "units") == "m");
  CHECK(f.read(vz) == std::vector<double>{25.0, 125.0, 400.0});
  CHECK(f.text_att(vz, "positive") == "up");
  CHECK(f.text_att(vz, "bounds") == "z_bnds");
  CHECK(f.read(*f.var("z_bnds")) == std::vector<double>{0.0, 50.0, 50.0, 200.0, 200.0, 600.0});

  // lat/lon: Grid::lonlat exactly (stored as double).
  const std::vector<double> lat = f.read(*f.var("lat")), lon = f.read(*f.var("lon"));
  for (int j = 0; j < g.ny(); ++j)
    for (int i = 0; i < g.nx(); ++i) {
      CHECK(at(lat, 0, 0, j, i, g.nx()) == g.lonlat(i, j).lat);
      CHECK(at(lon, 0, 0, j, i, g.nx()) == g.lonlat(i, j).lon);
    }
  CHECK(f.text_att(*f.var("lat"), "units") == "degrees_north");
  CHECK(f.text_att(*f.var("lon"), "units") == "degrees_east");
  CHECK(lat[0] == Approx(32.0 - 6000.0 / 111000.0).margin(0.01));  // ~6 km south of lat_0

  // Grid mapping: the PROJ string's parameters, WKT and the string itself.
  const int vc = *f.var("crs");
  CHECK(f.text_att(vc, "grid_mapping_name") == "lambert_conformal_conic");
  CHECK(f.numbers(vc, "standard_parallel") == std::vector<double>{25.0, 47.0});
  CHECK(f.num_att(vc, "longitude_of_central_meridian") == 118.8);
  CHECK(f.num_att(vc, "latitude_of_projection_origin") == 32.0);
  CHECK(f.num_att(vc, "false_easting") == 0.0);
  CHECK(f.num_att(vc, "false_northing") == 0.0);
  CHECK(f.num_att(vc, "semi_major_axis") == 6378137.0);
  CHECK(f.num_att(vc, "inverse_flattening").value_or(0.0) == Approx(298.257223563).epsilon(1e-12));
  CHECK_THAT(f.text_att(vc, "crs_wkt"), Contains("Lambert Conic Conformal (2SP)"));
  CHECK(f.text_att(vc, "proj4_params") == kDemoCrs);

  // Data variables' attributes.
  const int vpm = *f.var("PM25_sfc");
  CHECK(f.dim_names(vpm) == std::vector<std::string>{"time", "y", "x"});
  CHECK(f.text_att(vpm, "units") == "ug m-3");
  CHECK(f.text_att(vpm, "standard_name") == "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air");
  CHECK(f.text_att(vpm, "coordinates") == "lat lon");
  CHECK(f.text_att(vpm, "grid_mapping") == "crs");
  CHECK(f.num_att(vpm, "_FillValue") == Approx(9.969209968386869e36));
  CHECK(f.text_att(*f.var("SO2_sfc"), "standard_name") == "mass_concentration_of_sulfur_dioxide_in_air");
  CHECK(f.text_att(*f.var("PM10_sfc"), "standard_name") == "mass_concentration_of_pm10_ambient_aerosol_particles_in_air");
  CHECK(f.text_att(*f.var("NOx_sfc"), "standard_name").empty());
  CHECK(f.dim_names(*f.var("SO4")) == std::vector<std::string>{"time", "z", "y", "x"});
  CHECK(f.dim_names(*f.var("PM25_tag")) == std::vector<std::string>{"time", "tag", "y", "x"});
  CHECK(f.text_att(*f.var("PM25_tag"), "coordinates") == "tag_name lat lon");
  for (Species s : kAllSpecies) {
    CHECK(f.var(std::string(species_name(s)) + "_sfc").has_value());
    CHECK(f.var(std::string(species_name(s))).has_value());
  }

  // Values: float of the model's values, record by record.
  const std::size_t plane = 30;
  const std::vector<double> pm25 = f.read(vpm), pm10 = f.read(*f.var("PM10_sfc")), so4 = f.read(*f.var("SO4")),
                            tags = f.read(*f.var("PM25_tag"));
  REQUIRE(pm25.size() == 2 * plane);
  REQUIRE(so4.size() == 2 * 3 * plane);
  REQUIRE(tags.size() == 2 * 2 * plane);
  for (std::size_t h = 0; h < 2; ++h) {
    for (std::size_t n = 0; n < plane; ++n) {
      CHECK(pm25[h * plane + n] == Approx(pm25_expected[h][n]).epsilon(1e-7));
      CHECK(pm10[h * plane + n] == Approx(pm10_expected[h][n]).epsilon(1e-7));
      CHECK(tags[(2 * h + 1) * plane + n] == Approx(tag1_expected[h][n]).epsilon(1e-7));
      // the tags add up to the total (no inflow)
      CHECK(tags[2 * h * plane + n] + tags[(2 * h + 1) * plane + n] == Approx(pm25_expected[h][n]).epsilon(1e-6));
    }
    for (std::size_t n = 0; n < 3 * plane; ++n)
      CHECK(so4[h * 3 * plane + n] == static_cast<float>(so4_3d_expected[h][n]));
  }
  // First record, cell (2, 1): PPM25 = 10 (1.27 + 0.12), SO4 = 10 (1.27 + 0.18), NO3 = 10 (1.27 + 0.21),
  // SOA = 10 (1.27 + 0.24) by the formula of known_fields.
  CHECK(at(pm25, 0, plane, 1, 2, 6) ==
        Approx(13.9 + 1.375 * 14.5 + 1.29 * 14.8 + 15.1).epsilon(1e-7));
  const std::string names = f.read_text(*f.var("tag_name"));
  CHECK(names == std::string("boundary") + std::string("city\0\0\0\0", 8));

  if (const char* out = std::getenv("LANTIAN_NC_SAMPLE_OUT"))
    std::filesystem::copy_file(path, out, std::filesystem::copy_options::overwrite_existing);
}

TEST_CASE("hourly NetCDF: surface only, no compression", "[model-output][netcdf]") {
  const test::TempDir dir;
  const std::string path = (dir.path() / "surface.nc").string();
  const Grid g = small_grid();
  const EulerianModel m(g, EulerianConfig{}, known_fields(g, 2.0));
  NetcdfOutputOptions o;
  o.deflate_level = 0;
  HourlyNetcdfWriter w(path, g, TimeZone("Asia/Shanghai"), o);
  w.write_hour(kStart, m);
  w.close();
  w.close();  // a second close does nothing
  const NetcdfFile f(path);
  CHECK_FALSE(f.dim("z").has_value());
  CHECK_FALSE(f.dim("tag").has_value());
  CHECK_FALSE(f.var("SO2").has_value());
  CHECK_FALSE(f.var("PM25_tag").has_value());
  CHECK(f.text_att(NetcdfFile::kGlobal, "title") == "lantian Eulerian model output");
  const std::vector<double> so2 = f.read(*f.var("SO2_sfc"));
  REQUIRE(so2.size() == 30);
  CHECK(so2[0] == static_cast<float>(20.0));
  CHECK(so2[29] == static_cast<float>(20.0 * (1.0 + 0.5 + 0.28)));
}

TEST_CASE("hourly NetCDF: bad use and I/O errors name the file", "[model-output][netcdf]") {
  const test::TempDir dir;
  const Grid g = small_grid();
  const TimeZone tz("Asia/Shanghai");
  const EulerianModel plain(g, EulerianConfig{}, known_fields(g, 1.0));

  SECTION("a folder that does not exist") {
    const std::string path = (dir.path() / "missing" / "out.nc").string();
    CHECK_THROWS_WITH(HourlyNetcdfWriter(path, g, tz, {}), Contains(path) && Contains("nc_create"));
  }
  SECTION("invalid options") {
    NetcdfOutputOptions o;
    o.deflate_level = 12;
    CHECK_THROWS_WITH(HourlyNetcdfWriter((dir.path() / "a.nc").string(), g, tz, o), Contains("netcdf.deflate_level"));
    o.deflate_level = 1;
    o.tags = true;
    CHECK_THROWS_WITH(HourlyNetcdfWriter((dir.path() / "a.nc").string(), g, tz, o), Contains("netcdf.tag_names"));
    o.tag_names = {"a", "a"};
    CHECK_THROWS_WITH(HourlyNetcdfWriter((dir.path() / "a.nc").string(), g, tz, o), Contains("duplicate tag name 'a'"));
  }
  SECTION("times that do not increase, a closed file") {
    const std::string path = (dir.path() / "t.nc").string();
    HourlyNetcdfWriter w(path, g, tz, {});
    w.write_hour(kStart, plain);
    CHECK_THROWS_WITH(w.write_hour(kStart, plain),
                      Contains(path) && Contains("must increase") && Contains("2024-11-19T08:00:00Z"));
    w.close();
    CHECK_THROWS_WITH(w.write_hour(kStart + 1, plain), Contains("closed"));
  }
  SECTION("a model on another grid, or without the file's tags") {
    GridSpec other = g.spec();
    other.nx = 7;
    const Grid g7(other);
    const EulerianModel wide(g7, EulerianConfig{}, known_fields(g7, 1.0));
    HourlyNetcdfWriter w((dir.path() / "g.nc").string(), g, tz, all_outputs());
    CHECK_THROWS_WITH(w.write_hour(kStart, wide), Contains("7 x 5 x 3") && Contains("6 x 5 x 3"));
    CHECK_THROWS_WITH(w.write_hour(kStart, plain), Contains("the file has 2 tags, the model 0"));
  }
}

TEST_CASE("CF grid mapping of other CRSs", "[model-output]") {
  SECTION("UTM zone 50N (EPSG:32650): transverse Mercator") {
    const CfGridMapping m = cf_grid_mapping("EPSG:32650");
    CHECK(m.grid_mapping_name == "transverse_mercator");
    const auto value = [&](const std::string& name) {
      for (const auto& [k, v] : m.parameters)
        if (k == name) return v;
      return std::vector<double>{};
    };
    CHECK(value("scale_factor_at_central_meridian") == std::vector<double>{0.9996});
    CHECK(value("longitude_of_central_meridian") == std::vector<double>{117.0});
    CHECK(value("false_easting") == std::vector<double>{500000.0});
    CHECK_THAT(m.crs_wkt, Contains("UTM zone 50N"));
    CHECK_THAT(m.proj4_params, Contains("+proj=utm") && Contains("+zone=50"));
  }
  SECTION("geographic (EPSG:4326)") {
    const CfGridMapping m = cf_grid_mapping("EPSG:4326");
    CHECK(m.grid_mapping_name == "latitude_longitude");
    CHECK_THAT(m.crs_wkt, Contains("WGS 84"));
  }
  SECTION("Albers equal-area conic") {
    const CfGridMapping m = cf_grid_mapping("+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m");
    CHECK(m.grid_mapping_name == "albers_conical_equal_area");
    REQUIRE(!m.parameters.empty());
    CHECK(m.parameters[0].first == "standard_parallel");
    CHECK(m.parameters[0].second == std::vector<double>{25.0, 47.0});
  }
  SECTION("a projection CF does not name keeps its WKT and PROJ string") {
    const std::string robinson = "+proj=robin +lon_0=105 +datum=WGS84 +units=m";
    const CfGridMapping m = cf_grid_mapping(robinson);
    CHECK(m.grid_mapping_name.empty());
    CHECK_THAT(m.crs_wkt, Contains("Robinson"));
    CHECK(m.proj4_params == robinson);
    CHECK(m.parameters.size() == 2);  // the ellipsoid only
  }
  SECTION("not a CRS") {
    CHECK_THROWS_WITH(cf_grid_mapping("+proj=nonsense"), Contains("+proj=nonsense"));
  }
}

TEST_CASE("station series CSV: local times, one row per station and hour", "[model-output]") {
  const TimeZone tz("Asia/Shanghai");
  // The model hours from 16:00 and 17:00 (hour-beginning: the rows carry the hours' starts,
  // where until issue 12 the caller passed their ends, 17:00 and 18:00).
  const std::vector<UtcHour> times{kStart, kStart + 1};
  const std::string csv =
      station_series_csv(times, {"1001A", "Xianlin, east"}, {{35.5, 40.25}, {12.0, 0.125}}, tz);
  CHECK(csv ==
        "time,station,pm25\n"
        "2024-11-19T16:00:00+08:00,1001A,35.5\n"
        "2024-11-19T17:00:00+08:00,1001A,40.25\n"
        "2024-11-19T16:00:00+08:00,\"Xianlin, east\",12\n"
        "2024-11-19T17:00:00+08:00,\"Xianlin, east\",0.125\n");
  CHECK_THROWS_WITH(station_series_csv(times, {"a"}, {{1.0}}, tz), Contains("station a") && Contains("expected 2"));
  CHECK_THROWS_WITH(station_series_csv(times, {"a", "b"}, {{1.0, 2.0}}, tz), Contains("one series per station"));
}

TEST_CASE("budget CSV: one row per hour and species, the budget's own figures", "[model-output]") {
  const Grid g = small_grid();
  EulerianModel m = tagged_model(g);
  m.set_stations({{1, 1}, {4, 3}});
  advance_one_hour(m, kStart);
  advance_one_hour(m, kStart + 1);
  const std::vector<HourBudget>& budgets = m.budgets();
  REQUIRE(budgets.size() == 2);

  const std::string csv = budget_csv(budgets, TimeZone("Asia/Shanghai"));
  const std::vector<std::string> header{"time",      "species",   "mass_before", "emitted",   "chemistry",
                                        "dry_deposited", "wet_deposited", "in_west", "in_east",   "in_south",
                                        "in_north",  "in_top",    "out_west",    "out_east",  "out_south",
                                        "out_north", "out_top",   "mass_after",  "residual"};
  std::istringstream lines(csv);
  std::string first;
  std::getline(lines, first);
  std::string joined;
  for (const std::string& h : header) joined += (joined.empty() ? "" : ",") + h;
  CHECK(first == joined);

  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  REQUIRE(rows.size() == 2 * kSpeciesCount);
  for (std::size_t h = 0; h < 2; ++h)
    for (Species s : kAllSpecies) {
      const std::vector<std::string>& r = rows[h * kSpeciesCount + index(s)];
      REQUIRE(r.size() == header.size());
      CHECK(r[0] == (h == 0 ? "2024-11-19T16:00:00+08:00" : "2024-11-19T17:00:00+08:00"));
      CHECK(r[1] == species_name(s));
      const HourBudget& b = budgets[h];
      const std::size_t n = index(s);
      // Shortest round-trip printing: every figure reads back exactly.
      CHECK(std::stod(r[2]) == b.mass_before[n]);
      CHECK(std::stod(r[4]) == b.chemistry[n]);
      CHECK(std::stod(r[5]) == b.dry_deposited[n]);
      CHECK(std::stod(r[7]) == b.inflow[0][n]);
      CHECK(std::stod(r[13]) == b.outflow[1][n]);
      CHECK(std::stod(r[17]) == b.mass_after[n]);
      CHECK(std::stod(r[18]) == b.residual(s));
      CHECK(std::abs(b.residual(s)) <= 1e-9 * b.mass_before[n]);
    }
  // The westerly carries mass out through the east side; sulfate forms, SO2 is lost.
  CHECK(std::stod(rows[index(Species::so2)][13]) > 0.0);
  CHECK(std::stod(rows[index(Species::so2)][4]) < 0.0);
  CHECK(std::stod(rows[index(Species::so4)][4]) > 0.0);

  // Station series of the same run, labelled by the hours' starts as budget.csv (until issue
  // 12 by their ends: the second hour was the row 18:00, now 17:00, the budget's second hour).
  const std::vector<UtcHour> times{kStart, kStart + 1};
  const std::string series = station_series_csv(times, {"A", "B"}, m.station_series(), TimeZone("Asia/Shanghai"));
  CHECK_THAT(series, Contains("2024-11-19T17:00:00+08:00,B," + fmt::format("{}", m.station_series()[1][1])));
  CHECK(rows[kSpeciesCount][0] == "2024-11-19T17:00:00+08:00");
  CHECK(m.station_series()[1][1] == Approx(m.surface_pm25(4, 3)));
}
