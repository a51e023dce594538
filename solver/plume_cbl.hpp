#pragma once
// AERMOD's convective boundary layer (CBL, 对流边界层) plume: the vertical velocity in the CBL is
// skewed (narrow, strong updrafts and wide, weak downdrafts), and its probability density is the
// sum of two Gaussians (Weil et al. 1997; Cimorelli et al. 2005, J. Appl. Meteor. 44:682-693,
// §5; AERMOD Model Formulation Document EPA-454/R-03-004 and its 2023 update, "MFD", §5.3):
//
//   skewness      S = w̄³/σw³,  w̄³ = 1.25 w*³ z/zi for z < 0.1 zi (surface layer), else 0.125 w*³
//   coefficients  R = 2, α = (1 + R²)/(1 + 3R²), β = 1 + R²
//   means         w̄1,2 = σw [α S/2 ± ½ (α² S² + 4/β)^½]   (updraft +, downdraft −)
//   widths        σw1 = R w̄1, σw2 = −R w̄2
//   weights       λ1 = −w̄2/(w̄1 − w̄2),  λ2 = 1 − λ1     (λ1 w̄1 + λ2 w̄2 = 0: zero mean w)
//
// The plume is then the sum of a direct source (the plume material carried by updrafts and
// downdrafts from the stack), an indirect source (its first reflection at the lid zi, an image at
// 2 zi − Ψ) and their further images, and a penetrated source (the part of a buoyant plume that
// rises into the stable layer above zi, fraction fp):
//   C = (1 − fp) Q/(2π u σy) exp(−y²/2σy²) Σj λj/σzj Σm [g(z − Ψj − 2m zi) + g(z + Ψj − 2m zi)]
//     + fp Q/(2π u3 σy σz3) exp(−y²/2σy²) [g3(z − h3) + g3(z + h3)]
//   Ψj = he + w̄j x/u,  σzj = (σzaj² + σzs²)^½,  σzaj = αb σwj x/u,  g(d) = exp(−d²/(2σzj²))
// (the penetrated plume above the lid reflects at the ground only: AERMOD VRTSBN).
// (AERMOD VRTCBL: the direct source's images at Ψj + 2m zi, m >= 0, and the indirect source's at
// 2m zi − Ψj, m >= 1, each with its ground reflection, together make the full image series of the
// two Gaussians between the ground and the lid, so the vertical integral over [0, zi] is 1; the
// buoyant indirect source is raised by Δhi, Ψrj = Ψj − Δhi, AERMOD CBLPRN.)
#include <numbers>

namespace lantian::solver {

/// The two Gaussians of the CBL vertical velocity PDF, scaled by w*: means a_j = w̄j/w*, widths
/// b_j = σwj/w*, weights λj (MFD §5.3; AERMOD subroutines SKCALC, AACALC, BBCALC, LLCALC).
struct CblPdf {
  double skew = 0.0;                 ///< S
  double a1 = 0.0, a2 = 0.0;         ///< w̄1/w* > 0 (updrafts), w̄2/w* < 0 (downdrafts)
  double b1 = 0.0, b2 = 0.0;         ///< σw1/w*, σw2/w*
  double lambda1 = 0.5, lambda2 = 0.5;  ///< relative frequencies of updrafts and downdrafts
};

inline constexpr double kCblLagrangianR = 2.0;  ///< R of the PDF (Weil et al. 1997; AERMOD CRCALC)

/// The PDF for convective velocity w* (m/s, > 0), total vertical turbulence σw (m/s, > 0), at
/// the plume height z (m) in a mixed layer of depth zi (m).
CblPdf cbl_pdf(double wstar, double sigma_w, double z, double zi) noexcept;

/// The partial penetration of a buoyant plume into the stable layer above the lid (MFD §5.3;
/// AERMOD PENFCT): Δhh = zi − hs, Ps = Fb/(u Nh² Δhh³), Δheq/Δhh = (2.6³ Ps + (2/3)³)^⅓;
///   fp = 0 for Δheq/Δhh < 2/3, 1 above 2, else 1.5 − Δhh/Δheq;
/// the penetrated source's height h3 = hs + Δheq for fp = 1, else hs + 0.75 Δheq + 0.5 Δhh.
struct CblPenetration {
  double fraction = 0.0;  ///< fp, 0..1
  double height = 0.0;    ///< h3, m (meaningful when fraction > 0)
  double heq_ratio = 2.0 / 3.0;  ///< Δheq/Δhh
};
/// fb buoyancy flux (m⁴/s³, >= 0), u wind at the stack (m/s), hs stack (release) height < zi,
/// n2 the squared Brunt-Väisälä frequency above the lid (1/s², > 0).
CblPenetration cbl_penetration(double fb, double u, double hs, double zi, double n2) noexcept;

/// The indirect source's extra rise Δhi at distance x (MFD §5.3; AERMOD CBLPRN): the buoyant
/// plume reflected at the lid lofts there before it comes down,
///   Δhi = sqrt(2 Fb zi/(αr u ry rz)) x/u,  ry rz = rh² + (ae λy^1.5/4) w*² x²/u²,  rh = β2 (zi − hs)
/// with αr = 1.4, β2 = 0.4, λy = 2.3, ae = 0.1. Zero without buoyancy.
double cbl_indirect_rise(double fb, double u, double hs, double zi, double wstar, double x) noexcept;

/// The vertical term of the direct and indirect sources: Σj λj/σzj Σ over the images of the
/// direct source (Ψj + 2m zi, m >= 0) and of the indirect one (2m zi − Ψrj, m >= 1, Ψrj =
/// Ψj − Δhi), each with its ground reflection, with exp(lateral_exponent) folded into each
/// exponent (as in solver/gaussian_plume.cpp) and factors below e^-50 dropped. With Δhi = 0 it is
/// the full image series Σm [g(z − Ψj − 2m zi) + g(z + Ψj − 2m zi)], m in Z, whose integral over
/// [0, zi] is sqrt(2π); in the well-mixed limit (both σzj >= 1.6 zi) sqrt(2π)/zi ·
/// exp(lateral_exponent). z in [0, zi].
double cbl_vertical(const CblPdf& pdf, double psi1, double psi2, double sz1, double sz2, double z, double zi,
                    double lateral_exponent, double dhi = 0.0) noexcept;

}  // namespace lantian::solver
