#pragma once
// Gaussian screening of a case (高斯烟羽快速评估): every enterprise stack and ground-level release
// of the inventory against the case's stations (and optionally every grid cell, for maps), hour
// by hour with the met sampled at each source, kept as unit transfer coefficients so that any
// pollutant, enterprise, production line or cut is a weighted sum without re-running.
//
// Sources: the inventory's stacks (Inventory::stacks order), then one ground-level point per
// enterprise at its location (no plume rise; carries what emissions::stack_emissions leaves at
// ground level). Each is computed at 1 g/s: unit(h, r, s) in µg/m³ per g/s. The plume is linear
// in the rate (rise and σ do not depend on it), so the concentration of pollutant p is
//   C_p(h, r) = Σ_s unit(h, r, s) · rate_p(h, s),
// with rate_p(h, s) the source's annual-mean rate times its enterprise's temporal factor at the
// local hour. A production line l of enterprise e (share_l[p] of e's rate, released equally
// through its stacks, or at ground level when it lists none; emissions/inventory.hpp) contributes
//   share_l[p] · rate_e[p] · f_e(h) · mean over the line's stacks of unit(h, r, s).
//
// Met at a source (the cell containing it): 10-m wind (grid-relative u10, v10) at ref_height
// 10 m, T2, PBLH as the mixing height, u*, L, and the Pasquill class from L and z0 (Golder 1972).
// Primary emissions only: secondary PM needs the Eulerian model (issue 5).
#include <cstddef>
#include <string>
#include <span>
#include <vector>

#include "emissions/inventory.hpp"
#include "forecast/case_inputs.hpp"
#include "solver/building_profile.hpp"
#include "solver/gaussian_plume.hpp"

namespace lantian {

struct PlumeScreeningOptions {
  solver::PlumeOptions plume{solver::Dispersion::BriggsUrban};  ///< a city: urban dispersion by default
  bool map = false;     ///< also every grid cell centre (after the stations)
  double z0 = 0.5;      ///< roughness length for the Pasquill class, m
};

struct PlumeScreening {
  std::vector<UtcHour> times;              ///< the case period's hours (UTC)
  std::vector<solver::Receptor> receptors; ///< stations (case order), then grid cells when map
  std::size_t n_stations = 0;
  std::size_t n_stacks = 0;                ///< sources 0..n_stacks-1; then one ground source per enterprise
  solver::Contributions unit;              ///< µg/m³ per g/s of each source
  std::vector<double> temporal;            ///< [hour][enterprise] temporal factor f_e(h)

  /// Concentration of pollutant p from every source of `inventory` at receptor r, hour h, µg/m³.
  double concentration(const emissions::Inventory& inventory, emissions::EmittedPollutant p, std::size_t h,
                       std::size_t r) const;
  /// concentration() of every hour and receptor, [hour][receptor] (rates computed once).
  std::vector<double> concentrations(const emissions::Inventory& inventory, emissions::EmittedPollutant p) const;
  /// Each enterprise's contribution [hour][receptor][enterprise] of pollutant p, µg/m³, for the
  /// first `n_receptors` receptors (default: the stations). Sums over enterprises to concentration().
  std::vector<double> enterprise_contributions(const emissions::Inventory& inventory, emissions::EmittedPollutant p,
                                               std::size_t n_receptors) const;
  /// Each production line's contribution [hour][receptor][line] (Inventory::lines order), µg/m³.
  std::vector<double> line_contributions(const emissions::Inventory& inventory, emissions::EmittedPollutant p,
                                         std::size_t n_receptors) const;
};

/// The per-source met of every hour of the case period (see the header comment), [hour][source].
std::vector<solver::PlumeMet> plume_met_at_sources(const CaseInputs& inputs, const std::vector<solver::PlumeSource>& sources,
                                                   double z0);
/// The sources of the inventory at 1 g/s (stacks, then ground points), see the header comment.
std::vector<solver::PlumeSource> screening_sources(const emissions::Inventory& inventory);
/// Gives each stack (the first `n_stacks` sources) the BPIP-style dims of `buildings` where any
/// building influences it in some direction (solver/building_profile.hpp); others keep none.
void attach_buildings(std::vector<solver::PlumeSource>& sources, std::size_t n_stacks,
                      std::span<const solver::Building> buildings);

/// Runs the screening over the case period. Throws lantian::Error naming the hour and source
/// when the met there is unusable.
PlumeScreening run_plume_screening(const CaseInputs& inputs, const PlumeScreeningOptions& options);

}  // namespace lantian
