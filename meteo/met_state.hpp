#pragma once
// MetState: the meteorology of one hour on the case grid (气象场), and MetProvider, the source of
// hourly MetStates for the solvers (WRF, CF NetCDF, station profile or synthetic, regridded).
//
// Staggering (STYLE.md 10), for a Grid of nx x ny cells and nz layers:
//   u   x-faces   (nx+1, ny, nz)   u(i, j, k) on the west face of cell i (i = nx: east edge)
//   v   y-faces   (nx, ny+1, nz)   v(i, j, k) on the south face of cell j
//   w   z-faces   (nx, ny, nz+1)   w(i, j, k) at the bottom of layer k (k = 0: ground, nz: top)
//   kz  z-faces   (nx, ny, nz+1)   Kz at the bottom of layer k (the interfaces where vertical
//                                  diffusive fluxes are computed)
//   t, rh         cell centres (nx, ny, nz)
// u and v are along the grid's x and y axes (grid-relative), m/s. All 2-D fields are at cell
// centres (nx, ny).
#include <string>
#include <utility>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"

namespace lantian::meteo {

/// The meteorology of one hour on a grid. SI units; relative humidity in percent.
struct MetState {
  UtcHour time = 0;  ///< valid time, UTC hours since 1970

  Field3D<double> u;   ///< wind along x on x-faces, m/s
  Field3D<double> v;   ///< wind along y on y-faces, m/s
  Field3D<double> w;   ///< vertical wind on z-faces, m/s
  Field3D<double> t;   ///< air temperature at cell centres, K
  Field3D<double> rh;  ///< relative humidity at cell centres, %
  Field3D<double> kz;  ///< vertical eddy diffusivity on z-faces, m2/s

  Field2D<double> pblh;    ///< mixing height (混合层高度), m above ground
  Field2D<double> ustar;   ///< friction velocity u*, m/s
  Field2D<double> obukhov; ///< Monin-Obukhov length L, m (+infinity when neutral)
  Field2D<double> shf;     ///< upward sensible heat flux, W/m2
  Field2D<double> precip;  ///< precipitation rate, mm/h
  Field2D<double> u10;     ///< 10-m wind along x, m/s
  Field2D<double> v10;     ///< 10-m wind along y, m/s
  Field2D<double> t2;      ///< 2-m temperature, K
  Field2D<double> rh2;     ///< 2-m relative humidity, %

  /// A state of zeros sized and staggered for `grid` (no halos), at time `t`.
  static MetState zeros(const Grid& grid, UtcHour time);

  int nx() const noexcept { return t.nx(); }
  int ny() const noexcept { return t.ny(); }
  int nz() const noexcept { return t.nz(); }
};

/// Linear interpolation between two states of the same shape: (1 - a) s0 + a s1, time `time`.
/// The Obukhov length is interpolated in 1/L, which is continuous through neutral (L = +/-inf).
/// Throws lantian::Error when the shapes differ.
MetState interpolate(const MetState& s0, const MetState& s1, double a, UtcHour time);

/// A source of hourly meteorology on the case grid.
class MetProvider {
 public:
  virtual ~MetProvider() = default;
  /// The state at hour `t`, interpolated linearly in time between input times. Throws
  /// lantian::Error naming `t` and the covered range when t is outside coverage().
  virtual MetState at(UtcHour t) const = 0;
  /// First and last covered hour (inclusive).
  virtual std::pair<UtcHour, UtcHour> coverage() const = 0;
};

/// A MetProvider over a list of states at strictly increasing, not necessarily regular, times
/// (e.g. 3-hourly WRF output regridded to the case grid).
class MetSeries final : public MetProvider {
 public:
  /// Throws lantian::Error (naming `source`, e.g. the input files) when the list is empty, times
  /// are not strictly increasing (duplicates) or shapes differ.
  explicit MetSeries(std::vector<MetState> states, std::string source = "meteorology");
  MetState at(UtcHour t) const override;
  std::pair<UtcHour, UtcHour> coverage() const override;
  const std::vector<MetState>& states() const noexcept { return states_; }

 private:
  std::vector<MetState> states_;
  std::string source_;
};

}  // namespace lantian::meteo
