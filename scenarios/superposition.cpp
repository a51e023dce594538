#include "scenarios/superposition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Weights above this are rejected with the infinite ones (a factor, not an emission).
constexpr double kMaxWeight = std::numeric_limits<double>::max();

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

void check_size(std::size_t found, std::size_t expected, const std::string& what) {
  if (found != expected)
    throw Error({"", 0, what}, "expected " + std::to_string(expected) + " values, found " + std::to_string(found));
}

}  // namespace

std::vector<double> Contributions::total() const {
  std::vector<double> out(stations * hours, 0.0);
  for (std::size_t t = 0; t < tags; ++t) {
    const double* ct = data.data() + t * stations * hours;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += ct[i];
  }
  return out;
}

void Contributions::validate() const {
  check_size(data.size(), tags * stations * hours, "contributions (tags x stations x hours)");
  if (!tag_names.empty() && tag_names.size() != tags)
    throw Error({"", 0, "contributions.tag_names"}, "expected one name per tag (" + std::to_string(tags) + "), found " +
                                                        std::to_string(tag_names.size()));
  if (background_tag < -1 || background_tag >= static_cast<int>(tags))
    throw Error({"", 0, "contributions.background_tag"},
                "expected -1 or a tag index below " + std::to_string(tags) + ", found " + std::to_string(background_tag));
  for (std::size_t i = 0; i < data.size(); ++i)
    if (!std::isfinite(data[i])) {
      const std::size_t h = i % hours, s = (i / hours) % stations, t = i / (hours * stations);
      throw Error({"", 0, "contributions[tag " + std::to_string(t) + "][station " + std::to_string(s) + "][hour " +
                              std::to_string(h) + "]"},
                  "expected a finite value");
    }
}

Contributions from_hour_receptor_source(std::span<const double> hrs, std::size_t hours, std::size_t receptors,
                                        std::size_t sources, std::size_t stations) {
  check_size(hrs.size(), hours * receptors * sources, "contributions [hour][receptor][source]");
  if (stations > receptors)
    throw Error({"", 0, "stations"}, "expected at most the " + std::to_string(receptors) + " receptors, found " +
                                         std::to_string(stations));
  Contributions c;
  c.tags = sources;
  c.stations = stations;
  c.hours = hours;
  c.data.resize(sources * stations * hours);
  for (std::size_t h = 0; h < hours; ++h)
    for (std::size_t s = 0; s < stations; ++s) {
      const double* row = hrs.data() + (h * receptors + s) * sources;
      for (std::size_t t = 0; t < sources; ++t) c.data[(t * stations + s) * hours + h] = row[t];
    }
  return c;
}

Contributions split_tag(const Contributions& c, std::size_t t, const Contributions& parts) {
  if (t >= c.tags)
    throw Error({"", 0, "split tag"}, "expected a tag index below " + std::to_string(c.tags) + ", found " + std::to_string(t));
  if (static_cast<int>(t) == c.background_tag)
    throw Error({"", 0, "split tag"}, "the background tag " + std::to_string(t) + " cannot be split");
  if (parts.stations != c.stations || parts.hours != c.hours)
    throw Error({"", 0, "split tag parts"}, "expected " + std::to_string(c.stations) + " stations x " +
                                                std::to_string(c.hours) + " hours, found " +
                                                std::to_string(parts.stations) + " x " + std::to_string(parts.hours));
  check_size(parts.data.size(), parts.tags * parts.stations * parts.hours, "split tag parts");
  const std::size_t block = c.stations * c.hours;
  Contributions out;
  out.stations = c.stations;
  out.hours = c.hours;
  out.tags = c.tags - 1 + parts.tags + 1;
  out.data.reserve(out.tags * block);
  const bool named = !c.tag_names.empty();
  for (std::size_t k = 0; k < c.tags; ++k) {
    if (k == t) continue;
    const auto ck = c.tag(k);
    out.data.insert(out.data.end(), ck.begin(), ck.end());
    if (named) out.tag_names.push_back(c.tag_names[k]);
  }
  std::vector<double> rest(c.tag(t).begin(), c.tag(t).end());
  for (std::size_t p = 0; p < parts.tags; ++p) {
    const auto cp = parts.tag(p);
    out.data.insert(out.data.end(), cp.begin(), cp.end());
    for (std::size_t i = 0; i < block; ++i) rest[i] -= cp[i];
    if (named)
      out.tag_names.push_back(parts.tag_names.size() == parts.tags ? parts.tag_names[p]
                                                                    : c.tag_names[t] + " part " + std::to_string(p));
  }
  out.data.insert(out.data.end(), rest.begin(), rest.end());
  if (named) out.tag_names.push_back(c.tag_names[t] + " (remainder)");
  out.background_tag = c.background_tag > static_cast<int>(t) ? c.background_tag - 1 : c.background_tag;
  return out;
}

void SuperpositionOptions::validate(std::size_t tags) const {
  if (age_hours.empty()) return;
  if (age_hours.size() != tags)
    throw Error({"", 0, "superposition.age_hours"}, "expected one age per tag (" + std::to_string(tags) + "), found " +
                                                        std::to_string(age_hours.size()));
  for (std::size_t t = 0; t < tags; ++t)
    if (!std::isfinite(age_hours[t]) || age_hours[t] < 0.0)
      throw Error({"", 0, "superposition.age_hours[" + std::to_string(t) + "]"},
                  "expected a finite age >= 0 h, found " + num(age_hours[t]));
}

void check_weights(const Contributions& c, std::span<const double> weights) {
  const std::size_t per = c.tags * c.hours;
  if (per == 0 || weights.size() % per != 0)
    throw Error({"", 0, "scenario weights"}, "expected a multiple of tags x hours = " + std::to_string(per) +
                                                 " values, found " + std::to_string(weights.size()));
  const std::size_t n = weights.size() / per;
  for (std::size_t sc = 0; sc < n; ++sc)
    for (std::size_t t = 0; t < c.tags; ++t) {
      const double* w = weights.data() + (sc * c.tags + t) * c.hours;
      const bool background = static_cast<int>(t) == c.background_tag;
      bool ok = true;
      // The background tag (inflow, initial state) is not the city's to cut; a regional cut of the
      // inflow (区域联防联控: Scenario::regional_cut) scales it by at most 1.
      const double top = background ? 1.0 : kMaxWeight;
      for (std::size_t h = 0; h < c.hours; ++h) ok &= w[h] >= 0.0 && w[h] <= top;
      if (ok) continue;
      std::size_t h = 0;
      while (w[h] >= 0.0 && w[h] <= top) ++h;
      const std::string where = "scenario " + std::to_string(sc) + " weight[tag " +
                                (c.tag_names.empty() ? std::to_string(t) : c.tag_names[t]) + "][hour " +
                                std::to_string(h) + "]";
      throw Error({"", 0, where}, background ? "the background tag's weight must lie in [0, 1] (a regional cut), found " + num(w[h])
                                             : "expected a finite weight >= 0, found " + num(w[h]));
    }
}

void effective_weights(const Contributions& c, const SuperpositionOptions& options, std::span<const double> weights,
                       std::span<double> out) {
  check_size(weights.size(), c.tags * c.hours, "scenario weights");
  check_size(out.size(), c.tags * c.hours, "effective weights");
  for (std::size_t t = 0; t < c.tags; ++t) {
    const double* w = weights.data() + t * c.hours;
    double* e = out.data() + t * c.hours;
    const double age = options.age_hours.empty() ? 0.0 : options.age_hours[t];
    if (age == 0.0) {
      std::copy(w, w + c.hours, e);
      continue;
    }
    // Exponential age distribution of a box with flushing time τ: w_eff[h] = r w_eff[h-1] + (1-r) w[h].
    const double r = std::exp(-1.0 / age);
    double prev = 1.0;  // the baseline before the horizon
    for (std::size_t h = 0; h < c.hours; ++h) {
      prev = r * prev + (1.0 - r) * w[h];
      e[h] = prev;
    }
  }
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// The library keeps its portable flags; GCC adds an AVX2 version picked at load time (ifunc), as
// solver/transport.cpp's row kernels. AVX2 without FMA: both versions give the same bits.
#define LANTIAN_SUPERPOSE_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define LANTIAN_SUPERPOSE_KERNEL
#endif

LANTIAN_SUPERPOSE_KERNEL void superpose_kernel(const Contributions& c, const double* w, double* out) noexcept {
  // Register blocking: kBlock hours of one station accumulate over every tag in registers (six
  // independent 256-bit add chains), so each multiply-add loads one weight and one contribution
  // and nothing is stored until the block is done. Each (s, h) sums tags in order from 0, as
  // Contributions::total() does, so unit weights give its bits exactly.
  constexpr std::size_t kBlock = 24;
  const std::size_t tags = c.tags, stations = c.stations, hours = c.hours;
  const double* __restrict data = c.data.data();
  for (std::size_t s = 0; s < stations; ++s) {
    double* __restrict os = out + s * hours;
    std::size_t hb = 0;
    for (; hb + kBlock <= hours; hb += kBlock) {
      double acc[kBlock] = {};
      for (std::size_t t = 0; t < tags; ++t) {
        const double* __restrict wt = w + t * hours + hb;
        const double* __restrict ct = data + (t * stations + s) * hours + hb;
        for (std::size_t j = 0; j < kBlock; ++j) acc[j] += wt[j] * ct[j];
      }
      for (std::size_t j = 0; j < kBlock; ++j) os[hb + j] = acc[j];
    }
    for (std::size_t h = hb; h < hours; ++h) {
      double acc = 0.0;
      for (std::size_t t = 0; t < tags; ++t) acc += w[t * hours + h] * data[(t * stations + s) * hours + h];
      os[h] = acc;
    }
  }
}

std::vector<double> superpose(const Contributions& c, std::span<const double> weights,
                              const SuperpositionOptions& options) {
  check_size(weights.size(), c.tags * c.hours, "scenario weights (tags x hours)");
  std::vector<double> out(c.stations * c.hours);
  superpose_batch(c, weights, out, options);
  return out;
}

void superpose_batch(const Contributions& c, std::span<const double> weights, std::span<double> out,
                     const SuperpositionOptions& options) {
  check_size(c.data.size(), c.tags * c.stations * c.hours, "contributions (tags x stations x hours)");
  options.validate(c.tags);
  check_weights(c, weights);
  const std::size_t per_w = c.tags * c.hours, per_out = c.stations * c.hours;
  const std::size_t n = weights.size() / per_w;
  check_size(out.size(), n * per_out, "superposed series (scenarios x stations x hours)");
  const bool lagged =
      std::any_of(options.age_hours.begin(), options.age_hours.end(), [](double a) { return a > 0.0; });
  std::vector<double> eff(lagged ? per_w : 0);
  for (std::size_t k = 0; k < n; ++k) {
    const double* w = weights.data() + k * per_w;
    if (lagged) {
      effective_weights(c, options, weights.subspan(k * per_w, per_w), eff);
      w = eff.data();
    }
    superpose_kernel(c, w, out.data() + k * per_out);
  }
}

std::string SuperpositionError::summary(std::span<const std::string> station_names) const {
  if (stations.empty()) return "superposition vs re-run: no stations";
  const std::string worst = worst_station < station_names.size() ? station_names[worst_station]
                                                                  : "station " + std::to_string(worst_station);
  return "superposition vs re-run: peak error max " + num(max_abs) + " ug/m3 (" + num(100.0 * max_rel) +
         "%, worst " + worst + "); hourly max " + num(max_abs_hourly) + " ug/m3";
}

SuperpositionError compare_with_rerun(const StationHourSeries& superposed, const StationHourSeries& rerun) {
  superposed.check("superposed series");
  rerun.check("re-run series");
  if (superposed.stations != rerun.stations || superposed.hours != rerun.hours)
    throw Error({"", 0, "re-run series"}, "expected the superposed shape (" + std::to_string(superposed.stations) +
                                              " stations x " + std::to_string(superposed.hours) + " hours), found " +
                                              std::to_string(rerun.stations) + " x " + std::to_string(rerun.hours));
  SuperpositionError e;
  double worst_rel = -1.0;
  for (std::size_t s = 0; s < rerun.stations; ++s) {
    PeakError p;
    p.station = s;
    p.superposed_peak = kNaN;
    p.rerun_peak = kNaN;
    for (std::size_t h = 0; h < rerun.hours; ++h) {
      const double a = superposed(s, h), b = rerun(s, h);
      const auto hh = static_cast<std::int64_t>(h);
      if (std::isfinite(a) && !(a <= p.superposed_peak)) {
        p.superposed_peak = a;
        p.superposed_peak_hour = hh;
      }
      if (std::isfinite(b) && !(b <= p.rerun_peak)) {
        p.rerun_peak = b;
        p.rerun_peak_hour = hh;
      }
      if (std::isfinite(a) && std::isfinite(b)) p.max_abs_hourly = std::max(p.max_abs_hourly, std::abs(a - b));
    }
    p.abs_error = std::abs(p.superposed_peak - p.rerun_peak);
    p.rel_error = p.rerun_peak != 0.0 ? p.abs_error / std::abs(p.rerun_peak) : kNaN;
    if (std::isfinite(p.abs_error)) e.max_abs = std::max(e.max_abs, p.abs_error);
    if (std::isfinite(p.rel_error)) {
      e.max_rel = std::max(e.max_rel, p.rel_error);
      if (p.rel_error > worst_rel) {
        worst_rel = p.rel_error;
        e.worst_station = s;
      }
    }
    e.max_abs_hourly = std::max(e.max_abs_hourly, p.max_abs_hourly);
    e.stations.push_back(p);
  }
  return e;
}

}  // namespace lantian
