#pragma once
// A synthetic, analytic winter stagnation episode (冬季静稳天气过程) on any grid, for tests and the
// demo city: a stagnant high with a shallow night mixing layer, weak veering winds, humidity
// building up day after day and a surface inversion every night. Horizontally uniform; every
// quantity is a closed-form function of the local hour h (0..24) and the height z:
//
//   day weight     s(h)  = max(0, sin(pi (h - 8) / 12))        0 before 08:00 and after 20:00,
//                                                               1 at 14:00 local
//   mixing height  PBLH  = pblh_night + (pblh_peak - pblh_night) s(h)
//   10-m wind      U10   = wind_min + (wind_max - wind_min) s(h)
//   direction      dir10 = dir_start + veer_per_day * t_days    (from; veering = clockwise),
//                  dir(z) = dir10 + veer_in_bl * min(z / PBLH, 1)   (Ekman-like turning)
//   wind profile   U(z)  = U10 ln(z / z0) / ln(10 / z0) below PBLH, constant U(PBLH) above
//                  (neutral log law; w = 0: the flow is horizontally uniform, so divergence-free)
//   friction vel.  u*    = k U10 / ln(10 / z0)                 (log law, consistent with U10)
//   heat flux      H     = h_night + (h_peak - h_night) s(h),  W/m2
//   Obukhov length L     = monin_obukhov_length(u*, H, T2, rho(p_surface, T2))
//   2-m temp.      T2    = t_mean + t_amplitude cos(2 pi (h - 14) / 24)
//   temperature    T(z)  = T2 + (1 - s) inv (1 - exp(-z / inv_depth))       night inversion
//                          - s Gamma_d min(z, PBLH)                          mixed layer by day
//                          - Gamma_s max(z - PBLH, 0)                        free troposphere
//                  Gamma_d = 9.8 K/km (dry adiabatic), Gamma_s = 6.5 K/km (standard atmosphere)
//   humidity       RH2   = rh_start + (rh_end - rh_start) t / duration - rh_amplitude
//                          cos(2 pi (h - 14) / 24), limited to 100; RH(z) = RH2 below PBLH and
//                          RH2 exp(-(z - PBLH) / 1500 m) above
//   Kz on z-faces  kz_profile(z, PBLH, u*, L)                   (boundary_layer.hpp)
//   precipitation 0.
// Winds are along the grid axes as if grid north were true north (fine for a city-sized grid).
#include <string>

#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"

namespace lantian::meteo {

/// Parameters of the synthetic episode, with defaults for a North China Plain winter case.
struct SyntheticEpisode {
  UtcHour start = 0;               ///< first hour, UTC
  int hours = 72;                  ///< duration, hours (coverage is start .. start + hours - 1)
  std::string time_zone = "Asia/Shanghai";  ///< local time of the diurnal cycle
  double pblh_night = 150.0;       ///< night mixing height, m
  double pblh_peak = 800.0;        ///< mixing height at 14:00 local, m
  double wind_min = 1.0;           ///< night 10-m wind speed, m/s
  double wind_max = 3.0;           ///< 10-m wind speed at 14:00, m/s
  double dir_start = 180.0;        ///< 10-m wind direction (from) at the start, degrees
  double veer_per_day = 30.0;      ///< clockwise turning of the 10-m wind per day, degrees
  double veer_in_bl = 20.0;        ///< clockwise turning from 10 m to the mixing height, degrees
  double z0 = 0.5;                 ///< roughness length, m (suburban/urban)
  double h_night = -15.0;          ///< night sensible heat flux, W/m2
  double h_peak = 80.0;            ///< sensible heat flux at 14:00, W/m2
  double t_mean = 271.15;          ///< daily mean 2-m temperature, K (-2 C)
  double t_amplitude = 4.0;        ///< half the diurnal range of T2, K
  double inversion = 4.0;          ///< night surface-inversion strength, K
  double inversion_depth = 150.0;  ///< e-folding depth of the night inversion, m
  double rh_start = 60.0;          ///< daily-mean 2-m RH at the start, %
  double rh_end = 95.0;            ///< daily-mean 2-m RH at the end, %
  double rh_amplitude = 5.0;       ///< half the diurnal range of RH2, %
  double p_surface = 101325.0;     ///< surface pressure for the air density, Pa
  KzParams kz;                     ///< Kz floor and surface-layer fraction

  /// Throws lantian::Error naming the parameter when a value is out of range (hours > 0,
  /// 0 < pblh_night <= pblh_peak, 0 < wind_min <= wind_max, z0 in (0, 2) m, RH in 0..100, ...)
  /// or outside its plausible range (core/plausible.hpp: mixing heights, winds, t_mean +-
  /// t_amplitude, RH, heat fluxes, p_surface).
  void validate() const;
};

/// The synthetic episode as a MetProvider on `grid` (states computed on demand).
class SyntheticMet final : public MetProvider {
 public:
  SyntheticMet(Grid grid, SyntheticEpisode episode);
  MetState at(UtcHour t) const override;
  std::pair<UtcHour, UtcHour> coverage() const override;
  const SyntheticEpisode& episode() const noexcept { return ep_; }

 private:
  Grid grid_;
  SyntheticEpisode ep_;
  TimeZone tz_;
};

}  // namespace lantian::meteo
