#pragma once
// The outputs of a forecast with scenarios (for the report and other tools), as text:
//   scenarios.json        everything below, nested (schema in docs/scenarios.md)
//   scenarios.csv         one row per scenario and series (each station, then "city"): the
//                         columns are listed at scenarios_csv()
//   scenario_series.csv   scenario,time,station,pm25,pm25_superposed: hourly station PM2.5 of the
//                         baseline and every scenario (re-run; superposed from the tags when any)
// Times are local ISO 8601 with offset; a value at `time` stands for the hour starting then.
#include <string>

#include "scenarios/forecast.hpp"

namespace lantian {

/// scenario,series,level_baseline,level_scenario,peak_hourly_baseline,peak_hourly,peak_hourly_cut,
/// peak_hourly_cut_pct,peak_mean24_baseline,peak_mean24,peak_mean24_cut_pct,peak_daily_aqi_baseline,
/// peak_daily_aqi,hours_above_150,hours_above_200,hours_above_300,downgrade_time,downgrade_from,
/// downgrade_to,response_ends_sooner_h,cut_SO2,cut_NOx,cut_PM,cut_VOCs,floor,floors_met,
/// cost_10k_yuan,superposition_peak_error_pct
std::string scenarios_csv(const ForecastResult& r);
std::string scenario_series_csv(const ForecastResult& r);
std::string scenarios_json(const ForecastResult& r, const CaseInputs& inputs);

}  // namespace lantian
