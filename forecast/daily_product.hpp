#pragma once
// The daily product of a forecast (issue 13; seed 003 "每日17时前报送", seed 004 annex 7): the
// day-1/2/3 table — for each station and the city, the three 24-h blocks from the issue time
// [t0, t0+24), [t0+24, t0+48), [t0+48, t0+72) (the daily AQI "over any continuous 24 hours" that
// the warning decision reads, DOMAIN.md §2) with their mean PM2.5, AQI, category and primary
// pollutant (PM2.5: the only pollutant lantian models; the others are not forecast) — and the
// margin of each level decision: how far the deciding blocks are from the threshold.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "forecast/forecast.hpp"
#include "scenarios/metrics.hpp"
#include "scenarios/warning.hpp"

namespace lantian {

/// One lead day of one series.
struct LeadDay {
  int lead = 0;                 ///< 1, 2, 3
  std::int64_t first = 0;       ///< index of its first hour (24 (lead − 1))
  double pm25 = 0.0;            ///< 24-h mean, µg/m³ (NaN when invalid: < 20 valid hours)
  int aqi = kMissingIndex;      ///< its PM2.5 IAQI
};

/// The lead days of `m` (series_metrics of a forecast series): as many whole 24-h blocks as the
/// series holds, at most `days`; the mean is the trailing 24-h mean at each block's last hour.
std::vector<LeadDay> lead_days(const SeriesMetrics& m, int days = 3);

/// One series' lead days with its name ("city" for the station mean).
struct DailyForecast {
  std::string series;
  std::vector<LeadDay> days;
};

/// Every station (case order) then the city, from the baseline of `r`.
std::vector<DailyForecast> daily_forecast(const ForecastResult& r);

/// The margin of a decision (AQI points): over every window of the level's conditions inside the
/// horizon [t0, t0 + horizon) with all its blocks valid, the smallest excess of its blocks over
/// the condition's threshold (and, with and_block_above, of its best extra block over that), and
/// the largest of these: for a level decided, > 0 — how far the forecast may fall before the level
/// no longer holds; for "none", the same for the lowest level, <= 0 — how far below it the forecast
/// is. nullopt when no window is whole and valid. `block_aqi` as classify_warning's.
std::optional<int> decision_margin(const WarningDecision& d, std::span<const int> block_aqi, const WarningRules& rules);

/// The options ranked by the city's peak 24-h mean PM2.5 (lowest first, the metrics' series: the
/// re-runs where they ran), and whether the instant what-ifs (the superposition of the tags) rank
/// them the same: `superposed_same_order` is set only when every option was both re-run and
/// superposed; `swapped` lists the adjacent pairs the superposition orders the other way.
struct RankedOption {
  std::string name;
  double peak_mean24 = 0.0;             ///< µg/m³, of the metrics' series
  double superposed_peak_mean24 = 0.0;  ///< µg/m³, NaN when not both re-run and superposed
};
struct OptionRanking {
  std::vector<RankedOption> order;
  std::optional<bool> superposed_same_order;
  std::vector<std::pair<std::string, std::string>> swapped;
};
OptionRanking option_ranking(const ForecastResult& r);

}  // namespace lantian
