#pragma once
// Moist thermodynamics used by the readers: temperature from potential temperature, saturation
// vapour pressure and relative humidity. Pure inline functions of SI inputs.
#include <algorithm>
#include <cmath>

namespace lantian::meteo {

/// R_d / c_p of dry air as WRF uses it (r_d = 287, cp = 7 r_d / 2: module_model_constants).
inline constexpr double kKappa = 2.0 / 7.0;
/// Reference pressure of potential temperature, Pa.
inline constexpr double kP0 = 1.0e5;
/// Ratio of the gas constants of dry air and water vapour, R_d / R_v.
inline constexpr double kEpsilon = 0.622;

/// Temperature (K) from potential temperature theta (K) and pressure p (Pa): T = theta (p/p0)^kappa.
inline double temperature_from_theta(double theta, double p) { return theta * std::pow(p / kP0, kKappa); }

/// Saturation vapour pressure over water (Pa) at temperature T (K), Bolton (1980, Mon. Wea. Rev.
/// 108, 1046-1053) eq. 10: e_s = 611.2 exp(17.67 (T - 273.15) / (T - 29.65)).
inline double saturation_vapour_pressure(double t) { return 611.2 * std::exp(17.67 * (t - 273.15) / (t - 29.65)); }

/// Relative humidity (%) from the water-vapour mixing ratio w (kg/kg), pressure p (Pa) and
/// temperature T (K): e = w p / (epsilon + w), RH = 100 e / e_s(T), limited to 0..100.
inline double relative_humidity(double w, double p, double t) {
  const double e = std::max(w, 0.0) * p / (kEpsilon + std::max(w, 0.0));
  return std::clamp(100.0 * e / saturation_vapour_pressure(t), 0.0, 100.0);
}

}  // namespace lantian::meteo
