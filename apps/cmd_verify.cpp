// `lantian verify RUN_DIR... --observations OBS.csv --out DIR` (预报检验): the runs' station
// series scored against the observations, beside persistence and the Kalman-filter corrected
// forecast (forecast/verify_job.hpp). Parses the arguments, makes one library call, prints.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "forecast/verify_job.hpp"

void add_verify_command(CLI::App& app);

/// Registers the `verify` subcommand on `app`.
void add_verify_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<VerifyRequest>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Forecast verification (预报检验): runs against observations, persistence and the bias-corrected forecast");
  cmd->add_option("run_dirs", args->runs, "output folders of `lantian run` (one per issue; any order)")->required();
  cmd->add_option("--observations,--obs", args->observations,
                  "observations CSV (station,time,PM2.5,...; the `lantian aqi` schema)")
      ->required();
  cmd->add_option("--out,-o", args->out, "output folder DIR (must not exist or be empty, unless --force)")->required();
  cmd->add_option("--tz", args->tz, "IANA time zone of observation times without an offset, days and labels")
      ->capture_default_str();
  cmd->add_option("--rules", args->rules, "warning rules TOML (levels, thresholds, validity); default national rule");
  cmd->add_option("--kf-ratio", args->kf_ratio, "Kalman filter variance ratio sigma_eta^2/sigma_eps^2 (> 0)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "replace DIR when it is a non-empty output folder lantian wrote");
  cmd->footer(R"(Outputs (times: the START of each hour, local with offset):
  skill.csv       forecast,station,averaging,n,mean_obs,mean_mod,mb,nmb,nme,rmse,r,ioa,fac2
  categories.csv  forecast,days,hits,hit_rate   (daily PM2.5 AQI category)
  warnings.csv    issue_time,run,observed,lantian,persistence,lantian-kf,observed_reason
  pairs.csv       time,station,issue_time,lead_h,obs,lantian,persistence,lantian-kf
Example:
  lantian verify out/demo --observations examples/demo-city/observations.csv --out out/demo-verify)");
  cmd->callback([args] {
    try {
      std::cout << format_verify_summary(*args, run_verify_job(*args));
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
