#pragma once
// Briggs plume rise (烟气抬升), the one implementation shared by the Gaussian and Eulerian
// solvers. Pure functions of a small input struct: no I/O, no state (STYLE.md 3, 6).
//
// The formulas are Briggs's (1969, 1971, 1972, 1975, 1984) as restated by the EPA ISC3 User's
// Guide, vol. II (EPA-454/B-95-003b, 1995), §1.1.4 "Plume rise formulas", the reference the
// tests follow:
//   stack-tip downwash   h' = h + 2 d (v/u - 1.5)   when v < 1.5 u, else h' = h   (Briggs 1973)
//   buoyancy flux        Fb = g v d^2 (Ts - Ta) / (4 Ts)            [m^4/s^3]
//   momentum flux        Fm = v^2 d^2 Ta / (4 Ts)                    [m^4/s^2]
//   neutral/unstable (Pasquill-Gifford A-D):
//     crossover          dTc = 0.0297 Ts v^(1/3) / d^(2/3)  (Fb < 55)
//                        dTc = 0.00575 Ts v^(2/3) / d^(1/3) (Fb >= 55)
//     buoyant rise       dh = 21.425 Fb^(3/4) / u  at xf = 49 Fb^(5/8)   (Fb < 55)
//                        dh = 38.71 Fb^(3/5) / u   at xf = 119 Fb^(2/5)  (Fb >= 55)
//     momentum rise      dh = 3 d v / u                                   (ISC3 eq. 1-16)
//   stable (E, F; s = g/Ta dθ/dz):
//     crossover          dTc = 0.019582 Ts v sqrt(s)                      (ISC3 eq. 1-18)
//     buoyant rise       dh = 2.6 (Fb / (u s))^(1/3)  at xf = 2.0715 u / sqrt(s)
//                        (Briggs's calm-air rise 4 Fb^(1/4) s^(-3/8) is smaller only for winds
//                         below ~0.5 m/s, which the 1 m/s floor excludes, so it is not used)
//     momentum rise      dh = 1.5 (Fm / (u sqrt(s)))^(1/3), at most the neutral 3 d v / u
//   buoyancy dominates when Ts - Ta >= dTc, momentum otherwise.
//   gradual rise (x < xf): buoyant  dh(x) = 1.60 Fb^(1/3) x^(2/3) / u   (the "2/3 law")
//                          momentum dh(x) = (3 Fm x / (βj^2 u^2))^(1/3)              (neutral)
//                                   dh(x) = (3 Fm sin(x sqrt(s)/u) / (βj^2 u sqrt(s)))^(1/3) (stable)
//                          with βj = 1/3 + u/v (jet entrainment), always capped at the final rise.
// u is the wind speed at the stack top, floored at 1 m/s as ISC3 does for calms.
namespace lantian::emissions {

/// Standard gravity, m/s^2.
inline constexpr double kGravity = 9.80665;
/// Wind speeds below this are raised to it in the plume-rise formulas (ISC3 convention), m/s.
inline constexpr double kMinPlumeRiseWind = 1.0;
/// Default potential-temperature gradients of the stable classes in ISC3, K/m.
inline constexpr double kDthetaDzClassE = 0.020;
inline constexpr double kDthetaDzClassF = 0.035;

/// Everything plume rise needs for one stack and one hour.
struct PlumeRiseInput {
  double stack_height = 0.0;       ///< physical height above ground, m
  double diameter = 0.0;           ///< inner diameter at the top, m (> 0)
  double exit_velocity = 0.0;      ///< m/s (>= 0)
  double exit_temperature = 0.0;   ///< K (> 0)
  double wind_speed = 0.0;         ///< at the stack top, m/s (floored at kMinPlumeRiseWind)
  double ambient_temperature = 0.0;  ///< at the stack top, K (> 0)
  double dtheta_dz = 0.0;          ///< potential-temperature gradient, K/m; > 0 selects the stable formulas
  bool stack_tip_downwash = true;  ///< apply Briggs's stack-tip downwash correction
};

/// dθ/dz for a Pasquill-Gifford class 'A'..'F' (case-insensitive): 0 for A-D (neutral/unstable
/// formulas), 0.020 K/m for E, 0.035 K/m for F (ISC3 defaults). Other letters throw lantian::Error.
double dtheta_dz_of_class(char pasquill_class);

/// Which formula set applied.
enum class PlumeRiseRegime { buoyant_unstable, momentum_unstable, buoyant_stable, momentum_stable };

/// Final plume rise and the quantities behind it.
struct PlumeRise {
  double release_height = 0.0;      ///< h' after stack-tip downwash, m
  double final_rise = 0.0;          ///< Δh, m (>= 0)
  double effective_height = 0.0;    ///< h' + Δh, m
  double distance_to_final = 0.0;   ///< xf, m downwind
  double buoyancy_flux = 0.0;       ///< Fb, m^4/s^3 (0 when Ts <= Ta)
  double momentum_flux = 0.0;       ///< Fm, m^4/s^2
  double stability = 0.0;           ///< s = g/Ta dθ/dz, 1/s^2 (0 for neutral/unstable)
  double crossover_dt = 0.0;        ///< (ΔT)c, K
  double wind_speed = 0.0;          ///< the wind speed used (after the floor), m/s
  PlumeRiseRegime regime = PlumeRiseRegime::momentum_unstable;
};

/// Final Briggs plume rise. Inputs are checked only in debug builds (LANTIAN_ASSERT): callers
/// validate stacks at reading and met fields at their readers.
PlumeRise briggs_plume_rise(const PlumeRiseInput& in) noexcept;

/// Plume rise at downwind distance x (m) for the same input: the gradual-rise formula of the
/// regime, capped at the final rise; the final rise for x >= xf. Returns Δh (m), not the height.
double gradual_plume_rise(const PlumeRiseInput& in, const PlumeRise& final_rise, double x) noexcept;

}  // namespace lantian::emissions
