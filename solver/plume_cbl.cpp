// AERMOD's convective plume: see plume_cbl.hpp for the formulas and their references.
#include "solver/plume_cbl.hpp"

#include <algorithm>
#include <cmath>

namespace lantian::solver {

namespace {

constexpr double kNegligibleExponent = -50.0;  ///< as in gaussian_plume.cpp: e^-50 ~ 2e-22
constexpr double kWellMixedSigmaRatio = 1.6;   ///< σz/zi of the well-mixed column (ISC3)
constexpr int kMaxImageShells = 200;           ///< a bound only; the sum stops far earlier

inline double gauss_exp(double a) noexcept { return a < kNegligibleExponent ? 0.0 : std::exp(a); }

/// Σm over the images of one Gaussian of width sz: the direct source's at ψ + 2m zi (m >= 0) and
/// the indirect source's at 2m zi − ψr (m >= 1), each with its ground reflection; ψr = ψ − Δhi.
/// With Δhi = 0 this is the full image series Σm [g(z − ψ − 2m zi) + g(z + ψ − 2m zi)], m in Z.
double image_series(double psi, double psi_r, double sz, double z, double zi, double lateral_exponent) noexcept {
  const double inv2s2 = 1.0 / (2.0 * sz * sz);
  auto term = [&](double d) { return gauss_exp(lateral_exponent - d * d * inv2s2); };
  // Shell m: the images ψ + d, −(ψ + d) (direct) and d − ψr, ψr − d (indirect), d = 2m zi. With z
  // in [0, zi] the nearest of shell m is at least d − max(|ψ|, |ψr|) − zi away, growing with m:
  // stop at the first empty shell beyond that. A ground receptor sees each image twice.
  const double reach = std::max(std::abs(psi), std::abs(psi_r)) + zi;
  if (z == 0.0) {
    double v = term(psi);
    for (int m = 1; m <= kMaxImageShells; ++m) {
      const double d = 2.0 * m * zi;
      const double shell = term(psi + d) + term(psi_r - d);
      v += shell;
      if (shell == 0.0 && d > reach) break;
    }
    return 2.0 * v;
  }
  double v = term(z - psi) + term(z + psi);
  for (int m = 1; m <= kMaxImageShells; ++m) {
    const double d = 2.0 * m * zi;
    const double shell = term(z - psi - d) + term(z + psi + d) + term(z + psi_r - d) + term(z - psi_r + d);
    v += shell;
    if (shell == 0.0 && d > reach) break;
  }
  return v;
}

}  // namespace

CblPdf cbl_pdf(double wstar, double sigma_w, double z, double zi) noexcept {
  CblPdf p;
  // AERMOD SKCALC: the third moment of w, linear in the surface layer.
  const double w3 = z < 0.1 * zi ? 1.25 * wstar * wstar * wstar * std::max(z, 0.0) / zi : 0.125 * wstar * wstar * wstar;
  p.skew = w3 / (sigma_w * sigma_w * sigma_w);
  const double r = kCblLagrangianR;
  const double alpha = (1.0 + r * r) / (1.0 + 3.0 * r * r);
  const double beta = 1.0 + r * r;
  const double root = std::sqrt(alpha * alpha * p.skew * p.skew + 4.0 / beta);
  const double ratio = sigma_w / wstar;
  p.a1 = ratio * (0.5 * alpha * p.skew + 0.5 * root);
  p.a2 = ratio * (0.5 * alpha * p.skew - 0.5 * root);
  p.b1 = r * p.a1;
  p.b2 = -r * p.a2;
  p.lambda1 = p.a2 / (p.a2 - p.a1);
  p.lambda2 = 1.0 - p.lambda1;
  return p;
}

CblPenetration cbl_penetration(double fb, double u, double hs, double zi, double n2) noexcept {
  CblPenetration pen;
  const double dhh = zi - hs;
  if (!(fb > 0.0) || !(dhh > 0.0) || !(u > 0.0) || !(n2 > 0.0)) {
    pen.height = zi;
    return pen;
  }
  const double ps = fb / (u * n2 * dhh * dhh * dhh);
  // 17.576 = 2.6³, 0.296296 = (2/3)³.
  pen.heq_ratio = std::cbrt(2.6 * 2.6 * 2.6 * ps + 8.0 / 27.0);
  if (pen.heq_ratio < 2.0 / 3.0)
    pen.fraction = 0.0;
  else if (pen.heq_ratio > 2.0)
    pen.fraction = 1.0;
  else
    pen.fraction = 1.5 - 1.0 / pen.heq_ratio;
  pen.height = pen.fraction >= 1.0 ? hs + pen.heq_ratio * dhh : hs + 0.75 * pen.heq_ratio * dhh + 0.5 * dhh;
  return pen;
}

double cbl_indirect_rise(double fb, double u, double hs, double zi, double wstar, double x) noexcept {
  if (!(fb > 0.0) || !(u > 0.0) || !(zi > hs)) return 0.0;
  constexpr double kBeta2 = 0.4, kAlphaR = 1.4, kLambdaY = 2.3, kAe = 0.1;  // AERMOD's constants
  const double rh = kBeta2 * (zi - hs);
  const double ryrz = rh * rh + 0.25 * kAe * std::pow(kLambdaY, 1.5) * wstar * wstar * x * x / (u * u);
  return std::sqrt(2.0 * fb * zi / (kAlphaR * u * ryrz)) * x / u;
}

double cbl_vertical(const CblPdf& pdf, double psi1, double psi2, double sz1, double sz2, double z, double zi,
                    double lateral_exponent, double dhi) noexcept {
  if (dhi == 0.0 && std::min(sz1, sz2) >= kWellMixedSigmaRatio * zi)
    return std::sqrt(2.0 * std::numbers::pi) / zi * std::exp(lateral_exponent);
  double v = 0.0;
  if (pdf.lambda1 > 0.0) v += pdf.lambda1 / sz1 * image_series(psi1, psi1 - dhi, sz1, z, zi, lateral_exponent);
  if (pdf.lambda2 > 0.0) v += pdf.lambda2 / sz2 * image_series(psi2, psi2 - dhi, sz2, z, zi, lateral_exponent);
  return v;
}

}  // namespace lantian::solver
