#pragma once
// Lateral boundaries from a regional (or global) model's CF NetCDF output (区域模式边界): e.g. a
// provincial WRF-Chem / CMAQ / NAQPMS centre's forecast written as CF, or a CAMS global forecast,
// usually with only total PM2.5 (and maybe PM10, SO4, NO3, ...) on its own grid.
//
// The file:
//   - each variable (time, lat, lon) — surface only — or (time, lev, lat, lon); the last two
//     dimensions have 1-D coordinate variables: longitude/latitude (units degrees_east /
//     degrees_north or standard_name longitude / latitude; either may decrease; longitudes
//     0..360 or -180..180), or projected x/y (standard_name projection_x/y_coordinate, or axis
//     X/Y, in m or km) with the variable's grid_mapping naming the CRS (core/grid.hpp
//     crs_of_cf_grid_mapping). Every variable read must lie on the same horizontal grid;
//   - time: the first dimension, its coordinate "<unit> since <date>", calendar standard,
//     gregorian or proleptic_gregorian (or none), whole hours, strictly increasing;
//   - lev: a height coordinate in m or km above ground, positive up (pressure or model levels
//     are refused); a level coordinate of one value is taken as surface only;
//   - units (the variable's `units` attribute, or RegionalBoundaryOptions::units): mass
//     concentrations ug m-3 (µg/m3, ug/m3, ...), ng m-3, mg m-3, g m-3, kg m-3 (CAMS: "kg m**-3").
//     Mixing ratios (kg kg-1, ppb, ppm, mol mol-1) are refused: convert them first.
//     scale_factor / add_offset are applied; _FillValue / missing_value and non-finite or
//     negative values are errors naming the variable, the time and the indices.
//
// Sampling: each boundary cell (the first ghost cell outside each side, solver/boundary.hpp) is
// placed by its centre's longitude/latitude (Grid::to_lonlat), projected to the file's CRS when
// the file is projected, and sampled bilinearly between the file's cell centres around it; in
// time linearly between the file's times around the hour (an hour outside them is an error naming
// the hour and the times covered). Vertically: with heights, linearly between the levels around
// the layer centre (the end values beyond the ends); surface only, the assumed profile
//   c(z) = c_surface                                   for z <= surface_depth_m,
//   c(z) = c_surface exp(−(z − surface_depth_m) / scale_height_m)   above,
// at the layer centre z, by default surface_depth_m = 1000 m and scale_height_m = 1000 m: an
// assumption (a well-mixed boundary layer under a decaying free troposphere), not a fit; a case
// sets both ([model.boundary] surface_depth_m, scale_height_m).
//
// Species: each model species may have its own variable (options.species); a total PM2.5
// variable (options.pm25) fills the PM2.5 species that have none by a composition (fractions of
// PM2.5 mass, PmComposition): SO4 = f_SO4 PM2.5 / 1.375 (as ammonium sulfate), NO3 = f_NO3
// PM2.5 / 1.29 (as ammonium nitrate), SOA = f_SOA PM2.5, and PPM25 (when it has no variable)
// the rest, PM2.5 − (1.375 SO4 + 1.29 NO3 + SOA), at least 0, so that pm25_of (core/species.hpp)
// of the split is the file's PM2.5. A PM10 variable gives PMC = PM10 − PM2.5 (at least 0) when
// PMC has no variable of its own. Species with no variable and not filled so are 0.
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_config.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "core/time_axis.hpp"
#include "solver/boundary.hpp"

namespace lantian::solver {

/// The split of a total PM2.5 into the model's PM2.5 species: the fraction of PM2.5 mass carried
/// by sulfate (as ammonium sulfate), nitrate (as ammonium nitrate) and SOA; primary PM2.5 is the
/// rest. The default (15 %, 20 %, 15 %; primary 50 %) is ASSUMED for a north-China winter: a
/// round split with about half of PM2.5 secondary, in the range reported for winter haze there
/// (Huang et al. 2014, Nature 514, 218: secondary aerosol 30-77 % of PM2.5 in January 2013),
/// not a measurement of any one city; a case overrides it ([model.boundary] composition).
struct PmComposition {
  double so4 = 0.15;
  double no3 = 0.20;
  double soa = 0.15;
};

/// How a regional file is read: the file variable of each model species and of total PM2.5 and
/// PM10 ("" = none). When no name at all is given, PM2.5 and PM10 are found by their usual names
/// (pm2p5, PM25, PM2_5, pm25, PM2.5; pm10, PM10).
struct RegionalBoundaryOptions {
  std::array<std::string, kSpeciesCount> species;
  std::string pm25, pm10;
  std::string units;  ///< overrides every variable's units attribute ("" = the attributes)
  PmComposition composition;
  double surface_depth_m = 1000.0;  ///< surface-only files: constant up to this height (m)
  double scale_height_m = 1000.0;   ///< and exponential above with this scale height (m)
};

/// The options of the case's [model.boundary] keys (names checked when the case was loaded; a
/// composition given replaces the default whole: species not listed get 0, PPM25 the rest).
RegionalBoundaryOptions regional_boundary_options(const BoundaryFileConfig& config);

/// The factor from `units` to µg/m³ (1 for ug m-3, 1e9 for kg m-3, ...); throws lantian::Error
/// naming `where` (file, variable:units) for mixing ratios and units not understood.
double mass_concentration_factor(std::string_view units, const ErrorContext& where);

/// The surface-only profile at height z (m): 1 up to depth, exp(−(z − depth)/scale) above.
double surface_profile_factor(double z, double depth, double scale) noexcept;

/// Fills the PM2.5 species of `c` that `given` marks false from a total PM2.5 (µg/m³) by the
/// composition (see the header comment), and PMC from pm10 (< 0: none) when not given.
void split_pm(double pm25, double pm10, const std::array<bool, kSpeciesCount>& given, const PmComposition& comp,
              PerSpecies& c) noexcept;

/// A regional model's CF NetCDF file as the boundary (see the header comment).
class RegionalBoundary final : public BoundaryProvider {
 public:
  /// Opens and checks the file (grid, coverage of every boundary cell, levels, units); throws
  /// lantian::Error naming the file, the variable or attribute, what was found and expected.
  RegionalBoundary(const std::string& path, const Grid& grid, RegionalBoundaryOptions options = {});
  ~RegionalBoundary() override;
  RegionalBoundary(const RegionalBoundary&) = delete;
  RegionalBoundary& operator=(const RegionalBoundary&) = delete;
  BoundaryValues at(UtcHour t) const override;
  /// The file's times, increasing.
  const std::vector<UtcHour>& times() const noexcept { return times_; }
  /// The variables read, "quantity=variable" (e.g. "PM25=pm2p5"), for messages.
  std::vector<std::string> variables() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<UtcHour> times_;
};

/// The boundary provider of a file in `format`: csv (read_boundary_csv), lantian
/// (NetcdfBoundary), cf (RegionalBoundary), cmaq (CmaqBoundary, cmaq_boundary.hpp: the species
/// variables, surface_depth_m and scale_height_m of `options`; PM25, PM10 and units refused), or
/// auto: a file ending .nc or .nc4 is NetCDF — lantian when it has the variables x, y, z and
/// PPM25, cmaq when it has the IOAPI attributes (is_ioapi_file), else cf — and any other a CSV
/// time series.
std::unique_ptr<BoundaryProvider> open_boundary_file(const std::string& path, const Grid& grid, const TimeZone& zone,
                                                     BoundaryFormat format, const RegionalBoundaryOptions& options);

/// A boundary cell's place between a file's cell centres: the lower indices into the increasing
/// centres and the weights of the upper ones (locate_interval).
struct BoundarySample {
  std::size_t ix = 0, iy = 0;
  double wx = 0.0, wy = 0.0;
};

/// The sample of every lateral boundary cell (ghost_cell_centre; per side in kAllLateralSides
/// order, along the side) in a file whose cell centres are xc, yc (increasing): the cell
/// centre's longitude/latitude projected by `file_crs` when the file is projected, else its
/// longitude moved into the file's range (0..360 or -180..180). A cell outside the centres is
/// an error naming `path`, `context` and the ranges ("<x_label> a..b, <y_label> c..d").
std::array<std::vector<BoundarySample>, kLateralSides> sample_boundary_cells(
    const Grid& grid, const std::vector<double>& xc, const std::vector<double>& yc, const Grid* file_crs,
    const std::string& path, const std::string& context, const std::string& x_label, const std::string& y_label);

}  // namespace lantian::solver
