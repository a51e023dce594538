// Verification of the vertical diffusion (solver/transport.hpp) against exact solutions: the heat
// kernel with images on uniform and stretched layers (second order in space), the discrete cosine
// mode decay (first order in time, backward Euler), positivity and the budget with emission and
// deposition. Helpers: tests/solver/transport_fixture.hpp.
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



TEST_CASE("vertical diffusion: heat kernel with images, second order in space", "[transport]") {
  // c(z, t) = M/√(4πK(t0+t)) Σ_n [e^{−(z−z0−2nH)²/(4K(t0+t))} + e^{−(z+z0−2nH)²/(4K(t0+t))}]
  // solves c_t = K c_zz with zero flux at z = 0 and H (method of images, n = −3..3). Backward
  // Euler with dt ∝ dz² makes the time error O(dz²) too: L1 order ≥ 1.8 asserted on uniform and
  // smoothly stretched layers.
  const double H = 1000.0, K = 20.0, z0 = 250.0, t0 = 62.5, T = 2000.0, M = 1000.0;
  auto exact = [&](double z, double t) {
    const double s = 4.0 * K * (t0 + t);
    double sum = 0.0;
    for (int n = -3; n <= 3; ++n)
      sum += std::exp(-std::pow(z - z0 - 2.0 * n * H, 2) / s) + std::exp(-std::pow(z + z0 - 2.0 * n * H, 2) / s);
    return M / std::sqrt(kPi * s) * sum;
  };
  for (const double p : {1.0, 1.2}) {
    std::vector<double> errs;
    for (const int n : {25, 50, 100}) {
      const auto dz = stretched_layers(n, H, p);
      const auto g = geometry(100.0, 100.0, dz);
      std::vector<Field3D<double>> c;
      c.push_back(field(3, 2, n));
      std::vector<double> zb(static_cast<std::size_t>(n + 1), 0.0);
      for (int k = 0; k < n; ++k) zb[static_cast<std::size_t>(k + 1)] = zb[static_cast<std::size_t>(k)] + dz[static_cast<std::size_t>(k)];
      for (int k = 0; k < n; ++k) {
        const double a = average_1d([&](double z) { return exact(z, 0.0); }, zb[static_cast<std::size_t>(k)],
                                    zb[static_cast<std::size_t>(k + 1)]);
        for (int j = 0; j < 2; ++j)
          for (int i = 0; i < 3; ++i) c[0](i, j, k) = a;
      }
      const auto kz = z_faces(3, 2, n, K);
      const int steps = n * n / 5;  // dt ∝ dz²
      const double m0 = field_mass(c[0], g);
      for (int s = 0; s < steps; ++s) diffuse_vertical(c, kz, g, T / steps);
      CHECK(std::abs(field_mass(c[0], g) - m0) <= 1e-12 * m0);
      double err = 0.0;
      for (int k = 0; k < n; ++k) {
        const double ex = average_1d([&](double z) { return exact(z, T); }, zb[static_cast<std::size_t>(k)],
                                     zb[static_cast<std::size_t>(k + 1)]);
        err += std::abs(c[0](1, 1, k) - ex) * dz[static_cast<std::size_t>(k)];
      }
      errs.push_back(err / M);
    }
    INFO("stretch " << p << ": relative L1 errors " << errs[0] << " " << errs[1] << " " << errs[2] << "; orders "
                    << order(errs[0], errs[1]) << " " << order(errs[1], errs[2]));
    CHECK(order(errs[0], errs[1]) >= 1.8);
    CHECK(order(errs[1], errs[2]) >= 1.8);
  }
}

TEST_CASE("vertical diffusion: cosine mode decay, first order in time (backward Euler)", "[transport]") {
  // On n uniform cell-centred layers with zero-flux walls, cos(π (k+½)/n) is an exact eigenvector
  // of the discrete operator with eigenvalue λ = (4K/dz²) sin²(π/(2n)). Backward Euler multiplies
  // its amplitude by (1 + λΔt)^-1 per step; the exact ODE by e^{−λΔt}. The time error must be
  // first order (asserted 0.9..1.1 between successive halvings of Δt); λ → K (π/H)² at second
  // order in space (checked to 1e-3 of the continuous rate at n = 40).
  const int n = 40;
  const double H = 1000.0, K = 30.0, T = 3000.0, dz = H / n;
  const double lambda = 4.0 * K / (dz * dz) * std::pow(std::sin(kPi / (2.0 * n)), 2);
  CHECK(lambda == Approx(K * kPi * kPi / (H * H)).epsilon(1.1e-3));  // relative error (π/n)²/12 ≈ 5e-4
  std::vector<double> errs;
  for (const int steps : {10, 20, 40, 80}) {
    std::vector<Field3D<double>> c;
    c.push_back(field(1, 1, n));
    for (int k = 0; k < n; ++k) c[0](0, 0, k) = 2.0 + std::cos(kPi * (k + 0.5) / n);
    const auto g = geometry(100.0, 100.0, std::vector<double>(static_cast<std::size_t>(n), dz));
    const auto kz = z_faces(1, 1, n, K);
    for (int s = 0; s < steps; ++s) diffuse_vertical(c, kz, g, T / steps);
    // Amplitude from the projection on the mode.
    double a = 0.0, norm = 0.0;
    for (int k = 0; k < n; ++k) {
      const double m = std::cos(kPi * (k + 0.5) / n);
      a += (c[0](0, 0, k) - 2.0) * m;
      norm += m * m;
    }
    a /= norm;
    CHECK(a == Approx(std::pow(1.0 + lambda * T / steps, -steps)).epsilon(1e-12));
    errs.push_back(std::abs(a - std::exp(-lambda * T)));
  }
  INFO("time errors " << errs[0] << " " << errs[1] << " " << errs[2] << " " << errs[3]);
  for (std::size_t i = 0; i + 1 < errs.size(); ++i) {
    CHECK(order(errs[i], errs[i + 1]) > 0.9);
    CHECK(order(errs[i], errs[i + 1]) < 1.1);
  }
}

TEST_CASE("vertical diffusion with emission and deposition: positive, budget to round-off", "[transport]") {
  // Mass change = emitted − deposited, exactly by construction (Σ h_k c_k' = Σ h_k c_k +
  // Δt (E − v_d c_0')), so to round-off (1e-13 relative); positivity holds for any Δt (M-matrix),
  // here with Δt Kz/dz² up to ~10^4 on thin bottom layers.
  const int nx = 5, ny = 4;
  const auto dz = stretched_layers(12, 2000.0, 1.6);
  const auto g = geometry(1000.0, 1000.0, dz);
  std::vector<Field3D<double>> c;
  Lcg rnd(3);
  for (int s = 0; s < 2; ++s) {
    c.push_back(field(nx, ny, 12));
    for (int k = 0; k < 12; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) c[static_cast<std::size_t>(s)](i, j, k) = (k == 5 ? 100.0 : 0.0) * rnd();
  }
  Field3D<double> kz(nx, ny, 13);
  for (std::size_t q = 0; q < kz.size(); ++q) kz.data()[q] = 200.0 * rnd();
  Field2D<double> emission(nx, ny), vd(nx, ny);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      emission(i, j) = 0.5 * rnd();
      vd(i, j) = 0.02 * rnd();
    }
  std::vector<SurfaceFlux> surface{{&emission, &vd}, {nullptr, &vd}};
  std::vector<TransportBudget> budget(2);
  const double m0 = field_mass(c[0], g), m1 = field_mass(c[1], g);
  for (int s = 0; s < 30; ++s) {
    diffuse_vertical(c, kz, g, 900.0, surface, budget);
    CHECK(min_interior(c[0]) >= 0.0);
    CHECK(min_interior(c[1]) >= 0.0);
  }
  CHECK(budget[0].emitted == Approx(30 * 900.0 * g.dx * g.dy * [&] {
          double s = 0.0;
          for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) s += emission(i, j);
          return s;
        }()).epsilon(1e-13));
  CHECK(budget[1].emitted == 0.0);
  CHECK(budget[1].deposited > 0.0);
  CHECK(std::abs(field_mass(c[0], g) - m0 + budget[0].net_loss()) <= 1e-13 * (m0 + budget[0].emitted));
  CHECK(std::abs(field_mass(c[1], g) - m1 + budget[1].net_loss()) <= 1e-13 * m1);
}

// ---- Conservation, budget, boundaries -----------------------------------------------------------

