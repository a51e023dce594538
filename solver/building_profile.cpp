// BPIP-style building profiles: see building_profile.hpp.
#include "solver/building_profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace lantian::solver {

namespace {

/// Ranges of the corners along f and l for the flow vector t (degrees).
struct Extent {
  double fmin = std::numeric_limits<double>::infinity(), fmax = -fmin;
  double lmin = fmin, lmax = -fmin;
};

Extent extent(const emissions::Ring& ring, double xs, double ys, double flow_deg) noexcept {
  const double t = flow_deg * std::numbers::pi / 180.0;
  const double fx = std::sin(t), fy = std::cos(t), lx = -std::cos(t), ly = std::sin(t);
  Extent e;
  for (const XY& c : ring) {
    const double dx = c.x - xs, dy = c.y - ys;
    const double f = fx * dx + fy * dy, l = lx * dx + ly * dy;
    e.fmin = std::min(e.fmin, f);
    e.fmax = std::max(e.fmax, f);
    e.lmin = std::min(e.lmin, l);
    e.lmax = std::max(e.lmax, l);
  }
  return e;
}

/// Even-odd point in ring.
bool inside(const emissions::Ring& ring, double x, double y) noexcept {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const XY& a = ring[i];
    const XY& b = ring[j];
    if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

}  // namespace

BuildingSector project_building(const Building& b, double xs, double ys, double flow_deg) noexcept {
  const Extent e = extent(b.footprint.outer, xs, ys, flow_deg);
  BuildingSector s;
  if (b.footprint.outer.empty()) return s;
  s.height = b.height;
  s.width = e.lmax - e.lmin;
  s.length = e.fmax - e.fmin;
  s.xbadj = e.fmin;
  s.ybadj = 0.5 * (e.lmin + e.lmax);
  return s;
}

bool in_gep_area(const Building& b, double xs, double ys) noexcept {
  const emissions::Ring& ring = b.footprint.outer;
  if (ring.size() < 3) return false;
  if (inside(ring, xs, ys)) return true;
  for (int k = 0; k < 1440; ++k) {
    const Extent e = extent(ring, xs, ys, 0.25 * k);
    const double lb = std::min(b.height, e.lmax - e.lmin);
    // The stack downwind of the building (every corner upwind of it, by at most 5 Lb from the
    // downwind face) and across its projected width.
    if (e.fmax <= 0.0 && -e.fmax <= 5.0 * lb && e.lmin <= 0.0 && e.lmax >= 0.0) return true;
  }
  return false;
}

BuildingDims building_profile(std::span<const Building> buildings, double xs, double ys) {
  BuildingDims dims{};
  std::vector<const Building*> near;
  for (const Building& b : buildings)
    if (b.height > 0.0 && in_gep_area(b, xs, ys)) near.push_back(&b);
  for (int k = 0; k < kBuildingSectors; ++k) {
    const double flow = 10.0 * (k + 1);
    double best = -1.0;
    for (const Building* b : near) {
      const BuildingSector s = project_building(*b, xs, ys, flow);
      const double lb = std::min(s.height, s.width);
      const double lmin = s.ybadj - 0.5 * s.width, lmax = s.ybadj + 0.5 * s.width;
      if (lmin - 0.5 * lb > 0.0 || lmax + 0.5 * lb < 0.0 || s.xbadj > 2.0 * lb) continue;
      const double gep = s.height + 1.5 * lb;
      if (gep > best) {
        best = gep;
        dims[static_cast<std::size_t>(k)] = s;
      }
    }
  }
  return dims;
}

}  // namespace lantian::solver
