// Bindings of the command-line jobs (issue 11): every `lantian` command callable from Python with
// the same arguments, the same outputs and the same errors (lantian.LantianError with the
// engine's message). Each returns the summary the CLI prints, as a dict:
//   check(case)                                -> CaseCheckReport figures, warnings, errors, text
//   run(case, out, ...)                        -> forecast/run_job.hpp RunSummary
//   evaluate(case, measures, out, ...)         -> EvaluateSummary
//   report(run_dir, ...)                       -> ReportSummary
//   aqi(input, out, ...)                       -> forecast/aqi_job.hpp AqiJobSummary
// (plume, screen and plan: python/src/tools_bindings.cpp.) The GIL is released while a job runs;
// `progress(dict)` is called after each model hour, and Ctrl-C interrupts from the next hour.
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "core/case_config.hpp"
#include "emissions/inventory.hpp"
#include "forecast/aqi_job.hpp"
#include "forecast/case_check.hpp"
#include "forecast/run_job.hpp"
#include "forecast/hindcast_job.hpp"
#include "forecast/verify_job.hpp"
#include "progress.hpp"

namespace lantian::python {

namespace {

py::dict check_dict(const CaseCheckReport& r) {
  py::dict d;
  d["valid"] = r.valid();
  d["errors"] = r.errors;
  d["warnings"] = r.warnings;
  d["text"] = format_check_report(r);
  d["case"] = r.case_file;
  d["name"] = r.name;
  if (r.grid_ok) d["grid"] = py::make_tuple(r.grid.nx, r.grid.ny, static_cast<int>(r.grid.layer_tops.size()));
  if (r.period_ok) {
    d["time_zone"] = r.time_zone;
    d["hours"] = r.hours;
  }
  d["met_source"] = r.met_source;
  d["met_files"] = r.met_files;
  d["stations"] = r.stations;
  d["stations_inside"] = r.stations_inside;
  if (r.emissions_ok) {
    d["enterprises"] = r.enterprises;
    d["stacks"] = r.stacks;
    d["lines"] = r.lines;
    d["area_sources"] = r.area_sources;
    d["roads"] = r.roads;
    py::dict totals;  // whole-society annual-mean g/s per pollutant
    for (const auto p : emissions::kAllEmittedPollutants)
      totals[py::str(std::string(emissions::pollutant_name(p)))] = r.combined.total[emissions::index(p)];
    d["totals_g_s"] = totals;
  }
  if (r.resources_ok) {
    d["memory_bytes"] = r.resources.memory_bytes;
    d["disk_bytes"] = r.resources.disk_bytes;
  }
  if (r.scenarios_checked) d["scenarios"] = r.scenarios;
  return d;
}

py::dict run_dict(const RunSummary& s) {
  py::dict d;
  d["case"] = s.case_name;
  d["out"] = s.out;
  d["hours"] = s.hours;
  d["grid"] = py::make_tuple(s.nx, s.ny, s.nz);
  d["tags"] = s.tags;
  d["wall_s"] = s.wall_s;
  d["splitting"] = s.splitting;
  if (s.has_peak) {
    d["peak_pm25"] = s.peak_pm25;
    d["peak_station"] = s.peak_station;
    d["peak_time"] = s.peak_time;
  }
  d["max_residual"] = s.max_residual;
  d["residual_share"] = s.residual_share;
  d["warnings"] = s.warnings;
  d["needs"] = s.needs;  // the memory and disk estimate said at the start
  d["report"] = s.report;
  d["text"] = format_run_summary(s);
  if (!s.scenarios) return d;
  d["city_level"] = s.city_level;
  d["city_peak_daily_aqi"] = s.city_peak_daily_aqi;
  py::list windows;
  for (const WindowLine& w : s.windows) {
    py::dict x;
    x["level"] = w.level;
    x["start"] = w.start;
    x["end"] = w.end;
    windows.append(x);
  }
  d["windows"] = windows;
  d["lead_hours"] = s.lead_hours;
  py::list options;
  for (const ScenarioLine& l : s.options) {
    py::dict x;
    x["name"] = l.name;
    x["level"] = l.level;
    x["peak_mean24"] = l.peak_mean24;
    x["peak_mean24_cut_pct"] = l.peak_mean24_cut_pct;
    x["peak_daily_aqi"] = l.peak_daily_aqi;
    x["hours_above_300"] = l.hours_above_300;
    x["achieved_cut_pct"] = py::make_tuple(l.achieved_cut_pct[0], l.achieved_cut_pct[1], l.achieved_cut_pct[2],
                                           l.achieved_cut_pct[3]);  // SO2, NOx, PM, VOCs
    x["cost_10k_yuan"] = l.cost_10k_yuan;
    x["superposition_error_pct"] = l.superposition_error_pct;
    options.append(x);
  }
  d["options"] = options;
  return d;
}

py::dict evaluate_dict(const EvaluateSummary& s) {
  py::dict d;
  d["case"] = s.case_name;
  d["out"] = s.out;
  d["measures"] = s.measures;
  d["active_hours"] = s.active_hours;
  d["peak_mean24_baseline"] = s.peak_mean24_baseline;
  d["peak_mean24"] = s.peak_mean24;
  d["peak_mean24_cut_pct"] = s.peak_mean24_cut_pct;
  d["peak_hourly_cut"] = s.peak_hourly_cut;
  d["level_baseline"] = s.level_baseline;
  d["level"] = s.level;
  py::dict removed, society, achieved;
  for (const auto p : emissions::kAllEmittedPollutants) {
    const py::str name(std::string(emissions::pollutant_name(p)));
    const std::size_t k = emissions::index(p);
    removed[name] = s.removed_t[k];
    society[name] = s.society_t[k];
    achieved[name] = s.achieved[k];
  }
  d["removed_t"] = removed;
  d["society_t"] = society;
  d["achieved"] = achieved;
  d["cost_yuan"] = s.cost_yuan;
  d["text"] = format_evaluate_summary(s);
  return d;
}

/// The verification as a dict (lantian.jobs.verify and lantian.jobs.hindcast).
py::dict verify_dict(const VerifyResult& r, const std::vector<std::string>& files, const std::string& text) {
  py::list scores;
  for (const VerifyScore& v : r.scores) {
    const SkillScores& k = v.scores;
    py::dict e;
    e["forecast"] = v.forecast;
    e["station"] = v.station;
    e["averaging"] = v.averaging;
    e["n"] = k.n;
    e["mean_obs"] = k.mean_obs;
    e["mean_mod"] = k.mean_mod;
    e["mb"] = k.mb;
    e["nmb"] = k.nmb;
    e["nme"] = k.nme;
    e["rmse"] = k.rmse;
    e["r"] = k.r;
    e["ioa"] = k.ioa;
    e["fac2"] = k.fac2;
    scores.append(e);
  }
  py::dict warning;
  for (std::size_t f = 0; f < r.forecasts.size(); ++f) {
    const Contingency& c = r.warning[f];
    py::dict e;
    e["hits"] = c.hits;
    e["misses"] = c.misses;
    e["false_alarms"] = c.false_alarms;
    e["correct_negatives"] = c.correct_negatives;
    e["pod"] = c.pod();
    e["far"] = c.far();
    e["csi"] = c.csi();
    warning[py::str(r.forecasts[f])] = e;
  }
  py::dict categories;
  for (const CategoryHits& c : r.categories) categories[py::str(c.forecast)] = py::make_tuple(c.hits, c.days);
  py::dict d;
  d["issues"] = r.issues.size();
  d["forecasts"] = r.forecasts;
  d["tag_names"] = r.tag_names;
  py::list scalings;
  for (const VerifyIssue& i : r.issues) scalings.append(i.scalings);
  d["scalings"] = scalings;
  d["stations"] = r.stations;
  d["pairs"] = r.pairs.size();
  d["scores"] = scores;
  d["categories"] = categories;
  d["warning"] = warning;
  d["warnings"] = r.warnings;
  d["files"] = files;
  d["text"] = text;
  return d;
}

}  // namespace

void bind_jobs(py::module_& m) {
  using namespace pybind11::literals;
  m.def("check_case", [](const std::string& path) {
        CaseCheckReport r;
        {
          py::gil_scoped_release nogil;
          r = check_case(load_case(path));
        }
        return check_dict(r);
      }, "case"_a, "`lantian check CASE`: the case checked the way `run` reads it (never raises for bad input: "
                  "`errors` lists what stops a run; a case file that does not parse raises LantianError)");
  m.def("run_case", [](const std::string& path, const std::string& out, bool force, bool scenarios, bool reruns,
                       py::object progress) {
        RunRequest rq{path, out, force, scenarios, reruns, progress_callback(std::move(progress)), {}, {}};
        RunSummary s;
        {
          py::gil_scoped_release nogil;
          s = run_case_job(rq);
        }
        return run_dict(s);
      }, "case"_a, "out"_a, "force"_a = false, "scenarios"_a = true, "reruns"_a = true, "progress"_a = py::none(),
      "`lantian run CASE --out OUT`: the forecast with its outputs (fields.nc, stations.csv, budget.csv, "
      "scenarios.*, report.html) and the summary the command prints");
  m.def("evaluate_case", [](const std::string& path, const std::string& measures, const std::string& out, bool force,
                            py::object progress) {
        EvaluateRequest rq{path, measures, out, force, progress_callback(std::move(progress))};
        EvaluateSummary s;
        {
          py::gil_scoped_release nogil;
          s = evaluate_case_job(rq);
        }
        return evaluate_dict(s);
      }, "case"_a, "measures"_a, "out"_a, "force"_a = false, "progress"_a = py::none(),
      "`lantian evaluate CASE --measures DONE.csv --out OUT`: what the measures carried out achieved");
  m.def("write_report", [](const std::string& run_dir, const std::string& case_file, const std::string& screen,
                           const std::string& option, const std::string& out, bool stagnation, bool force) {
        const ReportRequest rq{run_dir, case_file, screen, option, out, stagnation, force};
        ReportSummary s;
        {
          py::gil_scoped_release nogil;
          s = report_job(rq);
        }
        py::dict d;
        d["case"] = s.case_name;
        d["path"] = s.path;
        return d;
      }, "run_dir"_a, "case"_a = "", "screen"_a = "", "option"_a = "", "out"_a = "", "stagnation"_a = true,
      "force"_a = false, "`lantian report RUN_DIR`: the consultation report (report.html)");
  m.def("aqi_files", [](const std::string& input, const std::string& out, const std::string& tz,
                        const std::string& rules, std::optional<int> issue_hour, std::optional<int> horizon,
                        std::vector<std::string> imposed, bool force) {
        AqiRequest rq;
        rq.input = input;
        rq.out = out;
        rq.tz = tz;
        rq.rules = rules;
        rq.issue_hour = issue_hour;
        rq.horizon = horizon;
        rq.imposed = std::move(imposed);
        rq.force = force;
        AqiJobSummary s;
        {
          py::gil_scoped_release nogil;
          s = run_aqi_job(rq);
        }
        py::dict d;
        d["stations"] = s.summary.stations;
        d["hours"] = s.summary.hours;
        d["rows"] = s.summary.rows;
        py::dict decisions;
        for (std::size_t k = 0; k < s.summary.level_names.size() && k < s.summary.decisions.size(); ++k)
          decisions[py::str(s.summary.level_names[k])] = s.summary.decisions[k];
        d["decisions"] = decisions;
        d["warnings"] = s.warnings;
        d["files"] = s.files;
        d["text"] = format_aqi_job(rq, s);
        return d;
      }, "input"_a, "out"_a, "tz"_a = "Asia/Shanghai", "rules"_a = "", "issue_hour"_a = py::none(),
      "horizon"_a = py::none(), "imposed"_a = std::vector<std::string>{}, "force"_a = false,
      "`lantian aqi OBS.csv --out OUT`: hourly/daily AQI, decisions and the response timeline as files");
  m.def("verify_runs", [](const std::vector<std::string>& runs, const std::string& observations, const std::string& out,
                          const std::string& tz, const std::string& rules, double kf_ratio, bool force) {
        VerifyRequest rq;
        rq.runs = runs;
        rq.observations = observations;
        rq.out = out;
        rq.tz = tz;
        rq.rules = rules;
        rq.kf_ratio = kf_ratio;
        rq.force = force;
        VerifySummary s;
        {
          py::gil_scoped_release release;
          s = run_verify_job(rq);
        }
        return verify_dict(s.result, s.files, format_verify_summary(rq, s));
      }, "runs"_a, "observations"_a, "out"_a, "tz"_a = "Asia/Shanghai", "rules"_a = "",
      "kf_ratio"_a = KalmanBias::kDefaultRatio, "force"_a = false,
      "`lantian verify RUN_DIR... --observations OBS --out OUT`: skill against observations and persistence");
  m.def("hindcast_case", [](const std::string& path, const std::string& out, const std::string& from, const std::string& to,
                            std::optional<int> issue_hour, std::optional<int> hours, std::optional<double> kf_ratio,
                            bool calibrate, bool force, py::object progress) {
        HindcastRequest rq;
        rq.case_file = path;
        rq.out = out;
        rq.from = from;
        rq.to = to;
        rq.issue_hour = issue_hour;
        rq.hours = hours;
        if (kf_ratio) rq.kf_ratio = *kf_ratio;
        rq.calibrate = calibrate;
        rq.force = force;
        rq.progress = [call = PythonProgress(std::move(progress))](const HindcastProgress& p) {
          call([&] {
            py::dict d;
            d["done"] = p.done;
            d["issues"] = p.issues;
            d["issue_time"] = p.issue_time;
            d["run_s"] = p.run_s;
            d["elapsed_s"] = p.elapsed_s;
            d["remaining_s"] = p.remaining_s;
            return d;
          });
        };
        HindcastSummary s;
        {
          py::gil_scoped_release release;
          s = run_hindcast_job(rq);
        }
        py::dict d = verify_dict(s.verify, s.files, format_hindcast_summary(rq, s));
        d["case"] = s.case_name;
        d["issue_times"] = s.issue_times;
        d["issue_lines"] = s.issue_lines;
        d["warnings"] = s.warnings;
        d["wall_s"] = s.wall_s;
        return d;
      }, "case"_a, "out"_a, "from_date"_a, "to_date"_a, "issue_hour"_a = py::none(), "hours"_a = py::none(),
      "kf_ratio"_a = py::none(), "calibrate"_a = false, "force"_a = false, "progress"_a = py::none(),
      "`lantian hindcast CASE --from D --to D --out OUT`: daily issues over a period, each run and their verification");
}

}  // namespace lantian::python
