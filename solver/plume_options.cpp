// The plume options and inputs (solver/gaussian_plume.hpp): the dispersion names,
// PlumeOptions::validate, the turbulence option's σw profile average.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "solver/gaussian_plume.hpp"

namespace lantian::solver {

Dispersion parse_dispersion(std::string_view name) {
  if (name == "briggs-rural") return Dispersion::BriggsRural;
  if (name == "briggs-urban") return Dispersion::BriggsUrban;
  if (name == "turbulence") return Dispersion::Turbulence;
  throw Error(ErrorContext{"", 0, "dispersion"},
              "expected briggs-rural, briggs-urban or turbulence, found '" + std::string(name) + "'");
}

std::string_view dispersion_name(Dispersion d) noexcept {
  switch (d) {
    case Dispersion::BriggsRural: return "briggs-rural";
    case Dispersion::BriggsUrban: return "briggs-urban";
    case Dispersion::Turbulence: return "turbulence";
  }
  return "?";
}

void PlumeOptions::validate() const {
  LANTIAN_CHECK(std::isfinite(min_wind) && min_wind > 0.0, (ErrorContext{"", 0, "min_wind"}),
                "expected a positive minimum wind speed (m/s), found " + std::to_string(min_wind));
  LANTIAN_CHECK(max_reflections >= 0 && max_reflections <= 100, (ErrorContext{"", 0, "max_reflections"}),
                "expected 0..100, found " + std::to_string(max_reflections));
  LANTIAN_CHECK(std::isfinite(decay_rate) && decay_rate >= 0.0, (ErrorContext{"", 0, "decay_rate"}),
                "expected a first-order rate >= 0 (1/s), found " + std::to_string(decay_rate));
  LANTIAN_CHECK(std::isfinite(min_distance) && min_distance > 0.0, (ErrorContext{"", 0, "min_distance"}),
                "expected a positive distance (m), found " + std::to_string(min_distance));
}

double mean_sigma_w(double ustar, double wstar, double h, double top, int n) noexcept {
  const double dz = top / n;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = (i + 0.5) * dz, zh = z / h;
    const double swc2 = (zh < 0.1 ? 1.6 * std::pow(zh, 2.0 / 3.0) : 0.35) * wstar * wstar;
    const double swm = 1.3 * ustar * std::sqrt(std::max(1.0 - zh, 0.0));
    sum += std::sqrt(swc2 + swm * swm);
  }
  return sum / n;
}

}  // namespace lantian::solver
