#pragma once
// Parts of the report model (forecast/report_model.hpp) kept apart for size: the per-option task
// lists read back from the run's tasks.csv (forecast/task_list.hpp) and the pieces of seed 004's
// forms that the forecast can fill (response day N, the follow-up's report time, the four
// sign-off sections of the 会商报告单, the 应急响应统计表 of annex 6). Internal to forecast/.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time_axis.hpp"

namespace lantian {

/// Daily reports are due by 17:00 local (seed 003: 每日17时前); the follow-up (续报) of seed 004 is
/// sent the day after the start (annex 9: 启动应急响应次日报送前一日情况).
inline constexpr int kDailyReportHour = 17;

/// Day N of a response (启动应急响应第几天) at `at`: local calendar days since the start's, from 1.
int response_day(UtcHour start, UtcHour at, const TimeZone& tz);
/// The follow-up's report time: kDailyReportHour local on the day after `start`.
UtcHour followup_report_time(UtcHour start, const TimeZone& tz);

/// {scenario: {description, rows [{kind, level, enterprise, enterprise_name, line, line_name,
/// sector, measure, measure_text, action, load_pct, cut_pct, start, end, department,
/// department_assumed, verification}]}} from RUN_DIR/tasks.csv; {} when the run has none (run
/// folders from before issue 13).
nlohmann::json report_tasks(const std::filesystem::path& run_dir, const TimeZone& tz);

/// The daily product's forms from scenarios.json (`sc`: daily_forecast, baseline.city_response,
/// baseline.city_decisions, response_state) and the report's recommendation and tasks:
///   daily_report (日报, seed 003: due by 17:00 of the issue day): due time, the response in force
///     (level, since, day N), the city's day 1/2/3, the recommended option's task summary, the
///     deciding margin, and the items the units report themselves (to_fill);
///   episode_summary (工作总结, seed 003: by 10:00 the day after the lift): due only when the
///     forecast proves the lift (start, lift, duration, peak daily AQI, level changes, effect);
///     otherwise status "not_due" with the reason.
/// `windows`: scenarios.json's response windows [{level, start, end}] (local times); `start`: the
/// forecast's first hour (the issue time). Keys missing in older run folders are left null.
nlohmann::json daily_forms(const nlohmann::json& sc, const nlohmann::json& windows, const nlohmann::json& recommendation,
                           const nlohmann::json& tasks, UtcHour start, const TimeZone& tz);

/// Which of a case's inputs are marked synthetic (示例数据): "case" when the case file's comments say
/// SYNTHETIC, "meteorology" for [meteo] source = "synthetic", and "boundary", "observations",
/// "inventory" when the first lines of that file (any CSV of the inventory folder) say SYNTHETIC.
/// The report shows a banner when any is. `meteo_synthetic`: the case's meteo source.
std::vector<std::string> synthetic_inputs(const std::string& case_file, bool meteo_synthetic,
                                          const std::string& boundary_file, const std::string& observations,
                                          const std::string& inventory_folder);

/// The four sections of the 会商报告单 (seed 004 annex 5), in order: [{key, unit_zh, unit_en,
/// signed_by: null, date_hour: null}] (the signatures are the people's, never the engine's).
nlohmann::json consultation_sections();

}  // namespace lantian
