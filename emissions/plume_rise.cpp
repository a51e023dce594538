#include "emissions/plume_rise.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace lantian::emissions {

double dtheta_dz_of_class(char c) {
  switch (c) {
    case 'A': case 'a': case 'B': case 'b': case 'C': case 'c': case 'D': case 'd': return 0.0;
    case 'E': case 'e': return kDthetaDzClassE;
    case 'F': case 'f': return kDthetaDzClassF;
    default: break;
  }
  throw Error(std::string("expected a Pasquill-Gifford stability class A-F, found '") + c + "'");
}

PlumeRise briggs_plume_rise(const PlumeRiseInput& in) noexcept {
  LANTIAN_ASSERT(in.diameter > 0.0 && in.exit_velocity >= 0.0 && in.exit_temperature > 0.0 &&
                 in.ambient_temperature > 0.0 && in.stack_height >= 0.0);
  PlumeRise r;
  const double u = std::max(in.wind_speed, kMinPlumeRiseWind);
  const double v = in.exit_velocity, d = in.diameter, ts = in.exit_temperature, ta = in.ambient_temperature;
  r.wind_speed = u;

  // Stack-tip downwash (Briggs 1973; ISC3 §1.1.4.2), never below the ground.
  r.release_height = in.stack_height;
  if (in.stack_tip_downwash && v < 1.5 * u) r.release_height = std::max(0.0, in.stack_height + 2.0 * d * (v / u - 1.5));

  // Fluxes (ISC3 §1.1.4.3).
  const double dt = ts - ta;
  r.buoyancy_flux = dt > 0.0 ? kGravity * v * d * d * dt / (4.0 * ts) : 0.0;
  r.momentum_flux = v * v * d * d * ta / (4.0 * ts);
  const double fb = r.buoyancy_flux, fm = r.momentum_flux;
  const double momentum_neutral = 3.0 * d * v / u;  // ISC3 eq. 1-16

  if (in.dtheta_dz > 0.0) {
    // Stable (ISC3 §1.1.4.6-1.1.4.9).
    const double s = kGravity / ta * in.dtheta_dz;
    const double rs = std::sqrt(s);
    r.stability = s;
    r.crossover_dt = 0.019582 * ts * v * rs;  // ISC3 eq. 1-18
    if (fb > 0.0 && dt >= r.crossover_dt) {
      r.regime = PlumeRiseRegime::buoyant_stable;
      r.final_rise = 2.6 * std::cbrt(fb / (u * s));
      r.distance_to_final = 2.0715 * u / rs;
    } else {
      r.regime = PlumeRiseRegime::momentum_stable;
      r.final_rise = std::min(1.5 * std::cbrt(fm / (u * rs)), momentum_neutral);
      r.distance_to_final = 0.5 * std::numbers::pi * u / rs;  // quarter period of the stable oscillation
    }
  } else {
    // Neutral or unstable (ISC3 §1.1.4.4-1.1.4.5).
    if (fb < 55.0) r.crossover_dt = 0.0297 * ts * std::cbrt(v) / std::pow(d, 2.0 / 3.0);
    else r.crossover_dt = 0.00575 * ts * std::pow(v, 2.0 / 3.0) / std::cbrt(d);
    if (fb > 0.0 && dt >= r.crossover_dt) {
      r.regime = PlumeRiseRegime::buoyant_unstable;
      if (fb < 55.0) {
        r.final_rise = 21.425 * std::pow(fb, 0.75) / u;
        r.distance_to_final = 49.0 * std::pow(fb, 0.625);
      } else {
        r.final_rise = 38.71 * std::pow(fb, 0.6) / u;
        r.distance_to_final = 119.0 * std::pow(fb, 0.4);
      }
    } else {
      r.regime = PlumeRiseRegime::momentum_unstable;
      r.final_rise = momentum_neutral;
      // Distance to final momentum rise (ISC3 §1.1.4.11, after Bowers et al. 1979).
      r.distance_to_final = v > 0.0 ? 4.0 * d * (v + 3.0 * u) * (v + 3.0 * u) / (v * u) : 0.0;
    }
  }
  r.effective_height = r.release_height + r.final_rise;
  return r;
}

double gradual_plume_rise(const PlumeRiseInput& in, const PlumeRise& f, double x) noexcept {
  if (x <= 0.0) return 0.0;
  if (x >= f.distance_to_final) return f.final_rise;
  const double u = f.wind_speed;
  double dh = f.final_rise;
  switch (f.regime) {
    case PlumeRiseRegime::buoyant_unstable:
    case PlumeRiseRegime::buoyant_stable:
      dh = 1.60 * std::cbrt(f.buoyancy_flux) * std::pow(x, 2.0 / 3.0) / u;  // Briggs 2/3 law
      break;
    case PlumeRiseRegime::momentum_unstable:
    case PlumeRiseRegime::momentum_stable: {
      if (in.exit_velocity <= 0.0) return 0.0;
      const double bj = 1.0 / 3.0 + u / in.exit_velocity;  // jet entrainment coefficient
      if (f.regime == PlumeRiseRegime::momentum_unstable) {
        dh = std::cbrt(3.0 * f.momentum_flux * x / (bj * bj * u * u));
      } else {
        const double rs = std::sqrt(f.stability);
        dh = std::cbrt(3.0 * f.momentum_flux * std::sin(x * rs / u) / (bj * bj * u * rs));
      }
      break;
    }
  }
  return std::min(dh, f.final_rise);
}

}  // namespace lantian::emissions
