#include "validation/validation_stats.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace lantian::validation {

ValidationStats validation_stats(std::span<const double> observed, std::span<const double> predicted) {
  LANTIAN_CHECK(observed.size() == predicted.size(), (ErrorContext{"", 0, "validation statistics"}),
                "expected as many predictions as observations, found " + std::to_string(predicted.size()) +
                    " predictions and " + std::to_string(observed.size()) + " observations");
  LANTIAN_CHECK(!observed.empty(), (ErrorContext{"", 0, "validation statistics"}),
                "expected at least one observed/predicted pair, found none");
  ValidationStats s;
  s.n = observed.size();
  double sum_o = 0.0, sum_p = 0.0, sum_sq = 0.0, sum_ln_o = 0.0, sum_ln_p = 0.0, sum_ln_sq = 0.0;
  std::size_t within = 0;
  bool has_zero = false;
  for (std::size_t i = 0; i < s.n; ++i) {
    const double o = observed[i], p = predicted[i];
    LANTIAN_CHECK(std::isfinite(o) && std::isfinite(p) && o >= 0.0 && p >= 0.0,
                  (ErrorContext{"", 0, "pair " + std::to_string(i)}),
                  "expected finite values >= 0, found observed " + std::to_string(o) + " and predicted " +
                      std::to_string(p));
    sum_o += o;
    sum_p += p;
    sum_sq += (o - p) * (o - p);
    if (o > 0.0 && p > 0.0) {
      const double lo = std::log(o), lp = std::log(p);
      sum_ln_o += lo;
      sum_ln_p += lp;
      sum_ln_sq += (lo - lp) * (lo - lp);
    } else {
      has_zero = true;
    }
    if (o > 0.0 ? (p >= 0.5 * o && p <= 2.0 * o) : p == 0.0) ++within;
  }
  const double n = static_cast<double>(s.n);
  s.mean_obs = sum_o / n;
  s.mean_pred = sum_p / n;
  const double sum_means = s.mean_obs + s.mean_pred;
  s.fb = sum_means > 0.0 ? 2.0 * (s.mean_obs - s.mean_pred) / sum_means : 0.0;
  const double prod_means = s.mean_obs * s.mean_pred;
  s.nmse = prod_means > 0.0 ? (sum_sq / n) / prod_means : std::numeric_limits<double>::quiet_NaN();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.mg = has_zero ? nan : std::exp((sum_ln_o - sum_ln_p) / n);
  s.vg = has_zero ? nan : std::exp(sum_ln_sq / n);
  s.fac2 = static_cast<double>(within) / n;
  return s;
}

}  // namespace lantian::validation
