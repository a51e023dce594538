#pragma once
// Building 3-D columns from surface values (地面资料外推廓线), for inputs that have no upper air:
// a station profile (station_profile.hpp) or surface fields of a CF file (cf_reader.hpp).
//
//   wind   U(z) = U10 ln(z / z0) / ln(10 / z0) for z0 < z <= PBLH, U(PBLH) above, 0 below z0;
//          direction of the 10-m wind at all heights (the neutral logarithmic wind law
//          u(z) = (u*/k) ln(z/z0), scaled to the observed U10; stability corrections are left
//          out so that the profile stays monotone through the mixed layer);
//   T(z)   = T2 - 0.0065 K/m (z - 2 m) (standard-atmosphere lapse rate, ICAO 1993);
//   RH(z)  = RH2 up to PBLH, RH2 exp(-(z - PBLH) / 1500 m) above (drier free troposphere);
//   w      = 0;   Kz on z-faces = kz_profile(z, PBLH, u*, L) (boundary_layer.hpp).
// Face winds are the mean of the two neighbouring cell-centre profiles (the cell's own at the
// grid edges).
#include <vector>

#include "core/grid.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"

namespace lantian::meteo {

/// Surface values of one column, SI; winds along the grid's x and y axes.
struct SurfaceValues {
  double u10 = 0.0, v10 = 0.0;  ///< 10-m wind along grid x, y, m/s
  double t2 = 273.15;           ///< 2-m temperature, K
  double rh2 = 50.0;            ///< 2-m relative humidity, %
  double pblh = 500.0;          ///< mixing height, m
  double ustar = 0.2;           ///< friction velocity, m/s
  double obukhov = 0.0;         ///< Monin-Obukhov length, m
  double shf = 0.0;             ///< upward sensible heat flux, W/m2
  double precip = 0.0;          ///< precipitation rate, mm/h
  double z0 = 0.1;              ///< roughness length, m
};

/// A MetState on `grid` at `time` from one SurfaceValues per cell (i fastest, nx * ny values;
/// a single value is used for every cell). Throws lantian::Error on a size mismatch.
MetState state_from_surface(const Grid& grid, UtcHour time, const std::vector<SurfaceValues>& cells,
                            const KzParams& kz = {});

}  // namespace lantian::meteo
