#pragma once
// The sides of the model domain (or of a block of it): one enum for the lateral boundary values
// (solver/boundary.hpp), the transport's halos and side budgets (solver/transport.hpp) and the
// model's budget (solver/eulerian_model.hpp).
#include <array>
#include <string_view>

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

}  // namespace lantian::solver
