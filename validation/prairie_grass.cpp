#include "validation/prairie_grass.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"
#include "meteo/boundary_layer.hpp"

namespace lantian::validation {

namespace {

/// The lines of `path` without their CR/LF ends.
std::vector<std::string> read_lines(const std::string& path) {
  LANTIAN_CHECK(!std::filesystem::is_directory(path), (ErrorContext{path, 0, ""}), "expected a file, found a folder");
  std::ifstream in(path, std::ios::binary);
  LANTIAN_CHECK(in.good(), (ErrorContext{path, 0, ""}), "cannot open the file for reading");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

bool blank(std::string_view s) { return trim(s, " \t\r", " \t\r").empty(); }

/// Fields of `line` split at any of `separators`, trimmed, empty fields dropped when
/// `skip_empty` (whitespace-separated tables).
std::vector<std::string_view> split(std::string_view line, std::string_view separators, bool skip_empty) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || is_one_of(line[i], separators)) {
      const std::string_view f = trim(line.substr(start, i - start));
      if (!(skip_empty && f.empty())) out.push_back(f);
      start = i + 1;
    }
  }
  return out;
}

double number(std::string_view text, const std::string& path, long line, const std::string& field) {
  const auto v = parse_finite(text);
  LANTIAN_CHECK(v.has_value(), (ErrorContext{path, line, field}), "expected a number, found " + quote_text(text));
  return *v;
}

int integer(std::string_view text, const std::string& path, long line, const std::string& field) {
  const double v = number(text, path, line, field);
  LANTIAN_CHECK(v == std::floor(v) && std::abs(v) < 1e9, (ErrorContext{path, line, field}),
                "expected a whole number, found " + quote_text(text));
  return static_cast<int>(v);
}

std::string unquote(std::string_view s) { return std::string(trim(s, "' ", "' ")); }

void check_fields(const std::vector<std::string_view>& f, std::size_t n, const std::string& path, long line,
                  const std::string& what) {
  LANTIAN_CHECK(f.size() == n, (ErrorContext{path, line, ""}),
                "expected " + what + " (" + std::to_string(n) + " fields), found " + std::to_string(f.size()) +
                    " fields");
}

}  // namespace

std::optional<double> PgArc::max_observed_mg_m3() const {
  std::optional<double> best;
  for (const PgSampler& s : samplers)
    if (s.concentration_mg_m3 && (!best || *s.concentration_mg_m3 > *best)) best = s.concentration_mg_m3;
  return best;
}

std::vector<PgArc> read_pg_arcs(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path);
  std::vector<PgArc> arcs;
  std::set<std::pair<int, int>> seen;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (blank(lines[i])) {
      ++i;
      continue;
    }
    const long hline = static_cast<long>(i) + 1;
    const auto h = split(lines[i], ",", false);
    check_fields(h, 5, path, hline, "an arc header: run, arc, 'MM/DD/YY', 'HHMM-HHMM', distance (m)");
    PgArc a;
    a.line = hline;
    a.run = integer(h[0], path, hline, "run");
    a.arc = integer(h[1], path, hline, "arc");
    LANTIAN_CHECK(a.arc >= 1 && a.arc <= 5, (ErrorContext{path, hline, "arc"}),
                  "expected an arc number 1..5, found " + std::to_string(a.arc));
    a.date = unquote(h[2]);
    a.period = unquote(h[3]);
    a.distance_m = number(h[4], path, hline, "arc distance");
    const double expected = kPgArcDistances[static_cast<std::size_t>(a.arc - 1)];
    LANTIAN_CHECK(a.distance_m == expected, (ErrorContext{path, hline, "arc distance"}),
                  "expected " + std::to_string(expected) + " m for arc " + std::to_string(a.arc) + ", found " +
                      std::string(h[4]));
    LANTIAN_CHECK(seen.insert({a.run, a.arc}).second, (ErrorContext{path, hline, "run, arc"}),
                  "expected each run and arc once, found run " + std::to_string(a.run) + " arc " +
                      std::to_string(a.arc) + " again");

    const long pline = hline + 1;
    LANTIAN_CHECK(i + 1 < lines.size(), (ErrorContext{path, pline, ""}),
                  "expected the arc's parameter line (samplers, ..., Q, release height, sampler height, ...), "
                  "found the end of the file");
    const auto p = split(lines[i + 1], ",", false);
    check_fields(p, 11, path, pline, "the arc's parameter line: samplers, ..., Q (g/s), release height (m), "
                                     "sampler height (m), ...");
    const int n = integer(p[0], path, pline, "samplers");
    LANTIAN_CHECK(n >= 1, (ErrorContext{path, pline, "samplers"}), "expected at least 1, found " + std::string(p[0]));
    a.emission_g_s = number(p[7], path, pline, "Q");
    a.release_height_m = number(p[8], path, pline, "release height");
    a.sampler_height_m = number(p[9], path, pline, "sampler height");
    LANTIAN_CHECK(a.emission_g_s > 0.0, (ErrorContext{path, pline, "Q"}), "expected > 0 g/s, found " + std::string(p[7]));
    LANTIAN_CHECK(a.release_height_m >= 0.0 && a.sampler_height_m >= 0.0, (ErrorContext{path, pline, "heights"}),
                  "expected heights >= 0 m, found " + std::string(p[8]) + " and " + std::string(p[9]));

    for (int k = 0; k < n; ++k) {
      const std::size_t li = i + 2 + static_cast<std::size_t>(k);
      const long sline = static_cast<long>(li) + 1;
      LANTIAN_CHECK(li < lines.size(), (ErrorContext{path, sline, ""}),
                    "expected sampler " + std::to_string(k + 1) + " of " + std::to_string(n) +
                        " (azimuth, sampler, distance, concentration), found the end of the file");
      const auto s = split(lines[li], " \t", true);
      check_fields(s, 4, path, sline, "a sampler: azimuth (deg), sampler, distance (m), concentration (mg/m3)");
      PgSampler smp;
      smp.azimuth_deg = number(s[0], path, sline, "azimuth");
      smp.number = integer(s[1], path, sline, "sampler");
      smp.distance_m = number(s[2], path, sline, "distance");
      LANTIAN_CHECK(smp.distance_m == a.distance_m, (ErrorContext{path, sline, "distance"}),
                    "expected the arc's distance " + std::string(h[4]) + " m, found " + std::string(s[2]));
      const double c = number(s[3], path, sline, "concentration");
      LANTIAN_CHECK(c == -9.0 || c >= 0.0, (ErrorContext{path, sline, "concentration"}),
                    "expected >= 0 mg/m3 or -9 (missing), found " + std::string(s[3]));
      if (c >= 0.0) smp.concentration_mg_m3 = c;
      a.samplers.push_back(smp);
    }
    arcs.push_back(std::move(a));
    i += 2 + static_cast<std::size_t>(n);
  }
  LANTIAN_CHECK(!arcs.empty(), (ErrorContext{path, 0, ""}), "expected arc records, found none");
  return arcs;
}

std::map<int, PgMet> read_pg_met(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path);
  std::map<int, PgMet> met;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (blank(lines[i])) continue;
    const long line = static_cast<long>(i) + 1;
    const auto f = split(lines[i], " \t", true);
    check_fields(f, 10, path, line,
                 "run, L (m), u* (m/s), h_i (m), wind direction (deg), sigma_u, sigma_v, sigma_w, sigma_azimuth "
                 "(deg), wind speed (m/s)");
    PgMet m;
    m.line = line;
    m.run = integer(f[0], path, line, "run");
    m.obukhov_length_m = number(f[1], path, line, "L");
    m.ustar_m_s = number(f[2], path, line, "u*");
    const double hi = number(f[3], path, line, "h_i");
    m.wind_dir_deg = number(f[4], path, line, "wind direction");
    m.sigma_azimuth_deg = number(f[8], path, line, "sigma_azimuth");
    m.wind_speed_m_s = number(f[9], path, line, "wind speed");
    LANTIAN_CHECK(m.obukhov_length_m != 0.0, (ErrorContext{path, line, "L"}), "expected L != 0, found 0");
    LANTIAN_CHECK(m.ustar_m_s > 0.0, (ErrorContext{path, line, "u*"}), "expected u* > 0 m/s, found " + std::string(f[2]));
    LANTIAN_CHECK(m.wind_speed_m_s > 0.0, (ErrorContext{path, line, "wind speed"}),
                  "expected > 0 m/s, found " + std::string(f[9]));
    LANTIAN_CHECK(hi == -999.0 || hi > 0.0, (ErrorContext{path, line, "h_i"}),
                  "expected > 0 m or -999 (none), found " + std::string(f[3]));
    if (hi > 0.0) m.mixing_height_m = hi;
    LANTIAN_CHECK(met.emplace(m.run, m).second, (ErrorContext{path, line, "run"}),
                  "expected each run once, found run " + std::to_string(m.run) + " again");
  }
  LANTIAN_CHECK(!met.empty(), (ErrorContext{path, 0, ""}), "expected met lines, found none");
  return met;
}

std::map<int, PgSo2Factors> read_pg_so2_factors(const std::string& path) {
  const std::vector<std::string> lines = read_lines(path);
  std::map<int, PgSo2Factors> table;
  bool in_comment = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const long line = static_cast<long>(i) + 1;
    const std::string_view t = trim(lines[i]);
    if (in_comment) {
      in_comment = t.find("*/") == std::string_view::npos;
      continue;
    }
    if (t.starts_with("/*")) {
      in_comment = t.find("*/", 2) == std::string_view::npos;
      continue;
    }
    if (t.empty() || iequals(t.substr(0, 3), "exp")) continue;
    const auto f = split(t, " \t", true);
    check_fields(f, 6, path, line, "run and factors for the 50, 100, 200, 400, 800 m arcs (a blank factor cannot "
                                   "be placed in a whitespace table)");
    const int run = integer(f[0], path, line, "run");
    PgSo2Factors row{};
    for (std::size_t k = 0; k < 5; ++k) {
      row[k] = number(f[k + 1], path, line, "arc " + std::to_string(k + 1));
      LANTIAN_CHECK(row[k] > 0.0, (ErrorContext{path, line, "arc " + std::to_string(k + 1)}),
                    "expected a factor > 0, found " + std::string(f[k + 1]));
    }
    LANTIAN_CHECK(table.emplace(run, row).second, (ErrorContext{path, line, "run"}),
                  "expected each run once, found run " + std::to_string(run) + " again");
  }
  LANTIAN_CHECK(!in_comment, (ErrorContext{path, static_cast<long>(lines.size()), ""}),
                "expected the comment to close with */, found the end of the file");
  return table;
}

PgDataset read_prairie_grass(const std::string& folder) {
  const std::filesystem::path dir(folder);
  LANTIAN_CHECK(std::filesystem::is_directory(dir), (ErrorContext{folder, 0, ""}),
                "expected a Prairie Grass folder (PGARCS.txt, modelParamList.txt, PGrassEvapLossTABLE_5_4.txt)");
  PgDataset d;
  d.arcs = read_pg_arcs((dir / "PGARCS.txt").string());
  d.met = read_pg_met((dir / "modelParamList.txt").string());
  const std::filesystem::path so2 = dir / "PGrassEvapLossTABLE_5_4.txt";
  if (std::filesystem::exists(so2)) d.so2_factors = read_pg_so2_factors(so2.string());
  return d;
}

PgRunArcs usable_run_arcs(const PgDataset& data, const PgObservationOptions& options) {
  PgRunArcs out;
  std::set<int> usable, without;
  for (const PgArc& a : data.arcs) {
    const auto m = data.met.find(a.run);
    if (m == data.met.end()) {
      without.insert(a.run);
      continue;
    }
    usable.insert(a.run);
    const std::optional<double> obs = a.max_observed_mg_m3();
    if (!obs) {
      ++out.arcs_all_missing;
      continue;
    }
    PgRunArc r;
    r.arc = &a;
    r.met = &m->second;
    if (options.apply_so2_factors) {
      const auto f = data.so2_factors.find(a.run);
      LANTIAN_CHECK(f != data.so2_factors.end(), (ErrorContext{"PGrassEvapLossTABLE_5_4.txt", 0, "run"}),
                    "expected a row for run " + std::to_string(a.run) + ", found none");
      const double factor = f->second[static_cast<std::size_t>(a.arc - 1)];
      if (factor >= 0.5 && factor <= 1.0)
        r.so2_factor = factor;
      else
        ++out.implausible_factors;
    }
    r.observed_max_mg_m3 = *obs * r.so2_factor;
    out.run_arcs.push_back(r);
  }
  out.usable_runs.assign(usable.begin(), usable.end());
  out.runs_without_met.assign(without.begin(), without.end());
  return out;
}

double pg_stable_mixing_height(double ustar) noexcept { return 2300.0 * std::pow(ustar, 1.5); }

solver::PlumeMet pg_plume_met(const PgMet& met, const PgValidationOptions& options) {
  solver::PlumeMet m;
  m.wind_speed = met.wind_speed_m_s;
  m.wind_dir_deg = met.wind_dir_deg;
  m.ref_height = options.ref_height;
  m.temperature_K = options.temperature_K;
  m.ustar = met.ustar_m_s;
  m.L = met.obukhov_length_m;
  m.z0 = options.z0;
  m.mixing_height = met.mixing_height_m ? *met.mixing_height_m : pg_stable_mixing_height(met.ustar_m_s);
  m.stability = meteo::stability_letter(meteo::pasquill_from_obukhov(met.obukhov_length_m, options.z0));
  return m;
}

PgValidation validate_prairie_grass(const PgDataset& data, const PgValidationOptions& options) {
  options.plume.validate();
  const PgRunArcs sel = usable_run_arcs(data, options.observations);
  LANTIAN_CHECK(!sel.run_arcs.empty(), (ErrorContext{"", 0, "Prairie Grass"}),
                "expected run-arcs with met and observations, found none");
  PgValidation v;
  v.usable_runs = sel.usable_runs;
  v.runs_without_met = sel.runs_without_met;
  v.arcs_all_missing = sel.arcs_all_missing;
  v.implausible_factors = sel.implausible_factors;
  constexpr double kPi = 3.14159265358979323846;
  for (const PgRunArc& r : sel.run_arcs) {
    const PgArc& a = *r.arc;
    const solver::PlumeMet met = pg_plume_met(*r.met, options);
    check_met(met, options.plume, "modelParamList.txt:" + std::to_string(r.met->line));
    solver::PlumeSource src;
    src.id = "run " + std::to_string(a.run);
    src.height = a.release_height_m;
    src.rate_g_s = a.emission_g_s;  // diameter 0: a passive release, no plume rise
    // The plume centreline: downwind of the source, towards wind_dir + 180 degrees.
    const double to = (met.wind_dir_deg + 180.0) * kPi / 180.0;
    solver::Receptor rec;
    rec.id = "arc " + std::to_string(a.arc);
    rec.x = a.distance_m * std::sin(to);
    rec.y = a.distance_m * std::cos(to);
    rec.z = a.sampler_height_m;
    PgComparison c;
    c.run = a.run;
    c.arc = a.arc;
    c.distance_m = a.distance_m;
    c.emission_g_s = a.emission_g_s;
    c.obukhov_length_m = r.met->obukhov_length_m;
    c.ustar_m_s = r.met->ustar_m_s;
    c.wind_speed_m_s = r.met->wind_speed_m_s;
    c.mixing_height_m = met.mixing_height;
    c.stability = met.stability;
    c.so2_factor = r.so2_factor;
    c.observed_ug_m3 = r.observed_max_mg_m3 * 1000.0;  // mg/m3 -> µg/m3
    c.predicted_ug_m3 = solver::plume_concentration(src, met, rec, options.plume);
    v.rows.push_back(c);
  }
  std::vector<double> obs, pred;
  for (int arc = 1; arc <= 5; ++arc) {
    obs.clear();
    pred.clear();
    for (const PgComparison& c : v.rows)
      if (c.arc == arc) {
        obs.push_back(c.observed_ug_m3);
        pred.push_back(c.predicted_ug_m3);
      }
    if (!obs.empty()) v.by_arc[static_cast<std::size_t>(arc - 1)] = validation_stats(obs, pred);
  }
  obs.clear();
  pred.clear();
  for (const PgComparison& c : v.rows) {
    obs.push_back(c.observed_ug_m3);
    pred.push_back(c.predicted_ug_m3);
  }
  v.overall = validation_stats(obs, pred);
  return v;
}

}  // namespace lantian::validation
