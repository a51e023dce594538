// `lantian met FILE... --at LAT,LON [--out CSV]`: the hourly meteorology at a point. Parses and
// prints only; the table is meteo::point_series (DESIGN.md, apps/).
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/time_axis.hpp"
#include "meteo/point_series.hpp"
#include "meteo/wrf_reader.hpp"

void add_met_command(CLI::App& app);

namespace {

constexpr const char* kMetFooter = R"(Input: one or more WRF wrfout files (NetCDF) of one domain and run.
Columns: time_utc, time_local, 10-m wind speed (m/s) and direction (deg, from), mixing height
(m), u* (m/s), sensible heat flux (W/m2), Monin-Obukhov length (m), Pasquill-Gifford class
(Golder 1972, from L and z0), T2 (C), RH2 (%), precipitation (mm/h), and the 静稳 flags
weak_wind (< 2 m/s), shallow_mixing (< 500 m), surface_inversion, humid (RH2 > 80 %) with
their count. Without --out the table goes to standard output; with --out it is written to a
temporary file renamed into place.

Examples:
  lantian met wrfout_d01_2015-12-01_00:00:00 --at 39.9,116.4
  lantian met wrfout_d01_* --at 39.9,116.4 --out met_point.csv --tz Asia/Shanghai)";

struct MetArgs {
  std::vector<std::string> files;
  std::vector<double> at;
  std::string out;
  std::string tz = "Asia/Shanghai";
  double z0 = 0.1;
};

int run_met(const MetArgs& a) {
  using namespace lantian;
  const TimeZone zone(a.tz);
  LANTIAN_CHECK(a.at[0] >= -90.0 && a.at[0] <= 90.0, (ErrorContext{"", 0, "--at"}),
                "expected LAT,LON with LAT in -90..90, found LAT = " + std::to_string(a.at[0]));
  meteo::PointOptions opt;
  opt.z0_default = a.z0;
  const meteo::WrfDataset ds = meteo::open_wrf(a.files);  // frames are read one at a time
  const meteo::PointSeries s = meteo::point_series(ds, a.at[0], a.at[1], opt);
  if (a.out.empty()) {
    meteo::write_point_series_csv(s, std::cout, zone);
  } else {
    meteo::save_point_series_csv(s, a.out, zone);
    std::cout << "lantian met: " << s.rows.size() << " times at " << a.at[0] << " N, " << a.at[1] << " E from "
              << a.files.size() << " file(s) -> " << a.out << "\n";
  }
  return 0;
}

}  // namespace

/// Registers the `met` subcommand on `app`. Its callback runs the command during parsing; on
/// bad input it prints "lantian: error: ..." to stderr and throws CLI::RuntimeError(1), which
/// App::exit turns into exit status 1.
void add_met_command(CLI::App& app) {
  auto args = std::make_shared<MetArgs>();
  CLI::App* met = app.add_subcommand("met", "Hourly meteorology at a point from WRF output (wind, mixing height, "
                                            "stability, T2, RH2, precipitation, 静稳 flags)");
  met->add_option("files", args->files, "wrfout file(s) of one domain")->required()->check(CLI::ExistingFile);
  met->add_option("--at", args->at, "the point: LAT,LON in degrees (WGS 84)")
      ->required()
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::Range(-180.0, 360.0));
  met->add_option("--out,-o", args->out, "write the table to this CSV instead of standard output");
  met->add_option("--tz", args->tz, "IANA time zone of the time_local column")->capture_default_str();
  met->add_option("--z0", args->z0, "roughness length (m) for the stability class where the file has no ZNT")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  met->footer(kMetFooter);
  met->callback([args] {
    try {
      run_met(*args);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
