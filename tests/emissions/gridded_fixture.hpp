#pragma once
// Small CF NetCDF files of gridded emissions written with the NetCDF C API, for the gridded
// reader's tests (tests/emissions) and the case-file tests that read them (tests/scenarios).
// Test binaries that include this link PkgConfig::NETCDF (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cstddef>
#include <string>
#include <vector>

namespace lantian::test {

inline void nc(int rc) { REQUIRE(rc == NC_NOERR); }

inline void put_text(int id, int var, const char* name, const std::string& value) {
  nc(nc_put_att_text(id, var, name, value.size(), value.c_str()));
}

/// A pollutant variable to write: name, units, values in file order (time, y, x).
struct GriddedVar {
  std::string name;
  std::string units;
  std::vector<double> values;
};

/// Writes a lon/lat file: centres lon[], lat[], optional time dimension of length nt (0: none),
/// the `sector` attribute of the file unless `sector` is "".
inline void write_lonlat(const std::string& path, const std::vector<double>& lon, const std::vector<double>& lat,
                         int nt, const std::vector<GriddedVar>& vars,
                         const std::string& sector = "residential_heating") {
  int id = 0, dx = 0, dy = 0, dt = 0, vx = 0, vy = 0;
  nc(nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &id));
  if (nt > 0) nc(nc_def_dim(id, "time", static_cast<std::size_t>(nt), &dt));
  nc(nc_def_dim(id, "lat", lat.size(), &dy));
  nc(nc_def_dim(id, "lon", lon.size(), &dx));
  nc(nc_def_var(id, "lon", NC_DOUBLE, 1, &dx, &vx));
  put_text(id, vx, "units", "degrees_east");
  nc(nc_def_var(id, "lat", NC_DOUBLE, 1, &dy, &vy));
  put_text(id, vy, "units", "degrees_north");
  if (!sector.empty()) put_text(id, NC_GLOBAL, "sector", sector);
  std::vector<int> ids;
  for (const GriddedVar& v : vars) {
    int vid = 0;
    const int d3[] = {dt, dy, dx};
    nc(nc_def_var(id, v.name.c_str(), NC_DOUBLE, nt > 0 ? 3 : 2, nt > 0 ? d3 : d3 + 1, &vid));
    put_text(id, vid, "units", v.units);
    ids.push_back(vid);
  }
  nc(nc_enddef(id));
  nc(nc_put_var_double(id, vx, lon.data()));
  nc(nc_put_var_double(id, vy, lat.data()));
  for (std::size_t n = 0; n < vars.size(); ++n) nc(nc_put_var_double(id, ids[n], vars[n].values.data()));
  nc(nc_close(id));
}

}  // namespace lantian::test
