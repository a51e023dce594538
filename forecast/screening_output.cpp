#include "forecast/screening_output.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>
#include <utility>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "solver/receptor_means.hpp"

namespace lantian {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// Per station, the items ranked by their mean contribution over the period (non-zero only).
/// values: [hour][station][item]; `item` the columns of the item, `label(i)` its cells.
template <class Label>
std::string ranking_csv(std::span<const std::string_view> columns, const std::vector<double>& values, std::size_t nh,
                        std::size_t ns, std::size_t ni, const std::vector<solver::Receptor>& stations, Label&& label) {
  std::ostringstream out;
  out << screening_csv::header(columns);
  for (std::size_t r = 0; r < ns; ++r) {
    std::vector<std::pair<double, std::size_t>> mean(ni);
    std::vector<double> peak(ni, 0.0);
    for (std::size_t i = 0; i < ni; ++i) mean[i] = {0.0, i};
    for (std::size_t h = 0; h < nh; ++h)
      for (std::size_t i = 0; i < ni; ++i) {
        const double v = values[(h * ns + r) * ni + i];
        mean[i].first += v / static_cast<double>(nh);
        peak[i] = std::max(peak[i], v);
      }
    std::stable_sort(mean.begin(), mean.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    int rank = 0;
    for (const auto& [m, i] : mean) {
      if (m <= 0.0) break;
      out << csv_text(stations[r].id) << ',' << ++rank << ',' << label(i) << ',' << num(m) << ',' << num(peak[i]) << '\n';
    }
  }
  return out.str();
}

std::optional<emissions::EmittedPollutant> find_pollutant(const std::string& name) {
  std::optional<emissions::EmittedPollutant> pollutant;
  for (const auto p : emissions::kAllEmittedPollutants)
    if (iequals(name, emissions::pollutant_name(p)) || iequals(name, emissions::pollutant_column(p))) pollutant = p;
  return pollutant;
}

}  // namespace

std::string screening_csv::header(std::span<const std::string_view> columns) {
  std::string h;
  for (const std::string_view c : columns) {
    if (!h.empty()) h += ',';
    h += c;
  }
  return h + '\n';
}

ScreeningResults screening_results(const CaseInputs& in, const PlumeScreening& s, emissions::EmittedPollutant p) {
  ScreeningResults r;
  r.pollutant = p;
  r.conc = s.concentrations(in.inventory, p);
  r.enterprises = s.enterprise_contributions(in.inventory, p, s.n_stations);
  r.lines = s.line_contributions(in.inventory, p, s.n_stations);
  return r;
}

ScreeningFiles screening_files(const CaseInputs& in, const PlumeScreening& s, const ScreeningResults& res, bool map) {
  using namespace screening_csv;
  const std::size_t nh = s.times.size(), ns = s.n_stations, nr = s.receptors.size();
  const auto& inv = in.inventory;
  const TimeZone& tz = in.period.zone();
  const std::vector<solver::Receptor> stations(s.receptors.begin(), s.receptors.begin() + static_cast<std::ptrdiff_t>(ns));
  ScreeningFiles f;
  std::ostringstream series;
  series << header(kStationsColumns);
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < ns; ++r)
      series << format_local(s.times[h], tz) << ',' << csv_text(stations[r].id) << ',' << num(res.conc[h * nr + r]) << '\n';
  f.stations = series.str();
  f.enterprises = ranking_csv(kEnterprisesColumns, res.enterprises, nh, ns, inv.enterprises.size(), stations,
                              [&](std::size_t i) {
                                const auto& e = inv.enterprises[i];
                                return csv_text(e.id) + ',' + csv_text(e.name) + ',' + csv_text(e.district);
                              });
  f.lines = ranking_csv(kLinesColumns, res.lines, nh, ns, inv.lines.size(), stations, [&](std::size_t i) {
    const auto& l = inv.lines[i];
    return csv_text(inv.enterprises[l.enterprise].id) + ',' + csv_text(l.id) + ',' + csv_text(l.name);
  });
  if (map) {
    const std::size_t ncell = nr - ns;
    std::vector<double> hourly(nh * ncell);
    for (std::size_t h = 0; h < nh; ++h)
      for (std::size_t c = 0; c < ncell; ++c) hourly[h * ncell + c] = res.conc[h * nr + ns + c];
    const solver::DailyMeans d = solver::daily_means(hourly, ncell, s.times, tz);
    std::ostringstream m;
    m << header(kMapColumns);
    const auto nx = static_cast<std::size_t>(in.grid.nx());
    for (std::size_t day = 0; day < d.n_days(); ++day)
      for (std::size_t c = 0; c < ncell; ++c) {
        const auto& rc = s.receptors[ns + c];
        m << d.dates[day] << ',' << c % nx << ',' << c / nx << ',' << num(rc.x) << ',' << num(rc.y) << ','
          << num(d.value(day, c)) << ',' << d.hours[day] << '\n';
      }
    f.map_daily = m.str();
  }
  return f;
}

std::vector<std::string> write_screening_folder(const OutputRequest& out, const ScreeningFiles& files) {
  using namespace screening_csv;
  std::vector<std::pair<std::string_view, const std::string*>> all{
      {kStationsFile, &files.stations}, {kEnterprisesFile, &files.enterprises}, {kLinesFile, &files.lines}};
  if (!files.map_daily.empty()) all.emplace_back(kMapFile, &files.map_daily);
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    for (const auto& [name, text] : all) write_file(tmp / name, *text);
  });
  std::vector<std::string> names;
  for (const auto& [name, text] : all) names.emplace_back(name);
  return names;
}

ScreenSummary run_screen_job(const ScreenRequest& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "screen"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  const std::optional<emissions::EmittedPollutant> pollutant = find_pollutant(a.pollutant);
  LANTIAN_CHECK(pollutant.has_value(), (ErrorContext{"", 0, "--pollutant"}),
                "expected SO2, NOx, PM2.5, PM10, VOCs or NH3, found '" + a.pollutant + "'");
  PlumeScreeningOptions opt;
  opt.plume.dispersion = solver::parse_dispersion(a.dispersion);
  opt.map = a.map;
  if (in.config.meteo.z0) opt.z0 = *in.config.meteo.z0;
  const auto& inv = in.inventory;
  if (a.status)
    a.status(std::to_string(inv.stacks.size()) + " stacks and " + std::to_string(inv.enterprises.size()) +
             " enterprise sites, " + std::to_string(in.period.size()) + " hours, " +
             std::to_string(in.config.stations.size()) + " stations" + (a.map ? " and the grid" : "") + "...");
  const PlumeScreening s = run_plume_screening(in, opt);
  const ScreeningResults res = screening_results(in, s, *pollutant);
  const std::size_t nh = s.times.size(), ns = s.n_stations, nr = s.receptors.size(), ne = inv.enterprises.size();

  ScreenSummary sum;
  sum.files = write_screening_folder(out, screening_files(in, s, res, a.map));
  sum.case_name = in.config.name;
  sum.out = a.out;
  sum.pollutant = a.pollutant;
  sum.dispersion = std::string(solver::dispersion_name(opt.plume.dispersion));
  sum.stacks = inv.stacks.size();
  sum.enterprises = ne;
  sum.lines = inv.lines.size();
  sum.sources = s.unit.n_sources;
  sum.stations = ns;
  sum.receptors = nr;
  sum.hours = nh;
  sum.map = a.map;
  double peak = -1.0;
  std::size_t peak_h = 0, peak_r = 0;
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < ns; ++r)
      if (const double c = res.conc[h * nr + r]; c > peak) peak = c, peak_h = h, peak_r = r;
  if (ns > 0) {
    sum.has_peak = true;
    sum.peak = peak;
    sum.peak_station = s.receptors[peak_r].id;
    sum.peak_time = format_local(s.times[peak_h], in.period.zone());
    std::vector<std::size_t> order(ne);
    for (std::size_t i = 0; i < ne; ++i) order[i] = i;
    const double* row = res.enterprises.data() + (peak_h * ns + peak_r) * ne;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return row[x] > row[y]; });
    for (std::size_t k = 0; k < std::min<std::size_t>(5, ne) && row[order[k]] > 0.0; ++k) {
      const auto& e = inv.enterprises[order[k]];
      sum.contributors.push_back(ScreenContributor{e.id, e.name, row[order[k]], 100.0 * row[order[k]] / peak});
    }
  }
  sum.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

std::string format_screen_summary(const ScreenSummary& s) {
  std::ostringstream out;
  out << "lantian screen: " << s.pollutant << " from " << s.sources << " sources at " << s.receptors << " receptors over "
      << s.hours << " hours, " << s.dispersion << ", " << num(s.wall_s) << " s -> " << s.out << "\n";
  if (s.has_peak) {
    out << "peak: " << num(s.peak) << " ug/m3 at " << s.peak_station << ", " << s.peak_time
        << "; largest contributors then:\n";
    for (const ScreenContributor& c : s.contributors)
      out << "  " << c.enterprise << " " << c.name << ": " << num(c.conc) << " ug/m3 (" << num(c.share_pct) << "%)\n";
  }
  return out.str();
}

}  // namespace lantian
