#include "scenarios/skill.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace lantian {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio_or_nan(double num, double den) noexcept { return den != 0.0 ? num / den : kNaN; }
}  // namespace

SkillScores skill_scores(std::span<const double> obs, std::span<const double> mod) {
  LANTIAN_CHECK(obs.size() == mod.size(), (ErrorContext{"", 0, "skill_scores"}),
                "the observed and modelled series differ in length (" + std::to_string(obs.size()) + " vs " +
                    std::to_string(mod.size()) + ")");
  SkillScores s;
  double so = 0.0, sm = 0.0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    if (!std::isfinite(obs[i]) || !std::isfinite(mod[i])) continue;
    ++s.n;
    so += obs[i];
    sm += mod[i];
  }
  if (s.n == 0) {
    s.mean_obs = s.mean_mod = s.mb = s.nmb = s.nme = s.rmse = s.r = s.ioa = s.fac2 = kNaN;
    return s;
  }
  const double n = static_cast<double>(s.n);
  s.mean_obs = so / n;
  s.mean_mod = sm / n;
  // Second pass about the means (numerically stable sums of squares).
  double sd = 0.0, sad = 0.0, sdd = 0.0, soo = 0.0, smm = 0.0, som = 0.0, sp = 0.0;
  std::size_t within = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const double o = obs[i], m = mod[i];
    if (!std::isfinite(o) || !std::isfinite(m)) continue;
    const double d = m - o, ao = o - s.mean_obs, am = m - s.mean_mod;
    sd += d;
    sad += std::fabs(d);
    sdd += d * d;
    soo += ao * ao;
    smm += am * am;
    som += ao * am;
    const double pot = std::fabs(m - s.mean_obs) + std::fabs(ao);
    sp += pot * pot;
    if ((m >= 0.5 * o && m <= 2.0 * o) || (o == 0.0 && m == 0.0)) ++within;
  }
  s.mb = sd / n;
  s.nmb = ratio_or_nan(sd, so);
  s.nme = ratio_or_nan(sad, so);
  s.rmse = std::sqrt(sdd / n);
  s.r = (soo > 0.0 && smm > 0.0) ? som / std::sqrt(soo * smm) : kNaN;
  s.ioa = sp > 0.0 ? 1.0 - sdd / sp : (sdd == 0.0 ? 1.0 : kNaN);
  s.fac2 = static_cast<double>(within) / n;
  return s;
}

void Contingency::add(bool forecast, bool observed) noexcept {
  if (forecast && observed) ++hits;
  else if (!forecast && observed) ++misses;
  else if (forecast && !observed) ++false_alarms;
  else ++correct_negatives;
}

double Contingency::pod() const noexcept {
  return ratio_or_nan(static_cast<double>(hits), static_cast<double>(hits + misses));
}
double Contingency::far() const noexcept {
  return ratio_or_nan(static_cast<double>(false_alarms), static_cast<double>(hits + false_alarms));
}
double Contingency::csi() const noexcept {
  return ratio_or_nan(static_cast<double>(hits), static_cast<double>(hits + misses + false_alarms));
}

KalmanBias::KalmanBias(double ratio) : ratio_(ratio) {
  LANTIAN_CHECK(std::isfinite(ratio) && ratio > 0.0, (ErrorContext{"", 0, "kf_ratio"}),
                "the Kalman filter's variance ratio must be a positive number, got " + std::to_string(ratio));
}

void KalmanBias::update(double error) noexcept {
  if (!std::isfinite(error)) return;
  const double beta = (p_ + ratio_) / (p_ + ratio_ + 1.0);
  x_ += beta * (error - x_);
  p_ = (p_ + ratio_) * (1.0 - beta);
  ++updates_;
}

std::vector<double> fit_scalings(const std::vector<std::vector<double>>& tags, std::span<const double> obs,
                                 double ridge) {
  const std::size_t nk = tags.size(), n = obs.size();
  LANTIAN_CHECK(std::isfinite(ridge) && ridge > 0.0, (ErrorContext{"", 0, "ridge"}),
                "the ridge of the tag scalings must be a positive number, got " + std::to_string(ridge));
  for (const auto& col : tags)
    LANTIAN_CHECK(col.size() == n, (ErrorContext{"", 0, "fit_scalings"}),
                  "a tag column has " + std::to_string(col.size()) + " rows, the observations " + std::to_string(n));
  std::vector<double> g(nk * nk, 0.0), c(nk, 0.0), s(nk, 1.0);
  double scale = 0.0;
  std::size_t rows = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = std::isfinite(obs[i]);
    for (std::size_t k = 0; ok && k < nk; ++k) ok = std::isfinite(tags[k][i]);
    if (!ok) continue;
    ++rows;
    for (std::size_t k = 0; k < nk; ++k) {
      c[k] += tags[k][i] * obs[i];
      scale += tags[k][i] * tags[k][i];
      for (std::size_t j = 0; j < nk; ++j) g[k * nk + j] += tags[k][i] * tags[j][i];
    }
  }
  if (rows == 0 || nk == 0 || scale <= 0.0) return s;
  const double lambda = ridge * scale / static_cast<double>(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    g[k * nk + k] += lambda;
    c[k] += lambda;
  }
  for (int sweep = 0; sweep < 100000; ++sweep) {
    double moved = 0.0;
    for (std::size_t k = 0; k < nk; ++k) {
      double r = c[k];
      for (std::size_t j = 0; j < nk; ++j)
        if (j != k) r -= g[k * nk + j] * s[j];
      const double v = std::max(0.0, r / g[k * nk + k]);
      moved = std::max(moved, std::fabs(v - s[k]));
      s[k] = v;
    }
    if (moved <= 1e-12 * std::max(1.0, *std::max_element(s.begin(), s.end()))) break;
  }
  return s;
}

}  // namespace lantian
