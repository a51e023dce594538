#pragma once
// Control measures (减排措施) and scenarios (控制情景) as pure transformations of the emissions
// (STYLE.md 11): a scenario maps (source, pollutant, hour) to a factor in [0, 1]; the baseline is
// the identity. The schema of the case file that declares them is in scenario_file.hpp and
// docs/scenarios.md.
//
// A Scenario = a name + the warning level it implements (yellow / orange / red, none, or "follow
// the timeline") + measures:
//   - uniform cuts (统一比例减排): a fraction of SO2, NOx, PM (PM2.5 and PM10), VOCs (NH3 optional)
//     of every source, except enterprises flagged exempt (豁免, DOMAIN.md §5); defaults 10/20/30%
//     by level ([response] uniform), the reference option of DOMAIN.md §4;
//   - 一厂一策 line plans (plans.csv: `none`, `stop`, `limit N` = run at N % of the normal load),
//     with a default action by performance grade (绩效分级) for enterprises that have no plan;
//     exempt enterprises are untouched; gridded files of sector industry (enterprises without a
//     list) take the default of the not-graded enterprises (Grade::none);
//   - the sector measures of DOMAIN.md §5 (seed 002), a built-in table of cuts on the matching
//     area/road/gridded sources (builtin_sector_measures(); the fractions are assumptions);
//   - custom measures on enterprises, lines, sectors, districts, categories, industries or grades
//     (stop, limit N %, cut X % of some pollutants), with their own times when given.
//
// Algebra (how overlapping measures combine), for one production line l of enterprise e and
// pollutant p in one hour:
//   load_l = min(1, caps of every active stop/limit/load measure on l or on e)
//            stop    -> 0, or min_load when the line cannot stop (can_stop = false);
//            limit N -> max(N, min_load): a running line cannot go below its minimum load;
//            load v  -> v exactly (a verified load from a post-episode evaluation);
//   cut_l[p] = Π over active cut measures m on l, on e, uniform and sector cuts of (1 − f_m[p]):
//            each cut removes its fraction of what the other measures leave;
//   factor_l[p] = load_l · cut_l[p].
// The enterprise's unassigned share (1 − Σ shares, emissions/inventory.hpp) takes the measures
// on the enterprise as a whole (load caps of enterprise-wide stop/limit and of the grade default,
// and the cuts), not those of single lines. Area, road and gridded sources: the same formula with
// load = min of the caps of stop/limit measures on them (stop = 0, limit N = N). Hence
// uniform 20% + a sector cut of 50% on one source leave 0.8 × 0.5 = 0.4 of it, and a stop gives 0
// whatever else applies. Products and minima commute: the order of the measures does not matter.
//
// A source's factor is its emission under the scenario over its baseline emission: for a stack,
//   F_s[p] = (Σ_{l ∋ s} share_l[p] rate_e[p] / n_l · factor_l[p] + rest_e[p] rate_e[p] / n_e · f_rest[p])
//            / (the same with every factor 1),
// following the split rule of emissions/inventory.hpp exactly (n_l = stacks of l, n_e = stacks of
// e); ground releases likewise with the lines without stacks (and the rest when e has no stack).
// A source with a zero baseline rate of p has factor 1.
//
// Timing: the caller gives the response windows (ResponseWindow: UTC hours [start, end) and the
// level, e.g. from the baseline's response timeline, response_windows()). Contiguous windows form
// one response. A measure tied to the response is active on [response start + lead_hours, lift);
// inside it, the level in force at hour t is the level of the window holding t − lead_hours (an
// upgrade takes effect lead_hours after it is decided). A custom measure with its own start/end is
// active on [start, end) whether or not a response is on.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_axis.hpp"
#include "emissions/gridded_netcdf.hpp"
#include "emissions/inventory.hpp"
#include "scenarios/warning.hpp"
#include "emissions/eulerian_emissions.hpp"

namespace lantian {

/// The response level a measure set implements (应急响应级别): III yellow, II orange, I red.
enum class ResponseLevel : std::uint8_t { none = 0, yellow, orange, red };
inline constexpr int kResponseLevelCount = 4;
/// "none", "yellow", "orange", "red".
std::string_view response_level_name(ResponseLevel level) noexcept;
/// Parses the names above (ASCII case-insensitive; also 黄色, 橙色, 红色); nullopt when unknown.
std::optional<ResponseLevel> parse_response_level(std::string_view text) noexcept;
constexpr std::size_t index(ResponseLevel level) noexcept { return static_cast<std::size_t>(level); }

/// Which pollutants a cut applies to, one flag per emissions::EmittedPollutant.
using PollutantMask = std::array<bool, emissions::kEmittedPollutantCount>;
/// The pollutant names a measure may list: "so2", "nox", "pm" (= pm25 and pm10), "pm25", "pm10",
/// "vocs", "nh3", "all".
inline constexpr std::array<std::string_view, 8> kPollutantGroupNames{"so2",  "nox",  "pm",  "pm25",
                                                                      "pm10", "vocs", "nh3", "all"};
/// The mask of one name of kPollutantGroupNames (ASCII case-insensitive); nullopt when unknown.
std::optional<PollutantMask> parse_pollutant_group(std::string_view name) noexcept;
/// SO2, NOx, PM2.5, PM10 and VOCs: the pollutants of the 10/20/30% floors (DOMAIN.md §4).
PollutantMask floor_pollutants() noexcept;
/// `fraction` for the pollutants of `mask`, 0 for the others.
emissions::Rates fractions(double fraction, const PollutantMask& mask) noexcept;

/// What a measure does to its target.
enum class ActionKind : std::uint8_t {
  none,   ///< nothing (a plan row "none")
  stop,   ///< stop (停产): load 0, or min_load for lines that cannot stop
  limit,  ///< limit (限产): run at `value` (0..1) of the normal load at most, not below min_load
  cut,    ///< cut (减排): remove the fraction `value` (0..1) of the listed pollutants
  load,   ///< verified load (核定负荷): run at `value` (0..1) exactly, min_load not applied
};

struct Action {
  ActionKind kind = ActionKind::none;
  double value = 0.0;  ///< limit/load: load fraction kept; cut: fraction removed; otherwise unused
  bool operator==(const Action&) const = default;
};
/// Parses "none", "stop", "limit N" (N % of the normal load, 0 < N <= 100) and, with allow_cut,
/// "cut N" (N % removed, 0 < N <= 100), blanks around and between the words free, ASCII
/// case-insensitive. On failure returns nullopt and sets `why` ("expected ..., found ...").
std::optional<Action> parse_action(std::string_view text, bool allow_cut, std::string& why);
/// "none", "stop", "limit 80%", "cut 30%", "load 45%".
std::string describe(const Action& action);

/// What a custom measure acts on. Several values are alternatives (any of them matches).
enum class TargetKind : std::uint8_t { enterprise, line, sector, district, category, industry, grade };
/// "enterprise", "line", "sector", "district", "category", "industry", "grade" (also the TOML keys).
std::string_view target_kind_name(TargetKind kind) noexcept;

struct Target {
  TargetKind kind = TargetKind::enterprise;
  std::vector<std::string> values;  ///< ids or names, as in the inventory (sector/grade: their names)
};

/// A measure with an explicit target (自定义措施), or one implemented measure of a post-episode
/// evaluation (read_implemented_measures).
struct CustomMeasure {
  std::string name;          ///< label in reports (may be empty)
  Target target;
  Action action;             ///< stop / limit / cut / load (none is allowed and does nothing)
  PollutantMask pollutants;  ///< cut only; stop/limit/load act on every pollutant
  /// Own active period [start, end) (UTC); when either is given the measure ignores the
  /// response windows (an absent bound is the period's start or end).
  std::optional<UtcHour> start, end;
  /// Tied to the response (no own times): active only while the level in force is at least this.
  ResponseLevel from_level = ResponseLevel::none;
  /// Targets other than enterprise/line skip exempt enterprises unless this is set; a measure
  /// naming an enterprise or line applies to it even when it is exempt (exemption revoked).
  bool include_exempt = false;

  CustomMeasure() { pollutants.fill(true); }
};

/// The 一厂一策 plan of the inventory's lines (plans.csv), per level.
struct LinePlans {
  std::string file;  ///< where they were read ("" when built in code)
  /// Per Inventory::lines index: the action at yellow, orange, red (index(level) − 1); nullopt =
  /// the line has no row.
  std::vector<std::optional<std::array<Action, 3>>> line;
  /// Per Inventory::enterprises index: whether any of its lines has a row (else the grade
  /// default applies to the whole enterprise).
  std::vector<bool> enterprise_has_plan;
  /// No plan at all, sized for an inventory.
  static LinePlans none(const emissions::Inventory& inventory);
};

// ---- Measure files (measures_file.cpp) -------------------------------------------------------

/// Reads plans.csv (`line, enterprise, yellow, orange, red`; emissions/README.md): every line must
/// be in the inventory and belong to the enterprise named; actions none / stop / limit N (percent
/// of the normal load). Throws lantian::Error naming the file, line and column, with the nearest
/// line id suggested for an unknown one.
LinePlans read_line_plans(const std::string& path, const emissions::Inventory& inventory);
/// The same over CSV text; `source` names it in errors.
LinePlans parse_line_plans(std::string text, const std::string& source, const emissions::Inventory& inventory);

/// The action per performance grade (index emissions::Grade) and level (index(ResponseLevel);
/// index 0 unused) for enterprises without a plan: applied to all their lines and unassigned share.
using GradeDefaults = std::array<std::array<Action, kResponseLevelCount>, emissions::kGradeCount>;
/// The assumed default table (see measures.cpp for the reasoning):
///   A, leading: none;  B: none / limit 80 / limit 70;  C: limit 80 / limit 70 / limit 50;
///   D: limit 70 / limit 50 / stop;  none (not graded): limit 90 / limit 80 / limit 70.
GradeDefaults default_grade_defaults();

/// One row of the built-in sector-measure table (DOMAIN.md §5, seed 002 §4 (3) by level): a cut of
/// `cut[level]` of the listed pollutants of every area/road/gridded source of the sector (and of
/// the category, when given). Enterprises are left to their plans (no double counting).
struct SectorMeasure {
  std::string_view id;           ///< e.g. "construction_stop"
  std::optional<emissions::Sector> sector;  ///< nullopt: any sector (the category selects)
  std::string_view category;     ///< "" = any category
  PollutantMask pollutants;
  std::array<double, kResponseLevelCount> cut;  ///< fraction removed at none/yellow/orange/red
  std::string_view measure;      ///< what the plan says, in English
};
/// The built-in table (rows and their assumptions in measures.cpp).
std::span<const SectorMeasure> builtin_sector_measures() noexcept;

/// Settings shared by the scenarios of a case ([response]).
struct ResponseSettings {
  int lead_hours = 3;  ///< measures start this long after the response starts (DOMAIN.md §3: within 3 h)
  /// Uniform-cut fractions per level (index(level)), per pollutant: 0.1/0.2/0.3 of the floor
  /// pollutants, 0 for NH3.
  std::array<emissions::Rates, kResponseLevelCount> uniform{};
  /// The cut floors per level (DOMAIN.md §4), same defaults; NH3 has none.
  std::array<emissions::Rates, kResponseLevelCount> floors{};
  GradeDefaults grade_defaults = default_grade_defaults();
  /// The national defaults above.
  static ResponseSettings defaults();
};

/// A control scenario (控制情景).
struct Scenario {
  std::string name;
  std::string description;
  ResponseLevel level = ResponseLevel::none;  ///< the level whose measures it takes
  bool follow_timeline = false;  ///< take each window's level instead of `level`
  bool uniform = false;          ///< uniform cuts: ResponseSettings::uniform of the level ...
  std::optional<emissions::Rates> uniform_fractions;  ///< ... or these fractions at any level
  bool plans = false;            ///< 一厂一策 plans of the level (grade defaults without a plan)
  bool sector_measures = false;  ///< the built-in sector measures of the level
  std::vector<CustomMeasure> measures;
  /// Regional joint control (区域联防联控): the fraction (0-1) of the lateral inflow (every
  /// species) that the region's own measures remove while this scenario's response measures act
  /// (inflow_factors). The region's cut, stated by the user, not the city's task.
  double regional_cut = 0.0;
};

/// The six standard scenarios: "uniform-yellow/orange/red" (uniform cuts of the level) and
/// "plans-yellow/orange/red" (一厂一策 + grade defaults + sector measures of the level).
std::vector<Scenario> standard_scenarios();

/// A response window (应急响应时段): the level held over UTC hours [start, end).
struct ResponseWindow {
  UtcHour start = 0, end = 0;
  ResponseLevel level = ResponseLevel::none;
};
/// The windows of a response timeline on the series axis `series` (ResponsePeriod indices; end
/// −1 = the end of the series). Levels are matched by name (yellow/orange/red, case-insensitive)
/// through `rules`; other level names (e.g. a local "blue") give windows of level none.
std::vector<ResponseWindow> response_windows(std::span<const ResponsePeriod> periods, const TimeAxis& series,
                                             const WarningRules& rules);

/// What the factors are computed from. Keep the referenced objects alive while in use.
struct MeasureInputs {
  const emissions::Inventory& inventory;
  const LinePlans& plans;
  const ResponseSettings& settings;
};

/// The state of a scenario in each hour of a period: which level is in force and which custom
/// measures are active, as constant segments.
struct ScheduleSegment {
  std::int64_t begin = 0, end = 0;  ///< hour indices [begin, end) of the period
  bool response = false;            ///< inside [response start + lead, lift)
  ResponseLevel level = ResponseLevel::none;  ///< level in force (none outside a response)
  std::vector<bool> custom;         ///< per Scenario::measures: active
  bool active() const noexcept;     ///< response, or any custom measure active
};
/// The segments of `scenario` over `period`, covering it in order. Throws lantian::Error for
/// windows that overlap or end before they start, or a negative lead time.
std::vector<ScheduleSegment> schedule(const Scenario& scenario, const TimeAxis& period,
                                      std::span<const ResponseWindow> windows, const ResponseSettings& settings);

/// The factor of the lateral inflow at each hour of `period` (1 − scenario.regional_cut in the
/// hours of its response measures, [response start + lead, lift); 1 elsewhere).
std::vector<double> inflow_factors(const Scenario& scenario, const TimeAxis& period,
                                   std::span<const ResponseWindow> windows, const ResponseSettings& settings);

/// What every line, enterprise and ground-level source keeps in one state (see the algebra above).
struct MeasureState {
  std::vector<double> line_load;             ///< per line, 0..1
  std::vector<emissions::Rates> line;        ///< per line: factor of its emission
  std::vector<emissions::Rates> rest;        ///< per enterprise: factor of its unassigned share
  std::vector<emissions::Rates> area, road;  ///< per area / road source
  std::array<emissions::Rates, emissions::kSectorCount> gridded_by_sector{};  ///< gridded files by sector
};
/// The state of a segment. Throws lantian::Error when a target names something the inventory
/// lacks (the scenario file reader checks them first, with file and line).
MeasureState resolve(const Scenario& scenario, const MeasureInputs& inputs, const ScheduleSegment& segment);

/// Factors of one source list over a period, as constant segments.
class ScenarioFactors {
 public:
  struct Segment {
    std::int64_t begin = 0, end = 0;       ///< hour indices [begin, end)
    bool baseline = true;                  ///< every factor 1
    std::vector<emissions::Rates> factors; ///< one Rates per source
  };
  ScenarioFactors() = default;
  ScenarioFactors(std::vector<Segment> segments, std::size_t n_sources);
  /// The factors of hour index h of the period (one Rates per source; all 1 outside the
  /// measures), for emissions::EmissionSelection::factors. Throws lantian::Error out of range.
  const std::vector<emissions::Rates>& factors_at(std::int64_t h) const;
  const std::vector<Segment>& segments() const noexcept { return segments_; }
  std::size_t n_sources() const noexcept { return n_sources_; }

 private:
  std::vector<Segment> segments_;
  std::size_t n_sources_ = 0;
};

/// Factors of emissions::EulerianEmissions::sources() (stacks, areas, roads, ground releases,
/// gridded files) for every hour of `period`.
ScenarioFactors eulerian_factors(const Scenario& scenario, const MeasureInputs& inputs,
                                 std::span<const emissions::EmissionSource> sources, const TimeAxis& period,
                                 std::span<const ResponseWindow> windows);
/// Factors of the plume screening's sources (screening_sources(): stacks, then one ground point
/// per enterprise) for every hour of `period`.
ScenarioFactors screening_factors(const Scenario& scenario, const MeasureInputs& inputs, const TimeAxis& period,
                                  std::span<const ResponseWindow> windows);

/// How achieved cuts are counted.
struct AccountOptions {
  /// Weight each hour with the sources' temporal profiles (the mass actually emitted); off: the
  /// annual-mean rates of emissions/totals.hpp (the inventory basis of the floors).
  bool temporal_profiles = true;
  /// Gridded inventories on the case grid, counted in the whole-society total (their month's slice).
  std::span<const emissions::GriddedEmissions> gridded{};
};

/// The achieved cut and cost of a scenario (减排量核算).
struct ScenarioAccount {
  int active_hours = 0;          ///< hours with any measure active
  emissions::Rates society{};    ///< whole-society emission over the active hours, t
  emissions::Rates removed{};    ///< removed over the active hours, t
  emissions::Rates achieved{};   ///< removed / society (0 when society is 0)
  ResponseLevel floor_level = ResponseLevel::none;  ///< fixed level, or the highest level in force
  emissions::Rates floor{};      ///< ResponseSettings::floors of floor_level
  std::array<bool, emissions::kEmittedPollutantCount> meets_floor{};  ///< meets_floor(achieved, floor) (metrics.hpp)
  double cost = 0.0;             ///< lost output, yuan: Σ lines lost_output_per_hour × (1 − load) × hours
  std::vector<double> cost_by_enterprise;  ///< yuan, per Inventory::enterprises
  emissions::Rates cut_per_cost{};  ///< removed t per 10⁴ yuan (万元) of lost output; 0 without cost
};
/// Counts the scenario over `period` (see AccountOptions).
ScenarioAccount account(const Scenario& scenario, const MeasureInputs& inputs, const TimeAxis& period,
                        std::span<const ResponseWindow> windows, const AccountOptions& options = {});

// ---- Implemented measures (measures_file.cpp) ------------------------------------------------

/// Reads the measures actually carried out (成效评估 input), CSV columns `enterprise, line, start,
/// end, load` (+ optional `note`): line blank = the whole enterprise; start/end ISO 8601 (local
/// in `zone` unless they carry an offset), end > start; load = verified fraction of the normal
/// load, 0..1 (0 = stopped). Each row becomes a CustomMeasure with action load and its own times.
/// Throws lantian::Error naming the file, line and column.
std::vector<CustomMeasure> read_implemented_measures(const std::string& path, const emissions::Inventory& inventory,
                                                     const TimeZone& zone);
/// The same over CSV text; `source` names it in errors.
std::vector<CustomMeasure> parse_implemented_measures(std::string text, const std::string& source,
                                                      const emissions::Inventory& inventory, const TimeZone& zone);
/// A scenario holding only `measures` (level none), e.g. the implemented measures.
Scenario measures_scenario(std::string name, std::vector<CustomMeasure> measures);

}  // namespace lantian
