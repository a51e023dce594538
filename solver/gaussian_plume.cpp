// Gaussian plume solver: see gaussian_plume.hpp for the plume equation. The choices here:
//
// Plume rise: emissions::briggs_plume_rise / gradual_plume_rise (Briggs, as in the ISC3 User's
// Guide vol. II §1.1.4), with the wind at the stack top and the ambient temperature of the hour;
// E/F classes use ISC3's default dθ/dz. A stack with no diameter or no exit temperature has no rise.
//
// Wind at height (风廓线), from the reference wind raised first to options.min_wind:
//  - Briggs options: power law u(z) = u_ref (z/z_ref)^p at the stack height (not below z_ref),
//    with ISC3's exponents (User's Guide vol. II, §1.1.5): rural A-F 0.07 0.07 0.10 0.15 0.35
//    0.55, urban 0.15 0.15 0.20 0.25 0.30 0.30. No meander.
//  - Turbulence: Monin-Obukhov log law u(z) ∝ ln(z/z0) - ψm(z/L) (Businger-Dyer/Paulson ψm;
//    stable ψm = -5 z/L), at the final effective height (not below z_ref, not above the mixing
//    height), then the meander (蛇行) of low winds as an effective speed u_e = sqrt(u² + 2 σv²)
//    after AERMOD's low-wind treatment (Cimorelli et al. 2005, J. Appl. Meteorol. 44, 682-693,
//    and the AERMOD Model Formulation document EPA-454/R-03-004), so calms do not blow up.
//
// Dispersion:
//  - BriggsRural / BriggsUrban: Briggs (1973) formulas for 100 m < x < 10 km, as tabulated in
//    Seinfeld & Pandis (2006) Table 18.3 and Hanna, Briggs & Hosker (1982, "Handbook on
//    Atmospheric Diffusion") Table 4.5; urban after McElroy & Pooler (St. Louis). Used as they
//    are below 100 m.
//  - Turbulence (AERMOD/OML-like, simplified; the structure of Weil 1985 and Venkatram 1992):
//      w*  = u* (-h/(k L))^(1/3) for L < 0, else 0          (Deardorff velocity)
//      σv² = 3.6 u*² + 0.35 w*², σv >= 0.2 m/s               (AERMOD MFED, Panofsky et al. 1977)
//      σwm² = 1.69 u*² (1 - z/h) at z = effective height       (mechanical, AERMOD σwm = 1.3 u*(1-z/h)^½)
//      σwc² = 1.6 (z/h)^(2/3) w*² (z < 0.1 h), 0.35 w*² above, evaluated at max(he, 0.1 h)
//      σy  = σv t / (1 + 0.9 sqrt(t / 1000 s))                 (Draxler 1976; Irwin 1983), t = x/u
//      σze = σwm t / sqrt(1 + t/(2 TL)), TL = l/σwm, l = 0.36 max(he, 1 m), in stable hours
//            1/l = 1/(0.36 he) + N/(0.27 σwm) with N² = g/T dθ/dz   (AERMOD's stable length scale)
//      σzs = sqrt(2/π) (u* x/u) (1 + 0.7 x/L)^(-1/3) for L > 0, sqrt(2/π) u* x/u otherwise
//            (surface release, Venkatram 1992)
//      σz_mech = (1 - f) σzs + f σze, f = min(he/h, 1)         (AERMOD's blend by release height)
//      σzc = σwc t / sqrt(1 + t/(2 TLc)), TLc = 0.15 h / σwc   (Hanna 1982)
//      σz  = sqrt(σz_mech² + σzc²).
//
// Lid (混合层顶): a plume whose effective height is at or above the mixing height gives zero below
// it (ISC3); receptors above the lid get zero from plumes below it.
// First-order loss: exp(-k t), t = x/u.
#include "solver/gaussian_plume.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "emissions/plume_rise.hpp"
#include "meteo/boundary_layer.hpp"

namespace lantian::solver {

namespace {

constexpr double kMinExponent = -80.0;  ///< exp() arguments are clamped here (TARGETS.md)
constexpr double kWellMixedSigmaRatio = 1.6;  ///< σz/h at which the column counts as well mixed (ISC3)
constexpr double kSigmaVMin = 0.2;      ///< AERMOD's minimum σv, m/s
constexpr double kSigmaWMin = 0.02;     ///< AERMOD's minimum σw, m/s
constexpr double kUgPerG = 1.0e6;

inline double clamped_exp(double a) noexcept { return std::exp(std::max(a, kMinExponent)); }

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
};

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

  // Plume rise with the wind at the stack top.
  const double u_stack = wind_at(src.height);
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
    p.release_height = std::max(p.rise.release_height, 0.0);
    p.final_rise = p.rise.final_rise;
    p.gradual = opt.gradual_rise;
  }
  const double he_final = p.release_height + p.final_rise;

  if (!turb) {
    p.u = u_stack;
    return p;
  }
  // Turbulence option.
  const double h = met.mixing_height;
  p.ustar = met.ustar;
  p.L = met.L;
  p.lid_for_blend = h;
  const double wstar = (met.L < 0.0 && std::isfinite(met.L))
                           ? met.ustar * std::cbrt(h / (-meteo::kVonKarman * met.L))
                           : 0.0;
  p.sigma_v = std::max(std::sqrt(3.6 * met.ustar * met.ustar + 0.35 * wstar * wstar), kSigmaVMin);
  const double zr = std::min(he_final / h, 1.0);
  p.sigma_wm = std::max(1.3 * met.ustar * std::sqrt(std::max(1.0 - zr, 0.0)), kSigmaWMin);
  const double zc = std::max(he_final, 0.1 * h) / h;
  p.sigma_wc = zc < 0.1 ? std::sqrt(1.6 * std::pow(zc, 2.0 / 3.0)) * wstar : std::sqrt(0.35) * wstar;
  const double he1 = std::max(he_final, 1.0);
  p.lw = 0.36 * he1;
  if (met.L > 0.0 && std::isfinite(met.L)) {
    const double n2 = meteo::kGravity / met.temperature_K * emissions::dtheta_dz_of_class(cls > 'D' ? cls : 'E');
    p.lw = 1.0 / (1.0 / (0.36 * he1) + std::sqrt(n2) / (0.27 * p.sigma_wm));
  }
  const double u = wind_at(he_final);
  p.u = std::sqrt(u * u + 2.0 * p.sigma_v * p.sigma_v);
  return p;
}

Sigmas turbulence_sigmas(const Prepared& p, double x, double he) noexcept {
  const double t = x / p.u;
  Sigmas s;
  s.y = p.sigma_v * t / (1.0 + 0.9 * std::sqrt(t / 1000.0));
  const double tl = p.lw / p.sigma_wm;
  const double sze = p.sigma_wm * t / std::sqrt(1.0 + t / (2.0 * tl));
  double szs = std::sqrt(2.0 / std::numbers::pi) * p.ustar * t;
  if (p.L > 0.0 && std::isfinite(p.L)) szs *= std::pow(1.0 + 0.7 * x / p.L, -1.0 / 3.0);
  const double f = std::clamp(he / p.lid_for_blend, 0.0, 1.0);
  const double szm = (1.0 - f) * szs + f * sze;
  double szc = 0.0;
  if (p.sigma_wc > 0.0) {
    const double tlc = 0.15 * p.lid_for_blend / p.sigma_wc;
    szc = p.sigma_wc * t / std::sqrt(1.0 + t / (2.0 * tlc));
  }
  s.z = std::sqrt(szm * szm + szc * szc);
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
  return a;
}

/// Concentration (µg/m³) at downwind distance x, crosswind offset y, height z.
double concentration(const Prepared& p, double x, double y, double z, double min_distance) noexcept {
  if (x < min_distance || p.q == 0.0) return 0.0;
  const PlumeAt a = state_at(p, x);
  const double he = a.effective_height;
  const double sy = a.sigma_y, sz = a.sigma_z;
  const double lateral = clamped_exp(-y * y / (2.0 * sy * sy));
  const double loss = p.decay > 0.0 ? clamped_exp(-p.decay * x / a.u) : 1.0;
  const bool lid = p.reflections && std::isfinite(p.lid);
  if (std::isfinite(p.lid)) {
    // ISC3: a plume at or above the lid does not reach below it; nothing from below reaches above.
    if (he >= p.lid) return z >= p.lid ? p.q / (2.0 * std::numbers::pi * a.u * sy * sz) * lateral * loss *
                                             (clamped_exp(-(z - he) * (z - he) / (2.0 * sz * sz)) +
                                              clamped_exp(-(z + he) * (z + he) / (2.0 * sz * sz)))
                                       : 0.0;
    if (z > p.lid) return 0.0;
  }
  if (lid && sz >= kWellMixedSigmaRatio * p.lid) {
    // Well mixed below the lid: V(z) -> sqrt(2π) σz / h.
    return p.q / (std::sqrt(2.0 * std::numbers::pi) * a.u * p.lid * sy) * lateral * loss;
  }
  const double inv2s2 = 1.0 / (2.0 * sz * sz);
  double v = clamped_exp(-(z - he) * (z - he) * inv2s2) + clamped_exp(-(z + he) * (z + he) * inv2s2);
  if (lid) {
    const double twoh = 2.0 * p.lid;
    for (int n = 1; n <= p.max_reflections; ++n) {
      const double d = n * twoh;
      v += clamped_exp(-(z - he + d) * (z - he + d) * inv2s2) + clamped_exp(-(z + he + d) * (z + he + d) * inv2s2) +
           clamped_exp(-(z - he - d) * (z - he - d) * inv2s2) + clamped_exp(-(z + he - d) * (z + he - d) * inv2s2);
    }
  }
  return p.q / (2.0 * std::numbers::pi * a.u * sy * sz) * lateral * v * loss;
}

double concentration_at(const Prepared& p, const Receptor& r, double min_distance) noexcept {
  const double dx = r.x - p.xs, dy = r.y - p.ys;
  const double x = dx * p.ex + dy * p.ey;
  const double y = -dx * p.ey + dy * p.ex;
  return concentration(p, x, y, r.z, min_distance);
}

}  // namespace

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

Contributions compute_contributions(std::span<const PlumeSource> sources, std::span<const PlumeMet> met_hours,
                                    std::span<const Receptor> receptors, const PlumeOptions& options) {
  options.validate();
  const std::size_t nh = met_hours.size(), nr = receptors.size(), ns = sources.size();
  for (std::size_t h = 0; h < nh; ++h) check_met(met_hours[h], options, "hour " + std::to_string(h));
  Contributions c;
  c.n_hours = nh;
  c.n_receptors = nr;
  c.n_sources = ns;
  c.values.assign(nh * nr * ns, 0.0f);
  c.totals.assign(nh * nr, 0.0);
  c.calm.assign(nh, 0);
  std::vector<Prepared> prep(nh * ns);
  for (std::size_t h = 0; h < nh; ++h) {
    c.calm[h] = is_calm(met_hours[h], options) ? 1 : 0;
    for (std::size_t s = 0; s < ns; ++s) prep[h * ns + s] = prepare(sources[s], met_hours[h], options);
  }
  const auto n_pairs = static_cast<long long>(nh * nr);
  const double min_distance = options.min_distance;
  // Each (hour, receptor) pair is computed by one thread, sources in order: the result does not
  // depend on the thread count.
#pragma omp parallel for schedule(dynamic, 16)
  for (long long k = 0; k < n_pairs; ++k) {
    const auto hr = static_cast<std::size_t>(k);
    const std::size_t h = hr / nr, r = hr % nr;
    const Prepared* ph = prep.data() + h * ns;
    float* out = c.values.data() + hr * ns;
    double total = 0.0;
    for (std::size_t s = 0; s < ns; ++s) {
      const double v = concentration_at(ph[s], receptors[r], min_distance);
      out[s] = static_cast<float>(v);
      total += v;
    }
    c.totals[hr] = total;
  }
  return c;
}

}  // namespace lantian::solver
