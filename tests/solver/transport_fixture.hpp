#pragma once
// Helpers of the transport tests (test_transport.cpp, test_transport_vertical.cpp): fields with
// the transport halo, geometries, periodic halos, cell averages of profiles, convergence orders,
// interior extrema, a small LCG, the periodic 1-D advection error.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <vector>

#include "solver/transport.hpp"

namespace lantian::solver::transport_test {

constexpr double kPi = std::numbers::pi;
constexpr int kH = kTransportHalo;

inline Field3D<double> field(int nx, int ny, int nz, double value = 0.0) { return Field3D<double>(nx, ny, nz, kH, 0, value); }

inline TransportGeometry geometry(double dx, double dy, std::vector<double> dz) {
  TransportGeometry g;
  g.dx = dx;
  g.dy = dy;
  g.dz = std::move(dz);
  return g;
}

/// Periodic halos in x and y (any nx, ny >= 1).
inline void fill_periodic(Field3D<double>& c) {
  const int nx = c.nx(), ny = c.ny();
  auto wrap = [](int a, int n) { return ((a % n) + n) % n; };
  for (int k = 0; k < c.nz(); ++k) {
    for (int j = 0; j < ny; ++j)
      for (int l = 1; l <= kH; ++l) {
        c(-l, j, k) = c(wrap(-l, nx), j, k);
        c(nx - 1 + l, j, k) = c(wrap(nx - 1 + l, nx), j, k);
      }
    for (int i = 0; i < nx; ++i)
      for (int l = 1; l <= kH; ++l) {
        c(i, -l, k) = c(i, wrap(-l, ny), k);
        c(i, ny - 1 + l, k) = c(i, wrap(ny - 1 + l, ny), k);
      }
  }
}

inline HaloFill periodic_halo() {
  return [](std::span<Field3D<double>> fs) {
    for (auto& f : fs) fill_periodic(f);
  };
}

/// Cell average of f over [a, b] by 4-point Gauss-Legendre (exact to degree 7; its error on the
/// smooth profiles below is far under the discretisation errors measured).
template <class F>
inline double average_1d(F&& f, double a, double b) {
  static constexpr double x[4] = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526};
  static constexpr double w[4] = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538};
  double s = 0.0;
  for (int q = 0; q < 4; ++q) s += w[q] * f(0.5 * (a + b) + 0.5 * (b - a) * x[q]);
  return 0.5 * s;
}

template <class F>
inline double average_2d(F&& f, double x0, double x1, double y0, double y1) {
  return average_1d([&](double y) { return average_1d([&](double x) { return f(x, y); }, x0, x1); }, y0, y1);
}

inline double order(double coarse, double fine) { return std::log2(coarse / fine); }

/// Uniform wind fields on faces.
inline Field3D<double> u_faces(int nx, int ny, int nz, double u) { return Field3D<double>(nx + 1, ny, nz, 0, 0, u); }
inline Field3D<double> v_faces(int nx, int ny, int nz, double v) { return Field3D<double>(nx, ny + 1, nz, 0, 0, v); }
inline Field3D<double> z_faces(int nx, int ny, int nz, double w) { return Field3D<double>(nx, ny, nz + 1, 0, 0, w); }

inline double min_interior(const Field3D<double>& c) {
  double m = INFINITY;
  for (int k = 0; k < c.nz(); ++k)
    for (int j = 0; j < c.ny(); ++j)
      for (int i = 0; i < c.nx(); ++i) m = std::min(m, c(i, j, k));
  return m;
}

inline double max_interior(const Field3D<double>& c) {
  double m = -INFINITY;
  for (int k = 0; k < c.nz(); ++k)
    for (int j = 0; j < c.ny(); ++j)
      for (int i = 0; i < c.nx(); ++i) m = std::max(m, c(i, j, k));
  return m;
}

/// Deterministic uniform numbers in [0, 1) (64-bit LCG; portable, unlike std distributions).
struct Lcg {
  std::uint64_t s;
  explicit Lcg(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  double operator()() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  }
};

// ---- 1-D advection ----------------------------------------------------------------------------

/// L1 error (per unit length) after advecting `profile` once around the periodic unit interval
/// along x with u = 1 at Courant number 0.8 (n cells).
template <class F>
inline double periodic_1d_error(int n, F&& profile, double* cmin = nullptr, double* cmax = nullptr) {
  std::vector<Field3D<double>> c;
  c.push_back(field(n, 1, 1));
  const double dx = 1.0 / n;
  for (int i = 0; i < n; ++i) c[0](i, 0, 0) = average_1d(profile, i * dx, (i + 1) * dx);
  const auto g = geometry(dx, 1.0, {1.0});
  const auto u = u_faces(n, 1, 1, 1.0);
  const auto v = v_faces(n, 1, 1, 0.0);
  const int steps = 5 * n / 4;  // Courant 0.8, t = 1
  const double dt = 1.0 / steps;
  if (cmin != nullptr) *cmin = INFINITY;
  if (cmax != nullptr) *cmax = -INFINITY;
  for (int s = 0; s < steps; ++s) {
    fill_periodic(c[0]);
    const auto r = advect_horizontal(c, u, v, g, dt, periodic_halo());
    REQUIRE(r.substeps == 1);
    if (cmin != nullptr) *cmin = std::min(*cmin, min_interior(c[0]));
    if (cmax != nullptr) *cmax = std::max(*cmax, max_interior(c[0]));
  }
  double err = 0.0;
  for (int i = 0; i < n; ++i) err += std::abs(c[0](i, 0, 0) - average_1d(profile, i * dx, (i + 1) * dx)) * dx;
  return err;
}

/// Layer thicknesses of n layers over H with tops H ((k+1)/n)^p.
inline std::vector<double> stretched_layers(int n, double H, double p) {
  std::vector<double> dz(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) dz[static_cast<std::size_t>(k)] = H * (std::pow((k + 1.0) / n, p) - std::pow(1.0 * k / n, p));
  return dz;
}

}  // namespace lantian::solver::transport_test
