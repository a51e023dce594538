// PRIME building downwash: see plume_prime.hpp for the formulas and their sources. The
// constants are PRIME's (PRIME1, NUMPR1, WAKE_* routines of Schulman, Strimaitis & Scire 2000).
#include "solver/plume_prime.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace lantian::solver {

namespace {

constexpr double kThird = 1.0 / 3.0;
constexpr double kWiz0 = 0.06, kWiy0 = 0.08;  ///< wake turbulence intensities (Briggs rural D)
constexpr double kWf = 1.7;                   ///< wake factor on σw, σv (Weil 1996)
constexpr double kDuUa = 0.7;                 ///< initial speed deficit Δu/u
constexpr double kXDecay = 2.0 / 3.0;         ///< decay exponent of the deficit with distance
constexpr double kAfac = 1.3;                 ///< the transition: i = max(i_amb, 1.3 i∞)
constexpr double kXbyRMax = 15.0;             ///< cap of the transition, R beyond the lee face
constexpr double kBeta = 0.6;                 ///< entrainment of the bent-over plume (Briggs)
constexpr double kBidDivisor = 3.5;           ///< buoyancy-induced dispersion σ = Δh/3.5
constexpr double kSqrtHalfPi = 1.2533141373155003;  ///< sqrt(π/2): top-hat radius from σ
constexpr double kSqrt2Pi = 2.5066282746310002;
constexpr double kTableStep = 2.0;            ///< PRIME's step of the wake tables, m
constexpr double kMaxTrajectory = 5000.0;     ///< PRIME's end of the rise calculation, m
constexpr double kTan20 = 0.36397023426620234;  ///< AERMOD's PRIME: the wake is entered below 20° inclination

/// Fraction of a Gaussian (centre c, width s) between -h and h (PRIME FRGAUSS).
double fraction_between(double c, double s, double h) noexcept {
  if (h <= 0.0) return 0.0;
  const double r = std::sqrt(2.0) * std::max(s, 1e-5);
  return 0.5 * std::abs(std::erf((h - c) / r) - std::erf((-h - c) / r));
}

}  // namespace

int building_sector_index(double wd) noexcept {
  double afv = wd - 180.0;
  while (afv < 0.0) afv += 360.0;
  while (afv >= 360.0) afv -= 360.0;
  int sector = static_cast<int>(afv / 10.0 + 0.4999);
  if (sector == 0) sector = 36;
  return std::clamp(sector, 1, 36) - 1;
}

WakeScales wake_scales(double hb, double wb, double lb) noexcept {
  WakeScales s;
  if (hb <= 0.0 || wb <= 0.0) return s;
  const double rw = wb / hb;
  const double rl = std::clamp(lb / hb, 0.3, 3.0);  // Fackrell's limits on L/H
  const double hh = std::min(hb, 8.0 * wb), ww = std::min(wb, 8.0 * hb);
  s.R = std::pow(std::min(hh, ww), 2.0 / 3.0) * std::pow(std::max(hh, ww), kThird);
  s.lc = 0.9 * s.R;
  const double explh = rw < 1.0 ? std::max(0.0, 0.3 * (rw - 0.33) / 0.67) : 0.3;
  s.lr = 1.8 * wb / (std::pow(rl, explh) * (1.0 + 0.24 * rw));
  s.hr = hb + 0.22 * s.R;
  return s;
}

WakeDim wake_dim(double x, double hb, double wb, double R) noexcept {
  WakeDim d;
  if (x <= 0.0 || R <= 0.0) return d;
  const double xr = x / R;
  d.height = 1.2 * R * std::cbrt(xr + std::pow(hb / (1.2 * R), 3));
  d.half_width = 0.5 * wb + R / 3.0 * std::cbrt(xr);
  return d;
}

WakeDim cavity_dim(const BuildingSector& b, const WakeScales& s, double x) noexcept {
  WakeDim d;
  const double hb = b.height, lb = b.length, R = s.R, end = lb + s.lr;
  if (x < 0.0 || x >= end || R <= 0.0) return d;
  if (s.lc < lb) {  // the flow reattaches on the roof
    d.height = x < lb ? hb : hb * std::sqrt(std::max(0.0, 1.0 - std::pow((x - lb) / s.lr, 2)));
  } else if (x <= 0.5 * R) {
    d.height = s.hr + 4.0 * (x - 0.5 * R) * (x - 0.5 * R) * (hb - s.hr) / (R * R);
  } else {
    d.height = s.hr * std::sqrt(std::max(0.0, 1.0 - std::pow((x - 0.5 * R) / (end - 0.5 * R), 2)));
  }
  const double wmax = 0.5 * b.width + R / 3.0;
  if (x <= R)
    d.half_width = wmax - (x - R) * (x - R) / (3.0 * R);
  else
    d.half_width = wmax * std::sqrt(std::max(0.0, 1.0 - std::pow((x - R) / (end - R), 2)));
  return d;
}

WakeRegion wake_region(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept {
  if (b.height <= 0.0 || x <= 0.0) return WakeRegion::outside;
  constexpr double kSkin = 0.99998;
  const double ya = std::abs(y);
  if (x / b.length < kSkin && z / b.height < kSkin && ya / (0.5 * b.width) < kSkin) return WakeRegion::building;
  const WakeDim c = cavity_dim(b, s, x);
  if (z <= c.height && ya <= c.half_width && c.height > 0.0) return WakeRegion::near_wake;
  const WakeDim w = wake_dim(x, b.height, b.width, s.R);
  if (z <= w.height && ya <= w.half_width) return WakeRegion::far_wake;
  return WakeRegion::outside;
}

double streamline_slope(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept {
  const double h = b.height, w = b.width, l = b.length, r = s.R, hr = s.hr, lr = s.lr;
  if (h <= 0.0 || r <= 0.0) return 0.0;
  const double hbyw = h / w;
  const double expzg = hbyw >= 2.0 ? 0.3 * (0.5 * hbyw) * (0.5 * hbyw) : 0.3;  // tall narrow buildings
  double dzdx2 = 0.0;
  if (x < -r) {
    dzdx2 = 0.0;
  } else if (x < 0.0) {
    // Ascent upwind: parabola from slope 0 at -R to (0, Hr - H), decaying above the roof as (.)^-3.
    const double zslope = 2.0 * (hr - h) * (x + r) / (r * r);
    const double zlow = r <= h ? 0.67 * h : 0.67 * (2.0 * h - r);
    if (z > h)
      dzdx2 = zslope / std::pow((z - h + r) / r, 3);
    else
      dzdx2 = z > zlow ? zslope : 0.0;
  } else if (x <= 0.5 * r) {
    const double zslope = -(hr - h) * 4.0 / r * (2.0 * x / r - 1.0);
    dzdx2 = z <= h ? zslope : zslope / std::pow((z - h + r) / r, 3);
  } else {
    // Descent over the roof to the end of the near wake, then decaying as 1/x in the far wake.
    const double span = l - 0.5 * r + lr;
    const double zslope = x <= l + lr ? (hr - h) * (r - 2.0 * x) / (span * span)
                                      : -2.0 * (hr - h) / span / ((x - (l + lr - r)) / r);
    if (z > h)
      dzdx2 = zslope / ((z - h + r) / r);
    else
      dzdx2 = z <= 0.0 ? 0.0 : zslope * std::pow(z / h, expzg);
  }
  const double ya = std::abs(y), wby2 = 0.5 * w;
  if (ya > wby2 + r / 3.0) return 0.0;
  if (ya <= wby2) return dzdx2;
  return dzdx2 * (1.0 + 3.0 / r * (wby2 - ya));
}

WakeTransition wake_transition(double iz_amb, double iy_amb, double lb, double R, bool capped) noexcept {
  auto one = [&](double amb, double i0) {
    const double far = std::min(i0, amb), fart = std::max(amb, kAfac * far);
    double xa = lb / R - 1.0 + std::pow(kDuUa + (kWf * i0 - far * (1.0 - kDuUa)) / (fart - far), 1.5);
    if (capped) xa = std::min(xa, lb / R + kXbyRMax);
    return R * xa;
  };
  return {one(iz_amb, kWiz0), one(iy_amb, kWiy0)};
}

WakeTurbulence wake_turbulence(double iz_amb, double iy_amb, double x, double lb, double R) noexcept {
  const double fz = std::min(kWiz0, iz_amb), fy = std::min(kWiy0, iy_amb);
  const double xml = std::max(0.0, x - lb);
  const double xfac = 1.0 / (std::pow((xml + R) / R, kXDecay) - kDuUa);
  WakeTurbulence t{fz * (1.0 + ((kWf * kWiz0 / fz - 1.0) + kDuUa) * xfac),
                   fy * (1.0 + ((kWf * kWiy0 / fy - 1.0) + kDuUa) * xfac)};
  if (x < lb) {  // over the roof: from the ambient value at the upwind face
    const double f = x / lb;
    t.iz = iz_amb + f * (t.iz - iz_amb);
    t.iy = iy_amb + f * (t.iy - iy_amb);
  }
  return t;
}

double wake_speed_factor(const BuildingSector& b, const WakeScales& s, double x, double y, double z) noexcept {
  const WakeDim c = cavity_dim(b, s, x), w = wake_dim(x, b.height, b.width, s.R);
  const double ya = std::abs(y);
  if (z >= w.height || ya >= w.half_width) return 1.0;
  // The deficit, reduced beyond the building's width towards the wake's edge, decaying downwind
  // of the lee face and growing linearly over the roof (PRIME WAKE_U).
  const double ymin = std::max(0.5 * b.width, w.half_width - s.R / 3.0);
  double du = kDuUa;
  if (ya > ymin && w.half_width > ymin) du *= 1.0 - (ya - ymin) / (w.half_width - ymin);
  du *= std::pow((std::max(0.0, x - b.length) + s.R) / s.R, -kXDecay);
  if (x < b.length) du *= x / b.length;
  // Constant below the cavity top, linear to the ambient speed at the wake top.
  const double uc = std::max(0.0, 1.0 - 2.0 * w.height * du / (w.height + c.height));
  return z > c.height ? uc + (1.0 - uc) * (std::min(z, w.height) - c.height) / (w.height - c.height) : uc;
}

PrimePlume::PrimePlume(const PrimeInput& in, HostSigmas host) : in_(in), host_(std::move(host)) {
  const BuildingSector& b = in_.building;
  in_.iz_amb = std::max(in_.iz_amb, 1e-3);
  in_.iy_amb = std::max(in_.iy_amb, 1e-3);
  s_ = wake_scales(b.height, b.width, b.length);
  xa_ = wake_transition(in_.iz_amb, in_.iy_amb, b.length, s_.R, true);
  xa_uncapped_ = wake_transition(in_.iz_amb, in_.iy_amb, b.length, s_.R, false);
  xi_ = std::numeric_limits<double>::infinity();
  // The rise (PRIME NUMRISE, Boussinesq, no shear or radiation): along the path s, volume flux
  // Q = r² usc, excess horizontal momentum Mx = Q (u - ua), vertical momentum Mz = Q w and
  // buoyancy B = Q g' with
  //   dQ/ds  = max(2 r (α |usc - ua u/usc| + β |ua sin φ|), 2 r ua dr/dx|wake), α = 0.11, β = 0.6
  //   dMx/ds = 0,  dMz/ds = B/usc,  dB/ds = -N² Q w/usc,  dx/ds = u/usc,  dz/ds = w/usc
  // in the wake's reduced wind ua (WAKE_U), from the exit (u = 0, w = w0, r = D/2); the rise stops
  // where w < 0 or at Briggs's neutral distance to final rise, and the streamline displacement is
  // added outside the near wake within 15 R of the lee face. The plume enters the wake where its
  // centreline is in it and its inclination below 20° (AERMOD's; 45° in the original PRIME).
  const double ua0 = std::max(in_.u_rise, 0.1);
  const double yb = -b.ybadj;
  const double r0 = std::max(in_.stack_radius, 0.01), w0 = std::max(in_.exit_velocity, 0.01);
  double Q = r0 * r0 * w0, Mx = -Q * ua0, Mz = Q * w0, B = in_.buoyancy_flux;
  const double fb = in_.buoyancy_flux;
  const double wbyu = std::max(1.0, w0 / std::max(ua0, 1.0));
  const double xmaxm = 8.0 * r0 * wbyu * (1.0 + 3.0 / wbyu) * (1.0 + 3.0 / wbyu);  // momentum only
  const double xmax = fb <= 0.0 ? xmaxm : (fb >= 55.0 ? 119.0 * std::pow(fb, 0.4) : std::max(xmaxm, 49.0 * std::pow(fb, 0.625)));
  const double x15 = b.xbadj + b.length + 15.0 * s_.R;
  double x = 0.0, z = in_.release_height, zs = 0.0;  // z: the rise alone; zs: streamline displacement
  bool rising = true;
  traj_dx_ = 1.0;
  traj_.assign(1, in_.release_height);
  const double x_end = std::min(kMaxTrajectory, std::max({x15, xmax, b.xbadj + std::max(xa_.z, xa_.y)}));
  for (int step = 0; x < x_end && step < 1000000; ++step) {  // (the bound only guards against a stalled path)
    const double zc = std::max(z + zs, 0.0), xb = x - b.xbadj;
    const WakeRegion pos = wake_region(b, s_, xb, yb, zc);
    const double ua = ua0 * (pos != WakeRegion::outside ? wake_speed_factor(b, s_, xb, yb, zc) : 1.0);
    double u = ua, w = 0.0, r = 0.0, ds = traj_dx_;
    if (rising) {
      u = ua + Mx / Q;
      w = Mz / Q;
      const double usc = std::hypot(u, w);
      r = std::sqrt(Q / usc);
      ds = std::min(traj_dx_, 0.2 * r);
      const double sinphi = w / usc;
      double drdxa = 0.0;
      if (has_wake_ && x >= wake_.x0 && pos != WakeRegion::outside && w <= kTan20 * u) drdxa = kSqrtHalfPi * (at(wake_, x + 1.0).z - at(wake_, x).z);
      const double dq = std::max(2.0 * r * (0.11 * std::abs(usc - ua * u / usc) + kBeta * std::abs(ua * sinphi)),
                                 2.0 * r * ua * drdxa);
      Q += dq * ds;
      Mz += B / usc * ds;
      B -= in_.n2 * Q * w / usc * ds;
      z += w / usc * ds;
      ds *= u / usc;  // the step along x
      if (Mz < 0.0 || x + ds >= xmax) rising = false;
    }
    if (pos != WakeRegion::building && pos != WakeRegion::near_wake && x <= x15)
      zs += streamline_slope(b, s_, xb, yb, zc) * ds;
    x += ds;
    const double zn = std::max(z + zs, 0.0);
    if (!has_wake_ && !std::isfinite(xi_) && (!rising || w <= kTan20 * u) &&
        wake_region(b, s_, x - b.xbadj, yb, zn) != WakeRegion::outside) {
      xi_ = x - b.xbadj;
      const HostSigma h0 = host_(std::max(x, 1e-3));
      const double bid = std::max(z - in_.release_height, 0.0) / kBidDivisor;
      build_wake(xi_, std::hypot(h0.y, bid), std::hypot(h0.z, bid));
      build_cavity(std::hypot(h0.y, bid));
    }
    while (static_cast<double>(traj_.size()) * traj_dx_ <= x) traj_.push_back(zn);
  }
  if (has_cav_) capture();
}

PrimePlume::Table PrimePlume::grow_table(double x_start, double sy, double sz, double x_end) const {
  // PRIME WAKE_SIG from x_start (from the upwind face) to x_end: dσ/dx = i(x) for LR, then
  // dσ²/dx = 2 σd i(x) (a diffusivity scaled by the wake's height or full width, σd at the
  // switch); each σ on the host curve with a virtual distance once its turbulence is ambient.
  const BuildingSector& b = in_.building;
  Table t;
  t.x0 = x_start + b.xbadj;
  t.dx = kTableStep;
  const double xd = x_start + s_.lr;
  double zk = 0.0, yk = 0.0;
  bool z_amb = x_start >= xa_.z, y_amb = x_start >= xa_.y;
  // Virtual sigmas (AERMOD WAKE_DFSN2): σ² = host² + σv² beyond the transition, σv² the excess
  // of the wake's σ² over the host's there (0 when the wake's is smaller).
  auto excess = [](double s_wake, double s_host) { return std::sqrt(std::max(s_wake * s_wake - s_host * s_host, 0.0)); };
  const HostSigma h0 = host_(std::max(t.x0, 1e-3));
  double vsz = z_amb ? excess(sz, h0.z) : 0.0, vsy = y_amb ? excess(sy, h0.y) : 0.0;
  t.sz.push_back(sz);
  t.sy.push_back(sy);
  const int n = static_cast<int>(std::ceil((x_end - x_start) / t.dx)) + 1;
  for (int i = 1; i <= n; ++i) {
    const double xold = x_start + (i - 1) * t.dx, x = x_start + i * t.dx;
    const WakeTurbulence ti = wake_turbulence(in_.iz_amb, in_.iy_amb, 0.5 * (x + xold), b.length, s_.R);
    const WakeDim wd = wake_dim(x, b.height, b.width, s_.R);
    auto grow = [&](double sg, double turb, double scale, double& k) {
      if (x <= xd) return sg + t.dx * turb;
      if (xold < xd) {  // the switch from the PDF form to the wake diffusivity
        const double sd = sg + (xd - xold) * turb;
        k = 2.0 * sd / scale;
        return std::sqrt(sd * sd + (x - xd) * k * turb * scale);
      }
      return std::sqrt(sg * sg + t.dx * k * turb * scale);
    };
    const HostSigma hold = host_(std::max(xold + b.xbadj, 1e-3)), h = host_(std::max(x + b.xbadj, 1e-3));
    if (!z_amb && xold >= xa_.z) {
      z_amb = true;
      vsz = excess(sz, hold.z);
    }
    if (!y_amb && xold >= xa_.y) {
      y_amb = true;
      vsy = excess(sy, hold.y);
    }
    sz = z_amb ? std::hypot(h.z, vsz) : grow(sz, ti.iz, wd.height, zk);
    sy = y_amb ? std::hypot(h.y, vsy) : grow(sy, ti.iy, 2.0 * wd.half_width, yk);
    t.sz.push_back(sz);
    t.sy.push_back(sy);
  }
  const HostSigma he = host_(std::max(t.x0 + (static_cast<double>(t.sz.size()) - 1.0) * t.dx, 1e-3));
  t.vsz = excess(t.sz.back(), he.z);
  t.vsy = excess(t.sy.back(), he.y);
  return t;
}

void PrimePlume::build_wake(double xi, double syi, double szi) {
  const double xamx = std::max(xa_.z, xa_.y);
  if (xi >= xamx) return;  // enters where the wake turbulence is already ambient
  wake_ = grow_table(xi, syi, szi, xamx);
  has_wake_ = true;
}

void PrimePlume::build_cavity(double syi) {
  const BuildingSector& b = in_.building;
  const double xcave = b.length + s_.lr;
  if (xi_ >= xcave) return;  // the plume enters the wake beyond the cavity: nothing captured
  // Cavity source sigmas (PRIME WAKE_CAV0): the captured plume as a top-hat no wider than the
  // building, the width scale between H/3 and 3H; σz from the cavity height.
  auto cav_sy = [&](double sy) {
    const double wcapt = std::min(kSqrt2Pi * sy, b.width);
    return std::max({std::min(b.width, 3.0 * b.height), b.height / 3.0, wcapt}) / kSqrt2Pi;
  };
  sycav0_ = cav_sy(syi);
  if (xi_ < b.length && has_wake_) sycav0_ = std::max(sycav0_, cav_sy(at(wake_, b.length + b.xbadj).y));
  const double hcav = s_.lc < b.length ? b.height : s_.hr;
  szcav0_ = std::sqrt(2.0 / std::numbers::pi) * (in_.u_building / std::max(in_.u_stack, 0.1)) * hcav / 3.0;
  // The cavity source starts at the lee face (or where the plume enters, if later).
  cav_ = grow_table(std::clamp(xi_, b.length, xcave), sycav0_, szcav0_, std::max({xa_.z, xa_.y, xcave}));
  has_cav_ = true;
}

void PrimePlume::capture() {
  // PRIME WAKE_FQC: the largest fraction of the plume inside the cavity between the entry (or the
  // lee face) and the cavity's end, capped by the fraction below H at the end.
  const BuildingSector& b = in_.building;
  const double xbstart = std::max(xi_, b.length), xbend = b.length + s_.lr;
  const double yba = std::abs(b.ybadj);
  const double xend = xbend + b.xbadj;
  const HostSigma se = wake_sigmas(xend);
  const double fz0 = fraction_between(centreline_height(xend), se.z, b.height);
  const double range = 0.99 * (xbend - xbstart);
  const int nstep = std::max(5, static_cast<int>(1.0 + range / 10.0));
  fq_ = 0.0;
  for (int i = 0; i <= nstep; ++i) {
    const double xb = xbstart + i * range / nstep, x = xb + b.xbadj;
    if (x <= 0.0) continue;
    const WakeDim c = cavity_dim(b, s_, xb);
    const HostSigma s = wake_sigmas(x);
    const double fz = std::min(fraction_between(centreline_height(x), s.z, c.height), fz0);
    fq_ = std::max(fq_, fz * fraction_between(yba, s.y, c.half_width));
  }
  // Fluctuations of the cavity boundary: at most 1 at 85 % of the cavity, falling to 0 at its end.
  const double xb85 = b.length + 0.85 * s_.lr;
  if (xbstart > xb85) fq_ = std::min(fq_, std::max(0.0, 1.0 - (xbstart - xb85) / (xbend - xb85)));
}

HostSigma PrimePlume::at(const Table& t, double x) const {
  const double xend = t.x0 + (static_cast<double>(t.sz.size()) - 1.0) * t.dx;
  if (x >= xend) {
    const HostSigma h = host_(x);
    return {std::hypot(h.y, t.vsy), std::hypot(h.z, t.vsz)};
  }
  const double f = std::max(x - t.x0, 0.0) / t.dx;
  const std::size_t i = std::min(static_cast<std::size_t>(f), t.sz.size() - 2);
  const double w = f - static_cast<double>(i);
  return {t.sy[i] + w * (t.sy[i + 1] - t.sy[i]), t.sz[i] + w * (t.sz[i + 1] - t.sz[i])};
}

double PrimePlume::centreline_height(double x) const noexcept {
  if (x <= 0.0) return traj_.front();
  const double f = x / traj_dx_;
  if (f >= static_cast<double>(traj_.size() - 1)) return traj_.back();
  const std::size_t i = static_cast<std::size_t>(f);
  const double w = f - static_cast<double>(i);
  return traj_[i] + w * (traj_[i + 1] - traj_[i]);
}

HostSigma PrimePlume::wake_sigmas(double x) const {
  if (has_wake_ && x >= wake_.x0) return at(wake_, x);
  // Outside the wake: the host curves with the buoyancy-induced dispersion of the rise.
  HostSigma s = host_(std::max(x, 1e-3));
  const double bid = std::max(centreline_height(x) - in_.release_height, 0.0) / kBidDivisor;
  return {std::hypot(s.y, bid), std::hypot(s.z, bid)};
}

double PrimePlume::concentration(double x, double y, double z) const {
  if (x <= 0.0 || in_.q == 0.0) return 0.0;
  const BuildingSector& b = in_.building;
  const double u = std::max(in_.u_stack, 0.1);
  const double xb = x - b.xbadj, yb = y - b.ybadj;
  const WakeRegion pos = wake_region(b, s_, xb, yb, z);
  const bool lid = std::isfinite(in_.lid) && in_.lid > 0.0;
  auto vertical = [&](double he, double sz, double zr) {
    auto g = [&](double d) { return std::exp(-d * d / (2.0 * sz * sz)); };
    double v = g(zr - he) + g(zr + he);
    if (lid && he < in_.lid && zr <= in_.lid) {
      if (sz >= 1.6 * in_.lid) return kSqrt2Pi * sz / in_.lid;
      for (int n = 1; n <= 6; ++n) {
        const double d = 2.0 * n * in_.lid;
        v += g(zr - he + d) + g(zr + he + d) + g(zr - he - d) + g(zr + he - d);
      }
    }
    return v;
  };
  double c = 0.0;
  const bool in_cavity = fq_ > 0.0 && (pos == WakeRegion::building || pos == WakeRegion::near_wake);
  if (fq_ < 1.0 && !in_cavity) {
    const HostSigma s = wake_sigmas(x);
    const double he = centreline_height(x);
    c += (1.0 - fq_) * in_.q / (2.0 * std::numbers::pi * u * s.y * s.z) * std::exp(-y * y / (2.0 * s.y * s.y)) *
         vertical(he, s.z, z);
  }
  if (fq_ > 0.0 && pos != WakeRegion::outside) {
    // The cavity sources (PRIME CAV_SRC): "inside" (the initial sigmas) and "outside" (the
    // cavity plume growing in the wake), blended over 0.85-1.15 LR; the receptor's height above
    // the cavity top.
    const double x115 = b.length + 1.15 * s_.lr, x85 = b.length + 0.85 * s_.lr;
    double q_out = 0.0, q_in = 0.0;
    if (xb >= x115) q_out = 1.0;
    else if (xb > x85) { q_out = (xb - x85) / (x115 - x85); q_in = 1.0 - q_out; }
    else if (xb > b.length) q_in = 1.0;
    else q_in = std::max(0.0, xb / b.length);
    const double wtop = sycav0_ * kSqrt2Pi, ybmax = 0.5 * (b.width - wtop);
    const double ysb = -b.ybadj;
    const double yc = ybmax <= 0.0 ? yb : yb - std::clamp(ysb, -ybmax, ybmax);
    double zc = 0.0;
    if (!in_cavity) zc = xb >= b.length + s_.lr ? z : std::max(0.0, z - cavity_dim(b, s_, xb).height);
    auto ground_source = [&](double sy, double sz) {
      return in_.q * fq_ / (std::numbers::pi * u * sy * sz) * std::exp(-yc * yc / (2.0 * sy * sy) - zc * zc / (2.0 * sz * sz));
    };
    if (q_in > 0.0) c += q_in * ground_source(sycav0_, szcav0_);
    if (q_out > 0.0) {
      const HostSigma sc = x >= cav_.x0 ? at(cav_, x) : HostSigma{sycav0_, szcav0_};
      c += q_out * ground_source(sc.y, sc.z);
    }
  }
  return c;
}

double PrimePlume::gamma(double x, double y, double z) const noexcept {
  const BuildingSector& b = in_.building;
  const double xb = x - b.xbadj, yb = std::abs(y - b.ybadj);
  // AERMOD PRMCALC: a plume that never enters the wake keeps the host's value.
  if (xb <= 0.0 || !b.present() || !std::isfinite(xi_)) return 0.0;
  const WakeDim w = wake_dim(xb, b.height, b.width, s_.R);
  const double len = std::max(15.0 * s_.R, std::max(xa_uncapped_.z, xa_uncapped_.y));
  auto arg = [](double v, double s) { return v <= s ? 0.0 : -(v - s) * (v - s) / (2.0 * s * s); };
  const double a = arg(xb, len) + arg(yb, w.half_width) + arg(z, w.height);
  return a < -50.0 ? 0.0 : std::exp(a);
}

}  // namespace lantian::solver
