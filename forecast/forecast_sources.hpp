#pragma once
// Sources at the peak (峰值时段来源解析, issue 13): per station and for the city, the baseline's
// PM2.5 over its peak 24-h block split by the source tags of the run: the regional inflow (the
// "background" tag: the lateral inflow and the initial state, not controllable locally) and each
// local tag (a sector, district or enterprise, per [model] tags), in µg/m³ and in % of the
// PM2.5 of the same hours, the primary part (primary PM2.5) and the secondary part (1.375 SO4 +
// 1.29 NO3 + SOA, formed from the tag's SO2, NOx and VOCs) apart.
//
// The block: the hours of the peak trailing 24-h mean of the series with the observed history
// joined (scenarios/metrics.hpp series_metrics, peak_mean24_end), restricted to the forecast
// hours (the history carries no tags); the whole forecast when no 24-h mean is valid. The city is
// the station mean (HJ 663), of the total and of every tag alike. `unattributed_ug_m3` = total −
// Σ parts: what the tags do not carry (roundoff of the tagged transport; ~0).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "forecast/eulerian_run.hpp"
#include "scenarios/metrics.hpp"

namespace lantian {

struct SourceShare {
  std::string name;          ///< the tag ("background" for the regional inflow)
  bool regional = false;     ///< the background tag
  double ug_m3 = 0.0;        ///< mean over the block, µg/m³
  double primary_ug_m3 = 0.0, secondary_ug_m3 = 0.0;
  double percent = 0.0;      ///< 100 ug_m3 / total_ug_m3 (NaN when the total is 0)
};

struct PeakSources {
  std::string series;            ///< station id, or "city"
  std::int64_t first = 0, last = -1;  ///< the block's forecast hours [first, last] (indices)
  double total_ug_m3 = 0.0;      ///< mean PM2.5 of the series over those hours
  double unattributed_ug_m3 = 0.0;
  std::vector<SourceShare> parts;  ///< in tag order
};

/// The sources at the peak of every station of `run` (in order) and of the city (last), from
/// run.tag_series ([tag][species][station][hour]), run.tags and the total `pm25` ([station][hour]);
/// `history` as scenario_metrics' (stations == 0: none). Empty when the run has no tag series.
std::vector<PeakSources> peak_sources(const EulerianRun& run, std::span<const double> pm25, const MetricsOptions& options,
                                      const StationHourSeries& history = {});

}  // namespace lantian
