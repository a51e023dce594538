// `lantian plan CASE.toml --out DIR [--target-aqi 200] [--level orange] [--no-floors] [--force] [--quiet]`:
// the cheapest control plan (最优管控方案) that keeps every station's daily AQI at or below the
// target: the baseline forecast with tags (scenarios/forecast), the Gaussian screening
// (scenarios/plume_screening), the candidate actions and their effects (scenarios/plan_builder),
// the MILP (scenarios/optimiser), compared with the standard plans scenario of the level. Reads,
// calls the library, writes; no physics here.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/forecast.hpp"
#include "scenarios/optimiser.hpp"
#include "forecast/plan_builder.hpp"
#include "forecast/plume_screening.hpp"

void add_plan_command(CLI::App& app);

namespace {

using namespace lantian;

struct PlanArgs {
  std::string case_file, out, level = "orange";
  int target_aqi = 200;
  double time_limit_s = 60.0;
  bool force = false, quiet = false, floors = true, whole_period = false;
};

std::string num(double v, const char* fmt = "%.6g") {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string wan(double yuan) { return num(yuan / 1e4, "%.1f") + " x10^4 yuan"; }

int run_plan(const PlanArgs& a) {
  PlanBuildOptions bo;
  const auto level = parse_response_level(a.level);
  LANTIAN_CHECK(level.has_value() && *level != ResponseLevel::none, (ErrorContext{"", 0, "--level"}),
                "expected yellow, orange or red, found '" + a.level + "'");
  bo.level = *level;
  bo.target_aqi = a.target_aqi;
  bo.floors = a.floors;
  bo.whole_period = a.whole_period;
  bo.validate();
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "plan"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  const TimeZone& tz = in.period.zone();

  ForecastOptions fo;
  fo.reruns = false;  // the plan needs the baseline and its tags only
  if (config.model.tags == TagKind::none) {
    std::cerr << "lantian plan: the case has no source tags; running the baseline with tags = \"sector\"\n";
    fo.tags = TagKind::sector;
  }
  const bool tty = ::isatty(2) != 0;
  if (!a.quiet)
    fo.progress = [&](const std::string& stage, const RunProgress& p) {
      if (stage != "baseline") return;
      if (!tty && p.hours_done % 6 != 0 && p.hours_done != p.hours) return;
      std::cerr << (tty ? "\r" : "") << "lantian plan: baseline: hour " << p.hours_done << "/" << p.hours << " ("
                << format_local(p.time, tz) << "), " << num(p.elapsed_s, "%.1f") << " s" << (tty ? "   " : "\n")
                << std::flush;
      if (tty && p.hours_done == p.hours) std::cerr << "\n";
    };
  const ForecastResult forecast = run_forecast(in, fo);
  PlumeScreeningOptions so;
  if (in.config.meteo.z0) so.z0 = *in.config.meteo.z0;
  if (!a.quiet) std::cerr << "lantian plan: Gaussian screening of " << in.inventory.stacks.size() << " stacks...\n";
  const PlumeScreening screening = run_plume_screening(in, so);
  const PlanModel model = build_plan_model(in, forecast, screening, bo);
  PlanOptions po;
  po.time_limit_s = a.time_limit_s;
  const PlanResult result = optimise_plan(model.problem, po);
  const PlanEvaluation reference = evaluate_plan(model.reference_problem(), std::vector<std::size_t>{0});

  std::string report = format_plan_report(model.problem, result);
  report += "\nreference: standard " + model.reference_name + " scenario (一厂一策 plans, grade defaults, sector measures) "
            "through the same linear model: cost " + wan(reference.cost_yuan) + ", " +
            (reference.feasible ? "meets" : "does not meet") + " the target and floors\n";
  for (const auto& x : reference.over_target)
    report += "  over the limit: " + model.problem.station_names[x.station] + " " + model.day_labels[x.day] + " " +
              num(x.achieved, "%.1f") + " > " + num(x.limit, "%.1f") + " ug/m3\n";
  for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
    if (!reference.floor_met[k])
      report += "  floor not met: " + std::string(kFloorPollutantNames[k]) + " " + num(reference.removed_t[k], "%.2f") +
                " < " + num(reference.required_t[k], "%.2f") + " t\n";
  report += "\ndays:";
  for (std::size_t d = 0; d < model.day_labels.size(); ++d) report += " day " + std::to_string(d) + " = " + model.day_labels[d];
  report += "\nnotes (approximations of the linear model):\n";
  for (const auto& n : model.notes) report += "  - " + n + "\n";

  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "plan.json", plan_json(model, result, reference, tz));
    write_file(tmp / "plan.csv", plan_csv(model, result));
    write_file(tmp / "plan_report.txt", report);
  });

  const bool have_plan = result.status == PlanStatus::Optimal || result.status == PlanStatus::Feasible;
  std::cout << "lantian plan: " << in.config.name << ", target daily AQI <= " << bo.target_aqi << " (PM2.5 <= "
            << num(result.limit_pm25, "%.1f") << " ug/m3), level " << response_level_name(bo.level) << ", "
            << model.problem.actions.size() << " candidate actions (" << model.exempt_lines
            << " lines of exempt enterprises excluded), " << model.active_hours << " active hours -> " << a.out << "\n";
  std::cout << "measures act in";
  for (const auto& w : model.windows)
    std::cout << " " << response_level_name(w.level) << " " << format_local(w.start, tz) << " .. " << format_local(w.end, tz);
  if (model.windows.empty()) std::cout << " no response window (no action has any effect; see --whole-period)";
  std::cout << " (+" << model.lead_hours << " h lead)" << (model.whole_period ? " [--whole-period]" : "") << "\n";
  std::cout << "status: " << plan_status_name(result.status);
  if (have_plan)
    std::cout << ", " << result.plan.chosen.size() << " actions chosen, cost " << wan(result.plan.cost_yuan);
  std::cout << "\n";
  if (!have_plan) {
    std::cout << result.message << "\n";
    for (const auto& u : result.unreachable)
      std::cout << "  cannot be met: " << model.problem.station_names[u.station] << " " << model.day_labels[u.day]
                << ": baseline " << num(u.baseline, "%.1f") << ", best " << num(u.best, "%.1f") << " > "
                << num(u.limit, "%.1f") << " ug/m3\n";
    for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
      if (result.floors_unreachable[k]) std::cout << "  floor cannot be met: " << kFloorPollutantNames[k] << "\n";
  }
  const auto binding = result.binding();
  std::size_t binding_days = 0, binding_floors = 0;
  for (const auto& c : binding) {
    if (c.kind == ConstraintKind::StationDay) ++binding_days;
    if (c.kind == ConstraintKind::Floor) ++binding_floors;
  }
  if (have_plan)
    std::cout << "binding: " << binding_days << " station-day(s), " << binding_floors << " floor(s)\n";
  std::cout << "reference " << model.reference_name << ": cost " << wan(reference.cost_yuan) << ", "
            << (reference.feasible ? "meets" : "does not meet") << " the target and floors ("
            << reference.over_target.size() << " station-days over the limit)";
  if (have_plan) std::cout << "; the plan saves " << wan(reference.cost_yuan - result.plan.cost_yuan);
  std::cout << "\n";
  return 0;
}

}  // namespace

/// Registers the `plan` subcommand on `app`.
void add_plan_command(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
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
  cmd->add_flag("--quiet,-q", args->quiet, "no progress lines");
  cmd->footer(
      "Candidates: stop / limit to min load of every line of a non-exempt enterprise, and the level's built-in\n"
      "sector measures (cost 0), active over the baseline's response windows (+ lead time). Effects per station\n"
      "and local day: Gaussian primary PM2.5 of the enterprises, Eulerian tags for the rest (see\n"
      "forecast/plan_builder.hpp). An infeasible target is reported (exit 0); bad input exits 1.");
  cmd->callback([args] {
    try {
      run_plan(*args);
    } catch (const std::exception& e) {
      std::cerr << "\nlantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
