// The hourly mass budget record (solver/budget.hpp).
#include "solver/budget.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "core/error.hpp"

namespace lantian::solver {

PerSpecies& HourBudget::term(BudgetTerm t) noexcept {
  return const_cast<PerSpecies&>(static_cast<const HourBudget&>(*this).term(t));
}

const PerSpecies& HourBudget::term(BudgetTerm t) const noexcept {
  const int n = static_cast<int>(t);
  switch (t) {
    case BudgetTerm::emitted: return emitted;
    case BudgetTerm::chemistry: return chemistry;
    case BudgetTerm::dry_deposited: return dry_deposited;
    case BudgetTerm::wet_deposited: return wet_deposited;
    default: break;
  }
  if (n < static_cast<int>(BudgetTerm::out_west))
    return inflow[static_cast<std::size_t>(n - static_cast<int>(BudgetTerm::in_west))];
  return outflow[static_cast<std::size_t>(n - static_cast<int>(BudgetTerm::out_west))];
}

void HourBudget::add(BudgetTerm t, const PerSpecies& v) noexcept {
  PerSpecies& x = term(t);
  for (std::size_t s = 0; s < kSpeciesCount; ++s) x[s] += v[s];
}

double HourBudget::residual(Species s) const noexcept {
  const std::size_t n = index(s);
  double in = 0.0, out = 0.0;
  for (std::size_t side = 0; side < inflow.size(); ++side) {
    in += inflow[side][n];
    out += outflow[side][n];
  }
  return mass_after[n] - mass_before[n] - (emitted[n] + in - out - dry_deposited[n] - wet_deposited[n] + chemistry[n]);
}

double HourBudget::max_residual() const noexcept {
  // Not std::max: max(0, NaN) is 0, and a NaN budget would read as a perfect one.
  double r = 0.0;
  for (Species s : kAllSpecies) {
    const double a = std::abs(residual(s));
    if (std::isnan(a)) return a;
    if (a > r) r = a;
  }
  return r;
}

void check_budget(const HourBudget& b) {
  for (Species s : kAllSpecies) {
    const std::size_t n = index(s);
    auto term = [&](std::string_view name, double v) {
      if (std::isfinite(v)) return;
      std::ostringstream o;
      o << "mass budget of the hour starting " << format_utc(b.hour) << ": " << species_name(s) << " " << name
        << " is " << v << " ug (not a finite number: a concentration or a flux overflowed)";
      throw Error(o.str());
    };
    term("mass_before", b.mass_before[n]);
    for (BudgetTerm t : kAllBudgetTerms) term(budget_term_name(t), b.term(t)[n]);
    term("mass_after", b.mass_after[n]);
    term("residual", b.residual(s));
  }
}

}  // namespace lantian::solver
