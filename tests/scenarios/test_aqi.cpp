// AQI after HJ 633-2012 (../shared/DOMAIN.md §2): every figure is checked against the table or a
// hand calculation written beside it, IAQI = (I_hi - I_lo) / (BP_hi - BP_lo) * (C - BP_lo) + I_lo,
// rounded up.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "scenarios/aqi.hpp"

using namespace lantian;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The breakpoint table of DOMAIN.md §2, typed in again here as the independent reference.
struct TableCase {
  Pollutant p;
  Averaging a;
  std::vector<double> bp;  // at IAQI 0, 50, 100, 150, 200, 300, 400, 500 (as far as defined)
};
const std::vector<int> kLevels{0, 50, 100, 150, 200, 300, 400, 500};
const std::vector<TableCase> kTables{
    {Pollutant::SO2, Averaging::Hour24, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
    {Pollutant::SO2, Averaging::Hour1, {0, 150, 500, 650, 800}},
    {Pollutant::NO2, Averaging::Hour24, {0, 40, 80, 180, 280, 565, 750, 940}},
    {Pollutant::NO2, Averaging::Hour1, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
    {Pollutant::PM10, Averaging::Hour24, {0, 50, 150, 250, 350, 420, 500, 600}},
    {Pollutant::PM10, Averaging::Hour1, {0, 50, 150, 250, 350, 420, 500, 600}},
    {Pollutant::CO, Averaging::Hour24, {0, 2, 4, 14, 24, 36, 48, 60}},
    {Pollutant::CO, Averaging::Hour1, {0, 5, 10, 35, 60, 90, 120, 150}},
    {Pollutant::O3, Averaging::Hour1, {0, 160, 200, 300, 400, 800, 1000, 1200}},
    {Pollutant::O3, Averaging::Hour8, {0, 100, 160, 215, 265, 800}},
    {Pollutant::PM25, Averaging::Hour24, {0, 35, 75, 115, 150, 250, 350, 500}},
    {Pollutant::PM25, Averaging::Hour1, {0, 35, 75, 115, 150, 250, 350, 500}},
};

StationSeries series_of(Pollutant p, const std::vector<double>& v) {
  StationSeries s;
  s.hours = v.size();
  s.conc[static_cast<int>(p)] = v;
  return s;
}

std::vector<int> aqi_values(const std::vector<AqiResult>& r) {
  std::vector<int> out;
  for (const auto& a : r) out.push_back(a.aqi);
  return out;
}

}  // namespace

TEST_CASE("IAQI equals the table value at every breakpoint", "[aqi]") {
  for (const auto& t : kTables) {
    for (std::size_t i = 0; i < t.bp.size(); ++i) {
      INFO(pollutant_name(t.p) << " averaging " << static_cast<int>(t.a) << " C = " << t.bp[i]);
      const IaqiResult r = iaqi(t.p, t.a, t.bp[i]);
      CHECK(r.value == kLevels[i]);
      CHECK_FALSE(r.above_scale);
    }
  }
}

TEST_CASE("IAQI between breakpoints, by hand", "[aqi]") {
  // PM2.5 100: (150-100)/(115-75)*(100-75)+100 = 131.25 -> 132
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 100.0).value == 132);
  // PM2.5 200: (300-200)/(250-150)*(200-150)+200 = 250
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 200.0).value == 250);
  // PM2.5 400: (500-400)/(500-350)*(400-350)+400 = 433.33 -> 434
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 400.0).value == 434);
  // PM10 200: (150-100)/(250-150)*(200-150)+100 = 125
  CHECK(iaqi(Pollutant::PM10, Averaging::Hour24, 200.0).value == 125);
  // SO2 24-h 100: (100-50)/(150-50)*(100-50)+50 = 75
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour24, 100.0).value == 75);
  // SO2 1-h 300: (100-50)/(500-150)*(300-150)+50 = 71.43 -> 72
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour1, 300.0).value == 72);
  // NO2 24-h 60: (100-50)/(80-40)*(60-40)+50 = 75
  CHECK(iaqi(Pollutant::NO2, Averaging::Hour24, 60.0).value == 75);
  // NO2 1-h 150: (100-50)/(200-100)*(150-100)+50 = 75
  CHECK(iaqi(Pollutant::NO2, Averaging::Hour1, 150.0).value == 75);
  // CO 24-h 3 mg/m³: (100-50)/(4-2)*(3-2)+50 = 75
  CHECK(iaqi(Pollutant::CO, Averaging::Hour24, 3.0).value == 75);
  // CO 1-h 7.5 mg/m³: (100-50)/(10-5)*(7.5-5)+50 = 75
  CHECK(iaqi(Pollutant::CO, Averaging::Hour1, 7.5).value == 75);
  // O3 1-h 250: (150-100)/(300-200)*(250-200)+100 = 125
  CHECK(iaqi(Pollutant::O3, Averaging::Hour1, 250.0).value == 125);
  // O3 8-h 190: (150-100)/(215-160)*(190-160)+100 = 127.27 -> 128
  CHECK(iaqi(Pollutant::O3, Averaging::Hour8, 190.0).value == 128);
}

TEST_CASE("IAQI rounds up, but not an integer carrying floating-point error", "[aqi]") {
  // PM2.5 75.1: 50/40*0.1 + 100 = 100.125 -> 101; PM2.5 35.1: 50/40*0.1 + 50 = 50.125 -> 51
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 75.1).value == 101);
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 35.1).value == 51);
  // PM2.5 35.0 -> 50 and 115 -> 150 exactly.
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 35.0).value == 50);
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 115.0).value == 150);
  // CO 24-h 2.2: 50/2*(2.2-2)+50 = 55 exactly; in doubles 2.2-2 = 0.20000000000000018, which
  // would give 55.000000000000004 and round up to 56 without care.
  CHECK(iaqi(Pollutant::CO, Averaging::Hour24, 2.2).value == 55);
  // PM2.5 0.1 * 3 = 0.30000000000000004: 50/35*0.3 = 0.43 -> 1
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, 0.1 * 3).value == 1);
}

TEST_CASE("SO2 1-h above 800 and O3 8-h above 800 fall back", "[aqi]") {
  // SO2 1-h 850 -> IAQI of the 24-h value 100: 75 (see above).
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour1, 850.0, 100.0).value == 75);
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour1, 800.0, 100.0).value == 200);  // table end still used
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour1, 850.0).value == kMissingIndex);  // no 24-h value
  // O3 8-h 850 -> IAQI of the 1-h value 900: (400-300)/(1000-800)*(900-800)+300 = 350.
  CHECK(iaqi(Pollutant::O3, Averaging::Hour8, 850.0, 900.0).value == 350);
  CHECK(iaqi(Pollutant::O3, Averaging::Hour8, 800.0, 900.0).value == 300);
  CHECK(iaqi(Pollutant::O3, Averaging::Hour8, 850.0).value == kMissingIndex);
}

TEST_CASE("Above the scale, missing and unsupported input", "[aqi]") {
  const IaqiResult over = iaqi(Pollutant::PM25, Averaging::Hour24, 600.0);
  CHECK(over.value == 500);
  CHECK(over.above_scale);
  const IaqiResult top = iaqi(Pollutant::PM25, Averaging::Hour24, 500.0);
  CHECK(top.value == 500);
  CHECK_FALSE(top.above_scale);
  CHECK(iaqi(Pollutant::SO2, Averaging::Hour24, 3000.0).above_scale);
  CHECK(iaqi(Pollutant::O3, Averaging::Hour1, 1200.5).value == 500);
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, kNaN).value == kMissingIndex);
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, -1.0).value == kMissingIndex);
  CHECK(iaqi(Pollutant::PM25, Averaging::Hour24, std::numeric_limits<double>::infinity()).value == kMissingIndex);
  CHECK_THROWS_AS(iaqi(Pollutant::PM25, Averaging::Hour8, 10.0), Error);
  CHECK_THROWS_AS(iaqi(Pollutant::O3, Averaging::Hour24, 10.0), Error);

  const std::vector<double> c{0.0, 75.1, kNaN, 600.0, -3.0};
  std::vector<int> out(c.size());
  iaqi_many(Pollutant::PM25, Averaging::Hour24, c, out);
  CHECK(out == std::vector<int>{0, 101, kMissingIndex, 500, kMissingIndex});
}

TEST_CASE("AQI categories at their boundaries", "[aqi]") {
  CHECK(aqi_category(kMissingIndex) == AqiCategory::Missing);
  CHECK(aqi_category(0) == AqiCategory::Excellent);
  CHECK(aqi_category(50) == AqiCategory::Excellent);
  CHECK(aqi_category(51) == AqiCategory::Good);
  CHECK(aqi_category(100) == AqiCategory::Good);
  CHECK(aqi_category(101) == AqiCategory::Light);
  CHECK(aqi_category(150) == AqiCategory::Light);
  CHECK(aqi_category(151) == AqiCategory::Moderate);
  CHECK(aqi_category(200) == AqiCategory::Moderate);
  CHECK(aqi_category(201) == AqiCategory::Heavy);
  CHECK(aqi_category(300) == AqiCategory::Heavy);
  CHECK(aqi_category(301) == AqiCategory::Severe);
  CHECK(aqi_category(500) == AqiCategory::Severe);
  CHECK(category_name(AqiCategory::Heavy) == "heavy");
  CHECK(category_name_zh(AqiCategory::Severe) == "严重污染");
  CHECK(category_name(AqiCategory::Missing).empty());
}

TEST_CASE("Primary pollutants: ties all listed, none at AQI <= 50", "[aqi]") {
  // order: SO2, NO2, PM10, CO, O3, PM2.5
  const AqiResult tie = combine_iaqi({20, 40, 132, 10, kMissingIndex, 132});
  CHECK(tie.aqi == 132);
  CHECK(tie.primary_mask == ((1u << int(Pollutant::PM10)) | (1u << int(Pollutant::PM25))));
  CHECK(primary_names(tie.primary_mask) == "PM2.5;PM10");
  CHECK(tie.category() == AqiCategory::Light);

  const AqiResult clean = combine_iaqi({50, 50, 30, 10, 50, 50});
  CHECK(clean.aqi == 50);
  CHECK(clean.primary_mask == 0);
  CHECK(primary_names(clean.primary_mask).empty());

  const AqiResult just = combine_iaqi({51, 50, 30, 10, 50, 50});
  CHECK(just.primary_mask == (1u << int(Pollutant::SO2)));

  const AqiResult none = combine_iaqi({kMissingIndex, kMissingIndex, kMissingIndex, kMissingIndex, kMissingIndex,
                                       kMissingIndex});
  CHECK(none.aqi == kMissingIndex);
  CHECK(none.category() == AqiCategory::Missing);
}

TEST_CASE("Pollutant names", "[aqi]") {
  CHECK(pollutant_name(Pollutant::PM25) == "PM2.5");
  CHECK(parse_pollutant("pm2.5") == Pollutant::PM25);
  CHECK(parse_pollutant("PM25") == Pollutant::PM25);
  CHECK(parse_pollutant("o3") == Pollutant::O3);
  CHECK_FALSE(parse_pollutant("PM1").has_value());
}

TEST_CASE("Rolling means need enough valid hours", "[aqi]") {
  const std::vector<double> x{1, 2, kNaN, 4, 5, kNaN, kNaN};
  const std::vector<double> m = rolling_mean(x, 3, 2);
  // h=0,1: the window starts before the series; h=2: (1+2)/2 = 1.5; h=3: (2+4)/2 = 3;
  // h=4: (4+5)/2 = 4.5; h=5: (4+5)/2 = 4.5; h=6: 5 alone, 1 < 2 valid -> NaN.
  CHECK(std::isnan(m[0]));
  CHECK(std::isnan(m[1]));
  CHECK(m[2] == 1.5);
  CHECK(m[3] == 3.0);
  CHECK(m[4] == 4.5);
  CHECK(m[5] == 4.5);
  CHECK(std::isnan(m[6]));
}

TEST_CASE("Hourly AQI: PM on the 24-h table, SO2 fallback, required pollutants", "[aqi]") {
  SECTION("PM2.5 1-h values on the 24-h table") {
    const std::vector<double> pm{100.0, 75.1, kNaN};
    const auto r = hourly_aqi(series_of(Pollutant::PM25, pm));
    CHECK(aqi_values(r) == std::vector<int>{132, 101, kMissingIndex});
    CHECK(r[0].primary_mask == (1u << int(Pollutant::PM25)));
  }
  SECTION("SO2 1-h above 800 uses the trailing 24-h mean") {
    // 24 h of 100 then 900 at h = 24: 24-h mean over [1, 24] = (23*100 + 900)/24 = 133.33;
    // SO2 24-h IAQI = 50/100*(133.33-50)+50 = 91.67 -> 92. Hours 0..23: 1-h 100 on the 1-h
    // table, in [0, 150]: 50/150*100 = 33.33 -> 34.
    std::vector<double> so2(25, 100.0);
    so2[24] = 900.0;
    const auto r = hourly_aqi(series_of(Pollutant::SO2, so2));
    CHECK(r[0].aqi == 34);
    CHECK(r[24].aqi == 92);
  }
  SECTION("a missing required pollutant makes the hour invalid") {
    const std::vector<double> pm25{kNaN, 35.0};
    const std::vector<double> pm10{200.0, 200.0};
    StationSeries s;
    s.hours = 2;
    s.conc[int(Pollutant::PM25)] = pm25;
    s.conc[int(Pollutant::PM10)] = pm10;
    const auto r = hourly_aqi(s);
    CHECK(r[0].aqi == kMissingIndex);
    CHECK(r[1].aqi == 125);  // PM10 200 -> 125 (above); PM2.5 35 -> 50
    CHECK(r[1].primary_mask == (1u << int(Pollutant::PM10)));
    ValidityRules none_required;
    none_required.required.clear();
    CHECK(hourly_aqi(s, none_required)[0].aqi == 125);
  }
  SECTION("O3: the larger of the 1-h IAQI and the trailing 8-h IAQI") {
    // 8 h of 240 then 100 at h = 8: 8-h mean over [1, 8] = (7*240 + 100)/8 = 222.5 ->
    // 50/50*(222.5-215)+150 = 157.5 -> 158; 1-h 100 -> 50/160*100 = 31.25 -> 32.
    // At h = 7 the 8-h mean is 240 -> 175; the 1-h 240 -> 50/100*40+100 = 120.
    std::vector<double> o3(9, 240.0);
    o3[8] = 100.0;
    const auto r = hourly_aqi(series_of(Pollutant::O3, o3));
    CHECK(r[0].aqi == 120);  // no 8-h mean yet
    CHECK(r[7].aqi == 175);
    CHECK(r[8].aqi == 158);
  }
  SECTION("a column of the wrong length is an error") {
    const std::vector<double> pm{1.0, 2.0};
    StationSeries s = series_of(Pollutant::PM25, pm);
    s.hours = 3;
    CHECK_THROWS_AS(hourly_aqi(s), Error);
  }
}

TEST_CASE("Daily AQI of trailing 24-h blocks: validity and exact means", "[aqi]") {
  SECTION("20 valid hours make a valid block, 19 do not") {
    std::vector<double> pm(24, 115.0);
    for (int h = 0; h < 4; ++h) pm[static_cast<std::size_t>(h)] = kNaN;
    auto r = daily_aqi_trailing(series_of(Pollutant::PM25, pm));
    CHECK(r[23].aqi == 150);  // 20 valid hours of 115 -> mean 115 -> 150
    for (int h = 0; h < 23; ++h) CHECK(r[static_cast<std::size_t>(h)].aqi == kMissingIndex);
    pm[4] = kNaN;
    r = daily_aqi_trailing(series_of(Pollutant::PM25, pm));
    CHECK(r[23].aqi == kMissingIndex);  // 19 valid hours
  }
  SECTION("means of decimals do not round up past an integer") {
    // CO 2.2 for 24 h: mean 2.2 -> 55 (not 56); PM2.5 35 -> 50.
    const std::vector<double> co(48, 2.2);
    CHECK(daily_aqi_trailing(series_of(Pollutant::CO, co))[47].aqi == 55);
    const std::vector<double> pm(48, 35.0);
    CHECK(daily_aqi_trailing(series_of(Pollutant::PM25, pm))[47].aqi == 50);
  }
  SECTION("a block's mean, by hand") {
    // 12 h of 50 then 12 h of 150: mean 100 -> 132.
    std::vector<double> pm(24, 50.0);
    for (std::size_t h = 12; h < 24; ++h) pm[h] = 150.0;
    CHECK(daily_aqi_trailing(series_of(Pollutant::PM25, pm))[23].aqi == 132);
  }
}

TEST_CASE("Daily O3: largest 8-h mean lying inside the block", "[aqi]") {
  // O3 240 at hours 0..7, 40 after.
  std::vector<double> o3(30, 40.0);
  for (std::size_t h = 0; h < 8; ++h) o3[h] = 240.0;
  const auto r = daily_aqi_trailing(series_of(Pollutant::O3, o3));
  // [0, 23]: the window [0, 7] has mean 240 -> 50/50*(240-215)+150 = 175.
  CHECK(r[23].aqi == 175);
  CHECK(r[23].primary_mask == (1u << int(Pollutant::O3)));
  // [1, 24]: [0, 7] is no longer inside; best [1, 8] = (7*240 + 40)/8 = 215 -> 150.
  CHECK(r[24].aqi == 150);
  // [2, 25]: best [2, 9] = (6*240 + 2*40)/8 = 190 -> 50/55*30+100 = 127.27 -> 128.
  CHECK(r[25].aqi == 128);
  // [9, 32] does not exist (30 h); [6, 29]: best [6, 13] = (2*240 + 6*40)/8 = 90 -> 50/100*90 = 45.
  CHECK(r[29].aqi == 45);

  SECTION("at least 14 valid 8-h means") {
    // NaN at hours 0..4: an 8-h mean needs 6 valid hours, so the windows starting at 0, 1, 2
    // (5, 4, 3 missing hours) are invalid: 17 - 3 = 14 valid -> valid block.
    // NaN at hours 0..5: windows starting at 0..3 invalid: 13 valid -> invalid block.
    std::vector<double> x(24, 100.0);
    for (std::size_t h = 0; h < 5; ++h) x[h] = kNaN;
    CHECK(daily_aqi_trailing(series_of(Pollutant::O3, x))[23].aqi == 50);  // 8-h 100 -> 50
    x[5] = kNaN;
    CHECK(daily_aqi_trailing(series_of(Pollutant::O3, x))[23].aqi == kMissingIndex);
  }
  SECTION("8-h max above 800 falls back to the block's 1-h maximum") {
    // 8 h of 900 and a 1000 peak: 8-h mean (7*900+1000)/8 = 912.5 > 800 -> the largest 1-h
    // value 1000 -> 400.
    std::vector<double> y(24, 50.0);
    for (std::size_t h = 4; h < 12; ++h) y[h] = 900.0;
    y[6] = 1000.0;
    CHECK(daily_aqi_trailing(series_of(Pollutant::O3, y))[23].aqi == 400);
  }
}

TEST_CASE("Daily AQI matches a direct per-block computation over a long gappy series", "[aqi]") {
  // Reference: for each block, means computed afresh from the hours inside it.
  const std::size_t n = 3000;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::vector<double>> cols(kPollutantCount, std::vector<double>(n));
  const std::array<double, kPollutantCount> scale{900.0, 400.0, 500.0, 20.0, 500.0, 300.0};
  for (int p = 0; p < kPollutantCount; ++p)
    for (std::size_t h = 0; h < n; ++h)
      cols[static_cast<std::size_t>(p)][h] = u(rng) < 0.15 ? kNaN : scale[static_cast<std::size_t>(p)] * u(rng);
  StationSeries s;
  s.hours = n;
  for (int p = 0; p < kPollutantCount; ++p) s.conc[p] = cols[static_cast<std::size_t>(p)];
  const ValidityRules rules;
  const auto fast = daily_aqi_trailing(s, rules);

  const auto mean_of = [](const std::vector<double>& c, std::size_t a, std::size_t b, int need) {
    double sum = 0;
    int k = 0;
    for (std::size_t j = a; j < b; ++j)
      if (!std::isnan(c[j])) {
        sum += c[j];
        ++k;
      }
    return k >= need ? sum / k : kNaN;
  };
  int checked = 0;
  for (std::size_t h = 23; h < n; ++h) {
    std::array<int, kPollutantCount> iq{};
    for (int p = 0; p < kPollutantCount; ++p) {
      const auto& c = cols[static_cast<std::size_t>(p)];
      const auto pol = static_cast<Pollutant>(p);
      if (pol == Pollutant::O3) {
        double best = kNaN;
        int valid = 0;
        for (std::size_t k = h - 23; k + 8 <= h + 1; ++k) {
          const double m = mean_of(c, k, k + 8, rules.min_hours_8h);
          if (std::isnan(m)) continue;
          ++valid;
          if (std::isnan(best) || m > best) best = m;
        }
        double max1 = kNaN;
        for (std::size_t j = h - 23; j <= h; ++j)
          if (!std::isnan(c[j]) && (std::isnan(max1) || c[j] > max1)) max1 = c[j];
        iq[static_cast<std::size_t>(p)] =
            valid >= rules.min_windows_o3_8h ? iaqi(pol, Averaging::Hour8, best, max1).value : kMissingIndex;
      } else {
        iq[static_cast<std::size_t>(p)] =
            iaqi(pol, Averaging::Hour24, mean_of(c, h - 23, h + 1, rules.min_hours_24h)).value;
      }
    }
    const int expect = iq[int(Pollutant::PM25)] == kMissingIndex ? kMissingIndex : combine_iaqi(iq).aqi;
    if (expect != kMissingIndex) ++checked;
    REQUIRE(fast[h].aqi == expect);
  }
  CHECK(checked > 1000);
}
