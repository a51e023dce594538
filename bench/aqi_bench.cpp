// AQI and warning throughput of the scenarios library (scenarios/aqi.hpp, warning.hpp), one
// benchmark per kernel sweeping sizes (STYLE.md 20). Each reports items/s (label: the item)
// and, through SetBytesProcessed, the bytes of INPUT it must read per item, so that
// bench/report.py can set it against the STREAM triad bandwidth measured in the same run
// (machine_limits.cpp) for the same thread count and the memory level its working set fits in.
// The kernels are serial: they compare with the 1-thread triad.
//
// Data: a synthetic, deterministic year of hourly concentrations per station (diurnal cycle,
// multi-day winter episodes up to ~300 µg/m³ PM2.5, 2% missing hours), so that daily AQIs cross
// the warning thresholds and classification does real work.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include "scenarios/aqi.hpp"
#include "scenarios/warning.hpp"

namespace {

using namespace lantian;

constexpr std::size_t kHoursPerYear = 24 * 365;
constexpr std::int64_t kBytesPerValue = sizeof(double);
constexpr std::int64_t kBytesPerAqi = sizeof(int);
constexpr int kIssueHour = 16;  // index 0 is local midnight; the national issue hour

/// A year of hourly data for `stations` stations, six pollutants each.
struct Stations {
  std::vector<std::array<std::vector<double>, kPollutantCount>> conc;
  std::vector<StationSeries> series;
};

Stations make_stations(std::size_t stations, std::size_t hours) {
  std::mt19937_64 rng(20241122);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Mean level and diurnal amplitude per pollutant, in the order of Pollutant (CO in mg/m³).
  constexpr std::array<double, kPollutantCount> kMean{15, 45, 110, 1.2, 60, 70};
  constexpr std::array<double, kPollutantCount> kDiurnal{5, 15, 25, 0.3, 40, 15};
  Stations s;
  s.conc.resize(stations);
  s.series.resize(stations);
  for (std::size_t st = 0; st < stations; ++st) {
    for (int p = 0; p < kPollutantCount; ++p) {
      std::vector<double>& x = s.conc[st][static_cast<std::size_t>(p)];
      x.resize(hours);
      for (std::size_t h = 0; h < hours; ++h) {
        const double day = static_cast<double>(h) / 24.0;
        const double diurnal = std::sin(2.0 * std::numbers::pi * (day - 0.25));
        // A 4-day episode every 20 days in winter (first and last ~90 days), up to 4x the mean.
        const double phase = std::fmod(day + 3.0 * static_cast<double>(st), 20.0);
        const bool winter = day < 90.0 || day > 275.0;
        const double episode = (winter && phase < 4.0) ? 3.0 * std::sin(std::numbers::pi * phase / 4.0) : 0.0;
        const double v = kMean[static_cast<std::size_t>(p)] * (1.0 + episode) +
                         kDiurnal[static_cast<std::size_t>(p)] * diurnal +
                         0.1 * kMean[static_cast<std::size_t>(p)] * noise(rng);
        x[h] = unit(rng) < 0.02 ? std::numeric_limits<double>::quiet_NaN() : std::max(v, 0.0);
      }
      s.series[st].conc[static_cast<std::size_t>(p)] = x;
    }
    s.series[st].hours = hours;
  }
  return s;
}

void set_throughput(benchmark::State& state, std::int64_t items_per_iteration, std::int64_t input_bytes_per_item,
                    double working_set_bytes, const char* item) {
  state.SetItemsProcessed(state.iterations() * items_per_iteration);
  state.SetBytesProcessed(state.iterations() * items_per_iteration * input_bytes_per_item);
  state.counters["working_set"] = working_set_bytes;
  state.counters["omp_threads"] = 1;
  state.SetLabel(item);
}

// iaqi_many over n PM2.5 values (24-h table): 8 bytes read per value (the 4-byte int written
// is not counted as input; the working set counts both).
void BM_iaqi_many(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> tenths(0, 6000);  // 0.0 .. 600.0 µg/m³, one decimal
  std::vector<double> conc(n);
  for (double& c : conc) c = tenths(rng) / 10.0;
  std::vector<int> out(n);
  for (auto _ : state) {
    iaqi_many(Pollutant::PM25, Averaging::Hour24, conc, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_throughput(state, static_cast<std::int64_t>(n), kBytesPerValue,
                 static_cast<double>(n * (kBytesPerValue + kBytesPerAqi)), "values");
}
BENCHMARK(BM_iaqi_many)->ArgName("n")->Arg(10'000)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMicrosecond);

// Real-time hourly AQI of a year of 6 pollutants per station: 48 bytes read per station-hour.
void BM_hourly_aqi(benchmark::State& state) {
  const auto stations = static_cast<std::size_t>(state.range(0));
  const Stations data = make_stations(stations, kHoursPerYear);
  const ValidityRules rules{};
  for (auto _ : state)
    for (const StationSeries& s : data.series) benchmark::DoNotOptimize(hourly_aqi(s, rules));
  const auto items = static_cast<std::int64_t>(stations * kHoursPerYear);
  set_throughput(state, items, kPollutantCount * kBytesPerValue,
                 static_cast<double>(items * kPollutantCount * kBytesPerValue), "station-hours");
}
BENCHMARK(BM_hourly_aqi)->ArgName("stations")->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

// Daily AQI of the 24-h block ending at every hour (日AQI over any continuous 24 h) over a year
// of 6 pollutants per station: 48 bytes read per station-hour.
void BM_daily_aqi_trailing(benchmark::State& state) {
  const auto stations = static_cast<std::size_t>(state.range(0));
  const Stations data = make_stations(stations, kHoursPerYear);
  const ValidityRules rules{};
  for (auto _ : state)
    for (const StationSeries& s : data.series) benchmark::DoNotOptimize(daily_aqi_trailing(s, rules));
  const auto items = static_cast<std::int64_t>(stations * kHoursPerYear);
  set_throughput(state, items, kPollutantCount * kBytesPerValue,
                 static_cast<double>(items * kPollutantCount * kBytesPerValue), "station-hours");
}
BENCHMARK(BM_daily_aqi_trailing)->ArgName("stations")->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

/// Block AQIs (the 24-h block starting at each hour) of one synthetic station-year.
std::vector<int> year_of_block_aqi() {
  const Stations data = make_stations(1, kHoursPerYear);
  const std::vector<AqiResult> daily = daily_aqi_trailing(data.series[0]);
  std::vector<int> trailing(daily.size());
  for (std::size_t i = 0; i < daily.size(); ++i) trailing[i] = daily[i].aqi;
  return block_aqi_from_trailing(trailing);
}

// classify_warning at every issue hour of a year: every 24 h (the daily 16:00 decision, 365 of
// them) or every hour (8760). Each decision must read at least its horizon of block AQIs
// (72 ints = 288 bytes), counted as its input; the series (35 KB) stays in L1/L2.
void BM_classify_warning(benchmark::State& state) {
  const auto stride = static_cast<std::size_t>(state.range(0));
  const std::vector<int> block = year_of_block_aqi();
  const WarningRules rules = WarningRules::national();
  std::vector<std::int64_t> t0s;
  for (std::size_t t = stride == 1 ? 0 : kIssueHour; t < block.size(); t += stride) t0s.push_back(static_cast<std::int64_t>(t));
  for (auto _ : state)
    for (const std::int64_t t0 : t0s) benchmark::DoNotOptimize(classify_warning(block, t0, rules));
  set_throughput(state, static_cast<std::int64_t>(t0s.size()), rules.horizon_hours * kBytesPerAqi,
                 static_cast<double>(block.size() * kBytesPerAqi), "decisions");
  // Share of decisions with a warning (the synthetic year must exercise the classifier).
  std::size_t warnings = 0;
  for (const std::int64_t t0 : t0s) warnings += classify_warning(block, t0, rules).level > 0 ? 1 : 0;
  state.counters["warning_share"] = static_cast<double>(warnings) / static_cast<double>(t0s.size());
}
BENCHMARK(BM_classify_warning)->ArgName("stride")->Arg(24)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
