#pragma once
// The boundary layer from routine surface observations (由常规地面观测诊断边界层): incoming
// short-wave, net radiation and sensible heat flux by the surface energy balance of Holtslag &
// van Ulden (1983, J. Climate Appl. Meteor. 22, 517-529), u* and the Monin-Obukhov length by day
// (Businger-Dyer iteration) and by night (Venkatram 1980 / van Ulden & Holtslag 1985 theta*
// scheme), and the mixing height: convective growth (Carson 1973 as in AERMET) by day, the
// mechanical height 2300 u*^(3/2) (Venkatram 1980) with AERMET's time smoothing at all hours.
// The formulas are those of AERMET as documented in Cimorelli et al. (2004), "AERMOD:
// description of model formulation", EPA-454/R-03-004 (cited below as "EPA 2004"), Sect. 3,
// except the sensible heat flux, which is Holtslag & van Ulden's modified Priestley-Taylor form
// (AERMET uses a Bowen ratio instead).
//
// Pure functions of plain numbers, SI units (m, s, K, Pa, W/m2); angles in degrees; cloud cover
// as a fraction 0..1; time in hours since 1970-01-01T00:00Z.
#include <limits>
#include <vector>

namespace lantian::meteo {

/// Parameters of the surface energy balance and of the mixing height, with their sources.
struct SurfaceEnergyParams {
  /// Albedo with the sun high, r' (albedo_at gives r(phi) from it); 0.2: grass, suburban and
  /// urban surfaces without snow (Oke 1987, "Boundary Layer Climates", 2nd ed.: about 0.1-0.27).
  double albedo = 0.2;
  /// Priestley-Taylor alpha of the modified scheme: 1 for moist grassland (Cabauw, Holtslag &
  /// van Ulden 1983); smaller for drier surfaces (more of Q* - G goes into H).
  double alpha = 1.0;
  double beta = 20.0;                ///< beta, W/m2 (Holtslag & van Ulden 1983)
  double soil_heat_fraction = 0.1;   ///< G = 0.1 Q* (Holtslag & van Ulden 1983; EPA 2004 Sect. 3.1.1)
  double z_ref = 10.0;               ///< height of the wind measurement, m
  /// Wind speeds below this (a calm, 静风) are taken at it, m/s: the starting threshold of cup
  /// anemometers (EPA-454/R-99-005 asks for at most 0.5 m/s); u* -> 0 would make L and Kz singular.
  double wind_min = 0.5;
  /// Potential-temperature lapse rate above the growing convective layer, K/m (no morning
  /// sounding at a weather station: AERMET takes it from the 12Z sounding, EPA 2004 eq. 22).
  /// 0.005 K/m: between neutral (0) and the standard atmosphere's 0.0033 K/m theta lapse and
  /// the stronger morning inversions of winter (0.01 K/m and more).
  double lapse_rate = 0.005;
  double entrainment = 0.2;          ///< A in (1 + 2A) of Carson's growth (EPA 2004 eq. 22)
  double h_min = 50.0;               ///< lowest mixing height, m (see stable_height_bounds)
  /// Highest mechanical (and stable) mixing height, m: the stable boundary layer rarely exceeds
  /// 1 km (Stull 1988, ch. 12); 1500 m leaves windy, near-neutral nights their mechanical height
  /// (u* = 0.6 m/s gives 2300 u*^1.5 = 1069 m).
  double h_max_stable = 1500.0;
  double h_max = 4000.0;             ///< highest mixing height, m (AERMET's limit, EPA 2004 Sect. 7.4)
  double smoothing_beta = 2.0;       ///< beta_tau of the mechanical height smoothing (EPA 2004 eqs. 25-26)
};

/// Clear-sky insolation K0 = a1 sin(phi) + a2, a1 = 990, a2 = -30 W/m2, at solar elevation phi
/// (deg); 0 when negative (Holtslag & van Ulden 1983, after Collier & Lockwood 1975; EPA 2004 Sect. 3.1.1).
double clear_sky_insolation(double solar_elevation_deg);

/// Incoming short-wave K = K0 (1 - b1 N^b2), b1 = 0.75, b2 = 3.4, N the cloud fraction (Kasten &
/// Czeplak 1980; Holtslag & van Ulden 1983; EPA 2004 Sect. 3.1.1).
double incoming_shortwave(double solar_elevation_deg, double cloud);

/// Albedo at solar elevation phi (deg): r = r' + (1 - r') exp(a phi + b), a = -0.1,
/// b = -0.5 (1 - r')^2 (EPA 2004 Sect. 3.1.1); below the horizon phi = 0 is
/// used (K = 0 there anyway).
double albedo_at(double solar_elevation_deg, double noon_albedo);

/// Net radiation Q* = [(1 - r) K + c1 T^6 - sigma T^4 + c2 N] / (1 + c3), c1 = 5.31e-13
/// W/(m2 K6) (Swinbank 1963), c2 = 60 W/m2, c3 = 0.12 (Holtslag & van Ulden 1983; EPA 2004
/// Sect. 3.1.1), T the 2-m air temperature (K), N the cloud fraction, r the albedo.
double net_radiation(double k_down, double albedo, double t_k, double cloud);

/// s/gamma: the slope of the saturation specific humidity curve over the psychrometric
/// constant, s = de_s/dT from Bolton's e_s (thermodynamics.hpp), gamma = cp p / (0.622 L_v),
/// L_v = 2.5e6 J/kg. 0.68 at 0 °C, 2.2 at 20 °C, 1013.25 hPa.
double s_over_gamma(double t_k, double pressure_pa);

/// Sensible heat flux (upward, W/m2) by the modified Priestley-Taylor scheme (de Bruin &
/// Holtslag 1982; Holtslag & van Ulden 1983): H = [((1 - alpha) + gamma/s) / (1 + gamma/s)]
/// (Q* - G) - alpha beta, G = soil_heat_fraction Q*. (van Ulden & Holtslag 1985 write the beta
/// term as alpha beta, which is Holtslag & van Ulden's - beta at alpha = 1.)
double priestley_taylor_shf(double q_net, double t_k, double pressure_pa, const SurfaceEnergyParams& p = {});

/// Businger-Dyer stability function for momentum, unstable (zeta < 0), integrated form of
/// Paulson (1970) with phi_m = (1 - 16 zeta)^(-1/4): psi_m = 2 ln((1 + mu)/2) + ln((1 + mu^2)/2)
/// - 2 atan(mu) + pi/2, mu = (1 - 16 zeta)^(1/4) (EPA 2004 Sect. 3.1.2). 0 for zeta >= 0.
double psi_m_unstable(double zeta);

/// Surface-layer scales of one hour.
struct SurfaceFluxes {
  double ustar = 0.0;       ///< friction velocity, m/s
  double shf = 0.0;         ///< upward sensible heat flux, W/m2
  double theta_star = 0.0;  ///< temperature scale -H / (rho cp u*), K
  double obukhov = std::numeric_limits<double>::infinity();  ///< Monin-Obukhov length, m
  bool convective = false;  ///< the convective (daytime) scheme was used
};

/// Daytime u* and L for an upward heat flux H > 0: u* = k U / [ln(z_ref/z0) - psi_m(z_ref/L) +
/// psi_m(z0/L)] and L = -rho cp T u*^3 / (k g H), iterated from the neutral u* until u* changes
/// by less than 1e-6 relative (EPA 2004 Sect. 3.1.2). U is floored at p.wind_min.
SurfaceFluxes convective_fluxes(double wind, double z0, double t_k, double rho, double shf,
                                const SurfaceEnergyParams& p = {});

/// Night-time u*, theta*, H and L (EPA 2004 Sect. 3.3, after Venkatram 1980 and van Ulden &
/// Holtslag 1985): theta* = 0.09 (1 - 0.5 N^2) K; C_DN = k / ln(z_ref/z0); u0^2 = beta_m z_ref g
/// theta* / T (beta_m = 5); U_cr = 2 u0 / sqrt(C_DN);
///   U >= U_cr: u* = (C_DN U / 2) [1 + sqrt(1 - (U_cr/U)^2)];
///   U <  U_cr: u* = u*_cr U / U_cr, theta* = theta*(U_cr) U / U_cr, u*_cr = C_DN U_cr / 2;
/// the heat loss is limited by theta* u* <= 0.05 K m/s (Hanna 1986; EPA 2004 Sect. 3.3.2; u*
/// recomputed with theta* = 0.05 / u*); H = -rho cp u* theta*, L = T u*^2 / (k g theta*).
/// U is floored at p.wind_min.
SurfaceFluxes stable_fluxes(double wind, double z0, double t_k, double rho, double cloud,
                            const SurfaceEnergyParams& p = {});

/// The equilibrium mechanical mixing height 2300 u*^(3/2), m (u* in m/s; Venkatram 1980; EPA
/// 2004 eq. 24).
double mechanical_height(double ustar);

/// AERMET's smoothing of the mechanical height over a step dt (s) (EPA 2004 eqs. 25-26):
/// h(t + dt) = h(t) e^(-dt/tau) + h_eq(t + dt) (1 - e^(-dt/tau)), tau = h(t) / (beta_tau u*(t + dt)).
double smoothed_mechanical_height(double h_previous, double h_equilibrium, double ustar, double dt_s,
                                  double beta_tau = 2.0);

/// The convective mixing height after heating (Carson 1973; EPA 2004 eq. 22 for a constant
/// lapse rate): the heat put into a layer of depth h mixed out of a profile theta0 + gamma z is
/// gamma h^2 / 2, and (1 + 2A) times the surface heat goes into it (entrainment), so
///   h^2 = h0^2 + 2 (1 + 2A) I / gamma,   I = integral of H / (rho cp) dt (K m).
double convective_height(double h0, double heat_integral_k_m, double lapse_rate, double entrainment = 0.2);

/// One hour of surface observations.
struct SurfaceObservation {
  double time = 0.0;      ///< hours since 1970-01-01T00:00Z
  double wind10 = 0.0;    ///< wind speed at z_ref, m/s
  double t2 = 288.15;     ///< near-surface air temperature, K
  double pressure = 101325.0;  ///< surface pressure, Pa
  double cloud = 0.0;     ///< total cloud cover, fraction 0..1
  double ustar = std::numeric_limits<double>::quiet_NaN();  ///< observed u*, m/s (NaN: not observed)
  double shf = std::numeric_limits<double>::quiet_NaN();    ///< observed H, W/m2 (NaN: not observed)
};

/// The diagnosed boundary layer of one hour.
struct BoundaryLayerHour {
  double solar_elevation = 0.0;  ///< deg
  double k_down = 0.0;           ///< incoming short-wave, W/m2
  double q_net = 0.0;            ///< net radiation, W/m2
  SurfaceFluxes fluxes;          ///< u*, H, theta*, L
  double h_mechanical = 0.0;     ///< smoothed mechanical height, m
  double h_convective = 0.0;     ///< convective height, m (0 by night)
  double h = 0.0;                ///< the mixing height used, m
};

/// The boundary layer of a series of hours at (lat, lon) with roughness z0 (m). Each hour:
/// the solar elevation at its time (solar_elevation_deg), K, Q* and the Priestley-Taylor H; the
/// convective scheme when Q* > 0 and H > 0, the stable scheme otherwise. Observed u* and H (both
/// finite) replace the diagnosed ones (L = monin_obukhov_length of them). The mixing height:
///  - mechanical: 2300 u*^1.5 bounded to [h_min, h_max_stable], smoothed in time from the
///    previous hour (not at the first hour, nor after a step other than 1 h: EPA 2004 Sect. 7.5);
///  - convective: Carson's height from h0 = 0 with I accumulated by the trapezoidal rule over
///    H+ = max(H, 0) of consecutive hours since the sun last stood at or below the horizon
///    (I = 0 there: the day's integral starts at sunrise, as AERMET);
///  - by day (convective scheme) h = max(convective, mechanical); by night h = mechanical;
///    h bounded to [h_min, h_max].
/// Times must increase; steps of 1 h carry the smoothing and the heat integral.
std::vector<BoundaryLayerHour> diagnose_boundary_layer(const std::vector<SurfaceObservation>& hours, double lat,
                                                       double lon, double z0, const SurfaceEnergyParams& p = {});

}  // namespace lantian::meteo
