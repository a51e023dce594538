#pragma once
// Gridding of ground-level sources onto the model grid (排放源网格化): area sources by exact
// area overlap of their polygons with the grid cells, road sources by length overlap of their
// polylines, and the enterprises' ground-level releases into the cell holding the site. Mass is
// conserved to round-off: the cell rates of a source sum to its rate times the fraction of its
// geometry inside the grid (1 when the source lies inside, which the reader checks when given
// the grid); what lies outside is reported, not lost silently.
//
// Stacks enter the column at the effective height given by the plume rise of each hour
// (plume_rise.hpp), which needs the meteorology: stack_injection.hpp's inject_stacks does that.
#include <array>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "emissions/inventory.hpp"

namespace lantian::emissions {

/// A share of a source in one cell.
struct CellWeight {
  int i = 0;
  int j = 0;
  double weight = 0.0;  ///< fraction of the source's area (or length) in cell (i, j)
};

/// The fraction of the polygons' total area in each grid cell, by exact polygon clipping
/// (Sutherland-Hodgman against each column strip, then each cell of the strip). Holes subtract.
/// Cells with zero overlap are omitted; the weights sum to the fraction of the area inside the
/// grid. A cell may appear more than once (once per ring that overlaps it).
std::vector<CellWeight> area_weights(const std::vector<Polygon>& polygons, const Grid& grid);

/// The fraction of the polyline's length in each grid cell (each segment cut at the cell faces).
std::vector<CellWeight> length_weights(const std::vector<XY>& path, const Grid& grid);

/// Surface emission rates on the grid: one 2-D field per pollutant, g/s per cell (not per m^2),
/// plus what fell outside the grid.
struct SurfaceEmissions {
  std::array<lantian::Field2D<double>, kEmittedPollutantCount> rate;  ///< g/s in each cell, no halo
  Rates outside{};  ///< g/s of the sources' rates that lie outside the grid
};

/// Precomputes the cell weights of every ground-level source of an inventory once (geometry does
/// not change hour to hour), then grids the rates for the annual mean or for a given hour.
/// Keeps its own copy of what it needs: the inventory may be destroyed afterwards.
class SurfaceGridder {
 public:
  SurfaceGridder(const Inventory& inventory, const Grid& grid);

  /// Annual-mean rates (no temporal profile).
  SurfaceEmissions annual_mean() const;
  /// Rates of the hour starting at UTC hour t: each source's rate times its profile's factor at
  /// the local time of t in tz.
  SurfaceEmissions at(UtcHour t, const TimeZone& tz) const;

  /// Number of gridded sources (areas + roads + enterprise ground releases).
  std::size_t source_count() const noexcept { return sources_.size(); }

 private:
  struct Source {
    std::vector<CellWeight> cells;
    double inside = 0.0;  ///< sum of the weights
    Rates rates{};
    int profile = -1;
  };
  SurfaceEmissions grid_with(const LocalTime* local) const;

  int nx_ = 0, ny_ = 0;
  std::vector<Source> sources_;
  std::vector<TemporalProfile> profiles_;
};

}  // namespace lantian::emissions
