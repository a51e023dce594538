// See report_forms.hpp.
#include "forecast/report_forms.hpp"

#include <cctype>
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

nlohmann::json daily_forms(const nlohmann::json& sc, const nlohmann::json& windows, const nlohmann::json& rec,
                           const nlohmann::json& tasks, UtcHour start, const TimeZone& tz) {
  using nlohmann::json;
  // Due by 17:00 local of the issue day (the next day's when the forecast starts after 17:00).
  UtcHour due = local_midnight(start, tz) + kDailyReportHour;
  if (due < start) due = followup_report_time(start, tz);
  const json base = sc.value("baseline", json::object());
  json city_days = json::array();
  for (const json& f : sc.value("daily_forecast", json::array()))
    if (f.value("series", "") == "city") city_days = f.at("days");
  json margin = nullptr, decided = nullptr;
  const json decisions = base.value("city_decisions", json::array());
  if (!decisions.empty()) margin = decisions.front().value("margin_aqi", json()), decided = decisions.front().value("level", "none");
  json level = nullptr, since = nullptr, day_n = nullptr;
  for (const json& w : windows) {
    const UtcHour a = parse_time(w.at("start").get<std::string>(), tz), b = parse_time(w.at("end").get<std::string>(), tz);
    if (a <= start && start < b) level = w.at("level"), since = w.at("start"), day_n = response_day(a, due, tz);
  }
  json summary = nullptr;
  if (rec.is_object() && tasks.is_object() && tasks.contains(rec.value("scenario", "")))
    summary = tasks.at(rec.value("scenario", "")).value("description", "");
  const json daily = {{"due", format_local(due, tz)},
                      {"level_in_force", level},
                      {"since", since},
                      {"response_day", day_n},
                      {"decision", decided},
                      {"margin_aqi", margin},
                      {"city_days", city_days},
                      {"recommended", rec.is_object() ? rec.value("scenario", json()) : json(nullptr)},
                      {"tasks_summary", summary},
                      {"to_fill", {"工业源驻场督导", "现场巡查", "线上监管", "面源污染管控情况", "影像资料"}}};
  const json resp = base.value("city_response", json());
  json episode = {{"status", "not_due"}, {"reason_key", "none"}, {"reason", "no response in the forecast"}};
  if (resp.is_object() && resp.value("status", "") == "lifted" && resp.value("lift_time", json()).is_string()) {
    const UtcHour lift = parse_time(resp.at("lift_time").get<std::string>(), tz);
    episode = {{"status", "due"},
               {"due", format_local(local_midnight(local_midnight(lift, tz) + 30, tz) + 10, tz)},
               {"start", resp.value("start", json())},
               {"lift_time", resp.at("lift_time")},
               {"duration_h", resp.value("duration_h", json())},
               {"peak_daily_aqi", base.value("city_peak_daily_aqi", json())},
               {"level", base.value("city_level", json())},
               {"effect", rec}};
  } else if (resp.is_object() && resp.value("status", "") == "open") {
    episode["reason_key"] = "open";
    episode["reason"] = "the response is still in force at the end of the forecast: no summary before its lift";
  }
  return {{"daily_report", daily}, {"episode_summary", episode}};
}

namespace {
/// Whether the first `lines` lines of a file say SYNTHETIC (any case).
bool marked_synthetic(const std::filesystem::path& p, int lines) {
  std::ifstream in(p, std::ios::binary);
  std::string line;
  for (int k = 0; k < lines && std::getline(in, line); ++k) {
    for (char& c : line) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (line.find("SYNTHETIC") != std::string::npos) return true;
  }
  return false;
}
}  // namespace

std::vector<std::string> synthetic_inputs(const std::string& case_file, bool meteo_synthetic,
                                          const std::string& boundary_file, const std::string& observations,
                                          const std::string& inventory_folder) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  if (!case_file.empty() && marked_synthetic(case_file, 10)) out.emplace_back("case");
  if (meteo_synthetic) out.emplace_back("meteorology");
  if (!boundary_file.empty() && marked_synthetic(boundary_file, 3)) out.emplace_back("boundary");
  if (!observations.empty() && marked_synthetic(observations, 3)) out.emplace_back("observations");
  std::error_code ec;
  if (!inventory_folder.empty() && fs::is_directory(inventory_folder, ec))
    for (const fs::directory_entry& e : fs::directory_iterator(inventory_folder, ec))
      if (e.path().extension() == ".csv" && marked_synthetic(e.path(), 3)) {
        out.emplace_back("inventory");
        break;
      }
  return out;
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
