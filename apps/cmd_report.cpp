// `lantian report RUN_DIR [--case CASE.toml] [--screen DIR] [--option NAME] [--out FILE]`: the
// consultation report (会商报告) of a `lantian run` folder as one self-contained HTML file
// (forecast/run_job.hpp report_job). Parses the arguments, makes one library call, prints.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "forecast/run_job.hpp"

void add_report_command(CLI::App& app);

/// Registers the `report` subcommand on `app`.
void add_report_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<ReportRequest>();
  auto no_stagnation = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("report", "Consultation report (会商报告): one self-contained HTML file of a run folder");
  cmd->add_option("run_dir", args->run_dir, "output folder of `lantian run`")->required();
  cmd->add_option("--case", args->case_file, "case file (default: the one named in RUN_DIR/fields.nc)");
  cmd->add_option("--screen", args->screen_dir, "a `lantian screen` folder for the rankings (default: screen here)");
  cmd->add_option("--option", args->option, "option shown on the map beside the baseline (needs RUN_DIR/fields_NAME.nc)");
  cmd->add_option("--out,-o", args->out, "HTML file to write (default RUN_DIR/report.html)");
  cmd->add_flag("--force", args->force, "replace an existing report file (only one that lantian wrote)");
  cmd->add_flag("--no-stagnation", *no_stagnation, "leave out the unfavourable-meteorology (静稳) summary");
  cmd->callback([args, no_stagnation] {
    try {
      ReportRequest request = *args;
      request.stagnation = !*no_stagnation;
      const ReportSummary s = report_job(request);
      std::cout << "lantian report: " << s.case_name << " -> " << s.path << "\n";
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
