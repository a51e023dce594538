// `lantian run CASE.toml --out DIR [--force] [--quiet] [--no-scenarios] [--no-reruns]`: the
// Eulerian forecast of a case with its control scenarios (forecast/run_job). Parses the
// arguments, makes one library call, prints its progress and summary; no physics here.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/progress.hpp"
#include "forecast/run_job.hpp"

void add_run_command(CLI::App& app);

/// Registers the `run` subcommand on `app`.
void add_run_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<RunRequest>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("run", "Eulerian forecast of a case: station series and hourly mass budget");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: fields.nc (CF-1.8), stations.csv, budget.csv, scenarios.json, scenarios.csv, scenario_series.csv, tasks.csv, report.html")->required();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->add_flag("--quiet,-q", *quiet, "no progress line");
  cmd->add_flag("!--no-scenarios", args->scenarios, "the baseline only (no control scenarios)");
  cmd->add_flag("!--no-reruns", args->reruns, "evaluate the scenarios by superposition of the tags only (needs tags)");
  cmd->callback([args, quiet] {
    try {
      RunRequest request = *args;
      if (!*quiet) {
        request.progress = progress_printer("run");
        request.info = [](const std::string& m) { std::cerr << "lantian run: " << m << "\n"; };
      }
      request.warning = [](const std::string& w) { std::cerr << "lantian run: warning: " << w << "\n"; };
      std::cout << format_run_summary(run_case_job(request));
    } catch (const std::exception& e) {
      std::cerr << "\nlantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
