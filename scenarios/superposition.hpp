#pragma once
// Instant what-ifs by superposition (叠加法情景评估): any scenario evaluated from stored source
// contributions without re-running the model (issue 6).
//
// Contributions c[tag][station][hour] (µg/m³) sum over tags to the baseline station series:
//   * Eulerian source tags (solver/eulerian_model.hpp, CAMx PSAT style): the station series of
//     each tag, Σ tags == total to round-off, the lateral inflow in the boundary tag;
//   * Gaussian per-enterprise or per-line results (forecast/plume_screening.hpp), layout
//     [hour][receptor][source], through from_hour_receptor_source(), or splitting one Eulerian
//     tag into enterprises with split_tag() (the remainder keeps the sum exact).
// A scenario is a weight w[tag][hour]: the factor applied to the emissions of the tag's sources
// at that hour (1 = baseline, 0.7 = a 30% cut, 0 = stopped). The background tag (inflow, initial
// state) is not the city's to cut: its weight lies in [0, 1], below 1 only for a regional cut of
// the inflow (区域联防联控, Scenario::regional_cut).
//
// The result is the station series
//   C(s, h) = Σ_tag w_eff[tag][h] · c[tag][s][h].
//
// Time lag (emission at hour h' affects concentrations at h >= h'). Two approximations:
//   * age 0 (default): w_eff[tag][h] = w[tag][h], the weight at the concentration's hour.
//     Exact for weights constant in time (the linear scheme: transport, diffusion, linear
//     chemistry and deposition are linear in the emissions, so scaling a tag's emissions by a
//     constant scales its contribution exactly). A measure that starts at h0 is then felt in
//     full at once instead of building up over the transport time.
//   * age τ_tag > 0 (hours): the tag's mass at a station is taken to have the exponential age
//     distribution of a well-mixed box with flushing time τ (the mass emitted k hours ago
//     weighs (1 − r) r^k, r = exp(−1/τ)), so
//       w_eff[h] = r · w_eff[h−1] + (1 − r) · w[h],   w_eff[−1] = 1 (before the horizon the
//     emissions were the baseline's, and the initial state is unaffected by the scenario).
//     This is exact for a linear box with flushing time τ and steady baseline emissions
//     (tests/scenarios/test_superposition.cpp), and a first-order account of the lag for the
//     Eulerian tags (τ ≈ distance to the tag's sources / wind speed, or the e-folding of the tag's
//     response to a step cut in a re-run).
// compare_with_rerun() reports the error of a superposed series against an explicit re-run.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "scenarios/metrics.hpp"

namespace lantian {

/// Stored contributions, [tag][station][hour] contiguous: value(t, s, h) =
/// data[(t * stations + s) * hours + h], µg/m³.
struct Contributions {
  std::size_t tags = 0, stations = 0, hours = 0;
  std::vector<double> data;
  std::vector<std::string> tag_names;  ///< optional, one per tag
  int background_tag = -1;             ///< the inflow/background tag (weight <= 1), -1 = none

  double operator()(std::size_t t, std::size_t s, std::size_t h) const noexcept {
    return data[(t * stations + s) * hours + h];
  }
  std::span<const double> tag(std::size_t t) const noexcept {
    return std::span<const double>(data).subspan(t * stations * hours, stations * hours);
  }
  /// Σ over tags: the baseline station series, [station][hour].
  std::vector<double> total() const;
  /// Throws lantian::Error on a shape mismatch, a non-finite value, names of the wrong count or
  /// a background tag out of range.
  void validate() const;
};

/// Contributions from a [hour][receptor][source] array (PlumeScreening::enterprise_contributions,
/// line_contributions), taking the first `stations` receptors: one tag per source.
Contributions from_hour_receptor_source(std::span<const double> hrs, std::size_t hours, std::size_t receptors,
                                        std::size_t sources, std::size_t stations);

/// Replaces tag `t` by `parts` (their tags, same stations and hours; e.g. the Gaussian
/// enterprises of an Eulerian "industry" tag) followed by one remainder tag = c[t] − Σ parts,
/// named "<name> (remainder)", so that the sum over tags is unchanged. The remainder may be
/// negative where the parts overestimate; give it the tag's weight in scenarios. Tag t is
/// removed (later tags shift down by one, the background index with them) and the new tags
/// are appended, parts first. The background tag cannot be split. Throws lantian::Error.
Contributions split_tag(const Contributions& c, std::size_t t, const Contributions& parts);

struct SuperpositionOptions {
  /// Per tag, the age τ (hours) of the lag model above; empty = all 0 (weight at the
  /// concentration's hour). Finite and >= 0.
  std::vector<double> age_hours;
  void validate(std::size_t tags) const;
};

/// A scenario's weights, [tag][hour] contiguous (tags × hours values).
/// Throws lantian::Error naming the tag and hour of a weight that is negative or not finite, or a
/// background weight outside [0, 1].
void check_weights(const Contributions& c, std::span<const double> weights);

/// The effective weights of the lag model (see the top of this header), [tag][hour].
void effective_weights(const Contributions& c, const SuperpositionOptions& options, std::span<const double> weights,
                       std::span<double> out);

/// One scenario: out[station][hour] = Σ_tag w_eff[tag][hour] · c[tag][station][hour].
/// Checks the weights (check_weights) and the sizes; throws lantian::Error.
std::vector<double> superpose(const Contributions& c, std::span<const double> weights,
                              const SuperpositionOptions& options = {});

/// A batch of scenarios in one pass: weights [scenario][tag][hour], out [scenario][station][hour]
/// (n_scenarios = weights.size() / (tags × hours)). Every weight is checked first; then, per
/// scenario, the effective weights and one sweep over the contributions (contiguous in hours,
/// vectorised). The kernel reads the contributions once per scenario (tags × stations × hours
/// doubles: 92 KiB for the demo's 20 × 8 × 72, L2-resident) and does 2 FLOP per value.
void superpose_batch(const Contributions& c, std::span<const double> weights, std::span<double> out,
                     const SuperpositionOptions& options = {});

/// The superposition kernel alone (no checks, no lag): out[s][h] = Σ_t w[t][h] · c[t][s][h].
void superpose_kernel(const Contributions& c, const double* w, double* out) noexcept;

/// Peak error of one station: superposed vs an explicit re-run.
struct PeakError {
  std::size_t station = 0;
  double superposed_peak = 0.0, rerun_peak = 0.0;  ///< peak hourly PM2.5, µg/m³
  std::int64_t superposed_peak_hour = -1, rerun_peak_hour = -1;
  double abs_error = 0.0;    ///< |superposed_peak − rerun_peak|
  double rel_error = 0.0;    ///< abs_error / rerun_peak (NaN when the peak is 0)
  double max_abs_hourly = 0.0;  ///< largest |difference| over the station's hours
};

struct SuperpositionError {
  std::vector<PeakError> stations;
  double max_abs = 0.0;         ///< of the peaks, µg/m³
  double max_rel = 0.0;         ///< of the peaks
  std::size_t worst_station = 0;  ///< largest rel_error
  double max_abs_hourly = 0.0;  ///< over every station-hour
  /// "superposition vs re-run: peak error max 0.12 µg/m³ (0.08%, station 3); hourly max 0.3 µg/m³"
  std::string summary(std::span<const std::string> station_names = {}) const;
};

/// Error report of a superposed series against an explicit re-run of the same scenario (same
/// shape; NaN hours are skipped). Throws lantian::Error on a shape mismatch.
SuperpositionError compare_with_rerun(const StationHourSeries& superposed, const StationHourSeries& rerun);

}  // namespace lantian
