// `lantian evaluate CASE.toml --measures DONE.csv --out DIR [--force] [--quiet]`: post-episode
// evaluation (成效评估) — the measures actually carried out (enterprise, line, start, end,
// verified load) re-run against the baseline forecast: what they achieved at every station, the
// emission cut per pollutant vs the level floors, and the lost output (forecast/run_job).
// Parses the arguments, makes one library call, prints its summary.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/progress.hpp"
#include "forecast/run_job.hpp"

void add_evaluate_command(CLI::App& app);

/// Registers the `evaluate` subcommand on `app`.
void add_evaluate_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<EvaluateRequest>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Post-episode evaluation: what the measures actually carried out achieved vs the baseline forecast");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--measures", args->measures, "CSV: enterprise,line,start,end,load (verified load 0..1)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: evaluation.json, evaluation.csv, series.csv")->required();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->add_flag("--quiet,-q", *quiet, "no progress lines");
  cmd->callback([args, quiet] {
    try {
      EvaluateRequest request = *args;
      if (!*quiet) request.progress = progress_printer("evaluate");
      std::cout << format_evaluate_summary(evaluate_case_job(request));
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
