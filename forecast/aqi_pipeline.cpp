#include "forecast/aqi_pipeline.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <system_error>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Pollutants in the order the outputs list them.
constexpr std::array<Pollutant, kPollutantCount> kReportOrder{Pollutant::PM25, Pollutant::PM10, Pollutant::SO2,
                                                              Pollutant::NO2,  Pollutant::CO,   Pollutant::O3};

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// RFC 4180: quote a field holding a comma, a quote or a line break.
/// A text cell, quoted and formula-neutralised by core's csv_text.
void append_csv(std::string& out, std::string_view field) { out += csv_text(field); }

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  out.append(buf, r.ptr);
}

std::string percent(double share) {
  if (!std::isfinite(share)) return "absent";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * share);
  return buf;
}

/// Maps imposed periods onto a station's axis (indices clamped to [0, hours]).
std::vector<ImposedLevel> imposed_for(const StationObservations& s, const std::vector<ImposedPeriod>& periods,
                                      const WarningRules& rules) {
  std::vector<ImposedLevel> out;
  const auto n = static_cast<std::int64_t>(s.hours);
  for (const auto& p : periods) {
    if (!p.station.empty() && p.station != s.station) continue;
    const int level = rules.level_index(p.level);
    const std::int64_t a = std::clamp<std::int64_t>(p.start - s.start, 0, n);
    const std::int64_t b = std::clamp<std::int64_t>(p.end - s.start, 0, n);
    if (b > a && level > 0) out.push_back({a, b, level});
  }
  return out;
}

std::vector<Episode> episodes_of(const StationAqi& s) {
  std::vector<Episode> out;
  const auto n = static_cast<std::int64_t>(s.hours);
  std::int64_t h = 0;
  while (h < n) {
    if (s.daily[static_cast<std::size_t>(h)].aqi <= kEpisodeAqi) {
      ++h;
      continue;
    }
    Episode e;
    e.station = s.station;
    const std::int64_t first = h;
    while (h < n && s.daily[static_cast<std::size_t>(h)].aqi > kEpisodeAqi) {
      const AqiResult& a = s.daily[static_cast<std::size_t>(h)];
      if (a.aqi > e.peak_aqi) {
        e.peak_aqi = a.aqi;
        e.peak_block_end = s.start + h;
        e.primary_mask = a.primary_mask;
      }
      ++h;
    }
    e.start = s.start + first - 23;
    e.end = s.start + h;
    out.push_back(std::move(e));
  }
  return out;
}

/// format_local for consecutive hours, fast: format_local once per local day and offset, then
/// only the hour and minute digits change ("2015-12-01T08:00:00+08:00", positions 11-15).
class LocalLabels {
 public:
  explicit LocalLabels(const TimeZone& tz) : tz_(tz) {}
  const std::string& operator()(UtcHour t) {
    const int off = tz_.offset_minutes(t);
    const std::int64_t minutes = t * 60 + off;
    const std::int64_t day = (minutes >= 0 ? minutes : minutes - 1439) / 1440;
    if (day != day_ || off != off_ || label_.size() < 16) {
      label_ = format_local(t, tz_);
      day_ = day;
      off_ = off;
      return label_;
    }
    const auto m = static_cast<int>(minutes - day * 1440);
    label_[11] = static_cast<char>('0' + m / 600);
    label_[12] = static_cast<char>('0' + (m / 60) % 10);
    label_[14] = static_cast<char>('0' + (m % 60) / 10);
    label_[15] = static_cast<char>('0' + m % 10);
    return label_;
  }

 private:
  const TimeZone& tz_;
  std::string label_;
  std::int64_t day_ = std::numeric_limits<std::int64_t>::min();
  int off_ = 0;
};

/// "2015-12-01 08:00" (local, for the human summary).
std::string short_time(UtcHour t, const TimeZone& tz) {
  std::string s = format_local(t, tz).substr(0, 16);
  if (s.size() > 10 && s[10] == 'T') s[10] = ' ';
  return s;
}

}  // namespace

ImposedPeriod parse_imposed_period(std::string_view spec, const TimeZone& tz) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t c = spec.find(',', pos);
    parts.push_back(trim(spec.substr(pos, c == std::string_view::npos ? std::string_view::npos : c - pos)));
    if (c == std::string_view::npos) break;
    pos = c + 1;
  }
  const std::string ctx = "imposed level \"" + std::string(spec) + "\"";
  if (parts.size() < 3 || parts.size() > 4)
    throw Error({"", 0, ctx}, "expected LEVEL,START,END[,STATION], e.g. red,2015-12-08T07:00,2015-12-10T12:00");
  ImposedPeriod p;
  p.level = std::string(parts[0]);
  try {
    p.start = parse_time(parts[1], tz);
    p.end = parse_time(parts[2], tz);
  } catch (const Error& e) {
    throw Error({"", 0, ctx}, e.message());
  }
  if (p.end <= p.start) throw Error({"", 0, ctx}, "END must be after START");
  if (parts.size() == 4) p.station = std::string(parts[3]);
  return p;
}

WarningRules AqiRunOptions::effective_rules() const {
  WarningRules r = rules;
  if (issue_hour) {
    if (*issue_hour < 0 || *issue_hour > 23)
      throw Error({"", 0, "issue hour"}, "expected a local hour 0..23, found " + std::to_string(*issue_hour));
    r.issue_hour = *issue_hour;
  }
  if (horizon) r.horizon_hours = *horizon;
  r.validate();
  return r;
}

void AqiRunOptions::validate() const {
  const WarningRules r = effective_rules();
  for (const auto& p : imposed) {
    if (r.level_index(p.level) <= 0) {
      std::string valid;
      for (const auto& lv : r.levels) valid += (valid.empty() ? "" : ", ") + lv.name;
      throw Error({"", 0, "imposed level"}, "unknown level \"" + p.level + "\" (levels of the rules: " + valid + ")");
    }
  }
}

AqiRunResult run_aqi(const std::vector<StationObservations>& observations, const AqiRunOptions& options) {
  options.validate();
  AqiRunResult result;
  result.tz = options.tz;
  result.rules = options.effective_rules();
  result.validity = options.validity;
  const WarningRules& rules = result.rules;
  const TimeZone& tz = result.tz;

  result.stations.reserve(observations.size());
  for (const auto& obs : observations) {
    StationAqi s;
    s.station = obs.station;
    s.start = obs.start;
    s.hours = obs.hours;
    s.rows = obs.rows;
    s.gap_hours = obs.gap_hours;
    s.present = obs.present;
    s.missing = obs.missing;
    const StationSeries series = obs.series();
    s.hourly = hourly_aqi(series, options.validity);
    s.daily = daily_aqi_trailing(series, options.validity);
    std::vector<int> trailing(s.daily.size());
    std::transform(s.daily.begin(), s.daily.end(), trailing.begin(), [](const AqiResult& a) { return a.aqi; });
    s.block_aqi = block_aqi_from_trailing(trailing);
    s.imposed = imposed_for(obs, options.imposed, rules);

    const UtcHour start = s.start;
    const HourLabel local = [start, &tz](std::int64_t i) { return format_local(start + i, tz); };
    const auto n = static_cast<std::int64_t>(s.hours);
    for (std::int64_t i = 0; i < n; ++i) {
      if (tz.local_hour_of_day(s.start + i) != rules.issue_hour) continue;
      WarningDecision d = classify_warning(s.block_aqi, i, rules, local);
      if (const int imp = imposed_level_at(s.imposed, i); imp > 0)
        d.reason += "; imposed by a higher authority: " + std::string(rules.level_name(imp));
      s.decisions.push_back(std::move(d));
    }
    s.timeline = response_timeline(trailing, s.decisions, s.imposed, rules, local);
    result.stations.push_back(std::move(s));
  }
  return result;
}

AqiSummary summarize(const AqiRunResult& result) {
  AqiSummary sum;
  const WarningRules& rules = result.rules;
  const std::size_t nlevels = rules.levels.size() + 1;
  sum.level_names.emplace_back("none");
  for (const auto& lv : rules.levels) sum.level_names.push_back(lv.name);
  sum.decisions.assign(nlevels, 0);
  sum.stations = result.stations.size();

  for (const StationAqi& s : result.stations) {
    StationSummary ss;
    ss.station = s.station;
    ss.start = s.start;
    ss.hours = s.hours;
    ss.rows = s.rows;
    ss.gap_hours = s.gap_hours;
    for (int k = 0; k < kPollutantCount; ++k) {
      ss.missing_share[k] = (s.present[k] && s.hours > 0)
                                ? static_cast<double>(s.missing[k]) / static_cast<double>(s.hours)
                                : kNaN;
      if (s.present[k]) {
        sum.missing[k] += s.missing[k];
        sum.hours_with[k] += s.hours;
      }
    }
    for (std::size_t h = 0; h < s.hours; ++h) {
      if (s.hourly[h].aqi > ss.peak_hourly.aqi) {
        ss.peak_hourly = s.hourly[h];
        ss.peak_hourly_time = s.start + static_cast<UtcHour>(h);
      }
      if (s.daily[h].aqi > ss.peak_daily.aqi) {
        ss.peak_daily = s.daily[h];
        ss.peak_daily_end = s.start + static_cast<UtcHour>(h);
      }
    }
    std::vector<Episode> eps = episodes_of(s);
    if (!eps.empty()) {
      ss.longest_episode = *std::max_element(eps.begin(), eps.end(), [](const Episode& a, const Episode& b) {
        return a.hours() < b.hours();
      });
    }
    std::stable_sort(eps.begin(), eps.end(), [](const Episode& a, const Episode& b) {
      return a.peak_aqi != b.peak_aqi ? a.peak_aqi > b.peak_aqi : a.hours() > b.hours();
    });
    for (std::size_t i = 0; i < eps.size() && i < 3; ++i) ss.worst_episodes.push_back(eps[i]);
    sum.worst_episodes.insert(sum.worst_episodes.end(), ss.worst_episodes.begin(), ss.worst_episodes.end());

    ss.decisions.assign(nlevels, 0);
    for (const auto& d : s.decisions) {
      const auto l = static_cast<std::size_t>(std::clamp<int>(d.level, 0, static_cast<int>(nlevels) - 1));
      ++ss.decisions[l];
      ++sum.decisions[l];
    }
    ss.periods.assign(nlevels, 0);
    std::vector<std::optional<PeriodSummary>> longest(nlevels);
    for (const auto& p : s.timeline) {
      const auto l = static_cast<std::size_t>(std::clamp<int>(p.level, 0, static_cast<int>(nlevels) - 1));
      ++ss.periods[l];
      PeriodSummary ps;
      ps.station = s.station;
      ps.level = sum.level_names[l];
      ps.start = s.start + p.start;
      if (p.end >= 0) ps.end = s.start + p.end;
      ps.hours = (p.end >= 0 ? p.end : static_cast<std::int64_t>(s.hours)) - p.start;
      if (!longest[l] || ps.hours > longest[l]->hours) longest[l] = ps;
    }
    for (std::size_t l = nlevels; l-- > 1;)
      if (longest[l]) ss.longest_periods.push_back(*longest[l]);

    sum.hours += s.hours;
    sum.rows += s.rows;
    sum.gap_hours += s.gap_hours;
    sum.per_station.push_back(std::move(ss));
  }
  for (int k = 0; k < kPollutantCount; ++k)
    sum.missing_share[k] = sum.hours_with[k] > 0
                               ? static_cast<double>(sum.missing[k]) / static_cast<double>(sum.hours_with[k])
                               : kNaN;
  std::stable_sort(sum.worst_episodes.begin(), sum.worst_episodes.end(), [](const Episode& a, const Episode& b) {
    return a.peak_aqi != b.peak_aqi ? a.peak_aqi > b.peak_aqi : a.hours() > b.hours();
  });
  if (sum.worst_episodes.size() > 10) sum.worst_episodes.resize(10);
  return sum;
}

std::string format_summary_text(const AqiRunResult& result, const AqiSummary& sum) {
  const TimeZone& tz = result.tz;
  std::string o;
  o += "stations: " + std::to_string(sum.stations) + ", hours: " + std::to_string(sum.hours) + " (" +
       std::to_string(sum.rows) + " rows, " + std::to_string(sum.gap_hours) + " gap hours without a row)\n";
  o += "missing share:";
  for (Pollutant p : kReportOrder) {
    const int k = static_cast<int>(p);
    if (sum.hours_with[k] == 0) continue;
    o += " " + std::string(pollutant_name(p)) + " " + percent(sum.missing_share[k]);
  }
  o += "\n";
  o += "decision days at " + std::to_string(result.rules.issue_hour) + ":00 (" + tz.name() + "), horizon " +
       std::to_string(result.rules.horizon_hours) + " h:";
  for (std::size_t l = 0; l < sum.level_names.size(); ++l)
    o += " " + sum.level_names[l] + " " + std::to_string(sum.decisions[l]);
  o += "\n";
  o += "worst episodes (runs of 24-h AQI > " + std::to_string(kEpisodeAqi) + ") and longest responses:\n";
  for (const StationSummary& ss : sum.per_station) {
    o += "  " + ss.station + ": ";
    if (ss.peak_daily.aqi == kMissingIndex) {
      o += "no valid 24-h block\n";
      continue;
    }
    o += "peak 24-h AQI " + std::to_string(ss.peak_daily.aqi);
    const std::string prim = primary_names(ss.peak_daily.primary_mask);
    if (!prim.empty()) o += " (" + prim + ")";
    o += " ending " + short_time(ss.peak_daily_end, tz);
    if (ss.worst_episodes.empty()) {
      o += "; no episode";
    } else {
      const Episode& w = ss.worst_episodes.front();
      o += "; worst episode " + short_time(w.start, tz) + " to " + short_time(w.end, tz) + " (" +
           std::to_string(w.hours()) + " h)";
      if (ss.longest_episode && ss.longest_episode->start != w.start)
        o += "; longest " + short_time(ss.longest_episode->start, tz) + " to " +
             short_time(ss.longest_episode->end, tz) + " (" + std::to_string(ss.longest_episode->hours()) + " h)";
    }
    if (!ss.longest_periods.empty()) {
      const PeriodSummary& p = ss.longest_periods.front();  // highest level held
      o += "; longest " + p.level + " response " + std::to_string(p.hours) + " h from " + short_time(p.start, tz);
    }
    o += "\n";
  }
  return o;
}

namespace {

/// One row per station and hour: station, local time, then the AQI, primary pollutants and
/// category of `series` (empty when invalid).
std::string aqi_series_csv(const AqiRunResult& result, std::string_view header,
                           std::vector<AqiResult> StationAqi::*series) {
  std::string o(header);
  LocalLabels label(result.tz);
  for (const StationAqi& s : result.stations) {
    o.reserve(o.size() + s.hours * (s.station.size() + 48));
    const std::vector<AqiResult>& values = s.*series;
    for (std::size_t h = 0; h < s.hours; ++h) {
      const AqiResult& a = values[h];
      append_csv(o, s.station);
      o += ',';
      o += label(s.start + static_cast<UtcHour>(h));
      o += ',';
      if (a.aqi != kMissingIndex) {
        append_int(o, a.aqi);
        o += ',';
        o += primary_names(a.primary_mask);
        o += ',';
        o += category_name(a.category());
      } else {
        o += ",,";
      }
      o += '\n';
    }
  }
  return o;
}

}  // namespace

std::string hourly_csv(const AqiRunResult& result) {
  return aqi_series_csv(result, "station,time,aqi,primary,category\n", &StationAqi::hourly);
}

std::string daily_csv(const AqiRunResult& result) {
  return aqi_series_csv(result, "station,time,aqi_24h,primary_24h,category_24h\n", &StationAqi::daily);
}

std::string decisions_csv(const AqiRunResult& result) {
  // undecided_up_to: the highest level the series' end leaves undecided (neither proved nor ruled
  // out: WarningDecision::open_level), empty when every higher level is decided.
  std::string o = "station,issue_time,level,window_start,reason,undecided_up_to\n";
  for (const StationAqi& s : result.stations) {
    for (const WarningDecision& d : s.decisions) {
      append_csv(o, s.station);
      o += ',';
      o += format_local(s.start + d.issue_index, result.tz);
      o += ',';
      append_csv(o, result.rules.level_name(d.level));
      o += ',';
      if (d.level > 0 && d.window_start >= 0) o += format_local(s.start + d.window_start, result.tz);
      o += ',';
      append_csv(o, d.reason);
      o += ',';
      if (d.open_level > 0) append_csv(o, result.rules.level_name(d.open_level));
      o += '\n';
    }
  }
  return o;
}

std::string timeline_csv(const AqiRunResult& result) {
  std::string o = "station,level,start,end,start_reason,end_reason\n";
  for (const StationAqi& s : result.stations) {
    for (const ResponsePeriod& p : s.timeline) {
      append_csv(o, s.station);
      o += ',';
      append_csv(o, result.rules.level_name(p.level));
      o += ',';
      o += format_local(s.start + p.start, result.tz);
      o += ',';
      if (p.end >= 0) o += format_local(s.start + p.end, result.tz);
      o += ',';
      append_csv(o, p.start_reason);
      o += ',';
      append_csv(o, p.end_reason);
      o += '\n';
    }
  }
  return o;
}

std::string summary_json(const AqiRunResult& result, const AqiSummary& sum) {
  const TimeZone& tz = result.tz;
  std::string o;
  auto key = [&](std::string_view k) {
    append_json_string(o, k);
    o += ": ";
  };
  auto shares = [&](const std::array<double, kPollutantCount>& share) {
    o += "{";
    bool first = true;
    for (Pollutant p : kReportOrder) {
      if (!first) o += ", ";
      first = false;
      key(pollutant_name(p));
      append_json_number(o, share[static_cast<int>(p)]);
    }
    o += "}";
  };
  auto counts = [&](const std::vector<std::size_t>& c) {
    o += "{";
    for (std::size_t l = 0; l < c.size(); ++l) {
      if (l) o += ", ";
      key(sum.level_names[l]);
      append_int(o, static_cast<std::int64_t>(c[l]));
    }
    o += "}";
  };
  auto aqi_obj = [&](const AqiResult& a, UtcHour t, std::string_view time_key) {
    o += "{";
    key("aqi");
    if (a.aqi == kMissingIndex)
      o += "null";
    else
      append_int(o, a.aqi);
    o += ", ";
    key(time_key);
    if (a.aqi == kMissingIndex)
      o += "null";
    else
      append_json_string(o, format_local(t, tz));
    o += ", ";
    key("primary");
    append_json_string(o, primary_names(a.primary_mask));
    o += ", ";
    key("category");
    append_json_string(o, category_name(a.category()));
    o += "}";
  };
  auto episode = [&](const Episode& e) {
    o += "{";
    key("station");
    append_json_string(o, e.station);
    o += ", ";
    key("start");
    append_json_string(o, format_local(e.start, tz));
    o += ", ";
    key("end");
    append_json_string(o, format_local(e.end, tz));
    o += ", ";
    key("hours");
    append_int(o, e.hours());
    o += ", ";
    key("peak_aqi_24h");
    append_int(o, e.peak_aqi);
    o += ", ";
    key("peak_block_end");
    append_json_string(o, format_local(e.peak_block_end, tz));
    o += ", ";
    key("primary");
    append_json_string(o, primary_names(e.primary_mask));
    o += "}";
  };
  auto period = [&](const PeriodSummary& p) {
    o += "{";
    key("level");
    append_json_string(o, p.level);
    o += ", ";
    key("start");
    append_json_string(o, format_local(p.start, tz));
    o += ", ";
    key("end");
    if (p.end)
      append_json_string(o, format_local(*p.end, tz));
    else
      o += "null";
    o += ", ";
    key("hours");
    append_int(o, p.hours);
    o += "}";
  };

  o += "{\n  ";
  key("lantian_version");
#ifdef LANTIAN_VERSION
  append_json_string(o, LANTIAN_VERSION);
#else
  o += "null";
#endif
  o += ",\n  ";
  key("time_zone");
  append_json_string(o, tz.name());
  o += ",\n  ";
  key("rules");
  o += "{";
  key("issue_hour");
  append_int(o, result.rules.issue_hour);
  o += ", ";
  key("horizon_hours");
  append_int(o, result.rules.horizon_hours);
  o += ", ";
  key("release_hours");
  append_int(o, result.rules.release_hours);
  o += ", ";
  key("levels");
  o += "[";
  for (std::size_t l = 0; l < result.rules.levels.size(); ++l) {
    if (l) o += ", ";
    append_json_string(o, result.rules.levels[l].name);
  }
  o += "], ";
  key("min_hours_24h");
  append_int(o, result.validity.min_hours_24h);
  o += ", ";
  key("episode_aqi_above");
  append_int(o, kEpisodeAqi);
  o += "},\n  ";
  key("station_count");
  append_int(o, static_cast<std::int64_t>(sum.stations));
  o += ",\n  ";
  key("hours");
  append_int(o, static_cast<std::int64_t>(sum.hours));
  o += ",\n  ";
  key("rows");
  append_int(o, static_cast<std::int64_t>(sum.rows));
  o += ",\n  ";
  key("gap_hours");
  append_int(o, static_cast<std::int64_t>(sum.gap_hours));
  o += ",\n  ";
  key("missing_share");
  shares(sum.missing_share);
  o += ",\n  ";
  key("decisions");
  counts(sum.decisions);
  o += ",\n  ";
  key("worst_episodes");
  o += "[";
  for (std::size_t i = 0; i < sum.worst_episodes.size(); ++i) {
    o += i ? ",\n    " : "\n    ";
    episode(sum.worst_episodes[i]);
  }
  o += sum.worst_episodes.empty() ? "]" : "\n  ]";
  o += ",\n  ";
  key("stations");
  o += "[";
  for (std::size_t i = 0; i < sum.per_station.size(); ++i) {
    const StationSummary& ss = sum.per_station[i];
    o += i ? ",\n    {" : "\n    {";
    key("station");
    append_json_string(o, ss.station);
    o += ", ";
    key("start");
    append_json_string(o, format_local(ss.start, tz));
    o += ", ";
    key("end");
    append_json_string(o, format_local(ss.start + static_cast<UtcHour>(ss.hours), tz));
    o += ", ";
    key("hours");
    append_int(o, static_cast<std::int64_t>(ss.hours));
    o += ", ";
    key("rows");
    append_int(o, static_cast<std::int64_t>(ss.rows));
    o += ", ";
    key("gap_hours");
    append_int(o, static_cast<std::int64_t>(ss.gap_hours));
    o += ",\n     ";
    key("missing_share");
    shares(ss.missing_share);
    o += ",\n     ";
    key("peak_hourly");
    aqi_obj(ss.peak_hourly, ss.peak_hourly_time, "time");
    o += ",\n     ";
    key("peak_24h");
    aqi_obj(ss.peak_daily, ss.peak_daily_end, "block_end");
    o += ",\n     ";
    key("worst_episodes");
    o += "[";
    for (std::size_t e = 0; e < ss.worst_episodes.size(); ++e) {
      if (e) o += ", ";
      episode(ss.worst_episodes[e]);
    }
    o += "],\n     ";
    key("longest_episode");
    if (ss.longest_episode)
      episode(*ss.longest_episode);
    else
      o += "null";
    o += ",\n     ";
    key("longest_periods");
    o += "[";
    for (std::size_t p = 0; p < ss.longest_periods.size(); ++p) {
      if (p) o += ", ";
      period(ss.longest_periods[p]);
    }
    o += "],\n     ";
    key("decisions");
    counts(ss.decisions);
    o += ",\n     ";
    key("response_periods");
    counts(ss.periods);
    o += "}";
  }
  o += sum.per_station.empty() ? "]" : "\n  ]";
  o += "\n}\n";
  return o;
}

void write_aqi_outputs(const AqiRunResult& result, const OutputRequest& out) {
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    const AqiSummary sum = summarize(result);
    write_file(tmp / "hourly.csv", hourly_csv(result));
    write_file(tmp / "daily.csv", daily_csv(result));
    write_file(tmp / "decisions.csv", decisions_csv(result));
    write_file(tmp / "timeline.csv", timeline_csv(result));
    write_file(tmp / "summary.json", summary_json(result, sum));
  });
}

}  // namespace lantian
