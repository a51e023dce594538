#pragma once
// The one lateral halo fill of the Eulerian fields (issue 11). Every halo written in solver/ goes
// through fill_halo() below: the transport's zero-gradient and inflow halos (transport.hpp
// fill_halo_zero_gradient, fill_halo_inflow, fill_halo_inflow_tagged), the model's halos from
// the hour's boundary values (boundary.hpp fill_boundary_halo, fill_boundary_halo_tags; one
// layer at a time for the tagged advection, processes.cpp fill_layer) and the
// plain copy of the boundary values into the halos (boundary.hpp fill_halos). They differ only in
// the two small functions they pass: where the boundary is an inflow, and the value there.
//
// Cells: side west covers i = −1..−w of rows j = 0..ny−1, east i = nx..nx+w−1, south
// j = −1..−w of columns i = 0..nx−1, north j = ny..ny+w−1, in every layer k (w the width). With
// `corners`, west and east also cover the rows −w..−1 and ny..ny+w−1 (the corner blocks), as the
// nearest row: along index clamped to 0..ny−1. A halo cell of boundary cell (side, along, k)
// takes value(side, along, k) where inflow(side, along, k) holds, else the interior cell next to
// it (zero gradient: i = 0 or nx−1, j = 0 or ny−1). The layers are k0..k1−1 of the extent (all by
// default; one layer for the plane-by-plane tagged advection). Only the halo is written and only the
// interior is read, so the result does not depend on the order of the cells.
#include <algorithm>

#include "core/field.hpp"
#include "solver/side.hpp"

namespace lantian::solver {

/// Horizontal halo width of concentration fields (the MC stencil reaches two cells upwind).
inline constexpr int kTransportHalo = 2;

/// Which halo cells fill_halo writes.
struct HaloExtent {
  int width = kTransportHalo;  ///< halo layers per side, 1..field halo
  bool corners = false;        ///< also the corner blocks (as the nearest row of west/east)
  int k0 = 0;                  ///< first layer written
  int k1 = -1;                 ///< one past the last layer written (< 0: the field's nz)
};

/// The inflow faces of the winds: true where the normal wind at the boundary face blows into
/// the domain (u > 0 on the west face, u < 0 east, v > 0 south, v < 0 north; u on x-faces
/// (nx+1, ny, nz), v on y-faces (nx, ny+1, nz)).
struct WindInflow {
  FieldView3D<const double> u, v;
  int nx = 0, ny = 0;
  WindInflow(const Field3D<double>& uf, const Field3D<double>& vf, int nx_cells, int ny_cells) noexcept
      : u(uf.view()), v(vf.view()), nx(nx_cells), ny(ny_cells) {}
  bool operator()(Side s, int along, int k) const noexcept {
    switch (s) {
      case Side::west: return u(0, along, k) > 0.0;
      case Side::east: return u(nx, along, k) < 0.0;
      case Side::south: return v(along, 0, k) > 0.0;
      default: return v(along, ny, k) < 0.0;
    }
  }
};

/// No inflow anywhere: a zero-gradient halo.
struct NoInflow {
  bool operator()(Side, int, int) const noexcept { return false; }
};
/// Inflow everywhere: the halo holds the boundary values.
struct AllInflow {
  bool operator()(Side, int, int) const noexcept { return true; }
};

/// The halo fill (see the top of this header): inflow(Side, along, k) -> bool and
/// value(Side, along, k) -> double (called at inflow cells only). The caller checks that the
/// field's halo is at least extent.width.
template <class Inflow, class Value>
void fill_halo(Field3D<double>& c, const HaloExtent& extent, Inflow&& inflow, Value&& value) {
  const int nx = c.nx(), ny = c.ny(), w = extent.width, rim = extent.corners ? w : 0;
  const int k1 = extent.k1 < 0 ? c.nz() : extent.k1;
  auto f = c.view();
  for (int k = extent.k0; k < k1; ++k) {
    for (int j = -rim; j < ny + rim; ++j) {
      const int a = std::clamp(j, 0, ny - 1);
      const double west = inflow(Side::west, a, k) ? value(Side::west, a, k) : f(0, a, k);
      const double east = inflow(Side::east, a, k) ? value(Side::east, a, k) : f(nx - 1, a, k);
      for (int l = 1; l <= w; ++l) {
        f(-l, j, k) = west;
        f(nx - 1 + l, j, k) = east;
      }
    }
    for (int i = 0; i < nx; ++i) {
      const double south = inflow(Side::south, i, k) ? value(Side::south, i, k) : f(i, 0, k);
      const double north = inflow(Side::north, i, k) ? value(Side::north, i, k) : f(i, ny - 1, k);
      for (int l = 1; l <= w; ++l) {
        f(i, -l, k) = south;
        f(i, ny - 1 + l, k) = north;
      }
    }
  }
}

}  // namespace lantian::solver
