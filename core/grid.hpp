#pragma once
// Grid: the model's geometry only (STYLE.md 3) — a regular horizontal grid in a projected CRS
// (PROJ) and terrain-following vertical layers given by their top heights above ground.
//
// Horizontal convention: x0, y0 are the coordinates of the lower-left (south-west) corner of
// cell (0, 0), in the CRS's units (metres for a projected CRS, degrees for a geographic one
// such as EPSG:4326). Cell (i, j) spans [x_face(i), x_face(i+1)) x [y_face(j), y_face(j+1)) with
//     x_face(i) = x0 + i dx   (i = 0..nx),    x_centre(i) = x0 + (i + 1/2) dx   (i = 0..nx-1),
// and likewise in y. i runs west to east, j south to north (with the CRS's easting/northing).
//
// Vertical convention: layer_tops[k] is the top of layer k in metres above ground, strictly
// increasing and positive; layer 0 starts at the ground (z = 0).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"

namespace lantian {

/// Projected coordinates in the grid's CRS (metres, or degrees for a geographic CRS).
struct XY {
  double x = 0.0;
  double y = 0.0;
};

/// Geographic coordinates on WGS 84 (EPSG:4326), degrees east and north.
struct LonLat {
  double lon = 0.0;
  double lat = 0.0;
};

/// A horizontal cell index (i along x, j along y).
struct CellIndex {
  int i = 0;
  int j = 0;
};

/// The numbers that define a Grid (plain data, as read from the [grid] table of a case).
struct GridSpec {
  std::string crs;                 ///< PROJ string ("+proj=lcc ...") or "EPSG:nnnn"; projected in metres, or geographic in degrees
  int nx = 0;                      ///< number of cells along x (west -> east)
  int ny = 0;                      ///< number of cells along y (south -> north)
  double dx = 0.0;                 ///< cell width along x, CRS units (m; degrees if geographic)
  double dy = 0.0;                 ///< cell height along y, CRS units (m; degrees if geographic)
  double x0 = 0.0;                 ///< x of the lower-left corner of cell (0, 0), CRS units
  double y0 = 0.0;                 ///< y of the lower-left corner of cell (0, 0), CRS units
  std::vector<double> layer_tops;  ///< top of each layer, m above ground, strictly increasing, > 0

  /// Checks the numbers (not the CRS, which Grid checks through PROJ): nx, ny > 0, dx, dy > 0
  /// and finite, x0, y0 finite, at least one layer, tops positive and strictly increasing.
  /// Errors name `prefix.field` ("grid.dx") and, through `source`, the file and line.
  void validate(const SourceMap& source = {}, std::string_view prefix = "grid") const;
};

/// The CF grid-mapping attributes of a CRS (CF-1.8 section 5.6 and appendix F).
struct CfGridMapping {
  /// "lambert_conformal_conic", "albers_conical_equal_area", "transverse_mercator", "mercator",
  /// "latitude_longitude", or ""
  /// when CF has no grid_mapping_name for the projection (crs_wkt then describes it alone).
  std::string grid_mapping_name;
  /// Numeric attributes in file order, e.g. {"standard_parallel", {25, 47}}; the ellipsoid
  /// (semi_major_axis and inverse_flattening, or earth_radius for a sphere) is included.
  std::vector<std::pair<std::string, std::vector<double>>> parameters;
  std::string crs_wkt;       ///< WKT2:2015 from PROJ (proj_as_wkt)
  std::string proj4_params;  ///< the CRS as a PROJ string (the case's string when it is one)
};

/// The grid mapping of a CRS as accepted by Grid (PROJ string or "EPSG:nnnn"). Throws
/// lantian::Error naming the CRS when PROJ cannot read it.
CfGridMapping cf_grid_mapping(const std::string& crs);

class NetcdfFile;

/// The PROJ definition of the CF grid-mapping variable `gm` of `f`: its crs_wkt, spatial_ref or
/// proj4 text attribute when present, else built from grid_mapping_name and its parameters
/// (lambert_conformal_conic, albers_conical_equal_area, transverse_mercator, mercator,
/// polar_stereographic; the ellipsoid from earth_radius, semi_major_axis with inverse_flattening
/// or semi_minor_axis, else WGS 84). Throws lantian::Error naming the file and `data_var` for
/// another grid_mapping_name.
std::string crs_of_cf_grid_mapping(const NetcdfFile& f, int gm, const std::string& data_var);

/// What a CF coordinate variable of `f` is: longitude or latitude (standard_name, or units
/// degrees_east/_north and their variants), projection x or y (standard_name, or axis X/Y with
/// units m or km), or other.
enum class CfAxis { lon, lat, x, y, other };
CfAxis cf_axis_of(const NetcdfFile& f, int v);

/// Throws lantian::Error naming the CRS string unless PROJ accepts it as a projected CRS in
/// metres or a 2-D geographic CRS in degrees.
void check_crs(const std::string& crs);

/// A regular horizontal grid in a projected CRS with vertical layers. Holds its PROJ context and
/// transformation (to WGS 84 lon/lat, axis order normalised) privately; copying re-creates them.
/// All member functions may be called from several threads at once.
class Grid {
 public:
  /// Validates the spec and the CRS; throws lantian::Error (PROJ errors name the CRS string).
  explicit Grid(GridSpec spec);
  Grid(const Grid& other);
  Grid& operator=(const Grid& other);
  Grid(Grid&&) noexcept;
  Grid& operator=(Grid&&) noexcept;
  ~Grid();

  const GridSpec& spec() const noexcept { return spec_; }
  const std::string& crs() const noexcept { return spec_.crs; }
  /// True when the CRS is geographic (x = longitude, y = latitude, in degrees).
  bool is_geographic() const noexcept { return geographic_; }
  /// The CRS described for CF (cf_grid_mapping(crs())): what a NetCDF writer puts in its grid
  /// mapping variable.
  CfGridMapping cf_grid_mapping() const;

  int nx() const noexcept { return spec_.nx; }
  int ny() const noexcept { return spec_.ny; }
  /// Number of layers.
  int nz() const noexcept { return static_cast<int>(spec_.layer_tops.size()); }
  /// Cell width and height in CRS units (m, or degrees when geographic). These are map
  /// distances: the true ground distance differs by the projection's scale factor.
  double dx() const noexcept { return spec_.dx; }
  double dy() const noexcept { return spec_.dy; }
  double x0() const noexcept { return spec_.x0; }
  double y0() const noexcept { return spec_.y0; }

  /// x of the west face of column i, i = 0..nx (x_face(nx) is the east edge of the grid).
  double x_face(int i) const noexcept { return spec_.x0 + i * spec_.dx; }
  /// y of the south face of row j, j = 0..ny.
  double y_face(int j) const noexcept { return spec_.y0 + j * spec_.dy; }
  /// x of the centre of column i, i = 0..nx-1.
  double x_centre(int i) const noexcept { return spec_.x0 + (i + 0.5) * spec_.dx; }
  /// y of the centre of row j, j = 0..ny-1.
  double y_centre(int j) const noexcept { return spec_.y0 + (j + 0.5) * spec_.dy; }
  /// Map area of a cell, dx * dy (m^2 for a projected CRS).
  double cell_area() const noexcept { return spec_.dx * spec_.dy; }

  /// Longitude and latitude (WGS 84, degrees) of the centre of cell (i, j); precomputed.
  LonLat lonlat(int i, int j) const noexcept {
    LANTIAN_ASSERT(i >= 0 && i < spec_.nx && j >= 0 && j < spec_.ny);
    return centres_[static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * static_cast<std::size_t>(spec_.nx)];
  }
  /// CRS coordinates -> WGS 84 lon/lat. Throws lantian::Error when PROJ cannot transform.
  LonLat to_lonlat(XY p) const;
  /// WGS 84 lon/lat (degrees) -> CRS coordinates. Throws lantian::Error when PROJ cannot transform.
  XY project(double lon, double lat) const;
  /// The cell containing (x, y) (faces belong to the cell east/north of them), or nullopt
  /// outside [x_face(0), x_face(nx)) x [y_face(0), y_face(ny)).
  std::optional<CellIndex> cell_of(double x, double y) const noexcept;

  /// Layer tops, m above ground.
  const std::vector<double>& layer_tops() const noexcept { return spec_.layer_tops; }
  /// Top of layer k, m above ground.
  double z_top(int k) const noexcept { return spec_.layer_tops[static_cast<std::size_t>(k)]; }
  /// Bottom of layer k, m above ground (0 for k = 0).
  double z_bottom(int k) const noexcept { return k == 0 ? 0.0 : z_top(k - 1); }
  /// Mid-height of layer k, m above ground.
  double z_centre(int k) const noexcept { return 0.5 * (z_bottom(k) + z_top(k)); }
  /// Thickness of layer k, m.
  double thickness(int k) const noexcept { return z_top(k) - z_bottom(k); }
  /// The layer containing height z (m above ground; z = top of k belongs to k), or -1 when z < 0
  /// or z > the top of the grid.
  int layer_of(double z) const noexcept;

 private:
  friend void check_crs(const std::string& crs);
  struct Proj;  // PROJ context and transformation (pimpl keeps proj.h out of this header)
  GridSpec spec_;
  bool geographic_ = false;
  std::unique_ptr<Proj> proj_;
  std::vector<LonLat> centres_;
};

}  // namespace lantian
