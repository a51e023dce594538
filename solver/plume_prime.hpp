#pragma once
// Building downwash (建筑物下洗) after PRIME (Schulman, Strimaitis & Scire 2000, J. Air & Waste
// Manage. Assoc. 50:378-390; the PRIME routines as used by AERMOD, EPA-454/R-03-004 and its
// updates), for one stack, one hour and the building BPIP gives it for the hour's flow direction.
//
// Building frame: x along the flow from the centre of the upwind face, y to the left, z up.
//   scale          R = Bs^(2/3) BL^(1/3), Bs = min(H, W), BL = max(H, W), neither above 8 times
//                  the other (Wilson 1979)
//   roof cavity    Hr = H + 0.22 R (maximum cavity height), Lc = 0.9 R (reattachment length)
//   near wake      LR = 1.8 W / ((L/H)^e (1 + 0.24 W/H)), L/H in [0.3, 3], e = 0.3, or for W < H
//                  e = max(0, 0.3 (W/H - 0.33)/0.67) (Fackrell 1984, with Snyder's narrow
//                  buildings); the cavity ends LR beyond the lee face (an ellipse from the roof)
//   wake           height Hw = 1.2 R (x/R + (H/(1.2 R))³)^⅓, half-width Ww = W/2 + (R/3)(x/R)^⅓
//   turbulence     i(x) = i∞ (1 + ((wf i0/i∞ - 1) + Δu) / (((x - L + R)/R)^(2/3) - Δu)) beyond the
//                  lee face, i∞ = min(i0, i_amb), i0 = 0.06 (σw/u) or 0.08 (σv/u), wf = 1.7,
//                  Δu = 0.7 (Weil 1996), linear from the ambient value over the roof; the
//                  transition to ambient growth where i = max(i_amb, 1.3 i∞), at most 15 R
//                  beyond the lee face
//   σ in the wake  dσ/dx = i(x) up to LR past the entry point, then σ² grows by 2 σd i Hw dx
//                  (a diffusivity scaled by the wake size, σd the value at the switch); beyond
//                  the transition the host's σ with a virtual σ, σ² = σhost² + σv² (AERMOD
//                  WAKE_DFSN2: σv² the excess of the wake's σ² over the host's there)
//   streamlines    the slope dz/dx of PRIME's ZSTREAM: ascent upwind of and over the roof to
//                  Hr - H, descent to the end of the near wake and beyond (Schulman et al. 2000 §3)
//   plume rise     PRIME's numerical rise (NUMRISE, Boussinesq): volume, momentum and buoyancy
//                  fluxes along the path with entrainment α = 0.11 (along), β = 0.6 (across), or
//                  the wake's growth when larger, in the wake's reduced wind (WAKE_U: deficit
//                  0.7 decaying as ((x - L + R)/R)^(-2/3)), plus the streamline displacement
//                  (outside the near wake, to 15 R beyond the lee face); the plume enters the
//                  wake where its centreline is inside and its inclination below 20° (AERMOD)
//   cavity         the fraction of the plume captured (the largest over the cavity of the
//                  Gaussian fractions inside its height and half-width, capped by the fraction
//                  below H at its end) is released from the cavity floor with σz0 = sqrt(2/π)
//                  (ub/us) Hcav/3 and a top-hat width between H/3 and 3H (at least the captured
//                  plume's): C = fq Q/(π us σy0 σz0) inside, then growing as a wake plume
//   merge          C = γ C_prime + (1 - γ) C_host, γ = 1 inside the wake box (length max(15 R,
//                  the uncapped transition), half-width Ww, height Hw), a Gaussian roll-off
//                  outside it, 0 upwind of the upwind face (AERMOD GAMCALC), and 0 for a plume
//                  that never enters the wake (AERMOD PRMCALC)
#include <array>
#include <functional>
#include <vector>

namespace lantian::solver {

/// The building a stack sees for one flow direction (BPIP's output; all zero: none).
struct BuildingSector {
  double height = 0.0;  ///< tier height Hb, m
  double width = 0.0;   ///< projected width across the flow W, m
  double length = 0.0;  ///< projected length along the flow L, m
  double xbadj = 0.0;   ///< along-flow distance from the stack to the upwind face, m (< 0: face upwind)
  double ybadj = 0.0;   ///< crosswind offset of the upwind face's centre from the stack, m (> 0: left)
  bool present() const noexcept { return height > 0.0 && width > 0.0; }
};

inline constexpr int kBuildingSectors = 36;
/// The 36 sectors of BPIP: element k - 1 for the flow vector 10 k degrees (the direction the wind
/// blows towards).
using BuildingDims = std::array<BuildingSector, kBuildingSectors>;

/// The sector (0..35) AERMOD takes for a meteorological wind direction (from) wd: flow vector
/// AFV = wd - 180 (plus 360 below 0), sector = int(AFV/10 + 0.4999), 0 -> 36, so a direction
/// ending in .5 rounds down.
int building_sector_index(double wind_dir_deg) noexcept;

/// The length scales of the wake (PRIME WAKE_SCALES).
struct WakeScales {
  double R = 0.0;    ///< scale length, m
  double hr = 0.0;   ///< maximum roof-cavity height above ground, m
  double lr = 0.0;   ///< near-wake (cavity) length beyond the lee face, m
  double lc = 0.0;   ///< roof reattachment length, m
};
WakeScales wake_scales(double hb, double wb, double lb) noexcept;

/// Wake height and half-width (m) at x (m) from the upwind face (PRIME WAKE_DIM); zero at x <= 0.
struct WakeDim {
  double height = 0.0, half_width = 0.0;
};
WakeDim wake_dim(double x, double hb, double wb, double R) noexcept;

/// Near-wake (cavity) height and half-width (m) at x from the upwind face; zero beyond it.
WakeDim cavity_dim(const BuildingSector& b, const WakeScales& s, double x) noexcept;

/// Where (x, y, z) lies in the building frame (PRIME POSITION).
enum class WakeRegion { building = 1, near_wake = 2, far_wake = 3, outside = 4 };
WakeRegion wake_region(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept;

/// The mean streamline slope dz/dx at (x, y, z) in the building frame (PRIME ZSTREAM).
double streamline_slope(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept;

/// u/u_ambient at (x, y, z) in the building frame (PRIME WAKE_U; 1 outside the wake).
double wake_speed_factor(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept;

/// Distances (m, from the upwind face) at which the wake's vertical and lateral turbulence come
/// back to ambient growth (PRIME WAKE_XA; `capped`: at most 15 R beyond the lee face).
struct WakeTransition {
  double z = 0.0, y = 0.0;
};
WakeTransition wake_transition(double iz_amb, double iy_amb, double lb, double R, bool capped) noexcept;

/// The wake's turbulence intensities (σw/u, σv/u) at x from the upwind face (PRIME WAKE_TURB).
struct WakeTurbulence {
  double iz = 0.0, iy = 0.0;
};
WakeTurbulence wake_turbulence(double iz_amb, double iy_amb, double x, double lb, double R) noexcept;

/// The host model's ambient σy, σz (m) of this plume at downwind distance x (m) from the stack.
struct HostSigma {
  double y = 0.0, z = 0.0;
};
using HostSigmas = std::function<HostSigma(double x)>;

/// What PRIME needs of one stack in one hour besides the building.
struct PrimeInput {
  BuildingSector building;
  double release_height = 0.0;  ///< stack height after stack-tip downwash, m
  double buoyancy_flux = 0.0;   ///< Fb, m⁴/s³
  double momentum_flux = 0.0;   ///< Fm, m⁴/s²
  double exit_velocity = 0.0;   ///< w0, m/s
  double stack_radius = 0.0;    ///< D/2, m
  double u_rise = 1.0;          ///< ambient wind of the rise (at the stack top), m/s
  double u_stack = 1.0;         ///< transport wind of the plume, m/s
  double u_building = 1.0;      ///< wind at the building top, m/s
  double n2 = 0.0;              ///< N² = g/T dθ/dz (0 when not stable), 1/s²
  double iz_amb = 0.06, iy_amb = 0.08;  ///< ambient σw/u, σv/u
  double lid = 0.0;             ///< mixing height (reflections), m; <= 0 or inf: none
  double q = 0.0;               ///< emission rate, µg/s
};

/// The PRIME plume of one stack and hour: trajectory, wake and cavity sigma tables, the
/// captured fraction. Built once per source-hour; concentration() is then cheap.
class PrimePlume {
 public:
  PrimePlume(const PrimeInput& in, HostSigmas host);

  /// C_prime (µg/m³) at (x downwind of the stack, y to the left, z above ground), x > 0.
  double concentration(double x, double y, double z) const;
  /// AERMOD's γ at the same point: the weight of C_prime against the host plume.
  double gamma(double x, double y, double z) const noexcept;

  double centreline_height(double x) const noexcept;  ///< m, at x from the stack
  HostSigma wake_sigmas(double x) const;              ///< the primary plume's σ at x
  double cavity_fraction() const noexcept { return fq_; }
  double wake_entry() const noexcept { return xi_; }  ///< from the upwind face, m (inf: none)
  const WakeScales& scales() const noexcept { return s_; }

 private:
  struct Table {  ///< σ on a uniform grid from x0 (from the stack), then the host's with virtual sigmas
    double x0 = 0.0, dx = 1.0;
    std::vector<double> sy, sz;
    double vsy = 0.0, vsz = 0.0;  ///< virtual sigmas beyond the table: σ² = host² + vs²
  };
  HostSigma at(const Table& t, double x) const;
  Table grow_table(double x_start, double sy, double sz, double x_end) const;
  void build_wake(double xi, double syi, double szi);
  void build_cavity(double syi);
  void capture();

  PrimeInput in_;
  HostSigmas host_;
  WakeScales s_;
  WakeTransition xa_{}, xa_uncapped_{};
  double xi_ = 0.0;             ///< wake entry from the upwind face (inf: never)
  double traj_dx_ = 1.0;
  std::vector<double> traj_;    ///< centreline height every traj_dx_ from the stack
  Table wake_, cav_;
  bool has_wake_ = false, has_cav_ = false;
  double fq_ = 0.0;             ///< fraction captured by the cavity
  double sycav0_ = 0.0, szcav0_ = 0.0;
};

}  // namespace lantian::solver
