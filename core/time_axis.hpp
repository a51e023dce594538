#pragma once
// Time inside lantian is UTC, in whole hours since 1970-01-01T00:00Z (UtcHour).
// A case's local time zone (default Asia/Shanghai, 北京时间) is used for daily AQI
// issue hours, working hours of measures and report labels (DESIGN.md "Time").
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lantian {

/// Hours since 1970-01-01T00:00:00Z.
using UtcHour = std::int64_t;

/// An IANA time zone from the system tz database (/usr/share/zoneinfo).
class TimeZone {
 public:
  /// Throws lantian::Error naming the zone when it is unknown.
  explicit TimeZone(std::string_view name = "Asia/Shanghai");
  const std::string& name() const noexcept { return name_; }
  /// Offset of local time from UTC, in minutes, at the given UTC hour.
  int offset_minutes(UtcHour t) const;
  /// Local civil time (in whole hours since the epoch, as if local were UTC) -> UTC hour.
  /// Ambiguous or non-existent local times (DST transitions) throw lantian::Error.
  UtcHour from_local(std::int64_t local_hours) const;
  /// Local hour of day 0..23 at a UTC hour.
  int local_hour_of_day(UtcHour t) const;

 private:
  std::string name_;
  const void* zone_;  // const date::time_zone*, owned by the tz database
};

/// Parses an ISO 8601 time at whole-hour resolution: "2015-12-01 08:00", "2015-12-01T08",
/// "2015-12-01T08:00:00", with an optional "Z" or "+08:00"/"+0800" offset. Without an offset
/// the time is local in `tz`. Minutes/seconds other than zero are rejected.
/// Throws lantian::Error(message) describing what was expected; callers add file/line.
UtcHour parse_time(std::string_view text, const TimeZone& tz);

/// "2015-12-01T08:00:00+08:00" (local time in tz with its offset).
std::string format_local(UtcHour t, const TimeZone& tz);
/// "2015-12-01T00:00:00Z".
std::string format_utc(UtcHour t);

/// A regular hourly axis: n hours starting at `start` (UTC), labelled in `tz`.
class TimeAxis {
 public:
  TimeAxis(UtcHour start, std::int64_t count, TimeZone tz = TimeZone{});
  UtcHour start() const noexcept { return start_; }
  std::int64_t size() const noexcept { return count_; }
  UtcHour operator[](std::int64_t i) const noexcept { return start_ + i; }
  UtcHour end() const noexcept { return start_ + count_; }
  /// Index of a UTC hour, or -1 when outside the axis.
  std::int64_t index_of(UtcHour t) const noexcept {
    return (t >= start_ && t < end()) ? t - start_ : -1;
  }
  const TimeZone& zone() const noexcept { return tz_; }

 private:
  UtcHour start_;
  std::int64_t count_;
  TimeZone tz_;
};

}  // namespace lantian
