// Gaussian plume benchmarks (issue 4, "Speed"): source-receptor-hour evaluations per second of
// solver::compute_contributions, against a kernel ceiling measured in the same run.
//
// * BM_exp_ceiling (a limit, bench/report.py): the plume's two-exponential kernel reduced to
//   what it cannot avoid, y[i] = q[i] * exp(max(a[i], -80)) * exp(max(b[i], -80)) over arrays
//   resident in L1/L2, vectorised with `#pragma omp simd` and libmvec's vector exp (this file is
//   compiled with -fno-math-errno -ffinite-math-only -fno-signed-zeros and exp is declared
//   `omp declare simd` below, as glibc's math-vector.h does under -ffast-math). One evaluation =
//   one element; 1 and 2 OpenMP threads, each on its own arrays. Exponents are clamped at -80 as
//   in the solver (TARGETS.md: far-field underflow is 4.7x slower otherwise).
// * BM_plume_case_s: compute_contributions on AERMOD's "Case S" shape (TARGETS.md): 100 stacks,
//   101 x 101 receptors at 100 m on a flat 10 km square, 24 hours, Briggs rural (disp:0) and the
//   turbulence option (disp:2), 1 and 2 threads; reported as source-receptor-hours per second
//   (counter `evaluations`), which report.py divides by the exp ceiling on the same threads;
//   `reached_share` is the share of pairs the plume reaches (the rest are upwind or off the plume
//   and cost no exp: see kNegligibleExponent in solver/gaussian_plume.cpp).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "solver/gaussian_plume.hpp"

// libmvec's vector variants of exp (_ZGV*N*v_exp), as glibc declares them under __FAST_MATH__.
extern "C" {
#pragma omp declare simd notinbranch
double exp(double) noexcept;
}

namespace {

namespace solver = lantian::solver;

// ---------------------------------------------------------------------------------------------
// Ceiling: vectorised exp-bound loop

constexpr std::size_t kCeilingN = 4096;               // 3 x 32 KiB inputs + 32 KiB output per thread
constexpr std::size_t kCeilingReps = 2048;           // ~8.4 M evaluations per thread per iteration
constexpr double kMinExponent = -80.0;

struct CeilingArrays {
  std::vector<double> q, a, b, y;
};

CeilingArrays make_ceiling_arrays(int seed) {
  CeilingArrays c;
  c.q.resize(kCeilingN);
  c.a.resize(kCeilingN);
  c.b.resize(kCeilingN);
  c.y.assign(kCeilingN, 0.0);
  std::uint64_t s = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(seed + 1);
  auto uniform = [&s] {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  };
  for (std::size_t i = 0; i < kCeilingN; ++i) {
    c.q[i] = 1.0 + uniform();
    // Crosswind and vertical exponents as a plume sees them: most near the centre line, a tail
    // far below -80 (clamped).
    c.a[i] = -12.0 * uniform() * uniform() * 10.0;
    c.b[i] = -8.0 * uniform() * 10.0;
  }
  return c;
}

__attribute__((noinline)) void exp_kernel(double* __restrict y, const double* __restrict q,
                                          const double* __restrict a, const double* __restrict b, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    const double ea = a[i] > kMinExponent ? a[i] : kMinExponent;
    const double eb = b[i] > kMinExponent ? b[i] : kMinExponent;
    y[i] = q[i] * exp(ea) * exp(eb);
  }
}

void BM_exp_ceiling(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  std::vector<CeilingArrays> arrays;
  for (int t = 0; t < threads; ++t) arrays.push_back(make_ceiling_arrays(t));
  for (auto _ : state) {
#pragma omp parallel num_threads(threads)
    {
      CeilingArrays& c = arrays[static_cast<std::size_t>(omp_get_thread_num())];
      for (std::size_t r = 0; r < kCeilingReps; ++r) {
        exp_kernel(c.y.data(), c.q.data(), c.a.data(), c.b.data(), kCeilingN);
        benchmark::ClobberMemory();
      }
    }
  }
  double sink = 0.0;
  for (const auto& c : arrays) sink += c.y[17];
  benchmark::DoNotOptimize(sink);
  const auto per_iteration = static_cast<std::int64_t>(kCeilingN * kCeilingReps) * threads;
  state.SetItemsProcessed(state.iterations() * per_iteration);
  state.counters["evaluations"] = benchmark::Counter(static_cast<double>(state.iterations() * per_iteration),
                                                     benchmark::Counter::kIsRate);
  state.counters["omp_threads"] = threads;
  state.SetLabel("evaluations");
}

BENCHMARK(BM_exp_ceiling)->ArgName("omp")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// compute_contributions on Case S

struct CaseS {
  std::vector<solver::PlumeSource> sources;
  std::vector<solver::PlumeMet> hours;
  std::vector<solver::Receptor> receptors;
};

/// 100 stacks scattered over the square, 101 x 101 flat receptors at 100 m, a synthetic 24-hour
/// day: unstable classes and L < 0 with a growing mixed layer by day, stable ones at night.
/// Deterministic (fixed LCG seed).
const CaseS& case_s() {
  static const CaseS c = [] {
    CaseS cs;
    std::uint64_t s = 20240601;
    auto uniform = [&s] {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<double>(s >> 11) * 0x1.0p-53;
    };
    for (int i = 0; i < 100; ++i) {
      solver::PlumeSource p;
      p.id = std::to_string(i);
      p.x = 10'000.0 * uniform();
      p.y = 10'000.0 * uniform();
      p.height = 20.0 + 80.0 * uniform();
      p.diameter = 0.5 + 3.0 * uniform();
      p.velocity = 5.0 + 15.0 * uniform();
      p.temperature = 350.0 + 100.0 * uniform();
      p.rate_g_s = 1.0 + 49.0 * uniform();
      cs.sources.push_back(p);
    }
    for (int j = 0; j <= 100; ++j)
      for (int i = 0; i <= 100; ++i) cs.receptors.push_back({"R", 100.0 * i, 100.0 * j, 0.0});
    static constexpr char kClass[24] = {'F', 'F', 'F', 'F', 'E', 'E', 'D', 'C', 'B', 'B', 'A', 'A',
                                        'A', 'A', 'B', 'B', 'C', 'D', 'D', 'E', 'E', 'F', 'F', 'F'};
    for (int h = 0; h < 24; ++h) {
      solver::PlumeMet m;
      const char cls = kClass[h];
      const bool day = cls <= 'C';
      m.wind_speed = 1.0 + 6.0 * uniform();
      m.wind_dir_deg = 180.0 + 90.0 * std::sin(h * 0.26) + 20.0 * uniform();
      m.ref_height = 10.0;
      m.temperature_K = 285.0 + 8.0 * std::sin((h - 9) * 0.26);
      m.stability = cls;
      m.mixing_height = day ? 600.0 + 900.0 * uniform() : (cls == 'D' ? 500.0 : 150.0 + 150.0 * uniform());
      m.ustar = 0.1 + 0.05 * m.wind_speed;
      m.L = day ? -(10.0 + 40.0 * (cls - 'A' + 1) * uniform()) : (cls == 'D' ? 1.0e4 : 20.0 + 100.0 * uniform());
      m.z0 = 0.1;
      cs.hours.push_back(m);
    }
    return cs;
  }();
  return c;
}

void BM_plume_case_s(benchmark::State& state) {
  const auto dispersion = static_cast<solver::Dispersion>(state.range(0));
  const auto threads = static_cast<int>(state.range(1));
  const CaseS& cs = case_s();
  solver::PlumeOptions opt;
  opt.dispersion = dispersion;
  opt.convective_pdf = state.range(2) != 0;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  std::size_t stored = 0;
  for (auto _ : state) {
    const auto c = solver::compute_contributions(cs.sources, cs.hours, cs.receptors, opt);
    benchmark::DoNotOptimize(c.totals.data());
    stored = c.stored();
  }
  omp_set_num_threads(saved);
  const auto per_iteration = static_cast<std::int64_t>(cs.sources.size() * cs.receptors.size() * cs.hours.size());
  state.SetItemsProcessed(state.iterations() * per_iteration);
  state.counters["evaluations"] = benchmark::Counter(static_cast<double>(state.iterations() * per_iteration),
                                                     benchmark::Counter::kIsRate);
  state.counters["omp_threads"] = threads;
  // Share of the pairs the plume reaches (stored); the others cost a rotation and a bound test.
  state.counters["reached_share"] = static_cast<double>(stored) / static_cast<double>(per_iteration);
  state.SetLabel("source-receptor-hours");
}

// disp: 0 Briggs rural, 2 turbulence (solver::Dispersion); omp: threads; cbl: the turbulence
// option's convective hours with AERMOD's bi-Gaussian plume (1, the default) or one Gaussian (0).
BENCHMARK(BM_plume_case_s)
    ->ArgNames({"disp", "omp", "cbl"})
    ->ArgsProduct({{static_cast<std::int64_t>(solver::Dispersion::BriggsRural),
                    static_cast<std::int64_t>(solver::Dispersion::Turbulence)},
                   {1, 2},
                   {1}})
    ->Args({static_cast<std::int64_t>(solver::Dispersion::Turbulence), 1, 0})
    ->Args({static_cast<std::int64_t>(solver::Dispersion::Turbulence), 2, 0})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
