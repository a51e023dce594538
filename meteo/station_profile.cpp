#include "meteo/station_profile.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <string_view>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "meteo/regrid.hpp"
#include "meteo/surface_profile.hpp"

namespace lantian::meteo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr std::array<std::string_view, 12> kColumns = {
    "time",         "wind10_m_s", "wind10_dir_deg", "t2_c",     "rh2_pct",  "pblh_m",
    "cloud_tenths", "ceiling_m",  "precip_mm_h",    "ustar_m_s", "shf_w_m2", "pressure_hpa"};
constexpr std::size_t kRequired = 5;  // the first five columns (pblh_m, the sixth, is optional)
constexpr std::size_t kPblh = 5;
constexpr int kLongestGap = 3;          // missing hours filled by interpolation
constexpr double kCalmMax = 0.5;        // m/s: a calm direction needs a slower wind

constexpr std::string_view kBlanks = " \t\r";

/// How this file marks a missing value (completes the message on a missing-value code).
constexpr std::string_view kBlankHint = "leave the cell blank for a missing value";
constexpr std::string_view kFillHint = "this column is required every hour: fill the hour from a neighbouring one or another station";

double celsius_to_kelvin(double c) { return c + 273.15; }

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    const std::string_view cell =
        std::string_view(line).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    out.emplace_back(trim(cell, kBlanks, kBlanks));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool is_calm_word(std::string_view s) {
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "cv" || l == "calm";
}

double lerp(double a, double b, double f) { return a + f * (b - a); }

// A value that may be missing (NaN) or unlimited (+inf) at either end: interpolated only when
// both ends are finite, else missing when either is, else the unlimited value.
double lerp_optional(double a, double b, double f) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  if (std::isinf(a) || std::isinf(b)) return f < 0.5 ? a : b;
  return lerp(a, b, f);
}

// The hour at fraction f (0..1) of the way from a to b: linear in time; the direction along
// the shorter arc, or the other end's direction when one end is a calm (below 0.5 m/s).
StationHour interpolate(const StationHour& a, const StationHour& b, double f) {
  StationHour h;
  h.time = a.time + static_cast<UtcHour>(std::lround(f * static_cast<double>(b.time - a.time)));
  h.wind10 = lerp(a.wind10, b.wind10, f);
  if (a.wind10 < kCalmMax && b.wind10 >= kCalmMax) {
    h.wind_dir = b.wind_dir;
  } else if (b.wind10 < kCalmMax && a.wind10 >= kCalmMax) {
    h.wind_dir = a.wind_dir;
  } else {
    const double d = std::remainder(b.wind_dir - a.wind_dir, 360.0);  // -180..180
    h.wind_dir = std::fmod(a.wind_dir + f * d + 360.0, 360.0);
  }
  h.t2 = lerp(a.t2, b.t2, f);
  h.rh2 = lerp(a.rh2, b.rh2, f);
  h.pblh = lerp_optional(a.pblh, b.pblh, f);
  h.cloud = lerp(a.cloud, b.cloud, f);
  h.ceiling = lerp_optional(a.ceiling, b.ceiling, f);
  h.precip = lerp(a.precip, b.precip, f);
  h.ustar = lerp_optional(a.ustar, b.ustar, f);
  h.shf = lerp_optional(a.shf, b.shf, f);
  h.pressure = lerp(a.pressure, b.pressure, f);
  h.interpolated = true;
  return h;
}

}  // namespace

std::vector<StationHour> read_station_csv(const std::string& path, const StationOptions& options,
                                          std::vector<std::string>* warnings) {
  std::ifstream in(path);
  LANTIAN_CHECK(in.good(), (ErrorContext{path, 0, ""}), "cannot open the station profile CSV");
  const TimeZone tz(options.time_zone);
  std::string line;
  long lineno = 0;
  std::array<int, kColumns.size()> col{};
  col.fill(-1);
  bool header = false;
  std::vector<StationHour> hours;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t(trim(line, kBlanks, kBlanks));
    if (t.empty() || t[0] == '#') continue;
    const auto cells = split(t);
    if (!header) {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const auto it = std::find(kColumns.begin(), kColumns.end(), cells[c]);
        if (it == kColumns.end()) {
          const std::string hint = nearest_name(cells[c], std::span<const std::string_view>(kColumns));
          throw Error(ErrorContext{path, lineno, cells[c]},
                      "unknown column" + (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)") +
                          "; expected time, wind10_m_s, wind10_dir_deg, t2_c, rh2_pct and optionally pblh_m, "
                          "cloud_tenths, ceiling_m, precip_mm_h, ustar_m_s, shf_w_m2, pressure_hpa");
        }
        const auto k = static_cast<std::size_t>(it - kColumns.begin());
        LANTIAN_CHECK(col[k] < 0, (ErrorContext{path, lineno, cells[c]}), "duplicate column");
        col[k] = static_cast<int>(c);
      }
      for (std::size_t k = 0; k < kRequired; ++k)
        LANTIAN_CHECK(col[k] >= 0, (ErrorContext{path, lineno, std::string(kColumns[k])}), "missing required column");
      header = true;
      continue;
    }
    // Reads column k: NaN when absent or blank (an error when required). The value must be
    // plausible for `q` (core/plausible.hpp) after `to_table(v)` converts it to the table's unit;
    // [lo, hi] is a stricter range of this reader (e.g. a mixing height of at least 1 m).
    auto value = [&](std::size_t k, Quantity q, const char* what, double lo = -kInf, double hi = kInf,
                     double (*to_table)(double) = nullptr, const char* unit = "") -> double {
      const std::string name(kColumns[k]);
      if (col[k] < 0) return kNaN;
      LANTIAN_CHECK(static_cast<std::size_t>(col[k]) < cells.size(), (ErrorContext{path, lineno, name}),
                    "missing value (the row has " + std::to_string(cells.size()) + " cells)");
      const std::string& s = cells[static_cast<std::size_t>(col[k])];
      if (s.empty()) {
        LANTIAN_CHECK(k >= kRequired, (ErrorContext{path, lineno, name}), std::string("expected ") + what + ", found a blank");
        return kNaN;
      }
      double v = 0.0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      LANTIAN_CHECK(r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v),
                    (ErrorContext{path, lineno, name}), std::string("expected ") + what + ", found '" + s + "'");
      const double tv = to_table ? to_table(v) : v;
      const std::string written = *unit ? s + " " + unit : s;
      // A code is judged as written (-99 °C is a code, 174.15 K is not).
      const bool code = is_missing_code(v) && !is_plausible(q, v);
      if (code || !is_plausible(q, tv))
        throw Error(ErrorContext{path, lineno, name},
                    std::string("expected ") + what + ", found " + s + ": " +
                        implausible_message(q, code ? v : tv, written, k >= kRequired ? kBlankHint : kFillHint));
      LANTIAN_CHECK(v >= lo && v <= hi, (ErrorContext{path, lineno, name}),
                    std::string("expected ") + what + ", found " + s);
      return v;
    };
    auto cell = [&](std::size_t k) -> std::string {
      return col[k] >= 0 && static_cast<std::size_t>(col[k]) < cells.size() ? cells[static_cast<std::size_t>(col[k])]
                                                                            : std::string();
    };
    // A calm (静风) written as text, as the Beijing PRSA data set's "cv": the direction is then
    // irrelevant (0), but only a wind below the starting threshold is a calm.
    auto calm_direction = [&](double speed) {
      if (!(speed < kCalmMax)) {
        std::string m = "found the calm direction '";
        m += cell(2);
        m += "' with a wind speed of ";
        m += cell(1);
        m += " m/s; expected a direction in degrees (0..360), or a speed below 0.5 m/s for a calm";
        throw Error(ErrorContext{path, lineno, std::string(kColumns[2])}, m);
      }
      return 0.0;
    };
    StationHour h;
    const std::string& ts = static_cast<std::size_t>(col[0]) < cells.size() ? cells[static_cast<std::size_t>(col[0])] : "";
    try {
      h.time = parse_time(ts, tz);
    } catch (const Error& e) {
      throw Error(ErrorContext{path, lineno, "time"}, e.message());
    }
    using Q = Quantity;
    h.wind10 = value(1, Q::wind_speed, "a wind speed in m/s");
    h.wind_dir = is_calm_word(cell(2)) ? calm_direction(h.wind10)
                                        : value(2, Q::wind_direction, "a direction in degrees (0..360) or cv (calm)");
    h.t2 = value(3, Q::air_temperature, "a temperature in degrees Celsius", -kInf, kInf, &celsius_to_kelvin, "°C") + 273.15;
    h.rh2 = value(4, Q::relative_humidity, "a relative humidity in % (0..100)");
    h.pblh = value(kPblh, Q::mixing_height, "a mixing height in m (at least 1)", 1.0);
    const double cloud = value(6, Q::cloud_cover, "a cloud cover in tenths (0..10)");
    h.cloud = std::isnan(cloud) ? 0.0 : cloud / 10.0;
    const double ceiling = value(7, Q::ceiling, "a ceiling in m (> 0)");
    h.ceiling = std::isnan(ceiling) ? kInf : ceiling;
    const double precip = value(8, Q::precipitation, "a precipitation rate in mm/h");
    h.precip = std::isnan(precip) ? 0.0 : precip;
    h.ustar = value(9, Q::friction_velocity, "a friction velocity in m/s");
    h.shf = value(10, Q::sensible_heat_flux, "a sensible heat flux in W/m2");
    const double p = value(11, Q::surface_pressure, "a pressure in hPa");
    h.pressure = std::isnan(p) ? 101325.0 : p * 100.0;
    if (!hours.empty()) {
      const UtcHour prev = hours.back().time;
      LANTIAN_CHECK(h.time != prev, (ErrorContext{path, lineno, "time"}), "duplicate time " + format_utc(h.time));
      LANTIAN_CHECK(h.time > prev, (ErrorContext{path, lineno, "time"}),
                    "time " + format_utc(h.time) + " is before the previous row's " + format_utc(prev) +
                        "; expected increasing hours");
      const long missing = static_cast<long>(h.time - prev - 1);
      LANTIAN_CHECK(missing <= kLongestGap, (ErrorContext{path, lineno, "time"}),
                    "gap of " + std::to_string(missing) + " hour(s) after " + format_utc(prev) +
                        "; expected one row per hour (gaps of up to " + std::to_string(kLongestGap) +
                        " hours are interpolated)");
      if (missing > 0) {
        const StationHour a = hours.back();
        for (long m = 1; m <= missing; ++m)
          hours.push_back(interpolate(a, h, static_cast<double>(m) / static_cast<double>(missing + 1)));
        if (warnings) {
          std::string w = path;
          w += ":";
          w += std::to_string(lineno);
          w += ": time: ";
          w += std::to_string(missing);
          w += " missing hour(s) ";
          w += format_utc(prev + 1);
          w += missing > 1 ? " to " + format_utc(h.time - 1) : std::string();
          w += " interpolated linearly between ";
          w += format_utc(prev);
          w += " and ";
          w += format_utc(h.time);
          w += " (the wind direction along the shorter arc)";
          warnings->push_back(std::move(w));
        }
      }
    }
    hours.push_back(h);
  }
  LANTIAN_CHECK(header, (ErrorContext{path, 0, ""}), "expected a header line, found an empty file");
  LANTIAN_CHECK(!hours.empty(), (ErrorContext{path, lineno, ""}), "expected at least one hourly row, found none");
  return hours;
}

std::vector<StationDiagnosis> diagnose_station(const std::vector<StationHour>& hours, const StationOptions& opt) {
  std::vector<SurfaceObservation> obs;
  obs.reserve(hours.size());
  for (const StationHour& h : hours)
    obs.push_back({static_cast<double>(h.time), h.wind10, h.t2, h.pressure, h.cloud, h.ustar, h.shf});
  const std::vector<BoundaryLayerHour> bl = diagnose_boundary_layer(obs, opt.lat, opt.lon, opt.z0, opt.surface);
  std::vector<StationDiagnosis> out(hours.size());
  for (std::size_t n = 0; n < hours.size(); ++n) {
    const StationHour& h = hours[n];
    StationDiagnosis& d = out[n];
    d.boundary_layer = bl[n];
    const double rho = air_density(h.pressure, h.t2);
    if (std::isnan(h.pblh)) {
      // No observed mixing height: the diagnosis of surface_energy_balance.hpp (which already
      // uses observed u* and H when both are given).
      d.diagnosed = true;
      d.pblh = bl[n].h;
      d.ustar = bl[n].fluxes.ustar;
      d.shf = bl[n].fluxes.shf;
      d.obukhov = bl[n].fluxes.obukhov;
      d.stability = pasquill_from_obukhov(d.obukhov, opt.z0);
      continue;
    }
    d.pblh = h.pblh;
    d.ustar = std::isfinite(h.ustar) ? h.ustar : kVonKarman * std::max(h.wind10, 0.1) / std::log(10.0 / opt.z0);
    if (std::isfinite(h.ustar) && std::isfinite(h.shf)) {
      d.shf = h.shf;
      d.obukhov = monin_obukhov_length(d.ustar, d.shf, h.t2, rho);
      d.stability = pasquill_from_obukhov(d.obukhov, opt.z0);
    } else {
      // Night with EPA's one-hour margins around sunset and sunrise (turner_night).
      d.stability = turner_class(h.wind10, turner_net_radiation_index(static_cast<double>(h.time), opt.lat, opt.lon,
                                                                      h.cloud, h.ceiling));
      const double inv_l = golder_inverse_obukhov(d.stability, opt.z0);
      d.obukhov = inv_l == 0.0 ? kInf : 1.0 / inv_l;
      // H from the definition of L: H = -rho cp T u*^3 / (k g L)
      d.shf = std::isinf(d.obukhov) ? 0.0
                                    : -rho * kCpDryAir * h.t2 * d.ustar * d.ustar * d.ustar /
                                          (kVonKarman * kGravity * d.obukhov);
    }
  }
  return out;
}

StationMet::StationMet(Grid grid, std::vector<StationHour> hours, StationOptions options, std::string source)
    : grid_(std::move(grid)), hours_(std::move(hours)), opt_(std::move(options)), source_(std::move(source)) {
  LANTIAN_CHECK(!hours_.empty(), (ErrorContext{source_, 0, ""}), "expected at least one hour");
  for (std::size_t n = 1; n < hours_.size(); ++n)
    LANTIAN_CHECK(hours_[n].time == hours_[n - 1].time + 1, (ErrorContext{source_, 0, "time"}),
                  "expected consecutive hours, found " + format_utc(hours_[n].time) + " after " +
                      format_utc(hours_[n - 1].time));
  LANTIAN_CHECK(opt_.z0 > 0.0, (ErrorContext{source_, 0, "z0"}), "expected a positive roughness length, m");
  diag_ = diagnose_station(hours_, opt_);
  const double xc = 0.5 * (grid_.x_face(0) + grid_.x_face(grid_.nx()));
  const double yc = 0.5 * (grid_.y_face(0) + grid_.y_face(grid_.ny()));
  gamma_ = grid_north_angle(grid_, xc, yc);
}

std::pair<UtcHour, UtcHour> StationMet::coverage() const { return {hours_.front().time, hours_.back().time}; }

std::size_t StationMet::index(UtcHour t) const {
  const auto [first, last] = coverage();
  LANTIAN_CHECK(t >= first && t <= last, (ErrorContext{source_, 0, ""}),
                "no meteorology at " + format_utc(t) + ": the station profile covers " + format_utc(first) + " to " +
                    format_utc(last));
  return static_cast<std::size_t>(t - first);
}

const StationDiagnosis& StationMet::diagnosis_at(UtcHour t) const { return diag_[index(t)]; }

StabilityClass StationMet::stability_at(UtcHour t) const { return diagnosis_at(t).stability; }

MetState StationMet::at(UtcHour t) const { return state_from_surface(grid_, t, {surface_at(t)}, opt_.kz); }

SurfaceValues StationMet::surface_at(UtcHour t) const {
  const std::size_t n = index(t);
  const StationHour& h = hours_[n];
  const StationDiagnosis& d = diag_[n];
  SurfaceValues s;
  // Earth components of a wind blowing from wind_dir, then the grid's axes.
  const double r = h.wind_dir * std::numbers::pi / 180.0;
  const double ue = -h.wind10 * std::sin(r), ve = -h.wind10 * std::cos(r);
  s.u10 = ue * std::cos(gamma_) + ve * std::sin(gamma_);
  s.v10 = -ue * std::sin(gamma_) + ve * std::cos(gamma_);
  s.t2 = h.t2;
  s.rh2 = h.rh2;
  s.pblh = d.pblh;
  s.precip = h.precip;
  s.z0 = opt_.z0;
  // Kz (kz_profile) from these u*, L and h: at night the diagnosed stable u*, L and mechanical
  // height give k u* z (1 - z/h)^2 / phi_h(z/L) above the floor for all but calm hours.
  s.ustar = d.ustar;
  s.shf = d.shf;
  s.obukhov = d.obukhov;
  return s;
}

}  // namespace lantian::meteo
