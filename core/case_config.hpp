#pragma once
// The case file (case.toml): what one forecast covers — its name, time zone, period, grid,
// monitoring stations and input files — as a plain struct with defaults and validate()
// (STYLE.md 12). Example:
//
//   name = "demo-city"
//   time_zone = "Asia/Shanghai"          # optional, IANA name
//   rules_file = "rules/national.toml"    # optional, warning rules
//
//   [period]
//   start = "2015-12-01T08:00"            # local time in time_zone unless it carries Z/+08:00
//   hours = 72                            # optional, 1..240
//
//   [grid]
//   crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=38 +lon_0=116.4 +datum=WGS84 +units=m"
//   nx = 40
//   ny = 30
//   dx = 3000.0                           # m
//   dy = 3000.0                           # m
//   x0 = -60000.0                         # m, lower-left corner of cell (0, 0)
//   y0 = -45000.0                         # m
//   layer_tops = [50, 150, 300, 600, 1000, 1500, 2500]   # m above ground
//
//   [[stations]]
//   id = "1001A"
//   name = "万寿西宫 Wanshouxigong"
//   lon = 116.366                         # degrees east, WGS 84
//   lat = 39.878                          # degrees north, WGS 84
//   kind = "national"                     # optional: "national" (国控) or "provincial" (省控)
//
//   [paths]                               # optional; relative to the case file's folder
//   observations = "observations.csv"
//
//   [meteo]                               # optional here; `lantian check` requires it
//   source = "synthetic"                  # "synthetic" | "wrf" | "cf" | "station"
//   files = ["met/wrfout_d02.nc"]         # wrf/cf: one or more files; station: one CSV
//   z0 = 0.5                              # optional roughness length, m (wrf default, cf, station)
//   kz_min = 0.1                          # optional Kz floor, m2/s
//   [meteo.synthetic]                     # optional overrides of meteo::SyntheticEpisode
//   pblh_night = 120.0                    # same names and units as that struct
//   [meteo.station]                       # optional: where the weather station is
//   lon = 118.80
//   lat = 32.05
//   [[meteo.stations]]                    # station source, several stations instead of files and
//   file = "met/dongsi.csv"               # [meteo.station] (repeat per station; combined onto the
//   lon = 116.417                         # grid by inverse distance, meteo/station_network.hpp)
//   lat = 39.929
//
//   [emissions]                           # optional; the inventory CSV files
//   folder = "inventory"                  # the standard file names (enterprises.csv, ...) in it
//   roads = "extra/roads.csv"             # optional: one file named explicitly, overriding the folder's
//   [[emissions.gridded]]                 # optional, repeatable: a gridded CF NetCDF inventory
//   file = "meic/residential_2020.nc"     # relative to the case file's folder
//   sector = "residential_heating"        # optional when the file has a `sector` attribute
//   variables = {so2 = "SO2", nox = "NOx"}  # optional: variable of each pollutant (so2, nox, pm25,
//                                         # pm10, voc, nh3; "" = none), the others keep their defaults
//   format = "cf"                         # optional: "cf" (default) | "ioapi" (CMAQ emission file;
//                                         # then variables may be sums, nox = "NO + NO2", and:)
//   units = "g/s"                         # ioapi: units of variables whose attribute is "UNKNOWN"/blank
//   molar_mass = {voc = 58.1}             # ioapi: g/mol for molar units (default SO2, NOx as NO2, NH3)
//   profile = "P_RES"                     # optional: a profiles.csv id, or "flat"; default: the
//                                         # sector's (emissions/gridded_profiles.hpp)
//   layers = [{top_m = 20, fraction = 0.4}, {top_m = 100, fraction = 0.6}]  # optional: height
//                                         # ranges from the ground; default: the sector's; [] = ground
//
//   [model]                               # optional; the Eulerian run (defaults as below)
//   dt = 600                              # s, time step; must divide 3600
//   processes = ["emissions", "advection", "vertical_diffusion", "horizontal_diffusion",
//                "chemistry", "deposition"]   # the processes switched on (all by default)
//   kh = 50.0                             # m2/s, horizontal diffusivity
//   tags = "none"                         # source tags: "none" | "sector" | "district" | "enterprise"
//   tag_enterprises = ["E009", "E042"]    # tags = "enterprise": one tag each, the rest one tag
//   initial = "background"                # "background" | "observations" (Cressman at the start)
//   boundary_file = "bc/inflow.csv"       # optional: time series CSV or a coarser lantian NetCDF
//                                         # (or a regional model's CF NetCDF: [model.boundary])
//   output_3d = false                     # also the 3-D fields in the NetCDF output
//   output_tags = false                   # also the surface PM2.5 of each tag
//   [model.inflow]                        # constant inflow at every side and level, µg/m3 per
//   SO4 = 8.0                             # species (SO2, NOx, VOC, NH3, PPM25, PMC, SO4, NO3, SOA)
//   [model.background]                    # initial state, µg/m3 per species (default zero)
//   PPM25 = 20.0
//   [model.boundary]                      # optional: the boundary file and how to read it
//   file = "cams/pm2p5.nc"                # the same as [model] boundary_file (give one of the two)
//   format = "auto"                       # "auto" (.csv: csv; NetCDF: lantian when it has the
//                                         # species variables on x/y/z, else cf) | "csv" | "lantian"
//                                         # | "cf": a regional model's CF NetCDF (solver/regional_boundary.hpp)
//                                         # | "cmaq": a CMAQ CONC/ACONC IOAPI file (solver/cmaq_boundary.hpp;
//                                         # auto: NetCDF with GDTYP, VGTYP and TFLAG); only variables
//                                         # of species and the surface keys apply
//   variables = {PM25 = "pm2p5", PM10 = "pm10"}   # cf: file variable of PM25, PM10 or a model
//                                         # species (SO2 .. SOA); default: PM25/PM10 found by name
//   units = "kg m-3"                      # cf: overrides the variables' units attributes
//   composition = {SO4 = 0.15, NO3 = 0.20, SOA = 0.15}   # cf: PM2.5 split, fractions of PM2.5
//                                         # mass (SO4, NO3 as ammonium salts); PPM25 the rest
//   surface_depth_m = 1000                # cf, surface-only file: constant up to this height (m),
//   scale_height_m = 1000                 # exponential decay above with this scale height (m)
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"

namespace lantian {

/// One air-quality monitoring station (监测站) of the case.
struct StationConfig {
  std::string id;                 ///< station code, unique within the case (e.g. "1001A")
  std::string name;               ///< display name, may be Chinese; defaults to the id
  double lon = 0.0;               ///< longitude, degrees east (WGS 84), -180..180
  double lat = 0.0;               ///< latitude, degrees north (WGS 84), -90..90
  std::string kind = "national";  ///< "national" (国控点) or "provincial" (省控点)
};

/// Overrides of the synthetic episode's parameters ([meteo.synthetic]); an absent value keeps
/// the default of meteo::SyntheticEpisode (whose header documents names, units and the formulas).
/// `start` and `hours` default to the case period with one extra hour, so that the state at the
/// end of the last hour exists (the period needs every hour start .. start + hours).
struct SyntheticMetConfig {
  std::optional<std::string> start;  ///< first hour, as period.start (local unless it has an offset)
  std::optional<int> hours;          ///< duration, hours
  std::optional<double> pblh_night, pblh_peak;                 ///< m
  std::optional<double> wind_min, wind_max;                    ///< m/s
  std::optional<double> dir_start, veer_per_day, veer_in_bl;   ///< degrees
  std::optional<double> z0;                                    ///< m
  std::optional<double> h_night, h_peak;                       ///< W/m2
  std::optional<double> t_mean, t_amplitude;                   ///< K
  std::optional<double> inversion, inversion_depth;            ///< K, m
  std::optional<double> rh_start, rh_end, rh_amplitude;        ///< %
  std::optional<double> p_surface;                             ///< Pa
  /// True when any parameter is given.
  bool any() const noexcept;
};

/// The names of an enum's values in files, in the enum's order (the case's typed choices below).
template <class E, std::size_t N>
constexpr std::string_view enum_name(E value, const std::array<std::string_view, N>& names) noexcept {
  return names[static_cast<std::size_t>(value)];
}
/// The value named `text`, or nullopt.
template <class E, std::size_t N>
constexpr std::optional<E> enum_from(std::string_view text, const std::array<std::string_view, N>& names) noexcept {
  for (std::size_t k = 0; k < N; ++k)
    if (names[k] == text) return static_cast<E>(k);
  return std::nullopt;
}

/// [meteo] source: none (the case has no [meteo]), an analytic episode, wrfout NetCDF, CF NetCDF
/// (ERA5-like surface fields), one station-profile CSV.
enum class MetSource : unsigned char { none, synthetic, wrf, cf, station };
inline constexpr std::array<std::string_view, 5> kMetSourceNames{"", "synthetic", "wrf", "cf", "station"};
constexpr std::string_view name(MetSource s) noexcept { return enum_name(s, kMetSourceNames); }

/// [model] tags: how the sources are grouped into source tags (one tagged run answers every
/// cut by superposition): none; one tag per sector; per district; per listed enterprise (the
/// rest one tag).
enum class TagKind : unsigned char { none, sector, district, enterprise };
inline constexpr std::array<std::string_view, 4> kTagKindNames{"none", "sector", "district", "enterprise"};
constexpr std::string_view name(TagKind k) noexcept { return enum_name(k, kTagKindNames); }

/// [model] initial: the initial state from the background values, or from the first hour's
/// observations (paths.observations).
enum class InitialKind : unsigned char { background, observations };
inline constexpr std::array<std::string_view, 2> kInitialKindNames{"background", "observations"};
constexpr std::string_view name(InitialKind k) noexcept { return enum_name(k, kInitialKindNames); }

/// The meteorological input of a case ([meteo]).
struct MeteoConfig {
  /// Where the weather comes from (MetSource::none when the case has no [meteo]).
  MetSource source = MetSource::none;
  /// Input files, resolved against the case file's folder (wrf, cf: one or more; station: one).
  std::vector<std::string> files;
  std::optional<double> z0;      ///< roughness length, m: WRF's default where ZNT is absent, CF, station
  std::optional<double> kz_min;  ///< Kz floor, m2/s (default meteo::KzParams)
  SyntheticMetConfig synthetic;  ///< [meteo.synthetic], used when source = "synthetic"
  /// [meteo.station]: where the weather station is (degrees, WGS 84); default: the grid centre.
  struct Station {
    std::optional<double> lon, lat;
  } station;
  /// [[meteo.stations]] (source = "station", several stations combined onto the grid by inverse
  /// distance, meteo/station_network.hpp): the position of each file of `files`, in order (the
  /// entries' `file` keys fill `files`). Empty with one station ([meteo.station]).
  std::vector<Station> stations;
};

/// [[emissions.gridded]] format: a CF NetCDF inventory (emissions/gridded_netcdf.hpp), or an
/// IOAPI (CMAQ emission input) file (emissions/ioapi_netcdf.hpp).
enum class GriddedFormat : unsigned char { cf, ioapi };
inline constexpr std::array<std::string_view, 2> kGriddedFormatNames{"cf", "ioapi"};
constexpr std::string_view name(GriddedFormat f) noexcept { return enum_name(f, kGriddedFormatNames); }

/// One gridded inventory file of a case ([[emissions.gridded]]), kept as plain strings here; the
/// case assembly (forecast/case_inputs) turns it into the reader's options (checking the sector,
/// the pollutant names and the units against the emissions module's).
struct GriddedEmissionsConfig {
  std::string file;    ///< NetCDF file, resolved against the case file's folder
  GriddedFormat format = GriddedFormat::cf;  ///< format = "cf" (default) | "ioapi"
  std::string sector;  ///< sector name; "" = the file's `sector` attribute says it
  /// (pollutant key, variable name) in the order given: so2, nox, pm25, pm10, voc, nh3; a
  /// pollutant not listed keeps the reader's default variable name, "" means the file has none.
  /// With format = "ioapi" a name may be a sum of variables, "NO + NO2".
  std::vector<std::pair<std::string, std::string>> variables;
  /// format = "ioapi" only: the units of variables whose `units` attribute is blank or
  /// "UNKNOWN" (e.g. "g/s", "moles/s"); "" = none given.
  std::string units;
  /// format = "ioapi" only: (pollutant key, molar mass in g/mol, > 0) for molar units, in the
  /// order given (e.g. {voc = 58.1}); the others keep the reader's (SO2, NOx as NO2, NH3).
  std::vector<std::pair<std::string, double>> molar_mass;
  /// profile = "ID": the temporal profile of the case's profiles.csv (or "flat": no profile);
  /// "" = the sector's default (emissions/gridded_profiles.hpp).
  std::string profile;
  /// layers = [{top_m = 20, fraction = 0.4}, ...]: (top of the height range in m, fraction of
  /// the emission), ranges from the ground up, tops strictly increasing, fractions summing to 1
  /// (checked at reading); nullopt = the sector's default; layers = [] = at the ground.
  std::optional<std::vector<std::pair<double, double>>> layers;
};

/// The emission inventory of a case ([emissions]): the CSV files of emissions/inventory_csv.hpp
/// and gridded NetCDF files ([[emissions.gridded]]). Every path is resolved against the case
/// file's folder; a file named explicitly replaces the file of the same kind in `folder`.
struct EmissionsConfig {
  std::string folder;        ///< folder holding enterprises.csv, stacks.csv, lines.csv, area_sources.csv, roads.csv, profiles.csv
  std::string enterprises;   ///< explicit enterprises.csv
  std::string stacks;        ///< explicit stacks.csv
  std::string lines;         ///< explicit lines.csv
  std::string area_sources;  ///< explicit area_sources.csv
  std::string roads;         ///< explicit roads.csv
  std::string profiles;      ///< explicit profiles.csv
  std::vector<GriddedEmissionsConfig> gridded;  ///< [[emissions.gridded]] files
  /// True when no CSV folder or file is given (a case may have gridded files only).
  bool csv_empty() const noexcept {
    return folder.empty() && enterprises.empty() && stacks.empty() && lines.empty() && area_sources.empty() &&
           roads.empty() && profiles.empty();
  }
  /// True when no folder, no CSV file and no gridded file is given.
  bool empty() const noexcept { return csv_empty() && gridded.empty(); }
};

/// [model.boundary] format: from the file (auto), the time-series CSV, a coarser lantian run's
/// NetCDF (solver::NetcdfBoundary), a regional model's CF NetCDF (solver::RegionalBoundary), a
/// CMAQ CONC/ACONC IOAPI file (solver::CmaqBoundary).
enum class BoundaryFormat : unsigned char { auto_detect, csv, lantian, cf, cmaq };
inline constexpr std::array<std::string_view, 5> kBoundaryFormatNames{"auto", "csv", "lantian", "cf", "cmaq"};
constexpr std::string_view name(BoundaryFormat f) noexcept { return enum_name(f, kBoundaryFormatNames); }

/// How the boundary file is read ([model.boundary]; the file itself is ModelConfig::boundary_file).
/// The keys other than format are for the cf format (checked at load: known quantity names,
/// fractions in 0..1 summing to at most 1, positive heights).
struct BoundaryFileConfig {
  BoundaryFormat format = BoundaryFormat::auto_detect;
  /// (quantity, file variable) in file order; quantity: PM25, PM10 or a species name (SO2 .. SOA).
  std::vector<std::pair<std::string, std::string>> variables;
  std::string units;  ///< "" = each variable's units attribute
  /// (species, fraction of PM2.5 mass) in file order: SO4, NO3 (as ammonium salts), SOA, PPM25.
  std::vector<std::pair<std::string, double>> composition;
  std::optional<double> surface_depth_m;  ///< m, >= 0
  std::optional<double> scale_height_m;   ///< m, > 0
  /// True when any cf key is given.
  bool any_cf_key() const noexcept {
    return !variables.empty() || !units.empty() || !composition.empty() || surface_depth_m || scale_height_m;
  }
};

/// The Eulerian run of a case ([model]): the choices typed here; species and process names kept
/// as strings, checked against the solver's (with suggestions) by the case assembly (forecast/).
struct ModelConfig {
  double dt = 600.0;                   ///< s, divides 3600
  std::vector<std::string> processes;  ///< empty: all processes on
  double kh = 50.0;                    ///< horizontal diffusivity, m2/s (>= 0)
  TagKind tags = TagKind::none;
  std::vector<std::string> tag_enterprises;  ///< with tags = "enterprise"
  InitialKind initial = InitialKind::background;
  std::string boundary_file;           ///< resolved against the case folder; "" = [model.inflow]
  BoundaryFileConfig boundary;         ///< [model.boundary]: how boundary_file is read
  bool output_3d = false;
  bool output_tags = false;
  std::vector<std::pair<std::string, double>> inflow;      ///< species -> µg/m3, in file order
  std::vector<std::pair<std::string, double>> background;  ///< species -> µg/m3, in file order
};

/// The contents of a case file.
struct CaseConfig {
  /// The case's name, used in report titles and output file names (non-empty).
  std::string name;
  /// IANA time zone for local times in the case and in reports (北京时间 by default).
  std::string time_zone = "Asia/Shanghai";

  /// The forecast period.
  struct Period {
    /// First hour, ISO 8601 at whole hours ("2015-12-01T08:00"); local in time_zone unless it
    /// carries an offset ("Z", "+08:00").
    std::string start;
    /// Length of the period, hours, 1..240.
    int hours = 72;
  } period;

  /// The model grid (CRS, cell counts and sizes in m, layer tops in m above ground).
  using GridConfig = GridSpec;
  GridConfig grid;

  /// Monitoring stations where concentrations are reported (may be empty).
  std::vector<StationConfig> stations;

  /// Input and output locations; empty when not given. Relative paths in the file are
  /// resolved against the case file's folder by load_case.
  struct Paths {
    std::string observations;  ///< observed hourly concentrations, CSV (station,time,PM2.5,...)
    std::string meteorology;   ///< meteorological input (WRF wrfout or CF NetCDF)
    std::string emissions;     ///< emission inventory (CSV or NetCDF)
    std::string output;        ///< folder for results
  } paths;

  /// Warning-rules file (TOML), resolved like paths; empty for the national default rules.
  std::string rules_file;

  /// Meteorological input ([meteo]).
  MeteoConfig meteo;
  /// Emission inventory ([emissions]). When the file has no [emissions] but paths.emissions,
  /// that path is taken as the inventory folder.
  EmissionsConfig emissions;
  /// The Eulerian run ([model]).
  ModelConfig model;

  /// Where each key came from (file and line), for error messages of validate().
  SourceMap source;

  /// Checks every field: non-empty name, known time zone, parseable start, hours in 1..240,
  /// the grid (GridSpec::validate and a CRS accepted by PROJ), stations with unique non-empty
  /// ids, lon in -180..180, lat in -90..90, kind national/provincial; [meteo]: a known source,
  /// files for wrf/cf (one or more) and station (exactly one) and none for synthetic, positive z0
  /// and kz_min, [meteo.synthetic] only with the synthetic source (its start parseable, hours in
  /// 1..10000; the other ranges are meteo::SyntheticEpisode::validate's), [meteo.station] only
  /// with the station source and in range. Throws lantian::Error
  /// naming the field ("period.hours", "stations[2].lat"), the file and the line.
  void validate() const;

  /// The case's time zone (throws for an unknown name).
  TimeZone zone() const { return TimeZone(time_zone); }
  /// The first hour of the period, UTC.
  UtcHour start_utc() const;
  /// The hourly axis of the period.
  TimeAxis time_axis() const;
  /// The grid with its PROJ transformation.
  Grid make_grid() const { return Grid(grid); }
};

/// Reads, validates and returns a case file. Relative paths (paths.*, rules_file) are resolved
/// against the case file's folder. Throws lantian::Error with file, line and key path for
/// syntax errors, unknown keys (with the nearest valid key suggested), mistyped or missing
/// values and values out of range.
CaseConfig load_case(const std::string& path);

/// The same from TOML text: `source` names it in errors, `base_dir` resolves relative paths.
CaseConfig load_case_string(std::string_view text, const std::string& source = "<case>",
                            const std::string& base_dir = ".");

}  // namespace lantian
