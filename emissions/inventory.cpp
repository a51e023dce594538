#include "emissions/inventory.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/text.hpp"

namespace lantian::emissions {

namespace {

constexpr std::array<std::string_view, kEmittedPollutantCount> kPollutantNames{"SO2", "NOx", "PM2.5",
                                                                               "PM10", "VOCs", "NH3"};
constexpr std::array<std::string_view, kEmittedPollutantCount> kPollutantColumns{"so2", "nox", "pm25",
                                                                                 "pm10", "vocs", "nh3"};
constexpr std::array<std::string_view, kSectorCount> kSectorNames{
    "residential_heating", "construction_dust", "road_dust",   "road_traffic", "non_road_machinery",
    "agriculture",         "solvent_use",       "catering",    "industry",
    "power"};
constexpr std::array<std::string_view, kGradeCount> kGradeNames{"A", "B", "C", "D", "leading", "none"};

}  // namespace

std::string_view pollutant_name(EmittedPollutant p) noexcept { return kPollutantNames[index(p)]; }
std::string_view pollutant_column(EmittedPollutant p) noexcept { return kPollutantColumns[index(p)]; }

std::string_view sector_name(Sector s) noexcept { return kSectorNames[static_cast<std::size_t>(s)]; }
std::array<std::string_view, kSectorCount> sector_names() noexcept { return kSectorNames; }
std::optional<Sector> parse_sector(std::string_view text) noexcept {
  text = trim(text);
  for (std::size_t i = 0; i < kSectorNames.size(); ++i)
    if (iequals(text, kSectorNames[i])) return static_cast<Sector>(i);
  return std::nullopt;
}

std::string_view grade_name(Grade g) noexcept { return kGradeNames[static_cast<std::size_t>(g)]; }
std::optional<Grade> parse_grade(std::string_view text) noexcept {
  text = trim(text);
  if (text.empty() || text == "-") return Grade::none;
  if (text == "引领性") return Grade::leading;
  for (std::size_t i = 0; i < kGradeNames.size(); ++i)
    if (iequals(text, kGradeNames[i])) return static_cast<Grade>(i);
  return std::nullopt;
}

TemporalProfile TemporalProfile::flat(std::string id) {
  TemporalProfile p;
  p.id = std::move(id);
  p.month.fill(1.0);
  p.weekday.fill(1.0);
  p.hour.fill(1.0);
  return p;
}

LocalTime local_time(UtcHour t, const TimeZone& tz) {
  const std::int64_t minutes = t * 60 + tz.offset_minutes(t);
  const std::int64_t days = floor_div(minutes, 24 * 60);
  LocalTime lt;
  lt.hour = static_cast<int>((minutes - days * 24 * 60) / 60);
  // 1970-01-01 was a Thursday (ISO weekday index 3 with Monday = 0).
  lt.weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);
  // Civil date from days since the epoch: H. Hinnant, "chrono-Compatible Low-Level Date
  // Algorithms", civil_from_days.
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  lt.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  lt.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  lt.year = static_cast<int>(yoe + era * 400 + (lt.month <= 2 ? 1 : 0));
  return lt;
}

double temporal_factor(const TemporalProfile& p, const LocalTime& lt) noexcept {
  return p.month[static_cast<std::size_t>(lt.month - 1)] * p.weekday[static_cast<std::size_t>(lt.weekday)] *
         p.hour[static_cast<std::size_t>(lt.hour)];
}

std::optional<std::size_t> Inventory::find_enterprise(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < enterprises.size(); ++i)
    if (enterprises[i].id == id) return i;
  return std::nullopt;
}

const TemporalProfile& Inventory::profile(int i) const noexcept {
  static const TemporalProfile kFlat = TemporalProfile::flat();
  return i < 0 ? kFlat : profiles[static_cast<std::size_t>(i)];
}

namespace {

/// Stack rates and ground releases of every enterprise, by the rule in inventory.hpp.
void split_enterprises(const Inventory& inv, std::vector<Rates>& stacks, std::vector<Rates>& ground) {
  const std::size_t ne = inv.enterprises.size();
  stacks.assign(inv.stacks.size(), Rates{});
  ground.assign(ne, Rates{});
  std::vector<std::vector<std::size_t>> stacks_of(ne);
  for (std::size_t s = 0; s < inv.stacks.size(); ++s) stacks_of[inv.stacks[s].enterprise].push_back(s);
  std::vector<Rates> remaining(ne, Rates{});
  for (std::size_t e = 0; e < ne; ++e) remaining[e].fill(1.0);

  for (const ProductionLine& l : inv.lines) {
    const Rates& total = inv.enterprises[l.enterprise].rates;
    for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
      const double rate = l.share[p] * total[p];
      remaining[l.enterprise][p] -= l.share[p];
      if (l.stacks.empty()) {
        ground[l.enterprise][p] += rate;
      } else {
        const double each = rate / static_cast<double>(l.stacks.size());
        for (std::size_t s : l.stacks) stacks[s][p] += each;
      }
    }
  }
  for (std::size_t e = 0; e < ne; ++e) {
    const Rates& total = inv.enterprises[e].rates;
    for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
      // Shares are checked to sum to at most 1 at reading; clamp the round-off.
      const double rest = std::max(0.0, remaining[e][p]) * total[p];
      if (rest == 0.0) continue;
      if (stacks_of[e].empty()) {
        ground[e][p] += rest;
      } else {
        const double each = rest / static_cast<double>(stacks_of[e].size());
        for (std::size_t s : stacks_of[e]) stacks[s][p] += each;
      }
    }
  }
}

}  // namespace

std::vector<Rates> stack_emissions(const Inventory& inv) {
  std::vector<Rates> stacks, ground;
  split_enterprises(inv, stacks, ground);
  return stacks;
}

std::vector<GroundRelease> ground_releases(const Inventory& inv) {
  std::vector<Rates> stacks, ground;
  split_enterprises(inv, stacks, ground);
  std::vector<GroundRelease> out;
  for (std::size_t e = 0; e < ground.size(); ++e) {
    bool any = false;
    for (double v : ground[e]) any = any || v != 0.0;
    if (any) out.push_back({e, inv.enterprises[e].location, ground[e]});
  }
  return out;
}

double signed_area(const Ring& ring) noexcept {
  const std::size_t n = ring.size();
  if (n < 3) return 0.0;
  // Shoelace formula relative to the first vertex (less cancellation for projected metres).
  const double x0 = ring[0].x, y0 = ring[0].y;
  double twice = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i)
    twice += (ring[i].x - x0) * (ring[i + 1].y - y0) - (ring[i + 1].x - x0) * (ring[i].y - y0);
  return 0.5 * twice;
}

double area(const Polygon& polygon) noexcept {
  double a = std::abs(signed_area(polygon.outer));
  for (const Ring& h : polygon.holes) a -= std::abs(signed_area(h));
  return a;
}

}  // namespace lantian::emissions
