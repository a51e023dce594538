#include "meteo/point_series.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "core/netcdf_file.hpp"

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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Meteorological direction of an earth-relative wind: where it comes from, clockwise from north.
double wind_from(double ue, double ve) {
  const double speed = std::hypot(ue, ve);
  return speed > 0 ? std::fmod(std::atan2(-ue, -ve) * 180.0 / std::numbers::pi + 360.0, 360.0) : 0.0;
}

// Index and weight of `x` on increasing coordinates `c`: c[lo] <= x <= c[lo + 1]; false outside.
bool bracket(const std::vector<double>& c, double x, int& lo, int& hi, double& w) {
  if (c.empty() || !(x >= c.front() - 1e-9 && x <= c.back() + 1e-9)) return false;
  if (c.size() == 1) {
    lo = hi = 0;
    w = 0.0;
    return true;
  }
  const auto it = std::upper_bound(c.begin(), c.end(), x);
  lo = std::clamp(static_cast<int>(it - c.begin()) - 1, 0, static_cast<int>(c.size()) - 2);
  hi = lo + 1;
  w = std::clamp((x - c[static_cast<std::size_t>(lo)]) / (c[static_cast<std::size_t>(hi)] - c[static_cast<std::size_t>(lo)]),
                 0.0, 1.0);
  return true;
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
    r.wind_dir = wind_from(ue, ve);
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

PointSeries point_series(const CfSurface& cf, double lat, double lon, const PointOptions& options) {
  std::string missing;
  if (cf.t2.empty()) missing += " t2m|T2|tas";
  if (cf.u10.empty()) missing += " u10|U10|uas";
  if (cf.v10.empty()) missing += " v10|V10|vas";
  if (cf.pblh.empty()) missing += " blh|PBLH|pblh";
  LANTIAN_CHECK(missing.empty(), (ErrorContext{cf.file, 0, ""}),
                "missing variables for the point table (expected one of each):" + missing);
  PointSeries s;
  s.lat = lat;
  s.lon = lon;
  Bilinear w;
  bool inside = bracket(cf.lat, lat, w.j0, w.j1, w.b);
  double x = lon;
  if (inside && !cf.lon.empty()) {
    // Longitudes modulo 360: the file may use 0..360 or -180..180.
    if (x < cf.lon.front() - 1e-9) x += 360.0 * std::ceil((cf.lon.front() - 1e-9 - x) / 360.0);
    if (x > cf.lon.back() + 1e-9) x -= 360.0 * std::ceil((x - cf.lon.back() - 1e-9) / 360.0);
    inside = bracket(cf.lon, x, w.i0, w.i1, w.a);
  }
  s.x = x;
  s.y = lat;
  if (!inside)
    throw Error(ErrorContext{cf.file, 0, "--at"},
                "the point " + num(lat, 4) + " N, " + num(lon, 4) + " E is outside the file's grid (points span " +
                    (cf.lat.empty() ? std::string("nothing") : num(cf.lat.front(), 3) + ".." + num(cf.lat.back(), 3)) +
                    " N, " + (cf.lon.empty() ? std::string("nothing") : num(cf.lon.front(), 3) + ".." + num(cf.lon.back(), 3)) +
                    " E)");
  auto at = [&](const std::vector<Field2D<double>>& f, std::size_t n) {
    if (f.empty()) return kNaN;
    return w([&](int i, int j) { return f[n](i, j); });
  };
  for (std::size_t n = 0; n < cf.times.size(); ++n) {
    PointRow r;
    r.time = cf.times[n];
    const double ue = at(cf.u10, n), ve = at(cf.v10, n);
    r.wind_speed = std::hypot(ue, ve);
    r.wind_dir = wind_from(ue, ve);
    r.pblh = at(cf.pblh, n);
    r.ustar = at(cf.ustar, n);
    r.shf = at(cf.shf, n);
    r.t2 = at(cf.t2, n);
    r.rh2 = at(cf.rh2, n);
    r.precip = at(cf.precip, n);
    r.t_upper = r.z_upper = kNaN;
    if (cf.has_upper_air() && n < cf.z.size()) {
      // The lowest level above ground in all four columns.
      const Field3D<double>& z = cf.z[n];
      for (int k = 0; k < z.nz(); ++k) {
        const double zk = w([&](int i, int j) { return z(i, j, k); });
        if (std::isfinite(zk)) {
          r.z_upper = zk;
          r.t_upper = w([&](int i, int j) { return cf.t[n](i, j, k); });
          break;
        }
      }
    }
    const double psfc = cf.psfc.empty() ? 101325.0 : at(cf.psfc, n);
    r.z0 = options.z0_default;
    if (std::isfinite(r.ustar) && std::isfinite(r.shf)) {
      r.obukhov = monin_obukhov_length(r.ustar, r.shf, r.t2, air_density(psfc, r.t2));
      r.stability = pasquill_from_obukhov(r.obukhov, r.z0);
    } else {
      r.obukhov = kNaN;
      r.has_stability = false;
    }
    r.flags = stagnation_flags({r.wind_speed, r.pblh, r.t2, r.t_upper, r.z_upper, r.rh2}, options.thresholds);
    s.rows.push_back(r);
  }
  return s;
}

PointSeries point_series(const std::vector<StationHour>& hours, const StationOptions& station,
                         const PointOptions& options) {
  PointSeries s;
  s.lat = s.y = station.lat;
  s.lon = s.x = station.lon;
  const std::vector<StationDiagnosis> diag = diagnose_station(hours, station);
  for (std::size_t n = 0; n < hours.size(); ++n) {
    const StationHour& h = hours[n];
    const StationDiagnosis& d = diag[n];
    PointRow r;
    r.time = h.time;
    r.wind_speed = h.wind10;
    r.wind_dir = h.wind_dir;
    r.pblh = d.pblh;
    r.t2 = h.t2;
    r.rh2 = h.rh2;
    r.precip = h.precip;
    r.t_upper = r.z_upper = kNaN;
    r.z0 = station.z0;
    r.stability = d.stability;
    if (d.diagnosed) {
      // No observed mixing height: what StationMet uses, the diagnosed u*, H and L.
      r.ustar = d.ustar;
      r.shf = d.shf;
      r.obukhov = d.obukhov;
    } else if (std::isfinite(h.ustar) && std::isfinite(h.shf)) {
      r.ustar = h.ustar;
      r.shf = h.shf;
      r.obukhov = d.obukhov;
    } else {
      // As StationMet::stability_at: Turner from wind, cloud and sun; u*, H and L not observed.
      r.ustar = r.shf = r.obukhov = kNaN;
    }
    r.flags = stagnation_flags({r.wind_speed, r.pblh, r.t2, r.t_upper, r.z_upper, r.rh2}, options.thresholds);
    s.rows.push_back(r);
  }
  return s;
}

std::optional<MetFormat> parse_met_format(const std::string& name) {
  if (name == "wrf") return MetFormat::wrf;
  if (name == "cf") return MetFormat::cf;
  if (name == "station") return MetFormat::station;
  return std::nullopt;
}

namespace {

const char* format_name(MetFormat f) {
  switch (f) {
    case MetFormat::wrf: return "WRF";
    case MetFormat::cf: return "CF NetCDF";
    case MetFormat::station: return "station profile CSV";
  }
  return "?";
}

}  // namespace

MetFormat detect_met_format(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".csv") return MetFormat::station;
  std::string why;
  const std::optional<NetcdfFile> nc = NetcdfFile::try_open(path, &why);
  LANTIAN_CHECK(nc.has_value(), (ErrorContext{path, 0, ""}),
                "expected a NetCDF file (WRF or CF) or a station profile .csv, but it cannot be read as NetCDF (" + why +
                    "); name the kind with --format wrf|cf|station");
  auto has_att = [&](const char* name) { return nc->has_att(NetcdfFile::kGlobal, name); };
  auto has_var = [&](const char* name) { return nc->var(name).has_value(); };
  const bool wrf = has_att("MAP_PROJ") || has_att("DX") || (has_var("Times") && has_var("XLAT"));
  return wrf ? MetFormat::wrf : MetFormat::cf;
}

PointSeries point_series_from_files(const std::vector<std::string>& files, double lat, double lon,
                                    std::optional<MetFormat> format, const PointOptions& options,
                                    const std::string& time_zone) {
  LANTIAN_CHECK(!files.empty(), (ErrorContext{"", 0, "files"}), "expected at least one meteorological file");
  const MetFormat kind = format ? *format : detect_met_format(files.front());
  if (!format)
    for (const std::string& f : files) {
      const MetFormat k = detect_met_format(f);
      LANTIAN_CHECK(k == kind, (ErrorContext{f, 0, ""}),
                    std::string("expected files of one kind: this is ") + format_name(k) + ", the first (" +
                        files.front() + ") is " + format_name(kind));
    }
  if (kind == MetFormat::wrf) return point_series(open_wrf(files), lat, lon, options);
  PointSeries all;
  for (const std::string& f : files) {
    PointSeries s;
    if (kind == MetFormat::cf) {
      s = point_series(read_cf_surface(f), lat, lon, options);
    } else {
      StationOptions so;
      so.lat = lat;
      so.lon = lon;
      so.z0 = options.z0_default;
      so.time_zone = time_zone;
      s = point_series(read_station_csv(f, so, &all.warnings), so, options);
    }
    if (!all.rows.empty() && !s.rows.empty())
      LANTIAN_CHECK(s.rows.front().time > all.rows.back().time, (ErrorContext{f, 0, "time"}),
                    "expected times after the previous file's last (" + format_utc(all.rows.back().time) + "), found " +
                        format_utc(s.rows.front().time) + "; give the files in time order without overlap");
    const std::vector<PointRow> prev = std::move(all.rows);
    std::vector<std::string> warnings = std::move(all.warnings);
    all = std::move(s);
    all.rows.insert(all.rows.begin(), prev.begin(), prev.end());
    all.warnings = std::move(warnings);
  }
  return all;
}

void write_point_series_csv(const PointSeries& s, std::ostream& out, const TimeZone& tz) {
  // A flag whose inputs are unknown is an empty cell, not a 0.
  auto flag = [](bool raised, bool known) { return known ? std::string(raised ? "1" : "0") : std::string(); };
  out << "time_utc,time_local,wind10_m_s,wind10_dir_deg,pblh_m,ustar_m_s,shf_w_m2,obukhov_m,stability,t2_c,rh2_pct,"
         "precip_mm_h,weak_wind,shallow_mixing,surface_inversion,humid,stagnation_count\n";
  for (const PointRow& r : s.rows) {
    out << format_utc(r.time) << ',' << format_local(r.time, tz) << ',' << num(r.wind_speed, 2) << ','
        << num(r.wind_dir, 0) << ',' << num(r.pblh, 0) << ',' << num(r.ustar, 3) << ',' << num(r.shf, 1) << ','
        << num(r.obukhov, 1) << ',';
    if (r.has_stability) out << stability_letter(r.stability);
    const bool inversion_known = std::isfinite(r.t2) && std::isfinite(r.t_upper) && std::isfinite(r.z_upper);
    out << ',' << num(r.t2 - 273.15, 1) << ',' << num(r.rh2, 0) << ',' << num(r.precip, 2) << ','
        << flag(r.flags.weak_wind, std::isfinite(r.wind_speed)) << ','
        << flag(r.flags.shallow_mixing, std::isfinite(r.pblh)) << ','
        << flag(r.flags.surface_inversion, inversion_known) << ',' << flag(r.flags.humid, std::isfinite(r.rh2))
        << ',' << r.flags.count() << '\n';
  }
}

void save_point_series_csv(const PointSeries& s, const OutputRequest& out, const TimeZone& tz) {
  write_output_file(out, kPointSeriesSignature, [&](std::ostream& os) { write_point_series_csv(s, os, tz); });
}

}  // namespace lantian::meteo
