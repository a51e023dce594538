// The [meteo] and [emissions] sections of a case file (core/case_config.hpp): parsing, path
// resolution, unknown keys with suggestions, and validation errors naming file, line and key.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/case_config.hpp"
#include "core/error.hpp"

using namespace lantian;

namespace {

// Lines 1-13; the sections under test are appended from line 14 on.
const std::string kHead =
    "name = \"t\"\n"                                                  // 1
    "[period]\n"                                                      // 2
    "start = \"2024-12-11T08:00\"\n"                                  // 3
    "hours = 24\n"                                                    // 4
    "[grid]\n"                                                        // 5
    "crs = \"+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m\"\n"  // 6
    "nx = 4\n"                                                        // 7
    "ny = 4\n"                                                        // 8
    "dx = 1000\n"                                                     // 9
    "dy = 1000\n"                                                     // 10
    "x0 = -2000\n"                                                    // 11
    "y0 = -2000\n"                                                    // 12
    "layer_tops = [50, 200, 1000]\n";                                 // 13

CaseConfig load(const std::string& tail) { return load_case_string(kHead + tail, "case.toml", "/cases/c1"); }

/// The error of loading kHead + tail.
Error error_of(const std::string& tail) {
  try {
    (void)load(tail);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected lantian::Error");
  return Error("unreachable");
}

}  // namespace

TEST_CASE("[meteo] synthetic with overrides and [emissions] folder load", "[config][case][meteo]") {
  const CaseConfig c = load(
      "[meteo]\n"
      "source = \"synthetic\"\n"
      "kz_min = 0.2\n"
      "[meteo.synthetic]\n"
      "pblh_night = 120\n"
      "hours = 30\n"
      "start = \"2024-12-11T06:00\"\n"
      "[emissions]\n"
      "folder = \"inventory\"\n"
      "roads = \"/data/roads.csv\"\n");
  CHECK(c.meteo.source == MetSource::synthetic);
  CHECK(c.meteo.files.empty());
  REQUIRE(c.meteo.kz_min);
  CHECK(*c.meteo.kz_min == 0.2);
  REQUIRE(c.meteo.synthetic.pblh_night);
  CHECK(*c.meteo.synthetic.pblh_night == 120.0);  // integer accepted for a double
  CHECK(c.meteo.synthetic.hours == 30);
  CHECK(c.meteo.synthetic.start == "2024-12-11T06:00");
  CHECK_FALSE(c.meteo.synthetic.pblh_peak);       // absent: SyntheticEpisode's default applies
  CHECK(c.meteo.synthetic.any());
  CHECK(c.emissions.folder == "/cases/c1/inventory");
  CHECK(c.emissions.roads == "/data/roads.csv");   // absolute kept
  CHECK(c.emissions.enterprises.empty());
}

TEST_CASE("[meteo] wrf and station files resolve against the case folder", "[config][case][meteo]") {
  const CaseConfig w = load("[meteo]\nsource = \"wrf\"\nfiles = [\"met/a.nc\", \"met/b.nc\"]\nz0 = 0.3\n");
  CHECK(w.meteo.files == std::vector<std::string>{"/cases/c1/met/a.nc", "/cases/c1/met/b.nc"});
  CHECK(w.meteo.z0 == 0.3);
  const CaseConfig s =
      load("[meteo]\nsource = \"station\"\nfiles = [\"met/station.csv\"]\n[meteo.station]\nlon = 118.8\nlat = 32.0\n");
  CHECK(s.meteo.files == std::vector<std::string>{"/cases/c1/met/station.csv"});
  CHECK(s.meteo.station.lon == 118.8);
  CHECK(s.meteo.station.lat == 32.0);
}

TEST_CASE("a case without [meteo] or [emissions] still loads, paths.emissions is the folder", "[config][case]") {
  const CaseConfig c = load("[paths]\nemissions = \"inv\"\n");
  CHECK(c.meteo.source == MetSource::none);
  CHECK(c.emissions.folder == "/cases/c1/inv");
  CHECK(load("").emissions.empty());
}

TEST_CASE("unknown keys in [meteo] and [meteo.synthetic] are named with a suggestion", "[config][case][meteo]") {
  const Error e1 = error_of("[meteo]\nsource = \"synthetic\"\nkz_mim = 0.1\n");
  CHECK(e1.context().file == "case.toml");
  CHECK(e1.context().line == 16);
  CHECK_THAT(e1.what(), Catch::Contains("unknown key 'kz_mim' in [meteo]") && Catch::Contains("did you mean 'kz_min'"));

  const Error e2 = error_of("[meteo]\nsource = \"synthetic\"\n[meteo.synthetic]\npblh_nigth = 100\n");
  CHECK(e2.context().line == 17);
  CHECK_THAT(e2.what(), Catch::Contains("pblh_nigth") && Catch::Contains("did you mean 'pblh_night'"));

  const Error e3 = error_of("[emissions]\nfolder = \"inventory\"\nenterprise = \"e.csv\"\n");
  CHECK(e3.context().line == 16);
  CHECK_THAT(e3.what(), Catch::Contains("did you mean 'enterprises'"));
}

TEST_CASE("bad [meteo] values name the key and the line", "[config][case][meteo]") {
  const Error bad_source = error_of("[meteo]\nsource = \"wfr\"\nfiles = [\"a.nc\"]\n");
  CHECK(bad_source.context().where == "meteo.source");
  CHECK(bad_source.context().line == 15);
  CHECK_THAT(bad_source.what(), Catch::Contains("did you mean \"wrf\""));

  const Error no_files = error_of("[meteo]\nsource = \"cf\"\n");
  CHECK(no_files.context().where == "meteo.files");
  CHECK_THAT(no_files.what(), Catch::Contains("one or more CF NetCDF files"));

  const Error two_csv = error_of("[meteo]\nsource = \"station\"\nfiles = [\"a.csv\", \"b.csv\"]\n");
  CHECK(two_csv.context().where == "meteo.files");
  CHECK(two_csv.context().line == 16);
  CHECK_THAT(two_csv.what(), Catch::Contains("exactly one station-profile CSV, found 2"));

  const Error misplaced = error_of("[meteo]\nsource = \"wrf\"\nfiles = [\"a.nc\"]\n[meteo.synthetic]\nz0 = 1\n");
  CHECK_THAT(misplaced.what(), Catch::Contains("[meteo.synthetic] is for source = \"synthetic\""));

  const Error z0 = error_of("[meteo]\nsource = \"cf\"\nfiles = [\"a.nc\"]\nz0 = -1\n");
  CHECK(z0.context().where == "meteo.z0");
  CHECK(z0.context().line == 17);

  const Error start = error_of("[meteo]\nsource = \"synthetic\"\n[meteo.synthetic]\nstart = \"2024-13-01T00:00\"\n");
  CHECK(start.context().where == "meteo.synthetic.start");
  CHECK(start.context().line == 17);

  const Error lat = error_of("[meteo]\nsource = \"station\"\nfiles = [\"s.csv\"]\n[meteo.station]\nlat = 95\n");
  CHECK(lat.context().where == "meteo.station.lat");

  const Error empty = error_of("[emissions]\n");
  CHECK_THAT(empty.what(), Catch::Contains("expected the inventory"));
}

TEST_CASE("[[emissions.gridded]] files resolve against the case folder and may stand alone", "[config][case]") {
  const CaseConfig c = load(
      "[[emissions.gridded]]\n"                                    // 14
      "file = \"meic/res.nc\"\n"                                   // 15
      "sector = \"residential_heating\"\n"                         // 16
      "variables = {so2 = \"SO2\", nox = \"NOx\", nh3 = \"\"}\n"   // 17
      "[[emissions.gridded]]\n"                                    // 18
      "file = \"/data/ind.nc\"\n");                                // 19
  REQUIRE(c.emissions.gridded.size() == 2);
  CHECK(c.emissions.csv_empty());
  CHECK_FALSE(c.emissions.empty());
  const GriddedEmissionsConfig& g = c.emissions.gridded[0];
  CHECK(g.file == "/cases/c1/meic/res.nc");
  CHECK(g.sector == "residential_heating");
  using V = std::vector<std::pair<std::string, std::string>>;
  CHECK(g.variables == V{{"so2", "SO2"}, {"nox", "NOx"}, {"nh3", ""}});
  CHECK(c.emissions.gridded[1].file == "/data/ind.nc");
  CHECK(c.emissions.gridded[1].sector.empty());
  CHECK(c.emissions.gridded[1].variables.empty());
  CHECK(c.source.line("emissions.gridded[1].file") == 19);
}

TEST_CASE("[[emissions.gridded]] format = \"ioapi\" parses with its units and molar masses", "[config][case]") {
  const CaseConfig c = load(
      "[[emissions.gridded]]\n"                                       // 14
      "file = \"cmaq/emis_mole_all_2020.nc\"\n"                       // 15
      "format = \"ioapi\"\n"                                          // 16
      "sector = \"industry\"\n"                                       // 17
      "variables = {nox = \"NO + NO2\", voc = \"VOC\"}\n"            // 18
      "units = \"moles/s\"\n"                                         // 19
      "molar_mass = {voc = 58.1}\n"                                   // 20
      "[[emissions.gridded]]\n"                                       // 21
      "file = \"meic.nc\"\n");                                        // 22
  REQUIRE(c.emissions.gridded.size() == 2);
  const GriddedEmissionsConfig& g = c.emissions.gridded[0];
  CHECK(g.format == GriddedFormat::ioapi);
  CHECK(name(g.format) == "ioapi");
  CHECK(g.file == "/cases/c1/cmaq/emis_mole_all_2020.nc");
  CHECK(g.units == "moles/s");
  using V = std::vector<std::pair<std::string, std::string>>;
  CHECK(g.variables == V{{"nox", "NO + NO2"}, {"voc", "VOC"}});
  using M = std::vector<std::pair<std::string, double>>;
  CHECK(g.molar_mass == M{{"voc", 58.1}});
  CHECK(c.source.line("emissions.gridded[0].format") == 16);
  // The default is today's CF reader.
  CHECK(c.emissions.gridded[1].format == GriddedFormat::cf);
  CHECK(c.emissions.gridded[1].units.empty());
  CHECK(c.emissions.gridded[1].molar_mass.empty());
}

TEST_CASE("bad [[emissions.gridded]] format, units and molar masses are named with their line", "[config][case]") {
  const Error format = error_of(
      "[[emissions.gridded]]\n"    // 14
      "file = \"a.nc\"\n"          // 15
      "format = \"ioap\"\n");      // 16
  CHECK(format.context().file == "case.toml");
  CHECK(format.context().line == 16);
  CHECK(format.context().where == "emissions.gridded[0].format");
  CHECK_THAT(format.what(), Catch::Contains("expected \"cf\" or \"ioapi\", found \"ioap\"") &&
                                Catch::Contains("did you mean \"ioapi\""));

  const Error cf_units = error_of("[[emissions.gridded]]\nfile = \"a.nc\"\nunits = \"g/s\"\n");
  CHECK(cf_units.context().line == 16);
  CHECK(cf_units.context().where == "emissions.gridded[0].units");
  CHECK_THAT(cf_units.what(), Catch::Contains("units is for format = \"ioapi\"") &&
                                  Catch::Contains("format is \"cf\""));

  const Error mass = error_of(
      "[[emissions.gridded]]\nfile = \"a.nc\"\nformat = \"ioapi\"\nmolar_mass = {voc = -1}\n");
  CHECK(mass.context().line == 17);
  CHECK(mass.context().where == "emissions.gridded[0].molar_mass.voc");
  CHECK_THAT(mass.what(), Catch::Contains("expected a positive molar mass in g/mol"));
}

TEST_CASE("an unknown key in [[emissions.gridded]] is named with its line and a suggestion", "[config][case]") {
  const Error e = error_of(
      "[emissions]\n"              // 14
      "folder = \"inventory\"\n"   // 15
      "[[emissions.gridded]]\n"    // 16
      "file = \"a.nc\"\n"          // 17
      "sectr = \"industry\"\n");   // 18
  CHECK(e.context().file == "case.toml");
  CHECK(e.context().line == 18);
  CHECK_THAT(e.what(), Catch::Contains("unknown key 'sectr' in [emissions.gridded[0]]") &&
                           Catch::Contains("did you mean 'sector'"));
  const Error no_file = error_of("[[emissions.gridded]]\nsector = \"industry\"\n");
  CHECK_THAT(no_file.what(), Catch::Contains("missing required key 'file'"));
}

TEST_CASE("[model.boundary]: a regional model's file, its variables, units, composition and profile", "[config][case]") {
  const CaseConfig c = load(
      "[model]\n"                                                   // 14
      "[model.boundary]\n"                                          // 15
      "file = \"cams/pm2p5.nc\"\n"                                  // 16
      "format = \"cf\"\n"                                           // 17
      "variables = {PM25 = \"pm2p5\", PM10 = \"pm10\", SO4 = \"so4\"}\n"  // 18
      "units = \"kg m-3\"\n"                                        // 19
      "composition = {NO3 = 0.25, SOA = 0.1}\n"                     // 20
      "surface_depth_m = 800\n"                                     // 21
      "scale_height_m = 1500\n");                                   // 22
  const ModelConfig& m = c.model;
  CHECK(m.boundary_file == "/cases/c1/cams/pm2p5.nc");
  CHECK(m.boundary.format == BoundaryFormat::cf);
  CHECK(m.boundary.variables ==
        (std::vector<std::pair<std::string, std::string>>{{"PM25", "pm2p5"}, {"PM10", "pm10"}, {"SO4", "so4"}}));
  CHECK(m.boundary.units == "kg m-3");
  CHECK(m.boundary.composition == (std::vector<std::pair<std::string, double>>{{"NO3", 0.25}, {"SOA", 0.1}}));
  CHECK(m.boundary.surface_depth_m == 800.0);
  CHECK(m.boundary.scale_height_m == 1500.0);
  CHECK(m.boundary.any_cf_key());
  // The defaults: [model] boundary_file alone, format auto, no cf key.
  const CaseConfig d = load("[model]\nboundary_file = \"bc.csv\"\n");
  CHECK(d.model.boundary_file == "/cases/c1/bc.csv");
  CHECK(d.model.boundary.format == BoundaryFormat::auto_detect);
  CHECK_FALSE(d.model.boundary.any_cf_key());

  const Error quantity = error_of("[model.boundary]\nfile = \"a.nc\"\nvariables = {PM2_5 = \"pm2p5\"}\n");
  CHECK(quantity.context().line == 16);
  CHECK(quantity.context().where == "model.boundary.variables.PM2_5");
  CHECK_THAT(quantity.what(), Catch::Contains("expected PM25, PM10 or a model species") &&
                                  Catch::Contains("did you mean \"PM25\""));
  const Error sum = error_of("[model.boundary]\nfile = \"a.nc\"\ncomposition = {SO4 = 0.6, NO3 = 0.6}\n");
  CHECK(sum.context().line == 16);
  CHECK_THAT(sum.what(), Catch::Contains("summing to at most 1") && Catch::Contains("1.2"));
  const Error fraction = error_of("[model.boundary]\nfile = \"a.nc\"\ncomposition = {SO5 = 0.1}\n");
  CHECK_THAT(fraction.what(), Catch::Contains("expected SO4, NO3, SOA or PPM25") && Catch::Contains("did you mean \"SO4\""));
  const Error twice = error_of("[model]\nboundary_file = \"b.nc\"\n[model.boundary]\nfile = \"a.nc\"\n");
  CHECK(twice.context().line == 17);
  CHECK_THAT(twice.what(), Catch::Contains("given twice"));
  const Error format = error_of("[model.boundary]\nfile = \"a.nc\"\nformat = \"cams\"\n");
  CHECK(format.context().where == "model.boundary.format");
  CHECK_THAT(format.what(),
             Catch::Contains("expected \"auto\", \"csv\", \"lantian\", \"cf\" or \"cmaq\", found \"cams\""));
  // A CMAQ CONC file: species variables and the surface keys only.
  const CaseConfig cmaq = load("[model.boundary]\nfile = \"CCTM_CONC.nc\"\nformat = \"cmaq\"\nvariables = {SO4 = \"ASO4J\"}\n");
  CHECK(cmaq.model.boundary.format == BoundaryFormat::cmaq);
  const Error cmaq_units = error_of("[model.boundary]\nfile = \"c.nc\"\nformat = \"cmaq\"\nunits = \"ppmV\"\n");
  CHECK(cmaq_units.context().where == "model.boundary.units");
  CHECK_THAT(cmaq_units.what(), Catch::Contains("units is for format = \"cf\" (a CMAQ file is read by species"));
  const Error cmaq_pm = error_of("[model.boundary]\nfile = \"c.nc\"\nformat = \"cmaq\"\nvariables = {PM25 = \"PM25_TOT\"}\n");
  CHECK_THAT(cmaq_pm.what(), Catch::Contains("PM25 is for format = \"cf\": a CMAQ file is read by species"));
  const Error csv_units = error_of("[model.boundary]\nfile = \"a.csv\"\nformat = \"csv\"\nunits = \"kg m-3\"\n");
  CHECK(csv_units.context().line == 17);
  CHECK_THAT(csv_units.what(), Catch::Contains("units is for format = \"cf\""));
  const Error depth = error_of("[model.boundary]\nfile = \"a.nc\"\nscale_height_m = 0\n");
  CHECK(depth.context().where == "model.boundary.scale_height_m");
  CHECK_THAT(depth.what(), Catch::Contains("expected a scale height > 0 m"));
  const Error no_file = error_of("[model.boundary]\nformat = \"cf\"\n");
  CHECK_THAT(no_file.what(), Catch::Contains("needs the boundary file"));
  const Error unknown = error_of("[model.boundary]\nfile = \"a.nc\"\nunit = \"kg m-3\"\n");
  CHECK_THAT(unknown.what(), Catch::Contains("unknown key 'unit' in [model.boundary]") &&
                                 Catch::Contains("did you mean 'units'"));
}
