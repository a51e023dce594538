#include "meteo/boundary_layer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>

namespace lantian::meteo {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kMetresPerFoot = 0.3048;
constexpr double kCeilingLowM = 7000.0 * kMetresPerFoot;    // 2133.6 m
constexpr double kCeilingMidM = 16000.0 * kMetresPerFoot;   // 4876.8 m
constexpr double kMetresPerSecondPerKnot = 1852.0 / 3600.0;  // 0.514444 m/s

// Golder (1972) lines 1/L = a + b log10(z0) (Seinfeld & Pandis 2006, ch. 16), classes A..F.
constexpr std::array<double, 6> kGolderA{-0.096, -0.037, -0.002, 0.0, 0.004, 0.035};
constexpr std::array<double, 6> kGolderB{0.029, 0.029, 0.018, 0.0, -0.018, -0.036};

}  // namespace

double air_density(double pressure_pa, double temperature_k) {
  return pressure_pa / (kRDryAir * temperature_k);
}

double monin_obukhov_length(double ustar, double shf_w_m2, double temperature_k, double rho) {
  if (shf_w_m2 == 0.0) return std::numeric_limits<double>::infinity();
  const double u3 = ustar > 0.0 ? ustar * ustar * ustar : 0.0;
  return -rho * kCpDryAir * temperature_k * u3 / (kVonKarman * kGravity * shf_w_m2);
}

char stability_letter(StabilityClass c) noexcept { return static_cast<char>('A' + static_cast<int>(c)); }

double golder_inverse_obukhov(StabilityClass c, double z0) {
  const double lz = std::log10(std::clamp(z0, 0.001, 1.0));
  const auto i = static_cast<std::size_t>(c);
  return kGolderA[i] + kGolderB[i] * lz;
}

StabilityClass pasquill_from_obukhov(double L, double z0) {
  const double inv_l = std::isinf(L) ? 0.0 : 1.0 / L;
  // Walk from the most unstable class: the class is the first whose upper boundary (half-way to
  // the next class's line) lies above 1/L.
  for (int c = 0; c < 5; ++c) {
    const double here = golder_inverse_obukhov(static_cast<StabilityClass>(c), z0);
    const double next = golder_inverse_obukhov(static_cast<StabilityClass>(c + 1), z0);
    if (inv_l < 0.5 * (here + next)) return static_cast<StabilityClass>(c);
  }
  return StabilityClass::F;
}

double solar_elevation_deg(double utc_hours_since_epoch, double lat, double lon) {
  using namespace std::chrono;
  const double day_floor = std::floor(utc_hours_since_epoch / 24.0);
  const sys_days day{days{static_cast<long>(day_floor)}};
  const year_month_day ymd{day};
  const sys_days jan1{ymd.year() / January / 1};
  const double doy = static_cast<double>((day - jan1).count()) + 1.0;  // 1..366
  const double hour = utc_hours_since_epoch - 24.0 * day_floor;
  const double days_in_year = ymd.year().is_leap() ? 366.0 : 365.0;
  // NOAA General Solar Position Calculations: fractional year (rad).
  const double g = 2.0 * std::numbers::pi / days_in_year * (doy - 1.0 + (hour - 12.0) / 24.0);
  const double eqtime_min = 229.18 * (0.000075 + 0.001868 * std::cos(g) - 0.032077 * std::sin(g) -
                                      0.014615 * std::cos(2 * g) - 0.040849 * std::sin(2 * g));
  const double decl = 0.006918 - 0.399912 * std::cos(g) + 0.070257 * std::sin(g) - 0.006758 * std::cos(2 * g) +
                      0.000907 * std::sin(2 * g) - 0.002697 * std::cos(3 * g) + 0.00148 * std::sin(3 * g);
  const double true_solar_min = hour * 60.0 + eqtime_min + 4.0 * lon;
  const double hour_angle = (true_solar_min / 4.0 - 180.0) * kDegToRad;
  const double phi = lat * kDegToRad;
  const double cos_zenith = std::sin(phi) * std::sin(decl) + std::cos(phi) * std::cos(decl) * std::cos(hour_angle);
  return 90.0 - std::acos(std::clamp(cos_zenith, -1.0, 1.0)) / kDegToRad;
}

int turner_net_radiation_index(double solar_elevation, double cloud_cover, double ceiling_m) {
  // Cloud cover in tenths, rounded (the observation unit of Turner's method).
  const double tenths = std::round(std::clamp(cloud_cover, 0.0, 1.0) * 10.0);
  if (tenths >= 10.0 && ceiling_m < kCeilingLowM) return 0;
  if (solar_elevation <= 0.0) return tenths <= 4.0 ? -2 : -1;
  int in = solar_elevation > 60.0 ? 4 : solar_elevation > 35.0 ? 3 : solar_elevation > 15.0 ? 2 : 1;
  if (tenths <= 5.0) return in;
  if (ceiling_m < kCeilingLowM) {
    in -= 2;
  } else if (ceiling_m < kCeilingMidM) {
    in -= 1;
  }
  if (tenths >= 10.0 && ceiling_m >= kCeilingLowM) in -= 1;
  return std::max(in, 1);
}

bool turner_night(double utc_hours_since_epoch, double lat, double lon) {
  return solar_elevation_deg(utc_hours_since_epoch - 1.0, lat, lon) <= 0.0 ||
         solar_elevation_deg(utc_hours_since_epoch + 1.0, lat, lon) <= 0.0;
}

int turner_net_radiation_index(double utc_hours_since_epoch, double lat, double lon, double cloud_cover, double ceiling_m) {
  // A night hour gets elevation 0 (the night branch); a day hour its elevation, which is > 0
  // because the sun is up an hour before and after.
  const double elev = turner_night(utc_hours_since_epoch, lat, lon) ? 0.0 : solar_elevation_deg(utc_hours_since_epoch, lat, lon);
  return turner_net_radiation_index(elev, cloud_cover, ceiling_m);
}

StabilityClass turner_class(double wind10_m_s, int nri) {
  using enum StabilityClass;
  // EPA-454/R-99-005 Table 6-4 (Turner 1964): rows by wind speed in knots, columns NRI 4..-2.
  // Class G (extremely stable) is written as F.
  static constexpr StabilityClass table[9][7] = {
      {A, A, B, C, D, F, F},  // 0-1 kt
      {A, B, B, C, D, F, F},  // 2-3 kt
      {A, B, C, D, D, E, F},  // 4-5 kt
      {B, B, C, D, D, E, F},  // 6 kt
      {B, B, C, D, D, D, E},  // 7 kt
      {B, C, C, D, D, D, E},  // 8-9 kt
      {C, C, D, D, D, D, E},  // 10 kt
      {C, C, D, D, D, D, D},  // 11 kt
      {C, D, D, D, D, D, D},  // >= 12 kt
  };
  const double knots = std::round(std::max(wind10_m_s, 0.0) / kMetresPerSecondPerKnot);
  const int row = knots <= 1 ? 0 : knots <= 3 ? 1 : knots <= 5 ? 2 : knots <= 6 ? 3 : knots <= 7 ? 4
                : knots <= 9 ? 5 : knots <= 10 ? 6 : knots <= 11 ? 7 : 8;
  const int col = 4 - std::clamp(nri, -2, 4);
  return table[row][col];
}

double phi_h(double zeta) {
  return zeta >= 0.0 ? 1.0 + 5.0 * zeta : 1.0 / std::sqrt(1.0 - 15.0 * zeta);
}

double kz_profile(double z, double h, double ustar, double L, const KzParams& params) {
  if (!(z > 0.0) || !(z < h) || !(ustar > 0.0)) return params.kz_min;
  double zeta = 0.0;
  if (!std::isinf(L) && L != 0.0) {
    zeta = L > 0.0 ? z / L : std::min(z, params.surface_layer_fraction * h) / L;
  }
  const double shape = 1.0 - z / h;
  const double k = kVonKarman * ustar * z * shape * shape / phi_h(zeta);
  return std::max(k, params.kz_min);
}

StagnationFlags stagnation_flags(const StagnationInputs& in, const StagnationThresholds& th) {
  StagnationFlags f;
  f.weak_wind = in.wind10 < th.wind10_max;
  f.shallow_mixing = in.pblh < th.pblh_max;
  f.humid = in.rh2 > th.rh2_min;
  const double dz = in.z_upper - 2.0;
  f.surface_inversion = dz > 0.0 && (in.t_upper - in.t2) / dz > th.inversion_lapse_min;
  return f;
}

}  // namespace lantian::meteo
