// `lantian check`: the whole-case validation and its report (case_check.hpp).
#include "forecast/case_check.hpp"
#include "forecast/eulerian_run.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "core/field.hpp"
#include "emissions/gridded_netcdf.hpp"
#include "emissions/units.hpp"
#include "meteo/met_state.hpp"
#include "forecast/case_inputs.hpp"
#include "scenarios/observations.hpp"
#include "forecast/rules_file.hpp"
#include "forecast/run_resources.hpp"

namespace lantian {

namespace {

using emissions::Rates;

/// Runs `f`, recording a thrown exception's message in report.errors; true when it succeeded.
template <class F>
bool attempt(CaseCheckReport& report, F&& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    report.errors.emplace_back(e.what());
    return false;
  }
}

/// The 静稳 indicators at the centre cell for every hour of the period, grouped by local day.
std::vector<StagnationDay> stagnation_by_day(const meteo::MetProvider& met, const Grid& grid, UtcHour start, int hours,
                                             const TimeZone& tz, CellIndex c) {
  std::vector<StagnationDay> days;
  for (int n = 0; n < hours; ++n) {
    const UtcHour t = start + n;
    const meteo::MetState s = met.at(t);
    meteo::StagnationInputs in;
    in.wind10 = std::hypot(s.u10(c.i, c.j), s.v10(c.i, c.j));
    in.pblh = s.pblh(c.i, c.j);
    in.t2 = s.t2(c.i, c.j);
    in.t_upper = s.t(c.i, c.j, 0);
    in.z_upper = grid.z_centre(0);
    in.rh2 = s.rh2(c.i, c.j);
    const meteo::StagnationFlags f = meteo::stagnation_flags(in);

    const std::string date = format_local(t, tz).substr(0, 10);
    if (days.empty() || days.back().date != date) {
      StagnationDay d;
      d.date = date;
      d.pblh_min = d.pblh_max = in.pblh;
      d.wind_min = d.wind_max = in.wind10;
      d.rh_max = in.rh2;
      days.push_back(d);
    }
    StagnationDay& d = days.back();
    ++d.hours;
    d.weak_wind += int{f.weak_wind};
    d.shallow_mixing += int{f.shallow_mixing};
    d.inversion += int{f.surface_inversion};
    d.humid += int{f.humid};
    d.all_four += int{f.all()};
    d.three_or_more += int{f.count() >= 3};
    d.pblh_min = std::min(d.pblh_min, in.pblh);
    d.pblh_max = std::max(d.pblh_max, in.pblh);
    d.wind_min = std::min(d.wind_min, in.wind10);
    d.wind_max = std::max(d.wind_max, in.wind10);
    d.rh_max = std::max(d.rh_max, in.rh2);
  }
  return days;
}

void check_meteorology(const CaseConfig& config, const Grid& grid, CaseCheckReport& r) {
  r.met_source = std::string(name(config.meteo.source));
  r.met_files = config.meteo.files;
  std::unique_ptr<meteo::MetProvider> met;
  if (!attempt(r, [&] { met = make_met_provider(config, grid, &r.warnings); })) return;
  std::tie(r.met_first, r.met_last) = met->coverage();
  if (const auto* series = dynamic_cast<const meteo::MetSeries*>(met.get())) {
    const auto& states = series->states();
    r.met_times = states.size();
    for (std::size_t n = 1; n < states.size(); ++n)
      r.met_max_step = std::max(r.met_max_step, static_cast<int>(states[n].time - states[n - 1].time));
    constexpr int kLongestStep = 6;  // hours; linear interpolation over longer gaps misses the diurnal cycle
    if (r.met_max_step > kLongestStep)
      r.warnings.push_back(fmt::format("meteorology: input times up to {} h apart; the states between are linear "
                                       "interpolations (more than {} h misses the diurnal cycle)",
                                       r.met_max_step, kLongestStep));
  } else if (config.meteo.source == MetSource::station) {
    r.met_times = static_cast<std::size_t>(r.met_last - r.met_first + 1);
    r.met_max_step = 1;
  }
  if (!attempt(r, [&] { check_met_coverage(*met, config); })) return;
  r.stagnation_cell = CellIndex{grid.nx() / 2, grid.ny() / 2};
  if (!attempt(r, [&] {
        r.stagnation = stagnation_by_day(*met, grid, r.start, r.hours, config.zone(), r.stagnation_cell);
      }))
    return;
  r.met_ok = true;
  double pblh_max = 0.0;
  for (const StagnationDay& d : r.stagnation) pblh_max = std::max(pblh_max, d.pblh_max);
  const double top = grid.layer_tops().back();
  if (pblh_max > top)
    r.warnings.push_back(fmt::format("grid: the mixing height at the centre reaches {:.0f} m, above the grid top "
                                     "({:.0f} m): pollutants mixed above it leave the domain",
                                     pblh_max, top));
}

/// Month lengths of a 365-day year (units.hpp's year), January first.
constexpr std::array<int, 12> kMonthDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/// The CSV inventory: files, counts, totals; false when it could not be read.
bool check_csv_inventory(const CaseConfig& config, const Grid& grid, CaseCheckReport& r, emissions::Inventory& inv) {
  emissions::InventoryFiles files;
  if (!attempt(r, [&] { files = case_inventory_files(config); })) return false;
  for (const std::string* f : {&files.enterprises, &files.stacks, &files.lines, &files.area_sources, &files.roads,
                               &files.profiles})
    if (!f->empty()) r.inventory_files.push_back(*f);
  if (!attempt(r, [&] { inv = emissions::read_inventory(files, &grid); })) return false;
  r.enterprises = inv.enterprises.size();
  r.stacks = inv.stacks.size();
  r.lines = inv.lines.size();
  r.area_sources = inv.areas.size();
  r.roads = inv.roads.size();
  r.profiles = inv.profiles.size();
  r.exempt_enterprises = static_cast<std::size_t>(
      std::count_if(inv.enterprises.begin(), inv.enterprises.end(), [](const auto& e) { return e.exempt; }));
  r.totals = emissions::compute_totals(inv);
  const double top = grid.layer_tops().back();
  for (const emissions::Stack& s : inv.stacks)
    if (s.height > top)
      r.warnings.push_back(fmt::format("emissions: stack {} is {:.0f} m tall, above the grid top ({:.0f} m)", s.id,
                                       s.height, top));
  return true;
}

/// Annual mean of per-slice values: the slice itself, or 12 months weighted by their length.
template <class SliceRates>
Rates annual_mean(std::size_t slices, SliceRates&& rates_of) {
  Rates out{};
  for (std::size_t t = 0; t < slices; ++t) {
    const double w = slices == 12 ? kMonthDays[t] / 365.0 : 1.0 / static_cast<double>(slices);
    const Rates v = rates_of(t);
    for (std::size_t p = 0; p < out.size(); ++p) out[p] += w * v[p];
  }
  return out;
}

/// The gridded files: read, regridded and summed; false when one could not be.
bool check_gridded(const CaseConfig& config, const Grid& grid, CaseCheckReport& r) {
  bool ok = true;
  for (std::size_t n = 0; n < config.emissions.gridded.size(); ++n) {
    emissions::GriddedEmissions g;
    if (!attempt(r, [&] { g = emissions::regrid_gridded(read_case_gridded_source(config, n), grid); })) {
      ok = false;
      continue;
    }
    for (const std::string& w : g.warnings) r.warnings.push_back("emissions: gridded file " + w);
    GriddedFileCheck c;
    c.file = g.file;
    c.sector = g.sector;
    c.times = static_cast<int>(g.rate.size());
    c.on_grid = annual_mean(g.rate.size(), [&](std::size_t t) {
      Rates v{};
      for (std::size_t p = 0; p < v.size(); ++p) {
        const Field2D<double>& f = g.rate[t][p];
        for (int j = 0; j < f.ny(); ++j)
          for (int i = 0; i < f.nx(); ++i) v[p] += f(i, j);
      }
      return v;
    });
    c.outside = annual_mean(g.outside.size(), [&](std::size_t t) { return g.outside[t]; });
    std::string lost;
    constexpr double kReportedOutside = 5e-4;  // fractions below 0.05 % are round-off of the overlap areas
    for (emissions::EmittedPollutant p : emissions::kAllEmittedPollutants) {
      const std::size_t k = emissions::index(p);
      const double all = c.on_grid[k] + c.outside[k];
      if (all > 0.0 && c.outside[k] / all > kReportedOutside)
        lost += fmt::format("{}{} {:.1f}% ({:.1f} t/yr)", lost.empty() ? "" : ", ", emissions::pollutant_name(p),
                            100.0 * c.outside[k] / all, emissions::to_tonnes_per_year(c.outside[k]));
    }
    if (!lost.empty())
      r.warnings.push_back("emissions: gridded file " + c.file + ": mass outside the grid, left out of the run: " +
                           lost);
    const std::size_t s = static_cast<std::size_t>(c.sector);
    for (std::size_t p = 0; p < c.on_grid.size(); ++p) {
      r.gridded_total[p] += c.on_grid[p];
      r.gridded_by_sector[s][p] += c.on_grid[p];
    }
    r.gridded.push_back(std::move(c));
  }
  return ok;
}

/// The inventory (into `inv`) and, when `gridded`, the gridded files; false when the inventory
/// could not be read.
bool check_emissions(const CaseConfig& config, const Grid& grid, CaseCheckReport& r, emissions::Inventory& inv,
                     bool gridded) {
  if (config.emissions.empty()) {
    attempt(r, [&] { (void)case_inventory_files(config); });  // records "no emission inventory"
    return false;
  }
  r.csv_inventory = !config.emissions.csv_empty();
  const bool inventory_ok = !r.csv_inventory || check_csv_inventory(config, grid, r, inv);
  bool ok = inventory_ok;
  if (gridded) ok = check_gridded(config, grid, r) && ok;
  r.combined = r.totals;
  for (std::size_t p = 0; p < r.combined.total.size(); ++p) {
    r.combined.total[p] += r.gridded_total[p];
    for (std::size_t s = 0; s < r.combined.by_sector.size(); ++s) r.combined.by_sector[s][p] += r.gridded_by_sector[s][p];
  }
  r.emissions_ok = ok && gridded;
  return inventory_ok;
}

/// What run_forecast and run_eulerian read besides the inputs: the [model] settings and the
/// boundary file, and (with the inventory, for their targets) the scenarios and the plans file.
void check_run_settings(const CaseConfig& config, const Grid& grid, const emissions::Inventory& inv,
                        bool inventory_ok, CaseCheckReport& r) {
  attempt(r, [&] { validate_model_settings(config, grid, inv); });
  if (!inventory_ok) return;  // the scenarios' targets are the inventory's: its error is recorded
  attempt(r, [&] {
    if (const auto set = load_case_scenarios(config, inv)) {
      r.scenarios_checked = true;
      r.scenarios = set->scenarios.size();
    }
  });
}

void check_stations(const CaseConfig& config, const Grid& grid, CaseCheckReport& r) {
  r.stations = config.stations.size();
  if (config.stations.empty())
    r.warnings.emplace_back("stations: none given ([[stations]]): results will have no station series");
  for (std::size_t n = 0; n < config.stations.size(); ++n) {
    const StationConfig& s = config.stations[n];
    attempt(r, [&] {
      const XY p = grid.project(s.lon, s.lat);
      if (grid.cell_of(p.x, p.y)) {
        ++r.stations_inside;
      } else {
        const std::string key = "stations[" + std::to_string(n) + "]";
        const long line = config.source.line(key + ".lon");
        std::string where = config.source.file();
        if (line > 0) where += fmt::format(":{}", line);
        // An error, not a warning: the Eulerian run cannot report it and refuses the case.
        r.errors.push_back(fmt::format(
            "{}: {}: station {} ({:.4f} E, {:.4f} N) is outside the grid (x = {:.1f} km, y = {:.1f} km; the grid "
            "spans x {:.1f}..{:.1f} km, y {:.1f}..{:.1f} km): the run cannot report it; move the station or the grid",
            where, key, s.id, s.lon, s.lat, p.x / 1000.0,
            p.y / 1000.0, grid.x_face(0) / 1000.0, grid.x_face(grid.nx()) / 1000.0, grid.y_face(0) / 1000.0,
            grid.y_face(grid.ny()) / 1000.0));
      }
    });
  }
}

void check_observations(const CaseConfig& config, CaseCheckReport& r) {
  if (config.paths.observations.empty()) return;
  std::vector<StationObservations> obs;
  if (!attempt(r, [&] { obs = read_observations_csv(config.paths.observations, config.zone()); })) return;
  std::set<std::string, std::less<>> configured;
  for (const StationConfig& s : config.stations) configured.insert(s.id);
  std::set<std::string, std::less<>> observed;
  const UtcHour end = r.start + r.hours;
  for (const StationObservations& o : obs) {
    observed.insert(o.station);
    if (!configured.contains(o.station))
      r.warnings.push_back("observations: " + config.paths.observations + " has station '" + o.station +
                           "', which is not among the case's [[stations]]");
    else if (o.end() <= r.start || o.start >= end)
      r.warnings.push_back("observations: station '" + o.station + "' has no observation in the period");
  }
  std::string unobserved;
  std::size_t n_unobserved = 0;
  for (const StationConfig& s : config.stations)
    if (!observed.contains(s.id)) {
      unobserved += (unobserved.empty() ? "" : ", ") + s.id;
      ++n_unobserved;
    }
  if (n_unobserved > 0)
    r.warnings.push_back(fmt::format("observations: {} has no rows for {} of the {} stations ({}): they can be "
                                     "modelled but not compared with observations",
                                     config.paths.observations, n_unobserved, config.stations.size(), unobserved));
  for (std::string& w : start_analysis_warnings(config, obs)) r.warnings.push_back(std::move(w));
}

// ---- formatting --------------------------------------------------------------------------------

std::string degrees(const LonLat& p) { return fmt::format("{:.4f} E {:.4f} N", p.lon, p.lat); }

/// One table row: a label and the six pollutants in t/yr.
std::string rates_row(std::string_view label, const Rates& g_per_s) {
  std::string s = fmt::format("    {:<28}", label);
  for (double v : g_per_s) s += fmt::format("{:>11.1f}", emissions::to_tonnes_per_year(v));
  return s + "\n";
}

std::string pollutant_header(std::string_view first) {
  std::string s = fmt::format("    {:<28}", first);
  for (emissions::EmittedPollutant p : emissions::kAllEmittedPollutants)
    s += fmt::format("{:>11}", emissions::pollutant_name(p));
  return s + "\n";
}

bool any_nonzero(const Rates& r) {
  return std::any_of(r.begin(), r.end(), [](double v) { return v != 0.0; });
}

/// One line per pollutant: t/yr and g/s.
std::string pollutant_lines(const Rates& g_per_s) {
  std::string s;
  for (emissions::EmittedPollutant p : emissions::kAllEmittedPollutants) {
    const double g = g_per_s[emissions::index(p)];
    s += fmt::format("    {:<6} {:>12.1f} t/yr  {:>10.3f} g/s\n", emissions::pollutant_name(p),
                     emissions::to_tonnes_per_year(g), g);
  }
  return s;
}

/// The rows of the sectors with any emission.
std::string sector_rows(const std::array<Rates, emissions::kSectorCount>& by_sector) {
  std::string s;
  for (int k = 0; k < emissions::kSectorCount; ++k) {
    const Rates& v = by_sector[static_cast<std::size_t>(k)];
    if (any_nonzero(v)) s += rates_row(emissions::sector_name(static_cast<emissions::Sector>(k)), v);
  }
  return s;
}

}  // namespace

CaseCheckReport check_case(const CaseConfig& config) {
  CaseCheckReport r;
  r.case_file = config.source.file();
  r.name = config.name;
  r.time_zone = config.time_zone;
  r.grid = config.grid;

  r.period_ok = attempt(r, [&] {
    config.validate();
    r.start = config.start_utc();
    r.hours = config.period.hours;
  });
  if (!r.period_ok) return r;

  std::optional<Grid> grid;
  r.grid_ok = attempt(r, [&] {
    grid.emplace(config.make_grid());
    const Grid& g = *grid;
    const double xw = g.x_face(0), xe = g.x_face(g.nx()), ys = g.y_face(0), yn = g.y_face(g.ny());
    r.corners = {g.to_lonlat({xw, ys}), g.to_lonlat({xe, ys}), g.to_lonlat({xe, yn}), g.to_lonlat({xw, yn})};
    r.centre = g.to_lonlat({0.5 * (xw + xe), 0.5 * (ys + yn)});
  });
  if (grid) {
    // The memory first, from the case and the inventory alone: a case that does not fit is not
    // built (no meteorology state, no gridded field is allocated), only reported.
    emissions::Inventory inv;
    emissions::Inventory quiet;  // read again below with its errors recorded
    try {
      quiet = read_case_inventory(config, *grid);
    } catch (const std::exception&) {
    }
    r.resources = estimate_run_resources(config, quiet);
    r.resources_ok = true;
    const bool fits = attempt(r, [&] { require_run_memory(r.resources, config); });
    if (fits) check_meteorology(config, *grid, r);
    const bool inventory_ok = check_emissions(config, *grid, r, inv, fits);
    check_stations(config, *grid, r);
    if (fits) check_run_settings(config, *grid, inv, inventory_ok, r);
  }
  attempt(r, [&] { (void)load_case_rules(config); });
  check_observations(config, r);
  return r;
}

std::string format_check_report(const CaseCheckReport& r) {
  std::string s = fmt::format("case {} ({})\n", r.name, r.case_file);

  if (r.grid_ok) {
    const GridSpec& g = r.grid;
    s += "\ngrid\n";
    s += fmt::format("  CRS      {}\n", g.crs);
    s += fmt::format("  size     {} x {} cells of {:g} x {:g} m, {} levels\n", g.nx, g.ny, g.dx, g.dy,
                     g.layer_tops.size());
    s += fmt::format("  extent   x {:g} .. {:g} m, y {:g} .. {:g} m\n", g.x0, g.x0 + g.nx * g.dx, g.y0,
                     g.y0 + g.ny * g.dy);
    s += fmt::format("  corners  SW {}, SE {}\n           NE {}, NW {}\n", degrees(r.corners[0]), degrees(r.corners[1]),
                     degrees(r.corners[2]), degrees(r.corners[3]));
    s += fmt::format("  centre   {}\n", degrees(r.centre));
    std::string tops;
    for (double z : g.layer_tops) tops += fmt::format("{}{:g}", tops.empty() ? "" : " ", z);
    s += fmt::format("  levels   layer tops (m above ground): {}\n", tops);
  }

  if (r.period_ok) {
    const TimeZone tz(r.time_zone);
    const UtcHour end = r.start + r.hours;
    s += "\nperiod\n";
    s += fmt::format("  {} h, local ({}) {} .. {}\n", r.hours, r.time_zone, format_local(r.start, tz),
                     format_local(end, tz));
    s += fmt::format("  UTC      {} .. {}\n", format_utc(r.start), format_utc(end));

    if (r.met_times > 0 || r.met_ok) {
      s += "\nmeteorology\n";
      std::string files;
      for (const std::string& f : r.met_files) files += (files.empty() ? "" : ", ") + f;
      s += fmt::format("  source   {}{}\n", r.met_source, files.empty() ? "" : " (" + files + ")");
      s += fmt::format("  covers   {} .. {}{}\n", format_local(r.met_first, tz), format_local(r.met_last, tz),
                       r.met_times > 0 ? fmt::format(", {} input times, longest step {} h", r.met_times, r.met_max_step)
                                       : std::string(", analytic (every hour)"));
      if (r.met_ok) {
        s += "  period covered: every hour from start to end\n";
        s += fmt::format("  静稳 (unfavourable dispersion) hours at the domain centre, cell ({}, {}):\n",
                         r.stagnation_cell.i, r.stagnation_cell.j);
        s += "    local day   hours  wind<2  PBLH<500  inversion  RH>80  >=3  all4   PBLH m     wind m/s  RH max\n";
        for (const StagnationDay& d : r.stagnation)
          s += fmt::format("    {}  {:>5}  {:>6}  {:>8}  {:>9}  {:>5}  {:>3}  {:>4}  {:>4.0f}-{:<4.0f}  {:>3.1f}-{:<3.1f}  "
                           "{:>5.1f}\n",
                           d.date, d.hours, d.weak_wind, d.shallow_mixing, d.inversion, d.humid, d.three_or_more,
                           d.all_four, d.pblh_min, d.pblh_max, d.wind_min, d.wind_max, d.rh_max);
      }
    }
  }

  if (r.resources_ok) s += "\nresources (the run, baseline and scenario re-runs)\n" + format_run_resources(r.resources);
  if (r.scenarios_checked) s += fmt::format("\nscenarios\n  {} scenarios (and the plans file) read and checked\n", r.scenarios);

  if (r.grid_ok && r.stations > 0)
    s += fmt::format("\nstations\n  {} monitoring stations, {} inside the grid\n", r.stations, r.stations_inside);

  if (r.emissions_ok) {
    s += "\nemissions\n";
    if (r.csv_inventory) {
      const emissions::EmissionTotals& t = r.totals;
      for (const std::string& f : r.inventory_files) s += "  file     " + f + "\n";
      s += fmt::format("  sources  {} enterprises, {} stacks, {} production lines, {} area sources, {} roads, {} "
                       "temporal profiles\n",
                       r.enterprises, r.stacks, r.lines, r.area_sources, r.roads, r.profiles);
      s += "  totals by pollutant (annual mean)\n";
      s += pollutant_lines(t.total);
      s += "  by sector, t/yr\n" + pollutant_header("sector") + sector_rows(t.by_sector);
      s += "  by district, t/yr\n" + pollutant_header("district");
      for (const auto& [district, v] : t.by_district) s += rates_row(district.empty() ? "(none)" : district, v);
      s += "  enterprises by performance grade (绩效分级)\n   ";
      for (int k = 0; k < emissions::kGradeCount; ++k)
        s += fmt::format(" {} {}{}", emissions::grade_name(static_cast<emissions::Grade>(k)),
                         t.enterprise_count_by_grade[static_cast<std::size_t>(k)],
                         k + 1 < emissions::kGradeCount ? "," : "");
      s += fmt::format("; exempt (豁免) {}\n", r.exempt_enterprises);
    }
    if (!r.gridded.empty()) {
      s += "  gridded (NetCDF), on the grid; annual means, monthly files weighted by month length (days/365)\n";
      for (const GriddedFileCheck& g : r.gridded)
        s += fmt::format("  file     {} ({}, {} time slice{})\n", g.file, emissions::sector_name(g.sector), g.times,
                         g.times == 1 ? "" : "s");
      s += "  gridded by sector, t/yr\n" + pollutant_header("sector") + sector_rows(r.gridded_by_sector);
      s += rates_row("total", r.gridded_total);
      s += "  whole society (全社会, CSV inventory + gridded; the base of the 10/20/30% floors)\n";
      s += pollutant_lines(r.combined.total);
      s += "  whole society by sector, t/yr\n" + pollutant_header("sector") + sector_rows(r.combined.by_sector);
    }
  }

  s += fmt::format("\nwarnings: {}\n", r.warnings.size());
  for (const std::string& w : r.warnings) s += "  - " + w + "\n";
  s += fmt::format("errors: {}\n", r.errors.size());
  for (const std::string& e : r.errors) s += "  - " + e + "\n";
  s += r.valid() ? "\ncase OK\n" : fmt::format("\ncase has {} error(s)\n", r.errors.size());
  return s;
}

}  // namespace lantian
