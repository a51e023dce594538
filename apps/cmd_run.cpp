// `lantian run CASE.toml --out DIR [--force] [--quiet]`: the Eulerian forecast of a case
// (scenarios/eulerian_run) with its station series and hourly mass budget. Reads, calls the
// library, writes; no physics here.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/forecast.hpp"
#include "forecast/forecast_output.hpp"
#include "forecast/model_output.hpp"
#include "forecast/report_model.hpp"

void add_run_command(CLI::App& app);

namespace {

using namespace lantian;

struct RunArgs {
  std::string case_file, out;
  bool force = false, quiet = false, scenarios = true, reruns = true;
};

std::string num(double v, const char* fmt = "%.6g") {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

int run_case(const RunArgs& a) {
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "run"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  for (const std::string& w : check_run_resources(in, a.out, a.scenarios)) std::cerr << "lantian run: warning: " << w << "\n";
  const TimeZone& tz = in.period.zone();
  EulerianRunOptions opt;
  // On a terminal one line rewritten in place; in a log one line every 6 simulated hours.
  const bool tty = ::isatty(2) != 0;
  std::string stage = "baseline";
  if (!a.quiet)
    opt.progress = [&](const RunProgress& p) {
      if (!tty && p.hours_done % 6 != 0 && p.hours_done != p.hours) return;
      std::cerr << (tty ? "\r" : "") << "lantian run: " << stage << ": hour " << p.hours_done << "/" << p.hours << " (" << format_local(p.time, tz) << "), "
                << num(p.elapsed_s, "%.1f") << " s, ~" << num(p.remaining_s, "%.0f") << " s left, max surface PM2.5 "
                << num(p.max_surface_pm25, "%.1f") << " ug/m3" << (tty ? "   " : "\n") << std::flush;
      if (tty && p.hours_done == p.hours) std::cerr << "\n";
    };
  // The run happens inside the temporary output folder: fields.nc is streamed hour by hour, and
  // a failure leaves nothing (the folder is removed).
  EulerianRun plain;
  ForecastResult forecast;
  const EulerianRun& run = a.scenarios ? forecast.baseline : plain;
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    NetcdfOutputOptions nc;
    nc.fields_3d = in.config.model.output_3d;
    nc.tags = in.config.model.output_tags && in.config.model.tags != TagKind::none;
    nc.title = "lantian forecast: " + in.config.name;
    nc.history = "lantian run " + a.case_file;
    std::unique_ptr<HourlyNetcdfWriter> writer;
    opt.on_start = [&](const TagPlan& tags, const solver::EulerianModel& model) {
      if (nc.tags) nc.tag_names = tags.names;
      writer = std::make_unique<HourlyNetcdfWriter>((tmp / "fields.nc").string(), in.grid, tz, nc);
      writer->write_hour(in.period.start(), model);  // the initial state
    };
    opt.on_hour = [&](UtcHour t, const solver::EulerianModel& model) {
      writer->write_hour(t + 1, model);  // the state valid at the end of the hour
    };
    if (a.scenarios) {
      ForecastOptions fo;
      fo.reruns = a.reruns;
      fo.on_baseline_start = opt.on_start;
      fo.on_baseline_hour = opt.on_hour;
      if (opt.progress)
        fo.progress = [&](const std::string& name, const RunProgress& p) {
          stage = name;
          opt.progress(p);
        };
      forecast = run_forecast(in, fo);
      write_file(tmp / "scenarios.json", scenarios_json(forecast, in));
      write_file(tmp / "scenarios.csv", scenarios_csv(forecast));
      write_file(tmp / "scenario_series.csv", scenario_series_csv(forecast));
    } else {
      plain = run_eulerian(in, opt);
    }
    if (writer) writer->close();
    std::vector<UtcHour> valid(run.times.size());
    for (std::size_t h = 0; h < valid.size(); ++h) valid[h] = run.times[h] + 1;
    write_file(tmp / "stations.csv", station_series_csv(valid, run.station_ids, run.model->station_series(), tz));
    write_file(tmp / "budget.csv", budget_csv(run.model->budgets(), tz));
    // The consultation report (report.html) from the files above; without the report assets
    // (report/node_modules) the run still lands, and says so.
    if (a.scenarios && !write_run_report(in, tmp.string(), a.out))
      std::cerr << "lantian run: no report.html: the report assets are absent (run `npm ci` in report/)\n";
  });
  double worst = 0.0, peak = 0.0, mass = 0.0;
  for (const auto& b : run.model->budgets()) {
    const double res = b.max_residual();
    if (!(res <= worst)) worst = res;  // a NaN residual shows as NaN, never as 0
    for (const double m : b.mass_after) mass = std::max(mass, m);
  }
  std::size_t ps = 0, ph = 0;
  const auto& series = run.model->station_series();
  for (std::size_t s = 0; s < series.size(); ++s)
    for (std::size_t h = 0; h < series[s].size(); ++h)
      if (series[s][h] > peak) peak = series[s][h], ps = s, ph = h;
  std::cout << "lantian run: " << in.config.name << ", " << run.times.size() << " hours, " << in.grid.nx() << "x"
            << in.grid.ny() << "x" << in.grid.nz() << " cells, " << run.tags.names.size() << " tags, "
            << num(run.wall_s, "%.1f") << " s -> " << a.out << "\n";
  if (!series.empty())
    std::cout << "peak surface PM2.5: " << num(peak, "%.1f") << " ug/m3 at " << run.station_ids[ps] << ", "
              << format_local(run.times[ph] + 1, tz) << "\n";
  std::cout << "mass budget: largest hourly residual " << num(worst, "%.3g") << " ug ("
            << num(mass > 0.0 ? worst / mass : 0.0, "%.2g") << " of the largest species mass)\n";
  if (a.scenarios) {
    const auto& rules = forecast.metrics_options.rules;
    std::cout << "city (station mean): " << rules.level_name(forecast.city.max_level) << ", peak daily AQI "
              << forecast.city.peak_daily_aqi << "; measures act in";
    for (const auto& w : forecast.windows)
      std::cout << " " << response_level_name(w.level) << " " << format_local(w.start, tz) << " .. "
                << format_local(w.end, tz);
    if (forecast.windows.empty()) std::cout << " no response window";
    std::cout << " (+" << forecast.scenarios.settings.lead_hours << " h lead)\n";
    std::cout << "scenario            city level  peak 24-h mean (cut)      peak AQI  >300 h  SO2/NOx/PM/VOCs cut %   "
                 "cost 10^4 yuan  superposition error\n";
    for (const ScenarioOutcome& o : forecast.outcomes) {
      const SeriesComparison& c = o.metrics.domain_mean;
      char line[320];
      std::snprintf(line, sizeof line, "%-19s %-11s %6.1f ug/m3 (-%4.1f%%)  %8d  %6d  %4.1f/%4.1f/%4.1f/%4.1f    %14.1f  %s\n",
                    o.scenario.name.c_str(), std::string(rules.level_name(c.scenario.max_level)).c_str(),
                    c.scenario.peak_mean24, c.peak_mean24.percent, c.scenario.peak_daily_aqi, c.scenario.hours_above[2],
                    100.0 * o.metrics.plan.achieved_cut[0], 100.0 * o.metrics.plan.achieved_cut[1],
                    100.0 * o.metrics.plan.achieved_cut[2], 100.0 * o.metrics.plan.achieved_cut[3],
                    o.account.cost / 1e4,
                    o.has_superposition_error
                        ? (num(100.0 * o.superposition_error.max_rel, "%.2f") + "% of the station peaks").c_str()
                        : "-");
      std::cout << line;
    }
  }
  return 0;
}

}  // namespace

/// Registers the `run` subcommand on `app`.
void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Eulerian forecast of a case: station series and hourly mass budget");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: fields.nc (CF-1.8), stations.csv, budget.csv, scenarios.json, scenarios.csv, scenario_series.csv, report.html")->required();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->add_flag("--quiet,-q", args->quiet, "no progress line");
  cmd->add_flag("!--no-scenarios", args->scenarios, "the baseline only (no control scenarios)");
  cmd->add_flag("!--no-reruns", args->reruns, "evaluate the scenarios by superposition of the tags only (needs tags)");
  cmd->callback([args] {
    try {
      run_case(*args);
    } catch (const std::exception& e) {
      std::cerr << "\nlantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
