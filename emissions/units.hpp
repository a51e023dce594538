#pragma once
// Emission-rate units. Inventories give rates in t/yr (吨/年), kg/h or g/s; lantian converts them
// once, at reading, to g/s (DESIGN.md "Units") and uses g/s everywhere after that.
//
// A year is 365 days of 86 400 s (the convention of annual inventories such as MEIC; leap days
// are ignored): 1 t/yr = 1e6 g / 31 536 000 s = 0.031709791983764585 g/s.
#include <optional>
#include <string_view>

namespace lantian::emissions {

/// Seconds in the 365-day inventory year.
inline constexpr double kSecondsPerYear = 365.0 * 24.0 * 3600.0;
/// g/s in one t/yr (1e6 g per 365-day year).
inline constexpr double kGramsPerSecondPerTonnePerYear = 1.0e6 / kSecondsPerYear;
/// g/s in one kg/h (1000 g per 3600 s).
inline constexpr double kGramsPerSecondPerKilogramPerHour = 1000.0 / 3600.0;

/// The rate units accepted in inventory files.
enum class RateUnit { g_per_s, kg_per_h, t_per_yr };

/// Factor that turns a value in `unit` into g/s.
constexpr double to_grams_per_second_factor(RateUnit unit) noexcept {
  switch (unit) {
    case RateUnit::kg_per_h: return kGramsPerSecondPerKilogramPerHour;
    case RateUnit::t_per_yr: return kGramsPerSecondPerTonnePerYear;
    case RateUnit::g_per_s: break;
  }
  return 1.0;
}

/// `value` in `unit` -> g/s.
constexpr double to_grams_per_second(double value, RateUnit unit) noexcept {
  return value * to_grams_per_second_factor(unit);
}

/// g/s -> t/yr (for reports of annual totals).
constexpr double to_tonnes_per_year(double grams_per_second) noexcept {
  return grams_per_second / kGramsPerSecondPerTonnePerYear;
}

/// Parses a unit spelling: "g/s"; "kg/h" (or "kg/hr"); "t/yr" (or "t/a", "t/y", "t/year").
/// Case-insensitive; surrounding blanks ignored. nullopt when not recognised.
std::optional<RateUnit> parse_rate_unit(std::string_view text) noexcept;

/// Canonical spelling: "g/s", "kg/h", "t/yr".
std::string_view rate_unit_name(RateUnit unit) noexcept;

}  // namespace lantian::emissions
