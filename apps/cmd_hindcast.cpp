// `lantian hindcast CASE.toml --from DATE --to DATE --out DIR` (回报检验): the case's forecast
// issued every day over a period and scored against the observations, beside persistence and
// the Kalman-filter corrected forecast (forecast/hindcast_job.hpp). Parses the arguments, makes
// one library call, prints.
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "forecast/hindcast_job.hpp"

void add_hindcast_command(CLI::App& app);

/// Registers the `hindcast` subcommand on `app`.
void add_hindcast_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<HindcastRequest>();
  auto issue_hour = std::make_shared<int>(16);
  auto hours = std::make_shared<int>(72);
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("hindcast", "Hindcast (回报检验): a forecast issued every day over a period, scored");
  cmd->add_option("case", args->case_file, "case file (its observations are the truth; its met the weather)")->required();
  cmd->add_option("--from", args->from, "first issue date, local YYYY-MM-DD")->required();
  cmd->add_option("--to", args->to, "last issue date, local YYYY-MM-DD")->required();
  cmd->add_option("--out,-o", args->out, "output folder DIR (must not exist or be empty, unless --force)")->required();
  CLI::Option* ih = cmd->add_option("--issue-hour", *issue_hour, "local issue hour 0..23 (default: the rules', 16)");
  CLI::Option* hr = cmd->add_option("--hours", *hours, "hours of each run (default: the case's period)");
  cmd->add_option("--kf-ratio", args->kf_ratio, "Kalman filter variance ratio sigma_eta^2/sigma_eps^2 (> 0)")
      ->capture_default_str();
  cmd->add_flag("--calibrate", args->calibrate,
                "run with sector tags (~10x slower) and add lantian-fit: tag scalings fitted to the earlier days");
  cmd->add_flag("--force", args->force, "replace DIR when it is a non-empty output folder lantian wrote");
  cmd->add_flag("--quiet,-q", *quiet, "no progress lines");
  cmd->footer(R"(Outputs: runs/<date>/{stations,budget}.csv for each issue, and the verification of all of
them: skill.csv, categories.csv, warnings.csv, pairs.csv (as `lantian verify`).
Example:
  lantian hindcast examples/demo-city/case.toml --from 2024-12-11 --to 2024-12-15 --hours 48 --out out/hindcast)");
  cmd->callback([=] {
    try {
      HindcastRequest request = *args;
      if (ih->count() > 0) request.issue_hour = *issue_hour;
      if (hr->count() > 0) request.hours = *hours;
      request.warning = [](const std::string& w) { std::cerr << "lantian: warning: " << w << "\n"; };
      if (!*quiet)
        request.progress = [](const HindcastProgress& p) {
          std::fprintf(stderr, "hindcast: issue %zu/%zu (%s) in %.1f s; elapsed %.0f s, about %.0f s left\n", p.done,
                       p.issues, p.issue_time.c_str(), p.run_s, p.elapsed_s, p.remaining_s);
        };
      std::cout << format_hindcast_summary(request, run_hindcast_job(request));
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
