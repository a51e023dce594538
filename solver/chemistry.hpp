#pragma once
// Linear secondary-aerosol chemistry (线性二次颗粒物化学) of the Eulerian model: first-order
// SO2 -> sulfate, NOx -> nitrate and VOCs -> SOA, with rates that depend on daylight, relative
// humidity and temperature. First order keeps the model linear in emissions (DESIGN.md), so
// source tags add up and scenarios superpose exactly.
//
// Rate of each conversion (1/s), at a cell with cos(solar zenith) μ, relative humidity RH (%) and
// temperature T (K):
//     k = k_photo · max(μ, 0)  +  k_dark  +  k_het · g(RH) · exp(θ_het (1/T − 1/T_ref))
//   - k_photo: the gas-phase OH path at an overhead sun. OH is made by photolysis (O3 + hν ->
//     O(1D), + H2O -> 2 OH), so its concentration, and the rate, follow the sun; taken ∝ cos of
//     the solar zenith angle (zero at night, zenith > 90°). Solar position: the NOAA Solar
//     Calculator's algorithm (Meeus 1991), geometric (no refraction), ~0.01° over 1900-2100 —
//     meteo::solar_elevation_deg (Spencer's Fourier series) is 0.2° off the NREL SPA reference.
//   - k_dark: paths that do not need light (SO2: slow background oxidation, CALPUFF/MESOPUFF II
//     night rate 0.2 %/h; NOx: N2O5/NO3 night chemistry, CALPUFF 2 %/h; Scire et al. 2000,
//     "A User's Guide for the CALPUFF Dispersion Model", Earth Tech, §2.9).
//   - k_het · g(RH): heterogeneous/aqueous conversion in aerosol water, which drives sulfate and
//     nitrate in Chinese winter haze (Wang et al. 2016, PNAS 113, 13630; Cheng et al. 2016, Sci.
//     Adv. 2, e1601530; Zheng et al. 2015, ACP 15, 2031). The rate follows the aerosol liquid
//     water, which by κ-Köhler theory for the water activity a = RH/100 is ∝ a/(1 − a)
//     (Petters & Kreidenweis 2007, ACP 7, 1961, eq. 2 for large particles):
//         g(RH) = max(0, W(a) − W(a_d)) / (W(a_ref) − W(a_d)),  W(a) = a/(1 − a),
//     a = min(RH, RH_max)/100, a_d = deliquescence RH (no water below, g = 0), a_ref the RH where
//     k_het is given (g = 1). With the defaults (60 %, 90 %, cap 95 %): g(50 %) = 0,
//     g(80 %) = 0.333, g(90 %) = 1, g(95 %) = 2.33 — the steep rise above ~80 % seen in haze.
//     θ_het = ΔH/R of the dissolving gas: more SO2 dissolves in cold water (Henry's law,
//     ΔH/R = 3145 K for SO2; Seinfeld & Pandis 2016, "Atmospheric Chemistry and Physics", 3rd
//     ed., Table 7.3), T_ref = 298.15 K.
// Products (µg of product per µg of precursor converted):
//   sulfate  96.06/64.07 (moles of S conserved);
//   nitrate  62.00/46.01 × f_p(T): the HNO3 formed goes to particulate NH4NO3 only in the cold
//            (semi-volatile); f_p = 1/(1 + K(T)/K(T_50)), with the temperature dependence of the
//            NH4NO3 dissociation constant of Mozurkewich (1993, Atmos. Environ. 27A, 261, eq. 6):
//            ln K = 84.6 − 24220/T − 6.1 ln(T/298), so ln(K(T)/K(T_50)) =
//            −24220 (1/T − 1/T_50) − 6.1 ln(T/T_50). T_50 (where half is particulate) stands for
//            the ammonia available; the rest (HNO3 gas, not carried) is lost;
//   SOA      the mass yield Y(T) = min(1, Y_ref exp(ΔH_vap/R (1/T − 1/T_ref))) (absorptive
//            partitioning; ΔH_vap = 42 kJ/mol, Chung & Seinfeld 2002, JGR 107, 4407); the rest
//            of the VOC reacted is lost (gas-phase products not carried).
//
// Default rates (1/s written as per-hour values / 3600):
//   SO2: k_photo 1.6 %/h: OH 5e6 cm⁻³ × k(OH + SO2) = 9e-13 cm³/s at 1 atm (Burkholder et al.
//        2015, JPL 15-10) -> ~1 %/h averaged over a summer day, the textbook value (Seinfeld &
//        Pandis §6.9); k_dark 0.2 %/h; k_het 3 %/h at RH 90 % — the order of the sulfate
//        production needed to explain the 2013-2015 Beijing haze (Zheng et al. 2015; Cheng 2016).
//   NOx: k_photo 20 %/h: OH 5e6 cm⁻³ × k(OH + NO2) = 1.1e-11 cm³/s (JPL 15-10); k_dark 2 %/h;
//        k_het 5 %/h at RH 90 % (N2O5 hydrolysis on wet aerosol). T_50 = 293.15 K.
//   VOC: k_photo 10 %/h (lumped anthropogenic VOC + OH, k ≈ 5e-12 cm³/s); k_dark 1 %/h;
//        k_het 1 %/h (aqueous SOA); Y_ref = 3 % at 298.15 K.
//
// Exact step: with k and the yield frozen over the step (evaluated at its middle),
//     c(t + dt) = c(t) e^{−k dt},   product += ratio · yield · c(t) (1 − e^{−k dt}),
// the exact solution of dc/dt = −k c, dP/dt = ratio · yield · k c. (1 − e^{−k dt}) is computed
// as −expm1(−k dt) (accurate for small k dt) and the precursor loses exactly the amount whose
// product is formed, so the SO2 lost × 96.06/64.07 equals the SO4 formed to round-off.
#include <span>
#include <string_view>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "meteo/met_state.hpp"
#include "solver/process_step.hpp"

namespace lantian::solver {

/// One first-order conversion: k = k_photo max(μ, 0) + k_dark + k_het g(RH) exp(θ_het (1/T − 1/T_ref)).
struct ConversionRate {
  double k_photo = 0.0;     ///< 1/s at an overhead sun (cos zenith = 1)
  double k_dark = 0.0;      ///< 1/s, day and night
  double k_het = 0.0;       ///< 1/s at rh_reference (g = 1), T = t_reference
  double het_theta = 0.0;   ///< ΔH/R of the heterogeneous path, K (0: no temperature dependence)
};

/// Parameters of the linear chemistry (defaults and their sources: see the top of this header).
struct ChemistryParams {
  ConversionRate sulfate{0.016 / 3600.0, 0.002 / 3600.0, 0.03 / 3600.0, 3145.0};  ///< SO2 -> SO4
  ConversionRate nitrate{0.20 / 3600.0, 0.02 / 3600.0, 0.05 / 3600.0, 0.0};       ///< NOx -> NO3
  ConversionRate soa{0.10 / 3600.0, 0.01 / 3600.0, 0.01 / 3600.0, 0.0};           ///< VOC -> SOA
  double rh_deliquescence = 60.0;  ///< %, no aerosol water (no heterogeneous path) below
  double rh_reference = 90.0;      ///< %, where k_het applies as given
  double rh_max = 95.0;            ///< %, RH is capped here (a/(1 − a) diverges at 100 %)
  double t_reference = 298.15;     ///< K
  double nitrate_t50 = 293.15;     ///< K, temperature at which half the HNO3 formed is particulate
  double soa_yield = 0.03;         ///< SOA mass yield at t_reference
  double soa_dh_vap = 42.0e3;      ///< enthalpy of vaporisation of the SOA, J/mol

  /// Throws lantian::Error naming the parameter ("chemistry.rh_reference") when a rate is
  /// negative or not finite, or unless 0 <= rh_deliquescence < rh_reference <= rh_max < 100,
  /// the temperatures are positive, 0 <= soa_yield <= 1.
  void validate() const;
};

/// The heterogeneous factor g(RH) (RH in %), see the top of this header.
double aerosol_water_factor(double rh, const ChemistryParams& p) noexcept;
/// Particulate fraction f_p(T) of the nitrate formed (Mozurkewich 1993).
double nitrate_particle_fraction(double t, const ChemistryParams& p) noexcept;
/// SOA mass yield Y(T).
double soa_yield(double t, const ChemistryParams& p) noexcept;
/// k (1/s) of one conversion at cos zenith `mu`, RH (%) and T (K).
double conversion_rate(const ConversionRate& r, double mu, double rh, double t, const ChemistryParams& p) noexcept;
/// cos of the solar zenith angle at (lon, lat) degrees and time (UTC hours since 1970, fractional),
/// by the NOAA Solar Calculator's formulas (Meeus 1991, "Astronomical Algorithms", ch. 25, 28).
double cos_solar_zenith(double time_h, double lon, double lat);

/// The per-cell factors of one chemistry step, computed once per step from the meteorology and
/// applied to the total and to every tag alike (so the tags add up to the total).
struct ChemistryStep {
  Field3D<double> so2_loss, nox_loss, voc_loss;  ///< 1 − e^{−k dt} of each precursor
  Field3D<double> so4_gain, no3_gain, soa_gain;  ///< product µg per µg of precursor converted (ratio × yield)
  StepTime time;
};

/// Fills `step` (allocated to the grid's size when needed) for rows `rows` from the state `met`
/// (t, rh at cell centres) at the middle of `time`. Throws lantian::Error naming "chemistry",
/// the time and the cell when a temperature or humidity is NaN, infinite or negative.
void prepare_chemistry(ChemistryStep& step, const Grid& grid, const meteo::MetState& met, const ChemistryParams& params,
                       const StepTime& time, const RowRange& rows);

/// Mass converted by a chemistry step, µg over the cells updated.
struct ChemistryBudget {
  double so2_lost = 0.0, so4_formed = 0.0;
  double nox_lost = 0.0, no3_formed = 0.0;
  double voc_lost = 0.0, soa_formed = 0.0;
};

/// Applies the step to the interior rows `rows` of `c` (total or tag):
///   precursor −= loss · c,  product += gain · loss · c.
/// Linear in c. A NaN, infinite or negative precursor or product met on the way throws
/// lantian::Error naming "chemistry", the time and the first such cell (in row order) after the
/// loop; the fields are then partly updated and the run must stop.
ChemistryBudget apply_chemistry(SpeciesFields& c, const ChemistryStep& step, const Grid& grid, const RowRange& rows);

/// The same step applied to every tag of `tags` (no budget: the total's is the budget), in one
/// pass over the rows so that the step's factors are read once for all tags. Each cell gets the
/// operations apply_chemistry gives it: bitwise the same result. A NaN, infinite or negative
/// precursor or product throws as apply_chemistry does (the whole row of that tag is then left
/// alone), naming "tag <n> <species>".
void apply_chemistry_tags(std::span<SpeciesFields> tags, const ChemistryStep& step, const Grid& grid,
                          const RowRange& rows);

}  // namespace lantian::solver
