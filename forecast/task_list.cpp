// The per-option task list: see task_list.hpp.
#include "forecast/task_list.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "emissions/inventory_csv.hpp"

namespace lantian {

namespace {

using emissions::Sector;
constexpr std::string_view kNoVerification = "none in the inventory";

int pct(double fraction) { return static_cast<int>(std::lround(100.0 * fraction)); }

/// The scenario without its cuts (uniform, sector, custom "cut"): resolve() then leaves in
/// MeasureState::rest the load cap of each enterprise's unassigned share alone.
Scenario loads_only(const Scenario& sc) {
  Scenario s = sc;
  s.uniform = false;
  s.uniform_fractions.reset();
  s.sector_measures = false;
  for (CustomMeasure& m : s.measures)
    if (m.action.kind == ActionKind::cut) m.action = Action{};
  return s;
}

/// Appends a row, or extends the previous row of the same item when it continues it unchanged.
void add(std::vector<TaskRow>& rows, TaskRow r) {
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (it->kind != r.kind || it->enterprise != r.enterprise || it->line != r.line || it->measure != r.measure) continue;
    if (it->end == r.start && it->action == r.action && it->load_pct == r.load_pct && it->cut_pct == r.cut_pct &&
        it->level == r.level) {
      it->end = r.end;
      return;
    }
    break;
  }
  rows.push_back(std::move(r));
}

std::string sector_departments(const emissions::Inventory& inv, Sector sector, bool& assumed) {
  std::set<std::string> found;
  for (const auto& a : inv.areas)
    if (a.sector == sector && !a.department.empty()) found.insert(a.department);
  for (const auto& r : inv.roads)
    if (r.sector == sector && !r.department.empty()) found.insert(r.department);
  assumed = found.empty();
  if (assumed) return std::string(sector_department(sector));
  std::string out;
  for (const std::string& d : found) {
    if (!out.empty()) out += "; ";
    out += d;
  }
  return out;
}

/// Whether a sector measure with a category can reach anything: an area or road source of that
/// category (and sector), or a gridded sector whose default category it is (measures.cpp
/// apply_sector_row). A measure without a category may act on gridded files of its sector, which
/// MeasureInputs does not see, so it is always listed.
bool reaches_any(const emissions::Inventory& inv, const SectorMeasure& m) {
  if (m.category.empty()) return true;
  auto matches = [&](Sector sector, std::string_view category) {
    return (!m.sector || *m.sector == sector) && m.category == category;
  };
  for (const auto& a : inv.areas)
    if (matches(a.sector, a.category)) return true;
  for (const auto& r : inv.roads)
    if (matches(r.sector, r.category)) return true;
  for (int s = 0; s < emissions::kSectorCount; ++s)
    if (matches(static_cast<Sector>(s), emissions::default_category(static_cast<Sector>(s)))) return true;
  return false;
}

std::string_view level_zh(ResponseLevel l) noexcept {
  switch (l) {
    case ResponseLevel::yellow: return "黄色预警";
    case ResponseLevel::orange: return "橙色预警";
    case ResponseLevel::red: return "红色预警";
    default: return "";
  }
}

}  // namespace

std::string_view sector_department(Sector sector) noexcept {
  // ASSUMED mapping (docs/scenarios.md "Task list"): seed 000's annex (building-site dust ->
  // housing and construction; road dust and catering fumes -> city management; diesel vehicles ->
  // police and environment; industrial waste gas -> ecology and environment) and seed 004's
  // duties (loose coal: towns and sub-districts with city management; non-road machinery:
  // ecology and environment with housing and transport).
  switch (sector) {
    case Sector::construction_dust: return "住房和城乡建设局";
    case Sector::road_dust: return "城市管理局";
    case Sector::road_traffic: return "公安局交警大队; 生态环境局";
    case Sector::non_road_machinery: return "生态环境局; 住房和城乡建设局; 交通运输局";
    case Sector::solvent_use: return "生态环境局";
    case Sector::catering: return "城市管理局";
    case Sector::residential_heating: return "各乡镇(街道); 城市管理局";
    case Sector::agriculture: return "农业农村局";
    case Sector::industry:
    case Sector::power: return "生态环境局; 工业和信息化局";
  }
  return "生态环境局";
}

std::string_view sector_measure_zh(std::string_view id) noexcept {
  static const std::map<std::string_view, std::string_view> names{
      {"construction_stop", "施工停工"},       {"road_washing", "道路冲洗"},
      {"diesel_truck_ban", "柴油货车限行"},    {"non_road_machinery", "非道路移动机械停用"},
      {"voc_works_stop", "涉VOCs作业停止"},    {"petrol_unloading", "加油站限时卸油"},
      {"barbecue_ban", "禁止露天烧烤"},        {"residential_coal", "散煤管控"}};
  const auto it = names.find(id);
  return it == names.end() ? std::string_view() : it->second;
}

std::vector<TaskRow> task_rows(const Scenario& scenario, const MeasureInputs& in, const TimeAxis& period,
                               std::span<const ResponseWindow> windows) {
  const auto& inv = in.inventory;
  const Scenario loads = loads_only(scenario);
  std::vector<std::vector<std::size_t>> lines_of(inv.enterprises.size());
  for (std::size_t l = 0; l < inv.lines.size(); ++l) lines_of[inv.lines[l].enterprise].push_back(l);
  std::vector<TaskRow> units, sectors, customs, uniform, regional;
  // Line/enterprise rows per item in inventory order: collect per item, then concatenate.
  std::vector<std::vector<TaskRow>> per_line(inv.lines.size()), per_ent(inv.enterprises.size());
  for (const ScheduleSegment& seg : schedule(scenario, period, windows, in.settings)) {
    if (!seg.active()) continue;
    const UtcHour t0 = period.start() + seg.begin, t1 = period.start() + seg.end;
    const MeasureState st = resolve(loads, in, seg);
    auto base = [&](std::string kind, std::size_t e) {
      TaskRow r;
      r.scenario = scenario.name;
      r.kind = std::move(kind);
      r.level = seg.response ? seg.level : ResponseLevel::none;
      r.start = t0, r.end = t1;
      r.enterprise = inv.enterprises[e].id;
      r.enterprise_name = inv.enterprises[e].name;
      r.sector = std::string(emissions::sector_name(Sector::industry));
      r.department = inv.enterprises[e].department;
      r.department_assumed = r.department.empty();
      if (r.department_assumed) r.department = std::string(sector_department(Sector::industry));
      r.verification = std::string(kNoVerification);
      return r;
    };
    for (std::size_t l = 0; l < inv.lines.size(); ++l) {
      const double load = st.line_load[l];
      if (!(load < 1.0)) continue;
      TaskRow r = base("line", inv.lines[l].enterprise);
      r.line = inv.lines[l].id;
      r.line_name = inv.lines[l].name;
      r.action = load <= 0.0 ? "stop" : "limit";
      r.load_pct = pct(load);
      add(per_line[l], std::move(r));
    }
    for (std::size_t e = 0; e < inv.enterprises.size(); ++e) {
      if (!lines_of[e].empty()) continue;
      const double load = *std::min_element(st.rest[e].begin(), st.rest[e].end());
      if (!(load < 1.0)) continue;
      TaskRow r = base("enterprise", e);
      r.action = load <= 0.0 ? "stop" : "limit";
      r.load_pct = pct(load);
      add(per_ent[e], std::move(r));
    }
    const ResponseLevel level = seg.response ? seg.level : ResponseLevel::none;
    // A row of a measure that is not an enterprise's (sector, custom, regional, uniform).
    auto measure_row = [&](std::string kind) {
      TaskRow r;
      r.scenario = scenario.name;
      r.kind = std::move(kind);
      r.level = level;
      r.start = t0, r.end = t1;
      r.verification = std::string(kNoVerification);
      return r;
    };
    if (level != ResponseLevel::none && scenario.sector_measures)
      for (const SectorMeasure& m : builtin_sector_measures()) {
        const double cut = m.cut[index(level)];
        if (!(cut > 0.0) || !reaches_any(inv, m)) continue;
        TaskRow r = measure_row("sector");
        r.sector = m.sector ? std::string(emissions::sector_name(*m.sector)) : std::string("category: ") + std::string(m.category);
        r.measure = std::string(m.id);
        r.measure_text = std::string(m.measure);
        r.action = "cut";
        r.cut_pct = pct(cut);
        if (m.sector) {
          r.department = sector_departments(inv, *m.sector, r.department_assumed);
        } else {
          r.department = "商务局; 生态环境局";  // petrol stations (seed 000 annex: 加油站), assumed
          r.department_assumed = true;
        }
        add(sectors, std::move(r));
      }
    // Custom measures on surface sources (sector, district, category) or cutting emissions: the
    // measure as decreed, one row per measure (their lines, where they reach any, also have rows).
    for (std::size_t i = 0; i < scenario.measures.size(); ++i) {
      const CustomMeasure& m = scenario.measures[i];
      const TargetKind k = m.target.kind;
      const bool surface = k == TargetKind::sector || k == TargetKind::district || k == TargetKind::category;
      if (i >= seg.custom.size() || !seg.custom[i] || m.action.kind == ActionKind::none) continue;
      if (!surface && m.action.kind != ActionKind::cut) continue;
      TaskRow r = measure_row("custom");
      std::string values;
      for (const std::string& v : m.target.values) values += (values.empty() ? "" : ", ") + v;
      r.sector = std::string(target_kind_name(k)) + ": " + values;
      r.measure = m.name.empty() ? "measure " + std::to_string(i + 1) : m.name;
      r.measure_text = r.sector + ": " + describe(m.action);
      r.action = m.action.kind == ActionKind::cut ? "cut" : (m.action.kind == ActionKind::stop ? "stop" : "limit");
      if (m.action.kind == ActionKind::cut)
        r.cut_pct = pct(m.action.value);
      else
        r.load_pct = m.action.kind == ActionKind::stop ? 0 : pct(m.action.value);
      const std::optional<Sector> sector =
          k == TargetKind::sector && m.target.values.size() == 1 ? emissions::parse_sector(m.target.values[0]) : std::nullopt;
      if (sector) {
        r.department = sector_departments(inv, *sector, r.department_assumed);
      } else {
        r.department = "重污染天气应急指挥部各成员单位";
        r.department_assumed = true;
      }
      add(customs, std::move(r));
    }
    if (seg.response && scenario.regional_cut > 0.0) {
      // The region's part (区域联防联控): stated so that the list shows what the option assumes
      // of others; the department is the regional command, not a city unit.
      TaskRow r = measure_row("regional");
      r.sector = "regional inflow";
      r.measure = "regional_cut";
      r.measure_text = "区域联防联控：外来输送（边界入流）削减 " + std::to_string(pct(scenario.regional_cut)) +
                       "%（区域的任务，非本市）";
      r.action = "cut";
      r.cut_pct = pct(scenario.regional_cut);
      r.department = "区域（省）重污染天气应急指挥部";
      r.department_assumed = true;
      add(regional, std::move(r));
    }
    if (seg.response && scenario.uniform) {
      const emissions::Rates f =
          scenario.uniform_fractions ? *scenario.uniform_fractions : in.settings.uniform[index(level)];
      TaskRow r = measure_row("uniform");
      r.sector = "all";
      r.measure = "uniform";
      std::string text = "cut of every non-exempt source:";
      for (std::size_t p = 0; p < f.size(); ++p)
        if (f[p] > 0.0) {
          text += ' ';
          text += emissions::pollutant_name(static_cast<emissions::EmittedPollutant>(p));
          text += ' ';
          text += std::to_string(pct(f[p]));
          text += '%';
        }
      r.measure_text = text;
      r.action = "cut";
      r.cut_pct = pct(*std::max_element(f.begin(), f.end()));
      r.department = "重污染天气应急指挥部各成员单位";
      r.department_assumed = true;
      add(uniform, std::move(r));
    }
  }
  // Enterprises in inventory order, each with its own row (no lines) or its lines' rows.
  // (custom rows: after the sector rows, in measure order.)
  for (std::size_t e = 0; e < inv.enterprises.size(); ++e) {
    for (TaskRow& r : per_ent[e]) units.push_back(std::move(r));
    for (std::size_t l : lines_of[e])
      for (TaskRow& r : per_line[l]) units.push_back(std::move(r));
  }
  // Sector rows grouped by measure (table order), then time.
  std::stable_sort(sectors.begin(), sectors.end(), [](const TaskRow& a, const TaskRow& b) {
    auto rank = [](const TaskRow& r) {
      const auto t = builtin_sector_measures();
      for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i].id == r.measure) return i;
      return t.size();
    };
    return rank(a) < rank(b);
  });
  units.insert(units.end(), sectors.begin(), sectors.end());
  // Custom rows grouped by measure (the scenario's order), then time.
  std::vector<std::string> order;
  for (std::size_t i = 0; i < scenario.measures.size(); ++i)
    order.push_back(scenario.measures[i].name.empty() ? "measure " + std::to_string(i + 1) : scenario.measures[i].name);
  const auto rank = [&](const TaskRow& r) { return std::find(order.begin(), order.end(), r.measure) - order.begin(); };
  std::stable_sort(customs.begin(), customs.end(), [&](const TaskRow& a, const TaskRow& b) { return rank(a) < rank(b); });
  units.insert(units.end(), customs.begin(), customs.end());
  units.insert(units.end(), uniform.begin(), uniform.end());
  units.insert(units.end(), regional.begin(), regional.end());
  return units;
}

std::vector<TaskRow> forecast_task_rows(const ForecastResult& r, const CaseInputs& in) {
  std::vector<TaskRow> rows;
  const MeasureInputs mi = r.scenarios.inputs(in.inventory);
  for (const ScenarioOutcome& o : r.outcomes) {
    std::vector<TaskRow> one = task_rows(o.scenario, mi, in.period, r.windows);
    rows.insert(rows.end(), std::make_move_iterator(one.begin()), std::make_move_iterator(one.end()));
  }
  return rows;
}

namespace {
constexpr std::array<std::string_view, 18> kColumns{
    "scenario", "kind",   "level",   "enterprise", "enterprise_name", "line",       "line_name",
    "sector",   "measure", "measure_text", "action", "load_pct", "cut_pct", "start", "end", "department",
    "department_assumed", "verification"};
}

std::string tasks_csv(const std::vector<TaskRow>& rows, const TimeZone& zone) {
  std::string out;
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    if (c) out += ',';
    out += kColumns[c];
  }
  out += '\n';
  for (const TaskRow& r : rows) {
    const bool unit = r.kind == "line" || r.kind == "enterprise";
    const std::string cells[] = {r.scenario, r.kind, std::string(response_level_name(r.level)), r.enterprise,
                                 r.enterprise_name, r.line, r.line_name, r.sector, r.measure, r.measure_text,
                                 r.action, unit ? std::to_string(r.load_pct) : std::string(),
                                 unit ? std::string() : std::to_string(r.cut_pct), format_local(r.start, zone),
                                 format_local(r.end, zone), r.department, r.department_assumed ? "true" : "false",
                                 r.verification};
    bool first = true;
    for (const std::string& cell : cells) {
      if (!first) out += ',';
      first = false;
      out += csv_text(cell);
    }
    out += '\n';
  }
  return out;
}

std::vector<TaskRow> parse_tasks_csv(std::string text, const std::string& source, const TimeZone& zone) {
  CsvFile f(std::move(text), source, CsvOptions{false, true, "a header line"});
  std::array<int, kColumns.size()> col{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    col[c] = f.column(kColumns[c]);
    LANTIAN_CHECK(col[c] >= 0, (ErrorContext{source, f.header_line(), std::string(kColumns[c])}), "expected this column");
  }
  std::vector<TaskRow> rows;
  while (f.next()) {
    auto s = [&](std::size_t c) { return std::string(f.field(col[c])); };
    TaskRow r;
    r.scenario = s(0), r.kind = s(1);
    r.level = parse_response_level(s(2)).value_or(ResponseLevel::none);
    r.enterprise = s(3), r.enterprise_name = s(4), r.line = s(5), r.line_name = s(6), r.sector = s(7);
    r.measure = s(8), r.measure_text = s(9), r.action = s(10);
    r.load_pct = static_cast<int>(f.number(col[11], "load %", 100.0));
    r.cut_pct = static_cast<int>(f.number(col[12], "cut %", 0.0));
    r.start = parse_time(s(13), zone), r.end = parse_time(s(14), zone);
    r.department = s(15), r.department_assumed = s(16) == "true", r.verification = s(17);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string describe_tasks_zh(const std::vector<TaskRow>& rows) {
  std::set<std::string> ents, lines, sector_names_seen;
  std::vector<std::string> sector_list;
  std::set<ResponseLevel> levels;
  const TaskRow* uni = nullptr;
  const TaskRow* reg = nullptr;
  for (const TaskRow& r : rows) {
    if (r.level != ResponseLevel::none) levels.insert(r.level);
    if (r.kind == "line" || r.kind == "enterprise") {
      ents.insert(r.enterprise);
      if (r.kind == "line") lines.insert(r.enterprise + "/" + r.line);
    } else if (r.kind == "sector") {
      std::string zh(sector_measure_zh(r.measure));
      if (zh.empty()) zh = r.measure;
      if (sector_names_seen.insert(zh).second) sector_list.push_back(zh);
    } else if (r.kind == "custom") {
      if (sector_names_seen.insert(r.measure).second) sector_list.push_back(r.measure);  // its own label
    } else if (r.kind == "uniform" && !uni) {
      uni = &r;
    } else if (r.kind == "regional" && !reg) {
      reg = &r;
    }
  }
  if (rows.empty()) return "无减排任务（预报期内无响应时段）";
  std::string out;
  if (levels.size() == 1) out += level_zh(*levels.begin());
  else if (levels.size() > 1) out += "按预警级别";
  if (uni) {
    out += "统一比例减排：";
    out += "非豁免源各污染物减排 ";
    out += std::to_string(uni->cut_pct);
    out += "%";
  }
  if (!ents.empty()) {
    if (uni) out += "；";
    out += "一厂一策：";
    out += std::to_string(ents.size());
    out += " 家企业";
    if (!lines.empty()) {
      out += " ";
      out += std::to_string(lines.size());
      out += " 条生产线";
    }
    out += "停产或限产";
  }
  if (!sector_list.empty()) {
    out += ents.empty() && !uni ? "行业措施：" : "，另";
    for (std::size_t i = 0; i < sector_list.size(); ++i) {
      if (i) out += "、";
      out += sector_list[i];
    }
  }
  if (reg) {
    out += out.empty() ? "" : "；";
    out += "区域联防联控：外来输送削减 " + std::to_string(reg->cut_pct) + "%";
  }
  return out;
}

}  // namespace lantian
