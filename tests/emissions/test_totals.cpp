// Inventory totals by pollutant, sector, district, category and grade, against sums by hand.
#include <catch2/catch.hpp>

#include "emissions/totals.hpp"

using namespace lantian::emissions;

namespace {

Inventory small_inventory() {
  Inventory inv;
  Enterprise e1;
  e1.id = "E1";
  e1.industry = "power";
  e1.grade = Grade::A;
  e1.exempt = true;
  e1.district = "North";
  e1.category = "industrial waste gas";
  e1.rates = {10, 20, 1, 2, 0.5, 0};
  Enterprise e2 = e1;
  e2.id = "E2";
  e2.industry = "cement";
  e2.grade = Grade::C;
  e2.exempt = false;
  e2.district = "South";
  e2.rates = {3, 4, 5, 6, 0, 0};
  inv.enterprises = {e1, e2};
  AreaSource a;
  a.sector = Sector::catering;
  a.district = "South";
  a.category = "catering fumes";
  a.rates = {0, 0, 0.25, 0.25, 1, 0};
  inv.areas = {a};
  RoadSource r;
  r.sector = Sector::road_traffic;
  r.district = "North";
  r.category = "motor vehicle exhaust";
  r.rates = {0.125, 8, 0.5, 0.5, 2, 0.0625};
  inv.roads = {r};
  return inv;
}

}  // namespace

TEST_CASE("totals by pollutant, sector, district, category and grade", "[emissions][totals]") {
  const EmissionTotals t = compute_totals(small_inventory());
  // Values are binary fractions: the sums are exact, compare with ==.
  // SO2: 10 + 3 + 0 + 0.125 = 13.125; NOx: 20 + 4 + 0 + 8 = 32; VOCs 0.5 + 0 + 1 + 2 = 3.5.
  CHECK(t.total[index(EmittedPollutant::so2)] == 13.125);
  CHECK(t.total[index(EmittedPollutant::nox)] == 32.0);
  CHECK(t.total[index(EmittedPollutant::vocs)] == 3.5);
  CHECK(t.total[index(EmittedPollutant::nh3)] == 0.0625);
  CHECK(t.by_sector[static_cast<std::size_t>(Sector::industry)][index(EmittedPollutant::so2)] == 13.0);
  CHECK(t.by_sector[static_cast<std::size_t>(Sector::catering)][index(EmittedPollutant::pm25)] == 0.25);
  CHECK(t.by_sector[static_cast<std::size_t>(Sector::road_traffic)][index(EmittedPollutant::nox)] == 8.0);
  // North = E1 + road; South = E2 + catering.
  CHECK(t.by_district.at("North")[index(EmittedPollutant::nox)] == 28.0);
  CHECK(t.by_district.at("South")[index(EmittedPollutant::pm25)] == 5.25);
  CHECK(t.by_category.at("industrial waste gas")[index(EmittedPollutant::pm10)] == 8.0);
  CHECK(t.by_category.at("catering fumes")[index(EmittedPollutant::vocs)] == 1.0);
  CHECK(t.by_grade[static_cast<std::size_t>(Grade::A)][index(EmittedPollutant::so2)] == 10.0);
  CHECK(t.by_grade[static_cast<std::size_t>(Grade::C)][index(EmittedPollutant::so2)] == 3.0);
  CHECK(t.enterprise_count_by_grade[static_cast<std::size_t>(Grade::A)] == 1);
  CHECK(t.enterprise_count_by_grade[static_cast<std::size_t>(Grade::D)] == 0);
  CHECK(t.by_industry.at("cement")[index(EmittedPollutant::nox)] == 4.0);
  CHECK(t.exempt[index(EmittedPollutant::nox)] == 20.0);
  // Red floor: 30% of the whole-society SO2 = 0.3 * 13.125 = 3.9375.
  CHECK(required_cut(t, 0.3)[index(EmittedPollutant::so2)] == Approx(3.9375).epsilon(1e-15));
  // Every breakdown sums back to the total.
  for (EmittedPollutant p : kAllEmittedPollutants) {
    double s = 0.0, d = 0.0;
    for (const Rates& r : t.by_sector) s += r[index(p)];
    for (const auto& [k, r] : t.by_district) d += r[index(p)];
    CHECK(s == t.total[index(p)]);
    CHECK(d == t.total[index(p)]);
  }
}
