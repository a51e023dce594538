#pragma once
// The station profile: hourly surface observations of one weather station, with or without a
// mixing height, taken as horizontally uniform over the case grid — what a small city bureau has
// (单站气象).
//
// CSV schema (header required, columns in any order, one row per hour, no duplicates):
//   time            ISO 8601 at whole hours; local in the given time zone unless it carries an
//                   offset ("2015-12-01T08:00", "2015-12-01T00:00Z")          required
//   wind10_m_s      10-m wind speed, m/s (>= 0)                                required
//   wind10_dir_deg  10-m wind direction, degrees from north, where it blows from; "cv" or
//                   "calm" (any case) for a calm, accepted with a speed below 0.5 m/s
//                   (direction then 0)                                         required
//   t2_c            2-m temperature, degrees Celsius                           required
//   rh2_pct         2-m relative humidity, % (0..100)                          required
//   pblh_m          mixing height, m (>= 1)               optional, diagnosed when absent or blank
//   cloud_tenths    total cloud cover, tenths (0..10)        optional, default 0
//   ceiling_m       cloud ceiling, m (> 0)                   optional, default unlimited
//   precip_mm_h     precipitation rate, mm/h (>= 0)          optional, default 0
//   ustar_m_s       friction velocity, m/s (> 0)             optional
//   shf_w_m2        upward sensible heat flux, W/m2          optional
//   pressure_hpa    surface pressure, hPa                    optional, default 1013.25
// A blank optional cell takes the default. Lines starting with '#' are comments. Up to 3 missing
// hours between two rows are filled by linear interpolation in time (the direction along the
// shorter arc; a calm end takes the other end's direction), each gap reported as a warning;
// longer gaps are errors.
//
// Hours with a mixing height (pblh_m given) keep the bureau's figures: with ustar_m_s and
// shf_w_m2, L = monin_obukhov_length(u*, H, T2, rho); without them, Turner's class
// (boundary_layer.hpp) from the wind, the cloud and the solar elevation at the station, and L =
// 1 / (the Golder line of that class at z0); u* from the neutral log law u* = k U10 / ln(10 /
// z0) when not observed; H then follows from L, u* and T2.
// Hours without one are diagnosed from the surface observations (surface_energy_balance.hpp):
// Holtslag & van Ulden's energy balance gives H, u* and L (observed u* and H, when both given,
// replace them), the mixing height is the convective growth by day and the mechanical height
// 2300 u*^1.5 at night, and the class is Golder's from that L (pasquill_from_obukhov).
// Without cloud_tenths the diagnosis takes clear skies: the strongest heating by day and
// cooling at night (haze or cloud would lower the day's mixing height).
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"
#include "meteo/surface_profile.hpp"
#include "meteo/surface_energy_balance.hpp"

namespace lantian::meteo {

/// One hour of a station profile, SI units (as read, before profiles are built).
struct StationHour {
  UtcHour time = 0;
  double wind10 = 0.0;      ///< m/s
  double wind_dir = 0.0;    ///< degrees, from
  double t2 = 0.0;          ///< K
  double rh2 = 0.0;         ///< %
  double pblh = 0.0;        ///< m, NaN when not observed (diagnosed)
  double cloud = 0.0;       ///< fraction 0..1
  double ceiling = 0.0;     ///< m (+infinity when unlimited)
  double precip = 0.0;      ///< mm/h
  double ustar = 0.0;       ///< m/s, NaN when not observed
  double shf = 0.0;         ///< W/m2, NaN when not observed
  double pressure = 0.0;    ///< Pa
  bool interpolated = false;  ///< filled in a gap of the file (read_station_csv)
};

/// Where the station is and how to read its file.
struct StationOptions {
  double lat = 0.0;          ///< station latitude, degrees north (for the solar elevation)
  double lon = 0.0;          ///< station longitude, degrees east
  double z0 = 0.5;           ///< roughness length around the station, m
  std::string time_zone = "Asia/Shanghai";  ///< zone of times without an offset
  KzParams kz;               ///< Kz profile parameters
  SurfaceEnergyParams surface;  ///< energy balance and mixing height of hours without pblh_m
};

/// Reads the CSV. Errors name the file, the line and the column, with what was expected:
/// missing or unknown columns (with the nearest valid name), bad numbers, values out of range,
/// times out of order, duplicated or with gaps of more than 3 hours, a calm direction with a
/// wind of 0.5 m/s or more. Gaps of up to 3 hours are interpolated (the hours marked
/// `interpolated`), and one message per gap, naming the file, the line and the hours filled, is
/// appended to `warnings` when given.
std::vector<StationHour> read_station_csv(const std::string& path, const StationOptions& options,
                                          std::vector<std::string>* warnings = nullptr);

/// What the model uses at one station hour.
struct StationDiagnosis {
  double pblh = 0.0;     ///< mixing height, m
  double ustar = 0.0;    ///< friction velocity, m/s
  double shf = 0.0;      ///< upward sensible heat flux, W/m2
  double obukhov = 0.0;  ///< Monin-Obukhov length, m (+infinity neutral)
  StabilityClass stability = StabilityClass::D;  ///< Pasquill-Gifford class
  bool diagnosed = false;  ///< the mixing height (and u*, H, L) diagnosed: pblh was not observed
  BoundaryLayerHour boundary_layer;  ///< the diagnosis of the hour (also where pblh is observed)
};

/// The mixing height, u*, H, L and class of every hour, as described at the top of this file;
/// the boundary layer is diagnosed over the whole series (the heat integral and the smoothing
/// of the mechanical height run from hour to hour).
std::vector<StationDiagnosis> diagnose_station(const std::vector<StationHour>& hours, const StationOptions& options);

/// The station profile as a MetProvider on a grid: horizontally uniform columns built by
/// state_from_surface (surface_profile.hpp); the wind is turned from true north to the grid's
/// axes at the grid centre.
class StationMet final : public MetProvider {
 public:
  StationMet(Grid grid, std::vector<StationHour> hours, StationOptions options, std::string source = "station");
  MetState at(UtcHour t) const override;
  std::pair<UtcHour, UtcHour> coverage() const override;
  /// The surface values `at` builds its columns from at hour t (the wind in the grid's axes).
  SurfaceValues surface_at(UtcHour t) const;
  /// The stability class used at hour t (Golder from observed fluxes or the diagnosed L, else
  /// Turner).
  StabilityClass stability_at(UtcHour t) const;
  /// What the model uses at hour t (diagnose_station).
  const StationDiagnosis& diagnosis_at(UtcHour t) const;

 private:
  std::size_t index(UtcHour t) const;
  Grid grid_;
  std::vector<StationHour> hours_;
  std::vector<StationDiagnosis> diag_;
  StationOptions opt_;
  std::string source_;
  double gamma_ = 0.0;
};

}  // namespace lantian::meteo
