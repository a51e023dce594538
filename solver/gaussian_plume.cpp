// Gaussian plume solver: see gaussian_plume.hpp for the plume equation. The choices here:
//
// Plume rise: emissions::briggs_plume_rise / gradual_plume_rise (Briggs, as in the ISC3 User's
// Guide vol. II §1.1.4), with the wind at the stack top and the ambient temperature of the hour;
// E/F classes use ISC3's default dθ/dz (turbulence, stable/neutral: within AERMOD's neutral limit,
// see prepare). A stack with no diameter or no exit temperature has no rise.
//
// Wind at height (风廓线), from the reference wind raised first to options.min_wind:
//  - Briggs options: power law u(z) = u_ref (z/z_ref)^p at the stack height (not below z_ref),
//    with ISC3's exponents (User's Guide vol. II, §1.1.5): rural A-F 0.07 0.07 0.10 0.15 0.35
//    0.55, urban 0.15 0.15 0.20 0.25 0.30 0.30. No meander.
//  - Turbulence: Monin-Obukhov log law u(z) ∝ ln(z/z0) - ψm(z/L) (Businger-Dyer/Paulson ψm;
//    stable ψm = -5 z/L), linear below 7 z0 (AERMOD). A plume whose final effective height is at
//    or below 5 m is carried by the mean of that profile over 0.5-5 m (AERMOD's IBLVAL/ANYAVG
//    layer for near-surface plumes and receptors; Cimorelli et al. 2005, J. Appl. Meteorol. 44,
//    682-693, §5); a higher one by the wind at its effective height (not below z_ref, not above
//    the mixing height). Then the meander of low winds u_e = sqrt(u² + 2 σv²) (AERMOD's
//    low-wind treatment, AERMOD Model Formulation Document EPA-454/R-03-004, "MFD").
// Dispersion:
//  - BriggsRural / BriggsUrban: Briggs (1973) formulas for 100 m < x < 10 km, as tabulated in
//    Seinfeld & Pandis (2006) Table 18.3 and Hanna, Briggs & Hosker (1982, "Handbook on
//    Atmospheric Diffusion") Table 4.5; urban after McElroy & Pooler (St. Louis). Used as they
//    are below 100 m.
//  - Turbulence (AERMOD's dispersion for one Gaussian plume, MFD §5.5; t = x/u):
//      w*  = u* (-h/(k L))^(1/3) for L < 0, else 0          (Deardorff velocity)
//      σv² = 3.6 u*² + 0.35 w*², σv >= 0.2 m/s, σv/u >= 0.05   (MFD, Panofsky et al. 1977)
//      σwm = 1.3 u* (1 - z/h)^½,  σwc² = 1.6 (z/h)^(2/3) w*² (z < 0.1 h), 0.35 w*² above,
//            evaluated at the effective height (σwc at max(he, 0.1 h))
//    Convective (L < 0, release below h): with options.convective_pdf (the default), AERMOD's
//    bi-Gaussian CBL plume of solver/plume_cbl.hpp: the direct, indirect and penetrated sources,
//    each Gaussian j of the vertical PDF with σzj = sqrt((αb σwj t)² + σzs²) and the σy below;
//    area sources keep one Gaussian. Without it (and for areas), one Gaussian with σw total:
//      σy  = σv t / (1 + β σv x/(u h))^0.3, β = max(78 z_PG/max(hs, z_PG), 0.7), z_PG = 0.46 m
//                                                              (MFD eqs. 77-78)
//      σza = αb σw t, σw² = σwc² + σwm², αb = 0.6 + 0.4 he/(0.1 h) for he < 0.1 h, else 1
//      σzs = 0.5 (1 - 10 he/h) (u*/u)² x²/|L| for he < 0.1 h, else 0  (surface-layer term)
//      σz  = sqrt(σza² + σzs²)                                (Weil 1985; AERMOD SIGZ/SZSFCL)
//    Stable and neutral (L > 0 or ±inf):
//      σy  = σv t / (1 + t/(2 TLy))^0.3, TLy = h/(156 σv) · max(he, z_PG)/z_PG  (eqs. 77-78)
//      σzes = σwm t / sqrt(1 + t/(2 TL)), TL = l/σwm, 1/l = 1/(0.36 he) + N/(0.27 σwm),
//            N² = g/T dθ/dz, dθ/dz = θ*/(k he)(1 + 5 he/L) within E/F's (he >= 1 m)   (MFD eqs. 80-83)
//      σzgs = sqrt(2/π) (u* x/u) (1 + 0.7 x/L)^(-1/3)  (surface release, Venkatram 1992; eq. 84)
//      σz  = (1 - f) σzgs + f σzes, f = min(he/h, 1)           (MFD eq. 79)
//    Validated on Prairie Grass (265 run-arcs, docs/plume.md): FAC2 0.868, FB +0.223 with the CBL
//    plume (0.728, +0.303 with one Gaussian; AERMOD 0.830, +0.290).
//
// Lid (混合层顶): a plume whose effective height is at or above the mixing height gives zero below
// it (ISC3); receptors above the lid get zero from plumes below it.
// First-order loss: exp(-k t), t = x/u.
#include "solver/gaussian_plume.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "emissions/plume_rise.hpp"
#include "meteo/boundary_layer.hpp"
#include "solver/plume_cbl.hpp"

namespace lantian::solver {

namespace {

/// Gaussian factors exp(a) with a below this are dropped as zero: e^-50 ≈ 2e-22 of the plume's
/// centre-line value, far below float resolution of any sum. This is also what makes most
/// source-receptor pairs cheap: upwind, or crosswind beyond 10 σy, costs no exp at all.
constexpr double kNegligibleExponent = -50.0;
constexpr double kWellMixedSigmaRatio = 1.6;  ///< σz/h at which the column counts as well mixed (ISC3)
constexpr double kSigmaVMin = 0.2;      ///< AERMOD's minimum σv, m/s
constexpr double kSigmaWMin = 0.02;     ///< AERMOD's minimum σw, m/s
constexpr double kUgPerG = 1.0e6;
constexpr double kSurfaceLayerTop = 5.0;  ///< AERMOD: plumes at or below 5 m use the 0-5 m averages, m
constexpr double kZPrairieGrass = 0.46;   ///< AERMOD's reference release height z_PG (MFD eq. 78), m

inline double gauss_exp(double a) noexcept { return a < kNegligibleExponent ? 0.0 : std::exp(a); }

int class_index(char c) noexcept {
  const char u = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
  return (u >= 'A' && u <= 'F') ? u - 'A' : -1;
}

bool has_lid(double h) noexcept { return std::isfinite(h) && h > 0.0; }

/// Paulson (1970) / Businger-Dyer ψm(ζ); stable -5ζ.
double psi_m(double zeta) noexcept {
  if (zeta >= 0.0) return -5.0 * zeta;
  const double x = std::pow(1.0 - 16.0 * zeta, 0.25);
  return 2.0 * std::log((1.0 + x) / 2.0) + std::log((1.0 + x * x) / 2.0) - 2.0 * std::atan(x) +
         std::numbers::pi / 2.0;
}

double log_profile(double z, double z0, double L) noexcept {
  const double zeta = std::isfinite(L) && L != 0.0 ? z / L : 0.0;
  return std::log(z / z0) - psi_m(std::min(zeta, 5.0));
}

/// Pasquill class used for plume rise and power-law exponents: the given one, else from L.
char effective_class(const PlumeMet& met) {
  if (class_index(met.stability) >= 0) return static_cast<char>(class_index(met.stability) + 'A');
  if (!std::isnan(met.L)) return meteo::stability_letter(meteo::pasquill_from_obukhov(met.L, met.z0));
  return 'D';
}

/// Everything about one source in one hour that does not depend on the receptor.
struct Prepared {
  double xs = 0.0, ys = 0.0;
  double ex = 0.0, ey = 0.0;   ///< downwind unit vector
  double q = 0.0;              ///< µg/s
  double u = 1.0;              ///< transport speed, m/s
  double release_height = 0.0;
  double final_rise = 0.0;
  bool gradual = false;
  emissions::PlumeRiseInput rise_in{};
  emissions::PlumeRise rise{};
  double lid = std::numeric_limits<double>::infinity();
  bool reflections = true;
  int max_reflections = 0;
  double decay = 0.0;
  Dispersion dispersion = Dispersion::BriggsRural;
  int cls = 3;
  // Turbulence parameters.
  double ustar = 0.0, L = 0.0, sigma_v = 0.0, sigma_wm = 0.0, sigma_wc = 0.0, lw = 1.0, lid_for_blend = 1.0;
  double wstar = 0.0;
  bool convective = false;     ///< L < 0 and the release below the mixing height: the CBL forms
  // AERMOD's CBL plume (solver/plume_cbl.hpp), when options.convective_pdf and the hour is convective.
  bool cbl = false;
  CblPdf pdf{};
  double w1 = 0.0, w2 = 0.0;   ///< mean updraft and downdraft velocities w̄1, w̄2, m/s
  double sw1 = 0.0, sw2 = 0.0; ///< their widths σw1, σw2, m/s
  double fp = 0.0;             ///< fraction of the plume penetrating the lid
  double h3 = 0.0, u3 = 1.0;   ///< the penetrated source's height (m) and transport wind (m/s)
  double sigma_w3 = 0.0, n3 = 0.0;  ///< σw (m/s) and Brunt-Väisälä frequency (1/s) above the lid
  double fb = 0.0, u_stack = 1.0;   ///< buoyancy flux (m⁴/s³) and wind at the stack (m/s): Δhi
  /// An upper bound of σy(x)/x: beyond y² > 2|kNegligibleExponent| (bound x)² a receptor is
  /// off the plume without computing σy (Briggs: σy <= a_y x; turbulence: σy <= max(σv, 0.05 u) t).
  double sigma_y_slope = 1.0;
  std::shared_ptr<const PrimePlume> prime;  ///< building downwash this hour (plume_prime.hpp); null: none
};

Sigmas turbulence_sigmas(const Prepared& p, double x, double he) noexcept;

/// PRIME in a sector with a building (stable hours, or convective ones with the stack below the
/// lid: AERMOD), with the host's σ at the final height and its turbulence intensities.
void attach_prime(Prepared& p, const BuildingSector& b, double u_bldg, double dtheta_dz, const PlumeMet& met,
                  const PlumeSource& src, const std::function<double(double)>& wind = {}) {
  if (!b.present() || (met.L < 0.0 && std::isfinite(met.L) && src.height > p.lid)) return;
  const double he = p.release_height + p.final_rise;
  const bool turb = p.dispersion == Dispersion::Turbulence, urban = p.dispersion == Dispersion::BriggsUrban;
  Sigmas i1 = briggs_sigmas(static_cast<char>('A' + p.cls), 1.0, urban);  // σ/x near the source (PRIME's PG table)
  if (turb) {  // AERMOD PRMCALC: σv/u, σw/u of σ and u averaged from the ground to the wake top at 15 R
    const WakeScales ws = wake_scales(b.height, b.width, b.length);
    const double top = std::min(wake_dim(15.0 * ws.R, b.height, b.width, ws.R).height, p.lid_for_blend);
    double u = 0.0;
    for (int i = 0; i < 32; ++i) u += wind((i + 0.5) * top / 32.0) / 32.0;
    u = std::max(u, 0.1);
    i1 = Sigmas{std::max({p.sigma_v, kSigmaVMin, 0.05 * u}) / u, std::max(mean_sigma_w(p.ustar, p.wstar, p.lid_for_blend, top), kSigmaWMin) / u};
  }
  const PrimeInput in{b, p.release_height, p.rise.buoyancy_flux, p.rise.momentum_flux, src.velocity, 0.5 * src.diameter,
                      p.gradual || p.final_rise > 0.0 ? p.rise.wind_speed : p.u, p.u, u_bldg,
                      meteo::kGravity / met.temperature_K * dtheta_dz, i1.z, i1.y, p.lid, p.q};
  p.prime = std::make_shared<const PrimePlume>(in, [host = p, he, turb, urban](double x) {
    const Sigmas s = turb ? turbulence_sigmas(host, x, he) : briggs_sigmas(static_cast<char>('A' + host.cls), x, urban);
    return HostSigma{s.y, s.z};
  });
}

Prepared prepare(const PlumeSource& src, const PlumeMet& met, const PlumeOptions& opt) {
  Prepared p;
  p.xs = src.x;
  p.ys = src.y;
  const double th = met.wind_dir_deg * std::numbers::pi / 180.0;
  p.ex = -std::sin(th);  // wind from θ blows towards θ + 180°
  p.ey = -std::cos(th);
  p.q = src.rate_g_s * kUgPerG;
  p.lid = has_lid(met.mixing_height) ? met.mixing_height : std::numeric_limits<double>::infinity();
  p.reflections = opt.reflections;
  p.max_reflections = std::max(opt.max_reflections, 0);
  p.decay = opt.decay_rate;
  p.dispersion = opt.dispersion;
  const char cls = effective_class(met);
  p.cls = class_index(cls);

  const double u_ref = std::max(met.wind_speed, opt.min_wind);
  const double z_ref = met.ref_height > 0.0 ? met.ref_height : 10.0;
  const bool turb = opt.dispersion == Dispersion::Turbulence;
  auto wind_at = [&](double z) {
    z = std::max(z, z_ref);
    if (!turb) {
      static constexpr double kRural[6] = {0.07, 0.07, 0.10, 0.15, 0.35, 0.55};
      static constexpr double kUrban[6] = {0.15, 0.15, 0.20, 0.25, 0.30, 0.30};
      const double pexp = (opt.dispersion == Dispersion::BriggsUrban ? kUrban : kRural)[p.cls];
      return u_ref * std::pow(z / z_ref, pexp);
    }
    if (has_lid(met.mixing_height)) z = std::min(z, std::max(met.mixing_height, z_ref));
    const double z0 = met.z0 > 0.0 ? met.z0 : 0.1;
    const double zr = std::max(z_ref, 2.0 * z0);
    z = std::max(z, zr);
    return u_ref * log_profile(z, z0, met.L) / log_profile(zr, z0, met.L);
  };

  // AERMOD's near-surface profile (MFD §3.3): the log law down to 7 z0, linear to zero below it;
  // not clamped at z_ref (used for the surface-layer average of the transport wind).
  auto wind_profile = [&](double z) {
    const double z0 = met.z0 > 0.0 ? met.z0 : 0.1;
    const double zr = std::max(z_ref, 2.0 * z0);
    const double z7 = 7.0 * z0;
    const double scale = u_ref / log_profile(std::max(zr, z7), z0, met.L) *
                         (zr < z7 ? z7 / zr : 1.0);  // u_ref measured below 7 z0: linear part
    return z >= z7 ? scale * log_profile(z, z0, met.L) : scale * log_profile(z7, z0, met.L) * z / z7;
  };

  // Plume rise with the wind at the stack top.
  const double u_stack = wind_at(src.height);
  const BuildingSector bld = src.building ? (*src.building)[building_sector_index(met.wind_dir_deg)] : BuildingSector{};
  p.release_height = src.height;
  const bool can_rise = opt.plume_rise && src.diameter > 0.0 && src.temperature > 0.0 && src.velocity >= 0.0;
  if (can_rise) {
    p.rise_in.stack_height = src.height;
    p.rise_in.diameter = src.diameter;
    p.rise_in.exit_velocity = src.velocity;
    p.rise_in.exit_temperature = src.temperature;
    p.rise_in.wind_speed = u_stack;
    p.rise_in.ambient_temperature = met.temperature_K;
    p.rise_in.dtheta_dz = emissions::dtheta_dz_of_class(cls);
    p.rise_in.stack_tip_downwash = opt.stack_tip_downwash;
    p.rise = emissions::briggs_plume_rise(p.rise_in);
    if (turb && !(met.L < 0.0 && std::isfinite(met.L)) && p.rise.buoyancy_flux > 0.0 && met.ustar > 0.0) {
      // Turbulence option, stable and neutral hours: not above AERMOD's neutral limit of the
      // buoyant rise, 1.2 lm^(3/5) (hs + 1.2 lm)^(2/5), lm = Fb/(u u*²) (Weil 1988; MFD §5.2.2).
      const double lm = p.rise.buoyancy_flux / (u_stack * met.ustar * met.ustar);
      p.rise.final_rise = std::min(p.rise.final_rise, 1.2 * std::pow(lm, 0.6) * std::pow(src.height + 1.2 * lm, 0.4));
    }
    p.release_height = std::max(p.rise.release_height, 0.0);
    p.final_rise = p.rise.final_rise;
    p.gradual = opt.gradual_rise;
  }
  const double he_final = p.release_height + p.final_rise;

  if (!turb) {
    p.u = u_stack;
    // σy = a_y x / sqrt(1 + b x) with b <= 0.0004: a_y = σy(1 m) sqrt(1 + b) <= σy(1 m) sqrt(1.0004).
    p.sigma_y_slope = briggs_sigmas(cls, 1.0, opt.dispersion == Dispersion::BriggsUrban).y * std::sqrt(1.0004);
    attach_prime(p, bld, bld.present() ? wind_at(bld.height) : 0.0, emissions::dtheta_dz_of_class(cls), met, src);
    return p;
  }
  // Turbulence option.
  const double h = met.mixing_height;
  p.ustar = met.ustar;
  p.L = met.L;
  p.lid_for_blend = h;
  const bool unstable = met.L < 0.0 && std::isfinite(met.L);
  p.cbl = opt.convective_pdf && unstable && p.release_height < h;
  p.convective = (unstable && he_final < h) || p.cbl;
  const double wstar = !(met.L < 0.0 && std::isfinite(met.L)) ? 0.0
                       : met.wstar > 0.0 ? met.wstar : met.ustar * std::cbrt(h / (-meteo::kVonKarman * met.L));
  p.sigma_v = std::max(std::sqrt(3.6 * met.ustar * met.ustar + 0.35 * wstar * wstar), kSigmaVMin);
  const double zr = std::min(he_final / h, 1.0);
  p.sigma_wm = std::max(1.3 * met.ustar * std::sqrt(std::max(1.0 - zr, 0.0)), kSigmaWMin);
  const double zc = std::max(he_final, 0.1 * h) / h;
  p.sigma_wc = zc < 0.1 ? std::sqrt(1.6 * std::pow(zc, 2.0 / 3.0)) * wstar : std::sqrt(0.35) * wstar;
  const double he1 = std::max(he_final, 1.0);
  p.lw = 0.36 * he1;
  if (met.L > 0.0 && std::isfinite(met.L)) {
    // dθ/dz of Monin-Obukhov similarity at the plume, θ*/(k z) (1 + 5 z/L), θ* = u*² T/(k g L), not
    // above the class's (E/F) value: near-neutral stable hours keep their weak stratification.
    const double tstar = met.ustar * met.ustar * met.temperature_K / (meteo::kVonKarman * meteo::kGravity * met.L);
    const double dtdz = std::min(emissions::dtheta_dz_of_class(cls > 'D' ? cls : 'E'),
                                 tstar / (meteo::kVonKarman * he1) * (1.0 + 5.0 * he1 / met.L));
    const double n2 = meteo::kGravity / met.temperature_K * dtdz;
    p.lw = 1.0 / (1.0 / (0.36 * he1) + std::sqrt(n2) / (0.27 * p.sigma_wm));
  }
  p.wstar = wstar;
  if (p.cbl) {
    // The bi-Gaussian PDF at the plume height with the total σw (AERMOD's SWEFFD), and the
    // partial penetration of a buoyant plume (MFD §5.3; Nh from the gradient above the lid).
    // σwc at the plume height (1.6 (he/h)^(2/3) w*² in the surface layer), not at 0.1 h.
    const double swc_he2 = (he_final < 0.1 * h ? 1.6 * std::pow(he_final / h, 2.0 / 3.0) : 0.35) * wstar * wstar;
    double sw = std::sqrt(swc_he2 + p.sigma_wm * p.sigma_wm);
    if (he_final <= kSurfaceLayerTop) {
      // AERMOD IBLVAL: a plume centred at or below 5 m takes σw averaged over 0..min(5 m, h).
      sw = std::max(mean_sigma_w(met.ustar, wstar, h, std::min(kSurfaceLayerTop, h)), kSigmaWMin);
    }
    p.pdf = cbl_pdf(wstar, sw, he_final, h);
    p.w1 = p.pdf.a1 * wstar;
    p.w2 = p.pdf.a2 * wstar;
    p.sw1 = p.pdf.b1 * wstar;
    p.sw2 = p.pdf.b2 * wstar;
    const double n2 = meteo::kGravity / met.temperature_K * met.theta_gradient_above_lid;
    const CblPenetration pen = cbl_penetration(can_rise ? p.rise.buoyancy_flux : 0.0, u_stack, p.release_height, h, n2);
    p.fp = pen.fraction;
    p.fb = can_rise ? p.rise.buoyancy_flux : 0.0;
    p.u_stack = u_stack;
    p.h3 = pen.height;
    p.n3 = std::sqrt(n2);
    // σwc² above the lid, 0.35 w*² exp(-6 (z - zi)/zi) (AERMOD's decay above zi, MFD §5.3), not
    // below AERMOD's minimum σw.
    p.sigma_w3 = std::max(std::sqrt(0.35 * std::exp(-6.0 * (p.h3 - h) / h)) * wstar, kSigmaWMin);
    const double u3 = std::max(wind_at(p.h3), opt.min_wind);
    p.u3 = std::sqrt(u3 * u3 + 2.0 * p.sigma_v * p.sigma_v);
  }
  // Transport wind (AERMOD IBLVAL; Cimorelli et al. 2005 §5): a plume centred at or below 5 m is
  // carried by the wind averaged over the 0-5 m layer (min(5 m, h); AERMOD's ANYAVG starts at
  // 0.5 m), a higher one by the wind at its effective height.
  double u = 0.0;
  if (he_final <= kSurfaceLayerTop) {
    const double zlo = 0.5, zhi = std::max(std::min(kSurfaceLayerTop, h), zlo + 0.01);
    // Simpson's rule, 16 intervals on each side of the kink at 7 z0.
    auto simpson = [&](double a, double b) {
      if (b <= a) return 0.0;
      constexpr int kN = 16;
      const double dz = (b - a) / kN;
      double sum = wind_profile(a) + wind_profile(b);
      for (int i = 1; i < kN; ++i) sum += (i % 2 ? 4.0 : 2.0) * wind_profile(a + i * dz);
      return sum * dz / 3.0;
    };
    const double z7 = 7.0 * (met.z0 > 0.0 ? met.z0 : 0.1);
    const double zk = std::clamp(z7, zlo, zhi);
    u = (simpson(zlo, zk) + simpson(zk, zhi)) / (zhi - zlo);
  } else {
    u = wind_at(he_final);
  }
  u = std::max(u, opt.min_wind);
  p.u = std::sqrt(u * u + 2.0 * p.sigma_v * p.sigma_v);
  p.sigma_y_slope = std::max(p.sigma_v, 0.05 * p.u) / p.u;
  attach_prime(p, bld, bld.present() ? wind_at(bld.height) : 0.0, emissions::dtheta_dz_of_class(cls), met, src, wind_profile);
  return p;
}

/// σz of a convective (direct) plume with vertical turbulence sigma_w: sqrt(σza² + σzs²) below.
double convective_sigma_z(const Prepared& p, double x, double he, double sigma_w) noexcept {
  const double t = x / p.u;
  const double zi = p.lid_for_blend;
  const bool surf = he < 0.1 * zi;
  const double alpha_b = surf ? 0.6 + 0.4 * he / (0.1 * zi) : 1.0;
  const double sza = alpha_b * sigma_w * t;
  const double uu = p.ustar / p.u;
  const double szs = surf ? 0.5 * (1.0 - 10.0 * he / zi) * uu * uu * x * x / std::abs(p.L) : 0.0;
  return std::sqrt(sza * sza + szs * szs);
}

Sigmas turbulence_sigmas(const Prepared& p, double x, double he) noexcept {
  const double t = x / p.u;
  const double zi = p.lid_for_blend;
  Sigmas s;
  const double sv_t = std::max(p.sigma_v, 0.05 * p.u) * t;  // AERMOD: σv/u not below 0.05
  if (p.convective) {
    // CBL (MFD eqs. 77-78): σy = σv t / (1 + β X)^0.3, X = σv x/(u zi), β = 78 z_PG/max(hs, z_PG) >= 0.7.
    const double beta = std::max(78.0 * kZPrairieGrass / std::max(p.release_height, kZPrairieGrass), 0.7);
    s.y = sv_t / std::pow(1.0 + beta * sv_t / zi, 0.3);
    // Direct plume (Weil 1985; MFD §5.5.1.2): σzaj = αb σw x/u, αb = 0.6 + 0.4 he/(0.1 zi) for
    // he < 0.1 zi else 1, σw the total (convective and mechanical) vertical turbulence; the
    // surface-layer term σzs = bc (1 - 10 he/zi) (u*/u)² x²/|L|, bc = 0.5, for he < 0.1 zi;
    // σz = sqrt(σzaj² + σzs²).
    s.z = convective_sigma_z(p, x, he, std::sqrt(p.sigma_wc * p.sigma_wc + p.sigma_wm * p.sigma_wm));
    return s;
  }
  // SBL (and neutral): σy = σv t / (1 + t/(2 TLy))^0.3, TLy = zi/(156 σv) · max(he, z_PG)/z_PG
  // (the MFD eq. 77-78 form with β scaled by the release height).
  const double tly = zi / (156.0 * p.sigma_v) * std::max(he, kZPrairieGrass) / kZPrairieGrass;
  s.y = sv_t / std::pow(1.0 + t / (2.0 * tly), 0.3);
  // σz,es = σw t / sqrt(1 + σw t (1/(0.72 he) + N/(0.54 σw)))  (MFD eq. 83; same as TL = l/σw below)
  const double tl = p.lw / p.sigma_wm;
  const double sze = p.sigma_wm * t / std::sqrt(1.0 + t / (2.0 * tl));
  // σz,gs = sqrt(2/π) u* (x/u) (1 + 0.7 x/L)^(-1/3)  (Venkatram 1992; MFD eq. 84)
  double szs = std::sqrt(2.0 / std::numbers::pi) * p.ustar * t;
  if (p.L > 0.0 && std::isfinite(p.L)) szs *= std::pow(1.0 + 0.7 * x / p.L, -1.0 / 3.0);
  // σz,as = (1 - f) σz,gs + f σz,es, f = min(he/zi, 1)  (MFD eq. 79)
  const double f = std::clamp(he / zi, 0.0, 1.0);
  s.z = (1.0 - f) * szs + f * sze;
  return s;
}

/// Plume state at downwind distance x > 0.
PlumeAt state_at(const Prepared& p, double x) noexcept {
  PlumeAt a;
  a.u = p.u;
  a.mixing_height = p.lid;
  const double rise = p.gradual ? emissions::gradual_plume_rise(p.rise_in, p.rise, x) : p.final_rise;
  a.effective_height = p.release_height + rise;
  const Sigmas s = p.dispersion == Dispersion::Turbulence
                       ? turbulence_sigmas(p, x, a.effective_height)
                       : briggs_sigmas(static_cast<char>('A' + p.cls), x, p.dispersion == Dispersion::BriggsUrban);
  a.sigma_y = s.y;
  a.sigma_z = s.z;
  if (p.cbl) {
    a.penetrated_fraction = p.fp;
    a.penetrated_height = p.h3;
    a.penetrated_u = p.u3;
  }
  return a;
}

/// The image sum V(z) of the plume equation times the lateral Gaussian exp(lateral_exponent), as
/// Σ exp(lateral_exponent − d²/(2σz²)) over the images (one exp per term instead of a product of
/// two), with the lid rules; in the well-mixed limit sqrt(2π) σz/h · exp(lateral_exponent).
double vertical_sum(const Prepared& p, double he, double sz, double z, double lateral_exponent) noexcept {
  const bool lid = p.reflections && std::isfinite(p.lid);
  const double inv2s2 = 1.0 / (2.0 * sz * sz);
  auto term = [inv2s2, lateral_exponent](double d) { return gauss_exp(lateral_exponent - d * d * inv2s2); };
  if (std::isfinite(p.lid)) {
    // ISC3: a plume at or above the lid does not reach below it; nothing from below reaches above.
    if (he >= p.lid) return z >= p.lid ? term(z - he) + term(z + he) : 0.0;
    if (z > p.lid) return 0.0;
  }
  if (lid && sz >= kWellMixedSigmaRatio * p.lid) {
    // Well mixed below the lid: V(z) -> sqrt(2π) σz / h.
    return std::sqrt(2.0 * std::numbers::pi) * sz / p.lid * std::exp(lateral_exponent);
  }
  // A ground-level receptor (z = 0) sees each image twice: (z - he)² = (z + he)², and the pair
  // n's four images are two equal pairs. Half the exps, same sum.
  const bool ground = z == 0.0;
  double v = ground ? 2.0 * term(he) : term(z - he) + term(z + he);
  if (lid) {
    // Image pairs n = ±1..N. With z <= h and he < h, the nearest image of pair n is
    // 2nh - z - he away, growing with n: stop once it is negligible.
    const double twoh = 2.0 * p.lid;
    for (int n = 1; n <= p.max_reflections; ++n) {
      const double d = n * twoh;
      const double nearest = d - z - he;
      if (lateral_exponent - nearest * nearest * inv2s2 < kNegligibleExponent) break;
      v += ground ? 2.0 * (term(d - he) + term(d + he))
                  : term(z - he + d) + term(z + he + d) + term(z - he - d) + term(z + he - d);
    }
  }
  return v;
}

/// The CBL plume (plume_cbl.hpp): direct and indirect sources of the two Gaussians, weight 1 - fp,
/// and the penetrated source above the lid, weight fp (reflected at the ground only).
double cbl_concentration(const Prepared& p, const PlumeAt& a, double x, double z, double lateral_exponent,
                         double loss) noexcept {
  const double t = x / a.u;
  const double he = a.effective_height;
  double c = 0.0;
  if (p.fp < 1.0 && z <= p.lid) {
    const double sz1 = convective_sigma_z(p, x, he, p.sw1), sz2 = convective_sigma_z(p, x, he, p.sw2);
    const double dhi = p.fb > 0.0 ? cbl_indirect_rise(p.fb, p.u_stack, p.release_height, p.lid, p.wstar, x) : 0.0;
    const double v = cbl_vertical(p.pdf, he + p.w1 * t, he + p.w2 * t, sz1, sz2, z, p.lid, lateral_exponent, dhi);
    c += (1.0 - p.fp) * p.q / (2.0 * std::numbers::pi * a.u * a.sigma_y) * v * loss;
  }
  if (p.fp > 0.0) {
    // Stable above the lid: σz3 = σw3 t3 / sqrt(1 + σw3 t3 (1/(0.72 h3) + N/(0.54 σw3))) (MFD eq. 83).
    const double t3 = x / p.u3;
    const double sz3 = p.sigma_w3 * t3 / std::sqrt(1.0 + p.sigma_w3 * t3 / (0.72 * p.h3) + p.n3 * t3 / 0.54);
    const double inv2s2 = 1.0 / (2.0 * sz3 * sz3);
    const double v3 = z == 0.0 ? 2.0 * gauss_exp(lateral_exponent - p.h3 * p.h3 * inv2s2)
                               : gauss_exp(lateral_exponent - (z - p.h3) * (z - p.h3) * inv2s2) +
                                     gauss_exp(lateral_exponent - (z + p.h3) * (z + p.h3) * inv2s2);
    const double loss3 = p.decay > 0.0 ? std::exp(-p.decay * t3) : 1.0;
    c += p.fp * p.q / (2.0 * std::numbers::pi * p.u3 * a.sigma_y * sz3) * v3 * loss3;
  }
  return c;
}

/// Concentration (µg/m³) at downwind distance x, crosswind offset y, height z.
double concentration(const Prepared& p, double x, double y, double z, double min_distance) noexcept {
  if (x < min_distance || p.q == 0.0) return 0.0;
  const double y_bound = p.sigma_y_slope * x;
  if (y * y > -2.0 * kNegligibleExponent * y_bound * y_bound) return 0.0;
  const PlumeAt a = state_at(p, x);
  const double he = a.effective_height;
  const double sy = a.sigma_y, sz = a.sigma_z;
  const double lateral_exponent = -y * y / (2.0 * sy * sy);
  if (lateral_exponent < kNegligibleExponent) return 0.0;
  const double loss = p.decay > 0.0 ? std::exp(-p.decay * x / a.u) : 1.0;
  if (p.cbl) return cbl_concentration(p, a, x, z, lateral_exponent, loss);
  const double norm = p.q / (2.0 * std::numbers::pi * a.u * sy * sz) * loss;
  return norm * vertical_sum(p, he, sz, z, lateral_exponent);
}

double concentration_at(const Prepared& p, const Receptor& r, double min_distance) noexcept {
  const double dx = r.x - p.xs, dy = r.y - p.ys;
  const double x = dx * p.ex + dy * p.ey;
  const double y = -dx * p.ey + dy * p.ex;
  const double g = p.prime && x >= min_distance ? p.prime->gamma(x, y, r.z) : 0.0;  // PRIME: γ Cp + (1 - γ) C
  if (g > 0.0) return g * p.prime->concentration(x, y, r.z) + (1.0 - g) * concentration(p, x, y, r.z, min_distance);
  return concentration(p, x, y, r.z, min_distance);
}


// Area sources. The concentration of a polygon emitting q_a (µg/s/m²) is the point kernel
// integrated over the polygon. In the receptor's wind frame (x: distance upwind of the receptor,
// y: crosswind) the crosswind integral at fixed x is analytic,
//   ∫ exp(-y²/(2σy²)) dy over [y1, y2] = σy sqrt(π/2) [erf(y2/(√2 σy)) - erf(y1/(√2 σy))],
// so C = ∫ q_a V(z) E(x) loss / (2 sqrt(2π) u σz) dx, E the sum of the erf differences over the
// polygon's crossings at x (even-odd rule, holes included). The x integral uses 8-point
// Gauss-Legendre on panels split at every vertex's x and geometrically (each panel spans at most
// a factor 2 in x: the kernel goes as 1/x near the receptor), from max(min x, min_distance) to
// the polygon's far edge. This is AERMOD's approach for AREA/AREAPOLY sources (analytic
// crosswind, numerical alongwind; AERMOD MFD §5.6) with a different quadrature.

constexpr std::array<double, 8> kGaussNodes{-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                                            -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                                            0.7966664774136267,  0.9602898564975363};
constexpr std::array<double, 8> kGaussWeights{0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                                              0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                                              0.2223810344533745, 0.1012285362903763};

struct PreparedArea {
  Prepared p;                ///< the kernel: no rise, release height, transport wind, σ
  double qa = 0.0;           ///< µg/s/m²
  std::vector<std::array<XY, 2>> edges;  ///< every ring's edges, m
};

PreparedArea prepare_area(const PlumeAreaSource& a, const PlumeMet& met, const PlumeOptions& opt) {
  const double polygon_area = emissions::area(a.polygon);
  LANTIAN_CHECK(polygon_area > 0.0, (ErrorContext{"", 0, "area source " + a.id}), "expected a polygon with a positive area");
  PreparedArea pa;
  PlumeSource kernel;
  kernel.id = a.id;
  kernel.height = a.release_height;
  kernel.rate_g_s = a.rate_g_s;  // diameter 0: no plume rise
  pa.p = prepare(kernel, met, opt);
  pa.qa = a.rate_g_s * kUgPerG / polygon_area;
  auto add_ring = [&](const emissions::Ring& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i) pa.edges.push_back({ring[i], ring[(i + 1) % ring.size()]});
  };
  add_ring(a.polygon.outer);
  for (const auto& hole : a.polygon.holes) add_ring(hole);
  return pa;
}

double area_concentration_at(const PreparedArea& pa, const Receptor& r, double min_distance,
                             std::vector<double>& scratch) noexcept {
  const Prepared& p = pa.p;
  if (pa.qa == 0.0) return 0.0;
  // Edges in the receptor's frame: x = distance of the emitting point upwind of the receptor.
  auto to_frame = [&](const XY& v) {
    const double dx = r.x - v.x, dy = r.y - v.y;
    return std::array<double, 2>{dx * p.ex + dy * p.ey, -dx * p.ey + dy * p.ex};
  };
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
  scratch.clear();
  for (const auto& e : pa.edges) {
    const auto a = to_frame(e[0]);
    xmin = std::min(xmin, a[0]);
    xmax = std::max(xmax, a[0]);
    scratch.push_back(a[0]);
  }
  const double x_lo = std::max(xmin, min_distance);
  if (xmax <= x_lo) return 0.0;
  // Panel ends: the vertices' x inside (x_lo, x_hi), then split so that b <= 2a.
  std::vector<double> ends{x_lo, xmax};
  for (const double x : scratch)
    if (x > x_lo && x < xmax) ends.push_back(x);
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  double sum = 0.0;
  std::vector<double> ys;
  for (std::size_t k = 0; k + 1 < ends.size(); ++k) {
    double a = ends[k];
    const double b_end = ends[k + 1];
    while (a < b_end) {
      const double b = std::min(b_end, 2.0 * a);
      const double half = 0.5 * (b - a), mid = 0.5 * (a + b);
      for (std::size_t g = 0; g < kGaussNodes.size(); ++g) {
        const double x = mid + half * kGaussNodes[g];
        const PlumeAt st = state_at(p, x);
        const double v = vertical_sum(p, st.effective_height, st.sigma_z, r.z, 0.0);
        if (v == 0.0) continue;
        // Crossings of the line at x with the edges (half-open rule: a vertex counts once).
        ys.clear();
        for (const auto& e : pa.edges) {
          const auto e0 = to_frame(e[0]), e1 = to_frame(e[1]);
          if ((e0[0] <= x) == (e1[0] <= x)) continue;
          ys.push_back(e0[1] + (x - e0[0]) * (e1[1] - e0[1]) / (e1[0] - e0[0]));
        }
        std::sort(ys.begin(), ys.end());
        const double s2 = std::sqrt(2.0) * st.sigma_y;
        double erf_sum = 0.0;
        for (std::size_t c = 0; c + 1 < ys.size(); c += 2) erf_sum += std::erf(ys[c + 1] / s2) - std::erf(ys[c] / s2);
        if (erf_sum == 0.0) continue;
        const double loss = p.decay > 0.0 ? std::exp(-p.decay * x / st.u) : 1.0;
        sum += kGaussWeights[g] * half * v * erf_sum * loss / (2.0 * std::sqrt(2.0 * std::numbers::pi) * st.u * st.sigma_z);
      }
      a = b;
    }
  }
  return pa.qa * sum;
}

}  // namespace

bool is_calm(const PlumeMet& met, const PlumeOptions& options) noexcept { return met.wind_speed < options.min_wind; }

void check_met(const PlumeMet& m, const PlumeOptions& o, std::string_view where) {
  const ErrorContext ctx{"", 0, std::string(where)};
  auto need = [&](bool ok, const std::string& msg) { LANTIAN_CHECK(ok, ctx, msg); };
  need(std::isfinite(m.wind_speed) && m.wind_speed >= 0.0, "expected wind_speed >= 0 m/s");
  need(std::isfinite(m.wind_dir_deg), "expected a finite wind_dir (degrees)");
  need(std::isfinite(m.ref_height) && m.ref_height > 0.0, "expected ref_height > 0 m");
  need(std::isfinite(m.temperature_K) && m.temperature_K > 150.0 && m.temperature_K < 350.0,
       "expected temperature in K (150..350)");
  need(std::isfinite(m.z0) && m.z0 > 0.0, "expected z0 > 0 m");
  need(std::isnan(m.mixing_height) || m.mixing_height > 0.0, "expected mixing_height > 0 m");
  need(std::isnan(m.wstar) || (std::isfinite(m.wstar) && m.wstar >= 0.0), "expected wstar >= 0 m/s");
  need(std::isfinite(m.theta_gradient_above_lid) && m.theta_gradient_above_lid > 0.0,
       "expected a potential temperature gradient above the mixing height (vptg) > 0 K/m");
  if (m.stability != 0) need(class_index(m.stability) >= 0, "expected stability A-F");
  if (o.dispersion == Dispersion::Turbulence) {
    need(std::isfinite(m.ustar) && m.ustar > 0.0, "the turbulence option needs ustar > 0 m/s");
    need(!std::isnan(m.L) && m.L != 0.0, "the turbulence option needs the Monin-Obukhov length L (non-zero)");
    need(std::isfinite(m.mixing_height) && m.mixing_height > 0.0, "the turbulence option needs mixing_height > 0 m");
  } else {
    need(class_index(m.stability) >= 0,
         "the " + std::string(dispersion_name(o.dispersion)) + " option needs the stability class (A-F)");
  }
}

Sigmas briggs_sigmas(char stability, double x, bool urban) {
  const int c = class_index(stability);
  LANTIAN_CHECK(c >= 0, (ErrorContext{"", 0, "stability"}), "expected A-F, found '" + std::string(1, stability) + "'");
  Sigmas s;
  if (!urban) {
    // Briggs (1973) open country, Seinfeld & Pandis (2006) Table 18.3.
    static constexpr double ay[6] = {0.22, 0.16, 0.11, 0.08, 0.06, 0.04};
    s.y = ay[c] * x / std::sqrt(1.0 + 0.0001 * x);
    switch (c) {
      case 0: s.z = 0.20 * x; break;
      case 1: s.z = 0.12 * x; break;
      case 2: s.z = 0.08 * x / std::sqrt(1.0 + 0.0002 * x); break;
      case 3: s.z = 0.06 * x / std::sqrt(1.0 + 0.0015 * x); break;
      case 4: s.z = 0.03 * x / (1.0 + 0.0003 * x); break;
      default: s.z = 0.016 * x / (1.0 + 0.0003 * x); break;
    }
  } else {
    // Briggs (1973) urban (McElroy-Pooler), same table.
    static constexpr double ay[6] = {0.32, 0.32, 0.22, 0.16, 0.11, 0.11};
    s.y = ay[c] * x / std::sqrt(1.0 + 0.0004 * x);
    switch (c) {
      case 0:
      case 1: s.z = 0.24 * x * std::sqrt(1.0 + 0.001 * x); break;
      case 2: s.z = 0.20 * x; break;
      case 3: s.z = 0.14 * x / std::sqrt(1.0 + 0.0003 * x); break;
      default: s.z = 0.08 * x / std::sqrt(1.0 + 0.0015 * x); break;
    }
  }
  return s;
}

PlumeAt plume_at(const PlumeSource& src, const PlumeMet& met, double x, const PlumeOptions& options) {
  return state_at(prepare(src, met, options), x);
}

double plume_concentration(const PlumeSource& src, const PlumeMet& met, const Receptor& rec,
                           const PlumeOptions& options) {
  return concentration_at(prepare(src, met, options), rec, options.min_distance);
}

double area_concentration(const PlumeAreaSource& area, const PlumeMet& met, const Receptor& rec,
                          const PlumeOptions& options) {
  std::vector<double> scratch;
  return area_concentration_at(prepare_area(area, met, options), rec, options.min_distance, scratch);
}

float Contributions::value(std::size_t h, std::size_t r, std::size_t s) const noexcept {
  const std::size_t row = h * n_receptors + r;
  const auto first = source_index.begin() + static_cast<std::ptrdiff_t>(row_start[row]);
  const auto last = source_index.begin() + static_cast<std::ptrdiff_t>(row_start[row + 1]);
  const auto it = std::lower_bound(first, last, static_cast<std::uint32_t>(s));
  return (it != last && *it == s) ? values[static_cast<std::size_t>(it - source_index.begin())] : 0.0f;
}

double Contributions::weighted_total(std::size_t h, std::size_t r, std::span<const double> weights) const noexcept {
  const std::size_t row = h * n_receptors + r;
  double sum = 0.0;
  for (std::size_t k = row_start[row]; k < row_start[row + 1]; ++k) sum += weights[source_index[k]] * values[k];
  return sum;
}

Contributions compute_contributions(std::span<const PlumeSource> sources, std::span<const PlumeMet> met_hours,
                                    std::span<const Receptor> receptors, const PlumeOptions& options) {
  return compute_contributions(sources, {}, met_hours, receptors, options);
}

namespace {

Contributions assemble_contributions(const std::vector<Prepared>& prep, const std::vector<PreparedArea>& prep_area,
                                     std::vector<unsigned char> calm, std::size_t np, std::size_t na,
                                     std::span<const Receptor> receptors, const PlumeOptions& options);

}  // namespace

Contributions compute_contributions(std::span<const PlumeSource> sources, std::span<const PlumeAreaSource> areas,
                                    std::span<const PlumeMet> met_hours, std::span<const Receptor> receptors,
                                    const PlumeOptions& options) {
  options.validate();
  const std::size_t nh = met_hours.size(), np = sources.size(), na = areas.size();
  for (std::size_t h = 0; h < nh; ++h) check_met(met_hours[h], options, "hour " + std::to_string(h));
  std::vector<unsigned char> calm(nh, 0);
  std::vector<Prepared> prep(nh * np);
  std::vector<PreparedArea> prep_area(nh * na);
  for (std::size_t h = 0; h < nh; ++h) {
    calm[h] = is_calm(met_hours[h], options) ? 1 : 0;
    for (std::size_t s = 0; s < np; ++s) prep[h * np + s] = prepare(sources[s], met_hours[h], options);
    for (std::size_t s = 0; s < na; ++s) prep_area[h * na + s] = prepare_area(areas[s], met_hours[h], options);
  }
  return assemble_contributions(prep, prep_area, std::move(calm), np, na, receptors, options);
}

Contributions compute_contributions_stack_met(std::span<const PlumeSource> sources, std::span<const PlumeMet> met,
                                              std::size_t n_hours, std::span<const Receptor> receptors,
                                              const PlumeOptions& options) {
  options.validate();
  const std::size_t np = sources.size();
  LANTIAN_CHECK(met.size() == n_hours * np, (ErrorContext{"", 0, "met"}),
                "expected hours x sources = " + std::to_string(n_hours * np) + " met entries, found " +
                    std::to_string(met.size()));
  std::vector<unsigned char> calm(n_hours, 0);
  std::vector<Prepared> prep(n_hours * np);
  for (std::size_t h = 0; h < n_hours; ++h)
    for (std::size_t s = 0; s < np; ++s) {
      const PlumeMet& m = met[h * np + s];
      check_met(m, options, "hour " + std::to_string(h) + ", source " + sources[s].id);
      if (is_calm(m, options)) calm[h] = 1;
      prep[h * np + s] = prepare(sources[s], m, options);
    }
  return assemble_contributions(prep, {}, std::move(calm), np, 0, receptors, options);
}

namespace {

Contributions assemble_contributions(const std::vector<Prepared>& prep, const std::vector<PreparedArea>& prep_area,
                                     std::vector<unsigned char> calm, std::size_t np, std::size_t na,
                                     std::span<const Receptor> receptors, const PlumeOptions& options) {
  const std::size_t nh = calm.size(), nr = receptors.size(), ns = np + na;
  LANTIAN_CHECK(ns <= std::numeric_limits<std::uint32_t>::max(), (ErrorContext{"", 0, "sources"}),
                "too many sources: " + std::to_string(ns));
  Contributions c;
  c.n_hours = nh;
  c.n_receptors = nr;
  c.n_sources = ns;
  c.totals.assign(nh * nr, 0.0);
  c.calm = std::move(calm);
  // Rows (hour, receptor) in fixed blocks; each block is computed by one thread, sources in order,
  // into its own lists, then the blocks are concatenated in order: the result does not depend on
  // the thread count.
  const std::size_t n_rows = nh * nr;
  constexpr std::size_t kBlock = 64;
  const std::size_t n_blocks = (n_rows + kBlock - 1) / kBlock;
  struct Block {
    std::vector<std::uint32_t> index;
    std::vector<float> values;
    std::array<std::size_t, kBlock> count{};
  };
  std::vector<Block> blocks(n_blocks);
  const double min_distance = options.min_distance;
#pragma omp parallel for schedule(dynamic, 4)
  for (long long b = 0; b < static_cast<long long>(n_blocks); ++b) {
    Block& blk = blocks[static_cast<std::size_t>(b)];
    std::vector<double> scratch;
    const std::size_t row0 = static_cast<std::size_t>(b) * kBlock, row1 = std::min(row0 + kBlock, n_rows);
    for (std::size_t row = row0; row < row1; ++row) {
      const std::size_t h = row / nr, r = row % nr;
      const Prepared* ph = prep.data() + h * np;
      double total = 0.0;
      const std::size_t before = blk.values.size();
      auto keep = [&](std::size_t s, double v) {
        if (v == 0.0) return;
        total += v;
        blk.index.push_back(static_cast<std::uint32_t>(s));
        blk.values.push_back(static_cast<float>(v));
      };
      for (std::size_t s = 0; s < np; ++s) keep(s, concentration_at(ph[s], receptors[r], min_distance));
      for (std::size_t s = 0; s < na; ++s)
        keep(np + s, area_concentration_at(prep_area[h * na + s], receptors[r], min_distance, scratch));
      blk.count[row - row0] = blk.values.size() - before;
      c.totals[row] = total;
    }
  }
  c.row_start.assign(n_rows + 1, 0);
  std::size_t n_stored = 0;
  for (std::size_t row = 0; row < n_rows; ++row) {
    c.row_start[row] = n_stored;
    n_stored += blocks[row / kBlock].count[row % kBlock];
  }
  c.row_start[n_rows] = n_stored;
  c.source_index.resize(n_stored);
  c.values.resize(n_stored);
#pragma omp parallel for schedule(static)
  for (long long b = 0; b < static_cast<long long>(n_blocks); ++b) {
    const Block& blk = blocks[static_cast<std::size_t>(b)];
    const std::size_t at = c.row_start[static_cast<std::size_t>(b) * kBlock];
    std::copy(blk.index.begin(), blk.index.end(), c.source_index.begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(blk.values.begin(), blk.values.end(), c.values.begin() + static_cast<std::ptrdiff_t>(at));
  }
  return c;
}

}  // namespace
}  // namespace lantian::solver
