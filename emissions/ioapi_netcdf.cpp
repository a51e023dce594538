// IOAPI (CMAQ) NetCDF emissions: the grid from the global attributes, time steps, layers and
// units (molar ones with molar masses) into GriddedSource. See ioapi_netcdf.hpp.
#include "emissions/ioapi_netcdf.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/grid.hpp"
#include "core/netcdf_file.hpp"
#include "core/text.hpp"

namespace lantian::emissions {

namespace {

/// The earth of CMAQ and WRF: a sphere of radius 6 370 000 m.
constexpr double kCmaqEarthRadius = 6370000.0;

constexpr std::string_view kExpectedUnits =
    "a rate per cell (moles/s, mol/s, g/s, kg/h, t/yr) or per area (mol m-2 s-1, g m-2 s-1, kg m-2 s-1)";

constexpr std::string_view kSupportedGrids =
    "1 (lat-lon), 2 (Lambert conformal), 6 (polar stereographic) or 7 (equatorial Mercator)";

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// A required numeric global attribute.
double global_number(const NetcdfFile& f, const char* name, std::string_view what) {
  const auto v = f.num_att(NetcdfFile::kGlobal, name);
  std::string msg = "missing global attribute ";
  msg += name;
  msg += " (";
  msg += what;
  msg += "): expected an IOAPI file (CMAQ emission input)";
  LANTIAN_CHECK(v.has_value(), (ErrorContext{f.path(), 0, name}), msg);
  msg = "expected a finite number for the global attribute ";
  msg += name;
  LANTIAN_CHECK(std::isfinite(*v), (ErrorContext{f.path(), 0, name}), msg);
  return *v;
}

/// The PROJ definition of the source grid, with the projected origin at (XCENT, YCENT).
std::string ioapi_crs(const NetcdfFile& f, int gdtyp) {
  const double alp = global_number(f, "P_ALP", "projection parameter");
  const double bet = global_number(f, "P_BET", "projection parameter");
  const double gam = global_number(f, "P_GAM", "projection parameter");
  const double xcent = global_number(f, "XCENT", "longitude of the projected origin");
  const double ycent = global_number(f, "YCENT", "latitude of the projected origin");
  std::string proj;
  if (gdtyp == 2) {
    proj = "+proj=lcc +lat_1=" + number(alp);
    proj += " +lat_2=" + number(bet);
    proj += " +lat_0=" + number(ycent);
  } else if (gdtyp == 6) {
    LANTIAN_CHECK(alp == 1.0 || alp == -1.0, (ErrorContext{f.path(), 0, "P_ALP"}),
                  "global attribute P_ALP = " + number(alp) +
                      ": expected 1 (north polar) or -1 (south polar) for GDTYP = 6 (polar stereographic)");
    proj = "+proj=stere +lat_0=" + number(90.0 * alp);
    proj += " +lat_ts=" + number(bet);
  } else {
    proj = "+proj=merc +lat_ts=" + number(alp);
  }
  proj += " +lon_0=" + number(gam);
  const std::string tail = " +R=" + number(kCmaqEarthRadius) + " +units=m +no_defs";
  // Where (XCENT, YCENT) falls without a false origin (a 1-cell Grid serves as the transform).
  GridSpec s;
  s.crs = proj + tail;
  s.nx = s.ny = 1;
  s.dx = s.dy = 1.0;
  s.layer_tops = {1.0};
  XY origin;
  try {
    origin = Grid(s).project(xcent, ycent);
  } catch (const Error& e) {
    throw Error(ErrorContext{f.path(), 0, "GDTYP"}, "cannot build the grid's projection " + s.crs + ": " + e.message());
  }
  if (std::abs(origin.x) > 1e-3 || std::abs(origin.y) > 1e-3) {
    proj += " +x_0=" + number(-origin.x);
    proj += " +y_0=" + number(-origin.y);
  }
  return proj + tail;
}

/// Month 1..12 of an IOAPI date YYYYDDD, or 0 when it is not one.
int month_of(long yyyyddd) {
  const long year = yyyyddd / 1000, day = yyyyddd % 1000;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const std::array<int, 12> days{31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  long d = day;
  if (d < 1) return 0;
  for (int m = 0; m < 12; ++m) {
    if (d <= days[static_cast<std::size_t>(m)]) return m + 1;
    d -= days[static_cast<std::size_t>(m)];
  }
  return 0;
}

/// The (YYYYDDD, HHMMSS) of each step from TFLAG (TSTEP, VAR, DATE-TIME), the first variable's
/// (IOAPI writes the same for every variable); the dimensions checked.
std::vector<std::pair<long, long>> tflag_of(const NetcdfFile& f, int tflag, std::size_t nt) {
  const std::vector<int> d = f.dims(tflag);
  LANTIAN_CHECK(d.size() == 3 && f.dim_len(d[0]) == nt && f.dim_len(d[1]) >= 1 && f.dim_len(d[2]) == 2,
                (ErrorContext{f.path(), 0, "TFLAG"}),
                "expected dimensions (TSTEP=" + std::to_string(nt) + ", VAR, DATE-TIME=2) (YYYYDDD, HHMMSS per step)");
  const std::vector<double> flags = f.read(tflag);
  const std::size_t per_step = f.dim_len(d[1]) * 2;
  std::vector<std::pair<long, long>> out;
  for (std::size_t t = 0; t < nt; ++t)
    out.emplace_back(static_cast<long>(flags[t * per_step]), static_cast<long>(flags[t * per_step + 1]));
  return out;
}

}  // namespace

std::optional<double> default_molar_mass(EmittedPollutant p) noexcept {
  switch (p) {
    case EmittedPollutant::so2: return 64.066;  // SO2: S 32.06 + 2 O 15.999 (IUPAC 2013 standard atomic weights)
    case EmittedPollutant::nox: return 46.0055;  // NOx as NO2: N 14.0067 + 2 O 15.9994
    case EmittedPollutant::nh3: return 17.031;   // NH3: N 14.007 + 3 H 1.008
    default: return std::nullopt;
  }
}

std::optional<IoapiUnit> parse_ioapi_unit(std::string_view text) {
  const std::string_view t = trim(text, " \t\r\n", std::string_view(" \t\r\n\0", 5));
  if (t.empty()) return std::nullopt;
  IoapiUnit u;
  // The molar amount replaced by grams: "moles/s" -> "g/s" (a factor per mole).
  std::string s(t);
  for (const std::string_view mol : {std::string_view("moles"), std::string_view("mole"), std::string_view("mol")}) {
    const std::size_t p = s.find(mol);
    if (p == std::string::npos) continue;
    const bool starts = p == 0 || !std::isalpha(static_cast<unsigned char>(s[p - 1]));
    const std::size_t e = p + mol.size();
    const bool ends = e == s.size() || !std::isalpha(static_cast<unsigned char>(s[e]));
    if (!starts || !ends) continue;
    std::string grams = s.substr(0, p);
    grams += 'g';
    grams.append(s, e, std::string::npos);
    s = std::move(grams);
    u.molar = true;
    break;
  }
  const auto g = parse_gridded_unit(s);
  if (!g) return std::nullopt;
  u.unit = *g;
  return u;
}

std::string_view ioapi_grid_type_name(int gdtyp) noexcept {
  switch (gdtyp) {
    case 1: return "LATGRD3, lat-lon";
    case 2: return "LAMGRD3, Lambert conformal";
    case 3: return "MERGRD3, general Mercator";
    case 4: return "STEGRD3, general stereographic";
    case 5: return "UTMGRD3, UTM";
    case 6: return "POLGRD3, polar stereographic";
    case 7: return "EQMGRD3, equatorial Mercator";
    case 8: return "TRMGRD3, transverse Mercator";
    case 9: return "ALBGRD3, Albers equal-area conic";
    case 10: return "LEQGRD3, Lambert azimuthal equal-area";
    case 11: return "SINUGRD3, sinusoidal";
    default: return "";
  }
}

std::string ioapi_text(const NetcdfFile& f, int v, const char* name) {
  return std::string(trim(f.text_att(v, name), " \t\r\n", std::string_view(" \t\r\n\0", 5)));
}

std::string ioapi_variable_list(const NetcdfFile& f) {
  std::string out;
  const auto add = [&](std::string_view n) {
    if (n.empty()) return;
    if (!out.empty()) out += ", ";
    out += n;
  };
  const std::string list = f.text_att(NetcdfFile::kGlobal, "VAR-LIST");
  if (!list.empty()) {
    for (std::size_t k = 0; k < list.size(); k += 16)
      add(trim(std::string_view(list).substr(k, 16), " \t", std::string_view(" \t\0", 3)));
    return out;
  }
  for (int v = 0; v < f.nvars(); ++v)
    if (f.var_name(v) != "TFLAG") add(f.var_name(v));
  return out;
}

std::vector<std::string> ioapi_summands(const std::string& spec) {
  std::vector<std::string> out;
  std::size_t k = 0;
  while (true) {
    const std::size_t e = spec.find('+', k);
    out.emplace_back(trim(std::string_view(spec).substr(k, e == std::string::npos ? std::string::npos : e - k)));
    if (e == std::string::npos) break;
    k = e + 1;
  }
  return out;
}

std::optional<UtcHour> ioapi_utc_hour(long yyyyddd, long hhmmss) noexcept {
  const long year = yyyyddd / 1000, day = yyyyddd % 1000;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (yyyyddd < 0 || day < 1 || day > (leap ? 366 : 365) || hhmmss < 0 || hhmmss % 10000 != 0 || hhmmss >= 240000)
    return std::nullopt;
  // Days from 1970-01-01 to January 1 of `year` (proleptic Gregorian; Hinnant's days_from_civil
  // with month = January, day = 1).
  const long y = year - 1;  // January counts in the previous March-based year
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = 306;  // March 1 .. January 1
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long jan1 = era * 146097 + doe - 719468;
  return static_cast<UtcHour>((jan1 + day - 1) * 24 + hhmmss / 10000);
}

IoapiGrid read_ioapi_grid(const NetcdfFile& f) {
  const std::string& path = f.path();
  IoapiGrid g;
  const double gdtyp_value = global_number(f, "GDTYP", "the grid type");
  const int gdtyp = static_cast<int>(gdtyp_value);
  if (!(gdtyp_value == gdtyp && (gdtyp == 1 || gdtyp == 2 || gdtyp == 6 || gdtyp == 7))) {
    std::string msg = "global attribute GDTYP = " + number(gdtyp_value);
    const std::string_view named = gdtyp_value == gdtyp ? ioapi_grid_type_name(gdtyp) : std::string_view();
    msg += named.empty() ? std::string(" (not an IOAPI grid type)") : " (" + std::string(named) + ")";
    msg += ": expected ";
    msg += kSupportedGrids;
    throw Error(ErrorContext{path, 0, "GDTYP"}, msg);
  }
  g.gdtyp = gdtyp;
  g.geographic = gdtyp == 1;
  if (!g.geographic) g.crs = ioapi_crs(f, gdtyp);
  g.xorig = global_number(f, "XORIG", "x of the grid's lower-left corner");
  g.yorig = global_number(f, "YORIG", "y of the grid's lower-left corner");
  g.xcell = global_number(f, "XCELL", "cell size along x");
  g.ycell = global_number(f, "YCELL", "cell size along y");
  for (const auto& [name, v] : {std::pair{"XCELL", g.xcell}, std::pair{"YCELL", g.ycell}})
    LANTIAN_CHECK(v > 0.0, (ErrorContext{path, 0, name}),
                  std::string("global attribute ") + name + " = " + number(v) + ": expected a positive cell size");
  const auto count = [&](const char* name, std::string_view what) {
    const double v = global_number(f, name, what);
    LANTIAN_CHECK(v >= 1.0 && v == std::floor(v) && v < 1.0e7, (ErrorContext{path, 0, name}),
                  std::string("global attribute ") + name + " = " + number(v) + ": expected a positive whole number");
    return static_cast<std::size_t>(v);
  };
  g.ncols = count("NCOLS", "number of columns");
  g.nrows = count("NROWS", "number of rows");
  g.nlays = count("NLAYS", "number of layers");
  if (g.geographic)
    LANTIAN_CHECK(g.yorig >= -90.0 - 1e-9 && g.yorig + static_cast<double>(g.nrows) * g.ycell <= 90.0 + 1e-9,
                  (ErrorContext{path, 0, "YORIG"}),
                  "lat-lon cells from YORIG = " + number(g.yorig) + " by YCELL = " + number(g.ycell) +
                      " extend beyond the poles");
  return g;
}

IoapiSteps read_ioapi_steps(const NetcdfFile& f, std::size_t nt) {
  const std::string& path = f.path();
  IoapiSteps out;
  const double tstep = f.num_att(NetcdfFile::kGlobal, "TSTEP").value_or(-1.0);
  const long ts = static_cast<long>(tstep);
  char hhmmss[32];
  std::snprintf(hhmmss, sizeof hhmmss, "%06ld", ts);
  if (!(tstep == static_cast<double>(ts) && ts > 0 && ts % 10000 == 0)) {
    std::string msg = "global attribute TSTEP = ";
    msg += tstep < 0.0 ? std::string("(missing)") : std::string(hhmmss);
    msg += ": expected a step of whole hours in HHMMSS (010000 for hourly files)";
    throw Error(ErrorContext{path, 0, "TSTEP"}, msg);
  }
  out.hours = static_cast<int>(ts / 10000);
  const auto tflag = f.var("TFLAG");
  LANTIAN_CHECK(tflag.has_value(), (ErrorContext{path, 0, "TFLAG"}),
                "missing the variable TFLAG (TSTEP, VAR, DATE-TIME): a time-stepped IOAPI file says each step's date "
                "and time there");
  const std::vector<std::pair<long, long>> flags = tflag_of(f, *tflag, nt);
  for (std::size_t t = 0; t < nt; ++t) {
    const auto [date, time] = flags[t];
    const auto h = ioapi_utc_hour(date, time);
    std::string where = "TFLAG[" + std::to_string(t);
    where += "]";
    if (!h) {
      std::string msg = "expected a date YYYYDDD and a time HHMMSS on the hour, found ";
      msg += std::to_string(date);
      msg += ", ";
      msg += std::to_string(time);
      throw Error(ErrorContext{path, 0, where}, msg);
    }
    if (t > 0 && *h != out.start.back() + out.hours) {
      std::string msg = "expected the step to start one TSTEP (" + std::string(hhmmss);
      msg += ") after the previous one, at ";
      msg += format_utc(out.start.back() + out.hours);
      msg += ", found ";
      msg += format_utc(*h);
      throw Error(ErrorContext{path, 0, where}, msg);
    }
    out.start.push_back(*h);
  }
  return out;
}

GriddedSource read_ioapi_netcdf(const std::string& path, const IoapiOptions& options) {
  const NetcdfFile f(path);
  GriddedSource out;
  out.file = path;
  const int global = NetcdfFile::kGlobal;

  // The grid.
  const IoapiGrid grid = read_ioapi_grid(f);
  out.geographic = grid.geographic;
  out.crs = grid.crs;
  const std::size_t ncols = grid.ncols, nrows = grid.nrows, nlays = grid.nlays;
  const double xcell = grid.xcell, ycell = grid.ycell;
  out.nx = static_cast<int>(ncols);
  out.ny = static_cast<int>(nrows);
  out.x_faces.resize(ncols + 1);
  out.y_faces.resize(nrows + 1);
  for (std::size_t i = 0; i <= ncols; ++i) out.x_faces[i] = grid.xorig + static_cast<double>(i) * xcell;
  for (std::size_t j = 0; j <= nrows; ++j) out.y_faces[j] = grid.yorig + static_cast<double>(j) * ycell;

  // The pollutants' variables, all on (TSTEP, LAY, ROW, COL) with the attributes' sizes.
  std::array<std::vector<int>, kEmittedPollutantCount> vars;
  std::size_t nt = 0;
  std::string first;
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    const std::string& spec = options.variables[p];
    if (trim(spec).empty()) continue;
    const std::string pollutant(pollutant_name(kAllEmittedPollutants[p]));
    for (const std::string& name : ioapi_summands(spec)) {
      LANTIAN_CHECK(!name.empty(), (ErrorContext{path, 0, spec}),
                    "expected variable names joined by '+' for " + pollutant + ", found \"" + spec + "\"");
      const auto v = f.var(name);
      if (!v) {
        std::string msg = "missing variable for " + pollutant;
        msg += " (the file has: ";
        msg += ioapi_variable_list(f);
        msg += "; name the variable, a sum \"A + B\", or \"\" when the file has no ";
        msg += pollutant;
        msg += ")";
        throw Error(ErrorContext{path, 0, name}, msg);
      }
      const std::vector<int> d = f.dims(*v);
      std::string found;
      for (int dd : d) {
        if (!found.empty()) found += ", ";
        found += f.dim_name(dd);
        found += '=';
        found += std::to_string(f.dim_len(dd));
      }
      const bool shape = d.size() == 4 && f.dim_len(d[1]) == nlays && f.dim_len(d[2]) == nrows &&
                         f.dim_len(d[3]) == ncols && f.dim_len(d[0]) >= 1;
      std::string expected = "expected dimensions (TSTEP, LAY=" + std::to_string(nlays);
      expected += ", ROW=" + std::to_string(nrows);
      expected += ", COL=" + std::to_string(ncols);
      expected += ") as NLAYS, NROWS, NCOLS say, found (";
      expected += found;
      expected += ")";
      LANTIAN_CHECK(shape, (ErrorContext{path, 0, name}), expected);
      const std::size_t steps = f.dim_len(d[0]);
      if (first.empty()) {
        first = name;
        nt = steps;
      }
      LANTIAN_CHECK(steps == nt, (ErrorContext{path, 0, name}),
                    "expected " + std::to_string(nt) + " time steps as " + first + ", found " + std::to_string(steps));
      vars[p].push_back(*v);
    }
    out.present[p] = true;
  }
  LANTIAN_CHECK(!first.empty(), (ErrorContext{path, 0, ""}), "no pollutant variable named in the options");

  // Time steps: one mean, twelve monthly means by TFLAG, or steps of 1 to 24 whole hours.
  const double tstep = f.num_att(global, "TSTEP").value_or(0.0);
  const auto tflag = f.var("TFLAG");
  std::vector<int> step_month;
  if (tflag) {
    for (const auto& [date, time] : tflag_of(f, *tflag, nt)) step_month.push_back(month_of(date));
  }
  std::vector<std::size_t> kept;  // the file's steps read, in order
  if (nt != 1) {
    bool monthly = nt == 12 && step_month.size() == 12;
    for (std::size_t t = 0; monthly && t < 12; ++t) monthly = step_month[t] == static_cast<int>(t) + 1;
    const bool stepped = !monthly && tstep >= 10000.0 && tstep <= 240000.0 && std::fmod(tstep, 10000.0) == 0.0;
    if (!monthly && !stepped) {
      std::string msg = "expected 1 time step (a mean) or 12 monthly steps (TFLAG dates in January .. December), or "
                        "steps of 1 to 24 whole hours (TSTEP 010000 .. 240000), found ";
      msg += std::to_string(nt);
      msg += " steps of TSTEP = ";
      char hhmmss[32];
      std::snprintf(hhmmss, sizeof hhmmss, "%06ld", static_cast<long>(tstep));
      msg += hhmmss;
      msg += " (HHMMSS)";
      if (nt == 12 && step_month.empty()) msg += "; 12 steps need TFLAG to say their months";
      throw Error(ErrorContext{path, 0, "TSTEP"}, msg);
    }
    if (stepped) {
      const IoapiSteps steps = read_ioapi_steps(f, nt);
      out.step_hours = steps.hours;
      const UtcHour span_first = steps.start.front(), span_end = steps.start.back() + steps.hours;
      if (options.window) {
        const auto [from, to] = *options.window;
        for (UtcHour h : {from, to})
          if (h < span_first || h >= span_end) {
            std::string msg = "the model hour ";
            msg += format_utc(h);
            msg += " is outside the file's time steps: they cover ";
            msg += format_utc(span_first);
            msg += " .. ";
            msg += format_utc(span_end);
            msg += " (";
            msg += std::to_string(nt);
            msg += " steps of ";
            msg += std::to_string(steps.hours);
            msg += " h from TFLAG, UTC); the run needs ";
            msg += format_utc(from);
            msg += " .. ";
            msg += format_utc(to + 1);
            throw Error(ErrorContext{path, 0, "TFLAG"}, msg);
          }
      }
      for (std::size_t t = 0; t < nt; ++t) {
        const UtcHour s0 = steps.start[t];
        if (options.window && (s0 + steps.hours <= options.window->first || s0 > options.window->second)) continue;
        kept.push_back(t);
        out.step_start.push_back(s0);
      }
    }
  }
  if (kept.empty())
    for (std::size_t t = 0; t < nt; ++t) kept.push_back(t);
  out.rate.resize(kept.size());

  // Source cell areas, m^2 (for per-area units): map area, or the area on CMAQ's sphere.
  std::vector<double> area(ncols * nrows);
  for (std::size_t j = 0; j < nrows; ++j)
    for (std::size_t i = 0; i < ncols; ++i) {
      if (out.geographic) {
        constexpr double deg = std::numbers::pi / 180.0;
        area[i + ncols * j] = kCmaqEarthRadius * kCmaqEarthRadius * xcell * deg *
                              (std::sin(out.y_faces[j + 1] * deg) - std::sin(out.y_faces[j] * deg));
      } else {
        area[i + ncols * j] = xcell * ycell;
      }
    }

  // The case's units, when given.
  std::optional<IoapiUnit> case_unit;
  if (!options.units.empty()) {
    case_unit = parse_ioapi_unit(options.units);
    LANTIAN_CHECK(case_unit.has_value(), (ErrorContext{path, 0, "units"}),
                  "unknown units \"" + options.units + "\" given for the file: expected " + std::string(kExpectedUnits));
  }

  // Values, converted once to g/s per source cell, layers summed into one column.
  const std::size_t cells = ncols * nrows;
  std::string layered;
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
    if (vars[p].empty()) continue;
    const std::string pollutant(pollutant_name(kAllEmittedPollutants[p]));
    for (auto& slice : out.rate) slice[p].assign(cells, 0.0);
    double all = 0.0, above = 0.0;
    for (const int v : vars[p]) {
      const std::string name = f.var_name(v);
      const std::string units = ioapi_text(f, v, "units");
      std::optional<IoapiUnit> unit;
      std::string used = units;
      if (units.empty() || iequals(units, "UNKNOWN")) {
        if (!case_unit) {
          std::string msg = "units attribute \"" + units;
          msg += "\": expected ";
          msg += kExpectedUnits;
          msg += "; give the units in the case ([[emissions.gridded]] units = \"g/s\" or \"moles/s\")";
          throw Error(ErrorContext{path, 0, name + ":units"}, msg);
        }
        unit = case_unit;
        used = options.units;
      } else {
        unit = parse_ioapi_unit(units);
        LANTIAN_CHECK(unit.has_value(), (ErrorContext{path, 0, name + ":units"}),
                      "unknown units \"" + units + "\": expected " + std::string(kExpectedUnits));
      }
      double factor = unit->unit.to_grams_per_second;
      if (unit->molar) {
        const std::optional<double> m = options.molar_mass[p] ? options.molar_mass[p]
                                                              : default_molar_mass(kAllEmittedPollutants[p]);
        if (!m) {
          const bool voc = kAllEmittedPollutants[p] == EmittedPollutant::vocs;
          std::string msg = "molar units \"" + used;
          msg += "\" for ";
          msg += pollutant;
          msg += voc ? ": a VOC lump has no single molar mass; expected mass units (g/s, t/yr) or a molar mass in "
                       "the case (molar_mass = {voc = ...} g/mol)"
                     : ": particulate matter has no molar mass; expected mass units (g/s, t/yr)";
          throw Error(ErrorContext{path, 0, name + ":units"}, msg);
        }
        factor *= *m;
      }
      for (std::size_t n = 0; n < kept.size(); ++n) {
        const std::size_t t = kept[n];
        // One step at a time (NLAYS x NROWS x NCOLS values): the memory bound of the header.
        const std::vector<double> raw = f.read(v, {t, 0, 0, 0}, {1, nlays, nrows, ncols});
        std::vector<double>& dst = out.rate[n][p];
        for (std::size_t k = 0; k < nlays; ++k)
          for (std::size_t c = 0; c < cells; ++c) {
            const double r = raw[k * cells + c];
            if (!(std::isfinite(r) && r >= 0.0)) {
              std::string at = name + "[" + std::to_string(t);
              at += ", " + std::to_string(k);
              at += ", " + std::to_string(c / ncols);
              at += ", " + std::to_string(c % ncols);
              at += "]";
              throw Error(ErrorContext{path, 0, at}, !std::isfinite(r)
                                                         ? "expected a finite value, found " + number(r)
                                                         : "expected a non-negative rate, found " + number(r) + " " + used);
            }
            const double g = r * factor * (unit->unit.per_area ? area[c] : 1.0);
            dst[c] += g;
            all += g;
            if (k > 0) above += g;
          }
      }
    }
    if (nlays > 1 && all > 0.0) {
      char share[32];
      std::snprintf(share, sizeof share, "%.1f%%", 100.0 * above / all);
      if (!layered.empty()) layered += ", ";
      layered += pollutant;
      layered += ' ';
      layered += share;
    }
  }
  if (nlays > 1) {
    std::string w = path + ": " + std::to_string(nlays);
    w += " layers summed into one column, spread again by the entry's layers (or its sector's default); the file had above layer 1: ";
    w += layered.empty() ? std::string("nothing") : layered;
    out.warnings.push_back(std::move(w));
  }

  // The sector.
  std::optional<Sector> sector = options.sector;
  if (!sector) {
    const std::string s = ioapi_text(f, global, "sector");
    LANTIAN_CHECK(!s.empty(), (ErrorContext{path, 0, "sector"}),
                  "no sector: IOAPI files do not say it; expected sector = \"...\" in the case's [[emissions.gridded]] "
                  "(or a global attribute sector)");
    sector = parse_sector(s);
    if (!sector) {
      const auto names = sector_names();
      const std::string near = nearest_name(s, std::span<const std::string_view>(names));
      std::string msg = "unknown sector \"" + s;
      msg += "\"";
      if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
      throw Error(ErrorContext{path, 0, "sector"}, msg);
    }
  }
  out.sector = *sector;
  return out;
}

}  // namespace lantian::emissions
