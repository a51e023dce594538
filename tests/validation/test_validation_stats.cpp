// Chang and Hanna (2004) statistics against values computed by hand from the definitions.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "validation/validation_stats.hpp"

using namespace lantian;
using namespace lantian::validation;

TEST_CASE("validation statistics on a small hand-computed set", "[solver][validation]") {
  // Co = {1, 2, 4, 8}, Cp = {2, 2, 2, 2}: mean Co = 3.75, mean Cp = 2.
  //   FB   = 2 (3.75 - 2) / 5.75 = 0.60869565...   (under-prediction: positive)
  //   NMSE = mean(1, 0, 4, 36) / (3.75 * 2) = 10.25 / 7.5 = 1.36666...
  //   mean ln Co = 1.5 ln 2, mean ln Cp = ln 2, so MG = exp(0.5 ln 2) = sqrt(2)
  //   ln Co - ln Cp = {-1, 0, 1, 2} ln 2, squares {1, 0, 1, 4} (ln 2)^2, so VG = exp(1.5 (ln 2)^2)
  //   Cp/Co = {2, 1, 0.5, 0.25}: three of four within [0.5, 2] (ends inclusive), FAC2 = 0.75
  const std::vector<double> co{1.0, 2.0, 4.0, 8.0};
  const std::vector<double> cp{2.0, 2.0, 2.0, 2.0};
  const ValidationStats s = validation_stats(co, cp);
  CHECK(s.n == 4);
  CHECK(s.mean_obs == Approx(3.75));
  CHECK(s.mean_pred == Approx(2.0));
  CHECK(s.fb == Approx(3.5 / 5.75));
  CHECK(s.fb == Approx(0.6086956522));
  CHECK(s.nmse == Approx(10.25 / 7.5));
  CHECK(s.mg == Approx(std::sqrt(2.0)));
  CHECK(s.vg == Approx(std::exp(1.5 * std::log(2.0) * std::log(2.0))));
  CHECK(s.vg == Approx(2.05583).epsilon(1e-5));  // exp(1.5 * 0.480453)
  CHECK(s.fac2 == Approx(0.75));
}

TEST_CASE("validation statistics: perfect agreement and the sign of the biases", "[solver][validation]") {
  const std::vector<double> co{0.3, 7.0, 12.5};
  const ValidationStats same = validation_stats(co, co);
  CHECK(same.fb == 0.0);
  CHECK(same.nmse == 0.0);
  CHECK(same.mg == Approx(1.0));
  CHECK(same.vg == Approx(1.0));
  CHECK(same.fac2 == 1.0);

  // Predictions half the observations: FB = 2 (1 - 0.5) / 1.5 = 2/3, MG = 2, VG = exp((ln 2)^2),
  // NMSE = mean(0.25 Co^2) / (0.5 mean(Co)^2); FAC2 = 1 (the 0.5 end is inside).
  const std::vector<double> half{0.15, 3.5, 6.25};
  const ValidationStats under = validation_stats(co, half);
  CHECK(under.fb == Approx(2.0 / 3.0));
  CHECK(under.mg == Approx(2.0));
  CHECK(under.vg == Approx(std::exp(std::log(2.0) * std::log(2.0))));
  const double mean_co = (0.3 + 7.0 + 12.5) / 3.0;
  const double mean_sq = 0.25 * (0.09 + 49.0 + 156.25) / 3.0;
  CHECK(under.nmse == Approx(mean_sq / (0.5 * mean_co * mean_co)));
  CHECK(under.fac2 == 1.0);

  // Twice the observations, plus one pair just outside the factor of two: over-prediction.
  const std::vector<double> co2{1.0, 1.0};
  const std::vector<double> cp2{2.0, 2.0001};
  const ValidationStats over = validation_stats(co2, cp2);
  CHECK(over.fb < 0.0);
  CHECK(over.mg < 1.0);
  CHECK(over.fac2 == Approx(0.5));
}

TEST_CASE("validation statistics: zeros and bad input", "[solver][validation]") {
  const std::vector<double> co{1.0, 0.0};
  const std::vector<double> cp{1.0, 0.0};
  const ValidationStats z = validation_stats(co, cp);
  CHECK(z.fac2 == 1.0);  // Co = Cp = 0 is within a factor of two
  CHECK(std::isnan(z.mg));
  CHECK(std::isnan(z.vg));

  const std::vector<double> one{1.0};
  CHECK_THROWS_AS(validation_stats(co, one), Error);
  CHECK_THROWS_AS(validation_stats(std::vector<double>{}, std::vector<double>{}), Error);
  const std::vector<double> neg{1.0, -1.0};
  CHECK_THROWS_WITH(validation_stats(co, neg), Catch::Contains("pair 1"));
  const std::vector<double> bad{std::nan(""), 1.0};
  CHECK_THROWS_AS(validation_stats(bad, cp), Error);
}
