// Unit conversion of emission rates (emissions/units.hpp) and the local-time calendar used by
// temporal profiles (emissions/inventory.hpp).
#include <catch2/catch.hpp>

#include "emissions/inventory.hpp"
#include "emissions/units.hpp"

using namespace lantian;
using namespace lantian::emissions;

TEST_CASE("rate units convert to g/s", "[emissions][units]") {
  // 1 t/yr = 1e6 g / (365 * 24 * 3600 s) = 0.031709791983764585 g/s (computed in Python:
  // 1e6 / 31536000). The constant is a single division, so it matches to the last ulp.
  CHECK(kGramsPerSecondPerTonnePerYear == Approx(0.031709791983764585).epsilon(1e-16));
  CHECK(to_grams_per_second(1000.0, RateUnit::t_per_yr) == Approx(31.709791983764585).epsilon(1e-15));
  // 36 kg/h = 36000 g / 3600 s = 10 g/s.
  CHECK(to_grams_per_second(36.0, RateUnit::kg_per_h) == Approx(10.0).epsilon(1e-15));
  CHECK(to_grams_per_second(2.5, RateUnit::g_per_s) == 2.5);
  // Round trip g/s -> t/yr.
  CHECK(to_tonnes_per_year(to_grams_per_second(12345.0, RateUnit::t_per_yr)) == Approx(12345.0).epsilon(1e-14));
}

TEST_CASE("rate unit spellings", "[emissions][units]") {
  CHECK(parse_rate_unit("t/yr") == RateUnit::t_per_yr);
  CHECK(parse_rate_unit(" T/A ") == RateUnit::t_per_yr);
  CHECK(parse_rate_unit("kg/h") == RateUnit::kg_per_h);
  CHECK(parse_rate_unit("g/s") == RateUnit::g_per_s);
  CHECK_FALSE(parse_rate_unit("mg/s").has_value());
  CHECK(rate_unit_name(RateUnit::t_per_yr) == "t/yr");
}

TEST_CASE("local time of a UTC hour", "[emissions][profile]") {
  const TimeZone tz("Asia/Shanghai");
  // 2024-12-10T00:00Z is hour 481608 since the epoch and Tuesday 08:00 in Beijing (Python datetime).
  const LocalTime a = local_time(481608, tz);
  CHECK(a.year == 2024);
  CHECK(a.month == 12);
  CHECK(a.day == 10);
  CHECK(a.weekday == 1);  // Tuesday, Monday = 0
  CHECK(a.hour == 8);
  // 2024-12-31T16:00Z (hour 482128) is Wednesday 2025-01-01 00:00 local: year, month, day roll over.
  const LocalTime b = local_time(482128, tz);
  CHECK(b.year == 2025);
  CHECK(b.month == 1);
  CHECK(b.day == 1);
  CHECK(b.weekday == 2);
  CHECK(b.hour == 0);
}

TEST_CASE("temporal factor is the product of month, weekday and hour factors", "[emissions][profile]") {
  TemporalProfile p = TemporalProfile::flat("x");
  p.month[11] = 1.5;   // December
  p.weekday[1] = 0.8;  // Tuesday
  p.hour[8] = 1.25;    // 08:00
  const LocalTime lt = local_time(481608, TimeZone("Asia/Shanghai"));
  CHECK(temporal_factor(p, lt) == Approx(1.5 * 0.8 * 1.25).epsilon(1e-15));
}
