// Boundaries from a regional model's CF NetCDF: see regional_boundary.hpp.
#include "solver/regional_boundary.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "meteo/cf_reader.hpp"
#include "solver/cmaq_boundary.hpp"

namespace lantian::solver {

RegionalBoundaryOptions regional_boundary_options(const BoundaryFileConfig& config) {
  RegionalBoundaryOptions o;
  for (const auto& [key, var] : config.variables) {
    if (key == "PM25") {
      o.pm25 = var;
    } else if (key == "PM10") {
      o.pm10 = var;
    } else {
      for (Species s : kAllSpecies)
        if (species_name(s) == key) o.species[index(s)] = var;
    }
  }
  o.units = config.units;
  if (!config.composition.empty()) {
    o.composition = PmComposition{0.0, 0.0, 0.0};
    for (const auto& [key, f] : config.composition) {
      if (key == "SO4") o.composition.so4 = f;
      if (key == "NO3") o.composition.no3 = f;
      if (key == "SOA") o.composition.soa = f;
    }
  }
  if (config.surface_depth_m) o.surface_depth_m = *config.surface_depth_m;
  if (config.scale_height_m) o.scale_height_m = *config.scale_height_m;
  return o;
}

double mass_concentration_factor(std::string_view units, const ErrorContext& where) {
  std::string u;
  for (std::size_t k = 0; k < units.size(); ++k) {
    const char c = units[k];
    if (c == ' ' || c == '*' || c == '^') continue;
    // µ (U+00B5, C2 B5) and μ (U+03BC, CE BC) -> u; ³ (U+00B3, C2 B3) -> 3.
    if (k + 1 < units.size() && ((c == '\xC2' && units[k + 1] == '\xB5') || (c == '\xCE' && units[k + 1] == '\xBC'))) {
      u += 'u';
      ++k;
      continue;
    }
    if (k + 1 < units.size() && c == '\xC2' && units[k + 1] == '\xB3') {
      u += '3';
      ++k;
      continue;
    }
    u += ascii_lower(c);
  }
  for (const std::string_view long_name : {"micrograms", "microgram"})
    if (u.starts_with(long_name)) u = "ug" + u.substr(long_name.size());
  if (u.ends_with("/m3")) u = u.substr(0, u.size() - 3) + "m-3";
  const std::array<std::pair<std::string_view, double>, 5> known{
      {{"ugm-3", 1.0}, {"ngm-3", 1e-3}, {"mgm-3", 1e3}, {"gm-3", 1e6}, {"kgm-3", 1e9}}};
  for (const auto& [name, factor] : known)
    if (u == name) return factor;
  const bool mixing = u.empty() || u == "1" || u.find("kg-1") != std::string::npos || u.find("kg/kg") != std::string::npos ||
                      u.starts_with("ppb") || u.starts_with("ppm") || u.starts_with("ppt") || u.find("mol") != std::string::npos;
  std::string msg = "expected a mass concentration (ug m-3, µg/m3, ng m-3, mg m-3, g m-3 or kg m-3), found ";
  msg += quote_text(units);
  if (mixing)
    msg += ": a mixing ratio (or no units) is not read as a boundary; convert it to a mass concentration first "
           "(or give [model.boundary] units when the attribute is wrong)";
  throw Error(where, msg);
}

double surface_profile_factor(double z, double depth, double scale) noexcept {
  return z <= depth ? 1.0 : std::exp(-(z - depth) / scale);
}

void split_pm(double pm25, double pm10, const std::array<bool, kSpeciesCount>& given, const PmComposition& comp,
              PerSpecies& c) noexcept {
  if (pm25 >= 0.0) {
    if (!given[index(Species::so4)]) c[index(Species::so4)] = comp.so4 * pm25 / kAmmoniumSulfateFactor;
    if (!given[index(Species::no3)]) c[index(Species::no3)] = comp.no3 * pm25 / kAmmoniumNitrateFactor;
    if (!given[index(Species::soa)]) c[index(Species::soa)] = comp.soa * pm25;
    if (!given[index(Species::ppm25)]) {
      c[index(Species::ppm25)] = 0.0;
      c[index(Species::ppm25)] = std::max(0.0, pm25 - pm25_of(c));
    }
  }
  if (pm10 >= 0.0 && !given[index(Species::pmc)])
    c[index(Species::pmc)] = std::max(0.0, pm10 - (pm25 >= 0.0 ? pm25 : pm25_of(c)));
}

namespace {


/// A 1-D coordinate stored increasing; `reversed`: the file's order is decreasing.
struct Coordinate {
  std::string name;
  std::vector<double> c;
  bool reversed = false;
  /// The file index of stored index i.
  std::size_t file_index(std::size_t i) const noexcept { return reversed ? c.size() - 1 - i : i; }
};

Coordinate read_coordinate(const NetcdfFile& f, const std::string& name, double scale) {
  const auto v = f.var(name);
  LANTIAN_CHECK(v.has_value(), (ErrorContext{f.path(), 0, name}), "missing the coordinate variable of dimension " + name);
  Coordinate out{name, f.read(*v), false};
  LANTIAN_CHECK(!out.c.empty(), (ErrorContext{f.path(), 0, name}), "empty coordinate");
  for (double& x : out.c) x *= scale;
  if (out.c.size() > 1 && out.c[1] < out.c[0]) {
    std::reverse(out.c.begin(), out.c.end());
    out.reversed = true;
  }
  for (std::size_t i = 0; i + 1 < out.c.size(); ++i)
    if (!(std::isfinite(out.c[i]) && out.c[i + 1] > out.c[i]))
      throw Error(ErrorContext{f.path(), 0, name}, "expected strictly monotonic values, found " + std::to_string(out.c[i]) +
                                                       " then " + std::to_string(out.c[i + 1]));
  return out;
}

using Sample = BoundarySample;

/// One variable read: which quantity it gives, how its values become µg/m³, its levels.
struct Variable {
  std::string quantity;  ///< "PM25", "PM10" or a species name
  int target = -1;       ///< species index, or -1 (PM25), -2 (PM10)
  std::string name;
  int id = 0;
  double factor = 1.0, scale = 1.0, offset = 0.0;
  std::optional<double> fill, missing;
  bool surface = true;                               ///< no height coordinate
  std::size_t nlev = 1;                              ///< levels in the file (1 when surface)
  struct Level {
    std::size_t iz0 = 0, iz1 = 0;  ///< file level indices around the layer centre
    double w = 0.0;                ///< weight of iz1
  };
  std::vector<Level> levels;                         ///< per layer
  std::vector<double> profile;                       ///< per layer: the surface-only factor
};

}  // namespace

struct RegionalBoundary::Impl {
  NetcdfFile file;
  RegionalBoundaryOptions options;
  Coordinate xc, yc;  ///< the file's horizontal coordinates (lon/lat in degrees, or x/y in m)
  std::size_t fx0 = 0, fx1 = 0, fy0 = 0, fy1 = 0;  ///< file index box read (inclusive)
  std::vector<Variable> vars;
  std::array<bool, kSpeciesCount> given{};
  int nx = 0, ny = 0, nz = 0;
  std::array<std::vector<Sample>, kLateralSides> samples;
  explicit Impl(const std::string& path) : file(path) {}
};

RegionalBoundary::RegionalBoundary(const std::string& path, const Grid& grid, RegionalBoundaryOptions options)
    : impl_(std::make_unique<Impl>(path)) {
  Impl& m = *impl_;
  const NetcdfFile& f = m.file;
  m.options = std::move(options);
  const RegionalBoundaryOptions& o = m.options;
  m.nx = grid.nx(), m.ny = grid.ny(), m.nz = grid.nz();
  LANTIAN_CHECK(std::isfinite(o.surface_depth_m) && o.surface_depth_m >= 0.0 && std::isfinite(o.scale_height_m) &&
                    o.scale_height_m > 0.0,
                (ErrorContext{path, 0, "surface profile"}), "expected surface_depth_m >= 0 and scale_height_m > 0");

  // The variables to read.
  std::vector<std::pair<std::string, std::string>> wanted;  // quantity, variable
  if (!o.pm25.empty()) wanted.emplace_back("PM25", o.pm25);
  if (!o.pm10.empty()) wanted.emplace_back("PM10", o.pm10);
  for (Species s : kAllSpecies)
    if (!o.species[index(s)].empty()) wanted.emplace_back(std::string(species_name(s)), o.species[index(s)]);
  std::string all_names;
  for (int v = 0; v < f.nvars(); ++v) {
    if (!all_names.empty()) all_names += ", ";
    all_names += f.var_name(v);
  }
  if (wanted.empty()) {
    for (const char* n : {"pm2p5", "PM25", "PM2_5", "pm25", "PM2.5", "pm2_5"})
      if (f.var(n)) {
        wanted.emplace_back("PM25", n);
        break;
      }
    for (const char* n : {"pm10", "PM10"})
      if (f.var(n)) {
        wanted.emplace_back("PM10", n);
        break;
      }
    if (wanted.empty())
      throw Error(ErrorContext{path, 0, "PM25"},
                  "no PM2.5 variable found (looked for pm2p5, PM25, PM2_5, pm25, PM2.5, pm2_5; the file has " + all_names +
                      "): name it in [model.boundary] variables, e.g. {PM25 = \"...\"}");
  }

  // The horizontal grid and the times, from the first variable; the others must share them.
  std::vector<std::string> dims0;
  for (const auto& [quantity, name] : wanted) {
    const auto id = f.var(name);
    if (!id) {
      std::string msg = "missing the boundary variable of ";
      msg += quantity;
      msg += " (the file has ";
      msg += all_names;
      msg += ')';
      throw Error(ErrorContext{path, 0, name}, msg);
    }
    const std::vector<std::string> dims = f.dim_names(*id);
    if (dims.size() != 3 && dims.size() != 4) {
      std::string found;
      for (const std::string& d : dims) found += (found.empty() ? "" : ", ") + d;
      throw Error(ErrorContext{path, 0, name}, "expected dimensions (time, lat, lon) or (time, lev, lat, lon), found (" +
                                                   found + ")");
    }
    if (dims0.empty()) {
      dims0 = dims;
    } else if (dims.front() != dims0.front() || dims[dims.size() - 2] != dims0[dims0.size() - 2] ||
               dims.back() != dims0.back()) {
      throw Error(ErrorContext{path, 0, name},
                  "expected the same time and horizontal dimensions as " + wanted.front().second + " (" + dims0.front() +
                      ", " + dims0[dims0.size() - 2] + ", " + dims0.back() + ")");
    }
    Variable v;
    v.quantity = quantity, v.name = name, v.id = *id;
    v.target = quantity == "PM25" ? -1 : quantity == "PM10" ? -2 : -3;
    for (Species s : kAllSpecies)
      if (species_name(s) == quantity) v.target = static_cast<int>(index(s));
    const std::string units = o.units.empty() ? f.text_att(*id, "units") : o.units;
    v.factor = mass_concentration_factor(units, ErrorContext{path, 0, o.units.empty() ? name + ":units" : "model.boundary.units"});
    v.scale = f.num_att(*id, "scale_factor").value_or(1.0);
    v.offset = f.num_att(*id, "add_offset").value_or(0.0);
    v.fill = f.num_att(*id, "_FillValue");
    v.missing = f.num_att(*id, "missing_value");
    if (dims.size() == 4) {
      const auto lv = f.var(dims[1]);
      LANTIAN_CHECK(lv.has_value(), (ErrorContext{path, 0, dims[1]}),
                    "missing the coordinate variable of the level dimension of " + name + " (heights in m expected)");
      const std::string lu = ascii_lower(f.text_att(*lv, "units"));
      const std::string positive = ascii_lower(f.text_att(*lv, "positive"));
      const std::size_t nlev = f.dim_len(f.dims(*id)[1]);
      if (nlev > 1) {
        if (lu != "m" && lu != "km" && lu != "meters" && lu != "metres" && lu != "meter" && lu != "metre")
          throw Error(ErrorContext{path, 0, dims[1] + ":units"},
                      "expected heights above ground in m or km (positive up), found units " + quote_text(lu) +
                          ": pressure or model levels are not read; interpolate the file to heights first");
        LANTIAN_CHECK(positive != "down", (ErrorContext{path, 0, dims[1] + ":positive"}),
                      "expected heights positive up, found positive = \"down\"");
        const Coordinate z = read_coordinate(f, dims[1], lu == "km" ? 1000.0 : 1.0);
        v.surface = false;
        v.nlev = nlev;
        for (int k = 0; k < m.nz; ++k) {
          std::size_t iz = 0;
          double wz = 0.0;
          locate_interval(z.c, grid.z_centre(k), true, iz, wz);
          const std::size_t iz1 = std::min(iz + 1, z.c.size() - 1);
          v.levels.push_back({z.file_index(iz), z.file_index(iz1), wz});
        }
      }
    }
    if (v.surface)
      for (int k = 0; k < m.nz; ++k)
        v.profile.push_back(surface_profile_factor(grid.z_centre(k), o.surface_depth_m, o.scale_height_m));
    if (v.target >= 0) m.given[static_cast<std::size_t>(v.target)] = true;
    m.vars.push_back(std::move(v));
  }

  // Times.
  {
    const auto tv = f.var(dims0.front());
    LANTIAN_CHECK(tv.has_value(), (ErrorContext{path, 0, dims0.front()}), "missing the time coordinate variable");
    const std::string cal = ascii_lower(f.text_att(*tv, "calendar"));
    LANTIAN_CHECK(cal.empty() || cal == "standard" || cal == "gregorian" || cal == "proleptic_gregorian",
                  (ErrorContext{path, 0, dims0.front() + ":calendar"}),
                  "expected calendar standard, gregorian or proleptic_gregorian, found " + quote_text(cal));
    const std::string units = f.text_att(*tv, "units");
    for (double t : f.read(*tv)) {
      try {
        times_.push_back(meteo::cf_time_to_utc(t, units));
      } catch (const Error& e) {
        throw Error(ErrorContext{path, 0, dims0.front()}, e.message());
      }
    }
    LANTIAN_CHECK(!times_.empty(), (ErrorContext{path, 0, dims0.front()}), "no times");
    for (std::size_t n = 0; n + 1 < times_.size(); ++n)
      LANTIAN_CHECK(times_[n + 1] > times_[n], (ErrorContext{path, 0, dims0.front()}),
                    "expected strictly increasing times, found " + format_utc(times_[n]) + " then " +
                        format_utc(times_[n + 1]));
  }

  // Horizontal coordinates: lon/lat, or projected x/y with the variable's grid_mapping.
  const std::string& xname = dims0.back();
  const std::string& yname = dims0[dims0.size() - 2];
  const auto xv = f.var(xname), yv = f.var(yname);
  LANTIAN_CHECK(xv.has_value(), (ErrorContext{path, 0, xname}), "missing the coordinate variable (longitude or x)");
  LANTIAN_CHECK(yv.has_value(), (ErrorContext{path, 0, yname}), "missing the coordinate variable (latitude or y)");
  const CfAxis xa = cf_axis_of(f, *xv), ya = cf_axis_of(f, *yv);
  std::optional<Grid> file_crs;
  if (xa == CfAxis::lon && ya == CfAxis::lat) {
    m.xc = read_coordinate(f, xname, 1.0);
    m.yc = read_coordinate(f, yname, 1.0);
  } else if (xa == CfAxis::x && ya == CfAxis::y) {
    const std::string& first = m.vars.front().name;
    const std::string gm_name = f.text_att(m.vars.front().id, "grid_mapping");
    LANTIAN_CHECK(!gm_name.empty(), (ErrorContext{path, 0, first + ":grid_mapping"}),
                  "projected coordinates " + xname + "/" + yname + " but no grid_mapping attribute naming the CRS");
    const auto gm = f.var(gm_name);
    LANTIAN_CHECK(gm.has_value(), (ErrorContext{path, 0, first + ":grid_mapping"}), "missing grid_mapping variable " + gm_name);
    GridSpec s;
    s.crs = crs_of_cf_grid_mapping(f, *gm, first);
    s.nx = s.ny = 1, s.dx = s.dy = 1.0, s.layer_tops = {1.0};
    try {
      file_crs.emplace(std::move(s));
    } catch (const Error& e) {
      throw Error(ErrorContext{path, 0, gm_name}, e.message());
    }
    m.xc = read_coordinate(f, xname, ascii_lower(f.text_att(*xv, "units")) == "km" ? 1000.0 : 1.0);
    m.yc = read_coordinate(f, yname, ascii_lower(f.text_att(*yv, "units")) == "km" ? 1000.0 : 1.0);
  } else {
    throw Error(ErrorContext{path, 0, yname + "/" + xname},
                "expected the last two dimensions to be (latitude, longitude) with units degrees_north and degrees_east "
                "(or standard_name latitude/longitude), or (y, x) projected in m or km with a grid_mapping");
  }

  // Boundary cells: their centres in the file's coordinates.
  m.samples = sample_boundary_cells(grid, m.xc.c, m.yc.c, file_crs ? &*file_crs : nullptr, path, yname + "/" + xname,
                                    xname, yname);
  std::size_t ix_lo = m.xc.c.size(), ix_hi = 0, iy_lo = m.yc.c.size(), iy_hi = 0;
  for (const auto& side : m.samples)
    for (const Sample& smp : side) {
      for (std::size_t i : {smp.ix, std::min(smp.ix + 1, m.xc.c.size() - 1)}) {
        const std::size_t fi = m.xc.file_index(i);
        ix_lo = std::min(ix_lo, fi), ix_hi = std::max(ix_hi, fi);
      }
      for (std::size_t j : {smp.iy, std::min(smp.iy + 1, m.yc.c.size() - 1)}) {
        const std::size_t fj = m.yc.file_index(j);
        iy_lo = std::min(iy_lo, fj), iy_hi = std::max(iy_hi, fj);
      }
    }
  m.fx0 = ix_lo, m.fx1 = ix_hi, m.fy0 = iy_lo, m.fy1 = iy_hi;
}

RegionalBoundary::~RegionalBoundary() = default;

std::vector<std::string> RegionalBoundary::variables() const {
  std::vector<std::string> out;
  for (const Variable& v : impl_->vars) out.push_back(v.quantity + "=" + v.name);
  return out;
}

BoundaryValues RegionalBoundary::at(UtcHour t) const {
  const Impl& m = *impl_;
  const std::string& path = m.file.path();
  const auto [n0, n1, a] = bracket_time(times_, t, path);
  const std::size_t bx = m.fx1 - m.fx0 + 1, by = m.fy1 - m.fy0 + 1;
  // Per side: the cells' quantities, [variable][along + n * k].
  std::array<std::vector<std::vector<double>>, kLateralSides> q;
  for (Side side : kAllLateralSides) q[static_cast<std::size_t>(side)].resize(m.vars.size());
  for (std::size_t iv = 0; iv < m.vars.size(); ++iv) {
    const Variable& v = m.vars[iv];
    auto slice = [&](std::size_t n) {
      std::vector<double> s = v.surface && v.nlev == 1 && m.file.dims(v.id).size() == 3
                                  ? m.file.read(v.id, {n, m.fy0, m.fx0}, {1, by, bx})
                                  : m.file.read(v.id, {n, 0, m.fy0, m.fx0}, {1, v.nlev, by, bx});
      for (std::size_t k = 0; k < s.size(); ++k) {
        const double raw = s[k];
        const double value = (raw * v.scale + v.offset) * v.factor;
        const bool missing = (v.fill && raw == *v.fill) || (v.missing && raw == *v.missing);
        if (missing || !(std::isfinite(value) && value >= 0.0) || !is_plausible(Quantity::boundary_concentration, value)) {
          std::ostringstream where;
          where << v.name << "[time " << n << ", lev " << k / (bx * by) << ", " << m.yc.name << " " << m.fy0 + k / bx % by
                << ", " << m.xc.name << " " << m.fx0 + k % bx << "]";
          const std::string what =
              missing ? "a missing value (_FillValue or missing_value)"
                      : (!(std::isfinite(value) && value >= 0.0)
                             ? "expected a finite, non-negative concentration, found " + std::to_string(value) + " µg/m³"
                             : implausible_message(Quantity::boundary_concentration, value));
          throw Error(ErrorContext{path, 0, where.str()}, what + " at " + format_utc(times_[n]));
        }
        s[k] = value;
      }
      return s;
    };
    const std::vector<double> s0 = slice(n0);
    const std::vector<double> s1 = n1 == n0 ? std::vector<double>{} : slice(n1);
    auto horizontal = [&](const std::vector<double>& s, const Sample& p, std::size_t iz) {
      const std::size_t ix1 = std::min(p.ix + 1, m.xc.c.size() - 1), iy1 = std::min(p.iy + 1, m.yc.c.size() - 1);
      auto at = [&](std::size_t i, std::size_t j) {
        return s[(m.xc.file_index(i) - m.fx0) + bx * ((m.yc.file_index(j) - m.fy0) + by * iz)];
      };
      return (1.0 - p.wy) * ((1.0 - p.wx) * at(p.ix, p.iy) + p.wx * at(ix1, p.iy)) +
             p.wy * ((1.0 - p.wx) * at(p.ix, iy1) + p.wx * at(ix1, iy1));
    };
    auto column = [&](const std::vector<double>& s, const Sample& p, int k) {
      if (v.surface) return v.profile[static_cast<std::size_t>(k)] * horizontal(s, p, 0);
      const Variable::Level& l = v.levels[static_cast<std::size_t>(k)];
      return (1.0 - l.w) * horizontal(s, p, l.iz0) + l.w * horizontal(s, p, l.iz1);
    };
    for (Side side : kAllLateralSides) {
      const auto& samples = m.samples[static_cast<std::size_t>(side)];
      std::vector<double>& out = q[static_cast<std::size_t>(side)][iv];
      out.resize(samples.size() * static_cast<std::size_t>(m.nz));
      for (int k = 0; k < m.nz; ++k)
        for (std::size_t c = 0; c < samples.size(); ++c) {
          const double v0 = column(s0, samples[c], k);
          out[c + samples.size() * static_cast<std::size_t>(k)] = s1.empty() ? v0 : (1.0 - a) * v0 + a * column(s1, samples[c], k);
        }
    }
  }
  BoundaryValues out(m.nx, m.ny, m.nz);
  for (Side side : kAllLateralSides) {
    const auto& qs = q[static_cast<std::size_t>(side)];
    const std::size_t n = m.samples[static_cast<std::size_t>(side)].size();
    for (int k = 0; k < m.nz; ++k)
      for (std::size_t c = 0; c < n; ++c) {
        PerSpecies cell{};
        double pm25 = -1.0, pm10 = -1.0;
        for (std::size_t iv = 0; iv < m.vars.size(); ++iv) {
          const double value = qs[iv][c + n * static_cast<std::size_t>(k)];
          const int target = m.vars[iv].target;
          if (target >= 0) cell[static_cast<std::size_t>(target)] = value;
          else if (target == -1) pm25 = value;
          else pm10 = value;
        }
        split_pm(pm25, pm10, m.given, m.options.composition, cell);
        for (Species sp : kAllSpecies) out(side, sp, static_cast<int>(c), k) = cell[index(sp)];
      }
  }
  return out;
}

std::unique_ptr<BoundaryProvider> open_boundary_file(const std::string& path, const Grid& grid, const TimeZone& zone,
                                                     BoundaryFormat format, const RegionalBoundaryOptions& options) {
  if (format == BoundaryFormat::auto_detect) {
    const bool netcdf = path.size() > 3 && (path.ends_with(".nc") || path.ends_with(".nc4"));
    if (!netcdf) {
      format = BoundaryFormat::csv;
    } else {
      const NetcdfFile f(path);
      format = f.var("x") && f.var("y") && f.var("z") && f.var("PPM25") ? BoundaryFormat::lantian
               : is_ioapi_file(f)                                          ? BoundaryFormat::cmaq
                                                                           : BoundaryFormat::cf;
    }
  }
  if (format == BoundaryFormat::cmaq) {
    // The CF keys that a speciated CMAQ file has no use for.
    const auto refuse = [&](bool given, const char* key, const char* why) {
      if (!given) return;
      std::string msg = key;
      msg += " is for CF files; a CMAQ file (format \"cmaq\") ";
      msg += why;
      throw Error(ErrorContext{path, 0, std::string("model.boundary.") + key}, msg);
    };
    refuse(!options.pm25.empty(), "variables.PM25", "is read by species: name the CONC variables of a species instead");
    refuse(!options.pm10.empty(), "variables.PM10", "is read by species: name the CONC variables of a species instead");
    refuse(!options.units.empty(), "units", "takes each variable's units attribute (ppmV, ug m-3)");
    CmaqBoundaryOptions o;
    o.species = options.species;
    o.surface_depth_m = options.surface_depth_m;
    o.scale_height_m = options.scale_height_m;
    return std::make_unique<CmaqBoundary>(path, grid, std::move(o));
  }
  switch (format) {
    case BoundaryFormat::csv: return read_boundary_csv(path, grid, zone);
    case BoundaryFormat::lantian: return std::make_unique<NetcdfBoundary>(path, grid);
    case BoundaryFormat::cf:
    case BoundaryFormat::cmaq:
    case BoundaryFormat::auto_detect: break;
  }
  return std::make_unique<RegionalBoundary>(path, grid, options);
}

std::array<std::vector<BoundarySample>, kLateralSides> sample_boundary_cells(
    const Grid& grid, const std::vector<double>& xc, const std::vector<double>& yc, const Grid* file_crs,
    const std::string& path, const std::string& context, const std::string& x_label, const std::string& y_label) {
  std::array<std::vector<BoundarySample>, kLateralSides> out;
  for (Side s : kAllLateralSides) {
    const int n = (s == Side::west || s == Side::east) ? grid.ny() : grid.nx();
    for (int a = 0; a < n; ++a) {
      const auto [px, py] = ghost_cell_centre(grid, s, a);
      const LonLat ll = grid.to_lonlat({px, py});
      double fx = ll.lon, fy = ll.lat;
      if (file_crs != nullptr) {
        const XY q = file_crs->project(ll.lon, ll.lat);
        fx = q.x, fy = q.y;
      } else {
        // Longitudes 0..360 or -180..180: the point's longitude moved into the file's range.
        while (fx < xc.front() - 1e-9) fx += 360.0;
        while (fx - 360.0 >= xc.front() - 1e-9) fx -= 360.0;
      }
      BoundarySample smp;
      if (!locate_interval(xc, fx, false, smp.ix, smp.wx) || !locate_interval(yc, fy, false, smp.iy, smp.wy)) {
        std::ostringstream msg;
        msg.precision(10);
        msg << "the file does not cover the " << side_name(s) << " boundary: cell " << a << " at ";
        if (file_crs != nullptr)
          msg << "(x=" << fx << ", y=" << fy << ") m";
        else
          msg << "(" << ll.lon << " E, " << ll.lat << " N)";
        msg << " is outside " << x_label << " " << xc.front() << ".." << xc.back() << ", " << y_label << " "
            << yc.front() << ".." << yc.back();
        throw Error(ErrorContext{path, 0, context}, msg.str());
      }
      out[static_cast<std::size_t>(s)].push_back(smp);
    }
  }
  return out;
}

}  // namespace lantian::solver
