#pragma once
// Lateral boundary conditions (边界条件) of the Eulerian model: the inflow concentration of every
// species on each side of the domain, per boundary cell and layer, for a UTC hour. Outflow is
// free (the transport reads these values only where the wind blows into the domain).
//
// Where the values sit: the boundary cells are the first ghost cells outside the domain, i.e.
// west (i = −1, j = 0..ny−1), east (i = nx), south (j = −1, i = 0..nx−1), north (j = ny), at
// the layer centres k = 0..nz−1. fill_halos() copies them into all halo cells of their side.
//
// Three sources here, and a fourth in solver/regional_boundary.hpp (RegionalBoundary: a
// regional model's CF NetCDF on longitude/latitude or its own projection, total PM2.5 split
// into the model's species; open_boundary_file picks the reader of a file):
//   - constant: a value (or a vertical profile) per species, on every side;
//   - a time series CSV (read_boundary_csv): columns time, side, species, level, value
//       time     ISO 8601 at whole hours (local in the case's zone unless it has an offset)
//       side     west | east | south | north | all
//       species  a species name (SO2, NOx, VOC, NH3, PPM25, PMC, SO4, NO3, SOA; any case)
//       level    a layer index 0..nz−1, or all (or blank): the whole profile
//       value    µg/m³, finite and >= 0
//     Each (side, species, level) key is its own series, linear in time between its rows; a
//     more specific key overrides a less specific one (a side over all, a level over all);
//     species never listed are 0. An hour outside a listed key's rows is an error naming the
//     file, the key, the hour and the hours covered;
//   - a CF NetCDF file (NetcdfBoundary), e.g. the output of a coarser lantian run on the same
//     projection: one variable per species, named by species_name(), dimensions (time, z, y, x)
//     with coordinate variables x, y (projected, m, the case grid's CRS, increasing), z (layer
//     centres, m above ground, increasing) and time ("<unit> since <date>"). Each boundary cell
//     is sampled bilinearly in (x, y) between the coarse cell centres around it, linearly in z
//     between the coarse levels around the layer centre (the end values beyond the ends), and
//     linearly in time between the file's times around the hour. So a field linear in x, y, z
//     and t is reproduced exactly. Errors name the file, the variable and, for times, the
//     missing hour and the hours covered. The time of a record (record_instants): where `time`
//     has a `bounds` variable (lantian's fields.nc since issue 12: hour-beginning labels, the
//     record labelled T covers [T, T + 1 h] and holds the state at its end) the upper bound;
//     without bounds (lantian's fields.nc before, which labelled the instant) the time itself.
#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "solver/process_step.hpp"
#include "solver/side.hpp"

namespace lantian {
class NetcdfFile;
}

namespace lantian::solver {

/// Inflow concentrations of one hour (µg/m³): per side and species, the value of boundary cell
/// `along` (j for west/east, i for south/north) in layer k.
class BoundaryValues {
 public:
  BoundaryValues() = default;
  /// Zeros for a grid of nx x ny cells and nz layers.
  BoundaryValues(int nx, int ny, int nz);
  int nx() const noexcept { return nx_; }
  int ny() const noexcept { return ny_; }
  int nz() const noexcept { return nz_; }
  /// Number of boundary cells along a side: ny for west/east, nx for south/north.
  int along(Side s) const noexcept { return (s == Side::west || s == Side::east) ? ny_ : nx_; }
  double& operator()(Side s, Species sp, int along, int k) noexcept { return values_[slot(s, sp)][offset(s, along, k)]; }
  double operator()(Side s, Species sp, int along, int k) const noexcept { return values_[slot(s, sp)][offset(s, along, k)]; }
  /// Sets every cell of a side (all sides when `side` is null) and layer k (all when k < 0).
  void set(const Side* side, Species sp, int k, double value);

 private:
  static std::size_t slot(Side s, Species sp) noexcept {
    return static_cast<std::size_t>(s) * kSpeciesCount + index(sp);
  }
  std::size_t offset(Side s, int along_index, int k) const noexcept {
    return static_cast<std::size_t>(along_index) + static_cast<std::size_t>(along(s)) * static_cast<std::size_t>(k);
  }
  int nx_ = 0, ny_ = 0, nz_ = 0;
  std::array<std::vector<double>, kLateralSides * kSpeciesCount> values_;
};

/// Copies the boundary values into every halo cell of the interior layers: west into
/// i = −h..−1 of rows 0..ny−1, east into i = nx..nx+h−1, south into j = −h..−1 of columns
/// 0..nx−1, north likewise; the four corner blocks get the value of the west/east side at the
/// nearest row. Throws lantian::Error when the shapes differ. (halo.hpp fill_halo, inflow
/// everywhere, the field's whole halo with corners.)
void fill_halos(SpeciesFields& c, const BoundaryValues& b);

/// The model's halo of species `s` before a transport pass (halo.hpp fill_halo on
/// kTransportHalo cells): where the wind (u, v) at the boundary face blows into the domain, the
/// boundary value of that cell and layer; elsewhere zero gradient (free outflow). Throws
/// lantian::Error for a halo narrower than kTransportHalo or values not on the field's grid.
void fill_boundary_halo(Field3D<double>& c, Species s, const BoundaryValues& b, const Field3D<double>& u,
                        const Field3D<double>& v);
/// The same for the tag fields of species `s`: at inflow cells tag `boundary_tag` takes the
/// boundary value and the other tags 0 (boundary_tag = -1: all 0); elsewhere zero gradient.
void fill_boundary_halo_tags(std::span<Field3D<double>> tags, int boundary_tag, Species s, const BoundaryValues& b,
                             const Field3D<double>& u, const Field3D<double>& v);

/// A source of hourly boundary values.
class BoundaryProvider {
 public:
  virtual ~BoundaryProvider() = default;
  /// The values at UTC hour t; throws lantian::Error when t is not covered.
  virtual BoundaryValues at(UtcHour t) const = 0;
};

/// The same values at every hour.
class ConstantBoundary final : public BoundaryProvider {
 public:
  explicit ConstantBoundary(BoundaryValues values) : values_(std::move(values)) {}
  /// Every side and layer: `value[species]` µg/m³ (e.g. a regional background).
  ConstantBoundary(const Grid& grid, const PerSpecies& value);
  /// Every side: profile[species][k] (nz values, or empty for 0). Throws lantian::Error on a
  /// wrong length or a NaN/negative value.
  ConstantBoundary(const Grid& grid, const std::array<std::vector<double>, kSpeciesCount>& profile);
  BoundaryValues at(UtcHour) const override { return values_; }

 private:
  BoundaryValues values_;
};

/// The time-series CSV boundary (see the top of this header).
class TimeSeriesBoundary final : public BoundaryProvider {
 public:
  /// Parses CSV text read from `source`; throws lantian::Error naming the source, the line and
  /// the column for an unknown side, species or level, a bad time or value, a duplicate time of
  /// a key.
  TimeSeriesBoundary(std::string text, std::string source, const Grid& grid, const TimeZone& zone);
  BoundaryValues at(UtcHour t) const override;

 private:
  struct Series {
    int side = -1;   ///< Side index, -1 = all
    Species species = Species::so2;
    int level = -1;  ///< layer, -1 = all
    std::vector<std::pair<UtcHour, double>> points;  ///< increasing times
  };
  std::string source_;
  int nx_, ny_, nz_;
  std::vector<Series> series_;  ///< in increasing specificity
};

/// Index ix and weight w of the interval of increasing `c` holding p: p = (1−w) c[ix] + w c[ix+1]
/// (the NetCDF and the regional boundaries' sampling). A single coordinate gives ix = 0, w = 0.
/// Points beyond the ends (with a 1e-9 relative tolerance): clamped when `clamp`, else false.
bool locate_interval(const std::vector<double>& c, double p, bool clamp, std::size_t& ix, double& w);

/// The two times of a file around t and the weight of the second: value = (1−a) v[n0] + a v[n1]
/// (n0 == n1, a = 0 at a file time). Throws lantian::Error naming `path`, t and the times covered
/// when t lies outside `times` (increasing).
struct TimeBracket {
  std::size_t n0 = 0, n1 = 0;
  double a = 0.0;
};
TimeBracket bracket_time(const std::vector<UtcHour>& times, UtcHour t, const std::string& path);

/// The UTC instant at which each record of a CF file holds its fields (see the top of this
/// header): the upper time bound where `time` names a `bounds` variable (time, 2) — lantian's
/// hour-beginning fields.nc — else the time value (a lantian fields.nc written before issue 12).
/// Throws lantian::Error naming `path` and the variable for a missing time, a bounds attribute
/// naming no (time, 2) variable, times off whole hours, or intervals that do not increase.
std::vector<UtcHour> record_instants(const NetcdfFile& f, const std::string& path);

/// Reads a boundary time-series CSV file (TimeSeriesBoundary).
std::unique_ptr<TimeSeriesBoundary> read_boundary_csv(const std::string& path, const Grid& grid, const TimeZone& zone);

/// Boundary values sampled from a CF NetCDF file (see the top of this header). Not thread-safe
/// (the NetCDF library is not): call at() from one thread.
class NetcdfBoundary final : public BoundaryProvider {
 public:
  /// Opens the file and reads its coordinates. Throws lantian::Error naming the file and the
  /// variable: a missing species variable or coordinate, dimensions other than (time, z, y, x),
  /// coordinates not increasing, boundary cells outside the file's x/y range.
  NetcdfBoundary(const std::string& path, const Grid& grid);
  ~NetcdfBoundary() override;
  BoundaryValues at(UtcHour t) const override;
  /// The instants the file's records hold (record_instants), increasing.
  const std::vector<UtcHour>& times() const noexcept { return times_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<UtcHour> times_;
};

}  // namespace lantian::solver
