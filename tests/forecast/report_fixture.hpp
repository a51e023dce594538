#pragma once
// A small, fast stand-in for a `lantian run` folder of the demo city, for the report tests
// (tests/scenarios/test_report_model.cpp, tests/apps/test_report_cli.cpp): the demo case
// shortened to `hours` with its paths made absolute and its inventory copied (the first
// enterprise renamed), and a run folder whose scenario_series.csv, scenarios.csv and
// scenarios.json follow forecast/forecast_output.hpp with known values (and tasks.csv, forecast/task_list.hpp):
//   baseline PM2.5 = 100 µg/m³ at every station and hour, option "half" = 50, option "none" = 100;
//   response window red from hour 2 to hour hours-1; in scenarios.csv/json only, "yellow-cheap":
//   a yellow-level option meeting its (yellow) floors at the lowest cost.
// fields.nc (PM25_sfc(time,y,x) on the demo grid, max 300 at hour 5, cell (10, 20); time and
// time_bnds hour-beginning, as `lantian run` writes them) is written with Debian's
// python3-netcdf4 when `with_fields`; the history names the case file.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace lantian::test::report {

namespace fs = std::filesystem;

inline const std::vector<std::string> kStations{"Chengzhong", "Beiyuan",  "Donggang", "Nanhu",
                                                "Xishan",     "Jiangbei", "Lingang",  "Shuiku"};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// Local ISO time of hour h from 2024-12-12T16:00+08:00 (h < 32 stays within two days).
inline std::string local_time(int h) {
  const int total = 16 + h, day = 12 + total / 24, hour = total % 24;
  char buf[40];
  std::snprintf(buf, sizeof buf, "2024-12-%02dT%02d:00:00+08:00", day, hour);
  return buf;
}

/// Writes DIR/case.toml, DIR/inventory/ and DIR/run/; returns the case file.
inline std::string write_fixture(const fs::path& dir, int hours, const std::string& first_enterprise_name,
                                 bool with_fields) {
  const std::string src = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/";
  fs::create_directories(dir / "run");
  fs::copy(src + "inventory", dir / "inventory", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::string ent = slurp(dir / "inventory/enterprises.csv");
  const std::string quoted = "\"" + std::regex_replace(first_enterprise_name, std::regex("\""), "\"\"") + "\"";
  ent = std::regex_replace(ent, std::regex("\nE001,[^,]*,"), "\nE001," + quoted + ",", std::regex_constants::format_first_only);
  spit(dir / "inventory/enterprises.csv", ent);
  std::string text = slurp(src + "case.toml");
  text = std::regex_replace(text, std::regex("hours = 72"), "hours = " + std::to_string(hours));
  text = std::regex_replace(text, std::regex("rules_file = \"\\.\\./rules/national.toml\""),
                            "rules_file = \"" + src + "../rules/national.toml\"");
  text = std::regex_replace(text, std::regex("observations = \"observations.csv\""),
                            "observations = \"" + src + "observations.csv\"");
  text = std::regex_replace(text, std::regex("boundary_file = \"boundary.csv\""), "boundary_file = \"" + src + "boundary.csv\"");
  const std::string case_file = (dir / "case.toml").string();
  spit(case_file, text);

  std::ostringstream series;
  series << "scenario,time,station,pm25,pm25_superposed\n";
  const std::vector<std::pair<std::string, double>> scen{{"baseline", 100.0}, {"half", 50.0}, {"none", 100.0}};
  for (const auto& [name, v] : scen)
    for (const auto& s : kStations)
      for (int h = 0; h < hours; ++h) series << name << ',' << local_time(h) << ',' << s << ',' << v << ",\n";
  spit(dir / "run/scenario_series.csv", series.str());

  std::ostringstream csv;
  csv << "scenario,series,level_baseline,level_scenario,peak_hourly_baseline,peak_hourly,peak_hourly_cut,"
         "peak_hourly_cut_pct,peak_mean24_baseline,peak_mean24,peak_mean24_cut_pct,peak_daily_aqi_baseline,"
         "peak_daily_aqi,hours_above_150,hours_above_200,hours_above_300,downgrade_time,downgrade_from,downgrade_to,"
         "response_ends_sooner_h,cut_SO2,cut_NOx,cut_PM,cut_VOCs,floor,floors_met,cost_10k_yuan,"
         "superposition_peak_error_pct\n";
  for (const char* series_name : {"Chengzhong", "city"}) {
    csv << "half," << series_name << ",red,orange,100,50,50,50,100,50,50,132,69,0,0,0," << local_time(3)
        << ",red,orange,0,30,30,30,30,30,yes,500.0,\n";
    csv << "yellow-cheap," << series_name << ",red,orange,100,60,40,40,100,60,40,132,82,0,0,0,,,,0,10,10,10,10,10,yes,1.0,\n";
    csv << "none," << series_name << ",red,red,100,100,0,0,100,100,0,132,132,0,0,0,,,,0,0,0,0,0,30,no,0.0,\n";
  }
  spit(dir / "run/scenarios.csv", csv.str());

  std::ostringstream json;
  json << R"({"case":"demo-city","baseline":{"city_level":"red","city_peak_daily_aqi":132},)"
       << R"("response_windows":[{"level":"red","start":")" << local_time(2) << R"(","end":")" << local_time(hours - 1)
       << R"("}],"scenarios":[)";
  for (const std::string& name : std::vector<std::string>{"half", "yellow-cheap", "none"})
    json << (name == "half" ? "" : ",") << R"({"name":")" << name << R"(","description":"test","level":")"
         << (name == "yellow-cheap" ? "yellow" : "red") << R"(",)"
         << R"("city":{"baseline":{"timeline":[{"level":"red","start":")" << local_time(2) << R"(","end":")"
         << local_time(hours - 1) << R"("}]}}})";
  json << "]}\n";
  spit(dir / "run/scenarios.json", json.str());

  // tasks.csv (forecast/task_list.hpp) for "half": two lines of E001 and one sector measure.
  std::ostringstream tasks;
  tasks << "scenario,kind,level,enterprise,enterprise_name,line,line_name,sector,measure,measure_text,action,"
           "load_pct,cut_pct,start,end,department,department_assumed,verification\n"
        << "half,line,red,E001,Works,L1,Kiln 1,industry,,,stop,0,," << local_time(5) << ',' << local_time(25)
        << ",生态环境局,false,none in the inventory\n"
        << "half,line,red,E001,Works,L2,Kiln 2,industry,,,limit,50,," << local_time(5) << ',' << local_time(25)
        << ",生态环境局,false,none in the inventory\n"
        << "half,sector,red,,,,,construction_dust,construction_stop,all construction,cut,,100," << local_time(5)
        << ',' << local_time(25) << ",住房和城乡建设局,true,none in the inventory\n";
  spit(dir / "run/tasks.csv", tasks.str());

  if (with_fields) {
    const std::string py = dir.string() + "/fields.py";
    spit(py, "import sys, numpy as np, netCDF4\n"
             "d = netCDF4.Dataset(sys.argv[1], 'w')\n"
             "d.history = 'lantian run ' + sys.argv[2]\n"
             "d.createDimension('time', 6); d.createDimension('y', 80); d.createDimension('x', 80)\n"
             "t = d.createVariable('time', 'f8', ('time',)); t.units = 'hours since 1970-01-01 00:00:00'\n"
             "t[:] = 481664 + np.arange(6)\n"
             "d.createDimension('nv', 2); t.bounds = 'time_bnds'\n"
             "b = d.createVariable('time_bnds', 'f8', ('time', 'nv')); b[:] = np.stack([t[:], t[:] + 1], 1)\n"
             "v = d.createVariable('PM25_sfc', 'f4', ('time', 'y', 'x')); v.units = 'ug m-3'\n"
             "a = np.full((6, 80, 80), 80.0, 'f4'); a[5, 20, 10] = 300.0; v[:] = a\n"
             "d.close()\n");
    const std::string cmd = "/usr/bin/python3 '" + py + "' '" + (dir / "run/fields.nc").string() + "' '" + case_file + "'";
    if (std::system(cmd.c_str()) != 0) fs::remove(dir / "run/fields.nc");
  }
  return case_file;
}

}  // namespace lantian::test::report
