#pragma once
// The forecast with its control scenarios (预报与管控情景): the baseline Eulerian run of a case, the
// city's warning level and response windows from it, and every scenario of the case evaluated
// (issue 6):
//   1. baseline: run_eulerian (with the case's tags, whose station series are recorded);
//   2. the observed history: the case's observations ([paths] observations) of the 23 hours
//      before the start, joined before every series (baseline, scenarios, city) for the trailing
//      24-h means and daily AQI (scenarios/metrics.hpp), so that they exist from the first hour;
//      the city series = the mean of the stations (HJ 663's city concentration); its warning
//      decisions and response timeline (the foundation's classifier) give the response windows
//      in which measures act (scenarios/measures.hpp: start + lead hours, until the lift);
//   3. each scenario: its per-source factors, its achieved cuts and cost (account), an explicit
//      re-run with those factors, its metrics against the baseline (scenarios/metrics.hpp);
//   4. with tags, the instant what-if: the tags' station series split by the pollutant each
//      PM2.5 component comes from (primary PM2.5 ← PM2.5, 1.375 SO4 ← SO2, 1.29 NO3 ← NOx, SOA ←
//      VOCs) and weighted by the emission-weighted factor of the tag's sources for that
//      pollutant (annual-mean rates; weight at the concentration's hour), compared with the
//      re-run (scenarios/superposition.hpp).
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forecast/case_inputs.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/forecast_sources.hpp"
#include "scenarios/measures.hpp"
#include "scenarios/metrics.hpp"
#include "forecast/scenario_file.hpp"
#include "scenarios/superposition.hpp"

namespace lantian {

struct ForecastOptions {
  /// Progress of each model run: `stage` is "baseline" or the scenario's name.
  std::function<void(const std::string& stage, const RunProgress&)> progress;
  /// Hooks into the baseline run (e.g. the NetCDF writer).
  std::function<void(const TagPlan&, const solver::EulerianModel&)> on_baseline_start;
  std::function<void(UtcHour, const solver::EulerianModel&)> on_baseline_hour;
  bool reruns = true;  ///< re-run every scenario explicitly (off: superposition only; needs tags)
  /// The baseline's source tags: nullopt = the case's [model] tags (e.g. TagKind::sector for the
  /// plan builder when the case has none).
  std::optional<TagKind> tags;
  /// Evaluate these scenarios instead of the case's (e.g. the measures actually carried out,
  /// measures_scenario(read_implemented_measures(...)), for the post-episode evaluation).
  std::optional<std::vector<Scenario>> scenarios;
};

struct ScenarioOutcome {
  Scenario scenario;
  ScenarioAccount account;
  std::vector<double> pm25;        ///< [station][hour]: re-run (or superposed without re-runs)
  std::vector<double> superposed;  ///< [station][hour] from the tags; empty without tags
  ScenarioMetrics metrics;         ///< vs the baseline, of `pm25`
  /// Superposed vs re-run (with both); max_rel is NaN without.
  SuperpositionError superposition_error;
  bool has_superposition_error = false;
  double wall_s = 0.0;             ///< of the re-run
};

/// Observed hours joined before a forecast: a trailing 24-h mean at the first hour needs 23.
inline constexpr std::size_t kHistoryHours = 23;

struct ForecastResult {
  EulerianRun baseline;
  std::vector<double> baseline_pm25;   ///< [station][hour]
  /// [station][kHistoryHours] observed PM2.5 before the start (NaN where missing); empty when the
  /// case has no observations file.
  std::vector<double> history_pm25;
  std::size_t history_hours = 0;       ///< kHistoryHours with observations, else 0
  MetricsOptions metrics_options;
  SeriesMetrics city;                  ///< the station-mean series of the baseline
  std::vector<ResponseWindow> windows; ///< from the city's timeline
  /// The baseline's sources at the peak, each station then the city (forecast/forecast_sources.hpp);
  /// empty without tags.
  std::vector<PeakSources> sources_at_peak;
  ScenarioSet scenarios;
  std::vector<ScenarioOutcome> outcomes;
  double superposition_s = 0.0;        ///< wall time of all superpositions
};

/// How far a scenario's cost (lost output) is estimated: only production lines carry a cost
/// (emissions: lost_output_per_hour); uniform cuts, the built-in sector measures and custom
/// measures on surface sources (target sector, district or category, or an action "cut") have no
/// documented rate, so their cost is not estimated, never 0 (issue 13).
enum class CostEstimate : unsigned char {
  estimated,      ///< every measure acts on lines: the cost is the lines' lost output
  partial,        ///< lines and unpriced measures: the lines' lost output is a lower bound
  not_estimated,  ///< no priced measure: no cost is given
};
CostEstimate cost_estimate(const Scenario& scenario);
/// "estimated", "partial (lines only)", "not estimated".
std::string_view cost_estimate_name(CostEstimate c) noexcept;

/// Runs the baseline and every scenario (see the header comment). Throws lantian::Error.
ForecastResult run_forecast(const CaseInputs& inputs, const ForecastOptions& options = {});

/// The case's response state in force and imposed levels ([response]) as indices from mo.start
/// into mo (mo.rules set); throws lantian::Error naming the key when a level is not one of the rules.
void response_state_options(const ScenarioSet& set, const CaseConfig& config, MetricsOptions& mo);

/// The contributions of the baseline's tags to the stations' PM2.5, split by source pollutant
/// (4 parts per tag, 1 for the background tag), and the names of the parts.
Contributions pollutant_contributions(const EulerianRun& run);

/// The weights [part][hour] of a scenario for pollutant_contributions(run): per tag and
/// pollutant, Σ f·R / Σ R over the tag's sources (R: annual-mean rates; 1 where Σ R = 0); the
/// background tag's weight is `inflow[h]` (inflow_factors: a regional cut; empty = 1). Like the
/// other weights it acts at the concentration's hour, here also on the remnant of the initial
/// state that the background tag holds (the re-run scales the inflow alone).
std::vector<double> superposition_weights(const EulerianRun& run, const std::vector<emissions::Rates>& annual_rates,
                                          const ScenarioFactors& factors, std::span<const double> inflow = {});

}  // namespace lantian
