// Lateral boundaries (solver/boundary.hpp): constant values and profiles, the time-series CSV
// (interpolation in time, precedence, errors), CF NetCDF sampling of a field linear in x, y, z
// and t (which bilinear/linear interpolation reproduces exactly), and the halo fill.
#include <netcdf.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "solver/boundary.hpp"
#include "tests/core/temp_dir.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Matchers::Contains;

namespace {

const TimeZone kUtc{"UTC"};
const UtcHour kT0 = parse_time("2024-12-11T00:00Z", kUtc);

/// The linear test field of the NetCDF file: c = 50 + 0.002 x − 0.003 y + 0.01 z + 2 (t − t0) + 5 s.
double linear_field(double x, double y, double z, double hours, int species) {
  return 50.0 + 0.002 * x - 0.003 * y + 0.01 * z + 2.0 * hours + 5.0 * species;
}

void nc(int status) {
  if (status != NC_NOERR) throw std::runtime_error(nc_strerror(status));
}

/// How a file labels its records: by the instant of the fields (lantian's fields.nc before
/// issue 12, and the plain CF case), or hour-beginning with time bounds (lantian's fields.nc
/// since: time = the instant − 1 h, time_bnds = [instant − 1 h, instant]).
enum class Labels { instant, hour_beginning };

/// Writes a (time, z, y, x) file with the variables of `species` on the given coordinates; the
/// fields of record n are those of the instant hours[n].
std::string write_coarse(const test::TempDir& dir, const std::string& name, const std::vector<double>& x,
                         const std::vector<double>& y, const std::vector<double>& z, const std::vector<double>& hours,
                         const std::vector<Species>& species, Labels labels = Labels::instant,
                         const std::string& bounds_name = "time_bnds") {
  const std::string path = (dir.path() / name).string();
  int id = 0, dt = 0, dz = 0, dy = 0, dx = 0, vt = 0, vz = 0, vy = 0, vx = 0, dnv = 0, vb = 0;
  nc(nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &id));
  nc(nc_def_dim(id, "time", hours.size(), &dt));
  nc(nc_def_dim(id, "z", z.size(), &dz));
  nc(nc_def_dim(id, "y", y.size(), &dy));
  nc(nc_def_dim(id, "x", x.size(), &dx));
  nc(nc_def_var(id, "time", NC_DOUBLE, 1, &dt, &vt));
  const std::string units = "hours since 2024-12-11 00:00:00";
  nc(nc_put_att_text(id, vt, "units", units.size(), units.c_str()));
  std::vector<double> label = hours, bnds;
  if (labels == Labels::hour_beginning) {
    for (double& h : label) h -= 1.0;
    for (double h : hours) bnds.push_back(h - 1.0), bnds.push_back(h);
    nc(nc_def_dim(id, "nv", 2, &dnv));
    const int bdims[2] = {dt, dnv};
    nc(nc_def_var(id, "time_bnds", NC_DOUBLE, 2, bdims, &vb));
    nc(nc_put_att_text(id, vt, "bounds", bounds_name.size(), bounds_name.c_str()));
  }
  nc(nc_def_var(id, "z", NC_DOUBLE, 1, &dz, &vz));
  nc(nc_def_var(id, "y", NC_DOUBLE, 1, &dy, &vy));
  nc(nc_def_var(id, "x", NC_DOUBLE, 1, &dx, &vx));
  const int dims[4] = {dt, dz, dy, dx};
  std::vector<int> vars;
  for (Species s : species) {
    int v = 0;
    nc(nc_def_var(id, std::string(species_name(s)).c_str(), NC_DOUBLE, 4, dims, &v));
    vars.push_back(v);
  }
  nc(nc_enddef(id));
  nc(nc_put_var_double(id, vt, label.data()));
  if (labels == Labels::hour_beginning) nc(nc_put_var_double(id, vb, bnds.data()));
  nc(nc_put_var_double(id, vz, z.data()));
  nc(nc_put_var_double(id, vy, y.data()));
  nc(nc_put_var_double(id, vx, x.data()));
  for (std::size_t q = 0; q < species.size(); ++q) {
    std::vector<double> data;
    for (double h : hours)
      for (double zz : z)
        for (double yy : y)
          for (double xx : x) data.push_back(linear_field(xx, yy, zz, h, static_cast<int>(index(species[q]))));
    nc(nc_put_var_double(id, vars[q], data.data()));
  }
  nc(nc_close(id));
  return path;
}

std::vector<Species> all_species() { return {kAllSpecies.begin(), kAllSpecies.end()}; }

}  // namespace

TEST_CASE("constant boundaries and the halo fill", "[boundary]") {
  const Grid g = test::beijing_grid();
  PerSpecies value{};
  value[index(Species::so4)] = 12.5;
  const BoundaryValues b = ConstantBoundary(g, value).at(kT0);
  for (Side s : kAllLateralSides)
    for (int k = 0; k < g.nz(); ++k)
      for (int a = 0; a < b.along(s); ++a) {
        CHECK(b(s, Species::so4, a, k) == 12.5);
        CHECK(b(s, Species::so2, a, k) == 0.0);
      }
  std::array<std::vector<double>, kSpeciesCount> profile;
  profile[index(Species::ppm25)] = {40.0, 30.0, 10.0};
  const BoundaryValues p = ConstantBoundary(g, profile).at(kT0 + 5);
  CHECK(p(Side::north, Species::ppm25, 3, 1) == 30.0);
  CHECK(p(Side::west, Species::ppm25, 0, 2) == 10.0);
  profile[index(Species::nh3)] = {1.0};
  CHECK_THROWS_WITH(ConstantBoundary(g, profile), Contains("boundary.NH3") && Contains("expected 3 levels"));
  // Halos: every ghost cell of a side gets its side's value; the interior is untouched.
  BoundaryValues v(g.nx(), g.ny(), g.nz());
  for (Side s : kAllLateralSides)
    for (int k = 0; k < g.nz(); ++k)
      for (int a = 0; a < v.along(s); ++a) v(s, Species::nox, a, k) = 100.0 * static_cast<int>(s) + 10.0 * a + k;
  SpeciesFields c = test::varied_state(g);
  const double inside = c[index(Species::nox)](2, 2, 1);
  fill_halos(c, v);
  const auto& f = c[index(Species::nox)];
  CHECK(f(-1, 2, 1) == 21.0);   // west, j = 2, k = 1
  CHECK(f(-2, 2, 1) == 21.0);
  CHECK(f(5, 3, 0) == 130.0);   // east, j = 3
  CHECK(f(6, 3, 0) == 130.0);
  CHECK(f(4, -1, 2) == 242.0);  // south, i = 4
  CHECK(f(1, 4, 2) == 312.0);   // north, i = 1
  CHECK(f(-1, -2, 0) == 0.0);   // corner: west at the nearest row j = 0
  CHECK(f(2, 2, 1) == inside);
}

TEST_CASE("time-series boundaries interpolate in time and report uncovered hours", "[boundary]") {
  const Grid g = test::beijing_grid();
  const std::string csv =
      "time,side,species,level,value\n"
      "2024-12-11T00:00Z,all,SO2,all,10\n"
      "2024-12-11T02:00Z,all,SO2,,20\n"
      "2024-12-11T00:00Z,west,so2,1,50\n"
      "2024-12-11T02:00Z,west,SO2,1,30\n"
      "2024-12-11T08:00+08:00,north,PPM25,all,35\n"  // = 00:00Z
      "2024-12-11T03:00Z,north,PPM25,all,65\n";
  const TimeSeriesBoundary b(csv, "bc.csv", g, kUtc);
  const BoundaryValues v = b.at(kT0 + 1);
  CHECK(v(Side::east, Species::so2, 2, 0) == Approx(15.0).epsilon(1e-15));  // half-way 10 -> 20
  CHECK(v(Side::west, Species::so2, 2, 0) == Approx(15.0).epsilon(1e-15));
  CHECK(v(Side::west, Species::so2, 2, 1) == Approx(40.0).epsilon(1e-15));  // the specific key wins
  CHECK(v(Side::north, Species::ppm25, 0, 2) == Approx(45.0).epsilon(1e-15));  // 35 + 30/3
  CHECK(v(Side::south, Species::ppm25, 0, 2) == 0.0);  // not listed: 0
  CHECK(b.at(kT0 + 2)(Side::north, Species::so2, 4, 2) == 20.0);  // an exact time
  CHECK_THROWS_WITH(b.at(kT0 + 3), Contains("bc.csv") && Contains("SO2 side all level all") &&
                                       Contains("no boundary value for 2024-12-11T03:00:00Z") &&
                                       Contains("covers 2024-12-11T00:00:00Z to 2024-12-11T02:00:00Z"));
  CHECK_THROWS_WITH(TimeSeriesBoundary("time,side,species,level,value\n2024-12-11T00:00Z,west,SO3,0,1\n", "b.csv", g, kUtc),
                    Contains("b.csv:2") && Contains("unknown species 'SO3'"));
  CHECK_THROWS_WITH(TimeSeriesBoundary("time,side,species,level,value\n2024-12-11T00:00Z,wset,SO2,0,1\n", "b.csv", g, kUtc),
                    Contains("did you mean 'west'"));
  CHECK_THROWS_WITH(TimeSeriesBoundary("time,side,species,level,value\n2024-12-11T00:00Z,west,SO2,3,1\n", "b.csv", g, kUtc),
                    Contains("layer index 0..2"));
  CHECK_THROWS_WITH(TimeSeriesBoundary("time,side,species,level,value\n2024-12-11T00:00Z,west,SO2,0,-1\n", "b.csv", g, kUtc),
                    Contains("non-negative"));
  const test::TempDir dir;
  const std::string path = dir.write("bc.csv", csv);
  CHECK(read_boundary_csv(path, g, kUtc)->at(kT0 + 1)(Side::west, Species::so2, 0, 1) == Approx(40.0));
  CHECK_THROWS_WITH(read_boundary_csv((dir.path() / "none.csv").string(), g, kUtc), Contains("none.csv"));
}

// Both labellings of a lantian fields.nc: the instants themselves (files written before issue
// 12, no time_bnds) and hour-beginning labels with time_bnds (since), whose record labelled T
// holds the state at T + 1 h. The same fields at the same instants must come back from both.
TEST_CASE("NetCDF boundaries reproduce a linear field exactly", "[boundary][netcdf]") {
  const Labels labels = GENERATE(Labels::instant, Labels::hour_beginning);
  INFO((labels == Labels::instant ? "instant labels (no time_bnds)" : "hour-beginning labels with time_bnds"));
  const Grid g = test::beijing_grid();  // x -2500..2500, y -2000..2000; boundary cells at x = ±3000, y = ±2500
  const test::TempDir dir;
  const std::vector<double> x{-7000.0, -4000.0, -1000.0, 2000.0, 5000.0}, y{-5000.0, -1000.0, 3000.0},
      z{10.0, 100.0, 300.0, 800.0}, hours{0.0, 3.0};
  const std::string path = write_coarse(dir, "coarse.nc", x, y, z, hours, all_species(), labels);
  const NetcdfBoundary b(path, g);
  REQUIRE(b.times() == (std::vector<UtcHour>{kT0, kT0 + 3}));
  for (int h : {0, 1, 3}) {
    const BoundaryValues v = b.at(kT0 + h);
    double worst = 0.0;
    for (Species s : kAllSpecies)
      for (int k = 0; k < g.nz(); ++k) {
        const double zc = g.z_centre(k);
        const int sp = static_cast<int>(index(s));
        for (int j = 0; j < g.ny(); ++j) {
          worst = std::max(worst, std::abs(v(Side::west, s, j, k) - linear_field(-3000.0, g.y_centre(j), zc, h, sp)));
          worst = std::max(worst, std::abs(v(Side::east, s, j, k) - linear_field(3000.0, g.y_centre(j), zc, h, sp)));
        }
        for (int i = 0; i < g.nx(); ++i) {
          worst = std::max(worst, std::abs(v(Side::south, s, i, k) - linear_field(g.x_centre(i), -2500.0, zc, h, sp)));
          worst = std::max(worst, std::abs(v(Side::north, s, i, k) - linear_field(g.x_centre(i), 2500.0, zc, h, sp)));
        }
      }
    INFO("hour " << h);
    CHECK(worst < 1e-11);  // values ~ 50-100 µg/m³: round-off only
  }
  CHECK_THROWS_WITH(b.at(kT0 + 4), Contains("coarse.nc") && Contains("time") &&
                                       Contains("no boundary values for 2024-12-11T04:00:00Z") &&
                                       Contains("covers 2024-12-11T00:00:00Z to 2024-12-11T03:00:00Z"));
  // A file without SOA, and one too small for the domain.
  std::vector<Species> some = all_species();
  some.pop_back();
  const std::string no_soa = write_coarse(dir, "no_soa.nc", x, y, z, hours, some);
  CHECK_THROWS_WITH(NetcdfBoundary(no_soa, g), Contains("no_soa.nc") && Contains("SOA") && Contains("missing"));
  const std::string small = write_coarse(dir, "small.nc", {-2000.0, 0.0, 2000.0}, y, z, hours, all_species());
  CHECK_THROWS_WITH(NetcdfBoundary(small, g), Contains("small.nc") && Contains("does not cover the west boundary"));
  // A bounds attribute naming no variable.
  const std::string lost = write_coarse(dir, "lost.nc", x, y, z, hours, all_species(), Labels::hour_beginning, "tbnds");
  CHECK_THROWS_WITH(NetcdfBoundary(lost, g), Contains("lost.nc") && Contains("'tbnds'") && Contains("not a variable"));
}
