#pragma once
// Emissions on the Eulerian grid (网格排放): for one UTC hour, the emission rate of every model
// species in every cell (µg/s per cell), from the inventory's sources — stacks at their hourly
// effective height (inject_stacks, Briggs rise under the hour's ambient conditions),
// area sources by exact area overlap, roads by length, the enterprises' ground-level releases in
// their cell, and the [[emissions.gridded]] files (their slice of the local month, or the step
// holding the hour of a time-stepped IOAPI file, spread over the model layers by their vertical
// distribution, gridded_profiles.hpp) — each with its temporal profile at the local time of the
// hour (a gridded file's own, or its sector's default; none for a time-stepped file, whose steps
// already carry it).
//
// Pollutant -> species (DESIGN.md): so2 -> SO2, nox -> NOx (as NO2), vocs -> VOC, nh3 -> NH3,
// pm25 -> PPM25 (primary PM2.5), pm10 − pm25 -> PMC (coarse), per source after its factors; a
// source whose PM10 rate is below its PM2.5 rate gets PMC = 0 and is counted in `pmc_clipped`.
// g/s are converted to µg/s here (× 1e6).
//
// Sources are numbered once (EmissionSource), in the order: stacks (Inventory::stacks), area
// sources, roads, ground releases (ground_releases order), gridded files. Scenario
// cuts are per-source, per-pollutant factors (STYLE.md 11: a measure maps (source, pollutant,
// hour) to a factor; the baseline is the identity), and source tags (sectors, districts, listed
// enterprises) a map source -> tag: the emissions of one tag are those of its sources only, so
// the tags' emissions sum to the total to round-off (the same cells receive the same terms).
//
// The model applies them (solver/emission_step.hpp): c += E dt / (dx dy Δz_k).
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "core/time_axis.hpp"
#include "emissions/gridded_netcdf.hpp"
#include "emissions/gridding.hpp"
#include "emissions/inventory.hpp"
#include "emissions/stack_injection.hpp"

namespace lantian::emissions {

/// The model species an inventory pollutant feeds, or nullopt for pm10 (which feeds PMC as
/// pm10 − pm25).
std::optional<Species> species_of(EmittedPollutant p) noexcept;

/// What kind of inventory source an EmissionSource is.
enum class SourceKind : unsigned char { stack, area, road, ground_release, gridded };

/// One emitting source of the grid, with what a tag map needs to group it.
struct EmissionSource {
  SourceKind kind = SourceKind::stack;
  std::size_t index = 0;  ///< into Inventory::stacks / areas / roads, ground_releases(), or the gridded files
  std::string id;         ///< the source's id ("" for ground releases: the enterprise's id; gridded: the file)
  Sector sector = Sector::industry;
  std::string district;   ///< "" for gridded files
  std::optional<std::size_t> enterprise;  ///< Inventory::enterprises index for stacks and ground releases
};

/// Which emissions to produce: all sources with their factors (the baseline when empty), or only
/// the sources of one tag.
struct EmissionSelection {
  /// Factor of each source and pollutant (one Rates per EmissionSource, dimensionless); empty =
  /// all 1. A scenario's cuts.
  std::vector<Rates> factors;
  /// Tag of each source (one per EmissionSource; -1 = in no tag); empty = no tags.
  std::vector<int> tag_of_source;
  /// The tag to produce; -1 = all sources (ignoring tag_of_source).
  int tag = -1;
};

/// Emission rates of one hour on the grid.
struct EmissionRates {
  std::array<Field3D<double>, kSpeciesCount> rate;  ///< µg/s per cell (nx, ny, nz), no halo
  PerSpecies total{};       ///< µg/s summed over the grid (row sums added in order)
  PerSpecies outside{};     ///< µg/s of the selected sources that fell outside the grid
  std::size_t pmc_clipped = 0;  ///< sources with PM10 < PM2.5 whose coarse rate was set to 0
};

/// The emitting sources of an inventory on a grid, with their cell weights computed once.
/// Keeps its own copy of what it needs (the inventory may be destroyed afterwards). Const
/// member functions may be called from several threads at once.
class EulerianEmissions {
 public:
  /// Grids the inventory's ground-level sources (area_weights / length_weights /
  /// Grid::cell_of) and keeps the stacks and the gridded files. Throws lantian::Error when a
  /// gridded file is not on `grid` (its fields' size differs).
  EulerianEmissions(const Inventory& inventory, const Grid& grid, const TimeZone& zone,
                    std::vector<GriddedEmissions> gridded = {});

  const std::vector<EmissionSource>& sources() const noexcept { return sources_; }

  /// The rates of the hour starting at UTC hour t: each selected source's annual-mean rate x its
  /// profile's factor at the local time of t x its selection factor; stacks are injected with
  /// `ambient` (one per Inventory::stacks, e.g. lantian::stack_ambient(inventory, grid, met.at(t))).
  /// Throws lantian::Error when `ambient` or the selection's vectors have the wrong size or a
  /// factor is negative or not finite.
  EmissionRates at(UtcHour t, const std::vector<StackAmbient>& ambient,
                   const EmissionSelection& selection = {}) const;

  /// The annual-mean rate (g/s) of each source inside the grid, in sources() order: stacks as
  /// stack_emissions, surface sources times their share inside the grid, gridded
  /// files summed over the grid (the mean of their slices). For weighting a scenario's factors.
  std::vector<Rates> annual_rates() const;
  /// The tag map of the sources grouped by sector: tag = int(Sector).
  std::vector<int> tags_by_sector() const;
  /// The names of the sector tags for tags_by_sector(): every sector up to industry (always, so
  /// that a city's outputs keep their columns), then a later sector (power, when it is added to
  /// the list) only when one of the sources has it — it is the last tag, so int(Sector) stays the
  /// tag index.
  std::vector<std::string> sector_tag_names() const;

 private:
  struct Surface {
    std::vector<CellWeight> cells;
    double inside = 0.0;  ///< sum of the weights
    Rates rates{};
    int profile = -1;
  };
  int nx_ = 0, ny_ = 0, nz_ = 0;
  Grid grid_;
  TimeZone zone_;
  Inventory stacks_only_;               ///< enterprises, stacks, profiles (for inject_stacks)
  std::vector<Rates> stack_rates_;      ///< annual-mean rate of each stack, g/s
  std::vector<Surface> surface_;                   ///< areas, roads, ground releases in source order
  std::vector<GriddedEmissions> gridded_;
  std::vector<std::vector<double>> gridded_layers_;  ///< per gridded file: share of each model layer (sum 1)
  std::vector<EmissionSource> sources_;
};

}  // namespace lantian::emissions
