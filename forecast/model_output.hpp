#pragma once
// The outputs of an Eulerian run (欧拉模式输出): an hourly CF-1.8 NetCDF file streamed one time
// record at a time, and the station series and mass budget as CSV text (issue 5, "Output";
// DESIGN.md "Output").
//
// NetCDF file (NetCDF-4 classic model, deflate + shuffle, one chunk per variable and time step)
// ------------------------------------------------------------------------------------------
// dimensions  time (unlimited), z (layers; only with fields_3d), y, x, nv = 2 (the bounds of
//             time and z), tag and tag_strlen (only with tags)
// coordinates x(x), y(y)        cell centres in the grid's CRS (projection_x/y_coordinate, m;
//                               longitude/latitude in degrees for a geographic CRS)
//             z(z), z_bnds      layer mid-height and bottoms/tops, m above ground, positive up
//             time(time), time_bnds(time, nv)
//                               "hours since 1970-01-01 00:00:00", calendar standard, UTC,
//                               hour-beginning (docs/time-labels.md): the record labelled T is
//                               the model hour [T, T + 1 h] (time_bnds) and holds the state at
//                               its END, T + 1 h; the first record is the initial state (labelled
//                               start − 1 h, bounds [start − 1 h, start]). The time variable's
//                               comment says so; no cell_methods for time (CF has none for "the
//                               instant at the upper bound"). Files written before issue 12 have
//                               no time_bnds and label the instant itself (solver/boundary.hpp
//                               reads both).
//             lat(y,x), lon(y,x) cell centres on WGS 84 (Grid::lonlat), auxiliary coordinates
//             tag_name(tag, tag_strlen) the source tags' names (char), auxiliary coordinate
// grid mapping crs              grid_mapping_name and its CF parameters where the CRS is Lambert
//                               conformal conic, Albers, transverse Mercator, Mercator or geographic
//                               (Grid::cf_grid_mapping, core/grid.hpp); always crs_wkt
//                               (WKT2:2015 from PROJ), the ellipsoid, and proj4_params (the PROJ
//                               string)
// variables   PM25_sfc, PM10_sfc (time,y,x)      surface PM2.5 (species.hpp pm25_of) and PM10
//                                                (= PM2.5 + coarse PM)
//             <species>_sfc (time,y,x)           layer 0 of each species (SO2_sfc ... SOA_sfc)
//             <species> (time,z,y,x)             with fields_3d: every layer (SO2 ... SOA)
//             PM25_tag (time,tag,y,x)            with tags: surface PM2.5 of each source tag
//             all float, "ug m-3" (µg/m³), _FillValue, coordinates "lat lon" (PM25_tag:
//             "tag_name lat lon"), grid_mapping "crs", comment (the instantaneous value at the
//             end of the time interval), long_name, standard_name where CF has
//             one (PM2.5, PM10, SO2, NH3, sulfate, nitrate, SOA; none for NOx-as-NO2, VOC,
//             primary PM2.5 and coarse PM, which CF does not name).
// global      Conventions "CF-1.8", title, institution "lantian", source, history, comment (the
//             PM2.5 reconstruction), local_time_zone (the case's zone; times in the file are UTC).
//
// CSV text (the caller writes it atomically with core/output_folder.hpp's write_file)
// -----------------------------------------------------------------------------------
// Both start with a plain header line (no comment lines, so any CSV reader takes them) and use
// local ISO 8601 times with their offset ("2024-12-11T16:00:00+08:00"). Numbers are printed in
// the shortest form that reads back to the same double; a NaN or infinite number throws
// lantian::Error naming the file ("stations.csv", "budget.csv"), the column and the row, and no
// text is returned. Text cells (station ids) go through core/csv_file.hpp csv_text (RFC 4180
// quoting, spreadsheet formulas neutralised).
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/grid.hpp"
#include "core/netcdf_file.hpp"
#include "core/time_axis.hpp"
#include "solver/eulerian_model.hpp"

namespace lantian {

/// What HourlyNetcdfWriter puts in its file.
struct NetcdfOutputOptions {
  bool fields_3d = false;              ///< every species on every layer, (time, z, y, x)
  bool tags = false;                   ///< surface PM2.5 of each source tag, (time, tag, y, x)
  std::vector<std::string> tag_names;  ///< one non-empty name per tag of the model (with tags)
  std::string title;                   ///< global "title", e.g. the case name
  std::string history;                 ///< global "history", e.g. "2024-12-11T09:00Z lantian run demo.toml"
  int deflate_level = 1;               ///< 0 (no compression) .. 9; 1 is fast and gains most of the size

  /// Throws lantian::Error ("netcdf.deflate_level", "netcdf.tag_names") on a deflate level
  /// outside 0..9, tags without names, or an empty or duplicate tag name.
  void validate() const;
};

/// Writes an Eulerian run's hourly fields to a CF-1.8 NetCDF file, one time record per call of
/// write_hour, so a long run never holds more than the model's own state (see the header top).
/// Not copyable; the file is closed by close() or, ignoring errors, by the destructor. Errors
/// throw lantian::Error naming the file, the variable where one is involved, and the NetCDF
/// call with its message. A file left by a failed run is incomplete: write it into the
/// temporary folder of write_output_folder so that it never replaces a good one.
class HourlyNetcdfWriter {
 public:
  /// Creates (overwriting) `path` with the dimensions, coordinates and attributes for `grid`;
  /// `tz` only labels the file (local_time_zone). Throws lantian::Error on invalid options or
  /// when the file cannot be created (the partial file is removed).
  HourlyNetcdfWriter(std::string path, const Grid& grid, const TimeZone& tz, NetcdfOutputOptions options);
  HourlyNetcdfWriter(const HourlyNetcdfWriter&) = delete;
  HourlyNetcdfWriter& operator=(const HourlyNetcdfWriter&) = delete;
  ~HourlyNetcdfWriter();

  /// Appends one time record: the model's current state, valid at the UTC instant `t` (after
  /// model.advance(…, h) that is h + 1; the initial state is valid at the start). The record is
  /// labelled by the hour ending at t: time = t − 1 h, time_bnds = [t − 1 h, t]. Throws
  /// lantian::Error when the file is closed, `t` is not later than the previous record, the
  /// model's grid differs from the file's, the model has fewer or more tags than tag_names
  /// (with tags), a value is not finite as a float (NaN, infinite, or beyond ±3.4e38: the error
  /// names the file, the variable, the cell and the time), or NetCDF fails.
  void write_hour(UtcHour t, const solver::EulerianModel& model);

  /// Flushes and closes the file; further write_hour calls throw. Calling it twice does nothing.
  void close();

  const std::string& path() const noexcept { return path_; }
  /// Number of time records written.
  std::size_t records() const noexcept { return records_; }

 private:
  void define(const Grid& grid, const TimeZone& tz);
  /// Writes buffer_ as the current record of `var`; throws naming the variable, the cell (and
  /// `level`: "k" or "tag", for a third dimension) and the time at a non-finite value.
  void put_record(int var, const std::vector<std::size_t>& count, const char* name, const char* level = nullptr);

  std::string path_;
  NetcdfOutputOptions options_;
  GridSpec spec_;
  std::optional<NetcdfFile> file_;  ///< empty once closed
  int var_time_ = -1, var_time_bnds_ = -1, var_pm25_ = -1, var_pm10_ = -1, var_tag_ = -1;
  std::array<int, kSpeciesCount> var_sfc_{}, var_3d_{};
  std::size_t records_ = 0;
  std::optional<UtcHour> last_;
  UtcHour writing_ = 0;  ///< the record being written (for error messages)
  std::vector<float> buffer_;
};

/// Station series as CSV: "time,station,pm25", one row per station and hour (stations in the
/// given order, each with all its hours), pm25 the surface PM2.5 in µg/m³. `series[n][h]` is
/// station n after the model hour starting at `hours[h]`, and the row is labelled `hours[h]`
/// (hour-beginning, docs/time-labels.md: EulerianModel::station_series() with the run's hours,
/// EulerianRun::times, as scenario_series.csv labels them). Station ids are written with
/// csv_text. Throws lantian::Error when the sizes disagree or a value is not finite.
std::string station_series_csv(std::span<const UtcHour> hours, const std::vector<std::string>& station_ids,
                               const std::vector<std::vector<double>>& series, const TimeZone& tz);

/// The hourly mass budget as CSV, one row per hour and species (species.hpp order), all in µg:
///   time            start of the hour (HourBudget::hour), local
///   species         species_name (SO2, NOx, VOC, NH3, PPM25, PMC, SO4, NO3, SOA)
///   mass_before     in the domain at the start of the hour
///   emitted         entered by emissions
///   chemistry       change by chemistry: negative for precursors (lost), positive for products
///   dry_deposited   removed by dry deposition
///   wet_deposited   removed by wet scavenging
///   in_west, in_east, in_south, in_north, in_top       entered through each side and the top
///   out_west, out_east, out_south, out_north, out_top  left through each side and the top
///   mass_after      in the domain at the end of the hour
///   residual        HourBudget::residual: mass_after − mass_before − (emitted + Σin − Σout −
///                   dry − wet + chemistry), round-off when the budget closes
std::string budget_csv(const std::vector<solver::HourBudget>& budgets, const TimeZone& tz);

}  // namespace lantian
