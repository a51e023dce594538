#pragma once
// Scenario metrics (情景评估指标): what a control scenario does to the forecast, per station and
// domain-wide, against the baseline (issue 6; ../shared/DOMAIN.md §2-§4).
//
// Definitions (every AQI here is the PM2.5 IAQI of HJ 633-2012 through scenarios/aqi.hpp):
//   history       the observed hours just before the start (series_metrics' `history`, its last
//                 value the hour before index 0): joined before the series for the trailing means
//                 and daily AQI only, so that they exist from the first forecast hour (issue 13);
//                 every other figure is of the forecast hours alone;
//   mean24[h]     trailing 24-h mean PM2.5 of [h-23, h] of the joined series (rolling_mean; NaN
//                 with < 20 valid hours, ValidityRules::min_hours_24h);
//   daily_aqi[h]  the trailing daily AQI (日AQI over any continuous 24 h) = daily_aqi_trailing, i.e.
//                 the IAQI of mean24[h]: the series the foundation's response timeline uses. The
//                 "hours with daily AQI > 150/200/300" count the hours h where daily_aqi[h] is
//                 valid and above the threshold;
//   days          local calendar days of the case time zone (自然日), mean of their valid hours
//                 (>= min_hours_24h of the day's hours) and its IAQI (the day's AQI as published);
//   warning       classify_warning at every local issue hour (WarningRules::issue_hour) on the
//                 block AQIs (block_aqi_from_trailing), then response_timeline, exactly as
//                 run_aqi does (docs/warning-rules.md); level[h] = the effective level at hour h;
//                 a level the horizon's end leaves undecided is kept, never read as a lower one;
//   outlook       response_outlook: lifted (when) or open at the end (no lift proved; the
//                 earliest possible lift and what must hold);
//   降级 (downgrade)  the first hour h where the scenario's level[h] is below the baseline's;
//   cuts          baseline − scenario, in µg/m³ and as a share of the baseline (%).
// Domain-wide figures are the same metrics of the station-mean series (the city concentration
// of HJ 663: the mean over the stations valid at that hour) and, when population weights are
// given, of the population-weighted mean series; the warning of the domain is then the city's.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_axis.hpp"
#include "scenarios/aqi.hpp"
#include "scenarios/warning.hpp"

namespace lantian {

/// Hourly values of several stations on one hourly axis, [station][hour] row-major:
/// value(s, h) = data[s * hours + h] (PM2.5 in µg/m³; NaN = missing). A non-owning view.
struct StationHourSeries {
  std::span<const double> data;
  std::size_t stations = 0, hours = 0;
  double operator()(std::size_t s, std::size_t h) const noexcept { return data[s * hours + h]; }
  std::span<const double> station(std::size_t s) const noexcept { return data.subspan(s * hours, hours); }
  /// Throws lantian::Error naming `what` when data.size() != stations * hours.
  void check(std::string_view what) const;
};

/// The largest 24-h PM2.5 concentration (µg/m³) whose IAQI (scenarios/aqi.hpp iaqi, PM2.5 24-h)
/// is at most `aqi`: the limit a station-day must meet for its daily AQI to stay <= aqi (AQI 200
/// -> 150, 150 -> 115, 300 -> 250). Found by bisection on the foundation's iaqi(), then rounded
/// down to 1e-4 µg/m³ (iaqi() rounds up with a 1e-6 tolerance, which would otherwise leave
/// 150.0000015). Throws lantian::Error unless 0 <= aqi < 500.
double pm25_limit_for_aqi(int aqi);

/// The pollutants of the level floors (DOMAIN.md §4), in the order of the `[4]` arrays below.
inline constexpr int kFloorPollutantCount = 4;
inline constexpr std::array<std::string_view, kFloorPollutantCount> kFloorPollutantNames{"SO2", "NOx", "PM", "VOCs"};

/// Figures a caller computed for a plan (the measure model): carried into the metrics as given.
struct PlanFigures {
  /// Achieved cut of each pollutant (SO2, NOx, PM, VOCs) as a share of the whole society's
  /// emissions (全社会排放量) over the response, e.g. 0.23; NaN = unknown.
  std::array<double, kFloorPollutantCount> achieved_cut{};
  /// The level's floor for each (0.1 / 0.2 / 0.3 for yellow / orange / red); NaN = none.
  std::array<double, kFloorPollutantCount> floor{};
  double cost_yuan = 0.0;  ///< lost output (元) of the plan
};

struct MetricsOptions {
  UtcHour start = 0;                               ///< UTC hour of index 0 of every series
  TimeZone tz{};                                   ///< case zone: issue hours, calendar days, labels
  WarningRules rules = WarningRules::national();
  ValidityRules validity{};
  std::vector<ImposedLevel> imposed;               ///< higher-authority levels, every series
  ResponseState in_force;                          ///< the response in force at index 0, every series
  /// Population weight of each station (e.g. from a population grid): empty = none; otherwise
  /// one finite, non-negative weight per station with a positive sum.
  std::vector<double> population;
  std::array<int, 3> aqi_thresholds{150, 200, 300};  ///< for hours_above
  /// Throws lantian::Error naming the field ("metrics.population[2]", ...).
  void validate(std::size_t stations) const;
};

/// A local calendar day of the series (自然日).
struct LocalDay {
  std::int64_t first = 0;       ///< series index of its first hour inside the series
  std::size_t hours = 0;        ///< its hours inside the series (23-25 on DST days, fewer at the ends)
  std::size_t valid_hours = 0;
  double mean = 0.0;            ///< mean PM2.5 of the valid hours; NaN with < min_hours_24h
  int aqi = kMissingIndex;      ///< IAQI of the mean
};

/// The metrics of one hourly series (one station, or a domain aggregate).
struct SeriesMetrics {
  double peak_hourly = 0.0;            ///< µg/m³ (NaN when every hour is missing)
  std::int64_t peak_hour = -1;         ///< index of the (first) peak hour
  double peak_mean24 = 0.0;            ///< largest trailing 24-h mean (NaN when none is valid)
  std::int64_t peak_mean24_end = -1;   ///< last hour of that block
  int peak_daily_aqi = kMissingIndex;  ///< largest trailing daily AQI
  double mean = 0.0;                   ///< mean over the valid hours
  std::vector<double> mean24;          ///< trailing 24-h mean at each hour
  std::vector<int> daily_aqi;          ///< trailing daily AQI at each hour (kMissingIndex: invalid)
  std::vector<LocalDay> days;
  std::array<int, 3> hours_above{};    ///< hours with daily_aqi > each of aqi_thresholds
  std::vector<WarningDecision> decisions;  ///< one per local issue hour
  std::vector<ResponsePeriod> timeline;
  std::vector<std::uint8_t> level;     ///< effective response level at each hour (0 = none)
  int max_level = 0;                   ///< highest level held
  std::int64_t response_hours = 0;     ///< hours with level > 0
  std::int64_t response_end = -1;      ///< index after the last hour with level > 0; -1 if none
  ResponseOutlook outlook;             ///< lift proved, or open at the end of the series
  std::size_t history_hours = 0;       ///< observed hours joined before the series
};

/// A cut vs the baseline: baseline − scenario (µg/m³) and its share of the baseline (%; NaN
/// when the baseline is 0 or missing).
struct Cut {
  double ug_m3 = 0.0;
  double percent = 0.0;
};

/// One series under the baseline and the scenario.
struct SeriesComparison {
  std::string name;                    ///< station name, "domain mean", "population-weighted"
  SeriesMetrics baseline, scenario;
  Cut peak_hourly;                     ///< of peak_hourly (削峰)
  Cut peak_mean24;                     ///< of peak_mean24
  Cut mean;                            ///< of the mean over the horizon
  int peak_daily_aqi_change = 0;       ///< scenario − baseline (0 when either is missing)
  std::array<int, 3> hours_above_change{};  ///< scenario − baseline
  int level_change = 0;                ///< max_level: scenario − baseline
  /// 降级: the first hour where the scenario's level is below the baseline's, with both levels
  /// there; nullopt when it never is.
  std::optional<std::int64_t> downgrade_hour;
  UtcHour downgrade_time = 0;
  int downgrade_from = 0, downgrade_to = 0;
  /// response_end: baseline − scenario, hours the response ends sooner (缩时; 0 when either
  /// has no response, the whole baseline response when only the scenario has none).
  std::int64_t response_ends_sooner = 0;
};

/// Everything about one scenario.
/// Whether an achieved cut meets a level's floor (DOMAIN.md §4: at least 10/20/30 %): achieved
/// >= floor − 1e-12, so that a uniform 20 % cut computed as 1 − 0.8 = 0.19999999999999996 meets
/// the 20 % floor; a NaN cut never meets it; a NaN floor (none) is always met. The one rule of
/// scenarios.json's floors_met, the report and the measure accounts (measures.hpp).
bool meets_floor(double achieved, double floor) noexcept;

struct ScenarioMetrics {
  std::vector<SeriesComparison> stations;
  SeriesComparison domain_mean;
  std::optional<SeriesComparison> population_weighted;
  PlanFigures plan;
  std::array<bool, kFloorPollutantCount> meets_floor{};  ///< achieved_cut >= floor (false if NaN)
  /// Cut per unit cost (µg/m³ per 10⁴ yuan, 万元) of the domain-mean peak hourly and peak 24-h
  /// mean PM2.5 (population-weighted when given): NaN when the cost is 0.
  double peak_hourly_cut_per_10k_yuan = 0.0;
  double peak_mean24_cut_per_10k_yuan = 0.0;
};

/// The metrics of one series (`pm25` hourly from options.start), with the observed `history`
/// (hours options.start − history.size() .. options.start − 1; NaN = missing) joined before it
/// for the trailing 24-h means and daily AQI (see the header comment).
SeriesMetrics series_metrics(std::span<const double> pm25, const MetricsOptions& options,
                             std::span<const double> history = {});

/// Baseline vs scenario of one series (both computed by series_metrics).
SeriesComparison compare_series(std::string name, SeriesMetrics baseline, SeriesMetrics scenario,
                                const MetricsOptions& options);

/// Mean over stations at each hour (NaN stations skipped; NaN when none is valid), with
/// `weights` (one per station) or equal weights when empty. Returns `hours` values.
std::vector<double> station_mean(const StationHourSeries& series, std::span<const double> weights = {});

/// The metrics of a scenario. `names` (optional, one per station) label the comparisons.
/// `history` (optional: stations == 0 for none) holds each station's observed hours before the
/// start, joined before baseline and scenario alike (series_metrics); the domain series get the
/// station_mean of it. Throws lantian::Error when the shapes differ or the options are invalid.
ScenarioMetrics scenario_metrics(const StationHourSeries& baseline, const StationHourSeries& scenario,
                                 const MetricsOptions& options, const PlanFigures& plan = {},
                                 std::span<const std::string> names = {}, const StationHourSeries& history = {});

}  // namespace lantian
