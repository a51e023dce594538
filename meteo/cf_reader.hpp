#pragma once
// Reader of CF NetCDF surface meteorology on a regular latitude/longitude grid (ERA5-like), and
// its MetProvider on the case grid.
//
// Coordinates: 1-D latitude (degrees_north, either order) and longitude (degrees_east), found by
// their units or standard_name; time as "<hours|minutes|seconds|days> since <date>" (standard,
// gregorian or proleptic_gregorian calendar), whole hours required. Packed variables are
// unpacked (scale_factor, add_offset) and _FillValue / missing_value become NaN.
//
// Fields, found by standard_name first (among variables of the right shape), then by name (ERA5
// short name, WRF name or CMIP name), and converted by their units attribute (a missing or
// unknown unit is an error naming the variable):
//   t2      air_temperature | t2m | T2 | tas      K, degC
//   u10     eastward_wind | u10 | U10 | uas       m s-1 (also m s**-1, m/s)
//   v10     northward_wind | v10 | V10 | vas
//   rh2     relative_humidity | rh2 | hurs        %, 1 (fraction);  or from the dew point
//   d2m     dew_point_temperature | d2m | tdps    K, degC  -> RH = 100 e_s(Td) / e_s(T) (Bolton 1980)
//   pblh    atmosphere_boundary_layer_thickness | blh | PBLH | pblh      m
//   ustar   zust | UST | ustar                    m s-1
//   shf     surface_upward_sensible_heat_flux | surface_downward_sensible_heat_flux (negated) |
//           ishf (ECMWF: positive downward, so negated) | HFX | hfss (positive upward)   W m-2 |
//           sshf (ERA5: J m-2 accumulated over the step between output times, positive
//           downward -> W m-2 = -sshf / step seconds; accumulations over longer forecast
//           windows, as in ERA-Interim, are not de-accumulated)
//   precip  tp (accumulation over the step: m or mm, divided by the step in hours) | pr
//           (kg m-2 s-1, x 3600) | RAIN (mm h-1)                                       -> mm/h
//   psfc    surface_air_pressure | sp | PSFC | ps  Pa, hPa
//   zsfc    surface_altitude | orog (m) or surface_geopotential | zs (m2 s-2, / g)  ground height
// Surface fields are (time, lat, lon).
//
// Upper air (present when 4-D (time, level, lat, lon) variables exist):
//   u, v    eastward_wind / northward_wind | u, ua, U / v, va, V     m s-1
//   t       air_temperature | t | ta | T                             K, degC
//   humidity  relative_humidity | r | hur | RH (%, 1)  or  specific_humidity | q | hus
//           (kg kg-1, g kg-1, 1) -> RH = relative_humidity(q / (1 - q), p, T) (thermodynamics.hpp)
//   z       geopotential | z (m2 s-2, / g = 9.80665) or geopotential_height | zg | gh (m)
// Level coordinate: the variable named like the level dimension (level, plev, pressure_level,
// isobaricInhPa, height, ...), classified by its units: hPa, mbar, millibars or Pa -> pressure
// levels; m -> height levels. Heights above ground of pressure levels: from z minus the ground
// height (zsfc; without it, the height where log p of the column equals the surface pressure,
// extrapolated from the two lowest levels when below them) when z is present; otherwise by
// hypsometric integration upward from (psfc, t2): dz = (R_d / g) T_mean ln(p_lower / p_upper),
// with T_mean the mean of the two levels' (dry-air, not virtual) temperatures. Height levels are
// taken as above ground unless standard_name is "altitude" or long_name mentions "sea level"
// (then zsfc is subtracted and required). Levels at or below the ground are left out of that
// column. Relative humidity from q needs the pressure at each level: the level itself on pressure
// levels; on height levels hypsometrically from psfc (an error naming sp when absent).
#include <optional>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"

namespace lantian::meteo {

/// Surface and (optional) upper-air fields of a CF file: each a Field2D (nlon, nlat) per time, SI (RH in %, precip mm/h),
/// latitude increasing with j; absent fields are empty vectors.
struct CfSurface {
  std::string file;
  std::vector<double> lat;   ///< increasing, degrees north
  std::vector<double> lon;   ///< increasing, degrees east
  std::vector<UtcHour> times;
  std::vector<Field2D<double>> t2, u10, v10, rh2, pblh, ustar, shf, precip, psfc;
  /// Upper air, each a Field3D (nlon, nlat, nlev) per time, level k upward, latitude increasing:
  /// u, v earth-relative (m/s), t (K), rh (%), z height above ground (m; NaN at or below the
  /// ground). Empty without 4-D fields (then columns come from the surface values).
  std::vector<Field3D<double>> u, v, t, rh, z;
  std::string levels_note;  ///< how level heights were found (for logs); empty without upper air
  bool has_upper_air() const noexcept { return !t.empty(); }
  int nlon() const noexcept { return static_cast<int>(lon.size()); }
  int nlat() const noexcept { return static_cast<int>(lat.size()); }
};

/// Reads the surface fields present in `path`. Throws lantian::Error naming the file and the
/// variable for missing coordinates, unknown units, unsupported calendars, non-whole-hour or
/// non-increasing times.
CfSurface read_cf_surface(const std::string& path);

/// Parses CF time units "hours since 1900-01-01 00:00:0.0" and converts `value` to UTC hours
/// since 1970. Throws lantian::Error(message) for other forms or values off whole hours.
UtcHour cf_time_to_utc(double value, const std::string& units);

/// The CF fields as a MetSeries on `grid`: bilinear in longitude/latitude (0..360 or -180..180)
/// at each cell centre and face, winds turned to the grid's axes. With upper air: u, v, T, RH in
/// each of the four surrounding columns linear in height above ground between the file's levels
/// (column_linear, regrid.hpp), the log law below the first level for winds (log_law_factor),
/// T and RH linear from their 2-m values (the first level's when t2 / rh2 are absent), w = 0;
/// 10-m wind, when absent, from the columns at 10 m. Without upper air: columns from the surface
/// values by state_from_surface (standard lapse rate, surface_profile.hpp), needing t2, u10,
/// v10 and rh2 (or d2m). pblh is always required. A missing variable is an error naming the file
/// and the variables that would do. Without ustar, u* = k U10 / ln(10/z0); without shf, L is
/// neutral (infinite); Kz from kz_profile. A case grid corner outside the lat/lon coverage is an
/// error naming the corner.
MetSeries cf_met(const CfSurface& cf, const Grid& grid, double z0 = 0.5, const KzParams& kz = {});

}  // namespace lantian::meteo
