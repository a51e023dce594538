// `lantian screen CASE.toml --out DIR [--map] [--dispersion ...] [--pollutant PM2.5] [--force]`:
// Gaussian screening of a case's inventory (scenarios/plume_screening): station series, every
// enterprise's and production line's contribution to every station, ranked, and optionally the
// daily-mean map. Reads, calls the library, writes; no physics here.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "core/text.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/plume_screening.hpp"
#include "solver/receptor_means.hpp"

void add_screen_command(CLI::App& app);

namespace {

using namespace lantian;

struct ScreenArgs {
  std::string case_file, out, dispersion = "briggs-urban", pollutant = "PM2.5";
  bool map = false, force = false;
};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}


/// Per station, the items ranked by their mean contribution over the period (non-zero only).
/// values: [hour][station][item].
template <class Label>
std::string ranking_csv(const std::string& header, const std::vector<double>& values, std::size_t nh, std::size_t ns,
                        std::size_t ni, const std::vector<solver::Receptor>& stations, Label&& label) {
  std::ostringstream out;
  out << "station,rank," << header << ",mean,peak\n";
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

int run_screen(const ScreenArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "screen"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  std::optional<emissions::EmittedPollutant> pollutant;
  for (const auto p : emissions::kAllEmittedPollutants)
    if (iequals(a.pollutant, emissions::pollutant_name(p)) || iequals(a.pollutant, emissions::pollutant_column(p))) pollutant = p;
  LANTIAN_CHECK(pollutant.has_value(), (ErrorContext{"", 0, "--pollutant"}),
                "expected SO2, NOx, PM2.5, PM10, VOCs or NH3, found '" + a.pollutant + "'");
  PlumeScreeningOptions opt;
  opt.plume.dispersion = solver::parse_dispersion(a.dispersion);
  opt.map = a.map;
  if (in.config.meteo.z0) opt.z0 = *in.config.meteo.z0;
  std::cerr << "lantian screen: " << in.inventory.stacks.size() << " stacks and " << in.inventory.enterprises.size()
            << " enterprise sites, " << in.period.size() << " hours, " << in.config.stations.size() << " stations"
            << (a.map ? " and the grid" : "") << "...\n";
  const PlumeScreening s = run_plume_screening(in, opt);
  const std::size_t nh = s.times.size(), ns = s.n_stations, ne = in.inventory.enterprises.size(),
                    nl = in.inventory.lines.size();
  const auto ent = s.enterprise_contributions(in.inventory, *pollutant, ns);
  const auto lines = s.line_contributions(in.inventory, *pollutant, ns);
  const TimeZone& tz = in.period.zone();
  std::vector<solver::Receptor> stations(s.receptors.begin(), s.receptors.begin() + static_cast<std::ptrdiff_t>(ns));

  const auto conc = s.concentrations(in.inventory, *pollutant);
  const std::size_t nr = s.receptors.size();
  std::ostringstream series;
  series << "time,station,conc\n";
  double peak = -1.0;
  std::size_t peak_h = 0, peak_r = 0;
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < ns; ++r) {
      const double c = conc[h * nr + r];
      series << format_local(s.times[h], tz) << ',' << csv_text(stations[r].id) << ',' << num(c) << '\n';
      if (c > peak) peak = c, peak_h = h, peak_r = r;
    }
  const std::string ent_csv = ranking_csv("enterprise,name,district", ent, nh, ns, ne, stations, [&](std::size_t i) {
    const auto& e = in.inventory.enterprises[i];
    return csv_text(e.id) + ',' + csv_text(e.name) + ',' + csv_text(e.district);
  });
  const std::string line_csv = ranking_csv("enterprise,line,name", lines, nh, ns, nl, stations, [&](std::size_t i) {
    const auto& l = in.inventory.lines[i];
    return csv_text(in.inventory.enterprises[l.enterprise].id) + ',' + csv_text(l.id) + ',' + csv_text(l.name);
  });
  std::string map_csv;
  if (a.map) {
    const std::size_t ncell = nr - ns;
    std::vector<double> hourly(nh * ncell);
    for (std::size_t h = 0; h < nh; ++h)
      for (std::size_t c = 0; c < ncell; ++c) hourly[h * ncell + c] = conc[h * nr + ns + c];
    const solver::DailyMeans d = solver::daily_means(hourly, ncell, s.times, tz);
    std::ostringstream m;
    m << "date,i,j,x,y,conc,hours\n";
    const int nx = in.grid.nx();
    for (std::size_t day = 0; day < d.n_days(); ++day)
      for (std::size_t c = 0; c < ncell; ++c) {
        const auto& rc = s.receptors[ns + c];
        m << d.dates[day] << ',' << c % static_cast<std::size_t>(nx) << ',' << c / static_cast<std::size_t>(nx) << ','
          << num(rc.x) << ',' << num(rc.y) << ',' << num(d.value(day, c)) << ',' << d.hours[day] << '\n';
      }
    map_csv = m.str();
  }
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "stations.csv", series.str());
    write_file(tmp / "enterprises.csv", ent_csv);
    write_file(tmp / "lines.csv", line_csv);
    if (a.map) write_file(tmp / "map_daily.csv", map_csv);
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "lantian screen: " << a.pollutant << " from " << s.unit.n_sources << " sources at " << s.receptors.size()
            << " receptors over " << nh << " hours, " << solver::dispersion_name(opt.plume.dispersion) << ", "
            << num(secs) << " s -> " << a.out << "\n";
  if (ns > 0) {
    std::cout << "peak: " << num(peak) << " ug/m3 at " << stations[peak_r].id << ", " << format_local(s.times[peak_h], tz)
              << "; largest contributors then:\n";
    std::vector<std::size_t> order(ne);
    for (std::size_t i = 0; i < ne; ++i) order[i] = i;
    const double* row = ent.data() + (peak_h * ns + peak_r) * ne;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return row[x] > row[y]; });
    for (std::size_t k = 0; k < std::min<std::size_t>(5, ne) && row[order[k]] > 0.0; ++k)
      std::cout << "  " << in.inventory.enterprises[order[k]].id << " " << in.inventory.enterprises[order[k]].name << ": "
                << num(row[order[k]]) << " ug/m3 (" << num(100.0 * row[order[k]] / peak) << "%)\n";
  }
  return 0;
}

}  // namespace

/// Registers the `screen` subcommand on `app`.
void add_screen_command(CLI::App& app) {
  auto args = std::make_shared<ScreenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "screen", "Gaussian screening of a case: station series and every enterprise's and line's contribution");
  cmd->add_option("case", args->case_file, "case file (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "output folder: stations.csv, enterprises.csv, lines.csv[, map_daily.csv]")
      ->required();
  cmd->add_flag("--map", args->map, "also the daily-mean map on the case grid (map_daily.csv)");
  cmd->add_option("--dispersion", args->dispersion, "sigma_y, sigma_z scheme")
      ->capture_default_str()
      ->check(CLI::IsMember({"briggs-rural", "briggs-urban", "turbulence"}));
  cmd->add_option("--pollutant", args->pollutant, "emitted pollutant (primary): SO2, NOx, PM2.5, PM10, VOCs, NH3")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "replace a non-empty output folder that lantian wrote");
  cmd->footer(
      "Primary emissions only (secondary PM needs the Eulerian model). Contributions are per enterprise (stacks and\n"
      "ground-level releases) and per production line; 'mean' and 'peak' are over the case period, ug/m3.");
  cmd->callback([args] {
    try {
      run_screen(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
