#pragma once
// The hourly meteorology at one point (单点气象序列), as `lantian met FILE --at LAT,LON` prints
// it: 10-m wind speed and direction (earth-relative), mixing height, u*, Monin-Obukhov length,
// Pasquill-Gifford class, T2, RH2, precipitation and the 静稳 (unfavourable-dispersion) flags.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/output_folder.hpp"
#include "core/time_axis.hpp"
#include "meteo/boundary_layer.hpp"
#include "meteo/cf_reader.hpp"
#include "meteo/station_profile.hpp"
#include "meteo/wrf_reader.hpp"

namespace lantian::meteo {

/// Options of the point table.
struct PointOptions {
  /// Roughness length (m) used for the stability class where the input has none (WRF ZNT).
  double z0_default = 0.1;
  StagnationThresholds thresholds;  ///< 静稳 thresholds
};

/// One time of the point table.
struct PointRow {
  UtcHour time = 0;
  double wind_speed = 0.0;     ///< 10-m wind speed, m/s
  double wind_dir = 0.0;       ///< 10-m wind direction, degrees from north, where the wind blows from
  double pblh = 0.0;           ///< mixing height, m
  double ustar = 0.0;          ///< friction velocity, m/s
  double shf = 0.0;            ///< upward sensible heat flux, W/m2
  double obukhov = 0.0;        ///< Monin-Obukhov length, m (+inf neutral)
  double z0 = 0.0;             ///< roughness length used, m
  StabilityClass stability = StabilityClass::D;  ///< Pasquill-Gifford class (Golder, from L and z0; or Turner)
  bool has_stability = true;   ///< false where the source gives no way to the class (written empty)
  double t2 = 0.0;             ///< 2-m temperature, K
  double rh2 = 0.0;            ///< 2-m relative humidity, %
  double precip = 0.0;         ///< precipitation rate, mm/h
  double t_upper = 0.0;        ///< temperature of the lowest model level, K
  double z_upper = 0.0;        ///< height of the lowest model level above ground, m
  StagnationFlags flags;       ///< 静稳 indicators
};

/// The point table and where it was taken.
struct PointSeries {
  double lat = 0.0, lon = 0.0;  ///< requested point, degrees
  double x = 0.0, y = 0.0;      ///< the point in the met grid's CRS, m
  std::vector<PointRow> rows;
  std::vector<std::string> warnings;  ///< what the readers filled in (a station CSV's interpolated gaps)
};

/// The table at (lat, lon) from a WRF dataset: every field is interpolated bilinearly between
/// the four surrounding cell centres (constant beyond the outermost centres, up to the domain
/// edge); 10-m winds are rotated to earth-relative with COSALPHA/SINALPHA first; L is computed
/// from the interpolated u*, HFX, T2 and the air density PSFC / (R_d T2) (monin_obukhov_length);
/// the surface inversion compares the lowest model level with T2. A point outside the domain
/// throws lantian::Error naming the point and the domain's extent.
PointSeries point_series(const WrfDataset& ds, double lat, double lon, const PointOptions& options = {});

/// The table at (lat, lon) from a CF surface file (read_cf_surface): every field bilinear in
/// longitude/latitude between the four surrounding grid points (the point must lie within the
/// outermost points; longitudes compared modulo 360). t2, u10, v10 and pblh are required (an
/// error naming the file and the variables that would do, as cf_met). Fields the file lacks
/// (rh2, ustar, shf, precip) stay NaN, written empty. L = monin_obukhov_length(u*, shf, T2,
/// air_density(psfc, T2)) when u* and shf are present (psfc 101325 Pa when absent, as the
/// station profile), and the class by Golder from L and options.z0_default; without them L
/// and the class are empty. The surface inversion uses the lowest upper-air level above
/// ground in all four columns when the file has upper air; otherwise it is empty.
PointSeries point_series(const CfSurface& cf, double lat, double lon, const PointOptions& options = {});

/// The table of a station profile (read_station_csv) at the station (station.lat, lon), as
/// StationMet uses it (diagnose_station). Hours with an observed mixing height: the observed
/// values as they are; with observed u* and shf, L from them and the class by Golder (z0 =
/// station.z0); without, Turner's class from the wind, cloud and sun and empty u*, shf and L.
/// Hours without one: the diagnosed mixing height, u*, shf and L (surface_energy_balance.hpp)
/// and Golder's class from that L. No upper air: surface_inversion empty.
PointSeries point_series(const std::vector<StationHour>& hours, const StationOptions& station,
                         const PointOptions& options = {});

/// The kinds of meteorological input of `lantian met`.
enum class MetFormat { wrf, cf, station };

/// Parses "wrf", "cf" or "station"; std::nullopt otherwise.
std::optional<MetFormat> parse_met_format(const std::string& name);

/// The kind of `path`: a name ending in .csv (any case) is a station profile; a NetCDF file
/// with any of the WRF global attributes MAP_PROJ, DX, or the variables Times and XLAT, is WRF;
/// any other NetCDF file is CF. Throws lantian::Error naming the file when it is neither CSV
/// nor readable NetCDF.
MetFormat detect_met_format(const std::string& path);

/// The table at (lat, lon) from `files`, all of one kind (`format`, or detected per file; a mix
/// is an error naming the first file of another kind). WRF: the files are one run (open_wrf).
/// CF and station: each file read in turn and the rows concatenated; times must increase from
/// file to file (an error naming the file otherwise). Station times without an offset are local
/// in `time_zone`; the station sits at (lat, lon).
PointSeries point_series_from_files(const std::vector<std::string>& files, double lat, double lon,
                                    std::optional<MetFormat> format, const PointOptions& options = {},
                                    const std::string& time_zone = "Asia/Shanghai");

/// Writes the table as CSV with a header:
/// time_utc,time_local,wind10_m_s,wind10_dir_deg,pblh_m,ustar_m_s,shf_w_m2,obukhov_m,stability,
/// t2_c,rh2_pct,precip_mm_h,weak_wind,shallow_mixing,surface_inversion,humid,stagnation_count
/// (flags 0/1; L written as "inf" when neutral; local times in `tz`). NaN values, a row without
/// a class, and a flag whose inputs are NaN are written as empty cells; the count is of the
/// flags raised.
void write_point_series_csv(const PointSeries& series, std::ostream& out, const TimeZone& tz);

/// The first bytes of every point-series CSV: how `--force` recognises a file lantian wrote.
inline constexpr const char* kPointSeriesSignature = "time_utc,time_local,wind10_m_s,wind10_dir_deg,";

/// Writes the CSV to `out.path` under the output rule of core/output_folder.hpp: through a
/// temporary file in the same folder renamed into place (a failure leaves no half-written
/// file), never over an input, over an existing file only with `out.force` and only when it is
/// a point-series CSV. Throws lantian::Error naming the path.
void save_point_series_csv(const PointSeries& series, const OutputRequest& out, const TimeZone& tz);
/// The same to a new file `path`.
inline void save_point_series_csv(const PointSeries& series, const std::string& path, const TimeZone& tz) {
  save_point_series_csv(series, OutputRequest{path, false, {}, "met"}, tz);
}

}  // namespace lantian::meteo
