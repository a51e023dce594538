#pragma once
// The report model (会商报告数据): everything the consultation report (DOMAIN.md §8) shows, as one
// JSON document assembled from a `lantian run` folder and its case, so that the HTML
// (forecast/report_html.hpp, report/template.html) only draws and never computes. Schema 1:
//
//   schema, case, time_zone, period {start, hours}, generated_from (the run folder)
//   times [local ISO 8601, one per hour of scenario_series.csv]
//   thresholds [150, 200, 300]   daily-AQI lines of the warning rule (DOMAIN.md §3)
//   stations [{id, name, kind, lon, lat, x, y}]
//   scenarios [{name, description, level}]  "baseline" first, then scenarios.json's order
//   series {scenario: {station: {pm25 [..], aqi24 [..]}}}   aqi24: HJ 633 AQI of the trailing
//       24-h mean PM2.5 (scenarios/aqi.hpp daily_aqi_trailing) with the case's observed 23 hours
//       before the period joined (as the run's metrics), null with fewer than 20 valid hours
//   observed {station: {pm25 [..], aqi24 [..]}}   the case's observations at the same hours
//       (null where missing; aqi24 from the 23 hours before the period on); {} without them
//   comparison {columns [...], rows [[...]]}  scenarios.csv as read
//   map {available, shown, option_note, time, nx, ny, x0, y0, dx, dy, values [ny*nx, row j=0
//       first], max}  PM25_sfc of fields.nc at the hour of its domain maximum
//   enterprises [{id, name, industry, district, category, department, x, y}]
//   rankings {source, pollutant, share_of_pm25_ug_m3, enterprise, line, industry, district,
//       department}: rows {key, name, district, department, mean, peak, share_pct} sorted by
//       `mean` (see ScreeningTable); share_pct = 100 mean / share_of_pm25_ug_m3, the city's mean
//       PM2.5 of the baseline over the period (a share of PM2.5, not among the items)
//   sources_at_peak [{series, start, end, hours, total_ug_m3, unattributed_ug_m3, parts [{name,
//       regional, ug_m3, primary_ug_m3, secondary_ug_m3, percent}]}]  scenarios.json's, rounded
//       to 0.1 (forecast/forecast_sources.hpp); [] for a run without tags
//   patrol [{station, name, within_1km [...], within_1_3km [...]}]  national stations only
//   stagnation [{date, hours, weak_wind, shallow_mixing, inversion, humid, all_four, ...}]
//   forms {start, followup, lift, consultation}: key/value fields (DOMAIN.md §8); AQI and
//       µg/m³ ranges in whole numbers; the lift from scenarios.json baseline.city_response:
//       lift {status none/lifted/open, lift_time (null while open), earliest_lift,
//       lift_threshold, release_hours}, followup {expected_duration_h, duration_at_least}
//       Seed 004 complete (forecast/report_forms.hpp, docs/scenarios.md "Forms"): followup
//       {report_time (17:00 local the day after the start; null when lifted before),
//       response_day (day N then, the start's local day = 1)}, lift {response_day at the lift},
//       consultation {sections [{key, unit_zh, unit_en, signed_by null, date_hour null}] x 4:
//       observatory, monitoring station, expert group, command office}, statistics (annex 6)
//       {level, start, end, duration_h, duration_at_least, cumulative_h, responses, signed_by,
//       filled_by, to_fill [...]: null = for the office to fill}
//   tasks {scenario: {description (Chinese, describe_tasks_zh), rows [...]}}  RUN_DIR/tasks.csv
//       read back (forecast/task_list.hpp); {} for a run folder without it
//   recommendation {scenario, reason}
//
// Contributions come from the Gaussian screening (forecast/plume_screening.hpp), run here on
// the case, or read from a `lantian screen` folder (enterprises.csv, lines.csv). Both are
// primary PM2.5 from the enterprises only; the "industry" ranking groups enterprises by their
// key industry, since area and road sources are not in the screening.
#include <cstddef>
#include <string>
#include <vector>

#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"

namespace lantian {

struct ReportOptions {
  std::string run_dir;     ///< a `lantian run` output folder
  std::string run_label;   ///< how the report names the folder (default run_dir)
  std::string screen_dir;  ///< a `lantian screen` output folder; empty: run the screening here
  std::string option;      ///< option shown on the map beside the baseline, if its field exists
  /// Whether to add the 静稳 summary (check_case: re-reads the met of the whole period).
  bool stagnation = true;
};

/// Per-station contribution of each item (enterprise or line) of the screening, µg/m³:
/// mean[s * n_items + i] over the period and peak[...] of the hourly values.
struct ScreeningTable {
  std::size_t n_stations = 0, n_items = 0;
  std::vector<double> mean, peak;
  /// [n_stations + 1][n_items]: the mean over each station's peak 24-h block (sources_at_peak),
  /// the last row the station mean over the city's block; empty when the blocks are unknown (a
  /// `lantian screen` folder holds period means only).
  std::vector<double> window_mean;
};

/// Rolling (trailing 24-h) daily AQI of an hourly PM2.5 series, HJ 633-2012 (aqi.hpp):
/// kMissingIndex (-1) while fewer than 20 valid hours lie in the trailing 24.
std::vector<int> rolling_daily_aqi(const std::vector<double>& pm25);

/// Ground distance from a point to every enterprise site (grid CRS metres).
std::vector<double> enterprise_distances(const emissions::Inventory& inventory, XY point);

/// The report model as JSON text (schema above). Throws lantian::Error naming the file when the
/// run folder lacks scenarios.csv/scenario_series.csv/scenarios.json or they do not match the case.
std::string report_model_json(const CaseInputs& inputs, const ReportOptions& options);

/// The case file a run folder was made from, from fields.nc's history ("lantian run CASE");
/// empty when unknown. Relative paths are relative to where the run was started.
std::string run_case_file(const std::string& run_dir);

/// RUN_DIR/report.html, where `lantian run` and `lantian report` put the report by default.
std::string default_report_path(const std::string& run_dir);

/// Writes `out.path` (default RUN_DIR/report.html): report_model_json + write_report_html
/// (forecast/report_html.hpp), under the output rule of core/output_folder.hpp. What `lantian
/// report` and `lantian run` call.
void write_report(const CaseInputs& inputs, const ReportOptions& options, OutputRequest out = {});

/// What `lantian run` calls inside its (temporary) output folder `run_dir`, named `label`:
/// writes run_dir/report.html and returns true, or returns false and writes nothing when the
/// report assets (report/template.html, `npm ci`) are not installed.
bool write_run_report(const CaseInputs& inputs, const std::string& run_dir, const std::string& label);

}  // namespace lantian
