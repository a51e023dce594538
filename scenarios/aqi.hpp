#pragma once
// Air Quality Index after HJ 633-2012 (环境空气质量指数（AQI）技术规定), as distilled in
// ../shared/DOMAIN.md §2. Concentrations in µg/m³ (CO in mg/m³); NaN means missing.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace lantian {

/// The six pollutants of HJ 633-2012, in the order of its tables.
enum class Pollutant : std::uint8_t { SO2 = 0, NO2, PM10, CO, O3, PM25 };
inline constexpr int kPollutantCount = 6;
inline constexpr std::array<Pollutant, kPollutantCount> kAllPollutants{
    Pollutant::SO2, Pollutant::NO2, Pollutant::PM10, Pollutant::CO, Pollutant::O3, Pollutant::PM25};

/// "SO2", "NO2", "PM10", "CO", "O3", "PM2.5".
std::string_view pollutant_name(Pollutant p) noexcept;
/// Accepts the names above (case-insensitive; "PM25" too).
std::optional<Pollutant> parse_pollutant(std::string_view name) noexcept;

/// Averaging period of a concentration.
enum class Averaging : std::uint8_t { Hour1, Hour8, Hour24 };

/// Sentinel for a missing IAQI/AQI (missing or invalid input).
inline constexpr int kMissingIndex = -1;

/// IAQI of one concentration: piecewise linear between breakpoints, rounded up.
/// `fallback` is the concentration the standard substitutes where a table ends:
///   SO2 1-h above 800 µg/m³ -> the IAQI of the SO2 24-h concentration `fallback`;
///   O3 8-h above 800 µg/m³ -> the IAQI of the O3 1-h concentration `fallback`.
/// PM2.5 and PM10 accept Hour1 and Hour24 (both on the 24-h table).
/// Above the last breakpoint: 500 and `above_scale` set. Missing input: kMissingIndex.
struct IaqiResult {
  int value = kMissingIndex;
  bool above_scale = false;
};
IaqiResult iaqi(Pollutant p, Averaging a, double conc, double fallback = std::numeric_limits<double>::quiet_NaN());

/// AQI categories (空气质量指数类别).
enum class AqiCategory : std::uint8_t { Missing = 0, Excellent, Good, Light, Moderate, Heavy, Severe };
AqiCategory aqi_category(int aqi) noexcept;
/// English key: "excellent", "good", "light", "moderate", "heavy", "severe" ("" for Missing).
std::string_view category_name(AqiCategory c) noexcept;
/// Chinese name: 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染.
std::string_view category_name_zh(AqiCategory c) noexcept;

/// AQI = max IAQI; primary pollutants (首要污染物) = those with IAQI == AQI, only when AQI > 50.
struct AqiResult {
  int aqi = kMissingIndex;
  std::uint8_t primary_mask = 0;  ///< bit (1 << int(Pollutant))
  bool above_scale = false;       ///< some concentration exceeded the scale
  AqiCategory category() const noexcept { return aqi_category(aqi); }
};
/// Combines per-pollutant IAQIs (kMissingIndex entries are skipped).
AqiResult combine_iaqi(const std::array<int, kPollutantCount>& iaqis, bool above_scale = false) noexcept;
/// "PM2.5" or "PM2.5;PM10" (";" between ties), empty when none.
std::string primary_names(std::uint8_t primary_mask);

/// Validity rules (GB 3095-2012 §8, configurable).
struct ValidityRules {
  int min_hours_24h = 20;       ///< valid hours needed for a 24-h mean
  int min_hours_8h = 6;         ///< valid hours needed for an 8-h mean
  int min_windows_o3_8h = 14;   ///< valid 8-h means needed for a daily max 8-h O3
  /// Pollutants that must be valid (where present in the input) for an hour or block to be
  /// valid; the AQI is the max over the valid pollutants, and needs at least one.
  std::vector<Pollutant> required{Pollutant::PM25};
  /// Throws lantian::Error naming the field ("aqi.min_hours_24h", ...): min_hours_24h in
  /// 1..24, min_hours_8h in 1..8, min_windows_o3_8h in 1..17, no pollutant listed twice.
  void validate() const;
  bool operator==(const ValidityRules&) const = default;
};

/// Hourly concentrations of one station: one column per pollutant, NaN = missing;
/// an absent pollutant has an empty span.
struct StationSeries {
  std::array<std::span<const double>, kPollutantCount> conc{};
  std::size_t hours = 0;
  bool has(Pollutant p) const noexcept { return !conc[static_cast<int>(p)].empty(); }
};

/// Rolling means (trailing window ending at each hour, inclusive): NaN when fewer than
/// `min_valid` of the `window` hours are valid or the window starts before the series.
/// NaN, infinite and negative values count as missing. O(n).
std::vector<double> rolling_mean(std::span<const double> x, int window, int min_valid);

/// Real-time hourly AQI (实时报) at every hour: SO2, NO2, CO, O3 on their 1-h tables, O3 also
/// on the trailing 8-h mean, PM2.5 and PM10 1-h values on the 24-h table; SO2 1-h above 800
/// falls back to the trailing 24-h SO2 mean.
std::vector<AqiResult> hourly_aqi(const StationSeries& s, const ValidityRules& rules = {});

/// Daily AQI of the 24-h block ENDING at each hour h, i.e. [h-23, h] (日AQI over any continuous
/// 24 h, crossing calendar days): 24-h means of SO2, NO2, CO, PM10, PM2.5 and the largest
/// 8-h O3 mean lying inside the block. aqi == kMissingIndex where the block is invalid or
/// incomplete (h < 23).
std::vector<AqiResult> daily_aqi_trailing(const StationSeries& s, const ValidityRules& rules = {});

/// Vectorised IAQI over an array (NaN -> kMissingIndex). No fallback is available here, so
/// SO2 1-h above 800 and O3 8-h above 800 give kMissingIndex.
/// Pollutant/averaging pairs without an HJ 633 table (e.g. PM2.5 8-h) throw lantian::Error, as
/// does iaqi().
void iaqi_many(Pollutant p, Averaging a, std::span<const double> conc, std::span<int> out);

}  // namespace lantian
