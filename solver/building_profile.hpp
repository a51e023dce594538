#pragma once
// The buildings a stack sees, per flow direction, from footprints and heights (建筑物廓线):
// a BPIP-style computation (EPA's Building Profile Input Program for PRIME, BPIPPRM 04274, as
// described in ../shared/data/aermod-prime-downwash/README.md §3), so that a user gives
// buildings, not 36 directional tables. Each building is one tier: a footprint polygon (its
// outer ring) and one roof height.
//
// For the flow vector t (the direction the wind blows towards, 10°, 20°, ..., 360°), f = (sin t,
// cos t) along the flow, l = (-cos t, sin t) to the left looking downwind, corners c, stack s:
//   width   W = range of l·(c - s),  length L = range of f·(c - s)
//   xbadj   = min f·(c - s)  (the stack to the upwind face; < 0 when the face is upwind)
//   ybadj   = mid-range of l·(c - s)  (> 0 when the face's midpoint is to the left)
// Influence (with Lb = min(H, W) of the direction):
//   - the stack is in the tier's GEP 5L area: within 5 Lb downwind of the building across its
//     projected width for some direction (every 0.25°), or on its roof; and
//   - for the sector itself, the stack lies crosswind within Lb/2 beyond the projected width's
//     edges and not more than 2 Lb upwind of the upwind face.
// Of the tiers that qualify in a sector, the one with the largest GEP height H + 1.5 Lb is kept.
#include <span>
#include <string>
#include <vector>

#include "emissions/inventory.hpp"
#include "solver/plume_prime.hpp"

namespace lantian::solver {

/// One building tier (建筑物): footprint in the sources' x/y metres and roof height.
struct Building {
  std::string id;
  double height = 0.0;               ///< m above ground (> 0)
  emissions::Polygon footprint;      ///< its outer ring is used
};

/// The projection of one building for a stack and a flow vector (degrees, towards).
BuildingSector project_building(const Building& b, double xs, double ys, double flow_deg) noexcept;

/// Whether the stack at (xs, ys) lies in the building's GEP 5L area (any direction, or on the roof).
bool in_gep_area(const Building& b, double xs, double ys) noexcept;

/// The 36 sectors of the stack at (xs, ys): each the qualifying building with the largest GEP
/// height, zeros where none qualifies.
BuildingDims building_profile(std::span<const Building> buildings, double xs, double ys);

}  // namespace lantian::solver
