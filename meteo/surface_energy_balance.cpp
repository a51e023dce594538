#include "meteo/surface_energy_balance.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "meteo/boundary_layer.hpp"
#include "meteo/thermodynamics.hpp"

namespace lantian::meteo {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kStefanBoltzmann = 5.67e-8;  // W/(m2 K4)
constexpr double kLatentHeat = 2.5e6;         // L_v, J/kg

// Holtslag & van Ulden (1983) constants.
constexpr double kA1 = 990.0, kA2 = -30.0;     // W/m2
constexpr double kB1 = 0.75, kB2 = 3.4;
constexpr double kC1 = 5.31e-13;               // W/(m2 K6)
constexpr double kC2 = 60.0;                   // W/m2
constexpr double kC3 = 0.12;

constexpr double kThetaStarClear = 0.09;       // K (van Ulden & Holtslag 1985)
constexpr double kBetaM = 5.0;                 // beta_m of the stable profile (EPA 2004 Sect. 3.3.1)
constexpr double kHeatLossCap = 0.05;          // theta* u*, K m/s (Hanna 1986)
constexpr double kMechanicalCoefficient = 2300.0;  // m (m/s)^-3/2 (Venkatram 1980)

}  // namespace

double clear_sky_insolation(double solar_elevation_deg) {
  return std::max(kA1 * std::sin(solar_elevation_deg * kDegToRad) + kA2, 0.0);
}

double incoming_shortwave(double solar_elevation_deg, double cloud) {
  const double n = std::clamp(cloud, 0.0, 1.0);
  return clear_sky_insolation(solar_elevation_deg) * (1.0 - kB1 * std::pow(n, kB2));
}

double albedo_at(double solar_elevation_deg, double noon_albedo) {
  const double r = noon_albedo;
  const double b = -0.5 * (1.0 - r) * (1.0 - r);
  return r + (1.0 - r) * std::exp(-0.1 * std::max(solar_elevation_deg, 0.0) + b);
}

double net_radiation(double k_down, double albedo, double t_k, double cloud) {
  const double t2 = t_k * t_k, t4 = t2 * t2;
  return ((1.0 - albedo) * k_down + kC1 * t4 * t2 - kStefanBoltzmann * t4 + kC2 * std::clamp(cloud, 0.0, 1.0)) /
         (1.0 + kC3);
}

double s_over_gamma(double t_k, double pressure_pa) {
  // d e_s / dT of Bolton's e_s = 611.2 exp(17.67 (T - 273.15) / (T - 29.65)):
  // e_s 17.67 (273.15 - 29.65) / (T - 29.65)^2.
  const double d = t_k - 29.65;
  const double s = saturation_vapour_pressure(t_k) * 17.67 * 243.5 / (d * d);  // Pa/K
  const double gamma = kCpDryAir * pressure_pa / (kEpsilon * kLatentHeat);   // Pa/K
  return s / gamma;
}

double priestley_taylor_shf(double q_net, double t_k, double pressure_pa, const SurfaceEnergyParams& p) {
  const double g_over_s = 1.0 / s_over_gamma(t_k, pressure_pa);
  const double available = (1.0 - p.soil_heat_fraction) * q_net;  // Q* - G
  return ((1.0 - p.alpha) + g_over_s) / (1.0 + g_over_s) * available - p.alpha * p.beta;
}

double psi_m_unstable(double zeta) {
  if (!(zeta < 0.0)) return 0.0;
  const double mu = std::pow(1.0 - 16.0 * zeta, 0.25);
  return 2.0 * std::log(0.5 * (1.0 + mu)) + std::log(0.5 * (1.0 + mu * mu)) - 2.0 * std::atan(mu) +
         0.5 * std::numbers::pi;
}

SurfaceFluxes convective_fluxes(double wind, double z0, double t_k, double rho, double shf,
                                const SurfaceEnergyParams& p) {
  const double u = std::max(wind, p.wind_min);
  const double log_z = std::log(p.z_ref / z0);
  SurfaceFluxes f;
  f.convective = true;
  f.shf = shf;
  f.ustar = kVonKarman * u / log_z;
  // Fixed-point iteration (EPA 2004 Sect. 3.1.2); it converges monotonically from the neutral
  // u* for H > 0 in a few tens of steps at the most unstable hours.
  for (int it = 0; it < 200; ++it) {
    const double l = monin_obukhov_length(f.ustar, shf, t_k, rho);
    const double next = kVonKarman * u / (log_z - psi_m_unstable(p.z_ref / l) + psi_m_unstable(z0 / l));
    const bool done = std::abs(next - f.ustar) <= 1e-6 * f.ustar;
    f.ustar = next;
    if (done) break;
  }
  f.obukhov = monin_obukhov_length(f.ustar, shf, t_k, rho);
  f.theta_star = -shf / (rho * kCpDryAir * f.ustar);
  return f;
}

SurfaceFluxes stable_fluxes(double wind, double z0, double t_k, double rho, double cloud,
                            const SurfaceEnergyParams& p) {
  const double u = std::max(wind, p.wind_min);
  const double n = std::clamp(cloud, 0.0, 1.0);
  const double cdn = kVonKarman / std::log(p.z_ref / z0);
  // u* and theta* for a given theta* scale (EPA 2004 Sect. 3.3.1).
  auto solve = [&](double theta0, double& ustar, double& theta) {
    const double u0 = std::sqrt(kBetaM * p.z_ref * kGravity * theta0 / t_k);
    const double ucr = 2.0 * u0 / std::sqrt(cdn);
    if (u >= ucr) {
      const double r = ucr / u;
      ustar = 0.5 * cdn * u * (1.0 + std::sqrt(1.0 - r * r));
      theta = theta0;
    } else {
      ustar = 0.5 * cdn * ucr * (u / ucr);
      theta = theta0 * (u / ucr);
    }
  };
  SurfaceFluxes f;
  double theta0 = kThetaStarClear * (1.0 - 0.5 * n * n);
  solve(theta0, f.ustar, f.theta_star);
  // Hanna's (1986) limit on the heat loss: recompute u* with theta* = 0.05 / u* (fixed point;
  // u* grows as theta* falls, so a few steps settle it).
  for (int it = 0; it < 50 && f.ustar * f.theta_star > kHeatLossCap; ++it) {
    theta0 = kHeatLossCap / f.ustar;
    solve(theta0, f.ustar, f.theta_star);
  }
  if (f.ustar * f.theta_star > kHeatLossCap) f.theta_star = kHeatLossCap / f.ustar;
  f.shf = -rho * kCpDryAir * f.ustar * f.theta_star;
  f.obukhov = monin_obukhov_length(f.ustar, f.shf, t_k, rho);
  f.convective = false;
  return f;
}

double mechanical_height(double ustar) {
  const double u = std::max(ustar, 0.0);
  return kMechanicalCoefficient * u * std::sqrt(u);
}

double smoothed_mechanical_height(double h_previous, double h_equilibrium, double ustar, double dt_s,
                                  double beta_tau) {
  if (!(ustar > 0.0) || !(h_previous > 0.0)) return h_equilibrium;
  const double tau = h_previous / (beta_tau * ustar);
  const double w = std::exp(-dt_s / tau);
  return h_previous * w + h_equilibrium * (1.0 - w);
}

double convective_height(double h0, double heat_integral_k_m, double lapse_rate, double entrainment) {
  return std::sqrt(h0 * h0 + 2.0 * (1.0 + 2.0 * entrainment) * std::max(heat_integral_k_m, 0.0) / lapse_rate);
}

std::vector<BoundaryLayerHour> diagnose_boundary_layer(const std::vector<SurfaceObservation>& hours, double lat,
                                                       double lon, double z0, const SurfaceEnergyParams& p) {
  std::vector<BoundaryLayerHour> out;
  out.reserve(hours.size());
  double heat = 0.0;           // integral of H+ / (rho cp) since sunrise, K m
  double prev_heat_flux = 0.0;  // H+ / (rho cp) of the previous hour, K m/s
  for (std::size_t n = 0; n < hours.size(); ++n) {
    const SurfaceObservation& o = hours[n];
    const bool continued = n > 0 && std::abs(o.time - hours[n - 1].time - 1.0) < 1e-9;
    BoundaryLayerHour b;
    b.solar_elevation = solar_elevation_deg(o.time, lat, lon);
    b.k_down = incoming_shortwave(b.solar_elevation, o.cloud);
    b.q_net = net_radiation(b.k_down, albedo_at(b.solar_elevation, p.albedo), o.t2, o.cloud);
    const double rho = air_density(o.pressure, o.t2);
    if (std::isfinite(o.ustar) && std::isfinite(o.shf)) {
      b.fluxes.ustar = o.ustar;
      b.fluxes.shf = o.shf;
      b.fluxes.obukhov = monin_obukhov_length(o.ustar, o.shf, o.t2, rho);
      b.fluxes.theta_star = o.ustar > 0.0 ? -o.shf / (rho * kCpDryAir * o.ustar) : 0.0;
      b.fluxes.convective = o.shf > 0.0;
    } else {
      const double h_pt = priestley_taylor_shf(b.q_net, o.t2, o.pressure, p);
      b.fluxes = b.q_net > 0.0 && h_pt > 0.0 ? convective_fluxes(o.wind10, z0, o.t2, rho, h_pt, p)
                                             : stable_fluxes(o.wind10, z0, o.t2, rho, o.cloud, p);
    }
    // Mechanical height, smoothed from the previous hour.
    const double h_eq = std::clamp(mechanical_height(b.fluxes.ustar), p.h_min, p.h_max_stable);
    b.h_mechanical = continued ? smoothed_mechanical_height(out.back().h_mechanical, h_eq, b.fluxes.ustar, 3600.0,
                                                            p.smoothing_beta)
                               : h_eq;
    // Heat since sunrise (trapezoidal rule over consecutive hours).
    const double heat_flux = std::max(b.fluxes.shf, 0.0) / (rho * kCpDryAir);
    if (b.solar_elevation <= 0.0 || !continued) {
      heat = 0.0;
    } else {
      heat += 0.5 * (prev_heat_flux + heat_flux) * 3600.0;
    }
    prev_heat_flux = b.solar_elevation <= 0.0 ? 0.0 : heat_flux;
    if (b.fluxes.convective) {
      b.h_convective = convective_height(0.0, heat, p.lapse_rate, p.entrainment);
      b.h = std::max(b.h_convective, b.h_mechanical);
    } else {
      b.h = b.h_mechanical;
    }
    b.h = std::clamp(b.h, p.h_min, p.h_max);
    out.push_back(b);
  }
  return out;
}

}  // namespace lantian::meteo
