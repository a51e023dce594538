#pragma once
// The `lantian aqi` pipeline over station observations (the CLI and the Python bindings call
// these functions): hourly AQI (实时报), trailing 24-h AQI (日AQI over any continuous 24 h),
// the warning decision at each day's issue hour, the response timeline (应急响应), a
// summary, and the output files written atomically (temporary folder, then rename).
// The rules are those of docs/warning-rules.md.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/output_folder.hpp"
#include "core/time_axis.hpp"
#include "scenarios/aqi.hpp"
#include "scenarios/observations.hpp"
#include "scenarios/warning.hpp"

namespace lantian {

/// A warning level issued by a higher authority (上级预警) over [start, end) in UTC hours.
struct ImposedPeriod {
  std::string station;  ///< the station it applies to; empty: every station
  std::string level;    ///< a level name of the rules ("yellow", "orange", "red", ...)
  UtcHour start = 0, end = 0;
};

/// Parses "LEVEL,START,END[,STATION]" (times ISO 8601, local in tz unless with an offset),
/// e.g. "red,2015-12-08T07:00,2015-12-10T12:00". Throws lantian::Error naming the part.
ImposedPeriod parse_imposed_period(std::string_view spec, const TimeZone& tz);

struct AqiRunOptions {
  WarningRules rules = WarningRules::national();  ///< levels, thresholds, horizon, issue hour
  ValidityRules validity{};                       ///< valid-hour counts for means
  std::optional<int> issue_hour;  ///< overrides rules.issue_hour (local hour 0..23)
  std::optional<int> horizon;     ///< overrides rules.horizon_hours
  TimeZone tz{};                  ///< local zone of issue hours and output labels
  std::vector<ImposedPeriod> imposed;
  /// rules with the overrides applied; throws lantian::Error when they are invalid.
  WarningRules effective_rules() const;
  /// Checks the rules, the overrides and the imposed levels' names; throws lantian::Error.
  void validate() const;
};

/// Everything computed for one station, on its dense hourly axis [start, start + hours).
struct StationAqi {
  std::string station;
  UtcHour start = 0;
  std::size_t hours = 0;
  std::size_t rows = 0, gap_hours = 0;
  std::array<bool, kPollutantCount> present{};
  std::array<std::size_t, kPollutantCount> missing{};
  std::vector<AqiResult> hourly;            ///< real-time hourly AQI
  std::vector<AqiResult> daily;             ///< AQI of the 24-h block ending at each hour
  std::vector<int> block_aqi;               ///< AQI of the 24-h block starting at each hour
  std::vector<WarningDecision> decisions;   ///< one per local issue hour; reasons in local time
  std::vector<ImposedLevel> imposed;        ///< imposed periods mapped onto the axis
  std::vector<ResponsePeriod> timeline;     ///< response periods; reasons in local time
};

struct AqiRunResult {
  TimeZone tz{};
  WarningRules rules;      ///< the effective rules
  ValidityRules validity;
  std::vector<StationAqi> stations;
};

/// Runs the pipeline over every station. Stations are independent.
AqiRunResult run_aqi(const std::vector<StationObservations>& observations, const AqiRunOptions& options);

/// A heavy-pollution episode (重污染过程): a maximal run of hours whose trailing 24-h AQI is
/// valid and above `kEpisodeAqi`; it spans [start, end) from the first hour of its first
/// block to the hour after its last block.
inline constexpr int kEpisodeAqi = 200;
struct Episode {
  std::string station;
  UtcHour start = 0, end = 0;
  int peak_aqi = 0;
  UtcHour peak_block_end = 0;  ///< last hour of the peak block
  std::uint8_t primary_mask = 0;
  std::int64_t hours() const noexcept { return end - start; }
};

/// A response period in UTC hours (end == nullopt while active at the end of the series).
struct PeriodSummary {
  std::string station;
  std::string level;
  UtcHour start = 0;
  std::optional<UtcHour> end;
  std::int64_t hours = 0;  ///< up to the end of the series when still active
};

struct StationSummary {
  std::string station;
  UtcHour start = 0;
  std::size_t hours = 0, rows = 0, gap_hours = 0;
  std::array<double, kPollutantCount> missing_share{};  ///< NaN where the pollutant is absent
  AqiResult peak_hourly;
  UtcHour peak_hourly_time = 0;
  AqiResult peak_daily;
  UtcHour peak_daily_end = 0;                 ///< last hour of the peak 24-h block
  std::vector<Episode> worst_episodes;        ///< up to 3, highest peak first
  std::optional<Episode> longest_episode;
  std::vector<PeriodSummary> longest_periods; ///< the longest response period of each level held
  std::vector<std::size_t> decisions;         ///< count per level: [0] none, [i] rules.levels[i-1]
  std::vector<std::size_t> periods;           ///< response periods per level (same indexing)
};

struct AqiSummary {
  std::size_t stations = 0, hours = 0, rows = 0, gap_hours = 0;
  std::array<std::size_t, kPollutantCount> missing{};      ///< over stations carrying the pollutant
  std::array<std::size_t, kPollutantCount> hours_with{};   ///< hours of stations carrying it
  std::array<double, kPollutantCount> missing_share{};     ///< NaN where no station carries it
  std::vector<std::string> level_names;                    ///< [0] "none", then the rules' levels
  std::vector<std::size_t> decisions;                      ///< decision days per level
  std::vector<Episode> worst_episodes;                     ///< up to 10 over all stations
  std::vector<StationSummary> per_station;
};

AqiSummary summarize(const AqiRunResult& result);

/// The short human summary the CLI prints: stations, hours, missing shares, worst episodes,
/// decision days per level.
std::string format_summary_text(const AqiRunResult& result, const AqiSummary& summary);

/// The five output files as text (CSV with a header; JSON).
std::string hourly_csv(const AqiRunResult& result);
std::string daily_csv(const AqiRunResult& result);
std::string decisions_csv(const AqiRunResult& result);
std::string timeline_csv(const AqiRunResult& result);
std::string summary_json(const AqiRunResult& result, const AqiSummary& summary);

/// Writes hourly.csv, daily.csv, decisions.csv, timeline.csv and summary.json into the folder
/// `out.path`, all-or-nothing under the output rule of core/output_folder.hpp (clear of the
/// inputs; `force` replaces only a folder lantian wrote). On any failure the folder is left as
/// it was.
void write_aqi_outputs(const AqiRunResult& result, const OutputRequest& out);

}  // namespace lantian
