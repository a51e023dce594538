#include "scenarios/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/error.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kYuanPer10k = 1e4;  // 万元
/// pm25_limit_for_aqi's resolution (µg/m³).
constexpr double kLimitResolution = 1e-4;

bool valid_conc(double c) noexcept { return std::isfinite(c) && c >= 0.0; }

Cut cut_of(double baseline, double scenario) {
  Cut c;
  c.ug_m3 = baseline - scenario;
  c.percent = (std::isfinite(baseline) && baseline > 0.0) ? 100.0 * c.ug_m3 / baseline : kNaN;
  return c;
}

int pm25_iaqi(double c) { return iaqi(Pollutant::PM25, Averaging::Hour24, c).value; }

}  // namespace

void StationHourSeries::check(std::string_view what) const {
  if (data.size() != stations * hours)
    throw Error({"", 0, std::string(what)}, "expected " + std::to_string(stations) + " stations x " +
                                                std::to_string(hours) + " hours = " + std::to_string(stations * hours) +
                                                " values, found " + std::to_string(data.size()));
}

double pm25_limit_for_aqi(int aqi) {
  if (aqi < 0 || aqi >= 500)
    throw Error({"", 0, "target AQI"}, "expected 0 <= AQI < 500, found " + std::to_string(aqi));
  // iaqi() is non-decreasing in the concentration: bisect to adjacent doubles between a
  // concentration at or below the target (lo) and one above it (hi).
  double lo = 0.0, hi = 1.0;
  while (pm25_iaqi(hi) <= aqi) hi *= 2.0;  // PM2.5 tops out at 500 µg/m³ -> IAQI 500
  for (int it = 0; it < 200 && std::nextafter(lo, hi) < hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (pm25_iaqi(mid) <= aqi)
      lo = mid;
    else
      hi = mid;
  }
  return std::floor(lo / kLimitResolution + 1e-9) * kLimitResolution;
}

void MetricsOptions::validate(std::size_t stations) const {
  rules.validate();
  validity.validate();
  if (!population.empty()) {
    if (population.size() != stations)
      throw Error({"", 0, "metrics.population"}, "expected one weight per station (" + std::to_string(stations) +
                                                     "), found " + std::to_string(population.size()));
    double sum = 0.0;
    for (std::size_t i = 0; i < population.size(); ++i) {
      if (!std::isfinite(population[i]) || population[i] < 0.0)
        throw Error({"", 0, "metrics.population[" + std::to_string(i) + "]"},
                    "expected a finite, non-negative weight, found " + std::to_string(population[i]));
      sum += population[i];
    }
    if (!(sum > 0.0)) throw Error({"", 0, "metrics.population"}, "the weights sum to 0");
  }
  for (std::size_t k = 0; k < aqi_thresholds.size(); ++k)
    if (aqi_thresholds[k] < 0 || aqi_thresholds[k] > 500)
      throw Error({"", 0, "metrics.aqi_thresholds[" + std::to_string(k) + "]"},
                  "expected 0..500, found " + std::to_string(aqi_thresholds[k]));
}

SeriesMetrics series_metrics(std::span<const double> pm25, const MetricsOptions& options,
                             std::span<const double> history) {
  SeriesMetrics m;
  m.history_hours = history.size();
  const std::size_t n = pm25.size();
  const auto nn = static_cast<std::int64_t>(n);

  // Peak hour and mean.
  m.peak_hourly = kNaN;
  double sum = 0.0;
  std::size_t valid = 0;
  for (std::size_t h = 0; h < n; ++h) {
    if (!valid_conc(pm25[h])) continue;
    sum += pm25[h];
    ++valid;
    if (!(pm25[h] <= m.peak_hourly)) {  // NaN peak: first valid hour
      m.peak_hourly = pm25[h];
      m.peak_hour = static_cast<std::int64_t>(h);
    }
  }
  m.mean = valid > 0 ? sum / static_cast<double>(valid) : kNaN;

  // Trailing 24-h means and daily AQI (the foundation's functions) of history + forecast; the
  // forecast's hours kept.
  std::vector<double> joined(history.begin(), history.end());
  joined.insert(joined.end(), pm25.begin(), pm25.end());
  const std::size_t nh = history.size();
  const std::vector<double> mean24 = rolling_mean(joined, 24, options.validity.min_hours_24h);
  m.mean24.assign(mean24.begin() + static_cast<std::ptrdiff_t>(nh), mean24.end());
  StationSeries series;
  series.hours = joined.size();
  series.conc[static_cast<int>(Pollutant::PM25)] = std::span<const double>(joined);
  const std::vector<AqiResult> daily = daily_aqi_trailing(series, options.validity);
  m.daily_aqi.resize(n);
  m.peak_mean24 = kNaN;
  for (std::size_t h = 0; h < n; ++h) {
    const int a = daily[nh + h].aqi;
    m.daily_aqi[h] = a;
    if (a > m.peak_daily_aqi) m.peak_daily_aqi = a;
    if (a != kMissingIndex)
      for (std::size_t k = 0; k < m.hours_above.size(); ++k) m.hours_above[k] += a > options.aqi_thresholds[k] ? 1 : 0;
    if (std::isfinite(m.mean24[h]) && !(m.mean24[h] <= m.peak_mean24)) {
      m.peak_mean24 = m.mean24[h];
      m.peak_mean24_end = static_cast<std::int64_t>(h);
    }
  }

  // Local calendar days.
  const TimeZone& tz = options.tz;
  std::int64_t current_day = std::numeric_limits<std::int64_t>::min();
  for (std::int64_t h = 0; h < nn; ++h) {
    const UtcHour t = options.start + h;
    const std::int64_t minutes = t * 60 + tz.offset_minutes(t);
    const std::int64_t day = (minutes >= 0 ? minutes : minutes - 1439) / 1440;
    if (day != current_day) {
      m.days.push_back({h, 0, 0, 0.0, kMissingIndex});
      current_day = day;
    }
    LocalDay& d = m.days.back();
    ++d.hours;
    const double c = pm25[static_cast<std::size_t>(h)];
    if (valid_conc(c)) {
      d.mean += c;
      ++d.valid_hours;
    }
  }
  for (LocalDay& d : m.days) {
    if (d.valid_hours >= static_cast<std::size_t>(options.validity.min_hours_24h)) {
      d.mean /= static_cast<double>(d.valid_hours);
      d.aqi = pm25_iaqi(d.mean);
    } else {
      d.mean = kNaN;
    }
  }

  // Warning decisions at the local issue hours and the response timeline, as run_aqi.
  const std::vector<int> block = block_aqi_from_trailing(m.daily_aqi);
  const UtcHour start = options.start;
  const HourLabel label = [start, &tz](std::int64_t i) { return format_local(start + i, tz); };
  for (std::int64_t i = 0; i < nn; ++i) {
    if (tz.local_hour_of_day(start + i) != options.rules.issue_hour) continue;
    WarningDecision d = classify_warning(block, i, options.rules, label);
    if (const int imp = imposed_level_at(options.imposed, i); imp > 0)
      d.reason += "; imposed by a higher authority: " + std::string(options.rules.level_name(imp));
    m.decisions.push_back(std::move(d));
  }
  m.timeline = response_timeline(m.daily_aqi, m.decisions, options.imposed, options.rules, label, options.in_force);
  m.level.assign(n, 0);
  for (const ResponsePeriod& p : m.timeline) {
    const std::int64_t end = p.end < 0 ? nn : std::min(p.end, nn);
    for (std::int64_t h = std::max<std::int64_t>(p.start, 0); h < end; ++h)
      m.level[static_cast<std::size_t>(h)] = static_cast<std::uint8_t>(p.level);
    if (p.level > 0) {
      m.max_level = std::max(m.max_level, p.level);
      m.response_hours += end - p.start;
      m.response_end = std::max(m.response_end, end);
    }
  }
  m.outlook = response_outlook(m.daily_aqi, m.timeline, m.decisions, options.rules, label);
  return m;
}

SeriesComparison compare_series(std::string name, SeriesMetrics baseline, SeriesMetrics scenario,
                                const MetricsOptions& options) {
  SeriesComparison c;
  c.name = std::move(name);
  c.peak_hourly = cut_of(baseline.peak_hourly, scenario.peak_hourly);
  c.peak_mean24 = cut_of(baseline.peak_mean24, scenario.peak_mean24);
  c.mean = cut_of(baseline.mean, scenario.mean);
  if (baseline.peak_daily_aqi != kMissingIndex && scenario.peak_daily_aqi != kMissingIndex)
    c.peak_daily_aqi_change = scenario.peak_daily_aqi - baseline.peak_daily_aqi;
  for (std::size_t k = 0; k < c.hours_above_change.size(); ++k)
    c.hours_above_change[k] = scenario.hours_above[k] - baseline.hours_above[k];
  c.level_change = scenario.max_level - baseline.max_level;
  const std::size_t n = std::min(baseline.level.size(), scenario.level.size());
  for (std::size_t h = 0; h < n; ++h) {
    if (scenario.level[h] < baseline.level[h]) {
      c.downgrade_hour = static_cast<std::int64_t>(h);
      c.downgrade_time = options.start + static_cast<UtcHour>(h);
      c.downgrade_from = baseline.level[h];
      c.downgrade_to = scenario.level[h];
      break;
    }
  }
  if (baseline.response_end >= 0 && scenario.response_end >= 0)
    c.response_ends_sooner = baseline.response_end - scenario.response_end;
  else if (baseline.response_end >= 0)
    c.response_ends_sooner = baseline.response_hours;
  c.baseline = std::move(baseline);
  c.scenario = std::move(scenario);
  return c;
}

std::vector<double> station_mean(const StationHourSeries& series, std::span<const double> weights) {
  series.check("station series");
  if (!weights.empty() && weights.size() != series.stations)
    throw Error({"", 0, "weights"}, "expected one weight per station (" + std::to_string(series.stations) +
                                        "), found " + std::to_string(weights.size()));
  std::vector<double> out(series.hours, kNaN);
  for (std::size_t h = 0; h < series.hours; ++h) {
    double sum = 0.0, wsum = 0.0;
    for (std::size_t s = 0; s < series.stations; ++s) {
      const double c = series(s, h);
      const double w = weights.empty() ? 1.0 : weights[s];
      if (!valid_conc(c) || w == 0.0) continue;
      sum += w * c;
      wsum += w;
    }
    if (wsum > 0.0) out[h] = sum / wsum;
  }
  return out;
}

ScenarioMetrics scenario_metrics(const StationHourSeries& baseline, const StationHourSeries& scenario,
                                 const MetricsOptions& options, const PlanFigures& plan,
                                 std::span<const std::string> names, const StationHourSeries& history) {
  baseline.check("baseline series");
  scenario.check("scenario series");
  if (baseline.stations != scenario.stations || baseline.hours != scenario.hours)
    throw Error({"", 0, "scenario series"}, "expected the baseline's shape (" + std::to_string(baseline.stations) +
                                                " stations x " + std::to_string(baseline.hours) + " hours), found " +
                                                std::to_string(scenario.stations) + " x " +
                                                std::to_string(scenario.hours));
  if (!names.empty() && names.size() != baseline.stations)
    throw Error({"", 0, "station names"}, "expected one name per station (" + std::to_string(baseline.stations) +
                                              "), found " + std::to_string(names.size()));
  options.validate(baseline.stations);
  const bool with_history = history.stations > 0;
  if (with_history) {
    history.check("history series");
    if (history.stations != baseline.stations)
      throw Error({"", 0, "history series"}, "expected one history per station (" + std::to_string(baseline.stations) +
                                                 "), found " + std::to_string(history.stations));
  }
  const auto past = [&](std::size_t s) { return with_history ? history.station(s) : std::span<const double>{}; };
  const std::vector<double> past_mean = with_history ? station_mean(history) : std::vector<double>{};
  const std::vector<double> past_pop =
      with_history && !options.population.empty() ? station_mean(history, options.population) : std::vector<double>{};

  ScenarioMetrics out;
  out.stations.reserve(baseline.stations);
  for (std::size_t s = 0; s < baseline.stations; ++s) {
    std::string name = names.empty() ? "station " + std::to_string(s) : names[s];
    out.stations.push_back(compare_series(std::move(name), series_metrics(baseline.station(s), options, past(s)),
                                          series_metrics(scenario.station(s), options, past(s)), options));
  }
  out.domain_mean = compare_series("domain mean", series_metrics(station_mean(baseline), options, past_mean),
                                   series_metrics(station_mean(scenario), options, past_mean), options);
  if (!options.population.empty())
    out.population_weighted = compare_series(
        "population-weighted", series_metrics(station_mean(baseline, options.population), options, past_pop),
        series_metrics(station_mean(scenario, options.population), options, past_pop), options);

  out.plan = plan;
  for (int p = 0; p < kFloorPollutantCount; ++p) {
    const auto i = static_cast<std::size_t>(p);
    out.meets_floor[i] = meets_floor(plan.achieved_cut[i], plan.floor[i]);
  }
  const SeriesComparison& domain = out.population_weighted ? *out.population_weighted : out.domain_mean;
  const double cost_10k = plan.cost_yuan / kYuanPer10k;
  out.peak_hourly_cut_per_10k_yuan = cost_10k > 0.0 ? domain.peak_hourly.ug_m3 / cost_10k : kNaN;
  out.peak_mean24_cut_per_10k_yuan = cost_10k > 0.0 ? domain.peak_mean24.ug_m3 / cost_10k : kNaN;
  return out;
}

bool meets_floor(double achieved, double floor) noexcept {
  constexpr double kFloorTolerance = 1e-12;
  return std::isfinite(achieved) && (!std::isfinite(floor) || achieved >= floor - kFloorTolerance);
}

}  // namespace lantian
