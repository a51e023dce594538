#pragma once
// Plausibility ranges of every input quantity (issue 18, "never destroy what the user gave"):
// ONE table of quantities (name, unit, min, max, the reason for the bounds, the readers that
// apply it), and the checks the readers call after parsing a number. A value outside its range
// is refused with lantian::Error naming the file, line and column (CSV), the key (TOML) or the
// variable, time index and cell (NetCDF), and the value as written; nothing is clamped or
// dropped. docs/input-ranges.md documents the same table (tests/core/test_plausible.cpp checks
// that the two agree).
//
// Missing-value codes (-99, -999, -9999, 9999, 99999, 999999): never taken as data and never
// turned into "missing" silently. A value equal to a code that is outside the range gets a hint
// saying so; for quantities marked `refuse_codes` (observed concentrations and measured
// meteorology) an exact code is refused even inside the range (e.g. PM10 9999), because a code
// is far likelier than a measurement of exactly that value. Values such as 999 are not codes.
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lantian {

/// Every checked input quantity (one row of the table each).
enum class Quantity {
  pm25,                    ///< observed hourly PM2.5, µg/m³
  pm10,                    ///< observed hourly PM10, µg/m³
  so2,                     ///< observed hourly SO2, µg/m³
  no2,                     ///< observed hourly NO2, µg/m³
  co,                      ///< observed hourly CO, mg/m³
  o3,                      ///< observed hourly O3, µg/m³
  air_temperature,         ///< 2-m / near-surface air temperature, K
  relative_humidity,       ///< relative humidity, %
  specific_humidity,       ///< 2-m water-vapour mixing ratio (WRF Q2), kg/kg
  wind_speed,              ///< wind speed (10-m or reference height), m/s
  wind_direction,          ///< wind direction (from), degrees
  mixing_height,           ///< mixing-layer / PBL height, m above ground
  precipitation,           ///< precipitation rate, mm/h
  friction_velocity,       ///< u*, m/s
  sensible_heat_flux,      ///< upward sensible heat flux, W/m²
  surface_pressure,        ///< surface pressure, hPa
  cloud_cover,             ///< total cloud cover, tenths
  ceiling,                 ///< cloud ceiling height, m
  stack_height,            ///< stack (or area/volume release) height, m above ground
  stack_diameter,          ///< stack inner diameter at the outlet, m
  exit_velocity,           ///< stack gas exit velocity, m/s
  exit_temperature,        ///< stack gas exit temperature, K
  emission_rate,           ///< emission rate of one source row and pollutant, g/s
  grid_spacing_m,          ///< cell size dx, dy of a projected grid, m
  grid_spacing_deg,        ///< cell size dx, dy of a geographic grid, degrees
  grid_origin_m,           ///< x0, y0 of a projected grid, m
  grid_origin_lon,         ///< x0 of a geographic grid, degrees east
  grid_origin_lat,         ///< y0 of a geographic grid, degrees north
  layer_top,               ///< model layer top, m above ground
  boundary_concentration,  ///< inflow / boundary / background concentration of a species, µg/m³
  horizontal_diffusivity,  ///< Kh, m²/s
  time_step,               ///< model time step, s
};

/// One row of the table.
struct QuantityInfo {
  Quantity quantity;
  std::string_view key;      ///< stable identifier, as in docs/input-ranges.md ("pm25")
  std::string_view name;     ///< in messages ("PM2.5 concentration")
  std::string_view unit;     ///< "µg/m³", "K", ... (the unit of min and max)
  double min;                ///< smallest plausible value, inclusive
  double max;                ///< largest plausible value, inclusive
  bool refuse_codes;         ///< an exact missing-value code is refused even inside [min, max]
  std::string_view reason;   ///< why these bounds (physics, records, instruments)
  std::string_view readers;  ///< which readers apply it
};

/// The whole table, in the order of Quantity.
std::span<const QuantityInfo> plausible_table() noexcept;
/// The row of `q`.
const QuantityInfo& quantity_info(Quantity q) noexcept;

/// The missing-value codes recognised in inputs.
std::span<const double> missing_value_codes() noexcept;
/// True when v equals one of missing_value_codes().
bool is_missing_code(double v) noexcept;

/// True when v is finite, in [min, max] of q, and not an exact code where q refuses codes.
bool is_plausible(Quantity q, double v) noexcept;

/// Why v is not plausible for q ("" when it is): e.g. "PM2.5 concentration 99999 µg/m³ is a
/// common missing-value code, not a measurement (plausible range 0..5000 µg/m³: ...)".
/// `written` is the value as the user wrote it (the CSV cell); empty: v is printed.
/// `missing_hint` completes a code message with how to mark a missing value in this input
/// (e.g. "write NA or leave the cell blank").
std::string implausible_message(Quantity q, double v, std::string_view written = {},
                                std::string_view missing_hint = {});

/// Throws lantian::Error(ctx, implausible_message(...)) unless is_plausible(q, v).
void check_plausible(Quantity q, double v, const ErrorContext& ctx, std::string_view written = {},
                     std::string_view missing_hint = {});

/// A number as a message prints it: whole numbers below 1e15 in plain digits ("100000"), others in
/// the shortest round-trip form ("1e+300", "0.5").
std::string plausible_number(double v);

}  // namespace lantian
