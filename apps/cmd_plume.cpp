// `lantian plume --sources S.csv --met M.csv --receptors R.csv --out C.csv [--dispersion ...]`:
// hourly Gaussian-plume concentrations at receptors (screening). Reads, calls
// solver::compute_contributions, writes; the physics is in solver/gaussian_plume.
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "core/plausible.hpp"
#include "core/time_axis.hpp"
#include "emissions/wkt.hpp"
#include "solver/gaussian_plume.hpp"
#include "solver/receptor_means.hpp"

void add_plume_command(CLI::App& app);

namespace {

using namespace lantian;
using namespace lantian::solver;

constexpr const char* kPlumeFooter = R"(Inputs (CSV with a header; x/y in metres on one plane, wind_dir meteorological, from):
  sources    id,x,y,height,diameter,velocity,temperature,rate   (m, m, m, m, m/s, K, g/s)
  met        time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L
             (m/s, deg, m, K, A-F, m, m/s, m). briggs-rural/urban need stability (mixing_height
             optional: no lid when blank); turbulence needs ustar, L and mixing_height. Blank
             cells are allowed where the option does not need them.
  receptors  id,x,y,z   (m; z above ground, blank = 0)
  areas      id,height,rate,polygon   (m, g/s over the whole polygon, WKT POLYGON/MULTIPOLYGON in m)
At least one of --sources/--areas and one of --receptors/--grid. --grid X0,Y0,DX,NX,NY adds the
centres of an NX x NY grid of DX-metre cells from the south-west corner (X0,Y0), ids g<i>_<j>.
Output: time,receptor,conc (ug/m3, hourly means), written to a temporary file renamed into place.
--daily D.csv: date,receptor,conc,hours,valid: means by local calendar day of --tz (met times
are then parsed as ISO 8601, local unless they carry an offset); valid = at least 20 hours
(GB 3095-2012 Table 4).
Hours with wind below --min-wind are calm: computed with the wind raised to it, and listed.

Example:
  lantian plume --sources stacks.csv --met met.csv --receptors stations.csv --out conc.csv)";

struct PlumeArgs {
  std::string sources, areas, met, receptors, grid, out, daily, tz = "Asia/Shanghai", dispersion = "briggs-rural";
  double min_wind = 0.5, decay = 0.0;
  bool force = false;
};

/// Throws at column `col` of the current row unless v is plausible for q (core/plausible.hpp).
void plausible(const CsvFile& f, Quantity q, double v, int col) {
  if (!is_plausible(q, v)) f.fail(col, implausible_message(q, v, f.field(col)));
}

std::vector<PlumeAreaSource> read_areas(const std::string& path) {
  CsvFile f(path);
  static constexpr std::array<std::string_view, 4> cols = {"id", "height", "rate", "polygon"};
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

/// "--grid X0,Y0,DX,NX,NY" -> receptors at the cell centres.
std::vector<Receptor> parse_grid(const std::string& text) {
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

std::vector<PlumeSource> read_sources(const std::string& path) {
  CsvFile f(path);
  static constexpr std::array<std::string_view, 8> cols = {"id", "x", "y", "height", "diameter", "velocity",
                                                           "temperature", "rate"};
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

std::vector<Receptor> read_receptors(const std::string& path) {
  CsvFile f(path);
  static constexpr std::array<std::string_view, 4> cols = {"id", "x", "y", "z"};
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

struct MetTable {
  std::vector<std::string> times;
  std::vector<PlumeMet> hours;
};

MetTable read_met(const std::string& path, const PlumeOptions& opt) {
  CsvFile f(path);
  static constexpr std::array<std::string_view, 5> required = {"time", "wind_speed", "wind_dir", "ref_height",
                                                               "temperature"};
  static constexpr std::array<std::string_view, 10> allowed = {
      "time", "wind_speed", "wind_dir", "ref_height", "temperature", "stability", "mixing_height", "ustar", "L", "z0"};
  f.check_columns(required, allowed);
  const int ct = f.column("time"), cu = f.column("wind_speed"), cd = f.column("wind_dir"),
            ch = f.column("ref_height"), cT = f.column("temperature"), cs = f.column("stability"),
            cm = f.column("mixing_height"), cus = f.column("ustar"), cl = f.column("L"), cz0 = f.column("z0");
  const bool turb = opt.dispersion == Dispersion::Turbulence;
  const std::string option = "the " + std::string(dispersion_name(opt.dispersion)) + " option";
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  MetTable t;
  auto needed = [&](int col, std::string_view name, std::string_view what) {
    if (col < 0)
      throw Error(ErrorContext{path, f.line(), std::string("column '") + std::string(name) + "'"},
                  option + " needs " + std::string(what) + ", but the file has no such column");
    if (f.field(col).empty()) f.fail(col, option + " needs " + std::string(what) + ", found a blank");
    return f.number(col, what);
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
      m.L = needed(cl, "L", "the Monin-Obukhov length L in m");
      if (m.ustar <= 0.0) f.fail(cus, "expected u* > 0 m/s");
      if (m.L == 0.0) f.fail(cl, "expected a non-zero Monin-Obukhov length");
    } else {
      const double h = cm >= 0 ? f.number(cm, "mixing height in m", kNaN) : kNaN;
      m.mixing_height = std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
      if (cus >= 0) m.ustar = f.number(cus, "friction velocity u* in m/s", kNaN);
      if (cl >= 0) m.L = f.number(cl, "Monin-Obukhov length L in m", kNaN);
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

/// The headers of the two outputs: how `--force` recognises files `lantian plume` wrote.
constexpr const char* kHourlyHeader = "time,receptor,conc\n";
constexpr const char* kDailyHeader = "date,receptor,conc,hours,valid\n";

void write_hourly(std::ostream& out, const MetTable& met, const std::vector<Receptor>& rec, const Contributions& c) {
  out << kHourlyHeader;
  char buf[32];
  for (std::size_t h = 0; h < c.n_hours; ++h) {
    const std::string time = csv_text(met.times[h]);
    for (std::size_t r = 0; r < c.n_receptors; ++r) {
      std::snprintf(buf, sizeof buf, "%.6g", c.total(h, r));
      out << time << ',' << csv_text(rec[r].id) << ',' << buf << '\n';
    }
  }
}

void write_daily(std::ostream& out, const DailyMeans& d, const std::vector<Receptor>& rec) {
  out << kDailyHeader;
  char buf[32];
  for (std::size_t day = 0; day < d.n_days(); ++day)
    for (std::size_t r = 0; r < d.n_receptors; ++r) {
      std::snprintf(buf, sizeof buf, "%.6g", d.value(day, r));
      out << d.dates[day] << ',' << csv_text(rec[r].id) << ',' << buf << ',' << d.hours[day] << ','
          << (d.valid(day) ? "true" : "false") << '\n';
    }
}

int run_plume(const PlumeArgs& a) {
  PlumeOptions opt;
  opt.dispersion = parse_dispersion(a.dispersion);
  opt.min_wind = a.min_wind;
  opt.decay_rate = a.decay;
  opt.validate();
  LANTIAN_CHECK(!a.sources.empty() || !a.areas.empty(), (ErrorContext{"", 0, "--sources"}),
                "expected --sources and/or --areas");
  LANTIAN_CHECK(!a.receptors.empty() || !a.grid.empty(), (ErrorContext{"", 0, "--receptors"}),
                "expected --receptors and/or --grid");
  // The output rule (core/output_folder.hpp), checked before any work.
  InputPaths inputs;
  for (const std::string* f : {&a.sources, &a.areas, &a.met, &a.receptors}) inputs.add(*f, "an input CSV");
  const OutputRequest hourly_out{a.out, a.force, inputs, "plume"};
  OutputRequest daily_out{a.daily, a.force, inputs, "plume"};
  daily_out.inputs.add(a.out, "the --out file");
  check_output_file(hourly_out, kHourlyHeader);
  if (!a.daily.empty()) check_output_file(daily_out, kDailyHeader);
  const auto sources = a.sources.empty() ? std::vector<PlumeSource>{} : read_sources(a.sources);
  const auto areas = a.areas.empty() ? std::vector<PlumeAreaSource>{} : read_areas(a.areas);
  auto receptors = a.receptors.empty() ? std::vector<Receptor>{} : read_receptors(a.receptors);
  if (!a.grid.empty()) {
    auto g = parse_grid(a.grid);
    receptors.insert(receptors.end(), std::make_move_iterator(g.begin()), std::make_move_iterator(g.end()));
  }
  const MetTable met = read_met(a.met, opt);
  std::vector<UtcHour> times;
  const TimeZone tz(a.tz);
  if (!a.daily.empty()) {
    for (std::size_t h = 0; h < met.times.size(); ++h) {
      try {
        times.push_back(parse_time(met.times[h], tz));
      } catch (const Error& e) {
        throw Error(ErrorContext{a.met, static_cast<int>(h) + 2, "time"}, std::string(e.what()) + " (--daily needs ISO 8601 times)");
      }
      LANTIAN_CHECK(h == 0 || times[h] > times[h - 1], (ErrorContext{a.met, static_cast<int>(h) + 2, "time"}),
                    "--daily needs strictly increasing hours, found " + met.times[h] + " after " + met.times[h - 1]);
    }
  }
  const Contributions c = compute_contributions(sources, areas, met.hours, receptors, opt);
  std::size_t calm = 0;
  for (std::size_t h = 0; h < c.n_hours; ++h) {
    if (!c.calm[h]) continue;
    ++calm;
    std::cerr << "lantian: warning: calm hour " << met.times[h] << ": wind " << met.hours[h].wind_speed
              << " m/s below the minimum " << opt.min_wind << " m/s; computed with " << opt.min_wind << " m/s\n";
  }
  // Everything is computed before anything is written; each file goes through a temporary.
  const DailyMeans daily = a.daily.empty() ? DailyMeans{} : daily_means(c.totals, c.n_receptors, times, tz);
  write_output_file(hourly_out, kHourlyHeader, [&](std::ostream& out) { write_hourly(out, met, receptors, c); });
  if (!a.daily.empty())
    write_output_file(daily_out, kDailyHeader, [&](std::ostream& out) { write_daily(out, daily, receptors); });
  double cmax = -1.0;
  std::size_t hmax = 0, rmax = 0;
  for (std::size_t h = 0; h < c.n_hours; ++h)
    for (std::size_t r = 0; r < c.n_receptors; ++r)
      if (c.total(h, r) > cmax) {
        cmax = c.total(h, r);
        hmax = h;
        rmax = r;
      }
  std::cout << "lantian plume: " << sources.size() << " stacks, " << areas.size() << " areas, " << c.n_hours << " hours (" << calm
            << " calm), " << receptors.size() << " receptors, dispersion " << dispersion_name(opt.dispersion)
            << " -> " << a.out << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", cmax);
  std::cout << "maximum: " << buf << " ug/m3 at " << receptors[rmax].id << ", " << met.times[hmax] << "\n";
  return 0;
}

}  // namespace

/// Registers the `plume` subcommand on `app`; on bad input its callback prints
/// "lantian: error: ..." and throws CLI::RuntimeError(1).
void add_plume_command(CLI::App& app) {
  auto args = std::make_shared<PlumeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plume", "Hourly Gaussian-plume concentrations of stacks at receptors (Briggs rise, lid reflections)");
  cmd->add_option("--sources", args->sources, "stacks CSV: id,x,y,height,diameter,velocity,temperature,rate")
      ->check(CLI::ExistingFile);
  cmd->add_option("--areas", args->areas, "area sources CSV: id,height,rate,polygon (WKT)")->check(CLI::ExistingFile);
  cmd->add_option("--met", args->met, "hourly met CSV: time,wind_speed,wind_dir,ref_height,temperature,...")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--receptors", args->receptors, "receptors CSV: id,x,y,z")->check(CLI::ExistingFile);
  cmd->add_option("--grid", args->grid, "grid receptors X0,Y0,DX,NX,NY (m; cell centres)");
  cmd->add_option("--daily", args->daily, "daily means CSV: date,receptor,conc,hours,valid");
  cmd->add_option("--tz", args->tz, "time zone of local days (--daily)")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "output CSV: time,receptor,conc (ug/m3)")->required();
  cmd->add_flag("--force", args->force, "replace existing output files (only ones `lantian plume` wrote)");
  cmd->add_option("--dispersion", args->dispersion, "sigma_y, sigma_z scheme")
      ->capture_default_str()
      ->check(CLI::IsMember({"briggs-rural", "briggs-urban", "turbulence"}));
  cmd->add_option("--min-wind", args->min_wind, "minimum wind speed (m/s); slower hours are calm")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--decay", args->decay, "first-order loss rate (1/s), applied with travel time")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->footer(kPlumeFooter);
  cmd->callback([args] {
    try {
      run_plume(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
