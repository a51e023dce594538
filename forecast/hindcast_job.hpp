#pragma once
// `lantian hindcast CASE.toml --from DATE --to DATE --out DIR` (回报检验): the forecast the case
// would have issued every day at the issue hour over a period, each run started from what was
// known then, and all of them scored against the observations (forecast/verify_job.hpp), with
// progress and the time left (issue 12).
//
// For each local date D of [from, to]: a run of `hours` (default: the case's period) from D at
// the issue hour (default: the rules' issue hour, 16:00 nationally), the case otherwise as
// written, baseline only (no scenarios; no tags, or the sector tags with --calibrate: what is
// scored is the forecast itself). What a
// run knows of the observations is the start analysis (initial = "observations": the hour
// ending at the issue time) and nothing later; the verification's persistence and Kalman
// correction use only the observations before each issue. The meteorology and the boundary are
// the case's files: in a hindcast they are analyses (the weather that happened), so the scores
// measure the chemistry-transport forecast given the weather, not the weather forecast — say so
// when quoting them. A synthetic met case (the demo) gets one synthetic episode over the whole
// hindcast, not one per run.
//
// Output folder (all or nothing, under the output rule):
//   runs/<YYYY-MM-DD>/stations.csv, budget.csv   each issue's run (the `lantian run` files,
//                                                hour-beginning: docs/time-labels.md)
//   skill.csv, categories.csv, warnings.csv, pairs.csv   the verification of every run
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "forecast/verify_job.hpp"

namespace lantian {

struct HindcastProgress {
  std::size_t done = 0, issues = 0;  ///< runs finished, runs in all
  std::string issue_time;            ///< the run just finished, local ISO 8601
  double run_s = 0.0;                ///< its wall time
  double elapsed_s = 0.0, remaining_s = 0.0;
};

struct HindcastRequest {
  std::string case_file;
  std::string out;
  std::string from, to;               ///< local dates, YYYY-MM-DD, from <= to
  std::optional<int> issue_hour;      ///< local hour 0..23; default: the rules'
  std::optional<int> hours;           ///< run length, 1..240; default: the case's period
  double kf_ratio = KalmanBias::kDefaultRatio;
  /// Runs with sector tags (about 10x slower) and adds lantian-fit: the tag scalings fitted to
  /// the earlier days (verify_job.hpp).
  bool calibrate = false;
  bool force = false;
  std::function<void(const HindcastProgress&)> progress;  ///< after each run (optional)
  std::function<void(const std::string&)> warning;        ///< each warning when known (optional)
};

struct HindcastSummary {
  std::string case_name;
  std::vector<std::string> issue_times;  ///< local ISO 8601, in order
  VerifyResult verify;
  std::vector<std::string> issue_lines;  ///< "2024-12-11T16:00  observed orange, lantian red, ..."
  std::vector<std::string> warnings;
  std::vector<std::string> files;        ///< skill.csv ... and runs/<date>/...
  double wall_s = 0.0;
};

/// Runs the hindcast. Throws lantian::Error naming the key, file or issue at fault (a bad date,
/// a case without observations, meteorology that does not cover an issue's run); nothing is
/// written on error.
HindcastSummary run_hindcast_job(const HindcastRequest& request);
/// What `lantian hindcast` prints: the verification summary with the issues.
std::string format_hindcast_summary(const HindcastRequest& request, const HindcastSummary& summary);

}  // namespace lantian
