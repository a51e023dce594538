// Forecast skill (scenarios/skill.hpp) against hand calculations, and the Kalman-filter bias
// correction on synthetic series whose bias is known.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "scenarios/skill.hpp"

using namespace lantian;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

// obs 10 20 30 40, mod 12 18 33 50 (and one pair with a missing observation, skipped).
// d = m - o = 2, -2, 3, 10: Σd = 13, Σ|d| = 17, Σd² = 117, Σo = 100, n = 4.
//   MB = 13/4 = 3.25; NMB = 13/100 = 0.13; NME = 17/100 = 0.17; RMSE = sqrt(117/4) = 5.40832691.
//   ō = 25, m̄ = 28.25; o−ō = -15 -5 5 15 (Σ² 500); m−m̄ = -16.25 -10.25 4.75 21.75 (Σ² 864.75);
//   Σ(o−ō)(m−m̄) = 243.75 + 51.25 + 23.75 + 326.25 = 645 -> r = 645/sqrt(500 · 864.75) = 0.98091062.
//   IOA: |m−ō| + |o−ō| = 13+15, 7+5, 8+5, 25+15 = 28 12 13 40 -> Σ² = 784+144+169+1600 = 2697;
//   IOA = 1 − 117/2697 = 0.95661847. FAC2: ratios 1.2 0.9 1.1 1.25 -> 1.
TEST_CASE("skill scores against a hand calculation", "[skill]") {
  const std::vector<double> obs{10, 20, 30, kNaN, 40};
  const std::vector<double> mod{12, 18, 33, 99, 50};
  const SkillScores s = skill_scores(obs, mod);
  CHECK(s.n == 4);
  CHECK(s.mean_obs == Approx(25.0).epsilon(1e-14));
  CHECK(s.mean_mod == Approx(28.25).epsilon(1e-14));
  CHECK(s.mb == Approx(3.25).epsilon(1e-14));
  CHECK(s.nmb == Approx(0.13).epsilon(1e-14));
  CHECK(s.nme == Approx(0.17).epsilon(1e-14));
  CHECK(s.rmse == Approx(std::sqrt(117.0 / 4.0)).epsilon(1e-14));
  CHECK(s.r == Approx(645.0 / std::sqrt(500.0 * 864.75)).epsilon(1e-13));
  CHECK(s.ioa == Approx(1.0 - 117.0 / 2697.0).epsilon(1e-14));
  CHECK(s.fac2 == 1.0);
}

TEST_CASE("FAC2 counts the edges as within and 0 == 0 as within", "[skill]") {
  // 4.9/10 < 0.5 (out); 5/10 = 0.5 (in); 20/10 = 2 (in); 0 and 0 (in); 1 against 0 (out).
  const SkillScores s = skill_scores(std::vector<double>{10, 10, 10, 0, 0}, std::vector<double>{4.9, 5, 20, 0, 1});
  CHECK(s.fac2 == Approx(3.0 / 5.0).epsilon(1e-15));
}

TEST_CASE("scores that cannot be computed are NaN, never 0", "[skill]") {
  const SkillScores none = skill_scores(std::vector<double>{kNaN, 3}, std::vector<double>{1, kNaN});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.rmse));
  CHECK(std::isnan(none.mb));
  CHECK(std::isnan(none.fac2));
  // A constant forecast has no correlation; a perfect one has IOA 1 and no error.
  const SkillScores flat = skill_scores(std::vector<double>{1, 2, 3}, std::vector<double>{2, 2, 2});
  CHECK(std::isnan(flat.r));
  CHECK(flat.mb == Approx(0.0).margin(1e-15));
  const SkillScores perfect = skill_scores(std::vector<double>{5, 5}, std::vector<double>{5, 5});
  CHECK(perfect.ioa == 1.0);
  CHECK(perfect.rmse == 0.0);
  CHECK(std::isnan(perfect.r));
  CHECK_THROWS_AS(skill_scores(std::vector<double>{1, 2}, std::vector<double>{1}), Error);
}

// 10 issue days: 4 warnings observed, the forecast catches 3 and adds 1 false alarm.
// POD = 3/4, FAR = 1/4, CSI = 3/5.
TEST_CASE("the warning contingency table", "[skill]") {
  Contingency c;
  const bool fc[10] = {true, true, true, false, true, false, false, false, false, false};
  const bool ob[10] = {true, true, true, true, false, false, false, false, false, false};
  for (int i = 0; i < 10; ++i) c.add(fc[i], ob[i]);
  CHECK(c.hits == 3);
  CHECK(c.misses == 1);
  CHECK(c.false_alarms == 1);
  CHECK(c.correct_negatives == 5);
  CHECK(c.total() == 10);
  CHECK(c.pod() == Approx(0.75).epsilon(1e-15));
  CHECK(c.far() == Approx(0.25).epsilon(1e-15));
  CHECK(c.csi() == Approx(0.6).epsilon(1e-15));
  const Contingency empty;
  CHECK(std::isnan(empty.pod()));
  CHECK(std::isnan(empty.far()));
}

// First update from p = 1, x = 0 with ratio r: β = (1 + r)/(2 + r), x = β y, p = (1 + r)(1 − β).
TEST_CASE("the Kalman filter's first step by hand, and a missing error changes nothing", "[skill][kalman]") {
  KalmanBias kf(0.06);
  kf.update(kNaN);
  CHECK(kf.updates() == 0);
  CHECK(kf.bias() == 0.0);
  kf.update(10.0);
  const double beta = 1.06 / 2.06;
  CHECK(kf.bias() == Approx(10.0 * beta).epsilon(1e-15));
  CHECK(kf.variance() == Approx(1.06 * (1.0 - beta)).epsilon(1e-15));
  CHECK(kf.updates() == 1);
  CHECK_THROWS_AS(KalmanBias(0.0), Error);
  CHECK_THROWS_AS(KalmanBias(kNaN), Error);
}

// A synthetic station: "observed" values follow a daily cycle with day-to-day changes; the
// forecast is the truth + 15 µg/m³ + noise (σ 3, a deterministic uniform generator: σ of a
// uniform on [-a, a] is a/sqrt(3), a = 3 sqrt(3)). The filter, fed each day's error before the
// next day's forecast, must learn the +15: the bias estimate's steady-state spread is about
// σ sqrt(β/(2−β)) ≈ 3 · 0.35 ≈ 1.1 (β ≈ 0.22), so after 20 days |x − 15| < 3.5 (3 spreads).
// Then the bias steps to −10 on day 40: 10 days later it is followed to within 3.5 again.
// The corrected series' RMSE over days 20..39 is below the raw one's (15.3) by more than 3x.
TEST_CASE("the Kalman filter learns a known bias and follows a change of it", "[skill][kalman]") {
  std::uint64_t state = 12345;
  auto uniform = [&state] {  // in [-1, 1)
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 4503599627370496.0 - 1.0;
  };
  const double a = 3.0 * std::sqrt(3.0);
  KalmanBias kf;
  std::vector<double> obs, raw, corrected;
  for (int day = 0; day < 50; ++day) {
    const double truth = 60.0 + 40.0 * std::sin(0.7 * day);
    const double bias = day < 40 ? 15.0 : -10.0;
    const double forecast = truth + bias + a * uniform();
    if (day >= 20 && day < 40) {
      obs.push_back(truth);
      raw.push_back(forecast);
      corrected.push_back(forecast - kf.bias());  // the estimate from the days before only
    }
    if (day == 39) CHECK(kf.bias() == Approx(15.0).margin(3.5));
    kf.update(forecast - truth);
  }
  CHECK(kf.bias() == Approx(-10.0).margin(3.5));
  const SkillScores r = skill_scores(obs, raw), c = skill_scores(obs, corrected);
  CHECK(r.rmse > 14.0);
  CHECK(c.rmse < r.rmse / 3.0);
  CHECK(std::fabs(c.mb) < 2.0);
}

// Two tags, obs = 2 T1 + 0.5 T2 exactly on 50 rows. With the ridge λ = ridge Σ T² / K, the
// exact minimiser solves (AᵀA + λI) s = Aᵀo + λ 1; a ridge of 1e-9 moves s by ~1e-9 relative,
// so s = (2, 0.5) to 1e-6. The same data with obs = 2 T1 − 1 T2 + noise-free: the unconstrained
// optimum has s2 < 0; the constrained one has s2 = 0 and s1 the 1-D least squares Σ T1 o / Σ T1²
// (plus its tiny ridge pull). No usable row: all ones.
TEST_CASE("non-negative tag scalings: exact recovery, the bound, and no data", "[skill][fit]") {
  std::vector<std::vector<double>> tags(2, std::vector<double>(50));
  std::vector<double> obs(50), obs2(50);
  for (int i = 0; i < 50; ++i) {
    tags[0][static_cast<std::size_t>(i)] = 10.0 + 5.0 * std::sin(0.3 * i);
    tags[1][static_cast<std::size_t>(i)] = 20.0 + 8.0 * std::cos(0.17 * i);
    obs[static_cast<std::size_t>(i)] = 2.0 * tags[0][static_cast<std::size_t>(i)] + 0.5 * tags[1][static_cast<std::size_t>(i)];
    obs2[static_cast<std::size_t>(i)] = 2.0 * tags[0][static_cast<std::size_t>(i)] - tags[1][static_cast<std::size_t>(i)];
  }
  const auto s = fit_scalings(tags, obs, 1e-9);
  REQUIRE(s.size() == 2);
  CHECK(s[0] == Approx(2.0).epsilon(1e-6));
  CHECK(s[1] == Approx(0.5).epsilon(1e-6));
  const auto b = fit_scalings(tags, obs2, 1e-9);
  double to = 0.0, tt = 0.0;
  for (std::size_t i = 0; i < 50; ++i) to += tags[0][i] * obs2[i], tt += tags[0][i] * tags[0][i];
  CHECK(b[1] == 0.0);
  CHECK(b[0] == Approx(to / tt).epsilon(1e-6));
  // A strong ridge holds the scalings at 1 (the inventory trusted over the data).
  const auto r = fit_scalings(tags, obs, 1e6);
  CHECK(r[0] == Approx(1.0).epsilon(1e-4));
  CHECK(r[1] == Approx(1.0).epsilon(1e-4));
  tags[0][0] = kNaN;
  std::vector<double> none(50, kNaN);
  const auto o = fit_scalings(tags, none);
  CHECK((o[0] == 1.0 && o[1] == 1.0));
  CHECK_THROWS_AS(fit_scalings(tags, obs, 0.0), Error);
}
