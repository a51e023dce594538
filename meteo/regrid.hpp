#pragma once
// Regridding WRF output onto the case grid (插值到模式网格): bilinear horizontally between the WRF
// cell centres, linear in height above ground between WRF levels, the log law below the first
// level for winds, and the 2-m values below the first level for T and RH. Winds are rotated from
// WRF grid axes to the earth (COSALPHA/SINALPHA) and then to the case grid's axes (its
// meridian convergence, found numerically through PROJ). Kz is computed on the case grid's
// z-faces from the regridded mixing height, u* and L (kz_profile).
#include "core/grid.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"
#include "meteo/wrf_reader.hpp"

namespace lantian::meteo {

/// Options of the regridding.
struct RegridOptions {
  double z0_default = 0.1;  ///< roughness length (m) for the log law where WRF has no ZNT
  KzParams kz;              ///< Kz profile parameters
};

/// The WRF dataset on `grid`: one MetState per WRF time (interpolate in time with MetSeries).
/// Every target point (cell centres and faces) must lie within the WRF cell centres' area; the
/// first failing corner of the case grid (south-west, south-east, north-east, north-west) or
/// point is named in the lantian::Error, with its lon/lat and the WRF file.
///
/// Vertical: for each of the four WRF columns around a point, a value at height z (m above
/// ground) is interpolated linearly between the two WRF mass levels around z; above the top
/// level it is the top value; below the first level (height z1) winds follow the neutral log law
/// U(z) = U(z1) ln(z / z0) / ln(z1 / z0) (direction kept), T and RH are interpolated linearly
/// between their 2-m values and the first level, and w is interpolated between 0 at the ground
/// and the WRF w-levels. The four column values are then combined bilinearly.
MetSeries regrid_wrf(const WrfDataset& ds, const Grid& grid, const RegridOptions& options = {});

/// Angle gamma (radians) of true north from the grid's +y axis at the point (x, y), positive
/// when north leans towards +x; earth-relative (u_e, v_e) become grid-relative
/// (u_e cos g + v_e sin g, -u_e sin g + v_e cos g). Computed by projecting a small step north.
double grid_north_angle(const Grid& grid, double x, double y);

}  // namespace lantian::meteo
