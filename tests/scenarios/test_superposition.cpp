// Superposition of stored contributions (scenarios/superposition.hpp): exactness for unit
// weights, linearity, the lag model against a linear box model re-run, the error report, tag
// splitting and the throughput on the demo shape (8 stations × 72 h × 20 tags).
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "scenarios/superposition.hpp"

using namespace lantian;

namespace {

/// Deterministic pseudo-random numbers in [0, 1) (a 64-bit LCG; portable across libraries).
struct Lcg {
  std::uint64_t x;
  double operator()() {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  }
};

Contributions random_contributions(std::size_t tags, std::size_t stations, std::size_t hours, std::uint64_t seed) {
  Lcg rng{seed};
  Contributions c;
  c.tags = tags;
  c.stations = stations;
  c.hours = hours;
  c.data.resize(tags * stations * hours);
  for (double& v : c.data) v = 20.0 * rng();
  c.background_tag = 0;
  return c;
}

std::vector<double> random_weights(const Contributions& c, std::uint64_t seed) {
  Lcg rng{seed};
  std::vector<double> w(c.tags * c.hours);
  for (std::size_t t = 0; t < c.tags; ++t)
    for (std::size_t h = 0; h < c.hours; ++h)
      w[t * c.hours + h] = static_cast<int>(t) == c.background_tag ? 1.0 : rng();
  return w;
}

}  // namespace

TEST_CASE("unit weights reproduce the sum of the tags exactly", "[superposition]") {
  const Contributions c = random_contributions(20, 8, 72, 1);
  const std::vector<double> w(c.tags * c.hours, 1.0);
  const std::vector<double> out = superpose(c, w);
  // Independent sum, tags in order.
  for (std::size_t s = 0; s < c.stations; ++s)
    for (std::size_t h = 0; h < c.hours; ++h) {
      double sum = 0.0;
      for (std::size_t t = 0; t < c.tags; ++t) sum += c(t, s, h);
      REQUIRE(out[s * c.hours + h] == sum);
    }
  CHECK(c.total() == out);
}

TEST_CASE("superposition is linear in the weights", "[superposition]") {
  Contributions c = random_contributions(6, 3, 30, 2);
  c.background_tag = -1;
  const std::vector<double> w1 = random_weights(c, 3), w2 = random_weights(c, 4);
  std::vector<double> mix(w1.size());
  for (std::size_t i = 0; i < mix.size(); ++i) mix[i] = 0.3 * w1[i] + 1.7 * w2[i];
  const std::vector<double> a = superpose(c, w1), b = superpose(c, w2), m = superpose(c, mix);
  for (std::size_t i = 0; i < m.size(); ++i) REQUIRE(m[i] == Approx(0.3 * a[i] + 1.7 * b[i]).epsilon(1e-13));
  // A tag at weight 0 removes exactly its contribution.
  std::vector<double> one(c.tags * c.hours, 1.0);
  for (std::size_t h = 0; h < c.hours; ++h) one[2 * c.hours + h] = 0.0;
  const std::vector<double> without = superpose(c, one), total = c.total();
  for (std::size_t s = 0; s < c.stations; ++s)
    for (std::size_t h = 0; h < c.hours; ++h)
      REQUIRE(without[s * c.hours + h] == Approx(total[s * c.hours + h] - c(2, s, h)).epsilon(1e-13));
}

TEST_CASE("a batch equals scenario-by-scenario evaluation", "[superposition]") {
  const Contributions c = random_contributions(5, 4, 24, 5);
  const std::size_t n = 7, per_w = c.tags * c.hours, per_out = c.stations * c.hours;
  std::vector<double> weights;
  for (std::size_t k = 0; k < n; ++k) {
    const auto w = random_weights(c, 100 + k);
    weights.insert(weights.end(), w.begin(), w.end());
  }
  SuperpositionOptions opt;
  opt.age_hours = {0.0, 3.0, 0.0, 6.0, 1.5};
  std::vector<double> out(n * per_out);
  superpose_batch(c, weights, out, opt);
  for (std::size_t k = 0; k < n; ++k) {
    const std::vector<double> one =
        superpose(c, std::span<const double>(weights).subspan(k * per_w, per_w), opt);
    for (std::size_t i = 0; i < per_out; ++i) REQUIRE(out[k * per_out + i] == one[i]);
  }
}

TEST_CASE("weights are checked: background at most 1, finite, non-negative", "[superposition]") {
  const Contributions c = random_contributions(3, 2, 4, 6);  // background tag 0
  std::vector<double> w(c.tags * c.hours, 1.0);
  CHECK_NOTHROW(superpose(c, w));
  w[1] = 0.5;  // background tag, hour 1: a regional cut of the inflow
  CHECK_NOTHROW(superpose(c, w));
  w[1] = 1.5;  // more inflow than the baseline's: not a control
  CHECK_THROWS_WITH(superpose(c, w), Catch::Matchers::Contains("background tag's weight must lie in [0, 1]"));
  w[1] = 1.0;
  w[c.hours + 2] = -0.1;
  CHECK_THROWS_WITH(superpose(c, w), Catch::Matchers::Contains("weight[tag 1][hour 2]"));
  w[c.hours + 2] = 1.0;
  CHECK_THROWS_AS(superpose(c, std::span<const double>(w).first(5)), Error);
  SuperpositionOptions bad;
  bad.age_hours = {0.0, -1.0, 0.0};
  CHECK_THROWS_AS(superpose(c, w, bad), Error);
}

// A linear box model per tag and station (the "explicit re-run"): with flushing time τ,
//   c(h) = r c(h-1) + (1 - r) k E w(h),  r = exp(-1/τ),  c(-1) = k E (steady baseline),
// so the baseline contribution is k E at every hour. Superposition with age τ reproduces it to
// round-off; with age 0 (the weight at the concentration's hour) a step cut is felt at once, an
// error that decays with τ after the step.
TEST_CASE("the age model is exact for a linear box, the concentration-hour weight is not", "[superposition]") {
  const std::size_t tags = 3, stations = 2, hours = 48;
  const double tau = 5.0, r = std::exp(-1.0 / tau);
  const double k[tags][stations] = {{30.0, 25.0}, {40.0, 10.0}, {15.0, 35.0}};  // k E, µg/m³
  Contributions c;
  c.tags = tags;
  c.stations = stations;
  c.hours = hours;
  c.data.resize(tags * stations * hours);
  for (std::size_t t = 0; t < tags; ++t)
    for (std::size_t s = 0; s < stations; ++s)
      for (std::size_t h = 0; h < hours; ++h) c.data[(t * stations + s) * hours + h] = k[t][s];
  c.background_tag = 0;
  // Scenario: tag 1 cut by 50% from hour 12, tag 2 stopped from hour 20 to hour 30.
  std::vector<double> w(tags * hours, 1.0);
  for (std::size_t h = 12; h < hours; ++h) w[1 * hours + h] = 0.5;
  for (std::size_t h = 20; h < 30; ++h) w[2 * hours + h] = 0.0;
  // Explicit re-run of the box model.
  std::vector<double> rerun(stations * hours, 0.0);
  for (std::size_t t = 0; t < tags; ++t)
    for (std::size_t s = 0; s < stations; ++s) {
      double prev = k[t][s];
      for (std::size_t h = 0; h < hours; ++h) {
        prev = r * prev + (1.0 - r) * k[t][s] * w[t * hours + h];
        rerun[s * hours + h] += prev;
      }
    }
  SuperpositionOptions lag;
  lag.age_hours = {0.0, tau, tau};
  const std::vector<double> lagged = superpose(c, w, lag);
  for (std::size_t i = 0; i < rerun.size(); ++i) REQUIRE(lagged[i] == Approx(rerun[i]).epsilon(1e-12));
  const SuperpositionError exact = compare_with_rerun({lagged, stations, hours}, {rerun, stations, hours});
  CHECK(exact.max_rel < 1e-12);

  // Weight at the concentration's hour: exact before the first cut and long after the steps.
  const std::vector<double> instant = superpose(c, w);
  const SuperpositionError err = compare_with_rerun({instant, stations, hours}, {rerun, stations, hours});
  for (std::size_t s = 0; s < stations; ++s) CHECK(instant[s * hours + 5] == Approx(rerun[s * hours + 5]));
  // Station 0 at hour 12: the re-run has felt (1 - r) of the 50% cut of tag 1 (40 µg/m³), the
  // instant weight all of it: error 20 r.
  CHECK(std::abs(instant[12] - rerun[12]) == Approx(20.0 * r));
  CHECK(err.max_abs_hourly >= 20.0 * r - 1e-9);
  // The peaks are before the cuts (hours 0-11): no peak error.
  CHECK(err.max_abs == Approx(0.0).margin(1e-9));
}

TEST_CASE("error report of the station peaks", "[superposition]") {
  const std::vector<double> sup{1, 5, 2, /* station 1 */ 10, 8, 9};
  const std::vector<double> rerun{1, 4, 2, /* station 1 */ 10, 8, 9.5};
  const SuperpositionError e = compare_with_rerun({sup, 2, 3}, {rerun, 2, 3});
  REQUIRE(e.stations.size() == 2);
  CHECK(e.stations[0].superposed_peak == 5.0);
  CHECK(e.stations[0].rerun_peak == 4.0);
  CHECK(e.stations[0].superposed_peak_hour == 1);
  CHECK(e.stations[0].abs_error == 1.0);
  CHECK(e.stations[0].rel_error == 0.25);
  CHECK(e.stations[0].max_abs_hourly == 1.0);
  CHECK(e.stations[1].abs_error == 0.0);
  CHECK(e.stations[1].max_abs_hourly == 0.5);
  CHECK(e.max_abs == 1.0);
  CHECK(e.max_rel == 0.25);
  CHECK(e.worst_station == 0);
  CHECK(e.max_abs_hourly == 1.0);
  const std::vector<std::string> names{"Hongqiao", "Pudong"};
  CHECK_THAT(e.summary(names), Catch::Matchers::Contains("25%") && Catch::Matchers::Contains("Hongqiao"));
  CHECK_THROWS_AS(compare_with_rerun({sup, 2, 3}, {rerun, 3, 2}), Error);
}

TEST_CASE("Gaussian contributions: transposition and splitting a tag keep the sum", "[superposition]") {
  // [hour][receptor][source]: 2 hours, 3 receptors (2 stations + 1 map cell), 2 sources.
  const std::vector<double> hrs{1, 2, 3, 4, 99, 99, /* hour 1 */ 5, 6, 7, 8, 99, 99};
  const Contributions g = from_hour_receptor_source(hrs, 2, 3, 2, 2);
  CHECK(g.tags == 2);
  CHECK(g(0, 0, 0) == 1.0);
  CHECK(g(1, 0, 0) == 2.0);
  CHECK(g(0, 1, 0) == 3.0);
  CHECK(g(1, 1, 1) == 8.0);

  // Eulerian tags: background (tag 0), industry (tag 1), traffic (tag 2); industry split into
  // the two Gaussian enterprises and a remainder.
  Contributions e;
  e.tags = 3;
  e.stations = 2;
  e.hours = 2;
  e.data = {10, 11, 12, 13, /* industry */ 20, 21, 22, 23, /* traffic */ 5, 5, 5, 5};
  e.tag_names = {"background", "industry", "traffic"};
  e.background_tag = 0;
  const Contributions split = split_tag(e, 1, g);
  CHECK(split.tags == 5);
  CHECK(split.tag_names == std::vector<std::string>{"background", "traffic", "industry part 0", "industry part 1",
                                                     "industry (remainder)"});
  CHECK(split.background_tag == 0);
  CHECK(split.total() == e.total());
  CHECK(split(4, 0, 0) == 20.0 - 1.0 - 2.0);
  CHECK_THROWS_AS(split_tag(e, 0, g), Error);  // the background
}

TEST_CASE("1,000 scenarios on the demo shape evaluate well under a second", "[superposition]") {
  const Contributions c = random_contributions(20, 8, 72, 9);
  const std::size_t n = 1000;
  std::vector<double> weights;
  weights.reserve(n * c.tags * c.hours);
  for (std::size_t k = 0; k < n; ++k) {
    const auto w = random_weights(c, 1000 + k);
    weights.insert(weights.end(), w.begin(), w.end());
  }
  std::vector<double> out(n * c.stations * c.hours);
  const auto t0 = std::chrono::steady_clock::now();
  superpose_batch(c, weights, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO("1,000 scenarios (8 stations x 72 h x 20 tags): " << seconds * 1e3 << " ms");
  CHECK(seconds < 0.5);
  // Spot check one value of the last scenario.
  const double* w = weights.data() + (n - 1) * c.tags * c.hours;
  double v = 0.0;
  for (std::size_t t = 0; t < c.tags; ++t) v += w[t * c.hours + 17] * c(t, 3, 17);
  CHECK(out[(n - 1) * c.stations * c.hours + 3 * c.hours + 17] == Approx(v).epsilon(1e-13));
}
