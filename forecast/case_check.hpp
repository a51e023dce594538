#pragma once
// `lantian check CASE.toml` (算例检查): validates a whole case — grid, period, meteorology
// coverage, emission inventory, warning rules, observations, stations — and summarises it for the
// person preparing the inputs: the grid and its corners in lon/lat, the period in local time and
// UTC, what the meteorology covers with a per-day count of the unfavourable-dispersion (静稳)
// hours at the domain centre, the emission totals (t/yr and g/s) by pollutant, sector and
// district, the enterprises by performance grade, the gridded NetCDF inventories by sector, the
// whole-society totals of both, and warnings. The command only prints
// format_check_report(check_case(load_case(path))).
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/case_config.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "emissions/totals.hpp"
#include "meteo/boundary_layer.hpp"
#include "forecast/run_resources.hpp"

namespace lantian {

/// The 静稳 (unfavourable-dispersion) hours of one local day of the period at the domain centre.
struct StagnationDay {
  std::string date;        ///< local date, "2024-12-11"
  int hours = 0;           ///< hours of the period on that day
  int weak_wind = 0;       ///< hours with 10-m wind < 2 m/s (小风)
  int shallow_mixing = 0;  ///< hours with mixing height < 500 m (混合层低)
  int inversion = 0;       ///< hours with a surface inversion (近地面逆温)
  int humid = 0;           ///< hours with RH2 > 80 % (高湿)
  int all_four = 0;        ///< hours with all four indicators (静稳)
  int three_or_more = 0;   ///< hours with at least three indicators
  double pblh_min = 0.0, pblh_max = 0.0;    ///< mixing height range, m
  double wind_min = 0.0, wind_max = 0.0;    ///< 10-m wind speed range, m/s
  double rh_max = 0.0;                      ///< highest RH2, %
};

/// One [[emissions.gridded]] file as checked: its annual-mean rates on the case grid and outside.
/// A monthly file (12 time slices) is averaged weighting each month by its length in a 365-day
/// year (31/365 for January, 28/365 for February, ...); a file with one slice is that slice.
struct GriddedFileCheck {
  std::string file;
  emissions::Sector sector = emissions::Sector::residential_heating;
  int times = 0;                ///< time slices in the file (1 or 12)
  emissions::Rates on_grid{};   ///< annual-mean g/s that falls on the case grid
  emissions::Rates outside{};   ///< annual-mean g/s that falls outside it (left out of the run)
};

/// What `lantian check` found. Sections that could not be checked (because an earlier error
/// stopped them) have their `*_ok` flag false and are left empty.
struct CaseCheckReport {
  std::string case_file;  ///< the case file (config.source.file())
  std::string name;       ///< case name

  bool grid_ok = false;
  GridSpec grid;                       ///< the grid's numbers
  std::array<LonLat, 4> corners{};     ///< outer corners: south-west, south-east, north-east, north-west
  LonLat centre;                       ///< centre of the domain

  bool period_ok = false;
  std::string time_zone;
  UtcHour start = 0;                   ///< first hour, UTC
  int hours = 0;                       ///< length, hours

  bool met_ok = false;                 ///< provider built and covering the period
  std::string met_source;              ///< "synthetic", "wrf", "cf", "station"
  std::vector<std::string> met_files;
  UtcHour met_first = 0, met_last = 0; ///< covered hours (inclusive)
  std::size_t met_times = 0;           ///< input times (0 for the analytic synthetic episode)
  int met_max_step = 0;                ///< largest interval between input times, hours (0 when n/a)
  CellIndex stagnation_cell;           ///< the domain-centre cell of the stagnation summary
  std::vector<StagnationDay> stagnation;

  std::size_t stations = 0;         ///< monitoring stations of the case
  std::size_t stations_inside = 0;  ///< of which inside the grid

  bool emissions_ok = false;
  std::vector<std::string> inventory_files;
  std::size_t enterprises = 0, stacks = 0, lines = 0, area_sources = 0, roads = 0, profiles = 0;
  std::size_t exempt_enterprises = 0;  ///< enterprises flagged exempt (豁免)
  bool csv_inventory = false;          ///< the case has CSV inventory files
  emissions::EmissionTotals totals;    ///< the CSV inventory's annual-mean g/s
  std::vector<GriddedFileCheck> gridded;  ///< [[emissions.gridded]] files, in case-file order
  emissions::Rates gridded_total{};       ///< annual-mean g/s of the gridded files on the grid
  std::array<emissions::Rates, emissions::kSectorCount> gridded_by_sector{};  ///< the same by sector
  /// Whole-society totals (全社会排放量), the denominator of the 10/20/30% floors
  /// (emissions::required_cut): `totals` with the gridded files' on-grid rates added to `total`
  /// and `by_sector`; the other breakdowns (district, grade, ...) are the CSV inventory's only.
  emissions::EmissionTotals combined;

  bool resources_ok = false;           ///< the memory and disk estimate was made
  RunResources resources;              ///< what a run needs and what this machine has (run_resources.hpp)

  bool scenarios_checked = false;      ///< the scenario set and plans file were read and checked
  std::size_t scenarios = 0;           ///< scenarios a run evaluates (declared + standard)

  std::vector<std::string> warnings;   ///< problems that do not stop a run
  std::vector<std::string> errors;     ///< problems that do (each names file, line or variable)

  /// True when no error was found.
  bool valid() const noexcept { return errors.empty(); }
};

/// Checks a loaded case: builds the grid (corners through PROJ), the MetProvider and checks that
/// it covers every hour from start to start + hours, evaluates the 静稳 indicators
/// (meteo::stagnation_flags, default thresholds; the surface inversion between T2 and the first
/// layer's centre) at the centre cell for every hour of the period, reads the inventory with the
/// grid (sources outside the domain are errors) and sums it (emissions::compute_totals), reads
/// and regrids the [[emissions.gridded]] files and sums their annual means by sector (a file's
/// mass outside the grid is a warning giving its percentage per pollutant), loads
/// the rules file and the observations when given. Stations outside the grid, observations not
/// covering the period or naming unknown stations, and a mixing height above the grid top are
/// warnings. Every input `lantian run` reads is checked the way run reads it (the functions of
/// assemble_case): the memory the run needs (estimate_run_resources; when it does not fit that is
/// an error and the meteorology and the gridded files are not built), the [model] settings and
/// the boundary file (validate_model_settings), the scenarios, scenario files and plans file
/// (load_case_scenarios) and the rules file (load_case_rules).
/// Never throws for bad input: every error is recorded in `errors`.
CaseCheckReport check_case(const CaseConfig& config);

/// The report as text for a terminal (UTF-8), one section per paragraph; ends with the warnings,
/// the errors and a one-line verdict ("case OK" or "N error(s)").
std::string format_check_report(const CaseCheckReport& report);

}  // namespace lantian
