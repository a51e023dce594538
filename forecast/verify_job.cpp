#include "forecast/verify_job.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/rules_file.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kTrainingLeads = 24;  ///< the Kalman filter learns from the first day of each run

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// Local calendar day of the hour starting at t.
std::int64_t local_day(UtcHour t, const TimeZone& tz) {
  return floor_div(t * 60 + tz.offset_minutes(t), 24 * 60);
}

/// The observed concentration of pollutant p in the hour starting at t (NaN outside the axis).
double observed(const StationObservations& o, Pollutant p, UtcHour t) {
  const auto& c = o.conc[static_cast<int>(p)];
  if (c.empty() || t < o.start || t >= o.end()) return kNaN;
  return c[static_cast<std::size_t>(t - o.start)];
}

/// Mean over the finite values (NaN when none).
double mean_finite(const std::vector<double>& v) {
  double s = 0.0;
  std::size_t n = 0;
  for (double x : v)
    if (std::isfinite(x)) s += x, ++n;
  return n ? s / static_cast<double>(n) : kNaN;
}

/// The warning level decided at the first hour of a series (index 0 = the issue time).
WarningDecision decide(const StationSeries& series, const VerifyOptions& opt, UtcHour start) {
  const std::vector<AqiResult> daily = daily_aqi_trailing(series, opt.validity);
  std::vector<int> trailing(daily.size());
  std::transform(daily.begin(), daily.end(), trailing.begin(), [](const AqiResult& a) { return a.aqi; });
  const std::vector<int> block = block_aqi_from_trailing(trailing);
  const TimeZone& tz = opt.tz;
  return classify_warning(block, 0, opt.rules, [start, &tz](std::int64_t i) { return format_local(start + i, tz); });
}

WarningDecision decide_pm25(const std::vector<double>& pm25, const VerifyOptions& opt, UtcHour start) {
  StationSeries s;
  s.hours = pm25.size();
  s.conc[static_cast<int>(Pollutant::PM25)] = pm25;
  ValidityRules v = opt.validity;
  v.required = {Pollutant::PM25};
  VerifyOptions o = opt;
  o.validity = v;
  return decide(s, o, start);
}

}  // namespace

namespace {

/// The first time of RUN_DIR/budget.csv (the start of the run's first model hour), if the file
/// is there with a readable first row; only to recognise the labels of an older stations.csv
/// (verify does not need budget.csv: anything unreadable there is no answer, not an error).
std::optional<UtcHour> budget_start(const std::filesystem::path& run_dir) {
  const std::filesystem::path path = run_dir / "budget.csv";
  if (!std::filesystem::is_regular_file(path)) return std::nullopt;
  try {
    CsvFile csv(path.string(), CsvOptions{.comments = false, .unique_columns = true});
    const int ct = csv.column("time");
    if (ct < 0 || !csv.next()) return std::nullopt;
    return parse_time(csv.field(ct), TimeZone("UTC"));
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

RunSeries read_run_series(const std::string& run_dir) {
  const std::string path = (std::filesystem::path(run_dir) / "stations.csv").string();
  LANTIAN_CHECK(std::filesystem::is_regular_file(path), (ErrorContext{path, 0, ""}),
                "no stations.csv in the run folder " + run_dir + ": expected the output folder of `lantian run`");
  CsvFile csv(path, CsvOptions{.comments = false, .unique_columns = true, .header_hint = "the header time,station,pm25"});
  static constexpr std::string_view kCols[] = {"time", "station", "pm25"};
  csv.check_columns(kCols, kCols);
  const int ct = csv.column("time"), cs = csv.column("station"), cp = csv.column("pm25");
  RunSeries r;
  r.source = run_dir;
  const TimeZone utc("UTC");
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<UtcHour> first, last;
  while (csv.next()) {
    UtcHour t = 0;
    try {
      t = parse_time(csv.field(ct), utc);  // hour-beginning: the row T is the model hour [T, T + 1 h)
    } catch (const Error& e) {
      csv.fail(ct, e.what());
    }
    const std::string_view name = csv.field(cs);
    if (name.empty()) csv.fail(cs, "empty station id");
    const double v = csv.number(cp, "PM2.5 in ug/m3");
    if (v < 0.0) csv.fail(cp, "expected PM2.5 >= 0 ug/m3, found " + std::string(csv.field(cp)));
    auto it = index.find(name);
    if (it == index.end()) {
      it = index.emplace(std::string(name), r.stations.size()).first;
      r.stations.emplace_back(name);
      r.pm25.emplace_back();
      first.push_back(t);
      last.push_back(t - 1);
    }
    const std::size_t s = it->second;
    if (t != last[s] + 1)
      csv.fail(ct, "expected the hour after " + format_utc(last[s] + 1) + " for station " + std::string(name) +
                       " (one row per consecutive hour), found " + std::string(csv.field(ct)));
    last[s] = t;
    r.pm25[s].push_back(v);
  }
  LANTIAN_CHECK(!r.stations.empty(), (ErrorContext{path, csv.header_line(), ""}), "no data rows after the header");
  r.start = first[0];
  r.hours = r.pm25[0].size();
  for (std::size_t s = 1; s < r.stations.size(); ++s)
    LANTIAN_CHECK(first[s] == r.start && r.pm25[s].size() == r.hours, (ErrorContext{path, 0, "station " + r.stations[s]}),
                  "expected the hours of station " + r.stations[0] + " (" + std::to_string(r.hours) + " from " +
                      format_utc(r.start) + "), found " + std::to_string(r.pm25[s].size()) + " from " +
                      format_utc(first[s]));
  // A run written before issue 12 labelled each row by its valid instant, the END of the model
  // hour: its first row is one hour after the first hour of its budget.csv (always labelled by
  // the start of the hour). Such a run is read in today's convention, with a note.
  if (const auto b = budget_start(run_dir); b && *b == r.start - 1) {
    r.start -= 1;
    r.legacy_labels = true;
  }
  return r;
}

VerifyResult verify_runs(std::vector<RunSeries> runs, const std::vector<StationObservations>& observations,
                         const VerifyOptions& opt) {
  std::stable_sort(runs.begin(), runs.end(), [](const RunSeries& a, const RunSeries& b) { return a.start < b.start; });
  VerifyResult out;
  std::map<std::string, const StationObservations*, std::less<>> obs_of;
  for (const auto& o : observations)
    if (o.present[static_cast<int>(Pollutant::PM25)]) obs_of.emplace(o.station, &o);

  // Stations: global index in out.stations for every (run, station) with observations.
  std::map<std::string, std::size_t, std::less<>> gindex;
  std::vector<std::vector<std::ptrdiff_t>> gstation(runs.size());
  for (const RunSeries& run : runs)
    if (run.legacy_labels)
      out.warnings.push_back("run " + run.source +
                             ": stations.csv labels the end of each hour (written before the one time convention; "
                             "budget.csv starts an hour earlier): read as the hour before each label");
  for (std::size_t k = 0; k < runs.size(); ++k)
    for (const std::string& name : runs[k].stations) {
      if (!obs_of.count(name)) {
        const std::string w = "station " + name + " of run " + runs[k].source + " has no PM2.5 observations: not scored";
        if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) out.warnings.push_back(w);
        gstation[k].push_back(-1);
        continue;
      }
      auto it = gindex.find(name);
      if (it == gindex.end()) {
        it = gindex.emplace(name, out.stations.size()).first;
        out.stations.push_back(name);
      }
      gstation[k].push_back(static_cast<std::ptrdiff_t>(it->second));
    }
  LANTIAN_CHECK(!out.stations.empty(), (ErrorContext{"", 0, "stations"}),
                "no station of the runs has PM2.5 observations: the station ids of stations.csv must be those of the "
                "observations file");

  const bool fit = std::all_of(runs.begin(), runs.end(), [](const RunSeries& r) { return !r.tags.empty(); });
  out.forecasts = {"lantian", "persistence", "lantian-kf"};
  if (fit) {
    out.forecasts.emplace_back("lantian-fit");
    out.tag_names = runs.front().tag_names;
    for (const RunSeries& r : runs)
      LANTIAN_CHECK(r.tag_names == out.tag_names && r.tags.size() == r.tag_names.size(), (ErrorContext{r.source, 0, "tags"}),
                    "the runs' source tags differ: every run of a calibration needs the same tags");
  }
  const std::size_t nf = out.forecasts.size(), nk = out.tag_names.size();
  out.warning.assign(nf, Contingency{});
  out.levels.assign(nf, VerifyResult::LevelAgreement{});
  const std::size_t ng = out.stations.size();
  std::vector<KalmanBias> filter(ng * 24, KalmanBias(opt.kf_ratio));
  // Rows the tag scalings learn from: an hour of an earlier run's first day at one station.
  struct FitRow {
    UtcHour time;
    std::vector<double> tags;
    double obs;
  };
  std::vector<FitRow> fit_rows;
  struct Training {
    UtcHour time;
    std::size_t station;
    double error;
  };
  std::vector<Training> pending;
  // Daily pairs per forecast: (station, obs mean, mod mean).
  struct DailyPair {
    std::size_t station;
    double obs, mod;
  };
  std::vector<std::vector<DailyPair>> daily(nf);

  for (std::size_t k = 0; k < runs.size(); ++k) {
    const RunSeries& run = runs[k];
    const UtcHour t0 = run.start;
    // The Kalman filter learns every earlier error whose observation was complete by t0.
    std::stable_sort(pending.begin(), pending.end(), [](const Training& a, const Training& b) { return a.time < b.time; });
    auto known = std::partition_point(pending.begin(), pending.end(), [t0](const Training& x) { return x.time + 1 <= t0; });
    for (auto it = pending.begin(); it != known; ++it)
      filter[it->station * 24 + static_cast<std::size_t>(opt.tz.local_hour_of_day(it->time))].update(it->error);
    pending.erase(pending.begin(), known);

    // lantian-fit: the scalings from the earlier hours observed before t0, of the last fit_days.
    std::vector<double> scalings;
    if (fit) {
      std::vector<std::vector<double>> columns(nk);
      std::vector<double> target;
      for (const FitRow& row : fit_rows) {
        if (row.time + 1 > t0 || row.time < t0 - 24 * static_cast<UtcHour>(opt.fit_days)) continue;
        for (std::size_t j = 0; j < nk; ++j) columns[j].push_back(row.tags[j]);
        target.push_back(row.obs);
      }
      scalings = fit_scalings(columns, target, opt.fit_ridge);
    }
    std::vector<std::vector<double>> city_sum(nf), city_n(nf);
    for (auto& v : city_sum) v.assign(run.hours, 0.0);
    for (auto& v : city_n) v.assign(run.hours, 0.0);
    std::vector<const StationObservations*> run_obs;
    for (std::size_t s = 0; s < run.stations.size(); ++s) {
      if (gstation[k][s] < 0) continue;
      const auto g = static_cast<std::size_t>(gstation[k][s]);
      const StationObservations& o = *obs_of.find(run.stations[s])->second;
      run_obs.push_back(&o);
      // Persistence: the mean of the 24 observed hours before the issue time.
      double sum = 0.0;
      int valid = 0;
      for (UtcHour t = t0 - 24; t < t0; ++t)
        if (const double v = observed(o, Pollutant::PM25, t); std::isfinite(v)) sum += v, ++valid;
      const double persistence = valid >= opt.validity.min_hours_24h ? sum / valid : kNaN;
      if (!std::isfinite(persistence))
        out.warnings.push_back("station " + run.stations[s] + ": fewer than " + std::to_string(opt.validity.min_hours_24h) +
                               " valid hours in the 24 h before " + format_local(t0, opt.tz) + ": no persistence");

      std::map<std::int64_t, std::vector<std::array<double, 3>>> days;  // day -> forecast -> {n, Σo, Σm}
      for (std::size_t h = 0; h < run.hours; ++h) {
        const UtcHour t = t0 + static_cast<UtcHour>(h);
        VerifyPair p;
        p.mod.assign(nf, kNaN);
        p.run = k;
        p.station = g;
        p.time = t;
        p.lead = static_cast<int>(h);
        p.obs = observed(o, Pollutant::PM25, t);
        const double m = run.pm25[s][h];
        p.mod[0] = m;
        p.mod[1] = persistence;
        p.mod[2] = std::max(0.0, m - filter[g * 24 + static_cast<std::size_t>(opt.tz.local_hour_of_day(t))].bias());
        std::vector<double> tag_values(nk);
        if (fit) {
          double v = 0.0;
          for (std::size_t j = 0; j < nk; ++j) {
            tag_values[j] = run.tags[j][s][h];
            v += scalings[j] * tag_values[j];
          }
          p.mod[3] = v;
        }
        for (std::size_t f = 0; f < nf; ++f) {
          if (std::isfinite(p.mod[f])) city_sum[f][h] += p.mod[f], city_n[f][h] += 1.0;
          if (std::isfinite(p.obs) && std::isfinite(p.mod[f])) {
            auto& per_f = days[local_day(t, opt.tz)];
            per_f.resize(nf);
            auto& d = per_f[f];
            d[0] += 1.0, d[1] += p.obs, d[2] += p.mod[f];
          }
        }
        if (h < kTrainingLeads && std::isfinite(p.obs)) {
          pending.push_back({t, g, m - p.obs});
          if (fit) fit_rows.push_back({t, std::move(tag_values), p.obs});
        }
        out.pairs.push_back(p);
      }
      for (const auto& [day, per_f] : days)
        for (std::size_t f = 0; f < nf; ++f)
          if (per_f[f][0] >= opt.validity.min_hours_24h)
            daily[f].push_back({g, per_f[f][1] / per_f[f][0], per_f[f][2] / per_f[f][0]});
    }
    if (run_obs.empty()) continue;

    // Warning decisions at the issue time on the city series (mean of the stations).
    VerifyIssue issue;
    issue.issue = t0;
    issue.run = run.source;
    issue.level.assign(nf, 0);
    issue.scalings = scalings;
    for (std::size_t f = 0; f < nf; ++f) {
      std::vector<double> city(run.hours);
      for (std::size_t h = 0; h < run.hours; ++h) city[h] = city_n[f][h] > 0.0 ? city_sum[f][h] / city_n[f][h] : kNaN;
      issue.level[f] = decide_pm25(city, opt, t0).level;
    }
    StationSeries observed_city;
    observed_city.hours = run.hours;
    std::array<std::vector<double>, kPollutantCount> conc;
    for (int p = 0; p < kPollutantCount; ++p) {
      const bool present = std::any_of(run_obs.begin(), run_obs.end(), [p](const StationObservations* o) { return o->present[p]; });
      if (!present) continue;
      conc[p].resize(run.hours);
      std::vector<double> at(run_obs.size());
      for (std::size_t h = 0; h < run.hours; ++h) {
        for (std::size_t s = 0; s < run_obs.size(); ++s)
          at[s] = observed(*run_obs[s], static_cast<Pollutant>(p), t0 + static_cast<UtcHour>(h));
        conc[p][h] = mean_finite(at);
      }
      observed_city.conc[p] = conc[p];
    }
    const WarningDecision od = decide(observed_city, opt, t0);
    issue.observed_level = od.level;
    issue.observed_reason = od.reason;
    for (std::size_t f = 0; f < nf; ++f) {
      out.warning[f].add(issue.level[f] > 0, od.level > 0);
      VerifyResult::LevelAgreement& a = out.levels[f];
      ++(issue.level[f] == od.level ? a.exact : issue.level[f] < od.level ? a.lower : a.higher);
    }
    out.issues.push_back(std::move(issue));
  }

  // Scores: each station, then all stations; hourly, then daily.
  for (std::size_t f = 0; f < nf; ++f) {
    for (std::size_t s = 0; s <= ng; ++s) {
      const bool all = s == ng;
      std::vector<double> o, m;
      for (const VerifyPair& p : out.pairs)
        if (all || p.station == s) o.push_back(p.obs), m.push_back(p.mod[f]);
      out.scores.push_back({out.forecasts[f], all ? "all" : out.stations[s], "hourly", skill_scores(o, m)});
      o.clear(), m.clear();
      for (const DailyPair& d : daily[f])
        if (all || d.station == s) o.push_back(d.obs), m.push_back(d.mod);
      out.scores.push_back({out.forecasts[f], all ? "all" : out.stations[s], "daily", skill_scores(o, m)});
    }
    CategoryHits c;
    c.forecast = out.forecasts[f];
    for (const DailyPair& d : daily[f]) {
      const AqiCategory co = aqi_category(iaqi(Pollutant::PM25, Averaging::Hour24, d.obs).value);
      const AqiCategory cm = aqi_category(iaqi(Pollutant::PM25, Averaging::Hour24, d.mod).value);
      if (co == AqiCategory::Missing || cm == AqiCategory::Missing) continue;
      ++c.days;
      if (co == cm) ++c.hits;
    }
    out.categories.push_back(c);
  }
  return out;
}

namespace {

std::string num(double v) {
  if (!std::isfinite(v)) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

/// A ratio for the summary: "n/a" when it cannot be computed.
std::string shown(double v) { return std::isfinite(v) ? num(v) : std::string("n/a"); }

}  // namespace

std::string skill_csv(const VerifyResult& r) {
  std::string o = "forecast,station,averaging,n,mean_obs,mean_mod,mb,nmb,nme,rmse,r,ioa,fac2\n";
  for (const VerifyScore& v : r.scores) {
    const SkillScores& s = v.scores;
    o += csv_text(v.forecast) + ',' + csv_text(v.station) + ',' + v.averaging + ',' + std::to_string(s.n);
    for (double x : {s.mean_obs, s.mean_mod, s.mb, s.nmb, s.nme, s.rmse, s.r, s.ioa, s.fac2}) {
      o += ',';
      o += num(x);
    }
    o += '\n';
  }
  return o;
}

std::string categories_csv(const VerifyResult& r) {
  std::string o = "forecast,days,hits,hit_rate\n";
  for (const CategoryHits& c : r.categories) {
    o += c.forecast + ',' + std::to_string(c.days) + ',' + std::to_string(c.hits) + ',';
    o += num(c.days ? static_cast<double>(c.hits) / static_cast<double>(c.days) : kNaN);
    o += '\n';
  }
  return o;
}

std::string warnings_csv(const VerifyResult& r, const VerifyOptions& opt) {
  std::string o = "issue_time,run,observed";
  for (const std::string& f : r.forecasts) {
    o += ',';
    o += f;
  }
  for (const std::string& tag : r.tag_names) {
    o += ",scaling_";
    o += csv_text(tag);
  }
  o += ",observed_reason\n";
  for (const VerifyIssue& i : r.issues) {
    o += format_local(i.issue, opt.tz) + ',' + csv_text(i.run) + ',' + std::string(opt.rules.level_name(i.observed_level));
    for (int l : i.level) {
      o += ',';
      o += opt.rules.level_name(l);
    }
    for (double v : i.scalings) {
      o += ',';
      o += num(v);
    }
    o += ',' + csv_text(i.observed_reason) + '\n';
  }
  return o;
}

std::string pairs_csv(const VerifyResult& r, const VerifyOptions& opt) {
  std::string o = "time,station,issue_time,lead_h,obs";
  for (const std::string& f : r.forecasts) {
    o += ',';
    o += f;
  }
  o += '\n';
  std::vector<std::string> stations(r.stations.size());
  for (std::size_t s = 0; s < stations.size(); ++s) stations[s] = csv_text(r.stations[s]);
  for (const VerifyPair& p : r.pairs) {
    o += format_local(p.time, opt.tz) + ',' + stations[p.station] + ',' + format_local(p.time - p.lead, opt.tz) +
         ',' + std::to_string(p.lead) + ',' + num(p.obs);
    for (double m : p.mod) {
      o += ',';
      o += num(m);
    }
    o += '\n';
  }
  return o;
}

VerifySummary run_verify_job(const VerifyRequest& a) {
  LANTIAN_CHECK(!a.runs.empty(), (ErrorContext{"", 0, "RUN_DIR"}), "expected at least one run folder");
  VerifyOptions opt;
  opt.tz = TimeZone(a.tz);
  opt.kf_ratio = a.kf_ratio;
  (void)KalmanBias(a.kf_ratio);  // refuse a bad ratio before reading anything
  if (!a.rules.empty()) {
    const auto loaded = load_rules(a.rules);
    opt.rules = loaded.warning;
    opt.validity = loaded.validity;
  }
  OutputRequest out{a.out, a.force, {}, "verify"};
  out.inputs.add(a.observations, "the observations");
  out.inputs.add(a.rules, "the rules file");
  for (const std::string& run : a.runs) out.inputs.add_container(run, "the run folder");
  check_output_dir(out);

  std::vector<RunSeries> runs;
  for (const std::string& run : a.runs) runs.push_back(read_run_series(run));
  const auto observations = read_observations_csv(a.observations, opt.tz);
  VerifySummary s;
  s.result = verify_runs(std::move(runs), observations, opt);
  s.files = {"skill.csv", "categories.csv", "warnings.csv", "pairs.csv"};
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "skill.csv", skill_csv(s.result));
    write_file(tmp / "categories.csv", categories_csv(s.result));
    write_file(tmp / "warnings.csv", warnings_csv(s.result, opt));
    write_file(tmp / "pairs.csv", pairs_csv(s.result, opt));
  });
  return s;
}

std::string format_verify_summary(const VerifyRequest& a, const VerifySummary& sum) {
  const VerifyResult& r = sum.result;
  std::string o = "lantian verify: " + std::to_string(r.issues.size()) + " issue(s), " + std::to_string(r.stations.size()) +
                  " station(s), " + std::to_string(r.pairs.size()) + " hourly pairs against " + a.observations + "\n";
  o += "times: the start of each hour, local time with its offset (the observations' convention)\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-7s %6s %8s %8s %8s %7s %7s %8s %6s %6s\n", "forecast", "average", "n", "mean_obs",
                "mean_mod", "mb", "nmb", "nme", "rmse", "r", "fac2");
  o += line;
  for (const VerifyScore& v : r.scores) {
    if (v.station != "all") continue;
    const SkillScores& s = v.scores;
    std::snprintf(line, sizeof line, "%-12s %-7s %6zu %8.1f %8.1f %8.1f %+6.0f%% %6.0f%% %8.1f %6.2f %6.2f\n", v.forecast.c_str(),
                  v.averaging.c_str(), s.n, s.mean_obs, s.mean_mod, s.mb, 100.0 * s.nmb, 100.0 * s.nme, s.rmse, s.r, s.fac2);
    o += line;
  }
  for (const CategoryHits& c : r.categories) {
    std::snprintf(line, sizeof line, "daily AQI category hits, %s: %zu of %zu station-days\n", c.forecast.c_str(), c.hits, c.days);
    o += line;
  }
  for (std::size_t f = 0; f < r.forecasts.size(); ++f) {
    const Contingency& c = r.warning[f];
    std::snprintf(line, sizeof line, "warning decided, %s: hits %zu, misses %zu, false alarms %zu, correct no %zu; POD %s FAR %s CSI %s\n",
                  r.forecasts[f].c_str(), c.hits, c.misses, c.false_alarms, c.correct_negatives, shown(c.pod()).c_str(),
                  shown(c.far()).c_str(), shown(c.csi()).c_str());
    o += line;
  }
  for (std::size_t f = 0; f < r.forecasts.size(); ++f) {
    const VerifyResult::LevelAgreement& l = r.levels[f];
    std::snprintf(line, sizeof line, "warning level, %s: the observed level at %zu of %zu issues, lower at %zu, higher at %zu\n",
                  r.forecasts[f].c_str(), l.exact, l.exact + l.lower + l.higher, l.lower, l.higher);
    o += line;
  }
  for (const std::string& w : r.warnings) o += "warning: " + w + "\n";
  o += "outputs: " + a.out + "/{skill,categories,warnings,pairs}.csv\n";
  return o;
}

}  // namespace lantian
