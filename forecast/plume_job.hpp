#pragma once
// The job of `lantian plume` (Python: lantian.plume): hourly Gaussian-plume concentrations of
// stacks and area sources at receptors, from CSV inputs (screening). The inputs are read here
// with core's CSV reader (core/csv_file.hpp; every error names file:line: column N (name)),
// the physics is solver/gaussian_plume, the outputs go through core/output_folder's rule
// (never over an input; --force only over a file `lantian plume` wrote, recognised by its
// header; written to a temporary file renamed into place).
//
// Inputs (CSV with a header; x/y in metres on one plane, wind_dir meteorological, from):
//   sources    id,x,y,height,diameter,velocity,temperature,rate   (m, m, m, m, m/s, K, g/s)
//   met        time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L[,z0][,vptg][,wstar]
//              (L: m, or inf/-inf/neutral for a neutral hour; z0 m, default 0.1; vptg K/m above
//              the mixing height, default 0.005; wstar m/s, AERMET's w*, blank or < 0: from u*, L
//              and the mixing height)
//   receptors  id,x,y[,z]
//   areas      id,height,rate,polygon   (WKT POLYGON in m)
//   grid       "X0,Y0,DX,NX,NY": the centres of an NX x NY grid of DX-metre cells, ids g<i>_<j>
//   building dims  source,direction,height,width,length,xbadj,ybadj   (BPIP's 36 flow vectors
//              10..360 degrees per source, m; PRIME downwash: solver/plume_prime.hpp)
//   buildings  id,height,footprint   (m, WKT POLYGON in m): the dims of each stack computed
//              BPIP-style (solver/building_profile.hpp)
// Outputs: time,receptor,conc (µg/m³, hourly), and with `daily` date,receptor,conc,hours,valid
// (local days of `tz`, valid = at least 20 hours, GB 3095-2012 Table 4).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/output_folder.hpp"
#include "core/time_axis.hpp"
#include "solver/building_profile.hpp"
#include "solver/gaussian_plume.hpp"

namespace lantian {

/// What `lantian plume` is asked to do (the command's options; empty paths: not given).
struct PlumeRequest {
  std::string sources, areas, met, receptors, grid;  ///< inputs; at least one of sources/areas, of receptors/grid
  std::string building_dims, buildings;              ///< building downwash inputs (at most one); empty: none
  std::string out;                                   ///< hourly CSV
  std::string daily;                                 ///< daily-means CSV; empty: none
  std::string tz = "Asia/Shanghai";                  ///< local days of `daily`
  std::string dispersion = "briggs-rural";           ///< briggs-rural, briggs-urban, turbulence
  double min_wind = 0.5;                             ///< m/s; slower hours are calm
  double decay = 0.0;                                ///< first-order loss rate, 1/s
  bool force = false;
};

/// The hourly met table: the times as written and the parsed hours.
struct PlumeMetTable {
  std::vector<std::string> times;
  std::vector<solver::PlumeMet> hours;
};

/// Everything a plume run needs, read and checked.
struct PlumeJob {
  solver::PlumeOptions options;
  std::vector<solver::PlumeSource> sources;
  std::vector<solver::PlumeAreaSource> areas;
  std::vector<solver::Receptor> receptors;  ///< the receptors file's, then the grid's
  PlumeMetTable met;
  std::string tz;                           ///< zone of the daily means
  std::vector<UtcHour> utc;                 ///< the met times parsed (only when daily means are asked)
};

/// The two output files of a plume run: `daily.path` empty for none.
struct PlumeOutputs {
  OutputRequest hourly, daily;
};

/// A calm hour: computed with the wind raised to the minimum.
struct PlumeCalmHour {
  std::string time;
  double wind_speed = 0.0;  ///< m/s, as given
};

struct PlumeSummary {
  std::size_t stacks = 0, areas = 0, hours = 0, receptors = 0;
  std::size_t downwash_stacks = 0;        ///< stacks with a building in at least one direction
  std::string dispersion;                 ///< its name
  double min_wind = 0.0;                  ///< m/s
  std::vector<PlumeCalmHour> calm;
  double max_conc = 0.0;                  ///< µg/m³, the largest hourly value
  std::string max_receptor, max_time;     ///< where and when (the met file's time text)
  std::string out, daily;                 ///< the files written (daily empty: none)
  std::vector<std::string> warnings;      ///< one per calm hour
};

/// The readers of the inputs. Throw lantian::Error naming file:line: column N (name).
std::vector<solver::PlumeSource> read_plume_sources(const std::string& path);
std::vector<solver::PlumeAreaSource> read_plume_areas(const std::string& path);
std::vector<solver::Receptor> read_plume_receptors(const std::string& path);
/// The per-direction building dims; sets `building` of the sources it names (each named source
/// needs all 36 directions; an unknown source is an error).
void read_plume_building_dims(const std::string& path, std::vector<solver::PlumeSource>& sources);
std::vector<solver::Building> read_plume_buildings(const std::string& path);
/// Checks what `options` need (the stability class; u*, L and the mixing height for turbulence).
PlumeMetTable read_plume_met(const std::string& path, const solver::PlumeOptions& options);
/// "X0,Y0,DX,NX,NY" -> receptors at the cell centres; throws lantian::Error naming --grid.
std::vector<solver::Receptor> parse_plume_grid(const std::string& text);

/// The options of a request, validated (Error naming the option).
solver::PlumeOptions plume_options(const PlumeRequest& request);
/// The output requests of `request` with every input of it (the hourly file is an input of
/// the daily one: they may not be the same file).
PlumeOutputs plume_outputs(const PlumeRequest& request);
/// Reads and checks every input of `request` (no output check).
PlumeJob read_plume_job(const PlumeRequest& request);
/// Computes, then writes the output files (everything is computed before anything is written).
PlumeSummary run_plume_job(const PlumeJob& job, const PlumeOutputs& outputs);
/// `lantian plume`: the options checked, the outputs checked before any work, the inputs read,
/// the run, the files written. Throws lantian::Error; on error nothing is written.
PlumeSummary run_plume_job(const PlumeRequest& request);
/// What `lantian plume` prints on standard output.
std::string format_plume_summary(const PlumeSummary& summary);

/// The columns each reader accepts (the help of `lantian plume` names every one). The met
/// file's first five are required; the receptors' first three.
inline constexpr std::array<std::string_view, 8> kPlumeSourceColumns = {
    "id", "x", "y", "height", "diameter", "velocity", "temperature", "rate"};
inline constexpr std::array<std::string_view, 12> kPlumeMetColumns = {
    "time", "wind_speed", "wind_dir", "ref_height", "temperature", "stability", "mixing_height", "ustar", "L", "z0",
    "vptg", "wstar"};
inline constexpr std::array<std::string_view, 4> kPlumeReceptorColumns = {"id", "x", "y", "z"};
inline constexpr std::array<std::string_view, 4> kPlumeAreaColumns = {"id", "height", "rate", "polygon"};
inline constexpr std::array<std::string_view, 7> kPlumeBuildingDimsColumns = {
    "source", "direction", "height", "width", "length", "xbadj", "ybadj"};
inline constexpr std::array<std::string_view, 3> kPlumeBuildingColumns = {"id", "height", "footprint"};

/// The headers of the two outputs: how `--force` recognises files `lantian plume` wrote.
inline constexpr std::string_view kPlumeHourlyHeader = "time,receptor,conc\n";
inline constexpr std::string_view kPlumeDailyHeader = "date,receptor,conc,hours,valid\n";

}  // namespace lantian
