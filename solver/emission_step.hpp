#pragma once
// The emission step of the Eulerian model: one hour's emission rates on the grid
// (emissions/eulerian_emissions.hpp) added to the concentrations, c += E dt / (dx dy Δz_k), or
// handed to the vertical diffusion as a surface flux.
#include <array>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "solver/process_step.hpp"

namespace lantian::solver {

/// Adds E dt / V to the interior rows of `c` (c += rate dt / (dx dy Δz_k)) and returns the mass
/// added per species (µg). With `surface_layer` false, layer 0 is left out (when the vertical
/// diffusion takes surface_emission_flux() as its lower boundary flux, transport.hpp). A NaN,
/// infinite or negative concentration met throws lantian::Error naming "emissions", the time and
/// the cell after the loop.
PerSpecies apply_emissions(SpeciesFields& c, const emissions::EmissionRates& e, const Grid& grid, const StepTime& time,
                           const RowRange& rows, bool surface_layer = true);

/// The layer-0 emissions as an upward surface flux, µg/m²/s per cell (rate(i, j, 0) / (dx dy)),
/// per species.
std::array<Field2D<double>, kSpeciesCount> surface_emission_flux(const emissions::EmissionRates& e, const Grid& grid);

}  // namespace lantian::solver
