// The jobs of `lantian run` and `lantian evaluate`: see run_job.hpp.
#include "forecast/run_job.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/forecast.hpp"
#include "forecast/forecast_output.hpp"
#include "forecast/model_output.hpp"
#include "forecast/report_html.hpp"
#include "forecast/report_model.hpp"
#include "forecast/run_resources.hpp"
#include "forecast/task_list.hpp"
#include "scenarios/measures.hpp"

namespace lantian {

namespace {

/// The figures of a finished run: its size, station peak and budget residual.
void summarise_run(const EulerianRun& run, const CaseInputs& in, RunSummary& s) {
  const TimeZone& tz = in.period.zone();
  s.hours = run.times.size();
  s.nx = in.grid.nx();
  s.ny = in.grid.ny();
  s.nz = in.grid.nz();
  s.tags = run.tags.names.size();
  s.wall_s = run.wall_s;
  s.splitting = run.model->splitting_sequence();
  double worst = 0.0, mass = 0.0;
  for (const auto& b : run.model->budgets()) {
    const double res = b.max_residual();
    if (!(res <= worst)) worst = res;  // a NaN residual shows as NaN, never as 0
    for (const double m : b.mass_after) mass = std::max(mass, m);
  }
  s.max_residual = worst;
  s.residual_share = mass > 0.0 ? worst / mass : 0.0;
  const auto& series = run.model->station_series();
  std::size_t ps = 0, ph = 0;
  double peak = 0.0;
  for (std::size_t st = 0; st < series.size(); ++st)
    for (std::size_t h = 0; h < series[st].size(); ++h)
      if (series[st][h] > peak) peak = series[st][h], ps = st, ph = h;
  s.has_peak = !series.empty();
  if (s.has_peak) {
    s.peak_pm25 = peak;
    s.peak_station = run.station_ids[ps];
    s.peak_time = format_local(run.times[ph], tz);  // the hour's label, as stations.csv's row
  }
}

void summarise_forecast(const ForecastResult& f, const CaseInputs& in, RunSummary& s) {
  const TimeZone& tz = in.period.zone();
  const auto& rules = f.metrics_options.rules;
  s.scenarios = true;
  s.city_level = std::string(rules.level_name(f.city.max_level));
  s.city_peak_daily_aqi = f.city.peak_daily_aqi;
  for (const auto& w : f.windows)
    s.windows.push_back({std::string(response_level_name(w.level)), format_local(w.start, tz), format_local(w.end, tz)});
  s.lead_hours = f.scenarios.settings.lead_hours;
  for (const ScenarioOutcome& o : f.outcomes) {
    const SeriesComparison& c = o.metrics.domain_mean;
    ScenarioLine l;
    l.name = o.scenario.name;
    l.level = std::string(rules.level_name(c.scenario.max_level));
    l.peak_mean24 = c.scenario.peak_mean24;
    l.peak_mean24_cut_pct = c.peak_mean24.percent;
    l.peak_daily_aqi = c.scenario.peak_daily_aqi;
    l.hours_above_300 = c.scenario.hours_above[2];
    for (std::size_t k = 0; k < l.achieved_cut_pct.size(); ++k) l.achieved_cut_pct[k] = 100.0 * o.metrics.plan.achieved_cut[k];
    // NaN: not estimated (uniform or sector measures only: no documented rate; never 0).
    l.cost_10k_yuan = cost_estimate(o.scenario) == CostEstimate::not_estimated ? std::nan("") : o.account.cost / 1e4;
    l.superposition_error_pct = o.has_superposition_error ? 100.0 * o.superposition_error.max_rel : std::nan("");
    s.options.push_back(std::move(l));
  }
}

std::string num(double v, const char* format) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

RunSummary run_case_job(const RunRequest& a) {
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "run"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  RunSummary s;
  s.case_name = in.config.name;
  s.out = a.out;
  auto warn = [&](const std::string& w) {
    s.warnings.push_back(w);
    if (a.warning) a.warning(w);
  };
  for (const std::string& w : in.warnings) warn(w);
  std::string needs;
  for (const std::string& w : check_run_resources(in, a.out, a.scenarios, &needs)) warn(w);
  s.needs = needs;
  if (a.info) a.info(needs);
  if (config.model.initial == InitialKind::observations)
    for (const std::string& w : start_analysis_warnings(config, read_observations_csv(config.paths.observations, config.zone())))
      warn(w);
  const TimeZone& tz = in.period.zone();
  EulerianRunOptions opt;
  if (a.progress) opt.progress = [&](const RunProgress& p) { a.progress("baseline", p); };
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
      fo.progress = a.progress;
      forecast = run_forecast(in, fo);
      write_file(tmp / "scenarios.json", scenarios_json(forecast, in));
      write_file(tmp / "scenarios.csv", scenarios_csv(forecast));
      write_file(tmp / "scenario_series.csv", scenario_series_csv(forecast));
      write_file(tmp / "tasks.csv", tasks_csv(forecast_task_rows(forecast, in), tz));
    } else {
      plain = run_eulerian(in, opt);
    }
    if (writer) writer->close();
    // Hour-beginning labels (docs/time-labels.md): the row T is the model hour [T, T + 1 h).
    write_file(tmp / "stations.csv", station_series_csv(run.times, run.station_ids, run.model->station_series(), tz));
    write_file(tmp / "budget.csv", budget_csv(run.model->budgets(), tz));
    // The consultation report (report.html) from the files above; without the report assets
    // (report/node_modules) the run still lands, and says so.
    if (a.scenarios) {
      s.report = write_run_report(in, tmp.string(), a.out);
      if (!s.report) warn("no report.html: the report assets are absent (run `npm ci` in report/)");
    }
  });
  summarise_run(run, in, s);
  if (a.scenarios) summarise_forecast(forecast, in, s);
  return s;
}

std::string format_run_summary(const RunSummary& s) {
  std::string t = fmt::format("lantian run: {}, {} hours, {}x{}x{} cells, {} tags, {} s -> {}\n", s.case_name, s.hours,
                              s.nx, s.ny, s.nz, s.tags, num(s.wall_s, "%.1f"), s.out);
  if (!s.splitting.empty()) {
    t += "splitting:";
    for (std::size_t k = 0; k < s.splitting.size(); ++k) t += (k == 0 ? " " : " -> ") + s.splitting[k];
    t += "\n";
  }
  if (s.has_peak)
    t += fmt::format("peak surface PM2.5: {} ug/m3 at {}, {}\n", num(s.peak_pm25, "%.1f"), s.peak_station, s.peak_time);
  t += fmt::format("mass budget: largest hourly residual {} ug ({} of the largest species mass)\n",
                   num(s.max_residual, "%.3g"), num(s.residual_share, "%.2g"));
  if (!s.scenarios) return t;
  t += fmt::format("city (station mean): {}, peak daily AQI {}; measures act in", s.city_level, s.city_peak_daily_aqi);
  for (const WindowLine& w : s.windows) t += " " + w.level + " " + w.start + " .. " + w.end;
  if (s.windows.empty()) t += " no response window";
  t += fmt::format(" (+{} h lead)\n", s.lead_hours);
  t += "scenario            city level  peak 24-h mean (cut)      peak AQI  >300 h  SO2/NOx/PM/VOCs cut %   "
       "cost 10^4 yuan  superposition error\n";
  for (const ScenarioLine& l : s.options) {
    char line[320];
    const std::string err =
        std::isnan(l.superposition_error_pct) ? "-" : num(l.superposition_error_pct, "%.2f") + "% of the station peaks";
    const std::string cost = std::isnan(l.cost_10k_yuan) ? "not estimated" : num(l.cost_10k_yuan, "%.1f");
    std::snprintf(line, sizeof line, "%-19s %-11s %6.1f ug/m3 (-%4.1f%%)  %8d  %6d  %4.1f/%4.1f/%4.1f/%4.1f    %14s  %s\n",
                  l.name.c_str(), l.level.c_str(), l.peak_mean24, l.peak_mean24_cut_pct, l.peak_daily_aqi,
                  l.hours_above_300, l.achieved_cut_pct[0], l.achieved_cut_pct[1], l.achieved_cut_pct[2],
                  l.achieved_cut_pct[3], cost.c_str(), err.c_str());
    t += line;
  }
  return t;
}

EvaluateSummary evaluate_case_job(const EvaluateRequest& a) {
  const CaseConfig config = load_case(a.case_file);
  OutputRequest out{a.out, a.force, case_input_paths(config), "evaluate"};
  out.inputs.add(a.measures, "the measures file");
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  auto done = read_implemented_measures(a.measures, in.inventory, in.period.zone());
  LANTIAN_CHECK(!done.empty(), (ErrorContext{a.measures, 0, ""}), "expected at least one measure carried out");
  EvaluateSummary s;
  s.case_name = in.config.name;
  s.out = a.out;
  s.measures = done.size();
  ForecastOptions fo;
  fo.scenarios = std::vector<Scenario>{measures_scenario("implemented", std::move(done))};
  fo.progress = a.progress;
  const ForecastResult r = run_forecast(in, fo);
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "evaluation.json", scenarios_json(r, in, "evaluation.json"));
    write_file(tmp / "evaluation.csv", scenarios_csv(r, "evaluation.csv"));
    write_file(tmp / "series.csv", scenario_series_csv(r, "series.csv"));
  });
  const ScenarioOutcome& o = r.outcomes.front();
  const SeriesComparison& city = o.metrics.domain_mean;
  s.active_hours = static_cast<std::size_t>(o.account.active_hours);
  s.peak_mean24_baseline = city.baseline.peak_mean24;
  s.peak_mean24 = city.scenario.peak_mean24;
  s.peak_mean24_cut_pct = city.peak_mean24.percent;
  s.peak_hourly_cut = city.peak_hourly.ug_m3;
  s.level_baseline = std::string(r.metrics_options.rules.level_name(city.baseline.max_level));
  s.level = std::string(r.metrics_options.rules.level_name(city.scenario.max_level));
  for (const auto p : emissions::kAllEmittedPollutants) {
    const std::size_t k = emissions::index(p);
    s.removed_t[k] = o.account.removed[k];
    s.society_t[k] = o.account.society[k];
    s.achieved[k] = o.account.achieved[k];
  }
  s.cost_yuan = o.account.cost;
  return s;
}

std::string format_evaluate_summary(const EvaluateSummary& s) {
  char line[256];
  std::string t = fmt::format("lantian evaluate: {} measures carried out, {} active hours -> {}\n", s.measures,
                              s.active_hours, s.out);
  std::snprintf(line, sizeof line,
                "city peak 24-h mean PM2.5 %.1f -> %.1f ug/m3 (cut %.1f%%), peak hourly cut %.1f ug/m3; level %s -> %s\n",
                s.peak_mean24_baseline, s.peak_mean24, s.peak_mean24_cut_pct, s.peak_hourly_cut, s.level_baseline.c_str(),
                s.level.c_str());
  t += line;
  for (const auto p : emissions::kAllEmittedPollutants) {
    const std::size_t k = emissions::index(p);
    std::snprintf(line, sizeof line, "  %-5s removed %8.1f t of %8.1f t (%.1f%%)\n",
                  std::string(emissions::pollutant_name(p)).c_str(), s.removed_t[k], s.society_t[k], 100.0 * s.achieved[k]);
    t += line;
  }
  std::snprintf(line, sizeof line, "  lost output %.1f x 10^4 yuan\n", s.cost_yuan / 1e4);
  return t + line;
}

ReportSummary report_job(const ReportRequest& a) {
  LANTIAN_CHECK(std::filesystem::is_directory(a.run_dir), (ErrorContext{a.run_dir, 0, ""}),
                "expected a `lantian run` output folder");
  const std::string case_file = a.case_file.empty() ? run_case_file(a.run_dir) : a.case_file;
  LANTIAN_CHECK(!case_file.empty(), (ErrorContext{a.run_dir, 0, "--case"}),
                "expected --case CASE.toml (fields.nc does not name the case it was run from)");
  const CaseConfig config = load_case(case_file);
  OutputRequest out{a.out.empty() ? default_report_path(a.run_dir) : a.out, a.force, case_input_paths(config), "report"};
  out.inputs.add_container(a.run_dir, "the run folder");
  out.inputs.add(a.screen_dir, "the screening folder");
  check_output_file(out, kReportSignature);  // before assembling the case
  const CaseInputs in = assemble_case(config);
  ReportOptions opt;
  opt.run_dir = a.run_dir;
  opt.screen_dir = a.screen_dir;
  opt.option = a.option;
  opt.stagnation = a.stagnation;
  write_report(in, opt, out);
  return {in.config.name, out.path};
}

}  // namespace lantian
