#include "meteo/point_series.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "core/error.hpp"
#include "core/grid.hpp"

namespace lantian::meteo {

namespace {

// Bilinear weights between cell centres of a Field2D-shaped grid.
struct Bilinear {
  int i0 = 0, i1 = 0, j0 = 0, j1 = 0;
  double a = 0.0, b = 0.0;  // weights of i1 and j1

  template <class F>
  double operator()(F&& value) const {
    return (1 - a) * (1 - b) * value(i0, j0) + a * (1 - b) * value(i1, j0) + (1 - a) * b * value(i0, j1) +
           a * b * value(i1, j1);
  }
};

// Index and weight along one axis: centres at (n + 1/2) spacing; constant beyond the outer ones.
void axis_weights(double f, int n, int& lo, int& hi, double& w) {
  f = std::clamp(f, 0.0, static_cast<double>(n - 1));
  lo = std::min(static_cast<int>(std::floor(f)), std::max(n - 2, 0));
  hi = std::min(lo + 1, n - 1);
  w = hi == lo ? 0.0 : f - lo;
}

std::string num(double v, int precision) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  return buf;
}

}  // namespace

PointSeries point_series(const WrfDataset& ds, double lat, double lon, const PointOptions& options) {
  const Grid grid = ds.make_grid();
  PointSeries s;
  s.lat = lat;
  s.lon = lon;
  const XY p = grid.project(lon, lat);
  s.x = p.x;
  s.y = p.y;
  if (!grid.cell_of(p.x, p.y)) {
    double lat_min = 90, lat_max = -90, lon_min = 360, lon_max = -360;
    for (std::size_t n = 0; n < ds.lat.size(); ++n) {
      lat_min = std::min(lat_min, ds.lat.data()[n]);
      lat_max = std::max(lat_max, ds.lat.data()[n]);
      lon_min = std::min(lon_min, ds.lon.data()[n]);
      lon_max = std::max(lon_max, ds.lon.data()[n]);
    }
    throw Error(ErrorContext{ds.files.empty() ? "" : ds.files.front(), 0, "--at"},
                "the point " + num(lat, 4) + " N, " + num(lon, 4) + " E is outside the WRF domain (cell centres span " +
                    num(lat_min, 3) + ".." + num(lat_max, 3) + " N, " + num(lon_min, 3) + ".." + num(lon_max, 3) + " E)");
  }
  Bilinear w;
  axis_weights((p.x - grid.x0()) / grid.dx() - 0.5, grid.nx(), w.i0, w.i1, w.a);
  axis_weights((p.y - grid.y0()) / grid.dy() - 0.5, grid.ny(), w.j0, w.j1, w.b);

  const bool have_z0 = std::isfinite(w([&](int i, int j) { return ds.z0(i, j); }));
  const double z0 = have_z0 ? w([&](int i, int j) { return ds.z0(i, j); }) : options.z0_default;

  for (std::size_t n = 0; n < ds.size(); ++n) {
    WrfFrame loaded;
    const WrfFrame& f = ds.frames.empty() ? (loaded = load_frame(ds, n)) : ds.frames[n];
    PointRow r;
    r.time = f.time;
    // Earth-relative 10-m wind (WRF: u_e = u cos a - v sin a, v_e = v cos a + u sin a).
    const double ue = w([&](int i, int j) { return f.u10(i, j) * ds.cosalpha(i, j) - f.v10(i, j) * ds.sinalpha(i, j); });
    const double ve = w([&](int i, int j) { return f.v10(i, j) * ds.cosalpha(i, j) + f.u10(i, j) * ds.sinalpha(i, j); });
    r.wind_speed = std::hypot(ue, ve);
    // Meteorological direction: where the wind comes from, clockwise from north.
    r.wind_dir = r.wind_speed > 0 ? std::fmod(std::atan2(-ue, -ve) * 180.0 / std::numbers::pi + 360.0, 360.0) : 0.0;
    r.pblh = w([&](int i, int j) { return f.pblh(i, j); });
    r.ustar = w([&](int i, int j) { return f.ust(i, j); });
    r.shf = w([&](int i, int j) { return f.hfx(i, j); });
    r.t2 = w([&](int i, int j) { return f.t2(i, j); });
    r.rh2 = w([&](int i, int j) { return f.rh2(i, j); });
    r.precip = w([&](int i, int j) { return f.precip(i, j); });
    r.t_upper = w([&](int i, int j) { return f.t(i, j, 0); });
    r.z_upper = w([&](int i, int j) { return f.z(i, j, 0); });
    const double psfc = w([&](int i, int j) { return f.psfc(i, j); });
    r.obukhov = monin_obukhov_length(r.ustar, r.shf, r.t2, air_density(psfc, r.t2));
    r.z0 = z0;
    r.stability = pasquill_from_obukhov(r.obukhov, z0);
    r.flags = stagnation_flags({r.wind_speed, r.pblh, r.t2, r.t_upper, r.z_upper, r.rh2}, options.thresholds);
    s.rows.push_back(r);
  }
  return s;
}

void write_point_series_csv(const PointSeries& s, std::ostream& out, const TimeZone& tz) {
  out << "time_utc,time_local,wind10_m_s,wind10_dir_deg,pblh_m,ustar_m_s,shf_w_m2,obukhov_m,stability,t2_c,rh2_pct,"
         "precip_mm_h,weak_wind,shallow_mixing,surface_inversion,humid,stagnation_count\n";
  for (const PointRow& r : s.rows) {
    out << format_utc(r.time) << ',' << format_local(r.time, tz) << ',' << num(r.wind_speed, 2) << ','
        << num(r.wind_dir, 0) << ',' << num(r.pblh, 0) << ',' << num(r.ustar, 3) << ',' << num(r.shf, 1) << ','
        << num(r.obukhov, 1) << ',' << stability_letter(r.stability) << ',' << num(r.t2 - 273.15, 1) << ','
        << num(r.rh2, 0) << ',' << num(r.precip, 2) << ',' << int{r.flags.weak_wind} << ','
        << int{r.flags.shallow_mixing} << ',' << int{r.flags.surface_inversion} << ',' << int{r.flags.humid} << ','
        << r.flags.count() << '\n';
  }
}

void save_point_series_csv(const PointSeries& s, const std::string& path, const TimeZone& tz) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / (target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary);
    LANTIAN_CHECK(out.good(), (ErrorContext{path, 0, ""}), "cannot write (is the folder there and writable?)");
    write_point_series_csv(s, out, tz);
    out.flush();
    if (!out.good()) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw Error(ErrorContext{path, 0, ""}, "write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw Error(ErrorContext{path, 0, ""}, "cannot rename the temporary file into place: " + why);
  }
}

}  // namespace lantian::meteo
