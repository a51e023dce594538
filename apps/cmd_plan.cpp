// `lantian plan CASE.toml --out DIR [--target-aqi 200] [--level orange] [--no-floors] [--force] [--quiet]`:
// the cheapest control plan (最优管控方案) that keeps every station's daily AQI at or below the
// target. Parses the arguments, makes one library call (forecast/plan_builder: run_plan_job:
// the baseline forecast with tags, the Gaussian screening, the candidate actions and their
// effects, the MILP, the standard plans scenario of the level, the plan folder), prints its
// progress and summary; no physics here.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/progress.hpp"
#include "forecast/plan_builder.hpp"

void add_plan_command(CLI::App& app);

/// Registers the `plan` subcommand on `app`.
void add_plan_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<PlanRequest>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "plan", "The cheapest control plan keeping every station's daily AQI at or below a target (MILP, GLPK)");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: plan.json, plan.csv, plan_report.txt")->required();
  cmd->add_option("--target-aqi", args->target_aqi, "largest daily AQI allowed at every station and local day")
      ->capture_default_str()
      ->check(CLI::Range(0, 499));
  cmd->add_option("--level", args->level, "response level whose sector measures and cut floors apply")
      ->capture_default_str();
  cmd->add_option("--time-limit", args->time_limit_s, "GLPK branch-and-cut time limit, s")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("!--no-floors", args->floors, "do not require the level's SO2/NOx/PM/VOCs cut floors");
  cmd->add_flag("--whole-period", args->whole_period,
                "act over the whole period at --level (from its start + lead) instead of the baseline's response windows");
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->add_flag("--quiet,-q", *quiet, "no progress lines");
  cmd->footer(
      "Candidates: stop / limit to min load of every line of a non-exempt enterprise, and the level's built-in\n"
      "sector measures (cost 0), active over the baseline's response windows (+ lead time). Effects per station\n"
      "and local day: Gaussian primary PM2.5 of the enterprises, Eulerian tags for the rest (see\n"
      "forecast/plan_builder.hpp). An infeasible target is reported (exit 0); bad input exits 1.");
  cmd->callback([args, quiet] {
    try {
      PlanRequest request = *args;
      request.warning = [](const std::string& w) { std::cerr << "lantian plan: " << w << "\n"; };
      if (!*quiet) {
        request.progress = progress_printer("plan");
        request.status = [](const std::string& line) { std::cerr << "lantian plan: " << line << "\n"; };
      }
      std::cout << format_plan_summary(run_plan_job(request));
    } catch (const std::exception& e) {
      std::cerr << "\nlantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
