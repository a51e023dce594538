// Advection sweeps (solver/transport.hpp): MC-limited flux-form finite volumes, Strang-split in
// the horizontal, sub-stepped to a Courant limit, with PSAT tag apportionment.
//
// One 1-D sweep over cells m of widths h_m, for face displacements d_{m−½} = u_{m−½} Δt:
//   c_m ← c_m − (Φ_{m+½} − Φ_{m−½}) / h_m,   Φ = detail::face_flux (upwind, MC-limited slopes
//   σ computed once per cell, with the Lax-Wendroff factor 1 − |d|/h).
// Positivity: cell m loses at most ν_R (c + σ/2 (1 − ν_R)) + ν_L (c − σ/2 (1 − ν_L)) through its
// outflow faces (ν = |d|/h, 0 on an inflow face), with |σ| ≤ 2c because the neighbours are ≥ 0;
// the worst case is 2ν − ν² ≤ 1 with ν = ν_R + ν_L, so c stays ≥ 0 whenever the outflow Courant
// number ν_R + ν_L is ≤ 1. With a constant wind the sweep is the classical TVD MC scheme (no new
// extrema for ν ≤ 1; LeVeque 2002, §6.12, Sweby 1984).
//
// Tags (CAMx PSAT): for a face with total flux Φ and donor (upwind) cell D, the flux of tag t is
//   Φ_t = Φ · t_D / c_D   (0 when c_D = 0; then Φ = 0 as well, the limited slope of a zero cell
//                          between non-negative neighbours being 0).
// Σ_t Φ_t = Φ (Σ_t t_D)/c_D = Φ when the tags add up to the total, so after the update Σ tags =
// total to round-off; a tag loses at most the fraction t_D/c_D of what its cell loses, so it stays
// ≥ 0 as the total does.
//
// Memory traffic: the x sweep streams each row once (read and write c, the row of u kept in L1
// across fields); the y and z sweeps walk a plane of rows with three rolling rows of fluxes, each
// row updated as soon as no later face reads it, so every value is read and written once per sweep.
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

const std::string kHorizontal = "horizontal advection";
const std::string kVertical = "vertical advection";

/// Fields advected together. Untagged: every field is a group without tags. Tagged: one group,
/// the total and its tags. Slots number the fields: group g's total at slot(g), its tags after it.
struct FieldSet {
  struct Group {
    Field3D<double>* total = nullptr;
    std::span<Field3D<double>> tags;
    int slot = 0;
  };
  std::vector<Group> groups;
  int slots = 0;
  bool tagged = false;

  static FieldSet untagged(std::span<Field3D<double>> fields) {
    FieldSet s;
    for (auto& f : fields) s.groups.push_back({&f, {}, s.slots++});
    return s;
  }
  static FieldSet with_tags(Field3D<double>& total, std::span<Field3D<double>> tags) {
    FieldSet s;
    s.tagged = true;
    s.groups.push_back({&total, tags, 0});
    s.slots = 1 + static_cast<int>(tags.size());
    return s;
  }
  std::string name(int slot) const {
    if (!tagged) return "field " + std::to_string(slot);
    return slot == 0 ? std::string("the total") : "tag " + std::to_string(slot - 1);
  }
  const Field3D<double>& first() const { return *groups.front().total; }
};

/// Throws unless all fields of the set share one shape and halo (so one offset addresses a cell
/// in all of them).
void check_set(const FieldSet& set, const TransportGeometry& g, int min_halo, const std::string& process) {
  std::vector<Field3D<double>*> all;
  for (const auto& gr : set.groups) {
    all.push_back(gr.total);
    for (auto& t : gr.tags) all.push_back(&t);
  }
  const Field3D<double>& f0 = *all.front();
  g.validate();
  LANTIAN_CHECK(f0.nz() == g.nz(), (ErrorContext{"", 0, process}),
                "expected " + std::to_string(g.nz()) + " layers (geometry), found " + std::to_string(f0.nz()));
  LANTIAN_CHECK(f0.halo() >= min_halo, (ErrorContext{"", 0, process}),
                "expected a horizontal halo of at least " + std::to_string(min_halo) + ", found " +
                    std::to_string(f0.halo()));
  for (std::size_t s = 0; s < all.size(); ++s) {
    detail::check_shape(*all[s], f0.nx(), f0.ny(), f0.nz(), 0, 0, 0, set.name(static_cast<int>(s)), process);
    LANTIAN_CHECK(all[s]->halo() == f0.halo() && all[s]->halo_z() == f0.halo_z(), (ErrorContext{"", 0, process}),
                  "expected " + set.name(static_cast<int>(s)) + " with the halo of the first field (" +
                      std::to_string(f0.halo()) + "), found " + std::to_string(all[s]->halo()));
  }
}

/// Budget of one call, per slot; added to the caller's budgets at the end.
struct SlotBudgets {
  std::vector<TransportBudget> slot;
  explicit SlotBudgets(int slots) : slot(static_cast<std::size_t>(slots)) {}

  /// Adds per-unit sums laid out [unit][slot][4] = (in first, out first, in last, out last),
  /// in unit order, to sides `first` and `last`.
  void add_units(const double* acc, int units, Side first, Side last) {
    const auto nslots = slot.size();
    for (int u = 0; u < units; ++u)
      for (std::size_t s = 0; s < nslots; ++s) {
        const double* a = &acc[(static_cast<std::size_t>(u) * nslots + s) * 4];
        TransportBudget& b = slot[s];
        b.inflow[static_cast<std::size_t>(first)] += a[0];
        b.outflow[static_cast<std::size_t>(first)] += a[1];
        b.inflow[static_cast<std::size_t>(last)] += a[2];
        b.outflow[static_cast<std::size_t>(last)] += a[3];
      }
  }
};

void add_to(std::span<TransportBudget> out, const TransportBudget& b) {
  for (auto& o : out) {
    for (std::size_t i = 0; i < o.inflow.size(); ++i) {
      o.inflow[i] += b.inflow[i];
      o.outflow[i] += b.outflow[i];
    }
  }
}

/// Sub-steps for a largest Courant number `c` (over the whole step): the given number, or the
/// smallest n with c/n ≤ limit. Throws naming the cell when that is more than max_substeps, or
/// when a given n would leave a Courant number above 1 (positivity lost).
int substeps_for(double c, const CourantMax& where, const AdvectionOptions& opt, const std::string& process,
                 const TransportGeometry& g, double dt) {
  const std::string cell = "(i, j, k) = (" + std::to_string(where.i + g.i0) + ", " + std::to_string(where.j + g.j0) +
                           ", " + std::to_string(where.k) + ")";
  if (opt.substeps > 0) {
    LANTIAN_CHECK(c / opt.substeps <= 1.0, (ErrorContext{"", 0, process}),
                  "the given " + std::to_string(opt.substeps) + " sub-steps leave an outflow Courant number of " +
                      std::to_string(c / opt.substeps) + " > 1 at cell " + cell + " (dt = " + std::to_string(dt) +
                      " s)");
    return opt.substeps;
  }
  const double n = std::max(1.0, std::ceil(c / opt.courant_limit));
  LANTIAN_CHECK(n <= opt.max_substeps, (ErrorContext{"", 0, process}),
                "the wind cannot meet the CFL condition within " + std::to_string(opt.max_substeps) +
                    " sub-steps: outflow Courant number " + std::to_string(c) + " over dt = " + std::to_string(dt) +
                    " s at cell " + cell + " needs " + std::to_string(n) + " sub-steps of Courant <= " +
                    std::to_string(opt.courant_limit));
  return static_cast<int>(n);
}

/// Largest of per-unit maxima, first in unit order on ties.
CourantMax first_max(const std::vector<CourantMax>& per_unit) {
  CourantMax m;
  for (const auto& c : per_unit)
    if (c.value > m.value) m = c;
  return m;
}

// ---- x sweep -------------------------------------------------------------------------------------

/// Row (j, k) of one x sweep of every field of the set over dt: d = u Δt from `urow` (faces
/// 0..nx of the row), the side masses added to sums[slot * 4 ..] (in west, out west, in east,
/// out east), the first bad value into `b`. Scratch: 5 (nx + 1) + 1 doubles.
void sweep_x_row(const FieldSet& set, const double* urow, const TransportGeometry& g, double dt, int j, int k,
                 double* scratch, double* sums, BadCell& b) {
  const Field3D<double>& f0 = set.first();
  const int nx = f0.nx();
  const auto nf = static_cast<std::size_t>(nx + 1);
  const double inv_h = 1.0 / g.dx;
  double* d = scratch;       // displacement u Δt through faces 0..nx, m
  double* phi = d + nf;      // total's face fluxes
  double* q = phi + nf;      // Φ / c_donor (tags)
  double* tf = q + nf;       // a tag's face fluxes
  double* sig = tf + nf;     // limited slopes of cells −1..nx
  detail::scale_row(urow, dt, d, nx + 1);
  const double area = g.dy * g.dz[static_cast<std::size_t>(k)];
  const std::ptrdiff_t off = f0.index(0, j, k);
  auto record = [&](int slot, double first, double last) {
    double* a = sums + static_cast<std::size_t>(slot) * 4;
    add_boundary(first * area, true, a[0], a[1]);
    add_boundary(last * area, false, a[2], a[3]);
  };
  for (const auto& gr : set.groups) {
    double* c = gr.total->data() + off;
    detail::note_bad(b, gr.slot, c, -kTransportHalo, nx + kTransportHalo, j, k);
    // Face f lies between cells f−1 (slope sig[f]) and f (slope sig[f+1]).
    detail::mc_slope_row(c - 2, c - 1, c, 0.5, sig, nx + 2);
    detail::face_flux_row(c - 1, sig, c, sig + 1, d, inv_h, inv_h, phi, nx + 1);
    record(gr.slot, phi[0], phi[nx]);
    if (!gr.tags.empty()) {
      detail::donor_ratio_row(phi, d, c - 1, c, q, nx + 1);
      for (std::size_t t = 0; t < gr.tags.size(); ++t) {
        double* tr = gr.tags[t].data() + off;
        const int slot = gr.slot + 1 + static_cast<int>(t);
        // Not scanned, as in the y and z sweeps (check_line): a tag's flux is the total's times
        // the donor's tag share, so tags stay finite and non-negative wherever the total does;
        // the tags' inputs are checked by vertical and horizontal diffusion, chemistry and
        // deposition in every step and by the model's check at the end of every hour. The scan
        // cost an eighth of the demo's tagged horizontal advection.
        detail::tag_flux_row(q, d, tr - 1, tr, tf, nx + 1);
        detail::divergence_row(tr, tf, tf + 1, inv_h, nx);
        record(slot, tf[0], tf[nx]);
      }
    }
    detail::divergence_row(c, phi, phi + 1, inv_h, nx);
  }
}

std::size_t x_scratch(const FieldSet& set) { return 5 * static_cast<std::size_t>(set.first().nx() + 1) + 1; }

/// One x sweep of every field of the set over dt: rows (j, k) in parallel.
void sweep_x(const FieldSet& set, const Field3D<double>& u, const TransportGeometry& g, double dt,
             SlotBudgets& budgets) {
  const Field3D<double>& f0 = set.first();
  const int ny = f0.ny(), nz = f0.nz();
  const int rows = ny * nz;
  const auto nslots = static_cast<std::size_t>(set.slots);
  const auto uv = u.view();
  std::vector<double> acc(static_cast<std::size_t>(rows) * nslots * 4, 0.0);
  std::vector<BadCell> bad(static_cast<std::size_t>(rows));
  parallel_units(rows, x_scratch(set), [&](int r, double* scratch) {
    const int j = r % ny, k = r / ny;
    sweep_x_row(set, &uv(0, j, k), g, dt, j, k, scratch, &acc[static_cast<std::size_t>(r) * nslots * 4],
                bad[static_cast<std::size_t>(r)]);
  });
  budgets.add_units(acc.data(), rows, Side::west, Side::east);
  detail::throw_first_bad(bad, kHorizontal, g, [&](int s) { return set.name(s); });
}

// ---- Strided sweeps (y, z) ------------------------------------------------------------------------

/// Geometry of a strided sweep: n cells along it, read through `row(m)`; cell widths and
/// central weights for m = -2..n+1 (index m + 2).
struct Line {
  int n = 0;                   ///< cells along the sweep
  int nvec = 0;                ///< length of a row (nx)
  std::ptrdiff_t stride = 0;   ///< elements between consecutive rows
  bool clamp = false;          ///< rows outside [0, n) read the nearest row (z: zero gradient)
  bool zero_first = false;     ///< no flux through face 0 (the ground)
  bool zero_last = false;      ///< no flux through face n (a closed top)
  std::vector<double> inv_h;   ///< 1 / h_m
  std::vector<double> wc;      ///< MC central weight of cell m
  double inv_h_at(int m) const noexcept { return inv_h[static_cast<std::size_t>(m + 2)]; }
  double wc_at(int m) const noexcept { return wc[static_cast<std::size_t>(m + 2)]; }
};

Line uniform_line(int n, int nvec, std::ptrdiff_t stride, double h) {
  Line l;
  l.n = n;
  l.nvec = nvec;
  l.stride = stride;
  l.inv_h.assign(static_cast<std::size_t>(n + 4), 1.0 / h);
  l.wc.assign(static_cast<std::size_t>(n + 4), 0.5);
  return l;
}

Line vertical_line(const TransportGeometry& g, int nvec, std::ptrdiff_t stride, bool open_top) {
  const int n = g.nz();
  Line l;
  l.n = n;
  l.nvec = nvec;
  l.stride = stride;
  l.clamp = true;
  l.zero_first = true;
  l.zero_last = !open_top;
  auto h = [&](int m) { return g.dz[static_cast<std::size_t>(std::clamp(m, 0, n - 1))]; };
  for (int m = -2; m < n + 2; ++m) {
    l.inv_h.push_back(1.0 / h(m));
    l.wc.push_back(h(m) / (0.5 * h(m - 1) + h(m) + 0.5 * h(m + 1)));
  }
  return l;
}

/// One strided sweep of a group (total and tags) along a line of rows starting at element `off`
/// of each field. vel(f) points to the velocities of face row f (nvec values, m/s). ghost: rows
/// read beyond the last cell (open-top inflow; null: clamp), for the total then each tag.
/// sums[slot*4 ..] += (in, out) through face 0 and face n times `area`. Scratch: (7 + 3T) nvec.
template <class Vel>
void sweep_line(const FieldSet::Group& gr, std::ptrdiff_t off, const Line& l, Vel&& vel, double dt, double area,
                const double* const* ghost, double* scratch, double* sums) {
  const int n = l.n, nv = l.nvec;
  const auto nvs = static_cast<std::size_t>(nv);
  const std::size_t ntags = gr.tags.size();
  double* phi[3] = {scratch, scratch + nvs, scratch + 2 * nvs};
  double* d = scratch + 3 * nvs;
  double* q = scratch + 4 * nvs;
  double* sig = scratch + 5 * nvs;   // limited slopes of rows m (m & 1 = 0, 1)
  double* tphi = scratch + 7 * nvs;  // [tag][3][nvec]
  auto slope = [&](int m) { return sig + static_cast<std::size_t>(m & 1) * nvs; };
  auto tag_phi = [&](std::size_t t, int f) { return tphi + (t * 3 + static_cast<std::size_t>(f % 3)) * nvs; };

  auto row = [&](const double* base, const double* ghost_row, int m) -> const double* {
    if (l.clamp) {
      if (m >= n && ghost_row != nullptr) return ghost_row;
      m = std::clamp(m, 0, n - 1);
    }
    return base + off + m * l.stride;
  };
  double* total = gr.total->data();
  const double* total_ghost = ghost != nullptr ? ghost[0] : nullptr;
  auto update = [&](int m) {
    const double ih = l.inv_h_at(m);
    const double* lo = phi[m % 3];
    const double* hi = phi[(m + 1) % 3];
    for (std::size_t t = 0; t < ntags; ++t)
      detail::divergence_row(gr.tags[t].data() + off + m * l.stride, tag_phi(t, m), tag_phi(t, m + 1), ih, nv);
    detail::divergence_row(total + off + m * l.stride, lo, hi, ih, nv);
  };
  auto compute_slope = [&](int m) {
    detail::mc_slope_row(row(total, total_ghost, m - 1), row(total, total_ghost, m), row(total, total_ghost, m + 1),
                         l.wc_at(m), slope(m), nv);
  };
  auto record = [&](std::size_t slot, const double* p, bool first) {
    double* a = sums + slot * 4 + (first ? 0 : 2);
    for (int i = 0; i < nv; ++i) add_boundary(p[i] * area, first, a[0], a[1]);
  };

  compute_slope(-1);
  for (int f = 0; f <= n; ++f) {
    double* p = phi[f % 3];
    // Slope of row f (reads rows f−1..f+1, none of them updated yet); row f−1's is kept.
    compute_slope(f);
    const double* b = row(total, total_ghost, f - 1);
    const double* c = row(total, total_ghost, f);
    const bool closed = (f == 0 && l.zero_first) || (f == n && l.zero_last);
    if (closed) {
      std::fill(p, p + nv, 0.0);
      std::fill(d, d + nv, 0.0);
    } else {
      detail::scale_row(vel(f), dt, d, nv);
      detail::face_flux_row(b, slope(f - 1), c, slope(f), d, l.inv_h_at(f - 1), l.inv_h_at(f), p, nv);
    }
    if (f == 0) record(0, p, true);
    if (f == n) record(0, p, false);
    if (ntags > 0) {
      detail::donor_ratio_row(p, d, b, c, q, nv);
      for (std::size_t t = 0; t < ntags; ++t) {
        const double* base = gr.tags[t].data();
        const double* tg = ghost != nullptr ? ghost[1 + t] : nullptr;
        double* tp = tag_phi(t, f);
        detail::tag_flux_row(q, d, row(base, tg, f - 1), row(base, tg, f), tp, nv);
        if (f == 0) record(1 + t, tp, true);
        if (f == n) record(1 + t, tp, false);
      }
    }
    // Row f−2 is read by no later face (face f+1 reads rows f−1..f+2): update it now.
    if (f >= 2) update(f - 2);
  }
  update(n - 1);
}

/// Checks rows [lo, hi) of a group's total along a line, first bad cell into `bad`.
/// cell(m, i) → (i, j, k) of row m.
template <class Cell>
void check_line(const FieldSet::Group& gr, std::ptrdiff_t off, const Line& l, int lo, int hi, Cell&& cell,
                BadCell& bad) {
  auto scan = [&](const double* base, int slot) {
    for (int m = lo; m < hi && bad.slot < 0; ++m) {
      const double* r = base + off + m * l.stride;
      const int i = detail::first_bad(r, 0, l.nvec);
      if (i < l.nvec) {
        const auto [ci, cj, ck] = cell(m, i);
        bad = {slot, ci, cj, ck, r[i]};
      }
    }
  };
  // The total only: a tag's face flux is the total's times the donor's tag share, in [0, 1] for
  // non-negative tags, so tags stay finite and non-negative wherever the total does. Scanning
  // every tag here cost a fifth of a 20-tag run.
  scan(gr.total->data(), gr.slot);
}

std::size_t line_scratch(const FieldSet& set, int nvec) {
  std::size_t tags = 0;
  for (const auto& gr : set.groups) tags = std::max(tags, gr.tags.size());
  return (7 + 3 * tags) * static_cast<std::size_t>(nvec);
}

/// Plane k of one y sweep of a group (the line of uniform_line(ny, nx, stride_y, dy)).
template <class VelView>
void sweep_y_plane(const FieldSet::Group& gr, const Field3D<double>& f0, const Line& line, const VelView& vv,
                   const TransportGeometry& g, double dt, int k, double* scratch, double* sums, BadCell& bad) {
  const std::ptrdiff_t off = f0.index(0, 0, k);
  check_line(gr, off, line, -kTransportHalo, f0.ny() + kTransportHalo,
             [k](int m, int i) { return std::array<int, 3>{i, m, k}; }, bad);
  sweep_line(gr, off, line, [&](int f) { return &vv(0, f, k); }, dt, g.dx * g.dz[static_cast<std::size_t>(k)],
             nullptr, scratch, sums);
}

/// One y sweep of every field of the set: planes (k, group) in parallel.
void sweep_y(const FieldSet& set, const Field3D<double>& v, const TransportGeometry& g, double dt,
             SlotBudgets& budgets) {
  const Field3D<double>& f0 = set.first();
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  const int ngroups = static_cast<int>(set.groups.size());
  const int units = nz * ngroups;
  const auto nslots = static_cast<std::size_t>(set.slots);
  const Line line = uniform_line(ny, nx, f0.stride_y(), g.dy);
  const auto vv = v.view();
  std::vector<double> acc(static_cast<std::size_t>(units) * nslots * 4, 0.0);
  std::vector<BadCell> bad(static_cast<std::size_t>(units));

  parallel_units(units, line_scratch(set, nx), [&](int unit, double* scratch) {
    const int k = unit / ngroups;
    const auto& gr = set.groups[static_cast<std::size_t>(unit % ngroups)];
    double* sums = &acc[(static_cast<std::size_t>(unit) * nslots + static_cast<std::size_t>(gr.slot)) * 4];
    sweep_y_plane(gr, f0, line, vv, g, dt, k, scratch, sums, bad[static_cast<std::size_t>(unit)]);
  });
  budgets.add_units(acc.data(), units, Side::south, Side::north);
  detail::throw_first_bad(bad, kHorizontal, g, [&](int s) { return set.name(s); });
}

// ---- Courant numbers -----------------------------------------------------------------------------

/// Largest outflow Courant number of the x sweep (xy = 0) or the y sweep (xy = 1) for dt.
CourantMax courant_xy(const Field3D<double>& wind, int xy, int nx, int ny, int nz, const TransportGeometry& g,
                      double dt) {
  const double h = xy == 0 ? g.dx : g.dy;
  const auto w = wind.view();
  std::vector<CourantMax> per_row(static_cast<std::size_t>(ny * nz));
  std::vector<BadCell> bad(per_row.size());
  parallel_units(ny * nz, 0, [&](int r, double*) {
    const int j = r % ny, k = r / ny;
    CourantMax m;
    for (int i = 0; i < nx; ++i) {
      const double lo = w(i, j, k);
      const double hi = xy == 0 ? w(i + 1, j, k) : w(i, j + 1, k);
      if ((detail::bad_finite(lo) || detail::bad_finite(hi)) && bad[static_cast<std::size_t>(r)].slot < 0)
        bad[static_cast<std::size_t>(r)] = {0, i, j, k, detail::bad_finite(lo) ? lo : hi};
      const double c = (std::max(hi, 0.0) + std::max(-lo, 0.0)) * dt / h;
      if (c > m.value) m = {c, i, j, k};
    }
    per_row[static_cast<std::size_t>(r)] = m;
  });
  for (const auto& b : bad)
    if (b.slot >= 0)
      throw Error(ErrorContext{"", 0, kHorizontal},
                  std::string("wind ") + (xy == 0 ? "u" : "v") + " is " + std::to_string(b.value) +
                      " at a face of cell (i, j, k) = (" + std::to_string(b.i + g.i0) + ", " +
                      std::to_string(b.j + g.j0) + ", " + std::to_string(b.k) +
                      "); expected finite");
  return first_max(per_row);
}

/// Largest outflow Courant number of the z sweep; faces 0 and (unless open_top) nz carry nothing.
CourantMax courant_z(const Field3D<double>& w, const TransportGeometry& g, int nx, int ny, bool open_top, double dt) {
  const int nz = g.nz();
  const auto wv = w.view();
  std::vector<CourantMax> per_row(static_cast<std::size_t>(ny));
  std::vector<BadCell> bad(per_row.size());
  parallel_units(ny, 0, [&](int j, double*) {
    CourantMax m;
    BadCell& b = bad[static_cast<std::size_t>(j)];
    for (int k = 0; k < nz; ++k)
      for (int i = 0; i < nx; ++i) {
        const double lo = k > 0 ? wv(i, j, k) : 0.0;
        const double hi = (k + 1 < nz || open_top) ? wv(i, j, k + 1) : 0.0;
        if ((detail::bad_finite(lo) || detail::bad_finite(hi)) && b.slot < 0)
          b = {0, i, j, k, detail::bad_finite(lo) ? lo : hi};
        const double c = (std::max(hi, 0.0) + std::max(-lo, 0.0)) * dt / g.dz[static_cast<std::size_t>(k)];
        if (c > m.value) m = {c, i, j, k};
      }
    per_row[static_cast<std::size_t>(j)] = m;
  });
  for (const auto& b : bad)
    if (b.slot >= 0)
      throw Error(ErrorContext{"", 0, kVertical},
                  "wind w is " + std::to_string(b.value) + " at a face of cell (i, j, k) = (" + std::to_string(b.i + g.i0) +
                      ", " + std::to_string(b.j + g.j0) + ", " + std::to_string(b.k) + "); expected finite");
  return first_max(per_row);
}

// ---- Drivers --------------------------------------------------------------------------------------

StepReport horizontal(const FieldSet& set, const Field3D<double>& u, const Field3D<double>& v,
                      const TransportGeometry& g, double dt, const std::function<void()>& fill, SlotBudgets& budgets,
                      const AdvectionOptions& opt) {
  opt.validate();
  detail::check_dt(dt, kHorizontal);
  check_set(set, g, kTransportHalo, kHorizontal);
  const Field3D<double>& f0 = set.first();
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  detail::check_shape(u, nx, ny, nz, 1, 0, 0, "u (x-faces)", kHorizontal);
  detail::check_shape(v, nx, ny, nz, 0, 1, 0, "v (y-faces)", kHorizontal);
  const CourantMax cx = courant_xy(u, 0, nx, ny, nz, g, dt);
  const CourantMax cy = courant_xy(v, 1, nx, ny, nz, g, dt);
  const CourantMax& cmax = cx.value >= cy.value ? cx : cy;
  const int n = substeps_for(cmax.value, cmax, opt, kHorizontal, g, dt);
  const double h = dt / n;
  // Strang: X(h/2) [Y(h) X(h)]^(n−1) Y(h) X(h/2).
  for (int s = 0; s < n; ++s) {
    if (s > 0) fill();
    sweep_x(set, u, g, s == 0 ? 0.5 * h : h, budgets);
    fill();
    sweep_y(set, v, g, h, budgets);
  }
  fill();
  sweep_x(set, u, g, 0.5 * h, budgets);
  return {n, cmax.value};
}

/// horizontal() plane by plane (the tagged path of the model): the planes k in parallel, each
/// running every pass of the step on its total and tags while they sit in cache (a plane of the
/// demo's 10 tags is ~0.6 MB), instead of streaming all fields through memory once per pass.
/// fill_plane(k) fills plane k's halos before every pass, the first included; it runs on the
/// OpenMP threads and must not throw. The side masses and the first bad cell of every pass are
/// kept per pass and added (thrown) afterwards in the order horizontal() adds (throws) them:
/// every cell and every sum gets the same operations, so fields and budgets are bitwise those of
/// horizontal().
StepReport horizontal_planes(const FieldSet& set, const Field3D<double>& u, const Field3D<double>& v,
                             const TransportGeometry& g, double dt, const std::function<void(int)>& fill_plane,
                             SlotBudgets& budgets, const AdvectionOptions& opt) {
  opt.validate();
  detail::check_dt(dt, kHorizontal);
  check_set(set, g, kTransportHalo, kHorizontal);
  const Field3D<double>& f0 = set.first();
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  detail::check_shape(u, nx, ny, nz, 1, 0, 0, "u (x-faces)", kHorizontal);
  detail::check_shape(v, nx, ny, nz, 0, 1, 0, "v (y-faces)", kHorizontal);
  const CourantMax cx = courant_xy(u, 0, nx, ny, nz, g, dt);
  const CourantMax cy = courant_xy(v, 1, nx, ny, nz, g, dt);
  const CourantMax& cmax = cx.value >= cy.value ? cx : cy;
  const int n = substeps_for(cmax.value, cmax, opt, kHorizontal, g, dt);
  const double h = dt / n;
  // Strang as horizontal(): X(h/2) [Y(h) X(h)]^(n−1) Y(h) X(h/2), passes 0..2n; even: x sweeps.
  const int passes = 2 * n + 1;
  const auto nslots = static_cast<std::size_t>(set.slots);
  const auto ngroups = static_cast<int>(set.groups.size());
  const auto x_units = static_cast<std::size_t>(ny) * static_cast<std::size_t>(nz);  // rows, as sweep_x
  const auto y_units = static_cast<std::size_t>(nz) * static_cast<std::size_t>(ngroups);  // as sweep_y
  const auto nxs = static_cast<std::size_t>(n + 1), nys = static_cast<std::size_t>(n);
  std::vector<double> acc_x(nxs * x_units * nslots * 4, 0.0), acc_y(nys * y_units * nslots * 4, 0.0);
  std::vector<BadCell> bad_x(nxs * x_units), bad_y(nys * y_units);
  const Line line = uniform_line(ny, nx, f0.stride_y(), g.dy);
  const auto uv = u.view();
  const auto vv = v.view();
  parallel_units(nz, std::max(x_scratch(set), line_scratch(set, nx)), [&](int k, double* scratch) {
    for (int p = 0; p < passes; ++p) {
      fill_plane(k);
      const auto pass = static_cast<std::size_t>(p / 2);
      if (p % 2 == 0) {
        const double hx = (p == 0 || p == passes - 1) ? 0.5 * h : h;
        for (int j = 0; j < ny; ++j) {
          const std::size_t r = pass * x_units + static_cast<std::size_t>(k) * static_cast<std::size_t>(ny) +
                                static_cast<std::size_t>(j);
          sweep_x_row(set, &uv(0, j, k), g, hx, j, k, scratch, &acc_x[r * nslots * 4], bad_x[r]);
        }
      } else {
        for (int gi = 0; gi < ngroups; ++gi) {
          const auto& gr = set.groups[static_cast<std::size_t>(gi)];
          const std::size_t unit = pass * y_units + static_cast<std::size_t>(k * ngroups + gi);
          double* sums = &acc_y[(unit * nslots + static_cast<std::size_t>(gr.slot)) * 4];
          sweep_y_plane(gr, f0, line, vv, g, h, k, scratch, sums, bad_y[unit]);
        }
      }
    }
  });
  const auto name = [&](int s) { return set.name(s); };
  for (int p = 0; p < passes; ++p) {
    const auto pass = static_cast<std::size_t>(p / 2);
    if (p % 2 == 0) {
      budgets.add_units(&acc_x[pass * x_units * nslots * 4], static_cast<int>(x_units), Side::west, Side::east);
      detail::throw_first_bad(std::span<const BadCell>(&bad_x[pass * x_units], x_units), kHorizontal, g, name);
    } else {
      budgets.add_units(&acc_y[pass * y_units * nslots * 4], static_cast<int>(y_units), Side::south, Side::north);
      detail::throw_first_bad(std::span<const BadCell>(&bad_y[pass * y_units], y_units), kHorizontal, g, name);
    }
  }
  return {n, cmax.value};
}

StepReport vertical(const FieldSet& set, const Field3D<double>& w, const TransportGeometry& g, double dt,
                    SlotBudgets& budgets, const AdvectionOptions& opt) {
  opt.validate();
  detail::check_dt(dt, kVertical);
  check_set(set, g, 0, kVertical);
  const Field3D<double>& f0 = set.first();
  const int nx = f0.nx(), ny = f0.ny(), nz = f0.nz();
  detail::check_shape(w, nx, ny, nz, 0, 0, 1, "w (z-faces)", kVertical);
  const bool inflow_values = opt.open_top && !opt.top_values.empty();
  if (inflow_values) {
    const std::size_t expected = set.tagged ? 1 : set.groups.size();
    LANTIAN_CHECK(opt.top_values.size() == expected, (ErrorContext{"", 0, kVertical}),
                  "expected " + std::to_string(expected) + " top_values (one per field), found " +
                      std::to_string(opt.top_values.size()));
    LANTIAN_CHECK(!set.tagged || (opt.top_boundary_tag >= 0 &&
                                  opt.top_boundary_tag < static_cast<int>(set.groups[0].tags.size())),
                  (ErrorContext{"", 0, kVertical}),
                  "expected top_boundary_tag in [0, " + std::to_string(set.groups[0].tags.size()) +
                      ") with top_values, found " + std::to_string(opt.top_boundary_tag));
  }
  const CourantMax cz = courant_z(w, g, nx, ny, opt.open_top, dt);
  const int n = substeps_for(cz.value, cz, opt, kVertical, g, dt);
  const double h = dt / n;
  const int ngroups = static_cast<int>(set.groups.size());
  const int units = ny * ngroups;
  const auto nslots = static_cast<std::size_t>(set.slots);
  const Line line = vertical_line(g, nx, f0.stride_z(), opt.open_top);
  const auto wv = w.view();
  std::vector<double> acc(static_cast<std::size_t>(units) * nslots * 4, 0.0);
  std::vector<BadCell> bad(static_cast<std::size_t>(units));
  // Ghost rows above the top, per group: the inflow value for the total (and the boundary tag),
  // 0 for the other tags. Built before the parallel loop (nothing allocates inside it).
  std::vector<std::vector<double>> ghost_rows(set.groups.size());
  std::vector<std::vector<const double*>> ghost(set.groups.size());
  if (inflow_values)
    for (std::size_t gi = 0; gi < set.groups.size(); ++gi) {
      const auto& gr = set.groups[gi];
      const double top = opt.top_values[gi];
      auto& rows = ghost_rows[gi];
      rows.assign(static_cast<std::size_t>(nx), top);
      for (std::size_t t = 0; t < gr.tags.size(); ++t)
        rows.insert(rows.end(), static_cast<std::size_t>(nx), static_cast<int>(t) == opt.top_boundary_tag ? top : 0.0);
      for (std::size_t r = 0; r <= gr.tags.size(); ++r) ghost[gi].push_back(rows.data() + r * static_cast<std::size_t>(nx));
    }

  // Units (j, group) in blocks of kRowsPerBlock consecutive rows j, one block per task: a field
  // is then read in runs of several rows of every layer, which the prefetchers follow (one row
  // per layer and task was too short a run with a model's many tag fields). Each unit gets the
  // same operations whatever the blocking.
  constexpr int kRowsPerBlock = 8;
  const int blocks = (ny + kRowsPerBlock - 1) / kRowsPerBlock;
  parallel_units(blocks, line_scratch(set, nx), [&](int block, double* scratch) {
    for (int j = block * kRowsPerBlock; j < std::min(ny, (block + 1) * kRowsPerBlock); ++j)
      for (int gi = 0; gi < ngroups; ++gi) {
        const int unit = j * ngroups + gi;
        const auto& gr = set.groups[static_cast<std::size_t>(gi)];
        const std::ptrdiff_t off = f0.index(0, j, 0);
        check_line(gr, off, line, 0, nz, [j](int m, int i) { return std::array<int, 3>{i, j, m}; },
                   bad[static_cast<std::size_t>(unit)]);
        const double* const* top =
            ghost[static_cast<std::size_t>(gi)].empty() ? nullptr : ghost[static_cast<std::size_t>(gi)].data();
        double* sums = &acc[(static_cast<std::size_t>(unit) * nslots + static_cast<std::size_t>(gr.slot)) * 4];
        for (int s = 0; s < n; ++s)
          sweep_line(gr, off, line, [&](int f) { return &wv(0, j, f); }, h, g.dx * g.dy, top, scratch, sums);
      }
  });
  // Face 0 (the ground) carries nothing; face nz is the top.
  budgets.add_units(acc.data(), units, Side::top, Side::top);
  detail::throw_first_bad(bad, kVertical, g, [&](int s) { return set.name(s); });
  return {n, cz.value};
}

void add_budgets(const SlotBudgets& b, std::span<TransportBudget> out) {
  for (std::size_t s = 0; s < out.size() && s < b.slot.size(); ++s) add_to(out.subspan(s, 1), b.slot[s]);
}

void check_budget_count(std::size_t n, std::size_t expected, const std::string& process, const char* what) {
  LANTIAN_CHECK(n == 0 || n == expected, (ErrorContext{"", 0, process}),
                std::string("expected ") + what + " empty or of size " + std::to_string(expected) + ", found " +
                    std::to_string(n));
}

}  // namespace

std::array<CourantMax, 2> horizontal_courant(const Field3D<double>& u, const Field3D<double>& v,
                                             const TransportGeometry& g, double dt) {
  g.validate();
  const int nx = v.nx(), ny = u.ny(), nz = u.nz();
  detail::check_shape(u, nx, ny, nz, 1, 0, 0, "u (x-faces)", kHorizontal);
  detail::check_shape(v, nx, ny, nz, 0, 1, 0, "v (y-faces)", kHorizontal);
  return {courant_xy(u, 0, nx, ny, nz, g, dt), courant_xy(v, 1, nx, ny, nz, g, dt)};
}

StepReport advect_horizontal(std::span<Field3D<double>> fields, const Field3D<double>& u, const Field3D<double>& v,
                             const TransportGeometry& g, double dt, const HaloFill& fill_halo,
                             std::span<TransportBudget> budget, const AdvectionOptions& opt) {
  if (fields.empty()) return {};
  check_budget_count(budget.size(), fields.size(), kHorizontal, "budget");
  const FieldSet set = FieldSet::untagged(fields);
  SlotBudgets b(set.slots);
  const StepReport r = horizontal(set, u, v, g, dt, [&] { fill_halo(fields); }, b, opt);
  add_budgets(b, budget);
  return r;
}

StepReport advect_horizontal_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, const Field3D<double>& u,
                                    const Field3D<double>& v, const TransportGeometry& g, double dt,
                                    const TaggedHaloFill& fill_halo, TransportBudget* budget,
                                    std::span<TransportBudget> tag_budget, const AdvectionOptions& opt) {
  check_budget_count(tag_budget.size(), tags.size(), kHorizontal, "tag_budget");
  const FieldSet set = FieldSet::with_tags(total, tags);
  SlotBudgets b(set.slots);
  const StepReport r = horizontal(set, u, v, g, dt, [&] { fill_halo(total, tags); }, b, opt);
  if (budget != nullptr) add_to({budget, 1}, b.slot[0]);
  for (std::size_t t = 0; t < tag_budget.size(); ++t) add_to(tag_budget.subspan(t, 1), b.slot[1 + t]);
  return r;
}

StepReport advect_horizontal_tagged_planes(Field3D<double>& total, std::span<Field3D<double>> tags,
                                           const Field3D<double>& u, const Field3D<double>& v,
                                           const TransportGeometry& g, double dt,
                                           const TaggedPlaneHaloFill& fill_plane, TransportBudget* budget,
                                           std::span<TransportBudget> tag_budget, const AdvectionOptions& opt) {
  check_budget_count(tag_budget.size(), tags.size(), kHorizontal, "tag_budget");
  const FieldSet set = FieldSet::with_tags(total, tags);
  SlotBudgets b(set.slots);
  const StepReport r = horizontal_planes(set, u, v, g, dt, [&](int k) { fill_plane(total, tags, k); }, b, opt);
  if (budget != nullptr) add_to({budget, 1}, b.slot[0]);
  for (std::size_t t = 0; t < tag_budget.size(); ++t) add_to(tag_budget.subspan(t, 1), b.slot[1 + t]);
  return r;
}

StepReport advect_vertical(std::span<Field3D<double>> fields, const Field3D<double>& w, const TransportGeometry& g,
                           double dt, std::span<TransportBudget> budget, const AdvectionOptions& opt) {
  if (fields.empty()) return {};
  check_budget_count(budget.size(), fields.size(), kVertical, "budget");
  const FieldSet set = FieldSet::untagged(fields);
  SlotBudgets b(set.slots);
  const StepReport r = vertical(set, w, g, dt, b, opt);
  add_budgets(b, budget);
  return r;
}

StepReport advect_vertical_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, const Field3D<double>& w,
                                  const TransportGeometry& g, double dt, TransportBudget* budget,
                                  std::span<TransportBudget> tag_budget, const AdvectionOptions& opt) {
  check_budget_count(tag_budget.size(), tags.size(), kVertical, "tag_budget");
  const FieldSet set = FieldSet::with_tags(total, tags);
  SlotBudgets b(set.slots);
  const StepReport r = vertical(set, w, g, dt, b, opt);
  if (budget != nullptr) add_to({budget, 1}, b.slot[0]);
  for (std::size_t t = 0; t < tag_budget.size(); ++t) add_to(tag_budget.subspan(t, 1), b.slot[1 + t]);
  return r;
}

}  // namespace lantian::solver
