#include "meteo/surface_profile.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace lantian::meteo {

namespace {

constexpr double kStandardLapse = 0.0065;  // K/m
constexpr double kRhScaleHeight = 1500.0;  // m

double log_factor(double z, const SurfaceValues& s) {
  if (z <= s.z0) return 0.0;
  return std::log(std::min(z, std::max(s.pblh, 10.0)) / s.z0) / std::log(10.0 / s.z0);
}

}  // namespace

MetState state_from_surface(const Grid& grid, UtcHour time, const std::vector<SurfaceValues>& cells,
                            const KzParams& kz) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  const std::size_t n = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  LANTIAN_CHECK(cells.size() == 1 || cells.size() == n, (ErrorContext{"", 0, "surface values"}),
                "expected 1 or " + std::to_string(n) + " columns, found " + std::to_string(cells.size()));
  auto cell = [&](int i, int j) -> const SurfaceValues& {
    return cells.size() == 1 ? cells[0] : cells[static_cast<std::size_t>(i + nx * j)];
  };
  MetState m = MetState::zeros(grid, time);
  Field3D<double> uc(nx, ny, nz), vc(nx, ny, nz);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const SurfaceValues& s = cell(i, j);
      for (int k = 0; k < nz; ++k) {
        const double z = grid.z_centre(k);
        const double f = log_factor(z, s);
        uc(i, j, k) = s.u10 * f;
        vc(i, j, k) = s.v10 * f;
        m.t(i, j, k) = s.t2 - kStandardLapse * (z - 2.0);
        m.rh(i, j, k) = z <= s.pblh ? s.rh2 : s.rh2 * std::exp(-(z - s.pblh) / kRhScaleHeight);
      }
      for (int k = 0; k <= nz; ++k) {
        const double zf = k < nz ? grid.z_bottom(k) : grid.z_top(nz - 1);
        m.kz(i, j, k) = kz_profile(zf, s.pblh, s.ustar, s.obukhov, kz);
      }
      m.pblh(i, j) = s.pblh;
      m.ustar(i, j) = s.ustar;
      m.obukhov(i, j) = s.obukhov;
      m.shf(i, j) = s.shf;
      m.precip(i, j) = s.precip;
      m.u10(i, j) = s.u10;
      m.v10(i, j) = s.v10;
      m.t2(i, j) = s.t2;
      m.rh2(i, j) = s.rh2;
    }
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i <= nx; ++i) {
        const int a = std::max(i - 1, 0), b = std::min(i, nx - 1);
        m.u(i, j, k) = 0.5 * (uc(a, j, k) + uc(b, j, k));
      }
    for (int j = 0; j <= ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const int a = std::max(j - 1, 0), b = std::min(j, ny - 1);
        m.v(i, j, k) = 0.5 * (vc(i, a, k) + vc(i, b, k));
      }
  }
  return m;
}

}  // namespace lantian::meteo
