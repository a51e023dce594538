// Heavy-pollution warning levels (重污染天气预警分级) and the response timeline (应急响应):
// the engine's definition of ../shared/DOMAIN.md §3, written out in docs/warning-rules.md.
#include "scenarios/warning.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"
#include "scenarios/aqi.hpp"

namespace lantian {

namespace {

constexpr int kBlockHours = 24;      ///< a daily-AQI block: any 24 consecutive hours (DOMAIN.md §2)
constexpr int kMaxIndex = 500;       ///< top of the AQI scale (HJ 633-2012)

std::string level_path(std::size_t i) { return "warning.levels[" + std::to_string(i) + "]"; }

bool iequal(std::string_view a, std::string_view b) noexcept {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::string join_blocks(std::span<const int> v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i] == kMissingIndex ? std::string("invalid") : std::to_string(v[i]);
  }
  return s;
}

/// The earliest start s in [first, end - D] at which `c` holds (DOMAIN.md §3): the D/24
/// consecutive non-overlapping blocks [s, s+24), [s+24, s+48), ... are all valid with AQI >
/// c.above, and, if c.and_block_above > 0, some block [s', s'+24) with s <= s' <= s+D-24 has AQI
/// > c.and_block_above. Only starts before `stop` are tried. Returns -1 when none, and sets
/// `extra` to the first such s'.
std::int64_t earliest_window(std::span<const int> block_aqi, const WarningCondition& c, std::int64_t first,
                             std::int64_t end, std::int64_t stop, std::int64_t& extra) {
  const std::int64_t d = c.hours;
  for (std::int64_t s = first; s + d <= end && s < stop; ++s) {
    bool ok = true;
    for (std::int64_t b = s; b < s + d && ok; b += kBlockHours) {
      const int a = block_aqi[static_cast<std::size_t>(b)];
      ok = a != kMissingIndex && a > c.above;
    }
    if (!ok) continue;
    if (c.and_block_above <= 0) return s;
    for (std::int64_t b = s; b + kBlockHours <= s + d; ++b) {
      const int a = block_aqi[static_cast<std::size_t>(b)];
      if (a != kMissingIndex && a > c.and_block_above) {
        extra = b;
        return s;
      }
    }
  }
  return -1;
}

/// Whether `c` is left open at t0 by the end of the series n (ClassifyWarning's undecided): some
/// start s with s + D <= t0 + horizon and s + D > n (the window runs past the end) whose blocks
/// inside the series ([b, b+24) with b + 24 <= n) are all valid and > c.above. The extra block
/// (> and_block_above) may always lie in the unknown part, so it leaves such a window open too.
bool condition_open(std::span<const int> block_aqi, const WarningCondition& c, std::int64_t t0,
                    std::int64_t horizon, std::int64_t n) {
  const std::int64_t d = c.hours;
  if (d > horizon) return false;  // never decidable: an unreachable level, not a truncated one
  for (std::int64_t s = std::max<std::int64_t>(t0, 0); s + d <= t0 + horizon; ++s) {
    if (s + d <= n) continue;  // fully inside: classify_warning decided it
    bool ok = true;
    for (std::int64_t b = s; b + kBlockHours <= n && b < s + d && ok; b += kBlockHours) {
      const int a = block_aqi[static_cast<std::size_t>(b)];
      ok = a != kMissingIndex && a > c.above;
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace

std::string WarningCondition::describe() const {
  std::string s = "daily AQI > " + std::to_string(above) + " for >= " + std::to_string(hours) + " h";
  if (and_block_above > 0) s += " and some block > " + std::to_string(and_block_above);
  return s;
}

WarningRules WarningRules::national() {
  // DOMAIN.md §3 (seed 002 §3.2.1; the same rule in seeds 000 and 003):
  //   yellow (III): daily AQI > 200 for 24 h, or > 150 lasting >= 48 h;
  //   orange (II):  daily AQI > 200 lasting >= 48 h, or > 150 lasting >= 72 h;
  //   red (I):      daily AQI > 200 lasting >= 72 h and > 300 lasting >= 24 h.
  // Release thresholds (DOMAIN.md §3 "Adjustment", seed 002 §3.2.2): the response drops from a
  // level when the trailing daily AQI stays at or below that level's lower threshold for 36 h:
  // yellow 150 (its "> 150" start standard: lifting needs the air back at or below yellow's 150
  // for >= 36 h, "改善至黄色预警启动标准以下，且将持续36小时及以上"), orange 200 (its "> 200"
  // clause), red 300 (its "> 300" block). See release_threshold() for lifts from orange/red.
  WarningRules r;
  r.levels = {
      {"yellow", "黄色", {{200, 24, 0}, {150, 48, 0}}, 150},
      {"orange", "橙色", {{200, 48, 0}, {150, 72, 0}}, 200},
      {"red", "红色", {{200, 72, 300}}, 300},
  };
  r.horizon_hours = 72;
  r.issue_hour = 16;
  r.release_hours = 36;
  return r;
}

void WarningRules::validate() const {
  const auto fail = [](const std::string& where, const std::string& msg) { throw Error(ErrorContext{"", 0, where}, msg); };
  if (horizon_hours < kBlockHours)
    fail("warning.horizon_hours", "expected at least 24 h (one daily-AQI block), found " + std::to_string(horizon_hours));
  if (issue_hour < 0 || issue_hour > 23)
    fail("warning.issue_hour", "expected a local hour 0..23, found " + std::to_string(issue_hour));
  if (release_hours <= 0)
    fail("warning.release_hours", "expected a positive number of hours, found " + std::to_string(release_hours));
  if (levels.empty()) fail("warning.levels", "expected at least one warning level");
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const WarningLevelRule& lv = levels[i];
    const std::string path = level_path(i);
    const std::string who = "level '" + lv.name + "': ";
    if (lv.name.empty()) fail(path + ".name", "expected a non-empty level name");
    if (iequal(lv.name, "none")) fail(path + ".name", "'none' is reserved for no warning");
    for (std::size_t j = 0; j < i; ++j)
      if (iequal(levels[j].name, lv.name))
        fail(path + ".name", who + "name already used by " + level_path(j) + "; level names must be unique");
    if (lv.release_at_or_below < 0 || lv.release_at_or_below > kMaxIndex)
      fail(path + ".release_at_or_below", who + "expected an AQI 0..500, found " + std::to_string(lv.release_at_or_below));
    if (lv.any_of.empty()) fail(path + ".any_of", who + "expected at least one condition");
    for (std::size_t k = 0; k < lv.any_of.size(); ++k) {
      const WarningCondition& c = lv.any_of[k];
      const std::string cp = path + ".any_of[" + std::to_string(k) + "]";
      if (c.above < 0 || c.above > kMaxIndex)
        fail(cp + ".above", who + "expected an AQI 0..500, found " + std::to_string(c.above));
      if (c.hours <= 0 || c.hours % kBlockHours != 0)
        fail(cp + ".hours", who + "expected a positive multiple of 24, found " + std::to_string(c.hours));
      if (c.and_block_above < 0 || c.and_block_above > kMaxIndex)
        fail(cp + ".and_block_above",
             who + "expected an AQI 0..500 (0: no extra condition), found " + std::to_string(c.and_block_above));
    }
  }
}

int WarningRules::level_index(std::string_view name) const {
  if (iequal(name, "none")) return 0;
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (iequal(levels[i].name, name)) return static_cast<int>(i) + 1;
  return -1;
}

std::string_view WarningRules::level_name(int level) const {
  if (level == 0) return "none";
  if (level < 0 || static_cast<std::size_t>(level) > levels.size()) return "unknown";
  return levels[static_cast<std::size_t>(level - 1)].name;
}

std::vector<std::string> WarningRules::unreachable_levels() const {
  std::vector<std::string> out;
  for (const WarningLevelRule& lv : levels) {
    const bool reachable = std::any_of(lv.any_of.begin(), lv.any_of.end(),
                                       [&](const WarningCondition& c) { return c.hours <= horizon_hours; });
    if (!reachable) out.push_back(lv.name);
  }
  return out;
}

int WarningRules::release_threshold(int from, int to) const {
  if (from <= 0 || static_cast<std::size_t>(from) > levels.size()) return std::numeric_limits<int>::max();
  if (to > 0) return levels[static_cast<std::size_t>(from - 1)].release_at_or_below;
  int t = std::numeric_limits<int>::max();
  for (int l = 1; l <= from; ++l) t = std::min(t, levels[static_cast<std::size_t>(l - 1)].release_at_or_below);
  return t;
}

std::vector<int> block_aqi_from_trailing(std::span<const int> trailing_aqi) {
  const std::size_t n = trailing_aqi.size();
  std::vector<int> out(n, kMissingIndex);
  for (std::size_t i = 0; i + kBlockHours <= n; ++i) out[i] = trailing_aqi[i + kBlockHours - 1];
  return out;
}

namespace {

std::string hour_label(const HourLabel& label, std::int64_t i) {
  return label ? label(i) : "hour " + std::to_string(i);
}

/// "none" explained: the highest valid block AQI of the horizon, or why there is none.
std::string none_reason(std::span<const int> block_aqi, std::int64_t t0, const WarningRules& rules,
                        const HourLabel& label) {
  const auto n = static_cast<std::int64_t>(block_aqi.size());
  std::string r = "none: no level's condition holds in the " + std::to_string(rules.horizon_hours) + "-h horizon";
  const std::int64_t last_start = std::min<std::int64_t>(t0 + rules.horizon_hours, n) - kBlockHours;
  int best = kMissingIndex;
  std::int64_t best_at = -1, blocks = 0, invalid = 0;
  for (std::int64_t b = std::max<std::int64_t>(t0, 0); b <= last_start; ++b) {
    ++blocks;
    const int a = block_aqi[static_cast<std::size_t>(b)];
    if (a == kMissingIndex) {
      ++invalid;
    } else if (a > best) {
      best = a;
      best_at = b;
    }
  }
  if (blocks == 0) {
    r += "; the series ends before a full 24-h block";
  } else if (best_at < 0) {
    r += "; all " + std::to_string(blocks) + " 24-h blocks invalid (too few valid hours)";
  } else {
    r += "; highest 24-h block AQI " + std::to_string(best) + " from " + hour_label(label, best_at);
    if (invalid > 0) r += "; " + std::to_string(invalid) + " of " + std::to_string(blocks) + " blocks invalid";
  }
  return r;
}

/// Sets d.open_level: the highest level above d.level with an open condition, and says so.
void add_open_level(WarningDecision& d, std::span<const int> block_aqi, std::int64_t t0, const WarningRules& rules,
                    std::int64_t n) {
  if (t0 + rules.horizon_hours <= n) return;  // the whole horizon is inside the series
  for (std::size_t l = rules.levels.size(); l-- > static_cast<std::size_t>(d.level);) {
    const WarningLevelRule& lv = rules.levels[l];
    for (const WarningCondition& c : lv.any_of) {
      if (!condition_open(block_aqi, c, t0, rules.horizon_hours, n)) continue;
      d.open_level = static_cast<int>(l) + 1;
      d.reason += "; " + lv.name + " undecided: " + c.describe() + " needs a window past the end of the series (" +
                  std::to_string(n - t0) + " h remain of the " + std::to_string(rules.horizon_hours) + "-h horizon)";
      return;
    }
  }
}

}  // namespace

WarningDecision classify_warning(std::span<const int> block_aqi, std::int64_t t0, const WarningRules& rules,
                                 const HourLabel& label) {
  WarningDecision d;
  d.issue_index = t0;
  // Windows lie inside the horizon [t0, t0 + H) and inside the series.
  const std::int64_t n = static_cast<std::int64_t>(block_aqi.size());
  const std::int64_t first = std::max<std::int64_t>(t0, 0);
  const std::int64_t end = std::min<std::int64_t>(t0 + rules.horizon_hours, n);
  // Highest level first: yellow's "and the orange/red conditions are not met" (DOMAIN.md §3).
  for (std::size_t l = rules.levels.size(); l-- > 0;) {
    const WarningLevelRule& lv = rules.levels[l];
    std::int64_t best = std::numeric_limits<std::int64_t>::max(), best_extra = -1;
    int best_c = -1;
    for (std::size_t c = 0; c < lv.any_of.size(); ++c) {
      std::int64_t extra = -1;
      // Strictly earlier starts only: ties go to the condition listed first.
      const std::int64_t s = earliest_window(block_aqi, lv.any_of[c], first, end, best, extra);
      if (s < 0) continue;
      best = s;
      best_extra = extra;
      best_c = static_cast<int>(c);
    }
    if (best_c < 0) continue;
    const WarningCondition& cond = lv.any_of[static_cast<std::size_t>(best_c)];
    d.level = static_cast<int>(l) + 1;
    d.window_start = best;
    d.window_hours = cond.hours;
    d.condition = best_c;
    for (std::int64_t b = best; b < best + cond.hours; b += kBlockHours)
      d.block_aqis.push_back(block_aqi[static_cast<std::size_t>(b)]);
    if (best_extra >= 0) {
      d.extra_block_start = best_extra;
      d.extra_block_aqi = block_aqi[static_cast<std::size_t>(best_extra)];
    }
    d.reason = lv.name + ": " + cond.describe() + "; 24-h blocks from " + hour_label(label, best) + ": AQI " +
               join_blocks(d.block_aqis);
    if (best_extra >= 0)
      d.reason += "; block from " + hour_label(label, best_extra) + ": AQI " + std::to_string(d.extra_block_aqi);
    add_open_level(d, block_aqi, t0, rules, n);
    return d;
  }
  d.reason = none_reason(block_aqi, t0, rules, label);
  add_open_level(d, block_aqi, t0, rules, n);
  return d;
}

namespace {

/// A change of the own (locally decided) level at a series index.
struct OwnChange {
  std::int64_t at = 0;
  int level = 0;
  std::string reason;
};


/// The own-level changes from the daily decisions (DOMAIN.md §3 "Adjustment").
std::vector<OwnChange> own_changes(std::span<const int> trailing_aqi, std::span<const WarningDecision> decisions,
                                   const WarningRules& rules, const HourLabel& label, int own) {
  const auto n = static_cast<std::int64_t>(trailing_aqi.size());
  const auto levels = static_cast<int>(rules.levels.size());
  std::vector<OwnChange> out;
  std::int64_t previous = -1;
  for (std::size_t k = 0; k < decisions.size(); ++k) {
    const WarningDecision& d = decisions[k];
    const std::string where = "decisions[" + std::to_string(k) + "]";
    const std::int64_t t0 = d.issue_index;
    if (t0 < 0 || t0 >= n)
      throw Error(ErrorContext{"", 0, where}, "issue index " + std::to_string(t0) + " outside the series [0, " +
                                                  std::to_string(n) + ")");
    if (t0 <= previous)
      throw Error(ErrorContext{"", 0, where}, "issue indices must increase: " + std::to_string(t0) + " after " +
                                                  std::to_string(previous));
    if (d.level < 0 || d.level > levels)
      throw Error(ErrorContext{"", 0, where}, "level " + std::to_string(d.level) + " outside 0.." + std::to_string(levels));
    previous = t0;
    const std::string decided = "decision at " + hour_label(label, t0) + ": " +
                                (d.reason.empty() ? std::string(rules.level_name(d.level)) : d.reason);
    if (d.level > own) {
      // Upgrade at once; the lower level ends automatically (高等级预警启动后，低等级预警自动解除).
      own = d.level;
      out.push_back({t0, own, decided});
    } else if (d.level < own) {
      // A level the truncated horizon leaves undecided is not a lower level: the target is the
      // highest level not ruled out.
      const int target = std::max(d.level, d.open_level);
      if (target >= own) continue;
      // Downgrade or lift only when the forecast stays improved for release_hours
      // (如预测未来空气质量将改善，且将持续36小时及以上).
      const int threshold = rules.release_threshold(own, target);
      const std::int64_t stop = t0 + rules.release_hours;
      bool released = stop <= n;
      int worst = kMissingIndex;
      for (std::int64_t h = t0; released && h < stop; ++h) {
        const int a = trailing_aqi[static_cast<std::size_t>(h)];
        released = a != kMissingIndex && a <= threshold;
        worst = std::max(worst, a);
      }
      if (!released) continue;
      own = target;
      out.push_back({t0, own,
                     decided + "; trailing daily AQI <= " + std::to_string(threshold) + " (at most " +
                         std::to_string(worst) + ") at every hour of [" + hour_label(label, t0) + ", " +
                         hour_label(label, stop) + ")"});
    }
  }
  return out;
}

}  // namespace

ResponseOutlook response_outlook(std::span<const int> trailing_aqi, std::span<const ResponsePeriod> timeline,
                                 std::span<const WarningDecision> decisions, const WarningRules& rules,
                                 const HourLabel& label) {
  ResponseOutlook o;
  const auto n = static_cast<std::int64_t>(trailing_aqi.size());
  if (timeline.empty()) {
    o.text = "no response in the forecast";
    return o;
  }
  // The last response: the last period and the contiguous ones before it.
  std::size_t first = timeline.size() - 1;
  while (first > 0 && timeline[first - 1].end == timeline[first].start) --first;
  const ResponsePeriod& last = timeline.back();
  o.any = true;
  o.start = timeline[first].began.value_or(timeline[first].start);
  if (last.end >= 0 && last.end < n) {
    o.lift = last.end;
    o.duration_hours = o.lift - o.start;
    o.text = "lifted at " + hour_label(label, o.lift) + " after " + std::to_string(o.duration_hours) + " h";
    return o;
  }
  o.open = true;
  o.level = last.level;
  o.duration_hours = n - o.start;
  o.lift_threshold = rules.release_threshold(o.level, 0);
  const std::int64_t r = rules.release_hours;
  // Issue hours: the decisions', then every 24 h after the last one.
  std::vector<std::int64_t> issues;
  for (const WarningDecision& d : decisions) issues.push_back(d.issue_index);
  std::int64_t next = issues.empty() ? o.start : issues.back();
  while (next < n + kBlockHours) issues.push_back(next += kBlockHours);
  for (const std::int64_t t0 : issues) {
    if (t0 <= o.start || t0 + r <= n) continue;  // decided inside the series: no lift then
    bool possible = true;
    for (std::int64_t h = t0; h < n && possible; ++h) {
      const int a = trailing_aqi[static_cast<std::size_t>(h)];
      possible = a != kMissingIndex && a <= o.lift_threshold;
    }
    if (!possible) continue;
    o.earliest_lift = t0;
    break;
  }
  const int at_end = n > 0 ? trailing_aqi[static_cast<std::size_t>(n - 1)] : kMissingIndex;
  o.text = "no lift within the forecast: " + std::string(rules.level_name(o.level)) + " in force at its end (" +
           std::to_string(o.duration_hours) + " h so far, trailing daily AQI " +
           (at_end == kMissingIndex ? std::string("invalid") : std::to_string(at_end)) + " at the last hour)";
  if (o.earliest_lift >= 0) {
    o.text += "; earliest lift at the decision of " + hour_label(label, o.earliest_lift) +
              ", if the trailing daily AQI stays <= " + std::to_string(o.lift_threshold) + " until " +
              hour_label(label, o.earliest_lift + r);
  }
  return o;
}

int imposed_level_at(std::span<const ImposedLevel> imposed, std::int64_t i) noexcept {
  int level = 0;
  for (const ImposedLevel& p : imposed)
    if (i >= p.start && i < p.end) level = std::max(level, p.level);
  return level;
}

std::vector<ResponsePeriod> response_timeline(std::span<const int> trailing_aqi,
                                              std::span<const WarningDecision> decisions,
                                              std::span<const ImposedLevel> imposed, const WarningRules& rules,
                                              const HourLabel& label, const ResponseState& in_force) {
  const auto n = static_cast<std::int64_t>(trailing_aqi.size());
  const auto levels = static_cast<int>(rules.levels.size());
  if (in_force.level < 0 || in_force.level > levels)
    throw Error(ErrorContext{"", 0, "in_force"},
                "level " + std::to_string(in_force.level) + " outside 0.." + std::to_string(levels));
  if (in_force.since > 0)
    throw Error(ErrorContext{"", 0, "in_force"},
                "a response in force began at or before the series start, found index " + std::to_string(in_force.since));
  const std::vector<OwnChange> changes = own_changes(trailing_aqi, decisions, rules, label, in_force.level);

  // Imposed periods clipped to the series.
  std::vector<ImposedLevel> imp;
  for (std::size_t k = 0; k < imposed.size(); ++k) {
    const ImposedLevel& p = imposed[k];
    if (p.level < 0 || p.level > levels)
      throw Error(ErrorContext{"", 0, "imposed[" + std::to_string(k) + "]"},
                  "level " + std::to_string(p.level) + " outside 0.." + std::to_string(levels));
    const std::int64_t a = std::clamp<std::int64_t>(p.start, 0, n), b = std::clamp<std::int64_t>(p.end, 0, n);
    if (b > a && p.level > 0) imp.push_back({a, b, p.level});
  }

  // The effective level is piecewise constant between these points.
  std::vector<std::int64_t> points{0};
  for (const OwnChange& c : changes) points.push_back(c.at);
  for (const ImposedLevel& p : imp) {
    points.push_back(p.start);
    if (p.end < n) points.push_back(p.end);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  std::vector<ResponsePeriod> out;
  std::size_t next_change = 0;
  int own = in_force.level, imposed_level = 0, effective = 0;
  for (const std::int64_t at : points) {
    if (at >= n) break;
    const OwnChange* change = nullptr;
    if (next_change < changes.size() && changes[next_change].at == at) {
      change = &changes[next_change++];
      own = change->level;
    }
    const int prev_imposed = imposed_level;
    imposed_level = imposed_level_at(imp, at);
    const int now = std::max(own, imposed_level);
    if (now == effective) continue;
    const std::string idx = " at " + hour_label(label, at);
    const std::string now_name(rules.level_name(now));
    if (effective > 0) {
      ResponsePeriod& p = out.back();
      p.end = at;
      if (now > effective) {
        p.end_reason = "upgraded to " + now_name + idx;
        if (imposed_level == now && own < now) p.end_reason += " (imposed by higher authority)";
      } else {
        // Dropped: the own level was released, and/or an imposed period ended.
        std::string why;
        if (prev_imposed == effective && imposed_level < effective)
          why = "imposed by higher authority: " + std::string(rules.level_name(prev_imposed)) + " period ended" + idx;
        if (change && change->level < effective)
          why += (why.empty() ? "" : "; ") + std::string(now == 0 ? "lifted: " : "downgraded to " + now_name + ": ") +
                 change->reason;
        else if (now == 0)
          why += "; lifted";
        else
          why += "; own level " + now_name + " continues";
        p.end_reason = why;
      }
    }
    if (now > 0) {
      ResponsePeriod p;
      p.level = now;
      p.start = at;
      if (change && change->level == now) {
        p.start_reason = change->reason;
        if (imposed_level == now) p.start_reason += "; also imposed by higher authority";
      } else if (at == 0 && in_force.level == now) {
        p.start_reason = "in force since " + hour_label(label, in_force.since) + " (the response state at the start)";
        p.began = in_force.since;
      } else if (imposed_level == now) {
        p.start_reason = "imposed by higher authority: " + now_name + " from " + hour_label(label, at);
        if (own > 0) p.start_reason += " (own level " + std::string(rules.level_name(own)) + ")";
      } else {
        p.start_reason = "own level " + now_name + " continues after the imposed " +
                         std::string(rules.level_name(prev_imposed)) + " period ended" + idx;
      }
      out.push_back(std::move(p));
    }
    effective = now;
  }
  return out;
}

}  // namespace lantian
