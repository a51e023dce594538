#pragma once
// Steady-state Gaussian plume (高斯烟羽模型) for point sources: per source, hour and receptor,
// with Briggs plume rise (emissions/plume_rise.hpp, the one implementation), ground reflection,
// reflections at the mixing lid (image sum, well mixed far downwind), three dispersion options,
// a minimum wind, first-order loss with travel time, and the batched, OpenMP-parallel
// source-receptor-hour contributions (每个企业对每个站点每小时的贡献).
//
// Coordinates: x east, y north, z up, metres; one flat plane (no terrain). Wind direction is
// meteorological (the direction the wind blows FROM, degrees clockwise from north).
// Concentrations are hourly means in µg/m³; emission rates in g/s.
//
// The plume equation (e.g. Seinfeld & Pandis 2006, "Atmospheric Chemistry and Physics", 2nd
// ed., eq. 18.61 with ground reflection; Turner 1970, "Workbook of Atmospheric Dispersion
// Estimates", eq. 3.1):
//   C(x,y,z) = Q / (2π u σy σz) exp(-y²/(2σy²)) V(z) · exp(-k x/u)
//   V(z) = Σ_{n=-N..N} [exp(-(z - H + 2nh)²/(2σz²)) + exp(-(z + H + 2nh)²/(2σz²))]
// (n = 0 only without a lid). When σz ≥ 1.6 h the column is taken as well mixed,
//   C = Q / (sqrt(2π) u h σy) exp(-y²/(2σy²))     (ISC3 User's Guide vol. II, eq. 1-53/1-54),
// which the image sum reaches to ~1e-5 at that σz. Gaussian factors below e^-50 (~2e-22 of the
// centre line) are dropped as zero, and with them the work for most off-plume receptors.
// The physics, options and their references are detailed in gaussian_plume.cpp.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emissions/inventory.hpp"
#include "solver/plume_prime.hpp"

namespace lantian::solver {

/// How σy(x), σz(x) are obtained.
enum class Dispersion {
  BriggsRural,  ///< Pasquill-Gifford classes, Briggs (1973) open-country formulas; needs `stability`
  BriggsUrban,  ///< Briggs (1973) urban formulas (McElroy-Pooler St. Louis data); needs `stability`
  Turbulence,   ///< σv, σw from u*, w*, L and the mixing height (AERMOD/OML-like); needs ustar, L, mixing_height
};

/// "briggs-rural", "briggs-urban", "turbulence" -> Dispersion; throws lantian::Error otherwise.
Dispersion parse_dispersion(std::string_view name);
/// The CLI name of a dispersion option.
std::string_view dispersion_name(Dispersion d) noexcept;

/// One stack (点源).
struct PlumeSource {
  std::string id;
  double x = 0.0, y = 0.0;      ///< position, m
  double height = 0.0;          ///< physical stack height above ground, m (>= 0)
  double diameter = 0.0;        ///< inner diameter at the top, m (0: no plume rise)
  double velocity = 0.0;        ///< exit velocity, m/s
  double temperature = 0.0;     ///< exit temperature, K (<= ambient: no buoyancy; 0: no plume rise)
  double rate_g_s = 0.0;        ///< emission rate, g/s
  /// The buildings beside the stack, per flow direction (BPIP; solver/plume_prime.hpp): null
  /// for none. A sector with a building takes PRIME downwash in its hours.
  std::shared_ptr<const BuildingDims> building = nullptr;
};

/// The meteorology of one hour (assumed uniform over the domain).
struct PlumeMet {
  double wind_speed = 0.0;      ///< m/s at ref_height
  double wind_dir_deg = 0.0;    ///< meteorological direction (from), degrees
  double ref_height = 10.0;     ///< height of the wind measurement, m
  double temperature_K = 293.15;  ///< ambient (near-surface) air temperature, K
  char stability = 0;           ///< Pasquill-Gifford class 'A'..'F'; 0 when absent
  /// Mixing height, m; +infinity (or NaN) when absent: no lid.
  double mixing_height = std::numeric_limits<double>::infinity();
  double ustar = std::numeric_limits<double>::quiet_NaN();  ///< friction velocity, m/s; NaN when absent
  double L = std::numeric_limits<double>::quiet_NaN();      ///< Monin-Obukhov length, m; NaN when absent (±inf: neutral)
  double z0 = 0.1;              ///< roughness length, m (log-law wind, class from L)
  /// Convective velocity scale w*, m/s (AERMET's, from the convective mixing height); NaN: from
  /// u*, L and mixing_height, w* = u* (-h/(k L))^⅓. Used in convective hours only.
  double wstar = std::numeric_limits<double>::quiet_NaN();
  /// Potential temperature gradient above the mixing height, K/m (AERMET's VPTG; the turbulence
  /// option's CBL plume: penetration of buoyant plumes into the stable layer aloft).
  double theta_gradient_above_lid = 0.005;
};

/// An area source (面源): a polygon (holes allowed) emitting uniformly at a release height, with
/// no plume rise. Its concentration is the integral of the point-source kernel over the polygon:
/// crosswind analytically (erf), along the wind by Gauss-Legendre quadrature (see the .cpp).
struct PlumeAreaSource {
  std::string id;
  emissions::Polygon polygon;   ///< vertices in m on the receptors' plane
  double release_height = 0.0;  ///< m above ground
  double rate_g_s = 0.0;        ///< total emission rate over the polygon, g/s
};

/// A receptor (受体): station, arbitrary point, or grid cell centre.
struct Receptor {
  std::string id;
  double x = 0.0, y = 0.0;  ///< m
  double z = 0.0;           ///< height above ground, m (flagpole receptor)
};

/// Model options. The defaults are the regulatory-style choices described in the .cpp.
struct PlumeOptions {
  Dispersion dispersion = Dispersion::BriggsRural;
  /// Minimum wind speed, m/s: hours whose reference wind is below it are "calm"; they are
  /// computed with the wind raised to this value and reported (is_calm), never skipped.
  double min_wind = 0.5;
  bool reflections = true;       ///< reflections at the mixing lid (off: ground reflection only)
  int max_reflections = 6;       ///< image pairs n = -N..N at the lid (6 reaches the well-mixed limit)
  bool plume_rise = true;        ///< Briggs plume rise (off: effective height = stack height)
  bool gradual_rise = true;      ///< rise grows with distance up to the final rise
  bool stack_tip_downwash = true;
  double decay_rate = 0.0;       ///< first-order loss k, 1/s (deposition, conversion): exp(-k x/u)
  /// Receptors closer than this downwind distance (m) get zero (the plume is not yet formed).
  double min_distance = 1.0;
  /// Turbulence option, convective hours (L < 0, release below the mixing height): AERMOD's
  /// bi-Gaussian CBL plume (direct, indirect and penetrated sources; solver/plume_cbl.hpp).
  /// Off: one Gaussian with the total σw (the model before issue 14).
  bool convective_pdf = true;
  /// Checks the options; throws lantian::Error naming the bad one.
  void validate() const;
};

/// The plume's state at downwind distance x for one source and hour (for tests and diagnostics).
struct PlumeAt {
  double u = 0.0;               ///< transport wind speed, m/s (after the minimum and meander)
  double effective_height = 0.0;  ///< stack height after downwash plus the rise at x, m
  double sigma_y = 0.0;         ///< m
  double sigma_z = 0.0;         ///< m
  double mixing_height = 0.0;   ///< the lid used, m (+inf: none)
  /// The CBL plume (turbulence option, convective hour, options.convective_pdf): the fraction
  /// fp penetrating the lid, the penetrated source's height (m) and transport wind (m/s).
  double penetrated_fraction = 0.0, penetrated_height = 0.0, penetrated_u = 0.0;
};

/// Whether the hour is calm for these options (reference wind below options.min_wind).
bool is_calm(const PlumeMet& met, const PlumeOptions& options) noexcept;

/// Throws lantian::Error when `met` lacks what options.dispersion needs (stability for the
/// Briggs options; ustar, L and mixing_height for Turbulence) or holds non-physical values.
/// `where` prefixes the message (e.g. "met.csv:12").
void check_met(const PlumeMet& met, const PlumeOptions& options, std::string_view where = {});

/// σy, σz (m) of the Briggs (1973) formulas at downwind distance x (m) for class 'A'..'F'.
struct Sigmas {
  double y = 0.0, z = 0.0;
};
Sigmas briggs_sigmas(char stability, double x, bool urban);

/// The turbulence option's σw (m/s) averaged over 0..top (m) of its profile σw² = σwc² + σwm²,
/// σwc² = 1.6 (z/h)^(2/3) w*² below 0.1 h (0.35 w*² above), σwm = 1.3 u* (1 - z/h)^½ (MFD §3.5;
/// midpoint rule, n layers).
double mean_sigma_w(double ustar, double wstar, double h, double top, int n = 64) noexcept;

/// Plume state at downwind distance x (m > 0) of `src` in hour `met`.
PlumeAt plume_at(const PlumeSource& src, const PlumeMet& met, double x, const PlumeOptions& options);

/// Hourly-mean concentration (µg/m³) at `rec` due to `src` in hour `met`. Zero upwind.
/// `met` must pass check_met for `options` (not re-checked here).
double plume_concentration(const PlumeSource& src, const PlumeMet& met, const Receptor& rec,
                           const PlumeOptions& options);

/// Hourly-mean concentration (µg/m³) at `rec` due to the area source in hour `met`. The part of
/// the polygon within options.min_distance upwind of the receptor is left out (the kernel's
/// 1/x singularity at a ground receptor inside a ground-level area). Throws lantian::Error when
/// the polygon has no area.
double area_concentration(const PlumeAreaSource& area, const PlumeMet& met, const Receptor& rec,
                          const PlumeOptions& options);

/// Every source's contribution to every receptor and hour, kept compactly: per (hour, receptor)
/// row only the sources that reach it (a source is absent where its plume does not: upwind, or
/// off the plume beyond the negligible exponent), in increasing source order, as float µg/m³.
/// A row's sources are source_index[row_start[row] .. row_start[row + 1]), row = h * n_receptors + r.
/// The dense [hour][receptor][source] array would be mostly zeros (~10% filled on Case S).
struct Contributions {
  std::size_t n_hours = 0, n_receptors = 0, n_sources = 0;
  std::vector<std::size_t> row_start;       ///< [hour * n_receptors + receptor], size rows + 1
  std::vector<std::uint32_t> source_index;  ///< source of each stored value, increasing within a row
  std::vector<float> values;                ///< µg/m³, parallel to source_index
  std::vector<double> totals;   ///< [hour][receptor], summed in double over sources in order
  std::vector<unsigned char> calm;  ///< [hour]: 1 when the hour was calm (is_calm)

  /// Contribution of source s to receptor r in hour h (0 where not stored).
  float value(std::size_t h, std::size_t r, std::size_t s) const noexcept;
  double total(std::size_t h, std::size_t r) const noexcept { return totals[h * n_receptors + r]; }
  /// Number of stored (non-zero) source-receptor-hour values.
  std::size_t stored() const noexcept { return values.size(); }
  /// Sum over sources of weight[s] × value(h, r, s), in source order (the what-if of scaled
  /// emissions: the plume is linear in the emission rate). weights.size() must be n_sources.
  double weighted_total(std::size_t h, std::size_t r, std::span<const double> weights) const noexcept;
};

/// Computes all contributions with OpenMP over (hour, receptor). Each output element is
/// computed by one thread with the sources in order, so the result is bit-identical for any
/// thread count. Checks every hour with check_met first (throws lantian::Error naming the hour).
Contributions compute_contributions(std::span<const PlumeSource> sources, std::span<const PlumeMet> met_hours,
                                    std::span<const Receptor> receptors, const PlumeOptions& options);
/// The same with the met of each hour sampled at each stack: met[hour * sources.size() + s]
/// (the case run: met varies over the city). An hour is calm when any stack's met is calm.
Contributions compute_contributions_stack_met(std::span<const PlumeSource> sources, std::span<const PlumeMet> met,
                                              std::size_t n_hours, std::span<const Receptor> receptors,
                                              const PlumeOptions& options);
/// The same with area sources, numbered after the point sources (source index ns + a).
Contributions compute_contributions(std::span<const PlumeSource> sources, std::span<const PlumeAreaSource> areas,
                                    std::span<const PlumeMet> met_hours, std::span<const Receptor> receptors,
                                    const PlumeOptions& options);

}  // namespace lantian::solver
