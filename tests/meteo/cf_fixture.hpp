#pragma once
// Writes small ERA5-like CF NetCDF files (NetCDF C API) with closed-form contents, for the CF
// reader and point-table tests.
#include <netcdf.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/meteo/wrf_fixture.hpp"

namespace lantian::test {

// A small ERA5-like file with upper air: 2 hourly times from 2015-12-01T00Z, latitudes `lats`
// and longitudes `lons` in the given (file) order, a level coordinate, and variables of 2
// (lat, lon), 3 (time, lat, lon) or 4 (time, level, lat, lon) dimensions whose values come
// from `value(t, level index in the file, lon, lat)`.
struct NcVar {
  std::string name, units;
  int ndims = 4;
  std::function<double(int t, int k, double lon, double lat)> value;
  std::string standard_name = "";
};
struct NcLevels {
  std::string name = "level", units = "hPa", standard_name = "";
  std::vector<double> values;
};
inline void write_upper(const std::string& path, const std::vector<float>& lats, const std::vector<float>& lons,
                        const NcLevels& lev, const std::vector<NcVar>& vars) {
  int nc = 0;
  nc_ok(nc_create(path.c_str(), NC_CLOBBER, &nc));
  int dt, dl, dy, dx;
  nc_ok(nc_def_dim(nc, "time", 2, &dt));
  nc_ok(nc_def_dim(nc, lev.name.c_str(), lev.values.size(), &dl));
  nc_ok(nc_def_dim(nc, "latitude", lats.size(), &dy));
  nc_ok(nc_def_dim(nc, "longitude", lons.size(), &dx));
  auto text = [&](int v, const char* name, const std::string& value) {
    nc_ok(nc_put_att_text(nc, v, name, value.size(), value.c_str()));
  };
  int vt, vl, vy, vx;
  nc_ok(nc_def_var(nc, "time", NC_INT, 1, &dt, &vt));
  nc_ok(nc_def_var(nc, lev.name.c_str(), NC_DOUBLE, 1, &dl, &vl));
  nc_ok(nc_def_var(nc, "latitude", NC_FLOAT, 1, &dy, &vy));
  nc_ok(nc_def_var(nc, "longitude", NC_FLOAT, 1, &dx, &vx));
  text(vt, "units", "hours since 2015-12-01 00:00:00");
  text(vl, "units", lev.units);
  if (!lev.standard_name.empty()) text(vl, "standard_name", lev.standard_name);
  text(vy, "units", "degrees_north");
  text(vx, "units", "degrees_east");
  std::vector<int> ids;
  for (const NcVar& v : vars) {
    const int d4[4] = {dt, dl, dy, dx}, d3[3] = {dt, dy, dx}, d2[2] = {dy, dx};
    const int* d = v.ndims == 4 ? d4 : v.ndims == 3 ? d3 : d2;
    int id = 0;
    nc_ok(nc_def_var(nc, v.name.c_str(), NC_DOUBLE, v.ndims, d, &id));
    text(id, "units", v.units);
    if (!v.standard_name.empty()) text(id, "standard_name", v.standard_name);
    ids.push_back(id);
  }
  nc_ok(nc_enddef(nc));
  const int times[2] = {0, 1};
  nc_ok(nc_put_var_int(nc, vt, times));
  nc_ok(nc_put_var_double(nc, vl, lev.values.data()));
  nc_ok(nc_put_var_float(nc, vy, lats.data()));
  nc_ok(nc_put_var_float(nc, vx, lons.data()));
  for (std::size_t n = 0; n < vars.size(); ++n) {
    const NcVar& v = vars[n];
    const int nt = v.ndims == 2 ? 1 : 2, nl = v.ndims == 4 ? static_cast<int>(lev.values.size()) : 1;
    std::vector<double> data;
    for (int t = 0; t < nt; ++t)
      for (int k = 0; k < nl; ++k)
        for (float lat : lats)
          for (float lon : lons) data.push_back(v.value(t, k, lon, lat));
    nc_ok(nc_put_var_double(nc, ids[n], data.data()));
  }
  nc_ok(nc_close(nc));
}

inline NcVar constant(const std::string& name, const std::string& units, int ndims, double x) {
  return {name, units, ndims, [x](int, int, double, double) { return x; }};
}

}  // namespace lantian::test
