// Eulerian transport benchmarks (issue 5, "Speed"): cell-species updates per second of the
// transport kernels (solver/transport.hpp) on 9 species, 1 and 2 OpenMP threads, on the demo
// city's grid (80 × 80 × 20) and on a grid 9× larger (240 × 240 × 20) whose fields live in DRAM.
//
// * BM_transport_advect_h: one horizontal advection step (Strang X/2 Y X/2, one sub-step).
// * BM_transport_diffuse_v: one implicit vertical diffusion step (Thomas, with deposition).
// * BM_transport_step: horizontal advection + vertical advection + vertical diffusion +
//   horizontal diffusion, one step of each.
// * BM_transport_step_tagged: the same step with 10 source tags per species (the model's tagged
//   path, and the call pattern before issue 15 for comparison; see below).
//
// Counters: items = cell-species updates (one per cell and species and step: nx ny nz × 9);
// bytes_per_second = the bytes the kernels must move per step at the least (STREAM's convention:
// every array read once and written once per pass, write-allocate not counted):
//   each advection or diffusion sweep  16 B per cell-species (read and write c)
//                                     + 8 B per cell for the face wind (shared by the species)
//   Courant pass (horizontal: u and v, vertical: w)  8 B per cell per wind
//   vertical diffusion                 16 B per cell-species + 8 B per cell (Kz)
// so report.py divides by the STREAM triad on the same threads at the smallest working set that
// holds the kernel's (counter working_set: the fields and winds).
// `bytes_per_update` is that traffic per cell-species update; the bound in updates/s is
// triad bandwidth / bytes_per_update.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "core/species.hpp"
#include "solver/transport.hpp"

namespace {

namespace solver = lantian::solver;
using lantian::kSpeciesCount;
using lantian::Field2D;
using lantian::Field3D;

constexpr int kNz = 20;
constexpr int kSpecies = kSpeciesCount;
constexpr double kDt = 200.0;  // s: Courant ≈ 0.6 at 3 m/s on 1-km cells

struct Case {
  int nx = 0, ny = 0;
  solver::TransportGeometry g;
  std::vector<Field3D<double>> c;
  Field3D<double> u, v, w, kz;
  Field2D<double> vd;
  std::vector<solver::SurfaceFlux> surface;
  double cells() const { return static_cast<double>(nx) * ny * kNz; }
  double working_set() const {
    const double per_field = static_cast<double>(c[0].size()) * sizeof(double);
    return kSpecies * per_field + 4.0 * cells() * sizeof(double);
  }
};

/// The demo city's geometry (1 km cells, its 20 layer tops) with smooth synthetic winds: a 3 m/s
/// south-westerly with ±1 m/s eddies, |w| ≤ 5 mm/s, Kz 1-50 m²/s, v_d = 3 mm/s.
Case& make_case(int n) {
  static std::vector<std::unique_ptr<Case>> cache;
  for (auto& c : cache)
    if (c->nx == n) return *c;
  auto cs = std::make_unique<Case>();
  Case& c = *cs;
  c.nx = c.ny = n;
  c.g.dx = c.g.dy = 1000.0;
  const double tops[kNz] = {20, 50, 100, 150, 200, 300, 400, 500, 650, 800,
                            1000, 1200, 1450, 1700, 2000, 2400, 2800, 3200, 3600, 4000};
  for (int k = 0; k < kNz; ++k) c.g.dz.push_back(tops[k] - (k == 0 ? 0.0 : tops[k - 1]));
  for (int s = 0; s < kSpecies; ++s) {
    c.c.emplace_back(n, n, kNz, solver::kTransportHalo);
    auto& f = c.c.back();
    for (int k = 0; k < kNz; ++k)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) f(i, j, k) = 10.0 + 50.0 * std::exp(-0.1 * k) * (1.0 + std::sin(0.2 * i + 0.3 * j + s));
    solver::fill_halo_zero_gradient(f);
  }
  c.u = Field3D<double>(n + 1, n, kNz);
  c.v = Field3D<double>(n, n + 1, kNz);
  c.w = Field3D<double>(n, n, kNz + 1);
  c.kz = Field3D<double>(n, n, kNz + 1);
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j <= n; ++j)
      for (int i = 0; i <= n; ++i) {
        if (j < n) c.u(i, j, k) = 2.1 + std::sin(0.13 * i + 0.07 * j + 0.1 * k);
        if (i < n) c.v(i, j, k) = 2.1 + std::cos(0.05 * i - 0.11 * j + 0.1 * k);
      }
  for (int k = 0; k <= kNz; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        c.w(i, j, k) = (k == 0 || k == kNz) ? 0.0 : 0.005 * std::sin(0.2 * i - 0.15 * j + k);
        c.kz(i, j, k) = 1.0 + 49.0 * std::exp(-0.2 * k) * (1.0 + std::sin(0.1 * (i + j))) * 0.5;
      }
  c.vd = Field2D<double>(n, n, 0, 0.003);
  c.surface.assign(kSpecies, solver::SurfaceFlux{nullptr, &c.vd});
  cache.push_back(std::move(cs));
  return c;
}

void report(benchmark::State& state, const Case& c, double bytes_per_cell_species, double bytes_per_cell, int threads) {
  const double items = c.cells() * kSpecies;
  const double bytes = items * bytes_per_cell_species + c.cells() * bytes_per_cell;
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(iterations * items));
  state.SetBytesProcessed(static_cast<std::int64_t>(iterations * bytes));
  state.counters["bytes_per_update"] = bytes / items;
  state.counters["working_set"] = c.working_set();
  state.counters["omp_threads"] = threads;
  state.SetLabel("cell-species updates");
}

/// Runs `body` with `threads` OpenMP threads, restoring the previous setting.
template <class F>
void with_threads(int threads, F&& body) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  body();
  omp_set_num_threads(saved);
}

// Traffic per step (see the header): horizontal advection = Courant (u, v: 16 B/cell) +
// 3 sweeps × (16 B/cell-species + 8 B/cell).
constexpr double kAdvectHSpecies = 3 * 16.0, kAdvectHCell = 16.0 + 3 * 8.0;
// Vertical advection: Courant (w) + 1 sweep. Vertical diffusion: 16 B/cell-species + Kz.
constexpr double kAdvectVSpecies = 16.0, kAdvectVCell = 8.0 + 8.0;
constexpr double kDiffuseVSpecies = 16.0, kDiffuseVCell = 8.0;
// Horizontal diffusion, constant Kh, one sub-step: 16 B/cell-species.
constexpr double kDiffuseHSpecies = 16.0;
constexpr double kKh = 100.0;  // m²/s: diffusion number 4 Kh Δt / dx² = 0.08, one sub-step

void BM_transport_advect_h(benchmark::State& state) {
  Case& c = make_case(static_cast<int>(state.range(0)));
  const auto threads = static_cast<int>(state.range(1));
  const auto fill = solver::zero_gradient_halo();
  with_threads(threads, [&] {
    for (auto _ : state) {
      const auto r = solver::advect_horizontal(c.c, c.u, c.v, c.g, kDt, fill);
      benchmark::DoNotOptimize(r);
      fill(c.c);
    }
  });
  report(state, c, kAdvectHSpecies, kAdvectHCell, threads);
}

void BM_transport_diffuse_v(benchmark::State& state) {
  Case& c = make_case(static_cast<int>(state.range(0)));
  const auto threads = static_cast<int>(state.range(1));
  with_threads(threads, [&] {
    for (auto _ : state) {
      solver::diffuse_vertical(c.c, c.kz, c.g, kDt, c.surface);
      benchmark::ClobberMemory();
    }
  });
  report(state, c, kDiffuseVSpecies, kDiffuseVCell, threads);
}

void BM_transport_step(benchmark::State& state) {
  Case& c = make_case(static_cast<int>(state.range(0)));
  const auto threads = static_cast<int>(state.range(1));
  const auto fill = solver::zero_gradient_halo();
  with_threads(threads, [&] {
    for (auto _ : state) {
      solver::advect_horizontal(c.c, c.u, c.v, c.g, kDt, fill);
      solver::advect_vertical(c.c, c.w, c.g, kDt);
      solver::diffuse_vertical(c.c, c.kz, c.g, kDt, c.surface);
      fill(c.c);
      solver::diffuse_horizontal(c.c, solver::HorizontalDiffusivity{kKh, nullptr}, c.g, kDt, fill);
      fill(c.c);
    }
  });
  report(state, c, kAdvectHSpecies + kAdvectVSpecies + kDiffuseVSpecies + kDiffuseHSpecies,
         kAdvectHCell + kAdvectVCell + kDiffuseVCell, threads);
}

// ---- Tagged step (issue 15) ----------------------------------------------------------------------
// The model's transport half step with kTags source tags per species (the demo's 10): per species,
// horizontal advection of the total and its tags (layer by layer: advect_horizontal_tagged_planes,
// the model's path; or, path 0, advect_horizontal_tagged over whole fields as before issue 15),
// vertical advection of the total and tags, vertical diffusion (path 1: one call for all fields,
// one factorisation per column; path 0: one call per tag as before) and horizontal diffusion of
// the total and the tags. Items are cell-field updates (every cell of the total and of each tag,
// per species and step); the traffic per item is the untagged step's per cell-species (the wind
// and Kz reads counted once per species), so report.py compares it with the triad at the tagged
// working set (~150 MB at n = 80: DRAM or the last-level cache).
constexpr int kTags = 10;

struct TaggedCase {
  std::vector<std::vector<Field3D<double>>> tags;  ///< [species][tag]
};

TaggedCase& make_tagged(Case& c) {
  static std::unique_ptr<TaggedCase> cached;
  if (cached) return *cached;
  cached = std::make_unique<TaggedCase>();
  for (int s = 0; s < kSpecies; ++s) {
    auto& tg = cached->tags.emplace_back();
    for (int t = 0; t < kTags; ++t) {
      Field3D<double> f = c.c[static_cast<std::size_t>(s)];
      const double share = (t + 1.0) / (kTags * (kTags + 1) / 2.0);  // shares adding up to 1
      for (std::size_t i = 0; i < f.size(); ++i) f.data()[i] *= share;
      tg.push_back(std::move(f));
    }
  }
  return *cached;
}

void BM_transport_step_tagged(benchmark::State& state) {
  Case& c = make_case(static_cast<int>(state.range(0)));
  TaggedCase& tc = make_tagged(c);
  const bool layers = state.range(1) != 0;
  const auto threads = static_cast<int>(state.range(2));
  const auto fill = solver::zero_gradient_halo();
  const solver::TaggedHaloFill fill_tagged = [](Field3D<double>& total, std::span<Field3D<double>> tags) {
    solver::fill_halo_zero_gradient(total);
    for (auto& t : tags) solver::fill_halo_zero_gradient(t);
  };
  const solver::TaggedPlaneHaloFill fill_layer = [](Field3D<double>& total, std::span<Field3D<double>> tags, int k) {
    const solver::HaloExtent layer{solver::kTransportHalo, false, k, k + 1};
    const auto zero = [](lantian::solver::Side, int, int) { return 0.0; };
    solver::fill_halo(total, layer, solver::NoInflow{}, zero);
    for (auto& t : tags) solver::fill_halo(t, layer, solver::NoInflow{}, zero);
  };
  std::vector<Field3D<double>> all;  // total then tags of every species, for the one diffusion call
  with_threads(threads, [&] {
    for (auto _ : state) {
      for (int s = 0; s < kSpecies; ++s) {
        auto& total = c.c[static_cast<std::size_t>(s)];
        auto& tags = tc.tags[static_cast<std::size_t>(s)];
        if (layers) {
          solver::advect_horizontal_tagged_planes(total, tags, c.u, c.v, c.g, kDt, fill_layer);
        } else {
          fill_tagged(total, tags);
          solver::advect_horizontal_tagged(total, tags, c.u, c.v, c.g, kDt, fill_tagged);
        }
        solver::advect_vertical_tagged(total, tags, c.w, c.g, kDt);
      }
      if (layers) {
        all.clear();
        for (int s = 0; s < kSpecies; ++s) {
          all.push_back(std::move(c.c[static_cast<std::size_t>(s)]));
          for (auto& t : tc.tags[static_cast<std::size_t>(s)]) all.push_back(std::move(t));
        }
        solver::diffuse_vertical(all, c.kz, c.g, kDt);
        std::size_t n = 0;
        for (int s = 0; s < kSpecies; ++s) {
          c.c[static_cast<std::size_t>(s)] = std::move(all[n++]);
          for (auto& t : tc.tags[static_cast<std::size_t>(s)]) t = std::move(all[n++]);
        }
      } else {
        solver::diffuse_vertical(c.c, c.kz, c.g, kDt);
        for (int t = 0; t < kTags; ++t)
          for (int s = 0; s < kSpecies; ++s)
            solver::diffuse_vertical({&tc.tags[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)], 1}, c.kz,
                                     c.g, kDt);
      }
      for (int s = 0; s < kSpecies; ++s) {
        auto& total = c.c[static_cast<std::size_t>(s)];
        auto& tags = tc.tags[static_cast<std::size_t>(s)];
        fill_tagged(total, tags);
        solver::diffuse_horizontal({&total, 1}, solver::HorizontalDiffusivity{kKh, nullptr}, c.g, kDt, fill);
        solver::diffuse_horizontal(tags, solver::HorizontalDiffusivity{kKh, nullptr}, c.g, kDt, fill);
      }
    }
  });
  const double fields = kSpecies * (1.0 + kTags);
  const double items = c.cells() * fields;
  const double bytes = items * (kAdvectHSpecies + kAdvectVSpecies + kDiffuseVSpecies + kDiffuseHSpecies) +
                       kSpecies * c.cells() * (kAdvectHCell + kAdvectVCell + kDiffuseVCell);
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(iterations * items));
  state.SetBytesProcessed(static_cast<std::int64_t>(iterations * bytes));
  state.counters["bytes_per_update"] = bytes / items;
  state.counters["working_set"] = c.working_set() + kSpecies * kTags * static_cast<double>(c.c[0].size()) * sizeof(double);
  state.counters["omp_threads"] = threads;
  state.counters["tags"] = kTags;
  state.SetLabel("cell-field updates");
}

// n: 80 (the demo city; ~14 MB of fields and winds) and 240 (~120 MB, DRAM); omp: threads.
BENCHMARK(BM_transport_advect_h)->ArgNames({"n", "omp"})->ArgsProduct({{80, 240}, {1, 2}})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_transport_diffuse_v)->ArgNames({"n", "omp"})->ArgsProduct({{80, 240}, {1, 2}})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_transport_step)->ArgNames({"n", "omp"})->ArgsProduct({{80, 240}, {1, 2}})->UseRealTime()->Unit(benchmark::kMillisecond);
// The tagged step at the demo's size only (240² with 10 tags would hold ~1 GB); layers: 0 the
// whole-field call pattern before issue 15, 1 the model's (layer-by-layer advection, one
// vertical diffusion call for all fields).
BENCHMARK(BM_transport_step_tagged)->ArgNames({"n", "layers", "omp"})->ArgsProduct({{80}, {0, 1}, {1, 2}})->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
