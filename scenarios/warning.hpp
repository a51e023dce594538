#pragma once
// Heavy-pollution warning levels (重污染天气预警分级) and the response timeline, exactly as
// defined in ../shared/DOMAIN.md §3. Every threshold, duration, the horizon and the issue
// hour are configuration (WarningRules); the defaults are the national rule.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_axis.hpp"

namespace lantian {

/// One clause: "daily AQI > above, lasting `hours`" = hours/24 consecutive non-overlapping
/// 24-h blocks [s, s+24), [s+24, s+48), ... all valid with AQI > above.
/// If `and_block_above` > 0 the same window must also contain some 24-h block (any start,
/// inside the window) with AQI > and_block_above (red's extra 300 condition).
struct WarningCondition {
  int above = 200;
  int hours = 24;            ///< multiple of 24
  int and_block_above = 0;   ///< 0 = no extra condition
  std::string describe() const;  ///< e.g. "daily AQI > 200 for >= 72 h and some block > 300"
  bool operator==(const WarningCondition&) const = default;
};

/// A level holds when any of its conditions holds.
struct WarningLevelRule {
  std::string name;                       ///< "yellow", "orange", "red" (or "blue", ...)
  std::string name_zh;                    ///< 黄色, 橙色, 红色
  std::vector<WarningCondition> any_of;
  /// Downgrade/lift from this level needs the trailing daily AQI <= release_at_or_below for
  /// `release_hours` from the issue time on (seed 002 §3.2.2: 持续36小时及以上).
  /// National defaults: yellow 150, orange 200, red 300. A lift (to "none") needs the lowest
  /// of these up to the current level instead: see WarningRules::release_threshold.
  int release_at_or_below = 150;
  bool operator==(const WarningLevelRule&) const = default;
};

struct WarningRules {
  std::vector<WarningLevelRule> levels;  ///< ordered low to high; index+1 is the level number
  int horizon_hours = 72;                ///< decision looks at [t0, t0 + horizon)
  int issue_hour = 16;                   ///< local hour of the daily decision
  int release_hours = 36;
  /// The national rule of DOMAIN.md §3 (yellow/orange/red).
  static WarningRules national();
  /// Throws lantian::Error naming the offending level/field by key path
  /// ("warning.levels[1].any_of[0].hours", message "level 'orange': ..."): levels non-empty,
  /// names non-empty, not "none" and unique (case-insensitive), each level with >= 1 condition,
  /// hours positive multiples of 24 and <= horizon_hours, above/and_block_above/
  /// release_at_or_below in 0..500, horizon_hours >= 24, release_hours > 0, issue_hour 0..23.
  void validate() const;
  /// Level number by name (1-based), 0 for "none"; -1 when unknown.
  int level_index(std::string_view name) const;
  std::string_view level_name(int level) const;  ///< "none" for 0, "unknown" out of range
  /// The trailing daily AQI at or below which the response may drop from level `from` to the
  /// lower level `to` (0 = lift), for release_hours (DOMAIN.md §3 "Adjustment"):
  ///   a downgrade (to > 0) needs the current level's release_at_or_below (orange 200, red 300);
  ///   a lift (to == 0) needs the air back at or below the lowest level's start standard, i.e.
  ///   the smallest release_at_or_below of levels 1..from (yellow 150 nationally), per seed 002
  ///   §3.2.2 "改善至黄色预警启动标准以下，且将持续36小时及以上".
  int release_threshold(int from, int to) const;
  /// Levels none of whose conditions fits in the horizon (e.g. red with a 48-h horizon): legal,
  /// such a level is simply never decided; the CLI warns about it.
  std::vector<std::string> unreachable_levels() const;
  bool operator==(const WarningRules&) const = default;
};

/// Block AQIs for classification: block_aqi[i] = daily AQI of [i, i+24) (the 24-h block
/// STARTING at hour i), kMissingIndex when invalid or beyond the series.
/// (daily_aqi_trailing(...)[i + 23] gives it.)
std::vector<int> block_aqi_from_trailing(std::span<const int> trailing_aqi);

/// Labels a series index in reasons (e.g. the local time of that hour). An empty label
/// writes "hour N".
using HourLabel = std::function<std::string(std::int64_t index)>;

/// Why a level was decided: the condition, the window and the block AQIs that prove it.
struct WarningDecision {
  int level = 0;                 ///< 0 none, 1.. per WarningRules::levels
  std::int64_t issue_index = 0;  ///< t0, index into the series
  std::int64_t window_start = -1;  ///< s, index; -1 when level == 0
  int window_hours = 0;
  int condition = -1;            ///< index into levels[level-1].any_of
  std::vector<int> block_aqis;   ///< AQI of each consecutive block of the window
  std::int64_t extra_block_start = -1;  ///< the > and_block_above block, if any
  int extra_block_aqi = 0;
  /// The highest level above `level` that this decision can neither prove nor rule out because
  /// the series ends inside the horizon (undecided, 不可判定): some window of one of its
  /// conditions runs past the last hour and every block of it that lies inside the series
  /// qualifies (condition_open). 0 when every higher level is decided. A decision whose
  /// open_level is at or above the level in force is no reason to downgrade (response_timeline).
  int open_level = 0;
  std::string reason;            ///< human-readable, English
};

/// The decision at t0: highest level whose condition holds on a window inside
/// [t0, t0 + horizon) (and inside the series); the earliest proving window is reported (ties
/// between the level's conditions go to the one listed first), and for a condition with
/// and_block_above the earliest qualifying block inside that window. `reason` labels hours
/// with `label`, e.g. "orange: daily AQI > 200 for >= 48 h; 24-h blocks from 2015-12-07T16:00:00+08:00:
/// AQI 245, 262"; for "none" it names the highest valid block AQI in the horizon. When the series
/// ends before t0 + horizon, the levels above the decided one that the truncated horizon leaves
/// open set open_level and the reason says "red undecided: ..." (never a lower level proved).
WarningDecision classify_warning(std::span<const int> block_aqi, std::int64_t t0, const WarningRules& rules,
                                 const HourLabel& label = {});

/// A level imposed by a higher authority (上级预警) over [start, end) (series indices).
struct ImposedLevel {
  std::int64_t start = 0, end = 0;
  int level = 0;
};

/// One response period (应急响应): level held over [start, end) (series indices; end == -1
/// while still active at the end of the series).
struct ResponsePeriod {
  int level = 0;
  std::int64_t start = 0, end = -1;
  std::string start_reason, end_reason;
  /// The response in force when the series starts (ResponseState): the index (<= 0) at which it
  /// began, before the series; start is then 0. nullopt for a period that starts in the series.
  std::optional<std::int64_t> began;
};

/// The response in force when a series starts (the daily cycle's state, 当前预警状态): its own
/// level (0: none) and the series index at which it began (<= 0; e.g. -24 for "since yesterday's
/// 16:00" in a series that starts at 16:00). The timeline starts from it: the level holds until a
/// decision upgrades it or a release window proves a downgrade or a lift.
struct ResponseState {
  int level = 0;
  std::int64_t since = 0;
};

/// Response timeline from daily decisions at the issue hour (issue_indices ascending, inside
/// [0, trailing_aqi.size())): upgrade at once at the issue time; when a decision is below the
/// current own level, the target is max(decided level, open_level) (a level the truncated
/// horizon leaves undecided is never read as a lower one); below the current level the response
/// drops to it (or lifts when it is 0) only when the trailing daily AQI at every hour of
/// [t0, t0 + release_hours) is valid and <= rules.release_threshold(current, target) (so a
/// release window that runs past the end of the series never releases); otherwise the level is
/// kept. The effective level is the max of the own level and
/// any imposed level (reasons then say "imposed by higher authority"). Periods hold one
/// effective level each; their reasons label hours with `label`.
/// `in_force`: the own level at index 0 (a period in force then has `began` = in_force.since).
/// Throws lantian::Error on unordered decisions, bad levels or since > 0.
std::vector<ResponsePeriod> response_timeline(std::span<const int> trailing_aqi,
                                              std::span<const WarningDecision> decisions,
                                              std::span<const ImposedLevel> imposed,
                                              const WarningRules& rules, const HourLabel& label = {},
                                              const ResponseState& in_force = {});

/// What the forecast says about the end of the last response of a timeline (解除研判).
struct ResponseOutlook {
  int level = 0;                    ///< level in force at the last hour (0: none in force)
  bool any = false;                 ///< whether the series has a response at all (start is then set)
  std::int64_t start = -1;          ///< start of the last response (contiguous periods; its `began`
                                    ///< when in force before the series, <= 0); -1: none
  bool open = false;                ///< still in force at the end of the series: no lift proved
  std::int64_t lift = -1;           ///< index of the lift when the response ended inside the series
  /// Open only: the first issue index after the response's start at which the forecast does not
  /// rule a lift out: its release window [t0, t0 + release_hours) runs past the end of the series
  /// and the trailing daily AQI at each of its hours inside the series is valid and <= the lift
  /// threshold. May lie at or after the end of the series (issue hours continue every 24 h).
  std::int64_t earliest_lift = -1;
  int lift_threshold = 0;           ///< release_threshold(level, 0) of the open level
  /// Hours of the response: lift − start, or (open) n − start, a lower bound ("at least").
  std::int64_t duration_hours = 0;
  std::string text;                 ///< English, hours labelled with `label`
};

/// The outlook of `timeline` (response_timeline of `trailing_aqi` and `decisions`, whose issue
/// indices give the issue hours; later ones are extrapolated every 24 h).
ResponseOutlook response_outlook(std::span<const int> trailing_aqi, std::span<const ResponsePeriod> timeline,
                                 std::span<const WarningDecision> decisions, const WarningRules& rules,
                                 const HourLabel& label = {});

/// The highest imposed level in force at series index i (0 when none).
int imposed_level_at(std::span<const ImposedLevel> imposed, std::int64_t i) noexcept;

}  // namespace lantian
