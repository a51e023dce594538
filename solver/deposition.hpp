#pragma once
// Dry deposition (干沉降) and wet scavenging (湿清除) of the Eulerian model: first-order losses,
// linear in the concentrations, integrated exactly over a step, with the removed mass reported
// for the budget.
//
// Dry deposition acts on the surface layer (thickness Δz0) as the flux F = −vd c, i.e. the loss
// rate kd = vd / Δz0 (Seinfeld & Pandis 2016, "Atmospheric Chemistry and Physics", 3rd ed.,
// §19.1). The velocity vd of each species is either
//   - constant (the default), or
//   - resistance: vd = 1 / (Ra + Rs), Rs = 1 / vd_s, where the configured vd_s is read as the
//     surface-limited velocity 1/(Rb + Rc) and the aerodynamic resistance (S&P eq. 19.13) is
//         Ra = [ln(z/z0) − ψh(z/L) + ψh(z0/L)] / (κ u*),
//     z the centre of the surface layer, κ = 0.4, ψh of Businger-Dyer/Paulson (1970):
//     ψh(ζ) = 2 ln((1 + x²)/2), x = (1 − 16 ζ)^{1/4} for ζ < 0, and −5 ζ for ζ >= 0 (ζ capped at 1,
//     the range of the stable form). Ra >= 0; u* = 0 gives Ra = ∞, vd = 0. Gravitational
//     settling is not added (it is below 0.1 cm/s for PM2.5 and inside vd_s for coarse PM).
// Default velocities (cm/s): SO2 0.5, NOx 0.1 (NO2 0.1-0.3, NO much less), VOC 0.05 (mostly
// insoluble hydrocarbons), NH3 1.0, fine particles (PPM25, SO4, NO3, SOA) 0.15, coarse PM 0.8.
// Gases after Seinfeld & Pandis Table 19.1 and Wesely (1989, Atmos. Environ. 23, 1293); fine
// particles after Zhang et al. (2001, Atmos. Environ. 35, 549; 0.1-0.2 cm/s over urban and
// grass surfaces for 0.1-1 µm); coarse after the same scheme for 2.5-10 µm (0.5-1 cm/s).
//
// Wet scavenging: Λ = a P^b (1/s, P the precipitation rate in mm/h), applied to every layer whose
// centre lies below `wet_top` (default: the whole column; MetState carries no cloud base).
// Defaults: fine and coarse particles a = 8.4e-5 s⁻¹, b = 0.79 (below-cloud scavenging of the
// review by Sportisse 2007, Atmos. Environ. 41, 2683); SO2 a = 3e-5 s⁻¹, b = 1 (CALPUFF's
// λ0 at 1 mm/h, linear in P; Scire et al. 2000, "A User's Guide for the CALPUFF Dispersion
// Model", Earth Tech, default liquid-precipitation scavenging coefficients, §2.10); NH3 a = 6e-5 s⁻¹, b = 1 (highly soluble, as CALPUFF's HNO3); NOx and VOC
// 0 (insoluble).
//
// Exact step. In the surface layer both losses act together: with kd and Λ frozen over dt,
//     c(t + dt) = c e^{−(kd + Λ) dt},   removed R = c (1 − e^{−(kd + Λ) dt}),
// of which kd/(kd + Λ) R is dry-deposited and Λ/(kd + Λ) R rained out (the exact split of the
// ODE). Above it, c e^{−Λ dt}. 1 − e^{−x} is computed as −expm1(−x). The removed mass (µg) is
// the concentration change times the cell volume, so deposited + remaining = initial to round-off.
#include <array>
#include <limits>
#include <span>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "meteo/met_state.hpp"
#include "solver/process_step.hpp"

namespace lantian::solver {

/// Parameters of dry deposition and wet scavenging (defaults: see the top of this header).
struct DepositionParams {
  /// Dry deposition velocity of each species (index(Species)), m/s; in resistance mode the
  /// surface-limited velocity 1/(Rb + Rc).
  PerSpecies dry_velocity{0.005, 0.001, 0.0005, 0.010, 0.0015, 0.008, 0.0015, 0.0015, 0.0015};
  /// Add the aerodynamic resistance Ra(u*, L) in series (see the top of this header).
  bool use_resistance = false;
  /// Apply dry deposition here. false when the implicit vertical diffusion takes vd as its lower
  /// boundary flux (transport.hpp): then this process rains out only, and DepositionStep::velocity
  /// still holds vd for the diffusion.
  bool dry = true;
  double z0 = 0.5;  ///< roughness length for Ra, m (must lie below the centre of layer 0)
  /// Λ = a P^b: a in 1/s (at P = 1 mm/h) and b (-), per species.
  PerSpecies wet_a{3.0e-5, 0.0, 0.0, 6.0e-5, 8.4e-5, 8.4e-5, 8.4e-5, 8.4e-5, 8.4e-5};
  PerSpecies wet_b{1.0, 1.0, 1.0, 1.0, 0.79, 0.79, 0.79, 0.79, 0.79};
  /// Layers whose centre is below this height (m above ground) are scavenged.
  double wet_top = std::numeric_limits<double>::infinity();

  /// Throws lantian::Error naming the parameter ("deposition.dry_velocity[SO2]") when a
  /// velocity, a or b is negative or not finite, or z0 <= 0.
  void validate() const;
};

/// ψh of Businger-Dyer/Paulson at ζ = z/L (see the top of this header).
double psi_heat(double zeta) noexcept;
/// Aerodynamic resistance Ra (s/m) between z and z0 (m) for u* (m/s) and Obukhov length L (m).
double aerodynamic_resistance(double z, double z0, double ustar, double obukhov) noexcept;
/// Scavenging coefficient Λ = a P^b (1/s) of species s at precipitation P (mm/h); 0 when P <= 0.
double scavenging_coefficient(Species s, double precip_mm_h, const DepositionParams& p) noexcept;

/// The per-column factors of one deposition step (computed once per step, applied to the total
/// and to every tag alike).
struct DepositionStep {
  std::array<Field2D<double>, kSpeciesCount> surface_loss;  ///< 1 − e^{−(kd + Λ) dt} in layer 0
  std::array<Field2D<double>, kSpeciesCount> dry_share;     ///< kd / (kd + Λ) (1 when both are 0)
  std::array<Field2D<double>, kSpeciesCount> column_loss;   ///< 1 − e^{−Λ dt} in the scavenged layers above 0
  std::array<Field2D<double>, kSpeciesCount> velocity;      ///< dry deposition velocity vd, m/s (also when !dry)
  int wet_layers = 0;  ///< layers 0 .. wet_layers-1 are scavenged
  StepTime time;
};

/// Fills `step` (allocated as needed) for rows `rows` from `met` (ustar, obukhov, precip).
/// Throws lantian::Error naming "deposition", the time and the cell for a NaN, infinite or
/// negative precipitation or u* (a NaN Obukhov length), and when z0 is not below the centre of
/// the surface layer.
void prepare_deposition(DepositionStep& step, const Grid& grid, const meteo::MetState& met,
                        const DepositionParams& params, const StepTime& time, const RowRange& rows);

/// Mass removed by a deposition step, µg per species.
struct DepositionBudget {
  PerSpecies dry{};
  PerSpecies wet{};
};

/// Optional maps of the removed mass, accumulated (added to) by apply_deposition, µg/m² per cell.
struct DepositionMaps {
  std::array<Field2D<double>, kSpeciesCount> dry;
  std::array<Field2D<double>, kSpeciesCount> wet;
};

/// Applies the step to the interior rows of `c` (total or tag); adds the removed mass to `maps`
/// when given (allocated to the grid as needed). Linear in c. A NaN, infinite or negative
/// concentration met throws lantian::Error naming "deposition", the time and the cell after the
/// loop (the fields are then partly updated and the run must stop).
DepositionBudget apply_deposition(SpeciesFields& c, const DepositionStep& step, const Grid& grid, const RowRange& rows,
                                  DepositionMaps* maps = nullptr);

/// The same step applied to every tag of `tags` in one pass over the rows (no budget, no maps):
/// each cell gets apply_deposition's operations, bitwise the same result. A NaN, infinite or
/// negative value throws as apply_deposition does (that tag's row is then left alone), naming
/// "tag <n> <species>".
void apply_deposition_tags(std::span<SpeciesFields> tags, const DepositionStep& step, const Grid& grid,
                           const RowRange& rows);

}  // namespace lantian::solver
