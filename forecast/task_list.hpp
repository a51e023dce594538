#pragma once
// The per-option task list (应急减排清单, issue 13): for each scenario, what each enterprise's
// line does from when to when and who checks it, plus the sector measures, read off the measure
// model (scenarios/measures.hpp: schedule + resolve), never re-derived:
//   - a line row where resolve() leaves the line's load below 1 in an active segment: action
//     "stop" (load 0) or "limit" (load_pct = the load kept, % of the normal load; a line that
//     cannot stop shows "limit" at its minimum load); consecutive segments with the same load
//     make one row [start, end);
//   - an enterprise row (line "") for an enterprise without lines whose unassigned share is capped
//     (the grade default or an enterprise-wide stop/limit);
//   - a sector row per built-in sector measure with a cut at the level in force (sector_measures);
//   - one uniform row per level (uniform cuts of every source except the exempt ones);
//   - a regional row (Scenario::regional_cut): the inflow cut the option assumes of the region
//     (区域联防联控), the regional command as its department.
//   - a custom row per custom measure on surface sources (target sector, district or category)
//     or with a "cut" action, while it is active: the target, the action, the sector's
//     departments (a single sector target) or the command office's member units (assumed).
// Department: the enterprise's (inventory `department`); for a sector, the departments of the
// inventory's area/road sources of that sector, else the ASSUMED responsibility table of seed 000
// (annex: 25 categories) and seed 004 (Changji duties), department_assumed = true.
// Verification: the inventory carries neither expected power use nor online-monitoring points,
// so every row says "none in the inventory" (seed 003 names both as the means of verification).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_axis.hpp"
#include "forecast/forecast.hpp"
#include "scenarios/measures.hpp"

namespace lantian {

struct TaskRow {
  std::string scenario;
  std::string kind;             ///< "line", "enterprise", "sector", "custom", "uniform", "regional"
  std::string enterprise;       ///< id ("" for sector/uniform rows)
  std::string enterprise_name;
  std::string line;             ///< id ("" for enterprise/sector/uniform rows)
  std::string line_name;
  std::string sector;           ///< sector name (sector rows; "industry" for line/enterprise rows)
  std::string measure;          ///< sector measure id (sector rows), "uniform" (uniform rows)
  std::string measure_text;     ///< what it says (sector: the table's text; uniform: the pollutants)
  std::string action;           ///< "stop", "limit" (line/enterprise), "cut" (sector/uniform)
  int load_pct = 100;           ///< stop/limit: the load kept, % of the normal load
  int cut_pct = 0;              ///< cut: % removed
  ResponseLevel level = ResponseLevel::none;  ///< level in force
  UtcHour start = 0, end = 0;   ///< [start, end), UTC
  std::string department;
  bool department_assumed = false;
  std::string verification;
};

/// The rows of one scenario over `period` (see the header comment), in order: line and enterprise
/// rows by inventory order then time, then sector, custom, uniform and regional rows.
std::vector<TaskRow> task_rows(const Scenario& scenario, const MeasureInputs& inputs, const TimeAxis& period,
                               std::span<const ResponseWindow> windows);

/// The rows of every scenario of a forecast (its outcomes' order, the baseline windows): what
/// `lantian run` writes as tasks.csv.
std::vector<TaskRow> forecast_task_rows(const ForecastResult& result, const CaseInputs& inputs);

/// The assumed department of a sector (seed 000 annex / seed 004 duties), in Chinese.
std::string_view sector_department(emissions::Sector sector) noexcept;
/// "施工扬尘管控" etc.: the Chinese name of a built-in sector measure id ("" when unknown).
std::string_view sector_measure_zh(std::string_view id) noexcept;

/// tasks.csv: scenario,kind,level,enterprise,enterprise_name,line,line_name,sector,measure,
/// measure_text,action,load_pct,cut_pct,start,end,department,department_assumed,verification
/// (times local ISO 8601 with offset in `zone`).
std::string tasks_csv(const std::vector<TaskRow>& rows, const TimeZone& zone);
/// Reads tasks.csv back (times as UTC hours). Throws lantian::Error naming `source`.
std::vector<TaskRow> parse_tasks_csv(std::string text, const std::string& source, const TimeZone& zone);

/// The option in words (Chinese), e.g. "橙色预警一厂一策：12 家企业 31 条生产线停产或限产，另施工
/// 停工、道路冲洗…", from the rows alone (the report reads them back from tasks.csv); the level is
/// the rows' highest (several: "按预警级别").
std::string describe_tasks_zh(const std::vector<TaskRow>& rows);

}  // namespace lantian
