// The plausibility table and its checks: see plausible.hpp. docs/input-ranges.md documents the
// same rows; tests/core/test_plausible.cpp parses it and compares.
#include "core/plausible.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace lantian {

namespace {

using Q = Quantity;

// clang-format off
constexpr std::array<QuantityInfo, 32> kTable{{
    {Q::pm25, "pm25", "PM2.5 concentration", "µg/m³", 0.0, 5000.0, true,
     "hourly PM2.5 reaches 1000-3000 µg/m³ in dust storms (Hotan, Dunhuang, Beijing March 2021); 5000 leaves a margin",
     "observations CSV"},
    {Q::pm10, "pm10", "PM10 concentration", "µg/m³", 0.0, 20000.0, true,
     "hourly PM10 above 10 000 µg/m³ has been recorded near the Taklimakan in dust storms; beta-gauge monitors read up to about 10 000",
     "observations CSV"},
    {Q::so2, "so2", "SO2 concentration", "µg/m³", 0.0, 10000.0, true,
     "the highest hourly SO2 at monitors (coal-heating cities in the 2000s, smelter towns) is a few thousand µg/m³; London 1952 reached about 3800 as a daily mean",
     "observations CSV"},
    {Q::no2, "no2", "NO2 concentration", "µg/m³", 0.0, 3000.0, true,
     "hourly NO2 rarely exceeds 500 µg/m³ even at kerbside; 3000 allows for tunnel and traffic-hotspot monitors",
     "observations CSV"},
    {Q::co, "co", "CO concentration", "mg/m³", 0.0, 500.0, true,
     "HJ 633's 1-h CO scale ends at 150 mg/m³ and city hours rarely exceed 20; 500 allows for fires. Values in µg/m³ (e.g. 1200) by mistake are refused",
     "observations CSV"},
    {Q::o3, "o3", "O3 concentration", "µg/m³", 0.0, 1500.0, true,
     "the worst photochemical smog measured (Los Angeles, 1950s: 0.5-0.7 ppm) is about 1000-1400 µg/m³",
     "observations CSV"},
    {Q::air_temperature, "air_temperature", "air temperature", "K", 183.15, 333.15, true,
     "-90..+60 °C: the record low is -89.2 °C (Vostok, 1983), the record high 56.7 °C (Death Valley, 1913)",
     "station-profile CSV (t2_c, in °C), WRF T2, CF t2m, [meteo.synthetic] t_mean +- t_amplitude, plume met CSV"},
    {Q::relative_humidity, "relative_humidity", "relative humidity", "%", 0.0, 105.0, true,
     "saturation is 100 %; hygrometers and model diagnostics overshoot it by a few per cent",
     "station-profile CSV, CF rh2/hurs, [meteo.synthetic] rh_start/rh_end"},
    {Q::specific_humidity, "specific_humidity", "water-vapour mixing ratio", "kg/kg", 0.0, 0.05, true,
     "the most humid surface air measured (dew point 35 °C, Dhahran 2003) holds about 0.037 kg/kg",
     "WRF Q2"},
    {Q::wind_speed, "wind_speed", "wind speed", "m/s", 0.0, 100.0, true,
     "the strongest sustained tropical-cyclone winds are 85-90 m/s and the strongest gust measured 113 m/s (Barrow Island, 1996); hourly means stay below 100",
     "station-profile CSV, WRF U10/V10, CF u10/v10, [meteo.synthetic] wind_min/wind_max, plume met CSV"},
    {Q::wind_direction, "wind_direction", "wind direction", "degrees", 0.0, 360.0, true,
     "a compass direction the wind blows from",
     "station-profile CSV"},
    {Q::mixing_height, "mixing_height", "mixing height", "m", 0.0, 8000.0, true,
     "the deepest convective boundary layers measured (Taklimakan, Sahara, summer afternoons) reach 5-6 km; 0 occurs in WRF's initial time, before its PBL scheme has run",
     "station-profile CSV (at least 1 m there), WRF PBLH, CF blh, [meteo.synthetic] pblh_night/pblh_peak, plume met CSV"},
    {Q::precipitation, "precipitation", "precipitation rate", "mm/h", 0.0, 400.0, true,
     "the world-record one-hour rainfall is about 305 mm (Holt, Missouri, 1947); Zhengzhou's 2021 record is 201.9 mm/h",
     "station-profile CSV, WRF RAINC+RAINNC (as rates), CF tp/pr"},
    {Q::friction_velocity, "friction_velocity", "friction velocity", "m/s", 0.001, 5.0, true,
     "u* is about a tenth of the wind speed: 0.05-1 m/s over land, a few m/s only in storms",
     "station-profile CSV, plume met CSV"},
    {Q::sensible_heat_flux, "sensible_heat_flux", "sensible heat flux", "W/m²", -500.0, 1000.0, false,
     "midday desert fluxes reach 600-800 W/m² and night fluxes stay above about -200; -99 is a real flux, so codes are not refused here",
     "station-profile CSV, [meteo.synthetic] h_night/h_peak"},
    {Q::surface_pressure, "surface_pressure", "surface pressure", "hPa", 300.0, 1100.0, true,
     "Everest's summit is at about 330 hPa; the record sea-level high is 1084 hPa",
     "station-profile CSV, [meteo.synthetic] p_surface (in Pa)"},
    {Q::cloud_cover, "cloud_cover", "cloud cover", "tenths", 0.0, 10.0, true,
     "tenths of the sky covered",
     "station-profile CSV"},
    {Q::ceiling, "ceiling", "cloud ceiling", "m", 0.0, 1000000.0, false,
     "any height; weather reports code an unlimited ceiling with large numbers (e.g. 99999), which are accepted as 'very high'",
     "station-profile CSV"},
    {Q::stack_height, "stack_height", "release height", "m", 0.0, 500.0, false,
     "the tallest chimney built (GRES-2, Ekibastuz) is 420 m",
     "inventory stacks.csv, plume sources and areas CSV"},
    {Q::stack_diameter, "stack_diameter", "stack diameter", "m", 0.0, 100.0, false,
     "chimney outlets are 1-15 m; flue gas led through natural-draught cooling towers (烟塔合一) leaves tops of 60-90 m",
     "inventory stacks.csv (must be > 0 there), plume sources CSV"},
    {Q::exit_velocity, "exit_velocity", "exit velocity", "m/s", 0.0, 100.0, false,
     "stacks discharge at 5-35 m/s, high-velocity process vents at up to 60-80; sound speed (340 m/s) is the physical limit",
     "inventory stacks.csv, plume sources CSV"},
    {Q::exit_temperature, "exit_temperature", "exit temperature", "K", 200.0, 1500.0, false,
     "stack gas is never colder than the coldest air at an industrial site (-73 °C); flares and incinerator outlets stay below about 1300 K (AERMOD's flare default 1273 K)",
     "inventory stacks.csv, plume sources CSV (blank or 0: ambient)"},
    {Q::emission_rate, "emission_rate", "emission rate", "g/s", 0.0, 10000000.0, false,
     "finite and >= 0; the world's whole anthropogenic SO2 (about 100 Mt/yr = 3e6 g/s) fits in one row, only a unit or typing error exceeds 1e7 g/s",
     "inventory enterprises.csv, area_sources.csv, roads.csv (after unit conversion), plume sources and areas CSV"},
    {Q::grid_spacing_m, "grid_spacing_m", "cell size", "m", 10.0, 100000.0, false,
     "below 10 m the model's physics (Kz, plume rise into cells) does not hold; above 100 km a city is smaller than one cell",
     "case [grid] dx, dy (projected CRS)"},
    {Q::grid_spacing_deg, "grid_spacing_deg", "cell size", "degrees", 0.0001, 1.0, false,
     "the geographic equivalent of 10 m..100 km (1 degree of latitude is 111 km)",
     "case [grid] dx, dy (geographic CRS)"},
    {Q::grid_origin_m, "grid_origin_m", "grid corner coordinate", "m", -40000000.0, 40000000.0, false,
     "no point on Earth is farther from a projection's origin than the Earth's circumference (40 000 km)",
     "case [grid] x0, y0 (projected CRS)"},
    {Q::grid_origin_lon, "grid_origin_lon", "grid corner longitude", "degrees", -360.0, 360.0, false,
     "longitudes as -180..180 or 0..360",
     "case [grid] x0 (geographic CRS)"},
    {Q::grid_origin_lat, "grid_origin_lat", "grid corner latitude", "degrees", -90.0, 90.0, false,
     "latitudes",
     "case [grid] y0 (geographic CRS)"},
    {Q::layer_top, "layer_top", "layer top", "m", 0.0, 30000.0, false,
     "air-quality models stop at 50-100 hPa (15-20 km); 30 km is above any of them",
     "case [grid] layer_tops (must be > 0 and increasing there)"},
    {Q::boundary_concentration, "boundary_concentration", "concentration", "µg/m³", 0.0, 10000.0, false,
     "regional air entering a city stays below dust-storm PM10 peaks (about 10 000 µg/m³); any species",
     "case [model.inflow] and [model.background], boundary CSV and NetCDF"},
    {Q::horizontal_diffusivity, "horizontal_diffusivity", "horizontal diffusivity", "m²/s", 0.0, 10000.0, false,
     "regional models use 1-1000 m²/s; 1e4 is the largest used on coarse global grids",
     "case [model] kh"},
    {Q::time_step, "time_step", "time step", "s", 1.0, 3600.0, false,
     "the step must divide the hour; below 1 s a 72-hour run would take 260 000 steps",
     "case [model] dt"},
}};
// clang-format on

constexpr std::array<double, 6> kCodes{-99.0, -999.0, -9999.0, 9999.0, 99999.0, 999999.0};

constexpr bool table_in_order() noexcept {
  for (std::size_t n = 0; n < kTable.size(); ++n)
    if (static_cast<std::size_t>(kTable[n].quantity) != n) return false;
  return true;
}
static_assert(table_in_order(), "kTable rows must follow the order of enum class Quantity");
static_assert(kTable.size() == static_cast<std::size_t>(Quantity::time_step) + 1, "one row per Quantity");

}  // namespace

std::span<const QuantityInfo> plausible_table() noexcept { return kTable; }

const QuantityInfo& quantity_info(Quantity q) noexcept {
  return kTable[static_cast<std::size_t>(q)];
}

std::span<const double> missing_value_codes() noexcept { return kCodes; }

bool is_missing_code(double v) noexcept {
  for (double c : kCodes)
    if (v == c) return true;
  return false;
}

bool is_plausible(Quantity q, double v) noexcept {
  const QuantityInfo& info = quantity_info(q);
  if (!std::isfinite(v) || v < info.min || v > info.max) return false;
  return !(info.refuse_codes && is_missing_code(v));
}

std::string plausible_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::array<char, 32> buf{};
  // Whole numbers in plain digits (100000, not 1e+05); others in the shortest round-trip form.
  const auto r = std::abs(v) < 1e15 && v == std::trunc(v)
                     ? std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed)
                     : std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

std::string implausible_message(Quantity q, double v, std::string_view written, std::string_view missing_hint) {
  if (is_plausible(q, v)) return {};
  const QuantityInfo& info = quantity_info(q);
  // Built by appending (GCC 12 warns falsely on "literal" + std::string&& with -Wrestrict).
  std::string m(info.name);
  m += ' ';
  if (written.empty()) {
    m += plausible_number(v);
    if (std::isfinite(v)) {
      m += ' ';
      m += info.unit;
    }
  } else {
    m += written;
  }
  if (is_missing_code(v)) {
    m += " is a common missing-value code, not a measurement";
    if (!missing_hint.empty()) {
      m += "; ";
      m += missing_hint;
    }
  } else if (!std::isfinite(v)) {
    m += " is not a finite number";
  } else {
    m += " is outside the plausible range";
  }
  m += " (plausible: ";
  m += plausible_number(info.min);
  m += "..";
  m += plausible_number(info.max);
  m += ' ';
  m += info.unit;
  if (info.unit == "K") {
    m += " (";
    m += plausible_number(std::round((info.min - 273.15) * 100.0) / 100.0);
    m += "..";
    m += plausible_number(std::round((info.max - 273.15) * 100.0) / 100.0);
    m += " °C)";
  }
  m += "; ";
  m += info.reason;
  m += ')';
  return m;
}

void check_plausible(Quantity q, double v, const ErrorContext& ctx, std::string_view written,
                     std::string_view missing_hint) {
  if (is_plausible(q, v)) return;
  throw Error(ctx, implausible_message(q, v, written, missing_hint));
}

}  // namespace lantian
