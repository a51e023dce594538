#include "meteo/cf_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include <netcdf.h>

#include "core/error.hpp"
#include "meteo/regrid.hpp"
#include "meteo/surface_profile.hpp"
#include "meteo/thermodynamics.hpp"

namespace lantian::meteo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Units with spaces, "**", "^" removed and lower-cased: "m s**-1" -> "ms-1", "W m-2" -> "wm-2".
std::string norm_units(const std::string& u) {
  std::string out;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (u[i] == ' ' || u[i] == '^' || u[i] == '.') continue;
    if (u[i] == '*' && i + 1 < u.size() && u[i + 1] == '*') {
      ++i;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(u[i])));
  }
  if (out == "m/s") return "ms-1";
  if (out == "mm/h" || out == "mm/hr") return "mmh-1";
  return out;
}

class CfFile {
 public:
  explicit CfFile(std::string path) : path_(std::move(path)) {
    const int rc = nc_open(path_.c_str(), NC_NOWRITE, &id_);
    LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, ""}), std::string("cannot open as NetCDF: ") + nc_strerror(rc));
  }
  CfFile(const CfFile&) = delete;
  CfFile& operator=(const CfFile&) = delete;
  ~CfFile() { nc_close(id_); }
  const std::string& path() const { return path_; }

  std::optional<int> var(const std::string& name) const {
    int v = 0;
    if (nc_inq_varid(id_, name.c_str(), &v) != NC_NOERR) return std::nullopt;
    return v;
  }
  std::string text_att(int v, const char* name) const {
    std::size_t len = 0;
    if (nc_inq_attlen(id_, v, name, &len) != NC_NOERR) return {};
    std::string s(len, '\0');
    if (nc_get_att_text(id_, v, name, s.data()) != NC_NOERR) return {};
    s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
    return s;
  }
  std::optional<double> num_att(int v, const char* name) const {
    double x = 0.0;
    if (nc_get_att_double(id_, v, name, &x) != NC_NOERR) return std::nullopt;
    return x;
  }
  std::string var_name(int v) const {
    char buf[NC_MAX_NAME + 1] = {};
    nc_inq_varname(id_, v, buf);
    return buf;
  }
  std::vector<int> dims(int v) const {
    int nd = 0;
    nc_inq_varndims(id_, v, &nd);
    std::vector<int> d(static_cast<std::size_t>(nd));
    nc_inq_vardimid(id_, v, d.data());
    return d;
  }
  std::size_t dim_len(int d) const {
    std::size_t n = 0;
    nc_inq_dimlen(id_, d, &n);
    return n;
  }
  std::string dim_name(int d) const {
    char buf[NC_MAX_NAME + 1] = {};
    nc_inq_dimname(id_, d, buf);
    return buf;
  }
  int nvars() const {
    int n = 0;
    nc_inq_nvars(id_, &n);
    return n;
  }
  /// All values, unpacked, fill values as NaN.
  std::vector<double> values(int v) const {
    std::size_t n = 1;
    for (int d : dims(v)) n *= dim_len(d);
    std::vector<double> out(n);
    const int rc = nc_get_var_double(id_, v, out.data());
    LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, var_name(v)}), std::string("cannot read: ") + nc_strerror(rc));
    const auto fill = num_att(v, "_FillValue");
    const auto missing = num_att(v, "missing_value");
    const double scale = num_att(v, "scale_factor").value_or(1.0);
    const double offset = num_att(v, "add_offset").value_or(0.0);
    for (double& x : out) {
      if ((fill && x == *fill) || (missing && x == *missing)) {
        x = kNaN;
      } else {
        x = x * scale + offset;
      }
    }
    return out;
  }

 private:
  std::string path_;
  int id_ = -1;
};

// The coordinate variable whose units or standard_name mark it as `kind` (latitude/longitude).
int find_coordinate(const CfFile& f, const char* units_a, const char* standard_name,
                    std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (auto v = f.var(n)) return *v;
  for (int v = 0; v < f.nvars(); ++v) {
    if (f.dims(v).size() != 1) continue;
    if (lower(f.text_att(v, "units")) == units_a || f.text_att(v, "standard_name") == standard_name) return v;
  }
  throw Error(ErrorContext{f.path(), 0, standard_name},
              std::string("missing coordinate variable (expected a 1-D variable with units ") + units_a + ")");
}

}  // namespace

UtcHour cf_time_to_utc(double value, const std::string& units) {
  const std::string u = lower(units);
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

CfSurface read_cf_surface(const std::string& path) {
  const CfFile f(path);
  CfSurface cf;
  cf.file = path;
  const int vlat = find_coordinate(f, "degrees_north", "latitude", {"latitude", "lat", "XLAT"});
  const int vlon = find_coordinate(f, "degrees_east", "longitude", {"longitude", "lon", "XLONG"});
  LANTIAN_CHECK(f.dims(vlat).size() == 1 && f.dims(vlon).size() == 1, (ErrorContext{path, 0, f.var_name(vlat)}),
                "expected 1-D latitude and longitude (a regular lat/lon grid)");
  std::vector<double> lat = f.values(vlat), lon = f.values(vlon);
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
  const std::string cal = lower(f.text_att(*vtime, "calendar"));
  LANTIAN_CHECK(cal.empty() || cal == "standard" || cal == "gregorian" || cal == "proleptic_gregorian",
                (ErrorContext{path, 0, "time"}), "unsupported calendar '" + cal + "'; expected standard/gregorian");
  for (double v : f.values(*vtime)) {
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

  // One field: values per time as Field2D (lon, lat increasing), converted by `convert`
  // (returns false for an unknown unit).
  auto load = [&](std::initializer_list<const char*> names, const char* what,
                  const std::function<bool(const std::string& units, const std::string& name, double& scale, double& offset)>& convert)
      -> std::vector<Field2D<double>> {
    for (const char* n : names) {
      const auto v = f.var(n);
      if (!v) continue;
      const auto d = f.dims(*v);
      LANTIAN_CHECK(d.size() == 3 && d[0] == dtime && d[1] == dlat && d[2] == dlon, (ErrorContext{path, 0, n}),
                    std::string("expected dimensions (") + f.dim_name(dtime) + ", " + f.dim_name(dlat) + ", " +
                        f.dim_name(dlon) + ") for " + what + " (surface fields only)");
      const std::string units = f.text_att(*v, "units");
      double scale = 1.0, offset = 0.0;
      LANTIAN_CHECK(convert(norm_units(units), n, scale, offset), (ErrorContext{path, 0, n}),
                    std::string("unknown or missing units '") + units + "' for " + what);
      const auto raw = f.values(*v);
      std::vector<Field2D<double>> out;
      for (std::size_t t = 0; t < nt; ++t) {
        Field2D<double> fld(nlon, nlat);
        for (int j = 0; j < nlat; ++j)
          for (int i = 0; i < nlon; ++i) {
            const int jj = flip ? nlat - 1 - j : j;
            fld(i, j) = raw[t * static_cast<std::size_t>(nlon * nlat) + static_cast<std::size_t>(i + nlon * jj)] * scale + offset;
          }
        out.push_back(std::move(fld));
      }
      return out;
    }
    return {};
  };
  auto temperature = [](const std::string& u, const std::string&, double& s, double& o) {
    s = 1.0;
    o = (u == "k") ? 0.0 : (u == "degc" || u == "c" || u == "celsius" || u == "degreec") ? 273.15 : kNaN;
    return !std::isnan(o);
  };
  auto speed = [](const std::string& u, const std::string&, double& s, double& o) {
    s = 1.0;
    o = 0.0;
    return u == "ms-1";
  };
  auto metres = [](const std::string& u, const std::string&, double& s, double& o) {
    s = 1.0;
    o = 0.0;
    return u == "m";
  };
  auto percent = [](const std::string& u, const std::string&, double& s, double& o) {
    o = 0.0;
    s = u == "%" ? 1.0 : u == "1" ? 100.0 : kNaN;
    return !std::isnan(s);
  };
  auto heat_flux = [](const std::string& u, const std::string& name, double& s, double& o) {
    o = 0.0;
    s = name == "ishf" ? -1.0 : 1.0;  // ECMWF fluxes are positive downward
    return u == "wm-2";
  };
  auto pressure = [](const std::string& u, const std::string&, double& s, double& o) {
    o = 0.0;
    s = u == "pa" ? 1.0 : u == "hpa" ? 100.0 : kNaN;
    return !std::isnan(s);
  };
  const double step_h = nt > 1 ? static_cast<double>(cf.times[1] - cf.times[0]) : 1.0;
  auto precipitation = [step_h](const std::string& u, const std::string& name, double& s, double& o) {
    o = 0.0;
    if (name == "tp") {
      s = u == "m" ? 1000.0 / step_h : u == "mm" ? 1.0 / step_h : kNaN;  // accumulation over the step
    } else {
      s = u == "kgm-2s-1" ? 3600.0 : u == "mmh-1" ? 1.0 : kNaN;
    }
    return !std::isnan(s);
  };
  cf.t2 = load({"t2m", "T2", "tas"}, "2-m temperature", temperature);
  cf.u10 = load({"u10", "U10", "uas"}, "10-m wind", speed);
  cf.v10 = load({"v10", "V10", "vas"}, "10-m wind", speed);
  cf.rh2 = load({"rh2", "hurs"}, "2-m relative humidity", percent);
  if (cf.rh2.empty() && !cf.t2.empty()) {
    const auto d2m = load({"d2m", "tdps"}, "2-m dew point", temperature);
    for (std::size_t t = 0; t < d2m.size(); ++t) {
      Field2D<double> rh(nlon, nlat);
      for (std::size_t n = 0; n < rh.size(); ++n)
        rh.data()[n] = std::clamp(
            100.0 * saturation_vapour_pressure(d2m[t].data()[n]) / saturation_vapour_pressure(cf.t2[t].data()[n]), 0.0, 100.0);
      cf.rh2.push_back(std::move(rh));
    }
  }
  cf.pblh = load({"blh", "PBLH", "pblh"}, "boundary layer height", metres);
  cf.ustar = load({"zust", "UST", "ustar"}, "friction velocity", speed);
  cf.shf = load({"ishf", "HFX", "hfss"}, "sensible heat flux", heat_flux);
  cf.precip = load({"tp", "pr", "RAIN"}, "precipitation", precipitation);
  cf.psfc = load({"sp", "PSFC", "ps"}, "surface pressure", pressure);
  return cf;
}

MetSeries cf_met(const CfSurface& cf, const Grid& grid, double z0, const KzParams& kz) {
  std::string missing;
  if (cf.t2.empty()) missing += " t2m|T2|tas";
  if (cf.u10.empty()) missing += " u10|U10|uas";
  if (cf.v10.empty()) missing += " v10|V10|vas";
  if (cf.pblh.empty()) missing += " blh|PBLH|pblh";
  if (cf.rh2.empty()) missing += " rh2|hurs|d2m|tdps";
  LANTIAN_CHECK(missing.empty(), (ErrorContext{cf.file, 0, ""}),
                "missing variables for the meteorology (expected one of each):" + missing);
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

  std::vector<MetState> states;
  for (std::size_t t = 0; t < cf.times.size(); ++t) {
    std::vector<SurfaceValues> cols;
    cols.reserve(cells.size());
    for (const W& w : cells) {
      auto at = [&](const std::vector<Field2D<double>>& f, double fallback) {
        if (f.empty()) return fallback;
        const Field2D<double>& g = f[t];
        return (1 - w.a) * (1 - w.b) * g(w.i0, w.j0) + w.a * (1 - w.b) * g(w.i0 + 1, w.j0) +
               (1 - w.a) * w.b * g(w.i0, w.j0 + 1) + w.a * w.b * g(w.i0 + 1, w.j0 + 1);
      };
      SurfaceValues s;
      const double ue = at(cf.u10, 0.0), ve = at(cf.v10, 0.0);
      s.u10 = ue * std::cos(w.gamma) + ve * std::sin(w.gamma);
      s.v10 = -ue * std::sin(w.gamma) + ve * std::cos(w.gamma);
      s.t2 = at(cf.t2, 0.0);
      s.rh2 = at(cf.rh2, 0.0);
      s.pblh = std::max(at(cf.pblh, 0.0), 10.0);
      s.precip = at(cf.precip, 0.0);
      s.z0 = z0;
      s.ustar = cf.ustar.empty() ? kVonKarman * std::max(std::hypot(ue, ve), 0.1) / std::log(10.0 / z0) : at(cf.ustar, 0.0);
      s.shf = at(cf.shf, 0.0);
      s.obukhov = cf.shf.empty() ? std::numeric_limits<double>::infinity()
                                 : monin_obukhov_length(s.ustar, s.shf, s.t2, air_density(at(cf.psfc, 101325.0), s.t2));
      cols.push_back(s);
    }
    states.push_back(state_from_surface(grid, cf.times[t], cols, kz));
  }
  return MetSeries(std::move(states), cf.file);
}

}  // namespace lantian::meteo
