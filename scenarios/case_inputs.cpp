// Assembling a case's inputs from its case file: see case_inputs.hpp.
#include "scenarios/case_inputs.hpp"

#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/regrid.hpp"
#include "meteo/station_profile.hpp"
#include "meteo/wrf_reader.hpp"

namespace lantian {

namespace {

/// Throws naming the case file and key unless `path` is an existing regular file.
void require_file(const CaseConfig& c, const std::string& key, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  LANTIAN_CHECK(fs::is_regular_file(path, ec), c.source.context(key), "no such file: " + path);
}

std::string joined(const std::vector<std::string>& files) {
  std::string s;
  for (const std::string& f : files) s += (s.empty() ? "" : ", ") + f;
  return s;
}

}  // namespace

meteo::KzParams case_kz_params(const CaseConfig& config) {
  meteo::KzParams kz;
  if (config.meteo.kz_min) kz.kz_min = *config.meteo.kz_min;
  return kz;
}

meteo::SyntheticEpisode synthetic_episode(const CaseConfig& config) {
  const SyntheticMetConfig& y = config.meteo.synthetic;
  meteo::SyntheticEpisode e;
  e.time_zone = config.time_zone;
  if (y.start) {
    try {
      e.start = parse_time(*y.start, config.zone());
    } catch (const Error& err) {
      throw Error(config.source.context("meteo.synthetic.start"), err.message());
    }
  } else {
    e.start = config.start_utc();
  }
  e.hours = y.hours.value_or(config.period.hours + 1);
  const auto set = [](double& field, const std::optional<double>& v) {
    if (v) field = *v;
  };
  set(e.pblh_night, y.pblh_night);
  set(e.pblh_peak, y.pblh_peak);
  set(e.wind_min, y.wind_min);
  set(e.wind_max, y.wind_max);
  set(e.dir_start, y.dir_start);
  set(e.veer_per_day, y.veer_per_day);
  set(e.veer_in_bl, y.veer_in_bl);
  set(e.z0, y.z0);
  set(e.h_night, y.h_night);
  set(e.h_peak, y.h_peak);
  set(e.t_mean, y.t_mean);
  set(e.t_amplitude, y.t_amplitude);
  set(e.inversion, y.inversion);
  set(e.inversion_depth, y.inversion_depth);
  set(e.rh_start, y.rh_start);
  set(e.rh_end, y.rh_end);
  set(e.rh_amplitude, y.rh_amplitude);
  set(e.p_surface, y.p_surface);
  e.kz = case_kz_params(config);
  try {
    e.validate();
  } catch (const Error& err) {
    // SyntheticEpisode::validate names the parameter in `where`: give it the case file's line.
    throw Error(config.source.context("meteo.synthetic." + err.context().where), err.message());
  }
  return e;
}

std::unique_ptr<meteo::MetProvider> make_met_provider(const CaseConfig& config, const Grid& grid) {
  const MeteoConfig& m = config.meteo;
  if (m.source.empty()) {
    const std::string hint = config.paths.meteorology.empty()
                                 ? ""
                                 : " (paths.meteorology is given: add [meteo] source = \"wrf\", \"cf\" or \"station\" "
                                   "and files = [...] to say how to read it)";
    throw Error(ErrorContext{config.source.file(), 0, "meteo"},
                "no meteorology: expected a [meteo] table with source = \"synthetic\", \"wrf\", \"cf\" or \"station\"" +
                    hint);
  }
  for (std::size_t n = 0; n < m.files.size(); ++n) require_file(config, "meteo.files[" + std::to_string(n) + "]", m.files[n]);
  const meteo::KzParams kz = case_kz_params(config);

  if (m.source == "synthetic") return std::make_unique<meteo::SyntheticMet>(grid, synthetic_episode(config));

  if (m.source == "wrf") {
    meteo::RegridOptions opt;
    if (m.z0) opt.z0_default = *m.z0;
    opt.kz = kz;
    const meteo::WrfDataset ds = meteo::open_wrf(m.files);
    return std::make_unique<meteo::MetSeries>(meteo::regrid_wrf(ds, grid, opt));
  }

  if (m.source == "cf") {
    std::vector<meteo::MetState> states;
    for (const std::string& f : m.files) {
      const meteo::CfSurface cf = meteo::read_cf_surface(f);
      meteo::MetSeries s = meteo::cf_met(cf, grid, m.z0.value_or(0.5), kz);
      for (const meteo::MetState& st : s.states()) states.push_back(st);
    }
    return std::make_unique<meteo::MetSeries>(std::move(states), joined(m.files));
  }

  // station
  meteo::StationOptions opt;
  const LonLat centre = grid.to_lonlat({0.5 * (grid.x_face(0) + grid.x_face(grid.nx())),
                                        0.5 * (grid.y_face(0) + grid.y_face(grid.ny()))});
  opt.lon = m.station.lon.value_or(centre.lon);
  opt.lat = m.station.lat.value_or(centre.lat);
  opt.z0 = m.z0.value_or(opt.z0);
  opt.time_zone = config.time_zone;
  opt.kz = kz;
  std::vector<meteo::StationHour> hours = meteo::read_station_csv(m.files.front(), opt);
  return std::make_unique<meteo::StationMet>(grid, std::move(hours), opt, m.files.front());
}

void check_met_coverage(const meteo::MetProvider& met, const CaseConfig& config) {
  const auto [first, last] = met.coverage();
  const UtcHour start = config.start_utc();
  const UtcHour end = start + config.period.hours;
  if (first <= start && last >= end) return;
  const UtcHour uncovered = first > start ? start : last + 1;
  const TimeZone tz = config.zone();
  const std::string source = config.meteo.source + (config.meteo.files.empty() ? "" : " (" + joined(config.meteo.files) + ")");
  throw Error(config.source.context("meteo.source"),
              "the meteorology " + source + " does not cover " + format_local(uncovered, tz) + " (" +
                  format_utc(uncovered) + "): it covers " + format_local(first, tz) + " to " + format_local(last, tz) +
                  ", the period needs every hour from " + format_local(start, tz) + " to " + format_local(end, tz));
}

emissions::InventoryFiles case_inventory_files(const CaseConfig& config) {
  namespace fs = std::filesystem;
  const EmissionsConfig& e = config.emissions;
  LANTIAN_CHECK(!e.empty(), (ErrorContext{config.source.file(), 0, "emissions"}),
                "no emission inventory: expected an [emissions] table with folder = \"...\" (or the CSV file names)");
  emissions::InventoryFiles f;
  if (!e.folder.empty()) {
    std::error_code ec;
    const std::string key = config.source.line("emissions.folder") > 0 ? "emissions.folder" : "paths.emissions";
    LANTIAN_CHECK(fs::is_directory(e.folder, ec), config.source.context(key), "no such folder: " + e.folder);
    f = emissions::InventoryFiles::in_directory(e.folder);
  }
  const auto take = [&](std::string& slot, const std::string& path, const char* key) {
    if (path.empty()) return;
    require_file(config, std::string("emissions.") + key, path);
    slot = path;
  };
  take(f.enterprises, e.enterprises, "enterprises");
  take(f.stacks, e.stacks, "stacks");
  take(f.lines, e.lines, "lines");
  take(f.area_sources, e.area_sources, "area_sources");
  take(f.roads, e.roads, "roads");
  take(f.profiles, e.profiles, "profiles");
  LANTIAN_CHECK(!f.enterprises.empty() || !f.area_sources.empty() || !f.roads.empty(),
                config.source.context("emissions.folder"),
                "no inventory file found in " + e.folder +
                    ": expected enterprises.csv, area_sources.csv or roads.csv (with stacks.csv, lines.csv, profiles.csv)");
  return f;
}

emissions::Inventory read_case_inventory(const CaseConfig& config, const Grid& grid) {
  return emissions::read_inventory(case_inventory_files(config), &grid);
}

CaseInputs assemble_case(const CaseConfig& config) {
  Grid grid = config.make_grid();
  std::unique_ptr<meteo::MetProvider> met = make_met_provider(config, grid);
  check_met_coverage(*met, config);
  emissions::Inventory inventory = read_case_inventory(config, grid);
  return CaseInputs{config, std::move(grid), config.time_axis(), std::move(met), std::move(inventory)};
}

}  // namespace lantian
