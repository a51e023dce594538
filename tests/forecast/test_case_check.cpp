// check_case (forecast/case_check.hpp) on the demo city and on broken variants of it. Reference
// figures are independent of the library: the inventory generator's own totals
// (examples/demo-city/inventory/totals.csv, summed in Python by make_inventory.py), sums of the
// CSV rate columns made here, and the synthetic episode's closed-form mixing height and wind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/demo_copy.hpp"
#include "core/case_config.hpp"
#include "emissions/units.hpp"
#include "forecast/case_check.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/run_resources.hpp"

using namespace lantian;
using lantian::test::read_csv;
using lantian::test::read_text;

namespace {

const std::string kDemoDir = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city";
const std::string kDemoCase = kDemoDir + "/case.toml";

/// The demo case text with the first `from` replaced by `to`.
std::string demo_text(const std::string& from = "", const std::string& to = "") {
  std::string s = read_text(kDemoCase);
  if (from.empty()) return s;
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

/// 1-based line of the first occurrence of `needle` in `text`.
long line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

/// A demo-case variant loaded as "case.toml" with relative paths resolved in the demo folder.
CaseConfig demo_variant(const std::string& text) { return load_case_string(text, "case.toml", kDemoDir); }

/// totals.csv rows (t/yr, or counts for count:*), comment lines skipped.
std::map<std::string, std::vector<double>> generator_totals() {
  std::map<std::string, std::vector<double>> out;
  for (const auto& row : read_csv(kDemoDir + "/inventory/totals.csv")) {
    if (row.empty() || row[0].empty() || row[0][0] == '#' || row[0] == "key") continue;
    std::vector<double> v;
    for (std::size_t c = 1; c < row.size(); ++c) v.push_back(std::stod(row[c]));
    out[row[0]] = v;
  }
  return out;
}

/// Sum of the six rate columns (t/yr) of an inventory CSV, read here with a plain CSV reader.
std::vector<double> column_sums(const std::string& file, std::size_t* rows = nullptr, std::size_t* exempt = nullptr) {
  static const std::vector<std::string> kCols{"so2", "nox", "pm25", "pm10", "vocs", "nh3"};
  const auto table = read_csv(kDemoDir + "/inventory/" + file);
  std::vector<std::string> header;
  std::vector<double> sum(6, 0.0);
  std::size_t n = 0, n_exempt = 0;
  for (const auto& row : table) {
    if (row.empty() || (!row[0].empty() && row[0][0] == '#')) continue;
    if (header.empty()) {
      header = row;
      continue;
    }
    ++n;
    for (std::size_t p = 0; p < kCols.size(); ++p) {
      const auto it = std::find(header.begin(), header.end(), kCols[p]);
      REQUIRE(it != header.end());
      const std::string& cell = row[static_cast<std::size_t>(it - header.begin())];
      if (!cell.empty()) sum[p] += std::stod(cell);
    }
    const auto ex = std::find(header.begin(), header.end(), "exempt");
    if (ex != header.end() && row[static_cast<std::size_t>(ex - header.begin())] == "true") ++n_exempt;
  }
  if (rows) *rows = n;
  if (exempt) *exempt = n_exempt;
  return sum;
}

double tpy(double g_per_s) { return emissions::to_tonnes_per_year(g_per_s); }

}  // namespace

TEST_CASE("the demo case is valid and its totals are the inventory's own", "[check][demo]") {
  const CaseConfig config = load_case(kDemoCase);
  CHECK(config.stations.size() >= 6);
  CHECK(config.stations.size() <= 10);
  const CaseCheckReport r = check_case(config);
  INFO(format_check_report(r));
  REQUIRE(r.valid());
  REQUIRE(r.emissions_ok);
  REQUIRE(r.met_ok);
  CHECK(r.stations_inside == config.stations.size());
  CHECK(r.grid.layer_tops.size() == 20);
  CHECK(r.grid.layer_tops.back() == Approx(4000.0));

  const auto ref = generator_totals();
  const std::vector<std::string> pollutants{"so2", "nox", "pm25", "pm10", "vocs", "nh3"};
  for (std::size_t p = 0; p < 6; ++p) {
    INFO(pollutants[p]);
    CHECK(tpy(r.totals.total[p]) == Approx(ref.at("total")[p]).epsilon(1e-9));
    CHECK(tpy(r.totals.exempt[p]) == Approx(ref.at("exempt")[p]).epsilon(1e-9).margin(1e-9));
    for (int s = 0; s < emissions::kSectorCount; ++s) {
      const std::string key = "sector:" + std::string(emissions::sector_name(static_cast<emissions::Sector>(s)));
      const double expected = ref.count(key) ? ref.at(key)[p] : 0.0;
      INFO(key);
      CHECK(tpy(r.totals.by_sector[static_cast<std::size_t>(s)][p]) == Approx(expected).epsilon(1e-9).margin(1e-9));
    }
  }
  std::size_t districts = 0;
  for (const auto& [key, v] : ref) {
    if (key.rfind("district:", 0) != 0) continue;
    ++districts;
    const std::string d = key.substr(9);
    INFO(d);
    REQUIRE(r.totals.by_district.count(d) == 1);
    for (std::size_t p = 0; p < 6; ++p) CHECK(tpy(r.totals.by_district.at(d)[p]) == Approx(v[p]).epsilon(1e-9).margin(1e-9));
  }
  CHECK(r.totals.by_district.size() == districts);
  for (int g = 0; g < emissions::kGradeCount; ++g) {
    const std::string key = "count:" + std::string(emissions::grade_name(static_cast<emissions::Grade>(g)));
    CHECK(r.totals.enterprise_count_by_grade[static_cast<std::size_t>(g)] == static_cast<int>(ref.at(key)[0]));
  }
  const auto& counts = ref.at("count:enterprises");  // enterprises, stacks, lines, areas, roads
  CHECK(r.enterprises == static_cast<std::size_t>(counts[0]));
  CHECK(r.stacks == static_cast<std::size_t>(counts[1]));
  CHECK(r.lines == static_cast<std::size_t>(counts[2]));
  CHECK(r.area_sources == static_cast<std::size_t>(counts[3]));
  CHECK(r.roads == static_cast<std::size_t>(counts[4]));

  // Second reference: the rate columns of the three source files summed here (all in t/yr).
  std::size_t n_ent = 0, n_exempt = 0;
  const auto ent = column_sums("enterprises.csv", &n_ent, &n_exempt);
  const auto area = column_sums("area_sources.csv");
  const auto road = column_sums("roads.csv");
  CHECK(n_ent == r.enterprises);
  CHECK(n_exempt == r.exempt_enterprises);
  CHECK(n_exempt > 0);
  for (std::size_t p = 0; p < 6; ++p) CHECK(tpy(r.totals.total[p]) == Approx(ent[p] + area[p] + road[p]).epsilon(1e-9));

  const std::string text = format_check_report(r);
  CHECK_THAT(text, Catch::Contains("case OK"));
  CHECK_THAT(text, Catch::Contains("10000.0 t/yr"));  // SO2, the generator's round city total
}

TEST_CASE("the 静稳 summary follows the synthetic episode's formulas", "[check][demo][meteo]") {
  const CaseConfig config = load_case(kDemoCase);
  const CaseCheckReport r = check_case(config);
  REQUIRE(r.met_ok);
  // The demo's episode: PBLH = 120 + 530 s, U10 = 0.8 + 1.4 s, s = max(0, sin(pi (h - 8) / 12)),
  // h the local hour; the period starts at 16:00 local on the 12th and lasts 72 h.
  std::map<std::string, std::pair<int, int>> expected;  // day -> (shallow, weak)
  std::vector<std::string> days;
  for (int n = 0; n < 72; ++n) {
    const int h = (16 + n) % 24;
    const int day = 12 + (16 + n) / 24;
    const std::string date = "2024-12-" + std::to_string(day);
    if (days.empty() || days.back() != date) days.push_back(date);
    const double s = std::max(0.0, std::sin(std::numbers::pi * (h - 8) / 12.0));
    expected[date].first += (120.0 + 530.0 * s) < 500.0;
    expected[date].second += (0.8 + 1.4 * s) < 2.0;
  }
  REQUIRE(r.stagnation.size() == days.size());
  for (std::size_t d = 0; d < days.size(); ++d) {
    INFO(days[d]);
    CHECK(r.stagnation[d].date == days[d]);
    CHECK(r.stagnation[d].shallow_mixing == expected[days[d]].first);
    CHECK(r.stagnation[d].weak_wind == expected[days[d]].second);
    CHECK(r.stagnation[d].pblh_min == Approx(120.0));
  }
  CHECK(r.stagnation.front().hours == 8);  // 16:00 .. 23:00 on the first day
  CHECK(r.stagnation.back().hours == 16);  // 00:00 .. 15:00 on the last
}

TEST_CASE("meteorology that does not cover the period is an error naming the uncovered hour", "[check][meteo]") {
  // The episode lasts 48 h from the period start: 2024-12-12T16:00 + 48 h = 2024-12-14T16:00
  // local (08:00Z) is the first hour without meteorology.
  const std::string text = demo_text("pblh_night = 120.0", "hours = 48\npblh_night = 120.0");
  const CaseCheckReport r = check_case(demo_variant(text));
  REQUIRE(r.errors.size() == 1);
  const std::string& e = r.errors.front();
  CHECK_THAT(e, Catch::StartsWith("case.toml:" + std::to_string(line_of(text, "source = \"synthetic\""))));
  CHECK_THAT(e, Catch::Contains("does not cover 2024-12-14T16:00:00+08:00 (2024-12-14T08:00:00Z)"));
  CHECK_FALSE(r.met_ok);
  CHECK(r.emissions_ok);  // the other sections are still checked

  // Starting two hours late: the period's first hour is the uncovered one.
  const CaseCheckReport late =
      check_case(demo_variant(demo_text("pblh_night = 120.0", "start = \"2024-12-12T18:00\"\npblh_night = 120.0")));
  REQUIRE(late.errors.size() == 1);
  CHECK_THAT(late.errors.front(), Catch::Contains("does not cover 2024-12-12T16:00:00+08:00"));
}

TEST_CASE("a station outside the grid is an error with its line, as the run refuses it", "[check][stations]") {
  const std::string text = demo_text("[[stations]]\nid = \"Chengzhong\"",
                                     "[[stations]]\nid = \"Far\"\nlon = 120.5\nlat = 32.0\n\n[[stations]]\nid = \"Chengzhong\"");
  const CaseCheckReport r = check_case(demo_variant(text));
  CHECK_FALSE(r.valid());  // issue 18: check refuses what run refuses
  CHECK(r.stations_inside + 1 == r.stations);
  bool found = false;
  for (const std::string& w : r.errors)
    if (w.find("station Far") != std::string::npos) {
      found = true;
      CHECK_THAT(w, Catch::StartsWith("case.toml:" + std::to_string(line_of(text, "lon = 120.5"))));
      CHECK_THAT(w, Catch::Contains("outside the grid"));
    }
  CHECK(found);
}

TEST_CASE("a source outside the domain is an error naming the inventory file and line", "[check][emissions]") {
  const lantian::test::TempDir dir;
  lantian::test::write_text(dir / "enterprises.csv",
                            "# unit: t/yr\n"
                            "id,name,industry,grade,exempt,exempt_reason,district,x,y,so2,nox,pm25,pm10,vocs,nh3\n"
                            "X1,Inside,cement,B,false,,Chengzhong,1000,1000,10,20,5,6,1,0\n"
                            "X2,Outside,cement,C,false,,Chengzhong,45000,1000,10,20,5,6,1,0\n");
  const std::string text = demo_text("folder = \"inventory\"", "folder = \"" + dir.path().string() + "\"");
  const CaseCheckReport r = check_case(demo_variant(text));
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors.front(), Catch::StartsWith(dir / "enterprises.csv:4"));
  CHECK_FALSE(r.emissions_ok);
}

/// The demo case text with its [meteo] section (up to the emissions comment) replaced by `meteo`.
std::string with_meteo(const std::string& meteo) {
  std::string s = demo_text();
  const auto a = s.find("[meteo]\n");
  const auto b = s.find("# Emission inventory");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  return s.replace(a, b - a, meteo);
}

TEST_CASE("missing meteorology, a missing met file or inventory folder are errors with their line", "[check]") {
  const CaseCheckReport none = check_case(demo_variant(with_meteo("")));
  REQUIRE(none.errors.size() == 1);
  CHECK_THAT(none.errors.front(), Catch::Contains("no meteorology"));

  const std::string station = with_meteo("[meteo]\nsource = \"station\"\nfiles = [\"met/none.csv\"]\n\n");
  const CaseCheckReport missing = check_case(demo_variant(station));
  REQUIRE(missing.errors.size() == 1);
  CHECK_THAT(missing.errors.front(),
             Catch::StartsWith("case.toml:" + std::to_string(line_of(station, "files = [")) + ": meteo.files[0]: no such file"));

  const std::string text = demo_text("folder = \"inventory\"", "folder = \"no-such-inventory\"");
  const CaseCheckReport r = check_case(demo_variant(text));
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors.front(), Catch::StartsWith("case.toml:" + std::to_string(line_of(text, "no-such-inventory"))));
  CHECK_THAT(r.errors.front(), Catch::Contains("no such folder"));
}

TEST_CASE("assemble_case builds the demo's grid, meteorology and inventory", "[check][demo]") {
  const CaseInputs in = assemble_case(load_case(kDemoCase));
  CHECK(in.grid.nx() == 80);
  CHECK(in.period.size() == 72);
  const auto [first, last] = in.met->coverage();
  CHECK(first == in.period.start());
  CHECK(last == in.period.end());
  CHECK(in.inventory.enterprises.size() >= 80);
}

TEST_CASE("a station-profile source is read and its coverage checked", "[check][meteo]") {
  // Hourly rows from 2024-12-12T16:00 local; the period needs 73 (16:00 on the 12th .. 16:00 on the 15th).
  const auto station_csv = [](int rows) {
    std::string s = "time,wind10_m_s,wind10_dir_deg,t2_c,rh2_pct,pblh_m\n";
    for (int n = 0; n < rows; ++n) {
      const int h = 16 + n;
      char buf[96];
      std::snprintf(buf, sizeof buf, "2024-12-%02dT%02d:00,1.5,90,3.0,85,300\n", 12 + h / 24, h % 24);
      s += buf;
    }
    return s;
  };
  const lantian::test::TempDir dir;
  const std::string meteo = "[meteo]\nsource = \"station\"\nfiles = [\"" + (dir / "station.csv") + "\"]\n\n";

  lantian::test::write_text(dir / "station.csv", station_csv(73));
  const CaseCheckReport ok = check_case(demo_variant(with_meteo(meteo)));
  INFO(format_check_report(ok));
  REQUIRE(ok.valid());
  CHECK(ok.met_times == 73);
  // Every hour: wind 1.5 < 2, PBLH 300 < 500, RH 85 > 80; T is the standard lapse above T2, so
  // no inversion: three indicators every hour, never four.
  for (const StagnationDay& d : ok.stagnation) {
    CHECK(d.weak_wind == d.hours);
    CHECK(d.shallow_mixing == d.hours);
    CHECK(d.humid == d.hours);
    CHECK(d.inversion == 0);
    CHECK(d.three_or_more == d.hours);
  }

  lantian::test::write_text(dir / "station.csv", station_csv(72));
  const CaseCheckReport short_met = check_case(demo_variant(with_meteo(meteo)));
  REQUIRE(short_met.errors.size() == 1);
  CHECK_THAT(short_met.errors.front(), Catch::Contains("does not cover 2024-12-15T16:00:00+08:00 (2024-12-15T08:00:00Z)"));
}

// ---- Everything run reads, checked before the run (issue 18) ------------------------------------

namespace {

namespace fs = std::filesystem;

/// A copied demo case broken in one place: the file and line the error must name.
struct Broken {
  std::string case_file, file, needle;
  long line = 0;
};

/// The four reproducers of issue 18 on a copy of the demo in `dir`: `kind` 0 a scenario level
/// ("orang"), 1 a plans.csv action, 2 the boundary file missing, 3 an unknown process.
Broken break_demo(const test::TempDir& dir, int kind) {
  Broken b;
  b.case_file = test::copy_demo(dir);
  const fs::path demo = dir.path() / "demo-city";
  const std::string plans = (demo / "inventory" / "plans.csv").string();
  switch (kind) {
    case 0:
      test::edit_file(b.case_file, "level = \"orange\"", "level = \"orang\"");
      b.file = b.case_file, b.needle = "orang", b.line = test::line_in(b.case_file, "\"orang\"");
      break;
    case 1:
      test::edit_file(plans, "E004-L3,E004,limit 80,stop,stop", "E004-L3,E004,limt 80,stop,stop");
      b.file = plans, b.needle = "limt 80", b.line = test::line_in(plans, "limt 80");
      break;
    case 2:
      fs::remove(demo / "boundary.csv");
      b.file = b.case_file, b.needle = "boundary.csv", b.line = test::line_in(b.case_file, "boundary_file =");
      break;
    default:
      test::edit_file(b.case_file, "tags = \"sector\"", "tags = \"sector\"\nprocesses = [\"emissions\", \"advektion\"]");
      b.file = b.case_file, b.needle = "advektion", b.line = test::line_in(b.case_file, "processes =");
  }
  return b;
}

}  // namespace

TEST_CASE("check reads what run reads: scenario levels, plans, the boundary file, processes", "[check][run]") {
  const test::TempDir dir;
  const int kind = GENERATE(0, 1, 2, 3);
  const Broken b = break_demo(dir, kind);
  const CaseCheckReport r = check_case(load_case(b.case_file));
  INFO(format_check_report(r));
  REQUIRE(r.errors.size() == 1);
  const std::string name = fs::path(b.file).filename().string();
  CHECK_THAT(r.errors.front(), Catch::Contains(name + ":" + std::to_string(b.line)));
  CHECK_THAT(r.errors.front(), Catch::Contains(b.needle));
  // assemble_case (the first thing run does) stops with the same error, before the baseline.
  CHECK_THROWS_WITH(assemble_case(load_case(b.case_file)), r.errors.front());
}

TEST_CASE("the demo copy passes check with its scenarios and the memory a run needs", "[check][demo][run]") {
  const test::TempDir dir;
  const std::string case_file = test::copy_demo(dir);
  const CaseCheckReport r = check_case(load_case(case_file));
  INFO(format_check_report(r));
  REQUIRE(r.valid());
  CHECK(r.scenarios_checked);
  CHECK(r.scenarios == 8);  // orange-plus, red-regional and the six standard ones
  REQUIRE(r.resources_ok);
  // 9 sector tags + background: 11 fields per species, of 84 x 84 x 20 doubles (halo 2).
  CHECK(r.resources.tags == 10);
  CHECK(r.resources.concentration_bytes == 9ull * 11 * 84 * 84 * 20 * 8);
  CHECK(r.resources.fits());
  const std::string text = format_check_report(r);
  CHECK_THAT(text, Catch::Contains("memory") && Catch::Contains("80 x 80 x 20 cells x 9 species x 11 fields"));
  CHECK_THAT(text, Catch::Contains("disk"));
  const CaseInputs in = assemble_case(load_case(case_file));
  REQUIRE(in.scenarios.has_value());
  CHECK(in.scenarios->scenarios.size() == 8);
  CHECK(in.rules.has_value());
}

TEST_CASE("a 2000 x 2000 x 20 grid is refused at once, naming the memory it needs", "[check][run]") {
  const test::TempDir dir;
  const std::string case_file = test::copy_demo(dir);
  test::edit_file(case_file, "nx = 80", "nx = 2000");
  test::edit_file(case_file, "ny = 80", "ny = 2000");
  test::edit_file(case_file, "x0 = -40000.0", "x0 = -1000000.0");
  test::edit_file(case_file, "y0 = -40000.0", "y0 = -1000000.0");
  const auto t0 = std::chrono::steady_clock::now();
  const CaseCheckReport r = check_case(load_case(case_file));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(format_check_report(r));
  REQUIRE(r.resources_ok);
  // The state alone, computed here: 9 species x 11 fields x 2004 x 2004 x 20 doubles = 63.6 GB.
  CHECK(r.resources.concentration_bytes == 9ull * 11 * 2004 * 2004 * 20 * 8);
  CHECK(r.resources.memory_bytes > 2 * r.resources.concentration_bytes - r.resources.concentration_bytes / 10);
  if (r.resources.fits()) {
    WARN("this machine has " << format_bytes(r.resources.machine.available) << ": the 2000 x 2000 case fits");
    return;
  }
  REQUIRE(r.errors.size() == 1);
  const std::string& e = r.errors.front();
  CHECK_THAT(e, Catch::StartsWith(case_file + ":" + std::to_string(test::line_in(case_file, "nx = 2000"))));
  CHECK_THAT(e, Catch::Contains("needs " + format_bytes(r.resources.memory_bytes)) &&
                    Catch::Contains("2000 x 2000 x 20 cells x 9 species x 11 fields") &&
                    Catch::Contains(format_bytes(r.resources.machine.available) + " available"));
  CHECK(seconds < 30.0);  // no meteorology state of 2000 x 2000 x 20 cells was built
  // MemAvailable moves between the two calls: compare up to the available figure.
  CHECK_THROWS_WITH(assemble_case(load_case(case_file)), Catch::StartsWith(e.substr(0, e.find(" but this machine"))));
}
