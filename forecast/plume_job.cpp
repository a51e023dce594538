#include "forecast/plume_job.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <set>
#include <span>
#include <sstream>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "emissions/wkt.hpp"
#include "solver/receptor_means.hpp"

namespace lantian {

using namespace lantian::solver;

namespace {

/// Throws at column `col` of the current row unless v is plausible for q (core/plausible.hpp).
void plausible(const CsvFile& f, Quantity q, double v, int col) {
  if (!is_plausible(q, v)) f.fail(col, implausible_message(q, v, f.field(col)));
}

void write_hourly(std::ostream& out, const PlumeJob& job, const Contributions& c) {
  out << kPlumeHourlyHeader;
  char buf[32];
  for (std::size_t h = 0; h < c.n_hours; ++h) {
    const std::string time = csv_text(job.met.times[h]);
    for (std::size_t r = 0; r < c.n_receptors; ++r) {
      std::snprintf(buf, sizeof buf, "%.6g", c.total(h, r));
      out << time << ',' << csv_text(job.receptors[r].id) << ',' << buf << '\n';
    }
  }
}

void write_daily(std::ostream& out, const DailyMeans& d, const std::vector<Receptor>& rec) {
  out << kPlumeDailyHeader;
  char buf[32];
  for (std::size_t day = 0; day < d.n_days(); ++day)
    for (std::size_t r = 0; r < d.n_receptors; ++r) {
      std::snprintf(buf, sizeof buf, "%.6g", d.value(day, r));
      out << d.dates[day] << ',' << csv_text(rec[r].id) << ',' << buf << ',' << d.hours[day] << ','
          << (d.valid(day) ? "true" : "false") << '\n';
    }
}

}  // namespace

std::vector<PlumeAreaSource> read_plume_areas(const std::string& path) {
  CsvFile f(path);
  constexpr auto& cols = kPlumeAreaColumns;
  f.check_columns(cols, cols);
  const int ci = f.column("id"), ch = f.column("height"), cr = f.column("rate"), cp = f.column("polygon");
  std::vector<PlumeAreaSource> out;
  std::set<std::string, std::less<>> ids;
  while (f.next()) {
    PlumeAreaSource a;
    a.id = std::string(f.field(ci));
    if (a.id.empty()) f.fail(ci, "expected an area id, found a blank");
    if (!ids.insert(a.id).second) f.fail(ci, "duplicate area id '" + a.id + "'");
    a.release_height = f.number(ch, "release height in m");
    if (a.release_height < 0.0) f.fail(ch, "expected a height >= 0 m");
    a.rate_g_s = f.number(cr, "emission rate in g/s");
    if (a.rate_g_s < 0.0) f.fail(cr, "expected an emission rate >= 0 g/s");
    plausible(f, Quantity::stack_height, a.release_height, ch);
    plausible(f, Quantity::emission_rate, a.rate_g_s, cr);
    std::vector<emissions::Polygon> polygons;
    try {
      polygons = emissions::parse_wkt_polygons(f.field(cp));
    } catch (const Error& e) {
      f.fail(cp, e.what());
    }
    if (polygons.size() != 1) f.fail(cp, "expected one POLYGON per area (split a MULTIPOLYGON into rows)");
    a.polygon = std::move(polygons[0]);
    if (emissions::area(a.polygon) <= 0.0) f.fail(cp, "expected a polygon with a positive area");
    out.push_back(std::move(a));
  }
  LANTIAN_CHECK(!out.empty(), (ErrorContext{path, 0, ""}), "expected at least one area source");
  return out;
}

void read_plume_building_dims(const std::string& path, std::vector<PlumeSource>& sources) {
  CsvFile f(path);
  constexpr auto& cols = kPlumeBuildingDimsColumns;
  f.check_columns(cols, cols);
  std::array<int, 7> c{};
  for (std::size_t i = 0; i < cols.size(); ++i) c[i] = f.column(cols[i]);
  std::vector<BuildingDims> dims(sources.size());
  std::vector<std::array<long, kBuildingSectors>> seen(sources.size());
  while (f.next()) {
    const std::string_view id = f.field(c[0]);
    const auto it = std::find_if(sources.begin(), sources.end(), [&](const PlumeSource& s) { return s.id == id; });
    if (it == sources.end()) f.fail(c[0], "expected the id of a stack of --sources, found '" + std::string(id) + "'");
    const auto si = static_cast<std::size_t>(it - sources.begin());
    const double dir = f.number(c[1], "flow direction in degrees (10, 20, ..., 360: where the wind blows towards)");
    const double k = std::round(dir / 10.0);
    if (std::abs(dir - 10.0 * k) > 1e-6 || k < 1 || k > kBuildingSectors)
      f.fail(c[1], "expected a flow direction 10, 20, ..., 360 degrees (BPIP's 36 sectors), found " + std::string(f.field(c[1])));
    const auto ki = static_cast<std::size_t>(k) - 1;
    if (seen[si][ki] != 0)
      f.fail(c[1], "duplicate direction " + std::string(f.field(c[1])) + " for source '" + std::string(id) + "' (first at line " +
                       std::to_string(seen[si][ki]) + ")");
    seen[si][ki] = f.line();
    BuildingSector& b = dims[si][ki];
    b.height = f.number(c[2], "building height in m");
    b.width = f.number(c[3], "projected building width in m");
    b.length = f.number(c[4], "projected building length in m");
    b.xbadj = f.number(c[5], "xbadj in m (along the flow from the stack to the upwind face)");
    b.ybadj = f.number(c[6], "ybadj in m (across the flow to the upwind face's centre)");
    if (b.height < 0.0) f.fail(c[2], "expected a building height >= 0 m (0: no building)");
    if (b.width < 0.0) f.fail(c[3], "expected a width >= 0 m (0: no building)");
    if (b.length < 0.0) f.fail(c[4], "expected a length >= 0 m");
    if (b.present() && b.length <= 0.0) f.fail(c[4], "expected a length > 0 m where height and width are given");
    plausible(f, Quantity::stack_height, b.height, c[2]);
  }
  bool any = false;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const auto n = std::count_if(seen[s].begin(), seen[s].end(), [](long l) { return l != 0; });
    if (n == 0) continue;
    any = true;
    const auto missing = std::find(seen[s].begin(), seen[s].end(), 0L);
    LANTIAN_CHECK(missing == seen[s].end(), (ErrorContext{path, 0, "direction"}),
                  "expected all 36 directions for source '" + sources[s].id + "', missing " +
                      std::to_string(10 * (missing - seen[s].begin() + 1)));
    sources[s].building = std::make_shared<const BuildingDims>(dims[s]);
  }
  LANTIAN_CHECK(any, (ErrorContext{path, 0, ""}), "expected at least one row of building dims");
}

std::vector<Building> read_plume_buildings(const std::string& path) {
  CsvFile f(path);
  constexpr auto& cols = kPlumeBuildingColumns;
  f.check_columns(cols, cols);
  const int ci = f.column("id"), ch = f.column("height"), cp = f.column("footprint");
  std::vector<Building> out;
  std::set<std::string, std::less<>> ids;
  while (f.next()) {
    Building b;
    b.id = std::string(f.field(ci));
    if (b.id.empty()) f.fail(ci, "expected a building id, found a blank");
    if (!ids.insert(b.id).second) f.fail(ci, "duplicate building id '" + b.id + "'");
    b.height = f.number(ch, "building height in m");
    if (b.height <= 0.0) f.fail(ch, "expected a building height > 0 m");
    plausible(f, Quantity::stack_height, b.height, ch);
    std::vector<emissions::Polygon> polygons;
    try {
      polygons = emissions::parse_wkt_polygons(f.field(cp));
    } catch (const Error& e) {
      f.fail(cp, e.what());
    }
    if (polygons.size() != 1) f.fail(cp, "expected one POLYGON per building (one row per tier)");
    b.footprint = std::move(polygons[0]);
    if (emissions::area(b.footprint) <= 0.0) f.fail(cp, "expected a footprint with a positive area");
    out.push_back(std::move(b));
  }
  LANTIAN_CHECK(!out.empty(), (ErrorContext{path, 0, ""}), "expected at least one building");
  return out;
}

std::vector<Receptor> parse_plume_grid(const std::string& text) {
  const ErrorContext ctx{"", 0, "--grid"};
  std::vector<double> v;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string part = text.substr(at, comma - at);
    std::size_t used = 0;
    double x = 0.0;
    try {
      x = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    LANTIAN_CHECK(used == part.size() && !part.empty() && std::isfinite(x), ctx,
                  "expected X0,Y0,DX,NX,NY (numbers), found '" + text + "'");
    v.push_back(x);
    at = comma + 1;
  }
  LANTIAN_CHECK(v.size() == 5 && v[3] >= 1 && v[4] >= 1 && v[3] == std::floor(v[3]) && v[4] == std::floor(v[4]) &&
                    v[2] > 0.0 && v[3] * v[4] <= 1e7,
                ctx, "expected X0,Y0,DX,NX,NY with DX > 0 m and whole NX, NY >= 1 (at most 1e7 cells), found '" + text + "'");
  return grid_receptors(v[0], v[1], v[2], v[2], static_cast<int>(v[3]), static_cast<int>(v[4]));
}

std::vector<PlumeSource> read_plume_sources(const std::string& path) {
  CsvFile f(path);
  constexpr auto& cols = kPlumeSourceColumns;
  f.check_columns(cols, cols);
  std::array<int, 8> c{};
  for (std::size_t i = 0; i < cols.size(); ++i) c[i] = f.column(cols[i]);
  std::vector<PlumeSource> out;
  std::set<std::string, std::less<>> ids;
  while (f.next()) {
    PlumeSource s;
    s.id = std::string(f.field(c[0]));
    if (s.id.empty()) f.fail(c[0], "expected a source id, found a blank");
    if (!ids.insert(s.id).second) f.fail(c[0], "duplicate source id '" + s.id + "'");
    s.x = f.number(c[1], "x in m");
    s.y = f.number(c[2], "y in m");
    s.height = f.number(c[3], "stack height in m");
    s.diameter = f.number(c[4], "diameter in m", 0.0);
    s.velocity = f.number(c[5], "exit velocity in m/s", 0.0);
    s.temperature = f.number(c[6], "exit temperature in K", 0.0);
    s.rate_g_s = f.number(c[7], "emission rate in g/s");
    if (s.height < 0.0) f.fail(c[3], "expected a height >= 0 m");
    if (s.diameter < 0.0) f.fail(c[4], "expected a diameter >= 0 m");
    if (s.velocity < 0.0) f.fail(c[5], "expected an exit velocity >= 0 m/s");
    if (s.temperature != 0.0 && (s.temperature < 150.0 || s.temperature > 2000.0))
      f.fail(c[6], "expected an exit temperature in K (150..2000) or blank, found " + std::string(f.field(c[6])));
    if (s.rate_g_s < 0.0) f.fail(c[7], "expected an emission rate >= 0 g/s");
    plausible(f, Quantity::stack_height, s.height, c[3]);
    plausible(f, Quantity::stack_diameter, s.diameter, c[4]);
    plausible(f, Quantity::exit_velocity, s.velocity, c[5]);
    if (s.temperature != 0.0) plausible(f, Quantity::exit_temperature, s.temperature, c[6]);
    plausible(f, Quantity::emission_rate, s.rate_g_s, c[7]);
    out.push_back(std::move(s));
  }
  LANTIAN_CHECK(!out.empty(), (ErrorContext{path, 0, ""}), "expected at least one source");
  return out;
}

std::vector<Receptor> read_plume_receptors(const std::string& path) {
  CsvFile f(path);
  constexpr auto& cols = kPlumeReceptorColumns;
  f.check_columns(std::span(cols).first(3), cols);
  const int ci = f.column("id"), cx = f.column("x"), cy = f.column("y"), cz = f.column("z");
  std::vector<Receptor> out;
  while (f.next()) {
    Receptor r;
    r.id = std::string(f.field(ci));
    if (r.id.empty()) f.fail(ci, "expected a receptor id, found a blank");
    r.x = f.number(cx, "x in m");
    r.y = f.number(cy, "y in m");
    r.z = cz >= 0 ? f.number(cz, "height above ground in m", 0.0) : 0.0;
    if (r.z < 0.0) f.fail(cz, "expected a height >= 0 m");
    out.push_back(std::move(r));
  }
  LANTIAN_CHECK(!out.empty(), (ErrorContext{path, 0, ""}), "expected at least one receptor");
  return out;
}

PlumeMetTable read_plume_met(const std::string& path, const PlumeOptions& opt) {
  CsvFile f(path);
  constexpr auto& allowed = kPlumeMetColumns;
  f.check_columns(std::span(allowed).first(5), allowed);
  const int ct = f.column("time"), cu = f.column("wind_speed"), cd = f.column("wind_dir"),
            ch = f.column("ref_height"), cT = f.column("temperature"), cs = f.column("stability"),
            cm = f.column("mixing_height"), cus = f.column("ustar"), cl = f.column("L"), cz0 = f.column("z0"), cvp = f.column("vptg"),
            cw = f.column("wstar");
  const bool turb = opt.dispersion == Dispersion::Turbulence;
  const std::string option = "the " + std::string(dispersion_name(opt.dispersion)) + " option";
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  PlumeMetTable t;
  auto needed = [&](int col, std::string_view name, std::string_view what) {
    if (col < 0)
      throw Error(ErrorContext{path, f.line(), std::string("column '") + std::string(name) + "'"},
                  option + " needs " + std::string(what) + ", but the file has no such column");
    if (f.field(col).empty()) f.fail(col, option + " needs " + std::string(what) + ", found a blank");
    return f.number(col, what);
  };
  // L: a number (m), or "inf" / "-inf" / "neutral" for a neutral hour (|L| infinite); 0 is no
  // length at all and is refused.
  auto obukhov = [&](std::string_view what) {
    const std::string_view v = f.field(cl);
    if (iequals(v, "inf") || iequals(v, "+inf") || iequals(v, "-inf") || iequals(v, "infinity") ||
        iequals(v, "neutral"))
      return std::numeric_limits<double>::infinity();
    if (v.empty() && turb)
      f.fail(cl, option + " needs the Monin-Obukhov length L in m, found a blank (write inf or neutral for a neutral hour)");
    const double L = f.number(cl, what, kNaN);
    if (L == 0.0) f.fail(cl, "expected a non-zero Monin-Obukhov length in m (inf or neutral for a neutral hour), found 0");
    return L;
  };
  while (f.next()) {
    PlumeMet m;
    const std::string time(f.field(ct));
    if (time.empty()) f.fail(ct, "expected a time, found a blank");
    m.wind_speed = f.number(cu, "wind speed in m/s");
    if (m.wind_speed < 0.0) f.fail(cu, "expected a wind speed >= 0 m/s");
    plausible(f, Quantity::wind_speed, m.wind_speed, cu);
    m.wind_dir_deg = f.number(cd, "wind direction in degrees (from)");
    m.ref_height = f.number(ch, "wind reference height in m");
    if (m.ref_height <= 0.0) f.fail(ch, "expected a reference height > 0 m");
    m.temperature_K = f.number(cT, "air temperature in K");
    if (m.temperature_K < 150.0 || m.temperature_K > 350.0)
      f.fail(cT, "expected an air temperature in K (150..350), found " + std::string(f.field(cT)));
    plausible(f, Quantity::air_temperature, m.temperature_K, cT);
    if (cvp >= 0) {
      m.theta_gradient_above_lid = f.number(cvp, "potential temperature gradient above the mixing height in K/m", 0.005);
      if (!(m.theta_gradient_above_lid > 0.0)) f.fail(cvp, "expected vptg > 0 K/m (the stable layer above the mixing height)");
    }
    if (cw >= 0) {
      m.wstar = f.number(cw, "convective velocity scale w* in m/s", kNaN);
      if (m.wstar < 0.0) m.wstar = kNaN;  // AERMET writes -9 in stable hours
    }
    if (cz0 >= 0) {
      m.z0 = f.number(cz0, "roughness length in m", 0.1);
      if (m.z0 <= 0.0) f.fail(cz0, "expected z0 > 0 m");
    }
    const std::string_view st = f.field(cs);
    if (!turb) {
      if (cs < 0 || st.empty()) needed(cs, "stability", "the stability class (A-F)");
    }
    if (!st.empty()) {
      const char c = st.size() == 1 ? st[0] : '?';
      if (!((c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')))
        f.fail(cs, "expected a stability class A-F, found '" + std::string(st) + "'");
      m.stability = c;
    }
    if (turb) {
      m.mixing_height = needed(cm, "mixing_height", "the mixing height in m");
      m.ustar = needed(cus, "ustar", "the friction velocity u* in m/s");
      if (cl < 0)
        throw Error(ErrorContext{path, f.line(), "column 'L'"},
                    option + " needs the Monin-Obukhov length L in m, but the file has no such column");
      m.L = obukhov("the Monin-Obukhov length L in m (or inf/neutral)");
      if (m.ustar <= 0.0) f.fail(cus, "expected u* > 0 m/s");
    } else {
      const double h = cm >= 0 ? f.number(cm, "mixing height in m", kNaN) : kNaN;
      m.mixing_height = std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
      if (cus >= 0) m.ustar = f.number(cus, "friction velocity u* in m/s", kNaN);
      if (cl >= 0) m.L = obukhov("Monin-Obukhov length L in m (or inf/neutral)");
    }
    if (std::isfinite(m.mixing_height) && m.mixing_height <= 0.0) f.fail(cm, "expected a mixing height > 0 m");
    if (std::isfinite(m.mixing_height)) plausible(f, Quantity::mixing_height, m.mixing_height, cm);
    if (std::isfinite(m.ustar) && cus >= 0) plausible(f, Quantity::friction_velocity, m.ustar, cus);
    check_met(m, opt, f.source() + ":" + std::to_string(f.line()));
    t.times.push_back(time);
    t.hours.push_back(m);
  }
  LANTIAN_CHECK(!t.hours.empty(), (ErrorContext{path, 0, ""}), "expected at least one hour");
  return t;
}

PlumeOptions plume_options(const PlumeRequest& a) {
  PlumeOptions opt;
  opt.dispersion = parse_dispersion(a.dispersion);
  opt.min_wind = a.min_wind;
  opt.decay_rate = a.decay;
  opt.validate();
  return opt;
}

namespace {

/// The options valid and at least one source and one receptor input given.
void check_request(const PlumeRequest& a) {
  plume_options(a);
  LANTIAN_CHECK(!a.sources.empty() || !a.areas.empty(), (ErrorContext{"", 0, "--sources"}),
                "expected --sources and/or --areas");
  LANTIAN_CHECK(!a.receptors.empty() || !a.grid.empty(), (ErrorContext{"", 0, "--receptors"}),
                "expected --receptors and/or --grid");
  LANTIAN_CHECK(a.building_dims.empty() || a.buildings.empty(), (ErrorContext{"", 0, "--buildings"}),
                "expected --buildings or --building-dims, not both");
  LANTIAN_CHECK((a.building_dims.empty() && a.buildings.empty()) || !a.sources.empty(), (ErrorContext{"", 0, "--buildings"}),
                "building downwash needs stacks (--sources)");
}

}  // namespace

PlumeOutputs plume_outputs(const PlumeRequest& a) {
  InputPaths inputs;
  for (const std::string* f : {&a.sources, &a.areas, &a.met, &a.receptors, &a.building_dims, &a.buildings})
    inputs.add(*f, "an input CSV");
  PlumeOutputs o{OutputRequest{a.out, a.force, inputs, "plume"}, OutputRequest{a.daily, a.force, inputs, "plume"}};
  o.daily.inputs.add(a.out, "the --out file");
  return o;
}

PlumeJob read_plume_job(const PlumeRequest& a) {
  check_request(a);
  PlumeJob job;
  job.options = plume_options(a);
  if (!a.sources.empty()) job.sources = read_plume_sources(a.sources);
  if (!a.building_dims.empty()) read_plume_building_dims(a.building_dims, job.sources);
  if (!a.buildings.empty()) {
    const std::vector<Building> buildings = read_plume_buildings(a.buildings);
    for (PlumeSource& s : job.sources) {
      const BuildingDims d = building_profile(buildings, s.x, s.y);
      if (std::any_of(d.begin(), d.end(), [](const BuildingSector& b) { return b.present(); }))
        s.building = std::make_shared<const BuildingDims>(d);
    }
  }
  if (!a.areas.empty()) job.areas = read_plume_areas(a.areas);
  if (!a.receptors.empty()) job.receptors = read_plume_receptors(a.receptors);
  if (!a.grid.empty()) {
    auto g = parse_plume_grid(a.grid);
    job.receptors.insert(job.receptors.end(), std::make_move_iterator(g.begin()), std::make_move_iterator(g.end()));
  }
  job.met = read_plume_met(a.met, job.options);
  job.tz = a.tz;
  const TimeZone tz(a.tz);
  if (!a.daily.empty()) {
    const auto& times = job.met.times;
    for (std::size_t h = 0; h < times.size(); ++h) {
      try {
        job.utc.push_back(parse_time(times[h], tz));
      } catch (const Error& e) {
        throw Error(ErrorContext{a.met, static_cast<int>(h) + 2, "time"}, std::string(e.what()) + " (--daily needs ISO 8601 times)");
      }
      LANTIAN_CHECK(h == 0 || job.utc[h] > job.utc[h - 1], (ErrorContext{a.met, static_cast<int>(h) + 2, "time"}),
                    "--daily needs strictly increasing hours, found " + times[h] + " after " + times[h - 1]);
    }
  }
  return job;
}

PlumeSummary run_plume_job(const PlumeJob& job, const PlumeOutputs& outputs) {
  const bool daily = !outputs.daily.path.empty();
  check_output_file(outputs.hourly, kPlumeHourlyHeader);
  if (daily) {
    check_output_file(outputs.daily, kPlumeDailyHeader);
    LANTIAN_CHECK(job.utc.size() == job.met.times.size(), (ErrorContext{"", 0, "--daily"}),
                  "the job was read without daily means");
  }
  const PlumeOptions& opt = job.options;
  const Contributions c = compute_contributions(job.sources, job.areas, job.met.hours, job.receptors, opt);
  PlumeSummary s;
  s.stacks = job.sources.size();
  s.downwash_stacks = static_cast<std::size_t>(
      std::count_if(job.sources.begin(), job.sources.end(), [](const PlumeSource& p) { return p.building != nullptr; }));
  s.areas = job.areas.size();
  s.hours = c.n_hours;
  s.receptors = job.receptors.size();
  s.dispersion = std::string(dispersion_name(opt.dispersion));
  s.min_wind = opt.min_wind;
  for (std::size_t h = 0; h < c.n_hours; ++h) {
    if (!c.calm[h]) continue;
    s.calm.push_back(PlumeCalmHour{job.met.times[h], job.met.hours[h].wind_speed});
    std::ostringstream w;
    w << "calm hour " << job.met.times[h] << ": wind " << job.met.hours[h].wind_speed << " m/s below the minimum "
      << opt.min_wind << " m/s; computed with " << opt.min_wind << " m/s";
    s.warnings.push_back(w.str());
  }
  // Everything is computed before anything is written; each file goes through a temporary.
  const DailyMeans means = daily ? daily_means(c.totals, c.n_receptors, job.utc, TimeZone(job.tz)) : DailyMeans{};
  write_output_file(outputs.hourly, kPlumeHourlyHeader, [&](std::ostream& out) { write_hourly(out, job, c); });
  if (daily)
    write_output_file(outputs.daily, kPlumeDailyHeader, [&](std::ostream& out) { write_daily(out, means, job.receptors); });
  double cmax = -1.0;
  std::size_t hmax = 0, rmax = 0;
  for (std::size_t h = 0; h < c.n_hours; ++h)
    for (std::size_t r = 0; r < c.n_receptors; ++r)
      if (c.total(h, r) > cmax) {
        cmax = c.total(h, r);
        hmax = h;
        rmax = r;
      }
  s.max_conc = cmax;
  if (!job.receptors.empty() && !job.met.times.empty()) {
    s.max_receptor = job.receptors[rmax].id;
    s.max_time = job.met.times[hmax];
  }
  s.out = outputs.hourly.path;
  s.daily = outputs.daily.path;
  return s;
}

PlumeSummary run_plume_job(const PlumeRequest& request) {
  check_request(request);
  // The output rule (core/output_folder.hpp), checked before any work.
  const PlumeOutputs outputs = plume_outputs(request);
  check_output_file(outputs.hourly, kPlumeHourlyHeader);
  if (!request.daily.empty()) check_output_file(outputs.daily, kPlumeDailyHeader);
  return run_plume_job(read_plume_job(request), outputs);
}

std::string format_plume_summary(const PlumeSummary& s) {
  std::ostringstream out;
  out << "lantian plume: " << s.stacks << " stacks, " << s.areas << " areas, " << s.hours << " hours (" << s.calm.size()
      << " calm), " << s.receptors << " receptors, dispersion " << s.dispersion << " -> " << s.out << "\n";
  if (s.downwash_stacks > 0) out << "building downwash (PRIME): " << s.downwash_stacks << " stacks\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", s.max_conc);
  out << "maximum: " << buf << " ug/m3 at " << s.max_receptor << ", " << s.max_time << "\n";
  return out.str();
}

}  // namespace lantian
