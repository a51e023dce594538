// Boundaries from a CMAQ CONC file (solver/cmaq_boundary.hpp), written here with the IOAPI layout
// of CMAQ's output (TFLAG per step, VAR-LIST padded to 16 characters, GDTYP = 2, VGTYP = 7 with
// VGTOP and VGLVLS, units "ug m-3" and "ppmV"). References:
//   - the aerosols are linear in x and y and in the layer and step indices, with values exact in
//     float: bilinear interpolation is exact for them, so the ghost cell's value is the field at
//     its centre (round trip lon/lat -> x/y: ~1e-9 m), and the vertical and time weights are
//     computed here by hand from the U.S. Standard Atmosphere 1976 written out again (tolerance
//     1e-12 relative: a few roundings of doubles);
//   - the standard atmosphere against its published table (p at 1, 11 and 20 km geopotential);
//   - the ppmV conversion by hand: 1 ppm of SO2 at 101 325 Pa and 288.15 K is
//     64.07 × 101325 / (8.314462618 × 288.15) = 2709.683 µg/m³;
//   - the named refusals (vertical type, a missing override, an hour outside the file).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "core/temp_dir.hpp"
#include "core/time_axis.hpp"
#include "emissions/gridded_fixture.hpp"
#include "solver/cmaq_boundary.hpp"
#include "solver/regional_boundary.hpp"

using namespace lantian;
using namespace lantian::solver;

namespace {

const TimeZone kUtc{"UTC"};
/// The file's projection as the IOAPI reader builds it from P_ALP 25, P_BET 40, P_GAM = XCENT =
/// 110, YCENT 34 (no false origin: (XCENT, YCENT) is the projection's origin).
const char* kCrs = "+proj=lcc +lat_1=25 +lat_2=40 +lat_0=34 +lon_0=110 +R=6370000 +units=m +no_defs";
/// Sigma faces exact in float (VGLVLS is written as float).
const std::vector<double> kSigma{1.0, 1.0 - 1.0 / 128, 1.0 - 1.0 / 64, 1.0 - 3.0 / 64, 1.0 - 3.0 / 32};
constexpr double kTop = 5000.0;  // VGTOP, Pa

/// Cell centres of the 6 x 6 file of 12 km cells from XORIG = YORIG = -36 km.
double centre(int i) { return -36000.0 + (i + 0.5) * 12000.0; }

/// The aerosol field: base + x/12 km + y/24 km + k/2 + n/4 (exact in float at the centres).
double aerosol(double base, double x, double y, double k, double n) {
  return base + x / 12000.0 + y / 24000.0 + 0.5 * k + 0.25 * n;
}

test::GriddedVar var(const std::string& name, const std::string& units, double base, bool gas = false) {
  test::GriddedVar v{name, units, {}};
  for (int n = 0; n < 3; ++n)
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 6; ++j)
        for (int i = 0; i < 6; ++i) v.values.push_back(gas ? base : aerosol(base, centre(i), centre(j), k, n));
  return v;
}

/// A CONC file: 3 steps of 3 h from 2024-12-11 00 UTC, 4 layers.
test::IoapiFile conc_file() {
  test::IoapiFile f;
  f.ncols = f.nrows = 6;
  f.nlays = 4;
  f.xorig = f.yorig = -36000.0;
  f.nsteps = 3;
  f.sdate = 2024346;  // 2024-12-11
  f.tstep = 30000;
  f.vglvls = kSigma;
  f.vars = {var("ASO4I", "ug m-3", 4.5),        var("ASO4J", "ug m-3", 8.0),
            var("ANO3J", "micrograms/m**3", 12.0), var("APOCJ", "ug m-3", 6.0),
            var("AECJ", "ug m-3", 4.0),          var("ASOIL", "ug m-3", 20.0),
            var("SO2", "ppmV", 1.0 / 128, true), var("NO", "ppmV", 1.0 / 256, true),
            var("NO2", "ppmV", 1.0 / 128, true), var("PAR", "ppmV", 1.0 / 64, true),
            var("NH3", "ppmV", 1.0 / 512, true)};
  return f;
}

/// 4 x 3 cells of 6 km in the file's projection around its origin; layers 0-50-300-1000 m.
Grid model_grid() {
  GridSpec s;
  s.crs = kCrs;
  s.nx = 4, s.ny = 3, s.dx = s.dy = 6000.0, s.x0 = -12000.0, s.y0 = -9000.0;
  s.layer_tops = {50.0, 300.0, 1000.0};
  return Grid(s);
}

/// The standard atmosphere written out again: height of pressure p (troposphere) and T(z).
double z_of(double p) { return 288.15 / 0.0065 * (1.0 - std::pow(p / 101325.0, 8.31432 * 0.0065 / (9.80665 * 0.0289644))); }
double t_of(double z) { return 288.15 - 0.0065 * z; }
double p_of(double z) { return 101325.0 * std::pow(t_of(z) / 288.15, 9.80665 * 0.0289644 / (8.31432 * 0.0065)); }

/// The file layers' heights: the mean of their faces' heights.
std::vector<double> file_layers() {
  std::vector<double> z;
  for (std::size_t k = 0; k + 1 < kSigma.size(); ++k)
    z.push_back(0.5 * (z_of(kSigma[k] * (101325.0 - kTop) + kTop) + z_of(kSigma[k + 1] * (101325.0 - kTop) + kTop)));
  return z;
}

/// Index and weight of height zc among the layers (clamped at the ends).
std::pair<std::size_t, double> bracket(const std::vector<double>& z, double zc) {
  if (zc <= z.front()) return {0, 0.0};
  if (zc >= z.back()) return {z.size() - 1, 0.0};
  std::size_t k = 0;
  while (z[k + 1] < zc) ++k;
  return {k, (zc - z[k]) / (z[k + 1] - z[k])};
}

}  // namespace

TEST_CASE("the U.S. Standard Atmosphere 1976 against its table", "[solver][boundary][cmaq]") {
  // U.S. Standard Atmosphere 1976, table I (geopotential altitude): 1 km 89 874.6 Pa, 281.65 K;
  // 11 km 22 632.1 Pa, 216.65 K; 20 km 5 474.89 Pa.
  CHECK(StandardAtmosphere::pressure(1000.0) == Approx(89874.6).epsilon(2e-6));
  CHECK(StandardAtmosphere::temperature(1000.0) == Approx(281.65).epsilon(1e-12));
  CHECK(StandardAtmosphere::pressure(11000.0) == Approx(22632.1).epsilon(5e-6));
  CHECK(StandardAtmosphere::pressure(20000.0) == Approx(5474.89).epsilon(5e-6));
  for (double z : {0.0, 500.0, 5000.0, 15000.0})
    CHECK(StandardAtmosphere::height(StandardAtmosphere::pressure(z)) == Approx(z).margin(1e-6));
  // 1 ppm SO2 at sea level (see the top of the file).
  CHECK(ppm_to_ugm3(1.0, kMolarMassSO2, 101325.0, 288.15) == Approx(2709.683254).epsilon(1e-9));
}

TEST_CASE("a CMAQ CONC file as the boundary: species sums, heights, time, ppmV", "[solver][boundary][cmaq][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "CCTM_CONC_v532_20241211.nc").string();
  test::write_ioapi(path, conc_file());
  const Grid grid = model_grid();
  const UtcHour t0 = parse_time("2024-12-11T00:00Z", kUtc);

  const CmaqBoundary b(path, grid);
  CHECK(b.times() == std::vector<UtcHour>{t0, t0 + 3, t0 + 6});
  const std::vector<double> zf = file_layers();
  REQUIRE(b.layer_heights().size() == 4);
  for (std::size_t k = 0; k < 4; ++k) CHECK(b.layer_heights()[k] == Approx(zf[k]).epsilon(1e-12));
  CHECK(b.variables() == std::vector<std::string>{"SO2=SO2", "NOx=NO+NO2", "VOC=PAR", "NH3=NH3", "PPM25=APOCJ+AECJ",
                                                  "PMC=ASOIL", "SO4=ASO4I+ASO4J", "NO3=ANO3J"});

  // t0 + 1 h: a third of the way from step 0 to step 1 (n = 1/3 in the field).
  const BoundaryValues v = b.at(t0 + 1);
  const double n = 1.0 / 3.0;
  for (Side side : kAllLateralSides) {
    const int along = (side == Side::west || side == Side::east) ? 3 : 4;
    for (int a = 0; a < along; ++a)
      for (int k = 0; k < 3; ++k) {
        double x = 0.0, y = 0.0;
        switch (side) {
          case Side::west: x = -15000.0, y = -6000.0 + 6000.0 * a; break;
          case Side::east: x = 15000.0, y = -6000.0 + 6000.0 * a; break;
          case Side::south: x = -9000.0 + 6000.0 * a, y = -12000.0; break;
          case Side::north: x = -9000.0 + 6000.0 * a, y = 12000.0; break;
          case Side::top: break;
        }
        const auto [iz, w] = bracket(zf, grid.z_centre(k));
        const double kk = static_cast<double>(iz) + w;  // the field is linear in the layer index
        INFO(side_name(side) << " cell " << a << " layer " << k);
        CHECK(v(side, Species::so4, a, k) ==
              Approx(aerosol(4.5, x, y, kk, n) + aerosol(8.0, x, y, kk, n)).epsilon(1e-12));
        CHECK(v(side, Species::no3, a, k) == Approx(aerosol(12.0, x, y, kk, n)).epsilon(1e-12));
        CHECK(v(side, Species::ppm25, a, k) ==
              Approx(aerosol(6.0, x, y, kk, n) + aerosol(4.0, x, y, kk, n)).epsilon(1e-12));
        CHECK(v(side, Species::pmc, a, k) == Approx(aerosol(20.0, x, y, kk, n)).epsilon(1e-12));
        CHECK(v(side, Species::soa, a, k) == 0.0);  // no SOA species in this file
        // Gases: x M p / (R T) at each file layer's standard-atmosphere p and T, linear between.
        const std::size_t iz1 = std::min<std::size_t>(iz + 1, 3);
        auto gas = [&](double ppm, double m) {
          auto at = [&](std::size_t l) { return ppm * m * p_of(zf[l]) / (8.314462618 * t_of(zf[l])); };
          return (1.0 - w) * at(iz) + w * at(iz1);
        };
        CHECK(v(side, Species::so2, a, k) == Approx(gas(1.0 / 128, kMolarMassSO2)).epsilon(1e-12));
        CHECK(v(side, Species::nox, a, k) == Approx(gas(1.0 / 256 + 1.0 / 128, kMolarMassNO2)).epsilon(1e-12));
        CHECK(v(side, Species::voc, a, k) == Approx(gas(1.0 / 64, 14.0)).epsilon(1e-12));
        CHECK(v(side, Species::nh3, a, k) == Approx(gas(1.0 / 512, kMolarMassNH3)).epsilon(1e-12));
      }
  }
  // The top model layer's centre (650 m) lies above the file's highest layer centre: its value.
  CHECK(grid.z_centre(2) > zf.back());

  // Auto detection: a NetCDF file with GDTYP, VGTYP and TFLAG is read as CMAQ.
  const auto any = open_boundary_file(path, grid, kUtc, BoundaryFormat::auto_detect, {});
  CHECK(dynamic_cast<const CmaqBoundary*>(any.get()) != nullptr);
  RegionalBoundaryOptions pm;
  pm.pm25 = "PM25_TOT";
  CHECK_THROWS_WITH(open_boundary_file(path, grid, kUtc, BoundaryFormat::cmaq, pm),
                    Catch::Contains("model.boundary.variables.PM25: variables.PM25 is for CF files"));

  // An override: SO4 from the accumulation mode only; a name the file lacks is an error.
  CmaqBoundaryOptions o;
  o.species[index(Species::so4)] = "ASO4J";
  const CmaqBoundary only_j(path, grid, o);
  const auto [iz0, w0] = bracket(zf, 25.0);  // the first model layer's centre
  CHECK(only_j.at(t0)(Side::west, Species::so4, 0, 0) ==
        Approx(aerosol(8.0, -15000.0, -6000.0, static_cast<double>(iz0) + w0, 0.0)).epsilon(1e-12));
  o.species[index(Species::so4)] = "ASO4J + ASO4K";
  CHECK_THROWS_WITH(CmaqBoundary(path, grid, o), Catch::Contains("CCTM_CONC_v532_20241211.nc: ASO4K: missing the variable "
                                                                 "ASO4K named for SO4 in [model.boundary] variables"));
  // Hours outside the file.
  CHECK_THROWS_WITH(b.at(t0 + 7), Catch::Contains("CCTM_CONC_v532_20241211.nc"));
}

TEST_CASE("a CMAQ file's PRES and TA give the gases' air density", "[solver][boundary][cmaq][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "combine.nc").string();
  test::IoapiFile f = conc_file();
  f.vars.push_back(var("PRES", "Pa", 95000.0, true));
  f.vars.push_back(var("TA", "K", 270.0, true));
  test::write_ioapi(path, f);
  const CmaqBoundary b(path, model_grid());
  // 1/128 ppm SO2 at 95 000 Pa, 270 K: 64.07 / 128 × 95000 / (8.314462618 × 270) = 21.1822 µg/m³.
  const double ref = 64.07 / 128.0 * 95000.0 / (8.314462618 * 270.0);
  CHECK(ref == Approx(21.1822).epsilon(1e-5));
  CHECK(b.at(parse_time("2024-12-11T03:00Z", kUtc))(Side::north, Species::so2, 1, 1) == Approx(ref).epsilon(1e-12));
}

TEST_CASE("CMAQ vertical grids other than sigma-P or heights above ground are refused by name",
          "[solver][boundary][cmaq][netcdf]") {
  test::TempDir dir;
  const std::string path = (dir.path() / "pressure_levels.nc").string();
  test::IoapiFile f = conc_file();
  f.vgtyp = 4;
  test::write_ioapi(path, f);
  CHECK_THROWS_WITH(CmaqBoundary(path, model_grid()),
                    Catch::Contains("pressure_levels.nc: VGTYP: global attribute VGTYP = 4 (VGPRES3, pressure levels)"));
  test::IoapiFile g = conc_file();
  g.vars = {var("SO2", "ppmV", 1.0 / 128, true)};
  test::write_ioapi(path, g);
  CHECK_THROWS_WITH(CmaqBoundary(path, model_grid()), Catch::Contains("VAR-LIST: no CMAQ aerosol species"));
}
