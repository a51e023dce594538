#pragma once
// The hourly meteorology at one point (单点气象序列), as `lantian met FILE --at LAT,LON` prints
// it: 10-m wind speed and direction (earth-relative), mixing height, u*, Monin-Obukhov length,
// Pasquill-Gifford class, T2, RH2, precipitation and the 静稳 (unfavourable-dispersion) flags.
#include <iosfwd>
#include <string>
#include <vector>

#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/wrf_reader.hpp"

namespace lantian::meteo {

/// Options of the point table.
struct PointOptions {
  /// Roughness length (m) used for the stability class where the input has none (WRF ZNT).
  double z0_default = 0.1;
  StagnationThresholds thresholds;  ///< 静稳 thresholds
};

/// One time of the point table.
struct PointRow {
  UtcHour time = 0;
  double wind_speed = 0.0;     ///< 10-m wind speed, m/s
  double wind_dir = 0.0;       ///< 10-m wind direction, degrees from north, where the wind blows from
  double pblh = 0.0;           ///< mixing height, m
  double ustar = 0.0;          ///< friction velocity, m/s
  double shf = 0.0;            ///< upward sensible heat flux, W/m2
  double obukhov = 0.0;        ///< Monin-Obukhov length, m (+inf neutral)
  double z0 = 0.0;             ///< roughness length used, m
  StabilityClass stability = StabilityClass::D;  ///< Pasquill-Gifford class (Golder, from L and z0)
  double t2 = 0.0;             ///< 2-m temperature, K
  double rh2 = 0.0;            ///< 2-m relative humidity, %
  double precip = 0.0;         ///< precipitation rate, mm/h
  double t_upper = 0.0;        ///< temperature of the lowest model level, K
  double z_upper = 0.0;        ///< height of the lowest model level above ground, m
  StagnationFlags flags;       ///< 静稳 indicators
};

/// The point table and where it was taken.
struct PointSeries {
  double lat = 0.0, lon = 0.0;  ///< requested point, degrees
  double x = 0.0, y = 0.0;      ///< the point in the met grid's CRS, m
  std::vector<PointRow> rows;
};

/// The table at (lat, lon) from a WRF dataset: every field is interpolated bilinearly between
/// the four surrounding cell centres (constant beyond the outermost centres, up to the domain
/// edge); 10-m winds are rotated to earth-relative with COSALPHA/SINALPHA first; L is computed
/// from the interpolated u*, HFX, T2 and the air density PSFC / (R_d T2) (monin_obukhov_length);
/// the surface inversion compares the lowest model level with T2. A point outside the domain
/// throws lantian::Error naming the point and the domain's extent.
PointSeries point_series(const WrfDataset& ds, double lat, double lon, const PointOptions& options = {});

/// Writes the table as CSV with a header:
/// time_utc,time_local,wind10_m_s,wind10_dir_deg,pblh_m,ustar_m_s,shf_w_m2,obukhov_m,stability,
/// t2_c,rh2_pct,precip_mm_h,weak_wind,shallow_mixing,surface_inversion,humid,stagnation_count
/// (flags 0/1; L written as "inf" when neutral; local times in `tz`).
void write_point_series_csv(const PointSeries& series, std::ostream& out, const TimeZone& tz);

/// Writes the CSV to `path` through a temporary file in the same folder renamed into place, so
/// that a failure leaves no half-written file. Throws lantian::Error naming the path.
void save_point_series_csv(const PointSeries& series, const std::string& path, const TimeZone& tz);

}  // namespace lantian::meteo
