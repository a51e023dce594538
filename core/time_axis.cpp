// Time zones through Howard Hinnant's date/tz (system tz database) and a hand-written ISO 8601
// parser: parse_time runs once per CSV row, so it does no allocation on success, no regex and
// no zone lookup by name.
#include "core/time_axis.hpp"

#include <chrono>
#include <cstdlib>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace lantian {

namespace {

using Seconds = std::chrono::seconds;

const date::time_zone* zone_of(const void* p) noexcept { return static_cast<const date::time_zone*>(p); }

constexpr std::int64_t kMinutesPerDay = 24 * 60;

/// "2015-12-01T08:00:00" of a count of minutes since the epoch (civil, no zone).
std::string format_civil_minutes(std::int64_t minutes) {
  const std::int64_t days = floor_div(minutes, kMinutesPerDay);
  const std::int64_t rem = minutes - days * kMinutesPerDay;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:00", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), rem / 60, rem % 60);
}

std::string format_offset(int minutes) {
  const char sign = minutes < 0 ? '-' : '+';
  const int a = std::abs(minutes);
  return fmt::format("{}{:02d}:{:02d}", sign, a / 60, a % 60);
}

// ---- ISO 8601 parser --------------------------------------------------------------------------

[[noreturn]] void bad_time(std::string_view text, std::string_view detail = {}) {
  std::string m = "expected an ISO 8601 time like 2015-12-01T08:00 (whole hours, optional Z or +08:00), found '";
  m.append(text);
  m += "'";
  if (!detail.empty()) {
    m += ": ";
    m.append(detail);
  }
  throw Error(m);
}

/// A cursor over the text; digits() reads exactly n ASCII digits.
struct Cursor {
  std::string_view s;
  std::size_t pos = 0;

  bool done() const noexcept { return pos == s.size(); }
  char peek() const noexcept { return done() ? '\0' : s[pos]; }
  bool accept(char c) noexcept {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  bool digits(int n, int& out) noexcept {
    if (s.size() - pos < static_cast<std::size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      const char c = s[pos + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    out = v;
    return true;
  }
};

}  // namespace

// ---- TimeZone ---------------------------------------------------------------------------------

TimeZone::TimeZone(std::string_view name) : name_(name), zone_(nullptr) {
  try {
    zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    throw Error("unknown time zone '" + name_ + "' (expected an IANA name like Asia/Shanghai or UTC from " +
                "the system tz database /usr/share/zoneinfo)");
  }
}

int TimeZone::offset_minutes(UtcHour t) const {
  const date::sys_seconds s{Seconds{t * 3600}};
  const date::sys_info info = zone_of(zone_)->get_info(s);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
}

UtcHour TimeZone::from_local(std::int64_t local_hours) const {
  const date::local_seconds ls{Seconds{local_hours * 3600}};
  const date::local_info info = zone_of(zone_)->get_info(ls);
  if (info.result != date::local_info::unique) {
    const std::string when = format_civil_minutes(local_hours * 60);
    if (info.result == date::local_info::nonexistent)
      throw Error("local time " + when + " does not exist in " + name_ +
                  " (skipped at a daylight-saving change); give the time with an explicit UTC offset");
    throw Error("local time " + when + " is ambiguous in " + name_ + " (it occurs twice at a daylight-saving " +
                "change); give the time with an explicit UTC offset");
  }
  const std::int64_t utc_seconds = local_hours * 3600 - info.first.offset.count();
  if (utc_seconds % 3600 != 0)
    throw Error("local time " + format_civil_minutes(local_hours * 60) + " in " + name_ +
                " is not on a whole UTC hour (offset " + format_offset(static_cast<int>(info.first.offset.count() / 60)) +
                ")");
  return utc_seconds / 3600;
}

int TimeZone::local_hour_of_day(UtcHour t) const {
  const std::int64_t local_minutes = t * 60 + offset_minutes(t);
  const std::int64_t minute_of_day = local_minutes - floor_div(local_minutes, kMinutesPerDay) * kMinutesPerDay;
  return static_cast<int>(minute_of_day / 60);
}

// ---- parsing and formatting -------------------------------------------------------------------

UtcHour parse_time(std::string_view text, const TimeZone& tz) {
  const std::string_view s = trim(text, " \t", " \t\r\n");
  Cursor c{s};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!c.digits(4, year) || !c.accept('-') || !c.digits(2, month) || !c.accept('-') || !c.digits(2, day))
    bad_time(text, "the date must be YYYY-MM-DD");
  if (c.done()) bad_time(text, "the hour is missing");
  if (!(c.accept('T') || c.accept(' ') || c.accept('t'))) bad_time(text, "expected 'T' or a space after the date");
  if (!c.digits(2, hour)) bad_time(text, "the hour must be two digits HH");
  if (c.accept(':')) {
    if (!c.digits(2, minute)) bad_time(text, "the minutes must be two digits MM");
    if (c.accept(':')) {
      if (!c.digits(2, second)) bad_time(text, "the seconds must be two digits SS");
      if (c.peek() == '.' || c.peek() == ',') bad_time(text, "fractional seconds are not supported");
    }
  }
  // Optional zone designator.
  bool has_offset = false;
  int offset_min = 0;
  if (c.accept('Z') || c.accept('z')) {
    has_offset = true;
  } else if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    ++c.pos;
    int oh = 0, om = 0;
    if (!c.digits(2, oh)) bad_time(text, "the UTC offset must be +HH:MM, +HHMM or +HH");
    if (c.accept(':')) {
      if (!c.digits(2, om)) bad_time(text, "the UTC offset must be +HH:MM, +HHMM or +HH");
    } else if (!c.done()) {
      if (!c.digits(2, om)) bad_time(text, "the UTC offset must be +HH:MM, +HHMM or +HH");
    }
    if (oh > 23 || om > 59) bad_time(text, "UTC offset out of range");
    has_offset = true;
    offset_min = sign * (oh * 60 + om);
  }
  if (!c.done()) bad_time(text, "unexpected text after the time");

  // Field ranges.
  if (month < 1 || month > 12) bad_time(text, fmt::format("month {:02d} is not in 01..12", month));
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) bad_time(text, fmt::format("day {:02d} does not exist in {:04d}-{:02d}", day, year, month));
  if (hour > 23) bad_time(text, fmt::format("hour {:02d} is not in 00..23", hour));
  if (minute > 59 || second > 59) bad_time(text, "minutes and seconds must be in 00..59");
  if (minute != 0 || second != 0)
    bad_time(text, "minutes and seconds must be 00 (lantian works in whole hours)");

  const std::int64_t days = date::sys_days{ymd}.time_since_epoch().count();
  const std::int64_t civil_hours = days * 24 + hour;
  if (!has_offset) return tz.from_local(civil_hours);
  const std::int64_t utc_minutes = civil_hours * 60 - offset_min;
  if (utc_minutes % 60 != 0) bad_time(text, "with this UTC offset the time is not on a whole UTC hour");
  return utc_minutes / 60;
}

std::string format_local(UtcHour t, const TimeZone& tz) {
  const int off = tz.offset_minutes(t);
  return format_civil_minutes(t * 60 + off) + format_offset(off);
}

std::string format_utc(UtcHour t) { return format_civil_minutes(t * 60) + "Z"; }

// ---- TimeAxis ---------------------------------------------------------------------------------

TimeAxis::TimeAxis(UtcHour start, std::int64_t count, TimeZone tz) : start_(start), count_(count), tz_(std::move(tz)) {
  LANTIAN_CHECK(count >= 0, (ErrorContext{"", 0, "time axis"}),
                "expected a non-negative number of hours, found " + std::to_string(count));
}

}  // namespace lantian
