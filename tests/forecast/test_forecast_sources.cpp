// Sources at the peak (forecast/forecast_sources.hpp) on hand-built tag series: two stations,
// 48 hours, the tags "background" (the regional inflow), "industry" and "traffic".
//
// Station A: background primary 60; industry primary 10 (hours 0-23) then 30, sulfate 8 ->
//   1.375 * 8 = 11 of PM2.5; traffic nitrate 10 -> 1.29 * 10 = 12.9, SOA 2. Total 95.9, then
//   115.9: the trailing 24-h mean peaks at hour 47, block [24, 47]. At the peak: background 60
//   (60 / 115.9 = 51.77 %), industry 30 + 11 = 41 (35.38 %), traffic 12.9 + 2 = 14.9 (12.86 %).
// Station B: background 40; traffic primary 20 (hours 0-23) then 5. Total 60, then 45: the first
//   full block [0, 23] is the peak. Background 40 (66.67 %), industry 0, traffic 20 (33.33 %).
// City (station mean): 77.95 then 80.45: block [24, 47]; background (60 + 40) / 2 = 50
//   (62.15 %), industry 41 / 2 = 20.5, traffic (14.9 + 5) / 2 = 9.95; sum 80.45 = the total.
#include <catch2/catch.hpp>

#include <vector>

#include "core/species.hpp"
#include "forecast/forecast_sources.hpp"

using namespace lantian;

namespace {

constexpr std::size_t kHours = 48;

/// A [species][station][hour] block of zeros for two stations.
std::vector<std::vector<std::vector<double>>> zeros() {
  return std::vector<std::vector<std::vector<double>>>(
      kSpeciesCount, std::vector<std::vector<double>>(2, std::vector<double>(kHours, 0.0)));
}

void set(std::vector<std::vector<std::vector<double>>>& t, Species sp, std::size_t s, double first, double then) {
  for (std::size_t h = 0; h < kHours; ++h) t[index(sp)][s][h] = h < 24 ? first : then;
}

}  // namespace

TEST_CASE("the sources at the peak split each series' PM2.5 by tag and sum to the total", "[forecast][sources]") {
  EulerianRun run;
  run.station_ids = {"A", "B"};
  for (std::size_t h = 0; h < kHours; ++h) run.times.push_back(static_cast<UtcHour>(h));
  run.tags.names = {"background", "industry", "traffic"};
  run.tags.boundary_tag = 0;
  auto bg = zeros(), ind = zeros(), tr = zeros();
  set(bg, Species::ppm25, 0, 60.0, 60.0);
  set(bg, Species::ppm25, 1, 40.0, 40.0);
  set(ind, Species::ppm25, 0, 10.0, 30.0);
  set(ind, Species::so4, 0, 8.0, 8.0);
  set(tr, Species::no3, 0, 10.0, 10.0);
  set(tr, Species::soa, 0, 2.0, 2.0);
  set(tr, Species::ppm25, 1, 20.0, 5.0);
  run.tag_series = {bg, ind, tr};
  // The totals written out by hand (header comment), not summed from the tags.
  std::vector<double> pm25(2 * kHours);
  for (std::size_t h = 0; h < kHours; ++h) {
    pm25[h] = h < 24 ? 95.9 : 115.9;
    pm25[kHours + h] = h < 24 ? 60.0 : 45.0;
  }
  const std::vector<PeakSources> p = peak_sources(run, pm25, MetricsOptions{});
  REQUIRE(p.size() == 3);
  // Tolerance: sums of 24 doubles such as 95.9 carry ~1e-13 relative roundoff.
  const double tol = 1e-9;

  CHECK(p[0].series == "A");
  CHECK(p[0].first == 24);
  CHECK(p[0].last == 47);
  CHECK(p[0].total_ug_m3 == Approx(115.9).epsilon(tol));
  CHECK(p[0].parts[0].regional);
  CHECK(p[0].parts[0].ug_m3 == Approx(60.0).epsilon(tol));
  CHECK(p[0].parts[0].percent == Approx(100.0 * 60.0 / 115.9).epsilon(tol));  // 51.77 %
  CHECK(p[0].parts[1].primary_ug_m3 == Approx(30.0).epsilon(tol));
  CHECK(p[0].parts[1].secondary_ug_m3 == Approx(11.0).epsilon(tol));
  CHECK(p[0].parts[2].ug_m3 == Approx(14.9).epsilon(tol));

  CHECK(p[1].first == 0);
  CHECK(p[1].last == 23);
  CHECK(p[1].parts[0].percent == Approx(200.0 / 3.0).epsilon(tol));
  CHECK(p[1].parts[1].ug_m3 == Approx(0.0).margin(1e-12));
  CHECK(p[1].parts[2].ug_m3 == Approx(20.0).epsilon(tol));

  CHECK(p[2].series == "city");
  CHECK(p[2].first == 24);
  CHECK(p[2].total_ug_m3 == Approx(80.45).epsilon(tol));
  CHECK(p[2].parts[0].ug_m3 == Approx(50.0).epsilon(tol));
  CHECK(p[2].parts[1].ug_m3 == Approx(20.5).epsilon(tol));
  CHECK(p[2].parts[2].ug_m3 == Approx(9.95).epsilon(tol));
  for (const PeakSources& x : p) {
    double sum = 0.0, pct = 0.0;
    for (const SourceShare& s : x.parts) sum += s.ug_m3, pct += s.percent;
    CHECK(sum == Approx(x.total_ug_m3).epsilon(tol));
    CHECK(pct == Approx(100.0).epsilon(tol));
    CHECK(x.unattributed_ug_m3 == Approx(0.0).margin(1e-9));
  }
}

TEST_CASE("no tag series, no sources at the peak", "[forecast][sources]") {
  EulerianRun run;
  run.station_ids = {"A"};
  run.times = {0, 1};
  CHECK(peak_sources(run, std::vector<double>{1.0, 2.0}, MetricsOptions{}).empty());
}
