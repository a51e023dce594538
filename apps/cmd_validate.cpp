// `lantian validate prairie-grass [--data DIR] [--dispersion NAME] [--so2-factors] [--out CSV]`:
// the Gaussian plume against Project Prairie Grass arc maxima (solver/prairie_grass.hpp), with
// Chang and Hanna's (2004) statistics per arc and overall beside AERMOD's on the same run-arcs.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "solver/gaussian_plume.hpp"
#include "validation/prairie_grass.hpp"

void add_validate_command(CLI::App& app);

namespace {

constexpr const char* kValidateFooter = R"(Data: a folder with PGARCS.txt, modelParamList.txt and PGrassEvapLossTABLE_5_4.txt
(../shared/data/prairie-grass; default $LANTIAN_REAL_DATA/prairie-grass). Runs compared: those
with L and u* in modelParamList.txt (53 runs, 265 run-arcs at 50-800 m). Source 0.46 m (as the
file gives), samplers 1.5 m, z0 = 0.006 m, T = 298 K, wind at 2 m; h_i from the file for
unstable runs, 2300 u*^1.5 for stable runs. The predicted arc maximum is the plume centreline
at the arc distance and sampler height; observed = the largest sampler of the arc (mg/m3 ->
ug/m3). FB > 0 and MG > 1 mean under-prediction. --out writes one row per run-arc.

Examples:
  lantian validate prairie-grass --data ../shared/data/prairie-grass
  lantian validate prairie-grass --dispersion briggs-rural --out pg_briggs.csv)";

struct ValidateArgs {
  std::string data;
  std::string dispersion = "turbulence";
  std::string out;
  bool so2_factors = false, force = false;
};

void print_stats_row(const char* label, const lantian::validation::ValidationStats& s, double aermod_fac2) {
  std::printf("%-8s %4zu %7.3f %7.3f %7.3f %7.3f %7.3f   %5.2f\n", label, s.n, s.fac2, s.fb, s.nmse, s.mg, s.vg,
              aermod_fac2);
}

constexpr const char* kPgHeader =
    "run,arc,distance_m,q_g_s,L_m,ustar_m_s,wind_m_s,mixing_height_m,stability,so2_factor,"
    "observed_ug_m3,predicted_ug_m3,ratio_pred_obs\n";

void write_csv(std::ostream& f, const lantian::validation::PgValidation& v) {
  f << kPgHeader;
  char buf[320];
  for (const auto& c : v.rows) {
    std::snprintf(buf, sizeof buf, "%d,%d,%.0f,%.2f,%.1f,%.2f,%.2f,%.1f,%c,%.2f,%.6g,%.6g,%.4f\n", c.run, c.arc,
                  c.distance_m, c.emission_g_s, c.obukhov_length_m, c.ustar_m_s, c.wind_speed_m_s, c.mixing_height_m,
                  c.stability, c.so2_factor, c.observed_ug_m3, c.predicted_ug_m3, c.predicted_ug_m3 / c.observed_ug_m3);
    f << buf;
  }
}

int run_validate(const ValidateArgs& a) {
  using namespace lantian;
  using namespace lantian::solver;
  using namespace lantian::validation;
  std::string folder = a.data;
  if (folder.empty()) {
    const char* root = std::getenv("LANTIAN_REAL_DATA");
    LANTIAN_CHECK(root != nullptr, (ErrorContext{"", 0, "--data"}),
                  "expected --data DIR (or LANTIAN_REAL_DATA set), found neither");
    folder = (std::filesystem::path(root) / "prairie-grass").string();
  }
  OutputRequest out{a.out, a.force, {}, "validate"};
  out.inputs.add(folder, "the Prairie Grass folder");
  if (!a.out.empty()) check_output_file(out, kPgHeader);
  PgValidationOptions opt;
  opt.plume.dispersion = parse_dispersion(a.dispersion);
  opt.observations.apply_so2_factors = a.so2_factors;
  const PgDataset data = read_prairie_grass(folder);
  const PgValidation v = validate_prairie_grass(data, opt);

  std::printf("Project Prairie Grass, arc maxima: %zu runs with L and u* (%zu runs without met left out), "
              "%zu run-arcs\n",
              v.usable_runs.size(), v.runs_without_met.size(), v.rows.size());
  std::printf("Gaussian plume, dispersion %s; observations %s\n", std::string(dispersion_name(opt.plume.dispersion)).c_str(),
              a.so2_factors ? "times the Table 5.4 SO2 factors" : "as in PGARCS.txt (no Table 5.4 factors)");
  if (v.arcs_all_missing > 0) std::printf("arcs with no observed value, left out: %d\n", v.arcs_all_missing);
  if (v.implausible_factors > 0)
    std::printf("Table 5.4 factors outside 0.5..1 taken as 1: %d\n", v.implausible_factors);
  std::printf("\n%-8s %4s %7s %7s %7s %7s %7s   %s\n", "arc", "N", "FAC2", "FB", "NMSE", "MG", "VG", "AERMOD FAC2");
  static const char* labels[5] = {"50 m", "100 m", "200 m", "400 m", "800 m"};
  for (std::size_t k = 0; k < 5; ++k) print_stats_row(labels[k], v.by_arc[k], kAermodPrairieGrass.fac2_by_arc[k]);
  print_stats_row("all", v.overall, kAermodPrairieGrass.fac2);
  std::printf("%-8s %4d %7.3f %7.3f %7.3f %7.3f %7.3f\n", "AERMOD", 265, kAermodPrairieGrass.fac2, kAermodPrairieGrass.fb,
              kAermodPrairieGrass.nmse, kAermodPrairieGrass.mg, kAermodPrairieGrass.vg);
  std::printf("Acceptance (issue 4): FAC2 >= 0.5 and |FB| <= 0.3 overall: %s\n",
              (v.overall.fac2 >= 0.5 && std::abs(v.overall.fb) <= 0.3) ? "met" : "NOT met");
  if (!a.out.empty()) {
    write_output_file(out, kPgHeader, [&](std::ostream& f) { write_csv(f, v); });
    std::printf("per run-arc table -> %s\n", a.out.c_str());
  }
  return 0;
}

}  // namespace

/// Registers `validate prairie-grass` on `app`. On bad input it prints "lantian: error: ..." to
/// stderr and throws CLI::RuntimeError(1) (exit status 1).
void add_validate_command(CLI::App& app) {
  CLI::App* validate = app.add_subcommand("validate", "Validate the models against field measurements");
  validate->require_subcommand(1);
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* pg = validate->add_subcommand(
      "prairie-grass", "Gaussian plume vs Project Prairie Grass arc maxima (FB, NMSE, MG, VG, FAC2; AERMOD beside)");
  pg->add_option("--data", args->data, "the Prairie Grass folder (default $LANTIAN_REAL_DATA/prairie-grass)")
      ->check(CLI::ExistingDirectory);
  pg->add_option("--dispersion", args->dispersion, "sigma option of the plume")
      ->capture_default_str()
      ->check(CLI::IsMember({"turbulence", "briggs-rural", "briggs-urban"}));
  pg->add_flag("--so2-factors", args->so2_factors,
               "multiply observations by Barad's Table 5.4 SO2 factors (as Bijloos 2022 does)");
  pg->add_option("--out,-o", args->out, "write the per run-arc comparison to this CSV");
  pg->add_flag("--force", args->force, "replace an existing --out file (only one this command wrote)");
  pg->footer(kValidateFooter);
  pg->callback([args] {
    try {
      run_validate(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
