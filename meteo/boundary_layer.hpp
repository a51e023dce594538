#pragma once
// Boundary-layer diagnostics (边界层诊断): Monin-Obukhov length, Pasquill-Gifford stability class
// (from L and roughness, or by Turner's method from wind, cloud and sun), solar elevation, the
// K-profile eddy diffusivity Kz, and the hourly unfavourable-dispersion indicators (静稳指标)
// used on the consultation form. Pure functions of plain numbers: no I/O, no grid.
//
// Units: SI (m, s, K, W/m2, kg/m3); relative humidity in percent (0..100); angles in degrees.
#include <cstdint>
#include <limits>

namespace lantian::meteo {

/// Physical constants shared by the diagnostics.
inline constexpr double kVonKarman = 0.4;      ///< von Karman constant k (-)
inline constexpr double kGravity = 9.81;       ///< g, m/s2
inline constexpr double kCpDryAir = 1004.0;    ///< cp of dry air, J/(kg K)
inline constexpr double kRDryAir = 287.0;      ///< gas constant of dry air, J/(kg K)

/// Density of dry air from the ideal gas law, rho = p / (R_d T), kg/m3 (p in Pa, T in K).
double air_density(double pressure_pa, double temperature_k);

/// Monin-Obukhov length L (m), L = -rho cp T u*^3 / (k g H)   (Obukhov 1946; e.g. Stull 1988,
/// "An Introduction to Boundary Layer Meteorology", ch. 5, with the kinematic heat flux H/(rho cp)). H is the upward sensible heat flux (W/m2): H > 0 (daytime,
/// convective) gives L < 0; H < 0 (night) gives L > 0; H = 0 gives +infinity (neutral).
/// `temperature_k` is the near-surface air temperature, `rho` the air density (default 1.2 kg/m3).
/// u* <= 0 gives L = 0 when H != 0 (free convection / no mechanical mixing).
double monin_obukhov_length(double ustar, double shf_w_m2, double temperature_k, double rho = 1.2);

/// Pasquill-Gifford stability classes (帕斯奎尔稳定度): A very unstable ... F moderately stable.
/// Turner's class G (extremely stable) is folded into F, as the Pasquill-Gifford dispersion
/// curves stop at F.
enum class StabilityClass : std::uint8_t { A, B, C, D, E, F };

/// The class letter, 'A'..'F'.
char stability_letter(StabilityClass c) noexcept;

/// Pasquill-Gifford class from the Monin-Obukhov length and the roughness length z0 (m),
/// after Golder (1972, Boundary-Layer Meteorol. 3, 47-58), using the straight-line fit of
/// Golder's curves 1/L = a + b log10(z0) given by Seinfeld & Pandis (2006, "Atmospheric
/// Chemistry and Physics", 2nd ed., ch. 16, after Myrup & Ranzieri 1976):
///     class  A       B       C       D    E       F
///     a     -0.096  -0.037  -0.002   0    0.004   0.035
///     b      0.029   0.029   0.018   0   -0.018  -0.036
/// These lines are the representative 1/L of each class; the boundaries between neighbouring
/// classes are taken half-way between their lines (in 1/L). z0 is clamped to [0.001, 1] m, the
/// range of Golder's nomogram. L = +/-infinity (neutral) gives D.
StabilityClass pasquill_from_obukhov(double L, double z0);

/// The representative 1/L (1/m) of a class at roughness z0 (the Golder/Seinfeld-Pandis line).
double golder_inverse_obukhov(StabilityClass c, double z0);

/// Solar elevation angle above the horizon (degrees) at a time given in hours since
/// 1970-01-01T00:00Z (fractional hours allowed) at (lat, lon) in degrees. NOAA's "General Solar
/// Position Calculations" (Spencer 1971 Fourier series for the declination and the equation of
/// time; sin(elev) = sin(lat) sin(decl) + cos(lat) cos(decl) cos(hour angle)); accurate to about
/// 0.1 degree; no refraction correction.
double solar_elevation_deg(double utc_hours_since_epoch, double lat, double lon);

/// Turner's (1964) net radiation index (NRI, -2..4) from solar elevation (deg), total cloud
/// cover (fraction 0..1, i.e. tenths / 10) and cloud ceiling (m; +infinity when no ceiling),
/// following EPA (2000) "Meteorological Monitoring Guidance for Regulatory Modeling
/// Applications", EPA-454/R-99-005, Section 6.4.1:
///  1. total cover 10/10 and ceiling < 7000 ft (2134 m): NRI = 0;
///  2. night (here: solar elevation <= 0; the overload below applies EPA's one-hour margins):
///     NRI = -2 if cover <= 4/10, else -1;
///  3. day: insolation class IN = 4 (elev > 60), 3 (35 < elev <= 60), 2 (15 < elev <= 35),
///     1 (elev <= 15); if cover <= 5/10, NRI = IN; otherwise IN is lowered by 2 when the ceiling
///     is < 7000 ft, by 1 when 7000 <= ceiling < 16000 ft (4877 m), by 1 when the cover is 10/10
///     and the ceiling >= 7000 ft, and NRI = max(1, modified IN).
int turner_net_radiation_index(double solar_elevation, double cloud_cover,
                               double ceiling_m = std::numeric_limits<double>::infinity());

/// Whether Turner's method counts the time as night: EPA-454/R-99-005 Section 6.4.4.1 defines
/// night as the period from one hour before sunset to one hour after sunrise. With one sunrise
/// and one sunset a day, that is: the sun is at or below the horizon one hour earlier or one
/// hour later (solar_elevation_deg at t - 1 h or t + 1 h <= 0).
bool turner_night(double utc_hours_since_epoch, double lat, double lon);

/// Turner's net radiation index at a time and place: as above, with the solar elevation at the
/// time for the insolation class and night by turner_night (EPA's one-hour margins).
int turner_net_radiation_index(double utc_hours_since_epoch, double lat, double lon, double cloud_cover,
                               double ceiling_m = std::numeric_limits<double>::infinity());

/// Pasquill-Gifford class by Turner's method (EPA-454/R-99-005 Table 6-4) from the 10-m wind
/// speed (m/s, converted to whole knots by rounding) and the net radiation index. Class G
/// (NRI -2 at wind <= 3 kt) is returned as F.
StabilityClass turner_class(double wind10_m_s, int net_radiation_index);

/// Stability-function for heat, phi_h(zeta), zeta = z/L (Businger-Dyer form used by Holtslag &
/// Boville 1993, J. Climate 6, 1825-1842, Sect. 2): stable (zeta >= 0): 1 + 5 zeta;
/// unstable: (1 - 15 zeta)^(-1/2).
double phi_h(double zeta);

/// Parameters of the Kz profile.
struct KzParams {
  double kz_min = 0.1;  ///< floor (background) diffusivity, m2/s, also used above the mixing height
  /// For unstable conditions zeta is evaluated at min(z, surface_layer_fraction * h): the
  /// surface-layer value is held through the mixed layer (Holtslag & Boville 1993, Sect. 2b).
  double surface_layer_fraction = 0.1;
};

/// Eddy diffusivity for heat/scalars at height z (m above ground), m2/s, by the K-profile of
/// Troen & Mahrt (1986, Boundary-Layer Meteorol. 37, 129-148) and Holtslag & Boville (1993):
///     Kz = k u* z (1 - z/h)^2 / phi_h(zeta),    zeta = z/L (stable),
///                                               zeta = min(z, 0.1 h)/L (unstable),
/// for 0 < z < h, floored at params.kz_min; z <= 0 or z >= h (above the mixing height) gives
/// the floor. h is the mixing height (PBLH), u* the friction velocity, L the Obukhov length
/// (+/-infinity for neutral).
double kz_profile(double z, double h, double ustar, double L, const KzParams& params = {});

/// Thresholds of the unfavourable-dispersion (静稳) indicators; each is configurable.
struct StagnationThresholds {
  double wind10_max = 2.0;    ///< weak wind: 10-m wind speed below this, m/s
  double pblh_max = 500.0;    ///< shallow mixing: mixing height below this, m
  double rh2_min = 80.0;      ///< humid: 2-m relative humidity above this, %
  /// Surface inversion: (T_upper - T2) / (z_upper - 2 m) above this lapse, K/m (0: any
  /// increase of temperature with height).
  double inversion_lapse_min = 0.0;
};

/// What the indicators are computed from, for one place and hour.
struct StagnationInputs {
  double wind10 = 0.0;   ///< 10-m wind speed, m/s
  double pblh = 0.0;     ///< mixing height, m
  double t2 = 0.0;       ///< 2-m temperature, K
  double t_upper = 0.0;  ///< temperature at the next level above 2 m (e.g. the first model level), K
  double z_upper = 0.0;  ///< height of that level above ground, m (> 2)
  double rh2 = 0.0;      ///< 2-m relative humidity, %
};

/// The hourly 静稳 indicators (unfavourable-dispersion flags).
struct StagnationFlags {
  bool weak_wind = false;          ///< 小风: wind10 < wind10_max
  bool shallow_mixing = false;     ///< 混合层低: pblh < pblh_max
  bool surface_inversion = false;  ///< 近地面逆温
  bool humid = false;              ///< 高湿: rh2 > rh2_min
  /// Number of flags raised, 0..4.
  int count() const noexcept {
    return int{weak_wind} + int{shallow_mixing} + int{surface_inversion} + int{humid};
  }
  bool all() const noexcept { return count() == 4; }
};

/// Evaluates the 静稳 indicators. NaN inputs raise no flag.
StagnationFlags stagnation_flags(const StagnationInputs& in, const StagnationThresholds& th = {});

}  // namespace lantian::meteo
