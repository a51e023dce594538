#pragma once
// Regridding WRF output onto the case grid (插值到模式网格): bilinear horizontally between the WRF
// cell centres, linear in height above ground between WRF levels, the log law below the first
// level for winds, and the 2-m values below the first level for T and RH. Winds are rotated from
// WRF grid axes to the earth (COSALPHA/SINALPHA) and then to the case grid's axes (its
// meridian convergence, found numerically through PROJ). Kz is computed on the case grid's
// z-faces from the regridded mixing height, u* and L (kz_profile).
#include <cmath>

#include "core/grid.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"
#include "meteo/wrf_reader.hpp"

namespace lantian::meteo {

/// Linear interpolation in height in one column (shared by the WRF and CF readers): heights
/// zc(k), k = 0..nz-1, increasing, values vc(k). Below the first level: linear from the surface
/// value v_s at height z_s (v_s itself at or below z_s); above the top level: the top value.
template <class ZC, class VC>
double column_linear(ZC&& zc, VC&& vc, int nz, double z, double z_s, double v_s) {
  if (z <= zc(0)) {
    if (z <= z_s) return v_s;
    return v_s + (vc(0) - v_s) * (z - z_s) / (zc(0) - z_s);
  }
  if (z >= zc(nz - 1)) return vc(nz - 1);
  int k = 0;
  while (zc(k + 1) < z) ++k;
  const double w = (z - zc(k)) / (zc(k + 1) - zc(k));
  return (1 - w) * vc(k) + w * vc(k + 1);
}

/// Neutral log-law factor ln(z / z0) / ln(z1 / z0) scaling the wind at the first level z1 to a
/// height z below it; 0 at or below z0.
inline double log_law_factor(double z, double z1, double z0) {
  return z > z0 ? std::log(z / z0) / std::log(z1 / z0) : 0.0;
}

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
