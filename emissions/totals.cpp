#include "emissions/totals.hpp"

namespace lantian::emissions {

namespace {

void add(Rates& to, const Rates& r) noexcept {
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) to[p] += r[p];
}

/// Adds r to m[key], starting from zero.
void add(std::map<std::string, Rates>& m, const std::string& key, const Rates& r) {
  add(m.try_emplace(key, Rates{}).first->second, r);
}

}  // namespace

EmissionTotals compute_totals(const Inventory& inv) {
  EmissionTotals t;
  auto common = [&t](Sector s, const std::string& district, const std::string& category,
                     const std::string& department, const Rates& r) {
    add(t.total, r);
    add(t.by_sector[static_cast<std::size_t>(s)], r);
    add(t.by_district, district, r);
    add(t.by_category, category, r);
    add(t.by_department, department, r);
  };
  for (const Enterprise& e : inv.enterprises) {
    common(Sector::industry, e.district, e.category, e.department, e.rates);
    add(t.by_industry, e.industry, e.rates);
    add(t.by_grade[static_cast<std::size_t>(e.grade)], e.rates);
    ++t.enterprise_count_by_grade[static_cast<std::size_t>(e.grade)];
    if (e.exempt) add(t.exempt, e.rates);
  }
  for (const AreaSource& a : inv.areas) common(a.sector, a.district, a.category, a.department, a.rates);
  for (const RoadSource& r : inv.roads) common(r.sector, r.district, r.category, r.department, r.rates);
  return t;
}

Rates required_cut(const EmissionTotals& totals, double fraction) noexcept {
  Rates r{};
  for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) r[p] = fraction * totals.total[p];
  return r;
}

}  // namespace lantian::emissions
