#pragma once
// Gridded emissions in Models-3 I/O API (IOAPI) NetCDF, the layout of CMAQ emission inputs that
// city bureaus receive from MEIC-based tools (CMAQ 排放源文件). Read into the same GriddedSource
// as the CF reader (gridded_netcdf.hpp), so that regridding, totals, tags and scenarios work
// unchanged.
//
// What the reader accepts (read_ioapi_netcdf):
//   - data variables on (TSTEP, LAY, ROW, COL); ROW runs south to north, COL west to east; the
//     global attributes NCOLS, NROWS, NLAYS must match the dimensions;
//   - the grid from the global attributes: GDTYP and P_ALP, P_BET, P_GAM, XCENT, YCENT for the
//     projection, XORIG, YORIG (the lower-left corner of cell (0, 0)) and XCELL, YCELL (cell
//     sizes); cell (c, r) spans [XORIG + c XCELL, XORIG + (c + 1) XCELL) and likewise in y, its
//     centre half a cell in. Supported GDTYP (on the sphere of radius 6 370 000 m of CMAQ/WRF):
//       1 LATGRD3 lat-lon (degrees; taken as WGS 84 longitude and latitude),
//       2 LAMGRD3 Lambert conformal: +proj=lcc +lat_1=P_ALP +lat_2=P_BET +lon_0=P_GAM +lat_0=YCENT,
//       6 POLGRD3 polar stereographic: +proj=stere +lat_0=90 P_ALP +lat_ts=P_BET +lon_0=P_GAM,
//       7 EQMGRD3 equatorial Mercator: +proj=merc +lat_ts=P_ALP +lon_0=P_GAM,
//     with the projected origin (x = y = 0) at (XCENT, YCENT) (a false easting/northing is added
//     when XCENT differs from P_GAM). The other types (3 MERGRD3, 4 STEGRD3, 5 UTMGRD3,
//     8 TRMGRD3, 9 ALBGRD3, 10 LEQGRD3, ...) are refused by name;
//   - time (TSTEP dimension, TSTEP attribute in HHMMSS, TFLAG (TSTEP, VAR, DATE-TIME) with
//     YYYYDDD and HHMMSS): one step (an annual or episode mean, any TSTEP); 12 steps whose TFLAG
//     dates fall in January .. December in order (monthly means); or time-stepped ("hourly")
//     files: any other number of steps of TSTEP = a whole number of hours (010000 for CMAQ's
//     hourly inputs: the 25 steps of a day, or many days), TFLAG giving each step's start (UTC, as
//     IOAPI dates are) one TSTEP after the previous one. Step n holds the rate over
//     [TFLAG_n, TFLAG_n + TSTEP): the model hour starting at t takes the step whose interval holds
//     t (GriddedEmissions::slice_at; an hour outside every step is an error naming the hour and
//     the file's span). An hourly file already carries its diurnal and weekly variation, so NO
//     temporal profile (the sector's default or the case's) is applied on top of it
//     (gridded_temporal_factor gives 1); the mean and monthly paths keep their profiles.
//     IoapiOptions::window (the run's hours) keeps only the steps that cover it: the bound on
//     memory is (steps in the window) x (pollutants read) x NCOLS x NROWS doubles while reading
//     (each step is read by itself, one layer column at a time), then the same steps on the case
//     grid (check_run_resources counts them as gridded slices);
//   - layers: NLAYS = 1 is the surface; with more layers every layer is summed into one column
//     (GriddedSource is 2-D), which the case entry's `layers` (or its sector's default,
//     gridded_profiles.hpp) spreads over the model layers again; a warning in
//     GriddedSource::warnings says which share of each pollutant the file had above layer 1;
//   - units, per variable, from its `units` attribute (trailing blanks of IOAPI's 16-character
//     padding ignored) or, when that is blank or "UNKNOWN" (MEIC tools' output), from
//     IoapiOptions::units (a stated attribute wins: the case's units fill the gaps). Mass units as the CF reader's
//     (g/s, t/yr, kg m-2 s-1, ...; parse_gridded_unit) or molar ones (moles/s, mol/s, mol/h,
//     mol m-2 s-1, ...) times the pollutant's molar mass: SO2 64.066, NOx as NO2 46.0055,
//     NH3 17.031 g/mol, or IoapiOptions::molar_mass; molar units of a VOC lump without a molar
//     mass, and of particulate matter, are refused;
//   - a pollutant may be the sum of several variables, "NO + NO2" (each converted with its own
//     units; molar ones at the pollutant's molar mass, so NO + NO2 in moles/s is NOx as NO2);
//   - the sector from IoapiOptions::sector, else a global `sector` attribute (IOAPI files do not
//     have one: the case names it);
//   - values: NaN or negative rates are errors naming the variable and the cell.
//
// Errors name the file and the variable or attribute ("emis.nc: GDTYP: global attribute GDTYP
// = 5 (UTMGRD3, UTM): expected 1 (lat-lon), 2 (Lambert conformal), 6 (polar stereographic) or
// 7 (equatorial Mercator)").
#include <array>
#include <cstddef>
#include <utility>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/netcdf_file.hpp"
#include "core/time_axis.hpp"
#include "emissions/gridded_netcdf.hpp"
#include "emissions/inventory.hpp"

namespace lantian::emissions {

/// How to read an IOAPI file.
struct IoapiOptions {
  /// Variable (or "A + B" sum of variables) of each pollutant, in EmittedPollutant order; ""
  /// when the file has none. Defaults: CMAQ's names for the gases, the lumped ones otherwise.
  std::array<std::string, kEmittedPollutantCount> variables{"SO2", "NO + NO2", "PM25", "PM10", "VOC", "NH3"};
  /// The sector of every variable; when absent the file's `sector` attribute says it.
  std::optional<Sector> sector;
  /// Units of variables whose `units` attribute is blank or "UNKNOWN"; "" = none given.
  std::string units;
  /// Molar mass of each pollutant, g/mol, for molar units; nullopt = the default (SO2 64.066,
  /// NOx as NO2 46.0055, NH3 17.031; none for PM2.5, PM10 and VOC).
  std::array<std::optional<double>, kEmittedPollutantCount> molar_mass{};
  /// Hourly files: the UTC hours [first, last] the run needs (nullopt = every step is kept). The
  /// steps outside are not read; an hour of the window that no step covers is an error.
  std::optional<std::pair<UtcHour, UtcHour>> window;
};

// ---- The IOAPI layout, shared with the CMAQ CONC boundary reader (solver/cmaq_boundary.hpp) ----

/// The horizontal grid and the layer count of an IOAPI file, from its global attributes (GDTYP,
/// P_ALP, P_BET, P_GAM, XCENT, YCENT, XORIG, YORIG, XCELL, YCELL, NCOLS, NROWS, NLAYS; the grid
/// types and projections of the header comment above).
struct IoapiGrid {
  int gdtyp = 0;
  bool geographic = false;  ///< GDTYP 1: x, y are longitude, latitude in degrees
  std::string crs;          ///< PROJ definition of a projected grid ("" when geographic)
  std::size_t ncols = 0, nrows = 0, nlays = 0;
  double xorig = 0.0, yorig = 0.0, xcell = 0.0, ycell = 0.0;
  /// The centre of column c / row r (degrees or m).
  double x_centre(std::size_t c) const noexcept { return xorig + (static_cast<double>(c) + 0.5) * xcell; }
  double y_centre(std::size_t r) const noexcept { return yorig + (static_cast<double>(r) + 0.5) * ycell; }
};

/// Reads and checks the grid attributes; throws lantian::Error naming the file and the attribute.
IoapiGrid read_ioapi_grid(const NetcdfFile& f);

/// The time steps of an IOAPI file of `nt` steps as UTC hours: step n starts at TFLAG[n][0]
/// (YYYYDDD, HHMMSS), every step `hours` long (TSTEP in HHMMSS, a whole number of hours) and
/// starting where the previous one ends. Throws lantian::Error naming the file and TFLAG or TSTEP
/// (no TFLAG, a time not on the hour, a gap or overlap between steps).
struct IoapiSteps {
  std::vector<UtcHour> start;
  int hours = 1;
};
IoapiSteps read_ioapi_steps(const NetcdfFile& f, std::size_t nt);

/// The UTC hour of an IOAPI date and time (YYYYDDD, HHMMSS on the hour); nullopt when either is
/// not one (day 0 or past the year's end, minutes or seconds not 0).
std::optional<UtcHour> ioapi_utc_hour(long yyyyddd, long hhmmss) noexcept;

/// An IOAPI text attribute without the blanks and NULs of its fixed-width padding.
std::string ioapi_text(const NetcdfFile& f, int v, const char* name);

/// The names of the VAR-LIST attribute (16 characters each), or the file's variables other than
/// TFLAG, joined by ", " (for messages).
std::string ioapi_variable_list(const NetcdfFile& f);

/// The variable names of "A + B + C" (blanks around each ignored; an empty name where two '+'
/// meet).
std::vector<std::string> ioapi_summands(const std::string& spec);

/// The default molar mass of a pollutant for molar units, g/mol (nullopt for PM and VOC lumps).
std::optional<double> default_molar_mass(EmittedPollutant p) noexcept;

/// A rate unit of an IOAPI variable: mass units as parse_gridded_unit, or molar (value in mol,
/// to be multiplied by the molar mass in g/mol).
struct IoapiUnit {
  GriddedUnit unit;    ///< to g/s (molar: to mol/s), per cell or per m^2
  bool molar = false;  ///< mol, mole or moles in place of the mass
};

/// Parses a rate unit: a mass-rate spelling of parse_gridded_unit, or the same with mol, mole or
/// moles for the mass ("moles/s", "mol s-1", "mol m-2 s-1"). Blanks around are ignored; nullopt
/// for anything else (including "UNKNOWN" and "").
std::optional<IoapiUnit> parse_ioapi_unit(std::string_view text);

/// The IOAPI grid types by GDTYP, for messages ("LAMGRD3, Lambert conformal"; "" for unknown).
std::string_view ioapi_grid_type_name(int gdtyp) noexcept;

/// Reads an IOAPI NetCDF file of emissions (see the top of this header) into g/s per source
/// cell. Throws lantian::Error naming the file and the variable or attribute, what was found and
/// what was expected.
GriddedSource read_ioapi_netcdf(const std::string& path, const IoapiOptions& options = {});

}  // namespace lantian::emissions
