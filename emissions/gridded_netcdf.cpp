// Gridded CF NetCDF emissions: reading, unit conversion and mass-conserving regridding. See
// gridded_netcdf.hpp.
#include "emissions/gridded_netcdf.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <utility>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/text.hpp"
#include "emissions/gridding.hpp"
#include "emissions/units.hpp"

namespace lantian::emissions {

namespace {

constexpr std::string_view kExpectedUnits =
    "a mass rate per cell (g/s, kg/h, t/yr, t yr-1 cell-1, Mg/yr) or per area (kg m-2 s-1, g m-2 s-1, "
    "t km-2 yr-1)";

/// Faces of cells centred on `c` (monotonic, >= 2 values): half-way between centres, the ends
/// half a spacing outside; returned increasing, with `reversed` set when c decreases.
std::vector<double> faces_of(const std::vector<double>& c, bool& reversed, const NetcdfFile& f, const std::string& name) {
  LANTIAN_CHECK(c.size() >= 2, (ErrorContext{f.path(), 0, name}),
                "expected at least 2 coordinate values (cell sizes come from the spacing), found " +
                    std::to_string(c.size()));
  reversed = c[1] < c[0];
  std::vector<double> v = c;
  if (reversed) std::reverse(v.begin(), v.end());
  for (std::size_t k = 1; k < v.size(); ++k)
    LANTIAN_CHECK(std::isfinite(v[k]) && v[k] > v[k - 1], (ErrorContext{f.path(), 0, name}),
                  "expected strictly monotonic coordinate values, found " + std::to_string(v[k - 1]) + " then " +
                      std::to_string(v[k]));
  std::vector<double> faces(v.size() + 1);
  faces.front() = v[0] - 0.5 * (v[1] - v[0]);
  for (std::size_t k = 1; k < v.size(); ++k) faces[k] = 0.5 * (v[k - 1] + v[k]);
  faces.back() = v.back() + 0.5 * (v.back() - v[v.size() - 2]);
  return faces;
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::optional<GriddedUnit> parse_gridded_unit(std::string_view text) {
  std::string s(text);
  // "m**-2" and "m^-2" are "m-2".
  for (const std::string_view op : {std::string_view("**"), std::string_view("^")})
    for (std::size_t p; (p = s.find(op)) != std::string::npos;) s.erase(p, op.size());
  double mass = 0.0, time = 0.0, length = 0.0;
  int n_mass = 0, n_time = 0, n_length = 0, n_cell = 0;
  int e_mass = 0, e_time = 0, e_length = 0, e_cell = 0;
  std::size_t k = 0;
  int sign = 1;
  while (k < s.size()) {
    const char c = s[k];
    if (c == ' ' || c == '.' || c == '*') {
      ++k;
      continue;
    }
    if (c == '/') {
      sign = -1;
      ++k;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    std::size_t e = k;
    while (e < s.size() && std::isalpha(static_cast<unsigned char>(s[e]))) ++e;
    const std::string name = s.substr(k, e - k);
    int exponent = 1;
    if (e < s.size() && (s[e] == '-' || s[e] == '+' || std::isdigit(static_cast<unsigned char>(s[e])))) {
      std::size_t d = e + ((s[e] == '-' || s[e] == '+') ? 1 : 0);
      const std::size_t d0 = d;
      while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d]))) ++d;
      if (d == d0) return std::nullopt;
      exponent = std::stoi(s.substr(d0, d - d0)) * (s[e] == '-' ? -1 : 1);
      e = d;
    }
    exponent *= sign;
    sign = 1;
    k = e;
    // Masses are case-sensitive (Mg = megagram = tonne, mg = milligram); the rest is not.
    double g = 0.0;
    if (name == "g") g = 1.0;
    else if (name == "kg") g = 1.0e3;
    else if (name == "mg") g = 1.0e-3;
    else if (name == "t" || name == "tonne" || name == "tonnes" || name == "Mg") g = 1.0e6;
    else if (name == "Gg" || name == "kt") g = 1.0e9;
    if (g > 0.0) {
      mass = g, e_mass += exponent, ++n_mass;
      continue;
    }
    const std::string l = ascii_lower(name);
    double sec = 0.0;
    if (l == "s" || l == "sec" || l == "second" || l == "seconds") sec = 1.0;
    else if (l == "min" || l == "minute" || l == "minutes") sec = 60.0;
    else if (l == "h" || l == "hr" || l == "hour" || l == "hours") sec = 3600.0;
    else if (l == "d" || l == "day" || l == "days") sec = 86400.0;
    else if (l == "yr" || l == "y" || l == "year" || l == "years" || l == "a") sec = kSecondsPerYear;
    if (sec > 0.0) {
      time = sec, e_time += exponent, ++n_time;
      continue;
    }
    if (l == "m" || l == "km") {
      length = l == "m" ? 1.0 : 1.0e3, e_length += exponent, ++n_length;
      continue;
    }
    if (l == "cell" || l == "gridcell" || l == "grid_cell") {
      e_cell += exponent, ++n_cell;
      continue;
    }
    return std::nullopt;
  }
  if (n_mass != 1 || e_mass != 1 || n_time != 1 || e_time != -1 || n_length > 1 || n_cell > 1) return std::nullopt;
  if (n_length == 1 && (e_length != -2 || n_cell == 1)) return std::nullopt;
  if (n_cell == 1 && e_cell != -1) return std::nullopt;
  GriddedUnit u;
  u.per_area = n_length == 1;
  u.to_grams_per_second = mass / time / (u.per_area ? length * length : 1.0);
  return u;
}

Rates GriddedSource::total(int t) const {
  Rates r{};
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p)
    for (double v : rate[static_cast<std::size_t>(t)][p]) r[p] += v;
  return r;
}

GriddedSource read_gridded_netcdf(const std::string& path, const GriddedNetcdfOptions& options) {
  const NetcdfFile f(path);
  GriddedSource out;
  out.file = path;

  const auto list_vars = [&]() {
    std::string s;
    for (int v = 0; v < f.nvars(); ++v) s += (s.empty() ? "" : ", ") + f.var_name(v);
    return s;
  };

  // The data variables, and the grid of the first one (all must share it).
  std::vector<int> dims0;
  std::array<int, kEmittedPollutantCount> vars{};
  vars.fill(-1);
  bool any = false;
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    const std::string& name = options.variables[p];
    if (name.empty()) continue;
    const auto v = f.var(name);
    LANTIAN_CHECK(v.has_value(), (ErrorContext{path, 0, name}),
                  "missing variable for " + std::string(pollutant_name(kAllEmittedPollutants[p])) + " (the file has: " +
                      list_vars() + "; name the variable in the options, or \"\" when the file has no " +
                      std::string(pollutant_name(kAllEmittedPollutants[p])) + ")");
    const std::vector<int> d = f.dims(*v);
    if (!any) {
      std::string found;
      for (int dd : d) found += (found.empty() ? "" : ", ") + f.dim_name(dd);
      LANTIAN_CHECK(d.size() == 2 || d.size() == 3, (ErrorContext{path, 0, name}),
                    "expected dimensions (y, x) or (time, y, x), found (" + found + ")");
      dims0 = d;
    } else {
      LANTIAN_CHECK(d == dims0, (ErrorContext{path, 0, name}),
                    "expected the same dimensions as " + f.var_name(vars[0] >= 0 ? vars[0] : *v) +
                        " (all pollutants on one grid)");
    }
    vars[p] = *v;
    out.present[p] = true;
    any = true;
  }
  LANTIAN_CHECK(any, (ErrorContext{path, 0, ""}), "no pollutant variable named in the options");
  int first = -1;
  for (int v : vars)
    if (v >= 0 && first < 0) first = v;
  const std::string first_name = f.var_name(first);

  // Coordinates: the variables named after the last two dimensions.
  const int ydim = dims0[dims0.size() - 2], xdim = dims0.back();
  const auto coord = [&](int dim) {
    const auto cv = f.var(f.dim_name(dim));
    LANTIAN_CHECK(cv.has_value(), (ErrorContext{path, 0, first_name}),
                  "missing coordinate variable \"" + f.dim_name(dim) + "\" of dimension " + f.dim_name(dim));
    return *cv;
  };
  const int xv = coord(xdim), yv = coord(ydim);
  const CfAxis xa = cf_axis_of(f, xv), ya = cf_axis_of(f, yv);
  if (xa == CfAxis::lon && ya == CfAxis::lat) {
    out.geographic = true;
  } else if (xa == CfAxis::x && ya == CfAxis::y) {
    out.geographic = false;
    const std::string gm_name = f.text_att(first, "grid_mapping");
    LANTIAN_CHECK(!gm_name.empty(), (ErrorContext{path, 0, first_name}),
                  "projected coordinates but no grid_mapping attribute naming the CRS");
    const auto gm = f.var(gm_name);
    LANTIAN_CHECK(gm.has_value(), (ErrorContext{path, 0, first_name}), "missing grid_mapping variable " + gm_name);
    out.crs = crs_of_cf_grid_mapping(f, *gm, first_name);
  } else {
    throw Error(ErrorContext{path, 0, first_name},
                "expected the last two dimensions to be (latitude, longitude) with units degrees_north and "
                "degrees_east, or (projection_y_coordinate, projection_x_coordinate) in m or km; found (" +
                    f.var_name(yv) + " [" + f.text_att(yv, "units") + "], " + f.var_name(xv) + " [" +
                    f.text_att(xv, "units") + "])");
  }
  bool x_rev = false, y_rev = false;
  std::vector<double> xc = f.read(xv), yc = f.read(yv);
  if (!out.geographic) {
    if (ascii_lower(f.text_att(xv, "units")) == "km") for (double& x : xc) x *= 1000.0;
    if (ascii_lower(f.text_att(yv, "units")) == "km") for (double& y : yc) y *= 1000.0;
  }
  out.x_faces = faces_of(xc, x_rev, f, f.var_name(xv));
  out.y_faces = faces_of(yc, y_rev, f, f.var_name(yv));
  if (out.geographic)
    LANTIAN_CHECK(out.y_faces.front() >= -90.0 - 1e-9 && out.y_faces.back() <= 90.0 + 1e-9,
                  (ErrorContext{path, 0, f.var_name(yv)}), "latitude cells extend beyond the poles");
  out.nx = static_cast<int>(xc.size());
  out.ny = static_cast<int>(yc.size());

  // Time slices.
  const std::size_t nt = dims0.size() == 3 ? f.dim_len(dims0[0]) : 1;
  LANTIAN_CHECK(nt == 1 || nt == 12, (ErrorContext{path, 0, first_name}),
                "expected 1 time (a mean) or 12 (monthly means), found " + std::to_string(nt) + " along " +
                    f.dim_name(dims0[0]));
  out.rate.resize(nt);

  // Source cell areas, m^2 (for per-area units).
  const std::size_t nx = static_cast<std::size_t>(out.nx), ny = static_cast<std::size_t>(out.ny);
  std::vector<double> area(nx * ny);
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const double wx = out.x_faces[i + 1] - out.x_faces[i], wy = out.y_faces[j + 1] - out.y_faces[j];
      if (out.geographic) {
        constexpr double deg = std::numbers::pi / 180.0;
        area[i + nx * j] = kAuthalicEarthRadius * kAuthalicEarthRadius * wx * deg *
                           (std::sin(out.y_faces[j + 1] * deg) - std::sin(out.y_faces[j] * deg));
      } else {
        area[i + nx * j] = wx * wy;
      }
    }

  // Values, converted once to g/s per source cell.
  std::optional<Sector> sector = options.sector;
  std::string sector_from;
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    if (vars[p] < 0) continue;
    const int v = vars[p];
    const std::string& name = options.variables[p];
    const std::string units = f.text_att(v, "units");
    LANTIAN_CHECK(!units.empty(), (ErrorContext{path, 0, name}),
                  "missing units attribute: expected " + std::string(kExpectedUnits));
    const auto unit = parse_gridded_unit(units);
    LANTIAN_CHECK(unit.has_value(), (ErrorContext{path, 0, name}),
                  "unknown units \"" + units + "\": expected " + std::string(kExpectedUnits) +
                      " (mass units only: molar units need a molar mass)");
    if (!options.sector) {
      const std::string s = f.text_att(v, "sector");
      if (!s.empty()) {
        const auto parsed = parse_sector(s);
        if (!parsed) {
          const auto names = sector_names();
          const std::string near = nearest_name(s, std::span<const std::string_view>(names));
          throw Error(ErrorContext{path, 0, name + ":sector"},
                      "unknown sector \"" + s + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"));
        }
        LANTIAN_CHECK(!sector || *sector == *parsed, (ErrorContext{path, 0, name + ":sector"}),
                      "sector \"" + s + "\" differs from \"" + std::string(sector_name(*sector)) + "\" of " +
                          sector_from + ": one file holds one sector (or configure the sector)");
        sector = parsed;
        sector_from = name;
      }
    }
    const std::vector<double> raw = f.read(v);
    const auto fill = f.num_att(v, "_FillValue");
    const auto missing = f.num_att(v, "missing_value");
    const double scale = f.num_att(v, "scale_factor").value_or(1.0);
    const double offset = f.num_att(v, "add_offset").value_or(0.0);
    for (std::size_t t = 0; t < nt; ++t) {
      std::vector<double>& dst = out.rate[t][p];
      dst.assign(nx * ny, 0.0);
      for (std::size_t jj = 0; jj < ny; ++jj)
        for (std::size_t ii = 0; ii < nx; ++ii) {
          const double r = raw[t * nx * ny + jj * nx + ii];
          if ((fill && r == *fill) || (missing && r == *missing)) continue;
          const double value = r * scale + offset;
          if (!(std::isfinite(value) && value >= 0.0)) {
            std::string at = name;
            at += '[';
            if (nt > 1) at += std::to_string(t) + ", ";
            at += std::to_string(jj) + ", " + std::to_string(ii) + "]";
            throw Error(ErrorContext{path, 0, at}, !std::isfinite(value)
                                                       ? "expected a finite value, found " + number(value)
                                                       : "expected a non-negative rate, found " + number(value) + " " + units);
          }
          const std::size_t i = x_rev ? nx - 1 - ii : ii, j = y_rev ? ny - 1 - jj : jj;
          dst[i + nx * j] = value * unit->to_grams_per_second * (unit->per_area ? area[i + nx * j] : 1.0);
        }
    }
  }
  if (!sector) {
    const std::string s = f.text_att(NetcdfFile::kGlobal, "sector");
    LANTIAN_CHECK(!s.empty(), (ErrorContext{path, 0, "sector"}),
                  "no sector: expected a sector attribute (file or variables) or a configured sector");
    sector = parse_sector(s);
    if (!sector) {
      const auto names = sector_names();
      const std::string near = nearest_name(s, std::span<const std::string_view>(names));
      throw Error(ErrorContext{path, 0, "sector"},
                  "unknown sector \"" + s + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"));
    }
  }
  out.sector = *sector;
  return out;
}

const std::array<Field2D<double>, kEmittedPollutantCount>& GriddedEmissions::for_month(int month) const {
  LANTIAN_CHECK(!rate.empty(), (ErrorContext{file, 0, ""}), "no gridded emissions");
  LANTIAN_CHECK(!stepped(), (ErrorContext{file, 0, ""}), "a time-stepped file has no monthly slices (slice_index)");
  if (rate.size() == 1) return rate.front();
  LANTIAN_CHECK(month >= 1 && month <= 12, (ErrorContext{file, 0, ""}),
                "expected a month 1..12, found " + std::to_string(month));
  return rate[static_cast<std::size_t>(month - 1)];
}

std::size_t GriddedEmissions::slice_index(UtcHour t, int month) const {
  LANTIAN_CHECK(!rate.empty(), (ErrorContext{file, 0, ""}), "no gridded emissions");
  if (!stepped()) {
    if (rate.size() == 1) return 0;
    LANTIAN_CHECK(month >= 1 && month <= 12, (ErrorContext{file, 0, ""}),
                  "expected a month 1..12, found " + std::to_string(month));
    return static_cast<std::size_t>(month - 1);
  }
  const UtcHour first = step_start.front(), end = step_start.back() + step_hours;
  if (t < first || t >= end) {
    std::string msg = "the model hour ";
    msg += format_utc(t);
    msg += " is outside the file's time steps, which cover ";
    msg += format_utc(first);
    msg += " .. ";
    msg += format_utc(end);
    msg += " (";
    msg += std::to_string(step_start.size());
    msg += " steps of ";
    msg += std::to_string(step_hours);
    msg += " h, UTC)";
    throw Error(ErrorContext{file, 0, "TFLAG"}, msg);
  }
  // Contiguous steps of equal length (read_ioapi_steps): the index is arithmetic.
  return static_cast<std::size_t>((t - first) / step_hours);
}

GriddedEmissions regrid_gridded(const GriddedSource& src, const Grid& grid, int edge_points) {
  LANTIAN_CHECK(edge_points >= 1, (ErrorContext{src.file, 0, "edge_points"}),
                "expected at least 1 segment per edge, found " + std::to_string(edge_points));
  GriddedEmissions out;
  out.file = src.file;
  out.sector = src.sector;
  out.warnings = src.warnings;
  out.profile = src.profile;
  out.layers = src.layers;
  out.step_start = src.step_start;
  out.step_hours = src.step_hours;
  out.rate.resize(src.rate.size());
  out.outside.assign(src.rate.size(), Rates{});
  for (auto& slice : out.rate)
    for (auto& fld : slice) fld = Field2D<double>(grid.nx(), grid.ny());

  // The source grid's CRS -> lon/lat (a 1-cell Grid serves as the PROJ transform).
  std::optional<Grid> source_crs;
  if (!src.geographic) {
    GridSpec s;
    s.crs = src.crs;
    s.nx = s.ny = 1;
    s.dx = s.dy = 1.0;
    s.layer_tops = {1.0};
    try {
      source_crs.emplace(std::move(s));
    } catch (const Error& e) {
      throw Error(ErrorContext{src.file, 0, "grid_mapping"}, e.message());
    }
  }
  const auto to_lonlat = [&](double x, double y) {
    return src.geographic ? LonLat{x, y} : source_crs->to_lonlat({x, y});
  };

  // The case grid's lon/lat box, from points along its boundary.
  double lon_min = std::numeric_limits<double>::infinity(), lon_max = -lon_min, lat_min = lon_min, lat_max = -lon_min;
  constexpr int kBoundary = 64;
  for (int k = 0; k <= kBoundary; ++k) {
    const double a = static_cast<double>(k) / kBoundary;
    const double x = grid.x_face(0) + a * (grid.x_face(grid.nx()) - grid.x_face(0));
    const double y = grid.y_face(0) + a * (grid.y_face(grid.ny()) - grid.y_face(0));
    for (const XY p : {XY{x, grid.y_face(0)}, XY{x, grid.y_face(grid.ny())}, XY{grid.x_face(0), y},
                       XY{grid.x_face(grid.nx()), y}}) {
      const LonLat q = grid.to_lonlat(p);
      lon_min = std::min(lon_min, q.lon), lon_max = std::max(lon_max, q.lon);
      lat_min = std::min(lat_min, q.lat), lat_max = std::max(lat_max, q.lat);
    }
  }
  const double lon_mid = 0.5 * (lon_min + lon_max);

  const std::size_t nx = static_cast<std::size_t>(src.nx);
  std::vector<Polygon> cell(1);
  for (int j = 0; j < src.ny; ++j) {
    for (int i = 0; i < src.nx; ++i) {
      const std::size_t c = static_cast<std::size_t>(i) + nx * static_cast<std::size_t>(j);
      bool nonzero = false;
      for (const auto& slice : src.rate)
        for (const auto& r : slice)
          if (!r.empty() && r[c] != 0.0) nonzero = true;
      if (!nonzero) continue;
      // The cell's boundary, counter-clockwise, each edge cut into edge_points segments, in lon/lat.
      const double x0 = src.x_faces[static_cast<std::size_t>(i)], x1 = src.x_faces[static_cast<std::size_t>(i) + 1];
      const double y0 = src.y_faces[static_cast<std::size_t>(j)], y1 = src.y_faces[static_cast<std::size_t>(j) + 1];
      std::vector<LonLat> ring;
      ring.reserve(4 * static_cast<std::size_t>(edge_points));
      for (int e = 0; e < 4; ++e)
        for (int k = 0; k < edge_points; ++k) {
          const double a = static_cast<double>(k) / edge_points;
          switch (e) {
            case 0: ring.push_back(to_lonlat(x0 + a * (x1 - x0), y0)); break;
            case 1: ring.push_back(to_lonlat(x1, y0 + a * (y1 - y0))); break;
            case 2: ring.push_back(to_lonlat(x1 - a * (x1 - x0), y1)); break;
            default: ring.push_back(to_lonlat(x0, y1 - a * (y1 - y0))); break;
          }
        }
      // Longitudes within 180 degrees of the grid's (0..360 files against a -180..180 city).
      for (LonLat& q : ring) q.lon -= 360.0 * std::round((q.lon - lon_mid) / 360.0);
      double a0 = ring[0].lon, a1 = a0, b0 = ring[0].lat, b1 = b0;
      for (const LonLat& q : ring) a0 = std::min(a0, q.lon), a1 = std::max(a1, q.lon), b0 = std::min(b0, q.lat), b1 = std::max(b1, q.lat);
      const double clon = 0.5 * (a0 + a1), clat = 0.5 * (b0 + b1), half_w = 0.5 * (a1 - a0), half_h = 0.5 * (b1 - b0);
      // Margin of one cell size around the city's box.
      const bool near = clon + 3.0 * half_w >= lon_min && clon - 3.0 * half_w <= lon_max &&
                        clat + 3.0 * half_h >= lat_min && clat - 3.0 * half_h <= lat_max;
      std::vector<CellWeight> weights;
      double inside = 0.0;
      if (near) {
        Ring& r = cell[0].outer;
        r.clear();
        try {
          for (const LonLat& q : ring) r.push_back(grid.project(q.lon, q.lat));
        } catch (const Error& e) {
          throw Error(ErrorContext{src.file, 0, "cell [" + std::to_string(j) + ", " + std::to_string(i) + "]"},
                      e.message());
        }
        weights = area_weights(cell, grid);
        for (const CellWeight& w : weights) inside += w.weight;
      }
      for (std::size_t t = 0; t < src.rate.size(); ++t)
        for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
          if (src.rate[t][p].empty()) continue;
          const double rate = src.rate[t][p][c];
          if (rate == 0.0) continue;
          auto v = out.rate[t][p].view();
          for (const CellWeight& w : weights) v(w.i, w.j) += rate * w.weight;
          out.outside[t][p] += rate * (1.0 - inside);
        }
    }
  }
  return out;
}

}  // namespace lantian::emissions
