// The job of `lantian aqi`: see aqi_job.hpp.
#include "forecast/aqi_job.hpp"

#include <chrono>
#include <cstdio>

#include "core/output_folder.hpp"
#include "core/time_axis.hpp"
#include "forecast/rules_file.hpp"
#include "scenarios/observations.hpp"

namespace lantian {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

AqiJobSummary run_aqi_job(const AqiRequest& a) {
  const TimeZone zone(a.tz);
  AqiRunOptions opt;
  opt.tz = zone;
  if (!a.rules.empty()) {
    const auto loaded = load_rules(a.rules);
    opt.rules = loaded.warning;
    opt.validity = loaded.validity;
  }
  if (a.issue_hour) opt.issue_hour = *a.issue_hour;
  if (a.horizon) opt.horizon = *a.horizon;
  for (const auto& spec : a.imposed) opt.imposed.push_back(parse_imposed_period(spec, zone));
  opt.validate();  // fail on bad rules before reading anything
  AqiJobSummary s;
  for (const std::string& level : opt.effective_rules().unreachable_levels()) {
    s.warnings.push_back("level " + level + " needs a longer window than the " +
                         std::to_string(opt.effective_rules().horizon_hours) + "-h horizon and can never be decided");
    if (a.warning) a.warning(s.warnings.back());
  }
  OutputRequest out{a.out, a.force, {}, "aqi"};
  out.inputs.add(a.input, "the observations");
  out.inputs.add(a.rules, "the rules file");
  check_output_dir(out);

  const auto t_read = std::chrono::steady_clock::now();
  const auto observations = read_observations_csv(a.input, zone);
  s.read_s = seconds_since(t_read);
  const auto t_run = std::chrono::steady_clock::now();
  const auto result = run_aqi(observations, opt);
  s.compute_s = seconds_since(t_run);
  const auto t_write = std::chrono::steady_clock::now();
  write_aqi_outputs(result, out);
  s.write_s = seconds_since(t_write);
  s.files = {"hourly.csv", "daily.csv", "decisions.csv", "timeline.csv", "summary.json"};
  s.summary = summarize(result);
  s.text = format_summary_text(result, s.summary);
  return s;
}

std::string format_aqi_job(const AqiRequest& a, const AqiJobSummary& s) {
  char times[160];
  std::snprintf(times, sizeof times, "time: read %.2f s, compute %.2f s, write %.2f s\n", s.read_s, s.compute_s, s.write_s);
  return "lantian aqi: " + a.input + "\n" + s.text + "outputs: " + a.out + "/{hourly,daily,decisions,timeline}.csv, " +
         a.out + "/summary.json\n" + times;
}

}  // namespace lantian
