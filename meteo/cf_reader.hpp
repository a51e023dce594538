#pragma once
// Reader of CF NetCDF surface meteorology on a regular latitude/longitude grid (ERA5-like), and
// its MetProvider on the case grid.
//
// Coordinates: 1-D latitude (degrees_north, either order) and longitude (degrees_east), found by
// their units or standard_name; time as "<hours|minutes|seconds|days> since <date>" (standard,
// gregorian or proleptic_gregorian calendar), whole hours required. Packed variables are
// unpacked (scale_factor, add_offset) and _FillValue / missing_value become NaN.
//
// Fields, found by name (ERA5 short name, WRF name or CMIP name) and converted by their units
// attribute (a missing or unknown unit is an error naming the variable):
//   t2      t2m | T2 | tas                    K, degC
//   u10     u10 | U10 | uas                   m s-1 (also m s**-1, m/s)
//   v10     v10 | V10 | vas
//   rh2     rh2 | hurs                        %, 1 (fraction);  or from the dew point
//   d2m     d2m | tdps                        K, degC  -> RH = 100 e_s(Td) / e_s(T) (Bolton 1980)
//   pblh    blh | PBLH | pblh                 m
//   ustar   zust | UST | ustar                m s-1
//   shf     ishf (ECMWF: positive downward, so negated) | HFX | hfss (positive upward)   W m-2
//   precip  tp (accumulation over the step: m or mm, divided by the step in hours) | pr
//           (kg m-2 s-1, x 3600) | RAIN (mm h-1)                                       -> mm/h
//   psfc    sp | PSFC | ps                    Pa, hPa
// Only surface (2-D in space) fields are read: 3-D fields on pressure or height levels are not
// (the columns are built from the surface values, surface_profile.hpp).
#include <optional>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"

namespace lantian::meteo {

/// Surface fields of a CF file: each a Field2D (nlon, nlat) per time, SI (RH in %, precip mm/h),
/// latitude increasing with j; absent fields are empty vectors.
struct CfSurface {
  std::string file;
  std::vector<double> lat;   ///< increasing, degrees north
  std::vector<double> lon;   ///< increasing, degrees east
  std::vector<UtcHour> times;
  std::vector<Field2D<double>> t2, u10, v10, rh2, pblh, ustar, shf, precip, psfc;
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

/// The CF surface fields as a MetSeries on `grid`: bilinear in longitude/latitude at each cell
/// centre, winds turned to the grid's axes, columns built by state_from_surface. Needs t2, u10,
/// v10, pblh and rh2 (or d2m): a missing one is an error naming the file and the variables that
/// would do. Without ustar, u* = k U10 / ln(10/z0); without shf, L is neutral (infinite). A case
/// grid corner outside the lat/lon coverage is an error naming the corner.
MetSeries cf_met(const CfSurface& cf, const Grid& grid, double z0 = 0.5, const KzParams& kz = {});

}  // namespace lantian::meteo
