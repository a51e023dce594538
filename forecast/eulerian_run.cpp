#include "forecast/eulerian_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "scenarios/observations.hpp"
#include "solver/boundary.hpp"
#include "solver/initial_state.hpp"
#include "solver/regional_boundary.hpp"

namespace lantian {


Species parse_species(std::string_view name, const SourceMap& source, const std::string& key) {
  std::vector<std::string_view> names;
  for (const Species s : kAllSpecies) {
    if (iequals(name, species_name(s))) return s;
    names.push_back(species_name(s));
  }
  throw Error(source.context(key), "unknown species '" + std::string(name) + "'; did you mean '" +
                                       nearest_name(name, names) + "'? (SO2, NOx, VOC, NH3, PPM25, PMC, SO4, NO3, SOA)");
}

PerSpecies species_values(const std::vector<std::pair<std::string, double>>& list, const SourceMap& source,
                                  const std::string& section) {
  PerSpecies out{};
  for (const auto& [name, value] : list) out[index(parse_species(name, source, section + "." + name))] = value;
  return out;
}

solver::EulerianConfig eulerian_config(const CaseConfig& config) {
  const ModelConfig& m = config.model;
  solver::EulerianConfig c;
  c.dt = m.dt;
  c.kh = m.kh;
  // `processes` switches processes on; its order is not the splitting order. The step runs the
  // fixed, Strang-symmetric sequence of solver/eulerian_model.hpp (EulerianConfig::splitting())
  // over the processes listed, and the run prints that sequence (EulerianModel::
  // splitting_sequence()), so a list written in another order is visibly not the order run.
  if (!m.processes.empty()) {
    c.emissions = c.advection = c.vertical_diffusion = c.horizontal_diffusion = c.chemistry = c.deposition = false;
    for (const std::string& p : m.processes) {
      if (p == "emissions") c.emissions = true;
      else if (p == "advection") c.advection = true;
      else if (p == "vertical_diffusion") c.vertical_diffusion = true;
      else if (p == "horizontal_diffusion") c.horizontal_diffusion = true;
      else if (p == "chemistry") c.chemistry = true;
      else if (p == "deposition") c.deposition = true;
      else
        throw Error(config.source.context("model.processes"),
                    "unknown process '" + p + "'; did you mean '" +
                        nearest_name(p, {"emissions", "advection", "vertical_diffusion", "horizontal_diffusion",
                                         "chemistry", "deposition"}) +
                        "'?");
    }
  }
  return c;
}

TagPlan make_tag_plan(TagKind kind, const CaseConfig& config, const emissions::Inventory& inv,
                      const emissions::EulerianEmissions& em, bool has_background) {
  TagPlan plan;
  if (kind == TagKind::none) return plan;
  const auto& sources = em.sources();
  if (kind == TagKind::sector) {
    plan.names = em.sector_tag_names();  // power only when a source has it
    plan.tag_of_source = em.tags_by_sector();
  } else if (kind == TagKind::district) {
    std::map<std::string, int> index;
    for (const auto& s : sources)
      if (!s.district.empty() && !index.count(s.district)) index.emplace(s.district, 0);
    for (auto& [name, k] : index) {
      k = static_cast<int>(plan.names.size());
      plan.names.push_back(name);
    }
    const int other = static_cast<int>(plan.names.size());
    plan.names.emplace_back("other");
    for (const auto& s : sources) plan.tag_of_source.push_back(s.district.empty() ? other : index.at(s.district));
  } else {  // enterprise
    std::map<std::size_t, int> index;
    for (std::size_t n = 0; n < config.model.tag_enterprises.size(); ++n) {
      const std::string& id = config.model.tag_enterprises[n];
      const auto e = inv.find_enterprise(id);
      LANTIAN_CHECK(e.has_value(), config.source.context("model.tag_enterprises"),
                    "enterprise '" + id + "' is not in the inventory");
      if (index.emplace(*e, static_cast<int>(plan.names.size())).second) plan.names.push_back(id);
    }
    const int other = static_cast<int>(plan.names.size());
    plan.names.emplace_back("other");
    for (const auto& s : sources) {
      const auto it = s.enterprise ? index.find(*s.enterprise) : index.end();
      plan.tag_of_source.push_back(it == index.end() ? other : it->second);
    }
  }
  if (has_background) {
    plan.boundary_tag = static_cast<int>(plan.names.size());
    plan.names.emplace_back("background");
  }
  return plan;
}

namespace {

/// The boundary provider of [model]: a CSV time series, a lantian or a regional model's NetCDF
/// file ([model.boundary] format, solver::open_boundary_file), else constant inflow.
std::shared_ptr<const solver::BoundaryProvider> make_boundary(const CaseInputs& in, const PerSpecies& inflow) {
  const std::string& file = in.config.model.boundary_file;
  if (file.empty()) {
    if (std::all_of(inflow.begin(), inflow.end(), [](double v) { return v == 0.0; })) return nullptr;
    return std::make_shared<solver::ConstantBoundary>(in.grid, inflow);
  }
  const BoundaryFileConfig& b = in.config.model.boundary;
  return solver::open_boundary_file(file, in.grid, in.period.zone(), b.format, solver::regional_boundary_options(b));
}

/// A boundary provider whose values are scaled by the factor of their hour (a regional cut).
class ScaledBoundary final : public solver::BoundaryProvider {
 public:
  ScaledBoundary(std::shared_ptr<const solver::BoundaryProvider> base, UtcHour start, std::vector<double> factors)
      : base_(std::move(base)), start_(start), factors_(std::move(factors)) {}
  solver::BoundaryValues at(UtcHour t) const override {
    solver::BoundaryValues v = base_->at(t);
    // The hour starting at t; the instant at the period's end takes the last hour's factor.
    const auto n = static_cast<std::int64_t>(factors_.size());
    const double f = factors_[static_cast<std::size_t>(std::clamp<std::int64_t>(t - start_, 0, n - 1))];
    if (f == 1.0) return v;
    for (const solver::Side s : solver::kAllLateralSides)
      for (const Species sp : kAllSpecies)
        for (int k = 0; k < v.nz(); ++k)
          for (int a = 0; a < v.along(s); ++a) v(s, sp, a, k) *= f;
    return v;
  }

 private:
  std::shared_ptr<const solver::BoundaryProvider> base_;
  UtcHour start_;
  std::vector<double> factors_;
};

/// The observations at the start hour as the Cressman analysis wants them.
/// The hour whose observations start the run: the one ending at the period's start.
UtcHour start_analysis_hour(const CaseConfig& config) { return parse_time(config.period.start, config.zone()) - 1; }

solver::InitialObservations start_observations(const CaseInputs& in) {
  const auto stations = read_observations_csv(in.config.paths.observations, in.period.zone());
  solver::InitialObservations obs;
  const UtcHour t0 = start_analysis_hour(in.config);
  for (const auto& st : stations) {
    const auto it = std::find_if(in.config.stations.begin(), in.config.stations.end(),
                                 [&](const StationConfig& c) { return c.id == st.station; });
    if (it == in.config.stations.end() || t0 < st.start || t0 >= st.end()) continue;
    const XY p = in.grid.project(it->lon, it->lat);
    const auto h = static_cast<std::size_t>(t0 - st.start);
    auto value = [&](Pollutant q) {
      return st.present[static_cast<std::size_t>(q)] ? st.conc[static_cast<std::size_t>(q)][h]
                                                    : std::numeric_limits<double>::quiet_NaN();
    };
    obs.pm25.push_back({st.station, p, value(Pollutant::PM25)});
    obs.pm10.push_back({st.station, p, value(Pollutant::PM10)});
    obs.so2.push_back({st.station, p, value(Pollutant::SO2)});
    obs.no2.push_back({st.station, p, value(Pollutant::NO2)});
  }
  return obs;
}

}  // namespace

std::vector<std::string> start_analysis_warnings(const CaseConfig& config,
                                                 const std::vector<StationObservations>& observations) {
  std::vector<std::string> w;
  if (config.model.initial != InitialKind::observations) return w;
  const UtcHour t = start_analysis_hour(config);
  for (const StationConfig& c : config.stations) {
    const auto o = std::find_if(observations.begin(), observations.end(),
                                [&](const StationObservations& x) { return x.station == c.id; });
    double v = std::numeric_limits<double>::quiet_NaN();
    if (o != observations.end() && o->present[static_cast<std::size_t>(Pollutant::PM25)] && t >= o->start && t < o->end())
      v = o->conc[static_cast<std::size_t>(Pollutant::PM25)][static_cast<std::size_t>(t - o->start)];
    if (!std::isfinite(v))
      w.push_back("start: station " + c.id + " has no PM2.5 observation for the hour from " +
                  format_local(t, config.zone()) + " (the last hour before the start): the start analysis leaves it out");
  }
  return w;
}

EulerianRun run_eulerian(const CaseInputs& in, const EulerianRunOptions& options) {
  const auto t_start = std::chrono::steady_clock::now();
  const CaseConfig& cfg = in.config;
  const PerSpecies inflow = species_values(cfg.model.inflow, cfg.source, "model.inflow");
  const PerSpecies background = species_values(cfg.model.background, cfg.source, "model.background");
  emissions::EulerianEmissions emissions(in.inventory, in.grid, in.period.zone(), in.gridded);
  std::shared_ptr<const solver::BoundaryProvider> boundary = make_boundary(in, inflow);
  if (boundary && !options.inflow_factors.empty()) {
    LANTIAN_CHECK(options.inflow_factors.size() == static_cast<std::size_t>(in.period.size()),
                  (ErrorContext{"", 0, "inflow factors"}),
                  "expected one per hour of the period (" + std::to_string(in.period.size()) + "), found " +
                      std::to_string(options.inflow_factors.size()));
    boundary = std::make_shared<ScaledBoundary>(boundary, in.period.start(), options.inflow_factors);
  }

  solver::SpeciesFields initial = solver::background_state(in.grid, background);
  const bool from_obs = cfg.model.initial == InitialKind::observations;
  if (from_obs) {
    const meteo::MetState m0 = in.met->at(in.period.start());
    initial = solver::analyse_initial_state(in.grid, initial, m0.pblh, start_observations(in));
  }
  const bool has_background = boundary != nullptr || from_obs ||
                              std::any_of(background.begin(), background.end(), [](double v) { return v > 0.0; });

  EulerianRun run;
  run.sources = emissions.sources();
  run.annual_rates = emissions.annual_rates();
  run.tags = make_tag_plan(options.tags.value_or(cfg.model.tags), cfg, in.inventory, emissions, has_background);
  solver::EulerianConfig sc = eulerian_config(cfg);
  sc.n_tags = static_cast<int>(run.tags.names.size());
  sc.boundary_tag = run.tags.boundary_tag;
  std::vector<solver::SpeciesFields> initial_tags;
  if (sc.n_tags > 0 && sc.boundary_tag >= 0) {
    // Every tag starts at zero but the background tag, which holds the whole initial state.
    for (int t = 0; t < sc.n_tags; ++t)
      initial_tags.push_back(t == sc.boundary_tag ? initial
                                                  : solver::zero_species_fields(in.grid.nx(), in.grid.ny(), in.grid.nz()));
  }
  run.model = std::make_unique<solver::EulerianModel>(in.grid, sc, std::move(initial), std::move(initial_tags), boundary);

  std::vector<solver::StationCell> cells;
  for (std::size_t n = 0; n < cfg.stations.size(); ++n) {
    const StationConfig& st = cfg.stations[n];
    const XY p = in.grid.project(st.lon, st.lat);
    const auto c = in.grid.cell_of(p.x, p.y);
    LANTIAN_CHECK(c.has_value(), cfg.source.context("stations[" + std::to_string(n) + "].lon"),
                  "station '" + st.id + "' lies outside the grid (lantian check says where the grid ends)");
    cells.push_back({c->i, c->j});
    run.station_ids.push_back(st.id);
  }
  run.model->set_stations(cells);
  if (options.on_start) options.on_start(run.tags, *run.model);

  const std::size_t nh = static_cast<std::size_t>(in.period.size());
  const std::size_t ns = cells.size();
  run.species_series.assign(kSpeciesCount, std::vector<std::vector<double>>(ns));
  if (options.record_tag_series)
    run.tag_series.assign(static_cast<std::size_t>(sc.n_tags),
                          std::vector<std::vector<std::vector<double>>>(kSpeciesCount,
                                                                        std::vector<std::vector<double>>(ns)));
  for (std::size_t h = 0; h < nh; ++h) {
    const UtcHour t = in.period[static_cast<std::int64_t>(h)];
    emissions::EmissionSelection all;
    if (options.factors) all.factors = options.factors(h);
    const meteo::MetState met = in.met->at(t);
    const auto ambient = stack_ambient(in.inventory, in.grid, met);
    const emissions::EmissionRates total = emissions.at(t, ambient, all);
    std::vector<emissions::EmissionRates> per_tag;
    for (int k = 0; k < sc.n_tags; ++k) {
      if (k == sc.boundary_tag) {
        per_tag.emplace_back();  // emits nothing
        continue;
      }
      emissions::EmissionSelection sel = all;
      sel.tag_of_source = run.tags.tag_of_source;
      sel.tag = k;
      per_tag.push_back(emissions.at(t, ambient, sel));
    }
    run.model->advance(met, total, per_tag, t);
    run.times.push_back(t);
    for (std::size_t sp = 0; sp < kSpeciesCount; ++sp)
      for (std::size_t n = 0; n < ns; ++n) {
        run.species_series[sp][n].push_back(run.model->fields()[sp](cells[n].i, cells[n].j, 0));
        for (std::size_t k = 0; k < run.tag_series.size(); ++k)
          run.tag_series[k][sp][n].push_back(run.model->tags()[k][sp](cells[n].i, cells[n].j, 0));
      }
    if (options.on_hour) options.on_hour(t, *run.model);
    if (options.progress) {
      RunProgress p;
      p.hours_done = h + 1;
      p.hours = nh;
      p.time = t;
      p.local_time = format_local(t, in.period.zone());
      p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
      p.remaining_s = p.elapsed_s / static_cast<double>(h + 1) * static_cast<double>(nh - h - 1);
      for (int j = 0; j < in.grid.ny(); ++j)
        for (int i = 0; i < in.grid.nx(); ++i) p.max_surface_pm25 = std::max(p.max_surface_pm25, run.model->surface_pm25(i, j));
      options.progress(p);
    }
  }
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return run;
}

}  // namespace lantian
