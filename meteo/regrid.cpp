#include "meteo/regrid.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace lantian::meteo {

namespace {

// Where a target point falls among the WRF cell centres, and the case grid's north angle there.
struct Stencil {
  int i0 = 0, i1 = 0, j0 = 0, j1 = 0;
  double a = 0.0, b = 0.0;  // weights of i1 and j1
  double gamma = 0.0;       // case grid's north angle at the point

  template <class F>
  double combine(F&& value) const {
    return (1 - a) * (1 - b) * value(i0, j0) + a * (1 - b) * value(i1, j0) + (1 - a) * b * value(i0, j1) +
           a * b * value(i1, j1);
  }
};

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// Index and weight along one axis of n centres; false when outside [0, n-1].
bool axis(double f, int n, int& lo, int& hi, double& w) {
  constexpr double tol = 1e-9;
  if (f < -tol || f > n - 1 + tol) return false;
  f = std::clamp(f, 0.0, static_cast<double>(n - 1));
  lo = std::min(static_cast<int>(std::floor(f)), std::max(n - 2, 0));
  hi = std::min(lo + 1, n - 1);
  w = hi == lo ? 0.0 : f - lo;
  return true;
}

class Locator {
 public:
  Locator(const WrfDataset& ds, const Grid& target) : ds_(ds), wrf_(ds.make_grid()), target_(target) {}

  bool locate(double x, double y, Stencil& s) const {
    const LonLat ll = target_.to_lonlat({x, y});
    const XY p = wrf_.project(ll.lon, ll.lat);
    if (!axis((p.x - wrf_.x0()) / wrf_.dx() - 0.5, wrf_.nx(), s.i0, s.i1, s.a)) return false;
    if (!axis((p.y - wrf_.y0()) / wrf_.dy() - 0.5, wrf_.ny(), s.j0, s.j1, s.b)) return false;
    s.gamma = grid_north_angle(target_, x, y);
    return true;
  }

  Stencil require(double x, double y, const std::string& what) const {
    Stencil s;
    if (!locate(x, y, s)) {
      const LonLat ll = target_.to_lonlat({x, y});
      double lat_min = 90, lat_max = -90, lon_min = 360, lon_max = -360;
      for (std::size_t n = 0; n < ds_.lat.size(); ++n) {
        lat_min = std::min(lat_min, ds_.lat.data()[n]);
        lat_max = std::max(lat_max, ds_.lat.data()[n]);
        lon_min = std::min(lon_min, ds_.lon.data()[n]);
        lon_max = std::max(lon_max, ds_.lon.data()[n]);
      }
      throw Error(ErrorContext{ds_.files.empty() ? "" : ds_.files.front(), 0, ""},
                  "the case grid's " + what + " (" + fmt(ll.lat) + " N, " + fmt(ll.lon) +
                      " E) is not covered by the meteorology: expected the case grid inside the WRF cell centres "
                      "(lat " + fmt(lat_min) + ".." + fmt(lat_max) + ", lon " + fmt(lon_min) + ".." + fmt(lon_max) + ")");
    }
    return s;
  }

 private:
  const WrfDataset& ds_;
  Grid wrf_;
  const Grid& target_;
};

// Earth-relative wind at height z in WRF column (i, j): linear between mass levels, log law
// below the first level.
std::array<double, 2> column_wind(const WrfDataset& ds, const WrfFrame& f, int i, int j, double z, double z0) {
  const int nz = ds.nz;
  double ug = 0.0, vg = 0.0;
  const double z1 = f.z(i, j, 0);
  if (z < z1) {
    const double factor = log_law_factor(z, z1, z0);
    ug = f.u(i, j, 0) * factor;
    vg = f.v(i, j, 0) * factor;
  } else {
    auto zc = [&](int k) { return f.z(i, j, k); };
    ug = column_linear(zc, [&](int k) { return f.u(i, j, k); }, nz, z, 0.0, 0.0);
    vg = column_linear(zc, [&](int k) { return f.v(i, j, k); }, nz, z, 0.0, 0.0);
  }
  const double c = ds.cosalpha(i, j), s = ds.sinalpha(i, j);
  return {ug * c - vg * s, vg * c + ug * s};
}

// Earth-relative -> case grid components.
std::array<double, 2> to_grid(const std::array<double, 2>& e, double gamma) {
  const double c = std::cos(gamma), s = std::sin(gamma);
  return {e[0] * c + e[1] * s, -e[0] * s + e[1] * c};
}

}  // namespace

double grid_north_angle(const Grid& grid, double x, double y) {
  const LonLat ll = grid.to_lonlat({x, y});
  constexpr double step = 1e-4;  // degrees (~11 m)
  const double lat2 = ll.lat + step > 90.0 ? ll.lat - step : ll.lat + step;
  const XY p0 = grid.project(ll.lon, ll.lat);
  const XY p1 = grid.project(ll.lon, lat2);
  const double sign = lat2 > ll.lat ? 1.0 : -1.0;
  return std::atan2(sign * (p1.x - p0.x), sign * (p1.y - p0.y));
}

MetSeries regrid_wrf(const WrfDataset& ds, const Grid& grid, const RegridOptions& options) {
  const Locator loc(ds, grid);
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  // Corners first, so that the error names the uncovered corner.
  loc.require(grid.x_face(0), grid.y_face(0), "south-west corner");
  loc.require(grid.x_face(nx), grid.y_face(0), "south-east corner");
  loc.require(grid.x_face(nx), grid.y_face(ny), "north-east corner");
  loc.require(grid.x_face(0), grid.y_face(ny), "north-west corner");

  auto point_name = [](const char* kind, int i, int j) {
    return std::string(kind) + " (" + std::to_string(i) + ", " + std::to_string(j) + ")";
  };
  std::vector<Stencil> centre, xface, yface;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) centre.push_back(loc.require(grid.x_centre(i), grid.y_centre(j), point_name("cell", i, j)));
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i <= nx; ++i) xface.push_back(loc.require(grid.x_face(i), grid.y_centre(j), point_name("x-face", i, j)));
  for (int j = 0; j <= ny; ++j)
    for (int i = 0; i < nx; ++i) yface.push_back(loc.require(grid.x_centre(i), grid.y_face(j), point_name("y-face", i, j)));

  const bool have_z0 = std::isfinite(ds.z0(0, 0));
  auto z0_at = [&](int i, int j) { return have_z0 ? ds.z0(i, j) : options.z0_default; };

  std::vector<MetState> states;
  states.reserve(ds.size());
  for (std::size_t n = 0; n < ds.size(); ++n) {
    WrfFrame loaded;
    const WrfFrame& f = ds.frames.empty() ? (loaded = load_frame(ds, n)) : ds.frames[n];
    MetState m = MetState::zeros(grid, f.time);
    auto wind_at = [&](const Stencil& s, double z) {
      std::array<double, 2> e{0.0, 0.0};
      const double w[4] = {(1 - s.a) * (1 - s.b), s.a * (1 - s.b), (1 - s.a) * s.b, s.a * s.b};
      const int ii[4] = {s.i0, s.i1, s.i0, s.i1}, jj[4] = {s.j0, s.j0, s.j1, s.j1};
      for (int q = 0; q < 4; ++q) {
        const auto c = column_wind(ds, f, ii[q], jj[q], z, z0_at(ii[q], jj[q]));
        e[0] += w[q] * c[0];
        e[1] += w[q] * c[1];
      }
      return to_grid(e, s.gamma);
    };

    for (int k = 0; k < nz; ++k) {
      const double z = grid.z_centre(k);
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i <= nx; ++i) m.u(i, j, k) = wind_at(xface[static_cast<std::size_t>(i + (nx + 1) * j)], z)[0];
      for (int j = 0; j <= ny; ++j)
        for (int i = 0; i < nx; ++i) m.v(i, j, k) = wind_at(yface[static_cast<std::size_t>(i + nx * j)], z)[1];
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const Stencil& s = centre[static_cast<std::size_t>(i + nx * j)];
          m.t(i, j, k) = s.combine([&](int a, int b) {
            return column_linear([&](int q) { return f.z(a, b, q); }, [&](int q) { return f.t(a, b, q); }, ds.nz, z,
                                 2.0, f.t2(a, b));
          });
          m.rh(i, j, k) = s.combine([&](int a, int b) {
            return column_linear([&](int q) { return f.z(a, b, q); }, [&](int q) { return f.rh(a, b, q); }, ds.nz, z,
                                 2.0, f.rh2(a, b));
          });
        }
    }
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const Stencil& s = centre[static_cast<std::size_t>(i + nx * j)];
        auto two_d = [&](const Field2D<double>& fld) { return s.combine([&](int a, int b) { return fld(a, b); }); };
        m.pblh(i, j) = two_d(f.pblh);
        m.ustar(i, j) = two_d(f.ust);
        m.shf(i, j) = two_d(f.hfx);
        m.t2(i, j) = two_d(f.t2);
        m.rh2(i, j) = two_d(f.rh2);
        m.precip(i, j) = two_d(f.precip);
        const double psfc = two_d(f.psfc);
        m.obukhov(i, j) = monin_obukhov_length(m.ustar(i, j), m.shf(i, j), m.t2(i, j), air_density(psfc, m.t2(i, j)));
        std::array<double, 2> e10{0.0, 0.0};
        e10[0] = s.combine([&](int a, int b) { return f.u10(a, b) * ds.cosalpha(a, b) - f.v10(a, b) * ds.sinalpha(a, b); });
        e10[1] = s.combine([&](int a, int b) { return f.v10(a, b) * ds.cosalpha(a, b) + f.u10(a, b) * ds.sinalpha(a, b); });
        const auto g10 = to_grid(e10, s.gamma);
        m.u10(i, j) = g10[0];
        m.v10(i, j) = g10[1];
        for (int k = 0; k <= nz; ++k) {
          const double zf = k < nz ? grid.z_bottom(k) : grid.z_top(nz - 1);
          m.w(i, j, k) = k == 0 ? 0.0 : s.combine([&](int a, int b) {
            return column_linear([&](int q) { return f.z_w(a, b, q + 1); }, [&](int q) { return f.w_face(a, b, q + 1); },
                                 ds.nz, zf, 0.0, 0.0);
          });
          m.kz(i, j, k) = kz_profile(zf, m.pblh(i, j), m.ustar(i, j), m.obukhov(i, j), options.kz);
        }
      }
    states.push_back(std::move(m));
  }
  return MetSeries(std::move(states), ds.files.empty() ? "wrfout" : ds.files.front());
}

}  // namespace lantian::meteo
