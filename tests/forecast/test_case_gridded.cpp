// [[emissions.gridded]] in a case: small CF NetCDF files written next to the case text, read and
// regridded by assemble_case and summed by check_case. References: the files' own values in t/yr
// summed by hand here (a monthly file averaged with the month lengths of a 365-day year), and
// the case-file line numbers counted in the text.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "core/temp_dir.hpp"
#include "emissions/gridded_fixture.hpp"
#include "emissions/totals.hpp"
#include "emissions/units.hpp"
#include "forecast/case_check.hpp"
#include "forecast/case_inputs.hpp"

using namespace lantian;
using emissions::EmittedPollutant;
using emissions::index;

namespace {

const std::vector<double> kLon{118.70, 118.80, 118.90};  // faces 118.65 .. 118.95
const std::vector<double> kLat{31.95, 32.05};            // faces 31.90 .. 32.10

/// The case text (24 lines before the emissions); `grid_n` cells of 1 km centred on the LCC
/// origin (118.8 E, 32 N): 80 holds the files' cells (about ±14 km by ±11 km) entirely.
std::string case_text(const std::string& emissions, int grid_n = 80) {
  const int half = grid_n * 500;
  return "name = \"gridded\"\n"                                                                   // 1
         "[period]\n"                                                                             // 2
         "start = \"2024-12-11T08:00\"\n"                                                         // 3
         "hours = 24\n"                                                                           // 4
         "[grid]\n"                                                                               // 5
         "crs = \"+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m\"\n"  // 6
         "nx = " + std::to_string(grid_n) + "\n"                                                  // 7
         "ny = " + std::to_string(grid_n) + "\n"                                                  // 8
         "dx = 1000\n"                                                                            // 9
         "dy = 1000\n"                                                                            // 10
         "x0 = -" + std::to_string(half) + "\n"                                                   // 11
         "y0 = -" + std::to_string(half) + "\n"                                                   // 12
         "layer_tops = [50, 200, 1000]\n"                                                         // 13
         "[meteo]\n"                                                                              // 14
         "source = \"synthetic\"\n" +                                                             // 15
         emissions;                                                                               // 16 ...
}

/// A residential file (sector attribute) with SO2 and NOx in t/yr per cell, annual.
void write_residential(const std::string& path) {
  test::write_lonlat(path, kLon, kLat, 0,
                     {{"SO2", "t/yr", {1, 2, 3, 4, 5, 6}}, {"NOx", "t/yr", {10, 20, 30, 40, 50, 60}}});
}

/// An industry file without a sector attribute: PM2.5 in t/yr, every cell of month m holds m.
void write_monthly(const std::string& path) {
  std::vector<double> pm;
  for (int m = 1; m <= 12; ++m)
    for (int c = 0; c < 6; ++c) pm.push_back(m);
  test::write_lonlat(path, kLon, kLat, 12, {{"pm25", "t/yr", pm}}, "");
}

const std::string kBothFiles =
    "[[emissions.gridded]]\n"                                                                     // 16
    "file = \"res.nc\"\n"                                                                         // 17
    "variables = {so2 = \"SO2\", nox = \"NOx\", pm25 = \"\", pm10 = \"\", voc = \"\", nh3 = \"\"}\n"  // 18
    "[[emissions.gridded]]\n"                                                                     // 19
    "file = \"monthly/ind.nc\"\n"                                                                 // 20
    "sector = \"industry\"\n"                                                                     // 21
    "variables = {so2 = \"\", nox = \"\", pm10 = \"\", voc = \"\", nh3 = \"\"}\n";                // 22

// Hand totals, t/yr: SO2 1 + ... + 6, NOx 10 + ... + 60; PM2.5 6 cells x sum_m m d_m / 365 with
// sum_m m d_m = 31 + 2*28 + 3*31 + 4*30 + 5*31 + 6*30 + 7*31 + 8*31 + 9*30 + 10*31 + 11*30 + 12*31.
constexpr double kSo2 = 21.0, kNox = 210.0, kPm25 = 6.0 * 2382.0 / 365.0;

double tpy(double g_per_s) { return emissions::to_tonnes_per_year(g_per_s); }

}  // namespace

TEST_CASE("a case with gridded files only loads, assembles and totals by sector", "[check][emissions][netcdf]") {
  const test::TempDir dir;
  write_residential((dir.path() / "res.nc").string());
  std::filesystem::create_directories(dir.path() / "monthly");
  write_monthly((dir.path() / "monthly" / "ind.nc").string());
  const std::string case_file = dir.write("case.toml", case_text(kBothFiles));
  const CaseConfig config = load_case(case_file);
  REQUIRE(config.emissions.gridded.size() == 2);
  CHECK(config.emissions.csv_empty());

  const CaseInputs in = assemble_case(config);
  CHECK(in.inventory.enterprises.empty());
  REQUIRE(in.gridded.size() == 2);
  CHECK(in.gridded[0].sector == emissions::Sector::residential_heating);
  CHECK(in.gridded[1].sector == emissions::Sector::industry);
  REQUIRE(in.gridded[1].rate.size() == 12);
  double march = 0.0;  // 6 cells x 3 t/yr
  const Field2D<double>& f = in.gridded[1].for_month(3)[index(EmittedPollutant::pm25)];
  for (int j = 0; j < f.ny(); ++j)
    for (int i = 0; i < f.nx(); ++i) march += f(i, j);
  CHECK(tpy(march) == Approx(18.0).epsilon(1e-12));

  const CaseCheckReport r = check_case(config);
  const std::string text = format_check_report(r);
  INFO(text);
  REQUIRE(r.valid());
  REQUIRE(r.emissions_ok);
  CHECK_FALSE(r.csv_inventory);
  REQUIRE(r.gridded.size() == 2);
  CHECK(r.gridded[1].times == 12);
  const auto res = static_cast<std::size_t>(emissions::Sector::residential_heating);
  const auto ind = static_cast<std::size_t>(emissions::Sector::industry);
  CHECK(tpy(r.gridded_by_sector[res][index(EmittedPollutant::so2)]) == Approx(kSo2).epsilon(1e-12));
  CHECK(tpy(r.gridded_by_sector[res][index(EmittedPollutant::nox)]) == Approx(kNox).epsilon(1e-12));
  CHECK(tpy(r.gridded_by_sector[ind][index(EmittedPollutant::pm25)]) == Approx(kPm25).epsilon(1e-12));
  CHECK(r.gridded_by_sector[ind][index(EmittedPollutant::so2)] == 0.0);
  // The whole-society totals behind the 10/20/30% floors include them.
  CHECK(tpy(r.combined.total[index(EmittedPollutant::so2)]) == Approx(kSo2).epsilon(1e-12));
  CHECK(tpy(r.combined.total[index(EmittedPollutant::pm25)]) == Approx(kPm25).epsilon(1e-12));
  CHECK(tpy(emissions::required_cut(r.combined, 0.2)[index(EmittedPollutant::nox)]) == Approx(0.2 * kNox).epsilon(1e-12));
  for (const std::string& w : r.warnings) CHECK_THAT(w, !Catch::Contains("outside the grid"));

  CHECK_THAT(text, Catch::Contains("gridded by sector, t/yr"));
  CHECK_THAT(text, Catch::Contains("weighted by month length"));
  CHECK_THAT(text, Catch::Contains("        21.0 t/yr"));
  CHECK_THAT(text, Catch::Contains("       210.0 t/yr"));
  CHECK_THAT(text, Catch::Contains("        39.2 t/yr"));  // 39.156...
  CHECK_THAT(text, Catch::Contains("case OK"));
}

TEST_CASE("gridded mass outside the grid is a warning with its percentage", "[check][emissions][netcdf]") {
  const test::TempDir dir;
  write_residential((dir.path() / "res.nc").string());
  const std::string text = case_text(
      "[[emissions.gridded]]\nfile = \"res.nc\"\n"
      "variables = {so2 = \"SO2\", nox = \"NOx\", pm25 = \"\", pm10 = \"\", voc = \"\", nh3 = \"\"}\n",
      10);  // 10 km x 10 km of the ~28 km x 22 km the file covers
  const CaseCheckReport r = check_case(load_case_string(text, "case.toml", dir.path().string()));
  INFO(format_check_report(r));
  REQUIRE(r.valid());
  REQUIRE(r.gridded.size() == 1);
  const std::size_t so2 = index(EmittedPollutant::so2);
  const double in = tpy(r.gridded[0].on_grid[so2]), out = tpy(r.gridded[0].outside[so2]);
  CHECK(in > 0.0);
  CHECK(out > in);
  CHECK(in + out == Approx(kSo2).epsilon(1e-12));
  std::string warning;
  for (const std::string& w : r.warnings)
    if (w.find("gridded file") != std::string::npos) warning = w;
  const std::string expected = fmt::format("SO2 {:.1f}% ({:.1f} t/yr)", 100.0 * out / kSo2, out);
  CHECK_THAT(warning, Catch::Contains("gridded file " + (dir.path() / "res.nc").string()) &&
                                Catch::Contains("outside the grid") && Catch::Contains(expected));
}

TEST_CASE("a missing gridded file or an unknown pollutant or sector names the case line", "[check][emissions]") {
  const test::TempDir dir;
  const std::string missing = case_text("[[emissions.gridded]]\nfile = \"none.nc\"\nsector = \"industry\"\n");
  const CaseCheckReport r = check_case(load_case_string(missing, "case.toml", dir.path().string()));
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors.front(), Catch::StartsWith("case.toml:17: emissions.gridded[0].file: no such file: " +
                                                 (dir.path() / "none.nc").string()));
  CHECK_THROWS_WITH(assemble_case(load_case_string(missing, "case.toml", dir.path().string())),
                    Catch::Contains("none.nc"));

  const std::string pollutant = case_text("[[emissions.gridded]]\nfile = \"a.nc\"\nvariables = {sox = \"SO2\"}\n");
  const CaseCheckReport rp = check_case(load_case_string(pollutant, "case.toml", dir.path().string()));
  REQUIRE(rp.errors.size() == 1);
  CHECK_THAT(rp.errors.front(), Catch::StartsWith("case.toml:18: emissions.gridded[0].variables.sox: unknown pollutant "
                                                  "'sox' (did you mean 'so2'?)"));

  const std::string sector = case_text("[[emissions.gridded]]\nfile = \"a.nc\"\nsector = \"industri\"\n");
  const CaseCheckReport rs = check_case(load_case_string(sector, "case.toml", dir.path().string()));
  REQUIRE(rs.errors.size() == 1);
  CHECK_THAT(rs.errors.front(), Catch::StartsWith("case.toml:18: emissions.gridded[0].sector: unknown sector") &&
                                    Catch::Contains("did you mean \"industry\""));
}

TEST_CASE("an hourly IOAPI file in a case: the run's steps only, no profile, hours outside named",
          "[check][emissions][netcdf][ioapi]") {
  const test::TempDir dir;
  // 25 hourly steps from 2024-12-11 00 UTC (the case starts at 08:00 Beijing time = 00 UTC) on a
  // 3 x 3 LCC grid of 12 km around the case's origin; SO2 in cell c at step n = 1 + n g/s.
  test::IoapiFile f;
  f.p_alp = 25.0, f.p_bet = 47.0, f.p_gam = f.xcent = 118.8, f.ycent = 32.0;
  f.xorig = f.yorig = -18000.0;
  f.nsteps = 25, f.tstep = 10000, f.sdate = 2024346;
  std::vector<double> so2;
  for (int n = 0; n < 25; ++n)
    for (int c = 0; c < 9; ++c) so2.push_back(1.0 + n);
  f.vars = {{"SO2", "g/s", so2}};
  test::write_ioapi((dir.path() / "hourly.nc").string(), f);
  const std::string entry = "[[emissions.gridded]]\n"                                            // 16
                            "file = \"hourly.nc\"\n"                                             // 17
                            "format = \"ioapi\"\n"                                               // 18
                            "sector = \"residential_heating\"\n"                                 // 19
                            "variables = {so2 = \"SO2\", nox = \"\", pm25 = \"\", pm10 = \"\", voc = \"\", nh3 = \"\"}\n";
  const CaseInputs in = assemble_case(load_case_string(case_text(entry), "case.toml", dir.path().string()));
  REQUIRE(in.gridded.size() == 1);
  REQUIRE(in.gridded[0].stepped());
  CHECK(in.gridded[0].rate.size() == 24u);  // the 25th step (the next day's 00 UTC) is not read
  // Step n on the grid: 9 cells x (1 + n) g/s, all inside the 80 km grid.
  double s23 = 0.0;
  const auto& fld = in.gridded[0].rate[23][index(EmittedPollutant::so2)];
  for (int j = 0; j < fld.ny(); ++j)
    for (int i = 0; i < fld.nx(); ++i) s23 += fld(i, j);
  CHECK(s23 == Approx(9.0 * 24.0).epsilon(1e-12));

  CHECK_THROWS_WITH(assemble_case(load_case_string(case_text(entry + "profile = \"flat\"\n"), "case.toml",
                                                   dir.path().string())),
                    Catch::Contains("case.toml:21: emissions.gridded[0].profile: profile \"flat\" given for a "
                                    "time-stepped file (steps of 1 h)"));
  std::string two_days = case_text(entry);
  two_days.replace(two_days.find("hours = 24"), 10, "hours = 48");
  CHECK_THROWS_WITH(assemble_case(load_case_string(two_days, "case.toml", dir.path().string())),
                    Catch::Contains("hourly.nc: TFLAG: the model hour 2024-12-12T23:00:00Z is outside the file's time "
                                    "steps"));
}
