#pragma once
// The inputs of a case assembled from its case file (算例输入): the model grid, the hourly
// meteorology (a meteo::MetProvider built from [meteo]), the emission inventory (read from
// [emissions] with the grid, so that sources outside the domain are errors) and the gridded
// NetCDF inventories of [[emissions.gridded]] regridded onto the grid. Errors name the
// case file and the line of the key at fault ("case.toml:31: meteo.files[0]: ..."), or the input
// file, line and column when a reader fails.
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/case_config.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "emissions/gridded_netcdf.hpp"
#include "emissions/inventory.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/stack_injection.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/met_state.hpp"
#include "meteo/synthetic.hpp"
#include "solver/building_profile.hpp"
#include "forecast/rules_file.hpp"
#include "forecast/run_resources.hpp"
#include "forecast/scenario_file.hpp"
#include "solver/boundary.hpp"

namespace lantian {

/// The synthetic episode of a case: meteo::SyntheticEpisode's defaults overridden by
/// [meteo.synthetic]; start and hours default to the case period plus one hour (the period needs
/// the state at start + hours, the end of its last hour), the time zone is the case's, and
/// [meteo] kz_min sets the Kz floor. Out-of-range parameters throw lantian::Error naming the
/// case file, the line and "meteo.synthetic.<parameter>".
meteo::SyntheticEpisode synthetic_episode(const CaseConfig& config);

/// The Kz parameters of a case (meteo::KzParams with [meteo] kz_min when given).
meteo::KzParams case_kz_params(const CaseConfig& config);

/// The MetProvider of a case on `grid` ([meteo] source = synthetic, wrf, cf or station):
///   synthetic  meteo::SyntheticMet(grid, synthetic_episode(config))
///   wrf        meteo::regrid_wrf(meteo::open_wrf(files), grid) with z0 as the default roughness
///   cf         meteo::cf_met of each file (read_cf_surface), the states of all files in one
///              MetSeries (times strictly increasing across files)
///   station    meteo::StationMet from read_station_csv, the station at [meteo.station] lon/lat
///              (default: the grid centre), z0 default 0.5 m
/// A case without [meteo], or a missing input file, throws lantian::Error naming the case file,
/// the line and the key; reader errors name the input file and the variable or line. Warnings
/// (a station file's short gaps, interpolated) are appended to `warnings` when given.
std::unique_ptr<meteo::MetProvider> make_met_provider(const CaseConfig& config, const Grid& grid,
                                                      std::vector<std::string>* warnings = nullptr);

/// Throws lantian::Error unless `met` covers every hour from the period's start to start + hours
/// (inclusive: the state at the end of the last hour is needed too). The message names the first
/// uncovered hour in local time and UTC and the range the meteorology covers; the context is the
/// case file and the line of [meteo] source.
void check_met_coverage(const meteo::MetProvider& met, const CaseConfig& config);

/// The inventory files of a case: the standard names found in [emissions] folder, replaced by
/// the files named explicitly; all empty when the case has gridded files only. Throws
/// lantian::Error naming the case file and key when the case has no emissions at all, when the
/// folder or a named file does not exist, or when the folder holds no inventory file.
emissions::InventoryFiles case_inventory_files(const CaseConfig& config);

/// Reads the case's CSV inventory with the grid (lon/lat projected; every source must lie
/// inside); an empty Inventory when the case has gridded files only.
emissions::Inventory read_case_inventory(const CaseConfig& config, const Grid& grid);

/// The pollutant keys of `variables` in [[emissions.gridded]], in EmittedPollutant order (the
/// default variable names of emissions::GriddedNetcdfOptions).
inline constexpr std::array<std::string_view, emissions::kEmittedPollutantCount> kGriddedPollutantKeys{
    "so2", "nox", "pm25", "pm10", "voc", "nh3"};

/// The reader options of [[emissions.gridded]] entry n: the sector (when given) parsed, each
/// pollutant's variable from `variables` (the others keep their defaults). An unknown sector or
/// pollutant key throws lantian::Error naming the case file, the line and the key
/// ("emissions.gridded[0].variables.sox"), with the nearest valid name suggested.
emissions::GriddedNetcdfOptions gridded_options(const CaseConfig& config, std::size_t n);

/// Reads [[emissions.gridded]] entry n (emissions::read_gridded_netcdf). A missing file throws
/// lantian::Error naming the case file, the line of emissions.gridded[n].file and the path.
emissions::GriddedSource read_case_gridded_source(const CaseConfig& config, std::size_t n);

/// Every [[emissions.gridded]] file read and regridded onto `grid` (emissions::regrid_gridded),
/// in the order of the case file.
std::vector<emissions::GriddedEmissions> read_case_gridded(const CaseConfig& config, const Grid& grid);

/// The ambient conditions at each stack of `inventory` (in Inventory::stacks order) in the hour
/// of `met` on `grid`, for emissions::inject_stacks:
///   - horizontally, bilinear interpolation between the four cell centres around the stack
///     (clamped at the grid's edge); u and v at the cell centre are the means of the two faces;
///   - vertically, at the stack's physical top z_s: linear in height between the layer centres
///     around z_s; below the first centre between the 10-m wind (u10, v10) and the 2-m
///     temperature (t2) and the first centre's values; above the last centre its values;
///     the wind speed is |(u, v)| of the interpolated components;
///   - dθ/dz = dT/dz + g/cp (potential temperature of dry air, θ ≈ T + (g/cp) z; Stull 1988,
///     eq. 1.5.1c), dT/dz between the two layer centres around z_s (the first two below the
///     first centre, the last two above the last one);
///   - the mixing height PBLH interpolated likewise.
/// Throws lantian::Error when the state's shape is not the grid's.
std::vector<emissions::StackAmbient> stack_ambient(const emissions::Inventory& inventory, const Grid& grid,
                                                   const meteo::MetState& met);

/// The stack emissions of the hour starting at UTC hour t, on the case grid (g/s per cell, nx x
/// ny x nz per pollutant): the annual-mean stack rates (emissions::stack_emissions) times each
/// enterprise's temporal factor at the local time of t in tz, injected by
/// emissions::inject_stacks at the Briggs effective height of that hour, with the ambient
/// conditions of stack_ambient(met.at(t)) (the state at the start of the hour). Throws
/// lantian::Error when t is outside the meteorology's coverage.
emissions::StackEmissions3D stack_emissions_at(const emissions::Inventory& inventory, const Grid& grid,
                                               const meteo::MetProvider& met, UtcHour t, const TimeZone& tz);

/// The rules file of a case (rules_file), nullopt when none is given. A missing file throws
/// lantian::Error naming the case file and the line of rules_file; reader errors name the rules
/// file and its line.
std::optional<AqiWarningRules> load_case_rules(const CaseConfig& config);

/// The scenario set of a case (load_scenario_set: [response], [[scenarios]], the scenario files
/// and the plans file, checked against the inventory); nullopt when the case was not read from a
/// file on disk (load_case_string), whose text is not kept.
std::optional<ScenarioSet> load_case_scenarios(const CaseConfig& config, const emissions::Inventory& inventory);

/// The boundary provider of [model] exactly as run_eulerian builds it: the file of
/// boundary_file or [model.boundary] (a CSV time series, a lantian NetCDF run, or a regional
/// model's CF NetCDF: solver::open_boundary_file, format auto/csv/lantian/cf), else constant
/// [model.inflow] (null when all zero). A missing file throws lantian::Error naming the case
/// file and the line of its key.
std::shared_ptr<const solver::BoundaryProvider> open_case_boundary(const CaseConfig& config, const Grid& grid);

/// Every [model] setting run_eulerian reads, checked before any computation: the processes and
/// the solver settings (eulerian_config), the species of [model.inflow] and [model.background],
/// the enterprises of tag_enterprises (in the inventory), the boundary opened and asked for
/// every hour of the period (open_case_boundary; an uncovered hour names the file and the hour),
/// and the observations of initial = "observations". Throws lantian::Error naming the file, the
/// line and the key.
void validate_model_settings(const CaseConfig& config, const Grid& grid, const emissions::Inventory& inventory);

/// Everything a run needs, assembled and checked.
struct CaseInputs {
  CaseConfig config;
  Grid grid;
  TimeAxis period;
  std::unique_ptr<meteo::MetProvider> met;
  emissions::Inventory inventory;
  /// The [[emissions.gridded]] files on the case grid (g/s per cell, per time slice).
  std::vector<emissions::GriddedEmissions> gridded;
  /// [response], [[scenarios]], the scenario files and the plans file (load_case_scenarios);
  /// nullopt when the case was not read from a file (load_case_string).
  std::optional<ScenarioSet> scenarios;
  /// The rules file's warning rules and validity (load_case_rules); nullopt: the defaults.
  std::optional<AqiWarningRules> rules;
  /// What the inputs gave cause to say without stopping the run (e.g. interpolated met hours).
  std::vector<std::string> warnings;
  /// The buildings beside the stacks (<[emissions] folder>/buildings.csv when it exists: the
  /// columns of `lantian plume --buildings`, id,height,footprint): the screening's downwash
  /// (PRIME, solver/plume_prime.hpp). Empty: none.
  std::vector<solver::Building> buildings;
};

/// Builds the grid and reads the inventory, refuses a case whose run does not fit in this
/// machine's memory (run_resources.hpp: estimate_run_resources, require_run_memory) before
/// anything large is allocated, then builds the MetProvider (checked to cover the period), the
/// regridded gridded files, checks the [model] settings (validate_model_settings) and loads the
/// scenario set and the rules file. So every input a run reads is read and checked here, before
/// the baseline. Throws lantian::Error at the first problem; `lantian check` (check_case)
/// reports them all.
CaseInputs assemble_case(const CaseConfig& config);

}  // namespace lantian
