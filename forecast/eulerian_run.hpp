#pragma once
// The Eulerian forecast of a case (欧拉模式预报): the case's [model] settings turned into the
// solver's configuration, source tags, boundary inflow and initial state, and the hourly loop
// that feeds solver::EulerianModel with the case's meteorology and emissions (stacks injected
// at their hourly Briggs height with the ambient conditions of stack_ambient).
//
// Tags ([model] tags): "sector" (one tag per emissions::Sector), "district" (one per district of
// the inventory, plus "other" for sources without one, e.g. gridded files), "enterprise" (one per
// enterprise listed in tag_enterprises, plus "other" for every other source). When there are
// tags and the case has inflow or a non-zero initial state, one more tag, "background", carries
// the initial state and the lateral inflow, so the tags always sum to the total.
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "core/case_config.hpp"
#include "forecast/case_inputs.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "scenarios/observations.hpp"
#include "solver/eulerian_model.hpp"

namespace lantian {

/// The species of a name in [model.inflow]/[model.background] ("SO2", "PPM25", ...; case-
/// insensitive); throws lantian::Error naming `key` and suggesting the nearest name.
Species parse_species(std::string_view name, const SourceMap& source, const std::string& key);

/// [model.inflow] or [model.background] as µg/m3 per species (zero where not given).
PerSpecies species_values(const std::vector<std::pair<std::string, double>>& list, const SourceMap& source,
                                  const std::string& section);

/// The solver configuration of [model]: dt, kh and the processes switched on (unknown process
/// names throw lantian::Error naming model.processes with a suggestion).
solver::EulerianConfig eulerian_config(const CaseConfig& config);

/// Source tags of a case (see the header comment).
struct TagPlan {
  std::vector<std::string> names;   ///< one per tag
  std::vector<int> tag_of_source;   ///< one per EulerianEmissions::sources(), all >= 0
  int boundary_tag = -1;            ///< the "background" tag, -1 when none
  bool empty() const noexcept { return names.empty(); }
};
/// The tags of `kind` (TagKind::enterprise: the case's model.tag_enterprises). Throws
/// lantian::Error naming model.tag_enterprises for an enterprise id not in the inventory.
TagPlan make_tag_plan(TagKind kind, const CaseConfig& config, const emissions::Inventory& inventory,
                      const emissions::EulerianEmissions& emissions, bool has_background);

/// Progress of a run, after each simulated hour.
struct RunProgress {
  std::size_t hours_done = 0, hours = 0;
  UtcHour time = 0;          ///< the hour just simulated (its start)
  std::string local_time;    ///< `time` in the case's zone, ISO 8601 with offset
  double elapsed_s = 0.0;    ///< wall time so far
  double remaining_s = 0.0;  ///< estimated from the mean time per hour
  double max_surface_pm25 = 0.0;  ///< over the grid, µg/m3, after this hour
};

struct EulerianRunOptions {
  std::function<void(const RunProgress&)> progress;  ///< called after each hour (optional)
  /// Called once before the first hour with the tag plan and the initial model state; optional.
  std::function<void(const TagPlan&, const solver::EulerianModel&)> on_start;
  /// Called after each hour with the model (e.g. to write the hour's fields); optional.
  std::function<void(UtcHour, const solver::EulerianModel&)> on_hour;
  /// Emission factors per source and pollutant of each hour (a scenario's cuts): called with the
  /// hour's index in the period, returns one Rates per EulerianEmissions source, or an empty
  /// vector for the inventory as is. Null: no cuts.
  std::function<std::vector<emissions::Rates>(std::size_t hour)> factors;
  /// The lateral inflow's factor at each hour of the period (a regional cut: inflow_factors);
  /// empty: the inflow as given.
  std::vector<double> inflow_factors;
  /// Record each tag's surface species at the stations (EulerianRun::tag_series).
  bool record_tag_series = false;
  /// The source tags to carry: nullopt = the case's [model] tags; TagKind::none = no tags
  /// whatever [model] says (e.g. a scenario re-run, ~10x faster than with sector tags).
  std::optional<TagKind> tags;
};

struct EulerianRun {
  std::unique_ptr<solver::EulerianModel> model;
  std::vector<UtcHour> times;            ///< the hours simulated (their starts)
  std::vector<std::string> station_ids;  ///< the case's stations, in order (series of the model)
  TagPlan tags;
  std::vector<emissions::EmissionSource> sources;  ///< EulerianEmissions::sources() of the run
  std::vector<emissions::Rates> annual_rates;   ///< EulerianEmissions::annual_rates(), g/s
  /// With record_tag_series: [tag][species][station][hour] surface concentration, µg/m³, after
  /// each hour (the instant what-ifs superpose these).
  std::vector<std::vector<std::vector<std::vector<double>>>> tag_series;
  /// [species][station][hour] surface concentration of the total, after each hour.
  std::vector<std::vector<std::vector<double>>> species_series;
  double wall_s = 0.0;
};

/// With `initial = "observations"`, the start is the Cressman analysis of the stations'
/// observations of the hour ENDING at the start (the last hour complete at the issue time: no
/// look-ahead). The warnings for the case's stations whose PM2.5 of that hour is missing (they
/// are left out of the analysis); empty for any other start.
std::vector<std::string> start_analysis_warnings(const CaseConfig& config,
                                                 const std::vector<StationObservations>& observations);

/// Runs the case period. Errors (bad settings, uncovered met, NaN reaching the solver) throw
/// lantian::Error naming the setting, or the process, time and cell.
EulerianRun run_eulerian(const CaseInputs& inputs, const EulerianRunOptions& options = {});

}  // namespace lantian
