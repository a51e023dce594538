// Machine limits, measured in the same run as the kernels they bound (STYLE.md 20;
// ../shared/TARGETS.md "Machine limits"): bench/report.py divides each kernel's figure by them.
//
// * STREAM triad a[i] = b[i] + s*c[i] on 1 and 2 OpenMP threads, reported as bytes/s with
//   STREAM's convention of 24 bytes per element (read b, read c, write a). The write-allocate
//   read of a (8 more bytes per element when a's line is not in cache) is NOT counted, exactly
//   as STREAM does, so figures compare with STREAM's and TARGETS.md's. Sizes: three arrays of
//   32 Ki (768 KiB in all, L2-resident), 512 Ki (12 MiB, L3-resident) and 32 Mi doubles
//   (256 MiB each, 768 MiB in all, DRAM) so that a kernel can be compared with the bandwidth of
//   the memory level its working set lives in.
// * FMA peak, double: independent chains acc = acc*m + a of the widest vector the compiler
//   targets (512-bit with -march=native on AVX-512 machines), 2 FLOP per lane per FMA, on 1 and
//   2 threads.
//
// Compiled with -O3 -march=native -ffp-contract=fast (bench/CMakeLists.txt); the library itself
// keeps portable flags.
#include <benchmark/benchmark.h>
#include <omp.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>

namespace {

// ---------------------------------------------------------------------------------------------
// STREAM triad

constexpr std::int64_t kTriadBytesPerElement = 24;  // STREAM: 2 reads + 1 write of 8 bytes
constexpr std::size_t kHugePage = std::size_t{2} << 20;  // 2-MiB alignment for transparent huge pages
/// Inner repetitions bring one benchmark iteration to at least this many elements, so the
/// OpenMP fork/join is amortised for cache-resident sizes.
constexpr std::size_t kMinElementsPerIteration = std::size_t{1} << 25;

struct FreeDeleter {
  void operator()(double* p) const noexcept { std::free(p); }
};
using Buffer = std::unique_ptr<double[], FreeDeleter>;

Buffer allocate(std::size_t n) {
  const std::size_t bytes = (n * sizeof(double) + kHugePage - 1) / kHugePage * kHugePage;
  auto* p = static_cast<double*>(std::aligned_alloc(kHugePage, bytes));
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Where transparent huge pages are "madvise" only (as on this VM), ask for them: fewer TLB
  // misses while streaming. Best effort: a refusal leaves 4-KiB pages.
  (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return Buffer(p);
}

struct TriadArrays {
  Buffer a, b, c;
};

/// One set of arrays per size, kept for the whole run; first touched in parallel with the same
/// static schedule as the kernel (pages land near the thread that streams them).
TriadArrays& triad_arrays(std::size_t n) {
  static std::map<std::size_t, TriadArrays> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  TriadArrays t{allocate(n), allocate(n), allocate(n)};
  double* a = t.a.get();
  double* b = t.b.get();
  double* c = t.c.get();
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = 0.0;
    b[i] = 1.0;
    c[i] = 2.0;
  }
  return cache.emplace(n, std::move(t)).first->second;
}

void triad(double* __restrict a, const double* __restrict b, const double* __restrict c, double s, std::size_t n,
           int threads, std::size_t reps) {
#pragma omp parallel num_threads(threads)
  {
    const double scalar = s;  // private copy: kept in a register
    for (std::size_t r = 0; r < reps; ++r) {
      // Static schedule and nowait: each thread streams the same chunk every repetition.
#pragma omp for simd schedule(static) nowait
      for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
      benchmark::ClobberMemory();
    }
  }
}

void BM_triad(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<int>(state.range(1));
  const std::size_t reps = n >= kMinElementsPerIteration ? 1 : kMinElementsPerIteration / n;
  TriadArrays& t = triad_arrays(n);
  for (auto _ : state) triad(t.a.get(), t.b.get(), t.c.get(), 3.0, n, threads, reps);
  const auto elements = static_cast<std::int64_t>(n * reps);
  state.SetBytesProcessed(state.iterations() * elements * kTriadBytesPerElement);
  state.counters["working_set"] = static_cast<double>(3 * n * sizeof(double));
  state.counters["omp_threads"] = threads;
}

// n: 32 Ki (L2), 512 Ki (L3), 32 Mi (DRAM) doubles per array; 1 and 2 threads.
BENCHMARK(BM_triad)
    ->ArgNames({"n", "omp"})
    ->ArgsProduct({{std::int64_t{1} << 15, std::int64_t{1} << 19, std::int64_t{1} << 25}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// FMA peak

#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
constexpr int kChains = 16;  // 32 vector registers: 16 accumulators + 2 constants
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
constexpr int kChains = 12;  // 16 vector registers
#else
constexpr int kVectorBytes = 16;
constexpr int kChains = 12;
#endif
typedef double VecD __attribute__((vector_size(kVectorBytes)));
constexpr int kLanes = kVectorBytes / static_cast<int>(sizeof(double));
constexpr std::int64_t kFmaIterations = std::int64_t{1} << 20;

/// kChains independent FMA chains over `iterations` steps: enough chains to cover the FMA
/// latency times the number of FMA pipes. acc -> a/(1-m) stays normal (no denormal slow-down).
double fma_chains(std::int64_t iterations, double seed) {
  VecD acc[kChains];
  for (int j = 0; j < kChains; ++j)
    for (int k = 0; k < kLanes; ++k) acc[j][k] = seed + 1e-3 * (j * kLanes + k);
  VecD m, a;
  for (int k = 0; k < kLanes; ++k) {
    m[k] = 0.999999;
    a[k] = 1e-7;
  }
  for (std::int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kChains; ++j) acc[j] = acc[j] * m + a;  // one FMA (-ffp-contract=fast)
  }
  double sum = 0.0;
  for (int j = 0; j < kChains; ++j)
    for (int k = 0; k < kLanes; ++k) sum += acc[j][k];
  return sum;
}

void BM_fma_peak(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    double sink = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    sink += fma_chains(kFmaIterations, 1.0 + omp_get_thread_num());
    benchmark::DoNotOptimize(sink);
  }
  const double flop_per_iteration = 2.0 * kLanes * kChains * static_cast<double>(kFmaIterations) * threads;
  state.counters["flops"] =
      benchmark::Counter(flop_per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["vector_bits"] = 8 * kVectorBytes;
  state.counters["omp_threads"] = threads;
}

BENCHMARK(BM_fma_peak)->ArgName("omp")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
