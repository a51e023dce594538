#pragma once
// Forecast skill (预报效果评估): the continuous scores of a forecast against observations, the
// warning contingency table, and the Kalman-filter bias correction of a station's forecast
// (issue 12; `lantian verify`, forecast/verify_job.hpp).
//
// Continuous scores over the pairs (o_i, m_i) where both are finite (n of them):
//   mean_obs = Σo/n, mean_mod = Σm/n, MB = Σ(m−o)/n,
//   NMB = Σ(m−o)/Σo, NME = Σ|m−o|/Σo                       (NaN when Σo == 0),
//   RMSE = sqrt(Σ(m−o)²/n),
//   r = Pearson's correlation                               (NaN when either series is constant),
//   IOA = 1 − Σ(m−o)² / Σ(|m−ō| + |o−ō|)²                    (Willmott 1981; 1 when the
//                                                            denominator is 0 and m == o),
//   FAC2 = share of pairs with 0.5 o ≤ m ≤ 2 o (a pair o == m == 0 counts as within).
// Every score is NaN when n == 0 (no pair): "not computable", never 0.
//
// Warning contingency (over issue days): an event is "a warning (any level) is decided";
// POD = hits/(hits+misses), FAR = false_alarms/(hits+false_alarms),
// CSI = hits/(hits+misses+false_alarms); NaN when the denominator is 0.
//
// Kalman-filter bias correction (Delle Monache et al. 2006, J. Geophys. Res. 111, D05308;
// Delle Monache et al. 2008, Tellus 60B 238-249; the scheme of NOAA's operational bias-corrected
// PM2.5): the bias x of a station's forecast at one hour of the day is a random walk observed
// through the daily forecast errors y = m − o of that hour,
//   β   = (p + σ²η) / (p + σ²η + σ²ε)
//   x  ← x + β (y − x)
//   p  ← (p + σ²η)(1 − β)
// with σ²ε = 1 and σ²η = ratio (only the ratio matters; p starts at 1 and x at 0). The corrected
// forecast is m − x. A larger ratio follows a changing bias faster and noise more.
//
// Tag scalings (fit_scalings): the non-negative scalings s of the source tags' contributions T
// (columns: background, each sector, ...) that best reproduce the observations o in the least-
// squares sense, held near 1 by a ridge term (how much the inventory is trusted):
//   minimise  Σ_i (o_i − Σ_k s_k T_ik)² + λ Σ_k (s_k − 1)²   subject to  s_k >= 0,
// λ = ridge × Σ_i Σ_k T_ik² / K (relative to the data's own scale). Solved exactly (a convex
// quadratic with bounds) by cyclic coordinate descent on the normal equations until no s_k moves
// by more than 1e-12 (the bound-constrained Gauss–Seidel iteration, which converges for a
// positive-definite matrix; λ > 0 makes it so).
#include <cstddef>
#include <span>
#include <vector>

namespace lantian {

struct SkillScores {
  std::size_t n = 0;  ///< pairs with both values finite
  double mean_obs = 0.0, mean_mod = 0.0;
  double mb = 0.0, nmb = 0.0, nme = 0.0, rmse = 0.0, r = 0.0, ioa = 0.0, fac2 = 0.0;
};

/// The scores of `mod` against `obs` (same length; pairs with a NaN on either side are skipped).
/// Throws lantian::Error when the lengths differ.
SkillScores skill_scores(std::span<const double> obs, std::span<const double> mod);

/// 2x2 table of a yes/no event forecast against what was observed.
struct Contingency {
  std::size_t hits = 0, misses = 0, false_alarms = 0, correct_negatives = 0;
  void add(bool forecast, bool observed) noexcept;
  std::size_t total() const noexcept { return hits + misses + false_alarms + correct_negatives; }
  double pod() const noexcept;  ///< probability of detection
  double far() const noexcept;  ///< false-alarm ratio
  double csi() const noexcept;  ///< critical success index (threat score)
};

/// The Delle Monache et al. (2006) Kalman-filter bias estimate of one series (one station, one
/// hour of the day).
class KalmanBias {
 public:
  /// ratio = σ²η/σ²ε > 0; throws lantian::Error otherwise.
  explicit KalmanBias(double ratio = kDefaultRatio);
  /// Learns from one forecast error m − o (a NaN error is skipped: the state is unchanged).
  void update(double error) noexcept;
  double bias() const noexcept { return x_; }
  double variance() const noexcept { return p_; }
  std::size_t updates() const noexcept { return updates_; }
  /// σ²η/σ²ε: Delle Monache et al. (2008) choose it by a sensitivity analysis on past data; this
  /// default is our choice, not theirs (steady gain β ≈ 0.22: a constant bias is 78 % learnt
  /// after 3 daily errors, 95 % after 8); `lantian verify --kf-ratio` tunes it.
  static constexpr double kDefaultRatio = 0.06;

 private:
  double ratio_;
  double x_ = 0.0;
  double p_ = 1.0;
  std::size_t updates_ = 0;
};

/// The scalings above. `tags[k]` is column k (every column the length of `obs`); rows with a
/// non-finite value anywhere are skipped. With no usable row, every scaling is 1. Throws
/// lantian::Error on columns of different lengths or a ridge that is not positive.
std::vector<double> fit_scalings(const std::vector<std::vector<double>>& tags, std::span<const double> obs,
                                 double ridge = 0.1);

}  // namespace lantian
