#pragma once
// `lantian verify RUN_DIR... --observations OBS.csv --out DIR` (预报检验): a run's station series
// (or a sequence of daily runs') scored against what was observed, beside persistence and the
// Kalman-filter bias-corrected forecast (issue 12).
//
// Time convention (docs/time-labels.md, the one rule of every lantian file): a time is the
// START of the hour whose value it labels, local ISO 8601 with its offset — the convention of
// the observations (scenarios/observations.hpp), of stations.csv and of scenario_series.csv.
// verify pairs the stations.csv row labelled T (the model hour [T, T + 1 h), its state at
// T + 1 h) with the observation labelled T (the mean of the same hour): no shift. A run folder
// written before the one convention (stations.csv labelled by the end of each hour: its first
// row one hour after budget.csv's first) is recognised, read as the hour before each label, and
// named in the warnings.
//
// The forecasts scored, for every run (one issue; its issue time t0 = the start of its first
// model hour):
//   lantian      the run's PM2.5 at each station;
//   persistence  the station's observed PM2.5 mean over [t0 − 24 h, t0) carried over the whole
//                run (NaN, and the station's persistence not scored, with fewer than 20 valid
//                hours: GB 3095-2012's 24-h validity);
//   lantian-kf   lantian − the Kalman-filter bias (scenarios/skill.hpp) of the station at that
//                local hour of day, learnt from the errors of the first 24 forecast hours of
//                the EARLIER runs whose observations were complete before t0; negative values
//                set to 0. With no earlier run the filter knows nothing and lantian-kf = lantian.
//   lantian-fit  only when every run carries its source tags' PM2.5 (hindcast --calibrate):
//                Σ s_k tag_k with the non-negative scalings s (fit_scalings, ridge toward 1)
//                fitted, over all stations, to the first 24 forecast hours of the earlier runs
//                of the last `fit_days` days whose observations were complete before t0; with no
//                such hour, s = 1 (lantian-fit = lantian). The scalings of each issue are kept.
// Nothing after t0 enters a forecast (tests/forecast/test_verify.cpp perturbs the observations
// after t0 and gets the same forecasts).
//
// Scores (skill.csv): forecast,station,averaging,n,mean_obs,mean_mod,mb,nmb,nme,rmse,r,ioa,fac2
// per station and over all stations ("all"), hourly (every pair) and daily (local calendar days
// with >= 20 paired hours in one run: the mean of those hours). categories.csv: the daily PM2.5
// AQI category (HJ 633) of each forecast against the observed one. warnings.csv: the warning
// level decided at each issue time by each forecast on its city series (the mean of the
// stations, as `lantian run`) against the level `lantian aqi` decides on the observed city
// series (every observed pollutant, the mean of the same stations); the contingency of "a
// warning is decided" (POD, FAR, CSI) in the summary. pairs.csv: every hourly pair.
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "core/time_axis.hpp"
#include "scenarios/aqi.hpp"
#include "scenarios/observations.hpp"
#include "scenarios/skill.hpp"
#include "scenarios/warning.hpp"

namespace lantian {

/// The station series of one run, as read from its stations.csv (hour-beginning times).
struct RunSeries {
  std::string source;                   ///< the run folder, for messages
  UtcHour start = 0;                    ///< the issue time t0: the start of the first model hour
  std::size_t hours = 0;
  std::vector<std::string> stations;
  std::vector<std::vector<double>> pm25;  ///< [station][hour], µg/m³
  /// Optional: the source tags' PM2.5 (they sum to pm25), [tag][station][hour], and their names.
  std::vector<std::vector<std::vector<double>>> tags;
  std::vector<std::string> tag_names;
  /// stations.csv was labelled by the end of each hour (written before issue 12's one time
  /// convention; recognised by budget.csv starting an hour before it) and read shifted by 1 h.
  bool legacy_labels = false;
};

/// Reads RUN_DIR/stations.csv (time,station,pm25, hour-beginning; every station on the same
/// consecutive hours), and RUN_DIR/budget.csv's first time where it is there, to recognise the
/// labels of an older run (RunSeries::legacy_labels). Throws lantian::Error naming the file, the
/// line and the column.
RunSeries read_run_series(const std::string& run_dir);


struct VerifyOptions {
  WarningRules rules = WarningRules::national();
  ValidityRules validity{};
  TimeZone tz{};
  double kf_ratio = KalmanBias::kDefaultRatio;
  int fit_days = 7;        ///< days of earlier hours the tag scalings are fitted to
  double fit_ridge = 0.1;  ///< fit_scalings' ridge
};

struct VerifyScore {
  std::string forecast, station, averaging;  ///< averaging: "hourly" or "daily"
  SkillScores scores;
};

struct CategoryHits {
  std::string forecast;
  std::size_t days = 0, hits = 0;  ///< station-days with both categories, and equal ones
};

struct VerifyIssue {
  UtcHour issue = 0;
  std::string run;
  int observed_level = 0;
  std::string observed_reason;
  std::vector<int> level;          ///< per forecast (VerifyResult::forecasts)
  std::vector<double> scalings;    ///< lantian-fit's tag scalings at this issue (empty without)
};

/// One hourly pair (pairs.csv).
struct VerifyPair {
  std::size_t run = 0, station = 0;  ///< run index (issue order), station index in `stations`
  UtcHour time = 0;                  ///< start of the hour
  int lead = 0;                      ///< hours since the issue time
  double obs = 0.0;
  std::vector<double> mod;  ///< per forecast (VerifyResult::forecasts)
};

struct VerifyResult {
  /// "lantian", "persistence", "lantian-kf", and "lantian-fit" when the runs carry tags.
  std::vector<std::string> forecasts;
  std::vector<std::string> tag_names;  ///< of lantian-fit's scalings
  std::vector<std::string> stations;  ///< paired stations, in order of first appearance
  std::vector<VerifyPair> pairs;
  std::vector<VerifyScore> scores;
  std::vector<CategoryHits> categories;           ///< per forecast, all stations
  std::vector<VerifyIssue> issues;                ///< in issue order
  std::vector<Contingency> warning;               ///< per forecast: "any warning decided"
  /// Per forecast: the level decided against the observed one over the issues, beyond the
  /// yes/no of `warning` (a hit at yellow when orange was observed is `lower`).
  struct LevelAgreement {
    std::size_t exact = 0, lower = 0, higher = 0;
  };
  std::vector<LevelAgreement> levels;
  std::vector<std::string> warnings;              ///< stations without observations, ...
};

/// Scores the runs (any order; sorted by issue time) against the observations. Throws
/// lantian::Error when no station of any run has observations.
VerifyResult verify_runs(std::vector<RunSeries> runs, const std::vector<StationObservations>& observations,
                         const VerifyOptions& options);

/// The CSV texts written by `lantian verify`.
std::string skill_csv(const VerifyResult& r);
std::string categories_csv(const VerifyResult& r);
std::string warnings_csv(const VerifyResult& r, const VerifyOptions& options);
std::string pairs_csv(const VerifyResult& r, const VerifyOptions& options);

struct VerifyRequest {
  std::vector<std::string> runs;  ///< run folders (each with stations.csv)
  std::string observations;       ///< observations CSV (the `lantian aqi` schema)
  std::string out;                ///< output folder
  std::string tz = "Asia/Shanghai";
  std::string rules;              ///< warning rules TOML; empty: the national rule
  double kf_ratio = KalmanBias::kDefaultRatio;
  bool force = false;
};

struct VerifySummary {
  VerifyResult result;
  std::vector<std::string> files;  ///< written in the output folder
};

/// Runs `lantian verify`: the output folder is checked before anything is read and written all
/// or nothing. Throws lantian::Error naming the file, line and column.
VerifySummary run_verify_job(const VerifyRequest& request);
/// What `lantian verify` prints: the all-station scores of each forecast, the category hits and
/// the warning contingency.
std::string format_verify_summary(const VerifyRequest& request, const VerifySummary& summary);

}  // namespace lantian
