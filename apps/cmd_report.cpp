// `lantian report RUN_DIR [--case CASE.toml] [--screen DIR] [--option NAME] [--out FILE]`: the
// consultation report (会商报告) of a `lantian run` folder as one self-contained HTML file
// (forecast/report_model.hpp, forecast/report_html.hpp). Reads, calls the library, writes.
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/report_html.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/report_model.hpp"

void add_report_command(CLI::App& app);

namespace {

using namespace lantian;

struct ReportArgs {
  std::string run_dir, case_file, screen, option, out;
  bool no_stagnation = false, force = false;
};

int run_report(const ReportArgs& a) {
  LANTIAN_CHECK(std::filesystem::is_directory(a.run_dir), (ErrorContext{a.run_dir, 0, ""}),
                "expected a `lantian run` output folder");
  std::string case_file = a.case_file.empty() ? run_case_file(a.run_dir) : a.case_file;
  LANTIAN_CHECK(!case_file.empty(), (ErrorContext{a.run_dir, 0, "--case"}),
                "expected --case CASE.toml (fields.nc does not name the case it was run from)");
  const CaseConfig config = load_case(case_file);
  OutputRequest out{a.out.empty() ? default_report_path(a.run_dir) : a.out, a.force, case_input_paths(config),
                    "report"};
  out.inputs.add_container(a.run_dir, "the run folder");
  out.inputs.add(a.screen, "the screening folder");
  check_output_file(out, kReportSignature);  // before assembling the case
  const CaseInputs in = assemble_case(config);
  ReportOptions opt;
  opt.run_dir = a.run_dir;
  opt.screen_dir = a.screen;
  opt.option = a.option;
  opt.stagnation = !a.no_stagnation;
  write_report(in, opt, out);
  std::cout << "lantian report: " << in.config.name << " -> " << out.path << "\n";
  return 0;
}

}  // namespace

/// Registers the `report` subcommand on `app`.
void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "Consultation report (会商报告): one self-contained HTML file of a run folder");
  cmd->add_option("run_dir", args->run_dir, "output folder of `lantian run`")->required();
  cmd->add_option("--case", args->case_file, "case file (default: the one named in RUN_DIR/fields.nc)");
  cmd->add_option("--screen", args->screen, "a `lantian screen` folder for the rankings (default: screen here)");
  cmd->add_option("--option", args->option, "option shown on the map beside the baseline (needs RUN_DIR/fields_NAME.nc)");
  cmd->add_option("--out,-o", args->out, "HTML file to write (default RUN_DIR/report.html)");
  cmd->add_flag("--force", args->force, "replace an existing report file (only one that lantian wrote)");
  cmd->add_flag("--no-stagnation", args->no_stagnation, "leave out the unfavourable-meteorology (静稳) summary");
  cmd->callback([args] {
    try {
      run_report(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
