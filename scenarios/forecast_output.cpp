#include "scenarios/forecast_output.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace lantian {

namespace {

std::string num(double v, const char* fmt = "%.6g") {
  if (!std::isfinite(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string level_name(const ForecastResult& r, int level) {
  return std::string(r.metrics_options.rules.level_name(level));
}

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json series_json(const ForecastResult& r, const SeriesComparison& c) {
  const TimeZone& tz = r.metrics_options.tz;
  nlohmann::json j;
  j["name"] = c.name;
  auto one = [&](const SeriesMetrics& m) {
    nlohmann::json o;
    o["peak_hourly"] = json_number(m.peak_hourly);
    o["peak_hour"] = m.peak_hour >= 0 ? nlohmann::json(format_local(r.metrics_options.start + m.peak_hour, tz))
                                      : nlohmann::json(nullptr);
    o["peak_mean24"] = json_number(m.peak_mean24);
    o["peak_daily_aqi"] = m.peak_daily_aqi;
    o["mean"] = json_number(m.mean);
    o["hours_above"] = {{"150", m.hours_above[0]}, {"200", m.hours_above[1]}, {"300", m.hours_above[2]}};
    o["max_level"] = level_name(r, m.max_level);
    o["response_hours"] = m.response_hours;
    nlohmann::json tl = nlohmann::json::array();
    for (const auto& p : m.timeline)
      tl.push_back({{"level", level_name(r, p.level)},
                    {"start", format_local(r.metrics_options.start + p.start, tz)},
                    {"end", p.end >= 0 ? nlohmann::json(format_local(r.metrics_options.start + p.end, tz))
                                       : nlohmann::json(nullptr)},
                    {"start_reason", p.start_reason},
                    {"end_reason", p.end_reason}});
    o["timeline"] = tl;
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : m.days)
      days.push_back({{"date", format_local(r.metrics_options.start + d.first, tz).substr(0, 10)},
                      {"hours", d.hours},
                      {"mean", json_number(d.mean)},
                      {"aqi", d.aqi}});
    o["days"] = days;
    return o;
  };
  j["baseline"] = one(c.baseline);
  j["scenario"] = one(c.scenario);
  j["peak_hourly_cut"] = {{"ug_m3", json_number(c.peak_hourly.ug_m3)}, {"percent", json_number(c.peak_hourly.percent)}};
  j["peak_mean24_cut"] = {{"ug_m3", json_number(c.peak_mean24.ug_m3)}, {"percent", json_number(c.peak_mean24.percent)}};
  j["level_change"] = c.level_change;
  j["downgrade"] = c.downgrade_hour ? nlohmann::json({{"time", format_local(c.downgrade_time, tz)},
                                                      {"from", level_name(r, c.downgrade_from)},
                                                      {"to", level_name(r, c.downgrade_to)}})
                                    : nlohmann::json(nullptr);
  j["response_ends_sooner_hours"] = c.response_ends_sooner;
  return j;
}

}  // namespace

std::string scenarios_csv(const ForecastResult& r) {
  std::ostringstream out;
  out << "scenario,series,level_baseline,level_scenario,peak_hourly_baseline,peak_hourly,peak_hourly_cut,"
         "peak_hourly_cut_pct,peak_mean24_baseline,peak_mean24,peak_mean24_cut_pct,peak_daily_aqi_baseline,"
         "peak_daily_aqi,hours_above_150,hours_above_200,hours_above_300,downgrade_time,downgrade_from,downgrade_to,"
         "response_ends_sooner_h,cut_SO2,cut_NOx,cut_PM,cut_VOCs,floor,floors_met,cost_10k_yuan,"
         "superposition_peak_error_pct\n";
  const TimeZone& tz = r.metrics_options.tz;
  for (const ScenarioOutcome& o : r.outcomes) {
    const ScenarioMetrics& m = o.metrics;
    std::vector<const SeriesComparison*> rows;
    for (const auto& s : m.stations) rows.push_back(&s);
    rows.push_back(&m.domain_mean);
    bool met = true;
    for (const bool b : m.meets_floor) met = met && b;
    for (const SeriesComparison* c : rows) {
      const bool city = c == &m.domain_mean;
      out << field(o.scenario.name) << ',' << field(city ? std::string("city") : c->name) << ','
          << level_name(r, c->baseline.max_level) << ',' << level_name(r, c->scenario.max_level) << ','
          << num(c->baseline.peak_hourly, "%.1f") << ',' << num(c->scenario.peak_hourly, "%.1f") << ','
          << num(c->peak_hourly.ug_m3, "%.1f") << ',' << num(c->peak_hourly.percent, "%.1f") << ','
          << num(c->baseline.peak_mean24, "%.1f") << ',' << num(c->scenario.peak_mean24, "%.1f") << ','
          << num(c->peak_mean24.percent, "%.1f") << ',' << c->baseline.peak_daily_aqi << ','
          << c->scenario.peak_daily_aqi << ',' << c->scenario.hours_above[0] << ',' << c->scenario.hours_above[1] << ','
          << c->scenario.hours_above[2] << ',' << (c->downgrade_hour ? format_local(c->downgrade_time, tz) : "") << ','
          << (c->downgrade_hour ? level_name(r, c->downgrade_from) : "") << ','
          << (c->downgrade_hour ? level_name(r, c->downgrade_to) : "") << ',' << c->response_ends_sooner;
      for (std::size_t k = 0; k < m.plan.achieved_cut.size(); ++k) out << ',' << num(100.0 * m.plan.achieved_cut[k], "%.1f");
      out << ',' << num(100.0 * m.plan.floor[0], "%.0f") << ',' << (met ? "yes" : "no") << ','
          << num(m.plan.cost_yuan / 1e4, "%.1f") << ','
          << (o.has_superposition_error ? num(100.0 * o.superposition_error.max_rel, "%.2f") : "") << '\n';
    }
  }
  return out.str();
}

std::string scenario_series_csv(const ForecastResult& r) {
  std::ostringstream out;
  out << "scenario,time,station,pm25,pm25_superposed\n";
  const TimeZone& tz = r.metrics_options.tz;
  const std::size_t ns = r.baseline.station_ids.size(), nh = r.baseline.times.size();
  auto rows = [&](const std::string& name, const std::vector<double>& v, const std::vector<double>& sup) {
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t h = 0; h < nh; ++h)
        out << field(name) << ',' << format_local(r.baseline.times[h], tz) << ',' << field(r.baseline.station_ids[s])
            << ',' << num(v[s * nh + h]) << ',' << (sup.empty() ? "" : num(sup[s * nh + h])) << '\n';
  };
  rows("baseline", r.baseline_pm25, {});
  for (const ScenarioOutcome& o : r.outcomes) rows(o.scenario.name, o.pm25, o.superposed);
  return out.str();
}

std::string scenarios_json(const ForecastResult& r, const CaseInputs& in) {
  const TimeZone& tz = r.metrics_options.tz;
  nlohmann::json j;
  j["case"] = in.config.name;
  j["period"] = {{"start", format_local(in.period.start(), tz)}, {"hours", in.period.size()}};
  j["stations"] = r.baseline.station_ids;
  j["baseline"] = {{"city_level", level_name(r, r.city.max_level)},
                   {"city_peak_daily_aqi", r.city.peak_daily_aqi},
                   {"tags", r.baseline.tags.names},
                   {"wall_s", r.baseline.wall_s}};
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : r.windows)
    windows.push_back({{"level", std::string(response_level_name(w.level))},
                       {"start", format_local(w.start, tz)},
                       {"end", format_local(w.end, tz)}});
  j["response_windows"] = windows;
  j["lead_hours"] = r.scenarios.settings.lead_hours;
  nlohmann::json scs = nlohmann::json::array();
  for (const ScenarioOutcome& o : r.outcomes) {
    nlohmann::json s;
    s["name"] = o.scenario.name;
    s["description"] = o.scenario.description;
    s["level"] = std::string(response_level_name(o.scenario.level));
    nlohmann::json cuts;
    for (const auto p : emissions::kAllEmittedPollutants)
      cuts[std::string(emissions::pollutant_name(p))] = {
          {"removed_t", o.account.removed[emissions::index(p)]},
          {"society_t", o.account.society[emissions::index(p)]},
          {"achieved", o.account.achieved[emissions::index(p)]},
          {"floor", o.account.floor[emissions::index(p)]},
          {"meets_floor", static_cast<bool>(o.account.meets_floor[emissions::index(p)])}};
    s["emission_cuts"] = cuts;
    s["active_hours"] = o.account.active_hours;
    s["cost_yuan"] = o.account.cost;
    s["peak_hourly_cut_per_10k_yuan"] = json_number(o.metrics.peak_hourly_cut_per_10k_yuan);
    nlohmann::json st = nlohmann::json::array();
    for (const auto& c : o.metrics.stations) st.push_back(series_json(r, c));
    s["stations"] = st;
    s["city"] = series_json(r, o.metrics.domain_mean);
    if (o.has_superposition_error)
      s["superposition_error"] = {{"max_abs_ug_m3", o.superposition_error.max_abs},
                                  {"max_rel", json_number(o.superposition_error.max_rel)},
                                  {"max_abs_hourly_ug_m3", o.superposition_error.max_abs_hourly}};
    s["rerun_wall_s"] = o.wall_s;
    scs.push_back(s);
  }
  j["scenarios"] = scs;
  j["superposition_wall_s"] = r.superposition_s;
  return j.dump(2) + "\n";
}

}  // namespace lantian
