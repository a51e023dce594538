// The `lantian` command line: parses arguments, calls the library, prints. No logic here
// that the library lacks (DESIGN.md, apps/).
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "core/output_folder.hpp"
#include "forecast/aqi_job.hpp"

namespace {

constexpr const char* kFooter = R"(Examples:
  lantian aqi examples/demo-city/observations.csv --out out/demo-city
  lantian aqi beijing.csv --out out/beijing --tz Asia/Shanghai --issue-hour 16 --horizon 72
  lantian aqi obs.csv --out out/x --rules examples/rules/national.toml --force
  lantian aqi obs.csv --out out/x --imposed red,2015-12-08T07:00,2015-12-10T12:00

Outputs never replace or lie inside an input; --force replaces only an output lantian wrote
(folders carry a .lantian-output marker). Ctrl-C or SIGTERM removes unfinished outputs.

Exit status: 0 success, 1 bad input or I/O error (nothing written), 2 usage error,
128 + N killed by signal N (unfinished outputs removed).)";

constexpr const char* kAqiFooter = R"(Input: a CSV with a header holding `station`, `time` and any of
PM2.5,PM10,SO2,NO2,CO,O3 (ug/m3; CO mg/m3). `time` is ISO 8601, local time of --tz unless it
carries an offset; a row covers the hour starting at `time`; blank, NA or NaN is missing.

Outputs in DIR (written to DIR.tmp-PID-XXXXXX, then put in place of DIR):
  hourly.csv     station,time,aqi,primary,category
  daily.csv      station,time,aqi_24h,primary_24h,category_24h  (24-h block ending at the row)
  decisions.csv  station,issue_time,level,window_start,reason,undecided_up_to (one per station and day)
  timeline.csv   station,level,start,end,start_reason,end_reason
  summary.json   stations, hours, missing shares, worst episodes, decision counts
The rule is explained in docs/warning-rules.md.

Examples:
  lantian aqi examples/demo-city/observations.csv --out out/demo-city --force
  lantian aqi beijing.csv --out out/beijing --issue-hour 16 --horizon 72)";

}  // namespace

void add_met_command(CLI::App& app);    // apps/cmd_met.cpp
void add_check_command(CLI::App& app);  // apps/cmd_check.cpp
void add_plume_command(CLI::App& app);  // apps/cmd_plume.cpp
void add_validate_command(CLI::App& app);  // apps/cmd_validate.cpp
void add_screen_command(CLI::App& app);  // apps/cmd_screen.cpp
void add_run_command(CLI::App& app);     // apps/cmd_run.cpp
void add_evaluate_command(CLI::App& app);  // apps/cmd_evaluate.cpp
void add_report_command(CLI::App& app);  // apps/cmd_report.cpp
void add_plan_command(CLI::App& app);    // apps/cmd_plan.cpp
void add_verify_command(CLI::App& app);  // apps/cmd_verify.cpp
void add_hindcast_command(CLI::App& app);  // apps/cmd_hindcast.cpp

namespace {

/// OpenMP threads that spin while they wait (libgomp's default, OMP_WAIT_POLICY unset) run ~100x
/// slower when the cores are shared with other work, as on a forecaster's desktop or a CI
/// runner. libgomp reads the variable when it is loaded, before main, so setting it here needs
/// a re-exec of this same binary: once, only when the user has not set it (theirs wins), and
/// if the exec fails the run goes on with the spinning default.
void wait_passively_by_default(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  ::execv("/proc/self/exe", argv);
}

}  // namespace

int main(int argc, char** argv) {
  wait_passively_by_default(argv);
  // First, before any thread: Ctrl-C, SIGTERM and SIGHUP remove unfinished outputs.
  lantian::install_output_cleanup_on_signals();
  CLI::App app{"lantian (蓝天): PM2.5 forecast and heavy-pollution warning engine", "lantian"};
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  std::string version = std::string("lantian ") + LANTIAN_VERSION + "\nOpenMP wait policy: ";
  version += policy != nullptr ? policy : "libgomp's default (the re-exec failed)";
  version += " (passive unless OMP_WAIT_POLICY is set)";
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.footer(kFooter);

  lantian::AqiRequest a;
  int issue_hour = 0, horizon = 0;  // used only when given
  CLI::App* aqi = app.add_subcommand(
      "aqi", "Hourly and 24-h AQI (HJ 633-2012), warning decisions and the response timeline of station series");
  aqi->add_option("input", a.input, "observations CSV (station,time,PM2.5,PM10,SO2,NO2,CO,O3)")->required();
  aqi->add_option("--out,-o", a.out, "output folder DIR (must not exist or be empty, unless --force)")->required();
  aqi->add_option("--tz", a.tz, "IANA time zone of local times, issue hours and labels")->capture_default_str();
  CLI::Option* issue = aqi->add_option("--issue-hour", issue_hour,
                                       "local hour of the daily decision (default: the rules file's; national 16)")
                           ->check(CLI::Range(0, 23));
  CLI::Option* horizon_opt = aqi->add_option("--horizon", horizon,
                                         "hours ahead the decision looks at (default: the rules file's; national 72)")
                             ->check(CLI::Range(24, 24 * 366));
  aqi->add_option("--rules", a.rules, "warning rules TOML (levels, thresholds, validity); default national rule");
  aqi->add_option("--imposed", a.imposed,
                  "level imposed by a higher authority: LEVEL,START,END[,STATION] (repeatable)")
      ->allow_extra_args(false);
  aqi->add_flag("--force", a.force, "replace DIR when it is a non-empty output folder lantian wrote");
  aqi->footer(kAqiFooter);
  add_met_command(app);
  add_check_command(app);
  add_plume_command(app);
  add_validate_command(app);
  add_screen_command(app);
  add_run_command(app);
  add_evaluate_command(app);
  add_report_command(app);
  add_plan_command(app);
  add_verify_command(app);
  add_hindcast_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand run in its callback failed; it printed the error
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    if (aqi->parsed()) {
      if (issue->count() > 0) a.issue_hour = issue_hour;
      if (horizon_opt->count() > 0) a.horizon = horizon;
      a.warning = [](const std::string& w) { std::cerr << "lantian: warning: " << w << "\n"; };
      std::cout << lantian::format_aqi_job(a, lantian::run_aqi_job(a));
    }
  } catch (const std::exception& e) {
    std::cerr << "lantian: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
