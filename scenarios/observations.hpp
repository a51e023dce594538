#pragma once
// Station observations (监测站点小时浓度): hourly concentrations of the six HJ 633-2012
// pollutants per station, read from a long-format CSV (one row per station and hour).
//
// Input schema (the `lantian aqi` contract, README "The aqi command"):
//   header: `station`, `time` and any of `PM2.5,PM10,SO2,NO2,CO,O3` (µg/m³; CO mg/m³),
//   in any order; `time` is ISO 8601, local time of the zone unless it carries an offset;
//   a row's value covers the hour starting at `time`; blank, `NA` or `NaN` is missing (codes
//   such as -999 or 99999 are refused: docs/input-ranges.md).
//   Rows of several stations may be interleaved or grouped; within a station times must be
//   strictly increasing. Hours between two rows of a station (gaps) are missing and counted.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_axis.hpp"
#include "scenarios/aqi.hpp"

namespace lantian {

/// One station's hourly series on a dense hourly axis [start, start + hours).
/// conc[int(p)] holds `hours` values (NaN = missing) when present[int(p)], else is empty.
struct StationObservations {
  std::string station;
  UtcHour start = 0;
  std::size_t hours = 0;
  std::array<std::vector<double>, kPollutantCount> conc{};
  std::array<bool, kPollutantCount> present{};
  /// Missing hours per present pollutant: blank/NA/NaN cells plus gap hours (no row).
  std::array<std::size_t, kPollutantCount> missing{};
  std::size_t rows = 0;       ///< data rows read for this station
  std::size_t gap_hours = 0;  ///< hours of the axis with no row at all

  UtcHour end() const noexcept { return start + static_cast<UtcHour>(hours); }
  /// Share of missing hours of pollutant p in [0, 1]; NaN when p is absent or hours == 0.
  double missing_share(Pollutant p) const noexcept;
  /// A non-owning view for hourly_aqi / daily_aqi_trailing (valid while *this lives).
  StationSeries series() const noexcept;
};

/// Largest gap (hours without a row) accepted between two rows of a station: a typo in a
/// year would otherwise allocate decades of empty hours. Ten years.
inline constexpr std::int64_t kMaxGapHours = 24 * 3653;

/// Reads an observations CSV. Stations are returned in order of first appearance.
/// Throws lantian::Error naming the file, the line and the column for: a missing or
/// unreadable file, an empty file, a missing `station` or `time` column, an unknown column
/// (with the nearest valid name suggested), a duplicate column, a row with the wrong number
/// of fields, an unterminated quote, an empty station name, an unparseable time or number,
/// a negative concentration, a concentration outside its plausible range or a missing-value code
/// such as -999 or 99999 (core/plausible.hpp, docs/input-ranges.md: refused, never read as data
/// nor silently as missing), and times that do not increase strictly within a station.
std::vector<StationObservations> read_observations_csv(const std::string& path, const TimeZone& tz);

/// The same parser over CSV text already in memory; `source` names it in error messages.
std::vector<StationObservations> parse_observations_csv(std::string_view text, const std::string& source,
                                                        const TimeZone& tz);

/// The PM2.5 of the stations `ids` over the UTC hours [start, start + hours), [station][hour]
/// row-major, NaN where a station is not in `observations`, has no PM2.5, or lacks the hour
/// (e.g. the observed hours before a forecast, joined to it for the trailing daily AQI).
std::vector<double> observed_pm25(const std::vector<StationObservations>& observations,
                                  const std::vector<std::string>& ids, UtcHour start, std::size_t hours);

/// The column names the reader accepts ("station", "time", then the pollutant names).
std::vector<std::string> observation_column_names();

}  // namespace lantian
