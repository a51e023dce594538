#pragma once
// Private helpers shared by transport*.cpp: the one place holding the OpenMP policy
// (STYLE.md 6), the detection of bad values in hot loops without throwing inside them
// (STYLE.md 13), and the per-point MC-limited flux kernel.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/field.hpp"
#include "solver/transport.hpp"

namespace lantian::solver::detail {

/// Runs f(unit, scratch) for unit = 0..n-1 on the OpenMP threads (static schedule); scratch is a
/// per-thread buffer of `scratch_size` doubles. Each unit writes only its own outputs, so the
/// results do not depend on the number of threads. f must not throw.
template <class F>
void parallel_units(int n, std::size_t scratch_size, F&& f) {
#pragma omp parallel
  {
    std::vector<double> scratch(scratch_size);
#pragma omp for schedule(static)
    for (int unit = 0; unit < n; ++unit) f(unit, scratch.data());
  }
}

/// A value that must be finite and >= 0 (concentrations).
inline bool bad_concentration(double c) noexcept {
  return !((c >= 0.0) & (c <= std::numeric_limits<double>::max()));  // & not &&: no branch, vectorises
}
/// A value that must be finite (winds).
inline bool bad_finite(double x) noexcept { return !(std::abs(x) <= std::numeric_limits<double>::max()); }

/// The first bad value met by a unit of work (field slot < 0: none).
struct BadCell {
  int slot = -1;
  int i = 0, j = 0, k = 0;
  double value = 0.0;
};

/// Index of the first bad concentration in p[lo, hi), or hi when all are good. The flag loop
/// vectorises; the search runs only when something is wrong.
int any_bad_row(const double* p, int n) noexcept;

inline int first_bad(const double* p, int lo, int hi) noexcept {
  if (any_bad_row(p + lo, hi - lo) == 0) return hi;
  for (int i = lo; i < hi; ++i)
    if (bad_concentration(p[i])) return i;
  return hi;
}

/// Records a bad cell found in row (j, k) of slot `slot` unless one is already recorded.
inline void note_bad(BadCell& bad, int slot, const double* row, int lo, int hi, int j, int k) noexcept {
  if (bad.slot >= 0) return;
  const int i = first_bad(row, lo, hi);
  if (i < hi) bad = {slot, i, j, k, row[i]};
}

/// Throws lantian::Error for the first recorded bad cell (units in order), if any.
/// `what(slot)` names the field ("field 3", "tag 2").
template <class Name>
void throw_first_bad(std::span<const BadCell> bad, const std::string& process, const TransportGeometry& g,
                     Name&& what) {
  for (const BadCell& b : bad) {
    if (b.slot < 0) continue;
    throw Error(ErrorContext{"", 0, process},
                what(b.slot) + " has concentration " + std::to_string(b.value) + " at cell (i, j, k) = (" +
                    std::to_string(b.i + g.i0) + ", " + std::to_string(b.j + g.j0) + ", " + std::to_string(b.k) +
                    "); expected finite and >= 0 µg/m³");
  }
}

/// Throws lantian::Error unless every field has the shape of the first and a halo >= min_halo.
void check_fields(std::span<Field3D<double>> fields, const TransportGeometry& g, int min_halo,
                  const std::string& process);
/// Throws lantian::Error unless `f` is (nx + ax) × (ny + ay) × (nz + az).
void check_shape(const Field3D<double>& f, int nx, int ny, int nz, int ax, int ay, int az, const std::string& name,
                 const std::string& process);
/// Throws lantian::Error unless dt is finite and > 0.
void check_dt(double dt, const std::string& process);

/// Monotonized-central limited slope of a cell (undivided: the change across the cell),
///   σ = minmod( w_c (c₊ − c₋), 2 (c − c₋), 2 (c₊ − c) ),
/// where w_c = h / (h₋/2 + h + h₊/2) is ½ on a uniform grid (van Leer 1977; the MC limiter of
/// LeVeque 2002, §6.9). The 2Δ bounds keep both face values c ± σ/2 between the neighbours on any
/// grid, which is what positivity and the TVD property rest on.
inline double mc_slope(double cm, double c0, double cp, double wc) noexcept {
  const double d1 = c0 - cm;
  const double d2 = cp - c0;
  const double s = std::min(wc * std::abs(d1 + d2), 2.0 * std::min(std::abs(d1), std::abs(d2)));
  // Selections are written as products with 0/1 so that GCC vectorises the loops under the
  // default -ftrapping-math (which forbids if-converting the arithmetic of a branch).
  const double same_sign = d1 * d2 > 0.0 ? 1.0 : 0.0;
  return same_sign * std::copysign(s, d2);
}

/// Flux Φ (c × m) through the face between cells m−1 (value cl, limited slope sl) and m (cr, sr)
/// during a step, for a displacement d = u Δt (m) through it: d times the upwind face value
/// averaged over the step,
///   d > 0:  c_{m−1} + ½ σ_{m−1} (1 − d/h_{m−1})
///   d < 0:  c_m     − ½ σ_m     (1 + d/h_m)
/// (the REA flux of a limited piecewise-linear reconstruction, LeVeque 2002 §6.4-6.10; with
/// σ = 0 it is first-order upwind, with the unlimited slope it is Lax-Wendroff/Fromm).
inline double face_flux(double cl, double sl, double cr, double sr, double d, double inv_hl, double inv_hr) noexcept {
  const double up = cl + 0.5 * (1.0 - d * inv_hl) * sl;
  const double dn = cr - 0.5 * (1.0 + d * inv_hr) * sr;
  const double pos = d > 0.0 ? 1.0 : 0.0;
  return pos * (d * up) + (1.0 - pos) * (d * dn);  // exactly d·up or d·dn (x + 0·y = x for finite y)
}

/// Φ / c_donor for the tag apportionment, with the donor chosen by the sign of d. A zero donor
/// between non-negative neighbours has a zero limited slope, hence Φ = 0, and the ratio is 0.
inline double donor_ratio(double phi, double d, double c_below, double c_above) noexcept {
  const double pos = d > 0.0 ? 1.0 : 0.0;
  const double donor = pos * c_below + (1.0 - pos) * c_above;
  return phi / (donor > 0.0 ? donor : 1.0);
}

/// The donor value of a face (c_below when d > 0, else c_above), branch-free.
inline double donor_value(double d, double c_below, double c_above) noexcept {
  const double pos = d > 0.0 ? 1.0 : 0.0;
  return pos * c_below + (1.0 - pos) * c_above;
}

/// In/out mass (c × m, before multiplying by the face area) of one boundary face flux Φ;
/// `entering_positive`: Φ > 0 enters the block through this face (west, south, bottom faces).
inline void add_boundary(double phi, bool entering_positive, double& in, double& out) noexcept {
  const double p = entering_positive ? phi : -phi;
  in += p > 0.0 ? p : 0.0;
  out += p < 0.0 ? -p : 0.0;
}

// ---- Row kernels ------------------------------------------------------------------------------
// The hot loops, one row (n contiguous values) at a time, defined in transport.cpp with
// `target_clones`: the library keeps its portable flags, and GCC adds an AVX2 version of these
// functions picked at load time by the CPU (ifunc). Element-wise IEEE operations in a fixed
// order (no reductions, and no FMA in either version), so both versions give the same bits.

/// out[i] = v[i] * factor.
void scale_row(const double* v, double factor, double* __restrict out, int n) noexcept;
/// 1 if any p[i] is NaN, infinite or negative, else 0.
int any_bad_row(const double* p, int n) noexcept;
/// s[i] = mc_slope(cm[i], c0[i], cp[i], wc).
void mc_slope_row(const double* cm, const double* c0, const double* cp, double wc, double* __restrict s,
                  int n) noexcept;
/// phi[i] = flux through a face with cell (cl, sl) below/left and (cr, sr) above/right, for the
/// displacement d[i] (face_flux with precomputed slopes).
void face_flux_row(const double* cl, const double* sl, const double* cr, const double* sr, const double* d,
                   double inv_hl, double inv_hr, double* __restrict phi, int n) noexcept;
/// c[i] -= (hi[i] − lo[i]) · inv_h: the flux-form update of a row.
void divergence_row(double* __restrict c, const double* lo, const double* hi, double inv_h, int n) noexcept;
/// q[i] = donor_ratio(phi[i], d[i], cl[i], cr[i]).
void donor_ratio_row(const double* phi, const double* d, const double* cl, const double* cr, double* __restrict q,
                     int n) noexcept;
/// out[i] = q[i] · donor_value(d[i], tl[i], tr[i]).
void tag_flux_row(const double* q, const double* d, const double* tl, const double* tr, double* __restrict out,
                  int n) noexcept;
/// Thomas coefficients of one layer: α = ca·kz_lo, β = cb·kz_hi, p = 1 + α + β − β·g_above;
/// beta[i] = β, invp[i] = 1/p, g[i] = α/p.
void thomas_coefficient_row(const double* kz_lo, const double* kz_hi, const double* g_above, double ca, double cb,
                            double* __restrict beta, double* __restrict invp, double* __restrict g, int n) noexcept;
/// c[i] = (c[i] + beta[i]·above[i]) · invp[i]: the forward (top-down) elimination of a layer.
void thomas_forward_row(double* __restrict c, const double* above, const double* beta, const double* invp,
                        int n) noexcept;
/// c[i] += g[i] · below[i]: the back substitution (bottom-up) of a layer.
void thomas_back_row(double* __restrict c, const double* below, const double* g, int n) noexcept;
/// out[i] = coef · (lo[i] − hi[i]): a diffusive flux with a constant coefficient.
void difference_row(const double* lo, const double* hi, double coef, double* __restrict out, int n) noexcept;
/// c[i] += (gx[i] − gx[i+1]) · inv_dx + (gs[i] − gn[i]) · inv_dy: the 5-point flux-form update.
void diffusion_update_row(double* __restrict c, const double* gx, const double* gs, const double* gn, double inv_dx,
                          double inv_dy, int n) noexcept;

}  // namespace lantian::solver::detail
