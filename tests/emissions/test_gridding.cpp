// Gridding of area, road and ground-level sources: exact overlaps against hand-computed cases,
// a lattice-sampling reference for an irregular polygon, mass conservation to round-off and the
// temporal profile.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <numbers>

#include "emissions/gridding.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

/// A 1 km grid of nx x ny cells with its lower-left corner at (0, 0).
Grid km_grid(int nx, int ny) {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  s.nx = nx;
  s.ny = ny;
  s.dx = 1000.0;
  s.dy = 1000.0;
  s.layer_tops = {50.0};
  return Grid(s);
}

Polygon square(double x0, double y0, double x1, double y1) {
  return Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}};
}

/// Weights summed per cell.
std::map<std::pair<int, int>, double> by_cell(const std::vector<CellWeight>& w) {
  std::map<std::pair<int, int>, double> m;
  for (const CellWeight& c : w) m[{c.i, c.j}] += c.weight;
  return m;
}

double sum(const std::vector<CellWeight>& w) {
  double s = 0.0;
  for (const CellWeight& c : w) s += c.weight;
  return s;
}

/// A 16-point star (non-convex), radii alternating 2600 m and 1100 m, centred at (3300, 2700).
Ring star() {
  Ring r;
  for (int k = 0; k < 16; ++k) {
    const double a = 2.0 * std::numbers::pi * k / 16.0 + 0.1;
    const double rad = k % 2 == 0 ? 2600.0 : 1100.0;
    r.push_back({3300.0 + rad * std::cos(a), 2700.0 + rad * std::sin(a)});
  }
  return r;
}

bool point_in_ring(const Ring& r, double x, double y) {
  bool in = false;
  for (std::size_t a = 0, b = r.size() - 1; a < r.size(); b = a++)
    if ((r[a].y > y) != (r[b].y > y) && x < (r[b].x - r[a].x) * (y - r[a].y) / (r[b].y - r[a].y) + r[a].x) in = !in;
  return in;
}

}  // namespace

TEST_CASE("a square covering exactly 2x2 cells gives 1/4 to each", "[emissions][gridding]") {
  const Grid g = km_grid(5, 5);
  const auto m = by_cell(area_weights({square(1000, 2000, 3000, 4000)}, g));
  REQUIRE(m.size() == 4);
  for (auto ij : {std::pair{1, 2}, std::pair{2, 2}, std::pair{1, 3}, std::pair{2, 3}})
    CHECK(m.at(ij) == Approx(0.25).epsilon(1e-15));
}

TEST_CASE("a triangle's overlaps match the hand-computed areas", "[emissions][gridding]") {
  // Triangle (0,0), (2,0), (0,2) km (area 2 km^2), clockwise to test orientation handling.
  // Its hypotenuse x + y = 2 passes through the corner (1, 1): cell (0,0) is fully inside
  // (1 km^2 -> 1/2), cells (1,0) and (0,1) are cut in half (0.5 km^2 -> 1/4), cell (1,1) is
  // outside.
  const Grid g = km_grid(4, 4);
  const Polygon tri{{{0, 0}, {0, 2000}, {2000, 0}}, {}};
  const auto m = by_cell(area_weights({tri}, g));
  CHECK(m.at({0, 0}) == Approx(0.5).epsilon(1e-15));
  CHECK(m.at({1, 0}) == Approx(0.25).epsilon(1e-15));
  CHECK(m.at({0, 1}) == Approx(0.25).epsilon(1e-15));
  CHECK(m.count({1, 1}) == 0);
}

TEST_CASE("holes subtract their area", "[emissions][gridding]") {
  // A 4x4 km square with the central 2x2 km removed: 12 km^2 in 12 whole cells -> 1/12 each.
  const Grid g = km_grid(6, 6);
  Polygon p = square(1000, 1000, 5000, 5000);
  p.holes.push_back(square(2000, 2000, 4000, 4000).outer);
  const auto m = by_cell(area_weights({p}, g));
  CHECK(m.at({1, 1}) == Approx(1.0 / 12.0).epsilon(1e-14));
  CHECK(m.at({2, 2}) == Approx(0.0).margin(1e-15));
  CHECK(sum(area_weights({p}, g)) == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("an irregular polygon: exact overlaps and mass to round-off", "[emissions][gridding]") {
  const Grid g = km_grid(8, 8);
  const Polygon p{star(), {}};
  const std::vector<CellWeight> w = area_weights({p}, g);
  // Mass conservation: the star lies inside the grid, so the fractions sum to 1 to round-off.
  CHECK(std::abs(sum(w) - 1.0) < 1e-12);
  // Independent reference: the fraction of a 1000 x 1000 lattice of cell points inside the
  // polygon (even-odd test). Its error is bounded by (boundary length in the cell) x (lattice
  // step), <= ~3 km x 1 m = 3e-3 of a cell's area; the weights are divided by the star's area.
  const double star_area = area(p);
  const auto m = by_cell(w);
  for (auto ij : {std::pair{3, 2}, std::pair{2, 3}, std::pair{4, 4}, std::pair{1, 1}}) {
    int count = 0;
    const int n = 1000;
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b)
        count += point_in_ring(p.outer, g.x_face(ij.first) + (a + 0.5) * g.dx() / n,
                               g.y_face(ij.second) + (b + 0.5) * g.dy() / n);
    const double ref = count / double(n) / double(n) * g.cell_area() / star_area;
    const double got = m.count(ij) ? m.at(ij) : 0.0;
    CHECK(got == Approx(ref).margin(3e-3 * g.cell_area() / star_area));
  }
}

TEST_CASE("a polygon partly outside the grid keeps only the inside share", "[emissions][gridding]") {
  // Square from x = -1 km to 1 km over 1 km of height: half of it lies west of the grid.
  const Grid g = km_grid(3, 3);
  const auto w = area_weights({square(-1000, 0, 1000, 1000)}, g);
  CHECK(sum(w) == Approx(0.5).epsilon(1e-15));
}

TEST_CASE("roads are spread by length", "[emissions][gridding]") {
  const Grid g = km_grid(4, 4);
  // Horizontal road from x = 0.5 to 2.5 km at y = 0.5 km: 0.5, 1, 0.5 km in cells 0, 1, 2.
  auto m = by_cell(length_weights({{500, 500}, {2500, 500}}, g));
  CHECK(m.at({0, 0}) == Approx(0.25).epsilon(1e-15));
  CHECK(m.at({1, 0}) == Approx(0.5).epsilon(1e-15));
  CHECK(m.at({2, 0}) == Approx(0.25).epsilon(1e-15));
  // A bent road: (0.5, 0.5) -> (0.5, 2.5) -> (1.5, 2.5), length 3 km. First leg: 0.5 km in
  // (0,0), 1 km in (0,1), 0.5 km in (0,2); second leg: 0.5 km in (0,2), 0.5 km in (1,2).
  m = by_cell(length_weights({{500, 500}, {500, 2500}, {1500, 2500}}, g));
  CHECK(m.at({0, 0}) == Approx(0.5 / 3).epsilon(1e-15));
  CHECK(m.at({0, 1}) == Approx(1.0 / 3).epsilon(1e-15));
  CHECK(m.at({0, 2}) == Approx(1.0 / 3).epsilon(1e-15));
  CHECK(m.at({1, 2}) == Approx(0.5 / 3).epsilon(1e-15));
  // Diagonal through cell corners, (0,0) -> (3,3) km: a third in each diagonal cell.
  m = by_cell(length_weights({{0, 0}, {3000, 3000}}, g));
  CHECK(m.size() == 3);
  CHECK(m.at({1, 1}) == Approx(1.0 / 3).epsilon(1e-14));
  // A road leaving the grid: (3.5, 0.5) -> (5.5, 0.5): only 0.5 of 2 km inside.
  CHECK(sum(length_weights({{3500, 500}, {5500, 500}}, g)) == Approx(0.25).epsilon(1e-15));
}

TEST_CASE("SurfaceGridder conserves mass and applies the temporal profile", "[emissions][gridding]") {
  const Grid g = km_grid(8, 8);
  Inventory inv;
  TemporalProfile prof = TemporalProfile::flat("heating");
  prof.month[11] = 1.6;  // December
  prof.hour[8] = 1.5;    // 08:00 local
  inv.profiles.push_back(prof);
  AreaSource a;
  a.polygons = {Polygon{star(), {}}};
  a.rates = {10.0, 3.0, 2.0, 2.5, 0.0, 0.1};
  a.profile = 0;
  inv.areas.push_back(a);
  RoadSource r;
  r.path = {{100, 7900}, {7900, 100}, {9000, 100}};  // the last 1 km (x > 8 km) lies outside
  r.rates = {0.0, 4.0, 0.5, 0.6, 1.0, 0.0};
  inv.roads.push_back(r);
  Enterprise e;
  e.location = {4500, 4500};
  e.rates = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};  // no stack: all at ground level
  inv.enterprises.push_back(e);
  const SurfaceGridder gridder(inv, g);
  CHECK(gridder.source_count() == 3);

  auto field_sum = [](const Field2D<double>& f) {
    double s = 0.0;
    for (int j = 0; j < f.ny(); ++j)
      for (int i = 0; i < f.nx(); ++i) s += f(i, j);
    return s;
  };
  const double road_len = std::hypot(7800.0, 7800.0) + 1100.0;
  const double road_out = 1000.0 / road_len;
  const SurfaceEmissions annual = gridder.annual_mean();
  for (EmittedPollutant p : kAllEmittedPollutants) {
    const std::size_t k = index(p);
    const double expected_in = a.rates[k] + r.rates[k] * (1.0 - road_out) + e.rates[k];
    CHECK(field_sum(annual.rate[k]) == Approx(expected_in).epsilon(1e-12));
    // The star lies inside: its outside share is round-off, 1e-12 of its rate at most.
    CHECK(annual.outside[k] == Approx(r.rates[k] * road_out).epsilon(1e-12).margin(1e-12 * a.rates[k]));
  }
  CHECK(annual.rate[0](4, 4) > 1.0);  // the enterprise's cell holds its 1 g/s

  // 2024-12-10T00:00Z = 08:00 Tuesday in Beijing: the area source gets 1.6 * 1.5 = 2.4, the road
  // and the enterprise (flat) stay at 1.
  const SurfaceEmissions hour = gridder.at(481608, TimeZone("Asia/Shanghai"));
  const double so2 = field_sum(hour.rate[index(EmittedPollutant::so2)]);
  CHECK(so2 == Approx(10.0 * 2.4 + 1.0).epsilon(1e-12));
}

TEST_CASE("sources far outside the grid get no weight", "[emissions][gridding]") {
  const Grid g = km_grid(3, 3);
  CHECK(area_weights({square(1e15, 1e15, 2e15, 2e15)}, g).empty());
  CHECK(area_weights({square(-2e15, -1000, -1e15, 1000)}, g).empty());
  CHECK(length_weights({{-1e15, 500}, {-2e15, 500}}, g).empty());
  // A road crossing the whole grid from far away: exactly 3 km of it inside.
  const double len = 2e12;
  CHECK(sum(length_weights({{-1e12, 500}, {1e12, 500}}, g)) == Approx(3000.0 / len).epsilon(1e-6));
}
