// Eulerian model benchmarks (issue 5, "Speed"): one model hour of solver::EulerianModel::advance
// (6 steps of 600 s) on the demo city's grid (80 × 80 × 20 cells of 1 km, 9 species), 1 and 2
// OpenMP threads, in cell-species updates per second.
//
// * BM_eulerian_hour: every process (transport, emissions, chemistry, deposition), no tags.
// * BM_eulerian_<process>: the same hour with only that process switched on (EulerianConfig):
//   advection (horizontal + vertical), vertical_diffusion, horizontal_diffusion, emissions,
//   chemistry, deposition. Their times add up to about the full hour's.
// * BM_eulerian_hour_tagged: every process with 20 source tags (tag 0 the boundary inflow,
//   19 tags sharing the emitting cells).
//
// Met: a 2 m/s westerly (±0.3 m/s eddies, +0.02 m/s per layer) with a 0.5 m/s southerly part,
// |w| ≤ 2 mm/s, Kz = 1 + 0.4 u* z (1 − z/h)² m²/s below h = 1000 m (u* = 0.4 m/s), 1 m²/s above,
// Kh = 100 m²/s, T = 285 K − 6.5 K/km, RH 60 %, no rain, noon in Beijing (photochemistry on).
// Largest Courant number 0.8 per half step, diffusion number 0.12: one sub-step everywhere.
// Emissions: a 20 × 20-cell city at the surface and 10 stacks in layers 3-5; a regional
// background flows in through the sides.
//
// Counters, as bench/transport_bench.cpp (report.py needs nothing new): items = cell-species
// updates, one per cell, species and step (× (1 + tags) with tags), whatever the processes
// switched on; bytes_per_second = the bytes the processes must move per step at the least
// (STREAM's convention: every array read once and written once per pass, write-allocate not
// counted), per cell and step:
//   per species field (total and each tag)
//     advection          2 half steps × (horizontal 3 sweeps × 16 B + vertical 16 B)  = 128 B
//     vertical diffusion 2 × 16 B;  horizontal diffusion 2 × 16 B (one sub-step)
//     emissions          read the rate, read and write c: 24 B (+ 8 B per hour: the rate check)
//     chemistry          the 3 precursors and 3 products read and written: 6 × 16 B / 9 fields
//     deposition         the surface layer read and written: 16 B / nz
//   shared by all fields (winds, Kz, met, per-step factors)
//     advection          2 × (Courant u, v 16 B + 3 sweeps × 8 B + Courant w 8 B + sweep 8 B) = 112 B
//     vertical diffusion 2 × 8 B (Kz)
//     chemistry          T, RH read, the 6 factors written and read: 16 + 48 + 48 B
//     deposition         per column: precip, u*, L read (24 B), 36 factors written (288 B) and
//                        3 × 9 read (216 B), / nz
// report.py divides by the STREAM triad on the same threads at the smallest working set holding
// the kernel's (counter working_set: fields, tags, emission rates, met and chemistry factors;
// ~35 MB without tags, DRAM). `bytes_per_update` is that traffic per cell-species update; the
// bound in updates/s is triad bandwidth / bytes_per_update.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/grid.hpp"
#include "meteo/met_state.hpp"
#include "solver/boundary.hpp"
#include "solver/eulerian_model.hpp"

namespace {

namespace solver = lantian::solver;
namespace emissions = lantian::emissions;
using lantian::kSpeciesCount;
using lantian::PerSpecies;
using lantian::Species;
using lantian::Field3D;
using lantian::Grid;
using lantian::GridSpec;
using lantian::UtcHour;

constexpr int kN = 80;
constexpr int kNz = 20;
constexpr int kSpecies = kSpeciesCount;
constexpr double kDt = 600.0;
constexpr int kSteps = 6;                // 3600 / kDt
constexpr UtcHour kHour = 481108;        // 2024-11-19T04:00Z, noon in Beijing
constexpr int kTags = 20;

/// Bytes per cell and step: per species field (total or tag) and shared by all (see the top).
struct Traffic {
  double per_field = 0.0;
  double shared = 0.0;
};

enum class Process { all, advection, vertical_diffusion, horizontal_diffusion, emissions, chemistry, deposition };

Traffic traffic(Process p) {
  const double nz = kNz;
  switch (p) {
    case Process::advection: return {2.0 * (3.0 * 16.0 + 16.0), 2.0 * (16.0 + 3.0 * 8.0 + 8.0 + 8.0)};
    case Process::vertical_diffusion: return {2.0 * 16.0, 2.0 * 8.0};
    case Process::horizontal_diffusion: return {2.0 * 16.0, 0.0};
    case Process::emissions: return {24.0 + 8.0 / kSteps, 0.0};
    case Process::chemistry: return {6.0 * 16.0 / kSpecies, 16.0 + 48.0 + 48.0};
    case Process::deposition: return {16.0 / nz, (24.0 + 288.0 + 216.0) / nz};
    case Process::all: break;
  }
  Traffic t;
  for (Process q : {Process::advection, Process::vertical_diffusion, Process::horizontal_diffusion,
                    Process::emissions, Process::chemistry, Process::deposition}) {
    t.per_field += traffic(q).per_field;
    t.shared += traffic(q).shared;
  }
  return t;
}

solver::EulerianConfig config(Process p, int tags) {
  solver::EulerianConfig c;
  c.dt = kDt;
  c.kh = 100.0;
  c.n_tags = tags;
  c.boundary_tag = tags > 0 ? 0 : -1;
  if (p != Process::all) {
    c.advection = p == Process::advection;
    c.vertical_diffusion = p == Process::vertical_diffusion;
    c.horizontal_diffusion = p == Process::horizontal_diffusion;
    c.emissions = p == Process::emissions;
    c.chemistry = p == Process::chemistry;
    c.deposition = p == Process::deposition;
  }
  return c;
}

/// Regional background, µg/m³.
PerSpecies background() {
  PerSpecies b{};
  b[index(Species::so2)] = 8.0;
  b[index(Species::nox)] = 12.0;
  b[index(Species::voc)] = 20.0;
  b[index(Species::nh3)] = 5.0;
  b[index(Species::ppm25)] = 30.0;
  b[index(Species::pmc)] = 10.0;
  b[index(Species::so4)] = 6.0;
  b[index(Species::no3)] = 8.0;
  b[index(Species::soa)] = 4.0;
  return b;
}

/// The grid, met, boundary, initial state and emissions shared by every benchmark.
struct Case {
  Grid grid;
  lantian::meteo::MetState met;
  std::shared_ptr<const solver::BoundaryProvider> boundary;
  solver::SpeciesFields initial;
  emissions::EmissionRates total;
  std::vector<emissions::EmissionRates> per_tag;  ///< kTags rates (tag 0, the boundary, emits nothing)

  double cells() const { return static_cast<double>(kN) * kN * kNz; }
  double working_set(int tags) const {
    const double field = static_cast<double>(initial[0].size()) * sizeof(double);
    const double cell = cells() * sizeof(double);
    // Fields and tags, their emission rates, u v w kz t rh, the 6 chemistry factors.
    return (1.0 + tags) * kSpecies * (field + cell) + 6.0 * cell + 6.0 * cell;
  }
};

Grid demo_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  s.nx = s.ny = kN;
  s.dx = s.dy = 1000.0;
  s.x0 = s.y0 = -40000.0;
  s.layer_tops = {20, 50, 100, 150, 200, 300, 400, 500, 650, 800,
                  1000, 1200, 1450, 1700, 2000, 2400, 2800, 3200, 3600, 4000};
  return Grid(s);
}

lantian::meteo::MetState demo_met(const Grid& g) {
  auto m = lantian::meteo::MetState::zeros(g, kHour);
  constexpr double h = 1000.0, ustar = 0.4;
  for (int k = 0; k < kNz; ++k)
    for (int j = 0; j <= kN; ++j)
      for (int i = 0; i <= kN; ++i) {
        if (j < kN) m.u(i, j, k) = 2.0 + 0.3 * std::sin(0.13 * i + 0.07 * j) + 0.02 * k;
        if (i < kN) m.v(i, j, k) = 0.5 + 0.2 * std::cos(0.05 * i - 0.11 * j);
        if (i < kN && j < kN) {
          const double z = g.z_centre(k);
          m.t(i, j, k) = 285.0 - 0.0065 * z;
          m.rh(i, j, k) = 60.0;
        }
      }
  for (int k = 0; k <= kNz; ++k) {
    const double z = k == 0 ? 0.0 : g.z_top(k - 1);
    const double kz = z < h ? 1.0 + 0.4 * ustar * z * (1.0 - z / h) * (1.0 - z / h) : 1.0;
    for (int j = 0; j < kN; ++j)
      for (int i = 0; i < kN; ++i) {
        m.w(i, j, k) = (k == 0 || k == kNz) ? 0.0 : 0.002 * std::sin(0.2 * i - 0.15 * j + k);
        m.kz(i, j, k) = kz;
      }
  }
  m.pblh.fill(h);
  m.ustar.fill(ustar);
  m.obukhov.fill(std::numeric_limits<double>::infinity());
  m.u10.fill(2.0);
  m.v10.fill(0.5);
  m.t2.fill(285.0);
  m.rh2.fill(60.0);
  return m;
}

emissions::EmissionRates no_rates() {
  emissions::EmissionRates e;
  for (auto& r : e.rate) r = Field3D<double>(kN, kN, kNz);
  return e;
}

Case& the_case() {
  static std::unique_ptr<Case> cached;
  if (cached) return *cached;
  const Grid g = demo_grid();
  auto c = std::make_unique<Case>(Case{g, demo_met(g), std::make_shared<solver::ConstantBoundary>(g, background()),
                                       solver::zero_species_fields(kN, kN, kNz), no_rates(), {}});
  const auto b = background();
  for (int s = 0; s < kSpecies; ++s)
    for (int k = 0; k < kNz; ++k)
      for (int j = 0; j < kN; ++j)
        for (int i = 0; i < kN; ++i)
          c->initial[static_cast<std::size_t>(s)](i, j, k) =
              b[static_cast<std::size_t>(s)] * std::exp(-g.z_centre(k) / 2000.0) * (1.0 + 0.3 * std::sin(0.2 * i + 0.3 * j + s));
  for (int t = 0; t < kTags; ++t) c->per_tag.push_back(no_rates());
  // µg/s per cell of each emitted species (so2, nox, voc, nh3, ppm25, pmc).
  constexpr std::array<Species, 6> emitted{Species::so2, Species::nox, Species::voc,
                                           Species::nh3, Species::ppm25, Species::pmc};
  constexpr std::array<double, 6> city_rate{2.0e5, 4.0e5, 5.0e5, 1.0e5, 2.0e5, 1.0e5};
  int cell = 0;
  auto emit = [&](int i, int j, int k, double factor) {
    auto& tag = c->per_tag[static_cast<std::size_t>(1 + cell++ % (kTags - 1))];
    for (std::size_t p = 0; p < emitted.size(); ++p) {
      const double r = factor * city_rate[p];
      c->total.rate[index(emitted[p])](i, j, k) += r;
      tag.rate[index(emitted[p])](i, j, k) += r;
    }
  };
  for (int j = 30; j < 50; ++j)
    for (int i = 30; i < 50; ++i) emit(i, j, 0, 1.0 + 0.5 * std::sin(0.7 * i + 0.3 * j));
  for (int s = 0; s < 10; ++s) emit(20 + 5 * s, 40 + (s % 3), 3 + s % 3, 20.0);
  cached = std::move(c);
  return *cached;
}

/// Runs `body` with `threads` OpenMP threads, restoring the previous setting.
template <class F>
void with_threads(int threads, F&& body) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  body();
  omp_set_num_threads(saved);
}

void run_hours(benchmark::State& state, Process process, int tags, int threads) {
  Case& c = the_case();
  std::vector<solver::SpeciesFields> initial_tags;
  if (tags > 0) {
    initial_tags.push_back(c.initial);  // the background, tag 0's
    for (int t = 1; t < tags; ++t) initial_tags.push_back(solver::zero_species_fields(kN, kN, kNz));
  }
  solver::EulerianModel model(c.grid, config(process, tags), c.initial, std::move(initial_tags), c.boundary);
  const std::vector<emissions::EmissionRates> no_tags;
  const auto& per_tag = tags > 0 ? c.per_tag : no_tags;
  with_threads(threads, [&] {
    for (auto _ : state) {
      model.advance(c.met, c.total, per_tag, kHour);
      benchmark::ClobberMemory();
    }
  });
  const Traffic t = traffic(process);
  const double sets = 1.0 + tags;
  const double items = c.cells() * kSpecies * sets * kSteps;
  const double bytes = c.cells() * (t.per_field * kSpecies * sets + t.shared) * kSteps;
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(iterations * items));
  state.SetBytesProcessed(static_cast<std::int64_t>(iterations * bytes));
  state.counters["bytes_per_update"] = bytes / items;
  state.counters["working_set"] = c.working_set(tags);
  state.counters["omp_threads"] = threads;
  state.SetLabel("cell-species updates");
}

void BM_eulerian(benchmark::State& state, Process process) {
  run_hours(state, process, 0, static_cast<int>(state.range(0)));
}

void BM_eulerian_hour_tagged(benchmark::State& state) {
  run_hours(state, Process::all, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
}

bool register_benchmarks() {
  const std::pair<const char*, Process> variants[] = {
      {"BM_eulerian_hour", Process::all},
      {"BM_eulerian_advection", Process::advection},
      {"BM_eulerian_vertical_diffusion", Process::vertical_diffusion},
      {"BM_eulerian_horizontal_diffusion", Process::horizontal_diffusion},
      {"BM_eulerian_emissions", Process::emissions},
      {"BM_eulerian_chemistry", Process::chemistry},
      {"BM_eulerian_deposition", Process::deposition},
  };
  for (const auto& [name, process] : variants)
    benchmark::RegisterBenchmark(name, BM_eulerian, process)
        ->ArgNames({"omp"})
        ->ArgsProduct({{1, 2}})
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  // One iteration of the tagged hour takes seconds: enough for a stable figure.
  benchmark::RegisterBenchmark("BM_eulerian_hour_tagged", BM_eulerian_hour_tagged)
      ->ArgNames({"tags", "omp"})
      ->ArgsProduct({{kTags}, {1, 2}})
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  return true;
}

[[maybe_unused]] const bool kRegistered = register_benchmarks();

}  // namespace
