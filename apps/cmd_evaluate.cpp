// `lantian evaluate CASE.toml --measures DONE.csv --out DIR [--force] [--quiet]`: post-episode
// evaluation (成效评估) — the measures actually carried out (enterprise, line, start, end,
// verified load) re-run against the baseline forecast: what they achieved at every station, the
// emission cut per pollutant vs the level floors, and the lost output. Reads, calls the
// library (scenarios/forecast, scenarios/measures), writes; no logic here.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/forecast.hpp"
#include "forecast/forecast_output.hpp"
#include "scenarios/measures.hpp"

void add_evaluate_command(CLI::App& app);

namespace {

using namespace lantian;

struct EvaluateArgs {
  std::string case_file, measures, out;
  bool force = false, quiet = false;
};

int run_evaluate(const EvaluateArgs& a) {
  const CaseConfig config = load_case(a.case_file);
  OutputRequest out{a.out, a.force, case_input_paths(config), "evaluate"};
  out.inputs.add(a.measures, "the measures file");
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  const TimeZone& tz = in.period.zone();
  auto done = read_implemented_measures(a.measures, in.inventory, tz);
  LANTIAN_CHECK(!done.empty(), (ErrorContext{a.measures, 0, ""}), "expected at least one measure carried out");
  const std::size_t n_measures = done.size();
  ForecastOptions fo;
  fo.scenarios = std::vector<Scenario>{measures_scenario("implemented", std::move(done))};
  if (!a.quiet)
    fo.progress = [&](const std::string& stage, const RunProgress& p) {
      if (p.hours_done % 12 == 0 || p.hours_done == p.hours)
        std::cerr << "lantian evaluate: " << stage << ": hour " << p.hours_done << "/" << p.hours << "\n";
    };
  const ForecastResult r = run_forecast(in, fo);
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "evaluation.json", scenarios_json(r, in, "evaluation.json"));
    write_file(tmp / "evaluation.csv", scenarios_csv(r, "evaluation.csv"));
    write_file(tmp / "series.csv", scenario_series_csv(r, "series.csv"));
  });
  const ScenarioOutcome& o = r.outcomes.front();
  const SeriesComparison& city = o.metrics.domain_mean;
  char line[256];
  std::cout << "lantian evaluate: " << n_measures << " measures carried out, " << o.account.active_hours
            << " active hours -> " << a.out << "\n";
  std::snprintf(line, sizeof line,
                "city peak 24-h mean PM2.5 %.1f -> %.1f ug/m3 (cut %.1f%%), peak hourly cut %.1f ug/m3; level %s -> %s\n",
                city.baseline.peak_mean24, city.scenario.peak_mean24, city.peak_mean24.percent, city.peak_hourly.ug_m3,
                std::string(r.metrics_options.rules.level_name(city.baseline.max_level)).c_str(),
                std::string(r.metrics_options.rules.level_name(city.scenario.max_level)).c_str());
  std::cout << line;
  for (const auto p : emissions::kAllEmittedPollutants) {
    const std::size_t k = emissions::index(p);
    std::snprintf(line, sizeof line, "  %-5s removed %8.1f t of %8.1f t (%.1f%%)\n",
                  std::string(emissions::pollutant_name(p)).c_str(), o.account.removed[k], o.account.society[k],
                  100.0 * o.account.achieved[k]);
    std::cout << line;
  }
  std::snprintf(line, sizeof line, "  lost output %.1f x 10^4 yuan\n", o.account.cost / 1e4);
  std::cout << line;
  return 0;
}

}  // namespace

/// Registers the `evaluate` subcommand on `app`.
void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Post-episode evaluation: what the measures actually carried out achieved vs the baseline forecast");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--measures", args->measures, "CSV: enterprise,line,start,end,load (verified load 0..1)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: evaluation.json, evaluation.csv, series.csv")->required();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->add_flag("--quiet,-q", args->quiet, "no progress lines");
  cmd->callback([args] {
    try {
      run_evaluate(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
