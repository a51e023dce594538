#pragma once
// The outputs of a forecast with scenarios (for the report and other tools), as text:
//   scenarios.json        everything below, nested (schema in docs/scenarios.md)
//   scenarios.csv         one row per scenario and series (each station, then "city"): the
//                         columns are listed at scenarios_csv()
//   scenario_series.csv   scenario,time,station,pm25,pm25_superposed: hourly station PM2.5 of the
//                         baseline and every scenario (re-run; superposed from the tags when any)
// Times are local ISO 8601 with offset; a value at `time` stands for the hour starting then.
// Text cells (names, ids, levels) go through core/csv_file.hpp csv_text (RFC 4180 quoting,
// spreadsheet formulas neutralised).
//
// Non-finite numbers: every station series of the result (baseline, re-runs, superpositions)
// must be finite, and so must every number that is always defined (costs, tonnes, wall times);
// a metric that is undefined by its definition (metrics.hpp: no valid 24-h mean, the cut of a
// zero baseline, no floor, no superposition error) is NaN and written empty (CSV) or null
// (JSON); an infinite value is never written. Anything else throws lantian::Error naming `file`
// (the name the caller writes it under), the column or JSON key, and the scenario, series or
// station and time, before any text is returned.
#include <string>
#include <string_view>

#include "forecast/forecast.hpp"

namespace lantian {

/// scenario,series,level_baseline,level_scenario,peak_hourly_baseline,peak_hourly,peak_hourly_cut,
/// peak_hourly_cut_pct,peak_mean24_baseline,peak_mean24,peak_mean24_cut_pct,peak_daily_aqi_baseline,
/// peak_daily_aqi,hours_above_150,hours_above_200,hours_above_300,downgrade_time,downgrade_from,
/// downgrade_to,response_ends_sooner_h,cut_SO2,cut_NOx,cut_PM,cut_VOCs,floor,floors_met,
/// cost_10k_yuan,superposition_peak_error_pct,cost_estimate,response_at_end,lift_time,earliest_lift
/// (cost_10k_yuan empty when cost_estimate is "not estimated"; response_at_end "none", "lifted"
/// or "open LEVEL": no lift proved within the forecast; lift_time the lift when proved, else
/// empty; earliest_lift when open: the first decision that the forecast does not rule out)
std::string scenarios_csv(const ForecastResult& r, std::string_view file = "scenarios.csv");
std::string scenario_series_csv(const ForecastResult& r, std::string_view file = "scenario_series.csv");
std::string scenarios_json(const ForecastResult& r, const CaseInputs& inputs, std::string_view file = "scenarios.json");

}  // namespace lantian
