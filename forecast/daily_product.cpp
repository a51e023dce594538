#include "forecast/daily_product.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace lantian {

std::vector<LeadDay> lead_days(const SeriesMetrics& m, int days) {
  std::vector<LeadDay> out;
  const auto n = static_cast<std::int64_t>(m.mean24.size());
  for (int k = 1; k <= days; ++k) {
    const std::int64_t last = 24 * static_cast<std::int64_t>(k) - 1;
    if (last >= n) break;
    LeadDay d;
    d.lead = k;
    d.first = last - 23;
    d.pm25 = m.mean24[static_cast<std::size_t>(last)];
    d.aqi = m.daily_aqi[static_cast<std::size_t>(last)];
    out.push_back(d);
  }
  return out;
}

std::vector<DailyForecast> daily_forecast(const ForecastResult& r) {
  std::vector<DailyForecast> out;
  const std::size_t ns = r.baseline.station_ids.size();
  const std::size_t nh = ns > 0 ? r.baseline_pm25.size() / ns : 0;
  for (std::size_t s = 0; s < ns; ++s) {
    const std::span<const double> pm(r.baseline_pm25.data() + s * nh, nh);
    std::span<const double> hist;
    if (r.history_hours > 0) hist = std::span<const double>(r.history_pm25.data() + s * r.history_hours, r.history_hours);
    out.push_back({r.baseline.station_ids[s], lead_days(series_metrics(pm, r.metrics_options, hist))});
  }
  out.push_back({"city", lead_days(r.city)});
  return out;
}

std::optional<int> decision_margin(const WarningDecision& d, std::span<const int> block_aqi, const WarningRules& rules) {
  // The level whose margin is asked: the decided one, or the lowest for "none" (its distance below).
  const int level = std::max(d.level, 1);
  const auto n = static_cast<std::int64_t>(block_aqi.size());
  const std::int64_t horizon_end = std::min<std::int64_t>(n, d.issue_index + rules.horizon_hours);
  std::optional<int> best;
  for (const WarningCondition& c : rules.levels[static_cast<std::size_t>(level - 1)].any_of) {
    for (std::int64_t s = d.issue_index; s + c.hours <= horizon_end; ++s) {
      int worst = 1000;
      bool valid = true;
      for (std::int64_t b = s; b < s + c.hours && valid; b += 24) {
        const int a = block_aqi[static_cast<std::size_t>(b)];
        valid = a != kMissingIndex;
        worst = std::min(worst, a - c.above);
      }
      if (!valid) continue;
      if (c.and_block_above > 0) {
        int extra = -1000;
        for (std::int64_t i = s; i + 24 <= s + c.hours; ++i)
          if (const int a = block_aqi[static_cast<std::size_t>(i)]; a != kMissingIndex) extra = std::max(extra, a - c.and_block_above);
        worst = std::min(worst, extra);
      }
      best = best ? std::max(*best, worst) : worst;
    }
  }
  return best;
}

OptionRanking option_ranking(const ForecastResult& r) {
  OptionRanking out;
  const std::size_t ns = r.baseline.station_ids.size();
  bool all_checked = !r.outcomes.empty();
  for (const ScenarioOutcome& o : r.outcomes) {
    RankedOption x;
    x.name = o.scenario.name;
    x.peak_mean24 = o.metrics.domain_mean.scenario.peak_mean24;
    x.superposed_peak_mean24 = std::numeric_limits<double>::quiet_NaN();
    if (o.has_superposition_error && !o.superposed.empty() && ns > 0) {
      const StationHourSeries sup{o.superposed, ns, o.superposed.size() / ns};
      std::span<const double> hist;
      std::vector<double> city_hist;
      if (r.history_hours > 0) {
        city_hist = station_mean(StationHourSeries{r.history_pm25, ns, r.history_hours});
        hist = city_hist;
      }
      x.superposed_peak_mean24 = series_metrics(station_mean(sup), r.metrics_options, hist).peak_mean24;
    } else {
      all_checked = false;
    }
    out.order.push_back(x);
  }
  std::stable_sort(out.order.begin(), out.order.end(),
                   [](const RankedOption& a, const RankedOption& b) { return a.peak_mean24 < b.peak_mean24; });
  if (all_checked) {
    for (std::size_t k = 1; k < out.order.size(); ++k)
      if (out.order[k].superposed_peak_mean24 < out.order[k - 1].superposed_peak_mean24)
        out.swapped.emplace_back(out.order[k - 1].name, out.order[k].name);
    out.superposed_same_order = out.swapped.empty();
  }
  return out;
}

}  // namespace lantian
