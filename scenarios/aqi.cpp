// Air Quality Index after HJ 633-2012 (环境空气质量指数（AQI）技术规定): see aqi.hpp and
// ../shared/DOMAIN.md §2 for the rules; validity counts after GB 3095-2012 §8.
#include "scenarios/aqi.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>

#include "core/error.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// IAQI at the breakpoints, HJ 633-2012 Table 1, first column.
constexpr std::array<int, 8> kIaqiLevels{0, 50, 100, 150, 200, 300, 400, 500};

/// Concentration breakpoints of one pollutant and averaging period (HJ 633-2012 Table 1;
/// DOMAIN.md §2). `size` breakpoints are used: SO2 1-h ends at 800 (IAQI 200) and O3 8-h at
/// 800 (IAQI 300); beyond those the standard substitutes another IAQI (see iaqi()).
struct Breakpoints {
  std::array<double, 8> bp;
  int size;
};

constexpr Breakpoints kSo2_24h{{0, 50, 150, 475, 800, 1600, 2100, 2620}, 8};
constexpr Breakpoints kSo2_1h{{0, 150, 500, 650, 800, 0, 0, 0}, 5};
constexpr Breakpoints kNo2_24h{{0, 40, 80, 180, 280, 565, 750, 940}, 8};
constexpr Breakpoints kNo2_1h{{0, 100, 200, 700, 1200, 2340, 3090, 3840}, 8};
constexpr Breakpoints kPm10_24h{{0, 50, 150, 250, 350, 420, 500, 600}, 8};
constexpr Breakpoints kCo_24h{{0, 2, 4, 14, 24, 36, 48, 60}, 8};  // mg/m³
constexpr Breakpoints kCo_1h{{0, 5, 10, 35, 60, 90, 120, 150}, 8};  // mg/m³
constexpr Breakpoints kO3_1h{{0, 160, 200, 300, 400, 800, 1000, 1200}, 8};
constexpr Breakpoints kO3_8h{{0, 100, 160, 215, 265, 800, 0, 0}, 6};
constexpr Breakpoints kPm25_24h{{0, 35, 75, 115, 150, 250, 350, 500}, 8};

/// Where the SO2 1-h and O3 8-h tables end (HJ 633-2012 Table 1, notes 2 and 3).
constexpr double kSo2_1hLimit = 800.0;
constexpr double kO3_8hLimit = 800.0;

/// Rounding up must not push a value that is mathematically an integer to the next one
/// because of floating-point error (a 24-h mean of 115 computed as 115.00000000000001).
/// IAQIs lie in [0, 500] and real concentrations carry at most 3 decimals, so a genuine
/// fractional part is far larger than this tolerance.
constexpr double kRoundTolerance = 1e-6;
/// Relative tolerance on "above the last breakpoint" for the same reason.
constexpr double kScaleTolerance = 1e-12;

const Breakpoints& table_for(Pollutant p, Averaging a) {
  switch (p) {
    case Pollutant::SO2:
      if (a == Averaging::Hour1) return kSo2_1h;
      if (a == Averaging::Hour24) return kSo2_24h;
      break;
    case Pollutant::NO2:
      if (a == Averaging::Hour1) return kNo2_1h;
      if (a == Averaging::Hour24) return kNo2_24h;
      break;
    case Pollutant::CO:
      if (a == Averaging::Hour1) return kCo_1h;
      if (a == Averaging::Hour24) return kCo_24h;
      break;
    case Pollutant::O3:
      if (a == Averaging::Hour1) return kO3_1h;
      if (a == Averaging::Hour8) return kO3_8h;
      break;
    case Pollutant::PM10:
      // PM has only 24-h breakpoints; the hourly IAQI uses them with the 1-h value (DOMAIN.md §2).
      if (a != Averaging::Hour8) return kPm10_24h;
      break;
    case Pollutant::PM25:
      if (a != Averaging::Hour8) return kPm25_24h;
      break;
  }
  static constexpr std::array<const char*, 3> kAveraging{"1-h", "8-h", "24-h"};
  throw Error(ErrorContext{"", 0, std::string(pollutant_name(p))},
              std::string("HJ 633-2012 has no ") + kAveraging[static_cast<int>(a)] + " breakpoints for " +
                  std::string(pollutant_name(p)));
}

/// Concentrations usable for an IAQI or a mean: finite and non-negative.
inline bool valid_conc(double c) noexcept { return std::isfinite(c) && c >= 0.0; }

/// Piecewise-linear IAQI on one table, HJ 633-2012 eq. (1):
/// IAQI = (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) * (C - BP_lo) + IAQI_lo, rounded up.
IaqiResult iaqi_on(const Breakpoints& t, double c) noexcept {
  const int last = t.size - 1;
  if (c > t.bp[static_cast<std::size_t>(last)] * (1.0 + kScaleTolerance)) return {kIaqiLevels[7], true};
  int k = 1;
  while (k < last && c > t.bp[static_cast<std::size_t>(k)]) ++k;
  const auto hi = static_cast<std::size_t>(k), lo = hi - 1;
  const double bp_lo = t.bp[lo], bp_hi = t.bp[hi];
  const double i_lo = kIaqiLevels[lo], i_hi = kIaqiLevels[hi];
  // Multiply before dividing: a concentration at a breakpoint then gives the table IAQI exactly.
  const double x = i_lo + (i_hi - i_lo) * (std::min(c, bp_hi) - bp_lo) / (bp_hi - bp_lo);
  return {static_cast<int>(std::ceil(x - kRoundTolerance)), false};
}

void check_series(const StationSeries& s) {
  for (Pollutant p : kAllPollutants) {
    const auto& col = s.conc[static_cast<int>(p)];
    if (!col.empty() && col.size() != s.hours)
      throw Error(ErrorContext{"", 0, std::string(pollutant_name(p))},
                  "expected " + std::to_string(s.hours) + " hourly values, found " + std::to_string(col.size()));
  }
}

/// Bit mask of the required pollutants that the series carries.
std::uint8_t required_mask(const StationSeries& s, const ValidityRules& rules) noexcept {
  std::uint8_t m = 0;
  for (Pollutant p : rules.required)
    if (s.has(p)) m = static_cast<std::uint8_t>(m | (1u << static_cast<int>(p)));
  return m;
}

/// Per-pollutant IAQI columns of a series (kMissingIndex where missing, all missing where the
/// pollutant is absent), combined hour by hour under the validity rules.
struct IaqiColumns {
  explicit IaqiColumns(std::size_t n) {
    for (auto& v : value) v.assign(n, kMissingIndex);
    for (auto& a : above) a.assign(n, 0);
  }
  void set(Pollutant p, std::size_t h, IaqiResult r) {
    value[static_cast<int>(p)][h] = r.value;
    above[static_cast<int>(p)][h] = r.above_scale ? 1 : 0;
  }
  std::vector<AqiResult> combine(std::uint8_t required) const {
    const std::size_t n = value[0].size();
    std::vector<AqiResult> out(n);
    for (std::size_t h = 0; h < n; ++h) {
      std::array<int, kPollutantCount> iq{};
      bool above_scale = false, ok = true;
      for (int p = 0; p < kPollutantCount; ++p) {
        iq[static_cast<std::size_t>(p)] = value[p][h];
        if (value[p][h] == kMissingIndex) {
          if (required & (1u << p)) ok = false;
        } else if (above[p][h]) {
          above_scale = true;
        }
      }
      if (ok) out[h] = combine_iaqi(iq, above_scale);
    }
    return out;
  }
  std::array<std::vector<int>, kPollutantCount> value;
  std::array<std::vector<std::uint8_t>, kPollutantCount> above;
};

}  // namespace

std::string_view pollutant_name(Pollutant p) noexcept {
  switch (p) {
    case Pollutant::SO2: return "SO2";
    case Pollutant::NO2: return "NO2";
    case Pollutant::PM10: return "PM10";
    case Pollutant::CO: return "CO";
    case Pollutant::O3: return "O3";
    case Pollutant::PM25: return "PM2.5";
  }
  return "";
}

std::optional<Pollutant> parse_pollutant(std::string_view name) noexcept {
  std::string u;
  u.reserve(name.size());
  for (char c : name) u.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  if (u == "PM25") return Pollutant::PM25;
  for (Pollutant p : kAllPollutants)
    if (u == pollutant_name(p)) return p;
  return std::nullopt;
}

IaqiResult iaqi(Pollutant p, Averaging a, double conc, double fallback) {
  const Breakpoints& t = table_for(p, a);
  if (!valid_conc(conc)) return {};
  // HJ 633-2012 Table 1 note 2: SO2 1-h above 800 µg/m³ is reported by its 24-h IAQI.
  if (p == Pollutant::SO2 && a == Averaging::Hour1 && conc > kSo2_1hLimit)
    return valid_conc(fallback) ? iaqi_on(kSo2_24h, fallback) : IaqiResult{};
  // Note 3: O3 8-h above 800 µg/m³ is reported by its 1-h IAQI.
  if (p == Pollutant::O3 && a == Averaging::Hour8 && conc > kO3_8hLimit)
    return valid_conc(fallback) ? iaqi_on(kO3_1h, fallback) : IaqiResult{};
  return iaqi_on(t, conc);
}

void iaqi_many(Pollutant p, Averaging a, std::span<const double> conc, std::span<int> out) {
  if (out.size() != conc.size())
    throw Error(ErrorContext{"", 0, "iaqi_many"},
                "output size " + std::to_string(out.size()) + " differs from input size " + std::to_string(conc.size()));
  const Breakpoints& t = table_for(p, a);
  const bool substitutes = (p == Pollutant::SO2 && a == Averaging::Hour1) || (p == Pollutant::O3 && a == Averaging::Hour8);
  for (std::size_t i = 0; i < conc.size(); ++i) {
    const double c = conc[i];
    out[i] = !valid_conc(c) ? kMissingIndex : substitutes ? iaqi(p, a, c).value : iaqi_on(t, c).value;
  }
}

AqiCategory aqi_category(int aqi) noexcept {
  // HJ 633-2012 Table 2: 0-50, 51-100, 101-150, 151-200, 201-300, > 300.
  if (aqi < 0) return AqiCategory::Missing;
  if (aqi <= 50) return AqiCategory::Excellent;
  if (aqi <= 100) return AqiCategory::Good;
  if (aqi <= 150) return AqiCategory::Light;
  if (aqi <= 200) return AqiCategory::Moderate;
  if (aqi <= 300) return AqiCategory::Heavy;
  return AqiCategory::Severe;
}

std::string_view category_name(AqiCategory c) noexcept {
  switch (c) {
    case AqiCategory::Missing: return "";
    case AqiCategory::Excellent: return "excellent";
    case AqiCategory::Good: return "good";
    case AqiCategory::Light: return "light";
    case AqiCategory::Moderate: return "moderate";
    case AqiCategory::Heavy: return "heavy";
    case AqiCategory::Severe: return "severe";
  }
  return "";
}

std::string_view category_name_zh(AqiCategory c) noexcept {
  switch (c) {
    case AqiCategory::Missing: return "";
    case AqiCategory::Excellent: return "优";
    case AqiCategory::Good: return "良";
    case AqiCategory::Light: return "轻度污染";
    case AqiCategory::Moderate: return "中度污染";
    case AqiCategory::Heavy: return "重度污染";
    case AqiCategory::Severe: return "严重污染";
  }
  return "";
}

AqiResult combine_iaqi(const std::array<int, kPollutantCount>& iaqis, bool above_scale) noexcept {
  AqiResult r;
  for (int v : iaqis) r.aqi = std::max(r.aqi, v);
  if (r.aqi == kMissingIndex) return r;
  r.above_scale = above_scale;
  // Primary pollutants (首要污染物): IAQI == AQI, reported only when AQI > 50 (HJ 633-2012 §5.2).
  if (r.aqi > 50)
    for (int p = 0; p < kPollutantCount; ++p)
      if (iaqis[static_cast<std::size_t>(p)] == r.aqi) r.primary_mask = static_cast<std::uint8_t>(r.primary_mask | (1u << p));
  return r;
}

std::string primary_names(std::uint8_t primary_mask) {
  // The order of the reports: particulates first.
  static constexpr std::array<Pollutant, kPollutantCount> kOrder{Pollutant::PM25, Pollutant::PM10, Pollutant::SO2,
                                                                 Pollutant::NO2,  Pollutant::CO,   Pollutant::O3};
  std::string s;
  for (Pollutant p : kOrder) {
    if (!(primary_mask & (1u << static_cast<int>(p)))) continue;
    if (!s.empty()) s += ';';
    s += pollutant_name(p);
  }
  return s;
}

void ValidityRules::validate() const {
  const auto check = [](int v, int lo, int hi, const char* field) {
    if (v < lo || v > hi)
      throw Error(ErrorContext{"", 0, std::string("aqi.") + field},
                  "expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", found " + std::to_string(v));
  };
  check(min_hours_24h, 1, 24, "min_hours_24h");
  check(min_hours_8h, 1, 8, "min_hours_8h");
  check(min_windows_o3_8h, 1, 17, "min_windows_o3_8h");
  for (std::size_t i = 0; i < required.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (required[i] == required[j])
        throw Error(ErrorContext{"", 0, "aqi.required[" + std::to_string(i) + "]"},
                    "pollutant " + std::string(pollutant_name(required[i])) + " listed twice");
}

std::vector<double> rolling_mean(std::span<const double> x, int window, int min_valid) {
  if (window < 1) throw Error(ErrorContext{"", 0, "window"}, "expected a positive window, found " + std::to_string(window));
  const std::size_t n = x.size(), w = static_cast<std::size_t>(window);
  const int need = std::max(min_valid, 1);
  std::vector<double> out(n, kNaN);
  // Running sum and count, O(n). The sum is rebuilt from scratch at every multiple of the window
  // (O(n) in all) so that add/subtract round-off cannot accumulate over a long series.
  double sum = 0.0;
  int count = 0;
  for (std::size_t h = 0; h < n; ++h) {
    if (h % w == 0) {
      sum = 0.0;
      count = 0;
      for (std::size_t j = h + 1 >= w ? h + 1 - w : 0; j <= h; ++j)
        if (valid_conc(x[j])) {
          sum += x[j];
          ++count;
        }
    } else {
      if (valid_conc(x[h])) {
        sum += x[h];
        ++count;
      }
      if (h >= w && valid_conc(x[h - w])) {
        sum -= x[h - w];
        --count;
      }
    }
    if (h + 1 >= w && count >= need) out[h] = sum / count;
  }
  return out;
}

std::vector<AqiResult> hourly_aqi(const StationSeries& s, const ValidityRules& rules) {
  check_series(s);
  const std::size_t n = s.hours;
  IaqiColumns cols(n);
  for (Pollutant p : kAllPollutants) {
    if (!s.has(p)) continue;
    const std::span<const double> c = s.conc[static_cast<int>(p)];
    switch (p) {
      case Pollutant::SO2: {
        // SO2 1-h above 800 falls back to the trailing 24-h mean (HJ 633-2012 Table 1 note 2).
        const std::vector<double> m24 = rolling_mean(c, 24, rules.min_hours_24h);
        for (std::size_t h = 0; h < n; ++h) cols.set(p, h, iaqi(p, Averaging::Hour1, c[h], m24[h]));
        break;
      }
      case Pollutant::O3: {
        // Real-time O3: the larger of the 1-h IAQI and the IAQI of the trailing 8-h mean
        // (HJ 633-2012 §5.1); an 8-h mean above 800 falls back to the 1-h IAQI (note 3).
        const std::vector<double> m8 = rolling_mean(c, 8, rules.min_hours_8h);
        for (std::size_t h = 0; h < n; ++h) {
          const IaqiResult r1 = iaqi(p, Averaging::Hour1, c[h]);
          const IaqiResult r8 = iaqi(p, Averaging::Hour8, m8[h], c[h]);
          cols.set(p, h, r8.value > r1.value ? r8 : r1);
        }
        break;
      }
      case Pollutant::NO2:
      case Pollutant::CO:
      case Pollutant::PM10:
      case Pollutant::PM25:
        // PM2.5 and PM10 1-h values on the 24-h table (table_for).
        for (std::size_t h = 0; h < n; ++h) cols.set(p, h, iaqi(p, Averaging::Hour1, c[h]));
        break;
    }
  }
  return cols.combine(required_mask(s, rules));
}

std::vector<AqiResult> daily_aqi_trailing(const StationSeries& s, const ValidityRules& rules) {
  check_series(s);
  constexpr std::size_t kBlock = 24, kWindow8 = 8;
  constexpr std::size_t kWindowsPerBlock = kBlock - kWindow8 + 1;  // 17 8-h means inside a block
  const std::size_t n = s.hours;
  IaqiColumns cols(n);
  for (Pollutant p : kAllPollutants) {
    if (!s.has(p)) continue;
    const std::span<const double> c = s.conc[static_cast<int>(p)];
    if (p != Pollutant::O3) {
      // 24-h mean with >= min_hours_24h valid hours (GB 3095-2012 §8); NaN for h < 23.
      const std::vector<double> m24 = rolling_mean(c, static_cast<int>(kBlock), rules.min_hours_24h);
      for (std::size_t h = 0; h < n; ++h) cols.set(p, h, iaqi(p, Averaging::Hour24, m24[h]));
      continue;
    }
    // O3: the largest 8-h mean lying wholly inside the block [h-23, h], i.e. the means ending at
    // k in [h-16, h], each with >= min_hours_8h valid hours, and >= min_windows_o3_8h of them.
    // A monotonic deque gives the sliding maximum in O(n).
    const std::vector<double> m8 = rolling_mean(c, static_cast<int>(kWindow8), rules.min_hours_8h);
    std::deque<std::size_t> best;  // indices of valid m8, values decreasing
    int valid_windows = 0;
    for (std::size_t h = 0; h < n; ++h) {
      if (!std::isnan(m8[h])) {
        ++valid_windows;
        while (!best.empty() && m8[best.back()] <= m8[h]) best.pop_back();
        best.push_back(h);
      }
      if (h >= kWindowsPerBlock) {
        const std::size_t gone = h - kWindowsPerBlock;
        if (!std::isnan(m8[gone])) --valid_windows;
        while (!best.empty() && best.front() <= gone) best.pop_front();
      }
      if (h + 1 < kBlock || valid_windows < rules.min_windows_o3_8h) continue;
      const double max8 = m8[best.front()];
      double max1 = kNaN;
      if (max8 > kO3_8hLimit) {
        // Note 3: report the IAQI of the block's largest 1-h O3 instead (rare: computed here).
        for (std::size_t j = h + 1 - kBlock; j <= h; ++j)
          if (valid_conc(c[j]) && (std::isnan(max1) || c[j] > max1)) max1 = c[j];
      }
      cols.set(p, h, iaqi(p, Averaging::Hour8, max8, max1));
    }
  }
  return cols.combine(required_mask(s, rules));
}

}  // namespace lantian
