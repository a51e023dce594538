#include "forecast/forecast.hpp"

#include <chrono>
#include <cmath>

#include "core/error.hpp"
#include "core/species.hpp"
#include "scenarios/observations.hpp"

namespace lantian {

namespace {


/// The PM2.5 parts of a tag and the pollutant each comes from.
struct Part {
  Species species;
  double factor;  ///< mass factor in the PM2.5 reconstruction
  emissions::EmittedPollutant pollutant;
  const char* name;
};
constexpr std::array<Part, 4> kParts{{
    {Species::ppm25, 1.0, emissions::EmittedPollutant::pm25, "primary PM2.5"},
    {Species::so4, kAmmoniumSulfateFactor, emissions::EmittedPollutant::so2, "sulfate"},
    {Species::no3, kAmmoniumNitrateFactor, emissions::EmittedPollutant::nox, "nitrate"},
    {Species::soa, 1.0, emissions::EmittedPollutant::vocs, "SOA"},
}};

std::vector<double> flatten(const std::vector<std::vector<double>>& series) {
  std::vector<double> out;
  for (const auto& s : series) out.insert(out.end(), s.begin(), s.end());
  return out;
}

}  // namespace

Contributions pollutant_contributions(const EulerianRun& run) {
  Contributions c;
  const std::size_t ntags = run.tag_series.size();
  if (ntags == 0) return c;
  c.stations = run.station_ids.size();
  c.hours = run.times.size();
  for (std::size_t k = 0; k < ntags; ++k) {
    const bool background = static_cast<int>(k) == run.tags.boundary_tag;
    if (background) {
      // The background is not controllable: one part, its whole PM2.5.
      c.background_tag = static_cast<int>(c.tags);
      c.tag_names.push_back(run.tags.names[k]);
      for (std::size_t s = 0; s < c.stations; ++s)
        for (std::size_t h = 0; h < c.hours; ++h) {
          double v = 0.0;
          for (const Part& p : kParts) v += p.factor * run.tag_series[k][index(p.species)][s][h];
          c.data.push_back(v);
        }
      ++c.tags;
      continue;
    }
    for (const Part& p : kParts) {
      c.tag_names.push_back(run.tags.names[k] + ": " + p.name);
      for (std::size_t s = 0; s < c.stations; ++s)
        for (std::size_t h = 0; h < c.hours; ++h)
          c.data.push_back(p.factor * run.tag_series[k][index(p.species)][s][h]);
      ++c.tags;
    }
  }
  return c;
}

std::vector<double> superposition_weights(const EulerianRun& run, const std::vector<emissions::Rates>& rates,
                                          const ScenarioFactors& factors, std::span<const double> inflow) {
  const std::size_t ntags = run.tag_series.size(), nh = run.times.size();
  std::vector<double> w;
  for (std::size_t k = 0; k < ntags; ++k) {
    if (static_cast<int>(k) == run.tags.boundary_tag) {
      if (inflow.empty())
        w.insert(w.end(), nh, 1.0);
      else
        for (std::size_t h = 0; h < nh; ++h) w.push_back(inflow[h]);
      continue;
    }
    for (const Part& p : kParts) {
      const std::size_t pi = emissions::index(p.pollutant);
      for (std::size_t h = 0; h < nh; ++h) {
        const auto& f = factors.factors_at(static_cast<std::int64_t>(h));
        double num = 0.0, den = 0.0;
        for (std::size_t s = 0; s < rates.size(); ++s) {
          if (run.tags.tag_of_source[s] != static_cast<int>(k)) continue;
          num += f[s][pi] * rates[s][pi];
          den += rates[s][pi];
        }
        w.push_back(den > 0.0 ? num / den : 1.0);
      }
    }
  }
  return w;
}

CostEstimate cost_estimate(const Scenario& sc) {
  bool priced = sc.plans, unpriced = sc.uniform || sc.uniform_fractions.has_value() || sc.sector_measures;
  for (const CustomMeasure& m : sc.measures) {
    if (m.action.kind == ActionKind::none) continue;
    const TargetKind k = m.target.kind;
    const bool surface = k == TargetKind::sector || k == TargetKind::district || k == TargetKind::category;
    if (m.action.kind == ActionKind::cut || surface) unpriced = true;
    if (m.action.kind != ActionKind::cut && k != TargetKind::sector) priced = true;  // lines' load
  }
  if (!unpriced) return CostEstimate::estimated;
  return priced ? CostEstimate::partial : CostEstimate::not_estimated;
}

std::string_view cost_estimate_name(CostEstimate c) noexcept {
  switch (c) {
    case CostEstimate::estimated: return "estimated";
    case CostEstimate::partial: return "partial (lines only)";
    case CostEstimate::not_estimated: return "not estimated";
  }
  return "not estimated";
}

void response_state_options(const ScenarioSet& set, const CaseConfig& config, MetricsOptions& mo) {
  const auto level_of = [&](ResponseLevel l, std::string_view key) {
    const int k = mo.rules.level_index(response_level_name(l));
    LANTIAN_CHECK(k > 0, config.source.context(key),
                  "level " + std::string(response_level_name(l)) + " is not a level of the warning rules");
    return k;
  };
  mo.in_force = {};
  if (set.in_force) mo.in_force = {level_of(set.in_force->level, "response.in_force"), set.in_force->since - mo.start};
  mo.imposed.clear();
  for (const ImposedResponse& p : set.imposed)
    mo.imposed.push_back({p.start - mo.start, p.end - mo.start, level_of(p.level, "response.imposed")});
}

ForecastResult run_forecast(const CaseInputs& in, const ForecastOptions& options) {
  ForecastResult r;
  // The observed history (read before the baseline: a bad file fails at once).
  std::vector<StationObservations> observed;
  if (!in.config.paths.observations.empty())
    observed = read_observations_csv(in.config.paths.observations, in.period.zone());
  // 1. Baseline.
  EulerianRunOptions bo;
  bo.record_tag_series = true;
  bo.tags = options.tags;
  bo.on_start = options.on_baseline_start;
  bo.on_hour = options.on_baseline_hour;
  if (options.progress) bo.progress = [&](const RunProgress& p) { options.progress("baseline", p); };
  r.baseline = run_eulerian(in, bo);
  const std::size_t ns = r.baseline.station_ids.size(), nh = r.baseline.times.size();
  LANTIAN_CHECK(ns > 0, in.config.source.context("stations"), "the scenarios need at least one station");
  r.baseline_pm25 = flatten(r.baseline.model->station_series());

  // 2. The city's warning and response windows. A station value after hour h stands for hour h.
  MetricsOptions& mo = r.metrics_options;
  mo.start = in.period.start();
  mo.tz = in.period.zone();
  if (in.rules) {  // read and checked by assemble_case, before the baseline
    mo.rules = in.rules->warning;
    mo.validity = in.rules->validity;
  }
  // The response state in force and the imposed levels ([response]): read and checked by
  // assemble_case, before the baseline (a case read from a string: here).
  r.scenarios = in.scenarios ? *in.scenarios : load_scenario_set(in.config, in.inventory);
  if (options.scenarios) r.scenarios.scenarios = *options.scenarios;
  response_state_options(r.scenarios, in.config, mo);
  const StationHourSeries base{r.baseline_pm25, ns, nh};
  if (!in.config.paths.observations.empty()) {
    r.history_hours = kHistoryHours;
    r.history_pm25 = observed_pm25(observed, r.baseline.station_ids, mo.start - static_cast<UtcHour>(kHistoryHours),
                                   kHistoryHours);
  }
  const StationHourSeries history{r.history_pm25, r.history_hours > 0 ? ns : 0, r.history_hours};
  const std::vector<double> city = station_mean(base);
  r.city = series_metrics(city, mo, r.history_hours > 0 ? station_mean(history) : std::vector<double>{});
  r.windows = response_windows(r.city.timeline, in.period, mo.rules);
  r.sources_at_peak = peak_sources(r.baseline, r.baseline_pm25, mo, history);

  // 3-4. Scenarios.
  const MeasureInputs inputs = r.scenarios.inputs(in.inventory);
  const Contributions contributions = pollutant_contributions(r.baseline);
  AccountOptions ao;
  ao.gridded = in.gridded;
  for (const Scenario& sc : r.scenarios.scenarios) {
    ScenarioOutcome o;
    o.scenario = sc;
    const ScenarioFactors factors = eulerian_factors(sc, inputs, r.baseline.sources, in.period, r.windows);
    const std::vector<double> inflow =
        sc.regional_cut > 0.0 ? inflow_factors(sc, in.period, r.windows, inputs.settings) : std::vector<double>{};
    o.account = account(sc, inputs, in.period, r.windows, ao);
    if (options.reruns) {
      EulerianRunOptions so;
      so.tags = TagKind::none;  // the re-run needs the total only
      so.factors = [&](std::size_t h) { return factors.factors_at(static_cast<std::int64_t>(h)); };
      so.inflow_factors = inflow;
      if (options.progress) so.progress = [&](const RunProgress& p) { options.progress(sc.name, p); };
      const EulerianRun run = run_eulerian(in, so);
      o.pm25 = flatten(run.model->station_series());
      o.wall_s = run.wall_s;
    }
    if (contributions.tags > 0) {
      const auto t0 = std::chrono::steady_clock::now();
      o.superposed = superpose(contributions, superposition_weights(r.baseline, r.baseline.annual_rates, factors, inflow));
      r.superposition_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (options.reruns) {
        o.superposition_error = compare_with_rerun(StationHourSeries{o.superposed, ns, nh}, StationHourSeries{o.pm25, ns, nh});
        o.has_superposition_error = true;
      } else {
        o.pm25 = o.superposed;
      }
    }
    LANTIAN_CHECK(!o.pm25.empty(), in.config.source.context("model.tags"),
                  "scenarios without re-runs need source tags ([model] tags) for superposition");
    PlanFigures plan;
    const std::array<emissions::EmittedPollutant, 4> floors{emissions::EmittedPollutant::so2,
                                                            emissions::EmittedPollutant::nox,
                                                            emissions::EmittedPollutant::pm25,
                                                            emissions::EmittedPollutant::vocs};
    for (std::size_t k = 0; k < floors.size(); ++k) {
      plan.achieved_cut[k] = o.account.achieved[emissions::index(floors[k])];
      plan.floor[k] = o.account.floor[emissions::index(floors[k])];
    }
    plan.cost_yuan = o.account.cost;
    o.metrics = scenario_metrics(base, StationHourSeries{o.pm25, ns, nh}, mo, plan, r.baseline.station_ids, history);
    r.outcomes.push_back(std::move(o));
  }
  return r;
}

}  // namespace lantian
