#pragma once
// The mass budget of the Eulerian model (质量收支): one record per hour, filled generically by
// the processes of the step (solver/process.hpp: each process adds to the terms it names in
// budget_terms()), written as budget.csv (forecast/model_output.hpp budget_csv).
//
// Terms, µg per species over the hour, in budget.csv's column order (budget_term_name):
//   emitted                   added by the emissions (sources > 0)
//   chemistry                 changed by chemistry: −lost (precursors), +formed (products)
//   dry_deposited, wet_deposited   removed by deposition (> 0)
//   in_<side>, out_<side>     through the west, east, south and north sides and the top
// and mass_before / mass_after, the mass in the domain at the start and the end of the hour.
// residual = after − before − (emitted + Σ in − Σ out − dry − wet + chemistry) is round-off.
#include <array>
#include <cstddef>
#include <string_view>

#include "core/species.hpp"
#include "core/time_axis.hpp"
#include "solver/side.hpp"

namespace lantian::solver {

/// A term of the hourly budget; the order is budget.csv's.
enum class BudgetTerm : int {
  emitted,
  chemistry,
  dry_deposited,
  wet_deposited,
  in_west,
  in_east,
  in_south,
  in_north,
  in_top,
  out_west,
  out_east,
  out_south,
  out_north,
  out_top,
};
inline constexpr std::size_t kBudgetTermCount = 14;

/// Every term, in budget.csv's column order.
inline constexpr std::array<BudgetTerm, kBudgetTermCount> kAllBudgetTerms{
    BudgetTerm::emitted,  BudgetTerm::chemistry, BudgetTerm::dry_deposited, BudgetTerm::wet_deposited,
    BudgetTerm::in_west,  BudgetTerm::in_east,   BudgetTerm::in_south,      BudgetTerm::in_north,
    BudgetTerm::in_top,   BudgetTerm::out_west,  BudgetTerm::out_east,      BudgetTerm::out_south,
    BudgetTerm::out_north, BudgetTerm::out_top};

/// budget.csv's column of the term: "emitted", "chemistry", "dry_deposited", "wet_deposited",
/// "in_west", ..., "out_top".
constexpr std::string_view budget_term_name(BudgetTerm t) noexcept {
  constexpr std::array<std::string_view, kBudgetTermCount> names{
      "emitted", "chemistry", "dry_deposited", "wet_deposited", "in_west",   "in_east",   "in_south",
      "in_north", "in_top",   "out_west",      "out_east",      "out_south", "out_north", "out_top"};
  return names[static_cast<std::size_t>(t)];
}
/// The in_ / out_ term of a side.
constexpr BudgetTerm inflow_term(Side s) noexcept {
  return static_cast<BudgetTerm>(static_cast<int>(BudgetTerm::in_west) + static_cast<int>(s));
}
constexpr BudgetTerm outflow_term(Side s) noexcept {
  return static_cast<BudgetTerm>(static_cast<int>(BudgetTerm::out_west) + static_cast<int>(s));
}

/// Mass budget of one hour, µg per species (index(Species)): the one budget record.
struct HourBudget {
  UtcHour hour = 0;                       ///< the hour that started at this time
  PerSpecies emitted{};
  PerSpecies chemistry{};                 ///< change by chemistry: −lost (precursors), +formed (products)
  PerSpecies dry_deposited{};
  PerSpecies wet_deposited{};
  std::array<PerSpecies, 5> inflow{};     ///< [Side][species], lateral sides and top
  std::array<PerSpecies, 5> outflow{};
  PerSpecies mass_before{};               ///< in the domain at the start of the hour
  PerSpecies mass_after{};                ///< at its end

  /// The term t, per species (the generic access of the processes and the checks).
  PerSpecies& term(BudgetTerm t) noexcept;
  const PerSpecies& term(BudgetTerm t) const noexcept;
  /// term(t)[s] += v[s] for every species.
  void add(BudgetTerm t, const PerSpecies& v) noexcept;

  /// after − before − (emitted + in − out − dry − wet + chemistry) of species s.
  double residual(Species s) const noexcept;
  /// The largest |residual(s)| over the species; NaN when any residual is NaN, infinite when
  /// any is (never 0 for a budget that is not a number).
  double max_residual() const noexcept;
};

/// Throws lantian::Error naming the hour, the species and the term (budget.csv's column name,
/// "in_west", "residual", ...) at the first term of `b` or residual that is NaN or infinite
/// (per species: mass_before, the terms in column order, mass_after, residual).
void check_budget(const HourBudget& b);

}  // namespace lantian::solver
