#include "forecast/forecast_sources.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/species.hpp"

namespace lantian {

namespace {

/// The block of a series: [first, last] forecast hours of its peak 24-h mean.
std::pair<std::int64_t, std::int64_t> peak_block(std::span<const double> series, const MetricsOptions& o,
                                                 std::span<const double> history) {
  const auto n = static_cast<std::int64_t>(series.size());
  const SeriesMetrics m = series_metrics(series, o, history);
  if (m.peak_mean24_end < 0) return {0, n - 1};
  return {std::max<std::int64_t>(m.peak_mean24_end - 23, 0), m.peak_mean24_end};
}

}  // namespace

std::vector<PeakSources> peak_sources(const EulerianRun& run, std::span<const double> pm25, const MetricsOptions& options,
                                      const StationHourSeries& history) {
  std::vector<PeakSources> out;
  const std::size_t ntags = run.tag_series.size(), ns = run.station_ids.size(), nh = run.times.size();
  if (ntags == 0 || ns == 0 || nh == 0) return out;
  LANTIAN_CHECK(pm25.size() == ns * nh, (ErrorContext{"", 0, "peak_sources"}),
                "expected " + std::to_string(ns * nh) + " station-hours of PM2.5, found " + std::to_string(pm25.size()));
  const bool with_history = history.stations == ns && history.hours > 0;
  // primary[k][s][h], secondary[k][s][h] of each tag.
  auto primary = [&](std::size_t k, std::size_t s, std::size_t h) {
    return run.tag_series[k][index(Species::ppm25)][s][h];
  };
  auto secondary = [&](std::size_t k, std::size_t s, std::size_t h) {
    return kAmmoniumSulfateFactor * run.tag_series[k][index(Species::so4)][s][h] +
           kAmmoniumNitrateFactor * run.tag_series[k][index(Species::no3)][s][h] +
           run.tag_series[k][index(Species::soa)][s][h];
  };
  auto finish = [&](PeakSources& p) {
    double sum = 0.0;
    for (SourceShare& x : p.parts) {
      x.ug_m3 = x.primary_ug_m3 + x.secondary_ug_m3;
      x.percent = p.total_ug_m3 > 0.0 ? 100.0 * x.ug_m3 / p.total_ug_m3 : std::numeric_limits<double>::quiet_NaN();
      sum += x.ug_m3;
    }
    p.unattributed_ug_m3 = p.total_ug_m3 - sum;
  };
  auto shares = [&](std::string name, std::int64_t first, std::int64_t last, const std::vector<std::size_t>& stations) {
    PeakSources p;
    p.series = std::move(name);
    p.first = first;
    p.last = last;
    const double w = 1.0 / static_cast<double>((last - first + 1) * static_cast<std::int64_t>(stations.size()));
    for (std::size_t k = 0; k < ntags; ++k) {
      SourceShare x;
      x.name = k < run.tags.names.size() ? run.tags.names[k] : "tag " + std::to_string(k);
      x.regional = static_cast<int>(k) == run.tags.boundary_tag;
      for (const std::size_t s : stations)
        for (auto h = static_cast<std::size_t>(first); h <= static_cast<std::size_t>(last); ++h) {
          x.primary_ug_m3 += w * primary(k, s, h);
          x.secondary_ug_m3 += w * secondary(k, s, h);
        }
      p.parts.push_back(std::move(x));
    }
    for (const std::size_t s : stations)
      for (auto h = static_cast<std::size_t>(first); h <= static_cast<std::size_t>(last); ++h)
        p.total_ug_m3 += w * pm25[s * nh + h];
    finish(p);
    return p;
  };
  std::vector<std::size_t> all;
  for (std::size_t s = 0; s < ns; ++s) {
    all.push_back(s);
    const auto [a, b] = peak_block(pm25.subspan(s * nh, nh), options,
                                   with_history ? history.station(s) : std::span<const double>{});
    out.push_back(shares(run.station_ids[s], a, b, {s}));
  }
  const std::vector<double> city = station_mean(StationHourSeries{pm25, ns, nh});
  const std::vector<double> city_history = with_history ? station_mean(history) : std::vector<double>{};
  const auto [a, b] = peak_block(city, options, city_history);
  out.push_back(shares("city", a, b, all));
  return out;
}

}  // namespace lantian
