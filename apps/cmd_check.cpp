// `lantian check CASE.toml`: validates a whole case and prints its summary. Parses and prints
// only; the checks are check_case and the text format_check_report (forecast/case_check.hpp).
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/case_config.hpp"
#include "forecast/case_check.hpp"

void add_check_command(CLI::App& app);

namespace {

constexpr const char* kCheckFooter = R"(Checks the case file, the grid (PROJ), the meteorology ([meteo]: built on the grid and
covering every hour of the period), the emission inventory ([emissions]: read with the grid, so
sources outside the domain are errors), the rules file, the observations, and everything else
`lantian run` reads, the way it reads it: the [model] settings (processes, tags, inflow), the
boundary file (opened and asked for every hour), the scenarios, scenario files and plans file.
Estimates the memory the run needs and the disk its output takes; a case that does not fit in
this machine's memory is an error (and `lantian run` refuses it at its start). Prints the grid
and its corners in lon/lat, the period in local time and UTC, the meteorology's coverage with
the 静稳 hours per day at the domain centre, the memory and disk figures, emission totals (t/yr,
g/s) by pollutant, sector and district, enterprises by grade, and warnings. Errors go to
standard error as well, each naming the file and line or variable.

Exit status: 0 valid, 1 errors found, 2 usage error.

Examples:
  lantian check examples/demo-city/case.toml)";

}  // namespace

/// Registers the `check` subcommand on `app`. Its callback runs the check during parsing; when
/// the case has errors it prints them as "lantian: error: ..." to stderr and throws
/// CLI::RuntimeError(1) (exit status 1).
void add_check_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* check = app.add_subcommand("check", "Validate a case (grid, period, meteorology, emissions, stations) "
                                                "and print its summary");
  check->add_option("case", *path, "case file (TOML)")->required();
  check->footer(kCheckFooter);
  check->callback([path] {
    int errors = 0;
    try {
      const lantian::CaseCheckReport report = lantian::check_case(lantian::load_case(*path));
      std::cout << lantian::format_check_report(report);
      for (const std::string& e : report.errors) std::cerr << "lantian: error: " << e << "\n";
      errors = static_cast<int>(report.errors.size());
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      errors = 1;
    }
    if (errors > 0) throw CLI::RuntimeError(1);
  });
}
