#pragma once
// Project Prairie Grass (O'Neill, Nebraska, 1956; Barad 1958) as digitised by J. S. Irwin and
// distributed with G. Bijloos's data (../shared/data/prairie-grass/SOURCE.txt): the arc
// concentrations (PGARCS.txt), the per-run meteorology (modelParamList.txt) and the SO2
// correction factors of Barad's Table 5.4 (PGrassEvapLossTABLE_5_4.txt); and the validation of
// the Gaussian plume against the arc maxima with the statistics of Chang and Hanna (2004).
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "solver/gaussian_plume.hpp"
#include "validation/validation_stats.hpp"

namespace lantian::validation {

/// One sampler of an arc, 1.5 m above ground (the arc's sampler height).
struct PgSampler {
  double azimuth_deg = 0.0;                 ///< bearing from the source, degrees from north
  int number = 0;                           ///< sampler number on the arc
  double distance_m = 0.0;                  ///< from the source
  std::optional<double> concentration_mg_m3;  ///< 10-min mean SO2; empty where the file has -9
};

/// One arc of one run.
struct PgArc {
  int run = 0;
  int arc = 0;                  ///< 1..5 for 50, 100, 200, 400, 800 m
  std::string date;             ///< 'MM/DD/YY' as in the file
  std::string period;           ///< 'HHMM-HHMM' local time
  double distance_m = 0.0;
  double emission_g_s = 0.0;    ///< SO2 release rate Q
  double release_height_m = 0.0;
  double sampler_height_m = 0.0;
  std::vector<PgSampler> samplers;
  long line = 0;                ///< line of the arc's header in the file

  /// The largest non-missing sampler concentration (mg/m3); empty when all are missing.
  std::optional<double> max_observed_mg_m3() const;
};

/// Per-run meteorology of modelParamList.txt.
struct PgMet {
  int run = 0;
  double obukhov_length_m = 0.0;         ///< L
  double ustar_m_s = 0.0;                ///< u*
  std::optional<double> mixing_height_m; ///< h_i; empty where the file has -999 (stable runs)
  double wind_dir_deg = 0.0;             ///< direction the wind blows from
  double sigma_azimuth_deg = 0.0;        ///< standard deviation of the wind direction
  double wind_speed_m_s = 0.0;           ///< at 2 m
  long line = 0;
};

/// Barad's Table 5.4 row of one run: a factor per arc (1..5 -> index 0..4).
using PgSo2Factors = std::array<double, 5>;

/// The arc distances of the five arcs, m.
inline constexpr std::array<double, 5> kPgArcDistances{50.0, 100.0, 200.0, 400.0, 800.0};

/// PGARCS.txt: every arc record in file order. Throws lantian::Error naming the file and line.
std::vector<PgArc> read_pg_arcs(const std::string& path);
/// modelParamList.txt keyed by run. Throws lantian::Error naming the file and line.
std::map<int, PgMet> read_pg_met(const std::string& path);
/// PGrassEvapLossTABLE_5_4.txt keyed by run. Throws lantian::Error naming the file and line.
std::map<int, PgSo2Factors> read_pg_so2_factors(const std::string& path);

/// The three files of a Prairie Grass folder.
struct PgDataset {
  std::vector<PgArc> arcs;
  std::map<int, PgMet> met;
  std::map<int, PgSo2Factors> so2_factors;
};
PgDataset read_prairie_grass(const std::string& folder);

/// One run-arc that can be compared with a model: its run has met, and the arc has at least one
/// observed concentration.
struct PgRunArc {
  const PgArc* arc = nullptr;
  const PgMet* met = nullptr;
  double observed_max_mg_m3 = 0.0;  ///< arc maximum, times so2_factor
  double so2_factor = 1.0;          ///< the Table 5.4 factor applied (1 when not applied)
};

/// How observed concentrations are taken.
struct PgObservationOptions {
  /// Multiply observations by Barad's Table 5.4 factor of the run and arc, as Bijloos (2022,
  /// PGConc.m) does. Factors outside 0.5..1 (run 12 at 200 m reads 0.09, a digitisation slip
  /// for 0.90) are taken as 1 and counted in `implausible_factors`.
  bool apply_so2_factors = false;
};

struct PgRunArcs {
  std::vector<PgRunArc> run_arcs;
  std::vector<int> usable_runs;           ///< runs with met (L and u*) and arcs
  std::vector<int> runs_without_met;      ///< runs in PGARCS.txt with no met line
  int arcs_all_missing = 0;               ///< arcs of usable runs with no observed value
  int implausible_factors = 0;            ///< Table 5.4 factors outside 0.5..1 taken as 1
};

/// The comparable run-arcs of `data`; pointers refer into `data`, which must outlive them.
PgRunArcs usable_run_arcs(const PgDataset& data, const PgObservationOptions& options = {});

// ---- Validation of the Gaussian plume on the arc maxima ----

/// How the plume is set up for Prairie Grass.
struct PgValidationOptions {
  solver::PlumeOptions plume = [] {
    solver::PlumeOptions o;
    o.dispersion = solver::Dispersion::Turbulence;
    return o;
  }();
  double z0 = 0.006;              ///< roughness length, m (Barad: mown prairie grass)
  double temperature_K = 298.0;   ///< ambient air, K
  double ref_height = 2.0;        ///< height of the wind speed in modelParamList.txt, m
  PgObservationOptions observations;
};

/// Mixing height (m) for runs without one (stable, h_i = -999): the mechanical mixing height of
/// the stable boundary layer, h = 2300 u*^1.5 (Venkatram 1980; AERMOD, Cimorelli et al. 2005,
/// J. Appl. Meteorol. 44, 682-693, eq. 25).
double pg_stable_mixing_height(double ustar) noexcept;

/// The plume meteorology of one run: the 2-m wind and direction, u*, L, h_i (or
/// pg_stable_mixing_height), z0, T, and the Pasquill-Gifford class from L and z0 (Golder) for
/// the Briggs options.
solver::PlumeMet pg_plume_met(const PgMet& met, const PgValidationOptions& options);

/// One compared run-arc.
struct PgComparison {
  int run = 0;
  int arc = 0;
  double distance_m = 0.0;
  double emission_g_s = 0.0;
  double obukhov_length_m = 0.0;
  double ustar_m_s = 0.0;
  double wind_speed_m_s = 0.0;
  double mixing_height_m = 0.0;  ///< the one used
  char stability = 0;            ///< Pasquill-Gifford class (Golder)
  double so2_factor = 1.0;       ///< applied to the observation
  double observed_ug_m3 = 0.0;   ///< arc maximum
  double predicted_ug_m3 = 0.0;  ///< plume centreline at the arc distance and sampler height
};

struct PgValidation {
  std::vector<PgComparison> rows;         ///< run-arcs in file order
  std::vector<int> usable_runs;
  std::vector<int> runs_without_met;
  int arcs_all_missing = 0;
  int implausible_factors = 0;
  std::array<ValidationStats, 5> by_arc;  ///< 50, 100, 200, 400, 800 m
  ValidationStats overall;
};

/// The plume's arc maximum for every usable run-arc of `data`, and the statistics per arc and
/// overall. The predicted arc maximum is the plume centreline concentration at the arc distance
/// and the sampler height: arc maxima are compared regardless of direction (as in the AERMOD
/// evaluations), the samplers are 1-2 degrees apart, and the reported wind direction is a
/// 10-minute mean that need not point at the observed maximum.
PgValidation validate_prairie_grass(const PgDataset& data, const PgValidationOptions& options);

/// AERMOD's figures on the same 265 run-arcs (../shared/TARGETS.md).
struct PgReference {
  double fac2, fb, nmse, mg, vg;
  std::array<double, 5> fac2_by_arc;
};
inline constexpr PgReference kAermodPrairieGrass{0.830, 0.290, 0.738, 1.22, 1.37, {0.91, 0.85, 0.79, 0.83, 0.77}};

}  // namespace lantian::validation
