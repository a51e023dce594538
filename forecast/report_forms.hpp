#pragma once
// Parts of the report model (forecast/report_model.hpp) kept apart for size: the per-option task
// lists read back from the run's tasks.csv (forecast/task_list.hpp) and the pieces of seed 004's
// forms that the forecast can fill (response day N, the follow-up's report time, the four
// sign-off sections of the 会商报告单, the 应急响应统计表 of annex 6). Internal to forecast/.
#include <filesystem>
#include <optional>
#include <string>

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

/// The four sections of the 会商报告单 (seed 004 annex 5), in order: [{key, unit_zh, unit_en,
/// signed_by: null, date_hour: null}] (the signatures are the people's, never the engine's).
nlohmann::json consultation_sections();

}  // namespace lantian
