#include "forecast/forecast_output.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "forecast/daily_product.hpp"

namespace lantian {

namespace {

/// Names the file, the column (or JSON key) and the row of a number that is refused.
[[noreturn]] void refuse(std::string_view file, std::string_view column, const std::string& row, double v) {
  const bool json = file.ends_with(".json");
  std::ostringstream m;
  m << row << ": " << v << " is not a finite number (a model result overflowed or a process is broken); "
    << "nothing is written";
  throw Error(ErrorContext{std::string(file), 0, (json ? "key " : "column ") + std::string(column)}, m.str());
}

/// The numbers of one row of an output file. A metric that is undefined by its definition
/// (metrics.hpp: no valid 24-h mean, a cut of a zero baseline, no floor, no superposition
/// error) is NaN and written empty (CSV) or null (JSON); `undefined_ok` marks those. Any
/// infinite value, and a NaN anywhere else, is refused with lantian::Error naming the file and
/// the column. The series the metrics come from are checked first (check_series), so an
/// undefined metric never hides a broken model value.
struct Row {
  std::string_view file;
  std::string what;  ///< "scenario 'plans-red', series 'city'"

  std::string num(double v, const char* fmt, std::string_view column, bool undefined_ok = false) const {
    if (!std::isfinite(v)) {
      if (undefined_ok && std::isnan(v)) return "";
      refuse(file, column, what, v);
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
  }
  nlohmann::json json(double v, std::string_view key, bool undefined_ok = false) const {
    if (!std::isfinite(v)) {
      if (undefined_ok && std::isnan(v)) return nlohmann::json(nullptr);
      refuse(file, key, what, v);
    }
    return nlohmann::json(v);
  }
};

/// Every station series of the result (baseline, each scenario and its superposition) must be
/// finite: throws naming the file, the column of scenario_series.csv, scenario, station, time.
void check_series(const ForecastResult& r, std::string_view file) {
  const std::size_t nh = r.baseline.times.size();
  auto one = [&](const std::string& scenario, const std::vector<double>& v, const char* column) {
    for (std::size_t n = 0; n < v.size(); ++n) {
      if (std::isfinite(v[n])) continue;
      const std::size_t s = nh > 0 ? n / nh : 0, h = nh > 0 ? n % nh : 0;
      std::string row = "scenario '" + scenario + "'";
      if (s < r.baseline.station_ids.size()) row += ", station '" + r.baseline.station_ids[s] + "'";
      if (h < nh) row += ", " + format_local(r.baseline.times[h], r.metrics_options.tz);
      refuse(file, column, row, v[n]);
    }
  };
  one("baseline", r.baseline_pm25, "pm25");
  for (const ScenarioOutcome& o : r.outcomes) {
    one(o.scenario.name, o.pm25, "pm25");
    one(o.scenario.name, o.superposed, "pm25_superposed");
  }
}

std::string level_name(const ForecastResult& r, int level) {
  return std::string(r.metrics_options.rules.level_name(level));
}

/// The response's end (lifted or open at the end of the forecast): scenarios.json's response_end.
nlohmann::json outlook_json(const ForecastResult& r, const ResponseOutlook& o) {
  const TimeZone& tz = r.metrics_options.tz;
  const auto at = [&](std::int64_t i) {
    return i >= 0 ? nlohmann::json(format_local(r.metrics_options.start + i, tz)) : nlohmann::json(nullptr);
  };
  const char* status = !o.any ? "none" : (o.open ? "open" : "lifted");
  nlohmann::json j = {{"status", status},
                      {"level", o.open ? nlohmann::json(level_name(r, o.level)) : nlohmann::json(nullptr)},
                      // A response in force before the forecast began then (o.start < 0).
                      {"start", o.any ? nlohmann::json(format_local(r.metrics_options.start + o.start, tz))
                                      : nlohmann::json(nullptr)},
                      {"lift_time", at(o.lift)},
                      {"duration_h", o.duration_hours},
                      {"duration_at_least", o.open},
                      {"earliest_lift", o.open ? at(o.earliest_lift) : nlohmann::json(nullptr)},
                      {"lift_threshold", o.open ? nlohmann::json(o.lift_threshold) : nlohmann::json(nullptr)},
                      {"release_hours", r.metrics_options.rules.release_hours},
                      {"text", o.text}};
  return j;
}

/// The decisions of a series with their margins (forecast/daily_product.hpp).
nlohmann::json decisions_json(const ForecastResult& r, const SeriesMetrics& m) {
  const TimeZone& tz = r.metrics_options.tz;
  const std::vector<int> block = block_aqi_from_trailing(m.daily_aqi);
  nlohmann::json dec = nlohmann::json::array();
  for (const auto& d : m.decisions) {
    const std::optional<int> margin = decision_margin(d, block, r.metrics_options.rules);
    dec.push_back({{"time", format_local(r.metrics_options.start + d.issue_index, tz)},
                   {"level", level_name(r, d.level)},
                   {"undecided_up_to", d.open_level > 0 ? nlohmann::json(level_name(r, d.open_level)) : nlohmann::json(nullptr)},
                   {"margin_aqi", margin ? nlohmann::json(*margin) : nlohmann::json(nullptr)},
                   {"reason", d.reason}});
  }
  return dec;
}

/// The day-1/2/3 table (forecast/daily_product.hpp): integer µg/m³ and AQI, as the forms print.
nlohmann::json daily_forecast_json(const ForecastResult& r) {
  const TimeZone& tz = r.metrics_options.tz;
  nlohmann::json out = nlohmann::json::array();
  for (const DailyForecast& f : daily_forecast(r)) {
    nlohmann::json days = nlohmann::json::array();
    for (const LeadDay& d : f.days) {
      const bool valid = d.aqi != kMissingIndex && std::isfinite(d.pm25);
      days.push_back({{"lead_day", d.lead},
                      {"start", format_local(r.metrics_options.start + d.first, tz)},
                      {"end", format_local(r.metrics_options.start + d.first + 24, tz)},
                      {"pm25", valid ? nlohmann::json(std::lround(d.pm25)) : nlohmann::json(nullptr)},
                      {"aqi", valid ? nlohmann::json(d.aqi) : nlohmann::json(nullptr)},
                      {"category", valid ? std::string(category_name(aqi_category(d.aqi))) : std::string()},
                      {"category_zh", valid ? std::string(category_name_zh(aqi_category(d.aqi))) : std::string()},
                      {"primary", valid && d.aqi > 50 ? "PM2.5" : ""}});
    }
    out.push_back({{"series", f.series}, {"days", days}});
  }
  return out;
}

nlohmann::json series_json(const ForecastResult& r, const SeriesComparison& c, Row at) {
  at.what += ", series '" + c.name + "'";
  const TimeZone& tz = r.metrics_options.tz;
  nlohmann::json j;
  j["name"] = c.name;
  auto one = [&](const SeriesMetrics& m, const std::string& part) {
    nlohmann::json o;
    o["peak_hourly"] = at.json(m.peak_hourly, part + ".peak_hourly", true);
    o["peak_hour"] = m.peak_hour >= 0 ? nlohmann::json(format_local(r.metrics_options.start + m.peak_hour, tz))
                                      : nlohmann::json(nullptr);
    o["peak_mean24"] = at.json(m.peak_mean24, part + ".peak_mean24", true);
    o["peak_daily_aqi"] = m.peak_daily_aqi;
    o["mean"] = at.json(m.mean, part + ".mean", true);
    o["hours_above"] = {{"150", m.hours_above[0]}, {"200", m.hours_above[1]}, {"300", m.hours_above[2]}};
    o["max_level"] = level_name(r, m.max_level);
    o["response_hours"] = m.response_hours;
    nlohmann::json tl = nlohmann::json::array();
    for (const auto& p : m.timeline)
      tl.push_back({{"level", level_name(r, p.level)},
                    {"start", format_local(r.metrics_options.start + p.start, tz)},
                    {"end", p.end >= 0 ? nlohmann::json(format_local(r.metrics_options.start + p.end, tz))
                                       : nlohmann::json(nullptr)},
                    {"began", p.began ? nlohmann::json(format_local(r.metrics_options.start + *p.began, tz))
                                      : nlohmann::json(nullptr)},
                    {"start_reason", p.start_reason},
                    {"end_reason", p.end_reason}});
    o["timeline"] = tl;
    o["decisions"] = decisions_json(r, m);
    o["response_end"] = outlook_json(r, m.outlook);
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : m.days)
      days.push_back({{"date", format_local(r.metrics_options.start + d.first, tz).substr(0, 10)},
                      {"hours", d.hours},
                      {"mean", at.json(d.mean, part + ".days.mean", true)},
                      {"aqi", d.aqi}});
    o["days"] = days;
    return o;
  };
  j["baseline"] = one(c.baseline, "baseline");
  j["scenario"] = one(c.scenario, "scenario");
  j["peak_hourly_cut"] = {{"ug_m3", at.json(c.peak_hourly.ug_m3, "peak_hourly_cut.ug_m3", true)},
                          {"percent", at.json(c.peak_hourly.percent, "peak_hourly_cut.percent", true)}};
  j["peak_mean24_cut"] = {{"ug_m3", at.json(c.peak_mean24.ug_m3, "peak_mean24_cut.ug_m3", true)},
                          {"percent", at.json(c.peak_mean24.percent, "peak_mean24_cut.percent", true)}};
  j["level_change"] = c.level_change;
  j["downgrade"] = c.downgrade_hour ? nlohmann::json({{"time", format_local(c.downgrade_time, tz)},
                                                      {"from", level_name(r, c.downgrade_from)},
                                                      {"to", level_name(r, c.downgrade_to)}})
                                    : nlohmann::json(nullptr);
  j["response_ends_sooner_hours"] = c.response_ends_sooner;
  return j;
}

}  // namespace

std::string scenarios_csv(const ForecastResult& r, std::string_view file) {
  check_series(r, file);
  std::ostringstream out;
  out << "scenario,series,level_baseline,level_scenario,peak_hourly_baseline,peak_hourly,peak_hourly_cut,"
         "peak_hourly_cut_pct,peak_mean24_baseline,peak_mean24,peak_mean24_cut_pct,peak_daily_aqi_baseline,"
         "peak_daily_aqi,hours_above_150,hours_above_200,hours_above_300,downgrade_time,downgrade_from,downgrade_to,"
         "response_ends_sooner_h,cut_SO2,cut_NOx,cut_PM,cut_VOCs,floor,floors_met,cost_10k_yuan,"
         "superposition_peak_error_pct,cost_estimate,response_at_end,lift_time,earliest_lift\n";
  static constexpr std::array<const char*, 4> kCutColumns{"cut_SO2", "cut_NOx", "cut_PM", "cut_VOCs"};
  const TimeZone& tz = r.metrics_options.tz;
  for (const ScenarioOutcome& o : r.outcomes) {
    const ScenarioMetrics& m = o.metrics;
    std::vector<const SeriesComparison*> rows;
    for (const auto& s : m.stations) rows.push_back(&s);
    rows.push_back(&m.domain_mean);
    bool met = true;
    for (const bool b : m.meets_floor) met = met && b;
    const CostEstimate ce = cost_estimate(o.scenario);
    // "open red" (no lift proved), "lifted", "none".
    const auto at_end = [&](const ResponseOutlook& x) {
      return !x.any ? std::string("none") : x.open ? "open " + level_name(r, x.level) : std::string("lifted");
    };
    for (const SeriesComparison* c : rows) {
      const bool city = c == &m.domain_mean;
      const std::string series = city ? std::string("city") : c->name;
      const Row at{file, "scenario '" + o.scenario.name + "', series '" + series + "'"};
      out << csv_text(o.scenario.name) << ',' << csv_text(series) << ','
          << csv_text(level_name(r, c->baseline.max_level)) << ',' << csv_text(level_name(r, c->scenario.max_level))
          << ',' << at.num(c->baseline.peak_hourly, "%.1f", "peak_hourly_baseline", true) << ','
          << at.num(c->scenario.peak_hourly, "%.1f", "peak_hourly", true) << ','
          << at.num(c->peak_hourly.ug_m3, "%.1f", "peak_hourly_cut", true) << ','
          << at.num(c->peak_hourly.percent, "%.1f", "peak_hourly_cut_pct", true) << ','
          << at.num(c->baseline.peak_mean24, "%.1f", "peak_mean24_baseline", true) << ','
          << at.num(c->scenario.peak_mean24, "%.1f", "peak_mean24", true) << ','
          << at.num(c->peak_mean24.percent, "%.1f", "peak_mean24_cut_pct", true) << ',' << c->baseline.peak_daily_aqi
          << ',' << c->scenario.peak_daily_aqi << ',' << c->scenario.hours_above[0] << ','
          << c->scenario.hours_above[1] << ',' << c->scenario.hours_above[2] << ','
          << (c->downgrade_hour ? format_local(c->downgrade_time, tz) : "") << ','
          << (c->downgrade_hour ? csv_text(level_name(r, c->downgrade_from)) : "") << ','
          << (c->downgrade_hour ? csv_text(level_name(r, c->downgrade_to)) : "") << ',' << c->response_ends_sooner;
      for (std::size_t k = 0; k < m.plan.achieved_cut.size(); ++k)
        out << ',' << at.num(100.0 * m.plan.achieved_cut[k], "%.1f", k < kCutColumns.size() ? kCutColumns[k] : "cut", true);
      out << ',' << at.num(100.0 * m.plan.floor[0], "%.0f", "floor", true) << ',' << (met ? "yes" : "no") << ','
          << (ce == CostEstimate::not_estimated ? std::string() : at.num(m.plan.cost_yuan / 1e4, "%.1f", "cost_10k_yuan"))
          << ','
          << (o.has_superposition_error
                  ? at.num(100.0 * o.superposition_error.max_rel, "%.2f", "superposition_peak_error_pct", true)
                  : "")
          << ',' << csv_text(std::string(cost_estimate_name(ce))) << ',' << at_end(c->scenario.outlook) << ','
          << (c->scenario.outlook.lift >= 0 ? format_local(r.metrics_options.start + c->scenario.outlook.lift, tz) : "")
          << ','
          << (c->scenario.outlook.open && c->scenario.outlook.earliest_lift >= 0
                  ? format_local(r.metrics_options.start + c->scenario.outlook.earliest_lift, tz)
                  : "")
          << '\n';
    }
  }
  return out.str();
}

std::string scenario_series_csv(const ForecastResult& r, std::string_view file) {
  check_series(r, file);
  std::ostringstream out;
  out << "scenario,time,station,pm25,pm25_superposed\n";
  const TimeZone& tz = r.metrics_options.tz;
  const std::size_t ns = r.baseline.station_ids.size(), nh = r.baseline.times.size();
  std::vector<std::string> times(nh), stations(ns);
  for (std::size_t h = 0; h < nh; ++h) times[h] = format_local(r.baseline.times[h], tz);
  for (std::size_t s = 0; s < ns; ++s) stations[s] = csv_text(r.baseline.station_ids[s]);
  const Row at{file, "station series"};  // check_series has refused any non-finite value
  auto rows = [&](const std::string& name, const std::vector<double>& v, const std::vector<double>& sup) {
    const std::string scenario = csv_text(name);
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t h = 0; h < nh; ++h)
        out << scenario << ',' << times[h] << ',' << stations[s] << ',' << at.num(v[s * nh + h], "%.6g", "pm25") << ','
            << (sup.empty() ? "" : at.num(sup[s * nh + h], "%.6g", "pm25_superposed")) << '\n';
  };
  rows("baseline", r.baseline_pm25, {});
  for (const ScenarioOutcome& o : r.outcomes) rows(o.scenario.name, o.pm25, o.superposed);
  return out.str();
}

std::string scenarios_json(const ForecastResult& r, const CaseInputs& in, std::string_view file) {
  check_series(r, file);
  const TimeZone& tz = r.metrics_options.tz;
  nlohmann::json j;
  j["case"] = in.config.name;
  j["period"] = {{"start", format_local(in.period.start(), tz)}, {"hours", in.period.size()}};
  j["stations"] = r.baseline.station_ids;
  const Row base{file, "baseline"};
  j["baseline"] = {{"city_level", level_name(r, r.city.max_level)},
                   {"city_peak_daily_aqi", r.city.peak_daily_aqi},
                   {"city_response", outlook_json(r, r.city.outlook)},
                   {"history_hours", r.history_hours},
                   {"city_decisions", decisions_json(r, r.city)},
                   {"tags", r.baseline.tags.names},
                   {"wall_s", base.json(r.baseline.wall_s, "baseline.wall_s")}};
  nlohmann::json peaks = nlohmann::json::array();
  for (const PeakSources& p : r.sources_at_peak) {
    const Row row{file, "sources_at_peak '" + p.series + "'"};
    nlohmann::json parts = nlohmann::json::array();
    for (const SourceShare& x : p.parts)
      parts.push_back({{"name", x.name},
                       {"regional", x.regional},
                       {"ug_m3", row.json(x.ug_m3, "sources_at_peak.ug_m3")},
                       {"primary_ug_m3", row.json(x.primary_ug_m3, "sources_at_peak.primary_ug_m3")},
                       {"secondary_ug_m3", row.json(x.secondary_ug_m3, "sources_at_peak.secondary_ug_m3")},
                       {"percent", row.json(x.percent, "sources_at_peak.percent", true)}});
    peaks.push_back({{"series", p.series},
                     {"start", format_local(r.metrics_options.start + p.first, tz)},
                     {"end", format_local(r.metrics_options.start + p.last + 1, tz)},
                     {"hours", p.last - p.first + 1},
                     {"total_ug_m3", row.json(p.total_ug_m3, "sources_at_peak.total_ug_m3")},
                     {"unattributed_ug_m3", row.json(p.unattributed_ug_m3, "sources_at_peak.unattributed_ug_m3")},
                     {"parts", parts}});
  }
  j["sources_at_peak"] = peaks;
  // Day 1/2/3 per station and the city (primary pollutant: PM2.5, the only one forecast; none
  // when the AQI is 50 or less, HJ 633).
  j["daily_forecast"] = daily_forecast_json(r);
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : r.windows)
    windows.push_back({{"level", std::string(response_level_name(w.level))},
                       {"start", format_local(w.start, tz)},
                       {"end", format_local(w.end, tz)}});
  j["response_windows"] = windows;
  j["lead_hours"] = r.scenarios.settings.lead_hours;
  // The state the forecast starts from ([response] in_force, [[response.imposed]]).
  nlohmann::json imposed = nlohmann::json::array();
  for (const ImposedResponse& p : r.scenarios.imposed)
    imposed.push_back({{"level", std::string(response_level_name(p.level))},
                       {"start", format_local(p.start, tz)},
                       {"end", format_local(p.end, tz)}});
  j["response_state"] = {
      {"in_force", r.scenarios.in_force ? nlohmann::json{{"level", std::string(response_level_name(r.scenarios.in_force->level))},
                                                         {"since", format_local(r.scenarios.in_force->since, tz)}}
                                        : nlohmann::json(nullptr)},
      {"imposed", imposed}};
  nlohmann::json scs = nlohmann::json::array();
  for (const ScenarioOutcome& o : r.outcomes) {
    const Row at{file, "scenario '" + o.scenario.name + "'"};
    nlohmann::json s;
    s["name"] = o.scenario.name;
    s["description"] = o.scenario.description;
    s["level"] = std::string(response_level_name(o.scenario.level));
    s["regional_cut"] = o.scenario.regional_cut;  // of the inflow, while the measures act
    nlohmann::json cuts;
    for (const auto p : emissions::kAllEmittedPollutants) {
      const std::string key = "emission_cuts." + std::string(emissions::pollutant_name(p));
      const std::size_t n = emissions::index(p);
      cuts[std::string(emissions::pollutant_name(p))] = {
          {"removed_t", at.json(o.account.removed[n], key + ".removed_t")},
          {"society_t", at.json(o.account.society[n], key + ".society_t")},
          {"achieved", at.json(o.account.achieved[n], key + ".achieved", true)},
          {"floor", at.json(o.account.floor[n], key + ".floor", true)},
          {"meets_floor", static_cast<bool>(o.account.meets_floor[n])}};
    }
    s["emission_cuts"] = cuts;
    s["active_hours"] = o.account.active_hours;
    const CostEstimate ce = cost_estimate(o.scenario);
    s["cost_yuan"] = ce == CostEstimate::not_estimated ? nlohmann::json(nullptr) : at.json(o.account.cost, "cost_yuan");
    s["cost_estimate"] = std::string(cost_estimate_name(ce));
    s["peak_hourly_cut_per_10k_yuan"] =
        at.json(o.metrics.peak_hourly_cut_per_10k_yuan, "peak_hourly_cut_per_10k_yuan", true);
    nlohmann::json st = nlohmann::json::array();
    for (const auto& c : o.metrics.stations) st.push_back(series_json(r, c, at));
    s["stations"] = st;
    s["city"] = series_json(r, o.metrics.domain_mean, at);
    if (o.has_superposition_error)
      s["superposition_error"] = {
          {"max_abs_ug_m3", at.json(o.superposition_error.max_abs, "superposition_error.max_abs_ug_m3")},
          {"max_rel", at.json(o.superposition_error.max_rel, "superposition_error.max_rel", true)},
          {"max_abs_hourly_ug_m3",
           at.json(o.superposition_error.max_abs_hourly, "superposition_error.max_abs_hourly_ug_m3")}};
    s["rerun_wall_s"] = at.json(o.wall_s, "rerun_wall_s");
    scs.push_back(s);
  }
  j["scenarios"] = scs;
  // The options' order by the city's peak 24-h mean, and whether the instant what-ifs keep it.
  const OptionRanking rank = option_ranking(r);
  nlohmann::json order = nlohmann::json::array(), swapped = nlohmann::json::array();
  const Row rk{file, "ranking"};
  for (const RankedOption& x : rank.order)
    order.push_back({{"name", x.name},
                     {"peak_mean24", rk.json(x.peak_mean24, "ranking.peak_mean24", true)},
                     {"superposed_peak_mean24", rk.json(x.superposed_peak_mean24, "ranking.superposed_peak_mean24", true)}});
  for (const auto& [a, b] : rank.swapped) swapped.push_back({a, b});
  j["ranking"] = {{"metric", "city peak 24-h mean PM2.5 (ug/m3), lowest first"},
                  {"order", order},
                  {"superposed_same_order", rank.superposed_same_order ? nlohmann::json(*rank.superposed_same_order)
                                                                       : nlohmann::json(nullptr)},
                  {"swapped_by_superposition", swapped},
                  {"checked", rank.superposed_same_order.has_value()
                                  ? "every option re-run and superposed: the instant ranking is checked"
                                  : "not checked: the options were not all re-run (run without --no-reruns to check)"}};
  j["superposition_wall_s"] = Row{file, "forecast"}.json(r.superposition_s, "superposition_wall_s");
  return j.dump(2) + "\n";
}

}  // namespace lantian
