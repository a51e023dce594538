// `lantian met FILE... --at LAT,LON [--format wrf|cf|station] [--out CSV]`: the hourly
// meteorology at a point from WRF, CF NetCDF or a station profile CSV. Parses and prints only;
// the kind detection and the table are meteo::point_series_from_files (DESIGN.md, apps/).
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "core/time_axis.hpp"
#include "meteo/point_series.hpp"

void add_met_command(CLI::App& app);

namespace {

constexpr const char* kMetFooter = R"(Input, all files of one kind, detected per file or named by --format:
  wrf      WRF wrfout NetCDF (global attributes MAP_PROJ/DX, or Times and XLAT) of one domain
           and run; bilinear between cell centres, winds rotated to earth-relative
  cf       other NetCDF: CF, ERA5-like lat/lon (needs 2-m temperature, 10-m u and v, boundary
           layer height; u*, heat flux, RH or dew point, precipitation, surface pressure and
           upper air used when present); bilinear between grid points
  station  a station profile CSV (*.csv; schema in meteo/station_profile.hpp); --at is the
           station; times without an offset are local in --tz; hours without pblh_m get the
           mixing height, u*, heat flux and L diagnosed from wind, temperature, cloud and sun
           (Holtslag & van Ulden 1983 energy balance, as the model uses them); gaps of up to
           3 hours are interpolated, with a warning on standard error
Columns: time_utc, time_local, 10-m wind speed (m/s) and direction (deg, from), mixing height
(m), u* (m/s), sensible heat flux (W/m2), Monin-Obukhov length (m), Pasquill-Gifford class
(Golder 1972, from L and z0; a station without u* and heat flux: Turner's method from wind,
cloud and sun), T2 (C), RH2 (%), precipitation (mm/h), and the 静稳 flags weak_wind
(< 2 m/s), shallow_mixing (< 500 m), surface_inversion, humid (RH2 > 80 %) with their count.
What a source lacks is an empty cell, never estimated (e.g. u*, L without fluxes; the surface
inversion without upper air). Without --out the table goes to standard output; with --out it
is written to a temporary file renamed into place; an existing file is replaced only with
--force and only when it is a table `lantian met` wrote; an input is never overwritten. A missing required variable is an error
naming it (exit 1).

Examples:
  lantian met wrfout_d01_2015-12-01_00:00:00 --at 39.9,116.4
  lantian met wrfout_d01_* --at 39.9,116.4 --out met_point.csv --tz Asia/Shanghai
  lantian met era5_surface_201512.nc --at 39.9,116.4 --z0 0.5
  lantian met station_54511.csv --at 39.8,116.47 --out met_point.csv
  lantian met surface.nc --format cf --at 39.9,116.4)";

struct MetArgs {
  std::vector<std::string> files;
  std::vector<double> at;
  std::string out;
  std::string tz = "Asia/Shanghai";
  std::string format;
  double z0 = 0.1;
  bool force = false;
};

int run_met(const MetArgs& a) {
  using namespace lantian;
  const TimeZone zone(a.tz);
  LANTIAN_CHECK(a.at[0] >= -90.0 && a.at[0] <= 90.0, (ErrorContext{"", 0, "--at"}),
                "expected LAT,LON with LAT in -90..90, found LAT = " + std::to_string(a.at[0]));
  OutputRequest out{a.out, a.force, {}, "met"};
  for (const std::string& f : a.files) out.inputs.add(f, "a met file");
  if (!a.out.empty()) check_output_file(out, meteo::kPointSeriesSignature);  // before reading
  meteo::PointOptions opt;
  opt.z0_default = a.z0;
  const meteo::PointSeries s = meteo::point_series_from_files(
      a.files, a.at[0], a.at[1], a.format.empty() ? std::nullopt : meteo::parse_met_format(a.format), opt, a.tz);
  for (const std::string& w : s.warnings) std::cerr << "lantian met: warning: " << w << "\n";
  if (a.out.empty()) {
    meteo::write_point_series_csv(s, std::cout, zone);
  } else {
    meteo::save_point_series_csv(s, out, zone);
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
  CLI::App* met = app.add_subcommand("met",
                                     "Hourly meteorology at a point from WRF, CF NetCDF or a station CSV (wind, "
                                     "mixing height, stability, T2, RH2, precipitation, 静稳 flags)");
  met->add_option("files", args->files, "met file(s) of one kind: wrfout, CF NetCDF or station CSV")
      ->required()
      ->check(CLI::ExistingFile);
  met->add_option("--at", args->at, "the point: LAT,LON in degrees (WGS 84)")
      ->required()
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::Range(-180.0, 360.0));
  met->add_option("--format", args->format, "the kind of the files (default: detected per file)")
      ->check(CLI::IsMember({"wrf", "cf", "station"}));
  met->add_option("--out,-o", args->out, "write the table to this CSV instead of standard output");
  met->add_flag("--force", args->force, "replace an existing --out file that `lantian met` wrote");
  met->add_option("--tz", args->tz, "IANA time zone of the time_local column")->capture_default_str();
  met->add_option("--z0", args->z0, "roughness length (m) for the stability class (WRF: where the file has no ZNT)")
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
