#pragma once
// The initial state (初始场) of the Eulerian model: a background (zeros for a spin-up, or a
// uniform regional background), optionally corrected at the start time by an objective analysis
// of station observations (站点观测客观分析).
//
// Analysis (Cressman 1959, Mon. Weather Rev. 87, 367; one pass): at each surface cell (i, j)
//     A = B + Σ_s w_s (O_s − B_s) / Σ_s w_s,    w_s = (R² − d_s²) / (R² + d_s²) for d_s < R, else 0,
// with B the background surface value at the cell, O_s the observation of station s, B_s the
// background in the cell holding the station and d_s the horizontal distance (grid CRS, m)
// from the cell centre to the station. Cells no station reaches keep B. A is floored at 0.
// The surface increment A − B is spread up the mixing layer: at a layer centre z,
//     c(z) = B(z) + (A − B) f(z),  f = 1 for z <= PBLH,  f = exp(−(z − PBLH)/H) above,
// floored at 0 (H = `decay_height`).
//
// Quantities analysed: PM2.5, SO2 (-> SO2), NO2 (-> NOx) and PM10 (-> PMC as PM10 − PM2.5 at each
// station having both). PM2.5 is split into species so that the reconstruction of species.hpp
// (pm25_of) returns the analysed value exactly:
//   - composition = background: every PM2.5 species is scaled by PM2.5_analysed / PM2.5_background
//     at the cell (the background's own ratios kept); where the background has no PM2.5, the
//     fixed composition is used;
//   - composition = fixed: shares φ of the reported PM2.5 mass as primary, ammonium sulfate,
//     ammonium nitrate and SOA: PPM25 = φ_p PM, SO4 = φ_s PM / 1.375, NO3 = φ_n PM / 1.29,
//     SOA = φ_o PM. Default shares 0.40, 0.20, 0.25, 0.15: a typical winter-haze composition of
//     Chinese cities, where secondary aerosol makes 30-77 % of PM2.5 (Huang et al. 2014, Nature
//     514, 218).
#include <array>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "solver/process_step.hpp"

namespace lantian::solver {

/// Fields filled with `background[species]` (µg/m³) everywhere, halo included (zeros: a spin-up).
SpeciesFields background_state(const Grid& grid, const PerSpecies& background = {}, int halo = 2);

/// One station's value of the analysed quantity at the start time, position in the grid CRS.
struct StationValue {
  std::string station;
  XY position;
  double value = 0.0;  ///< µg/m³ (NaN = missing, skipped)
};

/// Observations at the start time, per analysed quantity (any may be empty).
struct InitialObservations {
  std::vector<StationValue> pm25, so2, no2, pm10;
};

enum class CompositionSource : unsigned char { background, fixed };

struct AnalysisParams {
  double radius = 30000.0;        ///< Cressman influence radius R, m
  double decay_height = 300.0;    ///< H of the decay above the mixing height, m
  CompositionSource composition = CompositionSource::background;
  /// Shares of reported PM2.5 as primary, ammonium sulfate, ammonium nitrate, SOA (sum 1).
  std::array<double, 4> shares{0.40, 0.20, 0.25, 0.15};
  /// Throws lantian::Error naming the parameter unless R > 0, H > 0, shares >= 0 summing to 1
  /// (within 1e-9).
  void validate() const;
};

/// The one-pass Cressman analysis A(i, j) of `obs` over the surface background `background`
/// (nx x ny, µg/m³), as at the top of this header. Stations outside the grid are skipped
/// (they have no background cell). Throws lantian::Error naming the station when a value or a
/// position is not finite or a value is negative.
Field2D<double> cressman_analysis(const Grid& grid, const Field2D<double>& background,
                                  const std::vector<StationValue>& obs, double radius);

/// The background corrected by the analysis of `obs`, spread through the mixing layer `pblh`
/// (m, nx x ny) and split into species (see the top of this header). `background` is not
/// changed; the result has its halo. Throws lantian::Error as cressman_analysis and on shape
/// mismatches.
SpeciesFields analyse_initial_state(const Grid& grid, const SpeciesFields& background, const Field2D<double>& pblh,
                                    const InitialObservations& obs, const AnalysisParams& params = {});

}  // namespace lantian::solver
