// Transport: geometry, boundary halos, budget and mass diagnostics, argument checks
// (solver/transport.hpp). The sweeps are in transport_advection.cpp and transport_diffusion.cpp.
#include "solver/transport.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "solver/transport_internal.hpp"

namespace lantian::solver {

namespace {

ErrorContext context(const std::string& where) { return ErrorContext{"", 0, where}; }

bool positive_finite(double x) noexcept { return x > 0.0 && std::isfinite(x); }

/// Throws lantian::Error unless the field has the halo the MC stencil needs.
void check_halo(const Field3D<double>& c, const std::string& process) {
  LANTIAN_CHECK(c.halo() >= kTransportHalo, context(process),
                "expected a horizontal halo of at least " + std::to_string(kTransportHalo) + " cells, found " +
                    std::to_string(c.halo()));
}

}  // namespace

// ---- Geometry, budget, options ------------------------------------------------------------------

TransportGeometry TransportGeometry::of(const Grid& grid) {
  LANTIAN_CHECK(!grid.is_geographic(), context("transport"),
                "expected a projected grid in metres, found the geographic CRS " + grid.crs());
  TransportGeometry g;
  g.dx = grid.dx();
  g.dy = grid.dy();
  g.dz.resize(static_cast<std::size_t>(grid.nz()));
  for (int k = 0; k < grid.nz(); ++k) g.dz[static_cast<std::size_t>(k)] = grid.thickness(k);
  g.validate();
  return g;
}

void TransportGeometry::validate() const {
  LANTIAN_CHECK(positive_finite(dx) && positive_finite(dy), context("transport geometry"),
                "expected dx, dy > 0 and finite, found dx=" + std::to_string(dx) + " dy=" + std::to_string(dy));
  LANTIAN_CHECK(!dz.empty(), context("transport geometry"), "expected at least one layer");
  for (std::size_t k = 0; k < dz.size(); ++k)
    LANTIAN_CHECK(positive_finite(dz[k]), context("transport geometry"),
                  "expected layer thickness > 0 and finite, found dz[" + std::to_string(k) + "]=" +
                      std::to_string(dz[k]));
}

double TransportBudget::net_loss() const noexcept {
  double s = deposited - emitted;
  for (std::size_t i = 0; i < inflow.size(); ++i) s += outflow[i] - inflow[i];
  return s;
}

void AdvectionOptions::validate() const {
  LANTIAN_CHECK(courant_limit > 0.0 && courant_limit <= 1.0, context("advection options"),
                "expected courant_limit in (0, 1], found " + std::to_string(courant_limit));
  LANTIAN_CHECK(max_substeps >= 1 && substeps >= 0, context("advection options"),
                "expected max_substeps >= 1 and substeps >= 0, found " + std::to_string(max_substeps) + " and " +
                    std::to_string(substeps));
  for (double t : top_values)
    LANTIAN_CHECK(!detail::bad_concentration(t), context("advection options"),
                  "expected top_values finite and >= 0, found " + std::to_string(t));
}

void DiffusionOptions::validate() const {
  LANTIAN_CHECK(diffusion_limit > 0.0 && diffusion_limit <= 1.0, context("diffusion options"),
                "expected diffusion_limit in (0, 1], found " + std::to_string(diffusion_limit));
  LANTIAN_CHECK(max_substeps >= 1 && substeps >= 0, context("diffusion options"),
                "expected max_substeps >= 1 and substeps >= 0, found " + std::to_string(max_substeps) + " and " +
                    std::to_string(substeps));
}

// ---- Checks shared by the sweeps ------------------------------------------------------------------

namespace detail {

void check_shape(const Field3D<double>& f, int nx, int ny, int nz, int ax, int ay, int az, const std::string& name,
                 const std::string& process) {
  LANTIAN_CHECK(f.nx() == nx + ax && f.ny() == ny + ay && f.nz() == nz + az, context(process),
                "expected " + name + " of shape " + std::to_string(nx + ax) + " x " + std::to_string(ny + ay) + " x " +
                    std::to_string(nz + az) + ", found " + std::to_string(f.nx()) + " x " + std::to_string(f.ny()) +
                    " x " + std::to_string(f.nz()));
}

void check_fields(std::span<Field3D<double>> fields, const TransportGeometry& g, int min_halo,
                  const std::string& process) {
  g.validate();
  if (fields.empty()) return;
  const Field3D<double>& f0 = fields[0];
  LANTIAN_CHECK(f0.nz() == g.nz(), context(process),
                "expected " + std::to_string(g.nz()) + " layers (geometry), found " + std::to_string(f0.nz()));
  for (std::size_t s = 0; s < fields.size(); ++s) {
    check_shape(fields[s], f0.nx(), f0.ny(), f0.nz(), 0, 0, 0, "field " + std::to_string(s), process);
    LANTIAN_CHECK(fields[s].halo() >= min_halo, context(process),
                  "expected field " + std::to_string(s) + " with a horizontal halo of at least " +
                      std::to_string(min_halo) + ", found " + std::to_string(fields[s].halo()));
  }
}

void check_dt(double dt, const std::string& process) {
  LANTIAN_CHECK(positive_finite(dt), context(process), "expected a time step > 0 and finite, found " + std::to_string(dt));
}

}  // namespace detail

// ---- Boundaries ------------------------------------------------------------------------------------

void fill_halo_zero_gradient(Field3D<double>& c) {
  check_halo(c, "fill_halo_zero_gradient");
  fill_halo(c, HaloExtent{}, NoInflow{}, [](Side, int, int) { return 0.0; });
}

HaloFill zero_gradient_halo() {
  return [](std::span<Field3D<double>> fields) {
    for (Field3D<double>& f : fields) fill_halo_zero_gradient(f);
  };
}

namespace {

void check_inflow_args(const Field3D<double>& c, const LateralValues& values, const Field3D<double>& u,
                       const Field3D<double>& v, const std::string& process) {
  check_halo(c, process);
  detail::check_shape(u, c.nx(), c.ny(), c.nz(), 1, 0, 0, "u (x-faces)", process);
  detail::check_shape(v, c.nx(), c.ny(), c.nz(), 0, 1, 0, "v (y-faces)", process);
  for (Side s : kAllLateralSides)
    LANTIAN_CHECK(static_cast<int>(values[static_cast<std::size_t>(s)].size()) == c.nz(), context(process),
                  "expected " + std::to_string(c.nz()) + " inflow values (one per level) on the " +
                      std::string(side_name(s)) + " side, found " +
                      std::to_string(values[static_cast<std::size_t>(s)].size()));
}

}  // namespace

void fill_halo_inflow(Field3D<double>& c, const LateralValues& values, const Field3D<double>& u,
                      const Field3D<double>& v) {
  check_inflow_args(c, values, u, v, "fill_halo_inflow");
  fill_halo(c, HaloExtent{}, WindInflow(u, v, c.nx(), c.ny()), [&](Side side, int, int k) {
    return values[static_cast<std::size_t>(side)][static_cast<std::size_t>(k)];
  });
}

void fill_halo_inflow_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, int boundary_tag,
                             const LateralValues& values, const Field3D<double>& u, const Field3D<double>& v) {
  check_inflow_args(total, values, u, v, "fill_halo_inflow_tagged");
  LANTIAN_CHECK(boundary_tag >= 0 && boundary_tag < static_cast<int>(tags.size()), context("fill_halo_inflow_tagged"),
                "expected a boundary tag in [0, " + std::to_string(tags.size()) + "), found " +
                    std::to_string(boundary_tag));
  for (Field3D<double>& t : tags) {
    check_halo(t, "fill_halo_inflow_tagged");
    detail::check_shape(t, total.nx(), total.ny(), total.nz(), 0, 0, 0, "tag", "fill_halo_inflow_tagged");
  }
  fill_halo_inflow(total, values, u, v);
  const WindInflow inflow(u, v, total.nx(), total.ny());
  for (std::size_t n = 0; n < tags.size(); ++n) {
    const bool is_boundary = static_cast<int>(n) == boundary_tag;
    fill_halo(tags[n], HaloExtent{}, inflow, [&](Side side, int, int k) {
      return is_boundary ? values[static_cast<std::size_t>(side)][static_cast<std::size_t>(k)] : 0.0;
    });
  }
}

// ---- Diagnostics -----------------------------------------------------------------------------------

double field_mass(const Field3D<double>& c, const TransportGeometry& g) {
  g.validate();
  LANTIAN_CHECK(c.nz() == g.nz(), context("field_mass"),
                "expected " + std::to_string(g.nz()) + " layers, found " + std::to_string(c.nz()));
  // Neumaier's compensated sum (Neumaier 1974, ZAMM 54, 39): the budget tests compare mass
  // changes with boundary fluxes at the 1e-13 level.
  double sum = 0.0, comp = 0.0;
  const auto v = c.view();
  for (int k = 0; k < c.nz(); ++k) {
    const double vol = g.dx * g.dy * g.dz[static_cast<std::size_t>(k)];
    for (int j = 0; j < c.ny(); ++j)
      for (int i = 0; i < c.nx(); ++i) {
        const double x = v(i, j, k) * vol;
        const double t = sum + x;
        comp += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
      }
  }
  return sum + comp;
}

// ---- Row kernels (transport_internal.hpp) ----------------------------------------------------------

namespace detail {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// AVX2 without FMA (-mavx2 does not imply -mfma; avx512f would): no a·b + c is contracted, so the
// AVX2 version gives the bits of the SSE2 one. 256-bit vectors are also the faster ones for
// these streams on the target machine (../shared/TARGETS.md).
#define LANTIAN_ROW_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define LANTIAN_ROW_KERNEL
#endif

LANTIAN_ROW_KERNEL void scale_row(const double* v, double factor, double* __restrict out, int n) noexcept {
  for (int i = 0; i < n; ++i) out[i] = v[i] * factor;
}

LANTIAN_ROW_KERNEL int any_bad_row(const double* p, int n) noexcept {
  int flag = 0;
  for (int i = 0; i < n; ++i) flag |= bad_concentration(p[i]) ? 1 : 0;
  return flag;
}

LANTIAN_ROW_KERNEL void mc_slope_row(const double* cm, const double* c0, const double* cp, double wc,
                                     double* __restrict s, int n) noexcept {
  for (int i = 0; i < n; ++i) s[i] = mc_slope(cm[i], c0[i], cp[i], wc);
}

LANTIAN_ROW_KERNEL void face_flux_row(const double* cl, const double* sl, const double* cr, const double* sr,
                                      const double* d, double inv_hl, double inv_hr, double* __restrict phi,
                                      int n) noexcept {
  for (int i = 0; i < n; ++i) phi[i] = face_flux(cl[i], sl[i], cr[i], sr[i], d[i], inv_hl, inv_hr);
}

LANTIAN_ROW_KERNEL void divergence_row(double* __restrict c, const double* lo, const double* hi, double inv_h,
                                       int n) noexcept {
  for (int i = 0; i < n; ++i) c[i] -= (hi[i] - lo[i]) * inv_h;
}

LANTIAN_ROW_KERNEL void donor_ratio_row(const double* phi, const double* d, const double* cl, const double* cr,
                                        double* __restrict q, int n) noexcept {
  // donor_ratio as a select of loaded values (GCC left the 0/1-product form of this loop scalar,
  // with a branch): the same value for the finite, non-negative concentrations it is given.
  for (int i = 0; i < n; ++i) {
    const double donor = d[i] > 0.0 ? cl[i] : cr[i];
    const double divisor = donor > 0.0 ? donor : 1.0;
    q[i] = phi[i] / divisor;
  }
}

LANTIAN_ROW_KERNEL void tag_flux_row(const double* q, const double* d, const double* tl, const double* tr,
                                     double* __restrict out, int n) noexcept {
  // donor_value as a select (vectorises; the 0/1-product form stayed scalar): the same value
  // for finite tags.
  for (int i = 0; i < n; ++i) out[i] = q[i] * (d[i] > 0.0 ? tl[i] : tr[i]);
}

LANTIAN_ROW_KERNEL void thomas_coefficient_row(const double* kz_lo, const double* kz_hi, const double* g_above,
                                               double ca, double cb, double* __restrict beta,
                                               double* __restrict invp, double* __restrict g, int n) noexcept {
  for (int i = 0; i < n; ++i) {
    const double alpha = ca * kz_lo[i];
    const double bet = cb * kz_hi[i];
    const double ip = 1.0 / (1.0 + alpha + bet - bet * g_above[i]);
    beta[i] = bet;
    invp[i] = ip;
    g[i] = alpha * ip;
  }
}

LANTIAN_ROW_KERNEL void thomas_forward_row(double* __restrict c, const double* above, const double* beta,
                                           const double* invp, int n) noexcept {
  for (int i = 0; i < n; ++i) c[i] = (c[i] + beta[i] * above[i]) * invp[i];
}

LANTIAN_ROW_KERNEL void thomas_back_row(double* __restrict c, const double* below, const double* g, int n) noexcept {
  for (int i = 0; i < n; ++i) c[i] += g[i] * below[i];
}

LANTIAN_ROW_KERNEL void difference_row(const double* lo, const double* hi, double coef, double* __restrict out,
                                       int n) noexcept {
  for (int i = 0; i < n; ++i) out[i] = coef * (lo[i] - hi[i]);
}

LANTIAN_ROW_KERNEL void diffusion_update_row(double* __restrict c, const double* gx, const double* gs,
                                             const double* gn, double inv_dx, double inv_dy, int n) noexcept {
  for (int i = 0; i < n; ++i) c[i] += (gx[i] - gx[i + 1]) * inv_dx + (gs[i] - gn[i]) * inv_dy;
}

#undef LANTIAN_ROW_KERNEL

}  // namespace detail

}  // namespace lantian::solver
