#pragma once
// Hourly injection of stack emissions (高架源逐时抬升与分层): the effective height of each stack from
// Briggs plume rise (plume_rise.hpp, the one implementation) under the hour's ambient conditions,
// and the plume's vertical spread over the grid layers. emissions/ depends on core only (DESIGN.md),
// so the ambient conditions arrive as plain numbers per stack (StackAmbient); sampling them from
// the meteorology is the caller's job (forecast/case_inputs.hpp: stack_ambient).
//
// Rise: briggs_plume_rise() with the hour's wind, temperature and dθ/dz at the stack top. When
//   dθ/dz > 0 (stable formulas), the rise is the smaller of the stable and the neutral Briggs
//   rise: the stable formula 2.6 (Fb/(u s))^(1/3) diverges as s -> 0, and stability only ever
//   lowers a plume. This is the rule of the Briggs scheme PLMRIS of SMOKE and of CMAQ's inline
//   plume rise ("Take the minimum of neutral and stable", SMOKE src/point/plmris.f).
// Plume depth rule:
//   Δh = final rise, h' = release height after stack-tip downwash, he = h' + Δh; the plume fills
//   [he - Δh/2, he + Δh/2] = [h' + Δh/2, h' + 1.5 Δh] uniformly in height. These are PLMRIS's
//   plume top and bottom (TOP = STKHT + 1.5 ΔH, BOT = STKHT + 0.5 ΔH, SMOKE src/point/plmris.f),
//   and agree with Briggs's bent-over plume growing with radius r ≈ 0.5 z' (Briggs 1975, "Plume
//   rise predictions", Lectures on Air Pollution and Environmental Impact Analyses, AMS,
//   pp. 59-111). The fractions are height-weighted: the overlap of [bottom, top] with each layer
//   divided by top - bottom (SMOKE's laypoint weights by pressure; within a plume a few hundred
//   metres deep the air density changes by a few percent).
//   Mixed-layer cap: when the release height is inside the mixed layer (h' < zmix) the capping
//   inversion is taken as a lid: top = min(top, zmix), bottom = min(bottom, top) (PLMRIS's
//   partial-penetration branch is not modelled). A plume released above zmix is not capped.
//   Heights above the grid top are clamped to it; a plume of zero depth (no rise) goes whole into
//   the layer holding its height.
// The layer fractions are summed in increasing k and the last one is 1 minus the sum of the
// others, so they sum to exactly 1.0 in floating point (tests check it).
#include <array>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "emissions/inventory.hpp"
#include "emissions/plume_rise.hpp"

namespace lantian::emissions {

/// The ambient conditions at one stack for one hour (plain data sampled from the met).
struct StackAmbient {
  double wind_speed = 0.0;     ///< horizontal wind speed at the stack top, m/s (floored at 1 m/s by Briggs)
  double temperature = 0.0;    ///< air temperature at the stack top, K
  double dtheta_dz = 0.0;      ///< potential-temperature gradient at the stack top, K/m (> 0: stable formulas)
  double mixing_height = 0.0;  ///< mixing height (混合层高度), m above ground
};

/// A share of a plume in one layer.
struct LayerShare {
  int k = 0;
  double fraction = 0.0;
};

/// One stack's plume for one hour.
struct PlumeInjection {
  PlumeRise rise;             ///< Briggs rise used (rise.regime says which), effective_height = h' + Δh before any cap
  double bottom = 0.0;        ///< bottom of the injected depth, m above ground
  double top = 0.0;           ///< top of the injected depth, m above ground
  std::vector<LayerShare> layers;  ///< layers receiving the plume, increasing k; fractions sum to 1
};

/// The fractions of a uniform vertical distribution over [bottom, top] (m) in each layer of
/// `layer_tops` (the Grid's), following the rule at the top of this header (clamping to the grid
/// top; zero depth -> one layer). Fractions sum to exactly 1.
std::vector<LayerShare> layer_shares(double bottom, double top, const std::vector<double>& layer_tops);

/// The plume of `stack` under `ambient`, spread over `layer_tops`.
PlumeInjection inject_plume(const Stack& stack, const StackAmbient& ambient, const std::vector<double>& layer_tops);

/// Stack emissions of one hour on the grid.
struct StackEmissions3D {
  std::array<Field3D<double>, kEmittedPollutantCount> rate;  ///< g/s per cell (nx, ny, nz), no halo
  Rates outside{};                                            ///< g/s of stacks outside the grid
  std::vector<PlumeInjection> plumes;                         ///< one per Inventory::stacks
};

/// The 3-D stack emissions of one hour: each stack's rate (`stack_rates`, g/s, e.g. from
/// stack_emissions()) times its enterprise's temporal factor at `local` (no factor when null),
/// spread over the layers of its plume under `ambient` (one entry per stack). The mass added per
/// stack equals rate x factor (fractions sum to 1). Throws lantian::Error on size mismatches.
StackEmissions3D inject_stacks(const Inventory& inventory, const std::vector<Rates>& stack_rates,
                               const std::vector<StackAmbient>& ambient, const Grid& grid, const LocalTime* local);

}  // namespace lantian::emissions
