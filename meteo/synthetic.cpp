#include "meteo/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "core/error.hpp"
#include "core/plausible.hpp"

namespace lantian::meteo {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDryAdiabatic = 0.0098;  // K/m
constexpr double kStandardLapse = 0.0065; // K/m
constexpr double kRhScaleHeight = 1500.0; // m

struct Column {
  double s, pblh, u10, dir10, ustar, shf, t2, rh2, obukhov;
};

double wind_speed_at(const SyntheticEpisode& e, const Column& c, double z) {
  const double zz = std::clamp(z, e.z0 * 1.0001, c.pblh);
  return c.u10 * std::log(zz / e.z0) / std::log(10.0 / e.z0);
}

double direction_at(const SyntheticEpisode& e, const Column& c, double z) {
  return c.dir10 + e.veer_in_bl * std::min(z / c.pblh, 1.0);
}

// Grid components (u east, v north) of a wind of speed `sp` blowing from `dir` degrees.
void components(double sp, double dir, double& u, double& v) {
  const double r = dir * kPi / 180.0;
  u = -sp * std::sin(r);
  v = -sp * std::cos(r);
}

}  // namespace

void SyntheticEpisode::validate() const {
  auto bad = [](const char* key, const std::string& msg) { throw Error(ErrorContext{"", 0, key}, msg); };
  if (hours <= 0) bad("hours", "expected a positive number of hours, found " + std::to_string(hours));
  if (!(pblh_night > 0.0 && pblh_night <= pblh_peak)) bad("pblh_night", "expected 0 < pblh_night <= pblh_peak");
  if (!(wind_min > 0.0 && wind_min <= wind_max)) bad("wind_min", "expected 0 < wind_min <= wind_max");
  if (!(z0 > 0.0 && z0 < 2.0)) bad("z0", "expected a roughness length in (0, 2) m");
  if (!(rh_start >= 0.0 && rh_start <= 100.0 && rh_end >= 0.0 && rh_end <= 100.0)) bad("rh_start", "expected RH in 0..100 %");
  if (!(t_mean > 150.0 && t_mean < 350.0)) bad("t_mean", "expected a temperature in K");
  if (!(inversion_depth > 0.0)) bad("inversion_depth", "expected a positive depth, m");
  if (!(p_surface > 0.0)) bad("p_surface", "expected a positive pressure, Pa");
  // Plausible ranges (core/plausible.hpp): the values and the extremes of their daily cycles.
  auto plausible = [](const char* key, Quantity q, double v) { check_plausible(q, v, ErrorContext{"", 0, key}); };
  plausible("pblh_night", Quantity::mixing_height, pblh_night);
  plausible("pblh_peak", Quantity::mixing_height, pblh_peak);
  plausible("wind_min", Quantity::wind_speed, wind_min);
  plausible("wind_max", Quantity::wind_speed, wind_max);
  plausible("t_mean", Quantity::air_temperature, t_mean);
  if (!std::isfinite(t_amplitude) || t_amplitude < 0.0)
    bad("t_amplitude", "expected a half diurnal range >= 0 K, found " + plausible_number(t_amplitude));
  plausible("t_amplitude", Quantity::air_temperature, t_mean - t_amplitude);
  plausible("t_amplitude", Quantity::air_temperature, t_mean + t_amplitude);
  plausible("rh_start", Quantity::relative_humidity, rh_start);
  plausible("rh_end", Quantity::relative_humidity, rh_end);
  plausible("h_night", Quantity::sensible_heat_flux, h_night);
  plausible("h_peak", Quantity::sensible_heat_flux, h_peak);
  check_plausible(Quantity::surface_pressure, p_surface / 100.0, ErrorContext{"", 0, "p_surface"},
                  plausible_number(p_surface) + " Pa");
  for (const auto& [key, v] : {std::pair{"dir_start", dir_start}, std::pair{"veer_per_day", veer_per_day},
                               std::pair{"veer_in_bl", veer_in_bl}, std::pair{"inversion", inversion},
                               std::pair{"rh_amplitude", rh_amplitude}, std::pair{"inversion_depth", inversion_depth}})
    if (!std::isfinite(v) || std::abs(v) > 1e6) bad(key, "expected a finite value of at most 1e6 in size, found " + plausible_number(v));
}

SyntheticMet::SyntheticMet(Grid grid, SyntheticEpisode episode)
    : grid_(std::move(grid)), ep_(std::move(episode)), tz_(ep_.time_zone) {
  ep_.validate();
}

std::pair<UtcHour, UtcHour> SyntheticMet::coverage() const { return {ep_.start, ep_.start + ep_.hours - 1}; }

MetState SyntheticMet::at(UtcHour t) const {
  const auto [first, last] = coverage();
  LANTIAN_CHECK(t >= first && t <= last, (ErrorContext{"synthetic episode", 0, ""}),
                "no meteorology at " + format_utc(t) + ": the episode covers " + format_utc(first) + " to " +
                    format_utc(last));
  const SyntheticEpisode& e = ep_;
  const double h = tz_.local_hour_of_day(t);
  const double t_days = static_cast<double>(t - e.start) / 24.0;
  const double diurnal = std::cos(2.0 * kPi * (h - 14.0) / 24.0);

  Column c{};
  c.s = std::max(0.0, std::sin(kPi * (h - 8.0) / 12.0));
  c.pblh = e.pblh_night + (e.pblh_peak - e.pblh_night) * c.s;
  c.u10 = e.wind_min + (e.wind_max - e.wind_min) * c.s;
  c.dir10 = e.dir_start + e.veer_per_day * t_days;
  c.ustar = kVonKarman * c.u10 / std::log(10.0 / e.z0);
  c.shf = e.h_night + (e.h_peak - e.h_night) * c.s;
  c.t2 = e.t_mean + e.t_amplitude * diurnal;
  c.rh2 = std::clamp(e.rh_start + (e.rh_end - e.rh_start) * static_cast<double>(t - e.start) / e.hours -
                         e.rh_amplitude * diurnal,
                     0.0, 100.0);
  c.obukhov = monin_obukhov_length(c.ustar, c.shf, c.t2, air_density(e.p_surface, c.t2));

  auto temperature = [&](double z) {
    return c.t2 + (1.0 - c.s) * e.inversion * (1.0 - std::exp(-z / e.inversion_depth)) -
           c.s * kDryAdiabatic * std::min(z, c.pblh) - kStandardLapse * std::max(z - c.pblh, 0.0);
  };
  auto humidity = [&](double z) { return z <= c.pblh ? c.rh2 : c.rh2 * std::exp(-(z - c.pblh) / kRhScaleHeight); };

  MetState m = MetState::zeros(grid_, t);
  const int nx = grid_.nx(), ny = grid_.ny(), nz = grid_.nz();
  for (int k = 0; k < nz; ++k) {
    const double z = grid_.z_centre(k);
    double u = 0.0, v = 0.0;
    components(wind_speed_at(e, c, z), direction_at(e, c, z), u, v);
    const double tk = temperature(z), rk = humidity(z);
    for (int j = 0; j <= ny; ++j)
      for (int i = 0; i <= nx; ++i) {
        if (j < ny) m.u(i, j, k) = u;
        if (i < nx) m.v(i, j, k) = v;
        if (i < nx && j < ny) {
          m.t(i, j, k) = tk;
          m.rh(i, j, k) = rk;
        }
      }
  }
  for (int k = 0; k <= nz; ++k) {
    const double z = k < nz ? grid_.z_bottom(k) : grid_.z_top(nz - 1);
    const double kz = kz_profile(z, c.pblh, c.ustar, c.obukhov, e.kz);
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) m.kz(i, j, k) = kz;
  }
  double u10 = 0.0, v10 = 0.0;
  components(c.u10, c.dir10, u10, v10);
  m.pblh.fill(c.pblh);
  m.ustar.fill(c.ustar);
  m.obukhov.fill(c.obukhov);
  m.shf.fill(c.shf);
  m.precip.fill(0.0);
  m.u10.fill(u10);
  m.v10.fill(v10);
  m.t2.fill(c.t2);
  m.rh2.fill(c.rh2);
  return m;
}

}  // namespace lantian::meteo
