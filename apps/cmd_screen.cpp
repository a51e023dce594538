// `lantian screen CASE.toml --out DIR [--map] [--dispersion ...] [--pollutant PM2.5] [--force]`:
// Gaussian screening of a case's inventory: station series, every enterprise's and production
// line's contribution to every station, ranked, and optionally the daily-mean map. Parses the
// arguments, makes one library call (forecast/screening_output: run_screen_job), prints its
// summary; no physics here.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "forecast/screening_output.hpp"

void add_screen_command(CLI::App& app);

/// Registers the `screen` subcommand on `app`.
void add_screen_command(CLI::App& app) {
  using namespace lantian;
  auto args = std::make_shared<ScreenRequest>();
  CLI::App* cmd = app.add_subcommand(
      "screen", "Gaussian screening of a case: station series and every enterprise's and line's contribution");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: stations.csv, enterprises.csv, lines.csv[, map_daily.csv]")
      ->required();
  cmd->add_flag("--map", args->map, "also the daily-mean map on the case grid (map_daily.csv)");
  cmd->add_option("--dispersion", args->dispersion, "sigma_y, sigma_z scheme")
      ->capture_default_str()
      ->check(CLI::IsMember({"briggs-rural", "briggs-urban", "turbulence"}));
  cmd->add_option("--pollutant", args->pollutant, "emitted pollutant (primary): SO2, NOx, PM2.5, PM10, VOCs, NH3")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->footer(
      "Primary emissions only (secondary PM needs the Eulerian model). Contributions are per enterprise (stacks and\n"
      "ground-level releases) and per production line; 'mean' and 'peak' are over the case period, ug/m3.");
  cmd->callback([args] {
    try {
      ScreenRequest request = *args;
      request.status = [](const std::string& line) { std::cerr << "lantian screen: " << line << "\n"; };
      std::cout << format_screen_summary(run_screen_job(request));
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
