#pragma once
// Control scenarios from the case file (情景配置): `[response]` and `[[scenarios]]` of case.toml
// (core/case_config.hpp accepts these root keys without reading them; this reader re-parses the
// case file), and further scenario files named in `[response] scenario_files` (only [[scenarios]]
// there, same schema). Measures and their algebra: measures.hpp; full schema: docs/scenarios.md.
//
//   [response]                        # optional, all keys optional
//   lead_hours = 3                    # measures start 3 h after the response starts (0..72)
//   plans = "inventory/plans.csv"     # 一厂一策 plans; default <emissions.folder>/plans.csv when it
//                                     # exists; "" = none (grade defaults for every enterprise)
//   scenario_files = ["scenarios/extra.toml"]   # more [[scenarios]], relative to the case folder
//   standard_scenarios = true         # add the six standard scenarios (default: only when no
//                                     # scenario is declared in the case or its files)
//   uniform = {yellow = 0.10, orange = 0.20, red = 0.30}   # uniform-cut fractions (SO2, NOx, PM, VOCs)
//   floors = {yellow = 0.10, orange = 0.20, red = 0.30}    # the achieved-cut floors (DOMAIN.md §4)
//   in_force = "orange"               # optional: the response in force at the start (当前预警状态;
//   in_force_since = "2024-12-11T16:00"  #  yellow | orange | red) and when it began (<= start)
//   [[response.imposed]]              # optional, repeatable: a level imposed by a higher authority
//   level = "red"                     #   (省级/区域预警): in force over [start, end), local times
//   start = "2024-12-13T00:00"        #   unless they carry an offset; the effective level is the
//   end = "2024-12-15T00:00"          #   higher of the city's own and the imposed one
//   [response.grade_defaults]         # action per grade and level for enterprises without a plan
//   C = {yellow = "limit 80", orange = "limit 70", red = "stop"}   # grades A B C D leading none
//
//   [[scenarios]]
//   name = "orange-plus-steel"        # unique
//   description = "orange plans and the steel works at 60%"   # optional
//   level = "orange"                  # none | yellow | orange | red | timeline (each window's level)
//   uniform = true                    # optional: the level's uniform cuts, or fractions:
//                                     # uniform = {so2 = 0.2, nox = 0.2, pm = 0.2, vocs = 0.2, nh3 = 0.0}
//   plans = true                      # optional: 一厂一策 plans of the level (+ grade defaults)
//   sector_measures = true            # optional: the built-in sector measures of the level
//   regional_cut = 0.2                # optional: regional joint control (区域联防联控): this share
//                                     # of the lateral inflow removed while the measures act
//   [[scenarios.measures]]            # optional, repeatable: custom measures
//   name = "steel limit"              # optional label
//   industry = "steel"                # exactly one target key: enterprise, line, sector,
//                                     # district, category, industry, grade (a string or a list)
//   action = "limit 60"               # "stop" | "limit N" (% load) | "cut N" (% removed) | "none"
//   pollutants = ["pm", "nox"]        # cut only: so2 nox pm pm25 pm10 vocs nh3 all (default all)
//   start = "2024-12-12T08:00"        # optional own times, local unless they carry an offset;
//   end = "2024-12-13T20:00"          #   without them the measure follows the response windows
//   from_level = "orange"             # optional, response-tied only: active from this level up
//   include_exempt = false            # optional: sector/district/... targets reach exempt enterprises
//
// Every mistake throws lantian::Error naming the file, the line and the key path, with the
// nearest valid name suggested for unknown keys, levels, pollutants, sectors, grades and targets
// (enterprise and line ids, districts, categories and industries of the inventory).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_config.hpp"
#include "emissions/inventory.hpp"
#include "scenarios/measures.hpp"

namespace lantian {

/// The response in force when the forecast starts ([response] in_force, in_force_since).
struct InForceResponse {
  ResponseLevel level = ResponseLevel::none;
  UtcHour since = 0;  ///< when it began (UTC hour, <= the period start)
};

/// A level imposed by a higher authority over [start, end) ([[response.imposed]]).
struct ImposedResponse {
  ResponseLevel level = ResponseLevel::none;
  UtcHour start = 0, end = 0;
};

/// Everything the scenario engine reads from a case.
struct ScenarioSet {
  ResponseSettings settings = ResponseSettings::defaults();
  std::optional<InForceResponse> in_force;  ///< none: no response in force at the start
  std::vector<ImposedResponse> imposed;
  LinePlans plans;                    ///< empty plan (LinePlans::none) when no plans file
  std::vector<Scenario> scenarios;    ///< declared ones in order (case, then scenario files), then the standard set
  std::vector<std::string> scenario_files;  ///< the extra files read (resolved paths)
  bool standard_added = false;        ///< whether the six standard scenarios were appended

  /// The scenario of that name, nullptr when none.
  const Scenario* find(std::string_view name) const noexcept;
  /// {inventory, plans, settings} for the functions of measures.hpp.
  MeasureInputs inputs(const emissions::Inventory& inventory) const { return {inventory, plans, settings}; }
};

/// Reads [response] and [[scenarios]] of the case file (config.source.file()) and the scenario
/// files it names, against `inventory` (the case's, for the targets).
ScenarioSet load_scenario_set(const CaseConfig& config, const emissions::Inventory& inventory);

/// The same over case-file text: `source` names it in errors, `base_dir` resolves relative paths
/// (plans, scenario_files); the default plans file comes from config.emissions.folder.
ScenarioSet parse_scenario_set(std::string_view case_text, const std::string& source, const std::string& base_dir,
                               const CaseConfig& config, const emissions::Inventory& inventory);

/// The [[scenarios]] of one scenario file (nothing else allowed at its top level), checked against
/// `inventory`; `zone` makes local start/end times UTC.
std::vector<Scenario> load_scenario_file(const std::string& path, const emissions::Inventory& inventory,
                                         const TimeZone& zone);

}  // namespace lantian
