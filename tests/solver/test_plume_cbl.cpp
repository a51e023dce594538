// Verification of AERMOD's convective (CBL) plume (solver/plume_cbl.hpp) against hand-computed
// values of its formulas, the moments of the bi-Gaussian PDF, and mass conservation; and of its
// use by the turbulence option of the Gaussian plume (solver/gaussian_plume.hpp).
#include <omp.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "meteo/boundary_layer.hpp"
#include "solver/gaussian_plume.hpp"
#include "solver/plume_cbl.hpp"

using namespace lantian::solver;

namespace {

/// ∫0^zi cbl_vertical / sqrt(2π) dz by Simpson's rule on n (even) intervals: the fraction of the
/// direct and indirect plume's mass in the mixed layer (1 by construction of the image series).
double vertical_mass(const CblPdf& pdf, double psi1, double psi2, double sz1, double sz2, double zi, int n = 4000) {
  const double dz = zi / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += w * cbl_vertical(pdf, psi1, psi2, sz1, sz2, i * dz, zi, 0.0);
  }
  return sum * dz / 3.0 / std::sqrt(2.0 * std::numbers::pi);
}

/// A convective hour: wind from the west at 10 m, u* = 0.5 m/s, L = -30 m, zi = 1000 m.
PlumeMet convective_hour() {
  PlumeMet m;
  m.wind_speed = 4.0;
  m.wind_dir_deg = 270.0;
  m.ref_height = 10.0;
  m.temperature_K = 300.0;
  m.mixing_height = 1000.0;
  m.ustar = 0.5;
  m.L = -30.0;
  return m;
}

}  // namespace

TEST_CASE("CBL PDF: skewness, weights, means and widths by hand", "[gaussian][cbl]") {
  // w* = 2 m/s, σw = 1.2 m/s at z = 250 m in zi = 500 m (above the surface layer):
  //   w̄³ = 0.125 w*³ = 1, S = 1/1.2³ = 0.578703704
  //   R = 2: α = 5/13, β = 5; root = sqrt(α² S² + 4/β) = sqrt(0.0495412 + 0.8) = 0.921706
  //   a1 = (σw/w*)(α S/2 + root/2) = 0.6 (0.111289 + 0.460853) = 0.343285169
  //   a2 = 0.6 (0.111289 - 0.460853) = -0.209738161;  b1 = 2 a1 = 0.686570339, b2 = -2 a2 = 0.419476321
  //   λ1 = a2/(a2 - a1) = 0.379257347, λ2 = 0.620742653
  const CblPdf p = cbl_pdf(2.0, 1.2, 250.0, 500.0);
  CHECK(p.skew == Approx(0.578703704).epsilon(1e-9));
  CHECK(p.a1 == Approx(0.343285169).epsilon(1e-8));
  CHECK(p.a2 == Approx(-0.209738161).epsilon(1e-8));
  CHECK(p.b1 == Approx(0.686570339).epsilon(1e-8));
  CHECK(p.b2 == Approx(0.419476321).epsilon(1e-8));
  CHECK(p.lambda1 == Approx(0.379257347).epsilon(1e-8));
  CHECK(p.lambda2 == Approx(0.620742653).epsilon(1e-8));
  // The mixture reproduces the first three moments of w (Weil et al. 1997), in units of w*:
  // mean 0, variance (σw/w*)² = 0.36, third moment w̄³/w*³ = 0.125 (to round-off).
  const double mean = p.lambda1 * p.a1 + p.lambda2 * p.a2;
  const double var = p.lambda1 * (p.b1 * p.b1 + p.a1 * p.a1) + p.lambda2 * (p.b2 * p.b2 + p.a2 * p.a2);
  const double third = p.lambda1 * (p.a1 * p.a1 * p.a1 + 3.0 * p.a1 * p.b1 * p.b1) +
                       p.lambda2 * (p.a2 * p.a2 * p.a2 + 3.0 * p.a2 * p.b2 * p.b2);
  CHECK(std::abs(mean) < 1e-15);
  CHECK(var == Approx(0.36).epsilon(1e-14));
  CHECK(third == Approx(0.125).epsilon(1e-14));

  // In the surface layer (z = 25 m < 0.1 zi) w̄³ = 1.25 w*³ z/zi = 0.5, S = 0.289351852, and the
  // mixture's third moment is 0.0625 w*³: a1 = 0.303784007, λ1 = 0.438263515.
  const CblPdf s = cbl_pdf(2.0, 1.2, 25.0, 500.0);
  CHECK(s.skew == Approx(0.289351852).epsilon(1e-9));
  CHECK(s.a1 == Approx(0.303784007).epsilon(1e-8));
  CHECK(s.lambda1 == Approx(0.438263515).epsilon(1e-8));
  CHECK(s.lambda1 * (s.a1 * s.a1 * s.a1 + 3.0 * s.a1 * s.b1 * s.b1) +
            s.lambda2 * (s.a2 * s.a2 * s.a2 + 3.0 * s.a2 * s.b2 * s.b2) ==
        Approx(0.0625).epsilon(1e-13));
  // No skewness (a release at the ground): symmetric, λ1 = λ2 = 1/2, a1 = -a2 = (σw/w*)/sqrt(5).
  const CblPdf g = cbl_pdf(2.0, 1.2, 0.0, 500.0);
  CHECK(g.lambda1 == Approx(0.5).epsilon(1e-15));
  CHECK(g.a1 == Approx(0.6 / std::sqrt(5.0)).epsilon(1e-15));
  CHECK(g.a2 == Approx(-0.6 / std::sqrt(5.0)).epsilon(1e-15));
}

TEST_CASE("CBL penetration of a buoyant plume into the stable layer aloft", "[gaussian][cbl]") {
  // Fb = 100 m⁴/s³, u = 5 m/s, hs = 50 m, zi = 500 m, N² = 9.81/300 × 0.01 = 3.27e-4 s⁻²:
  //   Δhh = 450 m, Ps = 100/(5 × 3.27e-4 × 450³) = 6.711888e-4
  //   Δheq/Δhh = (2.6³ Ps + (2/3)³)^⅓ = (0.0117969 + 0.2962963)^⅓ = 0.67539939
  //   fp = 1.5 - 1/0.67539939 = 0.01939457; h3 = 50 + 0.75 × 0.67539939 × 450 + 225 = 502.947293 m
  const double n2 = 9.81 / 300.0 * 0.01;
  const CblPenetration a = cbl_penetration(100.0, 5.0, 50.0, 500.0, n2);
  CHECK(a.heq_ratio == Approx(0.67539939).epsilon(1e-7));
  CHECK(a.fraction == Approx(0.01939457).epsilon(1e-6));
  CHECK(a.height == Approx(502.947293).epsilon(1e-8));
  // Fb = 5000: Ps = 0.0335594, ratio 0.96050647, fp = 0.45888259, h3 = 599.170932 m.
  const CblPenetration b = cbl_penetration(5000.0, 5.0, 50.0, 500.0, n2);
  CHECK(b.fraction == Approx(0.45888259).epsilon(1e-7));
  CHECK(b.height == Approx(599.170932).epsilon(1e-8));
  // Fb = 40000: ratio 1.7116867 < 2 ... still partial; Fb = 4e5 gives ratio > 2: fp = 1 and
  // h3 = hs + Δheq (the whole plume above the lid).
  const CblPenetration c = cbl_penetration(4.0e5, 5.0, 50.0, 500.0, n2);
  CHECK(c.heq_ratio > 2.0);
  CHECK(c.fraction == 1.0);
  CHECK(c.height == Approx(50.0 + c.heq_ratio * 450.0).epsilon(1e-14));
  // The indirect source's rise at x = 1 km for Fb = 100, u = 5 m/s, hs = 50 m, zi = 500 m, w* = 2:
  //   rh = 0.4 × 450 = 180 m; ry rz = 180² + 0.25 × 0.1 × 2.3^1.5 × 4 × 1000²/25 = 32400 + 13952.49
  //   Δhi = sqrt(2 × 100 × 500/(1.4 × 5 × 46352.49)) × 1000/5 = 0.5551549 × 200 = 111.031 m
  CHECK(cbl_indirect_rise(100.0, 5.0, 50.0, 500.0, 2.0, 1000.0) == Approx(111.031047574).epsilon(1e-9));
  CHECK(cbl_indirect_rise(0.0, 5.0, 50.0, 500.0, 2.0, 1000.0) == 0.0);
  // No buoyancy: nothing penetrates (Δheq/Δhh = 2/3 exactly, fp = 1.5 - 1.5 = 0).
  CHECK(cbl_penetration(0.0, 5.0, 50.0, 500.0, n2).fraction == 0.0);
}

TEST_CASE("CBL vertical term: the reflection terms by hand and the mass in the mixed layer", "[gaussian][cbl]") {
  // λ1 = 0.4, λ2 = 0.6 (a PDF given directly), zi = 100 m, Ψ1 = 80 m, σz1 = 40 m, Ψ2 = -15 m
  // (a downdraft centre below the ground), σz2 = 30 m, receptor at the ground:
  //   updraft:   m = 0: 2 e^(-80²/3200) = 2 e^-2 = 0.270670566;  m = ±1: the images at 2zi ∓ ... nearest
  //              120 m away: 2 e^(-120²/3200) = 2 e^-4.5 = 0.022217993 (the rest < 1e-10)
  //   downdraft: m = 0: 2 e^(-15²/1800) = 2 e^-0.125 = 1.764993805 (m = ±1: 1.1e-8)
  //   V = 0.4/40 (0.270670566 + 0.022217993) + 0.6/30 (1.764993805 + 1.1e-8) = 0.038228761920641
  CblPdf p;
  p.lambda1 = 0.4;
  p.lambda2 = 0.6;
  CHECK(cbl_vertical(p, 80.0, -15.0, 40.0, 30.0, 0.0, 100.0, 0.0) == Approx(0.038228761920641).epsilon(1e-13));
  // At z = 10 m the lid images are no longer symmetric (m = -1: 0.005086069, m = +1: 0.022794181):
  // V = 0.037094157981390 (summed over m = -50..50 in double precision).
  CHECK(cbl_vertical(p, 80.0, -15.0, 40.0, 30.0, 10.0, 100.0, 0.0) == Approx(0.037094157981390).epsilon(1e-13));
  // The lateral exponent multiplies every term: exp(-0.5).
  CHECK(cbl_vertical(p, 80.0, -15.0, 40.0, 30.0, 10.0, 100.0, -0.5) ==
        Approx(0.037094157981390 * std::exp(-0.5)).epsilon(1e-13));

  // The buoyant indirect source raised by Δhi = 20 m: its nearest image moves from 2zi - Ψ1 =
  // 120 m to 140 m above the ground: 2 e^(-140²/3200) = 2 e^-6.125 = 0.004375 in place of
  // 0.022218; V = 0.4/40 (2 e^-2 + 2 e^-6.125) + 0.6/30 (2 e^-0.125 + 2 e^(-235²/1800)) =
  // 0.0380503318119603 (the direct images are unchanged).
  CHECK(cbl_vertical(p, 80.0, -15.0, 40.0, 30.0, 0.0, 100.0, 0.0, 20.0) == Approx(0.0380503318119603).epsilon(1e-12));

  // Mass: ∫0^zi V dz / sqrt(2π) = λ1 + λ2 = 1 for any centres and widths (the image series of
  // each Gaussian folds it into [0, zi]); Simpson on 4000 intervals, error < 1e-9 here.
  const CblPdf real = cbl_pdf(2.0, 1.2, 250.0, 500.0);
  CHECK(vertical_mass(real, 250.0, 250.0, 30.0, 20.0, 500.0) == Approx(1.0).epsilon(1e-9));
  CHECK(vertical_mass(real, 420.0, -60.0, 90.0, 70.0, 500.0) == Approx(1.0).epsilon(1e-9));
  CHECK(vertical_mass(real, 900.0, -300.0, 300.0, 250.0, 500.0) == Approx(1.0).epsilon(1e-9));
  CHECK(vertical_mass(real, 5.0, 1.0, 3.0, 2.0, 500.0, 40000) == Approx(1.0).epsilon(1e-7));
  // Well mixed (both σzj >= 1.6 zi): the uniform sqrt(2π)/zi, and the image sum just below it
  // agrees to 1e-5 (its first Fourier mode is e^(-π² 1.6²/2) ≈ 3e-6 of the mean).
  CHECK(cbl_vertical(real, 250.0, 100.0, 800.0, 800.0, 0.0, 500.0, 0.0) ==
        Approx(std::sqrt(2.0 * std::numbers::pi) / 500.0).epsilon(1e-15));
  CHECK(cbl_vertical(real, 250.0, 100.0, 799.0, 799.0, 0.0, 500.0, 0.0) ==
        Approx(std::sqrt(2.0 * std::numbers::pi) / 500.0).epsilon(1e-5));
}

TEST_CASE("turbulence option, convective hour: the CBL plume conserves mass and mixes", "[gaussian][cbl]") {
  const PlumeMet m = convective_hour();
  PlumeOptions o;
  o.dispersion = Dispersion::Turbulence;
  check_met(m, o);
  const PlumeSource stack{"S", 0.0, 0.0, 50.0, 0.0, 0.0, 0.0, 1.0};  // no rise, 1 g/s
  // Crosswind-integrated flux u ∫∫ C dy dz at x = 2 km over [0, zi] equals Q (fp = 0 without
  // buoyancy): the lateral Gaussian integrates to sqrt(2π) σy analytically, the vertical by
  // Simpson on 2000 intervals of the mixed layer (error < 1e-6).
  const double x = 2000.0;
  const PlumeAt a = plume_at(stack, m, x, o);
  const int n = 2000;
  const double dz = m.mixing_height / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += w * plume_concentration(stack, m, Receptor{"r", x, 0.0, i * dz}, o);
  }
  const double flux_g_s = sum * dz / 3.0 * std::sqrt(2.0 * std::numbers::pi) * a.sigma_y * a.u * 1e-6;
  CHECK(flux_g_s == Approx(1.0).epsilon(1e-6));
  // Far downwind the column is well mixed: C = Q/(sqrt(2π) u zi σy) (ISC3 eq. 1-54), the same
  // as the one-Gaussian plume gives there.
  const double xf = 60000.0;
  const PlumeAt f = plume_at(stack, m, xf, o);
  const double mixed = 1e6 / (std::sqrt(2.0 * std::numbers::pi) * f.u * m.mixing_height * f.sigma_y);
  CHECK(plume_concentration(stack, m, Receptor{"r", xf, 0.0, 0.0}, o) == Approx(mixed).epsilon(1e-5));
  PlumeOptions single = o;
  single.convective_pdf = false;
  CHECK(plume_concentration(stack, m, Receptor{"r", xf, 0.0, 0.0}, single) == Approx(mixed).epsilon(1e-5));
  // Stable and neutral hours do not use the PDF: identical results with the option on or off.
  PlumeMet stable = m;
  stable.L = 50.0;
  CHECK(plume_concentration(stack, stable, Receptor{"r", 500.0, 0.0, 0.0}, o) ==
        plume_concentration(stack, stable, Receptor{"r", 500.0, 0.0, 0.0}, single));
  PlumeMet neutral = m;
  neutral.L = std::numeric_limits<double>::infinity();
  CHECK(plume_concentration(stack, neutral, Receptor{"r", 500.0, 0.0, 0.0}, o) ==
        plume_concentration(stack, neutral, Receptor{"r", 500.0, 0.0, 0.0}, single));
}

TEST_CASE("turbulence option, convective hour: a buoyant plume partly penetrates the lid", "[gaussian][cbl]") {
  PlumeMet m = convective_hour();
  m.mixing_height = 300.0;
  m.theta_gradient_above_lid = 0.01;
  PlumeOptions o;
  o.dispersion = Dispersion::Turbulence;
  // A hot, large stack: Fb = g v d² (Ts - Ta)/(4 Ts) = 9.80665 × 20 × 16 × 200/(4 × 500) = 313.8 m⁴/s³.
  const PlumeSource hot{"H", 0.0, 0.0, 100.0, 4.0, 20.0, 500.0, 1.0};
  const double x = 3000.0;
  const PlumeAt a = plume_at(hot, m, x, o);
  CHECK(a.penetrated_fraction > 0.0);
  CHECK(a.penetrated_fraction < 1.0);
  CHECK(a.penetrated_height > m.mixing_height);
  // Mass: without the indirect source's lofting, ∫0^∞ ∫ C dy dz would be Q [(1 - fp)/u + fp/u3]
  // (the direct and indirect plume, carried by u, holds 1 - fp of the flux below the lid; the
  // penetrated one, carried by u3 and reflected at the ground only, the rest). AERMOD raises the
  // indirect source's images by Δhi (MFD eq. 56), which keeps part of the plume at the lid and
  // out of the sum: the integral is then below that total and above the penetrated share alone.
  // (The lateral integral sqrt(2π) σy analytically, the vertical by Simpson to 3 km on 0.25-m
  // steps, on each side of the lid where the direct plume stops.)
  auto simpson = [&](double z0, double z1, int n) {
    const double dz = (z1 - z0) / n;
    double sum = 0.0;
    for (int i = 0; i <= n; ++i) {
      const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
      sum += w * plume_concentration(hot, m, Receptor{"r", x, 0.0, z0 + i * dz}, o);
    }
    return sum * dz / 3.0;
  };
  const double zi = m.mixing_height;
  const double lateral = std::sqrt(2.0 * std::numbers::pi) * a.sigma_y;
  const double below = simpson(0.0, zi, 1200) * lateral, above = simpson(zi * (1.0 + 1e-12), 3000.0, 10800) * lateral;
  const double conserved = 1e6 * ((1.0 - a.penetrated_fraction) / a.u + a.penetrated_fraction / a.penetrated_u);
  CHECK(below + above < conserved);
  CHECK(below + above > 1e6 * a.penetrated_fraction / a.penetrated_u);
  // The penetrated plume (Gaussian at h3 with its ground image) puts at most fp Q/u3 above the lid.
  CHECK(above > 0.0);
  CHECK(above <= 1e6 * a.penetrated_fraction / a.penetrated_u);
  // Above the lid only the penetrated plume is found (the direct and indirect ones stay below).
  CHECK(plume_concentration(hot, m, Receptor{"r", x, 0.0, a.penetrated_height}, o) > 0.0);
}

TEST_CASE("CBL contributions are identical on 1 and 2 threads and match the single evaluation", "[gaussian][cbl]") {
  // Buoyant stacks in convective hours (with penetration), at ground and flagpole receptors.
  std::vector<PlumeSource> sources;
  for (int i = 0; i < 5; ++i)
    sources.push_back(PlumeSource{"s", 400.0 * i, -150.0 * (i % 2), 20.0 + 20.0 * i, 1.0 + 0.4 * i, 8.0 + 2.0 * i,
                                  360.0 + 20.0 * i, 1.0 + i});
  std::vector<PlumeMet> hours;
  for (int h = 0; h < 6; ++h) {
    PlumeMet m = convective_hour();
    m.L = -8.0 - 15.0 * h;
    m.mixing_height = 200.0 + 250.0 * h;
    m.wind_dir_deg = 240.0 + 12.0 * h;
    hours.push_back(m);
  }
  std::vector<Receptor> receptors;
  for (int j = 0; j < 15; ++j)
    for (int i = 0; i < 15; ++i) receptors.push_back(Receptor{"r", -500.0 + 300.0 * i, -2000.0 + 300.0 * j, (i + j) % 3 == 0 ? 20.0 : 0.0});
  PlumeOptions o;
  o.dispersion = Dispersion::Turbulence;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto c1 = compute_contributions(sources, hours, receptors, o);
  omp_set_num_threads(2);
  const auto c2 = compute_contributions(sources, hours, receptors, o);
  omp_set_num_threads(saved);
  CHECK(c1.stored() > 0u);
  CHECK(c1.values == c2.values);
  CHECK(c1.totals == c2.totals);
  std::size_t mismatches = 0;
  for (std::size_t h = 0; h < hours.size(); ++h)
    for (std::size_t r = 0; r < receptors.size(); r += 3)
      for (std::size_t s = 0; s < sources.size(); ++s)
        mismatches += c1.value(h, r, s) != static_cast<float>(plume_concentration(sources[s], hours[h], receptors[r], o));
  CHECK(mismatches == 0u);
}
