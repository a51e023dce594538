#include "meteo/station_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "meteo/surface_profile.hpp"

namespace lantian::meteo {

std::vector<double> idw_weights(const std::vector<XY>& stations, XY p) {
  std::vector<double> w(stations.size(), 0.0);
  double sum = 0.0;
  for (std::size_t k = 0; k < stations.size(); ++k) {
    const double dx = stations[k].x - p.x, dy = stations[k].y - p.y;
    const double d2 = dx * dx + dy * dy;
    if (d2 < 1.0) {  // within 1 m: the station's own values
      std::fill(w.begin(), w.end(), 0.0);
      w[k] = 1.0;
      return w;
    }
    w[k] = 1.0 / d2;
    sum += w[k];
  }
  for (double& x : w) x /= sum;
  return w;
}

StationNetworkMet::StationNetworkMet(Grid grid, std::vector<StationMet> stations, std::vector<LonLat> positions,
                                     KzParams kz, std::string source)
    : grid_(std::move(grid)), stations_(std::move(stations)), kz_(kz), source_(std::move(source)) {
  LANTIAN_CHECK(stations_.size() >= 2 && positions.size() == stations_.size(), (ErrorContext{source_, 0, ""}),
                "expected at least 2 stations, each with its position");
  coverage_ = stations_.front().coverage();
  for (const StationMet& s : stations_) {
    const auto [a, b] = s.coverage();
    coverage_.first = std::max(coverage_.first, a);
    coverage_.second = std::min(coverage_.second, b);
  }
  LANTIAN_CHECK(coverage_.first <= coverage_.second, (ErrorContext{source_, 0, ""}),
                "the station files have no hour in common");
  std::vector<XY> xy;
  for (const LonLat& p : positions) xy.push_back(grid_.project(p.lon, p.lat));
  nx_ = static_cast<std::size_t>(grid_.nx());
  weights_.reserve(nx_ * static_cast<std::size_t>(grid_.ny()));
  for (int j = 0; j < grid_.ny(); ++j)
    for (int i = 0; i < grid_.nx(); ++i) weights_.push_back(idw_weights(xy, {grid_.x_centre(i), grid_.y_centre(j)}));
}

std::pair<UtcHour, UtcHour> StationNetworkMet::coverage() const { return coverage_; }

MetState StationNetworkMet::at(UtcHour t) const {
  // Outside the common hours: the station that lacks t says so (its own error, naming its file).
  std::vector<SurfaceValues> s;
  s.reserve(stations_.size());
  for (const StationMet& st : stations_) s.push_back(st.surface_at(t));
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<SurfaceValues> cells(weights_.size());
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::vector<double>& w = weights_[c];
    SurfaceValues v = s.front();  // z0 and anything not averaged
    v.u10 = v.v10 = v.t2 = v.rh2 = v.precip = v.pblh = v.ustar = v.shf = 0.0;
    double inv_l = 0.0;
    for (std::size_t k = 0; k < s.size(); ++k) {
      v.u10 += w[k] * s[k].u10;
      v.v10 += w[k] * s[k].v10;
      v.t2 += w[k] * s[k].t2;
      v.rh2 += w[k] * s[k].rh2;
      v.precip += w[k] * s[k].precip;
      v.pblh += w[k] * s[k].pblh;
      v.ustar += w[k] * s[k].ustar;
      v.shf += w[k] * s[k].shf;
      inv_l += w[k] * (std::isinf(s[k].obukhov) ? 0.0 : 1.0 / s[k].obukhov);
    }
    v.obukhov = inv_l == 0.0 ? kInf : 1.0 / inv_l;
    cells[c] = v;
  }
  return state_from_surface(grid_, t, cells, kz_);
}

}  // namespace lantian::meteo
