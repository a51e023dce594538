// Diffusion (solver/transport.hpp): implicit vertical, explicit horizontal.
//
// Vertical (垂直扩散), backward Euler in flux form on layers of thickness h_k, Kz on the z-faces
// (face k = bottom of layer k), centre spacing δ_k = (h_{k−1} + h_k)/2:
//   h_k (c_k' − c_k)/Δt = F_k − F_{k+1},   F_k = Kz_k (c_{k−1}' − c_k')/δ_k  (upward, 0 < k < nz),
//   F_0 = E − v_d c_0' (surface emission in, dry deposition out), F_nz = 0 (closed top).
// With α_k = Δt Kz_k/(h_k δ_k) (k ≥ 1, α_0 = 0) and β_k = Δt Kz_{k+1}/(h_k δ_{k+1}) (β_{nz−1} = 0):
//   −α_k c_{k−1}' + (1 + α_k + β_k + [k=0] Δt v_d/h_0) c_k' − β_k c_{k+1}' = c_k + [k=0] Δt E/h_0.
// A diagonally dominant M-matrix: its inverse is ≥ 0, so c' ≥ 0 for c ≥ 0 and any Δt
// (first order in time, second in space; Crank-Nicolson is not used because it is positive only
// for Δt ≲ h²/K). Solved by the Thomas algorithm eliminating from the TOP down, so the pivots
//   p_k = 1 + α_k + β_k − β_k g_{k+1},  g_k = α_k / p_k   (g_nz = 0)
// of layers 1..nz−1 do not depend on v_d and are shared by all fields of a column; the species'
// deposition enters only the last pivot p_0 = 1 + β_0 − β_0 g_1 + Δt v_d/h_0. Forward:
// d_k = (c_k + β_k d_{k+1})/p_k, back: c_0' = d_0, c_k' = d_k + g_k c_{k−1}' — every term ≥ 0, no
// cancellation (Thomas 1949; e.g. Press et al. 2007, "Numerical Recipes" 3rd ed., §2.4).
// Σ h_k c_k' = Σ h_k c_k + Δt (E − v_d c_0'): mass changes only by the surface flux.
// Columns are solved many at a time (i fastest) so the sweeps vectorise (TARGETS.md).
//
// Horizontal (水平扩散), forward Euler, 5-point flux form with face diffusivities K_f (the mean of
// the two cells when Kh is a field):
//   c_ij' = c_ij + Δt/dx² [K_{i+½}(c_{i+1} − c_i) − K_{i−½}(c_i − c_{i−1})] + (same in y).
// c' is a convex combination of c and its 4 neighbours, so positive and bounded by them, when the
// diffusion number Δt (K_{i−½} + K_{i+½})/dx² + Δt (K_{j−½} + K_{j+½})/dy² is ≤ 1; sub-steps keep
// it ≤ diffusion_limit. First order in time, second in space.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "solver/transport.hpp"
#include "solver/transport_internal.hpp"

namespace lantian::solver {

namespace {

using detail::add_boundary;
using detail::BadCell;
using detail::parallel_units;

const std::string kVerticalDiffusion = "vertical diffusion";
const std::string kHorizontalDiffusion = "horizontal diffusion";

std::string cell_text(int i, int j, int k, const TransportGeometry& g) {
  return "(i, j, k) = (" + std::to_string(i + g.i0) + ", " + std::to_string(j + g.j0) + ", " + std::to_string(k) + ")";
}

bool bad_coefficient(double x) noexcept { return detail::bad_concentration(x); }  // finite and >= 0

}  // namespace

// ---- Vertical ----------------------------------------------------------------------------------

void diffuse_vertical(std::span<Field3D<double>> fields, const Field3D<double>& kz, const TransportGeometry& g,
                      double dt, std::span<const SurfaceFlux> surface, std::span<TransportBudget> budget) {
  if (fields.empty()) return;
  const std::string& P = kVerticalDiffusion;
  detail::check_dt(dt, P);
  detail::check_fields(fields, g, 0, P);
  const Field3D<double>& f0 = fields[0];
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  const auto nf = fields.size();
  detail::check_shape(kz, nx, ny, nz, 0, 0, 1, "Kz (z-faces)", P);
  LANTIAN_CHECK(surface.empty() || surface.size() == nf, (ErrorContext{"", 0, P}),
                "expected surface fluxes for none or all " + std::to_string(nf) + " fields, found " +
                    std::to_string(surface.size()));
  LANTIAN_CHECK(budget.empty() || budget.size() == nf, (ErrorContext{"", 0, P}),
                "expected budget empty or of size " + std::to_string(nf) + ", found " + std::to_string(budget.size()));
  for (std::size_t s = 0; s < surface.size(); ++s)
    for (const Field2D<double>* f : {surface[s].emission, surface[s].deposition_velocity}) {
      if (f == nullptr) continue;
      const char* what = f == surface[s].emission ? "emission" : "deposition velocity";
      LANTIAN_CHECK(f->nx() == nx && f->ny() == ny, (ErrorContext{"", 0, P}),
                    std::string("expected the ") + what + " of field " + std::to_string(s) + " of shape " +
                        std::to_string(nx) + " x " + std::to_string(ny) + ", found " + std::to_string(f->nx()) +
                        " x " + std::to_string(f->ny()));
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i)
          LANTIAN_CHECK(!bad_coefficient((*f)(i, j)), (ErrorContext{"", 0, P}),
                        std::string(what) + " of field " + std::to_string(s) + " is " + std::to_string((*f)(i, j)) +
                            " at cell (i, j) = (" + std::to_string(i + g.i0) + ", " + std::to_string(j + g.j0) +
                            "); expected finite and >= 0");
    }

  std::vector<double> h(static_cast<std::size_t>(nz)), delta(static_cast<std::size_t>(nz + 1), 0.0);
  for (int k = 0; k < nz; ++k) h[static_cast<std::size_t>(k)] = g.dz[static_cast<std::size_t>(k)];
  for (int k = 1; k < nz; ++k)
    delta[static_cast<std::size_t>(k)] = 0.5 * (h[static_cast<std::size_t>(k - 1)] + h[static_cast<std::size_t>(k)]);
  const double area = g.dx * g.dy;
  const double dt_h0 = dt / h[0];

  const auto nvs = static_cast<std::size_t>(nx);
  const auto nzs = static_cast<std::size_t>(nz);
  std::vector<double> acc(static_cast<std::size_t>(ny) * nf * 2, 0.0);  // [j][field](emitted, deposited)
  std::vector<BadCell> bad(static_cast<std::size_t>(ny));
  std::vector<BadCell> bad_kz(static_cast<std::size_t>(ny));
  const auto kzv = kz.view();

  // Scratch per row: β, g, 1/p for layers (nz × nx each), p_0 without deposition and a row of
  // zeros standing for the missing neighbours of the end layers (branch-free, vectorised loops).
  // A unit of work is a block of kRowsPerUnit rows: their coefficients first, then each field's
  // block of columns, so that a field is read in runs of kRowsPerUnit rows of every layer (with
  // many fields, e.g. a model's tags, one row per layer was too short a run for the prefetchers).
  // Every column gets the same operations in the same order, whatever the blocking.
  constexpr int kRowsPerUnit = 8;
  const std::size_t per_row = (3 * nzs + 2) * nvs;
  const int units = (ny + kRowsPerUnit - 1) / kRowsPerUnit;
  parallel_units(units, kRowsPerUnit * per_row, [&](int unit, double* block_scratch) {
    const int ja = unit * kRowsPerUnit, jb = std::min(ny, ja + kRowsPerUnit);
    auto at = [nvs](double* a, int k) { return a + static_cast<std::size_t>(k) * nvs; };
    auto scratch_of = [&](int j) { return block_scratch + static_cast<std::size_t>(j - ja) * per_row; };
    for (int j = ja; j < jb; ++j) {
      double* scratch = scratch_of(j);
      double* beta = scratch;
      double* gk = beta + nzs * nvs;
      double* invp = gk + nzs * nvs;
      double* p0 = invp + nzs * nvs;
      double* zeros = p0 + nvs;
      std::fill(zeros, zeros + nvs, 0.0);
      BadCell& bk = bad_kz[static_cast<std::size_t>(j)];
      // Coefficients, top down (g_nz = 0).
      for (int k = nz - 1; k >= 0; --k) {
        const double hk = h[static_cast<std::size_t>(k)];
        const double* kz_lo = k > 0 ? &kzv(0, j, k) : zeros;        // the ground face: no diffusion
        const double* kz_hi = k + 1 < nz ? &kzv(0, j, k + 1) : zeros;  // the top face: none
        if (bk.slot < 0) {
          const int i_lo = k > 0 ? detail::first_bad(kz_lo, 0, nx) : nx;
          const int i_hi = k + 1 < nz ? detail::first_bad(kz_hi, 0, nx) : nx;
          if (i_lo < nx) bk = {0, i_lo, j, k, kz_lo[i_lo]};
          else if (i_hi < nx) bk = {0, i_hi, j, k + 1, kz_hi[i_hi]};
        }
        const double ca = k > 0 ? dt / (hk * delta[static_cast<std::size_t>(k)]) : 0.0;
        const double cb = k + 1 < nz ? dt / (hk * delta[static_cast<std::size_t>(k + 1)]) : 0.0;
        double* b = at(beta, k);
        double* gg = at(gk, k);
        double* ip = at(invp, k);
        const double* ga = k + 1 < nz ? at(gk, k + 1) : zeros;
        detail::thomas_coefficient_row(kz_lo, kz_hi, ga, ca, cb, b, ip, gg, nx);
        if (k == 0)  // p_0 as above (α_0 = 0), kept for adding each field's deposition
          for (int i = 0; i < nx; ++i) p0[i] = 1.0 + b[i] - b[i] * ga[i];
      }
    }
    for (std::size_t s = 0; s < nf; ++s) {
      Field3D<double>& fld = fields[s];
      const Field2D<double>* em = surface.empty() ? nullptr : surface[s].emission;
      const Field2D<double>* vd = surface.empty() ? nullptr : surface[s].deposition_velocity;
      for (int j = ja; j < jb; ++j) {
        double* scratch = scratch_of(j);
        double* beta = scratch;
        double* gk = beta + nzs * nvs;
        double* invp = gk + nzs * nvs;
        double* p0 = invp + nzs * nvs;
        double* zeros = p0 + nvs;
        double* col = fld.data() + fld.index(0, j, 0);
        const std::ptrdiff_t sz = fld.stride_z();
        auto row = [&](int k) { return col + k * sz; };
        BadCell& b = bad[static_cast<std::size_t>(j)];
        for (int k = 0; k < nz && b.slot < 0; ++k) detail::note_bad(b, static_cast<int>(s), row(k), 0, nx, j, k);
        // Forward (top down): d_k = (c_k + β_k d_{k+1}) / p_k, stored in c.
        for (int k = nz - 1; k >= 1; --k)
          detail::thomas_forward_row(row(k), k + 1 < nz ? row(k + 1) : zeros, at(beta, k), at(invp, k), nx);
        // Bottom row with the surface flux: emission on the right-hand side, deposition on the pivot.
        double emitted = 0.0, deposited = 0.0;
        {
          double* c = row(0);
          const double* above = nz > 1 ? row(1) : nullptr;
          const double* bt = at(beta, 0);
          const double* e = em != nullptr ? &(*em)(0, j) : zeros;
          const double* v = vd != nullptr ? &(*vd)(0, j) : zeros;
          if (above == nullptr) above = zeros;
          for (int i = 0; i < nx; ++i) {
            const double src = dt_h0 * e[i];
            const double dep = dt_h0 * v[i];
            const double rhs = c[i] + src + bt[i] * above[i];
            c[i] = rhs / (p0[i] + dep);
            emitted += src;
            deposited += dep * c[i];
          }
        }
        // Back substitution (bottom up): c_k' = d_k + g_k c_{k−1}'.
        for (int k = 1; k < nz; ++k) detail::thomas_back_row(row(k), row(k - 1), at(gk, k), nx);
        double* a = &acc[(static_cast<std::size_t>(j) * nf + s) * 2];
        a[0] = emitted * h[0] * area;  // (Δt E / h_0) h_0 dx dy = Δt E dx dy, µg
        a[1] = deposited * h[0] * area;
      }
    }
  });
  for (const BadCell& b : bad_kz)
    if (b.slot >= 0)
      throw Error(ErrorContext{"", 0, P}, "Kz is " + std::to_string(b.value) + " at the bottom face of cell " +
                                              cell_text(b.i, b.j, b.k, g) + "; expected finite and >= 0");
  detail::throw_first_bad(bad, P, g, [](int s) { return "field " + std::to_string(s); });
  for (int j = 0; j < ny; ++j)
    for (std::size_t s = 0; s < budget.size(); ++s) {
      budget[s].emitted += acc[(static_cast<std::size_t>(j) * nf + s) * 2];
      budget[s].deposited += acc[(static_cast<std::size_t>(j) * nf + s) * 2 + 1];
    }
}

// ---- Horizontal --------------------------------------------------------------------------------

StepReport diffuse_horizontal(std::span<Field3D<double>> fields, const HorizontalDiffusivity& kh,
                              const TransportGeometry& g, double dt, const HaloFill& fill_halo,
                              std::span<TransportBudget> budget, const DiffusionOptions& opt) {
  if (fields.empty()) return {};
  const std::string& P = kHorizontalDiffusion;
  opt.validate();
  detail::check_dt(dt, P);
  detail::check_fields(fields, g, 1, P);
  const Field3D<double>& f0 = fields[0];
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  const auto nf = fields.size();
  LANTIAN_CHECK(budget.empty() || budget.size() == nf, (ErrorContext{"", 0, P}),
                "expected budget empty or of size " + std::to_string(nf) + ", found " + std::to_string(budget.size()));
  const double idx2 = 1.0 / (g.dx * g.dx), idy2 = 1.0 / (g.dy * g.dy);

  // Face diffusivities: the constant, or the mean of the two cells.
  const Field3D<double>* kf = kh.field;
  if (kf == nullptr) {
    LANTIAN_CHECK(!bad_coefficient(kh.constant), (ErrorContext{"", 0, P}),
                  "expected Kh finite and >= 0, found " + std::to_string(kh.constant));
  } else {
    detail::check_shape(*kf, nx, ny, nz, 0, 0, 0, "Kh (cell centres)", P);
    LANTIAN_CHECK(kf->halo() >= 1, (ErrorContext{"", 0, P}),
                  "expected Kh with a horizontal halo of at least 1 (filled), found " + std::to_string(kf->halo()));
    const auto kv = kf->view();
    for (int k = 0; k < nz; ++k)
      for (int j = -1; j <= ny; ++j)
        for (int i = -1; i <= nx; ++i) {
          const bool corner = (i < 0 || i == nx) && (j < 0 || j == ny);
          if (!corner)
            LANTIAN_CHECK(!bad_coefficient(kv(i, j, k)), (ErrorContext{"", 0, P}),
                          "Kh is " + std::to_string(kv(i, j, k)) + " at cell " + cell_text(i, j, k, g) +
                              "; expected finite and >= 0");
        }
  }
  auto kx = [&](int f, int j, int k) {  // x-face f of row (j, k): between cells f−1 and f
    return kf == nullptr ? kh.constant : 0.5 * ((*kf)(f - 1, j, k) + (*kf)(f, j, k));
  };
  auto ky = [&](int i, int f, int k) {
    return kf == nullptr ? kh.constant : 0.5 * ((*kf)(i, f - 1, k) + (*kf)(i, f, k));
  };

  // Largest diffusion number over the step → sub-steps.
  CourantMax dmax;
  if (kf == nullptr) {
    dmax.value = 2.0 * dt * kh.constant * (idx2 + idy2);
  } else {
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const double d = dt * ((kx(i, j, k) + kx(i + 1, j, k)) * idx2 + (ky(i, j, k) + ky(i, j + 1, k)) * idy2);
          if (d > dmax.value) dmax = {d, i, j, k};
        }
  }
  int n = opt.substeps;
  if (n == 0) {
    const double need = std::max(1.0, std::ceil(dmax.value / opt.diffusion_limit));
    LANTIAN_CHECK(need <= opt.max_substeps, (ErrorContext{"", 0, P}),
                  "the diffusivity needs " + std::to_string(need) + " sub-steps (more than max_substeps = " +
                      std::to_string(opt.max_substeps) + "): diffusion number " + std::to_string(dmax.value) +
                      " over dt = " + std::to_string(dt) + " s at cell " + cell_text(dmax.i, dmax.j, dmax.k, g));
    n = static_cast<int>(need);
  }
  LANTIAN_CHECK(dmax.value / n <= 1.0, (ErrorContext{"", 0, P}),
                "the given " + std::to_string(n) + " sub-steps leave a diffusion number of " +
                    std::to_string(dmax.value / n) + " > 1 at cell " + cell_text(dmax.i, dmax.j, dmax.k, g));
  const double h = dt / n;

  const int units = nz * static_cast<int>(nf);
  const auto nvs = static_cast<std::size_t>(nx);
  std::vector<double> acc(static_cast<std::size_t>(units) * 8, 0.0);  // [unit](in, out) × W E S N
  std::vector<BadCell> bad(static_cast<std::size_t>(units));
  for (int sub = 0; sub < n; ++sub) {
    if (sub > 0) fill_halo(fields);
    // Scratch: two rolling rows of y-face fluxes and one row of x-face fluxes (c × m over h).
    parallel_units(units, 3 * nvs + 1, [&](int unit, double* scratch) {
      const int k = unit / static_cast<int>(nf);
      const auto s = static_cast<std::size_t>(unit % static_cast<int>(nf));
      auto c = fields[s].view();
      double* gy[2] = {scratch, scratch + nvs};
      double* gx = scratch + 2 * nvs;
      double* a = &acc[static_cast<std::size_t>(unit) * 8];
      const double dz = g.dz[static_cast<std::size_t>(k)];
      if (sub == 0) {
        BadCell& b = bad[static_cast<std::size_t>(unit)];
        for (int j = 0; j < ny && b.slot < 0; ++j) detail::note_bad(b, static_cast<int>(s), &c(0, j, k), -1, nx + 1, j, k);
        detail::note_bad(b, static_cast<int>(s), &c(0, -1, k), 0, nx, -1, k);
        detail::note_bad(b, static_cast<int>(s), &c(0, ny, k), 0, nx, ny, k);
      }
      for (int j = 0; j <= ny; ++j) {
        // y-face j (south face of row j): Φ = K Δt/dy (c_{j−1} − c_j), positive northwards.
        double* gj = gy[j % 2];
        const double* lo = &c(0, j - 1, k);
        const double* hi = &c(0, j, k);
        if (kf == nullptr) {
          detail::difference_row(lo, hi, kh.constant * h / g.dy, gj, nx);
        } else {
          for (int i = 0; i < nx; ++i) gj[i] = ky(i, j, k) * h / g.dy * (lo[i] - hi[i]);
        }
        if (j == 0)
          for (int i = 0; i < nx; ++i) add_boundary(gj[i] * g.dx * dz, true, a[4], a[5]);
        if (j == ny)
          for (int i = 0; i < nx; ++i) add_boundary(gj[i] * g.dx * dz, false, a[6], a[7]);
        if (j == 0) continue;
        // Row j−1: its x-faces, then the update (row j−1 is read by no later y-face).
        const int r = j - 1;
        double* row = &c(0, r, k);
        if (kf == nullptr) {
          detail::difference_row(row - 1, row, kh.constant * h / g.dx, gx, nx + 1);
        } else {
          for (int f = 0; f <= nx; ++f) gx[f] = kx(f, r, k) * h / g.dx * (row[f - 1] - row[f]);
        }
        add_boundary(gx[0] * g.dy * dz, true, a[0], a[1]);
        add_boundary(gx[nx] * g.dy * dz, false, a[2], a[3]);
        const double* gs = gy[r % 2];
        const double* gn = gy[j % 2];
        detail::diffusion_update_row(row, gx, gs, gn, 1.0 / g.dx, 1.0 / g.dy, nx);
      }
    });
    if (sub == 0) detail::throw_first_bad(bad, P, g, [](int s) { return "field " + std::to_string(s); });
  }
  for (int unit = 0; unit < units && !budget.empty(); ++unit) {
    const auto s = static_cast<std::size_t>(unit % static_cast<int>(nf));
    const double* a = &acc[static_cast<std::size_t>(unit) * 8];
    for (int side = 0; side < kLateralSides; ++side) {
      budget[s].inflow[static_cast<std::size_t>(side)] += a[2 * side];
      budget[s].outflow[static_cast<std::size_t>(side)] += a[2 * side + 1];
    }
  }
  return {n, dmax.value};
}

}  // namespace lantian::solver
