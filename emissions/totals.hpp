#pragma once
// Inventory totals (全社会排放量): by pollutant, sector, district, problem category, industry and
// performance grade. The whole-society total is the denominator of the 10/20/30% cut floors
// of the yellow/orange/red responses (DOMAIN.md §4). All figures are annual-mean g/s; use
// units.hpp's to_tonnes_per_year to print t/yr.
#include <map>
#include <string>

#include "emissions/inventory.hpp"

namespace lantian::emissions {

struct EmissionTotals {
  Rates total{};                               ///< every source: enterprises + areas + roads
  std::array<Rates, kSectorCount> by_sector{};  ///< index = Sector; enterprises count as industry
  std::map<std::string, Rates> by_district;    ///< all sources, by their district
  std::map<std::string, Rates> by_category;    ///< all sources, by air-pollution problem category
  std::map<std::string, Rates> by_department;  ///< all sources, by responsible department
  std::map<std::string, Rates> by_industry;    ///< enterprises only, by key industry
  std::array<Rates, kGradeCount> by_grade{};   ///< enterprises only, index = Grade
  Rates exempt{};                              ///< enterprises flagged exempt (豁免)
  std::array<int, kGradeCount> enterprise_count_by_grade{};  ///< number of enterprises of each grade
};

/// Sums the inventory's annual-mean rates.
EmissionTotals compute_totals(const Inventory& inv);

/// The cut (g/s) that a uniform floor of `fraction` (0.1 / 0.2 / 0.3 for yellow / orange / red)
/// of the whole-society total requires for each pollutant (DOMAIN.md §4).
Rates required_cut(const EmissionTotals& totals, double fraction) noexcept;

}  // namespace lantian::emissions
