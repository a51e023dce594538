#include "forecast/report_model.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "scenarios/aqi.hpp"
#include "solver/boundary.hpp"
#include "scenarios/observations.hpp"
#include "forecast/case_check.hpp"
#include "forecast/forecast.hpp"
#include "forecast/plume_screening.hpp"
#include "forecast/report_forms.hpp"
#include "forecast/report_html.hpp"
#include "forecast/screening_output.hpp"

namespace lantian {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr double kPatrolInner = 1000.0;  ///< DOMAIN.md §7: key area within 1 km, patrolled daily
constexpr double kPatrolOuter = 3000.0;  ///< and 1-3 km

json num(double v) { return std::isfinite(v) ? json(std::round(v * 1000.0) / 1000.0) : json(nullptr); }

std::string require_file(const fs::path& dir, const char* name) {
  const fs::path p = dir / name;
  LANTIAN_CHECK(fs::is_regular_file(p), (ErrorContext{p.string(), 0, ""}),
                std::string("expected the file ") + name + " of a `lantian run` folder, found none");
  return p.string();
}

/// scenario_series.csv: series[scenario][station] hourly PM2.5 and the times, in file order.
struct SeriesFile {
  std::vector<std::string> scenarios, times;
  std::map<std::string, std::map<std::string, std::vector<double>>> pm25;
};

SeriesFile read_series(const std::string& path) {
  CsvFile f(path);
  const int c_sc = f.column("scenario"), c_t = f.column("time"), c_st = f.column("station"), c_v = f.column("pm25");
  LANTIAN_CHECK(c_sc >= 0 && c_t >= 0 && c_st >= 0 && c_v >= 0, (ErrorContext{path, f.header_line(), ""}),
                "expected the columns scenario,time,station,pm25");
  SeriesFile s;
  std::string first_station;
  while (f.next()) {
    const std::string sc(f.field(c_sc)), st(f.field(c_st));
    if (std::find(s.scenarios.begin(), s.scenarios.end(), sc) == s.scenarios.end()) s.scenarios.push_back(sc);
    if (first_station.empty()) first_station = st;
    if (sc == s.scenarios.front() && st == first_station) s.times.emplace_back(f.field(c_t));
    s.pm25[sc][st].push_back(f.number(c_v, "PM2.5 in ug/m3", std::numeric_limits<double>::quiet_NaN()));
  }
  return s;
}

json read_table(const std::string& path) {
  CsvFile f(path, CsvOptions{false, true, "a header line"});
  json rows = json::array();
  const std::size_t nc = f.columns().size();
  while (f.next()) {
    json row = json::array();
    for (std::size_t c = 0; c < nc; ++c) row.push_back(std::string(f.field(static_cast<int>(c))));
    rows.push_back(row);
  }
  return {{"columns", f.columns()}, {"rows", rows}};
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw Error(ErrorContext{path, 0, ""}, std::string("expected JSON, ") + e.what());
  }
}

/// The surface PM2.5 map at the hour of its domain maximum.
json read_map(const std::string& path, const TimeZone& tz) {
  NetcdfFile nc(path);
  const auto v = nc.var("PM25_sfc");
  LANTIAN_CHECK(v.has_value(), (ErrorContext{path, 0, "PM25_sfc"}), "expected the variable PM25_sfc(time,y,x)");
  const auto d = nc.dims(*v);
  LANTIAN_CHECK(d.size() == 3, (ErrorContext{path, 0, "PM25_sfc"}), "expected 3 dimensions (time,y,x)");
  const std::size_t nt = nc.dim_len(d[0]), ny = nc.dim_len(d[1]), nx = nc.dim_len(d[2]);
  std::size_t best_t = 0;
  double best = -1.0;
  for (std::size_t t = 0; t < nt; ++t) {
    const auto slab = nc.read(*v, {t, 0, 0}, {1, ny, nx});
    for (const double c : slab)
      if (std::isfinite(c) && c > best) best = c, best_t = t;
  }
  const auto values = nc.read(*v, {best_t, 0, 0}, {1, ny, nx});
  json j;
  j["nx"] = nx;
  j["ny"] = ny;
  j["max"] = num(best);
  json vals = json::array();
  for (const double c : values) vals.push_back(std::isfinite(c) ? json(std::round(c * 10.0) / 10.0) : json(nullptr));
  j["values"] = vals;
  if (nc.var("time")) {
    // The hour-beginning label of the record (as the series charts): the hour ending at its
    // instant, also for a fields.nc written before issue 12 (which labelled the instant).
    const std::vector<UtcHour> instants = solver::record_instants(nc, path);
    if (best_t < instants.size()) j["time"] = format_local(instants[best_t] - 1, tz);
  }
  return j;
}

/// Contributions of every enterprise and line per station, from the screening run here.
/// `blocks`: [station..., city] UTC [start, end) of each peak 24-h block (empty: none known).
void screen_here(const CaseInputs& in, ScreeningTable& ent, ScreeningTable& lines,
                 const std::vector<std::pair<UtcHour, UtcHour>>& blocks) {
  PlumeScreeningOptions opt;
  if (in.config.meteo.z0) opt.z0 = *in.config.meteo.z0;
  const PlumeScreening s = run_plume_screening(in, opt);
  const std::size_t nh = s.times.size(), ns = s.n_stations;
  const bool windows = blocks.size() == ns + 1 && nh > 0;
  auto table = [&](const std::vector<double>& v, std::size_t ni, ScreeningTable& t) {
    t.n_stations = ns;
    t.n_items = ni;
    t.mean.assign(ns * ni, 0.0);
    t.peak.assign(ns * ni, 0.0);
    for (std::size_t h = 0; h < nh; ++h)
      for (std::size_t r = 0; r < ns; ++r)
        for (std::size_t i = 0; i < ni; ++i) {
          const double c = v[(h * ns + r) * ni + i];
          t.mean[r * ni + i] += c / static_cast<double>(nh);
          t.peak[r * ni + i] = std::max(t.peak[r * ni + i], c);
        }
    if (!windows) return;
    t.window_mean.assign((ns + 1) * ni, 0.0);
    for (std::size_t b = 0; b <= ns; ++b) {
      const auto a = std::max<std::int64_t>(0, blocks[b].first - s.times.front());
      const auto e = std::min<std::int64_t>(static_cast<std::int64_t>(nh), blocks[b].second - s.times.front());
      if (e <= a) continue;
      for (std::int64_t h = a; h < e; ++h)
        for (std::size_t r = 0; r < ns; ++r) {
          if (b < ns && r != b) continue;  // a station's own block; the city: every station
          const double w = 1.0 / static_cast<double>((e - a) * static_cast<std::int64_t>(b < ns ? 1 : ns));
          for (std::size_t i = 0; i < ni; ++i)
            t.window_mean[b * ni + i] += w * v[(static_cast<std::size_t>(h) * ns + r) * ni + i];
        }
    }
  };
  table(s.enterprise_contributions(in.inventory, emissions::EmittedPollutant::pm25, ns), in.inventory.enterprises.size(), ent);
  table(s.line_contributions(in.inventory, emissions::EmittedPollutant::pm25, ns), in.inventory.lines.size(), lines);
}

/// The same from a `lantian screen` folder (enterprises.csv, lines.csv; rows absent = 0), read
/// by the column names its writer uses (forecast/screening_output.hpp).
void screen_from_folder(const CaseInputs& in, const fs::path& dir, ScreeningTable& ent, ScreeningTable& lines) {
  namespace col = screening_csv;
  const auto& stations = in.config.stations;
  const std::size_t ns = stations.size();
  auto station_index = [&](const CsvFile& f, int c) {
    const std::string id(f.field(c));
    for (std::size_t s = 0; s < ns; ++s)
      if (stations[s].id == id) return s;
    f.fail(c, "expected a station of the case, found '" + id + "'");
  };
  auto fill = [&](std::string_view name, std::size_t ni, ScreeningTable& t, auto&& item) {
    t.n_stations = ns;
    t.n_items = ni;
    t.mean.assign(ns * ni, 0.0);
    t.peak.assign(ns * ni, 0.0);
    CsvFile f((dir / name).string());
    const int c_st = f.column(col::kStation), c_m = f.column(col::kMean), c_p = f.column(col::kPeak);
    LANTIAN_CHECK(c_st >= 0 && c_m >= 0 && c_p >= 0, (ErrorContext{f.source(), f.header_line(), ""}),
                  "expected the columns " + std::string(col::kStation) + "," + std::string(col::kMean) + "," +
                      std::string(col::kPeak) + " of `lantian screen`");
    while (f.next()) {
      const std::size_t s = station_index(f, c_st), i = item(f);
      t.mean[s * ni + i] = f.number(c_m, "a contribution in ug/m3");
      t.peak[s * ni + i] = f.number(c_p, "a contribution in ug/m3");
    }
  };
  const auto& inv = in.inventory;
  fill(col::kEnterprisesFile, inv.enterprises.size(), ent, [&](const CsvFile& f) {
    const int c = f.column(col::kEnterprise);
    const auto e = inv.find_enterprise(f.field(c));
    if (!e) f.fail(c, "expected an enterprise of the case's inventory, found '" + std::string(f.field(c)) + "'");
    return *e;
  });
  fill(col::kLinesFile, inv.lines.size(), lines, [&](const CsvFile& f) {
    const int ce = f.column(col::kEnterprise), cl = f.column(col::kLine);
    for (std::size_t l = 0; l < inv.lines.size(); ++l)
      if (inv.lines[l].id == f.field(cl) && inv.enterprises[inv.lines[l].enterprise].id == f.field(ce)) return l;
    f.fail(cl, "expected a production line of the case's inventory, found '" + std::string(f.field(cl)) + "'");
  });
}

/// City value of each item: mean over the stations of its period mean, and its largest peak.
std::vector<std::pair<double, double>> city_values(const ScreeningTable& t) {
  std::vector<std::pair<double, double>> v(t.n_items, {0.0, 0.0});
  for (std::size_t s = 0; s < t.n_stations; ++s)
    for (std::size_t i = 0; i < t.n_items; ++i) {
      v[i].first += t.mean[s * t.n_items + i] / static_cast<double>(std::max<std::size_t>(t.n_stations, 1));
      v[i].second = std::max(v[i].second, t.peak[s * t.n_items + i]);
    }
  return v;
}

/// Rows by mean, each with its share of `pm25` (the city's mean PM2.5 of the baseline, µg/m³):
/// a share of PM2.5, not of the items ranked (issue 13).
json ranked(json rows, double pm25) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const json& a, const json& b) { return a["mean"].get<double>() > b["mean"].get<double>(); });
  const double total = pm25;
  json out = json::array();
  int rank = 0;
  for (auto& r : rows) {
    if (r["mean"].get<double>() <= 0.0) break;
    r["rank"] = ++rank;
    r["share_pct"] = total > 0.0 ? num(100.0 * r["mean"].get<double>() / total) : json(nullptr);
    r["mean"] = num(r["mean"].get<double>());
    if (r.contains("peak")) r["peak"] = num(r["peak"].get<double>());
    out.push_back(r);
  }
  return out;
}

json grouped(const emissions::Inventory& inv, const std::vector<std::pair<double, double>>& ent,
             std::string emissions::Enterprise::*key, double pm25) {
  std::map<std::string, double> sum;
  for (std::size_t e = 0; e < ent.size(); ++e) sum[inv.enterprises[e].*key] += ent[e].first;
  json rows = json::array();
  for (const auto& [k, m] : sum) rows.push_back({{"key", k}, {"name", k.empty() ? std::string("未指定 unassigned") : k}, {"mean", m}});
  return ranked(rows, pm25);
}

int level_rank(const std::string& level) {
  static const std::vector<std::string> order{"none", "yellow", "orange", "red"};
  const auto it = std::find(order.begin(), order.end(), level);
  return it == order.end() ? -1 : static_cast<int>(it - order.begin());
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity(), sum = 0.0;
  std::size_t n = 0;
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v), hi = std::max(hi, v), sum += v, ++n;
  }
  /// Whole numbers, as the forms print AQI and µg/m³ (seed 004: "AQI 297", never "297.005").
  json to_json() const {
    if (n == 0) return nullptr;
    return {{"min", std::lround(lo)}, {"max", std::lround(hi)}, {"mean", std::lround(sum / static_cast<double>(n))}};
  }
};

/// The observed PM2.5 of the 23 hours before the report's first hour, per case station that has
/// any (forecast/forecast.hpp kHistoryHours): joined before every series for its trailing daily
/// AQI, as the run's metrics are (scenarios/metrics.hpp). Empty without observations.
std::map<std::string, std::vector<double>> observed_history(const CaseInputs& in, const std::vector<std::string>& times) {
  std::map<std::string, std::vector<double>> out;
  if (in.config.paths.observations.empty() || times.empty()) return out;
  const TimeZone tz = in.period.zone();
  const auto observations = read_observations_csv(in.config.paths.observations, tz);
  std::vector<std::string> ids;
  for (const StationConfig& st : in.config.stations) ids.push_back(st.id);
  const std::vector<double> pm =
      observed_pm25(observations, ids, parse_time(times.front(), tz) - static_cast<UtcHour>(kHistoryHours), kHistoryHours);
  for (std::size_t s = 0; s < ids.size(); ++s)
    out[ids[s]] = std::vector<double>(pm.begin() + static_cast<std::ptrdiff_t>(s * kHistoryHours),
                                      pm.begin() + static_cast<std::ptrdiff_t>((s + 1) * kHistoryHours));
  return out;
}

/// The observed PM2.5 of each case station at the report's hours (hour-beginning local times,
/// the convention of the observations and scenario_series.csv) and its trailing daily AQI, which
/// starts from the 23 hours before the period so that it is valid from the first hour: {station:
/// {pm25 [..], aqi24 [..]}}, null where missing; {} when the case has no observations file.
json observed_json(const CaseInputs& in, const std::vector<std::string>& times) {
  json out = json::object();
  if (in.config.paths.observations.empty() || times.empty()) return out;
  const TimeZone tz = in.period.zone();
  const auto observations = read_observations_csv(in.config.paths.observations, tz);
  const UtcHour t0 = parse_time(times.front(), tz);
  constexpr int kHistory = 23;
  for (const StationConfig& st : in.config.stations) {
    const auto o = std::find_if(observations.begin(), observations.end(),
                                [&](const StationObservations& x) { return x.station == st.id; });
    if (o == observations.end() || !o->present[static_cast<std::size_t>(Pollutant::PM25)]) continue;
    const auto& c = o->conc[static_cast<std::size_t>(Pollutant::PM25)];
    std::vector<double> pm(times.size() + kHistory, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t h = 0; h < pm.size(); ++h) {
      const UtcHour t = t0 - kHistory + static_cast<UtcHour>(h);
      if (t >= o->start && t < o->end()) pm[h] = c[static_cast<std::size_t>(t - o->start)];
    }
    const auto aqi = rolling_daily_aqi(pm);
    json p = json::array(), a = json::array();
    for (std::size_t h = kHistory; h < pm.size(); ++h) {
      p.push_back(num(pm[h]));
      a.push_back(aqi[h] == kMissingIndex ? json(nullptr) : json(aqi[h]));
    }
    out[st.id] = {{"pm25", p}, {"aqi24", a}};
  }
  return out;
}

}  // namespace

std::vector<int> rolling_daily_aqi(const std::vector<double>& pm25) {
  StationSeries s;
  s.hours = pm25.size();
  s.conc[static_cast<int>(Pollutant::PM25)] = std::span<const double>(pm25);
  const auto daily = daily_aqi_trailing(s);
  std::vector<int> out(daily.size());
  for (std::size_t h = 0; h < daily.size(); ++h) out[h] = daily[h].aqi;
  return out;
}

std::vector<double> enterprise_distances(const emissions::Inventory& inventory, XY point) {
  std::vector<double> d;
  d.reserve(inventory.enterprises.size());
  for (const auto& e : inventory.enterprises) d.push_back(std::hypot(e.location.x - point.x, e.location.y - point.y));
  return d;
}

std::string report_model_json(const CaseInputs& in, const ReportOptions& opt) {
  const fs::path dir(opt.run_dir);
  const TimeZone& tz = in.period.zone();
  const auto& inv = in.inventory;
  const json sc_json = read_json(require_file(dir, "scenarios.json"));
  const SeriesFile series = read_series(require_file(dir, "scenario_series.csv"));
  const json comparison = read_table(require_file(dir, "scenarios.csv"));

  json m;
  m["schema"] = 1;
  m["case"] = in.config.name;
  m["time_zone"] = tz.name();
  m["period"] = {{"start", format_local(in.period.start(), tz)}, {"hours", in.period.size()}};
  m["generated_from"] = opt.run_label.empty() ? dir.string() : opt.run_label;
  m["times"] = series.times;
  m["thresholds"] = {150, 200, 300};

  // Stations, in the case's order, with their grid position.
  json stations = json::array();
  std::vector<XY> station_xy;
  for (const auto& s : in.config.stations) {
    const XY p = in.grid.project(s.lon, s.lat);
    station_xy.push_back(p);
    stations.push_back({{"id", s.id}, {"name", s.name}, {"kind", s.kind}, {"lon", s.lon}, {"lat", s.lat},
                        {"x", num(p.x)}, {"y", num(p.y)}});
  }
  m["stations"] = stations;

  // Scenario list and the series with their rolling daily AQI (the engine's HJ 633).
  json scen = json::array();
  scen.push_back({{"name", "baseline"}, {"description", ""}, {"level", ""}});
  for (const auto& s : sc_json.at("scenarios"))
    scen.push_back({{"name", s.at("name")}, {"description", s.value("description", "")}, {"level", s.value("level", "")}});
  m["scenarios"] = scen;
  json sj = json::object();
  // City-wide ranges over the hours of the response (all hours when there is none) for the forms.
  const auto& windows = sc_json.at("response_windows");
  const std::string w_start = windows.empty() ? series.times.front() : windows.front().at("start").get<std::string>();
  const std::string w_end = windows.empty() ? series.times.back() : windows.back().at("end").get<std::string>();
  Range aqi_range, pm_range;
  int peak_aqi = -1;
  std::string peak_aqi_time, peak_aqi_station;
  int stations_above_200 = 0;
  const auto history = observed_history(in, series.times);
  double baseline_sum = 0.0;
  std::size_t baseline_n = 0;
  for (const auto& [name, by_station] : series.pm25) {
    json o = json::object();
    for (const auto& [station, pm] : by_station) {
      // The trailing daily AQI with the observed history joined before (valid from hour 0).
      std::vector<double> joined;
      if (const auto hist = history.find(station); hist != history.end()) joined = hist->second;
      const std::size_t nh = joined.size();
      joined.insert(joined.end(), pm.begin(), pm.end());
      const auto joined_aqi = rolling_daily_aqi(joined);
      const std::vector<int> aqi(joined_aqi.begin() + static_cast<std::ptrdiff_t>(nh), joined_aqi.end());
      if (name == "baseline")
        for (const double v : pm)
          if (std::isfinite(v)) baseline_sum += v, ++baseline_n;
      json a = json::array(), p = json::array();
      bool above = false;
      for (std::size_t h = 0; h < pm.size(); ++h) {
        p.push_back(num(pm[h]));
        a.push_back(aqi[h] == kMissingIndex ? json(nullptr) : json(aqi[h]));
        if (name != "baseline" || h >= series.times.size()) continue;
        const std::string& t = series.times[h];
        above = above || aqi[h] > 200;
        if (aqi[h] > peak_aqi) peak_aqi = aqi[h], peak_aqi_time = t, peak_aqi_station = station;
        if (t < w_start || t >= w_end) continue;  // same offset throughout: text order is time order
        pm_range.add(pm[h]);
        if (aqi[h] != kMissingIndex) aqi_range.add(aqi[h]);
      }
      if (name == "baseline" && above) ++stations_above_200;
      o[station] = {{"pm25", p}, {"aqi24", a}};
    }
    sj[name] = o;
  }
  m["series"] = sj;
  m["observed"] = observed_json(in, series.times);
  m["comparison"] = comparison;

  // Map: the baseline field; an option's only where its own field was written.
  json map = {{"available", false}, {"x0", in.grid.x0()}, {"y0", in.grid.y0()}, {"dx", in.grid.dx()}, {"dy", in.grid.dy()}};
  if (fs::is_regular_file(dir / "fields.nc")) {
    map.update(read_map((dir / "fields.nc").string(), tz));
    map["available"] = true;
    map["shown"] = "baseline";
  }
  if (!opt.option.empty()) {
    const fs::path f = dir / ("fields_" + opt.option + ".nc");
    if (fs::is_regular_file(f)) {
      map["option"] = read_map(f.string(), tz);
      map["option"]["name"] = opt.option;
      map["option_note"] = "shown";
    } else {
      map["option_note"] = "missing";
      map["option_requested"] = opt.option;
    }
  } else {
    map["option_note"] = "none";
  }
  m["map"] = map;

  // Enterprises and the contribution rankings.
  json ents = json::array();
  for (const auto& e : inv.enterprises)
    ents.push_back({{"id", e.id}, {"name", e.name}, {"industry", e.industry}, {"district", e.district},
                    {"category", e.category}, {"department", e.department}, {"x", num(e.location.x)}, {"y", num(e.location.y)}});
  m["enterprises"] = ents;
  ScreeningTable ent_t, line_t;
  // The peak 24-h block of each station and of the city (sources_at_peak), for the top
  // enterprises there.
  const std::size_t n_st = in.config.stations.size();
  std::vector<std::pair<UtcHour, UtcHour>> blocks(n_st + 1, {0, 0});  // [0, 0): none given
  for (const auto& p : sc_json.value("sources_at_peak", json::array())) {
    std::size_t b = n_st;  // "city"
    for (std::size_t k = 0; k < n_st; ++k)
      if (in.config.stations[k].id == p.value("series", "")) b = k;
    if (b == n_st && p.value("series", "") != "city") continue;
    blocks[b] = {parse_time(p.at("start").get<std::string>(), tz), parse_time(p.at("end").get<std::string>(), tz)};
  }
  if (opt.screen_dir.empty())
    screen_here(in, ent_t, line_t, blocks);
  else
    screen_from_folder(in, opt.screen_dir, ent_t, line_t);
  const auto ent_city = city_values(ent_t), line_city = city_values(line_t);
  json r_ent = json::array(), r_line = json::array();
  for (std::size_t e = 0; e < inv.enterprises.size(); ++e) {
    const auto& x = inv.enterprises[e];
    r_ent.push_back({{"key", x.id}, {"name", x.name}, {"district", x.district}, {"industry", x.industry},
                     {"department", x.department}, {"mean", ent_city[e].first}, {"peak", ent_city[e].second}});
  }
  for (std::size_t l = 0; l < inv.lines.size(); ++l) {
    const auto& x = inv.lines[l];
    const auto& e = inv.enterprises[x.enterprise];
    r_line.push_back({{"key", e.id + "/" + x.id}, {"name", e.name + " / " + x.name}, {"district", e.district},
                      {"department", e.department}, {"mean", line_city[l].first}, {"peak", line_city[l].second}});
  }
  // Shares of the city's mean PM2.5 of the baseline over the period (the screening's period).
  const double pm25_mean = baseline_n > 0 ? baseline_sum / static_cast<double>(baseline_n) : 0.0;
  m["rankings"] = {{"source", opt.screen_dir.empty() ? std::string("screening") : opt.screen_dir},
                   {"pollutant", "PM2.5"},
                   {"share_of_pm25_ug_m3", num(pm25_mean)},
                   {"enterprise", ranked(r_ent, pm25_mean)},
                   {"line", ranked(r_line, pm25_mean)},
                   {"industry", grouped(inv, ent_city, &emissions::Enterprise::industry, pm25_mean)},
                   {"district", grouped(inv, ent_city, &emissions::Enterprise::district, pm25_mean)},
                   {"department", grouped(inv, ent_city, &emissions::Enterprise::department, pm25_mean)}};

  // Sources at the peak (scenarios.json, from the tags), rounded to 0.1 µg/m³ and 0.1 %.
  json peaks = json::array();
  for (const auto& p : sc_json.value("sources_at_peak", json::array())) {
    json q = p;
    const auto r1 = [](const json& v) { return v.is_number() ? json(std::round(v.get<double>() * 10.0) / 10.0) : v; };
    q["total_ug_m3"] = r1(p.value("total_ug_m3", json()));
    q["unattributed_ug_m3"] = r1(p.value("unattributed_ug_m3", json()));
    for (auto& x : q["parts"]) {
      for (const char* k : {"ug_m3", "primary_ug_m3", "secondary_ug_m3", "percent"}) x[k] = r1(x.value(k, json()));
    }
    // The top enterprises over the same block (primary PM2.5 of the Gaussian screening): part of
    // the industry sector's share, % of the block's PM2.5.
    std::size_t b = in.config.stations.size();
    for (std::size_t k = 0; k < in.config.stations.size(); ++k)
      if (in.config.stations[k].id == p.value("series", "")) b = k;
    json top = json::array();
    const double total = p.value("total_ug_m3", 0.0);
    if (!ent_t.window_mean.empty() && total > 0.0) {
      const std::size_t ni = ent_t.n_items;
      std::vector<std::size_t> idx(ni);
      for (std::size_t i = 0; i < ni; ++i) idx[i] = i;
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t c) {
        return ent_t.window_mean[b * ni + a] > ent_t.window_mean[b * ni + c];
      });
      for (std::size_t k = 0; k < std::min<std::size_t>(5, ni); ++k) {
        const double v = ent_t.window_mean[b * ni + idx[k]];
        if (!(v > 0.0)) break;
        top.push_back({{"id", inv.enterprises[idx[k]].id}, {"name", inv.enterprises[idx[k]].name},
                       {"ug_m3", r1(json(v))}, {"percent", r1(json(100.0 * v / total))}});
      }
    }
    q["top_enterprises"] = top;
    peaks.push_back(q);
  }
  m["sources_at_peak"] = peaks;

  // Patrol list (DOMAIN.md §7): national stations, sources within 1 km and 1-3 km.
  json patrol = json::array();
  for (std::size_t s = 0; s < in.config.stations.size(); ++s) {
    const auto& st = in.config.stations[s];
    if (st.kind != "national") continue;
    const auto dist = enterprise_distances(inv, station_xy[s]);
    json inner = json::array(), outer = json::array();
    for (std::size_t e = 0; e < dist.size(); ++e) {
      if (dist[e] > kPatrolOuter) continue;
      const std::size_t k = s * ent_t.n_items + e;
      json row = {{"key", inv.enterprises[e].id}, {"name", inv.enterprises[e].name},
                  {"department", inv.enterprises[e].department}, {"distance_m", std::round(dist[e])},
                  {"mean", ent_t.mean[k]}, {"peak", num(ent_t.peak[k])}};
      (dist[e] <= kPatrolInner ? inner : outer).push_back(row);
    }
    auto sort = [](json& rows) {
      std::stable_sort(rows.begin(), rows.end(),
                       [](const json& a, const json& b) { return a["mean"].get<double>() > b["mean"].get<double>(); });
      int rank = 0;
      for (auto& r : rows) r["rank"] = ++rank, r["mean"] = num(r["mean"].get<double>());
    };
    sort(inner);
    sort(outer);
    patrol.push_back({{"station", st.id}, {"name", st.name}, {"within_1km", inner}, {"within_1_3km", outer}});
  }
  m["patrol"] = patrol;

  // The 静稳 summary (lantian check's).
  json stag = json::array();
  if (opt.stagnation) {
    const CaseCheckReport check = check_case(in.config);
    for (const auto& d : check.stagnation)
      stag.push_back({{"date", d.date}, {"hours", d.hours}, {"weak_wind", d.weak_wind},
                      {"shallow_mixing", d.shallow_mixing}, {"inversion", d.inversion}, {"humid", d.humid},
                      {"all_four", d.all_four}, {"three_or_more", d.three_or_more}, {"pblh_min", num(d.pblh_min)},
                      {"pblh_max", num(d.pblh_max)}, {"wind_min", num(d.wind_min)}, {"wind_max", num(d.wind_max)},
                      {"rh_max", num(d.rh_max)}});
  }
  m["stagnation"] = stag;

  // Recommendation: among the options declared for the forecast's level or a higher one (so their
  // floors are that level's) that meet the floors (city row), the lowest resulting level, then the
  // lowest cost.
  const auto& cols = comparison["columns"];
  auto col = [&](const char* name) {
    for (std::size_t c = 0; c < cols.size(); ++c)
      if (cols[c] == name) return c;
    throw Error(ErrorContext{(dir / "scenarios.csv").string(), 1, name}, "expected this column");
  };
  const std::size_t c_sc = col("scenario"), c_series = col("series"), c_level = col("level_scenario"),
                    c_met = col("floors_met"), c_cost = col("cost_10k_yuan"), c_cut = col("peak_mean24_cut_pct"),
                    c_down = col("downgrade_time"), c_base = col("level_baseline");
  json best = nullptr;
  int best_level = 99;
  double best_cost = std::numeric_limits<double>::infinity();
  std::string city_level = sc_json.at("baseline").value("city_level", "none");
  std::map<std::string, std::string> declared;  // option -> its response level
  std::map<std::string, bool> regional;  // options that assume the region's own cut (区域联防联控)
  for (const auto& x : sc_json.at("scenarios")) {
    declared[x.at("name").get<std::string>()] = x.value("level", "");
    regional[x.at("name").get<std::string>()] = x.value("regional_cut", 0.0) > 0.0;
  }
  for (const auto& row : comparison["rows"]) {
    if (row[c_series] != "city" || row[c_met] != "yes") continue;
    // The city recommends what it can do itself: an option that assumes the region's cut is
    // shown and compared, not recommended.
    if (regional[row[c_sc].get<std::string>()]) continue;
    if (level_rank(declared[row[c_sc].get<std::string>()]) < level_rank(city_level)) continue;
    const int lv = level_rank(row[c_level].get<std::string>());
    // A cost not estimated (empty) is not a low cost: such options come after the estimated ones.
    const std::string cost_text = row[c_cost].get<std::string>();
    const double cost = cost_text.empty() ? std::numeric_limits<double>::infinity() : std::strtod(cost_text.c_str(), nullptr);
    if (lv < best_level || (lv == best_level && cost < best_cost) || (lv == best_level && best.is_null()))
      best_level = lv, best_cost = cost, best = row;
  }
  json rec = nullptr;
  if (!best.is_null())
    rec = {{"scenario", best[c_sc]}, {"level_baseline", best[c_base]}, {"level", best[c_level]},
           {"peak_mean24_cut_pct", best[c_cut]}, {"cost_10k_yuan", best[c_cost]}, {"downgrade_time", best[c_down]}};
  m["recommendation"] = rec;

  // The report forms (DOMAIN.md §8): the fields the forecast fills; the template labels them.
  int weak = 0, shallow = 0, inversion = 0, humid = 0, four = 0;
  for (const auto& d : stag)
    weak += d["weak_wind"].get<int>(), shallow += d["shallow_mixing"].get<int>(), inversion += d["inversion"].get<int>(),
        humid += d["humid"].get<int>(), four += d["all_four"].get<int>();
  const json stag_sum = {{"weak_wind_h", weak}, {"shallow_mixing_h", shallow}, {"inversion_h", inversion},
                         {"humid_h", humid}, {"all_four_h", four}};
  json timeline = json::array();
  if (!sc_json["scenarios"].empty()) timeline = sc_json["scenarios"][0]["city"]["baseline"]["timeline"];
  // The response's end as the run proved it (scenarios.json baseline.city_response): a lift only
  // where the forecast shows it; open at the end of the forecast otherwise, with the duration a
  // lower bound and the earliest possible lift (issue 13). Run folders from before: the windows.
  const json resp = sc_json.at("baseline").value("city_response", json());
  long long duration =
      windows.empty() ? 0
                      : (parse_time(windows.back().at("end").get<std::string>(), tz) -
                         parse_time(windows.front().at("start").get<std::string>(), tz));
  bool at_least = false;
  json lift_time = windows.empty() ? json(nullptr) : json(w_end);
  json lift_status = windows.empty() ? json("none") : json("lifted");
  json earliest = nullptr, threshold = nullptr, release_h = nullptr;
  if (resp.is_object()) {
    duration = resp.value("duration_h", 0LL);
    at_least = resp.value("duration_at_least", false);
    lift_time = resp.value("lift_time", json());
    lift_status = resp.value("status", json("none"));
    earliest = resp.value("earliest_lift", json());
    threshold = resp.value("lift_threshold", json());
    release_h = resp.value("release_hours", json());
  }
  // Day N (启动应急响应第几天, seed 004 annex 7) at the follow-up's report time and at the lift; the
  // follow-up is due the day after the start (forecast/report_forms.hpp).
  json report_time = nullptr, followup_day = nullptr, lift_day = nullptr, stats_start = nullptr;
  if (!windows.empty()) {
    const UtcHour t_start = parse_time(w_start, tz);
    const UtcHour t_report = followup_report_time(t_start, tz);
    const bool in_force = !lift_time.is_string() || parse_time(lift_time.get<std::string>(), tz) >= t_report;
    if (in_force) report_time = format_local(t_report, tz), followup_day = response_day(t_start, t_report, tz);
    if (lift_time.is_string()) lift_day = response_day(t_start, parse_time(lift_time.get<std::string>(), tz), tz);
    stats_start = w_start;
  }
  // 应急响应统计表 (annex 6): what the forecast knows; the rest (null) is for the office to fill.
  const json statistics = {
      {"level", windows.empty() ? json(nullptr) : json(city_level)}, {"start", stats_start},
      {"end", lift_time}, {"duration_h", windows.empty() ? json(nullptr) : json(duration)},
      {"duration_at_least", at_least}, {"cumulative_h", nullptr}, {"responses", nullptr},
      {"signed_by", nullptr}, {"filled_by", nullptr},
      {"to_fill", {"cumulative_h", "responses", "signed_by", "filled_by"}}};
  m["tasks"] = report_tasks(dir, tz);
  m["forms"] = {
      {"start",
       {{"level", city_level}, {"start_time", windows.empty() ? json(nullptr) : json(w_start)},
        {"place", in.config.name}, {"stations_above_200", stations_above_200},
        {"stations", in.config.stations.size()}, {"stagnation", stag_sum}, {"primary_pollutant", "PM2.5"},
        {"aqi", aqi_range.to_json()}, {"pm25", pm_range.to_json()}, {"peak_aqi", peak_aqi},
        {"peak_aqi_time", peak_aqi_time}, {"peak_aqi_station", peak_aqi_station}}},
      {"followup",
       {{"response_days", (duration + 23) / 24}, {"report_time", report_time}, {"response_day", followup_day},
        {"level_changes", timeline}, {"expected_duration_h", duration},
        {"duration_at_least", at_least}, {"measures", rec.is_null() ? json(nullptr) : rec["scenario"]}}},
      {"lift",
       {{"status", lift_status}, {"lift_time", lift_time}, {"response_days", (duration + 23) / 24},
        {"response_day", lift_day},
        {"earliest_lift", earliest}, {"lift_threshold", threshold}, {"release_hours", release_h}, {"effect", rec}}},
      {"consultation",
       {{"meteorology", stag_sum}, {"monitoring", {{"level", city_level}, {"peak_aqi", peak_aqi},
                                                   {"peak_aqi_time", peak_aqi_time}, {"aqi", aqi_range.to_json()}}},
        {"expert", rec}, {"command_office", {{"signature", ""}, {"date_hour", ""}}},
        {"sections", consultation_sections()}}},
      {"statistics", statistics}};
  // The daily product (issue 13): the 17:00 daily report, the episode summary after a lift, the
  // day-1/2/3 table and the city's decisions with their margins; inputs marked synthetic.
  const json daily = daily_forms(sc_json, windows, rec, m["tasks"], in.period.start(), tz);
  m["forms"]["daily_report"] = daily["daily_report"];
  m["forms"]["episode_summary"] = daily["episode_summary"];
  m["daily_forecast"] = sc_json.value("daily_forecast", json::array());
  m["city_decisions"] = sc_json.at("baseline").value("city_decisions", json::array());
  m["synthetic_inputs"] = synthetic_inputs(in.config.source.file(), in.config.meteo.source == MetSource::synthetic,
                                           in.config.model.boundary_file, in.config.paths.observations,
                                           in.config.emissions.folder);
  return m.dump();
}

std::string run_case_file(const std::string& run_dir) {
  const fs::path f = fs::path(run_dir) / "fields.nc";
  if (!fs::is_regular_file(f)) return {};
  const std::string history = NetcdfFile(f.string()).text_att(-1, "history");  // NC_GLOBAL
  const std::string prefix = "lantian run ";
  return history.rfind(prefix, 0) == 0 ? history.substr(prefix.size()) : std::string();
}

std::string default_report_path(const std::string& run_dir) { return (fs::path(run_dir) / "report.html").string(); }

void write_report(const CaseInputs& inputs, const ReportOptions& options, OutputRequest out) {
  if (out.path.empty()) out.path = default_report_path(options.run_dir);
  ReportAssets::locate().check();  // before the screening, not after
  check_output_file(out, kReportSignature);  // before the work, not after
  write_report_html(out, report_model_json(inputs, options), "会商报告 " + inputs.config.name);
}

bool write_run_report(const CaseInputs& inputs, const std::string& run_dir, const std::string& label) {
  if (!ReportAssets::locate().available()) return false;
  ReportOptions opt;
  opt.run_dir = run_dir;
  opt.run_label = label;
  write_report(inputs, opt);
  return true;
}

}  // namespace lantian
