#pragma once
// Readers of the inventory CSV files (schemas in emissions/README.md): enterprises.csv,
// stacks.csv, lines.csv, area_sources.csv, roads.csv, profiles.csv. Every mistake throws
// lantian::Error naming the file, the line, the column and what was expected; the result is
// built only when every file has been read (nothing half-made is returned).
#include <string>
#include <string_view>

#include "core/grid.hpp"
#include "emissions/inventory.hpp"

namespace lantian::emissions {

/// Paths of the inventory files; an empty path means "no such file".
struct InventoryFiles {
  std::string enterprises;   ///< enterprises.csv
  std::string stacks;        ///< stacks.csv (needs enterprises)
  std::string lines;         ///< lines.csv (needs enterprises and, when lines list stacks, stacks)
  std::string area_sources;  ///< area_sources.csv
  std::string roads;         ///< roads.csv
  std::string profiles;      ///< profiles.csv

  /// The standard file names in `dir`, each kept only when the file exists.
  static InventoryFiles in_directory(const std::string& dir);
};

/// Default air-pollution problem category of a sector (DOMAIN.md §6), e.g. construction_dust ->
/// "building-site dust".
std::string_view default_category(Sector s) noexcept;
/// Default responsible department of a sector (DOMAIN.md §6), e.g. catering -> "city management bureau".
std::string_view default_department(Sector s) noexcept;

/// Reads profiles.csv alone (the schema of emissions/README.md; each axis normalised to mean 1),
/// e.g. for the profiles that [[emissions.gridded]] entries name. Throws lantian::Error naming
/// the file and line.
std::vector<TemporalProfile> read_temporal_profiles(const std::string& path);

/// Reads the inventory. With a grid, lon/lat coordinates (crs = lonlat) are projected to the
/// grid's CRS and every source must lie inside the grid (all vertices of polygons and roads,
/// stack and enterprise positions); without one, coordinates must be in the grid CRS already
/// and the domain is not checked.
Inventory read_inventory(const InventoryFiles& files, const Grid* grid = nullptr);

}  // namespace lantian::emissions
