#include "forecast/hindcast_job.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/case_config.hpp"
#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "core/species.hpp"
#include "forecast/case_check.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/model_output.hpp"
#include "forecast/rules_file.hpp"

namespace lantian {

namespace {

constexpr std::size_t kMaxIssues = 366;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Local hours since the epoch (as if local were UTC) of DATE at `hour`, for "--from"/"--to".
std::int64_t local_hours_of(const std::string& date, int hour, const char* option) {
  LANTIAN_CHECK(date.size() == 10 && date[4] == '-' && date[7] == '-', (ErrorContext{"", 0, option}),
                "expected a local date YYYY-MM-DD, found '" + date + "'");
  char hh[8];
  std::snprintf(hh, sizeof hh, "T%02d:00", hour);
  try {
    return parse_time(date + hh, TimeZone("UTC"));
  } catch (const Error& e) {
    throw Error(ErrorContext{"", 0, option}, "expected a local date YYYY-MM-DD, found '" + date + "': " + e.what());
  }
}

}  // namespace

HindcastSummary run_hindcast_job(const HindcastRequest& a) {
  const auto t_start = std::chrono::steady_clock::now();
  const CaseConfig base = load_case(a.case_file);
  const TimeZone tz = base.zone();
  LANTIAN_CHECK(!base.paths.observations.empty(), base.source.context("paths.observations"),
                "a hindcast is scored against the observations: the case needs [paths] observations");
  (void)KalmanBias(a.kf_ratio);  // refuse a bad ratio before any run

  HindcastSummary s;
  s.case_name = base.name;
  auto warn = [&](const std::string& w) {
    s.warnings.push_back(w);
    if (a.warning) a.warning(w);
  };
  const int hours = a.hours.value_or(base.period.hours);
  LANTIAN_CHECK(hours >= 1 && hours <= 240, (ErrorContext{"", 0, "--hours"}),
                "expected a run length of 1..240 hours, found " + std::to_string(hours));

  VerifyOptions vo;
  vo.tz = tz;
  vo.kf_ratio = a.kf_ratio;
  if (!base.rules_file.empty()) {
    const AqiWarningRules rules = load_rules(base.rules_file);
    vo.rules = rules.warning;
    vo.validity = rules.validity;
  }
  const int issue_hour = a.issue_hour.value_or(vo.rules.issue_hour);
  LANTIAN_CHECK(issue_hour >= 0 && issue_hour <= 23, (ErrorContext{"", 0, "--issue-hour"}),
                "expected a local hour 0..23, found " + std::to_string(issue_hour));
  const std::int64_t l0 = local_hours_of(a.from, issue_hour, "--from");
  const std::int64_t l1 = local_hours_of(a.to, issue_hour, "--to");
  LANTIAN_CHECK(l1 >= l0, (ErrorContext{"", 0, "--to"}), "expected --to on or after --from (" + a.from + "), found " + a.to);
  const auto n_issues = static_cast<std::size_t>((l1 - l0) / 24 + 1);
  LANTIAN_CHECK(n_issues <= kMaxIssues, (ErrorContext{"", 0, "--to"}),
                "expected at most " + std::to_string(kMaxIssues) + " daily issues, found " + std::to_string(n_issues));
  std::vector<UtcHour> issues(n_issues);
  for (std::size_t k = 0; k < n_issues; ++k) issues[k] = tz.from_local(l0 + 24 * static_cast<std::int64_t>(k));
  for (UtcHour t : issues) s.issue_times.push_back(format_local(t, tz));

  const OutputRequest out{a.out, a.force, case_input_paths(base), "hindcast"};
  check_output_dir(out);
  const auto observations = read_observations_csv(base.paths.observations, tz);

  auto config_for = [&](std::size_t k) {
    CaseConfig c = base;
    c.period.start = s.issue_times[k];
    c.period.hours = hours;
    if (c.meteo.source == MetSource::synthetic && !c.meteo.synthetic.start) {
      // One synthetic episode over the whole hindcast, as the weather of a real one would be.
      c.meteo.synthetic.start = s.issue_times.front();
      c.meteo.synthetic.hours = static_cast<int>(issues.back() - issues.front()) + hours + 1;
    }
    return c;
  };
  // Before any run: the first and the last issue pass `lantian check` (the met and boundary
  // files cover them), so a hindcast does not fail after hours of work.
  for (std::size_t k : {std::size_t{0}, n_issues - 1}) {
    const CaseCheckReport check = check_case(config_for(k));
    if (!check.valid())
      throw Error(ErrorContext{"", 0, "issue " + s.issue_times[k]},
                  check.errors.front() + (check.errors.size() > 1 ? " (and " + std::to_string(check.errors.size() - 1) +
                                                                        " more: run lantian check on the case with this period)"
                                                                  : std::string()));
  }

  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    std::vector<RunSeries> runs;
    for (std::size_t k = 0; k < n_issues; ++k) {
      const auto t_run = std::chrono::steady_clock::now();
      const CaseConfig c = config_for(k);
      const CaseInputs in = [&] {
        try {
          return assemble_case(c);
        } catch (const Error& e) {
          throw Error(ErrorContext{"", 0, "issue " + s.issue_times[k]}, e.what());
        }
      }();
      if (k == 0)
        for (const std::string& w : in.warnings) warn(w);  // the inputs' warnings once, not per issue
      for (const std::string& w : start_analysis_warnings(c, observations)) warn("issue " + s.issue_times[k] + ": " + w);
      EulerianRunOptions opt;
      opt.tags = a.calibrate ? TagKind::sector : TagKind::none;
      opt.record_tag_series = a.calibrate;
      const EulerianRun run = run_eulerian(in, opt);
      const std::string date = s.issue_times[k].substr(0, 10);
      const std::filesystem::path dir = tmp / "runs" / date;
      std::filesystem::create_directories(dir);
      // Hour-beginning labels, as `lantian run` writes them (docs/time-labels.md).
      write_file(dir / "stations.csv", station_series_csv(run.times, run.station_ids, run.model->station_series(), tz));
      write_file(dir / "budget.csv", budget_csv(run.model->budgets(), tz));
      s.files.push_back("runs/" + date + "/stations.csv");
      s.files.push_back("runs/" + date + "/budget.csv");
      RunSeries series;
      series.source = "runs/" + date;
      series.start = issues[k];
      series.hours = run.times.size();
      series.stations = run.station_ids;
      series.pm25 = run.model->station_series();
      if (a.calibrate) {
        // Each tag's PM2.5 at the stations (the tags sum to the total: solver/eulerian_model).
        series.tag_names = run.tags.names;
        for (const auto& per_species : run.tag_series) {
          std::vector<std::vector<double>> pm(run.station_ids.size(), std::vector<double>(run.times.size()));
          for (std::size_t n = 0; n < pm.size(); ++n)
            for (std::size_t h = 0; h < run.times.size(); ++h) {
              std::array<double, kSpeciesCount> conc{};
              for (std::size_t sp = 0; sp < kSpeciesCount; ++sp) conc[sp] = per_species[sp][n][h];
              pm[n][h] = pm25_of(conc);
            }
          series.tags.push_back(std::move(pm));
        }
      }
      runs.push_back(std::move(series));
      if (a.progress) {
        HindcastProgress p;
        p.done = k + 1;
        p.issues = n_issues;
        p.issue_time = s.issue_times[k];
        p.run_s = seconds_since(t_run);
        p.elapsed_s = seconds_since(t_start);
        p.remaining_s = p.elapsed_s / static_cast<double>(k + 1) * static_cast<double>(n_issues - k - 1);
        a.progress(p);
      }
    }
    s.verify = verify_runs(std::move(runs), observations, vo);
    write_file(tmp / "skill.csv", skill_csv(s.verify));
    write_file(tmp / "categories.csv", categories_csv(s.verify));
    write_file(tmp / "warnings.csv", warnings_csv(s.verify, vo));
    write_file(tmp / "pairs.csv", pairs_csv(s.verify, vo));
  });
  for (const VerifyIssue& i : s.verify.issues) {
    std::string line = format_local(i.issue, tz).substr(0, 16);
    line += "  observed ";
    line += vo.rules.level_name(i.observed_level);
    for (std::size_t f = 0; f < s.verify.forecasts.size(); ++f) {
      line += ", ";
      line += s.verify.forecasts[f];
      line += ' ';
      line += vo.rules.level_name(i.level[f]);
    }
    if (!i.scalings.empty()) {
      line += "; scalings";
      for (std::size_t j = 0; j < i.scalings.size(); ++j) {
        char b[64];
        std::snprintf(b, sizeof b, " %s %.2f", s.verify.tag_names[j].c_str(), i.scalings[j]);
        line += b;
      }
    }
    s.issue_lines.push_back(std::move(line));
  }
  s.files.insert(s.files.begin(), {"skill.csv", "categories.csv", "warnings.csv", "pairs.csv"});
  s.wall_s = seconds_since(t_start);
  return s;
}

std::string format_hindcast_summary(const HindcastRequest& a, const HindcastSummary& s) {
  std::string o = "lantian hindcast: " + s.case_name + ", " + std::to_string(s.issue_times.size()) + " daily issues from " +
                  s.issue_times.front() + " to " + s.issue_times.back() + "\n";
  VerifyRequest vr;
  vr.out = a.out;
  vr.observations = "the case's observations";
  VerifySummary vs;
  vs.result = s.verify;
  o += format_verify_summary(vr, vs);
  o += "warning level decided at each issue:\n";
  for (const std::string& l : s.issue_lines) o += "  " + l + "\n";
  char line[64];
  std::snprintf(line, sizeof line, "wall time: %.1f s\n", s.wall_s);
  o += line;
  o += "runs: " + a.out + "/runs/<date>/{stations,budget}.csv\n";
  return o;
}

}  // namespace lantian
