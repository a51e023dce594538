#pragma once
// Model-evaluation statistics of Chang and Hanna (2004, Meteorol. Atmos. Phys. 87, 167-196),
// section 3.1: fractional bias FB, normalised mean square error NMSE, geometric mean bias MG,
// geometric variance VG and the fraction within a factor of two FAC2, over paired observed Co
// and predicted Cp values (any one unit for both).
#include <cstddef>
#include <span>

namespace lantian::validation {

struct ValidationStats {
  std::size_t n = 0;       ///< pairs
  double mean_obs = 0.0;   ///< mean Co
  double mean_pred = 0.0;  ///< mean Cp
  /// FB = 2 (mean Co - mean Cp) / (mean Co + mean Cp); positive = under-prediction.
  double fb = 0.0;
  /// NMSE = mean((Co - Cp)^2) / (mean Co * mean Cp).
  double nmse = 0.0;
  /// MG = exp(mean ln Co - mean ln Cp); > 1 = under-prediction. NaN when a value is 0.
  double mg = 0.0;
  /// VG = exp(mean (ln Co - ln Cp)^2); 1 is perfect. NaN when a value is 0.
  double vg = 0.0;
  /// Fraction of pairs with 0.5 <= Cp/Co <= 2 (both ends inclusive; Co = 0 counts only when
  /// Cp = 0 too).
  double fac2 = 0.0;
};

/// The statistics of `observed` against `predicted` (same length, at least one pair, every value
/// finite and >= 0). Throws lantian::Error otherwise, naming the first offending pair (0-based).
/// Chang and Hanna's acceptance for rural near-field work: |FB| <= 0.3, NMSE <= 3 (in the
/// paper 1.5 for research-grade), 0.7 <= MG <= 1.3, VG <= 4, FAC2 >= 0.5.
ValidationStats validation_stats(std::span<const double> observed, std::span<const double> predicted);

}  // namespace lantian::validation
