// Scenario evaluation throughput (scenarios/superposition.hpp, metrics.hpp), one benchmark per
// kernel sweeping sizes (STYLE.md 20).
//
// * BM_superpose_batch: a batch of 1,000 scenarios evaluated from stored contributions
//   (superpose_batch: weight checks, lag model when `age` = 1, one sweep per scenario) on the
//   demo shape, 8 stations × 72 h, with 5 / 20 / 80 tags. Reports scenarios/s (items) and a
//   `flops` counter (2 FLOP per tag-station-hour: one multiply-add), which bench/report.py sets
//   against the FMA peak of the same run on 1 thread. The contributions (tags × 8 × 72 doubles:
//   92 KiB at 20 tags) live in L2, not L1, and each multiply-add streams one of them: the
//   kernel (AVX2 clone, no FMA, 6 register accumulators) runs at ~0.1 of the FMA peak, i.e.
//   ~50 GB/s from L2. Applying each loaded block to several scenarios at once would lift that;
//   not needed: TARGETS.md asks 1,000 scenarios in under 0.1 s and the batch takes ~2 ms.
// * BM_superpose_kernel: the same sweep without the checks and the lag model.
// * BM_scenario_metrics: the metrics of one scenario (8 stations + domain mean: peaks, daily
//   AQI, hours above, warning decisions and timeline, 降级) from its superposed series;
//   scenarios/s and the bytes of input (baseline and scenario series) it reads, set against the
//   triad (report.py's memory-bound rule; a low ratio: the work is the classifier, not the bytes).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "core/time_axis.hpp"
#include "scenarios/metrics.hpp"
#include "scenarios/superposition.hpp"

namespace {

using namespace lantian;

constexpr std::size_t kStations = 8;
constexpr std::size_t kHours = 72;
constexpr std::size_t kScenarios = 1000;

/// Deterministic pseudo-random numbers in [0, 1).
struct Lcg {
  std::uint64_t x;
  double operator()() {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  }
};

/// Contributions of a winter episode: a background tag (inflow) and `tags - 1` source tags with a
/// diurnal cycle and a build-up to ~250 µg/m³ in total on day 2.
Contributions demo_contributions(std::size_t tags) {
  Lcg rng{20151207};
  Contributions c;
  c.tags = tags;
  c.stations = kStations;
  c.hours = kHours;
  c.background_tag = 0;
  c.data.resize(tags * kStations * kHours);
  for (std::size_t t = 0; t < tags; ++t)
    for (std::size_t s = 0; s < kStations; ++s) {
      const double share = t == 0 ? 0.3 : 0.7 / static_cast<double>(tags - 1) * (0.5 + rng());
      for (std::size_t h = 0; h < kHours; ++h) {
        const double day = static_cast<double>(h) / 24.0;
        const double episode = 80.0 + 170.0 * std::sin(std::numbers::pi * day / 3.0);
        const double diurnal = 1.0 + 0.2 * std::sin(2.0 * std::numbers::pi * (day - 0.25));
        c.data[(t * kStations + s) * kHours + h] = share * episode * diurnal;
      }
    }
  return c;
}

/// Scenarios: each tag cut by a random factor from a random start hour (the response start)
/// to the end; the background tag at 1.
std::vector<double> demo_weights(const Contributions& c, std::size_t scenarios) {
  Lcg rng{7};
  std::vector<double> w(scenarios * c.tags * c.hours, 1.0);
  for (std::size_t k = 0; k < scenarios; ++k)
    for (std::size_t t = 1; t < c.tags; ++t) {
      const double factor = 1.0 - 0.6 * rng();
      const auto start = static_cast<std::size_t>(static_cast<double>(c.hours) * 0.5 * rng());
      for (std::size_t h = start; h < c.hours; ++h) w[(k * c.tags + t) * c.hours + h] = factor;
    }
  return w;
}

// 1,000 scenarios per iteration; args: tags, age (0: weight at the concentration's hour,
// 1: every source tag lagged with τ = 6 h).
void BM_superpose_batch(benchmark::State& state) {
  const auto tags = static_cast<std::size_t>(state.range(0));
  const bool lagged = state.range(1) != 0;
  const Contributions c = demo_contributions(tags);
  const std::vector<double> w = demo_weights(c, kScenarios);
  std::vector<double> out(kScenarios * kStations * kHours);
  SuperpositionOptions opt;
  if (lagged) {
    opt.age_hours.assign(tags, 6.0);
    opt.age_hours[0] = 0.0;
  }
  for (auto _ : state) {
    superpose_batch(c, w, out, opt);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  const auto scenarios = static_cast<std::int64_t>(kScenarios);
  const double flop_per_scenario = 2.0 * static_cast<double>(tags * kStations * kHours);
  state.SetItemsProcessed(state.iterations() * scenarios);
  state.counters["flops"] = benchmark::Counter(flop_per_scenario * static_cast<double>(state.iterations() * scenarios),
                                               benchmark::Counter::kIsRate);
  state.counters["batch_ms"] = benchmark::Counter(1e3 * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["working_set"] = static_cast<double>((c.data.size() + w.size() + out.size()) * sizeof(double));
  state.counters["omp_threads"] = 1;
  state.SetLabel("scenarios");
}
BENCHMARK(BM_superpose_batch)
    ->ArgNames({"tags", "age"})
    ->ArgsProduct({{5, 20, 80}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The kernel alone (superpose_kernel: no weight checks, no lag) over the same 1,000 scenarios:
// what the batch's checks and lag model cost on top.
void BM_superpose_kernel(benchmark::State& state) {
  const auto tags = static_cast<std::size_t>(state.range(0));
  const Contributions c = demo_contributions(tags);
  const std::vector<double> w = demo_weights(c, kScenarios);
  std::vector<double> out(kScenarios * kStations * kHours);
  const std::size_t per_w = tags * kHours, per_out = kStations * kHours;
  for (auto _ : state) {
    for (std::size_t k = 0; k < kScenarios; ++k) superpose_kernel(c, w.data() + k * per_w, out.data() + k * per_out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  const auto scenarios = static_cast<std::int64_t>(kScenarios);
  const double flop_per_scenario = 2.0 * static_cast<double>(tags * kStations * kHours);
  state.SetItemsProcessed(state.iterations() * scenarios);
  state.counters["flops"] = benchmark::Counter(flop_per_scenario * static_cast<double>(state.iterations() * scenarios),
                                               benchmark::Counter::kIsRate);
  state.counters["working_set"] = static_cast<double>((c.data.size() + w.size() + out.size()) * sizeof(double));
  state.counters["omp_threads"] = 1;
  state.SetLabel("scenarios");
}
BENCHMARK(BM_superpose_kernel)->ArgName("tags")->Arg(5)->Arg(20)->Arg(80)->Unit(benchmark::kMillisecond);

// The metrics of one scenario against the baseline (8 stations and the domain mean).
void BM_scenario_metrics(benchmark::State& state) {
  const Contributions c = demo_contributions(20);
  const std::vector<double> base = c.total();
  const std::vector<double> w = demo_weights(c, 1);
  const std::vector<double> scen = superpose(c, w);
  MetricsOptions o;
  o.tz = TimeZone("Asia/Shanghai");
  o.start = parse_time("2015-12-07T00:00", o.tz);
  const StationHourSeries b{base, kStations, kHours}, s{scen, kStations, kHours};
  for (auto _ : state) benchmark::DoNotOptimize(scenario_metrics(b, s, o));
  const auto bytes = static_cast<std::int64_t>(2 * kStations * kHours * sizeof(double));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["working_set"] = static_cast<double>(bytes);
  state.counters["omp_threads"] = 1;
  state.SetLabel("scenarios");
}
BENCHMARK(BM_scenario_metrics)->Unit(benchmark::kMicrosecond);

}  // namespace
