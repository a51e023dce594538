#pragma once
// Several weather stations combined onto the grid (多站气象): each station's profile is read and
// its boundary layer diagnosed on its own (station_profile.hpp: its wind, temperature, humidity,
// cloud and its own sun), then every grid cell takes the inverse-distance-weighted mean of the
// stations' surface values (Shepard 1968, "A two-dimensional interpolation function for
// irregularly-spaced data", Proc. 23rd ACM National Conference, 517-524), power 2:
//
//   w_k(cell) = 1 / d_k^2,   value(cell) = sum_k w_k value_k / sum_k w_k,
//
// d_k the map distance (the grid's projected metres) from the cell centre to station k; a
// station closer than 1 m to a cell centre gives that cell its own values. Every station
// contributes everywhere (no radius of influence): with a handful of stations over a city, a
// radius would leave cells with none.
//
// What is averaged: the 10-m wind as its grid-axis components (so opposite winds cancel, as
// they should, rather than averaging directions), T2, RH2, precipitation, the mixing height, u*,
// the sensible heat flux and 1/L (the Obukhov length through its inverse, continuous through
// neutral, as meteo::interpolate does in time). The columns are then built per cell by
// state_from_surface (surface_profile.hpp) with the case's z0 and Kz parameters. Terrain height
// is not used (the stations are taken at the grid's ground level).
//
// The coverage is the hours every station covers; an hour outside it is an error naming the
// station file that lacks it.
#include <string>
#include <utility>
#include <vector>

#include "core/grid.hpp"
#include "meteo/met_state.hpp"
#include "meteo/station_profile.hpp"

namespace lantian::meteo {

/// The inverse-distance weights (power 2) of `stations` (projected x/y) at point p: they sum to
/// 1; a station within 1 m of p takes weight 1 (the first such, in order).
std::vector<double> idw_weights(const std::vector<XY>& stations, XY p);

class StationNetworkMet final : public MetProvider {
 public:
  /// `stations`: one StationMet per station, on `grid`, with the position each was read with.
  /// Throws lantian::Error when fewer than 2 are given or their hours do not overlap.
  StationNetworkMet(Grid grid, std::vector<StationMet> stations, std::vector<LonLat> positions, KzParams kz,
                    std::string source);
  MetState at(UtcHour t) const override;
  std::pair<UtcHour, UtcHour> coverage() const override;
  /// The weight of each station at cell (i, j).
  const std::vector<double>& weights(int i, int j) const { return weights_[static_cast<std::size_t>(j) * nx_ + i]; }

 private:
  Grid grid_;
  std::vector<StationMet> stations_;
  std::vector<std::vector<double>> weights_;  // per cell (i fastest), per station
  KzParams kz_;
  std::string source_;
  std::size_t nx_ = 0;
  std::pair<UtcHour, UtcHour> coverage_;
};

}  // namespace lantian::meteo
