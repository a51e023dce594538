#pragma once
// The optimal-plan problem of a forecast (最优管控方案的构建, issue 6): candidate actions with their
// effects, removed masses and costs, built from the baseline forecast (run_forecast with tags)
// and the Gaussian screening (run_plume_screening), for scenarios/optimiser.hpp.
//
// Candidate actions (PlanCandidate), all tied to the response windows of the baseline (the city's
// timeline, as run_forecast computes them): active on [response start + lead_hours, lift),
// at the plan's level (--level, default orange):
//   - per production line of a non-exempt enterprise (exempt ones, 豁免, are not candidates):
//       "stop"  : load 0 (load min_load when can_stop is false),
//       "limit" : load min_load (only when it differs from "stop": can_stop and min_load > 0);
//     the two form one exclusive group (at most one per line). Lines with no emission share are
//     skipped;
//   - every built-in sector measure of the level (builtin_sector_measures) with a cut > 0, as
//     one action of cost 0 (its cost is unknown), acting on its sector (or, without a sector, its
//     category) as a custom measure "cut f" of its pollutants.
// Each action is a Scenario (level = the plan's level, one custom measure) so that measures.hpp
// computes its factors, its removed masses and its cost exactly as for any scenario.
//
// Effect of an action (µg/m³ of the daily-mean PM2.5 removed at station s on local day d), linear:
//   primary PM2.5 of enterprises: the Gaussian screening, location aware:
//       Σ_h∈d [ Σ_l line_c(h, s, l)·(1 − F_l(h)) + Σ_e rest_c(h, s, e)·(1 − R_e(h)) ] / hours(d)
//     with line_c = PlumeScreening::line_contributions(PM2.5), rest_c = the enterprise's
//     contribution minus its lines', F_l, R_e the PM2.5 factors of the line and of the
//     enterprise's unassigned share under the action (measures.hpp resolve);
//   primary PM2.5 of the other sources (area, road, gridded) and every secondary part (sulfate ←
//     SO2, nitrate ← NOx, SOA ← VOCs, of every source): the Eulerian tags of the baseline,
//       Σ_tag,part (1 − w(tag, part, h))·c(tag, part, s, h), averaged over the day's hours,
//     with w = superposition_weights (the emission-weighted factor of the tag's sources for the
//     part's pollutant, annual-mean rates), computed with the enterprise sources' factors set to
//     1 for the primary parts (they are in the Gaussian term) and with every factor for the
//     secondary parts.
// Approximations (stated in PlanModel::notes): effects add (the MILP is linear; exclusive groups
// keep the alternatives of one line apart; overlapping cuts of several actions would in truth
// multiply); the weight acts at the concentration's hour (age 0: no transport lag); secondary
// formation is linear in the precursor (the tag's share of a precursor is its share of the
// secondary mass); effects below 1e-6 µg/m³ and masses below 1e-9 t are set to 0 (GLPK's
// branch-and-cut misjudges coefficients spanning 20+ orders of magnitude); the Gaussian primary (briggs-urban, stations only) and the Eulerian baseline
// come from different models; the sector measures' cost is 0.
//
// Days: local calendar days of the baseline station series (series_metrics' LocalDay); a
// station-day whose baseline mean is NaN (fewer than min_hours_24h hours in the period, e.g. the
// partial first and last days) is unconstrained.
// Floors (DOMAIN.md §4): ResponseSettings::floors of the plan's level for SO2, NOx, PM (PM2.5)
// and VOCs; whole-society emission W and each action's removed mass over the active hours from
// account() (temporal profiles on, gridded files counted). Cost: account()'s lost output,
// Σ lost_output_per_hour × (1 − load) × active hours (0 for sector measures).
//
// The reference (the standard "plans-<level>" scenario: 一厂一策 plans, grade defaults and the
// sector measures of the level) goes through the same linear model as one aggregated action and
// is checked with evaluate_plan on its own problem (reference_problem()).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/forecast.hpp"
#include "forecast/plume_screening.hpp"
#include "forecast/run_job.hpp"
#include "scenarios/measures.hpp"
#include "scenarios/optimiser.hpp"

namespace lantian {

struct PlanBuildOptions {
  ResponseLevel level = ResponseLevel::orange;  ///< the level whose sector measures and floors apply
  int target_aqi = 200;                         ///< every station-day's daily AQI <= this
  bool floors = true;                           ///< require the level's per-pollutant floors
  /// Act over the whole period as one response window of `level` (from its start + lead hours)
  /// instead of the baseline's windows: for a period where the baseline's warning decision comes
  /// late or never (e.g. a short run), or to plan ahead of the decision.
  bool whole_period = false;
  /// Throws lantian::Error naming the field (level none, target outside 0..499).
  void validate() const;
};

/// What a candidate action is in inventory terms (one per PlanProblem::actions).
struct PlanCandidate {
  enum class Kind : std::uint8_t { line_stop, line_limit, sector };
  Kind kind = Kind::line_stop;
  std::size_t line = 0;        ///< line_stop / line_limit: Inventory::lines index
  double load = 0.0;           ///< line actions: the load kept (0 = stopped)
  std::string enterprise_id, enterprise_name, line_id, line_name;  ///< line actions
  std::string measure_id;      ///< sector: SectorMeasure::id
  std::string description;     ///< e.g. "stop", "limit to 50% (min load)", the sector measure's text
  Scenario scenario;           ///< the action as a scenario (what measures.hpp evaluates)
};

/// "line-stop", "line-limit", "sector".
std::string_view candidate_kind_name(PlanCandidate::Kind kind) noexcept;

/// The problem and everything needed to report it.
struct PlanModel {
  PlanProblem problem;
  std::vector<PlanCandidate> candidates;   ///< parallel to problem.actions
  std::vector<std::string> day_labels;     ///< local date of each day, "2024-12-13"
  std::vector<std::int64_t> day_first;     ///< series index of each day's first hour
  std::vector<std::size_t> day_hours;      ///< hours of each day inside the period
  ResponseLevel level = ResponseLevel::orange;
  std::vector<ResponseWindow> windows;     ///< the baseline's, or the whole period (whole_period)
  bool whole_period = false;
  int lead_hours = 0;
  int active_hours = 0;                    ///< hours with the actions active
  std::size_t exempt_lines = 0;            ///< lines of exempt enterprises left out
  /// The standard plans-<level> scenario through the same linear model (see the header comment).
  PlanAction reference;
  std::string reference_name;              ///< "plans-orange"
  std::vector<std::string> notes;          ///< the approximations, for reports
  /// A problem holding only `reference` (Free), for evaluate_plan(reference_problem(), {0}).
  PlanProblem reference_problem() const;
};

/// The linear model's figures of one scenario against a forecast (effect per station-day,
/// removed t of SO2/NOx/PM/VOCs, cost), as a PlanAction named after it.
class PlanEffects {
 public:
  /// Keeps references to the first three arguments: keep them alive while in use. Needs the
  /// baseline's tags (Error naming model.tags otherwise) and a screening of the same period and
  /// stations. `windows`: when the measures act (forecast.windows, or the whole period).
  PlanEffects(const CaseInputs& inputs, const ForecastResult& forecast, const PlumeScreening& screening,
              std::vector<ResponseWindow> windows);
  const std::vector<ResponseWindow>& windows() const noexcept { return windows_; }
  std::size_t stations() const noexcept { return stations_; }
  std::size_t days() const noexcept { return day_first_.size(); }
  /// [station][day] baseline daily mean (NaN: unconstrained).
  const std::vector<double>& baseline() const noexcept { return baseline_; }
  const std::vector<std::int64_t>& day_first() const noexcept { return day_first_; }
  const std::vector<std::size_t>& day_hours() const noexcept { return day_hours_; }
  /// The hourly reduction [station][hour] of the baseline PM2.5 by the scenario (µg/m³).
  std::vector<double> hourly_effect(const Scenario& scenario) const;
  /// The action of a scenario: effect [station][day], removed_t, cost_yuan (account()).
  PlanAction action(const Scenario& scenario, const std::string& name) const;
  /// account() of a scenario over the forecast's period and windows.
  ScenarioAccount account_of(const Scenario& scenario) const;

 private:
  const CaseInputs& in_;
  const ForecastResult& fc_;
  const PlumeScreening& scr_;
  std::vector<ResponseWindow> windows_;
  MeasureInputs measure_inputs_;
  Contributions contributions_;
  std::size_t stations_ = 0, hours_ = 0;
  std::vector<double> baseline_;
  std::vector<std::int64_t> day_first_;
  std::vector<std::size_t> day_hours_;
  std::vector<double> line_c_;  ///< [hour][station][line] PM2.5
  std::vector<double> rest_c_;  ///< [hour][station][enterprise] PM2.5 of the unassigned share
  std::vector<bool> enterprise_source_;  ///< per Eulerian source: stack or ground release
};

/// Builds the candidates, their effects and the problem (see the header comment). Throws
/// lantian::Error on bad options or a forecast without tags.
PlanModel build_plan_model(const CaseInputs& inputs, const ForecastResult& forecast, const PlumeScreening& screening,
                           const PlanBuildOptions& options);

/// DIR/plan.json: status, target, limit, level, windows, cost, chosen actions (enterprise/line
/// names, load, cost, removed t), station-days (baseline, achieved, limit, slack, binding),
/// binding constraints, floors (removed/required/met), unreachable station-days, the reference
/// and the comparison, notes.
std::string plan_json(const PlanModel& model, const PlanResult& result, const PlanEvaluation& reference,
                      const TimeZone& tz);
/// DIR/plan.csv: one row per chosen action:
/// `action,kind,enterprise,enterprise_name,line,line_name,load,cost_yuan,so2_t,nox_t,pm_t,vocs_t,max_effect_ug_m3`.
std::string plan_csv(const PlanModel& model, const PlanResult& result);
/// DIR/plan_report.txt: format_plan_report, the reference through the same linear model (its
/// cost, station-days over the limit, floors not met), the days and the notes.
std::string plan_report(const PlanModel& model, const PlanResult& result, const PlanEvaluation& reference);
/// Writes the plan folder `out.path` (plan.json, plan.csv, plan_report.txt; all or nothing).
/// Returns the files' names.
std::vector<std::string> write_plan_folder(const OutputRequest& out, const PlanModel& model, const PlanResult& result,
                                           const PlanEvaluation& reference, const TimeZone& tz);

// ---------------------------------------------------------------------------------------------
// The job of `lantian plan` (Python: lantian.plan): the baseline forecast with tags (sector tags
// when the case has none), the Gaussian screening, build_plan_model, optimise_plan, the
// reference evaluated, the plan folder written; the summary is what the command prints.

struct PlanRequest {
  std::string case_file, out;
  std::string level = "orange";  ///< yellow, orange or red
  int target_aqi = 200;
  double time_limit_s = 60.0;    ///< GLPK branch-and-cut limit
  bool floors = true, whole_period = false, force = false;
  JobProgress progress;          ///< the baseline's hours; optional
  /// Called with each warning as soon as it is known (the tags added); optional.
  std::function<void(const std::string&)> warning;
  /// Called with a line when a stage starts (the screening); optional.
  std::function<void(const std::string&)> status;
};

/// A chosen action of the plan (PlanCandidate and its PlanAction).
struct PlanChosenAction {
  std::string action, kind, enterprise, line, measure, description;
  double load = 0.0;       ///< line actions: the load kept
  double cost_yuan = 0.0;
  std::array<double, kFloorPollutantCount> removed_t{};  ///< SO2, NOx, PM, VOCs
};

/// A station-day the target cannot reach (UnreachableStationDay with names).
struct PlanUnreachableDay {
  std::string station, day;
  double baseline = 0.0, best = 0.0, limit = 0.0;  ///< µg/m³
};

struct PlanSummary {
  std::string case_name, out;
  int target_aqi = 0;
  double limit_pm25 = 0.0;             ///< µg/m³
  std::string level;
  std::size_t candidates = 0, exempt_lines = 0;
  int active_hours = 0, lead_hours = 0;
  bool whole_period = false;
  std::vector<WindowLine> windows;     ///< when the measures act (local times)
  std::string status;                  ///< plan_status_name
  bool have_plan = false;              ///< Optimal or Feasible
  std::string message;                 ///< the optimiser's, when there is no plan
  double cost_yuan = 0.0;              ///< the plan's lines' lost output (0 without one)
  /// Chosen sector measures: no documented cost rate, so the plan's cost is of its lines only
  /// ("partial"), and these are "not estimated", never free (issue 13).
  std::size_t unpriced_chosen = 0;
  std::vector<PlanChosenAction> chosen;
  std::vector<PlanUnreachableDay> unreachable;
  std::vector<std::string> floors_unreachable;  ///< pollutant names
  std::size_t binding_station_days = 0, binding_floors = 0;
  std::string reference_name;          ///< "plans-orange"
  double reference_cost_yuan = 0.0;
  bool reference_feasible = false;
  std::size_t reference_over = 0;      ///< the reference's station-days over the limit
  std::vector<std::string> files;      ///< in the output folder
  std::vector<std::string> warnings;
};

/// Runs `lantian plan`. Throws lantian::Error naming the option or the case file; on error
/// nothing is written. An infeasible target is a result, not an error.
PlanSummary run_plan_job(const PlanRequest& request);
/// What `lantian plan` prints on standard output.
std::string format_plan_summary(const PlanSummary& summary);

}  // namespace lantian
