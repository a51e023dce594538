// Verification of the transport numerics (solver/transport.hpp) against exact solutions, with
// measured convergence orders, conservation to round-off, tag additivity and thread invariance.
// Exact references: translated profiles (advection), the moving, spreading Gaussian puff and the
// heat kernel with images (diffusion), the discrete eigenmode decay (backward Euler in time).
#include <omp.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <numbers>
#include <vector>

#include "core/error.hpp"
#include "core/error_message.hpp"
#include "solver/transport.hpp"
#include "tests/solver/transport_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using namespace lantian::solver::transport_test;
using Catch::Matchers::Contains;


TEST_CASE("1-D advection of a smooth profile converges at second order in L1", "[transport]") {
  // sin² bump with a flat zero part and a smooth cosine, once around the periodic unit interval:
  // the exact solution is the initial profile. The MC limiter clips the two extrema of the sine
  // (first order in O(1) cells there), so L1 converges at ~2 and L∞ at less; we assert L1 ≥ 1.8
  // between the two finest pairs, the textbook behaviour (LeVeque 2002, §6.12, Table 6.1-like).
  auto profile = [](double x) { return 1.0 + 0.5 * std::sin(2.0 * kPi * x) + 0.25 * std::cos(4.0 * kPi * x); };
  const double e50 = periodic_1d_error(50, profile);
  const double e100 = periodic_1d_error(100, profile);
  const double e200 = periodic_1d_error(200, profile);
  const double e400 = periodic_1d_error(400, profile);
  INFO("L1 errors " << e50 << " " << e100 << " " << e200 << " " << e400 << "; orders " << order(e50, e100) << " "
                    << order(e100, e200) << " " << order(e200, e400));
  CHECK(order(e100, e200) >= 1.8);
  CHECK(order(e200, e400) >= 1.8);
  CHECK(e400 < 2e-4);
}

TEST_CASE("1-D advection of a square wave: positive, no new extrema", "[transport]") {
  // TVD (Harten 1983) for Courant ≤ 1: max and min over every step stay within the initial
  // [0.2, 1.2] to round-off (1e-12 on values of order 1).
  auto square = [](double x) { return (x > 0.25 && x < 0.6) ? 1.2 : 0.2; };
  double cmin = 0.0, cmax = 0.0;
  const double e = periodic_1d_error(200, square, &cmin, &cmax);
  CHECK(cmin >= 0.2 - 1e-12);
  CHECK(cmax <= 1.2 + 1e-12);
  // The two discontinuities smear over a few cells: L1 error ≈ 2 jumps × 1.0 × O(√(n steps)) cells.
  CHECK(e < 0.03);
}

TEST_CASE("vertical advection on uniform and stretched layers converges at second order", "[transport]") {
  // A Gaussian (σ = 60 m) lifted from 300 m to 600 m by w = 0.1 m/s in a closed 1000 m column;
  // exact: the translated Gaussian (far from the walls: < 1e-12 there). The stretched grid has
  // layer tops z_k = H ((k+1)/n)^1.3 (thin near the ground, as in the model), a smooth mapping,
  // so the scheme stays second order (asserted ≥ 1.7: the limiter clips the peak).
  const double H = 1000.0, w0 = 0.1, T = 3000.0, sigma = 60.0;
  auto exact = [&](double z, double t) { return std::exp(-0.5 * std::pow((z - 300.0 - w0 * t) / sigma, 2)); };
  for (const double stretch : {1.0, 1.3}) {
    std::vector<double> errs;
    for (const int n : {50, 100, 200, 400}) {
      std::vector<double> tops(static_cast<std::size_t>(n));
      for (int k = 0; k < n; ++k) tops[static_cast<std::size_t>(k)] = H * std::pow((k + 1.0) / n, stretch);
      std::vector<double> dz(tops.size());
      for (std::size_t k = 0; k < tops.size(); ++k) dz[k] = tops[k] - (k == 0 ? 0.0 : tops[k - 1]);
      const auto g = geometry(100.0, 100.0, dz);
      std::vector<Field3D<double>> c;
      c.push_back(field(2, 1, n));
      for (int k = 0; k < n; ++k) {
        const double zb = k == 0 ? 0.0 : tops[static_cast<std::size_t>(k - 1)];
        const double a = average_1d([&](double z) { return exact(z, 0.0); }, zb, tops[static_cast<std::size_t>(k)]);
        c[0](0, 0, k) = a;
        c[0](1, 0, k) = a;
      }
      const auto w = z_faces(2, 1, n, w0);
      const double m0 = field_mass(c[0], g);
      const int steps = 40;
      for (int s = 0; s < steps; ++s) advect_vertical(c, w, g, T / steps);
      double err = 0.0;
      for (int k = 0; k < n; ++k) {
        const double zb = k == 0 ? 0.0 : tops[static_cast<std::size_t>(k - 1)];
        const double ex = average_1d([&](double z) { return exact(z, T); }, zb, tops[static_cast<std::size_t>(k)]);
        err += std::abs(c[0](0, 0, k) - ex) * dz[static_cast<std::size_t>(k)];
      }
      CHECK(std::abs(field_mass(c[0], g) - m0) <= 1e-13 * m0);  // closed column
      CHECK(min_interior(c[0]) >= 0.0);
      CHECK(c[0](0, 0, n / 2) == c[0](1, 0, n / 2));
      errs.push_back(err);
    }
    INFO("stretch " << stretch << ": L1 errors " << errs[0] << " " << errs[1] << " " << errs[2] << " " << errs[3]
                    << "; orders " << order(errs[0], errs[1]) << " " << order(errs[1], errs[2]) << " "
                    << order(errs[2], errs[3]));
    CHECK(order(errs[1], errs[2]) >= 1.7);
    CHECK(order(errs[2], errs[3]) >= 1.7);
  }
}

TEST_CASE("2-D diagonal advection of a smooth bump: second order, mass to round-off", "[transport]") {
  // Translation by (u, v) = (1, 0.5) over t = 1 on the periodic unit square (the bump returns
  // to x + 1 ≡ x, y + 0.5). Strang splitting is second order, so is the whole scheme: L1 order
  // ≥ 1.8 asserted. Periodic: the mass must not change beyond round-off (relative 1e-13).
  auto bump = [](double x, double y) {
    const double dx = x - 0.5, dy = y - 0.5;
    return 0.1 + std::exp(-(dx * dx + dy * dy) / (2.0 * 0.08 * 0.08));
  };
  auto periodic_bump = [&](double x, double y) {
    double s = 0.0;
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b) s += bump(x + a, y + b) - 0.1;
    return 0.1 + s;
  };
  std::vector<double> errs;
  for (const int n : {32, 64, 128, 256}) {
    const double h = 1.0 / n;
    std::vector<Field3D<double>> c;
    c.push_back(field(n, n, 1));
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) c[0](i, j, 0) = average_2d(periodic_bump, i * h, (i + 1) * h, j * h, (j + 1) * h);
    const auto g = geometry(h, h, {1.0});
    const auto u = u_faces(n, n, 1, 1.0);
    const auto v = v_faces(n, n, 1, 0.5);
    const double m0 = field_mass(c[0], g);
    const int steps = n;  // Courant 1 in x (dt/2 per x half step: 0.5), 0.5 in y → 2 sub-steps
    std::vector<TransportBudget> budget(1);
    int substeps = 0;
    for (int s = 0; s < steps; ++s) {
      fill_periodic(c[0]);
      substeps = advect_horizontal(c, u, v, g, 1.0 / steps, periodic_halo(), budget).substeps;
    }
    CHECK(substeps == 2);
    CHECK(std::abs(field_mass(c[0], g) - m0) <= 1e-13 * m0);
    // Periodic: what leaves east enters west.
    CHECK(budget[0].outflow[1] == Approx(budget[0].inflow[0]).epsilon(1e-12));
    double err = 0.0;
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        err += std::abs(c[0](i, j, 0) -
                        average_2d([&](double x, double y) { return periodic_bump(x, y - 0.5); }, i * h, (i + 1) * h,
                                   j * h, (j + 1) * h)) *
               h * h;
    errs.push_back(err);
  }
  INFO("L1 errors " << errs[0] << " " << errs[1] << " " << errs[2] << " " << errs[3] << "; orders "
                    << order(errs[0], errs[1]) << " " << order(errs[1], errs[2]) << " " << order(errs[2], errs[3]));
  CHECK(order(errs[1], errs[2]) >= 1.8);
  CHECK(order(errs[2], errs[3]) >= 1.8);
}

// ---- Diffusion ---------------------------------------------------------------------------------

TEST_CASE("Gaussian puff in a uniform wind with constant K: second order in space and time", "[transport]") {
  // Exact solution of c_t + u·∇c = K ∇²c from a Gaussian of variance σ0² = 2 K t0:
  //   c = M / (4π K (t0 + t)) exp(−|x − x0 − u t|² / (4 K (t0 + t))),
  // on a periodic square large enough (≥ 4.5 σ to the edges: the images add < 1e-4 relative, far
  // under the errors below). Advection (Strang-split MC) and explicit diffusion commute for
  // constant coefficients, so the only errors are the schemes'. Refining dx and dt together
  // (Courant fixed) makes the diffusion sub-steps ∝ dx²: the whole error is O(dx²), asserted as
  // L1 order ≥ 1.8.
  const double L = 10'000.0, K = 50.0, ux = 2.0, vy = 1.0, t0 = 2500.0, T = 1500.0;
  const double x0 = 3500.0, y0 = 4000.0, M = 1.0e9;
  auto exact = [&](double x, double y, double t) {
    const double s = 4.0 * K * (t0 + t);
    const double dx = x - x0 - ux * t, dy = y - y0 - vy * t;
    return M / (kPi * s) * std::exp(-(dx * dx + dy * dy) / s);
  };
  std::vector<double> errs;
  for (const int n : {40, 80, 160}) {
    const double h = L / n;
    std::vector<Field3D<double>> c;
    c.push_back(field(n, n, 1));
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        c[0](i, j, 0) = average_2d([&](double x, double y) { return exact(x, y, 0.0); }, i * h, (i + 1) * h, j * h,
                                   (j + 1) * h);
    const auto g = geometry(h, h, {10.0});
    const auto u = u_faces(n, n, 1, ux);
    const auto v = v_faces(n, n, 1, vy);
    const int steps = n / 4;  // Courant ux dt/h = 1.2 at every n (2 sub-steps)
    const double dt = T / steps;
    // Diffusion sub-steps ∝ n² (diffusion number 0.24 each), so its time error is O(dx²) too.
    DiffusionOptions dopt;
    dopt.substeps = 2 * (n / 40) * (n / 40);
    const double m0 = field_mass(c[0], g);
    for (int s = 0; s < steps; ++s) {
      fill_periodic(c[0]);
      advect_horizontal(c, u, v, g, dt, periodic_halo());
      fill_periodic(c[0]);
      diffuse_horizontal(c, HorizontalDiffusivity{K, nullptr}, g, dt, periodic_halo(), {}, dopt);
    }
    CHECK(std::abs(field_mass(c[0], g) - m0) <= 1e-13 * m0);
    double err = 0.0, norm = 0.0;
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        const double ex = average_2d([&](double x, double y) { return exact(x, y, T); }, i * h, (i + 1) * h, j * h,
                                     (j + 1) * h);
        err += std::abs(c[0](i, j, 0) - ex);
        norm += ex;
      }
    errs.push_back(err / norm);
  }
  INFO("relative L1 errors " << errs[0] << " " << errs[1] << " " << errs[2] << "; orders " << order(errs[0], errs[1])
                             << " " << order(errs[1], errs[2]));
  CHECK(order(errs[0], errs[1]) >= 1.8);
  CHECK(order(errs[1], errs[2]) >= 1.8);
  CHECK(errs[2] < 0.01);
}

namespace {

/// A case with varying, non-trivial winds on an nx × ny × nz block.
struct Winds {
  Field3D<double> u, v, w, kz;
};

/// Horizontal winds from a streamfunction ψ at cell corners (discretely divergence-free in each
/// layer): u = −∂ψ/∂y on x-faces, v = ∂ψ/∂x on y-faces. closed: ψ = 0 on the boundary, so no
/// normal wind there. w: a smooth field, zero at the ground and (closed) at the top. Kz > 0.
Winds make_winds(int nx, int ny, int nz, const TransportGeometry& g, double amplitude, double phase, bool closed,
                 double background_u = 0.0, double background_v = 0.0) {
  Winds W{Field3D<double>(nx + 1, ny, nz), Field3D<double>(nx, ny + 1, nz), Field3D<double>(nx, ny, nz + 1),
          Field3D<double>(nx, ny, nz + 1)};
  auto psi = [&](int i, int j, int k) {
    if (closed && (i == 0 || i == nx || j == 0 || j == ny)) return 0.0;  // exactly (sin π ≠ 0 in floating point)
    const double x = static_cast<double>(i) / nx, y = static_cast<double>(j) / ny;
    return amplitude * g.dx * nx * std::sin(kPi * x) * std::sin(kPi * y) * (1.0 + 0.3 * k) *
           std::cos(phase + 2.0 * x - y);
  };
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i <= nx; ++i) W.u(i, j, k) = -(psi(i, j + 1, k) - psi(i, j, k)) / g.dy + (closed ? 0.0 : background_u);
    for (int j = 0; j <= ny; ++j)
      for (int i = 0; i < nx; ++i) W.v(i, j, k) = (psi(i + 1, j, k) - psi(i, j, k)) / g.dx + (closed ? 0.0 : background_v);
  }
  for (int k = 0; k <= nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const bool wall = k == 0 || (closed && k == nz);
        W.w(i, j, k) = wall ? 0.0 : 0.05 * std::sin(phase + 0.7 * i - 0.4 * j + k);
        W.kz(i, j, k) = 5.0 + 40.0 * std::pow(std::sin(0.3 * i + 0.2 * j + 0.5 * k + phase), 2);
      }
  return W;
}

std::vector<Field3D<double>> random_fields(int count, int nx, int ny, int nz, std::uint64_t seed) {
  Lcg rnd(seed);
  std::vector<Field3D<double>> c;
  for (int s = 0; s < count; ++s) {
    c.push_back(field(nx, ny, nz));
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) c.back()(i, j, k) = 10.0 + 100.0 * rnd() * rnd();
  }
  return c;
}

}  // namespace

TEST_CASE("closed box: mass conserved to round-off with advection and diffusion", "[transport]") {
  // Zero normal wind on every side, divergence-free horizontal winds, w zero at ground and top,
  // Kz, Kh: nothing crosses the boundary, so the mass changes only by round-off (relative 1e-13
  // after 40 steps of ~10^5 cell updates each; the error per update is ~1e-16 relative and
  // random in sign).
  const int nx = 24, ny = 18, nz = 6;
  const auto g = geometry(2000.0, 2500.0, stretched_layers(nz, 1500.0, 1.5));
  auto c = random_fields(3, nx, ny, nz, 7);
  std::vector<double> m0;
  for (const auto& f : c) m0.push_back(field_mass(f, g));
  std::vector<TransportBudget> budget(3);
  for (int step = 0; step < 40; ++step) {
    const Winds W = make_winds(nx, ny, nz, g, 3.0, 0.1 * step, true);
    const double dt = 600.0;
    for (auto& f : c) fill_halo_zero_gradient(f);
    advect_horizontal(c, W.u, W.v, g, dt, zero_gradient_halo(), budget);
    advect_vertical(c, W.w, g, dt, budget);
    diffuse_vertical(c, W.kz, g, dt, {}, budget);
    for (auto& f : c) fill_halo_zero_gradient(f);
    diffuse_horizontal(c, HorizontalDiffusivity{300.0, nullptr}, g, dt, zero_gradient_halo(), budget);
  }
  for (std::size_t s = 0; s < c.size(); ++s) {
    CHECK(std::abs(field_mass(c[s], g) - m0[s]) <= 1e-13 * m0[s]);
    CHECK(min_interior(c[s]) >= 0.0);
    CHECK(budget[s].net_loss() == 0.0);
  }
}

TEST_CASE("open domain: mass change equals net inflow through the sides to round-off", "[transport]") {
  // Inflow values on the upwind sides, free outflow elsewhere, an open top, surface emission and
  // deposition, horizontal diffusion: mass(t) − mass(0) = Σ in − Σ out + emitted − deposited
  // (−net_loss), to round-off relative to the masses moved (1e-12).
  const int nx = 20, ny = 16, nz = 5;
  const auto g = geometry(3000.0, 3000.0, stretched_layers(nz, 1200.0, 1.4));
  auto c = random_fields(2, nx, ny, nz, 11);
  LateralValues inflow;
  for (int s = 0; s < kLateralSides; ++s)
    for (int k = 0; k < nz; ++k) inflow[static_cast<std::size_t>(s)].push_back(20.0 + 5.0 * s + k);
  Field2D<double> emission(nx, ny, 0, 0.3), vd(nx, ny, 0, 0.01);
  const std::vector<SurfaceFlux> surface{{&emission, &vd}, {&emission, &vd}};
  std::vector<TransportBudget> budget(2);
  std::vector<double> m0;
  for (const auto& f : c) m0.push_back(field_mass(f, g));
  AdvectionOptions vopt;
  vopt.open_top = true;
  vopt.top_values = {5.0, 7.0};
  for (int step = 0; step < 30; ++step) {
    const Winds W = make_winds(nx, ny, nz, g, 2.0, 0.2 * step, false, 4.0 * std::cos(0.1 * step), 3.0);
    auto fill = [&](std::span<Field3D<double>> fs) {
      for (auto& f : fs) fill_halo_inflow(f, inflow, W.u, W.v);
    };
    fill(c);
    advect_horizontal(c, W.u, W.v, g, 900.0, fill, budget);
    advect_vertical(c, W.w, g, 900.0, budget, vopt);
    diffuse_vertical(c, W.kz, g, 900.0, surface, budget);
    fill(c);
    diffuse_horizontal(c, HorizontalDiffusivity{500.0, nullptr}, g, 900.0, fill, budget);
  }
  for (std::size_t s = 0; s < c.size(); ++s) {
    const double moved = m0[s] + budget[s].outflow[0] + budget[s].outflow[1] + budget[s].outflow[2] +
                         budget[s].outflow[3] + budget[s].outflow[4];
    INFO("field " << s << ": mass " << m0[s] << " -> " << field_mass(c[s], g) << ", net loss " << budget[s].net_loss());
    CHECK(std::abs(field_mass(c[s], g) - m0[s] + budget[s].net_loss()) <= 1e-12 * moved);
    CHECK(budget[s].inflow[0] > 0.0);   // westerly background: inflow on the west
    CHECK(budget[s].outflow[1] > 0.0);  // and outflow on the east
    CHECK(budget[s].outflow[4] + budget[s].inflow[4] > 0.0);  // the open top exchanged mass
    CHECK(min_interior(c[s]) >= 0.0);
  }
}

TEST_CASE("inflow boundaries fill an empty domain with the inflow value", "[transport]") {
  // A uniform westerly carrying 40 µg/m³ into a clean domain: after the front has crossed
  // (3 domain lengths), every cell holds exactly the inflow value (steady state of the scheme:
  // a uniform field in a uniform wind is unchanged by the flux form).
  const int nx = 30, ny = 4, nz = 2;
  const auto g = geometry(1000.0, 1000.0, {50.0, 100.0});
  std::vector<Field3D<double>> c;
  c.push_back(field(nx, ny, nz));
  LateralValues inflow;
  for (auto& side : inflow) side = {40.0, 40.0};
  const auto u = u_faces(nx, ny, nz, 5.0);
  const auto v = v_faces(nx, ny, nz, 0.0);
  auto fill = [&](std::span<Field3D<double>> fs) { fill_halo_inflow(fs[0], inflow, u, v); };
  std::vector<TransportBudget> budget(1);
  for (int s = 0; s < 60; ++s) {
    fill(c);
    advect_horizontal(c, u, v, g, 300.0, fill, budget);
  }
  CHECK(min_interior(c[0]) == Approx(40.0).epsilon(1e-12));
  CHECK(max_interior(c[0]) == Approx(40.0).epsilon(1e-12));
  // What entered through the west face is u × 40 × area × time.
  // West face area: ny rows × dy × (50 + 100) m.
  CHECK(budget[0].inflow[0] == Approx(5.0 * 40.0 * (4 * 1000.0 * 150.0) * 60 * 300.0).epsilon(1e-12));
}

TEST_CASE("sub-stepping: Courant 5 runs positive and conservative", "[transport]") {
  // u Δt/dx = 5 in a closed box (divergent sweeps near the walls): n = ceil(5/0.9) = 6
  // sub-steps, values stay ≥ 0 and the mass stays to round-off.
  const int nx = 40, ny = 8, nz = 2;
  const auto g = geometry(1000.0, 1000.0, {100.0, 200.0});
  auto c = random_fields(1, nx, ny, nz, 5);
  Field3D<double> u(nx + 1, ny, nz, 0, 0, 10.0);
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j) {
      u(0, j, k) = 0.0;  // closed west and east walls: the flow piles up against the east wall
      u(nx, j, k) = 0.0;
    }
  const auto v = v_faces(nx, ny, nz, 0.0);
  const double m0 = field_mass(c[0], g);
  const auto cm = horizontal_courant(u, v, g, 500.0);
  CHECK(cm[0].value == Approx(5.0));
  for (int s = 0; s < 10; ++s) {
    fill_halo_zero_gradient(c[0]);
    const auto r = advect_horizontal(c, u, v, g, 500.0, zero_gradient_halo());
    CHECK(r.substeps == 6);
    CHECK(r.max_number == Approx(5.0));
    CHECK(min_interior(c[0]) >= 0.0);
  }
  CHECK(std::abs(field_mass(c[0], g) - m0) <= 1e-13 * m0);
}

// ---- Tags and threads ---------------------------------------------------------------------------

namespace {

struct TagRun {
  Field3D<double> total;
  std::vector<Field3D<double>> tags;
  std::vector<TransportBudget> tag_budget;
  TransportBudget budget;
};

/// 25 steps of tagged transport with time-varying winds, inflow (boundary tag 0), an open top,
/// surface emissions split over tags 1 and 2, deposition, Kz and a Kh field.
TagRun run_tagged(int ntags) {
  const int nx = 16, ny = 12, nz = 5;
  const auto g = geometry(3000.0, 3000.0, stretched_layers(nz, 1500.0, 1.4));
  TagRun r{field(nx, ny, nz), {}, std::vector<TransportBudget>(static_cast<std::size_t>(ntags)), {}};
  Lcg rnd(17);
  for (int t = 0; t < ntags; ++t) r.tags.push_back(field(nx, ny, nz));
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        double sum = 0.0;
        for (int t = 0; t < ntags; ++t) {
          const double x = 50.0 * rnd() * rnd();
          r.tags[static_cast<std::size_t>(t)](i, j, k) = x;
          sum += x;
        }
        r.total(i, j, k) = sum;
      }
  LateralValues inflow;
  for (int s = 0; s < kLateralSides; ++s)
    for (int k = 0; k < nz; ++k) inflow[static_cast<std::size_t>(s)].push_back(15.0 + 3.0 * s - k);
  Field2D<double> e_total(nx, ny), e1(nx, ny), e2(nx, ny), vd(nx, ny, 0, 0.008);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      e1(i, j) = 0.4 * rnd();
      e2(i, j) = 0.2 * rnd();
      e_total(i, j) = e1(i, j) + e2(i, j);
    }
  Field3D<double> kh(nx, ny, nz, 1);
  for (int k = 0; k < nz; ++k)
    for (int j = -1; j <= ny; ++j)
      for (int i = -1; i <= nx; ++i) kh(i, j, k) = 200.0 + 300.0 * std::pow(std::sin(0.4 * i + 0.3 * j + k), 2);
  std::vector<SurfaceFlux> tag_surface(static_cast<std::size_t>(ntags), SurfaceFlux{nullptr, &vd});
  tag_surface[1].emission = &e1;
  tag_surface[2].emission = &e2;
  const SurfaceFlux total_surface{&e_total, &vd};
  AdvectionOptions vopt;
  vopt.open_top = true;
  vopt.top_values = {12.0};
  vopt.top_boundary_tag = 0;
  for (int step = 0; step < 25; ++step) {
    const Winds W = make_winds(nx, ny, nz, g, 3.0, 0.3 * step, false, 5.0 * std::sin(0.2 * step), -2.0 + 0.2 * step);
    auto fill = [&](Field3D<double>& tot, std::span<Field3D<double>> tg) {
      fill_halo_inflow_tagged(tot, tg, 0, inflow, W.u, W.v);
    };
    fill(r.total, r.tags);
    advect_horizontal_tagged(r.total, r.tags, W.u, W.v, g, 1200.0, fill, &r.budget, r.tag_budget);
    advect_vertical_tagged(r.total, r.tags, W.w, g, 1200.0, &r.budget, r.tag_budget, vopt);
    diffuse_vertical({&r.total, 1}, W.kz, g, 1200.0, {&total_surface, 1}, {&r.budget, 1});
    diffuse_vertical(r.tags, W.kz, g, 1200.0, tag_surface, r.tag_budget);
    fill(r.total, r.tags);
    // Diffusion is linear: the same operator on the total and on the tags, each refilling its
    // own halos between sub-steps (the tags' refill also rewrites the total's halo, unused then).
    auto fill_total = [&](std::span<Field3D<double>> fs) { fill_halo_inflow(fs[0], inflow, W.u, W.v); };
    auto fill_tags = [&](std::span<Field3D<double>> fs) { fill(r.total, fs); };
    diffuse_horizontal({&r.total, 1}, HorizontalDiffusivity{0.0, &kh}, g, 1200.0, fill_total, {&r.budget, 1});
    diffuse_horizontal(r.tags, HorizontalDiffusivity{0.0, &kh}, g, 1200.0, fill_tags, r.tag_budget);
  }
  return r;
}

}  // namespace

TEST_CASE("tags add up to the total after many steps of transport", "[transport]") {
  // PSAT apportionment: Σ tags = total in every cell to round-off (1e-12 of the largest total),
  // tags positive; the tag budgets add up to the total's.
  const TagRun r = run_tagged(4);
  double worst = 0.0;
  const double scale = max_interior(r.total);
  for (int k = 0; k < r.total.nz(); ++k)
    for (int j = 0; j < r.total.ny(); ++j)
      for (int i = 0; i < r.total.nx(); ++i) {
        double sum = 0.0;
        for (const auto& t : r.tags) sum += t(i, j, k);
        worst = std::max(worst, std::abs(sum - r.total(i, j, k)));
      }
  INFO("largest |Σ tags − total| = " << worst << " of a largest total " << scale);
  CHECK(worst <= 1e-12 * scale);
  for (const auto& t : r.tags) CHECK(min_interior(t) >= 0.0);
  // Boundary tag 0 received the lateral and top inflow; the others none.
  CHECK(r.tag_budget[0].inflow[0] + r.tag_budget[0].inflow[2] + r.tag_budget[0].inflow[3] > 0.0);
  CHECK(r.tag_budget[3].inflow[4] == 0.0);
  double in = 0.0, out = 0.0, emitted = 0.0;
  for (const auto& b : r.tag_budget) {
    for (int s = 0; s < 5; ++s) {
      in += b.inflow[static_cast<std::size_t>(s)];
      out += b.outflow[static_cast<std::size_t>(s)];
    }
    emitted += b.emitted;
  }
  double total_in = 0.0, total_out = 0.0;
  for (int s = 0; s < 5; ++s) {
    total_in += r.budget.inflow[static_cast<std::size_t>(s)];
    total_out += r.budget.outflow[static_cast<std::size_t>(s)];
  }
  CHECK(emitted == Approx(r.budget.emitted).epsilon(1e-12));
  // Per face, a diffusive flux may enter for one tag and leave for another (at an inflow cell the
  // boundary tag diffuses in while the others diffuse out), so only the net exchange through the
  // sides must agree with the total's, to round-off of the mass moved.
  CHECK(std::abs((in - out) - (total_in - total_out)) <= 1e-12 * (total_in + total_out));
}

TEST_CASE("1 and 2 threads give bitwise identical fields and budgets", "[transport]") {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const TagRun a = run_tagged(3);
  omp_set_num_threads(2);
  const TagRun b = run_tagged(3);
  omp_set_num_threads(saved);
  CHECK(std::memcmp(a.total.data(), b.total.data(), a.total.size() * sizeof(double)) == 0);
  for (std::size_t t = 0; t < a.tags.size(); ++t)
    CHECK(std::memcmp(a.tags[t].data(), b.tags[t].data(), a.tags[t].size() * sizeof(double)) == 0);
  CHECK(std::memcmp(&a.budget, &b.budget, sizeof(TransportBudget)) == 0);
}

TEST_CASE("layer-by-layer tagged advection is bitwise the whole-field one, on 1 and 2 threads", "[transport]") {
  // advect_horizontal_tagged_planes (the model's tagged path) against advect_horizontal_tagged:
  // the same fields (halos included), total budget and tag budgets, bit for bit, with several
  // sub-steps (so several passes and refills) and inflow into boundary tag 0.
  const int nx = 16, ny = 12, nz = 4, ntags = 3;
  const auto g = geometry(3000.0, 3000.0, stretched_layers(nz, 1200.0, 1.4));
  Lcg rnd(29);
  Field3D<double> total0 = field(nx, ny, nz);
  std::vector<Field3D<double>> tags0;
  for (int t = 0; t < ntags; ++t) tags0.push_back(field(nx, ny, nz));
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        double sum = 0.0;
        for (auto& t : tags0) sum += (t(i, j, k) = 40.0 * rnd() * rnd());
        total0(i, j, k) = sum;
      }
  LateralValues inflow;
  for (int s = 0; s < kLateralSides; ++s)
    for (int k = 0; k < nz; ++k) inflow[static_cast<std::size_t>(s)].push_back(11.0 + 2.0 * s + k);
  const Winds W = make_winds(nx, ny, nz, g, 3.0, 0.7, false, 12.0, -9.0);
  const double dt = 1200.0;
  struct Result {
    Field3D<double> total;
    std::vector<Field3D<double>> tags;
    TransportBudget budget;
    std::vector<TransportBudget> tag_budget;
    int substeps = 0;
  };
  auto run = [&](bool planes, int threads) {
    Result r{total0, tags0, {}, std::vector<TransportBudget>(ntags), 0};
    const int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    if (planes) {
      const WindInflow in(W.u, W.v, nx, ny);
      const TaggedPlaneHaloFill fill = [&](Field3D<double>& tot, std::span<Field3D<double>> ts, int k) {
        const HaloExtent layer{kTransportHalo, false, k, k + 1};
        auto value = [&](Side s, int, int kk) { return inflow[static_cast<std::size_t>(s)][static_cast<std::size_t>(kk)]; };
        fill_halo(tot, layer, in, value);
        for (std::size_t n = 0; n < ts.size(); ++n)
          fill_halo(ts[n], layer, in, [&](Side s, int a, int kk) { return n == 0 ? value(s, a, kk) : 0.0; });
      };
      r.substeps = advect_horizontal_tagged_planes(r.total, r.tags, W.u, W.v, g, dt, fill, &r.budget, r.tag_budget).substeps;
    } else {
      const TaggedHaloFill fill = [&](Field3D<double>& tot, std::span<Field3D<double>> ts) {
        fill_halo_inflow_tagged(tot, ts, 0, inflow, W.u, W.v);
      };
      fill(r.total, r.tags);
      r.substeps = advect_horizontal_tagged(r.total, r.tags, W.u, W.v, g, dt, fill, &r.budget, r.tag_budget).substeps;
    }
    omp_set_num_threads(saved);
    return r;
  };
  auto same = [](const Result& a, const Result& b) {
    bool eq = std::memcmp(a.total.data(), b.total.data(), a.total.size() * sizeof(double)) == 0 &&
              std::memcmp(&a.budget, &b.budget, sizeof(TransportBudget)) == 0;
    for (std::size_t t = 0; t < a.tags.size(); ++t)
      eq = eq && std::memcmp(a.tags[t].data(), b.tags[t].data(), a.tags[t].size() * sizeof(double)) == 0 &&
           std::memcmp(&a.tag_budget[t], &b.tag_budget[t], sizeof(TransportBudget)) == 0;
    return eq;
  };
  const Result whole = run(false, 1);
  const Result layers1 = run(true, 1);
  const Result layers2 = run(true, 2);
  REQUIRE(whole.substeps >= 2);
  CHECK(layers1.substeps == whole.substeps);
  CHECK(same(whole, layers1));
  CHECK(same(layers1, layers2));
  double worst = 0.0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        double sum = 0.0;
        for (const auto& t : layers1.tags) sum += t(i, j, k);
        worst = std::max(worst, std::abs(sum - layers1.total(i, j, k)));
      }
  CHECK(worst <= 1e-12 * max_interior(layers1.total));
}

// ---- Errors ----------------------------------------------------------------------------------------

TEST_CASE("bad input: NaN and negative concentrations, bad winds, impossible CFL", "[transport]") {
  const int nx = 6, ny = 5, nz = 3;
  const auto g = geometry(1000.0, 1000.0, {50.0, 100.0, 200.0});
  auto c = random_fields(2, nx, ny, nz, 1);
  const auto u = u_faces(nx, ny, nz, 2.0);
  const auto v = v_faces(nx, ny, nz, 1.0);
  for (auto& f : c) fill_halo_zero_gradient(f);
  c[1](3, 4, 1) = std::nan("");
  auto msg = test::message_of([&] { advect_horizontal(c, u, v, g, 100.0, zero_gradient_halo()); });
  CHECK_THAT(msg, Contains("horizontal advection") && Contains("field 1") && Contains("(3, 4, 1)") &&
                      Contains("nan"));

  c = random_fields(1, nx, ny, nz, 2);
  c[0](2, 1, 2) = -0.5;
  msg = test::message_of([&] { advect_vertical(c, z_faces(nx, ny, nz, 0.01), g, 100.0); });
  CHECK_THAT(msg, Contains("vertical advection") && Contains("(2, 1, 2)") && Contains("-0.5"));
  msg = test::message_of([&] { diffuse_vertical(c, z_faces(nx, ny, nz, 1.0), g, 100.0); });
  CHECK_THAT(msg, Contains("vertical diffusion") && Contains("(2, 1, 2)"));

  // A wind that needs 2000 sub-steps: the error names the cell of the largest Courant number.
  c = random_fields(1, nx, ny, nz, 3);
  fill_halo_zero_gradient(c[0]);
  Field3D<double> fast = u_faces(nx, ny, nz, 1.0);
  fast(4, 2, 1) = 1800.0;  // west face of cell 4: outflow of cell 3
  msg = test::message_of([&] { advect_horizontal(c, fast, v, g, 1000.0, zero_gradient_halo()); });
  CHECK_THAT(msg, Contains("horizontal advection") && Contains("CFL") && Contains("(3, 2, 1)"));

  fast(4, 2, 1) = std::nan("");
  msg = test::message_of([&] { advect_horizontal(c, fast, v, g, 1000.0, zero_gradient_halo()); });
  CHECK_THAT(msg, Contains("horizontal advection") && Contains("wind u") && Contains("nan"));

  // Block offsets appear in the cell names of a decomposed run.
  auto g2 = g;
  g2.i0 = 100;
  g2.j0 = 200;
  c[0](1, 1, 0) = -1.0;
  fill_halo_zero_gradient(c[0]);
  msg = test::message_of([&] { advect_horizontal(c, u, v, g2, 100.0, zero_gradient_halo()); });
  CHECK_THAT(msg, Contains("(101, 201, 0)"));
}
