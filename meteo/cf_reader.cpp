#include "meteo/cf_reader.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "meteo/regrid.hpp"
#include "meteo/surface_profile.hpp"
#include "meteo/thermodynamics.hpp"

namespace lantian::meteo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Standard gravity (WMO; ECMWF's value for geopotential), m s-2.
constexpr double kStandardGravity = 9.80665;

// Units with spaces, "**", "^" removed and lower-cased: "m s**-1" -> "ms-1", "W m-2" -> "wm-2".
std::string norm_units(const std::string& u) {
  std::string out;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (u[i] == ' ' || u[i] == '^' || u[i] == '.') continue;
    if (u[i] == '*' && i + 1 < u.size() && u[i + 1] == '*') {
      ++i;
      continue;
    }
    out += ascii_lower(u[i]);
  }
  if (out == "m/s") return "ms-1";
  if (out == "mm/h" || out == "mm/hr") return "mmh-1";
  return out;
}

// All values of variable `v`, unpacked (scale_factor, add_offset), fill values as NaN.
std::vector<double> unpacked_values(const NetcdfFile& f, int v) {
  std::vector<double> out = f.read(v);
  const auto fill = f.num_att(v, "_FillValue");
  const auto missing = f.num_att(v, "missing_value");
  const double scale = f.num_att(v, "scale_factor").value_or(1.0);
  const double offset = f.num_att(v, "add_offset").value_or(0.0);
  for (double& x : out) {
    if ((fill && x == *fill) || (missing && x == *missing)) {
      x = kNaN;
    } else {
      x = x * scale + offset;
    }
  }
  return out;
}

// The coordinate variable whose units or standard_name mark it as `kind` (latitude/longitude).
int find_coordinate(const NetcdfFile& f, const char* units_a, const char* standard_name,
                    std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (auto v = f.var(n)) return *v;
  for (int v = 0; v < f.nvars(); ++v) {
    if (f.dims(v).size() != 1) continue;
    if (ascii_lower(f.text_att(v, "units")) == units_a || f.text_att(v, "standard_name") == standard_name) return v;
  }
  throw Error(ErrorContext{f.path(), 0, standard_name},
              std::string("missing coordinate variable (expected a 1-D variable with units ") + units_a + ")");
}

// Unit conversions: value_SI = value * scale + offset; false for an unknown unit (normalised
// by norm_units). The name argument is the variable's name or standard_name.
bool temperature(const std::string& u, const std::string&, double& s, double& o) {
  s = 1.0;
  o = (u == "k") ? 0.0 : (u == "degc" || u == "c" || u == "celsius" || u == "degreec" || u == "degreesc") ? 273.15 : kNaN;
  return !std::isnan(o);
}
bool speed(const std::string& u, const std::string&, double& s, double& o) {
  s = 1.0;
  o = 0.0;
  return u == "ms-1";
}
bool metres(const std::string& u, const std::string&, double& s, double& o) {
  s = 1.0;
  o = 0.0;
  return u == "m";
}
bool percent(const std::string& u, const std::string&, double& s, double& o) {
  o = 0.0;
  s = u == "%" ? 1.0 : u == "1" ? 100.0 : kNaN;
  return !std::isnan(s);
}
// Specific humidity -> kg/kg.
bool specific_humidity(const std::string& u, const std::string&, double& s, double& o) {
  o = 0.0;
  s = (u == "kgkg-1" || u == "kg/kg" || u == "1") ? 1.0 : (u == "gkg-1" || u == "g/kg") ? 1.0e-3 : kNaN;
  return !std::isnan(s);
}
// Geopotential (m2 s-2, / g) or geopotential height / altitude (m) -> m.
bool geopotential(const std::string& u, const std::string&, double& s, double& o) {
  o = 0.0;
  s = u == "m2s-2" ? 1.0 / kStandardGravity : (u == "m" || u == "gpm") ? 1.0 : kNaN;
  return !std::isnan(s);
}

void read_upper_air(const NetcdfFile& f, CfSurface& cf, bool flip, int dtime, int dlat, int dlon,
                    const std::vector<Field2D<double>>& zsfc);

}  // namespace

UtcHour cf_time_to_utc(double value, const std::string& units) {
  const std::string u = ascii_lower(units);
  const auto since = u.find(" since ");
  LANTIAN_CHECK(since != std::string::npos, (ErrorContext{}),
                "expected time units \"<unit> since <date>\", found \"" + units + "\"");
  const std::string unit = u.substr(0, since);
  double per_hour = 0.0;
  if (unit == "hours" || unit == "hour" || unit == "h") per_hour = 1.0;
  else if (unit == "minutes" || unit == "minute" || unit == "min") per_hour = 60.0;
  else if (unit == "seconds" || unit == "second" || unit == "s") per_hour = 3600.0;
  else if (unit == "days" || unit == "day" || unit == "d") per_hour = 1.0 / 24.0;
  else throw Error("unsupported time unit \"" + unit + "\" in \"" + units + "\"; expected hours, minutes, seconds or days");
  int y = 0, mo = 0, d = 0, hh = 0, mm = 0;
  double ss = 0.0;
  const std::string ref = u.substr(since + 7);
  const int got = std::sscanf(ref.c_str(), "%d-%d-%d%*[ t]%d:%d:%lf", &y, &mo, &d, &hh, &mm, &ss);
  LANTIAN_CHECK(got >= 3, (ErrorContext{}), "cannot read the reference date of \"" + units + "\"");
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  LANTIAN_CHECK(ymd.ok(), (ErrorContext{}), "invalid reference date in \"" + units + "\"");
  const double ref_hours = static_cast<double>(sys_days{ymd}.time_since_epoch().count()) * 24.0 + hh + mm / 60.0 + ss / 3600.0;
  const double h = ref_hours + value / per_hour;
  const double r = std::round(h);
  LANTIAN_CHECK(std::abs(h - r) < 1e-6, (ErrorContext{}),
                "time " + std::to_string(value) + " " + units + " is not at a whole hour");
  return static_cast<UtcHour>(r);
}

namespace {

// The first 4-D variable with one of `standard_names`, else with one of `names`.
std::optional<int> find_4d(const NetcdfFile& f, std::initializer_list<const char*> standard_names,
                           std::initializer_list<const char*> names) {
  for (const char* sn : standard_names)
    for (int v = 0; v < f.nvars(); ++v)
      if (f.dims(v).size() == 4 && f.text_att(v, "standard_name") == sn) return v;
  for (const char* n : names)
    if (auto v = f.var(n); v && f.dims(*v).size() == 4) return v;
  return std::nullopt;
}

void read_upper_air(const NetcdfFile& f, CfSurface& cf, bool flip, int dtime, int dlat, int dlon,
                    const std::vector<Field2D<double>>& zsfc) {
  const std::string& path = f.path();
  const auto vu = find_4d(f, {"eastward_wind"}, {"u", "ua", "U"});
  const auto vv = find_4d(f, {"northward_wind"}, {"v", "va", "V"});
  const auto vt = find_4d(f, {"air_temperature"}, {"t", "ta", "T"});
  const auto vr = find_4d(f, {"relative_humidity"}, {"r", "hur", "RH"});
  const auto vq = find_4d(f, {"specific_humidity"}, {"q", "hus"});
  const auto vz = find_4d(f, {"geopotential", "geopotential_height"}, {"z", "zg", "gh"});
  if (!vu && !vv && !vt && !vr && !vq && !vz) return;  // surface only
  std::string missing;
  if (!vu) missing += " eastward_wind|u|ua|U";
  if (!vv) missing += " northward_wind|v|va|V";
  if (!vt) missing += " air_temperature|t|ta|T";
  if (!vr && !vq) missing += " relative_humidity|r|hur|RH or specific_humidity|q|hus";
  LANTIAN_CHECK(missing.empty(), (ErrorContext{path, 0, ""}),
                "the file has upper-air (time, level, latitude, longitude) variables but misses (expected one of each):" + missing);
  const int dlev = f.dims(*vt)[1];
  for (std::optional<int> v : {vu, vv, vt, vr, vq, vz}) {
    if (!v) continue;
    const auto d = f.dims(*v);
    LANTIAN_CHECK(d[0] == dtime && d[1] == dlev && d[2] == dlat && d[3] == dlon, (ErrorContext{path, 0, f.var_name(*v)}),
                  "expected dimensions (" + f.dim_name(dtime) + ", " + f.dim_name(dlev) + ", " + f.dim_name(dlat) + ", " +
                      f.dim_name(dlon) + ")");
  }
  const std::string lev_name = f.dim_name(dlev);
  const auto vlev = f.var(lev_name);
  const std::string expected_lev =
      "expected a coordinate variable '" + lev_name +
      "' with units hPa, mbar or Pa (pressure levels: level, plev, pressure_level, isobaricInhPa) or m (height levels)";
  LANTIAN_CHECK(vlev.has_value(), (ErrorContext{path, 0, lev_name}), "missing level coordinate: " + expected_lev);
  const std::string lev_units = norm_units(f.text_att(*vlev, "units"));
  const bool on_pressure = lev_units == "hpa" || lev_units == "mbar" || lev_units == "mb" || lev_units == "millibars" || lev_units == "pa";
  LANTIAN_CHECK(on_pressure || lev_units == "m", (ErrorContext{path, 0, lev_name}),
                "unknown level units '" + f.text_att(*vlev, "units") + "': " + expected_lev);
  std::vector<double> lev = unpacked_values(f, *vlev);
  if (on_pressure && lev_units != "pa")
    for (double& p : lev) p *= 100.0;
  const int nlev = static_cast<int>(lev.size());
  // Level order upward: pressure decreasing, height increasing.
  std::vector<int> order(static_cast<std::size_t>(nlev));
  for (int k = 0; k < nlev; ++k) order[static_cast<std::size_t>(k)] = k;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return on_pressure ? lev[static_cast<std::size_t>(a)] > lev[static_cast<std::size_t>(b)]
                       : lev[static_cast<std::size_t>(a)] < lev[static_cast<std::size_t>(b)];
  });
  std::vector<double> level(static_cast<std::size_t>(nlev));
  for (int k = 0; k < nlev; ++k) level[static_cast<std::size_t>(k)] = lev[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])];

  const int nlon = cf.nlon(), nlat = cf.nlat();
  const std::size_t nt = cf.times.size();
  auto load4 = [&](int v, const char* what, bool (*convert)(const std::string&, const std::string&, double&, double&)) {
    const std::string n = f.var_name(v);
    const std::string units = f.text_att(v, "units");
    double scale = 1.0, offset = 0.0;
    LANTIAN_CHECK(convert(norm_units(units), n, scale, offset), (ErrorContext{path, 0, n}),
                  std::string("unknown or missing units '") + units + "' for " + what);
    const auto raw = unpacked_values(f, v);
    std::vector<Field3D<double>> out;
    for (std::size_t t = 0; t < nt; ++t) {
      Field3D<double> fld(nlon, nlat, nlev);
      for (int k = 0; k < nlev; ++k)
        for (int j = 0; j < nlat; ++j)
          for (int i = 0; i < nlon; ++i) {
            const int jj = flip ? nlat - 1 - j : j;
            const std::size_t idx =
                ((t * static_cast<std::size_t>(nlev) + static_cast<std::size_t>(order[static_cast<std::size_t>(k)])) *
                     static_cast<std::size_t>(nlat) + static_cast<std::size_t>(jj)) * static_cast<std::size_t>(nlon) +
                static_cast<std::size_t>(i);
            fld(i, j, k) = raw[idx] * scale + offset;
          }
      out.push_back(std::move(fld));
    }
    return out;
  };
  cf.u = load4(*vu, "eastward wind", speed);
  cf.v = load4(*vv, "northward wind", speed);
  cf.t = load4(*vt, "air temperature", temperature);
  std::vector<Field3D<double>> q;
  if (vr) cf.rh = load4(*vr, "relative humidity", percent);
  else q = load4(*vq, "specific humidity", specific_humidity);
  std::vector<Field3D<double>> zasl;
  if (vz) zasl = load4(*vz, "geopotential", geopotential);

  const bool asl_levels = !on_pressure && (f.text_att(*vlev, "standard_name") == "altitude" ||
                                           ascii_lower(f.text_att(*vlev, "long_name")).find("sea level") != std::string::npos);
  const bool need_psfc = (on_pressure && !vz) || (!on_pressure && !vr);
  if (need_psfc)
    LANTIAN_CHECK(!cf.psfc.empty(), (ErrorContext{path, 0, ""}),
                  std::string("missing surface pressure (expected surface_air_pressure|sp|PSFC|ps): needed for ") +
                      (on_pressure ? "the heights of the pressure levels (no geopotential z)" : "the pressure of the height levels (humidity given as q)"));
  if (asl_levels || (on_pressure && vz && cf.psfc.empty()))
    LANTIAN_CHECK(!zsfc.empty(), (ErrorContext{path, 0, ""}),
                  std::string("missing ground height (expected surface_altitude|orog or surface_geopotential|zs") +
                      (on_pressure ? ", or surface pressure sp|PSFC|ps" : "") + "): needed for heights above ground of " +
                      (on_pressure ? "the pressure levels" : "the height levels above sea level"));
  if (on_pressure)
    cf.levels_note = vz ? (zsfc.empty() ? "pressure levels, heights from geopotential minus the height of the surface pressure"
                                        : "pressure levels, heights from geopotential minus the ground height")
                        : "pressure levels, heights by hypsometric integration from the surface pressure and temperature";
  else
    cf.levels_note = asl_levels ? "height levels above sea level, minus the ground height" : "height levels above ground";

  LANTIAN_CHECK(!(on_pressure && vz && zsfc.empty()) || nlev >= 2, (ErrorContext{path, 0, lev_name}),
                "expected at least 2 pressure levels to find the ground height from the surface pressure (or give orog|zs)");
  const double rd_g = kRDryAir / kStandardGravity;
  for (std::size_t t = 0; t < nt; ++t) {
    Field3D<double> z(nlon, nlat, nlev);
    Field3D<double> rh(nlon, nlat, nlev);
    for (int j = 0; j < nlat; ++j)
      for (int i = 0; i < nlon; ++i) {
        const Field3D<double>& temp = cf.t[t];
        const double ps = cf.psfc.empty() ? kNaN : cf.psfc[t](i, j);
        if (on_pressure && vz) {
          double zg = kNaN;
          if (!zsfc.empty()) {
            zg = zsfc[t](i, j);
          } else {
            // log p linear in z: the ground where p = ps, extrapolated from the two lowest levels
            int k = 0;
            while (k + 2 < nlev && level[static_cast<std::size_t>(k + 1)] > ps) ++k;
            const double l0 = std::log(level[static_cast<std::size_t>(k)]), l1 = std::log(level[static_cast<std::size_t>(k + 1)]);
            zg = zasl[t](i, j, k) + (zasl[t](i, j, k + 1) - zasl[t](i, j, k)) * (std::log(ps) - l0) / (l1 - l0);
          }
          for (int k = 0; k < nlev; ++k) z(i, j, k) = zasl[t](i, j, k) - zg;
        } else if (on_pressure) {
          // hypsometric equation upward from the surface (p_s, T_s)
          double p_prev = ps, z_prev = 0.0;
          double t_prev = cf.t2.empty() ? kNaN : cf.t2[t](i, j);
          for (int k = 0; k < nlev; ++k) {
            const double p = level[static_cast<std::size_t>(k)];
            if (p >= ps) {
              z(i, j, k) = kNaN;
              continue;
            }
            if (std::isnan(t_prev)) t_prev = temp(i, j, k);
            z_prev += rd_g * 0.5 * (t_prev + temp(i, j, k)) * std::log(p_prev / p);
            z(i, j, k) = z_prev;
            p_prev = p;
            t_prev = temp(i, j, k);
          }
        } else {
          for (int k = 0; k < nlev; ++k) z(i, j, k) = level[static_cast<std::size_t>(k)] - (asl_levels ? zsfc[t](i, j) : 0.0);
        }
        int above = 0;
        for (int k = 0; k < nlev; ++k) {
          if (!(z(i, j, k) > 0.0)) z(i, j, k) = kNaN;
          else ++above;
        }
        if (above == 0) {
          char buf[160];
          std::snprintf(buf, sizeof buf, "no level above the ground at %.3f N, %.3f E (%s)", cf.lat[static_cast<std::size_t>(j)],
                        cf.lon[static_cast<std::size_t>(i)], format_utc(cf.times[t]).c_str());
          throw Error(ErrorContext{path, 0, lev_name}, buf);
        }
        if (!q.empty()) {
          // pressure of each level: the level itself, or hypsometric from the surface upward
          double p_prev = ps, z_prev = 0.0, t_prev = cf.t2.empty() ? kNaN : cf.t2[t](i, j);
          for (int k = 0; k < nlev; ++k) {
            double p = kNaN;
            if (on_pressure) {
              p = level[static_cast<std::size_t>(k)];
            } else if (!std::isnan(z(i, j, k))) {
              if (std::isnan(t_prev)) t_prev = temp(i, j, k);
              p = p_prev * std::exp(-(z(i, j, k) - z_prev) / (rd_g * 0.5 * (t_prev + temp(i, j, k))));
              p_prev = p;
              z_prev = z(i, j, k);
              t_prev = temp(i, j, k);
            }
            const double qk = q[t](i, j, k);
            rh(i, j, k) = std::isnan(p) ? kNaN : relative_humidity(qk / (1.0 - qk), p, temp(i, j, k));
          }
        }
      }
    cf.z.push_back(std::move(z));
    if (!q.empty()) cf.rh.push_back(std::move(rh));
  }
}

}  // namespace

CfSurface read_cf_surface(const std::string& path) {
  const NetcdfFile f(path);
  CfSurface cf;
  cf.file = path;
  const int vlat = find_coordinate(f, "degrees_north", "latitude", {"latitude", "lat", "XLAT"});
  const int vlon = find_coordinate(f, "degrees_east", "longitude", {"longitude", "lon", "XLONG"});
  LANTIAN_CHECK(f.dims(vlat).size() == 1 && f.dims(vlon).size() == 1, (ErrorContext{path, 0, f.var_name(vlat)}),
                "expected 1-D latitude and longitude (a regular lat/lon grid)");
  std::vector<double> lat = unpacked_values(f, vlat), lon = unpacked_values(f, vlon);
  const int dlat = f.dims(vlat)[0], dlon = f.dims(vlon)[0];
  const bool flip = lat.size() > 1 && lat[0] > lat[1];
  if (flip) std::reverse(lat.begin(), lat.end());
  for (std::size_t n = 1; n < lat.size(); ++n)
    LANTIAN_CHECK(lat[n] > lat[n - 1], (ErrorContext{path, 0, f.var_name(vlat)}), "expected monotonic latitudes");
  for (std::size_t n = 1; n < lon.size(); ++n)
    LANTIAN_CHECK(lon[n] > lon[n - 1], (ErrorContext{path, 0, f.var_name(vlon)}), "expected increasing longitudes");
  cf.lat = lat;
  cf.lon = lon;

  std::optional<int> vtime = f.var("time");
  if (!vtime) vtime = f.var("valid_time");
  LANTIAN_CHECK(vtime.has_value(), (ErrorContext{path, 0, "time"}), "missing time coordinate (expected 'time' or 'valid_time')");
  const std::string tunits = f.text_att(*vtime, "units");
  const std::string cal = ascii_lower(f.text_att(*vtime, "calendar"));
  LANTIAN_CHECK(cal.empty() || cal == "standard" || cal == "gregorian" || cal == "proleptic_gregorian",
                (ErrorContext{path, 0, "time"}), "unsupported calendar '" + cal + "'; expected standard/gregorian");
  for (double v : unpacked_values(f, *vtime)) {
    try {
      cf.times.push_back(cf_time_to_utc(v, tunits));
    } catch (const Error& e) {
      throw Error(ErrorContext{path, 0, f.var_name(*vtime)}, e.message());
    }
    if (cf.times.size() > 1)
      LANTIAN_CHECK(cf.times.back() > cf.times[cf.times.size() - 2], (ErrorContext{path, 0, "time"}),
                    "expected strictly increasing times, found " + format_utc(cf.times.back()) + " after " +
                        format_utc(cf.times[cf.times.size() - 2]));
  }
  const int dtime = f.dims(*vtime)[0];
  const int nlon = static_cast<int>(lon.size()), nlat = static_cast<int>(lat.size());
  const std::size_t nt = cf.times.size();

  // One surface field: values per time as Field2D (lon, lat increasing), found by standard_name
  // among (time, lat, lon) or (lat, lon) variables, then by name; converted by `convert`
  // (called with the normalised units and the name or standard_name; false for an unknown unit).
  using Convert = std::function<bool(const std::string& units, const std::string& name, double& scale, double& offset)>;
  auto surface_shape = [&](const std::vector<int>& d) {
    return (d.size() == 3 && d[0] == dtime && d[1] == dlat && d[2] == dlon) || (d.size() == 2 && d[0] == dlat && d[1] == dlon);
  };
  auto load = [&](std::initializer_list<const char*> standard_names, std::initializer_list<const char*> names,
                  const char* what, const Convert& convert,
                  std::optional<Quantity> plausible = std::nullopt) -> std::vector<Field2D<double>> {
    std::optional<int> found;
    std::string key;
    for (const char* sn : standard_names)
      for (int v = 0; v < f.nvars() && !found; ++v)
        if (f.text_att(v, "standard_name") == sn && surface_shape(f.dims(v))) {
          found = v;
          key = sn;
        }
    for (const char* n : names) {
      if (found) break;
      found = f.var(n);
      key = n;
    }
    if (!found) return {};
    const std::string n = f.var_name(*found);
    const auto d = f.dims(*found);
    LANTIAN_CHECK(surface_shape(d), (ErrorContext{path, 0, n}),
                  std::string("expected dimensions (") + f.dim_name(dtime) + ", " + f.dim_name(dlat) + ", " +
                      f.dim_name(dlon) + ") for " + what + " (a surface field)");
    const std::string units = f.text_att(*found, "units");
    double scale = 1.0, offset = 0.0;
    LANTIAN_CHECK(convert(norm_units(units), key, scale, offset), (ErrorContext{path, 0, n}),
                  std::string("unknown or missing units '") + units + "' for " + what);
    const auto raw = unpacked_values(f, *found);
    const std::size_t per_time = d.size() == 3 ? static_cast<std::size_t>(nlon * nlat) : 0;
    std::vector<Field2D<double>> out;
    for (std::size_t t = 0; t < nt; ++t) {
      Field2D<double> fld(nlon, nlat);
      for (int j = 0; j < nlat; ++j)
        for (int i = 0; i < nlon; ++i) {
          const int jj = flip ? nlat - 1 - j : j;
          fld(i, j) = raw[t * per_time + static_cast<std::size_t>(i + nlon * jj)] * scale + offset;
          // Fill values (NaN here) are the file's own missing marks; every other value must be
          // plausible (core/plausible.hpp), a wind component by its magnitude.
          const double x = fld(i, j);
          if (!plausible || std::isnan(x) || is_plausible(*plausible, *plausible == Quantity::wind_speed ? std::abs(x) : x))
            continue;
          throw Error(ErrorContext{path, 0,
                                   n + "[time " + std::to_string(t) + ", " + f.dim_name(dlat) + " " + std::to_string(jj) +
                                       ", " + f.dim_name(dlon) + " " + std::to_string(i) + "]"},
                      implausible_message(*plausible, x) + (units.empty() ? "" : " (after converting from '" + units + "')"));
        }
      out.push_back(std::move(fld));
    }
    return out;
  };
  const double step_h = nt > 1 ? static_cast<double>(cf.times[1] - cf.times[0]) : 1.0;
  auto heat_flux = [step_h](const std::string& u, const std::string& name, double& s, double& o) {
    o = 0.0;
    // ECMWF fluxes are positive downward; sshf is accumulated (J m-2) over the output step
    const bool downward = name == "ishf" || name == "sshf" || name == "surface_downward_sensible_heat_flux";
    if (name == "sshf") {
      s = -1.0 / (step_h * 3600.0);
      return u == "jm-2";
    }
    s = downward ? -1.0 : 1.0;
    return u == "wm-2";
  };
  auto pressure = [](const std::string& u, const std::string&, double& s, double& o) {
    o = 0.0;
    s = u == "pa" ? 1.0 : (u == "hpa" || u == "mbar" || u == "mb" || u == "millibars") ? 100.0 : kNaN;
    return !std::isnan(s);
  };
  auto precipitation = [step_h](const std::string& u, const std::string& name, double& s, double& o) {
    o = 0.0;
    if (name == "tp") {
      s = u == "m" ? 1000.0 / step_h : u == "mm" ? 1.0 / step_h : kNaN;  // accumulation over the step
    } else {
      s = u == "kgm-2s-1" ? 3600.0 : u == "mmh-1" ? 1.0 : kNaN;
    }
    return !std::isnan(s);
  };
  cf.t2 = load({"air_temperature"}, {"t2m", "T2", "tas"}, "2-m temperature", temperature, Quantity::air_temperature);
  cf.u10 = load({"eastward_wind"}, {"u10", "U10", "uas"}, "10-m wind", speed, Quantity::wind_speed);
  cf.v10 = load({"northward_wind"}, {"v10", "V10", "vas"}, "10-m wind", speed, Quantity::wind_speed);
  cf.rh2 = load({"relative_humidity"}, {"rh2", "hurs"}, "2-m relative humidity", percent, Quantity::relative_humidity);
  if (cf.rh2.empty() && !cf.t2.empty()) {
    const auto d2m = load({"dew_point_temperature"}, {"d2m", "tdps"}, "2-m dew point", temperature);
    for (std::size_t t = 0; t < d2m.size(); ++t) {
      Field2D<double> rh(nlon, nlat);
      for (std::size_t n = 0; n < rh.size(); ++n)
        rh.data()[n] = std::clamp(
            100.0 * saturation_vapour_pressure(d2m[t].data()[n]) / saturation_vapour_pressure(cf.t2[t].data()[n]), 0.0, 100.0);
      cf.rh2.push_back(std::move(rh));
    }
  }
  cf.pblh = load({"atmosphere_boundary_layer_thickness"}, {"blh", "PBLH", "pblh"}, "boundary layer height", metres,
                 Quantity::mixing_height);
  cf.ustar = load({}, {"zust", "UST", "ustar"}, "friction velocity", speed);
  cf.shf = load({"surface_upward_sensible_heat_flux", "surface_downward_sensible_heat_flux"},
                {"ishf", "sshf", "HFX", "hfss"}, "sensible heat flux", heat_flux);
  cf.precip = load({}, {"tp", "pr", "RAIN"}, "precipitation", precipitation, Quantity::precipitation);
  cf.psfc = load({"surface_air_pressure"}, {"sp", "PSFC", "ps"}, "surface pressure", pressure);
  auto zsfc = load({"surface_altitude", "surface_geopotential"}, {"orog", "zs"}, "ground height", geopotential);
  read_upper_air(f, cf, flip, dtime, dlat, dlon, zsfc);
  return cf;
}

MetSeries cf_met(const CfSurface& cf, const Grid& grid, double z0, const KzParams& kz) {
  const bool upper = cf.has_upper_air();
  std::string missing;
  if (!upper) {
    if (cf.t2.empty()) missing += " t2m|T2|tas";
    if (cf.u10.empty()) missing += " u10|U10|uas";
    if (cf.v10.empty()) missing += " v10|V10|vas";
  }
  if (cf.pblh.empty()) missing += " blh|PBLH|pblh";
  if (!upper && cf.rh2.empty()) missing += " rh2|hurs|d2m|tdps";
  LANTIAN_CHECK(missing.empty(), (ErrorContext{cf.file, 0, ""}),
                std::string("missing variables for the meteorology") + (upper ? "" : " from surface fields (no upper air)") +
                    " (expected one of each):" + missing);
  LANTIAN_CHECK(cf.nlon() >= 2 && cf.nlat() >= 2, (ErrorContext{cf.file, 0, "latitude"}),
                "expected at least 2 x 2 points of latitude/longitude");
  const bool wraps = cf.lon.back() > 180.0;
  struct W {
    int i0, j0;
    double a, b, gamma;
  };
  auto locate = [&](double x, double y, const std::string& what) {
    const LonLat ll = grid.to_lonlat({x, y});
    const double lon = (wraps && ll.lon < 0.0) ? ll.lon + 360.0 : ll.lon;
    const bool inside = lon >= cf.lon.front() && lon <= cf.lon.back() && ll.lat >= cf.lat.front() && ll.lat <= cf.lat.back();
    if (!inside) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "the case grid's %s (%.4f N, %.4f E) is outside the file's coverage (lat %.3f..%.3f, lon %.3f..%.3f)",
                    what.c_str(), ll.lat, ll.lon, cf.lat.front(), cf.lat.back(), cf.lon.front(), cf.lon.back());
      throw Error(ErrorContext{cf.file, 0, ""}, buf);
    }
    W w{};
    const auto il = std::upper_bound(cf.lon.begin(), cf.lon.end(), lon) - cf.lon.begin();
    const auto jl = std::upper_bound(cf.lat.begin(), cf.lat.end(), ll.lat) - cf.lat.begin();
    w.i0 = std::clamp(static_cast<int>(il) - 1, 0, cf.nlon() - 2);
    w.j0 = std::clamp(static_cast<int>(jl) - 1, 0, cf.nlat() - 2);
    const auto i0 = static_cast<std::size_t>(w.i0), j0 = static_cast<std::size_t>(w.j0);
    w.a = (lon - cf.lon[i0]) / (cf.lon[i0 + 1] - cf.lon[i0]);
    w.b = (ll.lat - cf.lat[j0]) / (cf.lat[j0 + 1] - cf.lat[j0]);
    w.gamma = grid_north_angle(grid, x, y);
    return w;
  };
  const int nx = grid.nx(), ny = grid.ny();
  locate(grid.x_face(0), grid.y_face(0), "south-west corner");
  locate(grid.x_face(nx), grid.y_face(0), "south-east corner");
  locate(grid.x_face(nx), grid.y_face(ny), "north-east corner");
  locate(grid.x_face(0), grid.y_face(ny), "north-west corner");
  std::vector<W> cells;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) cells.push_back(locate(grid.x_centre(i), grid.y_centre(j), "cell (" + std::to_string(i) + ", " + std::to_string(j) + ")"));

  std::vector<W> xfaces, yfaces;
  if (upper) {
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i <= nx; ++i) xfaces.push_back(locate(grid.x_face(i), grid.y_centre(j), "x-face (" + std::to_string(i) + ", " + std::to_string(j) + ")"));
    for (int j = 0; j <= ny; ++j)
      for (int i = 0; i < nx; ++i) yfaces.push_back(locate(grid.x_centre(i), grid.y_face(j), "y-face (" + std::to_string(i) + ", " + std::to_string(j) + ")"));
  }

  std::vector<MetState> states;
  for (std::size_t t = 0; t < cf.times.size(); ++t) {
    auto bilinear = [&](const W& w, auto&& value) {
      return (1 - w.a) * (1 - w.b) * value(w.i0, w.j0) + w.a * (1 - w.b) * value(w.i0 + 1, w.j0) +
             (1 - w.a) * w.b * value(w.i0, w.j0 + 1) + w.a * w.b * value(w.i0 + 1, w.j0 + 1);
    };
    // Upper air in file column (i, j): the first level above ground, and values at height z.
    auto first_level = [&](int i, int j) {
      int k0 = 0;
      while (std::isnan(cf.z[t](i, j, k0))) ++k0;  // read_cf_surface ensures one level above ground
      return k0;
    };
    auto column = [&](const Field3D<double>& f, int i, int j, double z, double z_s, double v_s) {
      const int k0 = first_level(i, j);
      return column_linear([&](int q) { return cf.z[t](i, j, k0 + q); }, [&](int q) { return f(i, j, k0 + q); },
                           f.nz() - k0, z, z_s, v_s);
    };
    auto at_first = [&](const Field3D<double>& f, int i, int j) { return f(i, j, first_level(i, j)); };
    auto wind = [&](int i, int j, double z, double z0_) -> std::array<double, 2> {
      const int k0 = first_level(i, j);
      const double z1 = cf.z[t](i, j, k0);
      if (z < z1) {
        const double factor = log_law_factor(z, z1, z0_);
        return {cf.u[t](i, j, k0) * factor, cf.v[t](i, j, k0) * factor};
      }
      return {column(cf.u[t], i, j, z, 0.0, 0.0), column(cf.v[t], i, j, z, 0.0, 0.0)};
    };
    auto grid_wind = [&](const W& w, double z) {
      const double ue = bilinear(w, [&](int i, int j) { return wind(i, j, z, z0)[0]; });
      const double ve = bilinear(w, [&](int i, int j) { return wind(i, j, z, z0)[1]; });
      return std::array<double, 2>{ue * std::cos(w.gamma) + ve * std::sin(w.gamma), -ue * std::sin(w.gamma) + ve * std::cos(w.gamma)};
    };
    std::vector<SurfaceValues> cols;
    cols.reserve(cells.size());
    for (const W& w : cells) {
      auto at = [&](const std::vector<Field2D<double>>& f, double fallback) {
        if (f.empty()) return fallback;
        const Field2D<double>& g = f[t];
        return bilinear(w, [&](int i, int j) { return g(i, j); });
      };
      SurfaceValues s;
      double ue = at(cf.u10, 0.0), ve = at(cf.v10, 0.0);
      if (upper && (cf.u10.empty() || cf.v10.empty())) {
        ue = bilinear(w, [&](int i, int j) { return wind(i, j, 10.0, z0)[0]; });
        ve = bilinear(w, [&](int i, int j) { return wind(i, j, 10.0, z0)[1]; });
      }
      s.u10 = ue * std::cos(w.gamma) + ve * std::sin(w.gamma);
      s.v10 = -ue * std::sin(w.gamma) + ve * std::cos(w.gamma);
      s.t2 = (upper && cf.t2.empty()) ? bilinear(w, [&](int i, int j) { return at_first(cf.t[t], i, j); }) : at(cf.t2, 0.0);
      s.rh2 = (upper && cf.rh2.empty()) ? bilinear(w, [&](int i, int j) { return at_first(cf.rh[t], i, j); }) : at(cf.rh2, 0.0);
      s.pblh = std::max(at(cf.pblh, 0.0), 10.0);
      s.precip = at(cf.precip, 0.0);
      s.z0 = z0;
      s.ustar = cf.ustar.empty() ? kVonKarman * std::max(std::hypot(ue, ve), 0.1) / std::log(10.0 / z0) : at(cf.ustar, 0.0);
      s.shf = at(cf.shf, 0.0);
      s.obukhov = cf.shf.empty() ? std::numeric_limits<double>::infinity()
                                 : monin_obukhov_length(s.ustar, s.shf, s.t2, air_density(at(cf.psfc, 101325.0), s.t2));
      cols.push_back(s);
    }
    MetState m = state_from_surface(grid, cf.times[t], cols, kz);
    if (upper) {
      // state_from_surface gave the 2-D fields, w = 0 and Kz; the columns come from the file.
      for (int k = 0; k < grid.nz(); ++k) {
        const double z = grid.z_centre(k);
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i <= nx; ++i) m.u(i, j, k) = grid_wind(xfaces[static_cast<std::size_t>(i + (nx + 1) * j)], z)[0];
        for (int j = 0; j <= ny; ++j)
          for (int i = 0; i < nx; ++i) m.v(i, j, k) = grid_wind(yfaces[static_cast<std::size_t>(i + nx * j)], z)[1];
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i) {
            const W& w = cells[static_cast<std::size_t>(i + nx * j)];
            const bool own_t2 = !cf.t2.empty(), own_rh2 = !cf.rh2.empty();
            m.t(i, j, k) = bilinear(w, [&](int a, int b) {
              return column(cf.t[t], a, b, z, 2.0, own_t2 ? cf.t2[t](a, b) : at_first(cf.t[t], a, b));
            });
            m.rh(i, j, k) = bilinear(w, [&](int a, int b) {
              return column(cf.rh[t], a, b, z, 2.0, own_rh2 ? cf.rh2[t](a, b) : at_first(cf.rh[t], a, b));
            });
          }
      }
    }
    states.push_back(std::move(m));
  }
  return MetSeries(std::move(states), cf.file);
}

}  // namespace lantian::meteo
