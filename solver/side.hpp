#pragma once
// The sides of the model domain (or of a block of it): one enum for the lateral boundary values
// (solver/boundary.hpp), the transport's halos and side budgets (solver/transport.hpp) and the
// model's budget (solver/eulerian_model.hpp).
#include <array>
#include <string_view>

#include "core/grid.hpp"

namespace lantian::solver {

/// West, east, south and north (the lateral sides, in this order), and the top.
enum class Side : int { west = 0, east = 1, south = 2, north = 3, top = 4 };
inline constexpr int kLateralSides = 4;
inline constexpr std::array<Side, kLateralSides> kAllLateralSides{Side::west, Side::east, Side::south, Side::north};

/// "west", "east", "south", "north", "top".
constexpr std::string_view side_name(Side s) noexcept {
  constexpr std::array<std::string_view, kLateralSides + 1> names{"west", "east", "south", "north", "top"};
  return names[static_cast<std::size_t>(s)];
}

/// The centre (grid x/y) of the a-th boundary cell of lateral side s: the first ghost cell
/// outside the side, a counted along it from the west or south (0..ny-1 on west/east, 0..nx-1
/// on south/north). The top has no such cell: the grid's centre is returned for it.
inline XY ghost_cell_centre(const Grid& grid, Side s, int a) noexcept {
  switch (s) {
    case Side::west: return {grid.x0() - 0.5 * grid.dx(), grid.y_centre(a)};
    case Side::east: return {grid.x_face(grid.nx()) + 0.5 * grid.dx(), grid.y_centre(a)};
    case Side::south: return {grid.x_centre(a), grid.y0() - 0.5 * grid.dy()};
    case Side::north: return {grid.x_centre(a), grid.y_face(grid.ny()) + 0.5 * grid.dy()};
    case Side::top: break;
  }
  return {0.5 * (grid.x_face(0) + grid.x_face(grid.nx())), 0.5 * (grid.y_face(0) + grid.y_face(grid.ny()))};
}

}  // namespace lantian::solver
