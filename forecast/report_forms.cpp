// See report_forms.hpp.
#include "forecast/report_forms.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "forecast/task_list.hpp"

namespace lantian {

namespace {
UtcHour local_midnight(UtcHour t, const TimeZone& tz) {
  std::string day = format_local(t, tz).substr(0, 10);
  day += "T00:00";
  return parse_time(day, tz);
}
}  // namespace

int response_day(UtcHour start, UtcHour at, const TimeZone& tz) {
  const double days = static_cast<double>(local_midnight(at, tz) - local_midnight(start, tz)) / 24.0;
  return static_cast<int>(std::lround(days)) + 1;
}

UtcHour followup_report_time(UtcHour start, const TimeZone& tz) {
  // The next local day's midnight (24 h on, then back to its midnight: safe across a DST change).
  const UtcHour next = local_midnight(local_midnight(start, tz) + 30, tz);
  return next + kDailyReportHour;
}

nlohmann::json report_tasks(const std::filesystem::path& run_dir, const TimeZone& tz) {
  using nlohmann::json;
  const std::filesystem::path p = run_dir / "tasks.csv";
  json out = json::object();
  if (!std::filesystem::is_regular_file(p)) return out;
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::vector<TaskRow> rows = parse_tasks_csv(text.str(), p.string(), tz);
  std::vector<std::string> order;
  std::map<std::string, std::vector<TaskRow>> by;
  for (const TaskRow& r : rows) {
    if (!by.count(r.scenario)) order.push_back(r.scenario);
    by[r.scenario].push_back(r);
  }
  for (const std::string& name : order) {
    json list = json::array();
    for (const TaskRow& r : by[name]) {
      const bool unit = r.action == "stop" || r.action == "limit";  // a load kept, else a cut
      list.push_back({{"kind", r.kind}, {"level", std::string(response_level_name(r.level))},
                      {"enterprise", r.enterprise}, {"enterprise_name", r.enterprise_name}, {"line", r.line},
                      {"line_name", r.line_name}, {"sector", r.sector}, {"measure", r.measure},
                      {"measure_text", r.measure_text}, {"action", r.action},
                      {"load_pct", unit ? json(r.load_pct) : json(nullptr)},
                      {"cut_pct", unit ? json(nullptr) : json(r.cut_pct)}, {"start", format_local(r.start, tz)},
                      {"end", format_local(r.end, tz)}, {"department", r.department},
                      {"department_assumed", r.department_assumed}, {"verification", r.verification}});
    }
    out[name] = {{"description", describe_tasks_zh(by[name])}, {"rows", list}};
  }
  return out;
}

nlohmann::json consultation_sections() {
  using nlohmann::json;
  json s = json::array();
  const char* const units[4][3] = {{"meteorology", "市气象台", "Meteorological observatory"},
                                   {"monitoring", "市生态环境监测站", "Environmental monitoring station"},
                                   {"expert", "专家组会商建议", "Expert group's recommendation"},
                                   {"command_office", "市重污染天气应急指挥部办公室", "Emergency command office"}};
  for (const auto& u : units)
    s.push_back({{"key", u[0]}, {"unit_zh", u[1]}, {"unit_en", u[2]}, {"signed_by", nullptr}, {"date_hour", nullptr}});
  return s;
}

}  // namespace lantian
