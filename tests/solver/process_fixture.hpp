#pragma once
// Small grids and states shared by the tests of the Eulerian processes (chemistry, deposition,
// emissions, boundaries, initial state).
#include <omp.h>

#include <cmath>
#include <string>

#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/met_state.hpp"
#include "solver/process_step.hpp"

namespace lantian::test {

/// A 5 x 4 grid of 1 km cells around Beijing (Lambert conformal, 116.4 E, 39.9 N) with layers
/// 0-50, 50-150, 150-400 m.
inline Grid beijing_grid(int nx = 5, int ny = 4) {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  s.nx = nx, s.ny = ny, s.dx = 1000.0, s.dy = 1000.0, s.x0 = -2500.0, s.y0 = -2000.0;
  s.layer_tops = {50.0, 150.0, 400.0};
  return Grid(s);
}

/// Uniform met: temperature t (K), relative humidity rh (%) everywhere, no rain.
inline meteo::MetState uniform_met(const Grid& g, UtcHour time, double t, double rh) {
  meteo::MetState m = meteo::MetState::zeros(g, time);
  m.t.fill(t);
  m.rh.fill(rh);
  m.pblh.fill(500.0);
  m.ustar.fill(0.3);
  m.obukhov.fill(std::numeric_limits<double>::infinity());
  return m;
}

/// Concentrations that differ in every cell and species: base * (1 + 0.1 i + 0.07 j + 0.05 k + 0.03 s).
inline solver::SpeciesFields varied_state(const Grid& g, double base = 10.0) {
  solver::SpeciesFields c = solver::zero_species_fields(g.nx(), g.ny(), g.nz());
  for (Species s : kAllSpecies)
    for (int k = 0; k < g.nz(); ++k)
      for (int j = 0; j < g.ny(); ++j)
        for (int i = 0; i < g.nx(); ++i)
          c[index(s)](i, j, k) = base * (1.0 + 0.1 * i + 0.07 * j + 0.05 * k + 0.03 * static_cast<double>(index(s)));
  return c;
}

/// Σ c V over the interior, µg.
inline double mass(const Field3D<double>& c, const Grid& g) {
  double m = 0.0;
  for (int k = 0; k < g.nz(); ++k)
    for (int j = 0; j < g.ny(); ++j)
      for (int i = 0; i < g.nx(); ++i) m += c(i, j, k) * g.cell_area() * g.thickness(k);
  return m;
}

/// Runs f with `n` OpenMP threads and restores the previous count.
template <class F>
void with_threads(int n, F&& f) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(n);
  f();
  omp_set_num_threads(before);
}

}  // namespace lantian::test
