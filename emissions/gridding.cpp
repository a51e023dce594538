#include "emissions/gridding.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace lantian::emissions {

namespace {

/// Sutherland-Hodgman clipping of a ring against one half-plane: keep the points where
/// coord(p) >= bound (keep_above) or coord(p) <= bound (!keep_above), coord = x (axis 0) or y.
/// For a non-convex ring the result may hold zero-width slivers along the clip line; they add
/// nothing to the signed area, so the area of the result is the area of the intersection.
void clip(const Ring& in, Ring& out, int axis, double bound, bool keep_above) {
  out.clear();
  const std::size_t n = in.size();
  if (n == 0) return;
  auto coord = [axis](const XY& p) { return axis == 0 ? p.x : p.y; };
  auto inside = [&](const XY& p) { return keep_above ? coord(p) >= bound : coord(p) <= bound; };
  auto cut = [&](const XY& a, const XY& b) {
    // The point of segment ab on the clip line; exact on the line by construction.
    const double t = (bound - coord(a)) / (coord(b) - coord(a));
    return axis == 0 ? XY{bound, a.y + t * (b.y - a.y)} : XY{a.x + t * (b.x - a.x), bound};
  };
  XY prev = in[n - 1];
  bool prev_in = inside(prev);
  for (std::size_t k = 0; k < n; ++k) {
    const XY cur = in[k];
    const bool cur_in = inside(cur);
    if (cur_in) {
      if (!prev_in) out.push_back(cut(prev, cur));
      out.push_back(cur);
    } else if (prev_in) {
      out.push_back(cut(prev, cur));
    }
    prev = cur;
    prev_in = cur_in;
  }
}

/// floor(v), clamped to [lo, hi] before the conversion (no overflow for far-away coordinates).
int floor_index(double v, int lo, int hi) noexcept {
  return static_cast<int>(std::clamp(std::floor(v), static_cast<double>(lo), static_cast<double>(hi)));
}

/// Adds area(ring ∩ cell) * sign / total for every cell the ring overlaps.
void add_ring(const Ring& ring, double sign, double total, const Grid& g, std::vector<CellWeight>& out) {
  double xmin = ring[0].x, xmax = xmin, ymin = ring[0].y, ymax = ymin;
  for (const XY& p : ring) {
    xmin = std::min(xmin, p.x), xmax = std::max(xmax, p.x);
    ymin = std::min(ymin, p.y), ymax = std::max(ymax, p.y);
  }
  // Cells overlapping the bounding box; an empty range (i0 > i1) when it misses the grid.
  const int i0 = floor_index((xmin - g.x0()) / g.dx(), 0, g.nx());
  const int i1 = floor_index((xmax - g.x0()) / g.dx(), -1, g.nx() - 1);
  const int j0 = floor_index((ymin - g.y0()) / g.dy(), 0, g.ny());
  const int j1 = floor_index((ymax - g.y0()) / g.dy(), -1, g.ny() - 1);
  // Orientation: counter-clockwise rings have positive signed area.
  const double orient = signed_area(ring) >= 0.0 ? 1.0 : -1.0;
  Ring a, strip, b, cell;
  for (int i = i0; i <= i1; ++i) {
    clip(ring, a, 0, g.x_face(i), true);
    clip(a, strip, 0, g.x_face(i + 1), false);
    if (strip.size() < 3) continue;
    double sy0 = strip[0].y, sy1 = sy0;
    for (const XY& p : strip) sy0 = std::min(sy0, p.y), sy1 = std::max(sy1, p.y);
    const int ja = std::max(j0, floor_index((sy0 - g.y0()) / g.dy(), 0, g.ny()));
    const int jb = std::min(j1, floor_index((sy1 - g.y0()) / g.dy(), -1, g.ny() - 1));
    for (int j = ja; j <= jb; ++j) {
      clip(strip, b, 1, g.y_face(j), true);
      clip(b, cell, 1, g.y_face(j + 1), false);
      if (cell.size() < 3) continue;
      const double overlap = orient * signed_area(cell);
      if (overlap > 0.0) out.push_back({i, j, sign * overlap / total});
    }
  }
}

}  // namespace

std::vector<CellWeight> area_weights(const std::vector<Polygon>& polygons, const Grid& grid) {
  double total = 0.0;
  for (const Polygon& p : polygons) total += area(p);
  std::vector<CellWeight> out;
  if (!(total > 0.0)) return out;
  for (const Polygon& p : polygons) {
    add_ring(p.outer, 1.0, total, grid, out);
    for (const Ring& h : p.holes) add_ring(h, -1.0, total, grid, out);
  }
  return out;
}

std::vector<CellWeight> length_weights(const std::vector<XY>& path, const Grid& g) {
  std::vector<CellWeight> out;
  double total = 0.0;
  for (std::size_t k = 1; k < path.size(); ++k)
    total += std::hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y);
  if (!(total > 0.0)) return out;
  std::vector<double> ts;
  for (std::size_t k = 1; k < path.size(); ++k) {
    const XY a = path[k - 1], b = path[k];
    const double len = std::hypot(b.x - a.x, b.y - a.y);
    if (len == 0.0) continue;
    ts.assign({0.0, 1.0});
    // Parameters where the segment crosses x faces and y faces.
    auto crossings = [&](double pa, double pb, double origin, double step, int count) {
      if (pa == pb) return;
      const double lo = std::min(pa, pb), hi = std::max(pa, pb);
      const int f0 = -floor_index(-(lo - origin) / step, -count - 1, 0);  // ceil, clamped to [0, count + 1]
      const int f1 = floor_index((hi - origin) / step, -1, count);
      for (int f = f0; f <= f1; ++f) {
        const double t = (origin + f * step - pa) / (pb - pa);
        if (t > 0.0 && t < 1.0) ts.push_back(t);
      }
    };
    crossings(a.x, b.x, g.x0(), g.dx(), g.nx());
    crossings(a.y, b.y, g.y0(), g.dy(), g.ny());
    std::sort(ts.begin(), ts.end());
    for (std::size_t m = 1; m < ts.size(); ++m) {
      const double dt = ts[m] - ts[m - 1];
      if (dt <= 0.0) continue;
      const double tm = 0.5 * (ts[m] + ts[m - 1]);
      if (const auto c = g.cell_of(a.x + tm * (b.x - a.x), a.y + tm * (b.y - a.y)))
        out.push_back({c->i, c->j, dt * len / total});
    }
  }
  return out;
}

SurfaceGridder::SurfaceGridder(const Inventory& inv, const Grid& grid)
    : nx_(grid.nx()), ny_(grid.ny()), profiles_(inv.profiles) {
  auto add = [this](std::vector<CellWeight> cells, const Rates& rates, int profile) {
    Source s;
    s.cells = std::move(cells);
    for (const CellWeight& c : s.cells) s.inside += c.weight;
    s.rates = rates;
    s.profile = profile;
    sources_.push_back(std::move(s));
  };
  for (const AreaSource& a : inv.areas) add(area_weights(a.polygons, grid), a.rates, a.profile);
  for (const RoadSource& r : inv.roads) add(length_weights(r.path, grid), r.rates, r.profile);
  for (const GroundRelease& g : ground_releases(inv)) {
    std::vector<CellWeight> cells;
    if (const auto c = grid.cell_of(g.position.x, g.position.y)) cells.push_back({c->i, c->j, 1.0});
    add(std::move(cells), g.rates, inv.enterprises[g.enterprise].profile);
  }
}

SurfaceEmissions SurfaceGridder::grid_with(const LocalTime* local) const {
  SurfaceEmissions out;
  for (auto& f : out.rate) f = lantian::Field2D<double>(nx_, ny_);
  for (const Source& s : sources_) {
    double factor = 1.0;
    if (local && s.profile >= 0) factor = temporal_factor(profiles_[static_cast<std::size_t>(s.profile)], *local);
    for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
      const double rate = s.rates[p] * factor;
      if (rate == 0.0) continue;
      auto v = out.rate[p].view();
      for (const CellWeight& c : s.cells) v(c.i, c.j) += rate * c.weight;
      out.outside[p] += rate * (1.0 - s.inside);
    }
  }
  return out;
}

SurfaceEmissions SurfaceGridder::annual_mean() const { return grid_with(nullptr); }

SurfaceEmissions SurfaceGridder::at(UtcHour t, const TimeZone& tz) const {
  const LocalTime lt = local_time(t, tz);
  return grid_with(&lt);
}

}  // namespace lantian::emissions
