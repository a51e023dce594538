#pragma once
// Gridded emissions in CF NetCDF (网格化排放清单, e.g. MEIC, EDGAR, CAMS or a provincial inventory
// already on a grid): one variable per pollutant on a longitude/latitude or projected grid with
// CF coordinates, read into g/s per source cell and regridded onto the case Grid by exact area
// overlap, conserving mass.
//
// What the reader accepts (read_gridded_netcdf):
//   - a data variable per pollutant (names configurable, default so2, nox, pm25, pm10, voc, nh3;
//     "" = the file has no such pollutant), dimensions (y, x) or (time, y, x) where x and y are
//     1-D CF coordinate variables: longitude/latitude (units degrees_east/degrees_north, or
//     standard_name longitude/latitude), or projection_x/y_coordinate (units m or km) with the
//     data variable's `grid_mapping` (crs_wkt / proj4 / spatial_ref attribute, or the CF
//     grid_mapping_name lambert_conformal_conic, transverse_mercator, albers_conical_equal_area,
//     mercator, polar_stereographic). Coordinates may decrease (ERA5-style latitudes north to
//     south); cell faces are half-way between centres (the end faces half a spacing outside);
//   - a time dimension of length 1 (one annual or episode mean) or 12 (monthly means, January
//     first);
//   - the `units` attribute, mass units only (molar units are rejected: they need a molar mass
//     that the file does not say for lumped species such as VOCs): a flux per area
//     (kg m-2 s-1, g m-2 s-1, t km-2 yr-1, ...) multiplied by the source cell's area, or a rate
//     per cell (t/yr, t yr-1 cell-1, kg/h, g/s, Mg/yr, ...). Converted ONCE, here, to g/s per
//     source cell. A year is 365 days (units.hpp). Unknown units throw lantian::Error naming the
//     file, the variable, the units found and those expected;
//   - `_FillValue` / `missing_value` cells count as 0 (ocean cells of global inventories);
//     `scale_factor` / `add_offset` are applied; NaN or negative values are errors;
//   - the sector: GriddedNetcdfOptions::sector when configured, else the `sector` attribute of
//     the data variables (which must agree) or of the file; none at all is an error.
//
// Source cell areas (for per-area units): on a lon/lat grid the area on the authalic sphere,
//   A = R^2 |Δλ| |sin φ_n - sin φ_s|,  R = 6 371 007.2 m (GRS 80 authalic radius; Snyder 1987,
//   "Map Projections — A Working Manual", USGS PP 1395, eq. 3-13 and table p. 16),
// on a projected grid the map area |dx dy| (the inventory's own cell area).
//
// Regridding (regrid_gridded): each source cell is a polygon — its four edges subdivided into
// `edge_points` segments, every vertex taken to lon/lat and projected through the case Grid's
// PROJ transform (Grid::project) — and distributed by exact area overlap with area_weights()
// (gridding.hpp): the fraction of the polygon's map area in each case cell. The cell rates sum
// to the source rate times the fraction inside the grid; the rest is reported in `outside`.
// Source cells whose corners' lon/lat box misses the case grid's lon/lat box (with a margin of
// one source cell) go to `outside` without being projected (and a global file projects only the
// cells near the city).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "emissions/inventory.hpp"

namespace lantian::emissions {

/// One height range of a gridded file's vertical distribution (gridded_profiles.hpp): the range
/// from the previous range's top (0 for the first) to `top_m` m above ground holds `fraction` of
/// the emission.
struct LayerFraction {
  double top_m = 0.0;
  double fraction = 0.0;
};

/// How to read a gridded file.
struct GriddedNetcdfOptions {
  /// Variable of each pollutant, in EmittedPollutant order; "" when the file has none.
  std::array<std::string, kEmittedPollutantCount> variables{"so2", "nox", "pm25", "pm10", "voc", "nh3"};
  /// The sector of every variable; when absent the file's `sector` attributes say it.
  std::optional<Sector> sector;
};

/// A mass-rate unit of a gridded variable: value * to_grams_per_second (* cell area in m^2 when
/// per_area) = g/s per source cell.
struct GriddedUnit {
  double to_grams_per_second = 1.0;
  bool per_area = false;  ///< true for fluxes (per m^2, km^2, ...): the factor is per m^2
};

/// Parses a UDUNITS-style mass-rate spelling: a mass (g, kg, t, tonne, Mg), optionally per area
/// (m, km squared, e.g. "m-2", "m^-2", "m**-2", "/m2", "/km^2"), optionally per "cell", per time
/// (s, min, h, hr, hour, d, day, yr, year, a), factors separated by blanks, '.', '*' or '/'
/// ("kg m-2 s-1", "kg/m2/s", "t/yr", "t yr-1 cell-1", "g/s"). nullopt for anything else (molar
/// units, missing time, two masses...).
std::optional<GriddedUnit> parse_gridded_unit(std::string_view text);

/// The earth radius used for lon/lat cell areas, m (GRS 80 authalic sphere).
inline constexpr double kAuthalicEarthRadius = 6371007.2;

/// A gridded file as read: the source grid and the rates in g/s per source cell.
struct GriddedSource {
  std::string file;
  Sector sector = Sector::residential_heating;
  bool geographic = true;  ///< lon/lat (degrees) source grid; else projected (m) in `crs`
  std::string crs;         ///< PROJ definition of a projected source grid ("" for lon/lat)
  int nx = 0, ny = 0;
  /// Cell faces along x and y, strictly increasing (nx + 1 and ny + 1 values), degrees or m.
  std::vector<double> x_faces, y_faces;
  /// Whether each pollutant was read (its variable named and present).
  std::array<bool, kEmittedPollutantCount> present{};
  /// rate[t][p][i + nx * j]: g/s in source cell (i, j) for time slice t (1 or 12 slices, or the
  /// steps of a time-stepped file).
  std::vector<std::array<std::vector<double>, kEmittedPollutantCount>> rate;
  /// A time-stepped (hourly) IOAPI file (ioapi_netcdf.hpp): the UTC hour at which slice t starts,
  /// each slice `step_hours` long, contiguous; empty for a mean or monthly file.
  std::vector<UtcHour> step_start;
  int step_hours = 0;
  /// What the reader changed and the user should know (e.g. IOAPI layers summed onto the
  /// surface), one sentence each, naming the file; kept by regrid_gridded.
  std::vector<std::string> warnings;
  /// The temporal profile (gridded_profiles.hpp); nullopt = the sector's default. Set by the
  /// caller (the case's `profile`), kept by regrid_gridded.
  std::optional<TemporalProfile> profile;
  /// The vertical distribution (gridded_profiles.hpp); nullopt = the sector's default, empty = at
  /// the ground. Set by the caller (the case's `layers`), kept by regrid_gridded.
  std::optional<std::vector<LayerFraction>> layers;

  int times() const noexcept { return static_cast<int>(rate.size()); }
  /// True for a time-stepped file (step_start given): its rates carry their own hourly variation.
  bool stepped() const noexcept { return !step_start.empty(); }
  /// Sum over all source cells of time slice t, g/s.
  Rates total(int t = 0) const;
};

/// Reads a CF NetCDF file of gridded emissions (see the top of this header). Throws
/// lantian::Error naming the file and the variable: cannot open, a named variable missing (the
/// variables found are listed), bad dimensions or coordinates, unknown units (found and
/// expected), a time length other than 1 or 12, NaN or negative values, no sector or an unknown
/// one (nearest valid name suggested).
GriddedSource read_gridded_netcdf(const std::string& path, const GriddedNetcdfOptions& options = {});

/// Gridded emissions on the case grid.
struct GriddedEmissions {
  std::string file;
  Sector sector = Sector::residential_heating;
  /// rate[t][p]: g/s per case cell (not per m^2), one entry per time slice of the source.
  std::vector<std::array<Field2D<double>, kEmittedPollutantCount>> rate;
  /// outside[t][p]: g/s of the source that fell outside the case grid.
  std::vector<Rates> outside;
  /// The reader's warnings (GriddedSource::warnings).
  std::vector<std::string> warnings;
  /// GriddedSource::profile: nullopt = the sector's default (gridded_profiles.hpp).
  std::optional<TemporalProfile> profile;
  /// GriddedSource::layers: nullopt = the sector's default, empty = at the ground.
  std::optional<std::vector<LayerFraction>> layers;
  /// GriddedSource::step_start, step_hours: a time-stepped file's slices (empty otherwise).
  std::vector<UtcHour> step_start;
  int step_hours = 0;

  bool stepped() const noexcept { return !step_start.empty(); }
  /// The slice of local month 1..12 (the only slice when the file had one time). Not for a
  /// time-stepped file (slice_index).
  const std::array<Field2D<double>, kEmittedPollutantCount>& for_month(int month) const;
  /// The index of the slice of the hour starting at UTC t whose local month is `month`: the step
  /// whose [start, start + step_hours) holds t for a time-stepped file (an hour outside every step
  /// throws lantian::Error naming the file, the hour and the steps' span), else as for_month.
  std::size_t slice_index(UtcHour t, int month) const;
};

/// Regrids onto the case grid by exact area overlap (see the top of this header). `edge_points`
/// (>= 1) is the number of segments each source cell edge is cut into before projecting, so
/// that curved projected edges (parallels in a conic projection) are followed. Throws
/// lantian::Error (naming the file) when PROJ cannot transform a vertex near the grid.
GriddedEmissions regrid_gridded(const GriddedSource& source, const Grid& grid, int edge_points = 4);

}  // namespace lantian::emissions
