#include "meteo/met_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace lantian::meteo {

namespace {

template <class F>
bool same_shape(const F& a, const F& b) {
  return a.size() == b.size() && a.nx() == b.nx() && a.ny() == b.ny();
}

// out = (1 - a) x + a y over the whole storage (identical layouts checked by the caller).
template <class F>
F lerp_field(const F& x, const F& y, double a) {
  F out = x;
  double* o = out.data();
  const double* p = x.data();
  const double* q = y.data();
  for (std::size_t n = 0; n < out.size(); ++n) o[n] = (1.0 - a) * p[n] + a * q[n];
  return out;
}

}  // namespace

MetState MetState::zeros(const Grid& grid, UtcHour time) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  MetState s;
  s.time = time;
  s.u = Field3D<double>(nx + 1, ny, nz, 0, 0, 0.0, Stagger::x_face);
  s.v = Field3D<double>(nx, ny + 1, nz, 0, 0, 0.0, Stagger::y_face);
  s.w = Field3D<double>(nx, ny, nz + 1, 0, 0, 0.0, Stagger::z_face);
  s.t = Field3D<double>(nx, ny, nz);
  s.rh = Field3D<double>(nx, ny, nz);
  s.kz = Field3D<double>(nx, ny, nz + 1, 0, 0, 0.0, Stagger::z_face);
  for (Field2D<double>* f : {&s.pblh, &s.ustar, &s.obukhov, &s.shf, &s.precip, &s.u10, &s.v10, &s.t2, &s.rh2})
    *f = Field2D<double>(nx, ny);
  return s;
}

MetState interpolate(const MetState& s0, const MetState& s1, double a, UtcHour time) {
  const bool ok = same_shape(s0.u, s1.u) && same_shape(s0.v, s1.v) && same_shape(s0.w, s1.w) &&
                  same_shape(s0.t, s1.t) && same_shape(s0.rh, s1.rh) && same_shape(s0.kz, s1.kz) &&
                  same_shape(s0.pblh, s1.pblh) && s0.t.nz() == s1.t.nz();
  LANTIAN_CHECK(ok, (ErrorContext{"", 0, "MetState"}),
                "cannot interpolate between states of different shapes (" + std::to_string(s0.nx()) + "x" +
                    std::to_string(s0.ny()) + "x" + std::to_string(s0.nz()) + " and " + std::to_string(s1.nx()) +
                    "x" + std::to_string(s1.ny()) + "x" + std::to_string(s1.nz()) + ")");
  MetState s;
  s.time = time;
  s.u = lerp_field(s0.u, s1.u, a);
  s.v = lerp_field(s0.v, s1.v, a);
  s.w = lerp_field(s0.w, s1.w, a);
  s.t = lerp_field(s0.t, s1.t, a);
  s.rh = lerp_field(s0.rh, s1.rh, a);
  s.kz = lerp_field(s0.kz, s1.kz, a);
  s.pblh = lerp_field(s0.pblh, s1.pblh, a);
  s.ustar = lerp_field(s0.ustar, s1.ustar, a);
  s.shf = lerp_field(s0.shf, s1.shf, a);
  s.precip = lerp_field(s0.precip, s1.precip, a);
  s.u10 = lerp_field(s0.u10, s1.u10, a);
  s.v10 = lerp_field(s0.v10, s1.v10, a);
  s.t2 = lerp_field(s0.t2, s1.t2, a);
  s.rh2 = lerp_field(s0.rh2, s1.rh2, a);
  // L through 1/L: continuous across neutral, where L jumps from +inf to -inf.
  s.obukhov = s0.obukhov;
  for (std::size_t n = 0; n < s.obukhov.size(); ++n) {
    const double inv = (1.0 - a) / s0.obukhov.data()[n] + a / s1.obukhov.data()[n];
    s.obukhov.data()[n] = inv == 0.0 ? std::numeric_limits<double>::infinity() : 1.0 / inv;
  }
  return s;
}

MetSeries::MetSeries(std::vector<MetState> states, std::string source)
    : states_(std::move(states)), source_(std::move(source)) {
  LANTIAN_CHECK(!states_.empty(), (ErrorContext{source_, 0, ""}), "expected at least one meteorological time, found none");
  for (std::size_t n = 1; n < states_.size(); ++n) {
    const UtcHour a = states_[n - 1].time, b = states_[n].time;
    LANTIAN_CHECK(b > a, (ErrorContext{source_, 0, "time"}),
                  std::string(b == a ? "duplicate time " : "times out of order: ") + format_utc(b) +
                      (b == a ? "" : " after " + format_utc(a)) + "; expected strictly increasing times");
    LANTIAN_CHECK(states_[n].nx() == states_[0].nx() && states_[n].ny() == states_[0].ny() &&
                      states_[n].nz() == states_[0].nz(),
                  (ErrorContext{source_, 0, "time " + format_utc(b)}), "grid shape differs from the first time");
  }
}

std::pair<UtcHour, UtcHour> MetSeries::coverage() const { return {states_.front().time, states_.back().time}; }

MetState MetSeries::at(UtcHour t) const {
  const auto [first, last] = coverage();
  LANTIAN_CHECK(t >= first && t <= last, (ErrorContext{source_, 0, ""}),
                "no meteorology at " + format_utc(t) + ": the input covers " + format_utc(first) + " to " +
                    format_utc(last));
  const auto it = std::lower_bound(states_.begin(), states_.end(), t,
                                   [](const MetState& s, UtcHour h) { return s.time < h; });
  if (it->time == t) return *it;
  const MetState& s1 = *it;
  const MetState& s0 = *(it - 1);
  const double a = static_cast<double>(t - s0.time) / static_cast<double>(s1.time - s0.time);
  return interpolate(s0, s1, a, t);
}

}  // namespace lantian::meteo
