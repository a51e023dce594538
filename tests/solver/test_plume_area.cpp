// Verification of the Gaussian area source (solver::area_concentration): the integral of the
// point kernel over the polygon, checked against independent sums of point sources.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "solver/gaussian_plume.hpp"

using namespace lantian;
using namespace lantian::solver;

namespace {

PlumeMet wind(char cls, double u, double dir_deg, double mixing_height) {
  PlumeMet m;
  m.wind_speed = u;
  m.wind_dir_deg = dir_deg;
  m.ref_height = 10.0;
  m.temperature_K = 283.15;
  m.stability = cls;
  m.mixing_height = mixing_height;
  return m;
}

emissions::Polygon rectangle(double x0, double y0, double x1, double y1) {
  emissions::Polygon p;
  p.outer = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
  return p;
}

/// The same area as n × n point sources at the centres of equal sub-squares (midpoint rule):
/// an independent discretisation whose error falls as (side/n)².
double lattice_sum(const emissions::Polygon& rect, double height, double rate, const PlumeMet& m, const Receptor& r,
                   const PlumeOptions& o, int n) {
  const double x0 = rect.outer[0].x, y0 = rect.outer[0].y, x1 = rect.outer[2].x, y1 = rect.outer[2].y;
  const double dx = (x1 - x0) / n, dy = (y1 - y0) / n;
  double sum = 0.0;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const PlumeSource s{"p", x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy, height, 0.0, 0.0, 0.0,
                          rate / (static_cast<double>(n) * n)};
      sum += plume_concentration(s, m, r, o);
    }
  return sum;
}

}  // namespace

TEST_CASE("a small area far downwind equals a point source of the same rate", "[plume][area]") {
  // A 10 m square 2 km upwind: the kernel varies over the square by (10 m / σy)² ~ (10/140)²,
  // and the midpoint error of replacing it by its centre is ~ that / 24 ≈ 2e-4.
  const PlumeAreaSource a{"A", rectangle(-5.0, -5.0, 5.0, 5.0), 3.0, 2.0};
  const PlumeSource point{"P", 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 2.0};
  PlumeOptions o;
  for (const char cls : {'B', 'D', 'F'}) {
    const PlumeMet m = wind(cls, 3.0, 270.0, 800.0);
    for (const double y : {0.0, 60.0}) {
      const Receptor r{"r", 2000.0, y, 1.5};
      const double ref = plume_concentration(point, m, r, o);
      REQUIRE(ref > 0.0);
      CHECK(area_concentration(a, m, r, o) == Approx(ref).epsilon(1e-3));
    }
  }
}

TEST_CASE("a 200 m square agrees with a 200 x 200 lattice of point sources", "[plume][area]") {
  // Receptor 150 m downwind of the square's edge, on and off the centre line; wind from the
  // south-west (225°) so the polygon is crossed obliquely. The lattice (1 m sub-squares) is
  // accurate to ~1e-4 here; the area quadrature is asked to agree within 2e-3.
  const auto rect = rectangle(0.0, 0.0, 200.0, 200.0);
  const PlumeAreaSource a{"A", rect, 2.0, 5.0};
  PlumeOptions o;
  for (const char cls : {'C', 'E'}) {
    const PlumeMet m = wind(cls, 2.5, 225.0, 500.0);
    for (const auto& r : {Receptor{"r1", 306.0, 306.0, 0.0}, Receptor{"r2", 330.0, 260.0, 1.5}}) {
      const double ref = lattice_sum(rect, 2.0, 5.0, m, r, o, 200);
      REQUIRE(ref > 0.0);
      CHECK(area_concentration(a, m, r, o) == Approx(ref).epsilon(2e-3));
    }
  }
}

TEST_CASE("a hole removes exactly its own contribution", "[plume][area]") {
  // Linearity in the emitting set: C(square with hole) = C(square) - C(hole) at the same q_a.
  // Both sides are quadratures of the same integrand on different panels: agree to ~1e-6.
  emissions::Polygon holed = rectangle(0.0, 0.0, 400.0, 400.0);
  holed.holes.push_back({{100.0, 100.0}, {100.0, 300.0}, {300.0, 300.0}, {300.0, 100.0}});
  const double qa = 1e-4;  // g/s/m²
  const PlumeAreaSource with_hole{"H", holed, 0.0, qa * (400.0 * 400.0 - 200.0 * 200.0)};
  const PlumeAreaSource full{"F", rectangle(0.0, 0.0, 400.0, 400.0), 0.0, qa * 400.0 * 400.0};
  const PlumeAreaSource hole{"h", rectangle(100.0, 100.0, 300.0, 300.0), 0.0, qa * 200.0 * 200.0};
  PlumeOptions o;
  const PlumeMet m = wind('D', 4.0, 260.0, 1000.0);
  const Receptor r{"r", 700.0, 230.0, 1.5};
  const double expected = area_concentration(full, m, r, o) - area_concentration(hole, m, r, o);
  REQUIRE(expected > 0.0);
  CHECK(area_concentration(with_hole, m, r, o) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("area sources join the contributions after the stacks", "[plume][area]") {
  const std::vector<PlumeSource> stacks{{"S", -500.0, 0.0, 30.0, 0.0, 0.0, 0.0, 10.0}};
  const std::vector<PlumeAreaSource> areas{{"A", rectangle(-300.0, -100.0, -100.0, 100.0), 0.0, 1.0}};
  const std::vector<PlumeMet> hours{wind('D', 3.0, 270.0, 600.0), wind('B', 1.5, 250.0, 1200.0)};
  const std::vector<Receptor> receptors{{"a", 500.0, 0.0, 1.5}, {"b", -1000.0, 0.0, 1.5}};
  PlumeOptions o;
  const Contributions c = compute_contributions(stacks, areas, hours, receptors, o);
  REQUIRE(c.n_sources == 2u);
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t r = 0; r < 2; ++r) {
      CHECK(c.value(h, r, 1) == static_cast<float>(area_concentration(areas[0], hours[h], receptors[r], o)));
      CHECK(c.total(h, r) == Approx(static_cast<double>(c.value(h, r, 0)) + c.value(h, r, 1)).epsilon(1e-6));
    }
  CHECK(c.value(0, 0, 1) > 0.0f);
  CHECK(c.value(0, 1, 1) == 0.0f);  // upwind
}

TEST_CASE("an area without area is an error naming it", "[plume][area]") {
  emissions::Polygon flat;
  flat.outer = {{0.0, 0.0}, {10.0, 0.0}, {20.0, 0.0}};
  const PlumeAreaSource a{"quarry-7", flat, 0.0, 1.0};
  CHECK_THROWS_WITH(area_concentration(a, wind('D', 3.0, 270.0, 500.0), Receptor{"r", 100.0, 0.0, 0.0}, PlumeOptions{}),
                    Catch::Matchers::Contains("quarry-7") && Catch::Matchers::Contains("positive area"));
}
