// Assembling a case's inputs from its case file: see case_inputs.hpp.
#include "forecast/case_inputs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/ioapi_netcdf.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/regrid.hpp"
#include "solver/regional_boundary.hpp"
#include "meteo/station_network.hpp"
#include "meteo/station_profile.hpp"
#include "meteo/wrf_reader.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/plume_job.hpp"
#include "scenarios/observations.hpp"
#include "forecast/run_resources.hpp"

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

std::unique_ptr<meteo::MetProvider> make_met_provider(const CaseConfig& config, const Grid& grid,
                                                      std::vector<std::string>* warnings) {
  const MeteoConfig& m = config.meteo;
  if (m.source == MetSource::none) {
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

  if (m.source == MetSource::synthetic) return std::make_unique<meteo::SyntheticMet>(grid, synthetic_episode(config));

  if (m.source == MetSource::wrf) {
    meteo::RegridOptions opt;
    if (m.z0) opt.z0_default = *m.z0;
    opt.kz = kz;
    const meteo::WrfDataset ds = meteo::open_wrf(m.files);
    return std::make_unique<meteo::MetSeries>(meteo::regrid_wrf(ds, grid, opt));
  }

  if (m.source == MetSource::cf) {
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
  if (m.stations.empty()) {
    std::vector<meteo::StationHour> hours = meteo::read_station_csv(m.files.front(), opt, warnings);
    return std::make_unique<meteo::StationMet>(grid, std::move(hours), opt, m.files.front());
  }
  // Several stations: each read and diagnosed at its own position, combined by inverse distance.
  std::vector<meteo::StationMet> stations;
  std::vector<LonLat> positions;
  for (std::size_t n = 0; n < m.files.size(); ++n) {
    opt.lon = m.stations[n].lon.value_or(centre.lon);
    opt.lat = m.stations[n].lat.value_or(centre.lat);
    positions.push_back({opt.lon, opt.lat});
    stations.emplace_back(grid, meteo::read_station_csv(m.files[n], opt, warnings), opt, m.files[n]);
  }
  return std::make_unique<meteo::StationNetworkMet>(grid, std::move(stations), std::move(positions), kz, joined(m.files));
}

void check_met_coverage(const meteo::MetProvider& met, const CaseConfig& config) {
  const auto [first, last] = met.coverage();
  const UtcHour start = config.start_utc();
  const UtcHour end = start + config.period.hours;
  if (first <= start && last >= end) return;
  const UtcHour uncovered = first > start ? start : last + 1;
  const TimeZone tz = config.zone();
  const std::string source = std::string(name(config.meteo.source)) + (config.meteo.files.empty() ? "" : " (" + joined(config.meteo.files) + ")");
  throw Error(config.source.context("meteo.source"),
              "the meteorology " + source + " does not cover " + format_local(uncovered, tz) + " (" +
                  format_utc(uncovered) + "): it covers " + format_local(first, tz) + " to " + format_local(last, tz) +
                  ", the period needs every hour from " + format_local(start, tz) + " to " + format_local(end, tz));
}

emissions::InventoryFiles case_inventory_files(const CaseConfig& config) {
  namespace fs = std::filesystem;
  const EmissionsConfig& e = config.emissions;
  LANTIAN_CHECK(!e.empty(), (ErrorContext{config.source.file(), 0, "emissions"}),
                "no emission inventory: expected an [emissions] table with folder = \"...\" (or the CSV file names, "
                "or [[emissions.gridded]] files)");
  emissions::InventoryFiles f;
  if (e.csv_empty()) return f;
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
  const emissions::InventoryFiles files = case_inventory_files(config);
  if (config.emissions.csv_empty()) return {};
  return emissions::read_inventory(files, &grid);
}

namespace {

/// The index of a pollutant key of [[emissions.gridded]] (`what` at `key` names it in errors).
std::size_t gridded_pollutant(const CaseConfig& config, const std::string& key, const std::string& pollutant) {
  const auto it = std::find(kGriddedPollutantKeys.begin(), kGriddedPollutantKeys.end(), pollutant);
  if (it == kGriddedPollutantKeys.end()) {
    const std::string near = nearest_name(pollutant, std::span<const std::string_view>(kGriddedPollutantKeys));
    std::string valid;
    for (std::string_view k : kGriddedPollutantKeys) valid += (valid.empty() ? "" : ", ") + std::string(k);
    throw Error(config.source.context(key),
                "unknown pollutant '" + pollutant + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                    ": expected " + valid);
  }
  return static_cast<std::size_t>(it - kGriddedPollutantKeys.begin());
}

/// The sector and the variable names of [[emissions.gridded]] entry n, over the reader's defaults.
void apply_gridded_names(const CaseConfig& config, std::size_t n, std::optional<emissions::Sector>& sector,
                         std::array<std::string, emissions::kEmittedPollutantCount>& variables) {
  const GriddedEmissionsConfig& g = config.emissions.gridded.at(n);
  const std::string key = "emissions.gridded[" + std::to_string(n) + "]";
  if (!g.sector.empty()) {
    sector = emissions::parse_sector(g.sector);
    if (!sector) {
      const auto names = emissions::sector_names();
      const std::string near = nearest_name(g.sector, std::span<const std::string_view>(names));
      throw Error(config.source.context(key + ".sector"),
                  "unknown sector \"" + g.sector + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)"));
    }
  }
  for (const auto& [pollutant, variable] : g.variables)
    variables[gridded_pollutant(config, key + ".variables." + pollutant, pollutant)] = variable;
}

/// The IOAPI reader options of [[emissions.gridded]] entry n (format = "ioapi").
emissions::IoapiOptions ioapi_options(const CaseConfig& config, std::size_t n) {
  const GriddedEmissionsConfig& g = config.emissions.gridded.at(n);
  const std::string key = "emissions.gridded[" + std::to_string(n) + "]";
  emissions::IoapiOptions opt;
  apply_gridded_names(config, n, opt.sector, opt.variables);
  if (!g.units.empty()) {
    LANTIAN_CHECK(emissions::parse_ioapi_unit(g.units).has_value(), config.source.context(key + ".units"),
                  "unknown units \"" + g.units +
                      "\": expected a rate per cell (moles/s, mol/s, g/s, kg/h, t/yr) or per area (mol m-2 s-1, "
                      "g m-2 s-1)");
    opt.units = g.units;
  }
  for (const auto& [pollutant, mass] : g.molar_mass)
    opt.molar_mass[gridded_pollutant(config, key + ".molar_mass." + pollutant, pollutant)] = mass;
  return opt;
}

/// The temporal profile and vertical distribution of [[emissions.gridded]] entry n into `source`:
/// the profile named (from the case's profiles.csv: [emissions] profiles, else the folder's), "flat",
/// or none (the sector's default); the layers given, or none (the sector's default).
void apply_gridded_placement(const CaseConfig& config, std::size_t n, emissions::GriddedSource& source) {
  const GriddedEmissionsConfig& g = config.emissions.gridded.at(n);
  std::string key = "emissions.gridded[";
  key += std::to_string(n);
  key += "]";
  if (!g.profile.empty()) {
    namespace fs = std::filesystem;
    std::string path = config.emissions.profiles;
    if (path.empty() && !config.emissions.folder.empty()) {
      const fs::path in_folder = fs::path(config.emissions.folder) / "profiles.csv";
      std::error_code ec;
      if (fs::is_regular_file(in_folder, ec)) path = in_folder.string();
    }
    std::vector<emissions::TemporalProfile> profiles;
    if (!path.empty()) {
      require_file(config, config.emissions.profiles.empty() ? "emissions.folder" : "emissions.profiles", path);
      profiles = emissions::read_temporal_profiles(path);
    }
    const auto it = std::find_if(profiles.begin(), profiles.end(),
                                 [&](const emissions::TemporalProfile& p) { return p.id == g.profile; });
    if (it != profiles.end()) {
      source.profile = *it;
    } else if (g.profile == "flat") {
      source.profile = emissions::TemporalProfile::flat();
    } else {
      std::vector<std::string> ids;
      for (const auto& p : profiles) ids.push_back(p.id);
      const std::string near = nearest_name(g.profile, std::span<const std::string>(ids));
      std::string msg = "unknown temporal profile \"";
      msg += g.profile;
      msg += "\"";
      if (!near.empty()) {
        msg += " (did you mean \"";
        msg += near;
        msg += "\"?)";
      }
      if (path.empty()) {
        msg += "; the case has no profiles.csv ([emissions] profiles or folder), only \"flat\" is known";
      } else {
        msg += "; expected a profile of ";
        msg += path;
        msg += " or \"flat\"";
      }
      throw Error(config.source.context(key + ".profile"), msg);
    }
  }
  if (g.layers) {
    std::vector<emissions::LayerFraction> layers;
    for (const auto& [top, fraction] : *g.layers) layers.push_back({top, fraction});
    source.layers = std::move(layers);
  }
}

}  // namespace

emissions::GriddedNetcdfOptions gridded_options(const CaseConfig& config, std::size_t n) {
  emissions::GriddedNetcdfOptions opt;
  apply_gridded_names(config, n, opt.sector, opt.variables);
  return opt;
}

emissions::GriddedSource read_case_gridded_source(const CaseConfig& config, std::size_t n) {
  const GriddedEmissionsConfig& g = config.emissions.gridded.at(n);
  if (g.format == GriddedFormat::ioapi) {
    emissions::IoapiOptions opt = ioapi_options(config, n);
    // An hourly file: only the steps of the run's hours are read, and they must all be there.
    opt.window = std::pair{config.start_utc(), config.start_utc() + config.period.hours - 1};
    require_file(config, "emissions.gridded[" + std::to_string(n) + "].file", g.file);
    emissions::GriddedSource src = emissions::read_ioapi_netcdf(g.file, opt);
    if (src.stepped() && !g.profile.empty()) {
      std::string msg = "profile \"";
      msg += g.profile;
      msg += "\" given for a time-stepped file (steps of ";
      msg += std::to_string(src.step_hours);
      msg += " h): its rates already vary by hour and day, no profile is applied on top; remove profile";
      throw Error(config.source.context("emissions.gridded[" + std::to_string(n) + "].profile"), msg);
    }
    apply_gridded_placement(config, n, src);
    return src;
  }
  const emissions::GriddedNetcdfOptions opt = gridded_options(config, n);
  require_file(config, "emissions.gridded[" + std::to_string(n) + "].file", g.file);
  emissions::GriddedSource src = emissions::read_gridded_netcdf(g.file, opt);
  apply_gridded_placement(config, n, src);
  return src;
}

std::vector<emissions::GriddedEmissions> read_case_gridded(const CaseConfig& config, const Grid& grid) {
  std::vector<emissions::GriddedEmissions> out;
  for (std::size_t n = 0; n < config.emissions.gridded.size(); ++n)
    out.push_back(emissions::regrid_gridded(read_case_gridded_source(config, n), grid));
  return out;
}

std::vector<emissions::StackAmbient> stack_ambient(const emissions::Inventory& inv, const Grid& grid,
                                                   const meteo::MetState& met) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  LANTIAN_CHECK(met.nx() == nx && met.ny() == ny && met.nz() == nz && met.u.nx() == nx + 1 && met.v.ny() == ny + 1,
                (ErrorContext{"", 0, "stack_ambient"}),
                "expected a meteorological state of the grid's shape (" + std::to_string(nx) + " x " +
                    std::to_string(ny) + " x " + std::to_string(nz) + "), found " + std::to_string(met.nx()) + " x " +
                    std::to_string(met.ny()) + " x " + std::to_string(met.nz()));
  const std::size_t nzs = static_cast<std::size_t>(nz);
  std::vector<double> zc(nzs);
  for (int k = 0; k < nz; ++k) zc[static_cast<std::size_t>(k)] = grid.z_centre(k);

  // Bilinear weights between the centres around (x, y), clamped at the grid's edge.
  struct Corner {
    int i, j;
    double w;
  };
  const auto corners = [&](double x, double y) {
    const auto axis = [](double f, int n, int& i0, double& a) {
      if (n == 1) {
        i0 = 0, a = 0.0;
        return;
      }
      i0 = static_cast<int>(std::clamp(std::floor(f), 0.0, static_cast<double>(n - 2)));
      a = std::clamp(f - i0, 0.0, 1.0);
    };
    int i0 = 0, j0 = 0;
    double a = 0.0, b = 0.0;
    axis((x - grid.x0()) / grid.dx() - 0.5, nx, i0, a);
    axis((y - grid.y0()) / grid.dy() - 0.5, ny, j0, b);
    const int i1 = std::min(i0 + 1, nx - 1), j1 = std::min(j0 + 1, ny - 1);
    return std::array<Corner, 4>{Corner{i0, j0, (1 - a) * (1 - b)}, Corner{i1, j0, a * (1 - b)},
                                 Corner{i0, j1, (1 - a) * b}, Corner{i1, j1, a * b}};
  };

  std::vector<emissions::StackAmbient> out;
  out.reserve(inv.stacks.size());
  std::vector<double> t(nzs), u(nzs), v(nzs);
  for (const emissions::Stack& st : inv.stacks) {
    const auto cs = corners(st.position.x, st.position.y);
    std::fill(t.begin(), t.end(), 0.0);
    std::fill(u.begin(), u.end(), 0.0);
    std::fill(v.begin(), v.end(), 0.0);
    double pblh = 0.0, u10 = 0.0, v10 = 0.0, t2 = 0.0;
    for (const Corner& c : cs) {
      for (int k = 0; k < nz; ++k) {
        const std::size_t kk = static_cast<std::size_t>(k);
        t[kk] += c.w * met.t(c.i, c.j, k);
        u[kk] += c.w * 0.5 * (met.u(c.i, c.j, k) + met.u(c.i + 1, c.j, k));
        v[kk] += c.w * 0.5 * (met.v(c.i, c.j, k) + met.v(c.i, c.j + 1, k));
      }
      pblh += c.w * met.pblh(c.i, c.j);
      u10 += c.w * met.u10(c.i, c.j);
      v10 += c.w * met.v10(c.i, c.j);
      t2 += c.w * met.t2(c.i, c.j);
    }
    // Linear in height between (za, fa) and (zb, fb), held outside.
    const auto lerp = [](double z, double za, double fa, double zb, double fb) {
      if (z <= za || zb <= za) return fa;
      if (z >= zb) return fb;
      return fa + (fb - fa) * (z - za) / (zb - za);
    };
    const double z = st.height;
    double ts = 0.0, us = 0.0, vs = 0.0;
    std::size_t k = 0;  // lower of the two centres around z
    if (z <= zc[0]) {
      ts = lerp(z, 2.0, t2, zc[0], t[0]);
      us = lerp(z, 10.0, u10, zc[0], u[0]);
      vs = lerp(z, 10.0, v10, zc[0], v[0]);
    } else {
      while (k + 2 < nzs && zc[k + 1] < z) ++k;
      const std::size_t k1 = std::min(k + 1, nzs - 1);
      ts = lerp(z, zc[k], t[k], zc[k1], t[k1]);
      us = lerp(z, zc[k], u[k], zc[k1], u[k1]);
      vs = lerp(z, zc[k], v[k], zc[k1], v[k1]);
    }
    double dtdz = 0.0;
    if (nzs >= 2) {
      const std::size_t k1 = std::min(k + 1, nzs - 1), k0 = k1 - 1;
      dtdz = (t[k1] - t[k0]) / (zc[k1] - zc[k0]);
    }
    emissions::StackAmbient a;
    a.wind_speed = std::hypot(us, vs);
    a.temperature = ts;
    a.dtheta_dz = dtdz + meteo::kGravity / meteo::kCpDryAir;
    a.mixing_height = pblh;
    out.push_back(a);
  }
  return out;
}

emissions::StackEmissions3D stack_emissions_at(const emissions::Inventory& inventory, const Grid& grid,
                                               const meteo::MetProvider& met, UtcHour t, const TimeZone& tz) {
  const meteo::MetState state = met.at(t);
  const emissions::LocalTime local = emissions::local_time(t, tz);
  return emissions::inject_stacks(inventory, emissions::stack_emissions(inventory), stack_ambient(inventory, grid, state),
                                  grid, &local);
}

std::optional<AqiWarningRules> load_case_rules(const CaseConfig& config) {
  if (config.rules_file.empty()) return std::nullopt;
  require_file(config, "rules_file", config.rules_file);
  return load_rules(config.rules_file);
}

std::optional<ScenarioSet> load_case_scenarios(const CaseConfig& config, const emissions::Inventory& inventory) {
  std::error_code ec;
  if (config.source.file().empty() || !std::filesystem::is_regular_file(config.source.file(), ec)) return std::nullopt;
  return load_scenario_set(config, inventory);
}

std::shared_ptr<const solver::BoundaryProvider> open_case_boundary(const CaseConfig& config, const Grid& grid) {
  const std::string& file = config.model.boundary_file;
  if (file.empty()) {
    const PerSpecies inflow = species_values(config.model.inflow, config.source, "model.inflow");
    if (std::all_of(inflow.begin(), inflow.end(), [](double v) { return v == 0.0; })) return nullptr;
    return std::make_shared<solver::ConstantBoundary>(grid, inflow);
  }
  require_file(config, config.source.line("model.boundary.file") > 0 ? "model.boundary.file" : "model.boundary_file",
               file);
  const BoundaryFileConfig& b = config.model.boundary;
  return solver::open_boundary_file(file, grid, config.zone(), b.format, solver::regional_boundary_options(b));
}

void validate_model_settings(const CaseConfig& config, const Grid& grid, const emissions::Inventory& inventory) {
  try {
    eulerian_config(config).validate();
  } catch (const Error& e) {
    if (!e.context().file.empty()) throw;  // eulerian_config's own errors name the case file
    throw Error(config.source.context("model"), e.what());
  }
  (void)species_values(config.model.inflow, config.source, "model.inflow");
  (void)species_values(config.model.background, config.source, "model.background");
  if (config.model.tags == TagKind::enterprise)
    for (const std::string& id : config.model.tag_enterprises)
      LANTIAN_CHECK(inventory.find_enterprise(id).has_value(), config.source.context("model.tag_enterprises"),
                    "enterprise '" + id + "' is not in the inventory");
  if (const auto boundary = open_case_boundary(config, grid)) {
    const UtcHour start = config.start_utc();
    for (int h = 0; h < config.period.hours; ++h) (void)boundary->at(start + h);
  }
  if (config.model.initial == InitialKind::observations) (void)read_observations_csv(config.paths.observations, config.zone());
}

CaseInputs assemble_case(const CaseConfig& config) {
  Grid grid = config.make_grid();
  emissions::Inventory inventory = read_case_inventory(config, grid);
  // Before the meteorology, the gridded files or the model allocate anything large.
  require_run_memory(estimate_run_resources(config, inventory), config);
  std::vector<std::string> warnings;
  std::unique_ptr<meteo::MetProvider> met = make_met_provider(config, grid, &warnings);
  check_met_coverage(*met, config);
  std::vector<emissions::GriddedEmissions> gridded = read_case_gridded(config, grid);
  validate_model_settings(config, grid, inventory);
  std::optional<ScenarioSet> scenarios = load_case_scenarios(config, inventory);
  std::optional<AqiWarningRules> rules = load_case_rules(config);
  // Buildings beside the stacks (the screening's downwash): <folder>/buildings.csv when present.
  std::vector<solver::Building> buildings;
  if (!config.emissions.folder.empty()) {
    const std::filesystem::path b = std::filesystem::path(config.emissions.folder) / "buildings.csv";
    if (std::filesystem::is_regular_file(b)) buildings = read_plume_buildings(b.string());
  }
  return CaseInputs{config,           std::move(grid),      config.time_axis(), std::move(met), std::move(inventory),
                    std::move(gridded), std::move(scenarios), std::move(rules), std::move(warnings),
                    std::move(buildings)};
}

}  // namespace lantian
