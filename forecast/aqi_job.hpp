#pragma once
// The job of `lantian aqi OBS.csv --out DIR`: observations read (scenarios/observations.hpp),
// the AQI pipeline run (forecast/aqi_pipeline.hpp), its five files written under the output
// rule; the summary returned for the CLI to print, the Python bindings to return and the tests
// to assert on.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "forecast/aqi_pipeline.hpp"

namespace lantian {

struct AqiRequest {
  std::string input;               ///< observations CSV
  std::string out;                 ///< output folder
  std::string tz = "Asia/Shanghai";
  std::string rules;               ///< warning rules TOML; empty: the national rule
  std::optional<int> issue_hour;   ///< default: the rules'
  std::optional<int> horizon;      ///< hours; default: the rules'
  std::vector<std::string> imposed;  ///< LEVEL,START,END[,STATION]
  bool force = false;
  /// Called with each warning as soon as it is known (before the input is read); optional.
  std::function<void(const std::string&)> warning;
};

struct AqiJobSummary {
  AqiSummary summary;
  std::string text;                 ///< format_summary_text
  std::vector<std::string> warnings;
  std::vector<std::string> files;   ///< the files written, in the output folder
  double read_s = 0.0, compute_s = 0.0, write_s = 0.0;
};

/// Runs `lantian aqi`. Throws lantian::Error naming the file, line and column; nothing is
/// written on error.
AqiJobSummary run_aqi_job(const AqiRequest& request);
/// What `lantian aqi` prints on standard output.
std::string format_aqi_job(const AqiRequest& request, const AqiJobSummary& summary);

}  // namespace lantian
