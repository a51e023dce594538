#include "meteo/wrf_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/plausible.hpp"
#include "meteo/thermodynamics.hpp"

namespace lantian::meteo {

namespace {

constexpr double kWrfGravity = 9.81;        // WRF's g (module_model_constants)
constexpr double kWrfEarthRadius = 6370000.0;  // WRF's sphere, m
constexpr double kDegToRad = std::numbers::pi / 180.0;

std::string fmt_num(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

// What a wrfout variable holds, for the error naming a missing one.
const char* expected_of(const std::string& n) {
  if (n == "U") return "x-wind on west_east_stag, m/s";
  if (n == "V") return "y-wind on south_north_stag, m/s";
  if (n == "W") return "vertical wind on bottom_top_stag, m/s";
  if (n == "PH" || n == "PHB") return "geopotential on bottom_top_stag, m2/s2";
  if (n == "T") return "perturbation potential temperature, K";
  if (n == "P" || n == "PB") return "pressure, Pa";
  if (n == "QVAPOR") return "water vapour mixing ratio, kg/kg";
  if (n == "PBLH") return "PBL height, m";
  if (n == "UST") return "friction velocity, m/s";
  if (n == "HFX") return "upward sensible heat flux, W/m2";
  if (n == "RAINC" || n == "RAINNC") return "accumulated precipitation, mm";
  if (n == "XLAT" || n == "XLONG") return "cell-centre latitude/longitude, degrees";
  return "see the WRF output variable list";
}

// The id of wrfout variable `name`; throws naming it when absent.
int wrf_var(const NetcdfFile& f, const std::string& name) {
  const auto v = f.var(name);
  LANTIAN_CHECK(v.has_value(), (ErrorContext{f.path(), 0, name}),
                "missing variable (expected in a wrfout file: " + std::string(expected_of(name)) + ")");
  return *v;
}

// Size of a wrfout dimension; throws naming it when absent.
std::size_t wrf_dim(const NetcdfFile& f, const std::string& name) {
  const auto d = f.dim(name);
  LANTIAN_CHECK(d.has_value(), (ErrorContext{f.path(), 0, name}), "missing dimension (expected a wrfout file)");
  return f.dim_len(*d);
}

// A numeric global attribute, nullopt when absent.
std::optional<double> global_att(const NetcdfFile& f, const char* name) { return f.num_att(NetcdfFile::kGlobal, name); }

double require_att(const NetcdfFile& f, const char* name) {
  const auto v = global_att(f, name);
  LANTIAN_CHECK(v.has_value(), (ErrorContext{f.path(), 0, name}),
                "missing global attribute (expected a number, as written by WRF)");
  return *v;
}

// Reads one time of `name` (all of it when the variable has no Time dimension and
// `time_optional`). `dims` are the expected dimension names after Time.
std::vector<double> read_var(const NetcdfFile& f, const std::string& name, const std::vector<std::string>& dims,
                             std::size_t time, bool has_time = true, bool time_optional = false) {
  const int v = wrf_var(f, name);
  const std::vector<std::string> found = f.dim_names(v);
  std::vector<std::string> want = dims;
  bool with_time = has_time;
  if (has_time) want.insert(want.begin(), "Time");
  if (time_optional && found.size() == dims.size()) {
    want = dims;
    with_time = false;
  }
  if (found != want) {
    auto join = [](const std::vector<std::string>& s) {
      std::string r = "(";
      for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + s[i];
      return r + ")";
    };
    throw Error(ErrorContext{f.path(), 0, name}, "expected dimensions " + join(want) + ", found " + join(found));
  }
  std::vector<std::size_t> start(want.size(), 0), count(want.size(), 1);
  for (std::size_t d = 0; d < want.size(); ++d) {
    if (with_time && d == 0) {
      start[0] = time;
      continue;
    }
    count[d] = wrf_dim(f, want[d]);
  }
  return f.read(v, start, count);
}

// The Times strings ("YYYY-MM-DD_hh:mm:ss"), one per Time.
std::vector<std::string> read_times(const NetcdfFile& f) {
  const int v = wrf_var(f, "Times");
  const std::size_t nt = wrf_dim(f, "Time");
  const auto d = f.dim_names(v);
  LANTIAN_CHECK(d.size() == 2 && d[0] == "Time", (ErrorContext{f.path(), 0, "Times"}),
                "expected dimensions (Time, DateStrLen)");
  const std::size_t len = wrf_dim(f, d[1]);
  const std::string buf = f.read_text(v);
  std::vector<std::string> out;
  for (std::size_t t = 0; t < nt; ++t) {
    std::string s = buf.substr(t * len, len);
    s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
    out.push_back(s);
  }
  return out;
}

Field3D<double> to_field3d(const std::vector<double>& v, int nx, int ny, int nz, Stagger s) {
  Field3D<double> f(nx, ny, nz, 0, 0, 0.0, s);
  std::copy(v.begin(), v.end(), f.data());
  return f;
}

Field2D<double> to_field2d(const std::vector<double>& v, int nx, int ny) {
  Field2D<double> f(nx, ny);
  std::copy(v.begin(), v.end(), f.data());
  return f;
}

double wrap180(double d) {
  while (d > 180.0) d -= 360.0;
  while (d < -180.0) d += 360.0;
  return d;
}

struct FileDomain {
  int nx = 0, ny = 0, nz = 0;
  WrfProjection proj;
  double dx = 0.0, dy = 0.0;
  std::optional<double> full_we, full_sn;
};

FileDomain read_domain(const NetcdfFile& f) {
  FileDomain d;
  d.nx = static_cast<int>(wrf_dim(f, "west_east"));
  d.ny = static_cast<int>(wrf_dim(f, "south_north"));
  d.nz = static_cast<int>(wrf_dim(f, "bottom_top"));
  LANTIAN_CHECK(static_cast<int>(wrf_dim(f, "west_east_stag")) == d.nx + 1 &&
                    static_cast<int>(wrf_dim(f, "south_north_stag")) == d.ny + 1 &&
                    static_cast<int>(wrf_dim(f, "bottom_top_stag")) == d.nz + 1,
                (ErrorContext{f.path(), 0, "west_east_stag"}), "expected staggered dimensions one larger than the unstaggered ones");
  d.proj.map_proj = static_cast<int>(require_att(f, "MAP_PROJ"));
  LANTIAN_CHECK(d.proj.map_proj >= 1 && d.proj.map_proj <= 3, (ErrorContext{f.path(), 0, "MAP_PROJ"}),
                "unsupported WRF projection " + std::to_string(d.proj.map_proj) +
                    "; expected 1 (Lambert conformal), 2 (polar stereographic) or 3 (Mercator)");
  d.proj.truelat1 = require_att(f, "TRUELAT1");
  d.proj.truelat2 = global_att(f, "TRUELAT2").value_or(d.proj.truelat1);
  d.proj.stand_lon = require_att(f, "STAND_LON");
  d.proj.cen_lat = require_att(f, "CEN_LAT");
  d.proj.cen_lon = require_att(f, "CEN_LON");
  d.proj.moad_cen_lat = global_att(f, "MOAD_CEN_LAT").value_or(d.proj.cen_lat);
  d.dx = require_att(f, "DX");
  d.dy = require_att(f, "DY");
  d.full_we = global_att(f, "WEST-EAST_GRID_DIMENSION");
  d.full_sn = global_att(f, "SOUTH-NORTH_GRID_DIMENSION");
  LANTIAN_CHECK(d.dx > 0 && d.dy > 0, (ErrorContext{f.path(), 0, "DX"}),
                "expected positive DX and DY in metres, found " + fmt_num(d.dx) + " and " + fmt_num(d.dy));
  return d;
}

// Places the (possibly cropped) domain in the projection: returns x0, y0 and the offsets.
void place_domain(WrfDataset& ds, const FileDomain& d, const std::string& file) {
  GridSpec g;
  g.crs = d.proj.proj_string();
  g.nx = d.nx;
  g.ny = d.ny;
  g.dx = d.dx;
  g.dy = d.dy;
  g.layer_tops = {1.0};
  const Grid probe(g);
  const XY first = probe.project(ds.lon(0, 0), ds.lat(0, 0));
  double x0 = first.x - 0.5 * d.dx, y0 = first.y - 0.5 * d.dy;
  if (d.full_we && d.full_sn) {
    // Full domain: centre at (CEN_LON, CEN_LAT), (WE-1) x (SN-1) mass cells.
    const XY c = probe.project(d.proj.cen_lon, d.proj.cen_lat);
    const double fx0 = c.x - 0.5 * (*d.full_we - 1.0) * d.dx;
    const double fy0 = c.y - 0.5 * (*d.full_sn - 1.0) * d.dy;
    const double fi = (x0 - fx0) / d.dx, fj = (y0 - fy0) / d.dy;
    const double ri = std::round(fi), rj = std::round(fj);
    // Snap to the full domain's lattice when XLAT/XLONG (float32) put the first cell on it.
    if (std::abs(fi - ri) < 0.01 && std::abs(fj - rj) < 0.01) {
      x0 = fx0 + ri * d.dx;
      y0 = fy0 + rj * d.dy;
      ds.i_offset = static_cast<int>(ri);
      ds.j_offset = static_cast<int>(rj);
    }
  }
  ds.grid = g;
  ds.grid.x0 = x0;
  ds.grid.y0 = y0;
  // Check every centre against XLAT/XLONG: a wrong projection is off by many kilometres.
  const Grid grid(ds.grid);
  for (int j = 0; j < d.ny; ++j)
    for (int i = 0; i < d.nx; ++i) {
      const XY p = grid.project(ds.lon(i, j), ds.lat(i, j));
      const double ex = std::abs(p.x - grid.x_centre(i)), ey = std::abs(p.y - grid.y_centre(j));
      LANTIAN_CHECK(ex < 0.05 * d.dx && ey < 0.05 * d.dy, (ErrorContext{file, 0, "XLAT/XLONG"}),
                    "cell (" + std::to_string(i) + ", " + std::to_string(j) + ") at lat " + fmt_num(ds.lat(i, j)) +
                        ", lon " + fmt_num(ds.lon(i, j)) + " is " + fmt_num(ex) + " m, " + fmt_num(ey) +
                        " m from the centre implied by the projection " + g.crs +
                        " and the first cell; expected a regular grid of DX x DY");
    }
}

// RAINC + RAINNC (+ bucket counters) at time index t, mm.
Field2D<double> read_rain(const NetcdfFile& f, std::size_t t, int nx, int ny, double bucket_mm) {
  const std::vector<std::string> c2{"south_north", "west_east"};
  const auto rc = read_var(f, "RAINC", c2, t);
  const auto rnc = read_var(f, "RAINNC", c2, t);
  std::vector<double> irc(rc.size(), 0.0), irnc(rc.size(), 0.0);
  if (bucket_mm > 0.0 && f.var("I_RAINC").has_value()) irc = read_var(f, "I_RAINC", c2, t);
  if (bucket_mm > 0.0 && f.var("I_RAINNC").has_value()) irnc = read_var(f, "I_RAINNC", c2, t);
  Field2D<double> acc(nx, ny);
  for (std::size_t n = 0; n < rc.size(); ++n) acc.data()[n] = rc[n] + rnc[n] + bucket_mm * (irc[n] + irnc[n]);
  return acc;
}

// Throws naming the file, the variable, the time index and the cell when a value of `fld` (or of
// value(i, j)) is not plausible for q (core/plausible.hpp): nothing is clamped.
template <class Value>
void check_surface(const std::string& file, const std::string& var, std::size_t t, int nx, int ny, Quantity q,
                   Value value) {
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double v = value(i, j);
      if (is_plausible(q, v)) continue;
      throw Error(ErrorContext{file, 0,
                               var + "[Time " + std::to_string(t) + ", south_north " + std::to_string(j) +
                                   ", west_east " + std::to_string(i) + "]"},
                  implausible_message(q, v));
    }
}

// Everything of one time but the precipitation (which needs the neighbouring times).
WrfFrame read_frame(const NetcdfFile& f, std::size_t t, const FileDomain& d, const Field2D<double>& hgt) {
  const int nx = d.nx, ny = d.ny, nz = d.nz;
  const std::vector<std::string> c3{"bottom_top", "south_north", "west_east"};
  const std::vector<std::string> c2{"south_north", "west_east"};
  WrfFrame fr;
  fr.file = f.path();
  fr.u_face = to_field3d(read_var(f, "U", {"bottom_top", "south_north", "west_east_stag"}, t), nx + 1, ny, nz, Stagger::x_face);
  fr.v_face = to_field3d(read_var(f, "V", {"bottom_top", "south_north_stag", "west_east"}, t), nx, ny + 1, nz, Stagger::y_face);
  fr.w_face = to_field3d(read_var(f, "W", {"bottom_top_stag", "south_north", "west_east"}, t), nx, ny, nz + 1, Stagger::z_face);
  const auto ph = read_var(f, "PH", {"bottom_top_stag", "south_north", "west_east"}, t);
  const auto phb = read_var(f, "PHB", {"bottom_top_stag", "south_north", "west_east"}, t);
  const auto theta = read_var(f, "T", c3, t);
  const auto pp = read_var(f, "P", c3, t);
  const auto pb = read_var(f, "PB", c3, t);
  fr.qv = to_field3d(read_var(f, "QVAPOR", c3, t), nx, ny, nz, Stagger::centre);

  fr.u = Field3D<double>(nx, ny, nz);
  fr.v = Field3D<double>(nx, ny, nz);
  fr.w = Field3D<double>(nx, ny, nz);
  fr.z = Field3D<double>(nx, ny, nz);
  fr.t = Field3D<double>(nx, ny, nz);
  fr.p = Field3D<double>(nx, ny, nz);
  fr.rh = Field3D<double>(nx, ny, nz);
  fr.z_w = Field3D<double>(nx, ny, nz + 1, 0, 0, 0.0, Stagger::z_face);
  for (int k = 0; k <= nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const std::size_t n = static_cast<std::size_t>(i + nx * (j + ny * k));
        fr.z_w(i, j, k) = (ph[n] + phb[n]) / kWrfGravity - hgt(i, j);
      }
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const std::size_t n = static_cast<std::size_t>(i + nx * (j + ny * k));
        fr.u(i, j, k) = 0.5 * (fr.u_face(i, j, k) + fr.u_face(i + 1, j, k));
        fr.v(i, j, k) = 0.5 * (fr.v_face(i, j, k) + fr.v_face(i, j + 1, k));
        fr.w(i, j, k) = 0.5 * (fr.w_face(i, j, k) + fr.w_face(i, j, k + 1));
        fr.z(i, j, k) = 0.5 * (fr.z_w(i, j, k) + fr.z_w(i, j, k + 1));
        fr.p(i, j, k) = pp[n] + pb[n];
        fr.t(i, j, k) = temperature_from_theta(theta[n] + 300.0, fr.p(i, j, k));
        fr.rh(i, j, k) = relative_humidity(fr.qv(i, j, k), fr.p(i, j, k), fr.t(i, j, k));
      }

  fr.t2 = to_field2d(read_var(f, "T2", c2, t), nx, ny);
  fr.q2 = to_field2d(read_var(f, "Q2", c2, t), nx, ny);
  fr.u10 = to_field2d(read_var(f, "U10", c2, t), nx, ny);
  fr.v10 = to_field2d(read_var(f, "V10", c2, t), nx, ny);
  fr.psfc = to_field2d(read_var(f, "PSFC", c2, t), nx, ny);
  fr.pblh = to_field2d(read_var(f, "PBLH", c2, t), nx, ny);
  fr.ust = to_field2d(read_var(f, "UST", c2, t), nx, ny);
  fr.hfx = to_field2d(read_var(f, "HFX", c2, t), nx, ny);
  const std::string& file = f.path();
  check_surface(file, "T2", t, nx, ny, Quantity::air_temperature, [&](int i, int j) { return fr.t2(i, j); });
  check_surface(file, "Q2", t, nx, ny, Quantity::specific_humidity, [&](int i, int j) { return fr.q2(i, j); });
  check_surface(file, "U10/V10 (speed)", t, nx, ny, Quantity::wind_speed,
                [&](int i, int j) { return std::hypot(fr.u10(i, j), fr.v10(i, j)); });
  check_surface(file, "PBLH", t, nx, ny, Quantity::mixing_height, [&](int i, int j) { return fr.pblh(i, j); });
  fr.rh2 = Field2D<double>(nx, ny);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) fr.rh2(i, j) = relative_humidity(fr.q2(i, j), fr.psfc(i, j), fr.t2(i, j));

  return fr;
}

}  // namespace

std::string WrfProjection::proj_string() const {
  const std::string sphere = " +a=" + fmt_num(kWrfEarthRadius) + " +b=" + fmt_num(kWrfEarthRadius) + " +units=m +no_defs";
  switch (map_proj) {
    case 1:
      return "+proj=lcc +lat_1=" + fmt_num(truelat1) + " +lat_2=" + fmt_num(truelat2) + " +lat_0=" +
             fmt_num(moad_cen_lat) + " +lon_0=" + fmt_num(stand_lon) + sphere;
    case 2:
      return std::string("+proj=stere +lat_0=") + (truelat1 < 0 ? "-90" : "90") + " +lat_ts=" + fmt_num(truelat1) +
             " +lon_0=" + fmt_num(stand_lon) + sphere;
    case 3:
      return "+proj=merc +lat_ts=" + fmt_num(truelat1) + " +lon_0=" + fmt_num(stand_lon) + sphere;
    default:
      throw Error(ErrorContext{"", 0, "MAP_PROJ"},
                  "unsupported WRF projection " + std::to_string(map_proj) +
                      "; expected 1 (Lambert conformal), 2 (polar stereographic) or 3 (Mercator)");
  }
}

std::pair<double, double> WrfProjection::rotation(double lon) const {
  double cone = 0.0;
  if (map_proj == 1) {
    const double t1 = std::abs(truelat1) * kDegToRad, t2 = std::abs(truelat2) * kDegToRad;
    if (std::abs(truelat1 - truelat2) > 0.1) {
      cone = std::log(std::cos(t1) / std::cos(t2)) /
             std::log(std::tan(std::numbers::pi / 4 - t1 / 2) / std::tan(std::numbers::pi / 4 - t2 / 2));
    } else {
      cone = std::sin(t1);
    }
  } else if (map_proj == 2) {
    cone = 1.0;
  }
  const double sign = truelat1 < 0 ? -1.0 : 1.0;
  // Positive west of STAND_LON in the northern hemisphere, where true north leans towards +x.
  const double alpha = wrap180(stand_lon - lon) * cone * kDegToRad * sign;
  return {std::cos(alpha), std::sin(alpha)};
}

UtcHour parse_wrf_time(const std::string& text) {
  // "YYYY-MM-DD_hh:mm:ss"
  LANTIAN_CHECK(text.size() == 19 && text[10] == '_', (ErrorContext{}),
                "expected a WRF time \"YYYY-MM-DD_hh:mm:ss\", found \"" + text + "\"");
  std::string iso = text;
  iso[10] = 'T';
  static const TimeZone utc("UTC");
  try {
    return parse_time(iso + "Z", utc);
  } catch (const Error& e) {
    throw Error("WRF time \"" + text + "\": " + e.message());
  }
}

WrfDataset open_wrf(const std::vector<std::string>& files) {
  LANTIAN_CHECK(!files.empty(), (ErrorContext{"", 0, "wrfout"}), "expected at least one wrfout file");
  WrfDataset ds;
  ds.files = files;
  FileDomain first;
  std::vector<Field2D<double>> acc;  // accumulations, in the order of ds.index before sorting
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const NetcdfFile f(files[fi]);
    const FileDomain d = read_domain(f);
    const std::vector<std::string> c2{"south_north", "west_east"};
    const Field2D<double> lat = to_field2d(read_var(f, "XLAT", c2, 0, true, true), d.nx, d.ny);
    const Field2D<double> lon = to_field2d(read_var(f, "XLONG", c2, 0, true, true), d.nx, d.ny);
    if (fi == 0) {
      first = d;
      ds.projection = d.proj;
      ds.nz = d.nz;
      ds.lat = lat;
      ds.lon = lon;
      ds.hgt = to_field2d(read_var(f, "HGT", c2, 0, true, true), d.nx, d.ny);
      ds.z0 = f.var("ZNT").has_value() ? to_field2d(read_var(f, "ZNT", c2, 0, true, true), d.nx, d.ny)
                               : Field2D<double>(d.nx, d.ny, 0, std::numeric_limits<double>::quiet_NaN());
      place_domain(ds, d, files[fi]);
      ds.cosalpha = Field2D<double>(d.nx, d.ny);
      ds.sinalpha = Field2D<double>(d.nx, d.ny);
      if (f.var("COSALPHA").has_value() && f.var("SINALPHA").has_value()) {
        ds.cosalpha = to_field2d(read_var(f, "COSALPHA", c2, 0, true, true), d.nx, d.ny);
        ds.sinalpha = to_field2d(read_var(f, "SINALPHA", c2, 0, true, true), d.nx, d.ny);
      } else {
        for (int j = 0; j < d.ny; ++j)
          for (int i = 0; i < d.nx; ++i) std::tie(ds.cosalpha(i, j), ds.sinalpha(i, j)) = d.proj.rotation(lon(i, j));
      }
    } else {
      const bool same = d.nx == first.nx && d.ny == first.ny && d.nz == first.nz && d.dx == first.dx &&
                        d.dy == first.dy && d.proj.map_proj == first.proj.map_proj &&
                        d.proj.truelat1 == first.proj.truelat1 && d.proj.truelat2 == first.proj.truelat2 &&
                        d.proj.stand_lon == first.proj.stand_lon && std::abs(lat(0, 0) - ds.lat(0, 0)) < 1e-4 &&
                        std::abs(lon(0, 0) - ds.lon(0, 0)) < 1e-4;
      LANTIAN_CHECK(same, (ErrorContext{files[fi], 0, ""}),
                    "domain differs from " + files[0] + " (expected the same dimensions, DX/DY, projection and first cell)");
    }
    const double bucket = global_att(f, "BUCKET_MM").value_or(0.0);
    const auto times = read_times(f);
    for (std::size_t t = 0; t < times.size(); ++t) {
      UtcHour h = 0;
      try {
        h = parse_wrf_time(times[t]);
      } catch (const Error& e) {
        throw Error(ErrorContext{files[fi], 0, "Times[" + std::to_string(t) + "]"}, e.message());
      }
      ds.index.push_back({h, fi, t});
      acc.push_back(read_rain(f, t, d.nx, d.ny, bucket));
    }
  }
  LANTIAN_CHECK(!ds.index.empty(), (ErrorContext{files[0], 0, "Times"}), "expected at least one time, found none");
  std::vector<std::size_t> order(ds.index.size());
  for (std::size_t n = 0; n < order.size(); ++n) order[n] = n;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ds.index[a].time < ds.index[b].time; });
  std::vector<WrfDataset::TimeRef> sorted;
  std::vector<Field2D<double>> acc_sorted;
  for (std::size_t n : order) {
    sorted.push_back(ds.index[n]);
    acc_sorted.push_back(std::move(acc[n]));
  }
  ds.index = std::move(sorted);
  for (std::size_t n = 1; n < ds.index.size(); ++n)
    LANTIAN_CHECK(ds.index[n].time != ds.index[n - 1].time, (ErrorContext{files[ds.index[n].file], 0, "Times"}),
                  "duplicate time " + format_utc(ds.index[n].time) + " (also in " + files[ds.index[n - 1].file] +
                      "); expected each time once");

  // Precipitation rates from consecutive accumulations (mm/h), the first time from the first interval.
  ds.precip.assign(ds.index.size(), Field2D<double>(ds.nx(), ds.ny(), 0, std::numeric_limits<double>::quiet_NaN()));
  for (std::size_t n = 1; n < ds.index.size(); ++n) {
    const double hours = static_cast<double>(ds.index[n].time - ds.index[n - 1].time);
    for (std::size_t c = 0; c < acc_sorted[n].size(); ++c) {
      const double d = acc_sorted[n].data()[c] - acc_sorted[n - 1].data()[c];
      LANTIAN_CHECK(d > -0.01, (ErrorContext{files[ds.index[n].file], 0, "RAINC+RAINNC"}),
                    "accumulated precipitation decreases by " + fmt_num(-d) + " mm from " +
                        format_utc(ds.index[n - 1].time) + " to " + format_utc(ds.index[n].time) +
                        "; expected accumulations of one run (files from different runs cannot be mixed)");
      ds.precip[n].data()[c] = std::max(d, 0.0) / hours;
    }
  }
  for (std::size_t n = 1; n < ds.index.size(); ++n)
    check_surface(files[ds.index[n].file], "RAINC+RAINNC (rate since " + format_utc(ds.index[n - 1].time) + ")",
                  ds.index[n].index, ds.nx(), ds.ny(), Quantity::precipitation,
                  [&](int i, int j) { return ds.precip[n](i, j); });
  if (ds.index.size() > 1) ds.precip[0] = ds.precip[1];
  ds.rain_acc = std::move(acc_sorted);

  // Nominal layer tops: domain mean of the w-level heights 1..nz at the first time.
  const NetcdfFile f0(files[ds.index[0].file]);
  const std::vector<std::string> cw{"bottom_top_stag", "south_north", "west_east"};
  const auto ph = read_var(f0, "PH", cw, ds.index[0].index);
  const auto phb = read_var(f0, "PHB", cw, ds.index[0].index);
  ds.grid.layer_tops.assign(static_cast<std::size_t>(ds.nz), 0.0);
  const std::size_t plane = static_cast<std::size_t>(ds.nx()) * static_cast<std::size_t>(ds.ny());
  for (int k = 1; k <= ds.nz; ++k) {
    double sum = 0.0;
    for (std::size_t c = 0; c < plane; ++c)
      sum += (ph[c + plane * static_cast<std::size_t>(k)] + phb[c + plane * static_cast<std::size_t>(k)]) / kWrfGravity -
             ds.hgt.data()[c];
    ds.grid.layer_tops[static_cast<std::size_t>(k - 1)] = sum / static_cast<double>(plane);
  }
  return ds;
}

WrfFrame load_frame(const WrfDataset& ds, std::size_t n) {
  LANTIAN_CHECK(n < ds.index.size(), (ErrorContext{"", 0, "WRF frame"}),
                "frame " + std::to_string(n) + " requested, the dataset has " + std::to_string(ds.index.size()));
  if (!ds.frames.empty()) return ds.frames[n];
  const WrfDataset::TimeRef& r = ds.index[n];
  const NetcdfFile f(ds.files[r.file]);
  const FileDomain d = read_domain(f);
  WrfFrame fr = read_frame(f, r.index, d, ds.hgt);
  fr.time = r.time;
  fr.rain_acc = ds.rain_acc[n];
  fr.precip = ds.precip[n];
  return fr;
}

WrfDataset read_wrf(const std::vector<std::string>& files) {
  WrfDataset ds = open_wrf(files);
  std::vector<WrfFrame> frames;
  frames.reserve(ds.index.size());
  for (std::size_t n = 0; n < ds.index.size(); ++n) frames.push_back(load_frame(ds, n));
  ds.frames = std::move(frames);
  return ds;
}

}  // namespace lantian::meteo
