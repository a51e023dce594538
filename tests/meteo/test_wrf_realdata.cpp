// The WRF reader on a genuine wrfout file (WRF V3.3.1, Lambert 30 km, cropped to 10 x 8 columns,
// 27 levels, 4 times; ../shared/data/wrf-era-tibet-salem/SOURCE.txt). The references are the raw
// variables read here directly through the NetCDF C API, independently of the reader.
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "meteo/wrf_reader.hpp"

using namespace lantian;
using namespace lantian::meteo;

namespace {

std::string wrf_path() {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path p =
      std::filesystem::path(root ? root : "") / "wrf-era-tibet-salem" / "wrf_d01_allvars_cropped.nc";
  if (!root || !std::filesystem::exists(p)) {
    std::printf("SKIP: real data not found (LANTIAN_REAL_DATA=%s)\n", root ? root : "unset");
    std::exit(4);  // ctest SKIP_RETURN_CODE
  }
  return p.string();
}

// The whole raw variable as doubles.
std::vector<double> raw(const std::string& path, const char* name) {
  int nc = 0, v = 0, nd = 0;
  REQUIRE(nc_open(path.c_str(), NC_NOWRITE, &nc) == NC_NOERR);
  REQUIRE(nc_inq_varid(nc, name, &v) == NC_NOERR);
  nc_inq_varndims(nc, v, &nd);
  std::vector<int> dims(static_cast<std::size_t>(nd));
  nc_inq_vardimid(nc, v, dims.data());
  std::size_t n = 1;
  for (int d : dims) {
    std::size_t len = 0;
    nc_inq_dimlen(nc, d, &len);
    n *= len;
  }
  std::vector<double> out(n);
  REQUIRE(nc_get_var_double(nc, v, out.data()) == NC_NOERR);
  nc_close(nc);
  return out;
}

}  // namespace

TEST_CASE("WRF reader on the real Tibet wrfout", "[meteo][wrf][realdata]") {
  const std::string path = wrf_path();
  const WrfDataset ds = read_wrf({path});
  const int nx = 10, ny = 8, nz = 27, nt = 4;
  REQUIRE(ds.nx() == nx);
  REQUIRE(ds.ny() == ny);
  REQUIRE(ds.nz == nz);
  REQUIRE(ds.frames.size() == static_cast<std::size_t>(nt));
  // 2005-09-21T00Z = 13047 days since 1970 -> 313128 h; then every 3 h.
  for (int t = 0; t < nt; ++t) CHECK(ds.frames[static_cast<std::size_t>(t)].time == 313128 + 3 * t);
  CHECK(ds.projection.map_proj == 1);
  CHECK(ds.grid.dx == 30000.0);

  SECTION("cell centres from the projection match XLAT/XLONG to < 0.001 deg") {
    const auto xlat = raw(path, "XLAT");
    const auto xlon = raw(path, "XLONG");
    const Grid grid = ds.make_grid();
    double max_dlat = 0.0, max_dlon = 0.0;
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const LonLat c = grid.lonlat(i, j);
        const std::size_t n = static_cast<std::size_t>(i + nx * j);
        max_dlat = std::max(max_dlat, std::abs(c.lat - xlat[n]));
        max_dlon = std::max(max_dlon, std::abs(c.lon - xlon[n]));
      }
    std::printf("[realdata] WRF: x0=%.3f m y0=%.3f m, offset (%d, %d) in the full 200x200 domain; "
                "max |dlat|=%.2e deg, max |dlon|=%.2e deg\n",
                ds.grid.x0, ds.grid.y0, ds.i_offset, ds.j_offset, max_dlat, max_dlon);
    CHECK(max_dlat < 1e-3);
    CHECK(max_dlon < 1e-3);
  }

  SECTION("destaggered winds are the mean of the two faces; faces are the raw values") {
    const auto u = raw(path, "U");  // (4, 27, 8, 11)
    const auto v = raw(path, "V");  // (4, 27, 9, 8)
    const auto w = raw(path, "W");  // (4, 28, 8, 10)
    double max_err = 0.0;
    for (int t = 0; t < nt; ++t) {
      const WrfFrame& f = ds.frames[static_cast<std::size_t>(t)];
      for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i) {
            const auto ui = [&](int ii) { return u[static_cast<std::size_t>(ii + (nx + 1) * (j + ny * (k + nz * t)))]; };
            const auto vj = [&](int jj) { return v[static_cast<std::size_t>(i + nx * (jj + (ny + 1) * (k + nz * t)))]; };
            const auto wk = [&](int kk) { return w[static_cast<std::size_t>(i + nx * (j + ny * (kk + (nz + 1) * t)))]; };
            max_err = std::max(max_err, std::abs(f.u(i, j, k) - 0.5 * (ui(i) + ui(i + 1))));
            max_err = std::max(max_err, std::abs(f.v(i, j, k) - 0.5 * (vj(j) + vj(j + 1))));
            max_err = std::max(max_err, std::abs(f.w(i, j, k) - 0.5 * (wk(k) + wk(k + 1))));
            max_err = std::max(max_err, std::abs(f.u_face(i + 1, j, k) - ui(i + 1)));
          }
    }
    std::printf("[realdata] WRF: max |destaggered - mean of faces| = %.2e m/s\n", max_err);
    CHECK(max_err < 1e-12);  // both sides are the same float32 values in double arithmetic
  }

  SECTION("heights above ground from (PH+PHB)/g - HGT increase upwards; mass levels between") {
    const auto ph = raw(path, "PH");
    const auto phb = raw(path, "PHB");
    const auto hgt = raw(path, "HGT");
    double max_err = 0.0, max_ground = 0.0, min_dz = 1e9;
    for (int t = 0; t < nt; ++t) {
      const WrfFrame& f = ds.frames[static_cast<std::size_t>(t)];
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          for (int k = 0; k <= nz; ++k) {
            const std::size_t n = static_cast<std::size_t>(i + nx * (j + ny * (k + (nz + 1) * t)));
            const double ref = (ph[n] + phb[n]) / 9.81 - hgt[static_cast<std::size_t>(i + nx * j)];
            max_err = std::max(max_err, std::abs(f.z_w(i, j, k) - ref));
            if (k > 0) min_dz = std::min(min_dz, f.z_w(i, j, k) - f.z_w(i, j, k - 1));
          }
          max_ground = std::max(max_ground, std::abs(f.z_w(i, j, 0)));
          for (int k = 0; k < nz; ++k) {
            CHECK(f.z(i, j, k) > f.z_w(i, j, k));
            CHECK(f.z(i, j, k) < f.z_w(i, j, k + 1));
          }
        }
    }
    std::printf("[realdata] WRF: heights: max |z_w - raw| = %.2e m, max |z_w(ground)| = %.3f m, min layer "
                "thickness %.1f m, first w-level at (0,0) %.1f m, nominal top %.0f m\n",
                max_err, max_ground, min_dz, ds.frames[0].z_w(0, 0, 1), ds.grid.layer_tops.back());
    CHECK(max_err < 1e-9);
    CHECK(min_dz > 0.0);
    // The lowest w-level is the terrain: (PH+PHB)/g = HGT to float32 round-off (~1e-3 m at 5 km)
    CHECK(max_ground < 0.1);
  }

  SECTION("PBLH, UST, HFX, T2 equal the raw variables; T and RH plausible") {
    const auto pblh = raw(path, "PBLH");
    const auto ust = raw(path, "UST");
    const auto hfx = raw(path, "HFX");
    const auto t2 = raw(path, "T2");
    for (int t = 0; t < nt; ++t) {
      const WrfFrame& f = ds.frames[static_cast<std::size_t>(t)];
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const std::size_t n = static_cast<std::size_t>(i + nx * (j + ny * t));
          CHECK(f.pblh(i, j) == pblh[n]);
          CHECK(f.ust(i, j) == ust[n]);
          CHECK(f.hfx(i, j) == hfx[n]);
          CHECK(f.t2(i, j) == t2[n]);
          // The first model level (~25 m) is within 8 K of T2 (a 2-m/25-m difference beyond
          // that would mean a wrong theta -> T conversion: a 300 K offset or wrong p).
          CHECK(std::abs(f.t(i, j, 0) - f.t2(i, j)) < 8.0);
          CHECK(f.rh(i, j, 0) >= 0.0);
          CHECK(f.rh(i, j, 0) <= 100.0);
        }
    }
    // Standard atmosphere check on T: the top level (~16 km, ~100 hPa) is colder than 230 K.
    CHECK(ds.frames[0].t(0, 0, nz - 1) < 230.0);
    std::printf("[realdata] WRF: at (0,0) 00Z PBLH=%.1f m UST=%.4f m/s HFX=%.2f W/m2 T2=%.2f K T(k=0)=%.2f K RH(k=0)=%.1f%%\n",
                ds.frames[0].pblh(0, 0), ds.frames[0].ust(0, 0), ds.frames[0].hfx(0, 0), ds.frames[0].t2(0, 0),
                ds.frames[0].t(0, 0, 0), ds.frames[0].rh(0, 0, 0));
  }

  SECTION("precipitation rates difference RAINC+RAINNC over 3 h") {
    const auto rc = raw(path, "RAINC");
    const auto rnc = raw(path, "RAINNC");
    double max_err = 0.0;
    for (int t = 1; t < nt; ++t)
      for (int c = 0; c < nx * ny; ++c) {
        const std::size_t a = static_cast<std::size_t>(c + nx * ny * (t - 1)), b = static_cast<std::size_t>(c + nx * ny * t);
        const double ref = ((rc[b] + rnc[b]) - (rc[a] + rnc[a])) / 3.0;
        max_err = std::max(max_err, std::abs(ds.frames[static_cast<std::size_t>(t)].precip.data()[c] - std::max(ref, 0.0)));
      }
    CHECK(max_err < 1e-12);
  }

  SECTION("the projection's rotation matches COSALPHA/SINALPHA") {
    const auto cosa = raw(path, "COSALPHA");
    const auto sina = raw(path, "SINALPHA");
    const auto xlon = raw(path, "XLONG");
    double max_err = 0.0;
    for (std::size_t n = 0; n < cosa.size(); ++n) {
      const auto [c, s] = ds.projection.rotation(xlon[n]);
      max_err = std::max({max_err, std::abs(c - cosa[n]), std::abs(s - sina[n])});
    }
    std::printf("[realdata] WRF: max |rotation - COSALPHA/SINALPHA| = %.2e\n", max_err);
    CHECK(max_err < 1e-4);  // float32 storage and WRF's single-precision computation
  }
}
