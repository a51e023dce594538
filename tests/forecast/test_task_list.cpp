// The per-option task list (forecast/task_list.hpp) on a small inventory built here: the rows are
// the measure model's stops and limits (count, loads, times) worked out by hand from the plans,
// the grade defaults and the sector table of scenarios/measures.cpp, and tasks.csv reads back.
#include <catch2/catch.hpp>

#include <string>

#include "forecast/task_list.hpp"

using namespace lantian;

namespace {

const TimeZone kZone{"Asia/Shanghai"};
const UtcHour kT0 = parse_time("2024-12-11T00:00Z", kZone);

// E1 grade C, lines L1, L2 (cannot stop, min load 0.4), L3; department "生态环境局西区分局".
// E2 grade A, exempt, line L4.  E3 grade D, no line, no department.
// A1 construction dust with department "住建局(清单)".
emissions::Inventory inventory() {
  emissions::Inventory inv;
  auto ent = [&](std::string id, emissions::Grade g, bool exempt, std::string dept) {
    emissions::Enterprise e;
    e.id = id;
    e.name = id + " works";
    e.industry = "steel";
    e.grade = g;
    e.exempt = exempt;
    e.department = std::move(dept);
    e.rates = {10.0, 20.0, 4.0, 6.0, 8.0, 0.0};
    inv.enterprises.push_back(e);
  };
  ent("E1", emissions::Grade::C, false, "生态环境局西区分局");
  ent("E2", emissions::Grade::A, true, "生态环境局");
  ent("E3", emissions::Grade::D, false, "");
  auto line = [&](std::string id, std::size_t e, bool can_stop, double min_load) {
    emissions::ProductionLine l;
    l.id = id;
    l.name = "line " + id;
    l.enterprise = e;
    l.share.fill(0.3);
    l.can_stop = can_stop;
    l.min_load = min_load;
    inv.lines.push_back(l);
  };
  line("L1", 0, true, 0.0);
  line("L2", 0, false, 0.4);
  line("L3", 0, true, 0.0);
  line("L4", 1, true, 0.0);
  emissions::AreaSource a;
  a.id = "A1";
  a.sector = emissions::Sector::construction_dust;
  a.department = "住建局(清单)";
  a.polygons = {emissions::Polygon{{{0, 0}, {100, 0}, {100, 100}}, {}}};
  a.rates = {0.0, 0.0, 1.0, 2.0, 0.0, 0.0};
  inv.areas.push_back(a);
  return inv;
}

LinePlans plans(const emissions::Inventory& inv) {
  LinePlans p = LinePlans::none(inv);
  const Action none{}, stop{ActionKind::stop, 0.0};
  const Action limit80{ActionKind::limit, 0.8};
  p.line[0] = std::array<Action, 3>{limit80, stop, stop};  // L1
  p.line[1] = std::array<Action, 3>{none, stop, stop};     // L2: cannot stop -> its min load 40 %
  p.line[2] = std::array<Action, 3>{none, none, none};     // L3: no action
  p.line[3] = std::array<Action, 3>{stop, stop, stop};     // L4: exempt enterprise, untouched
  p.enterprise_has_plan = {true, true, false};
  return p;
}

const TaskRow* find(const std::vector<TaskRow>& rows, std::string_view kind, std::string_view key) {
  for (const TaskRow& r : rows)
    if (r.kind == kind && (r.line == key || (r.line.empty() && r.enterprise == key) || r.measure == key)) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("task list: the plans' stops and limits, the grade default and the sector measures at orange",
          "[forecast][task_list]") {
  const emissions::Inventory inv = inventory();
  const LinePlans lp = plans(inv);
  const ResponseSettings settings = ResponseSettings::defaults();  // lead 3 h
  const MeasureInputs in{inv, lp, settings};
  const TimeAxis period(kT0, 48, kZone);
  // Orange window 06:00Z-30:00Z: measures from 09:00Z (lead 3 h) to 30:00Z.
  const std::vector<ResponseWindow> windows{{kT0 + 6, kT0 + 30, ResponseLevel::orange}};
  Scenario sc;
  sc.name = "plans-orange";
  sc.level = ResponseLevel::orange;
  sc.plans = true;
  sc.sector_measures = true;
  const std::vector<TaskRow> rows = task_rows(sc, in, period, windows);

  // By hand: L1 stop (0 %), L2 limit at its min load 40 %, E3 (grade D, no line) orange default
  // limit 50 %; L3 no action, L4 exempt: 3 unit rows. Orange cuts of the sector table > 0: all 8,
  // less petrol_unloading (category "petrol stations": no source of it here): 7.
  REQUIRE(rows.size() == 3 + 7);
  CHECK(find(rows, "sector", "petrol_unloading") == nullptr);
  const TaskRow* l1 = find(rows, "line", "L1");
  const TaskRow* l2 = find(rows, "line", "L2");
  const TaskRow* e3 = find(rows, "enterprise", "E3");
  REQUIRE(l1);
  REQUIRE(l2);
  REQUIRE(e3);
  CHECK(find(rows, "line", "L3") == nullptr);
  CHECK(find(rows, "line", "L4") == nullptr);
  CHECK(l1->action == "stop");
  CHECK(l1->load_pct == 0);
  CHECK(l2->action == "limit");
  CHECK(l2->load_pct == 40);
  CHECK(e3->action == "limit");
  CHECK(e3->load_pct == 50);
  for (const TaskRow* r : {l1, l2, e3}) {
    CHECK(r->start == kT0 + 9);
    CHECK(r->end == kT0 + 30);
    CHECK(r->verification == "none in the inventory");
  }
  CHECK(l1->department == "生态环境局西区分局");
  CHECK_FALSE(l1->department_assumed);
  CHECK(e3->department_assumed);
  // Sector rows: the table's orange cuts, the inventory's department where it has one.
  const TaskRow* cons = find(rows, "sector", "construction_stop");
  const TaskRow* wash = find(rows, "sector", "road_washing");
  const TaskRow* nrm = find(rows, "sector", "non_road_machinery");
  REQUIRE(cons);
  REQUIRE(wash);
  REQUIRE(nrm);
  CHECK(cons->cut_pct == 70);
  CHECK(wash->cut_pct == 20);
  CHECK(nrm->cut_pct == 50);
  CHECK(cons->department == "住建局(清单)");
  CHECK_FALSE(cons->department_assumed);
  CHECK(wash->department == "城市管理局");
  CHECK(wash->department_assumed);
  CHECK(cons->start == kT0 + 9);
  CHECK(cons->end == kT0 + 30);

  CHECK(describe_tasks_zh(rows) ==
        "橙色预警一厂一策：2 家企业 2 条生产线停产或限产，另施工停工、道路冲洗、柴油货车限行、非道路移动机械停用、"
        "涉VOCs作业停止、禁止露天烧烤、散煤管控");

  // tasks.csv: local times with offset, and it reads back row for row.
  const std::string csv = tasks_csv(rows, kZone);
  CHECK(csv.find("2024-12-11T17:00:00+08:00,2024-12-12T14:00:00+08:00") != std::string::npos);
  const std::vector<TaskRow> back = parse_tasks_csv(csv, "tasks.csv", kZone);
  REQUIRE(back.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(back[i].line == rows[i].line);
    CHECK(back[i].load_pct == rows[i].load_pct);
    CHECK(back[i].cut_pct == rows[i].cut_pct);
    CHECK(back[i].start == rows[i].start);
    CHECK(back[i].end == rows[i].end);
    CHECK(back[i].level == rows[i].level);
  }
}

TEST_CASE("task list: following the timeline, a line changes action with the level, uniform cuts",
          "[forecast][task_list]") {
  const emissions::Inventory inv = inventory();
  const LinePlans lp = plans(inv);
  const ResponseSettings settings = ResponseSettings::defaults();
  const MeasureInputs in{inv, lp, settings};
  const TimeAxis period(kT0, 48, kZone);
  // Yellow 00-12Z, orange 12-40Z: with the 3-h lead, yellow measures 03-15Z, orange 15-40Z.
  const std::vector<ResponseWindow> windows{{kT0, kT0 + 12, ResponseLevel::yellow},
                                            {kT0 + 12, kT0 + 40, ResponseLevel::orange}};
  Scenario sc;
  sc.name = "plans";
  sc.follow_timeline = true;
  sc.plans = true;
  const std::vector<TaskRow> rows = task_rows(sc, in, period, windows);
  // L1: limit 80 % at yellow, then stop; L2: stop at orange only (-> 40 %); E3 (grade D): yellow
  // limit 70 %, orange limit 50 %. 5 rows.
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].line == "L1");
  CHECK(rows[0].load_pct == 80);
  CHECK(rows[0].start == kT0 + 3);
  CHECK(rows[0].end == kT0 + 15);
  CHECK(rows[1].line == "L1");
  CHECK(rows[1].action == "stop");
  CHECK(rows[1].start == kT0 + 15);
  CHECK(rows[1].end == kT0 + 40);
  CHECK(rows[2].line == "L2");
  CHECK(rows[2].load_pct == 40);
  CHECK(rows[2].start == kT0 + 15);
  CHECK(rows[3].enterprise == "E3");
  CHECK(rows[3].load_pct == 70);
  CHECK(rows[3].end == kT0 + 15);
  CHECK(rows[4].enterprise == "E3");
  CHECK(rows[4].load_pct == 50);
  CHECK(describe_tasks_zh(rows) == "按预警级别一厂一策：2 家企业 2 条生产线停产或限产");

  Scenario uni;
  uni.name = "uniform-red";
  uni.level = ResponseLevel::red;
  uni.uniform = true;
  const std::vector<TaskRow> u = task_rows(uni, in, period, windows);
  // Two windows back to back: the response holds 03-40Z, one uniform row of 30 %.
  REQUIRE(u.size() == 1);
  CHECK(u[0].kind == "uniform");
  CHECK(u[0].cut_pct == 30);
  CHECK(u[0].start == kT0 + 3);
  CHECK(u[0].end == kT0 + 40);
  CHECK(describe_tasks_zh(u) == "红色预警统一比例减排：非豁免源各污染物减排 30%");
}

TEST_CASE("task list: custom measures on surface sources and cuts have their own rows", "[forecast][task_list]") {
  const emissions::Inventory inv = inventory();
  const LinePlans lp = plans(inv);
  const ResponseSettings settings = ResponseSettings::defaults();
  const MeasureInputs in{inv, lp, settings};
  const TimeAxis period(kT0, 48, kZone);
  const std::vector<ResponseWindow> windows{{kT0 + 6, kT0 + 30, ResponseLevel::orange}};
  Scenario sc;
  sc.name = "custom";
  sc.level = ResponseLevel::orange;
  CustomMeasure stop_sites;  // response-tied: 09-30Z
  stop_sites.name = "all construction stops";
  stop_sites.target = {TargetKind::sector, {"construction_dust"}};
  stop_sites.action = {ActionKind::stop, 0.0};
  CustomMeasure cut_west;  // own times 20-26Z, no name
  cut_west.target = {TargetKind::district, {"West"}};
  cut_west.action = {ActionKind::cut, 0.2};
  cut_west.start = kT0 + 20;
  cut_west.end = kT0 + 26;
  CustomMeasure steel;  // a line-load measure: listed as the lines' rows, not as a custom row
  steel.target = {TargetKind::industry, {"steel"}};
  steel.action = {ActionKind::limit, 0.6};
  sc.measures = {stop_sites, cut_west, steel};
  const std::vector<TaskRow> rows = task_rows(sc, in, period, windows);
  std::vector<const TaskRow*> custom;
  for (const TaskRow& r : rows)
    if (r.kind == "custom") custom.push_back(&r);
  // By hand: the construction stop as one row 09-30Z (the segments split at 20 and 26 by the
  // district cut continue it unchanged), the district cut as one row 20-26Z.
  REQUIRE(custom.size() == 2);
  CHECK(custom[0]->measure == "all construction stops");
  CHECK(custom[0]->action == "stop");
  CHECK(custom[0]->load_pct == 0);
  CHECK(custom[0]->start == kT0 + 9);
  CHECK(custom[0]->end == kT0 + 30);
  CHECK(custom[0]->sector == "sector: construction_dust");
  CHECK(custom[0]->department == "住建局(清单)");  // the inventory's department of the sector
  CHECK(custom[1]->measure == "measure 2");
  CHECK(custom[1]->action == "cut");
  CHECK(custom[1]->cut_pct == 20);
  CHECK(custom[1]->start == kT0 + 20);
  CHECK(custom[1]->end == kT0 + 26);
  CHECK(custom[1]->department_assumed);
  // The steel limit: L1, L2, L3 of E1 (non-exempt) at 60 %, E3 (no line) at 60 % -> unit rows.
  CHECK(find(rows, "line", "L1") != nullptr);
  CHECK(find(rows, "line", "L1")->load_pct == 60);
  CHECK(describe_tasks_zh(rows).find("all construction stops") != std::string::npos);
}
