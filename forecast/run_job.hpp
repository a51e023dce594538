#pragma once
// The jobs of `lantian run` and `lantian evaluate` as one library call each: the case loaded and
// assembled, its inputs protected by the output rule (core/output_folder.hpp), the forecast run
// inside the temporary output folder (fields.nc streamed hour by hour), every output file
// written, the folder put in place in one step; the figures the command prints come back as a
// summary (RunSummary, EvaluateSummary) that the CLI formats, the Python bindings return and
// the tests assert on.
//
//   run:       fields.nc, stations.csv, budget.csv and, with scenarios, scenarios.json,
//              scenarios.csv, scenario_series.csv, tasks.csv and report.html (docs/outputs.md)
//   report:    report.html of a run folder (forecast/report_model.hpp)
//   evaluate:  evaluation.json, evaluation.csv, series.csv: the measures actually carried out
//              (成效评估) as one scenario against the baseline forecast
//
// Errors throw lantian::Error naming the file and line or the setting; nothing is left in --out.
#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/time_axis.hpp"
#include "emissions/inventory.hpp"
#include "forecast/eulerian_run.hpp"

namespace lantian {

/// Progress of a job: `stage` is "baseline" or a scenario's name.
using JobProgress = std::function<void(const std::string& stage, const RunProgress&)>;

struct RunRequest {
  std::string case_file;
  std::string out;           ///< output folder
  bool force = false;        ///< replace an output folder lantian wrote
  bool scenarios = true;     ///< the control scenarios (off: the baseline only)
  bool reruns = true;        ///< re-run every scenario (off: superposition of the tags only)
  JobProgress progress;      ///< optional
  /// Called with each warning as soon as it is known (before the run for the resources); optional.
  std::function<void(const std::string&)> warning;
  /// Called once before the run with what it needs (memory, disk: check_run_resources); optional.
  std::function<void(const std::string&)> info;
};

/// One scenario's line of the run summary (the city = station mean).
struct ScenarioLine {
  std::string name;
  std::string level;              ///< the city's highest level with the scenario
  double peak_mean24 = 0.0;       ///< µg/m³
  double peak_mean24_cut_pct = 0.0;
  int peak_daily_aqi = 0;
  int hours_above_300 = 0;
  std::array<double, 4> achieved_cut_pct{};  ///< SO2, NOx, PM, VOCs
  double cost_10k_yuan = 0.0;
  double superposition_error_pct = 0.0;      ///< of the station peaks; NaN without a re-run
};

/// A response window of the city (local times as text).
struct WindowLine {
  std::string level, start, end;
};

struct RunSummary {
  std::string case_name, out;
  std::size_t hours = 0;
  int nx = 0, ny = 0, nz = 0;
  std::size_t tags = 0;
  double wall_s = 0.0;                     ///< the baseline run
  std::vector<std::string> splitting;      ///< the operator-splitting sequence of one step
  bool has_peak = false;                   ///< false without stations
  double peak_pm25 = 0.0;                  ///< µg/m³, highest station hour
  std::string peak_station, peak_time;     ///< local time, ISO 8601
  double max_residual = 0.0;               ///< µg, largest hourly budget residual (NaN shows)
  double residual_share = 0.0;             ///< of the largest species mass
  bool scenarios = false;
  std::string city_level;                  ///< the city's highest level (baseline)
  int city_peak_daily_aqi = 0;
  std::vector<WindowLine> windows;
  int lead_hours = 0;
  std::vector<ScenarioLine> options;
  bool report = false;                     ///< report.html written
  std::vector<std::string> warnings;       ///< resource warnings, a missing report
  std::string needs;                       ///< what the run needed by the estimate (memory, disk), said at its start
};

/// Runs `lantian run`. Throws lantian::Error; on error nothing is written.
RunSummary run_case_job(const RunRequest& request);
/// What `lantian run` prints on standard output.
std::string format_run_summary(const RunSummary& summary);

struct EvaluateRequest {
  std::string case_file;
  std::string measures;  ///< CSV: enterprise,line,start,end,load
  std::string out;
  bool force = false;
  JobProgress progress;
};

struct EvaluateSummary {
  std::string case_name, out;
  std::size_t measures = 0, active_hours = 0;
  double peak_mean24_baseline = 0.0, peak_mean24 = 0.0, peak_mean24_cut_pct = 0.0;  ///< city, µg/m³
  double peak_hourly_cut = 0.0;                                                      ///< µg/m³
  std::string level_baseline, level;
  /// Per inventory pollutant (emissions::kAllEmittedPollutants order): t removed, t emitted by
  /// the whole society in the active hours, the achieved share.
  std::array<double, emissions::kEmittedPollutantCount> removed_t{}, society_t{}, achieved{};
  double cost_yuan = 0.0;
};

/// Runs `lantian evaluate`. Throws lantian::Error; on error nothing is written.
EvaluateSummary evaluate_case_job(const EvaluateRequest& request);
/// What `lantian evaluate` prints on standard output.
std::string format_evaluate_summary(const EvaluateSummary& summary);

/// `lantian report RUN_DIR`: the consultation report of a run folder.
struct ReportRequest {
  std::string run_dir;     ///< a `lantian run` output folder
  std::string case_file;   ///< default: the case named in RUN_DIR/fields.nc
  std::string screen_dir;  ///< a `lantian screen` folder; empty: the screening is run here
  std::string option;      ///< option shown on the map beside the baseline
  std::string out;         ///< default RUN_DIR/report.html
  bool stagnation = true;  ///< the 静稳 summary
  bool force = false;
};

struct ReportSummary {
  std::string case_name, path;
};

/// Writes the report under the output rule. Throws lantian::Error naming the folder or file.
ReportSummary report_job(const ReportRequest& request);

}  // namespace lantian
