#pragma once
// Writes small synthetic wrfout files (NetCDF C API) with analytic contents, for reader tests:
// a Lambert domain of 3 x 2 columns and 2 levels centred on 30 N 87 E (DX = DY = 30 km).
//   U faces = i + 10 k; V faces = 2 j; W faces = 0.1 k; PH = 0, PHB = g (HGT + 100 k) so that the
//   w-levels are 0, 100, 200 m above ground; HGT = 1000 m; T = 0 (theta 300 K), P = 0,
//   PB = 85000 Pa; QVAPOR = 0.0056120 kg/kg; T2 = 280 K; Q2 = 0.005; PSFC = 85000 Pa;
//   U10 = 1, V10 = 2; PBLH = 300 m; UST = 0.2 m/s; HFX = -10 W/m2; RAINC = acc, RAINNC = acc/2.
#include <netcdf.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/grid.hpp"

namespace lantian::test {

struct WrfFixture {
  std::vector<std::string> times{"2015-12-01_00:00:00", "2015-12-01_03:00:00"};
  std::vector<double> rain_acc{0.0, 3.0};  ///< RAINC per time (RAINNC is half of it)
  std::string skip_var;                    ///< a variable to leave out
  int map_proj = 1;
  std::string override_var;     ///< a 2-D variable (e.g. "T2") whose analytic value is replaced
  double override_value = 0.0;  ///< by this, at the first time, cell (0, 0) only
};

inline void nc_ok(int rc) {
  if (rc != NC_NOERR) throw std::runtime_error(std::string("fixture NetCDF error: ") + nc_strerror(rc));
}

inline void write_wrf_fixture(const std::string& path, const WrfFixture& fx) {
  constexpr int nx = 3, ny = 2, nz = 2;
  constexpr double dx = 30000.0, g = 9.81;
  const int nt = static_cast<int>(fx.times.size());
  int nc = 0;
  nc_ok(nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &nc));
  int d_t, d_s, d_we, d_sn, d_bt, d_wes, d_sns, d_bts;
  nc_ok(nc_def_dim(nc, "Time", NC_UNLIMITED, &d_t));
  nc_ok(nc_def_dim(nc, "DateStrLen", 19, &d_s));
  nc_ok(nc_def_dim(nc, "west_east", nx, &d_we));
  nc_ok(nc_def_dim(nc, "south_north", ny, &d_sn));
  nc_ok(nc_def_dim(nc, "bottom_top", nz, &d_bt));
  nc_ok(nc_def_dim(nc, "west_east_stag", nx + 1, &d_wes));
  nc_ok(nc_def_dim(nc, "south_north_stag", ny + 1, &d_sns));
  nc_ok(nc_def_dim(nc, "bottom_top_stag", nz + 1, &d_bts));
  auto att = [&](const char* name, double v) { nc_ok(nc_put_att_double(nc, NC_GLOBAL, name, NC_FLOAT, 1, &v)); };
  auto iatt = [&](const char* name, int v) { nc_ok(nc_put_att_int(nc, NC_GLOBAL, name, NC_INT, 1, &v)); };
  iatt("MAP_PROJ", fx.map_proj);
  att("TRUELAT1", 30.0);
  att("TRUELAT2", 35.0);
  att("STAND_LON", 87.0);
  att("CEN_LAT", 30.0);
  att("CEN_LON", 87.0);
  att("MOAD_CEN_LAT", 30.0);
  att("DX", dx);
  att("DY", dx);
  iatt("WEST-EAST_GRID_DIMENSION", nx + 1);
  iatt("SOUTH-NORTH_GRID_DIMENSION", ny + 1);

  struct Var {
    const char* name;
    std::vector<int> dims;
    int id = -1;
  };
  std::vector<Var> vars = {
      {"XLAT", {d_t, d_sn, d_we}},      {"XLONG", {d_t, d_sn, d_we}},     {"HGT", {d_t, d_sn, d_we}},
      {"U", {d_t, d_bt, d_sn, d_wes}},  {"V", {d_t, d_bt, d_sns, d_we}},  {"W", {d_t, d_bts, d_sn, d_we}},
      {"PH", {d_t, d_bts, d_sn, d_we}}, {"PHB", {d_t, d_bts, d_sn, d_we}}, {"T", {d_t, d_bt, d_sn, d_we}},
      {"P", {d_t, d_bt, d_sn, d_we}},   {"PB", {d_t, d_bt, d_sn, d_we}},  {"QVAPOR", {d_t, d_bt, d_sn, d_we}},
      {"T2", {d_t, d_sn, d_we}},        {"Q2", {d_t, d_sn, d_we}},        {"U10", {d_t, d_sn, d_we}},
      {"V10", {d_t, d_sn, d_we}},       {"PSFC", {d_t, d_sn, d_we}},      {"PBLH", {d_t, d_sn, d_we}},
      {"UST", {d_t, d_sn, d_we}},       {"HFX", {d_t, d_sn, d_we}},       {"RAINC", {d_t, d_sn, d_we}},
      {"RAINNC", {d_t, d_sn, d_we}},
  };
  int times_id = 0;
  const int tdims[2] = {d_t, d_s};
  nc_ok(nc_def_var(nc, "Times", NC_CHAR, 2, tdims, &times_id));
  for (Var& v : vars)
    if (fx.skip_var != v.name)
      nc_ok(nc_def_var(nc, v.name, NC_FLOAT, static_cast<int>(v.dims.size()), v.dims.data(), &v.id));
  nc_ok(nc_enddef(nc));

  // Cell centres on the full (uncropped) domain centred on (87 E, 30 N).
  GridSpec gs;
  gs.crs = "+proj=lcc +lat_1=30 +lat_2=35 +lat_0=30 +lon_0=87 +a=6370000 +b=6370000 +units=m +no_defs";
  gs.nx = nx;
  gs.ny = ny;
  gs.dx = gs.dy = dx;
  gs.x0 = -0.5 * nx * dx;
  gs.y0 = -0.5 * ny * dx;
  gs.layer_tops = {1.0};
  const Grid grid(gs);

  for (int t = 0; t < nt; ++t) {
    const std::size_t ts = static_cast<std::size_t>(t);
    const std::size_t st[2] = {ts, 0}, ct[2] = {1, 19};
    nc_ok(nc_put_vara_text(nc, times_id, st, ct, fx.times[ts].c_str()));
    for (const Var& v : vars) {
      if (v.id < 0) continue;
      const std::string n = v.name;
      std::vector<std::size_t> start(v.dims.size(), 0), count(v.dims.size(), 1);
      start[0] = ts;
      for (std::size_t d = 1; d < v.dims.size(); ++d) nc_ok(nc_inq_dimlen(nc, v.dims[d], &count[d]));
      const std::size_t nk = v.dims.size() == 4 ? count[1] : 1;
      const std::size_t nj = count[v.dims.size() - 2], ni = count[v.dims.size() - 1];
      std::vector<double> data(nk * nj * ni);
      for (std::size_t k = 0; k < nk; ++k)
        for (std::size_t j = 0; j < nj; ++j)
          for (std::size_t i = 0; i < ni; ++i) {
            const double I = static_cast<double>(i), J = static_cast<double>(j), K = static_cast<double>(k);
            double x = 0.0;
            if (n == "XLAT") x = grid.lonlat(static_cast<int>(i), static_cast<int>(j)).lat;
            else if (n == "XLONG") x = grid.lonlat(static_cast<int>(i), static_cast<int>(j)).lon;
            else if (n == "HGT") x = 1000.0;
            else if (n == "U") x = I + 10.0 * K;
            else if (n == "V") x = 2.0 * J;
            else if (n == "W") x = 0.1 * K;
            else if (n == "PHB") x = g * (1000.0 + 100.0 * K);
            else if (n == "PB" || n == "PSFC") x = 85000.0;
            else if (n == "QVAPOR") x = 0.0056120;
            else if (n == "T2") x = 280.0;
            else if (n == "Q2") x = 0.005;
            else if (n == "U10") x = 1.0;
            else if (n == "V10") x = 2.0;
            else if (n == "PBLH") x = 300.0;
            else if (n == "UST") x = 0.2;
            else if (n == "HFX") x = -10.0;
            else if (n == "RAINC") x = fx.rain_acc[ts];
            else if (n == "RAINNC") x = 0.5 * fx.rain_acc[ts];
            if (n == fx.override_var && ts == 0 && i == 0 && j == 0) x = fx.override_value;
            data[i + ni * (j + nj * k)] = x;
          }
      nc_ok(nc_put_vara_double(nc, v.id, start.data(), count.data(), data.data()));
    }
  }
  nc_ok(nc_close(nc));
}

}  // namespace lantian::test
