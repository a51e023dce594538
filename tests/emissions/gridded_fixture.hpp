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

/// An IOAPI (CMAQ emission input) file as CMAQ's tools write it: global attributes of the grid
/// and time, VAR-LIST of 16-character names, TFLAG (TSTEP, VAR, DATE-TIME), float variables on
/// (TSTEP, LAY, ROW, COL) with units, long_name and var_desc padded as IOAPI pads them.
struct IoapiFile {
  int gdtyp = 2;
  double p_alp = 25.0, p_bet = 40.0, p_gam = 110.0, xcent = 110.0, ycent = 34.0;
  double xorig = 0.0, yorig = 0.0, xcell = 12000.0, ycell = 12000.0;
  int ncols = 3, nrows = 3, nlays = 1;
  int nsteps = 1;
  int sdate = 2020001, stime = 0, tstep = 0;  ///< YYYYDDD, HHMMSS, HHMMSS (0: time-independent)
  /// YYYYDDD of each step (empty: from sdate, stime and tstep).
  std::vector<int> step_dates;
  bool tflag = true;
  /// The vertical grid: VGTYP, VGTOP (Pa) and the NLAYS + 1 faces VGLVLS (empty: sigma
  /// 1, 0.995, 0.990, ...).
  int vgtyp = 7;  // VGWRFEM: WRF-ARW eta
  double vgtop = 5000.0;
  std::vector<double> vglvls;
  /// Values (TSTEP, LAY, ROW, COL); units written padded to 16 characters.
  std::vector<GriddedVar> vars;
};

/// `s` padded with blanks to `n` characters (IOAPI's fixed-width text).
inline std::string padded(const std::string& s, std::size_t n) {
  std::string out = s;
  if (out.size() < n) out.append(n - out.size(), ' ');
  return out;
}

inline void write_ioapi(const std::string& path, const IoapiFile& f) {
  int id = 0, dt = 0, dd = 0, dl = 0, dr = 0, dc = 0, dv = 0;
  nc(nc_create(path.c_str(), NC_CLOBBER, &id));  // IOAPI files are classic NetCDF
  nc(nc_def_dim(id, "TSTEP", NC_UNLIMITED, &dt));
  nc(nc_def_dim(id, "DATE-TIME", 2, &dd));
  nc(nc_def_dim(id, "LAY", static_cast<std::size_t>(f.nlays), &dl));
  nc(nc_def_dim(id, "VAR", f.vars.size(), &dv));
  nc(nc_def_dim(id, "ROW", static_cast<std::size_t>(f.nrows), &dr));
  nc(nc_def_dim(id, "COL", static_cast<std::size_t>(f.ncols), &dc));
  const auto put_int = [&](const char* name, int v) { nc(nc_put_att_int(id, NC_GLOBAL, name, NC_INT, 1, &v)); };
  const auto put_double = [&](const char* name, double v) {
    nc(nc_put_att_double(id, NC_GLOBAL, name, NC_DOUBLE, 1, &v));
  };
  put_int("IOAPI_VERSION", 0);
  put_text(id, NC_GLOBAL, "EXEC_ID", padded("????????????????", 80));
  put_int("FTYPE", 1);
  put_int("CDATE", 2024001);
  put_int("CTIME", 120000);
  put_int("WDATE", 2024001);
  put_int("WTIME", 120000);
  put_int("SDATE", f.sdate);
  put_int("STIME", f.stime);
  put_int("TSTEP", f.tstep);
  put_int("NTHIK", 1);
  put_int("NCOLS", f.ncols);
  put_int("NROWS", f.nrows);
  put_int("NLAYS", f.nlays);
  put_int("NVARS", static_cast<int>(f.vars.size()));
  put_int("GDTYP", f.gdtyp);
  put_double("P_ALP", f.p_alp);
  put_double("P_BET", f.p_bet);
  put_double("P_GAM", f.p_gam);
  put_double("XCENT", f.xcent);
  put_double("YCENT", f.ycent);
  put_double("XORIG", f.xorig);
  put_double("YORIG", f.yorig);
  put_double("XCELL", f.xcell);
  put_double("YCELL", f.ycell);
  put_int("VGTYP", f.vgtyp);
  const float vgtop = static_cast<float>(f.vgtop);
  nc(nc_put_att_float(id, NC_GLOBAL, "VGTOP", NC_FLOAT, 1, &vgtop));
  std::vector<float> levels;
  for (int k = 0; k <= f.nlays; ++k)
    levels.push_back(f.vglvls.empty() ? 1.0f - 0.005f * static_cast<float>(k)
                                      : static_cast<float>(f.vglvls[static_cast<std::size_t>(k)]));
  nc(nc_put_att_float(id, NC_GLOBAL, "VGLVLS", NC_FLOAT, levels.size(), levels.data()));
  put_text(id, NC_GLOBAL, "GDNAM", padded("CN12_3X3", 16));
  put_text(id, NC_GLOBAL, "UPNAM", padded("MEIC2CMAQ", 16));
  std::string var_list;
  for (const GriddedVar& v : f.vars) var_list += padded(v.name, 16);
  put_text(id, NC_GLOBAL, "VAR-LIST", var_list);
  put_text(id, NC_GLOBAL, "FILEDESC", padded("MEIC 2020 emissions for CMAQ (test)", 80));
  put_text(id, NC_GLOBAL, "HISTORY", "");
  int vflag = 0;
  const int tdims[] = {dt, dv, dd};
  if (f.tflag) {
    nc(nc_def_var(id, "TFLAG", NC_INT, 3, tdims, &vflag));
    put_text(id, vflag, "units", "<YYYYDDD,HHMMSS>");
    put_text(id, vflag, "long_name", padded("TFLAG", 16));
    put_text(id, vflag, "var_desc", padded("Timestep-valid flags:  (1) YYYYDDD or (2) HHMMSS", 80));
  }
  std::vector<int> ids;
  const int d4[] = {dt, dl, dr, dc};
  for (const GriddedVar& v : f.vars) {
    int vid = 0;
    nc(nc_def_var(id, v.name.c_str(), NC_FLOAT, 4, d4, &vid));
    put_text(id, vid, "long_name", padded(v.name, 16));
    put_text(id, vid, "units", padded(v.units, 16));
    put_text(id, vid, "var_desc", padded("Model species " + v.name, 80));
    ids.push_back(vid);
  }
  nc(nc_enddef(id));
  const std::size_t nt = static_cast<std::size_t>(f.nsteps);
  if (f.tflag) {
    std::vector<int> flags;
    for (std::size_t t = 0; t < nt; ++t)
      for (std::size_t v = 0; v < f.vars.size(); ++v) {
        const int hours = f.stime / 10000 + static_cast<int>(t) * (f.tstep / 10000);
        flags.push_back(f.step_dates.empty() ? f.sdate + hours / 24 : f.step_dates[t]);
        flags.push_back(f.step_dates.empty() ? (hours % 24) * 10000 : 0);
      }
    const std::size_t start[] = {0, 0, 0}, count[] = {nt, f.vars.size(), 2};
    nc(nc_put_vara_int(id, vflag, start, count, flags.data()));
  }
  for (std::size_t n = 0; n < f.vars.size(); ++n) {
    const std::size_t start[] = {0, 0, 0, 0};
    const std::size_t count[] = {nt, static_cast<std::size_t>(f.nlays), static_cast<std::size_t>(f.nrows),
                                 static_cast<std::size_t>(f.ncols)};
    REQUIRE(f.vars[n].values.size() == count[0] * count[1] * count[2] * count[3]);
    nc(nc_put_vara_double(id, ids[n], start, count, f.vars[n].values.data()));
  }
  nc(nc_close(id));
}

}  // namespace lantian::test
